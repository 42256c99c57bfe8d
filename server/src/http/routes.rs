//! The whole HTTP surface in one table: which methods an address answers,
//! its pattern (as in `openapi.json`), and the handler of its area. One warp
//! filter (`http::routes`) hands every request to [`dispatch`], which matches
//! the path with `matchit`, answers 404 `route_not_found` when no pattern
//! fits and 405 `method_not_allowed` with an `Allow` header from the table
//! when the method is not listed, reads the body within the route's limit,
//! calls the handler, and waits for durability once before a 2xx to a write.

use std::sync::{Arc, LazyLock};

use futures_util::Stream;
use warp::http::header::ALLOW;
use warp::http::{HeaderMap, HeaderValue, Method};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::Reply;

use super::admin::Endpoint as A;
use super::mail::Link as M;
use super::pages::Page as P;
use super::public::Endpoint as C;
use super::{read_limited, App, Asset as E, Request, BODY_LIMIT_BYTES, PHOTO_LIMIT_BYTES};
use crate::connections::Peer;
use crate::errors::ApiError;
use Handler::{Admin, Assets, Mail, Pages, Public, Session};
use To::{One, Three, Two, Unit};

/// Which part of the server answers an address (and how: CORS for
/// `Public`, tokens or the console's session for `Admin`, pages for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Health, the OpenAPI document, the widget bundle, photos.
    Assets,
    /// The residents' API, called by widgets on other sites (CORS).
    Public,
    /// The admin API (bearer tokens or the console's session; no CORS).
    Admin,
    /// Signing in to the console.
    Session,
    /// Pages and their files: landing, phone, overlay, console, frames, share.
    Pages,
    /// The links in e-mails (confirm, unsubscribe).
    Mail,
}

/// How a handler's address is made from the path's parameters, in order
/// (for `Public` without the first, the community).
pub(crate) enum To<T> {
    Unit(T),
    One(fn(String) -> T),
    Two(fn(String, String) -> T),
    Three(fn(String, String, String) -> T),
}

pub(crate) enum Handler {
    Assets(To<E>),
    Public(To<C>),
    Admin(To<A>),
    Session,
    Pages(To<P>),
    Mail(To<M>),
}

/// One row of the table.
pub struct Route {
    /// The methods answered, as the `Allow` header lists them.
    pub methods: &'static str,
    /// The path, with `{name}` parameters as in `openapi.json`.
    pub pattern: &'static str,
    /// The largest body read; `None`: the body is not read.
    pub body_limit: Option<u64>,
    handler: Handler,
}

const JSON: Option<u64> = Some(BODY_LIMIT_BYTES);
const PHOTO: Option<u64> = Some(PHOTO_LIMIT_BYTES);
const NONE: Option<u64> = None;

const fn r(
    methods: &'static str,
    pattern: &'static str,
    body: Option<u64>,
    handler: Handler,
) -> Route {
    Route {
        methods,
        pattern,
        body_limit: body,
        handler,
    }
}

/// Every address of the server.
#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    r("GET, HEAD",         "/healthz",                                                   NONE,  Assets(Unit(E::Health))),
    r("GET, HEAD",         "/api/openapi.json",                                          NONE,  Assets(Unit(E::OpenApi))),
    r("GET, HEAD",         "/embed.js",                                                  NONE,  Assets(Unit(E::EmbedJs))),
    r("GET, HEAD",         "/pkg/{file}",                                                NONE,  Assets(One(E::Bundle))),
    r("GET, HEAD",         "/photos/{photo}",                                            NONE,  Assets(One(E::Photo))),
    // The residents' API: /api/v1/communities/{community}…
    r("GET",               "/api/v1/communities/{community}",                            JSON,  Public(Unit(C::Community))),
    r("GET, POST",         "/api/v1/communities/{community}/initiatives",                JSON,  Public(Unit(C::Initiatives))),
    r("GET",               "/api/v1/communities/{community}/initiatives/{initiative}",   JSON,  Public(One(C::Initiative))),
    r("GET, PUT, DELETE",  "/api/v1/communities/{community}/initiatives/{initiative}/support", JSON, Public(One(C::Support))),
    r("GET, POST, DELETE", "/api/v1/communities/{community}/initiatives/{initiative}/join", JSON, Public(One(C::Join))),
    r("POST",              "/api/v1/communities/{community}/initiatives/{initiative}/report", JSON, Public(One(C::Report))),
    r("GET, PATCH",        "/api/v1/communities/{community}/initiatives/{initiative}/manage", JSON, Public(One(C::Manage))),
    r("POST",              "/api/v1/communities/{community}/initiatives/{initiative}/manage/updates", JSON, Public(One(C::ManageUpdates))),
    r("PUT, DELETE",       "/api/v1/communities/{community}/initiatives/{initiative}/photo", PHOTO, Public(One(C::Photo))),
    r("GET",               "/api/v1/communities/{community}/initiatives/{initiative}/steps", JSON, Public(One(C::InitiativeSteps))),
    r("PUT",               "/api/v1/communities/{community}/initiatives/{initiative}/steps/{step}", JSON, Public(Two(C::InitiativeStep))),
    r("GET, POST",         "/api/v1/communities/{community}/initiatives/{initiative}/meetings", JSON, Public(One(C::InitiativeMeetings))),
    r("GET",               "/api/v1/communities/{community}/initiatives/{initiative}/meetings.ics", JSON, Public(One(C::InitiativeMeetingsIcs))),
    r("GET",               "/api/v1/communities/{community}/feed.json",                  JSON,  Public(Unit(C::FeedJson))),
    r("GET",               "/api/v1/communities/{community}/feed.atom",                  JSON,  Public(Unit(C::FeedAtom))),
    r("GET",               "/api/v1/communities/{community}/polls/{poll}",               JSON,  Public(One(C::Poll))),
    r("POST",              "/api/v1/communities/{community}/polls/{poll}/vote",          JSON,  Public(One(C::PollVote))),
    r("GET",               "/api/v1/communities/{community}/polls/{poll}/results",       JSON,  Public(One(C::PollResults))),
    r("GET",               "/api/v1/communities/{community}/polls/{poll}/live",          JSON,  Public(One(C::PollLive))),
    r("GET",               "/api/v1/communities/{community}/open-data/initiatives.csv",  JSON,  Public(Unit(C::OpenDataInitiatives))),
    r("GET",               "/api/v1/communities/{community}/open-data/poll-results.csv", JSON,  Public(Unit(C::OpenDataPollResults))),
    r("GET",               "/api/v1/communities/{community}/threads/{kind}/{thread}",    JSON,  Public(Two(C::Thread))),
    r("POST",              "/api/v1/communities/{community}/threads/{kind}/{thread}/reactions", JSON, Public(Two(C::ThreadReactions))),
    r("GET",               "/api/v1/communities/{community}/threads/{kind}/{thread}/live", JSON, Public(Two(C::ThreadLive))),
    r("PATCH, DELETE",     "/api/v1/communities/{community}/reactions/{reaction}",       JSON,  Public(One(C::Reaction))),
    r("PUT, DELETE",       "/api/v1/communities/{community}/reactions/{reaction}/agree", JSON,  Public(One(C::ReactionAgree))),
    r("POST",              "/api/v1/communities/{community}/reactions/{reaction}/report", JSON, Public(One(C::ReactionReport))),
    r("GET",               "/api/v1/communities/{community}/steps",                      JSON,  Public(Unit(C::Steps))),
    r("GET",               "/api/v1/communities/{community}/meetings",                   JSON,  Public(Unit(C::Meetings))),
    r("GET",               "/api/v1/communities/{community}/meetings.ics",               JSON,  Public(Unit(C::MeetingsIcs))),
    r("GET, PATCH",        "/api/v1/communities/{community}/meetings/{meeting}",         JSON,  Public(One(C::Meeting))),
    r("GET",               "/api/v1/communities/{community}/meetings/{meeting}.ics",     JSON,  Public(One(C::MeetingIcs))),
    r("GET, PUT, DELETE",  "/api/v1/communities/{community}/meetings/{meeting}/attend",  JSON,  Public(One(C::MeetingAttend))),
    r("POST",              "/api/v1/communities/{community}/manage-link",                JSON,  Public(Unit(C::ManageLink))),
    // The admin API: /api/v1/admin/…
    r("GET, POST",         "/api/v1/admin/communities",                                  JSON,  Admin(Unit(A::Communities))),
    r("GET",               "/api/v1/admin/export",                                       JSON,  Admin(Unit(A::Export))),
    r("GET",               "/api/v1/admin/metrics",                                      JSON,  Admin(Unit(A::Metrics))),
    r("GET, PATCH",        "/api/v1/admin/communities/{community}",                      JSON,  Admin(One(A::Community))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/tokens",               JSON,  Admin(One(A::Tokens))),
    r("DELETE",            "/api/v1/admin/communities/{community}/tokens/{token}",       JSON,  Admin(Two(A::Token))),
    r("GET",               "/api/v1/admin/communities/{community}/export",               JSON,  Admin(One(A::CommunityExport))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/initiatives",          JSON,  Admin(One(A::Initiatives))),
    r("GET, PATCH",        "/api/v1/admin/communities/{community}/initiatives/{initiative}", JSON, Admin(Two(A::Initiative))),
    r("POST",              "/api/v1/admin/communities/{community}/initiatives/{initiative}/moderation", JSON, Admin(Two(A::Moderation))),
    r("PUT",               "/api/v1/admin/communities/{community}/initiatives/{initiative}/answer", JSON, Admin(Two(A::Answer))),
    r("POST",              "/api/v1/admin/communities/{community}/initiatives/{initiative}/erase", JSON, Admin(Two(A::Erase))),
    r("PUT, DELETE",       "/api/v1/admin/communities/{community}/initiatives/{initiative}/photo", PHOTO, Admin(Two(A::Photo))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/initiatives/{initiative}/meetings", JSON, Admin(Two(A::InitiativeMeetings))),
    r("GET",               "/api/v1/admin/communities/{community}/initiatives/{initiative}/steps", JSON, Admin(Two(A::InitiativeSteps))),
    r("PUT",               "/api/v1/admin/communities/{community}/initiatives/{initiative}/steps/{step}", JSON, Admin(Three(A::InitiativeStep))),
    r("PATCH",             "/api/v1/admin/communities/{community}/meetings/{meeting}",   JSON,  Admin(Two(A::Meeting))),
    r("GET",               "/api/v1/admin/communities/{community}/audit",                JSON,  Admin(One(A::Audit))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/webhooks",             JSON,  Admin(One(A::Webhooks))),
    r("GET",               "/api/v1/admin/communities/{community}/webhooks/deliveries",  JSON,  Admin(One(A::Deliveries))),
    r("DELETE",            "/api/v1/admin/communities/{community}/webhooks/{webhook}",   JSON,  Admin(Two(A::Webhook))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/polls",                JSON,  Admin(One(A::Polls))),
    r("GET, PATCH",        "/api/v1/admin/communities/{community}/polls/{poll}",         JSON,  Admin(Two(A::Poll))),
    r("POST",              "/api/v1/admin/communities/{community}/polls/{poll}/state",   JSON,  Admin(Two(A::PollState))),
    r("POST",              "/api/v1/admin/communities/{community}/polls/{poll}/codes",   JSON,  Admin(Two(A::PollCodes))),
    r("GET",               "/api/v1/admin/communities/{community}/polls/{poll}/live",    JSON,  Admin(Two(A::PollLive))),
    r("GET",               "/api/v1/admin/communities/{community}/reactions",            JSON,  Admin(One(A::Reactions))),
    r("POST",              "/api/v1/admin/communities/{community}/reactions/{reaction}/moderate", JSON, Admin(Two(A::ReactionModeration))),
    r("GET, POST",         "/api/v1/admin/communities/{community}/topics",               JSON,  Admin(One(A::Topics))),
    r("GET, PATCH",        "/api/v1/admin/communities/{community}/threads/{kind}/{thread}", JSON, Admin(Three(A::Thread))),
    r("POST",              "/api/v1/admin/communities/{community}/threads/{kind}/{thread}/reactions", JSON, Admin(Three(A::OfficialReactions))),
    r("GET",               "/api/v1/admin/communities/{community}/mail",                 JSON,  Admin(One(A::Mail))),
    r("GET, PUT",          "/api/v1/admin/communities/{community}/steps",                JSON,  Admin(One(A::Steps))),
    r("GET",               "/api/v1/admin/communities/{community}/steps/funnel",         JSON,  Admin(One(A::StepsFunnel))),
    r("GET, POST, DELETE", "/api/v1/session",                                            JSON,  Session),
    // Pages for people (and the join-code lookup, JSON for the phone page).
    r("GET, HEAD",         "/",                                                          NONE,  Pages(Unit(P::Landing))),
    r("GET, HEAD",         "/manage/{community}/{initiative}",                           NONE,  Pages(Two(P::Manage))),
    r("GET, HEAD",         "/p",                                                         NONE,  Pages(Unit(P::JoinForm))),
    r("GET, HEAD",         "/p/{code}",                                                  NONE,  Pages(One(P::Phone))),
    r("GET, HEAD",         "/api/v1/polls/join/{code}",                                  NONE,  Pages(One(P::JoinLookup))),
    r("GET, HEAD",         "/overlay/{poll}",                                            NONE,  Pages(One(P::Overlay))),
    r("GET, HEAD",         "/control/{poll}",                                            NONE,  Pages(One(P::Control))),
    r("GET, HEAD",         "/qr/{code}.svg",                                             NONE,  Pages(One(P::Qr))),
    r("GET, HEAD",         "/i/{short}",                                                 NONE,  Pages(One(P::Short))),
    r("GET, HEAD",         "/poster/{community}/{initiative}",                           NONE,  Pages(Two(P::Poster))),
    r("GET, HEAD",         "/flyer/{community}/{meeting}",                               NONE,  Pages(Two(P::Flyer))),
    r("GET, HEAD",         "/share.js",                                                  NONE,  Pages(Unit(P::ShareScript))),
    r("GET, HEAD",         "/admin",                                                     NONE,  Pages(Unit(P::Console))),
    r("GET, HEAD",         "/pkg/console/{file}",                                        NONE,  Pages(One(P::ConsoleFile))),
    r("GET, HEAD",         "/embed/{kind}",                                              NONE,  Pages(One(P::Frame))),
    r("GET, HEAD",         "/mail/confirm/{token}",                                      JSON,  Mail(One(M::Confirm))),
    r("GET, HEAD, POST",   "/mail/unsubscribe/{token}",                                  JSON,  Mail(One(M::Unsubscribe))),
];

/// Addresses in the table that `openapi.json` leaves out on purpose: the
/// console and its files, widget frames and e-mail links are for browsers
/// and mail programs, not for API clients.
pub const UNDOCUMENTED: &[&str] = &[
    "/admin",
    "/pkg/console/{file}",
    "/embed/{kind}",
    "/mail/confirm/{token}",
    "/mail/unsubscribe/{token}",
];

impl Route {
    pub fn area(&self) -> Area {
        match self.handler {
            Assets(_) => Area::Assets,
            Public(_) => Area::Public,
            Admin(_) => Area::Admin,
            Session => Area::Session,
            Pages(_) => Area::Pages,
            Mail(_) => Area::Mail,
        }
    }

    /// Whether `method` is one this address answers.
    pub fn allows(&self, method: &Method) -> bool {
        self.methods.split(", ").any(|m| m == method.as_str())
    }
}

static ROUTER: LazyLock<matchit::Router<&'static Route>> = LazyLock::new(|| {
    let mut router = matchit::Router::new();
    for route in ROUTES {
        if let Err(err) = router.insert(route.pattern, route) {
            panic!("route {} conflicts: {err}", route.pattern);
        }
    }
    router
});

/// The route of `path` (one trailing `/` allowed; no empty segments) and the
/// values of its parameters, in order.
pub fn find(path: &str) -> Option<(&'static Route, Vec<String>)> {
    if !path.starts_with('/') || path.contains("//") {
        return None;
    }
    let path = match path.strip_suffix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => path,
    };
    let matched = ROUTER.at(path).ok()?;
    let params = matched.params.iter().map(|(_, v)| v.to_string()).collect();
    Some((*matched.value, params))
}

impl<T: Clone> To<T> {
    fn make(&self, params: Vec<String>) -> Option<T> {
        let mut p = params.into_iter();
        let mut next = || p.next();
        Some(match self {
            Unit(t) => t.clone(),
            One(f) => f(next()?),
            Two(f) => f(next()?, next()?),
            Three(f) => f(next()?, next()?, next()?),
        })
    }
}

/// What the edge filter hands over: the request without its body.
pub(super) struct Incoming {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub peer: Option<Peer>,
}

/// Answers one request through the table.
pub(super) async fn dispatch(
    app: &Arc<App>,
    incoming: Incoming,
    body: impl Stream<Item = Result<impl warp::Buf, warp::Error>>,
) -> Response {
    let Some((route, params)) = find(&incoming.path) else {
        return ApiError::route_not_found().into_response();
    };
    let (mut response, headers) = answer(app, route, params, incoming, body).await;
    if route.area() == Area::Public {
        // Refusals too: a widget says why it cannot work.
        crate::cors::expose_to_caller(&mut response, &headers);
    }
    response
}

async fn answer(
    app: &Arc<App>,
    route: &'static Route,
    mut params: Vec<String>,
    incoming: Incoming,
    body: impl Stream<Item = Result<impl warp::Buf, warp::Error>>,
) -> (Response, HeaderMap) {
    let Incoming {
        method,
        query,
        headers,
        peer,
        ..
    } = incoming;
    // A public address's preflight is answered by its handler (after the
    // community's origin check), with the methods of the table.
    let preflight = method == Method::OPTIONS && route.area() == Area::Public;
    if !route.allows(&method) && !preflight {
        return (method_not_allowed(route.methods), headers);
    }
    let body = match route.body_limit {
        Some(limit) => match read_limited(app, &headers, body, limit).await {
            Ok(body) => body,
            Err(error) => return (error.into_response(), headers),
        },
        None => Bytes::new(),
    };
    let writes = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let request = Request {
        method,
        headers,
        query,
        body,
        peer,
        allow: route.methods,
    };
    let not_found = || ApiError::route_not_found().into_response();
    let response = match &route.handler {
        Assets(to) => match to.make(params) {
            Some(asset) => super::asset(app, asset, &request.headers),
            None => not_found(),
        },
        Public(to) => {
            let community = if params.is_empty() {
                String::new()
            } else {
                params.remove(0)
            };
            match to.make(params) {
                Some(endpoint) => super::public::serve(app, &community, endpoint, &request).await,
                None => not_found(),
            }
        }
        Admin(to) => match to.make(params) {
            Some(endpoint) => super::admin::serve(app, endpoint, &request).await,
            None => not_found(),
        },
        Session => super::session::serve(app, &request).await,
        Pages(to) => match to.make(params) {
            Some(page) => super::pages::serve_page(app, page, &request),
            None => not_found(),
        },
        Mail(to) => match to.make(params) {
            Some(link) => super::mail::serve(app, link, &request).await,
            None => not_found(),
        },
    };
    // A 2xx to a write means it is on disk: one wait here, for every handler.
    let response = if writes && response.status().is_success() {
        match app.store.durable().await {
            Ok(()) => response,
            Err(err) => ApiError::from(err).into_response(),
        }
    } else {
        response
    };
    (response, request.headers)
}

/// 405 with the table's methods in `Allow`.
pub(super) fn method_not_allowed(methods: &'static str) -> Response {
    let names: Vec<&str> = methods.split(", ").collect();
    let mut response = ApiError::method_not_allowed(&names).into_response();
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(methods));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_distinct_and_the_router_builds() {
        assert_eq!(ROUTER.at("/healthz").unwrap().value.pattern, "/healthz");
        let (route, params) = find("/api/v1/communities/baarlo/meetings/m1.ics").unwrap();
        assert_eq!(
            route.pattern,
            "/api/v1/communities/{community}/meetings/{meeting}.ics"
        );
        assert_eq!(params, ["baarlo", "m1"]);
        let (route, _) = find("/api/v1/communities/baarlo/meetings/m1/").unwrap();
        assert_eq!(
            route.pattern,
            "/api/v1/communities/{community}/meetings/{meeting}"
        );
        assert_eq!(find("/").unwrap().0.pattern, "/");
        assert_eq!(find("/p/").unwrap().0.pattern, "/p");
        assert!(find("//").is_none());
        assert!(find("/api//v1/session").is_none());
        assert!(find("/api/v1/session//").is_none());
        assert_eq!(find("/pkg/console/app.js").unwrap().0.area(), Area::Pages);
        assert_eq!(find("/pkg/app.js").unwrap().0.area(), Area::Assets);
        for route in ROUTES {
            for method in route.methods.split(", ") {
                assert!(
                    Method::from_bytes(method.as_bytes()).is_ok(),
                    "{}",
                    route.pattern
                );
            }
        }
    }
}
