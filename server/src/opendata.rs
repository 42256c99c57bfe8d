//! Open data: a community's published initiatives and its poll results as
//! CSV, for anyone to reuse. Only what the widgets already show the public:
//! no names, no contact details, no voter data, and no poll totals before
//! the poll's own rule shows them to everyone.

use serde::Serialize;

use crate::communities::Community;
use crate::errors::ApiResult;
use crate::initiatives::ListCache;
use crate::polls::{self, Phase, PollState, Tallies};
use crate::spreadsheet::csv_text;
use crate::store::Store;

/// One published initiative (the initiator's name is left out on purpose).
#[derive(Serialize)]
struct InitiativeRow<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    area: &'a str,
    theme: &'a str,
    status: &'a str,
    support_count: u64,
    support_threshold: u64,
    threshold_reached_at: Option<u64>,
    join_count: u64,
    /// Published reactions (only the number: no texts, no names).
    reaction_count: u64,
    answered: bool,
    created_at: u64,
    updated_at: u64,
}

/// One option of one poll whose results everyone may see.
#[derive(Serialize)]
struct PollResultRow<'a> {
    poll: &'a str,
    question: &'a str,
    phase: Phase,
    round: u32,
    opens_at: Option<u64>,
    closes_at: Option<u64>,
    option: usize,
    option_text: &'a str,
    votes: u64,
    ballots: u64,
}

/// The community's published initiatives, newest first.
pub fn initiatives_csv(
    lists: &ListCache,
    store: &Store,
    community: &Community,
) -> ApiResult<String> {
    let cards = lists.cards(store, community)?;
    let mut cards: Vec<_> = cards.iter().map(|listed| &listed.card).collect();
    cards.sort_by_key(|card| std::cmp::Reverse(card.created_at));
    csv_text(cards.into_iter().map(|card| InitiativeRow {
        id: &card.id,
        title: &card.title,
        summary: &card.summary,
        area: card.area.as_deref().unwrap_or(""),
        theme: card.theme.as_deref().unwrap_or(""),
        status: card.status.as_str(),
        support_count: card.support_count,
        support_threshold: card.support_threshold,
        threshold_reached_at: card.threshold_reached_at,
        join_count: card.join_count,
        reaction_count: card.reaction_count,
        answered: card.answered,
        created_at: card.created_at,
        updated_at: card.updated_at,
    }))
}

/// Per option, the totals of every poll whose results everyone may see now
/// (drafts and hidden results are left out), newest poll first.
pub fn poll_results_csv(
    store: &Store,
    tallies: &Tallies,
    community: &Community,
    now: u64,
) -> ApiResult<String> {
    let mut shown = Vec::new();
    for poll in polls::all(store, community)? {
        if poll.state == PollState::Draft || !polls::results_visible(&poll, false, now) {
            continue;
        }
        let (poll, results) = polls::current_results(store, tallies, community, &poll.id)?;
        shown.push((poll, results));
    }
    shown.sort_by_key(|(poll, _)| std::cmp::Reverse(poll.created_at));
    let mut rows = Vec::new();
    for (poll, results) in &shown {
        let phase = polls::phase(poll, now);
        for (option, option_text) in poll.options.iter().enumerate() {
            rows.push(PollResultRow {
                poll: &poll.id,
                question: &poll.question,
                phase,
                round: poll.round,
                opens_at: poll.opens_at,
                closes_at: poll.closes_at,
                option,
                option_text,
                votes: results.totals.get(option).copied().unwrap_or(0),
                ballots: results.total_votes,
            });
        }
    }
    csv_text(rows)
}
