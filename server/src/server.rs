//! Starting and stopping the HTTP server (the binary and the tests use this).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::http::{self, App};
use crate::store::Store;

/// How long a stop waits for requests in flight before cutting them off.
const GRACEFUL_STOP: Duration = Duration::from_secs(10);

pub struct Running {
    pub addr: SocketAddr,
    app: Arc<App>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Binds `listen` (port 0 picks a free port) and serves the API on it.
pub async fn start(store: Store, listen: SocketAddr) -> std::io::Result<Running> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let app = Arc::new(App { store });
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = warp::serve(http::routes(app.clone()))
        .incoming(listener)
        .graceful(async move {
            let _ = stopped.await;
        });
    let task = tokio::spawn(server.run());
    Ok(Running {
        addr,
        app,
        shutdown,
        task,
    })
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
