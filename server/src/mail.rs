//! E-mail that reaches people: the double opt-in of "houd me op de hoogte",
//! digests of an initiative's news, and the initiator's manage link.
//!
//! Nothing is sent without SMTP settings (`--smtp-url`) and a from-address
//! (the community's `mail_from` or the server's `--mail-from`): the options
//! are then not offered (`CommunityPublic::mail` is false) and requests for
//! them are refused with `smtp_not_configured`.
//!
//! Mails go into a durable outbox (sealed: address and text are personal
//! data; removed once sent), like the webhooks' deliveries, and a worker sends
//! them with `lettre`: temporary failures are retried with doubling delays,
//! permanent ones (5xx) count as a bounce of the address (by a hash of it);
//! an address that bounced [`MailSettings::bounce_limit`] times gets no more mail.
//!
//! News (the initiator's updates, meeting announcements) collects per
//! initiative: the first news after a quiet period goes out at the worker's
//! next round, later news waits until [`MailSettings::digest_interval`] has
//! passed since the last mail, and then goes as one digest to every confirmed
//! subscriber. So a subscriber gets at most one mail per interval per initiative.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mekaar_api::admin::MailCounts;
use mekaar_api::meetings::Meeting;
use mekaar_api::{ErrorCode, MAIL_FROM_MAX};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::communities::{self, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives::{self, Initiative};
use crate::moderation;
use crate::secrets;
use crate::store::Store;

/// Mails looked at per round of the worker.
const BATCH: usize = 32;
/// Longest text of one news item in a digest, in characters.
const NEWS_TEXT_MAX: usize = 4_000;
/// Most news items one initiative collects for its next digest.
const NEWS_MAX: usize = 50;

/// How mail is sent. Without `smtp_url` nothing is.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://user:pass@host:587` (STARTTLS required unless the host is
    /// loopback) or `smtps://user:pass@host:465` (TLS).
    pub smtp_url: Option<String>,
    /// The sender of communities without their own `mail_from`.
    pub from: Option<String>,
    /// At most one mail per initiative per subscriber in this time.
    pub digest_interval: Duration,
    /// Delay after the first failed attempt; doubles after each further one.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Attempts before a mail is given up (counted as `failed`).
    pub max_attempts: u32,
    /// How often the worker looks for due mails and digests.
    pub poll_every: Duration,
    /// Bounces after which an address gets no more mail.
    pub bounce_limit: u64,
    /// "Link kwijt?" requests per hour from one network, and for one address.
    pub link_requests_per_network: u32,
    pub link_requests_per_address: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: None,
            digest_interval: Duration::from_secs(24 * 3600),
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(3600),
            max_attempts: 12,
            poll_every: Duration::from_secs(1),
            bounce_limit: 3,
            link_requests_per_network: 10,
            link_requests_per_address: 3,
        }
    }
}

impl MailSettings {
    fn delay_after(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A "link kwijt?" request, handled by the worker (so the answer, the same
/// for every address, does not wait for the lookup).
#[derive(Debug)]
struct LinkJob {
    community: String,
    email: String,
    base_url: String,
}

/// The server's mail: its settings, the SMTP transport, and the queue of
/// "link kwijt?" requests.
pub struct Mailer {
    pub settings: MailSettings,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    jobs: mpsc::UnboundedSender<LinkJob>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<LinkJob>>>,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Mailer {
        let transport = match settings.smtp_url.as_deref().map(transport) {
            Some(Ok(t)) => Some(t),
            Some(Err(why)) => {
                tracing::error!("e-mail disabled: {why}");
                None
            }
            None => None,
        };
        let (jobs, receiver) = mpsc::unbounded_channel();
        Mailer {
            settings: settings.clone(),
            transport,
            jobs,
            receiver: Mutex::new(Some(receiver)),
        }
    }

    /// The community's sender, when this server sends its mail.
    fn from(&self, community: &Community) -> Option<String> {
        self.transport.as_ref()?;
        community
            .mail_from
            .clone()
            .or_else(|| self.settings.from.clone())
    }

    /// Whether e-mail options are offered in `community`.
    pub fn offered(&self, community: &Community) -> bool {
        self.from(community).is_some()
    }

    /// Passes when e-mail options are offered, else 409 `smtp_not_configured`.
    pub fn require(&self, community: &Community) -> ApiResult<()> {
        if self.offered(community) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::SmtpNotConfigured,
                "This community sends no e-mail: the server has no SMTP settings or the community no from-address.",
            ))
        }
    }
}

/// Checks an `--smtp-url` (for the command line: a clear message).
pub fn check_smtp_url(url: &str) -> Result<(), String> {
    transport(url).map(|_| ())
}

fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("--smtp-url is not a URL ({e})"))?;
    let host = parsed
        .host_str()
        .ok_or("--smtp-url has no host")?
        .trim_matches(['[', ']'])
        .to_string();
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let tls_parameters =
        || TlsParameters::new(host.clone()).map_err(|e| format!("--smtp-url: TLS: {e}"));
    let (tls, default_port) = match parsed.scheme() {
        "smtps" => (Tls::Wrapper(tls_parameters()?), 465),
        // Cleartext only to this machine's own relay.
        "smtp" if loopback => (Tls::Opportunistic(tls_parameters()?), 25),
        "smtp" => (Tls::Required(tls_parameters()?), 587),
        other => {
            return Err(format!(
                "--smtp-url must start with smtp:// (STARTTLS) or smtps:// (TLS), not {other}://"
            ))
        }
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(parsed.port().unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(Duration::from_secs(30)));
    if !parsed.username().is_empty() {
        let decode = |s: &str| {
            percent_decode(s).ok_or_else(|| "--smtp-url: credentials are not UTF-8".to_string())
        };
        builder = builder.credentials(Credentials::new(
            decode(parsed.username())?,
            decode(parsed.password().unwrap_or(""))?,
        ));
    }
    Ok(builder.build())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A from-address: `naam@domein.nl` or `Naam <naam@domein.nl>`.
pub fn check_from(field: &str, from: &str) -> ApiResult<String> {
    let from = from.trim();
    if from.chars().count() > MAIL_FROM_MAX {
        return Err(ApiError::invalid_field(
            field,
            format!("at most {MAIL_FROM_MAX} characters"),
        ));
    }
    Mailbox::from_str(from)
        .map(|_| from.to_string())
        .map_err(|_| {
            ApiError::invalid_field(field, "is not an address like Naam <naam@example.nl>")
        })
}

/// An e-mail address residents typed, or 422 `invalid_email`.
pub fn check_email(field: &str, email: &str) -> ApiResult<String> {
    let email = email.trim();
    let valid = email.chars().count() <= 254
        && initiatives::check_email(field, email).is_ok()
        && email.parse::<lettre::Address>().is_ok();
    if valid {
        Ok(email.to_string())
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidEmail,
            format!("`{field}` is not an e-mail address like naam@example.nl."),
        ))
    }
}

// ---------------------------------------------------------------- records

/// What a mail is about (for the audit log and the statistics).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Confirm,
    Digest,
    ManageLink,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Confirm => "confirm",
            Kind::Digest => "digest",
            Kind::ManageLink => "manage_link",
        }
    }
}

/// A mail in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueuedMail {
    pub id: String,
    pub community: String,
    pub kind: Kind,
    #[serde(default)]
    pub initiative: Option<String>,
    /// The subscription it belongs to (its store key, hex), if any.
    #[serde(default)]
    pub subscription: Option<String>,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The one-click unsubscribe address (RFC 8058), for news.
    #[serde(default)]
    pub unsubscribe: Option<String>,
    pub attempts: u32,
}

/// A subscriber of one initiative's news.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subscription {
    pub email: String,
    pub confirmed: bool,
    /// Kept to put in every news mail (the store keeps only its hash as an index).
    pub unsubscribe_token: String,
    /// Where residents reach this server, for the links in later mails.
    pub base_url: String,
    pub created_at: u64,
}

/// What a token stands for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub community: String,
    pub confirm: bool,
    /// The subscription's store key, hex.
    pub subscription: String,
}

/// One piece of news for the next digest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NewsItem {
    pub at: u64,
    pub text: String,
}

/// An initiative's news waiting for its digest.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DigestState {
    pub community: String,
    pub initiative: String,
    #[serde(default)]
    pub pending: Vec<NewsItem>,
    /// When the last digest went (milliseconds).
    #[serde(default)]
    pub last_sent_at: Option<u64>,
}

/// The initiator's address and manage token, to mail the link again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManageRecord {
    pub email: String,
    pub token: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stats {
    #[serde(default)]
    pub sent: u64,
    #[serde(default)]
    pub failed: u64,
    #[serde(default)]
    pub bounced: u64,
}

fn queue(store: &Store, mut mail: QueuedMail, settings: &MailSettings) -> ApiResult<bool> {
    if store.mail_bounces(&mail.to)? >= settings.bounce_limit {
        return Ok(false);
    }
    mail.id = secrets::new_id();
    store.mail_outbox_put(secrets::now_millis(), &mail)?;
    Ok(true)
}

// ---------------------------------------------------------------- texts

/// The community's language for its mails and mail pages (`nl` or `en`).
fn language(community: &Community) -> &'static str {
    match community.languages.first().map(String::as_str) {
        Some("en") => "en",
        _ => "nl",
    }
}

struct Texts {
    confirm_subject: &'static str,
    confirm_body: &'static str,
    digest_subject: &'static str,
    digest_intro: &'static str,
    digest_outro: &'static str,
    manage_subject: &'static str,
    manage_body: &'static str,
    footer: &'static str,
}

fn texts(lang: &str) -> &'static Texts {
    const NL: Texts = Texts {
        confirm_subject: "Bevestig: nieuws over “{title}”",
        confirm_body: "Je wilt op de hoogte blijven van het initiatief “{title}” in {community}.\n\nBevestig dat met deze link:\n{link}\n\nHeb je dit niet zelf gevraagd? Dan hoef je niets te doen: zonder bevestiging krijg je geen nieuws.",
        digest_subject: "Nieuws over “{title}”",
        digest_intro: "Nieuws over het initiatief “{title}” in {community}:",
        digest_outro: "Geen nieuws meer over dit initiatief? Meld je af:\n{link}",
        manage_subject: "Je beheerlink voor {community}",
        manage_body: "Met deze link beheer je je initiatief (bewaar hem goed, deel hem niet):",
        footer: "Deze e-mail komt van {community} via Mekaar.",
    };
    const EN: Texts = Texts {
        confirm_subject: "Confirm: news about “{title}”",
        confirm_body: "You asked to be kept informed about the initiative “{title}” in {community}.\n\nConfirm with this link:\n{link}\n\nDid you not ask for this? Then do nothing: without confirmation you get no news.",
        digest_subject: "News about “{title}”",
        digest_intro: "News about the initiative “{title}” in {community}:",
        digest_outro: "No more news about this initiative? Unsubscribe:\n{link}",
        manage_subject: "Your manage link for {community}",
        manage_body: "With this link you manage your initiative (keep it safe, do not share it):",
        footer: "This e-mail comes from {community} via Mekaar.",
    };
    if lang == "en" {
        &EN
    } else {
        &NL
    }
}

fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in pairs {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

// ---------------------------------------------------------------- subscriptions

/// "Houd me op de hoogte" with a join: keeps (or starts) the voter's
/// subscription to the initiative's news and, when it is not confirmed yet,
/// queues the confirmation mail. `email` is checked by the caller
/// ([`check_email`]). Made durable by the caller.
pub fn subscribe(
    store: &Store,
    mailer: &Mailer,
    community: &Community,
    initiative: &Initiative,
    voter: &[u8],
    email: &str,
    base_url: &str,
) -> ApiResult<()> {
    mailer.require(community)?;
    let id = store.mail_subscription_id(&community.slug, &initiative.id, voter);
    if let Some(existing) = store.mail_subscription_get(&id)? {
        if existing.email.eq_ignore_ascii_case(email) && existing.confirmed {
            return Ok(());
        }
        store.mail_subscription_remove(&id)?;
    }
    let confirm_token = secrets::new_admin_token();
    let subscription = Subscription {
        email: email.to_string(),
        confirmed: false,
        unsubscribe_token: secrets::new_admin_token(),
        base_url: base_url.to_string(),
        created_at: secrets::now_secs(),
    };
    store.mail_subscription_put(&community.slug, &id, &subscription, &confirm_token)?;
    let t = texts(language(community));
    let pairs = [
        ("title", initiative.title.as_str()),
        ("community", community.name.as_str()),
        ("link", &format!("{base_url}/mail/confirm/{confirm_token}")),
    ];
    queue(
        store,
        QueuedMail {
            id: String::new(),
            community: community.slug.clone(),
            kind: Kind::Confirm,
            initiative: Some(initiative.id.clone()),
            subscription: Some(id),
            to: subscription.email,
            subject: fill(t.confirm_subject, &pairs),
            text: format!(
                "{}\n\n-- \n{}\n",
                fill(t.confirm_body, &pairs),
                fill(t.footer, &pairs)
            ),
            unsubscribe: None,
            attempts: 0,
        },
        &mailer.settings,
    )?;
    Ok(())
}

/// The voter withdrew their join (or left "houd me op de hoogte" off).
pub fn unsubscribe_voter(
    store: &Store,
    community: &Community,
    initiative: &str,
    voter: &[u8],
) -> ApiResult<bool> {
    let id = store.mail_subscription_id(&community.slug, initiative, voter);
    Ok(store.mail_subscription_remove(&id)?)
}

/// A moderator erased a joiner (by the id `joins::id_of_joiner` gives): their
/// subscription and waiting mails go.
pub fn forget_joiner(
    store: &Store,
    community: &Community,
    initiative: &str,
    joiner: &str,
) -> ApiResult<bool> {
    for subscriber in store.mail_subscriptions(&community.slug, initiative)? {
        let Some(voter) = subscriber.voter else {
            continue;
        };
        if crate::joins::id_of_joiner(community, initiative, &voter) == joiner {
            return Ok(store.mail_subscription_remove(&subscriber.id)?);
        }
    }
    Ok(false)
}

/// Erasure of every joiner (retention): every subscription of the initiative goes.
pub fn forget_subscribers(
    store: &Store,
    community: &Community,
    initiative: &str,
) -> ApiResult<u64> {
    let mut removed = 0;
    for subscriber in store.mail_subscriptions(&community.slug, initiative)? {
        if store.mail_subscription_remove(&subscriber.id)? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The initiator's address was erased: the manage-link record and mails to it go.
pub fn forget_initiator(store: &Store, community: &Community, initiative: &str) -> ApiResult<bool> {
    let Some(record) = store.mail_manage_take(&community.slug, initiative)? else {
        return Ok(false);
    };
    store.mail_outbox_remove_where(|mail| {
        mail.community == community.slug && mail.kind == Kind::ManageLink && mail.to == record.email
    })?;
    Ok(true)
}

/// What a confirm or unsubscribe link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    Confirmed,
    Unsubscribed,
}

fn token_not_found() -> ApiError {
    ApiError::new(
        ErrorCode::MailTokenNotFound,
        "This link is unknown or was used already.",
    )
}

/// `/mail/confirm/{token}`: confirms the subscription; the link works once.
/// Returns the community (for the page's language). Made durable by the caller.
pub fn confirm(store: &Store, token: &str) -> ApiResult<(LinkOutcome, Option<Community>)> {
    let record = store
        .mail_token_confirm(token)?
        .ok_or_else(token_not_found)?;
    Ok((
        LinkOutcome::Confirmed,
        communities::get(store, &record.community).ok(),
    ))
}

/// The community an unsubscribe token belongs to (for the page), without using it.
pub fn unsubscribe_community(store: &Store, token: &str) -> ApiResult<Option<Community>> {
    let record = store
        .mail_token_get(token)?
        .filter(|r| !r.confirm)
        .ok_or_else(token_not_found)?;
    Ok(communities::get(store, &record.community).ok())
}

/// `POST /mail/unsubscribe/{token}` (RFC 8058 one-click): ends the subscription at once.
pub fn unsubscribe(store: &Store, token: &str) -> ApiResult<(LinkOutcome, Option<Community>)> {
    let record = store
        .mail_token_unsubscribe(token)?
        .ok_or_else(token_not_found)?;
    Ok((
        LinkOutcome::Unsubscribed,
        communities::get(store, &record.community).ok(),
    ))
}

// ---------------------------------------------------------------- news

/// Collects news for the initiative's next digest. Made durable by the caller.
fn add_news(store: &Store, community: &Community, initiative: &str, text: &str) -> ApiResult<()> {
    let item = NewsItem {
        at: secrets::now_secs(),
        text: text.chars().take(NEWS_TEXT_MAX).collect(),
    };
    let mut state = store
        .mail_digest_get(&community.slug, initiative)?
        .unwrap_or(DigestState {
            community: community.slug.clone(),
            initiative: initiative.to_string(),
            ..Default::default()
        });
    state.pending.push(item);
    if state.pending.len() > NEWS_MAX {
        state.pending.remove(0);
    }
    store.mail_digest_put(&community.slug, initiative, &state)?;
    Ok(())
}

fn has_subscribers(store: &Store, community: &Community, initiative: &str) -> ApiResult<bool> {
    Ok(store
        .mail_subscriptions(&community.slug, initiative)?
        .iter()
        .any(|s| s.subscription.confirmed))
}

/// The initiator posted an update (`initiatives::post_update`): news for the
/// initiative's confirmed subscribers. Made durable by the caller.
pub fn announce_update(
    store: &Store,
    community: &Community,
    initiative: &Initiative,
    text: &str,
) -> ApiResult<()> {
    if !has_subscribers(store, community, &initiative.id)? {
        return Ok(());
    }
    add_news(store, community, &initiative.id, text)
}

/// A meeting was added to an initiative: news for its confirmed subscribers,
/// in the next digest. Made durable by the caller.
pub fn announce_meeting(store: &Store, community: &Community, meeting: &Meeting) -> ApiResult<()> {
    if !has_subscribers(store, community, &meeting.initiative)? {
        return Ok(());
    }
    let en = language(community) == "en";
    let when = amsterdam_time(meeting.starts_at);
    let mut text = format!(
        "{}: {}\n{}",
        if en { "Meeting" } else { "Bijeenkomst" },
        meeting.title,
        when
    );
    if let Some(place) = &meeting.place {
        text.push_str(&format!("\n{place}"));
    }
    if let Some(url) = &meeting.online_url {
        text.push_str(&format!("\n{url}"));
    }
    if !meeting.description.is_empty() {
        text.push_str(&format!("\n\n{}", meeting.description));
    }
    add_news(store, community, &meeting.initiative, &text)
}

/// `dd-mm-yyyy hh:mm` in Europe/Amsterdam (the time zone database's rules).
fn amsterdam_time(secs: u64) -> String {
    use chrono::TimeZone;
    match chrono::Utc.timestamp_opt(secs as i64, 0) {
        chrono::LocalResult::Single(instant) => instant
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .format("%d-%m-%Y %H:%M")
            .to_string(),
        _ => String::new(),
    }
}

/// Queues the digests that are due: an initiative with news whose last
/// digest went at least `digest_interval` ago (or never).
fn queue_due_digests(store: &Store, settings: &MailSettings) -> ApiResult<bool> {
    let now = secrets::now_millis();
    let interval = settings.digest_interval.as_millis() as u64;
    let mut queued_any = false;
    for state in store.mail_digests()? {
        if state.pending.is_empty() {
            continue;
        }
        if state
            .last_sent_at
            .is_some_and(|last| last.saturating_add(interval) > now)
        {
            continue;
        }
        let community = communities::get(store, &state.community);
        let initiative = community
            .as_ref()
            .ok()
            .and_then(|c| initiatives::get(store, c, &state.initiative).ok());
        let (Ok(community), Some(initiative)) = (community, initiative) else {
            store.mail_digest_remove(&state.community, &state.initiative)?;
            continue;
        };
        let t = texts(language(&community));
        let mut news = String::new();
        for item in &state.pending {
            news.push_str(&format!(
                "{}\n{}\n\n",
                amsterdam_time(item.at).split(' ').next().unwrap_or(""),
                item.text
            ));
        }
        let base_pairs = [
            ("title", initiative.title.as_str()),
            ("community", community.name.as_str()),
        ];
        for subscriber in store.mail_subscriptions(&community.slug, &initiative.id)? {
            let subscription = subscriber.subscription;
            if !subscription.confirmed {
                continue;
            }
            let link = format!(
                "{}/mail/unsubscribe/{}",
                subscription.base_url, subscription.unsubscribe_token
            );
            let mut pairs = base_pairs.to_vec();
            pairs.push(("link", &link));
            queue(
                store,
                QueuedMail {
                    id: String::new(),
                    community: community.slug.clone(),
                    kind: Kind::Digest,
                    initiative: Some(initiative.id.clone()),
                    subscription: Some(subscriber.id),
                    to: subscription.email.clone(),
                    subject: fill(t.digest_subject, &pairs),
                    text: format!(
                        "{}\n\n{}{}\n\n-- \n{}\n",
                        fill(t.digest_intro, &pairs),
                        news,
                        fill(t.digest_outro, &pairs),
                        fill(t.footer, &pairs)
                    ),
                    unsubscribe: Some(link.clone()),
                    attempts: 0,
                },
                settings,
            )?;
        }
        store.mail_digest_put(
            &community.slug,
            &initiative.id,
            &DigestState {
                pending: vec![],
                last_sent_at: Some(now),
                ..state
            },
        )?;
        queued_any = true;
    }
    Ok(queued_any)
}

// ---------------------------------------------------------------- manage links

/// A resident submitted an initiative with an e-mail address: its manage
/// link goes to that address (when the community sends mail), and is kept
/// sealed to be mailed again on request. Made durable by the caller.
pub fn send_manage_link(
    store: &Store,
    mailer: &Mailer,
    community: &Community,
    initiative: &Initiative,
    token: &str,
    base_url: &str,
) -> ApiResult<()> {
    let Some(email) = initiative.contact_email.clone() else {
        return Ok(());
    };
    if !mailer.offered(community) {
        return Ok(());
    }
    store.mail_manage_put(
        &community.slug,
        &initiative.id,
        &ManageRecord {
            email: email.clone(),
            token: token.to_string(),
        },
    )?;
    queue_manage_mail(
        store,
        &mailer.settings,
        community,
        &email,
        &[(initiative.clone(), token.to_string())],
        base_url,
    )?;
    Ok(())
}

fn queue_manage_mail(
    store: &Store,
    settings: &MailSettings,
    community: &Community,
    email: &str,
    links: &[(Initiative, String)],
    base_url: &str,
) -> ApiResult<bool> {
    let t = texts(language(community));
    let pairs = [("community", community.name.as_str())];
    let mut text = format!("{}\n\n", t.manage_body);
    for (initiative, token) in links {
        text.push_str(&format!(
            "{}\n{base_url}/manage/{}/{}#{token}\n\n",
            initiative.title, community.slug, initiative.id
        ));
    }
    text.push_str(&format!("-- \n{}\n", fill(t.footer, &pairs)));
    queue(
        store,
        QueuedMail {
            id: String::new(),
            community: community.slug.clone(),
            kind: Kind::ManageLink,
            initiative: (links.len() == 1).then(|| links[0].0.id.clone()),
            subscription: None,
            to: email.to_string(),
            subject: fill(t.manage_subject, &pairs),
            text,
            unsubscribe: None,
            attempts: 0,
        },
        settings,
    )
}

/// "Link kwijt?": checks the address and the limits, then queues the lookup.
/// The answer is the same whether or not the address is known, and comes
/// before the lookup is done.
pub fn request_manage_links(
    mailer: &Mailer,
    abuse: &crate::abuse::Abuse,
    community: &Community,
    email: &str,
    client: Option<std::net::IpAddr>,
    base_url: &str,
) -> ApiResult<()> {
    mailer.require(community)?;
    let email = check_email("email", email)?;
    let slug = community.slug.as_bytes();
    let limited = |e: ApiError| ApiError {
        code: ErrorCode::TooManyLinkRequests,
        ..e
    };
    if let Some(ip) = client {
        let network = abuse.network_key(ip);
        abuse
            .take(
                crate::abuse::Window::LinkRequestsPerNetwork,
                abuse.window_key(&[b"manage-link", slug, &network]),
                mailer.settings.link_requests_per_network,
            )
            .map_err(limited)?;
    }
    abuse
        .take(
            crate::abuse::Window::LinkRequestsPerAddress,
            abuse.window_key(&[b"manage-link", slug, email.to_lowercase().as_bytes()]),
            mailer.settings.link_requests_per_address,
        )
        .map_err(limited)?;
    let _ = mailer.jobs.send(LinkJob {
        community: community.slug.clone(),
        email,
        base_url: base_url.to_string(),
    });
    Ok(())
}

fn handle_link_job(store: &Store, settings: &MailSettings, job: &LinkJob) -> ApiResult<()> {
    let Ok(community) = communities::get(store, &job.community) else {
        return Ok(());
    };
    let mut links = vec![];
    for (id, record) in store.mail_manage_records(&community.slug)? {
        if !record.email.eq_ignore_ascii_case(&job.email) {
            continue;
        }
        if let Ok(initiative) = initiatives::get(store, &community, &id) {
            links.push((initiative, record.token));
        }
    }
    if !links.is_empty() {
        queue_manage_mail(
            store,
            settings,
            &community,
            &job.email,
            &links,
            &job.base_url,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------- counts

/// `GET /api/v1/admin/communities/{c}/mail`.
pub fn counts(store: &Store, mailer: &Mailer, community: &Community) -> ApiResult<MailCounts> {
    let stats = store.mail_stats(&community.slug)?;
    let queued = store
        .mail_outbox_all()?
        .iter()
        .filter(|m| m.community == community.slug)
        .count() as u64;
    let subscribers = store
        .mail_community_subscriptions(&community.slug)?
        .iter()
        .filter(|s| s.confirmed)
        .count() as u64;
    Ok(MailCounts {
        enabled: mailer.offered(community),
        queued,
        sent: stats.sent,
        failed: stats.failed,
        bounced: stats.bounced,
        subscribers,
    })
}

// ---------------------------------------------------------------- worker

/// Sends due mails, queues due digests and answers "link kwijt?" requests
/// until `stop` fires. Does nothing without SMTP settings.
pub async fn run_worker(app: Arc<crate::http::App>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mailer = &app.mail;
    let Some(transport) = mailer.transport.clone() else {
        return;
    };
    let Some(mut jobs) = mailer
        .receiver
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    else {
        return;
    };
    let settings = mailer.settings.clone();
    let store = &app.store;
    let mut removed_since_forget = 0u64;
    loop {
        while let Ok(job) = jobs.try_recv() {
            if let Err(err) = handle_link_job(store, &settings, &job) {
                tracing::warn!("a manage-link request failed: {err}");
            }
        }
        // This node's link requests are its own; digests and the outbox
        // are the cluster's, served by one node at a time.
        if crate::cluster::runs_here(&app, crate::cluster::task::MAIL) {
            if let Err(err) = queue_due_digests(store, &settings) {
                tracing::warn!("queueing digests failed: {err}");
            }
            match send_due(store, mailer, &transport, &settings).await {
                Ok(removed) => removed_since_forget += removed,
                Err(err) => tracing::warn!("mail round failed: {err}"),
            }
        }
        // Kept: the round's digests and link requests, queued outside any request.
        if let Err(err) = store.durable().await {
            tracing::warn!("mail round not durable: {err}");
        }
        // Sent mails are erased for real once the outbox is quiet: the keys
        // of their sealed records go (see the store's keyring).
        if removed_since_forget > 0 && outbox_is_empty(store) {
            match store.forget_old_record_keys() {
                Ok(_) => removed_since_forget = 0,
                Err(err) => tracing::warn!("rewriting the keyring failed: {err}"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(settings.poll_every) => {}
            job = jobs.recv() => {
                if let Some(job) = job {
                    if let Err(err) = handle_link_job(store, &settings, &job) {
                        tracing::warn!("a manage-link request failed: {err}");
                    }
                }
            }
            _ = stop.changed() => return,
        }
    }
}

fn outbox_is_empty(store: &Store) -> bool {
    store.mail_outbox_is_empty().unwrap_or(false)
}

/// Sends the due mails; returns how many left the outbox.
async fn send_due(
    store: &Store,
    mailer: &Mailer,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    settings: &MailSettings,
) -> ApiResult<u64> {
    let now = secrets::now_millis();
    let due = store.mail_outbox_due(now, BATCH)?;
    if !due.is_empty() {
        // Kept: a mail reports what a request wrote (a join, a sign-up) and must
        // not go out before that is on disk; a request's flush may not have run yet.
        store.durable().await?;
    }
    let mut removed = 0;
    let mut sent: HashMap<(String, Kind, Option<String>), u64> = HashMap::new();
    for (due, mut mail) in due {
        let Ok(community) = communities::get(store, &mail.community) else {
            store.mail_outbox_remove(due, &mail.id)?;
            removed += 1;
            continue;
        };
        let Some(from) = mailer.from(&community) else {
            // The from-address went: nothing can be sent for this community.
            store.mail_outbox_remove(due, &mail.id)?;
            store.mail_stats_change(&mail.community, |s| s.failed += 1)?;
            removed += 1;
            continue;
        };
        let message = match build(&mail, &from) {
            Ok(message) => message,
            Err(why) => {
                tracing::warn!("a mail could not be built: {why}");
                store.mail_outbox_remove(due, &mail.id)?;
                store.mail_stats_change(&mail.community, |s| s.failed += 1)?;
                removed += 1;
                continue;
            }
        };
        mail.attempts += 1;
        match transport.send(message).await {
            Ok(_) => {
                store.mail_outbox_remove(due, &mail.id)?;
                store.mail_stats_change(&mail.community, |s| s.sent += 1)?;
                *sent
                    .entry((mail.community.clone(), mail.kind, mail.initiative.clone()))
                    .or_default() += 1;
                removed += 1;
            }
            Err(err) if err.is_permanent() => {
                tracing::info!("a {} mail bounced: {err}", mail.kind.as_str());
                store.mail_outbox_remove(due, &mail.id)?;
                store.mail_stats_change(&mail.community, |s| s.bounced += 1)?;
                store.mail_bounce_add(&mail.to)?;
                removed += 1;
            }
            Err(err) if mail.attempts >= settings.max_attempts => {
                tracing::warn!(
                    "a {} mail was given up after {} attempts: {err}",
                    mail.kind.as_str(),
                    mail.attempts
                );
                store.mail_outbox_remove(due, &mail.id)?;
                store.mail_stats_change(&mail.community, |s| s.failed += 1)?;
                removed += 1;
            }
            Err(err) => {
                tracing::debug!("a mail will be retried: {err}");
                let new_due =
                    secrets::now_millis() + settings.delay_after(mail.attempts).as_millis() as u64;
                store.mail_outbox_reschedule(due, new_due, &mail)?;
            }
        }
        // Kept: a background worker, no dispatcher; what was sent is off the outbox for good.
        store.durable().await?;
    }
    for ((slug, kind, initiative), n) in sent {
        if let Ok(community) = communities::get(store, &slug) {
            moderation::audit(
                store,
                &community,
                moderation::Change {
                    actor: "mail",
                    action: "mail_sent",
                    initiative: initiative.as_deref(),
                    note: &format!("{}: {n} mail(s)", kind.as_str()),
                    before: None,
                    after: None,
                },
            )?;
        }
    }
    Ok(removed)
}

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");

fn build(mail: &QueuedMail, from: &str) -> Result<Message, String> {
    let from: Mailbox = from.parse().map_err(|e| format!("from: {e}"))?;
    let to: Mailbox = mail.to.parse().map_err(|e| format!("to: {e}"))?;
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.text.clone())
        .map_err(|e| e.to_string())?;
    if let Some(link) = &mail.unsubscribe {
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{link}>")));
        headers.insert_raw(HeaderValue::new(
            LIST_UNSUBSCRIBE_POST,
            "List-Unsubscribe=One-Click".into(),
        ));
    }
    Ok(message)
}

// ---------------------------------------------------------------- pages

const MAIL_PAGE: &str = include_str!("../pages/mail.html");

/// What the confirm and unsubscribe pages say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Confirmed,
    /// The unsubscribe page's button (a GET never unsubscribes).
    AskUnsubscribe,
    Unsubscribed,
    UnknownLink,
}

/// The page for a mail link, in the community's language (`?lang=` wins).
pub fn page(kind: PageKind, community: Option<&Community>, lang: Option<&str>) -> String {
    let lang = match lang {
        Some("en") => "en",
        Some("nl") => "nl",
        _ => community.map_or("nl", language),
    };
    let en = lang == "en";
    let (title, message) = match (kind, en) {
        (PageKind::Confirmed, false) => ("Bevestigd", "Dank je wel! Je krijgt voortaan het nieuws over dit initiatief per e-mail, hooguit één mail per dag. Afmelden kan met de link onder elke mail."),
        (PageKind::Confirmed, true) => ("Confirmed", "Thank you! From now on you get the news about this initiative by e-mail, at most one mail a day. Every mail has a link to unsubscribe."),
        (PageKind::AskUnsubscribe, false) => ("Afmelden", "Wil je geen nieuws meer over dit initiatief per e-mail?"),
        (PageKind::AskUnsubscribe, true) => ("Unsubscribe", "Do you want no more news about this initiative by e-mail?"),
        (PageKind::Unsubscribed, false) => ("Afgemeld", "Je bent afgemeld: je krijgt geen nieuws meer over dit initiatief per e-mail."),
        (PageKind::Unsubscribed, true) => ("Unsubscribed", "You are unsubscribed: you get no more news about this initiative by e-mail."),
        (PageKind::UnknownLink, false) => ("Link onbekend", "Deze link is onbekend of al gebruikt. Ben je al afgemeld of bevestigd, dan hoef je niets meer te doen."),
        (PageKind::UnknownLink, true) => ("Unknown link", "This link is unknown or was used already. If you already confirmed or unsubscribed, there is nothing left to do."),
    };
    let escape = crate::feeds::escape;
    let page = MAIL_PAGE
        .replace("{{LANG}}", lang)
        .replace("{{TITLE}}", &escape(title))
        .replace(
            "{{COMMUNITY}}",
            &escape(community.map_or("Mekaar", |c| c.name.as_str())),
        )
        .replace("{{MESSAGE}}", &escape(message));
    if kind == PageKind::AskUnsubscribe {
        // The same body a mail program sends for RFC 8058's one-click unsubscribe.
        let button = if en { "Unsubscribe" } else { "Afmelden" };
        page.replace(
            "<!--form-->",
            &format!(
                "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">{button}</button></form>"
            ),
        )
    } else {
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amsterdam_time_follows_summer_time() {
        // 2026-07-01 10:00 UTC is 12:00 in Amsterdam; 2026-01-15 10:00 UTC is 11:00.
        assert_eq!(amsterdam_time(1_782_900_000), "01-07-2026 12:00");
        assert_eq!(amsterdam_time(1_768_471_200), "15-01-2026 11:00");
    }

    #[test]
    fn smtp_urls_need_tls_except_on_loopback() {
        assert!(check_smtp_url("smtp://127.0.0.1:2525").is_ok());
        assert!(check_smtp_url("smtp://user:p%40ss@mail.example.nl").is_ok());
        assert!(check_smtp_url("smtps://mail.example.nl").is_ok());
        assert!(check_smtp_url("http://mail.example.nl").is_err());
        assert_eq!(percent_decode("p%40ss").as_deref(), Some("p@ss"));
    }

    #[test]
    fn a_meeting_is_news_for_confirmed_subscribers_in_the_next_digest() {
        let (_dir, store, community, _) = crate::communities::temp_community();
        let mailer = Mailer::new(&MailSettings {
            smtp_url: Some("smtp://127.0.0.1:1".into()),
            from: Some("Mekaar <mekaar@example.nl>".into()),
            ..Default::default()
        });
        let initiative = initiatives::create(
            &store,
            &community,
            mekaar_api::InitiativeCreate {
                title: "Een moestuin".into(),
                summary: "Samen groente kweken.".into(),
                area: None,
                theme: None,
            },
        )
        .unwrap();
        let meeting: Meeting = serde_json::from_value(serde_json::json!({
            "id": "m1", "community": community.slug, "initiative": initiative.id,
            "initiative_title": "Een moestuin", "title": "Eerste spade",
            "starts_at": 1_782_900_000u64, "ends_at": 1_782_903_600u64,
            "place": "Dorpshuis", "attendee_count": 0, "created_at": 0,
        }))
        .unwrap();
        subscribe(
            &store,
            &mailer,
            &community,
            &initiative,
            &[7; 16],
            "piet@example.nl",
            "http://mekaar.test",
        )
        .unwrap();
        let outbox = || store.mail_outbox_all().unwrap();
        let confirmation = outbox().pop().unwrap();
        // Not confirmed yet: a meeting is nobody's news.
        announce_meeting(&store, &community, &meeting).unwrap();
        assert!(queue_due_digests(&store, &mailer.settings).is_ok());
        assert_eq!(outbox().len(), 1);

        let token = confirmation
            .text
            .split("/mail/confirm/")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap();
        confirm(&store, token).unwrap();
        assert!(confirm(&store, token).is_err(), "a confirm link works once");
        announce_meeting(&store, &community, &meeting).unwrap();
        queue_due_digests(&store, &mailer.settings).unwrap();
        let digest = outbox()
            .into_iter()
            .find(|m| m.kind == Kind::Digest)
            .expect("a digest");
        assert!(
            digest.text.contains("Bijeenkomst: Eerste spade"),
            "{}",
            digest.text
        );
        assert!(digest.text.contains("01-07-2026 12:00"), "{}", digest.text);
        assert!(digest.text.contains("Dorpshuis"));
        assert!(digest.unsubscribe.is_some());
    }

    #[test]
    fn from_addresses_are_mailboxes() {
        assert!(check_from("mail_from", "Dorpsraad <nieuws@baarlo.nl>").is_ok());
        assert!(check_from("mail_from", "nieuws@baarlo.nl").is_ok());
        assert!(check_from("mail_from", "geen adres").is_err());
    }
}
