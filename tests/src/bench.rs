//! Helpers shared by the benches in `benches/`: the release server as a
//! subprocess, bounded knobs from the environment, /proc readings, raw
//! HTTP/1.1 connections and the admin API.
//!
//! The benches take no arguments: `cargo bench` passes `--bench` (and any
//! filter), and there is nothing to filter.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use hdrhistogram::Histogram;
use http_body_util::{BodyExt, Empty};
use hyper::body::Body;
use hyper::client::conn::http1::SendRequest;
use hyper::header::ETAG;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tempfile::TempDir;
use tokio::net::TcpStream;

/// Linux's USER_HZ, the unit of /proc/*/stat CPU times.
const CLOCK_TICKS_PER_SEC: f64 = 100.0;

/// The knob `name` from the environment: `default` when unset, an error
/// above `max` or when not a whole number (`_` separators allowed).
pub fn env_u64(name: &str, default: u64, max: u64) -> Result<u64, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => match text.trim().replace('_', "").parse::<u64>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!("{name}={text}: expected a whole number ≤ {max}")),
        },
    }
}

/// `result`'s value, or `None` with its error printed.
pub fn report<T>(result: Result<T, String>) -> Option<T> {
    result.map_err(|message| eprintln!("error: {message}")).ok()
}

/// A bench's exit: success when `outcome` is `Ok(true)` (its consistency checks held),
/// failure when they did not or when it could not run (the error printed).
pub fn exit_code(outcome: Result<bool, String>) -> std::process::ExitCode {
    match report(outcome) {
        Some(true) => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::FAILURE,
    }
}

/// The workspace root (the parent of `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `MEKAAR_SERVER_BIN`, else `mekaar-server` in the release target directory.
pub fn server_bin() -> PathBuf {
    match std::env::var_os("MEKAAR_SERVER_BIN") {
        Some(path) => PathBuf::from(path),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join("target"));
            target.join("release").join("mekaar-server")
        }
    }
}

// ---------------------------------------------------------------------------
// The server subprocess

/// A running `mekaar-server serve` on 127.0.0.1 (killed when dropped).
pub struct ServerProcess {
    child: Child,
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// The server for benches whose simulated clients stand for many
    /// networks: they all come from 127.0.0.1, so the cap of connections per
    /// network is lifted (`benches/connections.rs` measures the cap itself).
    pub fn start(bin: &Path, data_dir: &Path) -> Result<ServerProcess, String> {
        ServerProcess::start_with_args(bin, data_dir, &["--max-connections-per-network", "1000000"])
    }

    /// The server with `args` after `serve --listen 127.0.0.1:0`.
    pub fn start_with_args(
        bin: &Path,
        data_dir: &Path,
        args: &[&str],
    ) -> Result<ServerProcess, String> {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let (server, _) = ServerProcess::spawn(bin, data_dir, &all, false)?;
        Ok(server)
    }

    /// `mekaar-server demo`: the server and the demo host site (`demo/*.html`, another
    /// origin that embeds the widgets, as in the README's run command), each on a free
    /// loopback port. Returns the server and the host site's origin (`http://127.0.0.1:PORT`).
    ///
    /// The demo allows its host site's origin by the port it is given, so the ports are
    /// picked here (a port taken by somebody else in between makes the start fail).
    pub fn start_demo(bin: &Path, data_dir: &Path) -> Result<(ServerProcess, String), String> {
        let listen = format!("127.0.0.1:{}", free_loopback_port()?);
        let demo_listen = format!("127.0.0.1:{}", free_loopback_port()?);
        let args = ["demo", "--listen", &listen, "--demo-listen", &demo_listen];
        let (server, host) = ServerProcess::spawn(bin, data_dir, &args, true)?;
        let host = host.ok_or("the demo printed no host site")?;
        Ok((server, host))
    }

    /// Starts `bin --data-dir DATA args…` and reads its stdout (for at most a minute)
    /// until it printed its address and, with `demo`, the demo host site's.
    fn spawn(
        bin: &Path,
        data_dir: &Path,
        args: &[&str],
        demo: bool,
    ) -> Result<(ServerProcess, Option<String>), String> {
        let mut child = Command::new(bin)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env("MEKAAR_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        // Killed when dropped, also on every early return below.
        let mut server = ServerProcess {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        // A thread reads the lines (and keeps draining stdout afterwards, so the server
        // never blocks on a full pipe); this one waits for them with a deadline.
        let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = lines_tx.send(line);
            }
        });
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let mut addr = None;
        let mut host = None;
        while addr.is_none() || (demo && host.is_none()) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = match lines_rx.recv_timeout(left) {
                Ok(line) => line,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{} printed no address within a minute",
                        bin.display()
                    ))
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    let _ = server.child.kill();
                    let status = server.child.wait().map_err(|e| e.to_string())?;
                    return Err(format!("the server ended before listening ({status})"));
                }
            };
            // "Mekaar server:  http://127.0.0.1:PORT/  (API …)"
            // "Demo host site: http://127.0.0.1:PORT/  (another origin, …)"
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("Mekaar server:") {
                let url = first_url(rest);
                addr = Some(
                    url.trim_start_matches("http://")
                        .parse::<SocketAddr>()
                        .map_err(|e| format!("cannot read the address in {line:?}: {e}"))?,
                );
            } else if let Some(rest) = line.strip_prefix("Demo host site:") {
                host = Some(first_url(rest).to_string());
            }
        }
        server.addr = addr.expect("read above");
        Ok((server, host))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// `kill -9`: no shutdown hook, no final flush.
    pub fn kill9(mut self) -> Result<(), String> {
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

/// The first word of `text`, without a trailing `/`.
fn first_url(text: &str) -> &str {
    text.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
}

/// Waits (at most `limit`) until the server has compressed its widget bundle,
/// which it does in the background at start-up (brotli -q 11 of every file:
/// seconds of one core here), so that no measurement shares the CPU with it.
/// `GET /embed.js` with `Accept-Encoding: br` is answered once that is done.
/// Returns how long it waited.
pub fn wait_for_bundle_compression(addr: SocketAddr, limit: Duration) -> Result<Duration, String> {
    use std::io::Read;
    let started = std::time::Instant::now();
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| format!("connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(limit))
        .and_then(|()| stream.set_write_timeout(Some(Duration::from_secs(10))))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /embed.js HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("GET /embed.js: {e}"))?;
    let mut head = [0u8; 16];
    let n = stream
        .read(&mut head)
        .map_err(|e| format!("GET /embed.js (waiting for the bundle compression): {e}"))?;
    if !head[..n].starts_with(b"HTTP/1.1 200") {
        return Err(format!(
            "GET /embed.js: {}",
            String::from_utf8_lossy(&head[..n])
        ));
    }
    // The rest of the answer, bounded by its size and the read timeout.
    let mut rest = Vec::new();
    let _ = stream.take(16 << 20).read_to_end(&mut rest);
    Ok(started.elapsed())
}

/// A loopback port that was free a moment ago.
pub fn free_loopback_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
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

/// An error when `bin` is missing; a warning when it is older than server/src.
pub fn check_server_binary(bin: &Path) -> Result<(), String> {
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

/// A server-wide admin token, made by the binary itself (server stopped).
pub fn make_admin_token(bin: &Path, data_dir: &Path) -> Result<String, String> {
    make_admin_token_on(bin, data_dir, None)
}

/// [`make_admin_token`] in the PostgreSQL database at `database`, if given.
pub fn make_admin_token_on(
    bin: &Path,
    data_dir: &Path,
    database: Option<&str>,
) -> Result<String, String> {
    let mut command = Command::new(bin);
    command.arg("--data-dir").arg(data_dir);
    if let Some(url) = database {
        command.arg("--database").arg(url);
    }
    let output = command
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

/// Checks `bin`, makes a server admin token in a new data directory, builds
/// the load generator's runtime (`client_threads` workers), starts the
/// server and says so. Returns the data directory, the token, the runtime
/// and the server: bound in this order, they drop in reverse (the server
/// first, the data directory last).
pub fn setup(
    bin: &Path,
    client_threads: usize,
) -> Result<(TempDir, String, tokio::runtime::Runtime, ServerProcess), String> {
    check_server_binary(bin)?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let server_token = make_admin_token(bin, data.path())?;
    let runtime = client_runtime(client_threads)?;
    let server = ServerProcess::start(bin, data.path())?;
    let waited = wait_for_bundle_compression(server.addr, Duration::from_secs(180))?;
    println!(
        "server: {} (pid {}) on {}, data dir {}; its start-up bundle compression ended {:.1} s after it listened",
        bin.display(),
        server.pid(),
        server.addr,
        data.path().display(),
        waited.as_secs_f64()
    );
    let _ = std::io::stdout().flush();
    Ok((data, server_token, runtime, server))
}

/// The load generator's runtime: `threads` tokio workers.
pub fn client_runtime(threads: usize) -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------
// /proc readings (Linux; None elsewhere)

/// A `VmHWM` (peak) or `VmRSS` (current) line of /proc/PID/status, in KiB.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim_start_matches(':').split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// KiB as "12.3 MiB", or "n/a".
pub fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".to_string(), |k| {
        format!("{:.1} MiB", k as f64 / 1024.0)
    })
}

/// utime + stime of a /proc stat file, in seconds.
pub fn cpu_secs(stat_path: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name may hold spaces; fields are counted after its ')'.
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / CLOCK_TICKS_PER_SEC)
}

/// CPU seconds used so far.
#[derive(Clone, Copy, Default)]
pub struct CpuSample {
    /// The whole server process.
    pub server: f64,
    /// The server's `mekaar-flusher` thread(s).
    pub flusher: f64,
    /// This process (the load generator).
    pub client: f64,
    /// PostgreSQL's processes (a throwaway cluster's postmaster and its
    /// children); none on sled (its work is in the server) or on a given URL.
    pub database: Option<f64>,
}

pub fn cpu_sample(server_pid: u32) -> Option<CpuSample> {
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
        database: None,
    })
}

// ---------------------------------------------------------------------------
// The load

/// Latencies in microseconds: 1 µs .. 10 min, 3 significant digits.
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// A raw keep-alive HTTP/1.1 connection (Nagle off).
pub async fn connect(addr: SocketAddr) -> Result<SendRequest<Empty<Bytes>>, String> {
    connect_with(addr).await
}

/// [`connect`] for requests with a body of type `B` (e.g. `Full<Bytes>`).
pub async fn connect_with<B>(addr: SocketAddr) -> Result<SendRequest<B>, String>
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
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

/// The next request number of a phase, while below `end`.
pub fn next_request(next: &AtomicU64, end: u64) -> Option<u64> {
    Some(next.fetch_add(1, Ordering::Relaxed)).filter(|&i| i < end)
}

/// What [`send`] got: the status, the ETag and the body.
pub type Outcome = Result<(u16, Option<String>, Bytes), String>;

/// One request on a keep-alive connection (connecting first when there is
/// none, dropping it after an error). Returns the status, the ETag and the body.
pub async fn send(
    addr: SocketAddr,
    sender: &mut Option<SendRequest<Empty<Bytes>>>,
    request: Request<Empty<Bytes>>,
) -> Outcome {
    send_with(addr, sender, request).await
}

/// [`send`] for requests with a body of type `B` (e.g. `Full<Bytes>`).
pub async fn send_with<B>(
    addr: SocketAddr,
    sender: &mut Option<SendRequest<B>>,
    request: Request<B>,
) -> Outcome
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if sender.is_none() {
        *sender = Some(connect_with(addr).await?);
    }
    let result = async {
        let s = sender.as_mut().expect("connected");
        s.ready().await.map_err(|e| format!("connection: {e}"))?;
        let response = s
            .send_request(request)
            .await
            .map_err(|e| format!("request: {e}"))?;
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok((status, etag, body))
    }
    .await;
    if result.is_err() {
        // Drop the connection; the next request opens a new one.
        *sender = None;
    }
    result
}

/// The whole number after `"key":` in a JSON text (the first one), without
/// parsing the JSON: cheap enough for every event of thousands of streams.
pub fn json_u64_field(text: &[u8], key: &str) -> Option<u64> {
    let needle = format!("\"{key}\":");
    let start = text
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())?
        + needle.len();
    let digits = text[start..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .fold(None, |n: Option<u64>, &b| {
            Some(
                n.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u64::from(b - b'0')),
            )
        });
    digits
}

/// What a phase of requests (or one client of it) saw.
pub struct PhaseResult {
    pub requests: u64,
    /// 200 answers.
    pub ok: u64,
    /// 304 answers.
    pub not_modified: u64,
    pub errors: u64,
    pub body_bytes: u64,
    /// A few error descriptions, to show what went wrong.
    pub error_samples: Vec<String>,
    pub elapsed: Duration,
    /// Microseconds, every request.
    pub latency: Histogram<u64>,
    pub cpu: Option<(CpuSample, CpuSample)>,
}

impl PhaseResult {
    pub fn empty() -> PhaseResult {
        PhaseResult {
            requests: 0,
            ok: 0,
            not_modified: 0,
            errors: 0,
            body_bytes: 0,
            error_samples: Vec::new(),
            elapsed: Duration::ZERO,
            latency: new_histogram(),
            cpu: None,
        }
    }
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    pub fn ms(&self, quantile: f64) -> f64 {
        self.latency.value_at_quantile(quantile) as f64 / 1000.0
    }
    pub fn max_ms(&self) -> f64 {
        self.latency.max() as f64 / 1000.0
    }
    /// Average cores busy during the phase.
    pub fn cores(&self, pick: impl Fn(&CpuSample) -> f64) -> Option<f64> {
        let (before, after) = self.cpu?;
        Some((pick(&after) - pick(&before)) / self.elapsed.as_secs_f64())
    }
    /// Average cores of PostgreSQL's processes during the phase, when measured.
    pub fn database_cores(&self) -> Option<f64> {
        let (before, after) = self.cpu?;
        Some((after.database? - before.database?) / self.elapsed.as_secs_f64())
    }
    /// Adds another client's counts, samples and latencies (not its time or CPU).
    pub fn merge(&mut self, other: PhaseResult) {
        self.requests += other.requests;
        self.ok += other.ok;
        self.not_modified += other.not_modified;
        self.errors += other.errors;
        self.body_bytes += other.body_bytes;
        self.error_samples.extend(other.error_samples);
        self.latency
            .add(&other.latency)
            .expect("same histogram bounds");
    }
    /// Records a request that took `micros`: a 200 is ok, anything else an error.
    pub fn record(&mut self, micros: u64, outcome: Outcome) {
        self.latency.saturating_record(micros);
        match outcome {
            Ok((200, _, _)) => self.ok += 1,
            Ok((status, _, body)) => self.note_status(status, &body),
            Err(err) => self.note(err),
        }
    }
    /// Counts an unexpected status as an error, with the start of its body.
    pub fn note_status(&mut self, status: u16, body: &[u8]) {
        let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        self.note(format!("HTTP {status}: {text}"));
    }
    /// Counts an error, keeping the first few descriptions.
    pub fn note(&mut self, what: String) {
        self.errors += 1;
        if self.error_samples.len() < 3 {
            self.error_samples.push(what);
        }
    }
}

// ---------------------------------------------------------------------------
// The report: Markdown tables with a column per phase

/// The header of a table with a column per `(name, result)`.
pub fn print_table_head(columns: &[(&str, &PhaseResult)]) {
    print!("| metric |");
    for (name, _) in columns {
        print!(" {name} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(columns.len()));
}

/// One row: `label`, then `f` of each column's result.
pub fn print_row(
    columns: &[(&str, &PhaseResult)],
    label: &str,
    f: &dyn Fn(&PhaseResult) -> String,
) {
    print!("| {label} |");
    for (_, r) in columns {
        print!(" {} |", f(r));
    }
    println!();
}

/// The rows every table starts with: requests, time, throughput, latencies.
pub fn print_timing_rows(columns: &[(&str, &PhaseResult)]) {
    let line = |label: &str, f: &dyn Fn(&PhaseResult) -> String| print_row(columns, label, f);
    line("requests (measured)", &|r| r.requests.to_string());
    line("time", &|r| format!("{:.2} s", r.elapsed.as_secs_f64()));
    line("throughput", &|r| format!("**{:.0} req/s**", r.per_sec()));
    line("latency p50", &|r| format!("{:.2} ms", r.ms(0.50)));
    line("latency p90", &|r| format!("{:.2} ms", r.ms(0.90)));
    line("latency p99", &|r| format!("{:.2} ms", r.ms(0.99)));
    line("latency max", &|r| format!("{:.2} ms", r.max_ms()));
}

/// Average cores as "150 %" (100 % = 1 core), or "n/a".
pub fn cores(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |c| format!("{:.0} %", c * 100.0))
}

// ---------------------------------------------------------------------------
// The admin API

/// An admin request with a bearer token and a JSON body; an error unless
/// the answer is `expect`.
pub async fn admin_send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: &Value,
    expect: u16,
) -> Result<Value, String> {
    let response = client
        .request(method.clone(), &url)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("{method} {url}: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if status != expect {
        return Err(format!("{method} {url}: HTTP {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{method} {url}: {e}"))
}

/// Creates a community (`body`) with the server admin token; returns the
/// community's admin token.
pub async fn create_community(
    client: &reqwest::Client,
    server: &ServerProcess,
    server_token: &str,
    body: &Value,
) -> Result<String, String> {
    let created = admin_send(
        client,
        reqwest::Method::POST,
        server.url("/api/v1/admin/communities"),
        server_token,
        body,
        201,
    )
    .await?;
    Ok(created["admin_token"]
        .as_str()
        .ok_or("no admin_token in the created community")?
        .to_string())
}

/// Creates a poll (`body`, a `PollCreate`) with the community's admin token
/// and opens it; returns the poll's id.
pub async fn create_open_poll(
    client: &reqwest::Client,
    server: &ServerProcess,
    community: &str,
    token: &str,
    body: &Value,
) -> Result<String, String> {
    let created = admin_send(
        client,
        reqwest::Method::POST,
        server.url(&format!("/api/v1/admin/communities/{community}/polls")),
        token,
        body,
        201,
    )
    .await?;
    let id = created["poll"]["id"]
        .as_str()
        .ok_or("no poll.id in the created poll")?
        .to_string();
    admin_send(
        client,
        reqwest::Method::POST,
        server.url(&format!(
            "/api/v1/admin/communities/{community}/polls/{id}/state"
        )),
        token,
        &serde_json::json!({ "action": "open" }),
        200,
    )
    .await?;
    Ok(id)
}

/// A poll's totals as its admin sees them: `(total_votes, sum of the
/// per-option totals)`.
pub async fn poll_totals(
    client: &reqwest::Client,
    server: &ServerProcess,
    community: &str,
    token: &str,
    id: &str,
) -> Result<(u64, u64), String> {
    let url = server.url(&format!("/api/v1/admin/communities/{community}/polls/{id}"));
    let response = client
        .get(&url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("GET {url}: HTTP {status}: {text}"));
    }
    let view: Value = serde_json::from_str(&text).map_err(|e| format!("GET {url}: {e}"))?;
    let total = view["results"]["total_votes"]
        .as_u64()
        .ok_or_else(|| format!("GET {url}: no results.total_votes"))?;
    let sum = view["results"]["totals"]
        .as_array()
        .ok_or_else(|| format!("GET {url}: no results.totals"))?
        .iter()
        .filter_map(Value::as_u64)
        .sum();
    Ok((total, sum))
}

// ---------------------------------------------------------------------------
// The engine and the nodes (issue 17): `MEKAAR_BENCH_DATABASE`, `MEKAAR_BENCH_NODES`

/// The most server processes a bench starts on one database.
pub const MAX_NODES: usize = 4;

/// Where the benched servers keep their data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseChoice {
    /// sled in each node's data directory (`MEKAAR_BENCH_DATABASE` unset, empty or `sled`).
    Sled,
    /// A throwaway PostgreSQL cluster from `scripts/pg-start`, stopped at the end (`pg`).
    Throwaway,
    /// An existing, empty PostgreSQL database (any postgres:// URL).
    Url(String),
}

/// The engine and how many server processes run on it.
#[derive(Clone, Debug)]
pub struct Topology {
    pub database: DatabaseChoice,
    pub nodes: usize,
}

impl Topology {
    /// `MEKAAR_BENCH_DATABASE` (unset = sled, `pg` = a throwaway cluster, or a
    /// postgres:// URL of an empty database) and `MEKAAR_BENCH_NODES` (1; more
    /// only on PostgreSQL, at most [`MAX_NODES`]).
    pub fn from_env() -> Result<Topology, String> {
        let database = match std::env::var("MEKAAR_BENCH_DATABASE") {
            Err(_) => DatabaseChoice::Sled,
            Ok(text) => match text.trim() {
                "" | "sled" => DatabaseChoice::Sled,
                "pg" | "postgres" | "postgresql" => DatabaseChoice::Throwaway,
                url if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                    DatabaseChoice::Url(url.to_string())
                }
                _ => {
                    return Err(
                        "MEKAAR_BENCH_DATABASE: expected sled (or unset), pg (a throwaway cluster) or a postgres:// URL of an empty database"
                            .to_string(),
                    )
                }
            },
        };
        let nodes = env_u64("MEKAAR_BENCH_NODES", 1, MAX_NODES as u64)?.max(1) as usize;
        if nodes > 1 && database == DatabaseChoice::Sled {
            return Err(format!(
                "MEKAAR_BENCH_NODES={nodes} needs PostgreSQL (MEKAAR_BENCH_DATABASE=pg or a postgres:// URL): sled is one process's database"
            ));
        }
        Ok(Topology { database, nodes })
    }

    /// "sled, 1 node" or "PostgreSQL (throwaway cluster), 2 nodes".
    pub fn describe(&self) -> String {
        let engine = match &self.database {
            DatabaseChoice::Sled => "sled",
            DatabaseChoice::Throwaway => "PostgreSQL (throwaway cluster of scripts/pg-start)",
            DatabaseChoice::Url(_) => "PostgreSQL (MEKAAR_BENCH_DATABASE URL)",
        };
        let nodes = if self.nodes == 1 {
            "1 node".to_string()
        } else {
            format!("{} nodes on one database", self.nodes)
        };
        format!("{engine}, {nodes}")
    }

    /// "sled" / "PostgreSQL" and the nodes, short, for table titles.
    pub fn short(&self) -> String {
        let engine = match self.database {
            DatabaseChoice::Sled => "sled",
            _ => "PostgreSQL",
        };
        format!(
            "{engine}, {} node{}",
            self.nodes,
            if self.nodes == 1 { "" } else { "s" }
        )
    }
}

/// A throwaway cluster of `scripts/pg-start` in a directory of its own;
/// `scripts/pg-stop` stops it and removes the directory when dropped (also
/// when the start failed halfway).
pub struct PgCluster {
    dir: PathBuf,
    /// The cluster's `postgres` database (`postgres://postgres@127.0.0.1:PORT/postgres`).
    pub url: String,
}

impl PgCluster {
    pub fn start() -> Result<PgCluster, String> {
        let dir = tempfile::Builder::new()
            .prefix("mekaar-bench-pg.")
            .tempdir()
            .map_err(|e| format!("a directory for the cluster: {e}"))?
            .keep();
        let mut cluster = PgCluster {
            dir,
            url: String::new(),
        };
        let script = repo_root().join("scripts").join("pg-start");
        let output = Command::new(&script)
            .arg(&cluster.dir)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        match stdout.lines().map(str::trim).rfind(|l| !l.is_empty()) {
            Some(url) if output.status.success() && url.starts_with("postgres://") => {
                cluster.url = url.to_string();
                Ok(cluster)
            }
            _ => Err(format!(
                "scripts/pg-start failed ({}): {stdout}",
                output.status
            )),
        }
    }

    /// The postmaster's process id (the first line of `DATA/postmaster.pid`).
    pub fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.dir.join("data").join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let script = repo_root().join("scripts").join("pg-stop");
        let stopped = Command::new(&script)
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .status();
        if !matches!(stopped, Ok(status) if status.success()) {
            eprintln!(
                "warning: `scripts/pg-stop {}` failed ({stopped:?}); stop the cluster by hand",
                self.dir.display()
            );
        }
    }
}

/// Runs `future` on a runtime of its own (for setup outside the load
/// generator's runtime).
fn block_on_own<T>(future: impl std::future::Future<Output = T>) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    Ok(runtime.block_on(future))
}

/// `CREATE DATABASE name` in the cluster at `base`; returns the new database's URL.
fn create_database(base: &str, name: &str) -> Result<String, String> {
    block_on_own(async {
        let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
            .await
            .map_err(|e| format!("connecting to the cluster: {e}"))?;
        let connection = tokio::spawn(connection);
        let made = client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .map_err(|e| format!("CREATE DATABASE {name}: {e}"));
        drop(client);
        let _ = connection.await;
        made
    })??;
    Ok(crate::with_database(base, name))
}

/// The servers of a bench: `nodes` processes of `mekaar-server serve`, each
/// on its own loopback port with its own data directory, all on one database
/// (sled: one node in its data directory). Dropped in this order: the
/// servers (killed), their data directories, then the throwaway cluster.
pub struct Deployment {
    servers: Vec<Option<ServerProcess>>,
    data_dirs: Vec<TempDir>,
    cluster: Option<PgCluster>,
    database_url: Option<String>,
    bin: PathBuf,
    pub topology: Topology,
}

impl Deployment {
    /// Makes the database (a fresh one in a throwaway cluster for `pg`), the
    /// data directories and a server admin token, and starts the nodes.
    pub fn start(bin: &Path, topology: &Topology) -> Result<(Deployment, String), String> {
        let (cluster, database_url) = match &topology.database {
            DatabaseChoice::Sled => (None, None),
            DatabaseChoice::Url(url) => (None, Some(url.clone())),
            DatabaseChoice::Throwaway => {
                let cluster = PgCluster::start()?;
                let url = create_database(&cluster.url, "mekaar_bench")?;
                (Some(cluster), Some(url))
            }
        };
        let mut deployment = Deployment {
            servers: Vec::new(),
            data_dirs: Vec::new(),
            cluster,
            database_url,
            bin: bin.to_path_buf(),
            topology: topology.clone(),
        };
        for _ in 0..topology.nodes {
            deployment
                .data_dirs
                .push(tempfile::tempdir().map_err(|e| e.to_string())?);
        }
        // On PostgreSQL the token is in the database, good on every node.
        let token = make_admin_token_on(
            bin,
            deployment.data_dirs[0].path(),
            deployment.database_url.as_deref(),
        )?;
        for node in 0..topology.nodes {
            let server = deployment.spawn(node)?;
            deployment.servers.push(Some(server));
        }
        // Every node compresses the bundle at start-up: measure after that.
        for (node, addr) in deployment.addrs()?.into_iter().enumerate() {
            let waited = wait_for_bundle_compression(addr, Duration::from_secs(180))?;
            println!(
                "node {}: start-up bundle compression ended {:.1} s after it listened",
                node_name(node),
                waited.as_secs_f64()
            );
        }
        Ok((deployment, token))
    }

    fn spawn(&self, node: usize) -> Result<ServerProcess, String> {
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--max-connections-per-network",
            "1000000",
        ];
        if let Some(url) = &self.database_url {
            args.extend_from_slice(&["--database", url]);
        }
        let (server, _) =
            ServerProcess::spawn(&self.bin, self.data_dirs[node].path(), &args, false)?;
        Ok(server)
    }

    pub fn nodes(&self) -> usize {
        self.data_dirs.len()
    }

    /// Node `node`, an error while it is killed.
    pub fn server(&self, node: usize) -> Result<&ServerProcess, String> {
        self.servers
            .get(node)
            .and_then(Option::as_ref)
            .ok_or_else(|| format!("node {} is not running", node_name(node)))
    }

    /// The running nodes, with their numbers.
    pub fn running(&self) -> impl Iterator<Item = (usize, &ServerProcess)> {
        self.servers
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s.as_ref()?)))
    }

    /// Every node's address (an error when one is killed).
    pub fn addrs(&self) -> Result<Vec<SocketAddr>, String> {
        (0..self.nodes())
            .map(|n| Ok(self.server(n)?.addr))
            .collect()
    }

    /// `kill -9` of node `node`.
    pub fn kill9(&mut self, node: usize) -> Result<(), String> {
        let server = self.servers[node]
            .take()
            .ok_or_else(|| format!("node {} is not running", node_name(node)))?;
        server.kill9()
    }

    /// Starts node `node` again on its data directory and the database.
    pub fn restart(&mut self, node: usize) -> Result<(), String> {
        if self.servers[node].is_some() {
            return Err(format!("node {} is running", node_name(node)));
        }
        let server = self.spawn(node)?;
        self.servers[node] = Some(server);
        Ok(())
    }

    /// Kills every node (`kill -9`), e.g. before dropping viewers.
    pub fn kill_all(&mut self) -> Result<(), String> {
        for node in 0..self.nodes() {
            if self.servers[node].is_some() {
                self.kill9(node)?;
            }
        }
        Ok(())
    }

    /// The running servers' pids.
    pub fn pids(&self) -> Vec<u32> {
        self.running().map(|(_, s)| s.pid()).collect()
    }

    /// A /proc/PID/status field summed over the running nodes (KiB).
    pub fn status_kib_sum(&self, field: &str) -> Option<u64> {
        self.running()
            .map(|(_, s)| status_kib(s.pid(), field))
            .sum()
    }

    /// A line per node: its letter, pid, address and data directory, and the database.
    pub fn print(&self) {
        println!("engine: {}", self.topology.describe());
        for (i, server) in self.running() {
            println!(
                "node {}: {} (pid {}) on {}, data dir {}",
                node_name(i),
                self.bin.display(),
                server.pid(),
                server.addr,
                self.data_dirs[i].path().display()
            );
        }
        if let Some(url) = &self.database_url {
            println!("database: {}", redact_password(url));
        }
        let _ = std::io::stdout().flush();
    }

    /// CPU so far of the nodes (summed), the load generator and, for a
    /// throwaway cluster, PostgreSQL's processes.
    pub fn cpu_sample(&self) -> Option<CpuSample> {
        let mut total = CpuSample {
            client: cpu_secs("/proc/self/stat")?,
            database: self
                .cluster
                .as_ref()
                .and_then(PgCluster::postmaster_pid)
                .and_then(process_tree_cpu_secs),
            ..CpuSample::default()
        };
        for pid in self.pids() {
            let one = cpu_sample(pid)?;
            total.server += one.server;
            total.flusher += one.flusher;
        }
        Some(total)
    }

    /// The database's URL, for [`WaitSampler`] (none on sled).
    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref()
    }
}

/// Node 0 is "A", node 1 "B", …
pub fn node_name(node: usize) -> char {
    (b'A' + (node % 26) as u8) as char
}

/// `url` with any password replaced by `***`.
fn redact_password(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[start..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..start],
            &authority[..colon],
            &url[start + at..]
        ),
        _ => url.to_string(),
    }
}

/// CPU seconds of `root` (with its reaped children) and its live children:
/// the postmaster and its backends.
fn process_tree_cpu_secs(root: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{root}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime, stime, cutime, cstime: fields 14..17 of stat, 11..14 after the name.
    let mut total = 0.0;
    for i in 11..15 {
        total += fields.get(i)?.parse::<f64>().ok()? / CLOCK_TICKS_PER_SEC;
    }
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        // ppid is field 4 of stat, 1 after the name.
        if fields.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(root) {
            total += cpu_secs(&format!("/proc/{pid}/stat")).unwrap_or(0.0);
        }
    }
    Some(total)
}

/// Runs `check` (every 100 ms, for at most `wait`) until it reports
/// agreement; returns its last answer. Several nodes may need a moment to
/// see each other's writes.
pub async fn until_agreed<T, F, Fut>(wait: Duration, mut check: F) -> Result<(T, bool), String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(T, bool), String>>,
{
    let deadline = std::time::Instant::now() + wait;
    let rounds = wait.as_millis() / 100 + 1;
    let mut last = check().await?;
    for _ in 0..rounds {
        if last.1 || std::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        last = check().await?;
    }
    Ok(last)
}

/// `MEKAAR_BENCH_AGREE_SECS` (5): how long the checks wait for the nodes to agree.
pub fn agree_wait() -> Result<Duration, String> {
    Ok(Duration::from_secs(env_u64(
        "MEKAAR_BENCH_AGREE_SECS",
        5,
        120,
    )?))
}

/// Samples `pg_stat_activity` of the benched database every 50 ms from a
/// thread of its own, while it runs (at most an hour): what the server's
/// connections are doing (waiting for the client = the server, for a lock, for
/// the WAL to be flushed, …).
pub struct WaitSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<WaitCounts, String>>>,
}

/// What [`WaitSampler`] saw: samples taken, and per state/wait event the
/// number of backend-samples.
#[derive(Default)]
pub struct WaitCounts {
    pub samples: u64,
    pub counts: std::collections::BTreeMap<String, u64>,
    /// The most backends seen `active` at once, and their sum over the samples.
    pub max_active: u64,
    pub active_sum: u64,
    /// Transactions of the database (`pg_stat_database`, less the sampler's own)
    /// and the cluster's WAL fsyncs and records (`pg_stat_wal`) meanwhile.
    pub transactions: i64,
    pub wal_syncs: i64,
    pub wal_records: i64,
    /// Rows inserted, updated and deleted per table (`pg_stat_user_tables`) meanwhile.
    pub table_writes: Vec<(String, i64)>,
}

/// Rows inserted + updated + deleted so far, per table of the database.
async fn table_writes(
    client: &tokio_postgres::Client,
) -> Result<std::collections::BTreeMap<String, i64>, String> {
    let rows = client
        .query(
            "SELECT relname::text, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables",
            &[],
        )
        .await
        .map_err(|e| format!("pg_stat_user_tables: {e}"))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// `(transactions of this database, WAL syncs, WAL records)` so far.
async fn database_counters(client: &tokio_postgres::Client) -> Result<(i64, i64, i64), String> {
    let row = client
        .query_one(
            "SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database \
             WHERE datname = current_database()), wal_sync, wal_records FROM pg_stat_wal",
            &[],
        )
        .await
        .map_err(|e| format!("pg_stat_database / pg_stat_wal: {e}"))?;
    Ok((row.get(0), row.get(1), row.get(2)))
}

impl WaitSampler {
    pub fn start(url: &str) -> WaitSampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let url = url.to_string();
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            block_on_own(async move {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .map_err(|e| format!("the wait sampler: {e}"))?;
                let connection = tokio::spawn(connection);
                let query = client
                    .prepare(
                        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity \
                         WHERE datname = current_database() AND pid <> pg_backend_pid() \
                         AND application_name = 'mekaar-server'",
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                let mut counts = WaitCounts::default();
                let before = database_counters(&client).await?;
                let tables_before = table_writes(&client).await?;
                let until = std::time::Instant::now() + Duration::from_secs(3600);
                while !flag.load(Ordering::Relaxed) && std::time::Instant::now() < until {
                    let rows = client.query(&query, &[]).await.map_err(|e| e.to_string())?;
                    counts.samples += 1;
                    let mut active = 0;
                    for row in rows {
                        let state: Option<String> = row.get(0);
                        let kind: Option<String> = row.get(1);
                        let event: Option<String> = row.get(2);
                        let state = state.unwrap_or_else(|| "?".into());
                        active += u64::from(state == "active");
                        let key = match (kind, event) {
                            (Some(kind), Some(event)) => format!("{state}: {kind}/{event}"),
                            _ => format!("{state}: on CPU"),
                        };
                        *counts.counts.entry(key).or_default() += 1;
                    }
                    counts.max_active = counts.max_active.max(active);
                    counts.active_sum += active;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                // The statistics reach the views within a second or so.
                tokio::time::sleep(Duration::from_millis(1200)).await;
                let after = database_counters(&client).await?;
                let mut tables: Vec<(String, i64)> = table_writes(&client)
                    .await?
                    .into_iter()
                    .map(|(name, n)| {
                        let was = tables_before.get(&name).copied().unwrap_or(0);
                        (name, n - was)
                    })
                    .filter(|(_, n)| *n > 0)
                    .collect();
                tables.sort_by_key(|t| std::cmp::Reverse(t.1));
                counts.table_writes = tables;
                // Each sample was a transaction of its own, as was the first reading.
                counts.transactions = after.0 - before.0 - counts.samples as i64 - 2;
                counts.wal_syncs = after.1 - before.1;
                counts.wal_records = after.2 - before.2;
                drop(client);
                let _ = connection.await;
                Ok(counts)
            })?
        });
        WaitSampler {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops sampling now, without waiting (the thread then reads the
    /// statistics after a second or so; [`WaitSampler::finish`] collects them).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Stops sampling; returns what was seen (after about a second: the
    /// statistics views lag).
    pub fn finish(mut self) -> Result<WaitCounts, String> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .expect("finished once")
            .join()
            .map_err(|_| "the wait sampler panicked".to_string())?
    }
}

impl Drop for WaitSampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl WaitCounts {
    /// A Markdown paragraph: the server's connections per state and wait event, as a
    /// share of the backend-samples, and how many were active on average; and
    /// transactions and WAL fsyncs per request, for `requests` requests.
    pub fn print(&self, requests: u64) {
        let per = |n: i64| n as f64 / requests.max(1) as f64;
        println!(
            "PostgreSQL while measuring: {} transactions ({:.2} per request), {} WAL fsyncs ({:.3} per request, {:.1} requests per fsync), {} WAL records ({:.1} per request)",
            self.transactions,
            per(self.transactions),
            self.wal_syncs,
            per(self.wal_syncs),
            requests as f64 / self.wal_syncs.max(1) as f64,
            self.wal_records,
            per(self.wal_records)
        );
        if !self.table_writes.is_empty() {
            let tables: Vec<String> = self
                .table_writes
                .iter()
                .take(8)
                .map(|(name, n)| format!("{name} {:.2}", per(*n)))
                .collect();
            println!();
            println!("Rows written per request, by table: {}", tables.join(", "));
        }
        println!();
        let all: u64 = self.counts.values().sum();
        if self.samples == 0 || all == 0 {
            println!("PostgreSQL wait events: no samples");
            return;
        }
        let mut rows: Vec<(&String, &u64)> = self.counts.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1));
        println!(
            "PostgreSQL backends of the servers, sampled every 50 ms ({} samples): on average {:.1} of {:.1} connections active (at most {} at once)",
            self.samples,
            self.active_sum as f64 / self.samples as f64,
            all as f64 / self.samples as f64,
            self.max_active
        );
        println!();
        println!("| state: wait event | share of backend-samples |");
        println!("|---|---:|");
        for (key, n) in rows.iter().take(12) {
            println!("| {key} | {:.1} % |", **n as f64 * 100.0 / all as f64);
        }
        println!();
    }
}

/// Starts a [`WaitSampler`] when the deployment is on PostgreSQL.
pub fn sample_waits(deployment: &Deployment) -> Option<WaitSampler> {
    deployment.database_url().map(WaitSampler::start)
}
