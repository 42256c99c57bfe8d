//! One network holds 20,000 idle sockets; does everybody else still get answers?
//!
//! ```sh
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench connections
//! ```
//!
//! The release server runs as a subprocess with its default connection limits
//! (1,024 per network). The "attacking network" is 127.0.0.2: two child
//! processes of this bench (each needs an open file per socket, and one
//! process may not hold 20,000 here) open `MEKAAR_BENCH_IDLE_SOCKETS` (default
//! 20,000) TCP connections from it and send nothing, holding them for
//! `MEKAAR_BENCH_HOLD_SECS` (default 30, longer than the 15 s head timeout).
//! Meanwhile a probe on 127.0.0.1, another network, makes one request per
//! fresh connection every 20 ms and records how long each answer took. The
//! same probe runs first without the attack, for the ratio.
//!
//! Everything goes to 127.0.0.0/8; every loop is bounded in count and time.
//! The bench fails when a probe fails during the attack or when the server
//! let the attacking network hold more than its limit.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use mekaar_tests::bench::{
    check_server_binary, env_u64, exit_code, make_admin_token, mib, new_histogram, server_bin,
    status_kib, ServerProcess,
};

/// The network the idle sockets come from.
const ATTACKER: &str = "127.0.0.2";
/// Attacking processes (one process may not hold all sockets here).
const ATTACKERS: u64 = 2;
/// The server's default limit per network (see `connections::ConnectionLimits`).
const PER_NETWORK: u64 = 1024;
/// Pause between probes.
const PROBE_EVERY: Duration = Duration::from_millis(20);
/// Longest a probe may take before it counts as failed.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest the attackers may take to open their sockets.
const CONNECT_LIMIT: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    if let Ok(spec) = std::env::var("MEKAAR_BENCH_ATTACK") {
        return attacker(&spec);
    }
    exit_code(run())
}

fn run() -> Result<bool, String> {
    let sockets = env_u64("MEKAAR_BENCH_IDLE_SOCKETS", 20_000, 100_000)?;
    let hold = Duration::from_secs(env_u64("MEKAAR_BENCH_HOLD_SECS", 30, 600)?.max(1));
    let baseline_probes = env_u64("MEKAAR_BENCH_BASELINE_PROBES", 300, 100_000)?;
    let limit = rlimit::increase_nofile_limit(u64::MAX)
        .map_err(|e| format!("cannot raise the open-file limit: {e}"))?;
    let per_attacker = sockets.div_ceil(ATTACKERS);
    if limit < per_attacker + 64 {
        return Err(format!(
            "the open-file limit is {limit}; each attacker needs {per_attacker}: set MEKAAR_BENCH_IDLE_SOCKETS lower"
        ));
    }
    let bin = server_bin();
    check_server_binary(&bin)?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let token = make_admin_token(&bin, data.path())?;
    let server = ServerProcess::start_with_args(&bin, data.path(), &[])?;
    println!(
        "server: {} (pid {}) on {}; {sockets} idle sockets from {ATTACKER} held {} s; probes from 127.0.0.1",
        bin.display(),
        server.pid(),
        server.addr,
        hold.as_secs()
    );

    let (baseline, baseline_failures) = probe(
        server.addr,
        Instant::now() + Duration::from_secs(60),
        baseline_probes,
    );
    let rss_before = status_kib(server.pid(), "VmRSS");

    // The attack: children that open their sockets and hold them.
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut children = Vec::new();
    for _ in 0..ATTACKERS {
        let child = Command::new(&exe)
            .env(
                "MEKAAR_BENCH_ATTACK",
                format!("{}|{}|{}", server.addr, per_attacker, hold.as_secs()),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start an attacker: {e}"))?;
        children.push(child);
    }
    let started = Instant::now();
    let addr = server.addr;
    let prober = std::thread::spawn(move || probe(addr, started + hold, u64::MAX));
    // The most connections the server held at once, sampled every second.
    let mut open_most = 0;
    while started.elapsed() < hold {
        std::thread::sleep(Duration::from_secs(1));
        if let Ok(counts) = metrics(server.addr, &token) {
            open_most = open_most.max(field(&counts, "open"));
        }
    }
    let (during, during_failures) = prober.join().map_err(|_| "the probe panicked")?;
    let rss_peak = status_kib(server.pid(), "VmHWM");
    let mut attack_lines = Vec::new();
    for mut child in children {
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = stdout.read_to_string(&mut out);
        }
        let _ = child.wait();
        attack_lines.push(out.trim().to_string());
    }
    let after = metrics(server.addr, &token)?;

    println!("attackers: {}", attack_lines.join("; "));
    println!(
        "server during the attack: at most {open_most} connections open (limit {PER_NETWORK} for {ATTACKER}, + probe and metrics)"
    );
    println!("server counters after: {after}");
    println!(
        "server memory: VmRSS {} before the attack, VmHWM {} at its end",
        mib(rss_before),
        mib(rss_peak)
    );
    println!();
    println!("| probe (fresh connection + GET /healthz from 127.0.0.1) | n | failed | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    row("without the attack", &baseline, baseline_failures);
    row(
        &format!("while {ATTACKER} holds {sockets} idle sockets"),
        &during,
        during_failures,
    );
    let ratio =
        during.value_at_quantile(0.99) as f64 / baseline.value_at_quantile(0.99).max(1) as f64;
    println!("p99 during / p99 without: {ratio:.1}×");

    let mut ok = true;
    if during_failures > 0 {
        eprintln!("FAILED: {during_failures} probe(s) got no answer during the attack");
        ok = false;
    }
    // The attacker's sockets at the server never exceed its limit (the probe
    // and the metrics request hold at most two more).
    if open_most > PER_NETWORK + 2 {
        eprintln!(
            "FAILED: the server held {open_most} connections, more than {PER_NETWORK} + the probe"
        );
        ok = false;
    }
    // Every attacking socket was refused at once or admitted (and later let
    // go by the head timeout, which makes room for the next ones).
    if field(&after, "refused_network_full") + field(&after, "accepted") < sockets {
        eprintln!("FAILED: sockets neither refused nor admitted");
        ok = false;
    }
    drop(server);
    Ok(ok)
}

fn row(what: &str, h: &Histogram<u64>, failed: u64) {
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "| {what} | {} | {failed} | {:.2} | {:.2} | {:.2} |",
        h.len(),
        ms(0.5),
        ms(0.99),
        h.max() as f64 / 1000.0
    );
}

/// Probes until `until` or `count` probes, one fresh connection each.
fn probe(addr: SocketAddr, until: Instant, count: u64) -> (Histogram<u64>, u64) {
    let mut histogram = new_histogram();
    let mut failures = 0;
    let mut done = 0;
    while done < count && Instant::now() < until {
        let start = Instant::now();
        match one_request(addr, "/healthz", None) {
            Ok(answer) if answer.starts_with("HTTP/1.1 200") => {
                let _ = histogram.record(start.elapsed().as_micros().max(1) as u64);
            }
            _ => failures += 1,
        }
        done += 1;
        std::thread::sleep(PROBE_EVERY);
    }
    (histogram, failures)
}

/// One request on a fresh connection from 127.0.0.1; the whole answer.
fn one_request(addr: SocketAddr, path: &str, token: Option<&str>) -> Result<String, String> {
    let mut stream = std::net::TcpStream::connect_timeout(&addr, PROBE_TIMEOUT)
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(PROBE_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .map_err(|e| format!("write: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("read: {e}"))?;
    Ok(answer)
}

/// The server's connection counters (JSON text).
fn metrics(addr: SocketAddr, token: &str) -> Result<String, String> {
    let answer = one_request(addr, "/api/v1/admin/metrics", Some(token))?;
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .ok_or_else(|| format!("no metrics in {answer:?}"))
}

fn field(json: &str, name: &str) -> u64 {
    mekaar_tests::bench::json_u64_field(json.as_bytes(), name).unwrap_or(0)
}

/// A child process: opens `count` sockets from [`ATTACKER`] to `addr`, sends
/// nothing, holds them for `hold` seconds, then says how it went.
fn attacker(spec: &str) -> ExitCode {
    let parts: Vec<&str> = spec.split('|').collect();
    let (Some(addr), Some(count), Some(hold)) = (
        parts.first().and_then(|a| a.parse::<SocketAddr>().ok()),
        parts.get(1).and_then(|c| c.parse::<u64>().ok()),
        parts.get(2).and_then(|h| h.parse::<u64>().ok()),
    ) else {
        eprintln!("attacker: bad spec {spec:?}");
        return ExitCode::FAILURE;
    };
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("attacker: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (held, failed, refused) = runtime.block_on(async move {
        let deadline = tokio::time::Instant::now() + CONNECT_LIMIT;
        let source: SocketAddr = format!("{ATTACKER}:0").parse().expect("an address");
        let mut sockets = Vec::new();
        let mut failed = 0u64;
        for _ in 0..count {
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            let socket = match tokio::net::TcpSocket::new_v4() {
                Ok(socket) => socket,
                Err(_) => {
                    failed += 1;
                    continue;
                }
            };
            if socket.bind(source).is_err() {
                failed += 1;
                continue;
            }
            match tokio::time::timeout(Duration::from_secs(5), socket.connect(addr)).await {
                Ok(Ok(stream)) => sockets.push(stream),
                _ => failed += 1,
            }
        }
        let held = sockets.len() as u64;
        tokio::time::sleep(Duration::from_secs(hold)).await;
        // How many were refused at once (an answer waiting) or closed meanwhile.
        let mut refused = 0u64;
        for stream in &sockets {
            let mut buf = [0u8; 64];
            if let Ok(n) = stream.try_read(&mut buf) {
                if n > 0 && buf.starts_with(b"HTTP/1.1 429") {
                    refused += 1;
                }
            }
        }
        (held, failed, refused)
    });
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "{held} sockets opened ({failed} failed to connect), {refused} of them answered 429 too_many_connections"
    );
    ExitCode::SUCCESS
}
