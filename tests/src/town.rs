//! The town: a test server with one community, its admin token and an HTTP client, and
//! the calls the integration tests make in it, as a resident (submit, support, join,
//! report, vote), an initiator (with the manage token) and its admins (moderate, answer,
//! webhooks, polls). Most calls return the [`Answer`] for the test to check; those that
//! return what they read (`submit_ok`, `draft_poll`, `queue`, `deliveries`, ...) check the
//! status themselves.

use mekaar_api::polls::{Phase, PollAdminView, PollResults};
use mekaar_api::MANAGE_HEADER;
use reqwest::Client;
use serde_json::{json, Value};

use crate::sse::Live;
use crate::{call, http_client, voter_key, Answer, TestServer, VOTER_HEADER};

/// A server with one community and that community's first admin token.
pub struct Town {
    pub server: TestServer,
    pub http: Client,
    pub slug: String,
    pub token: String,
}

/// What a resident keeps after submitting: the id and the manage token.
#[derive(Debug, Clone)]
pub struct Mine {
    pub id: String,
    pub token: String,
}

/// A webhook: its id and signing secret.
pub struct Hook {
    pub id: String,
    pub secret: String,
}

impl Town {
    /// Creates the community `slug` with the defaults of [`TestServer::create_community`],
    /// allowing `origins`.
    pub async fn start(server: TestServer, slug: &str, origins: &[&str]) -> Town {
        let created = server.create_community(slug, origins).await;
        Town {
            server,
            http: http_client(),
            slug: slug.into(),
            token: created.admin_token,
        }
    }

    /// Creates the community `community` describes (a creation body of the admin API, with
    /// its `slug`); the town and the creation's answer.
    pub async fn create(server: TestServer, community: &Value) -> (Town, Value) {
        let http = http_client();
        let created = call(
            http.post(server.at("/api/v1/admin/communities"))
                .bearer_auth(&server.server_token)
                .json(community),
        )
        .await;
        let body = created.expect_status(201).clone();
        let town = Town {
            server,
            http,
            slug: community["slug"].as_str().expect("a slug").into(),
            token: body["admin_token"]
                .as_str()
                .expect("admin token")
                .to_string(),
        };
        (town, body)
    }

    /// The same town after a restart of its server (see [`TestServer::restart`]).
    pub async fn restart(self) -> Town {
        Town {
            server: self.server.restart().await,
            ..self
        }
    }

    // ------------------------------------------------------------ initiatives

    pub fn url(&self, rest: &str) -> String {
        self.server.community_url(&self.slug, rest)
    }

    pub fn initiative_url(&self, id: &str, rest: &str) -> String {
        self.url(&format!("/initiatives/{id}{rest}"))
    }

    pub fn admin_url(&self, rest: &str) -> String {
        self.server
            .at(&format!("/api/v1/admin/communities/{}{rest}", self.slug))
    }

    pub async fn submit(&self, body: &Value) -> Answer {
        call(self.http.post(self.url("/initiatives")).json(body)).await
    }

    pub async fn submit_ok(&self, body: &Value) -> Mine {
        let answer = self.submit(body).await;
        let body = answer.expect_status(201);
        Mine {
            id: body["initiative"]["id"].as_str().expect("id").into(),
            token: body["manage_token"].as_str().expect("token").into(),
        }
    }

    pub async fn detail(&self, id: &str) -> Answer {
        call(self.http.get(self.initiative_url(id, ""))).await
    }

    pub async fn list(&self, query: &str) -> Answer {
        call(self.http.get(self.url(&format!("/initiatives{query}")))).await
    }

    /// The ids on one page of the list, in order.
    pub async fn list_ids(&self, query: &str) -> Vec<String> {
        self.list(query).await.expect_ok()["initiatives"]
            .as_array()
            .expect("initiatives")
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    }

    pub async fn manage(&self, id: &str, token: &str) -> Answer {
        call(
            self.http
                .get(self.initiative_url(id, "/manage"))
                .header(MANAGE_HEADER, token),
        )
        .await
    }

    pub async fn manage_edit(&self, id: &str, token: &str, change: &Value) -> Answer {
        call(
            self.http
                .patch(self.initiative_url(id, "/manage"))
                .header(MANAGE_HEADER, token)
                .json(change),
        )
        .await
    }

    pub async fn post_update(&self, id: &str, token: &str, text: &str) -> Answer {
        call(
            self.http
                .post(self.initiative_url(id, "/manage/updates"))
                .header(MANAGE_HEADER, token)
                .json(&json!({ "text": text })),
        )
        .await
    }

    pub async fn support(&self, id: &str, voter: &str) -> Answer {
        call(
            self.http
                .put(self.initiative_url(id, "/support"))
                .header(VOTER_HEADER, voter),
        )
        .await
    }

    pub async fn join(&self, id: &str, voter: &str, body: &Value) -> Answer {
        call(
            self.http
                .post(self.initiative_url(id, "/join"))
                .header(VOTER_HEADER, voter)
                .json(body),
        )
        .await
    }

    pub async fn join_state(&self, id: &str, voter: &str) -> Answer {
        call(
            self.http
                .get(self.initiative_url(id, "/join"))
                .header(VOTER_HEADER, voter),
        )
        .await
    }

    pub async fn withdraw_join(&self, id: &str, voter: &str) -> Answer {
        call(
            self.http
                .delete(self.initiative_url(id, "/join"))
                .header(VOTER_HEADER, voter),
        )
        .await
    }

    pub async fn report(&self, id: &str, voter: &str, reason: &str) -> Answer {
        call(
            self.http
                .post(self.initiative_url(id, "/report"))
                .header(VOTER_HEADER, voter)
                .json(&json!({ "reason": reason })),
        )
        .await
    }

    pub async fn moderate(&self, id: &str, action: &str) -> Answer {
        call(
            self.http
                .post(self.admin_url(&format!("/initiatives/{id}/moderation")))
                .bearer_auth(&self.token)
                .json(&json!({ "action": action, "note": format!("test: {action}") })),
        )
        .await
    }

    pub async fn admin_edit(&self, id: &str, change: &Value) -> Answer {
        call(
            self.http
                .patch(self.admin_url(&format!("/initiatives/{id}")))
                .bearer_auth(&self.token)
                .json(change),
        )
        .await
    }

    pub async fn admin_view(&self, id: &str) -> Answer {
        call(
            self.http
                .get(self.admin_url(&format!("/initiatives/{id}")))
                .bearer_auth(&self.token),
        )
        .await
    }

    pub async fn answer(&self, id: &str, text: &str, by: &str) -> Answer {
        call(
            self.http
                .put(self.admin_url(&format!("/initiatives/{id}/answer")))
                .bearer_auth(&self.token)
                .json(&json!({ "text": text, "answered_by": by })),
        )
        .await
    }

    /// Ids in a moderation queue.
    pub async fn queue(&self, which: &str) -> Vec<String> {
        let answer = call(
            self.http
                .get(self.admin_url(&format!("/initiatives?queue={which}")))
                .bearer_auth(&self.token),
        )
        .await;
        answer.expect_ok()["initiatives"]
            .as_array()
            .expect("initiatives")
            .iter()
            .map(|i| i["initiative"]["id"].as_str().unwrap().to_string())
            .collect()
    }

    pub async fn audit(&self) -> Answer {
        call(
            self.http
                .get(self.admin_url("/audit?limit=1000"))
                .bearer_auth(&self.token),
        )
        .await
    }

    pub async fn patch_community(&self, change: &Value) {
        call(
            self.http
                .patch(self.admin_url(""))
                .bearer_auth(&self.token)
                .json(change),
        )
        .await
        .expect_ok();
    }

    pub async fn get_text(&self, url: &str) -> Answer {
        call(self.http.get(url)).await
    }

    /// Everything the public can read about the community, as raw text:
    /// the list, every detail, the support and join states, both feeds.
    pub async fn public_texts(&self, ids: &[&str]) -> Vec<(String, String)> {
        let mut texts = Vec::new();
        for url in [
            self.url(""),
            self.url("/initiatives?limit=100"),
            self.url("/feed.json"),
            self.url("/feed.atom"),
        ] {
            let answer = self.get_text(&url).await;
            assert_eq!(answer.status, 200, "{url}: {answer:?}");
            texts.push((url, answer.text));
        }
        for id in ids {
            for rest in ["", "/support", "/join"] {
                let url = self.initiative_url(id, rest);
                let answer = call(self.http.get(&url).header(VOTER_HEADER, voter_key(999))).await;
                assert_eq!(answer.status, 200, "{url}: {answer:?}");
                texts.push((url, answer.text));
            }
        }
        texts
    }

    // --------------------------------------------------------------- webhooks

    pub async fn add_hook(&self, url: &str, events: &[&str]) -> Hook {
        let answer = call(
            self.http
                .post(self.admin_url("/webhooks"))
                .bearer_auth(&self.token)
                .json(&json!({ "url": url, "events": events })),
        )
        .await;
        let body = answer.expect_status(201);
        assert_eq!(body["webhook"]["url"], url);
        assert_eq!(body["webhook"]["events"], json!(events));
        Hook {
            id: body["webhook"]["id"].as_str().unwrap().into(),
            secret: body["secret"].as_str().unwrap().into(),
        }
    }

    /// The delivery log, oldest first.
    pub async fn deliveries(&self) -> Vec<Value> {
        let answer = call(
            self.http
                .get(self.admin_url("/webhooks/deliveries?limit=1000"))
                .bearer_auth(&self.token),
        )
        .await;
        let mut log = answer.expect_status(200).as_array().unwrap().clone();
        log.reverse();
        log
    }

    /// The attempts logged for one delivery, oldest first.
    pub async fn attempts(&self, delivery_id: &str) -> Vec<Value> {
        self.deliveries()
            .await
            .into_iter()
            .filter(|a| a["delivery_id"] == delivery_id)
            .collect()
    }

    // --------------------------------------------------------------- dialogue

    /// `/api/v1/communities/{slug}/threads/{kind}/{id}{rest}`
    pub fn thread_url(&self, kind: &str, id: &str, rest: &str) -> String {
        self.url(&format!("/threads/{kind}/{id}{rest}"))
    }

    /// `/api/v1/communities/{slug}/reactions/{id}{rest}`
    pub fn reaction_url(&self, id: &str, rest: &str) -> String {
        self.url(&format!("/reactions/{id}{rest}"))
    }

    /// A page of a thread as `voter` reads it (`query` like `?sort=agreed`).
    pub async fn thread(&self, kind: &str, id: &str, query: &str, voter: &str) -> Answer {
        call(
            self.http
                .get(self.thread_url(kind, id, query))
                .header(VOTER_HEADER, voter),
        )
        .await
    }

    /// Posts a reaction as `voter` (the body as the API takes it).
    pub async fn react(&self, kind: &str, id: &str, voter: &str, body: &Value) -> Answer {
        call(
            self.http
                .post(self.thread_url(kind, id, "/reactions"))
                .header(VOTER_HEADER, voter)
                .json(body),
        )
        .await
    }

    /// Posts `text` as `voter`; returns the new reaction's id.
    pub async fn react_ok(&self, kind: &str, id: &str, voter: &str, text: &str) -> String {
        let answer = self.react(kind, id, voter, &json!({ "text": text })).await;
        answer.expect_status(201)["id"]
            .as_str()
            .expect("an id")
            .to_string()
    }

    pub async fn agree(&self, reaction: &str, voter: &str, agree: bool) -> Answer {
        let url = self.reaction_url(reaction, "/agree");
        let request = if agree {
            self.http.put(url)
        } else {
            self.http.delete(url)
        };
        call(request.header(VOTER_HEADER, voter)).await
    }

    pub async fn report_reaction(&self, reaction: &str, voter: &str, reason: &str) -> Answer {
        call(
            self.http
                .post(self.reaction_url(reaction, "/report"))
                .header(VOTER_HEADER, voter)
                .json(&json!({ "reason": reason })),
        )
        .await
    }

    /// A moderator's decision about a reaction.
    pub async fn moderate_reaction(&self, reaction: &str, action: &str) -> Answer {
        call(
            self.http
                .post(self.admin_url(&format!("/reactions/{reaction}/moderate")))
                .bearer_auth(&self.token)
                .json(&json!({ "action": action, "note": format!("test: {action}") })),
        )
        .await
    }

    /// The ids in a reactions queue (`pending`, `reported`, `all`), newest first.
    pub async fn reaction_queue(&self, which: &str) -> Vec<String> {
        let answer = call(
            self.http
                .get(self.admin_url(&format!("/reactions?queue={which}")))
                .bearer_auth(&self.token),
        )
        .await;
        answer.expect_ok()["reactions"]
            .as_array()
            .expect("reactions")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_string())
            .collect()
    }

    /// Opens a topic; returns its id.
    pub async fn topic(&self, title: &str) -> String {
        let answer = call(
            self.http
                .post(self.admin_url("/topics"))
                .bearer_auth(&self.token)
                .json(&json!({ "title": title, "intro": "Praat mee." })),
        )
        .await;
        answer.expect_status(201)["id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    // ------------------------------------------------------------------ polls

    /// `/api/v1/admin/communities/{slug}/polls{rest}`
    pub fn admin_polls_url(&self, rest: &str) -> String {
        self.server.at(&format!(
            "/api/v1/admin/communities/{}/polls{rest}",
            self.slug
        ))
    }

    /// `/api/v1/communities/{slug}/polls/{id}{rest}`
    pub fn poll_url(&self, id: &str, rest: &str) -> String {
        self.server
            .community_url(&self.slug, &format!("/polls/{id}{rest}"))
    }

    pub async fn create_poll(&self, body: &Value) -> Answer {
        call(
            self.http
                .post(self.admin_polls_url(""))
                .bearer_auth(&self.token)
                .json(body),
        )
        .await
    }

    /// Creates a draft; returns its id.
    pub async fn draft_poll(&self, body: Value) -> String {
        let created: PollAdminView = self.create_poll(&body).await.parse(201);
        assert_eq!(created.phase, Phase::Draft, "{created:?}");
        assert_eq!(created.poll.round, 1);
        assert_eq!(created.results.total_votes, 0);
        created.poll.id
    }

    /// Creates and opens a poll; returns its id.
    pub async fn open_poll(&self, body: Value) -> String {
        let id = self.draft_poll(body).await;
        self.poll_action(&id, json!({"action": "open"}))
            .await
            .expect_ok();
        id
    }

    pub async fn poll_action(&self, id: &str, action: Value) -> Answer {
        call(
            self.http
                .post(self.admin_polls_url(&format!("/{id}/state")))
                .bearer_auth(&self.token)
                .json(&action),
        )
        .await
    }

    pub async fn edit_poll(&self, id: &str, edit: Value) -> Answer {
        call(
            self.http
                .patch(self.admin_polls_url(&format!("/{id}")))
                .bearer_auth(&self.token)
                .json(&edit),
        )
        .await
    }

    pub async fn poll_admin_view(&self, id: &str) -> PollAdminView {
        call(
            self.http
                .get(self.admin_polls_url(&format!("/{id}")))
                .bearer_auth(&self.token),
        )
        .await
        .parse(200)
    }

    pub async fn poll_admin_totals(&self, id: &str) -> PollResults {
        self.poll_admin_view(id).await.results
    }

    pub async fn vote_body(&self, id: &str, voter: Option<&str>, body: &Value) -> Answer {
        let mut request = self.http.post(self.poll_url(id, "/vote")).json(body);
        if let Some(voter) = voter {
            request = request.header(VOTER_HEADER, voter);
        }
        call(request).await
    }

    pub async fn vote(&self, id: &str, voter: &str, choices: Value) -> Answer {
        self.vote_body(id, Some(voter), &json!({ "choices": choices }))
            .await
    }

    pub async fn vote_with_code(&self, id: &str, code: &str, choices: Value) -> Answer {
        self.vote_body(id, None, &json!({ "choices": choices, "code": code }))
            .await
    }

    pub async fn poll_view(&self, id: &str, voter: Option<&str>) -> Answer {
        let mut request = self.http.get(self.poll_url(id, ""));
        if let Some(voter) = voter {
            request = request.header(VOTER_HEADER, voter);
        }
        call(request).await
    }

    pub async fn poll_results(&self, id: &str, voter: Option<&str>) -> Answer {
        let mut request = self.http.get(self.poll_url(id, "/results"));
        if let Some(voter) = voter {
            request = request.header(VOTER_HEADER, voter);
        }
        call(request).await
    }

    pub async fn vote_codes(&self, id: &str, count: usize, format: Option<&str>) -> Answer {
        let query = format.map(|f| format!("?format={f}")).unwrap_or_default();
        call(
            self.http
                .post(self.admin_polls_url(&format!("/{id}/codes{query}")))
                .bearer_auth(&self.token)
                .json(&json!({ "count": count })),
        )
        .await
    }

    /// The residents' live stream, optionally with a viewer ticket.
    pub async fn poll_live(&self, id: &str, ticket: Option<&str>) -> Live {
        let mut url = self.poll_url(id, "/live");
        if let Some(ticket) = ticket {
            url = format!("{url}?viewer={ticket}");
        }
        Live::connect(Client::new().get(url)).await
    }

    /// The editor's live stream.
    pub async fn poll_admin_live(&self, id: &str) -> Live {
        Live::connect(
            Client::new()
                .get(self.admin_polls_url(&format!("/{id}/live")))
                .bearer_auth(&self.token),
        )
        .await
    }
}
