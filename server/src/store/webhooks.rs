//! Webhooks: the outbox of deliveries still to make, keyed by when they are
//! due (milliseconds big-endian, then the delivery id, so a range scan finds
//! the due ones first), and the log of every attempt, per community in the
//! order they were made (`community` NUL, micro-seconds big-endian, the
//! delivery id).

use mekaar_api::DeliveryAttempt;

use super::{key, Store, StoreError, StoreResult, Table};
use crate::secrets;
use crate::webhooks::Delivery;

fn outbox_key(due_millis: u64, delivery_id: &str) -> Vec<u8> {
    let mut key = due_millis.to_be_bytes().to_vec();
    key.extend_from_slice(delivery_id.as_bytes());
    key
}

/// The due time of an outbox key.
fn due_of(key: &[u8]) -> StoreResult<u64> {
    key.get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt("a webhook outbox key is malformed".into()))
}

fn with_due(items: Vec<(Vec<u8>, Delivery)>) -> StoreResult<Vec<(u64, Delivery)>> {
    items
        .into_iter()
        .map(|(key, delivery)| Ok((due_of(&key)?, delivery)))
        .collect()
}

/// `community` + NUL: the start of every key of the community's delivery log.
fn log_prefix(community: &str) -> Vec<u8> {
    key(&[community, ""])
}

impl Store {
    /// Puts a delivery in the outbox, due at `due_millis`.
    pub fn outbox_add(&self, due_millis: u64, delivery: &Delivery) -> StoreResult<()> {
        self.put(
            Table::WebhookOutbox,
            &outbox_key(due_millis, &delivery.id),
            delivery,
        )
    }

    /// At most `limit` deliveries due at `now_millis` or before, soonest
    /// first, each with its due time.
    pub fn outbox_due(&self, now_millis: u64, limit: usize) -> StoreResult<Vec<(u64, Delivery)>> {
        with_due(self.range(
            Table::WebhookOutbox,
            &0u64.to_be_bytes(),
            &(now_millis + 1).to_be_bytes(),
            limit,
        )?)
    }

    /// Every delivery in the outbox, soonest first, each with its due time.
    pub fn outbox_all(&self) -> StoreResult<Vec<(u64, Delivery)>> {
        with_due(self.scan_prefix_keyed(Table::WebhookOutbox, b"")?)
    }

    /// Takes the delivery `delivery_id` due at `due_millis` out of the outbox.
    pub fn outbox_remove(&self, due_millis: u64, delivery_id: &str) -> StoreResult<()> {
        self.remove(Table::WebhookOutbox, &outbox_key(due_millis, delivery_id))
    }

    /// Moves a delivery due at `due_millis` to `new_due_millis`, stored as
    /// `delivery` now is, in one atomic step.
    pub fn outbox_reschedule(
        &self,
        due_millis: u64,
        new_due_millis: u64,
        delivery: &Delivery,
    ) -> StoreResult<()> {
        self.rekey(
            Table::WebhookOutbox,
            &outbox_key(due_millis, &delivery.id),
            &outbox_key(new_due_millis, &delivery.id),
            delivery,
        )
    }

    /// Replaces the body of the delivery `delivery_id` due at `due_millis`
    /// if it is still there (compare-and-swap: one the worker moved or
    /// finished meanwhile is left alone). Returns whether it was.
    pub fn outbox_set_body(
        &self,
        due_millis: u64,
        delivery_id: &str,
        body: &str,
    ) -> StoreResult<bool> {
        let updated = self.update(
            Table::WebhookOutbox,
            &outbox_key(due_millis, delivery_id),
            |mut d: Delivery| {
                d.body = body.to_string();
                Ok::<_, std::convert::Infallible>(d)
            },
        )?;
        Ok(updated.is_some())
    }

    /// Appends an attempt to the community's delivery log.
    pub fn delivery_log_append(
        &self,
        community: &str,
        attempt: &DeliveryAttempt,
    ) -> StoreResult<()> {
        let mut log_key = log_prefix(community);
        log_key.extend_from_slice(&secrets::now_micros().to_be_bytes());
        log_key.extend_from_slice(attempt.delivery_id.as_bytes());
        self.put(Table::WebhookLog, &log_key, attempt)
    }

    /// The newest `limit` attempts of the community, newest first.
    pub fn delivery_log_page(
        &self,
        community: &str,
        limit: usize,
    ) -> StoreResult<Vec<DeliveryAttempt>> {
        self.scan_prefix_rev(Table::WebhookLog, &log_prefix(community), limit)
    }
}
