//! Browser tests of the initiative widgets: the list (with its detail view and submit form)
//! pasted into somebody else's page, and the initiator's manage page, in headless Chromium.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`) and axe-core from `npm ci --prefix tests`. Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- initiatives::
//! ```
//!
//! The plumbing is the support button's (`browser/harness.rs`): every test runs the real
//! server (origin B: the API, the bundle, and the manage page `/manage/{c}/{id}#{token}`)
//! and a host site of its own (origin A, another loopback port) whose pages carry the
//! webmaster's snippet; the community allows origin A only. Each browser profile is a
//! WebDriver session with a fresh `--user-data-dir`. Residents act with real WebDriver
//! clicks and key presses on elements found inside the widgets' open shadow roots;
//! moderators act over the admin API. Waits poll until a condition holds (hang guard
//! 20 s); nothing asserts on timing.

use std::time::{Duration, Instant};

use crate::harness::{
    axe_source, host_page, loader_snippet, with_browser, AxeFindings, HostSite, Profile, PATIENCE,
};
use fantoccini::elements::Element;
use fantoccini::Locator;
use mekaar_tests::TestServer;
use reqwest::Method;
use serde_json::{json, Value};

const SLUG: &str = "dorp";
const POLL: Duration = Duration::from_millis(100);

// ---------------------------------------------------------------------------------------
// The world: the API server with one community, a host site on another origin.

struct World {
    api: TestServer,
    site: HostSite,
    /// The community's admin (moderator) token.
    token: String,
}

/// A community that allows the host site's origin only; `pre`: pre-moderated (new
/// initiatives wait for a moderator), else post-moderated (the default). `areas` replace
/// the harness's single area "Dorpskern" when given.
async fn world(pre: bool, areas: &[&str]) -> World {
    let api = TestServer::start().await;
    let site = HostSite::start().await;
    let created = api.create_community(SLUG, &[&site.origin]).await;
    let w = World {
        api,
        site,
        token: created.admin_token,
    };
    let mut patch = serde_json::Map::new();
    if pre {
        patch.insert("moderation".into(), json!("pre"));
    }
    if !areas.is_empty() {
        patch.insert("areas".into(), json!(areas));
    }
    if !patch.is_empty() {
        let community = w.admin(Method::PATCH, "", Some(Value::Object(patch))).await;
        if pre {
            assert_eq!(
                community["moderation"],
                json!("pre"),
                "community is pre-moderated: {community}"
            );
        }
    }
    w
}

impl World {
    /// A call to `/api/v1/admin/communities/{SLUG}{tail}` with the community's token;
    /// must succeed.
    async fn admin(&self, method: Method, tail: &str, body: Option<Value>) -> Value {
        self.api
            .admin_call(&self.token, method, SLUG, tail, body)
            .await
    }

    /// A moderator creates a (published) initiative, optionally with a status; its id.
    async fn create(&self, title: &str, summary: &str, area: &str, status: &str) -> String {
        let body = json!({ "title": title, "summary": summary, "area": area, "theme": "Groen" });
        let card = self.admin(Method::POST, "/initiatives", Some(body)).await;
        let id = card["id"].as_str().expect("initiative id").to_string();
        if status != "idea" {
            self.admin(
                Method::PATCH,
                &format!("/initiatives/{id}"),
                Some(json!({ "status": status })),
            )
            .await;
        }
        id
    }

    async fn approve(&self, id: &str) -> Value {
        self.admin(
            Method::POST,
            &format!("/initiatives/{id}/moderation"),
            Some(json!({ "action": "approve" })),
        )
        .await
    }

    /// What a moderator sees of an initiative (joins, reports, contact).
    async fn admin_view(&self, id: &str) -> Value {
        self.admin(Method::GET, &format!("/initiatives/{id}"), None)
            .await
    }

    /// The public API's answer for one initiative: status and body.
    async fn public(&self, id: &str) -> (u16, Value) {
        let url = self.api.community_url(SLUG, &format!("/initiatives/{id}"));
        let response = self.api.client.get(&url).send().await.expect("GET");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A host page on origin A with the snippet and one list widget (`attrs` added to the
    /// placeholder) in a section with its own `h2`, as on the demo page; its URL.
    fn list_page(&self, path: &str, attrs: &str) -> String {
        self.page_with(
            path,
            &format!(
                "<p>Nieuws uit het dorp.</p>\n<h2>Initiatieven in het dorp</h2>\n{}",
                list_placeholder(attrs)
            ),
        )
    }

    /// A host page on origin A with the snippet and `body` inside its `main`; its URL.
    fn page_with(&self, path: &str, body: &str) -> String {
        self.site.put(
            path,
            host_page("Dorpskrant", &loader_snippet(&self.api.url), body),
        )
    }

    /// `(id, token)` from a manage link, which must be `{server}/manage/{SLUG}/{id}#{token}`.
    fn parse_manage_link(&self, link: &str) -> (String, String) {
        let prefix = format!("{}/manage/{SLUG}/", self.api.url);
        let rest = link.strip_prefix(&prefix).unwrap_or_else(|| {
            panic!("manage link {link:?} is not on the Mekaar server ({prefix}…)")
        });
        let (id, token) = rest
            .split_once('#')
            .unwrap_or_else(|| panic!("manage link {link:?} has no #token"));
        assert!(!id.is_empty() && !token.is_empty(), "manage link {link:?}");
        (id.to_string(), token.to_string())
    }
}

/// The list widget's placeholder, as a webmaster pastes it.
fn list_placeholder(attrs: &str) -> String {
    format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"{attrs}></div>")
}

// ---------------------------------------------------------------------------------------
// Looking inside a widget's shadow root.

/// Puts `host` (widget `arguments[0]`), `s` (its shadow root), `root` (`.mekaar-root`) and
/// small helpers in scope of the body that follows.
const PRELUDE: &str = r#"
var host = document.querySelectorAll('[data-mekaar]')[arguments[0]] || null;
var s = host ? host.shadowRoot : null;
function q(sel) { return s ? s.querySelector(sel) : null; }
function qa(sel) { return s ? Array.from(s.querySelectorAll(sel)) : []; }
function t(x) {
  var el = typeof x === 'string' ? q(x) : x;
  return el ? el.textContent.replace(/\s+/g, ' ').trim() : null;
}
function ts(sel) { return qa(sel).map(t); }
var root = q('.mekaar-root');
function view() { return root ? root.getAttribute('data-view') : null; }
function state() { return root ? root.getAttribute('data-state') : null; }
function ready(v) { return view() === v && state() === 'ready'; }
// Ids are the widget's own, `mekaar-{uid}-{name}`: `bare` writes one as `mekaar-{name}`,
// `sid(name)` selects it by its name.
function bare(id) { return id ? id.replace(/^mekaar-\d+-/, 'mekaar-') : id; }
function sid(name) { return '[id^="mekaar-"][id$="-' + name + '"]'; }
function focused() { return s && s.activeElement ? bare(s.activeElement.id) : null; }
"#;

/// What to print when a wait gives up.
const DIAGNOSIS: &str = r#"
return {
  view: view(), state: state(), message: t('.mekaar-message'), focused: focused(),
  url: location.href, host_errors: window.__hostErrors || null,
  html: root ? root.outerHTML.slice(0, 4000) : (host ? host.outerHTML.slice(0, 1000) : null)
};
"#;

/// The selector of the element whose id (`mekaar-{uid}-{name}`, unique per widget) has
/// `name`.
fn by_id(name: &str) -> String {
    format!("[id^=\"mekaar-\"][id$=\"-{name}\"]")
}

/// A JS string literal.
fn js(text: &str) -> String {
    json!(text).to_string()
}

/// Runs `body` (after [`PRELUDE`]) for widget `index`.
async fn inside(p: &Profile, index: usize, body: &str) -> Value {
    p.exec(&format!("{PRELUDE}\n{body}"), vec![json!(index)])
        .await
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false)) && *v != json!("") && *v != json!(0)
}

/// Polls `body` until it returns something truthy; returns that.
async fn wait_inside(p: &Profile, index: usize, what: &str, body: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let value = inside(p, index, body).await;
        if truthy(&value) {
            return value;
        }
        if Instant::now() >= deadline {
            let now = inside(p, index, DIAGNOSIS).await;
            panic!(
                "widget #{index} never got to: {what} (waited {PATIENCE:?}).\n\
                 last value: {value}\nwidget now: {now:#}"
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits for widget `index` to show `view` (list, detail, new, manage), ready.
async fn wait_view(p: &Profile, index: usize, view: &str) {
    wait_inside(
        p,
        index,
        &format!("{view} view, ready"),
        &format!("return ready({});", js(view)),
    )
    .await;
}

/// The element matching `css` inside widget `index`'s shadow root, once there is one.
async fn element(p: &Profile, index: usize, css: &str) -> Element {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let hosts = p
            .client
            .find_all(Locator::Css("[data-mekaar]"))
            .await
            .expect("find placeholders");
        if let Some(host) = hosts.get(index) {
            if let Ok(shadow) = host.shadow_root().await {
                if let Ok(el) = shadow.find(Locator::Css(css)).await {
                    return el;
                }
            }
        }
        if Instant::now() >= deadline {
            let now = inside(p, index, DIAGNOSIS).await;
            panic!("no {css} in widget #{index} (waited {PATIENCE:?}).\nwidget now: {now:#}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// A real WebDriver click on `css` inside widget `index`.
async fn click(p: &Profile, index: usize, css: &str) {
    element(p, index, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("WebDriver click on {css}: {e}"));
}

/// Types `text` into the field `css` inside widget `index` (key presses, after clearing).
async fn type_into(p: &Profile, index: usize, css: &str, text: &str) {
    let field = element(p, index, css).await;
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("clear {css}: {e}"));
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Picks the option with `value` in the `<select>` `css` inside widget `index`.
async fn choose(p: &Profile, index: usize, css: &str, value: &str) {
    element(p, index, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value:?} in {css}: {e}"));
}

/// The fragment of the page's URL, without `#` ("" when none).
async fn fragment(p: &Profile) -> String {
    let url = p.client.current_url().await.expect("current URL");
    url.fragment().unwrap_or("").to_string()
}

/// The titles of the cards the list shows now.
async fn card_titles(p: &Profile, index: usize) -> Vec<String> {
    serde_json::from_value(inside(p, index, "return ts('.mekaar-card-title');").await)
        .expect("card titles")
}

/// Waits until the list is ready and shows exactly `titles` (in any order).
async fn wait_cards(p: &Profile, index: usize, what: &str, titles: &[&str]) {
    let mut want: Vec<&str> = titles.to_vec();
    want.sort();
    let body = format!(
        "if (!ready('list')) return false;\
         var have = ts('.mekaar-card-title').sort();\
         var want = {};\
         return have.length === want.length && have.every(function (x, i) {{ return x === want[i]; }});",
        json!(want)
    );
    wait_inside(p, index, what, &body).await;
}

/// Fills and sends the submit form (the widget shows it).
struct Submission<'a> {
    title: &'a str,
    summary: &'a str,
    story: &'a str,
    area: Option<&'a str>,
    theme: Option<&'a str>,
    initiator: &'a str,
    email: &'a str,
}

async fn submit_form(p: &Profile, index: usize, sub: &Submission<'_>) {
    wait_view(p, index, "new").await;
    type_into(p, index, &by_id("f-title"), sub.title).await;
    type_into(p, index, &by_id("f-summary"), sub.summary).await;
    if !sub.story.is_empty() {
        type_into(p, index, &by_id("f-story"), sub.story).await;
    }
    if let Some(area) = sub.area {
        choose(p, index, &by_id("f-area"), area).await;
    }
    if let Some(theme) = sub.theme {
        choose(p, index, &by_id("f-theme"), theme).await;
    }
    type_into(p, index, &by_id("f-initiator_name"), sub.initiator).await;
    if !sub.email.is_empty() {
        type_into(p, index, &by_id("f-contact_email"), sub.email).await;
    }
    click(p, index, &by_id("b-send-submit")).await;
}

/// Waits for the confirmation; returns the manage link's exact `href` and the moderation
/// sentence.
async fn confirmation(p: &Profile, index: usize) -> (String, String) {
    let found = wait_inside(
        p,
        index,
        "the confirmation with the manage link",
        "var a = q('.mekaar-submitted a.mekaar-manage-link');\
         return ready('new') && a ? { href: a.getAttribute('href'), text: t(a),\
           moderation: t('.mekaar-submitted .mekaar-moderation'), warning: t('.mekaar-warning') } : null;",
    )
    .await;
    let href = found["href"].as_str().expect("href").to_string();
    assert_eq!(
        found["text"].as_str(),
        Some(href.as_str()),
        "the link shows itself"
    );
    assert!(
        found["warning"]
            .as_str()
            .is_some_and(|w| w.contains("Bewaar")),
        "a warning to keep the link: {found}"
    );
    let moderation = found["moderation"].as_str().unwrap_or("").to_string();
    (href, moderation)
}

/// Fills and sends the join form of the detail view.
async fn join(p: &Profile, index: usize, name: &str, contact: &str, message: &str) {
    type_into(p, index, &by_id("f-name"), name).await;
    type_into(p, index, &by_id("f-contact"), contact).await;
    type_into(p, index, &by_id("f-message"), message).await;
    click(p, index, &by_id("f-consent")).await;
    click(p, index, &by_id("b-send-join")).await;
}

// ---------------------------------------------------------------------------------------
// 1. The whole flow.

/// A resident submits on a host page of another origin (pre-moderated: "wordt eerst
/// bekeken", not in the list yet) → a moderator approves → it appears in the list → detail
/// (hash, focus) → support → join → the initiator's manage link, opened in another browser
/// profile, shows the joiner. Back (the widget's button and the browser's) returns to the
/// list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submit_approve_list_support_join_and_the_manage_link_shows_the_joiner() {
    with_browser(|browser| async move {
        let w = world(true, &[]).await;
        let url = w.list_page("/", "");
        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_view(&resident, 0, "list").await;
        let empty = inside(&resident, 0, "return t('.mekaar-result-count');").await;
        assert_eq!(empty, json!("0 initiatieven gevonden"));

        click(&resident, 0, "a.mekaar-start").await;
        wait_view(&resident, 0, "new").await;
        assert_eq!(fragment(&resident).await, "mekaar-new");
        let form = inside(
            &resident,
            0,
            "return { policy: t('.mekaar-policy'), focused: focused() };",
        )
        .await;
        assert!(
            form["policy"]
                .as_str()
                .is_some_and(|p| p.contains("eerst bekeken door een moderator")),
            "the form states pre-moderation: {form}"
        );

        let title = "Moestuin achter de bibliotheek";
        let summary = "Samen groente kweken op het braakliggende stuk grond achter de bibliotheek.";
        let story = "De gemeente wil het stuk grond verhuren.\n\nWe zoeken mensen die willen wieden en oogsten.";
        submit_form(
            &resident,
            0,
            &Submission {
                title,
                summary,
                story,
                area: Some("Dorpskern"),
                theme: Some("Groen"),
                initiator: "Anja de Vries",
                email: "anja@example.nl",
            },
        )
        .await;
        let (link, moderation) = confirmation(&resident, 0).await;
        println!("manage link: {link}\nconfirmation: {moderation}");
        assert!(
            moderation.contains("Een moderator bekijkt het eerst"),
            "the confirmation says it is reviewed first: {moderation:?}"
        );
        let (id, _token) = w.parse_manage_link(&link);
        wait_inside(
            &resident,
            0,
            "focus on the confirmation's heading",
            "return focused() === 'mekaar-submitted-title';",
        )
        .await;

        // Pending: the public does not see it, in the API or in the list.
        let (status, _) = w.public(&id).await;
        assert_eq!(status, 404, "a pending initiative is not public");
        let admin = w.admin_view(&id).await;
        assert_eq!(admin["moderation"], json!("pending"), "{admin}");
        assert_eq!(admin["initiative"]["title"], json!(title));
        assert_eq!(admin["initiative"]["area"], json!("Dorpskern"));
        assert_eq!(admin["initiative"]["theme"], json!("Groen"));
        assert_eq!(admin["contact_email"], json!("anja@example.nl"));
        click(&resident, 0, &by_id("b-back")).await;
        wait_view(&resident, 0, "list").await;
        assert_eq!(fragment(&resident).await, "", "back on the list: no hash");
        resident.reload().await;
        wait_view(&resident, 0, "list").await;
        assert!(
            card_titles(&resident, 0).await.is_empty(),
            "not in the list before approval"
        );

        // The moderator approves; after a reload the card is there.
        let approved = w.approve(&id).await;
        assert_eq!(approved["moderation"], json!("published"), "{approved}");
        resident.reload().await;
        wait_cards(&resident, 0, "the approved card", &[title]).await;
        let card = inside(
            &resident,
            0,
            &format!(
                "var c = q({});\
                 return c && {{ summary: t(c.querySelector('.mekaar-card-summary')),\
                   area: t(c.querySelector('.mekaar-area')), count: t(c.querySelector('.mekaar-card-count')) }};",
                js(&format!(".mekaar-card[data-id=\"{id}\"]"))
            ),
        )
        .await;
        assert_eq!(card["summary"], json!(summary), "{card}");
        assert_eq!(card["area"], json!("Dorpskern"), "{card}");
        assert_eq!(card["count"], json!("0 van 50 steunbetuigingen"), "{card}");

        // The detail: hash, focus on its heading.
        click(&resident, 0, &by_id(&format!("c-{id}"))).await;
        wait_view(&resident, 0, "detail").await;
        assert_eq!(fragment(&resident).await, format!("mekaar-i={id}"));
        wait_inside(
            &resident,
            0,
            "focus on the detail's heading",
            "return focused() === 'mekaar-detail-title';",
        )
        .await;
        let detail = inside(
            &resident,
            0,
            "return { title: t('.mekaar-detail-title'), lead: t('.mekaar-lead'),\
               byline: t('.mekaar-byline'), story: ts('.mekaar-story p'),\
               joins: t('.mekaar-join-count') };",
        )
        .await;
        assert_eq!(detail["title"], json!(title), "{detail}");
        assert_eq!(detail["lead"], json!(summary), "{detail}");
        assert!(
            detail["byline"]
                .as_str()
                .is_some_and(|b| b.contains("Anja de Vries")),
            "{detail}"
        );
        assert_eq!(
            detail["story"],
            json!([
                "De gemeente wil het stuk grond verhuren.",
                "We zoeken mensen die willen wieden en oogsten."
            ]),
            "{detail}"
        );
        assert_eq!(detail["joins"], json!("0 mensen doen mee"), "{detail}");

        // Support.
        resident
            .wait_widget(0, "support button: 0, not pressed", |v| {
                v.settled_at(0, false)
            })
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "support: 1 and pressed", |v| v.settled_at(1, true))
            .await;

        // Join.
        let message = "Ik heb een motoculteur en wil op zaterdag helpen.";
        join(&resident, 0, "Bram Jansen", "06 1234 5678", message).await;
        let joined = wait_inside(
            &resident,
            0,
            "joined: 'Je doet mee', 1 joiner",
            "return q('.mekaar-joined') && t('.mekaar-join-count') === '1 persoon doet mee'\
               && { joined: t('.mekaar-joined'), focused: focused(), text: t(root) };",
        )
        .await;
        assert!(
            joined["joined"]
                .as_str()
                .is_some_and(|j| j.starts_with("Je doet mee")),
            "{joined}"
        );
        assert_eq!(joined["focused"], json!("mekaar-joined"), "{joined}");
        let public_text = joined["text"].as_str().unwrap_or("");
        assert!(
            !public_text.contains("06 1234 5678") && !public_text.contains("motoculteur"),
            "the detail does not show the joiner's contact or message: {public_text}"
        );
        let (_, public) = w.public(&id).await;
        assert_eq!(public["support_count"], json!(1), "{public}");
        assert_eq!(public["join_count"], json!(1), "{public}");

        // Back to the list with the widget's button: the hash goes, the card gets focus.
        click(&resident, 0, &by_id("b-back")).await;
        wait_view(&resident, 0, "list").await;
        assert_eq!(fragment(&resident).await, "", "list: no hash");
        wait_inside(
            &resident,
            0,
            "focus back on the card that was open, which counts 1 supporter",
            &format!(
                "return focused() === {} && t('.mekaar-card-count') === '1 van 50 steunbetuigingen';",
                js(&format!("mekaar-c-{id}"))
            ),
        )
        .await;
        // Forward to the detail, then the browser's own Back.
        resident.client.forward().await.expect("forward");
        wait_view(&resident, 0, "detail").await;
        assert_eq!(fragment(&resident).await, format!("mekaar-i={id}"));
        wait_inside(
            &resident,
            0,
            "still joined after coming back",
            "return !!q('.mekaar-joined');",
        )
        .await;
        resident.client.back().await.expect("back");
        wait_cards(&resident, 0, "the list after the browser's Back", &[title]).await;
        assert_eq!(fragment(&resident).await, "");
        resident.assert_no_host_errors().await;

        // The initiator, in another browser, opens the manage link from the confirmation.
        let initiator = browser.profile().await;
        initiator.goto(&link).await;
        wait_view(&initiator, 0, "manage").await;
        let manage = inside(
            &initiator,
            0,
            "return { title: t('.mekaar-detail-title'),\
               moderation: q('.mekaar-moderation') && q('.mekaar-moderation').getAttribute('data-moderation'),\
               names: ts('.mekaar-joiner-name'), contacts: ts('.mekaar-joiner-contact'),\
               messages: ts('.mekaar-joiner-message'), count: t('.mekaar-joiners .mekaar-join-count') };",
        )
        .await;
        assert_eq!(manage["title"], json!(title), "{manage}");
        assert_eq!(manage["moderation"], json!("published"), "{manage}");
        assert_eq!(manage["names"], json!(["Bram Jansen"]), "{manage}");
        assert_eq!(manage["contacts"], json!(["06 1234 5678"]), "{manage}");
        assert_eq!(manage["messages"], json!([message]), "{manage}");
        assert_eq!(manage["count"], json!("1 persoon doet mee"), "{manage}");
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 2. HTML in every field is text.

const PAYLOAD: &str = r#"<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"#;
/// Tries to leave a textarea, a paragraph and an attribute value.
const BREAKOUT: &str = r#"</textarea></p>"><b onclick="__pwned=3">"#;

/// [`PAYLOAD`] and [`BREAKOUT`] when both fit in `max` characters, else [`PAYLOAD`].
fn payload(max: usize) -> String {
    let long = format!("{PAYLOAD}{BREAKOUT}");
    if long.chars().count() <= max {
        long
    } else {
        PAYLOAD.to_string()
    }
}

/// Whether anything ran or was made from the payloads: `window.__pwned`, and elements or
/// event-handler attributes in the widgets' shadow roots (the support button's own icon is
/// the only `svg`) or in the page.
const XSS_CHECK: &str = r#"
var bad = [];
function scan(node, where) {
  node.querySelectorAll('*').forEach(function (el) {
    var tag = el.localName;
    if (['script', 'img', 'iframe', 'object', 'embed', 'b'].indexOf(tag) >= 0) bad.push(where + ': <' + tag + '>');
    if (tag === 'svg' && !el.classList.contains('mekaar-icon')) bad.push(where + ': <svg>');
    for (var i = 0; i < el.attributes.length; i++) {
      if (/^on/i.test(el.attributes[i].name)) bad.push(where + ': ' + tag + '[' + el.attributes[i].name + ']');
    }
  });
}
document.querySelectorAll('[data-mekaar]').forEach(function (h, i) {
  if (h.shadowRoot) scan(h.shadowRoot, 'widget ' + i);
});
document.querySelectorAll('img, iframe, svg, b, [onerror], [onclick]').forEach(function (el) {
  bad.push('page: <' + el.localName + '>');
});
Array.from(document.scripts).forEach(function (sc) {
  if (sc.textContent.indexOf('__pwned') >= 0) bad.push('page: a script with the payload');
});
return { pwned: window.__pwned === undefined ? null : String(window.__pwned), bad: bad };
"#;

async fn assert_inert(p: &Profile, when: &str) {
    let found = p.exec(XSS_CHECK, vec![]).await;
    assert_eq!(
        found["pwned"],
        Value::Null,
        "{when}: a payload ran: {found}"
    );
    assert_eq!(
        found["bad"],
        json!([]),
        "{when}: markup was made from a payload: {found}"
    );
}

/// Sends the payload in every text field a resident or initiator can fill (submit form,
/// join form, report form, manage page's news), in a post-moderated community so it is
/// public at once, and checks the list, the detail and the manage page: the text shows
/// literally, no element was made from it, nothing ran.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_every_field_is_shown_as_text_and_never_runs() {
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        let url = w.list_page("/", "");
        let title = payload(120);
        let summary = payload(280);
        let story_paras = [payload(5_000), PAYLOAD.to_string()];
        let story = story_paras.join("\n\n");
        let initiator = payload(80);
        // A contact must be an e-mail address or a phone number: the payload without spaces.
        let join_contact =
            r#"<script>window.__pwned=1</script><img/src=x/onerror="window.__pwned=2">@example.nl"#
                .to_string();
        let (join_name, join_message) = (payload(80), payload(1_000));
        let reason = payload(500);
        let news = payload(2_000);
        println!("payload: {PAYLOAD}\nlong payload: {title}");

        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_view(&resident, 0, "list").await;
        click(&resident, 0, "a.mekaar-start").await;
        submit_form(
            &resident,
            0,
            &Submission {
                title: &title,
                summary: &summary,
                story: &story,
                area: None,
                theme: None,
                initiator: &initiator,
                email: "",
            },
        )
        .await;
        let (link, moderation) = confirmation(&resident, 0).await;
        assert!(
            moderation.contains("Het staat nu in het overzicht"),
            "post-moderated: public at once: {moderation:?}"
        );
        let (id, _) = w.parse_manage_link(&link);
        assert_inert(&resident, "confirmation").await;

        // The list.
        click(&resident, 0, &by_id("b-back")).await;
        wait_cards(&resident, 0, "the card with the payload title", &[&title]).await;
        let card = inside(
            &resident,
            0,
            "var a = q('.mekaar-card-link'); return { title: a.textContent, summary: q('.mekaar-card-summary').textContent };",
        )
        .await;
        assert_eq!(card["title"], json!(title), "title is literal text: {card}");
        assert_eq!(card["summary"], json!(summary), "summary is literal text: {card}");
        assert!(title.contains("<script>"));
        assert_inert(&resident, "list").await;

        // The detail.
        click(&resident, 0, &by_id(&format!("c-{id}"))).await;
        wait_view(&resident, 0, "detail").await;
        let detail = inside(
            &resident,
            0,
            "return { title: q('.mekaar-detail-title').textContent, lead: q('.mekaar-lead').textContent,\
               byline: q('.mekaar-byline').textContent,\
               story: qa('.mekaar-story p').map(function (p) { return p.textContent; }) };",
        )
        .await;
        assert_eq!(detail["title"], json!(title), "{detail}");
        assert_eq!(detail["lead"], json!(summary), "{detail}");
        assert!(
            detail["byline"]
                .as_str()
                .is_some_and(|b| b.contains(&initiator)),
            "the initiator's name is literal text: {detail}"
        );
        assert_eq!(detail["story"], json!(story_paras), "{detail}");
        assert_inert(&resident, "detail").await;

        // Join and report with the payload.
        join(&resident, 0, &join_name, &join_contact, &join_message).await;
        wait_inside(
            &resident,
            0,
            "joined",
            "return !!q('.mekaar-joined') && t('.mekaar-join-count') === '1 persoon doet mee';",
        )
        .await;
        assert_inert(&resident, "detail, joined").await;
        click(&resident, 0, &by_id("b-report")).await;
        type_into(&resident, 0, &by_id("f-reason"), &reason).await;
        click(&resident, 0, &by_id("b-send-report")).await;
        wait_inside(&resident, 0, "reported", "return !!q('.mekaar-reported');").await;
        assert_inert(&resident, "detail, reported").await;
        resident.assert_no_host_errors().await;

        // The manage page: joiner's details, the edit form's values, news.
        resident.goto(&link).await;
        wait_view(&resident, 0, "manage").await;
        let manage = inside(
            &resident,
            0,
            "return { title: q('.mekaar-detail-title').textContent,\
               name: q('.mekaar-joiner-name').textContent, contact: q('.mekaar-joiner-contact').textContent,\
               message: q('.mekaar-joiner-message').textContent,\
               edit_title: q(sid('f-title')).value, edit_summary: q(sid('f-summary')).value,\
               edit_story: q(sid('f-story')).value };",
        )
        .await;
        assert_eq!(manage["title"], json!(title), "{manage}");
        assert_eq!(manage["name"], json!(join_name), "{manage}");
        assert_eq!(manage["contact"], json!(join_contact), "{manage}");
        assert_eq!(manage["message"], json!(join_message), "{manage}");
        assert_eq!(manage["edit_title"], json!(title), "edit form value: {manage}");
        assert_eq!(manage["edit_summary"], json!(summary), "edit form value: {manage}");
        assert_eq!(manage["edit_story"], json!(story), "edit form value: {manage}");
        assert_inert(&resident, "manage page").await;

        type_into(&resident, 0, &by_id("f-text"), &news).await;
        click(&resident, 0, &by_id("b-send-update")).await;
        let update = wait_inside(
            &resident,
            0,
            "the news is posted",
            "var u = qa('.mekaar-update .mekaar-text');\
             return u.length === 1 && t('.mekaar-update-form .mekaar-form-status') && u[0].textContent;",
        )
        .await;
        assert_eq!(update, json!(news), "the news is literal text");
        // Saving the edit form as it was filled in keeps every value as it was.
        click(&resident, 0, &by_id("b-send-edit")).await;
        wait_inside(
            &resident,
            0,
            "the edit is saved",
            "return t('.mekaar-edit-form .mekaar-form-status') === 'Opgeslagen.';",
        )
        .await;
        assert_inert(&resident, "manage page after news and edit").await;

        // The news on the host page's detail.
        resident.goto(&format!("{url}#mekaar-i={id}")).await;
        wait_view(&resident, 0, "detail").await;
        let shown = inside(
            &resident,
            0,
            "return { title: q('.mekaar-detail-title').textContent,\
               news: qa('.mekaar-update .mekaar-text').map(function (p) { return p.textContent; }) };",
        )
        .await;
        assert_eq!(shown["title"], json!(title), "{shown}");
        assert_eq!(shown["news"], json!([news]), "{shown}");
        assert_inert(&resident, "detail with news").await;
        resident.assert_no_host_errors().await;

        // Everything arrived verbatim: the browser sent text, not something cleaned up.
        let admin = w.admin_view(&id).await;
        let i = &admin["initiative"];
        assert_eq!(i["title"], json!(title));
        assert_eq!(i["summary"], json!(summary));
        assert_eq!(i["story"], json!(story));
        assert_eq!(i["initiator_name"], json!(initiator));
        assert_eq!(i["updates"][0]["text"], json!(news));
        assert_eq!(admin["joins"][0]["name"], json!(join_name));
        assert_eq!(admin["joins"][0]["contact"], json!(join_contact));
        assert_eq!(admin["joins"][0]["message"], json!(join_message));
        assert_eq!(admin["reports"][0]["reason"], json!(reason));
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 3. A shared link.

/// The host page opened with `#mekaar-i=ID` shows that initiative's detail at once; its
/// Back button then shows the list on the same page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_link_lands_on_the_detail() {
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        let title = "Een AED bij de kerk";
        let other = "Jeu-de-boulesbaan bij het dorpshuis";
        let id = w
            .create(
                title,
                "Een hartstartkast aan de muur van de kerk.",
                "Dorpskern",
                "idea",
            )
            .await;
        w.create(other, "Een baan voor iedereen.", "Dorpskern", "idea")
            .await;
        let url = w.list_page("/nieuws/aed", "");

        let reader = browser.profile().await;
        reader.goto(&format!("{url}#mekaar-i={id}")).await;
        wait_view(&reader, 0, "detail").await;
        let detail = inside(
            &reader,
            0,
            "return { title: t('.mekaar-detail-title'), cards: qa('.mekaar-card').length };",
        )
        .await;
        assert_eq!(detail, json!({ "title": title, "cards": 0 }));
        wait_inside(
            &reader,
            0,
            "focus on the detail's heading",
            "return focused() === 'mekaar-detail-title';",
        )
        .await;

        click(&reader, 0, &by_id("b-back")).await;
        wait_cards(&reader, 0, "the list after Back", &[title, other]).await;
        let now = reader.client.current_url().await.expect("URL");
        assert_eq!(
            now.as_str(),
            url,
            "Back stays on the host page, without the hash"
        );
        reader.assert_no_host_errors().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 4. Filters and search.

/// With initiatives in several areas and statuses, choosing an area narrows the cards,
/// a status narrows further, and the search narrows by text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn area_status_and_search_narrow_the_list() {
    with_browser(|browser| async move {
        let w = world(false, &["Dorpskern", "Kloosterbuurt", "Stationsbuurt"]).await;
        let moestuin = "Moestuin in de Kloosterbuurt";
        let aed = "Een AED bij de kerk";
        let boules = "Jeu-de-boulesbaan bij het dorpshuis";
        let bankjes = "Bankjes langs het fietspad";
        w.create(
            moestuin,
            "Samen groente kweken.",
            "Kloosterbuurt",
            "seeking_supporters",
        )
        .await;
        w.create(
            aed,
            "Een hartstartkast aan de muur van de kerk.",
            "Dorpskern",
            "in_progress",
        )
        .await;
        w.create(
            boules,
            "Een baan voor jong en oud.",
            "Dorpskern",
            "realised",
        )
        .await;
        w.create(
            bankjes,
            "Rustpunten voor wandelaars.",
            "Stationsbuurt",
            "idea",
        )
        .await;
        let url = w.list_page("/", "");

        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_cards(&resident, 0, "all four", &[moestuin, aed, boules, bankjes]).await;

        choose(&resident, 0, ".mekaar-filter-area", "Dorpskern").await;
        wait_cards(&resident, 0, "area Dorpskern", &[aed, boules]).await;
        let count = inside(&resident, 0, "return t('.mekaar-result-count');").await;
        assert_eq!(count, json!("2 initiatieven gevonden"));

        choose(&resident, 0, ".mekaar-filter-status", "realised").await;
        wait_cards(&resident, 0, "Dorpskern and realised", &[boules]).await;

        choose(&resident, 0, ".mekaar-filter-status", "").await;
        choose(&resident, 0, ".mekaar-filter-area", "Kloosterbuurt").await;
        wait_cards(&resident, 0, "area Kloosterbuurt", &[moestuin]).await;
        let meta = inside(
            &resident,
            0,
            "return [t('.mekaar-area'), q('.mekaar-status').getAttribute('data-status')];",
        )
        .await;
        assert_eq!(meta, json!(["Kloosterbuurt", "seeking_supporters"]));

        choose(&resident, 0, ".mekaar-filter-area", "").await;
        wait_cards(
            &resident,
            0,
            "all areas again",
            &[moestuin, aed, boules, bankjes],
        )
        .await;

        type_into(&resident, 0, ".mekaar-search", "kerk").await;
        click(&resident, 0, &by_id("b-search")).await;
        wait_cards(&resident, 0, "search 'kerk'", &[aed]).await;
        let count = inside(&resident, 0, "return t('.mekaar-result-count');").await;
        assert_eq!(count, json!("1 initiatief gevonden"));

        // The search looks in summaries too.
        type_into(&resident, 0, ".mekaar-search", "groente").await;
        click(&resident, 0, &by_id("b-search")).await;
        wait_cards(&resident, 0, "search 'groente'", &[moestuin]).await;

        type_into(&resident, 0, ".mekaar-search", "bestaat niet").await;
        click(&resident, 0, &by_id("b-search")).await;
        wait_cards(&resident, 0, "a search without results", &[]).await;
        let count = inside(&resident, 0, "return t('.mekaar-result-count');").await;
        assert_eq!(count, json!("0 initiatieven gevonden"));
        resident.assert_no_host_errors().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 5. axe-core.

/// No axe-core violations inside the widgets: the list, the detail with the join and
/// report forms open, the submit form showing its validation errors, the confirmation,
/// and the manage page (whose page, Mekaar's own, must be clean too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_in_the_initiative_widgets() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = world(true, &[]).await;
        let id = w
            .create(
                "Een AED bij de kerk",
                "Een hartstartkast aan de muur van de kerk.",
                "Dorpskern",
                "seeking_supporters",
            )
            .await;
        let url = w.list_page("/", "");
        let resident = browser.profile().await;
        let mut axe_findings = AxeFindings::default();

        resident.goto(&url).await;
        wait_cards(&resident, 0, "the list", &["Een AED bij de kerk"]).await;
        axe_findings.check(&resident, &axe, "list").await;

        click(&resident, 0, &by_id(&format!("c-{id}"))).await;
        wait_view(&resident, 0, "detail").await;
        resident
            .wait_widget(0, "support button ready", |v| v.settled_at(0, false))
            .await;
        element(&resident, 0, "form.mekaar-join-form").await;
        click(&resident, 0, &by_id("b-report")).await;
        element(&resident, 0, "form.mekaar-report-form").await;
        axe_findings.check(&resident, &axe, "detail with the join and report forms").await;

        click(&resident, 0, &by_id("b-back")).await;
        wait_view(&resident, 0, "list").await;
        click(&resident, 0, "a.mekaar-start").await;
        wait_view(&resident, 0, "new").await;
        click(&resident, 0, &by_id("b-send-submit")).await;
        let errors = wait_inside(
            &resident,
            0,
            "validation errors at the required fields",
            "var e = qa('.mekaar-error'); return e.length >= 3 && {\
               errors: e.map(function (x) { return bare(x.id); }), focused: focused(),\
               invalid: qa('[aria-invalid=true]').map(function (x) { return x.id + ' -> ' + x.getAttribute('aria-describedby'); }) };",
        )
        .await;
        println!("validation errors: {errors}");
        assert_eq!(
            errors["errors"],
            json!(["mekaar-e-title", "mekaar-e-summary", "mekaar-e-initiator_name"]),
            "{errors}"
        );
        assert_eq!(errors["focused"], json!("mekaar-f-title"), "{errors}");
        axe_findings.check(&resident, &axe, "submit form with errors").await;

        submit_form(
            &resident,
            0,
            &Submission {
                title: "Bankjes langs het fietspad",
                summary: "Rustpunten voor wandelaars.",
                story: "",
                area: None,
                theme: None,
                initiator: "Kees",
                email: "",
            },
        )
        .await;
        let (link, _) = confirmation(&resident, 0).await;
        axe_findings.check(&resident, &axe, "confirmation").await;
        resident.assert_no_host_errors().await;

        resident.goto(&link).await;
        wait_view(&resident, 0, "manage").await;
        axe_findings.check(&resident, &axe, "manage page").await;

        axe_findings.assert_clean();
    })
    .await;
}

/// The same list placed right below the page's `h1` (no section heading of the host's own):
/// its card titles are `h3` with no `h2` above them, which axe-core reports as a skipped
/// heading level. The widget's other views start at `h2` (detail, submit form, manage), so
/// only the list view assumes a host `h2`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_list_right_below_the_page_heading() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        w.create(
            "Een AED bij de kerk",
            "Een hartstartkast.",
            "Dorpskern",
            "idea",
        )
        .await;
        let url = w.page_with("/", &list_placeholder(""));
        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_cards(&resident, 0, "the list", &["Een AED bij de kerk"]).await;
        let mut axe_findings = AxeFindings::default();
        axe_findings.check(&resident, &axe, "list below h1").await;
        axe_findings.assert_clean();
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 6. English.

/// `data-lang="en"`: the list and the submit form speak English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_list_and_form() {
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        w.create("Village orchard", "Fruit trees by the school.", "Dorpskern", "idea")
            .await;
        let url = w.list_page("/", " data-lang=\"en\"");
        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_cards(&resident, 0, "the list", &["Village orchard"]).await;
        let list = inside(
            &resident,
            0,
            "return { lang: root.getAttribute('lang'), start: t('a.mekaar-start'),\
               search: t('label[for$=\"-q\"]'), area: t('label[for$=\"-filter-area\"]'),\
               all_areas: t('.mekaar-filter-area option[value=\"\"]'), results: t('.mekaar-result-count'),\
               status: t('.mekaar-status'), count: t('.mekaar-card-count'), text: t(root) };",
        )
        .await;
        println!("English list: {list:#}");
        assert_eq!(list["lang"], json!("en"));
        assert_eq!(list["start"], json!("Start an initiative"));
        assert_eq!(list["search"], json!("Search"));
        assert_eq!(list["area"], json!("Area"));
        assert_eq!(list["all_areas"], json!("All areas"));
        assert_eq!(list["results"], json!("1 initiative found"));
        assert_eq!(list["status"], json!("Idea"));
        assert_eq!(list["count"], json!("0 of 50 supporters"));
        let text = list["text"].as_str().unwrap_or("");
        for dutch in ["Zoeken", "Buurt", "gevonden", "steunbetuiging", "Idee"] {
            assert!(!text.contains(dutch), "Dutch {dutch:?} in the English list: {text}");
        }

        click(&resident, 0, "a.mekaar-start").await;
        wait_view(&resident, 0, "new").await;
        click(&resident, 0, &by_id("b-send-submit")).await;
        element(&resident, 0, &by_id("e-title")).await;
        let form = inside(
            &resident,
            0,
            "return { heading: t('.mekaar-submit-title'), policy: t('.mekaar-policy'),\
               title: t('label[for$=\"-f-title\"]'), summary: t('label[for$=\"-f-summary\"]'),\
               name: t('label[for$=\"-f-initiator_name\"]'), send: t(sid('b-send-submit')),\
               back: t(sid('b-back')), error: t(sid('e-title')), text: t(root) };",
        )
        .await;
        println!("English form: {form:#}");
        assert_eq!(form["heading"], json!("Start an initiative"));
        assert!(
            form["policy"]
                .as_str()
                .is_some_and(|p| p.starts_with("Your initiative is visible to everyone")),
            "{form}"
        );
        assert_eq!(form["title"], json!("Title"));
        assert_eq!(form["summary"], json!("Short summary"));
        assert_eq!(form["name"], json!("Your name, as others will see it"));
        assert_eq!(form["send"], json!("Submit initiative"));
        assert_eq!(form["back"], json!("Back to the overview"));
        assert_eq!(form["error"], json!("Please fill in this field."));
        let text = form["text"].as_str().unwrap_or("");
        for dutch in ["Titel", "Vul dit veld in", "insturen", "Terug"] {
            assert!(!text.contains(dutch), "Dutch {dutch:?} in the English form: {text}");
        }
        resident.assert_no_host_errors().await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 7. Two lists on one page, Escape, and what the view un-ticks.

/// Two list widgets on one page, the second with `data-heading-level="3"`: each starts its
/// outline at its own level (h2 with h3 cards; h3 with h4 cards), no id is used twice on
/// the page (not even across the two shadow roots), and axe-core finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_lists_on_one_page_with_their_own_heading_levels_and_ids() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        let title = "Een AED bij de kerk";
        let id = w
            .create(title, "Een hartstartkast.", "Dorpskern", "idea")
            .await;
        let url = w.page_with(
            "/twee",
            &format!(
                "<h2>Initiatieven in het dorp</h2>\n{}\n<h2>Uit de buurt</h2>\n<p>Ook hier.</p>\n{}",
                list_placeholder(""),
                list_placeholder(" data-heading-level=\"3\"")
            ),
        );
        let resident = browser.profile().await;
        resident.goto(&url).await;
        for index in [0, 1] {
            wait_cards(&resident, index, "the list", &[title]).await;
        }
        let first = inside(
            &resident,
            0,
            "return [q('.mekaar-list-title').localName, q('.mekaar-card-title').localName,\
               qa('h1').length];",
        )
        .await;
        assert_eq!(first, json!(["h2", "h3", 0]), "the default level");
        let second = inside(
            &resident,
            1,
            "return [q('.mekaar-list-title').localName, q('.mekaar-card-title').localName,\
               qa('h1, h2').length];",
        )
        .await;
        assert_eq!(second, json!(["h3", "h4", 0]), "data-heading-level=3");

        let ids = resident
            .exec(
                "var seen = {}, twice = [], all = 0;\
                 document.querySelectorAll('[id]').forEach(function (el) { seen[el.id] = 1; });\
                 document.querySelectorAll('[data-mekaar]').forEach(function (h) {\
                   h.shadowRoot.querySelectorAll('[id]').forEach(function (el) {\
                     all++; if (seen[el.id]) twice.push(el.id); seen[el.id] = 1; });\
                 });\
                 return { all: all, twice: twice };",
                vec![],
            )
            .await;
        assert!(ids["all"].as_u64().unwrap_or(0) > 10, "{ids}");
        assert_eq!(ids["twice"], json!([]), "ids used twice on the page: {ids}");

        // Each list opens its own card: the link ids differ, the detail shows in both.
        click(&resident, 1, &by_id(&format!("c-{id}"))).await;
        for index in [0, 1] {
            wait_view(&resident, index, "detail").await;
        }
        let mut axe_findings = AxeFindings::default();
        axe_findings.check(&resident, &axe, "two lists, detail").await;
        click(&resident, 0, &by_id("b-back")).await;
        for index in [0, 1] {
            wait_cards(&resident, index, "back on the list", &[title]).await;
        }
        axe_findings.check(&resident, &axe, "two lists").await;
        axe_findings.assert_clean();
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// The report form closes with Escape, and the focus goes back to the button that opened
/// it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_closes_the_report_form() {
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        let id = w
            .create(
                "Een AED bij de kerk",
                "Een hartstartkast.",
                "Dorpskern",
                "idea",
            )
            .await;
        let url = w.list_page("/", "");
        let resident = browser.profile().await;
        resident.goto(&format!("{url}#mekaar-i={id}")).await;
        wait_view(&resident, 0, "detail").await;
        click(&resident, 0, &by_id("b-report")).await;
        wait_inside(
            &resident,
            0,
            "the report form, focus in its field",
            "return !!q('form.mekaar-report-form') && focused() === 'mekaar-f-reason';",
        )
        .await;
        type_into(&resident, 0, &by_id("f-reason"), "Dit is reclame").await;
        element(&resident, 0, &by_id("f-reason"))
            .await
            .send_keys("\u{E00C}")
            .await
            .expect("press Escape");
        wait_inside(
            &resident,
            0,
            "the form closed, focus on the report button",
            "return !q('form.mekaar-report-form') && focused() === 'mekaar-b-report';",
        )
        .await;
        // Opened again, it starts empty: nothing was sent.
        click(&resident, 0, &by_id("b-report")).await;
        let reason = wait_inside(
            &resident,
            0,
            "the report form again",
            "var f = q(sid('f-reason')); return f && { value: f.value };",
        )
        .await;
        assert_eq!(reason["value"], json!(""));
        let (_, public) = w.public(&id).await;
        assert_eq!(
            public["title"],
            json!("Een AED bij de kerk"),
            "not hidden: {public}"
        );
        let admin = w.admin_view(&id).await;
        assert_eq!(admin["report_count"], json!(0), "nothing reported: {admin}");
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// The consent box of the join form is the state's, not the page's: after joining and
/// withdrawing it is un-ticked again (a resident must agree anew), and a box ticked on
/// one initiative is not ticked on the next one opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consent_box_is_unticked_when_the_view_unticks_it() {
    with_browser(|browser| async move {
        let w = world(false, &[]).await;
        let aed = w
            .create(
                "Een AED bij de kerk",
                "Een hartstartkast.",
                "Dorpskern",
                "idea",
            )
            .await;
        let boules = w
            .create(
                "Jeu-de-boulesbaan",
                "Een baan voor iedereen.",
                "Dorpskern",
                "idea",
            )
            .await;
        let url = w.list_page("/", "");
        let resident = browser.profile().await;
        resident.goto(&format!("{url}#mekaar-i={aed}")).await;
        wait_view(&resident, 0, "detail").await;
        let consent = "var c = q(sid('f-consent')); return c && { checked: c.checked,\
                         name: q(sid('f-name')).value };";

        join(
            &resident,
            0,
            "Bram Jansen",
            "06 1234 5678",
            "Ik help graag.",
        )
        .await;
        wait_inside(&resident, 0, "joined", "return !!q('.mekaar-joined');").await;
        click(&resident, 0, &by_id("b-withdraw")).await;
        let form = wait_inside(&resident, 0, "the join form again", consent).await;
        assert_eq!(
            form,
            json!({ "checked": false, "name": "" }),
            "after withdrawing"
        );
        let (_, public) = w.public(&aed).await;
        assert_eq!(public["join_count"], json!(0), "{public}");

        // Ticked here, not sent; then another initiative.
        click(&resident, 0, &by_id("f-consent")).await;
        wait_inside(
            &resident,
            0,
            "ticked",
            "return q(sid('f-consent')).checked;",
        )
        .await;
        resident
            .exec(
                "location.hash = arguments[0];",
                vec![json!(format!("mekaar-i={boules}"))],
            )
            .await;
        wait_inside(
            &resident,
            0,
            "the other initiative",
            "return ready('detail') && t('.mekaar-detail-title') === 'Jeu-de-boulesbaan';",
        )
        .await;
        let form = wait_inside(&resident, 0, "its join form", consent).await;
        assert_eq!(
            form,
            json!({ "checked": false, "name": "" }),
            "another initiative"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}
