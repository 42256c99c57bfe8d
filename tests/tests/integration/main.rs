//! The server integration tests: the real server on an ephemeral loopback port with a
//! temporary data directory, spoken to over HTTP (and, in `cli`, through its command line).
//!
//! One test binary with a module per concern, so the server is linked once rather than
//! once per file. The tests run in parallel threads of this one process: each starts its
//! own server on its own port and data directory, and none may change what the process
//! shares (environment variables, resource limits, the working directory).
//!
//! ```text
//! cargo test -p mekaar-tests --test integration
//! cargo test -p mekaar-tests --test integration -- polls::
//! ```

mod admin_security;
mod api;
mod cli;
mod cluster;
mod discussions;
mod docs;
mod export;
mod frames;
mod hardening;
mod initiatives;
mod mail;
mod meetings;
mod openapi;
mod opendata;
mod photos;
mod polls;
mod privacy;
mod routes;
mod share;
mod steps;
mod webhooks;
