//! The embed-snippet builder (`#/snippet`): choose a widget (support button, initiatives
//! list, one initiative as a card, a poll, a poll's overlay view) and its options, read
//! the exact snippet a webmaster pastes (the loader plus the placeholder, as in the
//! README) in a read-only text field with a copy button, and see it live.
//!
//! The preview is an `<iframe srcdoc>` holding a small page with that very snippet, so
//! what is previewed is what is pasted. The frame is same-origin with the console (the
//! widgets' API calls are then the server's own and need no allowed origin) and inherits
//! `/admin`'s Content-Security-Policy, which allows inline `<style>` elements for this
//! reason: the widgets' styles live in a `<style>` in their Shadow DOM (see
//! `server/src/assets.rs`). A support or vote in the preview counts like any other.
//!
//! Element ids: the kind radios `#snippet-kind-{support|initiatives|initiative|poll|overlay}`,
//! `#snippet-initiative`, `#snippet-poll` (a select; a text field `#snippet-poll-id` for
//! roles that may not list polls), `#snippet-lang`, `#snippet-theme`, for the list
//! `#snippet-area`, `#snippet-limit`, `#snippet-submit`; the result `#snippet-code` (the
//! textarea), `#snippet-copy`, `#snippet-preview` (the frame).

use mekaar_api::polls::{Phase, PollAdminList, PollAdminView};
use mekaar_api::{CommunityAdmin, InitiativeList, InitiativePublic};
use yew::prelude::*;

use super::kit::{escape_attr, input_text, is_checked, select_value};
use super::polls::phase_key;
use super::{CopyButton, ErrorAlert, Heading, ScreenProps};
use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::{fill, use_lang, Key};
use crate::session::{use_session, RoleInConsole};

/// The widgets a webmaster can embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Support,
    List,
    Card,
    Poll,
    Overlay,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Support,
        Kind::List,
        Kind::Card,
        Kind::Poll,
        Kind::Overlay,
    ];

    /// For element ids.
    fn id(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::List => "initiatives",
            Kind::Card => "initiative",
            Kind::Poll => "poll",
            Kind::Overlay => "overlay",
        }
    }

    /// The placeholder's `data-mekaar`.
    fn widget(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::List => "initiatives",
            Kind::Card => "initiative",
            Kind::Poll | Kind::Overlay => "poll",
        }
    }

    fn key(self) -> Key {
        match self {
            Kind::Support => Key::SnippetKindSupport,
            Kind::List => Key::SnippetKindList,
            Kind::Card => Key::SnippetKindCard,
            Kind::Poll => Key::SnippetKindPoll,
            Kind::Overlay => Key::SnippetKindOverlay,
        }
    }

    fn hint(self) -> Key {
        match self {
            Kind::Support => Key::SnippetKindSupportHint,
            Kind::List => Key::SnippetKindListHint,
            Kind::Card => Key::SnippetKindCardHint,
            Kind::Poll => Key::SnippetKindPollHint,
            Kind::Overlay => Key::SnippetKindOverlayHint,
        }
    }

    fn needs_initiative(self) -> bool {
        matches!(self, Kind::Support | Kind::Card)
    }

    fn needs_poll(self) -> bool {
        matches!(self, Kind::Poll | Kind::Overlay)
    }
}

/// Everything the snippet is made of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub server: String,
    pub community: String,
    pub initiative: String,
    pub poll: String,
    /// `""` (Dutch, the default) or `"en"`.
    pub lang: String,
    /// `""` (the visitor's system), `"light"` or `"dark"`.
    pub theme: String,
    /// The list only: a preset area, the page size (`""` = 10), the submit form.
    pub area: String,
    pub limit: String,
    pub no_submit: bool,
}

/// The exact snippet for `kind`: the loader, a line break, the placeholder. `None` while
/// the initiative or poll it needs is not chosen.
pub fn snippet(kind: Kind, c: &Choice) -> Option<String> {
    let mut attrs = format!(
        "data-mekaar=\"{}\" data-community=\"{}\"",
        kind.widget(),
        escape_attr(&c.community)
    );
    if kind.needs_initiative() {
        if c.initiative.trim().is_empty() {
            return None;
        }
        attrs.push_str(&format!(
            " data-initiative=\"{}\"",
            escape_attr(c.initiative.trim())
        ));
    }
    if kind.needs_poll() {
        if c.poll.trim().is_empty() {
            return None;
        }
        attrs.push_str(&format!(" data-poll=\"{}\"", escape_attr(c.poll.trim())));
    }
    if kind == Kind::Overlay {
        attrs.push_str(" data-view=\"overlay\"");
    }
    if kind == Kind::List {
        if !c.area.is_empty() {
            attrs.push_str(&format!(" data-area=\"{}\"", escape_attr(&c.area)));
        }
        let limit = c.limit.trim();
        if !limit.is_empty() && limit != "10" {
            attrs.push_str(&format!(" data-limit=\"{}\"", escape_attr(limit)));
        }
        if c.no_submit {
            attrs.push_str(" data-submit=\"false\"");
        }
    }
    if !c.lang.is_empty() {
        attrs.push_str(&format!(" data-lang=\"{}\"", escape_attr(&c.lang)));
    }
    if !c.theme.is_empty() {
        attrs.push_str(&format!(" data-theme=\"{}\"", escape_attr(&c.theme)));
    }
    Some(format!(
        "<script async src=\"{}/embed.js\"></script>\n<div {attrs}></div>",
        escape_attr(&c.server)
    ))
}

/// The preview frame's page: the snippet in a minimal, valid document, below an `h1` (the
/// frame's title) and an `h2` (the widget's name), as on a host page: the list's cards are
/// `h3`s. Its `<main>` is labelled, so it differs from the console's own.
/// The preview page's own look: a plain host page (the console's font, small headings that
/// name what is shown), so the widget stands out as a webmaster's page would show it.
/// A dark widget is previewed on a dark page (`.dark`), as on a host site with a dark theme.
const PREVIEW_STYLE: &str = "body{margin:0;padding:1rem;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;background:#ffffff;color:#1c1c1c}\
    body.dark{background:#161816;color:#f1f1ee}\
    h1,h2{font-size:0.9rem;font-weight:600;margin:0 0 0.5rem}";

fn preview_page(snippet: &str, lang: &str, title: &str, widget: &str, dark: bool) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{PREVIEW_STYLE}</style>\n</head>\n<body{body_class}>\n<main aria-label=\"{title}\">\n\
         <h1>{title}</h1>\n<h2>{widget}</h2>\n{snippet}\n</main>\n</body>\n</html>\n",
        title = escape_attr(title),
        widget = escape_attr(widget),
        body_class = if dark { " class=\"dark\"" } else { "" }
    )
}

#[function_component(Snippet)]
pub fn snippet_screen(_props: &ScreenProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let role = session.info.role;

    let kind = use_state(|| Kind::Support);
    let choice = use_state(|| Choice {
        server: super::kit::origin(),
        community: community.clone(),
        ..Default::default()
    });
    let initiatives = use_state(|| None::<Vec<InitiativePublic>>);
    // `None` while loading; `Some(None)` when this role may not list polls.
    let polls = use_state(|| None::<Option<Vec<PollAdminView>>>);
    let settings = use_state(|| None::<CommunityAdmin>);
    // What could not be loaded: the builder still works, with fewer choices.
    let load_error = use_state(|| None::<ApiError>);

    {
        let (initiatives, polls, settings, choice, load_error) = (
            initiatives.clone(),
            polls.clone(),
            settings.clone(),
            choice.clone(),
            load_error.clone(),
        );
        let community = community.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut failed = None;
                let list = match api::get::<InitiativeList>(&api::public_path(
                    &community,
                    "/initiatives?limit=100&sort=newest",
                ))
                .await
                {
                    Ok(l) => l.initiatives,
                    Err(e) => {
                        failed = Some(e);
                        Vec::new()
                    }
                };
                let poll_list =
                    match api::get::<PollAdminList>(&api::admin_path(&community, "/polls")).await {
                        Ok(l) => {
                            let mut p = l.polls;
                            p.sort_by_key(|v| std::cmp::Reverse(v.poll.created_at));
                            Some(p)
                        }
                        // This role may not list polls: no poll choices, not an error.
                        Err(e) if e.status == 403 => None,
                        Err(e) => {
                            failed = Some(e);
                            None
                        }
                    };
                // Preselect the newest of each, so there is a snippet at once.
                let mut c = (*choice).clone();
                if c.initiative.is_empty() {
                    c.initiative = list.first().map(|i| i.id.clone()).unwrap_or_default();
                }
                if c.poll.is_empty() {
                    c.poll = poll_list
                        .as_ref()
                        .and_then(|p| p.iter().find(|v| v.phase != Phase::Draft).or(p.first()))
                        .map(|v| v.poll.id.clone())
                        .unwrap_or_default();
                }
                choice.set(c);
                initiatives.set(Some(list));
                polls.set(Some(poll_list));
                match api::get::<CommunityAdmin>(&api::admin_path(&community, "")).await {
                    Ok(s) => settings.set(Some(s)),
                    Err(e) => failed = Some(e),
                }
                load_error.set(failed);
            });
        });
    }

    let update = |f: fn(&mut Choice, String)| {
        let choice = choice.clone();
        move |value: String| {
            let mut c = (*choice).clone();
            f(&mut c, value);
            choice.set(c);
        }
    };
    let on_select = |f: fn(&mut Choice, String)| {
        let set = update(f);
        Callback::from(move |e: Event| set(select_value(&e)))
    };
    let on_input = |f: fn(&mut Choice, String)| {
        let set = update(f);
        Callback::from(move |e: InputEvent| set(input_text(&e)))
    };

    let code = snippet(*kind, &choice);
    let kinds = html! {
        <fieldset>
            <legend>{ t(Key::SnippetKind) }</legend>
            { for Kind::ALL.into_iter().map(|k| {
                let id = format!("snippet-kind-{}", k.id());
                let hint = format!("{id}-hint");
                let onchange = {
                    let kind = kind.clone();
                    Callback::from(move |e: Event| if is_checked(&e) { kind.set(k) })
                };
                html! {
                    <div class="choice-with-hint">
                        <label class="choice" for={id.clone()}>
                            <input type="radio" name="snippet-kind" id={id.clone()} value={k.id()}
                                checked={*kind == k} aria-describedby={hint.clone()} {onchange} />
                            { t(k.key()) }
                        </label>
                        <p class="hint" id={hint}>{ t(k.hint()) }</p>
                    </div>
                }
            }) }
        </fieldset>
    };

    let initiative_field = if kind.needs_initiative() {
        match &*initiatives {
            None => html! { <p class="loading">{ t(Key::CommonLoading) }</p> },
            Some(list) if list.is_empty() => {
                html! { <p id="snippet-no-initiatives">{ t(Key::SnippetNoInitiatives) }</p> }
            }
            Some(list) => html! {
                <div class="field">
                    <label for="snippet-initiative">{ t(Key::SnippetInitiative) }</label>
                    <select id="snippet-initiative" onchange={on_select(|c, v| c.initiative = v)}>
                        { for list.iter().map(|i| html! {
                            <option value={i.id.clone()} selected={i.id == choice.initiative}>{ &i.title }</option>
                        }) }
                    </select>
                </div>
            },
        }
    } else {
        html! {}
    };
    let poll_field = if kind.needs_poll() {
        match &*polls {
            None => html! { <p class="loading">{ t(Key::CommonLoading) }</p> },
            Some(Some(list)) if list.is_empty() => {
                html! { <p id="snippet-no-polls">{ t(Key::SnippetNoPolls) }</p> }
            }
            Some(Some(list)) => html! {
                <div class="field">
                    <label for="snippet-poll">{ t(Key::SnippetPoll) }</label>
                    <select id="snippet-poll" aria-describedby="snippet-poll-hint" onchange={on_select(|c, v| c.poll = v)}>
                        { for list.iter().map(|v| html! {
                            <option value={v.poll.id.clone()} selected={v.poll.id == choice.poll}>
                                { format!("{} ({})", v.poll.question, t(phase_key(v.phase))) }
                            </option>
                        }) }
                    </select>
                    <p class="hint" id="snippet-poll-hint">{ t(Key::SnippetPollHint) }</p>
                </div>
            },
            Some(None) => html! {
                <div class="field">
                    <label for="snippet-poll-id">{ t(Key::SnippetPollId) }</label>
                    <input id="snippet-poll-id" type="text" spellcheck="false" aria-describedby="snippet-poll-id-hint"
                        value={choice.poll.clone()} oninput={on_input(|c, v| c.poll = v)} />
                    <p class="hint" id="snippet-poll-id-hint">{ t(Key::SnippetPollIdHint) }</p>
                </div>
            },
        }
    } else {
        html! {}
    };
    let list_fields = if *kind == Kind::List {
        let areas = settings
            .as_ref()
            .map(|s| s.public.areas.clone())
            .unwrap_or_default();
        let on_submit_toggle = {
            let choice = choice.clone();
            Callback::from(move |e: Event| {
                let mut c = (*choice).clone();
                c.no_submit = !is_checked(&e);
                choice.set(c);
            })
        };
        html! {
            <>
                if !areas.is_empty() {
                    <div class="field">
                        <label for="snippet-area">{ t(Key::SnippetArea) }</label>
                        <select id="snippet-area" onchange={on_select(|c, v| c.area = v)}>
                            <option value="" selected={choice.area.is_empty()}>{ t(Key::SnippetAreaAll) }</option>
                            { for areas.iter().map(|a| html! {
                                <option value={a.clone()} selected={*a == choice.area}>{ a }</option>
                            }) }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="snippet-limit">{ t(Key::SnippetLimit) }</label>
                    <input id="snippet-limit" type="number" min="1" max="100" placeholder="10"
                        value={choice.limit.clone()} oninput={on_input(|c, v| c.limit = v)} />
                </div>
                <label class="choice field-like" for="snippet-submit">
                    <input id="snippet-submit" type="checkbox" checked={!choice.no_submit} onchange={on_submit_toggle} />
                    { t(Key::SnippetSubmit) }
                </label>
            </>
        }
    } else {
        html! {}
    };

    let origins = settings.as_ref().map(|s| s.allowed_origins.clone());
    let reminder = html! {
        <section class="card" aria-labelledby="snippet-origins-title">
            <h2 id="snippet-origins-title">{ t(Key::SnippetOriginsTitle) }</h2>
            <p>{ t(Key::SnippetOrigins) }</p>
            { match origins {
                Some(list) if !list.is_empty() => html! {
                    <>
                        <p>{ t(Key::SnippetOriginsNow) }</p>
                        <ul id="snippet-origins">{ for list.iter().map(|o| html! { <li><code>{ o }</code></li> }) }</ul>
                    </>
                },
                Some(_) => html! { <p id="snippet-origins-none"><strong>{ t(Key::SnippetOriginsNone) }</strong></p> },
                None => html! {},
            } }
            if role.may(Screen::Settings) {
                <p><a href={Screen::Settings.href()} id="snippet-settings-link">{ t(Key::SnippetOriginsSettings) }</a></p>
            } else {
                <p>{ t(Key::SnippetOriginsAsk) }</p>
            }
            <p class="hint">{ fill(t(Key::SnippetCsp), &[("server", &choice.server)]) }</p>
        </section>
    };

    let result = match &code {
        None => {
            html! { <p id="snippet-incomplete">{ t(if kind.needs_poll() { Key::SnippetChoosePoll } else { Key::SnippetChooseInitiative }) }</p> }
        }
        Some(code) => {
            let lang_tag = if choice.lang.is_empty() {
                "nl"
            } else {
                choice.lang.as_str()
            };
            let dark = choice.theme == "dark";
            let page = preview_page(
                code,
                lang_tag,
                t(Key::SnippetPreviewTitle),
                t(kind.key()),
                dark,
            );
            html! {
                <>
                    <div class="field">
                        <label for="snippet-code">{ t(Key::SnippetCode) }</label>
                        <textarea id="snippet-code" class="code" readonly=true rows="4" spellcheck="false"
                            aria-describedby="snippet-code-hint" value={code.clone()} />
                        <p class="hint" id="snippet-code-hint">{ t(Key::SnippetCodeHint) }</p>
                    </div>
                    <CopyButton id={AttrValue::from("snippet-copy")} text={AttrValue::from(code.clone())}
                        label={AttrValue::from(t(Key::SnippetCopy))} />
                    <h2>{ t(Key::SnippetPreview) }</h2>
                    <p class="hint">{ t(Key::SnippetPreviewHint) }</p>
                    <iframe id="snippet-preview" class={classes!("snippet-preview", dark.then_some("dark"), matches!(*kind, Kind::List | Kind::Poll | Kind::Overlay).then_some("tall"))}
                        title={t(Key::SnippetPreviewTitle)}
                        sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
                        srcdoc={page} />
                </>
            }
        }
    };

    // Whether the chosen poll is still a draft: the widget then says "not open yet".
    let draft_note = match (&*polls, kind.needs_poll()) {
        (Some(Some(list)), true) => list
            .iter()
            .find(|v| v.poll.id == choice.poll)
            .filter(|v| v.phase == Phase::Draft)
            .map(|_| html! { <p class="hint" id="snippet-draft">{ t(Key::SnippetPollDraft) }</p> })
            .unwrap_or_default(),
        _ => html! {},
    };

    html! {
        <>
            <Heading text={t(Key::SnippetTitle)} />
            <ErrorAlert id={AttrValue::from("snippet-load-error")} error={(*load_error).clone()} />
            <p>{ t(Key::SnippetIntro) }</p>
            <form class="card snippet-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { kinds }
                { initiative_field }
                { poll_field }
                { draft_note }
                { list_fields }
                <div class="field">
                    <label for="snippet-lang">{ t(Key::SnippetLang) }</label>
                    <select id="snippet-lang" onchange={on_select(|c, v| c.lang = v)}>
                        <option value="" selected={choice.lang.is_empty()}>{ t(Key::SnippetLangNl) }</option>
                        <option value="en" selected={choice.lang == "en"}>{ t(Key::SnippetLangEn) }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="snippet-theme">{ t(Key::SnippetTheme) }</label>
                    <select id="snippet-theme" onchange={on_select(|c, v| c.theme = v)}>
                        <option value="" selected={choice.theme.is_empty()}>{ t(Key::SnippetThemeAuto) }</option>
                        <option value="light" selected={choice.theme == "light"}>{ t(Key::SnippetThemeLight) }</option>
                        <option value="dark" selected={choice.theme == "dark"}>{ t(Key::SnippetThemeDark) }</option>
                    </select>
                </div>
            </form>
            <section aria-labelledby="snippet-result-title">
                <h2 id="snippet-result-title">{ t(Key::SnippetResult) }</h2>
                { result }
            </section>
            { reminder }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice() -> Choice {
        Choice {
            server: "https://mekaar.example.nl".into(),
            community: "baarlo".into(),
            initiative: "abc123".into(),
            poll: "p9".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_support_snippet_is_the_readme_form() {
        assert_eq!(
            snippet(Kind::Support, &choice()).unwrap(),
            "<script async src=\"https://mekaar.example.nl/embed.js\"></script>\n\
             <div data-mekaar=\"support\" data-community=\"baarlo\" data-initiative=\"abc123\"></div>"
        );
    }

    #[test]
    fn options_become_attributes() {
        let mut c = choice();
        c.lang = "en".into();
        c.theme = "dark".into();
        assert!(snippet(Kind::Overlay, &c).unwrap().ends_with(
            "<div data-mekaar=\"poll\" data-community=\"baarlo\" data-poll=\"p9\" data-view=\"overlay\" data-lang=\"en\" data-theme=\"dark\"></div>"
        ));
        c.area = "Kloosterbuurt & \"Oost\"".into();
        c.limit = "5".into();
        c.no_submit = true;
        let list = snippet(Kind::List, &c).unwrap();
        assert!(list.contains(
            "data-area=\"Kloosterbuurt &amp; &quot;Oost&quot;\" data-limit=\"5\" data-submit=\"false\""
        ));
        assert!(!list.contains("data-initiative"));
    }

    #[test]
    fn no_snippet_without_what_it_needs() {
        let mut c = choice();
        c.poll.clear();
        assert_eq!(snippet(Kind::Poll, &c), None);
        assert!(snippet(Kind::Card, &c).is_some());
    }
}
