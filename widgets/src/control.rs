//! The editor's control page widget (`data-mekaar="poll-control"`, on the server's own
//! page `/control/{poll}`): state and views (pure; the browser side is in `poll_app.rs`),
//! and the parser of the admin event stream, read with `fetch` because `EventSource`
//! cannot send the `Authorization` header.
//!
//! DOM inside the shadow root: root `.mekaar-root.mekaar-control` with `data-state` =
//! token | loading | ready | error, and when ready `data-phase`, `data-round`,
//! `data-revealed`; `form.mekaar-token-form` (`#mekaar-f-token`, `#mekaar-e-token`,
//! `#mekaar-b-send-token`); `h2.mekaar-question`; `p.mekaar-ctl-status`;
//! `p.mekaar-live-status[data-live]`; the buttons `#mekaar-b-open`, `#mekaar-b-close`,
//! `#mekaar-b-reveal` or `#mekaar-b-hide`, `#mekaar-b-reset`; the confirmation
//! `.mekaar-confirm` with `#mekaar-b-reset-yes` and `#mekaar-b-reset-no`;
//! `p.mekaar-message[role=alert]`; `section.mekaar-results` (as in the poll widget);
//! `.mekaar-join` with `.mekaar-join-code` and `a.mekaar-phone-link`; `.mekaar-codes` with
//! `#mekaar-f-count`, `#mekaar-b-codes-csv`, `#mekaar-b-codes-html` and, when made,
//! `a.mekaar-codes-link`; `#mekaar-b-forget`.

use crate::api::{self, Failure, Problem};
use crate::i18n::{fill, number, t, Key, Lang};
use crate::initiatives::failure_text;
use crate::markup::Out;
use crate::poll::{self, fields, phase_name};
use mekaar_api::polls::{LiveUpdate, Phase, PollPublic, PollResults, PollState};
use wasm_bindgen::JsValue;

/// What the control page shows of a poll (`PollAdminView`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admin {
    pub poll: PollPublic,
    pub state: PollState,
    pub vote_codes: u64,
    pub results: PollResults,
}

/// `PollAdminView`.
pub fn admin_from(v: &JsValue) -> Admin {
    let p = api::get(v, fields::POLL);
    Admin {
        poll: poll::public_from(&p, &api::text(v, fields::PHASE)),
        state: poll::state_from(&api::text(&p, fields::STATE)),
        vote_codes: api::num(&p, fields::VOTE_CODES),
        results: poll::results_from(v).unwrap_or(PollResults {
            totals: Vec::new(),
            total_votes: 0,
        }),
    }
}

/// Codes made: how many, the format, and the `blob:` URL of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Codes {
    pub count: u64,
    pub csv: bool,
    pub url: String,
}

pub struct Control {
    pub lang: Lang,
    /// `{base}`: the server's own address, for the phone and overlay links.
    pub base: String,
    /// Whether a token is known (it lives in `sessionStorage` and in the app).
    pub has_token: bool,
    pub token_error: Option<Key>,
    pub admin: Option<Result<Admin, Failure>>,
    pub busy: bool,
    /// The reset confirmation is shown, for this round.
    pub confirm: Option<u32>,
    pub failure: Option<Failure>,
    /// The live stream: `None` before it started, else whether it is connected.
    pub live: Option<bool>,
    pub codes: Option<Result<Codes, Failure>>,
}

impl Control {
    pub fn new(lang: Lang, base: String, has_token: bool) -> Control {
        Control {
            lang,
            base,
            has_token,
            token_error: None,
            admin: None,
            busy: false,
            confirm: None,
            failure: None,
            live: None,
            codes: None,
        }
    }

    /// A failure of a call with the token: a refused token asks for it again.
    pub fn refused(&mut self, f: &Failure) -> bool {
        if f.problem == Problem::Unauthorized {
            self.has_token = false;
            self.token_error = Some(Key::ErrAdminToken);
            self.admin = None;
            self.live = None;
            self.busy = false;
            self.confirm = None;
            return true;
        }
        false
    }

    /// The poll as the admin API answered (a load or an action).
    pub fn got(&mut self, result: Result<Admin, Failure>) {
        self.busy = false;
        match result {
            Ok(a) => {
                self.admin = Some(Ok(a));
                self.failure = None;
                self.token_error = None;
            }
            Err(f) => {
                if self.refused(&f) {
                    return;
                }
                match self.admin {
                    Some(Ok(_)) => self.failure = Some(f),
                    _ => self.admin = Some(Err(f)),
                }
            }
        }
    }

    pub fn live(&mut self, u: LiveUpdate) {
        self.live = Some(true);
        if let Some(Ok(a)) = &mut self.admin {
            a.poll.phase = u.phase;
            a.poll.round = u.round;
            a.poll.revealed = u.revealed;
            if let Some(r) = u.results {
                a.results = r;
            }
            a.state = match u.phase {
                Phase::Draft => PollState::Draft,
                Phase::Open | Phase::Scheduled => PollState::Open,
                Phase::Closed => a.state,
            };
            if u.phase == Phase::Closed && a.state == PollState::Draft {
                a.state = PollState::Closed;
            }
        }
    }

    pub fn state(&self) -> &'static str {
        match (&self.admin, self.has_token) {
            (_, false) => "token",
            (None, _) => "loading",
            (Some(Ok(_)), _) => "ready",
            (Some(Err(_)), _) => "error",
        }
    }

    pub fn html(&self, theme: Option<&'static str>) -> String {
        let lang = self.lang;
        let mut o = Out::default();
        o.raw("<div class=\"mekaar-root mekaar-control\" lang=\"")
            .raw(lang.tag())
            .raw("\" data-state=\"")
            .raw(self.state())
            .raw("\"");
        if let Some(theme) = theme {
            o.raw(" data-theme=\"").raw(theme).raw("\"");
        }
        if let Some(Ok(a)) = &self.admin {
            o.raw(" data-phase=\"")
                .raw(phase_name(a.poll.phase))
                .raw("\" data-round=\"")
                .num(u64::from(a.poll.round))
                .raw(if a.poll.revealed {
                    "\" data-revealed=\"true\""
                } else {
                    "\" data-revealed=\"false\""
                });
        }
        if self.busy {
            o.raw(" aria-busy=\"true\"");
        }
        o.raw(">");
        if !self.has_token {
            self.token_form(&mut o);
        } else {
            match &self.admin {
                None => {
                    o.el(
                        "<p class=\"mekaar-loading\">",
                        t(lang, Key::Loading),
                        "</p>",
                    );
                }
                Some(Err(f)) => {
                    o.el(
                        "<p class=\"mekaar-message\" role=\"alert\">",
                        &failure_text(lang, f),
                        "</p>",
                    );
                    o.button("mekaar-retry", "reload", t(lang, Key::Retry));
                }
                Some(Ok(a)) => self.ready(&mut o, a),
            }
            o.button("mekaar-forget", "forget", t(lang, Key::CtlForget));
        }
        o.raw("</div>");
        o.0
    }

    fn token_form(&self, o: &mut Out) {
        let lang = self.lang;
        o.el(
            "<form class=\"mekaar-token-form\" data-act=\"token\" novalidate><h2>",
            t(lang, Key::CtlTitle),
            "</h2><div class=\"mekaar-field\"><label for=\"mekaar-f-token\">",
        )
        .key(lang, Key::CtlToken)
        .raw("</label><input id=\"mekaar-f-token\" name=\"token\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\" required");
        match self.token_error {
            Some(key) => {
                o.el(
                    " aria-invalid=\"true\" aria-describedby=\"mekaar-e-token mekaar-token-hint\"><p class=\"mekaar-error\" id=\"mekaar-e-token\" role=\"alert\">",
                    t(lang, key),
                    "</p>",
                );
            }
            None => {
                o.raw(" aria-describedby=\"mekaar-token-hint\">");
            }
        }
        o.el(
            "<p class=\"mekaar-hint\" id=\"mekaar-token-hint\">",
            t(lang, Key::CtlTokenHint),
            "</p></div>",
        )
        .el(
            "<button type=\"submit\" class=\"mekaar-button mekaar-primary\" id=\"mekaar-b-send-token\">",
            t(lang, Key::CtlContinue),
            "</button></form>",
        );
    }

    /// A big button; `off`: not possible now (kept focusable, `aria-disabled`).
    fn big(&self, o: &mut Out, act: &'static str, key: Key, off: bool) {
        o.raw("<button type=\"button\" class=\"mekaar-button mekaar-big\" id=\"mekaar-b-")
            .raw(act)
            .raw("\" data-act=\"")
            .raw(act)
            .raw("\"");
        if off || self.busy {
            o.raw(" aria-disabled=\"true\"");
        }
        o.el(">", t(self.lang, key), "</button>");
    }

    fn ready(&self, o: &mut Out, a: &Admin) {
        let lang = self.lang;
        let p = &a.poll;
        let phase = match p.phase {
            Phase::Draft => Key::PhaseDraft,
            Phase::Scheduled => Key::PhaseScheduled,
            Phase::Open => Key::PhaseOpen,
            Phase::Closed => Key::PhaseClosed,
        };
        o.el(
            "<h2 class=\"mekaar-question\" id=\"mekaar-question\">",
            &p.question,
            "</h2>",
        )
        .el(
            "<p class=\"mekaar-ctl-status\" role=\"status\">",
            &fill(
                lang,
                Key::CtlStatus,
                t(lang, phase),
                &number(lang, u64::from(p.round)),
            ),
            "",
        );
        if p.revealed {
            o.raw(" ").key(lang, Key::CtlRevealed);
        }
        o.raw("</p>");
        if let Some(live) = self.live {
            o.raw(if live {
                "<p class=\"mekaar-live-status\" data-live=\"true\">"
            } else {
                "<p class=\"mekaar-live-status\" data-live=\"false\">"
            })
            .key(lang, if live { Key::CtlLive } else { Key::CtlOffline })
            .raw("</p>");
        }
        o.raw("<div class=\"mekaar-controls\">");
        let open = a.state == PollState::Open;
        self.big(o, "open", Key::CtlOpen, open);
        self.big(o, "close", Key::CtlClose, !open);
        if p.revealed {
            self.big(o, "hide", Key::CtlHide, false);
        } else {
            self.big(o, "reveal", Key::CtlReveal, false);
        }
        self.big(o, "reset", Key::CtlReset, false);
        o.raw("</div>");
        if let Some(round) = self.confirm {
            o.el(
                "<div class=\"mekaar-confirm\"><p id=\"mekaar-confirm\" tabindex=\"-1\">",
                &fill(
                    lang,
                    Key::CtlResetAsk,
                    &number(lang, a.results.total_votes),
                    &number(lang, u64::from(round)),
                ),
                "</p><div class=\"mekaar-row\">",
            );
            self.big(o, "reset-yes", Key::CtlResetYes, false);
            o.button("", "reset-no", t(lang, Key::Cancel))
                .raw("</div></div>");
        }
        if let Some(f) = &self.failure {
            o.el(
                "<p class=\"mekaar-message\" role=\"alert\">",
                &failure_text(lang, f),
                "</p>",
            );
        }
        poll::results_html(o, lang, &p.options, &a.results, p.phase != Phase::Closed);

        let phone = [self.base.as_str(), "p/", &p.join_code].concat();
        o.el(
            "<section class=\"mekaar-join\"><h3>",
            t(lang, Key::CtlPhone),
            "</h3><p class=\"mekaar-join-code\">",
        )
        .text(&fill(lang, Key::CtlJoinCode, &p.join_code, ""))
        .el(
            "</p><p><a class=\"mekaar-phone-link\" href=\"",
            &phone,
            "\">",
        )
        .text(&phone)
        .raw("</a></p><p><a class=\"mekaar-overlay-link\" href=\"")
        .text(&[self.base.as_str(), "overlay/", &p.id].concat())
        .el("\">", t(lang, Key::CtlOverlay), "</a></p></section>");

        if p.needs_code {
            o.el(
                "<section class=\"mekaar-codes\"><h3>",
                t(lang, Key::CtlCodes),
                "</h3><p>",
            )
            .text(&fill(lang, Key::CtlCodesMade, &number(lang, a.vote_codes), ""))
            .el(
                "</p><div class=\"mekaar-field\"><label for=\"mekaar-f-count\">",
                t(lang, Key::CtlCodesCount),
                "</label><input id=\"mekaar-f-count\" name=\"count\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"",
            )
            .num(mekaar_api::polls::limits::CODES_PER_BATCH as u64)
            .el(
                "\" value=\"100\" aria-describedby=\"mekaar-codes-note\"></div><p class=\"mekaar-hint\" id=\"mekaar-codes-note\">",
                t(lang, Key::CtlCodesNote),
                "</p><div class=\"mekaar-row\">",
            );
            self.big(o, "codes-csv", Key::CtlCodesCsv, false);
            self.big(o, "codes-html", Key::CtlCodesSheet, false);
            o.raw("</div>");
            match &self.codes {
                Some(Ok(c)) => {
                    o.el(
                        "<p class=\"mekaar-codes-ready\" role=\"status\">",
                        &fill(lang, Key::CtlCodesReady, &number(lang, c.count), ""),
                        " ",
                    )
                    .el(
                        if c.csv {
                            "<a class=\"mekaar-codes-link\" id=\"mekaar-codes-link\" download=\"vote-codes.csv\" href=\""
                        } else {
                            "<a class=\"mekaar-codes-link\" id=\"mekaar-codes-link\" target=\"_blank\" rel=\"noopener\" href=\""
                        },
                        &c.url,
                        "\">",
                    )
                    .key(lang, if c.csv { Key::CtlDownload } else { Key::CtlOpenSheet })
                    .raw("</a></p>");
                }
                Some(Err(f)) => {
                    o.el(
                        "<p class=\"mekaar-message\" role=\"alert\">",
                        &failure_text(lang, f),
                        "</p>",
                    );
                }
                None => {}
            }
            o.raw("</section>");
        }
    }
}

/// Reads a `text/event-stream` as it arrives: the data of every complete event, and the
/// id of the last one (for `Last-Event-ID` on a reconnect).
#[derive(Default)]
pub struct Sse {
    line: Vec<u8>,
    data: String,
    pub last_id: String,
}

impl Sse {
    /// For a new connection: drops a half-read event, keeps the last id.
    pub fn restart(&mut self) {
        self.line.clear();
        self.data.clear();
    }

    pub fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut events = Vec::new();
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            let mut line = std::mem::take(&mut self.line);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(std::mem::take(&mut self.data));
                }
            } else if let Some(rest) = line.strip_prefix("data:") {
                if !self.data.is_empty() {
                    self.data.push('\n');
                }
                self.data.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            } else if let Some(rest) = line.strip_prefix("id:") {
                self.last_id = rest.trim().to_owned();
            }
            // `event:`, `retry:` and `: comments` (heartbeats) need nothing.
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mekaar_api::polls::ResultsVisibility;

    fn admin(state: PollState, phase: Phase, needs_code: bool) -> Admin {
        Admin {
            poll: PollPublic {
                id: "p1".into(),
                question: "Welke naam krijgt de brug?".into(),
                options: vec!["Noord".into(), "Zuid".into()],
                max_choices: 1,
                opens_at: None,
                closes_at: None,
                phase,
                results: ResultsVisibility::WhenRevealed,
                revealed: false,
                round: 3,
                needs_code,
                join_code: "K7Q2".into(),
            },
            state,
            vote_codes: 40,
            results: PollResults {
                totals: vec![3, 1],
                total_votes: 4,
            },
        }
    }

    fn control(a: Admin) -> Control {
        let mut c = Control::new(Lang::Nl, "https://m.example/".into(), true);
        c.admin = Some(Ok(a));
        c
    }

    #[test]
    fn without_a_token_it_asks_for_one() {
        let mut c = Control::new(Lang::Nl, "/".into(), false);
        let html = c.html(None);
        assert!(html.contains("data-state=\"token\""));
        assert!(html.contains("<label for=\"mekaar-f-token\">Beheersleutel van de gemeenschap</label><input id=\"mekaar-f-token\" name=\"token\" type=\"password\""));
        c.has_token = true;
        c.got(Err(Problem::Unauthorized.into()));
        assert!(!c.has_token);
        let html = c.html(None);
        assert!(html.contains("Deze beheersleutel klopt niet."), "{html}");
        assert!(html.contains("aria-invalid=\"true\""));
    }

    #[test]
    fn buttons_follow_the_state() {
        let c = control(admin(PollState::Draft, Phase::Draft, false));
        let html = c.html(None);
        assert!(html.contains("Fase: concept · ronde 3"), "{html}");
        assert!(html.contains("id=\"mekaar-b-open\" data-act=\"open\">Openen</button>"));
        assert!(html.contains("id=\"mekaar-b-close\" data-act=\"close\" aria-disabled=\"true\">"));
        assert!(html.contains("data-act=\"reveal\""));
        assert!(html.contains("3 stemmen (75%)"));
        assert!(html.contains("<a class=\"mekaar-phone-link\" href=\"https://m.example/p/K7Q2\">https://m.example/p/K7Q2</a>"));
        assert!(html.contains("https://m.example/overlay/p1"));
        assert!(!html.contains("mekaar-codes"));
        let mut c = control(admin(PollState::Open, Phase::Open, true));
        c.live(LiveUpdate {
            seq: 1,
            poll: "p1".into(),
            phase: Phase::Open,
            round: 3,
            revealed: true,
            results: Some(PollResults {
                totals: vec![5, 5],
                total_votes: 10,
            }),
        });
        let html = c.html(None);
        assert!(html.contains("id=\"mekaar-b-open\" data-act=\"open\" aria-disabled=\"true\">"));
        assert!(html.contains("data-act=\"hide\""));
        assert!(html.contains("10 stemmen in totaal"));
        assert!(html.contains("Live verbonden"));
        assert!(html.contains("40 stemcodes gemaakt"));
        assert!(html.contains("id=\"mekaar-f-count\""));
    }

    #[test]
    fn reset_asks_first() {
        let mut c = control(admin(PollState::Open, Phase::Open, false));
        c.confirm = Some(3);
        let html = c.html(None);
        assert!(
            html.contains("Alle 4 stemmen van ronde 3 worden opzijgezet"),
            "{html}"
        );
        assert!(html.contains("id=\"mekaar-b-reset-yes\""));
        assert!(html.contains("id=\"mekaar-b-reset-no\""));
    }

    #[test]
    fn event_streams_are_parsed_across_chunks() {
        let mut s = Sse::default();
        assert!(s
            .feed(b"retry: 2000\n\nevent: update\nid: 7\nda")
            .is_empty());
        assert_eq!(
            s.feed(b"ta: {\"seq\":7}\r\n\r\n: heartbeat\n\n"),
            vec!["{\"seq\":7}"]
        );
        assert_eq!(s.last_id, "7");
        assert_eq!(
            s.feed(b"id: 8\ndata: a\ndata: b\n\nid: 9\ndata: c\n\n"),
            vec!["a\nb", "c"]
        );
        assert_eq!(s.last_id, "9");
    }

    #[test]
    fn admin_field_names_match() {
        use mekaar_api::polls::{Audience, Poll, PollAdminView};
        let v = serde_json::to_value(PollAdminView {
            poll: Poll {
                id: "p".into(),
                community: "c".into(),
                question: "q".into(),
                options: vec!["a".into(), "b".into()],
                max_choices: 1,
                opens_at: None,
                closes_at: None,
                state: PollState::Open,
                results: ResultsVisibility::Always,
                revealed: false,
                round: 1,
                audience: Audience::Codes,
                join_code: "K7Q2".into(),
                vote_codes: 3,
                created_at: 0,
                updated_at: 0,
                closed_at: None,
            },
            phase: Phase::Open,
            results: PollResults {
                totals: vec![0, 0],
                total_votes: 0,
            },
        })
        .unwrap();
        assert_eq!(v[fields::PHASE], "open");
        let p = &v[fields::POLL];
        assert_eq!(p[fields::STATE], "open");
        assert_eq!(p[fields::AUDIENCE][fields::KIND], "codes");
        assert_eq!(p[fields::VOTE_CODES], 3);
        assert_eq!(p[fields::JOIN_CODE], "K7Q2");
        assert_eq!(v[fields::RESULTS][fields::TOTAL_VOTES], 0);
    }
}
