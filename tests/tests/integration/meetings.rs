//! Meetings (issue 16): initiators (manage token) and moderators (admin API) add,
//! edit and cancel meetings; residents say "ik kom" per voter key, counted exactly,
//! never over the capacity, across a restart; the agenda filters by area and shows
//! ended meetings on request; meetings of hidden initiatives are not found; the
//! `meeting_added` webhook reaches a loopback receiver; the calendar files are valid
//! iCalendar as a parser other than our writer reads them (the `ical` crate).

use std::io::BufReader;

use chrono::{Datelike, NaiveDate, TimeDelta as Days, TimeZone, Utc, Weekday};
use mekaar_api::MANAGE_HEADER;
use mekaar_server::meetings::{self, StoredMeeting};
use mekaar_tests::webhook_receiver::Receiver;
use mekaar_tests::{
    call, open_store, quick_retries, voter_key, Answer, Mine, TestServer, Town, VOTER_HEADER,
};
use serde_json::{json, Value};

const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A town "baarlo" with two areas; post-moderation (initiatives are public at once).
async fn town() -> Town {
    let server = TestServer::builder()
        .webhooks(quick_retries(3))
        .start()
        .await;
    let (town, _) = Town::create(
        server,
        &json!({
            "slug": "baarlo",
            "name": "Baarlo",
            "allowed_origins": ["https://www.baarlo.nl"],
            "areas": ["Dorpskern", "Buitengebied"],
            "themes": ["Groen"],
        }),
    )
    .await;
    town
}

async fn initiative(t: &Town, title: &str, area: &str) -> Mine {
    t.submit_ok(&json!({
        "title": title,
        "summary": "Samen iets moois maken in het dorp.",
        "initiator_name": "Anja",
        "area": area,
    }))
    .await
}

/// A meeting body starting `in_secs` from now, lasting two hours, in the dorpshuis.
fn body(title: &str, in_secs: u64) -> Value {
    let start = now() + in_secs;
    json!({
        "title": title,
        "starts_at": start,
        "ends_at": start + 2 * HOUR,
        "place": "Dorpshuis De Schakel, Kerkstraat 4, Baarlo",
    })
}

async fn add(t: &Town, mine: &Mine, body: &Value) -> Answer {
    call(
        t.http
            .post(t.initiative_url(&mine.id, "/meetings"))
            .header(MANAGE_HEADER, &mine.token)
            .json(body),
    )
    .await
}

async fn add_ok(t: &Town, mine: &Mine, body: &Value) -> Value {
    add(t, mine, body).await.expect_status(201).clone()
}

fn id(meeting: &Value) -> String {
    meeting["id"].as_str().expect("meeting id").to_string()
}

async fn edit(t: &Town, meeting: &str, token: &str, change: &Value) -> Answer {
    call(
        t.http
            .patch(t.url(&format!("/meetings/{meeting}")))
            .header(MANAGE_HEADER, token)
            .json(change),
    )
    .await
}

async fn admin_edit(t: &Town, meeting: &str, change: &Value) -> Answer {
    call(
        t.http
            .patch(t.admin_url(&format!("/meetings/{meeting}")))
            .bearer_auth(&t.token)
            .json(change),
    )
    .await
}

async fn attend(t: &Town, meeting: &str, voter: &str) -> Answer {
    call(
        t.http
            .put(t.url(&format!("/meetings/{meeting}/attend")))
            .header(VOTER_HEADER, voter),
    )
    .await
}

async fn withdraw(t: &Town, meeting: &str, voter: &str) -> Answer {
    call(
        t.http
            .delete(t.url(&format!("/meetings/{meeting}/attend")))
            .header(VOTER_HEADER, voter),
    )
    .await
}

async fn get(t: &Town, rest: &str) -> Answer {
    call(t.http.get(t.url(rest))).await
}

fn ids(list: &Value, which: &str) -> Vec<String> {
    list[which]
        .as_array()
        .unwrap_or_else(|| panic!("{which} in {list}"))
        .iter()
        .map(id)
        .collect()
}

/// A new community token of `role`.
async fn token(t: &Town, role: &str) -> String {
    call(
        t.http
            .post(t.admin_url("/tokens"))
            .bearer_auth(&t.token)
            .json(&json!({ "role": role })),
    )
    .await
    .expect_status(201)["admin_token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn initiators_and_moderators_add_edit_and_cancel_meetings() {
    let t = town().await;
    let mine = initiative(&t, "Moestuin achter de school", "Dorpskern").await;
    let other = initiative(&t, "Bankjes langs de dijk", "Buitengebied").await;

    let mut input = body("Eerste bijeenkomst", DAY);
    input["capacity"] = json!(30);
    input["description"] = json!("We maken een plan.\n\nKoffie staat klaar.");
    let meeting = add_ok(&t, &mine, &input).await;
    assert_eq!(meeting["title"], "Eerste bijeenkomst");
    assert_eq!(meeting["initiative"], mine.id.as_str());
    assert_eq!(meeting["initiative_title"], "Moestuin achter de school");
    assert_eq!(meeting["area"], "Dorpskern");
    assert_eq!(meeting["capacity"], 30);
    assert_eq!(meeting["attendee_count"], 0);
    assert_eq!(meeting["cancelled"], false);
    let m = id(&meeting);
    assert_eq!(
        get(&t, &format!("/meetings/{m}")).await.expect_ok(),
        &meeting
    );

    // Without the initiative's own token: refused, nothing added.
    let wrong = call(
        t.http
            .post(t.initiative_url(&mine.id, "/meetings"))
            .header(MANAGE_HEADER, &other.token)
            .json(&input),
    )
    .await;
    wrong.expect_error(403, "invalid_manage_token");
    let none = call(
        t.http
            .post(t.initiative_url(&mine.id, "/meetings"))
            .json(&input),
    )
    .await;
    none.expect_error(403, "invalid_manage_token");
    edit(&t, &m, &other.token, &json!({"title": "Gekaapt"}))
        .await
        .expect_error(403, "invalid_manage_token");

    // Every refusal, each with its code.
    let start = now() + DAY;
    let with = |change: Value| {
        let mut b = body("Overleg", DAY);
        for (k, v) in change.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    for (change, status, code) in [
        (
            json!({"starts_at": now() - HOUR, "ends_at": now() + HOUR}),
            422,
            "meeting_in_past",
        ),
        (
            json!({"starts_at": start, "ends_at": start}),
            422,
            "meeting_end_before_start",
        ),
        (
            json!({"starts_at": start, "ends_at": start - 60}),
            422,
            "meeting_end_before_start",
        ),
        (
            json!({"starts_at": start, "ends_at": start + 2 * DAY + 1}),
            422,
            "meeting_end_before_start",
        ),
        (json!({"title": ""}), 400, "invalid_field"),
        (json!({"title": "x".repeat(121)}), 400, "invalid_field"),
        (json!({"place": null}), 400, "invalid_field"),
        (
            json!({"place": null, "online_url": "javascript:alert(1)"}),
            400,
            "invalid_field",
        ),
        (json!({"capacity": 0}), 400, "invalid_field"),
        (json!({"capacity": 100_001}), 400, "invalid_field"),
        (
            json!({"description": "a".repeat(2001)}),
            400,
            "invalid_field",
        ),
        (json!({"place": "x".repeat(201)}), 400, "invalid_field"),
        (json!({"colour": "rood"}), 400, "invalid_field"),
    ] {
        add(&t, &mine, &with(change.clone()))
            .await
            .expect_error(status, code);
    }
    let malformed = call(
        t.http
            .post(t.initiative_url(&mine.id, "/meetings"))
            .header(MANAGE_HEADER, &mine.token)
            .header("content-type", "application/json")
            .body("{\"title\":"),
    )
    .await;
    malformed.expect_error(400, "malformed_json");
    add(
        &t,
        &Mine {
            id: "bestaat-niet".into(),
            token: mine.token.clone(),
        },
        &input,
    )
    .await
    .expect_error(404, "initiative_not_found");
    get(&t, "/meetings/bestaat-niet")
        .await
        .expect_error(404, "meeting_not_found");
    edit(&t, "bestaat-niet", &mine.token, &json!({}))
        .await
        .expect_error(404, "meeting_not_found");
    edit(&t, &m, &mine.token, &json!({"starts_at": now() - HOUR}))
        .await
        .expect_error(422, "meeting_in_past");
    edit(&t, &m, &mine.token, &json!({"ends_at": start - DAY}))
        .await
        .expect_error(422, "meeting_end_before_start");
    let listed = get(&t, &format!("/initiatives/{}/meetings", mine.id)).await;
    assert_eq!(
        ids(listed.expect_ok(), "upcoming"),
        vec![m.clone()],
        "refusals added nothing"
    );

    // The initiator edits: online instead of in the dorpshuis.
    let edited = edit(
        &t,
        &m,
        &mine.token,
        &json!({"title": "Eerste bijeenkomst (online)", "place": null, "online_url": "https://meet.example.nl/moestuin", "capacity": null}),
    )
    .await;
    let edited = edited.expect_ok();
    assert_eq!(edited["place"], Value::Null);
    assert_eq!(edited["online_url"], "https://meet.example.nl/moestuin");
    assert_eq!(edited["capacity"], Value::Null);
    assert_eq!(
        edited["description"],
        "We maken een plan.\n\nKoffie staat klaar."
    );

    // A moderator adds one through the admin API; a poll editor may not.
    let moderator = token(&t, "moderator").await;
    let editor = token(&t, "poll_editor").await;
    let admin_add = |bearer: String| {
        call(
            t.http
                .post(t.admin_url(&format!("/initiatives/{}/meetings", mine.id)))
                .bearer_auth(bearer)
                .json(&body("Uitleg door de gemeente", 2 * DAY)),
        )
    };
    admin_add(editor).await.expect_error(403, "forbidden");
    let by_moderator = admin_add(moderator.clone())
        .await
        .expect_status(201)
        .clone();
    let m2 = id(&by_moderator);

    // Cancelled: still listed, as cancelled; "ik kom" closed; reinstated: open again.
    let cancelled = admin_edit(&t, &m2, &json!({"cancelled": true})).await;
    assert_eq!(cancelled.expect_ok()["cancelled"], true);
    let listed = get(&t, &format!("/initiatives/{}/meetings", mine.id)).await;
    let listed = listed.expect_ok();
    assert_eq!(ids(listed, "upcoming"), vec![m.clone(), m2.clone()]);
    assert_eq!(listed["upcoming"][1]["cancelled"], true);
    attend(&t, &m2, &voter_key(1))
        .await
        .expect_error(409, "meeting_closed");
    assert_eq!(
        get(&t, &format!("/meetings/{m2}")).await.expect_ok()["cancelled"],
        true
    );
    edit(&t, &m2, &mine.token, &json!({"cancelled": false}))
        .await
        .expect_status(200);
    attend(&t, &m2, &voter_key(1)).await.expect_status(200);
    // The admin list also shows them.
    let admin_list = call(
        t.http
            .get(t.admin_url(&format!("/initiatives/{}/meetings", mine.id)))
            .bearer_auth(&moderator),
    )
    .await;
    assert_eq!(ids(admin_list.expect_ok(), "upcoming").len(), 2);

    // The audit log: who added, edited, cancelled which meeting.
    let audit = t.audit().await;
    let entries: Vec<(String, String, String)> = audit
        .expect_ok()
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("meeting_"))
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor"].as_str().unwrap().to_string(),
                e["after"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |action: &str, actor_prefix: &str, meeting: &str| {
        entries
            .iter()
            .any(|(a, who, m)| a == action && who.starts_with(actor_prefix) && m == meeting)
    };
    assert!(has("meeting_add", "initiator", &m), "{entries:?}");
    assert!(has("meeting_edit", "initiator", &m), "{entries:?}");
    assert!(has("meeting_add", "moderator:", &m2), "{entries:?}");
    assert!(has("meeting_cancel", "admin:", &m2), "{entries:?}");
    assert!(
        has("meeting_edit", "initiator", &m2),
        "reinstated: {entries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ik_kom_counts_exactly_never_over_capacity_and_survives_a_restart() {
    let t = town().await;
    let mine = initiative(&t, "Jeu de boules", "Dorpskern").await;
    let m = id(&add_ok(&t, &mine, &body("Openingstoernooi", DAY)).await);

    // 50 residents at once, 10 of them twice.
    let tasks: Vec<_> = (0..60u64)
        .map(|n| {
            let (http, url) = (t.http.clone(), t.url(&format!("/meetings/{m}/attend")));
            tokio::spawn(async move {
                call(http.put(url).header(VOTER_HEADER, voter_key(n % 50))).await
            })
        })
        .collect();
    for task in tasks {
        let answer = task.await.unwrap();
        assert_eq!(answer.expect_ok()["attending"], true);
    }
    let state = call(
        t.http
            .get(t.url(&format!("/meetings/{m}/attend")))
            .header(VOTER_HEADER, voter_key(7)),
    )
    .await;
    assert_eq!(
        state.expect_ok(),
        &json!({"attending": true, "attendee_count": 50, "full": false})
    );
    // 10 withdraw at once, two of them twice.
    let tasks: Vec<_> = (0..12u64)
        .map(|n| {
            let (http, url) = (t.http.clone(), t.url(&format!("/meetings/{m}/attend")));
            tokio::spawn(async move {
                call(http.delete(url).header(VOTER_HEADER, voter_key(n % 10))).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().expect_ok()["attending"], false);
    }
    attend(&t, &m, "not-a-key")
        .await
        .expect_error(400, "invalid_voter_key");
    call(t.http.put(t.url(&format!("/meetings/{m}/attend"))))
        .await
        .expect_error(400, "invalid_voter_key");

    // Capacity 5, 20 residents at once: exactly 5 get in.
    let mut small = body("Rondleiding", 2 * DAY);
    small["capacity"] = json!(5);
    let full_one = id(&add_ok(&t, &mine, &small).await);
    let tasks: Vec<_> = (100..120u64)
        .map(|n| {
            let (http, url) = (
                t.http.clone(),
                t.url(&format!("/meetings/{full_one}/attend")),
            );
            tokio::spawn(async move {
                (
                    n,
                    call(http.put(url).header(VOTER_HEADER, voter_key(n))).await,
                )
            })
        })
        .collect();
    let mut admitted = Vec::new();
    for task in tasks {
        let (n, answer) = task.await.unwrap();
        if answer.status == 200 {
            admitted.push(n);
        } else {
            answer.expect_error(409, "meeting_full");
        }
    }
    assert_eq!(admitted.len(), 5, "{admitted:?}");
    // One already coming may say so again; a newcomer may not.
    let again = attend(&t, &full_one, &voter_key(admitted[0])).await;
    assert_eq!(
        again.expect_ok(),
        &json!({"attending": true, "attendee_count": 5, "full": true})
    );
    let refused = (100..120).find(|n| !admitted.contains(n)).unwrap();
    attend(&t, &full_one, &voter_key(refused))
        .await
        .expect_error(409, "meeting_full");
    withdraw(&t, &full_one, &voter_key(admitted[0]))
        .await
        .expect_status(200);
    attend(&t, &full_one, &voter_key(refused))
        .await
        .expect_status(200);

    let t = t.restart().await;
    let state = call(
        t.http
            .get(t.url(&format!("/meetings/{m}/attend")))
            .header(VOTER_HEADER, voter_key(3)),
    )
    .await;
    assert_eq!(
        state.expect_ok(),
        &json!({"attending": false, "attendee_count": 40, "full": false})
    );
    assert_eq!(
        get(&t, &format!("/meetings/{m}")).await.expect_ok()["attendee_count"],
        40
    );
    let full = get(&t, &format!("/meetings/{full_one}")).await;
    assert_eq!(full.expect_ok()["attendee_count"], 5);
}

/// Puts meetings straight into the store of a stopped server (an ended one cannot
/// be made through the API), then starts it again.
async fn with_stored(t: Town, stored: Vec<StoredMeeting>) -> Town {
    let token = t.server.server_token.clone();
    let dir = t.server.stop().await;
    {
        let store = open_store(dir.path()).await;
        for meeting in &stored {
            meetings::save(&store, meeting).unwrap();
        }
        store.flush_blocking().unwrap();
        store.close();
    }
    let server = TestServer::builder()
        .webhooks(quick_retries(3))
        .data_dir(dir, token)
        .start()
        .await;
    Town { server, ..t }
}

fn ended(id: &str, initiative: &str, days_ago: u64) -> StoredMeeting {
    let start = now() - days_ago * DAY;
    StoredMeeting {
        id: id.into(),
        community: "baarlo".into(),
        initiative: initiative.into(),
        title: format!("Afgelopen {days_ago}"),
        starts_at: start,
        ends_at: start + HOUR,
        place: Some("Dorpshuis".into()),
        online_url: None,
        capacity: None,
        description: String::new(),
        cancelled: false,
        created_at: start - DAY,
        updated_at: start - DAY,
        sequence: 0,
    }
}

#[tokio::test]
async fn the_agenda_filters_by_area_shows_past_on_request_and_hides_unpublished() {
    let t = town().await;
    let kern = initiative(&t, "Speeltuin", "Dorpskern").await;
    let buiten = initiative(&t, "Wandelroute", "Buitengebied").await;
    let hidden = initiative(&t, "Verborgen plan", "Dorpskern").await;
    let late = id(&add_ok(&t, &kern, &body("Later", 3 * DAY)).await);
    let soon = id(&add_ok(&t, &buiten, &body("Binnenkort", DAY)).await);
    let secret = id(&add_ok(&t, &hidden, &body("Geheim", 2 * DAY)).await);
    t.moderate(&hidden.id, "hide").await.expect_status(200);
    let mut stored: Vec<StoredMeeting> = (1..=22)
        .map(|n| ended(&format!("oud-{n:02}"), &kern.id, n))
        .collect();
    stored.push(ended("oud-buiten", &buiten.id, 30));
    let t = with_stored(t, stored).await;

    let agenda = get(&t, "/meetings").await;
    let agenda = agenda.expect_ok();
    assert_eq!(ids(agenda, "upcoming"), vec![soon.clone(), late.clone()]);
    assert!(ids(agenda, "past").is_empty(), "past only on request");
    let kern_only = get(&t, "/meetings?area=Dorpskern").await;
    assert_eq!(ids(kern_only.expect_ok(), "upcoming"), vec![late.clone()]);
    let with_past = get(&t, "/meetings?past=true").await;
    let past = ids(with_past.expect_ok(), "past");
    let newest: Vec<String> = (1..=20).map(|n| format!("oud-{n:02}")).collect();
    assert_eq!(past, newest, "the newest 20 that ended, newest first");
    let buiten_past = get(&t, "/meetings?area=Buitengebied&past=true").await;
    assert_eq!(
        ids(buiten_past.expect_ok(), "past"),
        vec!["oud-buiten".to_string()]
    );
    // An initiative's own list holds all its ended meetings.
    let own = get(&t, &format!("/initiatives/{}/meetings", kern.id)).await;
    assert_eq!(ids(own.expect_ok(), "past").len(), 22);
    attend(&t, "oud-01", &voter_key(1))
        .await
        .expect_error(409, "meeting_closed");

    // The hidden initiative's meeting is nowhere to be found publicly.
    get(&t, &format!("/meetings/{secret}"))
        .await
        .expect_error(404, "meeting_not_found");
    get(&t, &format!("/meetings/{secret}.ics"))
        .await
        .expect_error(404, "meeting_not_found");
    attend(&t, &secret, &voter_key(1))
        .await
        .expect_error(404, "meeting_not_found");
    get(&t, &format!("/initiatives/{}/meetings", hidden.id))
        .await
        .expect_error(404, "initiative_not_found");
    let feed = get(&t, "/meetings.ics").await;
    assert_eq!(feed.status, 200);
    assert!(!feed.text.contains(&secret) && !feed.text.contains("Geheim"));
    // Its initiator and moderators still see and change it.
    edit(
        &t,
        &secret,
        &hidden.token,
        &json!({"title": "Nog steeds geheim"}),
    )
    .await
    .expect_status(200);
    let admin = call(
        t.http
            .get(t.admin_url(&format!("/initiatives/{}/meetings", hidden.id)))
            .bearer_auth(&t.token),
    )
    .await;
    assert_eq!(ids(admin.expect_ok(), "upcoming"), vec![secret.clone()]);
    // Restored: found again.
    t.moderate(&hidden.id, "restore").await.expect_status(200);
    get(&t, &format!("/meetings/{secret}"))
        .await
        .expect_status(200);
}

#[tokio::test]
async fn a_new_meeting_is_announced_to_the_webhook() {
    let t = town().await;
    let receiver = Receiver::start().await;
    let hook = t.add_hook(&receiver.url(), &["meeting_added"]).await;
    let mine = initiative(&t, "Repair café", "Dorpskern").await;
    let meeting = add_ok(&t, &mine, &body("Eerste repair café", DAY)).await;
    let received = receiver.wait_for("meeting_added").await;
    assert_eq!(
        received.header("mekaar-signature"),
        mekaar_server::webhooks::signature(&hook.secret, received.body.as_bytes())
    );
    let delivered = received.json();
    assert_eq!(delivered["event"], "meeting_added");
    assert_eq!(delivered["community"], "baarlo");
    assert_eq!(delivered["meeting"], meeting);
    assert_eq!(delivered["details"]["initiative"]["id"], mine.id.as_str());
    // Edits announce nothing new.
    edit(
        &t,
        &id(&meeting),
        &mine.token,
        &json!({"title": "Repair café!"}),
    )
    .await
    .expect_status(200);
    add_ok(&t, &mine, &body("Tweede repair café", 8 * DAY)).await;
    mekaar_tests::eventually("two announcements", || async {
        let got = receiver.delivered("meeting_added");
        (got.len() == 2).then_some(())
    })
    .await;
    let titles: Vec<String> = receiver
        .delivered("meeting_added")
        .iter()
        .map(|r| r.json()["meeting"]["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, vec!["Eerste repair café", "Tweede repair café"]);
}

// ------------------------------------------------------------------ calendar files

/// The file parsed by the `ical` crate: its calendars (exactly one expected).
fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars: Vec<_> = ical::IcalParser::new(BufReader::new(text.as_bytes()))
        .map(|c| c.expect("a valid calendar"))
        .collect();
    assert_eq!(calendars.len(), 1);
    calendars.remove(0)
}

fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[ical::property::Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name} in {props:?}"))
}

fn param(props: &[ical::property::Property], name: &str, key: &str) -> Option<String> {
    prop(props, name)?
        .params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.join(","))
}

/// RFC 5545 3.3.11: a TEXT value as written → the text.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn event_of<'a>(
    calendar: &'a ical::parser::ical::component::IcalCalendar,
    meeting: &str,
) -> &'a [ical::property::Property] {
    &calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").starts_with(&format!("{meeting}@")))
        .unwrap_or_else(|| panic!("no event of {meeting}"))
        .properties
}

/// The next day after `after` that is the last Sunday of March.
fn next_summer_time_change(after: NaiveDate) -> NaiveDate {
    let mut year = after.year();
    loop {
        let mut day = NaiveDate::from_ymd_opt(year, 3, 31).unwrap();
        while day.weekday() != Weekday::Sun {
            day -= Days::days(1);
        }
        if day > after {
            return day;
        }
        year += 1;
    }
}

fn epoch(dt: chrono::DateTime<Utc>) -> u64 {
    dt.timestamp() as u64
}

#[tokio::test]
async fn calendar_files_are_valid_icalendar() {
    let t = town().await;
    let mine = initiative(&t, "Dorpsfeest", "Dorpskern").await;
    let today = Utc::now().date_naive();
    // Spring forward: 14:00 CEST on the day summer time starts is 12:00 UTC; a night
    // across the change: 23:00 CET (22:00 UTC) to 04:00 CEST (02:00 UTC).
    let change = next_summer_time_change(today + Days::days(1));
    let at = |d: NaiveDate, h: u32, m: u32| {
        epoch(Utc.from_utc_datetime(&d.and_hms_opt(h, m, 0).unwrap()))
    };
    let spring = at(change, 12, 0);
    let night_start = at(change - Days::days(1), 22, 0);
    let night_end = at(change, 2, 0);
    // Winter: 15 January 19:30 CET is 18:30 UTC.
    let jan = NaiveDate::from_ymd_opt(today.year() + 1, 1, 15).unwrap();
    let winter = at(jan, 18, 30);

    let description = "Wij praten over de speeltuin, de moestuin en het dorpshuis; één avond vol \
        ideeën — kom ook! Wij zorgen voor koffie, thee en vlaai. Breng gerust je buren mee. \
        Vragen? Bel of mail ons, we zijn er voor iedereen in Baarlo, groot en klein, jong en oud. \
        Tot ziens in De Schakel, waar we om half acht beginnen met een rondje kennismaken.\n\n\
        Route: via de Kerkstraat; parkeren achter het café.";
    let title = "Plannen maken; samen, met \\ koffie";
    let spring_meeting = add_ok(
        &t,
        &mine,
        &json!({
            "title": title,
            "starts_at": spring,
            "ends_at": spring + 2 * HOUR,
            "place": "De Schakel, Kerkstraat 4; Baarlo",
            "description": description,
        }),
    )
    .await;
    let night = add_ok(
        &t,
        &mine,
        &json!({"title": "Nachtwandeling", "starts_at": night_start, "ends_at": night_end,
                "online_url": "https://meet.example.nl/nacht"}),
    )
    .await;
    let winter_meeting = add_ok(
        &t,
        &mine,
        &json!({"title": "Nieuwjaarsborrel", "starts_at": winter, "ends_at": winter + 2 * HOUR,
                "place": "Café 't Hoekje"}),
    )
    .await;
    let (s, n, w) = (id(&spring_meeting), id(&night), id(&winter_meeting));

    let feed = get(&t, "/meetings.ics").await;
    assert_eq!(feed.status, 200);
    assert_eq!(
        feed.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    for line in feed.text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(
        !feed.text.replace("\r\n", "").contains('\n'),
        "bare line feeds"
    );
    let calendar = parse(&feed.text);
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "METHOD"), "PUBLISH");
    assert_eq!(
        unescape(&value(&calendar.properties, "X-WR-CALNAME")),
        "Bijeenkomsten Baarlo"
    );
    assert!(prop(&calendar.properties, "PRODID").is_some());
    assert_eq!(calendar.timezones.len(), 1);
    assert_eq!(
        value(&calendar.timezones[0].properties, "TZID"),
        "Europe/Amsterdam"
    );
    assert_eq!(calendar.events.len(), 3);

    let spring_event = event_of(&calendar, &s);
    assert_eq!(
        param(spring_event, "DTSTART", "TZID").as_deref(),
        Some("Europe/Amsterdam")
    );
    let day = change.format("%Y%m%d");
    assert_eq!(value(spring_event, "DTSTART"), format!("{day}T140000"));
    assert_eq!(value(spring_event, "DTEND"), format!("{day}T160000"));
    assert_eq!(unescape(&value(spring_event, "SUMMARY")), title);
    assert_eq!(
        value(spring_event, "SUMMARY"),
        "Plannen maken\\; samen\\, met \\\\ koffie"
    );
    assert_eq!(
        unescape(&value(spring_event, "LOCATION")),
        "De Schakel, Kerkstraat 4; Baarlo"
    );
    let described = unescape(&value(spring_event, "DESCRIPTION"));
    assert!(described.starts_with(description), "{described}");
    assert!(described.ends_with("Initiatief: Dorpsfeest"), "{described}");
    assert!(value(spring_event, "DESCRIPTION").contains("\\n\\nRoute"));
    assert!(value(spring_event, "DTSTAMP").ends_with('Z'));
    assert_eq!(value(spring_event, "STATUS"), "CONFIRMED");
    assert_eq!(value(spring_event, "SEQUENCE"), "0");
    let uid = value(spring_event, "UID");

    let night_event = event_of(&calendar, &n);
    let eve = (change - Days::days(1)).format("%Y%m%d");
    assert_eq!(value(night_event, "DTSTART"), format!("{eve}T230000"));
    assert_eq!(value(night_event, "DTEND"), format!("{day}T040000"));
    assert_eq!(
        param(night_event, "DTEND", "TZID").as_deref(),
        Some("Europe/Amsterdam")
    );
    assert_eq!(
        value(night_event, "LOCATION"),
        "https://meet.example.nl/nacht"
    );
    let winter_event = event_of(&calendar, &w);
    assert_eq!(
        value(winter_event, "DTSTART"),
        format!("{}T193000", jan.format("%Y%m%d"))
    );

    // An edit keeps the UID and raises the SEQUENCE; a cancellation says CANCELLED.
    edit(&t, &s, &mine.token, &json!({"title": "Plannen maken"}))
        .await
        .expect_status(200);
    edit(&t, &s, &mine.token, &json!({"cancelled": true}))
        .await
        .expect_status(200);
    let one = get(&t, &format!("/meetings/{s}.ics")).await;
    assert_eq!(one.status, 200);
    assert!(one
        .header("content-disposition")
        .is_some_and(|d| d.contains(&format!("bijeenkomst-{s}.ics"))));
    let calendar = parse(&one.text);
    assert_eq!(calendar.events.len(), 1);
    let event = &calendar.events[0].properties;
    assert_eq!(value(event, "UID"), uid);
    assert_eq!(value(event, "SEQUENCE"), "2");
    assert_eq!(value(event, "STATUS"), "CANCELLED");
    assert_eq!(value(event, "SUMMARY"), "Plannen maken");
    assert_eq!(calendar.timezones.len(), 1);

    let own = get(&t, &format!("/initiatives/{}/meetings.ics", mine.id)).await;
    assert_eq!(own.status, 200);
    let calendar = parse(&own.text);
    assert_eq!(calendar.events.len(), 3);
    assert_eq!(value(event_of(&calendar, &s), "UID"), uid);
    assert_eq!(
        unescape(&value(&calendar.properties, "X-WR-CALNAME")),
        "Bijeenkomsten: Dorpsfeest"
    );
}
