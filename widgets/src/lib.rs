//! Mekaar's embeddable widgets.
//!
//! `pkg/embed.js` (from `widgets/loader/embed.js`) finds every `[data-mekaar]` placeholder on
//! the host page, loads this crate's wasm once and calls [`mount`] for each placeholder. Each
//! widget renders into the placeholder's own Shadow DOM, so neither side's CSS reaches the
//! other.

pub mod api;
pub mod i18n;
pub mod support;
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

#[cfg(target_arch = "wasm32")]
mod mount {
    use crate::i18n::Lang;
    use crate::support::{Props, SupportWidget, Theme};
    use wasm_bindgen::prelude::*;
    use web_sys::{Element, ShadowRootInit, ShadowRootMode};

    /// Mounts the widget named by `element`'s `data-mekaar` into `element`'s shadow root.
    /// `base` is the API base, the loader's own directory (ending in `/`).
    ///
    /// Throws (so the loader can mark the placeholder and leave its fallback content) for an
    /// unknown widget kind or when the element cannot host a shadow root.
    #[wasm_bindgen]
    pub fn mount(element: Element, base: String) -> Result<(), JsValue> {
        let kind = element.get_attribute("data-mekaar").unwrap_or_default();
        if kind.trim() != "support" {
            return Err(JsValue::from_str("mekaar: unknown widget kind"));
        }
        let attr = |name: &str| element.get_attribute(name).unwrap_or_default();
        let props = Props {
            base: base.into(),
            community: attr("data-community").trim().to_owned().into(),
            initiative: attr("data-initiative").trim().to_owned().into(),
            lang: Lang::from_tag(element.get_attribute("data-lang").as_deref()),
            theme: Theme::from_attr(element.get_attribute("data-theme").as_deref()),
            voter: crate::voter::voter_key(),
        };

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
        let root = document.create_element("div")?;
        shadow.append_child(&root)?;

        // The app lives as long as the page; dropping the handle does not unmount it.
        let _ = yew::Renderer::<SupportWidget>::with_root_and_props(root, props).render();
        Ok(())
    }
}
