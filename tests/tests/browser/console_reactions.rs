//! Browser tests of the console's part of the dialogue (issue 15): a pre-moderated
//! reaction, posted by a resident through the public API, waits in the reactions queue
//! (with the navigation's badge), is approved there and then shows in the public thread;
//! the municipality replies from the queue; an editor creates a discussion topic, reads
//! its snippet, closes it (the thread then refuses reactions), sets a closing time in
//! Dutch time and opens it again; an admin saves the reactions settings and reads the
//! server's refusal of a field next to that field. axe-core checks every view.
//!
//! NEEDS: as every browser test (see `main.rs`). Run with
//!
//! ```text
//! cargo test -p mekaar-tests --test browser -- console_reactions::
//! ```

use crate::console::{
    click, element, go, sign_in, type_text, wait_contains, wait_js, wait_text, World, SLUG,
};
use crate::harness::{axe_source, with_browser, AxeFindings};
use mekaar_tests::{voter_key, VOTER_HEADER};
use reqwest::Method;
use serde_json::{json, Value};

/// A resident's reaction in thread `kind`/`id`, posted as a widget on the host site does
/// (voter key, the allowed Origin): the status and the answer's JSON.
async fn post_reaction(w: &World, kind: &str, id: &str, voter: u64, body: Value) -> (u16, Value) {
    let response = w
        .api
        .client
        .post(
            w.api
                .community_url(SLUG, &format!("/threads/{kind}/{id}/reactions")),
        )
        .header(VOTER_HEADER, voter_key(voter))
        .header("Origin", &w.site.origin)
        .json(&body)
        .send()
        .await
        .expect("POST reaction");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The public thread, as a reader without a voter key sees it.
async fn public_thread(w: &World, kind: &str, id: &str) -> Value {
    let response = w
        .api
        .client
        .get(w.api.community_url(SLUG, &format!("/threads/{kind}/{id}")))
        .header("Origin", &w.site.origin)
        .send()
        .await
        .expect("GET thread");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "GET thread: {status} {text}");
    serde_json::from_str(&text).expect("thread JSON")
}

/// Every reaction of a thread view, replies included.
fn all_reactions(view: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for r in view["reactions"].as_array().cloned().unwrap_or_default() {
        for reply in r["replies"].as_array().cloned().unwrap_or_default() {
            out.push(reply);
        }
        out.push(r);
    }
    out
}

/// The document's focused element's id, or its tag.
async fn focused(p: &crate::harness::Profile) -> Value {
    p.exec(
        "var a = document.activeElement; return a ? (a.id || a.tagName) : null;",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pre_moderated_reaction_is_approved_in_the_console_and_then_shows_in_the_thread() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        w.admin(Method::PATCH, "", Some(json!({ "reactions": { "moderation": "pre" } }))).await;
        let topic = w
            .admin(
                Method::POST,
                "/topics",
                Some(json!({ "title": "Moet de kermis terug naar het dorpsplein?" })),
            )
            .await;
        let topic_id = topic["id"].as_str().expect("topic id").to_string();

        // A resident reacts; under pre-moderation it waits. Its text holds markup, which
        // must stay text in the console.
        let text = "Ja! <b>Graag</b> <img src=x onerror=alert(1)> terug op het plein.";
        let (status, posted) =
            post_reaction(&w, "topic", &topic_id, 7, json!({ "text": text, "name": "Piet" })).await;
        assert_eq!(status, 201, "{posted}");
        assert_eq!(posted["state"], json!("pending"), "{posted}");
        let rid = posted["id"].as_str().expect("reaction id").to_string();
        let view = public_thread(&w, "topic", &topic_id).await;
        assert!(
            all_reactions(&view).iter().all(|r| r["id"] != json!(rid)),
            "a pending reaction is not public: {view}"
        );

        // The moderator: the badge counts it, the bare address lands on the pending tab.
        let moderator = w.token_for("moderator").await;
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &moderator).await;
        wait_text(&console, "#nav-reactions-waiting", "1").await;
        go(&console, "#/reactions", Some("Reacties")).await;
        let item = format!("#reaction-{rid}");
        wait_contains(&console, &format!("{item} .reaction-text"), text).await;
        wait_contains(&console, "#rqueue-pending", "(1)").await;
        assert_eq!(
            console
                .exec(
                    "return document.querySelector(arguments[0] + ' .reaction-text').children.length;",
                    vec![json!(item)],
                )
                .await,
            json!(0),
            "the reaction's markup is shown as text, not as elements"
        );
        wait_contains(&console, &format!("{item} h3"), "Piet").await;
        wait_contains(&console, &format!("{item} .reaction-thread"), "Moet de kermis terug").await;
        wait_contains(&console, &format!("{item} .reaction-held"), "alle reacties worden eerst goedgekeurd").await;
        wait_text(&console, &format!("{item} .reaction-state"), "wacht op goedkeuring").await;
        findings.check(&console, &axe, "reactions queue, pending").await;

        // Approve: the state changes in place, the status says so, the focus stays on the
        // reaction's heading, and the badge goes.
        click(&console, &format!("{item} button.r-approve")).await;
        wait_contains(&console, &format!("#reaction-{rid}-status"), "Goedgekeurd").await;
        wait_text(&console, &format!("{item} .reaction-state"), "zichtbaar").await;
        assert_eq!(focused(&console).await, json!(format!("reaction-{rid}-title")));
        wait_js(
            &console,
            "the badge is gone",
            "return !document.querySelector('#nav-reactions-waiting');",
        )
        .await;
        wait_contains(&console, "#rqueue-pending", "(0)").await;
        let view = public_thread(&w, "topic", &topic_id).await;
        let shown = all_reactions(&view);
        let approved = shown.iter().find(|r| r["id"] == json!(rid));
        assert!(
            approved.is_some_and(|r| r["text"] == json!(text) && r["state"] == json!("published")),
            "the approved reaction is public: {view}"
        );

        // Reply as the municipality, from the queue.
        click(&console, &format!("{item} button.r-reply")).await;
        wait_js(
            &console,
            "the reply box has the focus",
            &format!("return document.activeElement && document.activeElement.id === 'reply-{rid}-text';"),
        )
        .await;
        findings.check(&console, &axe, "reactions queue, reply form").await;
        type_text(&console, &format!("#reply-{rid}-text"), "Dank u, we nemen het mee in de raad.").await;
        type_text(&console, &format!("#reply-{rid}-name"), "Gemeente Peel en Maas").await;
        click(&console, &format!("#reply-{rid}-send")).await;
        wait_contains(&console, &format!("#reaction-{rid}-status"), "Je antwoord is geplaatst.").await;
        let view = public_thread(&w, "topic", &topic_id).await;
        let reply = all_reactions(&view)
            .into_iter()
            .find(|r| r["badge"] == json!("municipality"))
            .unwrap_or_else(|| panic!("the municipality's reply is public: {view}"));
        assert_eq!(reply["reply_to"], json!(rid), "{reply}");
        assert_eq!(reply["name"], json!("Gemeente Peel en Maas"), "{reply}");
        assert_eq!(reply["text"], json!("Dank u, we nemen het mee in de raad."), "{reply}");

        // A second reaction is removed for real, after a confirmation.
        let (_, second) =
            post_reaction(&w, "topic", &topic_id, 8, json!({ "text": "Onzin, allemaal." })).await;
        let rid2 = second["id"].as_str().expect("second id").to_string();
        go(&console, "#/reactions/pending", Some("Reacties")).await;
        let item2 = format!("#reaction-{rid2}");
        wait_contains(&console, &format!("{item2} h3"), "Inwoner").await;
        click(&console, &format!("{item2} button.r-remove")).await;
        wait_js(
            &console,
            "the confirmation has the focus",
            &format!("return document.activeElement && document.activeElement.id === 'remove-{rid2}-yes';"),
        )
        .await;
        findings.check(&console, &axe, "reactions queue, remove confirmation").await;
        click(&console, &format!("#remove-{rid2}-yes")).await;
        wait_contains(&console, &format!("#reaction-{rid2}-status"), "Verwijderd").await;
        wait_text(&console, &format!("{item2} .reaction-state"), "verwijderd").await;
        let list = w.admin(Method::GET, "/reactions?queue=all", None).await;
        let removed = list["reactions"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["id"] == json!(rid2)).cloned());
        if let Some(removed) = removed {
            assert_eq!(removed["text"], json!(""), "removed means erased: {removed}");
        }

        go(&console, "#/reactions/all", Some("Reacties")).await;
        wait_contains(&console, "#reaction-list", "Dank u, we nemen het mee").await;
        findings.check(&console, &axe, "reactions queue, all").await;
        findings.assert_clean();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_creates_a_topic_closes_it_and_sets_its_closing_time_in_dutch_time() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let editor = w.token_for("poll_editor").await;
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &editor).await;
        go(&console, "#/topics", Some("Discussies")).await;
        element(&console, "#topics-empty").await;
        findings.check(&console, &axe, "topics, none yet").await;

        // An empty title is refused in place.
        click(&console, "#topic-create").await;
        wait_contains(&console, "#topic-create-error", "Geef het onderwerp een titel.").await;
        assert_eq!(focused(&console).await, json!("topic-title"));

        type_text(&console, "#topic-title", "Moet de kermis terug naar het dorpsplein?").await;
        type_text(&console, "#topic-intro", "De kermis staat sinds 2019 op het parkeerterrein.").await;
        click(&console, "#topic-create").await;
        wait_contains(&console, "#topic-create-status", "is gemaakt").await;
        let topics = w.admin(Method::GET, "/topics", None).await;
        let id = topics[0]["id"].as_str().expect("topic id").to_string();
        let snippet = console
            .exec(
                "return document.querySelector('#topic-list li.topic textarea.topic-snippet').value;",
                vec![],
            )
            .await
            .as_str()
            .map(str::to_string)
            .expect("the topic's snippet");
        assert!(
            snippet.contains(&format!(
                "<div data-mekaar=\"discussion\" data-community=\"{SLUG}\" data-topic=\"{id}\">"
            )) && snippet.contains("/embed.js\"></script>"),
            "{snippet}"
        );
        wait_text(&console, "#topic-list .topic-state", "open").await;
        findings.check(&console, &axe, "topics, one").await;

        // Close it: the button says the opposite now and keeps the focus; the thread
        // refuses reactions.
        click(&console, "#topic-list button.topic-toggle").await;
        wait_text(&console, "#topic-list .topic-state", "gesloten").await;
        wait_text(&console, "#topic-list button.topic-toggle", "Discussie weer openen").await;
        let view = public_thread(&w, "topic", &id).await;
        assert_eq!(view["thread"]["open"], json!(false), "{view}");
        let (status, refused) =
            post_reaction(&w, "topic", &id, 3, json!({ "text": "Mag ik nog wat zeggen?" })).await;
        assert!(status >= 400, "a closed thread refuses: {status} {refused}");
        assert_eq!(refused["error"]["code"], json!("thread_closed"), "{refused}");

        // The thread's own view: a closing time typed as Dutch time, then open again.
        click(&console, "#topic-list a.topic-edit").await;
        wait_contains(&console, "main h1", "Moet de kermis terug").await;
        wait_text(&console, "#thread-state", "gesloten").await;
        findings.check(&console, &axe, "one topic").await;
        // 1 July 2027 20:00 in the Netherlands is summer time: 18:00 UTC.
        console
            .exec(
                "var i = document.getElementById('thread-closes'); i.value = '2027-07-01T20:00';\
                 i.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![],
            )
            .await;
        click(&console, "#thread-save").await;
        wait_contains(&console, "#thread-edit-status", "Opgeslagen.").await;
        let view = public_thread(&w, "topic", &id).await;
        assert_eq!(view["thread"]["closes_at"], json!(1_814_464_800_u64), "{view}");
        wait_contains(&console, "#thread-closes-at", "2027").await;
        click(&console, "#thread-toggle").await;
        wait_text(&console, "#thread-state", "open").await;
        wait_contains(&console, "#thread-status", "weer open").await;
        assert_eq!(focused(&console).await, json!("thread-toggle"));
        let view = public_thread(&w, "topic", &id).await;
        assert_eq!(view["thread"]["open"], json!(true), "{view}");
        // A poll editor does not react as the municipality.
        assert_eq!(
            console
                .exec("return !!document.getElementById('official-text');", vec![])
                .await,
            json!(false)
        );
        findings.assert_clean();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_saves_the_reaction_settings_and_reads_a_refusal_at_its_field() {
    let axe = axe_source();
    with_browser(|browser| async move {
        let w = World::start().await;
        let console = browser.profile().await;
        let mut findings = AxeFindings::default();
        sign_in(&console, &w.api, &w.token).await;
        go(&console, "#/settings", Some("Instellingen")).await;
        element(&console, "#reactions-form").await;
        findings.check(&console, &axe, "settings with the reactions section").await;

        click(&console, "#rsetting-moderation-pre").await;
        click(&console, "#rsetting-first-reaction-waits").await;
        type_text(&console, "#rsetting-hold-words", "kermisexpress\nSPAM\nspam").await;
        type_text(&console, "#rsetting-per-key-per-10-minutes", "5").await;
        click(&console, "#reactions-settings-save").await;
        wait_contains(&console, "#reactions-settings-saved", "Opgeslagen.").await;
        let settings = w.admin(Method::GET, "", None).await;
        let r = &settings["reactions"];
        assert_eq!(r["moderation"], json!("pre"), "{r}");
        assert_eq!(r["first_reaction_waits"], json!(true), "{r}");
        // The server keeps the words in lower case.
        assert_eq!(r["hold_words"], json!(["kermisexpress", "spam"]), "{r}");
        assert_eq!(r["per_key_per_10_minutes"], json!(5), "{r}");
        assert_eq!(r["hold_links"], json!(true), "{r}");

        // An empty number is refused before sending, at its field.
        // (Emptied as a person does; WebDriver's clear fires no `input` event.)
        console
            .exec(
                "var i = document.getElementById('rsetting-per-network-per-hour'); i.value = '';\
                 i.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![],
            )
            .await;
        click(&console, "#reactions-settings-save").await;
        wait_js(
            &console,
            "the field is marked",
            "var i = document.getElementById('rsetting-per-network-per-hour');\
             return i.getAttribute('aria-invalid') === 'true' && document.activeElement === i;",
        )
        .await;
        wait_contains(&console, "#rsetting-per-network-per-hour-error", "Vul een geheel getal in.").await;
        // Zero reports before hiding: the server names the field, the console puts its
        // message next to it.
        type_text(&console, "#rsetting-per-network-per-hour", "60").await;
        type_text(&console, "#rsetting-reports-before-hide", "0").await;
        click(&console, "#reactions-settings-save").await;
        wait_js(
            &console,
            "the server's refusal is at its field",
            "var i = document.getElementById('rsetting-reports-before-hide');\
             return i.getAttribute('aria-invalid') === 'true' && !!document.getElementById('rsetting-reports-before-hide-error');",
        )
        .await;
        wait_contains(&console, "#reactions-settings-error", "Meldingen voordat een reactie verborgen wordt").await;
        findings.check(&console, &axe, "settings, a refused reactions field").await;
        findings.assert_clean();
    })
    .await;
}
