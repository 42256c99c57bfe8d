//! The routes the server answers and its OpenAPI document agree.
//!
//! Every documented operation is called on a real server (path parameters
//! filled with a real community, initiative, webhook, bundle file, open poll
//! and its join code, a topic, a thread (the initiative's) and reactions in it;
//! header parameters with a voter key or the initiative's
//! manage token; the console's session cookie and CSRF header where the
//! operation takes the session; a body made from the documented required
//! fields, a real token to sign in with) and must be
//! answered with a status the document lists, in the documented shape (the
//! first event of a live stream too, as its `x-event-data` schema says); where a 304 is documented, the answer's ETag
//! sent back as If-None-Match gets it. Every method a documented path
//! does not list is refused with 405 and an `Allow` header naming exactly the
//! documented methods, and addresses the document does not have are 404.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use mekaar_tests::sse::EventStream;
use mekaar_tests::{voter_key, TestServer};
use reqwest::header::{ALLOW, CONTENT_TYPE, COOKIE, ETAG, IF_NONE_MATCH, LOCATION};
use reqwest::{Client, Method};
use serde_json::{json, Map, Value};

const SERVED_ORIGIN: &str = "https://www.baarlo.nl";
const CHECKED_METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// Methods the document may use: the checked ones, and HEAD on static addresses.
const DOCUMENTED_METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn document_on_disk() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/openapi.json");
    std::fs::read_to_string(path).expect("server/openapi.json is readable")
}

/// `#/components/schemas/X` → the value it points at.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local references: {reference}"));
            let target = doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} does not resolve"));
            resolve(doc, target)
        }
        None => value,
    }
}

/// Checks `value` against the subset of JSON Schema the document uses.
fn check_schema(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for part in all {
            check_schema(doc, part, value, at)?;
        }
    }
    for (keyword, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        if let Some(choices) = schema.get(keyword).and_then(Value::as_array) {
            let fitting = choices
                .iter()
                .filter(|choice| check_schema(doc, choice, value, at).is_ok())
                .count();
            if fitting == 0 || (exactly_one && fitting > 1) {
                return Err(format!(
                    "{at}: {value} fits {fitting} of the {keyword} choices"
                ));
            }
        }
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            other => return Err(format!("{at}: odd type {other}")),
        };
        let fits = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !fits {
            return Err(format!("{at}: {value} is not of type {types:?}"));
        }
    }
    if let Some(expected) = schema.get("const") {
        if value != expected {
            return Err(format!("{at}: {value} is not {expected}"));
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        if !choices.contains(value) {
            return Err(format!("{at}: {value} is not one of {choices:?}"));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if value.as_f64().is_some_and(|v| v < min) {
            return Err(format!("{at}: {value} is below {min}"));
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                return Err(format!("{at}: required `{name}` missing in {value}"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                if let Some(field) = object.get(name) {
                    check_schema(doc, property, field, &format!("{at}.{name}"))?;
                }
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (n, item) in array.iter().enumerate() {
            check_schema(doc, items, item, &format!("{at}[{n}]"))?;
        }
    }
    Ok(())
}

/// The smallest value the schema requires: required properties only, the
/// `const` or the first `enum` choice or example where the schema gives one,
/// and as many items as `minItems` asks.
fn minimal_value(doc: &Value, schema: &Value, name: &str, unique: &str) -> Value {
    let schema = resolve(doc, schema);
    if name == "slug" {
        return json!(unique);
    }
    let given = schema.get("const").cloned().or_else(|| {
        ["enum", "examples"]
            .iter()
            .find_map(|k| schema.get(*k).and_then(Value::as_array)?.first().cloned())
    });
    if let Some(value) = given {
        return value;
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts.first().and_then(Value::as_str).unwrap_or("null"),
        _ => "object",
    };
    match kind {
        "object" => {
            let mut object = Map::new();
            let properties = schema.get("properties").cloned().unwrap_or(json!({}));
            for required in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let property = properties
                    .get(required)
                    .unwrap_or_else(|| panic!("required `{required}` has no schema"));
                object.insert(
                    required.to_string(),
                    minimal_value(doc, property, required, unique),
                );
            }
            Value::Object(object)
        }
        "array" => {
            let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            (0..count)
                .map(|_| minimal_value(doc, &items, name, unique))
                .collect()
        }
        "integer" | "number" => schema.get("minimum").cloned().unwrap_or(json!(1)),
        "boolean" => json!(false),
        "string" => json!(format!("OpenAPI {name}")),
        _ => Value::Null,
    }
}

/// A server with one community (allowing [`SERVED_ORIGIN`]), an initiative
/// a resident submitted (so it has a manage token), a webhook, an open poll
/// (anyone votes with a voter key), an open poll voted on with vote codes, a
/// topic, and two reactions of voter key 1 in the initiative's thread.
struct World {
    server: TestServer,
    http: Client,
    doc: Value,
    community: String,
    initiative: String,
    /// A meeting of the initiative.
    meeting: String,
    manage_token: String,
    webhook: String,
    file: String,
    poll: String,
    join_code: String,
    codes_poll: String,
    /// The initiative's short link code (`/i/{short}`).
    short: String,
    /// The community's admin token (to sign in to the console with).
    admin_token: String,
    /// A moderator token's id, there to be deleted.
    spare_token: String,
    /// A console session of the community: its cookie and CSRF token.
    console: (String, String),
    /// The file name of the initiative's photo (`{hash}.jpg`): every upload
    /// below sends the same image, so its rendition is always this file.
    photo: String,
    /// A topic (its own thread).
    topic: String,
    /// The thread of `{kind}` and `{thread}`: the initiative's, so that a reaction
    /// posted with the manage token (the initiator's badge) is covered too.
    thread: (String, String),
    /// A published reaction of voter key 1 (edited, agreed with, reported, moderated).
    reaction: String,
    /// Another one of voter key 1, there to be deleted by its author.
    spare_reaction: String,
    /// A next step of the community (`{step}`).
    step: String,
}

/// A small JPEG: the body of every photo upload here.
fn test_jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("a JPEG");
    out.into_inner()
}

/// Signs in to the console with `token`; returns the cookie and CSRF token.
async fn sign_in(server: &TestServer, http: &Client, token: &str) -> (String, String) {
    let response = http
        .post(server.at("/api/v1/session"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201, "signing in");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string();
    let body: Value = response.json().await.expect("session body");
    (cookie, body["csrf"].as_str().expect("csrf").to_string())
}

/// Creates a poll with the server token and opens it; returns its id and join code.
async fn open_poll(server: &TestServer, http: &Client, poll: Value) -> (String, String) {
    let created = send(
        http.post(server.at("/api/v1/admin/communities/baarlo/polls"))
            .bearer_auth(&server.server_token)
            .json(&poll),
    )
    .await;
    assert_eq!(created.status, 201, "{created:?}");
    let id = created.body["poll"]["id"].as_str().expect("poll id");
    let opened = send(
        http.post(server.at(&format!(
            "/api/v1/admin/communities/baarlo/polls/{id}/state"
        )))
        .bearer_auth(&server.server_token)
        .json(&json!({"action": "open"})),
    )
    .await;
    assert_eq!(opened.status, 200, "{opened:?}");
    let join_code = created.body["poll"]["join_code"]
        .as_str()
        .expect("join code");
    (id.to_string(), join_code.to_string())
}

async fn world() -> World {
    // The server sends e-mail (to a loopback port where nothing listens: the mails
    // wait in the outbox), so the e-mail operations are offered.
    let mail = mekaar_server::mail::MailSettings {
        smtp_url: Some(format!(
            "smtp://127.0.0.1:{}",
            mekaar_tests::bench::free_loopback_port().unwrap()
        )),
        from: Some("Mekaar <mekaar@example.nl>".into()),
        ..Default::default()
    };
    let server = TestServer::builder().mail(mail).start().await;
    let created = server.create_community("baarlo", &[SERVED_ORIGIN]).await;
    // A redirect is an answer to check against the document, not to follow.
    let http = Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    let submitted = send(
        http.post(server.community_url("baarlo", "/initiatives"))
            .json(&json!({
                "title": "Speeltuin",
                "summary": "Een speeltuin bij de school.",
                "initiator_name": "Anja",
            })),
    )
    .await;
    assert_eq!(submitted.status, 201, "{submitted:?}");
    let hook = send(
        http.post(server.at("/api/v1/admin/communities/baarlo/webhooks"))
            .bearer_auth(&created.admin_token)
            // Nothing listens on the discard port: deliveries just fail.
            .json(&json!({"url": "http://127.0.0.1:9/hook", "events": ["answered"]})),
    )
    .await;
    assert_eq!(hook.status, 201, "{hook:?}");
    let (poll, join_code) = open_poll(
        &server,
        &http,
        json!({"question": "Wie wint de quiz?", "options": ["Noord", "Zuid"]}),
    )
    .await;
    let (codes_poll, _) = open_poll(
        &server,
        &http,
        json!({
            "question": "Welke naam krijgt het plein?",
            "options": ["Marktplein", "Dorpsplein"],
            "audience": {"kind": "codes"},
        }),
    )
    .await;
    let spare = send(
        http.post(server.at("/api/v1/admin/communities/baarlo/tokens"))
            .bearer_auth(&created.admin_token)
            .json(&json!({"role": "moderator", "label": "Reserve"})),
    )
    .await;
    assert_eq!(spare.status, 201, "{spare:?}");
    let console = sign_in(&server, &http, &created.admin_token).await;
    let initiative = submitted.body["initiative"]["id"]
        .as_str()
        .expect("initiative id")
        .to_string();
    let photographed = send(
        http.put(server.at(&format!(
            "/api/v1/admin/communities/baarlo/initiatives/{initiative}/photo"
        )))
        .query(&[("alt", "Een speeltuin")])
        .bearer_auth(&created.admin_token)
        .header(CONTENT_TYPE, "image/jpeg")
        .body(test_jpeg()),
    )
    .await;
    assert_eq!(photographed.status, 200, "{photographed:?}");
    let photo = photographed.body["initiative"]["photo"]["card_url"]
        .as_str()
        .and_then(|url| url.strip_prefix("/photos/"))
        .expect("a photo")
        .to_string();
    let topic = send(
        http.post(server.at("/api/v1/admin/communities/baarlo/topics"))
            .bearer_auth(&created.admin_token)
            .json(&json!({"title": "Moet de kermis terug naar het dorpsplein?"})),
    )
    .await;
    assert_eq!(topic.status, 201, "{topic:?}");
    let mut reactions = Vec::new();
    for text in ["Goed plan, ik help mee.", "Ik twijfel nog."] {
        let posted = send(
            http.post(server.community_url(
                "baarlo",
                &format!("/threads/initiative/{initiative}/reactions"),
            ))
            .header("mekaar-voter", voter_key(1))
            .json(&json!({ "text": text })),
        )
        .await;
        assert_eq!(posted.status, 201, "{posted:?}");
        assert_eq!(posted.body["state"], "published", "{posted:?}");
        reactions.push(posted.body["id"].as_str().expect("reaction id").to_string());
    }
    let steps = send(
        http.put(server.at("/api/v1/admin/communities/baarlo/steps"))
            .bearer_auth(&created.admin_token)
            .json(&json!([{"title": "Zoek 3 medestanders"}])),
    )
    .await;
    assert_eq!(steps.status, 200, "{steps:?}");
    let short =
        send(http.get(server.community_url("baarlo", &format!("/initiatives/{initiative}"))))
            .await
            .body["share_url"]
            .as_str()
            .and_then(|url| url.strip_prefix("/i/"))
            .expect("a short link")
            .to_string();
    let start = now_secs() + 86_400;
    let meeting = send(
        http.post(server.community_url("baarlo", &format!("/initiatives/{initiative}/meetings")))
            .header(
                "mekaar-manage",
                submitted.body["manage_token"].as_str().unwrap(),
            )
            .json(
                &json!({"title": "Kennismaken", "starts_at": start, "ends_at": start + 3600,
                      "place": "Dorpshuis"}),
            ),
    )
    .await;
    assert_eq!(meeting.status, 201, "{meeting:?}");
    let doc = serde_json::from_str(&document_on_disk()).expect("server/openapi.json is JSON");
    World {
        step: steps.body[0]["id"].as_str().expect("step id").into(),
        meeting: meeting.body["id"].as_str().expect("meeting id").into(),
        topic: topic.body["id"].as_str().expect("topic id").into(),
        thread: ("initiative".into(), initiative.clone()),
        reaction: reactions[0].clone(),
        spare_reaction: reactions[1].clone(),
        admin_token: created.admin_token.clone(),
        spare_token: spare.body["id"].as_str().expect("token id").into(),
        console,
        server,
        http,
        doc,
        community: "baarlo".into(),
        initiative,
        photo,
        manage_token: submitted.body["manage_token"]
            .as_str()
            .expect("manage token")
            .into(),
        webhook: hook.body["webhook"]["id"]
            .as_str()
            .expect("webhook id")
            .into(),
        // Part of every bundle build (see issue 2: pkg/ holds a package.json).
        file: "package.json".into(),
        poll,
        join_code,
        codes_poll,
        short,
    }
}

impl World {
    fn paths(&self) -> &Map<String, Value> {
        self.doc["paths"].as_object().expect("paths")
    }

    /// `template` with its path parameters filled with real things (vote
    /// codes are made for the poll that takes them).
    fn fill(&self, template: &str) -> String {
        let poll = if template.ends_with("/codes") {
            &self.codes_poll
        } else {
            &self.poll
        };
        template
            .replace("{community}", &self.community)
            .replace("{poll}", poll)
            .replace("{code}", &self.join_code)
            .replace("{short}", &self.short)
            .replace("{initiative}", &self.initiative)
            .replace("{webhook}", &self.webhook)
            .replace("{token}", &self.spare_token)
            .replace("{file}", &self.file)
            .replace("{photo}", &self.photo)
            .replace("{kind}", &self.thread.0)
            .replace("{thread}", &self.thread.1)
            .replace("{reaction}", &self.reaction)
            .replace("{step}", &self.step)
            .replace("{meeting}", &self.meeting)
    }

    /// [`World::fill`] for one operation: a reaction's author deletes the
    /// spare reaction (the other operations still need theirs).
    fn fill_for(&self, template: &str, method: &str) -> String {
        if method == "delete" && template.ends_with("/reactions/{reaction}") {
            self.fill(&template.replace("{reaction}", &self.spare_reaction))
        } else {
            self.fill(template)
        }
    }

    /// The names of the security schemes `operation` accepts.
    fn schemes(operation: &Value) -> Vec<String> {
        operation
            .get("security")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys().cloned())
            .collect()
    }

    /// The value a header parameter needs to succeed, if the world has one.
    fn header_value(&self, name: &str) -> Option<String> {
        match name.to_ascii_lowercase().as_str() {
            "mekaar-voter" => Some(voter_key(1)),
            "mekaar-manage" => Some(self.manage_token.clone()),
            _ => None,
        }
    }

    /// Whether the operation's body is an image (a photo upload).
    fn takes_image(operation: &Value) -> bool {
        operation["requestBody"]["content"]
            .get("image/jpeg")
            .is_some()
    }

    fn is_asset(template: &str) -> bool {
        !template.starts_with("/api/")
    }

    /// The pages of a poll the server serves (phone, overlay, QR, the control link), and
    /// an initiative's share page and poster: a 404 is a page for a person.
    fn is_poll_page(template: &str) -> bool {
        Self::is_asset(template)
            && (template.contains("{poll}")
                || template.contains("{code}")
                || template.starts_with("/i/")
                || template.starts_with("/poster/")
                || template.starts_with("/flyer/"))
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    content_type: Option<String>,
    allow: Option<String>,
    etag: Option<String>,
    location: Option<String>,
    body: Value,
}

/// A live stream never ends: its answer is read up to the end of its first
/// event (the first blank line after a `data:` line); everything received by then.
async fn first_event(response: reqwest::Response) -> String {
    let mut stream = EventStream::new(response);
    if stream.next_within(Duration::from_secs(30)).await.is_none() {
        panic!("no complete first event within 30 s: {:?}", stream.raw());
    }
    stream.raw().to_string()
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(String::from)
    };
    let content_type = header(CONTENT_TYPE);
    let allow = header(ALLOW);
    let etag = header(ETAG);
    let location = header(LOCATION);
    let text = if content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("text/event-stream"))
    {
        first_event(response).await
    } else {
        response.text().await.expect("body")
    };
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        content_type,
        allow,
        etag,
        location,
        body,
    }
}

fn error_code(answer: &Answer) -> &str {
    answer.body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn served_document_is_the_one_in_the_repository() {
    let w = world().await;
    let answer = send(w.http.get(w.server.at("/api/openapi.json"))).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("application/json")),
        "{answer:?}"
    );
    assert_eq!(
        answer.body, w.doc,
        "served document differs from server/openapi.json"
    );
    let raw = w
        .http
        .get(w.server.at("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(raw, document_on_disk(), "served bytes differ from the file");

    assert_eq!(w.doc["openapi"], "3.1.0");
    assert!(w.doc["info"]["title"].is_string());
    assert!(w.doc["info"]["version"].is_string());
    // Every reference resolves and every operation is well formed.
    fn walk(doc: &Value, value: &Value) {
        match value {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    resolve(doc, value);
                }
                map.values().for_each(|v| walk(doc, v));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(doc, v)),
            _ => {}
        }
    }
    walk(&w.doc, &w.doc);
    let mut operation_ids = BTreeSet::new();
    for (path, item) in w.paths() {
        assert!(path.starts_with('/'), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            assert!(
                DOCUMENTED_METHODS.contains(&method.as_str()),
                "{method} {path}"
            );
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(operation_ids.insert(id.to_string()), "duplicate {id}");
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
        // Every {parameter} in the path is declared.
        let declared: BTreeSet<String> = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(
                item.as_object()
                    .unwrap()
                    .values()
                    .filter_map(|op| op.get("parameters").and_then(Value::as_array))
                    .flatten(),
            )
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str().map(String::from))
            .collect();
        for segment in path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                assert!(declared.contains(name), "{path}: `{name}` not declared");
            }
        }
    }
}

#[tokio::test]
async fn every_documented_operation_is_answered_as_documented() {
    let w = world().await;
    let error_codes: Vec<Value> = w.doc["components"]["schemas"]["Error"]["properties"]["error"]
        ["properties"]["code"]["enum"]
        .as_array()
        .expect("error code enum")
        .clone();
    // The documented codes are exactly the server's: `mekaar_api::ErrorCode`.
    let mut documented: Vec<&str> = error_codes.iter().filter_map(Value::as_str).collect();
    let mut known: Vec<&str> = mekaar_api::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    documented.sort_unstable();
    known.sort_unstable();
    assert_eq!(documented, known, "the Error enum differs from ErrorCode");
    let mut checked = 0;
    let mut conditional_checked = 0;
    let mut live_checked = 0;
    for (template, item) in w.paths() {
        let shared_parameters = item.get("parameters").and_then(Value::as_array);
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let url = w.server.at(&w.fill_for(template, method));
            let http_method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let mut request = w.http.request(http_method.clone(), &url);
            // Header parameters the document lists (an optional one when the
            // world has a value for it, such as the voter key of a vote).
            for parameter in shared_parameters.into_iter().flatten().chain(
                operation
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            ) {
                if parameter["in"] == "header" {
                    let name = parameter["name"].as_str().unwrap();
                    match w.header_value(name) {
                        Some(value) => request = request.header(name, value),
                        None if parameter["required"] == true => {
                            panic!("unknown required header {name}")
                        }
                        None => {}
                    }
                }
            }
            let schemes = World::schemes(operation);
            if schemes.iter().any(|s| s == "adminToken") {
                request = request.bearer_auth(&w.server.server_token);
            } else if schemes.iter().any(|s| s == "consoleSession") {
                // Signing out ends a session: not the one the others use.
                let (cookie, csrf) = if method == "delete" {
                    sign_in(&w.server, &w.http, &w.admin_token).await
                } else {
                    w.console.clone()
                };
                request = request.header(COOKIE, cookie).header("mekaar-csrf", csrf);
            }
            if let Some(mut value) = w.minimal_body(operation, &format!("openapi-{checked}")) {
                if template.ends_with("/admin/communities/{community}/steps") {
                    // Replacing the steps keeps the world's step (others still tick it).
                    value = json!([{"id": w.step, "title": "OpenAPI step"}]);
                }
                if value.get("token").is_some() {
                    // Signing in needs a real token.
                    value["token"] = json!(w.admin_token);
                }
                if value.get("starts_at").is_some() {
                    // A new meeting starts after now, somewhere.
                    let start = now_secs() + 86_400;
                    value["starts_at"] = json!(start);
                    value["ends_at"] = json!(start + 3600);
                    value["place"] = json!("Dorpshuis");
                }
                request = request.json(&value);
            }
            if World::takes_image(operation) {
                request = request.header(CONTENT_TYPE, "image/jpeg").body(test_jpeg());
            }
            // Required query parameters, with the document's example.
            for parameter in operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
            {
                let name = parameter["name"].as_str().unwrap();
                let example = parameter["example"]
                    .as_str()
                    .unwrap_or_else(|| panic!("required query parameter {name} has no example"));
                request = request.query(&[(name, example)]);
            }
            // The same request again, for the conditional GET below.
            let again = request.try_clone().expect("no streamed body");

            let answer = send(request).await;
            let what = format!("{method} {template} → {answer:?}");
            checked += 1;
            assert!(answer.status < 500, "{what}");
            assert_ne!(answer.status, 405, "{what}");
            assert_ne!(error_code(&answer), "route_not_found", "{what}");
            // A documented operation with everything it needs succeeds, or (a link
            // that leads on) says where to.
            if answer.status == 303 {
                assert!(
                    answer
                        .location
                        .as_deref()
                        .is_some_and(|l| l.starts_with('/')),
                    "{what}"
                );
            } else {
                assert!((200..300).contains(&answer.status), "{what}");
            }

            let responses = operation["responses"].as_object().unwrap();
            let documented = responses
                .get(&answer.status.to_string())
                .unwrap_or_else(|| panic!("status not documented: {what}"));
            let documented = resolve(&w.doc, documented);
            if let Some(content) = documented.get("content").and_then(Value::as_object) {
                let media = answer
                    .content_type
                    .as_deref()
                    .and_then(|t| t.split(';').next())
                    .unwrap_or("")
                    .trim()
                    .to_string();
                assert!(content.contains_key(&media), "content type {media}: {what}");
                if let Some(schema) = content
                    .get("application/json")
                    .and_then(|c| c.get("schema"))
                {
                    check_schema(&w.doc, schema, &answer.body, "response")
                        .unwrap_or_else(|err| panic!("{err}: {what}"));
                }
                if media == "text/event-stream" {
                    // The first event came at once, with the data its stream documents.
                    let data = answer
                        .body
                        .as_str()
                        .unwrap_or("")
                        .lines()
                        .find_map(|line| line.strip_prefix("data:"))
                        .unwrap_or_else(|| panic!("no event: {what}"));
                    let update: Value = serde_json::from_str(data.trim())
                        .unwrap_or_else(|err| panic!("event data is not JSON ({err}): {what}"));
                    let event_schema = content["text/event-stream"]
                        .get("x-event-data")
                        .unwrap_or_else(|| panic!("no x-event-data schema: {what}"));
                    check_schema(&w.doc, event_schema, &update, "event")
                        .unwrap_or_else(|err| panic!("{err}: {what}"));
                    live_checked += 1;
                }
            }

            // A documented 304: the answer's ETag sent back gets it while
            // nothing changed. (Background work, such as a webhook attempt,
            // may change the store in between: then the next tag is tried.)
            if let Some(not_modified) = responses.get("304") {
                assert!(resolve(&w.doc, not_modified).is_object(), "{what}");
                let mut etag = answer
                    .etag
                    .clone()
                    .unwrap_or_else(|| panic!("no ETag for a conditional GET: {what}"));
                let mut attempts = 0;
                loop {
                    let request = again.try_clone().unwrap().header(IF_NONE_MATCH, &etag);
                    let second = send(request).await;
                    let what = format!("{method} {template} If-None-Match {etag} → {second:?}");
                    attempts += 1;
                    if second.status == 304 {
                        assert_eq!(second.body, json!(""), "a 304 has no body: {what}");
                        assert_eq!(second.etag.as_deref(), Some(etag.as_str()), "{what}");
                        break;
                    }
                    assert_eq!(second.status, 200, "{what}");
                    assert_ne!(second.etag.as_deref(), Some(etag.as_str()), "{what}");
                    assert!(attempts < 10, "never 304: {what}");
                    etag = second.etag.expect("ETag");
                }
                conditional_checked += 1;
            }
        }
    }
    assert!(checked >= 42, "only {checked} operations in the document");
    // The list, both feeds, both open-data files, a thread's page, and the
    // agenda, an initiative's meetings and the three calendar files.
    assert_eq!(conditional_checked, 11, "conditional GETs");
    // The residents' and the editor's live stream of a poll, and a thread's.
    assert_eq!(live_checked, 3, "live streams");

    // With unknown things in the path parameters, every operation still
    // exists: it answers with a documented 4xx naming the missing resource,
    // never route_not_found or 405.
    for (template, item) in w.paths() {
        let url = w.server.at(&w.fill_last_unknown(template));
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" || !template.contains('{') {
                continue;
            }
            let http_method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            // Everything else it needs, so only the unknown thing fails.
            let body = w
                .minimal_body(operation, "unknown")
                .unwrap_or(json!({"title": "x", "slug": "x", "name": "x"}));
            let answer = send(
                w.http
                    .request(http_method, &url)
                    .bearer_auth(&w.server.server_token)
                    .header("mekaar-voter", voter_key(1))
                    .header("mekaar-manage", &w.manage_token)
                    .json(&body),
            )
            .await;
            let what = format!("{method} {url} → {answer:?}");
            assert_eq!(answer.status, 404, "{what}");
            if method == "head" {
                // A HEAD answer has no body to carry an error code.
                assert!(answer.body.as_str() == Some(""), "{what}");
                continue;
            }
            let code = error_code(&answer);
            if World::is_poll_page(template) {
                // A page of a poll that does not exist: a 404 page for a
                // person, or a JSON error.
                let is_html = answer
                    .content_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("text/html"));
                assert!(
                    is_html || ["route_not_found", "poll_not_found"].contains(&code),
                    "{what}"
                );
            } else if template.starts_with("/photos/") {
                assert_eq!(code, "photo_not_found", "{what}");
            } else if World::is_asset(template) {
                // A bundle file that does not exist is simply not there, nor
                // is a manage page for a malformed id.
                assert_eq!(code, "route_not_found", "{what}");
            } else {
                assert!(
                    [
                        "community_not_found",
                        "initiative_not_found",
                        "webhook_not_found",
                        "poll_not_found",
                        "token_not_found",
                        "thread_not_found",
                        "reaction_not_found",
                        "step_not_found",
                        "meeting_not_found"
                    ]
                    .contains(&code),
                    "{what}"
                );
            }
            assert!(
                operation["responses"].get("404").is_some(),
                "404 not documented: {what}"
            );
            assert!(
                code.is_empty() || error_codes.contains(&json!(code)),
                "{code} not in the Error enum"
            );
        }
    }
}

impl World {
    /// `template` with its last path parameter naming something that does
    /// not exist (and the ones before it real). The manage page does not
    /// look the initiative up (the widget does, with the token): it is
    /// given a malformed id instead.
    fn fill_last_unknown(&self, template: &str) -> String {
        // The last `{name}`, also inside a segment such as `{code}.svg`.
        let last = template
            .rfind('{')
            .and_then(|start| {
                let end = start + template[start..].find('}')?;
                Some(&template[start..=end])
            })
            .unwrap_or("");
        let unknown = match last {
            "{community}" => "nowhere",
            "{initiative}" if template.starts_with("/manage/") => "Not_An_Id",
            "{initiative}" => "doesnotexist",
            "{webhook}" => "nohook",
            "{token}" => "notoken",
            "{file}" => "nothing-here.js",
            "{photo}" => "0000000000000000000000000000000000000000000000000000000000000000.jpg",
            "{poll}" => "doesnotexist",
            "{thread}" => "doesnotexist",
            "{reaction}" => "doesnotexist",
            "{step}" => "nostep",
            "{meeting}" => "doesnotexist",
            // Well formed, but no poll's (a clash is a 1 in 28 million chance).
            "{code}" => "22222",
            "{short}" => "222222",
            _ => return self.fill(template),
        };
        self.fill(&template.replace(last, unknown))
    }

    /// The smallest valid JSON body of `operation`, if it takes one.
    fn minimal_body(&self, operation: &Value, unique: &str) -> Option<Value> {
        let body = operation.get("requestBody")?;
        if World::takes_image(operation) {
            return None;
        }
        let schema = &resolve(&self.doc, body)["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{operation}: body is not JSON");
        let value = minimal_value(&self.doc, schema, "", unique);
        check_schema(&self.doc, schema, &value, "request").unwrap();
        Some(value)
    }
}

#[tokio::test]
async fn undocumented_methods_are_refused_with_405() {
    let w = world().await;
    let mut checked = 0;
    for (template, item) in w.paths() {
        let url = w.server.at(&w.fill(template));
        let documented: BTreeSet<String> = item
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| *k != "parameters")
            .map(|k| k.to_ascii_uppercase())
            .collect();
        for method in CHECKED_METHODS {
            let upper = method.to_ascii_uppercase();
            if documented.contains(&upper) {
                continue;
            }
            let answer = send(
                w.http
                    .request(Method::from_bytes(upper.as_bytes()).unwrap(), &url)
                    .bearer_auth(&w.server.server_token)
                    .header("mekaar-voter", voter_key(2))
                    .json(&json!({})),
            )
            .await;
            let what = format!("{upper} {template} → {answer:?}");
            checked += 1;
            if World::is_asset(template) && answer.status == 404 {
                assert_eq!(error_code(&answer), "route_not_found", "{what}");
                continue;
            }
            assert_eq!(answer.status, 405, "{what}");
            assert_eq!(error_code(&answer), "method_not_allowed", "{what}");
            let allow: BTreeSet<String> = answer
                .allow
                .as_deref()
                .unwrap_or_else(|| panic!("no Allow header: {what}"))
                .split(',')
                .map(|m| m.trim().to_ascii_uppercase())
                .collect();
            assert_eq!(allow, documented, "Allow header vs document: {what}");
        }
    }
    assert!(checked >= 40, "only {checked} undocumented methods tried");
    // Nothing was created or changed by the refused requests.
    let answer = send(
        w.http
            .get(w.server.community_url(&w.community, "/initiatives")),
    )
    .await;
    assert_eq!(answer.body["initiatives"].as_array().map(Vec::len), Some(1));
    let support = send(
        w.http
            .get(w.server.support_url(&w.community, &w.initiative))
            .header("mekaar-voter", voter_key(2)),
    )
    .await;
    assert_eq!(support.body["supported"], false);
}

#[tokio::test]
async fn undocumented_addresses_are_404_route_not_found() {
    let w = world().await;
    let documented: BTreeMap<String, ()> = w.paths().keys().map(|p| (w.fill(p), ())).collect();
    let undocumented = [
        "/index.html".to_string(),
        "/openapi.json".into(),
        "/api".into(),
        "/api/openapi.yaml".into(),
        "/api/v1".into(),
        "/api/v1/communities".into(),
        "/api/v2/communities/baarlo".into(),
        "/api/v1/communities/baarlo/polls".into(),
        "/api/v1/polls".into(),
        "/api/v1/polls/join".into(),
        w.fill("/api/v1/polls/join/{code}/x"),
        w.fill("/api/v1/communities/{community}/polls/{poll}/votes"),
        w.fill("/api/v1/communities/{community}/polls/{poll}/vote/x"),
        w.fill("/api/v1/communities/{community}/polls/{poll}/codes"),
        w.fill("/api/v1/admin/communities/{community}/polls/{poll}/votes"),
        w.fill("/api/v1/admin/communities/{community}/polls/{poll}/results"),
        w.fill("/api/v1/communities/{community}/initiatives/{initiative}/support/extra"),
        w.fill("/api/v1/communities/{community}/initiatives/{initiative}/supporters"),
        "/api/v1/admin".into(),
        "/api/v1/admin/communities/baarlo/exports".into(),
        "/api/v1/session/x".into(),
        "/api/v1/sessions".into(),
        w.fill("/api/v1/admin/communities/{community}/initiatives/{initiative}/moderation/x"),
        w.fill("/api/v1/admin/communities/{community}/webhooks/{webhook}/deliveries"),
        "/api/v1/admin/communities/baarlo/audit/x".into(),
        "/api/v1/communities/baarlo/feed.rss".into(),
        "/api/v1/communities/baarlo/feed".into(),
        w.fill("/api/v1/communities/{community}/initiatives/{initiative}/manage/x"),
        w.fill("/api/v1/communities/{community}/initiatives/{initiative}/joins"),
        "/manage".into(),
        "/manage/baarlo".into(),
        w.fill("/manage/{community}/{initiative}/x"),
        "/healthz/x".into(),
        "/embed.js/x".into(),
        "/pkg".into(),
        "/pkg/a/b".into(),
        "/photos".into(),
        "/photos/a/b".into(),
        w.fill("/api/v1/communities/{community}/initiatives/{initiative}/photo/x"),
        w.fill("/api/v1/admin/communities/{community}/initiatives/{initiative}/photo/x"),
        "/api/v1/communities/baarlo/threads".into(),
        "/api/v1/communities/baarlo/threads/topic".into(),
        w.fill("/api/v1/communities/{community}/threads/{kind}/{thread}/reactions/x"),
        w.fill("/api/v1/communities/{community}/threads/{kind}/{thread}/live/x"),
        "/api/v1/communities/baarlo/reactions".into(),
        w.fill("/api/v1/communities/{community}/reactions/{reaction}/agrees"),
        w.fill("/api/v1/communities/{community}/reactions/{reaction}/report/x"),
        "/api/v1/communities/baarlo/topics".into(),
        format!("/api/v1/communities/baarlo/topics/{}", w.topic),
        w.fill("/api/v1/admin/communities/{community}/reactions/{reaction}"),
        "/api/v1/admin/communities/baarlo/threads".into(),
        format!("/api/v1/admin/communities/baarlo/topics/{}", w.topic),
    ];
    for path in &undocumented {
        assert!(!documented.contains_key(path), "{path} is documented");
        for method in [Method::GET, Method::POST, Method::DELETE] {
            let answer = send(w.http.request(method.clone(), w.server.at(path))).await;
            assert_eq!(answer.status, 404, "{method} {path} → {answer:?}");
            assert_eq!(error_code(&answer), "route_not_found", "{method} {path}");
        }
    }
}
