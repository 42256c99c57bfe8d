//! Browser-test plumbing: a chromedriver child process, one WebDriver session per browser
//! profile (each with its own fresh user-data-dir), host pages served from another origin
//! than the API, and helpers that look inside the widgets' open shadow roots.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::{json, Value};
use tempfile::TempDir;
use warp::Filter;

pub use mekaar_tests::chromium::{Chromedriver, CHROMIUM, CHROMIUM_ARGS};

/// Hang guard for anything we wait for. Generous: the machine is small and busy.
/// Never a timing assertion: a condition that holds earlier ends the wait earlier.
pub const PATIENCE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(100);

/// One browser profile: a WebDriver session on a chromium with a fresh user-data-dir, so
/// its localStorage (the voter key) is its own.
#[derive(Clone)]
pub struct Profile {
    pub client: Client,
}

/// The sessions of one test, closed at the end even when the test panicked.
#[derive(Clone)]
pub struct Browser {
    webdriver: String,
    sessions: Arc<Mutex<Vec<(Client, TempDir)>>>,
}

impl Browser {
    /// A new profile: a new session with a new, empty user-data-dir.
    pub async fn profile(&self) -> Profile {
        self.profile_with(&[]).await
    }

    /// As [`Browser::profile`], with extra chromium flags (e.g.
    /// `--force-prefers-reduced-motion`).
    pub async fn profile_with(&self, extra: &[&str]) -> Profile {
        let dir = tempfile::tempdir().expect("user-data-dir");
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| a.to_string()).collect();
        args.extend(extra.iter().map(|a| a.to_string()));
        args.push(format!("--user-data-dir={}", dir.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": CHROMIUM, "args": args }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.webdriver)
            .await
            .expect("new WebDriver session (chromium)");
        self.sessions.lock().unwrap().push((client.clone(), dir));
        Profile { client }
    }

    async fn close_all(&self) {
        let sessions = std::mem::take(&mut *self.sessions.lock().unwrap());
        for (client, dir) in sessions {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
            drop(dir);
        }
    }
}

/// Runs one browser test: waits for its turn, starts chromedriver, hands the test a
/// [`Browser`], and afterwards closes every session and stops chromedriver, also when the
/// test panicked (the panic is then passed on).
///
/// The browser tests take turns even when the test harness starts them in parallel threads
/// (the default): a chromium or two per test is heavy for a small machine, and the tests'
/// hang guards are meant for a loaded machine, not for several browsers fighting for it.
/// The turn is held to the end, through the closing of the sessions.
pub async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    // A tokio mutex: it does not poison when a test panics, and it serves the separate
    // runtime of every `#[tokio::test]`.
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = TURN.lock().await;
    let driver = Chromedriver::start(PATIENCE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let browser = Browser {
        webdriver: driver.url.clone(),
        sessions: Arc::new(Mutex::new(Vec::new())),
    };
    let outcome = tokio::spawn(test(browser.clone())).await;
    browser.close_all().await;
    drop(driver);
    if let Err(err) = outcome {
        if err.is_panic() {
            std::panic::resume_unwind(err.into_panic());
        }
        panic!("browser test did not finish: {err}");
    }
}

/// A stand-in for somebody else's web site: serves the pages the test puts in it, on its
/// own loopback port (so its own origin).
#[derive(Clone)]
pub struct HostSite {
    pub origin: String,
    pages: Arc<Mutex<HashMap<String, String>>>,
}

impl HostSite {
    pub async fn start() -> HostSite {
        let pages: Arc<Mutex<HashMap<String, String>>> = Arc::default();
        let served = pages.clone();
        let routes = warp::path::full().map(move |path: warp::path::FullPath| {
            match served.lock().unwrap().get(path.as_str()) {
                Some(html) => warp::reply::with_header(
                    warp::reply::with_status(html.clone(), warp::http::StatusCode::OK),
                    "content-type",
                    "text/html; charset=utf-8",
                ),
                None => warp::reply::with_header(
                    warp::reply::with_status(
                        "not found".to_string(),
                        warp::http::StatusCode::NOT_FOUND,
                    ),
                    "content-type",
                    "text/plain; charset=utf-8",
                ),
            }
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("bind host site");
        let addr = listener.local_addr().expect("host site address");
        tokio::spawn(warp::serve(routes).incoming(listener).run());
        HostSite {
            origin: format!("http://{addr}"),
            pages,
        }
    }

    /// Serves `html` at `path` (starting with `/`); returns the page's URL.
    pub fn put(&self, path: &str, html: String) -> String {
        self.pages.lock().unwrap().insert(path.to_string(), html);
        format!("{}{}", self.origin, path)
    }
}

/// Installed first thing in every host page: collects what would be uncaught errors and
/// unhandled promise rejections in the host page.
const ERROR_COLLECTOR: &str = "<script>window.__hostErrors=[];\
window.addEventListener('error',function(e){__hostErrors.push('error: '+(e.message||String(e.error)))});\
window.addEventListener('unhandledrejection',function(e){__hostErrors.push('unhandledrejection: '+String(e.reason))});\
</script>";

/// A complete, accessible host page: `lang`, a title, a `main` landmark with a heading.
/// `head` goes after the error collector (put the loader snippet there), `body` inside `main`.
pub fn host_page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n{ERROR_COLLECTOR}\n{head}\n</head>\n<body>\n\
         <main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
}

/// The loader snippet, exactly as a webmaster pastes it.
pub fn loader_snippet(api: &str) -> String {
    format!("<script async src=\"{api}/embed.js\"></script>")
}

/// The support-button placeholder, exactly as a webmaster pastes it.
pub fn support_placeholder(community: &str, initiative: &str, extra_attrs: &str) -> String {
    format!(
        "<div data-mekaar=\"support\" data-community=\"{community}\" \
         data-initiative=\"{initiative}\"{extra_attrs}></div>"
    )
}

/// What one widget shows, read from inside its shadow root.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct WidgetView {
    /// The loader's mark on the placeholder (`loading`, `mounted`, `failed`).
    pub loader: Option<String>,
    pub has_shadow: bool,
    /// `data-state` of the widget root: `loading`, `ready`, `error`.
    pub state: Option<String>,
    pub busy: bool,
    pub lang: Option<String>,
    /// `aria-pressed` of the support button.
    pub pressed: Option<String>,
    pub button: Option<String>,
    /// The text of `.mekaar-count`.
    pub count_text: Option<String>,
    pub count_live: Option<String>,
    /// The text of `.mekaar-message`, if one is shown.
    pub message: Option<String>,
}

impl WidgetView {
    pub fn is_ready(&self) -> bool {
        self.state.as_deref() == Some("ready")
    }

    /// The number at the start of the count text ("1 van 50 steunbetuigingen" → 1).
    pub fn count(&self) -> Option<u64> {
        let text = self.count_text.as_deref()?;
        let first = text.split_whitespace().next()?;
        let digits: String = first.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.is_empty()
            || !first
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return None;
        }
        digits.parse().ok()
    }

    /// Ready, no request in flight, showing `count` and the given pressed state.
    pub fn settled_at(&self, count: u64, pressed: bool) -> bool {
        self.is_ready()
            && !self.busy
            && self.count() == Some(count)
            && self.pressed.as_deref() == Some(if pressed { "true" } else { "false" })
    }
}

const READ_WIDGETS: &str = r#"
return Array.from(document.querySelectorAll('[data-mekaar]')).map(function (host) {
  var shadow = host.shadowRoot;
  function q(sel) { return shadow ? shadow.querySelector(sel) : null; }
  function text(el) { return el ? el.textContent.replace(/\s+/g, ' ').trim() : null; }
  var root = q('.mekaar-root'), button = q('.mekaar-support-button'),
      count = q('.mekaar-count'), message = q('.mekaar-message');
  return {
    loader: host.getAttribute('data-mekaar-state'),
    has_shadow: !!shadow,
    state: root ? root.getAttribute('data-state') : null,
    busy: !!root && root.getAttribute('aria-busy') === 'true',
    lang: root ? root.getAttribute('lang') : null,
    pressed: button ? button.getAttribute('aria-pressed') : null,
    button: text(button),
    count_text: text(count),
    count_live: count ? count.getAttribute('aria-live') : null,
    message: text(message)
  };
});
"#;

impl Profile {
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
    }

    pub async fn exec(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Every widget placeholder on the page, in document order.
    pub async fn widgets(&self) -> Vec<WidgetView> {
        serde_json::from_value(self.exec(READ_WIDGETS, vec![]).await).expect("widget views")
    }

    /// Polls until widget `index` satisfies `ok` (hang guard [`PATIENCE`]); returns its view.
    pub async fn wait_widget(
        &self,
        index: usize,
        what: &str,
        ok: impl Fn(&WidgetView) -> bool,
    ) -> WidgetView {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let views = self.widgets().await;
            if let Some(view) = views.get(index) {
                if ok(view) {
                    return view.clone();
                }
            }
            if Instant::now() >= deadline {
                let errors = self.host_errors().await;
                panic!(
                    "widget #{index} never got to: {what} (waited {PATIENCE:?}).\n\
                     widgets now: {views:#?}\nhost page errors: {errors:?}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The support button inside widget `index`'s shadow root, as a WebDriver element
    /// (chromedriver finds elements inside open shadow roots).
    pub async fn support_button(&self, index: usize) -> Element {
        let hosts = self
            .client
            .find_all(Locator::Css("[data-mekaar]"))
            .await
            .expect("find placeholders");
        let host = hosts
            .get(index)
            .unwrap_or_else(|| panic!("no widget #{index} (page has {})", hosts.len()));
        let shadow = host.shadow_root().await.expect("the widget's shadow root");
        shadow
            .find(Locator::Css(".mekaar-support-button"))
            .await
            .expect("the support button inside the shadow root")
    }

    /// A real WebDriver click (pointer actions at the element's centre) on widget
    /// `index`'s support button.
    pub async fn press(&self, index: usize) {
        self.support_button(index)
            .await
            .click()
            .await
            .expect("WebDriver click on the support button");
    }

    /// What the host page's error collector caught.
    pub async fn host_errors(&self) -> Vec<String> {
        let value = self
            .exec(
                "return window.__hostErrors || ['(error collector missing)'];",
                vec![],
            )
            .await;
        serde_json::from_value(value).unwrap_or_default()
    }

    pub async fn assert_no_host_errors(&self) {
        let errors = self.host_errors().await;
        assert!(
            errors.is_empty(),
            "uncaught errors in the host page: {errors:?}"
        );
    }

    pub async fn local_storage(&self, key: &str) -> Option<String> {
        let value = self
            .exec(
                "return window.localStorage.getItem(arguments[0]);",
                vec![json!(key)],
            )
            .await;
        value.as_str().map(str::to_string)
    }
}

/// `tests/node_modules/axe-core/axe.min.js`, or a failure saying how to get it.
pub fn axe_source() -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "node_modules",
        "axe-core",
        "axe.min.js",
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing ({}: {e}). Run `npm ci --prefix tests` first.",
            path.display()
        )
    })
}

/// What axe-core found over several checks of a test: inside the widgets, and on the
/// pages themselves. Each check prints what it found; `assert_clean` fails with all of it.
#[derive(Debug, Default)]
pub struct AxeFindings {
    widget: Vec<String>,
    page: Vec<String>,
}

impl AxeFindings {
    /// Runs axe-core on the page as it is now (`when` names the state, for the messages).
    pub async fn check(&mut self, profile: &Profile, axe: &str, when: &str) {
        let violations = run_axe(profile, axe).await;
        for (inside, found) in [(true, &mut self.widget), (false, &mut self.page)] {
            for v in describe_violations(&violations, inside) {
                let place = if inside { "widget" } else { "page" };
                println!("axe, {place} ({when}): {v}");
                found.push(format!("[{when}] {v}"));
            }
        }
    }

    pub fn assert_clean(&self) {
        assert!(
            self.widget.is_empty(),
            "axe-core violations inside the widgets:\n{}",
            self.widget.join("\n")
        );
        assert!(
            self.page.is_empty(),
            "axe-core violations on the pages themselves:\n{}",
            self.page.join("\n")
        );
    }
}

/// One line per violation with nodes inside (`widget`) or outside the widgets.
fn describe_violations(violations: &[AxeViolation], widget: bool) -> Vec<String> {
    violations
        .iter()
        .filter_map(|v| {
            let nodes = if widget {
                &v.widget_nodes
            } else {
                &v.host_nodes
            };
            (!nodes.is_empty()).then(|| {
                let targets: Vec<String> = nodes
                    .iter()
                    .map(|n| format!("{} — {}", n.target, n.summary.as_deref().unwrap_or("")))
                    .collect();
                format!(
                    "{} ({}): {}\n    {}",
                    v.id,
                    v.impact.as_deref().unwrap_or("?"),
                    v.help,
                    targets.join("\n    ")
                )
            })
        })
        .collect()
}

/// One axe violation, with its nodes split into those inside a widget and the rest.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeViolation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    pub widget_nodes: Vec<AxeNode>,
    pub host_nodes: Vec<AxeNode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AxeNode {
    pub target: Value,
    pub summary: Option<String>,
}

/// Runs axe-core (injected from `tests/node_modules`) on the whole document, shadow roots
/// included. A node is "in a widget" when its target goes through a shadow root (axe writes
/// those as nested arrays) or its element is, or is inside, a `[data-mekaar]` placeholder.
pub async fn run_axe(profile: &Profile, axe: &str) -> Vec<AxeViolation> {
    profile.exec(axe, vec![]).await;
    let script = r#"
var done = arguments[arguments.length - 1];
function inWidget(target) {
  if (!Array.isArray(target) || target.length === 0) return false;
  var first = target[0];
  if (Array.isArray(first)) return true;
  var el = null;
  try { el = document.querySelector(first); } catch (e) {}
  return !!(el && el.closest('[data-mekaar]'));
}
// A colour in the middle of a transition (a button just pressed) is not the colour a
// person reads: let running animations and transitions end first (at most 2 s, so an
// endless one cannot hang the check), in the page and in every widget's shadow root.
function settled() {
  var roots = [document];
  document.querySelectorAll('[data-mekaar]').forEach(function (el) {
    if (el.shadowRoot) roots.push(el.shadowRoot);
  });
  var running = [];
  roots.forEach(function (root) {
    if (root.getAnimations) running = running.concat(root.getAnimations());
  });
  var ends = running.map(function (a) { return a.finished.catch(function () {}); });
  return Promise.race([
    Promise.all(ends),
    new Promise(function (resolve) { setTimeout(resolve, 2000); })
  ]);
}
settled().then(function () {
  return axe.run(document, { resultTypes: ['violations'] });
}).then(function (results) {
  done(results.violations.map(function (v) {
    var nodes = v.nodes.map(function (n) {
      return { target: n.target, summary: n.failureSummary || null, widget: inWidget(n.target) };
    });
    return {
      id: v.id, impact: v.impact || null, help: v.help,
      widget_nodes: nodes.filter(function (n) { return n.widget; }),
      host_nodes: nodes.filter(function (n) { return !n.widget; })
    };
  }));
}, function (e) { done({ axe_error: String(e) }); });
"#;
    let value = profile
        .client
        .execute_async(script, vec![])
        .await
        .expect("run axe-core");
    assert!(value.get("axe_error").is_none(), "axe-core failed: {value}");
    serde_json::from_value(value).expect("axe violations")
}

// ---------------------------------------------------------------------------------------
// Generic helpers that look inside one widget's shadow root.

/// Puts `host` (widget `arguments[0]`), `s` (its shadow root), `root` (`.mekaar-root`) and
/// small helpers (`q`, `qa`, `t`, `ts`, `attr`, `focused`) in scope of the body that follows.
pub const SHADOW_PRELUDE: &str = r#"
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
function attr(name) { return root ? root.getAttribute(name) : null; }
function focused() { return s && s.activeElement ? s.activeElement.id : null; }
"#;

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false)) && *v != json!("") && *v != json!(0)
}

impl Profile {
    /// Runs `body` (after [`SHADOW_PRELUDE`]) for widget `index`.
    pub async fn inside(&self, index: usize, body: &str) -> Value {
        self.exec(&format!("{SHADOW_PRELUDE}\n{body}"), vec![json!(index)])
            .await
    }

    /// Polls `body` until it returns something truthy, for at most `bound`; that value,
    /// or `None` when the time ran out.
    pub async fn poll_inside(&self, index: usize, body: &str, bound: Duration) -> Option<Value> {
        let deadline = Instant::now() + bound;
        loop {
            let value = self.inside(index, body).await;
            if truthy(&value) {
                return Some(value);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls `body` until it returns something truthy (hang guard [`PATIENCE`]).
    pub async fn wait_inside(&self, index: usize, what: &str, body: &str) -> Value {
        match self.poll_inside(index, body, PATIENCE).await {
            Some(v) => v,
            None => {
                let now = self
                    .inside(
                        index,
                        "return { html: root ? root.outerHTML.slice(0, 4000) : (host ? host.outerHTML.slice(0, 1000) : null),\
                           url: location.href, host_errors: window.__hostErrors || null };",
                    )
                    .await;
                panic!("widget #{index} never got to: {what} (waited {PATIENCE:?}).\nwidget now: {now:#}");
            }
        }
    }

    /// The element matching `css` inside widget `index`'s shadow root, once there is one.
    pub async fn shadow_element(&self, index: usize, css: &str) -> Element {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let hosts = self
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
            assert!(
                Instant::now() < deadline,
                "no {css} in widget #{index} (waited {PATIENCE:?})"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// A real WebDriver click on `css` inside widget `index`.
    pub async fn click_in(&self, index: usize, css: &str) {
        self.shadow_element(index, css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("WebDriver click on {css}: {e}"));
    }

    /// Types `text` into the field `css` inside widget `index` (after clearing it).
    pub async fn type_in(&self, index: usize, css: &str, text: &str) {
        let field = self.shadow_element(index, css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }
}
