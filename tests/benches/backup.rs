//! Benchmark (not a test): what a backup of a running server costs the
//! residents who vote while it is taken (issue 5).
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench backup
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, as in the other benches (the
//! bench builds nothing itself).
//!
//! 1. Fill, over the public API as residents would (64 keep-alive
//!    connections, as fast as the server goes): one community,
//!    `MEKAAR_BENCH_BACKUP_INITIATIVES` initiatives with
//!    `MEKAAR_BENCH_BACKUP_SUPPORTS` supports spread over them, and
//!    `MEKAAR_BENCH_BACKUP_VOTES` votes from distinct voter keys, spread
//!    round-robin over as many open polls as the network cap needs (100,000
//!    voter keys per network per poll, and every vote comes from 127.0.0.1).
//! 2. Steady load: `MEKAAR_BENCH_BACKUP_RATE` votes/s on a poll of its own
//!    for `MEKAAR_BENCH_BACKUP_SECS` seconds, from `CONNECTIONS` keep-alive
//!    connections. Vote `i` is due at `i / rate` s; a connection sends the
//!    next due vote as soon as it is free (so when the server stalls, the
//!    votes queue behind the 64 busy connections and go out late, as real
//!    residents' would). At `MEKAAR_BENCH_BACKUP_AT_SECS` one backup is taken
//!    with `GET /api/v1/admin/export` (what `mekaar-server backup` calls), its
//!    whole body read.
//! 3. With the load stopped, a second backup, timed alone.
//!
//! Reported: vote latency (from the moment the vote was sent) p50/p99/max
//! before, during (sent while the export request was in flight) and after the
//! backup, how late votes went out against their schedule, the longest time in
//! which no vote was acknowledged, each backup's time to the response head
//! (the server answers once the whole export is built), total time, size and
//! records, server CPU and peak RSS from /proc. Every vote has its own
//! 60 s timeout; every loop is bounded. Nothing is asserted on a time: the run
//! exits non-zero only when it cannot run or an acknowledged vote of the load
//! poll is not counted.
//!
//! Knobs (environment variables, all bounded): `MEKAAR_BENCH_BACKUP_VOTES`
//! (200000), `MEKAAR_BENCH_BACKUP_INITIATIVES` (200),
//! `MEKAAR_BENCH_BACKUP_SUPPORTS` (50000), `MEKAAR_BENCH_BACKUP_RATE` (2000
//! votes/s), `MEKAAR_BENCH_BACKUP_SECS` (20), `MEKAAR_BENCH_BACKUP_AT_SECS`
//! (10), `MEKAAR_BENCH_CONNECTIONS` (64), `MEKAAR_BENCH_TIME_LIMIT_SECS`
//! (300, per fill phase), `MEKAAR_BENCH_CLIENT_THREADS` (1),
//! `MEKAAR_SERVER_BIN`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use mekaar_tests::bench::*;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::json;

const COMMUNITY: &str = "bench";
/// The most voter keys one network may use in a poll
/// (`mekaar_api::polls::limits::NETWORK_CAP_MAX`): every vote here comes
/// from 127.0.0.1.
const NETWORK_CAP: u64 = 100_000;
const OPTIONS: u64 = 4;
/// Voter keys: fill votes from 0, supports and load votes from these.
const SUPPORT_VOTERS: u64 = 1 << 40;
const LOAD_VOTERS: u64 = 1 << 41;
/// No single request waits longer than this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

struct Config {
    server_bin: PathBuf,
    votes: u64,
    initiatives: u64,
    supports: u64,
    rate: u64,
    secs: u64,
    backup_at: Duration,
    connections: u64,
    time_limit: Duration,
    client_threads: usize,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let rate = env_u64("MEKAAR_BENCH_BACKUP_RATE", 2_000, 20_000)?.max(1);
        let secs = env_u64("MEKAAR_BENCH_BACKUP_SECS", 20, 120)?.max(2);
        if rate * secs > NETWORK_CAP {
            return Err(format!(
                "MEKAAR_BENCH_BACKUP_RATE × MEKAAR_BENCH_BACKUP_SECS = {} votes on one poll: at most {NETWORK_CAP}",
                rate * secs
            ));
        }
        let backup_at = env_u64("MEKAAR_BENCH_BACKUP_AT_SECS", secs / 2, secs - 1)?;
        Ok(Config {
            server_bin: server_bin(),
            votes: env_u64("MEKAAR_BENCH_BACKUP_VOTES", 200_000, 10 * NETWORK_CAP)?,
            initiatives: env_u64("MEKAAR_BENCH_BACKUP_INITIATIVES", 200, 10_000)?.max(1),
            supports: env_u64("MEKAAR_BENCH_BACKUP_SUPPORTS", 50_000, 1_000_000)?,
            rate,
            secs,
            backup_at: Duration::from_secs(backup_at),
            connections: env_u64("MEKAAR_BENCH_CONNECTIONS", 64, 10_000)?.max(1),
            time_limit: Duration::from_secs(
                env_u64("MEKAAR_BENCH_TIME_LIMIT_SECS", 300, 3_600)?.max(1),
            ),
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
        })
    }

    /// Fill polls needed for `votes` under the network cap.
    fn fill_polls(&self) -> u64 {
        self.votes.div_ceil(NETWORK_CAP)
    }
}

fn main() -> ExitCode {
    let Some(config) = report(Config::from_env()) else {
        return ExitCode::FAILURE;
    };
    exit_code(run(&config))
}

// ---------------------------------------------------------------------------
// Requests

struct Target {
    addr: SocketAddr,
    host: String,
}

/// `POST …/vote` for `voter` with choice `choice`, or `PUT …/support`.
fn resident_request(
    target: &Target,
    path: &str,
    voter: u64,
    vote: Option<u64>,
) -> Request<Full<Bytes>> {
    let builder = Request::builder()
        .uri(path)
        .header(HOST, target.host.as_str())
        .header(VOTER_HEADER, voter_key(voter).as_str());
    match vote {
        Some(choice) => {
            let body = Bytes::from(format!("{{\"choices\":[{}]}}", choice % OPTIONS));
            builder
                .method(Method::POST)
                .header(CONTENT_TYPE, "application/json")
                .header(CONTENT_LENGTH, body.len())
                .body(Full::new(body))
        }
        None => builder
            .method(Method::PUT)
            .header(CONTENT_LENGTH, "0")
            .body(Full::new(Bytes::new())),
    }
    .expect("a valid request")
}

/// [`send_with`] with [`REQUEST_TIMEOUT`] (the connection is dropped after it).
async fn send_bounded(
    addr: SocketAddr,
    sender: &mut Option<hyper::client::conn::http1::SendRequest<Full<Bytes>>>,
    request: Request<Full<Bytes>>,
) -> Outcome {
    match tokio::time::timeout(REQUEST_TIMEOUT, send_with(addr, sender, request)).await {
        Ok(outcome) => outcome,
        Err(_) => {
            *sender = None;
            Err(format!("no answer in {} s", REQUEST_TIMEOUT.as_secs()))
        }
    }
}

// ---------------------------------------------------------------------------
// Fill: as fast as the server goes

/// Sends `count` votes (round-robin over `paths`, voter keys `first_voter..`)
/// or supports, from `connections` connections, until done or `time_limit`.
async fn fill(
    target: &Arc<Target>,
    paths: Arc<Vec<String>>,
    first_voter: u64,
    count: u64,
    vote: bool,
    config: &Config,
) -> PhaseResult {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + config.time_limit;
    let tasks: Vec<_> = (0..config.connections)
        .map(|_| {
            let (target, paths, next) = (target.clone(), paths.clone(), next.clone());
            tokio::spawn(async move {
                let mut result = PhaseResult::empty();
                let mut sender = None;
                while let Some(i) = next_request(&next, count) {
                    if Instant::now() >= deadline {
                        continue;
                    }
                    let n = paths.len() as u64;
                    let path = &paths[(i % n) as usize];
                    let request =
                        resident_request(&target, path, first_voter + i, vote.then_some(i / n));
                    let sent = Instant::now();
                    let outcome = send_bounded(target.addr, &mut sender, request).await;
                    result.requests += 1;
                    result.record(sent.elapsed().as_micros().max(1) as u64, outcome);
                }
                result
            })
        })
        .collect();
    let mut total = PhaseResult::empty();
    for task in tasks {
        total.merge(task.await.expect("a fill task panicked"));
    }
    total.elapsed = started.elapsed();
    total.error_samples.truncate(3);
    total
}

// ---------------------------------------------------------------------------
// The steady load, and the backup in its middle

/// One vote of the steady load; times in µs from the start of the load.
#[derive(Clone, Copy)]
struct VoteTiming {
    due: u64,
    sent: u64,
    acked: u64,
    ok: bool,
}

struct Load {
    votes: Vec<VoteTiming>,
    /// Failures (non-200, I/O, timeout), a few described.
    errors: u64,
    error_samples: Vec<String>,
    /// Not sent: the hard deadline passed.
    skipped: u64,
    elapsed: Duration,
    cpu: Option<(CpuSample, CpuSample)>,
}

/// What one backup request saw.
struct Backup {
    /// µs from the start of the load (0 for the backup without load).
    started: u64,
    head: Duration,
    total: Duration,
    status: u16,
    bytes: u64,
    records: Option<u64>,
    cpu: Option<(CpuSample, CpuSample)>,
    /// VmHWM right after it.
    peak_kib: Option<u64>,
}

impl Backup {
    fn ended(&self) -> u64 {
        self.started + self.total.as_micros() as u64
    }
}

/// `GET /api/v1/admin/export` on a new connection, the whole body read.
async fn backup(
    addr: SocketAddr,
    token: &str,
    pid: u32,
    origin: Instant,
) -> Result<Backup, String> {
    let mut sender = connect(addr).await?;
    let request = Request::builder()
        .method(Method::GET)
        .uri("/api/v1/admin/export")
        .header(HOST, addr.to_string())
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .body(Empty::<Bytes>::new())
        .expect("a valid request");
    let cpu_before = cpu_sample(pid);
    let started = Instant::now();
    let fetch = async {
        sender
            .ready()
            .await
            .map_err(|e| format!("connection: {e}"))?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request: {e}"))?;
        let head = started.elapsed();
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("body: {e}"))?
            .to_bytes();
        Ok::<_, String>((head, status, body))
    };
    let (head, status, body) = tokio::time::timeout(Duration::from_secs(600), fetch)
        .await
        .map_err(|_| "the export took over 600 s".to_string())??;
    let total = started.elapsed();
    let cpu = cpu_before.zip(cpu_sample(pid));
    // The last line: {"end":{"records":N}}
    let trimmed = body.strip_suffix(b"\n").unwrap_or(&body);
    let last = trimmed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(trimmed, |i| &trimmed[i + 1..]);
    Ok(Backup {
        started: started.saturating_duration_since(origin).as_micros() as u64,
        head,
        total,
        status,
        bytes: body.len() as u64,
        records: json_u64_field(last, "records"),
        cpu,
        peak_kib: status_kib(pid, "VmHWM"),
    })
}

/// `rate` votes/s for `secs` s on `path`, one backup at `backup_at`.
async fn steady_load(
    target: &Arc<Target>,
    path: Arc<String>,
    token: &str,
    pid: u32,
    config: &Config,
) -> (Load, Result<Backup, String>) {
    let count = config.rate * config.secs;
    let next = Arc::new(AtomicU64::new(0));
    let cpu_before = cpu_sample(pid);
    let origin = Instant::now();
    // Votes not sent by then are skipped: the loop ends even if the server hangs.
    let hard_deadline = origin + Duration::from_secs(config.secs + 60);
    let rate = config.rate;
    let tasks: Vec<_> = (0..config.connections)
        .map(|_| {
            let (target, path, next) = (target.clone(), path.clone(), next.clone());
            tokio::spawn(async move {
                let mut load = Load {
                    votes: Vec::new(),
                    errors: 0,
                    error_samples: Vec::new(),
                    skipped: 0,
                    elapsed: Duration::ZERO,
                    cpu: None,
                };
                let mut sender = None;
                while let Some(i) = next_request(&next, count) {
                    let due = i * 1_000_000 / rate;
                    tokio::time::sleep_until((origin + Duration::from_micros(due)).into()).await;
                    if Instant::now() >= hard_deadline {
                        load.skipped += 1;
                        continue;
                    }
                    let request = resident_request(&target, &path, LOAD_VOTERS + i, Some(i));
                    let sent = origin.elapsed().as_micros() as u64;
                    let outcome = send_bounded(target.addr, &mut sender, request).await;
                    let acked = origin.elapsed().as_micros() as u64;
                    let ok = matches!(outcome, Ok((200, _, _)));
                    if !ok {
                        load.errors += 1;
                        if load.error_samples.len() < 3 {
                            load.error_samples.push(match outcome {
                                Ok((status, _, body)) => format!(
                                    "HTTP {status}: {}",
                                    String::from_utf8_lossy(&body[..body.len().min(200)])
                                ),
                                Err(err) => err,
                            })
                        }
                    }
                    load.votes.push(VoteTiming {
                        due,
                        sent,
                        acked,
                        ok,
                    });
                }
                load
            })
        })
        .collect();
    let backup_task = {
        let (addr, token) = (target.addr, token.to_string());
        let at = origin + config.backup_at;
        tokio::spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            backup(addr, &token, pid, origin).await
        })
    };
    let mut load = Load {
        votes: Vec::with_capacity(count as usize),
        errors: 0,
        error_samples: Vec::new(),
        skipped: 0,
        elapsed: Duration::ZERO,
        cpu: None,
    };
    for task in tasks {
        let part = task.await.expect("a load task panicked");
        load.votes.extend(part.votes);
        load.errors += part.errors;
        load.skipped += part.skipped;
        load.error_samples.extend(part.error_samples);
    }
    load.elapsed = origin.elapsed();
    load.cpu = cpu_before.zip(cpu_sample(pid));
    load.error_samples.truncate(5);
    let backup = backup_task
        .await
        .unwrap_or_else(|e| Err(format!("the backup task failed: {e}")));
    (load, backup)
}

// ---------------------------------------------------------------------------
// The report

/// Latencies (sent → acknowledged) and lateness (due → sent) of some votes.
struct Window {
    votes: u64,
    ok: u64,
    latency: hdrhistogram::Histogram<u64>,
    late: hdrhistogram::Histogram<u64>,
}

fn window<'a>(votes: impl Iterator<Item = &'a VoteTiming>) -> Window {
    let mut w = Window {
        votes: 0,
        ok: 0,
        latency: new_histogram(),
        late: new_histogram(),
    };
    for v in votes {
        w.votes += 1;
        w.ok += u64::from(v.ok);
        w.latency.saturating_record((v.acked - v.sent).max(1));
        w.late
            .saturating_record(v.sent.saturating_sub(v.due).max(1));
    }
    w
}

fn ms(micros: u64) -> String {
    format!("{:.2} ms", micros as f64 / 1000.0)
}

fn secs(micros: u64) -> String {
    format!("{:.3} s", micros as f64 / 1e6)
}

/// The longest time between two acknowledgements (and the first after the
/// start): `(gap, from, to)` in µs from the start of the load.
fn longest_silence(votes: &[VoteTiming]) -> (u64, u64, u64) {
    let mut acks: Vec<u64> = votes.iter().filter(|v| v.ok).map(|v| v.acked).collect();
    acks.sort_unstable();
    let mut best = (0, 0, 0);
    let mut previous = 0;
    for ack in acks {
        if ack - previous > best.0 {
            best = (ack - previous, previous, ack);
        }
        previous = ack;
    }
    best
}

fn print_backup_rows(columns: &[(&str, Option<&Backup>)]) {
    print!("| metric |");
    for (name, _) in columns {
        print!(" {name} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(columns.len()));
    let row = |label: &str, f: &dyn Fn(&Backup) -> String| {
        print!("| {label} |");
        for (_, b) in columns {
            print!(" {} |", b.map_or("failed".to_string(), f));
        }
        println!();
    };
    row("HTTP status", &|b| b.status.to_string());
    row("time to the response head", &|b| {
        ms(b.head.as_micros() as u64)
    });
    row("total time (whole body read)", &|b| {
        ms(b.total.as_micros() as u64)
    });
    row("size", &|b| {
        format!("{} B ({:.1} MB)", b.bytes, b.bytes as f64 / 1e6)
    });
    row("records (end line)", &|b| {
        b.records.map_or("n/a".to_string(), |r| r.to_string())
    });
    row("server CPU during it (100 % = 1 core)", &|b| {
        b.cpu.map_or("n/a".to_string(), |(before, after)| {
            cores(Some((after.server - before.server) / b.total.as_secs_f64()))
        })
    });
    row("server peak RSS after it (VmHWM)", &|b| mib(b.peak_kib));
}

fn run(config: &Config) -> Result<bool, String> {
    let (_data, server_token, runtime, server) = setup(&config.server_bin, config.client_threads)?;
    let pid = server.pid();
    let client = reqwest::Client::new();
    let target = Arc::new(Target {
        addr: server.addr,
        host: server.addr.to_string(),
    });
    let poll_body = |question: String| {
        json!({
            "question": question,
            "options": (0..OPTIONS).map(|o| format!("Option {o}")).collect::<Vec<_>>(),
            "max_choices": 1,
            "results": "always",
            "audience": { "kind": "open", "max_keys_per_network": NETWORK_CAP },
        })
    };
    let (token, initiatives, fill_polls, load_poll) = runtime.block_on(async {
        let token = create_community(
            &client,
            &server,
            &server_token,
            &json!({ "slug": COMMUNITY, "name": "Benchmark municipality" }),
        )
        .await?;
        let mut initiatives = Vec::new();
        for i in 0..config.initiatives {
            let created = admin_send(
                &client,
                reqwest::Method::POST,
                server.url(&format!("/api/v1/admin/communities/{COMMUNITY}/initiatives")),
                &token,
                &json!({
                    "title": format!("Initiative {i}: a bench by the playground"),
                    "summary": "More benches along the path to the school, so that older residents can rest on the way.",
                }),
                201,
            )
            .await?;
            let id = created["id"].as_str().ok_or("no id in the created initiative")?;
            initiatives.push(format!(
                "/api/v1/communities/{COMMUNITY}/initiatives/{id}/support"
            ));
        }
        let mut fill_polls = Vec::new();
        for p in 0..config.fill_polls() {
            let body = poll_body(format!("Which plan for district {p}?"));
            let id = create_open_poll(&client, &server, COMMUNITY, &token, &body).await?;
            fill_polls.push(format!("/api/v1/communities/{COMMUNITY}/polls/{id}/vote"));
        }
        let body = poll_body("Which day for the market?".to_string());
        let load_poll = create_open_poll(&client, &server, COMMUNITY, &token, &body).await?;
        Ok::<_, String>((token, initiatives, fill_polls, load_poll))
    })?;

    println!(
        "fill: {} initiatives, {} supports, {} votes over {} poll(s), {} connections, {} client thread(s)",
        config.initiatives,
        config.supports,
        config.votes,
        fill_polls.len(),
        config.connections,
        config.client_threads
    );
    let _ = std::io::stdout().flush();
    let supports = runtime.block_on(fill(
        &target,
        Arc::new(initiatives),
        SUPPORT_VOTERS,
        config.supports,
        false,
        config,
    ));
    let votes = if fill_polls.is_empty() {
        PhaseResult::empty()
    } else {
        runtime.block_on(fill(
            &target,
            Arc::new(fill_polls),
            0,
            config.votes,
            true,
            config,
        ))
    };
    for (name, r) in [("supports", &supports), ("votes", &votes)] {
        println!(
            "fill {name}: {} sent in {:.1} s ({:.0}/s), {} ok, {} errors",
            r.requests,
            r.elapsed.as_secs_f64(),
            r.per_sec(),
            r.ok,
            r.errors
        );
        for sample in &r.error_samples {
            println!("error sample (fill {name}): {sample}");
        }
    }
    let rss_filled = status_kib(pid, "VmRSS");
    let hwm_filled = status_kib(pid, "VmHWM");
    println!(
        "server RSS after the fill: {} (peak {})",
        mib(rss_filled),
        mib(hwm_filled)
    );
    println!(
        "load: {} votes/s for {} s on its own poll, {} connections; one backup at {} s",
        config.rate,
        config.secs,
        config.connections,
        config.backup_at.as_secs()
    );
    let _ = std::io::stdout().flush();

    let load_path = Arc::new(format!(
        "/api/v1/communities/{COMMUNITY}/polls/{load_poll}/vote"
    ));
    let (load, loaded_backup) =
        runtime.block_on(steady_load(&target, load_path, &server_token, pid, config));
    let loaded_backup = report(loaded_backup);
    // Let the server settle, then a backup with nothing else going on.
    std::thread::sleep(Duration::from_secs(2));
    let idle_backup =
        report(runtime.block_on(backup(server.addr, &server_token, pid, Instant::now())));
    let rss_end = status_kib(pid, "VmRSS");
    let hwm_end = status_kib(pid, "VmHWM");

    let load_ok = load.votes.iter().filter(|v| v.ok).count() as u64;
    let (total_votes, sum) =
        runtime.block_on(poll_totals(&client, &server, COMMUNITY, &token, &load_poll))?;
    let counted = total_votes == load_ok && sum == load_ok;

    // ---- report
    let (start, end) = loaded_backup
        .as_ref()
        .map_or((u64::MAX, u64::MAX), |b| (b.started, b.ended()));
    let before = window(load.votes.iter().filter(|v| v.sent < start));
    let during = window(
        load.votes
            .iter()
            .filter(|v| v.sent >= start && v.sent < end),
    );
    let after = window(load.votes.iter().filter(|v| v.sent >= end));
    let all = window(load.votes.iter());
    let (gap, gap_from, gap_to) = longest_silence(&load.votes);

    println!();
    println!(
        "### Votes at {}/s while a backup is taken ({} connections)",
        config.rate, config.connections
    );
    println!();
    let columns = [
        ("before the backup", &before),
        ("during (sent while the export was in flight)", &during),
        ("after", &after),
        ("whole load", &all),
    ];
    print!("| metric |");
    for (name, _) in &columns {
        print!(" {name} |");
    }
    println!();
    println!("|---|{}", "---:|".repeat(columns.len()));
    let row = |label: &str, f: &dyn Fn(&Window) -> String| {
        print!("| {label} |");
        for (_, w) in &columns {
            print!(
                " {} |",
                if w.votes == 0 {
                    "–".to_string()
                } else {
                    f(w)
                }
            );
        }
        println!();
    };
    row("votes sent", &|w| w.votes.to_string());
    row("200 answers", &|w| w.ok.to_string());
    row("latency p50", &|w| ms(w.latency.value_at_quantile(0.50)));
    row("latency p99", &|w| ms(w.latency.value_at_quantile(0.99)));
    row("latency max", &|w| ms(w.latency.max()));
    row("sent late (behind schedule) p99", &|w| {
        ms(w.late.value_at_quantile(0.99))
    });
    row("sent late max", &|w| ms(w.late.max()));
    println!();
    println!(
        "Load: {} votes due over {} s, {} sent ({:.0}/s over {:.2} s), {} errors, {} skipped; server CPU {} (load generator {}).",
        config.rate * config.secs,
        config.secs,
        load.votes.len(),
        load.votes.len() as f64 / load.elapsed.as_secs_f64(),
        load.elapsed.as_secs_f64(),
        load.errors,
        load.skipped,
        cores(load.cpu.map(|(b, a)| (a.server - b.server) / load.elapsed.as_secs_f64())),
        cores(load.cpu.map(|(b, a)| (a.client - b.client) / load.elapsed.as_secs_f64())),
    );
    if let Some(b) = &loaded_backup {
        println!(
            "Backup in flight from {} to {} after the start of the load.",
            secs(b.started),
            secs(b.ended())
        );
    }
    println!(
        "Longest time with no vote acknowledged: **{}** (from {} to {} after the start of the load).",
        ms(gap),
        secs(gap_from),
        secs(gap_to)
    );
    for sample in &load.error_samples {
        println!("error sample (load): {sample}");
    }
    println!();
    println!("### The backups (`GET /api/v1/admin/export`)");
    println!();
    print_backup_rows(&[
        ("during the load", loaded_backup.as_ref()),
        ("no load", idle_backup.as_ref()),
    ]);
    println!();
    println!(
        "Server RSS: {} after the fill (peak {}), {} at the end (peak {}).",
        mib(rss_filled),
        mib(hwm_filled),
        mib(rss_end),
        mib(hwm_end)
    );
    println!(
        "Check: load poll votes acknowledged with 200 = {load_ok}; total_votes = {total_votes}, sum of totals = {sum} {}",
        if counted {
            "(equal)"
        } else {
            "(DIFFERENT: votes lost or miscounted)"
        }
    );
    println!();
    Ok(counted)
}
