//! Browser tests of the admin console's flows, end to end: a moderator approves a pending
//! initiative at `/admin` and it shows in the `initiatives` widget on another site; a poll
//! editor creates and opens a poll, a resident votes in the `poll` widget on another site
//! and the console's live control shows the vote, then closes it and the widget says so;
//! the snippet builder's snippet, pasted into a fresh host page, works there. axe-core
//! checks the moderation queue and detail, the poll list, form and control, and the
//! snippet builder (with its preview frame).
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), axe-core from `npm ci --prefix tests`, and `pkg/console/` built by
//! `scripts/build-pkg` (the server embeds it). Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- console_flows::
//! ```
//!
//! As in the other browser tests: the real server (origin B: the API, the bundle, the
//! console) and a host site on another loopback port (origin A) that the community allows.
//! Each browser profile is a WebDriver session with its own `--user-data-dir`: the console
//! user signs in with a token of their role (made over the admin API with the community's
//! admin token) and acts with real WebDriver clicks and key presses; residents act inside
//! the widgets' shadow roots. Waits poll until a condition holds (hang guard 20 s).

use crate::console::{
    choose, click, element, go, sign_in, text_of, type_text, value_of, wait_contains, wait_js,
    wait_text, World, SLUG,
};
use crate::harness::{
    axe_source, host_page, loader_snippet, support_placeholder, with_browser, AxeFindings, Profile,
};
use crate::polls;
use mekaar_tests::{voter_key, VOTER_HEADER};
use reqwest::Method;
use serde_json::json;

// ---------------------------------------------------------------------------------------
// The console, driven through WebDriver (no shadow roots: the console is a normal page).

/// The console's no-inline-script policy is on the page: the tests run against it.
async fn assert_console_csp(w: &World) {
    let response = w
        .api
        .client
        .get(w.api.at("/admin"))
        .send()
        .await
        .expect("GET /admin");
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "CSP: {csp}"
    );
}

// ---------------------------------------------------------------------------------------

/// A moderator signs in, finds the pending initiative in the queue, reads it and approves
/// it; the `initiatives` widget on the host site (origin A) then lists it. A resident
/// joins; the moderator erases that joiner's details on request (after confirming) and
/// the initiator's; the server's admin view agrees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_approves_a_pending_initiative_and_the_host_page_shows_it() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        assert_console_csp(&w).await;
        w.admin(Method::PATCH, "", Some(json!({ "moderation": "pre" }))).await;
        let moderator = w.token_for("moderator").await;
        let submitted = w
            .public(
                "/initiatives",
                1,
                json!({
                    "title": "Bankjes langs de Maas",
                    "summary": "Drie bankjes op het wandelpad.",
                    "story": "Veel ouderen wandelen hier.\n\nEen bankje om even te rusten helpt.",
                    "area": "Dorpskern",
                    "initiator_name": "Anja, Kerkstraat",
                    "contact_email": "anja@example.nl"
                }),
            )
            .await;
        assert_eq!(submitted["moderation"], json!("pending"), "{submitted}");
        let id = submitted["initiative"]["id"].as_str().expect("id").to_string();

        // The host page lists nothing yet.
        let resident = browser.profile().await;
        let page = w.host(
            "/initiatieven.html",
            &format!("<div data-mekaar=\"initiatives\" data-community=\"{SLUG}\"></div>"),
        );
        resident.goto(&page).await;
        resident
            .wait_inside(
                0,
                "the list is ready and empty",
                "return attr('data-state') === 'ready' && qa('.mekaar-card').length === 0;",
            )
            .await;

        // The moderator's console: the queue of pending initiatives.
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &moderator).await;
        wait_text(&console, "#session-role", "moderator (test moderator)").await;
        wait_text(&console, "#queue-table a.queue-item", "Bankjes langs de Maas").await;
        let row = text_of(&console, "#queue-table tbody tr").await;
        assert!(
            row.as_str().is_some_and(|r| r.contains("Dorpskern") && r.contains("wacht op goedkeuring")),
            "queue row: {row}"
        );
        findings.check(&console, &axe, "moderation queue").await;

        // The other tabs are links; the reported queue is empty.
        click(&console, "#queue-reported").await;
        wait_js(&console, "the reported tab", "return !!document.querySelector('#queue-empty');").await;
        click(&console, "#queue-pending").await;

        // The detail: the full text, then approve with a note.
        click(&console, "#queue-table a.queue-item").await;
        wait_text(&console, "main h1", "Bankjes langs de Maas").await;
        wait_contains(&console, "main", "Een bankje om even te rusten helpt.").await;
        wait_contains(&console, "main", "anja@example.nl").await;
        assert_eq!(
            console.exec("return document.activeElement && document.activeElement.tagName;", vec![]).await,
            json!("H1"),
            "the focus moves to the initiative's heading"
        );
        findings.check(&console, &axe, "moderation detail").await;
        type_text(&console, "#mod-note", "Netjes, akkoord.").await;
        click(&console, "#mod-approve").await;
        wait_contains(&console, "#mod-status", "Goedgekeurd").await;
        wait_text(&console, "#mod-state", "gepubliceerd").await;

        // The host page on origin A shows it now.
        resident.reload().await;
        resident
            .wait_inside(
                0,
                "the approved initiative in the list",
                "return attr('data-state') === 'ready' && ts('.mekaar-card-title').join('|') === 'Bankjes langs de Maas';",
            )
            .await;
        resident.assert_no_host_errors().await;

        // The audit log has the note (over the API: the audit screen is another's).
        let audit = w.admin(Method::GET, "/audit", None).await;
        assert!(audit.to_string().contains("Netjes, akkoord."), "audit: {audit}");

        // Edit, status and the official answer, each saying so next to its button.
        type_text(&console, "#edit-title", "Bankjes langs de Maas en de Kerkstraat").await;
        click(&console, "#edit-save").await;
        wait_contains(&console, "#edit-status", "Opgeslagen.").await;
        wait_text(&console, "main h1", "Bankjes langs de Maas en de Kerkstraat").await;
        choose(&console, "#status-select", "seeking_supporters").await;
        click(&console, "#status-save").await;
        wait_text(&console, "#mod-phase", "zoekt medestanders").await;
        type_text(&console, "#answer-text", "De gemeente betaalt twee bankjes.").await;
        type_text(&console, "#answer-by", "Gemeente Peel en Maas").await;
        click(&console, "#answer-save").await;
        wait_contains(&console, "#answer-status", "De reactie is geplaatst.").await;
        let edited = w.admin(Method::GET, &format!("/initiatives/{id}"), None).await;
        assert_eq!(edited["initiative"]["title"], json!("Bankjes langs de Maas en de Kerkstraat"));
        assert_eq!(edited["initiative"]["status"], json!("seeking_supporters"));
        assert_eq!(edited["initiative"]["answer"]["answered_by"], json!("Gemeente Peel en Maas"));

        // A resident joins; the moderator sees the details and erases them on request.
        w.public(
            &format!("/initiatives/{id}/join"),
            2,
            json!({ "name": "Piet", "contact": "06-12345678", "message": "Ik kan timmeren.", "consent": true }),
        )
        .await;
        console.reload().await;
        wait_contains(&console, "#joiners", "06-12345678").await;
        click(&console, "#joiners button.erase-joiner").await;
        // Confirm first: the question takes the focus's button, nothing is erased yet.
        wait_js(&console, "the confirmation", "return document.activeElement && document.activeElement.id === 'erase-yes';").await;
        let before = w.admin(Method::GET, &format!("/initiatives/{id}"), None).await;
        assert_eq!(before["joins"][0]["erased"], json!(false));
        click(&console, "#erase-yes").await;
        wait_contains(&console, "#privacy-status", "gewist").await;
        wait_js(&console, "the joiner erased", "var t = document.querySelector('#joiners').textContent; return t.indexOf('06-12345678') < 0 && t.indexOf('(gewist)') >= 0;").await;
        click(&console, "#erase-initiator").await;
        click(&console, "#erase-yes").await;
        wait_js(&console, "the initiator erased", "return !!document.querySelector('#initiator-erased');").await;
        let after = w.admin(Method::GET, &format!("/initiatives/{id}"), None).await;
        assert_eq!(after["joins"][0]["erased"], json!(true), "{after}");
        assert_eq!(after["joins"][0]["contact"], json!(""), "{after}");
        assert!(after["initiator_erased_at"].is_u64(), "{after}");
        assert!(!after.to_string().contains("anja@example.nl"), "{after}");
        findings.check(&console, &axe, "moderation detail after erasing").await;

        findings.assert_clean();
    })
    .await;
}

/// A poll editor creates a poll in the form, opens it in the live control, a resident
/// votes in the `poll` widget on the host site (another profile), the control shows the
/// vote without a reload (table, total and the throttled announcement), the editor
/// closes it and the widget says it is closed. Reset asks first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_editor_creates_opens_and_closes_a_poll_while_a_resident_votes() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let editor = w.token_for("poll_editor").await;
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &editor).await;
        // A poll editor starts on the polls screen; there are none yet.
        wait_js(&console, "the empty poll list", "return !!document.querySelector('#polls-empty');").await;

        click(&console, "#polls-new").await;
        wait_text(&console, "main h1", "Nieuwe peiling").await;
        type_text(&console, "#poll-question", "Waar komt het nieuwe bankje?").await;
        type_text(&console, "#poll-option-0", "Bij de kerk").await;
        type_text(&console, "#poll-option-1", "Aan de Maas").await;
        click(&console, "#poll-option-add").await;
        wait_js(&console, "the new option field has the focus", "return document.activeElement && document.activeElement.id === 'poll-option-2';").await;
        type_text(&console, "#poll-option-2", "Op het plein").await;
        findings.check(&console, &axe, "new poll form").await;
        click(&console, "#poll-save").await;

        // The live control of the new draft.
        wait_text(&console, "main h1", "Waar komt het nieuwe bankje?").await;
        wait_text(&console, "#poll-phase", "concept").await;
        assert_eq!(
            console.exec("return document.activeElement && document.activeElement.tagName;", vec![]).await,
            json!("H1"),
            "the focus moves to the poll's heading"
        );
        let hash = console.exec("return location.hash;", vec![]).await;
        let id = hash
            .as_str()
            .and_then(|h| h.strip_prefix("#/polls/"))
            .expect("the control's address")
            .to_string();
        let created = w.admin(Method::GET, &format!("/polls/{id}"), None).await;
        assert_eq!(created["poll"]["options"], json!(["Bij de kerk", "Aan de Maas", "Op het plein"]));
        assert_eq!(created["poll"]["max_choices"], json!(1));
        wait_contains(&console, "#poll-live", "Live").await;
        click(&console, "#poll-open").await;
        wait_text(&console, "#poll-phase", "open").await;
        wait_contains(&console, "#poll-action-status", "De peiling is open.").await;
        findings.check(&console, &axe, "poll control, open").await;

        // From here on the console must learn of the vote from its live stream alone:
        // count what it fetches (a reload of the poll would fetch it again).
        console
            .exec(
                "window.__fetched = []; var f = window.fetch;\
                 window.fetch = function (r) { window.__fetched.push(String(r && r.url || r)); return f.apply(this, arguments); };",
                vec![],
            )
            .await;

        // A resident votes on the host page (origin A).
        let resident = browser.profile().await;
        resident
            .goto(&w.host(
                "/peiling.html",
                &format!("<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{id}\"></div>"),
            ))
            .await;
        resident
            .wait_inside(0, "the vote form", "return attr('data-state') === 'ready' && attr('data-phase') === 'open';")
            .await;
        resident.click_in(0, &polls::option_label(1)).await;
        resident.click_in(0, polls::VOTE_BUTTON).await;
        resident
            .wait_inside(0, "the vote is counted", "return attr('data-voted') === 'true';")
            .await;

        // The console follows the live stream: no reload.
        wait_text(&console, "#poll-total", "1 stem").await;
        let votes = console
            .exec("return Array.from(document.querySelectorAll('#poll-totals td.poll-votes')).map(function (td) { return td.textContent; });", vec![])
            .await;
        assert_eq!(votes, json!(["0", "1", "0"]));
        assert_eq!(console.exec("return window.__fetched;", vec![]).await, json!([]), "no reload");
        wait_contains(&console, "#poll-live", "Live").await;
        wait_contains(&console, "#poll-announce", "1 stem").await;
        wait_contains(&console, "#poll-announce", "Aan de Maas: 1").await;
        assert_eq!(
            console.exec("var a = document.querySelector('#poll-announce'); return [a.getAttribute('aria-live'), a.getAttribute('role')];", vec![]).await,
            json!(["polite", "status"])
        );
        findings.check(&console, &axe, "poll control with a vote").await;

        // Reset asks first, with the round; "no" leaves everything as it was.
        click(&console, "#poll-reset").await;
        wait_js(&console, "the reset question", "return document.activeElement && document.activeElement.id === 'poll-reset-yes';").await;
        wait_contains(&console, "#poll-reset-question", "Ronde 1").await;
        click(&console, "#poll-reset-no").await;
        wait_js(&console, "no question", "return !document.querySelector('#poll-reset-question');").await;
        assert_eq!(w.admin(Method::GET, &format!("/polls/{id}"), None).await["results"]["total_votes"], json!(1));

        // Close it: the widget on the host page says so, live.
        click(&console, "#poll-close").await;
        wait_text(&console, "#poll-phase", "gesloten").await;
        resident
            .wait_inside(
                0,
                "the widget says the poll is closed",
                "return attr('data-phase') === 'closed' && t('.mekaar-when') === 'Deze peiling is gesloten.';",
            )
            .await;
        resident.assert_no_host_errors().await;

        // The list shows it with its vote.
        go(&console, "#/polls", None).await;
        wait_text(&console, "#polls-table a.poll-item", "Waar komt het nieuwe bankje?").await;
        let cells = console
            .exec("return Array.from(document.querySelectorAll('#polls-table tbody tr td')).map(function (td) { return td.textContent; });", vec![])
            .await;
        assert_eq!(cells[1], json!("gesloten"), "{cells}");
        assert_eq!(cells[2], json!("1"), "{cells}");
        findings.check(&console, &axe, "poll list").await;

        // The audit log says it in words: the poll by its question, linked to its control.
        go(&console, "#/audit", None).await;
        let rows = wait_js(
            &console,
            "the poll's lines in the audit log",
            "var rows = Array.from(document.querySelectorAll('#audit-table tbody tr'));\
             if (rows.length < 3) return false;\
             return rows.slice(0, 3).map(function (r) {\
               var a = r.cells[3].querySelector('a');\
               return [r.cells[2].textContent, r.cells[3].textContent, a ? a.getAttribute('href') : null, r.cells[4].textContent];\
             });",
        )
        .await;
        let control = format!("#/polls/{id}");
        assert_eq!(
            rows,
            json!([
                ["Peiling gesloten", "Waar komt het nieuwe bankje?", control, ""],
                ["Peiling geopend", "Waar komt het nieuwe bankje?", control, ""],
                ["Peiling gemaakt", "Waar komt het nieuwe bankje?", control, ""]
            ])
        );
        findings.check(&console, &axe, "audit log with polls").await;

        findings.assert_clean();
    })
    .await;
}

/// An admin edits a draft codes poll in the form (its audience shown as it is), opens it,
/// makes a batch of vote codes as a CSV file and as a printable sheet (blob: links, the
/// count follows), and a code from the file votes once; the control shows the vote live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vote_codes_and_editing_from_the_poll_control() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        // A closing time a week ahead, to the second (set over the API; the form shows
        // minutes), which an edit of the question must leave exactly as it was.
        let closes_at = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() / 60 + 7 * 24 * 60) * 60 + 17;
        let poll = w
            .admin(
                Method::POST,
                "/polls",
                Some(json!({ "question": "Welke naam krijgt het plein?", "options": ["Markt", "Brink"], "audience": { "kind": "codes" }, "closes_at": closes_at })),
            )
            .await;
        let id = poll["poll"]["id"].as_str().expect("poll id").to_string();
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &w.token).await;
        go(&console, &format!("#/polls/{id}"), None).await;
        wait_text(&console, "#codes-made", "Tot nu toe gemaakt: 0.").await;

        // Edit the draft: the form shows the poll as it is.
        click(&console, "#poll-edit").await;
        wait_js(&console, "the edit form", "var c = document.querySelector('#poll-audience-codes'); return !!c && c.checked;").await;
        assert_eq!(
            console.exec("return [document.querySelector('#poll-question').value, document.querySelector('#poll-option-1').value, document.querySelector('#poll-single').checked];", vec![]).await,
            json!(["Welke naam krijgt het plein?", "Brink", true])
        );
        type_text(&console, "#poll-question", "Welke naam krijgt het nieuwe plein?").await;
        click(&console, "#poll-save").await;
        wait_text(&console, "main h1", "Welke naam krijgt het nieuwe plein?").await;
        let edited = w.admin(Method::GET, &format!("/polls/{id}"), None).await;
        assert_eq!(edited["poll"]["question"], json!("Welke naam krijgt het nieuwe plein?"));
        assert_eq!(edited["poll"]["audience"], json!({ "kind": "codes" }));
        assert_eq!(edited["poll"]["closes_at"], json!(closes_at), "the edit kept the closing time");
        assert_eq!(edited["poll"]["opens_at"], json!(null));

        click(&console, "#poll-open").await;
        wait_text(&console, "#poll-phase", "open").await;

        // Three codes as CSV: a download link that takes the focus; the count follows. (The
        // page's CSP lets no script fetch a blob: URL, so the test keeps the blobs made.)
        console
            .exec(
                "window.__blobs = {}; var make = URL.createObjectURL;\
                 URL.createObjectURL = function (b) { var u = make.call(URL, b); window.__blobs[u] = b; return u; };",
                vec![],
            )
            .await;
        type_text(&console, "#codes-count", "3").await;
        click(&console, "#codes-csv").await;
        wait_js(&console, "the CSV link has the focus", "var a = document.activeElement; return !!a && a.id === 'codes-link' && a.hasAttribute('download') && a.href.indexOf('blob:') === 0;").await;
        wait_text(&console, "#codes-made", "Tot nu toe gemaakt: 3.").await;
        let csv = console
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];\
                 window.__blobs[document.querySelector('#codes-link').href].text().then(done, function (e) { done('failed: ' + e); });",
                vec![],
            )
            .await
            .expect("read the CSV blob");
        let lines: Vec<&str> = csv.as_str().unwrap_or("").lines().collect();
        assert_eq!(lines.len(), 4, "CSV: {csv}");
        assert_eq!(lines[0], "code");
        findings.check(&console, &axe, "poll control with vote codes").await;

        // A code from the file votes, once; the control shows it.
        let ballot = json!({ "choices": [1], "code": lines[1] });
        w.public(&format!("/polls/{id}/vote"), 7, ballot.clone()).await;
        let again = w
            .api
            .client
            .post(w.api.community_url(SLUG, &format!("/polls/{id}/vote")))
            .header(VOTER_HEADER, voter_key(8))
            .json(&ballot)
            .send()
            .await
            .expect("second vote");
        assert!(again.status().is_client_error(), "a code counts once: {}", again.status());
        wait_text(&console, "#poll-total", "1 stem").await;

        // The printable sheet: opened in a new tab.
        type_text(&console, "#codes-count", "2").await;
        click(&console, "#codes-html").await;
        wait_js(&console, "the sheet link", "var a = document.querySelector('#codes-link'); return !!a && a.target === '_blank' && !a.hasAttribute('download');").await;
        wait_text(&console, "#codes-made", "Tot nu toe gemaakt: 5.").await;
        let sheet = console
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];\
                 window.__blobs[document.querySelector('#codes-link').href].text().then(done, function (e) { done('failed: ' + e); });",
                vec![],
            )
            .await
            .expect("read the sheet blob");
        let sheet = sheet.as_str().unwrap_or("");
        assert!(sheet.contains("Welke naam krijgt het nieuwe plein?") && sheet.matches("<section class=\"card\">").count() == 2, "sheet: {sheet}");

        findings.assert_clean();
    })
    .await;
}

/// The snippet builder: the snippet for a support button is exactly the README's form (the
/// same text the copy button copies); its preview frame runs it, styled; pasted into a
/// fresh host page on the allowed origin it works (a support counts). The same for a poll
/// (a vote counts).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snippet_builder_snippet_works_when_pasted_into_a_fresh_host_page() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let first = w.api.create_initiative(SLUG, &w.token, "Een AED bij de kerk").await;
        let second = w.api.create_initiative(SLUG, &w.token, "Moestuin achter de school").await;
        let poll = w
            .admin(Method::POST, "/polls", Some(json!({ "question": "Welke kleur krijgt de brug?", "options": ["Groen", "Blauw"] })))
            .await;
        let poll_id = poll["poll"]["id"].as_str().expect("poll id").to_string();
        w.admin(Method::POST, &format!("/polls/{poll_id}/state"), Some(json!({ "action": "open" }))).await;

        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &w.token).await;
        go(&console, "#/snippet", None).await;

        // The allowed origins are named, with a link to the settings for an admin.
        wait_contains(&console, "#snippet-origins", &w.site.origin).await;
        element(&console, "#snippet-settings-link").await;

        // A support button for the first initiative.
        click(&console, "#snippet-kind-support").await;
        choose(&console, "#snippet-initiative", &first.id).await;
        // The README's placeholder, holding a link to the initiative on the server (the
        // widget replaces it; it stays when loading fails).
        let want = format!(
            "{}\n{}",
            loader_snippet(&w.api.url),
            support_placeholder(SLUG, &first.id, "").replace(
                "></div>",
                &format!(
                    "><a href=\"{}/embed/support?community={SLUG}&amp;initiative={}\">Steun dit initiatief op Mekaar</a></div>",
                    w.api.url, first.id
                )
            )
        );
        let code = wait_js(
            &console,
            "the support snippet",
            &format!("var t = document.querySelector('#snippet-code'); return t && t.value === {} && t.value;", json!(want)),
        )
        .await;
        assert_eq!(code, json!(want));
        assert_eq!(
            console.exec("var t = document.querySelector('#snippet-code'); return [t.readOnly, !!document.querySelector('label[for=snippet-code]')];", vec![]).await,
            json!([true, true])
        );
        // The copy button copies that very text (the clipboard call is recorded).
        console
            .exec(
                "window.__copied = null; navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); };",
                vec![],
            )
            .await;
        click(&console, "#snippet-copy").await;
        let copied = wait_js(&console, "the copy", "return window.__copied;").await;
        assert_eq!(copied, json!(want));
        wait_contains(&console, "main .copy", "Gekopieerd.").await;

        // The preview frame runs the snippet, with the widget's own styles.
        wait_preview(&console, "the support button in the preview").await;
        inject_axe_into_preview(&console, &axe).await;
        findings.check(&console, &axe, "snippet builder (support)").await;

        // What was copied, pasted into a fresh page of the allowed site: a support counts.
        let resident = browser.profile().await;
        let url = w.site.put(
            "/nieuws/aed.html",
            host_page(
                "Nieuws: een AED bij de kerk",
                "",
                &format!("<p>Steun het plan:</p>\n{}", copied.as_str().expect("copied text")),
            ),
        );
        resident.goto(&url).await;
        resident.wait_widget(0, "the pasted support button", |v| v.settled_at(0, false)).await;
        resident.press(0).await;
        resident.wait_widget(0, "the support counted", |v| v.settled_at(1, true)).await;
        resident.assert_no_host_errors().await;

        // The card of the second initiative in English, dark.
        click(&console, "#snippet-kind-initiative").await;
        choose(&console, "#snippet-initiative", &second.id).await;
        choose(&console, "#snippet-lang", "en").await;
        choose(&console, "#snippet-theme", "dark").await;
        wait_js(
            &console,
            "the card snippet",
            &format!(
                "return document.querySelector('#snippet-code').value.endsWith({});",
                json!(format!(
                    "<div data-mekaar=\"initiative\" data-community=\"{SLUG}\" data-initiative=\"{id}\" data-lang=\"en\" data-theme=\"dark\">\
                     <a href=\"{api}/embed/initiative?community={SLUG}&amp;initiative={id}&amp;lang=en&amp;theme=dark\">See this initiative on Mekaar</a></div>",
                    id = second.id,
                    api = w.api.url,
                ))
            ),
        )
        .await;

        // A poll: pasted, a vote counts.
        click(&console, "#snippet-kind-poll").await;
        choose(&console, "#snippet-poll", &poll_id).await;
        choose(&console, "#snippet-lang", "").await;
        choose(&console, "#snippet-theme", "").await;
        let want = format!(
            "{}\n<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{poll_id}\">\
             <a href=\"{}/embed/poll?community={SLUG}&amp;poll={poll_id}\">Stem in deze peiling op Mekaar</a></div>",
            loader_snippet(&w.api.url),
            w.api.url
        );
        wait_js(
            &console,
            "the poll snippet",
            &format!("return document.querySelector('#snippet-code').value === {};", json!(want)),
        )
        .await;
        wait_preview(&console, "the poll in the preview").await;
        inject_axe_into_preview(&console, &axe).await;
        findings.check(&console, &axe, "snippet builder (poll)").await;
        let url = w.site.put(
            "/peiling.html",
            host_page("De brug", "", &want),
        );
        resident.goto(&url).await;
        resident
            .wait_inside(0, "the pasted poll", "return attr('data-state') === 'ready' && attr('data-phase') === 'open';")
            .await;
        resident.click_in(0, &polls::option_label(0)).await;
        resident.click_in(0, polls::VOTE_BUTTON).await;
        resident
            .wait_inside(0, "the vote is counted", "return attr('data-voted') === 'true';")
            .await;
        resident.assert_no_host_errors().await;
        let totals = w.admin(Method::GET, &format!("/polls/{poll_id}"), None).await;
        assert_eq!(totals["results"]["totals"], json!([1, 0]), "{totals}");

        findings.assert_clean();
    })
    .await;
}

/// Waits until the widget in the preview frame is mounted and styled by its own
/// stylesheet (the console's CSP must let the Shadow DOM's `<style>` apply).
async fn wait_preview(p: &Profile, what: &str) {
    wait_js(
        p,
        what,
        "var f = document.querySelector('#snippet-preview');\
         var d = f && f.contentDocument; if (!d) return false;\
         var host = d.querySelector('[data-mekaar]');\
         var root = host && host.shadowRoot && host.shadowRoot.querySelector('.mekaar-root');\
         if (!root || root.getAttribute('data-state') !== 'ready') return false;\
         return f.contentWindow.getComputedStyle(root).paddingTop === '16px';",
    )
    .await;
}

/// axe-core in the preview frame too, so the page's run checks the frame's content.
async fn inject_axe_into_preview(p: &Profile, axe: &str) {
    let frame = element(p, "#snippet-preview").await;
    frame.enter_frame().await.expect("enter the preview frame");
    p.exec(axe, vec![]).await;
    p.client
        .enter_parent_frame()
        .await
        .expect("back to the console");
}

/// Sets a colour input the way a person's choice does: the value, then an `input` event.
async fn pick_colour(p: &Profile, css: &str, colour: &str) {
    element(p, css).await;
    p.exec(
        "var i = document.querySelector(arguments[0]); i.value = arguments[1];\
         i.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(css), json!(colour)],
    )
    .await;
}

/// The snippet builder's issue-14 promises: the copied snippet holds a fallback link and
/// never `data-preview` (the preview frame's placeholder has it); an accent colour and a
/// font go into the snippet, with the text colour on the accent derived, and a pale accent
/// (#ffee00) gets a polite warning that a proper one does not; for strict CSP hosts the
/// look moves to a stylesheet rule; the iframe form gives the `/embed/{kind}` frame and
/// the optional sizing script. axe-core checks the builder with the warning and the iframe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_snippet_builder_gives_fallbacks_a_checked_look_and_an_iframe() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let first = w.api.create_initiative(SLUG, &w.token, "Een AED bij de kerk").await;
        let api = w.api.url.clone();
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &w.token).await;
        go(&console, "#/snippet", None).await;
        click(&console, "#snippet-kind-support").await;
        choose(&console, "#snippet-initiative", &first.id).await;
        let fallback = format!(
            "<a href=\"{api}/embed/support?community={SLUG}&amp;initiative={}\">Steun dit initiatief op Mekaar</a></div>",
            first.id
        );
        let code = || "return document.querySelector('#snippet-code').value;";
        wait_js(
            &console,
            "the support snippet with its fallback link",
            &format!("return document.querySelector('#snippet-code').value.endsWith({});", json!(fallback)),
        )
        .await;

        // Only the preview is a preview.
        wait_preview(&console, "the support button in the preview").await;
        let preview_attr = console
            .exec(
                "return document.querySelector('#snippet-preview').contentDocument\
                   .querySelector('[data-mekaar]').getAttribute('data-preview');",
                vec![],
            )
            .await;
        assert_eq!(preview_attr, json!("true"));
        console
            .exec(
                "window.__copied = null; navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); };",
                vec![],
            )
            .await;
        click(&console, "#snippet-copy").await;
        let copied = wait_js(&console, "the copy", "return window.__copied;").await;
        let copied = copied.as_str().expect("copied text").to_string();
        assert!(!copied.contains("data-preview"), "{copied}");
        assert!(copied.ends_with(&fallback), "{copied}");

        // A pale yellow accent: written with near-black text on it, and a warning.
        assert_eq!(text_of(&console, "#snippet-contrast").await, json!(""));
        click(&console, "#snippet-accent-on").await;
        pick_colour(&console, "#snippet-accent", "#ffee00").await;
        wait_contains(&console, "#snippet-contrast-warning", "lichte achtergrond").await;
        wait_contains(&console, "#snippet-contrast-warning", "1,2:1").await;
        assert_eq!(
            console.exec("return document.querySelector('#snippet-contrast').getAttribute('role');", vec![]).await,
            json!("status"),
            "the warning is polite"
        );
        let with_accent = console.exec(code(), vec![]).await;
        assert!(
            with_accent.as_str().unwrap().contains(
                " style=\"--mekaar-accent:#ffee00;--mekaar-accent-contrast:#1f2328\"><a href="
            ),
            "{with_accent}"
        );
        findings.check(&console, &axe, "snippet builder (contrast warning)").await;
        // A green that stands out on light and dark backgrounds alike (the widgets' own
        // dark-theme accent) is fine: the warning goes; white text on it.
        pick_colour(&console, "#snippet-accent", "#23804c").await;
        wait_js(
            &console,
            "no warning for a green",
            "return !document.querySelector('#snippet-contrast-warning');",
        )
        .await;
        choose(&console, "#snippet-font", "inherit").await;
        wait_js(
            &console,
            "the look in the snippet",
            "return document.querySelector('#snippet-code').value.indexOf(\
               ' style=\"--mekaar-accent:#23804c;--mekaar-accent-contrast:#ffffff;--mekaar-font:inherit\"') > 0;",
        )
        .await;
        // The preview shows the look: the widget's accent is the chosen one.
        wait_js(
            &console,
            "the preview with the accent",
            "var d = document.querySelector('#snippet-preview').contentDocument;\
             var host = d && d.querySelector('[data-mekaar]');\
             return !!host && host.style.getPropertyValue('--mekaar-accent') === '#23804c';",
        )
        .await;

        // A host whose CSP forbids style attributes: the look becomes a stylesheet rule.
        click(&console, "#snippet-style-sheet").await;
        wait_js(
            &console,
            "the rule for the host's stylesheet",
            "var c = document.querySelector('#snippet-css');\
             return !!c && c.value === '[data-mekaar]{--mekaar-accent:#23804c;--mekaar-accent-contrast:#ffffff;--mekaar-font:inherit}'\
               && document.querySelector('#snippet-code').value.indexOf('style=') < 0;",
        )
        .await;

        // The iframe, for sites that allow no script; in English.
        choose(&console, "#snippet-lang", "en").await;
        click(&console, "#snippet-form-iframe").await;
        let want = format!(
            "<iframe src=\"{api}/embed/support?community={SLUG}&amp;initiative={}&amp;lang=en\" \
             title=\"Mekaar: support this initiative\" loading=\"lazy\" style=\"width:100%;border:0;height:160px\"></iframe>",
            first.id
        );
        wait_js(
            &console,
            "the iframe snippet",
            &format!("return document.querySelector('#snippet-code').value === {};", json!(want)),
        )
        .await;
        wait_contains(&console, "#snippet-iframe-look", "Accentkleur en lettertype").await;
        let resize = value_of(&console, "#snippet-resize").await;
        let resize = resize.as_str().expect("the sizing script");
        assert!(resize.contains(&format!("e.origin !== \"{api}\"")), "{resize}");
        assert!(resize.contains("e.data.mekaar !== \"height\""), "{resize}");
        assert!(!resize.contains("data-preview"), "{resize}");
        // The preview still runs the widget, as a preview.
        wait_preview(&console, "the preview beside the iframe snippet").await;
        inject_axe_into_preview(&console, &axe).await;
        findings.check(&console, &axe, "snippet builder (iframe)").await;

        findings.assert_clean();
    })
    .await;
}
