//! Pages the server serves itself: the landing page `/`, the initiator's manage
//! page, for polls the phone page (and `/p` to type a code in), the overlay and QR
//! codes, and the admin console (`/admin`
//! and its files under `/pkg/console/`); the editor's control link
//! `/control/{poll}` leads to that poll's live control in the console.

use std::net::IpAddr;

use mekaar_api::is_valid_slug;
use mekaar_api::polls::{JoinTarget, Poll};
use serde::Deserialize;
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, REFERRER_POLICY};
use warp::http::{HeaderMap, HeaderValue, StatusCode};
use warp::reply::Response;

use super::{json, parse_query, App, Request};
use crate::abuse::Guess;
use crate::communities;
use crate::cors;
use crate::errors::{ApiError, ApiResult};
use crate::frames::{self, FrameKind, FrameQuery};
use crate::pages;
use crate::polls;
use crate::secrets;
use crate::share;

const MANAGE_PAGE: &str = include_str!("../../pages/manage.html");

#[derive(Debug, Clone)]
pub(crate) enum Page {
    Manage(String, String),
    Phone(String),
    /// `/p` without a code: the form to type it in (`?code=` leads on).
    JoinForm,
    /// `/`: the server's landing page.
    Landing,
    Overlay(String),
    Control(String),
    /// `/qr/{code}.svg`: the join code's QR code.
    Qr(String),
    JoinLookup(String),
    /// The admin console's page.
    Console,
    /// A file of the console's bundle.
    ConsoleFile(String),
    /// `/embed/{kind}`: a widget as a page, for an `<iframe>`.
    Frame(String),
    /// `/i/{code}`: an initiative's share page (see [`crate::share`]).
    Short(String),
    /// `/poster/{community}/{id}`: its printable poster.
    Poster(String, String),
    /// `/flyer/{community}/{meeting}`: a meeting's printable flyer.
    Flyer(String, String),
    /// `/share.js`: the share and print pages' buttons.
    ShareScript,
}

#[derive(Debug, Default, Deserialize)]
struct PrintQuery {
    size: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct JoinQuery {
    code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct OverlayQuery {
    theme: Option<String>,
    qr: Option<String>,
    layout: Option<String>,
}

/// Answers one request for a page (GET or HEAD: the dispatcher checks).
pub(super) fn serve_page(app: &App, page: Page, request: &Request) -> Response {
    let Request {
        headers,
        query,
        peer,
        ..
    } = request;
    let client = app.abuse.client_ip(peer.map(|p| p.remote), headers);
    let page_is_json = matches!(page, Page::JoinLookup(_));
    // People reach these by typing a code or a link: a page, not JSON.
    let is_poll_page = matches!(page, Page::Phone(_) | Page::Overlay(_) | Page::Control(_));
    let is_share_page = matches!(page, Page::Short(_) | Page::Poster(..) | Page::Flyer(..));
    let mut response = serve(app, page, headers, query, client)
        .or_else(|error| {
            if error.status() == StatusCode::NOT_FOUND && is_poll_page {
                Ok(html(pages::not_found_page(), StatusCode::NOT_FOUND))
            } else if error.status() == StatusCode::NOT_FOUND && is_share_page {
                Ok(html(share::not_found_page(), StatusCode::NOT_FOUND))
            } else {
                Err(error)
            }
        })
        .unwrap_or_else(warp::Reply::into_response);
    if page_is_json {
        cors::expose_to_caller(&mut response, headers);
    }
    response
}

fn serve(
    app: &App,
    page: Page,
    headers: &HeaderMap,
    query: &str,
    client: Option<IpAddr>,
) -> ApiResult<Response> {
    Ok(match page {
        Page::Console => crate::assets::console_page(),
        Page::ConsoleFile(name) => crate::assets::console_file(&name, headers),
        Page::Manage(community, id) => manage_page(&community, &id)?,
        Page::Phone(code) => {
            let (poll, community) = poll_by_join_code(app, &code, client)?;
            let page = pages::phone_page(&poll, &community.name, &language(&community));
            html(page, StatusCode::OK)
        }
        Page::JoinForm => {
            let query: JoinQuery = parse_query(query)?;
            // Letters and digits only (what people type around them goes), so the
            // address is safe as it is; the phone page checks the code itself.
            let code: String = query
                .code
                .unwrap_or_default()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(32)
                .collect::<String>()
                .to_ascii_uppercase();
            if code.is_empty() {
                html(pages::join_page(), StatusCode::OK)
            } else {
                redirect(&format!("/p/{code}"))?
            }
        }
        Page::Landing => {
            let all = communities::list(&app.store)?;
            let listed: Vec<pages::Listed<'_>> = all
                .iter()
                .map(|c| pages::Listed {
                    slug: &c.slug,
                    name: &c.name,
                    website: c
                        .allowed_origins
                        .iter()
                        .find(|o| o.starts_with("https://") || o.starts_with("http://"))
                        .map(String::as_str),
                })
                .collect();
            html(pages::landing_page(&listed), StatusCode::OK)
        }
        Page::Overlay(id) => {
            let (poll, lang) = poll_by_id(app, &id)?;
            let query: OverlayQuery = parse_query(query)?;
            let dark = match query.theme.as_deref() {
                None | Some("dark") => true,
                Some("light") => false,
                Some(other) => {
                    return Err(ApiError::invalid_field(
                        "theme",
                        format!("must be dark or light, not `{other}`"),
                    ))
                }
            };
            let layout = match query.layout.as_deref() {
                None => pages::OverlayLayout::Full,
                Some(name) => pages::OverlayLayout::parse(name).ok_or_else(|| {
                    ApiError::invalid_field(
                        "layout",
                        format!("must be full, lower-third or side, not `{name}`"),
                    )
                })?,
            };
            let qr = !matches!(query.qr.as_deref(), Some("0" | "false" | "no"));
            let join_url = format!("{}/p/{}", app.public_url(headers), poll.join_code);
            html(
                pages::overlay_page(&poll, &lang, dark, layout, qr, &join_url),
                StatusCode::OK,
            )
        }
        Page::Control(id) => {
            // The live control is the console's (`#/polls/{id}`): one control, behind
            // the console's sign-in, which keeps the fragment, so the editor lands
            // on this poll after signing in. Unknown polls get the not-found page.
            let (poll, _) = poll_by_id(app, &id)?;
            control_redirect(&poll.id)?
        }
        Page::Qr(code) => {
            let (poll, _) = poll_by_join_code(app, &code, client)?;
            let url = format!("{}/p/{}", app.public_url(headers), poll.join_code);
            let svg = pages::qr_svg(&url).ok_or_else(|| ApiError::internal("QR code"))?;
            let mut response = Response::new(svg.into());
            let h = response.headers_mut();
            h.insert(CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        Page::Frame(kind) => frame_page(app, &kind, query)?,
        Page::Short(code) => {
            app.abuse.check_guesses(Guess::JoinCode, client)?;
            let (community, initiative) =
                match crate::initiatives::public_by_short_code(&app.store, &code) {
                    Ok(found) => found,
                    Err(err) => {
                        if err.status() == StatusCode::NOT_FOUND {
                            app.abuse.guess_failed(Guess::JoinCode, client);
                        }
                        return Err(err);
                    }
                };
            let card = crate::initiatives::card(&app.store, &community, &initiative)?;
            let query: PrintQuery = parse_query(query)?;
            let lang = print_language(&community, query.lang.as_deref());
            let page =
                share::initiative_page(&card, &community.name, &app.public_url(headers), &lang);
            share_headers(html(page, StatusCode::OK))
        }
        Page::Poster(community, id) => {
            let query: PrintQuery = parse_query(query)?;
            let size = print_size(query.size.as_deref())?;
            let community = communities::get(&app.store, &community)?;
            let initiative = crate::initiatives::get_public(&app.store, &community, &id)?;
            let card = crate::initiatives::card(&app.store, &community, &initiative)?;
            let lang = print_language(&community, query.lang.as_deref());
            let page = share::poster(
                &card,
                &community.name,
                &app.public_url(headers),
                size,
                &lang,
                secrets::now_secs(),
            );
            share_headers(html(page, StatusCode::OK))
        }
        Page::Flyer(community, meeting) => {
            let query: PrintQuery = parse_query(query)?;
            let size = print_size(query.size.as_deref())?;
            let community = communities::get(&app.store, &community)?;
            let meeting = crate::meetings::get_public(&app.store, &community, &meeting)?;
            let initiative =
                crate::initiatives::get_public(&app.store, &community, &meeting.initiative)?;
            let card = crate::initiatives::card(&app.store, &community, &initiative)?;
            let short = share::short_url(&card, &app.public_url(headers));
            let lang = print_language(&community, query.lang.as_deref());
            let page = share::flyer(&meeting, &community.name, &short, size, &lang);
            share_headers(html(page, StatusCode::OK))
        }
        Page::ShareScript => {
            let mut response = Response::new(share::SCRIPT.into());
            let h = response.headers_mut();
            h.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            );
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            h.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        Page::JoinLookup(code) => {
            // Drafts stay unknown to the public, also by their join code.
            let (poll, _) = poll_by_join_code(app, &code, client)?;
            json(&JoinTarget {
                community: poll.community,
                poll: poll.id,
            })
        }
    })
}

/// `/embed/{kind}?community=…&…` (see [`frames`]): the page, framed only by the
/// community's allowed origins.
fn frame_page(app: &App, kind: &str, query: &str) -> ApiResult<Response> {
    let kind = FrameKind::from_path(kind)?;
    let pairs: Vec<(String, String)> = parse_query(query)?;
    let query = FrameQuery::parse(kind, &pairs)?;
    let community = communities::get(&app.store, &query.community)?;
    // The frame's title says what it shows; what the public may not see (an unknown or
    // hidden initiative, a draft poll's question) falls back to the community's name,
    // and the widget inside says what is wrong.
    let title = match (kind, query.option("initiative"), query.option("poll")) {
        (FrameKind::Support | FrameKind::Initiative, Some(id), _) => {
            crate::initiatives::get_public(&app.store, &community, id)
                .ok()
                .map(|i| i.title)
        }
        (FrameKind::Poll, _, Some(id)) => polls::get(&app.store, &community, id)
            .ok()
            .filter(|p| p.state != mekaar_api::polls::PollState::Draft)
            .map(|p| p.question),
        (FrameKind::Discussion, initiative, poll) => {
            use mekaar_api::discussions::ThreadKind;
            let thread = match (query.option("topic"), poll, initiative) {
                (Some(id), _, _) => Some((ThreadKind::Topic, id)),
                (None, Some(id), _) => Some((ThreadKind::Poll, id)),
                (None, None, Some(id)) => Some((ThreadKind::Initiative, id)),
                _ => None,
            };
            thread.and_then(|(kind, id)| {
                app.discussions
                    .thread(&app.store, &community, kind, id)
                    .ok()
                    .map(|t| t.title)
            })
        }
        _ => None,
    }
    .unwrap_or_else(|| community.name.clone());
    let lang = query
        .option("lang")
        .map_or_else(|| language(&community), str::to_owned);
    let mut response = html(frames::page(kind, &query, &title, &lang), StatusCode::OK);
    let csp = HeaderValue::from_str(&frames::content_security_policy(&community))
        .map_err(|_| ApiError::internal("frame policy"))?;
    response
        .headers_mut()
        .insert("content-security-policy", csp);
    Ok(response)
}

/// `?size=` of a poster or flyer: A4 unless A5 is asked for.
fn print_size(size: Option<&str>) -> ApiResult<share::Size> {
    match size.filter(|s| !s.is_empty()) {
        None => Ok(share::Size::A4),
        Some(name) => share::Size::parse(name).ok_or_else(|| {
            ApiError::invalid_field("size", format!("must be a4 or a5, not `{name}`"))
        }),
    }
}

/// `?lang=` when it is one of ours, else the community's first language.
fn print_language(community: &communities::Community, asked: Option<&str>) -> String {
    match asked {
        Some(lang @ ("nl" | "en")) => lang.to_string(),
        _ => language(community),
    }
}

/// The share, poster and flyer pages' policy: our own scripts only, framed by nobody.
fn share_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(share::CONTENT_SECURITY_POLICY),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn language(community: &communities::Community) -> String {
    community
        .languages
        .first()
        .cloned()
        .unwrap_or_else(|| "nl".to_string())
}

/// A poll the public may see, by its join code, and its community.
/// Unknown codes count as failed guesses of the caller's network;
/// once its budget is spent, every code waits (5 characters are few).
fn poll_by_join_code(
    app: &App,
    code: &str,
    client: Option<IpAddr>,
) -> ApiResult<(Poll, communities::Community)> {
    app.abuse.check_guesses(Guess::JoinCode, client)?;
    match polls::public_by_join_code(&app.store, code) {
        Ok((community, poll)) => Ok((poll, community)),
        Err(err) => {
            if err.status() == StatusCode::NOT_FOUND {
                app.abuse.guess_failed(Guess::JoinCode, client);
            }
            Err(err)
        }
    }
}

/// A poll by its id (drafts too: an overlay is set up before the broadcast,
/// and it shows nothing of a draft), and its community's language.
fn poll_by_id(app: &App, id: &str) -> ApiResult<(Poll, String)> {
    let target = polls::find_by_id(&app.store, id)?;
    let community = communities::get(&app.store, &target.community)?;
    let poll = polls::get(&app.store, &community, id)?;
    Ok((poll, language(&community)))
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

/// A 303 to `location` (one of the server's own addresses), not cached.
fn redirect(location: &str) -> ApiResult<Response> {
    let location = HeaderValue::from_str(location).map_err(|_| ApiError::route_not_found())?;
    let mut response = Response::default();
    *response.status_mut() = StatusCode::SEE_OTHER;
    let headers = response.headers_mut();
    headers.insert(LOCATION, location);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// `/control/{poll}` → `/admin#/polls/{poll}`, the console's live control of the
/// poll. Not cached (the poll may go), no referrer, not for search engines.
fn control_redirect(poll: &str) -> ApiResult<Response> {
    // Poll ids are the server's own ([a-z0-9-]), safe in a header as they are.
    let location = HeaderValue::from_str(&format!("/admin#/polls/{poll}"))
        .map_err(|_| ApiError::route_not_found())?;
    let mut response = Response::default();
    *response.status_mut() = StatusCode::SEE_OTHER;
    let headers = response.headers_mut();
    headers.insert(LOCATION, location);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(response)
}

/// The private manage link `/manage/{community}/{id}#{token}` lands here.
/// The token stays in the fragment: browsers never send it to a server,
/// so it is in no log; the widget reads it from `location.hash`.
fn manage_page(community: &str, id: &str) -> Result<Response, ApiError> {
    if !is_valid_slug(community) || !secrets::is_plausible_id(id) {
        return Err(ApiError::route_not_found());
    }
    // Both are [a-z0-9-] only (checked above), so they are safe in HTML.
    let page = MANAGE_PAGE
        .replace("{{COMMUNITY}}", community)
        .replace("{{INITIATIVE}}", id);
    Ok(html(page, StatusCode::OK))
}
