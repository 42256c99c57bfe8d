//! Webhooks: a community's systems hear about submitted initiatives,
//! thresholds reached, reports and official answers.
//!
//! Events go into an outbox in the store (keyed by when they are due) in the
//! same flush as the change that caused them, so none is lost by a crash or
//! a restart. A worker delivers them with an HMAC-SHA256 signature and
//! retries failures with exponential backoff; every attempt is logged.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use mekaar_api::{
    DeliveryAttempt, ErrorCode, InitiativePublic, Webhook, WebhookCreate, WebhookCreated,
    WebhookEvent,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::communities::{self, Community, WebhookConfig};
use crate::errors::{ApiError, ApiResult};
use crate::outbound;
use crate::secrets;
use crate::store::Store;

const WEBHOOKS_MAX: usize = 20;
const URL_MAX: usize = 500;
/// Deliveries looked at per round of the worker.
const BATCH: usize = 32;

/// How deliveries are retried. Tests shorten the delays.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Delay after the first failure; doubles after each further one.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Attempts before a delivery is given up (and logged as such).
    pub max_attempts: u32,
    /// How often the worker looks for due deliveries.
    pub poll_every: Duration,
    pub request_timeout: Duration,
    /// Let webhooks reach loopback, link-local and private addresses
    /// (`--allow-private-webhooks`: development and tests only; see `outbound`).
    pub allow_private_destinations: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(3600),
            max_attempts: 12,
            poll_every: Duration::from_secs(1),
            request_timeout: Duration::from_secs(10),
            allow_private_destinations: false,
        }
    }
}

impl RetryPolicy {
    fn delay_after(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A delivery waiting in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub community: String,
    pub webhook_id: String,
    pub event: WebhookEvent,
    /// The exact JSON body that is signed and sent, the same on every retry.
    pub body: String,
    pub attempts: u32,
}

/// Queues `event` about `initiative` for every webhook of the community
/// that wants it. Made durable with the request's write (the dispatcher's
/// flush), and the worker flushes before sending.
pub fn announce(
    store: &Store,
    community: &Community,
    event: WebhookEvent,
    initiative: &InitiativePublic,
    extra: serde_json::Value,
) -> ApiResult<()> {
    let initiative = serde_json::to_value(initiative).map_err(ApiError::internal)?;
    announce_about(store, community, event, ("initiative", initiative), extra)
}

/// Queues `event` about a subject (`("initiative", …)`, `("reaction", …)`:
/// the body's field and its value) for every webhook that wants it.
pub fn announce_about(
    store: &Store,
    community: &Community,
    event: WebhookEvent,
    (field, subject): (&str, serde_json::Value),
    extra: serde_json::Value,
) -> ApiResult<()> {
    let now = secrets::now_millis();
    for hook in community
        .webhooks
        .iter()
        .filter(|h| h.events.contains(&event))
    {
        let id = secrets::new_id();
        let mut body = serde_json::json!({
            "event": event,
            "delivery_id": id,
            "community": community.slug,
            "occurred_at": now / 1000,
            "details": extra,
        });
        body[field] = subject.clone();
        let delivery = Delivery {
            id: id.clone(),
            community: community.slug.clone(),
            webhook_id: hook.id.clone(),
            event,
            body: body.to_string(),
            attempts: 0,
        };
        store.outbox_add(now, &delivery)?;
    }
    Ok(())
}

fn public_view(hook: &WebhookConfig) -> Webhook {
    Webhook {
        id: hook.id.clone(),
        url: hook.url.clone(),
        events: hook.events.clone(),
        created_at: hook.created_at,
    }
}

pub fn list(community: &Community) -> Vec<Webhook> {
    community.webhooks.iter().map(public_view).collect()
}

/// The site a webhook delivers to (`https://zaken.example.nl`), without the path, query
/// or user info that may carry a credential.
pub fn site_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Adds a webhook; its signing secret is returned this once. Its address
/// must be public unless `allow_private` (see `outbound`).
pub async fn create(
    store: &Store,
    slug: &str,
    input: WebhookCreate,
    allow_private: bool,
) -> ApiResult<WebhookCreated> {
    let url = check_url(&input.url)?;
    if let Ok(parsed) = reqwest::Url::parse(&url) {
        outbound::check_host(&parsed, allow_private)
            .await
            .map_err(|why| ApiError::invalid_field("url", why))?;
    }
    if input.events.is_empty() {
        return Err(ApiError::invalid_field("events", "name at least one event"));
    }
    let mut events = input.events;
    events.dedup();
    let hook = WebhookConfig {
        id: secrets::new_id(),
        url,
        events,
        secret: secrets::new_admin_token(),
        created_at: secrets::now_secs(),
    };
    communities::change(store, slug, |community| {
        if community.webhooks.len() >= WEBHOOKS_MAX {
            return Err(ApiError::invalid_field(
                "url",
                format!("a community has at most {WEBHOOKS_MAX} webhooks"),
            ));
        }
        community.webhooks.push(hook.clone());
        Ok(())
    })?;
    Ok(WebhookCreated {
        webhook: public_view(&hook),
        secret: hook.secret,
    })
}

pub fn delete(store: &Store, slug: &str, id: &str) -> ApiResult<()> {
    communities::change(store, slug, |community| {
        let before = community.webhooks.len();
        community.webhooks.retain(|h| h.id != id);
        if community.webhooks.len() == before {
            return Err(ApiError::new(
                ErrorCode::WebhookNotFound,
                format!("There is no webhook `{id}` in this community."),
            ));
        }
        Ok(())
    })?;
    // Its secret must not stay readable in an older version of the record.
    store.forget_old_record_keys()?;
    Ok(())
}

/// Blanks the initiator's name in the deliveries still waiting in the
/// outbox about the initiative `id` (its personal data were erased). A
/// delivery being attempted at this very moment keeps the old body for that
/// attempt. Returns how many changed.
pub fn scrub_outbox(store: &Store, community: &str, id: &str) -> ApiResult<u64> {
    let mut changed = 0;
    for (due, delivery) in store.outbox_all()? {
        if delivery.community != community {
            continue;
        }
        let Some(body) = scrubbed_body(&delivery.body, id) else {
            continue;
        };
        // Compare-and-swap: a delivery the worker moved or finished meanwhile
        // is left alone.
        if store.outbox_set_body(due, &delivery.id, &body)? {
            changed += 1;
        }
    }
    Ok(changed)
}

/// The body with the initiative's `initiator_name` blanked, if the body is
/// about initiative `id` and names someone.
fn scrubbed_body(body: &str, id: &str) -> Option<String> {
    let mut value: serde_json::Value = serde_json::from_str(body).ok()?;
    let initiative = value.get_mut("initiative")?.as_object_mut()?;
    if initiative.get("id")?.as_str()? != id {
        return None;
    }
    let name = initiative.get_mut("initiator_name")?;
    if name.as_str().is_some_and(str::is_empty) {
        return None;
    }
    *name = serde_json::Value::from("");
    Some(value.to_string())
}

/// The newest delivery attempts of the community, newest first.
pub fn delivery_log(
    store: &Store,
    community: &Community,
    limit: usize,
) -> ApiResult<Vec<DeliveryAttempt>> {
    Ok(store.delivery_log_page(&community.slug, limit)?)
}

fn check_url(url: &str) -> ApiResult<String> {
    let url = url.trim();
    if url.len() > URL_MAX {
        return Err(ApiError::invalid_field(
            "url",
            format!("at most {URL_MAX} characters"),
        ));
    }
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ApiError::invalid_field("url", format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ApiError::invalid_field(
            "url",
            "must be an http:// or https:// URL",
        ));
    }
    Ok(parsed.to_string())
}

/// `sha256=<hex>` of the HMAC-SHA256 of `body` with `secret`: what the
/// `Mekaar-Signature` header carries. Receivers recompute it to check.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", secrets::hex(&mac.finalize().into_bytes()))
}

/// Delivers due webhooks until `stop` fires.
pub async fn run_worker(
    store: Arc<crate::http::App>,
    policy: RetryPolicy,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let client = match reqwest::Client::builder()
        .timeout(policy.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        // Every address a delivery connects to passes `outbound` first; a
        // proxy from the environment would connect on our behalf unchecked.
        .no_proxy()
        .dns_resolver(outbound::resolver(policy.allow_private_destinations))
        .user_agent("Mekaar-Webhooks/1")
        .build()
    {
        Ok(client) => client,
        Err(err) => {
            tracing::error!("webhooks disabled: cannot build an HTTP client: {err}");
            return;
        }
    };
    loop {
        // Without the lease another node delivers.
        let round = match crate::cluster::runs_here(&store, crate::cluster::task::WEBHOOKS) {
            true => deliver_due(&store.store, &client, &policy).await,
            false => Ok(()),
        };
        if let Err(err) = round {
            tracing::warn!("webhook round failed: {err}");
        }
        tokio::select! {
            _ = tokio::time::sleep(policy.poll_every) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn deliver_due(
    store: &Store,
    client: &reqwest::Client,
    policy: &RetryPolicy,
) -> ApiResult<()> {
    let now = secrets::now_millis();
    let due_now = store.outbox_due(now, BATCH)?;
    if !due_now.is_empty() {
        // Kept: a delivery reports what a request wrote and must not go out
        // before that is on disk; the request's flush may not have run yet.
        store.durable().await?;
    }
    for (due, mut delivery) in due_now {
        let community = match communities::get(store, &delivery.community) {
            Ok(c) => c,
            Err(_) => {
                store.outbox_remove(due, &delivery.id)?;
                continue;
            }
        };
        let Some(hook) = community
            .webhooks
            .iter()
            .find(|h| h.id == delivery.webhook_id)
        else {
            // The webhook was deleted: nobody to deliver to.
            store.outbox_remove(due, &delivery.id)?;
            continue;
        };
        delivery.attempts += 1;
        let outcome = match literal_refusal(&hook.url, policy.allow_private_destinations) {
            Some(why) => Err(why),
            None => client
                .post(&hook.url)
                .header("content-type", "application/json")
                .header("mekaar-event", delivery.event.as_str())
                .header("mekaar-delivery", &delivery.id)
                .header(
                    "mekaar-signature",
                    signature(&hook.secret, delivery.body.as_bytes()),
                )
                .body(delivery.body.clone())
                .send()
                .await
                .map_err(|err| error_chain(&err)),
        };
        let (status, error) = match &outcome {
            Ok(response) if response.status().is_success() => {
                (Some(response.status().as_u16()), None)
            }
            Ok(response) => (
                Some(response.status().as_u16()),
                Some(format!("the receiver answered {}", response.status())),
            ),
            Err(why) => (None, Some(why.clone())),
        };
        let delivered = error.is_none();
        let attempt = DeliveryAttempt {
            delivery_id: delivery.id.clone(),
            webhook_id: delivery.webhook_id.clone(),
            event: delivery.event,
            attempt: delivery.attempts,
            attempted_at: secrets::now_secs(),
            status,
            error,
            delivered,
        };
        store.delivery_log_append(&delivery.community, &attempt)?;
        if delivered || delivery.attempts >= policy.max_attempts {
            if !delivered {
                tracing::warn!(
                    "webhook delivery {} to {} given up after {} attempts",
                    delivery.id,
                    hook.url,
                    delivery.attempts
                );
            }
            store.outbox_remove(due, &delivery.id)?;
        } else {
            let next =
                secrets::now_millis() + policy.delay_after(delivery.attempts).as_millis() as u64;
            store.outbox_reschedule(due, next, &delivery)?;
        }
        // Kept: a background worker, no dispatcher; a sent delivery leaves the outbox for good.
        store.durable().await?;
    }
    Ok(())
}

/// A URL whose host is an address (no resolver sees those) that may not be
/// reached: why, for the delivery log.
fn literal_refusal(url: &str, allow_private: bool) -> Option<String> {
    if allow_private {
        return None;
    }
    let ip = match reqwest::Url::parse(url).ok()?.host()? {
        url::Host::Ipv4(v4) => std::net::IpAddr::V4(v4),
        url::Host::Ipv6(v6) => std::net::IpAddr::V6(v6),
        url::Host::Domain(_) => return None,
    };
    outbound::check_literal(ip).err()
}

/// An error with its causes ("error sending request: … : 10.0.0.1 is a
/// private address"), so the delivery log says what actually happened.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            first_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(60),
            ..Default::default()
        };
        assert_eq!(policy.delay_after(1), Duration::from_secs(10));
        assert_eq!(policy.delay_after(2), Duration::from_secs(20));
        assert_eq!(policy.delay_after(3), Duration::from_secs(40));
        assert_eq!(policy.delay_after(4), Duration::from_secs(60));
        assert_eq!(policy.delay_after(40), Duration::from_secs(60));
    }

    #[test]
    fn urls_must_be_http() {
        assert!(check_url("https://hooks.example.nl/mekaar").is_ok());
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        assert!(check_url("ftp://example.nl").is_err());
        assert!(check_url("not a url").is_err());
    }
}
