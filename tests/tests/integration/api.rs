//! Integration tests of the HTTP API against the real server (ephemeral
//! port, temporary data directory), spoken to over plain HTTP.
//!
//! Every test asserts what a resident, a webmaster or an admin would notice:
//! the status, the stable error code, a readable message, and the counts.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use mekaar_tests::{call, http_client, voter_key, Answer, TestServer, VOTER_HEADER};
use reqwest::header::{ALLOW, CONTENT_TYPE, ORIGIN, VARY};
use reqwest::{Client, Method, RequestBuilder};
use serde_json::{json, Value};
use tokio::sync::Barrier;

const ALLOWED: &str = "https://www.baarlo.nl";
const REFUSED: &str = "https://evil.example";

/// A server with one community (allowing [`ALLOWED`]) and one initiative.
struct Fixture {
    server: TestServer,
    http: Client,
    slug: String,
    token: String,
    initiative: String,
}

async fn fixture() -> Fixture {
    let server = TestServer::start().await;
    let created = server.create_community("baarlo", &[ALLOWED]).await;
    let initiative = server
        .create_initiative("baarlo", &created.admin_token, "Jeu de boules-baan")
        .await;
    Fixture {
        http: http_client(),
        slug: "baarlo".into(),
        token: created.admin_token,
        initiative: initiative.id,
        server,
    }
}

impl Fixture {
    fn support_url(&self) -> String {
        self.server.support_url(&self.slug, &self.initiative)
    }

    fn initiative_url(&self) -> String {
        self.server
            .community_url(&self.slug, &format!("/initiatives/{}", self.initiative))
    }

    async fn support_action(&self, method: Method, voter: &str) -> Answer {
        call(
            self.http
                .request(method, self.support_url())
                .header(VOTER_HEADER, voter),
        )
        .await
    }

    async fn put(&self, voter: &str) -> Answer {
        self.support_action(Method::PUT, voter).await
    }

    async fn delete(&self, voter: &str) -> Answer {
        self.support_action(Method::DELETE, voter).await
    }

    async fn state(&self, voter: &str) -> Answer {
        self.support_action(Method::GET, voter).await
    }

    /// The count as the public initiative page shows it.
    async fn public_count(&self) -> u64 {
        let answer = call(self.http.get(self.initiative_url())).await;
        answer.expect_ok()["support_count"]
            .as_u64()
            .expect("support_count is a number")
    }

    fn admin_url(&self, rest: &str) -> String {
        self.server.at(&format!("/api/v1/admin/communities{rest}"))
    }
}

fn support_state(supported: bool, count: u64) -> Value {
    json!({"supported": supported, "support_count": count})
}

// ---------------------------------------------------------------- support

#[tokio::test]
async fn support_and_withdraw() {
    let f = fixture().await;
    let me = voter_key(1);
    let neighbour = voter_key(2);

    assert_eq!(*f.state(&me).await.expect_ok(), support_state(false, 0));
    assert_eq!(f.public_count().await, 0);

    assert_eq!(*f.put(&me).await.expect_ok(), support_state(true, 1));
    assert_eq!(*f.state(&me).await.expect_ok(), support_state(true, 1));
    // Another resident sees the count but not a pressed button.
    assert_eq!(
        *f.state(&neighbour).await.expect_ok(),
        support_state(false, 1)
    );
    assert_eq!(f.public_count().await, 1);

    // The list of initiatives shows the same count.
    let list = call(f.http.get(f.server.community_url(&f.slug, "/initiatives"))).await;
    let initiatives = list.expect_ok()["initiatives"].as_array().unwrap().clone();
    assert_eq!(initiatives.len(), 1);
    assert_eq!(initiatives[0]["id"], f.initiative.as_str());
    assert_eq!(initiatives[0]["support_count"], 1);

    assert_eq!(*f.delete(&me).await.expect_ok(), support_state(false, 0));
    assert_eq!(*f.state(&me).await.expect_ok(), support_state(false, 0));
    assert_eq!(f.public_count().await, 0);
}

#[tokio::test]
async fn support_is_idempotent_and_never_negative() {
    let f = fixture().await;
    let me = voter_key(1);
    let other = voter_key(2);
    let stranger = voter_key(3);

    // Pressing twice counts once.
    assert_eq!(*f.put(&me).await.expect_ok(), support_state(true, 1));
    assert_eq!(*f.put(&me).await.expect_ok(), support_state(true, 1));
    assert_eq!(f.public_count().await, 1);

    // Withdrawing a support you never gave does not take away someone else's.
    assert_eq!(
        *f.delete(&stranger).await.expect_ok(),
        support_state(false, 1)
    );
    assert_eq!(*f.state(&me).await.expect_ok(), support_state(true, 1));

    // Withdrawing twice leaves 0, and never goes below it.
    assert_eq!(*f.delete(&me).await.expect_ok(), support_state(false, 0));
    assert_eq!(*f.delete(&me).await.expect_ok(), support_state(false, 0));
    assert_eq!(
        *f.delete(&stranger).await.expect_ok(),
        support_state(false, 0)
    );
    assert_eq!(f.public_count().await, 0);

    // The counter still works normally afterwards.
    assert_eq!(*f.put(&other).await.expect_ok(), support_state(true, 1));
    assert_eq!(*f.put(&me).await.expect_ok(), support_state(true, 2));
    assert_eq!(f.public_count().await, 2);
}

#[tokio::test]
async fn supports_of_initiatives_and_communities_are_separate() {
    let f = fixture().await;
    let second = f
        .server
        .create_initiative(&f.slug, &f.token, "Buurtmoestuin")
        .await;
    let elsewhere = f.server.create_community("oldebroek", &[]).await;
    let far = f
        .server
        .create_initiative("oldebroek", &elsewhere.admin_token, "Jeu de boules-baan")
        .await;
    let me = voter_key(7);

    f.put(&me).await.expect_ok();
    let second_state = call(
        f.http
            .get(f.server.support_url(&f.slug, &second.id))
            .header(VOTER_HEADER, &me),
    )
    .await;
    assert_eq!(*second_state.expect_ok(), support_state(false, 0));
    let far_state = call(
        f.http
            .get(f.server.support_url("oldebroek", &far.id))
            .header(VOTER_HEADER, &me),
    )
    .await;
    assert_eq!(*far_state.expect_ok(), support_state(false, 0));
    // An initiative id of one community is unknown in another.
    let crossed = call(
        f.http
            .put(f.server.support_url("oldebroek", &f.initiative))
            .header(VOTER_HEADER, &me),
    )
    .await;
    crossed.expect_error(404, "initiative_not_found");
}

// ------------------------------------------------------------ concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_supports_count_exactly_two_hundred() {
    let f = Arc::new(fixture().await);
    const VOTERS: u64 = 200;
    let start = Arc::new(Barrier::new(VOTERS as usize));
    let tasks: Vec<_> = (0..VOTERS)
        .map(|n| {
            let f = f.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                f.put(&voter_key(n)).await
            })
        })
        .collect();
    let mut counts = Vec::new();
    for task in tasks {
        let answer = task.await.expect("task");
        let body = answer.expect_ok();
        assert_eq!(body["supported"], true);
        counts.push(body["support_count"].as_u64().unwrap());
    }
    // Every support was counted exactly once: the answers saw each of
    // 1..=200 exactly once (no lost and no double increments).
    counts.sort_unstable();
    assert_eq!(counts, (1..=VOTERS).collect::<Vec<_>>());
    assert_eq!(f.public_count().await, VOTERS);
    for n in [0, 1, 99, 199] {
        assert_eq!(
            *f.state(&voter_key(n)).await.expect_ok(),
            support_state(true, VOTERS)
        );
    }
    assert_eq!(
        *f.state(&voter_key(VOTERS)).await.expect_ok(),
        support_state(false, VOTERS)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_voter_pressing_many_times_at_once_counts_once() {
    let f = Arc::new(fixture().await);
    let me = voter_key(42);
    let start = Arc::new(Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let f = f.clone();
            let me = me.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                f.put(&me).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            *task.await.expect("task").expect_ok(),
            support_state(true, 1)
        );
    }
    assert_eq!(f.public_count().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_support_and_withdraw_end_in_the_last_acknowledged_state() {
    let f = Arc::new(fixture().await);
    const VOTERS: u64 = 100;
    let start = Arc::new(Barrier::new(VOTERS as usize));
    // Each voter presses, withdraws, and half of them press again, one after
    // the other; all voters at the same time.
    let tasks: Vec<_> = (0..VOTERS)
        .map(|n| {
            let f = f.clone();
            let start = start.clone();
            tokio::spawn(async move {
                let me = voter_key(n);
                start.wait().await;
                let mut last_acknowledged = None;
                let mut actions = vec![Method::PUT, Method::DELETE];
                if n % 2 == 0 {
                    actions.push(Method::PUT);
                }
                for method in actions {
                    let answer = f.support_action(method.clone(), &me).await;
                    let body = answer.expect_ok();
                    assert_eq!(body["supported"], method == Method::PUT, "{answer:?}");
                    last_acknowledged = Some(method);
                }
                (n, last_acknowledged == Some(Method::PUT))
            })
        })
        .collect();
    let mut supporters = HashSet::new();
    for task in tasks {
        let (n, supports) = task.await.expect("task");
        if supports {
            supporters.insert(n);
        }
    }
    assert_eq!(supporters.len(), 50);
    assert_eq!(f.public_count().await, supporters.len() as u64);
    for n in 0..VOTERS {
        let state = f.state(&voter_key(n)).await;
        assert_eq!(
            *state.expect_ok(),
            support_state(supporters.contains(&n), 50),
            "voter {n}"
        );
    }
}

// ---------------------------------------------------------------- restart

#[tokio::test]
async fn state_survives_a_restart() {
    let f = fixture().await;
    let second = f
        .server
        .create_initiative(&f.slug, &f.token, "Buurtmoestuin")
        .await;
    for n in 1..=5 {
        f.put(&voter_key(n)).await.expect_ok();
    }
    f.delete(&voter_key(2)).await.expect_ok();
    call(
        f.http
            .put(f.server.support_url(&f.slug, &second.id))
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await
    .expect_ok();

    let Fixture {
        server,
        http,
        slug,
        token,
        initiative,
    } = f;
    let old_url = server.url.clone();
    let server = server.restart().await;
    assert_ne!(server.url, old_url, "restarted on a new port");
    let f = Fixture {
        server,
        http,
        slug,
        token,
        initiative,
    };

    assert_eq!(f.public_count().await, 4);
    for (n, pressed) in [
        (1, true),
        (2, false),
        (3, true),
        (4, true),
        (5, true),
        (6, false),
    ] {
        assert_eq!(
            *f.state(&voter_key(n)).await.expect_ok(),
            support_state(pressed, 4),
            "voter {n} after restart"
        );
    }
    let second_state = call(
        f.http
            .get(f.server.support_url(&f.slug, &second.id))
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await;
    assert_eq!(*second_state.expect_ok(), support_state(true, 1));

    // The community's settings survived too: its origins and its admin token.
    call(
        f.http
            .get(f.support_url())
            .header(ORIGIN, ALLOWED)
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await
    .expect_ok();
    call(
        f.http
            .get(f.support_url())
            .header(ORIGIN, REFUSED)
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await
    .expect_error(403, "origin_not_allowed");
    f.server
        .create_initiative(&f.slug, &f.token, "Na de herstart")
        .await;

    // Counting goes on from where it was.
    assert_eq!(
        *f.put(&voter_key(2)).await.expect_ok(),
        support_state(true, 5)
    );
    assert_eq!(
        *f.put(&voter_key(3)).await.expect_ok(),
        support_state(true, 5)
    );
}

// ------------------------------------------------------------------- CORS

#[tokio::test]
async fn allowed_origin_gets_an_answer_it_may_read() {
    let f = fixture().await;
    let me = voter_key(1);
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let answer = call(
            f.http
                .request(method.clone(), f.support_url())
                .header(ORIGIN, ALLOWED)
                .header(VOTER_HEADER, &me),
        )
        .await;
        answer.expect_ok();
        assert_eq!(
            answer.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED),
            "{method}"
        );
        let vary = answer.header(VARY.as_str()).unwrap_or_default();
        assert!(vary.to_ascii_lowercase().contains("origin"), "Vary: {vary}");
    }
    // The public reads too.
    for rest in [
        String::new(),
        "/initiatives".into(),
        format!("/initiatives/{}", f.initiative),
    ] {
        let answer = call(
            f.http
                .get(f.server.community_url(&f.slug, &rest))
                .header(ORIGIN, ALLOWED),
        )
        .await;
        answer.expect_ok();
        assert_eq!(
            answer.header("access-control-allow-origin").as_deref(),
            Some(ALLOWED)
        );
    }
}

#[tokio::test]
async fn refused_origin_is_refused_and_changes_nothing() {
    let f = fixture().await;
    let me = voter_key(1);
    let put = call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, REFUSED)
            .header(VOTER_HEADER, &me),
    )
    .await;
    put.expect_error(403, "origin_not_allowed");
    assert_eq!(f.public_count().await, 0, "a refused support was counted");

    f.put(&me).await.expect_ok();
    let delete = call(
        f.http
            .delete(f.support_url())
            .header(ORIGIN, REFUSED)
            .header(VOTER_HEADER, &me),
    )
    .await;
    delete.expect_error(403, "origin_not_allowed");
    assert_eq!(
        f.public_count().await,
        1,
        "a refused withdrawal was applied"
    );

    let get = call(
        f.http
            .get(f.support_url())
            .header(ORIGIN, REFUSED)
            .header(VOTER_HEADER, &me),
    )
    .await;
    get.expect_error(403, "origin_not_allowed");
    for rest in [
        String::new(),
        "/initiatives".into(),
        format!("/initiatives/{}", f.initiative),
    ] {
        call(
            f.http
                .get(f.server.community_url(&f.slug, &rest))
                .header(ORIGIN, REFUSED),
        )
        .await
        .expect_error(403, "origin_not_allowed");
    }

    // Near misses of the allowed origin are other origins.
    for near in [
        "http://www.baarlo.nl",
        "https://www.baarlo.nl:8443",
        "https://baarlo.nl",
        "https://www.baarlo.nl.evil.example",
        "null",
    ] {
        call(
            f.http
                .put(f.support_url())
                .header(ORIGIN, near)
                .header(VOTER_HEADER, voter_key(9)),
        )
        .await
        .expect_error(403, "origin_not_allowed");
    }
    assert_eq!(f.public_count().await, 1);
}

#[tokio::test]
async fn requests_without_origin_and_from_the_server_itself_are_allowed() {
    let f = fixture().await;
    // curl, a server-side script: no Origin header.
    assert_eq!(
        *f.put(&voter_key(1)).await.expect_ok(),
        support_state(true, 1)
    );
    // A page served by this server itself.
    let same = call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, &f.server.url)
            .header(VOTER_HEADER, voter_key(2)),
    )
    .await;
    assert_eq!(*same.expect_ok(), support_state(true, 2));
    // The same host on another port is another origin.
    let port: u16 = f.server.url.rsplit(':').next().unwrap().parse().unwrap();
    let other_port = format!("http://127.0.0.1:{}", port.wrapping_add(1).max(1));
    call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, other_port)
            .header(VOTER_HEADER, voter_key(3)),
    )
    .await
    .expect_error(403, "origin_not_allowed");
    assert_eq!(f.public_count().await, 2);
}

#[tokio::test]
async fn preflight_from_allowed_and_refused_origins() {
    let f = fixture().await;
    let allowed = call(
        f.http
            .request(Method::OPTIONS, f.support_url())
            .header(ORIGIN, ALLOWED)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "mekaar-voter"),
    )
    .await;
    assert_eq!(allowed.status, 204, "{allowed:?}");
    let methods = allowed
        .header("access-control-allow-methods")
        .expect("allow-methods");
    let methods: Vec<String> = methods
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .collect();
    assert!(methods.contains(&"PUT".to_string()), "{methods:?}");
    assert!(methods.contains(&"DELETE".to_string()), "{methods:?}");
    let headers = allowed
        .header("access-control-allow-headers")
        .expect("allow-headers")
        .to_ascii_lowercase();
    assert!(
        headers.split(',').any(|h| h.trim() == "mekaar-voter"),
        "{headers}"
    );
    assert_eq!(
        allowed.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED)
    );

    let refused = call(
        f.http
            .request(Method::OPTIONS, f.support_url())
            .header(ORIGIN, REFUSED)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "mekaar-voter"),
    )
    .await;
    refused.expect_error(403, "origin_not_allowed");
    assert_eq!(refused.header("access-control-allow-methods"), None);

    // A preflight never counts as a support.
    assert_eq!(f.public_count().await, 0);
}

#[tokio::test]
async fn changing_allowed_origins_takes_effect() {
    let f = fixture().await;
    let omroep = "https://www.omroep-venlo.example";
    call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, omroep)
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await
    .expect_error(403, "origin_not_allowed");

    let patched = call(
        f.http
            .patch(f.admin_url(&format!("/{}", f.slug)))
            .bearer_auth(&f.token)
            .json(&json!({"allowed_origins": [omroep]})),
    )
    .await;
    assert_eq!(
        patched.expect_ok()["allowed_origins"],
        json!([omroep]),
        "{patched:?}"
    );

    let now = call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, omroep)
            .header(VOTER_HEADER, voter_key(1)),
    )
    .await;
    assert_eq!(*now.expect_ok(), support_state(true, 1));
    assert_eq!(
        now.header("access-control-allow-origin").as_deref(),
        Some(omroep)
    );
    // The list was replaced: the old site is no longer allowed.
    call(
        f.http
            .put(f.support_url())
            .header(ORIGIN, ALLOWED)
            .header(VOTER_HEADER, voter_key(2)),
    )
    .await
    .expect_error(403, "origin_not_allowed");

    // The admin view shows the new list.
    let view = call(
        f.http
            .get(f.admin_url(&format!("/{}", f.slug)))
            .bearer_auth(&f.token),
    )
    .await;
    assert_eq!(view.expect_ok()["allowed_origins"], json!([omroep]));
}

// -------------------------------------------------------------- bad input

#[tokio::test]
async fn malformed_and_invalid_json_bodies() {
    let f = fixture().await;
    let post = |body: &'static str| {
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
    };
    for body in [
        "{\"slug\": ",
        "{slug: 'x'}",
        "",
        "not json",
        "{\"slug\":\"x\",}",
    ] {
        call(post(body)).await.expect_error(400, "malformed_json");
    }
    for body in [
        // A field of the wrong type.
        r#"{"slug": 5, "name": "Venlo"}"#,
        // An unknown field.
        r#"{"slug": "venlo", "name": "Venlo", "colour": "red"}"#,
        // A required field missing.
        r#"{"slug": "venlo"}"#,
        // Not an object at all.
        r#"[1, 2, 3]"#,
        // Values the server checks.
        r#"{"slug": "Venlo!", "name": "Venlo"}"#,
        r#"{"slug": "venlo", "name": "   "}"#,
        r#"{"slug": "venlo", "name": "Venlo", "languages": ["fr"]}"#,
        r#"{"slug": "venlo", "name": "Venlo", "allowed_origins": ["www.venlo.nl"]}"#,
        r#"{"slug": "venlo", "name": "Venlo", "support_threshold": 0}"#,
    ] {
        call(post(body)).await.expect_error(400, "invalid_field");
    }
    // None of them created anything.
    let list = call(
        f.http
            .get(f.admin_url(""))
            .bearer_auth(&f.server.server_token),
    )
    .await;
    assert_eq!(list.expect_ok().as_array().unwrap().len(), 1, "{list:?}");

    // The same on PATCH.
    let patch = |body: &'static str| {
        f.http
            .patch(f.admin_url(&format!("/{}", f.slug)))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
    };
    call(patch("{\"name\": "))
        .await
        .expect_error(400, "malformed_json");
    call(patch(r#"{"colour": "red"}"#))
        .await
        .expect_error(400, "invalid_field");
    call(patch(r#"{"name": 12}"#))
        .await
        .expect_error(400, "invalid_field");
}

#[tokio::test]
async fn body_size_is_limited_to_64_kib() {
    let f = fixture().await;
    const LIMIT: usize = 64 * 1024;
    // Valid JSON padded with spaces to exactly `len` bytes.
    let padded = |slug: &str, len: usize| {
        let mut body = format!(r#"{{"slug": "{slug}", "name": "Venlo"}}"#);
        body.insert_str(1, &" ".repeat(len - body.len()));
        assert_eq!(body.len(), len);
        body
    };
    let post = |body: String| {
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
    };
    call(post(padded("too-big", LIMIT + 1)))
        .await
        .expect_error(413, "body_too_large");
    call(post(padded("far-too-big", 1024 * 1024)))
        .await
        .expect_error(413, "body_too_large");
    // Exactly at the limit is fine.
    let fits = call(post(padded("fits", LIMIT))).await;
    assert_eq!(fits.status, 201, "{fits:?}");
    // Too big on the other admin writes as well.
    call(
        f.http
            .post(f.admin_url(&format!("/{}/initiatives", f.slug)))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "application/json")
            .body(format!(r#"{{"title": "{}"}}"#, "x".repeat(LIMIT))),
    )
    .await
    .expect_error(413, "body_too_large");
    call(
        f.http
            .patch(f.admin_url(&format!("/{}", f.slug)))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "application/json")
            .body(format!(r#"{{"name": "{}"}}"#, "x".repeat(LIMIT))),
    )
    .await
    .expect_error(413, "body_too_large");
}

#[tokio::test]
async fn json_bodies_need_a_json_content_type() {
    let f = fixture().await;
    let body = r#"{"slug": "venlo", "name": "Venlo"}"#;
    call(
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .body(body),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    call(
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .header(CONTENT_TYPE, "text/plain")
            .body(body),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    call(
        f.http
            .post(f.admin_url(&format!("/{}/initiatives", f.slug)))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("title=Speeltuin"),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    // With a charset parameter it is JSON.
    let ok = call(
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .header(CONTENT_TYPE, "application/json; charset=utf-8")
            .body(body),
    )
    .await;
    assert_eq!(ok.status, 201, "{ok:?}");
}

#[tokio::test]
async fn voter_key_must_be_present_and_well_formed() {
    let f = fixture().await;
    let bad_keys = [
        "0123456789ABCDEF0123456789abcdef".to_string(), // upper case
        "0123456789abcdef0123456789abcde".to_string(),  // 31 characters
        "0123456789abcdef0123456789abcdef0".to_string(), // 33 characters
        "0123456789abcdef0123456789abcdeg".to_string(), // not hex
        "not-a-key".to_string(),
        " ".to_string(),
        "a".repeat(4000),
    ];
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        for key in &bad_keys {
            f.support_action(method.clone(), key)
                .await
                .expect_error(400, "invalid_voter_key");
        }
        call(f.http.request(method.clone(), f.support_url()))
            .await
            .expect_error(400, "invalid_voter_key");
    }
    assert_eq!(f.public_count().await, 0);
}

#[tokio::test]
async fn unknown_communities_and_initiatives_are_404() {
    let f = fixture().await;
    let me = voter_key(1);
    for slug in ["nowhere", "Baarlo", "-x", &"a".repeat(41), "%20"] {
        for rest in [
            String::new(),
            "/initiatives".into(),
            format!("/initiatives/{}", f.initiative),
        ] {
            call(f.http.get(f.server.community_url(slug, &rest)))
                .await
                .expect_error(404, "community_not_found");
        }
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::OPTIONS] {
            call(
                f.http
                    .request(method, f.server.support_url(slug, &f.initiative))
                    .header(VOTER_HEADER, &me)
                    .header(ORIGIN, ALLOWED),
            )
            .await
            .expect_error(404, "community_not_found");
        }
        for rest in ["", "/initiatives", "/tokens"] {
            let method = if rest.is_empty() {
                Method::GET
            } else {
                Method::POST
            };
            call(
                f.http
                    .request(method, f.admin_url(&format!("/{slug}{rest}")))
                    .bearer_auth(&f.server.server_token)
                    .json(&json!({"title": "Speeltuin"})),
            )
            .await
            .expect_error(404, "community_not_found");
        }
    }
    for id in ["doesnotexist", "UPPER", &"x".repeat(200), "%00", "a.b"] {
        call(
            f.http.get(
                f.server
                    .community_url(&f.slug, &format!("/initiatives/{id}")),
            ),
        )
        .await
        .expect_error(404, "initiative_not_found");
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            call(
                f.http
                    .request(method, f.server.support_url(&f.slug, id))
                    .header(VOTER_HEADER, &me),
            )
            .await
            .expect_error(404, "initiative_not_found");
        }
    }
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let f = fixture().await;
    for path in [
        "/nope".to_string(),
        "/api".into(),
        "/api/v1".into(),
        "/api/v1/communities".into(),
        "/api/v2/communities/baarlo".into(),
        format!(
            "/api/v1/communities/baarlo/initiatives/{}/support/extra",
            f.initiative
        ),
        "/api/v1/communities/baarlo/polls".into(),
        "/api/v1/admin".into(),
        "/api/v1/admin/communities/baarlo/unknown".into(),
        "/healthz/extra".into(),
        "/pkg".into(),
    ] {
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            call(f.http.request(method.clone(), f.server.at(&path)))
                .await
                .expect_error(404, "route_not_found");
        }
    }

    // A bundle file that does not exist.
    call(f.http.get(f.server.at("/pkg/does-not-exist.js")))
        .await
        .expect_error(404, "route_not_found");

    let cases: Vec<(Method, String, &[&str])> = vec![
        (Method::DELETE, "/healthz".into(), &["GET", "HEAD"]),
        (Method::POST, "/api/openapi.json".into(), &["GET", "HEAD"]),
        (Method::PUT, "/embed.js".into(), &["GET", "HEAD"]),
        (Method::POST, f.support_url(), &["GET", "PUT", "DELETE"]),
        (Method::PATCH, f.support_url(), &["GET", "PUT", "DELETE"]),
        (Method::PUT, f.initiative_url(), &["GET"]),
        (
            Method::DELETE,
            f.server.community_url(&f.slug, ""),
            &["GET"],
        ),
        (
            Method::PUT,
            f.server.community_url(&f.slug, "/initiatives"),
            &["GET", "POST"],
        ),
        (Method::PUT, f.admin_url(""), &["GET", "POST"]),
        (
            Method::DELETE,
            f.admin_url(&format!("/{}", f.slug)),
            &["GET", "PATCH"],
        ),
        (
            Method::PUT,
            f.admin_url(&format!("/{}/tokens", f.slug)),
            &["GET", "POST"],
        ),
        (
            Method::PUT,
            f.admin_url(&format!("/{}/initiatives", f.slug)),
            &["GET", "POST"],
        ),
    ];
    for (method, url, allowed) in cases {
        let url = if url.starts_with('/') {
            f.server.at(&url)
        } else {
            url
        };
        let answer = call(f.http.request(method.clone(), &url).bearer_auth(&f.token)).await;
        answer.expect_error(405, "method_not_allowed");
        let allow = answer
            .header(ALLOW.as_str())
            .unwrap_or_else(|| panic!("no Allow header on {method} {url}"));
        let mut got: Vec<String> = allow.split(',').map(|m| m.trim().to_string()).collect();
        got.sort();
        let mut want: Vec<String> = allowed.iter().map(|m| m.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "Allow of {method} {url}");
    }
    // A wrong method never changes anything.
    assert_eq!(f.public_count().await, 0);
}

#[tokio::test]
async fn admin_tokens_are_checked_per_community() {
    let f = fixture().await;
    let other = f.server.create_community("oldebroek", &[]).await;
    let baarlo = format!("/{}", f.slug);
    let bad_tokens: Vec<Option<String>> = vec![
        None,
        Some("wrong".into()),
        Some(format!("{}x", f.token)),
        Some(other.admin_token.clone()),
    ];
    for token in &bad_tokens {
        let with = |request: RequestBuilder| match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        call(with(f.http.get(f.admin_url(&baarlo))))
            .await
            .expect_error(401, "unauthorized");
        call(with(
            f.http
                .patch(f.admin_url(&baarlo))
                .json(&json!({"name": "Overgenomen"})),
        ))
        .await
        .expect_error(401, "unauthorized");
        call(with(
            f.http
                .post(f.admin_url(&format!("{baarlo}/initiatives")))
                .json(&json!({"title": "Spam"})),
        ))
        .await
        .expect_error(401, "unauthorized");
        call(with(f.http.post(f.admin_url(&format!("{baarlo}/tokens")))))
            .await
            .expect_error(401, "unauthorized");
    }
    // The token must come as a bearer token.
    call(
        f.http
            .get(f.admin_url(&baarlo))
            .header("authorization", format!("Basic {}", f.token)),
    )
    .await
    .expect_error(401, "unauthorized");
    call(
        f.http
            .get(f.admin_url(&baarlo))
            .header("authorization", f.token.clone()),
    )
    .await
    .expect_error(401, "unauthorized");

    // Community tokens do not make communities or see all of them.
    for token in [&f.token, &other.admin_token] {
        call(f.http.get(f.admin_url("")).bearer_auth(token))
            .await
            .expect_error(401, "unauthorized");
        call(
            f.http
                .post(f.admin_url(""))
                .bearer_auth(token)
                .json(&json!({"slug": "venlo", "name": "Venlo"})),
        )
        .await
        .expect_error(401, "unauthorized");
    }

    // Nothing was changed by the refused requests.
    let view = call(f.http.get(f.admin_url(&baarlo)).bearer_auth(&f.token)).await;
    assert_eq!(view.expect_ok()["name"], "Community baarlo");
    let list = call(f.http.get(f.server.community_url(&f.slug, "/initiatives"))).await;
    assert_eq!(list.expect_ok()["initiatives"].as_array().unwrap().len(), 1);

    // Each community's own token works on it; the server token on all.
    call(
        f.http
            .get(f.admin_url("/oldebroek"))
            .bearer_auth(&other.admin_token),
    )
    .await
    .expect_ok();
    for slug in ["baarlo", "oldebroek"] {
        call(
            f.http
                .get(f.admin_url(&format!("/{slug}")))
                .bearer_auth(&f.server.server_token),
        )
        .await
        .expect_ok();
        let created = call(
            f.http
                .post(f.admin_url(&format!("/{slug}/initiatives")))
                .bearer_auth(&f.server.server_token)
                .json(&json!({"title": "Door de server"})),
        )
        .await;
        assert_eq!(created.status, 201, "{created:?}");
    }
    call(
        f.http
            .get(f.admin_url(""))
            .bearer_auth(&f.server.server_token),
    )
    .await
    .expect_ok();

    // A new token made by an admin works; the answer shows it once.
    let made = call(
        f.http
            .post(f.admin_url(&format!("{baarlo}/tokens")))
            .bearer_auth(&f.token)
            .json(&json!({"role": "admin"})),
    )
    .await;
    assert_eq!(made.status, 201, "{made:?}");
    let new_token = made.body["admin_token"]
        .as_str()
        .expect("a token")
        .to_string();
    assert_ne!(new_token, f.token);
    call(f.http.get(f.admin_url(&baarlo)).bearer_auth(&new_token))
        .await
        .expect_ok();
    call(
        f.http
            .get(f.admin_url("/oldebroek"))
            .bearer_auth(&new_token),
    )
    .await
    .expect_error(401, "unauthorized");
}

#[tokio::test]
async fn duplicate_community_slug_is_409_and_keeps_the_original() {
    let f = fixture().await;
    let again = call(
        f.http
            .post(f.admin_url(""))
            .bearer_auth(&f.server.server_token)
            .json(&json!({"slug": f.slug, "name": "Kaping", "allowed_origins": [REFUSED]})),
    )
    .await;
    again.expect_error(409, "community_exists");
    let view = call(
        f.http
            .get(f.admin_url(&format!("/{}", f.slug)))
            .bearer_auth(&f.token),
    )
    .await;
    let view = view.expect_ok();
    assert_eq!(view["name"], "Community baarlo");
    assert_eq!(view["allowed_origins"], json!([ALLOWED]));
    // The attempt did not hand out an admin token for the existing community.
    assert_eq!(again.body.get("admin_token"), None);
}

#[tokio::test]
async fn initiative_fields_are_checked() {
    let f = fixture().await;
    let create = |body: Value| {
        f.http
            .post(f.admin_url(&format!("/{}/initiatives", f.slug)))
            .bearer_auth(&f.token)
            .json(&body)
    };
    let too_long = call(create(json!({"title": "x".repeat(121)}))).await;
    too_long.expect_error(400, "invalid_field");
    assert!(too_long.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("title"));
    // 120 characters (not bytes) is the limit.
    let longest = call(create(json!({"title": "é".repeat(120)}))).await;
    assert_eq!(longest.status, 201, "{longest:?}");

    call(create(json!({"title": "   "})))
        .await
        .expect_error(400, "invalid_field");
    call(create(
        json!({"title": "Speeltuin", "summary": "y".repeat(281)}),
    ))
    .await
    .expect_error(400, "invalid_field");

    let wrong_area = call(create(json!({"title": "Speeltuin", "area": "Venlo-Noord"}))).await;
    wrong_area.expect_error(400, "invalid_field");
    assert!(wrong_area.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("area"));
    call(create(json!({"title": "Speeltuin", "theme": "Verkeer"})))
        .await
        .expect_error(400, "invalid_field");

    let in_area = call(create(
        json!({"title": "Speeltuin", "area": "Dorpskern", "theme": "Groen"}),
    ))
    .await;
    assert_eq!(in_area.status, 201, "{in_area:?}");
    assert_eq!(in_area.body["area"], "Dorpskern");
    assert_eq!(in_area.body["theme"], "Groen");
    assert_eq!(in_area.body["support_count"], 0);

    // Only the two valid ones were made (plus the fixture's).
    let list = call(f.http.get(f.server.community_url(&f.slug, "/initiatives"))).await;
    assert_eq!(list.expect_ok()["initiatives"].as_array().unwrap().len(), 3);
}

// --------------------------------------------------------- raw HTTP/1.1

/// Sends raw bytes and reads until the server closes; `None` when it closed
/// without an answer. Returns the status and the body.
async fn raw(server: &TestServer, request: &[u8]) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = server.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    // The server may answer and close before it read everything we send.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(120), stream.read_to_end(&mut answer))
        .await
        .expect("the server answered or closed (hang guard)");
    if read.is_err() && answer.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

#[tokio::test]
async fn chunked_admin_bodies_are_read_and_broken_http_is_refused_as_json() {
    let f = fixture().await;
    let port = f.server.url.rsplit(':').next().unwrap();
    let json_body = r#"{"slug":"venlo","name":"Venlo"}"#;
    let chunked = format!(
        "POST /api/v1/admin/communities HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{json_body}\r\n0\r\n\r\n",
        f.server.server_token,
        json_body.len()
    );
    // A chunked body is read like any other (the limit holds on the bytes
    // that arrive: see hardening.rs).
    let (status, body) = raw(&f.server, chunked.as_bytes())
        .await
        .expect("an answer to a chunked body");
    assert_eq!(status, 201, "{body}");
    call(
        f.http
            .get(f.admin_url("/venlo"))
            .bearer_auth(&f.server.server_token),
    )
    .await
    .expect_ok();

    let broken: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/9.9\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"
            .to_vec(),
        format!(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "a".repeat(1024 * 1024)
        )
        .into_bytes(),
        [
            b"GET /".as_slice(),
            &[0xff, 0xfe, 0x00],
            b" HTTP/1.1\r\n\r\n",
        ]
        .concat(),
    ];
    for request in &broken {
        if let Some((status, body)) = raw(&f.server, request).await {
            let what = String::from_utf8_lossy(&request[..request.len().min(60)]);
            assert!(
                (400..=505).contains(&status),
                "{what:?} answered {status}: {body}"
            );
            // Also what hyper refuses below the routes is our JSON error.
            let body: Value = serde_json::from_str(&body)
                .unwrap_or_else(|_| panic!("{what:?} answered {status} without JSON: {body:?}"));
            assert!(body["error"]["code"].is_string(), "{what:?}: {body}");
        }
    }
    // The server is still well.
    call(f.http.get(f.server.at("/healthz"))).await.expect_ok();
}

// ------------------------------------------------------------------- fuzz

/// A small deterministic pseudo-random generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

#[tokio::test]
async fn junk_requests_never_get_a_server_error() {
    let f = fixture().await;
    let mut rng = Rng(0x6d65_6b61_6172);
    let segments: Vec<String> = vec![
        "api".into(),
        "v1".into(),
        "communities".into(),
        "admin".into(),
        "initiatives".into(),
        "support".into(),
        "tokens".into(),
        "pkg".into(),
        "embed.js".into(),
        "healthz".into(),
        "openapi.json".into(),
        f.slug.clone(),
        f.initiative.clone(),
        "nowhere".into(),
        "..".into(),
        ".".into(),
        "%00".into(),
        "%ff%fe".into(),
        "%2e%2e".into(),
        "%2F".into(),
        "é".into(),
        "a".repeat(300),
        "0".into(),
        "-".into(),
        "?x=1".into(),
        "#frag".into(),
    ];
    let c = format!("/api/v1/communities/{}", f.slug);
    let i = format!("{c}/initiatives/{}", f.initiative);
    let a = format!("/api/v1/admin/communities/{}", f.slug);
    let real_paths = [
        "/healthz".to_string(),
        "/api/openapi.json".into(),
        "/embed.js".into(),
        "/pkg/package.json".into(),
        c.clone(),
        format!("{c}/initiatives"),
        i.clone(),
        format!("{i}/support"),
        format!("{i}/support"),
        format!("{i}/support"),
        "/api/v1/admin/communities".into(),
        a.clone(),
        format!("{a}/tokens"),
        format!("{a}/initiatives"),
    ];
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::HEAD,
        Method::from_bytes(b"FROBNICATE").unwrap(),
    ];
    let origins = [
        ALLOWED,
        REFUSED,
        "null",
        "",
        "https://",
        "://",
        "http://[::1",
    ];
    let content_types = [
        "application/json",
        "text/plain",
        "application/json; charset=latin1",
        "",
        "*/*",
    ];
    let json_bodies = [
        r#"{"slug":"fuzz","name":"Fuzz"}"#.to_string(),
        r#"{"title":"Fuzz"}"#.into(),
        r#"{"allowed_origins":["https://x.example"]}"#.into(),
        r#"{"title":null}"#.into(),
        r#"{"support_threshold":-1}"#.into(),
        r#"{"support_threshold":1e400}"#.into(),
        "[".repeat(5000),
        format!("\"{}\"", "\\u".repeat(100)),
        "\u{feff}{}".into(),
    ];

    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    let mut sent = 0;
    for iteration in 0..300 {
        // Mostly real addresses, some with a segment replaced or added.
        let mut path: Vec<String> = if rng.chance(5) {
            (0..=rng.below(4))
                .map(|_| rng.pick(&segments).clone())
                .collect()
        } else {
            rng.pick(&real_paths)[1..]
                .split('/')
                .map(String::from)
                .collect()
        };
        if rng.chance(6) {
            let at = rng.below(path.len());
            path[at] = rng.pick(&segments).clone();
        }
        if rng.chance(10) {
            path.push(rng.pick(&segments).clone());
        }
        let url = format!("{}/{}", f.server.url, path.join("/"));
        let method = rng.pick(&methods).clone();
        let mut request = f.http.request(method.clone(), &url);
        if rng.chance(2) {
            let origin = rng.pick(&origins);
            request = request.header(ORIGIN, *origin);
        }
        if rng.chance(2) {
            let key = match rng.below(3) {
                0 => voter_key(rng.below(20) as u64),
                1 => format!("{:x}", rng.next()),
                _ => String::from_utf8_lossy(&rng.bytes(40))
                    .chars()
                    .filter(|c| c.is_ascii_graphic())
                    .collect(),
            };
            request = request.header(VOTER_HEADER, key);
        }
        if rng.chance(2) {
            let token = match rng.below(3) {
                0 => f.server.server_token.clone(),
                1 => f.token.clone(),
                _ => format!("{:x}", rng.next()),
            };
            request = request.bearer_auth(token);
        }
        if rng.chance(2) {
            let content_type = rng.pick(&content_types);
            request = request.header(CONTENT_TYPE, *content_type);
        }
        // Raw header bytes (visible ASCII and obs-text) in headers we read.
        if rng.chance(5) {
            let mut raw: Vec<u8> = rng.bytes(24).into_iter().map(|b| b | 0x80).collect();
            raw.extend_from_slice(b"x");
            let name = *rng.pick(&["origin", "mekaar-voter", "authorization", "if-none-match"]);
            if let Ok(value) = reqwest::header::HeaderValue::from_bytes(&raw) {
                request = request.header(name, value);
            }
        }
        request = match rng.below(4) {
            0 => request,
            1 => request.body(rng.pick(&json_bodies).clone()),
            2 => {
                let len = rng.below(2000);
                request.body(rng.bytes(len))
            }
            _ => request.body(vec![b'{'; 64 * 1024 + 1 + rng.below(1000)]),
        };
        let response = match request.send().await {
            Ok(response) => response,
            // The client would not build this URL or request: not sent.
            Err(err) if err.is_builder() => continue,
            Err(err) => panic!("iteration {iteration}: {method} {url}: {err}"),
        };
        sent += 1;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        assert!(
            status < 500,
            "iteration {iteration}: {method} {url} answered {status}: {text}"
        );
        if status >= 400 && method != Method::HEAD {
            let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                panic!("iteration {iteration}: {method} {url} error is not JSON: {text:?}")
            });
            assert!(
                body["error"]["code"].is_string()
                    && !body["error"]["message"].as_str().unwrap_or("").is_empty(),
                "iteration {iteration}: {method} {url}: {text}"
            );
        }
        *seen.entry(status).or_default() += 1;
    }
    assert!(sent >= 250, "only {sent} of 300 requests were sent");
    // The junk reached more than one kind of answer (the loop is not vacuous).
    assert!(seen.len() >= 4, "statuses seen: {seen:?}");
    eprintln!("fuzz statuses: {seen:?}");

    // And the server is still well.
    call(f.http.get(f.server.at("/healthz"))).await.expect_ok();
    let count = f.public_count().await;
    let mut pressed = 0;
    for n in 0..20 {
        if f.state(&voter_key(n)).await.expect_ok()["supported"] == true {
            pressed += 1;
        }
    }
    assert_eq!(
        count, pressed,
        "count and supporters disagree after fuzzing"
    );
}

/// The widget bundle travels compressed when the browser accepts it (the
/// wasm is about a third of its size in brotli), and byte-exact otherwise.
#[tokio::test]
async fn bundle_files_are_served_compressed_when_accepted() {
    let server = TestServer::start().await;
    let pkg = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../pkg");
    let wasm_name = std::fs::read_dir(&pkg)
        .expect("pkg/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".wasm"))
        .expect("a .wasm in pkg/");
    let on_disk = std::fs::read(pkg.join(&wasm_name)).unwrap();
    let url = server.at(&format!("/pkg/{wasm_name}"));

    let plain = http_client().get(&url).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), on_disk.as_slice());

    for (accept, expected) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let packed = http_client()
            .get(&url)
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(packed.status(), 200);
        assert_eq!(packed.headers()["content-encoding"], expected);
        assert_eq!(packed.headers()["content-type"], "application/wasm");
        assert!(packed.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding"));
        let body = packed.bytes().await.unwrap();
        assert!(
            body.len() < on_disk.len() / 2,
            "{expected}: {} of {} bytes",
            body.len(),
            on_disk.len()
        );
    }
    server.stop().await;
}
