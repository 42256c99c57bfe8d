//! The residents' API, called by widgets on other sites: CORS applies, and
//! submits, joins and reports are rate-limited per network.

use std::sync::Arc;

use mekaar_api::discussions::{ReactionEdit, ReactionPost, ThreadKind};
use mekaar_api::steps::StepTick;
use mekaar_api::{
    ErrorCode, InitiativeSubmitted, JoinRequest, ManageLinkRequest, ManageView, ReportRequest,
    UpdatePost, WebhookEvent, MANAGE_HEADER, VOTER_HEADER,
};
use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use warp::http::{HeaderMap, HeaderValue, Method, StatusCode};
use warp::reply::Response;
use warp::Reply;

use super::{file_response, json, json_status, parse_json, parse_query, sse, App, Request};
use crate::abuse::{Action, Guess};
use crate::communities::{self, Community};
use crate::cors;
use crate::discussions::{self, ThreadQuery};
use crate::errors::{ApiError, ApiResult};
use crate::feeds;
use crate::initiatives::{self, ListQuery};
use crate::joins;
use crate::mail;
use crate::meetings;
use crate::moderation;
use crate::opendata;
use crate::photos;
use crate::polls::{self, VoteRequest};
use crate::secrets;
use crate::steps;
use crate::supports;
use crate::webhooks;

/// The addresses under `/api/v1/communities/{slug}`.
#[derive(Debug, Clone)]
pub(crate) enum Endpoint {
    Community,
    Initiatives,
    Initiative(String),
    Support(String),
    Join(String),
    Report(String),
    Manage(String),
    ManageUpdates(String),
    /// The initiator's photo (its body is the image itself).
    Photo(String),
    FeedJson,
    FeedAtom,
    Poll(String),
    PollVote(String),
    PollResults(String),
    PollLive(String),
    OpenDataInitiatives,
    OpenDataPollResults,
    /// A thread's page of reactions (`kind` as written in the path).
    Thread(String, String),
    ThreadReactions(String, String),
    ThreadLive(String, String),
    Reaction(String),
    ReactionAgree(String),
    ReactionReport(String),
    /// The community's next steps; one initiative's; ticking one (`steps`).
    Steps,
    InitiativeSteps(String),
    InitiativeStep(String, String),
    /// The community's agenda of meetings, and its calendar file.
    Meetings,
    MeetingsIcs,
    InitiativeMeetings(String),
    InitiativeMeetingsIcs(String),
    Meeting(String),
    MeetingIcs(String),
    MeetingAttend(String),
    /// "Link kwijt?": the manage links of an address, by e-mail.
    ManageLink,
}

/// Answers one request to `/api/v1/communities/{slug}…` (CORS headers are
/// added by the dispatcher).
pub(super) async fn serve(
    app: &Arc<App>,
    slug: &str,
    endpoint: Endpoint,
    request: &Request,
) -> Response {
    handle(app, slug, endpoint, request)
        .await
        .unwrap_or_else(Reply::into_response)
}

async fn handle(
    app: &Arc<App>,
    slug: &str,
    endpoint: Endpoint,
    request: &Request,
) -> ApiResult<Response> {
    let store = &app.store;
    let community = communities::get(store, slug)?;
    cors::check_origin(&community, &request.headers, &app.own_origins(request.peer))?;
    let method = &request.method;
    if method == Method::OPTIONS {
        return Ok(cors::preflight(request.allow));
    }
    let voter = request.header(VOTER_HEADER);
    let client_ip = app
        .abuse
        .client_ip(request.peer.map(|p| p.remote), &request.headers);
    Ok(match (endpoint, method.clone()) {
        (Endpoint::Community, _) => {
            let mut public = community.public();
            public.mail = app.mail.offered(&community);
            json(&public)
        }
        (Endpoint::ManageLink, _) => {
            let asked: ManageLinkRequest = parse_json(&request.headers, &request.body)?;
            mail::request_manage_links(
                &app.mail,
                &app.abuse,
                &community,
                &asked.email,
                client_ip,
                &app.public_url(&request.headers),
            )?;
            // The same answer whether or not the address is known.
            json_status(
                &serde_json::json!({ "accepted": true }),
                StatusCode::ACCEPTED,
            )
        }
        (Endpoint::Initiatives, Method::POST) => {
            app.abuse.check(Action::Submit, client_ip)?;
            let (initiative, manage_token) = initiatives::submit(
                store,
                &community,
                parse_json(&request.headers, &request.body)?,
            )?;
            let detail = initiatives::detail(store, &community, &initiative)?;
            webhooks::announce(
                store,
                &community,
                WebhookEvent::Submitted,
                &detail.card,
                serde_json::json!({ "moderation": initiative.moderation }),
            )?;
            mail::send_manage_link(
                store,
                &app.mail,
                &community,
                &initiative,
                &manage_token,
                &app.public_url(&request.headers),
            )?;
            json_status(
                &InitiativeSubmitted {
                    initiative: detail,
                    moderation: initiative.moderation,
                    manage_token,
                },
                StatusCode::CREATED,
            )
        }
        (Endpoint::Initiatives, _) => {
            let query: ListQuery = parse_query(&request.query)?;
            conditional(app, &request.headers, || {
                Ok(json(&app.lists.list(store, &community, &query)?))
            })?
        }
        (Endpoint::Initiative(id), _) => {
            let initiative = initiatives::get_public(store, &community, &id)?;
            json(&initiatives::detail(store, &community, &initiative)?)
        }
        (Endpoint::Support(id), Method::PUT) => {
            json(&supports::support(store, &community, &id, voter)?)
        }
        (Endpoint::Support(id), Method::DELETE) => {
            json(&supports::withdraw(store, &community, &id, voter)?)
        }
        (Endpoint::Support(id), _) => json(&supports::state(store, &community, &id, voter)?),
        (Endpoint::Join(id), Method::POST) => {
            app.abuse.check(Action::Join, client_ip)?;
            let join: JoinRequest = parse_json(&request.headers, &request.body)?;
            let keep_informed = join.keep_informed;
            let email = if keep_informed {
                app.mail.require(&community)?;
                Some(mail::check_email("contact", &join.contact)?)
            } else {
                None
            };
            let state = joins::join(store, &community, &id, voter, join)?;
            let voter = supports::voter(voter)?;
            match email {
                Some(email) => {
                    let initiative = initiatives::get(store, &community, &id)?;
                    mail::subscribe(
                        store,
                        &app.mail,
                        &community,
                        &initiative,
                        &voter,
                        &email,
                        &app.public_url(&request.headers),
                    )?;
                }
                None => {
                    mail::unsubscribe_voter(store, &community, &id, &voter)?;
                }
            }
            json(&state)
        }
        (Endpoint::Join(id), Method::DELETE) => {
            let state = joins::withdraw(store, &community, &id, voter)?;
            mail::unsubscribe_voter(store, &community, &id, &supports::voter(voter)?)?;
            json(&state)
        }
        (Endpoint::Join(id), _) => json(&joins::state(store, &community, &id, voter)?),
        (Endpoint::Report(id), _) => {
            app.abuse.check(Action::Report, client_ip)?;
            let report: ReportRequest = parse_json(&request.headers, &request.body)?;
            json(&moderation::report(store, &community, &id, voter, report)?)
        }
        (Endpoint::Manage(id), Method::PATCH) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            let (before, after) = initiatives::edit(
                store,
                &community,
                &id,
                parse_json(&request.headers, &request.body)?,
            )?;
            moderation::audit(
                store,
                &community,
                moderation::Change {
                    actor: moderation::ACTOR_INITIATOR,
                    action: "edit",
                    initiative: Some(&id),
                    note: "",
                    before: Some(&before),
                    after: Some(&after),
                },
            )?;
            json(&manage_view(app, &community, &after)?)
        }
        (Endpoint::Manage(id), _) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            json(&manage_view(app, &community, &initiative)?)
        }
        (Endpoint::ManageUpdates(id), _) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            let post: UpdatePost = parse_json(&request.headers, &request.body)?;
            let after = initiatives::post_update(store, &community, &id, &post.text)?;
            if let Some(update) = after.updates.last() {
                mail::announce_update(store, &community, &after, &update.text)?;
            }
            json(&manage_view(app, &community, &after)?)
        }
        (Endpoint::Photo(id), Method::PUT) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            let query: PhotoQuery = parse_query(&request.query)?;
            let alt = photos::check_alt(query.alt.as_deref())?;
            let renditions = photos::process_soon(
                request.body.clone(),
                request.header("content-type").map(str::to_string),
            )
            .await?;
            let (before, after) = photos::attach(
                store,
                &community,
                &id,
                &renditions,
                &alt,
                photos::By::Initiator,
            )?;
            audit_initiator(store, &community, &id, "photo_set", &before, &after)?;
            json(&manage_view(app, &community, &after)?)
        }
        (Endpoint::Photo(id), _) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            let (before, after) = photos::detach(store, &community, &id, photos::Which::All)?;
            audit_initiator(store, &community, &id, "photo_remove", &before, &after)?;
            json(&manage_view(app, &community, &after)?)
        }
        (Endpoint::Steps, _) => json(&community.steps),
        (Endpoint::InitiativeSteps(id), _) => {
            // Published ones for everyone; the initiator's own with the manage token.
            let initiative = initiatives::get(store, &community, &id)?;
            if !initiative.is_public() {
                initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))
                    .map_err(|_| ApiError::initiative_not_found(&id))?;
            }
            json(&steps::view(store, &community, &initiative)?)
        }
        (Endpoint::InitiativeStep(id, step), _) => {
            let initiative = initiatives::get(store, &community, &id)?;
            initiatives::check_manage_token(&initiative, request.header(MANAGE_HEADER))?;
            let tick: StepTick = parse_json(&request.headers, &request.body)?;
            let view = steps::tick(
                store,
                &community,
                &id,
                &step,
                tick.done,
                moderation::ACTOR_INITIATOR,
            )?;
            json(&view)
        }
        (Endpoint::FeedJson, _) => conditional(app, &request.headers, || {
            Ok(json(&feeds::json(&app.lists, store, &community)?))
        })?,
        (Endpoint::Poll(id), _) => {
            let ballot = polls::Ballot {
                voter_key: voter,
                ..Default::default()
            };
            let now = secrets::now_secs();
            json(&polls::view(
                store,
                &app.tallies,
                &community,
                &id,
                ballot,
                now,
            )?)
        }
        (Endpoint::PollVote(id), _) => {
            let vote: VoteRequest = parse_json(&request.headers, &request.body)?;
            if vote.code.is_some() {
                // A spent budget refuses every code: otherwise guessing would
                // go on at full speed and only the hits would get through.
                app.abuse.check_guesses(Guess::VoteCode, client_ip)?;
            }
            let ballot = polls::Ballot {
                voter_key: voter,
                code: vote.code.as_deref(),
                network: client_ip.map(crate::abuse::Abuse::network_of),
            };
            let receipt = polls::vote(store, &app.tallies, &community, &id, ballot, &vote.choices)
                .await
                .inspect_err(|err| {
                    if polls::is_unknown_vote_code(err) {
                        app.abuse.guess_failed(Guess::VoteCode, client_ip);
                    }
                })?;
            app.live.publish_soon(&community.slug, &id);
            json(&receipt)
        }
        (Endpoint::PollResults(id), _) => {
            let ballot = polls::Ballot {
                voter_key: voter,
                ..Default::default()
            };
            let now = secrets::now_secs();
            json(&polls::results(
                store,
                &app.tallies,
                &community,
                &id,
                ballot,
                now,
            )?)
        }
        (Endpoint::PollLive(id), _) => {
            // Drafts too: widgets pasted before the broadcast learn of the opening.
            polls::get(store, &community, &id)?;
            let query: LiveQuery = parse_query(&request.query)?;
            sse::live(
                app.clone(),
                &community.slug,
                &id,
                sse::Watcher::Resident {
                    ticket: query.viewer,
                },
                request.header("last-event-id"),
            )
            .await?
        }
        (Endpoint::OpenDataInitiatives, _) => conditional(app, &request.headers, || {
            let csv = opendata::initiatives_csv(&app.lists, store, &community)?;
            Ok(csv_file(
                csv,
                &format!("{}-initiatieven.csv", community.slug),
            ))
        })?,
        (Endpoint::OpenDataPollResults, _) => conditional(app, &request.headers, || {
            let now = secrets::now_secs();
            let csv = opendata::poll_results_csv(store, &app.tallies, &community, now)?;
            Ok(csv_file(csv, &format!("{}-peilingen.csv", community.slug)))
        })?,
        (Endpoint::Thread(kind, id), _) => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            let query: ThreadQuery = parse_query(&request.query)?;
            let voter = optional_voter(voter)?;
            let version = app.discussions.version(store, &community, kind, &id)?;
            let etag = discussions::etag(app.boot, version, voter.as_ref(), &query);
            conditional_on(&etag, &request.headers, || {
                Ok(json(
                    &app.discussions
                        .view(store, &community, kind, &id, &query, voter)?,
                ))
            })?
        }
        (Endpoint::ThreadReactions(kind, id), _) => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            let post: ReactionPost = parse_json(&request.headers, &request.body)?;
            let initiator = match (kind, request.header(MANAGE_HEADER)) {
                (ThreadKind::Initiative, Some(token)) => {
                    let initiative = initiatives::get(store, &community, &id)?;
                    initiatives::check_manage_token(&initiative, Some(token))?;
                    true
                }
                (_, Some(_)) => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidManageToken,
                        "A manage token belongs to an initiative's own discussion.",
                    ))
                }
                _ => false,
            };
            let author = discussions::Author::Resident {
                voter: supports::voter(voter)?,
                initiator,
                network: client_ip.map(crate::abuse::Abuse::network_of),
                abuse: &app.abuse,
            };
            let stored = app
                .discussions
                .post(store, &community, (kind, &id), post, author)
                .await?;
            json_status(
                &discussions::own_view(&stored, secrets::now_secs()),
                StatusCode::CREATED,
            )
        }
        (Endpoint::ThreadLive(kind, id), _) => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            let (cache, rx) = app.discussions.watch(store, &community, kind, &id)?;
            sse::thread_live(cache, rx)?
        }
        (Endpoint::Reaction(rid), Method::PATCH) => {
            let edit: ReactionEdit = parse_json(&request.headers, &request.body)?;
            json(
                &app.discussions
                    .edit(store, &community, &rid, supports::voter(voter)?, edit)?,
            )
        }
        (Endpoint::Reaction(rid), _) => {
            app.discussions
                .delete_own(store, &community, &rid, supports::voter(voter)?)?;
            no_content()
        }
        (Endpoint::ReactionAgree(rid), method) => json(&app.discussions.agree(
            store,
            &community,
            &rid,
            supports::voter(voter)?,
            method == Method::PUT,
        )?),
        (Endpoint::ReactionReport(rid), _) => {
            app.abuse.check(Action::Report, client_ip)?;
            let report: ReportRequest = parse_json(&request.headers, &request.body)?;
            json(&app.discussions.report(
                store,
                &community,
                &rid,
                supports::voter(voter)?,
                &report.reason,
            )?)
        }
        (Endpoint::Meetings, _) => {
            let query: meetings::AgendaQuery = parse_query(&request.query)?;
            conditional(app, &request.headers, || {
                Ok(json(&meetings::agenda(
                    store,
                    &community,
                    &query,
                    secrets::now_secs(),
                )?))
            })?
        }
        (Endpoint::InitiativeMeetings(id), Method::POST) => {
            let input = parse_json(&request.headers, &request.body)?;
            let who = meetings::Who::Initiator(request.header(MANAGE_HEADER));
            let meeting = meetings::add(store, &community, &id, input, who)?;
            json_status(&meeting, StatusCode::CREATED)
        }
        (Endpoint::InitiativeMeetings(id), _) => conditional(app, &request.headers, || {
            Ok(json(&meetings::of_initiative(
                store,
                &community,
                &id,
                secrets::now_secs(),
            )?))
        })?,
        (Endpoint::Meeting(m), Method::PATCH) => {
            let edit = parse_json(&request.headers, &request.body)?;
            let who = meetings::Who::Initiator(request.header(MANAGE_HEADER));
            json(&meetings::edit(store, &community, &m, edit, who)?)
        }
        (Endpoint::Meeting(m), _) => json(&meetings::get_public(store, &community, &m)?),
        (Endpoint::MeetingAttend(m), Method::PUT) => {
            json(&meetings::attend(store, &community, &m, voter)?)
        }
        (Endpoint::MeetingAttend(m), Method::DELETE) => {
            json(&meetings::withdraw(store, &community, &m, voter)?)
        }
        (Endpoint::MeetingAttend(m), _) => {
            json(&meetings::attendance(store, &community, &m, voter)?)
        }
        (Endpoint::MeetingsIcs, _) => conditional(app, &request.headers, || {
            let name = format!("Bijeenkomsten {}", community.name);
            let all = meetings::published(store, &community, None)?;
            Ok(calendar_file(
                app,
                request,
                &community,
                all,
                Some(&name),
                None,
            ))
        })?,
        (Endpoint::InitiativeMeetingsIcs(id), _) => conditional(app, &request.headers, || {
            let initiative = initiatives::get_public(store, &community, &id)?;
            let name = format!("Bijeenkomsten: {}", initiative.title);
            let all = meetings::of(store, &community, &initiative)?;
            let file = format!("bijeenkomsten-{id}.ics");
            Ok(calendar_file(
                app,
                request,
                &community,
                all,
                Some(&name),
                Some(&file),
            ))
        })?,
        (Endpoint::MeetingIcs(m), _) => conditional(app, &request.headers, || {
            let one = meetings::get_public_with_sequence(store, &community, &m)?;
            let file = format!("bijeenkomst-{m}.ics");
            Ok(calendar_file(
                app,
                request,
                &community,
                vec![one],
                None,
                Some(&file),
            ))
        })?,
        (Endpoint::FeedAtom, _) => conditional(app, &request.headers, || {
            let self_url = format!(
                "http://{}/api/v1/communities/{}/feed.atom",
                request.header("host").unwrap_or("localhost"),
                community.slug
            );
            let mut response =
                Response::new(feeds::atom(&app.lists, store, &community, &self_url)?.into());
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            );
            Ok(response)
        })?,
    })
}

/// A calendar file (RFC 5545) of `meetings`; with a `file_name` (ids are
/// [a-z0-9-] only) a download, without one a subscription.
fn calendar_file(
    app: &App,
    request: &Request,
    community: &Community,
    meetings: Vec<(mekaar_api::meetings::Meeting, u32)>,
    name: Option<&str>,
    file_name: Option<&str>,
) -> Response {
    let host = meetings::ics::host_of(&app.public_url(&request.headers));
    let text = meetings::ics::calendar(
        &meetings::by_start(meetings),
        &meetings::ics::Feed {
            host: &host,
            name,
            page: community.initiatives_page.as_deref(),
            subscription: file_name.is_none(),
        },
    );
    file_response(text, meetings::ics::MEDIA_TYPE, file_name)
}

/// A CSV download (the slug in the file name is [a-z0-9-] only).
fn csv_file(csv: String, name: &str) -> Response {
    file_response(csv, "text/csv; charset=utf-8", Some(name))
}

/// `PUT …/photo?alt=…`: the alt text travels in the query, the photo is the body.
#[derive(Debug, Default, serde::Deserialize)]
struct PhotoQuery {
    alt: Option<String>,
}

fn audit_initiator(
    store: &crate::store::Store,
    community: &Community,
    id: &str,
    action: &str,
    before: &initiatives::Initiative,
    after: &initiatives::Initiative,
) -> ApiResult<()> {
    moderation::audit(
        store,
        community,
        moderation::Change {
            actor: moderation::ACTOR_INITIATOR,
            action,
            initiative: Some(id),
            note: "",
            before: Some(before),
            after: Some(after),
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
struct LiveQuery {
    viewer: Option<String>,
}

fn manage_view(
    app: &App,
    community: &Community,
    initiative: &initiatives::Initiative,
) -> ApiResult<ManageView> {
    Ok(ManageView {
        initiative: initiatives::detail(&app.store, community, initiative)?,
        moderation: initiative.moderation,
        contact_email: initiative.contact_email.clone(),
        joins: joins::details(&app.store, community, &initiative.id)?,
        pending_photo: initiative
            .pending_photo
            .as_ref()
            .map(crate::photos::StoredPhoto::public),
    })
}

/// Answers 304 when the client's copy is current (nothing in the store
/// changed since), else builds the answer and tags it.
fn conditional(
    app: &App,
    request_headers: &HeaderMap,
    build: impl FnOnce() -> ApiResult<Response>,
) -> ApiResult<Response> {
    conditional_on(&app.etag(), request_headers, build)
}

/// A reader's voter key is optional (then no own reactions or agrees show),
/// but a malformed one is refused.
fn optional_voter(voter: Option<&str>) -> ApiResult<Option<[u8; 16]>> {
    voter.map(|v| supports::voter(Some(v))).transpose()
}

fn no_content() -> Response {
    let mut response = Response::new(Default::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// [`conditional`] with a tag of the caller's.
fn conditional_on(
    etag: &str,
    request_headers: &HeaderMap,
    build: impl FnOnce() -> ApiResult<Response>,
) -> ApiResult<Response> {
    // Weak comparison (RFC 9110 13.1.2): a compressing proxy turns our tag
    // into W/"…"; `*` matches any current representation.
    let current = request_headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
        });
    let mut response = if current {
        let mut r = Response::new(Default::default());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        build()?
    };
    let headers = response.headers_mut();
    // Cache, but ask every time: counts change while people watch.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    Ok(response)
}
