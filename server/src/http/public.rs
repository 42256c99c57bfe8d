//! The residents' API, called by widgets on other sites: CORS applies.

use std::sync::Arc;

use mekaar_api::{InitiativeList, VOTER_HEADER};
use warp::http::{HeaderMap, Method};
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use super::{json, method_not_allowed, App};
use crate::communities;
use crate::cors;
use crate::errors::ApiResult;
use crate::initiatives;
use crate::supports;

/// The addresses under `/api/v1/communities/{slug}`.
#[derive(Debug, Clone)]
enum Endpoint {
    Community,
    Initiatives,
    Initiative(String),
    Support(String),
}

impl Endpoint {
    fn methods(&self) -> &'static [Method] {
        match self {
            Endpoint::Support(_) => &[Method::GET, Method::PUT, Method::DELETE],
            _ => &[Method::GET],
        }
    }
}

pub(super) fn routes(
    app: Arc<App>,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone {
    let endpoint = warp::path!("api" / "v1" / "communities" / String)
        .map(|slug| (slug, Endpoint::Community))
        .or(
            warp::path!("api" / "v1" / "communities" / String / "initiatives")
                .map(|slug| (slug, Endpoint::Initiatives)),
        )
        .unify()
        .or(
            warp::path!("api" / "v1" / "communities" / String / "initiatives" / String)
                .map(|slug, id| (slug, Endpoint::Initiative(id))),
        )
        .unify()
        .or(
            warp::path!("api" / "v1" / "communities" / String / "initiatives" / String / "support")
                .map(|slug, id| (slug, Endpoint::Support(id))),
        )
        .unify();
    endpoint
        .and(warp::method())
        .and(warp::header::headers_cloned())
        .then(
            move |(slug, endpoint): (String, Endpoint), method: Method, headers: HeaderMap| {
                let app = app.clone();
                async move {
                    let mut response = handle(&app, &slug, endpoint, &method, &headers)
                        .await
                        .unwrap_or_else(Reply::into_response);
                    cors::expose_to_caller(&mut response, &headers);
                    response
                }
            },
        )
}

async fn handle(
    app: &App,
    slug: &str,
    endpoint: Endpoint,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let store = &app.store;
    let community = communities::get(store, slug)?;
    cors::check_origin(&community, headers)?;
    if method == Method::OPTIONS {
        return Ok(cors::preflight(endpoint.methods()));
    }
    if !endpoint.methods().contains(method) {
        return Ok(method_not_allowed(endpoint.methods()));
    }
    let voter = headers.get(VOTER_HEADER).and_then(|v| v.to_str().ok());
    Ok(match (endpoint, method.clone()) {
        (Endpoint::Community, _) => json(&community.public()),
        (Endpoint::Initiatives, _) => {
            let initiatives = initiatives::list(store, &community)?
                .iter()
                .map(|i| initiatives::public(store, &community, i))
                .collect::<ApiResult<Vec<_>>>()?;
            json(&InitiativeList { initiatives })
        }
        (Endpoint::Initiative(id), _) => {
            let initiative = initiatives::get(store, &community, &id)?;
            json(&initiatives::public(store, &community, &initiative)?)
        }
        (Endpoint::Support(id), Method::PUT) => {
            json(&supports::support(store, &community, &id, voter).await?)
        }
        (Endpoint::Support(id), Method::DELETE) => {
            json(&supports::withdraw(store, &community, &id, voter).await?)
        }
        (Endpoint::Support(id), _) => json(&supports::state(store, &community, &id, voter)?),
    })
}
