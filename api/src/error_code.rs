//! The machine-readable error codes of the API, one enum: the server maps each
//! to its HTTP status (`server/src/errors.rs`), widgets and console to a message.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $wire:literal,)*) => {
        /// The `code` of every error answer; on the wire its snake_case name.
        /// [`ErrorCode::Unknown`] stands for a code a newer server sends.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $name,)*
            /// A code this build does not know (from a newer server).
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server sends (all but [`ErrorCode::Unknown`]).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];

            /// The wire string (`"invalid_field"`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $wire,)*
                    ErrorCode::Unknown => "unknown",
                }
            }

            /// From the wire string, without serde (for the widgets' JSON reader);
            /// an unknown string is [`ErrorCode::Unknown`].
            pub fn parse(code: &str) -> ErrorCode {
                // A search of the table rather than a `match` on strings: far
                // less code in the widgets' wasm.
                ErrorCode::ALL
                    .iter()
                    .copied()
                    .find(|c| c.as_str() == code)
                    .unwrap_or(ErrorCode::Unknown)
            }
        }
    };
}

error_codes! {
    RouteNotFound = "route_not_found",
    MethodNotAllowed = "method_not_allowed",
    CommunityNotFound = "community_not_found",
    InitiativeNotFound = "initiative_not_found",
    CommunityExists = "community_exists",
    OriginNotAllowed = "origin_not_allowed",
    RateLimited = "rate_limited",
    ConsentRequired = "consent_required",
    InvalidManageToken = "invalid_manage_token",
    SpamSuspected = "spam_suspected",
    WebhookNotFound = "webhook_not_found",
    InvalidVoterKey = "invalid_voter_key",
    MalformedJson = "malformed_json",
    InvalidField = "invalid_field",
    BodyTooLarge = "body_too_large",
    LengthRequired = "length_required",
    /// The body did not arrive in time (slow or stalled sender).
    RequestTimeout = "request_timeout",
    /// The connection ended before the whole body arrived.
    BodyIncomplete = "body_incomplete",
    /// The request target is longer than the server reads.
    UriTooLong = "uri_too_long",
    /// Too many header lines or header bytes.
    HeadersTooLarge = "headers_too_large",
    /// The request could not be read as HTTP/1.1.
    MalformedRequest = "malformed_request",
    /// The request is HTTP/2 or another version than HTTP/1.1 (505).
    HttpVersionNotSupported = "http_version_not_supported",
    /// The caller's network holds as many connections as one network may.
    TooManyConnections = "too_many_connections",
    /// The server holds as many connections as it can.
    ServerBusy = "server_busy",
    UnsupportedMediaType = "unsupported_media_type",
    Unauthorized = "unauthorized",
    Forbidden = "forbidden",
    /// A server-wide token cannot sign in to the console (a community's console).
    CommunityTokenRequired = "community_token_required",
    /// An unsafe request with the session cookie lacked the session's
    /// `Mekaar-CSRF` header or came from another origin.
    CsrfFailed = "csrf_failed",
    /// Deleting the community's last admin token would lock everyone out.
    LastAdminToken = "last_admin_token",
    TokenNotFound = "token_not_found",
    JoinerNotFound = "joiner_not_found",
    StorageUnavailable = "storage_unavailable",
    /// The upload is not a readable JPEG, PNG or WebP image (not an image,
    /// a truncated or damaged file).
    PhotoInvalid = "photo_invalid",
    /// The photo has too many pixels (too wide, too tall, too many megapixels,
    /// or more memory than a photo needs); too many bytes are `body_too_large`.
    PhotoTooLarge = "photo_too_large",
    /// The Content-Type is not image/jpeg, image/png or image/webp, or the
    /// bytes are another of those than the Content-Type says (415).
    PhotoType = "photo_type",
    /// No photo at this address (an unknown or removed rendition), or the
    /// initiative has none to remove.
    PhotoNotFound = "photo_not_found",
    Internal = "internal",
    /// No meeting with this id in this community.
    MeetingNotFound = "meeting_not_found",
    /// A meeting cannot start before now.
    MeetingInPast = "meeting_in_past",
    /// A meeting's end is not after its start (or it lasts over two days).
    MeetingEndBeforeStart = "meeting_end_before_start",
    /// As many residents said "ik kom" as the meeting has places.
    MeetingFull = "meeting_full",
    /// The meeting was cancelled or has ended: "ik kom" is closed.
    MeetingClosed = "meeting_closed",
    /// No step with this id in this community.
    StepNotFound = "step_not_found",
    /// The step's threshold (supports or status) is not reached yet.
    StepLocked = "step_locked",
    /// Not an e-mail address (`name@domain.tld`, at most 254 characters).
    InvalidEmail = "invalid_email",
    /// This server sends no e-mail (no `--smtp-url`), or the community has no
    /// from-address: e-mail options are not offered.
    SmtpNotConfigured = "smtp_not_configured",
    /// Too many manage-link requests from this network or for this address.
    TooManyLinkRequests = "too_many_link_requests",
    /// A confirmation or unsubscribe link that is unknown or used up.
    MailTokenNotFound = "mail_token_not_found",
    // The dialogue (`discussions`).
    ThreadNotFound = "thread_not_found",
    ThreadClosed = "thread_closed",
    ReactionNotFound = "reaction_not_found",
    /// Editing or deleting one's own reaction after [`crate::discussions::limits::EDIT_WINDOW_SECS`],
    /// or with another voter key.
    EditWindowOver = "edit_window_over",
    NotYourReaction = "not_your_reaction",
    /// The same text from the same voter key in this thread again.
    DuplicateReaction = "duplicate_reaction",
    /// A reply to a reply (replies are one level deep), or to another thread's reaction.
    InvalidReply = "invalid_reply",
    TopicNotFound = "topic_not_found",
    // Polls.
    PollNotFound = "poll_not_found",
    PollNotOpen = "poll_not_open",
    AlreadyVoted = "already_voted",
    NetworkCap = "network_cap",
    InvalidVoteCode = "invalid_vote_code",
    InvalidPollState = "invalid_poll_state",
    PollHasVotes = "poll_has_votes",
    ResultsHidden = "results_hidden",
    RoundChanged = "round_changed",
    /// Approving, hiding or restoring a reaction its state does not allow
    /// (a removed reaction).
    InvalidReactionState = "invalid_reaction_state",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn serde_and_as_str_agree_and_unknown_codes_still_read() {
        for &code in ErrorCode::ALL {
            let wire = serde_json::to_string(&code).unwrap();
            assert_eq!(wire, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&wire).unwrap(), code);
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
        let newer: ErrorCode = serde_json::from_str("\"from_the_future\"").unwrap();
        assert_eq!(newer, ErrorCode::Unknown);
        assert_eq!(ErrorCode::parse("from_the_future"), ErrorCode::Unknown);
    }
}
