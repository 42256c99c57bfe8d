//! The embed-snippet builder (`#/snippet`): choose a widget (support button, initiatives
//! list, one initiative as a card, a poll, a poll's overlay view) and its options, read
//! the exact snippet a webmaster pastes in a read-only text field with a copy button, and
//! see it live.
//!
//! Two forms: the script (recommended: the loader plus the placeholder, as in the README)
//! and, for sites where no script may be added, an `<iframe>` of the server's
//! `/embed/{kind}` page, whose query parameters are exactly the placeholder's data
//! attributes without `data-`, with an optional host-side script that sizes the frame on
//! `message` events `{"mekaar":"height","height":N}` from the server's origin.
//!
//! Every placeholder holds fallback content, a link to the initiative or poll on the server
//! (the widget replaces it when it mounts; when loading fails it stays). An accent colour
//! and a font become `--mekaar-accent`, `--mekaar-accent-contrast` (the better of white
//! and the widgets' near-black text on the accent, see [`Accent`]) and `--mekaar-font` in
//! a `style` attribute of the placeholder, or, for hosts whose Content-Security-Policy
//! forbids style attributes, in a rule for the host's own stylesheet; the builder warns
//! when the accent falls short of WCAG contrast.
//!
//! The preview is an `<iframe srcdoc>` holding a small page with that very snippet (the
//! script form), so what is previewed is what is pasted, except that its placeholder has
//! `data-preview="true"`: the widgets then write nothing (no support, vote, join or report
//! counts) and say they are a preview. The copied snippet never has it. The frame is
//! same-origin with the console (the widgets' API calls are then the server's own and need
//! no allowed origin) and inherits `/admin`'s Content-Security-Policy, which allows inline
//! styles for this reason (see `server/src/assets.rs`).
//!
//! Element ids: the kind radios `#snippet-kind-{support|initiatives|initiative|poll|overlay|discussion}`,
//! for a discussion `#snippet-discussion-{topic|poll|initiative}` and `#snippet-topic`,
//! `#snippet-initiative`, `#snippet-poll` (a select; a text field `#snippet-poll-id` for
//! roles that may not list polls), `#snippet-lang`, `#snippet-theme`, for the list
//! `#snippet-area`, `#snippet-limit`, `#snippet-submit`; the look `#snippet-accent-on`
//! (checkbox), `#snippet-accent` (colour), `#snippet-font`, `#snippet-style-sheet`
//! (checkbox), `#snippet-contrast-warning`; the form radios `#snippet-form-script`,
//! `#snippet-form-iframe`; the result `#snippet-code` (the textarea), `#snippet-copy`,
//! `#snippet-css` with `#snippet-css-copy` (the stylesheet rule), `#snippet-resize` with
//! `#snippet-resize-copy` (the iframe's sizing script), `#snippet-preview` (the frame).

use mekaar_api::discussions::{ThreadKind, Topic};
use mekaar_api::polls::{Phase, PollAdminList, PollAdminView};
use mekaar_api::{CommunityAdmin, InitiativeList, InitiativePublic};
use yew::prelude::*;

use super::kit::{escape_attr, input_text, is_checked, select_value};
use super::polls::phase_key;
use super::{CopyButton, ErrorAlert, Heading, ScreenProps};
use crate::api::{self, ApiError};
use crate::app::Screen;
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, RoleInConsole};

/// The widgets a webmaster can embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Support,
    List,
    Card,
    Poll,
    Overlay,
    /// Reactions under a topic, a poll or an initiative ([`Choice::discussion_on`]).
    Discussion,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Support,
        Kind::List,
        Kind::Card,
        Kind::Poll,
        Kind::Overlay,
        Kind::Discussion,
    ];

    /// For element ids.
    fn id(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::List => "initiatives",
            Kind::Card => "initiative",
            Kind::Poll => "poll",
            Kind::Overlay => "overlay",
            Kind::Discussion => "discussion",
        }
    }

    /// The placeholder's `data-mekaar`.
    fn widget(self) -> &'static str {
        match self {
            Kind::Support => "support",
            Kind::List => "initiatives",
            Kind::Card => "initiative",
            Kind::Poll | Kind::Overlay => "poll",
            Kind::Discussion => "discussion",
        }
    }

    fn key(self) -> Key {
        match self {
            Kind::Support => Key::SnippetKindSupport,
            Kind::List => Key::SnippetKindList,
            Kind::Card => Key::SnippetKindCard,
            Kind::Poll => Key::SnippetKindPoll,
            Kind::Overlay => Key::SnippetKindOverlay,
            Kind::Discussion => Key::SnippetKindDiscussion,
        }
    }

    fn hint(self) -> Key {
        match self {
            Kind::Support => Key::SnippetKindSupportHint,
            Kind::List => Key::SnippetKindListHint,
            Kind::Card => Key::SnippetKindCardHint,
            Kind::Poll => Key::SnippetKindPollHint,
            Kind::Overlay => Key::SnippetKindOverlayHint,
            Kind::Discussion => Key::SnippetKindDiscussionHint,
        }
    }

    /// The fallback link's text, in the snippet's language.
    fn fallback(self) -> Key {
        match self {
            Kind::Support => Key::SnippetFallbackSupport,
            Kind::List => Key::SnippetFallbackList,
            Kind::Card => Key::SnippetFallbackCard,
            Kind::Poll => Key::SnippetFallbackPoll,
            Kind::Overlay => Key::SnippetFallbackOverlay,
            Kind::Discussion => Key::SnippetFallbackDiscussion,
        }
    }

    /// The iframe's `title`, in the snippet's language.
    fn frame_title(self) -> Key {
        match self {
            Kind::Support => Key::SnippetFrameSupport,
            Kind::List => Key::SnippetFrameList,
            Kind::Card => Key::SnippetFrameCard,
            Kind::Poll => Key::SnippetFramePoll,
            Kind::Overlay => Key::SnippetFrameOverlay,
            Kind::Discussion => Key::SnippetFrameDiscussion,
        }
    }

    /// The iframe's height in CSS px before (or without) the sizing script.
    fn frame_height(self) -> u32 {
        match self {
            Kind::Support => 160,
            Kind::Card => 420,
            Kind::List => 900,
            Kind::Poll => 560,
            Kind::Overlay => 480,
            Kind::Discussion => 800,
        }
    }

    /// Whether the snippet names an initiative (a discussion: when it is under one).
    fn needs_initiative(self, c: &Choice) -> bool {
        match self {
            Kind::Support | Kind::Card => true,
            Kind::Discussion => c.discussion_kind() == ThreadKind::Initiative,
            _ => false,
        }
    }

    fn needs_poll(self, c: &Choice) -> bool {
        match self {
            Kind::Poll | Kind::Overlay => true,
            Kind::Discussion => c.discussion_kind() == ThreadKind::Poll,
            _ => false,
        }
    }

    fn needs_topic(self, c: &Choice) -> bool {
        self == Kind::Discussion && c.discussion_kind() == ThreadKind::Topic
    }
}

/// How the widget is put on the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Form {
    /// The loader and a placeholder (recommended).
    #[default]
    Script,
    /// An `<iframe>` of `/embed/{kind}`: for sites where no script may be added.
    Iframe,
}

/// The font of the widget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Font {
    /// The widget's own (no `--mekaar-font`).
    #[default]
    Widget,
    /// The visitor's system fonts.
    System,
    Serif,
    /// The host page's font.
    Inherit,
}

impl Font {
    const ALL: [Font; 4] = [Font::Widget, Font::System, Font::Serif, Font::Inherit];

    /// The `<option value>`.
    fn id(self) -> &'static str {
        match self {
            Font::Widget => "",
            Font::System => "system",
            Font::Serif => "serif",
            Font::Inherit => "inherit",
        }
    }

    fn key(self) -> Key {
        match self {
            Font::Widget => Key::SnippetFontWidget,
            Font::System => Key::SnippetFontSystem,
            Font::Serif => Key::SnippetFontSerif,
            Font::Inherit => Key::SnippetFontInherit,
        }
    }

    /// The `--mekaar-font` value (single quotes only: it goes in a `style="…"`).
    fn css(self) -> Option<&'static str> {
        match self {
            Font::Widget => None,
            Font::System => Some("system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"),
            Font::Serif => Some("Georgia,'Times New Roman',serif"),
            Font::Inherit => Some("inherit"),
        }
    }
}

/// Everything the snippet is made of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub server: String,
    pub community: String,
    pub initiative: String,
    pub poll: String,
    pub topic: String,
    /// What a discussion is under; `None`: a topic.
    pub discussion_on: Option<ThreadKind>,
    /// `""` (Dutch, the default) or `"en"`.
    pub lang: String,
    /// `""` (the visitor's system), `"light"` or `"dark"`.
    pub theme: String,
    /// The list only: a preset area, the page size (`""` = 10), the submit form.
    pub area: String,
    pub limit: String,
    pub no_submit: bool,
    /// `#rrggbb`, or `""` for the widget's own.
    pub accent: String,
    pub font: Font,
    /// The look goes in a rule for the host's stylesheet, not in a `style` attribute.
    pub style_in_sheet: bool,
    pub form: Form,
}

impl Choice {
    /// What a discussion is under (a topic unless chosen otherwise).
    pub fn discussion_kind(&self) -> ThreadKind {
        self.discussion_on.unwrap_or(ThreadKind::Topic)
    }
}

/// The placeholder's data attributes without `data-` (besides `mekaar`), in order: also
/// the `/embed/{kind}` page's query. `None` while the initiative or poll it needs is not
/// chosen.
pub fn attributes(kind: Kind, c: &Choice) -> Option<Vec<(&'static str, String)>> {
    let mut attrs = vec![("community", c.community.clone())];
    if kind.needs_topic(c) {
        if c.topic.trim().is_empty() {
            return None;
        }
        attrs.push(("topic", c.topic.trim().to_string()));
    }
    if kind.needs_initiative(c) {
        if c.initiative.trim().is_empty() {
            return None;
        }
        attrs.push(("initiative", c.initiative.trim().to_string()));
    }
    if kind.needs_poll(c) {
        if c.poll.trim().is_empty() {
            return None;
        }
        attrs.push(("poll", c.poll.trim().to_string()));
    }
    if kind == Kind::Overlay {
        attrs.push(("view", "overlay".into()));
    }
    if kind == Kind::List {
        if !c.area.is_empty() {
            attrs.push(("area", c.area.clone()));
        }
        let limit = c.limit.trim();
        if !limit.is_empty() && limit != "10" {
            attrs.push(("limit", limit.to_string()));
        }
        if c.no_submit {
            attrs.push(("submit", "false".into()));
        }
    }
    if !c.lang.is_empty() {
        attrs.push(("lang", c.lang.clone()));
    }
    if !c.theme.is_empty() {
        attrs.push(("theme", c.theme.clone()));
    }
    Some(attrs)
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved characters).
fn encode_query(text: &str) -> String {
    crate::api::encode_segment(text)
}

/// `{server}/embed/{kind}?{attributes}`, as written in HTML (`&amp;` between parameters).
pub fn embed_url(kind: Kind, c: &Choice) -> Option<String> {
    let query = attributes(kind, c)?
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_query(value)))
        .collect::<Vec<_>>()
        .join("&");
    Some(format!("{}/embed/{}?{query}", c.server, kind.widget()))
}

/// The language the snippet's own texts (fallback link, frame title) are in.
fn snippet_lang(c: &Choice) -> Lang {
    Lang::parse(&c.lang).unwrap_or(Lang::Nl)
}

/// The custom properties of the look, `name:value;…`; `None` when nothing is chosen.
pub fn look(c: &Choice) -> Option<String> {
    let mut props = Vec::new();
    if let Some(accent) = Accent::parse(&c.accent) {
        props.push(format!("--mekaar-accent:{}", accent.hex()));
        props.push(format!(
            "--mekaar-accent-contrast:{}",
            accent.on_accent().hex()
        ));
    }
    if let Some(font) = c.font.css() {
        props.push(format!("--mekaar-font:{font}"));
    }
    (!props.is_empty()).then(|| props.join(";"))
}

/// The rule for the host's stylesheet when the look may not be a `style` attribute.
pub fn stylesheet_rule(c: &Choice) -> Option<String> {
    look(c).map(|props| format!("[data-mekaar]{{{props}}}"))
}

/// The exact snippet to copy for `kind` in the chosen form: for the script, the loader, a
/// line break, the placeholder with its fallback link; for the iframe, the frame. `None`
/// while the initiative or poll it needs is not chosen.
pub fn snippet(kind: Kind, c: &Choice) -> Option<String> {
    match c.form {
        Form::Script => script_snippet(kind, c, false),
        Form::Iframe => iframe_snippet(kind, c),
    }
}

/// The script snippet; `preview`: with `data-preview="true"` (the preview frame only).
fn script_snippet(kind: Kind, c: &Choice, preview: bool) -> Option<String> {
    let mut attrs = format!("data-mekaar=\"{}\"", kind.widget());
    for (name, value) in attributes(kind, c)? {
        attrs.push_str(&format!(" data-{name}=\"{}\"", escape_attr(&value)));
    }
    if preview {
        attrs.push_str(" data-preview=\"true\"");
    }
    // The preview stands for the host page, whose stylesheet then has the rule.
    if let Some(look) = look(c).filter(|_| preview || !c.style_in_sheet) {
        attrs.push_str(&format!(" style=\"{}\"", escape_attr(&look)));
    }
    let url = embed_url(kind, c)?;
    Some(format!(
        "<script async src=\"{}/embed.js\"></script>\n<div {attrs}><a href=\"{}\">{}</a></div>",
        escape_attr(&c.server),
        escape_attr(&url),
        escape_attr(kind.fallback().text(snippet_lang(c)))
    ))
}

/// The iframe snippet.
fn iframe_snippet(kind: Kind, c: &Choice) -> Option<String> {
    let url = embed_url(kind, c)?;
    Some(format!(
        "<iframe src=\"{}\" title=\"{}\" loading=\"lazy\" style=\"width:100%;border:0;height:{}px\"></iframe>",
        escape_attr(&url),
        escape_attr(kind.frame_title().text(snippet_lang(c))),
        kind.frame_height()
    ))
}

/// The script snippet of the discussion under the thread `id` of `on` (the topics
/// screen shows it with every topic).
pub fn discussion_snippet(server: &str, community: &str, on: ThreadKind, id: &str) -> String {
    let mut c = Choice {
        server: server.to_string(),
        community: community.to_string(),
        discussion_on: Some(on),
        ..Default::default()
    };
    match on {
        ThreadKind::Topic => c.topic = id.to_string(),
        ThreadKind::Poll => c.poll = id.to_string(),
        ThreadKind::Initiative => c.initiative = id.to_string(),
    }
    snippet(Kind::Discussion, &c).unwrap_or_default()
}

/// The snippet in the preview frame: the script form, with `data-preview="true"`.
pub fn preview_snippet(kind: Kind, c: &Choice) -> Option<String> {
    script_snippet(kind, c, true)
}

/// The optional host-side script that sizes the iframes of `server` to their content.
pub fn resize_script(server: &str) -> String {
    let server = server.replace(['"', '\\', '<', '>'], "");
    format!(
        "<script>\n\
         addEventListener(\"message\", function (e) {{\n  \
           if (e.origin !== \"{server}\" || !e.data || e.data.mekaar !== \"height\") return;\n  \
           var h = Number(e.data.height);\n  \
           if (!(h > 0 && h < 20000)) return;\n  \
           document.querySelectorAll('iframe[src^=\"{server}/embed/\"]').forEach(function (f) {{\n    \
             if (f.contentWindow === e.source) f.style.height = Math.ceil(h) + \"px\";\n  \
           }});\n\
         }});\n\
         </script>"
    )
}

/// An sRGB colour, for the contrast rules of WCAG 2.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accent(pub [u8; 3]);

/// The widgets' text colour in the light theme: the "near-black" on an accent.
pub const NEAR_BLACK: Accent = Accent([0x1f, 0x23, 0x28]);
pub const WHITE: Accent = Accent([0xff, 0xff, 0xff]);
/// The widgets' backgrounds (light and dark theme), which the accent's borders, icons and
/// progress bars stand on.
pub const LIGHT_BACKGROUND: Accent = WHITE;
pub const DARK_BACKGROUND: Accent = Accent([0x17, 0x19, 0x1c]);
/// WCAG 2.1 1.4.3: text (on a pressed button, a badge) against the accent.
pub const TEXT_CONTRAST: f64 = 4.5;
/// WCAG 2.1 1.4.11: the accent's borders, icons and bars against the background.
pub const NON_TEXT_CONTRAST: f64 = 3.0;

impl Accent {
    /// `#rgb` or `#rrggbb` (the `#` optional), any case.
    pub fn parse(text: &str) -> Option<Accent> {
        let hex = text.trim().trim_start_matches('#');
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        match digits[..] {
            [r, g, b] => Some(Accent([r * 17, g * 17, b * 17])),
            [r1, r2, g1, g2, b1, b2] => Some(Accent([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2])),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// Relative luminance (WCAG 2.1), 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let channel = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The contrast ratio with `other`, 1 to 21.
    pub fn contrast(self, other: Accent) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The text colour on this accent: white or the near-black, whichever contrasts more
    /// (the `--mekaar-accent-contrast` written into the snippet).
    pub fn on_accent(self) -> Accent {
        if self.contrast(WHITE) >= self.contrast(NEAR_BLACK) {
            WHITE
        } else {
            NEAR_BLACK
        }
    }
}

/// What falls short with this accent under `theme` (`""`, `"light"`, `"dark"`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shortfalls {
    /// The text on the accent, below 4.5:1 even with the better text colour.
    pub text: Option<f64>,
    /// The accent against the light background, below 3:1 (not with `dark`).
    pub light: Option<f64>,
    /// The accent against the dark background, below 3:1 (not with `light`).
    pub dark: Option<f64>,
}

impl Shortfalls {
    pub fn of(accent: Accent, theme: &str) -> Shortfalls {
        let below = |ratio: f64, min: f64| (ratio < min).then_some(ratio);
        Shortfalls {
            text: below(accent.contrast(accent.on_accent()), TEXT_CONTRAST),
            light: below(accent.contrast(LIGHT_BACKGROUND), NON_TEXT_CONTRAST)
                .filter(|_| theme != "dark"),
            dark: below(accent.contrast(DARK_BACKGROUND), NON_TEXT_CONTRAST)
                .filter(|_| theme != "light"),
        }
    }

    pub fn any(&self) -> bool {
        self.text.is_some() || self.light.is_some() || self.dark.is_some()
    }
}

/// `4.47` → `"4.4"` (rounded down, so a ratio just short never reads as enough).
fn ratio_text(ratio: f64) -> String {
    format!("{:.1}", (ratio * 10.0).floor() / 10.0)
}

/// The preview frame's page: the snippet in a minimal, valid document, below an `h1` (the
/// frame's title) and an `h2` (the widget's name), as on a host page: the list's cards are
/// `h3`s. Its `<main>` is labelled, so it differs from the console's own.
/// The preview page's own look: a plain host page (the console's font, small headings that
/// name what is shown), so the widget stands out as a webmaster's page would show it.
/// A dark widget is previewed on a dark page (`.dark`), as on a host site with a dark theme.
const PREVIEW_STYLE: &str = "body{margin:0;padding:1rem;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;background:#ffffff;color:#1c1c1c}\
    body.dark{background:#161816;color:#f1f1ee}\
    h1,h2{font-size:0.9rem;font-weight:600;margin:0 0 0.5rem}";

fn preview_page(snippet: &str, lang: &str, title: &str, widget: &str, dark: bool) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{PREVIEW_STYLE}</style>\n</head>\n<body{body_class}>\n<main aria-label=\"{title}\">\n\
         <h1>{title}</h1>\n<h2>{widget}</h2>\n{snippet}\n</main>\n</body>\n</html>\n",
        title = escape_attr(title),
        widget = escape_attr(widget),
        body_class = if dark { " class=\"dark\"" } else { "" }
    )
}

#[function_component(Snippet)]
pub fn snippet_screen(_props: &ScreenProps) -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let role = session.info.role;

    let kind = use_state(|| Kind::Support);
    let choice = use_state(|| Choice {
        server: super::kit::origin(),
        community: community.clone(),
        ..Default::default()
    });
    let initiatives = use_state(|| None::<Vec<InitiativePublic>>);
    // `None` while loading; `Some(None)` when this role may not list polls.
    let polls = use_state(|| None::<Option<Vec<PollAdminView>>>);
    let settings = use_state(|| None::<CommunityAdmin>);
    // `None` while loading; `Some(None)` when the topics could not be listed.
    let topics = use_state(|| None::<Option<Vec<Topic>>>);
    // What could not be loaded: the builder still works, with fewer choices.
    let load_error = use_state(|| None::<ApiError>);

    {
        let (initiatives, polls, settings, choice, load_error, topics) = (
            initiatives.clone(),
            polls.clone(),
            settings.clone(),
            choice.clone(),
            load_error.clone(),
            topics.clone(),
        );
        let community = community.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut failed = None;
                let list = match api::get::<InitiativeList>(&api::public_path(
                    &community,
                    "/initiatives?limit=100&sort=newest",
                ))
                .await
                {
                    Ok(l) => l.initiatives,
                    Err(e) => {
                        failed = Some(e);
                        Vec::new()
                    }
                };
                let poll_list =
                    match api::get::<PollAdminList>(&api::admin_path(&community, "/polls")).await {
                        Ok(l) => {
                            let mut p = l.polls;
                            p.sort_by_key(|v| std::cmp::Reverse(v.poll.created_at));
                            Some(p)
                        }
                        // This role may not list polls: no poll choices, not an error.
                        Err(e) if e.status == 403 => None,
                        Err(e) => {
                            failed = Some(e);
                            None
                        }
                    };
                // Preselect the newest of each, so there is a snippet at once.
                let mut c = (*choice).clone();
                if c.initiative.is_empty() {
                    c.initiative = list.first().map(|i| i.id.clone()).unwrap_or_default();
                }
                if c.poll.is_empty() {
                    c.poll = poll_list
                        .as_ref()
                        .and_then(|p| p.iter().find(|v| v.phase != Phase::Draft).or(p.first()))
                        .map(|v| v.poll.id.clone())
                        .unwrap_or_default();
                }
                let topic_list = api::get::<Vec<Topic>>(&api::admin_path(&community, "/topics"))
                    .await
                    .ok()
                    .map(|mut list| {
                        list.sort_by_key(|t| std::cmp::Reverse(t.created_at));
                        list
                    });
                if c.topic.is_empty() {
                    c.topic = topic_list
                        .as_ref()
                        .and_then(|l| l.first())
                        .map(|t| t.id.clone())
                        .unwrap_or_default();
                }
                topics.set(Some(topic_list));
                choice.set(c);
                initiatives.set(Some(list));
                polls.set(Some(poll_list));
                match api::get::<CommunityAdmin>(&api::admin_path(&community, "")).await {
                    Ok(s) => settings.set(Some(s)),
                    Err(e) => failed = Some(e),
                }
                load_error.set(failed);
            });
        });
    }

    let update = |f: fn(&mut Choice, String)| {
        let choice = choice.clone();
        move |value: String| {
            let mut c = (*choice).clone();
            f(&mut c, value);
            choice.set(c);
        }
    };
    let on_select = |f: fn(&mut Choice, String)| {
        let set = update(f);
        Callback::from(move |e: Event| set(select_value(&e)))
    };
    let on_input = |f: fn(&mut Choice, String)| {
        let set = update(f);
        Callback::from(move |e: InputEvent| set(input_text(&e)))
    };

    let code = snippet(*kind, &choice);
    let kinds = html! {
        <fieldset>
            <legend>{ t(Key::SnippetKind) }</legend>
            { for Kind::ALL.into_iter().map(|k| {
                let id = format!("snippet-kind-{}", k.id());
                let hint = format!("{id}-hint");
                let onchange = {
                    let kind = kind.clone();
                    Callback::from(move |e: Event| if is_checked(&e) { kind.set(k) })
                };
                html! {
                    <div class="choice-with-hint">
                        <label class="choice" for={id.clone()}>
                            <input type="radio" name="snippet-kind" id={id.clone()} value={k.id()}
                                checked={*kind == k} aria-describedby={hint.clone()} {onchange} />
                            { t(k.key()) }
                        </label>
                        <p class="hint" id={hint}>{ t(k.hint()) }</p>
                    </div>
                }
            }) }
        </fieldset>
    };

    let initiative_field = if kind.needs_initiative(&choice) {
        match &*initiatives {
            None => html! { <p class="loading">{ t(Key::CommonLoading) }</p> },
            Some(list) if list.is_empty() => {
                html! { <p id="snippet-no-initiatives">{ t(Key::SnippetNoInitiatives) }</p> }
            }
            Some(list) => html! {
                <div class="field">
                    <label for="snippet-initiative">{ t(Key::SnippetInitiative) }</label>
                    <select id="snippet-initiative" onchange={on_select(|c, v| c.initiative = v)}>
                        { for list.iter().map(|i| html! {
                            <option value={i.id.clone()} selected={i.id == choice.initiative}>{ &i.title }</option>
                        }) }
                    </select>
                </div>
            },
        }
    } else {
        html! {}
    };
    let poll_field = if kind.needs_poll(&choice) {
        match &*polls {
            None => html! { <p class="loading">{ t(Key::CommonLoading) }</p> },
            Some(Some(list)) if list.is_empty() => {
                html! { <p id="snippet-no-polls">{ t(Key::SnippetNoPolls) }</p> }
            }
            Some(Some(list)) => html! {
                <div class="field">
                    <label for="snippet-poll">{ t(Key::SnippetPoll) }</label>
                    <select id="snippet-poll" aria-describedby="snippet-poll-hint" onchange={on_select(|c, v| c.poll = v)}>
                        { for list.iter().map(|v| html! {
                            <option value={v.poll.id.clone()} selected={v.poll.id == choice.poll}>
                                { format!("{} ({})", v.poll.question, t(phase_key(v.phase))) }
                            </option>
                        }) }
                    </select>
                    <p class="hint" id="snippet-poll-hint">{ t(Key::SnippetPollHint) }</p>
                </div>
            },
            Some(None) => html! {
                <div class="field">
                    <label for="snippet-poll-id">{ t(Key::SnippetPollId) }</label>
                    <input id="snippet-poll-id" type="text" spellcheck="false" aria-describedby="snippet-poll-id-hint"
                        value={choice.poll.clone()} oninput={on_input(|c, v| c.poll = v)} />
                    <p class="hint" id="snippet-poll-id-hint">{ t(Key::SnippetPollIdHint) }</p>
                </div>
            },
        }
    } else {
        html! {}
    };
    let discussion_fields = if *kind == Kind::Discussion {
        let on = choice.discussion_kind();
        let topic_field = if kind.needs_topic(&choice) {
            match &*topics {
                None => html! { <p class="loading">{ t(Key::CommonLoading) }</p> },
                Some(Some(list)) if !list.is_empty() => html! {
                    <div class="field">
                        <label for="snippet-topic">{ t(Key::SnippetTopic) }</label>
                        <select id="snippet-topic" onchange={on_select(|c, v| c.topic = v)}>
                            { for list.iter().map(|topic| html! {
                                <option value={topic.id.clone()} selected={topic.id == choice.topic}>{ &topic.title }</option>
                            }) }
                        </select>
                    </div>
                },
                Some(_) => html! {
                    <p id="snippet-no-topics">
                        { t(Key::SnippetNoTopics) }{ " " }
                        <a href={Screen::Topics.href()}>{ t(Key::SnippetTopicsLink) }</a>
                    </p>
                },
            }
        } else {
            html! {}
        };
        html! {
            <>
                <fieldset>
                    <legend>{ t(Key::SnippetDiscussionOn) }</legend>
                    { for [(ThreadKind::Topic, Key::SnippetDiscussionTopic),
                           (ThreadKind::Poll, Key::SnippetDiscussionPoll),
                           (ThreadKind::Initiative, Key::SnippetDiscussionInitiative)]
                        .into_iter().map(|(k, label)| {
                        let id = format!("snippet-discussion-{}", k.as_str());
                        let onchange = {
                            let choice = choice.clone();
                            Callback::from(move |e: Event| if is_checked(&e) {
                                let mut c = (*choice).clone();
                                c.discussion_on = Some(k);
                                choice.set(c);
                            })
                        };
                        html! {
                            <label class="choice" for={id.clone()}>
                                <input type="radio" name="snippet-discussion" id={id.clone()} checked={on == k} {onchange} />
                                { t(label) }
                            </label>
                        }
                    }) }
                </fieldset>
                { topic_field }
            </>
        }
    } else {
        html! {}
    };
    let list_fields = if *kind == Kind::List {
        let areas = settings
            .as_ref()
            .map(|s| s.public.areas.clone())
            .unwrap_or_default();
        let on_submit_toggle = {
            let choice = choice.clone();
            Callback::from(move |e: Event| {
                let mut c = (*choice).clone();
                c.no_submit = !is_checked(&e);
                choice.set(c);
            })
        };
        html! {
            <>
                if !areas.is_empty() {
                    <div class="field">
                        <label for="snippet-area">{ t(Key::SnippetArea) }</label>
                        <select id="snippet-area" onchange={on_select(|c, v| c.area = v)}>
                            <option value="" selected={choice.area.is_empty()}>{ t(Key::SnippetAreaAll) }</option>
                            { for areas.iter().map(|a| html! {
                                <option value={a.clone()} selected={*a == choice.area}>{ a }</option>
                            }) }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="snippet-limit">{ t(Key::SnippetLimit) }</label>
                    <input id="snippet-limit" type="number" min="1" max="100" placeholder="10"
                        value={choice.limit.clone()} oninput={on_input(|c, v| c.limit = v)} />
                </div>
                <label class="choice field-like" for="snippet-submit">
                    <input id="snippet-submit" type="checkbox" checked={!choice.no_submit} onchange={on_submit_toggle} />
                    { t(Key::SnippetSubmit) }
                </label>
            </>
        }
    } else {
        html! {}
    };

    let origins = settings.as_ref().map(|s| s.allowed_origins.clone());
    let reminder = html! {
        <section class="card" aria-labelledby="snippet-origins-title">
            <h2 id="snippet-origins-title">{ t(Key::SnippetOriginsTitle) }</h2>
            <p>{ t(Key::SnippetOrigins) }</p>
            { match origins {
                Some(list) if !list.is_empty() => html! {
                    <>
                        <p>{ t(Key::SnippetOriginsNow) }</p>
                        <ul id="snippet-origins">{ for list.iter().map(|o| html! { <li><code>{ o }</code></li> }) }</ul>
                    </>
                },
                Some(_) => html! { <p id="snippet-origins-none"><strong>{ t(Key::SnippetOriginsNone) }</strong></p> },
                None => html! {},
            } }
            if role.may(Screen::Settings) {
                <p><a href={Screen::Settings.href()} id="snippet-settings-link">{ t(Key::SnippetOriginsSettings) }</a></p>
            } else {
                <p>{ t(Key::SnippetOriginsAsk) }</p>
            }
            <p class="hint">{ fill(t(Key::SnippetCsp), &[("server", &choice.server)]) }</p>
        </section>
    };

    let result = match (&code, preview_snippet(*kind, &choice)) {
        (Some(code), Some(preview)) => {
            let lang_tag = if choice.lang.is_empty() {
                "nl"
            } else {
                choice.lang.as_str()
            };
            let dark = choice.theme == "dark";
            let page = preview_page(
                &preview,
                lang_tag,
                t(Key::SnippetPreviewTitle),
                t(kind.key()),
                dark,
            );
            let iframe = choice.form == Form::Iframe;
            let rule = stylesheet_rule(&choice).filter(|_| choice.style_in_sheet && !iframe);
            let resize = resize_script(&choice.server);
            html! {
                <>
                    <div class="field">
                        <label for="snippet-code">{ t(Key::SnippetCode) }</label>
                        <textarea id="snippet-code" class="code" readonly=true rows="4" spellcheck="false"
                            aria-describedby="snippet-code-hint" value={code.clone()} />
                        <p class="hint" id="snippet-code-hint">{ t(if iframe { Key::SnippetCodeHintIframe } else { Key::SnippetCodeHint }) }</p>
                        if iframe && look(&choice).is_some() {
                            <p class="hint" id="snippet-iframe-look">{ t(Key::SnippetIframeLook) }</p>
                        }
                    </div>
                    <CopyButton id={AttrValue::from("snippet-copy")} text={AttrValue::from(code.clone())}
                        label={AttrValue::from(t(Key::SnippetCopy))} />
                    if let Some(rule) = rule {
                        <div class="field">
                            <label for="snippet-css">{ t(Key::SnippetCss) }</label>
                            <textarea id="snippet-css" class="code" readonly=true rows="2" spellcheck="false"
                                aria-describedby="snippet-css-hint" value={rule.clone()} />
                            <p class="hint" id="snippet-css-hint">{ t(Key::SnippetCssHint) }</p>
                        </div>
                        <CopyButton id={AttrValue::from("snippet-css-copy")} text={AttrValue::from(rule)}
                            label={AttrValue::from(t(Key::SnippetCssCopy))} />
                    }
                    if iframe {
                        <h3>{ t(Key::SnippetResizeTitle) }</h3>
                        <div class="field">
                            <label for="snippet-resize">{ t(Key::SnippetResize) }</label>
                            <textarea id="snippet-resize" class="code" readonly=true rows="10" spellcheck="false"
                                aria-describedby="snippet-resize-hint" value={resize.clone()} />
                            <p class="hint" id="snippet-resize-hint">{ t(Key::SnippetResizeHint) }</p>
                        </div>
                        <CopyButton id={AttrValue::from("snippet-resize-copy")} text={AttrValue::from(resize)}
                            label={AttrValue::from(t(Key::SnippetResizeCopy))} />
                    }
                    <h2>{ t(Key::SnippetPreview) }</h2>
                    <p class="hint">{ t(Key::SnippetPreviewHint) }</p>
                    <iframe id="snippet-preview" class={classes!("snippet-preview", dark.then_some("dark"), matches!(*kind, Kind::List | Kind::Poll | Kind::Overlay | Kind::Discussion).then_some("tall"))}
                        title={t(Key::SnippetPreviewTitle)}
                        sandbox="allow-scripts allow-same-origin allow-forms allow-popups"
                        srcdoc={page} />
                </>
            }
        }
        _ => {
            let key = if kind.needs_topic(&choice) {
                Key::SnippetChooseTopic
            } else if kind.needs_poll(&choice) {
                Key::SnippetChoosePoll
            } else {
                Key::SnippetChooseInitiative
            };
            html! { <p id="snippet-incomplete">{ t(key) }</p> }
        }
    };

    // The look: an accent colour (with the contrast check) and a font.
    // A default that contrasts enough on light and dark backgrounds (the widgets' own dark accent).
    let picked = use_state(|| "#23804c".to_string());
    let accent = Accent::parse(&choice.accent);
    let look_fields = {
        let on_accent_toggle = {
            let choice = choice.clone();
            let picked = picked.clone();
            Callback::from(move |e: Event| {
                let mut c = (*choice).clone();
                c.accent = if is_checked(&e) {
                    (*picked).clone()
                } else {
                    String::new()
                };
                choice.set(c);
            })
        };
        let on_colour = {
            let choice = choice.clone();
            let picked = picked.clone();
            Callback::from(move |e: InputEvent| {
                let value = input_text(&e);
                picked.set(value.clone());
                let mut c = (*choice).clone();
                c.accent = value;
                choice.set(c);
            })
        };
        let on_font = {
            let choice = choice.clone();
            Callback::from(move |e: Event| {
                let value = select_value(&e);
                let mut c = (*choice).clone();
                c.font = Font::ALL
                    .into_iter()
                    .find(|f| f.id() == value)
                    .unwrap_or_default();
                choice.set(c);
            })
        };
        let on_sheet = {
            let choice = choice.clone();
            Callback::from(move |e: Event| {
                let mut c = (*choice).clone();
                c.style_in_sheet = is_checked(&e);
                choice.set(c);
            })
        };
        let ratio = |r: f64| {
            let text = ratio_text(r);
            if lang == Lang::Nl {
                text.replace('.', ",")
            } else {
                text
            }
        };
        let warnings = accent
            .map(|a| Shortfalls::of(a, &choice.theme))
            .filter(Shortfalls::any);
        html! {
            <fieldset>
                <legend>{ t(Key::SnippetLook) }</legend>
                <label class="choice field-like" for="snippet-accent-on">
                    <input id="snippet-accent-on" type="checkbox" checked={accent.is_some()} onchange={on_accent_toggle} />
                    { t(Key::SnippetAccentOwn) }
                </label>
                if accent.is_some() {
                    <div class="field">
                        <label for="snippet-accent">{ t(Key::SnippetAccent) }</label>
                        <input id="snippet-accent" type="color" value={accent.map(Accent::hex).unwrap_or_default()}
                            aria-describedby="snippet-accent-hint" oninput={on_colour} />
                        <p class="hint" id="snippet-accent-hint">{ t(Key::SnippetAccentHint) }</p>
                    </div>
                }
                <div role="status" id="snippet-contrast">
                    if let Some(w) = warnings {
                        <div class="warning" id="snippet-contrast-warning">
                            <p><strong>{ t(Key::SnippetContrastTitle) }</strong></p>
                            <ul>
                                if let Some(r) = w.text {
                                    <li>{ fill(t(Key::SnippetContrastText), &[("ratio", &ratio(r))]) }</li>
                                }
                                if let Some(r) = w.light {
                                    <li>{ fill(t(Key::SnippetContrastLight), &[("ratio", &ratio(r))]) }</li>
                                }
                                if let Some(r) = w.dark {
                                    <li>{ fill(t(Key::SnippetContrastDark), &[("ratio", &ratio(r))]) }</li>
                                }
                            </ul>
                        </div>
                    }
                </div>
                <div class="field">
                    <label for="snippet-font">{ t(Key::SnippetFont) }</label>
                    <select id="snippet-font" onchange={on_font}>
                        { for Font::ALL.into_iter().map(|f| html! {
                            <option value={f.id()} selected={f == choice.font}>{ t(f.key()) }</option>
                        }) }
                    </select>
                </div>
                <label class="choice field-like" for="snippet-style-sheet">
                    <input id="snippet-style-sheet" type="checkbox" checked={choice.style_in_sheet}
                        aria-describedby="snippet-style-sheet-hint" onchange={on_sheet} />
                    { t(Key::SnippetStyleSheet) }
                </label>
                <p class="hint" id="snippet-style-sheet-hint">{ t(Key::SnippetStyleSheetHint) }</p>
            </fieldset>
        }
    };
    let form_fields = html! {
        <fieldset>
            <legend>{ t(Key::SnippetForm) }</legend>
            { for [(Form::Script, "script", Key::SnippetFormScript, Key::SnippetFormScriptHint),
                   (Form::Iframe, "iframe", Key::SnippetFormIframe, Key::SnippetFormIframeHint)]
                .into_iter().map(|(form, id, label, hint)| {
                let id = format!("snippet-form-{id}");
                let hint_id = format!("{id}-hint");
                let onchange = {
                    let choice = choice.clone();
                    Callback::from(move |e: Event| if is_checked(&e) {
                        let mut c = (*choice).clone();
                        c.form = form;
                        choice.set(c);
                    })
                };
                html! {
                    <div class="choice-with-hint">
                        <label class="choice" for={id.clone()}>
                            <input type="radio" name="snippet-form" id={id.clone()} checked={choice.form == form}
                                aria-describedby={hint_id.clone()} {onchange} />
                            { t(label) }
                        </label>
                        <p class="hint" id={hint_id}>{ t(hint) }</p>
                    </div>
                }
            }) }
        </fieldset>
    };

    // Whether the chosen poll is still a draft: the widget then says "not open yet".
    let draft_note = match (&*polls, kind.needs_poll(&choice)) {
        (Some(Some(list)), true) => list
            .iter()
            .find(|v| v.poll.id == choice.poll)
            .filter(|v| v.phase == Phase::Draft)
            .map(|_| html! { <p class="hint" id="snippet-draft">{ t(Key::SnippetPollDraft) }</p> })
            .unwrap_or_default(),
        _ => html! {},
    };

    html! {
        <>
            <Heading text={t(Key::SnippetTitle)} />
            <ErrorAlert id={AttrValue::from("snippet-load-error")} error={(*load_error).clone()} />
            <p>{ t(Key::SnippetIntro) }</p>
            <form class="card snippet-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { kinds }
                { discussion_fields }
                { initiative_field }
                { poll_field }
                { draft_note }
                { list_fields }
                <div class="field">
                    <label for="snippet-lang">{ t(Key::SnippetLang) }</label>
                    <select id="snippet-lang" onchange={on_select(|c, v| c.lang = v)}>
                        <option value="" selected={choice.lang.is_empty()}>{ t(Key::SnippetLangNl) }</option>
                        <option value="en" selected={choice.lang == "en"}>{ t(Key::SnippetLangEn) }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="snippet-theme">{ t(Key::SnippetTheme) }</label>
                    <select id="snippet-theme" onchange={on_select(|c, v| c.theme = v)}>
                        <option value="" selected={choice.theme.is_empty()}>{ t(Key::SnippetThemeAuto) }</option>
                        <option value="light" selected={choice.theme == "light"}>{ t(Key::SnippetThemeLight) }</option>
                        <option value="dark" selected={choice.theme == "dark"}>{ t(Key::SnippetThemeDark) }</option>
                    </select>
                </div>
                { look_fields }
                { form_fields }
            </form>
            <section aria-labelledby="snippet-result-title">
                <h2 id="snippet-result-title">{ t(Key::SnippetResult) }</h2>
                { result }
            </section>
            { reminder }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice() -> Choice {
        Choice {
            server: "https://mekaar.example.nl".into(),
            community: "baarlo".into(),
            initiative: "abc123".into(),
            poll: "p9".into(),
            topic: "t7".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_support_snippet_is_the_readme_form_with_a_fallback_link() {
        assert_eq!(
            snippet(Kind::Support, &choice()).unwrap(),
            "<script async src=\"https://mekaar.example.nl/embed.js\"></script>\n\
             <div data-mekaar=\"support\" data-community=\"baarlo\" data-initiative=\"abc123\">\
             <a href=\"https://mekaar.example.nl/embed/support?community=baarlo&amp;initiative=abc123\">\
             Steun dit initiatief op Mekaar</a></div>"
        );
    }

    #[test]
    fn options_become_attributes_and_the_fallback_query() {
        let mut c = choice();
        c.lang = "en".into();
        c.theme = "dark".into();
        assert!(snippet(Kind::Overlay, &c).unwrap().ends_with(
            "<div data-mekaar=\"poll\" data-community=\"baarlo\" data-poll=\"p9\" data-view=\"overlay\" data-lang=\"en\" data-theme=\"dark\">\
             <a href=\"https://mekaar.example.nl/embed/poll?community=baarlo&amp;poll=p9&amp;view=overlay&amp;lang=en&amp;theme=dark\">\
             See this poll's results on Mekaar</a></div>"
        ));
        c.area = "Kloosterbuurt & \"Oost\"".into();
        c.limit = "5".into();
        c.no_submit = true;
        let list = snippet(Kind::List, &c).unwrap();
        assert!(list.contains(
            "data-area=\"Kloosterbuurt &amp; &quot;Oost&quot;\" data-limit=\"5\" data-submit=\"false\""
        ));
        assert!(list.contains(
            "/embed/initiatives?community=baarlo&amp;area=Kloosterbuurt%20%26%20%22Oost%22&amp;limit=5&amp;submit=false&amp;lang=en&amp;theme=dark\""
        ), "{list}");
        assert!(!list.contains("data-initiative"));
    }

    #[test]
    fn only_the_preview_says_it_is_a_preview() {
        let mut c = choice();
        for kind in Kind::ALL {
            for form in [Form::Script, Form::Iframe] {
                c.form = form;
                assert!(
                    !snippet(kind, &c).unwrap().contains("preview"),
                    "{kind:?} {form:?}"
                );
            }
            let preview = preview_snippet(kind, &c).unwrap();
            assert!(preview.contains(" data-preview=\"true\""), "{preview}");
            assert!(
                preview.contains("<a href=\"https://mekaar.example.nl/embed/"),
                "{preview}"
            );
        }
    }

    #[test]
    fn the_iframe_snippet_is_the_embed_page_with_the_same_parameters() {
        let mut c = choice();
        c.form = Form::Iframe;
        c.lang = "en".into();
        assert_eq!(
            snippet(Kind::Support, &c).unwrap(),
            "<iframe src=\"https://mekaar.example.nl/embed/support?community=baarlo&amp;initiative=abc123&amp;lang=en\" \
             title=\"Mekaar: support this initiative\" loading=\"lazy\" style=\"width:100%;border:0;height:160px\"></iframe>"
        );
        c.lang.clear();
        let poll = snippet(Kind::Poll, &c).unwrap();
        assert!(poll.starts_with("<iframe src=\"https://mekaar.example.nl/embed/poll?community=baarlo&amp;poll=p9\" title=\"Mekaar: peiling\""), "{poll}");
        // The look does not go into a frame.
        c.accent = "#ffee00".into();
        assert!(!snippet(Kind::Poll, &c).unwrap().contains("--mekaar"));
        let resize = resize_script("https://mekaar.example.nl");
        assert!(
            resize.contains("e.origin !== \"https://mekaar.example.nl\""),
            "{resize}"
        );
        assert!(resize.contains("e.data.mekaar !== \"height\""), "{resize}");
        assert!(
            resize.contains("iframe[src^=\"https://mekaar.example.nl/embed/\"]"),
            "{resize}"
        );
    }

    #[test]
    fn the_look_goes_in_a_style_attribute_or_a_stylesheet_rule() {
        let mut c = choice();
        assert_eq!(look(&c), None);
        assert!(!snippet(Kind::Support, &c).unwrap().contains("style="));
        c.accent = "#FFEE00".into();
        c.font = Font::Inherit;
        let code = snippet(Kind::Support, &c).unwrap();
        assert!(code.contains(
            " style=\"--mekaar-accent:#ffee00;--mekaar-accent-contrast:#1f2328;--mekaar-font:inherit\">"
        ), "{code}");
        c.accent = "#0b6e3f".into();
        c.font = Font::System;
        assert_eq!(
            stylesheet_rule(&c).unwrap(),
            "[data-mekaar]{--mekaar-accent:#0b6e3f;--mekaar-accent-contrast:#ffffff;--mekaar-font:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
        );
        c.style_in_sheet = true;
        assert!(!snippet(Kind::Support, &c).unwrap().contains("style="));
    }

    #[test]
    fn luminance_and_contrast_follow_wcag() {
        let close = |a: f64, b: f64| (a - b).abs() < 0.01;
        assert!(close(WHITE.luminance(), 1.0));
        assert!(close(Accent([0, 0, 0]).luminance(), 0.0));
        assert!(close(WHITE.contrast(Accent([0, 0, 0])), 21.0));
        assert!(close(Accent([0, 0, 0]).contrast(WHITE), 21.0));
        assert!(close(WHITE.contrast(WHITE), 1.0));
        // Known pairs: #767676 on white is the lightest grey with 4.5:1; #777777 just fails.
        assert!(Accent::parse("#767676").unwrap().contrast(WHITE) >= 4.5);
        assert!(Accent::parse("#777777").unwrap().contrast(WHITE) < 4.5);
        assert!(close(
            Accent::parse("#ff0000").unwrap().contrast(WHITE),
            4.0
        ));
        assert!(close(
            Accent::parse("#0000ff").unwrap().contrast(WHITE),
            8.59
        ));
    }

    #[test]
    fn colours_parse_in_the_usual_forms() {
        assert_eq!(Accent::parse("#0B6E3F"), Some(Accent([0x0b, 0x6e, 0x3f])));
        assert_eq!(Accent::parse("fe0"), Some(Accent([0xff, 0xee, 0x00])));
        assert_eq!(Accent::parse(" #abc "), Some(Accent([0xaa, 0xbb, 0xcc])));
        for bad in [
            "", "#", "#12", "#12345", "#gggggg", "#1234567", "red", "#+1+2+3",
        ] {
            assert_eq!(Accent::parse(bad), None, "{bad}");
        }
        assert_eq!(Accent([0x0b, 0x6e, 0x3f]).hex(), "#0b6e3f");
    }

    #[test]
    fn the_text_on_the_accent_is_the_better_of_white_and_near_black() {
        let on = |hex: &str| Accent::parse(hex).unwrap().on_accent();
        assert_eq!(on("#0b6e3f"), WHITE);
        assert_eq!(on("#000080"), WHITE);
        assert_eq!(on("#ffee00"), NEAR_BLACK);
        assert_eq!(on("#7fd1a7"), NEAR_BLACK);
    }

    #[test]
    fn the_builder_warns_where_the_accent_falls_short() {
        // A pale yellow: fine under near-black text, but invisible on the light background.
        let pale = Shortfalls::of(Accent::parse("#ffee00").unwrap(), "");
        assert_eq!(pale.text, None);
        assert!(pale.light.is_some_and(|r| r < 1.5), "{pale:?}");
        assert_eq!(pale.dark, None);
        assert!(pale.any());
        // With a dark theme only, the same yellow is fine.
        assert!(!Shortfalls::of(Accent::parse("#ffee00").unwrap(), "dark").any());
        // The widgets' own green passes on light; a mid-tone fails text either way.
        assert!(!Shortfalls::of(Accent::parse("#0b6e3f").unwrap(), "light").any());
        let mid = Shortfalls::of(Accent::parse("#808080").unwrap(), "light");
        assert!(mid.text.is_some_and(|r| r < 4.5), "{mid:?}");
        // A dark navy is lost on the dark background.
        assert!(Shortfalls::of(Accent::parse("#000080").unwrap(), "dark")
            .dark
            .is_some());
        // Rounded down: 4.47 never reads as 4.5.
        assert_eq!(ratio_text(4.47), "4.4");
        assert_eq!(ratio_text(21.0), "21.0");
    }

    #[test]
    fn a_discussion_names_its_topic_poll_or_initiative() {
        let mut c = choice();
        // A topic by default, and none chosen yet: no snippet.
        c.topic.clear();
        assert_eq!(snippet(Kind::Discussion, &c), None);
        c.topic = "t7".into();
        assert_eq!(
            snippet(Kind::Discussion, &c).unwrap(),
            "<script async src=\"https://mekaar.example.nl/embed.js\"></script>\n\
             <div data-mekaar=\"discussion\" data-community=\"baarlo\" data-topic=\"t7\">\
             <a href=\"https://mekaar.example.nl/embed/discussion?community=baarlo&amp;topic=t7\">\
             Praat mee op Mekaar</a></div>"
        );
        c.discussion_on = Some(ThreadKind::Poll);
        let code = snippet(Kind::Discussion, &c).unwrap();
        assert!(code.contains("data-poll=\"p9\">"), "{code}");
        assert!(!code.contains("data-topic"), "{code}");
        c.discussion_on = Some(ThreadKind::Initiative);
        let code = snippet(Kind::Discussion, &c).unwrap();
        assert!(code.contains("data-initiative=\"abc123\">"), "{code}");
        assert_eq!(
            discussion_snippet("https://m.example", "baarlo", ThreadKind::Topic, "t\"1"),
            "<script async src=\"https://m.example/embed.js\"></script>\n\
             <div data-mekaar=\"discussion\" data-community=\"baarlo\" data-topic=\"t&quot;1\">\
             <a href=\"https://m.example/embed/discussion?community=baarlo&amp;topic=t%221\">\
             Praat mee op Mekaar</a></div>"
        );
    }

    #[test]
    fn no_snippet_without_what_it_needs() {
        let mut c = choice();
        c.poll.clear();
        assert_eq!(snippet(Kind::Poll, &c), None);
        assert!(snippet(Kind::Card, &c).is_some());
    }
}
