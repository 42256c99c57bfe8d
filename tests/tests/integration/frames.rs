//! `/embed/{kind}`: every widget as a page of the server, for a host that cannot run our
//! script. Framed only by the community's allowed origins; options as the placeholder's.

use mekaar_tests::TestServer;
use serde_json::Value;

const SITE: &str = "https://www.dorpskrant.example";

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    server
        .client
        .get(server.at(path))
        .send()
        .await
        .expect("request")
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_frame_page_holds_the_widget_and_only_allowed_sites_may_frame_it() {
    let server = TestServer::start().await;
    let token = server.create_community("dorp", &[SITE]).await.admin_token;
    let id = server
        .create_initiative("dorp", &token, "Bankjes <langs> de dijk")
        .await
        .id;
    let response = get(
        &server,
        &format!("/embed/support?community=dorp&initiative={id}&theme=dark&onclick=x"),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(header(&response, "content-type").starts_with("text/html"));
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains(&format!("frame-ancestors {SITE}")), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(header(&response, "x-frame-options").is_empty());
    assert!(header(&response, "set-cookie").is_empty());
    let html = response.text().await.expect("page");
    assert!(
        html.contains(&format!(
            "data-mekaar=\"support\" data-community=\"dorp\" data-initiative=\"{id}\" data-theme=\"dark\""
        )),
        "{html}"
    );
    // The frame's title says what it shows, escaped; unknown options are left out.
    assert!(
        html.contains("<title>Bankjes &lt;langs&gt; de dijk</title>"),
        "{html}"
    );
    assert!(!html.contains("onclick"), "{html}");
    assert!(html.contains("<script async src=\"/embed.js\"></script>"));

    // A discussion too: under a topic, with the topic's title.
    let topic = server
        .client
        .post(server.at("/api/v1/admin/communities/dorp/topics"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "Moet de kermis terug?"}))
        .send()
        .await
        .expect("topic")
        .json::<Value>()
        .await
        .expect("topic json")["id"]
        .as_str()
        .expect("topic id")
        .to_string();
    let response = get(
        &server,
        &format!("/embed/discussion?community=dorp&topic={topic}"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    assert!(
        html.contains(&format!(
            "data-mekaar=\"discussion\" data-community=\"dorp\" data-topic=\"{topic}\""
        )),
        "{html}"
    );
    assert!(
        html.contains("<title>Moet de kermis terug?</title>"),
        "{html}"
    );

    // A community that allows no site: no site may frame it.
    server.create_community("stil", &[]).await;
    let response = get(&server, "/embed/initiatives?community=stil").await;
    assert_eq!(response.status(), 200);
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[tokio::test]
async fn a_frame_page_asked_wrongly_says_what_is_missing() {
    let server = TestServer::start().await;
    server.create_community("dorp", &[SITE]).await;
    for (path, status, code) in [
        ("/embed/poll?community=dorp", 400, "invalid_field"),
        ("/embed/discussion?community=dorp", 400, "invalid_field"),
        ("/embed/support?initiative=abc", 400, "invalid_field"),
        (
            "/embed/support?community=nergens&initiative=abc",
            404,
            "community_not_found",
        ),
        ("/embed/manage?community=dorp", 404, "route_not_found"),
    ] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: Value = response.json().await.expect("error body");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
    }
    // What the public may not see is not named in the title: an unknown initiative's
    // frame carries the community's name, and the widget inside says what is wrong.
    let response = get(&server, "/embed/support?community=dorp&initiative=abcdef").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    assert!(html.contains("<title>Community dorp</title>"), "{html}");
}
