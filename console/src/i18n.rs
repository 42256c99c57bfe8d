//! The console's one translation table: every text an admin, moderator or poll editor sees
//! comes from here, in Dutch and English.
//!
//! # Adding texts
//!
//! Add a line `KeyName => "Nederlands", "English";` to [`table!`] below, in the section of
//! your screen (each screen has its own block, so two people adding keys to different
//! screens never touch the same lines). Key names start with the screen's name
//! (`ModerationApprove`, `PollsCreate`, …); texts shared by every screen live in
//! "Common". The macro makes it impossible to add a key without both texts.
//!
//! Placeholders are `{name}` and are filled with [`fill`]:
//! `fill(Key::SignInWait.text(lang), &[("n", &secs.to_string())])`.
//!
//! In a component, read the language with [`use_lang`] (the [`LangContext`] the app
//! provides) and write `t(Key::CommonSave)`:
//!
//! ```ignore
//! let lang = use_lang();
//! let t = |k: Key| k.text(lang.lang);
//! html! { <button>{ t(Key::CommonSave) }</button> }
//! ```

use yew::prelude::*;

/// A language the console speaks. Dutch is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// Every language, for tests and the language switch.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// From a language tag (`"en"`, `"en-GB"`, `"NL"`); `None` for anything else.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("nl") {
            Some(Lang::Nl)
        } else {
            None
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch ("Nederlands", "English").
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }
}

/// Replaces each `{name}` in `text` by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The chosen language and how to change it; provided by the app around everything.
#[derive(Clone, PartialEq)]
pub struct LangContext {
    pub lang: Lang,
    /// Switches the language (and remembers the choice in this browser).
    pub set: Callback<Lang>,
}

/// The console's language, from the [`LangContext`] (Dutch outside one).
#[hook]
pub fn use_lang() -> LangContext {
    use_context::<LangContext>().unwrap_or(LangContext {
        lang: Lang::Nl,
        set: Callback::noop(),
    })
}

macro_rules! table {
    ($($key:ident => $nl:literal, $en:literal;)*) => {
        /// A key into the translation table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $($key,)*
        }

        /// The texts by key, then by language.
        static TEXTS: &[[&str; 2]] = &[$([$nl, $en],)*];

        impl Key {
            /// Every key, for tests.
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            /// The text of this key in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                TEXTS[self as usize][lang as usize]
            }
        }
    };
}

table! {
    // ---- Common: the shell, shared buttons and errors --------------------------------
    AppName => "Mekaar beheer", "Mekaar console";
    CommonLoading => "Laden…", "Loading…";
    CommonSave => "Opslaan", "Save";
    CommonSaving => "Opslaan…", "Saving…";
    CommonSaved => "Opgeslagen.", "Saved.";
    CommonCancel => "Annuleren", "Cancel";
    CommonDelete => "Verwijderen", "Delete";
    CommonAdd => "Toevoegen", "Add";
    CommonCopy => "Kopiëren", "Copy";
    CommonCopied => "Gekopieerd.", "Copied.";
    CommonCopyFailed => "Kopiëren lukte niet; selecteer de tekst en kopieer hem zelf.",
        "Copying did not work; select the text and copy it yourself.";
    CommonRetry => "Opnieuw proberen", "Try again";
    CommonYes => "Ja", "Yes";
    CommonNo => "Nee", "No";
    CommonNone => "(geen)", "(none)";
    SkipToContent => "Naar de inhoud", "Skip to content";
    NavLabel => "Beheer", "Console";
    HeaderCommunity => "Gemeenschap", "Community";
    HeaderRole => "Rol", "Role";
    HeaderLanguage => "Taal", "Language";
    SignOut => "Uitloggen", "Sign out";
    RoleAdmin => "beheerder", "administrator";
    RoleModerator => "moderator", "moderator";
    RolePollEditor => "peilingredacteur", "poll editor";
    NotAllowedTitle => "Geen toegang", "Not allowed";
    NotAllowedText => "Met jouw rol kun je dit scherm niet gebruiken.",
        "Your role cannot use this screen.";
    NotFoundTitle => "Onbekend scherm", "Unknown screen";
    NotFoundText => "Dit scherm bestaat niet. Kies een scherm in het menu.",
        "This screen does not exist. Choose one from the menu.";
    SessionExpired => "Je sessie is verlopen. Log opnieuw in.",
        "Your session has expired. Please sign in again.";
    // Errors from the API, by error code (see `api::ApiError::key`).
    ErrUnauthorized => "Je bent niet (meer) ingelogd.", "You are not signed in (any more).";
    ErrForbidden => "Dat mag je met jouw rol niet doen.", "Your role may not do that.";
    ErrRateLimited => "Te veel verzoeken. Probeer het over {n} seconden opnieuw.",
        "Too many requests. Try again in {n} seconds.";
    // `invalid_field`: what the field the server refused must hold (see `api::field_rule`).
    ErrInvalidField => "Een veld klopt nog niet. Controleer wat je hebt ingevuld.",
        "A field is not right yet. Check what you entered.";
    ErrFieldNamed => "{label}: {rule}", "{label}: {rule}";
    RuleOneLine => "Vul dit in, op één regel en niet te lang.",
        "Fill this in, on one line and not too long.";
    RuleText => "Vul dit in, zonder vreemde tekens; de tekst is misschien te lang.",
        "Fill this in, without odd characters; the text may be too long.";
    RuleLanguages => "Kies minstens één taal.", "Choose at least one language.";
    RuleLabels => "Elke naam op een eigen regel, hoogstens 60 tekens per naam en hoogstens 100 namen.",
        "One name per line, at most 60 characters each and at most 100 names.";
    RuleOrigins => "Alleen adressen als https://www.baarlo.nl (schema en host, zonder pad), hoogstens 50.",
        "Only addresses like https://www.baarlo.nl (scheme and host, no path), at most 50.";
    RuleNumber => "Vul een geheel getal in binnen de grenzen die hier gelden.",
        "Enter a whole number within the limits that apply here.";
    RuleRetention => "Vul een aantal dagen in van {min} tot en met {max}, of laat het veld leeg om te bewaren.",
        "Enter a number of days from {min} to {max}, or leave the field empty to keep the data.";
    RuleUrl => "Vul een volledig http://- of https://-adres in (hoogstens 500 tekens; hoogstens 20 webhooks).",
        "Enter a full http:// or https:// address (at most 500 characters; at most 20 webhooks).";
    RuleInitiativesPage => "Vul een volledig http://- of https://-adres in, zonder # aan het eind en hoogstens 500 tekens, of laat het veld leeg.",
        "Enter a full http:// or https:// address, without a # at the end and at most 500 characters, or leave the field empty.";
    RuleEvents => "Kies minstens één gebeurtenis.", "Choose at least one event.";
    RuleOptions => "Geef {fewest} tot {most} verschillende opties, elk op één regel van hoogstens {chars} tekens.",
        "Give {fewest} to {most} different options, each on one line of at most {chars} characters.";
    RuleMaxChoices => "Het aantal keuzes moet tussen 1 en het aantal opties liggen.",
        "The number of choices must be between 1 and the number of options.";
    RuleCloses => "De sluitingstijd moet na de openingstijd liggen, en mag bij het openen niet voorbij zijn.",
        "The closing time must be after the opening time, and must not have passed when the poll opens.";
    RuleCodeCount => "Maak 1 tot {batch} codes tegelijk; een peiling heeft er hoogstens {total}.",
        "Make 1 to {batch} codes at a time; a poll has at most {total}.";
    RuleTokens => "Een gemeenschap heeft hoogstens 100 tokens; verwijder eerst tokens die niet meer nodig zijn.",
        "A community has at most 100 tokens; delete tokens that are no longer needed first.";
    ErrPollHasVotes => "Deze peiling heeft al stemmen; vraag en opties kunnen niet meer veranderen. Zet de peiling eerst terug op nul als dat echt moet.",
        "This poll already has votes; its question and options can no longer change. Reset the poll first if you really must.";
    ErrRoundChanged => "De peiling is intussen al teruggezet; bekijk de stand opnieuw.",
        "The poll was reset in the meantime; look at the current state again.";
    ErrPollState => "Dat kan niet in de fase waarin de peiling nu is.",
        "That is not possible in the poll's current phase.";
    ErrReactionState => "Dat kan niet meer met deze reactie (ze is bijvoorbeeld verwijderd).",
        "That is no longer possible for this reaction (it was removed, for example).";
    ErrTooLarge => "Dat is te veel tekst in één keer. Maak het korter.",
        "That is too much text at once. Make it shorter.";
    ErrNotFound => "Dat bestaat niet (meer).", "That does not exist (any more).";
    ErrPhotoInvalid => "Dat bestand is geen leesbare foto. Kies een JPEG-, PNG- of WebP-foto.",
        "That file is not a readable photo. Choose a JPEG, PNG or WebP photo.";
    ErrPhotoType => "Alleen JPEG-, PNG- en WebP-foto's kunnen geplaatst worden.",
        "Only JPEG, PNG and WebP photos can be posted.";
    ErrPhotoTooLarge => "Die foto is te groot. Kies een foto tot 8 MB en 50 megapixel.",
        "That photo is too large. Choose a photo of up to 8 MB and 50 megapixels.";
    ErrStorage => "De server kan nu niet opslaan. Probeer het later opnieuw.",
        "The server cannot save right now. Try again later.";
    ErrUnreachable => "De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.",
        "The server cannot be reached. Check the connection and try again.";
    ErrGeneric => "Er ging iets mis ({code}).", "Something went wrong ({code}).";
    ErrCsrf => "De server weigerde dit verzoek (beveiligingscontrole). Laad de pagina opnieuw en probeer het nog eens.",
        "The server refused this request (security check). Reload the page and try again.";
    ErrLastAdminToken => "Dit is het laatste beheerderstoken; zonder kan niemand de gemeenschap nog beheren. Maak eerst een nieuw beheerderstoken.",
        "This is the last administrator token; without it nobody can manage the community. Create a new administrator token first.";
    ErrNotANumber => "Vul een geheel getal in.", "Enter a whole number.";
    // Issue 15: the dialogue.
    ErrThreadClosed => "Deze discussie is gesloten; open haar eerst weer om te reageren.",
        "This discussion is closed; open it again first to react.";
    ErrInvalidReply => "Op die reactie kan niet (meer) gereageerd worden.", "That reaction cannot be replied to (any more).";
    ErrDuplicateReaction => "Deze tekst staat al in deze discussie.", "This text is already in this discussion.";
    ErrEmptyReply => "Schrijf eerst een tekst.", "Write a text first.";
    ErrEmptyTitle => "Geef het onderwerp een titel.", "Give the topic a title.";
    ErrBadTime => "Dat is geen geldige datum en tijd. Gebruik dag, maand, jaar en uur, of laat het veld leeg.",
        "That is not a valid date and time. Use day, month, year and time, or leave the field empty.";
    RuleHoldWords => "Hoogstens {words} woorden, elk op een eigen regel en hoogstens {wordchars} tekens lang.",
        "At most {words} words, each on a line of its own and at most {wordchars} characters long.";

    // ---- Sign-in -----------------------------------------------------------------------
    SignInTitle => "Inloggen", "Sign in";
    SignInIntro => "Log in met het token dat je voor je gemeenschap hebt gekregen (als beheerder, moderator of peilingredacteur). Je blijft ingelogd tot je uitlogt of de sessie verloopt.",
        "Sign in with the token you were given for your community (as administrator, moderator or poll editor). You stay signed in until you sign out or the session expires.";
    SignInToken => "Token", "Token";
    SignInThenPoll => "Na het inloggen opent de bediening van de peiling.", "After signing in, the poll's controls open.";
    SignInSubmit => "Inloggen", "Sign in";
    SignInBusy => "Bezig met inloggen…", "Signing in…";
    SignInEmpty => "Vul een token in.", "Enter a token.";
    SignInWrongToken => "Dit token klopt niet.", "This token is not valid.";
    SignInTooMany => "Te veel pogingen. Probeer het over {n} seconden opnieuw.",
        "Too many attempts. Try again in {n} seconds.";
    SignInServerToken => "Een serverbreed token kan hier niet inloggen. Gebruik het token van een gemeenschap.",
        "A server-wide token cannot sign in here. Use a community's token.";

    // ---- Navigation: one entry per screen ------------------------------------------------
    NavSettings => "Instellingen", "Settings";
    NavModeration => "Moderatie", "Moderation";
    NavPolls => "Peilingen", "Polls";
    // After "Moderatie" in the navigation, read out only (the number shows as a badge).
    NavWaiting => ", {n} wachten", ", {n} waiting";
    NavSnippet => "Insluitcode", "Embed code";
    NavAudit => "Logboek", "Audit log";
    NavExport => "Export", "Export";
    NavReactions => "Reacties", "Reactions";
    NavTopics => "Discussies", "Discussions";
    NavSteps => "Stappen", "Steps";
    // After "Reacties" in the navigation, read out only (the number shows as a badge).
    NavReactionsWaiting => ", {n} wachten op een moderator", ", {n} waiting for a moderator";

    // ---- Settings ---------------------------------------------------------------------
    SettingsTitle => "Instellingen", "Settings";
    SettingsCommunity => "Gemeenschap", "Community";
    SettingsSlug => "Adres in de insluitcode (data-community): {slug}", "Address in the embed code (data-community): {slug}";
    SettingsName => "Naam", "Name";
    SettingsLanguages => "Talen", "Languages";
    SettingsLanguagesHint => "Taalcodes met komma's ertussen, de eerste is de standaard. Bijvoorbeeld: nl, en",
        "Language codes separated by commas; the first is the default. For example: nl, en";
    SettingsAreas => "Buurten", "Areas";
    SettingsThemes => "Thema's", "Themes";
    SettingsOnePerLine => "Eén per regel.", "One per line.";
    SettingsThreshold => "Drempel: steunbetuigingen voor een initiatief", "Threshold: supporters an initiative needs";
    SettingsModeration => "Moderatie van nieuwe initiatieven", "Moderation of new initiatives";
    SettingsModerationPre => "Eerst goedkeuren: nieuwe initiatieven zijn pas zichtbaar na goedkeuring",
        "Approve first: new initiatives are visible only once approved";
    SettingsModerationPost => "Achteraf: nieuwe initiatieven zijn meteen zichtbaar",
        "Afterwards: new initiatives are visible at once";
    SettingsOrigins => "Websites die de widgets mogen tonen", "Websites that may show the widgets";
    SettingsOriginsHint => "Eén adres per regel, zoals https://www.baarlo.nl (zonder pad).",
        "One address per line, like https://www.baarlo.nl (without a path).";
    SettingsReports => "Meldingen voordat een initiatief verborgen wordt", "Reports before an initiative is hidden";
    SettingsInitiativesPage => "Adres van de initiatievenpagina (optioneel)", "Address of the initiatives page (optional)";
    SettingsInitiativesPageHint => "De pagina van je website met de lijst van initiatieven, zoals https://www.baarlo.nl/initiatieven. Steunknoppen en kaarten elders op de site linken dan naar het initiatief op die pagina. Leeg laten: geen link.",
        "The page of your website with the list of initiatives, such as https://www.baarlo.nl/initiatieven. Support buttons and cards elsewhere on the site then link to the initiative on that page. Leave empty: no link.";
    SettingsRetention => "Persoonsgegevens bewaren (dagen)", "Keep personal data (days)";
    SettingsRetentionHint => "Dagen nadat een initiatief gerealiseerd of gestopt is, worden naam en contactgegevens van initiatiefnemer en deelnemers gewist. Leeg laten: bewaren.",
        "Days after an initiative was realised or stopped, the names and contact details of its initiator and joiners are erased. Leave empty: keep them.";
    SettingsMailFrom => "Afzender van e-mail (optioneel)", "E-mail sender (optional)";
    SettingsMailFromHint => "Zoals Dorpsraad Baarlo <nieuws@baarlo.nl>. Leeg laten: de afzender van de server. Zonder afzender of SMTP-instellingen verstuurt Mekaar geen e-mail.",
        "Such as Dorpsraad Baarlo <nieuws@baarlo.nl>. Leave empty: the server's sender. Without a sender or SMTP settings Mekaar sends no e-mail.";
    SettingsMail => "E-mail", "E-mail";
    SettingsMailOn => "E-mail staat aan: inwoners kunnen zich aanmelden voor nieuws en initiatiefnemers krijgen hun beheerlink per e-mail.",
        "E-mail is on: residents can sign up for news and initiators get their manage link by e-mail.";
    SettingsMailOff => "E-mail staat uit (geen SMTP-instellingen op de server of geen afzender): de e-mailopties worden niet aangeboden.",
        "E-mail is off (no SMTP settings on the server or no sender): the e-mail options are not offered.";
    SettingsMailSubscribers => "Bevestigde abonnees", "Confirmed subscribers";
    SettingsMailQueued => "In de wachtrij", "Queued";
    SettingsMailSent => "Verstuurd", "Sent";
    SettingsMailFailed => "Mislukt", "Failed";
    SettingsMailBounced => "Geweigerd door de ontvanger", "Refused by the receiver";
    SettingsSaveCommunity => "Instellingen opslaan", "Save settings";
    SettingsTokens => "Toegangstokens", "Access tokens";
    SettingsTokensIntro => "Iedereen die de gemeenschap mee beheert, krijgt een eigen token met een rol. Verwijder een token als iemand stopt: de sessies ermee eindigen dan ook.",
        "Everyone who helps run the community gets their own token with a role. Delete a token when someone stops: its sessions end as well.";
    SettingsTokensCaption => "Tokens: {n}", "Tokens: {n}";
    SettingsTokenLabel => "Voor wie", "For whom";
    SettingsTokenLabelHint => "Bijvoorbeeld: Marieke (moderator) of Redactie omroep.", "For example: Marieke (moderator) or Newsroom.";
    SettingsTokenRole => "Rol", "Role";
    SettingsTokenCreated => "Gemaakt", "Created";
    SettingsTokenYours => "– hiermee ben je nu ingelogd", "– you are signed in with it";
    SettingsTokenCreate => "Token maken", "Create token";
    SettingsTokenNew => "Nieuw token", "New token";
    SettingsTokenShownOnce => "Het nieuwe token voor {label}. Kopieer het nu en geef het veilig door: het wordt niet nog eens getoond.",
        "The new token for {label}. Copy it now and pass it on safely: it will not be shown again.";
    SettingsTokenDeleteAsk => "Token {label} verwijderen? Wie het gebruikt, kan dan niet meer inloggen.",
        "Delete token {label}? Whoever uses it can no longer sign in.";
    SettingsTokenDeleteOwnAsk => "Dit is het token waarmee je nu bent ingelogd. Verwijder je het, dan word je meteen uitgelogd en kun je er niet meer mee inloggen. Verwijderen?",
        "This is the token you are signed in with. If you delete it, you are signed out at once and can no longer sign in with it. Delete it?";
    SettingsTokenDeleteLabel => "Token {label} verwijderen", "Delete token {label}";
    SettingsTokenDeleted => "Het token is verwijderd.", "The token is deleted.";
    SettingsNoLabel => "(zonder naam)", "(no name)";
    SettingsRoleAdminHint => "beheerder: alles, ook instellingen, tokens en export", "administrator: everything, including settings, tokens and export";
    SettingsRoleModeratorHint => "moderator: initiatieven, reacties, logboek, persoonsgegevens wissen", "moderator: initiatives, answers, audit log, erasing personal data";
    SettingsRolePollEditorHint => "peilingredacteur: peilingen en logboek", "poll editor: polls and audit log";
    SettingsWebhooks => "Webhooks", "Webhooks";
    SettingsWebhooksIntro => "De server meldt gebeurtenissen aan een ander systeem (bijvoorbeeld het zaaksysteem van de gemeente), ondertekend met HMAC-SHA256 in de kop Mekaar-Signature.",
        "The server reports events to another system (for example the municipality's case system), signed with HMAC-SHA256 in the Mekaar-Signature header.";
    SettingsWebhooksNone => "Er zijn nog geen webhooks.", "There are no webhooks yet.";
    SettingsWebhooksCaption => "Webhooks: {n}", "Webhooks: {n}";
    SettingsWebhookUrl => "Adres (URL)", "Address (URL)";
    SettingsWebhookEvents => "Gebeurtenissen", "Events";
    SettingsWebhookAdd => "Webhook toevoegen", "Add webhook";
    SettingsWebhookSecret => "Het geheim om handtekeningen te controleren. Kopieer het nu: het wordt niet nog eens getoond.",
        "The secret to check signatures with. Copy it now: it will not be shown again.";
    SettingsWebhookDeleteAsk => "Webhook naar {url} verwijderen?", "Delete the webhook to {url}?";
    SettingsWebhookDeleteLabel => "Webhook naar {url} verwijderen", "Delete the webhook to {url}";
    SettingsWebhookDeleted => "De webhook is verwijderd.", "The webhook is deleted.";
    SettingsEventSubmitted => "nieuw initiatief", "new initiative";
    SettingsEventThreshold => "drempel gehaald", "threshold reached";
    SettingsEventReported => "gemeld", "reported";
    SettingsEventAnswered => "officiële reactie", "official answer";
    SettingsEventReactionPosted => "nieuwe reactie van een inwoner", "new reaction from a resident";
    SettingsEventReactionReported => "reactie gemeld", "reaction reported";
    SettingsEventMeetingAdded => "nieuwe bijeenkomst", "meeting added";
    SettingsEventStepDone => "stap gezet", "step done";
    SettingsReactions => "Reacties van inwoners", "Residents' reactions";
    SettingsReactionsIntro => "Hoe reacties bij initiatieven, peilingen en discussies gemodereerd en begrensd worden.",
        "How reactions on initiatives, polls and discussions are moderated and limited.";
    SettingsReactionsModeration => "Moderatie van reacties", "Moderation of reactions";
    SettingsReactionsPre => "Eerst goedkeuren: reacties zijn pas zichtbaar na goedkeuring",
        "Approve first: reactions show only after approval";
    SettingsReactionsPost => "Achteraf: reacties zijn meteen zichtbaar, behalve wat hieronder wacht",
        "Afterwards: reactions show at once, except what waits below";
    SettingsReactionsHold => "Altijd eerst naar een moderator", "Always to a moderator first";
    SettingsReactionsHoldLinks => "Reacties met een link", "Reactions with a link";
    SettingsReactionsFirstWaits => "De eerste reactie van een inwoner", "A resident's first reaction";
    SettingsReactionsFirstWaitsHint => "Per apparaat en website: zonder account weet Mekaar niet meer over wie reageert.",
        "Per device and website: without accounts Mekaar knows no more about who reacts.";
    SettingsReactionsWords => "Reacties met een van deze woorden", "Reactions with one of these words";
    SettingsReactionsWordsHint => "Eén woord per regel; hoofdletters tellen niet, alleen hele woorden.",
        "One word per line; case does not matter, whole words only.";
    SettingsReactionsReports => "Meldingen voordat een reactie verborgen wordt", "Reports before a reaction is hidden";
    SettingsReactionsReportsHint => "Van verschillende inwoners. Een moderator kan de reactie daarna weer tonen.",
        "From different residents. A moderator can show the reaction again afterwards.";
    SettingsReactionsPerKey => "Reacties per inwoner per 10 minuten", "Reactions per resident per 10 minutes";
    SettingsReactionsPerKeyHint => "Per apparaat en website. Standaard 10.", "Per device and website. Default 10.";
    SettingsReactionsPerNetwork => "Reacties per netwerk per uur", "Reactions per network per hour";
    SettingsReactionsPerNetworkHint => "Ruim genoeg voor een school of kantoor achter één internetaansluiting. Standaard 60.",
        "Generous enough for a school or office behind one internet connection. Default 60.";
    SettingsReactionsSave => "Reactie-instellingen opslaan", "Save reaction settings";
    SettingsDeliveries => "Bezorgpogingen", "Deliveries";
    SettingsDeliveriesNone => "Nog geen bezorgpogingen.", "No deliveries yet.";
    SettingsDeliveriesCaption => "De laatste bezorgpogingen, nieuwste eerst", "The latest deliveries, newest first";
    SettingsDeliveryWhen => "Tijd", "Time";
    SettingsDeliveryEvent => "Gebeurtenis", "Event";
    SettingsDeliveryWebhook => "Webhook", "Webhook";
    SettingsDeliveryAttempt => "Poging", "Attempt";
    SettingsDeliveryResult => "Resultaat", "Result";
    SettingsDeliveryOk => "afgeleverd (HTTP {status})", "delivered (HTTP {status})";
    SettingsDeliveryFailed => "mislukt: {why}", "failed: {why}";
    SettingsRefresh => "Vernieuwen", "Refresh";
    SettingsConfirmDelete => "Ja, verwijderen", "Yes, delete";

    // ---- Moderation (screens/moderation.rs) -----------------------------------------------
    ModerationTitle => "Moderatie", "Moderation";
    ModerationQueueLabel => "Wachtrij", "Queue";
    ModerationTabPending => "Wacht op goedkeuring", "Awaiting approval";
    ModerationTabReported => "Gemeld", "Reported";
    ModerationTabAll => "Alle initiatieven", "All initiatives";
    ModerationTabCount => "{tab} ({n})", "{tab} ({n})";
    ModerationEmptyPending => "Er wacht niets op goedkeuring.", "Nothing is awaiting approval.";
    ModerationEmptyReported => "Er zijn geen nieuwe meldingen.", "There are no new reports.";
    ModerationEmptyAll => "Deze gemeenschap heeft nog geen initiatieven.", "This community has no initiatives yet.";
    ModerationQueueCaption => "{queue}: {n}", "{queue}: {n}";
    ModerationColTitle => "Titel", "Title";
    ModerationColArea => "Buurt", "Area";
    ModerationColState => "Zichtbaarheid", "Visibility";
    ModerationColReports => "Meldingen", "Reports";
    ModerationColSubmitted => "Ingediend", "Submitted";
    ModerationStatePending => "wacht op goedkeuring", "awaiting approval";
    ModerationStatePublished => "gepubliceerd", "published";
    ModerationStateHidden => "verborgen", "hidden";
    ModerationStateRejected => "afgewezen", "rejected";
    ModerationStatusIdea => "idee", "idea";
    ModerationStatusSeeking => "zoekt medestanders", "seeking supporters";
    ModerationStatusInProgress => "in uitvoering", "in progress";
    ModerationStatusRealised => "gerealiseerd", "realised";
    ModerationStatusStopped => "gestopt", "stopped";
    ModerationBack => "Terug naar de wachtrij", "Back to the queue";
    ModerationFacts => "Gegevens", "Details";
    ModerationStatus => "Fase", "Status";
    ModerationStatusLabel => "Fase van het initiatief", "Status of the initiative";
    ModerationTheme => "Thema", "Theme";
    ModerationInitiator => "Initiatiefnemer", "Initiator";
    ModerationContact => "E-mailadres (alleen voor moderatoren)", "E-mail address (moderators only)";
    ModerationSupports => "Steunbetuigingen / drempel", "Supports / threshold";
    ModerationJoiners => "Doen mee", "Joiners";
    ModerationText => "Tekst", "Text";
    ModerationUpdates => "Nieuws van de initiatiefnemer", "Updates from the initiator";
    ModerationReports => "Meldingen van inwoners", "Reports by residents";
    ModerationDecide => "Beoordelen", "Decide";
    ModerationDecideNow => "Nu: {state}.", "Now: {state}.";
    ModerationNote => "Notitie (optioneel)", "Note (optional)";
    ModerationNoteHint => "Komt in het logboek bij je besluit; inwoners zien hem niet.",
        "Goes into the audit log with your decision; residents do not see it.";
    ModerationApprove => "Goedkeuren", "Approve";
    ModerationReject => "Afwijzen", "Reject";
    ModerationHide => "Verbergen", "Hide";
    ModerationRestore => "Weer tonen", "Restore";
    ModerationKeep => "Meldingen afgehandeld, blijft zichtbaar", "Reports handled, stays visible";
    ModerationApproved => "Goedgekeurd: het initiatief is nu zichtbaar.", "Approved: the initiative is now visible.";
    ModerationRejected => "Afgewezen: het initiatief is niet zichtbaar.", "Rejected: the initiative is not visible.";
    ModerationHidden => "Verborgen: inwoners zien het initiatief niet meer.", "Hidden: residents no longer see the initiative.";
    ModerationRestored => "Het initiatief is zichtbaar.", "The initiative is visible.";
    ModerationEdit => "Bewerken", "Edit";
    ModerationFieldTitle => "Titel", "Title";
    ModerationFieldSummary => "Korte samenvatting", "Short summary";
    ModerationFieldStory => "Verhaal", "Story";
    ModerationAnswer => "Officiële reactie", "Official answer";
    ModerationAnswerCurrent => "Huidige reactie van {by}, {when}. Opslaan vervangt hem.",
        "Current answer by {by}, {when}. Saving replaces it.";
    ModerationAnswerText => "Reactie", "Answer";
    ModerationAnswerBy => "Namens", "On behalf of";
    ModerationAnswerByHint => "Bijvoorbeeld: Gemeente Peel en Maas, team Leefomgeving.",
        "For example: Municipality of Peel en Maas, team Living Environment.";
    ModerationAnswerSave => "Reactie plaatsen", "Post answer";
    ModerationAnswered => "De reactie is geplaatst.", "The answer is posted.";
    ModerationPrivacy => "Persoonsgegevens", "Personal data";
    ModerationPrivacyHint => "Wissen op verzoek van de inwoner: naam, contactgegevens en bericht verdwijnen; de steun of het meedoen blijft meetellen. Dit komt in het logboek en kan niet ongedaan worden gemaakt.",
        "Erase on the resident's request: name, contact details and message are removed; the support or join still counts. This goes into the audit log and cannot be undone.";
    ModerationNoJoiners => "Nog niemand doet mee.", "Nobody has joined yet.";
    ModerationJoinerName => "Naam", "Name";
    ModerationJoinerContact => "Contact", "Contact";
    ModerationJoinerMessage => "Bericht", "Message";
    ModerationJoinerWhen => "Aangemeld", "Joined";
    ModerationJoinerActions => "Actie", "Action";
    ModerationErased => "(gewist)", "(erased)";
    ModerationEraseJoiner => "Gegevens wissen", "Erase details";
    ModerationEraseJoinerLabel => "Gegevens wissen: {name}", "Erase details: {name}";
    ModerationEraseJoinerAsk => "De gegevens van {name} wissen? Dit kan niet ongedaan worden gemaakt.",
        "Erase the details of {name}? This cannot be undone.";
    ModerationEraseInitiator => "Persoonsgegevens van de initiatiefnemer wissen", "Erase the initiator's personal data";
    ModerationEraseInitiatorAsk => "Naam en e-mailadres van de initiatiefnemer wissen? Het initiatief zelf blijft. Dit kan niet ongedaan worden gemaakt.",
        "Erase the initiator's name and e-mail address? The initiative itself stays. This cannot be undone.";
    ModerationEraseYes => "Ja, wissen", "Yes, erase";
    ModerationErasedDone => "De gegevens zijn gewist.", "The details are erased.";
    ModerationPhoto => "Foto", "Photo";
    ModerationPhotoNone => "Dit initiatief heeft geen foto. Bewoners zien dan een gekleurde omslag met de eerste letter.",
        "This initiative has no photo. Residents then see a coloured cover with the first letter.";
    ModerationPhotoShown => "Getoonde foto", "Photo shown";
    ModerationPhotoPending => "Foto wacht op goedkeuring", "Photo waiting for approval";
    ModerationPhotoPendingHint => "De initiatiefnemer stuurde deze foto. Bewoners zien hem pas na goedkeuring.",
        "The initiator sent this photo. Residents see it only after approval.";
    ModerationPhotoAlt => "Alternatieve tekst: {alt}", "Alt text: {alt}";
    ModerationPhotoRemove => "Foto verwijderen", "Remove photo";
    ModerationPhotoRemoved => "De foto is verwijderd.", "The photo is removed.";
    ModerationPhotoApprove => "Foto goedkeuren", "Approve photo";
    ModerationPhotoApproved => "De foto is goedgekeurd en wordt nu getoond.", "The photo is approved and shown now.";
    ModerationPhotoRejectPending => "Wachtende foto afwijzen", "Reject the waiting photo";
    ModerationPhotoRejected => "De wachtende foto is afgewezen.", "The waiting photo is rejected.";
    ModerationPhotoUpload => "Nieuwe foto", "New photo";
    ModerationPhotoFile => "Foto (JPEG, PNG of WebP, tot 8 MB)", "Photo (JPEG, PNG or WebP, up to 8 MB)";
    ModerationPhotoAltLabel => "Alternatieve tekst", "Alt text";
    ModerationPhotoAltHint => "Beschrijf in één zin wat er op de foto staat, voor wie hem niet kan zien.",
        "Describe in one sentence what the photo shows, for people who cannot see it.";
    ModerationPhotoSave => "Foto plaatsen", "Post photo";
    ModerationPhotoSaved => "De foto is geplaatst.", "The photo is posted.";
    ModerationPhotoChooseFile => "Kies eerst een foto.", "Choose a photo first.";
    ModerationInitiatorNothing => "Van de initiatiefnemer zijn geen naam of contactgegevens bewaard.",
        "No name or contact details of the initiator are kept.";
    ModerationInitiatorErasedAt => "De gegevens van de initiatiefnemer zijn gewist op {when}.",
        "The initiator's details were erased on {when}.";

    // ---- Polls (screens/polls.rs) -------------------------------------------------------
    PollsTitle => "Peilingen", "Polls";
    PollsNew => "Nieuwe peiling", "New poll";
    PollsNewTitle => "Nieuwe peiling", "New poll";
    PollsEditTitle => "Peiling bewerken: {question}", "Edit poll: {question}";
    PollsBack => "Terug naar de peilingen", "Back to the polls";
    PollsBackToControl => "Terug naar de bediening", "Back to the controls";
    PollsEmpty => "Er zijn nog geen peilingen.", "There are no polls yet.";
    PollsCaption => "Peilingen: {n}", "Polls: {n}";
    PollsColQuestion => "Vraag", "Question";
    PollsColPhase => "Stand", "State";
    PollsColVotes => "Stemmen", "Votes";
    PollsColJoinCode => "Deelnamecode", "Join code";
    PollsColCreated => "Gemaakt", "Created";
    PollsColOption => "Antwoord", "Option";
    PollsColShare => "Aandeel", "Share";
    PollsPhaseDraft => "concept", "draft";
    PollsPhaseScheduled => "gepland", "scheduled";
    PollsPhaseOpen => "open", "open";
    PollsPhaseClosed => "gesloten", "closed";
    PollsResultsAlways => "Uitslag altijd zichtbaar", "Results always visible";
    PollsResultsAfterVote => "Uitslag zichtbaar na het stemmen", "Results visible after voting";
    PollsResultsAfterClose => "Uitslag zichtbaar na het sluiten", "Results visible after closing";
    PollsResultsWhenRevealed => "Uitslag pas zichtbaar als de redactie hem toont", "Results visible only when the editor reveals them";
    PollsVotesOne => "{n} stem", "{n} vote";
    PollsVotesMany => "{n} stemmen", "{n} votes";
    PollsQuestion => "Vraag", "Question";
    PollsOptions => "Antwoorden", "Options";
    PollsOptionsHint => "Twee tot tien antwoorden.", "Two to ten options.";
    PollsOption => "Antwoord {n}", "Option {n}";
    PollsOptionAdd => "Antwoord toevoegen", "Add an option";
    PollsOptionRemove => "Antwoord {n} verwijderen", "Remove option {n}";
    PollsChoices => "Hoeveel antwoorden kiest een inwoner?", "How many options does a resident choose?";
    PollsSingle => "Eén antwoord", "One option";
    PollsMultiple => "Meerdere antwoorden", "Several options";
    PollsMax => "Hoogstens zoveel antwoorden", "At most this many options";
    PollsAudience => "Wie mag stemmen?", "Who may vote?";
    PollsAudienceOpen =>
        "Iedereen: één stem per apparaat per website (voor een bindende peiling: stemcodes)",
        "Everyone: one vote per device per website (for a binding poll: vote codes)";
    PollsAudienceCodes => "Alleen met een gedrukte stemcode", "Only with a printed vote code";
    PollsNetworkCap => "Hoogstens zoveel stemmers per netwerk", "At most this many voters per network";
    PollsNetworkCapHint => "Remt stemmen in bulk vanaf één aansluiting; een dorpshuis of school met gedeelde wifi heeft meer nodig.",
        "Slows down bulk voting from one connection; a village hall or school on shared wifi needs more.";
    PollsResults => "Uitslag zichtbaar", "Results visible";
    PollsOpensAt => "Opent om (optioneel)", "Opens at (optional)";
    PollsClosesAt => "Sluit om (optioneel)", "Closes at (optional)";
    PollsFactOpensAt => "Opent", "Opens";
    PollsFactClosesAt => "Sluit", "Closes";
    PollsFactResults => "Regel voor de uitslag", "Results rule";
    PollsTimesHint => "In jouw tijdzone. Leeg laten: de peiling opent en sluit als jij op de knop drukt.",
        "In your time zone. Leave empty: the poll opens and closes when you press the button.";
    PollsLanguageHint => "De taal van de peiling kies je in de insluitcode (data-lang); de telefoonpagina en de overlay volgen de eerste taal van de gemeenschap.",
        "You choose the poll's language in the embed code (data-lang); the phone page and the overlay follow the community's first language.";
    PollsLocked => "In deze ronde is al gestemd: vraag, antwoorden, aantal keuzes en wie mag stemmen liggen vast. Tijden en zichtbaarheid kun je nog wijzigen; begin opnieuw (reset) om de rest te veranderen.",
        "This round already has votes: question, options, number of choices and who may vote are fixed. You can still change the times and visibility; reset the poll to change the rest.";
    PollsCreate => "Peiling maken", "Create poll";
    PollsControl => "Bediening", "Controls";
    PollsRound => "Ronde", "Round";
    PollsRevealedNow => "nu voor iedereen getoond", "now shown to everyone";
    PollsOpen => "Openen", "Open";
    PollsClose => "Sluiten", "Close";
    PollsReveal => "Uitslag tonen", "Reveal results";
    PollsHide => "Uitslag verbergen", "Hide results";
    PollsReset => "Opnieuw beginnen", "Reset";
    PollsResetAsk => "Ronde {n} opnieuw beginnen? De {votes} van deze ronde tellen dan niet meer mee.",
        "Start round {n} over? The {votes} of this round will no longer count.";
    PollsResetYes => "Ja, opnieuw beginnen", "Yes, reset";
    PollsOpened => "De peiling is open.", "The poll is open.";
    PollsClosed => "De peiling is gesloten.", "The poll is closed.";
    PollsRevealed => "De uitslag is nu voor iedereen zichtbaar.", "The results are now visible to everyone.";
    PollsHidden => "De uitslag volgt weer de regel voor zichtbaarheid.", "The results follow the visibility rule again.";
    PollsResetDone => "Opnieuw begonnen: dit is ronde {n}.", "Started over: this is round {n}.";
    PollsEdit => "Peiling bewerken", "Edit poll";
    PollsTotals => "Uitslag, live", "Results, live";
    PollsTotalsCaption => "Stemmen per antwoord in ronde {n}", "Votes per option in round {n}";
    PollsTotalsHint => "Bij meerdere antwoorden per stem tellen de aandelen op tot meer dan 100 %.",
        "With several options per vote the shares add up to more than 100 %.";
    PollsAnnounce => "{votes}. {options}.", "{votes}. {options}.";
    PollsLiveConnecting => "Verbinden met de live-stand…", "Connecting to the live results…";
    PollsLiveOn => "Live: nieuwe stemmen verschijnen vanzelf.", "Live: new votes appear by themselves.";
    PollsLiveReconnecting => "Verbinding verbroken; opnieuw verbinden…", "Connection lost; reconnecting…";
    PollsLiveStopped => "De live-stand is gestopt.", "The live results have stopped.";
    PollsLiveReconnect => "Opnieuw verbinden", "Reconnect";
    PollsElsewhere => "Is deze peiling van een andere gemeenschap dan {community}? Log dan in met het token van die gemeenschap: daarna opent ze hier.",
        "Is this poll another community's than {community}? Then sign in with that community's token: it opens here afterwards.";
    PollsSwitch => "Uitloggen en met een ander token inloggen", "Sign out and sign in with another token";
    PollsLinks => "Meedoen en uitzenden", "Joining and broadcasting";
    PollsLinksDraft => "De deelnamecode, de telefoonpagina en de QR-code werken zodra de peiling open is.",
        "The join code, the phone page and the QR code work once the poll is open.";
    PollsPhoneLink => "Telefoonpagina", "Phone page";
    PollsOverlayDark => "Overlay voor de uitzending (donker)", "Broadcast overlay (dark)";
    PollsOverlayLight => "Overlay voor de uitzending (licht)", "Broadcast overlay (light)";
    PollsCopyOverlay => "Adres van de overlay kopiëren", "Copy the overlay's address";
    PollsNewTab => "(opent in een nieuw tabblad)", "(opens in a new tab)";
    PollsQrAlt => "QR-code naar {url}", "QR code to {url}";
    PollsCodes => "Stemcodes", "Vote codes";
    PollsCodesMade => "Tot nu toe gemaakt: {n}.", "Made so far: {n}.";
    PollsCodesCount => "Aantal nieuwe codes", "Number of new codes";
    PollsCodesHint => "Elke code telt één keer. Codes zie je alleen nu; bewaar het bestand goed.",
        "Each code counts once. You see the codes only now; keep the file safe.";
    PollsCodesCsv => "Codes als CSV-bestand", "Codes as a CSV file";
    PollsCodesSheet => "Codes als printvel", "Codes as a printable sheet";
    PollsCodesReady => "{n} codes gemaakt.", "{n} codes made.";
    PollsCodesFileName => "stemcodes-{id}.csv", "vote-codes-{id}.csv";
    PollsCodesDownload => "CSV-bestand downloaden", "Download the CSV file";
    PollsCodesOpenSheet => "Printvel openen (nieuw tabblad)", "Open the printable sheet (new tab)";

    // ---- Snippet builder (screens/snippet.rs) ---------------------------------------------
    SnippetTitle => "Insluitcode", "Embed code";
    SnippetIntro => "Stel een widget samen en plak de code op de website, op de plek waar hij moet komen.",
        "Put a widget together and paste the code into the website, where it should appear.";
    SnippetKind => "Welke widget?", "Which widget?";
    SnippetKindSupport => "Steunknop", "Support button";
    SnippetKindSupportHint => "De knop om één initiatief te steunen, met de teller.", "The button to support one initiative, with its count.";
    SnippetKindList => "Lijst met initiatieven", "List of initiatives";
    SnippetKindListHint => "Alle initiatieven met zoeken en filters, steunen, meedoen en een formulier om er een te starten.",
        "All initiatives with search and filters, support, joining and a form to start one.";
    SnippetKindCard => "Eén initiatief als kaart", "One initiative as a card";
    SnippetKindCardHint => "Voor bij een artikel over het initiatief.", "For an article about the initiative.";
    SnippetKindPoll => "Peiling", "Poll";
    SnippetKindPollHint => "Stemmen en daarna de uitslag, live.", "Voting, then the results, live.";
    SnippetKindOverlay => "Peiling: alleen de uitslag, groot", "Poll: results only, large";
    SnippetKindOverlayHint => "Voor een scherm of een uitzending.", "For a screen or a broadcast.";
    SnippetKindDiscussion => "Discussie (reacties)", "Discussion (reactions)";
    SnippetKindDiscussionHint => "Reacties van inwoners onder een artikel, een peiling of een initiatief.",
        "Residents' reactions below an article, a poll or an initiative.";
    SnippetDiscussionOn => "Waaronder komt de discussie?", "What is the discussion under?";
    SnippetDiscussionTopic => "Een onderwerp (bij een artikel of pagina)", "A topic (for an article or page)";
    SnippetDiscussionPoll => "Een peiling", "A poll";
    SnippetDiscussionInitiative => "Een initiatief", "An initiative";
    SnippetTopic => "Onderwerp", "Topic";
    SnippetNoTopics => "Er zijn nog geen onderwerpen.", "There are no topics yet.";
    SnippetTopicsLink => "Maak een onderwerp bij Discussies.", "Create a topic in Discussions.";
    SnippetInitiative => "Initiatief", "Initiative";
    SnippetNoInitiatives => "Er zijn nog geen gepubliceerde initiatieven.", "There are no published initiatives yet.";
    SnippetPoll => "Peiling", "Poll";
    SnippetPollHint => "Een concept kun je al plaatsen: de widget zegt dan dat de peiling nog niet open is.",
        "You can already place a draft: the widget then says the poll is not open yet.";
    SnippetPollDraft => "Deze peiling is nog een concept: de widget toont haar zodra je haar opent.",
        "This poll is still a draft: the widget shows it once you open it.";
    SnippetPollId => "Code (id) van de peiling", "The poll's id";
    SnippetPollIdHint => "Je ziet de peilingen niet met jouw rol; vraag de id aan de redactie.",
        "Your role does not see the polls; ask the editors for the id.";
    SnippetNoPolls => "Er zijn nog geen peilingen.", "There are no polls yet.";
    SnippetArea => "Alleen deze buurt", "Only this area";
    SnippetAreaAll => "Alle buurten", "All areas";
    SnippetLimit => "Initiatieven per pagina", "Initiatives per page";
    SnippetSubmit => "Met het formulier om een initiatief te starten", "With the form to start an initiative";
    SnippetLang => "Taal", "Language";
    SnippetLangNl => "Nederlands (standaard)", "Dutch (default)";
    SnippetLangEn => "Engels", "English";
    SnippetTheme => "Kleuren", "Colours";
    SnippetThemeAuto => "Volgt de bezoeker (standaard)", "Follow the visitor (default)";
    SnippetThemeLight => "Licht", "Light";
    SnippetThemeDark => "Donker", "Dark";
    SnippetResult => "De code", "The code";
    SnippetChooseInitiative => "Kies eerst een initiatief.", "Choose an initiative first.";
    SnippetChooseTopic => "Kies eerst een onderwerp.", "Choose a topic first.";
    SnippetChoosePoll => "Kies eerst een peiling.", "Choose a poll first.";
    SnippetCode => "Code om op de website te plakken", "Code to paste into the website";
    SnippetCodeHintIframe => "Plak het frame waar de widget moet komen; het toont de pagina van de server.",
        "Paste the frame where the widget should go; it shows the server's page.";
    SnippetIframeLook => "Accentkleur en lettertype gelden alleen voor het script, niet in een iframe.",
        "The accent colour and font apply to the script only, not in an iframe.";
    SnippetCss => "Regel voor het stylesheet van je website", "Rule for your website's stylesheet";
    SnippetCssHint => "Zet deze regel in het CSS-bestand van je website; de code hierboven heeft dan geen style-attribuut.",
        "Put this rule in your website's CSS file; the code above then has no style attribute.";
    SnippetCssCopy => "Regel kopiëren", "Copy rule";
    SnippetResizeTitle => "Optioneel: de hoogte laten meegroeien", "Optional: let the height follow the content";
    SnippetResize => "Script voor de hoogte van het frame", "Script for the frame's height";
    SnippetResizeHint => "Mag je toch één klein script op de pagina zetten, dan past dit de hoogte van het frame aan zijn inhoud aan. Zonder blijft het frame even hoog als in de code.",
        "If you may add one small script to the page after all, this one fits the frame's height to its content. Without it the frame keeps the height in the code.";
    SnippetResizeCopy => "Script kopiëren", "Copy script";
    SnippetLook => "Uiterlijk", "Look";
    SnippetAccentOwn => "Eigen accentkleur (voor knoppen, randen en de voortgangsbalk)", "Own accent colour (for buttons, borders and the progress bar)";
    SnippetAccent => "Accentkleur", "Accent colour";
    SnippetAccentHint => "De tekstkleur op de accentkleur (wit of bijna-zwart) kiest de bouwer zelf: wat het meeste contrast geeft.",
        "The builder picks the text colour on the accent itself (white or near-black): whichever contrasts more.";
    SnippetContrastTitle => "Let op: te weinig contrast met deze accentkleur", "Note: too little contrast with this accent colour";
    SnippetContrastText => "Tekst op de accentkleur haalt hoogstens {ratio}:1; nodig is 4,5:1. Kies een donkerdere of een lichtere kleur.",
        "Text on the accent colour reaches {ratio}:1 at most; 4.5:1 is needed. Choose a darker or a lighter colour.";
    SnippetContrastLight => "Op de lichte achtergrond van de widget haalt de accentkleur {ratio}:1; randen, pictogrammen en de voortgangsbalk hebben minstens 3:1 nodig. Kies een donkerdere kleur.",
        "On the widget's light background the accent colour reaches {ratio}:1; borders, icons and the progress bar need at least 3:1. Choose a darker colour.";
    SnippetContrastDark => "Op de donkere achtergrond van de widget haalt de accentkleur {ratio}:1; randen, pictogrammen en de voortgangsbalk hebben minstens 3:1 nodig. Kies een lichtere kleur, of zet Kleuren op Licht.",
        "On the widget's dark background the accent colour reaches {ratio}:1; borders, icons and the progress bar need at least 3:1. Choose a lighter colour, or set Colours to Light.";
    SnippetFont => "Lettertype", "Font";
    SnippetFontWidget => "Dat van de widget (standaard)", "The widget's (default)";
    SnippetFontSystem => "Systeemletters van de bezoeker", "The visitor's system fonts";
    SnippetFontSerif => "Schreefletter", "Serif";
    SnippetFontInherit => "Dat van je eigen website", "Your own website's";
    SnippetStyleSheet => "Uiterlijk in het stylesheet van mijn website zetten, niet in de code", "Put the look in my website's stylesheet, not in the code";
    SnippetStyleSheetHint => "Kies dit als de Content-Security-Policy van je website geen style-attributen toestaat.",
        "Choose this when your website's Content-Security-Policy does not allow style attributes.";
    SnippetForm => "Hoe komt de widget op de pagina?", "How does the widget go on the page?";
    SnippetFormScript => "Script (aanbevolen)", "Script (recommended)";
    SnippetFormScriptHint => "Past zich aan de pagina aan en volgt kleur en lettertype.", "Fits the page and follows the colour and font.";
    SnippetFormIframe => "Iframe (voor sites die geen script toestaan)", "Iframe (for sites that allow no script)";
    SnippetFormIframeHint => "Een frame met de pagina van de server; het heeft een vaste hoogte, tenzij je het optionele script erbij zet.",
        "A frame with the server's page; it has a fixed height unless you add the optional script.";
    // In the snippet's language (not the console's): the link a placeholder holds until the
    // widget replaces it, and an iframe's title.
    SnippetFallbackSupport => "Steun dit initiatief op Mekaar", "Support this initiative on Mekaar";
    SnippetFallbackList => "Bekijk de initiatieven op Mekaar", "See the initiatives on Mekaar";
    SnippetFallbackCard => "Bekijk dit initiatief op Mekaar", "See this initiative on Mekaar";
    SnippetFallbackPoll => "Stem in deze peiling op Mekaar", "Vote in this poll on Mekaar";
    SnippetFallbackOverlay => "Bekijk de uitslag van deze peiling op Mekaar", "See this poll's results on Mekaar";
    SnippetFrameSupport => "Mekaar: steun dit initiatief", "Mekaar: support this initiative";
    SnippetFrameList => "Mekaar: initiatieven", "Mekaar: initiatives";
    SnippetFrameCard => "Mekaar: initiatief", "Mekaar: initiative";
    SnippetFramePoll => "Mekaar: peiling", "Mekaar: poll";
    SnippetFrameOverlay => "Mekaar: uitslag van de peiling", "Mekaar: poll results";
    SnippetFallbackDiscussion => "Praat mee op Mekaar", "Join the discussion on Mekaar";
    SnippetFrameDiscussion => "Mekaar: discussie", "Mekaar: discussion";
    SnippetCodeHint => "De eerste regel (het script) hoeft maar één keer op een pagina, ook bij meer widgets.",
        "The first line (the script) is needed only once per page, also with several widgets.";
    SnippetCopy => "Code kopiëren", "Copy code";
    SnippetPreview => "Voorbeeld", "Preview";
    SnippetPreviewHint => "Dit is de echte widget met deze code, als voorbeeld: wat je hier doet, telt niet mee en wordt niet bewaard.",
        "This is the real widget with this code, as a preview: what you do here does not count and is not saved.";
    SnippetPreviewTitle => "Voorbeeld van de widget", "Preview of the widget";
    SnippetOriginsTitle => "Toegestane websites", "Allowed websites";
    SnippetOrigins => "De widget werkt alleen op websites waarvan het adres (bijvoorbeeld https://www.baarlo.nl) bij de toegestane websites van de gemeenschap staat.",
        "The widget only works on websites whose address (for example https://www.baarlo.nl) is among the community's allowed websites.";
    SnippetOriginsNow => "Nu toegestaan:", "Allowed now:";
    SnippetOriginsNone => "Er is nog geen enkele website toegestaan.", "No website is allowed yet.";
    SnippetOriginsSettings => "Toegestane websites wijzigen in de instellingen", "Change the allowed websites in the settings";
    SnippetOriginsAsk => "Staat de website er niet bij? Vraag een beheerder van de gemeenschap om hem toe te voegen.",
        "Is the website missing? Ask an administrator of the community to add it.";
    SnippetCsp => "Heeft de website een Content-Security-Policy? Zet dan {server} in script-src en connect-src, en voeg 'wasm-unsafe-eval' toe aan script-src en 'unsafe-inline' aan style-src.",
        "Does the website have a Content-Security-Policy? Then put {server} in script-src and connect-src, and add 'wasm-unsafe-eval' to script-src and 'unsafe-inline' to style-src.";

    // ---- Reactions queue (screens/reactions.rs) --------------------------------------------
    ReactionsTitle => "Reacties", "Reactions";
    ReactionsIntro => "Reacties van inwoners bij initiatieven, peilingen en discussies. Beslis hier per reactie; elke beslissing komt in het logboek.",
        "Residents' reactions on initiatives, polls and discussions. Decide here per reaction; every decision goes into the audit log.";
    ReactionsQueueLabel => "Welke reacties", "Which reactions";
    ReactionsTabPending => "Wachten op goedkeuring", "Waiting for approval";
    ReactionsTabReported => "Gemeld", "Reported";
    ReactionsTabAll => "Alle reacties", "All reactions";
    ReactionsTabCount => "{tab} ({n})", "{tab} ({n})";
    ReactionsEmptyPending => "Er wachten geen reacties op goedkeuring.", "No reactions are waiting for approval.";
    ReactionsEmptyReported => "Er zijn geen gemelde reacties om te bekijken.", "There are no reported reactions to look at.";
    ReactionsEmptyAll => "Er zijn nog geen reacties.", "There are no reactions yet.";
    ReactionsListCaption => "{queue}: {n} reacties, nieuwste eerst.", "{queue}: {n} reactions, newest first.";
    ReactionsItemTitle => "Reactie van {name}", "Reaction by {name}";
    ReactionsResident => "Inwoner", "Resident";
    ReactionsBadgeInitiator => "initiatiefnemer", "initiator";
    ReactionsBadgeMunicipality => "gemeente", "municipality";
    ReactionsFactThread => "Bij", "On";
    ReactionsFactState => "Staat", "State";
    ReactionsFactWhen => "Geplaatst", "Posted";
    ReactionsEdited => "bewerkt", "edited";
    ReactionsFactStance => "Standpunt", "Stance";
    ReactionsFactReply => "Soort", "Kind";
    ReactionsFactReplyYes => "antwoord op een andere reactie", "reply to another reaction";
    ReactionsFactHeld => "Wacht omdat", "Waiting because";
    ReactionsFactReports => "Meldingen", "Reports";
    ReactionsReportsOpen => "{n}, nog niet bekeken", "{n}, not looked at yet";
    ReactionsReportsSeen => "{n}, al bekeken", "{n}, looked at";
    ReactionsKindInitiative => "Initiatief", "Initiative";
    ReactionsKindPoll => "Peiling", "Poll";
    ReactionsKindTopic => "Discussie", "Discussion";
    ReactionsStatePending => "wacht op goedkeuring", "waiting for approval";
    ReactionsStatePublished => "zichtbaar", "visible";
    ReactionsStateHidden => "verborgen", "hidden";
    ReactionsStateRemoved => "verwijderd", "removed";
    ReactionsStanceFor => "voor", "for";
    ReactionsStanceAgainst => "tegen", "against";
    ReactionsStanceQuestion => "vraag", "question";
    ReactionsStanceIdea => "idee", "idea";
    ReactionsHeldPre => "alle reacties worden eerst goedgekeurd", "every reaction is approved first";
    ReactionsHeldLink => "er staat een link in", "it contains a link";
    ReactionsHeldWord => "er staat een woord uit de woordenlijst in", "it contains a word from the word list";
    ReactionsHeldFirst => "het is de eerste reactie van deze inwoner", "it is this resident's first reaction";
    ReactionsTextRemoved => "De tekst en naam zijn gewist.", "The text and name were erased.";
    ReactionsApprove => "Goedkeuren", "Approve";
    ReactionsHide => "Verbergen", "Hide";
    ReactionsKeep => "Laten staan (meldingen afhandelen)", "Keep (reports dealt with)";
    ReactionsRestore => "Weer tonen", "Show again";
    ReactionsRemove => "Verwijderen", "Remove";
    ReactionsEraseName => "Naam wissen", "Erase name";
    ReactionsReply => "Reageren als gemeente", "Reply as the municipality";
    ReactionsApproved => "Goedgekeurd: de reactie is nu zichtbaar.", "Approved: the reaction is visible now.";
    ReactionsHidden => "Verborgen: inwoners zien de reactie niet meer.", "Hidden: residents no longer see the reaction.";
    ReactionsKept => "De reactie blijft staan; de meldingen zijn afgehandeld.", "The reaction stays; the reports are dealt with.";
    ReactionsRestored => "De reactie is weer zichtbaar.", "The reaction is visible again.";
    ReactionsRemoved => "Verwijderd: tekst en naam zijn gewist.", "Removed: text and name are erased.";
    ReactionsNameErased => "De naam is gewist; de reactie staat er nu als van een inwoner.", "The name is erased; the reaction now shows as a resident's.";
    ReactionsRemoveAsk => "Deze reactie verwijderen? De tekst en de naam worden echt gewist en zijn niet terug te halen.",
        "Remove this reaction? Its text and name are erased for good and cannot be brought back.";
    ReactionsRemoveYes => "Ja, verwijderen en wissen", "Yes, remove and erase";
    ReactionsReplyTitle => "Antwoord als gemeente", "Reply as the municipality";
    ReactionsReplyText => "Tekst", "Text";
    ReactionsReplyName => "Naam bij het antwoord (optioneel)", "Name with the reply (optional)";
    ReactionsReplyNameHint => "Bijvoorbeeld: Gemeente Oldebroek. Leeg laten: de naam van de gemeenschap. Het antwoord krijgt het label gemeente en is meteen zichtbaar.",
        "For example: Gemeente Oldebroek. Leave empty: the community's name. The reply gets the municipality label and shows at once.";
    ReactionsReplySend => "Antwoord plaatsen", "Post reply";
    ReactionsReplied => "Je antwoord is geplaatst.", "Your reply is posted.";

    // ---- Discussions (screens/topics.rs) -----------------------------------------------------
    TopicsTitle => "Discussies", "Discussions";
    TopicsIntro => "Open een discussie bij elk artikel of elke pagina: maak een onderwerp en plak de code eronder. Tijden zijn Nederlandse tijd.",
        "Open a discussion under any article or page: create a topic and paste its code below it. Times are Dutch time.";
    TopicsNew => "Nieuw onderwerp", "New topic";
    TopicsFieldTitle => "Titel", "Title";
    TopicsFieldTitleHint => "De vraag of stelling, zoals: Moet de kermis terug naar het dorpsplein?",
        "The question or statement, such as: Should the fair return to the village square?";
    TopicsFieldIntro => "Inleiding (optioneel)", "Introduction (optional)";
    TopicsFieldCloses => "Sluit op (optioneel, Nederlandse tijd)", "Closes at (optional, Dutch time)";
    TopicsFieldClosesHint => "Leeg laten: de discussie blijft open tot je haar sluit.",
        "Leave empty: the discussion stays open until you close it.";
    TopicsFieldClosesEditHint => "Leeg maken: geen sluitingstijd.", "Empty it: no closing time.";
    TopicsCreate => "Onderwerp maken", "Create topic";
    TopicsCreated => "Onderwerp {title} is gemaakt. De code om te plakken staat bij het onderwerp.",
        "Topic {title} is created. The code to paste is with the topic.";
    TopicsList => "Onderwerpen", "Topics";
    TopicsEmpty => "Er zijn nog geen onderwerpen.", "There are no topics yet.";
    TopicsFactState => "Staat", "State";
    TopicsOpen => "open", "open";
    TopicsClosed => "gesloten", "closed";
    TopicsFactCloses => "Sluit", "Closes";
    TopicsNoClosing => "Geen", "None";
    TopicsFactReactions => "Reacties", "Reactions";
    TopicsSnippet => "Code om te plakken", "Code to paste";
    TopicsSnippetLabel => "Plak deze code onder het artikel", "Paste this code below the article";
    TopicsSnippetHint => "De website moet bij de toegestane websites staan. Meer keuzes (taal, kleuren) in Insluitcode.",
        "The website must be among the allowed websites. More choices (language, colours) in Embed code.";
    TopicsEdit => "Bewerken", "Edit";
    TopicsClose => "Discussie sluiten", "Close discussion";
    TopicsReopen => "Discussie weer openen", "Open discussion again";
    TopicsClosedDone => "De discussie is gesloten: er kan niet meer gereageerd worden.", "The discussion is closed: no more reactions can be posted.";
    TopicsReopened => "De discussie is weer open.", "The discussion is open again.";
    TopicsThread => "Discussie", "Discussion";
    TopicsThreadTitle => "{kind}: {title}", "{kind}: {title}";
    TopicsBack => "Terug naar de discussies", "Back to the discussions";
    TopicsFacts => "Stand", "Status";
    TopicsEditTitle => "Onderwerp bewerken", "Edit topic";
    TopicsEditClosing => "Sluitingstijd", "Closing time";
    TopicsOfficial => "Reageren als gemeente", "React as the municipality";
    TopicsOfficialHint => "Een reactie met het label gemeente, meteen zichtbaar. Op één reactie antwoorden doe je bij Reacties.",
        "A reaction with the municipality label, visible at once. To answer one reaction, go to Reactions.";
    TopicsOfficialSend => "Reactie plaatsen", "Post reaction";
    TopicsOfficialPosted => "Je reactie is geplaatst.", "Your reaction is posted.";
    TopicsOfficialName => "Naam bij de reactie (optioneel)", "Name with the reaction (optional)";
    TopicsOfficialNameHint => "Bijvoorbeeld: Gemeente Oldebroek. Leeg laten: de naam van de gemeenschap.",
        "For example: Gemeente Oldebroek. Leave empty: the community's name.";
    TopicsOther => "Reacties onder een peiling of initiatief", "Reactions under a poll or an initiative";
    TopicsOtherHint => "Ook daar kun je de discussie sluiten, een sluitingstijd zetten en de code vinden.",
        "There too you can close the discussion, set a closing time and find the code.";
    TopicsOtherPick => "Peiling of initiatief", "Poll or initiative";
    TopicsOtherOpen => "Instellingen openen", "Open settings";
    TopicsOtherNone => "Er zijn nog geen peilingen of initiatieven.", "There are no polls or initiatives yet.";

    // ---- Audit log ------------------------------------------------------------------------
    AuditTitle => "Logboek", "Audit log";
    AuditIntro => "Wie wat deed in deze gemeenschap, nieuwste eerst: besluiten over initiatieven, reacties, peilingen, tokens en gewiste persoonsgegevens.",
        "Who did what in this community, newest first: decisions on initiatives, answers, polls, tokens and erased personal data.";
    AuditEmpty => "Het logboek is nog leeg.", "The log is still empty.";
    AuditCaption => "De laatste {n} regels", "The latest {n} entries";
    AuditWhen => "Tijd", "Time";
    AuditActor => "Wie", "Who";
    AuditAction => "Actie", "Action";
    AuditInitiative => "Initiatief of peiling", "Initiative or poll";
    AuditNote => "Notitie", "Note";
    AuditMore => "Meer laden", "Load more";
    AuditAll => "Dit zijn alle regels.", "These are all entries.";
    AuditOpen => "{id} openen", "Open {id}";
    AuditDoCreate => "Initiatief ingediend", "Initiative submitted";
    AuditDoEdit => "Initiatief bewerkt", "Initiative edited";
    AuditDoAnswer => "Officiële reactie geplaatst", "Official answer posted";
    AuditDoApprove => "Goedgekeurd", "Approved";
    AuditDoReject => "Afgewezen", "Rejected";
    AuditDoHide => "Verborgen", "Hidden";
    AuditDoRestore => "Hersteld", "Restored";
    AuditDoAutoHide => "Verborgen na meldingen", "Hidden after reports";
    AuditDoTokenCreate => "Toegangstoken gemaakt", "Access token created";
    AuditDoTokenDelete => "Toegangstoken verwijderd", "Access token deleted";
    AuditDoPollCreated => "Peiling gemaakt", "Poll created";
    AuditDoPollEdited => "Peiling bewerkt", "Poll edited";
    AuditDoPollOpened => "Peiling geopend", "Poll opened";
    AuditDoPollClosed => "Peiling gesloten", "Poll closed";
    AuditDoPollRevealed => "Uitslag getoond", "Results shown";
    AuditDoPollUnrevealed => "Uitslag verborgen", "Results hidden";
    AuditDoPollReset => "Peiling opnieuw begonnen", "Poll restarted";
    AuditDoEraseInitiator => "Gegevens initiatiefnemer gewist", "Initiator's data erased";
    AuditDoEraseJoiner => "Gegevens deelnemer gewist", "Joiner's data erased";
    AuditDoPhotoSet => "Foto geplaatst", "Photo posted";
    AuditDoPhotoRemove => "Foto verwijderd", "Photo removed";
    AuditActorServer => "serverbeheerder", "server administrator";
    AuditActorInitiator => "initiatiefnemer", "initiator";
    AuditActorSystem => "automatisch (na meldingen)", "automatic (after reports)";
    AuditActorRetention => "bewaartermijn", "retention period";
    AuditDoVoteCodes => "Stemcodes gemaakt", "Vote codes made";
    AuditNoteReset => "Ronde {from} met {votes} stemmen opzijgezet, nu ronde {to}.",
        "Round {from} with {votes} votes set aside, now round {to}.";
    AuditNoteCodes => "{n} stuks.", "{n} of them.";
    AuditNoteReopened => "Opnieuw geopend.", "Opened again.";
    AuditDoSettings => "Instellingen gewijzigd", "Settings changed";
    AuditDoWebhookCreate => "Webhook toegevoegd", "Webhook added";
    AuditDoWebhookDelete => "Webhook verwijderd", "Webhook deleted";
    AuditDoErasePersonalData => "Persoonsgegevens gewist (bewaartermijn)", "Personal data erased (retention)";
    AuditDoReactionApprove => "Reactie goedgekeurd", "Reaction approved";
    AuditDoReactionHide => "Reactie verborgen", "Reaction hidden";
    AuditDoReactionRestore => "Reactie weer getoond", "Reaction shown again";
    AuditDoReactionRemove => "Reactie verwijderd en gewist", "Reaction removed and erased";
    AuditDoReactionEraseName => "Naam bij reactie gewist", "Name of a reaction erased";
    AuditDoReactionPost => "Reactie als gemeente geplaatst", "Reaction posted as the municipality";
    AuditDoTopicCreate => "Discussieonderwerp gemaakt", "Discussion topic created";
    AuditDoThreadUpdate => "Discussie gewijzigd (open, sluitingstijd of tekst)", "Discussion changed (open, closing time or text)";

    // Issue 16: next steps and meetings in the log.
    AuditDoStepDone => "Stap afgevinkt", "Step ticked";
    AuditDoStepUndone => "Stap niet meer afgevinkt", "Step unticked";
    AuditDoStepsUpdate => "Stappen gewijzigd", "Steps changed";
    AuditNoteStep => "Stap: {title}", "Step: {title}";
    AuditNoteSteps => "Nu {n} stappen: {titles}", "Now {n} steps: {titles}";
    AuditNoteNoSteps => "Geen stappen meer.", "No steps any more.";
    AuditDoMeetingAdd => "Bijeenkomst gepland", "Meeting planned";
    AuditDoMeetingEdit => "Bijeenkomst gewijzigd", "Meeting changed";
    AuditDoMeetingCancel => "Bijeenkomst afgelast", "Meeting cancelled";

    // ---- Next steps (screens/steps.rs) -----------------------------------------------------
    StepsTitle => "Stappen", "Steps";
    StepsIntro => "De weg van idee naar resultaat: de stappen die initiatiefnemers bij jullie zetten, in volgorde. Initiatiefnemers vinken ze af op hun beheerpagina; moderatoren kunnen dat voor hen doen.",
        "The way from idea to result: the steps initiators take in your community, in order. Initiators tick them on their manage page; moderators can do it for them.";
    StepsEdit => "Stappen bewerken", "Edit the steps";
    StepsEditHint => "Hoogstens {max} stappen. Een stap kan op slot zitten tot een initiatief genoeg steun heeft of een bepaalde fase bereikt. Wijzigingen gelden pas na Opslaan; een verwijderde stap verdwijnt ook bij de initiatieven die hem hadden afgevinkt.",
        "At most {max} steps. A step can stay locked until an initiative has enough supports or reaches a certain phase. Changes apply once you save; a removed step also goes from the initiatives that had ticked it.";
    StepsEmpty => "Er zijn nog geen stappen. Voeg de eerste toe.", "There are no steps yet. Add the first one.";
    StepsNumber => "Stap {n}", "Step {n}";
    StepsFieldTitle => "Titel", "Title";
    StepsFieldDescription => "Uitleg (optioneel)", "Explanation (optional)";
    StepsFieldLink => "Link (optioneel)", "Link (optional)";
    StepsFieldSupports => "Open vanaf aantal steunbetuigingen (optioneel)", "Open from this many supports (optional)";
    StepsFieldSupportsHint => "Leeg of 0: geen drempel.", "Empty or 0: no threshold.";
    StepsFieldStatus => "Open vanaf fase", "Open from phase";
    StepsNoStatus => "Altijd open", "Always open";
    StepsMoveUp => "Omhoog", "Up";
    StepsMoveDown => "Omlaag", "Down";
    StepsRemove => "Verwijderen", "Remove";
    StepsMoveUpLabel => "Stap {n} omhoog", "Move step {n} up";
    StepsMoveDownLabel => "Stap {n} omlaag", "Move step {n} down";
    StepsRemoveLabel => "Stap {n} verwijderen", "Remove step {n}";
    StepsAdd => "Stap toevoegen", "Add a step";
    StepsSave => "Stappen opslaan", "Save the steps";
    StepsFunnel => "Waar staan de initiatieven?", "Where are the initiatives?";
    StepsFunnelHint => "Gepubliceerde initiatieven die niet gestopt zijn. Gedaan: zoveel initiatieven vinkten de stap af. Hier nu: voor zoveel initiatieven is dit de eerste stap die nog open staat.",
        "Published initiatives that have not stopped. Done: this many initiatives ticked the step. Here now: for this many initiatives it is the first step still open.";
    StepsFunnelCaption => "{n} initiatieven, waarvan {all} met alle stappen gedaan", "{n} initiatives, {all} of them with every step done";
    StepsFunnelStep => "Stap", "Step";
    StepsFunnelDone => "Gedaan", "Done";
    StepsFunnelCurrent => "Hier nu", "Here now";
    StepsFunnelAllDone => "Alle stappen gedaan", "Every step done";
    StepsFunnelNoSteps => "Zodra er stappen zijn, zie je hier waar de initiatieven staan.", "Once there are steps, you see here where the initiatives are.";
    StepsOfInitiative => "Stappen", "Steps";
    StepsOfInitiativeHint => "Vink een stap af voor de initiatiefnemer, of haal het vinkje weg.", "Tick a step for the initiator, or untick it.";
    StepsUnlockSupportsText => "{n} steunbetuigingen", "{n} supports";
    StepsUnlockStatusText => "fase ‘{status}’", "phase ‘{status}’";
    StepsAnd => " en ", " and ";
    StepsLockedUntil => "Op slot tot: {what}", "Locked until: {what}";
    StepsUnlockedBy => "Open sinds: {what}", "Open since: {what}";
    StepsDoneAt => "Afgevinkt op {when}", "Ticked on {when}";
    ErrStepLocked => "Deze stap zit nog op slot: het initiatief heeft de drempel nog niet bereikt.",
        "This step is still locked: the initiative has not reached its threshold yet.";
    RuleStepLink => "Vul een volledig http://- of https://-adres in (hoogstens 500 tekens), of laat het veld leeg.",
        "Enter a full http:// or https:// address (at most 500 characters), or leave the field empty.";
    RuleSteps => "Hoogstens 20 stappen.", "At most 20 steps.";

    // ---- Meetings of an initiative (screens/meetings.rs) -------------------------------------
    MeetingsTitle => "Bijeenkomsten", "Meetings";
    MeetingsHint => "Bijeenkomsten van dit initiatief, in Nederlandse tijd. Een afgelaste bijeenkomst blijft zichtbaar als afgelast.",
        "This initiative's meetings, in Dutch time. A cancelled meeting stays listed as cancelled.";
    MeetingsEmpty => "Nog geen bijeenkomsten.", "No meetings yet.";
    MeetingsCancelled => "Afgelast", "Cancelled";
    MeetingsAttending => "Aanmeldingen: {n} van {cap}", "Attending: {n} of {cap}";
    MeetingsAttendingOpen => "Aanmeldingen: {n} (geen maximum)", "Attending: {n} (no limit)";
    MeetingsOnline => "Online", "Online";
    MeetingsEdit => "Bewerken", "Edit";
    MeetingsEditLabel => "‘{title}’ bewerken", "Edit ‘{title}’";
    MeetingsCancel => "Afgelasten", "Cancel";
    MeetingsCancelLabel => "‘{title}’ afgelasten", "Cancel ‘{title}’";
    MeetingsReinstate => "Gaat toch door", "Put back on";
    MeetingsReinstateLabel => "‘{title}’ gaat toch door", "Put ‘{title}’ back on";
    MeetingsCancelledSaid => "‘{title}’ is afgelast.", "‘{title}’ is cancelled.";
    MeetingsReinstatedSaid => "‘{title}’ gaat weer door.", "‘{title}’ is back on.";
    MeetingsNew => "Bijeenkomst toevoegen", "Add a meeting";
    MeetingsEditing => "Bijeenkomst bewerken: {title}", "Edit meeting: {title}";
    MeetingsFieldTitle => "Titel", "Title";
    MeetingsFieldDate => "Datum", "Date";
    MeetingsFieldStart => "Begintijd", "Start time";
    MeetingsFieldEnd => "Eindtijd", "End time";
    MeetingsTimeHint => "Datum en tijden in Nederlandse tijd; de eindtijd valt op dezelfde dag.",
        "Date and times in Dutch time (Europe/Amsterdam); the end is on the same day.";
    MeetingsWhereHint => "Vul een plaats in, een online link, of allebei.", "Enter a place, an online link, or both.";
    MeetingsFieldPlace => "Plaats (adres)", "Place (address)";
    MeetingsFieldOnline => "Online link", "Online link";
    MeetingsFieldCapacity => "Maximum aantal deelnemers (optioneel)", "Most participants (optional)";
    MeetingsCapacityHint => "Leeg: geen maximum.", "Empty: no limit.";
    MeetingsFieldDescription => "Beschrijving (optioneel)", "Description (optional)";
    MeetingsAdd => "Bijeenkomst toevoegen", "Add the meeting";
    MeetingsSave => "Wijzigingen opslaan", "Save the changes";
    MeetingsStopEditing => "Stoppen met bewerken", "Stop editing";
    MeetingsAdded => "Bijeenkomst toegevoegd: {title}.", "Meeting added: {title}.";
    ErrMeetingInPast => "Een bijeenkomst kan niet in het verleden beginnen.", "A meeting cannot start in the past.";
    ErrMeetingEndBeforeStart => "De eindtijd moet na de begintijd liggen, en een bijeenkomst duurt hoogstens twee dagen.",
        "The end time must be after the start time, and a meeting lasts at most two days.";
    ErrMeetingTitle => "Geef de bijeenkomst een titel.", "Give the meeting a title.";
    ErrMeetingTime => "Vul een geldige datum en tijd in.", "Enter a valid date and time.";
    RuleMeetingPlace => "Vul een plaats of een online link in; een plaats op één regel van hoogstens 200 tekens.",
        "Enter a place or an online link; a place on one line of at most 200 characters.";
    RuleMeetingCapacity => "Vul een geheel getal van 1 tot 100000 in, of laat het veld leeg.",
        "Enter a whole number from 1 to 100000, or leave the field empty.";

    // ---- Export -------------------------------------------------------------------------
    ExportTitle => "Export", "Export";
    ExportIntro => "De gegevens van de gemeenschap blijven van de gemeenschap. Download ze wanneer je wilt: om te bewaren, te onderzoeken of naar een andere Mekaar-server te verhuizen.",
        "The community's data stays the community's. Download it whenever you like: to keep, to study, or to move to another Mekaar server.";
    ExportAll => "Alles van deze gemeenschap", "Everything of this community";
    ExportAllText => "Eén bestand (JSON Lines, met een versienummer): instellingen, initiatieven met hun nieuws, reacties en meldingen, steunbetuigingen en deelnemers, peilingen en stemmen, webhooks en het logboek. Tokens, stemcodes en de sleutels van steuners en stemmers staan er alleen als hash in.",
        "One file (JSON Lines, with a version number): settings, initiatives with their updates, answers and reports, supports and joiners, polls and votes, webhooks and the audit log. Tokens, vote codes and the keys of supporters and voters are in it as hashes only.";
    ExportPrivate => "Let op: dit bestand bevat persoonsgegevens (namen en contactgegevens van initiatiefnemers en deelnemers) en de hashes van de toegangstokens. Bewaar het even zorgvuldig als de server zelf.",
        "Note: this file holds personal data (names and contact details of initiators and joiners) and the hashes of the access tokens. Keep it as carefully as the server itself.";
    ExportImport => "Een andere Mekaar-server leest het in met: mekaar-server import BESTAND (in een lege datamap).",
        "Another Mekaar server reads it with: mekaar-server import FILE (into an empty data directory).";
    ExportDownload => "Export downloaden (.jsonl)", "Download the export (.jsonl)";
    ExportOpenData => "Open data", "Open data";
    ExportOpenDataText => "Openbare CSV-bestanden voor iedereen, zonder persoonsgegevens: de gepubliceerde initiatieven, en de uitslagen van peilingen die zichtbaar zijn. Deze adressen kun je delen, bijvoorbeeld op een open-dataportaal.",
        "Public CSV files for everyone, without personal data: the published initiatives, and the results of polls that are visible. You can share these addresses, for example on an open data portal.";
    ExportInitiativesCsv => "Initiatieven (CSV)", "Initiatives (CSV)";
    ExportPollsCsv => "Uitslagen van peilingen (CSV)", "Poll results (CSV)";
    // Issue 14: the poll control's on-air state and preview.
    PollsOnAirOpen => "OPEN: er kan gestemd worden", "OPEN: people can vote";
    PollsOnAirClosed => "GESLOTEN: stemmen kan niet meer", "CLOSED: voting has ended";
    PollsOnAirPreview => "Op beeld (voorbeeld van de donkere overlay)", "On air (preview of the dark overlay)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_every_language() {
        for key in Key::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} in {lang:?}");
            }
        }
    }

    /// The same `{placeholders}` in both languages.
    #[test]
    fn placeholders_match() {
        fn names(s: &str) -> Vec<&str> {
            let mut out: Vec<&str> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n))
                .collect();
            out.sort_unstable();
            out
        }
        for key in Key::ALL {
            assert_eq!(
                names(key.text(Lang::Nl)),
                names(key.text(Lang::En)),
                "{key:?}"
            );
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("NL"), Some(Lang::Nl));
        assert_eq!(Lang::parse("nl_BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill("Probeer het over {n} seconden", &[("n", "30")]),
            "Probeer het over 30 seconden"
        );
    }
}
