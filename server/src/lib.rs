//! Mekaar server: communities, initiatives and supports over a JSON API,
//! the embedded widget bundle, and the durable sled store behind them.
//! See ARCHITECTURE.md for how a request flows through these modules.

pub mod assets;
pub mod auth;
pub mod communities;
pub mod cors;
pub mod demo;
pub mod errors;
pub mod http;
pub mod initiatives;
pub mod secrets;
pub mod server;
pub mod store;
pub mod supports;
