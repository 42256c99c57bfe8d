//! Reading server-sent events (the polls' live streams) as a browser's `EventSource` would:
//! blocks separated by a blank line, `id:`, `event:` and `data:` fields, comments and
//! `retry:` skipped. A live stream never ends, so every read is bounded (by
//! [`HANG_GUARD`] or by a deadline of its own); the HTTP client has no body timeout for it.

use std::time::{Duration, Instant};

use mekaar_api::polls::LiveUpdate;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::RequestBuilder;

use crate::wait::HANG_GUARD;

/// One event as sent: its id, its type and its `data:` lines joined by newlines.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

/// An event stream being read.
pub struct EventStream {
    response: reqwest::Response,
    /// Received text not yet parsed into events.
    pending: String,
    /// Everything received, comments and `retry:` included (for messages and checks).
    raw: String,
}

impl EventStream {
    /// Sends `request` and checks that the answer is a 200 event stream.
    pub async fn connect(request: RequestBuilder) -> EventStream {
        let response = tokio::time::timeout(HANG_GUARD, request.send())
            .await
            .expect("live stream answered in time")
            .expect("live stream answered");
        assert_eq!(response.status(), 200, "live stream: {response:?}");
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(
            content_type.starts_with("text/event-stream"),
            "content type {content_type}"
        );
        EventStream::new(response)
    }

    /// Reads `response`'s body as an event stream (its status and type unchecked).
    pub fn new(response: reqwest::Response) -> EventStream {
        EventStream {
            response,
            pending: String::new(),
            raw: String::new(),
        }
    }

    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// Everything received so far.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Waits until `deadline` for more of the stream; false when nothing came by then.
    /// The stream ending is a failure: a live stream stays open.
    pub async fn receive(&mut self, deadline: tokio::time::Instant) -> bool {
        let Ok(chunk) = tokio::time::timeout_at(deadline, self.response.chunk()).await else {
            return false;
        };
        let chunk = chunk
            .expect("stream readable")
            .unwrap_or_else(|| panic!("the stream ended; received {:?}", self.raw));
        let text = String::from_utf8_lossy(&chunk);
        self.pending.push_str(&text);
        self.raw.push_str(&text);
        true
    }

    /// The next complete event in what was received, if any (comments and blocks without
    /// data, such as `retry:`, are skipped).
    fn parse_one(&mut self) -> Option<Event> {
        loop {
            let normalized = self.pending.replace("\r\n", "\n");
            let end = normalized.find("\n\n")?;
            let block = normalized[..end].to_string();
            self.pending = normalized[end + 2..].to_string();
            let (mut id, mut event, mut data) = (None, None, Vec::new());
            for line in block.lines() {
                if line.starts_with(':') {
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => id = Some(value.to_string()),
                    "event" => event = Some(value.to_string()),
                    "data" => data.push(value.to_string()),
                    _ => {}
                }
            }
            if data.is_empty() {
                continue;
            }
            return Some(Event {
                id,
                event,
                data: data.join("\n"),
            });
        }
    }

    /// The next event, or `None` when none comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Event> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(event) = self.parse_one() {
                return Some(event);
            }
            if !self.receive(deadline).await {
                return None;
            }
        }
    }
}

/// One event of a poll's live stream.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub update: LiveUpdate,
}

/// A poll's live stream (the residents' or the editor's) being read: every event an
/// `update` whose id is its seq, and whose data is a [`LiveUpdate`].
pub struct Live {
    pub stream: EventStream,
}

impl Live {
    /// Sends `request` and checks that the answer is a 200 event stream.
    pub async fn connect(request: RequestBuilder) -> Live {
        Live {
            stream: EventStream::connect(request).await,
        }
    }

    /// Everything received so far.
    pub fn raw(&self) -> &str {
        self.stream.raw()
    }

    /// The next event, or `None` when none comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<LiveEvent> {
        let Event { id, event, data } = self.stream.next_within(wait).await?;
        let update: LiveUpdate = serde_json::from_str(&data)
            .unwrap_or_else(|err| panic!("event data is not a LiveUpdate ({err}): {data}"));
        Some(LiveEvent { id, event, update })
    }

    #[track_caller]
    fn check(event: &LiveEvent) {
        assert_eq!(event.event.as_deref(), Some("update"), "{event:?}");
        assert_eq!(
            event.id.as_deref(),
            Some(event.update.seq.to_string().as_str()),
            "the id of an event is its seq: {event:?}"
        );
    }

    /// The next event (hang guard [`HANG_GUARD`]).
    pub async fn next(&mut self) -> LiveEvent {
        let event = self
            .next_within(HANG_GUARD)
            .await
            .unwrap_or_else(|| panic!("no event within the hang guard; got {:?}", self.raw()));
        Self::check(&event);
        event
    }

    /// Reads events until one fits `wanted`; returns it and every event before it.
    pub async fn until(
        &mut self,
        what: &str,
        wanted: impl Fn(&LiveUpdate) -> bool,
    ) -> Vec<LiveEvent> {
        let start = Instant::now();
        let mut seen = Vec::new();
        loop {
            let left = HANG_GUARD.saturating_sub(start.elapsed());
            let Some(event) = self.next_within(left).await else {
                panic!("gave up waiting for {what}; events: {seen:#?}");
            };
            Self::check(&event);
            let done = wanted(&event.update);
            seen.push(event);
            if done {
                return seen;
            }
        }
    }
}
