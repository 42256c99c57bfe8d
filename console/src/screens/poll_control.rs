//! The live control of one poll (`#/polls/{id}`): big buttons open, close, reveal, hide
//! and reset (which asks to confirm and names the round it resets), the totals as they
//! come in over the admin live stream (`…/polls/{id}/live`, an `EventSource`: same origin,
//! so the session cookie goes along), the join code with the phone page, QR code and
//! overlay links, and batches of printed vote codes (CSV download or a printable sheet).
//!
//! The totals table follows every update; screen readers hear the totals from a separate
//! polite live region, `#poll-announce`, at most once every [`ANNOUNCE_EVERY_MS`].
//!
//! Element ids: `#poll-phase`, `#poll-round`, `#poll-live` (the stream's state),
//! `#poll-open`, `#poll-close`, `#poll-reveal`, `#poll-hide`, `#poll-reset` (then
//! `#poll-reset-yes`/`#poll-reset-no`), `#poll-action-status`, `#poll-action-error`,
//! `#poll-totals` (a table, `td.poll-votes` per option), `#poll-total`, `#poll-join-code`,
//! `#poll-phone-link`, `#poll-overlay-link`, `#poll-edit`, `#poll-state-badge` (OPEN /
//! GESLOTEN, large), `#poll-preview` (the dark overlay, as on air, scaled down), and for vote codes
//! `#codes-count`, `#codes-csv`, `#codes-html`, `#codes-link`.

use std::rc::Rc;

use mekaar_api::polls::{
    Audience, LiveUpdate, Phase, PollAction, PollActionRequest, PollAdminView, VoteCodesRequest,
};
use yew::prelude::*;

use super::kit::{
    self, blob_url, focus_heading, focus_selector, input_text, ConfirmBox, Live, LiveEvent,
};
use super::polls::{phase_key, poll_path, visibility_key, votes_text};
use super::{format_time, CopyButton, ErrorAlert, Heading, LoadFailed, Loading, Status};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::use_session;

/// Least time between two announcements of the totals to screen readers.
pub const ANNOUNCE_EVERY_MS: f64 = 5_000.0;

/// The live stream's state, shown next to the totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Connection {
    #[default]
    Connecting,
    Live,
    /// Dropped; the browser reconnects by itself.
    Reconnecting,
    /// The browser gave up (the session ended, the poll is gone).
    Stopped,
}

#[derive(Default, PartialEq)]
struct State {
    view: Option<Result<PollAdminView, ApiError>>,
    connection: Connection,
    /// The newest live event applied.
    seq: u64,
}

enum Msg {
    Loaded(Result<PollAdminView, ApiError>),
    Update(LiveUpdate),
    Connection(Connection),
}

impl Reducible for State {
    type Action = Msg;

    fn reduce(self: Rc<Self>, action: Msg) -> Rc<Self> {
        let mut next = State {
            view: self.view.clone(),
            connection: self.connection,
            seq: self.seq,
        };
        match action {
            Msg::Loaded(Ok(view)) => next.view = Some(Ok(view)),
            // A failed reload keeps what is shown; only a first load shows the error.
            Msg::Loaded(Err(e)) => {
                if !matches!(next.view, Some(Ok(_))) {
                    next.view = Some(Err(e));
                }
            }
            Msg::Update(update) => {
                if update.seq < next.seq && update.seq != 0 {
                    return self;
                }
                next.seq = update.seq;
                if let Some(Ok(view)) = &mut next.view {
                    view.phase = update.phase;
                    view.poll.round = update.round;
                    view.poll.revealed = update.revealed;
                    if let Some(results) = update.results {
                        view.results = results;
                    }
                }
            }
            Msg::Connection(c) => next.connection = c,
        }
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq)]
pub struct ControlProps {
    pub id: AttrValue,
}

/// The live control of poll `id`.
#[function_component(PollControl)]
pub fn poll_control(props: &ControlProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let state = use_reducer(State::default);
    let reload = use_state(|| 0_u32);
    let reconnect = use_state(|| 0_u32);
    let busy = use_state(|| false);
    let said = use_state(|| None::<AttrValue>);
    let error = use_state(|| None::<ApiError>);
    let confirm = use_state(|| None::<u32>);

    use_effect_with((), |_| focus_heading());
    // Reached through the sign-in (the control link): once the poll is there, the focus
    // goes to its first control that can act, so an editor on air can act at once.
    // Otherwise it stays on the heading, as on every screen.
    let fresh = use_state(crate::session::just_signed_in);
    use_effect_with(matches!(state.view, Some(Ok(_))), move |&loaded| {
        if loaded && *fresh {
            focus_selector(".big-actions button:not([aria-disabled])");
        }
    });
    {
        let state = state.dispatcher();
        let path = poll_path(&community, &props.id, "");
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(Msg::Loaded(api::get::<PollAdminView>(&path).await));
            });
        });
    }
    {
        // The admin live stream, for as long as this view is shown.
        let dispatch = state.dispatcher();
        let url = poll_path(&community, &props.id, "/live");
        let reload = reload.clone();
        use_effect_with(*reconnect, move |_| {
            dispatch.dispatch(Msg::Connection(Connection::Connecting));
            let on_event = {
                let dispatch = dispatch.clone();
                Callback::from(move |event: LiveEvent| match event {
                    LiveEvent::Update(data) => {
                        let update = js_sys::JSON::parse(&data)
                            .ok()
                            .and_then(|v| serde_wasm_bindgen::from_value::<LiveUpdate>(v).ok());
                        if let Some(update) = update {
                            dispatch.dispatch(Msg::Connection(Connection::Live));
                            dispatch.dispatch(Msg::Update(update));
                        }
                    }
                    LiveEvent::Open => {
                        dispatch.dispatch(Msg::Connection(Connection::Live));
                    }
                    LiveEvent::Error { closed } => {
                        dispatch.dispatch(Msg::Connection(if closed {
                            Connection::Stopped
                        } else {
                            Connection::Reconnecting
                        }));
                        if closed {
                            // Says why (e.g. the session ended: back to sign-in).
                            reload.set(*reload + 1);
                        }
                    }
                })
            };
            let live = Live::open(&url, on_event);
            if live.is_none() {
                dispatch.dispatch(Msg::Connection(Connection::Stopped));
            }
            move || drop(live)
        });
    }

    // The announcement is computed on every render and passed on at most every few seconds.
    let summary = match &state.view {
        Some(Ok(v)) => announce_text(v, lang),
        _ => String::new(),
    };
    let announced = kit::use_throttled(summary, ANNOUNCE_EVERY_MS);

    // Every state renders [heading, back link, one `div.detail`]: yew matches unkeyed
    // children from the end, so the same shape keeps the focused `<h1>` element.
    let back = html! { <p><a href="#/polls" id="polls-back">{ t(Key::PollsBack) }</a></p> };
    let view = match &state.view {
        None => {
            return html! {
                <>
                    <Heading text={t(Key::PollsTitle)} />
                    { back }
                    <div class="detail"><Loading /></div>
                </>
            }
        }
        Some(Err(e)) => {
            let retry = {
                let reload = reload.clone();
                Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
            };
            // A control link of another community's poll: this session cannot see it.
            let elsewhere = e.is(mekaar_api::ErrorCode::PollNotFound).then(|| {
                let switch = session.switch.clone();
                let name = if session.info.community_name.is_empty() {
                    &session.info.community
                } else {
                    &session.info.community_name
                };
                html! {
                    <>
                        <p id="poll-elsewhere">{ fill(t(Key::PollsElsewhere), &[("community", name)]) }</p>
                        <p><button type="button" id="poll-switch" onclick={Callback::from(move |_| switch.emit(()))}>
                            { t(Key::PollsSwitch) }
                        </button></p>
                    </>
                }
            });
            return html! {
                <>
                    <Heading text={t(Key::PollsTitle)} />
                    { back }
                    <div class="detail">
                        <LoadFailed error={e.clone()} on_retry={retry} />
                        { elsewhere.unwrap_or_default() }
                    </div>
                </>
            };
        }
        Some(Ok(view)) => view.clone(),
    };
    let poll = &view.poll;
    let phase = view.phase;

    let act = |action: PollAction, done: Key| {
        let (busy, said, error, confirm) =
            (busy.clone(), said.clone(), error.clone(), confirm.clone());
        let dispatch = state.dispatcher();
        let path = poll_path(&community, &poll.id, "/state");
        let round = poll.round;
        move || {
            if *busy {
                return;
            }
            busy.set(true);
            said.set(None);
            error.set(None);
            confirm.set(None);
            if action == PollAction::Reset {
                // The question's "yes" goes away: the focus goes back to where it was asked.
                focus_selector("#poll-reset");
            }
            let body = PollActionRequest {
                action,
                round: (action == PollAction::Reset).then_some(round),
            };
            let (busy, said, error, dispatch, path) = (
                busy.clone(),
                said.clone(),
                error.clone(),
                dispatch.clone(),
                path.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::post::<_, PollAdminView>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(after) => {
                        said.set(Some(
                            fill(done.text(lang), &[("n", &after.poll.round.to_string())]).into(),
                        ));
                        dispatch.dispatch(Msg::Loaded(Ok(after)));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let big = |id: &'static str, label: Key, enabled: bool, onclick: Callback<MouseEvent>| {
        let disabled = !enabled || *busy;
        let onclick = Callback::from(move |e: MouseEvent| {
            if !disabled {
                onclick.emit(e)
            }
        });
        // Resetting throws the round's votes away: it looks destructive.
        let class = classes!("big", (id == "poll-reset").then_some("danger"));
        html! {
            <button type="button" {class} {id} aria-disabled={disabled.then_some("true")} {onclick}>
                { t(label) }
            </button>
        }
    };
    let do_open = act(PollAction::Open, Key::PollsOpened);
    let do_close = act(PollAction::Close, Key::PollsClosed);
    let do_reveal = act(PollAction::Reveal, Key::PollsRevealed);
    let do_hide = act(PollAction::Hide, Key::PollsHidden);
    let do_reset = act(PollAction::Reset, Key::PollsResetDone);
    let ask_reset = {
        let confirm = confirm.clone();
        let said = said.clone();
        let round = poll.round;
        Callback::from(move |_: MouseEvent| {
            said.set(None);
            confirm.set(Some(round));
        })
    };
    let cancel_reset = {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| {
            confirm.set(None);
            focus_selector("#poll-reset");
        })
    };

    let connection = match state.connection {
        Connection::Connecting => Key::PollsLiveConnecting,
        Connection::Live => Key::PollsLiveOn,
        Connection::Reconnecting => Key::PollsLiveReconnecting,
        Connection::Stopped => Key::PollsLiveStopped,
    };
    let total = view.results.total_votes;
    let origin = kit::origin();
    let phone = format!("{origin}/p/{}", poll.join_code);
    let overlay = format!("{origin}/overlay/{}", poll.id);
    let overlay_light = format!("{overlay}?theme=light");
    // The big state an editor reads at a glance: can people vote now?
    let (badge, badge_class) = match phase {
        Phase::Open => (Key::PollsOnAirOpen, "on-air-open"),
        Phase::Closed => (Key::PollsOnAirClosed, "on-air-closed"),
        Phase::Scheduled => (Key::PollsPhaseScheduled, "on-air-waiting"),
        Phase::Draft => (Key::PollsPhaseDraft, "on-air-waiting"),
    };

    html! {
        <>
            <Heading text={poll.question.clone()} />
            { back }
            <div class="detail">
            <section class="card" aria-labelledby="poll-state-title">
                <h2 id="poll-state-title">{ t(Key::PollsControl) }</h2>
                <p id="poll-state-badge" class={classes!("on-air-state", badge_class)}>{ t(badge) }</p>
                <dl class="facts">
                    <div><dt>{ t(Key::PollsColPhase) }</dt><dd id="poll-phase">{ t(phase_key(phase)) }</dd></div>
                    <div><dt>{ t(Key::PollsRound) }</dt><dd id="poll-round">{ poll.round }</dd></div>
                    <div><dt>{ t(Key::PollsFactResults) }</dt><dd>
                        { t(visibility_key(poll.results)) }
                        if poll.revealed { { " — " }{ t(Key::PollsRevealedNow) } }
                    </dd></div>
                    if let Some(at) = poll.opens_at {
                        <div><dt>{ t(Key::PollsFactOpensAt) }</dt><dd>{ format_time(at, lang) }</dd></div>
                    }
                    if let Some(at) = poll.closes_at {
                        <div><dt>{ t(Key::PollsFactClosesAt) }</dt><dd>{ format_time(at, lang) }</dd></div>
                    }
                </dl>
                <div class="actions big-actions">
                    { big("poll-open", Key::PollsOpen, matches!(phase, Phase::Draft | Phase::Closed), Callback::from(move |_| do_open())) }
                    { big("poll-close", Key::PollsClose, matches!(phase, Phase::Open | Phase::Scheduled), Callback::from(move |_| do_close())) }
                    { big("poll-reveal", Key::PollsReveal, !poll.revealed, Callback::from(move |_| do_reveal())) }
                    { big("poll-hide", Key::PollsHide, poll.revealed, Callback::from(move |_| do_hide())) }
                    { big("poll-reset", Key::PollsReset, confirm.is_none(), ask_reset) }
                </div>
                if let Some(round) = *confirm {
                    <ConfirmBox id="poll-reset"
                        question={html! { fill(t(Key::PollsResetAsk), &[("n", &round.to_string()), ("votes", &votes_text(total, lang))]) }}
                        yes={t(Key::PollsResetYes)} cancel={t(Key::CommonCancel)}
                        on_yes={Callback::from(move |_| do_reset())} on_no={cancel_reset} />
                }
                <Status id={AttrValue::from("poll-action-status")} text={(*said).clone()} />
                <ErrorAlert id={AttrValue::from("poll-action-error")} error={(*error).clone()} />
                <p class="actions">
                    <a id="poll-edit" href={format!("#/polls/{}/edit", poll.id)}>{ t(Key::PollsEdit) }</a>
                </p>
            </section>

            <section class="card" aria-labelledby="poll-totals-title">
                <h2 id="poll-totals-title">{ t(Key::PollsTotals) }</h2>
                <p id="poll-live" class="hint" role="status">
                    { t(connection) }
                    if state.connection == Connection::Stopped {
                        { " " }
                        <button type="button" id="poll-reconnect"
                            onclick={let r = reconnect.clone(); Callback::from(move |_| r.set(*r + 1))}>
                            { t(Key::PollsLiveReconnect) }
                        </button>
                    }
                </p>
                <p class="big-number" id="poll-total">{ votes_text(total, lang) }</p>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="poll-totals-caption">
                    <table id="poll-totals">
                        <caption id="poll-totals-caption">{ fill(t(Key::PollsTotalsCaption), &[("n", &poll.round.to_string())]) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ t(Key::PollsColOption) }</th>
                                <th scope="col">{ t(Key::PollsColVotes) }</th>
                                <th scope="col">{ t(Key::PollsColShare) }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for poll.options.iter().enumerate().map(|(i, option)| {
                                let n = view.results.totals.get(i).copied().unwrap_or(0);
                                html! {
                                    <tr>
                                        <th scope="row">{ option }</th>
                                        <td class="poll-votes">{ n }</td>
                                        <td>{ percent(n, total) }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{ t(Key::PollsTotalsHint) }</p>
                <div id="poll-announce" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
                    { announced }
                </div>
            </section>

            <section class="card" aria-labelledby="poll-links-title">
                <h2 id="poll-links-title">{ t(Key::PollsLinks) }</h2>
                if phase == Phase::Draft {
                    <p class="hint">{ t(Key::PollsLinksDraft) }</p>
                }
                <dl class="facts">
                    <div><dt>{ t(Key::PollsColJoinCode) }</dt><dd><code id="poll-join-code" class="join-code">{ &poll.join_code }</code></dd></div>
                </dl>
                <ul class="link-list">
                    <li>
                        <a id="poll-phone-link" href={phone.clone()} target="_blank" rel="noopener">{ t(Key::PollsPhoneLink) }</a>
                        { " " }<code>{ &phone }</code>{ " " }<span class="hint">{ t(Key::PollsNewTab) }</span>
                    </li>
                    <li>
                        <a id="poll-overlay-link" href={overlay.clone()} target="_blank" rel="noopener">{ t(Key::PollsOverlayDark) }</a>
                        { " " }<span class="hint">{ t(Key::PollsNewTab) }</span>
                        { " " }<CopyButton text={overlay.clone()} label={AttrValue::from(t(Key::PollsCopyOverlay))} />
                    </li>
                    <li>
                        <a id="poll-overlay-light-link" href={overlay_light.clone()} target="_blank" rel="noopener">{ t(Key::PollsOverlayLight) }</a>
                        { " " }<span class="hint">{ t(Key::PollsNewTab) }</span>
                    </li>
                </ul>
                <figure class="on-air">
                    <figcaption id="poll-preview-title">{ t(Key::PollsOnAirPreview) }</figcaption>
                    <div class="on-air-frame">
                        <iframe id="poll-preview" src={overlay.clone()} title={t(Key::PollsOnAirPreview)}
                            width="1280" height="720" loading="lazy"></iframe>
                    </div>
                </figure>
                if phase != Phase::Draft {
                    <img class="qr" src={format!("/qr/{}.svg", poll.join_code)}
                        alt={fill(t(Key::PollsQrAlt), &[("url", &phone)])} width="160" height="160" />
                }
            </section>

            if matches!(poll.audience, Audience::Codes) {
                <CodesPanel id={props.id.clone()} made={poll.vote_codes}
                    on_made={let r = reload.clone(); Callback::from(move |_| r.set(*r + 1))} />
            }
            </div>
        </>
    }
}

/// `n` of `total` as a whole percentage ("38 %"), or a dash without votes.
fn percent(n: u64, total: u64) -> String {
    if total == 0 {
        return "–".into();
    }
    format!("{} %", (n * 100 + total / 2) / total)
}

/// What screen readers hear about the totals: "3 stemmen. Ja: 2, Nee: 1."
fn announce_text(view: &PollAdminView, lang: Lang) -> String {
    let per_option: Vec<String> = view
        .poll
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{o}: {}", view.results.totals.get(i).copied().unwrap_or(0)))
        .collect();
    fill(
        Key::PollsAnnounce.text(lang),
        &[
            ("votes", &votes_text(view.results.total_votes, lang)),
            ("options", &per_option.join(", ")),
        ],
    )
}

#[derive(Properties, PartialEq)]
struct CodesProps {
    id: AttrValue,
    /// How many codes were made so far.
    made: u32,
    /// Codes were made (the count changed).
    on_made: Callback<()>,
}

/// A batch of single-use vote codes: as a CSV file or as a printable sheet.
#[function_component(CodesPanel)]
fn codes_panel(props: &CodesProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let count = use_state(|| "100".to_string());
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    // The newest file: how many codes, CSV or sheet, its blob: URL.
    let made = use_state(|| None::<(usize, bool, String)>);

    let make = |csv: bool| {
        let (count, busy, error, made) = (count.clone(), busy.clone(), error.clone(), made.clone());
        let path = poll_path(
            &session.info.community,
            &props.id,
            if csv {
                "/codes?format=csv"
            } else {
                "/codes?format=html"
            },
        );
        let on_made = props.on_made.clone();
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            let n = count.trim().parse::<usize>().unwrap_or(0);
            error.set(None);
            busy.set(true);
            let (busy, error, made, path, on_made) = (
                busy.clone(),
                error.clone(),
                made.clone(),
                path.clone(),
                on_made.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = match api::to_json(&VoteCodesRequest { count: n }) {
                    Ok(body) => api::send("POST", &path, Some(body)).await,
                    Err(e) => Err(e),
                };
                busy.set(false);
                match answer {
                    Ok(response) => {
                        if let Some(url) = blob_url(&response).await {
                            if let Some((_, _, old)) = &*made {
                                kit::revoke_url(old);
                            }
                            made.set(Some((n, csv, url)));
                            on_made.emit(());
                            kit::later(0, || focus_selector("#codes-link"));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    html! {
        <section class="card" aria-labelledby="codes-title">
            <h2 id="codes-title">{ t(Key::PollsCodes) }</h2>
            <p id="codes-made">{ fill(t(Key::PollsCodesMade), &[("n", &props.made.to_string())]) }</p>
            <div class="field">
                <label for="codes-count">{ t(Key::PollsCodesCount) }</label>
                <input id="codes-count" type="number" min="1"
                    max={mekaar_api::polls::limits::CODES_PER_BATCH.to_string()}
                    aria-describedby="codes-hint" value={(*count).clone()}
                    oninput={let s = count.clone(); Callback::from(move |e: InputEvent| s.set(input_text(&e)))} />
                <p class="hint" id="codes-hint">{ t(Key::PollsCodesHint) }</p>
            </div>
            <div class="actions">
                <button type="button" id="codes-csv" aria-disabled={(*busy).then_some("true")} onclick={make(true)}>
                    { t(Key::PollsCodesCsv) }
                </button>
                <button type="button" id="codes-html" aria-disabled={(*busy).then_some("true")} onclick={make(false)}>
                    { t(Key::PollsCodesSheet) }
                </button>
            </div>
            if let Some((n, csv, url)) = &*made {
                <p class="status-line">
                    { fill(t(Key::PollsCodesReady), &[("n", &n.to_string())]) }{ " " }
                    if *csv {
                        <a id="codes-link" href={url.clone()} download={fill(t(Key::PollsCodesFileName), &[("id", &props.id)])}>{ t(Key::PollsCodesDownload) }</a>
                    } else {
                        <a id="codes-link" href={url.clone()} target="_blank" rel="noopener">{ t(Key::PollsCodesOpenSheet) }</a>
                    }
                </p>
            }
            <ErrorAlert id={AttrValue::from("codes-error")} error={(*error).clone()} />
        </section>
    }
}
