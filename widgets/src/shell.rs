//! Mounting and unmounting widgets: the two functions the loader (`embed.js`) calls.
//!
//! [`mount`] gives the placeholder an open shadow root, adopts the page's one shared
//! stylesheet into it and starts the widget's yew app in a container inside it;
//! [`unmount`] destroys that app when the loader sees the placeholder leave the page, which
//! ends its hooks: event streams, timers and listeners on the host page.

// Built with one widget family (see `build-pkg`), the other family's arms are left out.
#![cfg_attr(
    not(all(
        feature = "initiatives",
        feature = "polls",
        feature = "discussions",
        feature = "meetings"
    )),
    allow(unused_variables, dead_code)
)]

use crate::i18n::Lang;
use crate::initiatives::Kind;
use crate::support::Theme;
use crate::widget::{heading_level, Env};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// What ends one mounted widget's app.
type End = Box<dyn FnOnce()>;

thread_local! {
    /// The mounted widgets: their placeholder and what ends their app.
    static MOUNTED: RefCell<Vec<(Element, End)>> = RefCell::new(Vec::new());
    /// The one constructable stylesheet every shadow root on the page adopts; `None` where
    /// the browser has none (then each shadow root gets a `<style>`).
    static SHEET: Option<CssStyleSheet> = shared_sheet();
    /// Each family's wasm counts on its own: the discussion family (mounted inside other
    /// widgets too) counts from 1000, the meetings family from 2000, so ids never repeat
    /// on a page.
    static NEXT_UID: RefCell<u32> = const {
        RefCell::new(if cfg!(any(feature = "initiatives", feature = "polls")) {
            0
        } else if cfg!(feature = "discussions") {
            1000
        } else {
            2000
        })
    };
}

fn shared_sheet() -> Option<CssStyleSheet> {
    let sheet = CssStyleSheet::new().ok()?;
    sheet.replace_sync(crate::STYLE).ok()?;
    Some(sheet)
}

/// Puts the widget stylesheet in `shadow`: adopted (no `<style>` element, so a host page
/// whose CSP forbids inline styles still styles the widget), or as a `<style>` element in
/// browsers without constructable stylesheets.
fn style(shadow: &ShadowRoot, document: &web_sys::Document) -> Result<(), JsValue> {
    let adopted = SHEET.with(|sheet| {
        sheet.as_ref().is_some_and(|sheet| {
            js_sys::Reflect::set(
                shadow,
                &JsValue::from_str("adoptedStyleSheets"),
                &js_sys::Array::of1(sheet),
            )
            .unwrap_or(false)
        })
    });
    if !adopted {
        let style = document.create_element("style")?;
        style.set_text_content(Some(crate::STYLE));
        shadow.append_child(&style)?;
    }
    Ok(())
}

/// The widget kinds a placeholder can name in `data-mekaar`.
enum Widget {
    Support,
    Poll,
    Discussion,
    Agenda,
    Meetings,
    Steps,
    Initiatives(Kind),
}

impl Widget {
    /// Whether this wasm was built with the widget's family (see `build-pkg`).
    fn built(&self) -> bool {
        match self {
            Widget::Support | Widget::Initiatives(_) => cfg!(feature = "initiatives"),
            Widget::Poll => cfg!(feature = "polls"),
            Widget::Discussion => cfg!(feature = "discussions"),
            Widget::Agenda | Widget::Meetings | Widget::Steps => cfg!(feature = "meetings"),
        }
    }

    fn from_attr(name: &str) -> Option<Widget> {
        Some(match name.trim() {
            "support" => Widget::Support,
            "poll" => Widget::Poll,
            "discussion" => Widget::Discussion,
            "agenda" => Widget::Agenda,
            "meetings" => Widget::Meetings,
            "steps" => Widget::Steps,
            "initiatives" => Widget::Initiatives(Kind::List),
            "initiative" => Widget::Initiatives(Kind::Single),
            "manage" => Widget::Initiatives(Kind::Manage),
            _ => return None,
        })
    }
}

/// Starts component `C` in `root` and remembers how to end it when `element` leaves.
fn start<C: yew::BaseComponent>(element: &Element, root: Element, props: C::Properties) {
    let app = yew::Renderer::<C>::with_root_and_props(root, props).render();
    let end: End = Box::new(move || app.destroy());
    MOUNTED.with(|m| m.borrow_mut().push((element.clone(), end)));
}

/// Mounts the widget named by `element`'s `data-mekaar` into `element`'s shadow root.
/// `base` is the API base, the loader's own directory (ending in `/`).
///
/// Throws (so the loader can mark the placeholder and leave its fallback content) for an
/// unknown widget kind or when the element cannot host a shadow root.
#[wasm_bindgen]
pub fn mount(element: Element, base: String) -> Result<(), JsValue> {
    let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
    let widget = Widget::from_attr(&attr("data-mekaar"))
        .filter(Widget::built)
        .ok_or_else(|| JsValue::from_str("mekaar: unknown widget kind"))?;
    // A placeholder mounted again (a second loader, or taken out and put back) starts over.
    unmount(element.clone());

    let shadow = match element.shadow_root() {
        Some(shadow) => {
            shadow.set_inner_html("");
            shadow
        }
        None => element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    let document = element.owner_document().ok_or("mekaar: no document")?;
    style(&shadow, &document)?;
    // The widget's container; the widget renders its `.mekaar-root` inside.
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;
    derive_accent_contrast(&element, &root);

    let uid = NEXT_UID.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    let env = Rc::new(Env {
        base: base.as_str().into(),
        community: attr("data-community").trim().into(),
        lang: Lang::from_tag(Some(&attr("data-lang"))),
        theme: theme(&element, &attr("data-theme")),
        voter: crate::voter::voter_key(),
        heading: heading_level(&attr("data-heading-level")),
        uid,
        preview: attr("data-preview").trim() == "true",
    });
    let initiative = || -> Rc<str> { attr("data-initiative").trim().into() };
    // On the manage page (`data-as="initiator"`): its token, from the fragment (never sent
    // to a server but in the manage header).
    let manage = || -> Option<Rc<str>> {
        (attr("data-as").trim() == "initiator")
            .then(|| {
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                hash.trim_start_matches('#').trim().to_string()
            })
            .filter(|token| !token.is_empty())
            .map(Rc::from)
    };
    match widget {
        #[cfg(feature = "initiatives")]
        Widget::Support => start::<crate::support::SupportButton>(
            &element,
            root,
            crate::support::Props {
                env,
                initiative: initiative(),
                threshold: None,
            },
        ),
        #[cfg(feature = "polls")]
        Widget::Poll => start::<crate::poll_app::PollWidget>(
            &element,
            root,
            crate::poll_app::Props {
                env,
                poll: attr("data-poll").trim().into(),
                overlay: attr("data-view").trim() == "overlay",
            },
        ),
        #[cfg(feature = "discussions")]
        Widget::Discussion => start::<crate::discussion_app::DiscussionWidget>(
            &element,
            root,
            crate::discussion_app::Props {
                env,
                target: crate::discussion::Target::from_attrs(&attr),
                manage: manage(),
            },
        ),
        #[cfg(feature = "meetings")]
        Widget::Agenda | Widget::Meetings => start::<crate::meetings_app::MeetingsWidget>(
            &element,
            root,
            crate::meetings_app::Props {
                scope: if matches!(widget, Widget::Agenda) {
                    crate::meetings::Scope::Agenda
                } else {
                    crate::meetings::Scope::Initiative
                },
                env,
                initiative: initiative(),
                area: attr("data-area").trim().into(),
                manage: manage(),
            },
        ),
        #[cfg(feature = "meetings")]
        Widget::Steps => start::<crate::meetings_app::StepsWidget>(
            &element,
            root,
            crate::meetings_app::Props {
                scope: crate::meetings::Scope::Initiative,
                env,
                initiative: initiative(),
                area: Rc::from(""),
                manage: manage(),
            },
        ),
        #[cfg(feature = "initiatives")]
        Widget::Initiatives(kind) => start::<crate::app::Initiatives>(
            &element,
            root,
            crate::app::Props {
                env,
                kind,
                initiative: initiative(),
                submit: attr("data-submit").trim() != "false",
                preset: crate::preset(&attr),
            },
        ),
        // A family this wasm was built without: refused above.
        #[allow(unreachable_patterns)]
        _ => {}
    }
    Ok(())
}

/// The colour scheme for the widget on `element`: `data-theme` when it names one (`auto`:
/// none, so the stylesheet follows the visitor's OS), else the scheme that suits the first
/// opaque background behind the placeholder (light on a page with none): the host page
/// decides, not the visitor's OS, so a light site never shows a dark box.
fn theme(element: &Element, attr: &str) -> Option<Theme> {
    if let Some(theme) = Theme::from_attr(Some(attr)) {
        return Some(theme);
    }
    if attr.trim().eq_ignore_ascii_case("auto") {
        return None;
    }
    let window = web_sys::window()?;
    let mut at = Some(element.clone());
    while let Some(el) = at {
        if let Some(theme) = window
            .get_computed_style(&el)
            .ok()
            .flatten()
            .and_then(|style| style.get_property_value("background-color").ok())
            .and_then(|colour| Theme::of_background(&colour))
        {
            return Some(theme);
        }
        at = el.parent_element();
    }
    Some(Theme::Light)
}

/// A host that sets `--mekaar-accent` but not `--mekaar-accent-contrast` gets a readable
/// text colour on its accent (white or near-black), set on the widget's container.
fn derive_accent_contrast(element: &Element, container: &Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let custom = |name: &str| {
        window
            .get_computed_style(element)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value(name).ok())
            .unwrap_or_default()
    };
    if custom("--mekaar-accent").trim().is_empty()
        || !custom("--mekaar-accent-contrast").trim().is_empty()
    {
        return;
    }
    let Some(style) = container
        .dyn_ref::<web_sys::HtmlElement>()
        .map(|e| e.style())
    else {
        return;
    };
    // The browser resolves the host's colour (a name, hex, hsl, …) to `rgb(…)` for us.
    let _ = style.set_property("color", "var(--mekaar-accent)");
    let resolved = window
        .get_computed_style(container)
        .ok()
        .flatten()
        .and_then(|s| s.get_property_value("color").ok())
        .unwrap_or_default();
    let _ = style.remove_property("color");
    if let Some(text) = Theme::text_on(&resolved) {
        let _ = style.set_property("--mekaar-accent-contrast", text);
    }
}

/// Ends the widget mounted on `element`, if any: its app is destroyed (its live
/// connections, timers and listeners end with it) and its shadow root emptied.
#[wasm_bindgen]
pub fn unmount(element: Element) {
    let ended: Vec<End> = MOUNTED.with(|m| {
        let mut m = m.borrow_mut();
        let mut ended = Vec::new();
        let mut i = 0;
        while i < m.len() {
            if m[i].0 == element {
                ended.push(m.swap_remove(i).1);
            } else {
                i += 1;
            }
        }
        ended
    });
    for end in ended {
        end();
    }
    if let Some(shadow) = element.shadow_root() {
        shadow.set_inner_html("");
    }
}
