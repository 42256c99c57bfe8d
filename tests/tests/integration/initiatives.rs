//! Integration tests of the initiatives capability (issue 3) over HTTP
//! against the real server: a resident submits, supports, joins and reports
//! without an account; the initiator holds a private manage token; moderators
//! approve, reject, hide, restore, edit and answer, and every one of those
//! actions is in the audit log; the public sees counts, never personal data.
//!
//! Waits are bounded polls with generous hang guards; nothing here asserts
//! how fast anything is.

use std::collections::BTreeSet;
use std::sync::Arc;

use mekaar_server::abuse::Limits;
use mekaar_tests::webhook_receiver::Receiver;
use mekaar_tests::{
    call, eventually, quick_retries, voter_key, Mine, TestServer, Town, VOTER_HEADER,
};
use reqwest::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{json, Value};
use tokio::sync::Barrier;

/// Limits high enough that only the rate-limit tests meet them.
fn generous() -> Limits {
    Limits {
        submits_per_hour: 100_000,
        joins_per_hour: 100_000,
        reports_per_hour: 100_000,
        ..Limits::default()
    }
}

const AREAS: [&str; 3] = ["Dorpskern", "Boekend", "Kloosterstraat"];
const THEMES: [&str; 3] = ["Groen", "Zorg", "Sport"];

async fn town(moderation: &str) -> Town {
    town_with(moderation, generous()).await
}

/// A server with one community ("baarlo") and its admin token; webhook retries quick
/// enough for a test.
async fn town_with(moderation: &str, limits: Limits) -> Town {
    let server = TestServer::builder()
        .limits(limits)
        .webhooks(quick_retries(1_000))
        .start()
        .await;
    let (town, created) = Town::create(
        server,
        &json!({
            "slug": "baarlo",
            "name": "Baarlo voor Mekaar",
            "areas": AREAS,
            "themes": THEMES,
            "support_threshold": 50,
            "moderation": moderation,
        }),
    )
    .await;
    assert_eq!(created["community"]["moderation"], moderation);
    assert_eq!(created["community"]["reports_before_hide"], 3);
    town
}

/// A valid submission with every field filled.
fn submission(title: &str) -> Value {
    json!({
        "title": title,
        "summary": format!("Samenvatting van {title}."),
        "story": format!("Het verhaal van {title}.\n\nMet een tweede alinea."),
        "area": "Dorpskern",
        "theme": "Groen",
        "initiator_name": "Anja, Kloosterstraat",
        "contact_email": "anja@example.nl",
    })
}

/// Asserts that none of `secrets` appears in any of `texts`.
#[track_caller]
fn assert_absent(texts: &[(String, String)], secrets: &[&str]) {
    for (url, text) in texts {
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{url} shows `{secret}`, which only the initiator and moderators may see: {text}"
            );
        }
    }
}

fn join_body(name: &str, contact: &str, message: &str) -> Value {
    json!({ "name": name, "contact": contact, "message": message, "consent": true })
}

// ------------------------------------------------------- submit and manage

#[tokio::test]
async fn a_resident_submits_and_only_their_manage_token_manages_it() {
    let t = town("post").await;
    let answer = t.submit(&submission("Buurtmoestuin")).await;
    let body = answer.expect_status(201).clone();
    assert_eq!(body["moderation"], "published");
    let card = &body["initiative"];
    assert_eq!(card["title"], "Buurtmoestuin");
    assert_eq!(card["status"], "idea");
    assert_eq!(card["initiator_name"], "Anja, Kloosterstraat");
    assert_eq!(card["area"], "Dorpskern");
    assert_eq!(card["theme"], "Groen");
    assert_eq!(card["support_count"], 0);
    assert_eq!(card["join_count"], 0);
    assert_eq!(card["support_threshold"], 50);
    assert_eq!(card["answered"], false);
    assert!(card["threshold_reached_at"].is_null());
    assert!(card.get("contact_email").is_none(), "{card}");
    let a = Mine {
        id: card["id"].as_str().unwrap().into(),
        token: body["manage_token"].as_str().unwrap().into(),
    };
    assert!(a.token.len() >= 20, "a guessable manage token: {}", a.token);
    let b = t.submit_ok(&submission("AED bij de kerk")).await;
    assert_ne!(a.token, b.token);

    // The manage link shows the initiative with its contact and joins.
    let view = t.manage(&a.id, &a.token).await;
    let view = view.expect_ok();
    assert_eq!(view["initiative"]["id"], a.id.as_str());
    assert_eq!(view["moderation"], "published");
    assert_eq!(view["contact_email"], "anja@example.nl");
    assert_eq!(view["joins"], json!([]));

    // No token, a wrong one, or the token of another initiative: 403.
    let missing = call(t.http.get(t.initiative_url(&a.id, "/manage"))).await;
    missing.expect_error(403, "invalid_manage_token");
    for wrong in [
        "",
        "not-the-token",
        &b.token,
        &a.token.to_uppercase(),
        &a.token[..a.token.len() - 1],
    ] {
        t.manage(&a.id, wrong)
            .await
            .expect_error(403, "invalid_manage_token");
    }
    // The token of A cannot edit B, post on B or read B's joiners.
    t.manage(&b.id, &a.token)
        .await
        .expect_error(403, "invalid_manage_token");
    t.manage_edit(&b.id, &a.token, &json!({"title": "Gekaapt"}))
        .await
        .expect_error(403, "invalid_manage_token");
    t.post_update(&b.id, &a.token, "Gekaapt")
        .await
        .expect_error(403, "invalid_manage_token");
    // A community admin token is not a manage token either.
    t.manage(&b.id, &t.token)
        .await
        .expect_error(403, "invalid_manage_token");
    let b_detail = t.detail(&b.id).await;
    assert_eq!(b_detail.expect_ok()["title"], "AED bij de kerk");
    assert_eq!(b_detail.body["updates"], json!([]));

    // Its own token edits it.
    let edited = t
        .manage_edit(&a.id, &a.token, &json!({"title": "Moestuin Boekend"}))
        .await;
    assert_eq!(
        edited.expect_ok()["initiative"]["title"],
        "Moestuin Boekend"
    );

    // An initiative a moderator made has no manage token at all.
    let made = t
        .server
        .create_initiative(&t.slug, &t.token, "Jeu de boules-baan")
        .await;
    for token in [a.token.as_str(), b.token.as_str(), ""] {
        t.manage(&made.id, token)
            .await
            .expect_error(403, "invalid_manage_token");
    }

    // The token is never shown again, neither publicly nor to moderators.
    let texts = t.public_texts(&[&a.id, &b.id]).await;
    assert_absent(&texts, &[&a.token, &b.token]);
    let admin = t.admin_view(&a.id).await;
    assert!(!admin.text.contains(&a.token), "{admin:?}");
    assert!(!admin.text.contains("manage_token"), "{admin:?}");
    let manage_text = t.manage(&a.id, &a.token).await.text;
    assert!(!manage_text.contains(&a.token), "{manage_text}");
}

#[tokio::test]
async fn the_manage_token_survives_a_restart() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;
    let t = t.restart().await;
    t.manage(&mine.id, &mine.token).await.expect_ok();
    t.manage(&mine.id, "wrong")
        .await
        .expect_error(403, "invalid_manage_token");
}

// ------------------------------------------------------------- moderation

#[tokio::test]
async fn pre_moderation_keeps_new_initiatives_invisible_until_approved() {
    let t = town("pre").await;
    let community = call(t.http.get(t.url(""))).await;
    assert_eq!(community.expect_ok()["moderation"], "pre");

    let answer = t.submit(&submission("Buurtmoestuin")).await;
    assert_eq!(answer.expect_status(201)["moderation"], "pending");
    let pending = Mine {
        id: answer.body["initiative"]["id"].as_str().unwrap().into(),
        token: answer.body["manage_token"].as_str().unwrap().into(),
    };
    let doomed = t.submit_ok(&submission("Reclamezuil")).await;

    // The public cannot see, support, join or report a pending initiative.
    let voter = voter_key(1);
    for id in [&pending.id, &doomed.id] {
        assert_invisible(&t, id, &voter).await;
    }
    // The initiator can, and sees that it waits.
    let view = t.manage(&pending.id, &pending.token).await;
    assert_eq!(view.expect_ok()["moderation"], "pending");
    // Moderators find both in the pending queue.
    let queue: BTreeSet<String> = t.queue("pending").await.into_iter().collect();
    assert_eq!(
        queue,
        BTreeSet::from([pending.id.clone(), doomed.id.clone()])
    );

    // Approve one, reject the other.
    let approved = t.moderate(&pending.id, "approve").await;
    assert_eq!(approved.expect_ok()["moderation"], "published");
    let rejected = t.moderate(&doomed.id, "reject").await;
    assert_eq!(rejected.expect_ok()["moderation"], "rejected");

    assert_eq!(
        t.detail(&pending.id).await.expect_ok()["title"],
        "Buurtmoestuin"
    );
    assert_eq!(t.list_ids("").await, vec![pending.id.clone()]);
    t.support(&pending.id, &voter).await.expect_ok();
    t.join(
        &pending.id,
        &voter,
        &join_body("Piet", "piet@example.nl", ""),
    )
    .await
    .expect_ok();
    assert_invisible(&t, &doomed.id, &voter).await;
    assert_eq!(t.queue("pending").await, Vec::<String>::new());
    let view = t.manage(&doomed.id, &doomed.token).await;
    assert_eq!(view.expect_ok()["moderation"], "rejected");

    // Hide and restore by hand.
    t.moderate(&pending.id, "hide").await.expect_ok();
    assert_invisible(&t, &pending.id, &voter_key(2)).await;
    t.moderate(&pending.id, "restore").await.expect_ok();
    let detail = t.detail(&pending.id).await;
    // Supports and joins were kept while it was hidden.
    assert_eq!(detail.expect_ok()["support_count"], 1);
    assert_eq!(detail.body["join_count"], 1);

    // Every decision is in the audit log, newest first.
    let audit = t.audit().await;
    let actions: Vec<(String, String)> = audit
        .expect_ok()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["initiative"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("restore".to_string(), pending.id.clone()),
            ("hide".to_string(), pending.id.clone()),
            ("reject".to_string(), doomed.id.clone()),
            ("approve".to_string(), pending.id.clone()),
        ]
    );
    let approve = &audit.body[3];
    assert!(
        approve["actor"].as_str().unwrap().starts_with("admin:"),
        "{approve}"
    );
    assert_eq!(approve["note"], "test: approve");
    assert_eq!(approve["before"]["moderation"], "pending");
    assert_eq!(approve["after"]["moderation"], "published");
    assert!(approve["at"].as_u64().unwrap() > 1_600_000_000);
    assert!(!audit.text.contains(&pending.token));
}

/// The public sees no trace of `id`: 404 on every public address, absent
/// from the list and both feeds.
async fn assert_invisible(t: &Town, id: &str, voter: &str) {
    t.detail(id).await.expect_error(404, "initiative_not_found");
    for rest in ["/support", "/join"] {
        let state = call(
            t.http
                .get(t.initiative_url(id, rest))
                .header(VOTER_HEADER, voter),
        )
        .await;
        state.expect_error(404, "initiative_not_found");
    }
    t.support(id, voter)
        .await
        .expect_error(404, "initiative_not_found");
    t.join(id, voter, &join_body("Piet", "piet@example.nl", ""))
        .await
        .expect_error(404, "initiative_not_found");
    t.report(id, voter, "Klopt niet")
        .await
        .expect_error(404, "initiative_not_found");
    assert!(!t.list_ids("?limit=100").await.contains(&id.to_string()));
    for feed in ["/feed.json", "/feed.atom"] {
        let text = t.get_text(&t.url(feed)).await;
        assert_eq!(text.status, 200);
        assert!(!text.text.contains(id), "{feed} shows {id}: {}", text.text);
    }
}

#[tokio::test]
async fn post_moderation_publishes_at_once() {
    let t = town("post").await;
    let mine = t
        .submit_ok(&submission("Jeu de boules-baan bij het dorpshuis"))
        .await;
    assert_eq!(
        t.detail(&mine.id).await.expect_ok()["title"],
        "Jeu de boules-baan bij het dorpshuis"
    );
    assert_eq!(t.list_ids("").await, vec![mine.id.clone()]);
    assert_eq!(t.queue("pending").await, Vec::<String>::new());
    assert_eq!(t.queue("all").await, vec![mine.id.clone()]);
    t.support(&mine.id, &voter_key(1)).await.expect_ok();
    let feed = t.get_text(&t.url("/feed.json")).await;
    assert_eq!(feed.expect_ok()["initiatives"][0]["id"], mine.id.as_str());

    // Switching the community to pre-moderation holds back new ones only.
    t.patch_community(&json!({"moderation": "pre"})).await;
    let later = t.submit(&submission("Bankje bij de kapel")).await;
    assert_eq!(later.expect_status(201)["moderation"], "pending");
    assert_eq!(t.list_ids("").await, vec![mine.id.clone()]);
}

#[tokio::test]
async fn moderation_needs_a_valid_action_and_the_community_token() {
    let t = town("pre").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;
    let bad = call(
        t.http
            .post(t.admin_url(&format!("/initiatives/{}/moderation", mine.id)))
            .bearer_auth(&t.token)
            .json(&json!({"action": "publish"})),
    )
    .await;
    bad.expect_error(400, "invalid_field");
    let other = t.server.create_community("oldebroek", &[]).await;
    let foreign = call(
        t.http
            .post(t.admin_url(&format!("/initiatives/{}/moderation", mine.id)))
            .bearer_auth(&other.admin_token)
            .json(&json!({"action": "approve"})),
    )
    .await;
    foreign.expect_error(401, "unauthorized");
    // With the manage token as a bearer token: still no moderator.
    let initiator = call(
        t.http
            .post(t.admin_url(&format!("/initiatives/{}/moderation", mine.id)))
            .bearer_auth(&mine.token)
            .json(&json!({"action": "approve"})),
    )
    .await;
    initiator.expect_error(401, "unauthorized");
    t.detail(&mine.id)
        .await
        .expect_error(404, "initiative_not_found");
    let queue = call(
        t.http
            .get(t.admin_url("/initiatives?queue=everything"))
            .bearer_auth(&t.token),
    )
    .await;
    queue.expect_invalid("queue");
}

// ------------------------------------------------------- edits and audit

#[tokio::test]
async fn edits_by_the_initiator_and_by_moderators_are_audited_without_contact() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;

    let edited = t
        .manage_edit(
            &mine.id,
            &mine.token,
            &json!({
                "title": "Moestuin Boekend",
                "summary": "Samen groenten kweken.",
                "story": "Eerste alinea.\n\nTweede alinea met https://example.nl.",
                "status": "seeking_supporters",
                "area": "Boekend",
                "theme": "Zorg",
            }),
        )
        .await;
    let card = &edited.expect_ok()["initiative"];
    assert_eq!(card["title"], "Moestuin Boekend");
    let detail = t.detail(&mine.id).await;
    let detail = detail.expect_ok();
    assert_eq!(detail["title"], "Moestuin Boekend");
    assert_eq!(detail["summary"], "Samen groenten kweken.");
    assert_eq!(
        detail["story"],
        "Eerste alinea.\n\nTweede alinea met https://example.nl."
    );
    assert_eq!(detail["status"], "seeking_supporters");
    assert_eq!(detail["area"], "Boekend");
    assert_eq!(detail["theme"], "Zorg");
    assert!(detail["updated_at"].as_u64() >= detail["created_at"].as_u64());

    // Only the given fields change; an empty area clears it.
    t.manage_edit(
        &mine.id,
        &mine.token,
        &json!({"status": "in_progress", "area": ""}),
    )
    .await
    .expect_ok();
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["status"], "in_progress");
    assert!(detail.body["area"].is_null());
    assert_eq!(detail.body["title"], "Moestuin Boekend");

    // A moderator edits too, including the status.
    let by_moderator = t
        .admin_edit(
            &mine.id,
            &json!({"title": "Moestuin Boekend (gemeente)", "status": "realised"}),
        )
        .await;
    assert_eq!(by_moderator.expect_ok()["initiative"]["status"], "realised");
    assert_eq!(by_moderator.body["contact_email"], "anja@example.nl");
    assert_eq!(
        t.detail(&mine.id).await.expect_ok()["title"],
        "Moestuin Boekend (gemeente)"
    );
    // Through the server-wide token as well.
    let by_server_admin = call(
        t.http
            .patch(t.admin_url(&format!("/initiatives/{}", mine.id)))
            .bearer_auth(&t.server.server_token)
            .json(&json!({"status": "stopped"})),
    )
    .await;
    by_server_admin.expect_ok();

    // Invalid edits change nothing.
    t.manage_edit(&mine.id, &mine.token, &json!({"status": "done"}))
        .await
        .expect_error(400, "invalid_field");
    t.manage_edit(&mine.id, &mine.token, &json!({"title": "  "}))
        .await
        .expect_invalid("title");
    t.admin_edit(&mine.id, &json!({"theme": "Verkeer"}))
        .await
        .expect_invalid("theme");
    t.manage_edit(
        &mine.id,
        &mine.token,
        &json!({"contact_email": "x@example.nl"}),
    )
    .await
    .expect_error(400, "invalid_field");
    assert_eq!(t.detail(&mine.id).await.expect_ok()["status"], "stopped");

    let audit = t.audit().await;
    let entries = audit.expect_ok().as_array().unwrap().clone();
    let summary: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .map(|(actor, action)| (actor.split(':').next().unwrap(), action))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("server-admin", "edit"),
            ("admin", "edit"),
            ("initiator", "edit"),
            ("initiator", "edit"),
        ]
    );
    let first = &entries[3];
    assert_eq!(first["initiative"], mine.id.as_str());
    assert_eq!(first["before"]["title"], "Buurtmoestuin");
    assert_eq!(first["after"]["title"], "Moestuin Boekend");
    assert_eq!(first["before"]["status"], "idea");
    assert_eq!(first["after"]["status"], "seeking_supporters");
    assert_eq!(entries[1]["before"]["status"], "in_progress");
    assert_eq!(entries[1]["after"]["status"], "realised");
    // The actor names the token by a prefix of its hash, never the token.
    let actor = entries[1]["actor"].as_str().unwrap();
    assert!(!actor.contains(&t.token) && actor.len() < 30, "{actor}");
    assert!(!audit.text.contains(&t.server.server_token));
    // No contact details and no manage token (hash) in the log.
    assert!(!audit.text.contains("anja@example.nl"), "{}", audit.text);
    assert!(!audit.text.contains("contact_email"), "{}", audit.text);
    assert!(!audit.text.contains("manage_token"), "{}", audit.text);
    assert!(!audit.text.contains(&mine.token), "{}", audit.text);

    let limited = call(
        t.http
            .get(t.admin_url("/audit?limit=1"))
            .bearer_auth(&t.token),
    )
    .await;
    assert_eq!(limited.expect_ok().as_array().unwrap().len(), 1);
    assert_eq!(limited.body[0], entries[0]);
}

#[tokio::test]
async fn updates_and_the_official_answer_appear_in_the_detail() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("AED bij de kerk")).await;
    let other = t.submit_ok(&submission("Bankje bij de kapel")).await;

    let posted = t
        .post_update(&mine.id, &mine.token, "De kerk zegt ja!\n\nNu nog geld.")
        .await;
    assert_eq!(
        posted.expect_ok()["initiative"]["updates"][0]["text"],
        "De kerk zegt ja!\n\nNu nog geld."
    );
    t.post_update(&mine.id, &mine.token, "Het geld is binnen.")
        .await
        .expect_ok();
    let detail = t.detail(&mine.id).await;
    let updates = detail.expect_ok()["updates"].as_array().unwrap().clone();
    let texts: Vec<&str> = updates
        .iter()
        .map(|u| u["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["De kerk zegt ja!\n\nNu nog geld.", "Het geld is binnen."]
    );
    assert!(updates.iter().all(|u| u["posted_at"].as_u64().unwrap() > 0));
    t.post_update(&mine.id, &mine.token, "   ")
        .await
        .expect_invalid("text");

    assert!(detail.body["answer"].is_null());
    let answered = t
        .answer(
            &mine.id,
            "De gemeente betaalt de helft van de AED.",
            "Gemeente Peel en Maas, team Leefomgeving",
        )
        .await;
    assert_eq!(
        answered.expect_ok()["initiative"]["answer"]["answered_by"],
        "Gemeente Peel en Maas, team Leefomgeving"
    );
    let detail = t.detail(&mine.id).await;
    let answer = &detail.expect_ok()["answer"];
    assert_eq!(answer["text"], "De gemeente betaalt de helft van de AED.");
    assert_eq!(
        answer["answered_by"],
        "Gemeente Peel en Maas, team Leefomgeving"
    );
    assert!(answer["answered_at"].as_u64().unwrap() > 0);
    assert_eq!(detail.body["answered"], true);

    // Cards say which ones are answered.
    let list = t.list("").await;
    for card in list.expect_ok()["initiatives"].as_array().unwrap() {
        let expected = card["id"] == mine.id.as_str();
        assert_eq!(card["answered"], expected, "{card}");
        assert!(card.get("answer").is_none(), "cards carry no answer text");
    }
    let _ = other;

    // A new answer replaces the old one; both are audited.
    t.answer(&mine.id, "Aangepast antwoord.", "Gemeente Peel en Maas")
        .await
        .expect_ok();
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["answer"]["text"], "Aangepast antwoord.");
    let audit = t.audit().await;
    let answers: Vec<&Value> = audit
        .expect_ok()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "answer")
        .collect();
    assert_eq!(answers.len(), 2);
    assert_eq!(
        answers[0]["before"]["answer"]["text"],
        "De gemeente betaalt de helft van de AED."
    );
    assert_eq!(answers[0]["after"]["answer"]["text"], "Aangepast antwoord.");

    t.answer(&mine.id, "", "Gemeente")
        .await
        .expect_invalid("text");
    t.answer(&mine.id, "Tekst", "")
        .await
        .expect_invalid("answered_by");
}

// ------------------------------------------------------------------ list

#[tokio::test]
async fn the_list_filters_searches_sorts_and_pages() {
    let t = town("post").await;
    // (title, summary, story, area, theme, status, supports)
    let rows: [(&str, &str, &str, &str, &str, &str, u64); 6] = [
        (
            "Moestuin",
            "Groenten kweken",
            "",
            "Dorpskern",
            "Groen",
            "idea",
            3,
        ),
        (
            "AED bij de kerk",
            "Hartveilig dorp",
            "",
            "Boekend",
            "Zorg",
            "in_progress",
            7,
        ),
        (
            "Jeu de boules-baan",
            "Bij het dorpshuis",
            "",
            "Dorpskern",
            "Sport",
            "realised",
            1,
        ),
        (
            "Bankje",
            "Een rustpunt",
            "Bij de MOESTUIN van de school",
            "Kloosterstraat",
            "Groen",
            "idea",
            0,
        ),
        (
            "Speeltuin",
            "Voor de kleintjes",
            "",
            "Boekend",
            "Sport",
            "seeking_supporters",
            5,
        ),
        (
            "Bloembakken",
            "Kleur in de straat: moestuinbakken",
            "",
            "Kloosterstraat",
            "Groen",
            "stopped",
            2,
        ),
    ];
    let mut ids = Vec::new();
    for (n, (title, summary, story, area, theme, status, supports)) in rows.iter().enumerate() {
        let mine = t
            .submit_ok(&json!({
                "title": title, "summary": summary, "story": story,
                "area": area, "theme": theme, "initiator_name": "Bewoner",
            }))
            .await;
        t.manage_edit(&mine.id, &mine.token, &json!({"status": status}))
            .await
            .expect_ok();
        for v in 0..*supports {
            t.support(&mine.id, &voter_key(100 * n as u64 + v))
                .await
                .expect_ok();
        }
        ids.push(mine.id);
    }
    let set = |indexes: &[usize]| -> BTreeSet<String> {
        indexes.iter().map(|&i| ids[i].clone()).collect()
    };
    let found = |query: &'static str| {
        let t = &t;
        async move { t.list_ids(query).await.into_iter().collect::<BTreeSet<_>>() }
    };

    assert_eq!(found("?limit=100").await, set(&[0, 1, 2, 3, 4, 5]));
    assert_eq!(found("?area=Dorpskern").await, set(&[0, 2]));
    assert_eq!(found("?theme=Groen").await, set(&[0, 3, 5]));
    assert_eq!(found("?status=idea").await, set(&[0, 3]));
    assert_eq!(found("?status=seeking_supporters").await, set(&[4]));
    assert_eq!(found("?area=Boekend&theme=Sport").await, set(&[4]));
    assert_eq!(
        found("?area=Kloosterstraat&status=stopped").await,
        set(&[5])
    );
    assert_eq!(found("?area=Nergens").await, set(&[]));
    assert_eq!(
        found("?area=&theme=&status=&q=").await,
        set(&[0, 1, 2, 3, 4, 5])
    );
    // Search: title, summary and story, whatever the case.
    assert_eq!(found("?q=moestuin").await, set(&[0, 3, 5]));
    assert_eq!(found("?q=MoEsTuIn").await, set(&[0, 3, 5]));
    assert_eq!(found("?q=hartveilig").await, set(&[1]));
    assert_eq!(found("?q=%20dorpshuis%20").await, set(&[2]));
    assert_eq!(
        found("?q=moestuin&theme=Groen&status=idea").await,
        set(&[0, 3])
    );
    assert_eq!(found("?q=nergens-te-vinden").await, set(&[]));

    // Sort by support: most first.
    let by_support = t.list_ids("?sort=support").await;
    assert_eq!(
        by_support,
        [1, 4, 0, 5, 2, 3]
            .iter()
            .map(|&i| ids[i].clone())
            .collect::<Vec<_>>()
    );
    let counts: Vec<u64> = t.list("?sort=support").await.body["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["support_count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [7, 5, 3, 2, 1, 0]);
    // Newest first (the default): creation times never increase.
    for query in ["", "?sort=newest"] {
        let list = t.list(query).await;
        let created: Vec<u64> = list.expect_ok()["initiatives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["created_at"].as_u64().unwrap())
            .collect();
        assert_eq!(created.len(), 6);
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");
    }

    // Pages: every initiative exactly once, the total on every page.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let list = t.list(&format!("?sort=support&limit=2&page={page}")).await;
        let body = list.expect_ok();
        assert_eq!(body["total"], 6);
        assert_eq!(body["page"], page);
        assert_eq!(body["limit"], 2);
        let page_ids: Vec<String> = body["initiatives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(page_ids.len(), 2);
        seen.extend(page_ids);
    }
    assert_eq!(seen, by_support);
    let beyond = t.list("?limit=2&page=4").await;
    assert_eq!(beyond.expect_ok()["initiatives"], json!([]));
    assert_eq!(beyond.body["total"], 6);
    let filtered = t.list("?theme=Groen&limit=2&page=2").await;
    assert_eq!(filtered.expect_ok()["total"], 3);
    assert_eq!(filtered.body["initiatives"].as_array().unwrap().len(), 1);
    // Defaults, and page 0 is the first page.
    let default = t.list("").await;
    assert_eq!(default.expect_ok()["page"], 1);
    assert_eq!(default.body["limit"], 20);
    assert_eq!(t.list("?page=0").await.expect_ok()["page"], 1);
    assert_eq!(t.list("?limit=100").await.expect_ok()["limit"], 100);
    assert_eq!(
        t.list("?limit=1").await.expect_ok()["initiatives"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Out of bounds and malformed: 400 naming the parameter.
    for query in ["?limit=0", "?limit=101", "?limit=100000"] {
        t.list(query).await.expect_invalid("limit");
    }
    t.list("?status=done").await.expect_invalid("status");
    t.list("?sort=popular").await.expect_invalid("sort");
    for query in ["?limit=-1", "?limit=ten", "?page=-1", "?page=x"] {
        t.list(query).await.expect_error(400, "invalid_field");
    }
}

#[tokio::test]
async fn conditional_gets_answer_304_until_something_changes() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;
    for rest in [
        "/initiatives",
        "/initiatives?area=Dorpskern&sort=support",
        "/feed.json",
        "/feed.atom",
    ] {
        let url = t.url(rest);
        let first = call(t.http.get(&url)).await;
        assert_eq!(first.status, 200, "{first:?}");
        let etag = first.header("etag").expect("an ETag");
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        let cache = first.header("cache-control").unwrap_or_default();
        assert!(cache.contains("no-cache"), "{cache}");

        let again = call(t.http.get(&url).header(IF_NONE_MATCH, &etag)).await;
        assert_eq!(again.status, 304, "{again:?}");
        assert_eq!(again.text, "");
        assert_eq!(again.header("etag").as_deref(), Some(etag.as_str()));
        // Among several tags, or a stale one.
        let listed = call(
            t.http
                .get(&url)
                .header(IF_NONE_MATCH, format!("\"old\", {etag}")),
        )
        .await;
        assert_eq!(listed.status, 304, "{listed:?}");
        let stale = call(t.http.get(&url).header(IF_NONE_MATCH, "\"old\"")).await;
        assert_eq!(stale.status, 200, "{stale:?}");
    }

    let list_url = t.url("/initiatives");
    let before = call(t.http.get(&list_url)).await;
    let etag = before.header("etag").unwrap();
    assert_eq!(before.body["initiatives"][0]["support_count"], 0);
    t.support(&mine.id, &voter_key(1)).await.expect_ok();
    let after = call(t.http.get(&list_url).header(IF_NONE_MATCH, &etag)).await;
    assert_eq!(after.status, 200, "{after:?}");
    let new_etag = after.header(ETAG.as_str()).expect("a new ETag");
    assert_ne!(new_etag, etag);
    assert_eq!(after.body["initiatives"][0]["support_count"], 1);
    let now = call(t.http.get(&list_url).header(IF_NONE_MATCH, &new_etag)).await;
    assert_eq!(now.status, 304);

    // Tags of an earlier run of the server never match.
    let t = t.restart().await;
    let restarted = call(
        t.http
            .get(t.url("/initiatives"))
            .header(IF_NONE_MATCH, &new_etag),
    )
    .await;
    assert_eq!(restarted.status, 200, "{restarted:?}");
}

#[tokio::test]
async fn conditional_gets_compare_tags_weakly() {
    let t = town("post").await;
    t.submit_ok(&submission("Buurtmoestuin")).await;
    let url = t.url("/initiatives");
    let etag = call(t.http.get(&url)).await.header("etag").unwrap();
    for tag in [format!("W/{etag}"), "*".to_string()] {
        let again = call(t.http.get(&url).header(IF_NONE_MATCH, &tag)).await;
        assert_eq!(again.status, 304, "If-None-Match: {tag} → {again:?}");
    }
}

// ------------------------------------------------------------------ joins

#[tokio::test]
async fn joins_are_counted_in_public_and_detailed_only_for_initiator_and_moderators() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;
    let (piet, marie) = (voter_key(1), voter_key(2));

    // Consent is required, and nothing is stored without it.
    let mut no_consent = join_body("Piet Geheimnaam", "piet.geheim@example.nl", "");
    no_consent["consent"] = json!(false);
    t.join(&mine.id, &piet, &no_consent)
        .await
        .expect_error(400, "consent_required");
    let mut missing = no_consent.clone();
    missing.as_object_mut().unwrap().remove("consent");
    t.join(&mine.id, &piet, &missing)
        .await
        .expect_error(400, "invalid_field");
    assert_eq!(
        *t.join_state(&mine.id, &piet).await.expect_ok(),
        json!({"joined": false, "join_count": 0})
    );
    assert_eq!(
        t.manage(&mine.id, &mine.token).await.expect_ok()["joins"],
        json!([])
    );

    let joined = t
        .join(
            &mine.id,
            &piet,
            &join_body(
                "Piet Geheimnaam",
                "piet.geheim@example.nl",
                "Ik heb een spade.",
            ),
        )
        .await;
    assert_eq!(
        *joined.expect_ok(),
        json!({"joined": true, "join_count": 1})
    );
    assert_eq!(
        *t.join_state(&mine.id, &piet).await.expect_ok(),
        json!({"joined": true, "join_count": 1})
    );
    assert_eq!(
        *t.join_state(&mine.id, &marie).await.expect_ok(),
        json!({"joined": false, "join_count": 1})
    );
    // Joining again changes the details, not the count.
    let changed = t
        .join(
            &mine.id,
            &piet,
            &join_body("Piet Geheimnaam", "06 1234 5678", "Ik heb twee spades."),
        )
        .await;
    assert_eq!(
        *changed.expect_ok(),
        json!({"joined": true, "join_count": 1})
    );
    t.join(
        &mine.id,
        &marie,
        &join_body("Marie Verborgen", "marie.verborgen@example.nl", ""),
    )
    .await
    .expect_ok();
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["join_count"], 2);
    assert_eq!(t.list("").await.body["initiatives"][0]["join_count"], 2);

    // The initiator sees who joined (oldest first), with the new details.
    let view = t.manage(&mine.id, &mine.token).await;
    let joins = view.expect_ok()["joins"].as_array().unwrap().clone();
    assert_eq!(joins.len(), 2, "{joins:?}");
    let piet_join = joins
        .iter()
        .find(|j| j["name"] == "Piet Geheimnaam")
        .unwrap();
    assert_eq!(piet_join["contact"], "06 1234 5678");
    assert_eq!(piet_join["message"], "Ik heb twee spades.");
    assert!(piet_join["joined_at"].as_u64().unwrap() > 0);
    assert!(
        !view.text.contains("piet.geheim@example.nl"),
        "old contact kept"
    );
    assert!(joins
        .iter()
        .any(|j| j["contact"] == "marie.verborgen@example.nl"));
    // So do moderators.
    let admin = t.admin_view(&mine.id).await;
    assert_eq!(admin.expect_ok()["joins"].as_array().unwrap().len(), 2);
    assert!(admin.text.contains("Marie Verborgen"));

    // Nobody else does.
    let texts = t.public_texts(&[&mine.id]).await;
    assert_absent(
        &texts,
        &[
            "Piet Geheimnaam",
            "piet.geheim@example.nl",
            "06 1234 5678",
            "twee spades",
            "Marie Verborgen",
            "marie.verborgen@example.nl",
        ],
    );

    // Withdrawing removes the details; withdrawing twice is harmless.
    let withdrawn = t.withdraw_join(&mine.id, &piet).await;
    assert_eq!(
        *withdrawn.expect_ok(),
        json!({"joined": false, "join_count": 1})
    );
    let again = t.withdraw_join(&mine.id, &piet).await;
    assert_eq!(
        *again.expect_ok(),
        json!({"joined": false, "join_count": 1})
    );
    let view = t.manage(&mine.id, &mine.token).await;
    assert_eq!(view.expect_ok()["joins"].as_array().unwrap().len(), 1);
    assert!(!view.text.contains("Piet"), "{}", view.text);
    let admin = t.admin_view(&mine.id).await;
    assert!(!admin.text.contains("Piet"), "{}", admin.text);
    assert_eq!(t.detail(&mine.id).await.body["join_count"], 1);
    // A withdrawn joiner can join again.
    t.join(&mine.id, &piet, &join_body("Piet", "piet@example.nl", ""))
        .await
        .expect_ok();
    assert_eq!(t.detail(&mine.id).await.body["join_count"], 2);

    // Joining needs a voter key.
    let anonymous = call(
        t.http
            .post(t.initiative_url(&mine.id, "/join"))
            .json(&join_body("Anoniem", "a@example.nl", "")),
    )
    .await;
    anonymous.expect_error(400, "invalid_voter_key");
}

// ---------------------------------------------------------------- reports

#[tokio::test]
async fn reports_hide_after_enough_residents_and_a_restore_starts_afresh() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Reclamezuil")).await;
    let other = t.submit_ok(&submission("Buurtmoestuin")).await;

    // One report per voter: the same voter three times counts once.
    for _ in 0..3 {
        let answer = t
            .report(&mine.id, &voter_key(1), "Reden-geheim: reclame")
            .await;
        assert_eq!(*answer.expect_ok(), json!({"reported": true}));
    }
    t.report(&mine.id, &voter_key(2), "Reden-geheim: spam")
        .await
        .expect_ok();
    t.detail(&mine.id).await.expect_ok();
    assert_eq!(t.queue("reported").await, vec![mine.id.clone()]);
    let admin = t.admin_view(&mine.id).await;
    assert_eq!(admin.expect_ok()["report_count"], 2);
    let reasons: BTreeSet<&str> = admin.body["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        BTreeSet::from(["Reden-geheim: reclame", "Reden-geheim: spam"])
    );
    // Reasons are for moderators only.
    let texts = t.public_texts(&[&mine.id, &other.id]).await;
    assert_absent(&texts, &["Reden-geheim", "report_count", "reports"]);

    // The third different voter hides it.
    t.report(&mine.id, &voter_key(3), "Reden-geheim: kwetsend")
        .await
        .expect_ok();
    assert_invisible(&t, &mine.id, &voter_key(9)).await;
    assert_eq!(
        t.admin_view(&mine.id).await.expect_ok()["moderation"],
        "hidden"
    );
    // The initiator still sees it, and that it is hidden.
    assert_eq!(
        t.manage(&mine.id, &mine.token).await.expect_ok()["moderation"],
        "hidden"
    );
    // The other initiative is untouched.
    t.detail(&other.id).await.expect_ok();
    let audit = t.audit().await;
    let auto = audit
        .expect_ok()
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "auto_hide")
        .cloned()
        .expect("auto_hide in the audit log");
    assert_eq!(auto["actor"], "system");
    assert_eq!(auto["initiative"], mine.id.as_str());
    assert_eq!(auto["before"]["moderation"], "published");
    assert_eq!(auto["after"]["moderation"], "hidden");
    assert!(!audit.text.contains("anja@example.nl"));

    // A moderator restores it: visible, and the old reports are done with.
    t.moderate(&mine.id, "restore").await.expect_ok();
    t.detail(&mine.id).await.expect_ok();
    assert_eq!(t.queue("reported").await, Vec::<String>::new());
    for v in 1..=3 {
        t.report(&mine.id, &voter_key(v), "Nog steeds")
            .await
            .expect_ok();
    }
    t.detail(&mine.id).await.expect_ok();
    // Three new residents hide it again.
    t.report(&mine.id, &voter_key(4), "Nieuw").await.expect_ok();
    t.report(&mine.id, &voter_key(5), "Nieuw").await.expect_ok();
    t.detail(&mine.id).await.expect_ok();
    assert_eq!(t.queue("reported").await, vec![mine.id.clone()]);
    t.report(&mine.id, &voter_key(6), "Nieuw").await.expect_ok();
    t.detail(&mine.id)
        .await
        .expect_error(404, "initiative_not_found");
    assert_eq!(t.admin_view(&mine.id).await.expect_ok()["report_count"], 6);

    // Reports need a reason of reasonable length and a voter key.
    t.report(&other.id, &voter_key(1), "  ")
        .await
        .expect_invalid("reason");
    let anonymous = call(
        t.http
            .post(t.initiative_url(&other.id, "/report"))
            .json(&json!({"reason": "x"})),
    )
    .await;
    anonymous.expect_error(400, "invalid_voter_key");
}

#[tokio::test]
async fn reports_before_hide_is_the_communitys_setting() {
    let t = town("post").await;
    t.patch_community(&json!({"reports_before_hide": 5})).await;
    let mine = t.submit_ok(&submission("Reclamezuil")).await;
    for v in 1..=4 {
        t.report(&mine.id, &voter_key(v), "Reclame")
            .await
            .expect_ok();
    }
    t.detail(&mine.id).await.expect_ok();
    t.report(&mine.id, &voter_key(5), "Reclame")
        .await
        .expect_ok();
    t.detail(&mine.id)
        .await
        .expect_error(404, "initiative_not_found");

    t.patch_community(&json!({"reports_before_hide": 1})).await;
    let quick = t.submit_ok(&submission("Spamactie")).await;
    t.report(&quick.id, &voter_key(1), "Spam").await.expect_ok();
    t.detail(&quick.id)
        .await
        .expect_error(404, "initiative_not_found");

    let bad = call(
        t.http
            .patch(t.admin_url(""))
            .bearer_auth(&t.token)
            .json(&json!({"reports_before_hide": 0})),
    )
    .await;
    bad.expect_invalid("reports_before_hide");
}

/// Reports `rounds` initiatives by 12 voters each, all at once; answers
/// how many `auto_hide` entries the audit log has for each of them.
async fn concurrent_reports(rounds: usize) -> Vec<usize> {
    let t = Arc::new(town("post").await);
    let mut ids = Vec::new();
    for n in 0..rounds {
        ids.push(
            t.submit_ok(&submission(&format!("Reclamezuil {n}")))
                .await
                .id,
        );
    }
    const VOTERS: u64 = 12;
    let start = Arc::new(Barrier::new(VOTERS as usize * rounds));
    let mut tasks = Vec::new();
    for id in &ids {
        for v in 0..VOTERS {
            let (t, id, start) = (t.clone(), id.clone(), start.clone());
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                t.report(&id, &voter_key(v), "Reclame").await
            }));
        }
    }
    for task in tasks {
        // Reports racing the hide may find it already hidden: 404 is fine.
        let answer = task.await.unwrap();
        assert!(matches!(answer.status, 200 | 404), "{answer:?}");
    }
    let audit = t.audit().await;
    let entries = audit.expect_ok().as_array().unwrap().clone();
    let mut hides = Vec::new();
    for id in &ids {
        t.detail(id).await.expect_error(404, "initiative_not_found");
        let view = t.admin_view(id).await;
        assert_eq!(view.expect_ok()["moderation"], "hidden");
        hides.push(
            entries
                .iter()
                .filter(|e| e["action"] == "auto_hide" && e["initiative"] == id.as_str())
                .count(),
        );
    }
    hides
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reports_hide_the_initiative() {
    for hides in concurrent_reports(3).await {
        assert!(hides >= 1, "the auto-hide is not in the audit log");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reports_log_the_auto_hide_once() {
    let hides = concurrent_reports(30).await;
    assert!(
        hides.iter().all(|&n| n == 1),
        "auto_hide entries per initiative: {hides:?}"
    );
}

// -------------------------------------------------------------- threshold

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_threshold_moment_is_recorded_and_announced_once_under_concurrent_supports() {
    let t = Arc::new(town("post").await);
    let receiver = Receiver::start().await;
    let hook = call(
        t.http
            .post(t.admin_url("/webhooks"))
            .bearer_auth(&t.token)
            .json(&json!({"url": receiver.url(), "events": ["threshold_reached", "answered"]})),
    )
    .await;
    hook.expect_status(201);
    t.patch_community(&json!({"support_threshold": 20})).await;
    let mine = t.submit_ok(&submission("Jeu de boules-baan")).await;
    let card = t.detail(&mine.id).await;
    assert_eq!(card.expect_ok()["support_threshold"], 20);
    assert!(card.body["threshold_reached_at"].is_null());

    const VOTERS: u64 = 60;
    let start = Arc::new(Barrier::new(VOTERS as usize));
    let mut tasks = Vec::new();
    for v in 0..VOTERS {
        let (t, id, start) = (t.clone(), mine.id.clone(), start.clone());
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            t.support(&id, &voter_key(v)).await
        }));
    }
    let mut counts = BTreeSet::new();
    for task in tasks {
        let answer = task.await.unwrap();
        counts.insert(answer.expect_ok()["support_count"].as_u64().unwrap());
    }
    assert_eq!(counts.last(), Some(&VOTERS));
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["support_count"], VOTERS);
    let reached_at = detail.body["threshold_reached_at"]
        .as_u64()
        .expect("threshold_reached_at is set");
    assert!(reached_at > 1_600_000_000);

    // Falling below and rising past it again keeps the first moment.
    for v in 0..50 {
        call(
            t.http
                .delete(t.initiative_url(&mine.id, "/support"))
                .header(VOTER_HEADER, voter_key(v)),
        )
        .await
        .expect_ok();
    }
    for v in 100..150 {
        t.support(&mine.id, &voter_key(v)).await.expect_ok();
    }
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["threshold_reached_at"], reached_at);
    let list = t.list("").await;
    assert_eq!(
        list.body["initiatives"][0]["threshold_reached_at"],
        reached_at
    );

    // The outbox delivers in order: once the answer (queued after all the
    // supports) has arrived, every threshold event would have too.
    t.answer(&mine.id, "De gemeente legt de baan aan.", "Gemeente")
        .await
        .expect_ok();
    eventually("the answered event", || async {
        receiver
            .bodies()
            .iter()
            .any(|b| b["event"] == "answered")
            .then_some(())
    })
    .await;
    let bodies = receiver.bodies();
    let reached: Vec<&Value> = bodies
        .iter()
        .filter(|b| b["event"] == "threshold_reached")
        .collect();
    assert_eq!(reached.len(), 1, "threshold_reached deliveries: {bodies:?}");
    let event = reached[0];
    assert_eq!(event["initiative"]["id"], mine.id.as_str());
    assert_eq!(event["initiative"]["threshold_reached_at"], reached_at);
    assert!(event["initiative"]["support_count"].as_u64().unwrap() >= 20);
    assert_eq!(event["details"]["support_threshold"], 20);
}

// ------------------------------------------------------------ rate limits

fn strict() -> Limits {
    Limits {
        submits_per_hour: 3,
        joins_per_hour: 2,
        reports_per_hour: 2,
        ..Limits::default()
    }
}

#[tokio::test]
async fn submits_joins_and_reports_are_rate_limited_per_network() {
    let t = town_with("post", strict()).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(
            t.submit_ok(&submission(&format!("Initiatief {n}")))
                .await
                .id,
        );
    }
    let refused = t.submit(&submission("Nog een")).await;
    let message = refused.expect_error(429, "rate_limited");
    assert!(message.contains("minute"), "{message}");
    assert_eq!(
        t.list("").await.body["total"],
        3,
        "the refused one was not stored"
    );

    // Joins and reports have budgets of their own.
    t.join(&ids[0], &voter_key(1), &join_body("A", "a@example.nl", ""))
        .await
        .expect_ok();
    t.join(&ids[0], &voter_key(2), &join_body("B", "b@example.nl", ""))
        .await
        .expect_ok();
    t.join(&ids[1], &voter_key(3), &join_body("C", "c@example.nl", ""))
        .await
        .expect_error(429, "rate_limited");
    assert_eq!(t.detail(&ids[1]).await.body["join_count"], 0);
    t.report(&ids[2], &voter_key(1), "Reden").await.expect_ok();
    t.report(&ids[2], &voter_key(2), "Reden").await.expect_ok();
    t.report(&ids[2], &voter_key(3), "Reden")
        .await
        .expect_error(429, "rate_limited");
    // The refused report did not count towards hiding.
    assert_eq!(t.admin_view(&ids[2]).await.expect_ok()["report_count"], 2);
    t.detail(&ids[2]).await.expect_ok();

    // Supports, reads and withdrawals are not limited.
    for v in 0..20 {
        t.support(&ids[0], &voter_key(v)).await.expect_ok();
    }
    t.withdraw_join(&ids[0], &voter_key(1)).await.expect_ok();
    t.list("").await.expect_ok();
    // Moderators are not limited either.
    t.server
        .create_initiative(&t.slug, &t.token, "Door de gemeente")
        .await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_network_has_its_own_budget() {
    let t = town_with(
        "post",
        Limits {
            trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
            ..strict()
        },
    )
    .await;
    let from = |network: &str| {
        t.http
            .post(t.url("/initiatives"))
            .header("x-forwarded-for", network)
    };
    for n in 0..3 {
        call(from("192.0.2.10").json(&submission(&format!("School {n}"))))
            .await
            .expect_status(201);
    }
    call(from("192.0.2.10").json(&submission("School 4")))
        .await
        .expect_error(429, "rate_limited");
    call(from("198.51.100.7, 10.0.0.1").json(&submission("Buren")))
        .await
        .expect_status(201);
    // IPv6 privacy addresses of one /64 are one network.
    for n in 0..3 {
        call(from(&format!("2001:db8:1:2::{n}")).json(&submission(&format!("Thuis {n}"))))
            .await
            .expect_status(201);
    }
    call(from("2001:db8:1:2:abcd::9").json(&submission("Thuis 4")))
        .await
        .expect_error(429, "rate_limited");
}

#[tokio::test]
async fn rate_limited_answers_say_when_to_try_again() {
    let t = town_with("post", strict()).await;
    for n in 0..3 {
        t.submit_ok(&submission(&format!("Initiatief {n}"))).await;
    }
    let refused = t.submit(&submission("Nog een")).await;
    refused.expect_error(429, "rate_limited");
    let retry_after: u64 = refused
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in seconds");
    // 3 per hour refill one every 20 minutes.
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    // A widget on another site must be able to read it.
    let t2 = town_with("post", strict()).await;
    t2.patch_community(&json!({"allowed_origins": ["https://www.baarlo.nl"]}))
        .await;
    for n in 0..3 {
        t2.submit_ok(&submission(&format!("Initiatief {n}"))).await;
    }
    let cross = call(
        t2.http
            .post(t2.url("/initiatives"))
            .header("origin", "https://www.baarlo.nl")
            .json(&submission("Nog een")),
    )
    .await;
    cross.expect_error(429, "rate_limited");
    assert!(cross.header("retry-after").is_some(), "{cross:?}");
    let exposed = cross
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "{cross:?}");
}

// -------------------------------------------------------------- bad input

#[tokio::test]
async fn lengths_choices_and_the_honeypot_are_checked() {
    let t = town("post").await;
    let long = |n: usize| "é".repeat(n);
    // Exactly at the limits (counted in characters, not bytes) is fine.
    let at_limits = json!({
        "title": long(120),
        "summary": long(280),
        "story": long(5000),
        "initiator_name": long(80),
        "contact_email": format!("{}@example.nl", "a".repeat(189)),
        "area": "Boekend",
        "theme": "Sport",
    });
    let mine = t.submit_ok(&at_limits).await;
    let detail = t.detail(&mine.id).await;
    assert_eq!(detail.expect_ok()["title"], long(120));
    assert_eq!(detail.body["story"], long(5000));

    // One over: 400 naming the field; nothing is stored.
    for (field, value) in [
        ("title", json!(long(121))),
        ("summary", json!(long(281))),
        ("story", json!(long(5001))),
        ("initiator_name", json!(long(81))),
        (
            "contact_email",
            json!(format!("{}@example.nl", "a".repeat(190))),
        ),
        ("contact_email", json!("geen-adres")),
        ("area", json!("Atlantis")),
        ("theme", json!("Verkeer")),
        ("title", json!("")),
        ("title", json!("Twee\nregels")),
        ("summary", json!("   ")),
        ("initiator_name", json!("")),
        ("title", json!("Bel\u{7}letje")),
        // Junk: shorter than a real title or summary.
        ("title", json!("Test")),
        ("summary", json!("Iets leuks")),
    ] {
        let mut body = submission("Geldig");
        body[field] = value;
        t.submit(&body).await.expect_invalid(field);
    }
    for field in ["title", "summary", "initiator_name"] {
        let mut body = submission("Geldig");
        body.as_object_mut().unwrap().remove(field);
        t.submit(&body).await.expect_error(400, "invalid_field");
    }
    let mut unknown = submission("Geldig");
    unknown["support_count"] = json!(1000);
    t.submit(&unknown).await.expect_error(400, "invalid_field");
    let malformed = call(
        t.http
            .post(t.url("/initiatives"))
            .header(CONTENT_TYPE, "application/json")
            .body("{\"title\": "),
    )
    .await;
    malformed.expect_error(400, "malformed_json");

    // The honeypot: only bots fill it in.
    let mut bot = submission("Goedkope horloges");
    bot["website"] = json!("https://spam.example");
    t.submit(&bot).await.expect_error(400, "spam_suspected");
    let mut blank = submission("Met lege honeypot");
    blank["website"] = json!("  ");
    t.submit_ok(&blank).await;
    assert_eq!(t.list("").await.body["total"], 2);
    assert_eq!(t.queue("all").await.len(), 2);

    // Joins, reports, updates, answers and edits.
    let long_join = [
        ("name", json!(long(81))),
        ("contact", json!(long(201))),
        ("message", json!(long(1001))),
        ("name", json!("")),
        ("contact", json!(" ")),
        // Neither an e-mail address nor a phone number.
        ("contact", json!("bel me maar")),
        ("contact", json!("0612")),
        ("contact", json!("piet@")),
    ];
    for (field, value) in long_join {
        let mut body = join_body("Piet", "piet@example.nl", "Hallo");
        body[field] = value;
        t.join(&mine.id, &voter_key(1), &body)
            .await
            .expect_invalid(field);
    }
    // A phone number is a contact too.
    t.join(
        &mine.id,
        &voter_key(2),
        &join_body("Piet", "+31 (0)6-1234 5678", ""),
    )
    .await
    .expect_ok();
    let at_limit = join_body(&long(80), &format!("{}@example.nl", long(189)), &long(1000));
    t.join(&mine.id, &voter_key(1), &at_limit).await.expect_ok();
    t.report(&mine.id, &voter_key(1), &long(501))
        .await
        .expect_invalid("reason");
    t.report(&mine.id, &voter_key(1), &long(500))
        .await
        .expect_ok();
    t.post_update(&mine.id, &mine.token, &long(2001))
        .await
        .expect_invalid("text");
    t.post_update(&mine.id, &mine.token, &long(2000))
        .await
        .expect_ok();
    t.answer(&mine.id, &long(5001), "Gemeente")
        .await
        .expect_invalid("text");
    t.answer(&mine.id, "Antwoord", &long(81))
        .await
        .expect_invalid("answered_by");
    t.answer(&mine.id, &long(5000), &long(80)).await.expect_ok();
    for (field, value) in [
        ("title", json!(long(121))),
        ("summary", json!(long(281))),
        ("story", json!(long(5001))),
        ("area", json!("Atlantis")),
        ("theme", json!("Verkeer")),
    ] {
        t.manage_edit(&mine.id, &mine.token, &json!({ field: value }))
            .await
            .expect_invalid(field);
        t.admin_edit(&mine.id, &json!({ field: value }))
            .await
            .expect_invalid(field);
    }
    // Nothing of the refused edits stuck.
    assert_eq!(t.detail(&mine.id).await.expect_ok()["title"], long(120));
}

/// A payload that does harm wherever it is interpreted as markup.
const PAYLOAD: &str = "<script>alert('x')</script><img src=x onerror=\"alert(1)\"> & </title>";
/// The same for a contact, which must be an e-mail address (no spaces).
const CONTACT_PAYLOAD: &str = "<script>alert('x')</script><img/src=x/onerror=alert(1)>&";
/// The same for labels (areas and themes: at most 60 characters).
const LABEL_PAYLOAD: &str = "<script>alert('x')</script> & </b>";

#[tokio::test]
async fn markup_in_every_field_is_kept_as_text_and_escaped_in_the_feed() {
    let t = town("post").await;
    // Areas and themes are the community's own labels; they may hold markup too.
    let area = format!("Dorp {LABEL_PAYLOAD}");
    let theme = format!("Thema {LABEL_PAYLOAD}");
    t.patch_community(&json!({"areas": [area], "themes": [theme]}))
        .await;
    let email = "<script>alert(1)</script>@example.nl";
    let mine = t
        .submit_ok(&json!({
            "title": format!("Titel {PAYLOAD}"),
            "summary": format!("Samenvatting {PAYLOAD}"),
            "story": format!("Verhaal {PAYLOAD}\n\n{PAYLOAD}"),
            "area": area,
            "theme": theme,
            "initiator_name": format!("Naam {PAYLOAD}"),
            "contact_email": email,
        }))
        .await;
    t.join(
        &mine.id,
        &voter_key(1),
        &join_body(
            &format!("Joiner {PAYLOAD}"),
            &format!("{}@example.nl", CONTACT_PAYLOAD),
            &format!("Bericht {PAYLOAD}"),
        ),
    )
    .await
    .expect_ok();
    t.report(&mine.id, &voter_key(1), &format!("Reden {PAYLOAD}"))
        .await
        .expect_ok();
    t.post_update(&mine.id, &mine.token, &format!("Update {PAYLOAD}"))
        .await
        .expect_ok();
    t.answer(
        &mine.id,
        &format!("Antwoord {PAYLOAD}"),
        &format!("Gemeente {PAYLOAD}"),
    )
    .await
    .expect_ok();

    // JSON answers return every field exactly as given.
    let detail = t.detail(&mine.id).await;
    assert!(detail
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let d = detail.expect_ok();
    assert_eq!(d["title"], format!("Titel {PAYLOAD}"));
    assert_eq!(d["summary"], format!("Samenvatting {PAYLOAD}"));
    assert_eq!(d["story"], format!("Verhaal {PAYLOAD}\n\n{PAYLOAD}"));
    assert_eq!(d["area"], area);
    assert_eq!(d["theme"], theme);
    assert_eq!(d["initiator_name"], format!("Naam {PAYLOAD}"));
    assert_eq!(d["updates"][0]["text"], format!("Update {PAYLOAD}"));
    assert_eq!(d["answer"]["text"], format!("Antwoord {PAYLOAD}"));
    assert_eq!(d["answer"]["answered_by"], format!("Gemeente {PAYLOAD}"));
    let view = t.manage(&mine.id, &mine.token).await;
    let v = view.expect_ok();
    assert_eq!(v["contact_email"], email);
    assert_eq!(v["joins"][0]["name"], format!("Joiner {PAYLOAD}"));
    assert_eq!(
        v["joins"][0]["contact"],
        format!("{}@example.nl", CONTACT_PAYLOAD)
    );
    assert_eq!(v["joins"][0]["message"], format!("Bericht {PAYLOAD}"));
    let admin = t.admin_view(&mine.id).await;
    assert_eq!(
        admin.expect_ok()["reports"][0]["reason"],
        format!("Reden {PAYLOAD}")
    );
    let feed = t.get_text(&t.url("/feed.json")).await;
    assert_eq!(
        feed.expect_ok()["initiatives"][0]["title"],
        format!("Titel {PAYLOAD}")
    );
    let community = call(t.http.get(t.url(""))).await;
    assert_eq!(community.expect_ok()["areas"][0], area);
    let listed = t.list(&format!("?area={}", urlencode(&area))).await;
    assert_eq!(listed.expect_ok()["total"], 1);

    // The Atom feed escapes all of it: no markup from residents survives.
    let atom = t.get_text(&t.url("/feed.atom")).await;
    assert_eq!(atom.status, 200);
    assert!(atom
        .header("content-type")
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = &atom.text;
    for raw in ["<script", "<img", "</title> &", "onerror=\"", "& </"] {
        assert!(!xml.contains(raw), "unescaped `{raw}` in the feed: {xml}");
    }
    assert!(xml.contains("Titel &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;/title&gt;"), "{xml}");
    assert!(xml.contains("Naam &lt;script&gt;"), "{xml}");
    assert!(xml.contains("term=\"Dorp &lt;script&gt;"), "{xml}");
    // Every element the feed opens is one of Atom's own.
    for tag in xml.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches(['/', '?'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            [
                "xml",
                "feed",
                "title",
                "id",
                "updated",
                "link",
                "generator",
                "entry",
                "published",
                "author",
                "name",
                "category",
                "summary",
                "content"
            ]
            .contains(&name.as_str()),
            "element `{name}` in the feed: {xml}"
        );
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ----------------------------------------------------------------- feeds

#[tokio::test]
async fn feeds_carry_no_personal_data() {
    let t = town("post").await;
    let mine = t
        .submit_ok(&json!({
            "title": "AED bij de kerk",
            "summary": "Een AED voor het hele dorp.",
            "story": "Het verhaal.",
            "area": "Dorpskern",
            "initiator_name": "Anja",
            "contact_email": "anja.privé@example.nl",
        }))
        .await;
    let hidden = t
        .submit_ok(&json!({
            "title": "Verborgen plan",
            "summary": "Niet voor iedereen.",
            "initiator_name": "Kees",
            "contact_email": "kees.privé@example.nl",
        }))
        .await;
    t.moderate(&hidden.id, "hide").await.expect_ok();
    t.support(&mine.id, &voter_key(1)).await.expect_ok();
    t.join(
        &mine.id,
        &voter_key(1),
        &join_body("Jozef Geheimnaam", "06-98765432", "Mijn geheime bericht"),
    )
    .await
    .expect_ok();
    t.report(&mine.id, &voter_key(2), "Een geheime reden")
        .await
        .expect_ok();
    t.answer(&mine.id, "Openbaar antwoord van de gemeente.", "Gemeente")
        .await
        .expect_ok();

    let json_feed = t.get_text(&t.url("/feed.json")).await;
    let feed = json_feed.expect_ok();
    assert_eq!(feed["total"], 1);
    let entry = &feed["initiatives"][0];
    assert_eq!(entry["id"], mine.id.as_str());
    assert_eq!(entry["support_count"], 1);
    assert_eq!(entry["join_count"], 1);
    assert_eq!(entry["answered"], true);
    let atom = t.get_text(&t.url("/feed.atom")).await;
    assert_eq!(atom.status, 200);
    assert!(atom.text.contains("AED bij de kerk"));
    assert!(atom
        .text
        .contains(&format!("urn:mekaar:baarlo:{}", mine.id)));
    assert!(atom.text.starts_with("<?xml"));

    let texts = t.public_texts(&[&mine.id]).await;
    assert_absent(
        &texts,
        &[
            "anja.privé@example.nl",
            "contact_email",
            "Jozef Geheimnaam",
            "06-98765432",
            "Mijn geheime bericht",
            "Een geheime reden",
            "Verborgen plan",
            "kees.privé@example.nl",
            &hidden.id,
            &mine.token,
        ],
    );
}

#[tokio::test]
async fn atom_entries_are_valid_atom() {
    let t = town("post").await;
    t.submit_ok(&submission("Buurtmoestuin")).await;
    let atom = t.get_text(&t.url("/feed.atom")).await;
    for entry in atom.text.split("<entry>").skip(1) {
        assert!(
            entry.contains("<content") || entry.contains("rel=\"alternate\""),
            "entry without content or alternate link: {entry}"
        );
    }
}

// ------------------------------------------------------------ manage page

#[tokio::test]
async fn the_manage_page_is_html_that_loads_the_widget() {
    let t = town("post").await;
    let mine = t.submit_ok(&submission("Buurtmoestuin")).await;
    let page = t
        .get_text(&t.server.at(&format!("/manage/baarlo/{}", mine.id)))
        .await;
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        page.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    let html = &page.text;
    assert!(html.contains("/embed.js"), "{html}");
    assert!(html.contains("data-mekaar=\"manage\""), "{html}");
    assert!(html.contains("data-community=\"baarlo\""), "{html}");
    assert!(
        html.contains(&format!("data-initiative=\"{}\"", mine.id)),
        "{html}"
    );
    assert!(!html.contains(&mine.token));
    let head = call(
        t.http
            .head(t.server.at(&format!("/manage/baarlo/{}", mine.id))),
    )
    .await;
    assert_eq!(head.status, 200);
    assert_eq!(head.text, "");

    for bad in [
        "/manage/baarlo/Not_An_Id",
        "/manage/baarlo/%3Cscript%3E",
        "/manage/Baarlo/abc",
        "/manage/-baarlo/abc",
        &format!("/manage/baarlo/{}", "a".repeat(65)),
    ] {
        let answer = t.get_text(&t.server.at(bad)).await;
        answer.expect_error(404, "route_not_found");
    }
}

// ------------------------------------------- queue counts and the initiatives page

#[tokio::test]
async fn every_queue_answer_counts_what_waits_for_a_moderator() {
    let t = town("pre").await;
    let counts = |answer: &Value| answer["counts"].clone();
    let queue = |which: &'static str| {
        let t = &t;
        async move {
            call(
                t.http
                    .get(t.admin_url(&format!("/initiatives?queue={which}")))
                    .bearer_auth(&t.token),
            )
            .await
            .expect_ok()
            .clone()
        }
    };
    assert_eq!(
        counts(&queue("pending").await),
        json!({"pending": 0, "reported": 0, "waiting": 0, "all": 0})
    );
    let a = t.submit_ok(&submission("Buurtmoestuin")).await;
    let b = t.submit_ok(&submission("Jeu de boules-baan")).await;
    let c = t.submit_ok(&submission("Speeltuin")).await;
    t.moderate(&b.id, "approve").await.expect_ok();
    t.moderate(&c.id, "approve").await.expect_ok();
    t.report(&b.id, &voter_key(1), "Dit klopt niet")
        .await
        .expect_ok();
    // a waits for approval, b is reported, c is fine: two wait.
    let expected = json!({"pending": 1, "reported": 1, "waiting": 2, "all": 3});
    for which in ["pending", "reported", "all"] {
        assert_eq!(counts(&queue(which).await), expected, "queue={which}");
    }
    // Approving a and keeping b (reports handled) leaves no work.
    t.moderate(&a.id, "approve").await.expect_ok();
    t.moderate(&b.id, "restore").await.expect_ok();
    assert_eq!(
        counts(&queue("reported").await),
        json!({"pending": 0, "reported": 0, "waiting": 0, "all": 3})
    );
}

#[tokio::test]
async fn the_initiatives_page_is_checked_public_and_kept() {
    let t = town("post").await;
    let public = |t: &Town| {
        let url = t.url("");
        let http = t.http.clone();
        async move { call(http.get(url)).await.expect_ok().clone() }
    };
    assert_eq!(public(&t).await["initiatives_page"], Value::Null);
    let long = format!("https://www.baarlo.nl/{}", "a".repeat(500));
    for bad in [
        json!("www.baarlo.nl/initiatieven"),
        json!("javascript:alert(1)"),
        json!("https://baarlo.nl/initiatieven#lijst"),
        json!("https://user:geheim@baarlo.nl/"),
        json!(long),
        json!(42),
    ] {
        let answer = call(
            t.http
                .patch(t.admin_url(""))
                .bearer_auth(&t.token)
                .json(&json!({ "initiatives_page": bad })),
        )
        .await;
        if bad.is_string() {
            answer.expect_invalid("initiatives_page");
        } else {
            assert_eq!(answer.status, 400, "{answer:?}");
        }
    }
    assert_eq!(public(&t).await["initiatives_page"], Value::Null);

    let page = "https://www.baarlo.nl/initiatieven?wijk=oost";
    t.patch_community(&json!({ "initiatives_page": page }))
        .await;
    assert_eq!(public(&t).await["initiatives_page"], page);
    // Other changes leave it; a restart keeps it.
    t.patch_community(&json!({ "name": "Baarlo samen" })).await;
    let t = t.restart().await;
    assert_eq!(public(&t).await["initiatives_page"], page);
    let admin = call(t.http.get(t.admin_url("")).bearer_auth(&t.token)).await;
    assert_eq!(admin.expect_ok()["initiatives_page"], page);
    // The audit log says what changed.
    let audit = t.audit().await;
    assert!(
        audit.body.to_string().contains(page),
        "the settings change is audited: {audit:?}"
    );
    // An empty address removes it.
    t.patch_community(&json!({ "initiatives_page": "" })).await;
    assert_eq!(public(&t).await["initiatives_page"], Value::Null);
}
