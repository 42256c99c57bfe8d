//! Benchmark (not a test): 10,000 concurrent SSE viewers of one live poll
//! while 2,000 votes a second arrive, against the real release server.
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench live_viewers
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, as in `durable_supports.rs`
//! (the bench builds nothing itself). The bench first raises its own
//! open-file limit to the hard limit (each viewer is a socket here and one in
//! the server; the server inherits the raised limit). Setup over the admin
//! API: one community and one poll (single choice, 4 options, results
//! `always`, audience `{"kind":"open","max_keys_per_network":100000}`),
//! opened.
//!
//! 1. Viewers: `MEKAAR_BENCH_VIEWERS` (10,000) raw HTTP/1.1 connections each
//!    `GET /api/v1/communities/{c}/polls/{id}/live` (at most
//!    `MEKAAR_BENCH_CONNECT_CONCURRENCY` connecting at once, until each has
//!    its first event, the snapshot). They are tokio tasks on
//!    `MEKAAR_BENCH_CLIENT_THREADS` (1) worker thread(s): a task reads its
//!    socket, undoes the chunked encoding, and takes `total_votes` out of
//!    each `data:` line by a byte scan (no JSON parse), to keep the load
//!    generator's CPU low on the 2 cores it shares with the server.
//! 2. Votes: `MEKAAR_BENCH_VOTES_PER_SEC` (2,000) for
//!    `MEKAAR_BENCH_DURATION_SECS` (25), paced (vote i is sent at
//!    start + i / rate) over `MEKAAR_BENCH_VOTE_CONNECTIONS` (64) keep-alive
//!    connections, each a new voter key, from a separate thread. Each 200
//!    answer (the vote is on disk) carries the totals with this vote in them,
//!    so the bench knows exactly which vote made the total T and when it was
//!    acknowledged: `ack[T]`.
//! 3. Per update a viewer receives (total T, its previous total P):
//!    - newest-vote lag = now − ack[T] (the vote that made it T);
//!    - oldest-vote lag = now − ack[P + 1], the longest any vote newly in
//!      this update waited after its acknowledgement to reach this viewer
//!      (acks come nearly in total order; an update that arrives before the
//!      ack counts 0 and is counted as "before the ack");
//!    - a viewer is *stale* if, while votes arrive, more than 1 s passes
//!      without fresh totals (from the first vote to the final total);
//!      *late* if any vote reached it more than 1 s after its ack.
//! 4. After the last vote every viewer must reach the final total (the number
//!    of 200 answers) within `MEKAAR_BENCH_SETTLE_SECS` (5).
//!
//! Server CPU and RSS come from /proc (`VmRSS` before and with the viewers,
//! `VmHWM` for the peak). Every loop is bounded: the connect phase by a time
//! limit, the votes by count and time, the settle wait by time.
//!
//! Engine and nodes (issue 17): `MEKAAR_BENCH_DATABASE` unset = sled; `pg` = a
//! throwaway PostgreSQL cluster (`scripts/pg-start`, stopped at the end) with
//! a fresh database; a postgres:// URL = that (empty) database.
//! `MEKAAR_BENCH_NODES` (1; more only on PostgreSQL) server processes on the
//! one database: viewer `n` watches node `n % nodes`, voting connection `c`
//! votes on node `c % nodes`, so a vote reaches most viewers through another
//! node; the results are also given per node. With several nodes a vote's
//! total `T` may be acknowledged by more than one node: `ack[T]` keeps the
//! earliest.
//!
//! Budgets are printed with pass/fail, never asserted: the run exits non-zero
//! only when it cannot run.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::Full;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use mekaar_tests::bench::*;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const COMMUNITY: &str = "bench";
/// Budgets of issue 4 / BRIEF.md.
const BUDGET_LAG: Duration = Duration::from_secs(1);
const BUDGET_RSS_KIB: u64 = 500 * 1000 * 1000 / 1024;
/// The most voter keys one network may use in a poll; every vote here comes
/// from 127.0.0.1.
const NETWORK_CAP: u64 = 100_000;
const OPTIONS: u64 = 4;
/// How long connecting all viewers may take before the bench goes on.
const CONNECT_LIMIT: Duration = Duration::from_secs(180);
/// Votes still unsent this long after the planned end are skipped.
const VOTE_OVERRUN: Duration = Duration::from_secs(15);
/// Sockets the bench needs beyond the viewers (votes, admin, slack).
const SPARE_FILES: u64 = 256;

struct Config {
    server_bin: PathBuf,
    topology: Topology,
    viewers: u64,
    votes_per_sec: u64,
    duration: Duration,
    vote_connections: u64,
    connect_concurrency: u64,
    client_threads: usize,
    settle: Duration,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let config = Config {
            server_bin: server_bin(),
            topology: Topology::from_env()?,
            viewers: env_u64("MEKAAR_BENCH_VIEWERS", 10_000, 60_000)?.max(1),
            votes_per_sec: env_u64("MEKAAR_BENCH_VOTES_PER_SEC", 2_000, 50_000)?.max(1),
            duration: Duration::from_secs(env_u64("MEKAAR_BENCH_DURATION_SECS", 25, 600)?.max(1)),
            vote_connections: env_u64("MEKAAR_BENCH_VOTE_CONNECTIONS", 64, 1_000)?.max(1),
            connect_concurrency: env_u64("MEKAAR_BENCH_CONNECT_CONCURRENCY", 200, 10_000)?.max(1),
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
            settle: Duration::from_secs(env_u64("MEKAAR_BENCH_SETTLE_SECS", 5, 120)?.max(1)),
        };
        if config.votes() > NETWORK_CAP {
            return Err(format!(
                "{} votes/s for {} s is {} votes, more than the {NETWORK_CAP} one network may cast in a poll",
                config.votes_per_sec,
                config.duration.as_secs(),
                config.votes()
            ));
        }
        Ok(config)
    }

    fn votes(&self) -> u64 {
        self.votes_per_sec * self.duration.as_secs()
    }
}

fn main() -> ExitCode {
    let Some(config) = report(Config::from_env()) else {
        return ExitCode::FAILURE;
    };
    match run(&config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Raises this process's soft open-file limit to its hard limit (children,
/// the server among them, inherit it); an error when that is too few.
fn raise_open_files(needed: u64) -> Result<u64, String> {
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot raise the open-file limit: {e}"))?;
    if limit < needed {
        return Err(format!(
            "the open-file limit is {limit} (hard limit); {needed} are needed: raise it (ulimit -Hn) or set MEKAAR_BENCH_VIEWERS lower"
        ));
    }
    Ok(limit)
}

// ---------------------------------------------------------------------------
// What viewers and voters share

struct LagStats {
    /// now − ack[T], µs, per fresh update after the votes began.
    newest: Histogram<u64>,
    /// now − ack[P + 1], µs.
    oldest: Histogram<u64>,
    /// Fresh updates (a higher total) after the votes began.
    updates: u64,
    /// … of which arrived before the ack of the vote that made the total.
    before_ack: u64,
    /// A few error descriptions.
    errors: Vec<String>,
}

struct Shared {
    epoch: Instant,
    /// `ack[t]`: when the vote that made the total `t` was acknowledged
    /// (µs since `epoch` + 1; 0 = not yet).
    ack: Vec<AtomicU64>,
    /// When the first vote was sent (µs + 1; 0 = not yet).
    votes_from: AtomicU64,
    /// Per viewer: when it last got a higher total (µs + 1), the total it
    /// has, whether it went stale or got a vote late.
    last_update: Vec<AtomicU64>,
    seen_total: Vec<AtomicU64>,
    stale: Vec<AtomicBool>,
    late: Vec<AtomicBool>,
    /// Viewers that have their first event; that failed to connect; whose
    /// stream ended or broke afterwards; events without totals.
    connected: AtomicU64,
    failed: AtomicU64,
    ended: AtomicU64,
    no_totals: AtomicU64,
    events: AtomicU64,
    stats: Mutex<LagStats>,
}

impl Shared {
    fn new(viewers: usize, votes: usize) -> Shared {
        let zeros = |n: usize| (0..n).map(|_| AtomicU64::new(0)).collect::<Vec<_>>();
        let falses = |n: usize| (0..n).map(|_| AtomicBool::new(false)).collect::<Vec<_>>();
        Shared {
            epoch: Instant::now(),
            ack: zeros(votes + 1),
            votes_from: AtomicU64::new(0),
            last_update: zeros(viewers),
            seen_total: zeros(viewers),
            stale: falses(viewers),
            late: falses(viewers),
            connected: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            ended: AtomicU64::new(0),
            no_totals: AtomicU64::new(0),
            events: AtomicU64::new(0),
            stats: Mutex::new(LagStats {
                newest: new_histogram(),
                oldest: new_histogram(),
                updates: 0,
                before_ack: 0,
                errors: Vec::new(),
            }),
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64 + 1
    }

    fn stats(&self) -> std::sync::MutexGuard<'_, LagStats> {
        self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn error(&self, what: String) {
        let mut stats = self.stats();
        if stats.errors.len() < 5 {
            stats.errors.push(what);
        }
    }

    /// A viewer got an event with `total` votes.
    fn update(&self, viewer: usize, total: u64) {
        let now = self.now();
        let previous = self.seen_total[viewer].load(Ordering::Relaxed);
        if total <= previous {
            return;
        }
        self.seen_total[viewer].store(total, Ordering::Relaxed);
        let last = self.last_update[viewer].swap(now, Ordering::Relaxed);
        let from = self.votes_from.load(Ordering::Relaxed);
        if from == 0 {
            return;
        }
        let budget = BUDGET_LAG.as_micros() as u64;
        if now - last.max(from) > budget {
            self.stale[viewer].store(true, Ordering::Relaxed);
        }
        let ack = |t: u64| {
            self.ack
                .get(t as usize)
                .map_or(0, |a| a.load(Ordering::Relaxed))
        };
        let (newest, oldest) = (ack(total), ack(previous + 1));
        let lag = |at: u64| if at == 0 { 0 } else { now.saturating_sub(at) };
        if lag(oldest) > budget {
            self.late[viewer].store(true, Ordering::Relaxed);
        }
        let mut stats = self.stats();
        stats.updates += 1;
        stats.before_ack += u64::from(newest == 0 || newest > now);
        stats.newest.saturating_record(lag(newest).max(1));
        stats.oldest.saturating_record(lag(oldest).max(1));
    }
}

// ---------------------------------------------------------------------------
// A viewer: one raw HTTP/1.1 connection reading an SSE stream

/// Undoes `Transfer-Encoding: chunked`.
#[derive(Clone, Copy)]
enum Chunked {
    Size(u64),
    /// After the size (an extension may follow), up to the line's end.
    SizeRest(u64),
    Data(u64),
    DataEnd,
    Done,
}

impl Chunked {
    /// Appends the payload in `input` to `out`.
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        while !input.is_empty() {
            *self = match *self {
                Chunked::Size(n) => {
                    let b = input[0];
                    input = &input[1..];
                    match (b as char).to_digit(16) {
                        Some(d) => Chunked::Size(
                            n.checked_mul(16)
                                .and_then(|n| n.checked_add(u64::from(d)))
                                .ok_or("chunk size overflows")?,
                        ),
                        None if b == b'\n' => Chunked::SizeRest(n).end_of_size(),
                        None => Chunked::SizeRest(n),
                    }
                }
                Chunked::SizeRest(n) => {
                    let b = input[0];
                    input = &input[1..];
                    if b == b'\n' {
                        Chunked::SizeRest(n).end_of_size()
                    } else {
                        Chunked::SizeRest(n)
                    }
                }
                Chunked::Data(n) => {
                    let take = (n as usize).min(input.len());
                    out.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    match n - take as u64 {
                        0 => Chunked::DataEnd,
                        rest => Chunked::Data(rest),
                    }
                }
                // The CRLF after a chunk's data.
                Chunked::DataEnd => {
                    let b = input[0];
                    input = &input[1..];
                    if b == b'\n' {
                        Chunked::Size(0)
                    } else {
                        Chunked::DataEnd
                    }
                }
                Chunked::Done => return Ok(()),
            };
        }
        Ok(())
    }

    fn end_of_size(self) -> Chunked {
        match self {
            Chunked::SizeRest(0) => Chunked::Done,
            Chunked::SizeRest(n) => Chunked::Data(n),
            other => other,
        }
    }
}

/// Reads the response head; returns whether the body is chunked and the
/// bytes after the head.
async fn read_head(stream: &mut TcpStream) -> Result<(bool, Vec<u8>), String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let end = loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("closed before the response head".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 16 * 1024 {
            return Err("response head too long".into());
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let status_line = head.lines().next().unwrap_or("");
    if status_line.split_whitespace().nth(1) != Some("200") {
        let body = String::from_utf8_lossy(&buf[end..buf.len().min(end + 200)]).into_owned();
        return Err(format!("{status_line}: {body}"));
    }
    if !head.contains("content-type: text/event-stream") {
        return Err(format!("not an event stream: {head}"));
    }
    let chunked = head.contains("transfer-encoding: chunked");
    Ok((chunked, buf[end..].to_vec()))
}

/// Takes the complete lines out of `lines` and reports each `data:` line's
/// total to `shared`. Returns how many events it saw.
fn take_lines(shared: &Shared, viewer: usize, lines: &mut Vec<u8>) -> u64 {
    let mut events = 0;
    let mut start = 0;
    while let Some(i) = lines[start..].iter().position(|&b| b == b'\n') {
        let line = &lines[start..start + i];
        if let Some(data) = line.strip_prefix(b"data:") {
            events += 1;
            match json_u64_field(data, "total_votes") {
                Some(total) => shared.update(viewer, total),
                None => {
                    shared.no_totals.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        start += i + 1;
    }
    lines.drain(..start);
    events
}

async fn viewer(
    n: usize,
    shared: Arc<Shared>,
    addr: SocketAddr,
    request: Arc<Vec<u8>>,
    connecting: Arc<Semaphore>,
) {
    let permit = connecting.acquire().await;
    let connected = async {
        let mut stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream
            .write_all(&request)
            .await
            .map_err(|e| format!("write: {e}"))?;
        let (chunked, rest) = read_head(&mut stream).await?;
        Ok::<_, String>((stream, chunked, rest))
    }
    .await;
    let (mut stream, chunked, rest) = match connected {
        Ok(c) => c,
        Err(e) => {
            shared.failed.fetch_add(1, Ordering::Relaxed);
            shared.error(format!("viewer {n}: {e}"));
            return;
        }
    };
    let mut decoder = chunked.then_some(Chunked::Size(0));
    let mut lines = Vec::with_capacity(512);
    let mut feed = |input: &[u8], lines: &mut Vec<u8>| match &mut decoder {
        Some(decoder) => decoder.feed(input, lines),
        None => {
            lines.extend_from_slice(input);
            Ok(())
        }
    };
    let mut permit = Some(permit);
    let mut input = rest;
    let mut buf = [0u8; 2048];
    let outcome: Result<(), String> = async {
        loop {
            feed(&input, &mut lines)?;
            let events = take_lines(&shared, n, &mut lines);
            if events > 0 {
                shared.events.fetch_add(events, Ordering::Relaxed);
                if permit.take().is_some() {
                    // The snapshot is here: connected.
                    shared.connected.fetch_add(1, Ordering::Relaxed);
                }
            }
            let read = stream
                .read(&mut buf)
                .await
                .map_err(|e| format!("read: {e}"))?;
            if read == 0 {
                return Err("the server ended the stream".into());
            }
            input.clear();
            input.extend_from_slice(&buf[..read]);
        }
    }
    .await;
    if let Err(e) = outcome {
        if permit.is_some() {
            shared.failed.fetch_add(1, Ordering::Relaxed);
        } else {
            shared.ended.fetch_add(1, Ordering::Relaxed);
        }
        shared.error(format!("viewer {n}: {e}"));
    }
}

// ---------------------------------------------------------------------------
// The votes

struct VoteTarget {
    /// Each node's address and Host header; connection `c` votes on node `c % nodes`.
    nodes: Vec<(SocketAddr, String)>,
    path: String,
    votes: u64,
    per_sec: u64,
}

/// One voting connection: takes the next vote, waits for its planned time,
/// sends it, and records its acknowledgement under the total it made.
async fn voter(
    target: Arc<VoteTarget>,
    node: usize,
    shared: Arc<Shared>,
    next: Arc<AtomicU64>,
    start: tokio::time::Instant,
) -> (PhaseResult, u64) {
    let bodies: Vec<Bytes> = (0..OPTIONS)
        .map(|c| Bytes::from(format!("{{\"choices\":[{c}]}}")))
        .collect();
    let planned_end = Duration::from_secs_f64(target.votes as f64 / target.per_sec as f64);
    let deadline = start + planned_end + VOTE_OVERRUN;
    let mut result = PhaseResult::empty();
    let mut skipped = 0;
    let mut sender = None;
    let (addr, host) = &target.nodes[node];
    while let Some(i) = next_request(&next, target.votes) {
        let at = start + Duration::from_secs_f64(i as f64 / target.per_sec as f64);
        if at >= deadline || tokio::time::Instant::now() >= deadline {
            skipped += 1;
            continue;
        }
        tokio::time::sleep_until(at).await;
        let body = bodies[(i % OPTIONS) as usize].clone();
        let request = Request::builder()
            .method(Method::POST)
            .uri(target.path.as_str())
            .header(HOST, host.as_str())
            .header(VOTER_HEADER, voter_key(i).as_str())
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_LENGTH, body.len())
            .body(Full::new(body))
            .expect("a valid request");
        let started = Instant::now();
        let outcome = send_with(*addr, &mut sender, request).await;
        if let Ok((200, _, body)) = &outcome {
            let acked = shared.now();
            match json_u64_field(body, "total_votes") {
                Some(total) => {
                    if let Some(slot) = shared.ack.get(total as usize) {
                        // The earliest, should two nodes both answer with this total.
                        let _ = slot.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |at| {
                            (at == 0 || acked < at).then_some(acked)
                        });
                    }
                }
                None => result.note("a 200 without total_votes in the receipt".into()),
            }
        }
        result.record(started.elapsed().as_micros().max(1) as u64, outcome);
        result.requests += 1;
    }
    (result, skipped)
}

/// Sends the paced votes from a thread of their own (so their timing does
/// not wait on the viewers' thread); returns what they saw and how many
/// were skipped by the time bound.
fn run_votes(
    target: Arc<VoteTarget>,
    shared: Arc<Shared>,
    connections: u64,
) -> std::thread::JoinHandle<Result<(PhaseResult, u64), String>> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(runtime.block_on(async {
            let next = Arc::new(AtomicU64::new(0));
            let start = tokio::time::Instant::now();
            shared.votes_from.store(shared.now(), Ordering::SeqCst);
            let tasks: Vec<_> = (0..connections)
                .map(|c| {
                    let node = c as usize % target.nodes.len();
                    tokio::spawn(voter(
                        target.clone(),
                        node,
                        shared.clone(),
                        next.clone(),
                        start,
                    ))
                })
                .collect();
            let mut total = PhaseResult::empty();
            let mut skipped = 0;
            for task in tasks {
                let (result, s) = task.await.expect("a voter task panicked");
                total.merge(result);
                skipped += s;
            }
            total.elapsed = start.elapsed();
            (total, skipped)
        }))
    })
}

// ---------------------------------------------------------------------------

fn ms(micros: u64) -> String {
    format!("{:.1} ms", micros as f64 / 1000.0)
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**FAIL**"
    }
}

fn run(config: &Config) -> Result<(), String> {
    let files = raise_open_files(config.viewers + SPARE_FILES)?;
    check_server_binary(&config.server_bin)?;
    let (mut nodes, server_token) = Deployment::start(&config.server_bin, &config.topology)?;
    nodes.print();
    let runtime = client_runtime(config.client_threads)?;
    let server = nodes.server(0)?;
    let addrs = nodes.addrs()?;
    let node_count = addrs.len();
    let client = reqwest::Client::new();
    let poll = runtime.block_on(async {
        let token = create_community(
            &client,
            server,
            &server_token,
            &json!({ "slug": COMMUNITY, "name": "Benchmark" }),
        )
        .await?;
        let body = json!({
            "question": "Live",
            "options": (0..OPTIONS).map(|o| format!("Option {o}")).collect::<Vec<_>>(),
            "max_choices": 1,
            "results": "always",
            "audience": { "kind": "open", "max_keys_per_network": NETWORK_CAP },
        });
        create_open_poll(&client, server, COMMUNITY, &token, &body).await
    })?;
    let viewers = config.viewers as usize;
    let votes = config.votes();
    let shared = Arc::new(Shared::new(viewers, votes as usize));
    println!(
        "open-file limit {files}; {} viewers (round-robin over {node_count} node(s)) on {} client thread(s), then {} votes/s for {} s over {} connections (round-robin over the nodes)",
        config.viewers,
        config.client_threads,
        config.votes_per_sec,
        config.duration.as_secs(),
        config.vote_connections
    );
    let _ = std::io::stdout().flush();
    let rss_idle = nodes.status_kib_sum("VmRSS");

    // ---- 1. connect the viewers
    let path = format!("/api/v1/communities/{COMMUNITY}/polls/{poll}/live");
    let requests: Vec<Arc<Vec<u8>>> = addrs
        .iter()
        .map(|addr| {
            Arc::new(
                format!(
                    "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                )
                .into_bytes(),
            )
        })
        .collect();
    let connecting = Arc::new(Semaphore::new(config.connect_concurrency as usize));
    let mut tasks = JoinSet::new();
    let connect_started = Instant::now();
    for n in 0..viewers {
        tasks.spawn_on(
            viewer(
                n,
                shared.clone(),
                addrs[n % node_count],
                requests[n % node_count].clone(),
                connecting.clone(),
            ),
            runtime.handle(),
        );
    }
    let mut last_print = Instant::now();
    loop {
        let done = shared.connected.load(Ordering::SeqCst) + shared.failed.load(Ordering::SeqCst);
        if done >= config.viewers || connect_started.elapsed() > CONNECT_LIMIT {
            break;
        }
        if last_print.elapsed() > Duration::from_secs(5) {
            println!(
                "  connecting: {} of {} viewers",
                shared.connected.load(Ordering::SeqCst),
                config.viewers
            );
            let _ = std::io::stdout().flush();
            last_print = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let connect_time = connect_started.elapsed();
    let connected = shared.connected.load(Ordering::SeqCst);
    let connect_failed = shared.failed.load(Ordering::SeqCst);
    // Let the server settle after the burst of connections.
    std::thread::sleep(Duration::from_secs(1));
    let rss_viewers = nodes.status_kib_sum("VmRSS");
    println!(
        "viewers: {connected} connected, {connect_failed} failed, in {:.1} s",
        connect_time.as_secs_f64()
    );
    let _ = std::io::stdout().flush();

    // ---- 2. the votes, while everyone watches
    let target = Arc::new(VoteTarget {
        nodes: addrs.iter().map(|addr| (*addr, addr.to_string())).collect(),
        path: format!("/api/v1/communities/{COMMUNITY}/polls/{poll}/vote"),
        votes,
        per_sec: config.votes_per_sec,
    });
    let waits = sample_waits(&nodes);
    let cpu_before = nodes.cpu_sample();
    let vote_started = Instant::now();
    let (vote_result, vote_skipped) = run_votes(target, shared.clone(), config.vote_connections)
        .join()
        .map_err(|_| "the vote thread panicked".to_string())??;
    let voting = vote_started.elapsed();
    let votes_until = shared.now();
    let cpu = cpu_before.zip(nodes.cpu_sample());
    // Collected after the settle phase: reading the statistics takes a second.
    if let Some(waits) = &waits {
        waits.stop();
    }
    let final_total = vote_result.ok;

    // ---- 3. every viewer must reach the final total
    let settle_started = Instant::now();
    // Per node: viewer n watches node n % nodes.
    let at_final_per_node = || {
        let mut per_node = vec![0u64; node_count];
        for (n, t) in shared.seen_total.iter().enumerate() {
            if t.load(Ordering::Relaxed) >= final_total {
                per_node[n % node_count] += 1;
            }
        }
        per_node
    };
    let at_final = || at_final_per_node().iter().sum::<u64>();
    while at_final() < connected && settle_started.elapsed() < config.settle {
        std::thread::sleep(Duration::from_millis(20));
    }
    let reached = at_final();
    let reached_per_node = at_final_per_node();
    let waits = waits.map(WaitSampler::finish).transpose()?;
    let rss_peak = nodes.status_kib_sum("VmHWM");
    let rss_end = nodes.status_kib_sum("VmRSS");
    let ended = shared.ended.load(Ordering::SeqCst);
    let error_samples = shared.stats().errors.clone();
    // The server goes first: viewers that hang up on a live server would
    // each get a line in its log.
    nodes.kill_all()?;
    tasks.abort_all();
    runtime.block_on(async { while tasks.join_next().await.is_some() {} });

    // ---- report
    let mut final_lag = new_histogram();
    for (seen, last) in shared.seen_total.iter().zip(&shared.last_update) {
        if seen.load(Ordering::Relaxed) >= final_total && final_total > 0 {
            let at = last.load(Ordering::Relaxed);
            final_lag.saturating_record(at.saturating_sub(votes_until).max(1));
        }
    }
    let stale = shared
        .stale
        .iter()
        .filter(|s| s.load(Ordering::Relaxed))
        .count() as u64;
    let late = shared
        .late
        .iter()
        .filter(|s| s.load(Ordering::Relaxed))
        .count() as u64;
    let stats = shared.stats();
    let (server_cores, client_cores, database_cores) = match cpu {
        Some((before, after)) => {
            let secs = voting.as_secs_f64();
            (
                Some((after.server - before.server) / secs),
                Some((after.client - before.client) / secs),
                after
                    .database
                    .zip(before.database)
                    .map(|(a, b)| (a - b) / secs),
            )
        }
        None => (None, None, None),
    };
    let q = |h: &Histogram<u64>, quantile: f64| ms(h.value_at_quantile(quantile));

    println!();
    println!(
        "### Live poll: {} SSE viewers, {} votes/s for {} s ({})",
        config.viewers,
        config.votes_per_sec,
        config.duration.as_secs(),
        config.topology.short()
    );
    println!();
    println!("| metric | value |");
    println!("|---|---:|");
    println!(
        "| viewers connected (snapshot received) | {connected} of {} ({connect_failed} failed) in {:.1} s |",
        config.viewers,
        connect_time.as_secs_f64()
    );
    println!(
        "| votes acknowledged (200) | {} of {} planned in {:.2} s ({:.0}/s), {} errors, {} skipped by the time bound |",
        vote_result.ok,
        votes,
        voting.as_secs_f64(),
        vote_result.ok as f64 / voting.as_secs_f64(),
        vote_result.errors,
        vote_skipped
    );
    println!(
        "| vote latency p50 / p99 / max | {:.2} / {:.2} / {:.2} ms |",
        vote_result.ms(0.50),
        vote_result.ms(0.99),
        vote_result.max_ms()
    );
    println!(
        "| fresh updates received (all viewers, while voting) | {} ({:.1} per viewer per s) |",
        stats.updates,
        stats.updates as f64 / connected.max(1) as f64 / voting.as_secs_f64()
    );
    println!(
        "| lag, newest vote in the update: p50 / p99 / max | {} / {} / {} |",
        q(&stats.newest, 0.50),
        q(&stats.newest, 0.99),
        ms(stats.newest.max())
    );
    println!(
        "| lag, oldest vote new in the update: p50 / p99 / max | {} / {} / {} |",
        q(&stats.oldest, 0.50),
        q(&stats.oldest, 0.99),
        ms(stats.oldest.max())
    );
    println!(
        "| updates that arrived before the vote's 200 | {} |",
        stats.before_ack
    );
    println!("| viewers > 1 s without fresh totals while votes arrived | {stale} |");
    println!("| viewers that got some vote > 1 s after its 200 | {late} |");
    println!(
        "| viewers at the final total ({final_total}) within {} s | {reached} of {connected} |",
        config.settle.as_secs()
    );
    if node_count > 1 {
        let viewers_of = |node: usize| (0..viewers).filter(|n| n % node_count == node).count();
        for (node, reached) in reached_per_node.iter().enumerate() {
            println!(
                "| … of node {}'s {} viewers | {reached} |",
                node_name(node),
                viewers_of(node)
            );
        }
    }
    println!(
        "| last vote's 200 → viewer at final total: p50 / p99 / max | {} / {} / {} |",
        q(&final_lag, 0.50),
        q(&final_lag, 0.99),
        ms(final_lag.max())
    );
    println!("| streams ended or broken after connecting | {ended} |");
    println!(
        "| events without totals | {} |",
        shared.no_totals.load(Ordering::SeqCst)
    );
    println!(
        "| server CPU while voting, all nodes (100 % = 1 core) | {} |",
        cores(server_cores)
    );
    println!(
        "| PostgreSQL CPU while voting (postmaster and backends) | {} |",
        cores(database_cores)
    );
    println!(
        "| load generator CPU while voting (viewers + voters) | {} |",
        cores(client_cores)
    );
    println!(
        "| server RSS, poll open, no viewers (VmRSS, sum over nodes) | {} |",
        mib(rss_idle)
    );
    println!(
        "| server RSS with the viewers connected (VmRSS, sum over nodes) | {} |",
        mib(rss_viewers)
    );
    if let (Some(idle), Some(with)) = (rss_idle, rss_viewers) {
        println!(
            "| … per viewer | {:.1} KiB |",
            with.saturating_sub(idle) as f64 / connected.max(1) as f64
        );
    }
    println!(
        "| server RSS at the end (VmRSS, sum over nodes) | {} |",
        mib(rss_end)
    );
    println!(
        "| server peak RSS (VmHWM, sum over nodes) | {} |",
        mib(rss_peak)
    );
    println!();
    if let Some(waits) = &waits {
        waits.print(vote_result.requests);
    }
    for sample in error_samples.iter().chain(&vote_result.error_samples) {
        println!("error sample: {sample}");
    }
    println!();

    let all_connected = connected == config.viewers;
    let lag_ok = stats.oldest.max() <= BUDGET_LAG.as_micros() as u64
        && final_lag.max() <= BUDGET_LAG.as_micros() as u64;
    let fresh_ok = stale == 0 && late == 0 && reached == connected && ended == 0;
    let rss_ok = rss_peak.is_some_and(|k| k < BUDGET_RSS_KIB);
    let votes_ok = vote_result.errors == 0 && vote_skipped == 0;
    println!("| budget | measured | result |");
    println!("|---|---:|---|");
    println!(
        "| {} concurrent SSE viewers | {connected} connected | {} |",
        config.viewers,
        pass(all_connected)
    );
    println!(
        "| {} votes/s arrive (paced), no errors | {:.0}/s, {} errors, {vote_skipped} skipped | {} |",
        config.votes_per_sec,
        vote_result.ok as f64 / voting.as_secs_f64(),
        vote_result.errors,
        pass(votes_ok)
    );
    println!(
        "| every vote reaches every viewer within 1 s | max {} (oldest vote), {} (final total) | {} |",
        ms(stats.oldest.max()),
        ms(final_lag.max()),
        pass(lag_ok)
    );
    println!(
        "| no viewer > 1 s without fresh totals | {stale} stale, {late} late, {} not at the final total, {ended} streams ended | {} |",
        connected - reached.min(connected),
        pass(fresh_ok)
    );
    println!(
        "| server peak RSS < 500 MB | {} | {} |",
        mib(rss_peak),
        pass(rss_ok)
    );
    println!();
    println!(
        "The load generator shares the machine's cores with the server: viewers on {} thread(s), voters on 1.",
        config.client_threads
    );
    Ok(())
}
