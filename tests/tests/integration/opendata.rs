//! Open data (issue 5): a community's published initiatives and its poll
//! results as CSV, read back with a CSV parser as a reuser would. Nothing
//! personal, nothing unpublished, no totals the poll's rule still hides.

use std::collections::HashMap;

use mekaar_tests::{http_client, voter_key, TestServer, VOTER_HEADER};
use reqwest::Client;
use serde_json::{json, Value};

const SLUG: &str = "opendorp";

/// The rows of a CSV answer as maps from column name to value.
async fn read_csv(http: &Client, url: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let response = http.get(url).send().await.expect("csv request");
    assert_eq!(response.status(), 200, "{url}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"opendorp-"),
        "{disposition}"
    );
    let text = response.text().await.expect("csv body");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("csv header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.expect("csv record");
            header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

async fn post(http: &Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = http.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("post");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert!(status.is_success(), "{status}: {body}");
    body
}

#[tokio::test]
async fn published_initiatives_as_csv_without_personal_data() {
    let server = TestServer::start().await;
    let http = http_client();
    server.create_community(SLUG, &[]).await;
    let submitted = post(
        &http,
        server.community_url(SLUG, "/initiatives"),
        None,
        json!({
            "title": "Bankjes, \"met\" uitzicht",
            "summary": "Drie bankjes langs de dijk;\nmet een tweede regel.",
            "area": "Dorpskern",
            "theme": "Groen",
            "initiator_name": "Anja van de Kloosterstraat",
            "contact_email": "anja@example.nl",
        }),
    )
    .await;
    let id = submitted["initiative"]["id"].as_str().unwrap().to_string();
    for n in 0..3 {
        let response = http
            .put(server.support_url(SLUG, &id))
            .header(VOTER_HEADER, voter_key(n))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    // Two published reactions and one waiting for a moderator (it has a link).
    let reactions = server.community_url(SLUG, &format!("/threads/initiative/{id}/reactions"));
    for (n, text) in [
        (0, "Mooi plan, Piet uit de Dorpsstraat doet mee"),
        (1, "Ik kom ook zitten."),
        (2, "Zie https://example.nl"),
    ] {
        let response = http
            .post(&reactions)
            .header(VOTER_HEADER, voter_key(n))
            .json(&json!({ "text": text, "name": "Piet Reageerder" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
    }

    let url = server.community_url(SLUG, "/open-data/initiatives.csv");
    let (header, rows) = read_csv(&http, &url).await;
    assert!(header.contains(&"support_count".to_string()), "{header:?}");
    assert!(
        !header
            .iter()
            .any(|h| h.contains("name") || h.contains("email")),
        "{header:?}"
    );
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row["id"], id);
    // Quotes, commas and line breaks survive the round trip.
    assert_eq!(row["title"], "Bankjes, \"met\" uitzicht");
    assert_eq!(
        row["summary"],
        "Drie bankjes langs de dijk;\nmet een tweede regel."
    );
    assert_eq!(row["support_count"], "3");
    assert_eq!(row["support_threshold"], "50");
    // The number of published reactions; never their texts or names.
    assert_eq!(row["reaction_count"], "2");
    let raw = http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        !raw.contains("Anja") && !raw.contains("anja@example.nl"),
        "{raw}"
    );
    assert!(
        !raw.contains("Piet") && !raw.contains("Dorpsstraat"),
        "{raw}"
    );

    // Another community's initiatives are not in this one's open data.
    let token = server.create_community("anderdorp", &[]).await.admin_token;
    let other = server
        .create_initiative("anderdorp", &token, "Elders")
        .await;
    let (_, rows) = read_csv(&http, &url).await;
    assert!(
        rows.iter().all(|r| r["id"] != other.id),
        "another community's initiative leaked"
    );
}

#[tokio::test]
async fn poll_results_as_csv_only_when_everyone_may_see_them() {
    let server = TestServer::start().await;
    let http = http_client();
    let token = server.create_community(SLUG, &[]).await.admin_token;
    let admin = |rest: &str| server.at(&format!("/api/v1/admin/communities/{SLUG}/polls{rest}"));
    let mut polls = HashMap::new();
    for (name, results) in [
        ("always", "always"),
        ("revealed_later", "when_revealed"),
        ("after_close", "after_close"),
        ("draft", "always"),
    ] {
        let created = post(
            &http,
            admin(""),
            Some(&token),
            json!({
                "question": format!("Vraag {name}, met een komma?"),
                "options": ["Ja", "Nee"],
                "results": results,
                "audience": {"kind": "open", "max_keys_per_network": 1000},
            }),
        )
        .await;
        let id = created["poll"]["id"].as_str().unwrap().to_string();
        if name != "draft" {
            post(
                &http,
                admin(&format!("/{id}/state")),
                Some(&token),
                json!({"action": "open"}),
            )
            .await;
            // Two for "Ja", one for "Nee".
            for n in 0..3u64 {
                let response = http
                    .post(server.community_url(SLUG, &format!("/polls/{id}/vote")))
                    .header(VOTER_HEADER, voter_key(n))
                    .json(&json!({"choices": [u8::from(n == 2)]}))
                    .send()
                    .await
                    .expect("vote");
                assert_eq!(response.status(), 200);
            }
        }
        polls.insert(name, id);
    }
    let url = server.community_url(SLUG, "/open-data/poll-results.csv");
    let (header, rows) = read_csv(&http, &url).await;
    assert_eq!(
        header,
        [
            "poll",
            "question",
            "phase",
            "round",
            "opens_at",
            "closes_at",
            "option",
            "option_text",
            "votes",
            "ballots"
        ]
    );
    let ids: Vec<&str> = rows.iter().map(|r| r["poll"].as_str()).collect();
    assert_eq!(
        ids,
        [polls["always"].as_str(), polls["always"].as_str()],
        "{rows:?}"
    );
    assert_eq!(rows[0]["option_text"], "Ja");
    assert_eq!(rows[0]["votes"], "2");
    assert_eq!(rows[1]["votes"], "1");
    assert_eq!(rows[1]["ballots"], "3");
    assert_eq!(rows[0]["question"], "Vraag always, met een komma?");

    // Closing and revealing make the other two public; the draft never is.
    let after_close = &polls["after_close"];
    post(
        &http,
        admin(&format!("/{after_close}/state")),
        Some(&token),
        json!({"action": "close"}),
    )
    .await;
    let revealed = &polls["revealed_later"];
    post(
        &http,
        admin(&format!("/{revealed}/state")),
        Some(&token),
        json!({"action": "reveal"}),
    )
    .await;
    let (_, rows) = read_csv(&http, &url).await;
    let mut shown: Vec<&str> = rows.iter().map(|r| r["poll"].as_str()).collect();
    shown.dedup();
    assert_eq!(shown.len(), 3, "{rows:?}");
    assert!(!shown.contains(&polls["draft"].as_str()));
    let closed: Vec<_> = rows.iter().filter(|r| &r["poll"] == after_close).collect();
    assert_eq!(closed[0]["phase"], "closed");
    assert_eq!(closed[0]["votes"], "2");
}
