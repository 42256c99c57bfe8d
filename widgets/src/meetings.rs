//! The meetings family's state: the agenda (a community's coming meetings) and one
//! initiative's meetings, with "ik kom" and, for the initiator, the form that adds and
//! edits meetings. A pure reducer over [`Board`], tested natively; views in
//! `meetings_view.rs`, the browser side in `meetings_app.rs`, the next steps in `steps.rs`.
//!
//! Times are instants on the wire and shown in Dutch time (Europe/Amsterdam) whatever the
//! reader's own time zone: the community's clock. The initiator types a date and times,
//! read as Dutch time with the EU's summer-time rule (the console's topics screen does the
//! same), so a meeting typed as 20:00 in March or October is 20:00 in the village.

use crate::api::{Failure, Problem};
use crate::i18n::meet::{t, Key};
use crate::i18n::{fill_in, number, Key as MainKey, Lang};
use mekaar_api::meetings::{limits, AttendState, Meeting, MeetingEdit, MeetingInput, MeetingList};
use mekaar_api::CommunityPublic;
use std::rc::Rc;
use yew::Reducible;

// ---- Dutch time -------------------------------------------------------------------------

pub use mekaar_api::dutch_time::{civil_from_days, days_from_civil, local, summer_time};

/// The Dutch day of `secs`, as a day number (meetings are grouped by it).
pub fn local_day(secs: u64) -> i64 {
    local(secs).div_euclid(86_400)
}

/// A typed date (`2026-12-12`) and time (`20:00`) read as Dutch time. A time that does not
/// exist (the hour skipped in March) counts as winter time, one that occurs twice (October)
/// as its first occurrence. `None` for an empty or impossible value.
pub fn from_inputs(date: &str, time: &str) -> Option<u64> {
    let mut date = date.trim().split('-');
    let y: i64 = date.next()?.parse().ok()?;
    let m: u32 = date.next()?.parse().ok()?;
    let d: u32 = date.next()?.parse().ok()?;
    let mut time = time.trim().split(':');
    let hh: i64 = time.next()?.parse().ok()?;
    let mm: i64 = time.next()?.parse().ok()?;
    if date.next().is_some() {
        return None;
    }
    mekaar_api::dutch_time::from_local(y, m, d, hh, mm)
}

/// `secs` as the form's inputs in Dutch time: (`2026-12-12`, `20:00`).
pub fn to_inputs(secs: u64) -> (String, String) {
    let local = local(secs);
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let in_day = local.rem_euclid(86_400);
    let two = |n: i64| {
        let mut s = String::new();
        if n < 10 {
            s.push('0');
        }
        s.push_str(&n.to_string());
        s
    };
    let date = [
        y.to_string(),
        "-".into(),
        two(i64::from(m)),
        "-".into(),
        two(i64::from(d)),
    ]
    .concat();
    let time = [two(in_day / 3_600), ":".into(), two(in_day % 3_600 / 60)].concat();
    (date, time)
}

/// How a moment is written: in the browser by `Intl` in Dutch time (`toLocaleString` with
/// `timeZone: "Europe/Amsterdam"`) in the widget's language; natively (tests) the same
/// words from the rule above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// "za" / "Sat".
    Weekday,
    /// "12".
    Day,
    /// "dec" / "Dec".
    Month,
    /// "20:00".
    Clock,
    /// "zaterdag 12 december" / "Saturday 12 December".
    Long,
}

#[cfg(target_arch = "wasm32")]
pub fn write(lang: Lang, secs: u64, style: Style) -> String {
    use wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    let options = js_sys::Object::new();
    let set = |name: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    };
    set("timeZone", "Europe/Amsterdam");
    match style {
        Style::Weekday => set("weekday", "short"),
        Style::Day => set("day", "numeric"),
        Style::Month => set("month", "short"),
        Style::Clock => {
            set("hour", "2-digit");
            set("minute", "2-digit");
            set("hourCycle", "h23");
        }
        Style::Long => {
            set("weekday", "long");
            set("day", "numeric");
            set("month", "long");
        }
    }
    let locale = match lang {
        Lang::Nl => "nl-NL",
        Lang::En => "en-GB",
    };
    let s: String = date.to_locale_string(locale, &options).into();
    // Some versions write "dec." for the short month: the tile has no room for a dot.
    s.trim_end_matches('.').to_owned()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn write(lang: Lang, secs: u64, style: Style) -> String {
    const WEEKDAYS: [[&str; 7]; 2] = [
        [
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ],
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
    ];
    const MONTHS: [[&str; 12]; 2] = [
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    ];
    let local = local(secs);
    let day = local.div_euclid(86_400);
    let (_, m, d) = civil_from_days(day);
    let weekday = WEEKDAYS[lang as usize][(day + 3).rem_euclid(7) as usize];
    let month = MONTHS[lang as usize][m as usize - 1];
    let short = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    match style {
        Style::Weekday => short(weekday, if lang == Lang::Nl { 2 } else { 3 }),
        Style::Day => d.to_string(),
        Style::Month => match (lang, m) {
            (Lang::Nl, 3) => "mrt".into(),
            _ => short(month, 3),
        },
        Style::Clock => to_inputs(secs).1,
        Style::Long => [weekday, " ", &d.to_string(), " ", month].concat(),
    }
}

/// "20:00 – 22:00" (the end's date too when it is another day).
pub fn time_range(lang: Lang, m: &Meeting) -> String {
    let mut s = write(lang, m.starts_at, Style::Clock);
    s.push_str(" \u{2013} ");
    if local_day(m.ends_at) != local_day(m.starts_at) {
        s.push_str(&write(lang, m.ends_at, Style::Long));
        s.push(' ');
    }
    s.push_str(&write(lang, m.ends_at, Style::Clock));
    s
}

// ---- Meetings, counts and words ---------------------------------------------------------

/// "12 komen · nog 3 plaatsen", "30 komen · vol", "Nog niemand aangemeld".
pub fn count_text(lang: Lang, m: &Meeting) -> String {
    let n = m.attendee_count;
    let mut s = match n {
        0 => t(lang, Key::ComingNone).to_owned(),
        1 => fill_in(t(lang, Key::ComingOne), &number(lang, 1), ""),
        _ => fill_in(t(lang, Key::ComingOther), &number(lang, n), ""),
    };
    if let Some(capacity) = m.capacity {
        s.push_str(" \u{b7} ");
        let left = u64::from(capacity).saturating_sub(n);
        match left {
            0 => s.push_str(t(lang, Key::Full)),
            1 => s.push_str(t(lang, Key::PlacesOne)),
            _ => s.push_str(&fill_in(t(lang, Key::PlacesOther), &number(lang, left), "")),
        }
    }
    s
}

/// What to tell a resident about a failure in these widgets.
pub fn failure_text(lang: Lang, f: &Failure) -> String {
    let key = match f.problem {
        Problem::MeetingFull => Key::ErrFull,
        Problem::MeetingClosed => Key::ErrClosed,
        Problem::MeetingNotFound => Key::ErrMeetingNotFound,
        Problem::MeetingInPast => Key::ErrInPast,
        Problem::MeetingEndBeforeStart => Key::ErrEndBeforeStart,
        Problem::StepNotFound => Key::ErrStepNotFound,
        Problem::StepLocked => Key::ErrStepLocked,
        Problem::OriginNotAllowed => Key::ErrOriginNotAllowed,
        Problem::InvalidField => {
            let mut s = String::from(crate::i18n::t(lang, MainKey::ErrField));
            if let Some(field) = &f.field {
                s.push_str(" (");
                s.push_str(field);
                s.push(')');
            }
            return s;
        }
        Problem::RateLimited => {
            let mut s = String::from(crate::i18n::t(lang, MainKey::ErrRateLimited));
            s.push(' ');
            match f.wait {
                Some(secs) => s.push_str(&crate::i18n::fill(
                    lang,
                    MainKey::TryInMinutes,
                    &crate::text::wait_minutes(secs).to_string(),
                    "",
                )),
                None => s.push_str(crate::i18n::t(lang, MainKey::TryLater)),
            }
            return s;
        }
        other => return crate::i18n::t(lang, other.key()).to_owned(),
    };
    t(lang, key).to_owned()
}

/// `{community}/meetings/{m}.ics` and the like: `https://` made `webcal://` (a
/// subscription: the calendar app keeps asking).
pub fn webcal(url: &str) -> String {
    for scheme in ["https://", "http://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            return ["webcal://", rest].concat();
        }
    }
    url.to_owned()
}

// ---- The initiator's form ---------------------------------------------------------------

/// A field of the meeting form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum F {
    Title,
    Date,
    Start,
    End,
    Place,
    Online,
    Capacity,
    Description,
}

impl F {
    pub const ALL: [F; 8] = [
        F::Title,
        F::Date,
        F::Start,
        F::End,
        F::Place,
        F::Online,
        F::Capacity,
        F::Description,
    ];

    /// The id name of its input (`f-title`, …).
    pub fn name(self) -> &'static str {
        match self {
            F::Title => "title",
            F::Date => "date",
            F::Start => "start",
            F::End => "end",
            F::Place => "place",
            F::Online => "online",
            F::Capacity => "capacity",
            F::Description => "description",
        }
    }

    /// The field a server's `invalid_field` names, by its wire name.
    pub fn of_wire(name: &str) -> Option<F> {
        Some(match name {
            "title" => F::Title,
            "starts_at" => F::Start,
            "ends_at" => F::End,
            "place" => F::Place,
            "online_url" => F::Online,
            "capacity" => F::Capacity,
            "description" => F::Description,
            _ => return None,
        })
    }
}

/// A problem with one field, said at that field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wrong {
    Required,
    TooLong(usize),
    Where,
    Url,
    Capacity,
    EndBeforeStart,
    TooLongMeeting,
    InPast,
    Date,
    /// A server's refusal, worded.
    Said(String),
}

impl Wrong {
    pub fn text(&self, lang: Lang) -> String {
        let key = match self {
            Wrong::Required => return crate::i18n::t(lang, MainKey::ErrRequired).to_owned(),
            Wrong::TooLong(n) => {
                return fill_in(t(lang, Key::ErrTooLong), &number(lang, *n as u64), "")
            }
            Wrong::Capacity => {
                return fill_in(
                    t(lang, Key::ErrCapacity),
                    &number(lang, u64::from(limits::CAPACITY_MAX)),
                    "",
                )
            }
            Wrong::Said(s) => return s.clone(),
            Wrong::Where => Key::ErrWhere,
            Wrong::Url => Key::ErrUrl,
            Wrong::EndBeforeStart => Key::ErrEndBeforeStart,
            Wrong::TooLongMeeting => Key::ErrTooLongMeeting,
            Wrong::InPast => Key::ErrInPast,
            Wrong::Date => Key::ErrDate,
        };
        t(lang, key).to_owned()
    }
}

/// What the initiator types: a new meeting (`id` `None`) or a change of one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub id: Option<String>,
    pub title: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub online: String,
    pub capacity: String,
    pub description: String,
    pub wrong: Vec<(F, Wrong)>,
    /// A refusal that belongs to no one field.
    pub failure: Option<String>,
    pub sending: bool,
}

impl Draft {
    /// The form filled with `m`, to change it.
    pub fn of(m: &Meeting) -> Draft {
        let (date, start) = to_inputs(m.starts_at);
        let (_, end) = to_inputs(m.ends_at);
        Draft {
            id: Some(m.id.clone()),
            title: m.title.clone(),
            date,
            start,
            end,
            place: m.place.clone().unwrap_or_default(),
            online: m.online_url.clone().unwrap_or_default(),
            capacity: m.capacity.map(|c| c.to_string()).unwrap_or_default(),
            description: m.description.clone(),
            ..Draft::default()
        }
    }

    pub fn get(&self, f: F) -> &str {
        match f {
            F::Title => &self.title,
            F::Date => &self.date,
            F::Start => &self.start,
            F::End => &self.end,
            F::Place => &self.place,
            F::Online => &self.online,
            F::Capacity => &self.capacity,
            F::Description => &self.description,
        }
    }

    fn get_mut(&mut self, f: F) -> &mut String {
        match f {
            F::Title => &mut self.title,
            F::Date => &mut self.date,
            F::Start => &mut self.start,
            F::End => &mut self.end,
            F::Place => &mut self.place,
            F::Online => &mut self.online,
            F::Capacity => &mut self.capacity,
            F::Description => &mut self.description,
        }
    }

    pub fn wrong(&self, f: F) -> Option<&Wrong> {
        self.wrong.iter().find(|(x, _)| *x == f).map(|(_, w)| w)
    }

    /// The meeting as typed, or what is wrong with it, field by field. `now`: a new
    /// meeting cannot start before it.
    pub fn check(&self, now: u64) -> Result<MeetingInput, Vec<(F, Wrong)>> {
        let mut wrong = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        let title = self.title.trim();
        if title.is_empty() {
            wrong.push((F::Title, Wrong::Required));
        } else if len(title) > limits::TITLE {
            wrong.push((F::Title, Wrong::TooLong(limits::TITLE)));
        }
        for f in [F::Date, F::Start, F::End] {
            if self.get(f).trim().is_empty() {
                wrong.push((f, Wrong::Required));
            }
        }
        let starts = from_inputs(&self.date, &self.start);
        let ends = from_inputs(&self.date, &self.end);
        if !self.date.trim().is_empty() && !self.start.trim().is_empty() {
            match starts {
                None => wrong.push((F::Date, Wrong::Date)),
                Some(s) if self.id.is_none() && s < now => wrong.push((F::Start, Wrong::InPast)),
                Some(_) => {}
            }
        }
        if let (Some(s), Some(e)) = (starts, ends) {
            if e <= s {
                wrong.push((F::End, Wrong::EndBeforeStart));
            } else if e - s > limits::DURATION_MAX {
                wrong.push((F::End, Wrong::TooLongMeeting));
            }
        } else if starts.is_some() && !self.end.trim().is_empty() {
            wrong.push((F::End, Wrong::Date));
        }
        let place = self.place.trim();
        let online = self.online.trim();
        if place.is_empty() && online.is_empty() {
            wrong.push((F::Place, Wrong::Where));
        }
        if len(place) > limits::PLACE {
            wrong.push((F::Place, Wrong::TooLong(limits::PLACE)));
        }
        if !online.is_empty() {
            let scheme = online.starts_with("https://") || online.starts_with("http://");
            if !scheme || online.contains(char::is_whitespace) || online.len() < 11 {
                wrong.push((F::Online, Wrong::Url));
            } else if len(online) > limits::URL {
                wrong.push((F::Online, Wrong::TooLong(limits::URL)));
            }
        }
        let capacity = self.capacity.trim();
        let capacity = if capacity.is_empty() {
            None
        } else {
            match capacity.parse::<u32>() {
                Ok(n) if (1..=limits::CAPACITY_MAX).contains(&n) => Some(n),
                _ => {
                    wrong.push((F::Capacity, Wrong::Capacity));
                    None
                }
            }
        };
        if self.description.chars().count() > limits::DESCRIPTION {
            wrong.push((F::Description, Wrong::TooLong(limits::DESCRIPTION)));
        }
        match (starts, ends) {
            (Some(starts_at), Some(ends_at)) if wrong.is_empty() => Ok(MeetingInput {
                title: title.to_owned(),
                starts_at,
                ends_at,
                place: (!place.is_empty()).then(|| place.to_owned()),
                online_url: (!online.is_empty()).then(|| online.to_owned()),
                capacity,
                description: self.description.trim().to_owned(),
            }),
            _ => Err(wrong),
        }
    }
}

/// A change of a meeting as a whole: every field given, removed ones as `null`.
pub fn edit_of(input: MeetingInput) -> MeetingEdit {
    MeetingEdit {
        title: Some(input.title),
        starts_at: Some(input.starts_at),
        ends_at: Some(input.ends_at),
        place: Some(input.place),
        online_url: Some(input.online_url),
        capacity: Some(input.capacity),
        description: Some(input.description),
        cancelled: None,
    }
}

// ---- The board: the agenda or one initiative's meetings ---------------------------------

/// Which list a board shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The community's agenda (`data-mekaar="agenda"`).
    Agenda,
    /// One initiative's meetings (`data-mekaar="meetings"`).
    Initiative,
}

/// A message at one meeting (its id) or at the top (`""`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub at: String,
    pub text: String,
    pub alert: bool,
}

/// The widget's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    pub lang: Lang,
    pub scope: Scope,
    pub configured: bool,
    /// The initiator's own page (`data-as="initiator"` with the manage token).
    pub initiator: bool,
    /// The community (the agenda's areas and initiatives page); `None` until known.
    pub community: Option<CommunityPublic>,
    pub list: Option<MeetingList>,
    pub failure: Option<Failure>,
    /// The agenda's area filter ("" all).
    pub area: String,
    /// Bumped to (re)load the list.
    pub load: u32,
    /// Meetings this resident said "ik kom" to.
    pub attending: Vec<String>,
    /// Meetings with a request under way.
    pub busy: Vec<String>,
    pub notice: Option<Notice>,
    pub past_open: bool,
    pub draft: Option<Draft>,
    /// The polite live region: `(turn, text)`.
    pub announce: (u32, String),
    /// Where the focus goes after a change: `(turn, id name)`.
    pub focus: (u32, Option<String>),
}

#[derive(Debug)]
pub enum Action {
    Loaded(Result<MeetingList, Failure>),
    Community(CommunityPublic),
    /// The resident's "ik kom" of one meeting, as the server knows it.
    Attendance(String, AttendState),
    Area(String),
    Retry,
    TogglePast,
    /// "ik kom" pressed: the app sends PUT or DELETE.
    Attend(String),
    Attended(String, Result<AttendState, Failure>),
    /// Opens the form (a new meeting, or a change of one), or closes it.
    Open(Option<Draft>),
    Input(F, String),
    /// The form's submit: checks the fields, then the app sends.
    Submit(u64),
    Saved(Result<Meeting, Failure>),
    /// Call off (`true`) or reinstate (`false`) a meeting.
    CallOff(String),
    CalledOff(String, Result<Meeting, Failure>),
}

impl Board {
    pub fn new(lang: Lang, scope: Scope, configured: bool, initiator: bool, area: &str) -> Board {
        Board {
            lang,
            scope,
            configured,
            initiator,
            community: None,
            list: None,
            failure: (!configured).then(|| Problem::Misconfigured.into()),
            area: area.trim().to_owned(),
            load: u32::from(configured),
            attending: Vec::new(),
            busy: Vec::new(),
            notice: None,
            past_open: false,
            draft: None,
            announce: (0, String::new()),
            focus: (0, None),
        }
    }

    pub fn find(&self, id: &str) -> Option<&Meeting> {
        let list = self.list.as_ref()?;
        list.upcoming
            .iter()
            .chain(list.past.iter())
            .find(|m| m.id == id)
    }

    fn find_mut(&mut self, id: &str) -> Option<&mut Meeting> {
        let list = self.list.as_mut()?;
        list.upcoming
            .iter_mut()
            .chain(list.past.iter_mut())
            .find(|m| m.id == id)
    }

    pub fn attends(&self, id: &str) -> bool {
        self.attending.iter().any(|a| a == id)
    }

    /// Whether "ik kom" can be pressed for `m` (a resident already coming can always
    /// withdraw).
    pub fn can_attend(&self, m: &Meeting) -> bool {
        !m.cancelled && (self.attends(&m.id) || !m.is_full())
    }

    /// The upcoming meetings grouped by their Dutch day, soonest first.
    pub fn days(&self) -> Vec<(i64, Vec<&Meeting>)> {
        let mut days: Vec<(i64, Vec<&Meeting>)> = Vec::new();
        let Some(list) = &self.list else {
            return days;
        };
        let mut upcoming: Vec<&Meeting> = list.upcoming.iter().collect();
        upcoming.sort_by_key(|m| (m.starts_at, m.id.clone()));
        for m in upcoming {
            let day = local_day(m.starts_at);
            match days.last_mut() {
                Some((d, list)) if *d == day => list.push(m),
                _ => days.push((day, vec![m])),
            }
        }
        days
    }

    /// The request of the form's submit, when its fields are fine.
    pub fn request(&self, now: u64) -> Option<(Option<String>, MeetingInput)> {
        let draft = self.draft.as_ref()?;
        if draft.sending {
            return None;
        }
        draft.check(now).ok().map(|input| (draft.id.clone(), input))
    }

    fn say(&mut self, at: &str, text: String, alert: bool) {
        self.notice = Some(Notice {
            at: at.to_owned(),
            text,
            alert,
        });
    }

    fn announce(&mut self, text: String) {
        self.announce = (self.announce.0.wrapping_add(1), text);
    }

    fn focus_on(&mut self, name: String) {
        self.focus = (self.focus.0.wrapping_add(1), Some(name));
    }

    fn reload(&mut self) {
        self.load = self.load.wrapping_add(1);
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loaded(Ok(list)) => {
                self.failure = None;
                // Who is coming is asked again for the meetings now listed.
                self.attending
                    .retain(|id| list.upcoming.iter().any(|m| m.id == *id));
                self.list = Some(list);
            }
            Action::Loaded(Err(f)) => self.failure = Some(f),
            Action::Community(c) => {
                // An area the community does not have: all areas (read again).
                if !self.area.is_empty() && !c.areas.contains(&self.area) {
                    self.area.clear();
                    self.reload();
                }
                self.community = Some(c);
            }
            Action::Attendance(id, state) => {
                if state.attending && !self.attends(&id) {
                    self.attending.push(id.clone());
                }
                if let Some(m) = self.find_mut(&id) {
                    m.attendee_count = state.attendee_count;
                }
            }
            Action::Area(area) => {
                if area != self.area {
                    self.area = area;
                    self.notice = None;
                    self.reload();
                }
            }
            Action::Retry => {
                if self.configured {
                    self.failure = None;
                    self.reload();
                }
            }
            Action::TogglePast => self.past_open = !self.past_open,
            Action::Attend(id) => {
                if !self.busy.contains(&id) {
                    self.busy.push(id);
                }
            }
            Action::Attended(id, result) => {
                self.busy.retain(|b| *b != id);
                let title = self.find(&id).map(|m| m.title.clone()).unwrap_or_default();
                match result {
                    Ok(state) => {
                        self.attending.retain(|a| *a != id);
                        if state.attending {
                            self.attending.push(id.clone());
                        }
                        if let Some(m) = self.find_mut(&id) {
                            m.attendee_count = state.attendee_count;
                        }
                        let key = if state.attending {
                            Key::Attended
                        } else {
                            Key::Withdrawn
                        };
                        self.notice = None;
                        self.announce(fill_in(t(self.lang, key), &title, ""));
                    }
                    Err(f) => {
                        if f.problem == Problem::MeetingFull {
                            // Show it as full: the count the server has is at least that.
                            if let Some(m) = self.find_mut(&id) {
                                if let Some(c) = m.capacity {
                                    m.attendee_count = m.attendee_count.max(u64::from(c));
                                }
                            }
                        }
                        let text = failure_text(self.lang, &f);
                        self.say(&id, text, true);
                    }
                }
            }
            Action::Open(draft) => {
                self.notice = None;
                let back = self.draft.as_ref().map(|d| {
                    d.id.as_ref()
                        .map_or("b-add".into(), |id| ["b-edit-", id].concat())
                });
                let to = draft.as_ref().map(|_| "f-title".to_owned());
                self.draft = draft;
                if let Some(name) = to.or(back) {
                    self.focus_on(name);
                }
            }
            Action::Input(f, value) => {
                if let Some(d) = &mut self.draft {
                    *d.get_mut(f) = value;
                    d.wrong.retain(|(x, _)| *x != f);
                }
            }
            Action::Submit(now) => {
                let Some(d) = &mut self.draft else {
                    return;
                };
                if d.sending {
                    return;
                }
                d.failure = None;
                match d.check(now) {
                    Ok(_) => {
                        d.wrong.clear();
                        d.sending = true;
                    }
                    Err(wrong) => {
                        let first = F::ALL
                            .into_iter()
                            .find(|f| wrong.iter().any(|(x, _)| x == f));
                        d.wrong = wrong;
                        if let Some(f) = first {
                            self.focus_on(["f-", f.name()].concat());
                        }
                    }
                }
            }
            Action::Saved(result) => {
                let lang = self.lang;
                let Some(d) = &mut self.draft else {
                    return;
                };
                d.sending = false;
                match result {
                    Ok(m) => {
                        self.draft = None;
                        self.say("", t(lang, Key::Saved).to_owned(), false);
                        // Its place in the list is the server's: read the list again.
                        if let Some(list) = &mut self.list {
                            list.upcoming.retain(|x| x.id != m.id);
                            list.past.retain(|x| x.id != m.id);
                            list.upcoming.push(m);
                        }
                        self.reload();
                        self.focus_on("status".into());
                    }
                    Err(f) => {
                        let text = failure_text(lang, &f);
                        let field = match f.problem {
                            Problem::MeetingInPast => Some(F::Start),
                            Problem::MeetingEndBeforeStart => Some(F::End),
                            Problem::InvalidField => f.field.as_deref().and_then(F::of_wire),
                            _ => None,
                        };
                        match field {
                            Some(field) => {
                                let wrong = match f.problem {
                                    Problem::MeetingInPast => Wrong::InPast,
                                    Problem::MeetingEndBeforeStart => Wrong::EndBeforeStart,
                                    _ => Wrong::Said(text),
                                };
                                d.wrong = vec![(field, wrong)];
                                self.focus_on(["f-", field.name()].concat());
                            }
                            None => {
                                d.failure = Some(text);
                                self.focus_on("f-failure".into());
                            }
                        }
                    }
                }
            }
            Action::CallOff(id) => {
                if !self.busy.contains(&id) {
                    self.busy.push(id);
                }
            }
            Action::CalledOff(id, result) => {
                self.busy.retain(|b| *b != id);
                match result {
                    Ok(m) => {
                        let key = if m.cancelled {
                            Key::CalledOff
                        } else {
                            Key::Reinstated
                        };
                        if let Some(x) = self.find_mut(&id) {
                            *x = m;
                        }
                        let text = t(self.lang, key).to_owned();
                        self.say(&id, text, false);
                    }
                    Err(f) => {
                        let text = failure_text(self.lang, &f);
                        self.say(&id, text, true);
                    }
                }
            }
        }
    }
}

impl Reducible for Board {
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
    use crate::wire::tests::meeting;

    /// 2026-12-12 (a Saturday) 20:00 in Amsterdam (winter: UTC+1).
    pub const SAT_20: u64 = 1_797_102_000;

    pub fn upcoming(id: &str, starts_at: u64) -> Meeting {
        Meeting {
            starts_at,
            ends_at: starts_at + 7_200,
            cancelled: false,
            ..meeting(id, false)
        }
    }

    pub fn board(scope: Scope, list: Vec<Meeting>) -> Board {
        let mut b = Board::new(Lang::Nl, scope, true, false, "");
        b.apply(Action::Loaded(Ok(MeetingList {
            upcoming: list,
            past: Vec::new(),
        })));
        b
    }

    #[test]
    fn dutch_time_across_summer_time() {
        assert_eq!(to_inputs(SAT_20), ("2026-12-12".into(), "20:00".into()));
        assert_eq!(from_inputs("2026-12-12", "20:00"), Some(SAT_20));
        // Summer: 2026-07-01 20:00 CEST is 18:00 UTC.
        let july = from_inputs("2026-07-01", "20:00").unwrap();
        assert_eq!(july % 86_400, 18 * 3_600);
        assert_eq!(to_inputs(july).1, "20:00");
        // 29 March 2026: 02:30 does not exist (counts as winter time: 01:30 UTC); 03:30
        // is summer time (01:30 UTC as well).
        let skipped = from_inputs("2026-03-29", "02:30").unwrap();
        assert_eq!(skipped % 86_400, 3_600 + 1_800);
        let after = from_inputs("2026-03-29", "03:30").unwrap();
        assert_eq!(after % 86_400, 3_600 + 1_800);
        let before = from_inputs("2026-03-29", "01:30").unwrap();
        assert_eq!(before % 86_400, 1_800);
        // 25 October 2026: 02:30 happens twice; the first (summer) is 00:30 UTC.
        let twice = from_inputs("2026-10-25", "02:30").unwrap();
        assert_eq!(twice % 86_400, 1_800);
        assert_eq!(to_inputs(twice).1, "02:30");
        assert_eq!(to_inputs(twice + 3_600).1, "02:30", "the second 02:30");
        assert_eq!(from_inputs("2026-02-30", "20:00"), None);
        assert_eq!(from_inputs("2026-12-12", "24:00"), None);
        assert_eq!(from_inputs("", "20:00"), None);
        // The day changes at midnight Dutch time, not UTC.
        assert_eq!(local_day(SAT_20 + 3 * 3_600 + 59 * 60), local_day(SAT_20));
        assert_eq!(local_day(SAT_20 + 4 * 3_600), local_day(SAT_20) + 1);
    }

    #[test]
    fn words_for_a_moment() {
        assert_eq!(write(Lang::Nl, SAT_20, Style::Weekday), "za");
        assert_eq!(write(Lang::En, SAT_20, Style::Weekday), "Sat");
        assert_eq!(write(Lang::Nl, SAT_20, Style::Day), "12");
        assert_eq!(write(Lang::Nl, SAT_20, Style::Month), "dec");
        assert_eq!(write(Lang::Nl, SAT_20, Style::Long), "zaterdag 12 december");
        assert_eq!(write(Lang::En, SAT_20, Style::Long), "Saturday 12 December");
        let m = upcoming("m", SAT_20);
        assert_eq!(time_range(Lang::Nl, &m), "20:00 \u{2013} 22:00");
        let late = Meeting {
            ends_at: SAT_20 + 5 * 3_600,
            ..m
        };
        assert_eq!(
            time_range(Lang::Nl, &late),
            "20:00 \u{2013} zondag 13 december 01:00"
        );
        assert_eq!(
            webcal("https://m.example/api/v1/communities/d/meetings.ics"),
            "webcal://m.example/api/v1/communities/d/meetings.ics"
        );
    }

    #[test]
    fn counts_and_places() {
        let mut m = upcoming("m", SAT_20);
        m.attendee_count = 0;
        assert_eq!(count_text(Lang::Nl, &m), "Nog niemand aangemeld");
        m.attendee_count = 1;
        assert_eq!(count_text(Lang::Nl, &m), "1 komt");
        m.attendee_count = 12;
        m.capacity = Some(15);
        assert_eq!(count_text(Lang::Nl, &m), "12 komen \u{b7} nog 3 plaatsen");
        m.capacity = Some(13);
        assert_eq!(
            count_text(Lang::En, &m),
            "12 are coming \u{b7} 1 place left"
        );
        m.capacity = Some(12);
        assert_eq!(count_text(Lang::Nl, &m), "12 komen \u{b7} vol");
    }

    #[test]
    fn grouped_by_dutch_day_soonest_first() {
        let b = board(
            Scope::Agenda,
            vec![
                upcoming("late", SAT_20 + 86_400),
                upcoming("b", SAT_20 + 3_600),
                upcoming("a", SAT_20 - 10 * 3_600),
            ],
        );
        let days: Vec<Vec<&str>> = b
            .days()
            .into_iter()
            .map(|(_, list)| list.into_iter().map(|m| m.id.as_str()).collect())
            .collect();
        assert_eq!(days, vec![vec!["a", "b"], vec!["late"]]);
    }

    #[test]
    fn ik_kom_withdraw_and_refusals() {
        let mut full = upcoming("full", SAT_20);
        full.capacity = Some(12);
        let mut b = board(Scope::Initiative, vec![upcoming("m", SAT_20), full]);
        assert!(b.can_attend(b.find("m").unwrap()));
        assert!(!b.can_attend(b.find("full").unwrap()), "full");
        b.apply(Action::Attend("m".into()));
        assert_eq!(b.busy, vec!["m".to_string()]);
        b.apply(Action::Attended(
            "m".into(),
            Ok(AttendState {
                attending: true,
                attendee_count: 13,
                full: false,
            }),
        ));
        assert!(b.attends("m"));
        assert_eq!(b.find("m").unwrap().attendee_count, 13);
        assert_eq!(b.announce, (1, "Je komt naar Eerste bijeenkomst.".into()));
        b.apply(Action::Attended(
            "m".into(),
            Ok(AttendState {
                attending: false,
                attendee_count: 12,
                full: false,
            }),
        ));
        assert!(!b.attends("m"));
        assert!(b.announce.1.starts_with("Je bent afgemeld"));
        // Refused: full, closed.
        b.apply(Action::Attended(
            "m".into(),
            Err(Problem::MeetingClosed.into()),
        ));
        let n = b.notice.clone().unwrap();
        assert_eq!((n.at.as_str(), n.alert), ("m", true));
        assert!(n.text.contains("afgelast of voorbij"), "{}", n.text);
        b.apply(Action::Attended(
            "full".into(),
            Err(Problem::MeetingFull.into()),
        ));
        assert_eq!(b.notice.as_ref().unwrap().text, "Deze bijeenkomst is vol.");
        // Known attendance of the resident.
        b.apply(Action::Attendance(
            "full".into(),
            AttendState {
                attending: true,
                attendee_count: 12,
                full: true,
            },
        ));
        assert!(b.can_attend(b.find("full").unwrap()), "may withdraw");
        let mut off = upcoming("off", SAT_20);
        off.cancelled = true;
        assert!(!b.can_attend(&off));
    }

    #[test]
    fn the_area_filter_reloads_and_unknown_areas_are_dropped() {
        let mut b = Board::new(Lang::Nl, Scope::Agenda, true, false, "Nergens");
        let load = b.load + 1;
        b.apply(Action::Community(CommunityPublic {
            slug: "dorp".into(),
            name: "Dorp".into(),
            languages: vec![],
            areas: vec!["Kerkdorp".into()],
            themes: vec![],
            support_threshold: 50,
            moderation: Default::default(),
            initiatives_page: None,
            mail: false,
        }));
        assert_eq!((b.area.as_str(), b.load), ("", load));
        b.apply(Action::Area("Kerkdorp".into()));
        assert_eq!((b.area.as_str(), b.load), ("Kerkdorp", load + 1));
        b.apply(Action::Area("Kerkdorp".into()));
        assert_eq!(b.load, load + 1);
        let b = Board::new(Lang::En, Scope::Agenda, false, false, "");
        assert_eq!(b.load, 0);
        assert_eq!(
            failure_text(Lang::En, b.failure.as_ref().unwrap()),
            "This widget is not set up correctly: the community or the initiative is missing."
        );
    }

    #[test]
    fn the_form_checks_fields_and_places_refusals_at_them() {
        let now = SAT_20 - 86_400;
        let mut b = board(Scope::Initiative, vec![]);
        b.initiator = true;
        b.apply(Action::Open(Some(Draft::default())));
        assert_eq!(b.focus.1.as_deref(), Some("f-title"));
        b.apply(Action::Submit(now));
        let d = b.draft.as_ref().unwrap();
        assert_eq!(d.wrong(F::Title), Some(&Wrong::Required));
        assert_eq!(d.wrong(F::Date), Some(&Wrong::Required));
        assert_eq!(d.wrong(F::Place), Some(&Wrong::Where));
        assert!(!d.sending);
        assert_eq!(b.focus.1.as_deref(), Some("f-title"));
        for (f, v) in [
            (F::Title, "Eerste bijeenkomst"),
            (F::Date, "2026-12-12"),
            (F::Start, "20:00"),
            (F::End, "19:00"),
            (F::Online, "meet.example"),
            (F::Capacity, "0"),
        ] {
            b.apply(Action::Input(f, v.into()));
        }
        b.apply(Action::Submit(now));
        let d = b.draft.as_ref().unwrap();
        assert_eq!(d.wrong(F::End), Some(&Wrong::EndBeforeStart));
        assert_eq!(d.wrong(F::Online), Some(&Wrong::Url));
        assert_eq!(d.wrong(F::Capacity), Some(&Wrong::Capacity));
        assert_eq!(d.wrong(F::Place), None, "a link is a place");
        b.apply(Action::Input(F::End, "22:00".into()));
        b.apply(Action::Input(F::Online, "https://meet.example/aed".into()));
        b.apply(Action::Input(F::Capacity, " 30 ".into()));
        let (id, input) = b.request(now).unwrap();
        assert_eq!(id, None);
        assert_eq!((input.starts_at, input.ends_at), (SAT_20, SAT_20 + 7_200));
        assert_eq!(input.capacity, Some(30));
        assert_eq!(input.place, None);
        b.apply(Action::Submit(now));
        assert!(b.draft.as_ref().unwrap().sending);
        assert_eq!(b.request(now), None, "one at a time");
        // The server refuses: in the past (its clock), shown at the start time.
        b.apply(Action::Saved(Err(Problem::MeetingInPast.into())));
        let d = b.draft.as_ref().unwrap();
        assert_eq!(d.wrong(F::Start), Some(&Wrong::InPast));
        assert_eq!(b.focus.1.as_deref(), Some("f-start"));
        // A field the server names.
        b.apply(Action::Submit(now));
        b.apply(Action::Saved(Err(Failure {
            problem: Problem::InvalidField,
            field: Some("online_url".into()),
            wait: None,
        })));
        assert!(matches!(
            b.draft.as_ref().unwrap().wrong(F::Online),
            Some(Wrong::Said(_))
        ));
        // Anything else at the form.
        b.apply(Action::Submit(now));
        b.apply(Action::Saved(Err(Problem::InvalidManageToken.into())));
        assert!(b.draft.as_ref().unwrap().failure.is_some());
        // Saved: the form closes, the list reloads.
        let load = b.load;
        b.apply(Action::Submit(now));
        b.apply(Action::Saved(Ok(upcoming("new", SAT_20))));
        assert_eq!(b.draft, None);
        assert_eq!(b.load, load + 1);
        assert_eq!(
            b.notice.as_ref().unwrap().text,
            "De bijeenkomst is opgeslagen."
        );
        assert!(b.find("new").is_some());
    }

    #[test]
    fn editing_fills_the_form_in_dutch_time_and_calling_off_marks_it() {
        let mut m = upcoming("m", SAT_20);
        m.place = Some("Dorpshuis".into());
        m.capacity = Some(40);
        let d = Draft::of(&m);
        assert_eq!(
            (d.date.as_str(), d.start.as_str(), d.end.as_str()),
            ("2026-12-12", "20:00", "22:00")
        );
        assert_eq!(d.capacity, "40");
        // An edit of a meeting already under way may keep its start.
        let input = d.check(SAT_20 + 60).unwrap();
        let edit = edit_of(input);
        assert_eq!(edit.online_url, Some(None), "a removed link is null");
        assert_eq!(edit.cancelled, None);
        let mut b = board(Scope::Initiative, vec![m.clone()]);
        b.apply(Action::CallOff("m".into()));
        b.apply(Action::CalledOff(
            "m".into(),
            Ok(Meeting {
                cancelled: true,
                ..m
            }),
        ));
        assert!(b.find("m").unwrap().cancelled);
        assert_eq!(
            b.notice.as_ref().unwrap().text,
            "De bijeenkomst is afgelast."
        );
        assert!(b.busy.is_empty());
    }
}
