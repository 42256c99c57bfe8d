//! What the console's browser tests share: a community with its admin token on the real
//! server and a host site it allows, the admin and public API as a test calls them, and the console driven through WebDriver as a
//! person drives it (the console is a normal page: no shadow roots).

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use mekaar_tests::{voter_key, TestServer, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::{host_page, loader_snippet, HostSite, Profile, PATIENCE};

/// The community every console test works in.
pub const SLUG: &str = "baarlo";
/// How often a wait looks again.
const STEP: Duration = Duration::from_millis(100);

/// The real server with the community [`SLUG`] and its first admin token, and a host site
/// on another origin that the community allows (as a real embed is).
pub struct World {
    pub api: TestServer,
    pub site: HostSite,
    pub token: String,
}

impl World {
    pub async fn start() -> World {
        let api = TestServer::start().await;
        let site = HostSite::start().await;
        let created = api.create_community(SLUG, &[&site.origin]).await;
        World {
            api,
            site,
            token: created.admin_token,
        }
    }

    /// `/api/v1/admin/communities/{SLUG}{tail}` with the admin token as Bearer; must
    /// succeed. The answer's JSON, or null.
    pub async fn admin(&self, method: Method, tail: &str, body: Option<Value>) -> Value {
        self.api
            .admin_call(&self.token, method, SLUG, tail, body)
            .await
    }

    /// A new token of `role` (`admin`, `moderator`, `poll_editor`).
    pub async fn token_for(&self, role: &str) -> String {
        let created = self
            .admin(
                Method::POST,
                "/tokens",
                Some(json!({ "role": role, "label": format!("test {role}") })),
            )
            .await;
        created["admin_token"]
            .as_str()
            .expect("a new token")
            .to_string()
    }

    /// A resident's public POST with voter key `voter`; the answer's JSON (must succeed).
    pub async fn public(&self, tail: &str, voter: u64, body: Value) -> Value {
        let response = self
            .api
            .client
            .post(self.api.community_url(SLUG, tail))
            .header(VOTER_HEADER, voter_key(voter))
            .json(&body)
            .send()
            .await
            .expect("public call");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {tail}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A host page on the host site with the loader and `body`; its URL.
    pub fn host(&self, path: &str, body: &str) -> String {
        self.site.put(
            path,
            host_page(
                "Dorpsraad Baarlo",
                &loader_snippet(&self.api.url),
                &format!("<h2>Meedoen</h2>\n{body}"),
            ),
        )
    }
}

/// Polls `script` in the page until it returns something truthy (not null, false, "" or
/// 0); that value. Past [`PATIENCE`] it fails with what `main` shows.
pub async fn wait_js(p: &Profile, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let value = p.exec(script, vec![]).await;
        if !matches!(value, Value::Null | Value::Bool(false))
            && value != json!("")
            && value != json!(0)
        {
            return value;
        }
        if Instant::now() >= deadline {
            let page = p
                .exec(
                    "var m = document.querySelector('main'); return { url: location.href, \
                     main: m ? m.innerText.slice(0, 3000) : document.body.innerText.slice(0, 2000) };",
                    vec![],
                )
                .await;
            panic!("never got to: {what} (waited {PATIENCE:?}).\npage now: {page:#}");
        }
        tokio::time::sleep(STEP).await;
    }
}

/// The element `css`, once there is one.
pub async fn element(p: &Profile, css: &str) -> Element {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Ok(el) = p.client.find(Locator::Css(css)).await {
            return el;
        }
        assert!(
            Instant::now() < deadline,
            "no {css} on the page (waited {PATIENCE:?})"
        );
        tokio::time::sleep(STEP).await;
    }
}

/// A real WebDriver click on `css`.
pub async fn click(p: &Profile, css: &str) {
    element(p, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("WebDriver click on {css}: {e}"));
}

/// Clears the field `css` and types `text` into it with key presses.
pub async fn type_text(p: &Profile, css: &str, text: &str) {
    let field = element(p, css).await;
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clear {css}: {e}"));
    if !text.is_empty() {
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }
}

/// Chooses the option `value` of the select `css`.
pub async fn choose(p: &Profile, css: &str, value: &str) {
    element(p, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value:?} in {css}: {e}"));
}

/// The text of `css` (whitespace collapsed), or null.
pub async fn text_of(p: &Profile, css: &str) -> Value {
    p.exec(
        "var el = document.querySelector(arguments[0]);\
         return el ? el.textContent.replace(/\\s+/g, ' ').trim() : null;",
        vec![json!(css)],
    )
    .await
}

/// The value of the input `css`, or null.
pub async fn value_of(p: &Profile, css: &str) -> Value {
    p.exec(
        "var el = document.querySelector(arguments[0]); return el ? el.value : null;",
        vec![json!(css)],
    )
    .await
}

/// Waits until `css` reads exactly `text` (whitespace collapsed).
pub async fn wait_text(p: &Profile, css: &str, text: &str) {
    wait_js(
        p,
        &format!("{css} reads {text:?}"),
        &format!(
            "var el = document.querySelector({});\
             return !!el && el.textContent.replace(/\\s+/g, ' ').trim() === {};",
            json!(css),
            json!(text)
        ),
    )
    .await;
}

/// Waits until `css` contains `text` (whitespace collapsed).
pub async fn wait_contains(p: &Profile, css: &str, text: &str) {
    wait_js(
        p,
        &format!("{css} contains {text:?}"),
        &format!(
            "var el = document.querySelector({});\
             return !!el && el.textContent.replace(/\\s+/g, ' ').indexOf({}) >= 0;",
            json!(css),
            json!(text)
        ),
    )
    .await;
}

/// The text of the screen's heading.
pub async fn heading(p: &Profile) -> String {
    p.exec(
        "var h = document.querySelector('main h1'); return h ? h.textContent.trim() : '';",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Opens `/admin` in Dutch (headless Chromium's own language is English) and waits for
/// the sign-in form.
pub async fn open_console(p: &Profile, api: &TestServer) {
    p.goto(&api.at("/admin?lang=nl")).await;
    element(p, "#signin-token").await;
}

/// Types `token` into the sign-in form and submits it.
pub async fn submit_token(p: &Profile, token: &str) {
    type_text(p, "#signin-token", token).await;
    click(p, "main.signin form button[type=submit]").await;
}

/// Opens the console and signs in with `token` by typing it, as a person would.
pub async fn sign_in(p: &Profile, api: &TestServer, token: &str) {
    open_console(p, api).await;
    submit_token(p, token).await;
    wait_js(
        p,
        "signed in",
        "return !!document.querySelector('button.sign-out');",
    )
    .await;
}

/// Goes to a console fragment (`#/audit`) and waits for its screen's heading; to read
/// `title` when one is given.
pub async fn go(p: &Profile, hash: &str, title: Option<&str>) {
    p.exec(
        "location.hash = arguments[0];",
        vec![json!(hash.trim_start_matches('#'))],
    )
    .await;
    wait_js(
        p,
        &format!("the screen of {hash}"),
        &format!(
            "var h = document.querySelector('main h1'); var want = {};\
             return location.hash === {} && !!h && (want === null || h.textContent.trim() === want);",
            json!(title),
            json!(hash)
        ),
    )
    .await;
}

/// WebDriver's Tab and Enter keys.
pub const TAB: &str = "\u{e004}";
pub const ENTER: &str = "\u{e007}";

/// Presses `keys` on whatever has the focus, as a keyboard does.
pub async fn press_keys(p: &Profile, keys: &str) {
    p.client
        .active_element()
        .await
        .expect("an element with the focus")
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("pressing {keys:?}: {e}"));
}

/// Presses Tab until the element `css` has the focus (at most `most` times), and
/// asserts that the focus can be seen there (an outline from `:focus-visible`).
pub async fn tab_to(p: &Profile, css: &str, most: usize) {
    let here = format!(
        "var el = document.querySelector({}); return !!el && document.activeElement === el;",
        json!(css)
    );
    for _ in 0..most {
        press_keys(p, TAB).await;
        if p.exec(&here, vec![]).await == json!(true) {
            let seen = p
                .exec(
                    "var el = document.activeElement, s = getComputedStyle(el);\
                     return el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;",
                    vec![],
                )
                .await;
            assert_eq!(seen, json!(true), "the focus on {css} cannot be seen");
            return;
        }
    }
    let at = p
        .exec(
            "var el = document.activeElement; return el ? el.outerHTML.slice(0, 120) : null;",
            vec![],
        )
        .await;
    panic!("{css} not reached with {most} Tab presses; the focus is on {at}");
}
