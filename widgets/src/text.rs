//! Pure helpers for showing residents' text and for paging: no browser needed, so they are
//! tested natively.

/// The paragraphs of a plain-text story: split on blank lines (lines with only whitespace
/// count as blank), each trimmed; empty ones dropped. Single line breaks stay inside a
/// paragraph (the stylesheet shows them with `white-space: pre-line`).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push('\n');
            }
            cur.push_str(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Splits `text` into plain pieces and `http(s)://` links: `(is_link, piece)`. A link runs
/// to the next whitespace or `<>"`, without trailing punctuation (and without a closing
/// parenthesis it did not open). Nothing else is ever treated as markup.
pub fn linkify(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        loop {
            let url = &tail[..end];
            let trim = match url.chars().last() {
                Some('.' | ',' | ';' | ':' | '!' | '?' | '\'') => true,
                Some(')') => url.matches('(').count() < url.matches(')').count(),
                _ => false,
            };
            if !trim {
                break;
            }
            end -= 1;
        }
        // A bare "https://" is no link.
        let scheme = tail.find(':').unwrap_or(0) + 3;
        if end <= scheme {
            out.push((false, &rest[..start + scheme]));
            rest = &rest[start + scheme..];
            continue;
        }
        let url = &tail[..end];
        if start > 0 {
            out.push((false, &rest[..start]));
        }
        out.push((true, url));
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    out
}

/// Where the next `http://` or `https://` starts (ASCII case-insensitive).
fn find_url(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        let t = &b[i..];
        t.len() > 7
            && t[..4].eq_ignore_ascii_case(b"http")
            && (t[4..].starts_with(b"://")
                || t[4..5].eq_ignore_ascii_case(b"s") && t[5..].starts_with(b"://"))
    })
}

/// How many pages `total` items make at `limit` per page; at least 1.
pub fn page_count(total: u64, limit: u64) -> u64 {
    total.div_ceil(limit.max(1)).max(1)
}

/// The backticked field name in a server message like ``Field `title`: too long``.
pub fn field_in_message(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then_some(name)
}

/// A very light e-mail check, so a typo is caught at the field; the server decides.
pub fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A light phone number check: 8 to 15 digits, with only spaces and `+ - ( ) . /`
/// between them (as the server checks).
pub fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

/// The first whole number in `s`: the server's rate-limit message says "try again in 7
/// minute(s)", and a cross-origin page may not read the `Retry-After` header.
pub fn first_number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits = &s[start..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// Minutes to wait (at least 1) for a `Retry-After` of `secs` seconds.
pub fn wait_minutes(secs: u64) -> u64 {
    secs.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(
            paragraphs("Een\ntwee\n\n  \ndrie  \r\n\r\nvier\n\n"),
            vec!["Een\ntwee", "drie", "vier"]
        );
        assert!(paragraphs("").is_empty());
        assert!(paragraphs("\n \n").is_empty());
        assert_eq!(
            paragraphs("<script>alert(1)</script>"),
            vec!["<script>alert(1)</script>"]
        );
    }

    #[test]
    fn links() {
        assert_eq!(linkify("geen link"), vec![(false, "geen link")]);
        assert_eq!(
            linkify("Zie https://baarlo.nl/plan. En (http://x.nl/a_(b)) nu"),
            vec![
                (false, "Zie "),
                (true, "https://baarlo.nl/plan"),
                (false, ". En ("),
                (true, "http://x.nl/a_(b)"),
                (false, ") nu"),
            ]
        );
        assert_eq!(
            linkify("HTTPS://A.NL?q=1,"),
            vec![(true, "HTTPS://A.NL?q=1"), (false, ",")]
        );
        assert_eq!(
            linkify("<a href=\"https://evil.example\">x</a>"),
            vec![
                (false, "<a href=\""),
                (true, "https://evil.example"),
                (false, "\">x</a>"),
            ]
        );
        // Not links: other schemes, a bare scheme.
        assert_eq!(
            linkify("javascript:alert(1) ftp://x"),
            vec![(false, "javascript:alert(1) ftp://x")]
        );
        let pieces = linkify("kijk op https:// of http://");
        assert!(pieces.iter().all(|(link, _)| !link), "{pieces:?}");
        assert_eq!(pieces.concat_text(), "kijk op https:// of http://");
        assert_eq!(
            linkify("€ https://é.nl/ü"),
            vec![(false, "€ "), (true, "https://é.nl/ü")]
        );
    }

    trait Concat {
        fn concat_text(&self) -> String;
    }
    impl Concat for Vec<(bool, &str)> {
        fn concat_text(&self) -> String {
            self.iter().map(|(_, s)| *s).collect()
        }
    }

    #[test]
    fn pages() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, 0), 5);
    }

    #[test]
    fn fields_in_messages() {
        assert_eq!(field_in_message("Field `title`: too long"), Some("title"));
        assert_eq!(
            field_in_message("Field `contact_email`: not an address"),
            Some("contact_email")
        );
        assert_eq!(field_in_message("no field"), None);
        assert_eq!(field_in_message("``"), None);
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("anja@baarlo.nl"));
        assert!(!looks_like_email("anja"));
        assert!(!looks_like_email("anja@baarlo"));
        assert!(!looks_like_email("@baarlo.nl"));
        assert!(!looks_like_email("an ja@baarlo.nl"));
    }

    #[test]
    fn numbers_in_messages() {
        assert_eq!(
            first_number(
                "Too many joins from your network right now; please try again in 7 minute(s)."
            ),
            Some(7)
        );
        assert_eq!(first_number("no number"), None);
    }

    #[test]
    fn waits() {
        assert_eq!(wait_minutes(0), 1);
        assert_eq!(wait_minutes(60), 1);
        assert_eq!(wait_minutes(61), 2);
    }
}
