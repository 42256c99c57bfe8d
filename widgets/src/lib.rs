//! Mekaar's embeddable widgets.
//!
//! `pkg/embed.js` (from `widgets/loader/embed.js`) finds every `[data-mekaar]` placeholder on
//! the host page, loads this crate's wasm once and calls [`mount`] for each placeholder. Each
//! widget renders into the placeholder's own Shadow DOM, so neither side's CSS reaches the
//! other.

pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(feature = "discussions")]
pub mod discussion;
#[cfg(all(target_arch = "wasm32", feature = "discussions"))]
pub mod discussion_app;
#[cfg(feature = "discussions")]
pub mod discussion_view;
pub mod form;
pub mod i18n;
pub mod initiative_view;
pub mod initiatives;
#[cfg(feature = "meetings")]
pub mod meetings;
#[cfg(all(target_arch = "wasm32", feature = "meetings"))]
pub mod meetings_app;
#[cfg(feature = "meetings")]
pub mod meetings_view;
pub mod poll;
#[cfg(target_arch = "wasm32")]
pub mod poll_app;
pub mod registry;
#[cfg(feature = "meetings")]
pub mod steps;
pub mod support;
pub mod text;
pub mod voter;
pub mod widget;
pub mod wire;

/// The widget stylesheet, put in every widget's shadow root (kept without comments: it
/// ships inside the wasm).
///
/// It lives inside the shadow root, so it cannot reach the host page and the host page's
/// selectors cannot reach in. Only inherited properties and custom properties cross the
/// boundary, so `.mekaar-root` sets every inherited property it relies on, including an
/// explicit base font size (host rules like `* { font-size: 40px }` hit the host element,
/// not the widget), and takes colours and font from the `--mekaar-*` custom properties.
/// Unset, `--mekaar-font` falls back to the system font stack (a bare host page would give
/// Times); a site that wants its own font names it in `--mekaar-font`.
/// The defaults meet WCAG 2.1 AA (text contrast >= 4.5:1) in both themes. While loading, the
/// root reserves about its ready height so the host page does not jump.
///
/// The discussion and meetings families add their own rules (`discussion.css`,
/// `meetings.css`); the other families do not carry them.
#[cfg(not(any(feature = "discussions", feature = "meetings")))]
pub const STYLE: &str = include_str!("style.css");
#[cfg(all(feature = "discussions", not(feature = "meetings")))]
pub const STYLE: &str = concat!(include_str!("style.css"), include_str!("discussion.css"));
#[cfg(all(feature = "meetings", not(feature = "discussions")))]
pub const STYLE: &str = concat!(include_str!("style.css"), include_str!("meetings.css"));
#[cfg(all(feature = "discussions", feature = "meetings"))]
pub const STYLE: &str = concat!(
    include_str!("style.css"),
    include_str!("discussion.css"),
    include_str!("meetings.css")
);

/// The list's options from the placeholder's attributes (`attr` gives one, "" if absent):
/// `data-area`, `data-theme`, `data-status` preset the filters, `data-limit` the page size
/// (1–100, default 10). `data-theme` is also the colour scheme attribute of every widget:
/// its values `light`, `dark` and `auto` pick a colour scheme, any other value is a theme filter.
pub fn preset(attr: &dyn Fn(&str) -> String) -> api::Query {
    let theme = attr("data-theme");
    let theme = theme.trim();
    api::Query {
        area: attr("data-area").trim().to_owned(),
        theme: if support::Theme::is_scheme(theme) {
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
mod shell;
