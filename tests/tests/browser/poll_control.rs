//! Browser test of the editor's control link `/control/{poll}`: it leads to the admin
//! console's live control of that poll (one live control, in the console's bundle; the
//! residents' bundle carries none of it). The editor opens the link, signs in (a wrong
//! token is refused inline), lands on that poll's control, and opens, closes, reveals and
//! resets while the resident's widget on a host page and the overlay follow live. A
//! control link of another community's poll says what to do, and signing in with that
//! community's token opens it. axe-core checks the sign-in and the control.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), axe-core from `npm ci --prefix tests`, and `pkg/console/` built by
//! `scripts/build-pkg` (the server embeds it). Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- poll_control::
//! ```
//!
//! As in the other browser tests: the real server (origin B: the API, the bundles, the
//! console, the overlay) and a host site on another loopback port (origin A) that the
//! community allows. Each browser profile is a WebDriver session with its own
//! `--user-data-dir`. The editor acts with real WebDriver clicks and key presses; polls are
//! made and votes cast over the HTTP API. Waits poll until a condition holds (hang guard
//! `harness::PATIENCE`); the one bounded wait (the overlay following a reveal) prints the
//! latency it saw.

use std::time::Duration;

use crate::console::{
    click, element, submit_token, wait_contains, wait_js, wait_text, World, SLUG,
};
use crate::harness::{axe_source, with_browser, AxeFindings, Profile};
use crate::polls::{results, wait_phase, wait_total};
use reqwest::Method;
use serde_json::{json, Value};

/// Where the page is now: path and fragment.
async fn address(p: &Profile) -> Value {
    p.exec("return location.pathname + location.hash;", vec![])
        .await
}

/// Waits for the live control of the poll asking `question`, with the stream connected.
async fn wait_control(p: &Profile, question: &str) {
    wait_text(p, "main h1", question).await;
    wait_contains(p, "#poll-live", "Live:").await;
}

/// The script that tells whether the button `css` is there and may be pressed now.
fn may_press(css: &str) -> String {
    format!(
        "var b = document.querySelector({}); return !!b && b.getAttribute('aria-disabled') !== 'true';",
        json!(css)
    )
}

async fn enabled(p: &Profile, css: &str) -> Value {
    p.exec(&may_press(css), vec![]).await
}

async fn wait_enabled(p: &Profile, css: &str) {
    wait_js(p, &format!("{css} may be pressed"), &may_press(css)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_link_opens_the_consoles_control_which_drives_the_widget_and_the_overlay() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let mut findings = AxeFindings::default();
        let question = "Wie wint de talentenjacht?";
        let created = w
            .admin(
                Method::POST,
                "/polls",
                Some(json!({ "question": question, "options": ["Anna", "Bram"], "results": "when_revealed" })),
            )
            .await;
        let id = created["poll"]["id"].as_str().expect("poll id").to_string();
        let code = created["poll"]["join_code"].as_str().expect("join code").to_string();
        w.admin(Method::POST, &format!("/polls/{id}/state"), Some(json!({ "action": "open" }))).await;
        let editor_token = w.token_for("poll_editor").await;

        // The control link leads to the console, which asks for the sign-in first and says
        // the poll's control opens next (headless Chromium speaks English; the editor
        // switches to Dutch, which the console remembers).
        let editor = browser.profile().await;
        editor.goto(&w.api.at(&format!("/control/{id}"))).await;
        element(&editor, "#signin-token").await;
        assert_eq!(address(&editor).await, json!(format!("/admin#/polls/{id}")));
        click(&editor, ".signin-lang button[lang=nl]").await;
        wait_text(&editor, "#signin-then", "Na het inloggen opent de bediening van de peiling.").await;
        findings.check(&editor, &axe, "control link, sign-in").await;
        submit_token(&editor, "not-the-token").await;
        wait_contains(&editor, "#signin-error", "Dit token klopt niet.").await;
        submit_token(&editor, &editor_token).await;

        // Signed in: that poll's control, not the console's start.
        wait_control(&editor, question).await;
        assert_eq!(address(&editor).await, json!(format!("/admin#/polls/{id}")));
        wait_text(&editor, "#poll-phase", "open").await;
        wait_text(&editor, "#poll-round", "1").await;
        // On air at a glance: the big state, the focus on the first control that can act
        // (the poll is open: close), reset looking destructive, and what is on air.
        wait_text(&editor, "#poll-state-badge", "OPEN: er kan gestemd worden").await;
        wait_js(&editor, "the focus on the first control that can act",
            "return document.activeElement && document.activeElement.id === 'poll-close';").await;
        assert_eq!(
            editor.exec("var r = document.querySelector('#poll-reset'); return r.classList.contains('danger');", vec![]).await,
            json!(true),
            "reset is styled as destructive"
        );
        assert_eq!(
            editor.exec("return document.querySelector('#poll-preview').getAttribute('src');", vec![]).await,
            json!(w.api.at(&format!("/overlay/{id}")))
        );
        crate::overlay::save(&editor, "console-control-open").await;
        if std::env::var("MEKAAR_SCREENSHOTS").is_ok() {
            editor.exec("window.scrollTo(0, 0);", vec![]).await;
            crate::overlay::save(&editor, "console-control-top").await;
            editor.exec("document.querySelector('#poll-preview').scrollIntoView();", vec![]).await;
            crate::overlay::save(&editor, "console-control-preview").await;
        }
        assert_eq!(
            editor.exec("return document.querySelector('#poll-phone-link').getAttribute('href');", vec![]).await,
            json!(w.api.at(&format!("/p/{code}")))
        );
        wait_text(&editor, "#poll-join-code", &code).await;
        // A reload during the broadcast does not ask to sign in again.
        editor.reload().await;
        wait_control(&editor, question).await;

        // The resident's widget on the host page, and the overlay.
        let resident = browser.profile().await;
        resident
            .goto(&w.host(
                "/talenten.html",
                &format!("<div data-mekaar=\"poll\" data-community=\"{SLUG}\" data-poll=\"{id}\"></div>"),
            ))
            .await;
        wait_phase(&resident, 0, "open").await;
        let overlay = browser.profile().await;
        overlay.goto(&w.api.at(&format!("/overlay/{id}?theme=light"))).await;
        wait_phase(&overlay, 0, "open").await;
        let hidden = results(&overlay, 0).await;
        assert_eq!(hidden["hidden"], json!("De uitslag volgt zodra die bekend wordt gemaakt."), "{hidden}");
        assert_eq!(hidden["total"], json!(null), "no totals before the reveal: {hidden}");

        // Votes arrive: the editor sees them live.
        w.public(&format!("/polls/{id}/vote"), 1, json!({ "choices": [0] })).await;
        w.public(&format!("/polls/{id}/vote"), 2, json!({ "choices": [0] })).await;
        wait_text(&editor, "#poll-total", "2 stemmen").await;
        findings.check(&editor, &axe, "control from the link, live").await;

        // Close and open: the widget follows without a reload.
        click(&editor, "#poll-close").await;
        wait_phase(&resident, 0, "closed").await;
        let closed = resident
            .inside(0, "return { when: t('.mekaar-when'), form: !!q('form.mekaar-vote-form') };")
            .await;
        assert_eq!(closed, json!({ "when": "Deze peiling is gesloten.", "form": false }));
        wait_text(&editor, "#poll-phase", "gesloten").await;
        wait_text(&editor, "#poll-state-badge", "GESLOTEN: stemmen kan niet meer").await;
        assert_eq!(enabled(&editor, "#poll-close").await, json!(false), "closing again is not offered");
        wait_enabled(&editor, "#poll-open").await;
        click(&editor, "#poll-open").await;
        wait_phase(&resident, 0, "open").await;
        resident
            .wait_inside(0, "the vote form again, without a reload", "return !!q('form.mekaar-vote-form');")
            .await;

        // Reveal: the overlay shows the totals of this `when_revealed` poll.
        assert_eq!(overlay.inside(0, "return t('.mekaar-total');").await, json!(null));
        wait_enabled(&editor, "#poll-reveal").await;
        click(&editor, "#poll-reveal").await;
        let seen = wait_total(&overlay, 0, "2 stemmen in totaal", Duration::from_secs(5)).await;
        println!("overlay showed the revealed totals after {seen:?}");
        assert!(seen.is_some(), "reveal did not reach the overlay: {}", results(&overlay, 0).await);
        let shown = results(&overlay, 0).await;
        assert_eq!(shown["rows"][0], json!(["Anna", "2 stemmen (100%)"]), "{shown}");
        wait_contains(&editor, "#poll-action-status", "De uitslag is nu voor iedereen zichtbaar.").await;
        assert_eq!(enabled(&editor, "#poll-hide").await, json!(true));
        assert_eq!(enabled(&editor, "#poll-reveal").await, json!(false));

        // Reset: asks first, naming the round; then round 2 with no votes.
        click(&editor, "#poll-reset").await;
        wait_contains(&editor, "#poll-reset-question", "Ronde 1").await;
        assert_eq!(
            w.admin(Method::GET, &format!("/polls/{id}"), None).await["results"]["total_votes"],
            json!(2),
            "nothing reset before the confirm"
        );
        click(&editor, "#poll-reset-yes").await;
        wait_text(&editor, "#poll-round", "2").await;
        wait_text(&editor, "#poll-total", "0 stemmen").await;
        assert_eq!(
            w.admin(Method::GET, &format!("/polls/{id}"), None).await["results"]["total_votes"],
            json!(0)
        );
        findings.check(&editor, &axe, "control from the link, after a reset").await;

        // The control link of another community's poll: this session cannot see it; the
        // console says what to do, and signing in with that community's token opens it.
        let other = w.api.create_community("elders", &[&w.site.origin]).await;
        let elsewhere = w
            .api
            .admin_call(
                &other.admin_token,
                Method::POST,
                "elders",
                "/polls",
                Some(json!({ "question": "Waar komt de kermis?", "options": ["Plein", "Weide"] })),
            )
            .await;
        let other_id = elsewhere["poll"]["id"].as_str().expect("poll id").to_string();
        editor.goto(&w.api.at(&format!("/control/{other_id}"))).await;
        wait_contains(&editor, "#poll-elsewhere", "Log dan in met het token van die gemeenschap").await;
        findings.check(&editor, &axe, "control link of another community's poll").await;
        click(&editor, "#poll-switch").await;
        element(&editor, "#signin-token").await;
        assert_eq!(address(&editor).await, json!(format!("/admin#/polls/{other_id}")));
        submit_token(&editor, &other.admin_token).await;
        wait_control(&editor, "Waar komt de kermis?").await;
        wait_text(&editor, "#poll-phase", "concept").await;

        // Signing out forgets the session: a reload asks to sign in again.
        click(&editor, "button.sign-out").await;
        element(&editor, "#signin-token").await;
        editor.reload().await;
        element(&editor, "#signin-token").await;
        assert_eq!(
            editor.exec("return !!document.querySelector('button.sign-out');", vec![]).await,
            json!(false)
        );

        resident.assert_no_host_errors().await;
        findings.assert_clean();
    })
    .await;
}
