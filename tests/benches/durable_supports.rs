//! Benchmark (not a test): durable supports per second against the real
//! release server, and the sizes of the widget bundle in `pkg/`.
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench durable_supports
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, so the load generator is not
//! inside the measured process and the server's peak RSS can be read from
//! `/proc/PID/status`. The bench builds nothing itself.
//!
//! Phases, each a fixed number of requests from exactly `CONNECTIONS`
//! keep-alive HTTP/1.1 connections (one connection per client task):
//! 1. warm-up: `PUT …/support`, distinct voter keys;
//! 2. measured: `PUT …/support`, distinct voter keys (a 200 means flushed);
//! 3. comparison: `GET …/support` (same routing and lookups, no write, no
//!    flush), to show what the flush costs.
//!
//! Then the sum of the support counts must equal the number of 200 answers
//! to the PUTs, checked on the live server and again after `kill -9` and a
//! restart on the same data directory.
//!
//! Knobs (environment variables, all bounded):
//! `MEKAAR_BENCH_WARMUP` (5000), `MEKAAR_BENCH_REQUESTS` (100000),
//! `MEKAAR_BENCH_GET_REQUESTS` (100000, 0 skips the phase),
//! `MEKAAR_BENCH_CONNECTIONS` (64), `MEKAAR_BENCH_INITIATIVES` (100),
//! `MEKAAR_BENCH_CLIENT_THREADS` (1, tokio workers of the load generator),
//! `MEKAAR_SERVER_BIN` (path of the server binary).
//!
//! Budgets are printed with pass/fail, never asserted: the run exits non-zero
//! only when it cannot run or an acknowledged support is missing.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::header::{CONTENT_LENGTH, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::{json, Value};
use tokio::net::TcpStream;

const COMMUNITY: &str = "bench";
/// Budget from issue 2 / BRIEF.md.
const BUDGET_SUPPORTS_PER_SEC: f64 = 10_000.0;
const BUDGET_P99_MS: f64 = 50.0;
/// "2 KB" and "80 KB" read strictly as decimal kilobytes.
const BUDGET_LOADER_GZIP_BYTES: u64 = 2_000;
const BUDGET_BUNDLE_BROTLI_BYTES: u64 = 80_000;
/// A request count above this is refused: the bench is always bounded.
const MAX_REQUESTS: u64 = 10_000_000;
/// Linux's USER_HZ, the unit of /proc/*/stat CPU times.
const CLOCK_TICKS_PER_SEC: f64 = 100.0;

struct Config {
    warmup: u64,
    requests: u64,
    get_requests: u64,
    connections: u64,
    initiatives: u64,
    client_threads: usize,
    server_bin: PathBuf,
}

fn env_u64(name: &str, default: u64, max: u64) -> Result<u64, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => match text.trim().replace('_', "").parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!("{name}={text}: expected a whole number ≤ {max}")),
        },
    }
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let server_bin = match std::env::var_os("MEKAAR_SERVER_BIN") {
            Some(path) => PathBuf::from(path),
            None => {
                let target = std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| repo_root().join("target"));
                target.join("release").join("mekaar-server")
            }
        };
        Ok(Config {
            warmup: env_u64("MEKAAR_BENCH_WARMUP", 5_000, MAX_REQUESTS)?,
            requests: env_u64("MEKAAR_BENCH_REQUESTS", 100_000, MAX_REQUESTS)?.max(1),
            get_requests: env_u64("MEKAAR_BENCH_GET_REQUESTS", 100_000, MAX_REQUESTS)?,
            connections: env_u64("MEKAAR_BENCH_CONNECTIONS", 64, 10_000)?.max(1),
            initiatives: env_u64("MEKAAR_BENCH_INITIATIVES", 100, 10_000)?.max(1),
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
            server_bin,
        })
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` (and any filter); there is nothing to filter.
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    match load_benchmark(&config) {
        Ok(ok) => failed |= !ok,
        Err(message) => {
            eprintln!("error: {message}");
            failed = true;
        }
    }
    if let Err(message) = bundle_sizes(&repo_root().join("pkg")) {
        eprintln!("error: {message}");
        failed = true;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

// ---------------------------------------------------------------------------
// The server subprocess

struct ServerProcess {
    child: Child,
    addr: SocketAddr,
}

impl ServerProcess {
    fn start(bin: &Path, data_dir: &Path) -> Result<ServerProcess, String> {
        let mut child = Command::new(bin)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("MEKAAR_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        // "Mekaar server:  http://127.0.0.1:PORT/  (API …)"
        let addr = loop {
            let Some(line) = lines.next() else {
                let _ = child.kill();
                let status = child.wait().map_err(|e| e.to_string())?;
                return Err(format!("the server ended before listening ({status})"));
            };
            let line = line.map_err(|e| e.to_string())?;
            if let Some(rest) = line.trim().strip_prefix("Mekaar server:") {
                let url = rest.split_whitespace().next().unwrap_or("");
                let host = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string();
                break host
                    .parse::<SocketAddr>()
                    .map_err(|e| format!("cannot read the address in {line:?}: {e}"))?;
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(ServerProcess { child, addr })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// `kill -9`: no shutdown hook, no final flush.
    fn kill9(mut self) -> Result<(), String> {
        self.child.kill().map_err(|e| e.to_string())?;
        self.child.wait().map_err(|e| e.to_string())?;
        Ok(())
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_mtime(&path)
        } else {
            entry.metadata().ok()?.modified().ok()
        };
        newest = newest.max(time);
    }
    newest
}

fn check_server_binary(bin: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(bin).map_err(|_| {
        format!(
            "no server binary at {}.\nBuild it first:  cargo build --release -p mekaar-server\n\
             (or point MEKAAR_SERVER_BIN at one)",
            bin.display()
        )
    })?;
    let built = meta.modified().ok();
    let sources = newest_mtime(&repo_root().join("server").join("src"));
    if let (Some(built), Some(sources)) = (built, sources) {
        if sources > built {
            eprintln!(
                "warning: {} is older than server/src; run `cargo build --release -p mekaar-server` to measure the current code",
                bin.display()
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// /proc readings (Linux; None elsewhere)

/// Peak resident set size (VmHWM) in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// utime + stime of a /proc stat file, in seconds.
fn cpu_secs(stat_path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name may hold spaces; fields are counted after its ')'.
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / CLOCK_TICKS_PER_SEC)
}

#[derive(Clone, Copy, Default)]
struct CpuSample {
    server: f64,
    flusher: f64,
    client: f64,
}

fn cpu_sample(server_pid: u32) -> Option<CpuSample> {
    let server = cpu_secs(&format!("/proc/{server_pid}/stat"))?;
    let mut flusher = 0.0;
    for task in std::fs::read_dir(format!("/proc/{server_pid}/task"))
        .ok()?
        .flatten()
    {
        let dir = task.path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim() == "mekaar-flusher" {
            flusher += cpu_secs(&dir.join("stat").to_string_lossy()).unwrap_or(0.0);
        }
    }
    let client = cpu_secs("/proc/self/stat")?;
    Some(CpuSample {
        server,
        flusher,
        client,
    })
}

// ---------------------------------------------------------------------------
// The load

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `PUT …/support`, a new voter key per request: a durable write.
    Support,
    /// `GET …/support`: the same lookups, no write, no flush.
    State,
}

struct Phase {
    kind: Kind,
    /// Voter keys `first_voter .. first_voter + requests`.
    first_voter: u64,
    requests: u64,
}

struct PhaseResult {
    requests: u64,
    ok: u64,
    errors: u64,
    /// A few error descriptions, to show what went wrong.
    error_samples: Vec<String>,
    elapsed: Duration,
    /// Microseconds, every request.
    latency: Histogram<u64>,
    cpu: Option<(CpuSample, CpuSample)>,
}

impl PhaseResult {
    fn per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn ms(&self, quantile: f64) -> f64 {
        self.latency.value_at_quantile(quantile) as f64 / 1000.0
    }
    fn max_ms(&self) -> f64 {
        self.latency.max() as f64 / 1000.0
    }
    /// Average cores busy during the phase.
    fn cores(&self, pick: impl Fn(&CpuSample) -> f64) -> Option<f64> {
        let (before, after) = self.cpu?;
        Some((pick(&after) - pick(&before)) / self.elapsed.as_secs_f64())
    }
}

struct Target {
    addr: SocketAddr,
    host: String,
    initiative_paths: Vec<String>,
}

async fn connect(
    addr: SocketAddr,
) -> Result<hyper::client::conn::http1::SendRequest<Empty<Bytes>>, String> {
    let stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

struct Worker {
    ok: u64,
    errors: u64,
    error_samples: Vec<String>,
    latency: Histogram<u64>,
}

fn new_histogram() -> Histogram<u64> {
    // 1 µs .. 10 min, 3 significant digits.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// One client: one keep-alive connection, one request at a time, until the
/// shared counter has handed out all of the phase's requests.
async fn worker(
    target: Arc<Target>,
    kind: Kind,
    first_voter: u64,
    end: u64,
    next: Arc<AtomicU64>,
) -> Worker {
    let mut result = Worker {
        ok: 0,
        errors: 0,
        error_samples: Vec::new(),
        latency: new_histogram(),
    };
    fn note(result: &mut Worker, what: String) {
        result.errors += 1;
        if result.error_samples.len() < 3 {
            result.error_samples.push(what);
        }
    }
    let mut sender = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= end {
            break;
        }
        let voter = voter_key(first_voter + i);
        let path = &target.initiative_paths[(i % target.initiative_paths.len() as u64) as usize];
        let request = Request::builder()
            .method(match kind {
                Kind::Support => Method::PUT,
                Kind::State => Method::GET,
            })
            .uri(path.as_str())
            .header(HOST, target.host.as_str())
            .header(VOTER_HEADER, voter.as_str())
            .header(CONTENT_LENGTH, "0")
            .body(Empty::<Bytes>::new())
            .expect("a valid request");
        let started = Instant::now();
        let outcome: Result<(u16, Bytes), String> = async {
            if sender.is_none() {
                sender = Some(connect(target.addr).await?);
            }
            let s = sender.as_mut().expect("connected");
            s.ready().await.map_err(|e| format!("connection: {e}"))?;
            let response = s
                .send_request(request)
                .await
                .map_err(|e| format!("request: {e}"))?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("body: {e}"))?
                .to_bytes();
            Ok((status, body))
        }
        .await;
        let micros = started.elapsed().as_micros().max(1) as u64;
        result.latency.saturating_record(micros);
        match outcome {
            Ok((200, _)) => result.ok += 1,
            Ok((status, body)) => {
                let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                note(&mut result, format!("HTTP {status}: {text}"));
            }
            Err(err) => {
                // Drop the connection; the next request opens a new one.
                sender = None;
                note(&mut result, err);
            }
        }
    }
    result
}

async fn run_phase(
    target: &Arc<Target>,
    phase: &Phase,
    connections: u64,
    server_pid: u32,
) -> PhaseResult {
    // Connect everybody first, so the timed part is requests only.
    let next = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_sample(server_pid);
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            tokio::spawn(worker(
                target.clone(),
                phase.kind,
                phase.first_voter,
                phase.requests,
                next.clone(),
            ))
        })
        .collect();
    let mut result = PhaseResult {
        requests: phase.requests,
        ok: 0,
        errors: 0,
        error_samples: Vec::new(),
        elapsed: Duration::ZERO,
        latency: new_histogram(),
        cpu: None,
    };
    for task in tasks {
        let worker = task.await.expect("a client task panicked");
        result.ok += worker.ok;
        result.errors += worker.errors;
        result.error_samples.extend(worker.error_samples);
        result
            .latency
            .add(&worker.latency)
            .expect("same histogram bounds");
    }
    result.elapsed = started.elapsed();
    result.cpu = cpu_before.zip(cpu_sample(server_pid));
    result.error_samples.truncate(5);
    result
}

// ---------------------------------------------------------------------------
// Setup and verification over the admin and public API

/// A server-wide admin token, made by the binary itself (server stopped).
fn make_admin_token(bin: &Path, data_dir: &Path) -> Result<String, String> {
    let output = Command::new(bin)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("admin-token")
        .env("MEKAAR_LOG", "warn")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // "Server admin token (shown once, keep it safe):\n<token>"
    match stdout.lines().map(str::trim).rfind(|l| !l.is_empty()) {
        Some(token) if output.status.success() && !token.contains(' ') => Ok(token.to_string()),
        _ => Err(format!(
            "`mekaar-server admin-token` failed ({}): {stdout}",
            output.status
        )),
    }
}

async fn post_json(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: &Value,
) -> Result<Value, String> {
    let response = client
        .post(&url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("POST {url}: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if status != 201 {
        return Err(format!("POST {url}: HTTP {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("POST {url}: {e}"))
}

/// Creates the community and its initiatives; returns the initiative ids.
async fn seed(
    client: &reqwest::Client,
    server: &ServerProcess,
    server_token: &str,
    initiatives: u64,
) -> Result<Vec<String>, String> {
    let created = post_json(
        client,
        server.url("/api/v1/admin/communities"),
        server_token,
        &json!({ "slug": COMMUNITY, "name": "Benchmark" }),
    )
    .await?;
    let token = created["admin_token"]
        .as_str()
        .ok_or("no admin_token in the created community")?
        .to_string();
    let mut ids = Vec::new();
    for i in 0..initiatives {
        let initiative = post_json(
            client,
            server.url(&format!(
                "/api/v1/admin/communities/{COMMUNITY}/initiatives"
            )),
            &token,
            &json!({ "title": format!("Initiative {i}"), "summary": "" }),
        )
        .await?;
        let id = initiative["id"]
            .as_str()
            .ok_or("no id in the created initiative")?;
        ids.push(id.to_string());
    }
    Ok(ids)
}

/// Sum of the support counts of the initiatives, one public GET each (so a
/// paginated list cannot hide any).
async fn support_total(
    client: &reqwest::Client,
    server: &ServerProcess,
    ids: &[String],
) -> Result<u64, String> {
    let mut total = 0;
    for id in ids {
        let url = server.url(&format!("/api/v1/communities/{COMMUNITY}/initiatives/{id}"));
        let response = client
            .get(&url)
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        if response.status() != 200 {
            return Err(format!("GET {url}: HTTP {}", response.status()));
        }
        let initiative: Value = response.json().await.map_err(|e| e.to_string())?;
        total += initiative["support_count"]
            .as_u64()
            .ok_or_else(|| format!("GET {url}: no support_count"))?;
    }
    Ok(total)
}

// ---------------------------------------------------------------------------

fn load_benchmark(config: &Config) -> Result<bool, String> {
    check_server_binary(&config.server_bin)?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let server_token = make_admin_token(&config.server_bin, data.path())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.client_threads)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let server = ServerProcess::start(&config.server_bin, data.path())?;
    let pid = server.pid();
    println!(
        "server: {} (pid {pid}) on {}, data dir {}",
        config.server_bin.display(),
        server.addr,
        data.path().display()
    );
    let client = reqwest::Client::new();
    let ids = runtime.block_on(seed(&client, &server, &server_token, config.initiatives))?;
    let target = Arc::new(Target {
        addr: server.addr,
        host: server.addr.to_string(),
        initiative_paths: ids
            .iter()
            .map(|id| format!("/api/v1/communities/{COMMUNITY}/initiatives/{id}/support"))
            .collect(),
    });

    let phase = |kind, first_voter, requests| Phase {
        kind,
        first_voter,
        requests,
    };
    println!(
        "load: {} connections, {} client thread(s), {} initiatives; warm-up {} PUTs, then {} PUTs, then {} GETs",
        config.connections, config.client_threads, config.initiatives, config.warmup, config.requests, config.get_requests
    );
    let _ = std::io::stdout().flush();
    let warmup = runtime.block_on(run_phase(
        &target,
        &phase(Kind::Support, 0, config.warmup),
        config.connections,
        pid,
    ));
    let measured = runtime.block_on(run_phase(
        &target,
        &phase(Kind::Support, config.warmup, config.requests),
        config.connections,
        pid,
    ));
    let acknowledged = warmup.ok + measured.ok;
    let live_total = runtime.block_on(support_total(&client, &server, &ids))?;
    // The GETs read the states of the voters that were just written.
    let reads = (config.get_requests > 0).then(|| {
        runtime.block_on(run_phase(
            &target,
            &phase(Kind::State, config.warmup, config.get_requests),
            config.connections,
            pid,
        ))
    });
    let rss = peak_rss_kib(pid);

    // kill -9, restart on the same data dir, count again.
    server.kill9()?;
    let restarted = ServerProcess::start(&config.server_bin, data.path())?;
    let restarted_total = runtime.block_on(support_total(&client, &restarted, &ids))?;
    drop(restarted);

    // ---- report
    println!();
    println!("### Durable supports ({} connections)", config.connections);
    println!();
    let mut rows: Vec<(&str, &PhaseResult)> = vec![("PUT support (durable)", &measured)];
    if let Some(reads) = &reads {
        rows.push(("GET support (no flush)", reads));
    }
    print!("| metric |");
    for (name, _) in &rows {
        print!(" {name} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(rows.len()));
    let line = |label: &str, f: &dyn Fn(&PhaseResult) -> String| {
        print!("| {label} |");
        for (_, r) in &rows {
            print!(" {} |", f(r));
        }
        println!();
    };
    line("requests (measured)", &|r| r.requests.to_string());
    line("time", &|r| format!("{:.2} s", r.elapsed.as_secs_f64()));
    line("throughput", &|r| format!("**{:.0} req/s**", r.per_sec()));
    line("latency p50", &|r| format!("{:.2} ms", r.ms(0.50)));
    line("latency p90", &|r| format!("{:.2} ms", r.ms(0.90)));
    line("latency p99", &|r| format!("{:.2} ms", r.ms(0.99)));
    line("latency max", &|r| format!("{:.2} ms", r.max_ms()));
    line("errors (non-200 or I/O)", &|r| r.errors.to_string());
    let cores = |v: Option<f64>| v.map_or("n/a".to_string(), |c| format!("{:.0} %", c * 100.0));
    line("server CPU (100 % = 1 core)", &|r| {
        cores(r.cores(|c| c.server))
    });
    line("… of which flusher thread", &|r| {
        cores(r.cores(|c| c.flusher))
    });
    line("load generator CPU", &|r| cores(r.cores(|c| c.client)));
    println!(
        "| server peak RSS (VmHWM) | {} |{}",
        rss.map_or("n/a".to_string(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        )),
        " |".repeat(rows.len() - 1)
    );
    println!();
    for (name, r) in rows.iter().chain(std::iter::once(&("warm-up", &warmup))) {
        for sample in &r.error_samples {
            println!("error sample ({name}): {sample}");
        }
    }
    if warmup.errors > 0 {
        println!("warm-up errors: {}", warmup.errors);
    }

    let live_ok = live_total == acknowledged;
    let restart_ok = restarted_total == acknowledged;
    println!(
        "Check: supports acknowledged with 200 (warm-up {} + measured {}) = {acknowledged}; sum of support counts = {live_total} {}; after kill -9 and restart = {restarted_total} {}",
        warmup.ok,
        measured.ok,
        if live_ok { "(equal)" } else { "(DIFFERENT: writes lost or miscounted)" },
        if restart_ok { "(equal)" } else { "(DIFFERENT: acknowledged writes lost)" },
    );
    println!();

    let throughput_ok = measured.per_sec() >= BUDGET_SUPPORTS_PER_SEC;
    let p99_ok = measured.ms(0.99) < BUDGET_P99_MS;
    let errors_ok = measured.errors == 0 && warmup.errors == 0;
    println!("| budget | measured | result |");
    println!("|---|---:|---|");
    println!(
        "| ≥ {:.0} durable supports/s, {} connections | {:.0}/s | {} |",
        BUDGET_SUPPORTS_PER_SEC,
        config.connections,
        measured.per_sec(),
        pass(throughput_ok)
    );
    println!(
        "| p99 well under {BUDGET_P99_MS:.0} ms | {:.2} ms | {} |",
        measured.ms(0.99),
        pass(p99_ok)
    );
    println!(
        "| no errors | {} | {} |",
        measured.errors + warmup.errors,
        pass(errors_ok)
    );
    println!(
        "| every 200 counted, also after kill -9 | {live_total} / {restarted_total} of {acknowledged} | {} |",
        pass(live_ok && restart_ok)
    );
    println!();
    // Budgets are reported, never asserted: only lost writes fail the run.
    Ok(live_ok && restart_ok)
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**FAIL**"
    }
}

// ---------------------------------------------------------------------------
// pkg/ sizes

fn gzip9(data: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory").len() as u64
}

fn brotli11(data: &[u8]) -> u64 {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data).expect("writing to memory");
    }
    out.len() as u64
}

fn bundle_sizes(pkg: &Path) -> Result<(), String> {
    println!("### Widget bundle: {}", pkg.display());
    println!();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(pkg) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    if files.is_empty() {
        println!("pkg/ is empty or missing: no bundle sizes to report.");
        println!();
        return Ok(());
    }
    println!("| file | raw | gzip -9 | brotli -q 11 |");
    println!("|---|---:|---:|---:|");
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    let mut loader_gz = None;
    for path in &files {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (raw, gz, br) = (data.len() as u64, gzip9(&data), brotli11(&data));
        println!("| {name} | {raw} | {gz} | {br} |");
        raw_total += raw;
        gz_total += gz;
        br_total += br;
        if name == "embed.js" {
            loader_gz = Some(gz);
        }
    }
    println!("| **total (all files)** | {raw_total} | {gz_total} | {br_total} |");
    println!();
    println!("Sizes in bytes; 1 KB = 1000 bytes in the budgets.");
    println!();
    println!("| budget | measured | result |");
    println!("|---|---:|---|");
    let loader_ok = loader_gz.is_some_and(|gz| gz <= BUDGET_LOADER_GZIP_BYTES);
    println!(
        "| loader embed.js ≤ 2 KB gzipped | {} | {} |",
        loader_gz.map_or("missing".to_string(), |gz| format!("{gz} B")),
        pass(loader_ok)
    );
    let bundle_ok = br_total <= BUDGET_BUNDLE_BROTLI_BYTES;
    println!(
        "| whole bundle ≤ 80 KB brotli | {br_total} B | {} |",
        pass(bundle_ok)
    );
    println!();
    Ok(())
}
