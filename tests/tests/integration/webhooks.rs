//! Webhooks against a local receiver (a small warp server on 127.0.0.1):
//! every event arrives as signed JSON; failed deliveries are retried with
//! backoff from a durable outbox that survives a restart; every attempt is
//! in the delivery log; deleting a webhook drops what it still had pending.
//!
//! The server runs with short retry delays. Waits are bounded polls with
//! generous hang guards; nothing here asserts how fast anything is.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use mekaar_server::webhooks::signature;
use mekaar_tests::webhook_receiver::{Received, Receiver};
use mekaar_tests::{
    call, eventually, quick_retries, voter_key, Hook, TestServer, Town, QUICK_RETRY_MAX_DELAY,
    VOTER_HEADER,
};
use serde_json::{json, Value};

// --------------------------------------------------------------- receiver

/// A loopback address nothing listens on (for now).
fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().unwrap()
}

// ------------------------------------------------------------------ world

/// A server with community "baarlo" and its admin token; webhook deliveries given up
/// after `max_attempts`.
async fn town(max_attempts: u32) -> Town {
    let server = TestServer::builder()
        .webhooks(quick_retries(max_attempts))
        .start()
        .await;
    Town::start(server, "baarlo", &[]).await
}

/// A resident submits an initiative (a `submitted` event); its id.
async fn submit(t: &Town, title: &str) -> String {
    t.submit_ok(&json!({
        "title": title,
        "summary": "Samen iets moois maken.",
        "initiator_name": "Anja",
        "contact_email": "anja@example.nl",
    }))
    .await
    .id
}

/// The municipality answers an initiative (an `answered` event).
async fn answer(t: &Town, id: &str, text: &str) {
    t.answer(id, text, "Gemeente").await.expect_status(200);
}

/// Checks one received delivery: headers, signature, body.
#[track_caller]
fn check_signed(received: &Received, hook: &Hook, event: &str) -> Value {
    assert_eq!(received.header("mekaar-event"), event);
    assert!(received
        .header("content-type")
        .starts_with("application/json"));
    assert_eq!(
        received.header("mekaar-signature"),
        signature(&hook.secret, received.body.as_bytes()),
        "signature of {received:?}"
    );
    let body = received.json();
    assert_eq!(body["event"], event);
    assert_eq!(body["community"], "baarlo");
    assert_eq!(body["delivery_id"], received.header("mekaar-delivery"));
    assert!(body["occurred_at"].as_u64().unwrap() > 1_600_000_000);
    body
}

// ------------------------------------------------------------------ tests

#[tokio::test]
async fn every_event_arrives_signed_with_its_details() {
    let t = town(1_000).await;
    let receiver = Receiver::start().await;
    let other = Receiver::start().await;
    let hook = t
        .add_hook(
            &receiver.url(),
            &["submitted", "threshold_reached", "reported", "answered"],
        )
        .await;
    let answers_only = t.add_hook(&other.url(), &["answered"]).await;
    call(
        t.http
            .patch(t.admin_url(""))
            .bearer_auth(&t.token)
            .json(&json!({"support_threshold": 2})),
    )
    .await
    .expect_status(200);

    let id = submit(&t, "AED bij de kerk").await;
    for v in 1..=2 {
        call(
            t.http
                .put(t.url(&format!("/initiatives/{id}/support")))
                .header(VOTER_HEADER, voter_key(v)),
        )
        .await
        .expect_status(200);
    }
    call(
        t.http
            .post(t.url(&format!("/initiatives/{id}/report")))
            .header(VOTER_HEADER, voter_key(3))
            .json(&json!({"reason": "Dubbel ingediend"})),
    )
    .await
    .expect_status(200);
    answer(&t, &id, "De gemeente betaalt mee.").await;

    eventually("all four events", || async {
        (receiver.received().len() >= 4 && !other.received().is_empty()).then_some(())
    })
    .await;
    let received = receiver.received();
    let events: Vec<&str> = received.iter().map(|r| r.header("mekaar-event")).collect();
    assert_eq!(
        events,
        ["submitted", "threshold_reached", "reported", "answered"]
    );

    let submitted = check_signed(&received[0], &hook, "submitted");
    assert_eq!(submitted["initiative"]["id"], id.as_str());
    assert_eq!(submitted["initiative"]["title"], "AED bij de kerk");
    assert_eq!(submitted["details"], json!({"moderation": "published"}));
    // The initiator's contact stays with the moderators.
    assert!(!received[0].body.contains("anja@example.nl"));

    let reached = check_signed(&received[1], &hook, "threshold_reached");
    assert_eq!(reached["initiative"]["support_count"], 2);
    assert!(reached["initiative"]["threshold_reached_at"].is_u64());
    assert_eq!(reached["details"], json!({"support_threshold": 2}));

    let reported = check_signed(&received[2], &hook, "reported");
    assert_eq!(
        reported["details"],
        json!({"reason": "Dubbel ingediend", "report_count": 1})
    );

    let answered = check_signed(&received[3], &hook, "answered");
    assert_eq!(
        answered["details"]["answer"]["text"],
        "De gemeente betaalt mee."
    );
    assert_eq!(answered["details"]["answer"]["answered_by"], "Gemeente");
    assert_eq!(answered["initiative"]["answered"], true);

    // The webhook that wants only answers got only that, signed with its
    // own secret (not the other webhook's).
    let only = other.received();
    assert_eq!(only.len(), 1, "{only:?}");
    let body = check_signed(&only[0], &answers_only, "answered");
    assert_ne!(
        only[0].header("mekaar-signature"),
        signature(&hook.secret, only[0].body.as_bytes())
    );
    assert_ne!(body["delivery_id"], answered["delivery_id"]);

    // Every delivery is in the log: one attempt each, delivered.
    let log = eventually("five logged deliveries", || async {
        let log = t.deliveries().await;
        (log.len() >= 5).then_some(log)
    })
    .await;
    assert_eq!(log.len(), 5, "{log:?}");
    for attempt in &log {
        assert_eq!(attempt["attempt"], 1, "{attempt}");
        assert_eq!(attempt["delivered"], true, "{attempt}");
        assert_eq!(attempt["status"], 200, "{attempt}");
        assert!(attempt["error"].is_null(), "{attempt}");
    }
    for r in received.iter().chain(&only) {
        let delivery = r.header("mekaar-delivery");
        let logged: Vec<&Value> = log
            .iter()
            .filter(|a| a["delivery_id"] == delivery)
            .collect();
        assert_eq!(logged.len(), 1, "{delivery} in {log:?}");
        assert_eq!(logged[0]["event"], r.header("mekaar-event"));
    }
    assert!(log
        .iter()
        .any(|a| a["webhook_id"] == answers_only.id.as_str()));
    assert!(log.iter().any(|a| a["webhook_id"] == hook.id.as_str()));
}

#[tokio::test]
async fn a_failing_receiver_gets_the_same_signed_delivery_again_until_it_succeeds() {
    let t = town(1_000).await;
    let receiver = Receiver::start_on("127.0.0.1:0".parse().unwrap(), 2).await;
    let hook = t.add_hook(&receiver.url(), &["submitted"]).await;
    let id = submit(&t, "Buurtmoestuin").await;

    let delivered = eventually("the delivery after two failures", || async {
        receiver.delivered("submitted").pop()
    })
    .await;
    let received = receiver.received();
    assert_eq!(
        received.iter().map(|r| r.answered).collect::<Vec<_>>(),
        [500, 500, 200]
    );
    assert_eq!(receiver.failures_left.load(Ordering::SeqCst), 0);
    // The same delivery each time: same id, same body, same signature.
    for r in &received {
        assert_eq!(r.body, delivered.body);
        assert_eq!(
            r.header("mekaar-delivery"),
            delivered.header("mekaar-delivery")
        );
        assert_eq!(
            r.header("mekaar-signature"),
            delivered.header("mekaar-signature")
        );
    }
    let body = check_signed(&delivered, &hook, "submitted");
    assert_eq!(body["initiative"]["id"], id.as_str());

    // The log shows both failures and the success.
    let delivery = delivered.header("mekaar-delivery").to_string();
    let attempts = eventually("three logged attempts", || async {
        let attempts = t.attempts(&delivery).await;
        (attempts.len() >= 3).then_some(attempts)
    })
    .await;
    let summary: Vec<(u64, Value, bool)> = attempts
        .iter()
        .map(|a| {
            (
                a["attempt"].as_u64().unwrap(),
                a["status"].clone(),
                a["delivered"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, json!(500), false),
            (2, json!(500), false),
            (3, json!(200), true)
        ]
    );
    for failed in &attempts[..2] {
        let error = failed["error"].as_str().expect("an error message");
        assert!(error.contains("500"), "{error}");
    }
    assert!(attempts[2]["error"].is_null());
    assert!(attempts
        .iter()
        .all(|a| a["webhook_id"] == hook.id.as_str() && a["event"] == "submitted"));
}

#[tokio::test]
async fn the_outbox_survives_a_restart_while_the_receiver_is_down() {
    let t = town(1_000).await;
    // Nothing listens here yet: every attempt is refused.
    let address = free_address();
    let hook = t
        .add_hook(
            &format!("http://{address}/mekaar"),
            &["submitted", "answered"],
        )
        .await;
    let id = submit(&t, "Jeu de boules-baan").await;
    answer(&t, &id, "Goed idee.").await;

    let failed = eventually("two failed attempts of each event", || async {
        let log = t.deliveries().await;
        let per_event = |e: &str| log.iter().filter(|a| a["event"] == e).count();
        (per_event("submitted") >= 2 && per_event("answered") >= 2).then_some(log)
    })
    .await;
    for attempt in &failed {
        assert_eq!(attempt["delivered"], false, "{attempt}");
        assert!(attempt["status"].is_null(), "no HTTP answer: {attempt}");
        assert!(attempt["error"].as_str().is_some_and(|e| !e.is_empty()));
    }

    // Stop the server, bring the receiver up, start the server again.
    let Town {
        server,
        http,
        slug,
        token,
    } = t;
    let server_token = server.server_token.clone();
    let dir = server.stop().await;
    let receiver = Receiver::start_on(address, 0).await;
    let server = TestServer::builder()
        .webhooks(quick_retries(1_000))
        .data_dir(dir, server_token)
        .start()
        .await;
    let t = Town {
        server,
        http,
        slug,
        token,
    };

    eventually("both deliveries after the restart", || async {
        (receiver.delivered("submitted").len() == 1 && receiver.delivered("answered").len() == 1)
            .then_some(())
    })
    .await;
    let submitted = check_signed(&receiver.delivered("submitted")[0], &hook, "submitted");
    assert_eq!(submitted["initiative"]["id"], id.as_str());
    let answered = check_signed(&receiver.delivered("answered")[0], &hook, "answered");
    assert_eq!(answered["details"]["answer"]["text"], "Goed idee.");

    // The log kept the failures from before the restart, and the attempt
    // count went on from there.
    for event in [&submitted, &answered] {
        let delivery = event["delivery_id"].as_str().unwrap();
        let attempts = eventually("the logged success", || async {
            let attempts = t.attempts(delivery).await;
            attempts
                .last()
                .is_some_and(|a| a["delivered"] == true)
                .then_some(attempts)
        })
        .await;
        let numbers: Vec<u64> = attempts
            .iter()
            .map(|a| a["attempt"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
        assert_eq!(numbers, expected, "{attempts:?}");
        assert!(numbers.len() >= 3, "{attempts:?}");
        assert!(attempts[..attempts.len() - 1]
            .iter()
            .all(|a| a["delivered"] == false));
        assert_eq!(attempts.last().unwrap()["status"], 200);
    }
    // Exactly once each.
    assert_eq!(receiver.received().len(), 2, "{:?}", receiver.received());
}

#[tokio::test]
async fn a_deleted_webhook_gets_nothing_more() {
    let t = town(1_000).await;
    let address = free_address();
    let gone = t
        .add_hook(&format!("http://{address}/mekaar"), &["submitted"])
        .await;
    submit(&t, "Bankje bij de kapel").await;
    eventually("a failed attempt", || async {
        (!t.deliveries().await.is_empty()).then_some(())
    })
    .await;

    let deleted = call(
        t.http
            .delete(t.admin_url(&format!("/webhooks/{}", gone.id)))
            .bearer_auth(&t.token),
    )
    .await;
    assert_eq!(deleted.status, 204, "{deleted:?}");
    let listed = call(t.http.get(t.admin_url("/webhooks")).bearer_auth(&t.token)).await;
    assert_eq!(*listed.expect_status(200), json!([]));
    let again = call(
        t.http
            .delete(t.admin_url(&format!("/webhooks/{}", gone.id)))
            .bearer_auth(&t.token),
    )
    .await;
    again.expect_error(404, "webhook_not_found");
    // Let an attempt that was under way when it was deleted finish (it is
    // refused), then bring the old address up.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logged_before = t.deliveries().await.len();
    let receiver = Receiver::start_on(address, 0).await;

    // A later event to another webhook: the outbox goes in order of due
    // time, so once it has arrived, the deleted webhook's retry (due within
    // QUICK_RETRY_MAX_DELAY) has been dealt with.
    tokio::time::sleep(QUICK_RETRY_MAX_DELAY * 2).await;
    let witness = Receiver::start().await;
    t.add_hook(&witness.url(), &["submitted"]).await;
    submit(&t, "Speeltuin").await;
    eventually("the later event", || async {
        (!witness.delivered("submitted").is_empty()).then_some(())
    })
    .await;

    assert!(receiver.received().is_empty(), "{:?}", receiver.received());
    let log = t.deliveries().await;
    assert!(
        log.iter()
            .filter(|a| a["webhook_id"] == gone.id.as_str())
            .count()
            <= logged_before,
        "attempts after the delete: {log:?}"
    );
    assert!(log
        .iter()
        .all(|a| a["webhook_id"] != gone.id.as_str() || a["delivered"] == false));
}

#[tokio::test]
async fn a_delivery_is_given_up_after_the_last_attempt() {
    let t = town(3).await;
    let receiver = Receiver::start_on("127.0.0.1:0".parse().unwrap(), usize::MAX).await;
    let hook = t.add_hook(&receiver.url(), &["submitted"]).await;
    submit(&t, "Reclamezuil").await;
    eventually("three failed attempts", || async {
        (receiver.received().len() >= 3).then_some(())
    })
    .await;

    // A later event (due after any fourth attempt would be) to another
    // webhook shows when the outbox has moved past it.
    tokio::time::sleep(QUICK_RETRY_MAX_DELAY * 2).await;
    let witness = Receiver::start().await;
    t.add_hook(&witness.url(), &["answered"]).await;
    let id = submit(&t, "Speeltuin").await;
    answer(&t, &id, "Ja").await;
    eventually("the later event", || async {
        (!witness.delivered("answered").is_empty()).then_some(())
    })
    .await;

    let received = receiver.received();
    let first = received[0].header("mekaar-delivery").to_string();
    let attempts_of_first = received
        .iter()
        .filter(|r| r.header("mekaar-delivery") == first)
        .count();
    assert_eq!(attempts_of_first, 3, "{received:?}");
    let attempts = t.attempts(&first).await;
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert!(attempts.iter().all(|a| a["delivered"] == false));
    assert_eq!(attempts[2]["attempt"], 3);
    assert_eq!(attempts[2]["webhook_id"], hook.id.as_str());
}

#[tokio::test]
async fn webhooks_are_managed_by_the_communitys_admins_only() {
    let t = town(1_000).await;
    let list = |token: &str| t.http.get(t.admin_url("/webhooks")).bearer_auth(token);
    assert_eq!(*call(list(&t.token)).await.expect_status(200), json!([]));

    // Bad input: 400 naming the field.
    for (body, field) in [
        (
            json!({"url": "ftp://example.nl/x", "events": ["submitted"]}),
            "url",
        ),
        (
            json!({"url": "niet een url", "events": ["submitted"]}),
            "url",
        ),
        (
            json!({"url": format!("https://example.nl/{}", "x".repeat(500)), "events": ["submitted"]}),
            "url",
        ),
        (
            json!({"url": "https://example.nl/x", "events": []}),
            "events",
        ),
    ] {
        let answer = call(
            t.http
                .post(t.admin_url("/webhooks"))
                .bearer_auth(&t.token)
                .json(&body),
        )
        .await;
        answer.expect_error(400, "invalid_field");
        let message = answer.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(&format!("`{field}`")), "{message}");
    }
    for body in [
        json!({"url": "https://example.nl/x", "events": ["liked"]}),
        json!({"url": "https://example.nl/x"}),
        json!({"url": "https://example.nl/x", "events": ["submitted"], "secret": "mine"}),
    ] {
        call(
            t.http
                .post(t.admin_url("/webhooks"))
                .bearer_auth(&t.token)
                .json(&body),
        )
        .await
        .expect_error(400, "invalid_field");
    }

    // The secret is shown once, never listed.
    let hook = t
        .add_hook(
            "https://hooks.example.nl/mekaar",
            &["submitted", "answered"],
        )
        .await;
    let listed = call(list(&t.token)).await;
    let hooks = listed.expect_status(200).as_array().unwrap().clone();
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0]["id"], hook.id.as_str());
    assert_eq!(hooks[0]["url"], "https://hooks.example.nl/mekaar");
    assert!(hooks[0]["created_at"].as_u64().unwrap() > 0);
    assert!(!listed.body.to_string().contains(&hook.secret));
    assert!(hooks[0].get("secret").is_none());

    // Not without a token, nor with another community's, nor for its
    // webhooks and deliveries.
    let other = t.server.create_community("oldebroek", &[]).await;
    for token in ["", "wrong", other.admin_token.as_str()] {
        call(list(token)).await.expect_error(401, "unauthorized");
        call(
            t.http
                .post(t.admin_url("/webhooks"))
                .bearer_auth(token)
                .json(&json!({"url": "https://evil.example/x", "events": ["submitted"]})),
        )
        .await
        .expect_error(401, "unauthorized");
        call(
            t.http
                .delete(t.admin_url(&format!("/webhooks/{}", hook.id)))
                .bearer_auth(token),
        )
        .await
        .expect_error(401, "unauthorized");
        call(
            t.http
                .get(t.admin_url("/webhooks/deliveries"))
                .bearer_auth(token),
        )
        .await
        .expect_error(401, "unauthorized");
    }
    // Another community's admin cannot delete it through their own address.
    call(
        t.http
            .delete(t.server.at(&format!(
                "/api/v1/admin/communities/oldebroek/webhooks/{}",
                hook.id
            )))
            .bearer_auth(&other.admin_token),
    )
    .await
    .expect_error(404, "webhook_not_found");
    assert_eq!(call(list(&t.token)).await.body.as_array().unwrap().len(), 1);
    // The server-wide token may.
    let listed = call(list(&t.server.server_token)).await;
    assert_eq!(listed.expect_status(200).as_array().unwrap().len(), 1);

    // A community has at most 20 webhooks.
    for n in 1..20 {
        t.add_hook(&format!("https://hooks.example.nl/{n}"), &["reported"])
            .await;
    }
    let too_many = call(
        t.http
            .post(t.admin_url("/webhooks"))
            .bearer_auth(&t.token)
            .json(&json!({"url": "https://hooks.example.nl/21", "events": ["reported"]})),
    )
    .await;
    too_many.expect_error(400, "invalid_field");
}
