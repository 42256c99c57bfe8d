//! Browser tests of the discussion widget: a topic's discussion pasted under somebody
//! else's article (two host sites, two browser profiles), and the initiative detail's
//! "Reacties" section, in headless Chromium against the real server.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver`, axe-core from
//! `npm ci --prefix tests`, and `pkg/` built by `scripts/build-pkg`. Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- discussions::
//! ```
//!
//! Residents act with real WebDriver clicks and key presses inside the widgets' open
//! shadow roots; other residents (other voter keys) and moderators act over the API. New
//! reactions reach an open page by the widget's conditional check every 5 s: waits poll
//! (hang guard 20 s) and nothing asserts on timing.

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

struct World {
    api: TestServer,
    /// Two sites that embed the same community (the village site and the omroep's).
    a: HostSite,
    b: HostSite,
    token: String,
}

async fn world() -> World {
    let api = TestServer::start().await;
    let a = HostSite::start().await;
    let b = HostSite::start().await;
    let created = api.create_community(SLUG, &[&a.origin, &b.origin]).await;
    World {
        api,
        a,
        b,
        token: created.admin_token,
    }
}

impl World {
    async fn admin(&self, method: Method, tail: &str, body: Option<Value>) -> Value {
        self.api
            .admin_call(&self.token, method, SLUG, tail, body)
            .await
    }

    /// An editor opens a topic; its id.
    async fn topic(&self, title: &str, intro: &str) -> String {
        let topic = self
            .admin(
                Method::POST,
                "/topics",
                Some(json!({ "title": title, "intro": intro })),
            )
            .await;
        topic["id"].as_str().expect("topic id").to_string()
    }

    /// Resident `n` (voter key `n`) posts a reaction over the API; the reaction.
    async fn react(&self, kind: &str, id: &str, n: u64, text: &str) -> Value {
        let url = self
            .api
            .community_url(SLUG, &format!("/threads/{kind}/{id}/reactions"));
        let response = self
            .api
            .client
            .post(&url)
            .header(VOTER_HEADER, voter_key(n))
            .json(&json!({ "text": text }))
            .send()
            .await
            .expect("POST reaction");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 201, "posting a reaction: {body}");
        body
    }

    /// Resident `n` reports reaction `rid` over the API.
    async fn report(&self, rid: &str, n: u64) {
        let url = self
            .api
            .community_url(SLUG, &format!("/reactions/{rid}/report"));
        let response = self
            .api
            .client
            .post(&url)
            .header(VOTER_HEADER, voter_key(n))
            .json(&json!({ "reason": "Beledigend" }))
            .send()
            .await
            .expect("POST report");
        assert!(response.status().is_success(), "report: {response:?}");
    }

    /// The public thread as a reader without a voter key sees it.
    async fn thread(&self, kind: &str, id: &str) -> Value {
        let url = self
            .api
            .community_url(SLUG, &format!("/threads/{kind}/{id}"));
        self.api
            .client
            .get(&url)
            .send()
            .await
            .expect("GET thread")
            .json()
            .await
            .expect("thread JSON")
    }

    /// A host page on `site` with the snippet and a topic's discussion under an article.
    fn topic_page(&self, site: &HostSite, path: &str, topic: &str) -> String {
        site.put(
            path,
            host_page(
                "Dorpskrant",
                &loader_snippet(&self.api.url),
                &format!(
                    "<article><h2>De kermis</h2><p>Het bestuur denkt na over de plek.</p>\n\
                     <div data-mekaar=\"discussion\" data-community=\"{SLUG}\" \
                     data-topic=\"{topic}\" data-heading-level=\"3\"></div></article>"
                ),
            ),
        )
    }
}

// ---------------------------------------------------------------------------------------
// Looking inside the widget (index 0 on the page), or inside the initiative detail's
// nested discussion (`NESTED`).

const PRELUDE: &str = r#"
var host = document.querySelectorAll('[data-mekaar]')[arguments[0]] || null;
if (host && arguments[1]) {
  host = host.shadowRoot ? host.shadowRoot.querySelector('[data-mekaar="discussion"]') : null;
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
function texts() { return qa('.mekaar-reaction-text').map(t); }
function reaction(text) {
  return qa('.mekaar-reaction').filter(function (li) {
    var x = li.querySelector(':scope > .mekaar-reaction-text');
    return x && t(x) === text;
  })[0] || null;
}
"#;

const DIAGNOSIS: &str = r#"
return { state: state(), focused: focused(), url: location.href,
  host_errors: window.__hostErrors || null,
  html: root ? root.outerHTML.slice(-2500) : (host ? host.outerHTML.slice(0, 1000) : null) };
"#;

#[derive(Clone, Copy)]
struct W<'a> {
    p: &'a Profile,
    nested: bool,
    /// Which placeholder of the page (0: the first).
    index: usize,
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
                panic!("the discussion never got to: {what} (waited {PATIENCE:?}).\nnow: {now:#}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn ready(&self) {
        self.wait("ready", "return state() === 'ready';").await;
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
                if self.nested {
                    shadow = match shadow {
                        Some(outer) => match outer
                            .find(Locator::Css("[data-mekaar=\"discussion\"]"))
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
                panic!("no {css} in the discussion (waited {PATIENCE:?}).\nnow: {now:#}");
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

    /// Writes and posts a reaction with the form.
    async fn post(&self, text: &str) {
        self.type_keys("textarea[name=text]", text).await;
        self.click(".mekaar-send").await;
        self.wait(
            &format!("own reaction {text:?} in the list"),
            &format!("return !!reaction({});", js(text)),
        )
        .await;
    }

    /// Clicks a button (`class`) of the reaction with `text`.
    async fn click_on(&self, text: &str, class: &str) {
        let id = self
            .wait(
                &format!("reaction {text:?}"),
                &format!(
                    "var li = reaction({}); var b = li && li.querySelector(':scope > .mekaar-reaction-actions > .{class}'); \
                     return b ? b.id : null;",
                    js(text)
                ),
            )
            .await;
        self.click(&format!("#{}", id.as_str().unwrap())).await;
    }
}

fn w(p: &Profile) -> W<'_> {
    W {
        p,
        nested: false,
        index: 0,
    }
}

// ---------------------------------------------------------------------------------------

/// A resident reacts on the village site (host A); a reader of the omroep's site (host B,
/// another browser profile) sees it appear without reloading, announced once; the reader
/// agrees and replies, and the first resident sees the reply arrive. axe-core on every view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reaction_on_one_site_appears_live_on_another_with_reply_and_agree() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let topic = world
            .topic(
                "Moet de kermis terug naar het dorpsplein?",
                "Vertel het ons voor 1 mei.",
            )
            .await;
        let page_a = world.topic_page(&world.a, "/kermis", &topic);
        let page_b = world.topic_page(&world.b, "/nieuws/kermis", &topic);

        let writer = browser.profile().await;
        writer.goto(&page_a).await;
        let wa = w(&writer);
        wa.ready().await;
        let header = wa
            .inside(
                "return { title: t('.mekaar-thread-title'), tag: q('.mekaar-thread-title').tagName, \
                 intro: t('.mekaar-intro'), count: t('.mekaar-reactions-title'), empty: t('.mekaar-empty'), \
                 stances: qa('input[name=stance]').length, hp: q('.mekaar-hp input').tabIndex };",
            )
            .await;
        assert_eq!(
            header,
            json!({ "title": "Moet de kermis terug naar het dorpsplein?", "tag": "H3",
                    "intro": "Vertel het ons voor 1 mei.", "count": "Reacties (0)",
                    "empty": "Nog geen reacties. Wees de eerste!", "stances": 0, "hp": -1 })
        );
        findings.check(&writer, &axe, "an empty topic").await;

        let reader = browser.profile().await;
        reader.goto(&page_b).await;
        let wb = w(&reader);
        wb.ready().await;

        // The writer types (the count follows) and posts.
        wa.type_keys("textarea[name=text]", "Ja, op het plein").await;
        wa.wait(
            "the character count",
            "return t(sid('count-text')) === '16 van 2.000 tekens';",
        )
        .await;
        wa.type_keys("textarea[name=text]", "!").await;
        wa.click(".mekaar-send").await;
        wa.wait(
            "the own reaction and a confirmation",
            "return !!reaction('Ja, op het plein!') && t(sid('form-status')) === 'Je reactie staat erbij.' \
             && q('textarea[name=text]').value === '';",
        )
        .await;
        findings.check(&writer, &axe, "after posting").await;

        // The reader sees it without a reload, announced once.
        wb.wait(
            "the writer's reaction, live",
            "return !!reaction('Ja, op het plein!') && t('.mekaar-live') === '1 nieuwe reactie' \
             && t('.mekaar-reactions-title') === 'Reacties (1)';",
        )
        .await;
        let name = wb
            .inside("return t(reaction('Ja, op het plein!').querySelector('.mekaar-reaction-name'));")
            .await;
        assert_eq!(name, json!("Inwoner"));
        findings.check(&reader, &axe, "a reaction arrived").await;

        // Agree.
        wb.click_on("Ja, op het plein!", "mekaar-agree").await;
        wb.wait(
            "agreed",
            "var b = reaction('Ja, op het plein!').querySelector('.mekaar-agree'); \
             return b.getAttribute('aria-pressed') === 'true' && t(b) === 'Eens (1)';",
        )
        .await;
        // Reply.
        wb.click_on("Ja, op het plein!", "mekaar-reply-button").await;
        wb.wait(
            "the reply box, focused",
            "return /^mekaar-o-/.test(focused() || '');",
        )
        .await;
        findings.check(&reader, &axe, "the reply box").await;
        wb.type_keys(".mekaar-open-form textarea", "Nee, in de wei").await;
        wb.click(".mekaar-open-send").await;
        wb.wait(
            "the reply under the reaction",
            "var li = reaction('Ja, op het plein!'); \
             return li && t(li.querySelector('.mekaar-replies .mekaar-reaction-text')) === 'Nee, in de wei';",
        )
        .await;
        // The writer sees the reply and the agree arrive.
        wa.wait(
            "the reply and the agree, live",
            "var li = reaction('Ja, op het plein!'); \
             return li && t(li.querySelector('.mekaar-replies .mekaar-reaction-text')) === 'Nee, in de wei' \
             && t(li.querySelector('.mekaar-agree')) === 'Eens (1)';",
        )
        .await;
        // Its own reaction is editable; the reader's is not.
        let own = wa
            .inside(
                "var li = reaction('Ja, op het plein!'); \
                 return [!!li.querySelector(':scope > .mekaar-reaction-actions > .mekaar-edit-button'), \
                         !!li.querySelector(':scope > .mekaar-reaction-actions > .mekaar-report-button')];",
            )
            .await;
        assert_eq!(own, json!([true, false]));
        findings.check(&writer, &axe, "with a reply").await;
        writer.assert_no_host_errors().await;
        reader.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}

/// Three residents (three voter keys) report one reaction: it is hidden, also on a page
/// that is open, without a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_reports_hide_a_reaction() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let topic = world.topic("Het nieuwe speelveld", "").await;
        world.react("topic", &topic, 1, "Prima plan").await;
        let bad = world.react("topic", &topic, 2, "Iets grofs").await;
        let rid = bad["id"].as_str().unwrap().to_string();
        let page = world.topic_page(&world.a, "/speelveld", &topic);

        let reader = browser.profile().await;
        reader.goto(&page).await;
        let wr = w(&reader);
        wr.wait(
            "both reactions",
            "return texts().length === 2 && !!reaction('Iets grofs');",
        )
        .await;
        world.report(&rid, 3).await;
        world.report(&rid, 4).await;
        // The third report with the widget.
        wr.click_on("Iets grofs", "mekaar-report-button").await;
        findings.check(&reader, &axe, "the report box").await;
        wr.type_keys(".mekaar-open-form textarea", "Scheldwoorden")
            .await;
        wr.click(".mekaar-open-send").await;
        wr.wait(
            "the thanks for the report",
            "return /een moderator kijkt ernaar/.test(t('.mekaar-notice') || '');",
        )
        .await;
        // Hidden now: gone from the open page (by the live check) and from the API.
        wr.wait(
            "the reported reaction gone",
            "return texts().length === 1 && !reaction('Iets grofs') && !!reaction('Prima plan');",
        )
        .await;
        let thread = world.thread("topic", &topic).await;
        let texts: Vec<&str> = thread["reactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["Prima plan"], "{thread}");
        findings
            .check(&reader, &axe, "after the reaction was hidden")
            .await;
        reader.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}

/// A resident types a reply while other residents' reactions arrive: the box keeps its
/// text, its caret and the focus, and the reply goes out whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_in_the_reply_box_is_not_disturbed_by_arriving_reactions() {
    with_browser(|browser| async move {
        let world = world().await;
        let topic = world.topic("Glasvezel in het buitengebied", "").await;
        world.react("topic", &topic, 1, "Eindelijk").await;
        let page = world.topic_page(&world.a, "/glasvezel", &topic);

        let resident = browser.profile().await;
        resident.goto(&page).await;
        let wr = w(&resident);
        wr.wait("the reaction", "return !!reaction('Eindelijk');")
            .await;
        wr.click_on("Eindelijk", "mekaar-reply-button").await;
        wr.type_keys(".mekaar-open-form textarea", "Helemaal mee").await;
        // The main form holds a draft too.
        for n in 2..=4 {
            world
                .react("topic", &topic, n, &format!("Reactie nummer {n}"))
                .await;
        }
        wr.wait(
            "three reactions arrived",
            "return texts().length === 4 && t('.mekaar-live') === '3 nieuwe reacties';",
        )
        .await;
        let kept = wr
            .inside(
                "var box = q('.mekaar-open-form textarea'); \
                 return { value: box.value, focused: s.activeElement === box, caret: box.selectionStart };",
            )
            .await;
        assert_eq!(
            kept,
            json!({ "value": "Helemaal mee", "focused": true, "caret": 12 })
        );
        // Typing goes on where it was.
        resident
            .client
            .active_element()
            .await
            .expect("focused element")
            .send_keys(" eens")
            .await
            .expect("type on");
        wr.click(".mekaar-open-send").await;
        wr.wait(
            "the whole reply under the reaction",
            "var li = reaction('Eindelijk'); \
             return li && t(li.querySelector('.mekaar-replies .mekaar-reaction-text')) === 'Helemaal mee eens';",
        )
        .await;
        resident.assert_no_host_errors().await;
    })
    .await;
}

/// The initiative detail's "Reacties" section: a discussion mounted inside the list
/// widget, with stances; the card then shows the count; closing the detail ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initiative_detail_has_a_reactions_section() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let card = world
            .admin(
                Method::POST,
                "/initiatives",
                Some(json!({ "title": "Een AED bij de kerk", "summary": "Een hartstartkast aan de muur." })),
            )
            .await;
        let id = card["id"].as_str().unwrap().to_string();
        world.react("initiative", &id, 1, "Goed plan").await;
        let url = world.a.put(
            "/initiatieven",
            host_page(
                "Dorpskrant",
                &loader_snippet(&world.api.url),
                &format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>"),
            ),
        );
        let resident = browser.profile().await;
        resident.goto(&url).await;
        let list = w(&resident);
        list.wait(
            "the card with its reaction count",
            "var c = q('.mekaar-card-reactions'); return c && t(c) === '1 1 reactie' && !!c.querySelector('svg.mekaar-icon');",
        )
        .await;
        resident.goto(&format!("{url}#mekaar-i={id}")).await;
        let nested = W {
            p: &resident,
            nested: true,
            index: 0,
        };
        nested
            .wait(
                "the nested discussion, ready, with the reaction",
                "return state() === 'ready' && !!reaction('Goed plan');",
            )
            .await;
        let shown = nested
            .inside(
                "return { count: t('.mekaar-reactions-title'), level: q('.mekaar-reactions-title').tagName, \
                 stances: qa('input[name=stance]').length, uid: /^mekaar-1\\d{3}-/.test(root.querySelector('[id]').id) };",
            )
            .await;
        assert_eq!(
            shown,
            json!({ "count": "Reacties (1)", "level": "H3", "stances": 5, "uid": true })
        );
        findings.check(&resident, &axe, "the detail with its reactions").await;
        nested
            .click("input[name=stance][value=question]")
            .await;
        nested.post("Wie onderhoudt hem?").await;
        let stance = nested
            .inside(
                "return t(reaction('Wie onderhoudt hem?').querySelector('.mekaar-stance'));",
            )
            .await;
        assert_eq!(stance, json!("Vraag"));
        findings.check(&resident, &axe, "after reacting in the detail").await;

        // Back to the list: the discussion ends (its placeholder left, its shadow root
        // emptied, no longer marked mounted).
        resident
            .exec(
                "window.__child = document.querySelector('[data-mekaar]').shadowRoot \
                 .querySelector('[data-mekaar=\"discussion\"]'); return true;",
                vec![],
            )
            .await;
        list.click("[id$='-b-back']").await;
        let ended = {
            let deadline = Instant::now() + PATIENCE;
            loop {
                let v = resident
                    .exec(
                        "var c = window.__child; return !c.isConnected && !c.hasAttribute('data-mekaar-state') \
                         && c.shadowRoot.childNodes.length === 0;",
                        vec![],
                    )
                    .await;
                if v == json!(true) || Instant::now() >= deadline {
                    break v;
                }
                tokio::time::sleep(POLL).await;
            }
        };
        assert_eq!(ended, json!(true), "the nested discussion was unmounted");
        resident.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}

/// The initiator opens the private manage link: under the manage widget, the initiative's
/// reactions, where what the initiator writes carries the initiator's badge (the manage
/// token from the link's fragment proves it); residents see the badge too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initiator_reacts_from_the_manage_page_with_the_initiators_badge() {
    with_browser(|browser| async move {
        let world = world().await;
        let axe = axe_source();
        let mut findings = AxeFindings::default();
        let submitted: Value = world
            .api
            .client
            .post(world.api.community_url(SLUG, "/initiatives"))
            .json(&json!({
                "title": "Een AED bij de kerk",
                "summary": "Dag en nacht bereikbaar voor het hele dorp.",
                "initiator_name": "Anja",
            }))
            .send()
            .await
            .expect("submit")
            .json()
            .await
            .expect("submitted JSON");
        let id = submitted["initiative"]["id"].as_str().expect("id").to_string();
        let token = submitted["manage_token"].as_str().expect("token").to_string();
        world.react("initiative", &id, 1, "Wie onderhoudt hem straks?").await;

        let initiator = browser.profile().await;
        initiator
            .goto(&format!("{}/manage/{SLUG}/{id}#{token}", world.api.url))
            .await;
        // The manage page: manage (0), steps (1), meetings (2), discussion (3).
        let talk = W {
            p: &initiator,
            nested: false,
            index: 3,
        };
        talk.wait(
            "the reactions under the manage page, ready",
            "return state() === 'ready' && !!reaction('Wie onderhoudt hem straks?');",
        )
        .await;
        findings.check(&initiator, &axe, "the manage page with its reactions").await;
        talk.post("De kerk doet het onderhoud, dat is afgesproken.").await;
        let badge = talk
            .wait(
                "the initiator's badge on the own reaction",
                "var li = reaction('De kerk doet het onderhoud, dat is afgesproken.');                  var b = li && li.querySelector('.mekaar-badge'); return b ? t(b) : null;",
            )
            .await;
        assert_eq!(badge, json!("Initiatiefnemer"));
        let thread = world.thread("initiative", &id).await;
        let badges: Vec<&Value> = thread["reactions"]
            .as_array()
            .expect("reactions")
            .iter()
            .map(|r| &r["badge"])
            .collect();
        assert!(badges.contains(&&json!("initiator")), "{thread}");
        findings.assert_clean();
    })
    .await;
}
