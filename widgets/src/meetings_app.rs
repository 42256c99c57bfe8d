//! The browser side of the meetings family: the root components of `agenda`, `meetings`
//! and `steps`, which keep their state in `use_reducer_eq` and run its effects. State in
//! `meetings.rs` and `steps.rs`, views in `meetings_view.rs` and `steps.rs`.
//!
//! Effects, each ended when its inputs change or the app is destroyed (`unmount`):
//! - the list is fetched whenever [`Board::load`] changes (a late answer of an ended
//!   fetch is dropped), then the resident's "ik kom" of each coming meeting (GET with the
//!   voter key); the agenda also reads its community once (areas, initiatives page);
//! - the focus, moved to where [`Board::focus`] names.

use crate::api::{self, encode_segment, Problem};
use crate::meetings::{edit_of, Action, Board, Scope};
use crate::meetings_view::{view, Msg};
use crate::steps::{self, Way};
use crate::widget::Env;
use mekaar_api::meetings::{AttendState, Meeting, MeetingList};
use mekaar_api::steps::{InitiativeSteps, StepTick};
use mekaar_api::CommunityPublic;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Clone, PartialEq, Properties)]
pub struct Props {
    pub env: Rc<Env>,
    pub scope: Scope,
    /// `data-initiative` (the meetings and steps widgets).
    pub initiative: Rc<str>,
    /// `data-area` (the agenda's preset filter).
    pub area: Rc<str>,
    /// The initiative's manage token on its manage page (`data-as="initiator"`).
    pub manage: Option<Rc<str>>,
}

impl Props {
    fn url(&self, tail: &str) -> String {
        let mut url = api::community_url(&self.env.base, &self.env.community);
        url.push_str(tail);
        url
    }

    fn initiative_url(&self, tail: &str) -> String {
        let mut url = api::initiative_url(&self.env.base, &self.env.community, &self.initiative);
        url.push_str(tail);
        url
    }

    fn meeting_url(&self, id: &str, tail: &str) -> String {
        let mut url = self.url("/meetings/");
        url.push_str(&encode_segment(id));
        url.push_str(tail);
        url
    }

    fn list_url(&self, area: &str) -> String {
        match self.scope {
            Scope::Agenda => {
                let mut url = self.url("/meetings?past=true");
                if !area.is_empty() {
                    url.push_str("&area=");
                    url.push_str(&encode_segment(area));
                }
                url
            }
            Scope::Initiative => self.initiative_url("/meetings"),
        }
    }
}

fn focus(root: &NodeRef, env: &Env, name: &str) {
    let target = root
        .cast::<web_sys::Element>()
        .and_then(|root| root.query_selector(&env.anchor(name)).ok().flatten());
    if let Some(el) = target.and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The agenda (`Scope::Agenda`) or one initiative's meetings.
#[function_component(MeetingsWidget)]
pub fn meetings_widget(p: &Props) -> Html {
    let configured = !p.env.community.trim().is_empty()
        && (p.scope == Scope::Agenda || !p.initiative.trim().is_empty());
    let board =
        use_reducer_eq(|| Board::new(p.env.lang, p.scope, configured, p.manage.is_some(), &p.area));
    let root = use_node_ref();

    // The community: areas for the filter, and where initiatives are shown.
    {
        let dispatcher = board.dispatcher();
        let props = p.clone();
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            if configured && props.scope == Scope::Agenda {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let url = props.url("");
                    if let Ok(c) = api::fetch::<CommunityPublic>("GET", &url, None, None).await {
                        if alive.get() {
                            dispatcher.dispatch(Action::Community(c));
                        }
                    }
                });
            }
            move || alive.set(false)
        });
    }

    // The list, then who is coming.
    {
        let dispatcher = board.dispatcher();
        let props = p.clone();
        let area = board.area.clone();
        use_effect_with(board.load, move |&n| {
            let alive = Rc::new(Cell::new(true));
            if n > 0 {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let url = props.list_url(&area);
                    let result = api::fetch::<MeetingList>("GET", &url, None, None).await;
                    if !alive.get() {
                        return;
                    }
                    let open: Vec<String> = result
                        .as_ref()
                        .map(|l| {
                            l.upcoming
                                .iter()
                                .filter(|m| !m.cancelled)
                                .map(|m| m.id.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    dispatcher.dispatch(Action::Loaded(result));
                    let header = Some((mekaar_api::VOTER_HEADER, &*props.env.voter));
                    for id in open {
                        let url = props.meeting_url(&id, "/attend");
                        if let Ok(state) =
                            api::fetch::<AttendState>("GET", &url, header, None).await
                        {
                            if !alive.get() {
                                return;
                            }
                            dispatcher.dispatch(Action::Attendance(id, state));
                        }
                    }
                });
            }
            move || alive.set(false)
        });
    }

    {
        let root = root.clone();
        let env = p.env.clone();
        use_effect_with(board.focus.clone(), move |(_, name)| {
            if let Some(name) = name {
                focus(&root, &env, name);
            }
        });
    }

    let on = {
        let board = board.clone();
        let props = p.clone();
        Callback::from(move |msg: Msg| {
            let dispatcher = board.dispatcher();
            let props = props.clone();
            match msg {
                Msg::Do(action) => dispatcher.dispatch(action),
                Msg::Attend(id) => {
                    let Some(m) = board.find(&id) else {
                        return;
                    };
                    if board.busy.contains(&id) || !board.can_attend(m) {
                        return;
                    }
                    let method = if board.attends(&id) { "DELETE" } else { "PUT" };
                    dispatcher.dispatch(Action::Attend(id.clone()));
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = if props.env.preview {
                            Err(Problem::Preview.into())
                        } else {
                            let header = Some((mekaar_api::VOTER_HEADER, &*props.env.voter));
                            let url = props.meeting_url(&id, "/attend");
                            api::fetch::<AttendState>(method, &url, header, None).await
                        };
                        dispatcher.dispatch(Action::Attended(id, result));
                    });
                }
                Msg::Send => {
                    let now = crate::i18n::now();
                    let request = board.request(now);
                    dispatcher.dispatch(Action::Submit(now));
                    let (Some((id, input)), Some(token)) = (request, props.manage.clone()) else {
                        return;
                    };
                    wasm_bindgen_futures::spawn_local(async move {
                        let header = Some((mekaar_api::MANAGE_HEADER, &*token));
                        let result = if props.env.preview {
                            Err(Problem::Preview.into())
                        } else {
                            match id {
                                None => {
                                    let url = props.initiative_url("/meetings");
                                    let body = Some(api::to_json(&input));
                                    api::fetch::<Meeting>("POST", &url, header, body).await
                                }
                                Some(id) => {
                                    let url = props.meeting_url(&id, "");
                                    let body = Some(with_nulls(&edit_of(input)));
                                    api::fetch::<Meeting>("PATCH", &url, header, body).await
                                }
                            }
                        };
                        dispatcher.dispatch(Action::Saved(result));
                    });
                }
                Msg::CallOff(id) => {
                    let (Some(m), Some(token)) = (board.find(&id), props.manage.clone()) else {
                        return;
                    };
                    if board.busy.contains(&id) {
                        return;
                    }
                    let body = if m.cancelled {
                        "{\"cancelled\":false}"
                    } else {
                        "{\"cancelled\":true}"
                    };
                    dispatcher.dispatch(Action::CallOff(id.clone()));
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = if props.env.preview {
                            Err(Problem::Preview.into())
                        } else {
                            let header = Some((mekaar_api::MANAGE_HEADER, &*token));
                            let url = props.meeting_url(&id, "");
                            api::fetch::<Meeting>("PATCH", &url, header, Some(body.into())).await
                        };
                        dispatcher.dispatch(Action::CalledOff(id, result));
                    });
                }
            }
        })
    };

    view(&board, &p.env, &on, root)
}

/// A JSON body in which a removed field (`Some(None)`) is `null`: the API tells a removed
/// place, link or capacity from one left unchanged.
fn with_nulls<T: serde::Serialize>(value: &T) -> String {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    serde::Serialize::serialize(value, &serializer)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .map(String::from)
        .unwrap_or_default()
}

/// One initiative's next steps.
#[function_component(StepsWidget)]
pub fn steps_widget(p: &Props) -> Html {
    let configured = !p.env.community.trim().is_empty() && !p.initiative.trim().is_empty();
    let way = use_reducer_eq(|| Way::new(p.env.lang, configured, p.manage.is_some()));
    {
        let dispatcher = way.dispatcher();
        let props = p.clone();
        use_effect_with(way.load, move |&n| {
            let alive = Rc::new(Cell::new(true));
            if n > 0 {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let url = props.initiative_url("/steps");
                    let result = api::fetch::<InitiativeSteps>("GET", &url, None, None).await;
                    if alive.get() {
                        dispatcher.dispatch(steps::Action::Loaded(result));
                    }
                });
            }
            move || alive.set(false)
        });
    }
    let on = {
        let way = way.clone();
        let props = p.clone();
        Callback::from(move |action: steps::Action| {
            let dispatcher = way.dispatcher();
            let steps::Action::Tick(id) = action else {
                dispatcher.dispatch(action);
                return;
            };
            let (Some(step), Some(token)) = (way.find(&id), props.manage.clone()) else {
                return;
            };
            if !way.can_tick(step) {
                return;
            }
            let done = !step.done;
            let props = props.clone();
            dispatcher.dispatch(steps::Action::Tick(id.clone()));
            wasm_bindgen_futures::spawn_local(async move {
                let result = if props.env.preview {
                    Err(Problem::Preview.into())
                } else {
                    let header = Some((mekaar_api::MANAGE_HEADER, &*token));
                    let mut url = props.initiative_url("/steps/");
                    url.push_str(&encode_segment(&id));
                    let body = Some(api::to_json(&StepTick { done }));
                    api::fetch::<InitiativeSteps>("PUT", &url, header, body).await
                };
                dispatcher.dispatch(steps::Action::Ticked(id, done, result));
            });
        })
    };
    steps::view(&way, &p.env, &on)
}
