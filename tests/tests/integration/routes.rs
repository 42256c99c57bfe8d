//! The route table (`server/src/http/routes.rs`): a wrong method on a real
//! address is refused with 405, a structured error and an `Allow` header
//! from the table; the table and `server/openapi.json` list the same
//! addresses with the same methods.

use std::collections::{BTreeMap, BTreeSet};

use mekaar_server::http::routes::{self, Area, ROUTES, UNDOCUMENTED};
use mekaar_tests::{voter_key, TestServer};
use reqwest::header::{ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW};
use reqwest::Method;
use serde_json::{json, Value};

const SITE: &str = "https://www.baarlo.nl";

fn methods(list: &str) -> BTreeSet<String> {
    list.split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect()
}

#[tokio::test]
async fn a_wrong_method_is_refused_with_405_and_the_allow_header_of_the_table() {
    let server = TestServer::start().await;
    let created = server.create_community("baarlo", &[SITE]).await;
    let admin = created.admin_token;
    let initiative = server
        .create_initiative("baarlo", &admin, "Bankjes")
        .await
        .id;
    let http = reqwest::Client::new();
    // (method, address, the methods it answers)
    let cases = [
        (
            "DELETE",
            "/api/v1/communities/baarlo/initiatives".to_string(),
            "GET, POST",
        ),
        (
            "DELETE",
            "/api/v1/communities/baarlo/initiatives/".to_string(),
            "GET, POST",
        ),
        (
            "POST",
            format!("/api/v1/communities/baarlo/initiatives/{initiative}/support"),
            "GET, PUT, DELETE",
        ),
        (
            "GET",
            format!("/api/v1/communities/baarlo/initiatives/{initiative}/report"),
            "POST",
        ),
        (
            "HEAD",
            "/api/v1/communities/baarlo/meetings.ics".to_string(),
            "GET",
        ),
        (
            "PUT",
            "/api/v1/admin/communities/baarlo/tokens".to_string(),
            "GET, POST",
        ),
        (
            "GET",
            format!("/api/v1/admin/communities/baarlo/initiatives/{initiative}/moderation"),
            "POST",
        ),
        ("PATCH", "/api/v1/session".to_string(), "GET, POST, DELETE"),
        ("POST", "/healthz".to_string(), "GET, HEAD"),
        ("DELETE", "/pkg/embed.js".to_string(), "GET, HEAD"),
        ("POST", "/p/ABCDE".to_string(), "GET, HEAD"),
        (
            "PUT",
            "/mail/unsubscribe/nothing".to_string(),
            "GET, HEAD, POST",
        ),
        ("OPTIONS", "/admin".to_string(), "GET, HEAD"),
    ];
    for (method, path, allowed) in &cases {
        // The table says so too (the expectations here are not a second copy of it).
        let (route, _) = routes::find(path).unwrap_or_else(|| panic!("{path} is in the table"));
        assert_eq!(methods(route.methods), methods(allowed), "{path}");
        let response = http
            .request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                server.at(path),
            )
            .bearer_auth(&admin)
            .header("mekaar-voter", voter_key(1))
            .header("origin", SITE)
            .json(&json!({ "reason": "spam" }))
            .send()
            .await
            .expect("answered");
        let what = format!("{method} {path}");
        assert_eq!(response.status(), 405, "{what}");
        let allow = response
            .headers()
            .get(ALLOW)
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(allow.as_deref(), Some(*allowed), "{what}");
        let cors = response
            .headers()
            .get(ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_some();
        assert_eq!(cors, route.area() == Area::Public, "CORS on {what}");
        if *method == "HEAD" {
            continue;
        }
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(body["error"]["code"], "method_not_allowed", "{what}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        for name in allowed.split(", ") {
            assert!(message.contains(name), "{what}: {message}");
        }
    }
    // Nothing was reported or supported by the refused requests.
    let support: Value = http
        .get(server.support_url("baarlo", &initiative))
        .header("mekaar-voter", voter_key(1))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(support["supported"], false);
    // A preflight of a residents' address is answered with the table's methods.
    let preflight = http
        .request(Method::OPTIONS, server.support_url("baarlo", &initiative))
        .header("origin", SITE)
        .header("access-control-request-method", "PUT")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    let allowed = preflight
        .headers()
        .get(ACCESS_CONTROL_ALLOW_METHODS)
        .unwrap();
    assert_eq!(allowed, "GET, PUT, DELETE");
}

#[test]
fn the_route_table_and_the_openapi_document_agree() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let verbs = ["get", "head", "post", "put", "patch", "delete", "options"];
    let documented: BTreeMap<String, BTreeSet<String>> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let listed = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| verbs.contains(&k.as_str()))
                .map(|k| k.to_ascii_uppercase())
                .collect();
            (path.clone(), listed)
        })
        .collect();
    let mut table = BTreeMap::new();
    for route in ROUTES {
        let earlier = table.insert(route.pattern.to_string(), methods(route.methods));
        assert!(earlier.is_none(), "{} is twice in the table", route.pattern);
    }
    for (path, listed) in &documented {
        let served = table
            .get(path)
            .unwrap_or_else(|| panic!("{path} is documented but not in the route table"));
        assert_eq!(served, listed, "methods of {path}: table vs document");
    }
    for path in table.keys() {
        let undocumented = UNDOCUMENTED.contains(&path.as_str());
        assert_eq!(
            documented.contains_key(path),
            !undocumented,
            "{path}: in the document unless it is one of the table's undocumented addresses"
        );
    }
    assert!(UNDOCUMENTED.iter().all(|p| table.contains_key(*p)));
    assert!(table.len() > 90, "only {} routes", table.len());
}
