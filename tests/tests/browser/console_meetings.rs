//! Browser test of the console's meetings (issue 16): a moderator adds a meeting to an
//! initiative in the moderation screen (an end before the start is refused at its field),
//! the public API lists it, then the moderator calls it off and the public list shows it
//! called off. axe-core checks every view.
//!
//! With `MEKAAR_SCREENSHOTS=DIR` the section is also saved as PNGs (390 and 1280 px wide)
//! in DIR.
//!
//! NEEDS: as every browser test (see `main.rs`). Run with
//!
//! ```text
//! cargo test -p mekaar-tests --test browser -- console_meetings::
//! ```

use crate::console::{click, go, sign_in, type_text, wait_contains, wait_js, World, SLUG};
use crate::harness::{axe_source, with_browser, AxeFindings, Profile};
use reqwest::Method;
use serde_json::{json, Value};

/// Saves the meetings section as `name-{width}.png` in `MEKAAR_SCREENSHOTS`.
async fn shoot(p: &Profile, name: &str, width: u32) {
    let Ok(dir) = std::env::var("MEKAAR_SCREENSHOTS") else {
        return;
    };
    p.client
        .set_window_size(width, 1000)
        .await
        .expect("window size");
    p.exec(
        "document.querySelector('#mod-meetings').scrollIntoView();",
        vec![],
    )
    .await;
    let section = p
        .client
        .find(fantoccini::Locator::Css("#mod-meetings"))
        .await
        .expect("the meetings section");
    let png = section.screenshot().await.expect("screenshot");
    std::fs::write(format!("{dir}/{name}-{width}.png"), png).expect("write screenshot");
    p.client
        .set_window_size(1280, 900)
        .await
        .expect("window size");
}

/// Sets the date or time field `id` as a person picking it would, and says so.
async fn set_field(p: &Profile, id: &str, value: &str) {
    p.exec(
        "var i = document.getElementById(arguments[0]); i.value = arguments[1];\
         i.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(id), json!(value)],
    )
    .await;
}

/// The initiative's meetings as the public API lists them.
async fn public_meetings(w: &World, initiative: &str) -> Value {
    w.api
        .client
        .get(
            w.api
                .community_url(SLUG, &format!("/initiatives/{initiative}/meetings")),
        )
        .send()
        .await
        .expect("public meetings")
        .json()
        .await
        .expect("a meeting list")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_adds_a_meeting_and_calls_it_off() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let made = w
            .admin(
                Method::POST,
                "/initiatives",
                Some(json!({ "title": "Jeu de boules-baan bij het dorpshuis", "summary": "Samen een baan aanleggen." })),
            )
            .await;
        let id = made["id"].as_str().expect("id").to_string();
        // 1 July of next year: always ahead, in summer time.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let year = 1970 + now / 31_556_952 + 1;
        let date = format!("{year}-07-01");

        let moderator = w.token_for("moderator").await;
        let m = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&m, &w.api, &moderator).await;
        go(&m, &format!("#/moderation/{id}"), None).await;
        wait_contains(&m, "#mod-meetings", "Nog geen bijeenkomsten.").await;
        findings.check(&m, &axe, "moderation, no meetings").await;

        // The end before the start: refused by the server, shown at the end time.
        type_text(&m, "#meeting-title", "Eerste bouwavond").await;
        set_field(&m, "meeting-date", &date).await;
        set_field(&m, "meeting-start", "19:30").await;
        set_field(&m, "meeting-end", "18:00").await;
        type_text(&m, "#meeting-place", "Dorpshuis De Schakel, Kerkstraat 4, Baarlo").await;
        type_text(&m, "#meeting-capacity", "25").await;
        type_text(&m, "#meeting-description", "We tekenen de baan uit en maken een plan.").await;
        click(&m, "#meeting-save").await;
        wait_contains(&m, "#meeting-end-error", "De eindtijd moet na de begintijd liggen").await;
        assert_eq!(
            m.exec("return document.querySelector('#meeting-end').getAttribute('aria-invalid');", vec![]).await,
            json!("true")
        );
        wait_js(&m, "the focus on the end time", "return document.activeElement && document.activeElement.id === 'meeting-end';").await;
        findings.check(&m, &axe, "meetings, refused end").await;
        shoot(&m, "console-meetings-refused", 1280).await;
        shoot(&m, "console-meetings-refused", 390).await;
        let public = public_meetings(&w, &id).await;
        assert_eq!(public["upcoming"], json!([]), "{public}");

        set_field(&m, "meeting-end", "21:00").await;
        click(&m, "#meeting-save").await;
        wait_contains(&m, "#meeting-status", "Bijeenkomst toegevoegd: Eerste bouwavond.").await;
        wait_contains(&m, "#mod-meeting-0", "Eerste bouwavond").await;
        wait_contains(&m, "#mod-meeting-0 .meeting-attending", "Aanmeldingen: 0 van 25").await;
        wait_contains(&m, "#mod-meeting-0 .meeting-when", "19:30 – 21:00").await;
        assert!(
            m.exec("return document.querySelector('#mod-meeting-0 .meeting-cancelled') === null;", vec![]).await
                == json!(true)
        );
        let public = public_meetings(&w, &id).await;
        let meeting = &public["upcoming"][0];
        assert_eq!(meeting["title"], json!("Eerste bouwavond"), "{public}");
        assert_eq!(meeting["cancelled"], json!(false));
        assert_eq!(meeting["capacity"], json!(25));
        assert_eq!(meeting["place"], json!("Dorpshuis De Schakel, Kerkstraat 4, Baarlo"));
        // 19:30 in Dutch summer time is 17:30 UTC; an hour and a half.
        let starts = meeting["starts_at"].as_u64().expect("starts_at");
        assert_eq!(starts % 86_400, 17 * 3_600 + 30 * 60, "{meeting}");
        assert_eq!(meeting["ends_at"].as_u64().unwrap() - starts, 5_400);
        findings.check(&m, &axe, "meetings, one added").await;
        shoot(&m, "console-meetings-added", 1280).await;
        shoot(&m, "console-meetings-added", 390).await;

        // Called off: marked in the console and in the public list.
        click(&m, "#mod-meeting-0-cancel").await;
        wait_contains(&m, "#mod-meetings-status", "‘Eerste bouwavond’ is afgelast.").await;
        wait_contains(&m, "#mod-meeting-0 .meeting-cancelled", "Afgelast").await;
        wait_contains(&m, "#mod-meeting-0-cancel", "Gaat toch door").await;
        let public = public_meetings(&w, &id).await;
        assert_eq!(public["upcoming"][0]["cancelled"], json!(true), "{public}");
        findings.check(&m, &axe, "meetings, called off").await;
        shoot(&m, "console-meetings-cancelled", 1280).await;
        shoot(&m, "console-meetings-cancelled", 390).await;

        findings.assert_clean();
    })
    .await;
}
