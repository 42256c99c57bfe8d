//! The browser side of the poll widget (and its overlay view): the root component that
//! keeps a [`Ballot`] in `use_reducer_eq` and runs its effects. State and views are in
//! `poll.rs`.
//!
//! Effects, each ended when its inputs change or the app is destroyed (`unmount`):
//! - the view is fetched whenever [`Ballot::load`] asks (a late answer of an ended fetch
//!   is dropped);
//! - live updates: an `EventSource` on `…/polls/{id}/live` (which reconnects by itself,
//!   sending `Last-Event-ID`), with `?viewer=TICKET` once the resident voted; a draft
//!   (409 `poll_not_open`) is followed as well, and its first event of another phase
//!   fetches the view again. A stream the server refused is tried again after 5 s. The
//!   stream closes when the ticket changes and when the widget ends;
//! - the throttled live region: a timer until [`Ballot::announce_at`];
//! - the focus, moved to where [`Ballot::focus`] names.

use crate::api::{self, encode_segment};
use crate::poll::{view, Action, Ballot, Handlers};
use crate::widget::Env;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use mekaar_api::polls::{LiveUpdate, PollView, VoteReceipt};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, HtmlElement, MessageEvent};
use yew::prelude::*;

/// A poll placeholder: `poll` of `env.community`; `overlay` for `data-view="overlay"`.
#[derive(Clone, PartialEq, Properties)]
pub struct Props {
    pub env: Rc<Env>,
    pub poll: Rc<str>,
    #[prop_or_default]
    pub overlay: bool,
}

impl Props {
    /// `{base}api/v1/communities/{c}/polls/{id}{tail}`.
    fn url(&self, tail: &str) -> String {
        let mut url = api::community_url(&self.env.base, &self.env.community);
        url.push_str("/polls/");
        url.push_str(&encode_segment(&self.poll));
        url.push_str(tail);
        url
    }

    /// The voter header; none for the overlay, which is nobody's vote (and so asks
    /// without a CORS preflight).
    fn voter(&self) -> Option<Rc<str>> {
        (!self.overlay).then(|| self.env.voter.clone())
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The live stream and what listens to it; dropping it closes the stream.
struct Stream {
    source: EventSource,
    _update: EventListener,
    _error: EventListener,
    _retry: Rc<RefCell<Option<Timeout>>>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

#[function_component(PollWidget)]
pub fn poll_widget(p: &Props) -> Html {
    let configured = !p.env.community.trim().is_empty() && !p.poll.trim().is_empty();
    let ballot = use_reducer_eq(|| Ballot::new(p.env.lang, p.overlay, configured));
    let root = use_node_ref();
    // Bumped to open the live stream again after the server refused it.
    let reconnect = use_state_eq(|| 0u32);

    // The view, whenever the state asks for it.
    {
        let dispatcher = ballot.dispatcher();
        let props = p.clone();
        use_effect_with(ballot.load, move |&(n, refresh)| {
            let alive = Rc::new(Cell::new(true));
            if n > 0 {
                let alive = alive.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let voter = props.voter();
                    let header = voter.as_deref().map(|v| (mekaar_api::VOTER_HEADER, v));
                    let result = api::fetch::<PollView>("GET", &props.url(""), header, None).await;
                    if alive.get() {
                        dispatcher.dispatch(Action::Loaded(result, refresh, now()));
                    }
                });
            }
            move || alive.set(false)
        });
    }

    // The live stream, for the ticket the resident has now.
    {
        let dispatcher = ballot.dispatcher();
        let props = p.clone();
        let reconnect = reconnect.clone();
        let ticket: Option<Rc<str>> = ballot.ticket().map(Rc::from);
        use_effect_with(
            (ballot.follows(), ticket, *reconnect),
            move |(follows, ticket, _)| {
                let stream = follows
                    .then(|| follow(&props, ticket.as_deref(), dispatcher, reconnect))
                    .flatten();
                move || drop(stream)
            },
        );
    }

    // The live region's next turn.
    {
        let dispatcher = ballot.dispatcher();
        use_effect_with(ballot.announce_at, move |at| {
            let timer = at.map(|at| {
                let wait = (at - now()).max(0.0) + 50.0;
                Timeout::new(wait as u32, move || {
                    dispatcher.dispatch(Action::Announce(now()))
                })
            });
            move || drop(timer)
        });
    }

    // The focus, where the last change put it.
    {
        let root = root.clone();
        let env = p.env.clone();
        use_effect_with(ballot.focus, move |&(_, name)| {
            let target = name.and_then(|name| {
                let root = root.cast::<web_sys::Element>()?;
                root.query_selector(&env.anchor(name)).ok().flatten()
            });
            if let Some(el) = target.and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
                let _ = el.focus();
            }
        });
    }

    let on = {
        let submit = {
            let ballot = ballot.clone();
            let props = p.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let request = if ballot.busy {
                    None
                } else {
                    ballot.request().ok()
                };
                ballot.dispatch(Action::Submit);
                let Some(request) = request else {
                    return;
                };
                let dispatcher = ballot.dispatcher();
                // A preview (the console's snippet builder) never votes.
                if props.env.preview {
                    dispatcher.dispatch(Action::Voted(Err(api::Problem::Preview.into()), now()));
                    return;
                }
                let url = props.url("/vote");
                let voter = props.env.voter.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let header = Some((mekaar_api::VOTER_HEADER, &*voter));
                    let body = Some(api::to_json(&request));
                    let result = api::fetch::<VoteReceipt>("POST", &url, header, body).await;
                    dispatcher.dispatch(Action::Voted(result, now()));
                });
            })
        };
        let dispatcher = ballot.dispatcher();
        Handlers {
            choose: {
                let d = dispatcher.clone();
                Callback::from(move |(option, on)| d.dispatch(Action::Choose(option, on)))
            },
            code: {
                let d = dispatcher.clone();
                Callback::from(move |code| d.dispatch(Action::Code(code)))
            },
            submit,
            retry: Callback::from(move |_| dispatcher.dispatch(Action::Reload)),
        }
    };

    view(&ballot, &p.env, &on, root)
}

/// Opens the live stream (with the viewer ticket, if any).
fn follow(
    props: &Props,
    ticket: Option<&str>,
    dispatcher: UseReducerDispatcher<Ballot>,
    reconnect: UseStateHandle<u32>,
) -> Option<Stream> {
    let mut url = props.url("/live");
    if let Some(ticket) = ticket {
        url.push_str("?viewer=");
        url.push_str(&encode_segment(ticket));
    }
    let source = EventSource::new(&url).ok()?;
    let update = EventListener::new(&source, "update", move |e| {
        let Some(data) = e
            .dyn_ref::<MessageEvent>()
            .and_then(|m| m.data().as_string())
        else {
            return;
        };
        let Ok(value) = js_sys::JSON::parse(&data) else {
            return;
        };
        if let Ok(update) = api::decode::<LiveUpdate>(value) {
            dispatcher.dispatch(Action::Live(update, now()));
        }
    });
    // An EventSource reconnects by itself, unless the server refused it: then try again
    // a little later.
    let retry: Rc<RefCell<Option<Timeout>>> = Rc::default();
    let error = {
        let source = source.clone();
        let retry = retry.clone();
        EventListener::new(&source.clone(), "error", move |_| {
            if source.ready_state() == EventSource::CLOSED && retry.borrow().is_none() {
                let reconnect = reconnect.clone();
                *retry.borrow_mut() = Some(Timeout::new(5_000, move || {
                    reconnect.set(reconnect.wrapping_add(1))
                }));
            }
        })
    };
    Some(Stream {
        source,
        _update: update,
        _error: error,
        _retry: retry,
    })
}
