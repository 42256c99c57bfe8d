//! Data ownership (issue 5): export / import round trips reproduce every
//! record; one community's export holds only that community; bad files and
//! non-empty directories are refused; a backup taken from a running server
//! while votes pour in restores to a consistent state that holds every vote
//! acknowledged before the backup began.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mekaar_server::export::{self, ExportError, Scope};
use mekaar_server::store::Store;
use mekaar_tests::{call_expecting, http_client, open_store, voter_key, TestServer, VOTER_HEADER};
use reqwest::Client;
use serde_json::{json, Value};

/// Fills one community through the public and admin API: initiatives with
/// updates and an answer, supports, joins, reports, moderation (audit),
/// a webhook (outbox and log), an open poll with votes and a codes poll
/// with vote codes, one of them used.
async fn populate(server: &TestServer, http: &Client, slug: &str) {
    let created = server
        .create_community(slug, &["https://www.example.nl"])
        .await;
    let token = created.admin_token;
    let admin = |rest: &str| server.at(&format!("/api/v1/admin/communities/{slug}{rest}"));
    call_expecting(
        http.post(admin("/webhooks"))
            .bearer_auth(&token)
            .json(&json!({"url": "http://127.0.0.1:9/hook", "events": ["submitted", "answered"]})),
        201,
    )
    .await;
    // Next steps: the community's list; each initiative ticks the first.
    let steps = call_expecting(
        http.put(admin("/steps")).bearer_auth(&token).json(&json!([
            {"title": "Zoek 3 medestanders", "unlock_supports": 3},
            {"title": "Vraag het leefbaarheidsbudget aan", "link": "https://www.example.nl/budget"},
        ])),
        200,
    )
    .await;
    let first_step = steps[0]["id"].as_str().unwrap().to_string();
    for n in 0..2 {
        let body = call_expecting(
            http.post(server.community_url(slug, "/initiatives"))
                .json(&json!({
                    "title": format!("Plan {n} van {slug}"),
                    "summary": "Een samenvatting.",
                    "story": "Het verhaal.",
                    "area": "Dorpskern",
                    "theme": "Groen",
                    "initiator_name": "Anja",
                    "contact_email": "anja@example.nl",
                })),
            201,
        )
        .await;
        let id = body["initiative"]["id"].as_str().unwrap().to_string();
        let manage = body["manage_token"].as_str().unwrap().to_string();
        let at = |rest: &str| server.community_url(slug, &format!("/initiatives/{id}{rest}"));
        call_expecting(
            http.post(at("/manage/updates"))
                .header(mekaar_api::MANAGE_HEADER, &manage)
                .json(&json!({"text": "Een update."})),
            200,
        )
        .await;
        for v in 0..3 {
            call_expecting(
                http.put(at("/support")).header(VOTER_HEADER, voter_key(v)),
                200,
            )
            .await;
        }
        call_expecting(
            http.put(at(&format!("/steps/{first_step}")))
                .header(mekaar_api::MANAGE_HEADER, &manage)
                .json(&json!({"done": true})),
            200,
        )
        .await;
        call_expecting(
            http.post(at("/join")).header(VOTER_HEADER, voter_key(1)).json(
                &json!({"name": "Piet", "contact": "piet@example.nl", "message": "", "consent": true}),
            ),
            200,
        )
        .await;
        call_expecting(
            http.post(at("/report"))
                .header(VOTER_HEADER, voter_key(2))
                .json(&json!({"reason": "Klopt niet"})),
            200,
        )
        .await;
        // A meeting with one resident coming.
        let starts_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 86_400;
        let meeting = call_expecting(
            http.post(at("/meetings"))
                .header(mekaar_api::MANAGE_HEADER, &manage)
                .json(
                    &json!({"title": "Eerste bijeenkomst", "starts_at": starts_at,
                              "ends_at": starts_at + 3600, "place": "Dorpshuis"}),
                ),
            201,
        )
        .await;
        call_expecting(
            http.put(server.community_url(
                slug,
                &format!("/meetings/{}/attend", meeting["id"].as_str().unwrap()),
            ))
            .header(VOTER_HEADER, voter_key(1)),
            200,
        )
        .await;
        call_expecting(
            http.put(admin(&format!("/initiatives/{id}/answer")))
                .bearer_auth(&token)
                .json(&json!({"text": "De gemeente helpt.", "answered_by": "Gemeente"})),
            200,
        )
        .await;
    }
    let poll = |body: Value| {
        let http = http.clone();
        let token = token.clone();
        let url = admin("/polls");
        async move {
            let created = call_expecting(http.post(url).bearer_auth(&token).json(&body), 201).await;
            created["poll"]["id"].as_str().unwrap().to_string()
        }
    };
    let open = poll(json!({"question": "Welk plan?", "options": ["A", "B", "C"]})).await;
    let codes = poll(
        json!({"question": "Met codes?", "options": ["Ja", "Nee"], "audience": {"kind": "codes"}}),
    )
    .await;
    for id in [&open, &codes] {
        call_expecting(
            http.post(admin(&format!("/polls/{id}/state")))
                .bearer_auth(&token)
                .json(&json!({"action": "open"})),
            200,
        )
        .await;
    }
    // The dialogue: a topic with reactions, an "eens", a report, a held
    // reaction approved (so its author is known), a thread closed.
    let topic = call_expecting(
        http.post(admin("/topics"))
            .bearer_auth(&token)
            .json(&json!({"title": "Moet de kermis terug?", "intro": "Praat mee."})),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let thread = server.community_url(slug, &format!("/threads/topic/{topic}/reactions"));
    let mut reactions = Vec::new();
    for (v, text) in [(1, "Ja, graag!"), (2, "Kijk op https://example.nl")] {
        let body = call_expecting(
            http.post(&thread)
                .header(VOTER_HEADER, voter_key(v))
                .json(&json!({"text": text, "name": "Piet"})),
            201,
        )
        .await;
        reactions.push(body["id"].as_str().unwrap().to_string());
    }
    call_expecting(
        http.post(admin(&format!("/reactions/{}/moderate", reactions[1])))
            .bearer_auth(&token)
            .json(&json!({"action": "approve"})),
        200,
    )
    .await;
    let reaction =
        |rest: &str| server.community_url(slug, &format!("/reactions/{}{rest}", reactions[0]));
    call_expecting(
        http.put(reaction("/agree"))
            .header(VOTER_HEADER, voter_key(3)),
        200,
    )
    .await;
    call_expecting(
        http.post(reaction("/report"))
            .header(VOTER_HEADER, voter_key(4))
            .json(&json!({"reason": "Onaardig"})),
        200,
    )
    .await;
    let vote = |id: &str| server.community_url(slug, &format!("/polls/{id}/vote"));
    for v in 0..5 {
        call_expecting(
            http.post(vote(&open))
                .header(VOTER_HEADER, voter_key(100 + v))
                .json(&json!({"choices": [v % 3]})),
            200,
        )
        .await;
    }
    let made = call_expecting(
        http.post(admin(&format!("/polls/{codes}/codes")))
            .bearer_auth(&token)
            .json(&json!({"count": 3})),
        201,
    )
    .await;
    let code = made["codes"][0].as_str().unwrap().to_string();
    call_expecting(
        http.post(vote(&codes))
            .json(&json!({"choices": [1], "code": code})),
        200,
    )
    .await;
}

/// Every tree of the store, raw: tree name → key → value (counts included).
fn dump(store: &Store) -> BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>> {
    Store::tree_names()
        .map(|name| {
            let tree = store.raw_tree(name).unwrap().expect("known tree");
            (name.to_string(), tree.into_iter().collect())
        })
        .collect()
}

fn export_to_file(store: &Store, scope: &Scope, path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).unwrap();
    export::export(store, scope, &mut file).unwrap()
}

/// Writes a version 1 export, as servers before format version 2 did.
fn export_v1_to_file(store: &Store, scope: &Scope, path: &Path) -> u64 {
    let snapshot = export::snapshot(store, scope).unwrap();
    let mut file = std::fs::File::create(path).unwrap();
    export::write_snapshot_version(&snapshot, scope, 1, &mut file).unwrap()
}

/// Every record of `copy` equals `original`'s, tree by tree (sessions are
/// never exported, so the copy has none).
fn assert_same_records(
    original: &BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>>,
    copy: &BTreeMap<String, BTreeMap<Vec<u8>, Vec<u8>>>,
    what: &str,
) {
    for (name, tree) in original {
        if name == "sessions" {
            assert!(copy[name].is_empty(), "{what}: sessions were exported");
            continue;
        }
        assert_eq!(tree.len(), copy[name].len(), "{what}: {name}: record count");
        for (key, value) in tree {
            assert_eq!(
                copy[name].get(key),
                Some(value),
                "{what}: {name}: the record {} differs or is missing",
                String::from_utf8_lossy(key)
            );
        }
    }
}

/// The header and the record lines of an export file, parsed.
fn lines_of(path: &Path) -> (Value, Vec<Value>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"));
    let header = lines.next().unwrap();
    let mut records: Vec<Value> = lines.collect();
    assert!(records.pop().unwrap().get("end").is_some(), "the end line");
    (header, records)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn export_and_import_reproduce_every_record() {
    let server = TestServer::start().await;
    let http = http_client();
    populate(&server, &http, "baarlo").await;
    populate(&server, &http, "kessel").await;
    // A console session: an ephemeral credential that no export may hold.
    let kessel_token = call_expecting(
        http.post(server.at("/api/v1/admin/communities/kessel/tokens"))
            .bearer_auth(&server.server_token)
            .json(&json!({"role": "moderator"})),
        201,
    )
    .await["admin_token"]
        .as_str()
        .unwrap()
        .to_string();
    call_expecting(
        http.post(server.at("/api/v1/session"))
            .json(&json!({ "token": kessel_token })),
        201,
    )
    .await;
    // Let the webhook worker try its deliveries (log entries, rescheduled outbox).
    let deliveries = server.at("/api/v1/admin/communities/baarlo/webhooks/deliveries");
    for _ in 0..100 {
        let log =
            call_expecting(http.get(&deliveries).bearer_auth(&server.server_token), 200).await;
        if log.as_array().is_some_and(|l| !l.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let dir = server.stop().await;
    let store = open_store(dir.path()).await;
    let original = dump(&store);
    for name in [
        "communities",
        "initiatives",
        "audit",
        "webhook_outbox",
        "webhook_log",
        "polls",
        "poll_join_codes",
        "poll_ids",
        "vote_codes",
        "poll_networks",
        "server_tokens",
        "server_secrets",
        "sessions",
        "supports",
        "joins",
        "reports",
        "votes",
        "threads",
        "reactions",
        "reaction_threads",
        "reaction_authors",
        "agrees",
        "reaction_reports",
        "published_reactions",
        "meetings",
        "attendees",
    ] {
        assert!(!original[name].is_empty(), "the fixture fills {name}");
    }

    // Whole database: an exact copy.
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("all.jsonl");
    let records = export_to_file(&store, &Scope::All, &file);
    let (header, lines) = lines_of(&file);
    assert_eq!(header["version"], 2, "{header}");
    assert_eq!(header["scope"], "all");
    // Domain records: one kind per table and set, the key's parts named.
    let kinds: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    for kind in [
        "community",
        "initiative",
        "server_token",
        "audit",
        "webhook_delivery",
        "webhook_attempt",
        "poll",
        "poll_join_code",
        "poll_network",
        "vote_code",
        "poll_id",
        "server_secret",
        "thread",
        "reaction",
        "reaction_thread",
        "reaction_author",
        "meeting",
        "initiative_code",
        "support",
        "join",
        "report",
        "vote",
        "agree",
        "reaction_report",
        "published_reaction",
        "attendee",
    ] {
        assert!(kinds.contains(kind), "no {kind} line in {kinds:?}");
    }
    assert!(
        lines
            .iter()
            .all(|l| l.get("key_hex").is_none() && l.get("group_hex").is_none()),
        "every key follows its kind's layout"
    );
    let vote = lines.iter().find(|l| l["kind"] == "vote").unwrap();
    assert_eq!(vote["community"], "baarlo", "{vote}");
    assert_eq!(vote["round"], 1, "{vote}");
    assert_eq!(vote["voter"].as_str().unwrap().len(), 32, "{vote}");
    assert!(vote["choices"].is_array(), "{vote}");
    let join = lines.iter().find(|l| l["kind"] == "join").unwrap();
    assert_eq!(join["record"]["name"], "Piet", "{join}");
    let support = lines.iter().find(|l| l["kind"] == "support").unwrap();
    assert!(support["at"].as_u64().unwrap() > 1_700_000_000, "{support}");
    let audit = lines.iter().find(|l| l["kind"] == "audit").unwrap();
    assert!(audit["at_micros"].as_u64().unwrap() > 1_700_000_000_000_000);
    let restored_dir = work.path().join("restored");
    let summary = export::import(&restored_dir, &file).unwrap();
    assert_eq!(summary.records, records);
    assert_eq!(summary.scope, Scope::All);
    assert_eq!(summary.version, 2);
    {
        let restored = Store::open(&restored_dir).unwrap();
        assert_same_records(&original, &dump(&restored), "store → v2 → store");
        // The next steps and their ticks came along.
        let baarlo = mekaar_server::communities::get(&restored, "baarlo").unwrap();
        assert_eq!(baarlo.steps.len(), 2);
        let funnel = mekaar_server::steps::funnel(&restored, &baarlo).unwrap();
        assert_eq!(funnel.initiatives, 2);
        assert_eq!(funnel.steps[0].done, 2, "{funnel:?}");
        restored.close();
    }
    // Importing the export of the copy gives the same lines (but the time).
    let again = work.path().join("again.jsonl");
    {
        let restored = Store::open(&restored_dir).unwrap();
        export_to_file(&restored, &Scope::All, &again);
        restored.close();
    }
    let body = |p: &Path| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .skip(1)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&file), body(&again));

    // A version 1 file (as older servers wrote it) still imports, exports
    // as version 2, and that imports again: every record the same throughout.
    let v1 = work.path().join("v1.jsonl");
    let v1_records = export_v1_to_file(&store, &Scope::All, &v1);
    assert_eq!(v1_records, records, "one line per record in both versions");
    let (v1_header, v1_lines) = lines_of(&v1);
    assert_eq!(v1_header["version"], 1);
    assert!(v1_lines
        .iter()
        .all(|l| l.get("table").is_some() || l.get("set").is_some()));
    let from_v1 = work.path().join("from-v1");
    let summary = export::import(&from_v1, &v1).unwrap();
    assert_eq!((summary.version, summary.records), (1, records));
    let v2 = work.path().join("v2-from-v1.jsonl");
    {
        let restored = Store::open(&from_v1).unwrap();
        assert_same_records(&original, &dump(&restored), "v1 → store");
        export_to_file(&restored, &Scope::All, &v2);
        restored.close();
    }
    assert_eq!(body(&v2), body(&file), "v1 → v2 gives the v2 export");
    let from_v2 = work.path().join("from-v2");
    let summary = export::import(&from_v2, &v2).unwrap();
    assert_eq!((summary.version, summary.records), (2, records));
    {
        let restored = Store::open(&from_v2).unwrap();
        assert_same_records(&original, &dump(&restored), "v1 → v2 → store");
        restored.close();
    }

    // Not into a directory that holds anything.
    let err = export::import(&restored_dir, &file).unwrap_err();
    assert!(matches!(err, ExportError::NotEmpty(_)), "{err}");
    assert!(err.to_string().contains("not empty"), "{err}");

    // One community: only its records, none server-wide.
    let one = work.path().join("kessel.jsonl");
    export_to_file(&store, &Scope::Community("kessel".into()), &one);
    let text = std::fs::read_to_string(&one).unwrap();
    assert!(
        !text.contains("baarlo"),
        "another community leaked into the export"
    );
    let one_dir = work.path().join("kessel");
    export::import(&one_dir, &one).unwrap();
    {
        let restored = Store::open(&one_dir).unwrap();
        let copy = dump(&restored);
        let kessel_prefix = b"kessel\0".to_vec();
        for (name, tree) in &original {
            let expected: BTreeMap<_, _> = tree
                .iter()
                .filter(|(key, value)| {
                    let key = key.as_slice();
                    match name.as_str() {
                        "server_tokens" | "server_secrets" | "sessions" => false,
                        "communities" => key == b"kessel",
                        "webhook_outbox" | "poll_ids" | "poll_join_codes" | "initiative_codes" => {
                            serde_json::from_slice::<Value>(value).unwrap()["community"] == "kessel"
                        }
                        "supports"
                        | "joins"
                        | "reports"
                        | "votes"
                        | "agrees"
                        | "reaction_reports"
                        | "published_reactions"
                        | "attendees" => {
                            // `m` + u16 length + group …, or `c` + group.
                            key.get(3..).is_some_and(|k| k.starts_with(&kessel_prefix))
                                && key[0] == b'm'
                                || key[0] == b'c' && key[1..].starts_with(&kessel_prefix)
                        }
                        _ => key.starts_with(&kessel_prefix),
                    }
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            assert!(
                expected == copy[name],
                "{name}: the community's records differ"
            );
        }
        restored.close();
    }
    assert!(matches!(
        export::snapshot(&store, &Scope::Community("nergens".into())),
        Err(ExportError::NoSuchCommunity(_))
    ));

    // Refused: another version, another format, a cut-short file.
    let bad = work.path().join("bad.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header_v3 = lines[0].replace("\"version\":2", "\"version\":3");
    std::fs::write(&bad, format!("{header_v3}\n{}\n", lines[1..].join("\n"))).unwrap();
    let err = export::import(&work.path().join("v3"), &bad).unwrap_err();
    assert!(matches!(err, ExportError::Version(_)), "{err}");
    assert!(err.to_string().contains("version 3"), "{err}");
    assert!(
        !work.path().join("v3").exists(),
        "nothing written for a refused file"
    );
    // A malformed record: refused with its line and why, nothing written.
    let broken = lines[3].replacen("\"community\":", "\"communit\":", 1);
    assert_ne!(broken, lines[3], "line 4 names its community");
    let mut changed = lines.clone();
    changed[3] = &broken;
    std::fs::write(&bad, format!("{}\n", changed.join("\n"))).unwrap();
    let err = export::import(&work.path().join("broken"), &bad).unwrap_err();
    assert!(err.to_string().contains("(line 4)"), "{err}");
    assert!(
        err.to_string().contains("unknown field `communit`"),
        "{err}"
    );
    assert!(!work.path().join("broken").exists());
    // A version 1 line in a version 2 file is no record.
    let v1_text = std::fs::read_to_string(&v1).unwrap();
    let v1_line = v1_text.lines().nth(1).unwrap();
    std::fs::write(
        &bad,
        format!("{}\n{v1_line}\n{{\"end\":{{\"records\":1}}}}\n", lines[0]),
    )
    .unwrap();
    let err = export::import(&work.path().join("mixed"), &bad).unwrap_err();
    assert!(err.to_string().contains("(line 2)"), "{err}");
    std::fs::write(&bad, format!("{}\n", lines[..lines.len() - 1].join("\n"))).unwrap();
    let err = export::import(&work.path().join("short"), &bad).unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");
    std::fs::write(&bad, "{\"format\":\"other\",\"version\":1}\n").unwrap();
    assert!(export::import(&work.path().join("other"), &bad).is_err());
    // A file that carries sessions is no export of ours: they are never written.
    assert!(!text.contains("\"kind\":\"session"));
    assert!(!v1_text.contains("\"table\":\"sessions\""));
    for (header, session_line, why) in [
        (
            lines[0],
            "{\"kind\":\"session\",\"hash\":\"00\",\"record\":{}}",
            "unknown kind",
        ),
        (
            v1_text.lines().next().unwrap(),
            "{\"table\":\"sessions\",\"key\":\"00\",\"value\":{}}",
            "unknown table",
        ),
    ] {
        std::fs::write(
            &bad,
            format!("{header}\n{session_line}\n{{\"end\":{{\"records\":1}}}}\n"),
        )
        .unwrap();
        let err = export::import(&work.path().join("sessions"), &bad).unwrap_err();
        assert!(err.to_string().contains(why), "{err}");
    }
    store.close();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_while_votes_pour_in_restores_consistently() {
    let server = TestServer::start().await;
    let http = http_client();
    let created = server.create_community("omroep", &[]).await;
    let admin = server.at("/api/v1/admin/communities/omroep/polls");
    let poll = call_expecting(
        http.post(&admin)
            .bearer_auth(&created.admin_token)
            .json(&json!({
                "question": "Wie wint?",
                "options": ["A", "B", "C", "D"],
                "audience": {"kind": "open", "max_keys_per_network": 100_000},
            })),
        201,
    )
    .await["poll"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    call_expecting(
        http.post(format!("{admin}/{poll}/state"))
            .bearer_auth(&created.admin_token)
            .json(&json!({"action": "open"})),
        200,
    )
    .await;
    let vote_url = server.community_url("omroep", &format!("/polls/{poll}/vote"));

    // Voters, each voting with new keys until told to stop; every
    // acknowledged vote is remembered with the moment it was acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU64::new(0));
    let acked: Arc<Mutex<Vec<(u64, u8, std::time::Instant)>>> = Default::default();
    let voters: Vec<_> = (0..16)
        .map(|_| {
            let (http, url, stop, next, acked) = (
                http.clone(),
                vote_url.clone(),
                stop.clone(),
                next.clone(),
                acked.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    let choice = (n % 4) as u8;
                    let response = http
                        .post(&url)
                        .header(VOTER_HEADER, voter_key(n))
                        .json(&json!({"choices": [choice]}))
                        .send()
                        .await
                        .expect("vote answered");
                    assert_eq!(response.status(), 200);
                    acked
                        .lock()
                        .unwrap()
                        .push((n, choice, std::time::Instant::now()));
                }
            })
        })
        .collect();
    // Until more than 50 votes are in, however fast this machine and engine are.
    let votes_beyond = |n: usize| {
        let acked = acked.clone();
        async move {
            for _ in 0..3000 {
                if acked.lock().unwrap().len() > n {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            panic!("fewer than {n} votes came in within a minute");
        }
    };
    votes_beyond(50).await;
    let backups = tempfile::tempdir().unwrap();
    let began = std::time::Instant::now();
    let file = export::backup(&server.url, &server.server_token, backups.path())
        .await
        .expect("backup");
    // Votes go on a while after the backup, then stop.
    let at_backup = acked.lock().unwrap().len();
    votes_beyond(at_backup + 5).await;
    stop.store(true, Ordering::SeqCst);
    for voter in voters {
        voter.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let before: Vec<_> = acked.iter().filter(|(_, _, at)| *at < began).collect();
    assert!(
        before.len() > 50,
        "votes came in before the backup: {}",
        before.len()
    );
    assert!(
        acked.len() > before.len(),
        "votes came in during and after the backup"
    );
    assert!(file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("mekaar-"));
    let leftovers: Vec<_> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "only the backup, no partial file: {leftovers:?}"
    );

    // Without the server token: refused, nothing written.
    let refused = export::backup(&server.url, &created.admin_token, backups.path()).await;
    assert!(matches!(refused, Err(ExportError::Http(_))), "{refused:?}");

    // Restore (newest backup in the directory) and start a server on it.
    let restored = tempfile::tempdir().unwrap();
    let (used, summary) = export::restore(restored.path(), backups.path()).unwrap();
    assert_eq!(used, file);
    assert_eq!(summary.scope, Scope::All);
    let token = server.server_token.clone();
    server.stop().await;
    let restored_server = TestServer::builder()
        .data_dir(restored, token)
        .start()
        .await;
    let view = call_expecting(
        http.get(restored_server.at(&format!("/api/v1/admin/communities/omroep/polls/{poll}")))
            .bearer_auth(&created.admin_token),
        200,
    )
    .await;
    let totals: Vec<u64> = serde_json::from_value(view["results"]["totals"].clone()).unwrap();
    let total_votes = view["results"]["total_votes"].as_u64().unwrap();
    assert_eq!(totals.iter().sum::<u64>(), total_votes, "{view}");

    // The restored votes, voter by voter: each acknowledged before the
    // backup began is there (a second vote is refused as already cast), and
    // the totals equal the stored votes.
    let restored_url = restored_server.community_url("omroep", &format!("/polls/{poll}/vote"));
    let mut present = 0u64;
    let mut per_choice = [0u64; 4];
    for (n, choice, at) in &acked {
        let response = http
            .post(&restored_url)
            .header(VOTER_HEADER, voter_key(*n))
            .json(&json!({"choices": [choice]}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 409 {
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "already_voted", "{body}");
            present += 1;
            per_choice[*choice as usize] += 1;
        } else {
            assert_eq!(status, 200, "{}", response.text().await.unwrap());
            assert!(
                *at >= began,
                "vote {n}, acknowledged before the backup, is missing"
            );
        }
    }
    assert_eq!(present, total_votes, "restored totals equal restored votes");
    assert_eq!(per_choice.to_vec(), totals, "per option too");
    assert!(present >= before.len() as u64);
    restored_server.stop().await;
}
