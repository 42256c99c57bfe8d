//! The widgets' forms, described as tables of fields: one table drives the labelled
//! controls, the checks before sending and the request body, so they cannot disagree.
//!
//! Every control has `name` = its JSON field name and the id `f-{name}` of its widget
//! ([`Env::id`]); an error is shown in `e-{name}` (`.mekaar-error`), tied to the control
//! by `aria-describedby`, with `aria-invalid="true"` on the control. The controls are
//! controlled: their values live in the widget's state ([`FormUi::values`]) and the view
//! sets them, so a form the state empties (or a consent it un-ticks) is empty in the page.

use crate::api::Failure;
use crate::i18n::{fill, status_key, t, Key, Lang};
use crate::widget::Env;
use mekaar_api::{
    limits, CommunityPublic, InitiativeEdit, InitiativeStatus, InitiativeSubmit, JoinRequest,
    ManageLinkRequest, ReportRequest, UpdatePost,
};
use yew::prelude::*;

/// What kind of control a field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// An optional e-mail address.
    Email,
    /// How to reach someone: an e-mail address or a phone number.
    Contact,
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
    /// A photo file (JPEG, PNG or WebP); its value is the file's name, the file itself
    /// stays in the control until it is sent.
    File,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub label: Key,
    /// `maxlength`; 0 for none.
    pub max: usize,
    /// The fewest characters (0: none); such a field shows a live count.
    pub min: usize,
    /// An example shown under the label.
    pub example: Option<Key>,
    pub input: Input,
    pub required: bool,
}

const fn f(name: &'static str, label: Key, max: usize, input: Input, required: bool) -> Field {
    Field {
        name,
        label,
        max,
        min: 0,
        example: None,
        input,
        required,
    }
}

/// A field with a minimum length, a live count and an example.
const fn counted(field: Field, min: usize, example: Key) -> Field {
    Field {
        min,
        example: Some(example),
        ..field
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
    /// The initiator's photo, with its alt text.
    Photo,
    /// "Link kwijt?": the manage links by e-mail.
    Link,
}

impl FormKind {
    pub const COUNT: usize = 7;

    /// Its name in `data-act` and in its class `mekaar-{act}-form`.
    pub fn act(self) -> &'static str {
        match self {
            FormKind::Join => "join",
            FormKind::Report => "report",
            FormKind::Submit => "submit",
            FormKind::Edit => "edit",
            FormKind::Update => "update",
            FormKind::Photo => "photo",
            FormKind::Link => "link",
        }
    }

    pub fn from_act(act: &str) -> Option<FormKind> {
        [
            FormKind::Join,
            FormKind::Report,
            FormKind::Submit,
            FormKind::Edit,
            FormKind::Update,
            FormKind::Photo,
            FormKind::Link,
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
            FormKind::Photo => PHOTO,
            FormKind::Link => LINK,
        }
    }
}

const TITLE: Field = counted(
    f("title", Key::Title, limits::TITLE, Input::Line, true),
    limits::TITLE_MIN,
    Key::TitleExample,
);
const SUMMARY: Field = counted(
    f("summary", Key::Summary, limits::SUMMARY, Input::Text, true),
    limits::SUMMARY_MIN,
    Key::SummaryExample,
);
const STORY: Field = f("story", Key::Story, limits::STORY, Input::Text, false);
const AREA: Field = f("area", Key::Area, 0, Input::Area, false);
const THEME: Field = f("theme", Key::Theme, 0, Input::Theme, false);

pub const JOIN: &[Field] = &[
    f("name", Key::Name, limits::NAME, Input::Line, true),
    f(
        "contact",
        Key::Contact,
        limits::CONTACT,
        Input::Contact,
        true,
    ),
    f("message", Key::Message, limits::MESSAGE, Input::Text, false),
    f("consent", Key::Consent, 0, Input::Check, true),
    // Shown only when the community sends e-mail (`CommunityPublic::mail`).
    f("keep_informed", Key::KeepInformed, 0, Input::Check, false),
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
pub const LINK: &[Field] = &[f("email", Key::LinkEmail, 254, Input::Email, true)];
pub const UPDATE: &[Field] = &[f("text", Key::News, limits::UPDATE, Input::Text, true)];
pub const PHOTO: &[Field] = &[
    f("photo", Key::Photo, 0, Input::File, true),
    f("photo_alt", Key::PhotoAlt, limits::ALT, Input::Line, true),
];
/// The same inside the submit form, where a photo is optional (chosen, it is checked
/// against [`PHOTO`]: its alt text is then required).
pub const PHOTO_OPTIONAL: &[Field] = &[
    f("photo", Key::Photo, 0, Input::File, false),
    f("photo_alt", Key::PhotoAlt, limits::ALT, Input::Line, false),
];

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
        } else if field.input == Input::Email && !crate::text::looks_like_email(&v)
            || field.name == "keep_informed" && !crate::text::looks_like_email(&value("contact"))
        {
            Some(Key::ErrEmail)
        } else if field.input == Input::Contact
            && !crate::text::looks_like_email(&v)
            && !crate::text::looks_like_phone(&v)
        {
            Some(Key::ErrContact)
        } else if v.chars().count() < field.min {
            Some(Key::ErrTooShort)
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

/// What a form holds as the resident fills it in: the values by field name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values(Vec<(&'static str, String)>);

impl Values {
    /// A field's value as typed ("" when never touched; "true" for a ticked box).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A field's value without surrounding blanks, as it is checked and sent.
    pub fn trimmed(&self, name: &str) -> String {
        self.get(name).trim().to_owned()
    }

    pub fn set(&mut self, name: &'static str, value: String) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.0.push((name, value)),
        }
    }
}

/// The state of one form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormUi {
    pub values: Values,
    pub busy: bool,
    pub errors: Vec<(&'static str, Key)>,
    pub failure: Option<Failure>,
    pub done: bool,
}

/// A form's request body, as the API type it is on the wire.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Join(JoinRequest),
    Report(ReportRequest),
    Submit(InitiativeSubmit),
    Edit(InitiativeEdit),
    Update(UpdatePost),
    /// The photo's alt text (the file goes as it is, from its control).
    Photo(String),
    Link(ManageLinkRequest),
}

impl Body {
    /// The body of form `kind`; `value` gives a field's trimmed text. Empty optional
    /// choices (area, theme, e-mail) are left out, a ticked consent is `true`.
    pub fn new(kind: FormKind, value: &dyn Fn(&str) -> String) -> Body {
        let given = |name: &str| Some(value(name)).filter(|v| !v.is_empty());
        match kind {
            FormKind::Join => Body::Join(JoinRequest {
                name: value("name"),
                contact: value("contact"),
                message: value("message"),
                consent: !value("consent").is_empty(),
                keep_informed: !value("keep_informed").is_empty(),
            }),
            FormKind::Report => Body::Report(ReportRequest {
                reason: value("reason"),
            }),
            FormKind::Submit => Body::Submit(InitiativeSubmit {
                title: value("title"),
                summary: value("summary"),
                story: value("story"),
                area: given("area"),
                theme: given("theme"),
                initiator_name: value("initiator_name"),
                contact_email: given("contact_email"),
                website: value("website"),
            }),
            FormKind::Edit => Body::Edit(InitiativeEdit {
                title: Some(value("title")),
                summary: Some(value("summary")),
                story: Some(value("story")),
                area: given("area"),
                theme: given("theme"),
                status: InitiativeStatus::parse(&value("status")),
            }),
            FormKind::Update => Body::Update(UpdatePost {
                text: value("text"),
            }),
            FormKind::Photo => Body::Photo(value("photo_alt")),
            FormKind::Link => Body::Link(ManageLinkRequest {
                email: value("email"),
            }),
        }
    }

    /// The JSON text to send.
    pub fn json(&self) -> String {
        use crate::api::to_json;
        match self {
            Body::Join(b) => to_json(b),
            Body::Report(b) => to_json(b),
            Body::Submit(b) => to_json(b),
            Body::Edit(b) => to_json(b),
            Body::Update(b) => to_json(b),
            Body::Photo(alt) => alt.clone(),
            Body::Link(b) => to_json(b),
        }
    }
}

/// The value of the control an event came from (`value` of an input, textarea or select;
/// "true" or "" for a checkbox).
pub fn event_value(e: &Event) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    let get = |name: &str| js_sys::Reflect::get(&target, &name.into()).unwrap_or_default();
    if get("type").as_string().as_deref() == Some("checkbox") {
        return if get("checked").is_truthy() {
            "true".into()
        } else {
            String::new()
        };
    }
    get("value").as_string().unwrap_or_default()
}

/// A `<select>`: an optional first "none/all" choice with value "", then `options` as
/// `(value, label)`; `selected` is the chosen value. `error` is the id of the error text
/// when there is one.
#[allow(clippy::too_many_arguments)]
pub fn select(
    id: AttrValue,
    name: &'static str,
    class: &'static str,
    empty: Option<&str>,
    options: &[(&str, &str)],
    selected: &str,
    error: Option<AttrValue>,
    onchange: Callback<Event>,
) -> Html {
    let empty = empty.map(|label| ("", label));
    // With no option of that value, the first is the chosen one, and says so: yew inserts
    // the options last to first, and a browser left to pick would show the last.
    let selected = if empty.iter().chain(options).any(|(v, _)| *v == selected) {
        selected
    } else {
        empty.iter().chain(options).next().map_or("", |(v, _)| *v)
    };
    let options = empty.iter().chain(options).map(|(value, label)| {
        html! {
            <option key={*value} value={value.to_string()} selected={*value == selected}>
                {label.to_string()}
            </option>
        }
    });
    html! {
        <select class={class} id={id} name={name}
            aria-invalid={error.is_some().then_some("true")} aria-describedby={error}
            {onchange}>
            {for options}
        </select>
    }
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

/// The labelled controls of form `kind` with the values and errors of `ui`; `input`
/// hears every change as `(field, value)`.
pub fn fields(
    env: &Env,
    kind: FormKind,
    community: Option<&CommunityPublic>,
    ui: &FormUi,
    input: &Callback<(&'static str, String)>,
) -> Html {
    fields_of(env, kind.fields(), community, ui, input)
}

/// [`fields`] of a table of fields: e.g. [`PHOTO_OPTIONAL`] inside the submit form.
pub fn fields_of(
    env: &Env,
    table: &[Field],
    community: Option<&CommunityPublic>,
    ui: &FormUi,
    input: &Callback<(&'static str, String)>,
) -> Html {
    let lang = env.lang;
    let none: &[String] = &[];
    let controls = table.iter().filter_map(|field| {
        let name = field.name;
        let list = match (field.input, community) {
            (Input::Area, Some(c)) => &c.areas[..],
            (Input::Theme, Some(c)) => &c.themes[..],
            _ => none,
        };
        if matches!(field.input, Input::Area | Input::Theme) && list.is_empty()
            || name == "keep_informed" && !community.is_some_and(|c| c.mail)
        {
            return None;
        }
        let error = ui
            .errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, key)| *key);
        let id = env.id(&["f-", name].concat());
        let error_id = error.map(|_| env.id(&["e-", name].concat()));
        // What the control is described by: its example and count, then its error.
        let hint_id = field.example.map(|_| env.id(&["h-", name].concat()));
        let described: Option<AttrValue> = match (&hint_id, &error_id) {
            (None, None) => None,
            (Some(h), None) => Some(h.clone()),
            (None, Some(e)) => Some(e.clone()),
            (Some(h), Some(e)) => Some([h.as_str(), " ", e.as_str()].concat().into()),
        };
        let invalid = error.is_some().then_some("true");
        let value = ui.values.get(name);
        let on = input.reform(move |e: Event| (name, event_value(&e)));
        let oninput = input.reform(move |e: InputEvent| (name, event_value(&e)));
        let maxlength = (field.max > 0).then(|| field.max.to_string());
        let autocomplete = match name {
            "name" | "initiator_name" => Some("name"),
            "contact_email" => Some("email"),
            "website" => Some("off"),
            _ => None,
        };
        let control = match field.input {
            Input::Line | Input::Trap | Input::Email | Input::Contact => html! {
                <input type={if field.input == Input::Email { "email" } else { "text" }}
                    id={id.clone()} name={name} value={value.to_string()}
                    aria-invalid={invalid} aria-describedby={described.clone()}
                    required={field.required} maxlength={maxlength} autocomplete={autocomplete}
                    tabindex={(field.input == Input::Trap).then_some("-1")} {oninput} />
            },
            Input::File => html! {
                <input type="file" accept="image/jpeg,image/png,image/webp" id={id.clone()}
                    name={name} aria-invalid={invalid} aria-describedby={described.clone()}
                    required={field.required} onchange={on} />
            },
            Input::Check => html! {
                <input type="checkbox" value="true" id={id.clone()} name={name}
                    checked={value == "true"}
                    aria-invalid={invalid} aria-describedby={error_id.clone()}
                    required={field.required} onchange={on} />
            },
            Input::Text => html! {
                <textarea rows="4" id={id.clone()} name={name} value={value.to_string()}
                    aria-invalid={invalid} aria-describedby={described.clone()}
                    required={field.required} maxlength={maxlength} {oninput} />
            },
            Input::Area | Input::Theme | Input::Status => {
                let options = if field.input == Input::Status {
                    statuses(lang)
                } else {
                    choices(list)
                };
                let empty = (field.input != Input::Status).then(|| t(lang, Key::NoChoice));
                select(
                    id.clone(),
                    name,
                    "mekaar-select",
                    empty,
                    &options,
                    value,
                    error_id.clone(),
                    on,
                )
            }
        };
        let class = match field.input {
            Input::Check => "mekaar-field mekaar-check",
            // The honeypot: off-screen, out of the tab order and of the accessibility tree.
            Input::Trap => "mekaar-field mekaar-hp",
            _ => "mekaar-field",
        };
        Some(html! {
            <div key={name} class={class}
                aria-hidden={(field.input == Input::Trap).then_some("true")}>
                <label for={id}>{t(lang, field.label)}</label>
                if let (Some(example), Some(hint_id)) = (field.example, hint_id) {
                    <p class="mekaar-hint" id={hint_id}>
                        {t(lang, example)}{" "}
                        // The count (not live: announced when the control is read).
                        <span class="mekaar-counter">
                            {fill(lang, Key::CharCount, &value.trim().chars().count().to_string(),
                                &field.max.to_string())}
                        </span>
                    </p>
                }
                {control}
                if let (Some(key), Some(error_id)) = (error, error_id) {
                    <p class="mekaar-error" id={error_id}>
                        {fill(lang, key, &field.min.to_string(), "")}
                    </p>
                }
            </div>
        })
    });
    html! { {for controls} }
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
    fn fields_render_with_labels_errors_and_values_as_text() {
        let community = CommunityPublic {
            slug: "c".into(),
            name: "C".into(),
            languages: vec![],
            areas: vec!["Kloosterbuurt".into()],
            themes: vec![],
            support_threshold: 50,
            moderation: Default::default(),
            initiatives_page: None,
            mail: false,
        };
        let mut ui = FormUi {
            errors: vec![("title", Key::ErrRequired)],
            ..FormUi::default()
        };
        ui.values.set("title", "<b>\"x\"</b>".into());
        let env = crate::widget::tests::env();
        let html = crate::widget::ssr::render(move || {
            fields(
                &env,
                FormKind::Submit,
                Some(&community),
                &ui,
                &Callback::noop(),
            )
        });
        // The value is text in an attribute, never markup.
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("value=\"&lt;b&gt;&quot;x&quot;&lt;/b&gt;\""),
            "{html}"
        );
        assert!(
            html.contains("<label for=\"mekaar-7-f-title\">Titel</label>"),
            "{html}"
        );
        assert!(
            html.contains(
                "aria-invalid=\"true\" aria-describedby=\"mekaar-7-h-title mekaar-7-e-title\""
            ),
            "{html}"
        );
        // The title has an example and counts what is typed (trimmed) against its maximum.
        assert!(
            html.contains("<span class=\"mekaar-counter\">(10 van 120 tekens)</span>"),
            "{html}"
        );
        assert!(
            html.contains("maxlength=\"120\" required=\"required\""),
            "{html}"
        );
        assert!(
            html.contains("<p id=\"mekaar-7-e-title\" class=\"mekaar-error\">Vul dit veld in.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<option value=\"Kloosterbuurt\">Kloosterbuurt</option>"),
            "{html}"
        );
        // No themes: no theme field.
        assert!(!html.contains("name=\"theme\""), "{html}");
        // The honeypot is out of the accessibility tree and the tab order.
        assert!(
            html.contains("aria-hidden=\"true\" class=\"mekaar-field mekaar-hp\"><label for=\"mekaar-7-f-website\">"),
            "{html}"
        );
        assert!(
            html.contains("autocomplete=\"off\" tabindex=\"-1\""),
            "{html}"
        );
    }

    #[test]
    fn a_consent_the_state_clears_is_unticked() {
        let env = crate::widget::tests::env();
        let mut ui = FormUi::default();
        ui.values.set("consent", "true".into());
        let ticked = ui.clone();
        let html = crate::widget::ssr::render(move || {
            fields(&env, FormKind::Join, None, &ticked, &Callback::noop())
        });
        assert!(html.contains(" checked"), "{html}");
        ui.values = Values::default();
        let env = crate::widget::tests::env();
        let html = crate::widget::ssr::render(move || {
            fields(&env, FormKind::Join, None, &ui, &Callback::noop())
        });
        assert!(!html.contains(" checked"), "{html}");
    }

    #[test]
    fn keep_informed_is_offered_only_with_mail_and_needs_an_email_address() {
        let render = |mail: bool| {
            let env = crate::widget::tests::env();
            let community = CommunityPublic {
                slug: "c".into(),
                name: "C".into(),
                languages: vec![],
                areas: vec![],
                themes: vec![],
                support_threshold: 50,
                moderation: Default::default(),
                initiatives_page: None,
                mail,
            };
            crate::widget::ssr::render(move || {
                fields(
                    &env,
                    FormKind::Join,
                    Some(&community),
                    &FormUi::default(),
                    &Callback::noop(),
                )
            })
        };
        assert!(!render(false).contains("keep_informed"));
        let html = render(true);
        assert!(
            html.contains("<label for=\"mekaar-7-f-keep_informed\">Houd me op de hoogte"),
            "{html}"
        );
        let ticked = |contact: &'static str| {
            let pairs = [
                ("name", "Anja"),
                ("contact", contact),
                ("consent", "true"),
                ("keep_informed", "true"),
            ];
            let errors = validate(JOIN, &values(&pairs));
            errors
        };
        assert_eq!(
            ticked("06 1234 5678"),
            vec![("keep_informed", Key::ErrEmail)]
        );
        assert!(ticked("anja@example.nl").is_empty());
        let v = values(&[("email", "anja@example.nl")]);
        assert!(matches!(
            Body::new(FormKind::Link, &v),
            Body::Link(ManageLinkRequest { email }) if email == "anja@example.nl"
        ));
    }

    #[test]
    fn bodies_are_the_api_types() {
        let v = values(&[
            ("title", "Moestuin"),
            ("summary", "Samen"),
            ("initiator_name", "Anja"),
        ]);
        let Body::Submit(submit) = Body::new(FormKind::Submit, &v) else {
            panic!("a submit body");
        };
        assert_eq!(submit.title, "Moestuin");
        assert_eq!((submit.area, submit.contact_email), (None, None));
        let v = values(&[
            ("name", "Anja"),
            ("consent", "true"),
            ("status", "realised"),
        ]);
        assert!(matches!(
            Body::new(FormKind::Join, &v),
            Body::Join(JoinRequest { consent: true, .. })
        ));
        let Body::Edit(edit) = Body::new(FormKind::Edit, &v) else {
            panic!("an edit body");
        };
        assert_eq!(edit.status, Some(InitiativeStatus::Realised));
    }

    #[test]
    fn required_fields_and_consent() {
        let v = values(&[("name", "Anja")]);
        assert_eq!(
            validate(JOIN, &v),
            vec![("contact", Key::ErrRequired), ("consent", Key::ErrConsent)]
        );
        for (contact, ok) in [
            ("06 1234 5678", true),
            ("+31 (0)6-1234.5678", true),
            ("anja@example.nl", true),
            ("06 1234", false),
            ("bel me", false),
        ] {
            let pairs = [("name", "Anja"), ("contact", contact), ("consent", "true")];
            let errors = validate(JOIN, &values(&pairs));
            assert_eq!(errors.is_empty(), ok, "{contact}: {errors:?}");
            if !ok {
                assert_eq!(errors, vec![("contact", Key::ErrContact)]);
            }
        }
    }

    #[test]
    fn submit_checks_email_only_when_given() {
        let ok = [
            ("title", "Moestuin"),
            ("summary", "Samen groente kweken"),
            ("initiator_name", "Anja"),
        ];
        assert!(validate(SUBMIT, &values(&ok)).is_empty());
        // Junk: too short to say what it is about.
        let short = [
            ("title", "Test"),
            ("summary", "Leuk!"),
            ("initiator_name", "A"),
        ];
        assert_eq!(
            validate(SUBMIT, &values(&short)),
            vec![("title", Key::ErrTooShort), ("summary", Key::ErrTooShort)]
        );
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
        let pairs = [
            ("title", long.as_str()),
            ("summary", "Samen groente kweken"),
        ];
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
