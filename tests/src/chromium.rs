//! Debian's chromium driven over WebDriver: the flags every session gets and chromedriver
//! as a child process. Shared by the browser tests (`tests/browser/harness.rs`) and the
//! start-time bench (`benches/widget_start.rs`).

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The chromium flags of every session (plus its own fresh `--user-data-dir`).
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// `chromedriver --port=N` as a child process; shut down (and killed) on drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
    /// Where WebDriver clients connect.
    pub url: String,
}

impl Chromedriver {
    /// Starts chromedriver on a free loopback port and waits (at most `patience`) until it
    /// says it is ready.
    pub async fn start(patience: Duration) -> Result<Chromedriver, String> {
        for path in [CHROMIUM, CHROMEDRIVER] {
            if !std::path::Path::new(path).exists() {
                return Err(format!(
                    "{path} is missing: install Debian's chromium and chromium-driver"
                ));
            }
        }
        let port = crate::bench::free_loopback_port()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {CHROMEDRIVER}: {e}"))?;
        let driver = Chromedriver {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + patience;
        loop {
            let status = client
                .get(format!("{}/status", driver.url))
                .timeout(Duration::from_secs(5))
                .send()
                .await;
            if let Ok(response) = status {
                if let Ok(body) = response.json::<Value>().await {
                    if body["value"]["ready"] == json!(true) {
                        return Ok(driver);
                    }
                }
            }
            if Instant::now() >= deadline {
                return Err(format!("chromedriver on port {port} did not become ready"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // Ask politely first so chromedriver takes down any browser still open.
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
            let _ = stream.write_all(
                b"GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            );
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
