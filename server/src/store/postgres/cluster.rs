//! Several nodes on one database: what one node wrote reaches the others'
//! memories, and a background task runs on one node at a time.
//!
//! - **Changes.** Every write names its [`Change`]; they collect in a set
//!   (so a thousand votes on one poll are one line) that a task sends as
//!   `NOTIFY mekaar_changes` at most every [`COALESCE`], after the writes
//!   committed. Each node LISTENs on its own connection and passes what
//!   other nodes sent to [`Cluster::subscribe`]rs. A lost listening
//!   connection is made again, and then everything counts as changed (a
//!   notification sent meanwhile is gone).
//! - **Leases.** A once-per-cluster task asks [`Cluster::lease`] before each
//!   round: a session-level advisory lock, held on a connection of its own
//!   for as long as that connection lives. A node that dies or loses the
//!   database loses the lock with its session, and the next node to ask
//!   gets it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::Pool;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::sync::{broadcast, mpsc, Notify};
use tokio_postgres::{AsyncMessage, Client, Config};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::changes::Change;

/// The channel of `NOTIFY`/`LISTEN`.
const CHANNEL: &str = "mekaar_changes";

/// The longest a change waits to be sent with others; a viewer on another
/// node hears of a vote within this plus the publication interval.
const COALESCE: Duration = Duration::from_millis(50);

/// A notification's payload must stay under 8000 bytes.
const PAYLOAD_MAX: usize = 7000;

/// How long a failed connection waits before the next try.
const RETRY: Duration = Duration::from_secs(1);

/// What the advisory locks of leases start with ("mk" and a task's hash).
const LEASE_LOCK_PREFIX: i64 = 0x6d6b << 48;

pub struct Cluster {
    /// This node's name in notifications (its own come back to it).
    node: String,
    config: Config,
    tls: MakeRustlsConnect,
    outbox: Mutex<HashSet<Change>>,
    wake: Notify,
    heard: broadcast::Sender<Change>,
    /// How many changes of other nodes were heard.
    heard_count: AtomicU64,
    leases: tokio::sync::Mutex<HashMap<&'static str, Lease>>,
}

struct Lease {
    client: Client,
    held: bool,
}

impl Cluster {
    /// Starts sending and hearing changes on `runtime`.
    pub fn start(
        runtime: &tokio::runtime::Runtime,
        config: Config,
        tls: MakeRustlsConnect,
        pool: Pool,
    ) -> Arc<Cluster> {
        let cluster = Arc::new(Cluster {
            node: crate::secrets::hex(&rand::random::<[u8; 8]>()),
            config,
            tls,
            outbox: Mutex::new(HashSet::new()),
            wake: Notify::new(),
            heard: broadcast::channel(4096).0,
            heard_count: AtomicU64::new(0),
            leases: tokio::sync::Mutex::new(HashMap::new()),
        });
        runtime.spawn(send_changes(cluster.clone(), pool));
        runtime.spawn(hear_changes(cluster.clone()));
        cluster
    }

    /// This node's name (random, new with every start).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Tells the other nodes of `change` soon (after the write committed).
    pub fn announce(&self, change: Change) {
        let mut outbox = self.outbox.lock().unwrap_or_else(|e| e.into_inner());
        if outbox.insert(change) && outbox.len() == 1 {
            self.wake.notify_one();
        }
    }

    /// What other nodes change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.heard.subscribe()
    }

    /// How many changes of other nodes were heard so far.
    pub fn heard_count(&self) -> u64 {
        self.heard_count.load(Ordering::SeqCst)
    }

    fn hear(&self, change: Change) {
        self.heard_count.fetch_add(1, Ordering::SeqCst);
        // Nobody listening (a CLI command) is fine.
        let _ = self.heard.send(change);
    }

    fn hear_payload(&self, payload: &str) {
        let mut lines = payload.lines();
        if lines.next() == Some(self.node.as_str()) {
            return;
        }
        for line in lines {
            self.hear(Change::from_line(line));
        }
    }

    /// The payloads that carry `changes`: this node's name, then a line each.
    fn payloads(&self, changes: &[Change]) -> Vec<String> {
        let mut payloads = Vec::new();
        let mut payload = self.node.clone();
        for change in changes {
            let line = change.to_line();
            if payload.len() + 1 + line.len() > PAYLOAD_MAX {
                payloads.push(std::mem::replace(&mut payload, self.node.clone()));
            }
            payload.push('\n');
            payload.push_str(&line);
        }
        payloads.push(payload);
        payloads
    }

    /// Whether this node holds the lease of `task` now (taking it when
    /// free). Asked before every round of the task.
    pub async fn lease(&self, task: &'static str) -> Result<bool, tokio_postgres::Error> {
        let mut leases = self.leases.lock().await;
        if let Some(lease) = leases.get(task) {
            // A held lock is only as good as its session.
            let alive = !lease.client.is_closed()
                && (!lease.held || lease.client.simple_query("").await.is_ok());
            if !alive {
                leases.remove(task);
            }
        }
        if !leases.contains_key(task) {
            let (client, connection) = self.config.connect(self.tls.clone()).await?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            leases.insert(
                task,
                Lease {
                    client,
                    held: false,
                },
            );
        }
        let lease = leases.get_mut(task).expect("inserted above");
        if !lease.held {
            let row = lease
                .client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&lease_lock(task)])
                .await?;
            lease.held = row.get(0);
        }
        Ok(lease.held)
    }
}

/// The advisory lock of a task's lease.
fn lease_lock(task: &str) -> i64 {
    let hash = Sha256::digest(task.as_bytes());
    let mut low = [0u8; 8];
    low[2..].copy_from_slice(&hash[..6]);
    LEASE_LOCK_PREFIX | i64::from_be_bytes(low)
}

async fn send_changes(cluster: Arc<Cluster>, pool: Pool) {
    loop {
        cluster.wake.notified().await;
        // Let more changes join this notification.
        tokio::time::sleep(COALESCE).await;
        if let Err(err) = cluster.send_pending(&pool).await {
            tracing::warn!("telling the other nodes of changes failed: {err}");
            // They must not keep old memories: the next try says so.
            cluster.announce(Change::Everything);
            tokio::time::sleep(RETRY).await;
        }
    }
}

impl Cluster {
    /// Sends the changes collected so far (also at once, before a CLI
    /// command ends).
    pub async fn send_pending(&self, pool: &Pool) -> Result<(), String> {
        let changes: Vec<Change> = {
            let mut outbox = self.outbox.lock().unwrap_or_else(|e| e.into_inner());
            outbox.drain().collect()
        };
        if changes.is_empty() {
            return Ok(());
        }
        let client = pool.get().await.map_err(|e| e.to_string())?;
        for payload in self.payloads(&changes) {
            client
                .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

async fn hear_changes(cluster: Arc<Cluster>) {
    let mut connected_before = false;
    loop {
        if let Err(err) = listen(&cluster, &mut connected_before).await {
            tracing::warn!("hearing the other nodes' changes failed: {err}");
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Listens until the connection ends.
async fn listen(
    cluster: &Cluster,
    connected_before: &mut bool,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = cluster.config.connect(cluster.tls.clone()).await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    tracing::warn!("the connection that hears other nodes ended: {err}");
                    return;
                }
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    if *connected_before {
        // What was sent while no one listened is lost.
        cluster.hear(Change::Everything);
    }
    *connected_before = true;
    while let Some(notification) = rx.recv().await {
        cluster.hear_payload(notification.payload());
    }
    driver.abort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_under_the_limit_and_name_their_node() {
        let cluster = Cluster {
            node: "n1".into(),
            config: Config::new(),
            tls: super::super::connect_settings("postgres://x@127.0.0.1/x")
                .unwrap()
                .1,
            outbox: Mutex::new(HashSet::new()),
            wake: Notify::new(),
            heard: broadcast::channel(16).0,
            heard_count: AtomicU64::new(0),
            leases: tokio::sync::Mutex::new(HashMap::new()),
        };
        let changes: Vec<Change> = (0..1000)
            .map(|i| Change::Poll {
                community: "dorp".into(),
                poll: format!("poll-{i}"),
            })
            .collect();
        let payloads = cluster.payloads(&changes);
        assert!(payloads.len() > 1);
        let mut heard = Vec::new();
        for payload in &payloads {
            assert!(payload.len() <= PAYLOAD_MAX);
            let mut lines = payload.lines();
            assert_eq!(lines.next(), Some("n1"));
            heard.extend(lines.map(Change::from_line));
        }
        assert_eq!(heard, changes);
        // A node does not hear itself.
        let mut rx = cluster.subscribe();
        cluster.hear_payload(&payloads[0]);
        assert!(rx.try_recv().is_err());
        cluster.hear_payload("n2\nd\tdorp");
        assert_eq!(
            rx.try_recv().unwrap(),
            Change::Discussions {
                community: "dorp".into()
            }
        );
        assert_eq!(cluster.heard_count(), 1);
    }

    #[test]
    fn leases_of_different_tasks_are_different_locks() {
        assert_ne!(lease_lock("webhooks"), lease_lock("mail"));
        assert_eq!(lease_lock("webhooks"), lease_lock("webhooks"));
        assert_eq!(lease_lock("mail") >> 48, 0x6d6b);
    }
}
