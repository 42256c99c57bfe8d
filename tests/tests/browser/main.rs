//! The browser tests: the widgets pasted into somebody else's page and the admin console,
//! in headless Chromium driven through WebDriver, against the real server.
//!
//! NEEDS: `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`), axe-core from `npm ci --prefix tests`, and `pkg/` (with
//! `pkg/console/`) built by `scripts/build-pkg` (the server embeds it). Run with
//!
//! ```text
//! npm ci --prefix tests
//! cargo test -p mekaar-tests --test browser
//! ```
//!
//! One test binary with a module per part, so the server and the harness are compiled
//! once. The browser tests take turns (see `harness::with_browser`), so they need no
//! `--test-threads=1`.

mod harness;

mod console;

mod console_flows;
mod console_meetings;
mod console_reactions;
mod console_screens;
mod console_shell;
mod console_steps;
mod discussions;
mod embedding;
mod initiatives;
mod meetings;
mod overlay;
mod poll_control;
mod polls;
mod share;
mod support_button;
