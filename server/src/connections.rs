//! The connections themselves, before any request: which ones we accept, how
//! long a client may take, and what a connection costs us at most.
//!
//! The server faces the internet without a proxy in front, so one client must
//! not be able to hold it: every connection needs a request head within
//! `head_timeout` (from the connection's start and again after each answer:
//! that is the keep-alive idle limit too), a body within `body_timeout` (read
//! by `http::read_limited`), and every write must move within `write_timeout`
//! (a live stream writes a heartbeat every 15 s, so a stream to a client that
//! stopped reading ends too). One network (an IPv4 address, an IPv6 /64) may
//! hold `per_network` connections at once and the server `total`; above that
//! a connection gets a short JSON refusal and is closed at once.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which this server
//! leaves to a proxy; cleartext HTTP/2 would only add a second protocol for an
//! attacker to try (a body without a length, stream floods).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use mekaar_api::ErrorCode;
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Limits on connections; see the module comment.
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Connections one network may hold at once.
    pub per_network: usize,
    /// Connections the server holds at once (kept below the open-file limit).
    pub total: usize,
    /// Time to send a whole request head; also how long an idle kept-alive
    /// connection waits for its next request.
    pub head_timeout: Duration,
    /// Time to send a whole request body.
    pub body_timeout: Duration,
    /// Time one write to the client may wait before the connection ends.
    pub write_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            // A school, an office or a mobile operator's shared address may
            // put hundreds of phones behind one IPv4 address during a broadcast.
            per_network: 1024,
            total: 16_384,
            head_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// Counters of what the connection layer refused or cut off, for the log and
/// for operators (`GET /api/v1/admin/metrics`).
#[derive(Debug, Default)]
pub struct ConnectionStats {
    pub open: AtomicU64,
    pub accepted: AtomicU64,
    pub refused_network_full: AtomicU64,
    pub refused_server_full: AtomicU64,
    /// Connections that ended in a protocol error, a timeout or a client
    /// that went away mid-request (each logged at debug only: an attacker's
    /// thousands of cut connections must not flood the log).
    pub ended_with_error: AtomicU64,
    pub head_timeouts: AtomicU64,
    pub body_timeouts: AtomicU64,
    pub write_timeouts: AtomicU64,
    pub aborted_bodies: AtomicU64,
}

/// A snapshot of [`ConnectionStats`].
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct ConnectionCounts {
    pub open: u64,
    pub accepted: u64,
    pub refused_network_full: u64,
    pub refused_server_full: u64,
    pub ended_with_error: u64,
    pub head_timeouts: u64,
    pub body_timeouts: u64,
    pub write_timeouts: u64,
    pub aborted_bodies: u64,
}

impl ConnectionStats {
    pub fn counts(&self) -> ConnectionCounts {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ConnectionCounts {
            open: get(&self.open),
            accepted: get(&self.accepted),
            refused_network_full: get(&self.refused_network_full),
            refused_server_full: get(&self.refused_server_full),
            ended_with_error: get(&self.ended_with_error),
            head_timeouts: get(&self.head_timeouts),
            body_timeouts: get(&self.body_timeouts),
            write_timeouts: get(&self.write_timeouts),
            aborted_bodies: get(&self.aborted_bodies),
        }
    }

    pub fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Why a connection was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NetworkFull,
    ServerFull,
}

/// Open connections per network and in all. A network is named by the
/// caller's key (the keyed hash of `abuse`), never by its address.
pub struct ConnectionGate {
    limits: ConnectionLimits,
    state: Mutex<TableState>,
    stats: Arc<ConnectionStats>,
}

#[derive(Default)]
struct TableState {
    total: usize,
    per_network: HashMap<[u8; 16], usize>,
}

/// One admitted connection; dropping it gives its place back.
pub struct Admitted {
    table: Arc<ConnectionGate>,
    network: Option<[u8; 16]>,
}

impl ConnectionGate {
    pub fn new(limits: ConnectionLimits, stats: Arc<ConnectionStats>) -> Arc<ConnectionGate> {
        Arc::new(ConnectionGate {
            limits,
            state: Mutex::new(TableState::default()),
            stats,
        })
    }

    /// Takes a place for a connection of `network` (`None`: a trusted proxy,
    /// whose connections carry many clients and count only towards the total).
    pub fn admit(self: &Arc<Self>, network: Option<[u8; 16]>) -> Result<Admitted, Refusal> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.total >= self.limits.total {
            ConnectionStats::count(&self.stats.refused_server_full);
            return Err(Refusal::ServerFull);
        }
        if let Some(network) = network {
            let held = state.per_network.entry(network).or_insert(0);
            if *held >= self.limits.per_network {
                ConnectionStats::count(&self.stats.refused_network_full);
                return Err(Refusal::NetworkFull);
            }
            *held += 1;
        }
        state.total += 1;
        ConnectionStats::count(&self.stats.accepted);
        self.stats.open.store(state.total as u64, Ordering::Relaxed);
        Ok(Admitted {
            table: self.clone(),
            network,
        })
    }

    /// Connections held now by `network`.
    #[cfg(test)]
    fn held_by(&self, network: &[u8; 16]) -> usize {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.per_network.get(network).copied().unwrap_or(0)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut state = self.table.state.lock().unwrap_or_else(|e| e.into_inner());
        state.total = state.total.saturating_sub(1);
        if let Some(network) = self.network {
            if let Some(held) = state.per_network.get_mut(&network) {
                *held -= 1;
                if *held == 0 {
                    state.per_network.remove(&network);
                }
            }
        }
        self.table
            .stats
            .open
            .store(state.total as u64, Ordering::Relaxed);
    }
}

/// The whole answer to a refused connection: written without reading the
/// request (the point is to spend nothing on it), then the socket is closed.
pub fn refusal_bytes(refusal: Refusal) -> Vec<u8> {
    let (code, message) = match refusal {
        Refusal::NetworkFull => (
            ErrorCode::TooManyConnections,
            "Your network holds too many connections to this server; close some and try again.",
        ),
        Refusal::ServerFull => (
            ErrorCode::ServerBusy,
            "The server holds as many connections as it can; please try again in a moment.",
        ),
    };
    let (status, body) = status_and_body(code, message);
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncache-control: no-store\r\n\
         retry-after: 10\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Both ends of a connection, put into every request's extensions (read by
/// `http::connection()`), since we run the connections ourselves.
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    /// The client (or the proxy in front of it).
    pub remote: SocketAddr,
    /// The address of ours that the client connected to.
    pub local: SocketAddr,
}

/// Accepts connections until `stop` resolves and hands each admitted one to
/// `serve`. Accept errors (a full file table) pause accepting briefly rather
/// than spinning.
pub async fn accept_loop<S, F>(
    listener: TcpListener,
    admit: impl Fn(IpAddr) -> Result<Admitted, Refusal>,
    serve: S,
    stop: impl Future<Output = ()>,
) where
    S: Fn(TcpStream, SocketAddr, Admitted) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => return,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                // EMFILE/ENFILE: wait for connections to end instead of spinning.
                tracing::debug!("accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        match admit(peer.ip()) {
            Ok(place) => {
                tokio::spawn(serve(stream, peer, place));
            }
            Err(refusal) => {
                // Best effort, never waiting: the socket's buffer takes it or
                // the client gets a plain close.
                let _ = stream.try_write(&refusal_bytes(refusal));
                drop(stream);
            }
        }
    }
}

fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// hyper answers a request it cannot parse (malformed, a target or header
/// block beyond its own limits) itself, with an empty body, before any route
/// sees it. This rewrites exactly those answers into our JSON error shape, so
/// every error a client gets says what went wrong in the same way. hyper's
/// are the only answers with an error status, `connection: close` and no
/// body: ours always carry their JSON.
pub fn shape_parse_error(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    if !text.ends_with("\r\n\r\n") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") || !lower.contains("\r\nconnection: close\r\n")
    {
        return None;
    }
    let (code, message) = match rest.get(..3)? {
        "400" => (
            ErrorCode::MalformedRequest,
            "The request is not valid HTTP/1.1.",
        ),
        "414" => (ErrorCode::UriTooLong, "The address is too long."),
        "431" => (
            ErrorCode::HeadersTooLarge,
            "The request's headers are too large.",
        ),
        "505" => (
            ErrorCode::HttpVersionNotSupported,
            "This server speaks HTTP/1.1 (HTTP/2 only through a TLS proxy in front of it).",
        ),
        _ => return None,
    };
    let (status, body) = status_and_body(code, message);
    Some(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncache-control: no-store\r\n\
             connection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// The status line (`429 Too Many Requests`, from [`crate::errors::status`])
/// and the JSON body of an answer written by hand.
fn status_and_body(code: ErrorCode, message: &str) -> (String, String) {
    let status = crate::errors::status(code);
    let line = format!(
        "{} {}",
        status.as_str(),
        status.canonical_reason().unwrap_or_default()
    );
    let body = format!(r#"{{"error":{{"code":"{code}","message":"{message}"}}}}"#);
    (line, body)
}

/// A client's socket as hyper sees it, with two duties:
/// - a write may not wait longer than a limit: a client that stops reading
///   (its window full) loses the connection instead of holding it, and the
///   write's error ends hyper's connection task;
/// - hyper's own error answers are rewritten by [`shape_parse_error`]. Only a
///   connection's first answer can be one in practice, but every answer is
///   looked at (a request on a kept-alive connection can be malformed too);
///   the check is a prefix test.
pub struct ClientIo<T> {
    inner: T,
    limit: Duration,
    waiting_since: Option<Pin<Box<tokio::time::Sleep>>>,
    stats: Arc<ConnectionStats>,
    /// A rewritten answer not yet written out.
    pending: Vec<u8>,
}

impl<T> ClientIo<T> {
    pub fn new(inner: T, limit: Duration, stats: Arc<ConnectionStats>) -> Self {
        ClientIo {
            inner,
            limit,
            waiting_since: None,
            stats,
            pending: Vec::new(),
        }
    }

    /// After a write that returned pending: an error once the wait passed the limit.
    fn check_wait(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let limit = self.limit;
        let timer = self
            .waiting_since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                ConnectionStats::count(&self.stats.write_timeouts);
                Poll::Ready(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client did not read its answer in time",
                ))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// `poll`'s outcome, with the write deadline applied to a pending one.
    fn timed<R>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match poll {
            Poll::Ready(result) => {
                self.waiting_since = None;
                Poll::Ready(result)
            }
            Poll::Pending => self.check_wait(cx).map(Err),
        }
    }
}

impl<T: AsyncWrite + Unpin> ClientIo<T> {
    /// Writes out a rewritten answer still pending.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let poll = Pin::new(&mut self.inner).poll_write(cx, &self.pending);
            match std::task::ready!(self.timed(cx, poll)) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(err) => return Poll::Ready(Err(err)),
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for ClientIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for ClientIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        std::task::ready!(self.drain(cx))?;
        if buf.starts_with(b"HTTP/1.1 4") || buf.starts_with(b"HTTP/1.1 5") {
            if let Some(shaped) = shape_parse_error(buf) {
                self.pending = shaped;
                // The rewritten answer stands for all of hyper's bytes; it is
                // written out here and by the flush that follows.
                if let Poll::Ready(Err(err)) = self.drain(cx) {
                    return Poll::Ready(Err(err));
                }
                return Poll::Ready(Ok(buf.len()));
            }
        }
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.timed(cx, poll)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.timed(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        std::task::ready!(self.drain(cx))?;
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.timed(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(per_network: usize, total: usize) -> Arc<ConnectionGate> {
        ConnectionGate::new(
            ConnectionLimits {
                per_network,
                total,
                ..Default::default()
            },
            Arc::default(),
        )
    }

    #[test]
    fn a_full_network_is_refused_while_others_still_get_in() {
        let table = table(2, 10);
        let busy = [1u8; 16];
        let other = [2u8; 16];
        let a = table.admit(Some(busy)).unwrap();
        let _b = table.admit(Some(busy)).unwrap();
        assert_eq!(table.admit(Some(busy)).err(), Some(Refusal::NetworkFull));
        assert!(table.admit(Some(other)).is_ok());
        // A place given back can be taken again.
        drop(a);
        assert_eq!(table.held_by(&busy), 1);
        assert!(table.admit(Some(busy)).is_ok());
    }

    #[test]
    fn the_total_holds_for_proxies_too() {
        let table = table(100, 2);
        let _a = table.admit(None).unwrap();
        let _b = table.admit(Some([3u8; 16])).unwrap();
        assert_eq!(table.admit(None).err(), Some(Refusal::ServerFull));
        assert_eq!(
            table.admit(Some([4u8; 16])).err(),
            Some(Refusal::ServerFull)
        );
        assert_eq!(table.stats.counts().refused_server_full, 2);
        assert_eq!(table.stats.counts().open, 2);
    }

    #[test]
    fn only_hypers_bodiless_error_answers_are_shaped() {
        let hyper = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 11:42:06 GMT\r\n\r\n";
        let shaped = String::from_utf8(shape_parse_error(hyper).unwrap()).unwrap();
        let (head, body) = shaped.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["error"]["code"], "malformed_request");
        // Our own answers carry a body and are left alone.
        let ours = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 80\r\n\r\n";
        assert_eq!(shape_parse_error(ours), None);
        let kept_alive = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(shape_parse_error(kept_alive), None);
        let success = b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(shape_parse_error(success), None);
    }

    #[test]
    fn a_refusal_is_a_whole_json_answer() {
        let bytes = refusal_bytes(Refusal::NetworkFull);
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 429 "));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["error"]["code"], "too_many_connections");
    }
}
