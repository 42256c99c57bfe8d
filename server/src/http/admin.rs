//! The admin API: bearer tokens, no CORS (the CLI and the server's own console).

use std::sync::Arc;

use mekaar_api::{
    AnswerPost, CommunityCreated, InitiativeAdminList, ModerationRequest, TokenCreated,
};
use serde::Deserialize;
use warp::filters::BoxedFilter;
use warp::http::{HeaderMap, Method, StatusCode};
use warp::hyper::body::Bytes;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::{
    json, json_status, limited_body, method_not_allowed, parse_json, parse_query, raw_query, App,
};
use crate::auth;
use crate::communities;
use crate::errors::ApiResult;
use crate::initiatives;
use crate::moderation::{self, Queue};
use crate::webhooks;

/// Most audit-log or delivery-log entries one request returns.
const LOG_LIMIT_MAX: usize = 1_000;

#[derive(Debug, Clone)]
enum Endpoint {
    Communities,
    Community(String),
    Tokens(String),
    Initiatives(String),
    Initiative(String, String),
    Moderation(String, String),
    Answer(String, String),
    Audit(String),
    Webhooks(String),
    Webhook(String, String),
    Deliveries(String),
}

impl Endpoint {
    fn methods(&self) -> &'static [Method] {
        match self {
            Endpoint::Communities | Endpoint::Initiatives(_) | Endpoint::Webhooks(_) => {
                &[Method::GET, Method::POST]
            }
            Endpoint::Community(_) | Endpoint::Initiative(..) => &[Method::GET, Method::PATCH],
            Endpoint::Tokens(_) | Endpoint::Moderation(..) => &[Method::POST],
            Endpoint::Answer(..) => &[Method::PUT],
            Endpoint::Audit(_) | Endpoint::Deliveries(_) => &[Method::GET],
            Endpoint::Webhook(..) => &[Method::DELETE],
        }
    }

    fn community(&self) -> Option<&str> {
        match self {
            Endpoint::Communities => None,
            Endpoint::Community(c)
            | Endpoint::Tokens(c)
            | Endpoint::Initiatives(c)
            | Endpoint::Initiative(c, _)
            | Endpoint::Moderation(c, _)
            | Endpoint::Answer(c, _)
            | Endpoint::Audit(c)
            | Endpoint::Webhooks(c)
            | Endpoint::Webhook(c, _)
            | Endpoint::Deliveries(c) => Some(c),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct AdminQuery {
    queue: Option<String>,
    limit: Option<usize>,
}

pub(super) fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    use warp::path;
    let endpoint = path!("api" / "v1" / "admin" / "communities")
        .map(|| Endpoint::Communities)
        .or(path!("api" / "v1" / "admin" / "communities" / String).map(Endpoint::Community))
        .unify()
        .or(path!("api" / "v1" / "admin" / "communities" / String / "tokens").map(Endpoint::Tokens))
        .unify()
        .or(
            path!("api" / "v1" / "admin" / "communities" / String / "initiatives")
                .map(Endpoint::Initiatives),
        )
        .unify()
        .or(
            path!("api" / "v1" / "admin" / "communities" / String / "initiatives" / String)
                .map(Endpoint::Initiative),
        )
        .unify()
        .or(path!(
            "api" / "v1" / "admin" / "communities" / String / "initiatives" / String / "moderation"
        )
        .map(Endpoint::Moderation))
        .unify()
        .or(path!(
            "api" / "v1" / "admin" / "communities" / String / "initiatives" / String / "answer"
        )
        .map(Endpoint::Answer))
        .unify()
        .or(path!("api" / "v1" / "admin" / "communities" / String / "audit").map(Endpoint::Audit))
        .unify()
        .or(
            path!("api" / "v1" / "admin" / "communities" / String / "webhooks")
                .map(Endpoint::Webhooks),
        )
        .unify()
        .or(
            path!("api" / "v1" / "admin" / "communities" / String / "webhooks" / "deliveries")
                .map(Endpoint::Deliveries),
        )
        .unify()
        .or(
            path!("api" / "v1" / "admin" / "communities" / String / "webhooks" / String)
                .map(Endpoint::Webhook),
        )
        .unify()
        // Boxed: the nested filter types are otherwise too deep for rustc.
        .boxed();
    endpoint
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .and(raw_query())
        .and(limited_body())
        .then(
            move |endpoint, method: Method, headers: HeaderMap, query: String, body: Bytes| {
                let app = app.clone();
                async move {
                    handle(&app, endpoint, &method, &headers, &query, &body)
                        .await
                        .unwrap_or_else(Reply::into_response)
                }
            },
        )
        .boxed()
}

async fn handle(
    app: &App,
    endpoint: Endpoint,
    method: &Method,
    headers: &HeaderMap,
    query: &str,
    body: &[u8],
) -> ApiResult<Response> {
    if !endpoint.methods().contains(method) {
        return Ok(method_not_allowed(endpoint.methods()));
    }
    let store = &app.store;
    let Some(slug) = endpoint.community() else {
        // The server-wide list and creation of communities.
        auth::require_server_admin(store, headers)?;
        if method == Method::GET {
            let all: Vec<_> = communities::list(store)?
                .iter()
                .map(|c| c.admin_view())
                .collect();
            return Ok(json(&all));
        }
        let (community, admin_token) = communities::create(store, parse_json(headers, body)?)?;
        store.durable().await?;
        return Ok(json_status(
            &CommunityCreated {
                community: community.admin_view(),
                admin_token,
            },
            StatusCode::CREATED,
        ));
    };
    let community = communities::get(store, slug)?;
    let actor = auth::require_community_admin(store, &community, headers)?;
    let query: AdminQuery = parse_query(query)?;
    let log_limit = query.limit.unwrap_or(100).clamp(1, LOG_LIMIT_MAX);
    let is_get = method == Method::GET;
    let response = match endpoint {
        Endpoint::Communities => unreachable!("handled above"),
        Endpoint::Community(_) if is_get => json(&community.admin_view()),
        Endpoint::Community(slug) => {
            let updated = communities::update(store, &slug, parse_json(headers, body)?)?;
            store.durable().await?;
            json(&updated.admin_view())
        }
        Endpoint::Tokens(slug) => {
            let admin_token = communities::add_admin_token(store, &slug)?;
            store.durable().await?;
            json_status(&TokenCreated { admin_token }, StatusCode::CREATED)
        }
        Endpoint::Initiatives(_) if is_get => {
            let which = Queue::parse(query.queue.as_deref())?;
            json(&InitiativeAdminList {
                initiatives: moderation::queue(store, &community, which)?,
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
            store.durable().await?;
            json_status(&card, StatusCode::CREATED)
        }
        Endpoint::Initiative(_, id) if is_get => {
            let initiative = initiatives::get(store, &community, &id)?;
            json(&moderation::admin_view(store, &community, &initiative)?)
        }
        Endpoint::Initiative(_, id) => {
            let after =
                moderation::edit(store, &community, &id, parse_json(headers, body)?, &actor)?;
            store.durable().await?;
            json(&moderation::admin_view(store, &community, &after)?)
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
            store.durable().await?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Answer(_, id) => {
            let post: AnswerPost = parse_json(headers, body)?;
            let after = moderation::answer(store, &community, &id, post, &actor)?;
            store.durable().await?;
            json(&moderation::admin_view(store, &community, &after)?)
        }
        Endpoint::Audit(_) => json(&moderation::audit_log(store, &community, log_limit)?),
        Endpoint::Webhooks(_) if is_get => json(&webhooks::list(&community)),
        Endpoint::Webhooks(slug) => {
            let created = webhooks::create(store, &slug, parse_json(headers, body)?)?;
            store.durable().await?;
            json_status(&created, StatusCode::CREATED)
        }
        Endpoint::Webhook(slug, id) => {
            webhooks::delete(store, &slug, &id)?;
            store.durable().await?;
            let mut response = Response::new(Default::default());
            *response.status_mut() = StatusCode::NO_CONTENT;
            response
        }
        Endpoint::Deliveries(_) => json(&webhooks::delivery_log(store, &community, log_limit)?),
    };
    Ok(response)
}
