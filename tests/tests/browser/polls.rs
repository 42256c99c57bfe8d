//! Browser tests of the poll widgets: the resident's poll pasted into somebody else's page,
//! the phone page `/p/{code}` and the overlay page `/overlay/{poll}` for broadcast software,
//! in headless Chromium. (The editor's control link `/control/{poll}` leads to the console:
//! `poll_control.rs`.)
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`) and axe-core from `npm ci --prefix tests`. Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- polls::
//! ```
//!
//! As in the other browser tests: the real server (origin B: the API, the bundle and its
//! own pages) and a host site on another loopback port (origin A) whose page carries the
//! webmaster's snippet; the community allows origin A only. Each browser profile is a
//! WebDriver session with its own `--user-data-dir` (so its own voter key). Residents and
//! editors act with real WebDriver clicks and key presses inside the widgets' shadow roots;
//! polls are created over the admin HTTP API. Waits poll until a condition holds; the one
//! bounded wait (the overlay following a vote) prints the latency it saw.

use std::time::{Duration, Instant};

use crate::console;
use crate::harness::{
    axe_source, host_page, loader_snippet, with_browser, AxeFindings, HostSite, Profile, PATIENCE,
};
use mekaar_server::connections::ConnectionLimits;
use mekaar_tests::{voter_key, TestServer, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

const SLUG: &str = "omroep";

pub(crate) struct World {
    pub(crate) api: TestServer,
    site: HostSite,
    /// The community's admin token.
    token: String,
}

pub(crate) async fn world() -> World {
    world_on(TestServer::start().await).await
}

async fn world_on(api: TestServer) -> World {
    let site = HostSite::start().await;
    let created = api.create_community(SLUG, &[&site.origin]).await;
    World {
        api,
        site,
        token: created.admin_token,
    }
}

impl World {
    /// `/api/v1/admin/communities/{SLUG}{tail}` with the admin token; must succeed.
    async fn admin(&self, method: Method, tail: &str, body: Option<Value>) -> Value {
        self.api
            .admin_call(&self.token, method, SLUG, tail, body)
            .await
    }

    /// Creates a poll (`extra` fields added to question and options) and opens it unless
    /// `draft`; its admin view.
    pub(crate) async fn poll(
        &self,
        question: &str,
        options: &[&str],
        extra: Value,
        draft: bool,
    ) -> Value {
        let mut body = json!({ "question": question, "options": options });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let created = self.admin(Method::POST, "/polls", Some(body)).await;
        let id = created["poll"]["id"].as_str().expect("poll id").to_string();
        if draft {
            return created;
        }
        self.action(&id, json!({ "action": "open" })).await
    }

    pub(crate) async fn action(&self, id: &str, body: Value) -> Value {
        self.admin(Method::POST, &format!("/polls/{id}/state"), Some(body))
            .await
    }

    async fn totals(&self, id: &str) -> Value {
        self.admin(Method::GET, &format!("/polls/{id}"), None).await["results"].clone()
    }

    /// A vote over the public API, as another resident; the status.
    pub(crate) async fn vote(&self, id: &str, voter: u64, choices: &[u8]) -> u16 {
        self.api
            .client
            .post(self.api.community_url(SLUG, &format!("/polls/{id}/vote")))
            .header(VOTER_HEADER, voter_key(voter))
            .json(&json!({ "choices": choices }))
            .send()
            .await
            .expect("vote")
            .status()
            .as_u16()
    }

    /// A host page on origin A with the snippet and one poll widget; its URL.
    fn host(&self, path: &str, poll: &str) -> String {
        self.site.put(
            path,
            host_page(
                "Omroep Oldebroek",
                &loader_snippet(&self.api.url),
                &format!(
                    "<p>Praat mee over het dorpsfeest.</p>\n<h2>Stem mee</h2>\n\
                     <div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll}\"></div>"
                ),
            ),
        )
    }
}

/// The vote button. Ids inside a widget are `mekaar-{uid}-{name}`, unique per widget on
/// the page; inside one widget's shadow root the name's ending picks the element.
pub(crate) const VOTE_BUTTON: &str = "[id$=-b-vote]";
const CODE_FIELD: &str = "[id$=-f-code]";

/// The label of option `o` (counting from 0).
pub(crate) fn option_label(o: usize) -> String {
    format!("label[for$=-o-{o}]")
}

pub(crate) fn id(view: &Value) -> String {
    view["poll"]["id"].as_str().expect("poll id").to_string()
}

/// Waits until widget `index` (a poll) is ready with `data-phase` = `phase`.
pub(crate) async fn wait_phase(p: &Profile, index: usize, phase: &str) {
    p.wait_inside(
        index,
        &format!("ready, phase {phase}"),
        &format!(
            "return attr('data-state') === 'ready' && attr('data-phase') === {};",
            json!(phase)
        ),
    )
    .await;
}

/// The widget's results as `[option, votes text]` and its total line.
pub(crate) async fn results(p: &Profile, index: usize) -> Value {
    p.inside(
        index,
        "return { rows: qa('.mekaar-result').map(function (li) {\
           return [t(li.querySelector('.mekaar-option')), t(li.querySelector('.mekaar-votes'))]; }),\
           total: t('.mekaar-total'), hidden: t('.mekaar-hidden') };",
    )
    .await
}

/// Waits until the total line reads `total`, at most `bound`; how long it took.
pub(crate) async fn wait_total(
    p: &Profile,
    index: usize,
    total: &str,
    bound: Duration,
) -> Option<Duration> {
    let start = Instant::now();
    p.poll_inside(
        index,
        &format!("return t('.mekaar-total') === {};", json!(total)),
        bound,
    )
    .await
    .map(|_| start.elapsed())
}

async fn vote_with_clicks(p: &Profile, index: usize, options: &[usize]) {
    for o in options {
        p.click_in(index, &option_label(*o)).await;
    }
    p.click_in(index, VOTE_BUTTON).await;
}

async fn wait_counted(p: &Profile, index: usize) {
    let counted = p
        .wait_inside(
            index,
            "the vote is counted",
            "return attr('data-voted') === 'true' && t('.mekaar-counted');",
        )
        .await;
    assert_eq!(counted, json!("Bedankt, je stem is geteld."));
}

// ---------------------------------------------------------------------------------------

/// A resident votes in the widget on the host page (origin A); the overlay page, open in
/// another browser profile, shows the new totals. The widget itself shows the results as
/// text, with the bars hidden from screen readers, and keeps following the live stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_on_the_host_page_shows_on_the_overlay_in_another_profile() {
    with_browser(|browser| async move {
        let w = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let poll = w
            .poll(
                "Waar komt het dorpsfeest?",
                &["Op het plein", "Bij de kerk", "In de haven"],
                json!({}),
                false,
            )
            .await;
        let id = id(&poll);

        let overlay = browser.profile().await;
        overlay
            .goto(&w.api.at(&format!("/overlay/{id}?theme=light")))
            .await;
        wait_phase(&overlay, 0, "open").await;
        overlay
            .wait_inside(0, "the overlay shows 0 votes", "return t('.mekaar-total') === '0 stemmen in totaal';")
            .await;
        let form = overlay.inside(0, "return !!q('form') || !!q('input');").await;
        assert_eq!(form, json!(false), "the overlay has no vote form");

        let resident = browser.profile().await;
        resident.goto(&w.host("/", &id)).await;
        wait_phase(&resident, 0, "open").await;
        let shown = resident
            .inside(
                0,
                "return { legend: t('fieldset > legend'), radios: qa('input[type=radio][name=choice]').length,\
                   labels: ts('.mekaar-choice label'), live: q('[aria-live=polite]') !== null };",
            )
            .await;
        assert_eq!(shown["legend"], json!("Waar komt het dorpsfeest?"), "{shown}");
        assert_eq!(shown["radios"], json!(3), "{shown}");
        assert_eq!(shown["labels"], json!(["Op het plein", "Bij de kerk", "In de haven"]));
        assert_eq!(shown["live"], json!(true), "a polite live region: {shown}");
        findings.check(&resident, &axe, "poll widget, vote form").await;

        let clicked = Instant::now();
        vote_with_clicks(&resident, 0, &[1]).await;
        wait_counted(&resident, 0).await;
        let seen = wait_total(&overlay, 0, "1 stem in totaal", Duration::from_secs(5)).await;
        println!(
            "overlay (other profile) showed the vote {:?} after the vote was counted, {:?} after the click",
            seen,
            clicked.elapsed()
        );
        assert!(seen.is_some(), "the overlay did not show the vote within 5 s: {}", results(&overlay, 0).await);
        let o = results(&overlay, 0).await;
        assert_eq!(o["rows"][1], json!(["Bij de kerk", "1 stem (100%)"]), "{o}");
        assert_eq!(o["rows"][0], json!(["Op het plein", "0 stemmen (0%)"]), "{o}");

        let r = results(&resident, 0).await;
        assert_eq!(r["rows"][1], json!(["Bij de kerk", "1 stem (100%)"]), "{r}");
        let bars = resident
            .inside(
                0,
                "return qa('.mekaar-bar-fill').map(function (b) { return b.closest('[aria-hidden=true]') !== null; });",
            )
            .await;
        assert_eq!(bars, json!([true, true, true]), "bars are decoration");
        // The bars' lengths are set through CSSOM (a host page's CSP without
        // 'unsafe-inline' drops style attributes, not CSSOM).
        let widths = resident
            .inside(
                0,
                "return qa('.mekaar-bar-fill').map(function (b) { return b.style.width; });",
            )
            .await;
        assert_eq!(widths, json!(["0%", "100%", "0%"]), "bar lengths");
        let form = resident.inside(0, "return !!q('form.mekaar-vote-form');").await;
        assert_eq!(form, json!(false), "a vote is final: no form any more");
        findings.check(&resident, &axe, "poll widget, voted with results").await;

        // Another resident votes: both the widget (origin A, with its viewer ticket) and
        // the overlay follow without a reload.
        assert_eq!(w.vote(&id, 1, &[0]).await, 200);
        for (p, name) in [(&resident, "widget"), (&overlay, "overlay")] {
            let seen = wait_total(p, 0, "2 stemmen in totaal", Duration::from_secs(5)).await;
            println!("{name} showed the API vote after {seen:?}");
            assert!(seen.is_some(), "the {name} did not follow: {}", results(p, 0).await);
        }
        let r = results(&resident, 0).await;
        assert_eq!(r["rows"][0], json!(["Op het plein", "1 stem (50%)"]), "{r}");
        findings.check(&overlay, &axe, "overlay page (light)").await;
        resident.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}

/// The phone page by its short code, typed in lower case, on a 360 px wide screen: big
/// touch targets, the community's name and the poll's assurance, vote, "Bedankt, je stem
/// is geteld" with the resident's choice marked, and after a reload the voted state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_page_by_short_code_votes_and_remembers() {
    with_browser(|browser| async move {
        let w = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let poll = w
            .poll(
                "Moet de brug blijven?",
                &["Ja", "Nee"],
                json!({ "results": "after_vote" }),
                false,
            )
            .await;
        let id = id(&poll);
        let code = poll["poll"]["join_code"]
            .as_str()
            .expect("join code")
            .to_lowercase();

        let phone = browser.profile().await;
        phone
            .client
            .set_window_size(360, 740)
            .await
            .expect("a 360 px wide window");
        phone.goto(&w.api.at(&format!("/p/{code}"))).await;
        wait_phase(&phone, 0, "open").await;
        let layout = phone
            .inside(
                0,
                "function h(el) { return el.getBoundingClientRect().height; }\
                 return { width: document.documentElement.clientWidth,\
                   scroll: document.documentElement.scrollWidth,\
                   choices: qa('.mekaar-choice').map(h), button: h(q('[id$=-b-vote]')),\
                   hidden: t('.mekaar-hidden') };",
            )
            .await;
        println!("phone layout: {layout}");
        let width = layout["width"].as_f64().unwrap_or(0.0);
        assert!(width <= 360.0, "the window is a phone's: {layout}");
        assert!(
            layout["scroll"].as_f64().unwrap_or(9999.0) <= width,
            "no sideways scrolling at 360 px: {layout}"
        );
        for h in layout["choices"]
            .as_array()
            .expect("choices")
            .iter()
            .chain([&layout["button"]])
        {
            assert!(
                h.as_f64().unwrap_or(0.0) >= 44.0,
                "touch targets of at least 44 px: {layout}"
            );
        }
        assert_eq!(
            layout["hidden"],
            json!("De uitslag zie je nadat je hebt gestemd.")
        );
        findings.check(&phone, &axe, "phone page, vote form").await;
        // The page carries the community's name; the poll says what one vote means.
        let brand = phone
            .exec("return document.querySelector('h1.brand').textContent;", vec![])
            .await;
        let name = w.api.client.get(w.api.community_url(SLUG, "")).send().await.expect("community");
        let name: Value = name.json().await.expect("community JSON");
        assert_eq!(brand, name["name"], "the community's name on its phone page");
        let sure = phone.inside(0, "return t('.mekaar-assurance');").await;
        assert_eq!(sure, json!("Open peiling: één stem per apparaat per website."));
        crate::overlay::save(&phone, "phone-360-form").await;

        vote_with_clicks(&phone, 0, &[0]).await;
        wait_counted(&phone, 0).await;
        let r = results(&phone, 0).await;
        assert_eq!(
            r["rows"][0],
            json!(["Ja", "1 stem (100%)"]),
            "results after voting: {r}"
        );
        // The resident's own choice is marked in the results.
        let mine = phone
            .inside(0, "return qa('.mekaar-result').map(function (li) { return t(li.querySelector('.mekaar-mine')); });")
            .await;
        assert_eq!(mine, json!(["jouw keuze", null]), "the resident's choice");
        crate::overlay::save(&phone, "phone-360-voted").await;
        assert_eq!(w.totals(&id).await["totals"], json!([1, 0]));

        phone.reload().await;
        wait_phase(&phone, 0, "open").await;
        wait_counted(&phone, 0).await;
        let r = results(&phone, 0).await;
        assert_eq!(r["total"], json!("1 stem in totaal"), "after a reload: {r}");
        let form = phone
            .inside(0, "return !!q('form.mekaar-vote-form');")
            .await;
        assert_eq!(form, json!(false));
        findings.check(&phone, &axe, "phone page, voted").await;
        findings.assert_clean();
    })
    .await;
}

/// Multiple choice, at most 2: a third tick is undone with a message, and the vote sends
/// the two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multiple_choice_allows_at_most_k() {
    with_browser(|browser| async move {
        let w = world().await;
        let poll = w
            .poll(
                "Welke activiteiten wil je op het feest?",
                &["Muziek", "Markt", "Spelletjes", "Optocht"],
                json!({ "max_choices": 2 }),
                false,
            )
            .await;
        let id = id(&poll);
        let resident = browser.profile().await;
        resident.goto(&w.host("/", &id)).await;
        wait_phase(&resident, 0, "open").await;
        let hint = resident
            .inside(
                0,
                "return { hint: t('.mekaar-hint'), boxes: qa('input[type=checkbox]').length };",
            )
            .await;
        assert_eq!(hint, json!({ "hint": "Kies er maximaal 2.", "boxes": 4 }));

        for o in [0, 2, 3] {
            resident.click_in(0, &option_label(o)).await;
        }
        let state = resident
            .wait_inside(
                0,
                "the third tick undone, with a message",
                "var c = qa('input[name=choice]').map(function (i) { return i.checked; });\
                 var e = t('[id$=-e-choice]');\
                 return e ? { checked: c, error: e } : null;",
            )
            .await;
        assert_eq!(
            state["checked"],
            json!([true, false, true, false]),
            "{state}"
        );
        assert!(
            state["error"]
                .as_str()
                .is_some_and(|e| e.contains("maximaal 2")),
            "{state}"
        );
        // Touched again, the refused box is un-ticked again.
        resident.click_in(0, &option_label(3)).await;
        let checked = resident
            .inside(
                0,
                "return qa('input[name=choice]').map(function (i) { return i.checked; });",
            )
            .await;
        assert_eq!(
            checked,
            json!([true, false, true, false]),
            "the refused box again"
        );
        resident.click_in(0, VOTE_BUTTON).await;
        wait_counted(&resident, 0).await;
        assert_eq!(w.totals(&id).await["totals"], json!([1, 0, 1, 0]));
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// A poll with printed vote codes: the code field is required, a code counts once, and a
/// second use is refused with a clear message at the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vote_codes_are_single_use() {
    with_browser(|browser| async move {
        let w = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let poll = w
            .poll(
                "Komt er een nieuwe speeltuin?",
                &["Ja", "Nee"],
                json!({ "audience": { "kind": "codes" } }),
                false,
            )
            .await;
        let id = id(&poll);
        let made = w
            .admin(Method::POST, &format!("/polls/{id}/codes"), Some(json!({ "count": 2 })))
            .await;
        let codes: Vec<String> = serde_json::from_value(made["codes"].clone()).expect("codes");
        assert_eq!(codes.len(), 2);
        let url = w.host("/", &id);

        let first = browser.profile().await;
        first.goto(&url).await;
        wait_phase(&first, 0, "open").await;
        let label = first.inside(0, "return t('label[for$=-f-code]');").await;
        assert_eq!(label, json!("Je stemcode (staat op je stembrief)"));
        vote_with_clicks(&first, 0, &[0]).await;
        first
            .wait_inside(0, "a missing code is named", "return t('[id$=-e-code]') === 'Vul je stemcode in.';")
            .await;
        first.type_in(0, CODE_FIELD, &codes[0]).await;
        first.click_in(0, VOTE_BUTTON).await;
        wait_counted(&first, 0).await;

        let second = browser.profile().await;
        second.goto(&url).await;
        wait_phase(&second, 0, "open").await;
        second.click_in(0, &option_label(1)).await;
        second.type_in(0, CODE_FIELD, &codes[0]).await;
        second.click_in(0, VOTE_BUTTON).await;
        let refused = second
            .wait_inside(
                0,
                "a used code is refused",
                "var f = q('[id$=-f-code]'); var e = t('[id$=-e-code]');\
                 return e && e !== 'Vul je stemcode in.' ? { error: e, invalid: f.getAttribute('aria-invalid'),\
                   focused: !!s.activeElement && s.activeElement === f } : null;",
            )
            .await;
        assert_eq!(
            refused["error"],
            json!("Deze stemcode klopt niet of is al gebruikt. Controleer de code op je stembrief."),
            "{refused}"
        );
        assert_eq!(refused["invalid"], json!("true"));
        assert_eq!(refused["focused"], json!(true), "the focus is on the code field");
        findings.check(&second, &axe, "code poll, refused code").await;
        assert_eq!(w.totals(&id).await["totals"], json!([1, 0]), "the reuse did not count");

        second.type_in(0, CODE_FIELD, &codes[1]).await;
        second.click_in(0, VOTE_BUTTON).await;
        wait_counted(&second, 0).await;
        assert_eq!(w.totals(&id).await["totals"], json!([1, 1]));

        // The editor makes 3 more codes from the control link (the console's live control
        // of the poll): a CSV behind a Blob URL that takes the focus. (The console's CSP
        // lets no script fetch a blob: URL, so the test keeps the blobs made.)
        let editor = browser.profile().await;
        editor.goto(&w.api.at(&format!("/control/{id}"))).await;
        console::click(&editor, ".signin-lang button[lang=nl]").await;
        console::submit_token(&editor, &w.token).await;
        console::wait_text(&editor, "#codes-made", "Tot nu toe gemaakt: 2.").await;
        editor
            .exec(
                "window.__blobs = {}; var make = URL.createObjectURL;\
                 URL.createObjectURL = function (b) { var u = make.call(URL, b); window.__blobs[u] = b; return u; };",
                vec![],
            )
            .await;
        console::type_text(&editor, "#codes-count", "3").await;
        console::click(&editor, "#codes-csv").await;
        console::wait_js(
            &editor,
            "the CSV link has the focus",
            "var a = document.activeElement; return !!a && a.id === 'codes-link' && a.href.indexOf('blob:') === 0;",
        )
        .await;
        let csv = editor
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];\
                 window.__blobs[document.querySelector('#codes-link').href].text().then(done, function (e) { done('failed: ' + e); });",
                vec![],
            )
            .await
            .expect("read the blob");
        let lines: Vec<&str> = csv.as_str().unwrap_or("").lines().collect();
        assert_eq!(lines.first(), Some(&"code"), "{csv}");
        assert_eq!(lines.len(), 4, "a header and 3 codes: {csv}");
        console::wait_text(&editor, "#codes-made", "Tot nu toe gemaakt: 5.").await;
        let made = w.admin(Method::GET, &format!("/polls/{id}"), None).await;
        assert_eq!(made["poll"]["vote_codes"], json!(5));
        // On a shared device a reload offers the form again (one vote per code, not per
        // browser), and a code from the new CSV counts.
        second.reload().await;
        wait_phase(&second, 0, "open").await;
        second.click_in(0, &option_label(1)).await;
        second.type_in(0, CODE_FIELD, lines[1]).await;
        second.click_in(0, VOTE_BUTTON).await;
        wait_counted(&second, 0).await;
        assert_eq!(w.totals(&id).await["totals"], json!([1, 2]));
        findings.assert_clean();
    })
    .await;
}

/// With reduced motion the overlay's bars do not animate; without, they do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reduced_motion_turns_off_the_bar_animation() {
    with_browser(|browser| async move {
        let w = world().await;
        let poll = w.poll("Regent het morgen?", &["Ja", "Nee"], json!({}), false).await;
        let id = id(&poll);
        let url = w.api.at(&format!("/overlay/{id}?theme=dark"));
        let read = "var b = q('.mekaar-bar-fill'); return b ? getComputedStyle(b).transitionDuration : null;";

        let moving = browser.profile().await;
        moving.goto(&url).await;
        wait_phase(&moving, 0, "open").await;
        let normal = moving.wait_inside(0, "bars", read).await;
        assert_eq!(normal, json!("0.6s"), "bars animate by default");

        let calm = browser.profile_with(&["--force-prefers-reduced-motion"]).await;
        calm.goto(&url).await;
        wait_phase(&calm, 0, "open").await;
        let matches = calm.exec("return matchMedia('(prefers-reduced-motion: reduce)').matches;", vec![]).await;
        assert_eq!(matches, json!(true), "the profile asks for reduced motion");
        let reduced = calm.wait_inside(0, "bars", read).await;
        assert_eq!(reduced, json!("0s"), "no bar animation under prefers-reduced-motion");
    })
    .await;
}

/// The webmaster pastes the widget, and the omroep sets up the overlay, while the poll is
/// still a draft: both say it is not open yet and show nothing of it. The editor opens it
/// (admin API): without a reload the widget shows the question and the vote form (and
/// tells screen readers), the overlay the results, and a vote counts on both. An unknown
/// poll id still says it does not exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_widget_and_overlay_show_the_poll_when_it_opens() {
    with_browser(|browser| async move {
        let w = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let question = "Welke band speelt op het dorpsfeest?";
        let poll = w
            .poll(question, &["De Boerenrock", "Harmonie Oldebroek"], json!({}), true)
            .await;
        let id = id(&poll);
        let waiting = format!(
            "return attr('data-state') === 'waiting' && attr('data-phase') === 'draft' && {{\
               text: t('.mekaar-not-open'), question: s.innerHTML.indexOf({q}) >= 0\
                 || document.documentElement.innerHTML.indexOf({q}) >= 0,\
               form: !!q('form'), alert: !!q('[role=alert]'), retry: !!q('.mekaar-retry') }};",
            q = json!(question)
        );
        let not_open = json!({
            "text": "Deze peiling is nog niet geopend.",
            "question": false,
            "form": false,
            "alert": false,
            "retry": false,
        });

        let resident = browser.profile().await;
        resident.goto(&w.host("/", &id)).await;
        let shown = resident.wait_inside(0, "the widget waits for the opening", &waiting).await;
        assert_eq!(shown, not_open, "the widget of a draft");
        findings.check(&resident, &axe, "poll widget, draft not open yet").await;

        let overlay = browser.profile().await;
        overlay.goto(&w.api.at(&format!("/overlay/{id}?theme=light"))).await;
        let shown = overlay.wait_inside(0, "the overlay waits for the opening", &waiting).await;
        assert_eq!(shown, not_open, "the overlay of a draft");

        // Nothing reloads: a mark on each page stays.
        for p in [&resident, &overlay] {
            p.exec("window.__notReloaded = true; return null;", vec![]).await;
        }
        let opened = Instant::now();
        let status = w.action(&id, json!({ "action": "open" })).await;
        assert_eq!(status["poll"]["state"], json!("open"), "{status}");
        let form = resident
            .poll_inside(
                0,
                "return attr('data-state') === 'ready' && attr('data-phase') === 'open'\
                   && t('fieldset > legend') && { legend: t('fieldset > legend'),\
                   radios: qa('input[type=radio][name=choice]').length, button: t('[id$=-b-vote]'),\
                   not_open: !!q('.mekaar-not-open'), announced: t('.mekaar-announce') };",
                Duration::from_secs(5),
            )
            .await;
        println!("the widget showed the opened poll after {:?}", opened.elapsed());
        let form = form.expect("the widget did not show the opened poll within 5 s");
        assert_eq!(
            form,
            json!({
                "legend": question,
                "radios": 2,
                "button": "Stem",
                "not_open": false,
                "announced": "De peiling is nu geopend. Je kunt stemmen.",
            }),
            "the vote form without a reload"
        );
        let seen = wait_total(&overlay, 0, "0 stemmen in totaal", Duration::from_secs(5)).await;
        println!("the overlay showed the opened poll's results after {seen:?} (of the wait)");
        assert!(seen.is_some(), "the overlay did not switch to results within 5 s: {}", results(&overlay, 0).await);
        let heading = overlay.inside(0, "return { q: t('.mekaar-question'), form: !!q('form') };").await;
        assert_eq!(heading, json!({ "q": question, "form": false }));
        for p in [&resident, &overlay] {
            let kept = p.exec("return window.__notReloaded === true;", vec![]).await;
            assert_eq!(kept, json!(true), "the page was not reloaded");
        }
        findings.check(&resident, &axe, "poll widget, opened after waiting").await;

        vote_with_clicks(&resident, 0, &[1]).await;
        wait_counted(&resident, 0).await;
        assert_eq!(w.totals(&id).await["totals"], json!([0, 1]));
        let seen = wait_total(&overlay, 0, "1 stem in totaal", Duration::from_secs(5)).await;
        assert!(seen.is_some(), "the overlay did not follow the vote: {}", results(&overlay, 0).await);
        let o = results(&overlay, 0).await;
        assert_eq!(o["rows"][1], json!(["Harmonie Oldebroek", "1 stem (100%)"]), "{o}");
        resident.assert_no_host_errors().await;

        // An unknown id: "does not exist", as before.
        resident.goto(&w.host("/unknown", "doesnotexist")).await;
        let unknown = resident
            .wait_inside(
                0,
                "the unknown poll's message",
                "return attr('data-state') === 'error' && { text: t('.mekaar-message'), phase: attr('data-phase') };",
            )
            .await;
        assert_eq!(unknown, json!({ "text": "Deze peiling bestaat niet (meer).", "phase": null }));
        findings.assert_clean();
    })
    .await;
}

/// The server's open connections other than the one asking (`GET /api/v1/admin/metrics`).
async fn other_connections(api: &TestServer) -> u64 {
    let counts: Value = api
        .client
        .get(api.at("/api/v1/admin/metrics"))
        .bearer_auth(&api.server_token)
        .header("connection", "close")
        .send()
        .await
        .expect("metrics")
        .json()
        .await
        .expect("metrics as JSON");
    counts["open"]
        .as_u64()
        .expect("open connections")
        .saturating_sub(1)
}

/// Waits until the server has `n` open connections besides the asking one.
async fn wait_connections(api: &TestServer, n: u64, what: &str) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let open = other_connections(api).await;
        if open == n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {open} open connections, not {n} (waited {PATIENCE:?})"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A single-page host site swaps content: the poll placeholder it takes out ends its
/// live connection; the one that stays keeps following the poll.
///
/// The server reports no viewer count per poll over HTTP, so this reads the closest
/// thing: the open connections of `GET /api/v1/admin/metrics`. Idle kept-alive
/// connections are let go after 1 s on this server, so once the page has loaded, the
/// open connections are the widgets' live streams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_poll_placeholder_ends_its_live_connection() {
    with_browser(|browser| async move {
        let api = TestServer::builder()
            .connections(ConnectionLimits {
                head_timeout: Duration::from_secs(1),
                ..Default::default()
            })
            .start()
            .await;
        let w = world_on(api).await;
        let poll = w
            .poll("Gaat de markt door?", &["Ja", "Nee"], json!({}), false)
            .await;
        let id = id(&poll);
        let placeholder = |n: u8| {
            format!(
                "<div id=\"poll-{n}\" data-mekaar=\"poll\" data-community=\"{SLUG}\" \
                 data-poll=\"{id}\"></div>"
            )
        };
        let url = w.site.put(
            "/spa",
            host_page(
                "Omroep Oldebroek",
                &loader_snippet(&w.api.url),
                &format!("<h2>Stem mee</h2>\n{}\n{}", placeholder(1), placeholder(2)),
            ),
        );
        let resident = browser.profile().await;
        resident.goto(&url).await;
        wait_phase(&resident, 0, "open").await;
        wait_phase(&resident, 1, "open").await;
        wait_connections(&w.api, 2, "two widgets, two live streams").await;

        resident
            .exec(
                "document.getElementById('poll-1').remove(); return null;",
                vec![],
            )
            .await;
        wait_connections(&w.api, 1, "the removed widget's stream ended").await;
        // The widget that stayed (now the first placeholder) still follows the poll.
        assert_eq!(w.vote(&id, 1, &[0]).await, 200);
        let seen = wait_total(&resident, 0, "1 stem in totaal", Duration::from_secs(5)).await;
        assert!(
            seen.is_some(),
            "the remaining widget stopped following: {}",
            results(&resident, 0).await
        );
        assert!(
            other_connections(&w.api).await >= 1,
            "the remaining widget's stream is still open"
        );
        resident.assert_no_host_errors().await;
    })
    .await;
}
