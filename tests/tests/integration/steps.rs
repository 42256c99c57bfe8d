//! Next steps (issue 16): a community admin lays out the way from idea to
//! result; the initiator (manage token) or a moderator ticks steps per
//! initiative, within their thresholds; the funnel counts where the
//! initiatives are; a `step_done` webhook event goes to a loopback receiver.

use mekaar_api::steps::{Funnel, InitiativeSteps, Step};
use mekaar_api::MANAGE_HEADER;
use mekaar_tests::webhook_receiver::Receiver;
use mekaar_tests::{call, eventually, voter_key, Answer, Mine, TestServer, Town, VOTER_HEADER};
use serde_json::{json, Value};

async fn town() -> Town {
    Town::start(TestServer::start().await, "baarlo", &[]).await
}

async fn put_steps(t: &Town, token: &str, steps: &Value) -> Answer {
    call(
        t.http
            .put(t.admin_url("/steps"))
            .bearer_auth(token)
            .json(steps),
    )
    .await
}

async fn define(t: &Town, steps: Value) -> Vec<Step> {
    put_steps(t, &t.token, &steps).await.parse(200)
}

async fn public_steps(t: &Town) -> Vec<Step> {
    call(t.http.get(t.url("/steps"))).await.parse(200)
}

async fn submit(t: &Town, title: &str) -> Mine {
    t.submit_ok(&json!({
        "title": title,
        "summary": "Samen iets moois maken.",
        "initiator_name": "Anja",
    }))
    .await
}

async fn tick_as_initiator(t: &Town, mine: &Mine, token: &str, step: &str, done: bool) -> Answer {
    call(
        t.http
            .put(t.initiative_url(&mine.id, &format!("/steps/{step}")))
            .header(MANAGE_HEADER, token)
            .json(&json!({ "done": done })),
    )
    .await
}

async fn tick_as(t: &Town, token: &str, id: &str, step: &str, done: bool) -> Answer {
    call(
        t.http
            .put(t.admin_url(&format!("/initiatives/{id}/steps/{step}")))
            .bearer_auth(token)
            .json(&json!({ "done": done })),
    )
    .await
}

async fn view(t: &Town, id: &str) -> InitiativeSteps {
    call(t.http.get(t.initiative_url(id, "/steps")))
        .await
        .parse(200)
}

async fn funnel(t: &Town, token: &str) -> Funnel {
    call(t.http.get(t.admin_url("/steps/funnel")).bearer_auth(token))
        .await
        .parse(200)
}

async fn moderator_token(t: &Town) -> String {
    let made = call(
        t.http
            .post(t.admin_url("/tokens"))
            .bearer_auth(&t.token)
            .json(&json!({"role": "moderator", "label": "Moderator"})),
    )
    .await;
    made.expect_status(201)["admin_token"]
        .as_str()
        .expect("token")
        .to_string()
}

fn titles(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.title.as_str()).collect()
}

fn done_of(view: &InitiativeSteps) -> Vec<bool> {
    view.steps.iter().map(|s| s.done).collect()
}

async fn audit_actions(t: &Town) -> Vec<String> {
    let log = t.audit().await.expect_ok().clone();
    let entries = log
        .as_array()
        .or_else(|| log["entries"].as_array())
        .cloned();
    entries
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn admins_define_reorder_and_remove_steps_and_ticks_of_removed_steps_go() {
    let t = town().await;
    assert!(public_steps(&t).await.is_empty());
    let defined = define(
        &t,
        json!([
            {"title": "Zoek 3 medestanders", "unlock_supports": 3},
            {"title": "Meld je initiatief bij de dorpsraad", "description": "Mail de secretaris."},
            {"title": "Vraag het leefbaarheidsbudget aan",
             "link": "https://www.peelenmaas.nl/leefbaarheidsbudget"},
        ]),
    )
    .await;
    assert_eq!(defined.len(), 3);
    assert_eq!(defined[0].unlock_supports, Some(3));
    assert_eq!(defined[1].description, "Mail de secretaris.");
    assert_eq!(
        defined[2].link.as_deref(),
        Some("https://www.peelenmaas.nl/leefbaarheidsbudget")
    );
    assert_eq!(public_steps(&t).await, defined);

    // The initiator ticks the second step.
    let mine = submit(&t, "Jeu de boules-baan").await;
    let ticked: InitiativeSteps = tick_as_initiator(&t, &mine, &mine.token, &defined[1].id, true)
        .await
        .parse(200);
    assert_eq!(done_of(&ticked), [false, true, false]);

    // Reordered (ids kept: the tick stays with its step), one new, the first removed.
    let reordered = define(
        &t,
        json!([
            {"id": defined[2].id, "title": defined[2].title, "link": defined[2].link},
            {"id": defined[1].id, "title": "Meld het bij de dorpsraad"},
            {"title": "Vier het met de buurt"},
        ]),
    )
    .await;
    assert_eq!(
        titles(&reordered),
        [
            "Vraag het leefbaarheidsbudget aan",
            "Meld het bij de dorpsraad",
            "Vier het met de buurt"
        ]
    );
    assert_eq!(reordered[0].id, defined[2].id);
    assert_eq!(reordered[1].id, defined[1].id);
    assert!(defined.iter().all(|d| d.id != reordered[2].id));
    assert_eq!(done_of(&view(&t, &mine.id).await), [false, true, false]);

    // Removing the ticked step deletes its tick: adding a step with the
    // same title later starts unticked.
    define(&t, json!([{"id": reordered[0].id, "title": "Budget"}])).await;
    let after = view(&t, &mine.id).await;
    assert_eq!(after.steps.len(), 1);
    assert_eq!(done_of(&after), [false]);
    let admin: Value = t.admin_view(&mine.id).await.expect_ok().clone();
    assert!(!admin.to_string().contains(&defined[1].id), "{admin}");

    // An unknown given id is refused, and nothing changes.
    put_steps(&t, &t.token, &json!([{"id": "nosuchstep12", "title": "X"}]))
        .await
        .expect_error(404, "step_not_found");
    assert_eq!(titles(&public_steps(&t).await), ["Budget"]);

    // Only admins change the list; moderators read it.
    let moderator = moderator_token(&t).await;
    put_steps(&t, &moderator, &json!([]))
        .await
        .expect_error(403, "forbidden");
    let read: Vec<Step> = call(t.http.get(t.admin_url("/steps")).bearer_auth(&moderator))
        .await
        .parse(200);
    assert_eq!(titles(&read), ["Budget"]);

    let actions = audit_actions(&t).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "steps_update").count(),
        3,
        "{actions:?}"
    );
    assert!(actions.contains(&"step_done".to_string()), "{actions:?}");
}

#[tokio::test]
async fn ticking_by_initiator_and_moderator_within_thresholds() {
    let t = town().await;
    let steps = define(
        &t,
        json!([
            {"title": "Zoek 3 medestanders", "unlock_supports": 3},
            {"title": "Ga aan de slag", "unlock_status": "in_progress"},
            {"title": "Zonder drempel"},
        ]),
    )
    .await;
    let mine = submit(&t, "Bankje bij de Maas").await;

    // Wrong manage token, unknown step, bad body.
    tick_as_initiator(&t, &mine, "0".repeat(43).as_str(), &steps[2].id, true)
        .await
        .expect_error(403, "invalid_manage_token");
    tick_as_initiator(&t, &mine, &mine.token, "nosuchstep12", true)
        .await
        .expect_error(404, "step_not_found");
    tick_as(&t, &t.token, &mine.id, "nosuchstep12", true)
        .await
        .expect_error(404, "step_not_found");
    call(
        t.http
            .put(t.initiative_url(&mine.id, &format!("/steps/{}", steps[2].id)))
            .header(MANAGE_HEADER, &mine.token)
            .json(&json!({"done": true, "when": "now"})),
    )
    .await
    .expect_status(400);

    // Locked: two supports are not three.
    let start = view(&t, &mine.id).await;
    assert_eq!(
        start.steps.iter().map(|s| s.unlocked).collect::<Vec<_>>(),
        [false, false, true]
    );
    for v in 1..=2 {
        t.support(&mine.id, &voter_key(v)).await.expect_status(200);
    }
    tick_as_initiator(&t, &mine, &mine.token, &steps[0].id, true)
        .await
        .expect_error(409, "step_locked");
    t.support(&mine.id, &voter_key(3)).await.expect_status(200);
    let done: InitiativeSteps = tick_as_initiator(&t, &mine, &mine.token, &steps[0].id, true)
        .await
        .parse(200);
    assert_eq!(done_of(&done), [true, false, false]);
    let done_at = done.steps[0].done_at.expect("a moment");
    // Idempotent: the same tick again keeps the first moment.
    let again: InitiativeSteps = tick_as_initiator(&t, &mine, &mine.token, &steps[0].id, true)
        .await
        .parse(200);
    assert_eq!(again.steps[0].done_at, Some(done_at));

    // The status threshold: a moderator is refused too until the status is reached.
    let moderator = moderator_token(&t).await;
    tick_as(&t, &moderator, &mine.id, &steps[1].id, true)
        .await
        .expect_error(409, "step_locked");
    t.manage_edit(&mine.id, &mine.token, &json!({"status": "in_progress"}))
        .await
        .expect_status(200);
    let by_moderator: InitiativeSteps = tick_as(&t, &moderator, &mine.id, &steps[1].id, true)
        .await
        .parse(200);
    assert_eq!(done_of(&by_moderator), [true, true, false]);

    // Un-ticking always works, also once locked again.
    t.manage_edit(&mine.id, &mine.token, &json!({"status": "idea"}))
        .await
        .expect_status(200);
    let undone: InitiativeSteps = tick_as_initiator(&t, &mine, &mine.token, &steps[1].id, false)
        .await
        .parse(200);
    assert_eq!(done_of(&undone), [true, false, false]);
    assert!(!undone.steps[1].unlocked);
    assert_eq!(done_of(&view(&t, &mine.id).await), [true, false, false]);

    // A poll editor may not tick.
    let editor = call(
        t.http
            .post(t.admin_url("/tokens"))
            .bearer_auth(&t.token)
            .json(&json!({"role": "poll_editor"})),
    )
    .await;
    let editor = editor.expect_status(201)["admin_token"]
        .as_str()
        .unwrap()
        .to_string();
    tick_as(&t, &editor, &mine.id, &steps[2].id, true)
        .await
        .expect_error(403, "forbidden");

    let entries = t.audit().await.expect_ok().clone();
    let text = entries.to_string();
    assert!(
        text.contains("step_done") && text.contains("step_undone"),
        "{text}"
    );
    assert!(text.contains("\"initiator\""), "{text}");
}

#[tokio::test]
async fn the_funnel_counts_where_initiatives_are() {
    let t = town().await;
    let steps = define(
        &t,
        json!([{"title": "Een"}, {"title": "Twee"}, {"title": "Drie"}]),
    )
    .await;
    let a = submit(&t, "Initiatief A").await;
    let b = submit(&t, "Initiatief B").await;
    let c = submit(&t, "Initiatief C").await;
    let stopped = submit(&t, "Gestopt initiatief").await;
    for step in &steps {
        tick_as_initiator(&t, &a, &a.token, &step.id, true)
            .await
            .expect_status(200);
    }
    // B did the first and the third: it is at the second.
    tick_as_initiator(&t, &b, &b.token, &steps[0].id, true)
        .await
        .expect_status(200);
    tick_as_initiator(&t, &b, &b.token, &steps[2].id, true)
        .await
        .expect_status(200);
    tick_as_initiator(&t, &stopped, &stopped.token, &steps[0].id, true)
        .await
        .expect_status(200);
    t.manage_edit(&stopped.id, &stopped.token, &json!({"status": "stopped"}))
        .await
        .expect_status(200);
    let _ = c;

    let moderator = moderator_token(&t).await;
    let f = funnel(&t, &moderator).await;
    assert_eq!(f.initiatives, 3);
    assert_eq!(f.all_done, 1);
    let rows: Vec<(&str, u64, u64)> = f
        .steps
        .iter()
        .map(|s| (s.title.as_str(), s.done, s.current))
        .collect();
    assert_eq!(rows, [("Een", 2, 1), ("Twee", 1, 1), ("Drie", 2, 0)]);
}

#[tokio::test]
async fn a_done_step_is_announced_to_webhooks() {
    let t = town().await;
    let receiver = Receiver::start().await;
    t.add_hook(&receiver.url(), &["step_done"]).await;
    let steps = define(
        &t,
        json!([{"title": "Meld je initiatief bij de dorpsraad"}]),
    )
    .await;
    let mine = submit(&t, "Pannakoekenfeest").await;
    tick_as_initiator(&t, &mine, &mine.token, &steps[0].id, true)
        .await
        .expect_status(200);
    // Un-ticking and ticking again by a moderator announces it once more.
    tick_as(&t, &t.token, &mine.id, &steps[0].id, false)
        .await
        .expect_status(200);
    tick_as(&t, &t.token, &mine.id, &steps[0].id, true)
        .await
        .expect_status(200);
    eventually("two step_done events", || async {
        (receiver.received().len() >= 2).then_some(())
    })
    .await;
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    let body = received[0].json();
    assert_eq!(received[0].header("mekaar-event"), "step_done");
    assert_eq!(body["event"], "step_done");
    assert_eq!(body["initiative"]["id"], mine.id.as_str());
    assert_eq!(body["details"]["step"], steps[0].id.as_str());
    assert_eq!(
        body["details"]["title"],
        "Meld je initiatief bij de dorpsraad"
    );
}

#[tokio::test]
async fn bad_lists_are_refused_at_their_field() {
    let t = town().await;
    let many: Vec<Value> = (0..21)
        .map(|n| json!({"title": format!("Stap {n}")}))
        .collect();
    put_steps(&t, &t.token, &json!(many))
        .await
        .expect_invalid("steps");
    put_steps(&t, &t.token, &json!([{"title": "x".repeat(121)}]))
        .await
        .expect_invalid("steps[0].title");
    put_steps(&t, &t.token, &json!([{"title": "Goed"}, {"title": "  "}]))
        .await
        .expect_invalid("steps[1].title");
    put_steps(
        &t,
        &t.token,
        &json!([{"title": "Goed", "description": "d".repeat(501)}]),
    )
    .await
    .expect_invalid("steps[0].description");
    for link in [
        "javascript:alert(1)",
        "www.peelenmaas.nl",
        "ftp://example.nl/x",
    ] {
        put_steps(&t, &t.token, &json!([{"title": "Goed", "link": link}]))
            .await
            .expect_invalid("steps[0].link");
    }
    let long = format!("https://example.nl/{}", "a".repeat(500));
    put_steps(&t, &t.token, &json!([{"title": "Goed", "link": long}]))
        .await
        .expect_invalid("steps[0].link");
    put_steps(
        &t,
        &t.token,
        &json!([{"title": "Goed", "unlock_status": "stopped"}]),
    )
    .await
    .expect_invalid("steps[0].unlock_status");
    put_steps(&t, &t.token, &json!([{"title": "Goed", "colour": "red"}]))
        .await
        .expect_status(400);
    put_steps(&t, &t.token, &json!({"title": "Goed"}))
        .await
        .expect_status(400);
    // Nothing of it was stored.
    assert!(public_steps(&t).await.is_empty());
    // Twenty is allowed.
    let twenty: Vec<Value> = (0..20)
        .map(|n| json!({"title": format!("Stap {n}")}))
        .collect();
    assert_eq!(define(&t, json!(twenty)).await.len(), 20);
    // Residents do not see the steps of an initiative still waiting for a
    // moderator, its initiator does.
    t.patch_community(&json!({"moderation": "pre"})).await;
    let waiting = submit(&t, "Nog niet goedgekeurd").await;
    call(t.http.get(t.initiative_url(&waiting.id, "/steps")))
        .await
        .expect_error(404, "initiative_not_found");
    let own: InitiativeSteps = call(
        t.http
            .get(t.initiative_url(&waiting.id, "/steps"))
            .header(MANAGE_HEADER, &waiting.token),
    )
    .await
    .parse(200);
    assert_eq!(own.steps.len(), 20);
    let _ = VOTER_HEADER;
}
