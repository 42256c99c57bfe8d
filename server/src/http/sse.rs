//! The live stream of a poll as Server-Sent Events: the newest snapshot on
//! connect, then every publication of the live hub (at most 4 a second
//! while votes arrive; state changes at once), heartbeats in between.
//! Totals are only in an event when this watcher may see them.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::watch;
use warp::http::HeaderValue;
use warp::reply::Response;
use warp::sse::Event;
use warp::Reply;

use super::App;
use crate::errors::ApiResult;
use crate::live::Snapshot;
use crate::polls;

/// Silence longer than this gets a comment line, so proxies keep the
/// connection and clients notice a dead one.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How soon a browser reconnects after the connection drops.
const RETRY: Duration = Duration::from_secs(2);

/// Who watches.
pub enum Watcher {
    /// The editor: every total, whatever the visibility rule.
    Admin,
    /// A resident; the viewer ticket (from a vote) counts as having voted.
    Resident { ticket: Option<String> },
}

struct State {
    app: Arc<App>,
    community: String,
    poll: String,
    watcher: Watcher,
    rx: watch::Receiver<Arc<Snapshot>>,
    /// The snapshot the client has (from `Last-Event-ID`): not sent again.
    seen: Option<u64>,
    /// Whether the ticket is valid, for the round it was checked in.
    ticket_valid: Option<(u32, bool)>,
}

impl State {
    fn event(&mut self, snapshot: &Snapshot) -> Event {
        let update = match &self.watcher {
            Watcher::Admin => snapshot.for_admin(),
            Watcher::Resident { ticket } => {
                let voted = match self.ticket_valid {
                    Some((round, valid)) if round == snapshot.round => valid,
                    _ => {
                        let valid = polls::is_viewer_ticket(
                            &self.app.store,
                            &self.app.tallies,
                            (&self.community, &self.poll, snapshot.round),
                            ticket.as_deref(),
                        )
                        .unwrap_or(false);
                        self.ticket_valid = Some((snapshot.round, valid));
                        valid
                    }
                };
                snapshot.for_viewer(voted)
            }
        };
        let event = Event::default().event("update").id(update.seq.to_string());
        event
            .json_data(&update)
            .unwrap_or_else(|_| Event::default().comment("unserialisable update"))
    }
}

/// The SSE answer for one watcher of one poll (which must exist).
pub async fn live(
    app: Arc<App>,
    community: &str,
    poll: &str,
    watcher: Watcher,
    last_event_id: Option<&str>,
) -> ApiResult<Response> {
    let rx = app.live.subscribe(community, poll).await?;
    let state = State {
        app,
        community: community.to_string(),
        poll: poll.to_string(),
        watcher,
        rx,
        seen: last_event_id.and_then(|id| id.trim().parse().ok()),
        ticket_valid: None,
    };
    let updates = futures_util::stream::unfold(state, |mut state| async move {
        loop {
            let snapshot = state.rx.borrow_and_update().clone();
            if state.seen != Some(snapshot.seq) {
                state.seen = Some(snapshot.seq);
                let event = state.event(&snapshot);
                return Some((Ok::<_, Infallible>(event), state));
            }
            // The hub keeps the sender while anyone watches: an error means
            // the server is stopping.
            state.rx.changed().await.ok()?;
        }
    });
    Ok(stream_reply(updates))
}

/// An event stream answer: a `retry:` first, heartbeats in silences, not cached,
/// not buffered by reverse proxies.
fn stream_reply(
    updates: impl futures_util::Stream<Item = Result<Event, Infallible>> + Send + Sync + 'static,
) -> Response {
    let events =
        futures_util::stream::once(async { Ok(Event::default().retry(RETRY)) }).chain(updates);
    let stream = warp::sse::keep_alive()
        .interval(HEARTBEAT)
        .text("heartbeat")
        .stream(events);
    let mut response = warp::sse::reply(stream).into_response();
    let headers = response.headers_mut();
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    // Ask reverse proxies (nginx) not to buffer the stream.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// How often a thread's watchers hear of changes at most: many reactions in
/// a burst become one event, and each watcher then reads the page once.
const THREAD_COALESCE: Duration = Duration::from_millis(500);

/// The SSE answer for one watcher of a discussion thread: an event `changed`
/// with the thread's version on connect and after changes (at most twice a
/// second); the widget then reads the page it shows, conditionally.
pub fn thread_live(
    cache: Arc<crate::discussions::ThreadCache>,
    rx: watch::Receiver<u64>,
) -> ApiResult<Response> {
    let changed = |version: u64| {
        Event::default()
            .event("changed")
            .id(version.to_string())
            .data(version.to_string())
    };
    // The cache travels with the stream: a watched thread stays in memory. A change
    // after a quiet spell goes out at once; changes close behind it wait for the rest of
    // the half second and go out as one event.
    let updates = futures_util::stream::unfold(
        (cache, rx, None::<(u64, tokio::time::Instant)>),
        move |(cache, mut rx, sent)| async move {
            loop {
                let version = *rx.borrow_and_update();
                match sent {
                    Some((seen, _)) if seen == version => {}
                    Some((_, at)) if at.elapsed() < THREAD_COALESCE => {
                        tokio::time::sleep_until(at + THREAD_COALESCE).await;
                        let newest = *rx.borrow_and_update();
                        let now = tokio::time::Instant::now();
                        return Some((Ok(changed(newest)), (cache, rx, Some((newest, now)))));
                    }
                    _ => {
                        let now = tokio::time::Instant::now();
                        return Some((Ok(changed(version)), (cache, rx, Some((version, now)))));
                    }
                }
                rx.changed().await.ok()?;
            }
        },
    );
    Ok(stream_reply(updates))
}
