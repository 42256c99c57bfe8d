//! Live results: per watched poll a `tokio::sync::watch` channel carrying its
//! latest snapshot. Votes only mark a poll dirty ([`Live::publish_soon`]); a
//! per-poll task then publishes at most once per interval (4 times a second),
//! however many votes arrived. State changes (opened, closed, revealed,
//! reset) publish at once ([`Live::publish_now`]).
//!
//! A snapshot holds the totals whether or not they may be shown: it never
//! leaves the server as is. Every viewer gets [`Snapshot::for_viewer`], which
//! applies the poll's visibility rule, so no totals leak before their time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use mekaar_api::polls::LiveUpdate;
use tokio::sync::watch;

use crate::errors::ApiResult;
use crate::polls::{self, Phase, PollResults, Tallies};
use crate::secrets;
use crate::store::Store;

/// The shortest time between two coalesced publications of one poll.
pub const PUBLISH_INTERVAL: Duration = Duration::from_millis(250);

/// A poll's state and totals at one moment. Not serialisable on purpose:
/// send [`Snapshot::for_viewer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Increases with every publication of this server (starts from the
    /// clock, so it keeps increasing across restarts): an SSE event id.
    pub seq: u64,
    pub poll: String,
    pub phase: Phase,
    pub round: u32,
    pub revealed: bool,
    pub results: PollResults,
    /// The visibility rule, evaluated when the snapshot was made.
    pub visible_to_all: bool,
    pub visible_to_voters: bool,
    /// When the poll opens or closes by its own times next (Unix seconds):
    /// the hub publishes then, without anyone clicking.
    pub next_change_at: Option<u64>,
}

impl Snapshot {
    pub fn for_viewer(&self, has_voted: bool) -> LiveUpdate {
        // A draft shows nothing but that it is not open yet.
        let visible = self.phase != Phase::Draft
            && (self.visible_to_all || (has_voted && self.visible_to_voters));
        LiveUpdate {
            seq: self.seq,
            poll: self.poll.clone(),
            phase: self.phase,
            round: self.round,
            revealed: self.revealed,
            results: visible.then(|| self.results.clone()),
        }
    }

    /// For the editor's live control (the console's admin stream): everything.
    pub fn for_admin(&self) -> LiveUpdate {
        LiveUpdate {
            results: Some(self.results.clone()),
            ..self.for_viewer(false)
        }
    }
}

struct Channel {
    tx: watch::Sender<Arc<Snapshot>>,
    /// Votes arrived since the last publication.
    dirty: AtomicBool,
    /// A publishing task is running for this poll.
    running: AtomicBool,
    /// The open or close time a timer waits for (0: none).
    timer_at: AtomicU64,
}

type PollKey = (String, String);

/// The hub of live channels, one per watched poll.
pub struct Live {
    store: Arc<Store>,
    tallies: Arc<Tallies>,
    interval: Duration,
    channels: Mutex<HashMap<PollKey, Arc<Channel>>>,
    seq: AtomicU64,
}

impl Live {
    pub fn new(store: Arc<Store>, tallies: Arc<Tallies>) -> Arc<Live> {
        Live::with_interval(store, tallies, PUBLISH_INTERVAL)
    }

    pub fn with_interval(
        store: Arc<Store>,
        tallies: Arc<Tallies>,
        interval: Duration,
    ) -> Arc<Live> {
        Arc::new(Live {
            store,
            tallies,
            interval,
            channels: Mutex::new(HashMap::new()),
            seq: AtomicU64::new(secrets::now_micros()),
        })
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<PollKey, Arc<Channel>>> {
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn snapshot(&self, community: &str, id: &str) -> ApiResult<Snapshot> {
        let (poll, results) = polls::current_results_in(&self.store, &self.tallies, community, id)?;
        let now = secrets::now_secs();
        Ok(Snapshot {
            seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
            poll: poll.id.clone(),
            phase: polls::phase(&poll, now),
            round: poll.round,
            revealed: poll.revealed,
            results,
            visible_to_all: polls::results_visible(&poll, false, now),
            visible_to_voters: polls::results_visible(&poll, true, now),
            next_change_at: match polls::phase(&poll, now) {
                Phase::Scheduled => poll.opens_at,
                Phase::Open => poll.closes_at,
                Phase::Draft | Phase::Closed => None,
            },
        })
    }

    /// A snapshot whose every vote is on disk: the votes in it were recorded
    /// before it was made, so one flush after it covers them all. Totals on
    /// screen never count a vote that a crash could still take back.
    async fn durable_snapshot(&self, community: &str, id: &str) -> ApiResult<Snapshot> {
        let snapshot = self.snapshot(community, id)?;
        // Kept: viewers get it outside the dispatcher (SSE), and a vote's
        // publication may run before the vote's answer was flushed.
        self.store.durable().await?;
        Ok(snapshot)
    }

    /// A receiver that holds the poll's latest snapshot at once and is told
    /// of every newer one (a slow receiver skips to the newest).
    pub async fn subscribe(
        self: &Arc<Self>,
        community: &str,
        id: &str,
    ) -> ApiResult<watch::Receiver<Arc<Snapshot>>> {
        let key = (community.to_string(), id.to_string());
        if let Some(channel) = self.channels().get(&key) {
            return Ok(channel.tx.subscribe());
        }
        // Made outside the map's lock: it may have to scan the votes.
        let first = Arc::new(self.durable_snapshot(community, id).await?);
        let next_change_at = first.next_change_at;
        let channel = self
            .channels()
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Channel {
                    tx: watch::Sender::new(first),
                    dirty: AtomicBool::new(false),
                    running: AtomicBool::new(false),
                    timer_at: AtomicU64::new(0),
                })
            })
            .clone();
        let rx = channel.tx.subscribe();
        self.arm_timer(key, &channel, next_change_at);
        Ok(rx)
    }

    /// Publishes when the poll opens or closes by its times (once per moment).
    fn arm_timer(self: &Arc<Self>, key: PollKey, channel: &Arc<Channel>, at: Option<u64>) {
        let Some(at) = at else { return };
        if channel.timer_at.swap(at, Ordering::SeqCst) == at {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let live = self.clone();
        let channel = channel.clone();
        runtime.spawn(async move {
            // Just past the second in which the phase changes.
            // (At least a moment, so a clock that jumps back cannot spin this.)
            let wait_ms = (at * 1000 + 20)
                .saturating_sub(secrets::now_millis())
                .max(100);
            tokio::time::sleep(Duration::from_millis(wait_ms)).await;
            let _ = channel
                .timer_at
                .compare_exchange(at, 0, Ordering::SeqCst, Ordering::SeqCst);
            let watched = live
                .channels()
                .get(&key)
                .is_some_and(|c| Arc::ptr_eq(c, &channel));
            if watched {
                live.publish(&key, &channel).await;
            }
        });
    }

    fn channel(&self, community: &str, id: &str) -> Option<(PollKey, Arc<Channel>)> {
        let key = (community.to_string(), id.to_string());
        let channel = self.channels().get(&key).cloned()?;
        Some((key, channel))
    }

    /// After a vote: publishes within the interval, coalesced with every
    /// other vote meanwhile. Cheap when nobody watches the poll. Call it
    /// inside a tokio runtime.
    pub fn publish_soon(self: &Arc<Self>, community: &str, id: &str) {
        let Some((key, channel)) = self.channel(community, id) else {
            return;
        };
        channel.dirty.store(true, Ordering::SeqCst);
        if channel
            .running
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            let live = self.clone();
            tokio::spawn(async move { live.run(key, channel).await });
        }
    }

    /// [`Live::publish_soon`] for every watched poll (changes of other
    /// nodes may have been missed).
    pub fn publish_all_soon(self: &Arc<Self>) {
        let keys: Vec<PollKey> = self.channels().keys().cloned().collect();
        for (community, id) in keys {
            self.publish_soon(&community, &id);
        }
    }

    /// After a state change: publishes at once (as soon as it is on disk).
    pub async fn publish_now(self: &Arc<Self>, community: &str, id: &str) {
        if let Some((key, channel)) = self.channel(community, id) {
            self.publish(&key, &channel).await;
        }
    }

    /// Publishes while votes keep arriving, at most once per interval; ends
    /// after one quiet interval.
    async fn run(self: Arc<Self>, key: PollKey, channel: Arc<Channel>) {
        loop {
            if channel.dirty.swap(false, Ordering::SeqCst) {
                self.publish(&key, &channel).await;
                tokio::time::sleep(self.interval).await;
                continue;
            }
            channel.running.store(false, Ordering::SeqCst);
            // A vote that came between the swap and the store above found
            // the task still running and did not start one: look again.
            if channel.dirty.load(Ordering::SeqCst)
                && channel
                    .running
                    .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            {
                continue;
            }
            return;
        }
    }

    async fn publish(self: &Arc<Self>, key: &PollKey, channel: &Arc<Channel>) {
        match self.durable_snapshot(&key.0, &key.1).await {
            Ok(snapshot) => {
                let next_change_at = snapshot.next_change_at;
                let snapshot = Arc::new(snapshot);
                // Publications overlap (a vote update waiting for its flush, an
                // editor's "closed"): a snapshot made earlier never replaces
                // one made later.
                channel.tx.send_if_modified(|current| {
                    let newer = snapshot.seq > current.seq;
                    if newer {
                        *current = snapshot.clone();
                    }
                    newer
                });
                self.arm_timer(key.clone(), channel, next_change_at);
            }
            Err(err) => tracing::warn!("live snapshot of poll {} failed: {err}", key.1),
        }
        // Nobody watches any more: drop the channel (a new viewer makes a
        // fresh one). Checked under the map's lock, as `subscribe` does.
        let mut channels = self.channels();
        if channel.tx.receiver_count() == 0 {
            channels.remove(key);
        }
    }

    /// How many polls are being watched now.
    pub fn watched_polls(&self) -> usize {
        self.channels().len()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::communities::Community;
    use crate::polls::{Audience, Ballot, PollCreate, ResultsVisibility};

    fn community() -> Community {
        Community {
            slug: "omroep".into(),
            name: "Omroep".into(),
            languages: vec!["nl".into()],
            areas: vec![],
            themes: vec![],
            support_threshold: 10,
            allowed_origins: vec![],
            admin_token_hashes: vec![],
            tokens: vec![],
            created_at: 0,
            moderation: Default::default(),
            reports_before_hide: 3,
            webhooks: vec![],
            retention_days: None,
            initiatives_page: None,
            reactions: Default::default(),
            mail_from: None,
            steps: vec![],
        }
    }

    struct World {
        _dir: tempfile::TempDir,
        store: Arc<Store>,
        tallies: Arc<Tallies>,
        community: Community,
        live: Arc<Live>,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let tallies = Arc::new(Tallies::new());
        let live = Live::new(store.clone(), tallies.clone());
        World {
            _dir: dir,
            store,
            tallies,
            community: community(),
            live,
        }
    }

    impl World {
        async fn open_poll(&self, results: ResultsVisibility) -> String {
            let input = PollCreate {
                question: "Wie wint de dorpsquiz?".into(),
                options: vec!["Noord".into(), "Zuid".into()],
                max_choices: 1,
                opens_at: None,
                closes_at: None,
                results,
                audience: Audience::default(),
            };
            let poll = polls::create(&self.store, &self.community, input, "editor").unwrap();
            polls::open(
                &self.store,
                &self.tallies,
                &self.community,
                &poll.id,
                "editor",
                secrets::now_secs(),
            )
            .unwrap();
            poll.id
        }

        fn vote(&self, id: &str, i: u32, choice: u8) {
            let key = format!("{i:032x}");
            let ballot = Ballot {
                voter_key: Some(&key),
                ..Default::default()
            };
            polls::record_vote(
                &self.store,
                &self.tallies,
                &self.community,
                id,
                ballot,
                &[choice],
                secrets::now_secs(),
            )
            .unwrap();
            self.live.publish_soon(&self.community.slug, id);
        }
    }

    #[tokio::test]
    async fn a_viewer_gets_a_snapshot_at_once_and_state_changes_without_delay() {
        let w = world();
        let id = w.open_poll(ResultsVisibility::Always).await;
        w.vote(&id, 1, 0);
        let mut rx = w.live.subscribe("omroep", &id).await.unwrap();
        let first = rx.borrow_and_update().clone();
        assert_eq!(first.phase, Phase::Open);
        assert_eq!(first.results.totals, [1, 0]);
        assert_eq!(first.round, 1);
        polls::close(
            &w.store,
            &w.tallies,
            &w.community,
            &id,
            "editor",
            secrets::now_secs(),
        )
        .unwrap();
        w.live.publish_now("omroep", &id).await;
        assert!(rx.has_changed().unwrap());
        let closed = rx.borrow_and_update().clone();
        assert_eq!(closed.phase, Phase::Closed);
        assert!(closed.seq > first.seq);
        polls::reset(&w.store, &w.tallies, &w.community, &id, 1, "editor").unwrap();
        w.live.publish_now("omroep", &id).await;
        let reset = rx.borrow_and_update().clone();
        assert_eq!(reset.round, 2);
        assert_eq!(reset.results.totals, [0, 0]);
        assert_eq!(reset.results.total_votes, 0);
        // A second viewer shares the channel and sees the latest at once.
        let second = w.live.subscribe("omroep", &id).await.unwrap();
        assert_eq!(second.borrow().seq, reset.seq);
        assert_eq!(w.live.watched_polls(), 1);
        assert_eq!(
            w.live.subscribe("omroep", "nope").await.unwrap_err().code,
            mekaar_api::ErrorCode::PollNotFound
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_thousand_votes_in_a_second_make_a_few_publications() {
        let w = world();
        let id = w.open_poll(ResultsVisibility::Always).await;
        let mut rx = w.live.subscribe("omroep", &id).await.unwrap();
        let first_seq = rx.borrow_and_update().seq;
        let started = Instant::now();
        for batch in 0..20u32 {
            for i in 0..50u32 {
                let n = batch * 50 + i;
                w.vote(&id, n, (n % 4 == 0) as u8);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let voting = started.elapsed();
        // The last votes are published within one interval.
        let last = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                let snapshot = rx.borrow_and_update().clone();
                if snapshot.results.total_votes == 1_000 {
                    return snapshot;
                }
                rx.changed().await.unwrap();
            }
        })
        .await
        .expect("the final totals arrive");
        let elapsed = started.elapsed();
        assert_eq!(last.results.totals, [750, 250]);
        let publications = last.seq - first_seq;
        // At most one per 250 ms (plus the first, which goes out at once).
        let allowed = elapsed.as_millis() as u64 / 250 + 1;
        assert!(
            publications <= allowed,
            "{publications} publications in {elapsed:?} (voting took {voting:?})"
        );
        assert!(publications >= 2, "published while votes poured in");
        // The task ends after a quiet interval; nothing more is published.
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(!rx.has_changed().unwrap());
        assert!(!w
            .live
            .channel("omroep", &id)
            .unwrap()
            .1
            .running
            .load(Ordering::SeqCst));
        // And starts again with the next vote.
        w.vote(&id, 5_000, 1);
        tokio::time::timeout(Duration::from_secs(2), rx.changed())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rx.borrow().results.total_votes, 1_001);
    }

    #[tokio::test]
    async fn totals_reach_a_viewer_only_when_the_rule_allows() {
        let w = world();
        let id = w.open_poll(ResultsVisibility::WhenRevealed).await;
        w.vote(&id, 1, 1);
        let mut rx = w.live.subscribe("omroep", &id).await.unwrap();
        let hidden = rx.borrow_and_update().clone();
        assert_eq!(hidden.for_viewer(false).results, None);
        assert_eq!(hidden.for_viewer(true).results, None);
        assert_eq!(hidden.for_admin().results.unwrap().totals, [0, 1]);
        let json = serde_json::to_value(hidden.for_viewer(true)).unwrap();
        assert_eq!(json["results"], serde_json::Value::Null);
        assert!(!json.to_string().contains("total"));
        polls::set_revealed(&w.store, &w.tallies, &w.community, &id, true, "editor").unwrap();
        w.live.publish_now("omroep", &id).await;
        let shown = rx.borrow_and_update().clone();
        assert!(shown.revealed);
        assert_eq!(shown.for_viewer(false).results.unwrap().totals, [0, 1]);

        let id = w.open_poll(ResultsVisibility::AfterVote).await;
        w.vote(&id, 1, 0);
        let snapshot = w
            .live
            .subscribe("omroep", &id)
            .await
            .unwrap()
            .borrow()
            .clone();
        assert_eq!(snapshot.for_viewer(false).results, None);
        assert_eq!(snapshot.for_viewer(true).results.unwrap().totals, [1, 0]);
    }

    #[tokio::test]
    async fn opening_and_closing_by_the_clock_reach_viewers() {
        let w = world();
        let now = secrets::now_secs();
        let input = PollCreate {
            question: "Welke naam krijgt het plein?".into(),
            options: vec!["Marktplein".into(), "Dorpsplein".into()],
            max_choices: 1,
            opens_at: Some(now + 1),
            closes_at: Some(now + 2),
            results: ResultsVisibility::AfterClose,
            audience: Audience::default(),
        };
        let poll = polls::create(&w.store, &w.community, input, "editor").unwrap();
        polls::open(&w.store, &w.tallies, &w.community, &poll.id, "editor", now).unwrap();
        let mut rx = w.live.subscribe("omroep", &poll.id).await.unwrap();
        assert_eq!(rx.borrow_and_update().phase, Phase::Scheduled);
        assert_eq!(rx.borrow().next_change_at, Some(now + 1));
        let phase_soon = |rx: &mut watch::Receiver<Arc<Snapshot>>| {
            let mut rx = rx.clone();
            async move {
                tokio::time::timeout(Duration::from_secs(3), rx.changed())
                    .await
                    .expect("published by the clock")
                    .unwrap();
                let snapshot = rx.borrow_and_update().clone();
                snapshot
            }
        };
        let opened = phase_soon(&mut rx).await;
        assert_eq!(opened.phase, Phase::Open);
        assert_eq!(opened.for_viewer(false).results, None);
        rx.borrow_and_update();
        let closed = phase_soon(&mut rx).await;
        assert_eq!(closed.phase, Phase::Closed);
        assert_eq!(closed.next_change_at, None);
        assert!(closed.for_viewer(false).results.is_some());
    }

    #[tokio::test]
    async fn unwatched_polls_cost_nothing() {
        let w = world();
        let id = w.open_poll(ResultsVisibility::Always).await;
        w.vote(&id, 1, 0);
        assert_eq!(w.live.watched_polls(), 0);
        let rx = w.live.subscribe("omroep", &id).await.unwrap();
        assert_eq!(w.live.watched_polls(), 1);
        drop(rx);
        // The next publication notices nobody listens and drops the channel.
        w.live.publish_now("omroep", &id).await;
        assert_eq!(w.live.watched_polls(), 0);
        w.vote(&id, 2, 0);
        assert_eq!(w.live.watched_polls(), 0);
        // A new viewer starts from the current totals.
        let rx = w.live.subscribe("omroep", &id).await.unwrap();
        assert_eq!(rx.borrow().results.total_votes, 2);
    }
}
