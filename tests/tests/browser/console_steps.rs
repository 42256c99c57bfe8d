//! Browser tests of the console's next steps (issue 16): an admin lays out the steps on
//! `#/steps` (add, reorder, a threshold, a link; a refused link is shown at its field),
//! a moderator ticks one for an initiative in the moderation screen (a locked step cannot
//! be ticked until its threshold is reached) and the funnel on `#/steps` changes. axe-core
//! checks every view, in light and dark.
//!
//! With `MEKAAR_SCREENSHOTS=DIR` the screens are also saved as PNGs (390 and 1280 px wide,
//! light and dark) in DIR.
//!
//! NEEDS: as every browser test (see `main.rs`). Run with
//!
//! ```text
//! cargo test -p mekaar-tests --test browser -- console_steps::
//! ```

use crate::console::{
    choose, click, go, sign_in, type_text, wait_contains, wait_js, wait_text, World,
};
use crate::harness::{axe_source, with_browser, AxeFindings, Profile};
use mekaar_tests::{voter_key, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

/// Saves the page as `name.png` in `MEKAAR_SCREENSHOTS` at `width` px, the whole page tall.
async fn shoot(p: &Profile, name: &str, width: u32) {
    let Ok(dir) = std::env::var("MEKAAR_SCREENSHOTS") else {
        return;
    };
    p.client
        .set_window_size(width, 900)
        .await
        .expect("window size");
    let height = p
        .exec("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .unwrap_or(900)
        .min(4000);
    p.client
        .set_window_size(width, height as u32 + 120)
        .await
        .expect("window size");
    let png = p.client.screenshot().await.expect("screenshot");
    std::fs::write(format!("{dir}/{name}-{width}.png"), png).expect("write screenshot");
    p.client
        .set_window_size(1280, 900)
        .await
        .expect("window size");
}

/// The funnel row `n`'s two numbers (done, here now) as the table shows them.
async fn funnel_row(p: &Profile, n: usize) -> Value {
    p.exec(
        "var r = document.querySelector('#funnel-' + arguments[0]); if (!r) return null;\
         return Array.from(r.querySelectorAll('.funnel-value')).map(e => e.textContent.trim());",
        vec![json!(n)],
    )
    .await
}

async fn wait_funnel_row(p: &Profile, n: usize, done: &str, current: &str) {
    wait_js(
        p,
        &format!("funnel row {n}: {done} done, {current} here now"),
        &format!(
            "var r = document.querySelector('#funnel-{n}'); if (!r) return false;\
             var v = Array.from(r.querySelectorAll('.funnel-value')).map(e => e.textContent.trim());\
             return v[0] === '{done}' && v[1] === '{current}';"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_lays_out_steps_a_moderator_ticks_one_and_the_funnel_follows() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        // Two published initiatives (a resident's, so it has an initiator).
        let mut ids = Vec::new();
        for title in ["Jeu de boules-baan bij het dorpshuis", "Bankjes langs de Maas"] {
            let made = w
                .admin(
                    Method::POST,
                    "/initiatives",
                    Some(json!({ "title": title, "summary": "Samen iets moois maken voor het dorp." })),
                )
                .await;
            ids.push(made["id"].as_str().expect("id").to_string());
        }

        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &w.token).await;
        go(&console, "#/steps", Some("Stappen")).await;
        wait_text(&console, "#funnel-empty", "Zodra er stappen zijn, zie je hier waar de initiatieven staan.").await;
        wait_contains(&console, "#steps-empty", "nog geen stappen").await;
        findings.check(&console, &axe, "steps, empty").await;

        // Three steps; the third first typed as the first, then moved down twice.
        click(&console, "#steps-add").await;
        type_text(&console, "#step-0-title", "Vraag het leefbaarheidsbudget aan").await;
        type_text(&console, "#step-0-link", "peelenmaas.nl/budget").await;
        choose(&console, "#step-0-status", "in_progress").await;
        click(&console, "#steps-add").await;
        type_text(&console, "#step-1-title", "Zoek 3 medestanders").await;
        type_text(&console, "#step-1-supports", "3").await;
        click(&console, "#steps-add").await;
        type_text(&console, "#step-2-title", "Meld je initiatief bij de dorpsraad").await;
        click(&console, "#step-0-down").await;
        click(&console, "#step-1-down").await;
        wait_js(&console, "the budget step is last", "return document.querySelector('#step-2-title').value === 'Vraag het leefbaarheidsbudget aan';").await;

        // The link without https:// is refused by the server, at its field.
        click(&console, "#steps-save").await;
        wait_contains(&console, "#step-2-link-error", "http").await;
        assert_eq!(
            console.exec("return document.querySelector('#step-2-link').getAttribute('aria-invalid');", vec![]).await,
            json!("true")
        );
        wait_js(&console, "the focus on the refused field", "return document.activeElement && document.activeElement.id === 'step-2-link';").await;
        findings.check(&console, &axe, "steps, refused link").await;
        assert!(w.admin(Method::GET, "/steps", None).await.as_array().unwrap().is_empty());

        console.exec("document.querySelector('#step-2-link').value = '';", vec![]).await;
        type_text(&console, "#step-2-link", "https://www.peelenmaas.nl/budget").await;
        click(&console, "#steps-save").await;
        wait_text(&console, "#steps-status", "Opgeslagen.").await;
        let saved = w.admin(Method::GET, "/steps", None).await;
        let titles: Vec<&str> = saved.as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Zoek 3 medestanders", "Meld je initiatief bij de dorpsraad", "Vraag het leefbaarheidsbudget aan"]);
        assert_eq!(saved[0]["unlock_supports"], json!(3));
        assert_eq!(saved[2]["unlock_status"], json!("in_progress"));
        assert_eq!(saved[2]["link"], json!("https://www.peelenmaas.nl/budget"));
        // Both initiatives are at the first step.
        wait_funnel_row(&console, 0, "0", "2").await;
        wait_contains(&console, "#funnel caption", "2 initiatieven").await;
        findings.check(&console, &axe, "steps, saved, funnel").await;
        shoot(&console, "console-steps-light", 1280).await;
        shoot(&console, "console-steps-light", 390).await;

        // A moderator ticks for the initiator: the first step is locked (no supports yet),
        // the second is open.
        let moderator = w.token_for("moderator").await;
        let m = browser.profile().await;
        sign_in(&m, &w.api, &moderator).await;
        go(&m, &format!("#/moderation/{}", ids[0]), None).await;
        wait_contains(&m, "#mod-steps", "Zoek 3 medestanders").await;
        wait_contains(&m, "#mod-steps", "Op slot tot: 3 steunbetuigingen").await;
        assert_eq!(m.exec("return document.querySelector('#mod-step-0').disabled;", vec![]).await, json!(true));
        findings.check(&m, &axe, "moderation, steps of an initiative").await;
        click(&m, "#mod-step-1").await;
        wait_text(&m, "#mod-steps-status", "Opgeslagen.").await;
        wait_contains(&m, "#mod-steps", "Afgevinkt op").await;
        let ticked: Value = w.api.client
            .get(w.api.community_url(crate::console::SLUG, &format!("/initiatives/{}/steps", ids[0])))
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(ticked["steps"][1]["done"], json!(true), "{ticked}");
        shoot(&m, "console-steps-moderation-light", 1280).await;
        shoot(&m, "console-steps-moderation-light", 390).await;

        // Three supports unlock the first step (the view follows a reload).
        for v in 1..=3 {
            let answer = w
                .api
                .client
                .put(w.api.support_url(crate::console::SLUG, &ids[0]))
                .header(VOTER_HEADER, voter_key(v))
                .send()
                .await
                .expect("support");
            assert!(answer.status().is_success(), "{answer:?}");
        }
        m.reload().await;
        wait_contains(&m, "#mod-steps", "Open sinds: 3 steunbetuigingen").await;
        wait_js(&m, "the first step unlocked", "return document.querySelector('#mod-step-0').disabled === false;").await;
        click(&m, "#mod-step-0").await;
        wait_text(&m, "#mod-steps-status", "Opgeslagen.").await;

        // The funnel follows: one initiative past the first step(s), one still at it.
        console.reload().await;
        wait_funnel_row(&console, 1, "1", "0").await;
        assert_eq!(funnel_row(&console, 0).await, json!(["1", "1"]));
        wait_contains(&console, "#funnel-all", "0").await;

        // The audit log words the ticks.
        go(&console, "#/audit", Some("Logboek")).await;
        wait_contains(&console, "main", "Stap afgevinkt").await;
        wait_contains(&console, "main", "Stap: Meld je initiatief bij de dorpsraad").await;
        wait_contains(&console, "main", "Stappen gewijzigd").await;
        findings.check(&console, &axe, "audit with steps").await;

        // Dark.
        let dark = browser
            .profile_with(&["--blink-settings=preferredColorScheme=0", "--force-dark-mode"])
            .await;
        sign_in(&dark, &w.api, &w.token).await;
        go(&dark, "#/steps", Some("Stappen")).await;
        wait_funnel_row(&dark, 1, "1", "0").await;
        findings.check(&dark, &axe, "steps, dark").await;
        shoot(&dark, "console-steps-dark", 1280).await;
        shoot(&dark, "console-steps-dark", 390).await;
        go(&dark, &format!("#/moderation/{}", ids[0]), None).await;
        wait_contains(&dark, "#mod-steps", "Afgevinkt op").await;
        findings.check(&dark, &axe, "moderation steps, dark").await;
        dark.exec("document.querySelector('#mod-steps').scrollIntoView();", vec![]).await;
        shoot(&dark, "console-steps-moderation-dark", 1280).await;
        shoot(&dark, "console-steps-moderation-dark", 390).await;

        findings.assert_clean();
    })
    .await;
}
