//! Polls: a question with 2–10 options, one final vote per voter key (or per
//! printed vote code), results shown by the poll's visibility rule.
//!
//! Votes live in the counted set `Votes`, one group per poll *round*; a reset
//! starts a new round, so it is O(1) and the old votes simply stop counting.
//! The totals per option are derived from the stored votes: kept in memory
//! ([`Tallies`]), built by one scan of the round's votes on first use and
//! updated under the same per-poll lock that adds a vote, so they always equal
//! the stored votes, also after a crash and a restart.
//!
//! The wire types (request bodies and views) are in `mekaar_api::polls`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub use mekaar_api::polls::{
    limits, Audience, JoinTarget, Phase, Poll, PollAction, PollActionRequest, PollAdminList,
    PollAdminView, PollCreate, PollEdit, PollPublic, PollResults, PollState, PollView,
    ResultsVisibility, VoteReceipt, VoteRequest,
};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::communities::{check_text, Community};
use mekaar_api::ErrorCode;

use crate::errors::{ApiError, ApiResult};
use crate::secrets;
use crate::store::{CountedAdd, Store};
use crate::supports::voter;

/// Characters of join and vote codes: upper case, no look-alikes (0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const JOIN_CODE_LEN: usize = 5;
const VOTE_CODE_LEN: usize = 10;
/// How long after a poll closed its network counters are kept (a reopen
/// soon after a close keeps its caps). Call [`forget_networks_of_closed_polls`]
/// at least every 23 hours to delete them within 24 hours of the close.
pub const NETWORK_RETENTION_SECS: u64 = 3600;

// ------------------------------------------------------------------ tallies

/// Totals of one round of one poll, derived from its stored votes.
#[derive(Debug, Clone)]
struct Tally {
    round: u32,
    totals: Vec<u64>,
    ballots: u64,
}

impl Tally {
    fn results(&self) -> PollResults {
        PollResults {
            totals: self.totals.clone(),
            total_votes: self.ballots,
        }
    }

    fn add(&mut self, choices: &[u8]) {
        self.add_many(choices, 1);
    }

    /// `votes` ballots that each chose `choices`.
    fn add_many(&mut self, choices: &[u8], votes: u64) {
        self.ballots += votes;
        for &c in choices {
            if let Some(total) = self.totals.get_mut(c as usize) {
                *total += votes;
            }
        }
    }
}

/// One poll in use: its totals, and the gate that orders votes and changes.
#[derive(Default)]
struct PollSlot {
    /// Votes hold it shared, changes of the poll (edit, open, close,
    /// reveal, reset) exclusively: on this node a vote and a change never
    /// interleave. (On PostgreSQL votes run at once: the database keeps
    /// them apart; on sled the totals' lock orders them anyway.)
    gate: std::sync::RwLock<()>,
    totals: Mutex<Option<Tally>>,
}

type Slot = Arc<PollSlot>;

/// The in-memory totals of every poll in use, one lock per poll. The lock
/// serialises everything that changes a poll or its votes, so a vote, an
/// edit and a reset never interleave. Lost on restart, on purpose: they are
/// rebuilt from the votes.
#[derive(Default)]
pub struct Tallies {
    /// By community slug and poll id.
    slots: Mutex<HashMap<(String, String), Slot>>,
    /// Signs viewer tickets (loaded from the store on first use).
    viewer_secret: std::sync::OnceLock<[u8; 32]>,
    /// PostgreSQL: the poll rounds' network secrets read lately (a query
    /// per vote saved); emptied with every forgetting of all totals, at
    /// least every `RESYNC_EVERY`, so a deleted secret is soon gone here too.
    round_secrets: Mutex<HashMap<(String, String, u32), [u8; 32]>>,
}

impl Tallies {
    pub fn new() -> Tallies {
        Tallies::default()
    }

    /// The lock of an existing poll (only stored polls get one, so asking
    /// for made-up ids cannot grow the map).
    fn slot(&self, store: &Store, community: &str, id: &str) -> ApiResult<Slot> {
        let key = (community.to_string(), id.to_string());
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get(&key) {
            return Ok(slot.clone());
        }
        get_in(store, community, id)?;
        Ok(slots.entry(key).or_default().clone())
    }

    /// Forgets the poll's totals (another node changed its votes or the
    /// poll): the next use counts them again from the stored votes.
    pub fn forget(&self, community: &str, id: &str) {
        let key = (community.to_string(), id.to_string());
        let slot = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .cloned();
        if let Some(slot) = slot {
            *lock(&slot) = None;
        }
    }

    /// The network secret of the poll's current round.
    fn round_secret(&self, store: &Store, poll: &Poll) -> ApiResult<[u8; 32]> {
        if !store.is_postgres() {
            return Ok(store.poll_round_secret(&poll.community, &poll.id, poll.round)?);
        }
        let key = (poll.community.clone(), poll.id.clone(), poll.round);
        let mut cached = self.round_secrets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(secret) = cached.get(&key) {
            return Ok(*secret);
        }
        let secret = store.poll_round_secret(&poll.community, &poll.id, poll.round)?;
        cached.insert(key, secret);
        Ok(secret)
    }

    /// Forgets every poll's totals (changes of other nodes may have been missed).
    pub fn forget_all(&self) {
        self.round_secrets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let slots: Vec<Slot> = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        for slot in slots {
            *lock(&slot) = None;
        }
    }

    /// How many polls have a lock (and maybe totals) in memory.
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn viewer_secret(&self, store: &Store) -> ApiResult<[u8; 32]> {
        if let Some(secret) = self.viewer_secret.get() {
            return Ok(*secret);
        }
        let secret = secrets::persistent_secret(store, "viewer-tickets")?;
        Ok(*self.viewer_secret.get_or_init(|| secret))
    }
}

/// The ticket of those who voted in the poll's current round: it shows the
/// live stream the totals meant for voters. One per round, not per voter,
/// so the address of a stream never identifies a resident; sharing it
/// shows no more than a screenshot would. A reset makes it worthless.
pub fn viewer_ticket(store: &Store, tallies: &Tallies, poll: &Poll) -> ApiResult<String> {
    viewer_ticket_of_round(store, tallies, &poll.community, &poll.id, poll.round)
}

fn viewer_ticket_of_round(
    store: &Store,
    tallies: &Tallies,
    community: &str,
    id: &str,
    round: u32,
) -> ApiResult<String> {
    use hmac::{Hmac, Mac};
    let secret = tallies.viewer_secret(store)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes keys of any length");
    for part in [community, id, &round.to_string()] {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    Ok(secrets::hex(&mac.finalize().into_bytes()[..16]))
}

/// Whether `ticket` is the viewer ticket of the poll's round `round`.
pub fn is_viewer_ticket(
    store: &Store,
    tallies: &Tallies,
    (community, id, round): (&str, &str, u32),
    ticket: Option<&str>,
) -> ApiResult<bool> {
    use subtle::ConstantTimeEq;
    let Some(ticket) = ticket else {
        return Ok(false);
    };
    let expected = viewer_ticket_of_round(store, tallies, community, id, round)?;
    Ok(expected.as_bytes().ct_eq(ticket.as_bytes()).into())
}

fn lock(slot: &Slot) -> MutexGuard<'_, Option<Tally>> {
    slot.totals.lock().unwrap_or_else(|e| e.into_inner())
}

fn gate_shared(slot: &Slot) -> std::sync::RwLockReadGuard<'_, ()> {
    slot.gate.read().unwrap_or_else(|e| e.into_inner())
}

fn gate_exclusive(slot: &Slot) -> std::sync::RwLockWriteGuard<'_, ()> {
    slot.gate.write().unwrap_or_else(|e| e.into_inner())
}

/// The tally of the poll's current round, loaded from the votes if needed.
fn tally<'a>(store: &Store, slot: &'a mut Option<Tally>, poll: &Poll) -> ApiResult<&'a mut Tally> {
    if slot.as_ref().is_none_or(|t| t.round != poll.round) {
        let mut loaded = Tally {
            round: poll.round,
            totals: vec![0; poll.options.len()],
            ballots: 0,
        };
        for (choices, votes) in store.votes_by_choices(&poll.community, &poll.id, poll.round)? {
            loaded.add_many(&choices, votes);
        }
        *slot = Some(loaded);
    }
    let tally = slot.get_or_insert_with(|| Tally {
        round: poll.round,
        totals: Vec::new(),
        ballots: 0,
    });
    // Options change only while a round has no votes.
    tally.totals.resize(poll.options.len(), 0);
    Ok(tally)
}

// ---------------------------------------------------------------- networks

/// The keyed hash of a voter's network in the poll's current round, as its
/// counter is stored: with the round's own stored secret (see
/// `store::polls`), so a restart or a new day does not reset the cap, and
/// once the secret is deleted with the round's counters nothing tells which
/// network a counter was about.
fn network_hash(
    store: &Store,
    tallies: &Tallies,
    poll: &Poll,
    network: &[u8; 16],
) -> ApiResult<[u8; 16]> {
    use hmac::{Hmac, Mac};
    let secret = tallies.round_secret(store, poll)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).expect("HMAC takes keys of any length");
    mac.update(network);
    let mut out = [0u8; 16];
    out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
    Ok(out)
}

// ------------------------------------------------------------------ errors

pub fn poll_not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::PollNotFound,
        format!("There is no poll `{id}` in this community."),
    )
}

/// What a vote with a code that was never handed out hears (also a code of
/// the wrong shape): a guess, as far as the server can tell.
const UNKNOWN_VOTE_CODE: &str = "This vote code is not valid for this poll.";

/// Whether `error` refused a vote code that does not exist (a guess, or a
/// typo), rather than one that was used: only those count as failed guesses,
/// and only those need no flush (nothing stored stands behind them).
pub fn is_unknown_vote_code(error: &ApiError) -> bool {
    error.code == ErrorCode::InvalidVoteCode && error.message == UNKNOWN_VOTE_CODE
}

fn invalid_vote_code(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidVoteCode, message)
}

// -------------------------------------------------------------------- rules

pub fn phase(poll: &Poll, now: u64) -> Phase {
    match poll.state {
        PollState::Draft => Phase::Draft,
        PollState::Closed => Phase::Closed,
        PollState::Open if poll.closes_at.is_some_and(|c| now >= c) => Phase::Closed,
        PollState::Open if poll.opens_at.is_some_and(|o| now < o) => Phase::Scheduled,
        PollState::Open => Phase::Open,
    }
}

/// Whether someone (who has or has not voted) may see the totals now.
pub fn results_visible(poll: &Poll, has_voted: bool, now: u64) -> bool {
    if poll.revealed {
        return true;
    }
    let closed = phase(poll, now) == Phase::Closed;
    match poll.results {
        ResultsVisibility::Always => true,
        ResultsVisibility::AfterVote => has_voted || closed,
        ResultsVisibility::AfterClose => closed,
        ResultsVisibility::WhenRevealed => false,
    }
}

pub fn public(poll: &Poll, now: u64) -> PollPublic {
    PollPublic {
        id: poll.id.clone(),
        question: poll.question.clone(),
        options: poll.options.clone(),
        max_choices: poll.max_choices,
        opens_at: poll.opens_at,
        closes_at: poll.closes_at,
        phase: phase(poll, now),
        results: poll.results,
        revealed: poll.revealed,
        round: poll.round,
        needs_code: poll.audience == Audience::Codes,
        join_code: poll.join_code.clone(),
    }
}

fn check_question(question: &str) -> ApiResult<String> {
    check_text("question", question, limits::QUESTION)
}

fn check_options(options: &[String]) -> ApiResult<Vec<String>> {
    if !(limits::OPTIONS_MIN..=limits::OPTIONS_MAX).contains(&options.len()) {
        return Err(ApiError::invalid_field(
            "options",
            format!(
                "give {} to {} options, not {}",
                limits::OPTIONS_MIN,
                limits::OPTIONS_MAX,
                options.len()
            ),
        ));
    }
    let options = options
        .iter()
        .map(|o| check_text("options", o, limits::OPTION))
        .collect::<ApiResult<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    for option in &options {
        if !seen.insert(option.to_lowercase()) {
            return Err(ApiError::invalid_field(
                "options",
                format!("`{option}` appears twice"),
            ));
        }
    }
    Ok(options)
}

/// Checks the fields that depend on each other.
fn check_poll(poll: &Poll) -> ApiResult<()> {
    if poll.max_choices == 0 || poll.max_choices as usize > poll.options.len() {
        return Err(ApiError::invalid_field(
            "max_choices",
            format!(
                "must be 1 to {} (the number of options)",
                poll.options.len()
            ),
        ));
    }
    if let (Some(opens), Some(closes)) = (poll.opens_at, poll.closes_at) {
        if opens >= closes {
            return Err(ApiError::invalid_field(
                "closes_at",
                "must be later than opens_at",
            ));
        }
    }
    if let Audience::Open {
        max_keys_per_network,
    } = poll.audience
    {
        if !(1..=limits::NETWORK_CAP_MAX).contains(&max_keys_per_network) {
            return Err(ApiError::invalid_field(
                "audience.max_keys_per_network",
                format!("must be 1 to {}", limits::NETWORK_CAP_MAX),
            ));
        }
    }
    Ok(())
}

fn random_code(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// Upper case, without spaces and dashes; `None` unless every character is
/// from the code alphabet and the length is `len`.
fn normalize_code(code: &str, len: usize) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == len && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A poll as the audit log keeps it, before or after an action.
fn poll_snapshot(poll: &Poll) -> Option<serde_json::Value> {
    serde_json::to_value(poll).ok()
}

/// Any poll of the community, drafts too (for admins).
pub fn get(store: &Store, community: &Community, id: &str) -> ApiResult<Poll> {
    get_in(store, &community.slug, id)
}

fn get_in(store: &Store, community: &str, id: &str) -> ApiResult<Poll> {
    if !secrets::is_plausible_id(id) {
        return Err(poll_not_found(id));
    }
    store
        .poll_get(community, id)?
        .ok_or_else(|| poll_not_found(id))
}

/// A poll the public may find by its join code: anything but a draft
/// (join codes are short enough to guess; drafts answer 404).
pub fn get_public(store: &Store, community: &Community, id: &str) -> ApiResult<Poll> {
    let poll = get(store, community, id)?;
    if poll.state == PollState::Draft {
        return Err(poll_not_found(id));
    }
    Ok(poll)
}

/// The community's polls, drafts too (for admins), in id order.
pub fn all(store: &Store, community: &Community) -> ApiResult<Vec<Poll>> {
    Ok(store.polls_of_community(&community.slug)?)
}

/// Which community a poll id belongs to (ids are unique on this server).
pub fn find_by_id(store: &Store, id: &str) -> ApiResult<JoinTarget> {
    if !secrets::is_plausible_id(id) {
        return Err(poll_not_found(id));
    }
    store.poll_by_id(id)?.ok_or_else(|| poll_not_found(id))
}

/// Which poll a join code (any case, dashes and spaces ignored) leads to.
pub fn find_by_join_code(store: &Store, code: &str) -> ApiResult<JoinTarget> {
    let not_found = || poll_not_found(code);
    let code = normalize_code(code, JOIN_CODE_LEN).ok_or_else(not_found)?;
    store.poll_by_join_code(&code)?.ok_or_else(not_found)
}

/// The poll a join code leads to, with its community, when the public may
/// see it. A draft is as unknown as a code that leads nowhere, and neither
/// answer names the poll's id (the 404 names the code that was asked for).
pub fn public_by_join_code(store: &Store, code: &str) -> ApiResult<(Community, Poll)> {
    let target = find_by_join_code(store, code)?;
    let hidden = |err: ApiError| {
        if err.is_not_found() {
            poll_not_found(code)
        } else {
            err
        }
    };
    let community = crate::communities::get(store, &target.community).map_err(hidden)?;
    let poll = get_public(store, &community, &target.poll).map_err(hidden)?;
    Ok((community, poll))
}

/// Creates a draft poll with a fresh join code.
pub fn create(
    store: &Store,
    community: &Community,
    input: PollCreate,
    actor: &str,
) -> ApiResult<Poll> {
    let poll = create_with_id(store, community, &secrets::new_id(), input, actor)?;
    Ok(poll)
}

/// [`create`] with a chosen id (the demo's polls have readable ones),
/// without waiting for the disk.
pub fn create_with_id(
    store: &Store,
    community: &Community,
    id: &str,
    input: PollCreate,
    actor: &str,
) -> ApiResult<Poll> {
    if !secrets::is_plausible_id(id) || store.poll_id_taken(id)? {
        return Err(ApiError::invalid_field("id", "is not a free poll id"));
    }
    let now = secrets::now_secs();
    let mut poll = Poll {
        id: id.to_string(),
        community: community.slug.clone(),
        question: check_question(&input.question)?,
        options: check_options(&input.options)?,
        max_choices: input.max_choices,
        opens_at: input.opens_at,
        closes_at: input.closes_at,
        state: PollState::Draft,
        results: input.results,
        revealed: false,
        round: 1,
        audience: input.audience,
        join_code: String::new(),
        vote_codes: 0,
        created_at: now,
        updated_at: now,
        closed_at: None,
    };
    check_poll(&poll)?;
    let target = JoinTarget {
        community: community.slug.clone(),
        poll: poll.id.clone(),
    };
    // 31^5 ≈ 28 million codes: a collision is rare, a few tries are plenty.
    for _ in 0..20 {
        let code = random_code(JOIN_CODE_LEN);
        if store.poll_join_code_reserve(&code, &target)? {
            poll.join_code = code;
            break;
        }
    }
    if poll.join_code.is_empty() {
        return Err(ApiError::internal("no free join code after 20 tries"));
    }
    store.poll_insert(&poll)?;
    crate::moderation::append_audit(
        store,
        community,
        (actor, "poll_created", None),
        format!("poll {}", poll.id),
        (None, poll_snapshot(&poll)),
    )?;
    Ok(poll)
}

/// Runs `change` on the poll under its lock and stores the result (when
/// `change` returns a note, which goes into the audit log as `action`).
fn change_locked(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    actor: &str,
    action: &str,
    change: impl FnOnce(&mut Poll, &mut Tally) -> ApiResult<Option<String>>,
) -> ApiResult<Poll> {
    let slot = tallies.slot(store, &community.slug, id)?;
    let _gate = gate_exclusive(&slot);
    let mut guard = lock(&slot);
    if store.is_postgres() {
        // Another node may have taken votes this node has not heard of
        // yet: what may change depends on the stored count, not on memory.
        *guard = None;
    }
    let before = get(store, community, id)?;
    let mut poll = before.clone();
    let tally = tally(store, &mut guard, &before)?;
    let Some(note) = change(&mut poll, tally)? else {
        return Ok(poll);
    };
    let ballots = tally.ballots;
    poll.updated_at = secrets::now_secs();
    if !store.poll_replace(&before, &poll)? {
        // Changed on another node since it was read here (on this node the
        // gate orders changes): nothing is stored, the editor looks again.
        return Err(ApiError::new(
            ErrorCode::RoundChanged,
            "This poll was changed elsewhere at the same moment. Look again, then try once more.",
        ));
    }
    if poll.round != before.round {
        *guard = Some(Tally {
            round: poll.round,
            totals: vec![0; poll.options.len()],
            ballots: 0,
        });
    }
    drop(guard);
    let mut after = poll_snapshot(&poll);
    if poll.round != before.round {
        // What a reset set aside, as data the console can word in its own language.
        if let Some(map) = after.as_mut().and_then(|v| v.as_object_mut()) {
            map.insert("votes_set_aside".into(), ballots.into());
        }
    }
    crate::moderation::append_audit(
        store,
        community,
        (actor, action, None),
        format!("poll {id}: {note}"),
        (poll_snapshot(&before), after),
    )?;
    Ok(poll)
}

/// Edits a poll. The question, the options, the number of choices and the
/// kind of audience change only while the current round has no votes (reset
/// first); times, visibility and the network cap change any time.
pub fn edit(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    edit: PollEdit,
    actor: &str,
) -> ApiResult<Poll> {
    let question = edit.question.as_deref().map(check_question).transpose()?;
    let options = edit.options.as_deref().map(check_options).transpose()?;
    let poll = change_locked(
        store,
        tallies,
        community,
        id,
        actor,
        "poll_edited",
        |poll, tally| {
            let before = poll.clone();
            if let Some(q) = question {
                poll.question = q;
            }
            if let Some(o) = options {
                poll.options = o;
            }
            if let Some(m) = edit.max_choices {
                poll.max_choices = m;
            }
            if let Some(t) = edit.opens_at {
                poll.opens_at = t;
            }
            if let Some(t) = edit.closes_at {
                poll.closes_at = t;
            }
            if let Some(r) = edit.results {
                poll.results = r;
            }
            if let Some(a) = edit.audience {
                poll.audience = a;
            }
            let kind_changed =
                std::mem::discriminant(&poll.audience) != std::mem::discriminant(&before.audience);
            let ballot_changed = poll.question != before.question
                || poll.options != before.options
                || poll.max_choices != before.max_choices
                || kind_changed;
            if ballot_changed && tally.ballots > 0 {
                return Err(ApiError::new(
                    ErrorCode::PollHasVotes,
                    format!(
                        "This round already has {} vote(s); reset the poll before changing its question, options, number of choices or audience.",
                        tally.ballots
                    ),
                ));
            }
            check_poll(poll)?;
            Ok((*poll != before).then(|| "edited".to_string()))
        },
    )?;
    Ok(poll)
}

/// Opens a draft or reopens a closed poll (opening an open one changes nothing).
pub fn open(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    actor: &str,
    now: u64,
) -> ApiResult<Poll> {
    let poll = change_locked(
        store,
        tallies,
        community,
        id,
        actor,
        "poll_opened",
        |poll, _| {
            if poll.state == PollState::Open {
                return Ok(None);
            }
            if poll.closes_at.is_some_and(|c| c <= now) {
                return Err(ApiError::invalid_field(
                    "closes_at",
                    "has passed; move it or clear it before opening the poll",
                ));
            }
            let note = if poll.state == PollState::Closed {
                "reopened"
            } else {
                "opened"
            };
            poll.state = PollState::Open;
            poll.closed_at = None;
            Ok(Some(note.to_string()))
        },
    )?;
    Ok(poll)
}

/// Closes an open poll (closing a closed one changes nothing).
pub fn close(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    actor: &str,
    now: u64,
) -> ApiResult<Poll> {
    let poll = change_locked(
        store,
        tallies,
        community,
        id,
        actor,
        "poll_closed",
        |poll, _| match poll.state {
            PollState::Closed => Ok(None),
            PollState::Draft => Err(ApiError::new(
                ErrorCode::InvalidPollState,
                "This poll is a draft: open it before closing it.",
            )),
            PollState::Open => {
                poll.state = PollState::Closed;
                poll.closed_at = Some(now);
                Ok(Some("closed".to_string()))
            }
        },
    )?;
    Ok(poll)
}

/// Shows (or hides again) the results to everyone, whatever the visibility rule.
pub fn set_revealed(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    revealed: bool,
    actor: &str,
) -> ApiResult<Poll> {
    let action = if revealed {
        "poll_revealed"
    } else {
        "poll_unrevealed"
    };
    let poll = change_locked(store, tallies, community, id, actor, action, |poll, _| {
        if poll.state == PollState::Draft {
            return Err(ApiError::new(
                ErrorCode::InvalidPollState,
                "This poll is a draft: there are no results to reveal.",
            ));
        }
        if poll.revealed == revealed {
            return Ok(None);
        }
        poll.revealed = revealed;
        Ok(Some(
            if revealed { "revealed" } else { "hidden" }.to_string(),
        ))
    })?;
    Ok(poll)
}

/// Clears the votes by starting a new round (the old votes stay stored but
/// no longer count) and hides revealed results. `expected_round` is the
/// confirmation: the round the editor saw, so a double click resets once.
pub fn reset(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    expected_round: u32,
    actor: &str,
) -> ApiResult<Poll> {
    let poll = change_locked(
        store,
        tallies,
        community,
        id,
        actor,
        "poll_reset",
        |poll, tally| {
            if poll.round != expected_round {
                return Err(ApiError::new(
                    ErrorCode::RoundChanged,
                    format!(
                        "This poll is in round {}, not {expected_round}: it was reset already. Look again before resetting.",
                        poll.round
                    ),
                ));
            }
            poll.round += 1;
            poll.revealed = false;
            Ok(Some(format!(
                "reset: round {} with {} vote(s) set aside, now round {}",
                expected_round, tally.ballots, poll.round
            )))
        },
    )?;
    // The old round's network counters are of no use any more.
    store.poll_round_networks_forget(&community.slug, id, expected_round)?;
    store.forget_old_record_keys()?;
    Ok(poll)
}

/// Who is voting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ballot<'a> {
    /// The `Mekaar-Voter` key (audience `open`).
    pub voter_key: Option<&'a str>,
    /// A printed vote code (audience `codes`).
    pub code: Option<&'a str>,
    /// The voter's network (`Abuse::network_of`): only hashed, with the
    /// round's stored secret, never stored itself.
    pub network: Option<[u8; 16]>,
}

/// What a vote code is stored as: a hash, tied to its poll.
fn code_hash(community: &str, id: &str, normalized: &str) -> [u8; 16] {
    let mut hasher = Sha256::new();
    for part in ["mekaar-vote-code", community, id, normalized] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&hasher.finalize()[..16]);
    out
}

fn check_choices(poll: &Poll, choices: &[u8]) -> ApiResult<Vec<u8>> {
    if choices.is_empty() {
        return Err(ApiError::invalid_field(
            "choices",
            "choose at least one option",
        ));
    }
    if choices.len() > poll.max_choices as usize {
        return Err(ApiError::invalid_field(
            "choices",
            format!("choose at most {} option(s)", poll.max_choices),
        ));
    }
    let mut sorted = choices.to_vec();
    sorted.sort_unstable();
    if let Some(&bad) = sorted.iter().find(|&&c| c as usize >= poll.options.len()) {
        return Err(ApiError::invalid_field(
            "choices",
            format!(
                "there is no option {bad} (options are numbered 0 to {})",
                poll.options.len() - 1
            ),
        ));
    }
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(ApiError::invalid_field(
            "choices",
            "choose each option at most once",
        ));
    }
    Ok(sorted)
}

/// Records a final vote, without waiting for the disk: use [`vote`] for
/// requests. Checks the state and times, the choices, the voter key or vote
/// code, double votes and the network cap, all under the poll's lock.
pub fn record_vote(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    ballot: Ballot<'_>,
    choices: &[u8],
    now: u64,
) -> ApiResult<VoteReceipt> {
    let slot = tallies.slot(store, &community.slug, id)?;
    let _gate = gate_shared(&slot);
    // sled: the totals' lock for the whole vote (all in memory, quick).
    // PostgreSQL: only at the end; the votes of this poll commit at once,
    // and the database keeps one vote per voter and the network cap.
    let mut held = (!store.is_postgres()).then(|| lock(&slot));
    let poll = get(store, community, id)?;
    match phase(&poll, now) {
        Phase::Open => {}
        Phase::Draft => {
            return Err(ApiError::new(
                ErrorCode::PollNotOpen,
                "This poll is not open yet.",
            ))
        }
        Phase::Scheduled => {
            return Err(ApiError::new(
                ErrorCode::PollNotOpen,
                "This poll is not open yet; voting starts at its opening time.",
            ))
        }
        Phase::Closed => {
            return Err(ApiError::new(
                ErrorCode::PollNotOpen,
                "This poll is closed; no more votes are counted.",
            ))
        }
    }
    let choices = check_choices(&poll, choices)?;
    let member: [u8; 16] = match poll.audience {
        Audience::Open { .. } => voter(ballot.voter_key)?,
        Audience::Codes => {
            let code = ballot
                .code
                .ok_or_else(|| invalid_vote_code("This poll needs a vote code."))?;
            let code = normalize_code(code, VOTE_CODE_LEN)
                .ok_or_else(|| invalid_vote_code(UNKNOWN_VOTE_CODE))?;
            let hash = code_hash(&community.slug, id, &code);
            if !store.vote_code_exists(&poll.community, &poll.id, &hash)? {
                return Err(invalid_vote_code(UNKNOWN_VOTE_CODE));
            }
            hash
        }
    };
    if let Some(guard) = held.as_mut() {
        // Loaded before the vote is stored, so that it is added once.
        tally(store, guard, &poll)?;
    }
    let already = || match poll.audience {
        Audience::Open { .. } => ApiError::new(
            ErrorCode::AlreadyVoted,
            "You have already voted in this poll; a vote is final.",
        ),
        Audience::Codes => invalid_vote_code("This vote code has already been used."),
    };
    let at = (poll.community.as_str(), poll.id.as_str(), poll.round);
    let network = match (poll.audience, ballot.network) {
        (
            Audience::Open {
                max_keys_per_network,
            },
            Some(network),
        ) => Some((
            network_hash(store, tallies, &poll, &network)?,
            max_keys_per_network,
        )),
        _ => None,
    };
    let outcome = match &network {
        // The vote and its network's count: both or neither.
        Some((network, cap)) => store.vote_cast_counted(at, &member, &choices, (network, *cap))?,
        None => match store.vote_cast(at.0, at.1, at.2, &member, &choices)? {
            true => CountedAdd::Added,
            false => CountedAdd::Already,
        },
    };
    match outcome {
        CountedAdd::Added => {}
        CountedAdd::Already => return Err(already()),
        CountedAdd::Full(used) => {
            // Someone who voted already hears that, not about the cap.
            if store.has_voted(at.0, at.1, at.2, &member)? {
                return Err(already());
            }
            return Err(ApiError::new(
                ErrorCode::NetworkCap,
                format!(
                    "{used} people on your network have already voted in this poll, the most this poll allows from one network. If many voters share your network (a school, an office), ask the organiser to raise the limit or to hand out vote codes."
                ),
            ));
        }
    }
    let visible = results_visible(&poll, true, now);
    let results = match held {
        Some(mut guard) => {
            let tally = tally(store, &mut guard, &poll)?;
            tally.add(&choices);
            visible.then(|| tally.results())
        }
        None => {
            // Other votes committed meanwhile: the totals are read again.
            let mut guard = lock(&slot);
            *guard = None;
            match visible {
                true => Some(tally(store, &mut guard, &poll)?.results()),
                false => None,
            }
        }
    };
    drop(_gate);
    Ok(VoteReceipt {
        round: poll.round,
        results,
        viewer: viewer_ticket(store, tallies, &poll)?,
    })
}

/// Votes (final). A stored vote is made durable by the dispatcher before
/// its 2xx; a refused second vote waits here (an error answer is not waited
/// for there), so "already voted" is only said of a vote that is stored.
pub async fn vote(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    ballot: Ballot<'_>,
    choices: &[u8],
) -> ApiResult<VoteReceipt> {
    let result = record_vote(
        store,
        tallies,
        community,
        id,
        ballot,
        choices,
        secrets::now_secs(),
    );
    // "Already voted" and "code used" speak of a stored vote: they wait for
    // it to be on disk. An unknown code speaks of nothing stored: no flush,
    // so guessing costs the server no disk work.
    let stored = match &result {
        // The 2xx waits in the dispatcher (and live totals wait in `live`).
        Ok(_) => false,
        Err(e) => {
            e.code == ErrorCode::AlreadyVoted
                || (e.code == ErrorCode::InvalidVoteCode && !is_unknown_vote_code(e))
        }
    };
    if stored {
        // An error answer: the dispatcher does not wait for it.
        store.durable().await?;
    }
    result
}

/// The poll's current totals, whether or not anyone may see them (for
/// admins, and for the live hub, which applies the visibility rule).
pub fn current_results(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
) -> ApiResult<(Poll, PollResults)> {
    current_results_in(store, tallies, &community.slug, id)
}

/// [`current_results`] by the community's slug.
pub fn current_results_in(
    store: &Store,
    tallies: &Tallies,
    community: &str,
    id: &str,
) -> ApiResult<(Poll, PollResults)> {
    let slot = tallies.slot(store, community, id)?;
    let mut guard = lock(&slot);
    let poll = get_in(store, community, id)?;
    let results = tally(store, &mut guard, &poll)?.results();
    Ok((poll, results))
}

/// Whether this resident (voter key, or vote code for a `codes` poll) has
/// voted in the current round.
fn has_voted(store: &Store, poll: &Poll, ballot: Ballot<'_>) -> ApiResult<bool> {
    let member = match poll.audience {
        Audience::Open { .. } => match ballot.voter_key {
            Some(_) => voter(ballot.voter_key)?,
            None => return Ok(false),
        },
        Audience::Codes => match ballot.code.and_then(|c| normalize_code(c, VOTE_CODE_LEN)) {
            Some(code) => code_hash(&poll.community, &poll.id, &code),
            None => return Ok(false),
        },
    };
    Ok(store.has_voted(&poll.community, &poll.id, poll.round, &member)?)
}

/// A poll as one resident sees it: totals only when the rule allows.
pub fn view(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    ballot: Ballot<'_>,
    now: u64,
) -> ApiResult<PollView> {
    let (poll, results) = current_results(store, tallies, community, id)?;
    if poll.state == PollState::Draft {
        // Its id may already be on a host page, pasted before the broadcast:
        // say it is not open yet (the live stream tells when it opens), but
        // show nothing of its content.
        return Err(ApiError::new(
            ErrorCode::PollNotOpen,
            "This poll has not been opened yet.",
        ));
    }
    let voted = has_voted(store, &poll, ballot)?;
    Ok(PollView {
        poll: public(&poll, now),
        voted,
        results: results_visible(&poll, voted, now).then_some(results),
        viewer: voted
            .then(|| viewer_ticket(store, tallies, &poll))
            .transpose()?,
    })
}

/// The totals, or 403 `results_hidden` while the rule hides them from this resident.
pub fn results(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    ballot: Ballot<'_>,
    now: u64,
) -> ApiResult<PollResults> {
    view(store, tallies, community, id, ballot, now)?
        .results
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::ResultsHidden,
                "The results of this poll are not shown yet.",
            )
        })
}

/// Generates `n` single-use vote codes (`ABCD-EFGH-JK`) for a `codes` poll.
/// They are returned in clear this once; only their hashes are stored.
pub fn generate_codes(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    n: usize,
    actor: &str,
) -> ApiResult<Vec<String>> {
    if !(1..=limits::CODES_PER_BATCH).contains(&n) {
        return Err(ApiError::invalid_field(
            "count",
            format!("must be 1 to {}", limits::CODES_PER_BATCH),
        ));
    }
    let mut fresh = Vec::with_capacity(n);
    change_locked(
        store,
        tallies,
        community,
        id,
        actor,
        "vote_codes_generated",
        |poll, _| {
            if poll.audience != Audience::Codes {
                return Err(ApiError::new(
                    ErrorCode::InvalidPollState,
                    "This poll is open to every voter key; set its audience to codes first.",
                ));
            }
            if poll.vote_codes as usize + n > limits::CODES_PER_POLL as usize {
                return Err(ApiError::invalid_field(
                    "count",
                    format!(
                        "a poll has at most {} vote codes; this one has {}",
                        limits::CODES_PER_POLL,
                        poll.vote_codes
                    ),
                ));
            }
            let created = secrets::now_secs();
            while fresh.len() < n {
                let code = random_code(VOTE_CODE_LEN);
                let hash = code_hash(&poll.community, &poll.id, &code);
                if store.vote_code_add(&poll.community, &poll.id, &hash, created)? {
                    fresh.push(format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]));
                }
            }
            poll.vote_codes += n as u32;
            Ok(Some(format!("{n} vote codes generated")))
        },
    )?;
    Ok(fresh)
}

/// A poll as its admins see it: everything, totals too.
pub fn admin_view(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
) -> ApiResult<PollAdminView> {
    let (poll, results) = current_results(store, tallies, community, id)?;
    Ok(PollAdminView {
        phase: phase(&poll, secrets::now_secs()),
        poll,
        results,
    })
}

/// Every poll of the community, newest first.
pub fn admin_list(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
) -> ApiResult<PollAdminList> {
    let mut polls = all(store, community)?
        .iter()
        .map(|poll| admin_view(store, tallies, community, &poll.id))
        .collect::<ApiResult<Vec<_>>>()?;
    polls.sort_by_key(|p| std::cmp::Reverse(p.poll.created_at));
    Ok(PollAdminList { polls })
}

/// An editor's action on a poll (open, close, reveal, hide, reset).
pub fn act(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    id: &str,
    request: PollActionRequest,
    actor: &str,
) -> ApiResult<Poll> {
    let now = secrets::now_secs();
    match request.action {
        PollAction::Open => open(store, tallies, community, id, actor, now),
        PollAction::Close => close(store, tallies, community, id, actor, now),
        PollAction::Reveal => set_revealed(store, tallies, community, id, true, actor),
        PollAction::Hide => set_revealed(store, tallies, community, id, false, actor),
        PollAction::Reset => {
            let round = request.round.ok_or_else(|| {
                ApiError::invalid_field(
                    "round",
                    "a reset must name the round it resets (the current round), as its confirmation",
                )
            })?;
            reset(store, tallies, community, id, round, actor)
        }
    }
}

/// A batch of vote codes as CSV (one column, with a header), written like
/// every CSV of ours (`spreadsheet`), though codes never start with a sign.
pub fn codes_csv(codes: &[String]) -> ApiResult<String> {
    #[derive(serde::Serialize)]
    struct CodeRow<'a> {
        code: &'a str,
    }
    crate::spreadsheet::csv_text(codes.iter().map(|code| CodeRow { code }))
}

/// When a poll stopped taking votes, if it did.
fn closed_since(poll: &Poll, now: u64) -> Option<u64> {
    match poll.state {
        PollState::Closed => Some(poll.closed_at.unwrap_or(poll.updated_at)),
        PollState::Open => poll.closes_at.filter(|&c| c <= now),
        PollState::Draft => None,
    }
}

/// Deletes the network counters of polls closed more than
/// [`NETWORK_RETENTION_SECS`] ago. Call it every hour. Returns how many.
pub fn forget_networks_of_closed_polls(store: &Store, now: u64) -> ApiResult<usize> {
    let mut removed = 0;
    for poll in store.polls_all()? {
        if closed_since(&poll, now).is_some_and(|c| c + NETWORK_RETENTION_SECS <= now) {
            removed += store.poll_networks_forget(&poll.community, &poll.id)?;
        }
    }
    if removed > 0 {
        // The deleted round secrets' keys go too (see `Store::forget_old_record_keys`).
        store.forget_old_record_keys()?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn community() -> Community {
        Community {
            slug: "dorp".into(),
            name: "Dorp".into(),
            languages: vec!["nl".into()],
            areas: vec![],
            themes: vec![],
            support_threshold: 10,
            allowed_origins: vec![],
            admin_token_hashes: vec![],
            tokens: vec![],
            created_at: 0,
            moderation: Default::default(),
            reports_before_hide: 3,
            webhooks: vec![],
            retention_days: None,
            initiatives_page: None,
            reactions: Default::default(),
            mail_from: None,
            steps: vec![],
        }
    }

    fn input(options: &[&str]) -> PollCreate {
        PollCreate {
            question: "Wat vinden we van de rotonde?".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            max_choices: 1,
            opens_at: None,
            closes_at: None,
            results: ResultsVisibility::Always,
            audience: Audience::default(),
        }
    }

    fn voter_key(i: u32) -> String {
        format!("{i:032x}")
    }

    fn by_key(key: &str) -> Ballot<'_> {
        Ballot {
            voter_key: Some(key),
            ..Default::default()
        }
    }

    fn from_net(key: &str, network: [u8; 16]) -> Ballot<'_> {
        Ballot {
            voter_key: Some(key),
            code: None,
            network: Some(network),
        }
    }

    fn with_code(code: &str) -> Ballot<'_> {
        Ballot {
            code: Some(code),
            ..Default::default()
        }
    }

    fn now() -> u64 {
        secrets::now_secs()
    }

    struct World {
        _dir: tempfile::TempDir,
        store: Store,
        tallies: Tallies,
        community: Community,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        World {
            _dir: dir,
            store,
            tallies: Tallies::new(),
            community: community(),
        }
    }

    impl World {
        async fn create(&self, input: PollCreate) -> ApiResult<Poll> {
            create(&self.store, &self.community, input, "admin")
        }

        async fn open_poll(&self, input: PollCreate) -> Poll {
            let poll = self.create(input).await.unwrap();
            self.open(&poll.id).await.unwrap()
        }

        async fn open(&self, id: &str) -> ApiResult<Poll> {
            open(
                &self.store,
                &self.tallies,
                &self.community,
                id,
                "admin",
                now(),
            )
        }

        async fn close(&self, id: &str) -> ApiResult<Poll> {
            close(
                &self.store,
                &self.tallies,
                &self.community,
                id,
                "admin",
                now(),
            )
        }

        fn vote(&self, id: &str, ballot: Ballot<'_>, choices: &[u8]) -> ApiResult<VoteReceipt> {
            self.vote_at(id, ballot, choices, now())
        }

        fn vote_at(
            &self,
            id: &str,
            ballot: Ballot<'_>,
            choices: &[u8],
            at: u64,
        ) -> ApiResult<VoteReceipt> {
            record_vote(
                &self.store,
                &self.tallies,
                &self.community,
                id,
                ballot,
                choices,
                at,
            )
        }

        async fn generate(&self, id: &str, n: usize) -> ApiResult<Vec<String>> {
            generate_codes(&self.store, &self.tallies, &self.community, id, n, "a")
        }

        fn totals(&self, id: &str) -> PollResults {
            current_results(&self.store, &self.tallies, &self.community, id)
                .unwrap()
                .1
        }
    }

    /// Counts the stored votes of the poll's current round one by one.
    fn stored_results(store: &Store, poll: &Poll) -> PollResults {
        let mut totals = vec![0; poll.options.len()];
        let values = store
            .votes_of_round(&poll.community, &poll.id, poll.round)
            .unwrap();
        for value in &values {
            for &c in value.iter() {
                totals[c as usize] += 1;
            }
        }
        PollResults {
            totals,
            total_votes: values.len() as u64,
        }
    }

    fn code_of(result: ApiResult<impl std::fmt::Debug>) -> ErrorCode {
        result.unwrap_err().code
    }

    #[tokio::test]
    async fn create_checks_every_field() {
        let w = world();
        let long = "x".repeat(201);
        let mut bad = input(&["ja", "nee"]);
        bad.question = long;
        assert_eq!(code_of(w.create(bad).await), ErrorCode::InvalidField);
        for options in [
            vec!["ja"],
            vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
            vec!["Ja", "ja "],
            vec!["ja", ""],
        ] {
            let err = w.create(input(&options)).await.unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidField, "{options:?}");
        }
        let too_long = "o".repeat(101);
        assert!(w.create(input(&["ja", &too_long])).await.is_err());
        for max_choices in [0, 3] {
            let mut bad = input(&["ja", "nee"]);
            bad.max_choices = max_choices;
            let err = w.create(bad).await.unwrap_err();
            assert!(err.message.contains("max_choices"), "{err}");
        }
        let mut bad = input(&["ja", "nee"]);
        bad.opens_at = Some(200);
        bad.closes_at = Some(100);
        assert!(w
            .create(bad)
            .await
            .unwrap_err()
            .message
            .contains("closes_at"));
        let mut bad = input(&["ja", "nee"]);
        bad.audience = Audience::Open {
            max_keys_per_network: 0,
        };
        assert!(w.create(bad).await.is_err());

        let poll = w
            .create(input(&[" ja ", "nee", "weet niet"]))
            .await
            .unwrap();
        assert_eq!(poll.state, PollState::Draft);
        assert_eq!(poll.round, 1);
        assert_eq!(poll.options, ["ja", "nee", "weet niet"]);
        assert_eq!(poll.join_code.len(), 5);
        assert!(poll.join_code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let target = find_by_join_code(&w.store, &poll.join_code.to_lowercase()).unwrap();
        assert_eq!(target.poll, poll.id);
        assert_eq!(target.community, "dorp");
        assert_eq!(
            code_of(find_by_join_code(&w.store, "ZZZZZ")),
            ErrorCode::PollNotFound
        );
        assert_eq!(
            code_of(find_by_join_code(&w.store, "../x")),
            ErrorCode::PollNotFound
        );
        // Drafts are not public.
        assert_eq!(
            code_of(get_public(&w.store, &w.community, &poll.id)),
            ErrorCode::PollNotFound
        );
        assert_eq!(all(&w.store, &w.community).unwrap().len(), 1);
    }

    /// A change made from an older copy (another node's, read before a
    /// reset there) is refused, not written over the newer poll.
    #[tokio::test]
    async fn a_change_from_an_older_copy_never_undoes_a_newer_one() {
        let w = world();
        let poll = w.open_poll(input(&["ja", "nee"])).await;
        let mut reset = poll.clone();
        reset.round += 1;
        assert!(w.store.poll_replace(&poll, &reset).unwrap());
        // The older copy's close would take the round back: refused.
        let mut closed = poll.clone();
        closed.state = PollState::Closed;
        assert!(!w.store.poll_replace(&poll, &closed).unwrap());
        let stored = get(&w.store, &w.community, &poll.id).unwrap();
        assert_eq!(
            (stored.round, stored.state),
            (poll.round + 1, PollState::Open)
        );
        // Through the rules: the change reads the newest poll first.
        assert_eq!(w.close(&poll.id).await.unwrap().round, poll.round + 1);
    }

    #[tokio::test]
    async fn join_codes_are_unique() {
        let w = world();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..50 {
            let poll = w.create(input(&["ja", "nee"])).await.unwrap();
            assert!(seen.insert(poll.join_code));
        }
    }

    #[tokio::test]
    async fn states_move_draft_open_closed_and_back() {
        let w = world();
        let poll = w.create(input(&["ja", "nee"])).await.unwrap();
        let id = poll.id.as_str();
        let k = voter_key(1);
        assert_eq!(
            code_of(w.vote(id, by_key(&k), &[0])),
            ErrorCode::PollNotOpen
        );
        assert_eq!(code_of(w.close(id).await), ErrorCode::InvalidPollState);
        assert_eq!(
            code_of(set_revealed(
                &w.store,
                &w.tallies,
                &w.community,
                id,
                true,
                "a"
            )),
            ErrorCode::InvalidPollState
        );
        assert_eq!(w.open(id).await.unwrap().state, PollState::Open);
        // Opening twice (a double click) changes nothing.
        let again = w.open(id).await.unwrap();
        assert_eq!(again.state, PollState::Open);
        w.vote(id, by_key(&k), &[0]).unwrap();
        let closed = w.close(id).await.unwrap();
        assert_eq!(closed.state, PollState::Closed);
        assert!(closed.closed_at.is_some());
        assert_eq!(w.close(id).await.unwrap(), closed);
        let err = w.vote(id, by_key(&voter_key(2)), &[0]).unwrap_err();
        assert_eq!(err.code, ErrorCode::PollNotOpen);
        assert!(err.message.contains("closed"));
        let reopened = w.open(id).await.unwrap();
        assert_eq!(reopened.state, PollState::Open);
        assert_eq!(reopened.closed_at, None);
        w.vote(id, by_key(&voter_key(2)), &[1]).unwrap();
        assert_eq!(w.totals(id).totals, [1, 1]);
        let log = crate::moderation::audit_log(&w.store, &w.community, 50).unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["poll_opened", "poll_closed", "poll_opened", "poll_created"]
        );
        assert!(log[0].note.contains("reopened"));
    }

    #[tokio::test]
    async fn open_and_close_times_are_enforced_at_vote_time() {
        let w = world();
        let t = now();
        let mut timed = input(&["ja", "nee"]);
        timed.opens_at = Some(t + 100);
        timed.closes_at = Some(t + 200);
        let poll = w.open_poll(timed).await;
        let k = voter_key(1);
        assert_eq!(phase(&poll, t), Phase::Scheduled);
        let early = w.vote_at(&poll.id, by_key(&k), &[0], t).unwrap_err();
        assert_eq!(early.code, ErrorCode::PollNotOpen);
        assert!(early.message.contains("not open yet"));
        assert_eq!(
            code_of(w.vote_at(&poll.id, by_key(&k), &[0], t + 200)),
            ErrorCode::PollNotOpen
        );
        w.vote_at(&poll.id, by_key(&k), &[0], t + 150).unwrap();
        assert_eq!(phase(&poll, t + 200), Phase::Closed);
        // A poll whose close time has passed cannot be reopened as is.
        let mut past = input(&["ja", "nee"]);
        past.closes_at = Some(t - 1);
        let past = w.create(past).await.unwrap();
        let err = w.open(&past.id).await.unwrap_err();
        assert!(err.message.contains("closes_at"), "{err}");
        let edit = PollEdit {
            closes_at: Some(None),
            ..Default::default()
        };
        let edited = super::edit(&w.store, &w.tallies, &w.community, &past.id, edit, "a").unwrap();
        assert_eq!(edited.closes_at, None);
        w.open(&past.id).await.unwrap();
    }

    #[tokio::test]
    async fn choices_follow_single_and_multiple_choice_rules() {
        let w = world();
        let single = w.open_poll(input(&["a", "b", "c"])).await;
        let mut multi = input(&["a", "b", "c", "d"]);
        multi.max_choices = 2;
        let multi = w.open_poll(multi).await;
        let k = voter_key(1);
        for (poll, choices) in [
            (&single, vec![]),
            (&single, vec![0, 1]),
            (&single, vec![3]),
            (&multi, vec![0, 1, 2]),
            (&multi, vec![1, 1]),
            (&multi, vec![4]),
        ] {
            let err = w.vote(&poll.id, by_key(&k), &choices).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidField, "{choices:?}");
        }
        w.vote(&single.id, by_key(&k), &[2]).unwrap();
        w.vote(&multi.id, by_key(&k), &[3, 0]).unwrap();
        w.vote(&multi.id, by_key(&voter_key(2)), &[3]).unwrap();
        assert_eq!(w.totals(&single.id).totals, [0, 0, 1]);
        let results = w.totals(&multi.id);
        assert_eq!(results.totals, [1, 0, 0, 2]);
        assert_eq!(results.total_votes, 2);
        assert_eq!(results, stored_results(&w.store, &multi));
    }

    #[tokio::test]
    async fn a_vote_is_final() {
        let w = world();
        let poll = w.open_poll(input(&["ja", "nee"])).await;
        let k = voter_key(7);
        let receipt = vote(
            &w.store,
            &w.tallies,
            &w.community,
            &poll.id,
            by_key(&k),
            &[0],
        )
        .await
        .unwrap();
        assert_eq!(receipt.round, 1);
        assert_eq!(receipt.results.unwrap().totals, [1, 0]);
        let err = vote(
            &w.store,
            &w.tallies,
            &w.community,
            &poll.id,
            by_key(&k),
            &[1],
        )
        .await
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::AlreadyVoted);
        assert_eq!(w.totals(&poll.id).totals, [1, 0]);
        let missing = w.vote(&poll.id, Ballot::default(), &[0]).unwrap_err();
        assert_eq!(missing.code, ErrorCode::InvalidVoterKey);
        let malformed = w.vote(&poll.id, by_key("NOT-A-KEY"), &[0]).unwrap_err();
        assert_eq!(malformed.code, ErrorCode::InvalidVoterKey);
        assert_eq!(
            code_of(w.vote("nope", by_key(&k), &[0])),
            ErrorCode::PollNotFound
        );
        // Made-up ids leave nothing behind in memory.
        assert_eq!(w.tallies.len(), 1);
    }

    #[test]
    fn visibility_matrix() {
        let t = 1_000;
        let base = Poll {
            id: "p".into(),
            community: "dorp".into(),
            question: "?".into(),
            options: vec!["a".into(), "b".into()],
            max_choices: 1,
            opens_at: None,
            closes_at: None,
            state: PollState::Open,
            results: ResultsVisibility::Always,
            revealed: false,
            round: 1,
            audience: Audience::default(),
            join_code: "ABCDE".into(),
            vote_codes: 0,
            created_at: 0,
            updated_at: 0,
            closed_at: None,
        };
        use ResultsVisibility::*;
        // (mode, open poll: [not voted, voted], closed poll: [not voted, voted])
        let expected = [
            (Always, [true, true], [true, true]),
            (AfterVote, [false, true], [true, true]),
            (AfterClose, [false, false], [true, true]),
            (WhenRevealed, [false, false], [false, false]),
        ];
        for (mode, open, closed) in expected {
            let mut poll = base.clone();
            poll.results = mode;
            for (voted, want) in [(false, open[0]), (true, open[1])] {
                assert_eq!(
                    results_visible(&poll, voted, t),
                    want,
                    "{mode:?} open {voted}"
                );
            }
            let mut by_editor = poll.clone();
            by_editor.state = PollState::Closed;
            let mut by_time = poll.clone();
            by_time.closes_at = Some(t);
            for closed_poll in [&by_editor, &by_time] {
                for (voted, want) in [(false, closed[0]), (true, closed[1])] {
                    assert_eq!(
                        results_visible(closed_poll, voted, t),
                        want,
                        "{mode:?} closed {voted}"
                    );
                }
            }
            // A reveal shows them to everyone, open or closed.
            for mut p in [poll, by_editor] {
                p.revealed = true;
                assert!(results_visible(&p, false, t), "{mode:?} revealed");
            }
        }
    }

    #[tokio::test]
    async fn views_and_results_follow_the_rule() {
        let w = world();
        let mut after_vote = input(&["ja", "nee"]);
        after_vote.results = ResultsVisibility::AfterVote;
        let poll = w.open_poll(after_vote).await;
        let (voter, other) = (voter_key(1), voter_key(2));
        let view_of = |key: &str| {
            view(
                &w.store,
                &w.tallies,
                &w.community,
                &poll.id,
                by_key(key),
                now(),
            )
            .unwrap()
        };
        assert!(view_of(&voter).results.is_none());
        let receipt = w.vote(&poll.id, by_key(&voter), &[1]).unwrap();
        assert_eq!(receipt.results.unwrap().totals, [0, 1]);
        let seen = view_of(&voter);
        assert!(seen.voted);
        assert_eq!(seen.results.unwrap().totals, [0, 1]);
        assert!(!view_of(&other).voted);
        assert!(view_of(&other).results.is_none());
        let hidden = results(
            &w.store,
            &w.tallies,
            &w.community,
            &poll.id,
            by_key(&other),
            now(),
        );
        let err = hidden.unwrap_err();
        assert_eq!(err.code, ErrorCode::ResultsHidden);
        // No voter key at all: not voted, nothing shown.
        let anonymous = view(
            &w.store,
            &w.tallies,
            &w.community,
            &poll.id,
            Ballot::default(),
            now(),
        )
        .unwrap();
        assert!(!anonymous.voted && anonymous.results.is_none());
        w.close(&poll.id).await.unwrap();
        assert_eq!(view_of(&other).results.unwrap().total_votes, 1);
        assert_eq!(view_of(&other).poll.phase, Phase::Closed);

        let mut revealed = input(&["ja", "nee"]);
        revealed.results = ResultsVisibility::WhenRevealed;
        let poll = w.open_poll(revealed).await;
        let receipt = w.vote(&poll.id, by_key(&voter), &[0]).unwrap();
        assert!(receipt.results.is_none());
        set_revealed(&w.store, &w.tallies, &w.community, &poll.id, true, "a").unwrap();
        let results = results(
            &w.store,
            &w.tallies,
            &w.community,
            &poll.id,
            by_key(&other),
            now(),
        )
        .unwrap();
        assert_eq!(results.totals, [1, 0]);
    }

    #[tokio::test]
    async fn reset_starts_a_new_round_once() {
        let w = world();
        let mut poll_input = input(&["ja", "nee"]);
        poll_input.results = ResultsVisibility::WhenRevealed;
        let poll = w.open_poll(poll_input).await;
        let id = poll.id.as_str();
        for i in 0..5 {
            w.vote(id, by_key(&voter_key(i)), &[(i % 2) as u8]).unwrap();
        }
        set_revealed(&w.store, &w.tallies, &w.community, id, true, "a").unwrap();
        assert_eq!(w.totals(id).totals, [3, 2]);
        let reset_poll = reset(&w.store, &w.tallies, &w.community, id, 1, "editor").unwrap();
        assert_eq!(reset_poll.round, 2);
        assert!(!reset_poll.revealed);
        assert_eq!(
            w.totals(id),
            PollResults {
                totals: vec![0, 0],
                total_votes: 0
            }
        );
        // A double click: the second reset sees round 2 and refuses.
        let again = reset(&w.store, &w.tallies, &w.community, id, 1, "editor");
        assert_eq!(code_of(again), ErrorCode::RoundChanged);
        // Everyone may vote again in the new round.
        w.vote(id, by_key(&voter_key(0)), &[1]).unwrap();
        assert_eq!(w.totals(id).totals, [0, 1]);
        // Fresh tallies (as after a restart) count only the current round.
        let fresh = Tallies::new();
        let (_, results) = current_results(&w.store, &fresh, &w.community, id).unwrap();
        assert_eq!(results.totals, [0, 1]);
        let log = crate::moderation::audit_log(&w.store, &w.community, 1).unwrap();
        assert_eq!(log[0].action, "poll_reset");
        assert_eq!(log[0].actor, "editor");
        assert!(log[0].note.contains("5 vote(s)"), "{}", log[0].note);
    }

    #[tokio::test]
    async fn the_ballot_is_fixed_once_votes_exist() {
        let w = world();
        let poll = w.open_poll(input(&["ja", "nee"])).await;
        let id = poll.id.as_str();
        let edit_with = |e: PollEdit| super::edit(&w.store, &w.tallies, &w.community, id, e, "a");
        // Warm the tally with 2 options, then grow to 3 before any vote.
        assert_eq!(w.totals(id).totals.len(), 2);
        let edited = edit_with(PollEdit {
            options: Some(vec!["ja".into(), "nee".into(), "misschien".into()]),
            question: Some("Nieuwe vraag?".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(edited.options.len(), 3);
        w.vote(id, by_key(&voter_key(1)), &[2]).unwrap();
        assert_eq!(w.totals(id).totals, [0, 0, 1]);
        for locked in [
            PollEdit {
                question: Some("Andere vraag?".into()),
                ..Default::default()
            },
            PollEdit {
                options: Some(vec!["a".into(), "b".into()]),
                ..Default::default()
            },
            PollEdit {
                max_choices: Some(2),
                ..Default::default()
            },
            PollEdit {
                audience: Some(Audience::Codes),
                ..Default::default()
            },
        ] {
            let err = edit_with(locked).unwrap_err();
            assert_eq!(err.code, ErrorCode::PollHasVotes);
        }
        // Unchanged values and the other settings are fine.
        let fine = edit_with(PollEdit {
            question: Some("Nieuwe vraag?".into()),
            results: Some(ResultsVisibility::AfterClose),
            audience: Some(Audience::Open {
                max_keys_per_network: 500,
            }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(fine.results, ResultsVisibility::AfterClose);
        // Options can change again after a reset.
        reset(&w.store, &w.tallies, &w.community, id, 1, "a").unwrap();
        edit_with(PollEdit {
            options: Some(vec!["a".into(), "b".into()]),
            ..Default::default()
        })
        .unwrap();
        // `null` clears a time, absence keeps it; unknown fields are refused.
        let parsed: PollEdit = serde_json::from_str(r#"{"opens_at":null}"#).unwrap();
        assert_eq!(parsed.opens_at, Some(None));
        assert_eq!(parsed.closes_at, None);
        assert!(serde_json::from_str::<PollEdit>(r#"{"round":1}"#).is_err());
    }

    #[tokio::test]
    async fn a_network_may_use_a_limited_number_of_voter_keys() {
        let w = world();
        let mut capped = input(&["ja", "nee"]);
        capped.audience = Audience::Open {
            max_keys_per_network: 3,
        };
        let poll = w.open_poll(capped).await;
        let id = poll.id.as_str();
        let (school, home) = ([1u8; 16], [2u8; 16]);
        let keys: Vec<String> = (0..5).map(voter_key).collect();
        for key in &keys[..3] {
            w.vote(id, from_net(key, school), &[0]).unwrap();
        }
        let err = w.vote(id, from_net(&keys[3], school), &[0]).unwrap_err();
        assert_eq!(err.code, ErrorCode::NetworkCap);
        assert!(err.message.contains("vote codes"), "{}", err.message);
        // A voter who already voted hears that, not about the cap.
        assert_eq!(
            code_of(w.vote(id, from_net(&keys[0], school), &[0])),
            ErrorCode::AlreadyVoted
        );
        w.vote(id, from_net(&keys[3], home), &[1]).unwrap();
        assert_eq!(w.totals(id).total_votes, 4);
        // No network known (a test harness, a Unix socket): no cap to apply.
        w.vote(id, by_key(&keys[4]), &[1]).unwrap();

        // Counters survive a close, and go after the retention time.
        let closed = w.close(id).await.unwrap();
        let closed_at = closed.closed_at.unwrap();
        let networks = |w: &World| {
            w.store
                .poll_network_counters(&w.community.slug, id)
                .unwrap()
        };
        assert_eq!(networks(&w), 2);
        assert_eq!(
            forget_networks_of_closed_polls(&w.store, closed_at).unwrap(),
            0
        );
        let later = closed_at + NETWORK_RETENTION_SECS;
        assert_eq!(forget_networks_of_closed_polls(&w.store, later).unwrap(), 2);
        assert_eq!(networks(&w), 0);
        const { assert!(NETWORK_RETENTION_SECS < 23 * 3600) };
    }

    #[tokio::test]
    async fn networks_are_forgotten_after_the_close_time_too() {
        let w = world();
        let t = now();
        let mut timed = input(&["ja", "nee"]);
        timed.closes_at = Some(t + 10);
        let poll = w.open_poll(timed).await;
        let k = voter_key(1);
        w.vote_at(&poll.id, from_net(&k, [3; 16]), &[0], t).unwrap();
        // Still open, and then closed by the clock but within the retention time.
        for at in [t, t + 10, t + 9 + NETWORK_RETENTION_SECS] {
            assert_eq!(forget_networks_of_closed_polls(&w.store, at).unwrap(), 0);
        }
        let later = t + 10 + NETWORK_RETENTION_SECS;
        assert_eq!(forget_networks_of_closed_polls(&w.store, later).unwrap(), 1);
        // Drafts and open polls keep theirs.
        let open_poll = w.open_poll(input(&["ja", "nee"])).await;
        w.vote(&open_poll.id, from_net(&k, [3; 16]), &[0]).unwrap();
        assert_eq!(forget_networks_of_closed_polls(&w.store, later).unwrap(), 0);
    }

    #[tokio::test]
    async fn a_reset_gives_networks_a_fresh_cap() {
        let w = world();
        let mut capped = input(&["ja", "nee"]);
        capped.audience = Audience::Open {
            max_keys_per_network: 1,
        };
        let poll = w.open_poll(capped).await;
        let k = voter_key(1);
        let ballot = Ballot {
            voter_key: Some(&k),
            code: None,
            network: Some([9; 16]),
        };
        w.vote(&poll.id, ballot, &[0]).unwrap();
        let secret_of = |round: u32| {
            w.store
                .poll_round_secret_exists(&poll.community, &poll.id, round)
                .unwrap()
        };
        assert!(secret_of(1), "the round's secret is stored");
        reset(&w.store, &w.tallies, &w.community, &poll.id, 1, "a").unwrap();
        assert!(!secret_of(1), "a reset deletes the old round's secret");
        w.vote(&poll.id, ballot, &[0]).unwrap();
        assert!(secret_of(2));
    }

    #[tokio::test]
    async fn the_network_cap_outlives_the_limiters_secret_and_ends_with_its_own() {
        let w = world();
        let t = now();
        let mut capped = input(&["ja", "nee"]);
        capped.audience = Audience::Open {
            max_keys_per_network: 1,
        };
        capped.closes_at = Some(t + 10);
        let poll = w.open_poll(capped).await;
        let (a, b) = (voter_key(1), voter_key(2));
        w.vote_at(&poll.id, from_net(&a, [5; 16]), &[0], t).unwrap();
        // A second key from the same network is refused by the stored count,
        // whatever any in-memory secret did meanwhile (a restart, a new day).
        let refused = w.vote_at(&poll.id, from_net(&b, [5; 16]), &[0], t + 1);
        assert_eq!(code_of(refused), ErrorCode::NetworkCap);
        let later = t + 10 + NETWORK_RETENTION_SECS;
        assert_eq!(forget_networks_of_closed_polls(&w.store, later).unwrap(), 1);
        assert!(!w
            .store
            .poll_round_secret_exists(&poll.community, &poll.id, poll.round)
            .unwrap());
    }

    #[tokio::test]
    async fn vote_codes_are_single_use() {
        let w = world();
        let open_poll = w.open_poll(input(&["ja", "nee"])).await;
        assert_eq!(
            code_of(w.generate(&open_poll.id, 5).await),
            ErrorCode::InvalidPollState
        );
        let mut with_codes = input(&["ja", "nee"]);
        with_codes.audience = Audience::Codes;
        let poll = w.open_poll(with_codes).await;
        let id = poll.id.as_str();
        assert!(w.generate(id, 0).await.is_err());
        assert!(w.generate(id, limits::CODES_PER_BATCH + 1).await.is_err());
        let batch = w.generate(id, 200).await.unwrap();
        assert_eq!(batch.len(), 200);
        let distinct: std::collections::HashSet<_> = batch.iter().collect();
        assert_eq!(distinct.len(), 200);
        let found = w.store.raw_tree("vote_codes").unwrap().unwrap();
        assert_eq!(found.len(), 200);
        for code in &batch {
            assert_eq!(code.len(), 12);
            assert_eq!(&code[4..5], "-");
            assert_eq!(&code[9..10], "-");
            let bare = code.replace('-', "");
            assert!(bare.bytes().all(|b| CODE_ALPHABET.contains(&b)));
            // Only a hash is stored, never the code.
            assert!(!found.iter().any(|(k, v)| {
                [k, v]
                    .iter()
                    .any(|bytes| bytes.windows(10).any(|win| win == bare.as_bytes()))
            }));
        }
        assert_eq!(get(&w.store, &w.community, id).unwrap().vote_codes, 200);
        let csv = codes_csv(&batch).unwrap();
        assert_eq!(csv.lines().count(), 201);
        assert!(csv.starts_with("code\n"));

        // Typed sloppily: lower case, without dashes, with spaces.
        let typed = batch[0].replace('-', " ").to_lowercase();
        w.vote(id, with_code(&typed), &[0]).unwrap();
        let used = w.vote(id, with_code(&batch[0]), &[1]).unwrap_err();
        assert_eq!(used.code, ErrorCode::InvalidVoteCode);
        assert!(used.message.contains("already"));
        for wrong in ["ABCD-EFGH-JK", "nonsense", ""] {
            assert_eq!(
                code_of(w.vote(id, with_code(wrong), &[0])),
                ErrorCode::InvalidVoteCode
            );
        }
        assert_eq!(
            code_of(w.vote(id, Ballot::default(), &[0])),
            ErrorCode::InvalidVoteCode
        );
        // A code belongs to its poll.
        let mut other = input(&["ja", "nee"]);
        other.audience = Audience::Codes;
        let other = w.open_poll(other).await;
        assert_eq!(
            code_of(w.vote(&other.id, with_code(&batch[1]), &[0])),
            ErrorCode::InvalidVoteCode
        );
        w.vote(id, with_code(&batch[1]), &[1]).unwrap();
        assert_eq!(w.totals(id).totals, [1, 1]);
        let view = view(
            &w.store,
            &w.tallies,
            &w.community,
            id,
            with_code(&batch[1]),
            now(),
        )
        .unwrap();
        assert!(view.voted && view.poll.needs_code);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_votes_and_a_restart_keep_tallies_equal_to_the_votes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let tallies = Arc::new(Tallies::new());
        let community = Arc::new(community());
        let mut multi = input(&["a", "b", "c"]);
        multi.max_choices = 2;
        let poll = create(&store, &community, multi, "a").unwrap();
        open(&store, &tallies, &community, &poll.id, "a", now()).unwrap();
        let tasks: Vec<_> = (0..500u32)
            .map(|i| {
                let (store, tallies, community) =
                    (store.clone(), tallies.clone(), community.clone());
                let id = poll.id.clone();
                tokio::spawn(async move {
                    let key = voter_key(i % 450); // 50 try to vote twice
                    let choices: &[u8] = if i % 3 == 0 {
                        &[0, 2]
                    } else {
                        &[(i % 3) as u8]
                    };
                    vote(&store, &tallies, &community, &id, by_key(&key), choices).await
                })
            })
            .collect();
        let mut counted = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => counted += 1,
                Err(e) => assert_eq!(e.code, ErrorCode::AlreadyVoted),
            }
        }
        assert_eq!(counted, 450);
        let live = current_results(&store, &tallies, &community, &poll.id)
            .unwrap()
            .1;
        assert_eq!(live.total_votes, 450);
        assert_eq!(live, stored_results(&store, &poll));
        let stored_count = |store: &Store| {
            store
                .vote_count(&poll.community, &poll.id, poll.round)
                .unwrap()
        };
        assert_eq!(stored_count(&store), 450);

        store.close();
        drop(store);
        let store = reopen(dir.path());
        let fresh = Tallies::new();
        let after = current_results(&store, &fresh, &community, &poll.id)
            .unwrap()
            .1;
        assert_eq!(after, live);
        assert_eq!(stored_count(&store), 450);
    }

    /// Opens a data directory again, waiting (bounded) for the previous
    /// handle's background thread to let go of its lock.
    fn reopen(dir: &std::path::Path) -> Store {
        for _ in 0..100 {
            match Store::open(dir) {
                Ok(store) => return store,
                Err(crate::store::StoreError::Locked(_)) => {
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                Err(err) => panic!("{err}"),
            }
        }
        panic!("the data directory stayed locked");
    }

    #[tokio::test]
    async fn tallies_after_a_restart_equal_the_votes() {
        let dir = tempfile::tempdir().unwrap();
        let community = community();
        let poll;
        let before;
        {
            let store = Store::open(dir.path()).unwrap();
            let tallies = Tallies::new();
            poll = create(&store, &community, input(&["a", "b"]), "a").unwrap();
            open(&store, &tallies, &community, &poll.id, "a", now()).unwrap();
            for i in 0..7 {
                vote(
                    &store,
                    &tallies,
                    &community,
                    &poll.id,
                    by_key(&voter_key(i)),
                    &[(i % 2) as u8],
                )
                .await
                .unwrap();
            }
            before = current_results(&store, &tallies, &community, &poll.id)
                .unwrap()
                .1;
            store.close();
        }
        let store = reopen(dir.path());
        let tallies = Tallies::new();
        let after = current_results(&store, &tallies, &community, &poll.id)
            .unwrap()
            .1;
        assert_eq!(after, before);
        assert_eq!(after.totals, [4, 3]);
        // A voter from before the restart is still known.
        let again = record_vote(
            &store,
            &tallies,
            &community,
            &poll.id,
            by_key(&voter_key(0)),
            &[1],
            now(),
        );
        assert_eq!(code_of(again), ErrorCode::AlreadyVoted);
    }
}
