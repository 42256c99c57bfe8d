//! Durability of the real binary: a support answered with 200 is on disk,
//! also when the process is killed with SIGKILL a moment later; and the CLI
//! gives clear messages for the mistakes people make with it.

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_mekaar-server");

/// Concurrent clients hammering the server when it is killed.
const WORKERS: usize = 64;
/// At most this many supports are attempted in all.
const TOTAL: u64 = 3000;
/// The server is killed as soon as this many supports were acknowledged.
const KILL_AFTER_ACKNOWLEDGED: usize = 500;

fn voter(n: u64) -> String {
    format!(
        "{:032x}",
        0xd00d_0000_0000_0000_0000_0000_0000_0000u128 + n as u128
    )
}

/// Runs the CLI on `dir` and returns what it printed. A command that has
/// not ended after two minutes is killed and fails the test (hang guard).
fn cli(dir: &Path, args: &[&str]) -> Output {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::SeqCst);
    let out_path = dir.with_extension(format!("cli-{run}.out"));
    let err_path = dir.with_extension(format!("cli-{run}.err"));
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("MEKAAR_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).expect("output file"))
        .stderr(File::create(&err_path).expect("output file"))
        .spawn()
        .expect("run mekaar-server");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`mekaar-server {}` did not end within 120 s",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).expect("stdout"),
        stderr: std::fs::read(&err_path).expect("stderr"),
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The last non-empty line the command printed (tokens and ids come last).
fn last_line(output: &Output) -> String {
    stdout(output)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[track_caller]
fn succeeded(output: Output) -> Output {
    assert!(
        output.status.success(),
        "failed: {:?}\nstdout: {}\nstderr: {}",
        output.status,
        stdout(&output),
        stderr(&output)
    );
    output
}

/// A running `mekaar-server serve`, killed when dropped.
struct Server {
    child: Arc<Mutex<Option<Child>>>,
    url: String,
    log: PathBuf,
}

impl Server {
    /// Starts the server on a free loopback port (retrying when another
    /// process took the port first) and waits until it answers.
    async fn start(dir: &Path, http: &reqwest::Client, attempt_name: &str) -> Server {
        for attempt in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let log = dir
                .parent()
                .unwrap()
                .join(format!("{attempt_name}-{attempt}.log"));
            let child = Command::new(BIN)
                .arg("--data-dir")
                .arg(dir)
                .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
                .env("MEKAAR_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(File::create(&log).expect("log file"))
                .stderr(File::create(log.with_extension("err")).expect("log file"))
                .spawn()
                .expect("spawn server");
            let server = Server {
                child: Arc::new(Mutex::new(Some(child))),
                url: format!("http://127.0.0.1:{port}"),
                log,
            };
            if server.wait_until_ready(http).await {
                return server;
            }
        }
        panic!("the server did not start in 5 attempts");
    }

    /// True once `/healthz` answers; false when the process ended first.
    async fn wait_until_ready(&self, http: &reqwest::Client) -> bool {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Some(child) = self.child.lock().unwrap().as_mut() {
                if let Ok(Some(_)) = child.try_wait() {
                    return false;
                }
            }
            if let Ok(response) = http.get(format!("{}/healthz", self.url)).send().await {
                if response.status() == 200 {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the server did not answer within 120 s (log: {:?})",
            self.log
        );
    }

    /// SIGKILL, and wait until the process is gone.
    fn kill(child: &Mutex<Option<Child>>) {
        if let Some(mut child) = child.lock().unwrap().take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        Server::kill(&self.child);
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_supports_survive_kill_9() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let http = client();

    succeeded(cli(
        &dir,
        &["community", "create", "demo", "--name", "Demo"],
    ));
    let initiative = last_line(&succeeded(cli(
        &dir,
        &["initiative", "create", "demo", "--title", "Speeltuin"],
    )));
    assert!(
        !initiative.is_empty() && !initiative.contains(' '),
        "{initiative:?}"
    );
    let server_token = last_line(&succeeded(cli(&dir, &["admin-token"])));

    let server = Server::start(&dir, &http, "first").await;
    let support_url = format!(
        "{}/api/v1/communities/demo/initiatives/{initiative}/support",
        server.url
    );

    let next = Arc::new(AtomicU64::new(0));
    let acknowledged = Arc::new(Mutex::new(Vec::<u64>::new()));
    let failed = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (http, url) = (http.clone(), support_url.clone());
            let (next, acknowledged, failed) = (next.clone(), acknowledged.clone(), failed.clone());
            let child = server.child.clone();
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= TOTAL {
                        return;
                    }
                    let answer = http.put(&url).header("mekaar-voter", voter(n)).send().await;
                    let ok = match answer {
                        Ok(response) if response.status() == 200 => {
                            // Acknowledged only once the whole answer arrived.
                            let body: Option<Value> = response.json().await.ok();
                            body.is_some_and(|b| b["supported"] == true)
                        }
                        Ok(response) => {
                            panic!("support {n} answered {}", response.status())
                        }
                        Err(_) => false,
                    };
                    if !ok {
                        // The server is gone (killed): this worker is done.
                        failed.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    let acked = {
                        let mut all = acknowledged.lock().unwrap();
                        all.push(n);
                        all.len()
                    };
                    if acked == KILL_AFTER_ACKNOWLEDGED {
                        // kill -9 while the other workers' requests are in flight.
                        Server::kill(&child);
                    }
                }
            })
        })
        .collect();
    // Meanwhile an admin adds initiatives, until the server is gone.
    let admin = {
        let http = http.clone();
        let url = format!("{}/api/v1/admin/communities/demo/initiatives", server.url);
        let token = server_token.clone();
        tokio::spawn(async move {
            let mut created = Vec::new();
            for k in 0..2000 {
                let answer = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"title": format!("Voor de kill {k}")}))
                    .send()
                    .await;
                let Ok(response) = answer else { break };
                if response.status() != 201 {
                    break;
                }
                let Ok(body) = response.json::<Value>().await else {
                    break;
                };
                created.push(body["id"].as_str().expect("id").to_string());
            }
            created
        })
    };
    for worker in workers {
        worker.await.expect("worker");
    }
    let created_initiatives = admin.await.expect("admin task");
    let attempted = next.load(Ordering::SeqCst).min(TOTAL);
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= KILL_AFTER_ACKNOWLEDGED);
    assert!(
        attempted < TOTAL && failed.load(Ordering::SeqCst) > 0,
        "the kill did not interrupt the load (attempted {attempted}, failed {failed:?})"
    );
    assert!(server.child.lock().unwrap().is_none(), "server was killed");
    drop(server);

    // Restart on the same directory: sled recovers from its log.
    let server = Server::start(&dir, &http, "second").await;
    let support_url = format!(
        "{}/api/v1/communities/demo/initiatives/{initiative}/support",
        server.url
    );
    // Ask about every key that was ever sent, 16 at a time.
    let states = Arc::new(Mutex::new(vec![
        None::<(bool, u64)>;
        attempted as usize + 1
    ]));
    let next = Arc::new(AtomicU64::new(0));
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let (http, url, states, next) = (
                http.clone(),
                support_url.clone(),
                states.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                loop {
                    // One key beyond the attempted ones: never sent.
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n > attempted {
                        return;
                    }
                    let response = http
                        .get(&url)
                        .header("mekaar-voter", voter(n))
                        .send()
                        .await
                        .expect("state answered");
                    assert_eq!(response.status(), 200);
                    let body: Value = response.json().await.expect("state body");
                    let state = (
                        body["supported"].as_bool().expect("supported"),
                        body["support_count"].as_u64().expect("support_count"),
                    );
                    states.lock().unwrap()[n as usize] = Some(state);
                }
            })
        })
        .collect();
    for reader in readers {
        reader.await.expect("reader");
    }
    let states: Vec<(bool, u64)> = states
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.expect("every key asked"))
        .collect();

    let lost: Vec<u64> = acknowledged
        .iter()
        .copied()
        .filter(|&n| !states[n as usize].0)
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged supports were lost by kill -9: {:?}",
        lost.len(),
        &lost[..lost.len().min(20)]
    );
    assert!(
        !states[attempted as usize].0,
        "a never-sent key reads supported"
    );
    let supporters = states.iter().filter(|s| s.0).count() as u64;
    let count = states[0].1;
    eprintln!(
        "kill -9: attempted {attempted}, acknowledged {}, supported after restart {supporters}, count {count}, initiatives acknowledged {}",
        acknowledged.len(),
        created_initiatives.len()
    );
    assert!(
        states.iter().all(|s| s.1 == count),
        "the count changed while reading"
    );
    assert_eq!(
        count, supporters,
        "the stored count differs from the supports that survived"
    );
    assert!(supporters >= acknowledged.len() as u64);
    assert!(supporters <= attempted);

    // The public initiative shows the same count, and the server token made
    // by the CLI still works.
    let initiative_answer: Value = http
        .get(format!(
            "{}/api/v1/communities/demo/initiatives/{initiative}",
            server.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(initiative_answer["support_count"], count);
    let list: Value = http
        .get(format!(
            "{}/api/v1/communities/demo/initiatives",
            server.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: Vec<&str> = list["initiatives"]
        .as_array()
        .expect("initiatives")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    let lost_initiatives: Vec<&String> = created_initiatives
        .iter()
        .filter(|id| !listed.contains(&id.as_str()))
        .collect();
    assert!(
        lost_initiatives.is_empty(),
        "initiatives acknowledged with 201 were lost: {lost_initiatives:?}"
    );
    assert!(listed.contains(&initiative.as_str()));
    let communities = http
        .get(format!("{}/api/v1/admin/communities", server.url))
        .bearer_auth(&server_token)
        .send()
        .await
        .unwrap();
    assert_eq!(communities.status(), 200);

    // Counting goes on correctly after the recovery.
    let again: Value = http
        .put(&support_url)
        .header("mekaar-voter", voter(TOTAL + 10))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["support_count"], count + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_reports_mistakes_clearly() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let http = client();

    let first = succeeded(cli(
        &dir,
        &["community", "create", "demo", "--name", "Demo"],
    ));
    let token = last_line(&first);
    assert!(
        token.len() >= 20,
        "an admin token is printed: {}",
        stdout(&first)
    );

    // The same slug again: refused, clearly, and nothing changed.
    let again = cli(&dir, &["community", "create", "demo", "--name", "Other"]);
    assert!(!again.status.success(), "duplicate slug accepted");
    let message = stderr(&again);
    assert!(
        message.contains("demo") && message.contains("already exists"),
        "unclear message: {message}"
    );
    assert!(
        !stdout(&again).contains("Admin token"),
        "{}",
        stdout(&again)
    );
    let list = stdout(&succeeded(cli(&dir, &["community", "list"])));
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(list.contains("Demo") && !list.contains("Other"), "{list}");

    // Invalid input is refused with a message, not a panic.
    let bad = cli(&dir, &["community", "create", "Bad Slug", "--name", "X"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("slug"), "{}", stderr(&bad));
    assert!(!stderr(&bad).contains("panicked"), "{}", stderr(&bad));
    let unknown = cli(&dir, &["initiative", "create", "nowhere", "--title", "X"]);
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("nowhere"), "{}", stderr(&unknown));

    // While a server runs on the directory, the CLI says it is in use.
    let server = Server::start(&dir, &http, "cli").await;
    for args in [
        &["community", "list"][..],
        &["community", "create", "venlo", "--name", "Venlo"][..],
        &["admin-token"][..],
    ] {
        let busy = cli(&dir, args);
        assert!(
            !busy.status.success(),
            "{args:?} succeeded on a busy directory"
        );
        let message = stderr(&busy);
        assert!(
            message.contains("in use"),
            "{args:?}: unclear message: {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
    }
    // And a second server on the same directory does not start.
    let second = cli(&dir, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!second.status.success());
    assert!(stderr(&second).contains("in use"), "{}", stderr(&second));

    // The running server still works; the token from the CLI works on it.
    let view = http
        .get(format!("{}/api/v1/admin/communities/demo", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(view.status(), 200);
    drop(server);

    // Once the server is gone the directory can be used again.
    succeeded(cli(
        &dir,
        &["community", "create", "venlo", "--name", "Venlo"],
    ));
}
