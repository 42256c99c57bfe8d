//! The initiative widgets in the browser: one function component per placeholder over the
//! pure [`State`] (`use_reducer`), the views of `initiative_view.rs`, and what needs the
//! browser: the requests [`State::wants`] and the forms make (answers decoded into the
//! `mekaar-api` types), the page's `hashchange` (a `gloo-events` listener that ends with
//! the widget), focus, history and the clipboard.

use crate::api::{self, Failure, Problem, Query};
use crate::form::{Body, FormKind};
use crate::initiative_view::{view, Msg};
use crate::initiatives::{Action, Answer, Kind, Load, Route, State};
use crate::widget::Env;
use mekaar_api::{
    CommunityPublic, InitiativeDetail, InitiativeList, InitiativeSubmitted, JoinState, ManageView,
    ModerationState, ReportState,
};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// What a placeholder asked for.
#[derive(Clone, PartialEq, Properties)]
pub struct Props {
    pub env: Rc<Env>,
    pub kind: Kind,
    /// `data-initiative` (card and manage page).
    pub initiative: Rc<str>,
    /// Whether the list offers to start an initiative (`data-submit`).
    pub submit: bool,
    /// The list's filters and page size from the placeholder.
    pub preset: Query,
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// A header the request carries: the voter's or the manage token.
type Header = Option<(&'static str, Rc<str>)>;

/// One request whose answer, decoded as `T`, goes to the reducer as `then(answer)`.
fn request<T: crate::wire::Wire + 'static>(
    method: &'static str,
    url: String,
    header: Header,
    body: Option<String>,
    to: UseReducerDispatcher<State>,
    then: impl FnOnce(Result<T, Failure>) -> Action + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let header = header.as_ref().map(|(name, value)| (*name, &**value));
        let result = api::fetch::<T>(method, &url, header, body).await;
        to.dispatch(then(result));
    });
}

/// `{initiative}{tail}` of `id`.
fn initiative_url(env: &Env, id: &str, tail: &str) -> String {
    let mut url = api::initiative_url(&env.base, &env.community, id);
    url.push_str(tail);
    url
}

fn voter(env: &Env) -> Header {
    Some((mekaar_api::VOTER_HEADER, env.voter.clone()))
}

/// Asks the server for `load`.
fn fetch(env: &Env, load: Load, to: UseReducerDispatcher<State>) {
    match load {
        Load::Community => {
            let url = api::community_url(&env.base, &env.community);
            request::<CommunityPublic>("GET", url, None, None, to, Action::Community);
        }
        Load::List(seq, query) => {
            let url = query.url(&env.base, &env.community);
            request::<InitiativeList>("GET", url, None, None, to, move |r| Action::List(seq, r));
        }
        Load::Detail(seq, id) => {
            let url = initiative_url(env, &id, "");
            request::<InitiativeDetail>("GET", url, None, None, to, move |r| {
                Action::Detail(seq, r)
            });
        }
        Load::Joined(id) => {
            let url = initiative_url(env, &id, "/join");
            request::<JoinState>("GET", url, voter(env), None, to, Action::Joined);
        }
        Load::Manage(id, token) => {
            let url = initiative_url(env, &id, "/manage");
            let header = Some((mekaar_api::MANAGE_HEADER, token.into()));
            request::<ManageView>("GET", url, header, None, to, Action::Manage);
        }
    }
}

/// Sends form `kind` with `body`.
fn send(env: &Env, s: &State, kind: FormKind, body: Body, to: UseReducerDispatcher<State>) {
    if env.preview {
        to.dispatch(Action::Answered(kind, Err(Problem::Preview.into())));
        return;
    }
    let json = Some(body.json());
    let manager = Some((mekaar_api::MANAGE_HEADER, s.token.as_str().into()));
    let url = |tail: &str| initiative_url(env, s.target(), tail);
    let then = move |r: Result<Answer, Failure>| Action::Answered(kind, r);
    match kind {
        FormKind::Join => {
            request::<JoinState>("POST", url("/join"), voter(env), json, to, move |r| {
                then(r.map(Answer::Joined))
            })
        }
        FormKind::Link => {
            let mut url = api::community_url(&env.base, &env.community);
            url.push_str("/manage-link");
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::call("POST", &url, None, json).await;
                to.dispatch(then(answer.map(|_| Answer::LinkAsked)));
            });
        }
        FormKind::Report => {
            request::<ReportState>("POST", url("/report"), voter(env), json, to, move |r| {
                then(r.map(|_| Answer::Reported))
            })
        }
        FormKind::Submit => {
            let mut url = api::community_url(&env.base, &env.community);
            url.push_str("/initiatives");
            let (base, community) = (env.base.clone(), env.community.clone());
            // The photo chosen with it goes up once the initiative (and its manage token)
            // exists: `(alt text, file)`.
            let photo = s.submit_photo().map(|alt| {
                let file = photo_control(&env.id("f-photo"))
                    .and_then(|input| input.files())
                    .and_then(|files| files.get(0));
                (alt, file)
            });
            wasm_bindgen_futures::spawn_local(async move {
                let submitted = api::fetch::<InitiativeSubmitted>("POST", &url, None, json).await;
                let answer = match submitted {
                    Ok(s) => {
                        let id = s.initiative.card.id.clone();
                        let link = api::manage_link(&base, &community, &id, &s.manage_token);
                        let failed = match photo {
                            None => None,
                            Some((_, None)) => Some(Problem::Photo),
                            Some((alt, Some(file))) => {
                                let mut url = api::initiative_url(&base, &community, &id);
                                url.push_str("/photo?alt=");
                                url.push_str(&api::encode_segment(&alt));
                                let header =
                                    Some((mekaar_api::MANAGE_HEADER, s.manage_token.as_str()));
                                api::upload(&url, header, file)
                                    .await
                                    .err()
                                    .map(|f| f.problem)
                            }
                        };
                        Ok(Answer::Submitted(
                            link,
                            s.moderation == ModerationState::Pending,
                            failed,
                        ))
                    }
                    Err(f) => Err(f),
                };
                to.dispatch(then(answer));
            });
        }
        FormKind::Photo => {
            let mut url = url("/photo?alt=");
            url.push_str(&api::encode_segment(&body.json()));
            let env_id = env.id("f-photo");
            let file = photo_control(&env_id)
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let token = s.token.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = match file {
                    Some(file) => {
                        let header = Some((mekaar_api::MANAGE_HEADER, token.as_str()));
                        match api::upload(&url, header, file).await {
                            Ok(value) => api::decode::<ManageView>(value),
                            Err(f) => Err(f),
                        }
                    }
                    None => Err(Problem::Photo.into()),
                };
                if result.is_ok() {
                    // Sent: the control starts empty again, as its state does.
                    if let Some(input) = photo_control(&env_id) {
                        input.set_value("");
                    }
                }
                to.dispatch(then(result.map(|view| Answer::Managed(Box::new(view)))));
            });
        }
        FormKind::Edit | FormKind::Update => {
            let (method, tail) = if kind == FormKind::Edit {
                ("PATCH", "/manage")
            } else {
                ("POST", "/manage/updates")
            };
            request::<ManageView>(method, url(tail), manager, json, to, move |r| {
                then(r.map(|view| Answer::Managed(Box::new(view))))
            })
        }
    }
}

/// The manage page's photo control, by its id (`env.id("f-photo")`: unique per widget on
/// the page).
fn photo_control(id: &str) -> Option<web_sys::HtmlInputElement> {
    let document = web_sys::window()?.document()?;
    // The control lives in the widget's shadow root: find it through every mounted
    // placeholder's open shadow root.
    let hosts = document.query_selector_all("[data-mekaar]").ok()?;
    (0..hosts.length())
        .filter_map(|i| {
            hosts
                .item(i)?
                .dyn_into::<web_sys::Element>()
                .ok()?
                .shadow_root()
        })
        .find_map(|shadow| shadow.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// Focuses the element with `id` inside `root`; whether it was there.
fn focus(root: &NodeRef, id: &str) -> bool {
    let Some(root) = root.cast::<web_sys::Element>() else {
        return false;
    };
    let selector = ["[id=\"", &id.replace(['"', '\\'], ""), "\"]"].concat();
    match root.query_selector(&selector).ok().flatten() {
        Some(el) => el
            .dyn_into::<web_sys::HtmlElement>()
            .is_ok_and(|el| el.focus().is_ok()),
        None => false,
    }
}

/// Back to the list: the browser's Back when the resident came from it, else (a shared
/// link) the hash goes without leaving the page.
fn back(s: &State, to: &UseReducerDispatcher<State>) {
    let Some(w) = web_sys::window() else {
        return;
    };
    if s.from_list {
        let _ = w.history().and_then(|h| h.back());
        return;
    }
    let l = w.location();
    let url = [
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default(),
    ]
    .concat();
    let _ = w
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
    to.dispatch(Action::Route(Route::List));
}

/// `navigator.clipboard.writeText(text)`, where the browser offers it; whether it did.
fn copy(text: &str) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let get = |obj: &JsValue, name: &str| {
        js_sys::Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    };
    let clipboard = get(&get(&w, "navigator"), "clipboard");
    let write = get(&clipboard, "writeText");
    write
        .dyn_ref::<js_sys::Function>()
        .is_some_and(|f| f.call1(&clipboard, &JsValue::from_str(text)).is_ok())
}

/// Asks the loader to mount the widget placeholders this widget shows in its shadow root
/// (the detail's reactions), which the loader cannot see: a composed `mekaar:mount` event
/// from each one not mounted yet.
fn mount_children(root: &NodeRef) {
    let Some(list) = root.cast::<web_sys::Element>().and_then(|r| {
        r.query_selector_all("[data-mekaar]:not([data-mekaar-state])")
            .ok()
    }) else {
        return;
    };
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    for i in 0..list.length() {
        if let (Some(el), Ok(event)) = (
            list.get(i),
            web_sys::Event::new_with_event_init_dict("mekaar:mount", &init),
        ) {
            let _ = el.dispatch_event(&event);
        }
    }
}

/// The list, card or manage widget of one placeholder.
#[function_component(Initiatives)]
pub fn initiatives(p: &Props) -> Html {
    let state = use_reducer(|| {
        let mut query = p.preset.clone();
        query.page = 1;
        let route = match p.kind {
            Kind::List => Route::from_hash(&location_hash()),
            _ => Route::List,
        };
        // The manage token is the fragment of the manage link: it is only ever sent in
        // the manage header.
        let token = match p.kind {
            Kind::Manage => location_hash().trim_start_matches('#').to_owned(),
            _ => String::new(),
        };
        let configured = !p.env.community.is_empty()
            && (p.kind == Kind::List || !p.initiative.trim().is_empty());
        let initiative = p.initiative.trim().to_owned();
        State::new(
            p.kind, p.submit, query, route, initiative, token, configured,
        )
    });
    let root = use_node_ref();

    // Ask the server what the state wants, each time it wants something new.
    {
        let wants = state.wants.clone();
        let to = state.dispatcher();
        let env = p.env.clone();
        use_effect_with(state.loads, move |_| {
            for load in wants.iter() {
                fetch(&env, load.clone(), to.clone());
            }
        });
    }

    // Follow the page's hash: the list's routes; on the manage page another manage link
    // pasted into the same tab. The listener ends with the widget.
    {
        let to = state.dispatcher();
        let kind = p.kind;
        use_effect_with(kind, move |_| {
            let window = web_sys::window();
            let listener = window.filter(|_| kind != Kind::Single).map(|window| {
                gloo_events::EventListener::new(&window, "hashchange", move |_| {
                    let hash = location_hash();
                    to.dispatch(match kind {
                        Kind::Manage => Action::Token(hash.trim_start_matches('#').to_owned()),
                        _ => Action::Route(Route::from_hash(&hash)),
                    });
                })
            });
            move || drop(listener)
        });
    }

    // Focus what the state asks for, once it is shown.
    {
        let wanted = state.focus.clone();
        let root = root.clone();
        let to = state.dispatcher();
        let env = p.env.clone();
        use_effect(move || {
            if let Some(name) = wanted {
                if focus(&root, &env.id(&name)) {
                    to.dispatch(Action::Focused);
                }
            }
            mount_children(&root);
        });
    }

    let on = {
        let state = state.clone();
        let env = p.env.clone();
        Callback::from(move |msg: Msg| match msg {
            Msg::Do(action) => state.dispatch(action),
            Msg::Send(kind) => {
                let body = state.sendable(kind);
                state.dispatch(Action::Send(kind));
                if let Some(body) = body {
                    send(&env, &state, kind, body, state.dispatcher());
                }
            }
            Msg::Withdraw => {
                state.dispatch(Action::Withdraw);
                let url = initiative_url(&env, state.target(), "/join");
                request::<JoinState>(
                    "DELETE",
                    url,
                    voter(&env),
                    None,
                    state.dispatcher(),
                    Action::Withdrew,
                );
            }
            Msg::Back => back(&state, &state.dispatcher()),
            Msg::RemovePhoto => {
                let url = initiative_url(&env, state.target(), "/photo");
                let header = Some((mekaar_api::MANAGE_HEADER, state.token.as_str().into()));
                request::<ManageView>("DELETE", url, header, None, state.dispatcher(), |r| {
                    Action::Answered(FormKind::Photo, r.map(|v| Answer::Managed(Box::new(v))))
                });
            }
            Msg::Copy => {
                let link = state.submitted.as_ref().map_or("", |s| s.0.as_str());
                state.dispatch(Action::Copied(copy(link)));
            }
        })
    };

    view(&state, &p.env, &on, root)
}
