//! Which records an export of one community holds: the store knows where
//! each table keeps its community (in the key or in the value).

use super::{Record, Table};

/// Whether a record leaves the server in an export at all (console sessions
/// never do, see [`Table::is_exported`]).
pub fn is_exported(record: Record<'_>) -> bool {
    match record {
        Record::Table { table, .. } => table.is_exported(),
        Record::Member { .. } => true,
    }
}

/// Whether `record` belongs to the community `slug` (for an export of one
/// community: no server-wide records).
pub fn belongs_to_community(record: Record<'_>, slug: &str) -> bool {
    if !is_exported(record) {
        return false;
    }
    let mut prefix = slug.as_bytes().to_vec();
    prefix.push(0);
    match record {
        Record::Table { table, key, value } => match table {
            Table::Communities => key == slug.as_bytes(),
            // Server-wide: admin token hashes, the viewer-ticket key;
            // sessions are never exported.
            Table::ServerTokens | Table::ServerSecrets | Table::Sessions => false,
            // Keyed by their hash; the value names the initiatives
            // (`community/id`) that show them.
            Table::Photos => serde_json::from_slice::<serde_json::Value>(value)
                .ok()
                .and_then(|v| {
                    v.get("owners").and_then(|o| o.as_array()).map(|owners| {
                        owners.iter().any(|o| {
                            o.as_str()
                                .and_then(|o| o.strip_prefix(slug))
                                .is_some_and(|rest| rest.starts_with('/'))
                        })
                    })
                })
                .unwrap_or(false),
            // Keyed by due time, a join code, a poll id: the community is
            // in the value.
            Table::WebhookOutbox
            | Table::PollJoinCodes
            | Table::PollIds
            | Table::MailOutbox
            | Table::MailTokens
            | Table::InitiativeCodes => serde_json::from_slice::<serde_json::Value>(value)
                .ok()
                .and_then(|v| {
                    v.get("community")
                        .and_then(|c| c.as_str())
                        .map(|c| c == slug)
                })
                .unwrap_or(false),
            // Keyed community + NUL + ….
            Table::Initiatives
            | Table::Audit
            | Table::WebhookLog
            | Table::Polls
            | Table::PollNetworks
            | Table::VoteCodes
            | Table::Threads
            | Table::Reactions
            | Table::ReactionThreads
            | Table::ReactionAuthors
            | Table::Meetings
            | Table::MailSubscriptions
            | Table::MailDigests
            | Table::MailManage => key.starts_with(&prefix),
            // Per community (its slug, then NUL) and per address hash (server-wide).
            Table::MailStats => key.starts_with(&prefix),
        },
        // Groups are initiatives (community, id), poll rounds
        // (community, poll, round), reactions (community, reaction) and
        // threads (community, kind, id), meetings (community, meeting).
        Record::Member { group, .. } => group.starts_with(&prefix),
    }
}
