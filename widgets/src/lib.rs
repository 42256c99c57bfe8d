//! Mekaar's embeddable widgets.
//!
//! `pkg/embed.js` (from `widgets/loader/embed.js`) finds every `[data-mekaar]` placeholder on
//! the host page, loads this crate's wasm once and calls [`mount`] for each placeholder. Each
//! widget renders into the placeholder's own Shadow DOM, so neither side's CSS reaches the
//! other.

pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod app;
pub mod control;
#[cfg(target_arch = "wasm32")]
pub mod dom;
pub mod form;
pub mod i18n;
pub mod initiatives;
pub mod markup;
pub mod poll;
#[cfg(target_arch = "wasm32")]
pub mod poll_app;
pub mod support;
pub mod text;
pub mod voter;

/// The widget stylesheet, put in every widget's shadow root (kept without comments: it
/// ships inside the wasm).
///
/// It lives inside the shadow root, so it cannot reach the host page and the host page's
/// selectors cannot reach in. Only inherited properties and custom properties cross the
/// boundary, so `.mekaar-root` sets every inherited property it relies on, including an
/// explicit base font size (host rules like `* { font-size: 40px }` hit the host element,
/// not the widget), and takes colours and font from the `--mekaar-*` custom properties.
/// `--mekaar-font` has no fallback on purpose: unset, the font is inherited from the host.
/// The defaults meet WCAG 2.1 AA (text contrast >= 4.5:1) in both themes. While loading, the
/// root reserves about its ready height so the host page does not jump.
pub const STYLE: &str = include_str!("style.css");

/// The list's options from the placeholder's attributes (`attr` gives one, "" if absent):
/// `data-area`, `data-theme`, `data-status` preset the filters, `data-limit` the page size
/// (1–100, default 10). `data-theme` is also the colour scheme attribute of every widget:
/// its values `light` and `dark` pick a colour scheme, any other value is a theme filter.
pub fn preset(attr: &dyn Fn(&str) -> String) -> api::Query {
    let theme = attr("data-theme");
    let theme = theme.trim();
    api::Query {
        area: attr("data-area").trim().to_owned(),
        theme: if support::Theme::from_attr(Some(theme)).is_some() {
            String::new()
        } else {
            theme.to_owned()
        },
        status: attr("data-status").trim().to_owned(),
        limit: attr("data-limit")
            .trim()
            .parse::<u64>()
            .map_or(10, |n| n.clamp(1, 100)),
        ..Default::default()
    }
}

#[cfg(target_arch = "wasm32")]
mod mount {
    use crate::i18n::Lang;
    use crate::initiatives::Kind;
    use crate::support::Theme;
    use wasm_bindgen::prelude::*;
    use web_sys::{Element, ShadowRootInit, ShadowRootMode};

    /// Mounts the widget named by `element`'s `data-mekaar` into `element`'s shadow root.
    /// `base` is the API base, the loader's own directory (ending in `/`).
    ///
    /// Throws (so the loader can mark the placeholder and leave its fallback content) for an
    /// unknown widget kind or when the element cannot host a shadow root.
    #[wasm_bindgen]
    pub fn mount(element: Element, base: String) -> Result<(), JsValue> {
        let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
        let kind = match attr("data-mekaar").trim() {
            "poll" | "poll-control" => None,
            "support" => None,
            "initiatives" => Some(Kind::List),
            "initiative" => Some(Kind::Single),
            "manage" => Some(Kind::Manage),
            _ => return Err(JsValue::from_str("mekaar: unknown widget kind")),
        };
        let lang = Lang::from_tag(element.get_attribute("data-lang").as_deref());
        let theme = Theme::from_attr(element.get_attribute("data-theme").as_deref());
        let community = attr("data-community").trim().to_owned();
        let initiative = attr("data-initiative").trim().to_owned();

        let shadow = match element.shadow_root() {
            Some(shadow) => {
                shadow.set_inner_html("");
                shadow
            }
            None => element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
        };
        let document = element.owner_document().ok_or("mekaar: no document")?;
        let style = document.create_element("style")?;
        style.set_text_content(Some(crate::STYLE));
        shadow.append_child(&style)?;
        // The widget's container; the widget renders its `.mekaar-root` inside.
        let root = document.create_element("div")?;
        shadow.append_child(&root)?;

        let voter = crate::voter::voter_key();
        let widget = attr("data-mekaar");
        if widget.trim().starts_with("poll") {
            let config = crate::poll_app::Config {
                base,
                community,
                poll: attr("data-poll").trim().to_owned(),
                lang,
                theme: theme.map(Theme::attr),
                voter,
                overlay: attr("data-view").trim() == "overlay",
            };
            if widget.trim() == "poll" {
                crate::poll_app::start(config, root);
            } else {
                crate::poll_app::start_control(config, root);
            }
            return Ok(());
        }
        match kind {
            None => {
                let props = crate::support::Props {
                    base: base.into(),
                    community: community.into(),
                    initiative: initiative.into(),
                    lang,
                    theme,
                    voter,
                    threshold: None,
                };
                // The button lives as long as the page.
                std::mem::forget(crate::support::start(props, root));
            }
            Some(kind) => {
                // The manage token is the fragment of the manage link: it is only ever sent
                // in the manage header.
                let token = if kind == Kind::Manage {
                    let hash = web_sys::window()
                        .and_then(|w| w.location().hash().ok())
                        .unwrap_or_default();
                    hash.trim_start_matches('#').to_owned()
                } else {
                    String::new()
                };
                let config = crate::app::Config {
                    kind,
                    base,
                    community,
                    initiative,
                    lang,
                    theme,
                    voter,
                    token: token.into(),
                    submit: attr("data-submit").trim() != "false",
                    preset: crate::preset(&attr),
                };
                crate::app::start(config, root);
            }
        }
        Ok(())
    }
}
