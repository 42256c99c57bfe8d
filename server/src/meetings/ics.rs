//! Calendar files (RFC 5545) of meetings: one meeting, an initiative's, or a
//! community's (the file a village site offers as a `webcal://` subscription).
//!
//! The `icalendar` crate writes the calendar and its events: it escapes TEXT
//! values (`\` `;` `,` and line breaks). Its lines are folded again here
//! ([`fold`]): at most 75 octets on character boundaries, as it does, but
//! never next to a space, because common readers (the `ical` crate among
//! them) trim the ends of folded lines and so would lose a space that RFC
//! 5545 lets a fold end with. The one thing it cannot write is a VTIMEZONE (it
//! would add a UID and a DTSTAMP, which a VTIMEZONE may not have), so the
//! Europe/Amsterdam definition below is our own text, checked against the
//! time zone database (`chrono-tz`) by a test. Times are converted from the
//! stored instants with `chrono-tz`; the rare instant in the hour that
//! happens twice when summer time ends, and is the second of the two, is
//! written in UTC, so no calendar can read it an hour off.

use chrono::{DateTime, LocalResult, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, Property};
use mekaar_api::meetings::Meeting;

/// The media type of the files.
pub const MEDIA_TYPE: &str = "text/calendar; charset=utf-8";

/// The time zone every meeting is shown in.
pub const TZID: &str = "Europe/Amsterdam";

/// Europe/Amsterdam since 1996 (the EU's rule): summer time from the last
/// Sunday of March 02:00 CET to the last Sunday of October 03:00 CEST.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Amsterdam\r\n\
X-LIC-LOCATION:Europe/Amsterdam\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// What a calendar file is.
pub struct Feed<'a> {
    /// The host in every UID (`{meeting}@{host}`): the server's public host.
    pub host: &'a str,
    /// The calendar's name (`X-WR-CALNAME`), for files people subscribe to.
    pub name: Option<&'a str>,
    /// The community's page of initiatives on its own site, if any: the
    /// events link to `{page}#mekaar-i={initiative}`.
    pub page: Option<&'a str>,
    /// A subscription: calendar apps are asked to look again every hour.
    pub subscription: bool,
}

/// The host part of a public URL (`https://mekaar.example.nl:8443/` →
/// `mekaar.example.nl`), for UIDs that do not change with a port.
pub fn host_of(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        format!("[{}]", v6.split(']').next().unwrap_or(v6))
    } else {
        authority.split(':').next().unwrap_or(authority).to_string()
    };
    if host.is_empty() {
        "localhost".into()
    } else {
        host
    }
}

/// The calendar file of `meetings`, each with its sequence (how often it
/// was changed: calendars replace an event by a higher one).
pub fn calendar(meetings: &[(Meeting, u32)], feed: &Feed<'_>) -> String {
    let mut head = Calendar::empty();
    head.append_property(Property::new("VERSION", "2.0"));
    head.append_property(Property::new("PRODID", "-//Mekaar//Bijeenkomsten//NL"));
    head.append_property(Property::new("CALSCALE", "GREGORIAN"));
    head.append_property(Property::new("METHOD", "PUBLISH"));
    if let Some(name) = feed.name {
        head.append_property(Property::new("X-WR-CALNAME", name));
    }
    head.append_property(Property::new("X-WR-TIMEZONE", TZID));
    if feed.subscription {
        head.append_property(
            Property::new("REFRESH-INTERVAL", "PT1H")
                .add_parameter("VALUE", "DURATION")
                .done(),
        );
        head.append_property(Property::new("X-PUBLISHED-TTL", "PT1H"));
    }
    let head = unfold(&head.to_string());
    // The calendar with no components yet: its head, then its end.
    let head = head.strip_suffix("END:VCALENDAR\r\n").unwrap_or(&head);
    let mut out = String::with_capacity(head.len() + VTIMEZONE.len() + meetings.len() * 600);
    out.push_str(head);
    out.push_str(VTIMEZONE);
    for (meeting, sequence) in meetings {
        out.push_str(&unfold(&event(meeting, *sequence, feed).to_string()));
    }
    out.push_str("END:VCALENDAR\r\n");
    fold(&out)
}

/// Joins folded lines (a CRLF and one space; escaped text holds no line breaks).
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

/// Folds every line longer than 75 octets (RFC 5545 3.1): a CRLF and a space
/// before each further part, never inside a character, and where it can
/// (within 16 octets) not next to a space or tab on either side.
pub fn fold(text: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    for line in text.split_inclusive("\r\n") {
        let (content, end) = match line.strip_suffix("\r\n") {
            Some(content) => (content, "\r\n"),
            None => (line, ""),
        };
        let mut rest = content;
        // The first part may have 75 octets, the others 74 after their space.
        let mut limit = LIMIT;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let blank = |c: Option<char>| c.is_some_and(|c| c == ' ' || c == '\t');
            let mut nice = cut;
            while nice > limit.saturating_sub(16)
                && (blank(rest[..nice].chars().next_back()) || blank(rest[nice..].chars().next()))
            {
                nice -= 1;
                while !rest.is_char_boundary(nice) {
                    nice -= 1;
                }
            }
            let calm =
                !blank(rest[..nice].chars().next_back()) && !blank(rest[nice..].chars().next());
            let cut = if calm && nice > 0 { nice } else { cut };
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = LIMIT - 1;
        }
        out.push_str(rest);
        out.push_str(end);
    }
    out
}

fn event(meeting: &Meeting, sequence: u32, feed: &Feed<'_>) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    let stamp = utc(meeting.updated_at.max(meeting.created_at));
    event
        .uid(&format!("{}@{}", meeting.id, feed.host))
        .timestamp(stamp)
        .add_property("CREATED", utc_text(meeting.created_at))
        .add_property(
            "LAST-MODIFIED",
            utc_text(meeting.updated_at.max(meeting.created_at)),
        )
        .sequence(sequence)
        .starts(local(meeting.starts_at))
        .ends(local(meeting.ends_at))
        .summary(&meeting.title)
        .add_property(
            "STATUS",
            if meeting.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            },
        );
    let mut description = meeting.description.clone();
    let mut add_line = |line: String| {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&line);
    };
    add_line(format!("Initiatief: {}", meeting.initiative_title));
    if let (Some(_), Some(url)) = (&meeting.place, &meeting.online_url) {
        add_line(format!("Online: {url}"));
    }
    event.description(&description);
    if let Some(location) = meeting.place.as_ref().or(meeting.online_url.as_ref()) {
        event.location(location);
    }
    let link = feed
        .page
        .map(|page| format!("{page}#mekaar-i={}", meeting.initiative))
        .or_else(|| meeting.online_url.clone());
    if let Some(link) = link {
        event.url(&link);
    }
    event.done()
}

fn utc(secs: u64) -> DateTime<Utc> {
    Utc.timestamp_opt(i64::try_from(secs).unwrap_or(0), 0)
        .single()
        .unwrap_or_default()
}

fn utc_text(secs: u64) -> String {
    utc(secs).format("%Y%m%dT%H%M%SZ").to_string()
}

/// An instant as Amsterdam's local time with its TZID, or in UTC where the
/// local time would be read as another instant (the second 02:30 in October).
pub fn local(secs: u64) -> CalendarDateTime {
    let instant = utc(secs);
    let local = instant.with_timezone(&Amsterdam).naive_local();
    let first_reading = match Amsterdam.from_local_datetime(&local) {
        LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => Some(dt),
        LocalResult::None => None,
    };
    if first_reading.is_some_and(|dt| dt.timestamp() == instant.timestamp()) {
        CalendarDateTime::WithTimezone {
            date_time: local,
            tzid: TZID.into(),
        }
    } else {
        CalendarDateTime::Utc(instant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Duration, NaiveDate, Offset, Weekday};

    fn meeting(title: &str, description: &str, starts_at: u64) -> Meeting {
        Meeting {
            id: "m1".into(),
            community: "baarlo".into(),
            initiative: "i1".into(),
            initiative_title: "Moestuin".into(),
            area: None,
            title: title.into(),
            starts_at,
            ends_at: starts_at + 3600,
            place: Some("Dorpshuis, Kerkstraat 4; Baarlo".into()),
            online_url: None,
            capacity: None,
            description: description.into(),
            cancelled: false,
            attendee_count: 0,
            created_at: 1_700_000_000,
            updated_at: 1_700_000_000,
        }
    }

    fn feed() -> Feed<'static> {
        Feed {
            host: "mekaar.example.nl",
            name: Some("Bijeenkomsten"),
            page: None,
            subscription: true,
        }
    }

    #[test]
    fn text_is_escaped_and_lines_are_folded_at_75_octets() {
        let long = "Wij praten over de speeltuin, de moestuin en het dorpshuis; één avond vol ideeën — kom ook! ".repeat(8);
        let text = calendar(
            &[(
                meeting("Koffie; taart, en \\ meer\nsamen", &long, 1_800_000_000),
                0,
            )],
            &feed(),
        );
        assert!(text.contains("SUMMARY:Koffie\\; taart\\, en \\\\ meer\\nsamen\r\n"));
        assert!(text.contains("LOCATION:Dorpshuis\\, Kerkstraat 4\\; Baarlo\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
            assert!(!line.ends_with(' '), "ends in a space: {line}");
            assert!(!line.starts_with("  "), "a space after the fold: {line}");
        }
        // Unfolding gives the escaped text back, every character whole.
        let unfolded = text.replace("\r\n ", "");
        let description = unfolded
            .split("\r\n")
            .find_map(|l| l.strip_prefix("DESCRIPTION:"))
            .unwrap();
        assert!(
            description.starts_with(&long.trim_end().replace(',', "\\,").replace(';', "\\;")[..60])
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(!text.contains("\n\n"));
    }

    #[test]
    fn the_vtimezone_rules_agree_with_the_time_zone_database() {
        let last_sunday = |year: i32, month: u32| {
            let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap() - Duration::days(1);
            while day.weekday() != Weekday::Sun {
                day -= Duration::days(1);
            }
            day
        };
        let offset_at = |dt: chrono::NaiveDateTime| {
            Amsterdam
                .offset_from_utc_datetime(&dt)
                .fix()
                .local_minus_utc()
        };
        for year in 2000..=2037 {
            // The rule's 02:00 CET and 03:00 CEST are both 01:00 UTC.
            for (month, before, after) in [(3, 3600, 7200), (10, 7200, 3600)] {
                let change = last_sunday(year, month).and_hms_opt(1, 0, 0).unwrap();
                assert_eq!(
                    offset_at(change - Duration::seconds(1)),
                    before,
                    "{year}-{month}"
                );
                assert_eq!(offset_at(change), after, "{year}-{month}");
            }
        }
    }

    #[test]
    fn times_are_local_with_their_zone_and_the_repeated_hour_is_in_utc() {
        // 2027-03-28 14:00 CEST = 12:00 UTC; 2027-01-15 19:30 CET = 18:30 UTC.
        let summer = Utc
            .with_ymd_and_hms(2027, 3, 28, 12, 0, 0)
            .unwrap()
            .timestamp() as u64;
        let winter = Utc
            .with_ymd_and_hms(2027, 1, 15, 18, 30, 0)
            .unwrap()
            .timestamp() as u64;
        let text = |secs| match local(secs) {
            CalendarDateTime::WithTimezone { date_time, tzid } => {
                assert_eq!(tzid, TZID);
                date_time.format("%Y%m%dT%H%M%S").to_string()
            }
            CalendarDateTime::Utc(dt) => dt.format("%Y%m%dT%H%M%SZ").to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(text(summer), "20270328T140000");
        assert_eq!(text(winter), "20270115T193000");
        // 2026-10-25: 02:30 CEST (00:30 UTC) and 02:30 CET (01:30 UTC).
        let first = Utc
            .with_ymd_and_hms(2026, 10, 25, 0, 30, 0)
            .unwrap()
            .timestamp() as u64;
        assert_eq!(text(first), "20261025T023000");
        assert_eq!(text(first + 3600), "20261025T013000Z");
    }

    #[test]
    fn folding_keeps_every_octet_and_character() {
        for text in [
            "DESCRIPTION:".to_string() + &"één twee drie ".repeat(30),
            "X:".to_string() + &"€".repeat(100),
            "X:".to_string() + &"a".repeat(200),
            "X:".to_string() + &" ".repeat(200),
        ] {
            let folded = fold(&format!("{text}\r\n"));
            assert_eq!(unfold(&folded), format!("{text}\r\n"));
            for line in folded.split("\r\n") {
                assert!(line.len() <= 75, "{} octets: {line}", line.len());
            }
        }
    }

    #[test]
    fn hosts_lose_scheme_port_and_path() {
        assert_eq!(
            host_of("https://mekaar.example.nl:8443/x"),
            "mekaar.example.nl"
        );
        assert_eq!(host_of("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host_of("http://[::1]:3000"), "[::1]");
    }
}
