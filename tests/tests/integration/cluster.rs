//! Two nodes on one PostgreSQL database (issue 17): two server processes,
//! clients spread over both as a load balancer without sticky routing
//! would. Votes split over the nodes count exactly once on both; a live
//! viewer on one node sees the votes the other took; killing a node with
//! `kill -9` in the middle of the load loses no acknowledged vote, and the
//! other node goes on serving. Runs only under `MEKAAR_TEST_DATABASE`
//! (`scripts/test` runs the suite a second time on PostgreSQL).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use mekaar_api::polls::PollResults;
use mekaar_tests::bench::ServerProcess;
use mekaar_tests::sse::Live;
use mekaar_tests::wait::eventually;
use mekaar_tests::webhook_receiver::Receiver;
use mekaar_tests::{http_client, voter_key, VOTER_HEADER};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

const OPTIONS: u64 = 4;
/// Votes in flight at once.
const CONCURRENCY: usize = 32;
/// How long the webhook receiver is watched to see that nothing more comes
/// (the outbox is looked at every second on each node).
const QUIET: Duration = Duration::from_secs(4);

struct Cluster {
    http: Client,
    token: String,
    nodes: Vec<ServerProcess>,
    url: String,
    work: tempfile::TempDir,
}

impl Cluster {
    /// Community `dorp` on a fresh database, and two nodes serving it;
    /// `None` without PostgreSQL.
    async fn start() -> Option<Cluster> {
        let mut cluster = Cluster::empty().await?;
        cluster.add_node(&[]);
        cluster.add_node(&[]);
        Some(cluster)
    }

    /// Community `dorp` on a fresh database, no node yet.
    async fn empty() -> Option<Cluster> {
        let work = tempfile::tempdir().unwrap();
        let url = mekaar_tests::test_database_url(work.path()).await?;
        let created = crate::cli::ok(
            &work.path().join("unused"),
            &[
                "--database",
                &url,
                "community",
                "create",
                "dorp",
                "--name",
                "Dorp",
            ],
        );
        let token = created.lines().last().unwrap().trim().to_string();
        assert!(token.starts_with("mk_"), "{created}");
        Some(Cluster {
            http: http_client(),
            token,
            nodes: Vec::new(),
            url,
            work,
        })
    }

    /// Starts one more node on the database.
    fn add_node(&mut self, extra: &[&str]) {
        let mut args = vec![
            "--database",
            self.url.as_str(),
            "--max-connections-per-network",
            "1000",
        ];
        args.extend_from_slice(extra);
        // No data directory is used.
        let unused = self.work.path().join("unused");
        let node = ServerProcess::start_with_args(crate::cli::server_bin(), &unused, &args);
        self.nodes.push(node.unwrap());
    }

    fn admin_url(&self, node: usize, rest: &str) -> String {
        self.nodes[node].url(&format!("/api/v1/admin/communities/dorp{rest}"))
    }

    /// An open poll over [`OPTIONS`] options whose totals everyone sees,
    /// made on node `on`; its id.
    async fn open_poll(&self, on: usize) -> String {
        let admin =
            |rest: &str| self.nodes[on].url(&format!("/api/v1/admin/communities/dorp/polls{rest}"));
        let created: Value = self
            .http
            .post(admin(""))
            .bearer_auth(&self.token)
            .json(&json!({
                "question": "Waar komt het nieuwe bankje?",
                "options": ["Bij de kerk", "Bij de school", "Aan de Maas", "Op het plein"],
                "results": "always",
                "audience": {"kind": "open", "max_keys_per_network": 100000},
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["poll"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no poll id in {created}"))
            .to_string();
        let opened = self
            .http
            .post(admin(&format!("/{id}/state")))
            .bearer_auth(&self.token)
            .json(&json!({"action": "open"}))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 200);
        id
    }

    fn poll_url(&self, node: usize, id: &str, rest: &str) -> String {
        self.nodes[node].url(&format!("/api/v1/communities/dorp/polls/{id}{rest}"))
    }

    /// The poll's public totals as node `node` tells them.
    async fn results(&self, node: usize, id: &str) -> PollResults {
        self.http
            .get(self.poll_url(node, id, "/results"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits until every node in `nodes` tells `expected`.
    async fn agree_on(&self, nodes: &[usize], id: &str, expected: &PollResults) {
        for &node in nodes {
            eventually(
                &format!("node {node} to count {expected:?}"),
                || async move {
                    let results = self.results(node, id).await;
                    (&results == expected).then_some(())
                },
            )
            .await;
        }
    }
}

/// Voter `n` chooses option `n % OPTIONS`.
fn choice(n: u64) -> u64 {
    n % OPTIONS
}

/// Totals when voters `voters` have each voted once.
fn expected(voters: impl Iterator<Item = u64>) -> PollResults {
    let mut totals = vec![0; OPTIONS as usize];
    let mut total_votes = 0;
    for n in voters {
        totals[choice(n) as usize] += 1;
        total_votes += 1;
    }
    PollResults {
        totals,
        total_votes,
    }
}

/// One vote of voter `n` at `url`: its status, or `None` when no answer came.
async fn vote(http: &Client, url: &str, n: u64) -> Option<StatusCode> {
    let answer = http
        .post(url)
        .header(VOTER_HEADER, voter_key(n))
        .json(&json!({"choices": [choice(n)]}))
        .send()
        .await;
    answer.ok().map(|a| a.status())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_split_over_two_nodes_count_once_and_reach_viewers_on_both() {
    let Some(cluster) = Cluster::start().await else {
        eprintln!("skipped: needs MEKAAR_TEST_DATABASE (scripts/test runs it on PostgreSQL)");
        return;
    };
    let id = cluster.open_poll(0).await;
    // A viewer on the second node, whose first snapshot has no votes.
    let mut viewer = Live::connect(Client::new().get(cluster.poll_url(1, &id, "/live"))).await;
    viewer
        .until("the first snapshot", |u| {
            u.results.as_ref().is_some_and(|r| r.total_votes == 0)
        })
        .await;

    // One vote on the first node reaches the viewer on the second.
    assert_eq!(
        vote(&cluster.http, &cluster.poll_url(0, &id, "/vote"), 0).await,
        Some(StatusCode::OK)
    );
    viewer
        .until("node 0's vote on node 1's live stream", |u| {
            u.results.as_ref() == Some(&expected(0..1))
        })
        .await;

    // 500 votes at once, odd voters on the first node, even on the second.
    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let mut votes = JoinSet::new();
    for n in 1..=500u64 {
        let url = cluster.poll_url((n % 2) as usize, &id, "/vote");
        let (http, gate) = (cluster.http.clone(), gate.clone());
        votes.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            (n, vote(&http, &url, n).await)
        });
    }
    while let Some(done) = votes.join_next().await {
        let (n, status) = done.unwrap();
        assert_eq!(status, Some(StatusCode::OK), "voter {n}");
    }
    let all = expected(0..=500);
    cluster.agree_on(&[0, 1], &id, &all).await;
    viewer
        .until("all 501 votes on node 1's live stream", |u| {
            u.results.as_ref() == Some(&all)
        })
        .await;

    // One vote per voter across the nodes: a voter of the first node is
    // refused on the second, and the totals stay.
    for (n, node) in [(3u64, 1usize), (4, 0)] {
        assert_eq!(
            vote(&cluster.http, &cluster.poll_url(node, &id, "/vote"), n).await,
            Some(StatusCode::CONFLICT),
            "voter {n} again, on node {node}"
        );
    }
    cluster.agree_on(&[0, 1], &id, &all).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_a_node_mid_load_loses_no_acknowledged_vote() {
    let Some(mut cluster) = Cluster::start().await else {
        eprintln!("skipped: needs MEKAAR_TEST_DATABASE (scripts/test runs it on PostgreSQL)");
        return;
    };
    let id = cluster.open_poll(1).await;
    const VOTERS: u64 = 400;
    // Node 0 dies (kill -9) once it has acknowledged this many votes.
    const KILL_AFTER: usize = 60;
    let node0 = cluster.nodes.remove(0);
    let urls = [
        format!(
            "{}/vote",
            node0.url(&format!("/api/v1/communities/dorp/polls/{id}"))
        ),
        cluster.poll_url(0, &id, "/vote"),
    ];
    let acknowledged_by_0 = Arc::new(AtomicUsize::new(0));
    let (kill, killed) = tokio::sync::oneshot::channel::<()>();
    let killer = tokio::spawn(async move {
        let _ = killed.await;
        node0.kill9().unwrap();
    });
    let mut kill = Some(kill);
    let gate = Arc::new(Semaphore::new(CONCURRENCY));
    let mut votes = JoinSet::new();
    for n in 0..VOTERS {
        let node = (n % 2) as usize;
        let url = urls[node].clone();
        let (http, gate, acks) = (
            cluster.http.clone(),
            gate.clone(),
            acknowledged_by_0.clone(),
        );
        votes.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            let status = vote(&http, &url, n).await;
            if node == 0 && status == Some(StatusCode::OK) {
                acks.fetch_add(1, Ordering::SeqCst);
            }
            (n, node, status)
        });
    }
    let mut acknowledged = Vec::new();
    let mut unanswered = Vec::new();
    while let Some(done) = votes.join_next().await {
        let (n, node, status) = done.unwrap();
        if acknowledged_by_0.load(Ordering::SeqCst) >= KILL_AFTER {
            if let Some(kill) = kill.take() {
                let _ = kill.send(());
            }
        }
        match status {
            Some(StatusCode::OK) => acknowledged.push(n),
            // Node 0 gone mid-request (or before it): nobody knows yet.
            None if node == 0 => unanswered.push(n),
            other => panic!("voter {n} on node {node}: {other:?}"),
        }
    }
    drop(kill);
    killer.await.unwrap();
    assert!(
        !unanswered.is_empty(),
        "node 0 died only after the load; acknowledged {}",
        acknowledged.len()
    );

    // The survivor serves: every acknowledged vote is there (a second one
    // is refused), and the votes node 0 never answered either are there or
    // count now.
    let survivor = cluster.poll_url(0, &id, "/vote");
    for &n in &acknowledged {
        assert_eq!(
            vote(&cluster.http, &survivor, n).await,
            Some(StatusCode::CONFLICT),
            "acknowledged voter {n} lost"
        );
    }
    for &n in &unanswered {
        let status = vote(&cluster.http, &survivor, n).await;
        assert!(
            matches!(status, Some(StatusCode::OK | StatusCode::CONFLICT)),
            "voter {n}: {status:?}"
        );
    }
    assert_eq!(
        vote(&cluster.http, &survivor, VOTERS).await,
        Some(StatusCode::OK)
    );
    cluster.agree_on(&[0], &id, &expected(0..=VOTERS)).await;
}

/// A resident's initiative, submitted on node `node`.
async fn submit(cluster: &Cluster, node: usize, title: &str) {
    let answer = cluster
        .http
        .post(cluster.nodes[node].url("/api/v1/communities/dorp/initiatives"))
        .json(&json!({
            "title": title,
            "summary": "Samen iets moois maken.",
            "initiator_name": "Anja",
            "contact_email": "anja@example.nl",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED, "{title}");
}

/// Webhooks go out once per cluster, whichever node took the write: the
/// node holding the delivery lease sends them all; when it dies, the other
/// takes over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_go_out_once_per_cluster_and_survive_the_sending_node() {
    let Some(mut cluster) = Cluster::empty().await else {
        eprintln!("skipped: needs MEKAAR_TEST_DATABASE (scripts/test runs it on PostgreSQL)");
        return;
    };
    let receiver = Receiver::start().await;
    // Node 0 alone first, so it holds the lease.
    cluster.add_node(&["--allow-private-webhooks"]);
    let hook = cluster
        .http
        .post(cluster.admin_url(0, "/webhooks"))
        .bearer_auth(&cluster.token)
        .json(&json!({"url": receiver.url(), "events": ["submitted"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), StatusCode::CREATED);
    submit(&cluster, 0, "Een bankje bij de Maas").await;
    receiver.wait_for("submitted").await;

    cluster.add_node(&["--allow-private-webhooks"]);
    for n in 0..6 {
        submit(&cluster, n % 2, &format!("Plan nummer {n}")).await;
    }
    let delivered = |receiver: &Receiver| {
        let ids: Vec<String> = receiver
            .delivered("submitted")
            .iter()
            .map(|r| r.header("mekaar-delivery").to_string())
            .collect();
        ids
    };
    eventually("7 deliveries", || async {
        (delivered(&receiver).len() >= 7).then_some(())
    })
    .await;
    // Both nodes look at the outbox every second; a few rounds later there
    // is still one delivery per event.
    tokio::time::sleep(QUIET).await;
    let ids = delivered(&receiver);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (7, 7), "{ids:?}");

    // The sending node dies; the other takes over its lease.
    cluster.nodes.remove(0).kill9().unwrap();
    submit(&cluster, 0, "Na de storing").await;
    eventually("the survivor's delivery", || async {
        (delivered(&receiver).len() >= 8).then_some(())
    })
    .await;
}

fn thread_url(cluster: &Cluster, node: usize, poll: &str, rest: &str) -> String {
    cluster.nodes[node].url(&format!(
        "/api/v1/communities/dorp/threads/poll/{poll}{rest}"
    ))
}

/// The texts of a poll's thread as node `node` shows them.
async fn reaction_texts(cluster: &Cluster, node: usize, poll: &str) -> Vec<String> {
    let page: Value = cluster
        .http
        .get(thread_url(cluster, node, poll, ""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reactions = page["reactions"]
        .as_array()
        .unwrap_or_else(|| panic!("no reactions in {page}"));
    reactions
        .iter()
        .map(|r| r["text"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A reaction posted on one node shows on the other, whose copy of the
/// thread was loaded before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_read_on_one_node_shows_a_reaction_posted_on_the_other() {
    let Some(cluster) = Cluster::start().await else {
        eprintln!("skipped: needs MEKAAR_TEST_DATABASE (scripts/test runs it on PostgreSQL)");
        return;
    };
    let id = cluster.open_poll(0).await;
    // Node 1 has the thread in memory, empty.
    assert!(reaction_texts(&cluster, 1, &id).await.is_empty());
    let posted = cluster
        .http
        .post(thread_url(&cluster, 0, &id, "/reactions"))
        .header(VOTER_HEADER, voter_key(1))
        .json(&json!({"text": "Bij de kerk is het stil genoeg."}))
        .send()
        .await
        .unwrap();
    let status = posted.status();
    assert!(
        status.is_success(),
        "{status}: {}",
        posted.text().await.unwrap()
    );
    eventually("node 1 to show node 0's reaction", || async {
        (reaction_texts(&cluster, 1, &id).await == ["Bij de kerk is het stil genoeg."])
            .then_some(())
    })
    .await;
}
