//! Benchmark (not a test): durable poll votes per second against the real
//! release server.
//!
//! ```text
//! cargo build --release -p mekaar-server
//! cargo bench -p mekaar-tests --bench poll_votes
//! ```
//!
//! The server runs as a subprocess (`target/release/mekaar-server`) on
//! 127.0.0.1 with a temporary data directory, as in `durable_supports.rs`
//! (the bench builds nothing itself). Setup over the admin API: one community,
//! a warm-up poll and the measured poll(s), all single choice over 4 options,
//! results `always`, audience `{"kind":"open","max_keys_per_network":100000}`
//! (every vote comes from the one loopback network, so the cap must hold
//! them all), opened with `POST …/polls/{id}/state {"action":"open"}`.
//!
//! Phases, each a fixed number of votes from exactly `CONNECTIONS`
//! keep-alive HTTP/1.1 connections (one client task each), and each stopped
//! early by a time bound: `POST /api/v1/communities/{c}/polls/{id}/vote`
//! with `{"choices":[i % 4]}` and a new voter key per vote (a vote is final,
//! so each is a durable write; a 200 means it is on disk):
//! 1. warm-up, on its own poll;
//! 2. measured, on the measured poll (or spread round-robin over
//!    `MEKAAR_BENCH_POLLS` polls, to show what one poll's lock costs).
//!
//! Then each poll's totals (`total_votes`, and the sum of the per-option
//! totals) must equal the number of 200 answers it got, checked on the live
//! server and again after `kill -9` and a restart on the same data directory
//! (the tallies are rebuilt from the stored votes on first use; that first
//! read is timed).
//!
//! Engine and nodes (issue 17): `MEKAAR_BENCH_DATABASE` unset = sled; `pg` = a
//! throwaway PostgreSQL cluster (`scripts/pg-start`, stopped at the end) with
//! a fresh database; a postgres:// URL = that (empty) database.
//! `MEKAAR_BENCH_NODES` (1; more only on PostgreSQL) server processes on the
//! one database, the connections split round-robin over them. The totals are
//! checked on every node (waiting up to `MEKAAR_BENCH_AGREE_SECS`, 5, for
//! them to agree); with several nodes node A is killed, the others checked,
//! then A restarted and every node checked again.
//!
//! Knobs (environment variables, all bounded):
//! `MEKAAR_BENCH_WARMUP` (5000), `MEKAAR_BENCH_VOTES` (100000; at most
//! 100,000 per poll, the network cap), `MEKAAR_BENCH_CONNECTIONS` (64),
//! `MEKAAR_BENCH_POLLS` (1), `MEKAAR_BENCH_TIME_LIMIT_SECS` (120, per phase),
//! `MEKAAR_BENCH_CLIENT_THREADS` (1, tokio workers of the load generator),
//! `MEKAAR_SERVER_BIN` (path of the server binary).
//!
//! Budgets are printed with pass/fail, never asserted: the run exits non-zero
//! only when it cannot run or an acknowledged vote is missing.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use mekaar_tests::bench::*;
use mekaar_tests::{voter_key, VOTER_HEADER};
use serde_json::json;

const COMMUNITY: &str = "bench";
/// Budget of issue 4 on this 2-core machine.
const BUDGET_VOTES_PER_SEC: f64 = 10_000.0;
const BUDGET_P99_MS: f64 = 20.0;
/// The most voter keys one network may use in a poll
/// (`mekaar_api::polls::limits::NETWORK_CAP_MAX`): every vote here comes
/// from 127.0.0.1.
const NETWORK_CAP: u64 = 100_000;
const OPTIONS: u64 = 4;
/// Voter keys of the measured phase start here (the warm-up uses 0..).
const MEASURED_VOTERS: u64 = 1 << 40;

struct Config {
    server_bin: PathBuf,
    topology: Topology,
    agree: Duration,
    warmup: u64,
    votes: u64,
    connections: u64,
    polls: u64,
    time_limit: Duration,
    client_threads: usize,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let polls = env_u64("MEKAAR_BENCH_POLLS", 1, 64)?.max(1);
        Ok(Config {
            server_bin: server_bin(),
            topology: Topology::from_env()?,
            agree: agree_wait()?,
            warmup: env_u64("MEKAAR_BENCH_WARMUP", 5_000, NETWORK_CAP)?,
            votes: env_u64("MEKAAR_BENCH_VOTES", 100_000, NETWORK_CAP * polls)?.max(1),
            connections: env_u64("MEKAAR_BENCH_CONNECTIONS", 64, 10_000)?.max(1),
            polls,
            time_limit: Duration::from_secs(
                env_u64("MEKAAR_BENCH_TIME_LIMIT_SECS", 120, 3_600)?.max(1),
            ),
            client_threads: env_u64("MEKAAR_BENCH_CLIENT_THREADS", 1, 64)?.max(1) as usize,
        })
    }
}

fn main() -> ExitCode {
    let Some(config) = report(Config::from_env()) else {
        return ExitCode::FAILURE;
    };
    exit_code(run(&config))
}

// ---------------------------------------------------------------------------
// The load

struct Target {
    /// Each node's address and Host header; client `c` talks to node `c % nodes`.
    nodes: Vec<(SocketAddr, String)>,
    /// `…/polls/{id}/vote` of each poll the phase votes in.
    vote_paths: Vec<String>,
}

/// The 4 possible bodies, made once.
fn bodies() -> Vec<Bytes> {
    (0..OPTIONS)
        .map(|c| Bytes::from(format!("{{\"choices\":[{c}]}}")))
        .collect()
}

/// What one phase (or one client of it) saw, and the 200s per poll.
struct Votes {
    result: PhaseResult,
    ok_per_poll: Vec<u64>,
    /// Requests not sent because the time bound passed.
    skipped: u64,
}

/// One client: one keep-alive connection, one vote at a time, until the
/// shared counter has handed out all of the phase's votes or time is up.
async fn worker(
    target: Arc<Target>,
    node: usize,
    first_voter: u64,
    end: u64,
    deadline: Instant,
    next: Arc<AtomicU64>,
) -> Votes {
    let bodies = bodies();
    let polls = target.vote_paths.len() as u64;
    let mut votes = Votes {
        result: PhaseResult::empty(),
        ok_per_poll: vec![0; polls as usize],
        skipped: 0,
    };
    let mut sender = None;
    let (addr, host) = &target.nodes[node];
    while let Some(i) = next_request(&next, end) {
        if Instant::now() >= deadline {
            votes.skipped += 1;
            continue;
        }
        let voter = voter_key(first_voter + i);
        let poll = (i % polls) as usize;
        let body = bodies[((i / polls) % OPTIONS) as usize].clone();
        let request = Request::builder()
            .method(Method::POST)
            .uri(target.vote_paths[poll].as_str())
            .header(HOST, host.as_str())
            .header(VOTER_HEADER, voter.as_str())
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_LENGTH, body.len())
            .body(Full::new(body))
            .expect("a valid request");
        let started = Instant::now();
        let outcome = send_with(*addr, &mut sender, request).await;
        if matches!(outcome, Ok((200, _, _))) {
            votes.ok_per_poll[poll] += 1;
        }
        // After an I/O error `send_with` dropped the connection; the next vote opens a new one.
        votes
            .result
            .record(started.elapsed().as_micros().max(1) as u64, outcome);
    }
    votes
}

async fn run_phase(
    target: &Arc<Target>,
    first_voter: u64,
    votes: u64,
    config: &Config,
    nodes: &Deployment,
) -> Votes {
    let next = Arc::new(AtomicU64::new(0));
    let cpu_before = nodes.cpu_sample();
    let started = Instant::now();
    let deadline = started + config.time_limit;
    let tasks: Vec<_> = (0..config.connections)
        .map(|c| {
            tokio::spawn(worker(
                target.clone(),
                c as usize % target.nodes.len(),
                first_voter,
                votes,
                deadline,
                next.clone(),
            ))
        })
        .collect();
    let mut total = Votes {
        result: PhaseResult::empty(),
        ok_per_poll: vec![0; target.vote_paths.len()],
        skipped: 0,
    };
    for task in tasks {
        let votes = task.await.expect("a client task panicked");
        total.result.merge(votes.result);
        total.skipped += votes.skipped;
        for (sum, ok) in total.ok_per_poll.iter_mut().zip(votes.ok_per_poll) {
            *sum += ok;
        }
    }
    total.result.elapsed = started.elapsed();
    // Only the votes sent count (the time bound may have skipped some).
    total.result.requests = votes - total.skipped;
    total.result.cpu = cpu_before.zip(nodes.cpu_sample());
    total.result.error_samples.truncate(5);
    total
}

// ---------------------------------------------------------------------------

/// The poll every phase votes in: single choice, results always, the one
/// loopback network may cast up to `NETWORK_CAP` votes.
fn poll_body(question: &str) -> serde_json::Value {
    json!({
        "question": question,
        "options": (0..OPTIONS).map(|o| format!("Option {o}")).collect::<Vec<_>>(),
        "max_choices": 1,
        "results": "always",
        "audience": { "kind": "open", "max_keys_per_network": NETWORK_CAP },
    })
}

/// Each poll's totals against the 200s it got: `(total_votes, sum of
/// totals)` per poll, and whether all are equal.
async fn check_totals(
    client: &reqwest::Client,
    server: &ServerProcess,
    token: &str,
    polls: &[(String, u64)],
) -> Result<(Vec<(u64, u64)>, bool), String> {
    let mut seen = Vec::new();
    let mut equal = true;
    for (id, ok) in polls {
        let (total, sum) = poll_totals(client, server, COMMUNITY, token, id).await?;
        equal &= total == *ok && sum == *ok;
        seen.push((total, sum));
    }
    Ok((seen, equal))
}

/// One check: where, each poll's `(total_votes, sum of totals)`, whether all equal the 200s.
type Check = (String, Vec<(u64, u64)>, bool);

fn run(config: &Config) -> Result<bool, String> {
    check_server_binary(&config.server_bin)?;
    let (mut nodes, server_token) = Deployment::start(&config.server_bin, &config.topology)?;
    nodes.print();
    let runtime = client_runtime(config.client_threads)?;
    let client = reqwest::Client::new();
    let (token, warmup_poll, polls) = runtime.block_on(async {
        let server = nodes.server(0)?;
        let token = create_community(
            &client,
            server,
            &server_token,
            &json!({ "slug": COMMUNITY, "name": "Benchmark" }),
        )
        .await?;
        let warmup_poll =
            create_open_poll(&client, server, COMMUNITY, &token, &poll_body("Warm-up")).await?;
        let mut polls = Vec::new();
        for p in 0..config.polls {
            let body = poll_body(&format!("Measured {p}"));
            polls.push(create_open_poll(&client, server, COMMUNITY, &token, &body).await?);
        }
        Ok::<_, String>((token, warmup_poll, polls))
    })?;
    let node_targets: Vec<(SocketAddr, String)> = nodes
        .addrs()?
        .into_iter()
        .map(|addr| (addr, addr.to_string()))
        .collect();
    let target = |ids: &[String]| {
        Arc::new(Target {
            nodes: node_targets.clone(),
            vote_paths: ids
                .iter()
                .map(|id| format!("/api/v1/communities/{COMMUNITY}/polls/{id}/vote"))
                .collect(),
        })
    };
    println!(
        "load: {} connections (round-robin over {} node(s)), {} client thread(s); warm-up {} votes on its own poll, then {} votes on {} poll(s); at most {} s per phase",
        config.connections,
        nodes.nodes(),
        config.client_threads,
        config.warmup,
        config.votes,
        config.polls,
        config.time_limit.as_secs()
    );
    let _ = std::io::stdout().flush();
    let rss_before = nodes.status_kib_sum("VmRSS");
    let warmup = runtime.block_on(run_phase(
        &target(std::slice::from_ref(&warmup_poll)),
        0,
        config.warmup,
        config,
        &nodes,
    ));
    let waits = sample_waits(&nodes);
    let measured = runtime.block_on(run_phase(
        &target(&polls),
        MEASURED_VOTERS,
        config.votes,
        config,
        &nodes,
    ));
    let waits = waits.map(WaitSampler::finish).transpose()?;
    let rss_now = nodes.status_kib_sum("VmRSS");
    let rss_peak = nodes.status_kib_sum("VmHWM");

    let mut expected: Vec<(String, u64)> = vec![(warmup_poll.clone(), warmup.ok_per_poll[0])];
    expected.extend(
        polls
            .iter()
            .cloned()
            .zip(measured.ok_per_poll.iter().copied()),
    );
    // Every node's totals, each waited for (a node may need a moment to see the others' votes).
    let totals_on = |nodes: &Deployment, node: usize| {
        let server = nodes.server(node)?;
        let (client, token, expected) = (&client, &token, &expected);
        runtime.block_on(until_agreed(config.agree, move || async move {
            check_totals(client, server, token, expected).await
        }))
    };
    let mut checks: Vec<Check> = Vec::new();
    for node in 0..nodes.nodes() {
        let (seen, ok) = totals_on(&nodes, node)?;
        checks.push((format!("live, node {}", node_name(node)), seen, ok));
    }

    // kill -9 node A; with several nodes check the others first; restart A on
    // the same data dir (and database) and check every node (the first read
    // of a poll on A rebuilds its tally from the stored votes: timed).
    nodes.kill9(0)?;
    for node in 1..nodes.nodes() {
        let (seen, ok) = totals_on(&nodes, node)?;
        checks.push((
            format!("node A killed (-9), node {}", node_name(node)),
            seen,
            ok,
        ));
    }
    nodes.restart(0)?;
    let started = Instant::now();
    let first = runtime.block_on(poll_totals(
        &client,
        nodes.server(0)?,
        COMMUNITY,
        &token,
        &polls[0],
    ))?;
    let first_read = started.elapsed();
    for node in 0..nodes.nodes() {
        let (seen, ok) = totals_on(&nodes, node)?;
        checks.push((
            format!("after kill -9 and restart of A, node {}", node_name(node)),
            seen,
            ok,
        ));
    }
    nodes.kill_all()?;

    // ---- report
    println!();
    println!(
        "### Durable poll votes ({} connections, {} poll(s); {})",
        config.connections,
        config.polls,
        config.topology.short()
    );
    println!();
    let rows: Vec<(&str, &PhaseResult)> = vec![("POST vote (durable)", &measured.result)];
    print_table_head(&rows);
    print_timing_rows(&rows);
    let line = |label: &str, f: &dyn Fn(&PhaseResult) -> String| print_row(&rows, label, f);
    line("200 answers", &|r| r.ok.to_string());
    line("errors (non-200 or I/O)", &|r| r.errors.to_string());
    line("server CPU, all nodes (100 % = 1 core)", &|r| {
        cores(r.cores(|c| c.server))
    });
    line("… of which flusher thread", &|r| {
        cores(r.cores(|c| c.flusher))
    });
    line("PostgreSQL CPU (postmaster and backends)", &|r| {
        cores(r.database_cores())
    });
    line("load generator CPU", &|r| cores(r.cores(|c| c.client)));
    line("server CPU per vote", &|r| {
        r.cores(|c| c.server).map_or("n/a".to_string(), |c| {
            format!("{:.0} µs", c * 1e6 / r.per_sec())
        })
    });
    println!(
        "| server RSS before the votes (VmRSS, sum over nodes) | {} |",
        mib(rss_before)
    );
    println!(
        "| server RSS after the votes (VmRSS, sum over nodes) | {} |",
        mib(rss_now)
    );
    println!(
        "| server peak RSS (VmHWM, sum over nodes) | {} |",
        mib(rss_peak)
    );
    println!();
    if let Some(waits) = &waits {
        waits.print(measured.result.requests);
    }
    if measured.skipped > 0 || warmup.skipped > 0 {
        println!(
            "time bound reached: {} measured and {} warm-up votes not sent",
            measured.skipped, warmup.skipped
        );
    }
    for (name, r) in [("measured", &measured.result), ("warm-up", &warmup.result)] {
        for sample in &r.error_samples {
            println!("error sample ({name}): {sample}");
        }
    }
    println!(
        "warm-up: {} votes, {:.0} votes/s, p99 {:.2} ms, {} errors",
        warmup.result.requests,
        warmup.result.per_sec(),
        warmup.result.ms(0.99),
        warmup.result.errors
    );
    println!();
    println!(
        "Totals per poll as `total_votes / sum of the option totals`, each check waited up to {} s for agreement ({}):",
        config.agree.as_secs(),
        config.topology.describe()
    );
    println!();
    print!("| check |");
    for (i, (id, ok)) in expected.iter().enumerate() {
        let name = if i == 0 { "warm-up" } else { "measured" };
        print!(" {name} `{id}`: {ok} × 200 |");
    }
    println!(" result |");
    println!("|---|{}---|", "---:|".repeat(expected.len()));
    for (what, seen, ok) in &checks {
        print!("| {what} |");
        for (total, sum) in seen {
            print!(" {total} / {sum} |");
        }
        println!(
            " {} |",
            if *ok {
                "equal"
            } else {
                "**DIFFERENT** (votes lost, miscounted or not yet seen by this node)"
            }
        );
    }
    println!();
    let all_ok = checks.iter().all(|c| c.2);
    let acknowledged: u64 = measured.ok_per_poll.iter().sum();
    println!(
        "Check: votes acknowledged with 200 = {acknowledged} (+ {} warm-up); every node's totals {}",
        warmup.ok_per_poll[0],
        if all_ok { "equal, live and after kill -9 and restart" } else { "NOT all equal (see the table)" },
    );
    println!(
        "First read of a poll on node A after the restart (tally rebuilt from {} stored votes): {:.1} ms",
        first.0,
        first_read.as_secs_f64() * 1000.0
    );
    println!();

    let r = &measured.result;
    let throughput_ok = r.per_sec() >= BUDGET_VOTES_PER_SEC;
    let p99_ok = r.ms(0.99) <= BUDGET_P99_MS;
    let errors_ok = r.errors == 0 && warmup.result.errors == 0;
    println!("| budget | measured | result |");
    println!("|---|---:|---|");
    println!(
        "| ≥ {:.0} durable votes/s, {} connections, {} poll(s) | {:.0}/s | {} |",
        BUDGET_VOTES_PER_SEC,
        config.connections,
        config.polls,
        r.per_sec(),
        pass(throughput_ok)
    );
    println!(
        "| p99 ≤ {BUDGET_P99_MS:.0} ms | {:.2} ms | {} |",
        r.ms(0.99),
        pass(p99_ok)
    );
    println!(
        "| no errors | {} | {} |",
        r.errors + warmup.result.errors,
        pass(errors_ok)
    );
    println!(
        "| every 200 counted on every node, also after kill -9 | {} | {} |",
        if all_ok { "equal" } else { "different" },
        pass(all_ok)
    );
    println!();
    // Budgets are reported, never asserted: only lost votes fail the run.
    Ok(all_ok)
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "pass"
    } else {
        "**FAIL**"
    }
}
