//! The settings screen (community admins only): the community's settings, its access
//! tokens, and its webhooks with their delivery log.

use mekaar_api::admin::{MailCounts, TokenCreate, TokenCreated, TokenInfo, TokenList};
use mekaar_api::discussions::{limits as reaction_limits, ReactionSettings};
use mekaar_api::{
    CommunityAdmin, DeliveryAttempt, ModerationPolicy, Webhook, WebhookCreate, WebhookCreated,
    WebhookEvent, RETENTION_DAYS_MAX, RETENTION_DAYS_MIN,
};
use serde::Serialize;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::kit::{focus_selector, ConfirmBox};
use super::{format_time, CopyButton, ErrorAlert, Heading, Loading, Status};
use crate::api::{self, ApiError};
use crate::i18n::{fill, use_lang, Key, Lang};
use crate::session::{use_session, Role, RoleInConsole, SessionInfo};

#[function_component(Settings)]
pub fn settings() -> Html {
    let lang = use_lang().lang;
    html! {
        <>
            <Heading text={Key::SettingsTitle.text(lang)} />
            <CommunityForm />
            <ReactionsForm />
            <MailSection />
            <Tokens />
            <Webhooks />
        </>
    }
}

/// The form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    name: String,
    languages: String,
    areas: String,
    themes: String,
    threshold: String,
    pre: bool,
    origins: String,
    reports: String,
    retention: String,
    /// The host site's initiatives page; empty: none.
    page: String,
    /// The sender of the community's e-mail; empty: the server's default.
    mail_from: String,
}

impl Form {
    fn from(c: &CommunityAdmin) -> Form {
        Form {
            name: c.public.name.clone(),
            languages: c.public.languages.join(", "),
            areas: c.public.areas.join("\n"),
            themes: c.public.themes.join("\n"),
            threshold: c.public.support_threshold.to_string(),
            pre: c.public.moderation == ModerationPolicy::Pre,
            origins: c.allowed_origins.join("\n"),
            reports: c.reports_before_hide.to_string(),
            retention: c.retention_days.map(|d| d.to_string()).unwrap_or_default(),
            page: c.public.initiatives_page.clone().unwrap_or_default(),
            mail_from: c.mail_from.clone().unwrap_or_default(),
        }
    }
}

/// Body of `PATCH …/communities/{c}`: every setting, always (`retention_days: null` keeps
/// personal data).
#[derive(Serialize)]
struct Patch {
    name: String,
    languages: Vec<String>,
    areas: Vec<String>,
    themes: Vec<String>,
    support_threshold: u64,
    moderation: ModerationPolicy,
    allowed_origins: Vec<String>,
    reports_before_hide: u32,
    retention_days: Option<u32>,
    /// `null` removes it; the server checks the address.
    initiatives_page: Option<String>,
    /// `null`: the server's default sender.
    mail_from: Option<String>,
}

/// Non-empty trimmed lines.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Language codes separated by commas or spaces.
fn codes(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// A field error found in the browser or named by the server: `(field, message)`.
type FieldError = (String, String);

impl Form {
    /// The PATCH body, or the first field that is not a number where one is needed.
    fn patch(&self, lang: Lang) -> Result<Patch, FieldError> {
        let number = |field: &str, text: &str| -> Result<u64, FieldError> {
            text.trim()
                .parse::<u64>()
                .map_err(|_| (field.to_string(), Key::ErrNotANumber.text(lang).to_string()))
        };
        let small = |field: &str, n: u64| -> Result<u32, FieldError> {
            u32::try_from(n)
                .map_err(|_| (field.to_string(), Key::ErrNotANumber.text(lang).to_string()))
        };
        let retention = if self.retention.trim().is_empty() {
            None
        } else {
            Some(small(
                "retention_days",
                number("retention_days", &self.retention)?,
            )?)
        };
        Ok(Patch {
            name: self.name.trim().to_string(),
            languages: codes(&self.languages),
            areas: lines(&self.areas),
            themes: lines(&self.themes),
            support_threshold: number("support_threshold", &self.threshold)?,
            moderation: if self.pre {
                ModerationPolicy::Pre
            } else {
                ModerationPolicy::Post
            },
            allowed_origins: lines(&self.origins),
            reports_before_hide: small(
                "reports_before_hide",
                number("reports_before_hide", &self.reports)?,
            )?,
            retention_days: retention,
            initiatives_page: Some(self.page.trim().to_string()).filter(|p| !p.is_empty()),
            mail_from: Some(self.mail_from.trim().to_string()).filter(|m| !m.is_empty()),
        })
    }
}

/// The id of a field's input.
fn field_id(field: &str) -> String {
    format!("setting-{}", field.replace('_', "-"))
}

#[function_component(CommunityForm)]
fn community_form() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let loaded = use_state(|| None::<Result<CommunityAdmin, ApiError>>);
    let form = use_state(Form::default);
    let field_error = use_state(|| None::<FieldError>);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| None::<AttrValue>);
    let busy = use_state(|| false);

    {
        let (loaded, form) = (loaded.clone(), form.clone());
        let community = community.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<CommunityAdmin>(&api::admin_path(&community, "")).await;
                if let Ok(c) = &answer {
                    form.set(Form::from(c));
                }
                loaded.set(Some(answer));
            });
        });
    }

    // After a refused save, the focus goes to the field the error is about.
    use_effect_with((*field_error).clone(), |e| {
        if let Some((field, _)) = e {
            focus_selector(&format!("#{}", field_id(field)));
        }
    });

    let onsubmit = {
        let (form, field_error, error, saved, busy, loaded) = (
            form.clone(),
            field_error.clone(),
            error.clone(),
            saved.clone(),
            busy.clone(),
            loaded.clone(),
        );
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            saved.set(None);
            error.set(None);
            let patch = match form.patch(lang) {
                Ok(p) => p,
                Err(fe) => {
                    field_error.set(Some(fe));
                    return;
                }
            };
            field_error.set(None);
            busy.set(true);
            let (form, field_error, error, saved, busy, loaded) = (
                form.clone(),
                field_error.clone(),
                error.clone(),
                saved.clone(),
                busy.clone(),
                loaded.clone(),
            );
            let session = session.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let path = api::admin_path(&session.info.community, "");
                let answer = api::patch::<_, CommunityAdmin>(&path, &patch).await;
                busy.set(false);
                match answer {
                    Ok(c) => {
                        form.set(Form::from(&c));
                        saved.set(Some(Key::CommonSaved.text(lang).into()));
                        session.update.emit(SessionInfo {
                            community_name: c.public.name.clone(),
                            ..(*session.info).clone()
                        });
                        loaded.set(Some(Ok(c)));
                    }
                    Err(e) => {
                        if let Some(field) = e.field.clone() {
                            field_error.set(Some((field, e.rule_text(lang))));
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };

    let body = match &*loaded {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(c)) => {
            let fe = (*field_error).clone();
            // Attributes of a field's input: its error, if the error is about it.
            let invalid = |field: &str| {
                fe.as_ref()
                    .is_some_and(|(f, _)| f == field)
                    .then_some("true")
            };
            let describedby = |field: &str, hint: bool| {
                let mut ids = Vec::new();
                if hint {
                    ids.push(format!("{}-hint", field_id(field)));
                }
                if fe.as_ref().is_some_and(|(f, _)| f == field) {
                    ids.push(format!("{}-error", field_id(field)));
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            };
            let error_of = |field: &str| match &fe {
                Some((f, message)) if f == field => html! {
                    <p class="field-error" id={format!("{}-error", field_id(field))}>{ message }</p>
                },
                _ => html! {},
            };
            let text_input = |field: &'static str,
                              label: Key,
                              value: &str,
                              set: fn(&mut Form, String)| {
                let form = form.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let mut f = (*form).clone();
                    set(
                        &mut f,
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    );
                    form.set(f);
                });
                html! {
                    <div class="field">
                        <label for={field_id(field)}>{ t(label) }</label>
                        <input type="text" id={field_id(field)} value={value.to_string()} {oninput}
                            aria-invalid={invalid(field)} aria-describedby={describedby(field, false)} />
                        { error_of(field) }
                    </div>
                }
            };
            let number_input = |field: &'static str,
                                label: Key,
                                hint: Option<Key>,
                                value: &str,
                                set: fn(&mut Form, String)| {
                let form = form.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let mut f = (*form).clone();
                    set(
                        &mut f,
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    );
                    form.set(f);
                });
                html! {
                    <div class="field">
                        <label for={field_id(field)}>{ t(label) }</label>
                        { hint.map(|h| html! { <p class="hint" id={format!("{}-hint", field_id(field))}>{ t(h) }</p> }).unwrap_or_default() }
                        <input type="number" min={if field == "retention_days" { RETENTION_DAYS_MIN } else { 1 }.to_string()}
                            max={(field == "retention_days").then(|| RETENTION_DAYS_MAX.to_string())}
                            inputmode="numeric" id={field_id(field)} value={value.to_string()} {oninput}
                            aria-invalid={invalid(field)} aria-describedby={describedby(field, hint.is_some())} />
                        { error_of(field) }
                    </div>
                }
            };
            let list_input = |field: &'static str,
                              label: Key,
                              hint: Key,
                              value: &str,
                              set: fn(&mut Form, String)| {
                let form = form.clone();
                let oninput = Callback::from(move |e: InputEvent| {
                    let mut f = (*form).clone();
                    set(
                        &mut f,
                        e.target_unchecked_into::<HtmlTextAreaElement>().value(),
                    );
                    form.set(f);
                });
                html! {
                    <div class="field">
                        <label for={field_id(field)}>{ t(label) }</label>
                        <p class="hint" id={format!("{}-hint", field_id(field))}>{ t(hint) }</p>
                        <textarea id={field_id(field)} rows="4" value={value.to_string()} {oninput}
                            aria-invalid={invalid(field)} aria-describedby={describedby(field, true)} />
                        { error_of(field) }
                    </div>
                }
            };
            let set_pre = |pre: bool| {
                let form = form.clone();
                Callback::from(move |_: Event| {
                    let mut f = (*form).clone();
                    f.pre = pre;
                    form.set(f);
                })
            };
            let f = &*form;
            html! {
                <form class="card" id="community-form" onsubmit={onsubmit} novalidate=true>
                    <p class="hint">{ fill(t(Key::SettingsSlug), &[("slug", &c.public.slug)]) }</p>
                    { text_input("name", Key::SettingsName, &f.name, |f, v| f.name = v) }
                    <div class="field">
                        <label for={field_id("languages")}>{ t(Key::SettingsLanguages) }</label>
                        <p class="hint" id={format!("{}-hint", field_id("languages"))}>{ t(Key::SettingsLanguagesHint) }</p>
                        <input type="text" id={field_id("languages")} value={f.languages.clone()}
                            oninput={{
                                let form = form.clone();
                                Callback::from(move |e: InputEvent| {
                                    let mut f = (*form).clone();
                                    f.languages = e.target_unchecked_into::<HtmlInputElement>().value();
                                    form.set(f);
                                })
                            }}
                            aria-invalid={invalid("languages")} aria-describedby={describedby("languages", true)} />
                        { error_of("languages") }
                    </div>
                    { list_input("areas", Key::SettingsAreas, Key::SettingsOnePerLine, &f.areas, |f, v| f.areas = v) }
                    { list_input("themes", Key::SettingsThemes, Key::SettingsOnePerLine, &f.themes, |f, v| f.themes = v) }
                    { number_input("support_threshold", Key::SettingsThreshold, None, &f.threshold, |f, v| f.threshold = v) }
                    <fieldset>
                        <legend>{ t(Key::SettingsModeration) }</legend>
                        <label class="choice" for="setting-moderation-pre">
                            <input type="radio" id="setting-moderation-pre" name="moderation"
                                checked={f.pre} onchange={set_pre(true)} />
                            { t(Key::SettingsModerationPre) }
                        </label>
                        <label class="choice" for="setting-moderation-post">
                            <input type="radio" id="setting-moderation-post" name="moderation"
                                checked={!f.pre} onchange={set_pre(false)} />
                            { t(Key::SettingsModerationPost) }
                        </label>
                        { error_of("moderation") }
                    </fieldset>
                    { list_input("allowed_origins", Key::SettingsOrigins, Key::SettingsOriginsHint, &f.origins, |f, v| f.origins = v) }
                    <div class="field">
                        <label for={field_id("initiatives_page")}>{ t(Key::SettingsInitiativesPage) }</label>
                        <p class="hint" id={format!("{}-hint", field_id("initiatives_page"))}>{ t(Key::SettingsInitiativesPageHint) }</p>
                        <input type="url" id={field_id("initiatives_page")} value={f.page.clone()}
                            maxlength={mekaar_api::INITIATIVES_PAGE_MAX.to_string()} spellcheck="false"
                            oninput={{
                                let form = form.clone();
                                Callback::from(move |e: InputEvent| {
                                    let mut f = (*form).clone();
                                    f.page = e.target_unchecked_into::<HtmlInputElement>().value();
                                    form.set(f);
                                })
                            }}
                            aria-invalid={invalid("initiatives_page")} aria-describedby={describedby("initiatives_page", true)} />
                        { error_of("initiatives_page") }
                    </div>
                    { number_input("reports_before_hide", Key::SettingsReports, None, &f.reports, |f, v| f.reports = v) }
                    { number_input("retention_days", Key::SettingsRetention, Some(Key::SettingsRetentionHint), &f.retention, |f, v| f.retention = v) }
                    <div class="field">
                        <label for={field_id("mail_from")}>{ t(Key::SettingsMailFrom) }</label>
                        <p class="hint" id={format!("{}-hint", field_id("mail_from"))}>{ t(Key::SettingsMailFromHint) }</p>
                        <input type="text" id={field_id("mail_from")} value={f.mail_from.clone()}
                            maxlength={mekaar_api::MAIL_FROM_MAX.to_string()} spellcheck="false" autocomplete="off"
                            oninput={{
                                let form = form.clone();
                                Callback::from(move |e: InputEvent| {
                                    let mut f = (*form).clone();
                                    f.mail_from = e.target_unchecked_into::<HtmlInputElement>().value();
                                    form.set(f);
                                })
                            }}
                            aria-invalid={invalid("mail_from")} aria-describedby={describedby("mail_from", true)} />
                        { error_of("mail_from") }
                    </div>
                    <ErrorAlert error={(*error).clone()} id="settings-error" />
                    <Status text={(*saved).clone()} id="settings-saved" />
                    <div class="actions">
                        <button type="submit" class="primary" id="settings-save"
                            aria-disabled={busy.then_some("true")}>
                            { if *busy { t(Key::CommonSaving) } else { t(Key::SettingsSaveCommunity) } }
                        </button>
                    </div>
                </form>
            }
        }
    };
    html! {
        <section aria-labelledby="settings-community-title">
            <h2 id="settings-community-title">{ t(Key::SettingsCommunity) }</h2>
            { body }
        </section>
    }
}

/// The community's e-mail: whether it is sent, and how much went where.
#[function_component(MailSection)]
fn mail_section() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let path = api::admin_path(&session.info.community, "/mail");
    let counts = use_state(|| None::<Result<MailCounts, ApiError>>);
    {
        let counts = counts.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                counts.set(Some(api::get::<MailCounts>(&path).await));
            });
        });
    }
    let body = match &*counts {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} id="mail-error" /> },
        Some(Ok(c)) => {
            let row = |key: Key, n: u64| {
                html! { <><dt>{ t(key) }</dt><dd>{ n.to_string() }</dd></> }
            };
            html! {
                <>
                    <p id="mail-enabled">{ t(if c.enabled { Key::SettingsMailOn } else { Key::SettingsMailOff }) }</p>
                    <dl class="facts" id="mail-counts">
                        { row(Key::SettingsMailSubscribers, c.subscribers) }
                        { row(Key::SettingsMailQueued, c.queued) }
                        { row(Key::SettingsMailSent, c.sent) }
                        { row(Key::SettingsMailFailed, c.failed) }
                        { row(Key::SettingsMailBounced, c.bounced) }
                    </dl>
                </>
            }
        }
    };
    html! {
        <section aria-labelledby="settings-mail-title">
            <h2 id="settings-mail-title">{ t(Key::SettingsMail) }</h2>
            { body }
        </section>
    }
}

/// The reactions form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct ReactionForm {
    pre: bool,
    hold_words: String,
    hold_links: bool,
    first_waits: bool,
    reports: String,
    per_key: String,
    per_network: String,
}

impl ReactionForm {
    fn from(s: &ReactionSettings) -> ReactionForm {
        ReactionForm {
            pre: s.moderation == ModerationPolicy::Pre,
            hold_words: s.hold_words.join("\n"),
            hold_links: s.hold_links,
            first_waits: s.first_reaction_waits,
            reports: s.reports_before_hide.to_string(),
            per_key: s.per_key_per_10_minutes.to_string(),
            per_network: s.per_network_per_hour.to_string(),
        }
    }

    /// The settings to send as a whole, or the first field the browser can already refuse
    /// (a number that is not one, too many or too long hold words); the server checks the
    /// rest and names the field it refuses.
    fn settings(&self, lang: Lang) -> Result<ReactionSettings, FieldError> {
        let number = |field: &str, text: &str| -> Result<u32, FieldError> {
            text.trim()
                .parse::<u32>()
                .map_err(|_| (field.to_string(), Key::ErrNotANumber.text(lang).to_string()))
        };
        let mut words: Vec<String> = Vec::new();
        for word in lines(&self.hold_words) {
            if !words
                .iter()
                .any(|w| w.to_lowercase() == word.to_lowercase())
            {
                words.push(word);
            }
        }
        let too_long = words
            .iter()
            .any(|w| w.chars().count() > reaction_limits::HOLD_WORD);
        if words.len() > reaction_limits::HOLD_WORDS || too_long {
            return Err((
                "hold_words".into(),
                fill(
                    Key::RuleHoldWords.text(lang),
                    &[
                        ("words", &reaction_limits::HOLD_WORDS.to_string()),
                        ("wordchars", &reaction_limits::HOLD_WORD.to_string()),
                    ],
                ),
            ));
        }
        Ok(ReactionSettings {
            moderation: if self.pre {
                ModerationPolicy::Pre
            } else {
                ModerationPolicy::Post
            },
            hold_words: words,
            hold_links: self.hold_links,
            first_reaction_waits: self.first_waits,
            reports_before_hide: number("reports_before_hide", &self.reports)?,
            per_key_per_10_minutes: number("per_key_per_10_minutes", &self.per_key)?,
            per_network_per_hour: number("per_network_per_hour", &self.per_network)?,
        })
    }
}

/// Body of `PATCH …/communities/{c}` with the reactions settings only.
#[derive(Serialize)]
struct ReactionsPatch {
    reactions: ReactionSettings,
}

/// The id of a reactions field's input (`reactions.` prefix of the server's field name
/// dropped).
fn reaction_field_id(field: &str) -> String {
    format!(
        "rsetting-{}",
        field.trim_start_matches("reactions.").replace('_', "-")
    )
}

/// How residents' reactions are moderated and limited.
#[function_component(ReactionsForm)]
fn reactions_form() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let community = session.info.community.clone();
    let loaded = use_state(|| None::<Result<(), ApiError>>);
    let form = use_state(ReactionForm::default);
    let field_error = use_state(|| None::<FieldError>);
    let error = use_state(|| None::<ApiError>);
    let saved = use_state(|| None::<AttrValue>);
    let busy = use_state(|| false);

    {
        let (loaded, form) = (loaded.clone(), form.clone());
        let community = community.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::get::<CommunityAdmin>(&api::admin_path(&community, "")).await;
                if let Ok(c) = &answer {
                    form.set(ReactionForm::from(&c.reactions));
                }
                loaded.set(Some(answer.map(|_| ())));
            });
        });
    }
    use_effect_with((*field_error).clone(), |e| {
        if let Some((field, _)) = e {
            focus_selector(&format!("#{}", reaction_field_id(field)));
        }
    });

    let onsubmit = {
        let (form, field_error, error, saved, busy) = (
            form.clone(),
            field_error.clone(),
            error.clone(),
            saved.clone(),
            busy.clone(),
        );
        let path = api::admin_path(&community, "");
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            saved.set(None);
            error.set(None);
            let settings = match form.settings(lang) {
                Ok(s) => s,
                Err(fe) => {
                    field_error.set(Some(fe));
                    return;
                }
            };
            field_error.set(None);
            busy.set(true);
            let (form, field_error, error, saved, busy) = (
                form.clone(),
                field_error.clone(),
                error.clone(),
                saved.clone(),
                busy.clone(),
            );
            let path = path.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let body = ReactionsPatch {
                    reactions: settings,
                };
                let answer = api::patch::<_, CommunityAdmin>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(c) => {
                        form.set(ReactionForm::from(&c.reactions));
                        saved.set(Some(Key::CommonSaved.text(lang).into()));
                    }
                    Err(e) => {
                        if let Some(field) = e.field.clone() {
                            field_error.set(Some((field, e.rule_text(lang))));
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };

    let body = match &*loaded {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(())) => {
            let fe = (*field_error).clone();
            let is_field = |field: &str| {
                fe.as_ref()
                    .is_some_and(|(f, _)| f.trim_start_matches("reactions.") == field)
            };
            let invalid = |field: &str| is_field(field).then_some("true");
            let describedby = |field: &str, hint: bool| {
                let mut ids = Vec::new();
                if hint {
                    ids.push(format!("{}-hint", reaction_field_id(field)));
                }
                if is_field(field) {
                    ids.push(format!("{}-error", reaction_field_id(field)));
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            };
            let error_of = |field: &str| match &fe {
                Some((_, message)) if is_field(field) => html! {
                    <p class="field-error" id={format!("{}-error", reaction_field_id(field))}>{ message }</p>
                },
                _ => html! {},
            };
            let set = |f: fn(&mut ReactionForm, String)| {
                let form = form.clone();
                Callback::from(move |e: InputEvent| {
                    let mut v = (*form).clone();
                    f(
                        &mut v,
                        e.target_unchecked_into::<HtmlInputElement>().value(),
                    );
                    form.set(v);
                })
            };
            let check = |f: fn(&mut ReactionForm, bool)| {
                let form = form.clone();
                Callback::from(move |e: Event| {
                    let mut v = (*form).clone();
                    f(
                        &mut v,
                        e.target_unchecked_into::<HtmlInputElement>().checked(),
                    );
                    form.set(v);
                })
            };
            let number = |field: &'static str,
                          label: Key,
                          hint: Key,
                          value: &str,
                          f: fn(&mut ReactionForm, String)| {
                html! {
                    <div class="field">
                        <label for={reaction_field_id(field)}>{ t(label) }</label>
                        <p class="hint" id={format!("{}-hint", reaction_field_id(field))}>{ t(hint) }</p>
                        <input type="number" min="1" inputmode="numeric" id={reaction_field_id(field)}
                            value={value.to_string()} oninput={set(f)}
                            aria-invalid={invalid(field)} aria-describedby={describedby(field, true)} />
                        { error_of(field) }
                    </div>
                }
            };
            let f = &*form;
            html! {
                <form class="card" id="reactions-form" onsubmit={onsubmit} novalidate=true>
                    <fieldset>
                        <legend>{ t(Key::SettingsReactionsModeration) }</legend>
                        <label class="choice" for="rsetting-moderation-pre">
                            <input type="radio" id="rsetting-moderation-pre" name="reactions-moderation"
                                checked={f.pre} onchange={check(|f, on| if on { f.pre = true })} />
                            { t(Key::SettingsReactionsPre) }
                        </label>
                        <label class="choice" for="rsetting-moderation-post">
                            <input type="radio" id="rsetting-moderation-post" name="reactions-moderation"
                                checked={!f.pre} onchange={check(|f, on| if on { f.pre = false })} />
                            { t(Key::SettingsReactionsPost) }
                        </label>
                        { error_of("moderation") }
                    </fieldset>
                    <fieldset>
                        <legend>{ t(Key::SettingsReactionsHold) }</legend>
                        <label class="choice" for="rsetting-hold-links">
                            <input type="checkbox" id="rsetting-hold-links" checked={f.hold_links}
                                onchange={check(|f, on| f.hold_links = on)} />
                            { t(Key::SettingsReactionsHoldLinks) }
                        </label>
                        <label class="choice" for="rsetting-first-reaction-waits">
                            <input type="checkbox" id="rsetting-first-reaction-waits" checked={f.first_waits}
                                aria-describedby="rsetting-first-reaction-waits-hint"
                                onchange={check(|f, on| f.first_waits = on)} />
                            { t(Key::SettingsReactionsFirstWaits) }
                        </label>
                        <p class="hint" id="rsetting-first-reaction-waits-hint">{ t(Key::SettingsReactionsFirstWaitsHint) }</p>
                        <div class="field">
                            <label for="rsetting-hold-words">{ t(Key::SettingsReactionsWords) }</label>
                            <p class="hint" id="rsetting-hold-words-hint">{ t(Key::SettingsReactionsWordsHint) }</p>
                            <textarea id="rsetting-hold-words" rows="5" spellcheck="false" value={f.hold_words.clone()}
                                oninput={let form = form.clone(); Callback::from(move |e: InputEvent| {
                                    let mut v = (*form).clone();
                                    v.hold_words = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                                    form.set(v);
                                })}
                                aria-invalid={invalid("hold_words")} aria-describedby={describedby("hold_words", true)} />
                            { error_of("hold_words") }
                        </div>
                    </fieldset>
                    { number("reports_before_hide", Key::SettingsReactionsReports, Key::SettingsReactionsReportsHint, &f.reports, |f, v| f.reports = v) }
                    { number("per_key_per_10_minutes", Key::SettingsReactionsPerKey, Key::SettingsReactionsPerKeyHint, &f.per_key, |f, v| f.per_key = v) }
                    { number("per_network_per_hour", Key::SettingsReactionsPerNetwork, Key::SettingsReactionsPerNetworkHint, &f.per_network, |f, v| f.per_network = v) }
                    <ErrorAlert error={(*error).clone()} id="reactions-settings-error" />
                    <Status text={(*saved).clone()} id="reactions-settings-saved" />
                    <div class="actions">
                        <button type="submit" class="primary" id="reactions-settings-save"
                            aria-disabled={busy.then_some("true")}>
                            { if *busy { t(Key::CommonSaving) } else { t(Key::SettingsReactionsSave) } }
                        </button>
                    </div>
                </form>
            }
        }
    };
    html! {
        <section aria-labelledby="settings-reactions-title">
            <h2 id="settings-reactions-title">{ t(Key::SettingsReactions) }</h2>
            <p>{ t(Key::SettingsReactionsIntro) }</p>
            { body }
        </section>
    }
}

#[function_component(Tokens)]
fn tokens() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let path = api::admin_path(&session.info.community, "/tokens");
    let list = use_state(|| None::<Result<Vec<TokenInfo>, ApiError>>);
    let reload = use_state(|| 0u32);
    let created = use_state(|| None::<TokenCreated>);
    let label = use_state(String::new);
    let role = use_state(|| Role::Moderator);
    let error = use_state(|| None::<ApiError>);
    let said = use_state(|| None::<AttrValue>);
    let confirm = use_state(|| None::<TokenInfo>);
    let busy = use_state(|| false);

    {
        let (list, path) = (list.clone(), path.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(api::get::<TokenList>(&path).await.map(|l| l.tokens)));
            });
        });
    }

    let oncreate = {
        let (path, label, role, created, error, said, busy, reload) = (
            path.clone(),
            label.clone(),
            role.clone(),
            created.clone(),
            error.clone(),
            said.clone(),
            busy.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = TokenCreate {
                role: *role,
                label: label.trim().to_string(),
            };
            busy.set(true);
            error.set(None);
            said.set(None);
            let (path, label, created, error, busy, reload) = (
                path.clone(),
                label.clone(),
                created.clone(),
                error.clone(),
                busy.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::post::<_, TokenCreated>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(c) => {
                        created.set(Some(c));
                        label.set(String::new());
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let ondelete = {
        let (path, confirm, error, said, reload, created) = (
            path.clone(),
            confirm.clone(),
            error.clone(),
            said.clone(),
            reload.clone(),
            created.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(token) = (*confirm).clone() else {
                return;
            };
            // The question closes at once, so a second press cannot send a second delete.
            confirm.set(None);
            let (error, said, reload, created) =
                (error.clone(), said.clone(), reload.clone(), created.clone());
            let path = format!("{path}/{}", api::encode_segment(&token.id));
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::delete(&path).await;
                match answer {
                    Ok(()) => {
                        said.set(Some(Key::SettingsTokenDeleted.text(lang).into()));
                        if created.as_ref().is_some_and(|c| c.id == token.id) {
                            created.set(None);
                        }
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
                focus_selector("#token-label");
            });
        })
    };

    let name_of = |label: &str| {
        if label.is_empty() {
            t(Key::SettingsNoLabel).to_string()
        } else {
            label.to_string()
        }
    };

    let table = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(tokens)) => html! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="tokens-table-caption">
                <table id="tokens-table">
                    <caption id="tokens-table-caption">{ fill(t(Key::SettingsTokensCaption), &[("n", &tokens.len().to_string())]) }</caption>
                    <thead><tr>
                        <th scope="col">{ t(Key::SettingsTokenLabel) }</th>
                        <th scope="col">{ t(Key::SettingsTokenRole) }</th>
                        <th scope="col">{ t(Key::SettingsTokenCreated) }</th>
                        <th scope="col"><span class="visually-hidden">{ t(Key::CommonDelete) }</span></th>
                    </tr></thead>
                    <tbody>
                        { for tokens.iter().map(|token| {
                            let name = name_of(&token.label);
                            let ask = {
                                let confirm = confirm.clone();
                                let token = token.clone();
                                Callback::from(move |_: MouseEvent| confirm.set(Some(token.clone())))
                            };
                            let yours = token.id == session.info.token_id;
                            html! {
                                <tr>
                                    <td>{ &name }{ if yours { html! { <>{ " " }{ t(Key::SettingsTokenYours) }</> } } else { html! {} } }</td>
                                    <td>{ t(token.role.key()) }</td>
                                    <td class="when">{ format_time(token.created_at, lang) }</td>
                                    <td>
                                        <button type="button" class="danger" onclick={ask}
                                            aria-label={fill(t(Key::SettingsTokenDeleteLabel), &[("label", &name)])}>
                                            { t(Key::CommonDelete) }
                                        </button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    let confirm_box = match &*confirm {
        Some(token) => {
            let cancel = {
                let confirm = confirm.clone();
                // Back to the section the question came from, not to the page's start.
                Callback::from(move |_: MouseEvent| {
                    confirm.set(None);
                    focus_selector("#settings-tokens-title");
                })
            };
            let question = if token.id == session.info.token_id {
                t(Key::SettingsTokenDeleteOwnAsk).to_string()
            } else {
                fill(
                    t(Key::SettingsTokenDeleteAsk),
                    &[("label", &name_of(&token.label))],
                )
            };
            html! {
                <ConfirmBox key={token.id.clone()} id="token-delete" question={html! { question }}
                    yes={t(Key::SettingsConfirmDelete)} cancel={t(Key::CommonCancel)}
                    on_yes={ondelete} on_no={cancel} />
            }
        }
        None => html! {},
    };

    let new_token = match &*created {
        Some(c) => html! {
            <div class="card" id="token-created">
                <h3>{ t(Key::SettingsTokenNew) }</h3>
                <p>{ fill(t(Key::SettingsTokenShownOnce), &[("label", &name_of(&c.label))]) }</p>
                <code class="secret" id="token-value">{ &c.admin_token }</code>
                <div class="actions"><CopyButton text={c.admin_token.clone()} id="token-copy" /></div>
            </div>
        },
        None => html! {},
    };

    let role_hint = |r: Role| match r {
        Role::Admin => Key::SettingsRoleAdminHint,
        Role::Moderator => Key::SettingsRoleModeratorHint,
        Role::PollEditor => Key::SettingsRolePollEditorHint,
    };
    let onrole = {
        let role = role.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(r) = Role::parse(&v) {
                role.set(r);
            }
        })
    };
    let onlabel = {
        let label = label.clone();
        Callback::from(move |e: InputEvent| {
            label.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };

    html! {
        <section aria-labelledby="settings-tokens-title">
            <h2 id="settings-tokens-title" tabindex="-1">{ t(Key::SettingsTokens) }</h2>
            <p>{ t(Key::SettingsTokensIntro) }</p>
            { table }
            { confirm_box }
            <Status text={(*said).clone()} id="tokens-said" />
            { new_token }
            <form class="card inline-form" id="token-form" onsubmit={oncreate} novalidate=true>
                <div class="field">
                    <label for="token-label">{ t(Key::SettingsTokenLabel) }</label>
                    <input type="text" id="token-label" value={(*label).clone()} oninput={onlabel}
                        maxlength={mekaar_api::admin::TOKEN_LABEL_MAX.to_string()}
                        aria-describedby="token-label-hint" />
                    <p class="hint" id="token-label-hint">{ t(Key::SettingsTokenLabelHint) }</p>
                </div>
                <div class="field">
                    <label for="token-role">{ t(Key::SettingsTokenRole) }</label>
                    <select id="token-role" onchange={onrole}>
                        { for Role::ALL.into_iter().map(|r| html! {
                            <option value={r.as_str()} selected={r == *role}>{ t(role_hint(r)) }</option>
                        }) }
                    </select>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="token-create" aria-disabled={busy.then_some("true")}>
                        { t(Key::SettingsTokenCreate) }
                    </button>
                </div>
            </form>
            <ErrorAlert error={(*error).clone()} id="tokens-error" />
        </section>
    }
}

const EVENTS: [WebhookEvent; 8] = [
    WebhookEvent::Submitted,
    WebhookEvent::ThresholdReached,
    WebhookEvent::Reported,
    WebhookEvent::Answered,
    WebhookEvent::ReactionPosted,
    WebhookEvent::ReactionReported,
    WebhookEvent::MeetingAdded,
    WebhookEvent::StepDone,
];

fn event_key(event: WebhookEvent) -> Key {
    match event {
        WebhookEvent::Submitted => Key::SettingsEventSubmitted,
        WebhookEvent::ThresholdReached => Key::SettingsEventThreshold,
        WebhookEvent::Reported => Key::SettingsEventReported,
        WebhookEvent::Answered => Key::SettingsEventAnswered,
        WebhookEvent::ReactionPosted => Key::SettingsEventReactionPosted,
        WebhookEvent::ReactionReported => Key::SettingsEventReactionReported,
        WebhookEvent::MeetingAdded => Key::SettingsEventMeetingAdded,
        WebhookEvent::StepDone => Key::SettingsEventStepDone,
    }
}

#[function_component(Webhooks)]
fn webhooks() -> Html {
    let lang = use_lang().lang;
    let t = |k: Key| k.text(lang);
    let session = use_session();
    let path = api::admin_path(&session.info.community, "/webhooks");
    let list = use_state(|| None::<Result<Vec<Webhook>, ApiError>>);
    let deliveries = use_state(|| None::<Result<Vec<DeliveryAttempt>, ApiError>>);
    let reload = use_state(|| 0u32);
    let url = use_state(String::new);
    let events = use_state(|| EVENTS.to_vec());
    let created = use_state(|| None::<WebhookCreated>);
    let error = use_state(|| None::<ApiError>);
    let said = use_state(|| None::<AttrValue>);
    let confirm = use_state(|| None::<Webhook>);
    let busy = use_state(|| false);

    {
        let (list, deliveries, path) = (list.clone(), deliveries.clone(), path.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                list.set(Some(api::get::<Vec<Webhook>>(&path).await));
                deliveries.set(Some(
                    api::get::<Vec<DeliveryAttempt>>(&format!("{path}/deliveries?limit=50")).await,
                ));
            });
        });
    }

    let onadd = {
        let (path, url, events, created, error, busy, reload) = (
            path.clone(),
            url.clone(),
            events.clone(),
            created.clone(),
            error.clone(),
            busy.clone(),
            reload.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = WebhookCreate {
                url: url.trim().to_string(),
                events: (*events).clone(),
            };
            busy.set(true);
            error.set(None);
            let (path, url, created, error, busy, reload) = (
                path.clone(),
                url.clone(),
                created.clone(),
                error.clone(),
                busy.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::post::<_, WebhookCreated>(&path, &body).await;
                busy.set(false);
                match answer {
                    Ok(c) => {
                        created.set(Some(c));
                        url.set(String::new());
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        if e.field.as_deref() == Some("url") {
                            focus_selector("#webhook-url");
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };

    let ondelete = {
        let (path, confirm, error, said, reload) = (
            path.clone(),
            confirm.clone(),
            error.clone(),
            said.clone(),
            reload.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(hook) = (*confirm).clone() else {
                return;
            };
            // The question closes at once, so a second press cannot send a second delete.
            confirm.set(None);
            let (error, said, reload) = (error.clone(), said.clone(), reload.clone());
            let path = format!("{path}/{}", api::encode_segment(&hook.id));
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::delete(&path).await;
                match answer {
                    Ok(()) => {
                        said.set(Some(Key::SettingsWebhookDeleted.text(lang).into()));
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
                focus_selector("#webhook-url");
            });
        })
    };

    let table = match &*list {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(hooks)) if hooks.is_empty() => {
            html! { <p id="webhooks-none">{ t(Key::SettingsWebhooksNone) }</p> }
        }
        Some(Ok(hooks)) => html! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="webhooks-table-caption">
                <table id="webhooks-table">
                    <caption id="webhooks-table-caption">{ fill(t(Key::SettingsWebhooksCaption), &[("n", &hooks.len().to_string())]) }</caption>
                    <thead><tr>
                        <th scope="col">{ t(Key::SettingsWebhookUrl) }</th>
                        <th scope="col">{ t(Key::SettingsWebhookEvents) }</th>
                        <th scope="col">{ t(Key::SettingsTokenCreated) }</th>
                        <th scope="col"><span class="visually-hidden">{ t(Key::CommonDelete) }</span></th>
                    </tr></thead>
                    <tbody>
                        { for hooks.iter().map(|hook| {
                            let ask = {
                                let confirm = confirm.clone();
                                let hook = hook.clone();
                                Callback::from(move |_: MouseEvent| confirm.set(Some(hook.clone())))
                            };
                            let names: Vec<&str> = hook.events.iter().map(|e| t(event_key(*e))).collect();
                            html! {
                                <tr>
                                    <td><code>{ &hook.url }</code></td>
                                    <td>{ names.join(", ") }</td>
                                    <td class="when">{ format_time(hook.created_at, lang) }</td>
                                    <td>
                                        <button type="button" class="danger" onclick={ask}
                                            aria-label={fill(t(Key::SettingsWebhookDeleteLabel), &[("url", &hook.url)])}>
                                            { t(Key::CommonDelete) }
                                        </button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    let confirm_box = match &*confirm {
        Some(hook) => {
            let cancel = {
                let confirm = confirm.clone();
                Callback::from(move |_: MouseEvent| {
                    confirm.set(None);
                    focus_selector("#settings-webhooks-title");
                })
            };
            let question = fill(t(Key::SettingsWebhookDeleteAsk), &[("url", &hook.url)]);
            html! {
                <ConfirmBox key={hook.id.clone()} id="webhook-delete" question={html! { question }}
                    yes={t(Key::SettingsConfirmDelete)} cancel={t(Key::CommonCancel)}
                    on_yes={ondelete} on_no={cancel} />
            }
        }
        None => html! {},
    };

    let secret = match &*created {
        Some(c) => html! {
            <div class="card" id="webhook-created">
                <p>{ t(Key::SettingsWebhookSecret) }</p>
                <code class="secret" id="webhook-secret">{ &c.secret }</code>
                <div class="actions"><CopyButton text={c.secret.clone()} id="webhook-copy" /></div>
            </div>
        },
        None => html! {},
    };

    let urls = |id: &str| -> String {
        match &*list {
            Some(Ok(hooks)) => hooks
                .iter()
                .find(|h| h.id == id)
                .map_or_else(|| id.to_string(), |h| h.url.clone()),
            _ => id.to_string(),
        }
    };
    let log = match &*deliveries {
        None => html! { <Loading /> },
        Some(Err(e)) => html! { <ErrorAlert error={Some(e.clone())} /> },
        Some(Ok(d)) if d.is_empty() => {
            html! { <p id="deliveries-none">{ t(Key::SettingsDeliveriesNone) }</p> }
        }
        Some(Ok(d)) => html! {
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="deliveries-table-caption">
                <table id="deliveries-table">
                    <caption id="deliveries-table-caption">{ t(Key::SettingsDeliveriesCaption) }</caption>
                    <thead><tr>
                        <th scope="col">{ t(Key::SettingsDeliveryWhen) }</th>
                        <th scope="col">{ t(Key::SettingsDeliveryEvent) }</th>
                        <th scope="col">{ t(Key::SettingsDeliveryWebhook) }</th>
                        <th scope="col">{ t(Key::SettingsDeliveryAttempt) }</th>
                        <th scope="col">{ t(Key::SettingsDeliveryResult) }</th>
                    </tr></thead>
                    <tbody>
                        { for d.iter().map(|a| {
                            let status = a.status.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
                            let result = if a.delivered {
                                fill(t(Key::SettingsDeliveryOk), &[("status", &status)])
                            } else {
                                let why = a.error.clone().unwrap_or_else(|| format!("HTTP {status}"));
                                fill(t(Key::SettingsDeliveryFailed), &[("why", &why)])
                            };
                            html! {
                                <tr>
                                    <td class="when">{ format_time(a.attempted_at, lang) }</td>
                                    <td>{ t(event_key(a.event)) }</td>
                                    <td><code>{ urls(&a.webhook_id) }</code></td>
                                    <td>{ a.attempt }</td>
                                    <td>{ result }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
    };

    let onurl = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| {
            url.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    let url_invalid = error
        .as_ref()
        .is_some_and(|e| e.field.as_deref() == Some("url"))
        .then_some("true");

    html! {
        <section aria-labelledby="settings-webhooks-title">
            <h2 id="settings-webhooks-title" tabindex="-1">{ t(Key::SettingsWebhooks) }</h2>
            <p>{ t(Key::SettingsWebhooksIntro) }</p>
            { table }
            { confirm_box }
            <Status text={(*said).clone()} id="webhooks-said" />
            { secret }
            <form class="card" id="webhook-form" onsubmit={onadd} novalidate=true>
                <div class="field">
                    <label for="webhook-url">{ t(Key::SettingsWebhookUrl) }</label>
                    <input type="url" id="webhook-url" value={(*url).clone()} oninput={onurl}
                        aria-invalid={url_invalid} aria-describedby="webhooks-error" />
                </div>
                <fieldset>
                    <legend>{ t(Key::SettingsWebhookEvents) }</legend>
                    { for EVENTS.into_iter().map(|event| {
                        let id = format!("webhook-event-{}", event.as_str());
                        let checked = events.contains(&event);
                        let onchange = {
                            let events = events.clone();
                            Callback::from(move |e: Event| {
                                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                                let mut list: Vec<WebhookEvent> =
                                    events.iter().copied().filter(|x| *x != event).collect();
                                if on {
                                    list.push(event);
                                }
                                events.set(list);
                            })
                        };
                        html! {
                            <label class="choice" for={id.clone()}>
                                <input type="checkbox" id={id} {checked} {onchange} />
                                { t(event_key(event)) }
                            </label>
                        }
                    }) }
                </fieldset>
                <ErrorAlert error={(*error).clone()} id="webhooks-error" />
                <div class="actions">
                    <button type="submit" class="primary" id="webhook-add" aria-disabled={busy.then_some("true")}>
                        { t(Key::SettingsWebhookAdd) }
                    </button>
                </div>
            </form>
            <h3>{ t(Key::SettingsDeliveries) }</h3>
            <div class="actions">
                <button type="button" id="deliveries-refresh" onclick={refresh}>{ t(Key::SettingsRefresh) }</button>
            </div>
            { log }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_codes_from_text() {
        assert_eq!(
            lines(" Centrum \n\n Kloosterbuurt\n"),
            ["Centrum", "Kloosterbuurt"]
        );
        assert_eq!(codes("nl, en"), ["nl", "en"]);
        assert_eq!(codes("nl en;de"), ["nl", "en", "de"]);
    }

    #[test]
    fn numbers_are_checked_before_sending() {
        let form = Form {
            name: " Baarlo ".into(),
            threshold: "50".into(),
            reports: "x".into(),
            ..Form::default()
        };
        let (field, _) = form.patch(Lang::Nl).err().unwrap();
        assert_eq!(field, "reports_before_hide");
        let form = Form {
            reports: "3".into(),
            ..form
        };
        let patch = form.patch(Lang::Nl).unwrap();
        assert_eq!(patch.name, "Baarlo");
        assert_eq!(patch.support_threshold, 50);
        assert_eq!(patch.retention_days, None);
        assert_eq!(patch.moderation, ModerationPolicy::Post);
    }

    #[test]
    fn reaction_settings_round_trip_and_are_checked() {
        let defaults = ReactionSettings::default();
        let form = ReactionForm::from(&defaults);
        assert_eq!(form.settings(Lang::Nl).unwrap(), defaults);
        // Hold words one per line: blank lines and repeats (any case) dropped.
        let form = ReactionForm {
            pre: true,
            hold_words: " spam \n\nSPAM\nkermis\n".into(),
            ..form
        };
        let s = form.settings(Lang::Nl).unwrap();
        assert_eq!(s.hold_words, ["spam", "kermis"]);
        assert_eq!(s.moderation, ModerationPolicy::Pre);
        assert_eq!(ReactionForm::from(&s).hold_words, "spam\nkermis");
        let bad = ReactionForm {
            per_network: "veel".into(),
            ..form.clone()
        };
        assert_eq!(
            bad.settings(Lang::Nl).unwrap_err().0,
            "per_network_per_hour"
        );
        let long = ReactionForm {
            hold_words: "x".repeat(reaction_limits::HOLD_WORD + 1),
            ..form.clone()
        };
        let (field, message) = long.settings(Lang::En).unwrap_err();
        assert_eq!(field, "hold_words");
        assert!(!message.contains('{'), "{message}");
        let many = ReactionForm {
            hold_words: (0..=reaction_limits::HOLD_WORDS)
                .map(|i| format!("w{i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            ..form
        };
        assert_eq!(many.settings(Lang::Nl).unwrap_err().0, "hold_words");
        assert_eq!(
            reaction_field_id("reactions.per_key_per_10_minutes"),
            "rsetting-per-key-per-10-minutes"
        );
        assert_eq!(reaction_field_id("hold_words"), "rsetting-hold-words");
    }
}
