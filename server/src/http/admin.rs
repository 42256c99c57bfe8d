//! The admin API: bearer tokens or the console's session, no CORS (the CLI
//! and the server's own console). Who may do what is decided by
//! `auth::require` and its permission matrix.

use std::sync::Arc;

use mekaar_api::admin::{ErasureRequest, TokenCreate, TokenCreated, TokenList};
use mekaar_api::discussions::{OfficialReactionPost, ReactionModeration, ThreadUpdate};
use mekaar_api::polls::{PollActionRequest, VoteCodesCreated, VoteCodesRequest};
use mekaar_api::steps::{StepInput, StepTick};
use mekaar_api::{AnswerPost, CommunityCreated, InitiativeAdminList, ModerationRequest};
use serde::Deserialize;
use warp::http::{HeaderMap, Method, StatusCode};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::Reply;

use super::{
    file_response, json, json_status, parse_json, parse_json_list, parse_query, sse, App, Request,
};
use crate::auth::{self, AdminRequest, Area};
use crate::communities;
use crate::connections::Peer;
use crate::discussions;
use crate::errors::ApiResult;
use crate::export;
use crate::initiatives;
use crate::meetings;
use crate::moderation::{self, Queue};
use crate::photos;
use crate::polls;
use crate::privacy;
use crate::secrets;
use crate::sessions;
use crate::steps;
use crate::webhooks;

/// Most audit-log or delivery-log entries one request returns.
const LOG_LIMIT_MAX: usize = 1_000;

#[derive(Debug, Clone)]
pub(crate) enum Endpoint {
    Communities,
    /// The whole database (or one community) as JSON Lines: backups.
    Export,
    /// What the connection layer counted (server-wide, for operators).
    Metrics,
    Community(String),
    Tokens(String),
    Token(String, String),
    /// One community's records as JSON Lines (its admins' export).
    CommunityExport(String),
    Initiatives(String),
    Initiative(String, String),
    Moderation(String, String),
    Answer(String, String),
    Erase(String, String),
    /// An initiative's photo; matched by its own route (a larger body).
    Photo(String, String),
    Audit(String),
    Webhooks(String),
    Webhook(String, String),
    Deliveries(String),
    Polls(String),
    Poll(String, String),
    PollState(String, String),
    PollCodes(String, String),
    PollLive(String, String),
    /// The reactions moderation queue.
    Reactions(String),
    ReactionModeration(String, String),
    /// The municipality's reactions in a thread (`kind`, `id`).
    OfficialReactions(String, String, String),
    Topics(String),
    Thread(String, String, String),
    /// The community's next steps (`steps`), one initiative's, ticking one, the funnel.
    Steps(String),
    InitiativeSteps(String, String),
    InitiativeStep(String, String, String),
    StepsFunnel(String),
    /// An initiative's meetings (community, initiative), and one meeting.
    InitiativeMeetings(String, String),
    Meeting(String, String),
    /// The community's e-mail counts.
    Mail(String),
}

impl Endpoint {
    /// The row of the permission matrix this address belongs to.
    fn area(&self) -> Area {
        match self {
            Endpoint::Community(_) | Endpoint::Mail(_) | Endpoint::Steps(_) => Area::Settings,
            Endpoint::InitiativeSteps(..)
            | Endpoint::InitiativeStep(..)
            | Endpoint::StepsFunnel(_) => Area::Moderation,
            Endpoint::Tokens(_) | Endpoint::Token(..) => Area::Tokens,
            Endpoint::Initiatives(_)
            | Endpoint::Initiative(..)
            | Endpoint::InitiativeMeetings(..)
            | Endpoint::Meeting(..) => Area::Initiatives,
            Endpoint::Moderation(..)
            | Endpoint::Photo(..)
            | Endpoint::Reactions(_)
            | Endpoint::ReactionModeration(..) => Area::Moderation,
            Endpoint::Answer(..) | Endpoint::OfficialReactions(..) => Area::Answers,
            Endpoint::Topics(_) | Endpoint::Thread(..) => Area::Discussions,
            Endpoint::Erase(..) => Area::Privacy,
            Endpoint::Audit(_) => Area::Audit,
            Endpoint::Webhooks(_) | Endpoint::Webhook(..) | Endpoint::Deliveries(_) => {
                Area::Webhooks
            }
            Endpoint::Polls(_)
            | Endpoint::Poll(..)
            | Endpoint::PollState(..)
            | Endpoint::PollCodes(..)
            | Endpoint::PollLive(..) => Area::Polls,
            // Communities and Export are server-wide (a server admin token only, checked
            // before this matrix); CommunityExport is open to the community's admins.
            Endpoint::Communities
            | Endpoint::Export
            | Endpoint::Metrics
            | Endpoint::CommunityExport(_) => Area::Export,
        }
    }

    fn community(&self) -> Option<&str> {
        match self {
            Endpoint::Communities | Endpoint::Export | Endpoint::Metrics => None,
            Endpoint::Community(c)
            | Endpoint::Tokens(c)
            | Endpoint::Token(c, _)
            | Endpoint::CommunityExport(c)
            | Endpoint::Initiatives(c)
            | Endpoint::Initiative(c, _)
            | Endpoint::Moderation(c, _)
            | Endpoint::Answer(c, _)
            | Endpoint::Erase(c, _)
            | Endpoint::Photo(c, _)
            | Endpoint::Audit(c)
            | Endpoint::Webhooks(c)
            | Endpoint::Webhook(c, _)
            | Endpoint::Deliveries(c)
            | Endpoint::Polls(c)
            | Endpoint::Poll(c, _)
            | Endpoint::PollState(c, _)
            | Endpoint::PollCodes(c, _)
            | Endpoint::PollLive(c, _)
            | Endpoint::Reactions(c)
            | Endpoint::ReactionModeration(c, _)
            | Endpoint::OfficialReactions(c, _, _)
            | Endpoint::Topics(c)
            | Endpoint::Thread(c, _, _)
            | Endpoint::Steps(c)
            | Endpoint::InitiativeSteps(c, _)
            | Endpoint::InitiativeStep(c, _, _)
            | Endpoint::StepsFunnel(c)
            | Endpoint::InitiativeMeetings(c, _)
            | Endpoint::Meeting(c, _)
            | Endpoint::Mail(c) => Some(c),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct AdminQuery {
    queue: Option<String>,
    limit: Option<usize>,
    /// Vote codes as `json` (default), `csv` or `html` (a printable sheet).
    format: Option<String>,
    /// A photo's alt text (`PUT …/photo`).
    alt: Option<String>,
    /// Which photo `DELETE …/photo` removes: `all` (default) or `pending`.
    which: Option<photos::Which>,
}

/// Answers one request to `/api/v1/admin/…`.
pub(super) async fn serve(app: &Arc<App>, endpoint: Endpoint, request: &Request) -> Response {
    let Request {
        method,
        headers,
        query,
        body,
        peer,
        ..
    } = request;
    handle(app, endpoint, method, headers, query, body, *peer)
        .await
        .unwrap_or_else(Reply::into_response)
}

async fn handle(
    app: &Arc<App>,
    endpoint: Endpoint,
    method: &Method,
    headers: &HeaderMap,
    query: &str,
    body: &[u8],
    peer: Option<Peer>,
) -> ApiResult<Response> {
    let store = &app.store;
    let client_ip = app.abuse.client_ip(peer.map(|p| p.remote), headers);
    let Some(slug) = endpoint.community() else {
        // The server-wide list and creation of communities, and exports.
        auth::require_server_admin(store, &app.abuse, headers, client_ip)?;
        if let Endpoint::Export = endpoint {
            let query: ExportQuery = parse_query(query)?;
            return export_response(app, query).await;
        }
        if let Endpoint::Metrics = endpoint {
            return Ok(json(&app.connection_stats.counts()));
        }
        if method == Method::GET {
            let all: Vec<_> = communities::list(store)?
                .iter()
                .map(|c| c.admin_view())
                .collect();
            return Ok(json(&all));
        }
        let (community, admin_token) = communities::create(store, parse_json(headers, body)?)?;
        return Ok(json_status(
            &CommunityCreated {
                community: community.admin_view(),
                admin_token,
            },
            StatusCode::CREATED,
        ));
    };
    let community = communities::get(store, slug)?;
    let own_origins = app.own_origins(peer);
    let caller = auth::require(
        store,
        &app.abuse,
        &community,
        &AdminRequest {
            method,
            client_ip,
            headers,
            own_origins: &own_origins,
            now: secrets::now_secs(),
        },
        endpoint.area(),
    )?;
    let actor = caller.actor;
    let query: AdminQuery = parse_query(query)?;
    let log_limit = query.limit.unwrap_or(100).clamp(1, LOG_LIMIT_MAX);
    let is_get = method == Method::GET;
    let response = match endpoint {
        Endpoint::Communities | Endpoint::Export | Endpoint::Metrics => {
            return Err(crate::errors::ApiError::new(
                mekaar_api::ErrorCode::Internal,
                "This route has no community.",
            ))
        }
        Endpoint::Community(_) if is_get => json(&admin_view(app, &community)),
        Endpoint::Mail(_) => json(&crate::mail::counts(store, &app.mail, &community)?),
        Endpoint::Community(slug) => {
            let (previous, updated) =
                communities::update_from(store, &slug, parse_json(headers, body)?)?;
            moderation::audit_settings(
                store,
                &updated,
                &actor,
                "settings",
                None,
                (
                    &to_value(previous.admin_view()),
                    &to_value(updated.admin_view()),
                ),
            )?;
            json(&admin_view(app, &updated))
        }
        Endpoint::Tokens(_) if is_get => json(&TokenList {
            tokens: community.tokens.iter().map(|t| t.info()).collect(),
        }),
        Endpoint::Tokens(slug) => {
            // The role is required: an empty body makes no token.
            let request: TokenCreate = parse_json(headers, body)?;
            let (stored, admin_token) =
                communities::add_token(store, &slug, request.role, &request.label)?;
            audit_token(store, &community, &actor, "token_create", &stored)?;
            json_status(
                &TokenCreated {
                    admin_token,
                    id: stored.id,
                    role: stored.role,
                    label: stored.label,
                },
                StatusCode::CREATED,
            )
        }
        Endpoint::Token(slug, id) => {
            let deleted = communities::delete_token(store, &slug, &id)?;
            // Signed-in consoles of this token end now, not at their expiry.
            sessions::end_for_token(store, &slug, &deleted.id)?;
            audit_token(store, &community, &actor, "token_delete", &deleted)?;
            no_content()
        }
        Endpoint::CommunityExport(slug) => {
            return export_response(
                app,
                ExportQuery {
                    community: Some(slug),
                },
            )
            .await
        }
        Endpoint::Initiatives(_) if is_get => {
            let which = Queue::parse(query.queue.as_deref())?;
            let (initiatives, counts) = moderation::queue(store, &community, which)?;
            json(&InitiativeAdminList {
                initiatives,
                counts,
            })
        }
        Endpoint::Initiatives(_) => {
            let initiative = initiatives::create(store, &community, parse_json(headers, body)?)?;
            moderation::audit(
                store,
                &community,
                moderation::Change {
                    actor: &actor,
                    action: "create",
                    initiative: Some(&initiative.id),
                    note: "",
                    before: None,
                    after: Some(&initiative),
                },
            )?;
            let card = initiatives::card(store, &community, &initiative)?;
            json_status(&card, StatusCode::CREATED)
        }
        Endpoint::Initiative(_, id) if is_get => {
            let initiative = initiatives::get(store, &community, &id)?;
            json(&moderation::admin_view(store, &community, &initiative)?)
        }
        Endpoint::Initiative(_, id) => {
            let after =
                moderation::edit(store, &community, &id, parse_json(headers, body)?, &actor)?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Reactions(_) => {
            let which = match query.queue.as_deref() {
                None | Some("pending") => discussions::Queue::Pending,
                Some("reported") => discussions::Queue::Reported,
                Some("all") => discussions::Queue::All,
                Some(other) => {
                    return Err(crate::errors::ApiError::invalid_field(
                        "queue",
                        format!("`{other}` is not pending, reported or all"),
                    ))
                }
            };
            json(&app.discussions.queue(store, &community, which)?)
        }
        Endpoint::ReactionModeration(_, rid) => {
            let request: ReactionModeration = parse_json(headers, body)?;
            json(&app.discussions.moderate(
                store,
                &community,
                &rid,
                request.action,
                &actor,
                &request.note,
            )?)
        }
        Endpoint::OfficialReactions(_, kind, id) => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            let post: OfficialReactionPost = parse_json(headers, body)?;
            let reaction = app
                .discussions
                .post_official(store, &community, (kind, &id), post)
                .await?;
            moderation::append_audit(
                store,
                &community,
                (&actor, "reaction_post", None),
                format!(
                    "reaction {} in {} {id}",
                    reaction.reaction.id,
                    kind.as_str()
                ),
                (None, None),
            )?;
            json_status(&reaction, StatusCode::CREATED)
        }
        Endpoint::Steps(_) if is_get => json(&community.steps),
        Endpoint::Steps(_) => {
            let inputs: Vec<StepInput> = parse_json_list(headers, body)?;
            let (before, after) = steps::replace(store, &community, inputs)?;
            steps::audit_replace(store, &community, &actor, (&before, &after))?;
            json(&after)
        }
        Endpoint::StepsFunnel(_) => json(&steps::funnel(store, &community)?),
        Endpoint::InitiativeSteps(_, id) => {
            let initiative = initiatives::get(store, &community, &id)?;
            json(&steps::view(store, &community, &initiative)?)
        }
        Endpoint::InitiativeStep(_, id, step) => {
            let tick: StepTick = parse_json(headers, body)?;
            let view = steps::tick(store, &community, &id, &step, tick.done, &actor)?;
            json(&view)
        }
        Endpoint::Topics(_) if is_get => json(&app.discussions.topics(store, &community)?),
        Endpoint::Topics(_) => {
            let topic =
                app.discussions
                    .create_topic(store, &community, parse_json(headers, body)?)?;
            moderation::append_audit(
                store,
                &community,
                (&actor, "topic_create", None),
                format!("topic {}: {}", topic.id, topic.title),
                (None, None),
            )?;
            json_status(&topic, StatusCode::CREATED)
        }
        Endpoint::Thread(_, kind, id) if is_get => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            json(&app.discussions.thread(store, &community, kind, &id)?)
        }
        Endpoint::Thread(_, kind, id) => {
            let kind = discussions::kind_of_path(&kind, &id)?;
            let change: ThreadUpdate = parse_json(headers, body)?;
            let note = serde_json::to_string(&change).unwrap_or_default();
            let thread = app
                .discussions
                .update_thread(store, &community, kind, &id, change)?;
            moderation::append_audit(
                store,
                &community,
                (&actor, "thread_update", None),
                format!("{} {id}: {note}", kind.as_str()),
                (None, None),
            )?;
            json(&thread)
        }
        Endpoint::Moderation(_, id) => {
            let request: ModerationRequest = parse_json(headers, body)?;
            let after = moderation::moderate(
                store,
                &community,
                &id,
                request.action,
                &actor,
                &request.note,
            )?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Answer(_, id) => {
            let post: AnswerPost = parse_json(headers, body)?;
            let after = moderation::answer(store, &community, &id, post, &actor)?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Erase(_, id) => {
            let request: ErasureRequest = parse_json(headers, body)?;
            let after = privacy::erase(store, &community, &id, request, &actor)?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Photo(_, id) if method == Method::PUT => {
            // The initiative first: no decoding for an address that is wrong.
            initiatives::get(store, &community, &id)?;
            let alt = photos::check_alt(query.alt.as_deref())?;
            let content_type = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let renditions =
                photos::process_soon(Bytes::copy_from_slice(body), content_type).await?;
            let (before, after) = photos::attach(
                store,
                &community,
                &id,
                &renditions,
                &alt,
                photos::By::Moderator,
            )?;
            audit_photo(store, &community, &actor, "photo_set", &id, &before, &after)?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Photo(_, id) => {
            let which = query.which.unwrap_or_default();
            let (before, after) = photos::detach(store, &community, &id, which)?;
            audit_photo(
                store,
                &community,
                &actor,
                "photo_remove",
                &id,
                &before,
                &after,
            )?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::InitiativeMeetings(_, id) if is_get => json(&meetings::of_initiative_any(
            store,
            &community,
            &id,
            secrets::now_secs(),
        )?),
        Endpoint::InitiativeMeetings(_, id) => {
            let input = parse_json(headers, body)?;
            let who = meetings::Who::Staff(&actor);
            let meeting = meetings::add(store, &community, &id, input, who)?;
            json_status(&meeting, StatusCode::CREATED)
        }
        Endpoint::Meeting(_, m) => {
            let edit = parse_json(headers, body)?;
            let who = meetings::Who::Staff(&actor);
            json(&meetings::edit(store, &community, &m, edit, who)?)
        }
        Endpoint::Audit(_) => json(&moderation::audit_log(store, &community, log_limit)?),
        Endpoint::Webhooks(_) if is_get => json(&webhooks::list(&community)),
        Endpoint::Webhooks(slug) => {
            let created = webhooks::create(
                store,
                &slug,
                parse_json(headers, body)?,
                app.settings.webhooks.allow_private_destinations,
            )
            .await?;
            let hook = &created.webhook;
            // Only the receiving site: an address may hold a credential (a secret path, a
            // token), and moderators and poll editors read the log too.
            let site = webhooks::site_of(&hook.url);
            moderation::audit_settings(
                store,
                &community,
                &actor,
                "webhook_create",
                Some(&site),
                (
                    &serde_json::json!({}),
                    &serde_json::json!({ "webhook": hook.id, "site": site, "events": hook.events }),
                ),
            )?;
            json_status(&created, StatusCode::CREATED)
        }
        Endpoint::Webhook(slug, id) => {
            webhooks::delete(store, &slug, &id)?;
            let site = webhooks::list(&community)
                .into_iter()
                .find(|h| h.id == id)
                .map(|h| webhooks::site_of(&h.url))
                .unwrap_or_default();
            moderation::audit_settings(
                store,
                &community,
                &actor,
                "webhook_delete",
                Some(&site),
                (
                    &serde_json::json!({ "webhook": id, "site": site }),
                    &serde_json::json!({}),
                ),
            )?;
            no_content()
        }
        Endpoint::Deliveries(_) => json(&webhooks::delivery_log(store, &community, log_limit)?),
        Endpoint::Polls(_) if is_get => json(&polls::admin_list(store, &app.tallies, &community)?),
        Endpoint::Polls(_) => {
            let poll = polls::create(store, &community, parse_json(headers, body)?, &actor)?;
            json_status(
                &polls::admin_view(store, &app.tallies, &community, &poll.id)?,
                StatusCode::CREATED,
            )
        }
        Endpoint::Poll(_, id) if is_get => {
            json(&polls::admin_view(store, &app.tallies, &community, &id)?)
        }
        Endpoint::Poll(_, id) => {
            let edit = parse_json(headers, body)?;
            polls::edit(store, &app.tallies, &community, &id, edit, &actor)?;
            // Times and visibility may have changed what viewers see.
            app.live.publish_now(&community.slug, &id).await;
            json(&polls::admin_view(store, &app.tallies, &community, &id)?)
        }
        Endpoint::PollState(_, id) => {
            let request: PollActionRequest = parse_json(headers, body)?;
            polls::act(store, &app.tallies, &community, &id, request, &actor)?;
            app.live.publish_now(&community.slug, &id).await;
            json(&polls::admin_view(store, &app.tallies, &community, &id)?)
        }
        Endpoint::PollCodes(_, id) => {
            let request: VoteCodesRequest = parse_json(headers, body)?;
            let format = CodesFormat::parse(query.format.as_deref())?;
            let codes =
                polls::generate_codes(store, &app.tallies, &community, &id, request.count, &actor)?;
            codes_response(app, &community, &id, codes, format, headers)?
        }
        Endpoint::PollLive(_, id) => {
            sse::live(
                app.clone(),
                &community.slug,
                &id,
                sse::Watcher::Admin,
                headers.get("last-event-id").and_then(|v| v.to_str().ok()),
            )
            .await?
        }
    };
    Ok(response)
}

fn no_content() -> Response {
    let mut response = Response::new(Default::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// Token changes go into the audit log by role and id, never the label
/// (it may name a person) or anything of the token.
fn audit_token(
    store: &crate::store::Store,
    community: &communities::Community,
    actor: &str,
    action: &str,
    token: &communities::CommunityToken,
) -> ApiResult<()> {
    moderation::audit(
        store,
        community,
        moderation::Change {
            actor,
            action,
            initiative: None,
            note: &format!("{} token {}", token.role.as_str(), token.id),
            before: None,
            after: None,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
struct ExportQuery {
    /// Only this community's records; the whole database without it.
    community: Option<String>,
}

/// A consistent snapshot (writes wait while it is copied, reads go on),
/// written as JSON Lines (docs/export-format.md) once copied.
async fn export_response(app: &Arc<App>, query: ExportQuery) -> ApiResult<Response> {
    use warp::http::header::CACHE_CONTROL;
    use warp::http::HeaderValue;
    let scope = match query.community {
        Some(slug) => {
            // 404 for an unknown community, as everywhere.
            communities::get(&app.store, &slug)?;
            export::Scope::Community(slug)
        }
        None => export::Scope::All,
    };
    let store = app.store.clone();
    let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, export::ExportError> {
        let snapshot = export::snapshot(&store, &scope)?;
        let mut body = Vec::new();
        export::write_snapshot(&snapshot, &scope, &mut body)?;
        Ok(body)
    })
    .await
    .map_err(|err| {
        tracing::error!("the export task failed: {err}");
        export_failed()
    })?
    .map_err(|err| {
        tracing::error!("export failed: {err}");
        export_failed()
    })?;
    let mut response = file_response(body, export::MEDIA_TYPE, Some("mekaar-export.jsonl"));
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn export_failed() -> crate::errors::ApiError {
    crate::errors::ApiError::new(
        mekaar_api::ErrorCode::Internal,
        "The export failed; the server log says why.",
    )
}

/// How freshly generated vote codes are handed over.
enum CodesFormat {
    Json,
    Csv,
    /// A printable HTML sheet: one cut-out card per code.
    Html,
}

impl CodesFormat {
    fn parse(format: Option<&str>) -> ApiResult<CodesFormat> {
        match format {
            None | Some("json") => Ok(CodesFormat::Json),
            Some("csv") => Ok(CodesFormat::Csv),
            Some("html") => Ok(CodesFormat::Html),
            Some(other) => Err(crate::errors::ApiError::invalid_field(
                "format",
                format!("must be json, csv or html, not `{other}`"),
            )),
        }
    }
}

fn codes_response(
    app: &App,
    community: &communities::Community,
    id: &str,
    codes: Vec<String>,
    format: CodesFormat,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    use warp::http::header::CACHE_CONTROL;
    use warp::http::HeaderValue;
    let (body, content_type, file) = match format {
        CodesFormat::Json => {
            return Ok(json_status(
                &VoteCodesCreated { codes },
                StatusCode::CREATED,
            ))
        }
        CodesFormat::Csv => (
            polls::codes_csv(&codes)?,
            "text/csv; charset=utf-8",
            Some(format!("stemcodes-{id}.csv")),
        ),
        CodesFormat::Html => {
            let poll = polls::get(&app.store, community, id)?;
            let lang = community.languages.first().map_or("nl", String::as_str);
            (
                crate::pages::vote_code_sheet(&poll, &codes, &app.public_url(headers), lang),
                "text/html; charset=utf-8",
                None,
            )
        }
    };
    let mut response = file_response(body, content_type, file.as_deref());
    *response.status_mut() = StatusCode::CREATED;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// A settings view as JSON, for the audit log's before/after.
fn to_value(view: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(view).unwrap_or_default()
}

fn audit_photo(
    store: &crate::store::Store,
    community: &communities::Community,
    actor: &str,
    action: &str,
    id: &str,
    before: &initiatives::Initiative,
    after: &initiatives::Initiative,
) -> ApiResult<()> {
    moderation::audit(
        store,
        community,
        moderation::Change {
            actor,
            action,
            initiative: Some(id),
            note: "",
            before: Some(before),
            after: Some(after),
        },
    )
}

/// A community as its admins see it, with whether it sends e-mail.
fn admin_view(app: &App, community: &communities::Community) -> mekaar_api::CommunityAdmin {
    let mut view = community.admin_view();
    view.public.mail = app.mail.offered(community);
    view
}
