//! The stored bytes of discussions, the audit log, initiative reports,
//! webhooks and meetings, pinned: data directories and exports written
//! before these functions existed must still read.

use mekaar_api::discussions::{ReactionState, ThreadKind};
use mekaar_api::{DeliveryAttempt, ReportDetail, WebhookEvent};

use super::{CountedSet, SetAdd, Store, Table};
use crate::discussions::{StoredReaction, ThreadRecord};
use crate::meetings::StoredMeeting;
use crate::moderation::AuditEntry;
use crate::webhooks::Delivery;

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

/// The keys and JSON values of `table`, as an export holds them.
fn records(store: &Store, table: Table) -> Vec<(Vec<u8>, serde_json::Value)> {
    let snapshot = store.snapshot(&|_| true).unwrap();
    let (_, records) = snapshot
        .tables
        .into_iter()
        .find(|(t, _)| *t == table)
        .unwrap();
    records
        .into_iter()
        .map(|(k, v)| (k.to_vec(), serde_json::from_slice(&v[..]).unwrap()))
        .collect()
}

/// Group, member and value of every member of `set`.
fn members(store: &Store, set: CountedSet) -> Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let snapshot = store.snapshot(&|_| true).unwrap();
    let (_, members) = snapshot.sets.into_iter().find(|(s, _)| *s == set).unwrap();
    members
        .into_iter()
        .map(|m| (m.group, m.member, m.value[..].to_vec()))
        .collect()
}

#[test]
fn audit_entries_are_keyed_by_community_time_and_a_random_tail() {
    let (_dir, store) = temp_store();
    let entry = |action: &str| AuditEntry {
        at: 1,
        actor: "a".into(),
        action: action.into(),
        initiative: Some("i1".into()),
        note: String::new(),
        before: None,
        after: None,
    };
    store.audit_append("dorp", &entry("first")).unwrap();
    store.audit_append("dorp", &entry("second")).unwrap();
    store.audit_append("dorp2", &entry("elsewhere")).unwrap();
    let stored = records(&store, Table::Audit);
    let (key, value) = &stored[0];
    assert_eq!(&key[..5], b"dorp\0");
    let micros = u64::from_be_bytes(key[5..13].try_into().unwrap());
    assert!(micros > 1_600_000_000_000_000, "micro-seconds since 1970");
    assert_eq!(key.len(), 5 + 8 + crate::secrets::new_id().len());
    assert_eq!(value["action"], "first");
    let page = store.audit_page("dorp", 10).unwrap();
    let actions: Vec<_> = page.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["second", "first"]);
    let changed = store
        .audit_rewrite("dorp", |e| {
            e.note = "x".into();
            e.action == "first"
        })
        .unwrap();
    assert_eq!(changed, 1);
    let notes: Vec<_> = store
        .audit_page("dorp", 10)
        .unwrap()
        .into_iter()
        .map(|e| e.note)
        .collect();
    assert_eq!(notes, ["", "x"]);
}

#[test]
fn initiative_reports_are_members_of_the_initiatives_group() {
    let (_dir, store) = temp_store();
    let report = ReportDetail {
        reason: "spam".into(),
        reported_at: 5,
    };
    assert_eq!(
        store
            .initiative_report_add("dorp", "i1", &[1; 16], &report)
            .unwrap(),
        (true, 1)
    );
    assert_eq!(
        members(&store, CountedSet::Reports),
        [(
            b"dorp\0i1".to_vec(),
            vec![1; 16],
            br#"{"reason":"spam","reported_at":5}"#.to_vec()
        )]
    );
    assert_eq!(store.initiative_report_count("dorp", "i1").unwrap(), 1);
    assert_eq!(store.initiative_reports("dorp", "i1").unwrap(), [report]);
}

#[test]
fn the_outbox_is_keyed_by_due_time_and_the_log_by_community_and_time() {
    let (_dir, store) = temp_store();
    let delivery = |id: &str| Delivery {
        id: id.into(),
        community: "dorp".into(),
        webhook_id: "w".into(),
        event: WebhookEvent::Answered,
        body: "{}".into(),
        attempts: 0,
    };
    store.outbox_add(2_000, &delivery("late")).unwrap();
    store.outbox_add(1_000, &delivery("soon")).unwrap();
    let keys: Vec<_> = records(&store, Table::WebhookOutbox)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let key = |due: u64, id: &str| [&due.to_be_bytes()[..], id.as_bytes()].concat();
    assert_eq!(keys, [key(1_000, "soon"), key(2_000, "late")]);
    let due: Vec<_> = store
        .outbox_due(1_999, 10)
        .unwrap()
        .into_iter()
        .map(|(at, d)| (at, d.id))
        .collect();
    assert_eq!(due, [(1_000, "soon".to_string())]);
    store
        .outbox_reschedule(1_000, 3_000, &delivery("soon"))
        .unwrap();
    assert!(store.outbox_set_body(3_000, "soon", "{\"a\":1}").unwrap());
    assert!(!store.outbox_set_body(1_000, "soon", "{}").unwrap());
    store.outbox_remove(2_000, "late").unwrap();
    let all = store.outbox_all().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].0, all[0].1.body.as_str()), (3_000, "{\"a\":1}"));

    let attempt = DeliveryAttempt {
        delivery_id: "soon".into(),
        webhook_id: "w".into(),
        event: WebhookEvent::Answered,
        attempt: 1,
        attempted_at: 1,
        status: Some(200),
        error: None,
        delivered: true,
    };
    store.delivery_log_append("dorp", &attempt).unwrap();
    let (key, _) = &records(&store, Table::WebhookLog)[0];
    assert_eq!(&key[..5], b"dorp\0");
    assert_eq!(&key[13..], b"soon");
    assert_eq!(store.delivery_log_page("dorp", 5).unwrap(), [attempt]);
}

#[test]
fn meetings_and_their_attendees_are_keyed_by_community_and_id() {
    let (_dir, store) = temp_store();
    let meeting = StoredMeeting {
        id: "m1".into(),
        community: "dorp".into(),
        initiative: "i1".into(),
        title: "Koffie".into(),
        starts_at: 10,
        ends_at: 20,
        place: None,
        online_url: None,
        capacity: Some(1),
        description: String::new(),
        cancelled: false,
        created_at: 1,
        updated_at: 1,
        sequence: 0,
    };
    assert!(store.meeting_insert(&meeting).unwrap());
    assert!(!store.meeting_insert(&meeting).unwrap());
    assert_eq!(records(&store, Table::Meetings)[0].0, b"dorp\0m1");
    assert_eq!(
        store.meeting_get("dorp", "m1").unwrap().as_ref(),
        Some(&meeting)
    );
    assert_eq!(
        store
            .attendee_add_within("dorp", "m1", &[3; 16], 77, 1)
            .unwrap(),
        SetAdd::Added(1)
    );
    assert_eq!(
        store
            .attendee_add_within("dorp", "m1", &[4; 16], 78, 1)
            .unwrap(),
        SetAdd::Full(1)
    );
    assert_eq!(
        members(&store, CountedSet::Attendees),
        [(
            b"dorp\0m1".to_vec(),
            vec![3; 16],
            77u64.to_be_bytes().to_vec()
        )]
    );
    assert!(store.attendee_is("dorp", "m1", &[3; 16]).unwrap());
    assert_eq!(store.attendee_remove("dorp", "m1", &[3; 16]).unwrap(), 0);
}

#[test]
fn threads_reactions_and_their_sets_keep_their_keys() {
    let (_dir, store) = temp_store();
    let topic = ThreadRecord {
        kind: ThreadKind::Topic,
        id: "t1".into(),
        title: "Kermis".into(),
        intro: String::new(),
        open: true,
        closes_at: None,
        created_at: 1,
    };
    store
        .thread_put("dorp", ThreadKind::Topic, "t1", &topic)
        .unwrap();
    assert_eq!(records(&store, Table::Threads)[0].0, b"dorp\0topic\0t1");
    assert_eq!(store.topics_of_community("dorp").unwrap(), [topic]);
    let reaction = StoredReaction {
        id: "r1".into(),
        kind: ThreadKind::Topic,
        thread: "t1".into(),
        text: "Goed idee".into(),
        name: String::new(),
        stance: None,
        reply_to: None,
        badge: None,
        created_at: 1,
        edited_at: None,
        state: ReactionState::Published,
        author: "ab".into(),
        held_for: String::new(),
        reports_seen: 0,
    };
    store
        .reaction_insert("dorp", (ThreadKind::Topic, "t1"), &reaction)
        .unwrap();
    store.reaction_published("dorp", &reaction, true).unwrap();
    store.reaction_agree("dorp", "r1", &[5; 16], true).unwrap();
    store
        .reaction_report_add("dorp", "r1", &[6; 16], "grof")
        .unwrap();
    store.reaction_author_add("dorp", "ab").unwrap();
    assert_eq!(
        records(&store, Table::Reactions)[0].0,
        b"dorp\0topic\0t1\0r1"
    );
    assert_eq!(
        records(&store, Table::ReactionThreads),
        [(b"dorp\0r1".to_vec(), serde_json::json!(["topic", "t1"]))]
    );
    assert_eq!(
        records(&store, Table::ReactionAuthors),
        [(b"dorp\0ab".to_vec(), serde_json::json!(true))]
    );
    assert_eq!(
        members(&store, CountedSet::PublishedReactions),
        [(b"dorp\0topic\0t1".to_vec(), b"r1".to_vec(), Vec::new())]
    );
    assert_eq!(
        members(&store, CountedSet::Agrees),
        [(b"dorp\0r1".to_vec(), vec![5; 16], Vec::new())]
    );
    assert_eq!(
        members(&store, CountedSet::ReactionReports),
        [(b"dorp\0r1".to_vec(), vec![6; 16], b"grof".to_vec())]
    );
    assert_eq!(
        store
            .reactions_of_thread("dorp", ThreadKind::Topic, "t1")
            .unwrap(),
        [reaction]
    );
    assert_eq!(
        store.reaction_thread("dorp", "r1").unwrap(),
        Some((ThreadKind::Topic, "t1".to_string()))
    );
    assert!(store.reaction_author_known("dorp", "ab").unwrap());
    store.reaction_reports_clear("dorp", "r1").unwrap();
    assert_eq!(store.reaction_report_count("dorp", "r1").unwrap(), 0);
    assert_eq!(
        store
            .thread_published_count("dorp", ThreadKind::Topic, "t1")
            .unwrap(),
        1
    );
}
