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

use serde::{Deserialize, Serialize};
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
}

/// What one viewer receives (moves to `mekaar-api` with the poll types).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LiveUpdate {
    pub seq: u64,
    pub poll: String,
    pub phase: Phase,
    pub round: u32,
    pub revealed: bool,
    /// Present only when this viewer may see the totals.
    pub results: Option<PollResults>,
}

impl Snapshot {
    pub fn for_viewer(&self, has_voted: bool) -> LiveUpdate {
        let visible = self.visible_to_all || (has_voted && self.visible_to_voters);
        LiveUpdate {
            seq: self.seq,
            poll: self.poll.clone(),
            phase: self.phase,
            round: self.round,
            revealed: self.revealed,
            results: visible.then(|| self.results.clone()),
        }
    }

    /// For the editor's control page: everything.
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
        })
    }

    /// A receiver that holds the poll's latest snapshot at once and is told
    /// of every newer one (a slow receiver skips to the newest).
    pub fn subscribe(
        &self,
        community: &str,
        id: &str,
    ) -> ApiResult<watch::Receiver<Arc<Snapshot>>> {
        let key = (community.to_string(), id.to_string());
        if let Some(channel) = self.channels().get(&key) {
            return Ok(channel.tx.subscribe());
        }
        // Made outside the map's lock: it may have to scan the votes.
        let first = Arc::new(self.snapshot(community, id)?);
        let mut channels = self.channels();
        let channel = channels.entry(key).or_insert_with(|| {
            Arc::new(Channel {
                tx: watch::Sender::new(first),
                dirty: AtomicBool::new(false),
                running: AtomicBool::new(false),
            })
        });
        Ok(channel.tx.subscribe())
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

    /// After a state change: publishes at once.
    pub fn publish_now(&self, community: &str, id: &str) {
        if let Some((key, channel)) = self.channel(community, id) {
            self.publish(&key, &channel);
        }
    }

    /// Publishes while votes keep arriving, at most once per interval; ends
    /// after one quiet interval.
    async fn run(self: Arc<Self>, key: PollKey, channel: Arc<Channel>) {
        loop {
            if channel.dirty.swap(false, Ordering::SeqCst) {
                self.publish(&key, &channel);
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

    fn publish(&self, key: &PollKey, channel: &Channel) {
        match self.snapshot(&key.0, &key.1) {
            Ok(snapshot) => {
                channel.tx.send_replace(Arc::new(snapshot));
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
