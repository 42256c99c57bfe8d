//! Mekaar server: communities, initiatives, supports, joins, moderation and
//! webhooks over a JSON API,
//! the embedded widget bundle, and the durable sled store behind them.
//! See ARCHITECTURE.md for how a request flows through these modules.

pub mod abuse;
pub mod assets;
pub mod auth;
pub mod cluster;
pub mod communities;
pub mod connections;
pub mod cors;
pub mod demo;
pub mod discussions;
pub mod errors;
pub mod export;
pub mod feeds;
pub mod frames;
pub mod http;
pub mod initiatives;
pub mod joins;
pub mod live;
pub mod mail;
pub mod meetings;
pub mod moderation;
pub mod opendata;
pub mod outbound;
pub mod pages;
pub mod photos;
pub mod polls;
pub mod privacy;
pub mod secrets;
pub mod server;
pub mod sessions;
pub mod share;
pub mod spreadsheet;
pub mod steps;
pub mod store;
pub mod supports;
pub mod webhooks;
