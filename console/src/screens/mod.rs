//! The console's screens, one file each, and the small pieces they share.
//!
//! A screen is a function component without props: it reads the session
//! ([`crate::session::use_session`]) and the language ([`crate::i18n::use_lang`]) from
//! the contexts the app provides, and starts with a [`Heading`] (the app moves the focus
//! to it on every change of screen). Screens with sub-views read the rest of the
//! fragment (`#/polls/{id}` → `"{id}"`) from their `rest` prop.
//!
//! Shared pieces: [`Heading`], [`ErrorAlert`] (an API error as a translated sentence in
//! an alert region), [`Status`] (a polite live region for "Saved." and the like) and
//! [`Loading`].

pub mod audit;
pub mod export;
pub mod kit;
pub mod meetings;
pub mod moderation;
pub mod poll_control;
pub mod polls;
pub mod reactions;
pub mod settings;
pub mod snippet;
pub mod steps;
pub mod topics;

use yew::prelude::*;

use crate::api::ApiError;
use crate::app::Screen;
use crate::i18n::{use_lang, Key};

/// Props of screens with sub-views: what follows the screen's name in the fragment.
#[derive(Properties, PartialEq, Clone)]
pub struct ScreenProps {
    #[prop_or_default]
    pub rest: AttrValue,
}

/// The screen for `screen` (the app has checked the role may use it).
pub fn view(screen: Screen, rest: &str) -> Html {
    let rest = AttrValue::from(rest.to_string());
    match screen {
        Screen::Settings => html! { <settings::Settings /> },
        Screen::Moderation => html! { <moderation::Moderation {rest} /> },
        Screen::Polls => html! { <polls::Polls {rest} /> },
        Screen::Snippet => html! { <snippet::Snippet {rest} /> },
        Screen::Reactions => html! { <reactions::Reactions {rest} /> },
        Screen::Topics => html! { <topics::Topics {rest} /> },
        Screen::Steps => html! { <steps::Steps /> },
        Screen::Audit => html! { <audit::Audit /> },
        Screen::Export => html! { <export::Export /> },
    }
}

/// A screen that only says something ("not allowed", "unknown screen").
pub fn message(title: Key, text: Key) -> Html {
    html! { <Message {title} {text} /> }
}

#[derive(Properties, PartialEq)]
struct MessageProps {
    title: Key,
    text: Key,
}

#[function_component(Message)]
fn message_screen(props: &MessageProps) -> Html {
    let lang = use_lang().lang;
    html! {
        <>
            <Heading text={props.title.text(lang)} />
            <p id="screen-message">{ props.text.text(lang) }</p>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeadingProps {
    pub text: AttrValue,
}

/// The screen's `<h1>`; focusable from code only, so the app can move the focus to it.
#[function_component(Heading)]
pub fn heading(props: &HeadingProps) -> Html {
    html! { <h1 tabindex="-1">{ props.text.clone() }</h1> }
}

#[derive(Properties, PartialEq)]
pub struct ErrorAlertProps {
    /// Nothing shown without an error; the region itself is always there, so screen
    /// readers announce an error when it appears.
    pub error: Option<ApiError>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// An API error as one translated sentence in a `role="alert"` region.
#[function_component(ErrorAlert)]
pub fn error_alert(props: &ErrorAlertProps) -> Html {
    let lang = use_lang().lang;
    html! {
        <div class="alert" role="alert" tabindex="-1" id={props.id.clone()}>
            { props.error.as_ref().map(|e| html! { <p>{ e.text(lang) }</p> }).unwrap_or_default() }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LoadFailedProps {
    pub error: ApiError,
    pub on_retry: Callback<MouseEvent>,
}

/// What could not be loaded, as an alert, and a button to try again.
#[function_component(LoadFailed)]
pub fn load_failed(props: &LoadFailedProps) -> Html {
    let lang = use_lang().lang;
    html! {
        <>
            <ErrorAlert error={Some(props.error.clone())} />
            <button type="button" onclick={props.on_retry.clone()}>{ Key::CommonRetry.text(lang) }</button>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    /// The message; the region stays (empty) without one.
    pub text: Option<AttrValue>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A polite live region for confirmations ("Saved.", "Copied.").
#[function_component(Status)]
pub fn status(props: &StatusProps) -> Html {
    html! {
        <div class="status" role="status" aria-live="polite" id={props.id.clone()}>
            { props.text.clone().map(|t| html! { <p>{ t }</p> }).unwrap_or_default() }
        </div>
    }
}

/// "Loading…" as a status message.
#[function_component(Loading)]
pub fn loading() -> Html {
    let lang = use_lang().lang;
    html! { <p class="loading" role="status">{ Key::CommonLoading.text(lang) }</p> }
}

/// A moment (seconds since the epoch) as the browser writes local date and time in `lang`,
/// to the minute: "6 dec 2026, 14:05" (English as in Britain: day before month, 24 hours).
pub fn format_time(secs: u64, lang: crate::i18n::Lang) -> String {
    format_time_in(secs, lang, None)
}

/// As [`format_time`], in Dutch time (Europe/Amsterdam) whatever the browser's time zone:
/// for closing times typed in Dutch time.
pub fn format_dutch_time(secs: u64, lang: crate::i18n::Lang) -> String {
    format_time_in(secs, lang, Some("Europe/Amsterdam"))
}

fn format_time_in(secs: u64, lang: crate::i18n::Lang, zone: Option<&str>) -> String {
    use wasm_bindgen::JsValue;
    if secs == 0 {
        return String::new();
    }
    let date = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    if let Some(zone) = zone {
        let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into());
    }
    let locale = match lang {
        crate::i18n::Lang::Nl => "nl-NL",
        crate::i18n::Lang::En => "en-GB",
    };
    date.to_locale_string(locale, &options).into()
}

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The text copied to the clipboard.
    pub text: AttrValue,
    /// The button's text; "Kopiëren"/"Copy" by default.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A button that copies `text` to the clipboard and says so in a live region next to it
/// (or says to copy by hand when the browser refuses).
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let lang = use_lang().lang;
    let said = use_state(|| None::<AttrValue>);
    let onclick = {
        let text = props.text.clone();
        let said = said.clone();
        Callback::from(move |_: MouseEvent| {
            let said = said.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = match web_sys::window() {
                    Some(w) => {
                        let promise = w.navigator().clipboard().write_text(&text);
                        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
                    }
                    None => false,
                };
                let key = if ok {
                    Key::CommonCopied
                } else {
                    Key::CommonCopyFailed
                };
                said.set(Some(key.text(lang).into()));
            });
        })
    };
    html! {
        <span class="copy">
            <button type="button" id={props.id.clone()} {onclick}>
                { props.label.clone().unwrap_or_else(|| Key::CommonCopy.text(lang).into()) }
            </button>
            <Status text={(*said).clone()} />
        </span>
    }
}
