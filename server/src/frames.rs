//! `/embed/{kind}?community=…&…`: every widget also as a page of the server, for host
//! pages that cannot run our script (a Content-Security-Policy without our origin or
//! without `'wasm-unsafe-eval'`). The host puts the page in an `<iframe>` (the snippet
//! builder writes one), or the loader switches a placeholder to it by itself when the
//! host's policy blocks the wasm.
//!
//! The page holds the same placeholder a host page would, with the same options (the
//! query parameters are the placeholder's `data-` attributes without the prefix), and
//! the same loader; inside a frame the loader reports the page's height to the host
//! (`postMessage`), so the frame can grow to its content. The rules stay: only the
//! community's allowed origins may frame the page (`frame-ancestors`), the voter key is
//! in the frame's own storage, no cookies.

use mekaar_api::is_valid_slug;

use crate::communities::Community;
use crate::errors::{ApiError, ApiResult};
use crate::feeds::escape;

const FRAME_PAGE: &str = include_str!("../pages/embed.html");

/// The options a frame page passes on to its placeholder, as `data-{name}`.
const OPTIONS: [&str; 12] = [
    "initiative",
    "poll",
    "topic",
    "view",
    "lang",
    "theme",
    "area",
    "status",
    "limit",
    "submit",
    "heading-level",
    "preview",
];

/// The longest option value: ids, names and areas are far shorter.
const MAX_OPTION_LEN: usize = 200;

/// A widget kind that has a frame page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    Support,
    Initiatives,
    Initiative,
    Poll,
    /// A thread: under an initiative, a poll or a topic.
    Discussion,
    /// The community's coming meetings.
    Agenda,
    /// One initiative's meetings.
    Meetings,
    /// One initiative's next steps.
    Steps,
}

impl FrameKind {
    pub fn from_path(kind: &str) -> ApiResult<FrameKind> {
        Ok(match kind {
            "support" => FrameKind::Support,
            "initiatives" => FrameKind::Initiatives,
            "initiative" => FrameKind::Initiative,
            "poll" => FrameKind::Poll,
            "discussion" => FrameKind::Discussion,
            "agenda" => FrameKind::Agenda,
            "meetings" => FrameKind::Meetings,
            "steps" => FrameKind::Steps,
            _ => return Err(ApiError::route_not_found()),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            FrameKind::Support => "support",
            FrameKind::Initiatives => "initiatives",
            FrameKind::Initiative => "initiative",
            FrameKind::Poll => "poll",
            FrameKind::Discussion => "discussion",
            FrameKind::Agenda => "agenda",
            FrameKind::Meetings => "meetings",
            FrameKind::Steps => "steps",
        }
    }

    /// The options naming what the widget shows (one of them is needed), when the
    /// kind needs one.
    pub fn subjects(self) -> &'static [&'static str] {
        match self {
            FrameKind::Support | FrameKind::Initiative | FrameKind::Meetings | FrameKind::Steps => {
                &["initiative"]
            }
            FrameKind::Poll => &["poll"],
            FrameKind::Discussion => &["topic", "poll", "initiative"],
            FrameKind::Initiatives | FrameKind::Agenda => &[],
        }
    }
}

/// A frame page's query: the community and the placeholder's options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameQuery {
    pub community: String,
    /// `(name, value)` in the order of [`OPTIONS`]; only the ones given.
    pub options: Vec<(&'static str, String)>,
}

impl FrameQuery {
    /// Reads `community` and the known options from a query string; unknown parameters
    /// are left out, a missing community or subject, an invalid slug or an overlong value
    /// is a 400 naming the parameter.
    pub fn parse(kind: FrameKind, pairs: &[(String, String)]) -> ApiResult<FrameQuery> {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        let community = get("community").unwrap_or_default();
        if !is_valid_slug(&community) {
            return Err(ApiError::invalid_field(
                "community",
                "name the community (`?community=…`), as `data-community` does",
            ));
        }
        let mut options = Vec::new();
        for name in OPTIONS {
            if let Some(value) = get(name) {
                if value.chars().count() > MAX_OPTION_LEN {
                    return Err(ApiError::invalid_field(
                        name,
                        format!("at most {MAX_OPTION_LEN} characters"),
                    ));
                }
                options.push((name, value));
            }
        }
        let subjects = kind.subjects();
        if let Some(first) = subjects.first() {
            if !options
                .iter()
                .any(|(n, v)| subjects.contains(n) && !v.is_empty())
            {
                let wanted = subjects
                    .iter()
                    .map(|s| format!("`?{s}=…`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                return Err(ApiError::invalid_field(
                    first,
                    format!("a {} frame needs {wanted}", kind.name()),
                ));
            }
        }
        Ok(FrameQuery { community, options })
    }

    pub fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The frame page: the placeholder with the query's options, `title` (what the widget
/// shows: an initiative's title, a poll's question, the community's name) and `lang`.
/// The title is also the placeholder's content, for a browser that cannot run the widget.
pub fn page(kind: FrameKind, query: &FrameQuery, title: &str, lang: &str) -> String {
    let mut attrs = format!(
        "data-mekaar=\"{}\" data-community=\"{}\"",
        kind.name(),
        escape(&query.community)
    );
    for (name, value) in &query.options {
        attrs.push_str(&format!(" data-{name}=\"{}\"", escape(value)));
    }
    FRAME_PAGE
        .replace("{{LANG}}", &escape(lang))
        .replace("{{TITLE}}", &escape(title))
        .replace("{{ATTRS}}", &attrs)
}

/// The `Content-Security-Policy` of a frame page: the server's own scripts (and wasm),
/// styles and fetches, and only the community's allowed origins may frame it (none
/// allowed: no site may).
pub fn content_security_policy(community: &Community) -> String {
    let ancestors = if community.allowed_origins.is_empty() {
        "'none'".to_owned()
    } else {
        community.allowed_origins.join(" ")
    };
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors {ancestors}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn options_become_the_placeholders_attributes_escaped() {
        let q = FrameQuery::parse(
            FrameKind::Support,
            &pairs(&[
                ("community", "baarlo"),
                ("initiative", "abc\"><script>"),
                ("theme", "dark"),
                ("onload", "alert(1)"),
            ]),
        )
        .unwrap();
        let html = page(FrameKind::Support, &q, "Bankjes <b>", "nl");
        assert!(html.contains("data-mekaar=\"support\" data-community=\"baarlo\""));
        assert!(html.contains("data-initiative=\"abc&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains("data-theme=\"dark\""));
        assert!(!html.contains("onload"));
        assert!(html.contains("<title>Bankjes &lt;b&gt;</title>"));
    }

    #[test]
    fn what_a_frame_needs_is_asked_for_by_name() {
        let err =
            FrameQuery::parse(FrameKind::Poll, &pairs(&[("community", "baarlo")])).unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
        assert!(err.message.contains("poll"), "{}", err.message);
        let err = FrameQuery::parse(FrameKind::Initiatives, &pairs(&[("community", "../x")]))
            .unwrap_err();
        assert!(err.message.contains("community"), "{}", err.message);
        let long = "x".repeat(201);
        let err = FrameQuery::parse(
            FrameKind::Initiatives,
            &pairs(&[("community", "baarlo"), ("area", &long)]),
        )
        .unwrap_err();
        assert!(err.message.contains("area"), "{}", err.message);
        assert!(FrameKind::from_path("manage").is_err());
    }

    #[test]
    fn the_agenda_meetings_and_steps_have_frames() {
        let q = FrameQuery::parse(
            FrameKind::Agenda,
            &pairs(&[("community", "baarlo"), ("area", "Kerkdorp")]),
        )
        .unwrap();
        let html = page(FrameKind::Agenda, &q, "Baarlo", "nl");
        assert!(html
            .contains("data-mekaar=\"agenda\" data-community=\"baarlo\" data-area=\"Kerkdorp\""));
        for kind in ["meetings", "steps"] {
            let kind = FrameKind::from_path(kind).unwrap();
            let err = FrameQuery::parse(kind, &pairs(&[("community", "baarlo")])).unwrap_err();
            assert!(err.message.contains("initiative"), "{}", err.message);
            let q = FrameQuery::parse(
                kind,
                &pairs(&[("community", "baarlo"), ("initiative", "aed")]),
            )
            .unwrap();
            assert!(
                page(kind, &q, "AED", "nl").contains(&format!("data-mekaar=\"{}\"", kind.name()))
            );
        }
    }
}
