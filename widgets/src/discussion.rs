//! The discussion widget's state: a pure reducer over [`Talk`], tested natively. Views are
//! in `discussion_view.rs`, the browser side (fetches, the 5 s conditional poll, focus) in
//! `discussion_app.rs`.
//!
//! A resident's drafts (the reaction form, the one open reply, edit or report box) live
//! here, never in the DOM alone: a refresh of the list (someone else's reaction arriving)
//! re-renders keyed lists around them and changes nothing they typed.

use crate::api::{Failure, Problem};
use crate::i18n::talk::{t, Key};
use crate::i18n::{fill, fill_in, number, Key as MainKey, Lang};
use mekaar_api::discussions::{
    limits, AgreeState, Reaction, ReactionEdit, ReactionPost, ReactionSort, ReactionState, Stance,
    Thread, ThreadKind, ThreadView,
};
use std::rc::Rc;
use yew::Reducible;

/// What a placeholder names: `data-topic`, `data-poll` or `data-initiative`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: ThreadKind,
    pub id: Rc<str>,
}

impl Target {
    /// From the placeholder's attributes (`attr` gives one, "" when absent); the first of
    /// topic, poll, initiative that is set.
    pub fn from_attrs(attr: &dyn Fn(&str) -> String) -> Option<Target> {
        [
            ("data-topic", ThreadKind::Topic),
            ("data-poll", ThreadKind::Poll),
            ("data-initiative", ThreadKind::Initiative),
        ]
        .into_iter()
        .find_map(|(name, kind)| {
            let id = attr(name);
            let id = id.trim();
            (!id.is_empty()).then(|| Target {
                kind,
                id: id.into(),
            })
        })
    }
}

/// The order and filter of the list, and how many pages are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub sort: ReactionSort,
    pub stance: Option<Stance>,
    /// Pages loaded (1 and up).
    pub pages: u32,
}

impl Query {
    /// `?sort=…&page=…[&stance=…]` of the `n`th page (1 and up; the API counts from 0).
    pub fn search(&self, n: u32) -> String {
        let mut q = String::from("?sort=");
        q.push_str(self.sort.as_str());
        q.push_str("&page=");
        q.push_str(&n.saturating_sub(1).to_string());
        if let Some(stance) = self.stance {
            q.push_str("&stance=");
            q.push_str(stance.as_str());
        }
        q
    }
}

/// An open box under one reaction: a reply, an edit or a report, with what is typed in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    Reply(String, String),
    Edit(String, String),
    Report(String, String),
}

impl Open {
    pub fn id(&self) -> &str {
        match self {
            Open::Reply(id, _) | Open::Edit(id, _) | Open::Report(id, _) => id,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Open::Reply(_, s) | Open::Edit(_, s) | Open::Report(_, s) => s,
        }
    }

    fn text_mut(&mut self) -> &mut String {
        match self {
            Open::Reply(_, s) | Open::Edit(_, s) | Open::Report(_, s) => s,
        }
    }
}

/// A problem with what was typed, shown at the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooLong(usize),
}

/// A message for one place: the form (`None`) or a reaction (its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub at: Option<String>,
    pub text: String,
    /// An error (`role=alert`) rather than a confirmation (`role=status`).
    pub alert: bool,
}

/// The widget's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct Talk {
    pub lang: Lang,
    pub configured: bool,
    pub thread: Option<Thread>,
    /// The last load's failure (nothing shown yet, or the list could not be refreshed).
    pub failure: Option<Failure>,
    /// Top-level reactions of every page loaded, their replies inside.
    pub reactions: Vec<Reaction>,
    /// Top-level published reactions matching the filter.
    pub total: u64,
    pub page_size: u32,
    pub version: Option<u64>,
    /// The tag of the last answer, for `If-None-Match`.
    pub etag: Option<String>,
    pub query: Query,
    /// Bumped to (re)load pages 1..=`query.pages`.
    pub load: u32,
    /// Bumped to load page `query.pages + 1`.
    pub more: u32,
    pub loading_more: bool,
    // The form.
    pub text: String,
    pub name: String,
    pub stance: Option<Stance>,
    /// The honeypot.
    pub website: String,
    pub error: Option<FieldError>,
    pub sending: bool,
    /// The one open box under a reaction.
    pub open: Option<Open>,
    pub open_error: Option<FieldError>,
    /// Reactions this resident reported (here, now).
    pub reported: Vec<String>,
    /// Ids with a request under way (agree, edit, delete, report).
    pub busy: Vec<String>,
    pub notice: Option<Notice>,
    /// The polite live region: `(turn, text)`; a new turn re-announces.
    pub announce: (u32, String),
    /// Published reactions known (the thread's count) at the last look.
    pub seen: Option<u64>,
    /// Where the focus goes after a change: `(turn, id name)`.
    pub focus: (u32, Option<String>),
    /// Now, seconds since the epoch (at the last answer): own reactions are editable
    /// while their `editable_until` is later.
    pub now: u64,
}

/// Everything that changes the state.
#[derive(Debug)]
pub enum Action {
    /// Pages 1..=n as loaded (`poll`: by the periodic check, so new ones are announced),
    /// the answer's tag, and now.
    Loaded(Result<Vec<ThreadView>, Failure>, Option<String>, bool, u64),
    /// The next page.
    MoreLoaded(Result<ThreadView, Failure>),
    More,
    Retry,
    Sort(ReactionSort),
    Filter(Option<Stance>),
    Text(String),
    Name(String),
    Stance(Option<Stance>),
    Website(String),
    /// The form's submit button: checks the fields, then the app posts.
    Submit,
    Posted(Result<Reaction, Failure>, u64),
    /// Opens (or with `None` closes) a box under a reaction.
    Open(Option<Open>),
    OpenText(String),
    /// The open box's send button.
    SubmitOpen,
    Replied(Result<Reaction, Failure>, u64),
    Edited(Result<Reaction, Failure>),
    Delete(String),
    Deleted(String, Result<(), Failure>),
    ReportDone(String, Result<(), Failure>),
    Agree(String),
    AgreeDone(String, Result<AgreeState, Failure>),
}

/// What the app sends for a submit (read from the state before dispatching).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Post(ReactionPost),
    Edit(String, ReactionEdit),
    Report(String, String),
}

/// Checks a reaction's text.
pub fn check_text(text: &str) -> Result<(), FieldError> {
    let n = text.trim().chars().count();
    if n == 0 {
        Err(FieldError::Required)
    } else if text.chars().count() > limits::TEXT {
        Err(FieldError::TooLong(limits::TEXT))
    } else {
        Ok(())
    }
}

/// The message of a field error.
pub fn field_text(lang: Lang, e: FieldError) -> String {
    match e {
        FieldError::Required => t(lang, Key::ErrRequired).to_owned(),
        FieldError::TooLong(n) => fill_in(t(lang, Key::ErrTooLong), &number(lang, n as u64), ""),
    }
}

/// What to tell a resident about a failure in the discussion.
pub fn failure_text(lang: Lang, f: &Failure) -> String {
    let key = match f.problem {
        Problem::ThreadNotFound => Key::ErrThreadNotFound,
        Problem::TopicNotFound => Key::ErrTopicNotFound,
        Problem::ThreadClosed => Key::ErrThreadClosed,
        Problem::ReactionNotFound => Key::ErrReactionNotFound,
        Problem::EditWindowOver => Key::ErrEditWindowOver,
        Problem::NotYourReaction => Key::ErrNotYours,
        Problem::DuplicateReaction => Key::ErrDuplicate,
        Problem::InvalidReply => Key::ErrInvalidReply,
        Problem::OriginNotAllowed => Key::ErrOriginNotAllowed,
        Problem::Misconfigured => Key::ErrMisconfigured,
        Problem::RateLimited => Key::ErrRateLimited,
        Problem::InvalidField => {
            // "Check this field: text", when the server named it.
            let mut s = String::from(crate::i18n::t(lang, MainKey::ErrField));
            if let Some(field) = &f.field {
                s.push_str(" (");
                s.push_str(field);
                s.push(')');
            }
            return s;
        }
        other => return crate::i18n::t(lang, other.key()).to_owned(),
    };
    let mut text = String::from(t(lang, key));
    if f.problem == Problem::RateLimited {
        text.push(' ');
        match f.wait {
            Some(secs) => text.push_str(&fill(
                lang,
                MainKey::TryInMinutes,
                &crate::text::wait_minutes(secs).to_string(),
                "",
            )),
            None => text.push_str(crate::i18n::t(lang, MainKey::TryLater)),
        }
    }
    text
}

/// A stance's word.
pub fn stance_key(s: Stance) -> Key {
    match s {
        Stance::For => Key::For,
        Stance::Against => Key::Against,
        Stance::Question => Key::Question,
        Stance::Idea => Key::Idea,
    }
}

/// A reaction's state as its wire name (`data-state`).
pub fn state_name(s: ReactionState) -> &'static str {
    match s {
        ReactionState::Pending => "pending",
        ReactionState::Published => "published",
        ReactionState::Hidden => "hidden",
        ReactionState::Removed => "removed",
    }
}

/// Every reaction of `list`, replies included.
fn all(list: &[Reaction]) -> impl Iterator<Item = &Reaction> {
    list.iter()
        .flat_map(|r| std::iter::once(r).chain(r.replies.iter()))
}

fn find_mut<'a>(list: &'a mut [Reaction], id: &str) -> Option<&'a mut Reaction> {
    for r in list.iter_mut() {
        if r.id == id {
            return Some(r);
        }
        if let Some(reply) = r.replies.iter_mut().find(|x| x.id == id) {
            return Some(reply);
        }
    }
    None
}

impl Talk {
    pub fn new(lang: Lang, configured: bool) -> Talk {
        Talk {
            lang,
            configured,
            thread: None,
            failure: (!configured).then(|| Problem::Misconfigured.into()),
            reactions: Vec::new(),
            total: 0,
            page_size: limits::PAGE_SIZE as u32,
            version: None,
            etag: None,
            query: Query {
                pages: 1,
                ..Query::default()
            },
            load: u32::from(configured),
            more: 0,
            loading_more: false,
            text: String::new(),
            name: String::new(),
            stance: None,
            website: String::new(),
            error: None,
            sending: false,
            open: None,
            open_error: None,
            reported: Vec::new(),
            busy: Vec::new(),
            notice: None,
            announce: (0, String::new()),
            seen: None,
            focus: (0, None),
            now: 0,
        }
    }

    /// Whether new reactions may be posted.
    pub fn open_thread(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| t.open)
    }

    /// Whether more top-level reactions are on later pages.
    pub fn has_more(&self) -> bool {
        u64::from(self.query.pages) * u64::from(self.page_size.max(1)) < self.total
    }

    /// Whether the resident may still edit or delete `r`.
    pub fn editable(&self, r: &Reaction) -> bool {
        r.editable_until.is_some_and(|until| until > self.now) && r.state != ReactionState::Removed
    }

    pub fn find(&self, id: &str) -> Option<&Reaction> {
        all(&self.reactions).find(|r| r.id == id)
    }

    /// The request of the form's submit, if its fields are fine.
    pub fn post_request(&self) -> Option<ReactionPost> {
        if self.sending || check_text(&self.text).is_err() {
            return None;
        }
        Some(ReactionPost {
            text: self.text.trim().to_owned(),
            name: self
                .name
                .trim()
                .chars()
                .take(limits::DISPLAY_NAME)
                .collect(),
            stance: self
                .stance
                .filter(|_| self.thread.as_ref().is_some_and(|t| t.stances)),
            reply_to: None,
            website: self.website.clone(),
        })
    }

    /// The request of the open box's send button, if it may be sent.
    pub fn open_request(&self) -> Option<Request> {
        let open = self.open.as_ref()?;
        if self.busy.iter().any(|b| b == open.id()) {
            return None;
        }
        match open {
            Open::Reply(id, text) => {
                check_text(text).ok()?;
                Some(Request::Post(ReactionPost {
                    text: text.trim().to_owned(),
                    name: self
                        .name
                        .trim()
                        .chars()
                        .take(limits::DISPLAY_NAME)
                        .collect(),
                    stance: None,
                    reply_to: Some(id.clone()),
                    website: self.website.clone(),
                }))
            }
            Open::Edit(id, text) => {
                check_text(text).ok()?;
                Some(Request::Edit(
                    id.clone(),
                    ReactionEdit {
                        text: text.trim().to_owned(),
                    },
                ))
            }
            Open::Report(id, reason) => Some(Request::Report(id.clone(), reason.trim().to_owned())),
        }
    }

    fn focus_on(&mut self, name: String) {
        self.focus = (self.focus.0.wrapping_add(1), Some(name));
    }

    fn say(&mut self, at: Option<String>, text: String, alert: bool) {
        self.notice = Some(Notice { at, text, alert });
    }

    fn announce(&mut self, text: String) {
        self.announce = (self.announce.0.wrapping_add(1), text);
    }

    /// Reloads from page 1 (a new order or filter).
    fn reload(&mut self) {
        self.query.pages = 1;
        self.load = self.load.wrapping_add(1);
    }

    fn loaded(&mut self, views: Vec<ThreadView>, etag: Option<String>, poll: bool, now: u64) {
        let Some(first) = views.first() else {
            return;
        };
        let count = first.thread.reaction_count;
        let version = views.iter().map(|v| v.version).max();
        if poll && version == self.version && self.query.pages as usize == views.len() {
            // Unchanged (a server that answered in full instead of 304).
            return;
        }
        if poll {
            if let Some(seen) = self.seen {
                let new = count.saturating_sub(seen);
                if new > 0 {
                    let text = if new == 1 {
                        t(self.lang, Key::NewOne).to_owned()
                    } else {
                        fill_in(t(self.lang, Key::NewOther), &number(self.lang, new), "")
                    };
                    self.announce(text);
                }
            }
        }
        self.seen = Some(count);
        self.thread = Some(first.thread.clone());
        self.total = first.total;
        self.page_size = first.page_size.max(1);
        self.version = version;
        self.etag = etag;
        self.now = now;
        self.failure = None;
        let mut reactions: Vec<Reaction> = Vec::new();
        for view in views {
            for r in view.reactions {
                // A page boundary that moved while paging: keep the first copy.
                if !reactions.iter().any(|x| x.id == r.id) {
                    reactions.push(r);
                }
            }
        }
        self.reactions = reactions;
        // A box under a reaction that is gone closes; its text goes with it only then.
        if let Some(open) = &self.open {
            if self.find(open.id()).is_none() {
                self.open = None;
            }
        }
    }

    /// Puts a reaction the resident just posted in the list (a reply under its parent).
    fn insert(&mut self, r: Reaction) {
        if let Some(parent) = r.reply_to.clone() {
            if let Some(p) = find_mut(&mut self.reactions, &parent) {
                if !p.replies.iter().any(|x| x.id == r.id) {
                    p.replies.push(r);
                }
            }
        } else if self.find(&r.id).is_none() {
            if self.query.sort == ReactionSort::Oldest && self.has_more() {
                // It belongs on the last page, not loaded yet.
            } else if self.query.sort == ReactionSort::Oldest {
                self.reactions.push(r);
            } else {
                self.reactions.insert(0, r);
            }
        }
    }

    /// After a post: counts it as seen (it is not "new" to its author) and says where it is.
    fn posted(&mut self, r: &Reaction, now: u64, at: Option<String>) {
        self.now = now.max(self.now);
        let key = if r.state == ReactionState::Published {
            if let Some(seen) = &mut self.seen {
                *seen += 1;
            }
            if let Some(thread) = &mut self.thread {
                thread.reaction_count += 1;
            }
            if r.reply_to.is_none() {
                self.total += 1;
            }
            Key::Posted
        } else {
            Key::PostedPending
        };
        self.say(at, t(self.lang, key).to_owned(), false);
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loaded(Ok(views), etag, poll, now) => self.loaded(views, etag, poll, now),
            Action::Loaded(Err(f), ..) => self.failure = Some(f),
            Action::MoreLoaded(result) => {
                self.loading_more = false;
                match result {
                    Ok(view) => {
                        // The API counts pages from 0.
                        self.query.pages = self.query.pages.max(view.page + 1);
                        self.total = view.total;
                        let first = view.reactions.first().map(|r| r.id.clone());
                        for r in view.reactions {
                            if self.find(&r.id).is_none() {
                                self.reactions.push(r);
                            }
                        }
                        if let Some(first) = first {
                            self.focus_on(["r-", &first].concat());
                        }
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(String::new()), text, true);
                    }
                }
            }
            Action::More => {
                if !self.loading_more && self.has_more() {
                    self.loading_more = true;
                    self.more = self.more.wrapping_add(1);
                }
            }
            Action::Retry => {
                if self.configured {
                    self.failure = None;
                    self.load = self.load.wrapping_add(1);
                }
            }
            Action::Sort(sort) => {
                if sort != self.query.sort {
                    self.query.sort = sort;
                    self.reload();
                }
            }
            Action::Filter(stance) => {
                if stance != self.query.stance {
                    self.query.stance = stance;
                    self.reload();
                }
            }
            Action::Text(s) => {
                self.text = s;
                if self.error.is_some() {
                    self.error = check_text(&self.text).err();
                }
            }
            Action::Name(s) => self.name = s,
            Action::Stance(s) => self.stance = s,
            Action::Website(s) => self.website = s,
            Action::Submit => {
                if self.sending {
                    return;
                }
                match check_text(&self.text) {
                    Err(e) => {
                        self.error = Some(e);
                        self.focus_on("f-text".into());
                    }
                    Ok(()) => {
                        self.error = None;
                        self.sending = true;
                        self.notice = None;
                    }
                }
            }
            Action::Posted(result, now) => {
                self.sending = false;
                match result {
                    Ok(r) => {
                        self.text.clear();
                        self.stance = None;
                        self.posted(&r, now, None);
                        self.insert(r);
                        self.focus_on("form-status".into());
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(None, text, true);
                        self.focus_on("form-status".into());
                    }
                }
            }
            Action::Open(open) => {
                self.open_error = None;
                self.notice = None;
                let name = open.as_ref().map(|o| ["o-", o.id()].concat());
                // Closing returns the focus to the reaction.
                let back = self.open.as_ref().map(|o| ["r-", o.id()].concat());
                self.open = open;
                if let Some(name) = name.or(back) {
                    self.focus_on(name);
                }
            }
            Action::OpenText(s) => {
                if let Some(open) = &mut self.open {
                    *open.text_mut() = s;
                    if self.open_error.is_some() {
                        self.open_error = match open {
                            Open::Report(..) => None,
                            _ => check_text(open.text()).err(),
                        };
                    }
                }
            }
            Action::SubmitOpen => {
                let Some(open) = &self.open else {
                    return;
                };
                let id = open.id().to_owned();
                if self.busy.contains(&id) {
                    return;
                }
                let check = match open {
                    Open::Report(..) => Ok(()),
                    _ => check_text(open.text()),
                };
                match check {
                    Err(e) => {
                        self.open_error = Some(e);
                        self.focus_on(["o-", &id].concat());
                    }
                    Ok(()) => {
                        self.open_error = None;
                        self.busy.push(id);
                    }
                }
            }
            Action::Replied(result, now) => {
                let Some(Open::Reply(id, _)) = self.open.clone() else {
                    return;
                };
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(r) => {
                        self.open = None;
                        self.posted(&r, now, Some(id.clone()));
                        self.focus_on(["m-", &id].concat());
                        self.insert(r);
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(id), text, true);
                    }
                }
            }
            Action::Edited(result) => {
                let Some(Open::Edit(id, _)) = self.open.clone() else {
                    return;
                };
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(r) => {
                        self.open = None;
                        if let Some(old) = find_mut(&mut self.reactions, &id) {
                            let replies = std::mem::take(&mut old.replies);
                            *old = Reaction { replies, ..r };
                        }
                        self.focus_on(["r-", &id].concat());
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(id), text, true);
                    }
                }
            }
            Action::Delete(id) => {
                if !self.busy.contains(&id) {
                    self.busy.push(id);
                }
            }
            Action::Deleted(id, result) => {
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(()) => {
                        let published = self
                            .find(&id)
                            .is_some_and(|r| r.state == ReactionState::Published);
                        let top = self.reactions.iter().any(|r| r.id == id);
                        self.reactions.retain(|r| r.id != id);
                        for r in &mut self.reactions {
                            r.replies.retain(|x| x.id != id);
                        }
                        if published {
                            if let Some(seen) = &mut self.seen {
                                *seen = seen.saturating_sub(1);
                            }
                            if top {
                                self.total = self.total.saturating_sub(1);
                            }
                        }
                        if self.open.as_ref().is_some_and(|o| o.id() == id) {
                            self.open = None;
                        }
                        let text = t(self.lang, Key::Deleted).to_owned();
                        self.say(None, text, false);
                        self.focus_on("form-status".into());
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(id), text, true);
                    }
                }
            }
            Action::ReportDone(id, result) => {
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(()) => {
                        self.open = None;
                        if !self.reported.contains(&id) {
                            self.reported.push(id.clone());
                        }
                        let text = t(self.lang, Key::Reported).to_owned();
                        self.say(Some(id.clone()), text, false);
                        self.focus_on(["m-", &id].concat());
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(id), text, true);
                    }
                }
            }
            Action::Agree(id) => {
                if !self.busy.contains(&id) {
                    self.busy.push(id);
                }
            }
            Action::AgreeDone(id, result) => {
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(state) => {
                        if let Some(r) = find_mut(&mut self.reactions, &id) {
                            r.agreed = state.agreed;
                            r.agree_count = state.agree_count;
                        }
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(Some(id), text, true);
                    }
                }
            }
        }
    }
}

impl Reducible for Talk {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use mekaar_api::discussions::Thread;

    pub fn reaction(id: &str) -> Reaction {
        Reaction {
            id: id.into(),
            text: ["Tekst van ", id].concat(),
            name: String::new(),
            stance: None,
            reply_to: None,
            badge: None,
            created_at: 1_700_000_000,
            edited: false,
            state: ReactionState::Published,
            agree_count: 0,
            agreed: false,
            editable_until: None,
            replies: Vec::new(),
        }
    }

    pub fn view(ids: &[&str], count: u64, page: u32, total: u64) -> ThreadView {
        ThreadView {
            thread: Thread {
                kind: ThreadKind::Initiative,
                id: "aed".into(),
                title: "AED bij de kerk".into(),
                intro: String::new(),
                open: true,
                closes_at: None,
                reaction_count: count,
                stances: true,
            },
            reactions: ids.iter().map(|id| reaction(id)).collect(),
            page,
            total,
            page_size: 2,
            version: count,
        }
    }

    pub fn loaded(ids: &[&str], count: u64) -> Talk {
        let mut s = Talk::new(Lang::Nl, true);
        s.apply(Action::Loaded(
            Ok(vec![view(ids, count, 0, count)]),
            Some("\"1\"".into()),
            false,
            1_700_000_100,
        ));
        s
    }

    #[test]
    fn targets_from_the_placeholder() {
        let attrs = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(String::new(), |(_, v)| (*v).to_owned())
            }
        };
        let t = Target::from_attrs(&attrs(&[("data-topic", " kermis ")])).unwrap();
        assert_eq!((t.kind, &*t.id), (ThreadKind::Topic, "kermis"));
        let t = Target::from_attrs(&attrs(&[("data-poll", "p1")])).unwrap();
        assert_eq!(t.kind, ThreadKind::Poll);
        let t = Target::from_attrs(&attrs(&[("data-initiative", "aed")])).unwrap();
        assert_eq!(t.kind, ThreadKind::Initiative);
        assert_eq!(Target::from_attrs(&attrs(&[("data-topic", " ")])), None);
        let q = Query {
            sort: ReactionSort::Agreed,
            stance: Some(Stance::Idea),
            pages: 1,
        };
        assert_eq!(q.search(2), "?sort=agreed&page=1&stance=idea");
    }

    #[test]
    fn new_reactions_are_announced_once_by_the_poll_and_drafts_survive() {
        let mut s = loaded(&["a", "b"], 2);
        assert_eq!(s.announce.1, "");
        // The resident is typing a reaction and a reply.
        s.apply(Action::Text("Ik ben het eens".into()));
        s.apply(Action::Open(Some(Open::Reply("b".into(), String::new()))));
        s.apply(Action::OpenText("Mee eens, en".into()));
        s.apply(Action::Loaded(
            Ok(vec![view(&["d", "c", "a", "b"], 4, 1, 4)]),
            Some("\"2\"".into()),
            true,
            1_700_000_200,
        ));
        assert_eq!(s.announce, (1, "2 nieuwe reacties".into()));
        assert_eq!(s.text, "Ik ben het eens");
        assert_eq!(s.open, Some(Open::Reply("b".into(), "Mee eens, en".into())));
        assert_eq!(s.etag.as_deref(), Some("\"2\""));
        assert_eq!(s.reactions.len(), 4);
        // The same count again: nothing new to say (the turn stays).
        s.apply(Action::Loaded(
            Ok(vec![view(&["d", "c", "a", "b"], 4, 1, 4)]),
            None,
            true,
            1_700_000_300,
        ));
        assert_eq!(s.announce.0, 1);
        // One more.
        s.apply(Action::Loaded(
            Ok(vec![view(&["e", "d", "c", "a", "b"], 5, 1, 5)]),
            None,
            true,
            1_700_000_300,
        ));
        assert_eq!(s.announce, (2, "1 nieuwe reactie".into()));
        // A reload (not the poll) never announces; a box whose reaction vanished closes.
        s.apply(Action::Loaded(
            Ok(vec![view(&["a"], 9, 1, 1)]),
            None,
            false,
            1_700_000_300,
        ));
        assert_eq!(s.announce.0, 2);
        assert_eq!(s.open, None);
    }

    #[test]
    fn posting_checks_the_text_and_own_posts_are_not_new() {
        let mut s = loaded(&["a"], 1);
        s.apply(Action::Submit);
        assert_eq!(s.error, Some(FieldError::Required));
        assert!(!s.sending);
        assert_eq!(s.post_request(), None);
        s.apply(Action::Text("x".repeat(limits::TEXT + 1)));
        assert_eq!(s.error, Some(FieldError::TooLong(limits::TEXT)));
        s.apply(Action::Text("  Goed idee  ".into()));
        assert_eq!(s.error, None);
        s.apply(Action::Name("Anna".into()));
        s.apply(Action::Stance(Some(Stance::For)));
        let request = s.post_request().unwrap();
        assert_eq!(request.text, "Goed idee");
        assert_eq!(request.stance, Some(Stance::For));
        assert_eq!(request.website, "");
        s.apply(Action::Submit);
        assert!(s.sending);
        assert_eq!(s.post_request(), None, "one post at a time");
        let mut mine = reaction("mine");
        mine.editable_until = Some(1_700_000_900);
        s.apply(Action::Posted(Ok(mine), 1_700_000_100));
        assert!(!s.sending);
        assert_eq!(s.text, "");
        assert_eq!(s.name, "Anna", "the name stays for the next one");
        assert_eq!(s.reactions[0].id, "mine");
        assert!(s.editable(&s.reactions[0]));
        assert_eq!(s.notice.as_ref().unwrap().text, "Je reactie staat erbij.");
        // The poll then sees 2 published: not new for this resident.
        s.apply(Action::Loaded(
            Ok(vec![view(&["mine", "a"], 2, 1, 2)]),
            None,
            true,
            1_700_001_000,
        ));
        assert_eq!(s.announce.0, 0);
        assert!(!s.editable(&s.reactions[0]), "the window is over");
    }

    #[test]
    fn a_pending_reaction_says_it_waits_and_refusals_are_worded() {
        let mut s = loaded(&["a"], 1);
        s.apply(Action::Text("Zie https://example.org".into()));
        s.apply(Action::Submit);
        let mut held = reaction("held");
        held.state = ReactionState::Pending;
        s.apply(Action::Posted(Ok(held), 1_700_000_100));
        assert!(s
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("wacht op moderatie"));
        assert_eq!(s.seen, Some(1));
        s.apply(Action::Text("Nog een".into()));
        s.apply(Action::Submit);
        s.apply(Action::Posted(
            Err(Failure {
                problem: Problem::RateLimited,
                field: None,
                wait: Some(300),
            }),
            0,
        ));
        let notice = s.notice.clone().unwrap();
        assert!(notice.alert);
        assert_eq!(
            notice.text,
            "Je hebt net veel reacties geplaatst. Probeer het over 5 min. opnieuw."
        );
        assert_eq!(s.text, "Nog een", "a refused text stays");
        for (problem, words) in [
            (Problem::ThreadClosed, "gesloten"),
            (Problem::EditWindowOver, "15 minuten"),
            (Problem::DuplicateReaction, "al geplaatst"),
            (Problem::SpamSuspected, "spam"),
            (Problem::InvalidField, "Controleer"),
            (Problem::NotYourReaction, "schreef"),
            (Problem::InvalidReply, "antwoorden"),
        ] {
            assert!(
                failure_text(Lang::Nl, &problem.into()).contains(words),
                "{problem:?}"
            );
        }
    }

    #[test]
    fn replies_agrees_edits_reports_and_deletes() {
        let mut s = loaded(&["a", "b"], 2);
        s.apply(Action::Open(Some(Open::Reply("a".into(), String::new()))));
        assert_eq!(s.focus.1.as_deref(), Some("o-a"));
        s.apply(Action::SubmitOpen);
        assert_eq!(s.open_error, Some(FieldError::Required));
        s.apply(Action::OpenText("Klopt".into()));
        assert_eq!(s.open_error, None);
        let Some(Request::Post(post)) = s.open_request() else {
            panic!("a reply")
        };
        assert_eq!(post.reply_to.as_deref(), Some("a"));
        s.apply(Action::SubmitOpen);
        assert_eq!(s.open_request(), None, "busy");
        let mut reply = reaction("r");
        reply.reply_to = Some("a".into());
        reply.editable_until = Some(1_700_000_900);
        s.apply(Action::Replied(Ok(reply), 1_700_000_100));
        assert_eq!(s.reactions[0].replies[0].id, "r");
        assert_eq!(s.open, None);
        assert_eq!(s.total, 2, "a reply is no top-level reaction");
        // Agree.
        s.apply(Action::Agree("b".into()));
        assert!(s.busy.contains(&"b".to_string()));
        s.apply(Action::AgreeDone(
            "b".into(),
            Ok(AgreeState {
                agreed: true,
                agree_count: 3,
            }),
        ));
        assert!(s.reactions[1].agreed);
        assert_eq!(s.reactions[1].agree_count, 3);
        // Edit the reply.
        s.apply(Action::Open(Some(Open::Edit("r".into(), "Klopt".into()))));
        s.apply(Action::OpenText("Klopt helemaal".into()));
        assert_eq!(
            s.open_request(),
            Some(Request::Edit(
                "r".into(),
                ReactionEdit {
                    text: "Klopt helemaal".into()
                }
            ))
        );
        s.apply(Action::SubmitOpen);
        let mut edited = reaction("r");
        edited.text = "Klopt helemaal".into();
        edited.edited = true;
        s.apply(Action::Edited(Ok(edited)));
        assert!(s.find("r").unwrap().edited);
        // Report.
        s.apply(Action::Open(Some(Open::Report("b".into(), String::new()))));
        s.apply(Action::OpenText("Scheldwoord".into()));
        assert_eq!(
            s.open_request(),
            Some(Request::Report("b".into(), "Scheldwoord".into()))
        );
        s.apply(Action::SubmitOpen);
        s.apply(Action::ReportDone("b".into(), Ok(())));
        assert_eq!(s.reported, vec!["b".to_string()]);
        // Delete the reply.
        s.apply(Action::Delete("r".into()));
        s.apply(Action::Deleted("r".into(), Ok(())));
        assert!(s.find("r").is_none());
        assert_eq!(s.notice.as_ref().unwrap().text, "Je reactie is verwijderd.");
    }

    #[test]
    fn sorting_filtering_and_paging() {
        let mut s = loaded(&["a", "b"], 5);
        s.total = 5;
        assert!(s.has_more());
        s.apply(Action::More);
        assert!(s.loading_more);
        assert_eq!(s.more, 1);
        s.apply(Action::More);
        assert_eq!(s.more, 1, "one page at a time");
        s.apply(Action::MoreLoaded(Ok(view(&["b", "c", "d"], 5, 1, 5))));
        assert_eq!(
            s.reactions
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert_eq!(s.query.pages, 2);
        assert_eq!(s.focus.1.as_deref(), Some("r-b"));
        let load = s.load;
        s.apply(Action::Sort(ReactionSort::Agreed));
        assert_eq!((s.load, s.query.pages), (load + 1, 1));
        s.apply(Action::Filter(Some(Stance::Question)));
        assert_eq!(s.load, load + 2);
        s.apply(Action::Filter(Some(Stance::Question)));
        assert_eq!(s.load, load + 2, "the same filter does not reload");
    }

    #[test]
    fn unconfigured_and_failed() {
        let s = Talk::new(Lang::En, false);
        assert_eq!(s.load, 0);
        assert_eq!(
            failure_text(Lang::En, s.failure.as_ref().unwrap()),
            "This widget is not set up correctly: the community or the topic is missing."
        );
        let mut s = Talk::new(Lang::Nl, true);
        s.apply(Action::Loaded(
            Err(Problem::Unreachable.into()),
            None,
            false,
            0,
        ));
        assert!(s.failure.is_some());
        s.apply(Action::Retry);
        assert_eq!((s.failure.clone(), s.load), (None, 2));
    }
}
