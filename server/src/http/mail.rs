//! The server's pages for e-mail links: `/mail/confirm/{token}` (double
//! opt-in: a GET confirms, once) and `/mail/unsubscribe/{token}` (a GET only
//! shows a button; a POST, the button's or a mail program's RFC 8058
//! one-click, unsubscribes at once, without cookies or a further question).

use std::sync::Arc;

use serde::Deserialize;
use warp::filters::BoxedFilter;
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY};
use warp::http::{HeaderValue, Method, StatusCode};
use warp::reply::Response;
use warp::Filter;

use super::{limited_body, method_not_allowed, parse_query, raw_query, App};
use crate::mail::{self, PageKind};

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    lang: Option<String>,
}

pub(super) fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    use warp::path;
    path!("mail" / "confirm" / String)
        .map(|token| (token, false))
        .or(path!("mail" / "unsubscribe" / String).map(|token| (token, true)))
        .unify()
        .and(warp::method())
        .and(raw_query())
        .and(limited_body(&app))
        .then(
            move |(token, unsubscribe): (String, bool),
                  method: Method,
                  query: String,
                  _body: warp::hyper::body::Bytes| {
                let app = app.clone();
                async move { serve(&app, &token, unsubscribe, &method, &query).await }
            },
        )
        .boxed()
}

async fn serve(
    app: &App,
    token: &str,
    unsubscribe: bool,
    method: &Method,
    query: &str,
) -> Response {
    let lang = parse_query::<PageQuery>(query).ok().and_then(|q| q.lang);
    let lang = lang.as_deref();
    let store = &app.store;
    let allowed: &[Method] = if unsubscribe {
        &[Method::GET, Method::HEAD, Method::POST]
    } else {
        &[Method::GET, Method::HEAD]
    };
    if !allowed.contains(method) {
        return method_not_allowed(allowed);
    }
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
            if kind != PageKind::AskUnsubscribe {
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
