//! Test harness: a real Mekaar server on an ephemeral loopback port with a
//! temporary data directory, and a plain HTTP client to talk to it.

pub mod answer;
pub mod bench;

pub use answer::{call, call_expecting, Answer};

use std::net::SocketAddr;

use mekaar_api::{CommunityCreate, CommunityCreated, InitiativeCreate, InitiativePublic};
use mekaar_server::{auth, server, store::Store};

pub use mekaar_server::http::Settings;
use tempfile::TempDir;

pub use mekaar_api::VOTER_HEADER;

pub struct TestServer {
    /// Kept so the directory lives as long as the server (and across restarts).
    pub dir: TempDir,
    running: Option<server::Running>,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub url: String,
    /// A server-wide admin token (may create communities).
    pub server_token: String,
    pub client: reqwest::Client,
}

/// The tests' HTTP client. Every request is bounded, so a server that hangs
/// fails the test instead of hanging it.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("http client")
}

fn loopback_any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("valid address")
}

impl TestServer {
    /// A fresh server on a new temporary data directory.
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_store(dir.path()).await;
        let server_token = auth::create_server_token(&store).expect("server token");
        Self::start_on(dir, store, server_token).await
    }

    async fn start_on(dir: TempDir, store: Store, server_token: String) -> TestServer {
        let running = server::start(store, loopback_any_port())
            .await
            .expect("start server");
        TestServer {
            url: running.url(),
            running: Some(running),
            dir,
            server_token,
            client: http_client(),
        }
    }

    /// Stops the server cleanly and starts a new one on the same data
    /// directory (on a new port).
    pub async fn restart(mut self) -> TestServer {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        let store = open_store(self.dir.path()).await;
        Self::start_on(self.dir, store, self.server_token).await
    }

    pub async fn stop(mut self) -> TempDir {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        self.dir
    }

    /// A fresh server with settings (rate limits, webhook retry delays).
    pub async fn start_with_settings(settings: Settings) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = open_store(dir.path()).await;
        let server_token = auth::create_server_token(&store).expect("server token");
        Self::start_store_with_settings(dir, store, server_token, settings).await
    }

    /// Starts a server on the data directory a stopped one left (see
    /// [`TestServer::stop`]), with settings; `server_token` is the old
    /// server's [`TestServer::server_token`].
    pub async fn start_in_with_settings(
        dir: TempDir,
        server_token: String,
        settings: Settings,
    ) -> TestServer {
        let store = open_store(dir.path()).await;
        Self::start_store_with_settings(dir, store, server_token, settings).await
    }

    async fn start_store_with_settings(
        dir: TempDir,
        store: Store,
        server_token: String,
        settings: Settings,
    ) -> TestServer {
        let running = server::start_with(store, loopback_any_port(), settings)
            .await
            .expect("start server");
        TestServer {
            url: running.url(),
            running: Some(running),
            dir,
            server_token,
            client: http_client(),
        }
    }

    /// As [`TestServer::restart`], with settings.
    pub async fn restart_with_settings(self, settings: Settings) -> TestServer {
        let token = self.server_token.clone();
        let dir = self.stop().await;
        Self::start_in_with_settings(dir, token, settings).await
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

/// Opens the store, waiting a little while the previous server in this
/// process lets go of it: sled's own background thread may hold the
/// directory's lock a moment after the last handle is dropped.
async fn open_store(dir: &std::path::Path) -> Store {
    for _ in 0..100 {
        match Store::open(dir) {
            Err(mekaar_server::store::StoreError::Locked(_)) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await
            }
            other => return other.expect("open store"),
        }
    }
    panic!("the data directory {} stayed locked for 5 s", dir.display());
}

/// A valid voter key, different for every `n`.
pub fn voter_key(n: u64) -> String {
    format!(
        "{:032x}",
        0x5eed_0000_0000_0000_0000_0000_0000_0000u128 + n as u128
    )
}
