//! The demo's pretend host site (`mekaar-server --demo`): `demo/*.html`
//! served on its own port, as a village's website would embed the widgets.

use std::net::SocketAddr;

use warp::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use warp::http::HeaderValue;
use warp::reply::Response;
use warp::Filter;

use crate::assets;

/// The pretend host site: `demo/*.html` with `{{MEKAAR_URL}}` and the
/// other placeholders filled in.
pub fn host_site(
    mekaar_url: String,
    placeholders: Vec<(String, String)>,
) -> impl Filter<Extract = (Response,), Error = std::convert::Infallible> + Clone {
    warp::path::tail().map(move |tail: warp::path::Tail| {
        let name = match tail.as_str() {
            "" => "index.html",
            other => other,
        };
        match assets::demo_page(name) {
            Some(text) => {
                let text = placeholders.iter().fold(
                    text.replace("{{MEKAAR_URL}}", &mekaar_url),
                    |text, (name, value)| text.replace(&format!("{{{{{name}}}}}"), value),
                );
                let mut response = Response::new(text.into());
                let headers = response.headers_mut();
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static(assets::content_type(name)),
                );
                headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                response
            }
            None => {
                let mut response = Response::new("Not found".into());
                *response.status_mut() = warp::http::StatusCode::NOT_FOUND;
                response
            }
        }
    })
}

/// Serves the pretend host site on `listen` until the process ends.
pub async fn serve_host_site(
    listen: SocketAddr,
    mekaar_url: String,
    placeholders: Vec<(String, String)>,
) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(
        warp::serve(host_site(mekaar_url, placeholders))
            .incoming(listener)
            .run(),
    );
    Ok(addr)
}
