//! An HTTP answer as the integration tests read it: status, headers and body, read
//! completely (a live stream's body is left unread: it never ends), with the checks
//! every test file makes.

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::RequestBuilder;
use serde_json::Value;

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    /// The raw body (empty for a live stream).
    pub text: String,
    /// The body as JSON, or as a JSON string when it is not JSON (null for a stream).
    pub body: Value,
}

/// Sends `request` and reads its answer.
pub async fn call(request: RequestBuilder) -> Answer {
    let response = request.send().await.expect("request answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let streams = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/event-stream"));
    let (text, body) = if streams {
        (String::new(), Value::Null)
    } else {
        let text = response.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text.clone()));
        (text, body)
    };
    Answer {
        status,
        headers,
        text,
        body,
    }
}

/// Sends `request`, asserts the answer's `status` and returns its JSON body.
pub async fn call_expecting(request: RequestBuilder, status: u16) -> Value {
    call(request).await.expect_status(status).clone()
}

impl Answer {
    /// The header's values, joined by ", " when it occurs more than once.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// Asserts a JSON error answer with this status, this code and a message;
    /// returns the message.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) -> &str {
        assert_eq!(self.status, status, "status of {self:?}");
        assert_eq!(self.body["error"]["code"], code, "error code of {self:?}");
        let message = self.body["error"]["message"].as_str().unwrap_or("");
        assert!(!message.trim().is_empty(), "empty message in {self:?}");
        message
    }

    /// Asserts a 400 `invalid_field` whose message names `field`.
    #[track_caller]
    pub fn expect_invalid(&self, field: &str) {
        let message = self.expect_error(400, "invalid_field");
        assert!(
            message.contains(&format!("`{field}`")),
            "message does not name `{field}`: {self:?}"
        );
    }

    #[track_caller]
    pub fn expect_status(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "expected {status}, got {self:?}");
        &self.body
    }

    #[track_caller]
    pub fn expect_ok(&self) -> &Value {
        self.expect_status(200)
    }

    /// The body as a wire type, after checking the status.
    #[track_caller]
    pub fn parse<T: serde::de::DeserializeOwned>(&self, status: u16) -> T {
        let body = self.expect_status(status).clone();
        serde_json::from_value(body)
            .unwrap_or_else(|err| panic!("body does not fit the wire type ({err}): {self:?}"))
    }
}
