//! Mekaar's admin console, served at `/admin`: a yew app for community admins, moderators
//! and poll editors. Its own bundle (`pkg/console/`, built by `scripts/build-pkg`): the
//! residents' widget bundle does not carry a byte of it.
//!
//! - [`app`]: the shell (language, session, sign-in, layout, routing by `#/screen`).
//! - [`api`]: fetch helpers (same origin, session cookie, `Mekaar-CSRF`, errors).
//! - [`i18n`]: the one translation table (nl, en).
//! - [`session`]: the signed-in session and roles, as a yew context.
//! - [`screens`]: one module per screen.

pub mod api;
pub mod app;
pub mod i18n;
pub mod screens;
pub mod session;

use wasm_bindgen::prelude::*;

/// Starts the console in `#mekaar-console` (the page at `/admin`), replacing the loading
/// text there. Runs when the boot script initialises the wasm.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("mekaar-console"))
    else {
        return;
    };
    root.set_text_content(None);
    yew::Renderer::<app::App>::with_root(root).render();
}
