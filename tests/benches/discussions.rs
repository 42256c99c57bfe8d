//! Benchmark (not a test): the dialogue of issue 15 against the real release
//! server: posting reactions, reading a thread of 10,000 reactions, and what
//! 1,000 readers of one thread cost with SSE or with conditional polling.
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench discussions
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, as in `durable_supports.rs`
//! (the bench builds nothing itself). Setup over the admin API: one community
//! whose reaction limits are raised (`PATCH …/admin/communities/bench` with the
//! whole `reactions` object: post-moderation, no held links, 1,000 per key per
//! 10 minutes, 100,000 per network per hour: every request comes from
//! 127.0.0.1), and topics.
//!
//! 1. Posting (b): `MEKAAR_BENCH_REACTIONS` (10,000) `POST …/threads/topic/{id}/reactions`
//!    over `MEKAAR_BENCH_CONNECTIONS` (64) keep-alive connections, each
//!    connection its own voter key, every text distinct, into one topic (its
//!    thread grows from 0 to 10,000). A 201 means the reaction is on disk.
//! 2. Reading (a): `MEKAAR_BENCH_READS` (20,000) `GET …/threads/topic/{id}` (the
//!    first page of that thread, no voter key) over the same number of
//!    connections; then as many with `If-None-Match` set to the page's ETag (304s).
//! 3. Live readers (c), per rate in `MEKAAR_BENCH_RATES` (`2,50` reactions/s)
//!    and per way, each on a fresh topic seeded with
//!    `MEKAAR_BENCH_LIVE_SEED` (200) reactions: `MEKAAR_BENCH_READERS` (1,000)
//!    readers, each with its own voter key, read the page once; then
//!    `rate × MEKAAR_BENCH_LIVE_SECS` (30) reactions arrive at that average
//!    rate with random (exponential, fixed seed) gaps from one connection (each
//!    a new voter key), and the readers keep up either by
//!    - SSE: each holds `GET …/live` open and, after each read that brought one
//!      or more `changed` events, re-reads the page with If-None-Match on a
//!      keep-alive connection of its own; or by
//!    - polling: each re-reads the page with If-None-Match every
//!      `MEKAAR_BENCH_POLL_SECS` (5) s, the readers spread evenly over the interval.
//!
//!    Before each run the server's idle CPU is sampled for 3 s (its store
//!    settling after earlier writes shows there). Measured from the first reaction until `MEKAAR_BENCH_POLL_SECS` + 2 s after
//!    the last one (the same span for both ways): server CPU seconds (/proc),
//!    bytes the readers received and sent (counted on their sockets, HTTP
//!    headers included), page requests (200 and 304), SSE events, server RSS;
//!    and for every reader and every new reaction the delay from the
//!    reaction's 201 to the first page that reader got with it in
//!    (`thread.reaction_count`, which the single posting connection makes
//!    exact).
//!
//! After everything, `kill -9` and a restart on the same data directory: the
//! big thread must still count every reaction that was answered 201.
//!
//! Every loop is bounded by count and by time; the bench never fails on a
//! time (it exits non-zero only when it cannot run or an acknowledged
//! reaction is missing).

use std::io::{IoSlice, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::Full;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, IF_NONE_MATCH};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use mekaar_tests::bench::*;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

const COMMUNITY: &str = "bench";
/// The community's limits while benchmarking (the most the server accepts).
const PER_KEY_PER_10_MINUTES: u64 = 1_000;
const PER_NETWORK_PER_HOUR: u64 = 100_000;
/// No phase of requests runs longer than this.
const PHASE_LIMIT: Duration = Duration::from_secs(600);
/// How long connecting all live readers may take.
const CONNECT_LIMIT: Duration = Duration::from_secs(180);
/// The pause between the posting and reading phases and the live runs.
const QUIET: Duration = Duration::from_secs(10);
/// How long the server's idle CPU is sampled before each live run.
const IDLE_SAMPLE: Duration = Duration::from_secs(3);
/// Reactions still unsent this long after the planned end are skipped.
const POST_OVERRUN: Duration = Duration::from_secs(15);
/// Voter keys: part b's connections, the live seeds, the live posters, the readers.
const KEYS_SEED: u64 = 100_000;
const KEYS_POSTER: u64 = 1_000_000;
const KEYS_READER: u64 = 9_000_000;

struct Config {
    server_bin: PathBuf,
    reactions: u64,
    reads: u64,
    connections: u64,
    client_threads: usize,
    readers: u64,
    rates: Vec<u64>,
    live_secs: u64,
    poll_secs: u64,
    live_seed: u64,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let rates = match std::env::var("MEKAAR_BENCH_RATES") {
            Err(_) => vec![2, 50],
            Ok(text) => text
                .split(',')
                .map(|r| match r.trim().parse::<u64>() {
                    Ok(n) if (1..=1_000).contains(&n) => Ok(n),
                    _ => Err(format!(
                        "MEKAAR_BENCH_RATES={text}: whole numbers 1..1000, comma-separated"
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        if rates.len() > 4 {
            return Err("MEKAAR_BENCH_RATES: at most 4 rates".into());
        }
        let config = Config {
            server_bin: server_bin(),
            reactions: env_u64("MEKAAR_BENCH_REACTIONS", 10_000, 50_000)?.max(1),
            reads: env_u64("MEKAAR_BENCH_READS", 20_000, 1_000_000)?.max(1),
            connections: env_u64("MEKAAR_BENCH_CONNECTIONS", 64, 1_000)?.max(1),
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
            readers: env_u64("MEKAAR_BENCH_READERS", 1_000, 10_000)?.max(1),
            rates,
            live_secs: env_u64("MEKAAR_BENCH_LIVE_SECS", 30, 600)?.max(1),
            poll_secs: env_u64("MEKAAR_BENCH_POLL_SECS", 5, 60)?.max(1),
            live_seed: env_u64("MEKAAR_BENCH_LIVE_SEED", 200, 10_000)?,
        };
        let per_key = config.reactions.div_ceil(config.connections);
        if per_key > PER_KEY_PER_10_MINUTES {
            return Err(format!(
                "{} reactions over {} connections is {per_key} per voter key, more than the {PER_KEY_PER_10_MINUTES} one key may post in 10 minutes",
                config.reactions, config.connections
            ));
        }
        if config.total_posts() > PER_NETWORK_PER_HOUR {
            return Err(format!(
                "{} reactions in all, more than the {PER_NETWORK_PER_HOUR} one network may post in an hour",
                config.total_posts()
            ));
        }
        Ok(config)
    }

    fn live_posts(&self, rate: u64) -> u64 {
        rate * self.live_secs
    }

    fn total_posts(&self) -> u64 {
        let live: u64 = self
            .rates
            .iter()
            .map(|&r| 2 * (self.live_seed + self.live_posts(r)))
            .sum();
        self.reactions + live
    }
}

fn main() -> ExitCode {
    let Some(config) = report(Config::from_env()) else {
        return ExitCode::FAILURE;
    };
    exit_code(run(&config))
}

// ---------------------------------------------------------------------------
// Connections whose bytes are counted

/// Bytes received and sent on the counted sockets.
#[derive(Default)]
struct Traffic {
    received: AtomicU64,
    sent: AtomicU64,
}

impl Traffic {
    fn reset(&self) {
        self.received.store(0, Ordering::SeqCst);
        self.sent.store(0, Ordering::SeqCst);
    }
}

/// A TCP stream that adds what passes to a [`Traffic`].
struct Counted {
    inner: TcpStream,
    traffic: Arc<Traffic>,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &poll {
            let n = (buf.filled().len() - before) as u64;
            self.traffic.received.fetch_add(n, Ordering::Relaxed);
        }
        poll
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = &poll {
            self.traffic.sent.fetch_add(*n as u64, Ordering::Relaxed);
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = &poll {
            self.traffic.sent.fetch_add(*n as u64, Ordering::Relaxed);
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

type Sender = SendRequest<Full<Bytes>>;

/// A keep-alive HTTP/1.1 connection (Nagle off) whose bytes go to `traffic`.
async fn connect_counted(addr: SocketAddr, traffic: &Arc<Traffic>) -> Result<Sender, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let counted = Counted {
        inner: stream,
        traffic: traffic.clone(),
    };
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(counted))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// One request on `sender` (a counted connection made first when there is none).
async fn request(
    addr: SocketAddr,
    traffic: &Arc<Traffic>,
    sender: &mut Option<Sender>,
    request: Request<Full<Bytes>>,
) -> Outcome {
    if sender.is_none() {
        *sender = Some(connect_counted(addr, traffic).await?);
    }
    send_with(addr, sender, request).await
}

/// `GET path`, with a voter key and an ETag when given.
fn page_request(
    host: &str,
    path: &str,
    voter: Option<&str>,
    etag: Option<&str>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(HOST, host);
    if let Some(voter) = voter {
        builder = builder.header(VOTER_HEADER, voter);
    }
    if let Some(etag) = etag {
        builder = builder.header(IF_NONE_MATCH, etag);
    }
    builder
        .body(Full::new(Bytes::new()))
        .expect("a valid request")
}

/// `POST path` with a reaction of `voter` saying `text`.
fn post_request(host: &str, path: &str, voter: &str, text: &str) -> Request<Full<Bytes>> {
    let body = Bytes::from(json!({ "text": text }).to_string());
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(HOST, host)
        .header(VOTER_HEADER, voter)
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_LENGTH, body.len())
        .body(Full::new(body))
        .expect("a valid request")
}

// ---------------------------------------------------------------------------
// Phases of requests over a fixed number of connections

/// Makes request `i` of connection `c`.
type MakeRequest = Arc<dyn Fn(u64, u64) -> Request<Full<Bytes>> + Send + Sync>;

struct Load {
    addr: SocketAddr,
    connections: u64,
    requests: u64,
    /// The status that counts as success (200, 201 or 304).
    expect: u16,
    make: MakeRequest,
    traffic: Arc<Traffic>,
}

/// Connection `c` sends requests `c`, `c + connections`, … one at a time,
/// until `requests` or [`PHASE_LIMIT`].
async fn client(load: Arc<Load>, c: u64, deadline: Instant) -> PhaseResult {
    let mut result = PhaseResult::empty();
    let mut sender = None;
    let mut i = c;
    while i < load.requests && Instant::now() < deadline {
        let started = Instant::now();
        let outcome = request(load.addr, &load.traffic, &mut sender, (load.make)(c, i)).await;
        result
            .latency
            .saturating_record(started.elapsed().as_micros().max(1) as u64);
        result.requests += 1;
        match outcome {
            Ok((status, _, body)) if status == load.expect => {
                if status == 304 {
                    result.not_modified += 1;
                } else {
                    result.ok += 1;
                }
                result.body_bytes += body.len() as u64;
            }
            Ok((status, _, body)) => result.note_status(status, &body),
            Err(e) => result.note(e),
        }
        i += load.connections;
    }
    result
}

async fn run_load(load: Load, server_pid: u32) -> PhaseResult {
    let load = Arc::new(load);
    load.traffic.reset();
    let cpu_before = cpu_sample(server_pid);
    let started = Instant::now();
    let deadline = started + PHASE_LIMIT;
    let tasks: Vec<_> = (0..load.connections)
        .map(|c| tokio::spawn(client(load.clone(), c, deadline)))
        .collect();
    let mut result = PhaseResult::empty();
    for task in tasks {
        result.merge(task.await.expect("a client task panicked"));
    }
    result.elapsed = started.elapsed();
    result.cpu = cpu_before.zip(cpu_sample(server_pid));
    result.error_samples.truncate(5);
    result
}

// ---------------------------------------------------------------------------
// Setup over the admin and public API

struct Bench {
    client: reqwest::Client,
    token: String,
}

impl Bench {
    async fn topic(&self, server: &ServerProcess, title: &str) -> Result<String, String> {
        let topic = admin_send(
            &self.client,
            reqwest::Method::POST,
            server.url(&format!("/api/v1/admin/communities/{COMMUNITY}/topics")),
            &self.token,
            &json!({ "title": title }),
            201,
        )
        .await?;
        Ok(topic["id"]
            .as_str()
            .ok_or("no id in the topic")?
            .to_string())
    }
}

/// The first page of a thread as an anonymous reader gets it.
async fn thread_page(
    client: &reqwest::Client,
    server: &ServerProcess,
    topic: &str,
) -> Result<(Value, String), String> {
    let url = server.url(&thread_path(topic));
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("GET {url}: HTTP {status}: {text}"));
    }
    let view = serde_json::from_str(&text).map_err(|e| format!("GET {url}: {e}"))?;
    Ok((view, etag))
}

fn thread_path(topic: &str) -> String {
    format!("/api/v1/communities/{COMMUNITY}/threads/topic/{topic}")
}

/// Posts `count` reactions into `topic` over `connections` connections, each
/// connection its own voter key (`first_key + c`), every text distinct.
fn posting(
    server: &ServerProcess,
    topic: &str,
    count: u64,
    connections: u64,
    first_key: u64,
    traffic: &Arc<Traffic>,
) -> Load {
    let host = server.addr.to_string();
    let path = format!("{}/reactions", thread_path(topic));
    Load {
        addr: server.addr,
        connections,
        requests: count,
        expect: 201,
        make: Arc::new(move |c, i| {
            let text = format!("Reactie {i} in deze draad: wat mij betreft een goed plan.");
            post_request(&host, &path, &voter_key(first_key + c), &text)
        }),
        traffic: traffic.clone(),
    }
}

// ---------------------------------------------------------------------------
// Live readers

#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Sse,
    Polling,
}

struct LiveStats {
    /// From a reaction's 201 to a reader's first page with it, µs; one per
    /// reader and reaction.
    delay: Histogram<u64>,
    /// … of which came before the 201 reached the poster (recorded as 1 µs).
    before_ack: u64,
    errors: Vec<String>,
}

struct Live {
    epoch: Instant,
    addr: SocketAddr,
    host: String,
    page: String,
    live: String,
    /// Reactions in the thread before the measured ones.
    seed: u64,
    /// `ack[n]`: when the reaction that made the count `n` was answered 201
    /// (µs since `epoch` + 1; 0 = not yet).
    ack: Vec<AtomicU64>,
    traffic: Arc<Traffic>,
    ready: AtomicU64,
    failed: AtomicU64,
    pages: AtomicU64,
    not_modified: AtomicU64,
    errors: AtomicU64,
    events: AtomicU64,
    stats: Mutex<LiveStats>,
}

impl Live {
    fn now(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64 + 1
    }

    fn stats(&self) -> std::sync::MutexGuard<'_, LiveStats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn error(&self, what: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut stats = self.stats();
        if stats.errors.len() < 5 {
            stats.errors.push(what);
        }
    }

    /// A reader that had `seen` reactions got a page with `count`.
    fn saw(&self, seen: u64, count: u64) {
        if count <= seen {
            return;
        }
        let now = self.now();
        let mut stats = self.stats();
        for n in (seen + 1).max(self.seed + 1)..=count {
            let at = self
                .ack
                .get(n as usize)
                .map_or(0, |a| a.load(Ordering::Relaxed));
            if at == 0 || at > now {
                stats.before_ack += 1;
                stats.delay.saturating_record(1);
            } else {
                stats.delay.saturating_record((now - at).max(1));
            }
        }
    }

    /// The page with If-None-Match `etag`: updates the count and the tag.
    async fn read_page(
        &self,
        sender: &mut Option<Sender>,
        voter: &str,
        seen: &mut u64,
        etag: &mut Option<String>,
    ) {
        let request_ = page_request(&self.host, &self.page, Some(voter), etag.as_deref());
        match request(self.addr, &self.traffic, sender, request_).await {
            Ok((304, _, _)) => {
                self.not_modified.fetch_add(1, Ordering::Relaxed);
            }
            Ok((200, tag, body)) => {
                self.pages.fetch_add(1, Ordering::Relaxed);
                match json_u64_field(&body, "reaction_count") {
                    Some(count) => {
                        self.saw(*seen, count);
                        *seen = (*seen).max(count);
                    }
                    None => self.error("a page without reaction_count".into()),
                }
                *etag = tag;
            }
            Ok((status, _, body)) => self.error(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            )),
            Err(e) => self.error(e),
        }
    }
}

/// `data:` lines in `input`, with what came before in `carry` (the last 4
/// bytes of the stream so far, so a line split between reads still counts once).
fn count_data(carry: &mut Vec<u8>, input: &[u8]) -> u64 {
    let mut buf = std::mem::take(carry);
    buf.extend_from_slice(input);
    let n = buf.windows(5).filter(|w| *w == b"data:").count() as u64;
    *carry = buf[buf.len().saturating_sub(4)..].to_vec();
    n
}

/// Opens the live stream and reads up to its first event; returns the stream.
async fn open_stream(live: &Live) -> Result<TcpStream, String> {
    let mut stream = TcpStream::connect(live.addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let request_ = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n",
        live.live, live.host
    );
    stream
        .write_all(request_.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let mut carry = Vec::new();
    loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("the stream closed before its first event".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if !buf.starts_with(b"HTTP/1.1 200") && buf.len() >= 12 {
            return Err(format!(
                "not 200: {}",
                String::from_utf8_lossy(&buf[..buf.len().min(200)])
            ));
        }
        if count_data(&mut carry, &chunk[..n]) > 0 {
            return Ok(stream);
        }
        if buf.len() > 64 * 1024 {
            return Err("no event in the first 64 KiB".into());
        }
    }
}

/// One reader. Both ways read the page once, then wait for `start` (the
/// first measured reaction); SSE readers re-read after events, polling
/// readers every `interval` from `start + offset`.
async fn reader(
    n: u64,
    live: Arc<Live>,
    way: Way,
    connecting: Arc<Semaphore>,
    mut start: watch::Receiver<Option<tokio::time::Instant>>,
    (offset, interval): (Duration, Duration),
) {
    let voter = voter_key(KEYS_READER + n);
    let mut sender = None;
    let mut seen = 0;
    let mut etag = None;
    let permit = connecting.acquire().await;
    let stream = match way {
        Way::Sse => match open_stream(&live).await {
            Ok(stream) => Some(stream),
            Err(e) => {
                live.failed.fetch_add(1, Ordering::Relaxed);
                live.error(format!("reader {n}: {e}"));
                return;
            }
        },
        Way::Polling => None,
    };
    let errors_before = live.errors.load(Ordering::Relaxed);
    live.read_page(&mut sender, &voter, &mut seen, &mut etag)
        .await;
    if etag.is_none() || live.errors.load(Ordering::Relaxed) > errors_before {
        live.failed.fetch_add(1, Ordering::Relaxed);
        return;
    }
    live.ready.fetch_add(1, Ordering::Relaxed);
    drop(permit);
    match (way, stream) {
        (Way::Sse, Some(mut stream)) => {
            let mut chunk = [0u8; 2048];
            let mut carry = Vec::new();
            loop {
                let read = match stream.read(&mut chunk).await {
                    Ok(0) => {
                        live.error(format!("reader {n}: the server ended the stream"));
                        return;
                    }
                    Ok(read) => read,
                    Err(e) => {
                        live.error(format!("reader {n}: read: {e}"));
                        return;
                    }
                };
                live.traffic
                    .received
                    .fetch_add(read as u64, Ordering::Relaxed);
                let events = count_data(&mut carry, &chunk[..read]);
                if events > 0 {
                    live.events.fetch_add(events, Ordering::Relaxed);
                    live.read_page(&mut sender, &voter, &mut seen, &mut etag)
                        .await;
                }
            }
        }
        _ => {
            let at = match start.wait_for(Option::is_some).await {
                Ok(at) => (*at).unwrap_or_else(tokio::time::Instant::now),
                Err(_) => return,
            };
            let mut tick = at + offset;
            loop {
                tokio::time::sleep_until(tick).await;
                live.read_page(&mut sender, &voter, &mut seen, &mut etag)
                    .await;
                tick += interval;
            }
        }
    }
}

/// When `count` reactions arrive at `rate` a second on average, as people
/// come: random (exponential) gaps, from a fixed seed so runs compare. Evenly
/// spaced arrivals would fall in step with the server's 500 ms coalescing and
/// flatter or punish SSE by chance.
fn arrivals(count: u64, rate: u64, seed: u64) -> Vec<Duration> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut at = 0.0;
    (0..count)
        .map(|_| {
            // xorshift64*: a uniform number in (0, 1].
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let uniform = ((state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 1.0)
                / (1u64 << 53) as f64;
            let gap = -uniform.ln() / rate as f64;
            let this = at;
            at += gap;
            Duration::from_secs_f64(this)
        })
        .collect()
}

/// Posts `count` reactions arriving at `rate` a second ([`arrivals`]) from one
/// connection (each a new voter key), recording each 201 under the count it
/// made. Runs on a thread of its own, so its pace does not wait on the readers.
fn run_poster(
    live: Arc<Live>,
    first_key: u64,
    count: u64,
    rate: u64,
) -> std::thread::JoinHandle<Result<PhaseResult, String>> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(runtime.block_on(async {
            let traffic = Arc::new(Traffic::default());
            let path = format!("{}/reactions", live.page);
            let times = arrivals(count, rate, rate);
            let started = tokio::time::Instant::now();
            let deadline = started + times.last().copied().unwrap_or_default() + POST_OVERRUN;
            let mut result = PhaseResult::empty();
            let mut sender = None;
            let mut acked = 0;
            for (k, offset) in (0..count).zip(times) {
                let at = started + offset;
                if at >= deadline || tokio::time::Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep_until(at).await;
                let text = format!("Nieuwe reactie {k}: zo zie ik het.");
                let post = post_request(&live.host, &path, &voter_key(first_key + k), &text);
                let sent = Instant::now();
                let outcome = request(live.addr, &traffic, &mut sender, post).await;
                result
                    .latency
                    .saturating_record(sent.elapsed().as_micros().max(1) as u64);
                result.requests += 1;
                match outcome {
                    Ok((201, _, _)) => {
                        acked += 1;
                        if let Some(slot) = live.ack.get((live.seed + acked) as usize) {
                            slot.store(live.now(), Ordering::Relaxed);
                        }
                        result.ok += 1;
                    }
                    Ok((status, _, body)) => result.note_status(status, &body),
                    Err(e) => result.note(e),
                }
            }
            result.elapsed = started.elapsed();
            result
        }))
    })
}

/// What one way of keeping up cost at one rate.
struct LiveRun {
    way: Way,
    rate: u64,
    /// Server CPU seconds per second before the readers connected.
    idle_cpu: Option<f64>,
    ready: u64,
    failed: u64,
    posts: PhaseResult,
    span: Duration,
    server_cpu: Option<f64>,
    client_cpu: Option<f64>,
    pages: u64,
    not_modified: u64,
    errors: u64,
    events: u64,
    received: u64,
    sent: u64,
    rss_ready: Option<u64>,
    rss_end: Option<u64>,
    delay: Histogram<u64>,
    before_ack: u64,
    /// Reader × reaction pairs never seen by the end of the span.
    missed: u64,
    error_samples: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn run_live(
    config: &Config,
    runtime: &tokio::runtime::Runtime,
    server: &ServerProcess,
    bench: &Bench,
    way: Way,
    rate: u64,
    run: u64,
) -> Result<LiveRun, String> {
    let pid = server.pid();
    let posts = config.live_posts(rate);
    let title = format!("Live {run}");
    let topic = runtime.block_on(bench.topic(server, &title))?;
    let seeded = runtime.block_on(run_load(
        posting(
            server,
            &topic,
            config.live_seed,
            8,
            KEYS_SEED + run * 100,
            &Arc::new(Traffic::default()),
        ),
        pid,
    ));
    if seeded.ok != config.live_seed {
        return Err(format!(
            "seeding the live thread: {} of {} posted ({:?})",
            seeded.ok, config.live_seed, seeded.error_samples
        ));
    }
    // The server's own background work (the store settling after the writes
    // before), measured before any reader connects.
    std::thread::sleep(Duration::from_secs(2));
    let idle_before = cpu_sample(pid);
    std::thread::sleep(IDLE_SAMPLE);
    let idle_cpu = idle_before
        .zip(cpu_sample(pid))
        .map(|(b, a)| (a.server - b.server) / IDLE_SAMPLE.as_secs_f64());
    let live = Arc::new(Live {
        epoch: Instant::now(),
        addr: server.addr,
        host: server.addr.to_string(),
        page: thread_path(&topic),
        live: format!("{}/live", thread_path(&topic)),
        seed: config.live_seed,
        ack: (0..=config.live_seed + posts)
            .map(|_| AtomicU64::new(0))
            .collect(),
        traffic: Arc::new(Traffic::default()),
        ready: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        pages: AtomicU64::new(0),
        not_modified: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        events: AtomicU64::new(0),
        stats: Mutex::new(LiveStats {
            delay: new_histogram(),
            before_ack: 0,
            errors: Vec::new(),
        }),
    });
    let (start_tx, start_rx) = watch::channel(None);
    let connecting = Arc::new(Semaphore::new(200));
    let interval = Duration::from_secs(config.poll_secs);
    let mut tasks = JoinSet::new();
    for n in 0..config.readers {
        let offset = interval.mul_f64(n as f64 / config.readers as f64);
        tasks.spawn_on(
            reader(
                n,
                live.clone(),
                way,
                connecting.clone(),
                start_rx.clone(),
                (offset, interval),
            ),
            runtime.handle(),
        );
    }
    let connect_started = Instant::now();
    while live.ready.load(Ordering::SeqCst) + live.failed.load(Ordering::SeqCst) < config.readers
        && connect_started.elapsed() < CONNECT_LIMIT
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_secs(1));
    let ready = live.ready.load(Ordering::SeqCst);
    let failed = live.failed.load(Ordering::SeqCst);
    let rss_ready = status_kib(pid, "VmRSS");

    // ---- the measured span: from the first reaction to poll interval + 2 s after the last
    live.traffic.reset();
    for counter in [&live.pages, &live.not_modified, &live.errors, &live.events] {
        counter.store(0, Ordering::SeqCst);
    }
    let cpu_before = cpu_sample(pid);
    let started = Instant::now();
    start_tx.send_replace(Some(tokio::time::Instant::now()));
    let poster = run_poster(live.clone(), KEYS_POSTER + run * 100_000, posts, rate);
    let posted = poster
        .join()
        .map_err(|_| "the posting thread panicked".to_string())??;
    std::thread::sleep(interval + Duration::from_secs(2));
    let span = started.elapsed();
    let cpu = cpu_before.zip(cpu_sample(pid));
    let (pages, not_modified, errors, events) = (
        live.pages.load(Ordering::SeqCst),
        live.not_modified.load(Ordering::SeqCst),
        live.errors.load(Ordering::SeqCst),
        live.events.load(Ordering::SeqCst),
    );
    let received = live.traffic.received.load(Ordering::SeqCst);
    let sent = live.traffic.sent.load(Ordering::SeqCst);
    let rss_end = status_kib(pid, "VmRSS");
    tasks.abort_all();
    runtime.block_on(async { while tasks.join_next().await.is_some() {} });
    // Let the server notice the closed connections before the next run.
    std::thread::sleep(Duration::from_secs(1));

    let stats = live.stats();
    let pairs = ready * posted.ok;
    Ok(LiveRun {
        way,
        rate,
        idle_cpu,
        ready,
        failed,
        span,
        server_cpu: cpu.map(|(b, a)| a.server - b.server),
        client_cpu: cpu.map(|(b, a)| a.client - b.client),
        pages,
        not_modified,
        errors,
        events,
        received,
        sent,
        rss_ready,
        rss_end,
        delay: stats.delay.clone(),
        before_ack: stats.before_ack,
        missed: pairs.saturating_sub(stats.delay.len()),
        error_samples: stats
            .errors
            .iter()
            .cloned()
            .chain(posted.error_samples.iter().cloned())
            .collect(),
        posts: posted,
    })
}

// ---------------------------------------------------------------------------

fn raise_open_files(needed: u64) -> Result<u64, String> {
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot raise the open-file limit: {e}"))?;
    if limit < needed {
        return Err(format!(
            "the open-file limit is {limit} (hard limit); {needed} are needed: raise it or set MEKAAR_BENCH_READERS lower"
        ));
    }
    Ok(limit)
}

fn ms(micros: u64) -> String {
    format!("{:.1} ms", micros as f64 / 1000.0)
}

fn secs(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |s| format!("{s:.2} s"))
}

fn kib(bytes: u64) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}×", a / b)
    } else {
        "n/a".into()
    }
}

fn run(config: &Config) -> Result<bool, String> {
    let files = raise_open_files(2 * config.readers + config.connections + 256)?;
    let (data, server_token, runtime, server) = setup(&config.server_bin, config.client_threads)?;
    let pid = server.pid();
    let client = reqwest::Client::new();
    let bench = runtime.block_on(async {
        let token = create_community(
            &client,
            &server,
            &server_token,
            &json!({ "slug": COMMUNITY, "name": "Benchmark" }),
        )
        .await?;
        admin_send(
            &client,
            reqwest::Method::PATCH,
            server.url(&format!("/api/v1/admin/communities/{COMMUNITY}")),
            &token,
            &json!({ "reactions": {
                "moderation": "post",
                "hold_words": [],
                "hold_links": false,
                "first_reaction_waits": false,
                "reports_before_hide": 3,
                "per_key_per_10_minutes": PER_KEY_PER_10_MINUTES,
                "per_network_per_hour": PER_NETWORK_PER_HOUR,
            }}),
            200,
        )
        .await?;
        Ok::<_, String>(Bench {
            client: client.clone(),
            token,
        })
    })?;
    let big =
        runtime.block_on(bench.topic(&server, "Moet de kermis terug naar het dorpsplein?"))?;
    println!(
        "open-file limit {files}; {} connections on {} client thread(s): {} reactions, then {} reads twice; then {} live readers at {:?} reactions/s for {} s each way",
        config.connections,
        config.client_threads,
        config.reactions,
        config.reads,
        config.readers,
        config.rates,
        config.live_secs
    );
    let _ = std::io::stdout().flush();

    // ---- b. posting, which also fills the big thread for a.
    let traffic = Arc::new(Traffic::default());
    let posted = runtime.block_on(run_load(
        posting(
            &server,
            &big,
            config.reactions,
            config.connections,
            0,
            &traffic,
        ),
        pid,
    ));
    let post_rss_peak = status_kib(pid, "VmHWM");
    let (view, etag) = runtime.block_on(thread_page(&client, &server, &big))?;
    let live_count = view["thread"]["reaction_count"].as_u64().unwrap_or(0);

    // ---- a. reading its first page, then the same with If-None-Match.
    let host = server.addr.to_string();
    let path = thread_path(&big);
    let reads = |conditional: bool| {
        let (host, path, etag) = (host.clone(), path.clone(), etag.clone());
        Load {
            addr: server.addr,
            connections: config.connections,
            requests: config.reads,
            expect: if conditional { 304 } else { 200 },
            make: Arc::new(move |_, _| {
                page_request(&host, &path, None, conditional.then_some(etag.as_str()))
            }),
            traffic: traffic.clone(),
        }
    };
    let read_full = runtime.block_on(run_load(reads(false), pid));
    let full_bytes = traffic.received.load(Ordering::SeqCst);
    let read_304 = runtime.block_on(run_load(reads(true), pid));
    let not_modified_bytes = traffic.received.load(Ordering::SeqCst);
    let read_rss = status_kib(pid, "VmRSS");
    // The store settles after the writes (background CPU, see the idle row below).
    std::thread::sleep(QUIET);
    println!("posting and reading done; live readers next");
    let _ = std::io::stdout().flush();

    // ---- c. 1,000 readers: SSE versus polling, per rate.
    let mut runs = Vec::new();
    for (r, &rate) in config.rates.iter().enumerate() {
        for (w, way) in [Way::Sse, Way::Polling].into_iter().enumerate() {
            let run = (r * 2 + w) as u64;
            let result = run_live(config, &runtime, &server, &bench, way, rate, run)?;
            println!(
                "  {} at {rate}/s: {} readers, {} reactions, {:.2} s server CPU",
                if way == Way::Sse { "SSE" } else { "polling" },
                result.ready,
                result.posts.ok,
                result.server_cpu.unwrap_or(0.0)
            );
            let _ = std::io::stdout().flush();
            runs.push(result);
        }
    }
    let rss_peak = status_kib(pid, "VmHWM");

    // ---- kill -9, restart, count again.
    server.kill9()?;
    let restarted = ServerProcess::start(&config.server_bin, data.path())?;
    let (after, _) = runtime.block_on(thread_page(&client, &restarted, &big))?;
    let restart_count = after["thread"]["reaction_count"].as_u64().unwrap_or(0);
    drop(restarted);

    // ---- report
    println!();
    println!(
        "### Posting and reading a thread ({} connections)",
        config.connections
    );
    println!();
    let rows: Vec<(&str, &PhaseResult)> = vec![
        ("POST reaction (durable, thread 0 → N)", &posted),
        ("GET first page (N reactions)", &read_full),
        ("GET first page, If-None-Match (304)", &read_304),
    ];
    print_table_head(&rows);
    print_timing_rows(&rows);
    let line = |label: &str, f: &dyn Fn(&PhaseResult) -> String| print_row(&rows, label, f);
    line("answered as expected (201 / 200 / 304)", &|r| {
        (r.ok + r.not_modified).to_string()
    });
    line("errors", &|r| r.errors.to_string());
    line("server CPU (100 % = 1 core)", &|r| {
        cores(r.cores(|c| c.server))
    });
    line("… of which flusher thread", &|r| {
        cores(r.cores(|c| c.flusher))
    });
    line("load generator CPU", &|r| cores(r.cores(|c| c.client)));
    line("server CPU per request", &|r| {
        r.cpu.map_or("n/a".into(), |(b, a)| {
            format!(
                "{:.0} µs",
                (a.server - b.server) * 1e6 / r.requests.max(1) as f64
            )
        })
    });
    line("response body per request", &|r| {
        format!("{} B", r.body_bytes / r.requests.max(1))
    });
    println!(
        "| bytes received (headers included) | n/a | {} | {} |",
        kib(full_bytes),
        kib(not_modified_bytes)
    );
    println!(
        "| server RSS | peak {} after posting | {} after reading | |",
        mib(post_rss_peak),
        mib(read_rss)
    );
    println!();
    for (name, r) in &rows {
        for sample in &r.error_samples {
            println!("error sample ({name}): {sample}");
        }
    }
    let live_ok = live_count == posted.ok;
    let restart_ok = restart_count == posted.ok;
    println!(
        "Check: reactions answered 201 = {}; the thread's reaction_count = {live_count} {}; after kill -9 and restart = {restart_count} {}",
        posted.ok,
        if live_ok { "(equal)" } else { "(DIFFERENT)" },
        if restart_ok { "(equal)" } else { "(DIFFERENT: acknowledged reactions lost)" },
    );
    println!();

    println!(
        "### {} readers of one thread: SSE + conditional GET vs polling every {} s with If-None-Match",
        config.readers, config.poll_secs
    );
    println!();
    print!("| metric |");
    for run in &runs {
        let way = match run.way {
            Way::Sse => "SSE".to_string(),
            Way::Polling => format!("poll {} s", config.poll_secs),
        };
        print!(" {way}, {}/s |", run.rate);
    }
    println!();
    println!("|---|{}", "---:|".repeat(runs.len()));
    let row = |label: &str, f: &dyn Fn(&LiveRun) -> String| {
        print!("| {label} |");
        for run in &runs {
            print!(" {} |", f(run));
        }
        println!();
    };
    row("readers ready (failed)", &|r| {
        format!("{} ({})", r.ready, r.failed)
    });
    row("reactions posted (201) / errors", &|r| {
        format!("{} / {}", r.posts.ok, r.posts.errors)
    });
    row("post latency p50 / p99", &|r| {
        format!("{:.1} / {:.1} ms", r.posts.ms(0.5), r.posts.ms(0.99))
    });
    row("measured span", &|r| {
        format!("{:.1} s", r.span.as_secs_f64())
    });
    row("server CPU in the span", &|r| secs(r.server_cpu));
    row(
        "… idle server CPU before the readers came, same length",
        &|r| secs(r.idle_cpu.map(|c| c * r.span.as_secs_f64())),
    );
    row("load generator CPU in the span", &|r| secs(r.client_cpu));
    row("page requests: 200 / 304", &|r| {
        format!("{} / {}", r.pages, r.not_modified)
    });
    row("SSE events received", &|r| r.events.to_string());
    row("bytes to the readers (server → readers)", &|r| {
        kib(r.received)
    });
    row("bytes from the readers", &|r| kib(r.sent));
    row("reader errors", &|r| r.errors.to_string());
    row("delay 201 → seen, p50", &|r| {
        ms(r.delay.value_at_quantile(0.5))
    });
    row("delay 201 → seen, p99", &|r| {
        ms(r.delay.value_at_quantile(0.99))
    });
    row("delay 201 → seen, max", &|r| ms(r.delay.max()));
    row("(reader, reaction) pairs seen / never seen", &|r| {
        format!("{} / {}", r.delay.len(), r.missed)
    });
    row("… seen before the poster had the 201", &|r| {
        r.before_ack.to_string()
    });
    row("server RSS with the readers (VmRSS)", &|r| mib(r.rss_ready));
    row("server RSS at the end (VmRSS)", &|r| mib(r.rss_end));
    println!();
    println!("SSE ÷ polling, same rate:");
    println!();
    println!("| rate | server CPU | bytes to readers | page requests (200 + 304) | delay p50 | delay p99 |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for pair in runs.chunks(2) {
        if let [sse, poll] = pair {
            println!(
                "| {}/s | {} | {} | {} | {} | {} |",
                sse.rate,
                ratio(
                    sse.server_cpu.unwrap_or(0.0),
                    poll.server_cpu.unwrap_or(0.0)
                ),
                ratio(sse.received as f64, poll.received as f64),
                ratio(
                    (sse.pages + sse.not_modified) as f64,
                    (poll.pages + poll.not_modified) as f64
                ),
                ratio(
                    sse.delay.value_at_quantile(0.5) as f64,
                    poll.delay.value_at_quantile(0.5) as f64
                ),
                ratio(
                    sse.delay.value_at_quantile(0.99) as f64,
                    poll.delay.value_at_quantile(0.99) as f64
                ),
            );
        }
    }
    println!();
    println!(
        "server peak RSS over the whole run (VmHWM): {}",
        mib(rss_peak)
    );
    for run in &runs {
        for sample in &run.error_samples {
            println!("error sample ({}/s): {sample}", run.rate);
        }
    }
    Ok(live_ok && restart_ok)
}
