//! Browser tests of the console screens the other console tests leave out: the reported
//! queue and the moderator's remaining decisions (restore a reported, auto-hidden
//! initiative; reject a pending one; hide a published one), the community settings not yet
//! covered (languages, areas, themes, support threshold, moderation policy: saved, still
//! shown after a reload), and webhooks (added in the console towards a receiver on
//! 127.0.0.1, a delivery in the console's delivery log, deleted after the second
//! question). Each step is checked as a person sees it and in the server's state over the
//! admin API. axe-core checks the reported queue and the settings screen with a webhook.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), axe-core from `npm ci --prefix tests`, and `pkg/console/` built by
//! `scripts/build-pkg` (the server embeds it). Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- console_screens::
//! ```
//!
//! The real server on a loopback port; each browser profile is a WebDriver session with
//! its own `--user-data-dir`. People act with real WebDriver clicks and key presses; waits
//! poll until a condition holds (hang guard `harness::PATIENCE`).

use std::time::Instant;

use crate::console::{
    click, element, sign_in, text_of, type_text, value_of, wait_contains, wait_js, wait_text,
    World, SLUG,
};
use crate::harness::{axe_source, with_browser, AxeFindings, PATIENCE};
use mekaar_server::webhooks::signature;
use mekaar_tests::webhook_receiver::Receiver;
use reqwest::Method;
use serde_json::{json, Value};

impl World {
    /// A resident submits an initiative; the submit answer.
    async fn submit(&self, voter: u64, title: &str) -> Value {
        self.public(
            "/initiatives",
            voter,
            json!({
                "title": title,
                "summary": format!("Samenvatting van {title}."),
                "story": format!("Het verhaal van {title}.\n\nMet een tweede alinea."),
                "area": "Dorpskern",
                "initiator_name": "Anja, Kerkstraat",
                "contact_email": "anja@example.nl"
            }),
        )
        .await
    }

    /// The HTTP status residents get for an initiative's public page (200 when they see
    /// it, 404 when they do not).
    async fn public_status(&self, id: &str) -> u16 {
        self.api
            .client
            .get(self.api.community_url(SLUG, &format!("/initiatives/{id}")))
            .send()
            .await
            .expect("public detail")
            .status()
            .as_u16()
    }

    /// The moderation state of an initiative per the admin API.
    async fn moderation_of(&self, id: &str) -> Value {
        self.admin(Method::GET, &format!("/initiatives/{id}"), None)
            .await["moderation"]
            .clone()
    }

    /// The ids in one of the moderation queues per the admin API.
    async fn queue(&self, which: &str) -> Vec<String> {
        let list = self
            .admin(Method::GET, &format!("/initiatives?queue={which}"), None)
            .await;
        list["initiatives"]
            .as_array()
            .expect("initiatives")
            .iter()
            .map(|i| i["initiative"]["id"].as_str().expect("id").to_string())
            .collect()
    }
}

fn id_of(submitted: &Value) -> String {
    submitted["initiative"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {submitted}"))
        .to_string()
}

/// The queue link of initiative `id` (a CSS selector).
fn queue_item(id: &str) -> String {
    format!("#queue-table a.queue-item[href=\"#/moderation/{id}\"]")
}

// ---------------------------------------------------------------------------------------

/// Residents report a published initiative until it hides itself; the moderator finds it
/// in the console's reported queue, reads the reports and restores it (visible again, the
/// reported queue empty). A pending initiative is rejected from the console and a
/// published one hidden; residents then see neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_restores_a_reported_initiative_rejects_a_pending_one_and_hides_another() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let moderator = w.token_for("moderator").await;

        // Post-moderation: two published initiatives; three residents report the first.
        let reported = w.submit(1, "Reclamezuil bij de school").await;
        assert_eq!(reported["moderation"], json!("published"), "{reported}");
        let reported = id_of(&reported);
        let to_hide = id_of(&w.submit(2, "Bloembakken op de brug").await);
        for (voter, reason) in [(11, "Reden: reclame"), (12, "Reden: spam"), (13, "Reden: kwetsend")] {
            let answer = w
                .public(&format!("/initiatives/{reported}/report"), voter, json!({ "reason": reason }))
                .await;
            assert_eq!(answer, json!({ "reported": true }));
        }
        let stored = w.admin(Method::GET, "", None).await;
        assert_eq!(stored["reports_before_hide"], json!(3), "{stored}");
        assert_eq!(w.moderation_of(&reported).await, json!("hidden"));
        assert_eq!(w.public_status(&reported).await, 404, "a hidden initiative is public");
        assert_eq!(w.queue("reported").await, std::slice::from_ref(&reported));

        // Pre-moderation from now on: the next one waits for a moderator.
        w.admin(Method::PATCH, "", Some(json!({ "moderation": "pre" }))).await;
        let pending = w.submit(3, "Skatebaan achter de sporthal").await;
        assert_eq!(pending["moderation"], json!("pending"), "{pending}");
        let pending = id_of(&pending);

        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &moderator).await;
        wait_text(&console, "main h1", "Moderatie").await;
        wait_text(&console, "#queue-table a.queue-item", "Skatebaan achter de sporthal").await;

        // The reported tab: the hidden initiative, with its state and its three reports.
        click(&console, "#queue-reported").await;
        wait_js(
            &console,
            "the reported tab is the current one",
            "var a = document.querySelector('#queue-reported');\
             return location.hash === '#/moderation/reported' && a.getAttribute('aria-current') === 'page';",
        )
        .await;
        wait_text(&console, "#queue-table a.queue-item", "Reclamezuil bij de school").await;
        let rows = console
            .exec(
                "return Array.from(document.querySelectorAll('#queue-table tbody tr')).map(function (tr) {\
                   return Array.from(tr.querySelectorAll('td')).map(function (td) { return td.textContent.trim(); }); });",
                vec![],
            )
            .await;
        let rows = rows.as_array().expect("queue rows").clone();
        assert_eq!(rows.len(), 1, "only the reported initiative: {rows:?}");
        assert_eq!(rows[0][0], json!("Reclamezuil bij de school"), "{rows:?}");
        assert_eq!(rows[0][1], json!("Dorpskern"), "{rows:?}");
        assert_eq!(rows[0][2], json!("verborgen"), "{rows:?}");
        assert_eq!(rows[0][3], json!("3"), "{rows:?}");
        wait_contains(&console, "#queue-table caption", "Gemeld: 1").await;
        findings.check(&console, &axe, "reported queue").await;

        // Its detail: hidden, the reasons listed; restore it.
        click(&console, &queue_item(&reported)).await;
        wait_text(&console, "main h1", "Reclamezuil bij de school").await;
        wait_text(&console, "#mod-state", "verborgen").await;
        wait_text(&console, "#mod-reports", "3").await;
        for reason in ["Reden: reclame", "Reden: spam", "Reden: kwetsend"] {
            wait_contains(&console, "#report-list", reason).await;
        }
        assert!(
            console.exec("return !document.querySelector('#mod-hide') && !document.querySelector('#mod-approve');", vec![]).await
                == json!(true),
            "a hidden initiative offers restore and reject only"
        );
        type_text(&console, "#mod-note", "Geen reclame, gewoon een plan.").await;
        click(&console, "#mod-restore").await;
        wait_contains(&console, "#mod-status", "Het initiatief is zichtbaar.").await;
        wait_text(&console, "#mod-state", "gepubliceerd").await;
        assert_eq!(w.moderation_of(&reported).await, json!("published"));
        assert_eq!(w.public_status(&reported).await, 200, "restored, residents see it again");
        assert_eq!(w.queue("reported").await, Vec::<String>::new());
        let audit = w.admin(Method::GET, "/audit", None).await;
        assert!(audit.to_string().contains("Geen reclame, gewoon een plan."), "audit: {audit}");

        // Back in the queue: the reported tab is empty now.
        click(&console, "#back-to-queue").await;
        click(&console, "#queue-reported").await;
        wait_text(&console, "#queue-empty", "Er zijn geen nieuwe meldingen.").await;

        // The pending one: reject it.
        click(&console, "#queue-pending").await;
        click(&console, &queue_item(&pending)).await;
        wait_text(&console, "main h1", "Skatebaan achter de sporthal").await;
        wait_text(&console, "#mod-state", "wacht op goedkeuring").await;
        type_text(&console, "#mod-note", "Geen plek voor een skatebaan.").await;
        click(&console, "#mod-reject").await;
        wait_contains(&console, "#mod-status", "Afgewezen: het initiatief is niet zichtbaar.").await;
        wait_text(&console, "#mod-state", "afgewezen").await;
        element(&console, "#mod-restore").await;
        assert_eq!(w.moderation_of(&pending).await, json!("rejected"));
        assert_eq!(w.public_status(&pending).await, 404, "a rejected initiative is public");
        assert_eq!(w.queue("pending").await, Vec::<String>::new());
        click(&console, "#back-to-queue").await;
        wait_text(&console, "#queue-empty", "Er wacht niets op goedkeuring.").await;

        // A published one, from the list of all: hide it.
        click(&console, "#queue-all").await;
        click(&console, &queue_item(&to_hide)).await;
        wait_text(&console, "main h1", "Bloembakken op de brug").await;
        wait_text(&console, "#mod-state", "gepubliceerd").await;
        click(&console, "#mod-hide").await;
        wait_contains(&console, "#mod-status", "Verborgen: inwoners zien het initiatief niet meer.").await;
        wait_text(&console, "#mod-state", "verborgen").await;
        assert_eq!(w.moderation_of(&to_hide).await, json!("hidden"));
        assert_eq!(w.public_status(&to_hide).await, 404, "a hidden initiative is public");

        // The list of all shows each in its new state.
        click(&console, "#back-to-queue").await;
        click(&console, "#queue-all").await;
        wait_js(
            &console,
            "the list of all initiatives",
            "return document.querySelectorAll('#queue-table tbody tr').length === 3;",
        )
        .await;
        for (id, state) in [(&reported, "gepubliceerd"), (&pending, "afgewezen"), (&to_hide, "verborgen")] {
            let row = console
                .exec(
                    "var a = document.querySelector(arguments[0]);\
                     return a ? a.closest('tr').querySelectorAll('td')[2].textContent.trim() : null;",
                    vec![json!(queue_item(id))],
                )
                .await;
            assert_eq!(row, json!(state), "the state of {id} in the list");
        }

        findings.assert_clean();
    })
    .await;
}

/// An admin changes the languages, areas, themes, support threshold and moderation policy
/// in the settings form; they are saved (the admin API says so, and a resident's next
/// initiative waits for approval) and the form shows them after a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_changes_languages_areas_themes_threshold_and_moderation() {
    with_browser(|browser| async move {
        let w = World::start().await;
        let before = w.admin(Method::GET, "", None).await;
        assert_eq!(before["languages"], json!(["nl", "en"]), "{before}");
        assert_eq!(before["moderation"], json!("post"), "{before}");

        let p = browser.profile().await;
        sign_in(&p, &w.api, &w.token).await;
        wait_js(
            &p,
            "the settings form",
            "var n = document.getElementById('setting-name'); return n && n.value;",
        )
        .await;
        assert_eq!(value_of(&p, "#setting-languages").await, json!("nl, en"));
        assert_eq!(value_of(&p, "#setting-areas").await, json!("Dorpskern"));
        assert_eq!(value_of(&p, "#setting-themes").await, json!("Groen"));
        assert_eq!(value_of(&p, "#setting-support-threshold").await, json!("50"));
        assert_eq!(
            p.exec("return document.getElementById('setting-moderation-post').checked;", vec![]).await,
            json!(true)
        );

        type_text(&p, "#setting-languages", "en, nl").await;
        type_text(&p, "#setting-areas", "Centrum\nKloosterbuurt\n  Op de Berg  ").await;
        type_text(&p, "#setting-themes", "Groen\nVerkeer").await;
        type_text(&p, "#setting-support-threshold", "120").await;
        click(&p, "#setting-moderation-pre").await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#settings-saved", "Opgeslagen.").await;

        let stored = w.admin(Method::GET, "", None).await;
        assert_eq!(stored["languages"], json!(["en", "nl"]), "{stored}");
        assert_eq!(stored["areas"], json!(["Centrum", "Kloosterbuurt", "Op de Berg"]), "{stored}");
        assert_eq!(stored["themes"], json!(["Groen", "Verkeer"]), "{stored}");
        assert_eq!(stored["support_threshold"], json!(120), "{stored}");
        assert_eq!(stored["moderation"], json!("pre"), "{stored}");
        // Untouched settings stay as they were.
        assert_eq!(stored["name"], before["name"], "{stored}");
        assert_eq!(stored["allowed_origins"], before["allowed_origins"], "{stored}");
        assert_eq!(stored["reports_before_hide"], before["reports_before_hide"], "{stored}");

        // What residents notice: the next initiative waits for approval, with the new
        // threshold; the public settings list the new areas and themes.
        let submitted = w
            .public(
                "/initiatives",
                1,
                json!({
                    "title": "Een jeu-de-boulesbaan",
                    "summary": "Bij het plein.",
                    "area": "Kloosterbuurt",
                    "initiator_name": "Piet"
                }),
            )
            .await;
        assert_eq!(submitted["moderation"], json!("pending"), "{submitted}");
        assert_eq!(submitted["initiative"]["support_threshold"], json!(120), "{submitted}");
        let public: Value = w
            .api
            .client
            .get(w.api.community_url(SLUG, ""))
            .send()
            .await
            .expect("public community")
            .json()
            .await
            .expect("public community JSON");
        assert_eq!(public["areas"], stored["areas"], "{public}");
        assert_eq!(public["themes"], stored["themes"], "{public}");

        // After a reload the form shows what was saved.
        p.reload().await;
        wait_js(
            &p,
            "the settings form after the reload",
            "var n = document.getElementById('setting-languages'); return n && n.value === 'en, nl';",
        )
        .await;
        assert_eq!(value_of(&p, "#setting-areas").await, json!("Centrum\nKloosterbuurt\nOp de Berg"));
        assert_eq!(value_of(&p, "#setting-themes").await, json!("Groen\nVerkeer"));
        assert_eq!(value_of(&p, "#setting-support-threshold").await, json!("120"));
        assert_eq!(
            p.exec(
                "return [document.getElementById('setting-moderation-pre').checked,\
                         document.getElementById('setting-moderation-post').checked];",
                vec![]
            )
            .await,
            json!([true, false])
        );

        // And back to moderation afterwards, from the form.
        click(&p, "#setting-moderation-post").await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#settings-saved", "Opgeslagen.").await;
        let stored = w.admin(Method::GET, "", None).await;
        assert_eq!(stored["moderation"], json!("post"), "{stored}");
        assert_eq!(stored["support_threshold"], json!(120), "{stored}");
    })
    .await;
}

/// Waits until the admin API's delivery log has a delivered attempt of `event`.
async fn wait_logged(w: &World, event: &str) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let log = w
            .admin(Method::GET, "/webhooks/deliveries?limit=50", None)
            .await;
        if let Some(found) = log.as_array().and_then(|l| {
            l.iter()
                .find(|a| a["event"] == json!(event) && a["delivered"] == json!(true))
        }) {
            return found.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the delivery log never had a delivered {event} (waited {PATIENCE:?}): {log}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// An admin adds a webhook in the console towards a receiver on 127.0.0.1 (the signing
/// secret shown once); a resident's new initiative arrives there, signed, and shows in the
/// console's delivery log after a refresh; the admin deletes the webhook after the second
/// question ("no" first keeps it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_webhook_sees_its_delivery_and_deletes_it() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let receiver = Receiver::start().await;
        let url = receiver.url();

        let p = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&p, &w.api, &w.token).await;
        element(&p, "#webhooks-none").await;
        wait_text(&p, "#deliveries-none", "Nog geen bezorgpogingen.").await;

        // Add it for everything but official answers.
        type_text(&p, "#webhook-url", &url).await;
        click(&p, "#webhook-event-answered").await;
        // The dialogue's events (issue 15) are chosen by default too: not for this hook.
        click(&p, "#webhook-event-reaction_posted").await;
        click(&p, "#webhook-event-reaction_reported").await;
        // So are the getting-to-work events (issue 16).
        click(&p, "#webhook-event-meeting_added").await;
        click(&p, "#webhook-event-step_done").await;
        assert_eq!(
            p.exec(
                "return ['submitted', 'threshold_reached', 'reported', 'answered'].map(function (e) {\
                   return document.getElementById('webhook-event-' + e).checked; });",
                vec![]
            )
            .await,
            json!([true, true, true, false])
        );
        click(&p, "#webhook-add").await;
        let secret = wait_js(
            &p,
            "the webhook's secret",
            "var c = document.getElementById('webhook-secret'); return c && c.textContent.trim();",
        )
        .await
        .as_str()
        .expect("secret text")
        .to_string();
        wait_contains(&p, "#webhooks-table", &url).await;
        wait_contains(&p, "#webhooks-table caption", "Webhooks: 1").await;
        let events_shown = text_of(&p, "#webhooks-table tbody tr td:nth-child(2)").await;
        let events_shown = events_shown.as_str().unwrap_or_default();
        for shown in ["nieuw initiatief", "drempel gehaald", "gemeld"] {
            assert!(events_shown.contains(shown), "events of the webhook: {events_shown}");
        }
        assert!(!events_shown.contains("officiële reactie"), "events of the webhook: {events_shown}");
        assert_eq!(value_of(&p, "#webhook-url").await, json!(""), "the form is emptied");
        let hooks = w.admin(Method::GET, "/webhooks", None).await;
        let hooks = hooks.as_array().expect("webhooks").clone();
        assert_eq!(hooks.len(), 1, "{hooks:?}");
        assert_eq!(hooks[0]["url"], json!(url));
        let mut events: Vec<String> = serde_json::from_value(hooks[0]["events"].clone()).expect("events");
        events.sort();
        assert_eq!(events, ["reported", "submitted", "threshold_reached"]);
        let hook_id = hooks[0]["id"].as_str().expect("webhook id").to_string();
        findings.check(&p, &axe, "settings with a webhook").await;

        // A resident's initiative: the receiver gets it, signed with the secret shown.
        let submitted = w.submit(1, "Een AED bij de kerk").await;
        let id = id_of(&submitted);
        let got = receiver.wait_for("submitted").await;
        assert_eq!(got.header("mekaar-signature"), signature(&secret, got.body.as_bytes()));
        let body: Value = serde_json::from_str(&got.body).expect("a JSON delivery");
        assert!(body.to_string().contains(&id), "the delivery names the initiative: {body}");

        // The log is not live: after a refresh the console shows the delivery.
        let logged = wait_logged(&w, "submitted").await;
        assert_eq!(logged["webhook_id"], json!(hook_id), "{logged}");
        click(&p, "#deliveries-refresh").await;
        wait_js(&p, "the delivery log", "return !!document.querySelector('#deliveries-table');").await;
        let cells = p
            .exec(
                "return Array.from(document.querySelectorAll('#deliveries-table tbody tr:first-child td'))\
                   .map(function (td) { return td.textContent.trim(); });",
                vec![],
            )
            .await;
        assert_eq!(cells[1], json!("nieuw initiatief"), "{cells}");
        assert_eq!(cells[2], json!(url), "{cells}");
        assert_eq!(cells[3], json!("1"), "{cells}");
        assert_eq!(cells[4], json!("afgeleverd (HTTP 200)"), "{cells}");
        findings.check(&p, &axe, "settings with a webhook and a delivery").await;

        // Delete: a second question, "no" keeps it.
        click(&p, "#webhooks-table tbody button.danger").await;
        wait_js(
            &p,
            "the delete question has the focus",
            "return document.activeElement && document.activeElement.id === 'webhook-delete-yes';",
        )
        .await;
        wait_contains(&p, "#webhook-delete-question", &format!("Webhook naar {url} verwijderen?")).await;
        click(&p, "#webhook-delete-no").await;
        wait_js(&p, "no question", "return !document.querySelector('#webhook-delete-question');").await;
        // The focus goes back to the webhooks section, not to the start of the page.
        wait_js(
            &p,
            "the focus on the webhooks heading",
            "return document.activeElement && document.activeElement.id === 'settings-webhooks-title';",
        )
        .await;
        assert_eq!(
            w.admin(Method::GET, "/webhooks", None).await.as_array().map(Vec::len),
            Some(1),
            "\"no\" deleted the webhook"
        );
        assert!(text_of(&p, "#webhooks-table").await.as_str().is_some_and(|t| t.contains(&url)));

        // "Yes": gone, here and on the server.
        click(&p, "#webhooks-table tbody button.danger").await;
        click(&p, "#webhook-delete-yes").await;
        wait_contains(&p, "#webhooks-said", "De webhook is verwijderd.").await;
        wait_text(&p, "#webhooks-none", "Er zijn nog geen webhooks.").await;
        assert_eq!(w.admin(Method::GET, "/webhooks", None).await, json!([]));

        // After a reload too.
        p.reload().await;
        wait_text(&p, "#webhooks-none", "Er zijn nog geen webhooks.").await;

        findings.assert_clean();
    })
    .await;
}

/// "Moderators land on the work" (issue 14): a moderator signing in sees in the navigation
/// how many initiatives wait (a badge, read out as "Moderatie, 1 wachten"), and the
/// moderation screen opens on the first tab with items, every tab with its count. With
/// something pending too, the bare `#/moderation` opens on the approval tab and the
/// navigation counts both; a tab named in the address stays that tab.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_lands_on_the_tab_with_work_and_sees_the_counts() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let moderator = w.token_for("moderator").await;
        // Post-moderation: two published initiatives, one resident reports the first (not
        // enough to hide it).
        let reported = id_of(&w.submit(1, "Reclamezuil bij de school").await);
        w.submit(2, "Bloembakken op de brug").await;
        let answer = w
            .public(&format!("/initiatives/{reported}/report"), 11, json!({ "reason": "Reclame" }))
            .await;
        assert_eq!(answer, json!({ "reported": true }));
        assert_eq!(w.queue("pending").await, Vec::<String>::new());
        assert_eq!(w.queue("reported").await, std::slice::from_ref(&reported));

        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &moderator).await;
        wait_text(&console, "main h1", "Moderatie").await;
        // Nothing waits for approval: the screen opens on the reported tab.
        wait_js(
            &console,
            "the reported tab is the current one",
            "var a = document.querySelector('#queue-reported');\
             return !!a && a.getAttribute('aria-current') === 'page';",
        )
        .await;
        wait_text(&console, "#queue-reported", "Gemeld (1)").await;
        wait_text(&console, "#queue-pending", "Wacht op goedkeuring (0)").await;
        wait_text(&console, "#queue-all", "Alle initiatieven (2)").await;
        wait_text(&console, "#queue-title", "Gemeld").await;
        wait_text(&console, "#queue-table a.queue-item", "Reclamezuil bij de school").await;
        // The navigation: a badge, and words for screen readers.
        wait_text(&console, "#nav-waiting", "1").await;
        let nav = console
            .exec(
                "var a = document.querySelector('#nav-moderation');\
                 var hidden = a.querySelector('.visually-hidden');\
                 return [document.querySelector('#nav-waiting').getAttribute('aria-hidden'),\
                         (a.firstChild.textContent + hidden.textContent).trim()];",
                vec![],
            )
            .await;
        assert_eq!(nav, json!(["true", "Moderatie, 1 wachten"]));
        findings.check(&console, &axe, "moderation landing on the reported tab").await;

        // Pre-moderation: a new initiative waits for approval. Going elsewhere and back,
        // the bare address opens on the approval tab, and the navigation counts both.
        w.admin(Method::PATCH, "", Some(json!({ "moderation": "pre" }))).await;
        let pending = id_of(&w.submit(3, "Skatebaan achter de sporthal").await);
        click(&console, "#nav-audit").await;
        wait_text(&console, "#nav-waiting", "2").await;
        click(&console, "#nav-moderation").await;
        wait_js(
            &console,
            "the approval tab is the current one",
            "var a = document.querySelector('#queue-pending');\
             return !!a && a.getAttribute('aria-current') === 'page' && a.textContent.trim() === 'Wacht op goedkeuring (1)';",
        )
        .await;
        wait_text(&console, "#queue-reported", "Gemeld (1)").await;
        wait_text(&console, "#queue-all", "Alle initiatieven (3)").await;
        element(&console, &queue_item(&pending)).await;

        // A tab named in the address stays that tab, with the counts.
        click(&console, "#queue-all").await;
        wait_js(
            &console,
            "the list of all",
            "return location.hash === '#/moderation/all' && document.querySelector('#queue-all').getAttribute('aria-current') === 'page'\
               && document.querySelectorAll('#queue-table tbody tr').length === 3;",
        )
        .await;
        // Approving the pending one: one fewer waiting, in the tab and the navigation.
        click(&console, &queue_item(&pending)).await;
        click(&console, "#mod-approve").await;
        wait_contains(&console, "#mod-status", "Goedgekeurd").await;
        click(&console, "#back-to-queue").await;
        wait_text(&console, "#queue-pending", "Wacht op goedkeuring (0)").await;
        wait_js(
            &console,
            "the reported tab again",
            "return document.querySelector('#queue-reported').getAttribute('aria-current') === 'page';",
        )
        .await;
        wait_text(&console, "#nav-waiting", "1").await;

        findings.assert_clean();
    })
    .await;
}

/// The community's initiatives page (issue 14): an admin enters an address without a
/// scheme and the server's refusal shows next to the field, with what it must hold; a
/// proper address is saved, public (what the widgets link to) and shown after a reload;
/// emptying the field removes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_the_initiatives_page() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let public = || async {
            let body: Value = w
                .api
                .client
                .get(w.api.community_url(SLUG, ""))
                .send()
                .await
                .expect("public community")
                .json()
                .await
                .expect("public community JSON");
            body["initiatives_page"].clone()
        };
        assert_eq!(public().await, Value::Null);

        let p = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&p, &w.api, &w.token).await;
        element(&p, "#setting-initiatives-page").await;
        assert_eq!(value_of(&p, "#setting-initiatives-page").await, json!(""));

        type_text(&p, "#setting-initiatives-page", "www.baarlo.nl/initiatieven").await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#setting-initiatives-page-error", "http://- of https://-adres").await;
        assert_eq!(
            p.exec("return document.getElementById('setting-initiatives-page').getAttribute('aria-invalid');", vec![]).await,
            json!("true")
        );
        findings.check(&p, &axe, "settings with a refused initiatives page").await;
        assert_eq!(public().await, Value::Null, "nothing saved");

        let page = "https://www.baarlo.nl/initiatieven";
        type_text(&p, "#setting-initiatives-page", page).await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#settings-saved", "Opgeslagen.").await;
        assert!(text_of(&p, "#setting-initiatives-page-error").await.is_null());
        assert_eq!(public().await, json!(page));

        p.reload().await;
        wait_js(
            &p,
            "the saved address after the reload",
            &format!(
                "var i = document.getElementById('setting-initiatives-page'); return !!i && i.value === {};",
                json!(page)
            ),
        )
        .await;
        p.exec(
            "var i = document.getElementById('setting-initiatives-page'); i.value = '';\
             i.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#settings-saved", "Opgeslagen.").await;
        assert_eq!(public().await, Value::Null, "an empty field removes it");

        findings.assert_clean();
    })
    .await;
}
