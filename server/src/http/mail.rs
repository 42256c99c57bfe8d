//! The server's pages for e-mail links: `/mail/confirm/{token}` (double
//! opt-in: a GET confirms, once) and `/mail/unsubscribe/{token}` (a GET only
//! shows a button; a POST, the button's or a mail program's RFC 8058
//! one-click, unsubscribes at once, without cookies or a further question).

use serde::Deserialize;
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY};
use warp::http::{HeaderValue, Method, StatusCode};
use warp::reply::Response;

use super::{parse_query, App, Request};
use crate::mail::{self, PageKind};

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

/// The two links of an e-mail, with their token.
#[derive(Debug, Clone)]
pub(crate) enum Link {
    Confirm(String),
    Unsubscribe(String),
}

/// Answers one request to a mail link.
pub(super) async fn serve(app: &App, link: Link, request: &Request) -> Response {
    let (token, unsubscribe) = match link {
        Link::Confirm(token) => (token, false),
        Link::Unsubscribe(token) => (token, true),
    };
    answer(app, &token, unsubscribe, &request.method, &request.query).await
}

async fn answer(
    app: &App,
    token: &str,
    unsubscribe: bool,
    method: &Method,
    query: &str,
) -> Response {
    let lang = parse_query::<PageQuery>(query).ok().and_then(|q| q.lang);
    let lang = lang.as_deref();
    let store = &app.store;
    let token = token.chars().take(128).collect::<String>();
    let outcome = match (unsubscribe, method == Method::POST) {
        (false, _) => mail::confirm(store, &token).map(|(_, c)| (PageKind::Confirmed, c)),
        (true, false) => {
            mail::unsubscribe_community(store, &token).map(|c| (PageKind::AskUnsubscribe, c))
        }
        (true, true) => mail::unsubscribe(store, &token).map(|(_, c)| (PageKind::Unsubscribed, c)),
    };
    match outcome {
        Ok((kind, community)) => {
            // A GET that writes: the dispatcher waits for durability only
            // after writing methods, so the confirmation waits here.
            if kind == PageKind::Confirmed {
                if let Err(err) = store.durable().await {
                    return warp::Reply::into_response(crate::errors::ApiError::from(err));
                }
            }
            html(mail::page(kind, community.as_ref(), lang), StatusCode::OK)
        }
        Err(error) if error.status() == StatusCode::NOT_FOUND => html(
            mail::page(PageKind::UnknownLink, None, lang),
            StatusCode::NOT_FOUND,
        ),
        Err(error) => warp::Reply::into_response(error),
    }
}

fn html(page: String, status: StatusCode) -> Response {
    let mut response = Response::new(page.into());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}
