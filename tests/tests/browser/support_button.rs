//! Browser tests: the support button pasted into somebody else's page, in headless Chromium.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`) and axe-core from `npm ci --prefix tests`. Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- support_button::
//! ```
//!
//! Every test runs the real server (origin B, the API and the bundle it embeds from `pkg/`)
//! and a small host site of its own (origin A, another loopback port) whose pages carry the
//! webmaster's snippet. The community allows origin A only. Each browser profile is its own
//! WebDriver session with a fresh `--user-data-dir`, so its own localStorage (voter key).
//! Clicks are real WebDriver clicks on the button found inside the widget's open shadow root.
//! Waits poll until a condition holds (hang guard 20 s); nothing asserts on timing.

use std::collections::BTreeMap;

use crate::harness::{
    axe_source, host_page, loader_snippet, support_placeholder, with_browser, AxeFindings,
    HostSite, WidgetView,
};
use mekaar_api::InitiativePublic;
use mekaar_tests::{voter_key, TestServer, VOTER_HEADER};
use serde_json::json;

const SLUG: &str = "dorp";

/// The API server with one community that allows the host site's origin only.
struct World {
    api: TestServer,
    site: HostSite,
    initiatives: Vec<InitiativePublic>,
}

async fn world(initiatives: usize) -> World {
    let api = TestServer::start().await;
    let site = HostSite::start().await;
    let created = api.create_community(SLUG, &[&site.origin]).await;
    let mut list = Vec::new();
    for n in 0..initiatives {
        let title = format!("Initiatief {}: een bankje bij de vijver", n + 1);
        list.push(
            api.create_initiative(SLUG, &created.admin_token, &title)
                .await,
        );
    }
    World {
        api,
        site,
        initiatives: list,
    }
}

impl World {
    fn id(&self, n: usize) -> &str {
        &self.initiatives[n].id
    }

    /// A host page with the snippet and one placeholder per initiative id.
    fn page(&self, path: &str, ids: &[&str]) -> String {
        let body: String = ids
            .iter()
            .map(|id| {
                format!(
                    "<p>Steun het plan:</p>\n{}\n",
                    support_placeholder(SLUG, id, "")
                )
            })
            .collect();
        self.site.put(
            path,
            host_page("Dorpskrant", &loader_snippet(&self.api.url), &body),
        )
    }

    /// The support count as the API reports it (no Origin header: like curl).
    async fn api_count(&self, id: &str) -> u64 {
        let url = self.api.community_url(SLUG, &format!("/initiatives/{id}"));
        let response = self
            .api
            .client
            .get(&url)
            .send()
            .await
            .expect("GET initiative");
        assert_eq!(response.status(), 200, "GET {url}");
        let initiative: InitiativePublic = response.json().await.expect("initiative body");
        initiative.support_count
    }
}

fn ready_at(count: u64, pressed: bool) -> impl Fn(&WidgetView) -> bool {
    move |w| w.settled_at(count, pressed)
}

/// 1. One press counts, survives a reload, and a second browser profile counts separately.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn press_counts_persists_and_a_second_profile_adds_one() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let url = w.page("/", &[&id]);

        let first = browser.profile().await;
        first.goto(&url).await;
        let view = first
            .wait_widget(0, "ready: 0, not pressed", ready_at(0, false))
            .await;
        assert_eq!(view.loader.as_deref(), Some("mounted"));
        assert_eq!(
            view.count_live.as_deref(),
            Some("polite"),
            "count is aria-live"
        );
        first.press(0).await;
        first
            .wait_widget(0, "1 and pressed", ready_at(1, true))
            .await;

        first.reload().await;
        first
            .wait_widget(0, "after reload: still 1 and pressed", ready_at(1, true))
            .await;
        let first_key = first.local_storage("mekaar.voter").await;
        let first_key = first_key.expect("the voter key is kept in the host page's localStorage");
        assert!(
            first_key.len() == 32 && first_key.bytes().all(|b| b.is_ascii_hexdigit()),
            "voter key is 128 bits in hex: {first_key:?}"
        );

        let second = browser.profile().await;
        second.goto(&url).await;
        second
            .wait_widget(0, "second profile: 1, not pressed", ready_at(1, false))
            .await;
        second.press(0).await;
        second
            .wait_widget(0, "second profile: 2 and pressed", ready_at(2, true))
            .await;
        let second_key = second.local_storage("mekaar.voter").await;
        assert!(second_key.is_some(), "second profile has a voter key");
        assert_ne!(
            second_key.as_deref(),
            Some(first_key.as_str()),
            "profiles differ"
        );

        first.reload().await;
        first
            .wait_widget(
                0,
                "first profile after reload: 2 and pressed",
                ready_at(2, true),
            )
            .await;

        assert_eq!(w.api_count(&id).await, 2, "the server counts both supports");
        first.assert_no_host_errors().await;
        second.assert_no_host_errors().await;
    })
    .await;
}

/// 2. A second press withdraws: the count goes down, the button is no longer pressed, and
/// that too survives a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_press_withdraws_and_persists() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        // Somebody else already supports it, so "withdrawn" is 1, not an empty 0.
        let other = w
            .api
            .client
            .put(w.api.support_url(SLUG, &id))
            .header(VOTER_HEADER, voter_key(1))
            .send()
            .await
            .expect("PUT support");
        assert!(other.status().is_success(), "support by another voter");
        let url = w.page("/", &[&id]);

        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .wait_widget(0, "1, not pressed", ready_at(1, false))
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "2 and pressed", ready_at(2, true))
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "withdrawn: 1, not pressed", ready_at(1, false))
            .await;

        resident.reload().await;
        let view = resident
            .wait_widget(0, "after reload: 1, not pressed", ready_at(1, false))
            .await;
        assert!(view.message.is_none(), "no error message: {view:?}");
        assert_eq!(
            w.api_count(&id).await,
            1,
            "the server counts the withdrawal"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}

const HOSTILE_CSS: &str = "<style>button{display:none!important} \
    *{font-size:40px!important; color:red!important} div{border:5px solid red}</style>";

/// Computed styles of the widget's own button and count, read inside the shadow root.
const WIDGET_BUTTON_STYLE: &str = r#"
var shadow = document.querySelector('[data-mekaar]').shadowRoot;
var b = shadow.querySelector('.mekaar-support-button');
var c = shadow.querySelector('.mekaar-count');
var bs = getComputedStyle(b), cs = getComputedStyle(c), r = b.getBoundingClientRect();
return { display: bs.display, visibility: bs.visibility, font_size: bs.fontSize,
         color: bs.color, width: r.width, height: r.height,
         count_font_size: cs.fontSize, count_color: cs.color };
"#;

/// 3a. A host page with hostile CSS does not hide, blow up or disable the widget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_host_css_does_not_break_the_widget() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let head = format!("{HOSTILE_CSS}\n{}", loader_snippet(&w.api.url));
        let body = format!(
            "<p>De site verbergt zijn eigen knoppen:</p><button type=\"button\">host</button>\n{}",
            support_placeholder(SLUG, &id, "")
        );
        let url = w.site.put("/hostile", host_page("Vijandige site", &head, &body));

        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident.wait_widget(0, "ready: 0, not pressed", ready_at(0, false)).await;

        // The host's rules do apply to the host page (so the test is really hostile) …
        let host = resident
            .exec(
                "var b = document.querySelector('main > button');\
                 return [getComputedStyle(b).display, getComputedStyle(document.querySelector('main > p')).fontSize];",
                vec![],
            )
            .await;
        assert_eq!(host, json!(["none", "40px"]), "hostile CSS applies to the host");

        // … but not inside the widget.
        let style = resident.exec(WIDGET_BUTTON_STYLE, vec![]).await;
        assert_ne!(style["display"], json!("none"), "button displayed: {style}");
        assert_eq!(style["visibility"], json!("visible"), "button visible: {style}");
        assert!(
            style["width"].as_f64() > Some(0.0) && style["height"].as_f64() > Some(0.0),
            "button has a box: {style}"
        );
        assert_ne!(style["font_size"], json!("40px"), "button font size: {style}");
        assert_ne!(style["count_font_size"], json!("40px"), "count font size: {style}");
        assert_ne!(style["color"], json!("rgb(255, 0, 0)"), "button colour: {style}");
        assert_ne!(style["count_color"], json!("rgb(255, 0, 0)"), "count colour: {style}");
        let button = resident.support_button(0).await;
        assert!(
            button.is_displayed().await.expect("is displayed"),
            "WebDriver sees the button displayed"
        );

        resident.press(0).await;
        resident.wait_widget(0, "pressed under hostile CSS: 1", ready_at(1, true)).await;
        assert_eq!(w.api_count(&id).await, 1);
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// The host page's own elements, computed: what a widget's styles must not change.
const HOST_STYLE_SNAPSHOT: &str = r#"
var props = ['font-size', 'color', 'font-family', 'font-weight', 'line-height', 'margin',
             'padding', 'display', 'background', 'border', 'text-decoration'];
var out = {};
['html', 'body', 'main', 'h1', 'p', '#host-button', '#host-link'].forEach(function (sel) {
  var el = document.querySelector(sel);
  var cs = getComputedStyle(el);
  props.forEach(function (p) { out[sel + ' ' + p] = cs.getPropertyValue(p); });
});
out['document style sheets'] = String(document.styleSheets.length);
out['adopted style sheets'] = String((document.adoptedStyleSheets || []).length);
return out;
"#;

/// 3b. The widget's styles do not change the host page: the host's own button, paragraph and
/// heading compute the same before the loader is inserted and after the widget has mounted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_styles_do_not_change_the_host_page() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let host_css = "<style>body{font-family:Georgia,serif;color:#222;background:#fbfaf5}\
            h1{margin:.5em 0}</style>";
        let body = format!(
            "<p>Een gewone alinea met <a id=\"host-link\" href=\"#\">een link</a>.</p>\n\
             <button id=\"host-button\" type=\"button\">Knop van de site</button>\n{}",
            support_placeholder(SLUG, &id, "")
        );
        // No loader yet: the test inserts it after measuring.
        let url = w
            .site
            .put("/plain", host_page("Gewone site", host_css, &body));

        let resident = browser.profile().await;
        resident.goto(&url).await;
        let before: BTreeMap<String, String> =
            serde_json::from_value(resident.exec(HOST_STYLE_SNAPSHOT, vec![]).await)
                .expect("style snapshot");
        let widgets = resident.widgets().await;
        assert!(
            !widgets[0].has_shadow && widgets[0].loader.is_none(),
            "nothing mounted before the loader is inserted: {widgets:?}"
        );

        resident
            .exec(
                "var s = document.createElement('script'); s.async = true; s.src = arguments[0];\
                 document.head.appendChild(s);",
                vec![json!(format!("{}/embed.js", w.api.url))],
            )
            .await;
        resident
            .wait_widget(0, "mounted and ready", ready_at(0, false))
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "pressed: 1", ready_at(1, true))
            .await;

        let after: BTreeMap<String, String> =
            serde_json::from_value(resident.exec(HOST_STYLE_SNAPSHOT, vec![]).await)
                .expect("style snapshot");
        let changed: Vec<String> = before
            .iter()
            .filter(|(k, v)| after.get(*k) != Some(v))
            .map(|(k, v)| format!("{k}: {v:?} -> {:?}", after.get(k)))
            .collect();
        assert!(
            changed.is_empty(),
            "the widget changed the host page's styles:\n{}",
            changed.join("\n")
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// 4. Two widgets on one page work independently, and a placeholder added later by script
/// (a CMS's lazy block) mounts too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_widgets_work_independently_and_late_placeholders_mount() {
    with_browser(|browser| async move {
        let w = world(3).await;
        let (a, b, c) = (
            w.id(0).to_string(),
            w.id(1).to_string(),
            w.id(2).to_string(),
        );
        let url = w.page("/", &[&a, &b]);

        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .wait_widget(0, "first ready: 0", ready_at(0, false))
            .await;
        resident
            .wait_widget(1, "second ready: 0", ready_at(0, false))
            .await;

        resident.press(0).await;
        resident
            .wait_widget(0, "first pressed: 1", ready_at(1, true))
            .await;
        let second = resident.widgets().await[1].clone();
        assert!(second.settled_at(0, false), "second untouched: {second:?}");

        resident.press(1).await;
        resident
            .wait_widget(1, "second pressed: 1", ready_at(1, true))
            .await;
        let first = resident.widgets().await[0].clone();
        assert!(first.settled_at(1, true), "first unchanged: {first:?}");

        // A lazy block: the placeholder arrives after the loader has run.
        resident
            .exec(
                "var d = document.createElement('div'); d.innerHTML = arguments[0];\
                 document.querySelector('main').appendChild(d.firstElementChild);",
                vec![json!(support_placeholder(SLUG, &c, ""))],
            )
            .await;
        let late = resident
            .wait_widget(2, "late placeholder ready: 0", ready_at(0, false))
            .await;
        assert_eq!(late.loader.as_deref(), Some("mounted"));
        resident.press(2).await;
        resident
            .wait_widget(2, "late widget pressed: 1", ready_at(1, true))
            .await;

        resident.reload().await;
        resident
            .wait_widget(0, "after reload, first: 1 pressed", ready_at(1, true))
            .await;
        resident
            .wait_widget(1, "after reload, second: 1 pressed", ready_at(1, true))
            .await;
        for id in [&a, &b, &c] {
            assert_eq!(w.api_count(id).await, 1, "initiative {id} counted once");
        }
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// 5. On a site the community has not allowed, the widget says so inside itself, and the
/// host page is unharmed (no uncaught error, its own scripts still run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_is_not_allowed_gets_a_message_and_is_unharmed() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let stranger = HostSite::start().await;
        let body = format!(
            "{}\n<p id=\"after\">Tekst na de knop.</p>\n\
             <script>window.__hostScriptRan = true;</script>",
            support_placeholder(SLUG, &id, "")
        );
        let page = host_page("Andere site", &loader_snippet(&w.api.url), &body);
        let allowed_url = w.site.put("/", page.clone());
        let stranger_url = stranger.put("/", page);

        let resident = browser.profile().await;
        // Control: the very same page works on the allowed origin.
        resident.goto(&allowed_url).await;
        resident
            .wait_widget(0, "ready on the allowed site", ready_at(0, false))
            .await;

        resident.goto(&stranger_url).await;
        let view = resident
            .wait_widget(0, "an error with a message", |v| {
                v.state.as_deref() == Some("error")
                    && v.message.as_deref().is_some_and(|m| !m.is_empty())
            })
            .await;
        println!("message on a site that is not allowed: {:?}", view.message);

        let host = resident
            .exec(
                "return [window.__hostScriptRan === true, \
                 document.getElementById('after').textContent, document.title];",
                vec![],
            )
            .await;
        assert_eq!(host, json!([true, "Tekst na de knop.", "Andere site"]));
        resident.assert_no_host_errors().await;
        assert_eq!(w.api_count(&id).await, 0);
    })
    .await;
}

/// 6. When the server cannot be reached, the optimistic press is rolled back and the widget
/// says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_server_rolls_back_the_press_with_a_message() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let url = w.page("/", &[&id]);

        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .wait_widget(0, "ready: 0", ready_at(0, false))
            .await;
        let World {
            api, site: _site, ..
        } = w;
        let _data = api.stop().await;

        resident.press(0).await;
        let view = resident
            .wait_widget(0, "the press settled with a message", |v| {
                !v.busy && v.message.as_deref().is_some_and(|m| !m.is_empty())
            })
            .await;
        println!("message when the server is unreachable: {:?}", view.message);
        assert_eq!(
            view.pressed.as_deref(),
            Some("false"),
            "rolled back: {view:?}"
        );
        assert_eq!(view.count(), Some(0), "count rolled back: {view:?}");
        assert_eq!(
            view.state.as_deref(),
            Some("ready"),
            "still usable: {view:?}"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// 7. Dutch by default; `data-lang="en"` speaks English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dutch_by_default_english_on_request() {
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let body = format!(
            "{}\n{}",
            support_placeholder(SLUG, &id, ""),
            support_placeholder(SLUG, &id, " data-lang=\"en\"")
        );
        let url = w
            .site
            .put("/", host_page("Talen", &loader_snippet(&w.api.url), &body));

        let resident = browser.profile().await;
        resident.goto(&url).await;
        let dutch = resident
            .wait_widget(0, "Dutch ready", ready_at(0, false))
            .await;
        let english = resident
            .wait_widget(1, "English ready", ready_at(0, false))
            .await;

        let nl = dutch.button.clone().unwrap_or_default();
        let en = english.button.clone().unwrap_or_default();
        assert!(nl.contains("Steun"), "Dutch button: {nl:?}");
        assert!(
            en.contains("Support") && !en.contains("Steun"),
            "English button: {en:?}"
        );
        assert_eq!(dutch.lang.as_deref(), Some("nl"));
        assert_eq!(english.lang.as_deref(), Some("en"));
        assert_ne!(
            dutch.count_text, english.count_text,
            "the count is translated too"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// 8. axe-core finds nothing inside the widget: ready, pressed, in English, and in the error
/// state on a site that is not allowed. The host page (ours) is clean too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_in_the_widget() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = world(1).await;
        let id = w.id(0).to_string();
        let body = format!(
            "<p>Steun dit plan:</p>\n{}\n<p lang=\"en\">Support this plan:</p>\n{}",
            support_placeholder(SLUG, &id, ""),
            support_placeholder(SLUG, &id, " data-lang=\"en\"")
        );
        let page = host_page("Toegankelijk", &loader_snippet(&w.api.url), &body);
        let url = w.site.put("/", page.clone());
        let stranger = HostSite::start().await;
        let stranger_url = stranger.put("/", page);

        let resident = browser.profile().await;
        let mut axe_findings = AxeFindings::default();

        resident.goto(&url).await;
        resident.wait_widget(0, "ready", ready_at(0, false)).await;
        resident
            .wait_widget(1, "ready (en)", ready_at(0, false))
            .await;
        axe_findings.check(&resident, &axe, "ready").await;

        resident.press(0).await;
        resident.wait_widget(0, "pressed", ready_at(1, true)).await;
        axe_findings.check(&resident, &axe, "pressed").await;

        resident.goto(&stranger_url).await;
        for i in 0..2 {
            resident
                .wait_widget(i, "error state", |v| v.state.as_deref() == Some("error"))
                .await;
        }
        axe_findings.check(&resident, &axe, "error").await;

        axe_findings.assert_clean();
    })
    .await;
}
