//! Browser tests of the admin console's shell and the screens of community admins: signing
//! in at `/admin` (a wrong token is refused inline), the settings screen (the community's
//! name saved and still there after a reload, a field the server refuses marked inline, a
//! token made and shown once), a moderator's narrower console (no settings, the settings
//! route says not allowed), the audit log and export screens, the English switch
//! (remembered), signing out (back at sign-in, and the server refuses the old cookie), and
//! that no script can read the session cookie; a moderator signs in and approves with the
//! keyboard alone, the focus visible at every stop. axe-core checks sign-in, settings,
//! audit and export.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), axe-core from `npm ci --prefix tests`, and `pkg/console/` built by
//! `scripts/build-pkg` (the server embeds it). Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser -- console_shell::
//! ```
//!
//! The real server on a loopback port; each browser profile is a WebDriver session with
//! its own `--user-data-dir`. People act with real WebDriver clicks and key presses; waits
//! poll until a condition holds (hang guard `harness::PATIENCE`).

use crate::console::{
    click, element, go, heading, open_console, press_keys, sign_in, submit_token, tab_to,
    type_text, value_of, wait_contains, wait_js, World, ENTER, SLUG,
};
use crate::harness::{axe_source, with_browser, AxeFindings, Profile};
use reqwest::Method;
use serde_json::json;

/// The hrefs of the navigation's links.
async fn nav_links(p: &Profile) -> Vec<String> {
    let links = p
        .exec(
            "return Array.from(document.querySelectorAll('.layout > nav a')).map(function (a) {\
               return a.getAttribute('href'); });",
            vec![],
        )
        .await;
    serde_json::from_value(links).expect("nav links")
}

/// The session cookie as WebDriver sees it (WebDriver sees HttpOnly cookies; scripts in
/// the page must not).
async fn session_cookie(p: &Profile) -> Option<fantoccini::cookies::Cookie<'static>> {
    p.client
        .get_all_cookies()
        .await
        .expect("cookies")
        .into_iter()
        .find(|c| c.name() == "mekaar_session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_signs_in_changes_settings_reads_the_log_exports_and_signs_out() {
    let w = World::start().await;
    let axe = axe_source();
    with_browser(move |browser| async move {
        let mut findings = AxeFindings::default();
        let p = browser.profile().await;

        // Sign-in, in Dutch; a wrong token is refused in the alert next to the field.
        open_console(&p, &w.api).await;
        assert_eq!(
            p.exec("return document.documentElement.lang;", vec![]).await,
            json!("nl")
        );
        findings.check(&p, &axe, "sign-in").await;
        submit_token(&p, "mk_0000000000000000000000000000000000000000000000000000000000000000").await;
        wait_contains(&p, "#signin-error[role=alert]", "Dit token klopt niet.").await;
        assert_eq!(
            p.exec(
                "return document.getElementById('signin-token').getAttribute('aria-invalid');",
                vec![]
            )
            .await,
            json!("true")
        );
        assert!(session_cookie(&p).await.is_none(), "no session for a wrong token");

        // The community's admin token: the settings screen of the community.
        submit_token(&p, &w.token).await;
        wait_js(&p, "signed in", "return !!document.querySelector('button.sign-out');").await;
        wait_js(
            &p,
            "the settings form",
            "var n = document.getElementById('setting-name'); return n && n.value;",
        )
        .await;
        assert_eq!(heading(&p).await, "Instellingen");
        assert_eq!(value_of(&p, "#setting-name").await, json!(format!("Community {SLUG}")));
        wait_contains(&p, "#community-name", &format!("Community {SLUG}")).await;
        wait_contains(&p, "#session-role", "beheerder").await;
        assert_eq!(
            p.exec(
                "var a = document.querySelector('.layout > nav a[aria-current=page]'); \
                 return a ? a.getAttribute('href') : null;",
                vec![]
            )
            .await,
            json!("#/settings")
        );
        assert_eq!(
            nav_links(&p).await,
            [
                "#/settings",
                "#/moderation",
                "#/reactions",
                "#/topics",
                "#/steps",
                "#/polls",
                "#/snippet",
                "#/audit",
                "#/export"
            ]
        );

        // The session cookie is there, HttpOnly and SameSite=Strict: no script reads it.
        let cookie = session_cookie(&p).await.expect("the session cookie");
        assert_eq!(cookie.http_only(), Some(true));
        assert_eq!(format!("{:?}", cookie.same_site()), "Some(Strict)");
        let readable = p.exec("return document.cookie;", vec![]).await;
        assert!(
            !readable.as_str().unwrap_or_default().contains("mekaar_session"),
            "document.cookie shows the session: {readable}"
        );
        // Wait for the token list and webhooks before axe looks.
        element(&p, "#tokens-table").await;
        element(&p, "#webhooks-none").await;
        findings.check(&p, &axe, "settings").await;

        // Change the name: saved, the header follows, a reload shows it.
        type_text(&p, "#setting-name", "Baarlo aan de Maas").await;
        click(&p, "#settings-save").await;
        wait_contains(&p, "#settings-saved", "Opgeslagen.").await;
        wait_contains(&p, "#community-name", "Baarlo aan de Maas").await;
        let stored = w.admin(Method::GET, "", None).await;
        assert_eq!(stored["name"], json!("Baarlo aan de Maas"));
        p.reload().await;
        wait_js(
            &p,
            "the settings form after the reload",
            "var n = document.getElementById('setting-name'); \
             return n && n.value === 'Baarlo aan de Maas';",
        )
        .await;

        // A field the server refuses is marked next to it and gets the focus.
        type_text(&p, "#setting-allowed-origins", "niet een adres").await;
        click(&p, "#settings-save").await;
        wait_js(
            &p,
            "the origins field marked",
            "var f = document.getElementById('setting-allowed-origins');\
             return f.getAttribute('aria-invalid') === 'true' \
               && !!document.getElementById('setting-allowed-origins-error') \
               && document.activeElement === f;",
        )
        .await;
        // Said in the console's language (the server's own message is English).
        assert_eq!(
            p.exec("return document.getElementById('setting-allowed-origins-error').textContent.trim();", vec![]).await,
            json!("Alleen adressen als https://www.baarlo.nl (schema en host, zonder pad), hoogstens 50.")
        );
        let stored = w.admin(Method::GET, "", None).await;
        assert_eq!(stored["allowed_origins"], json!([w.site.origin]));

        // A moderator's token, made here and shown once.
        type_text(&p, "#token-label", "Marieke").await;
        element(&p, "#token-role")
            .await
            .select_by_value("moderator")
            .await
            .expect("choose a role");
        click(&p, "#token-create").await;
        let moderator = wait_js(
            &p,
            "the new token",
            "var c = document.getElementById('token-value'); return c && c.textContent.trim();",
        )
        .await
        .as_str()
        .expect("token text")
        .to_string();
        assert!(moderator.starts_with("mk_"), "{moderator}");
        wait_contains(&p, "#tokens-table", "Marieke").await;

        // The audit log: newest first, with the token just made among its lines.
        go(&p, "#/audit", Some("Logboek")).await;
        wait_js(
            &p,
            "the audit log",
            "return !!document.querySelector('#audit-table, #audit-empty');",
        )
        .await;
        // In words, not the server's action codes.
        wait_contains(&p, "#audit-table", "Toegangstoken gemaakt").await;
        // The rename above, with the setting by its label.
        let settings_row = p
            .exec(
                "var rows = Array.from(document.querySelectorAll('#audit-table tbody tr'));\
                 var r = rows.find(function (r) { return r.cells[2].textContent === 'Instellingen gewijzigd'; });\
                 return r ? r.cells[4].textContent : null;",
                vec![],
            )
            .await;
        assert_eq!(settings_row, json!("Naam"));
        findings.check(&p, &axe, "audit").await;

        // Export: the community's JSON Lines download, for this session only.
        go(&p, "#/export", Some("Export")).await;
        let href = p
            .exec(
                "return document.getElementById('export-download').getAttribute('href');",
                vec![],
            )
            .await;
        assert_eq!(href, json!(format!("/api/v1/admin/communities/{SLUG}/export")));
        let first_line = p
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];\
                 fetch(arguments[0], { credentials: 'same-origin' })\
                   .then(function (r) { return r.text().then(function (t) {\
                     done({ status: r.status, first: t.split('\\n')[0] }); }); })\
                   .catch(function (e) { done({ error: String(e) }); });",
                vec![href],
            )
            .await
            .expect("fetch the export");
        assert_eq!(first_line["status"], json!(200), "{first_line}");
        assert!(
            first_line["first"].as_str().unwrap_or_default().starts_with('{'),
            "{first_line}"
        );
        findings.check(&p, &axe, "export").await;

        // English, remembered by this browser.
        click(&p, ".topbar .lang-switch button[lang=en]").await;
        wait_js(
            &p,
            "English",
            "return document.documentElement.lang === 'en' \
               && document.querySelector('main h1').textContent.trim() === 'Export' \
               && document.querySelector('.layout > nav a[href=\"#/audit\"]').textContent.trim() === 'Audit log';",
        )
        .await;
        p.goto(&w.api.at("/admin#/settings")).await;
        wait_js(
            &p,
            "English after a reload",
            "var h = document.querySelector('main h1'); \
             return !!h && h.textContent.trim() === 'Settings';",
        )
        .await;
        findings.check(&p, &axe, "settings in English").await;
        go(&p, "#/polls/new", None).await;
        findings.check(&p, &axe, "the new poll form in English").await;

        // Signing out: back at sign-in, and the server refuses the old cookie.
        let cookie = session_cookie(&p).await.expect("the session cookie");
        click(&p, "button.sign-out").await;
        element(&p, "#signin-token").await;
        let answer = w
            .api
            .client
            .get(w.api.at("/api/v1/session"))
            .header("cookie", format!("mekaar_session={}", cookie.value()))
            .send()
            .await
            .expect("session request");
        assert_eq!(answer.status(), 401, "the old cookie still works");
        let answer = w
            .api
            .client
            .get(w.api.at(&format!("/api/v1/admin/communities/{SLUG}")))
            .header("cookie", format!("mekaar_session={}", cookie.value()))
            .send()
            .await
            .expect("admin request");
        assert_eq!(answer.status(), 401, "the old cookie still reaches the admin API");

        // A moderator: no settings, polls or export in the menu, and the settings route says no.
        let m = browser.profile().await;
        sign_in(&m, &w.api, &moderator).await;
        wait_js(
            &m,
            "the moderator's first screen",
            "var h = document.querySelector('main h1'); \
             return !!h && h.textContent.trim() === 'Moderatie';",
        )
        .await;
        let links = nav_links(&m).await;
        assert_eq!(
            links,
            [
                "#/moderation",
                "#/reactions",
                "#/topics",
                "#/steps",
                "#/snippet",
                "#/audit"
            ]
        );
        go(&m, "#/settings", Some("Geen toegang")).await;
        wait_contains(&m, "#screen-message", "Met jouw rol kun je dit scherm niet gebruiken.").await;
        go(&m, "#/export", Some("Geen toegang")).await;
        go(&m, "#/audit", Some("Logboek")).await;

        findings.assert_clean();
    })
    .await;
}

/// A moderator who uses no mouse: Tab reaches the token field, Enter signs in, Tab reaches
/// the pending initiative and Enter opens it, Tab reaches the note and the approve button
/// and Enter approves; the focus can be seen at every stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_signs_in_and_approves_with_the_keyboard_alone() {
    with_browser(|browser| async move {
        let w = World::start().await;
        w.admin(Method::PATCH, "", Some(json!({ "moderation": "pre" }))).await;
        let moderator = w.token_for("moderator").await;
        let submitted = w
            .public(
                "/initiatives",
                3,
                json!({ "title": "Een moestuin bij de school", "summary": "Kinderen kweken groente.", "initiator_name": "Bram" }),
            )
            .await;
        let id = submitted["initiative"]["id"].as_str().expect("id").to_string();

        let p = browser.profile().await;
        open_console(&p, &w.api).await;
        tab_to(&p, "#signin-token", 10).await;
        press_keys(&p, &moderator).await;
        press_keys(&p, ENTER).await;
        wait_js(&p, "signed in", "return !!document.querySelector('button.sign-out');").await;

        tab_to(&p, "#queue-table a.queue-item", 40).await;
        press_keys(&p, ENTER).await;
        wait_js(
            &p,
            "the initiative's page",
            "var h = document.querySelector('main h1'); return !!h && h.textContent.trim() === 'Een moestuin bij de school';",
        )
        .await;
        tab_to(&p, "#mod-note", 40).await;
        press_keys(&p, "Mooi plan.").await;
        tab_to(&p, "#mod-approve", 10).await;
        press_keys(&p, ENTER).await;
        wait_contains(&p, "#mod-status", "Goedgekeurd").await;

        let stored = w.admin(Method::GET, &format!("/initiatives/{id}"), None).await;
        assert_eq!(stored["moderation"], json!("published"), "{stored}");
    })
    .await;
}
