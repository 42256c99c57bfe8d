//! Browser tests: how widgets live on a host page that is stricter or busier than a plain
//! one — a Content-Security-Policy without `'unsafe-inline'` styles, and a single-page site
//! that takes placeholders out and puts them back.
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- embedding::
//! ```

use crate::harness::{
    axe_source, host_page, loader_snippet, support_placeholder, with_browser, AxeFindings, HostSite,
};
use mekaar_tests::{voter_key, TestServer, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

const SLUG: &str = "dorp";

/// The API server with one community that allows the host site only, and its
/// initiatives.
struct World {
    api: TestServer,
    site: HostSite,
    /// The community's admin token.
    token: String,
    /// The ids of the initiatives, in the order of the titles given.
    ids: Vec<String>,
}

async fn world(titles: &[&str]) -> World {
    let api = TestServer::start().await;
    let site = HostSite::start().await;
    let token = api
        .create_community(SLUG, &[&site.origin])
        .await
        .admin_token;
    let mut ids = Vec::new();
    for title in titles {
        ids.push(api.create_initiative(SLUG, &token, title).await.id);
    }
    World {
        api,
        site,
        token,
        ids,
    }
}

impl World {
    /// Creates and opens a poll with `options`; its id.
    async fn open_poll(&self, options: &[&str]) -> String {
        let created = self
            .api
            .admin_call(
                &self.token,
                Method::POST,
                SLUG,
                "/polls",
                Some(json!({ "question": "Welke naam krijgt het plein?", "options": options })),
            )
            .await;
        let poll = created["poll"]["id"].as_str().expect("poll id").to_string();
        self.api
            .admin_call(
                &self.token,
                Method::POST,
                SLUG,
                &format!("/polls/{poll}/state"),
                Some(json!({ "action": "open" })),
            )
            .await;
        poll
    }

    /// The community's public answer at `rest` (`/initiatives/{id}`, `/polls/{id}`), as JSON.
    async fn read(&self, rest: &str) -> Value {
        self.api
            .client
            .get(self.api.community_url(SLUG, rest))
            .send()
            .await
            .unwrap_or_else(|e| panic!("read {rest}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{rest} as JSON: {e}"))
    }

    /// A host page at `path` with `head` (after the loader snippet) and `body`; its URL.
    fn page(&self, path: &str, head: &str, body: &str) -> String {
        let head = format!("{}\n{head}", loader_snippet(&self.api.url));
        self.site.put(path, host_page("Dorpskrant", &head, body))
    }
}

/// What a resident sees of a widget's looks: the computed colours and shape of its box and
/// its support button, and whether its progress meter is drawn as a bar.
const READ_LOOKS: &str = r#"
var button = q('.mekaar-support-button');
if (!root || !button || attr('data-state') !== 'ready') return null;
var r = getComputedStyle(root), b = getComputedStyle(button);
var progress = q('.mekaar-progress');
return {
  root_background: r.backgroundColor, root_border: r.borderTopColor + ' ' + r.borderTopWidth,
  root_radius: r.borderTopLeftRadius, root_padding: r.paddingTop,
  button_background: b.backgroundColor, button_color: b.color, button_border: b.borderTopColor,
  button_radius: b.borderTopLeftRadius, button_padding: b.paddingLeft,
  progress_appearance: progress ? getComputedStyle(progress).appearance : null,
  style_elements: s.querySelectorAll('style').length,
  adopted: s.adoptedStyleSheets ? s.adoptedStyleSheets.length : -1
};
"#;

/// What a resident sees of the poll's result bars: the track and fill colours and how far
/// each fill reaches (in percent of its track).
const READ_BARS: &str = r#"
var fills = qa('.mekaar-bar-fill');
if (fills.length < 2) return null;
// Read once the bars have grown to their width (their transition has ended).
if (fills.some(function (f) { return f.getAnimations().length > 0; })) return null;
return fills.map(function (fill) {
  var track = fill.parentElement, f = getComputedStyle(fill), t = getComputedStyle(track);
  var width = track.getBoundingClientRect().width;
  return { fill: f.backgroundColor, track: t.backgroundColor, height: f.height,
           percent: width > 0 ? Math.round(fill.getBoundingClientRect().width / width * 100) : -1 };
});
"#;

/// A host page whose policy forbids inline styles (`style-src 'self'`, no
/// `'unsafe-inline'`) shows the widget as styled as on a page without a policy: the widget
/// adopts a constructable stylesheet instead of putting a `<style>` element in its shadow
/// root, and its markup has no `style` attributes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_page_that_forbids_inline_styles_shows_the_widget_styled() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let (api, id) = (&w.api, &w.ids[0]);
        // A poll with 2 votes for the first option and 1 for the second: bars of 67 % and 33 %.
        let poll = w.open_poll(&["De Linde", "Het Plein"]).await;
        for (voter, choice) in [(1, 0), (2, 0), (3, 1)] {
            let status = api
                .client
                .post(api.community_url(SLUG, &format!("/polls/{poll}/vote")))
                .header(VOTER_HEADER, voter_key(voter))
                .json(&json!({ "choices": [choice] }))
                .send()
                .await
                .expect("vote")
                .status();
            assert_eq!(status, 200, "vote {voter}");
        }
        let body = format!(
            "{}\n<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll}\"></div>",
            support_placeholder(SLUG, id, "")
        );
        let plain = w.page("/plain", "", &body);
        let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"style-src 'self'\">";
        let strict = w.page("/strict", csp, &body);

        let resident = browser.profile().await;
        resident.goto(&plain).await;
        let looks_plain = resident
            .wait_inside(0, "styled on the plain page", READ_LOOKS)
            .await;
        let bars_plain = resident
            .wait_inside(1, "bars on the plain page", READ_BARS)
            .await;
        resident.goto(&strict).await;
        let looks_strict = resident
            .wait_inside(0, "styled on the strict page", READ_LOOKS)
            .await;
        let bars_strict = resident
            .wait_inside(1, "bars on the strict page", READ_BARS)
            .await;
        assert_eq!(
            bars_strict, bars_plain,
            "the same bars under style-src 'self'"
        );
        assert_eq!(bars_plain[0]["percent"], json!(67), "{bars_plain}");
        assert_eq!(bars_plain[1]["percent"], json!(33), "{bars_plain}");
        assert_ne!(
            bars_plain[0]["fill"], bars_plain[0]["track"],
            "{bars_plain}"
        );
        assert_eq!(
            looks_strict, looks_plain,
            "the same looks under style-src 'self'"
        );
        // Styled at all (not two equally unstyled widgets): the accent colour and a box.
        assert_eq!(looks_plain["button_border"], json!("rgb(11, 110, 63)"));
        assert_ne!(looks_plain["root_padding"], json!("0px"));
        assert_eq!(looks_plain["style_elements"], json!(0));
        assert_eq!(looks_plain["adopted"], json!(1));
        let inline_styles = resident.inside(0, "return qa('[style]').length;").await;
        assert_eq!(inline_styles, json!(0), "no style attributes in the widget");
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// Single-page host sites replace content all the time: a placeholder that leaves the page
/// is unmounted (its shadow root emptied, the loader's mark gone), one moved elsewhere
/// keeps working, and one put back later mounts again and works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placeholder_taken_out_is_unmounted_and_works_again_when_put_back() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let id = &w.ids[0];
        let body = format!(
            "<section id=\"a\">{}</section><section id=\"b\"></section>",
            support_placeholder(SLUG, id, "")
        );
        let url = w.page("/", "", &body);
        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .wait_widget(0, "ready", |w| w.settled_at(0, false))
            .await;

        // Moved within the page: still the same working widget.
        resident
            .exec(
                "document.getElementById('b').appendChild(document.querySelector('[data-mekaar]'));",
                vec![],
            )
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "pressed after the move", |w| w.settled_at(1, true))
            .await;

        // Taken out: unmounted.
        resident
            .exec(
                "window.__kept = document.querySelector('[data-mekaar]'); window.__kept.remove();",
                vec![],
            )
            .await;
        let gone = poll_page(
            &resident,
            "var el = window.__kept; return el.shadowRoot.childNodes.length === 0 \
             && !el.hasAttribute('data-mekaar-state');",
        )
        .await;
        assert_eq!(gone, json!(true), "the removed placeholder was unmounted");

        // Put back: mounted again, reads the server's state, and works.
        resident
            .exec(
                "document.getElementById('a').appendChild(window.__kept);",
                vec![],
            )
            .await;
        resident
            .wait_widget(0, "mounted again, supported", |w| w.settled_at(1, true))
            .await;
        resident.press(0).await;
        resident
            .wait_widget(0, "withdrawn after coming back", |w| w.settled_at(0, false))
            .await;
        let views = resident.widgets().await;
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].loader.as_deref(), Some("mounted"));
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// Polls a page script until it returns something truthy (20 s hang guard).
async fn poll_page(p: &crate::harness::Profile, script: &str) -> Value {
    let deadline = std::time::Instant::now() + crate::harness::PATIENCE;
    loop {
        let v = p.exec(script, vec![]).await;
        if v == json!(true) || std::time::Instant::now() >= deadline {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Reads whether anything in the widget's shadow root sticks out sideways: a page that
/// scrolls sideways, or a widget wider than its box.
const READ_OVERFLOW: &str = r#"
if (!root || attr('data-state') !== 'ready') return null;
// The honeypot field is off-screen on purpose (only robots fill it in).
var wide = qa('*').filter(function (el) {
  if (el.closest('.mekaar-hp')) return false;
  var r = el.getBoundingClientRect();
  return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
}).map(function (el) { return el.tagName + '.' + el.className; });
return { page: document.documentElement.scrollWidth, viewport: window.innerWidth,
         root: root.scrollWidth, root_box: root.clientWidth, wide: wide.slice(0, 5) };
"#;

/// WCAG 1.4.10 (reflow): at 320 CSS px (what 400 % zoom leaves of a 1280 px window; 200 %
/// zoom leaves 640) the support button, the poll and the initiative list in its list,
/// detail and form views fit without sideways scrolling and nothing is cut off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widgets_reflow_into_320_css_pixels() {
    with_browser(|browser| async move {
        let w = world(&[
            "Een bankje bij de vijver",
            "Jeu-de-boulesbaan achter het dorpshuis met verlichting voor de winteravonden",
            "Hoogstamboomgaard",
        ])
        .await;
        let poll = w
            .open_poll(&[
                "Het Dorpsplein",
                "Plein van de Samenwerkende Verenigingen en Buurtcomités",
                "Maakt mij niet uit",
            ])
            .await;
        let body = format!(
            "{}\n<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll}\"></div>\n\
             <div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>",
            support_placeholder(SLUG, &w.ids[0], "")
        );
        let url = w.page("/", "", &body);
        let resident = browser.profile().await;
        resident
            .client
            .set_window_size(320, 800)
            .await
            .expect("a 320 px wide window");
        resident.goto(&url).await;
        let width = resident.exec("return window.innerWidth;", vec![]).await;
        assert!(
            width.as_u64().is_some_and(|w| w <= 360),
            "narrow viewport, got {width}"
        );
        // The support button, the poll, and the list in each of its views.
        let views = [
            (0, "support button", None),
            (1, "poll", None),
            (2, "list", Some("list")),
            (2, "detail", Some("detail")),
            (2, "submit form", Some("new")),
        ];
        for (index, what, view) in views {
            if let Some(view) = view {
                let hash = match view {
                    "detail" => format!("#mekaar-i={}", w.ids[1]),
                    "new" => "#mekaar-new".to_string(),
                    _ => String::new(),
                };
                resident
                    .exec("location.hash = arguments[0];", vec![json!(hash)])
                    .await;
            }
            let wanted = view.map_or(String::new(), |v| {
                format!("if (attr('data-view') !== '{v}') return null;\n")
            });
            let seen = resident
                .wait_inside(index, what, &format!("{wanted}{READ_OVERFLOW}"))
                .await;
            assert!(
                seen["page"].as_u64() <= seen["viewport"].as_u64(),
                "{what}: the page scrolls sideways: {seen}"
            );
            assert!(
                seen["root"].as_u64() <= seen["root_box"].as_u64(),
                "{what}: wider than its box: {seen}"
            );
            assert_eq!(seen["wide"], json!([]), "{what}: cut off: {seen}");
        }
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// Reads every support button in widget `arguments[0]`: `[pressed, count text]`.
const READ_SUPPORT: &str = r#"
if (!root || attr('data-state') !== 'ready') return null;
var buttons = qa('.mekaar-support-button');
if (!buttons.length) return null;
return buttons.map(function (b) {
  var support = b.closest('.mekaar-support');
  var count = support ? support.querySelector('.mekaar-count') : null;
  if (!count || support.getAttribute('data-state') !== 'ready'
      || support.getAttribute('aria-busy') === 'true') return null;
  return [b.getAttribute('aria-pressed'), t(count)];
});
"#;

/// Widgets on one page hear each other: supporting an initiative in the list's detail view
/// shows at once in the featured card of that initiative and in its separate support
/// button, without a reload; withdrawing in the card shows in the other two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_support_in_one_widget_shows_in_the_others_on_the_page() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let (api, id) = (&w.api, &w.ids[0]);
        let body = format!(
            "{}\n<div data-mekaar=\"initiative\" data-community=\"{SLUG}\" data-initiative=\"{id}\"></div>\n\
             <div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>",
            support_placeholder(SLUG, id, "")
        );
        let url = w.page("/", "", &body);
        let resident = browser.profile().await;
        // The list opens on the initiative's detail (a shared link).
        resident.goto(&format!("{url}#mekaar-i={id}")).await;
        let shown = |pressed: &str, count: &str| {
            format!(
                "var seen = (function () {{ {READ_SUPPORT} }})();\
                 return !!seen && seen.every(function (b) {{ return !!b && b[0] === '{pressed}' \
                 && b[1].indexOf('{count}') === 0; }}) ? seen : null;"
            )
        };
        for index in [0, 1, 2] {
            resident
                .wait_inside(index, "not supported yet", &shown("false", "0"))
                .await;
        }

        resident.click_in(2, ".mekaar-support-button").await;
        for index in [0, 1, 2] {
            resident
                .wait_inside(index, "supported everywhere", &shown("true", "1"))
                .await;
        }
        assert_eq!(
            api.client
                .get(api.community_url(SLUG, &format!("/initiatives/{id}")))
                .send()
                .await
                .expect("GET initiative")
                .json::<Value>()
                .await
                .expect("initiative")["support_count"],
            json!(1),
            "counted once"
        );

        resident.click_in(1, ".mekaar-support-button").await;
        for index in [0, 1, 2] {
            resident
                .wait_inside(index, "withdrawn everywhere", &shown("false", "0"))
                .await;
        }
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// What the list and the card widgets show of their titles and the list's sort control.
const READ_TITLES: &str = r#"
var titles = qa('.mekaar-card-title');
if (!root || attr('data-state') !== 'ready' || !titles.length) return null;
var sort = q('select[name=sort]');
return { tags: titles.map(function (h) { return h.tagName; }),
         sizes: titles.map(function (h) { return getComputedStyle(h).fontSize; }),
         sort: sort ? sort.value : null,
         sort_shown: sort ? sort.options[sort.selectedIndex].textContent.trim() : null };
"#;

/// Heading levels come from the host page, looks do not: a featured card whose title the
/// host puts at level 4 looks like the cards in the list (level 3 below the list's own
/// heading), and the list's sort control shows the order the list is in (newest first)
/// before the resident chose one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heading_levels_follow_the_host_and_the_sort_shows_the_order_used() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver", "Hoogstamboomgaard"]).await;
        let body = format!(
            "<div data-mekaar=\"initiative\" data-community=\"{SLUG}\" data-initiative=\"{}\" \
             data-heading-level=\"4\"></div>\n\
             <h2>Alle initiatieven</h2>\n<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>",
            w.ids[0]
        );
        let url = w.page("/", "", &body);
        let resident = browser.profile().await;
        resident.goto(&url).await;
        let card = resident
            .wait_inside(0, "the featured card", READ_TITLES)
            .await;
        let list = resident
            .wait_inside(1, "the list", READ_TITLES)
            .await;
        assert_eq!(card["tags"], json!(["H4"]), "{card}");
        assert_eq!(list["tags"], json!(["H3", "H3"]), "{list}");
        assert_eq!(card["sizes"][0], list["sizes"][0], "card {card}, list {list}");
        assert_eq!(list["sort"], json!("newest"), "{list}");
        assert_eq!(list["sort_shown"], json!("Nieuwste eerst"), "{list}");
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// Reads the loader's mark on the first placeholder and its frame, if it made one.
const READ_FRAME: &str = r#"
var el = document.querySelector('[data-mekaar]');
var f = el ? el.querySelector('iframe') : null;
return { state: el ? el.getAttribute('data-mekaar-state') : null,
         src: f ? f.getAttribute('src') : null, title: f ? f.title : null,
         height: f ? f.getBoundingClientRect().height : null };
"#;

/// Polls `script` on the page until `ok` holds for its value (hang guard [`PATIENCE`]).
async fn wait_page(
    p: &crate::harness::Profile,
    what: &str,
    script: &str,
    ok: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + crate::harness::PATIENCE;
    loop {
        let v = p.exec(script, vec![]).await;
        if ok(&v) {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never got to: {what}; now {v}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Inside the frame the browser is in: wait for the support button, press it, and wait
/// until it shows the support counted.
async fn support_in_frame(p: &crate::harness::Profile) {
    p.wait_widget(0, "the support button ready in the frame", |v| v.is_ready())
        .await;
    p.press(0).await;
    p.wait_widget(0, "the support counted in the frame", |v| {
        v.settled_at(1, true)
    })
    .await;
}

async fn support_count(w: &World) -> u64 {
    let card = w.read(&format!("/initiatives/{}", w.ids[0])).await;
    card["support_count"].as_u64().expect("support_count")
}

/// Municipal and broadcaster sites often send a policy that allows our script but not
/// compiling wasm (`'wasm-unsafe-eval'`): the loader then puts the same widget in a frame
/// of our server by itself (never a blank box), the frame grows to its content and takes
/// its title, and a support in it counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_that_forbids_our_wasm_gets_the_widget_in_a_frame_that_counts() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let csp = format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' {}\">\n{}",
            w.api.url,
            loader_snippet(&w.api.url)
        );
        let body = support_placeholder(SLUG, &w.ids[0], "");
        let url = w.site.put("/no-wasm", host_page("Dorpskrant", &csp, &body));
        let resident = browser.profile().await;
        resident.goto(&url).await;
        let frame = wait_page(
            &resident,
            "a frame that grew to its widget",
            READ_FRAME,
            |v| {
                v["state"] == json!("framed")
                    && v["title"] == json!("Een bankje bij de vijver")
                    && v["height"].as_f64().is_some_and(|h| h > 40.0 && h != 180.0)
            },
        )
        .await;
        let src = frame["src"].as_str().unwrap_or_default();
        assert!(
            src.starts_with(&format!("{}/embed/support?", w.api.url))
                && src.contains(&format!("initiative={}", w.ids[0]))
                && src.contains(&format!("community={SLUG}")),
            "{frame}"
        );
        resident
            .client
            .enter_frame(0)
            .await
            .expect("enter the frame");
        support_in_frame(&resident).await;
        resident
            .client
            .enter_parent_frame()
            .await
            .expect("back to the host");
        assert_eq!(
            support_count(&w).await,
            1,
            "the support in the frame counted"
        );
    })
    .await;
}

/// A site where no script of ours may run (`script-src 'self'`) pastes the iframe snippet
/// instead: the widget works in it, and a support counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_iframe_snippet_works_on_a_page_that_runs_only_its_own_scripts() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let head = "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\">";
        let body = format!(
            "<iframe src=\"{}/embed/support?community={SLUG}&amp;initiative={}\" \
             title=\"Steun het bankje\" style=\"width:100%;border:0;height:220px\"></iframe>",
            w.api.url, w.ids[0]
        );
        let url = w.site.put("/iframe", host_page("Dorpskrant", head, &body));
        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .client
            .enter_frame(0)
            .await
            .expect("enter the frame");
        support_in_frame(&resident).await;
        resident
            .client
            .enter_parent_frame()
            .await
            .expect("back to the host");
        assert_eq!(
            support_count(&w).await,
            1,
            "the support in the frame counted"
        );
    })
    .await;
}

/// The widget root's colours and scheme as the resident sees them.
const READ_SCHEME: &str = r#"
if (!root || attr('data-state') !== 'ready') return null;
var r = getComputedStyle(root);
return { theme: attr('data-theme'), background: r.backgroundColor, color: r.color,
         scheme: r.colorScheme };
"#;

/// The visitor's OS is dark: a widget on a light host page is light all the same (it
/// looks at the page's background behind it), one on a dark page is dark, one with
/// `data-theme="auto"` follows the OS, and `data-theme="light"` forces light on the dark
/// page. Text inside stays readable: its colour is the scheme's, also in the inline
/// support button of a card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_colour_scheme_follows_the_host_page_not_the_visitors_os() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let id = &w.ids[0];
        let body = format!(
            "{}\n{}\n<div data-mekaar=\"initiative\" data-community=\"{SLUG}\" data-initiative=\"{id}\"></div>",
            support_placeholder(SLUG, id, ""),
            support_placeholder(SLUG, id, " data-theme=\"auto\""),
        );
        let light = w.page("/light", "<style>body{background:#fdfcf7;color:#222}</style>", &body);
        let dark_body = format!(
            "<section style=\"background:#14181d;color:#eee;padding:1em\">{body}\n{}</section>",
            support_placeholder(SLUG, id, " data-theme=\"light\"")
        );
        let dark = w.page("/dark", "", &dark_body);
        let resident = browser
            .profile_with(&["--blink-settings=preferredColorScheme=0", "--force-dark-mode"])
            .await;
        const WHITE: &str = "rgb(255, 255, 255)";
        const DARK_BG: &str = "rgb(23, 25, 28)";
        resident.goto(&light).await;
        let on_light = [
            resident.wait_inside(0, "support on the light page", READ_SCHEME).await,
            resident.wait_inside(1, "auto support on the light page", READ_SCHEME).await,
            resident.wait_inside(2, "card on the light page", READ_SCHEME).await,
        ];
        assert_eq!(on_light[0]["background"], json!(WHITE), "{on_light:?}");
        assert_eq!(on_light[0]["scheme"], json!("light"), "{on_light:?}");
        // The OS is dark indeed: the widget told to follow it is dark.
        assert_eq!(on_light[1]["background"], json!(DARK_BG), "{on_light:?}");
        assert_eq!(on_light[2]["background"], json!(WHITE), "{on_light:?}");
        // Both schemes pass axe (contrast included), light and dark, on one page each.
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        findings.check(&resident, &axe, "light host, dark OS").await;

        resident.goto(&dark).await;
        let on_dark = [
            resident.wait_inside(0, "support on the dark page", READ_SCHEME).await,
            resident.wait_inside(2, "card on the dark page", READ_SCHEME).await,
            resident.wait_inside(3, "forced light on the dark page", READ_SCHEME).await,
        ];
        assert_eq!(on_dark[0]["theme"], json!("dark"), "{on_dark:?}");
        assert_eq!(on_dark[0]["background"], json!(DARK_BG), "{on_dark:?}");
        assert_eq!(on_dark[0]["scheme"], json!("dark"), "{on_dark:?}");
        assert_eq!(on_dark[1]["background"], json!(DARK_BG), "{on_dark:?}");
        assert_eq!(on_dark[2]["background"], json!(WHITE), "{on_dark:?}");
        // The card's inline support button takes the card's scheme: light text.
        let inline = resident
            .inside(
                2,
                "var c = q('.mekaar-support .mekaar-count'); return c ? getComputedStyle(c).color : null;",
            )
            .await;
        assert_eq!(inline, json!("rgb(238, 240, 242)"), "count in the dark card");
        findings.check(&resident, &axe, "dark host").await;
        findings.assert_clean();
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// An initiative with a photo shows it on its card (the card rendition, with the alt text
/// the moderator gave, loaded, not a broken image) and large in its detail; one without a
/// photo gets a generated cover, never an empty image.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_shows_on_the_card_and_in_the_detail_and_others_get_a_cover() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver", "Hoogstamboomgaard"]).await;
        let picture = image::RgbImage::from_fn(900, 600, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut jpeg = std::io::Cursor::new(Vec::new());
        image::DynamicImage::from(picture)
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .expect("encode");
        let status = w
            .api
            .client
            .put(w.api.at(&format!(
                "/api/v1/admin/communities/{SLUG}/initiatives/{}/photo",
                w.ids[0]
            )))
            .query(&[("alt", "Een houten bankje aan het water")])
            .bearer_auth(&w.token)
            .header("content-type", "image/jpeg")
            .body(jpeg.into_inner())
            .send()
            .await
            .expect("upload")
            .status();
        assert_eq!(status, 200, "moderator's upload");
        let url = w.page("/", "", &format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>"));
        let resident = browser.profile().await;
        resident.goto(&url).await;
        let covers = resident
            .wait_inside(
                0,
                "the cards with their covers",
                r#"if (attr('data-state') !== 'ready') return null;
                var cards = qa('.mekaar-cards:not(.mekaar-skeleton) .mekaar-card');
                if (cards.length < 2) return null;
                var out = cards.map(function (c) {
                  var img = c.querySelector('img.mekaar-cover'), gen = c.querySelector('div.mekaar-cover');
                  return { title: t(c.querySelector('.mekaar-card-title')),
                           img: img ? { alt: img.alt, src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth,
                                        height: img.getBoundingClientRect().height } : null,
                           generated: gen ? { text: t(gen), height: gen.getBoundingClientRect().height } : null };
                });
                return out.every(function (c) { return !c.img || c.img.loaded; }) ? out : null;"#,
            )
            .await;
        let bench = covers
            .as_array()
            .and_then(|a| a.iter().find(|c| c["title"] == json!("Een bankje bij de vijver")))
            .unwrap_or_else(|| panic!("the bench's card: {covers}"))
            .clone();
        assert_eq!(bench["img"]["alt"], json!("Een houten bankje aan het water"), "{covers}");
        assert!(bench["img"]["loaded"].as_u64().unwrap_or(0) >= 600, "{covers}");
        assert!(
            bench["img"]["src"].as_str().unwrap_or("").starts_with(&format!("{}/photos/", w.api.url)),
            "{covers}"
        );
        let orchard = covers
            .as_array()
            .and_then(|a| a.iter().find(|c| c["title"] == json!("Hoogstamboomgaard")))
            .expect("the orchard's card")
            .clone();
        assert_eq!(orchard["img"], Value::Null, "{covers}");
        assert_eq!(orchard["generated"]["text"], json!("H"), "{covers}");
        assert!(orchard["generated"]["height"].as_f64().unwrap_or(0.0) > 40.0, "{covers}");

        // The detail shows the large rendition.
        resident
            .exec(&format!("location.hash = 'mekaar-i={}';", w.ids[0]), vec![])
            .await;
        let large = resident
            .wait_inside(
                0,
                "the detail's photo",
                "var img = q('img.mekaar-photo'); return img && img.complete && img.naturalWidth ? { w: img.naturalWidth, alt: img.alt } : null;",
            )
            .await;
        assert_eq!(large["w"], json!(900), "{large}");
        assert_eq!(large["alt"], json!("Een houten bankje aan het water"));
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// A site the community has not (yet) allowed gets, in every widget, a message that says
/// so in the widget's own words (an initiative, the initiatives, a poll) — never that the
/// resident's internet is down.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_not_yet_allowed_is_told_so_in_every_widget_in_its_own_words() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let poll = w.open_poll(&["De Linde", "Het Plein"]).await;
        let stranger = HostSite::start().await;
        let body = format!(
            "{}\n<div data-mekaar=\"initiative\" data-community=\"{SLUG}\" data-initiative=\"{id}\"></div>\n\
             <div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>\n\
             <div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll}\"></div>\n\
             <div data-mekaar=\"initiatives\" data-community=\"{SLUG}\" data-lang=\"en\"></div>",
            support_placeholder(SLUG, &w.ids[0], ""),
            id = w.ids[0]
        );
        let url = stranger.put(
            "/",
            host_page(
                "Een andere krant",
                &loader_snippet(&w.api.url),
                &body,
            ),
        );
        let resident = browser.profile().await;
        resident.goto(&url).await;
        let read = "if (!root || attr('data-state') !== 'error') return null; return t('.mekaar-message');";
        let expected = [
            "Deze website mag dit initiatief (nog) niet tonen.",
            "Deze website mag dit initiatief (nog) niet tonen.",
            "Deze website mag de initiatieven van deze gemeenschap (nog) niet tonen.",
            "Deze website mag deze peiling (nog) niet tonen.",
            "This website is not (yet) allowed to show this community's initiatives.",
        ];
        for (index, start) in expected.iter().enumerate() {
            let message = resident
                .wait_inside(index, "the refusal message", read)
                .await;
            let message = message.as_str().unwrap_or_default();
            assert!(message.starts_with(start), "widget {index}: {message}");
            assert!(
                !message.contains("internet") && !message.contains("niet bereikbaar"),
                "widget {index}: {message}"
            );
        }
        // The refusals pass axe, in Dutch and in English.
        let mut findings = AxeFindings::default();
        findings.check(&resident, &axe_source(), "refused").await;
        findings.assert_clean();
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// The initiator adds a photo on the manage page: picks a file, says what it shows, and
/// after "Foto plaatsen" it is the initiative's photo (in a post-moderated community at
/// once), with that alt text; "Foto verwijderen" takes it away again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initiator_adds_and_removes_a_photo_on_the_manage_page() {
    with_browser(|browser| async move {
        let w = world(&[]).await;
        let submitted: Value = w
            .api
            .client
            .post(w.api.community_url(SLUG, "/initiatives"))
            .json(&json!({ "title": "Een moestuin bij de school", "summary": "Kinderen kweken groente.",
                           "initiator_name": "Bram" }))
            .send()
            .await
            .expect("submit")
            .json()
            .await
            .expect("submitted");
        let id = submitted["initiative"]["id"].as_str().expect("id").to_string();
        let token = submitted["manage_token"].as_str().expect("token").to_string();
        // Published at once? Then the photo is too (pre-moderated communities hold it).
        let picture = image::RgbImage::from_fn(800, 500, |x, y| image::Rgb([90, (x % 256) as u8, (y % 256) as u8]));
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("moestuin.png");
        picture.save(&file).expect("write the photo");

        let resident = browser.profile().await;
        resident
            .goto(&format!("{}/manage/{SLUG}/{id}#{token}", w.api.url))
            .await;
        resident
            .wait_inside(0, "the manage page", "return q('.mekaar-manage-photo input[type=file]') ? true : null;")
            .await;
        resident
            .shadow_element(0, "input[type=file]")
            .await
            .send_keys(&file.display().to_string())
            .await
            .expect("pick the file");
        resident
            .type_in(0, "input[name=photo_alt]", "Kinderen bij de moestuinbakken")
            .await;
        resident.click_in(0, "[id$=-b-send-photo]").await;
        resident
            .wait_inside(
                0,
                "the photo uploaded",
                "return t('.mekaar-manage-photo .mekaar-form-status') === 'De foto is geplaatst.' ? true : null;",
            )
            .await;
        let card = w.read(&format!("/initiatives/{id}")).await;
        assert_eq!(card["photo"]["alt"], json!("Kinderen bij de moestuinbakken"), "{card}");
        assert_eq!(card["photo"]["width"], json!(640), "{card}");
        let shown = resident
            .wait_inside(
                0,
                "the photo on the manage page",
                "var img = q('.mekaar-manage-photo img.mekaar-cover'); return img && img.complete && img.naturalWidth ? img.alt : null;",
            )
            .await;
        assert_eq!(shown, json!("Kinderen bij de moestuinbakken"));
        resident.click_in(0, "[id$=-b-remove-photo]").await;
        resident
            .wait_inside(
                0,
                "the photo gone",
                "return q('.mekaar-manage-photo img') || q('[id$=-b-remove-photo]') ? null : true;",
            )
            .await;
        let card = w.read(&format!("/initiatives/{id}")).await;
        assert_eq!(card["photo"], Value::Null, "{card}");
    })
    .await;
}

/// The console's snippet builder shows its previews with `data-preview="true"`: trying the
/// preview never counts. A vote and a support in preview widgets say they are a preview,
/// and the server's counts do not change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_vote_or_support_does_not_count() {
    with_browser(|browser| async move {
        let w = world(&["Een bankje bij de vijver"]).await;
        let poll = w.open_poll(&["De Linde", "Het Plein"]).await;
        let body = format!(
            "<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll}\" data-preview=\"true\"></div>\n{}",
            support_placeholder(SLUG, &w.ids[0], " data-preview=\"true\"")
        );
        let url = w.page("/preview", "", &body);
        let resident = browser.profile().await;
        resident.goto(&url).await;
        resident
            .wait_inside(0, "the poll's vote form", "return q('input[type=checkbox], input[type=radio]') ? true : null;")
            .await;
        resident.click_in(0, &crate::polls::option_label(0)).await;
        resident.click_in(0, crate::polls::VOTE_BUTTON).await;
        let said = resident
            .wait_inside(0, "the preview's answer", "return t('.mekaar-message');")
            .await;
        assert!(
            said.as_str().unwrap_or_default().contains("Dit is een voorbeeld"),
            "{said}"
        );
        resident.wait_widget(1, "the support button", |v| v.is_ready()).await;
        resident.press(1).await;
        let said = resident
            .wait_inside(1, "the preview's answer", "return t('.mekaar-message');")
            .await;
        assert!(
            said.as_str().unwrap_or_default().contains("Dit is een voorbeeld"),
            "{said}"
        );
        let results = w.read(&format!("/polls/{poll}")).await;
        assert_eq!(support_count(&w).await, 0, "the preview support did not count");
        assert_eq!(
            results["results"]["total_votes"],
            json!(0),
            "the preview vote did not count: {results}"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// A resident starting an initiative may add a photo right in the form: chosen, it needs
/// its alt text (the form says so at the field), and it is the initiative's photo once
/// sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_initiative_can_come_with_a_photo() {
    with_browser(|browser| async move {
        let w = world(&[]).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("bankje.png");
        image::RgbImage::from_fn(700, 400, |x, _| image::Rgb([(x % 256) as u8, 120, 60]))
            .save(&file)
            .expect("write the photo");
        let url = w.page(
            "/start",
            "",
            &format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>"),
        );
        let resident = browser.profile().await;
        resident.goto(&format!("{url}#mekaar-new")).await;
        resident
            .wait_inside(
                0,
                "the submit form",
                "return q('form.mekaar-submit-form input[type=file]') ? true : null;",
            )
            .await;
        resident
            .type_in(0, "input[name=title]", "Een bankje bij de vijver")
            .await;
        resident
            .type_in(
                0,
                "textarea[name=summary]",
                "Om even uit te rusten bij het water.",
            )
            .await;
        resident
            .type_in(0, "input[name=initiator_name]", "Piet")
            .await;
        resident
            .shadow_element(0, "input[type=file]")
            .await
            .send_keys(&file.display().to_string())
            .await
            .expect("pick the file");
        resident.click_in(0, "[id$=-b-send-submit]").await;
        let error = resident
            .wait_inside(
                0,
                "the alt text asked for",
                "return t('[id$=-e-photo_alt]');",
            )
            .await;
        assert_eq!(error, json!("Vul dit veld in."));
        resident
            .type_in(
                0,
                "input[name=photo_alt]",
                "Een houten bankje aan het water",
            )
            .await;
        resident.click_in(0, "[id$=-b-send-submit]").await;
        resident
            .wait_inside(
                0,
                "the thanks",
                "return q('.mekaar-submitted') ? true : null;",
            )
            .await;
        let failed = resident
            .inside(0, "return t('.mekaar-submitted .mekaar-message');")
            .await;
        assert_eq!(failed, Value::Null, "no photo failure: {failed}");
        let list = w.read("/initiatives").await;
        assert_eq!(
            list["initiatives"][0]["photo"]["alt"],
            json!("Een houten bankje aan het water"),
            "{list}"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}
