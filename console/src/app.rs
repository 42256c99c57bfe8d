//! The console's shell: the language, the session, sign-in, and the signed-in layout (skip
//! link, header, navigation, one screen in `<main>`).
//!
//! Routing is by the URL's fragment (`/admin#/settings`): the server serves one page at
//! `/admin`, reloads and bookmarks keep the screen, and no router crate is needed. Links
//! are plain `<a href="#/polls">` ([`Screen::href`]); [`navigate`] changes the screen from
//! code. On every change of screen the focus moves to the screen's `<h1>` so screen
//! readers announce where the user is.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{fill, Key, Lang, LangContext};
use crate::screens;
use crate::session::{self, RoleInConsole, SessionContext, SessionInfo};

/// The console's screens, one per `screens/*.rs` file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Settings,
    Moderation,
    Reactions,
    Topics,
    Steps,
    Polls,
    Snippet,
    Audit,
    Export,
}

impl Screen {
    /// In the order of the navigation.
    pub const ALL: [Screen; 9] = [
        Screen::Settings,
        Screen::Moderation,
        Screen::Reactions,
        Screen::Topics,
        Screen::Steps,
        Screen::Polls,
        Screen::Snippet,
        Screen::Audit,
        Screen::Export,
    ];

    /// The fragment's path: `#/{path}`.
    pub fn path(self) -> &'static str {
        match self {
            Screen::Settings => "settings",
            Screen::Moderation => "moderation",
            Screen::Reactions => "reactions",
            Screen::Topics => "topics",
            Screen::Steps => "steps",
            Screen::Polls => "polls",
            Screen::Snippet => "snippet",
            Screen::Audit => "audit",
            Screen::Export => "export",
        }
    }

    /// The link to this screen, for `<a href>`.
    pub fn href(self) -> String {
        format!("#/{}", self.path())
    }

    /// The name in the navigation.
    pub fn nav_key(self) -> Key {
        match self {
            Screen::Settings => Key::NavSettings,
            Screen::Moderation => Key::NavModeration,
            Screen::Reactions => Key::NavReactions,
            Screen::Topics => Key::NavTopics,
            Screen::Steps => Key::NavSteps,
            Screen::Polls => Key::NavPolls,
            Screen::Snippet => Key::NavSnippet,
            Screen::Audit => Key::NavAudit,
            Screen::Export => Key::NavExport,
        }
    }
}

/// Where the fragment points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// No screen named: the role's first screen.
    Home,
    /// A screen, and what follows its name (`#/polls/abc123` → `"abc123"`), for screens
    /// with their own sub-views.
    Screen(Screen, String),
    NotFound,
}

impl Route {
    /// From `location.hash` (`"#/polls/abc"`, `"#/settings"`, `""`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        if path.is_empty() {
            return Route::Home;
        }
        let (name, rest) = path.split_once('/').unwrap_or((path, ""));
        Screen::ALL
            .into_iter()
            .find(|s| s.path() == name)
            .map_or(Route::NotFound, |s| Route::Screen(s, rest.to_string()))
    }

    /// The poll whose live control this route shows (`#/polls/{id}`), if it does.
    pub fn controlled_poll(&self) -> Option<&str> {
        match self {
            Route::Screen(Screen::Polls, rest) => {
                let mut parts = rest.trim_matches('/').split('/');
                match (parts.next(), parts.next()) {
                    (Some(id), None) if !id.is_empty() && id != "new" => Some(id),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Asks the navigation's badges again (after a moderator decided something), provided by
/// the signed-in layout.
#[derive(Clone, PartialEq)]
pub struct BadgeRefresh(pub Callback<()>);

/// The callback that asks the navigation's badges again; a no-op outside the layout.
#[hook]
pub fn use_badge_refresh() -> Callback<()> {
    use_context::<BadgeRefresh>()
        .map(|b| b.0)
        .unwrap_or_else(Callback::noop)
}

/// Goes to `hash` (`"#/polls/abc"`); the app follows the `hashchange`.
pub fn navigate(hash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(hash);
    }
}

/// The current `location.hash`.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The route, following `hashchange`.
#[hook]
fn use_route() -> Route {
    let route = use_state(|| Route::parse(&current_hash()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                // A screen the user went to is not the one the sign-in led to.
                crate::session::forget_sign_in();
                route.set(Route::parse(&current_hash()))
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                drop(listener);
            }
        });
    }
    (*route).clone()
}

const LANG_STORAGE_KEY: &str = "mekaar-console-lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// `?lang=` of the page, then the remembered choice, then the browser's language, then
/// Dutch. A `?lang=` is remembered too.
fn initial_lang() -> Lang {
    let window = web_sys::window();
    let from_query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"))
        .and_then(|l| Lang::parse(&l));
    if let Some(lang) = from_query {
        remember_lang(lang);
        return lang;
    }
    let remembered = local_storage()
        .and_then(|s| s.get_item(LANG_STORAGE_KEY).ok().flatten())
        .and_then(|l| Lang::parse(&l));
    remembered
        .or_else(|| {
            window
                .and_then(|w| w.navigator().language())
                .and_then(|l| Lang::parse(&l))
        })
        .unwrap_or_default()
}

fn remember_lang(lang: Lang) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANG_STORAGE_KEY, lang.tag());
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Moves the focus to the screen's `<h1>` (rendered with `tabindex="-1"`).
fn focus_heading() {
    let heading = document()
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(h) = heading {
        let _ = h.focus();
    }
}

/// Where the console is.
#[derive(Clone, PartialEq)]
enum Auth {
    /// Asking the server whether this browser has a session.
    Checking,
    /// The sign-in screen, with a notice (the session expired, the server was away).
    SignedOut(Option<Notice>),
    SignedIn(Rc<SessionInfo>),
}

/// Why the sign-in screen shows: kept as what happened, so it is said in the language
/// chosen when it shows (not the one of the moment it happened).
#[derive(Clone, PartialEq)]
enum Notice {
    SessionExpired,
    Failed(ApiError),
}

impl Notice {
    fn text(&self, lang: Lang) -> String {
        match self {
            Notice::SessionExpired => Key::SessionExpired.text(lang).to_string(),
            Notice::Failed(e) => e.text(lang),
        }
    }
}

/// The whole console.
#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(initial_lang);
    let auth = use_state(|| Auth::Checking);

    // `<html lang>` follows the choice.
    use_effect_with(*lang, |lang| {
        if let Some(root) = document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.tag());
        }
    });

    // Is there a session already? And: an admin route answering 401 ends it here too.
    {
        let auth = auth.clone();
        use_effect_with((), move |_| {
            let lost = auth.clone();
            api::on_session_lost(Some(Callback::from(move |_| {
                api::set_csrf(None);
                lost.set(Auth::SignedOut(Some(Notice::SessionExpired)));
            })));
            wasm_bindgen_futures::spawn_local(async move {
                auth.set(match session::current().await {
                    Ok(Some(info)) => Auth::SignedIn(Rc::new(info)),
                    Ok(None) => Auth::SignedOut(None),
                    Err(e) => Auth::SignedOut(Some(Notice::Failed(e))),
                });
            });
            || api::on_session_lost(None)
        });
    }

    let lang_context = LangContext {
        lang: *lang,
        set: {
            let lang = lang.clone();
            Callback::from(move |l: Lang| {
                remember_lang(l);
                lang.set(l);
            })
        },
    };

    let body = match &*auth {
        Auth::Checking => html! {
            <main id="main" class="signin" tabindex="-1">
                <p role="status">{ Key::CommonLoading.text(*lang) }</p>
            </main>
        },
        Auth::SignedOut(notice) => {
            let on_signed_in = {
                let auth = auth.clone();
                Callback::from(move |info: SessionInfo| auth.set(Auth::SignedIn(Rc::new(info))))
            };
            let notice = notice.as_ref().map(|n| n.text(*lang));
            html! { <SignIn {notice} {on_signed_in} /> }
        }
        Auth::SignedIn(info) => {
            // Ends the session; `home`: and goes to the sign-in of the console's start, not
            // of the screen shown now.
            let end = |home: bool| {
                let auth = auth.clone();
                Callback::from(move |_| {
                    let auth = auth.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        // Signed out here whatever the server said: the cookie is
                        // useless without the CSRF token, which is forgotten now.
                        let _ = session::sign_out().await;
                        auth.set(Auth::SignedOut(None));
                        if home {
                            navigate("#/");
                        }
                    });
                })
            };
            let sign_out = end(true);
            let switch = end(false);
            let update = {
                let auth = auth.clone();
                Callback::from(move |info: SessionInfo| auth.set(Auth::SignedIn(Rc::new(info))))
            };
            let context = SessionContext {
                info: info.clone(),
                sign_out,
                switch,
                update,
            };
            html! {
                <ContextProvider<SessionContext> {context}>
                    <Shell />
                </ContextProvider<SessionContext>>
            }
        }
    };

    html! {
        <ContextProvider<LangContext> context={lang_context}>
            { body }
        </ContextProvider<LangContext>>
    }
}

#[derive(Properties, PartialEq)]
struct SignInProps {
    notice: Option<String>,
    on_signed_in: Callback<SessionInfo>,
}

/// The sign-in screen: one token field; errors in an alert region next to it.
#[function_component(SignIn)]
fn sign_in(props: &SignInProps) -> Html {
    let lang = crate::i18n::use_lang();
    let t = |k: Key| k.text(lang.lang);
    let input = use_node_ref();
    let error = use_state(|| props.notice.clone());
    let busy = use_state(|| false);

    use_effect_with((), |_| focus_heading());
    {
        let lang = lang.lang;
        use_effect_with(lang, move |lang| set_title(Key::SignInTitle.text(*lang)));
    }

    let onsubmit = {
        let input = input.clone();
        let error = error.clone();
        let busy = busy.clone();
        let on_signed_in = props.on_signed_in.clone();
        let lang = lang.lang;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let token = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            if token.is_empty() {
                error.set(Some(Key::SignInEmpty.text(lang).to_string()));
                return;
            }
            busy.set(true);
            let error = error.clone();
            let busy = busy.clone();
            let on_signed_in = on_signed_in.clone();
            let input = input.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match session::sign_in(&token).await {
                    Ok(info) => on_signed_in.emit(info),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(sign_in_error(&e, lang)));
                        if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                            let _ = i.focus();
                            i.select();
                        }
                    }
                }
            });
        })
    };

    let has_error = error.is_some();
    // Came by a poll's control link (`/control/{poll}` leads to `#/polls/{poll}`): the
    // sign-in keeps the address, so that poll's control opens next.
    let to_poll = Route::parse(&current_hash()).controlled_poll().is_some();
    html! {
        <main id="main" class="signin" tabindex="-1">
            <div class="signin-lang"><LangSwitch /></div>
            <h1 tabindex="-1">{ t(Key::AppName) }{ " — " }{ t(Key::SignInTitle) }</h1>
            <p>{ t(Key::SignInIntro) }</p>
            if to_poll {
                <p id="signin-then">{ t(Key::SignInThenPoll) }</p>
            }
            <form class="card" {onsubmit} novalidate=true>
                <div class="field">
                    <label for="signin-token">{ t(Key::SignInToken) }</label>
                    <input id="signin-token" name="token" type="password" ref={input}
                        autocomplete="off" spellcheck="false" required=true
                        aria-invalid={has_error.then_some("true")}
                        aria-describedby="signin-error" />
                </div>
                <div id="signin-error" class="alert" role="alert">
                    { error.as_ref().map(|m| html! { <p>{ m }</p> }).unwrap_or_default() }
                </div>
                <button type="submit" class="primary" aria-disabled={busy.then_some("true")}>
                    { if *busy { t(Key::SignInBusy) } else { t(Key::SignInSubmit) } }
                </button>
            </form>
        </main>
    }
}

/// The sign-in error for people: the three the sign-in screen knows, else the general one.
fn sign_in_error(e: &ApiError, lang: Lang) -> String {
    use mekaar_api::ErrorCode;
    if e.is(ErrorCode::Unauthorized) {
        Key::SignInWrongToken.text(lang).to_string()
    } else if e.is(ErrorCode::RateLimited) {
        let wait = e.retry_after.unwrap_or(60).to_string();
        fill(Key::SignInTooMany.text(lang), &[("n", &wait)])
    } else if e.is(ErrorCode::CommunityTokenRequired) {
        Key::SignInServerToken.text(lang).to_string()
    } else {
        e.text(lang)
    }
}

fn set_title(screen: &str) {
    if let Some(d) = document() {
        d.set_title(&format!("{screen} — Mekaar"));
    }
}

/// The language switch: two buttons, the current one pressed.
#[function_component(LangSwitch)]
pub fn lang_switch() -> Html {
    let lang = crate::i18n::use_lang();
    html! {
        <div class="lang-switch" role="group" aria-label={Key::HeaderLanguage.text(lang.lang)}>
            { for Lang::ALL.into_iter().map(|l| {
                let set = lang.set.clone();
                html! {
                    <button type="button" lang={l.tag()}
                        aria-pressed={if l == lang.lang { "true" } else { "false" }}
                        onclick={Callback::from(move |_| set.emit(l))}>
                        { l.own_name() }
                    </button>
                }
            }) }
        </div>
    }
}

/// The signed-in layout.
#[function_component(Shell)]
fn shell() -> Html {
    let lang = crate::i18n::use_lang();
    let t = |k: Key| k.text(lang.lang);
    let session = session::use_session();
    let route = use_route();
    let role = session.info.role;

    // The screen's name in the tab title; the focus on its heading.
    {
        let route = route.clone();
        let lang = lang.lang;
        use_effect_with((route, lang, role), move |(route, lang, role)| {
            let key = match route {
                Route::Home => role.home().nav_key(),
                Route::Screen(s, _) if role.may(*s) => s.nav_key(),
                Route::Screen(..) => Key::NotAllowedTitle,
                Route::NotFound => Key::NotFoundTitle,
            };
            set_title(key.text(*lang));
        });
    }
    {
        let screen = match &route {
            Route::Screen(s, _) => Some(*s),
            _ => None,
        };
        use_effect_with(screen, |_| focus_heading());
    }

    // How many initiatives and how many reactions wait for a moderator, for the
    // navigation: asked again at every change of route and when a screen asks
    // ([`BadgeRefresh`]), so a decision shows at once.
    let waiting = use_state(|| None::<u64>);
    let reactions_waiting = use_state(|| None::<u64>);
    let badge_tick = use_state(|| 0_u32);
    {
        let (waiting, reactions_waiting) = (waiting.clone(), reactions_waiting.clone());
        let community = session.info.community.clone();
        let moderates = role.may(Screen::Moderation);
        let moderates_reactions = role.may(Screen::Reactions);
        use_effect_with((route.clone(), *badge_tick), move |_| {
            if moderates {
                let community = community.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    // The smallest queue as a rule; every answer carries every count.
                    let path = api::admin_path(&community, "/initiatives?queue=reported");
                    if let Ok(list) = api::get::<mekaar_api::InitiativeAdminList>(&path).await {
                        waiting.set(Some(list.counts.waiting));
                    }
                });
            }
            if moderates_reactions {
                wasm_bindgen_futures::spawn_local(async move {
                    let path = api::admin_path(&community, "/reactions?queue=reported");
                    if let Ok(list) =
                        api::get::<mekaar_api::discussions::ReactionAdminList>(&path).await
                    {
                        reactions_waiting.set(Some(screens::reactions::waiting(&list.counts)));
                    }
                });
            }
        });
    }
    let badge_refresh = {
        let badge_tick = badge_tick.clone();
        BadgeRefresh(Callback::from(move |()| {
            badge_tick.set(badge_tick.wrapping_add(1))
        }))
    };

    let active = match &route {
        Route::Home => Some(role.home()),
        Route::Screen(s, _) => Some(*s),
        Route::NotFound => None,
    };
    let content = match &route {
        Route::Home => screens::view(role.home(), ""),
        Route::Screen(s, rest) if role.may(*s) => screens::view(*s, rest),
        Route::Screen(..) => screens::message(Key::NotAllowedTitle, Key::NotAllowedText),
        Route::NotFound => screens::message(Key::NotFoundTitle, Key::NotFoundText),
    };
    let skip = Callback::from(|e: MouseEvent| {
        // Not a fragment link: the fragment is the route.
        e.prevent_default();
        if let Some(main) = document()
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    });
    let sign_out = {
        let s = session.sign_out.clone();
        Callback::from(move |_: MouseEvent| s.emit(()))
    };
    let info = &session.info;
    let name = if info.community_name.is_empty() {
        info.community.clone()
    } else {
        info.community_name.clone()
    };
    html! {
        <>
            <a class="skip-link" href="#main" onclick={skip}>{ t(Key::SkipToContent) }</a>
            <header class="topbar">
                <p class="brand">{ t(Key::AppName) }</p>
                <dl class="who">
                    <div><dt>{ t(Key::HeaderCommunity) }</dt><dd id="community-name">{ name }</dd></div>
                    <div><dt>{ t(Key::HeaderRole) }</dt><dd id="session-role">{ t(role.key()) }
                        { if info.label.is_empty() { html! {} } else { html! { <>{ " (" }{ &info.label }{ ")" }</> } } }
                    </dd></div>
                </dl>
                <LangSwitch />
                <button type="button" class="sign-out" onclick={sign_out}>{ t(Key::SignOut) }</button>
            </header>
            <div class="layout">
                <nav aria-label={t(Key::NavLabel)}>
                    <ul>
                        { for Screen::ALL.into_iter().filter(|s| role.may(*s)).map(|s| {
                            let (count, badge_id, said) = match s {
                                Screen::Moderation => (*waiting, "nav-waiting", Key::NavWaiting),
                                Screen::Reactions => (*reactions_waiting, "nav-reactions-waiting", Key::NavReactionsWaiting),
                                _ => (None, "", Key::NavWaiting),
                            };
                            let badge = count
                                .filter(|n| *n > 0)
                                .map(|n| html! {
                                    <>
                                        <span class="badge" id={badge_id} aria-hidden="true">{ n }</span>
                                        <span class="visually-hidden">{ fill(t(said), &[("n", &n.to_string())]) }</span>
                                    </>
                                });
                            html! {
                                <li>
                                    <a href={s.href()} id={format!("nav-{}", s.path())} aria-current={(active == Some(s)).then_some("page")}>
                                        { t(s.nav_key()) }
                                        { badge.unwrap_or_default() }
                                    </a>
                                </li>
                            }
                        }) }
                    </ul>
                </nav>
                <main id="main" tabindex="-1">
                    <ContextProvider<BadgeRefresh> context={badge_refresh}>
                        { content }
                    </ContextProvider<BadgeRefresh>>
                </main>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_from_fragments() {
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("#/"), Route::Home);
        assert_eq!(
            Route::parse("#/settings"),
            Route::Screen(Screen::Settings, String::new())
        );
        assert_eq!(
            Route::parse("#/polls/abc"),
            Route::Screen(Screen::Polls, "abc".into())
        );
        assert_eq!(Route::parse("#/nope"), Route::NotFound);
        for s in Screen::ALL {
            assert_eq!(Route::parse(&s.href()), Route::Screen(s, String::new()));
        }
    }

    #[test]
    fn a_control_link_names_its_poll() {
        // `/control/{poll}` leads to `/admin#/polls/{poll}`.
        assert_eq!(Route::parse("#/polls/abc").controlled_poll(), Some("abc"));
        assert_eq!(Route::parse("#/polls/abc/").controlled_poll(), Some("abc"));
        for other in [
            "#/polls",
            "#/polls/",
            "#/polls/new",
            "#/polls/abc/edit",
            "#/settings",
            "",
        ] {
            assert_eq!(Route::parse(other).controlled_poll(), None, "{other}");
        }
    }
}
