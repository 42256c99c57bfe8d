//! Several nodes on one PostgreSQL database: this node's memories follow
//! what the others write, and the background tasks that must run once per
//! cluster say so here.
//!
//! What a node keeps in memory, and how another node's write reaches it
//! (see `store::Change`, sent with `NOTIFY`, coalesced):
//! - the list cache and ETags follow `Store::generation`, which counts the
//!   other nodes' changes too;
//! - a poll's totals are counted again from the stored votes, and its live
//!   channel publishes (a vote on node A reaches a viewer on node B within
//!   the coalescing window plus `live::PUBLISH_INTERVAL`);
//! - a community's discussion threads load again, and their watchers hear
//!   of it.
//!
//! Per node on purpose: the rate limits and guess counters of `abuse`
//! (a resident's requests spread over n nodes meet n times the limit; the
//! network caps of polls and the supports' rules are in the database and
//! hold across nodes), and connection limits.

use std::sync::Arc;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

use crate::http::App;
use crate::store::Change;

/// The background tasks that run on one node at a time (`Store::lease`).
pub mod task {
    pub const WEBHOOKS: &str = "webhooks";
    pub const MAIL: &str = "mail";
    pub const POLL_NETWORKS: &str = "poll-networks";
    pub const CLEANUP: &str = "cleanup";
}

/// Whether this node runs the next round of `task` (logs a failure to ask
/// and skips the round then: the database is unreachable anyway).
pub fn runs_here(app: &App, task: &'static str) -> bool {
    match app.store.lease(task) {
        Ok(held) => held,
        Err(err) => {
            tracing::warn!("asking for the lease of {task} failed: {err}");
            false
        }
    }
}

/// Applies what other nodes change to this node's memories, until `stop`.
pub async fn follow_other_nodes(
    app: Arc<App>,
    mut changes: broadcast::Receiver<Change>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let change = tokio::select! {
            change = changes.recv() => change,
            _ = stop.changed() => return,
        };
        let change = match change {
            Ok(change) => change,
            // Too many to keep up with: some were dropped.
            Err(RecvError::Lagged(_)) => Change::Everything,
            Err(RecvError::Closed) => return,
        };
        apply(&app, change);
    }
}

/// What another node's change means here.
pub fn apply(app: &Arc<App>, change: Change) {
    match change {
        Change::Poll { community, poll } => {
            app.tallies.forget(&community, &poll);
            app.live.publish_soon(&community, &poll);
        }
        Change::Discussions { community } => app.discussions.forget(Some(&community)),
        // The list cache and ETags follow the store's generation.
        Change::Other => {}
        Change::Everything => {
            app.tallies.forget_all();
            app.discussions.forget(None);
            app.live.publish_all_soon();
        }
    }
}
