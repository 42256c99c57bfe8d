//! HTML the server renders itself for polls: the phone page, the overlay,
//! the printable sheet of vote codes, and QR codes as SVG. Texts a resident
//! reads come from the widget (one translation table); these pages carry only
//! data (question, codes, links) and the few words of the printed sheet, which
//! has no widget.

use mekaar_api::polls::Poll;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::feeds::escape;

const PHONE_PAGE: &str = include_str!("../pages/phone.html");
const OVERLAY_PAGE: &str = include_str!("../pages/overlay.html");
const NOT_FOUND_PAGE: &str = include_str!("../pages/not-found.html");
const JOIN_PAGE: &str = include_str!("../pages/join.html");
const LANDING_PAGE: &str = include_str!("../pages/landing.html");
const CODE_SHEET: &str = include_str!("../pages/vote-codes.html");

/// The QR code of `text` as an SVG document (dark modules on white, with
/// the quiet zone, so phones read it on any background).
pub fn qr_svg(text: &str) -> Option<String> {
    // Medium error correction: readable from a TV screen or a crumpled sheet.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(256, 256)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .quiet_zone(true)
            .build(),
    )
}

/// Fills `{{NAME}}` placeholders with escaped values.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |page, (name, value)| {
            page.replace(&format!("{{{{{name}}}}}"), &escape(value))
        })
}

/// `/p/{code}`: the poll widget, full width, for a phone, under the community's name.
pub fn phone_page(poll: &Poll, community_name: &str, lang: &str) -> String {
    fill(
        PHONE_PAGE,
        &[
            ("LANG", lang),
            ("COMMUNITY", &poll.community),
            ("COMMUNITY_NAME", community_name),
            ("POLL", &poll.id),
            ("QUESTION", &poll.question),
        ],
    )
}

/// Where the overlay sits on the picture (`?layout=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverlayLayout {
    /// The whole picture: question, results and the call to vote.
    Full,
    /// A band along the bottom, the results in columns.
    LowerThird,
    /// A column at the right.
    Side,
}

impl OverlayLayout {
    pub fn parse(name: &str) -> Option<OverlayLayout> {
        match name {
            "full" => Some(OverlayLayout::Full),
            "lower-third" => Some(OverlayLayout::LowerThird),
            "side" => Some(OverlayLayout::Side),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            OverlayLayout::Full => "full",
            OverlayLayout::LowerThird => "lower-third",
            OverlayLayout::Side => "side",
        }
    }
}

/// `/overlay/{poll}`: results in large type on a readable panel over a transparent
/// page, in `layout`, with the call to vote (QR code and join link; none with `qr`
/// false), which the widget shows only while voting is possible.
pub fn overlay_page(
    poll: &Poll,
    lang: &str,
    dark: bool,
    layout: OverlayLayout,
    qr: bool,
    join_url: &str,
) -> String {
    let page = fill(
        OVERLAY_PAGE,
        &[
            ("LANG", lang),
            ("COMMUNITY", &poll.community),
            ("POLL", &poll.id),
            ("THEME", if dark { "dark" } else { "light" }),
            ("LAYOUT", layout.name()),
            (
                "JOIN_CALL",
                if lang == "en" {
                    "Scan and vote"
                } else {
                    "Scan en stem mee"
                },
            ),
            ("JOIN_URL", join_url),
            (
                "JOIN_TEXT",
                join_url
                    .split_once("://")
                    .map_or(join_url, |(_, rest)| rest),
            ),
            ("QR_URL", &format!("/qr/{}.svg", poll.join_code)),
        ],
    );
    if qr {
        page
    } else {
        strip_between(&page, "<!--qr-->", "<!--/qr-->")
    }
}

/// An HTML page for a poll or code that does not exist.
pub fn not_found_page() -> String {
    NOT_FOUND_PAGE.to_string()
}

/// `/p` without a code: a form to type the code in (it comes back as `/p?code=…`).
pub fn join_page() -> String {
    JOIN_PAGE.to_string()
}

/// A community on the landing page: its name, its website (the first origin that
/// embeds its widgets), its feed and its open data.
pub struct Listed<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub website: Option<&'a str>,
}

/// `/`: what this server is, its communities with their public pages, the admin link.
pub fn landing_page(communities: &[Listed<'_>]) -> String {
    let mut items = String::new();
    for c in communities {
        let api = format!("/api/v1/communities/{}", c.slug);
        let website = c.website.map_or(String::new(), |url| {
            format!("<a href=\"{0}\">{0}</a> · ", escape(url))
        });
        items.push_str(&format!(
            "      <li><strong>{name}</strong>{website}<a href=\"{feed}\">Nieuws (Atom)</a> · \
             <a href=\"{data}\">Open data (CSV)</a></li>\n",
            name = escape(c.name),
            feed = escape(&format!("{api}/feed.atom")),
            data = escape(&format!("{api}/open-data/initiatives.csv")),
        ));
    }
    if communities.is_empty() {
        items.push_str("      <li>Nog geen gemeenschappen. <span lang=\"en\">No communities yet.</span></li>\n");
    }
    LANDING_PAGE.replace("<!--communities-->\n", &items)
}

/// The words of the printed sheet, by the community's first language.
struct SheetWords {
    lang: &'static str,
    title: &'static str,
    code: &'static str,
    how: &'static str,
    once: &'static str,
}

const SHEET_NL: SheetWords = SheetWords {
    lang: "nl",
    title: "Stemcodes",
    code: "Je stemcode",
    how: "Ga naar",
    once: "Elke code telt één keer.",
};

const SHEET_EN: SheetWords = SheetWords {
    lang: "en",
    title: "Vote codes",
    code: "Your vote code",
    how: "Go to",
    once: "Each code counts once.",
};

/// A printable sheet: one card per vote code with the question, the join
/// link and its QR code (one image, by absolute address: the sheet may be
/// opened from a blob URL, and 5,000 inline copies would weigh 50 MB).
pub fn vote_code_sheet(poll: &Poll, codes: &[String], base_url: &str, lang: &str) -> String {
    let words = if lang == "en" { &SHEET_EN } else { &SHEET_NL };
    let join_url = format!("{base_url}/p/{}", poll.join_code);
    let qr = format!(
        "<img src=\"{}\" alt=\"\" width=\"112\" height=\"112\">",
        escape(&format!("{base_url}/qr/{}.svg", poll.join_code))
    );
    let mut cards = String::new();
    for code in codes {
        cards.push_str(&format!(
            "<section class=\"card\"><p class=\"q\">{question}</p><div class=\"qr\" aria-hidden=\"true\">{qr}</div>\
             <p>{how} <strong>{url}</strong></p><p>{label}: <code>{code}</code></p><p class=\"once\">{once}</p></section>\n",
            question = escape(&poll.question),
            how = words.how,
            url = escape(&join_url),
            label = words.code,
            code = escape(code),
            once = words.once,
        ));
    }
    fill(
        CODE_SHEET,
        &[
            ("LANG", words.lang),
            ("TITLE", words.title),
            ("QUESTION", &poll.question),
        ],
    )
    .replace("<!--cards-->", &cards)
}

fn strip_between(page: &str, start: &str, end: &str) -> String {
    match (page.find(start), page.find(end)) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &page[..a], &page[b + end.len()..]),
        _ => page.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll() -> Poll {
        serde_json::from_value(serde_json::json!({
            "id": "abcdefghij", "community": "omroep", "question": "Wat <b>vindt</b> u?",
            "options": ["Ja", "Nee"], "max_choices": 1, "opens_at": null, "closes_at": null,
            "state": "open", "results": "always", "round": 1,
            "audience": {"kind": "codes"}, "join_code": "K7QX2",
            "created_at": 0, "updated_at": 0
        }))
        .unwrap()
    }

    #[test]
    fn qr_codes_are_svg_documents() {
        let svg = qr_svg("http://127.0.0.1:8080/p/K7QX2").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        // Dark modules are drawn: more than an empty frame.
        assert!(svg.len() > 1_000, "{}", svg.len());
    }

    #[test]
    fn pages_escape_what_they_show() {
        let page = phone_page(&poll(), "Omroep <Noord>", "nl");
        assert!(page.contains("Omroep &lt;Noord&gt;"));
        assert!(page.contains("Wat &lt;b&gt;vindt&lt;/b&gt; u?"));
        assert!(!page.contains("<b>vindt"));
        assert!(!page.contains("{{"));
        let sheet = vote_code_sheet(&poll(), &["ABCD-EFGH-JK".into()], "http://x", "nl");
        assert!(sheet.contains("ABCD-EFGH-JK") && sheet.contains("Je stemcode"));
        assert!(!sheet.contains("<b>vindt"));
        assert!(sheet.contains("http://x/p/K7QX2") && sheet.contains("http://x/qr/K7QX2.svg"));
    }

    #[test]
    fn the_landing_page_lists_communities_with_their_pages() {
        let page = landing_page(&[
            Listed {
                slug: "omroep",
                name: "Omroep <Noord>",
                website: Some("https://noord.example"),
            },
            Listed {
                slug: "baarlo",
                name: "Baarlo",
                website: None,
            },
        ]);
        assert!(
            page.contains("<strong>Omroep &lt;Noord&gt;</strong>"),
            "{page}"
        );
        assert!(page.contains("href=\"https://noord.example\""));
        assert!(page.contains("/api/v1/communities/baarlo/feed.atom"));
        assert!(page.contains("href=\"/admin\"") && !page.contains("<!--communities-->"));
        assert!(landing_page(&[]).contains("Nog geen gemeenschappen"));
    }

    #[test]
    fn the_overlay_leaves_out_the_qr_code_when_asked() {
        let full = OverlayLayout::Full;
        let with = overlay_page(&poll(), "nl", true, full, true, "http://x/p/K7QX2");
        let without = overlay_page(&poll(), "nl", true, full, false, "http://x/p/K7QX2");
        assert!(with.contains("/qr/K7QX2.svg"));
        assert!(!without.contains("/qr/K7QX2.svg"));
        assert!(with.contains("data-theme=\"dark\"") && !with.contains("{{"));
        // Nothing of the poll's text: the overlay of a draft shows none of it.
        assert!(!with.contains("vindt"), "{with}");
        assert!(
            with.contains("Scan en stem mee · <span class=\"url\">x/p/K7QX2</span>"),
            "{with}"
        );
        assert!(!without.contains("Scan en stem mee"));
        let side = overlay_page(
            &poll(),
            "en",
            false,
            OverlayLayout::Side,
            true,
            "http://x/p/K7QX2",
        );
        assert!(side.contains("data-layout=\"side\"") && side.contains("Scan and vote"));
    }
}
