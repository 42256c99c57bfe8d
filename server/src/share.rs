//! An initiative on paper and on social media: its share page `/i/{code}` (the
//! widgets' detail of it, with Open Graph and Twitter card metadata and share links
//! that load nothing from anyone else), its printable poster `/poster/{c}/{id}` and a
//! meeting's printable flyer `/flyer/{c}/{m}` (A4 or A5, one page, with the short link
//! in large type and its QR code). Pure functions over the wire types; the routes are
//! in `http::pages`. Texts in the pages' own table (nl first, en).

use std::collections::HashMap;

use mekaar_api::meetings::Meeting;
use mekaar_api::InitiativePublic;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use crate::feeds::escape;

const SHARE_PAGE: &str = include_str!("../pages/initiative.html");
const POSTER_PAGE: &str = include_str!("../pages/poster.html");
const NOT_FOUND_PAGE: &str = include_str!("../pages/initiative-not-found.html");
/// `/share.js`: the copy and print buttons (no inline script under the pages' CSP).
pub const SCRIPT: &str = include_str!("../pages/share.js");

/// The policy of these pages: our own scripts (the loader and the widgets' wasm,
/// `/share.js`), styles, fetches and images; nobody frames them.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// The paper size of a poster or flyer (`?size=a4|a5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    A4,
    A5,
}

impl Size {
    pub fn parse(name: &str) -> Option<Size> {
        match name.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Size::A4),
            "a5" => Some(Size::A5),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Size::A4 => "a4",
            Size::A5 => "a5",
        }
    }

    fn css(self) -> &'static str {
        match self {
            Size::A4 => "A4",
            Size::A5 => "A5",
        }
    }
}

/// The words of these pages, by language.
struct Words {
    lang: &'static str,
    share: &'static str,
    whatsapp: &'static str,
    email: &'static str,
    copy: &'static str,
    copied: &'static str,
    copy_failed: &'static str,
    poster: &'static str,
    look: &'static str,
    support_call: &'static str,
    scan: &'static str,
    supporters_none: &'static str,
    supporter_one: &'static str,
    supporters_many: &'static str,
    counted: &'static str,
    print: &'static str,
    size: &'static str,
    to_initiative: &'static str,
    meeting: &'static str,
    come: &'static str,
    cancelled: &'static str,
    online: &'static str,
    more: &'static str,
    until: &'static str,
    needs_js: &'static str,
    weekdays: [&'static str; 7],
    months: [&'static str; 12],
}

const NL: Words = Words {
    lang: "nl",
    share: "Deel dit initiatief",
    whatsapp: "Deel via WhatsApp",
    email: "Stuur per e-mail",
    copy: "Kopieer de link",
    copied: "De link is gekopieerd.",
    copy_failed: "Kopiëren lukte niet: selecteer de link hierboven.",
    poster: "Poster om af te drukken",
    look: "Kijk eens naar dit initiatief:",
    support_call: "Steun dit initiatief",
    scan: "Scan de code of ga naar",
    supporters_none: "Wees de eerste die het steunt",
    supporter_one: "buurtgenoot steunt dit",
    supporters_many: "buurtgenoten steunen dit",
    counted: "geteld op",
    print: "Afdrukken",
    size: "Formaat",
    to_initiative: "Naar het initiatief",
    meeting: "Bijeenkomst",
    come: "Kom ook!",
    cancelled: "Afgelast",
    online: "Online",
    more: "Meer weten en laten weten dat je komt:",
    until: "tot",
    needs_js: "Deze pagina heeft JavaScript nodig voor steunen en reageren.",
    weekdays: [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
};

const EN: Words = Words {
    lang: "en",
    share: "Share this initiative",
    whatsapp: "Share on WhatsApp",
    email: "Send by e-mail",
    copy: "Copy the link",
    copied: "The link has been copied.",
    copy_failed: "Copying did not work: select the link above.",
    poster: "Poster to print",
    look: "Have a look at this initiative:",
    support_call: "Support this initiative",
    scan: "Scan the code or go to",
    supporters_none: "Be the first to support it",
    supporter_one: "neighbour supports this",
    supporters_many: "neighbours support this",
    counted: "counted on",
    print: "Print",
    size: "Size",
    to_initiative: "To the initiative",
    meeting: "Meeting",
    come: "Come along!",
    cancelled: "Cancelled",
    online: "Online",
    more: "Find out more and say you are coming:",
    until: "until",
    needs_js: "This page needs JavaScript for supporting and reacting.",
    weekdays: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

fn words(lang: &str) -> &'static Words {
    if lang == "en" {
        &EN
    } else {
        &NL
    }
}

/// Fills `{{NAME}}` placeholders with escaped values in one pass (a value that looks
/// like a placeholder stays text); `{{{NAME}}}` takes the value as HTML (the
/// server's own markup only).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let values: HashMap<&str, &str> = values.iter().copied().collect();
    let mut out = String::with_capacity(template.len() + 1024);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let raw = after.starts_with("{{{");
        let (open, close) = if raw { (3, "}}}") } else { (2, "}}") };
        match after[open..].find(close) {
            Some(end) => {
                let name = &after[open..open + end];
                match values.get(name) {
                    Some(value) if raw => out.push_str(value),
                    Some(value) => out.push_str(&escape(value)),
                    None => out.push_str(&after[..open + end + close.len()]),
                }
                rest = &after[open + end + close.len()..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Leaves out `<!--if NAME-->…<!--/if NAME-->` unless `keep`.
fn section(page: String, name: &str, keep: bool) -> String {
    let (start, end) = (format!("<!--if {name}-->"), format!("<!--/if {name}-->"));
    match (page.find(&start), page.find(&end)) {
        (Some(a), Some(b)) if a < b => {
            if keep {
                format!(
                    "{}{}{}",
                    &page[..a],
                    &page[a + start.len()..b],
                    &page[b + end.len()..]
                )
            } else {
                format!("{}{}", &page[..a], &page[b + end.len()..])
            }
        }
        _ => page,
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, NON_ALPHANUMERIC).to_string()
}

/// The QR code of `url` as inline SVG markup (scales to its box; quiet zone included).
fn qr_markup(url: &str) -> String {
    let svg = crate::pages::qr_svg(url).unwrap_or_default();
    let svg = match svg.find("<svg") {
        Some(at) => &svg[at..],
        None => "",
    };
    svg.replacen(
        "<svg ",
        "<svg role=\"img\" aria-hidden=\"true\" focusable=\"false\" ",
        1,
    )
}

/// `https://x/i/CODE` → `x/i/CODE`: what people type.
fn without_scheme(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

/// The paper sizes to choose from, the current one marked.
fn size_links(size: Size) -> String {
    [Size::A4, Size::A5]
        .iter()
        .map(|s| {
            let current = if *s == size {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!("<a href=\"?size={}\"{current}>{}</a>", s.name(), s.css())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short link in two lines: the host, and the path in large type.
fn split_url(url: &str) -> (&str, &str) {
    let bare = without_scheme(url);
    match bare.find('/') {
        Some(at) => (&bare[..at], &bare[at..]),
        None => (bare, ""),
    }
}

/// The short link's absolute address (`base_url` + `/i/{code}`), or the server's
/// list page of the community as a fallback when the initiative has none yet.
pub fn short_url(card: &InitiativePublic, base_url: &str) -> String {
    match &card.share_url {
        Some(path) => format!("{base_url}{path}"),
        None => format!(
            "{base_url}/embed/initiatives?community={}#mekaar-i={}",
            card.community, card.id
        ),
    }
}

/// `/i/{code}`: the initiative as a phone page of the server: the initiatives widget on
/// its detail (story, photo, support, "ik doe mee", reactions), the meetings
/// placeholder, share links; Open Graph and Twitter card metadata for previews.
pub fn initiative_page(
    card: &InitiativePublic,
    community_name: &str,
    base_url: &str,
    lang: &str,
) -> String {
    let w = words(lang);
    let url = short_url(card, base_url);
    let image = card
        .photo
        .as_ref()
        .map(|p| format!("{base_url}{}", p.large_url));
    let description = if card.summary.trim().is_empty() {
        community_name
    } else {
        card.summary.as_str()
    };
    let message = format!("{} {url}", card.title);
    let whatsapp = format!("https://wa.me/?text={}", encode(&message));
    let mail = format!(
        "mailto:?subject={}&body={}",
        encode(&card.title),
        encode(&format!("{}\n\n{}\n\n{url}", w.look, card.title))
    );
    let poster = format!("/poster/{}/{}", card.community, card.id);
    let page = fill(
        SHARE_PAGE,
        &[
            ("LANG", w.lang),
            ("LOCALE", if w.lang == "en" { "en_GB" } else { "nl_NL" }),
            ("TITLE", &card.title),
            ("SUMMARY", description),
            ("COMMUNITY", &card.community),
            ("COMMUNITY_NAME", community_name),
            ("INITIATIVE", &card.id),
            ("URL", &url),
            ("IMAGE", image.as_deref().unwrap_or_default()),
            (
                "IMAGE_ALT",
                card.photo.as_ref().map_or("", |p| p.alt.as_str()),
            ),
            (
                "CARD",
                if image.is_some() {
                    "summary_large_image"
                } else {
                    "summary"
                },
            ),
            ("WHATSAPP", &whatsapp),
            ("MAIL", &mail),
            ("POSTER", &poster),
            ("SHARE", w.share),
            ("SHARE_WHATSAPP", w.whatsapp),
            ("SHARE_MAIL", w.email),
            ("COPY", w.copy),
            ("COPIED", w.copied),
            ("COPY_FAILED", w.copy_failed),
            ("POSTER_TEXT", w.poster),
            ("NEEDS_JS", w.needs_js),
        ],
    );
    section(page, "image", image.is_some())
}

/// The friendly page for a short link or poster that leads nowhere (both languages).
pub fn not_found_page() -> String {
    NOT_FOUND_PAGE.to_string()
}

/// "12 buurtgenoten steunen dit" or a call to be the first.
fn supporters(w: &Words, count: u64) -> (String, &'static str) {
    match count {
        0 => (String::new(), w.supporters_none),
        1 => ("1".into(), w.supporter_one),
        n => (n.to_string(), w.supporters_many),
    }
}

/// A moment in Europe/Amsterdam, as (weekday day month year, HH:MM, date key).
fn local(secs: u64, w: &Words) -> (String, String, (i32, u32, u32)) {
    use chrono::{Datelike, Timelike};
    let at = chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Amsterdam);
    let weekday = w.weekdays[at.weekday().num_days_from_monday() as usize];
    let month = w.months[at.month0() as usize];
    (
        format!("{weekday} {} {month} {}", at.day(), at.year()),
        format!("{:02}:{:02}", at.hour(), at.minute()),
        (at.year(), at.month(), at.day()),
    )
}

/// The date line and time line of a meeting, in Europe/Amsterdam.
pub fn meeting_when(meeting: &Meeting, lang: &str) -> (String, String) {
    let w = words(lang);
    let (start_date, start_time, start_day) = local(meeting.starts_at, w);
    let (end_date, end_time, end_day) = local(meeting.ends_at, w);
    if start_day == end_day {
        (start_date, format!("{start_time} – {end_time}"))
    } else {
        (
            start_date,
            format!("{start_time} {} {end_date} {end_time}", w.until),
        )
    }
}

/// The moment of printing, for "counted on …" (the date, in Europe/Amsterdam).
fn today(now: u64, w: &Words) -> String {
    local(now, w).0
}

/// `/poster/{c}/{id}`: one printed page: the community's name, title, photo, summary,
/// the support count at print time and the short link in large type with its QR code.
pub fn poster(
    card: &InitiativePublic,
    community_name: &str,
    base_url: &str,
    size: Size,
    lang: &str,
    now: u64,
) -> String {
    let w = words(lang);
    let url = short_url(card, base_url);
    let (count, count_text) = supporters(w, card.support_count);
    let photo = card
        .photo
        .as_ref()
        .map(|p| (p.large_url.as_str(), p.alt.as_str()));
    let page = fill(
        POSTER_PAGE,
        &[
            ("LANG", w.lang),
            ("KIND", "poster"),
            ("SIZE", size.name()),
            ("PAGE_SIZE", size.css()),
            ("DOC_TITLE", &card.title),
            ("COMMUNITY_NAME", community_name),
            ("KICKER", community_name),
            ("TITLE", &card.title),
            ("SUBTITLE", ""),
            ("SUMMARY", &card.summary),
            ("PHOTO", photo.map_or("", |p| p.0)),
            ("PHOTO_ALT", photo.map_or("", |p| p.1)),
            ("COUNT", &count),
            ("COUNT_TEXT", count_text),
            ("COUNTED", &format!("{} {}", w.counted, today(now, w))),
            ("CALL", w.support_call),
            ("SCAN", w.scan),
            ("URL_HOST", split_url(&url).0),
            ("URL_PATH", split_url(&url).1),
            ("QR", &qr_markup(&url)),
            ("SIZE_LINKS", &size_links(size)),
            (
                "LAYOUT",
                if photo.is_some() {
                    "with-photo"
                } else {
                    "no-photo"
                },
            ),
            ("PRINT", w.print),
            ("SIZE_LABEL", w.size),
            ("BACK", w.to_initiative),
            ("BACK_URL", &url),
            ("WHEN", ""),
            ("TIME", ""),
            ("WHERE", ""),
            ("BANNER", ""),
        ],
    );
    let page = section(page, "photo", photo.is_some());
    let page = section(page, "count", true);
    let page = section(page, "meeting", false);
    let page = section(page, "cancelled", false);
    section(page, "summary", !card.summary.trim().is_empty())
}

/// `/flyer/{c}/{m}`: one printed page for a meeting: what, for which initiative, when
/// (Europe/Amsterdam), where (place or online link), and the initiative's short link
/// with its QR code (where residents say "ik kom").
pub fn flyer(
    meeting: &Meeting,
    community_name: &str,
    short_url: &str,
    size: Size,
    lang: &str,
) -> String {
    let w = words(lang);
    let (date, time) = meeting_when(meeting, lang);
    let place = match (&meeting.place, &meeting.online_url) {
        (Some(place), Some(online)) => format!("{place} · {} {}", w.online, without_scheme(online)),
        (Some(place), None) => place.clone(),
        (None, Some(online)) => format!("{}: {}", w.online, without_scheme(online)),
        (None, None) => String::new(),
    };
    let page = fill(
        POSTER_PAGE,
        &[
            ("LANG", w.lang),
            ("KIND", "flyer"),
            ("SIZE", size.name()),
            ("PAGE_SIZE", size.css()),
            ("DOC_TITLE", &meeting.title),
            ("COMMUNITY_NAME", community_name),
            ("KICKER", &format!("{} · {}", w.meeting, community_name)),
            ("TITLE", &meeting.title),
            ("SUBTITLE", &meeting.initiative_title),
            ("SUMMARY", &meeting.description),
            ("PHOTO", ""),
            ("PHOTO_ALT", ""),
            ("COUNT", ""),
            ("COUNT_TEXT", ""),
            ("COUNTED", ""),
            (
                "CALL",
                if meeting.cancelled {
                    w.cancelled
                } else {
                    w.come
                },
            ),
            ("SCAN", w.more),
            ("URL_HOST", split_url(short_url).0),
            ("URL_PATH", split_url(short_url).1),
            ("QR", &qr_markup(short_url)),
            ("SIZE_LINKS", &size_links(size)),
            ("LAYOUT", "no-photo"),
            ("PRINT", w.print),
            ("SIZE_LABEL", w.size),
            ("BACK", w.to_initiative),
            ("BACK_URL", short_url),
            ("WHEN", &date),
            ("TIME", &time),
            ("WHERE", &place),
            ("BANNER", w.cancelled),
        ],
    );
    let page = section(page, "photo", false);
    let page = section(page, "count", false);
    let page = section(page, "meeting", true);
    let page = section(page, "where", !place.is_empty());
    let page = section(page, "cancelled", meeting.cancelled);
    section(page, "summary", !meeting.description.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> InitiativePublic {
        serde_json::from_value(serde_json::json!({
            "id": "bankjes", "community": "baarlo",
            "title": "Bankjes \"aan\" de <Maas>", "summary": "Drie bankjes & een {{URL}}",
            "area": null, "theme": null, "support_count": 12, "support_threshold": 50,
            "created_at": 0, "share_url": "/i/K7QX2M",
            "photo": {"card_url": "/photos/a.jpg", "large_url": "/photos/b.jpg",
                      "alt": "Een bank", "width": 640, "height": 480}
        }))
        .unwrap()
    }

    fn meeting(starts_at: u64, ends_at: u64) -> Meeting {
        serde_json::from_value(serde_json::json!({
            "id": "m1", "community": "baarlo", "initiative": "bankjes",
            "initiative_title": "Bankjes <aan> de Maas", "title": "Samen plannen maken",
            "starts_at": starts_at, "ends_at": ends_at,
            "place": "Dorpshuis De Schakel, Kerkstraat 4", "attendee_count": 3,
            "created_at": 0
        }))
        .unwrap()
    }

    #[test]
    fn the_share_page_carries_escaped_metadata_and_plain_share_links() {
        let page = initiative_page(&card(), "Baarlo <leeft>", "https://m.example", "nl");
        assert!(page.contains(
            "<meta property=\"og:title\" content=\"Bankjes &quot;aan&quot; de &lt;Maas&gt;\">"
        ));
        // A value that looks like a placeholder stays text.
        assert!(
            page.contains("content=\"Drie bankjes &amp; een {{URL}}\""),
            "{page}"
        );
        assert!(page.contains("content=\"https://m.example/photos/b.jpg\""));
        assert!(page.contains("content=\"summary_large_image\""));
        assert!(page.contains("<meta property=\"og:url\" content=\"https://m.example/i/K7QX2M\">"));
        assert!(page.contains("href=\"https://wa.me/?text=Bankjes%20%22aan%22"));
        assert!(page.contains("href=\"mailto:?subject=Bankjes"));
        assert!(!page.contains("<script>") && !page.contains("<Maas>"));
        assert!(page.contains("data-mekaar=\"meetings\""));
        let mut plain = card();
        plain.photo = None;
        let page = initiative_page(&plain, "Baarlo", "https://m.example", "en");
        assert!(!page.contains("og:image") && page.contains("content=\"summary\""));
        assert!(page.contains("Share this initiative") && page.contains("lang=\"en\""));
    }

    #[test]
    fn the_poster_has_the_short_link_its_qr_code_and_the_count() {
        let page = poster(&card(), "Baarlo", "https://m.example", Size::A5, "nl", 0);
        assert!(page.contains("size: A5"), "{page}");
        assert!(page.contains(">m.example</span><span class=\"path\">/i/K7QX2M<"));
        assert!(page.contains("<svg role=\"img\"") && !page.contains("<?xml"));
        assert!(page.contains(">12<") && page.contains("buurtgenoten steunen dit"));
        assert!(page.contains("Steun dit initiatief"));
        assert!(page.contains("src=\"/photos/b.jpg\""));
        // Only the summary's own `{{URL}}`, as text: every placeholder is filled.
        assert_eq!(page.matches("{{").count(), 1);
        assert!(!page.contains("<!--if"));
    }

    #[test]
    fn a_flyer_says_when_in_amsterdam_time_in_dutch() {
        // 2027-01-12 18:30 UTC is 19:30 in Amsterdam (winter time).
        let m = meeting(1_799_778_600, 1_799_784_000);
        let (date, time) = meeting_when(&m, "nl");
        assert_eq!(date, "dinsdag 12 januari 2027");
        assert_eq!(time, "19:30 – 21:00");
        // Summer time: 2027-06-15 17:00 UTC is 19:00.
        let (date, time) = meeting_when(&meeting(1_813_078_800, 1_813_086_000), "en");
        assert_eq!(
            (date.as_str(), time.as_str()),
            ("Tuesday 15 June 2027", "19:00 – 21:00")
        );
        let page = flyer(&m, "Baarlo", "https://m.example/i/K7QX2M", Size::A4, "nl");
        assert!(page.contains("dinsdag 12 januari 2027") && page.contains("Dorpshuis De Schakel"));
        assert!(page.contains("Bankjes &lt;aan&gt; de Maas") && page.contains("Kom ook!"));
        assert!(!page.contains("Afgelast"));
        let mut cancelled = m.clone();
        cancelled.cancelled = true;
        let page = flyer(
            &cancelled,
            "Baarlo",
            "https://m.example/i/K7QX2M",
            Size::A4,
            "nl",
        );
        assert!(page.contains("Afgelast"));
    }
}
