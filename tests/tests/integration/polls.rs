//! Integration tests of polls and live polls (issue 4) over HTTP against the
//! real server: an editor creates, opens, closes, reveals and resets polls
//! with the community's admin token; residents vote once (with their voter
//! key or a printed vote code) from a widget on an allowed site or from the
//! phone page; totals are shown only when the poll's visibility rule allows,
//! in the REST answers and in the live stream (server-sent events) alike.
//!
//! Waits are bounded with generous hang guards; nothing here asserts how
//! fast anything is, except that the live stream coalesces (an upper bound).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mekaar_api::polls::{
    JoinTarget, Phase, PollAdminList, PollAdminView, PollResults, PollView, VoteCodesCreated,
    VoteReceipt,
};
use mekaar_tests::sse::Live;
use mekaar_tests::{call, voter_key, Answer, TestServer, Town, VOTER_HEADER};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, RequestBuilder};
use serde_json::{json, Value};
use tokio::sync::Barrier;

/// How long a stream is watched to see that nothing (more) comes.
const QUIET: Duration = Duration::from_millis(1500);

const ALLOWED_ORIGIN: &str = "https://www.dorp.nl";
const OTHER_ORIGIN: &str = "https://evil.example";

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// A server with one community ("dorp") that allows [`ALLOWED_ORIGIN`].
async fn fixture() -> Town {
    Town::start(TestServer::start().await, "dorp", &[ALLOWED_ORIGIN]).await
}

/// A poll body with `n` options and the given extra fields.
fn poll_with(n: usize, extra: Value) -> Value {
    let mut body = json!({
        "question": "Wat doen we met het oude postkantoor?",
        "options": (0..n).map(|i| format!("Plan {i}")).collect::<Vec<_>>(),
    });
    for (k, v) in extra.as_object().expect("extra fields are an object") {
        body[k] = v.clone();
    }
    body
}

fn results(totals: &[u64], total_votes: u64) -> PollResults {
    PollResults {
        totals: totals.to_vec(),
        total_votes,
    }
}

// ---------------------------------------------------------- choosing options

#[tokio::test]
async fn single_choice_takes_exactly_one_existing_option() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(3, json!({}))).await;
    let voter = voter_key(1);
    for bad in [
        json!([0, 1]),
        json!([]),
        json!([3]),
        json!([9]),
        json!([1, 1]),
    ] {
        f.vote(&id, &voter, bad.clone())
            .await
            .expect_invalid("choices");
    }
    assert_eq!(f.poll_admin_totals(&id).await, results(&[0, 0, 0], 0));
    // A refused ballot did not use up the vote.
    let receipt: VoteReceipt = f.vote(&id, &voter, json!([2])).await.parse(200);
    assert_eq!(receipt.round, 1);
    assert_eq!(receipt.results, Some(results(&[0, 0, 1], 1)));
    assert!(!receipt.viewer.is_empty());
    assert_eq!(f.poll_admin_totals(&id).await, results(&[0, 0, 1], 1));
    let view: PollView = f.poll_view(&id, Some(&voter)).await.parse(200);
    assert!(view.voted);
    assert_eq!(view.poll.max_choices, 1);
    assert_eq!(view.results, Some(results(&[0, 0, 1], 1)));
}

#[tokio::test]
async fn multiple_choice_takes_at_most_k_distinct_options() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(4, json!({"max_choices": 2}))).await;
    for bad in [
        json!([0, 1, 2]),
        json!([0, 1, 2, 3]),
        json!([1, 1]),
        json!([0, 4]),
    ] {
        f.vote(&id, &voter_key(1), bad)
            .await
            .expect_invalid("choices");
    }
    f.vote(&id, &voter_key(1), json!([2, 0])).await.expect_ok();
    f.vote(&id, &voter_key(2), json!([3])).await.expect_ok();
    f.vote(&id, &voter_key(3), json!([0, 3])).await.expect_ok();
    // Totals per option; ballots counted once each.
    assert_eq!(f.poll_admin_totals(&id).await, results(&[2, 0, 1, 2], 3));
    let public: PollResults = f.poll_results(&id, None).await.parse(200);
    assert_eq!(public, results(&[2, 0, 1, 2], 3));

    // max_choices must fit the options.
    f.create_poll(&poll_with(3, json!({"max_choices": 4})))
        .await
        .expect_invalid("max_choices");
    f.create_poll(&poll_with(3, json!({"max_choices": 0})))
        .await
        .expect_invalid("max_choices");
}

#[tokio::test]
async fn a_vote_is_final_and_a_second_one_is_refused() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let voter = voter_key(7);
    let first: PollView = f.poll_view(&id, Some(&voter)).await.parse(200);
    assert!(!first.voted);
    assert_eq!(first.viewer, None);
    f.vote(&id, &voter, json!([0])).await.expect_ok();
    for choices in [json!([0]), json!([1])] {
        f.vote(&id, &voter, choices)
            .await
            .expect_error(409, "already_voted");
    }
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 0], 1));
    let mine: PollView = f.poll_view(&id, Some(&voter)).await.parse(200);
    assert!(mine.voted);
    assert!(mine.viewer.is_some());
    let other: PollView = f.poll_view(&id, Some(&voter_key(8))).await.parse(200);
    assert!(!other.voted);
    assert_eq!(other.viewer, None);

    // One resident pressing many times at once counts once.
    let voter = voter_key(9);
    let barrier = Arc::new(Barrier::new(10));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (http, url, voter, barrier) = (
            f.http.clone(),
            f.poll_url(&id, "/vote"),
            voter.clone(),
            barrier.clone(),
        );
        tasks.spawn(async move {
            barrier.wait().await;
            let answer = call(
                http.post(url)
                    .header(VOTER_HEADER, voter)
                    .json(&json!({"choices": [1]})),
            )
            .await;
            (answer.status, answer.body["error"]["code"].clone())
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = tasks.join_next().await {
        statuses.push(done.expect("task"));
    }
    let accepted = statuses.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(accepted, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|(s, c)| *s == 200 || (*s == 409 && c == "already_voted")),
        "{statuses:?}"
    );
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 1], 2));
}

// -------------------------------------------------------------- poll states

#[tokio::test]
async fn drafts_are_invisible_to_the_public() {
    let f = fixture().await;
    let id = f.draft_poll(poll_with(2, json!({}))).await;
    // Known by its id (pasted on a host page before the broadcast), a draft
    // says only that it is not open yet: nothing of its content.
    let question = f.poll_admin_view(&id).await.poll.question;
    for answer in [
        f.poll_view(&id, None).await,
        f.poll_view(&id, Some(&voter_key(1))).await,
        f.poll_results(&id, None).await,
    ] {
        assert!(!answer.text.contains(&question), "{answer:?}");
        answer.expect_error(409, "poll_not_open");
    }
    // Its live stream tells of the opening, without totals before.
    let mut live = f.poll_live(&id, None).await;
    let first = live.next().await.update;
    assert_eq!(first.phase, Phase::Draft);
    assert_eq!(first.results, None);
    // Nobody votes in a draft.
    f.vote(&id, &voter_key(1), json!([0]))
        .await
        .expect_error(409, "poll_not_open");
    assert_eq!(f.poll_admin_totals(&id).await.total_votes, 0);
    // Its join code leads nowhere yet: not to the phone page, not to its id.
    let code = f.poll_admin_view(&id).await.poll.join_code;
    let phone = call(f.http.get(f.server.at(&format!("/p/{code}")))).await;
    assert_eq!(phone.status, 404, "{phone:?}");
    assert!(!phone.text.contains(&id), "{phone:?}");
    // The overlay by id is set up before the broadcast; it shows no content.
    let overlay = call(f.http.get(f.server.at(&format!("/overlay/{id}")))).await;
    assert_eq!(overlay.status, 200, "{overlay:?}");
    assert!(!overlay.text.contains(&question), "{overlay:?}");
    call(
        f.http
            .get(f.server.at(&format!("/api/v1/polls/join/{code}"))),
    )
    .await
    .expect_error(404, "poll_not_found");
    // The editor sees it, in the list too.
    let list: PollAdminList = call(f.http.get(f.admin_polls_url("")).bearer_auth(&f.token))
        .await
        .parse(200);
    assert_eq!(list.polls.len(), 1);
    assert_eq!(list.polls[0].poll.id, id);
    assert_eq!(list.polls[0].phase, Phase::Draft);
    // A draft cannot be closed or revealed.
    f.poll_action(&id, json!({"action": "close"}))
        .await
        .expect_error(409, "invalid_poll_state");
    f.poll_action(&id, json!({"action": "reveal"}))
        .await
        .expect_error(409, "invalid_poll_state");
    // Opened, the public sees it, and the stream says so at once.
    f.poll_action(&id, json!({"action": "open"}))
        .await
        .expect_ok();
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert_eq!(view.poll.phase, Phase::Open);
    let opened = live.next().await.update;
    assert_eq!(opened.phase, Phase::Open);
    assert!(opened.results.is_some(), "{opened:?}");
    // Unknown ids are 404 as well.
    f.poll_view("doesnotexist", None)
        .await
        .expect_error(404, "poll_not_found");
    f.vote("doesnotexist", &voter_key(1), json!([0]))
        .await
        .expect_error(404, "poll_not_found");
}

#[tokio::test]
async fn closed_polls_refuse_votes_until_reopened() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    f.vote(&id, &voter_key(1), json!([0])).await.expect_ok();
    let closed: PollAdminView = f
        .poll_action(&id, json!({"action": "close"}))
        .await
        .parse(200);
    assert_eq!(closed.phase, Phase::Closed);
    let message = f
        .vote(&id, &voter_key(2), json!([1]))
        .await
        .expect_error(409, "poll_not_open")
        .to_string();
    assert!(message.contains("closed"), "{message}");
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert_eq!(view.poll.phase, Phase::Closed);
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 0], 1));
    // Closing twice changes nothing.
    f.poll_action(&id, json!({"action": "close"}))
        .await
        .expect_ok();
    // Reopened: votes count again, and the earlier ones still count.
    let reopened: PollAdminView = f
        .poll_action(&id, json!({"action": "open"}))
        .await
        .parse(200);
    assert_eq!(reopened.phase, Phase::Open);
    assert_eq!(reopened.poll.round, 1);
    f.vote(&id, &voter_key(2), json!([1])).await.expect_ok();
    f.vote(&id, &voter_key(1), json!([1]))
        .await
        .expect_error(409, "already_voted");
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 1], 2));
}

#[tokio::test]
async fn opening_and_closing_times_are_kept() {
    let f = fixture().await;
    // Opened, but its opening time has not come: scheduled.
    let later = f
        .open_poll(poll_with(2, json!({"opens_at": now_secs() + 3600})))
        .await;
    let view: PollView = f.poll_view(&later, None).await.parse(200);
    assert_eq!(view.poll.phase, Phase::Scheduled);
    f.vote(&later, &voter_key(1), json!([0]))
        .await
        .expect_error(409, "poll_not_open");
    assert_eq!(f.poll_admin_totals(&later).await.total_votes, 0);

    // Opens by itself, and closes by itself; the live stream says so
    // without anyone clicking.
    let opens_at = now_secs() + 2;
    let closes_at = opens_at + 4;
    let timed = f
        .open_poll(poll_with(
            2,
            json!({"opens_at": opens_at, "closes_at": closes_at}),
        ))
        .await;
    let mut live = f.poll_live(&timed, None).await;
    let first = live.next().await;
    if now_secs() < opens_at {
        // (The snapshot was made before this moment.)
        assert_eq!(first.update.phase, Phase::Scheduled);
        live.until("the poll opening by its time", |u| u.phase == Phase::Open)
            .await;
    }
    f.vote(&timed, &voter_key(2), json!([1])).await.expect_ok();
    live.until("the poll closing by its time", |u| u.phase == Phase::Closed)
        .await;
    assert!(now_secs() >= closes_at);
    f.vote(&timed, &voter_key(3), json!([1]))
        .await
        .expect_error(409, "poll_not_open");
    let view: PollView = f.poll_view(&timed, None).await.parse(200);
    assert_eq!(view.poll.phase, Phase::Closed);
    assert_eq!(f.poll_admin_totals(&timed).await, results(&[0, 1], 1));

    // Reopening a poll whose closing time has passed needs a new time.
    f.poll_action(&timed, json!({"action": "close"}))
        .await
        .expect_ok();
    f.poll_action(&timed, json!({"action": "open"}))
        .await
        .expect_invalid("closes_at");
    f.edit_poll(&timed, json!({"closes_at": null}))
        .await
        .expect_ok();
    f.poll_action(&timed, json!({"action": "open"}))
        .await
        .expect_ok();
    f.vote(&timed, &voter_key(3), json!([0])).await.expect_ok();
    assert_eq!(f.poll_admin_totals(&timed).await, results(&[1, 1], 2));

    // The closing time must come after the opening time.
    f.create_poll(&poll_with(2, json!({"opens_at": 2000, "closes_at": 1000})))
        .await
        .expect_invalid("closes_at");
}

// --------------------------------------------------------------- vote codes

fn is_vote_code(code: &str) -> bool {
    const ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let parts: Vec<&str> = code.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [4, 4, 2]
        && parts.concat().chars().all(|c| ALPHABET.contains(c))
}

#[tokio::test]
async fn vote_codes_are_single_use_and_tied_to_their_poll() {
    let f = fixture().await;
    let codes_poll = json!({"audience": {"kind": "codes"}});
    let id = f.open_poll(poll_with(2, codes_poll.clone())).await;
    let other = f.open_poll(poll_with(2, codes_poll)).await;

    let created: VoteCodesCreated = f.vote_codes(&id, 3, None).await.parse(201);
    assert_eq!(created.codes.len(), 3);
    assert!(created.codes.iter().all(|c| is_vote_code(c)), "{created:?}");

    let csv = f.vote_codes(&id, 4, Some("csv")).await;
    assert_eq!(csv.status, 201, "{csv:?}");
    let content_type = csv.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/csv"), "{csv:?}");
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.first(), Some(&"code"), "{csv:?}");
    let csv_codes: Vec<String> = lines[1..].iter().map(|c| c.to_string()).collect();
    assert_eq!(csv_codes.len(), 4, "{csv:?}");
    assert!(csv_codes.iter().all(|c| is_vote_code(c)), "{csv:?}");

    let html = f.vote_codes(&id, 2, Some("html")).await;
    assert_eq!(html.status, 201, "{html:?}");
    let content_type = html.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{html:?}");
    assert!(
        html.text.contains("<html")
            || html.text.contains("<!DOCTYPE")
            || html.text.contains("<!doctype")
    );
    let html_codes: Vec<String> = html
        .text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| is_vote_code(w))
        .map(String::from)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        html_codes.len(),
        2,
        "two distinct codes on the sheet: {html:?}"
    );

    let all: BTreeSet<&String> = created
        .codes
        .iter()
        .chain(&csv_codes)
        .chain(&html_codes)
        .collect();
    assert_eq!(all.len(), 9, "every code is new");
    assert_eq!(f.poll_admin_view(&id).await.poll.vote_codes, 9);
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert!(view.poll.needs_code);

    // No code, an unknown code, a malformed code: refused.
    f.vote_body(&id, Some(&voter_key(1)), &json!({"choices": [0]}))
        .await
        .expect_error(403, "invalid_vote_code");
    f.vote_with_code(&id, "2222-2222-22", json!([0]))
        .await
        .expect_error(403, "invalid_vote_code");
    f.vote_with_code(&id, "not a code", json!([0]))
        .await
        .expect_error(403, "invalid_vote_code");
    // A code of another poll is no good here.
    let others: VoteCodesCreated = f.vote_codes(&other, 1, None).await.parse(201);
    f.vote_with_code(&id, &others.codes[0], json!([0]))
        .await
        .expect_error(403, "invalid_vote_code");
    assert_eq!(f.poll_admin_totals(&id).await.total_votes, 0);

    // A code works once; lower case and without dashes is the same code.
    let code = &created.codes[0];
    let typed = code.replace('-', "").to_lowercase();
    let receipt: VoteReceipt = f.vote_with_code(&id, &typed, json!([1])).await.parse(200);
    assert_eq!(receipt.round, 1);
    for again in [code.clone(), typed] {
        f.vote_with_code(&id, &again, json!([0]))
            .await
            .expect_error(403, "invalid_vote_code");
    }
    // A closed poll takes no code, and does not use it up.
    f.poll_action(&id, json!({"action": "close"}))
        .await
        .expect_ok();
    f.vote_with_code(&id, &csv_codes[0], json!([0]))
        .await
        .expect_error(409, "poll_not_open");
    f.poll_action(&id, json!({"action": "open"}))
        .await
        .expect_ok();
    // Codes from every format work.
    f.vote_with_code(&id, &csv_codes[0], json!([0]))
        .await
        .expect_ok();
    f.vote_with_code(&id, &html_codes[0], json!([0]))
        .await
        .expect_ok();
    assert_eq!(f.poll_admin_totals(&id).await, results(&[2, 1], 3));
    // The other poll's code still works there.
    f.vote_with_code(&other, &others.codes[0], json!([1]))
        .await
        .expect_ok();
    assert_eq!(f.poll_admin_totals(&other).await, results(&[0, 1], 1));

    // Codes only for polls that take them; sensible batch sizes.
    let open = f.open_poll(poll_with(2, json!({}))).await;
    f.vote_codes(&open, 1, None)
        .await
        .expect_error(409, "invalid_poll_state");
    f.vote_codes(&id, 0, None).await.expect_invalid("count");
    f.vote_codes(&id, 5001, None).await.expect_invalid("count");
}

// -------------------------------------------------------------- network cap

#[tokio::test]
async fn network_cap_limits_voter_keys_per_network() {
    let f = fixture().await;
    // Every request of this test comes from 127.0.0.1: one network.
    let id = f
        .open_poll(poll_with(
            2,
            json!({"audience": {"kind": "open", "max_keys_per_network": 3}}),
        ))
        .await;
    for n in 1..=3 {
        f.vote(&id, &voter_key(n), json!([0])).await.expect_ok();
    }
    let answer = f.vote(&id, &voter_key(4), json!([1])).await;
    let message = answer.expect_error(429, "network_cap");
    assert!(
        message.contains("network") && message.contains('3'),
        "the message says what happened: {message}"
    );
    assert_eq!(f.poll_admin_totals(&id).await, results(&[3, 0], 3));
    // Who voted already is told so, not about the cap.
    f.vote(&id, &voter_key(1), json!([1]))
        .await
        .expect_error(409, "already_voted");
    // The editor raises the cap (allowed with votes): one more fits.
    f.edit_poll(
        &id,
        json!({"audience": {"kind": "open", "max_keys_per_network": 4}}),
    )
    .await
    .expect_ok();
    f.vote(&id, &voter_key(4), json!([1])).await.expect_ok();
    f.vote(&id, &voter_key(5), json!([1]))
        .await
        .expect_error(429, "network_cap");
    assert_eq!(f.poll_admin_totals(&id).await, results(&[3, 1], 4));
    // Another poll has its own count.
    let fresh = f
        .open_poll(poll_with(
            2,
            json!({"audience": {"kind": "open", "max_keys_per_network": 1}}),
        ))
        .await;
    f.vote(&fresh, &voter_key(5), json!([0])).await.expect_ok();
    f.vote(&fresh, &voter_key(6), json!([0]))
        .await
        .expect_error(429, "network_cap");
    // A reset starts the count again.
    f.poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .expect_ok();
    for n in 1..=4 {
        f.vote(&id, &voter_key(n), json!([1])).await.expect_ok();
    }
    f.vote(&id, &voter_key(5), json!([1]))
        .await
        .expect_error(429, "network_cap");
    // A cap out of range is refused.
    f.create_poll(&poll_with(
        2,
        json!({"audience": {"kind": "open", "max_keys_per_network": 0}}),
    ))
    .await
    .expect_invalid("audience.max_keys_per_network");
}

// ------------------------------------------------------- results visibility

#[tokio::test]
async fn results_visibility_in_rest_answers() {
    let f = fixture().await;
    let hidden = |a: Answer| {
        a.expect_error(403, "results_hidden");
    };

    // always
    let always = f
        .open_poll(poll_with(2, json!({"results": "always"})))
        .await;
    let view: PollView = f.poll_view(&always, None).await.parse(200);
    assert_eq!(view.results, Some(results(&[0, 0], 0)));
    f.vote(&always, &voter_key(1), json!([1])).await.expect_ok();
    let public: PollResults = f.poll_results(&always, None).await.parse(200);
    assert_eq!(public, results(&[0, 1], 1));

    // after_vote: to whoever voted, and to everyone once closed.
    let after_vote = f
        .open_poll(poll_with(2, json!({"results": "after_vote"})))
        .await;
    let view: PollView = f
        .poll_view(&after_vote, Some(&voter_key(1)))
        .await
        .parse(200);
    assert_eq!(view.results, None);
    hidden(f.poll_results(&after_vote, Some(&voter_key(1))).await);
    let receipt: VoteReceipt = f
        .vote(&after_vote, &voter_key(1), json!([0]))
        .await
        .parse(200);
    assert_eq!(receipt.results, Some(results(&[1, 0], 1)));
    let view: PollView = f
        .poll_view(&after_vote, Some(&voter_key(1)))
        .await
        .parse(200);
    assert_eq!(view.results, Some(results(&[1, 0], 1)));
    let mine: PollResults = f
        .poll_results(&after_vote, Some(&voter_key(1)))
        .await
        .parse(200);
    assert_eq!(mine, results(&[1, 0], 1));
    let view: PollView = f
        .poll_view(&after_vote, Some(&voter_key(2)))
        .await
        .parse(200);
    assert_eq!(view.results, None, "someone who did not vote");
    hidden(f.poll_results(&after_vote, Some(&voter_key(2))).await);
    hidden(f.poll_results(&after_vote, None).await);
    f.poll_action(&after_vote, json!({"action": "close"}))
        .await
        .expect_ok();
    let closed: PollResults = f.poll_results(&after_vote, None).await.parse(200);
    assert_eq!(closed, results(&[1, 0], 1));

    // after_close: not even to voters before.
    let after_close = f
        .open_poll(poll_with(2, json!({"results": "after_close"})))
        .await;
    let receipt: VoteReceipt = f
        .vote(&after_close, &voter_key(1), json!([1]))
        .await
        .parse(200);
    assert_eq!(receipt.results, None);
    let view: PollView = f
        .poll_view(&after_close, Some(&voter_key(1)))
        .await
        .parse(200);
    assert!(view.voted);
    assert_eq!(view.results, None);
    hidden(f.poll_results(&after_close, Some(&voter_key(1))).await);
    f.poll_action(&after_close, json!({"action": "close"}))
        .await
        .expect_ok();
    let closed: PollResults = f.poll_results(&after_close, None).await.parse(200);
    assert_eq!(closed, results(&[0, 1], 1));

    // when_revealed: only after a reveal, closed or not; hide undoes it.
    let revealed = f
        .open_poll(poll_with(2, json!({"results": "when_revealed"})))
        .await;
    let receipt: VoteReceipt = f
        .vote(&revealed, &voter_key(1), json!([0]))
        .await
        .parse(200);
    assert_eq!(receipt.results, None);
    hidden(f.poll_results(&revealed, Some(&voter_key(1))).await);
    f.poll_action(&revealed, json!({"action": "close"}))
        .await
        .expect_ok();
    hidden(f.poll_results(&revealed, None).await);
    let shown: PollAdminView = f
        .poll_action(&revealed, json!({"action": "reveal"}))
        .await
        .parse(200);
    assert!(shown.poll.revealed);
    let view: PollView = f.poll_view(&revealed, None).await.parse(200);
    assert!(view.poll.revealed);
    assert_eq!(view.results, Some(results(&[1, 0], 1)));
    f.poll_action(&revealed, json!({"action": "hide"}))
        .await
        .expect_ok();
    let view: PollView = f.poll_view(&revealed, None).await.parse(200);
    assert!(!view.poll.revealed);
    assert_eq!(view.results, None);
    hidden(f.poll_results(&revealed, None).await);

    // A reveal shows after_close totals of an open poll; a reset hides
    // them again.
    let early = f
        .open_poll(poll_with(2, json!({"results": "after_close"})))
        .await;
    f.vote(&early, &voter_key(1), json!([1])).await.expect_ok();
    f.poll_action(&early, json!({"action": "reveal"}))
        .await
        .expect_ok();
    let shown: PollResults = f.poll_results(&early, None).await.parse(200);
    assert_eq!(shown, results(&[0, 1], 1));
    let reset: PollAdminView = f
        .poll_action(&early, json!({"action": "reset", "round": 1}))
        .await
        .parse(200);
    assert!(!reset.poll.revealed);
    hidden(f.poll_results(&early, None).await);
    // The visibility rule may change at any time, with votes too.
    f.vote(&early, &voter_key(1), json!([0])).await.expect_ok();
    f.edit_poll(&early, json!({"results": "always"}))
        .await
        .expect_ok();
    let now_shown: PollResults = f.poll_results(&early, None).await.parse(200);
    assert_eq!(now_shown, results(&[1, 0], 1));
}

#[tokio::test]
async fn live_stream_shows_totals_only_when_allowed() {
    let f = fixture().await;

    // when_revealed: nobody sees totals until the reveal.
    let id = f
        .open_poll(poll_with(2, json!({"results": "when_revealed"})))
        .await;
    let mut anonymous = f.poll_live(&id, None).await;
    let mut editor = f.poll_admin_live(&id).await;
    let first = anonymous.next().await;
    assert_eq!(first.update.results, None, "{first:?}");
    assert_eq!(first.update.poll, id);
    let first_admin = editor.next().await;
    assert_eq!(first_admin.update.results, Some(results(&[0, 0], 0)));
    for n in 1..=3 {
        f.vote(&id, &voter_key(n), json!([n as u8 % 2]))
            .await
            .expect_ok();
    }
    // The editor's stream has the totals all along.
    editor
        .until("the editor seeing three votes", |u| {
            u.results == Some(results(&[1, 2], 3))
        })
        .await;
    f.poll_action(&id, json!({"action": "reveal"}))
        .await
        .expect_ok();
    let seen = anonymous.until("the reveal", |u| u.revealed).await;
    let (reveal, before) = seen.split_last().expect("an event");
    for event in before {
        assert_eq!(
            event.update.results, None,
            "totals before the reveal: {event:?}"
        );
    }
    assert_eq!(reveal.update.results, Some(results(&[1, 2], 3)));
    f.poll_action(&id, json!({"action": "hide"}))
        .await
        .expect_ok();
    let hidden = anonymous.until("the hide", |u| !u.revealed).await;
    assert_eq!(hidden.last().unwrap().update.results, None);

    // after_vote: the viewer ticket of a vote shows the totals; a bogus
    // ticket does not.
    let id = f
        .open_poll(poll_with(2, json!({"results": "after_vote"})))
        .await;
    let mut anonymous = f.poll_live(&id, None).await;
    assert_eq!(anonymous.next().await.update.results, None);
    let receipt: VoteReceipt = f.vote(&id, &voter_key(1), json!([0])).await.parse(200);
    let mut bogus = f
        .poll_live(&id, Some("0123456789abcdef0123456789abcdef"))
        .await;
    let mut viewer = f.poll_live(&id, Some(&receipt.viewer)).await;
    let seen = viewer
        .until("the first vote", |u| u.results == Some(results(&[1, 0], 1)))
        .await;
    assert!(seen.iter().all(|e| e.update.results.is_some()), "{seen:?}");
    assert_eq!(bogus.next().await.update.results, None);
    // The same ticket comes with the voter's view.
    let view: PollView = f.poll_view(&id, Some(&voter_key(1))).await.parse(200);
    assert_eq!(view.viewer.as_deref(), Some(receipt.viewer.as_str()));
    // More votes: the ticket's stream follows the totals, the others still
    // see none.
    f.vote(&id, &voter_key(2), json!([1])).await.expect_ok();
    let two = viewer
        .until("the second vote", |u| {
            u.results == Some(results(&[1, 1], 2))
        })
        .await;
    let two = two.last().unwrap().update.seq;
    for stream in [&mut anonymous, &mut bogus] {
        let seen = stream
            .until("the update of the second vote", |u| {
                u.results.is_some() || u.seq >= two
            })
            .await;
        assert!(seen.iter().all(|e| e.update.results.is_none()), "{seen:?}");
    }
    // A ticket of another poll is no good here.
    let other = f
        .open_poll(poll_with(2, json!({"results": "after_vote"})))
        .await;
    let other_receipt: VoteReceipt = f.vote(&other, &voter_key(1), json!([0])).await.parse(200);
    assert_ne!(other_receipt.viewer, receipt.viewer);
    let mut wrong = f.poll_live(&id, Some(&other_receipt.viewer)).await;
    assert_eq!(wrong.next().await.update.results, None);
    // Closing shows everyone the totals.
    f.poll_action(&id, json!({"action": "close"}))
        .await
        .expect_ok();
    let closed = anonymous
        .until("the close", |u| u.phase == Phase::Closed)
        .await;
    assert_eq!(
        closed.last().unwrap().update.results,
        Some(results(&[1, 1], 2))
    );
    // After a reset the old ticket no longer shows this round's totals.
    f.poll_action(&id, json!({"action": "open"}))
        .await
        .expect_ok();
    f.poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .expect_ok();
    f.vote(&id, &voter_key(5), json!([1])).await.expect_ok();
    let mut stale = f.poll_live(&id, Some(&receipt.viewer)).await;
    let event = stale.next().await;
    assert_eq!(event.update.round, 2);
    assert_eq!(event.update.results, None, "{event:?}");
}

#[tokio::test]
async fn live_stream_snapshot_updates_state_changes_and_reconnects() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let mut live = f.poll_live(&id, None).await;
    // A snapshot at once.
    let snapshot = live.next().await;
    assert_eq!(snapshot.update.poll, id);
    assert_eq!(snapshot.update.phase, Phase::Open);
    assert_eq!(snapshot.update.round, 1);
    assert!(!snapshot.update.revealed);
    assert_eq!(snapshot.update.results, Some(results(&[0, 0], 0)));
    assert!(
        live.raw().contains("retry: 2000") || live.raw().contains("retry:2000"),
        "the stream sets its reconnect delay: {:?}",
        live.raw()
    );
    // A vote arrives as an update.
    f.vote(&id, &voter_key(1), json!([1])).await.expect_ok();
    let seen = live
        .until("the vote", |u| u.results == Some(results(&[0, 1], 1)))
        .await;
    let mut last_seq = snapshot.update.seq;
    for event in &seen {
        assert!(event.update.seq > last_seq, "seq increases: {seen:?}");
        last_seq = event.update.seq;
    }
    // State changes arrive.
    f.poll_action(&id, json!({"action": "close"}))
        .await
        .expect_ok();
    live.until("the close", |u| u.phase == Phase::Closed).await;
    f.poll_action(&id, json!({"action": "open"}))
        .await
        .expect_ok();
    live.until("the reopen", |u| u.phase == Phase::Open).await;
    f.poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .expect_ok();
    let reset = live.until("the reset", |u| u.round == 2).await;
    let reset = reset.last().unwrap().clone();
    assert_eq!(reset.update.results, Some(results(&[0, 0], 0)));
    assert_eq!(reset.update.phase, Phase::Open);
    // Nothing else happened, so nothing else comes.
    assert!(live.next_within(QUIET).await.is_none());
    drop(live);

    // A reconnect that has the newest event gets no repeat of it...
    let newest = reset.id.clone().expect("event id");
    let mut again = Live::connect(
        Client::new()
            .get(f.poll_url(&id, "/live"))
            .header("last-event-id", &newest),
    )
    .await;
    if let Some(repeat) = again.next_within(QUIET).await {
        panic!("the snapshot was sent again: {repeat:?}");
    }
    // ...but does get what happens next.
    f.vote(&id, &voter_key(2), json!([0])).await.expect_ok();
    let next = again.next().await;
    assert!(next.update.seq > reset.update.seq);
    assert_eq!(next.update.results, Some(results(&[1, 0], 1)));
    // A reconnect that missed something gets the current state at once.
    let mut behind = Live::connect(
        Client::new()
            .get(f.poll_url(&id, "/live"))
            .header("last-event-id", &newest),
    )
    .await;
    let caught_up = behind.next().await;
    assert_eq!(caught_up.update.results, Some(results(&[1, 0], 1)));

    // Many votes at once are coalesced (at most 4 updates a second).
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 100..140 {
        let (http, url) = (f.http.clone(), f.poll_url(&id, "/vote"));
        tasks.spawn(async move {
            call(
                http.post(url)
                    .header(VOTER_HEADER, voter_key(n))
                    .json(&json!({"choices": [1]})),
            )
            .await
            .status
        });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let updates = behind
        .until("forty more votes", |u| {
            u.results.as_ref().is_some_and(|r| r.total_votes == 41)
        })
        .await;
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(
        updates.last().unwrap().update.results,
        Some(results(&[1, 40], 41))
    );
    assert!(
        (updates.len() as f64) <= elapsed * 4.0 + 2.0,
        "{} updates in {elapsed:.2} s",
        updates.len()
    );
}

#[tokio::test]
async fn live_stream_sends_heartbeats_while_nothing_happens() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let mut live = f.poll_live(&id, None).await;
    live.next().await;
    // No event for 15 s, but a comment keeps the connection alive.
    let start = Instant::now();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(25);
    while !live.raw().contains(": heartbeat") && !live.raw().contains(":heartbeat") {
        assert!(
            live.stream.receive(deadline).await,
            "no heartbeat within 25 s: {:?}",
            live.raw()
        );
    }
    assert!(
        start.elapsed() >= Duration::from_secs(10),
        "{:?}",
        live.raw()
    );
    assert!(
        live.next_within(Duration::ZERO).await.is_none(),
        "only a comment"
    );
}

// -------------------------------------------------------- reset and editing

#[tokio::test]
async fn reset_needs_the_current_round_and_starts_afresh() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(3, json!({}))).await;
    f.vote(&id, &voter_key(1), json!([0])).await.expect_ok();
    f.vote(&id, &voter_key(2), json!([2])).await.expect_ok();

    f.poll_action(&id, json!({"action": "reset"}))
        .await
        .expect_invalid("round");
    f.poll_action(&id, json!({"action": "reset", "round": 2}))
        .await
        .expect_error(409, "round_changed");
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 0, 1], 2));

    let reset: PollAdminView = f
        .poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .parse(200);
    assert_eq!(reset.poll.round, 2);
    assert_eq!(reset.results, results(&[0, 0, 0], 0));
    assert_eq!(reset.phase, Phase::Open);
    // The audit log keeps what the reset set aside, as data (the console words it).
    let audit = call(
        f.http
            .get(f.server.at(&format!(
                "/api/v1/admin/communities/{}/audit?limit=1",
                f.slug
            )))
            .bearer_auth(&f.token),
    )
    .await;
    let entry = &audit.body[0];
    assert_eq!(entry["action"], "poll_reset", "{entry}");
    assert_eq!(entry["before"]["round"], 1, "{entry}");
    assert_eq!(entry["after"]["round"], 2, "{entry}");
    assert_eq!(entry["after"]["votes_set_aside"], 2, "{entry}");
    // A second click with the round it saw resets nothing.
    f.poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .expect_error(409, "round_changed");
    assert_eq!(f.poll_admin_view(&id).await.poll.round, 2);
    // Two editors resetting round 2 at once: one reset happens.
    let (a, b) = tokio::join!(
        f.poll_action(&id, json!({"action": "reset", "round": 2})),
        f.poll_action(&id, json!({"action": "reset", "round": 2}))
    );
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    let conflict = if a.status == 409 { a } else { b };
    conflict.expect_error(409, "round_changed");
    assert_eq!(f.poll_admin_view(&id).await.poll.round, 3);
    let round = 3;

    // The old votes no longer count; their voters vote again.
    let view: PollView = f.poll_view(&id, Some(&voter_key(1))).await.parse(200);
    assert!(!view.voted);
    assert_eq!(view.poll.round, round);
    assert_eq!(view.results, Some(results(&[0, 0, 0], 0)));
    let receipt: VoteReceipt = f.vote(&id, &voter_key(1), json!([1])).await.parse(200);
    assert_eq!(receipt.round, round);
    f.vote(&id, &voter_key(1), json!([1]))
        .await
        .expect_error(409, "already_voted");
    let public: PollResults = f.poll_results(&id, None).await.parse(200);
    assert_eq!(public, results(&[0, 1, 0], 1));
    // Still so after a restart.
    let f = f.restart().await;
    assert_eq!(f.poll_admin_totals(&id).await, results(&[0, 1, 0], 1));
    let view: PollView = f.poll_view(&id, Some(&voter_key(2))).await.parse(200);
    assert!(!view.voted);
    f.vote(&id, &voter_key(2), json!([2])).await.expect_ok();
    assert_eq!(f.poll_admin_totals(&id).await, results(&[0, 1, 1], 2));
}

#[tokio::test]
async fn votes_during_a_reset_count_in_exactly_one_round() {
    let f = fixture().await;
    let id = f
        .open_poll(poll_with(
            2,
            json!({"audience": {"kind": "open", "max_keys_per_network": 1000}}),
        ))
        .await;
    const VOTERS: u64 = 100;
    let barrier = Arc::new(Barrier::new(VOTERS as usize + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..VOTERS {
        let (http, url, barrier) = (f.http.clone(), f.poll_url(&id, "/vote"), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let answer = call(
                http.post(url)
                    .header(VOTER_HEADER, voter_key(n))
                    .json(&json!({"choices": [n % 2]})),
            )
            .await;
            (n, answer)
        });
    }
    barrier.wait().await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let reset: PollAdminView = f
        .poll_action(&id, json!({"action": "reset", "round": 1}))
        .await
        .parse(200);
    assert_eq!(reset.poll.round, 2);
    let mut in_round = [Vec::new(), Vec::new()];
    while let Some(done) = tasks.join_next().await {
        let (n, answer) = done.expect("task");
        let receipt: VoteReceipt = answer.parse(200);
        assert!([1, 2].contains(&receipt.round), "{receipt:?}");
        in_round[receipt.round as usize - 1].push(n);
    }
    // Round 2 holds exactly the votes acknowledged in round 2.
    let expected = |voters: &[u64]| {
        let ones = voters.iter().filter(|n| *n % 2 == 1).count() as u64;
        results(&[voters.len() as u64 - ones, ones], voters.len() as u64)
    };
    assert_eq!(f.poll_admin_totals(&id).await, expected(&in_round[1]));
    // Who voted in round 1 votes again; who voted in round 2 has voted.
    for &n in &in_round[0] {
        f.vote(&id, &voter_key(n), json!([n % 2])).await.expect_ok();
    }
    for &n in in_round[1].iter().take(5) {
        f.vote(&id, &voter_key(n), json!([0]))
            .await
            .expect_error(409, "already_voted");
    }
    let all: Vec<u64> = (0..VOTERS).collect();
    assert_eq!(f.poll_admin_totals(&id).await, expected(&all));
}

#[tokio::test]
async fn editing_the_ballot_is_refused_with_votes_but_allowed_after_reset() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    // Without votes anything may change.
    let edited: PollAdminView = f
        .edit_poll(&id, json!({"question": "Wat komt er in het postkantoor?"}))
        .await
        .parse(200);
    assert_eq!(edited.poll.question, "Wat komt er in het postkantoor?");
    f.vote(&id, &voter_key(1), json!([0])).await.expect_ok();

    for ballot in [
        json!({"question": "Iets anders?"}),
        json!({"options": ["Bibliotheek", "Café"]}),
        json!({"options": ["Plan 0", "Plan 1", "Plan 2"]}),
        json!({"max_choices": 2}),
        json!({"audience": {"kind": "codes"}}),
    ] {
        f.edit_poll(&id, ballot.clone())
            .await
            .expect_error(409, "poll_has_votes");
    }
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert_eq!(view.poll.question, "Wat komt er in het postkantoor?");
    assert_eq!(view.poll.options, ["Plan 0", "Plan 1"]);
    // Times and visibility may change with votes.
    let closes_at = now_secs() + 3600;
    let edited: PollAdminView = f
        .edit_poll(
            &id,
            json!({"closes_at": closes_at, "results": "after_close"}),
        )
        .await
        .parse(200);
    assert_eq!(edited.poll.closes_at, Some(closes_at));
    assert_eq!(f.poll_admin_totals(&id).await, results(&[1, 0], 1));

    let round = f.poll_admin_view(&id).await.poll.round;
    f.poll_action(&id, json!({"action": "reset", "round": round}))
        .await
        .expect_ok();
    let edited: PollAdminView = f
        .edit_poll(
            &id,
            json!({"options": ["Bibliotheek", "Café", "Woningen"], "max_choices": 2}),
        )
        .await
        .parse(200);
    assert_eq!(edited.poll.options, ["Bibliotheek", "Café", "Woningen"]);
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert_eq!(view.poll.options, ["Bibliotheek", "Café", "Woningen"]);
    assert_eq!(view.poll.max_choices, 2);
    f.vote(&id, &voter_key(1), json!([1, 2])).await.expect_ok();
    assert_eq!(f.poll_admin_totals(&id).await, results(&[0, 1, 1], 1));
    // Edits are checked like a new poll.
    f.edit_poll(&id, json!({"question": ""}))
        .await
        .expect_invalid("question");
    f.edit_poll(&id, json!({"options": ["Alleen"]}))
        .await
        .expect_invalid("options");
    f.edit_poll(&id, json!({"colour": "red"}))
        .await
        .expect_error(400, "invalid_field");
}

// ------------------------------------------------ many votes, and a restart

/// The totals of a single-choice poll agree everywhere they are shown.
async fn check_counts(f: &Town, id: &str, expected: &PollResults) {
    let admin = f.poll_admin_totals(id).await;
    assert_eq!(&admin, expected);
    assert_eq!(admin.totals.iter().sum::<u64>(), admin.total_votes);
    let public: PollResults = f.poll_results(id, None).await.parse(200);
    assert_eq!(public, admin, "public results and the admin view agree");
    let view: PollView = f.poll_view(id, None).await.parse(200);
    assert_eq!(view.results.as_ref(), Some(&admin));
    let list: PollAdminList = call(f.http.get(f.admin_polls_url("")).bearer_auth(&f.token))
        .await
        .parse(200);
    let listed = list.polls.iter().find(|p| p.poll.id == id).expect("listed");
    assert_eq!(listed.results, admin);
}

#[tokio::test]
async fn five_hundred_concurrent_votes_add_up_also_after_a_restart() {
    let f = fixture().await;
    let id = f
        .open_poll(poll_with(
            3,
            json!({"audience": {"kind": "open", "max_keys_per_network": 1000}}),
        ))
        .await;
    const VOTERS: u64 = 500;
    let barrier = Arc::new(Barrier::new(VOTERS as usize));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..VOTERS {
        let (http, url, barrier) = (f.http.clone(), f.poll_url(&id, "/vote"), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let answer = call(
                http.post(url)
                    .header(VOTER_HEADER, voter_key(n))
                    .json(&json!({"choices": [n % 3]})),
            )
            .await;
            (n, answer.status, answer.text)
        });
    }
    let mut failed = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (n, status, text) = done.expect("task");
        if status != 200 {
            failed.push((n, status, text));
        }
    }
    assert!(
        failed.is_empty(),
        "{} votes failed: {failed:?}",
        failed.len()
    );
    let expected = results(&[167, 167, 166], VOTERS);

    check_counts(&f, &id, &expected).await;

    let f = f.restart().await;
    check_counts(&f, &id, &expected).await;
    // The voters are still known: no second votes after the restart.
    for n in [0, 250, 499] {
        f.vote(&id, &voter_key(n), json!([0]))
            .await
            .expect_error(409, "already_voted");
        let view: PollView = f.poll_view(&id, Some(&voter_key(n))).await.parse(200);
        assert!(view.voted);
    }
    f.vote(&id, &voter_key(VOTERS), json!([2]))
        .await
        .expect_ok();
    let after = f.poll_admin_totals(&id).await;
    assert_eq!(after, results(&[167, 167, 167], VOTERS + 1));
}

// ------------------------------------------------------------- join codes

#[tokio::test]
async fn join_codes_lead_to_their_poll() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let code = f.poll_admin_view(&id).await.poll.join_code;
    assert_eq!(code.len(), 5, "{code}");
    let view: PollView = f.poll_view(&id, None).await.parse(200);
    assert_eq!(view.poll.join_code, code);
    let join = |code: String| {
        let url = f.server.at(&format!("/api/v1/polls/join/{code}"));
        let http = f.http.clone();
        async move { call(http.get(url)).await }
    };
    let expected = JoinTarget {
        community: f.slug.clone(),
        poll: id.clone(),
    };
    let dashed = format!("{}-{}", &code[..2], &code[2..]);
    for variant in [
        code.clone(),
        code.to_lowercase(),
        dashed.clone(),
        dashed.to_lowercase(),
    ] {
        let target: JoinTarget = join(variant).await.parse(200);
        assert_eq!(target, expected);
    }
    // Another poll has another code.
    let other = f.open_poll(poll_with(2, json!({}))).await;
    let other_code = f.poll_admin_view(&other).await.poll.join_code;
    assert_ne!(other_code, code);
    let target: JoinTarget = join(other_code).await.parse(200);
    assert_eq!(target.poll, other);
    // Unknown and malformed codes.
    for unknown in ["", "x", "ABCDEFGHJK", "00000", "%3Cb%3E"] {
        let answer = join(unknown.to_string()).await;
        assert_eq!(answer.status, 404, "{unknown}: {answer:?}");
        assert!(
            ["poll_not_found", "route_not_found"]
                .contains(&answer.body["error"]["code"].as_str().unwrap_or("")),
            "{answer:?}"
        );
    }
    let missing = if code == "22222" { "33333" } else { "22222" };
    join(missing.into())
        .await
        .expect_error(404, "poll_not_found");
}

// ------------------------------------------------------------------- pages

/// People who know only the server's address or a code get pages, not JSON: `/` says
/// what the server is and lists its communities with the admin link; `/p` asks for the
/// code and leads to the phone page (any case, spaces and dashes as typed); the phone page
/// carries the community's name.
#[tokio::test]
async fn the_landing_page_and_the_code_form_lead_people_on() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let code = f.poll_admin_view(&id).await.poll.join_code;
    let name = call(f.http.get(f.server.community_url("dorp", "")))
        .await
        .body["name"]
        .as_str()
        .expect("community name")
        .to_string();
    let not_following = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let is_html = |a: &Answer| {
        a.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    };

    let landing = call(f.http.get(f.server.at("/"))).await;
    assert_eq!(landing.status, 200, "{landing:?}");
    assert!(is_html(&landing), "{landing:?}");
    assert!(
        landing.text.contains(&format!("<strong>{name}</strong>")),
        "{}",
        landing.text
    );
    assert!(
        landing.text.contains(ALLOWED_ORIGIN),
        "the community's website: {}",
        landing.text
    );
    assert!(landing.text.contains("href=\"/admin\"") && landing.text.contains("href=\"/p\""));
    let post = call(f.http.post(f.server.at("/"))).await;
    assert_eq!(post.status, 405, "{post:?}");

    let form = call(f.http.get(f.server.at("/p"))).await;
    assert_eq!(form.status, 200, "{form:?}");
    assert!(
        is_html(&form) && form.text.contains("name=\"code\""),
        "{}",
        form.text
    );
    let empty = call(not_following.get(f.server.at("/p?code=+"))).await;
    assert_eq!(empty.status, 200, "a blank code asks again: {empty:?}");
    let typed = format!(" {}-{} ", code[..2].to_lowercase(), &code[2..]);
    let go = call(
        not_following
            .get(f.server.at("/p"))
            .query(&[("code", typed.as_str())]),
    )
    .await;
    assert_eq!(go.status, 303, "{go:?}");
    assert_eq!(go.header("location"), Some(format!("/p/{code}")), "{go:?}");
    let phone = call(
        f.http
            .get(f.server.at("/p"))
            .query(&[("code", typed.as_str())]),
    )
    .await;
    assert_eq!(phone.status, 200, "{phone:?}");
    assert!(
        phone.text.contains(&format!("data-poll=\"{id}\"")),
        "{}",
        phone.text
    );
    assert!(
        phone
            .text
            .contains(&format!("<h1 class=\"brand\">{name}</h1>")),
        "{}",
        phone.text
    );
    let unknown = call(f.http.get(f.server.at("/p?code=nope1"))).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert!(
        unknown.text.contains("href=\"/p\""),
        "a way to type it again: {}",
        unknown.text
    );
}

#[tokio::test]
async fn poll_pages_mount_the_widget_for_their_poll() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let code = f.poll_admin_view(&id).await.poll.join_code;
    let page = |path: String| {
        let (http, url) = (f.http.clone(), f.server.at(&path));
        async move { call(http.get(url)).await }
    };
    let is_html = |a: &Answer| {
        a.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    };
    let mounts = |a: &Answer, kind: &str| {
        a.text.contains(&format!("data-mekaar=\"{kind}\""))
            && a.text.contains("data-community=\"dorp\"")
            && a.text.contains(&format!("data-poll=\"{id}\""))
    };

    // The phone page, by the join code in any case.
    for path in [format!("/p/{code}"), format!("/p/{}", code.to_lowercase())] {
        let phone = page(path).await;
        assert_eq!(phone.status, 200, "{phone:?}");
        assert!(is_html(&phone) && mounts(&phone, "poll"), "{phone:?}");
        assert!(phone.text.contains("/embed.js"), "{phone:?}");
    }
    let missing = if code == "22222" { "33333" } else { "22222" };
    let unknown = page(format!("/p/{missing}")).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert!(is_html(&unknown), "a page for a person: {unknown:?}");

    // The overlay, with and without its QR code.
    let overlay = page(format!("/overlay/{id}?theme=light&qr=1")).await;
    assert_eq!(overlay.status, 200, "{overlay:?}");
    assert!(is_html(&overlay) && mounts(&overlay, "poll"), "{overlay:?}");
    assert!(
        overlay.text.contains("data-view=\"overlay\""),
        "{overlay:?}"
    );
    assert!(
        overlay.text.contains(&format!("/qr/{code}.svg")),
        "{overlay:?}"
    );
    assert!(overlay.text.contains(&format!("/p/{code}")), "{overlay:?}");
    let bare = page(format!("/overlay/{id}?theme=dark&qr=0")).await;
    assert_eq!(bare.status, 200, "{bare:?}");
    assert!(!bare.text.contains(&format!("/qr/{code}.svg")), "{bare:?}");

    // The editor's control link leads to the poll's live control in the console
    // (which asks for the sign-in first), for no search engine and with no referrer.
    let not_following = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let control = call(not_following.get(f.server.at(&format!("/control/{id}")))).await;
    assert_eq!(control.status, 303, "{control:?}");
    assert_eq!(
        control.header("location"),
        Some(format!("/admin#/polls/{id}")),
        "{control:?}"
    );
    assert_eq!(control.header("x-robots-tag").as_deref(), Some("noindex"));
    assert_eq!(
        control.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(control.header("cache-control").as_deref(), Some("no-store"));
    // Followed, it is the console's page with the console's strict policy.
    let console = page(format!("/control/{id}")).await;
    assert_eq!(console.status, 200, "{console:?}");
    assert!(is_html(&console), "{console:?}");
    assert!(
        console
            .header("content-security-policy")
            .is_some_and(|csp| csp.contains("frame-ancestors 'none'")),
        "{console:?}"
    );
    let unknown = call(not_following.get(f.server.at("/control/doesnotexist"))).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert!(is_html(&unknown), "a page for a person: {unknown:?}");

    // The QR code of the join link.
    let qr = page(format!("/qr/{code}.svg")).await;
    assert_eq!(qr.status, 200, "{qr:?}");
    assert!(
        qr.header("content-type")
            .is_some_and(|t| t.starts_with("image/svg+xml")),
        "{qr:?}"
    );
    assert!(qr.text.contains("<svg"), "{qr:?}");
    assert_eq!(page(format!("/qr/{missing}.svg")).await.status, 404);
}

// -------------------------------------------------------------- bad input

#[tokio::test]
async fn bad_input_gets_a_structured_4xx_never_a_5xx() {
    let f = fixture().await;
    let raw_create = |body: String| {
        f.http
            .post(f.admin_polls_url(""))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
    };
    call(raw_create("{\"question\": ".into()))
        .await
        .expect_error(400, "malformed_json");
    call(raw_create("not json".into()))
        .await
        .expect_error(400, "malformed_json");
    f.create_poll(&poll_with(2, json!({"colour": "red"})))
        .await
        .expect_error(400, "invalid_field");
    f.create_poll(&json!({"question": "Alleen een vraag?"}))
        .await
        .expect_error(400, "invalid_field");
    f.create_poll(&poll_with(2, json!({"question": "x".repeat(201)})))
        .await
        .expect_invalid("question");
    f.create_poll(&poll_with(2, json!({"question": "  "})))
        .await
        .expect_invalid("question");
    f.create_poll(&poll_with(2, json!({"question": "Twee\nregels?"})))
        .await
        .expect_invalid("question");
    f.create_poll(&poll_with(2, json!({"question": "x".repeat(200)})))
        .await
        .expect_status(201);
    f.create_poll(&poll_with(2, json!({"options": ["Ja", "x".repeat(101)]})))
        .await
        .expect_invalid("options");
    f.create_poll(&poll_with(2, json!({"options": ["Ja", "x".repeat(100)]})))
        .await
        .expect_status(201);
    f.create_poll(&poll_with(1, json!({})))
        .await
        .expect_invalid("options");
    f.create_poll(&poll_with(11, json!({})))
        .await
        .expect_invalid("options");
    f.create_poll(&poll_with(10, json!({})))
        .await
        .expect_status(201);
    f.create_poll(&poll_with(2, json!({"options": ["Ja", "ja"]})))
        .await
        .expect_invalid("options");
    f.create_poll(&poll_with(2, json!({"options": ["Ja", ""]})))
        .await
        .expect_invalid("options");
    f.create_poll(&poll_with(2, json!({"results": "sometimes"})))
        .await
        .expect_error(400, "invalid_field");
    f.create_poll(&poll_with(2, json!({"audience": {"kind": "everyone"}})))
        .await
        .expect_error(400, "invalid_field");
    f.create_poll(&poll_with(2, json!({"max_choices": 300})))
        .await
        .expect_error(400, "invalid_field");
    call(
        f.http
            .post(f.admin_polls_url(""))
            .bearer_auth(&f.token)
            .header(CONTENT_TYPE, "text/plain")
            .body(poll_with(2, json!({})).to_string()),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    let mut huge = poll_with(2, json!({})).to_string();
    huge.insert_str(1, &" ".repeat(64 * 1024));
    call(raw_create(huge))
        .await
        .expect_error(413, "body_too_large");
    // None of these made a poll besides the three that fit.
    let list: PollAdminList = call(f.http.get(f.admin_polls_url("")).bearer_auth(&f.token))
        .await
        .parse(200);
    assert_eq!(list.polls.len(), 3);

    let id = f.open_poll(poll_with(3, json!({}))).await;
    let raw_vote = |body: String| {
        f.http
            .post(f.poll_url(&id, "/vote"))
            .header(VOTER_HEADER, voter_key(1))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
    };
    call(raw_vote("{\"choices\": [0".into()))
        .await
        .expect_error(400, "malformed_json");
    for body in [
        json!({"choices": [0], "extra": true}),
        json!({"choices": "0"}),
        json!({"choices": [-1]}),
        json!({"choices": [256]}),
        json!({"choices": [0.5]}),
        json!({}),
        json!([0]),
    ] {
        call(raw_vote(body.to_string()))
            .await
            .expect_error(400, "invalid_field");
    }
    call(
        f.http
            .post(f.poll_url(&id, "/vote"))
            .header(VOTER_HEADER, voter_key(1))
            .body(json!({"choices": [0]}).to_string()),
    )
    .await
    .expect_error(415, "unsupported_media_type");
    let mut huge = json!({"choices": [0]}).to_string();
    huge.insert_str(1, &" ".repeat(64 * 1024 + 1));
    call(raw_vote(huge))
        .await
        .expect_error(413, "body_too_large");
    f.vote_body(&id, None, &json!({"choices": [0]}))
        .await
        .expect_error(400, "invalid_voter_key");
    for bad_key in ["short", &voter_key(1).to_uppercase(), "<script>"] {
        f.vote(&id, bad_key, json!([0]))
            .await
            .expect_error(400, "invalid_voter_key");
    }
    assert_eq!(f.poll_admin_totals(&id).await.total_votes, 0);

    // Admin actions and codes.
    for action in [
        json!({"action": "explode"}),
        json!({"action": "reset", "round": "one"}),
        json!({}),
        json!({"action": "open", "extra": 1}),
    ] {
        f.poll_action(&id, action)
            .await
            .expect_error(400, "invalid_field");
    }
    call(
        f.http
            .post(f.admin_polls_url(&format!("/{id}/codes")))
            .bearer_auth(&f.token)
            .json(&json!({"count": "many"})),
    )
    .await
    .expect_error(400, "invalid_field");

    // Odd requests of every poll address: never a 5xx.
    let weird_ids = ["x", "UPPER", &"a".repeat(200), "%00", "%F0%9F%98%80"];
    for weird in weird_ids {
        for (method, url) in [
            (reqwest::Method::GET, f.poll_url(weird, "")),
            (reqwest::Method::POST, f.poll_url(weird, "/vote")),
            (reqwest::Method::GET, f.poll_url(weird, "/results")),
            (reqwest::Method::GET, f.poll_url(weird, "/live")),
            (
                reqwest::Method::GET,
                f.admin_polls_url(&format!("/{weird}")),
            ),
            (
                reqwest::Method::PATCH,
                f.admin_polls_url(&format!("/{weird}")),
            ),
            (
                reqwest::Method::POST,
                f.admin_polls_url(&format!("/{weird}/state")),
            ),
            (
                reqwest::Method::POST,
                f.admin_polls_url(&format!("/{weird}/codes")),
            ),
            (
                reqwest::Method::GET,
                f.admin_polls_url(&format!("/{weird}/live")),
            ),
        ] {
            let answer = call(
                f.http
                    .request(method.clone(), &url)
                    .bearer_auth(&f.token)
                    .header(VOTER_HEADER, voter_key(1))
                    .json(&json!({"choices": [0], "action": "open", "count": 1})),
            )
            .await;
            assert!(
                (400..500).contains(&answer.status),
                "{method} {url}: {answer:?}"
            );
            assert!(
                answer.body["error"]["code"].is_string(),
                "{method} {url}: {answer:?}"
            );
        }
    }
}

// ------------------------------------------------------- origins and tokens

#[tokio::test]
async fn polls_of_a_community_refuse_other_origins() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let from = |request: RequestBuilder, origin: &str| request.header("origin", origin);

    for request in [
        f.http.get(f.poll_url(&id, "")),
        f.http.get(f.poll_url(&id, "/results")),
        f.http.get(f.poll_url(&id, "/live")),
        f.http
            .post(f.poll_url(&id, "/vote"))
            .header(VOTER_HEADER, voter_key(1))
            .json(&json!({"choices": [0]})),
    ] {
        call(from(request, OTHER_ORIGIN))
            .await
            .expect_error(403, "origin_not_allowed");
    }
    assert_eq!(f.poll_admin_totals(&id).await.total_votes, 0);
    // The preflight from another site is refused too.
    let preflight = |origin: &str| {
        f.http
            .request(reqwest::Method::OPTIONS, f.poll_url(&id, "/vote"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "mekaar-voter, content-type",
            )
    };
    call(preflight(OTHER_ORIGIN))
        .await
        .expect_error(403, "origin_not_allowed");

    // The allowed site may vote and read the answer.
    let ok = call(preflight(ALLOWED_ORIGIN)).await;
    assert!((200..300).contains(&ok.status), "{ok:?}");
    assert_eq!(
        ok.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
    let methods = ok
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(methods.contains("POST"), "{ok:?}");
    let vote = call(from(
        f.http
            .post(f.poll_url(&id, "/vote"))
            .header(VOTER_HEADER, voter_key(1))
            .json(&json!({"choices": [0]})),
        ALLOWED_ORIGIN,
    ))
    .await;
    vote.expect_ok();
    assert_eq!(
        vote.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
    let live = Live::connect(from(
        Client::new().get(f.poll_url(&id, "/live")),
        ALLOWED_ORIGIN,
    ))
    .await;
    assert_eq!(
        live.stream
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some(ALLOWED_ORIGIN)
    );
    assert_eq!(f.poll_admin_totals(&id).await.total_votes, 1);
    // The server's own pages (the phone page) are not another site.
    let own = f.server.url.clone();
    call(from(f.http.get(f.poll_url(&id, "")), &own))
        .await
        .expect_ok();
}

#[tokio::test]
async fn admin_endpoints_need_the_communitys_token() {
    let f = fixture().await;
    let id = f.open_poll(poll_with(2, json!({}))).await;
    let other = f.server.create_community("buurdorp", &[]).await;
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
        let requests = [
            with(f.http.get(f.admin_polls_url(""))),
            with(
                f.http
                    .post(f.admin_polls_url(""))
                    .json(&poll_with(2, json!({}))),
            ),
            with(f.http.get(f.admin_polls_url(&format!("/{id}")))),
            with(
                f.http
                    .patch(f.admin_polls_url(&format!("/{id}")))
                    .json(&json!({"question": "Overgenomen?"})),
            ),
            with(
                f.http
                    .post(f.admin_polls_url(&format!("/{id}/state")))
                    .json(&json!({"action": "close"})),
            ),
            with(
                f.http
                    .post(f.admin_polls_url(&format!("/{id}/codes")))
                    .json(&json!({"count": 1})),
            ),
            with(f.http.get(f.admin_polls_url(&format!("/{id}/live")))),
        ];
        for request in requests {
            let answer = call(request).await;
            assert!(
                [401, 403].contains(&answer.status),
                "token {token:?}: {answer:?}"
            );
            let code = answer.body["error"]["code"].as_str().unwrap_or("");
            assert!(["unauthorized", "forbidden"].contains(&code), "{answer:?}");
        }
    }
    // Nothing changed.
    let view = f.poll_admin_view(&id).await;
    assert_eq!(view.phase, Phase::Open);
    assert_eq!(view.poll.question, "Wat doen we met het oude postkantoor?");
    let list: PollAdminList = call(f.http.get(f.admin_polls_url("")).bearer_auth(&f.token))
        .await
        .parse(200);
    assert_eq!(list.polls.len(), 1);
    // The other community's admin does not see this poll under its own name.
    call(
        f.http
            .get(
                f.server
                    .at(&format!("/api/v1/admin/communities/buurdorp/polls/{id}")),
            )
            .bearer_auth(&other.admin_token),
    )
    .await
    .expect_error(404, "poll_not_found");
    call(
        f.http
            .get(f.server.community_url("buurdorp", &format!("/polls/{id}"))),
    )
    .await
    .expect_error(404, "poll_not_found");
    // A server-wide token may do everything.
    call(
        f.http
            .get(f.admin_polls_url(&format!("/{id}")))
            .bearer_auth(&f.server.server_token),
    )
    .await
    .expect_ok();
    // The editor's stream needs the token; the residents' stream does not.
    let mut editor = f.poll_admin_live(&id).await;
    assert_eq!(
        editor.next().await.update.results,
        Some(results(&[0, 0], 0))
    );
}
