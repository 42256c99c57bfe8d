//! Test harness: a real Mekaar server on an ephemeral loopback port with a
//! temporary data directory, and a plain HTTP client to talk to it; and what the
//! integration tests, the browser tests and the benches share: the town (a server with
//! a community, and the calls made in it), a reader of live streams, a webhook receiver,
//! waiting for background work, the benches' helpers.

pub mod answer;
pub mod bench;
pub mod chromium;
pub mod smtp;
pub mod sse;
pub mod town;
pub mod wait;
pub mod webhook_receiver;

pub use answer::{call, call_expecting, Answer};
pub use town::{Hook, Mine, Town};
pub use wait::eventually;

use std::net::SocketAddr;
use std::time::Duration;

use mekaar_api::{CommunityCreate, CommunityCreated, InitiativeCreate, InitiativePublic};
use mekaar_server::abuse::Limits;
use mekaar_server::connections::ConnectionLimits;
use mekaar_server::http::Settings;
use mekaar_server::webhooks::RetryPolicy;
use mekaar_server::{auth, server, store::Store};
use tempfile::TempDir;

pub use mekaar_api::VOTER_HEADER;

/// A real Mekaar server on a loopback port, with its own temporary data directory.
/// [`TestServer::start`] starts one with the default settings; [`TestServer::builder`]
/// with other settings, or on the data directory a stopped one left.
pub struct TestServer {
    /// Kept so the directory lives as long as the server (and across restarts).
    pub dir: TempDir,
    running: Option<server::Running>,
    /// Kept for [`TestServer::restart`].
    settings: Settings,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
    /// A server-wide admin token (may create communities).
    pub server_token: String,
    pub client: reqwest::Client,
}

/// How a [`TestServer`] starts: its settings and its data directory.
pub struct TestServerBuilder {
    settings: Settings,
    /// The data directory of a stopped server and that server's token.
    data: Option<(TempDir, String)>,
}

impl Default for TestServerBuilder {
    /// A real deployment's settings, except that webhooks may reach loopback
    /// (`--allow-private-webhooks`: the tests' receivers listen there), and
    /// that wrong tokens are not slowed down: the tests of who may call what
    /// try many from one address. The tests of that slowing down set their
    /// own [`Limits`].
    fn default() -> Self {
        let mut settings = Settings::default();
        settings.webhooks.allow_private_destinations = true;
        settings.limits.sign_in_failures = 10_000;
        TestServerBuilder {
            settings,
            data: None,
        }
    }
}

impl TestServerBuilder {
    /// Caps and timeouts of connections (tests shorten the timeouts).
    pub fn connections(mut self, limits: ConnectionLimits) -> Self {
        self.settings.connections = limits;
        self
    }

    /// Webhooks reach public addresses only, as in a real deployment.
    pub fn public_webhooks_only(mut self) -> Self {
        self.settings.webhooks.allow_private_destinations = false;
        self
    }

    /// Rate limits (the defaults of a real deployment otherwise).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.settings.limits = limits;
        self
    }

    /// How webhook deliveries are retried (tests shorten the delays).
    pub fn webhooks(mut self, retries: RetryPolicy) -> Self {
        self.settings.webhooks = retries;
        self
    }

    /// E-mail settings (SMTP on loopback, short digest intervals and retries).
    pub fn mail(mut self, mail: mekaar_server::mail::MailSettings) -> Self {
        self.settings.mail = mail;
        self
    }

    /// The address residents use (without it, the request's Host header).
    pub fn public_url(mut self, url: &str) -> Self {
        self.settings.public_url = Some(url.to_string());
        self
    }

    /// Starts on the data directory a stopped server left (see [`TestServer::stop`]), or a
    /// restored one; `server_token` is a server-wide token stored in it (the old server's
    /// [`TestServer::server_token`]). Without it, the server gets a fresh directory.
    pub fn data_dir(mut self, dir: TempDir, server_token: String) -> Self {
        self.data = Some((dir, server_token));
        self
    }

    pub async fn start(self) -> TestServer {
        let (dir, store, server_token) = match self.data {
            Some((dir, server_token)) => {
                let store = open_store(dir.path()).await;
                (dir, store, server_token)
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = open_store(dir.path()).await;
                let server_token = auth::create_server_token(&store).expect("server token");
                (dir, store, server_token)
            }
        };
        let running = server::start_with(store, loopback_any_port(), self.settings.clone())
            .await
            .expect("start server");
        TestServer {
            url: running.url(),
            running: Some(running),
            settings: self.settings,
            dir,
            server_token,
            client: http_client(),
        }
    }
}

/// The longest wait between two attempts of a webhook delivery with [`quick_retries`].
pub const QUICK_RETRY_MAX_DELAY: Duration = Duration::from_millis(400);

/// Webhook retries quick enough for a test: the first 100 ms after a failure, doubling up
/// to [`QUICK_RETRY_MAX_DELAY`], the outbox looked at every 50 ms; given up after
/// `max_attempts`.
pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        first_delay: Duration::from_millis(100),
        max_delay: QUICK_RETRY_MAX_DELAY,
        max_attempts,
        poll_every: Duration::from_millis(50),
        request_timeout: Duration::from_secs(10),
        // The tests' receivers listen on loopback.
        allow_private_destinations: true,
    }
}

/// The tests' HTTP client. Every request is bounded, so a server that hangs
/// fails the test instead of hanging it.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("http client")
}

fn loopback_any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("valid address")
}

impl TestServer {
    /// A fresh server with the default settings on a new temporary data directory.
    pub async fn start() -> TestServer {
        Self::builder().start().await
    }

    /// A server with other settings, or on the data a stopped one left.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder::default()
    }

    /// Stops the server cleanly and starts a new one with the same settings on the same
    /// data directory (on a new port).
    pub async fn restart(self) -> TestServer {
        let (token, settings) = (self.server_token.clone(), self.settings.clone());
        let dir = self.stop().await;
        TestServerBuilder {
            settings,
            data: Some((dir, token)),
        }
        .start()
        .await
    }

    /// Stops the server cleanly; its data directory, to look into or to start on again.
    pub async fn stop(mut self) -> TempDir {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        self.dir
    }

    /// `path` must start with `/`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// `/api/v1/admin/communities/{slug}{tail}` with `token` as Bearer; must succeed.
    /// The answer's JSON, or null.
    pub async fn admin_call(
        &self,
        token: &str,
        method: reqwest::Method,
        slug: &str,
        tail: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        let url = self.at(&format!("/api/v1/admin/communities/{slug}{tail}"));
        let mut request = self.client.request(method.clone(), &url).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {url}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    pub fn community_url(&self, slug: &str, rest: &str) -> String {
        self.at(&format!("/api/v1/communities/{slug}{rest}"))
    }

    pub fn support_url(&self, slug: &str, initiative: &str) -> String {
        self.community_url(slug, &format!("/initiatives/{initiative}/support"))
    }

    /// Creates a community over the admin API; returns it and its admin token.
    pub async fn create_community(&self, slug: &str, origins: &[&str]) -> CommunityCreated {
        let response = self
            .client
            .post(self.at("/api/v1/admin/communities"))
            .bearer_auth(&self.server_token)
            .json(&CommunityCreate {
                slug: slug.into(),
                name: format!("Community {slug}"),
                languages: None,
                allowed_origins: origins.iter().map(|o| o.to_string()).collect(),
                areas: vec!["Dorpskern".into()],
                themes: vec!["Groen".into()],
                support_threshold: Some(50),
                moderation: None,
                reports_before_hide: None,
                initiatives_page: None,
                mail_from: None,
            })
            .send()
            .await
            .expect("create community request");
        assert_eq!(response.status(), 201, "creating community {slug}");
        response.json().await.expect("community created body")
    }

    /// Creates an initiative with the community's admin token.
    pub async fn create_initiative(
        &self,
        slug: &str,
        token: &str,
        title: &str,
    ) -> InitiativePublic {
        let response = self
            .client
            .post(self.at(&format!("/api/v1/admin/communities/{slug}/initiatives")))
            .bearer_auth(token)
            .json(&InitiativeCreate {
                title: title.into(),
                summary: String::new(),
                area: None,
                theme: None,
            })
            .send()
            .await
            .expect("create initiative request");
        assert_eq!(response.status(), 201, "creating initiative in {slug}");
        response.json().await.expect("initiative body")
    }
}

/// The file in a test's data directory that names its PostgreSQL database
/// (under `MEKAAR_TEST_DATABASE`), so a restart, or a look into the store
/// after a stop, opens the same database again.
const DATABASE_URL_FILE: &str = "postgres-url";

/// Whether the tests run on PostgreSQL (`MEKAAR_TEST_DATABASE=postgres://…/`).
pub fn on_postgres() -> bool {
    std::env::var_os("MEKAAR_TEST_DATABASE").is_some_and(|v| !v.is_empty())
}

/// Skips a test that is about sled's data directory when the tests run on
/// PostgreSQL, saying why; true when skipped.
pub fn skip_on_postgres(reason: &str) -> bool {
    if on_postgres() {
        eprintln!("skipped on PostgreSQL: {reason}");
    }
    on_postgres()
}

/// Opens the store of a test's data directory `dir`: sled in it, or, under
/// `MEKAAR_TEST_DATABASE`, a fresh PostgreSQL database made for it (named in
/// the directory, so opening `dir` again opens the same database). Waits a
/// little while the previous server in this process lets go of a sled
/// directory: sled's own background thread may hold its lock a moment after
/// the last handle is dropped.
pub async fn open_store(dir: &std::path::Path) -> Store {
    if let Some(url) = database_of(dir).await {
        return Store::open_postgres(&url).expect("open the test database");
    }
    for _ in 0..100 {
        match Store::open(dir) {
            Err(mekaar_server::store::StoreError::Locked(_)) => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            other => return other.expect("open store"),
        }
    }
    panic!("the data directory {} stayed locked for 5 s", dir.display());
}

/// Under `MEKAAR_TEST_DATABASE`: the files of the PostgreSQL cluster that can
/// hold the data of `dir`'s database (its own directory under `base/`, the
/// shared `global/` and the WAL), after a CHECKPOINT, so every committed page
/// is in its files. Readable here: the tests run as root beside the
/// throwaway cluster of scripts/pg-start. For tests that look for bytes on disk.
pub async fn postgres_files(dir: &std::path::Path) -> Option<Vec<std::path::PathBuf>> {
    let url = std::fs::read_to_string(dir.join(DATABASE_URL_FILE)).ok()?;
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect to the test database");
    let connection = tokio::spawn(connection);
    client
        .batch_execute("CHECKPOINT")
        .await
        .expect("checkpoint");
    let data: String = client
        .query_one("SHOW data_directory", &[])
        .await
        .expect("the data directory")
        .get(0);
    let oid: u32 = client
        .query_one(
            "SELECT oid FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .await
        .expect("the database's oid")
        .get(0);
    drop(client);
    let _ = connection.await;
    let data = std::path::PathBuf::from(data);
    Some(vec![
        data.join("base").join(oid.to_string()),
        data.join("global"),
        data.join("pg_wal"),
    ])
}

/// Under `MEKAAR_TEST_DATABASE`: a fresh database for `dir` (the same one
/// again for the same `dir`), for tests that run the server binary on it.
pub async fn test_database_url(dir: &std::path::Path) -> Option<String> {
    database_of(dir).await
}

/// The database URL of `dir` (made on first use) under `MEKAAR_TEST_DATABASE`.
async fn database_of(dir: &std::path::Path) -> Option<String> {
    let file = dir.join(DATABASE_URL_FILE);
    if let Ok(url) = std::fs::read_to_string(&file) {
        return Some(url);
    }
    // A sled directory (e.g. one an import or a restore made) stays sled.
    if !on_postgres() || dir.join("db").exists() {
        return None;
    }
    let base = std::env::var("MEKAAR_TEST_DATABASE").expect("checked");
    let name = format!("mekaar_test_{:016x}", rand_u64());
    let (client, connection) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("connecting to MEKAAR_TEST_DATABASE {base}: {e}"));
    let connection = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    drop(client);
    let _ = connection.await;
    let url = with_database(&base, &name);
    std::fs::create_dir_all(dir).expect("the data directory");
    std::fs::write(&file, &url).expect("note the test database");
    Some(url)
}

/// `base` (a postgres:// URL) with its database replaced by `name`.
pub(crate) fn with_database(base: &str, name: &str) -> String {
    let (url, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let authority_end = url
        .find("://")
        .map(|i| i + 3)
        .and_then(|start| url[start..].find('/').map(|i| start + i))
        .unwrap_or(url.len());
    let mut out = format!("{}/{name}", &url[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

/// A valid voter key, different for every `n`.
pub fn voter_key(n: u64) -> String {
    format!(
        "{:032x}",
        0x5eed_0000_0000_0000_0000_0000_0000_0000u128 + n as u128
    )
}
