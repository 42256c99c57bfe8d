//! Browser tests of the meetings family: the initiator adds a meeting on the manage page,
//! residents say "ik kom" on two host sites in two browser profiles, the agenda lists and
//! filters by area, and a step ticked on the manage page shows as done in the initiative
//! detail; in headless Chromium against the real server.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver`, axe-core from
//! `npm ci --prefix tests`, and `pkg/` built by `scripts/build-pkg`. Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- meetings::
//! ```
//!
//! Residents and the initiator act with real WebDriver clicks inside the widgets' open
//! shadow roots (a date and time input is filled through its `value` and an `input`
//! event: WebDriver keystrokes into them depend on the browser's locale); set-up and other
//! residents act over the API. Waits poll (hang guard [`PATIENCE`]); nothing asserts on
//! timing.

use std::time::{Duration, Instant};

use crate::harness::{
    axe_source, host_page, loader_snippet, with_browser, AxeFindings, HostSite, Profile, PATIENCE,
};
use fantoccini::elements::Element;
use fantoccini::Locator;
use mekaar_tests::{voter_key, TestServer, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

const SLUG: &str = "dorp";
const POLL: Duration = Duration::from_millis(100);
const MANAGE_HEADER: &str = "mekaar-manage";

struct World {
    api: TestServer,
    a: HostSite,
    b: HostSite,
    token: String,
}

async fn world() -> World {
    let api = TestServer::start().await;
    let a = HostSite::start().await;
    let b = HostSite::start().await;
    let created = api.create_community(SLUG, &[&a.origin, &b.origin]).await;
    let world = World {
        api,
        a,
        b,
        token: created.admin_token,
    };
    world
        .admin(
            Method::PATCH,
            "",
            Some(json!({ "areas": ["Dorpskern", "Kloosterbuurt"] })),
        )
        .await;
    world
}

/// Now, in seconds since the epoch.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

impl World {
    async fn admin(&self, method: Method, tail: &str, body: Option<Value>) -> Value {
        self.api
            .admin_call(&self.token, method, SLUG, tail, body)
            .await
    }

    /// A resident submits an initiative; its id and manage token.
    async fn initiative(&self, title: &str, area: &str) -> (String, String) {
        let submitted: Value = self
            .api
            .client
            .post(self.api.community_url(SLUG, "/initiatives"))
            .json(&json!({
                "title": title,
                "summary": "Samen maken we het dorp mooier.",
                "area": area,
                "initiator_name": "Anja",
            }))
            .send()
            .await
            .expect("submit")
            .json()
            .await
            .expect("submitted JSON");
        (
            submitted["initiative"]["id"]
                .as_str()
                .expect("id")
                .to_string(),
            submitted["manage_token"]
                .as_str()
                .expect("token")
                .to_string(),
        )
    }

    /// The initiator adds a meeting over the API; the meeting.
    async fn meeting(&self, id: &str, token: &str, title: &str, starts_at: u64) -> Value {
        let response = self
            .api
            .client
            .post(
                self.api
                    .community_url(SLUG, &format!("/initiatives/{id}/meetings")),
            )
            .header(MANAGE_HEADER, token)
            .json(&json!({
                "title": title,
                "starts_at": starts_at,
                "ends_at": starts_at + 7_200,
                "place": "Dorpshuis De Schakel, Kerkstraat 4",
            }))
            .send()
            .await
            .expect("POST meeting");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 201, "adding a meeting: {body}");
        body
    }

    /// Resident `n` says "ik kom" over the API: the status and body.
    async fn attend(&self, meeting: &str, n: u64) -> (u16, Value) {
        let response = self
            .api
            .client
            .put(
                self.api
                    .community_url(SLUG, &format!("/meetings/{meeting}/attend")),
            )
            .header(VOTER_HEADER, voter_key(n))
            .send()
            .await
            .expect("PUT attend");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, tail: &str) -> Value {
        self.api
            .client
            .get(self.api.community_url(SLUG, tail))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON")
    }

    fn page(&self, site: &HostSite, path: &str, body: &str) -> String {
        site.put(
            path,
            host_page("Dorpskrant", &loader_snippet(&self.api.url), body),
        )
    }
}

// ---------------------------------------------------------------------------------------
// Looking inside widget `index` of the page, or inside the nested widget of `kind` in it.

const PRELUDE: &str = r#"
var host = document.querySelectorAll('[data-mekaar]')[arguments[0]] || null;
if (host && arguments[1]) {
  host = host.shadowRoot ? host.shadowRoot.querySelector('[data-mekaar="' + arguments[1] + '"]') : null;
}
var s = host ? host.shadowRoot : null;
function q(sel) { return s ? s.querySelector(sel) : null; }
function qa(sel) { return s ? Array.from(s.querySelectorAll(sel)) : []; }
function t(x) {
  var el = typeof x === 'string' ? q(x) : x;
  return el ? el.textContent.replace(/\s+/g, ' ').trim() : null;
}
var root = q('.mekaar-root');
function state() { return root ? root.getAttribute('data-state') : null; }
function bare(id) { return id ? id.replace(/^mekaar-\d+-/, 'mekaar-') : id; }
function sid(name) { return '[id^="mekaar-"][id$="-' + name + '"]'; }
function focused() { return s && s.activeElement ? bare(s.activeElement.id) : null; }
function meeting(title) {
  return qa('.mekaar-meeting').filter(function (li) {
    var h = li.querySelector('.mekaar-meeting-title');
    return h && h.firstChild && h.firstChild.textContent.trim() === title;
  })[0] || null;
}
function titles() {
  return qa('.mekaar-meeting .mekaar-meeting-title').map(function (h) { return h.firstChild.textContent.trim(); });
}
function set(sel, value) {
  var el = q(sel);
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}
"#;

const DIAGNOSIS: &str = r#"
return { state: state(), focused: focused(), url: location.href,
  host_errors: window.__hostErrors || null,
  html: root ? root.outerHTML.slice(0, 3000) : (host ? host.outerHTML.slice(0, 1000) : null) };
"#;

#[derive(Clone, Copy)]
struct W<'a> {
    p: &'a Profile,
    index: usize,
    nested: Option<&'static str>,
}

fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false)) && *v != json!("") && *v != json!(0)
}

fn js(text: &str) -> String {
    json!(text).to_string()
}

impl W<'_> {
    async fn inside(&self, body: &str) -> Value {
        self.p
            .exec(
                &format!("{PRELUDE}\n{body}"),
                vec![json!(self.index), json!(self.nested)],
            )
            .await
    }

    async fn wait(&self, what: &str, body: &str) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = self.inside(body).await;
            if truthy(&value) {
                return value;
            }
            if Instant::now() >= deadline {
                let now = self.inside(DIAGNOSIS).await;
                panic!("the widget never got to: {what} (waited {PATIENCE:?}).\nnow: {now:#}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn element(&self, css: &str) -> Element {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let hosts = self
                .p
                .client
                .find_all(Locator::Css("[data-mekaar]"))
                .await
                .expect("find placeholders");
            if let Some(host) = hosts.get(self.index) {
                let mut shadow = host.shadow_root().await.ok();
                if let Some(kind) = self.nested {
                    shadow = match shadow {
                        Some(outer) => match outer
                            .find(Locator::Css(&format!("[data-mekaar=\"{kind}\"]")))
                            .await
                        {
                            Ok(child) => child.shadow_root().await.ok(),
                            Err(_) => None,
                        },
                        None => None,
                    };
                }
                if let Some(shadow) = shadow {
                    if let Ok(el) = shadow.find(Locator::Css(css)).await {
                        return el;
                    }
                }
            }
            if Instant::now() >= deadline {
                let now = self.inside(DIAGNOSIS).await;
                panic!("no {css} in the widget (waited {PATIENCE:?}).\nnow: {now:#}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn type_keys(&self, css: &str, text: &str) {
        self.element(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Clicks the button `class` of the meeting titled `title`.
    async fn click_on(&self, title: &str, class: &str) {
        let id = self
            .wait(
                &format!("meeting {title:?} with .{class}"),
                &format!(
                    "var li = meeting({}); var b = li && li.querySelector('.{class}'); return b ? b.id : null;",
                    js(title)
                ),
            )
            .await;
        self.click(&format!("#{}", id.as_str().unwrap())).await;
    }

    async fn wait_attendance(&self, title: &str, pressed: &str, count: &str) {
        self.wait(
            &format!("{title:?}: pressed {pressed}, {count:?}"),
            &format!(
                "var li = meeting({}); if (!li) return false; var b = li.querySelector('.mekaar-attend'); \
                 return b && b.getAttribute('aria-pressed') === {} && t(li.querySelector('.mekaar-attend-count')) === {};",
                js(title),
                js(pressed),
                js(count)
            ),
        )
        .await;
    }
}

fn w(p: &Profile, index: usize) -> W<'_> {
    W {
        p,
        index,
        nested: None,
    }
}

// ---------------------------------------------------------------------------------------

/// The initiator adds a meeting on the manage page (field errors first; the times typed
/// are Dutch time); a resident on host A says "ik kom"; a second profile on host B sees
/// the count in the agenda and comes too (the meeting is then full); the first resident
/// sees both after a reload, withdraws, and a refusal (full again) is worded in the
/// widget; the initiator calls it off and residents see it marked. axe-core on every view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initiator_adds_a_meeting_and_residents_on_two_sites_say_ik_kom() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let (id, token) = world.initiative("Een AED bij de kerk", "Dorpskern").await;

        // The manage page: manage (0), steps (1), meetings (2), discussion (3).
        let initiator = browser.profile().await;
        initiator
            .goto(&format!("{}/manage/{SLUG}/{id}#{token}", world.api.url))
            .await;
        let manage = w(&initiator, 2);
        manage
            .wait(
                "the initiator's meetings, empty, with the add button",
                "return state() === 'empty' && !root.hidden && !!q('.mekaar-add-meeting');",
            )
            .await;
        findings.check(&initiator, &axe, "the manage page without meetings").await;
        manage.click(".mekaar-add-meeting").await;
        manage
            .wait("the form, its title focused", "return focused() === 'mekaar-f-title';")
            .await;
        manage.click(".mekaar-save").await;
        let errors = manage
            .wait(
                "the field errors",
                "var e = q(sid('e-title')); return e && { title: t(e), place: t(sid('e-place')), \
                 invalid: q(sid('f-title')).getAttribute('aria-invalid'), focused: focused() };",
            )
            .await;
        assert_eq!(
            errors,
            json!({ "title": "Vul dit veld in.", "place": "Vul een plaats of een link in.",
                    "invalid": "true", "focused": "mekaar-f-title" })
        );
        findings.check(&initiator, &axe, "the meeting form with errors").await;
        manage.type_keys("input[name=title]", "Eerste bijeenkomst").await;
        // A date a month ahead; 20:00 to 22:00 Dutch time.
        manage
            .inside(
                "var d = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10); \
                 set('input[name=date]', d); set('input[name=start]', '20:00'); \
                 return set('input[name=end]', '22:00');",
            )
            .await;
        manage
            .type_keys("input[name=place]", "Dorpshuis De Schakel, Kerkstraat 4")
            .await;
        manage.type_keys("input[name=capacity]", "2").await;
        manage
            .type_keys("textarea[name=description]", "Koffie en een plan.")
            .await;
        manage.click(".mekaar-save").await;
        manage
            .wait(
                "the meeting saved and listed",
                "return t(sid('status')) === 'De bijeenkomst is opgeslagen.' && !!meeting('Eerste bijeenkomst') \
                 && !q('.mekaar-meeting-form');",
            )
            .await;
        findings.check(&initiator, &axe, "the manage page with a meeting").await;
        let listed = world.get(&format!("/initiatives/{id}/meetings")).await;
        let m = &listed["upcoming"][0];
        assert_eq!(m["title"], "Eerste bijeenkomst", "{listed}");
        assert_eq!(m["capacity"], 2);
        let meeting_id = m["id"].as_str().expect("meeting id").to_string();
        let starts_at = m["starts_at"].as_u64().expect("starts_at");
        assert_eq!(m["ends_at"].as_u64(), Some(starts_at + 7_200));
        // Typed as Dutch time: 20:00 in Amsterdam, whatever the browser's zone.
        let dutch = initiator
            .exec(
                "return new Date(arguments[0] * 1000).toLocaleTimeString('nl-NL', \
                 { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' });",
                vec![json!(starts_at)],
            )
            .await;
        assert_eq!(dutch, json!("20:00"));
        let when = manage
            .inside("return t(meeting('Eerste bijeenkomst').querySelector('.mekaar-meeting-when'));")
            .await;
        assert!(
            when.as_str().is_some_and(|w| w.ends_with("20:00 – 22:00")),
            "{when}"
        );

        // A resident on host A: the initiative's meetings under an article.
        let page_a = world.page(
            &world.a,
            "/aed",
            &format!(
                "<article><h2>De AED</h2>\n<div data-mekaar=\"meetings\" data-community=\"{SLUG}\" \
                 data-initiative=\"{id}\" data-heading-level=\"3\"></div></article>"
            ),
        );
        let resident = browser.profile().await;
        resident.goto(&page_a).await;
        let ra = w(&resident, 0);
        ra.wait_attendance("Eerste bijeenkomst", "false", "Nog niemand aangemeld · nog 2 plaatsen")
            .await;
        let shown = ra
            .inside(
                "var li = meeting('Eerste bijeenkomst'); return { level: q('.mekaar-meetings-title').tagName, \
                 where: t(li.querySelector('.mekaar-meeting-where')), tile: !!li.querySelector('.mekaar-tile-day'), \
                 ics: li.querySelector('.mekaar-ics').getAttribute('href') };",
            )
            .await;
        assert_eq!(shown["level"], "H3");
        assert_eq!(shown["where"], "Dorpshuis De Schakel, Kerkstraat 4");
        assert_eq!(shown["tile"], true);
        assert_eq!(
            shown["ics"],
            json!(world
                .api
                .community_url(SLUG, &format!("/meetings/{meeting_id}.ics")))
        );
        findings.check(&resident, &axe, "an initiative's meetings").await;
        ra.click_on("Eerste bijeenkomst", "mekaar-attend").await;
        ra.wait_attendance("Eerste bijeenkomst", "true", "1 komt · nog 1 plaats")
            .await;
        ra.wait("announced", "return t('.mekaar-live') === 'Je komt naar Eerste bijeenkomst.';")
            .await;
        findings.check(&resident, &axe, "after ik kom").await;

        // A second profile on host B: the agenda shows the count; it comes too.
        let page_b = world.page(
            &world.b,
            "/agenda",
            &format!("<div data-mekaar=\"agenda\" data-community=\"{SLUG}\"></div>"),
        );
        let other = browser.profile().await;
        other.goto(&page_b).await;
        let rb = w(&other, 0);
        rb.wait_attendance("Eerste bijeenkomst", "false", "1 komt · nog 1 plaats")
            .await;
        findings.check(&other, &axe, "the agenda").await;
        rb.click_on("Eerste bijeenkomst", "mekaar-attend").await;
        rb.wait_attendance("Eerste bijeenkomst", "true", "2 komen · vol")
            .await;
        // Nobody else fits.
        let (status, body) = world.attend(&meeting_id, 3).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "meeting_full");

        // The first resident, after a reload: both, and still coming.
        resident.reload().await;
        ra.wait_attendance("Eerste bijeenkomst", "true", "2 komen · vol")
            .await;
        // Withdraws: the place is free again.
        ra.click_on("Eerste bijeenkomst", "mekaar-attend").await;
        ra.wait_attendance("Eerste bijeenkomst", "false", "1 komt · nog 1 plaats")
            .await;
        // Someone else takes it over the API; the widget still offers it: refused, worded.
        let (status, body) = world.attend(&meeting_id, 4).await;
        assert!((200..300).contains(&status), "{status} {body}");
        ra.click_on("Eerste bijeenkomst", "mekaar-attend").await;
        ra.wait(
            "the refusal at the meeting",
            "var li = meeting('Eerste bijeenkomst'); var m = li && li.querySelector('.mekaar-notice[role=alert]'); \
             return m && t(m) === 'Deze bijeenkomst is vol.' && t(li.querySelector('.mekaar-attend-count')) === '2 komen · vol';",
        )
        .await;
        findings.check(&resident, &axe, "a refused ik kom").await;

        // The initiator calls it off; residents see it marked, with nothing to press.
        manage.click_on("Eerste bijeenkomst", "mekaar-call-off").await;
        manage
            .wait(
                "called off",
                "var li = meeting('Eerste bijeenkomst'); return li && li.hasAttribute('data-cancelled') \
                 && t(li.querySelector('.mekaar-notice')) === 'De bijeenkomst is afgelast.';",
            )
            .await;
        other.reload().await;
        rb.wait(
            "marked as called off in the agenda",
            "var li = meeting('Eerste bijeenkomst'); return li && li.hasAttribute('data-cancelled') \
             && t(li.querySelector('.mekaar-cancelled')) === 'Afgelast' && !li.querySelector('button, a');",
        )
        .await;
        findings.check(&other, &axe, "a called-off meeting in the agenda").await;
        // The manage page is the server's own (no error collector there).
        for p in [&resident, &other] {
            p.assert_no_host_errors().await;
        }
        findings.assert_clean();
    })
    .await;
}

/// The agenda: coming meetings of the community's initiatives, soonest first under a
/// heading per day, each linking to its initiative; the area filter keeps one area's; the
/// subscription link is `webcal://`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agenda_lists_the_coming_meetings_by_day_and_filters_by_area() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let (aed, aed_token) = world.initiative("Een AED bij de kerk", "Dorpskern").await;
        let (tuin, tuin_token) = world
            .initiative("Een buurtmoestuin", "Kloosterbuurt")
            .await;
        let day = now() / 86_400 * 86_400 + 10 * 86_400;
        world
            .meeting(&tuin, &tuin_token, "Plantdag", day + 2 * 86_400 + 9 * 3_600)
            .await;
        world
            .meeting(&aed, &aed_token, "Cursus reanimeren", day + 18 * 3_600)
            .await;
        let page = world.page(
            &world.a,
            "/agenda",
            &format!("<div data-mekaar=\"agenda\" data-community=\"{SLUG}\"></div>"),
        );
        let resident = browser.profile().await;
        resident.goto(&page).await;
        let agenda = w(&resident, 0);
        let order = agenda
            .wait(
                "both meetings, soonest first",
                "var x = titles(); return x.length === 2 && state() === 'ready' ? x : null;",
            )
            .await;
        assert_eq!(order, json!(["Cursus reanimeren", "Plantdag"]));
        let shown = agenda
            .inside(
                "return { days: qa('.mekaar-day-title').length, areas: qa('select.mekaar-area option').map(t), \
                 link: t(meeting('Plantdag').querySelector('.mekaar-meeting-initiative')), \
                 href: meeting('Plantdag').querySelector('.mekaar-meeting-initiative').getAttribute('href'), \
                 webcal: q('.mekaar-subscribe').getAttribute('href') };",
            )
            .await;
        assert_eq!(shown["days"], 2, "{shown}");
        assert_eq!(
            shown["areas"],
            json!(["Alle buurten", "Dorpskern", "Kloosterbuurt"])
        );
        assert_eq!(shown["link"], "Een buurtmoestuin");
        assert!(
            shown["href"]
                .as_str()
                .is_some_and(|h| h.ends_with(&format!("#mekaar-i={tuin}"))),
            "{shown}"
        );
        let webcal = shown["webcal"].as_str().unwrap_or_default();
        assert!(
            webcal.starts_with("webcal://") && webcal.ends_with(&format!("/api/v1/communities/{SLUG}/meetings.ics")),
            "{webcal}"
        );
        findings.check(&resident, &axe, "the agenda with two days").await;
        agenda
            .element("select.mekaar-area")
            .await
            .select_by_value("Kloosterbuurt")
            .await
            .expect("choose an area");
        let filtered = agenda
            .wait(
                "only the Kloosterbuurt's meeting",
                "var x = titles(); return x.length === 1 ? x : null;",
            )
            .await;
        assert_eq!(filtered, json!(["Plantdag"]));
        findings.check(&resident, &axe, "the agenda filtered").await;
        resident.assert_no_host_errors().await;
        // The agenda as a frame of the server (for hosts that block our script).
        resident
            .goto(&world.api.at(&format!("/embed/agenda?community={SLUG}&area=Dorpskern")))
            .await;
        let framed = agenda
            .wait(
                "the framed agenda, preset to an area",
                "var x = titles(); return x.length === 1 ? x : null;",
            )
            .await;
        assert_eq!(framed, json!(["Cursus reanimeren"]));
        findings.assert_clean();
    })
    .await;
}

/// The initiator ticks a step on the manage page (a locked one cannot be ticked and says
/// what unlocks it); the initiative detail on a host site shows it done. A community's
/// initiative without meetings shows no meetings box in the detail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_ticked_on_the_manage_page_shows_as_done_in_the_detail() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        world
            .admin(
                Method::PUT,
                "/steps",
                Some(json!([
                    { "title": "Zoek 3 medestanders" },
                    { "title": "Vraag het leefbaarheidsbudget aan",
                      "link": "https://gemeente.example/leefbaarheidsbudget",
                      "unlock_supports": 50 }
                ])),
            )
            .await;
        let (id, token) = world.initiative("Een AED bij de kerk", "Dorpskern").await;
        let initiator = browser.profile().await;
        initiator
            .goto(&format!("{}/manage/{SLUG}/{id}#{token}", world.api.url))
            .await;
        let steps = w(&initiator, 1);
        steps
            .wait("the steps, ready", "return state() === 'ready' && qa('.mekaar-step').length === 2;")
            .await;
        let locked = steps
            .inside(
                "var li = qa('.mekaar-step')[1]; return { locked: li.getAttribute('data-locked'), \
                 disabled: li.querySelector('input.mekaar-step-tick').disabled, \
                 unlock: t(li.querySelector('.mekaar-step-unlock')) };",
            )
            .await;
        assert_eq!(
            locked,
            json!({ "locked": "true", "disabled": true, "unlock": "Komt vrij bij 50 steunbetuigingen." })
        );
        findings.check(&initiator, &axe, "the manage page's steps").await;
        steps.click(".mekaar-step input.mekaar-step-tick").await;
        steps
            .wait(
                "the first step done",
                "var li = qa('.mekaar-step')[0]; return li.getAttribute('data-done') === 'true' \
                 && li.querySelector('input').checked && t(li.querySelector('.mekaar-notice')) === 'Stap afgevinkt.' \
                 && t('.mekaar-steps-done') === '1 van 2 stappen gezet';",
            )
            .await;
        findings.check(&initiator, &axe, "a step ticked").await;
        let stored = world.get(&format!("/initiatives/{id}/steps")).await;
        assert_eq!(stored["steps"][0]["done"], true, "{stored}");

        // The detail on a host site shows it done; no meetings box without meetings.
        let url = world.page(
            &world.a,
            "/initiatieven",
            &format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>"),
        );
        let resident = browser.profile().await;
        resident.goto(&format!("{url}#mekaar-i={id}")).await;
        let nested = W {
            p: &resident,
            index: 0,
            nested: Some("steps"),
        };
        let done = nested
            .wait(
                "the detail's steps",
                "var li = qa('.mekaar-step'); return li.length === 2 ? li.map(function (x) { \
                 return [t(x.querySelector('.mekaar-step-title')), x.getAttribute('data-done')]; }) : null;",
            )
            .await;
        assert_eq!(
            done,
            json!([["Zoek 3 medestanders", "true"], ["Vraag het leefbaarheidsbudget aan", null]])
        );
        let residents_tick = nested.inside("return qa('input').length;").await;
        assert_eq!(residents_tick, json!(0));
        let meetings = W {
            p: &resident,
            index: 0,
            nested: Some("meetings"),
        };
        meetings
            .wait(
                "no meetings box",
                "return state() === 'empty' && root.hidden && root.getBoundingClientRect().height === 0;",
            )
            .await;
        findings.check(&resident, &axe, "the detail with its steps").await;
        resident.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}
