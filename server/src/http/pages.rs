//! Pages the server serves itself: the initiator's manage page.

use mekaar_api::is_valid_slug;
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY};
use warp::http::{HeaderMap, HeaderValue, Method};
use warp::reply::Response;
use warp::{Filter, Rejection};

use super::{only, GET_OR_HEAD};
use crate::errors::ApiError;
use crate::secrets;

const MANAGE_PAGE: &str = include_str!("../../pages/manage.html");

pub(super) fn routes() -> impl Filter<Extract = (Response,), Error = Rejection> + Clone {
    warp::path!("manage" / String / String)
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .map(
            |community: String, id: String, method: Method, _: HeaderMap| {
                only(&method, GET_OR_HEAD, || manage_page(&community, &id))
            },
        )
}

/// The private manage link `/manage/{community}/{id}#{token}` lands here.
/// The token stays in the fragment: browsers never send it to a server,
/// so it is in no log; the widget reads it from `location.hash`.
fn manage_page(community: &str, id: &str) -> Result<Response, ApiError> {
    if !is_valid_slug(community) || !secrets::is_plausible_id(id) {
        return Err(ApiError::route_not_found());
    }
    // Both are [a-z0-9-] only (checked above), so they are safe in HTML.
    let html = MANAGE_PAGE
        .replace("{{COMMUNITY}}", community)
        .replace("{{INITIATIVE}}", id);
    let mut response = Response::new(html.into());
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}
