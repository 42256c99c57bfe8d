//! The tables and counted sets: private to `store` (the types are `pub` in
//! this private module, so values pass through export and import, but no
//! code outside `store` can name a table or a set).

/// Plain record tables, each a sled tree (a PostgreSQL table) of JSON values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Communities,
    Initiatives,
    /// Hashes of server-wide admin tokens (made by the CLI only).
    ServerTokens,
    /// Moderation and admin actions, per community in time order.
    Audit,
    /// Webhook deliveries still to make, keyed by when they are due.
    WebhookOutbox,
    /// Every delivery attempt, per community in time order.
    WebhookLog,
    /// Polls, keyed by community + poll id.
    Polls,
    /// A poll's short join code (unique per server) → its community and id.
    PollJoinCodes,
    /// Voter keys used per poll, round and keyed network hash (never an IP);
    /// forgotten after the poll closes.
    PollNetworks,
    /// Hashes of a poll's printed single-use vote codes.
    VoteCodes,
    /// A poll id → its community and id (for `/control/{poll}`, `/overlay/{poll}`).
    PollIds,
    /// Secrets of this server that must outlive a restart (by name).
    ServerSecrets,
    /// Console sessions, keyed by the SHA-256 of the session id (the id
    /// itself lives only in the browser's cookie). Never exported.
    Sessions,
    /// Photo renditions (JPEG bytes made by the server), keyed by the
    /// SHA-256 of the bytes, with the initiatives that show them.
    Photos,
    /// Threads' settings (open, closing time) and topics, by community,
    /// kind and id; an initiative's or poll's thread has one only once changed.
    Threads,
    /// Residents' reactions, by community, thread and time-ordered id.
    Reactions,
    /// A reaction id → its thread (reactions are addressed by id alone).
    ReactionThreads,
    /// Hashed voter keys with a reaction a moderator let through, per
    /// community (for "a key's first reaction waits").
    ReactionAuthors,
    /// Meetings of initiatives, by community and meeting id.
    Meetings,
    /// E-mails waiting to be sent, keyed by when they are due (sealed: an
    /// address and a text; removed once sent, bounced or given up).
    MailOutbox,
    /// "Houd me op de hoogte": by community, initiative and hashed voter key
    /// (sealed: the address and the unsubscribe link).
    MailSubscriptions,
    /// SHA-256 of a confirm or unsubscribe token → its subscription.
    MailTokens,
    /// Per initiative: news waiting for the next digest, and when the last went.
    MailDigests,
    /// Per initiative with an initiator's address: that address and the
    /// manage token, to mail the link again ("link kwijt?"; sealed).
    MailManage,
    /// Per community: mails sent, failed and bounced; per address hash: bounces.
    MailStats,
    /// An initiative's short link code (`/i/{code}`, unique per server) →
    /// its community and id.
    InitiativeCodes,
}

impl Table {
    /// The name of the table's sled tree (also its name in exports).
    pub(in crate::store) fn tree_name(self) -> &'static str {
        match self {
            Table::Communities => "communities",
            Table::Initiatives => "initiatives",
            Table::ServerTokens => "server_tokens",
            Table::Audit => "audit",
            Table::WebhookOutbox => "webhook_outbox",
            Table::WebhookLog => "webhook_log",
            Table::Polls => "polls",
            Table::PollJoinCodes => "poll_join_codes",
            Table::PollNetworks => "poll_networks",
            Table::VoteCodes => "vote_codes",
            Table::PollIds => "poll_ids",
            Table::ServerSecrets => "server_secrets",
            Table::Sessions => "sessions",
            Table::Photos => "photos",
            Table::Threads => "threads",
            Table::Reactions => "reactions",
            Table::ReactionThreads => "reaction_threads",
            Table::ReactionAuthors => "reaction_authors",
            Table::Meetings => "meetings",
            Table::MailOutbox => "mail_outbox",
            Table::MailSubscriptions => "mail_subscriptions",
            Table::MailTokens => "mail_tokens",
            Table::MailDigests => "mail_digests",
            Table::MailManage => "mail_manage",
            Table::MailStats => "mail_stats",
            Table::InitiativeCodes => "initiative_codes",
        }
    }

    /// Whether its records are sealed with a key of their own (see
    /// `keyring`): those that may hold personal data or secrets.
    pub(in crate::store) fn is_sealed(self) -> bool {
        matches!(
            self,
            Table::Communities
                | Table::Initiatives
                | Table::Audit
                | Table::WebhookOutbox
                // A poll round's network secret: with it and the round's
                // counters from an old log segment, IPv4 networks could be
                // tried one by one after the counters were deleted.
                | Table::ServerSecrets
                // A removed photo is erased for real, as personal data are:
                // a photo may show people, and a removal is often a request.
                | Table::Photos
                // Display names and texts: erased for real on removal.
                | Table::Reactions
                // Addresses, mail texts, manage tokens.
                | Table::MailOutbox
                | Table::MailSubscriptions
                | Table::MailManage
        )
    }

    /// Whether exports hold this table. Sessions are ephemeral credentials:
    /// a backup that signed people in again after a restore, or a copy
    /// that let its reader act as a signed-in moderator, would be a leak.
    pub(in crate::store) fn is_exported(self) -> bool {
        self != Table::Sessions
    }

    /// Every table, in declaration order.
    pub(in crate::store) const ALL: [Table; 26] = [
        Table::Communities,
        Table::Initiatives,
        Table::ServerTokens,
        Table::Audit,
        Table::WebhookOutbox,
        Table::WebhookLog,
        Table::Polls,
        Table::PollJoinCodes,
        Table::PollNetworks,
        Table::VoteCodes,
        Table::PollIds,
        Table::ServerSecrets,
        Table::Sessions,
        Table::Photos,
        Table::Threads,
        Table::Reactions,
        Table::ReactionThreads,
        Table::ReactionAuthors,
        Table::Meetings,
        Table::MailOutbox,
        Table::MailSubscriptions,
        Table::MailTokens,
        Table::MailDigests,
        Table::MailManage,
        Table::MailStats,
        Table::InitiativeCodes,
    ];
}

/// Counted sets: members grouped by a key, with a count per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedSet {
    /// group: an initiative; member: a hashed voter key.
    Supports,
    /// group: an initiative; member: a hashed voter key; value: the join details.
    Joins,
    /// group: an initiative; member: a hashed voter key; value: the report.
    Reports,
    /// group: a poll's round; member: a hashed voter key or vote code;
    /// value: the chosen option indexes, one byte each.
    Votes,
    /// group: a reaction; member: a hashed voter key ("eens").
    Agrees,
    /// group: a reaction; member: a hashed voter key; value: the reason.
    ReactionReports,
    /// group: a thread; member: the id of a published reaction (so the
    /// count is the thread's number of published reactions).
    PublishedReactions,
    /// group: a meeting; member: a hashed voter key ("ik kom").
    Attendees,
}

impl CountedSet {
    /// The name of the set's sled tree (also its name in exports).
    pub(in crate::store) fn tree_name(self) -> &'static str {
        match self {
            CountedSet::Supports => "supports",
            CountedSet::Joins => "joins",
            CountedSet::Reports => "reports",
            CountedSet::Votes => "votes",
            CountedSet::Agrees => "agrees",
            CountedSet::ReactionReports => "reaction_reports",
            CountedSet::PublishedReactions => "published_reactions",
            CountedSet::Attendees => "attendees",
        }
    }

    /// Whether the members' values are sealed (see `keyring`): a joiner's
    /// name, contact and message.
    pub(in crate::store) fn is_sealed(self) -> bool {
        matches!(self, CountedSet::Joins | CountedSet::ReactionReports)
    }

    /// Whether the members are also counted per value (PostgreSQL keeps
    /// `<set>_by_value` in the member's transaction): the votes, whose
    /// values are the choices, so a poll's totals are a few rows to read,
    /// not every vote. Never a sealed set (its values differ by nonce).
    pub(in crate::store) fn counts_by_value(self) -> bool {
        self == CountedSet::Votes
    }

    /// Every counted set, in declaration order.
    pub(in crate::store) const ALL: [CountedSet; 8] = [
        CountedSet::Supports,
        CountedSet::Joins,
        CountedSet::Reports,
        CountedSet::Votes,
        CountedSet::Agrees,
        CountedSet::ReactionReports,
        CountedSet::PublishedReactions,
        CountedSet::Attendees,
    ];
}
