//! The dialogue (issue 15) over HTTP against the real server: residents react
//! without an account on initiatives, polls and topics; moderation (pre/post,
//! links and words held, first reactions, auto-hide by reports) and limits
//! hold; "eens" is counted exactly; authors edit within their window only;
//! badges come only with proof; every refusal is a structured error.

use std::sync::Arc;

use mekaar_server::abuse::Limits;
use mekaar_tests::sse::EventStream;
use mekaar_tests::webhook_receiver::Receiver;
use mekaar_tests::{call, eventually, quick_retries, voter_key, TestServer, Town, VOTER_HEADER};
use reqwest::header::{ETAG, IF_NONE_MATCH};
use serde_json::{json, Value};
use tokio::sync::Barrier;

fn generous() -> Limits {
    Limits {
        submits_per_hour: 100_000,
        joins_per_hour: 100_000,
        reports_per_hour: 100_000,
        ..Limits::default()
    }
}

/// A town with one published initiative; its id and manage token.
async fn town() -> (Town, String, String) {
    let server = TestServer::builder()
        .limits(generous())
        .webhooks(quick_retries(1_000))
        .start()
        .await;
    let (town, _) = Town::create(
        server,
        &json!({"slug": "oldebroek", "name": "Oldebroek Samen", "support_threshold": 10}),
    )
    .await;
    let mine = town
        .submit_ok(&json!({
            "title": "Een speeltuin bij de school",
            "summary": "Een veilige plek om te spelen voor de kinderen.",
            "story": "",
            "initiator_name": "Anja",
            "contact_email": "anja@example.nl",
        }))
        .await;
    (town, mine.id, mine.token)
}

/// The reaction ids of a thread page, top-level then their replies, in order.
fn ids(view: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for r in view["reactions"].as_array().expect("reactions") {
        out.push(r["id"].as_str().unwrap().to_string());
        for reply in r["replies"].as_array().into_iter().flatten() {
            out.push(reply["id"].as_str().unwrap().to_string());
        }
    }
    out
}

async fn page(town: &Town, kind: &str, id: &str, query: &str, voter: &str) -> Value {
    town.thread(kind, id, query, voter)
        .await
        .expect_ok()
        .clone()
}

#[tokio::test]
async fn post_moderation_shows_at_once_and_pre_moderation_waits_for_approval() {
    let (town, initiative, _) = town().await;
    let anna = voter_key(1);
    let bert = voter_key(2);
    let shown = town
        .react(
            "initiative",
            &initiative,
            &anna,
            &json!({"text": "Goed plan, ik help mee!", "name": "Anna", "stance": "for"}),
        )
        .await;
    let shown = shown.expect_status(201);
    assert_eq!(shown["state"], "published");
    assert_eq!(shown["stance"], "for");
    assert!(shown["editable_until"].as_u64().is_some());
    let view = page(&town, "initiative", &initiative, "", &bert).await;
    assert_eq!(ids(&view), vec![shown["id"].as_str().unwrap()]);
    assert_eq!(view["thread"]["reaction_count"], 1);
    assert_eq!(view["thread"]["stances"], true);
    assert_eq!(view["thread"]["title"], "Een speeltuin bij de school");
    // The card counts it too.
    assert_eq!(
        town.detail(&initiative).await.expect_ok()["reaction_count"],
        1
    );

    town.patch_community(&json!({"reactions": {"moderation": "pre"}}))
        .await;
    let waiting = town
        .react(
            "initiative",
            &initiative,
            &bert,
            &json!({"text": "Waar komt het precies?", "stance": "question"}),
        )
        .await;
    let waiting = waiting.expect_status(201).clone();
    assert_eq!(waiting["state"], "pending");
    let waiting_id = waiting["id"].as_str().unwrap();
    // Its author sees it waiting; others do not see it at all.
    let own = page(&town, "initiative", &initiative, "", &bert).await;
    assert!(ids(&own).contains(&waiting_id.to_string()));
    let other = page(&town, "initiative", &initiative, "", &anna).await;
    assert!(!ids(&other).contains(&waiting_id.to_string()));
    assert_eq!(other["thread"]["reaction_count"], 1);
    assert_eq!(town.reaction_queue("pending").await, vec![waiting_id]);
    let approved = town.moderate_reaction(waiting_id, "approve").await;
    assert_eq!(approved.expect_ok()["state"], "published");
    let after = page(&town, "initiative", &initiative, "", &anna).await;
    assert!(ids(&after).contains(&waiting_id.to_string()));
    assert_eq!(after["thread"]["reaction_count"], 2);
    assert!(town.reaction_queue("pending").await.is_empty());
    // Audited.
    let audit = town.audit().await;
    assert!(audit.text.contains("reaction_approve"), "{}", audit.text);
}

#[tokio::test]
async fn links_and_listed_words_wait_even_under_post_moderation_and_first_reactions_can_wait() {
    let (town, initiative, _) = town().await;
    town.patch_community(&json!({"reactions": {"hold_words": ["  Sukkel ", "slecht plan"]}}))
        .await;
    let cases = [
        ("Lees https://example.nl eerst", "link"),
        ("Wat een SUKKEL is dat", "word"),
        ("Dit is een slecht plan vind ik", "word"),
    ];
    for (n, (text, why)) in cases.iter().enumerate() {
        let answer = town
            .react(
                "initiative",
                &initiative,
                &voter_key(10 + n as u64),
                &json!({ "text": text }),
            )
            .await;
        assert_eq!(answer.expect_status(201)["state"], "pending", "{text}");
        let queue = call(
            town.http
                .get(town.admin_url("/reactions?queue=pending"))
                .bearer_auth(&town.token),
        )
        .await;
        let held = queue.expect_ok()["reactions"][0]["held_for"].clone();
        assert_eq!(held, *why, "{text}");
    }
    // A word inside another word is not the word.
    let fine = town
        .react(
            "initiative",
            &initiative,
            &voter_key(20),
            &json!({"text": "De sukkelaars van vroeger"}),
        )
        .await;
    assert_eq!(fine.expect_status(201)["state"], "published");

    // The first reaction of a key waits; once a moderator let one through, the next shows.
    town.patch_community(&json!({"reactions": {"first_reaction_waits": true}}))
        .await;
    let newcomer = voter_key(30);
    let first = town
        .react(
            "initiative",
            &initiative,
            &newcomer,
            &json!({"text": "Mijn eerste reactie hier."}),
        )
        .await;
    let first = first.expect_status(201).clone();
    assert_eq!(first["state"], "pending");
    let queue = call(
        town.http
            .get(town.admin_url("/reactions?queue=pending"))
            .bearer_auth(&town.token),
    )
    .await;
    assert_eq!(
        queue.expect_ok()["reactions"][0]["held_for"],
        "first_reaction"
    );
    town.moderate_reaction(first["id"].as_str().unwrap(), "approve")
        .await
        .expect_ok();
    let second = town
        .react(
            "initiative",
            &initiative,
            &newcomer,
            &json!({"text": "En nog een gedachte."}),
        )
        .await;
    assert_eq!(second.expect_status(201)["state"], "published");
    // Settings are checked.
    let bad = call(
        town.http
            .patch(town.admin_url(""))
            .bearer_auth(&town.token)
            .json(&json!({"reactions": {"reports_before_hide": 0}})),
    )
    .await;
    bad.expect_invalid("reactions.reports_before_hide");
}

#[tokio::test]
async fn three_reports_hide_a_reaction_until_a_moderator_restores_it() {
    let (town, initiative, _) = town().await;
    let receiver = Receiver::start().await;
    town.add_hook(&receiver.url(), &["reaction_posted", "reaction_reported"])
        .await;
    let id = town
        .react_ok(
            "initiative",
            &initiative,
            &voter_key(1),
            "Een reactie die niet iedereen bevalt.",
        )
        .await;
    for n in 0..3 {
        if n == 2 {
            // Reporting twice counts once: two reports so far, still shown.
            town.report_reaction(&id, &voter_key(100), "Nog eens")
                .await
                .expect_ok();
            let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
            assert_eq!(ids(&view), vec![id.clone()]);
        }
        town.report_reaction(&id, &voter_key(100 + n), "Onaardig")
            .await
            .expect_ok();
    }
    let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
    assert!(ids(&view).is_empty(), "hidden after three reports: {view}");
    assert_eq!(view["thread"]["reaction_count"], 0);
    let queue = call(
        town.http
            .get(town.admin_url("/reactions?queue=reported"))
            .bearer_auth(&town.token),
    )
    .await;
    let listed = &queue.expect_ok()["reactions"][0];
    assert_eq!(listed["state"], "hidden");
    assert_eq!(listed["report_count"], 3);
    assert_eq!(listed["report_reasons"].as_array().unwrap().len(), 3);
    assert_eq!(queue.expect_ok()["counts"]["reported"], 1);
    town.moderate_reaction(&id, "restore").await.expect_ok();
    let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
    assert_eq!(ids(&view), vec![id.clone()]);
    assert!(town.reaction_queue("reported").await.is_empty());
    // A restored reaction is not hidden again by the reports already looked at.
    town.report_reaction(&id, &voter_key(200), "Weer")
        .await
        .expect_ok();
    let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
    assert_eq!(ids(&view), vec![id.clone()]);
    // The webhooks heard of the reaction and of each report.
    let events: Vec<String> = eventually("the webhook deliveries", || async {
        let got = receiver.received();
        (got.len() >= 5).then(|| {
            got.iter()
                .map(|d| d.json()["event"].as_str().unwrap().to_string())
                .collect()
        })
    })
    .await;
    assert_eq!(events.iter().filter(|e| *e == "reaction_posted").count(), 1);
    assert_eq!(
        events.iter().filter(|e| *e == "reaction_reported").count(),
        4
    );
    let posted = receiver
        .received()
        .into_iter()
        .find(|d| d.json()["event"] == "reaction_posted")
        .unwrap()
        .json();
    assert_eq!(posted["reaction"]["thread"]["kind"], "initiative");
    assert_eq!(posted["reaction"]["id"], id);
}

#[tokio::test]
async fn rate_limits_per_device_and_per_network_answer_429_with_retry_after() {
    let (town, initiative, _) = town().await;
    town.patch_community(
        &json!({"reactions": {"per_key_per_10_minutes": 3, "per_network_per_hour": 5}}),
    )
    .await;
    let key = voter_key(1);
    for n in 0..3 {
        town.react_ok(
            "initiative",
            &initiative,
            &key,
            &format!("Reactie nummer {n}"),
        )
        .await;
    }
    let refused = town
        .react(
            "initiative",
            &initiative,
            &key,
            &json!({"text": "Nog eentje dan"}),
        )
        .await;
    refused.expect_error(429, "rate_limited");
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    // Another device on the same network may go on, until the network's budget.
    for n in 0..2 {
        town.react_ok(
            "initiative",
            &initiative,
            &voter_key(2),
            &format!("Andere {n}"),
        )
        .await;
    }
    let network = town
        .react(
            "initiative",
            &initiative,
            &voter_key(3),
            &json!({"text": "Derde apparaat"}),
        )
        .await;
    network.expect_error(429, "rate_limited");
    assert!(network.header("retry-after").is_some());
}

#[tokio::test]
async fn agree_is_idempotent_withdrawable_and_exact_under_100_concurrent_agrees() {
    let (town, initiative, _) = town().await;
    let id = town
        .react_ok(
            "initiative",
            &initiative,
            &voter_key(1),
            "Laten we beginnen.",
        )
        .await;
    let town = Arc::new(town);
    let barrier = Arc::new(Barrier::new(100));
    let mut tasks = Vec::new();
    for n in 0..100 {
        let (town, barrier, id) = (town.clone(), barrier.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let voter = voter_key(1_000 + n);
            town.agree(&id, &voter, true).await.expect_ok();
            // Twice from the same key counts once.
            town.agree(&id, &voter, true).await.expect_ok();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let view = page(&town, "initiative", &initiative, "", &voter_key(1_000)).await;
    assert_eq!(view["reactions"][0]["agree_count"], 100);
    assert_eq!(view["reactions"][0]["agreed"], true);
    let withdrawn = town.agree(&id, &voter_key(1_000), false).await;
    assert_eq!(withdrawn.expect_ok()["agree_count"], 99);
    assert_eq!(withdrawn.expect_ok()["agreed"], false);
    town.agree(&id, &voter_key(1_000), false).await.expect_ok();
    let view = page(&town, "initiative", &initiative, "", &voter_key(1_000)).await;
    assert_eq!(view["reactions"][0]["agree_count"], 99);
    assert_eq!(view["reactions"][0]["agreed"], false);
    // Survives a restart: counted sets on disk, not the memory.
    let town = Arc::into_inner(town)
        .expect("the only town")
        .restart()
        .await;
    let view = page(&town, "initiative", &initiative, "", &voter_key(1_001)).await;
    assert_eq!(view["reactions"][0]["agree_count"], 99);
    assert_eq!(view["reactions"][0]["agreed"], true);
}

#[tokio::test]
async fn sorting_stance_filter_paging_and_replies_one_level_deep() {
    let (town, initiative, _) = town().await;
    let mut made = Vec::new();
    for n in 0..25u64 {
        let stance = if n % 2 == 0 { "for" } else { "against" };
        let answer = town
            .react(
                "initiative",
                &initiative,
                &voter_key(n),
                &json!({"text": format!("Reactie {n} over het plan"), "stance": stance}),
            )
            .await;
        made.push(
            answer.expect_status(201)["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    town.agree(&made[3], &voter_key(500), true)
        .await
        .expect_ok();
    town.agree(&made[3], &voter_key(501), true)
        .await
        .expect_ok();
    town.agree(&made[7], &voter_key(500), true)
        .await
        .expect_ok();
    let newest = page(&town, "initiative", &initiative, "", &voter_key(900)).await;
    assert_eq!(newest["total"], 25);
    assert_eq!(newest["page_size"], 20);
    assert_eq!(ids(&newest)[0], made[24]);
    assert_eq!(ids(&newest).len(), 20);
    let second = page(&town, "initiative", &initiative, "?page=1", &voter_key(900)).await;
    assert_eq!(
        ids(&second),
        made[..5].iter().rev().cloned().collect::<Vec<_>>()
    );
    let oldest = page(
        &town,
        "initiative",
        &initiative,
        "?sort=oldest",
        &voter_key(900),
    )
    .await;
    assert_eq!(ids(&oldest)[0], made[0]);
    let agreed = page(
        &town,
        "initiative",
        &initiative,
        "?sort=agreed",
        &voter_key(900),
    )
    .await;
    assert_eq!(ids(&agreed)[..2], [made[3].clone(), made[7].clone()]);
    let against = page(
        &town,
        "initiative",
        &initiative,
        "?stance=against",
        &voter_key(900),
    )
    .await;
    assert_eq!(against["total"], 12);
    // Replies come along under their reaction, and only one level deep.
    let reply = town
        .react(
            "initiative",
            &initiative,
            &voter_key(600),
            &json!({"text": "Eens met je, buur.", "reply_to": made[24]}),
        )
        .await;
    let reply_id = reply.expect_status(201)["id"].as_str().unwrap().to_string();
    let view = page(&town, "initiative", &initiative, "", &voter_key(900)).await;
    assert_eq!(view["reactions"][0]["replies"][0]["id"], reply_id);
    assert_eq!(view["total"], 25, "replies are not top-level");
    town.react(
        "initiative",
        &initiative,
        &voter_key(601),
        &json!({"text": "Een antwoord op een antwoord", "reply_to": reply_id}),
    )
    .await
    .expect_error(400, "invalid_reply");
    town.react(
        "initiative",
        &initiative,
        &voter_key(601),
        &json!({"text": "Een antwoord met standpunt", "reply_to": made[0], "stance": "for"}),
    )
    .await
    .expect_invalid("stance");
    // Bad queries are refused clearly.
    town.thread("initiative", &initiative, "?sort=loudest", &voter_key(1))
        .await
        .expect_status(400);
}

#[tokio::test]
async fn authors_edit_and_delete_within_their_window_only_with_their_own_key() {
    let (town, initiative, _) = town().await;
    let author = voter_key(1);
    let id = town
        .react_ok(
            "initiative",
            &initiative,
            &author,
            "Ik heb een tiepfout gemaakt.",
        )
        .await;
    let edit = |voter: String, text: &'static str| {
        let town = &town;
        let id = id.clone();
        async move {
            call(
                town.http
                    .patch(town.reaction_url(&id, ""))
                    .header(VOTER_HEADER, voter)
                    .json(&json!({ "text": text })),
            )
            .await
        }
    };
    edit(voter_key(2), "Overgenomen door een ander")
        .await
        .expect_error(403, "not_your_reaction");
    let edited = edit(author.clone(), "Ik heb een typfout gemaakt.").await;
    assert_eq!(edited.expect_ok()["edited"], true);
    assert_eq!(edited.expect_ok()["text"], "Ik heb een typfout gemaakt.");
    // An edit that adds a link waits for a moderator again.
    let linked = edit(author.clone(), "Zie www.example.nl").await;
    assert_eq!(linked.expect_ok()["state"], "pending");
    let other = page(&town, "initiative", &initiative, "", &voter_key(3)).await;
    assert!(ids(&other).is_empty());
    // Delete: another key may not, the author may, and then it is gone.
    let delete = |voter: String| {
        call(
            town.http
                .delete(town.reaction_url(&id, ""))
                .header(VOTER_HEADER, voter),
        )
    };
    delete(voter_key(2))
        .await
        .expect_error(403, "not_your_reaction");
    delete(author.clone()).await.expect_status(204);
    let own = page(&town, "initiative", &initiative, "", &author).await;
    assert!(ids(&own).is_empty());
    delete(author.clone())
        .await
        .expect_error(404, "reaction_not_found");
    // The municipality's reactions have no author key: nobody edits them.
    let official = call(
        town.http
            .post(town.admin_url(&format!("/threads/initiative/{initiative}/reactions")))
            .bearer_auth(&town.token)
            .json(&json!({"text": "De gemeente denkt mee."})),
    )
    .await;
    let official_id = official.expect_status(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        town.http
            .patch(town.reaction_url(&official_id, ""))
            .header(VOTER_HEADER, author.clone())
            .json(&json!({"text": "Gekaapt"})),
    )
    .await
    .expect_error(403, "not_your_reaction");
}

#[tokio::test]
async fn badges_come_only_with_proof() {
    let (town, initiative, manage) = town().await;
    let resident = voter_key(1);
    // The initiator proves it with the manage token.
    let initiator = call(
        town.http
            .post(town.thread_url("initiative", &initiative, "/reactions"))
            .header(VOTER_HEADER, &resident)
            .header(mekaar_api::MANAGE_HEADER, &manage)
            .json(&json!({"text": "Dank jullie wel voor de steun!"})),
    )
    .await;
    assert_eq!(initiator.expect_status(201)["badge"], "initiator");
    // A wrong token is refused, not quietly posted without the badge.
    call(
        town.http
            .post(town.thread_url("initiative", &initiative, "/reactions"))
            .header(VOTER_HEADER, voter_key(2))
            .header(mekaar_api::MANAGE_HEADER, "0".repeat(64))
            .json(&json!({"text": "Ik ben de initiatiefnemer hoor"})),
    )
    .await
    .expect_error(403, "invalid_manage_token");
    // A resident cannot claim a badge in the body.
    town.react(
        "initiative",
        &initiative,
        &voter_key(3),
        &json!({"text": "Namens de gemeente", "badge": "municipality"}),
    )
    .await
    .expect_status(400);
    // The municipality replies from the console (admin API) only.
    let plain = town
        .react_ok(
            "initiative",
            &initiative,
            &voter_key(4),
            "Wie betaalt dit eigenlijk?",
        )
        .await;
    let reply = call(
        town.http
            .post(town.admin_url(&format!("/threads/initiative/{initiative}/reactions")))
            .bearer_auth(&town.token)
            .json(&json!({"text": "Het leefbaarheidsbudget.", "reply_to": plain})),
    )
    .await;
    let reply = reply.expect_status(201).clone();
    assert_eq!(reply["badge"], "municipality");
    assert_eq!(reply["name"], "Oldebroek Samen");
    call(
        town.http
            .post(town.admin_url(&format!("/threads/initiative/{initiative}/reactions")))
            .json(&json!({"text": "Zonder token"})),
    )
    .await
    .expect_status(401);
    let view = page(&town, "initiative", &initiative, "", &voter_key(9)).await;
    let badges: Vec<&Value> = view["reactions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            std::iter::once(&r["badge"]).chain(
                r["replies"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|x| &x["badge"]),
            )
        })
        .collect();
    assert!(badges.contains(&&json!("initiator")));
    assert!(badges.contains(&&json!("municipality")));
}

#[tokio::test]
async fn topics_open_and_close_and_closed_threads_refuse_reactions() {
    let (town, _, _) = town().await;
    let topic = town
        .topic("Moet de kermis terug naar het dorpsplein?")
        .await;
    let view = page(&town, "topic", &topic, "", &voter_key(1)).await;
    assert_eq!(
        view["thread"]["title"],
        "Moet de kermis terug naar het dorpsplein?"
    );
    assert_eq!(view["thread"]["intro"], "Praat mee.");
    assert_eq!(view["thread"]["open"], true);
    assert_eq!(view["thread"]["stances"], false);
    town.react_ok("topic", &topic, &voter_key(1), "Ja, daar hoort hij!")
        .await;
    // Stances are for initiatives.
    town.react(
        "topic",
        &topic,
        &voter_key(2),
        &json!({"text": "Nee hoor", "stance": "against"}),
    )
    .await
    .expect_invalid("stance");
    let closed = call(
        town.http
            .patch(town.admin_url(&format!("/threads/topic/{topic}")))
            .bearer_auth(&town.token)
            .json(&json!({"open": false})),
    )
    .await;
    assert_eq!(closed.expect_ok()["open"], false);
    town.react("topic", &topic, &voter_key(3), &json!({"text": "Te laat?"}))
        .await
        .expect_error(409, "thread_closed");
    // A closing time in the past closes it too, for polls as for topics.
    let poll = town
        .open_poll(
            json!({"question": "Welke kleur krijgt de bank?", "options": ["Groen", "Blauw"]}),
        )
        .await;
    town.react_ok("poll", &poll, &voter_key(4), "Groen past bij het park.")
        .await;
    call(
        town.http
            .patch(town.admin_url(&format!("/threads/poll/{poll}")))
            .bearer_auth(&town.token)
            .json(&json!({"closes_at": 1})),
    )
    .await
    .expect_ok();
    town.react("poll", &poll, &voter_key(5), &json!({"text": "Blauw!"}))
        .await
        .expect_error(409, "thread_closed");
    // Titles only for topics; the topics list counts reactions.
    call(
        town.http
            .patch(town.admin_url(&format!("/threads/poll/{poll}")))
            .bearer_auth(&town.token)
            .json(&json!({"title": "Andere vraag"})),
    )
    .await
    .expect_invalid("title");
    let topics = call(
        town.http
            .get(town.admin_url("/topics"))
            .bearer_auth(&town.token),
    )
    .await;
    assert_eq!(topics.expect_ok()[0]["reaction_count"], 1);
    assert_eq!(topics.expect_ok()[0]["open"], false);
    // Unknown threads and kinds.
    town.thread("topic", "nergens", "", &voter_key(1))
        .await
        .expect_error(404, "thread_not_found");
    town.thread("article", &topic, "", &voter_key(1))
        .await
        .expect_error(404, "thread_not_found");
    town.react(
        "topic",
        "nergens",
        &voter_key(1),
        &json!({"text": "Hallo daar"}),
    )
    .await
    .expect_error(404, "thread_not_found");
}

#[tokio::test]
async fn bad_input_gets_structured_refusals_and_html_stays_text() {
    let (town, initiative, _) = town().await;
    let key = voter_key(1);
    let post = |body: Value| {
        let (town, initiative, key) = (&town, &initiative, &key);
        async move { town.react("initiative", initiative, key, &body).await }
    };
    post(json!({"text": ""})).await.expect_invalid("text");
    post(json!({"text": "   \n "})).await.expect_invalid("text");
    post(json!({"text": "x".repeat(2_001)}))
        .await
        .expect_invalid("text");
    post(json!({"text": "Prima", "name": "n".repeat(61)}))
        .await
        .expect_invalid("name");
    post(json!({"text": "Ik ben een bot", "website": "http://spam"}))
        .await
        .expect_error(400, "spam_suspected");
    call(
        town.http
            .post(town.thread_url("initiative", &initiative, "/reactions"))
            .json(&json!({"text": "Zonder sleutel"})),
    )
    .await
    .expect_error(400, "invalid_voter_key");
    let script = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quotes\"";
    let answer = post(json!({"text": script, "name": "<b>Piet</b>"})).await;
    assert_eq!(answer.expect_status(201)["text"], script);
    // The same text again from the same key is refused, whatever its spacing.
    post(json!({"text": format!("  {script}  ")}))
        .await
        .expect_error(409, "duplicate_reaction");
    let view = page(&town, "initiative", &initiative, "", &voter_key(2)).await;
    let first = &view["reactions"][0];
    assert_eq!(
        first["text"], script,
        "stored and served as the text it was"
    );
    assert_eq!(first["name"], "<b>Piet</b>");
    // Malformed ids and unknown reactions.
    town.agree("../../etc", &key, true).await.expect_status(404);
    town.agree("0123456789abcdef", &key, true)
        .await
        .expect_error(404, "reaction_not_found");
    town.report_reaction("0123456789abcdef", &key, "")
        .await
        .expect_error(404, "reaction_not_found");
}

#[tokio::test]
async fn conditional_reads_answer_304_until_something_changes_and_live_watchers_hear_it() {
    let (town, initiative, _) = town().await;
    let reader = voter_key(7);
    let first = call(
        town.http
            .get(town.thread_url("initiative", &initiative, ""))
            .header(VOTER_HEADER, &reader),
    )
    .await;
    let etag = first.header(ETAG.as_str()).expect("an ETag");
    let again = call(
        town.http
            .get(town.thread_url("initiative", &initiative, ""))
            .header(VOTER_HEADER, &reader)
            .header(IF_NONE_MATCH, &etag),
    )
    .await;
    assert_eq!(again.status, 304);
    // Another reader's tag is another tag (their own reactions and agrees differ).
    let other = call(
        town.http
            .get(town.thread_url("initiative", &initiative, ""))
            .header(VOTER_HEADER, voter_key(8))
            .header(IF_NONE_MATCH, &etag),
    )
    .await;
    assert_eq!(other.status, 200);
    let mut live = EventStream::connect(town.http.get(town.thread_url(
        "initiative",
        &initiative,
        "/live",
    )))
    .await;
    let wait = std::time::Duration::from_secs(30);
    let connected = live.next_within(wait).await.expect("the first event");
    assert_eq!(connected.event.as_deref(), Some("changed"));
    town.react_ok(
        "initiative",
        &initiative,
        &voter_key(9),
        "Nieuw nieuws uit de buurt.",
    )
    .await;
    let changed = live.next_within(wait).await.expect("a change");
    assert_eq!(changed.event.as_deref(), Some("changed"));
    assert_ne!(changed.data, connected.data);
    let after = call(
        town.http
            .get(town.thread_url("initiative", &initiative, ""))
            .header(VOTER_HEADER, &reader)
            .header(IF_NONE_MATCH, &etag),
    )
    .await;
    assert_eq!(after.status, 200);
    assert_eq!(after.expect_ok()["reactions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn removal_and_name_erasure_are_for_real_and_survive_a_restart() {
    let (town, initiative, _) = town().await;
    let parent = town
        .react(
            "initiative",
            &initiative,
            &voter_key(1),
            &json!({"text": "Mijn adres is Dorpsstraat 12", "name": "Jan Jansen"}),
        )
        .await
        .expect_status(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    town.react(
        "initiative",
        &initiative,
        &voter_key(2),
        &json!({"text": "Dat is dichtbij!", "reply_to": parent, "name": "Kees de Vries"}),
    )
    .await
    .expect_status(201);
    let erased = town.moderate_reaction(&parent, "erase_name").await;
    assert_eq!(erased.expect_ok()["name"], "");
    let removed = town.moderate_reaction(&parent, "remove").await;
    assert_eq!(removed.expect_ok()["state"], "removed");
    assert_eq!(removed.expect_ok()["text"], "");
    // A removed reaction with replies stays as an empty placeholder.
    let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
    assert_eq!(view["reactions"][0]["state"], "removed");
    assert_eq!(view["reactions"][0]["text"], "");
    assert_eq!(view["reactions"][0]["replies"].as_array().unwrap().len(), 1);
    town.moderate_reaction(&parent, "restore")
        .await
        .expect_status(409);
    let town = town.restart().await;
    let view = page(&town, "initiative", &initiative, "", &voter_key(5)).await;
    assert!(!view.to_string().contains("Dorpsstraat"));
    assert!(!view.to_string().contains("Jan Jansen"));
    // Not in the store either (its records are opened and searched).
    let dir = town.server.stop().await;
    let store = mekaar_tests::open_store(dir.path()).await;
    for (_, value) in store.raw_tree("reactions").unwrap().unwrap() {
        let text = String::from_utf8_lossy(&value);
        assert!(
            !text.contains("Dorpsstraat") && !text.contains("Jan Jansen"),
            "{text}"
        );
    }
}
