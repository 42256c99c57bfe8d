//! Next steps (`#/steps`): the way from idea to result that the community lays out
//! ("Zoek 3 medestanders", "Meld je initiatief bij de dorpsraad", …). Admins edit the list
//! (add, edit, move up or down, remove, thresholds, a link) and save it as a whole; admins
//! and moderators see the funnel: per step how many initiatives did it and how many are
//! there now, as a table whose cells hold the number and a small bar. The moderation
//! screen's initiative view holds [`InitiativeStepsCard`]: the initiative's steps with tick
//! boxes, so a moderator ticks for the initiator.
//!
//! Element ids: the list `#steps-list` with an `li.step-row` (`#step-{n}`, from 0) per step
//! holding `#step-{n}-title`, `#step-{n}-description`, `#step-{n}-link`,
//! `#step-{n}-supports`, `#step-{n}-status`, `#step-{n}-up`, `#step-{n}-down`,
//! `#step-{n}-remove` and a refusal at its field `#step-{n}-{field}-error`; `#steps-add`,
//! `#steps-save`, `#steps-status`, `#steps-error`. The funnel `#funnel` (a table; a row
//! `#funnel-{n}` per step). In the moderation view: `#mod-steps` with a checkbox
//! `#mod-step-{n}` per step, `#mod-steps-status`, `#mod-steps-error`.

use mekaar_api::steps::{
    limits, Funnel, InitiativeStep, InitiativeSteps, Step, StepInput, StepTick,
};
use mekaar_api::InitiativeStatus;
use yew::prelude::*;

use super::kit::{area_text, focus_selector, input_text, is_checked, select_value};
use super::moderation::status_key;
use super::{ErrorAlert, Heading, LoadFailed, Loading, Status};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, Role};

/// A step as it is being edited: numbers and the status as typed.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    /// The step's id; `None` for a step added here and not saved yet.
    id: Option<String>,
    /// Tells the rows apart while they move (the id, or a number for a new step).
    key: String,
    title: String,
    description: String,
    link: String,
    supports: String,
    /// `""` for no status threshold, else the status's wire name.
    status: String,
}

impl Draft {
    fn of(step: &Step) -> Draft {
        Draft {
            id: Some(step.id.clone()),
            key: step.id.clone(),
            title: step.title.clone(),
            description: step.description.clone(),
            link: step.link.clone().unwrap_or_default(),
            supports: step
                .unlock_supports
                .map(|n| n.to_string())
                .unwrap_or_default(),
            status: step
                .unlock_status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
        }
    }

    fn empty() -> Draft {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Draft {
            id: None,
            key: format!("new-{n}"),
            title: String::new(),
            description: String::new(),
            link: String::new(),
            supports: String::new(),
            status: String::new(),
        }
    }
}

/// The code of the local check of a support threshold that is not a whole number.
pub const NOT_A_NUMBER: &str = "not_a_number";

/// The list to send, or the row and field of the first number that is not one.
fn inputs_of(drafts: &[Draft]) -> Result<Vec<StepInput>, (usize, ApiError)> {
    drafts
        .iter()
        .enumerate()
        .map(|(n, d)| {
            let supports = match d.supports.trim() {
                "" => None,
                typed => Some(typed.parse::<u64>().map_err(|_| {
                    let mut e = ApiError::local(NOT_A_NUMBER);
                    e.field = Some(format!("steps[{n}].unlock_supports"));
                    (n, e)
                })?),
            };
            Ok(StepInput {
                id: d.id.clone(),
                title: d.title.clone(),
                description: d.description.clone(),
                link: Some(d.link.trim().to_string()).filter(|l| !l.is_empty()),
                unlock_supports: supports,
                unlock_status: InitiativeStatus::parse(&d.status),
            })
        })
        .collect()
}

/// A refused field `steps[{n}].{field}` → (`n`, `field`).
fn row_field(field: &str) -> Option<(usize, String)> {
    let rest = field.strip_prefix("steps[")?;
    let (n, rest) = rest.split_once(']')?;
    Some((n.parse().ok()?, rest.strip_prefix('.')?.to_string()))
}

/// What an initiative must reach before a step can be ticked, in words (empty: nothing).
pub fn threshold_text(step: &Step, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(n) = step.unlock_supports {
        parts.push(fill(
            Key::StepsUnlockSupportsText.text(lang),
            &[("n", &n.to_string())],
        ));
    }
    if let Some(status) = step.unlock_status {
        parts.push(fill(
            Key::StepsUnlockStatusText.text(lang),
            &[("status", status_key(status).text(lang))],
        ));
    }
    parts.join(Key::StepsAnd.text(lang))
}

#[function_component(Steps)]
pub fn steps() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let is_admin = session.info.role == Role::Admin;
    // Bumped after a save, so the funnel shows the new list.
    let saved = use_state(|| 0_u32);
    let on_saved = {
        let saved = saved.clone();
        Callback::from(move |_| saved.set(*saved + 1))
    };
    html! {
        <>
            <Heading text={t(Key::StepsTitle)} />
            <p class="hint">{ t(Key::StepsIntro) }</p>
            <FunnelView version={*saved} />
            if is_admin {
                <Editor {on_saved} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    on_saved: Callback<()>,
}

/// The admin's list of steps, saved as a whole.
#[function_component(Editor)]
fn editor(props: &EditorProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let path = api::admin_path(&community, "/steps");
    let loaded = use_state(|| None::<Result<(), ApiError>>);
    let drafts = use_state(Vec::<Draft>::new);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0_u32);

    {
        let (loaded, drafts, path) = (loaded.clone(), drafts.clone(), path.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<Vec<Step>>(&path).await {
                    Ok(steps) => {
                        drafts.set(steps.iter().map(Draft::of).collect());
                        loaded.set(Some(Ok(())));
                    }
                    Err(e) => loaded.set(Some(Err(e))),
                }
            });
        });
    }

    match &*loaded {
        None => return html! { <section class="card"><Loading /></section> },
        Some(Err(e)) => {
            let reload = reload.clone();
            return html! {
                <section class="card">
                    <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
                </section>
            };
        }
        Some(Ok(())) => {}
    }

    let change = |n: usize, edit: fn(&mut Draft, String)| {
        let drafts = drafts.clone();
        let said = said.clone();
        move |value: String| {
            let mut list = (*drafts).clone();
            if let Some(d) = list.get_mut(n) {
                edit(d, value);
            }
            drafts.set(list);
            said.set(None);
        }
    };
    let reorder = |n: usize, to: Option<usize>| {
        let drafts = drafts.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*drafts).clone();
            match to {
                Some(to) if to < list.len() && n < list.len() => {
                    list.swap(n, to);
                    drafts.set(list);
                    // The focus follows the moved step's own button.
                    let which = if to < n { "up" } else { "down" };
                    let button = if (to == 0 && which == "up")
                        || (to + 1 == (*drafts).len() && which == "down")
                    {
                        format!("#step-{to}-title")
                    } else {
                        format!("#step-{to}-{which}")
                    };
                    super::kit::later(0, move || focus_selector(&button));
                }
                None if n < list.len() => {
                    list.remove(n);
                    let left = list.len();
                    drafts.set(list);
                    super::kit::later(0, move || {
                        focus_selector(if left == 0 {
                            "#steps-add"
                        } else {
                            "#steps-list"
                        })
                    });
                }
                _ => {}
            }
            error.set(None);
        })
    };
    let on_add = {
        let drafts = drafts.clone();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*drafts).clone();
            if list.len() >= limits::STEPS_MAX {
                return;
            }
            list.push(Draft::empty());
            let n = list.len() - 1;
            drafts.set(list);
            super::kit::later(0, move || focus_selector(&format!("#step-{n}-title")));
        })
    };
    let onsubmit = {
        let (drafts, busy, said, error) =
            (drafts.clone(), busy.clone(), said.clone(), error.clone());
        let on_saved = props.on_saved.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let inputs = match inputs_of(&drafts) {
                Ok(inputs) => inputs,
                Err((n, e)) => {
                    error.set(Some(e));
                    focus_selector(&format!("#step-{n}-supports"));
                    return;
                }
            };
            busy.set(true);
            said.set(None);
            error.set(None);
            let (drafts, busy, said, error) =
                (drafts.clone(), busy.clone(), said.clone(), error.clone());
            let path = path.clone();
            let on_saved = on_saved.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::put::<_, Vec<Step>>(&path, &inputs).await;
                busy.set(false);
                match answer {
                    Ok(steps) => {
                        drafts.set(steps.iter().map(Draft::of).collect());
                        said.set(Some(Key::CommonSaved.text(lang).into()));
                        on_saved.emit(());
                    }
                    Err(e) => {
                        let at = e.field.as_deref().and_then(row_field);
                        error.set(Some(e));
                        match at {
                            Some((n, field)) => {
                                let id = match field.as_str() {
                                    "unlock_supports" => "supports",
                                    "unlock_status" => "status",
                                    other => other,
                                };
                                focus_selector(&format!("#step-{n}-{id}"));
                            }
                            None => focus_selector("#steps-error"),
                        }
                    }
                }
            });
        })
    };

    // The refusal shown at its field, if it names one of a row; else above the buttons.
    let at_field = (*error).as_ref().and_then(|e| {
        e.field
            .as_deref()
            .and_then(row_field)
            .map(|at| (at, e.rule_text(lang)))
    });
    let field_error = |n: usize, field: &str| -> Option<String> {
        at_field
            .as_ref()
            .filter(|((row, f), _)| *row == n && f == field)
            .map(|(_, text)| text.clone())
    };
    let general_error = (*error).clone().filter(|_| at_field.is_none());
    let count = drafts.len();

    let row = |(n, d): (usize, &Draft)| -> Html {
        let id = |f: &str| format!("step-{n}-{f}");
        let err = |f: &str, input: &str| -> (Option<&'static str>, Option<String>, Html) {
            match field_error(n, f) {
                Some(text) => (
                    Some("true"),
                    Some(format!("step-{n}-{input}-error")),
                    html! { <p class="field-error" id={format!("step-{n}-{input}-error")}>{ text }</p> },
                ),
                None => (None, None, html! {}),
            }
        };
        let (title_bad, title_desc, title_err) = err("title", "title");
        let (desc_bad, desc_desc, desc_err) = err("description", "description");
        let (link_bad, link_desc, link_err) = err("link", "link");
        let (sup_bad, sup_desc, sup_err) = err("unlock_supports", "supports");
        let (st_bad, st_desc, st_err) = err("unlock_status", "status");
        let on_title = change(n, |d, v| d.title = v);
        let on_desc = change(n, |d, v| d.description = v);
        let on_link = change(n, |d, v| d.link = v);
        let on_sup = change(n, |d, v| d.supports = v);
        let on_status = change(n, |d, v| d.status = v);
        let heading = fill(t(Key::StepsNumber), &[("n", &(n + 1).to_string())]);
        let heading_id = format!("step-{n}-heading");
        html! {
            <li class="step-row card" id={format!("step-{n}")} key={d.key.clone()}
                aria-labelledby={heading_id.clone()}>
                <h3 id={heading_id}>{ heading }</h3>
                <div class="field">
                    <label for={id("title")}>{ t(Key::StepsFieldTitle) }</label>
                    <input id={id("title")} type="text" value={d.title.clone()} maxlength={limits::TITLE.to_string()}
                        aria-invalid={title_bad} aria-describedby={title_desc}
                        oninput={Callback::from(move |e: InputEvent| on_title(input_text(&e)))} />
                    { title_err }
                </div>
                <div class="field">
                    <label for={id("description")}>{ t(Key::StepsFieldDescription) }</label>
                    <textarea id={id("description")} value={d.description.clone()} maxlength={limits::DESCRIPTION.to_string()}
                        aria-invalid={desc_bad} aria-describedby={desc_desc}
                        oninput={Callback::from(move |e: InputEvent| on_desc(area_text(&e)))} />
                    { desc_err }
                </div>
                <div class="field">
                    <label for={id("link")}>{ t(Key::StepsFieldLink) }</label>
                    <input id={id("link")} type="url" inputmode="url" value={d.link.clone()} maxlength={limits::URL.to_string()}
                        placeholder="https://" aria-invalid={link_bad} aria-describedby={link_desc}
                        oninput={Callback::from(move |e: InputEvent| on_link(input_text(&e)))} />
                    { link_err }
                </div>
                <div class="step-unlock">
                    <div class="field">
                        <label for={id("supports")}>{ t(Key::StepsFieldSupports) }</label>
                        <input id={id("supports")} type="number" min="0" step="1" inputmode="numeric" value={d.supports.clone()}
                            aria-invalid={sup_bad} aria-describedby={sup_desc.unwrap_or_else(|| format!("step-{n}-supports-hint"))}
                            oninput={Callback::from(move |e: InputEvent| on_sup(input_text(&e)))} />
                        <p class="hint" id={format!("step-{n}-supports-hint")}>{ t(Key::StepsFieldSupportsHint) }</p>
                        { sup_err }
                    </div>
                    <div class="field">
                        <label for={id("status")}>{ t(Key::StepsFieldStatus) }</label>
                        <select id={id("status")} aria-invalid={st_bad} aria-describedby={st_desc}
                            onchange={Callback::from(move |e: Event| on_status(select_value(&e)))}>
                            <option value="" selected={d.status.is_empty()}>{ t(Key::StepsNoStatus) }</option>
                            { for [InitiativeStatus::SeekingSupporters, InitiativeStatus::InProgress, InitiativeStatus::Realised]
                                .into_iter().map(|s| html! {
                                    <option value={s.as_str()} selected={d.status == s.as_str()}>{ t(status_key(s)) }</option>
                                }) }
                        </select>
                        { st_err }
                    </div>
                </div>
                <div class="actions step-actions">
                    <button type="button" id={id("up")} disabled={n == 0}
                        aria-label={fill(t(Key::StepsMoveUpLabel), &[("n", &(n + 1).to_string())])}
                        onclick={reorder(n, n.checked_sub(1))}>{ t(Key::StepsMoveUp) }</button>
                    <button type="button" id={id("down")} disabled={n + 1 == count}
                        aria-label={fill(t(Key::StepsMoveDownLabel), &[("n", &(n + 1).to_string())])}
                        onclick={reorder(n, Some(n + 1))}>{ t(Key::StepsMoveDown) }</button>
                    <button type="button" id={id("remove")} class="danger"
                        aria-label={fill(t(Key::StepsRemoveLabel), &[("n", &(n + 1).to_string())])}
                        onclick={reorder(n, None)}>{ t(Key::StepsRemove) }</button>
                </div>
            </li>
        }
    };

    html! {
        <section class="steps-editor" aria-labelledby="steps-edit-title">
            <h2 id="steps-edit-title">{ t(Key::StepsEdit) }</h2>
            <p class="hint">{ fill(t(Key::StepsEditHint), &[("max", &limits::STEPS_MAX.to_string())]) }</p>
            <form {onsubmit} novalidate=true>
                if drafts.is_empty() {
                    <p id="steps-empty">{ t(Key::StepsEmpty) }</p>
                }
                <ol id="steps-list" class="steps-list" tabindex="-1" aria-label={t(Key::StepsEdit)}>
                    { for drafts.iter().enumerate().map(row) }
                </ol>
                <div class="actions">
                    <button type="button" id="steps-add" onclick={on_add} disabled={count >= limits::STEPS_MAX}>
                        { t(Key::StepsAdd) }
                    </button>
                    <button type="submit" id="steps-save" class="primary" aria-disabled={(*busy).then_some("true")}>
                        { if *busy { t(Key::CommonSaving) } else { t(Key::StepsSave) } }
                    </button>
                </div>
                <Status id={AttrValue::from("steps-status")} text={(*said).clone()} />
                <ErrorAlert id={AttrValue::from("steps-error")} error={general_error} />
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FunnelProps {
    /// Changes when the list was saved: the funnel is fetched again.
    version: u32,
}

/// Where the initiatives are: a table with a bar in each number's cell.
#[function_component(FunnelView)]
fn funnel_view(props: &FunnelProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let funnel = use_state(|| None::<Result<Funnel, ApiError>>);
    let reload = use_state(|| 0_u32);
    {
        let funnel = funnel.clone();
        let path = api::admin_path(&session.info.community, "/steps/funnel");
        use_effect_with((props.version, *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                funnel.set(Some(api::get::<Funnel>(&path).await));
            });
        });
    }
    let body = match &*funnel {
        None => html! { <Loading /> },
        Some(Err(e)) => {
            let reload = reload.clone();
            html! { <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} /> }
        }
        Some(Ok(f)) if f.steps.is_empty() => {
            html! { <p id="funnel-empty">{ t(Key::StepsFunnelNoSteps) }</p> }
        }
        Some(Ok(f)) => {
            let total = f.initiatives.max(1);
            let bar = |value: u64, class: &'static str| -> Html {
                // Per cent of all counted initiatives; at least a sliver for a non-zero count.
                let width = if value == 0 {
                    0
                } else {
                    (value * 100 / total).max(2)
                };
                html! {
                    <svg class="funnel-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect class="funnel-track" x="0" y="0" width="100" height="10" rx="2" />
                        <rect class={classes!("funnel-fill", class)} x="0" y="0" width={width.to_string()} height="10" rx="2" />
                    </svg>
                }
            };
            html! {
                <div class="table-wrap">
                    <table id="funnel" class="funnel">
                        <caption>{ fill(t(Key::StepsFunnelCaption), &[
                            ("n", &f.initiatives.to_string()),
                            ("all", &f.all_done.to_string()),
                        ]) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ t(Key::StepsFunnelStep) }</th>
                                <th scope="col">{ t(Key::StepsFunnelDone) }</th>
                                <th scope="col">{ t(Key::StepsFunnelCurrent) }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for f.steps.iter().enumerate().map(|(n, s)| html! {
                                <tr id={format!("funnel-{n}")}>
                                    <th scope="row"><span class="funnel-n">{ format!("{}.", n + 1) }</span>{ " " }{ &s.title }</th>
                                    <td class="funnel-cell done"><span class="funnel-value">{ s.done }</span>{ bar(s.done, "done") }</td>
                                    <td class="funnel-cell current"><span class="funnel-value">{ s.current }</span>{ bar(s.current, "current") }</td>
                                </tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr id="funnel-all">
                                <th scope="row">{ t(Key::StepsFunnelAllDone) }</th>
                                <td class="funnel-cell done"><span class="funnel-value">{ f.all_done }</span>{ bar(f.all_done, "done") }</td>
                                <td class="funnel-cell current"></td>
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }
        }
    };
    html! {
        <section class="card" aria-labelledby="funnel-title">
            <h2 id="funnel-title">{ t(Key::StepsFunnel) }</h2>
            <p class="hint">{ t(Key::StepsFunnelHint) }</p>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct InitiativeStepsProps {
    pub id: AttrValue,
    /// Changes when the initiative's status or supports change: the steps are fetched
    /// again (their thresholds may be reached now).
    pub version: AttrValue,
}

/// An initiative's steps with tick boxes, in the moderation screen: a moderator ticks for
/// the initiator.
#[function_component(InitiativeStepsCard)]
pub fn initiative_steps_card(props: &InitiativeStepsProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let base = api::admin_path(
        &session.info.community,
        &format!("/initiatives/{}/steps", api::encode_segment(&props.id)),
    );
    let steps = use_state(|| None::<Result<InitiativeSteps, ApiError>>);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0_u32);
    // Bumped after a refusal: the boxes are made anew, as the server has them.
    let generation = use_state(|| 0_u32);
    {
        let (steps, base) = (steps.clone(), base.clone());
        use_effect_with((props.version.clone(), *reload), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                steps.set(Some(api::get::<InitiativeSteps>(&base).await));
            });
        });
    }
    let list = match &*steps {
        None => return html! { <section class="card" id="mod-steps"><Loading /></section> },
        Some(Err(e)) => {
            let reload = reload.clone();
            return html! {
                <section class="card" id="mod-steps">
                    <LoadFailed error={e.clone()} on_retry={Callback::from(move |_| reload.set(*reload + 1))} />
                </section>
            };
        }
        Some(Ok(s)) => s.steps.clone(),
    };
    if list.is_empty() {
        return html! {};
    }
    let tick = |step: &InitiativeStep| {
        let (steps, busy, said, error) = (steps.clone(), busy.clone(), said.clone(), error.clone());
        let generation = generation.clone();
        let path = format!("{base}/{}", api::encode_segment(&step.step.id));
        Callback::from(move |e: Event| {
            let done = is_checked(&e);
            if *busy {
                return;
            }
            busy.set(true);
            said.set(None);
            error.set(None);
            let (steps, busy, said, error) =
                (steps.clone(), busy.clone(), said.clone(), error.clone());
            let generation = generation.clone();
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::put::<_, InitiativeSteps>(&path, &StepTick { done }).await;
                busy.set(false);
                match answer {
                    Ok(after) => {
                        steps.set(Some(Ok(after)));
                        said.set(Some(Key::CommonSaved.text(lang).into()));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        generation.set(*generation + 1);
                        super::kit::later(0, || focus_selector("#mod-steps-error"));
                    }
                }
            });
        })
    };
    html! {
        <section class="card" id="mod-steps" aria-labelledby="mod-steps-title">
            <h2 id="mod-steps-title">{ t(Key::StepsOfInitiative) }</h2>
            <p class="hint">{ t(Key::StepsOfInitiativeHint) }</p>
            <ul class="step-ticks" key={generation.to_string()}>
                { for list.iter().enumerate().map(|(n, s)| {
                    let locked = !s.unlocked && !s.done;
                    let hint_id = format!("mod-step-{n}-hint");
                    let threshold = threshold_text(&s.step, lang);
                    let note = if locked {
                        fill(t(Key::StepsLockedUntil), &[("what", &threshold)])
                    } else if let Some(at) = s.done_at {
                        fill(t(Key::StepsDoneAt), &[("when", &super::format_time(at, lang))])
                    } else if !threshold.is_empty() {
                        fill(t(Key::StepsUnlockedBy), &[("what", &threshold)])
                    } else {
                        String::new()
                    };
                    html! {
                        <li class={classes!("step-tick", s.done.then_some("done"), locked.then_some("locked"))}>
                            <input type="checkbox" id={format!("mod-step-{n}")} checked={s.done} disabled={locked}
                                aria-describedby={(!note.is_empty()).then(|| hint_id.clone())}
                                onchange={tick(s)} />
                            <label for={format!("mod-step-{n}")}>{ &s.step.title }</label>
                            if !note.is_empty() {
                                <span class="hint" id={hint_id}>{ note }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            <Status id={AttrValue::from("mod-steps-status")} text={(*said).clone()} />
            <ErrorAlert id={AttrValue::from("mod-steps-error")} error={(*error).clone()} />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_fields_name_their_row() {
        assert_eq!(row_field("steps[3].title"), Some((3, "title".into())));
        assert_eq!(row_field("steps"), None);
        assert_eq!(row_field("title"), None);
    }

    #[test]
    fn typed_numbers_are_checked_before_sending() {
        let mut d = Draft::empty();
        d.title = "Zoek 3 medestanders".into();
        d.supports = " 3 ".into();
        d.status = "in_progress".into();
        let sent = inputs_of(&[d.clone()]).unwrap();
        assert_eq!(sent[0].unlock_supports, Some(3));
        assert_eq!(sent[0].unlock_status, Some(InitiativeStatus::InProgress));
        assert_eq!(sent[0].link, None);
        d.supports = "drie".into();
        let (row, e) = inputs_of(&[Draft::empty(), d]).unwrap_err();
        assert_eq!(row, 1);
        assert_eq!(e.field.as_deref(), Some("steps[1].unlock_supports"));
    }
}
