//! Privacy (issue 5), against the real server: a moderator erases an
//! initiator's or a joiner's personal data on request, and then it is gone
//! from the admin view, the initiator's page, the feeds and the exports,
//! while the audit log records the erasure without the data; a community's
//! retention setting erases the personal data of initiatives that ended
//! long enough ago, and only of those.

use mekaar_api::InitiativeStatus;
use mekaar_server::secrets;
use mekaar_server::{communities, initiatives, privacy};
use mekaar_tests::{call, call_expecting, http_client, voter_key, TestServer, VOTER_HEADER};
use reqwest::header::COOKIE;
use reqwest::{Client, RequestBuilder};
use serde_json::{json, Value};

const DAY: u64 = 24 * 3600;

async fn error_code(request: RequestBuilder, status: u16) -> String {
    let body = call_expecting(request, status).await;
    body["error"]["code"].as_str().unwrap_or("").to_string()
}

struct Community {
    admin: String,
    moderator: String,
    poll_editor: String,
}

async fn community(server: &TestServer, http: &Client, slug: &str) -> Community {
    let admin = server.create_community(slug, &[]).await.admin_token;
    let token = |role: &'static str| {
        let request = http
            .post(server.at(&format!("/api/v1/admin/communities/{slug}/tokens")))
            .bearer_auth(&admin)
            .json(&json!({ "role": role }));
        async move {
            call_expecting(request, 201).await["admin_token"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    Community {
        moderator: token("moderator").await,
        poll_editor: token("poll_editor").await,
        admin,
    }
}

/// A resident's initiative with an e-mail address, and two joiners.
/// Returns its id and manage token.
async fn initiative_with_joiners(
    server: &TestServer,
    http: &Client,
    slug: &str,
    initiator: &str,
    joiners: [&str; 2],
) -> (String, String) {
    let email = format!("{}@example.nl", initiator.to_lowercase().replace(' ', "."));
    let submitted = call_expecting(
        http.post(server.community_url(slug, "/initiatives"))
            .json(&json!({
                "title": "Een plan voor het plein",
                "summary": "Een plan voor het dorp.",
                "initiator_name": initiator,
                "contact_email": email,
            })),
        201,
    )
    .await;
    let id = submitted["initiative"]["id"].as_str().unwrap().to_string();
    for (n, name) in joiners.iter().enumerate() {
        call_expecting(
            http.post(server.community_url(slug, &format!("/initiatives/{id}/join")))
                .header(VOTER_HEADER, voter_key(n as u64 + 1))
                .json(&json!({
                    "name": name,
                    "contact": format!("{}@example.nl", name.to_lowercase().replace(' ', ".")),
                    "message": format!("{name} brengt een schep mee"),
                    "consent": true,
                })),
            200,
        )
        .await;
    }
    (id, submitted["manage_token"].as_str().unwrap().to_string())
}

/// An export with the values of set members decoded where they are hex
/// (version 1 files, or a version 2 `value_hex`), so that join details can
/// be searched for (version 2 writes them as plain JSON).
fn readable(export: &Value) -> String {
    let text = export.as_str().expect("an export is text");
    let mut out = text.to_string();
    for line in text.lines() {
        let line: Value = serde_json::from_str(line).expect("a JSON line");
        let hex = line.get("set").and(line["value"].as_str());
        if let Some(hex) = hex.or(line["value_hex"].as_str()) {
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            out.push('\n');
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

fn admin_url(server: &TestServer, slug: &str, rest: &str) -> String {
    server.at(&format!("/api/v1/admin/communities/{slug}{rest}"))
}

#[tokio::test]
async fn erased_personal_data_are_gone_everywhere_and_the_erasure_is_audited() {
    let server = TestServer::start().await;
    let http = http_client();
    let c = community(&server, &http, "baarlo").await;
    // A webhook that never answers keeps the `submitted` event (with the
    // initiator's name) waiting in the outbox.
    call_expecting(
        http.post(admin_url(&server, "baarlo", "/webhooks"))
            .bearer_auth(&c.admin)
            .json(&json!({"url": "http://127.0.0.1:9/hook", "events": ["submitted"]})),
        201,
    )
    .await;
    let (id, manage) = initiative_with_joiners(
        &server,
        &http,
        "baarlo",
        "Anja Jansen",
        ["Piet Peters", "Klaas Kok"],
    )
    .await;
    let url = |rest: &str| admin_url(&server, "baarlo", &format!("/initiatives/{id}{rest}"));

    // The moderator works in the console.
    let signed_in = http
        .post(server.at("/api/v1/session"))
        .json(&json!({"token": c.moderator}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 201);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = signed_in.json::<Value>().await.unwrap()["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    let console =
        |request: RequestBuilder| request.header(COOKIE, &cookie).header("mekaar-csrf", &csrf);

    let view = call_expecting(console(http.get(url(""))), 200).await;
    assert_eq!(view["initiative"]["initiator_name"], "Anja Jansen");
    assert_eq!(view["contact_email"], "anja.jansen@example.nl");
    let joins = view["joins"].as_array().unwrap();
    assert_eq!(joins.len(), 2);
    let piet = joins
        .iter()
        .find(|j| j["name"] == "Piet Peters")
        .expect("Piet joined");
    let piet_id = piet["id"].as_str().unwrap().to_string();
    assert_eq!(piet["erased"], false);

    // A poll editor may not; unknown joiners and bad requests are refused.
    let erase = |who: Value| http.post(url("/erase")).json(&who);
    assert_eq!(
        error_code(
            erase(json!({"subject": "initiator"})).bearer_auth(&c.poll_editor),
            403
        )
        .await,
        "forbidden"
    );
    assert_eq!(
        error_code(
            console(erase(
                json!({"subject": "joiner", "joiner": "0000000000000000"})
            )),
            404
        )
        .await,
        "joiner_not_found"
    );
    for bad in [
        json!({"subject": "joiner"}),
        json!({"subject": "everyone"}),
        json!({"subject": "initiator", "joiner": piet_id}),
    ] {
        assert_eq!(error_code(console(erase(bad)), 400).await, "invalid_field");
    }
    assert_eq!(
        error_code(
            console(
                http.post(admin_url(&server, "baarlo", "/initiatives/nope/erase"))
                    .json(&json!({"subject": "initiator"}))
            ),
            404
        )
        .await,
        "initiative_not_found"
    );

    // Piet asks to be forgotten.
    let after = call_expecting(
        console(erase(json!({"subject": "joiner", "joiner": piet_id}))),
        200,
    )
    .await;
    let joins = after["joins"].as_array().unwrap();
    let erased = joins.iter().find(|j| j["id"] == piet_id.as_str()).unwrap();
    assert_eq!(erased["erased"], true);
    assert_eq!(
        (&erased["name"], &erased["contact"], &erased["message"]),
        (&json!(""), &json!(""), &json!(""))
    );
    let klaas = joins.iter().find(|j| j["id"] != piet_id.as_str()).unwrap();
    assert_eq!(klaas["name"], "Klaas Kok");
    assert_eq!(klaas["erased"], false);
    // His join still counts; the initiator no longer sees him.
    assert_eq!(after["initiative"]["join_count"], 2);
    let managed = call_expecting(
        http.get(server.community_url("baarlo", &format!("/initiatives/{id}/manage")))
            .header(mekaar_api::MANAGE_HEADER, &manage),
        200,
    )
    .await;
    let names: Vec<&str> = managed["joins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Klaas Kok"]);

    // Anja asks too.
    let after = call_expecting(console(erase(json!({"subject": "initiator"}))), 200).await;
    assert_eq!(after["initiative"]["initiator_name"], "");
    assert_eq!(after["contact_email"], Value::Null);
    assert!(after["initiator_erased_at"].as_u64().is_some(), "{after}");
    // The initiative itself stays as it was for the public.
    assert_eq!(after["initiative"]["title"], "Een plan voor het plein");
    assert_eq!(after["initiative"]["summary"], "Een plan voor het dorp.");

    // Gone from everything the server hands out.
    let public = call_expecting(
        http.get(server.community_url("baarlo", &format!("/initiatives/{id}"))),
        200,
    )
    .await;
    assert_eq!(public["initiator_name"], "");
    let feeds = [
        call_expecting(http.get(server.community_url("baarlo", "/feed.json")), 200).await,
        call_expecting(http.get(server.community_url("baarlo", "/feed.atom")), 200).await,
    ];
    let exports = [
        call_expecting(
            http.get(admin_url(&server, "baarlo", "/export"))
                .bearer_auth(&c.admin),
            200,
        )
        .await,
        call_expecting(
            http.get(server.at("/api/v1/admin/export"))
                .bearer_auth(&server.server_token),
            200,
        )
        .await,
    ];
    let audit = call_expecting(
        http.get(admin_url(&server, "baarlo", "/audit"))
            .bearer_auth(&c.moderator),
        200,
    )
    .await;
    let personal = [
        "Anja Jansen",
        "anja.jansen@example.nl",
        "Piet Peters",
        "piet.peters@example.nl",
        "Piet Peters brengt",
    ];
    for (what, text) in [
        ("the JSON feed", feeds[0].to_string()),
        ("the Atom feed", feeds[1].to_string()),
        ("the community export", readable(&exports[0])),
        ("the server export", readable(&exports[1])),
        ("the audit log", audit.to_string()),
    ] {
        for data in personal {
            assert!(!text.contains(data), "{data} is still in {what}");
        }
    }
    // Klaas did not ask: his details stay (with the initiator and moderators).
    assert!(
        readable(&exports[0]).contains("klaas.kok@example.nl"),
        "Klaas was erased too"
    );

    // The audit log says who erased what, not whose data it was.
    let entries = audit.as_array().unwrap();
    let moderator = format!("moderator:{}", &secrets::hash_secret(&c.moderator)[..8]);
    let initiator = &entries[0];
    assert_eq!(initiator["action"], "erase_initiator");
    assert_eq!(initiator["actor"], moderator.as_str());
    assert_eq!(initiator["initiative"], id.as_str());
    let joiner = &entries[1];
    assert_eq!(joiner["action"], "erase_joiner");
    assert_eq!(joiner["actor"], moderator.as_str());
    assert!(
        joiner["note"].as_str().unwrap().contains(&piet_id),
        "{joiner}"
    );

    // Erasing again is harmless, and says there was nothing left.
    let again = call_expecting(console(erase(json!({"subject": "initiator"}))), 200).await;
    assert_eq!(again["initiative"]["initiator_name"], "");
    let audit = call_expecting(
        http.get(admin_url(&server, "baarlo", "/audit?limit=1"))
            .bearer_auth(&c.admin),
        200,
    )
    .await;
    assert!(
        audit[0]["note"].as_str().unwrap().contains("nothing"),
        "{audit}"
    );
}

#[tokio::test]
async fn retention_erases_the_personal_data_of_initiatives_that_ended_long_enough_ago() {
    let server = TestServer::start().await;
    let http = http_client();
    let kessel = community(&server, &http, "kessel").await;
    let keeps = community(&server, &http, "helden").await;
    let settings = admin_url(&server, "kessel", "");

    // The setting, through the community's settings.
    let current = call_expecting(http.get(&settings).bearer_auth(&kessel.admin), 200).await;
    assert_eq!(current["retention_days"], Value::Null);
    for bad in [json!(0), json!(3651), json!("30"), json!(-1)] {
        assert_eq!(
            error_code(
                http.patch(&settings)
                    .bearer_auth(&kessel.admin)
                    .json(&json!({ "retention_days": bad })),
                400
            )
            .await,
            "invalid_field",
            "{bad}"
        );
    }
    assert_eq!(
        error_code(
            http.patch(&settings)
                .bearer_auth(&kessel.moderator)
                .json(&json!({"retention_days": 30})),
            403
        )
        .await,
        "forbidden"
    );
    for days in [json!(7), Value::Null, json!(30)] {
        let changed = call_expecting(
            http.patch(&settings)
                .bearer_auth(&kessel.admin)
                .json(&json!({ "retention_days": days })),
            200,
        )
        .await;
        assert_eq!(changed["retention_days"], days);
    }
    // Changing something else leaves it.
    let changed = call_expecting(
        http.patch(&settings)
            .bearer_auth(&kessel.admin)
            .json(&json!({"name": "Kessel"})),
        200,
    )
    .await;
    assert_eq!(changed["retention_days"], 30);

    // Realised, stopped, still in progress; and a realised one in a
    // community that keeps personal data.
    let mut ids = Vec::new();
    for (slug, token, initiator, status) in [
        ("kessel", &kessel.moderator, "Anja Jansen", "realised"),
        ("kessel", &kessel.moderator, "Bert Bos", "stopped"),
        ("kessel", &kessel.moderator, "Carla Cox", "in_progress"),
        ("helden", &keeps.moderator, "Dirk Dam", "realised"),
    ] {
        let (id, _) =
            initiative_with_joiners(&server, &http, slug, initiator, ["Eva Eik", "Frank Fok"])
                .await;
        let edited = call_expecting(
            http.patch(admin_url(&server, slug, &format!("/initiatives/{id}")))
                .bearer_auth(token)
                .json(&json!({ "status": status })),
            200,
        )
        .await;
        assert_eq!(edited["initiative"]["status"], status);
        ids.push((slug, id, initiator));
    }

    // One more, realised in kessel, whose end the server's own task finds past its term.
    let (late, _) = initiative_with_joiners(
        &server,
        &http,
        "kessel",
        "Gijs Goor",
        ["Hanna Hof", "Ivo Ijs"],
    )
    .await;
    call_expecting(
        http.patch(admin_url(
            &server,
            "kessel",
            &format!("/initiatives/{late}"),
        ))
        .bearer_auth(&kessel.moderator)
        .json(&json!({"status": "realised"})),
        200,
    )
    .await;

    // The hourly task's work, at chosen moments (days from now).
    let token = server.server_token.clone();
    let dir = server.stop().await;
    {
        let store = mekaar_tests::open_store(dir.path()).await;
        let now = secrets::now_secs();
        // The late one stays out of the chosen moments (in progress for now), though it
        // ended 31 days ago.
        let community = communities::get(&store, "kessel").unwrap();
        let set_late = |status: InitiativeStatus| {
            let mut record = initiatives::get(&store, &community, &late).unwrap();
            assert_eq!(record.initiator_name, "Gijs Goor");
            record.final_status_at = Some(now - 31 * DAY);
            record.status = status;
            store.initiative_put(&record).unwrap();
        };
        set_late(InitiativeStatus::InProgress);
        assert_eq!(privacy::apply_retention(&store, now).unwrap(), 0);
        assert_eq!(
            privacy::apply_retention(&store, now + 29 * DAY).unwrap(),
            0,
            "erased before 30 days"
        );
        assert_eq!(privacy::apply_retention(&store, now + 31 * DAY).unwrap(), 2);
        // Once is enough: nothing left, nothing audited again.
        assert_eq!(privacy::apply_retention(&store, now + 32 * DAY).unwrap(), 0);
        set_late(InitiativeStatus::Realised);
        store.flush_blocking().unwrap();
        store.close();
    }
    let server = TestServer::builder().data_dir(dir, token).start().await;
    // The running server erases it by itself (its cleanup runs at start, then hourly).
    let late_url = admin_url(&server, "kessel", &format!("/initiatives/{late}"));
    let mut erased = false;
    for _ in 0..100 {
        let view = call_expecting(http.get(&late_url).bearer_auth(&kessel.admin), 200).await;
        if view["initiative"]["initiator_name"] == "" && view["joins"][0]["name"] == "" {
            erased = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        erased,
        "the server's own retention task did not erase {late}"
    );
    for (slug, id, initiator) in &ids {
        let admin = if *slug == "kessel" {
            &kessel.admin
        } else {
            &keeps.admin
        };
        let view = call_expecting(
            http.get(admin_url(&server, slug, &format!("/initiatives/{id}")))
                .bearer_auth(admin),
            200,
        )
        .await;
        let ended = *slug == "kessel" && *initiator != "Carla Cox";
        let names: Vec<&str> = view["joins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["name"].as_str().unwrap())
            .collect();
        if ended {
            assert_eq!(view["initiative"]["initiator_name"], "", "{initiator}");
            assert_eq!(view["contact_email"], Value::Null, "{initiator}");
            assert_eq!(names, ["", ""], "{initiator}");
            assert_eq!(view["initiative"]["join_count"], 2);
        } else {
            assert_eq!(view["initiative"]["initiator_name"], *initiator);
            assert!(view["contact_email"].is_string(), "{initiator}");
            assert_eq!(names.len(), 2);
            assert!(
                names.iter().all(|n| !n.is_empty()),
                "{initiator}: {names:?}"
            );
        }
    }
    let audit = call_expecting(
        http.get(admin_url(&server, "kessel", "/audit"))
            .bearer_auth(&kessel.admin),
        200,
    )
    .await;
    let by_retention: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == "retention")
        .collect();
    assert_eq!(by_retention.len(), 3, "{audit}");
    let mut joiners: Vec<&str> = by_retention
        .iter()
        .map(|entry| {
            assert_eq!(entry["action"], "erase_personal_data");
            entry["note"]
                .as_str()
                .unwrap()
                .rsplit(": the initiator, ")
                .next()
                .unwrap()
        })
        .collect();
    joiners.sort_unstable();
    assert_eq!(joiners, ["2 joiner(s)"; 3], "{audit}");
    let text = audit.to_string();
    for name in [
        "Anja Jansen",
        "Bert Bos",
        "Eva Eik",
        "Gijs Goor",
        "Hanna Hof",
        "Ivo Ijs",
    ] {
        assert!(!text.contains(name), "{name} in the audit log");
    }
}

/// Every file below `dir` that holds `needle` anywhere in its bytes.
fn files_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("a readable directory") {
                stack.push(entry.expect("an entry").path());
            }
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test]
async fn erased_data_and_deleted_webhook_secrets_leave_no_byte_in_the_data_directory() {
    // The server sends e-mail, to an SMTP server that is down: the joiner's
    // subscription and the mails to them and to the initiator stay queued.
    let mail = mekaar_server::mail::MailSettings {
        smtp_url: Some(format!(
            "smtp://127.0.0.1:{}",
            mekaar_tests::bench::free_loopback_port().unwrap()
        )),
        from: Some("Mekaar <mekaar@example.nl>".into()),
        ..Default::default()
    };
    let server = TestServer::builder().mail(mail).start().await;
    let town = mekaar_tests::Town::start(server, "baarlo", &[]).await;
    // Values found nowhere else, so a find means them.
    let initiator = "Initiatiefnemer Qwzxkvbjyp";
    let email = "qwzxkvbjyp@example.nl";
    let joiner = "Deelnemer Jyqxzvwkpf";
    let contact = "jyqxzvwkpf@example.nl";
    let message = "Bericht Vkzqxwjypb";
    let mine = town
        .submit_ok(&json!({
            "title": "Een AED bij de kerk",
            "summary": "Voor het hele dorp.",
            "initiator_name": initiator,
            "contact_email": email,
        }))
        .await;
    town.moderate(&mine.id, "approve").await.expect_ok();
    // More versions of the records in sled's log: an edit, an answer.
    town.admin_edit(
        &mine.id,
        &json!({"summary": "Voor het hele dorp, ook 's nachts."}),
    )
    .await
    .expect_ok();
    town.answer(&mine.id, "We kijken ernaar.", "De gemeente")
        .await
        .expect_ok();
    town.join(
        &mine.id,
        &"d".repeat(32),
        &json!({"name": joiner, "contact": contact, "message": message, "consent": true,
                "keep_informed": true}),
    )
    .await
    .expect_ok();
    let mail_counts = call(
        town.http
            .get(town.admin_url("/mail"))
            .bearer_auth(&town.token),
    )
    .await;
    // The initiator's manage link and the subscriber's confirmation.
    assert_eq!(mail_counts.expect_ok()["queued"], 2);
    let hook = town
        .add_hook("https://hooks.example.nl/mekaar", &["submitted"])
        .await;
    // Reactions: one removed by a moderator (text, name and its report go), one
    // whose name alone is erased; each edited first, for older versions in the log.
    let reaction_text = "Reactie Zqxwvkjypm";
    let reaction_name = "Reageerder Kxqzwvjypb";
    let report_reason = "Reden Wqzxkvpjyb";
    let kept_name = "Naam Pzqxwkvjyb";
    let removed = town
        .react(
            "initiative",
            &mine.id,
            &"e".repeat(32),
            &json!({"text": format!("{reaction_text} eerst"), "name": reaction_name}),
        )
        .await
        .expect_status(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        town.http
            .patch(town.reaction_url(&removed, ""))
            .header(mekaar_tests::VOTER_HEADER, "e".repeat(32))
            .json(&json!({ "text": reaction_text })),
    )
    .await
    .expect_ok();
    town.report_reaction(&removed, &"f".repeat(32), report_reason)
        .await
        .expect_ok();
    let renamed = town
        .react(
            "initiative",
            &mine.id,
            &"a".repeat(32),
            &json!({"text": "Een gewone reactie", "name": kept_name}),
        )
        .await
        .expect_status(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    town.moderate_reaction(&removed, "remove").await.expect_ok();
    town.moderate_reaction(&renamed, "erase_name")
        .await
        .expect_ok();

    let view = town.admin_view(&mine.id).await;
    let view = view.expect_ok();
    assert_eq!(view["initiative"]["initiator_name"], initiator);
    let joiner_id = view["joins"][0]["id"].as_str().unwrap().to_string();

    let erase = |body: Value| {
        town.http
            .post(town.admin_url(&format!("/initiatives/{}/erase", mine.id)))
            .bearer_auth(&town.token)
            .json(&body)
    };
    call(erase(json!({"subject": "initiator"})))
        .await
        .expect_ok();
    call(erase(json!({"subject": "joiner", "joiner": joiner_id})))
        .await
        .expect_ok();
    let mail_counts = call(
        town.http
            .get(town.admin_url("/mail"))
            .bearer_auth(&town.token),
    )
    .await;
    assert_eq!(
        mail_counts.expect_ok()["queued"],
        0,
        "erasure empties their mails"
    );
    call(
        town.http
            .delete(town.admin_url(&format!("/webhooks/{}", hook.id)))
            .bearer_auth(&town.token),
    )
    .await;

    let mine_id = mine.id.clone();
    let (server_token, http, slug, token) = (
        town.server.server_token.clone(),
        town.http.clone(),
        town.slug.clone(),
        town.token.clone(),
    );
    let dir = town.server.stop().await;
    // Under PostgreSQL: its database's files and the WAL instead.
    let scanned = mekaar_tests::postgres_files(dir.path())
        .await
        .unwrap_or_else(|| vec![dir.path().to_path_buf()]);
    for value in [
        initiator,
        email,
        joiner,
        contact,
        message,
        hook.secret.as_str(),
        reaction_text,
        reaction_name,
        report_reason,
        kept_name,
    ] {
        let found: Vec<String> = scanned
            .iter()
            .flat_map(|path| files_holding(path, value.as_bytes()))
            .collect();
        assert!(found.is_empty(), "{value:?} is still in {found:?}");
    }
    // Nothing else went: the initiative, its story and its counts are whole.
    let server = TestServer::builder()
        .data_dir(dir, server_token)
        .start()
        .await;
    let town = mekaar_tests::Town {
        server,
        http,
        slug,
        token,
    };
    let detail = town.detail(&mine_id).await;
    let detail = detail.expect_ok();
    assert_eq!(detail["summary"], "Voor het hele dorp, ook 's nachts.");
    assert_eq!(detail["join_count"], 1);
    assert_eq!(detail["initiator_name"], "");
}
