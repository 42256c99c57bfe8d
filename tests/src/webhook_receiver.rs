//! A webhook receiver on 127.0.0.1 for the tests (the webhook and initiative tests, and the
//! console's): records every request and answers 200, or 500 to as many requests as it is
//! told to fail first.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::oneshot;
use warp::http::{HeaderMap, StatusCode};
use warp::Filter;

/// How long [`Receiver::wait_for`] waits for a delivery.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
    /// What the receiver answered.
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no {name} header in {self:?}"))
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A webhook receiver on 127.0.0.1 that records every request. It answers
/// 500 to as many requests as it is told to fail, then 200.
pub struct Receiver {
    addr: SocketAddr,
    got: Arc<Mutex<Vec<Received>>>,
    pub failures_left: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        Self::start_on("127.0.0.1:0".parse().unwrap(), 0).await
    }

    pub async fn start_on(addr: SocketAddr, failures: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let failures_left = Arc::new(AtomicUsize::new(failures));
        let (record, failing) = (got.clone(), failures_left.clone());
        let route = warp::post()
            .and(warp::header::headers_cloned())
            .and(warp::body::bytes())
            .map(move |headers: HeaderMap, body: bytes::Bytes| {
                let fail = failing
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                let status = if fail {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                };
                record.lock().unwrap().push(Received {
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                    answered: status.as_u16(),
                });
                warp::reply::with_status("received", status)
            });
        let (stop, stopped) = oneshot::channel::<()>();
        let server = warp::serve(route).incoming(listener).graceful(async move {
            let _ = stopped.await;
        });
        tokio::spawn(server.run());
        Receiver {
            addr,
            got,
            failures_left,
            stop: Some(stop),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/mekaar", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until a request for `event` has arrived (hang guard [`PATIENCE`]).
    pub async fn wait_for(&self, event: &str) -> Received {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let got = self.received();
            if let Some(r) = got.iter().find(|r| r.header("mekaar-event") == event) {
                return r.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no {event} delivery arrived (waited {PATIENCE:?}); got {got:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The JSON bodies received so far, in order of arrival.
    pub fn bodies(&self) -> Vec<Value> {
        self.received().iter().map(Received::json).collect()
    }

    /// Successful deliveries of `event`.
    pub fn delivered(&self, event: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.answered == 200 && r.header("mekaar-event") == event)
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
