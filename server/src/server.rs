//! Starting and stopping the HTTP server (the binary and the tests use this).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::connections::{self, Admitted, ClientIo, ConnectionStats, Peer};
use crate::http::{self, App, Settings};
use crate::store::Store;

/// How long a stop waits for requests in flight before cutting them off.
const GRACEFUL_STOP: Duration = Duration::from_secs(10);

/// How often quiet networks are forgotten by the rate limiter.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// How often the network counters of closed polls are looked at (they are
/// deleted an hour after the close, so within 24 hours with a wide margin).
const FORGET_POLL_NETWORKS_EVERY: Duration = Duration::from_secs(3600);

/// How often expired console sessions are deleted and the communities'
/// retention settings applied (an expired session is refused at once
/// anyway; retention is counted in days).
const HOURLY_CLEANUP_EVERY: Duration = Duration::from_secs(3600);

/// Record keys made since the keyring's last rewrite that make the hourly
/// cleanup rewrite it (48 bytes each).
const KEYRING_REWRITE_AFTER: u64 = 10_000;

pub struct Running {
    pub addr: SocketAddr,
    app: Arc<App>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
    /// Stops the background tasks (webhook deliveries, limiter cleanup).
    background_stop: tokio::sync::watch::Sender<bool>,
    background: Vec<JoinHandle<()>>,
}

/// Binds `listen` (port 0 picks a free port) and serves the API on it.
pub async fn start(store: Store, listen: SocketAddr) -> std::io::Result<Running> {
    start_with(store, listen, Settings::default()).await
}

/// As [`start`], with settings (rate limits, webhook retries).
pub async fn start_with(
    store: Store,
    listen: SocketAddr,
    settings: Settings,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    // Initiatives stored before short links get their `/i/{code}` now.
    crate::initiatives::assign_missing_short_codes(&store)
        .map_err(|e| std::io::Error::other(e.message))?;
    // Kept: startup writes, outside any request.
    store
        .durable()
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let app = Arc::new(App::new(store, &settings));
    let (background_stop, stop_rx) = tokio::sync::watch::channel(false);
    let mut background = vec![
        tokio::spawn(crate::webhooks::run_worker(
            app.clone(),
            settings.webhooks.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(crate::mail::run_worker(app.clone(), stop_rx.clone())),
        tokio::spawn(forget_quiet_networks(app.clone(), stop_rx.clone())),
        tokio::spawn(forget_networks_of_closed_polls(
            app.clone(),
            stop_rx.clone(),
        )),
        tokio::spawn(hourly_cleanup(app.clone(), stop_rx.clone())),
    ];
    if let Some(changes) = app.store.other_nodes_changes() {
        background.push(tokio::spawn(crate::cluster::follow_other_nodes(
            app.clone(),
            changes,
            stop_rx,
        )));
    }
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_connections(listener, app.clone(), async move {
        let _ = stopped.await;
    }));
    Ok(Running {
        addr,
        app,
        shutdown,
        task,
        background_stop,
        background,
    })
}

/// Accepts and serves connections (HTTP/1.1, see `connections`) until `stop`,
/// then lets the connections in flight finish their answers.
async fn serve_connections(
    listener: TcpListener,
    app: Arc<App>,
    stop: impl std::future::Future<Output = ()>,
) {
    let service = warp::service(http::routes(app.clone()));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let admit = |ip| {
        // A trusted proxy's connections carry many clients: only the total counts them.
        let network = (!app.abuse.is_trusted_proxy(ip)).then(|| app.abuse.network_key(ip));
        app.connections.admit(network)
    };
    let serve = |stream: TcpStream, peer, place: Admitted| {
        let watcher = graceful.watcher();
        let service = service.clone();
        let app = app.clone();
        async move {
            let _ = stream.set_nodelay(true);
            let Ok(local) = stream.local_addr() else {
                return;
            };
            let peer = Peer {
                remote: peer,
                local,
            };
            let limits = &app.settings.connections;
            let io = TokioIo::new(ClientIo::new(
                stream,
                limits.write_timeout,
                app.connection_stats.clone(),
            ));
            let handler = hyper::service::service_fn(
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(peer);
                    let mut service = service.clone();
                    tower_service::Service::call(&mut service, request)
                },
            );
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.head_timeout)
                .max_headers(http::MAX_HEADERS);
            let connection = builder.serve_connection(io, handler);
            if let Err(err) = watcher.watch(connection).await {
                ConnectionStats::count(&app.connection_stats.ended_with_error);
                if err.is_timeout() {
                    ConnectionStats::count(&app.connection_stats.head_timeouts);
                }
                // Debug only: thousands of cut connections must not flood the log.
                tracing::debug!("connection ended: {err}");
            }
            drop(place);
        }
    };
    connections::accept_loop(listener, admit, serve, stop).await;
    graceful.shutdown().await;
}

async fn forget_quiet_networks(app: Arc<App>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(FORGET_EVERY) => app.abuse.forget_quiet_networks(),
            _ = stop.changed() => return,
        }
    }
}

async fn forget_networks_of_closed_polls(
    app: Arc<App>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let store = app.store.clone();
        let here = app.clone();
        let forgotten = tokio::task::spawn_blocking(move || {
            if !crate::cluster::runs_here(&here, crate::cluster::task::POLL_NETWORKS) {
                return Ok(0);
            }
            crate::polls::forget_networks_of_closed_polls(&store, crate::secrets::now_secs())
        })
        .await;
        match forgotten {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!("forgot {n} network counter(s) of closed polls"),
            Ok(Err(err)) => tracing::warn!("forgetting networks of closed polls failed: {err}"),
            Err(err) => tracing::warn!("forgetting networks of closed polls failed: {err}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(FORGET_POLL_NETWORKS_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Deletes expired sessions and erases personal data past each
/// community's retention period, at start and then every hour.
async fn hourly_cleanup(app: Arc<App>, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        let store = app.store.clone();
        let here = app.clone();
        // Each part runs even when the other fails.
        let done = tokio::task::spawn_blocking(move || {
            if !crate::cluster::runs_here(&here, crate::cluster::task::CLEANUP) {
                return (Ok(0), Ok(0));
            }
            let now = crate::secrets::now_secs();
            let done = (
                crate::sessions::remove_expired(&store, now),
                crate::privacy::apply_retention(&store, now),
            );
            // Every write of a sealed record makes a key; the keys of
            // overwritten versions go now and then (and at every erasure).
            if store.record_keys_made() > KEYRING_REWRITE_AFTER {
                if let Err(err) = store.forget_old_record_keys() {
                    tracing::warn!("rewriting the keyring failed: {err}");
                }
            }
            done
        })
        .await;
        match done {
            Ok((sessions, erased)) => {
                match erased {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!("retention: erased the personal data of {n} initiative(s)")
                    }
                    Err(err) => tracing::warn!("retention failed: {err}"),
                }
                match sessions {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!("deleted {n} expired console session(s)"),
                    Err(err) => tracing::warn!("deleting expired sessions failed: {err}"),
                }
                // Kept: a background task, no dispatcher.
                if let Err(err) = app.store.durable().await {
                    tracing::warn!("the hourly cleanup could not be made durable: {err}");
                }
            }
            Err(err) => tracing::warn!("the hourly cleanup failed: {err}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(HOURLY_CLEANUP_EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn store(&self) -> &Store {
        &self.app.store
    }

    /// Waits until the server ends by itself (it only does on a failure).
    pub async fn wait(&mut self) {
        let _ = (&mut self.task).await;
    }

    /// Stops accepting, lets requests in flight finish, flushes and closes
    /// the database so the same data directory can be opened again.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.background_stop.send(true);
        for task in self.background {
            let _ = task.await;
        }
        let mut task = self.task;
        if tokio::time::timeout(GRACEFUL_STOP, &mut task)
            .await
            .is_err()
        {
            task.abort();
            let _ = task.await;
        }
        if let Err(err) = self.app.store.flush_blocking() {
            tracing::error!("final flush failed: {err}");
        }
        self.app.store.close();
    }
}
