//! The PostgreSQL engine: the same byte-level primitives as `sled_engine`,
//! each one statement or one transaction that has committed when it returns
//! (`synchronous_commit=on` on every connection), so `durable` has nothing
//! left to wait for, and several nodes can share one database: a counted
//! set's count row is locked (and changed) in the transaction that changes a
//! member, so counts and capacities hold across nodes.
//!
//! The store's API is synchronous and is called from inside tokio runtimes
//! (also current-thread ones, where `block_in_place` panics), so the engine
//! owns a small runtime of its own: a primitive spawns its future there and
//! waits for the answer on a std channel, which works from any thread.
//!
//! Schema: `migrations/*.sql`, applied in order at open, in one transaction
//! under an advisory lock (two nodes starting at once), recorded in
//! `schema_version`; a database with a newer version than this binary knows
//! is refused.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::config::SslMode;
use tokio_postgres::IsolationLevel;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::keyring::{self, KeyId};
use super::sled_engine::{count_key, member_key};
use super::{
    CountedAdd, CountedSet, RawItem, RawRecord, SealedChange, SetAdd, SetChanged, StoreError,
};
use super::{StoreResult, Table};

mod cluster;
use super::changes::Change;

/// The schema's versions, in order: (version, SQL). Forward-only: append.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_initial.sql")),
    (2, include_str!("migrations/0002_record_keys_made_by.sql")),
    (3, include_str!("migrations/0003_votes_by_value.sql")),
];

/// The advisory lock that serialises migrations ("mekaar" in ASCII).
const MIGRATION_LOCK: i64 = 0x6d65_6b61_6172;

/// Connections for records and sets.
const POOL_SIZE: usize = 16;

pub struct PgEngine {
    /// `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    /// Record keys get their own connections: an update holds a pool
    /// connection (its row locked) while the caller seals the new value.
    key_pool: Pool,
    /// The other nodes on this database.
    cluster: Arc<cluster::Cluster>,
}

fn pg_err(err: tokio_postgres::Error) -> StoreError {
    if let Some(db) = err.as_db_error() {
        return StoreError::Engine(format!("PostgreSQL: {db}"));
    }
    // With its causes: "error performing TLS handshake: invalid peer
    // certificate: UnknownIssuer" tells an operator what to fix.
    let mut message = format!("PostgreSQL: {err}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    StoreError::Engine(message)
}

fn pool_err(err: deadpool_postgres::PoolError) -> StoreError {
    match err {
        deadpool_postgres::PoolError::Backend(err) => pg_err(err),
        other => StoreError::Engine(format!("PostgreSQL connection: {other}")),
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(err: tokio_postgres::Error) -> Self {
        pg_err(err)
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        pool_err(err)
    }
}

async fn client(pool: &Pool) -> StoreResult<Object> {
    Ok(pool.get().await?)
}

fn count_table(set: CountedSet) -> String {
    format!("{}_count", set.tree_name())
}

/// A limit as SQL wants it.
fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The least key above every key that starts with `prefix`; `None` when
/// there is none (the prefix is empty or all 0xff).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// A row of an update: locked until [`Locked::commit`] or drop (rollback).
pub struct Locked {
    /// The stored value; `None` when the key does not exist.
    pub old: Option<Vec<u8>>,
    reply: Option<tokio::sync::oneshot::Sender<Vec<u8>>>,
    done: std::sync::mpsc::Receiver<StoreResult<()>>,
}

impl Locked {
    /// Writes `new` and commits.
    pub fn commit(mut self, new: Vec<u8>) -> StoreResult<()> {
        let reply = self.reply.take().ok_or_else(ended)?;
        reply.send(new).map_err(|_| ended())?;
        self.done.recv().map_err(|_| ended())?
    }
}

fn ended() -> StoreError {
    StoreError::Engine("the database task ended".into())
}

fn url_err(what: impl std::fmt::Display) -> StoreError {
    StoreError::Engine(format!("the database URL: {what}"))
}

/// `url` without its `sslmode` and `sslrootcert` settings (every other
/// byte kept as written), and their values. A URL carries them in its
/// query (`?a=b&c=d`, percent-encoded); a `key=value` string as words.
fn take_tls_settings(url: &str) -> (String, Option<String>, Option<String>) {
    let (mut sslmode, mut rootcert) = (None, None);
    let mut take = |part: &str, decode: bool| -> bool {
        let Some((key, value)) = part.split_once('=') else {
            return true;
        };
        let value = match decode {
            true => percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned(),
            false => value.trim_matches('\'').to_string(),
        };
        match key {
            "sslmode" => sslmode = Some(value),
            "sslrootcert" => rootcert = Some(value),
            _ => return true,
        }
        false
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<&str> = query.split('&').filter(|part| take(part, true)).collect();
                match kept.is_empty() {
                    true => base.to_string(),
                    false => format!("{base}?{}", kept.join("&")),
                }
            }
            None => url.to_string(),
        }
    } else {
        let kept: Vec<&str> = url
            .split_whitespace()
            .filter(|part| take(part, false))
            .collect();
        kept.join(" ")
    };
    (rest, sslmode, rootcert)
}

/// The connection settings of a libpq-style URL (or `key=value` string),
/// and how TLS is made.
///
/// TLS as libpq's `sslmode` says, stricter: `require`, `verify-ca` and
/// `verify-full` encrypt AND check the server's certificate and name,
/// against `sslrootcert=FILE` (PEM) when given, else the public web PKI's
/// roots (also `sslrootcert=system`); `disable` or none: no TLS. `prefer`
/// and `allow` are refused: they would fall back to cleartext unnoticed.
/// Everything else in the URL goes to tokio-postgres as written.
fn connect_settings(url: &str) -> StoreResult<(tokio_postgres::Config, MakeRustlsConnect)> {
    let (rest, sslmode, rootcert) = take_tls_settings(url);
    let mut config: tokio_postgres::Config = rest.parse().map_err(url_err)?;
    let mode = match sslmode.as_deref() {
        None | Some("disable") => SslMode::Disable,
        Some("require" | "verify-ca" | "verify-full") => SslMode::Require,
        Some(other) => {
            return Err(url_err(format!(
                "sslmode `{other}`: write disable, require, verify-ca or verify-full"
            )))
        }
    };
    config.ssl_mode(mode);
    let rootcert = rootcert.filter(|path| path != "system");
    let mut roots = rustls::RootCertStore::empty();
    match rootcert {
        Some(path) => {
            use rustls::pki_types::pem::PemObject;
            let certs = rustls::pki_types::CertificateDer::pem_file_iter(&path)
                .map_err(|e| url_err(format!("sslrootcert `{path}`: {e}")))?;
            for cert in certs {
                let cert = cert.map_err(|e| url_err(format!("sslrootcert `{path}`: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| url_err(format!("sslrootcert `{path}`: {e}")))?;
            }
            if roots.is_empty() {
                return Err(url_err(format!(
                    "sslrootcert `{path}` holds no certificate"
                )));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Engine(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok((config, MakeRustlsConnect::new(tls)))
}

impl PgEngine {
    pub fn open(url: &str) -> StoreResult<PgEngine> {
        let (mut config, tls) = connect_settings(url)?;
        // A commit is on disk (on the server) before it returns; explicitly,
        // whatever the server's default.
        // And a connection that dies silently (a firewall or NAT dropping an
        // idle one) is noticed within about a minute on both ends: the
        // listening connection and the leases' connections sit idle for long.
        let ours = "-c synchronous_commit=on -c tcp_keepalives_idle=30 \
                    -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3";
        let options = match config.get_options() {
            Some(given) => format!("{given} {ours}"),
            None => ours.to_string(),
        };
        config.options(&options);
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        config.keepalives_interval(Duration::from_secs(10));
        config.keepalives_retries(3);
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("mekaar-server");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mekaar-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Engine(e.to_string()))?;
        let make_pool = |size: usize| {
            let manager = Manager::from_config(
                config.clone(),
                tls.clone(),
                ManagerConfig {
                    recycling_method: RecyclingMethod::Fast,
                },
            );
            Pool::builder(manager)
                .max_size(size)
                .runtime(deadpool_postgres::Runtime::Tokio1)
                .create_timeout(Some(Duration::from_secs(10)))
                .wait_timeout(Some(Duration::from_secs(60)))
                .build()
                .map_err(|e| StoreError::Engine(e.to_string()))
        };
        let pool = make_pool(POOL_SIZE)?;
        let cluster = cluster::Cluster::start(&runtime, config.clone(), tls.clone(), pool.clone());
        let engine = PgEngine {
            pool,
            key_pool: make_pool(4)?,
            runtime: Some(runtime),
            cluster,
        };
        engine.run(|pool| async move { migrate(&pool).await })?;
        Ok(engine)
    }

    /// Runs `make(pool)` on the engine's runtime and waits for its result.
    fn run_on<T, F>(&self, pool: &Pool, make: impl FnOnce(Pool) -> F) -> StoreResult<T>
    where
        F: Future<Output = StoreResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.wait_for(make(pool.clone()))
    }

    /// Runs `future` on the engine's runtime and waits for its result. On a
    /// multi-threaded runtime's worker the wait lets that runtime move its
    /// other tasks elsewhere meanwhile (a request waiting for the database
    /// does not hold up the requests behind it).
    fn wait_for<T, F>(&self, future: F) -> StoreResult<T>
    where
        F: Future<Output = StoreResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.runtime().spawn(async move {
            let _ = tx.send(future.await);
        });
        let wait = move || rx.recv().map_err(|_| ended());
        match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait)?,
            _ => wait()?,
        }
    }

    /// Tells the other nodes of a committed write.
    pub fn announce(&self, change: Change) {
        self.cluster.announce(change);
    }

    /// What other nodes change from now on.
    pub fn other_nodes_changes(&self) -> tokio::sync::broadcast::Receiver<Change> {
        self.cluster.subscribe()
    }

    /// How many changes of other nodes were heard (for the store's generation).
    pub fn heard_count(&self) -> u64 {
        self.cluster.heard_count()
    }

    /// Tells the other nodes of this node's changes now, not within the
    /// coalescing window (a CLI command ends right after).
    pub fn send_changes_now(&self) -> StoreResult<()> {
        let (cluster, pool) = (self.cluster.clone(), self.pool.clone());
        self.wait_for(async move {
            cluster
                .send_pending(&pool)
                .await
                .map_err(|e| StoreError::Engine(format!("PostgreSQL: {e}")))
        })
    }

    /// Whether this node holds the lease of a once-per-cluster task.
    pub fn lease(&self, task: &'static str) -> StoreResult<bool> {
        let cluster = self.cluster.clone();
        self.wait_for(async move { cluster.lease(task).await.map_err(pg_err) })
    }

    fn run<T, F>(&self, make: impl FnOnce(Pool) -> F) -> StoreResult<T>
    where
        F: Future<Output = StoreResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.run_on(&self.pool, make)
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the engine")
    }

    pub fn get(&self, table: Table, key: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        let sql = format!("SELECT value FROM \"{}\" WHERE key = $1", table.tree_name());
        let key = key.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query_opt(&statement, &[&key])
                .await?
                .map(|row| row.get(0)))
        })
    }

    pub fn contains(&self, table: Table, key: &[u8]) -> StoreResult<bool> {
        let sql = format!("SELECT 1 FROM \"{}\" WHERE key = $1", table.tree_name());
        let key = key.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client.query_opt(&statement, &[&key]).await?.is_some())
        })
    }

    pub fn put(&self, table: Table, key: &[u8], value: Vec<u8>) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO \"{}\" (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            table.tree_name()
        );
        let key = key.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            client.execute(&statement, &[&key, &value]).await?;
            Ok(())
        })
    }

    pub fn remove(&self, table: Table, key: &[u8]) -> StoreResult<()> {
        let sql = format!("DELETE FROM \"{}\" WHERE key = $1", table.tree_name());
        let key = key.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            client.execute(&statement, &[&key]).await?;
            Ok(())
        })
    }

    pub fn rekey(
        &self,
        table: Table,
        old_key: &[u8],
        new_key: &[u8],
        value: Vec<u8>,
    ) -> StoreResult<()> {
        let name = table.tree_name();
        let delete = format!("DELETE FROM \"{name}\" WHERE key = $1");
        let insert = format!(
            "INSERT INTO \"{name}\" (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
        );
        let (old_key, new_key) = (old_key.to_vec(), new_key.to_vec());
        self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client.transaction().await?;
            tx.execute(&tx.prepare_cached(&delete).await?, &[&old_key])
                .await?;
            tx.execute(&tx.prepare_cached(&insert).await?, &[&new_key, &value])
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub fn insert_new(&self, table: Table, key: &[u8], value: Vec<u8>) -> StoreResult<bool> {
        let sql = format!(
            "INSERT INTO \"{}\" (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            table.tree_name()
        );
        let key = key.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client.execute(&statement, &[&key, &value]).await? == 1)
        })
    }

    /// Locks the row of `key` (SELECT … FOR UPDATE) and hands its value to
    /// the caller; [`Locked::commit`] writes the new value in the same
    /// transaction. So concurrent updates of one record, from any node, run
    /// one after the other and none is lost.
    pub fn update_begin(&self, table: Table, key: &[u8]) -> StoreResult<Locked> {
        let name = table.tree_name();
        let select = format!("SELECT value FROM \"{name}\" WHERE key = $1 FOR UPDATE");
        let update = format!("UPDATE \"{name}\" SET value = $2 WHERE key = $1");
        let key = key.to_vec();
        let (old_tx, old_rx) = std::sync::mpsc::sync_channel::<StoreResult<Option<Vec<u8>>>>(1);
        let (reply_tx, reply_rx) = tokio::sync::oneshot::channel::<Vec<u8>>();
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel(1);
        let pool = self.pool.clone();
        self.runtime().spawn(async move {
            let mut client = match client(&pool).await {
                Ok(client) => client,
                Err(err) => {
                    let _ = old_tx.send(Err(err));
                    return;
                }
            };
            let locked = async {
                let tx = client.transaction().await?;
                let old: Option<Vec<u8>> = tx
                    .query_opt(&tx.prepare_cached(&select).await?, &[&key])
                    .await?
                    .map(|row| row.get(0));
                Ok::<_, StoreError>((tx, old))
            }
            .await;
            let tx = match locked {
                Ok((tx, old)) => {
                    let exists = old.is_some();
                    if old_tx.send(Ok(old)).is_err() || !exists {
                        return;
                    }
                    tx
                }
                Err(err) => {
                    let _ = old_tx.send(Err(err));
                    return;
                }
            };
            // The caller changes the value meanwhile; it dropped the
            // sender when it gave up (the transaction rolls back).
            let Ok(new) = reply_rx.await else {
                return;
            };
            let written = async {
                tx.execute(&tx.prepare_cached(&update).await?, &[&key, &new])
                    .await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            let _ = done_tx.send(written);
        });
        let old = old_rx.recv().map_err(|_| ended())??;
        Ok(Locked {
            old,
            reply: Some(reply_tx),
            done: done_rx,
        })
    }

    pub fn range(
        &self,
        table: Table,
        start: &[u8],
        end: &[u8],
        n: usize,
    ) -> StoreResult<Vec<RawRecord>> {
        let sql = format!(
            "SELECT key, value FROM \"{}\" WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3",
            table.tree_name()
        );
        let (start, end) = (start.to_vec(), end.to_vec());
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query(&statement, &[&start, &end, &limit(n)])
                .await?
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect())
        })
    }

    fn scan(
        &self,
        table: Table,
        prefix: &[u8],
        newest_first: bool,
        n: usize,
    ) -> StoreResult<Vec<RawRecord>> {
        let order = if newest_first { "DESC" } else { "ASC" };
        let end = prefix_end(prefix);
        let bound = if end.is_some() { "AND key < $2" } else { "" };
        let sql = format!(
            "SELECT key, value FROM \"{}\" WHERE key >= $1 {bound} ORDER BY key {order} LIMIT {}",
            table.tree_name(),
            limit(n)
        );
        let prefix = prefix.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            let rows = match &end {
                Some(end) => client.query(&statement, &[&prefix, end]).await?,
                None => client.query(&statement, &[&prefix]).await?,
            };
            Ok(rows
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect())
        })
    }

    pub fn scan_prefix(&self, table: Table, prefix: &[u8]) -> StoreResult<Vec<RawRecord>> {
        self.scan(table, prefix, false, usize::MAX)
    }

    pub fn scan_prefix_rev(
        &self,
        table: Table,
        prefix: &[u8],
        n: usize,
    ) -> StoreResult<Vec<RawRecord>> {
        self.scan(table, prefix, true, n)
    }

    pub fn set_change(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        change: SealedChange,
    ) -> StoreResult<SetChanged> {
        let sql = SetSql::new(set);
        let (group, member) = (group.to_vec(), member.to_vec());
        if let SealedChange::Add(value) = change {
            // The common write (a support, a vote, an agree): one statement.
            return self.run(|pool| async move {
                let client = client(&pool).await?;
                let row = client
                    .query_one(
                        &client.prepare_cached(&sql.add).await?,
                        &[&group, &member, &value],
                    )
                    .await?;
                let (added, count): (bool, i64) = (row.get(0), row.get(1));
                let count = to_count(count);
                Ok(match added {
                    true => SetChanged::wrote(true, count),
                    false => SetChanged::unchanged(false, count),
                })
            });
        }
        self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client.transaction().await?;
            // The count row first: it serialises every change to this
            // group, on every node. Made (at 0) only by a change that may
            // add; one that only removes or replaces finds no member in a
            // group without a count row.
            let lock = match change {
                SealedChange::Add(_) | SealedChange::Put(_) => &sql.lock_count,
                SealedChange::Replace(_) | SealedChange::Remove => &sql.lock_existing_count,
            };
            let count = tx
                .query_opt(&tx.prepare_cached(lock).await?, &[&group])
                .await?
                .map(|row| to_count(row.get(0)))
                .unwrap_or(0);
            let old: Option<Vec<u8>> = tx
                .query_opt(&tx.prepare_cached(&sql.present).await?, &[&group, &member])
                .await?
                .map(|row| row.get(0));
            let present = old.is_some();
            // The per-value counts (votes): the old value out, the new one in.
            let (mut value_out, mut value_in) = (None, None);
            let (done, new_count) = match (change, present) {
                (SealedChange::Add(value) | SealedChange::Put(value), false) => {
                    tx.execute(
                        &tx.prepare_cached(&sql.insert).await?,
                        &[&group, &member, &value],
                    )
                    .await?;
                    value_in = Some(value);
                    (SetChanged::wrote(true, count + 1), Some(count + 1))
                }
                (SealedChange::Put(value), true) => {
                    tx.execute(
                        &tx.prepare_cached(&sql.replace).await?,
                        &[&group, &member, &value],
                    )
                    .await?;
                    (value_out, value_in) = (old, Some(value));
                    (SetChanged::wrote(false, count), None)
                }
                (SealedChange::Replace(value), true) => {
                    tx.execute(
                        &tx.prepare_cached(&sql.replace).await?,
                        &[&group, &member, &value],
                    )
                    .await?;
                    (value_out, value_in) = (old, Some(value));
                    (SetChanged::wrote(true, count), None)
                }
                (SealedChange::Remove, true) => {
                    tx.execute(&tx.prepare_cached(&sql.delete).await?, &[&group, &member])
                        .await?;
                    value_out = old;
                    let n = count.saturating_sub(1);
                    (SetChanged::wrote(true, n), Some(n))
                }
                (SealedChange::Replace(_), false)
                | (SealedChange::Add(_), true)
                | (SealedChange::Remove, false) => (SetChanged::unchanged(false, count), None),
            };
            if let Some(n) = new_count {
                let n = i64::try_from(n).unwrap_or(i64::MAX);
                tx.execute(&tx.prepare_cached(&sql.set_count).await?, &[&group, &n])
                    .await?;
            }
            if let Some((value_out, value_in)) =
                sql.by_value.as_ref().map(|_| (value_out, value_in))
            {
                sql.count_values(&tx, &group, value_out, value_in).await?;
            }
            tx.commit().await?;
            Ok(done)
        })
    }

    /// [`Store::set_add_counted`] in one transaction: the counter row
    /// first (its upsert counts one more unless at the cap), then the
    /// member; rolled back unless both happened.
    pub fn set_add_counted(
        &self,
        set: CountedSet,
        (group, member, value): (&[u8], &[u8], &[u8]),
        (table, key, cap): (Table, &[u8], u32),
    ) -> StoreResult<CountedAdd> {
        if cap == 0 {
            return Ok(CountedAdd::Full(0));
        }
        let add = SetSql::new(set).add;
        let name = table.tree_name();
        // The counter is a JSON number, as `Store::put` writes it.
        let count_one = format!(
            "INSERT INTO \"{name}\" (key, value) VALUES ($1, convert_to('1', 'UTF8')) \
             ON CONFLICT (key) DO UPDATE \
             SET value = convert_to((convert_from(\"{name}\".value, 'UTF8')::bigint + 1)::text, 'UTF8') \
             WHERE convert_from(\"{name}\".value, 'UTF8')::bigint < $2 RETURNING 1"
        );
        let read = format!("SELECT value FROM \"{name}\" WHERE key = $1");
        let (group, member, value, key) = (
            group.to_vec(),
            member.to_vec(),
            value.to_vec(),
            key.to_vec(),
        );
        let cap = i64::from(cap);
        self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client.transaction().await?;
            let counted = tx
                .query_opt(&tx.prepare_cached(&count_one).await?, &[&key, &cap])
                .await?
                .is_some();
            if !counted {
                let used: Option<Vec<u8>> = tx
                    .query_opt(&tx.prepare_cached(&read).await?, &[&key])
                    .await?
                    .map(|row| row.get(0));
                let used = used
                    .and_then(|v| serde_json::from_slice::<u32>(&v).ok())
                    .unwrap_or(0);
                tx.rollback().await?;
                return Ok(CountedAdd::Full(used));
            }
            let row = tx
                .query_one(&tx.prepare_cached(&add).await?, &[&group, &member, &value])
                .await?;
            if !row.get::<_, bool>(0) {
                tx.rollback().await?;
                return Ok(CountedAdd::Already);
            }
            tx.commit().await?;
            Ok(CountedAdd::Added)
        })
    }

    pub fn set_add_within(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: &dyn Fn() -> StoreResult<Vec<u8>>,
        max: u64,
    ) -> StoreResult<SetAdd> {
        let sql = SetSql::new(set);
        // Sealed here, on the caller's thread (a key made for an add that
        // then finds the group full is never used: the next rewrite drops it).
        let value = value()?;
        let (group, member) = (group.to_vec(), member.to_vec());
        self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client.transaction().await?;
            let count: i64 = tx
                .query_one(&tx.prepare_cached(&sql.lock_count).await?, &[&group])
                .await?
                .get(0);
            let count = to_count(count);
            let present = tx
                .query_opt(&tx.prepare_cached(&sql.present).await?, &[&group, &member])
                .await?
                .is_some();
            if present {
                tx.commit().await?;
                return Ok(SetAdd::Already(count));
            }
            if count >= max {
                tx.commit().await?;
                return Ok(SetAdd::Full(count));
            }
            tx.execute(
                &tx.prepare_cached(&sql.insert).await?,
                &[&group, &member, &value],
            )
            .await?;
            let n = i64::try_from(count + 1).unwrap_or(i64::MAX);
            tx.execute(&tx.prepare_cached(&sql.set_count).await?, &[&group, &n])
                .await?;
            sql.count_values(&tx, &group, None, Some(value)).await?;
            tx.commit().await?;
            Ok(SetAdd::Added(count + 1))
        })
    }

    /// Sets every count from its members (the end of an import).
    pub fn recount_sets(&self) -> StoreResult<u64> {
        self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client.transaction().await?;
            for set in CountedSet::ALL {
                let (name, counts) = (set.tree_name(), count_table(set));
                tx.batch_execute(&format!(
                    "DELETE FROM \"{counts}\"; \
                     INSERT INTO \"{counts}\" (grp, n) \
                     SELECT grp, count(*) FROM \"{name}\" GROUP BY grp"
                ))
                .await?;
                if set.counts_by_value() {
                    let by_value = by_value_table(set);
                    tx.batch_execute(&format!(
                        "DELETE FROM \"{by_value}\"; \
                         INSERT INTO \"{by_value}\" (grp, value, n) \
                         SELECT grp, value, count(*) FROM \"{name}\" GROUP BY grp, value"
                    ))
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(0)
        })
    }

    /// How many members of `group` have each value (a set that
    /// [`CountedSet::counts_by_value`]), in value order.
    pub fn set_value_counts(
        &self,
        set: CountedSet,
        group: &[u8],
    ) -> StoreResult<Vec<(Vec<u8>, u64)>> {
        let sql = format!(
            "SELECT value, n FROM \"{}\" WHERE grp = $1 AND n > 0 ORDER BY value",
            by_value_table(set)
        );
        let group = group.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query(&statement, &[&group])
                .await?
                .into_iter()
                .map(|row| (row.get(0), to_count(row.get(1))))
                .collect())
        })
    }

    pub fn set_contains(&self, set: CountedSet, group: &[u8], member: &[u8]) -> StoreResult<bool> {
        let sql = SetSql::new(set).present;
        let (group, member) = (group.to_vec(), member.to_vec());
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query_opt(&statement, &[&group, &member])
                .await?
                .is_some())
        })
    }

    pub fn set_count(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        let sql = format!("SELECT n FROM \"{}\" WHERE grp = $1", count_table(set));
        let group = group.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query_opt(&statement, &[&group])
                .await?
                .map(|row| to_count(row.get(0)))
                .unwrap_or(0))
        })
    }

    pub fn set_members(&self, set: CountedSet, group: &[u8]) -> StoreResult<Vec<RawRecord>> {
        let sql = format!(
            "SELECT member, value FROM \"{}\" WHERE grp = $1 ORDER BY member",
            set.tree_name()
        );
        let group = group.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(client
                .query(&statement, &[&group])
                .await?
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect())
        })
    }

    #[cfg(test)]
    pub fn set_members_len(&self, set: CountedSet, group: &[u8]) -> StoreResult<u64> {
        let sql = format!(
            "SELECT count(*) FROM \"{}\" WHERE grp = $1",
            set.tree_name()
        );
        let group = group.to_vec();
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            Ok(to_count(
                client.query_one(&statement, &[&group]).await?.get(0),
            ))
        })
    }

    /// Every record and member, read in one REPEATABLE READ transaction (a
    /// moment's state, also with other nodes writing), in sled's order.
    pub fn scan_all(
        &self,
        visit: &mut dyn FnMut(RawItem<'_>) -> StoreResult<()>,
    ) -> StoreResult<()> {
        type Members = Vec<(Vec<u8>, Vec<u8>, Vec<u8>)>;
        let (tables, sets): (Vec<Vec<RawRecord>>, Vec<Members>) = self.run(|pool| async move {
            let mut client = client(&pool).await?;
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await?;
            let mut tables = Vec::new();
            for table in Table::ALL {
                let sql = format!(
                    "SELECT key, value FROM \"{}\" ORDER BY key",
                    table.tree_name()
                );
                let rows = tx.query(&sql, &[]).await?;
                tables.push(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect());
            }
            let mut sets = Vec::new();
            for set in CountedSet::ALL {
                // sled's member keys start with the group's length.
                let sql = format!(
                    "SELECT grp, member, value FROM \"{}\" ORDER BY length(grp), grp, member",
                    set.tree_name()
                );
                let rows = tx.query(&sql, &[]).await?;
                sets.push(
                    rows.into_iter()
                        .map(|r| (r.get(0), r.get(1), r.get(2)))
                        .collect(),
                );
            }
            tx.commit().await?;
            Ok((tables, sets))
        })?;
        for (table, records) in Table::ALL.into_iter().zip(tables) {
            for (key, value) in &records {
                visit(RawItem::Table { table, key, value })?;
            }
        }
        for (set, members) in CountedSet::ALL.into_iter().zip(sets) {
            for (group, member, value) in &members {
                visit(RawItem::Member {
                    set,
                    group,
                    member,
                    value,
                })?;
            }
        }
        Ok(())
    }

    /// The key ids that sealed records and members use now.
    pub fn live_key_ids(&self) -> StoreResult<HashSet<KeyId>> {
        let mut selects: Vec<String> = Table::ALL
            .into_iter()
            .filter(|t| t.is_sealed())
            .map(|t| t.tree_name())
            .chain(
                CountedSet::ALL
                    .into_iter()
                    .filter(|s| s.is_sealed())
                    .map(|s| s.tree_name()),
            )
            .map(|name| {
                format!(
                    "SELECT substring(value FROM 1 FOR {}) FROM \"{name}\" \
                     WHERE substring(value FROM 1 FOR {}) = $1",
                    keyring::SEALED_PREFIX_LEN,
                    keyring::MAGIC.len()
                )
            })
            .collect();
        let sql = std::mem::take(&mut selects).join(" UNION ALL ");
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let magic: &[u8] = keyring::MAGIC;
            Ok(client
                .query(&sql, &[&magic])
                .await?
                .into_iter()
                .filter_map(|row| keyring::key_id(&row.get::<_, Vec<u8>>(0)))
                .collect())
        })
    }

    pub fn is_empty(&self) -> StoreResult<bool> {
        let sql = format!(
            "SELECT NOT ({})",
            Table::ALL
                .into_iter()
                .map(|t| t.tree_name())
                .chain(CountedSet::ALL.into_iter().map(|s| s.tree_name()))
                .map(|name| format!("EXISTS (SELECT 1 FROM \"{name}\")"))
                .collect::<Vec<_>>()
                .join(" OR ")
        );
        self.run(|pool| async move {
            let client = client(&pool).await?;
            Ok(client.query_one(&sql, &[]).await?.get(0))
        })
    }

    pub fn put_member_raw(
        &self,
        set: CountedSet,
        group: &[u8],
        member: &[u8],
        value: Vec<u8>,
    ) -> StoreResult<()> {
        let sql = format!(
            "INSERT INTO \"{}\" (grp, member, value) VALUES ($1, $2, $3) \
             ON CONFLICT (grp, member) DO UPDATE SET value = EXCLUDED.value",
            set.tree_name()
        );
        let (group, member) = (group.to_vec(), member.to_vec());
        self.run(|pool| async move {
            let client = client(&pool).await?;
            let statement = client.prepare_cached(&sql).await?;
            client
                .execute(&statement, &[&group, &member, &value])
                .await?;
            Ok(())
        })
    }

    /// A table's records, or a set's members and counts in sled's layout
    /// (see `sled_engine::member_key`, `count_key`), in key order.
    pub fn raw_tree(&self, which: Result<Table, CountedSet>) -> StoreResult<Vec<RawRecord>> {
        match which {
            Ok(table) => {
                let sql = format!(
                    "SELECT key, value FROM \"{}\" ORDER BY key",
                    table.tree_name()
                );
                self.run(|pool| async move {
                    let client = client(&pool).await?;
                    Ok(client
                        .query(&sql, &[])
                        .await?
                        .into_iter()
                        .map(|row| (row.get(0), row.get(1)))
                        .collect())
                })
            }
            Err(set) => {
                let members = format!("SELECT grp, member, value FROM \"{}\"", set.tree_name());
                let counts = format!("SELECT grp, n FROM \"{}\"", count_table(set));
                let mut records: Vec<RawRecord> = self.run(|pool| async move {
                    let client = client(&pool).await?;
                    let mut records: Vec<RawRecord> = Vec::new();
                    for row in client.query(&members, &[]).await? {
                        let (group, member): (Vec<u8>, Vec<u8>) = (row.get(0), row.get(1));
                        records.push((member_key(&group, &member), row.get(2)));
                    }
                    for row in client.query(&counts, &[]).await? {
                        let group: Vec<u8> = row.get(0);
                        let n = to_count(row.get(1));
                        records.push((count_key(&group), n.to_be_bytes().to_vec()));
                    }
                    Ok(records)
                })?;
                records.sort();
                Ok(records)
            }
        }
    }

    pub fn record_keys(&self) -> StoreResult<Vec<RawRecord>> {
        self.run_on(&self.key_pool, |pool| async move {
            let client = client(&pool).await?;
            Ok(client
                .query("SELECT id, key FROM record_keys", &[])
                .await?
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect())
        })
    }

    pub fn record_key(&self, id: &[u8]) -> StoreResult<Option<Vec<u8>>> {
        let id = id.to_vec();
        self.run_on(&self.key_pool, |pool| async move {
            let client = client(&pool).await?;
            let statement = client
                .prepare_cached("SELECT key FROM record_keys WHERE id = $1")
                .await?;
            Ok(client
                .query_opt(&statement, &[&id])
                .await?
                .map(|row| row.get(0)))
        })
    }

    pub fn insert_record_key(&self, id: &[u8], key: &[u8]) -> StoreResult<()> {
        let (id, key) = (id.to_vec(), key.to_vec());
        let node = self.cluster.node().to_string();
        self.run_on(&self.key_pool, |pool| async move {
            let client = client(&pool).await?;
            let statement = client
                .prepare_cached("INSERT INTO record_keys (id, key, made_by) VALUES ($1, $2, $3)")
                .await?;
            client.execute(&statement, &[&id, &key, &node]).await?;
            Ok(())
        })
    }

    /// Deletes every record key not in `live`, then rewrites the table
    /// (`VACUUM FULL`: a new file, the old one removed) so the deleted keys
    /// are gone from the live database, not just marked dead. Returns how
    /// many went. Keys another node made in the last 15 minutes stay (until
    /// a later rewrite, at the latest the hourly one): their records may not
    /// have been committed when `live` was read (a write waits at most a
    /// minute for a connection). This node's own writes wait for the rewrite.
    pub fn keep_only_record_keys(&self, live: &[&[u8]]) -> StoreResult<usize> {
        let live: Vec<Vec<u8>> = live.iter().map(|id| id.to_vec()).collect();
        let node = self.cluster.node().to_string();
        self.run_on(&self.key_pool, |pool| async move {
            let client = client(&pool).await?;
            let dropped = client
                .execute(
                    "DELETE FROM record_keys WHERE NOT (id = ANY($1)) \
                     AND (made_by = $2 OR made_at < now() - interval '15 minutes')",
                    &[&live, &node],
                )
                .await?;
            client.batch_execute("VACUUM FULL record_keys").await?;
            Ok(usize::try_from(dropped).unwrap_or(usize::MAX))
        })
    }
}

impl Drop for PgEngine {
    fn drop(&mut self) {
        // A runtime must not be dropped (blocking) inside another one.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The statements of one counted set.
struct SetSql {
    /// Locks the group's count row (made at 0 if missing); returns the count.
    lock_count: String,
    /// Locks the group's count row if there is one; returns the count.
    lock_existing_count: String,
    present: String,
    insert: String,
    replace: String,
    delete: String,
    set_count: String,
    /// Sets counted per value: (one more of a value, one fewer).
    by_value: Option<(String, String)>,
    /// Adds a member unless it is there, counts it (per value too) and
    /// returns (added, count), in one statement: the member's primary key
    /// decides, and the count row's upsert serialises the counts. (It takes
    /// the member's key before the count row, the other changes the other
    /// way round; they never insert a member an add inserts at the same
    /// moment: joins are put, attendees added within a capacity, so the two
    /// orders cannot deadlock.)
    add: String,
}

/// The per-value counts of a set that [`CountedSet::counts_by_value`].
fn by_value_table(set: CountedSet) -> String {
    format!("{}_by_value", set.tree_name())
}

impl SetSql {
    fn new(set: CountedSet) -> SetSql {
        let (name, counts) = (set.tree_name(), count_table(set));
        SetSql {
            lock_count: format!(
                "INSERT INTO \"{counts}\" (grp, n) VALUES ($1, 0) \
                 ON CONFLICT (grp) DO UPDATE SET n = \"{counts}\".n RETURNING n"
            ),
            lock_existing_count: format!("SELECT n FROM \"{counts}\" WHERE grp = $1 FOR UPDATE"),
            present: format!("SELECT value FROM \"{name}\" WHERE grp = $1 AND member = $2"),
            insert: format!("INSERT INTO \"{name}\" (grp, member, value) VALUES ($1, $2, $3)"),
            replace: format!("UPDATE \"{name}\" SET value = $3 WHERE grp = $1 AND member = $2"),
            delete: format!("DELETE FROM \"{name}\" WHERE grp = $1 AND member = $2"),
            set_count: format!("UPDATE \"{counts}\" SET n = $2 WHERE grp = $1"),
            add: {
                let by_value = match set.counts_by_value() {
                    true => format!(
                        ", by_value AS (INSERT INTO \"{table}\" (grp, value, n) \
                         SELECT $1, $3, 1 FROM added \
                         ON CONFLICT (grp, value) DO UPDATE SET n = \"{table}\".n + 1)",
                        table = by_value_table(set)
                    ),
                    false => String::new(),
                };
                format!(
                    "WITH added AS (INSERT INTO \"{name}\" (grp, member, value) \
                     VALUES ($1, $2, $3) ON CONFLICT (grp, member) DO NOTHING RETURNING 1), \
                     counted AS (INSERT INTO \"{counts}\" (grp, n) \
                     SELECT $1, (SELECT count(*) FROM added) \
                     ON CONFLICT (grp) DO UPDATE SET n = \"{counts}\".n + EXCLUDED.n \
                     RETURNING n){by_value} \
                     SELECT EXISTS (SELECT 1 FROM added), (SELECT n FROM counted)"
                )
            },
            by_value: set.counts_by_value().then(|| {
                let table = by_value_table(set);
                (
                    format!(
                        "INSERT INTO \"{table}\" (grp, value, n) VALUES ($1, $2, 1) \
                         ON CONFLICT (grp, value) DO UPDATE SET n = \"{table}\".n + 1"
                    ),
                    format!("UPDATE \"{table}\" SET n = n - 1 WHERE grp = $1 AND value = $2"),
                )
            }),
        }
    }

    /// Moves one member's count from `out` to `into` (either may be
    /// absent), in the member's transaction; nothing for other sets.
    async fn count_values(
        &self,
        tx: &deadpool_postgres::Transaction<'_>,
        group: &Vec<u8>,
        out: Option<Vec<u8>>,
        into: Option<Vec<u8>>,
    ) -> StoreResult<()> {
        let Some((add, remove)) = &self.by_value else {
            return Ok(());
        };
        if out == into {
            return Ok(());
        }
        if let Some(value) = out {
            tx.execute(&tx.prepare_cached(remove).await?, &[group, &value])
                .await?;
        }
        if let Some(value) = into {
            tx.execute(&tx.prepare_cached(add).await?, &[group, &value])
                .await?;
        }
        Ok(())
    }
}

/// Applies the migrations this database has not had yet, in one transaction
/// under an advisory lock; refuses a database newer than this binary.
async fn migrate(pool: &Pool) -> StoreResult<()> {
    let mut client = client(pool).await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (\
         version integer PRIMARY KEY, \
         applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    let current: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?
        .get(0);
    let known = MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0);
    if current > known {
        return Err(StoreError::Schema(format!(
            "the database's schema is version {current}, newer than this mekaar-server knows \
             ({known}): run the newer mekaar-server that migrated it"
        )));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[version],
        )
        .await?;
        tracing::info!("database schema migrated to version {version}");
    }
    tx.commit().await?;
    Ok(())
}

/// For tests: a new, empty database on the server `MEKAAR_TEST_DATABASE`
/// names (`None` without it: the PostgreSQL tests then pass without running).
#[cfg(test)]
pub(crate) fn fresh_test_database() -> Option<String> {
    let base = std::env::var("MEKAAR_TEST_DATABASE")
        .ok()
        .filter(|v| !v.is_empty())?;
    let name = format!("mekaar_unit_{:032x}", rand::random::<u128>());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
            .await
            .unwrap();
        let connection = tokio::spawn(connection);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        drop(client);
        let _ = connection.await;
    });
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(&name);
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{key, Engine, Store};
    use std::sync::Arc;

    fn pg_store() -> Option<(String, Arc<Store>)> {
        let url = fresh_test_database()?;
        let store = Store::open_postgres(&url).unwrap();
        Some((url, Arc::new(store)))
    }

    #[test]
    fn pg_counts_equal_members_under_concurrent_adds_and_removes() {
        let Some((_, store)) = pg_store() else { return };
        let group = key(&["c", "i"]);
        let threads: Vec<_> = (0..8u8)
            .map(|t| {
                let (store, group) = (store.clone(), group.clone());
                std::thread::spawn(move || {
                    for i in 0..40u8 {
                        // Every member added twice: the second must not count.
                        for _ in 0..2 {
                            store
                                .set_add(CountedSet::Supports, &group, &[t, i], b"")
                                .unwrap();
                        }
                        if i % 4 == 0 {
                            store
                                .set_remove(CountedSet::Supports, &group, &[t, i])
                                .unwrap();
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(store.set_count(CountedSet::Supports, &group).unwrap(), 240);
        assert_eq!(
            store.set_members_len(CountedSet::Supports, &group).unwrap(),
            240
        );
    }

    /// The per-value counts of votes (a poll's totals) equal a count of the
    /// members themselves, under concurrent votes, replacements and
    /// removals, and again after a recount (an import's end).
    #[test]
    fn pg_counts_votes_per_choice_as_the_votes_say() {
        let Some((_, store)) = pg_store() else { return };
        let group = key(&["c", "poll", "1"]);
        let by_scan = |store: &Store| {
            let mut counts = std::collections::BTreeMap::<Vec<u8>, u64>::new();
            for value in store.set_values(CountedSet::Votes, &group).unwrap() {
                *counts.entry(value).or_default() += 1;
            }
            counts.into_iter().collect::<Vec<_>>()
        };
        let threads: Vec<_> = (0..6u8)
            .map(|t| {
                let (store, group) = (store.clone(), group.clone());
                std::thread::spawn(move || {
                    for i in 0..30u8 {
                        let choices = [i % 3, 3 + t % 2];
                        store
                            .set_add(CountedSet::Votes, &group, &[t, i], &choices)
                            .unwrap();
                        // A second vote of the same voter counts nothing.
                        store
                            .set_add(CountedSet::Votes, &group, &[t, i], &[9])
                            .unwrap();
                        match i % 5 {
                            0 => {
                                store
                                    .set_remove(CountedSet::Votes, &group, &[t, i])
                                    .unwrap();
                            }
                            1 => {
                                store
                                    .set_replace(CountedSet::Votes, &group, &[t, i], &[7])
                                    .unwrap();
                            }
                            _ => {}
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let counted = store.set_value_counts(CountedSet::Votes, &group).unwrap();
        assert_eq!(counted, by_scan(&store));
        assert_eq!(counted.iter().map(|(_, n)| n).sum::<u64>(), 6 * 24);
        assert!(counted.contains(&(vec![7], 36)), "{counted:?}");
        store.finish_import().unwrap();
        assert_eq!(
            store.set_value_counts(CountedSet::Votes, &group).unwrap(),
            counted
        );
    }

    #[test]
    fn pg_set_add_within_never_exceeds_its_max() {
        let Some((_, store)) = pg_store() else { return };
        let group = b"meeting".to_vec();
        let threads: Vec<_> = (0..8u8)
            .map(|t| {
                let (store, group) = (store.clone(), group.clone());
                std::thread::spawn(move || {
                    (0..20u8)
                        .filter(|i| {
                            matches!(
                                store
                                    .set_add_within(
                                        CountedSet::Attendees,
                                        &group,
                                        &[t, *i],
                                        b"",
                                        50
                                    )
                                    .unwrap(),
                                SetAdd::Added(_)
                            )
                        })
                        .count()
                })
            })
            .collect();
        let added: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(added, 50);
        assert_eq!(store.set_count(CountedSet::Attendees, &group).unwrap(), 50);
        assert_eq!(
            store
                .set_members_len(CountedSet::Attendees, &group)
                .unwrap(),
            50
        );
    }

    #[test]
    fn pg_updates_lose_nothing_under_concurrency() {
        let Some((_, store)) = pg_store() else { return };
        store.put(Table::Polls, b"n", &0u64).unwrap();
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        store
                            .update(Table::Polls, b"n", |n: u64| Ok::<_, ()>(n + 1))
                            .unwrap()
                            .unwrap()
                            .unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(store.get::<u64>(Table::Polls, b"n").unwrap(), Some(200));
        // A refused change writes nothing; a missing key is None.
        let refused = store
            .update(Table::Polls, b"n", |_: u64| Err("no"))
            .unwrap();
        assert_eq!(refused, Some(Err("no")));
        assert_eq!(store.get::<u64>(Table::Polls, b"n").unwrap(), Some(200));
        assert!(store
            .update(Table::Polls, b"missing", |n: u64| Ok::<_, ()>(n))
            .unwrap()
            .is_none());
    }

    #[test]
    fn pg_keys_order_scans_and_sealed_records_as_sled_does() {
        let Some((url, store)) = pg_store() else {
            return;
        };
        for k in [&b"a\0\xff"[..], b"a\0\x01", b"a\x01", b"a\0", b"b"] {
            store.put(Table::Audit, k, &k.len()).unwrap();
        }
        let keys: Vec<Vec<u8>> = store
            .scan_prefix_keyed::<usize>(Table::Audit, b"a\0")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, [&b"a\0"[..], b"a\0\x01", b"a\0\xff"]);
        assert_eq!(
            store
                .scan_prefix_rev::<usize>(Table::Audit, b"a", 2)
                .unwrap(),
            [2, 3]
        );
        assert_eq!(
            store
                .range::<usize>(Table::Audit, b"a\0\x01", b"b", 10)
                .unwrap()
                .len(),
            3
        );
        // Sealed (Audit is sealed): stored as ciphertext; an erased record's
        // old version has no key left after the rewrite.
        store.put(Table::Audit, b"x", &"Anja de Vries").unwrap();
        let Engine::Postgres(engine) = &store.engine else {
            unreachable!()
        };
        let old = engine.get(Table::Audit, b"x").unwrap().unwrap();
        assert!(!old.windows(4).any(|w| w == b"Anja"));
        store.put(Table::Audit, b"x", &"(erased)").unwrap();
        assert!(store.forget_old_record_keys().unwrap() >= 1);
        assert!(store.keyring.open_value(&old).is_err());
        drop(store);
        // Reopened: the live record still opens.
        let store = Store::open_postgres(&url).unwrap();
        assert_eq!(
            store.get::<String>(Table::Audit, b"x").unwrap().as_deref(),
            Some("(erased)")
        );
    }

    #[test]
    fn pg_refuses_a_database_newer_than_it_knows() {
        let Some((url, store)) = pg_store() else {
            return;
        };
        let Engine::Postgres(engine) = &store.engine else {
            unreachable!()
        };
        engine
            .run(|pool| async move {
                client(&pool)
                    .await?
                    .batch_execute("INSERT INTO schema_version (version) VALUES (9999)")
                    .await?;
                Ok(())
            })
            .unwrap();
        drop(store);
        let err = Store::open_postgres(&url).err().expect("refused");
        assert!(matches!(err, StoreError::Schema(_)), "{err}");
        assert!(err.to_string().contains("9999"), "{err}");
    }

    #[test]
    fn urls_say_how_to_use_tls() {
        let settings = |url: &str| connect_settings(url).map(|(config, _)| config);
        let plain =
            settings("postgres://mekaar@db.example:5433/mekaar?application_name=a").unwrap();
        assert_eq!(plain.get_ssl_mode(), SslMode::Disable);
        assert_eq!(plain.get_application_name(), Some("a"));
        assert_eq!(plain.get_dbname(), Some("mekaar"));
        let config = settings("postgres://m@db/m?sslmode=disable").unwrap();
        assert_eq!(config.get_ssl_mode(), SslMode::Disable);
        for mode in ["require", "verify-ca", "verify-full"] {
            let config = settings(&format!("postgres://m@db/m?sslmode={mode}")).unwrap();
            assert_eq!(config.get_ssl_mode(), SslMode::Require, "{mode}");
        }
        let refused = |url: &str| match settings(url) {
            Err(err) => err.to_string(),
            Ok(_) => panic!("{url} was taken"),
        };
        for mode in ["allow", "prefer", "verify"] {
            let url = format!("postgres://m@db/m?sslmode={mode}");
            assert!(
                refused(&url).contains(&format!("sslmode `{mode}`")),
                "{url}"
            );
        }
        // Everything else as written: options with spaces, several hosts,
        // key=value strings.
        let options = settings(
            "postgres://m@db/m?options=-c%20search_path%3Dmk&sslmode=require&application_name=a%20b",
        )
        .unwrap();
        assert_eq!(options.get_ssl_mode(), SslMode::Require);
        assert_eq!(options.get_options(), Some("-c search_path=mk"));
        assert_eq!(options.get_application_name(), Some("a b"));
        let hosts = settings("postgresql://m@h1:5432,h2:5433/m?sslmode=verify-full").unwrap();
        assert_eq!(hosts.get_ports(), [5432, 5433]);
        let words = settings("host=db user=m dbname=m sslmode=require sslrootcert=system").unwrap();
        assert_eq!(words.get_ssl_mode(), SslMode::Require);
        assert_eq!(words.get_user(), Some("m"));
        let missing = refused("postgres://m@db/m?sslmode=require&sslrootcert=/nonexistent/ca.pem");
        assert!(
            missing.contains("sslrootcert `/nonexistent/ca.pem`"),
            "{missing}"
        );
    }

    /// `scripts/pg-start` lets the role `mekaar_tls` in over TLS only, with a
    /// certificate of its own CA (`MEKAAR_TEST_DATABASE_CA`).
    #[test]
    fn pg_speaks_tls_with_a_server_whose_certificate_it_trusts_and_no_other() {
        let (Some(url), Ok(ca)) = (
            fresh_test_database(),
            std::env::var("MEKAAR_TEST_DATABASE_CA"),
        ) else {
            eprintln!("skipped: needs MEKAAR_TEST_DATABASE and MEKAAR_TEST_DATABASE_CA");
            return;
        };
        let mut tls_only = url::Url::parse(&url).unwrap();
        tls_only.set_username("mekaar_tls").unwrap();
        tls_only.set_host(Some("localhost")).unwrap();
        let with = |query: &str| format!("{tls_only}?{query}");

        let store = Store::open_postgres(&with(&format!("sslmode=verify-full&sslrootcert={ca}")))
            .expect("TLS with the test CA");
        assert!(store.is_postgres());
        assert_eq!(
            store.server_secret_or_insert("tls-check", [7; 32]).unwrap(),
            [7; 32]
        );
        drop(store);

        // Without TLS the server refuses this role; with TLS but only the
        // public roots, the client refuses the server's certificate.
        for (query, why) in [
            ("sslmode=disable", "no TLS"),
            ("sslmode=require", "an unknown CA"),
        ] {
            let refused = Store::open_postgres(&with(query));
            assert!(refused.is_err(), "{why}: opened");
        }
        let error = Store::open_postgres(&with("sslmode=require"))
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("certificate") || error.contains("Certificate"),
            "{error}"
        );
    }

    #[test]
    fn prefix_ends_are_the_least_key_above_the_prefix() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_end(b"\xff\xff"), None);
        assert_eq!(prefix_end(b""), None);
    }

    #[test]
    fn the_first_migration_makes_every_table_and_set() {
        let sql: String = MIGRATIONS.iter().map(|(_, sql)| *sql).collect();
        for table in Table::ALL {
            assert!(
                sql.contains(&format!("CREATE TABLE \"{}\" (", table.tree_name())),
                "{} needs a migration",
                table.tree_name()
            );
        }
        for set in CountedSet::ALL {
            for name in [set.tree_name().to_string(), count_table(set)] {
                assert!(
                    sql.contains(&format!("CREATE TABLE \"{name}\" (")),
                    "{name} needs a migration"
                );
            }
        }
    }
}
