//! The polls screen: the community's polls (`#/polls`), a new poll (`#/polls/new`),
//! editing one (`#/polls/{id}/edit`) and its live control (`#/polls/{id}`, in
//! [`super::poll_control`]).
//!
//! Element ids: the list `#polls-table` with `a.poll-item` per poll and `#polls-new`; the
//! form `#poll-question`, `#poll-option-{i}` (`#poll-option-add`,
//! `button.poll-option-remove`), `#poll-single`/`#poll-multiple` and `#poll-max`,
//! `#poll-audience-open`/`#poll-audience-codes` and `#poll-network-cap`,
//! `#poll-results`, `#poll-opens`, `#poll-closes`, `#poll-save`, its alert `#poll-error`.
//!
//! Editing sends only what changed, so the times and the visibility can change while
//! votes come in; the ballot itself (question, options, choices, audience) only while its
//! round has no votes (the server answers `poll_has_votes` otherwise, and the form says
//! so up front).

use mekaar_api::polls::{
    Audience, Phase, Poll, PollAdminList, PollAdminView, PollCreate, PollEdit, ResultsVisibility,
};
use yew::prelude::*;

use super::kit::{
    focus_heading, input_text, is_checked, local_input_to_secs, secs_to_local_input, select_value,
};
use super::poll_control::PollControl;
use super::{format_time, ErrorAlert, Heading, LoadFailed, Loading, ScreenProps};
use crate::api::{self, ApiError};
use crate::app::navigate;
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::use_session;

/// The name of a phase for people.
pub fn phase_key(phase: Phase) -> Key {
    match phase {
        Phase::Draft => Key::PollsPhaseDraft,
        Phase::Scheduled => Key::PollsPhaseScheduled,
        Phase::Open => Key::PollsPhaseOpen,
        Phase::Closed => Key::PollsPhaseClosed,
    }
}

/// The name of a visibility rule for people.
pub fn visibility_key(v: ResultsVisibility) -> Key {
    match v {
        ResultsVisibility::Always => Key::PollsResultsAlways,
        ResultsVisibility::AfterVote => Key::PollsResultsAfterVote,
        ResultsVisibility::AfterClose => Key::PollsResultsAfterClose,
        ResultsVisibility::WhenRevealed => Key::PollsResultsWhenRevealed,
    }
}

const VISIBILITIES: [ResultsVisibility; 4] = [
    ResultsVisibility::Always,
    ResultsVisibility::AfterVote,
    ResultsVisibility::AfterClose,
    ResultsVisibility::WhenRevealed,
];

fn visibility_name(v: ResultsVisibility) -> &'static str {
    match v {
        ResultsVisibility::Always => "always",
        ResultsVisibility::AfterVote => "after_vote",
        ResultsVisibility::AfterClose => "after_close",
        ResultsVisibility::WhenRevealed => "when_revealed",
    }
}

/// "1 stem", "12 stemmen".
pub fn votes_text(n: u64, lang: Lang) -> String {
    let key = if n == 1 {
        Key::PollsVotesOne
    } else {
        Key::PollsVotesMany
    };
    fill(key.text(lang), &[("n", &n.to_string())])
}

/// `/polls/{id}{tail}` of the admin API.
pub fn poll_path(community: &str, id: &str, tail: &str) -> String {
    api::admin_path(
        community,
        &format!("/polls/{}{tail}", api::encode_segment(id)),
    )
}

#[function_component(Polls)]
pub fn polls(props: &ScreenProps) -> Html {
    let rest = props.rest.trim_matches('/');
    let mut parts = rest.split('/');
    let first = parts.next().unwrap_or_default().to_string();
    let second = parts.next().unwrap_or_default();
    match (first.as_str(), second) {
        ("", _) => html! { <PollList /> },
        ("new", _) => html! { <PollEditor key="new" /> },
        (id, "edit") => {
            let id = AttrValue::from(id.to_string());
            let key = format!("edit-{id}");
            html! { <PollEditor {key} {id} /> }
        }
        (id, _) => {
            let id = AttrValue::from(id.to_string());
            let key = id.to_string();
            html! { <PollControl {key} {id} /> }
        }
    }
}

/// The list, newest first.
#[function_component(PollList)]
fn poll_list() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let list = use_state(|| None::<Result<Vec<PollAdminView>, ApiError>>);
    let reload = use_state(|| 0_u32);

    use_effect_with((), |_| focus_heading());
    {
        let list = list.clone();
        let path = api::admin_path(&session.info.community, "/polls");
        use_effect_with(*reload, move |_| {
            let list = list.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<PollAdminList>(&path).await.map(|l| {
                    let mut polls = l.polls;
                    polls.sort_by_key(|v| std::cmp::Reverse(v.poll.created_at));
                    polls
                });
                list.set(Some(answer));
            });
        });
    }

    let body = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! {
                <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
            }
        }
        Some(Ok(polls)) if polls.is_empty() => {
            html! { <p id="polls-empty">{ t(Key::PollsEmpty) }</p> }
        }
        Some(Ok(polls)) => html! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="polls-table-caption">
                <table id="polls-table">
                    <caption id="polls-table-caption">{ fill(t(Key::PollsCaption), &[("n", &polls.len().to_string())]) }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ t(Key::PollsColQuestion) }</th>
                            <th scope="col">{ t(Key::PollsColPhase) }</th>
                            <th scope="col">{ t(Key::PollsColVotes) }</th>
                            <th scope="col">{ t(Key::PollsColJoinCode) }</th>
                            <th scope="col">{ t(Key::PollsColCreated) }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for polls.iter().map(|v| html! {
                            <tr>
                                <td><a class="poll-item" href={format!("#/polls/{}", v.poll.id)}>{ &v.poll.question }</a></td>
                                <td>{ t(phase_key(v.phase)) }</td>
                                <td>{ v.results.total_votes }</td>
                                <td><code>{ &v.poll.join_code }</code></td>
                                <td class="when">{ format_time(v.poll.created_at, lang) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    html! {
        <>
            <Heading text={t(Key::PollsTitle)} />
            <p class="actions"><a class="button primary" id="polls-new" href="#/polls/new">{ t(Key::PollsNew) }</a></p>
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    /// The poll to edit; a new poll without.
    #[prop_or_default]
    id: Option<AttrValue>,
}

/// Loads the poll to edit (if any), then shows the form.
#[function_component(PollEditor)]
fn poll_editor(props: &EditorProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let loaded = use_state(|| None::<Result<PollAdminView, ApiError>>);
    use_effect_with((), |_| focus_heading());
    {
        let loaded = loaded.clone();
        let path = props
            .id
            .as_ref()
            .map(|id| poll_path(&session.info.community, id, ""));
        use_effect_with((), move |_| {
            if let Some(path) = path {
                wasm_bindgen_futures::spawn_local(async move {
                    loaded.set(Some(api::get::<PollAdminView>(&path).await));
                });
            }
        });
    }
    let Some(id) = &props.id else {
        return html! {
            <>
                <Heading text={t(Key::PollsNewTitle)} />
                <p><a href="#/polls">{ t(Key::PollsBack) }</a></p>
                <PollForm />
            </>
        };
    };
    let title = fill(
        t(Key::PollsEditTitle),
        &[(
            "question",
            loaded
                .as_ref()
                .and_then(|l| l.as_ref().ok())
                .map_or("", |v| v.poll.question.as_str()),
        )],
    );
    html! {
        <>
            <Heading text={title} />
            <p><a href={format!("#/polls/{id}")}>{ t(Key::PollsBackToControl) }</a></p>
            { match &*loaded {
                None => html! { <Loading /> },
                Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
                Some(Ok(v)) => html! { <PollForm poll={Some(v.poll.clone())} has_votes={v.results.total_votes > 0} /> },
            } }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    /// The poll being edited; a new one without.
    #[prop_or_default]
    poll: Option<Poll>,
    /// The current round has votes: the ballot cannot change.
    #[prop_or_default]
    has_votes: bool,
}

/// The form of a new poll or of changes to one.
#[function_component(PollForm)]
fn poll_form(props: &FormProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let p = props.poll.as_ref();
    let question = use_state(|| p.map(|p| p.question.clone()).unwrap_or_default());
    let options = use_state(|| {
        p.map(|p| p.options.clone())
            .unwrap_or_else(|| vec![String::new(), String::new()])
    });
    let multiple = use_state(|| p.is_some_and(|p| p.max_choices > 1));
    let max = use_state(|| p.map_or(2, |p| p.max_choices.max(2)).to_string());
    let codes = use_state(|| p.is_some_and(|p| matches!(p.audience, Audience::Codes)));
    let cap = use_state(|| {
        match p.map(|p| p.audience) {
            Some(Audience::Open {
                max_keys_per_network,
            }) => max_keys_per_network,
            _ => mekaar_api::polls::limits::NETWORK_CAP_DEFAULT,
        }
        .to_string()
    });
    let results = use_state(|| p.map_or(ResultsVisibility::Always, |p| p.results));
    let opens = use_state(|| {
        p.and_then(|p| p.opens_at)
            .map(secs_to_local_input)
            .unwrap_or_default()
    });
    let closes = use_state(|| {
        p.and_then(|p| p.closes_at)
            .map(secs_to_local_input)
            .unwrap_or_default()
    });
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    // The option field to focus after adding or removing one.
    let focus = use_state(|| None::<usize>);
    {
        let focus = focus.clone();
        use_effect_with(*focus, move |f| {
            if let Some(i) = *f {
                super::kit::focus_selector(&format!("#poll-option-{i}"));
                focus.set(None);
            }
        });
    }
    let locked = props.has_votes;
    let option_count = options.len();
    let max_limit = option_count.max(2);

    let onsubmit = {
        let (question, options, multiple, max, codes, cap, results, opens, closes) = (
            question.clone(),
            options.clone(),
            multiple.clone(),
            max.clone(),
            codes.clone(),
            cap.clone(),
            results.clone(),
            opens.clone(),
            closes.clone(),
        );
        let (busy, error) = (busy.clone(), error.clone());
        let old = props.poll.clone();
        let community = session.info.community.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let max_choices = if *multiple {
                max.trim().parse::<u8>().unwrap_or(0)
            } else {
                1
            };
            let audience = if *codes {
                Audience::Codes
            } else {
                Audience::Open {
                    max_keys_per_network: cap
                        .trim()
                        .parse()
                        .unwrap_or(mekaar_api::polls::limits::NETWORK_CAP_DEFAULT),
                }
            };
            let opts: Vec<String> = options.iter().map(|o| o.trim().to_string()).collect();
            let (opens_at, closes_at) = (local_input_to_secs(&opens), local_input_to_secs(&closes));
            let (opens_text, closes_text) = ((*opens).clone(), (*closes).clone());
            let shown = |at: Option<u64>| at.map(secs_to_local_input).unwrap_or_default();
            busy.set(true);
            error.set(None);
            let (busy, error) = (busy.clone(), error.clone());
            let question = question.trim().to_string();
            let results = *results;
            let old = old.clone();
            let community = community.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer: Result<PollAdminView, ApiError> = match &old {
                    None => {
                        let body = PollCreate {
                            question,
                            options: opts,
                            max_choices,
                            opens_at,
                            closes_at,
                            results,
                            audience,
                        };
                        api::post(&api::admin_path(&community, "/polls"), &body).await
                    }
                    Some(old) => {
                        let body = PollEdit {
                            question: (question != old.question).then_some(question),
                            options: (opts != old.options).then_some(opts),
                            max_choices: (max_choices != old.max_choices).then_some(max_choices),
                            // Changed only when the field's text differs from how it showed the
                            // stored time (to the minute): a time set to the second stays.
                            opens_at: (opens_text != shown(old.opens_at)).then_some(opens_at),
                            closes_at: (closes_text != shown(old.closes_at)).then_some(closes_at),
                            results: (results != old.results).then_some(results),
                            audience: (audience != old.audience).then_some(audience),
                        };
                        api::patch(&poll_path(&community, &old.id, ""), &body).await
                    }
                };
                busy.set(false);
                match answer {
                    Ok(view) => navigate(&format!("#/polls/{}", view.poll.id)),
                    Err(e) => {
                        error.set(Some(e));
                        super::kit::focus_selector("#poll-error");
                    }
                }
            });
        })
    };

    let invalid = |names: &[&str]| {
        error
            .as_ref()
            .and_then(|e| e.field.as_deref())
            .is_some_and(|f| names.iter().any(|n| f.starts_with(n)))
            .then_some("true")
    };
    // A refused field is described by the error alert (and its hint, if it has one).
    let describe = |names: &[&str], hint: Option<&str>| {
        let ids: Vec<&str> = hint
            .into_iter()
            .chain(invalid(names).map(|_| "poll-error"))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };

    let option_rows = options.iter().enumerate().map(|(i, value)| {
        let n = (i + 1).to_string();
        let oninput = {
            let options = options.clone();
            Callback::from(move |e: InputEvent| {
                let mut list = (*options).clone();
                if let Some(slot) = list.get_mut(i) {
                    *slot = input_text(&e);
                }
                options.set(list);
            })
        };
        let remove = {
            let options = options.clone();
            let focus = focus.clone();
            Callback::from(move |_: MouseEvent| {
                let mut list = (*options).clone();
                if list.len() > mekaar_api::polls::limits::OPTIONS_MIN {
                    list.remove(i);
                    focus.set(Some(i.min(list.len() - 1)));
                    options.set(list);
                }
            })
        };
        html! {
            <li class="option-row">
                <label for={format!("poll-option-{i}")}>{ fill(t(Key::PollsOption), &[("n", &n)]) }</label>
                <input id={format!("poll-option-{i}")} type="text" value={value.clone()}
                    maxlength={mekaar_api::polls::limits::OPTION.to_string()}
                    disabled={locked} aria-invalid={invalid(&["options"])} aria-describedby={describe(&["options"], None)} {oninput} />
                if option_count > mekaar_api::polls::limits::OPTIONS_MIN && !locked {
                    <button type="button" class="poll-option-remove" onclick={remove}>
                        { fill(t(Key::PollsOptionRemove), &[("n", &n)]) }
                    </button>
                }
            </li>
        }
    });
    let add = {
        let options = options.clone();
        let focus = focus.clone();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*options).clone();
            if list.len() < mekaar_api::polls::limits::OPTIONS_MAX {
                list.push(String::new());
                focus.set(Some(list.len() - 1));
                options.set(list);
            }
        })
    };
    let radio =
        |id: &'static str, name: &'static str, checked: bool, label: Key, on: Callback<Event>| {
            html! {
                <label class="choice" for={id}>
                    <input type="radio" {id} {name} {checked} disabled={locked} onchange={on} />
                    { t(label) }
                </label>
            }
        };
    let set_multiple = |value: bool| {
        let multiple = multiple.clone();
        Callback::from(move |e: Event| {
            if is_checked(&e) {
                multiple.set(value)
            }
        })
    };
    let set_codes = |value: bool| {
        let codes = codes.clone();
        Callback::from(move |e: Event| {
            if is_checked(&e) {
                codes.set(value)
            }
        })
    };

    html! {
        <form class="card poll-form" {onsubmit} novalidate=true>
            if locked {
                <p class="hint" id="poll-locked">{ t(Key::PollsLocked) }</p>
            }
            <div class="field">
                <label for="poll-question">{ t(Key::PollsQuestion) }</label>
                <input id="poll-question" type="text" value={(*question).clone()}
                    maxlength={mekaar_api::polls::limits::QUESTION.to_string()}
                    disabled={locked} aria-invalid={invalid(&["question"])} aria-describedby={describe(&["question"], None)}
                    oninput={let s = question.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
            </div>
            <fieldset>
                <legend>{ t(Key::PollsOptions) }</legend>
                <p class="hint">{ t(Key::PollsOptionsHint) }</p>
                <ol class="option-list">{ for option_rows }</ol>
                if option_count < mekaar_api::polls::limits::OPTIONS_MAX && !locked {
                    <button type="button" id="poll-option-add" onclick={add}>{ t(Key::PollsOptionAdd) }</button>
                }
            </fieldset>
            <fieldset>
                <legend>{ t(Key::PollsChoices) }</legend>
                { radio("poll-single", "choices", !*multiple, Key::PollsSingle, set_multiple(false)) }
                { radio("poll-multiple", "choices", *multiple, Key::PollsMultiple, set_multiple(true)) }
                if *multiple {
                    <div class="field">
                        <label for="poll-max">{ t(Key::PollsMax) }</label>
                        <input id="poll-max" type="number" min="2" max={max_limit.to_string()}
                            value={(*max).clone()} disabled={locked} aria-invalid={invalid(&["max_choices"])} aria-describedby={describe(&["max_choices"], None)}
                            oninput={let s = max.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                    </div>
                }
            </fieldset>
            <fieldset>
                <legend>{ t(Key::PollsAudience) }</legend>
                { radio("poll-audience-open", "audience", !*codes, Key::PollsAudienceOpen, set_codes(false)) }
                { radio("poll-audience-codes", "audience", *codes, Key::PollsAudienceCodes, set_codes(true)) }
                if !*codes {
                    <div class="field">
                        <label for="poll-network-cap">{ t(Key::PollsNetworkCap) }</label>
                        <input id="poll-network-cap" type="number" min="1"
                            max={mekaar_api::polls::limits::NETWORK_CAP_MAX.to_string()}
                            aria-describedby={describe(&["audience"], Some("poll-network-cap-hint"))}
                            value={(*cap).clone()} disabled={locked} aria-invalid={invalid(&["audience"])}
                            oninput={let s = cap.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                        <p class="hint" id="poll-network-cap-hint">{ t(Key::PollsNetworkCapHint) }</p>
                    </div>
                }
            </fieldset>
            <div class="field">
                <label for="poll-results">{ t(Key::PollsResults) }</label>
                <select id="poll-results" aria-invalid={invalid(&["results"])} aria-describedby={describe(&["results"], None)}
                    onchange={let s = results.clone(); Callback::from(move |e: Event| {
                        let v = select_value(&e);
                        if let Some(r) = VISIBILITIES.into_iter().find(|r| visibility_name(*r) == v) { s.set(r) }
                    })}>
                    { for VISIBILITIES.into_iter().map(|r| html! {
                        <option value={visibility_name(r)} selected={r == *results}>{ t(visibility_key(r)) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="poll-opens">{ t(Key::PollsOpensAt) }</label>
                <input id="poll-opens" type="datetime-local" value={(*opens).clone()}
                    aria-describedby={describe(&["opens_at"], Some("poll-times-hint"))} aria-invalid={invalid(&["opens_at"])}
                    oninput={let s = opens.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
            </div>
            <div class="field">
                <label for="poll-closes">{ t(Key::PollsClosesAt) }</label>
                <input id="poll-closes" type="datetime-local" value={(*closes).clone()}
                    aria-describedby={describe(&["closes_at"], Some("poll-times-hint"))} aria-invalid={invalid(&["closes_at"])}
                    oninput={let s = closes.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                <p class="hint" id="poll-times-hint">{ t(Key::PollsTimesHint) }</p>
            </div>
            <p class="hint">{ t(Key::PollsLanguageHint) }</p>
            <ErrorAlert id={AttrValue::from("poll-error")} error={(*error).clone()} />
            <div class="actions">
                <button type="submit" id="poll-save" class="primary" aria-disabled={(*busy).then_some("true")}>
                    { if *busy { t(Key::CommonSaving) } else if props.poll.is_some() { t(Key::CommonSave) } else { t(Key::PollsCreate) } }
                </button>
            </div>
        </form>
    }
}
