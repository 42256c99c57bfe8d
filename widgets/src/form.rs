//! The widgets' forms, described as tables of fields: one table drives the labelled
//! controls, the checks before sending and the JSON body, so they cannot disagree.
//!
//! Every control has `name` = its JSON field name and `id` = `mekaar-f-{name}`; an error is
//! shown in `#mekaar-e-{name}` (`.mekaar-error`), tied to the control by
//! `aria-describedby`, with `aria-invalid="true"` on the control.

use crate::api::Community;
use crate::i18n::{status_key, t, Key, Lang};
use crate::markup::Out;
use mekaar_api::{limits, InitiativeStatus};

/// What kind of control a field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// An optional e-mail address.
    Email,
    /// Several lines.
    Text,
    /// One of the community's areas, or none.
    Area,
    /// One of the community's themes, or none.
    Theme,
    Status,
    /// A checkbox that must be ticked (consent).
    Check,
    /// The honeypot: hidden from people, left empty by them.
    Trap,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub label: Key,
    /// `maxlength`; 0 for none.
    pub max: usize,
    pub input: Input,
    pub required: bool,
}

const fn f(name: &'static str, label: Key, max: usize, input: Input, required: bool) -> Field {
    Field {
        name,
        label,
        max,
        input,
        required,
    }
}

/// The forms, each with its fields in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    Join,
    Report,
    Submit,
    Edit,
    Update,
}

impl FormKind {
    pub const COUNT: usize = 5;

    /// Its name in `data-act` and in its class `mekaar-{act}-form`.
    pub fn act(self) -> &'static str {
        match self {
            FormKind::Join => "join",
            FormKind::Report => "report",
            FormKind::Submit => "submit",
            FormKind::Edit => "edit",
            FormKind::Update => "update",
        }
    }

    pub fn from_act(act: &str) -> Option<FormKind> {
        [
            FormKind::Join,
            FormKind::Report,
            FormKind::Submit,
            FormKind::Edit,
            FormKind::Update,
        ]
        .into_iter()
        .find(|k| k.act() == act)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            FormKind::Join => JOIN,
            FormKind::Report => REPORT,
            FormKind::Submit => SUBMIT,
            FormKind::Edit => EDIT,
            FormKind::Update => UPDATE,
        }
    }
}

const TITLE: Field = f("title", Key::Title, limits::TITLE, Input::Line, true);
const SUMMARY: Field = f("summary", Key::Summary, limits::SUMMARY, Input::Text, true);
const STORY: Field = f("story", Key::Story, limits::STORY, Input::Text, false);
const AREA: Field = f("area", Key::Area, 0, Input::Area, false);
const THEME: Field = f("theme", Key::Theme, 0, Input::Theme, false);

pub const JOIN: &[Field] = &[
    f("name", Key::Name, limits::NAME, Input::Line, true),
    f("contact", Key::Contact, limits::CONTACT, Input::Line, true),
    f("message", Key::Message, limits::MESSAGE, Input::Text, false),
    f("consent", Key::Consent, 0, Input::Check, true),
];
pub const REPORT: &[Field] = &[f("reason", Key::Reason, limits::REASON, Input::Text, true)];
pub const SUBMIT: &[Field] = &[
    TITLE,
    SUMMARY,
    STORY,
    AREA,
    THEME,
    f(
        "initiator_name",
        Key::Initiator,
        limits::NAME,
        Input::Line,
        true,
    ),
    f("contact_email", Key::Email, 254, Input::Email, false),
    f("website", Key::Honeypot, 0, Input::Trap, false),
];
pub const EDIT: &[Field] = &[
    TITLE,
    SUMMARY,
    STORY,
    AREA,
    THEME,
    f("status", Key::Status, 0, Input::Status, false),
];
pub const UPDATE: &[Field] = &[f("text", Key::News, limits::UPDATE, Input::Text, true)];

/// The fields that are not filled in right, in form order, with the message for each.
/// `value` gives a field's trimmed text ("" when empty or unticked).
pub fn validate(fields: &[Field], value: &dyn Fn(&str) -> String) -> Vec<(&'static str, Key)> {
    let mut errors = Vec::new();
    for field in fields {
        let v = value(field.name);
        let problem = if v.is_empty() {
            match field.input {
                _ if !field.required => None,
                Input::Check => Some(Key::ErrConsent),
                _ => Some(Key::ErrRequired),
            }
        } else if field.input == Input::Email && !crate::text::looks_like_email(&v) {
            Some(Key::ErrEmail)
        } else if field.max > 0 && v.chars().count() > field.max {
            Some(Key::ErrField)
        } else {
            None
        };
        if let Some(key) = problem {
            errors.push((field.name, key));
        }
    }
    errors
}

/// The JSON body of a form: every field by name; empty optional choices are `null`, a
/// consent is `true`.
pub fn body(fields: &[Field], value: &dyn Fn(&str) -> String) -> String {
    use wasm_bindgen::JsValue;
    let pairs: Vec<(&str, JsValue)> = fields
        .iter()
        .map(|field| {
            let v = value(field.name);
            let js = match field.input {
                Input::Check => JsValue::TRUE,
                Input::Area | Input::Theme | Input::Email => crate::api::or_null(&v),
                _ => JsValue::from_str(&v),
            };
            (field.name, js)
        })
        .collect();
    crate::api::json(&pairs)
}

/// ` id="{prefix}{name}" name="{name}"`, and when `error`, `aria-invalid` and
/// `aria-describedby` pointing at the field's error text.
fn control_attrs(o: &mut Out, prefix: &'static str, name: &'static str, error: bool) {
    o.raw(" id=\"")
        .raw(prefix)
        .raw(name)
        .raw("\" name=\"")
        .raw(name)
        .raw("\"");
    if error {
        o.raw(" aria-invalid=\"true\" aria-describedby=\"mekaar-e-")
            .raw(name)
            .raw("\"");
    }
}

/// A `<select>`: an optional first "none/all" choice with value "", then `options` as
/// `(value, label)`; `selected` is the chosen value.
#[allow(clippy::too_many_arguments)]
pub fn select(
    o: &mut Out,
    prefix: &'static str,
    name: &'static str,
    class: &'static str,
    empty: Option<&str>,
    options: &[(&str, &str)],
    selected: &str,
    error: bool,
) {
    o.raw("<select class=\"").raw(class).raw("\"");
    control_attrs(o, prefix, name, error);
    o.raw(">");
    let empty = empty.map(|label| ("", label));
    for (value, label) in empty.iter().chain(options) {
        o.raw("<option value=\"").text(value).raw("\"");
        if *value == selected {
            o.raw(" selected");
        }
        o.raw(">").text(label).raw("</option>");
    }
    o.raw("</select>");
}

/// The options of a choice of the community's areas or themes.
pub fn choices(list: &[String]) -> Vec<(&str, &str)> {
    list.iter().map(|s| (s.as_str(), s.as_str())).collect()
}

/// The statuses as options, with their names in `lang`.
pub fn statuses(lang: Lang) -> Vec<(&'static str, &'static str)> {
    InitiativeStatus::ALL
        .into_iter()
        .map(|s| (s.as_str(), t(lang, status_key(s))))
        .collect()
}

/// The labelled controls of `fields`. `value` gives a starting value (editing), `errors`
/// the messages to show at fields.
pub fn fields(
    o: &mut Out,
    lang: Lang,
    fields: &[Field],
    community: &Community,
    value: &dyn Fn(&str) -> Option<String>,
    errors: &[(&'static str, Key)],
) {
    for field in fields {
        let name = field.name;
        let error = errors.iter().find(|(n, _)| *n == name).map(|(_, key)| *key);
        let start = value(name).unwrap_or_default();
        static NONE: Vec<String> = Vec::new();
        let list = match field.input {
            Input::Area => &community.areas,
            Input::Theme => &community.themes,
            _ => &NONE,
        };
        if matches!(field.input, Input::Area | Input::Theme) && list.is_empty() {
            continue;
        }
        o.raw(match field.input {
            Input::Check => "<div class=\"mekaar-field mekaar-check\">",
            // The honeypot: off-screen, out of the tab order and of the accessibility tree.
            Input::Trap => "<div class=\"mekaar-field mekaar-hp\" aria-hidden=\"true\">",
            _ => "<div class=\"mekaar-field\">",
        });
        o.raw("<label for=\"mekaar-f-")
            .raw(name)
            .raw("\">")
            .key(lang, field.label)
            .raw("</label>");
        let open = match field.input {
            Input::Line | Input::Trap => "<input type=\"text\"",
            Input::Email => "<input type=\"email\"",
            Input::Check => "<input type=\"checkbox\" value=\"true\"",
            Input::Text => "<textarea rows=\"4\"",
            Input::Area | Input::Theme | Input::Status => {
                let options = if field.input == Input::Status {
                    statuses(lang)
                } else {
                    choices(list)
                };
                let empty = (field.input != Input::Status).then(|| t(lang, Key::NoChoice));
                select(
                    o,
                    "mekaar-f-",
                    name,
                    "mekaar-select",
                    empty,
                    &options,
                    &start,
                    error.is_some(),
                );
                ""
            }
        };
        if !open.is_empty() {
            o.raw(open);
            control_attrs(o, "mekaar-f-", name, error.is_some());
            if field.required {
                o.raw(" required");
            }
            if field.max > 0 {
                o.raw(" maxlength=\"").num(field.max as u64).raw("\"");
            }
            o.raw(match name {
                "name" | "initiator_name" => " autocomplete=\"name\"",
                "contact_email" => " autocomplete=\"email\"",
                "website" => " autocomplete=\"off\" tabindex=\"-1\"",
                _ => "",
            });
            if field.input == Input::Text {
                o.raw(">").text(&start).raw("</textarea>");
            } else {
                o.raw(" value=\"").text(&start).raw("\">");
            }
        }
        if let Some(key) = error {
            o.raw("<p class=\"mekaar-error\" id=\"mekaar-e-")
                .raw(name)
                .raw("\">")
                .key(lang, key)
                .raw("</p>");
        }
        o.raw("</div>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> String + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        }
    }

    #[test]
    fn fields_render_with_errors_and_escaped_values() {
        let community = Community {
            areas: vec!["Kloosterbuurt".into()],
            themes: vec![],
            pre: true,
        };
        let mut o = Out::default();
        let start = |name: &str| (name == "title").then(|| "<b>\"x\"</b>".to_string());
        fields(
            &mut o,
            Lang::Nl,
            SUBMIT,
            &community,
            &start,
            &[("title", Key::ErrRequired)],
        );
        let html = o.0;
        assert!(html.contains(
            "<input type=\"text\" id=\"mekaar-f-title\" name=\"title\" aria-invalid=\"true\" aria-describedby=\"mekaar-e-title\" required maxlength=\"120\" value=\"&lt;b&gt;&quot;x&quot;&lt;/b&gt;\">"
        ), "{html}");
        assert!(
            html.contains("<p class=\"mekaar-error\" id=\"mekaar-e-title\">Vul dit veld in.</p>")
        );
        assert!(html.contains("<option value=\"Kloosterbuurt\">Kloosterbuurt</option>"));
        // No themes: no theme field.
        assert!(!html.contains("name=\"theme\""));
        assert!(html.contains("aria-hidden=\"true\"><label for=\"mekaar-f-website\">"));
        assert!(html.contains("autocomplete=\"off\" tabindex=\"-1\""));
    }

    #[test]
    fn required_fields_and_consent() {
        let v = values(&[("name", "Anja")]);
        assert_eq!(
            validate(JOIN, &v),
            vec![("contact", Key::ErrRequired), ("consent", Key::ErrConsent)]
        );
        let v = values(&[
            ("name", "Anja"),
            ("contact", "06 1234"),
            ("consent", "true"),
        ]);
        assert!(validate(JOIN, &v).is_empty());
    }

    #[test]
    fn submit_checks_email_only_when_given() {
        let ok = [
            ("title", "Moestuin"),
            ("summary", "Samen"),
            ("initiator_name", "Anja"),
        ];
        assert!(validate(SUBMIT, &values(&ok)).is_empty());
        let mut bad = ok.to_vec();
        bad.push(("contact_email", "anja"));
        assert_eq!(
            validate(SUBMIT, &values(&bad)),
            vec![("contact_email", Key::ErrEmail)]
        );
        assert_eq!(
            validate(SUBMIT, &values(&[])),
            vec![
                ("title", Key::ErrRequired),
                ("summary", Key::ErrRequired),
                ("initiator_name", Key::ErrRequired),
            ]
        );
    }

    #[test]
    fn too_long_is_caught() {
        let long = "é".repeat(limits::TITLE + 1);
        let pairs = [("title", long.as_str()), ("summary", "s")];
        let v = values(&pairs);
        assert_eq!(validate(EDIT, &v), vec![("title", Key::ErrField)]);
    }

    /// The names are the JSON field names of the request types.
    #[test]
    fn field_names_are_the_wire_names() {
        let submit = serde_json::to_value(mekaar_api::InitiativeSubmit::default()).unwrap();
        for field in SUBMIT {
            assert!(submit.get(field.name).is_some(), "{}", field.name);
        }
        let join = serde_json::to_value(mekaar_api::JoinRequest::default()).unwrap();
        for field in JOIN {
            assert!(join.get(field.name).is_some(), "{}", field.name);
        }
        let edit = serde_json::to_value(mekaar_api::InitiativeEdit::default()).unwrap();
        for field in EDIT {
            assert!(edit.get(field.name).is_some(), "{}", field.name);
        }
        let report = serde_json::to_value(mekaar_api::ReportRequest {
            reason: String::new(),
        })
        .unwrap();
        assert!(report.get(REPORT[0].name).is_some());
        let update = serde_json::to_value(mekaar_api::UpdatePost {
            text: String::new(),
        })
        .unwrap();
        assert!(update.get(UPDATE[0].name).is_some());
    }
}
