//! Dialogue: threads on initiatives, polls and topics, and residents'
//! reactions in them, without an account.
//!
//! Every thread is kept in memory once read (its reactions with their agree
//! and report counts, loaded by one scan), changed under the thread's lock
//! together with the store, so a page of 10,000 reactions is sorted and cut
//! from memory and a conditional read is a version compare. The store stays
//! the truth: counts live in counted sets, texts in sealed records.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use mekaar_api::discussions::{
    limits, AgreeState, Badge, OfficialReactionPost, Reaction, ReactionAction, ReactionAdmin,
    ReactionAdminList, ReactionEdit, ReactionPost, ReactionQueueCounts, ReactionSort,
    ReactionState, Stance, Thread, ThreadKind, ThreadUpdate, ThreadView, Topic, TopicCreate,
};
use mekaar_api::{ErrorCode, ModerationPolicy, ReportState, WebhookEvent};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::abuse::{Abuse, Window};
use crate::communities::{check_paragraphs, check_text, Community};
use crate::errors::{ApiError, ApiResult};
use crate::initiatives;
use crate::moderation;
use crate::polls;
use crate::secrets;
use crate::store::Store;
use crate::webhooks;

/// Threads kept in memory before idle ones are dropped.
const CACHED_THREADS: usize = 2_000;

/// A reaction as stored (sealed: text and name are personal data).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredReaction {
    pub id: String,
    pub kind: ThreadKind,
    pub thread: String,
    pub text: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(default)]
    pub badge: Option<Badge>,
    pub created_at: u64,
    #[serde(default)]
    pub edited_at: Option<u64>,
    pub state: ReactionState,
    /// The hex voter hash that wrote it (empty for the municipality's).
    #[serde(default)]
    pub author: String,
    /// Why it waited for a moderator (see [`ReactionAdmin::held_for`]).
    #[serde(default)]
    pub held_for: String,
    /// Reports counted when a moderator last decided.
    #[serde(default)]
    pub reports_seen: u64,
}

/// A thread's settings, and a topic's text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ThreadRecord {
    pub kind: ThreadKind,
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub open: bool,
    #[serde(default)]
    pub closes_at: Option<u64>,
    pub created_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ThreadKey {
    community: String,
    kind: ThreadKind,
    id: String,
}

#[derive(Debug, Clone)]
struct Entry {
    stored: StoredReaction,
    agrees: u64,
    reports: u64,
    /// False between a new reaction's write and its flush: not shown yet.
    on_disk: bool,
}

struct Loaded {
    /// In id order, which is creation order.
    entries: Vec<Entry>,
    version: u64,
}

impl Loaded {
    fn find(&self, id: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.stored.id.as_str().cmp(id))
            .ok()
    }

    /// Where reaction `id` is, or 404 `reaction_not_found`.
    fn index_of(&self, id: &str) -> ApiResult<usize> {
        self.find(id).ok_or_else(|| reaction_not_found(id))
    }
}

pub struct ThreadCache {
    key: ThreadKey,
    state: Mutex<Option<Loaded>>,
    changed: watch::Sender<u64>,
}

/// The dialogue's memory: threads in use and the version counter.
pub struct Discussions {
    threads: Mutex<HashMap<ThreadKey, Arc<ThreadCache>>>,
    next_version: AtomicU64,
}

impl Default for Discussions {
    fn default() -> Self {
        Discussions {
            threads: Mutex::new(HashMap::new()),
            // Versions of another run never repeat: ETags stay honest over a restart.
            next_version: AtomicU64::new(secrets::now_micros()),
        }
    }
}

/// Query of `GET …/threads/{kind}/{id}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ThreadQuery {
    #[serde(default)]
    pub sort: ReactionSort,
    #[serde(default)]
    pub stance: Option<Stance>,
    #[serde(default)]
    pub page: u32,
}

/// Query of the admin queue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    #[serde(default)]
    pub queue: Queue,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    #[default]
    Pending,
    Reported,
    All,
}

/// Who posts a reaction.
pub enum Author<'a> {
    /// A resident, by voter key; `initiator` when the initiative's manage token came along.
    Resident {
        voter: [u8; 16],
        initiator: bool,
        network: Option<[u8; 16]>,
        abuse: &'a Abuse,
    },
    /// The municipality, from the console.
    Municipality,
}

fn not_found(kind: ThreadKind, id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ThreadNotFound,
        format!(
            "There is no {} `{id}` with a discussion here.",
            kind.as_str()
        ),
    )
}

fn reaction_not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ReactionNotFound,
        format!("There is no reaction `{id}` in this community."),
    )
}

/// `kind` from a thread's path, or 404 `thread_not_found`.
pub fn kind_of_path(kind: &str, id: &str) -> ApiResult<ThreadKind> {
    ThreadKind::parse(kind).ok_or_else(|| {
        ApiError::new(
            ErrorCode::ThreadNotFound,
            format!("There is no discussion `{kind}/{id}`: kinds are initiative, poll and topic."),
        )
    })
}

/// Time-ordered: milliseconds then a random tail, so id order is creation order.
fn new_reaction_id() -> String {
    format!("{:012x}{}", secrets::now_millis(), &secrets::new_id()[..6])
}

/// What a thread is about: its title, whether stances apply, its settings.
struct Target {
    title: String,
    stances: bool,
    record: Option<ThreadRecord>,
}

fn target(store: &Store, community: &Community, kind: ThreadKind, id: &str) -> ApiResult<Target> {
    if !secrets::is_plausible_id(id) {
        return Err(not_found(kind, id));
    }
    let record = store.thread_get(&community.slug, kind, id)?;
    let (title, stances) = match kind {
        ThreadKind::Initiative => {
            let initiative =
                initiatives::get_public(store, community, id).map_err(|_| not_found(kind, id))?;
            (initiative.title, true)
        }
        ThreadKind::Poll => {
            let poll = polls::get(store, community, id).map_err(|_| not_found(kind, id))?;
            (poll.question, false)
        }
        ThreadKind::Topic => match &record {
            Some(r) => (r.title.clone(), false),
            None => return Err(not_found(kind, id)),
        },
    };
    Ok(Target {
        title,
        stances,
        record,
    })
}

fn is_open(record: Option<&ThreadRecord>, now: u64) -> bool {
    record.is_none_or(|r| r.open && r.closes_at.is_none_or(|at| now < at))
}

fn closed() -> ApiError {
    ApiError::new(
        ErrorCode::ThreadClosed,
        "This discussion is closed: no new reactions.",
    )
}

/// Whether a text holds a link (what residents would click).
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("http://") || lower.contains("https://") || lower.contains("www.")
}

/// The first hold word in `text`: whole words, case-insensitive; a "word" with
/// a space in it is looked for as a phrase.
pub fn held_word<'a>(text: &str, words: &'a [String]) -> Option<&'a str> {
    let lower = text.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    words
        .iter()
        .find(|w| {
            if w.contains(' ') {
                lower.contains(w.as_str())
            } else {
                tokens.contains(&w.as_str())
            }
        })
        .map(String::as_str)
}

/// Same text, whatever its spacing and case: what "the same reaction twice" means.
fn fingerprint(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Discussions {
    fn cache(&self, key: ThreadKey) -> Arc<ThreadCache> {
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        if threads.len() >= CACHED_THREADS && !threads.contains_key(&key) {
            // Only threads nobody holds (no request, no live watcher).
            threads.retain(|_, cache| Arc::strong_count(cache) > 1);
        }
        threads
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(ThreadCache {
                    key,
                    state: Mutex::new(None),
                    changed: watch::channel(0).0,
                })
            })
            .clone()
    }

    /// Forgets the threads of `community` (all threads: `None`) that
    /// another node changed: each loads again from the store on its next
    /// use, and its live watchers hear that it changed.
    pub fn forget(&self, community: Option<&str>) {
        for cache in self.forget_caches(community) {
            cache.changed.send_replace(self.bump());
        }
    }

    /// Forgets every thread's reactions without telling its watchers
    /// (the periodic safety net): the next read loads them again.
    pub fn forget_quietly(&self) {
        self.forget_caches(None);
    }

    /// Empties the caches of `community`'s threads (all: `None`); returns them.
    fn forget_caches(&self, community: Option<&str>) -> Vec<Arc<ThreadCache>> {
        let caches: Vec<Arc<ThreadCache>> = self
            .threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .filter(|cache| community.is_none_or(|slug| cache.key.community == slug))
            .cloned()
            .collect();
        for cache in &caches {
            *cache.state.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        caches
    }

    fn bump(&self) -> u64 {
        self.next_version.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The thread's cache, loaded, locked.
    fn open<'a>(&self, store: &Store, cache: &'a ThreadCache) -> ApiResult<Locked<'a>> {
        let mut guard = cache.state.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            let key = &cache.key;
            let mut entries = Vec::new();
            for stored in store.reactions_of_thread(&key.community, key.kind, &key.id)? {
                entries.push(Entry {
                    agrees: store.reaction_agree_count(&key.community, &stored.id)?,
                    reports: store.reaction_report_count(&key.community, &stored.id)?,
                    stored,
                    on_disk: true,
                });
            }
            entries.sort_by(|a, b| a.stored.id.cmp(&b.stored.id));
            *guard = Some(Loaded {
                entries,
                version: self.bump(),
            });
        }
        Ok(Locked { guard, cache })
    }

    /// Subscribes to a thread's changes (the version after each).
    pub fn watch(
        &self,
        store: &Store,
        community: &Community,
        kind: ThreadKind,
        id: &str,
    ) -> ApiResult<(Arc<ThreadCache>, watch::Receiver<u64>)> {
        target(store, community, kind, id)?;
        let cache = self.cache(ThreadKey {
            community: community.slug.clone(),
            kind,
            id: id.to_string(),
        });
        let version = self.open(store, &cache)?.loaded().version;
        cache.changed.send_replace(version);
        let rx = cache.changed.subscribe();
        Ok((cache, rx))
    }

    fn thread_cache(&self, slug: &str, kind: ThreadKind, id: &str) -> Arc<ThreadCache> {
        self.cache(ThreadKey {
            community: slug.to_string(),
            kind,
            id: id.to_string(),
        })
    }

    /// What a thread page's ETag is made of, after checking the thread
    /// exists: its version, and whether it is open now (a closing time
    /// passes without any write).
    pub fn version(
        &self,
        store: &Store,
        community: &Community,
        kind: ThreadKind,
        id: &str,
    ) -> ApiResult<(u64, bool)> {
        let target = target(store, community, kind, id)?;
        let cache = self.thread_cache(&community.slug, kind, id);
        let locked = self.open(store, &cache)?;
        let open = is_open(target.record.as_ref(), secrets::now_secs());
        Ok((locked.loaded().version, open))
    }

    /// A page of the thread as `voter` sees it.
    pub fn view(
        &self,
        store: &Store,
        community: &Community,
        kind: ThreadKind,
        id: &str,
        query: &ThreadQuery,
        voter: Option<[u8; 16]>,
    ) -> ApiResult<ThreadView> {
        let target = target(store, community, kind, id)?;
        let now = secrets::now_secs();
        let cache = self.thread_cache(&community.slug, kind, id);
        let locked = self.open(store, &cache)?;
        let loaded = locked.loaded();
        let me = voter.map(|v| secrets::hex(&v));
        let mine = |e: &Entry| me.as_deref().is_some_and(|m| m == e.stored.author);
        let shown = |e: &Entry| {
            e.on_disk
                && match e.stored.state {
                    ReactionState::Published => true,
                    ReactionState::Pending => mine(e),
                    _ => false,
                }
        };
        let mut replies: HashMap<&str, Vec<&Entry>> = HashMap::new();
        for e in &loaded.entries {
            if let Some(parent) = &e.stored.reply_to {
                if shown(e) {
                    replies.entry(parent.as_str()).or_default().push(e);
                }
            }
        }
        let mut top: Vec<&Entry> = loaded
            .entries
            .iter()
            .filter(|e| e.stored.reply_to.is_none())
            .filter(|e| {
                shown(e)
                    // A removed reaction stays as a placeholder while its replies do.
                    || (e.stored.state == ReactionState::Removed
                        && replies.contains_key(e.stored.id.as_str()))
            })
            .filter(|e| query.stance.is_none() || e.stored.stance == query.stance)
            .collect();
        match query.sort {
            ReactionSort::Newest => top.reverse(),
            ReactionSort::Oldest => {}
            ReactionSort::Agreed => {
                top.reverse();
                top.sort_by_key(|e| std::cmp::Reverse(e.agrees));
            }
        }
        let total = top.len() as u64;
        let page_size = limits::PAGE_SIZE;
        let agreed_by_voter = |e: &Entry| -> ApiResult<bool> {
            match voter {
                Some(v) if e.agrees > 0 => {
                    Ok(store.reaction_agreed(&community.slug, &e.stored.id, &v)?)
                }
                _ => Ok(false),
            }
        };
        let public = |e: &Entry| -> ApiResult<Reaction> {
            let own = mine(e);
            Ok(public_reaction(e, agreed_by_voter(e)?, own, now))
        };
        let reactions = top
            .iter()
            .skip(query.page as usize * page_size)
            .take(page_size)
            .map(|e| {
                let mut reaction = public(e)?;
                reaction.replies = replies
                    .get(e.stored.id.as_str())
                    .map(|list| list.iter().map(|r| public(r)).collect::<ApiResult<_>>())
                    .transpose()?
                    .unwrap_or_default();
                Ok(reaction)
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let reaction_count = loaded
            .entries
            .iter()
            .filter(|e| e.on_disk && e.stored.state == ReactionState::Published)
            .count() as u64;
        Ok(ThreadView {
            thread: thread_public(kind, id, &target, reaction_count, now),
            reactions,
            page: query.page,
            total,
            page_size: page_size as u32,
            version: loaded.version,
        })
    }

    /// Posts a reaction. Answers once it is on disk.
    pub async fn post(
        &self,
        store: &Store,
        community: &Community,
        (kind, id): (ThreadKind, &str),
        input: ReactionPost,
        author: Author<'_>,
    ) -> ApiResult<StoredReaction> {
        if !input.website.trim().is_empty() {
            return Err(ApiError::new(
                ErrorCode::SpamSuspected,
                "This reaction looks automated and was not posted.",
            ));
        }
        let text = check_paragraphs("text", &input.text, limits::TEXT)?;
        let name = if input.name.trim().is_empty() {
            String::new()
        } else {
            check_text("name", &input.name, limits::DISPLAY_NAME)?
        };
        let target = target(store, community, kind, id)?;
        let now = secrets::now_secs();
        if !is_open(target.record.as_ref(), now) {
            return Err(closed());
        }
        if input.stance.is_some() && !target.stances {
            return Err(ApiError::invalid_field(
                "stance",
                "stances are for reactions on initiatives",
            ));
        }
        if input.stance.is_some() && input.reply_to.is_some() {
            return Err(ApiError::invalid_field(
                "stance",
                "a reply has no stance of its own",
            ));
        }
        let settings = &community.reactions;
        let cache = self.thread_cache(&community.slug, kind, id);
        let stored = {
            let mut locked = self.open(store, &cache)?;
            if let Some(parent) = &input.reply_to {
                let ok = locked.loaded().find(parent).is_some_and(|i| {
                    let p = &locked.loaded().entries[i].stored;
                    p.reply_to.is_none() && p.state == ReactionState::Published
                });
                if !ok {
                    return Err(ApiError::new(
                        ErrorCode::InvalidReply,
                        "Replies answer a published reaction of this thread, one level deep.",
                    ));
                }
            }
            let (author_hex, badge, held_for) = match &author {
                Author::Municipality => (String::new(), Some(Badge::Municipality), String::new()),
                Author::Resident {
                    voter,
                    initiator,
                    network,
                    abuse,
                } => {
                    let author_hex = secrets::hex(voter);
                    let print = fingerprint(&text);
                    if locked.loaded().entries.iter().any(|e| {
                        e.stored.author == author_hex
                            && e.stored.state != ReactionState::Removed
                            && fingerprint(&e.stored.text) == print
                    }) {
                        return Err(ApiError::new(
                            ErrorCode::DuplicateReaction,
                            "You posted this same text here already.",
                        ));
                    }
                    let slug = community.slug.as_bytes();
                    abuse.take(
                        Window::ReactionsPerKey,
                        abuse.window_key(&[slug, voter]),
                        settings.per_key_per_10_minutes,
                    )?;
                    if let Some(network) = network {
                        abuse.take(
                            Window::ReactionsPerNetwork,
                            abuse.window_key(&[slug, network]),
                            settings.per_network_per_hour,
                        )?;
                    }
                    let held_for = if *initiator {
                        // The initiator is known to the moderators already.
                        ""
                    } else {
                        hold_reason(store, community, voter, &text)?
                    };
                    (
                        author_hex,
                        initiator.then_some(Badge::Initiator),
                        held_for.to_string(),
                    )
                }
            };
            let state = if held_for.is_empty() {
                ReactionState::Published
            } else {
                ReactionState::Pending
            };
            let stored = StoredReaction {
                id: new_reaction_id(),
                kind,
                thread: id.to_string(),
                text,
                name,
                stance: input.stance,
                reply_to: input.reply_to.clone(),
                badge,
                created_at: now,
                edited_at: None,
                state,
                author: author_hex,
                held_for,
                reports_seen: 0,
            };
            store.reaction_insert(&community.slug, (kind, id), &stored)?;
            if state == ReactionState::Published {
                publish_count(store, &community.slug, &stored, true)?;
            }
            // In the thread at once (a second identical post is a duplicate), shown
            // once it is on disk.
            locked.insert_quietly(Entry {
                stored: stored.clone(),
                agrees: 0,
                reports: 0,
                on_disk: false,
            });
            stored
        };
        announce(
            store,
            community,
            WebhookEvent::ReactionPosted,
            &target.title,
            &stored,
            serde_json::json!({}),
        )?;
        // Kept (not only the dispatcher's): readers see it only now that it is
        // on disk, and they read it outside this request.
        store.durable().await?;
        // Readers see it only now that it is on disk: a crash cannot take back a
        // reaction someone already read.
        let mut locked = self.open(store, &cache)?;
        if let Some(index) = locked.loaded().find(&stored.id) {
            let mut entry = locked.loaded().entries[index].clone();
            entry.on_disk = true;
            locked.replace(self, index, entry);
        }
        Ok(stored)
    }

    /// Finds a reaction's thread and locks it.
    fn locate(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
    ) -> ApiResult<(ThreadKind, String, Arc<ThreadCache>)> {
        if !secrets::is_plausible_id(reaction) {
            return Err(reaction_not_found(reaction));
        }
        let (kind, thread) = store
            .reaction_thread(&community.slug, reaction)?
            .ok_or_else(|| reaction_not_found(reaction))?;
        let cache = self.thread_cache(&community.slug, kind, &thread);
        Ok((kind, thread, cache))
    }

    /// The author edits their reaction within the window.
    pub fn edit(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
        voter: [u8; 16],
        edit: ReactionEdit,
    ) -> ApiResult<Reaction> {
        let text = check_paragraphs("text", &edit.text, limits::TEXT)?;
        let (kind, thread, cache) = self.locate(store, community, reaction)?;
        let target = target(store, community, kind, &thread)?;
        let now = secrets::now_secs();
        if !is_open(target.record.as_ref(), now) {
            return Err(closed());
        }
        let public = {
            let mut locked = self.open(store, &cache)?;
            let index = own_within_window(locked.loaded(), reaction, &voter, now)?;
            let mut entry = locked.loaded().entries[index].clone();
            let before = entry.stored.state;
            if fingerprint(&entry.stored.text) != fingerprint(&text) {
                entry.stored.text = text;
                entry.stored.edited_at = Some(now);
                // An edit may add what would have held it.
                if entry.stored.badge.is_none() && before == ReactionState::Published {
                    let held = hold_reason_of_text(community, &entry.stored.text);
                    if !held.is_empty() {
                        entry.stored.held_for = held.to_string();
                        entry.stored.state = ReactionState::Pending;
                    }
                }
            }
            store.reaction_put(&community.slug, (kind, &thread), &entry.stored)?;
            if before == ReactionState::Published && entry.stored.state != before {
                publish_count(store, &community.slug, &entry.stored, false)?;
            }
            let public = public_reaction(&entry, false, true, now);
            locked.replace(self, index, entry);
            public
        };
        Ok(public)
    }

    /// The author deletes their reaction within the window: text and name erased.
    pub fn delete_own(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
        voter: [u8; 16],
    ) -> ApiResult<()> {
        let (kind, thread, cache) = self.locate(store, community, reaction)?;
        {
            let mut locked = self.open(store, &cache)?;
            let now = secrets::now_secs();
            let index = own_within_window(locked.loaded(), reaction, &voter, now)?;
            self.set_state(
                store,
                community,
                (kind, &thread),
                &mut locked,
                index,
                ReactionState::Removed,
                |_| {},
            )?;
        }
        store.forget_old_record_keys()?;
        Ok(())
    }

    /// "Eens" (idempotent).
    pub fn agree(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
        voter: [u8; 16],
        agree: bool,
    ) -> ApiResult<AgreeState> {
        let (_, _, cache) = self.locate(store, community, reaction)?;
        let count = {
            let mut locked = self.open(store, &cache)?;
            let index = locked.loaded().index_of(reaction)?;
            let entry = &locked.loaded().entries[index];
            if agree && entry.stored.state != ReactionState::Published {
                return Err(reaction_not_found(reaction));
            }
            let (changed, count) =
                store.reaction_agree(&community.slug, reaction, &voter, agree)?;
            if changed {
                let mut entry = locked.loaded().entries[index].clone();
                entry.agrees = count;
                locked.replace(self, index, entry);
            }
            count
        };
        Ok(AgreeState {
            agreed: agree,
            agree_count: count,
        })
    }

    /// A resident reports a reaction; enough reports hide it.
    pub fn report(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
        voter: [u8; 16],
        reason: &str,
    ) -> ApiResult<ReportState> {
        let reason =
            crate::initiatives::optional_paragraphs("reason", reason, mekaar_api::limits::REASON)?;
        let (kind, thread, cache) = self.locate(store, community, reaction)?;
        let target = target(store, community, kind, &thread)?;
        let announced = {
            let mut locked = self.open(store, &cache)?;
            let index = locked.loaded().index_of(reaction)?;
            if locked.loaded().entries[index].stored.state != ReactionState::Published {
                return Err(reaction_not_found(reaction));
            }
            let (new, count) =
                store.reaction_report_add(&community.slug, reaction, &voter, &reason)?;
            if new {
                let mut entry = locked.loaded().entries[index].clone();
                entry.reports = count;
                locked.replace(self, index, entry);
                let entry = &locked.loaded().entries[index];
                let unseen = count.saturating_sub(entry.stored.reports_seen);
                if unseen >= u64::from(community.reactions.reports_before_hide.max(1)) {
                    self.set_state(
                        store,
                        community,
                        (kind, &thread),
                        &mut locked,
                        index,
                        ReactionState::Hidden,
                        |_| {},
                    )?;
                }
                Some(locked.loaded().entries[index].stored.clone())
            } else {
                None
            }
        };
        if let Some(stored) = announced {
            announce(
                store,
                community,
                WebhookEvent::ReactionReported,
                &target.title,
                &stored,
                serde_json::json!({ "reason": reason }),
            )?;
        }
        Ok(ReportState { reported: true })
    }

    /// Changes a reaction's state, keeping the published count with it.
    #[allow(clippy::too_many_arguments)]
    fn set_state(
        &self,
        store: &Store,
        community: &Community,
        (kind, thread): (ThreadKind, &str),
        locked: &mut Locked<'_>,
        index: usize,
        state: ReactionState,
        also: impl FnOnce(&mut StoredReaction),
    ) -> ApiResult<StoredReaction> {
        let mut entry = locked.loaded().entries[index].clone();
        let before = entry.stored.state;
        entry.stored.state = state;
        if state == ReactionState::Removed {
            // Erased for real: the sealed record's old key goes with the next keyring rewrite.
            entry.stored.text = String::new();
            entry.stored.name = String::new();
            entry.stored.stance = None;
        }
        also(&mut entry.stored);
        store.reaction_put(&community.slug, (kind, thread), &entry.stored)?;
        let was = before == ReactionState::Published;
        let is = state == ReactionState::Published;
        if was != is {
            publish_count(store, &community.slug, &entry.stored, is)?;
        }
        if state == ReactionState::Removed {
            // No reasons kept for what is gone.
            store.reaction_reports_clear(&community.slug, &entry.stored.id)?;
            entry.reports = 0;
        }
        let stored = entry.stored.clone();
        locked.replace(self, index, entry);
        Ok(stored)
    }

    /// A moderator's decision. Returns the reaction as moderators see it.
    pub fn moderate(
        &self,
        store: &Store,
        community: &Community,
        reaction: &str,
        action: ReactionAction,
        actor: &str,
        note: &str,
    ) -> ApiResult<ReactionAdmin> {
        let (kind, thread, cache) = self.locate(store, community, reaction)?;
        let title = target(store, community, kind, &thread)
            .map(|t| t.title)
            .unwrap_or_default();
        let admin = {
            let mut locked = self.open(store, &cache)?;
            let index = locked.loaded().index_of(reaction)?;
            let entry = locked.loaded().entries[index].clone();
            let current = entry.stored.state;
            let reports = entry.reports;
            let invalid = |why: &str| {
                Err(ApiError::new(
                    ErrorCode::InvalidReactionState,
                    format!("Cannot {} this reaction: {why}.", action_name(action)),
                ))
            };
            let decided = |r: &mut StoredReaction| r.reports_seen = reports;
            let state = match action {
                ReactionAction::Approve | ReactionAction::Restore => Some(ReactionState::Published),
                ReactionAction::Hide => Some(ReactionState::Hidden),
                ReactionAction::Remove => Some(ReactionState::Removed),
                ReactionAction::EraseName => None,
            };
            match state {
                Some(state) => {
                    if current == ReactionState::Removed && state != ReactionState::Removed {
                        return invalid("it was removed");
                    }
                    self.set_state(
                        store,
                        community,
                        (kind, &thread),
                        &mut locked,
                        index,
                        state,
                        decided,
                    )?;
                    if state == ReactionState::Published && !entry.stored.author.is_empty() {
                        // Known now: "a key's first reaction waits" lets the next through.
                        store.reaction_author_add(&community.slug, &entry.stored.author)?;
                    }
                }
                None => {
                    let mut entry = entry.clone();
                    entry.stored.name = String::new();
                    store.reaction_put(&community.slug, (kind, &thread), &entry.stored)?;
                    locked.replace(self, index, entry);
                }
            }
            let entry = locked.loaded().entries[index].clone();
            moderation::append_audit(
                store,
                community,
                (actor, &format!("reaction_{}", action_name(action)), None),
                format!(
                    "reaction {reaction} in {} {thread}{}{}",
                    kind.as_str(),
                    if note.is_empty() { "" } else { ": " },
                    note
                ),
                (None, None),
            )?;
            admin_view(store, community, &entry, (kind, &thread, &title))?
        };
        if matches!(action, ReactionAction::Remove | ReactionAction::EraseName) {
            store.forget_old_record_keys()?;
        }
        Ok(admin)
    }

    /// The moderation queue.
    pub fn queue(
        &self,
        store: &Store,
        community: &Community,
        queue: Queue,
    ) -> ApiResult<ReactionAdminList> {
        let mut counts = ReactionQueueCounts::default();
        let mut titles: HashMap<(ThreadKind, String), String> = HashMap::new();
        let mut list = Vec::new();
        for stored in store.reactions_of_community(&community.slug)? {
            if stored.state == ReactionState::Removed {
                continue;
            }
            let entry = Entry {
                agrees: store.reaction_agree_count(&community.slug, &stored.id)?,
                reports: store.reaction_report_count(&community.slug, &stored.id)?,
                stored,
                on_disk: true,
            };
            let pending = entry.stored.state == ReactionState::Pending;
            let reported = entry.reports > entry.stored.reports_seen;
            counts.all += 1;
            counts.pending += u64::from(pending);
            counts.reported += u64::from(reported);
            let wanted = match queue {
                Queue::Pending => pending,
                Queue::Reported => reported,
                Queue::All => true,
            };
            if wanted {
                let key = (entry.stored.kind, entry.stored.thread.clone());
                let title = match titles.get(&key) {
                    Some(t) => t.clone(),
                    None => {
                        let t = target(store, community, key.0, &key.1)
                            .map(|t| t.title)
                            .unwrap_or_default();
                        titles.insert(key.clone(), t.clone());
                        t
                    }
                };
                list.push(admin_view(
                    store,
                    community,
                    &entry,
                    (key.0, &key.1, &title),
                )?);
            }
        }
        list.sort_by(|a, b| b.reaction.id.cmp(&a.reaction.id));
        Ok(ReactionAdminList {
            reactions: list,
            counts,
        })
    }

    /// The municipality's reaction from the console: published at once.
    pub async fn post_official(
        &self,
        store: &Store,
        community: &Community,
        (kind, id): (ThreadKind, &str),
        input: OfficialReactionPost,
    ) -> ApiResult<ReactionAdmin> {
        let name = if input.name.trim().is_empty() {
            community.name.clone()
        } else {
            input.name
        };
        let stored = self
            .post(
                store,
                community,
                (kind, id),
                ReactionPost {
                    text: input.text,
                    name,
                    stance: None,
                    reply_to: input.reply_to,
                    website: String::new(),
                },
                Author::Municipality,
            )
            .await?;
        let title = target(store, community, kind, id)?.title;
        admin_view(
            store,
            community,
            &Entry {
                stored,
                agrees: 0,
                reports: 0,
                on_disk: true,
            },
            (kind, id, &title),
        )
    }

    /// Opens, closes or renames a thread (topics: title and intro too).
    pub fn update_thread(
        &self,
        store: &Store,
        community: &Community,
        kind: ThreadKind,
        id: &str,
        change: ThreadUpdate,
    ) -> ApiResult<Thread> {
        let target = target(store, community, kind, id)?;
        if kind != ThreadKind::Topic && (change.title.is_some() || change.intro.is_some()) {
            return Err(ApiError::invalid_field(
                "title",
                "only a topic's title and intro are set here",
            ));
        }
        let mut record = target.record.clone().unwrap_or(ThreadRecord {
            kind,
            id: id.to_string(),
            title: String::new(),
            intro: String::new(),
            open: true,
            closes_at: None,
            created_at: secrets::now_secs(),
        });
        if let Some(title) = change.title {
            record.title = check_text("title", &title, limits::TOPIC_TITLE)?;
        }
        if let Some(intro) = change.intro {
            record.intro =
                crate::initiatives::optional_paragraphs("intro", &intro, limits::TOPIC_INTRO)?;
        }
        if let Some(open) = change.open {
            record.open = open;
        }
        if let Some(at) = change.closes_at {
            record.closes_at = (at != 0).then_some(at);
        }
        store.thread_put(&community.slug, kind, id, &record)?;
        self.touch(store, &community.slug, kind, id)?;
        let target = Target {
            title: if kind == ThreadKind::Topic {
                record.title.clone()
            } else {
                target.title
            },
            record: Some(record),
            ..target
        };
        let count = count(store, community, kind, id)?;
        Ok(thread_public(kind, id, &target, count, secrets::now_secs()))
    }

    /// Tells watchers and conditional readers a thread changed outside its reactions.
    fn touch(&self, store: &Store, slug: &str, kind: ThreadKind, id: &str) -> ApiResult<()> {
        let cache = self.thread_cache(slug, kind, id);
        let mut locked = self.open(store, &cache)?;
        locked.changed(self);
        Ok(())
    }

    /// The thread as the console shows it.
    pub fn thread(
        &self,
        store: &Store,
        community: &Community,
        kind: ThreadKind,
        id: &str,
    ) -> ApiResult<Thread> {
        let target = target(store, community, kind, id)?;
        let count = count(store, community, kind, id)?;
        Ok(thread_public(kind, id, &target, count, secrets::now_secs()))
    }

    /// Opens a topic.
    pub fn create_topic(
        &self,
        store: &Store,
        community: &Community,
        input: TopicCreate,
    ) -> ApiResult<Topic> {
        self.create_topic_with_id(store, community, &secrets::new_id(), input)
    }

    /// Opens a topic with an id of the caller's (the demo's stable ids).
    pub fn create_topic_with_id(
        &self,
        store: &Store,
        community: &Community,
        id: &str,
        input: TopicCreate,
    ) -> ApiResult<Topic> {
        let record = ThreadRecord {
            kind: ThreadKind::Topic,
            id: id.to_string(),
            title: check_text("title", &input.title, limits::TOPIC_TITLE)?,
            intro: crate::initiatives::optional_paragraphs(
                "intro",
                &input.intro,
                limits::TOPIC_INTRO,
            )?,
            open: true,
            closes_at: input.closes_at.filter(|at| *at != 0),
            created_at: secrets::now_secs(),
        };
        store.thread_put(&community.slug, ThreadKind::Topic, &record.id, &record)?;
        Ok(topic_of(&record, 0))
    }

    /// The community's topics, newest first.
    pub fn topics(&self, store: &Store, community: &Community) -> ApiResult<Vec<Topic>> {
        let mut topics = store
            .topics_of_community(&community.slug)?
            .iter()
            .map(|r| {
                Ok(topic_of(
                    r,
                    count(store, community, ThreadKind::Topic, &r.id)?,
                ))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        topics.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(topics)
    }
}

fn action_name(action: ReactionAction) -> &'static str {
    match action {
        ReactionAction::Approve => "approve",
        ReactionAction::Hide => "hide",
        ReactionAction::Restore => "restore",
        ReactionAction::Remove => "remove",
        ReactionAction::EraseName => "erase_name",
    }
}

fn topic_of(record: &ThreadRecord, reaction_count: u64) -> Topic {
    Topic {
        id: record.id.clone(),
        title: record.title.clone(),
        intro: record.intro.clone(),
        open: is_open(Some(record), secrets::now_secs()),
        closes_at: record.closes_at,
        created_at: record.created_at,
        reaction_count,
    }
}

/// The locked, loaded state of one thread.
struct Locked<'a> {
    guard: MutexGuard<'a, Option<Loaded>>,
    cache: &'a ThreadCache,
}

impl Locked<'_> {
    fn loaded(&self) -> &Loaded {
        self.guard.as_ref().expect("opened threads are loaded")
    }

    fn loaded_mut(&mut self) -> &mut Loaded {
        self.guard.as_mut().expect("opened threads are loaded")
    }

    fn changed(&mut self, discussions: &Discussions) {
        let version = discussions.bump();
        self.loaded_mut().version = version;
        self.cache.changed.send_replace(version);
    }

    /// Adds an entry without telling readers (it is not on disk yet).
    fn insert_quietly(&mut self, entry: Entry) {
        let loaded = self.loaded_mut();
        let at = loaded
            .entries
            .partition_point(|e| e.stored.id < entry.stored.id);
        loaded.entries.insert(at, entry);
    }

    fn replace(&mut self, discussions: &Discussions, index: usize, entry: Entry) {
        self.loaded_mut().entries[index] = entry;
        self.changed(discussions);
    }
}

/// Keeps the thread's count of published reactions (a counted set of ids).
fn publish_count(
    store: &Store,
    slug: &str,
    stored: &StoredReaction,
    published: bool,
) -> ApiResult<()> {
    Ok(store.reaction_published(slug, stored, published)?)
}

/// Published reactions of a thread (for cards and the open-data CSV).
pub fn count(store: &Store, community: &Community, kind: ThreadKind, id: &str) -> ApiResult<u64> {
    Ok(store.thread_published_count(&community.slug, kind, id)?)
}

fn hold_reason_of_text(community: &Community, text: &str) -> &'static str {
    let settings = &community.reactions;
    if settings.hold_links && has_link(text) {
        "link"
    } else if held_word(text, &settings.hold_words).is_some() {
        "word"
    } else {
        ""
    }
}

/// Why a resident's new reaction waits for a moderator ("" when it need not).
fn hold_reason(
    store: &Store,
    community: &Community,
    voter: &[u8; 16],
    text: &str,
) -> ApiResult<&'static str> {
    let settings = &community.reactions;
    if settings.moderation == ModerationPolicy::Pre {
        return Ok("pre_moderation");
    }
    let held = hold_reason_of_text(community, text);
    if !held.is_empty() {
        return Ok(held);
    }
    if settings.first_reaction_waits
        && !store.reaction_author_known(&community.slug, &secrets::hex(voter))?
    {
        return Ok("first_reaction");
    }
    Ok("")
}

fn own_within_window(
    loaded: &Loaded,
    reaction: &str,
    voter: &[u8; 16],
    now: u64,
) -> ApiResult<usize> {
    let index = loaded.index_of(reaction)?;
    let stored = &loaded.entries[index].stored;
    if stored.state == ReactionState::Removed {
        return Err(reaction_not_found(reaction));
    }
    if stored.author.is_empty() || stored.author != secrets::hex(voter) {
        return Err(ApiError::new(
            ErrorCode::NotYourReaction,
            "Only the device that wrote a reaction may change it, and only for 15 minutes.",
        ));
    }
    if now >= stored.created_at + limits::EDIT_WINDOW_SECS {
        return Err(ApiError::new(
            ErrorCode::EditWindowOver,
            "A reaction can be changed for 15 minutes after posting; ask a moderator now.",
        ));
    }
    Ok(index)
}

/// A reaction as its author sees it just after posting.
pub fn own_view(stored: &StoredReaction, now: u64) -> Reaction {
    let entry = Entry {
        stored: stored.clone(),
        agrees: 0,
        reports: 0,
        on_disk: true,
    };
    public_reaction(&entry, false, true, now)
}

fn public_reaction(entry: &Entry, agreed: bool, own: bool, now: u64) -> Reaction {
    let s = &entry.stored;
    let until = s.created_at + limits::EDIT_WINDOW_SECS;
    Reaction {
        id: s.id.clone(),
        text: s.text.clone(),
        name: s.name.clone(),
        stance: s.stance,
        reply_to: s.reply_to.clone(),
        badge: s.badge,
        created_at: s.created_at,
        edited: s.edited_at.is_some(),
        state: s.state,
        agree_count: entry.agrees,
        agreed,
        editable_until: (own && now < until && s.state != ReactionState::Removed).then_some(until),
        replies: Vec::new(),
    }
}

fn thread_public(
    kind: ThreadKind,
    id: &str,
    target: &Target,
    reaction_count: u64,
    now: u64,
) -> Thread {
    Thread {
        kind,
        id: id.to_string(),
        title: target.title.clone(),
        intro: target
            .record
            .as_ref()
            .map(|r| r.intro.clone())
            .unwrap_or_default(),
        open: is_open(target.record.as_ref(), now),
        closes_at: target.record.as_ref().and_then(|r| r.closes_at),
        reaction_count,
        stances: target.stances,
    }
}

fn admin_view(
    store: &Store,
    community: &Community,
    entry: &Entry,
    (kind, thread, title): (ThreadKind, &str, &str),
) -> ApiResult<ReactionAdmin> {
    let report_reasons = store
        .reaction_report_reasons(&community.slug, &entry.stored.id)?
        .into_iter()
        .filter(|r| !r.is_empty())
        .collect();
    Ok(ReactionAdmin {
        reaction: public_reaction(entry, false, false, 0),
        thread_kind: kind,
        thread_id: thread.to_string(),
        thread_title: title.to_string(),
        held_for: entry.stored.held_for.clone(),
        report_count: entry.reports,
        report_reasons,
        reports_open: entry.reports > entry.stored.reports_seen,
    })
}

/// Queues a webhook event about a reaction.
fn announce(
    store: &Store,
    community: &Community,
    event: WebhookEvent,
    title: &str,
    stored: &StoredReaction,
    details: serde_json::Value,
) -> ApiResult<()> {
    webhooks::announce_about(
        store,
        community,
        event,
        (
            "reaction",
            serde_json::json!({
                "id": stored.id,
                "thread": { "kind": stored.kind, "id": stored.thread, "title": title },
                "text": stored.text,
                "name": stored.name,
                "stance": stored.stance,
                "reply_to": stored.reply_to,
                "badge": stored.badge,
                "state": stored.state,
                "created_at": stored.created_at,
            }),
        ),
        details,
    )
}

/// The ETag of a thread page for one reader (their own reactions and agrees
/// are in it) and one query, from this process (`boot`: versions of two
/// nodes may be equal numbers for different contents).
pub fn etag(
    boot: u64,
    (version, open): (u64, bool),
    voter: Option<&[u8; 16]>,
    query: &ThreadQuery,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(boot.to_be_bytes());
    hasher.update([u8::from(open)]);
    hasher.update(voter.map_or(&[0u8; 16][..], |v| &v[..]));
    hasher.update(query.sort.as_str());
    hasher.update(query.stance.map_or("", Stance::as_str));
    hasher.update(query.page.to_be_bytes());
    format!("\"t{version:x}-{}\"", secrets::hex(&hasher.finalize()[..6]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_words_are_found_as_residents_write_them() {
        assert!(has_link("kijk op https://example.org"));
        assert!(has_link("WWW.Baarlo.nl heeft meer"));
        assert!(!has_link("geen link, wel een punt."));
        let words = vec!["kermis".to_string(), "slecht plan".to_string()];
        assert_eq!(held_word("De KERMIS moet terug!", &words), Some("kermis"));
        // Whole words only: "kermisterrein" is not "kermis".
        assert_eq!(held_word("Het kermisterrein", &words), None);
        assert_eq!(
            held_word("Wat een slecht plan is dit", &words),
            Some("slecht plan")
        );
    }

    #[test]
    fn the_same_text_twice_is_the_same_whatever_its_spacing() {
        assert_eq!(fingerprint("Goed  idee\n!"), fingerprint("goed idee !"));
        assert_ne!(fingerprint("Goed idee"), fingerprint("Slecht idee"));
    }

    #[test]
    fn reaction_ids_sort_in_creation_order() {
        let a = new_reaction_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_reaction_id();
        assert!(a < b);
        assert!(secrets::is_plausible_id(&a));
    }

    fn loaded_with(author: &[u8; 16], created_at: u64) -> Loaded {
        Loaded {
            entries: vec![Entry {
                stored: StoredReaction {
                    id: "r1".into(),
                    kind: ThreadKind::Topic,
                    thread: "t".into(),
                    text: "Hallo".into(),
                    name: String::new(),
                    stance: None,
                    reply_to: None,
                    badge: None,
                    created_at,
                    edited_at: None,
                    state: ReactionState::Published,
                    author: secrets::hex(author),
                    held_for: String::new(),
                    reports_seen: 0,
                },
                agrees: 0,
                reports: 0,
                on_disk: true,
            }],
            version: 1,
        }
    }

    #[test]
    fn the_author_may_change_a_reaction_for_fifteen_minutes_and_not_a_second_longer() {
        let author = [7u8; 16];
        let loaded = loaded_with(&author, 1_000);
        assert_eq!(own_within_window(&loaded, "r1", &author, 1_000).unwrap(), 0);
        assert_eq!(
            own_within_window(&loaded, "r1", &author, 1_000 + 15 * 60 - 1).unwrap(),
            0
        );
        let over = own_within_window(&loaded, "r1", &author, 1_000 + 15 * 60).unwrap_err();
        assert_eq!(over.code, ErrorCode::EditWindowOver);
        let other = own_within_window(&loaded, "r1", &[8u8; 16], 1_000).unwrap_err();
        assert_eq!(other.code, ErrorCode::NotYourReaction);
        let unknown = own_within_window(&loaded, "r2", &author, 1_000).unwrap_err();
        assert_eq!(unknown.code, ErrorCode::ReactionNotFound);
        // What the author is told: editable until the window closes, then not.
        let entry = &loaded.entries[0];
        assert_eq!(
            public_reaction(entry, false, true, 1_100).editable_until,
            Some(1_900)
        );
        assert_eq!(
            public_reaction(entry, false, true, 1_900).editable_until,
            None
        );
        assert_eq!(
            public_reaction(entry, false, false, 1_100).editable_until,
            None
        );
    }

    #[test]
    fn etags_differ_per_reader_and_query() {
        let q = ThreadQuery::default();
        let other = ThreadQuery {
            page: 1,
            ..Default::default()
        };
        let v1 = (1, true);
        assert_ne!(etag(7, v1, None, &q), etag(7, (2, true), None, &q));
        assert_ne!(etag(7, v1, None, &q), etag(7, (1, false), None, &q));
        assert_ne!(etag(7, v1, None, &q), etag(7, v1, Some(&[1; 16]), &q));
        assert_ne!(etag(7, v1, None, &q), etag(7, v1, None, &other));
        assert_eq!(
            etag(7, v1, None, &q),
            etag(7, v1, None, &ThreadQuery::default())
        );
        // Another node's equal version is another content.
        assert_ne!(etag(7, v1, None, &q), etag(8, v1, None, &q));
    }
}
