//! E-mail's tables: the outbox (keyed by when a mail is due), subscriptions
//! (by community, initiative and hashed voter key), the index of confirm and
//! unsubscribe tokens (by a hash of the token), digests and manage records
//! (by community and initiative), and statistics (per community; bounces
//! per address hash).
//!
//! A subscription is named elsewhere (in its mails and tokens) by its id:
//! the hex of its key.

use sha2::{Digest, Sha256};

use super::{key, Store, StoreResult, Table};
use crate::mail::{DigestState, ManageRecord, QueuedMail, Stats, Subscription, TokenRecord};
use crate::secrets;

fn outbox_key(due_millis: u64, id: &str) -> Vec<u8> {
    let mut key = due_millis.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

fn subscription_key(community: &str, initiative: &str, voter: &[u8]) -> Vec<u8> {
    key(&[community, initiative, &secrets::hex(voter)])
}

fn stats_key(community: &str) -> Vec<u8> {
    key(&[community, ""])
}

/// The hash mail statistics know an address by (never the address).
fn address_hash(email: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"mekaar-mail-address\0");
    hasher.update(email.trim().to_lowercase().as_bytes());
    secrets::hex(&hasher.finalize()[..16])
}

/// Bounce counts are server-wide, by address hash: `!` never starts a slug.
fn bounce_key(email: &str) -> Vec<u8> {
    format!("!{}", address_hash(email)).into_bytes()
}

/// The store keeps a hash of a token, never the token.
fn token_key(token: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(b"mekaar-mail-token\0");
    hasher.update(token.as_bytes());
    secrets::hex(&hasher.finalize()).into_bytes()
}

impl Store {
    // ------------------------------------------------------------ outbox

    /// Queues `mail` to be sent at `due` (milliseconds).
    pub fn mail_outbox_put(&self, due: u64, mail: &QueuedMail) -> StoreResult<()> {
        self.put(Table::MailOutbox, &outbox_key(due, &mail.id), mail)
    }

    /// At most `limit` mails due at or before `now` (milliseconds), earliest
    /// first, each with when it was due.
    pub fn mail_outbox_due(&self, now: u64, limit: usize) -> StoreResult<Vec<(u64, QueuedMail)>> {
        let due: Vec<(Vec<u8>, QueuedMail)> = self.range(
            Table::MailOutbox,
            &0u64.to_be_bytes(),
            &(now + 1).to_be_bytes(),
            limit,
        )?;
        Ok(due
            .into_iter()
            .filter_map(|(key, mail)| {
                let at: [u8; 8] = key.get(..8)?.try_into().ok()?;
                Some((u64::from_be_bytes(at), mail))
            })
            .collect())
    }

    /// Removes the mail `id` that was due at `due`.
    pub fn mail_outbox_remove(&self, due: u64, id: &str) -> StoreResult<()> {
        self.remove(Table::MailOutbox, &outbox_key(due, id))
    }

    /// Moves `mail`, due at `due`, to `new_due` in one atomic step.
    pub fn mail_outbox_reschedule(
        &self,
        due: u64,
        new_due: u64,
        mail: &QueuedMail,
    ) -> StoreResult<()> {
        self.rekey(
            Table::MailOutbox,
            &outbox_key(due, &mail.id),
            &outbox_key(new_due, &mail.id),
            mail,
        )
    }

    /// Every queued mail, earliest first.
    pub fn mail_outbox_all(&self) -> StoreResult<Vec<QueuedMail>> {
        self.scan_prefix(Table::MailOutbox, b"")
    }

    pub fn mail_outbox_is_empty(&self) -> StoreResult<bool> {
        Ok(self
            .range::<QueuedMail>(Table::MailOutbox, &[], &[0xff; 9], 1)?
            .is_empty())
    }

    /// Removes the queued mails `matches` accepts; returns how many.
    pub fn mail_outbox_remove_where(
        &self,
        matches: impl Fn(&QueuedMail) -> bool,
    ) -> StoreResult<u64> {
        let mut removed = 0;
        for (key, mail) in self.scan_prefix_keyed::<QueuedMail>(Table::MailOutbox, b"")? {
            if matches(&mail) {
                self.remove(Table::MailOutbox, &key)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    // ------------------------------------------------------------ subscriptions

    /// The id of a voter's subscription to an initiative's news (whether or
    /// not it exists), as its mails and tokens name it.
    pub fn mail_subscription_id(&self, community: &str, initiative: &str, voter: &[u8]) -> String {
        secrets::hex(&subscription_key(community, initiative, voter))
    }

    pub fn mail_subscription_get(&self, id: &str) -> StoreResult<Option<Subscription>> {
        let Ok(key) = hex::decode(id) else {
            return Ok(None);
        };
        self.get(Table::MailSubscriptions, &key)
    }

    /// Stores the subscription `id` and indexes its tokens: `confirm_token`
    /// and its unsubscribe token.
    pub fn mail_subscription_put(
        &self,
        community: &str,
        id: &str,
        subscription: &Subscription,
        confirm_token: &str,
    ) -> StoreResult<()> {
        let key = hex::decode(id)
            .map_err(|_| super::StoreError::Corrupt("a subscription id is not hex".into()))?;
        for (token, confirm) in [
            (confirm_token, true),
            (subscription.unsubscribe_token.as_str(), false),
        ] {
            self.put(
                Table::MailTokens,
                &token_key(token),
                &TokenRecord {
                    community: community.to_string(),
                    confirm,
                    subscription: id.to_string(),
                },
            )?;
        }
        self.put(Table::MailSubscriptions, &key, subscription)
    }

    /// Removes the subscription `id`, its tokens and its mails still
    /// waiting. Returns whether it existed.
    pub fn mail_subscription_remove(&self, id: &str) -> StoreResult<bool> {
        let Ok(key) = hex::decode(id) else {
            return Ok(false);
        };
        let Some(subscription) = self.get::<Subscription>(Table::MailSubscriptions, &key)? else {
            return Ok(false);
        };
        self.remove(
            Table::MailTokens,
            &token_key(&subscription.unsubscribe_token),
        )?;
        // The confirm token's index names this subscription too.
        for (token_key, record) in self.scan_prefix_keyed::<TokenRecord>(Table::MailTokens, b"")? {
            if record.subscription == id {
                self.remove(Table::MailTokens, &token_key)?;
            }
        }
        self.mail_outbox_remove_where(|mail| mail.subscription.as_deref() == Some(id))?;
        self.remove(Table::MailSubscriptions, &key)?;
        Ok(true)
    }

    /// The subscriptions to an initiative's news, with their ids and the
    /// hashed voter keys they belong to, in key order.
    pub fn mail_subscriptions(
        &self,
        community: &str,
        initiative: &str,
    ) -> StoreResult<Vec<MailSubscriber>> {
        let prefix = key(&[community, initiative, ""]);
        Ok(self
            .scan_prefix_keyed::<Subscription>(Table::MailSubscriptions, &prefix)?
            .into_iter()
            .map(|(key, subscription)| MailSubscriber {
                id: secrets::hex(&key),
                voter: key
                    .get(prefix.len()..)
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| hex::decode(hex).ok()),
                subscription,
            })
            .collect())
    }

    /// Every subscription in the community.
    pub fn mail_community_subscriptions(&self, community: &str) -> StoreResult<Vec<Subscription>> {
        self.scan_prefix(Table::MailSubscriptions, &key(&[community, ""]))
    }

    // ------------------------------------------------------------ tokens

    /// What a confirm or unsubscribe token stands for.
    pub fn mail_token_get(&self, token: &str) -> StoreResult<Option<TokenRecord>> {
        self.get(Table::MailTokens, &token_key(token))
    }

    /// Uses a confirm token: it goes, and its subscription is confirmed.
    /// Returns its record, or `None` when it is no confirm token of a
    /// subscription that still exists.
    pub fn mail_token_confirm(&self, token: &str) -> StoreResult<Option<TokenRecord>> {
        let token_key = token_key(token);
        let Some(record) = self
            .get::<TokenRecord>(Table::MailTokens, &token_key)?
            .filter(|r| r.confirm)
        else {
            return Ok(None);
        };
        let Ok(key) = hex::decode(&record.subscription) else {
            return Ok(None);
        };
        self.remove(Table::MailTokens, &token_key)?;
        let changed = self.update(Table::MailSubscriptions, &key, |mut s: Subscription| {
            s.confirmed = true;
            Ok::<_, std::convert::Infallible>(s)
        })?;
        Ok(changed.map(|_| record))
    }

    /// Uses an unsubscribe token: its subscription goes (see
    /// [`Store::mail_subscription_remove`]). Returns its record, or `None`
    /// when it is no unsubscribe token.
    pub fn mail_token_unsubscribe(&self, token: &str) -> StoreResult<Option<TokenRecord>> {
        let Some(record) = self.mail_token_get(token)?.filter(|r| !r.confirm) else {
            return Ok(None);
        };
        if hex::decode(&record.subscription).is_err() {
            return Ok(None);
        }
        self.mail_subscription_remove(&record.subscription)?;
        Ok(Some(record))
    }

    // ------------------------------------------------------------ digests

    pub fn mail_digest_get(
        &self,
        community: &str,
        initiative: &str,
    ) -> StoreResult<Option<DigestState>> {
        self.get(Table::MailDigests, &key(&[community, initiative]))
    }

    pub fn mail_digest_put(
        &self,
        community: &str,
        initiative: &str,
        state: &DigestState,
    ) -> StoreResult<()> {
        self.put(Table::MailDigests, &key(&[community, initiative]), state)
    }

    pub fn mail_digest_remove(&self, community: &str, initiative: &str) -> StoreResult<()> {
        self.remove(Table::MailDigests, &key(&[community, initiative]))
    }

    /// Every initiative's digest state (each names its community and initiative).
    pub fn mail_digests(&self) -> StoreResult<Vec<DigestState>> {
        self.scan_prefix(Table::MailDigests, b"")
    }

    // ------------------------------------------------------------ manage links

    pub fn mail_manage_put(
        &self,
        community: &str,
        initiative: &str,
        record: &ManageRecord,
    ) -> StoreResult<()> {
        self.put(Table::MailManage, &key(&[community, initiative]), record)
    }

    /// Removes and returns the initiative's manage record, if any.
    pub fn mail_manage_take(
        &self,
        community: &str,
        initiative: &str,
    ) -> StoreResult<Option<ManageRecord>> {
        let key = key(&[community, initiative]);
        let Some(record) = self.get::<ManageRecord>(Table::MailManage, &key)? else {
            return Ok(None);
        };
        self.remove(Table::MailManage, &key)?;
        Ok(Some(record))
    }

    /// The community's manage records, with their initiatives' ids.
    pub fn mail_manage_records(&self, community: &str) -> StoreResult<Vec<(String, ManageRecord)>> {
        let prefix = key(&[community, ""]);
        Ok(self
            .scan_prefix_keyed::<ManageRecord>(Table::MailManage, &prefix)?
            .into_iter()
            .map(|(key, record)| {
                let id = String::from_utf8_lossy(&key[prefix.len()..]).to_string();
                (id, record)
            })
            .collect())
    }

    // ------------------------------------------------------------ statistics

    pub fn mail_stats(&self, community: &str) -> StoreResult<Stats> {
        Ok(self
            .get(Table::MailStats, &stats_key(community))?
            .unwrap_or_default())
    }

    pub fn mail_stats_change(
        &self,
        community: &str,
        change: impl Fn(&mut Stats),
    ) -> StoreResult<()> {
        let key = stats_key(community);
        let mut stats: Stats = self.get(Table::MailStats, &key)?.unwrap_or_default();
        change(&mut stats);
        self.put(Table::MailStats, &key, &stats)
    }

    /// How often mail to `email` bounced (on any community).
    pub fn mail_bounces(&self, email: &str) -> StoreResult<u64> {
        Ok(self
            .get::<u64>(Table::MailStats, &bounce_key(email))?
            .unwrap_or(0))
    }

    pub fn mail_bounce_add(&self, email: &str) -> StoreResult<()> {
        let key = bounce_key(email);
        let n = self.get::<u64>(Table::MailStats, &key)?.unwrap_or(0);
        self.put(Table::MailStats, &key, &(n + 1))
    }
}

/// A subscription to an initiative's news, as [`Store::mail_subscriptions`] lists it.
pub struct MailSubscriber {
    pub id: String,
    /// The hashed voter key it belongs to (`None` for a malformed key).
    pub voter: Option<Vec<u8>>,
    pub subscription: Subscription,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{Kind, NewsItem};

    fn keys(store: &Store, tree: &str) -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> = store
            .raw_tree(tree)
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        keys.sort();
        keys
    }

    fn sha_hex(parts: &[&[u8]], len: usize) -> String {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part);
        }
        hex::encode(&hasher.finalize()[..len])
    }

    /// The keys are those data directories and v1 exports already hold.
    #[test]
    fn mail_records_keep_their_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let voter = [7u8; 16];
        let id = store.mail_subscription_id("dorp", "i1", &voter);
        let sub_key = [b"dorp\0i1\0".as_slice(), hex::encode(voter).as_bytes()].concat();
        assert_eq!(id, hex::encode(&sub_key));
        let subscription = Subscription {
            email: "Piet@example.nl".into(),
            confirmed: false,
            unsubscribe_token: "uit".into(),
            base_url: "http://mekaar.test".into(),
            created_at: 1,
        };
        store
            .mail_subscription_put("dorp", &id, &subscription, "ja")
            .unwrap();
        assert_eq!(keys(&store, "mail_subscriptions"), vec![sub_key.clone()]);
        let mut tokens = vec![
            sha_hex(&[b"mekaar-mail-token\0", b"ja"], 32).into_bytes(),
            sha_hex(&[b"mekaar-mail-token\0", b"uit"], 32).into_bytes(),
        ];
        tokens.sort();
        assert_eq!(keys(&store, "mail_tokens"), tokens);
        assert_eq!(
            store.mail_token_get("ja").unwrap().unwrap().subscription,
            id
        );

        let mail = QueuedMail {
            id: "m1".into(),
            community: "dorp".into(),
            kind: Kind::Confirm,
            initiative: Some("i1".into()),
            subscription: Some(id.clone()),
            to: "piet@example.nl".into(),
            subject: "s".into(),
            text: "t".into(),
            unsubscribe: None,
            attempts: 0,
        };
        store.mail_outbox_put(1_000, &mail).unwrap();
        let outbox_key = [1_000u64.to_be_bytes().as_slice(), b"m1"].concat();
        assert_eq!(keys(&store, "mail_outbox"), vec![outbox_key]);
        assert_eq!(store.mail_outbox_due(999, 10).unwrap().len(), 0);
        let due = store.mail_outbox_due(1_000, 10).unwrap();
        assert_eq!(due[0].0, 1_000);
        store.mail_outbox_reschedule(1_000, 5_000, &mail).unwrap();
        let moved = [5_000u64.to_be_bytes().as_slice(), b"m1"].concat();
        assert_eq!(keys(&store, "mail_outbox"), vec![moved]);

        store.mail_stats_change("dorp", |s| s.sent += 1).unwrap();
        store.mail_bounce_add(" PIET@example.nl").unwrap();
        let bounce = format!(
            "!{}",
            sha_hex(&[b"mekaar-mail-address\0", b"piet@example.nl"], 16)
        );
        assert_eq!(
            keys(&store, "mail_stats"),
            vec![bounce.into_bytes(), b"dorp\0".to_vec()]
        );
        assert_eq!(store.mail_bounces("piet@example.nl").unwrap(), 1);

        let state = DigestState {
            community: "dorp".into(),
            initiative: "i1".into(),
            pending: vec![NewsItem {
                at: 1,
                text: "nieuws".into(),
            }],
            last_sent_at: None,
        };
        store.mail_digest_put("dorp", "i1", &state).unwrap();
        assert_eq!(keys(&store, "mail_digests"), vec![b"dorp\0i1".to_vec()]);
        let record = ManageRecord {
            email: "piet@example.nl".into(),
            token: "beheer".into(),
        };
        store.mail_manage_put("dorp", "i1", &record).unwrap();
        assert_eq!(keys(&store, "mail_manage"), vec![b"dorp\0i1".to_vec()]);
        assert_eq!(store.mail_manage_records("dorp").unwrap()[0].0, "i1");

        // A subscription goes with its tokens and its waiting mails.
        assert!(store.mail_subscription_remove(&id).unwrap());
        assert!(keys(&store, "mail_subscriptions").is_empty());
        assert!(keys(&store, "mail_tokens").is_empty());
        assert!(store.mail_outbox_is_empty().unwrap());
    }
}
