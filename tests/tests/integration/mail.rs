//! E-mail (issue 16): the options are offered only with SMTP settings; double
//! opt-in; digests; RFC 8058 one-click unsubscribe; a durable outbox across a
//! restart; "link kwijt?" without disclosure and with its limits; bounces.
//! Every mail goes to a real SMTP server (aiosmtpd) the test starts on loopback.

use std::time::Duration;

use mekaar_server::mail::MailSettings;
use mekaar_tests::bench::free_loopback_port;
use mekaar_tests::smtp::{link_in, Delivered, SmtpServer};
use mekaar_tests::{call, eventually, voter_key, Mine, TestServer, Town};
use serde_json::{json, Value};

const FROM: &str = "Dorpsraad Baarlo <nieuws@baarlo.example.nl>";

/// Mail to `port` on loopback, retried quickly, with a digest interval of `digest`.
fn settings(port: u16, digest: Duration) -> MailSettings {
    MailSettings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        from: Some(FROM.into()),
        digest_interval: digest,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
        max_attempts: 10_000,
        poll_every: Duration::from_millis(50),
        ..Default::default()
    }
}

/// A town on a server that sends mail to a fresh SMTP server.
async fn mail_town(digest: Duration, change: impl FnOnce(&mut MailSettings)) -> (Town, SmtpServer) {
    let port = free_loopback_port().unwrap();
    let smtp = SmtpServer::start(port);
    let mut mail = settings(port, digest);
    change(&mut mail);
    let server = TestServer::builder().mail(mail).start().await;
    (Town::start(server, "baarlo", &[]).await, smtp)
}

async fn initiative(town: &Town, contact_email: Option<&str>) -> Mine {
    let mut body = json!({
        "title": "Een moestuin bij de school",
        "summary": "Samen groente kweken met de kinderen.",
        "initiator_name": "Anja",
    });
    if let Some(email) = contact_email {
        body["contact_email"] = json!(email);
    }
    town.submit_ok(&body).await
}

fn join_body(contact: &str, keep_informed: bool) -> Value {
    json!({
        "name": "Piet",
        "contact": contact,
        "consent": true,
        "keep_informed": keep_informed,
    })
}

async fn counts(town: &Town) -> Value {
    call(
        town.http
            .get(town.admin_url("/mail"))
            .bearer_auth(&town.token),
    )
    .await
    .expect_ok()
    .clone()
}

/// Waits for the `n`th mail to `to` (counting from 1); all mails to `to` then.
async fn wait_for_mails(smtp: &SmtpServer, to: &str, n: usize) -> Vec<Delivered> {
    eventually(&format!("{n} mail(s) to {to}"), || async {
        let mails = smtp.messages_to(to);
        (mails.len() >= n).then_some(mails)
    })
    .await
}

/// Waits until the outbox of the town's community is empty.
async fn outbox_empty(town: &Town) {
    eventually("an empty outbox", || async {
        (counts(town).await["queued"] == 0).then_some(())
    })
    .await;
}

/// Joins with "houd me op de hoogte" and confirms by the mailed link.
async fn subscribe(town: &Town, smtp: &SmtpServer, mine: &Mine, voter: &str, email: &str) {
    town.join(&mine.id, voter, &join_body(email, true))
        .await
        .expect_ok();
    let mails = wait_for_mails(smtp, email, 1).await;
    let link = link_in(&mails[0].text, &town.server.at("/mail/confirm/")).expect("a confirm link");
    call(town.http.get(&link)).await.expect_ok();
}

#[tokio::test]
async fn without_smtp_settings_the_options_are_off_and_refused() {
    let town = Town::start(TestServer::start().await, "baarlo", &[]).await;
    let community = call(town.http.get(town.url(""))).await;
    assert_eq!(community.expect_ok()["mail"], false);
    let mine = initiative(&town, Some("anja@example.nl")).await;
    town.join(&mine.id, &voter_key(1), &join_body("piet@example.nl", true))
        .await
        .expect_error(409, "smtp_not_configured");
    // Without the tick a join is as before.
    town.join(
        &mine.id,
        &voter_key(1),
        &join_body("piet@example.nl", false),
    )
    .await
    .expect_ok();
    call(
        town.http
            .post(town.url("/manage-link"))
            .json(&json!({"email": "anja@example.nl"})),
    )
    .await
    .expect_error(409, "smtp_not_configured");
    let counts = counts(&town).await;
    assert_eq!(counts["enabled"], false);
    assert_eq!(counts["queued"], 0);
}

#[tokio::test]
async fn double_opt_in_news_only_after_confirmation_and_the_link_works_once() {
    let (town, smtp) = mail_town(Duration::from_secs(3600), |_| {}).await;
    let community = call(town.http.get(town.url(""))).await;
    assert_eq!(community.expect_ok()["mail"], true);
    let mine = initiative(&town, None).await;
    // A phone number cannot receive mail.
    town.join(&mine.id, &voter_key(1), &join_body("06 1234 5678", true))
        .await
        .expect_error(422, "invalid_email");

    let email = "piet@example.nl";
    town.join(&mine.id, &voter_key(1), &join_body(email, true))
        .await
        .expect_ok();
    let mails = wait_for_mails(&smtp, email, 1).await;
    assert_eq!(mails[0].from, "nieuws@baarlo.example.nl");
    let link = link_in(&mails[0].text, &town.server.at("/mail/confirm/")).expect("a confirm link");
    // News before the confirmation reaches no one.
    town.post_update(&mine.id, &mine.token, "Nieuws voor de bevestiging")
        .await
        .expect_ok();
    assert_eq!(counts(&town).await["subscribers"], 0);

    let confirmed = call(town.http.get(&link)).await;
    assert!(confirmed
        .expect_ok()
        .as_str()
        .unwrap()
        .contains("Bevestigd"));
    let again = call(town.http.get(&link)).await;
    assert_eq!(again.status, 404, "a confirm link works once");
    assert!(again.text.contains("onbekend"));
    assert_eq!(counts(&town).await["subscribers"], 1);

    town.post_update(
        &mine.id,
        &mine.token,
        "De eerste spade gaat zaterdag de grond in",
    )
    .await
    .expect_ok();
    let mails = wait_for_mails(&smtp, email, 2).await;
    let news: Vec<&Delivered> = mails
        .iter()
        .filter(|m| m.text.contains("eerste spade"))
        .collect();
    assert_eq!(news.len(), 1);
    assert!(!news[0].text.contains("voor de bevestiging"));
    assert!(news[0].subject.contains("Een moestuin bij de school"));
    outbox_empty(&town).await;
    assert_eq!(smtp.messages_to(email).len(), 2);

    // Sent mails are in the audit log without their content.
    let audit = town.audit().await;
    let audit = audit.expect_ok().to_string();
    assert!(audit.contains("mail_sent"), "{audit}");
    assert!(!audit.contains(email));
    assert!(!audit.contains("eerste spade"));
    let counts = counts(&town).await;
    assert_eq!(counts["sent"], 2);
    assert_eq!(counts["bounced"], 0);
}

#[tokio::test]
async fn news_within_the_interval_waits_for_one_digest() {
    let (town, smtp) = mail_town(Duration::from_secs(3), |_| {}).await;
    let mine = initiative(&town, None).await;
    let email = "digest@example.nl";
    subscribe(&town, &smtp, &mine, &voter_key(1), email).await;

    town.post_update(&mine.id, &mine.token, "Nieuws een")
        .await
        .expect_ok();
    let mails = wait_for_mails(&smtp, email, 2).await;
    assert!(mails.iter().any(|m| m.text.contains("Nieuws een")));
    // Two more soon after the first mail: one digest holds both.
    town.post_update(&mine.id, &mine.token, "Nieuws twee")
        .await
        .expect_ok();
    town.post_update(&mine.id, &mine.token, "Nieuws drie")
        .await
        .expect_ok();
    let mails = wait_for_mails(&smtp, email, 3).await;
    let digest = mails
        .iter()
        .find(|m| m.text.contains("Nieuws twee"))
        .expect("the digest");
    assert!(digest.text.contains("Nieuws drie"), "{}", digest.text);
    assert!(!digest.text.contains("Nieuws een"));
    outbox_empty(&town).await;
    assert_eq!(smtp.messages_to(email).len(), 3);
}

#[tokio::test]
async fn one_click_unsubscribe_by_post_and_a_get_only_asks() {
    let (town, smtp) = mail_town(Duration::from_secs(3600), |_| {}).await;
    let mine = initiative(&town, None).await;
    let email = "weg@example.nl";
    subscribe(&town, &smtp, &mine, &voter_key(1), email).await;
    town.post_update(&mine.id, &mine.token, "Er is nieuws")
        .await
        .expect_ok();
    let mails = wait_for_mails(&smtp, email, 2).await;
    let news = mails
        .iter()
        .find(|m| m.text.contains("Er is nieuws"))
        .unwrap();
    assert_eq!(news.text_type, "text/plain");
    let header = news.list_unsubscribe.clone().expect("List-Unsubscribe");
    let url = header
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap()
        .to_string();
    assert!(
        url.starts_with(&town.server.at("/mail/unsubscribe/")),
        "{header}"
    );
    assert_eq!(
        news.list_unsubscribe_post.as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(news.text.contains(&url), "the link is in the text too");

    // A GET (a mail scanner following the link) shows a button, nothing more.
    let page = call(town.http.get(&url)).await;
    assert!(page
        .expect_ok()
        .as_str()
        .unwrap()
        .contains("<form method=\"post\""));
    assert_eq!(counts(&town).await["subscribers"], 1);

    let done = call(
        town.http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click"),
    )
    .await;
    assert!(done.expect_ok().as_str().unwrap().contains("Afgemeld"));
    assert_eq!(counts(&town).await["subscribers"], 0);
    let again = call(town.http.post(&url).body("List-Unsubscribe=One-Click")).await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn queued_mail_survives_a_restart_and_goes_once() {
    // The SMTP server is down at first: mails wait in the outbox.
    let port = free_loopback_port().unwrap();
    let server = TestServer::builder()
        .mail(settings(port, Duration::from_secs(3600)))
        .start()
        .await;
    let town = Town::start(server, "baarlo", &[]).await;
    let mine = initiative(&town, Some("anja@example.nl")).await;
    town.join(&mine.id, &voter_key(1), &join_body("piet@example.nl", true))
        .await
        .expect_ok();
    assert_eq!(counts(&town).await["queued"], 2);

    let town = town.restart().await;
    assert_eq!(counts(&town).await["queued"], 2, "the outbox is on disk");
    let smtp = SmtpServer::start(port);
    wait_for_mails(&smtp, "anja@example.nl", 1).await;
    wait_for_mails(&smtp, "piet@example.nl", 1).await;
    outbox_empty(&town).await;
    assert_eq!(smtp.messages().len(), 2, "none lost, none twice");
    let manage = &smtp.messages_to("anja@example.nl")[0];
    assert!(manage
        .text
        .contains(&format!("/manage/baarlo/{}#{}", mine.id, mine.token)));
    assert_eq!(counts(&town).await["sent"], 2);
}

#[tokio::test]
async fn lost_manage_links_are_mailed_without_telling_who_is_known() {
    let (town, smtp) = mail_town(Duration::from_secs(3600), |m| {
        m.link_requests_per_address = 3;
        m.link_requests_per_network = 6;
    })
    .await;
    let known = "anja@example.nl";
    let mine = initiative(&town, Some(known)).await;
    let first = wait_for_mails(&smtp, known, 1).await;
    assert!(first[0]
        .text
        .contains(&format!("/manage/baarlo/{}#{}", mine.id, mine.token)));

    let ask = |email: &str| {
        call(
            town.http
                .post(town.url("/manage-link"))
                .json(&json!({ "email": email })),
        )
    };
    let unknown = ask("niemand@example.nl").await;
    let answer = ask(known).await;
    assert_eq!(unknown.status, 202);
    assert_eq!(
        (unknown.status, &unknown.text),
        (answer.status, &answer.text)
    );
    // Requests are handled in order: once the known address has its mail and the
    // outbox is empty, the unknown one's request was handled too.
    let mails = wait_for_mails(&smtp, known, 2).await;
    outbox_empty(&town).await;
    assert!(mails
        .iter()
        .all(|m| m.text.contains(&format!("#{}", mine.token))));
    assert!(smtp.messages_to("niemand@example.nl").is_empty());

    // A bad address is refused as such; it says nothing about anyone.
    ask("geen adres").await.expect_error(422, "invalid_email");
    // Per address: 3 an hour.
    ask(known).await.expect_status(202);
    ask(known).await.expect_status(202);
    let limited = ask(known).await;
    limited.expect_error(429, "too_many_link_requests");
    assert!(limited.header("retry-after").is_some());
    // Per network: 6 an hour (5 used so far, one refused).
    ask("iemand@example.nl").await.expect_status(202);
    ask("nog.iemand@example.nl")
        .await
        .expect_error(429, "too_many_link_requests");
}

#[tokio::test]
async fn a_permanent_refusal_counts_as_a_bounce_and_stops_mail_to_the_address() {
    let (town, _smtp) = mail_town(Duration::from_secs(3600), |m| m.bounce_limit = 1).await;
    let mine = initiative(&town, None).await;
    town.join(
        &mine.id,
        &voter_key(1),
        &join_body("bounce@example.nl", true),
    )
    .await
    .expect_ok();
    eventually("a bounce counted", || async {
        (counts(&town).await["bounced"] == 1).then_some(())
    })
    .await;
    let after = counts(&town).await;
    assert_eq!(after["queued"], 0, "a 5xx is not retried");
    assert_eq!(after["sent"], 0);
    // The address bounced: no more mail is queued for it.
    town.join(
        &mine.id,
        &voter_key(2),
        &join_body("bounce@example.nl", true),
    )
    .await
    .expect_ok();
    assert_eq!(counts(&town).await["queued"], 0);
}

#[tokio::test]
async fn withdrawing_the_join_ends_the_subscription() {
    let (town, smtp) = mail_town(Duration::from_secs(3600), |_| {}).await;
    let mine = initiative(&town, None).await;
    subscribe(&town, &smtp, &mine, &voter_key(1), "piet@example.nl").await;
    assert_eq!(counts(&town).await["subscribers"], 1);
    town.withdraw_join(&mine.id, &voter_key(1))
        .await
        .expect_ok();
    assert_eq!(counts(&town).await["subscribers"], 0);
}
