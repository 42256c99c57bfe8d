//! Admin security (issue 5), against the real server over HTTP: every admin
//! route refuses callers without credentials, with another community's
//! token or session; tokens have roles and the roles are enforced; the
//! console's session cookie carries its flags, ends at sign-out, at token
//! deletion and at expiry; unsafe requests with the cookie need the CSRF
//! header and our own origin; failed sign-ins are rate-limited.

use std::collections::BTreeSet;

use mekaar_server::abuse::Limits;
use mekaar_server::secrets;
use mekaar_server::sessions::Session;
use mekaar_tests::{call, http_client, TestServer, TestServerBuilder};
use reqwest::header::{COOKIE, ORIGIN};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};

/// A signed-in console: the cookie as the browser sends it back, the CSRF
/// token, and the answer of the sign-in.
#[derive(Debug, Clone)]
struct Console {
    cookie: String,
    csrf: String,
    body: Value,
    set_cookie: String,
}

async fn sign_in(server: &TestServer, http: &Client, token: &str) -> Console {
    let answer = call(
        http.post(server.at("/api/v1/session"))
            .json(&json!({ "token": token })),
    )
    .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let set_cookie = answer.header("set-cookie").expect("a cookie").to_string();
    let cookie = set_cookie
        .split(';')
        .next()
        .expect("name=value")
        .trim()
        .to_string();
    assert!(cookie.starts_with("mekaar_session="), "{set_cookie}");
    Console {
        cookie,
        csrf: answer.body["csrf"].as_str().expect("csrf").to_string(),
        body: answer.body.clone(),
        set_cookie,
    }
}

impl Console {
    /// The request with the cookie and the CSRF header, as the console sends it.
    fn send(&self, request: RequestBuilder) -> RequestBuilder {
        request
            .header(COOKIE, &self.cookie)
            .header("mekaar-csrf", &self.csrf)
    }

    /// The request with the cookie only, as a browser would attach it.
    fn cookie_only(&self, request: RequestBuilder) -> RequestBuilder {
        request.header(COOKIE, &self.cookie)
    }
}

/// Two communities: `baarlo` with an initiative a resident submitted (and a
/// resident's reaction in its thread), a webhook, a poll and tokens of every
/// role; `kessel` with its admin token.
struct World {
    server: TestServer,
    http: Client,
    admin: String,
    moderator: String,
    poll_editor: String,
    /// An extra moderator token of baarlo, there to be deleted.
    spare_token_id: String,
    other_admin: String,
    initiative: String,
    webhook: String,
    poll: String,
    reaction: String,
    meeting: String,
}

async fn make_token(server: &TestServer, http: &Client, admin: &str, role: &str) -> Value {
    let answer = call(
        http.post(server.at("/api/v1/admin/communities/baarlo/tokens"))
            .bearer_auth(admin)
            .json(&json!({ "role": role, "label": format!("De {role}") })),
    )
    .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    answer.body
}

/// The world on a server started by `server`.
async fn world_with(server: TestServerBuilder) -> World {
    let server = server.start().await;
    let http = http_client();
    let admin = server
        .create_community("baarlo", &["https://www.baarlo.nl"])
        .await
        .admin_token;
    let other_admin = server.create_community("kessel", &[]).await.admin_token;
    let submitted = call(
        http.post(server.community_url("baarlo", "/initiatives"))
            .json(&json!({
                "title": "Speeltuin",
                "summary": "Een speeltuin bij de school.",
                "initiator_name": "Anja",
            })),
    )
    .await;
    assert_eq!(submitted.status, 201, "{submitted:?}");
    let hook = call(
        http.post(server.at("/api/v1/admin/communities/baarlo/webhooks"))
            .bearer_auth(&admin)
            .json(&json!({"url": "http://127.0.0.1:9/hook", "events": ["answered"]})),
    )
    .await;
    assert_eq!(hook.status, 201, "{hook:?}");
    let poll = call(
        http.post(server.at("/api/v1/admin/communities/baarlo/polls"))
            .bearer_auth(&admin)
            .json(&json!({"question": "Wie wint?", "options": ["Noord", "Zuid"]})),
    )
    .await;
    assert_eq!(poll.status, 201, "{poll:?}");
    let initiative = submitted.body["initiative"]["id"].as_str().unwrap();
    let reaction = call(
        http.post(server.community_url(
            "baarlo",
            &format!("/threads/initiative/{initiative}/reactions"),
        ))
        .header("mekaar-voter", mekaar_tests::voter_key(1))
        .json(&json!({"text": "Goed plan."})),
    )
    .await;
    assert_eq!(reaction.status, 201, "{reaction:?}");
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    let meeting = call(
        http.post(server.at(&format!(
            "/api/v1/admin/communities/baarlo/initiatives/{initiative}/meetings"
        )))
        .bearer_auth(&admin)
        .json(
            &json!({"title": "Kennismaken", "starts_at": start, "ends_at": start + 3600,
                      "place": "Dorpshuis"}),
        ),
    )
    .await;
    assert_eq!(meeting.status, 201, "{meeting:?}");
    let moderator = make_token(&server, &http, &admin, "moderator").await;
    let poll_editor = make_token(&server, &http, &admin, "poll_editor").await;
    let spare = make_token(&server, &http, &admin, "moderator").await;
    World {
        admin,
        moderator: moderator["admin_token"].as_str().unwrap().into(),
        poll_editor: poll_editor["admin_token"].as_str().unwrap().into(),
        spare_token_id: spare["id"].as_str().unwrap().into(),
        other_admin,
        initiative: submitted.body["initiative"]["id"].as_str().unwrap().into(),
        webhook: hook.body["webhook"]["id"].as_str().unwrap().into(),
        poll: poll.body["poll"]["id"].as_str().unwrap().into(),
        reaction: reaction.body["id"].as_str().unwrap().into(),
        meeting: meeting.body["id"].as_str().unwrap().into(),
        server,
        http,
    }
}

async fn world() -> World {
    world_with(TestServer::builder()).await
}

/// Every admin route of a community: method, address (as in the OpenAPI
/// document), and a valid body, so that a wrongly admitted request would
/// change something.
fn admin_routes() -> Vec<(Method, &'static str, Option<Value>)> {
    let none = None;
    let tomorrow = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    vec![
        (Method::GET, "", none.clone()),
        (Method::PATCH, "", Some(json!({"name": "Overgenomen"}))),
        (Method::GET, "/tokens", none.clone()),
        (
            Method::POST,
            "/tokens",
            Some(json!({"role": "admin", "label": "Indringer"})),
        ),
        (Method::DELETE, "/tokens/{token}", none.clone()),
        (Method::GET, "/export", none.clone()),
        (Method::GET, "/initiatives", none.clone()),
        (Method::POST, "/initiatives", Some(json!({"title": "Spam"}))),
        (Method::GET, "/initiatives/{initiative}", none.clone()),
        (
            Method::PATCH,
            "/initiatives/{initiative}",
            Some(json!({"title": "Gekaapt"})),
        ),
        (
            Method::POST,
            "/initiatives/{initiative}/moderation",
            Some(json!({"action": "hide"})),
        ),
        (
            Method::PUT,
            "/initiatives/{initiative}/answer",
            Some(json!({"text": "Nee.", "answered_by": "Niemand"})),
        ),
        (
            Method::POST,
            "/initiatives/{initiative}/erase",
            Some(json!({"subject": "initiator"})),
        ),
        // The photo's body is the image; a wrongly admitted request would be
        // answered 415 (or 404 for a removal) instead of 401/403.
        (
            Method::PUT,
            "/initiatives/{initiative}/photo",
            Some(json!({"alt": "Gekaapt"})),
        ),
        (
            Method::DELETE,
            "/initiatives/{initiative}/photo",
            none.clone(),
        ),
        (Method::GET, "/audit", none.clone()),
        (Method::GET, "/webhooks", none.clone()),
        (
            Method::POST,
            "/webhooks",
            Some(json!({"url": "http://127.0.0.1:9/x", "events": ["answered"]})),
        ),
        (Method::GET, "/webhooks/deliveries", none.clone()),
        (Method::DELETE, "/webhooks/{webhook}", none.clone()),
        (Method::GET, "/polls", none.clone()),
        (
            Method::POST,
            "/polls",
            Some(json!({"question": "Gekaapt?", "options": ["a", "b"]})),
        ),
        (Method::GET, "/polls/{poll}", none.clone()),
        (
            Method::PATCH,
            "/polls/{poll}",
            Some(json!({"question": "Gekaapt?"})),
        ),
        (
            Method::POST,
            "/polls/{poll}/state",
            Some(json!({"action": "open"})),
        ),
        (
            Method::POST,
            "/polls/{poll}/codes",
            Some(json!({"count": 1})),
        ),
        (Method::GET, "/polls/{poll}/live", none.clone()),
        (Method::GET, "/reactions", none.clone()),
        (
            Method::POST,
            "/reactions/{reaction}/moderate",
            Some(json!({"action": "remove"})),
        ),
        (Method::GET, "/threads/{kind}/{thread}", none.clone()),
        (
            Method::PATCH,
            "/threads/{kind}/{thread}",
            Some(json!({"open": false})),
        ),
        (
            Method::POST,
            "/threads/{kind}/{thread}/reactions",
            Some(json!({"text": "Namens niemand."})),
        ),
        (Method::GET, "/topics", none.clone()),
        (Method::POST, "/topics", Some(json!({"title": "Gekaapt?"}))),
        // Issue 16: meetings, managed by moderators and admins.
        (
            Method::GET,
            "/initiatives/{initiative}/meetings",
            none.clone(),
        ),
        (
            Method::POST,
            "/initiatives/{initiative}/meetings",
            Some(json!({"title": "Gekaapt", "starts_at": tomorrow,
                        "ends_at": tomorrow + 3600, "place": "Nergens"})),
        ),
        (
            Method::PATCH,
            "/meetings/{meeting}",
            Some(json!({"cancelled": true})),
        ),
        // Issue 16: the e-mail counts (read with the settings).
        (Method::GET, "/mail", none.clone()),
        // Issue 16: next steps; every role reads them, admins change them, moderators
        // tick them and read the funnel.
        (Method::GET, "/steps", none.clone()),
        (Method::PUT, "/steps", Some(json!([{"title": "Gekaapt"}]))),
        (Method::GET, "/steps/funnel", none.clone()),
        (Method::GET, "/initiatives/{initiative}/steps", none.clone()),
        (
            Method::PUT,
            "/initiatives/{initiative}/steps/{step}",
            Some(json!({"done": true})),
        ),
    ]
}

/// What each role may do, restated from issue 5 (not from the server).
fn allowed(role: &str, method: &Method, route: &str) -> bool {
    let reads = *method == Method::GET;
    match role {
        "admin" => true,
        "moderator" => {
            route.starts_with("/initiatives")
                // Issue 15: the reactions queue, the municipality's reactions, threads, topics.
                || route.starts_with("/reactions")
                // Issue 16: meetings, the funnel of the next steps.
                || route.starts_with("/meetings")
                || route == "/steps/funnel"
                || route.starts_with("/threads")
                || route == "/topics"
                || (reads && (route.is_empty() || route == "/audit" || route == "/mail" || route == "/steps"))
        }
        "poll_editor" => {
            route.starts_with("/polls")
                // Issue 15: editors open and close discussions and make topics, but
                // neither moderate reactions nor react as the municipality.
                || route == "/threads/{kind}/{thread}"
                || route == "/topics"
                || (reads && (route.is_empty() || route == "/audit" || route == "/mail" || route == "/steps"))
        }
        _ => false,
    }
}

impl World {
    fn url(&self, slug: &str, route: &str) -> String {
        let route = route
            .replace("{token}", &self.spare_token_id)
            .replace("{initiative}", &self.initiative)
            .replace("{webhook}", &self.webhook)
            .replace("{poll}", &self.poll)
            .replace("{kind}", "initiative")
            .replace("{thread}", &self.initiative)
            .replace("{reaction}", &self.reaction)
            .replace("{meeting}", &self.meeting)
            // Refused before the step is looked up; allowed writes are not made here.
            .replace("{step}", "nostep");
        self.server
            .at(&format!("/api/v1/admin/communities/{slug}{route}"))
    }

    fn request(&self, method: &Method, url: &str, body: &Option<Value>) -> RequestBuilder {
        let request = self.http.request(method.clone(), url);
        match body {
            Some(body) => request.json(body),
            None => request,
        }
    }

    /// What the refused requests could have changed, as the admin sees it.
    async fn state(&self) -> Value {
        let get = |route: &str| {
            let request = self
                .http
                .get(self.url("baarlo", route))
                .bearer_auth(&self.admin);
            async move {
                let answer = call(request).await;
                assert_eq!(answer.status, 200, "{answer:?}");
                answer.body
            }
        };
        let mut initiative = get("/initiatives/{initiative}").await;
        // Times of reading are not changes.
        initiative["initiative"]["updated_at"] = Value::Null;
        json!({
            "community": get("").await,
            "tokens": get("/tokens").await,
            "initiatives": get("/initiatives").await["initiatives"].as_array().unwrap().len(),
            "initiative": initiative,
            "audit": get("/audit").await,
            "webhooks": get("/webhooks").await,
            "polls": get("/polls").await,
            "reactions": get("/reactions?queue=all").await,
            "thread": get("/threads/{kind}/{thread}").await,
            "topics": get("/topics").await,
            "meetings": get("/initiatives/{initiative}/meetings").await,
            "steps": get("/steps").await,
        })
    }
}

#[tokio::test]
async fn the_route_table_is_every_admin_route_of_a_community_in_the_document() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let prefix = "/api/v1/admin/communities/{community}";
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(path, item)| Some((path.strip_prefix(prefix)?, item)))
        .flat_map(|(route, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| *m != "parameters")
                .map(move |m| (m.to_ascii_uppercase(), route.to_string()))
        })
        .collect();
    let tested: BTreeSet<(String, String)> = admin_routes()
        .into_iter()
        .map(|(m, route, _)| (m.to_string(), route.to_string()))
        .collect();
    assert_eq!(documented, tested);
}

#[tokio::test]
async fn every_admin_route_refuses_strangers_and_other_communities() {
    let w = world().await;
    let kessel = sign_in(&w.server, &w.http, &w.other_admin).await;
    let before = w.state().await;
    for (method, route, body) in admin_routes() {
        let url = w.url("baarlo", route);
        let what = format!("{method} {route}");
        // No credentials at all.
        call(w.request(&method, &url, &body))
            .await
            .expect_error(401, "unauthorized");
        // Another community's token, and tokens that are not quite right.
        for token in [
            w.other_admin.clone(),
            format!("{}x", w.admin),
            "mk_wrong".into(),
        ] {
            let answer = call(w.request(&method, &url, &body).bearer_auth(&token)).await;
            assert_eq!(answer.status, 401, "{what} with a wrong token: {answer:?}");
            answer.expect_error(401, "unauthorized");
        }
        // Another community's session, even with its CSRF token.
        let answer = call(kessel.send(w.request(&method, &url, &body))).await;
        assert_eq!(
            answer.status, 403,
            "{what} with kessel's session: {answer:?}"
        );
        answer.expect_error(403, "forbidden");
        // A cookie that is no session.
        let answer = call(
            w.request(&method, &url, &body)
                .header(COOKIE, "mekaar_session=0123456789abcdef")
                .header("mekaar-csrf", &kessel.csrf),
        )
        .await;
        answer.expect_error(401, "unauthorized");
        // Admin answers carry no CORS permission for any site.
        assert!(
            answer.header("access-control-allow-origin").is_none(),
            "{what}: {answer:?}"
        );
    }
    // The server-wide addresses take no community token or session at all.
    for (method, path) in [
        (Method::GET, "/api/v1/admin/communities"),
        (Method::POST, "/api/v1/admin/communities"),
        (Method::GET, "/api/v1/admin/export"),
    ] {
        let body = Some(json!({"slug": "venlo", "name": "Venlo"}));
        let url = w.server.at(path);
        call(w.request(&method, &url, &body).bearer_auth(&w.admin))
            .await
            .expect_error(401, "unauthorized");
        let admin = sign_in(&w.server, &w.http, &w.admin).await;
        call(admin.send(w.request(&method, &url, &body)))
            .await
            .expect_error(401, "unauthorized");
    }
    assert_eq!(
        w.state().await,
        before,
        "a refused request changed something"
    );
}

#[tokio::test]
async fn each_role_may_do_exactly_its_part() {
    let w = world().await;
    let roles = [
        ("moderator", w.moderator.clone()),
        ("poll_editor", w.poll_editor.clone()),
    ];
    let before = w.state().await;
    for (role, token) in &roles {
        let console = sign_in(&w.server, &w.http, token).await;
        assert_eq!(console.body["role"], *role);
        assert_eq!(console.body["community"], "baarlo");
        assert_eq!(console.body["community_name"], "Community baarlo");
        for (method, route, body) in admin_routes() {
            let url = w.url("baarlo", route);
            let may = allowed(role, &method, route);
            // Refusals change nothing; of the allowed requests only reads
            // are made here (the writes are tested where they belong).
            if may && method != Method::GET {
                continue;
            }
            for via_session in [true, false] {
                let request = w.request(&method, &url, &body);
                let request = if via_session {
                    console.send(request)
                } else {
                    request.bearer_auth(token)
                };
                let answer = call(request).await;
                let what = format!("{role} {method} {route} (session: {via_session}): {answer:?}");
                if may {
                    assert_eq!(answer.status, 200, "{what}");
                } else {
                    answer.expect_error(403, "forbidden");
                    let message = answer.body["error"]["message"].as_str().unwrap();
                    let subject = if *role == "moderator" {
                        "A moderator may not"
                    } else {
                        "A poll editor may not"
                    };
                    assert!(message.starts_with(subject), "{what}");
                }
            }
        }
    }
    assert_eq!(
        w.state().await,
        before,
        "a refused request changed something"
    );

    // The sentences a moderator and a poll editor meet most.
    let moderator = sign_in(&w.server, &w.http, &w.moderator).await;
    let answer = call(
        moderator.send(
            w.http
                .patch(w.url("baarlo", ""))
                .json(&json!({"name": "Anders"})),
        ),
    )
    .await;
    answer.expect_error(403, "forbidden");
    assert_eq!(
        answer.body["error"]["message"],
        "A moderator may not change community settings."
    );
    let answer = call(moderator.send(w.http.get(w.url("baarlo", "/tokens")))).await;
    assert_eq!(
        answer.body["error"]["message"],
        "A moderator may not manage tokens."
    );
    let editor = sign_in(&w.server, &w.http, &w.poll_editor).await;
    let answer = call(
        editor.send(
            w.http
                .post(w.url("baarlo", "/initiatives/{initiative}/moderation"))
                .json(&json!({"action": "hide"})),
        ),
    )
    .await;
    assert_eq!(
        answer.body["error"]["message"],
        "A poll editor may not moderate initiatives."
    );

    // What they may do, they can: a moderator hides, a poll editor opens
    // the poll; the audit log names each by role and token hash prefix.
    let hidden = call(
        moderator.send(
            w.http
                .post(w.url("baarlo", "/initiatives/{initiative}/moderation"))
                .json(&json!({"action": "hide", "note": "Dubbel"})),
        ),
    )
    .await;
    assert_eq!(hidden.status, 200, "{hidden:?}");
    assert_eq!(hidden.body["moderation"], "hidden");
    let opened = call(
        editor.send(
            w.http
                .post(w.url("baarlo", "/polls/{poll}/state"))
                .json(&json!({"action": "open"})),
        ),
    )
    .await;
    assert_eq!(opened.status, 200, "{opened:?}");
    let audit = call(w.http.get(w.url("baarlo", "/audit")).bearer_auth(&w.admin)).await;
    let actors: Vec<&str> = audit.body.as_array().unwrap()[..2]
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    let tag = |token: &str| secrets::hash_secret(token)[..8].to_string();
    assert_eq!(
        actors,
        [
            format!("poll_editor:{}", tag(&w.poll_editor)),
            format!("moderator:{}", tag(&w.moderator))
        ]
    );
}

#[tokio::test]
async fn admins_manage_tokens_and_a_deleted_token_ends_its_sessions_at_once() {
    let w = world().await;
    let tokens_url = w.url("baarlo", "/tokens");
    let list = call(w.http.get(&tokens_url).bearer_auth(&w.admin)).await;
    assert_eq!(list.status, 200, "{list:?}");
    let tokens = list.body["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 4, "{list:?}");
    let text = list.body.to_string();
    for secret in [&w.admin, &w.moderator, &w.poll_editor] {
        assert!(!text.contains(secret.as_str()), "a token is listed");
        assert!(
            !text.contains(&secrets::hash_secret(secret)),
            "a hash is listed"
        );
    }
    for token in tokens {
        let keys: BTreeSet<&str> = token
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys, BTreeSet::from(["id", "role", "label", "created_at"]));
    }
    assert_eq!(tokens[0]["role"], "admin");

    // A new moderator token: shown once, with its id, role and label.
    let made = call(
        w.http
            .post(&tokens_url)
            .bearer_auth(&w.admin)
            .json(&json!({"role": "moderator", "label": "Marieke"})),
    )
    .await;
    assert_eq!(made.status, 201, "{made:?}");
    assert_eq!(made.body["role"], "moderator");
    assert_eq!(made.body["label"], "Marieke");
    let marieke = made.body["admin_token"].as_str().unwrap().to_string();
    let id = made.body["id"].as_str().unwrap().to_string();
    // Bad roles and labels are refused.
    for body in [
        json!({"role": "owner"}),
        json!({"role": "moderator", "label": "x".repeat(61)}),
        json!({"role": "moderator", "label": "a\nb"}),
    ] {
        call(w.http.post(&tokens_url).bearer_auth(&w.admin).json(&body))
            .await
            .expect_error(400, "invalid_field");
    }

    // Marieke signs in twice (two browsers) and uses her token directly.
    let first = sign_in(&w.server, &w.http, &marieke).await;
    let second = sign_in(&w.server, &w.http, &marieke).await;
    assert_eq!(first.body["label"], "Marieke");
    assert_eq!(first.body["token_id"], id);
    for console in [&first, &second] {
        let me = call(console.send(w.http.get(w.server.at("/api/v1/session")))).await;
        assert_eq!(me.status, 200, "{me:?}");
    }
    // Deleting her token ends both sessions and the token itself, now.
    let deleted = call(
        w.http
            .delete(w.url("baarlo", &format!("/tokens/{id}")))
            .bearer_auth(&w.admin),
    )
    .await;
    assert_eq!(deleted.status, 204, "{deleted:?}");
    for console in [&first, &second] {
        call(console.send(w.http.get(w.server.at("/api/v1/session"))))
            .await
            .expect_error(401, "unauthorized");
        call(console.send(w.http.get(w.url("baarlo", "/initiatives"))))
            .await
            .expect_error(401, "unauthorized");
    }
    call(w.http.get(w.url("baarlo", "")).bearer_auth(&marieke))
        .await
        .expect_error(401, "unauthorized");
    call(
        w.http
            .delete(w.url("baarlo", &format!("/tokens/{id}")))
            .bearer_auth(&w.admin),
    )
    .await
    .expect_error(404, "token_not_found");

    // The last admin token cannot go; with a second admin token it can.
    let admin_id = tokens[0]["id"].as_str().unwrap();
    let own = w.url("baarlo", &format!("/tokens/{admin_id}"));
    call(w.http.delete(&own).bearer_auth(&w.admin))
        .await
        .expect_error(409, "last_admin_token");
    // The role is required: an empty body makes no token.
    call(w.http.post(&tokens_url).bearer_auth(&w.admin))
        .await
        .expect_error(415, "unsupported_media_type");
    let second_admin = call(
        w.http
            .post(&tokens_url)
            .bearer_auth(&w.admin)
            .json(&json!({"role": "admin"})),
    )
    .await;
    assert_eq!(second_admin.status, 201, "{second_admin:?}");
    assert_eq!(second_admin.body["role"], "admin", "the role asked for");
    let second_admin = second_admin.body["admin_token"]
        .as_str()
        .unwrap()
        .to_string();
    let gone = call(w.http.delete(&own).bearer_auth(&second_admin)).await;
    assert_eq!(gone.status, 204, "{gone:?}");
    call(w.http.get(w.url("baarlo", "")).bearer_auth(&w.admin))
        .await
        .expect_error(401, "unauthorized");

    // The audit log names the token changes by role and id only.
    let audit = call(
        w.http
            .get(w.url("baarlo", "/audit"))
            .bearer_auth(&second_admin),
    )
    .await;
    let text = audit.body.to_string();
    assert!(
        text.contains("token_create") && text.contains("token_delete"),
        "{text}"
    );
    assert!(text.contains(&format!("moderator token {id}")), "{text}");
    assert!(
        !text.contains("Marieke"),
        "a label in the audit log: {text}"
    );
}

#[tokio::test]
async fn the_session_cookie_has_its_flags_and_sign_out_ends_the_session() {
    let w = world().await;
    let console = sign_in(&w.server, &w.http, &w.admin).await;
    let flags: Vec<&str> = console.set_cookie.split(';').map(str::trim).collect();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(
            flags.contains(&flag),
            "{flag} missing: {}",
            console.set_cookie
        );
    }
    assert!(!flags.contains(&"Secure"), "http: {}", console.set_cookie);
    // The session id is long and random; the answer tells who and until when.
    let id = console.cookie.trim_start_matches("mekaar_session=");
    assert_eq!(id.len(), 64, "{id}");
    assert_eq!(console.body["role"], "admin");
    let expires = console.body["expires_at"].as_u64().unwrap();
    let now = secrets::now_secs();
    assert!(
        expires > now + 7 * 3600 && expires <= now + 8 * 3600 + 60,
        "{expires}"
    );
    assert_eq!(console.csrf.len(), 64);

    let me = call(console.cookie_only(w.http.get(w.server.at("/api/v1/session")))).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.body, console.body);
    // Reads need no CSRF header: the console may follow a live stream.
    let live = call(console.cookie_only(w.http.get(w.url("baarlo", "/polls/{poll}/live")))).await;
    assert_eq!(live.status, 200, "{live:?}");

    // Signing out needs the CSRF header too.
    call(console.cookie_only(w.http.delete(w.server.at("/api/v1/session"))))
        .await
        .expect_error(403, "csrf_failed");
    let out = call(console.send(w.http.delete(w.server.at("/api/v1/session")))).await;
    assert_eq!(out.status, 204, "{out:?}");
    let cleared = out.header("set-cookie").unwrap();
    assert!(cleared.starts_with("mekaar_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // The old cookie is worth nothing now, wherever it is used.
    call(console.cookie_only(w.http.get(w.server.at("/api/v1/session"))))
        .await
        .expect_error(401, "unauthorized");
    call(console.send(w.http.get(w.url("baarlo", ""))))
        .await
        .expect_error(401, "unauthorized");
    call(console.send(w.http.delete(w.server.at("/api/v1/session"))))
        .await
        .expect_error(401, "unauthorized");
    // Without any cookie there is no session.
    call(w.http.get(w.server.at("/api/v1/session")))
        .await
        .expect_error(401, "unauthorized");
}

#[tokio::test]
async fn signing_in_again_in_the_same_browser_ends_its_old_session() {
    let w = world().await;
    let old = sign_in(&w.server, &w.http, &w.admin).await;
    let again = call(
        w.http
            .post(w.server.at("/api/v1/session"))
            .header(COOKIE, &old.cookie)
            .json(&json!({ "token": w.admin })),
    )
    .await;
    assert_eq!(again.status, 201, "{again:?}");
    let new_cookie = again.header("set-cookie").expect("a new cookie");
    assert!(
        !new_cookie.contains(&old.cookie),
        "the same id again: {new_cookie}"
    );
    call(old.cookie_only(w.http.get(w.server.at("/api/v1/session"))))
        .await
        .expect_error(401, "unauthorized");
}

#[tokio::test]
async fn the_cookie_is_secure_when_the_server_is_reached_over_https() {
    let w = world_with(TestServer::builder().public_url("https://mekaar.example.nl")).await;
    let console = sign_in(&w.server, &w.http, &w.admin).await;
    assert!(
        console.set_cookie.split(';').any(|f| f.trim() == "Secure"),
        "{}",
        console.set_cookie
    );
    // Our origin is the public URL's: a request naming it passes, one
    // naming the address it actually came in on does not.
    let named = call(
        console.send(
            w.http
                .patch(w.url("baarlo", ""))
                .header(ORIGIN, "https://mekaar.example.nl")
                .json(&json!({"name": "Baarlo"})),
        ),
    )
    .await;
    assert_eq!(named.status, 200, "{named:?}");
    call(
        console.send(
            w.http
                .patch(w.url("baarlo", ""))
                .header(ORIGIN, &w.server.url)
                .json(&json!({"name": "Baarlo"})),
        ),
    )
    .await
    .expect_error(403, "csrf_failed");
    let out = call(console.send(w.http.delete(w.server.at("/api/v1/session")))).await;
    assert!(
        out.header("set-cookie").unwrap().contains("Secure"),
        "{out:?}"
    );

    // Behind a trusted proxy, the forwarded scheme says https.
    let p = world_with(TestServer::builder().limits(Limits {
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Limits::default()
    }))
    .await;
    let answer = call(
        p.http
            .post(p.server.at("/api/v1/session"))
            .header("x-forwarded-proto", "https")
            .json(&json!({"token": p.admin})),
    )
    .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    assert!(
        answer.header("set-cookie").unwrap().contains("; Secure"),
        "{answer:?}"
    );
    let plain = sign_in(&p.server, &p.http, &p.admin).await;
    assert!(!plain.set_cookie.contains("Secure"), "{}", plain.set_cookie);
}

#[tokio::test]
async fn a_cross_site_request_with_the_cookie_is_refused_and_changes_nothing() {
    let w = world().await;
    let console = sign_in(&w.server, &w.http, &w.admin).await;
    let before = w.state().await;
    let own_origin = w.server.url.clone();
    let attempts: Vec<(&str, RequestBuilder)> = vec![
        (
            "no CSRF header",
            console.cookie_only(w.http.post(w.url("baarlo", "/initiatives"))),
        ),
        (
            "a wrong CSRF header",
            console
                .cookie_only(w.http.post(w.url("baarlo", "/initiatives")))
                .header("mekaar-csrf", "0".repeat(64)),
        ),
        (
            "another session's CSRF header",
            console
                .cookie_only(w.http.post(w.url("baarlo", "/initiatives")))
                .header(
                    "mekaar-csrf",
                    sign_in(&w.server, &w.http, &w.admin).await.csrf,
                ),
        ),
        (
            "a foreign Origin",
            console
                .send(w.http.post(w.url("baarlo", "/initiatives")))
                .header(ORIGIN, "https://evil.example"),
        ),
        (
            "an opaque Origin",
            console
                .send(w.http.post(w.url("baarlo", "/initiatives")))
                .header(ORIGIN, "null"),
        ),
    ];
    for (why, request) in attempts {
        let answer = call(request.json(&json!({"title": "Via een andere site"}))).await;
        assert_eq!(answer.status, 403, "{why}: {answer:?}");
        answer.expect_error(403, "csrf_failed");
    }
    for (method, route, body) in admin_routes() {
        if method == Method::GET {
            continue;
        }
        let answer = call(
            console
                .cookie_only(w.request(&method, &w.url("baarlo", route), &body))
                .header(ORIGIN, "https://evil.example"),
        )
        .await;
        answer.expect_error(403, "csrf_failed");
    }
    assert_eq!(
        w.state().await,
        before,
        "a cross-site request changed something"
    );

    // From our own origin, with the header, it works.
    let made = call(
        console
            .send(w.http.post(w.url("baarlo", "/initiatives")))
            .header(ORIGIN, &own_origin)
            .json(&json!({"title": "Vanuit de console"})),
    )
    .await;
    assert_eq!(made.status, 201, "{made:?}");
    // A Bearer request carries no ambient authority: no CSRF check.
    let made = call(
        w.http
            .post(w.url("baarlo", "/initiatives"))
            .bearer_auth(&w.admin)
            .header(ORIGIN, "https://evil.example")
            .json(&json!({"title": "Vanuit een script"})),
    )
    .await;
    assert_eq!(made.status, 201, "{made:?}");
    assert!(made.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_network_but_never_the_right_token() {
    // Behind a proxy, so the test can speak from two networks.
    let w = world_with(TestServer::builder().limits(Limits {
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Limits::default()
    }))
    .await;
    let from = |network: &str, token: &str| {
        w.http
            .post(w.server.at("/api/v1/session"))
            .header("x-forwarded-for", network)
            .json(&json!({ "token": token }))
    };
    // Successful sign-ins do not count.
    for _ in 0..12 {
        let answer = call(from("192.0.2.10", &w.admin)).await;
        assert_eq!(answer.status, 201, "{answer:?}");
    }
    for n in 0..10 {
        call(from("192.0.2.10", &format!("mk_guess{n}")))
            .await
            .expect_error(401, "unauthorized");
    }
    // A spent budget slows down wrong tokens…
    let answer = call(from("192.0.2.10", "mk_guess10")).await;
    answer.expect_error(429, "rate_limited");
    let wait: u64 = answer
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // …but never locks out the right token (256 bits: guessing it is hopeless).
    let answer = call(from("192.0.2.10", &w.admin)).await;
    assert_eq!(answer.status, 201, "{answer:?}");
    // Another network's wrong tokens have their own budget.
    call(from("198.51.100.7", "mk_guess11"))
        .await
        .expect_error(401, "unauthorized");
}

#[tokio::test]
async fn a_server_wide_token_cannot_sign_in_to_the_console() {
    let w = world().await;
    let answer = call(
        w.http
            .post(w.server.at("/api/v1/session"))
            .json(&json!({"token": w.server.server_token})),
    )
    .await;
    answer.expect_error(403, "community_token_required");
    assert!(answer.header("set-cookie").is_none());
    let message = answer.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("community"), "{message}");
    // It keeps working as Bearer, for everything.
    let export = call(
        w.http
            .get(w.url("baarlo", "/export"))
            .bearer_auth(&w.server.server_token),
    )
    .await;
    assert_eq!(export.status, 200, "{export:?}");
    // Bad sign-in bodies get clear errors, not a session.
    for (body, status, code) in [
        (json!({"token": ""}), 401, "unauthorized"),
        (json!({}), 400, "invalid_field"),
        (json!({"token": "x".repeat(5000)}), 401, "unauthorized"),
    ] {
        call(w.http.post(w.server.at("/api/v1/session")).json(&body))
            .await
            .expect_error(status, code);
    }
}

#[tokio::test]
async fn sessions_survive_a_restart_and_an_expired_one_is_refused() {
    let w = world().await;
    let console = sign_in(&w.server, &w.http, &w.moderator).await;
    let expiring = sign_in(&w.server, &w.http, &w.poll_editor).await;
    let server = w.server.restart().await;
    let http = http_client();
    let me = call(console.cookie_only(http.get(server.at("/api/v1/session")))).await;
    assert_eq!(me.status, 200, "a restart signed the moderator out: {me:?}");

    // Age the poll editor's session past its end, in the store.
    let token = server.server_token.clone();
    let dir = server.stop().await;
    {
        let store = mekaar_tests::open_store(dir.path()).await;
        let id = expiring.cookie.trim_start_matches("mekaar_session=");
        let mut session: Session = store
            .session_get(id)
            .unwrap()
            .expect("stored under the hash of its id");
        session.expires_at = secrets::now_secs() - 1;
        store.session_put(id, &session).unwrap();
        store.flush_blocking().unwrap();
        store.close();
    }
    let server = TestServer::builder().data_dir(dir, token).start().await;
    call(expiring.cookie_only(http.get(server.at("/api/v1/session"))))
        .await
        .expect_error(401, "unauthorized");
    call(expiring.cookie_only(http.get(server.at("/api/v1/admin/communities/baarlo/polls"))))
        .await
        .expect_error(401, "unauthorized");
    let me = call(console.cookie_only(http.get(server.at("/api/v1/session")))).await;
    assert_eq!(me.status, 200, "{me:?}");
}

/// Settings and webhooks are the community's own business too: who changed which
/// setting from what to what, and who added or removed a webhook, is in the audit log.
#[tokio::test]
async fn settings_and_webhook_changes_are_in_the_audit_log() {
    let w = world().await;
    let tag = |token: &str| secrets::hash_secret(token)[..8].to_string();
    let audit = |limit: u32| {
        call(
            w.http
                .get(w.url("baarlo", &format!("/audit?limit={limit}")))
                .bearer_auth(&w.admin),
        )
    };

    let changed = call(
        w.http
            .patch(w.url("baarlo", ""))
            .bearer_auth(&w.admin)
            .json(&json!({"name": "Baarlo aan de Maas", "retention_days": 365, "support_threshold": 50})),
    )
    .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let entry = audit(1).await.body[0].clone();
    assert_eq!(entry["action"], "settings", "{entry}");
    assert_eq!(entry["actor"], format!("admin:{}", tag(&w.admin)));
    // Only what changed (the threshold was 50 already), with its old and new value.
    let names: BTreeSet<&str> = entry["note"].as_str().unwrap().split(", ").collect();
    assert_eq!(names, BTreeSet::from(["name", "retention_days"]), "{entry}");
    assert_eq!(
        entry["before"],
        json!({"name": "Community baarlo", "retention_days": null})
    );
    assert_eq!(
        entry["after"],
        json!({"name": "Baarlo aan de Maas", "retention_days": 365})
    );

    // Saving the same settings again changes nothing and logs nothing.
    let before = audit(100).await.body.as_array().unwrap().len();
    let same = call(
        w.http
            .patch(w.url("baarlo", ""))
            .bearer_auth(&w.admin)
            .json(&json!({"name": "Baarlo aan de Maas"})),
    )
    .await;
    assert_eq!(same.status, 200, "{same:?}");
    assert_eq!(audit(100).await.body.as_array().unwrap().len(), before);

    let added = call(
        w.http
            .post(w.url("baarlo", "/webhooks"))
            .bearer_auth(&w.admin)
            .json(&json!({"url": "https://zaken.example.nl/hooks/geheim-pad-123?token=abc", "events": ["submitted"]})),
    )
    .await;
    assert_eq!(added.status, 201, "{added:?}");
    let id = added.body["webhook"]["id"].as_str().unwrap().to_string();
    let removed = call(
        w.http
            .delete(w.url("baarlo", &format!("/webhooks/{id}")))
            .bearer_auth(&w.admin),
    )
    .await;
    assert_eq!(removed.status, 204, "{removed:?}");
    let log = audit(2).await.body;
    let entries: Vec<(&str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["note"].as_str().unwrap()))
        .collect();
    // Only the receiving site: the path and query may hold a credential, and moderators
    // and poll editors read this log too.
    assert_eq!(
        entries,
        [
            ("webhook_delete", "https://zaken.example.nl"),
            ("webhook_create", "https://zaken.example.nl")
        ],
        "{log}"
    );
    let text = log.to_string();
    let secret = added.body["secret"].as_str().unwrap();
    assert!(!secret.is_empty());
    for hidden in [secret, "geheim-pad-123", "token=abc"] {
        assert!(!text.contains(hidden), "{hidden} in the log: {text}");
    }
}
