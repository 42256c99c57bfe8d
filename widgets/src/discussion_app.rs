//! The browser side of the discussion widget: the root component that keeps a [`Talk`]
//! in `use_reducer_eq` and runs its effects. State in `discussion.rs`, views in
//! `discussion_view.rs`.
//!
//! Effects, each ended when its inputs change or the app is destroyed (`unmount`):
//! - pages 1..=n are fetched whenever [`Talk::load`] changes, the next page whenever
//!   [`Talk::more`] does (a late answer of an ended fetch is dropped);
//! - live: every 5 s, while the page is visible (`document.hidden` pauses it), page 1 is
//!   asked again with `If-None-Match` (the last `ETag`); the server answers 304 while the
//!   thread is unchanged, else the shown pages are fetched again and replace the list.
//!   Drafts live in the state and the lists are keyed, so nothing a resident types is
//!   disturbed; new reactions are announced once, politely;
//! - the focus, moved to where [`Talk::focus`] names.

use crate::api::{self, encode_segment, Failure, Problem};
use crate::discussion::{Action, Query, Request, Talk, Target};
use crate::discussion_view::{view, Msg};
use crate::widget::Env;
use gloo_timers::callback::Interval;
use mekaar_api::discussions::{AgreeState, Reaction, ThreadView};
use mekaar_api::ReportState;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// How often the thread is checked for changes.
const POLL_MS: u32 = 5_000;

/// A discussion placeholder: the thread of `target` in `env.community`.
#[derive(Clone, PartialEq, Properties)]
pub struct Props {
    pub env: Rc<Env>,
    pub target: Option<Target>,
    /// The initiative's manage token, on the initiator's own manage page
    /// (`data-as="initiator"`): reactions posted here carry the initiator's badge.
    pub manage: Option<Rc<str>>,
}

impl Props {
    /// `{community}/threads/{kind}/{id}{tail}`.
    fn thread_url(&self, tail: &str) -> String {
        let mut url = api::community_url(&self.env.base, &self.env.community);
        if let Some(target) = &self.target {
            url.push_str("/threads/");
            url.push_str(target.kind.as_str());
            url.push('/');
            url.push_str(&encode_segment(&target.id));
        }
        url.push_str(tail);
        url
    }

    /// `{community}/reactions/{rid}{tail}`.
    fn reaction_url(&self, id: &str, tail: &str) -> String {
        let mut url = api::community_url(&self.env.base, &self.env.community);
        url.push_str("/reactions/");
        url.push_str(&encode_segment(id));
        url.push_str(tail);
        url
    }
}

fn now() -> u64 {
    crate::i18n::now()
}

thread_local! {
    /// Set when a server refused the conditional header (its preflight does not allow
    /// `If-None-Match`): then the checks ask plainly and compare versions.
    static PLAIN: Cell<bool> = const { Cell::new(false) };
}

/// One page of the thread: `None` when the server says our copy (`etag`) is current.
async fn page(
    props: &Props,
    query: Query,
    n: u32,
    etag: Option<&str>,
) -> Result<Option<(ThreadView, Option<String>)>, Failure> {
    let url = props.thread_url(&query.search(n));
    let voter = (mekaar_api::VOTER_HEADER, &*props.env.voter);
    let etag = etag.filter(|_| !PLAIN.with(Cell::get));
    let mut headers = vec![voter];
    if let Some(etag) = etag {
        headers.push(("if-none-match", etag));
    }
    let response = match api::send("GET", &url, &headers, None).await {
        Ok(r) => r,
        // A server that does not allow the header in a preflight: ask without it.
        Err(f) if f.problem == Problem::Unreachable && etag.is_some() => {
            let r = api::send("GET", &url, &[voter], None).await?;
            PLAIN.with(|p| p.set(true));
            r
        }
        Err(f) => return Err(f),
    };
    if response.status() == 304 {
        return Ok(None);
    }
    let body = api::read_json(&response).await;
    if !response.ok() {
        return Err(api::failure(&response, &body));
    }
    let tag = response.headers().get("etag").ok().flatten();
    Ok(Some((api::decode::<ThreadView>(body)?, tag)))
}

/// Pages 1..=`query.pages`; `None` when page 1 is unchanged since `etag`.
async fn pages(
    props: &Props,
    query: Query,
    etag: Option<&str>,
) -> Result<Option<(Vec<ThreadView>, Option<String>)>, Failure> {
    let Some((first, tag)) = page(props, query, 1, etag).await? else {
        return Ok(None);
    };
    let mut views = vec![first];
    for n in 2..=query.pages {
        if let Some((view, _)) = page(props, query, n, None).await? {
            let last = view.reactions.is_empty();
            views.push(view);
            if last {
                break;
            }
        }
    }
    Ok(Some((views, tag)))
}

#[function_component(DiscussionWidget)]
pub fn discussion_widget(p: &Props) -> Html {
    let configured = !p.env.community.trim().is_empty() && p.target.is_some();
    let talk = use_reducer_eq(|| Talk::new(p.env.lang, configured));
    let root = use_node_ref();

    // Pages 1..=n, whenever the state asks.
    {
        let dispatcher = talk.dispatcher();
        let props = p.clone();
        let query = talk.query;
        use_effect_with(talk.load, move |&n| {
            let alive = Rc::new(Cell::new(true));
            if n > 0 {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = pages(&props, query, None).await;
                    if alive.get() {
                        let (result, tag) = match result {
                            Ok(Some((views, tag))) => (Ok(views), tag),
                            Ok(None) => return,
                            Err(f) => (Err(f), None),
                        };
                        dispatcher.dispatch(Action::Loaded(result, tag, false, now()));
                    }
                });
            }
            move || alive.set(false)
        });
    }

    // The next page.
    {
        let dispatcher = talk.dispatcher();
        let props = p.clone();
        let query = talk.query;
        use_effect_with(talk.more, move |&n| {
            let alive = Rc::new(Cell::new(true));
            if n > 0 {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = page(&props, query, query.pages + 1, None)
                        .await
                        .and_then(|v| v.map(|(v, _)| v).ok_or(Problem::Generic.into()));
                    if alive.get() {
                        dispatcher.dispatch(Action::MoreLoaded(result));
                    }
                });
            }
            move || alive.set(false)
        });
    }

    // Live: the conditional check every few seconds while the page is visible.
    {
        let dispatcher = talk.dispatcher();
        let props = p.clone();
        let ready = talk.thread.is_some();
        use_effect_with(
            (ready, talk.query, talk.etag.clone(), talk.load),
            move |(ready, query, etag, _)| {
                let alive = Rc::new(Cell::new(true));
                let timer = ready.then(|| {
                    let (query, etag, alive) = (*query, etag.clone(), alive.clone());
                    let busy = Rc::new(Cell::new(false));
                    Interval::new(POLL_MS, move || {
                        let hidden = web_sys::window()
                            .and_then(|w| w.document())
                            .is_some_and(|d| d.hidden());
                        if hidden || busy.get() {
                            return;
                        }
                        busy.set(true);
                        let (props, etag, alive, busy, dispatcher) = (
                            props.clone(),
                            etag.clone(),
                            alive.clone(),
                            busy.clone(),
                            dispatcher.clone(),
                        );
                        wasm_bindgen_futures::spawn_local(async move {
                            let result = pages(&props, query, etag.as_deref()).await;
                            busy.set(false);
                            // A failed check stays quiet: the next one tries again.
                            if let (true, Ok(Some((views, tag)))) = (alive.get(), result) {
                                dispatcher.dispatch(Action::Loaded(Ok(views), tag, true, now()));
                            }
                        });
                    })
                });
                move || {
                    alive.set(false);
                    drop(timer);
                }
            },
        );
    }

    // The focus, where the last change put it.
    {
        let root = root.clone();
        let env = p.env.clone();
        use_effect_with(talk.focus.clone(), move |(_, name)| {
            let target = name.as_ref().and_then(|name| {
                let root = root.cast::<web_sys::Element>()?;
                root.query_selector(&env.anchor(name)).ok().flatten()
            });
            if let Some(el) = target.and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
    }

    let on = {
        let talk = talk.clone();
        let props = p.clone();
        Callback::from(move |msg: Msg| {
            let dispatcher = talk.dispatcher();
            let props = props.clone();
            let voter = props.env.voter.clone();
            match msg {
                Msg::Do(action) => dispatcher.dispatch(action),
                Msg::Send => {
                    let request = talk.post_request();
                    dispatcher.dispatch(Action::Submit);
                    let Some(request) = request else {
                        return;
                    };
                    if props.env.preview {
                        dispatcher.dispatch(Action::Posted(Err(Problem::Preview.into()), now()));
                        return;
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        let mut headers = vec![(mekaar_api::VOTER_HEADER, &*voter)];
                        if let Some(token) = &props.manage {
                            headers.push((mekaar_api::MANAGE_HEADER, token));
                        }
                        let body = Some(api::to_json(&request));
                        let url = props.thread_url("/reactions");
                        let result =
                            api::fetch_with::<Reaction>("POST", &url, &headers, body).await;
                        dispatcher.dispatch(Action::Posted(result, now()));
                    });
                }
                Msg::SendOpen => {
                    let request = talk.open_request();
                    dispatcher.dispatch(Action::SubmitOpen);
                    let Some(request) = request else {
                        return;
                    };
                    let preview = props.env.preview;
                    wasm_bindgen_futures::spawn_local(async move {
                        let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                        fn refused<T>() -> Result<T, Failure> {
                            Err(Problem::Preview.into())
                        }
                        match request {
                            Request::Post(post) => {
                                let result = if preview {
                                    refused()
                                } else {
                                    let url = props.thread_url("/reactions");
                                    let body = Some(api::to_json(&post));
                                    let mut headers = vec![(mekaar_api::VOTER_HEADER, &*voter)];
                                    if let Some(token) = &props.manage {
                                        headers.push((mekaar_api::MANAGE_HEADER, token));
                                    }
                                    api::fetch_with::<Reaction>("POST", &url, &headers, body).await
                                };
                                dispatcher.dispatch(Action::Replied(result, now()));
                            }
                            Request::Edit(id, edit) => {
                                let result = if preview {
                                    refused()
                                } else {
                                    let url = props.reaction_url(&id, "");
                                    let body = Some(api::to_json(&edit));
                                    api::fetch::<Reaction>("PATCH", &url, header, body).await
                                };
                                dispatcher.dispatch(Action::Edited(result));
                            }
                            Request::Report(id, reason) => {
                                let result = if preview {
                                    refused()
                                } else {
                                    let url = props.reaction_url(&id, "/report");
                                    let body =
                                        Some(api::to_json(&mekaar_api::ReportRequest { reason }));
                                    api::fetch::<ReportState>("POST", &url, header, body)
                                        .await
                                        .map(|_| ())
                                };
                                dispatcher.dispatch(Action::ReportDone(id, result));
                            }
                        }
                    });
                }
                Msg::Agree(id) => {
                    if talk.busy.contains(&id) {
                        return;
                    }
                    let agreed = talk.find(&id).is_some_and(|r| r.agreed);
                    dispatcher.dispatch(Action::Agree(id.clone()));
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = if props.env.preview {
                            Err(Problem::Preview.into())
                        } else {
                            let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                            let method = if agreed { "DELETE" } else { "PUT" };
                            let url = props.reaction_url(&id, "/agree");
                            api::fetch::<AgreeState>(method, &url, header, None).await
                        };
                        dispatcher.dispatch(Action::AgreeDone(id, result));
                    });
                }
                Msg::Delete(id) => {
                    if talk.busy.contains(&id) {
                        return;
                    }
                    dispatcher.dispatch(Action::Delete(id.clone()));
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = if props.env.preview {
                            Err(Problem::Preview.into())
                        } else {
                            let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                            let url = props.reaction_url(&id, "");
                            api::call("DELETE", &url, header, None).await.map(|_| ())
                        };
                        dispatcher.dispatch(Action::Deleted(id, result));
                    });
                }
            }
        })
    };

    view(&talk, &p.env, &on, root)
}
