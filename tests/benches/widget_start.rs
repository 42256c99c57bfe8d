//! How long the residents' widgets take to start, in real headless Chromium: from
//! navigation start to an interactive support button, and to the initiatives list's
//! first card, cold and warm cache; two server builds compared in one run (issue 13).
//!
//! ```sh
//! scripts/bench-widget-start            # builds `330e6b0` as "before", then runs this bench
//! scripts/bench-widget-start COMMIT     # another "before" commit
//! # or by hand, with two binaries:
//! cargo build --release -p mekaar-server
//! MEKAAR_BENCH_BEFORE_BIN=/path/to/old/mekaar-server \
//!     cargo bench -p mekaar-tests --bench widget_start
//! ```
//!
//! NEEDS `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), as the browser tests.
//!
//! "after" is `MEKAAR_SERVER_BIN`, else `target/release/mekaar-server` (this tree's
//! release build, with the `pkg/` it embeds); "before" is `MEKAAR_BENCH_BEFORE_BIN`, left
//! out when unset. Each runs `mekaar-server demo` (the demo community and the demo host
//! site on another loopback origin, as the README's run command) with its own data dir.
//! The two pages measured are the demo's `index.html` (three support buttons) and
//! `initiatieven.html` (a featured card and the initiatives list).
//!
//! The metric is the page's own clock: `performance.now()`, whose zero
//! (`performance.timeOrigin`) is the navigation start. A probe installed before any page
//! script (Chromium's `Page.addScriptToEvaluateOnNewDocument`, through chromedriver)
//! checks the condition on every animation frame and in a MutationObserver on the
//! document and on every shadow root (it wraps `attachShadow`), and keeps the
//! `performance.now()` of the first check at which it held: a MutationObserver callback
//! runs right after the task that changed the DOM, so this is when the page could first
//! take the click. The same probe runs for both builds.
//!
//! - support: the first `[data-mekaar="support"]` placeholder's shadow root has
//!   `.mekaar-root[data-state="ready"]` holding an enabled `button.mekaar-support-button`
//!   and a non-empty `.mekaar-count`;
//! - list: the `[data-mekaar="initiatives"]` placeholder's shadow root has a `.mekaar-card`
//!   with text that is rendered (`checkVisibility`, a box of non-zero size; below the fold
//!   counts).
//!
//! Cold: a new browser session with a new, empty `--user-data-dir` (empty HTTP cache and
//! code cache; the servers and the OS file cache are warm). Warm: a second navigation to
//! the same page in that session. One iteration measures, for each page, each build
//! (cold, then warm); the builds alternate which goes first (before/after, then
//! after/before, …) so that drift and noise on the shared machine hit both alike.
//! `MEKAAR_BENCH_WARMUP_RUNS` iterations (default 1) are run first and not counted.
//!
//! Knobs (environment): `MEKAAR_BENCH_RUNS` (default 20), `MEKAAR_BENCH_WARMUP_RUNS`,
//! `MEKAAR_BENCH_WAIT_SECS` (default 30: longest wait for one condition),
//! `MEKAAR_SERVER_BIN`, `MEKAAR_BENCH_BEFORE_BIN`. Every loop is bounded in count, every
//! wait in time; all traffic goes to 127.0.0.1. The bench prints a Markdown table (p50,
//! p95, min, max per cell, and after/before of the p50s) and every sample; it fails when a
//! measurement failed (a condition never held), never on a time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use mekaar_tests::bench::{check_server_binary, env_u64, exit_code, server_bin, ServerProcess};
use mekaar_tests::chromium::{Chromedriver, CHROMEDRIVER, CHROMIUM, CHROMIUM_ARGS};
use serde_json::{json, Value};
use tempfile::TempDir;

/// Longest any one WebDriver command (new session, navigation, script) may take beyond
/// the wait it contains.
const COMMAND_LIMIT: Duration = Duration::from_secs(60);

/// Installed before any script of every new document. `LIMIT_MS` is replaced.
///
/// Records in `window.__mekaarBench` the `performance.now()` at which each condition was
/// first seen to hold; stops checking once the page's conditions held (a page without a
/// kind of placeholder, seen at DOMContentLoaded, has nothing to wait for) or after
/// `LIMIT_MS`.
const PROBE: &str = r#"
(function () {
  if (window.top !== window || window.__mekaarBench) return;
  var w = window.__mekaarBench = { support: null, list: null, errors: [], notify: null };
  addEventListener('error', function (e) { w.errors.push('error: ' + (e.message || String(e.error))); });
  addEventListener('unhandledrejection', function (e) { w.errors.push('unhandledrejection: ' + String(e.reason)); });
  var until = performance.now() + LIMIT_MS;
  var finished = false, loaded = false;
  var OPTIONS = { childList: true, subtree: true, attributes: true, characterData: true };
  function text(el) { return el ? el.textContent.trim() : ''; }
  function shadowOf(kind) {
    var host = document.querySelector('[data-mekaar="' + kind + '"]');
    return host ? host.shadowRoot : null;
  }
  function supportReady() {
    var s = shadowOf('support');
    var root = s && s.querySelector('.mekaar-root[data-state="ready"]');
    if (!root) return false;
    var button = root.querySelector('button.mekaar-support-button');
    return !!button && !button.disabled && text(root.querySelector('.mekaar-count')) !== '';
  }
  function listReady() {
    var s = shadowOf('initiatives');
    var card = s && s.querySelector('.mekaar-card');
    if (!card || text(card) === '') return false;
    if (card.checkVisibility && !card.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    var box = card.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }
  function wanted(kind) {
    return !loaded || !!document.querySelector('[data-mekaar="' + kind + '"]');
  }
  function check() {
    if (finished) return;
    var now = performance.now();
    if (w.support === null && supportReady()) w.support = now;
    if (w.list === null && listReady()) w.list = now;
    if (((w.support !== null || !wanted('support')) && (w.list !== null || !wanted('initiatives'))) || now > until) {
      finished = true;
      observer.disconnect();
    }
    if (w.notify) w.notify();
  }
  var observer = new MutationObserver(check);
  observer.observe(document, OPTIONS);
  var attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function () {
    var root = attach.apply(this, arguments);
    if (!finished) observer.observe(root, OPTIONS);
    return root;
  };
  document.addEventListener('DOMContentLoaded', function () { loaded = true; check(); });
  function frame() { check(); if (!finished) requestAnimationFrame(frame); }
  requestAnimationFrame(frame);
})();
"#;

/// Waits (at most `arguments[1]` ms) until the probe has `arguments[0]`; returns it with
/// what the page looked like.
const READ_PROBE: &str = r#"
var key = arguments[0], bound = arguments[1], done = arguments[arguments.length - 1];
var w = window.__mekaarBench;
function widgets() {
  return Array.from(document.querySelectorAll('[data-mekaar]')).map(function (host) {
    var root = host.shadowRoot && host.shadowRoot.querySelector('.mekaar-root');
    return host.getAttribute('data-mekaar') + ': loader ' + host.getAttribute('data-mekaar-state') +
      ', root ' + (root ? root.getAttribute('data-state') : 'none');
  });
}
function report(error) {
  done({ t: w ? w[key] : null, error: error || null, url: location.href,
         errors: w ? w.errors : [], widgets: widgets() });
}
if (!w) {
  report('the probe did not run in this page');
} else if (w[key] !== null) {
  report(null);
} else {
  var timer = setTimeout(function () { w.notify = null; report('not reached within ' + bound + ' ms'); }, bound);
  w.notify = function () {
    if (w[key] !== null) { clearTimeout(timer); w.notify = null; report(null); }
  };
}
"#;

#[derive(Clone, Copy, PartialEq)]
enum Page {
    /// `index.html`: the first support button is interactive.
    Support,
    /// `initiatieven.html`: the list's first card is visible.
    List,
}

impl Page {
    const ALL: [Page; 2] = [Page::Support, Page::List];
    fn path(self) -> &'static str {
        match self {
            Page::Support => "/index.html",
            Page::List => "/initiatieven.html",
        }
    }
    fn probe_key(self) -> &'static str {
        match self {
            Page::Support => "support",
            Page::List => "list",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Page::Support => "support button interactive (`index.html`)",
            Page::List => "list's first card visible (`initiatieven.html`)",
        }
    }
}

/// One server build under test.
struct Build {
    name: &'static str,
    bin: PathBuf,
    server: ServerProcess,
    /// The demo host site's origin.
    host: String,
    /// Kept until the server has stopped (fields drop in order: the server first).
    _data: TempDir,
    /// Milliseconds per (page, cold = 0 / warm = 1).
    samples: [[Vec<f64>; 2]; 2],
    failures: Vec<String>,
}

fn main() -> ExitCode {
    exit_code(run())
}

fn run() -> Result<bool, String> {
    let runs = env_u64("MEKAAR_BENCH_RUNS", 20, 1000)?.max(1) as usize;
    let warmup = env_u64("MEKAAR_BENCH_WARMUP_RUNS", 1, 100)? as usize;
    let wait = Duration::from_secs(env_u64("MEKAAR_BENCH_WAIT_SECS", 30, 600)?.max(1));
    for path in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(path).exists() {
            return Err(format!(
                "{path} is missing: this bench needs Debian's chromium and chromium-driver"
            ));
        }
    }

    let mut bins: Vec<(&'static str, PathBuf)> = Vec::new();
    if let Some(before) = std::env::var_os("MEKAAR_BENCH_BEFORE_BIN") {
        let before = PathBuf::from(before);
        if !before.is_file() {
            return Err(format!(
                "MEKAAR_BENCH_BEFORE_BIN={}: no such file",
                before.display()
            ));
        }
        bins.push(("before", before));
    }
    let after = server_bin();
    check_server_binary(&after)?;
    bins.push(("after", after));

    let mut builds = Vec::new();
    for (name, bin) in bins {
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (server, host) = ServerProcess::start_demo(&bin, data.path())?;
        println!(
            "{name}: {} (pid {}), API {}, demo host site {host}",
            bin.display(),
            server.pid(),
            server.addr
        );
        builds.push(Build {
            name,
            bin,
            server,
            host,
            _data: data,
            samples: Default::default(),
            failures: Vec::new(),
        });
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let outcome = runtime.block_on(async {
        for build in &builds {
            bundle_size(build).await;
        }
        let driver = Chromedriver::start(Duration::from_secs(30)).await?;
        println!(
            "{}; {runs} runs (+{warmup} warm-up) per cell; machine: {} cores, load average {}",
            chromium_version(),
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_average()
        );
        let started = Instant::now();
        for iteration in 0..warmup + runs {
            let counted = iteration >= warmup;
            for page in Page::ALL {
                // before, after; then after, before; …
                let order: Vec<usize> = if iteration % 2 == 0 {
                    (0..builds.len()).collect()
                } else {
                    (0..builds.len()).rev().collect()
                };
                for b in order {
                    let build = &mut builds[b];
                    let url = format!("{}{}", build.host, page.path());
                    match measure(&driver.url, &url, page, wait).await {
                        Ok([cold, warm]) => {
                            if counted {
                                build.samples[page as usize][0].push(cold);
                                build.samples[page as usize][1].push(warm);
                            }
                        }
                        Err(e) => {
                            eprintln!("{} {url}: {e}", build.name);
                            build.failures.push(format!("{url}: {e}"));
                        }
                    }
                }
            }
            print!(
                "{}",
                if counted {
                    format!(" {}", iteration - warmup + 1)
                } else {
                    " warm-up".to_string()
                }
            );
            let _ = std::io::stdout().flush();
        }
        println!(
            "\n{} runs in {:.0} s; load average {}",
            runs,
            started.elapsed().as_secs_f64(),
            load_average()
        );
        drop(driver);
        Ok::<(), String>(())
    });
    outcome?;

    print_table(&builds, runs);
    print_samples(&builds);
    let failures: usize = builds.iter().map(|b| b.failures.len()).sum();
    for build in &builds {
        println!(
            "{}: {} server pid {} ({}), {} failed measurement(s)",
            build.name,
            build.bin.display(),
            build.server.pid(),
            build.host,
            build.failures.len()
        );
    }
    Ok(failures == 0)
}

/// One session with a fresh profile: the page cold, then warm. Milliseconds.
async fn measure(driver: &str, url: &str, page: Page, wait: Duration) -> Result<[f64; 2], String> {
    let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
    let client = new_session(driver, profile.path()).await?;
    let result = async {
        install_probe(driver, &client, wait).await?;
        let cold = visit(&client, url, page, wait).await?;
        let warm = visit(&client, url, page, wait).await?;
        Ok([cold, warm])
    }
    .await;
    let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
    drop(profile);
    result
}

async fn new_session(driver: &str, profile: &Path) -> Result<Client, String> {
    let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": CHROMIUM, "args": args }),
    );
    let mut builder = ClientBuilder::native();
    builder.capabilities(caps);
    match tokio::time::timeout(COMMAND_LIMIT, builder.connect(driver)).await {
        Ok(Ok(client)) => Ok(client),
        Ok(Err(e)) => Err(format!("new WebDriver session: {e}")),
        Err(_) => Err("new WebDriver session: timed out".into()),
    }
}

/// The probe, for every document this session opens from now on (chromedriver passes
/// Chrome DevTools Protocol commands on).
async fn install_probe(driver: &str, client: &Client, wait: Duration) -> Result<(), String> {
    let session = client
        .session_id()
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no WebDriver session id")?;
    let source = PROBE.replace("LIMIT_MS", &wait.as_millis().to_string());
    let response = reqwest::Client::new()
        .post(format!("{driver}/session/{session}/goog/cdp/execute"))
        .timeout(COMMAND_LIMIT)
        .json(&json!({
            "cmd": "Page.addScriptToEvaluateOnNewDocument",
            "params": { "source": source }
        }))
        .send()
        .await
        .map_err(|e| format!("install the probe: {e}"))?;
    if !response.status().is_success() {
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        return Err(format!("install the probe: HTTP {status}: {body}"));
    }
    Ok(())
}

/// Opens `url` and returns the probe's time for `page`, in ms after navigation start.
async fn visit(client: &Client, url: &str, page: Page, wait: Duration) -> Result<f64, String> {
    match tokio::time::timeout(COMMAND_LIMIT, client.goto(url)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(format!("open: {e}")),
        Err(_) => return Err("open: timed out".into()),
    }
    let read = client.execute_async(
        READ_PROBE,
        vec![json!(page.probe_key()), json!(wait.as_millis() as u64)],
    );
    let value = match tokio::time::timeout(wait + COMMAND_LIMIT, read).await {
        Ok(Ok(value)) => value,
        Ok(Err(e)) => return Err(format!("read the probe: {e}")),
        Err(_) => return Err("read the probe: timed out".into()),
    };
    match value.get("t").and_then(Value::as_f64) {
        Some(t) if value["url"] == json!(url) => Ok(t),
        _ => Err(format!("{value}")),
    }
}

// ---------------------------------------------------------------------------
// chromedriver

fn chromium_version() -> String {
    Command::new(CHROMIUM)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "chromium (version unknown)".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "n/a".into())
}

// ---------------------------------------------------------------------------
// Bundle sizes: what the browser loads, from the running server

fn brotli11(data: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        let _ = writer.write_all(data);
    }
    out.len()
}

/// Prints the brotli -q 11 size of `embed.js` and of every `pkg/…` file it names, as this
/// build's server serves them (best effort: a failure is printed, not fatal).
async fn bundle_size(build: &Build) {
    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        let url = build.server.url(&path);
        async move {
            let response = client
                .get(&url)
                .timeout(Duration::from_secs(30))
                .send()
                .await
                .map_err(|e| format!("GET {url}: {e}"))?;
            if !response.status().is_success() {
                return Err(format!("GET {url}: HTTP {}", response.status()));
            }
            response
                .bytes()
                .await
                .map_err(|e| format!("GET {url}: {e}"))
        }
    };
    let result = async {
        let loader = get("/embed.js".into()).await?;
        let text = String::from_utf8_lossy(&loader).into_owned();
        let mut files = vec![("embed.js".to_string(), loader.len(), brotli11(&loader))];
        for name in text.split('"').filter(|s| s.starts_with("pkg/")) {
            if files.iter().any(|(f, _, _)| f == name) {
                continue;
            }
            let data = get(format!("/{name}")).await?;
            files.push((name.to_string(), data.len(), brotli11(&data)));
        }
        Ok::<_, String>(files)
    }
    .await;
    match result {
        Ok(files) => {
            let raw: usize = files.iter().map(|f| f.1).sum();
            let br: usize = files.iter().map(|f| f.2).sum();
            let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
            println!(
                "{}: residents' bundle {raw} B raw, {br} B brotli -q 11 ({})",
                build.name,
                names.join(" + ")
            );
        }
        Err(e) => println!("{}: bundle size not measured: {e}", build.name),
    }
}

// ---------------------------------------------------------------------------
// The report

/// The `q` quantile of sorted `v`, interpolated linearly between the closest ranks.
fn quantile(v: &[f64], q: f64) -> f64 {
    let rank = q * (v.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (rank - lo as f64)
}

struct Summary {
    n: usize,
    p50: f64,
    p95: f64,
    min: f64,
    max: f64,
}

fn summary(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    Some(Summary {
        n: v.len(),
        p50: quantile(&v, 0.50),
        p95: quantile(&v, 0.95),
        min: v[0],
        max: v[v.len() - 1],
    })
}

fn print_table(builds: &[Build], runs: usize) {
    println!();
    println!("ms from navigation start ({runs} runs per cell; p50/p95 interpolated between ranks)");
    println!();
    print!("| condition | cache |");
    for build in builds {
        print!(" {0} p50 | {0} p95 | {0} min–max |", build.name);
    }
    if builds.len() == 2 {
        print!(" after/before p50 |");
    }
    println!();
    print!("|---|---|");
    for _ in builds {
        print!("---:|---:|---:|");
    }
    if builds.len() == 2 {
        print!("---:|");
    }
    println!();
    for page in Page::ALL {
        for (cache, cache_name) in ["cold", "warm"].iter().enumerate() {
            print!("| {} | {cache_name} |", page.label());
            let mut p50s = Vec::new();
            for build in builds {
                match summary(&build.samples[page as usize][cache]) {
                    Some(s) => {
                        let short = if s.n < runs {
                            format!(" (n={})", s.n)
                        } else {
                            String::new()
                        };
                        print!(
                            " {:.1}{short} | {:.1} | {:.1}–{:.1} |",
                            s.p50, s.p95, s.min, s.max
                        );
                        p50s.push(Some(s.p50));
                    }
                    None => {
                        print!(" n/a | n/a | n/a |");
                        p50s.push(None);
                    }
                }
            }
            if let [Some(before), Some(after)] = p50s[..] {
                print!(" **{:.2}×** |", after / before);
            } else if builds.len() == 2 {
                print!(" n/a |");
            }
            println!();
        }
    }
    println!();
}

fn print_samples(builds: &[Build]) {
    println!("every sample, ms, in run order:");
    for page in Page::ALL {
        for (cache, cache_name) in ["cold", "warm"].iter().enumerate() {
            for build in builds {
                let values: Vec<String> = build.samples[page as usize][cache]
                    .iter()
                    .map(|v| format!("{v:.1}"))
                    .collect();
                println!(
                    "  {} {cache_name} {}: {}",
                    page.probe_key(),
                    build.name,
                    values.join(" ")
                );
            }
        }
    }
    println!();
}
