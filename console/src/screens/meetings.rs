//! An initiative's meetings ("bijeenkomsten") in the moderation screen's initiative view:
//! the list (upcoming and past, a called-off one marked "Afgelast") with how many residents
//! come and how many may, a form to add one or to change one, and calling one off or
//! putting it back on. Dates and times are typed and shown in Dutch time
//! (Europe/Amsterdam) with the helpers in `kit.rs`, as the topics' closing times are.
//!
//! Element ids: `#mod-meetings`; the list `#mod-meetings-list` with an `li.meeting-row`
//! (`#mod-meeting-{n}`, upcoming first, from 0) holding `.meeting-when`,
//! `.meeting-attending`, `.meeting-cancelled`, `#mod-meeting-{n}-edit` and
//! `#mod-meeting-{n}-cancel` (also "put back on"); `#mod-meetings-status`,
//! `#mod-meetings-error`. The form: `#meeting-title`, `#meeting-date`, `#meeting-start`,
//! `#meeting-end`, `#meeting-place`, `#meeting-online`, `#meeting-capacity`,
//! `#meeting-description`, `#meeting-save`, `#meeting-stop-editing`, a refusal at its
//! field `#meeting-{field}-error`, `#meeting-status`, `#meeting-error`.

use mekaar_api::meetings::{limits, Meeting, MeetingEdit, MeetingInput, MeetingList};
use yew::prelude::*;

use super::kit::{
    amsterdam_input_to_secs, area_text, focus_selector, input_text, secs_to_amsterdam_input,
};
use super::{format_dutch_time, ErrorAlert, LoadFailed, Loading, Status};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::use_session;

/// The local check of a title: empty.
pub const EMPTY_TITLE: &str = "meeting_empty_title";
/// The local check of a date or time: missing or not one.
pub const BAD_TIME: &str = "meeting_bad_time";

/// The body that calls a meeting off or puts it back on.
#[derive(serde::Serialize)]
struct CancelEdit {
    cancelled: bool,
}

/// The form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Draft {
    title: String,
    /// `2026-12-12`
    date: String,
    /// `19:30`
    start: String,
    end: String,
    place: String,
    online: String,
    capacity: String,
    description: String,
}

/// `(date, time)` of an instant in Dutch time.
fn date_and_time(secs: u64) -> (String, String) {
    let local = secs_to_amsterdam_input(secs);
    let (date, time) = local.split_once('T').unwrap_or((&local, ""));
    (date.to_string(), time.to_string())
}

impl Draft {
    fn of(m: &Meeting) -> Draft {
        let (date, start) = date_and_time(m.starts_at);
        let (_, end) = date_and_time(m.ends_at);
        Draft {
            title: m.title.clone(),
            date,
            start,
            end,
            place: m.place.clone().unwrap_or_default(),
            online: m.online_url.clone().unwrap_or_default(),
            capacity: m.capacity.map(|c| c.to_string()).unwrap_or_default(),
            description: m.description.clone(),
        }
    }
}

fn local_error(code: &str, field: &str) -> ApiError {
    let mut e = ApiError::local(code);
    e.field = Some(field.to_string());
    e
}

/// The form read as a [`MeetingInput`] (the end on the start's date), or the first field
/// the console itself finds wrong.
fn input_of(d: &Draft) -> Result<MeetingInput, ApiError> {
    let title = d.title.trim();
    if title.is_empty() {
        return Err(local_error(EMPTY_TITLE, "title"));
    }
    let at = |time: &str| amsterdam_input_to_secs(&format!("{}T{}", d.date.trim(), time.trim()));
    let starts_at = at(&d.start).ok_or_else(|| {
        let field = if amsterdam_input_to_secs(&format!("{}T12:00", d.date.trim())).is_none() {
            "date"
        } else {
            "start"
        };
        local_error(BAD_TIME, field)
    })?;
    let ends_at = at(&d.end).ok_or_else(|| local_error(BAD_TIME, "end"))?;
    let capacity = match d.capacity.trim() {
        "" => None,
        typed => Some(
            typed
                .parse::<u32>()
                .map_err(|_| local_error(super::steps::NOT_A_NUMBER, "capacity"))?,
        ),
    };
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(MeetingInput {
        title: title.to_string(),
        starts_at,
        ends_at,
        place: text(&d.place),
        online_url: text(&d.online),
        capacity,
        description: d.description.trim().to_string(),
    })
}

/// The change of `old` that the form holds: every field, the times only when they moved
/// (a meeting that has begun keeps its start).
fn edit_of(old: &Meeting, input: MeetingInput) -> MeetingEdit {
    MeetingEdit {
        title: Some(input.title),
        starts_at: (input.starts_at != old.starts_at).then_some(input.starts_at),
        ends_at: (input.ends_at != old.ends_at).then_some(input.ends_at),
        place: Some(input.place),
        online_url: Some(input.online_url),
        capacity: Some(input.capacity),
        description: Some(input.description),
        cancelled: None,
    }
}

/// The form field (its id's tail) a refusal is about, if any.
fn field_of(e: &ApiError) -> Option<&'static str> {
    use mekaar_api::ErrorCode;
    if e.is(ErrorCode::MeetingInPast) {
        return Some("date");
    }
    if e.is(ErrorCode::MeetingEndBeforeStart) {
        return Some("end");
    }
    Some(match e.field.as_deref()? {
        "title" => "title",
        "date" | "starts_at" => "date",
        "start" => "start",
        "end" | "ends_at" => "end",
        "place" => "place",
        "online_url" => "online",
        "capacity" => "capacity",
        "description" => "description",
        _ => return None,
    })
}

/// When a meeting is, in Dutch time: "12 dec 2026, 19:30 – 21:00".
fn when_text(m: &Meeting, lang: Lang) -> String {
    let (start_date, _) = date_and_time(m.starts_at);
    let (end_date, end_time) = date_and_time(m.ends_at);
    let end = if start_date == end_date {
        end_time
    } else {
        format_dutch_time(m.ends_at, lang)
    };
    format!("{} – {end}", format_dutch_time(m.starts_at, lang))
}

#[derive(Properties, PartialEq)]
pub struct InitiativeMeetingsProps {
    pub id: AttrValue,
}

/// The initiative's meetings and the form to add or change one.
#[function_component(InitiativeMeetingsCard)]
pub fn initiative_meetings_card(props: &InitiativeMeetingsProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let list_path = api::admin_path(
        &community,
        &format!("/initiatives/{}/meetings", api::encode_segment(&props.id)),
    );
    let meeting_path = {
        let community = community.clone();
        move |id: &str| {
            api::admin_path(
                &community,
                &format!("/meetings/{}", api::encode_segment(id)),
            )
        }
    };
    let list = use_state(|| None::<Result<MeetingList, ApiError>>);
    let reload = use_state(|| 0_u32);
    let editing = use_state(|| None::<Meeting>);
    let draft = use_state(Draft::default);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let list_said = use_state(|| None::<AttrValue>);
    let list_error = use_state(|| None::<ApiError>);
    {
        let (list, path) = (list.clone(), list_path.clone());
        use_effect_with((props.id.clone(), *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(api::get::<MeetingList>(&path).await));
            });
        });
    }
    let meetings: Vec<Meeting> = match &*list {
        None => return html! { <section class="card" id="mod-meetings"><Loading /></section> },
        Some(Err(e)) => {
            let reload = reload.clone();
            return html! {
                <section class="card" id="mod-meetings">
                    <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
                </section>
            };
        }
        Some(Ok(l)) => l.upcoming.iter().chain(&l.past).cloned().collect(),
    };

    let change = |edit: fn(&mut Draft, String)| {
        let (draft, said) = (draft.clone(), said.clone());
        move |value: String| {
            let mut d = (*draft).clone();
            edit(&mut d, value);
            draft.set(d);
            said.set(None);
        }
    };

    let onsubmit = {
        let (draft, editing, busy, said, error) = (
            draft.clone(),
            editing.clone(),
            busy.clone(),
            said.clone(),
            error.clone(),
        );
        let (reload, list_path, meeting_path) =
            (reload.clone(), list_path.clone(), meeting_path.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            said.set(None);
            let input = match input_of(&draft) {
                Ok(input) => input,
                Err(e) => {
                    let at = field_of(&e).unwrap_or("title");
                    error.set(Some(e));
                    focus_selector(&format!("#meeting-{at}"));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (draft, editing, busy, said, error, reload) = (
                draft.clone(),
                editing.clone(),
                busy.clone(),
                said.clone(),
                error.clone(),
                reload.clone(),
            );
            let old = (*editing).clone();
            let (list_path, meeting_path) = (list_path.clone(), meeting_path.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answer = match &old {
                    None => api::post::<_, Meeting>(&list_path, &input).await,
                    Some(old) => {
                        api::patch::<_, Meeting>(&meeting_path(&old.id), &edit_of(old, input)).await
                    }
                };
                busy.set(false);
                match answer {
                    Ok(m) => {
                        let text = if old.is_some() {
                            Key::CommonSaved.text(lang).to_string()
                        } else {
                            fill(Key::MeetingsAdded.text(lang), &[("title", &m.title)])
                        };
                        said.set(Some(text.into()));
                        draft.set(Draft::default());
                        editing.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        match field_of(&e) {
                            Some(at) => focus_selector(&format!("#meeting-{at}")),
                            None => super::kit::later(0, || focus_selector("#meeting-error")),
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };

    let row = |(n, m): (usize, &Meeting)| -> Html {
        let on_edit = {
            let (editing, draft, error, said) =
                (editing.clone(), draft.clone(), error.clone(), said.clone());
            let m = m.clone();
            Callback::from(move |_: MouseEvent| {
                draft.set(Draft::of(&m));
                editing.set(Some(m.clone()));
                error.set(None);
                said.set(None);
                super::kit::later(0, || focus_selector("#meeting-title"));
            })
        };
        let on_cancel = {
            let (busy, list_said, list_error, reload) = (
                busy.clone(),
                list_said.clone(),
                list_error.clone(),
                reload.clone(),
            );
            let path = meeting_path(&m.id);
            let cancelled = !m.cancelled;
            Callback::from(move |_: MouseEvent| {
                if *busy {
                    return;
                }
                busy.set(true);
                list_said.set(None);
                list_error.set(None);
                let (busy, list_said, list_error, reload) = (
                    busy.clone(),
                    list_said.clone(),
                    list_error.clone(),
                    reload.clone(),
                );
                let path = path.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    // Only `cancelled`: a `MeetingEdit` would send `"place": null`, which
                    // removes the place.
                    let body = CancelEdit { cancelled };
                    let answer = api::patch::<_, Meeting>(&path, &body).await;
                    busy.set(false);
                    match answer {
                        Ok(m) => {
                            let key = if m.cancelled {
                                Key::MeetingsCancelledSaid
                            } else {
                                Key::MeetingsReinstatedSaid
                            };
                            list_said
                                .set(Some(fill(key.text(lang), &[("title", &m.title)]).into()));
                            reload.set(*reload + 1);
                        }
                        Err(e) => {
                            list_error.set(Some(e));
                            super::kit::later(0, || focus_selector("#mod-meetings-error"));
                        }
                    }
                });
            })
        };
        let attending = match m.capacity {
            Some(cap) => fill(
                t(Key::MeetingsAttending),
                &[
                    ("n", &m.attendee_count.to_string()),
                    ("cap", &cap.to_string()),
                ],
            ),
            None => fill(
                t(Key::MeetingsAttendingOpen),
                &[("n", &m.attendee_count.to_string())],
            ),
        };
        let title_id = format!("mod-meeting-{n}-title");
        let (cancel_text, cancel_label) = if m.cancelled {
            (Key::MeetingsReinstate, Key::MeetingsReinstateLabel)
        } else {
            (Key::MeetingsCancel, Key::MeetingsCancelLabel)
        };
        html! {
            <li class={classes!("meeting-row", m.cancelled.then_some("cancelled"))} id={format!("mod-meeting-{n}")}
                key={m.id.clone()} aria-labelledby={title_id.clone()}>
                <h3 id={title_id}>
                    { &m.title }
                    if m.cancelled {
                        { " " }<span class="meeting-cancelled">{ t(Key::MeetingsCancelled) }</span>
                    }
                </h3>
                <p class="meeting-when">{ when_text(m, lang) }</p>
                if let Some(place) = &m.place {
                    <p class="meeting-place">{ place }</p>
                }
                if let Some(url) = &m.online_url {
                    <p class="meeting-online">{ t(Key::MeetingsOnline) }{ ": " }<span class="meeting-url">{ url }</span></p>
                }
                <p class="meeting-attending">{ attending }</p>
                <div class="actions">
                    <button type="button" id={format!("mod-meeting-{n}-edit")}
                        aria-label={fill(t(Key::MeetingsEditLabel), &[("title", &m.title)])}
                        onclick={on_edit}>{ t(Key::MeetingsEdit) }</button>
                    <button type="button" id={format!("mod-meeting-{n}-cancel")}
                        class={classes!((!m.cancelled).then_some("danger"))}
                        aria-label={fill(t(cancel_label), &[("title", &m.title)])}
                        aria-disabled={(*busy).then_some("true")}
                        onclick={on_cancel}>{ t(cancel_text) }</button>
                </div>
            </li>
        }
    };

    let at_field = (*error)
        .as_ref()
        .and_then(|e| field_of(e).map(|f| (f, e.rule_text(lang))));
    let general_error = (*error).clone().filter(|_| at_field.is_none());
    // (aria-invalid, aria-describedby, the message) of a field.
    let err = |field: &str, hint: Option<&str>| -> (Option<&'static str>, Option<String>, Html) {
        match at_field.as_ref().filter(|(f, _)| *f == field) {
            Some((_, text)) => {
                let id = format!("meeting-{field}-error");
                let described = match hint {
                    Some(h) => format!("{id} {h}"),
                    None => id.clone(),
                };
                (
                    Some("true"),
                    Some(described),
                    html! { <p class="field-error" id={id}>{ text.clone() }</p> },
                )
            }
            None => (None, hint.map(str::to_string), html! {}),
        }
    };
    let (title_bad, title_desc, title_err) = err("title", None);
    let (date_bad, date_desc, date_err) = err("date", Some("meeting-time-hint"));
    let (start_bad, start_desc, start_err) = err("start", Some("meeting-time-hint"));
    let (end_bad, end_desc, end_err) = err("end", Some("meeting-time-hint"));
    let (place_bad, place_desc, place_err) = err("place", Some("meeting-where-hint"));
    let (online_bad, online_desc, online_err) = err("online", Some("meeting-where-hint"));
    let (cap_bad, cap_desc, cap_err) = err("capacity", Some("meeting-capacity-hint"));
    let (desc_bad, desc_desc, desc_err) = err("description", None);

    let on_title = change(|d, v| d.title = v);
    let on_date = change(|d, v| d.date = v);
    let on_start = change(|d, v| d.start = v);
    let on_end = change(|d, v| d.end = v);
    let on_place = change(|d, v| d.place = v);
    let on_online = change(|d, v| d.online = v);
    let on_cap = change(|d, v| d.capacity = v);
    let on_desc = change(|d, v| d.description = v);
    let on_stop = {
        let (editing, draft, error) = (editing.clone(), draft.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            editing.set(None);
            draft.set(Draft::default());
            error.set(None);
            super::kit::later(0, || focus_selector("#meeting-title"));
        })
    };
    let d = (*draft).clone();
    let form_title = match &*editing {
        Some(m) => fill(t(Key::MeetingsEditing), &[("title", &m.title)]),
        None => t(Key::MeetingsNew).to_string(),
    };

    html! {
        <section class="card" id="mod-meetings" aria-labelledby="mod-meetings-title">
            <h2 id="mod-meetings-title">{ t(Key::MeetingsTitle) }</h2>
            <p class="hint">{ t(Key::MeetingsHint) }</p>
            if meetings.is_empty() {
                <p id="mod-meetings-empty">{ t(Key::MeetingsEmpty) }</p>
            } else {
                <ul id="mod-meetings-list" class="meeting-rows">
                    { for meetings.iter().enumerate().map(row) }
                </ul>
            }
            <Status id={AttrValue::from("mod-meetings-status")} text={(*list_said).clone()} />
            <ErrorAlert id={AttrValue::from("mod-meetings-error")} error={(*list_error).clone()} />

            <form class="meeting-form" onsubmit={onsubmit} novalidate=true aria-labelledby="meeting-form-title">
                <h3 id="meeting-form-title">{ form_title }</h3>
                <div class="field">
                    <label for="meeting-title">{ t(Key::MeetingsFieldTitle) }</label>
                    <input id="meeting-title" type="text" required=true value={d.title.clone()}
                        maxlength={limits::TITLE.to_string()}
                        aria-invalid={title_bad} aria-describedby={title_desc}
                        oninput={Callback::from(move |e: InputEvent| on_title(input_text(&e)))} />
                    { title_err }
                </div>
                <p class="hint" id="meeting-time-hint">{ t(Key::MeetingsTimeHint) }</p>
                <div class="meeting-times">
                    <div class="field">
                        <label for="meeting-date">{ t(Key::MeetingsFieldDate) }</label>
                        <input id="meeting-date" type="date" required=true value={d.date.clone()}
                            aria-invalid={date_bad} aria-describedby={date_desc}
                            oninput={Callback::from(move |e: InputEvent| on_date(input_text(&e)))} />
                        { date_err }
                    </div>
                    <div class="field">
                        <label for="meeting-start">{ t(Key::MeetingsFieldStart) }</label>
                        <input id="meeting-start" type="time" required=true value={d.start.clone()}
                            aria-invalid={start_bad} aria-describedby={start_desc}
                            oninput={Callback::from(move |e: InputEvent| on_start(input_text(&e)))} />
                        { start_err }
                    </div>
                    <div class="field">
                        <label for="meeting-end">{ t(Key::MeetingsFieldEnd) }</label>
                        <input id="meeting-end" type="time" required=true value={d.end.clone()}
                            aria-invalid={end_bad} aria-describedby={end_desc}
                            oninput={Callback::from(move |e: InputEvent| on_end(input_text(&e)))} />
                        { end_err }
                    </div>
                </div>
                <p class="hint" id="meeting-where-hint">{ t(Key::MeetingsWhereHint) }</p>
                <div class="field">
                    <label for="meeting-place">{ t(Key::MeetingsFieldPlace) }</label>
                    <input id="meeting-place" type="text" value={d.place.clone()}
                        maxlength={limits::PLACE.to_string()}
                        aria-invalid={place_bad} aria-describedby={place_desc}
                        oninput={Callback::from(move |e: InputEvent| on_place(input_text(&e)))} />
                    { place_err }
                </div>
                <div class="field">
                    <label for="meeting-online">{ t(Key::MeetingsFieldOnline) }</label>
                    <input id="meeting-online" type="url" inputmode="url" placeholder="https://" value={d.online.clone()}
                        maxlength={limits::URL.to_string()}
                        aria-invalid={online_bad} aria-describedby={online_desc}
                        oninput={Callback::from(move |e: InputEvent| on_online(input_text(&e)))} />
                    { online_err }
                </div>
                <div class="field">
                    <label for="meeting-capacity">{ t(Key::MeetingsFieldCapacity) }</label>
                    <input id="meeting-capacity" type="number" min="1" max={limits::CAPACITY_MAX.to_string()} step="1"
                        inputmode="numeric" value={d.capacity.clone()}
                        aria-invalid={cap_bad} aria-describedby={cap_desc}
                        oninput={Callback::from(move |e: InputEvent| on_cap(input_text(&e)))} />
                    <p class="hint" id="meeting-capacity-hint">{ t(Key::MeetingsCapacityHint) }</p>
                    { cap_err }
                </div>
                <div class="field">
                    <label for="meeting-description">{ t(Key::MeetingsFieldDescription) }</label>
                    <textarea id="meeting-description" rows="4" value={d.description.clone()}
                        maxlength={limits::DESCRIPTION.to_string()}
                        aria-invalid={desc_bad} aria-describedby={desc_desc}
                        oninput={Callback::from(move |e: InputEvent| on_desc(area_text(&e)))} />
                    { desc_err }
                </div>
                <ErrorAlert id={AttrValue::from("meeting-error")} error={general_error} />
                <div class="actions">
                    <button type="submit" id="meeting-save" class="primary" aria-disabled={(*busy).then_some("true")}>
                        { if *busy {
                            t(Key::CommonSaving)
                        } else if editing.is_some() {
                            t(Key::MeetingsSave)
                        } else {
                            t(Key::MeetingsAdd)
                        } }
                    </button>
                    if editing.is_some() {
                        <button type="button" id="meeting-stop-editing" onclick={on_stop}>{ t(Key::MeetingsStopEditing) }</button>
                    }
                </div>
                <Status id={AttrValue::from("meeting-status")} text={(*said).clone()} />
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            title: " Eerste bijeenkomst ".into(),
            date: "2027-07-01".into(),
            start: "19:30".into(),
            end: "21:00".into(),
            place: "Dorpshuis".into(),
            capacity: "25".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn the_form_is_dutch_time() {
        let input = input_of(&draft()).unwrap();
        assert_eq!(input.title, "Eerste bijeenkomst");
        // 1 July 2027 19:30 in the Netherlands is summer time: 17:30 UTC.
        assert_eq!(input.starts_at, 1_814_463_000);
        assert_eq!(input.ends_at - input.starts_at, 5_400);
        assert_eq!((input.capacity, input.online_url), (Some(25), None));
    }

    #[test]
    fn local_checks_name_their_field() {
        let mut d = draft();
        d.date = String::new();
        assert_eq!(field_of(&input_of(&d).unwrap_err()), Some("date"));
        let mut d = draft();
        d.end = "laat".into();
        assert_eq!(field_of(&input_of(&d).unwrap_err()), Some("end"));
        let mut d = draft();
        d.capacity = "veel".into();
        assert_eq!(field_of(&input_of(&d).unwrap_err()), Some("capacity"));
        let e = ApiError::local(mekaar_api::ErrorCode::MeetingEndBeforeStart.as_str());
        assert_eq!(field_of(&e), Some("end"));
    }
}
