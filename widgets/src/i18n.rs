//! The one translation table: every string a resident can see or hear comes from here.
//!
//! Add a language by adding a [`Lang`] variant and a column to [`table!`]; the macro makes
//! it impossible to add a key without a text for every language.

/// A language the widgets speak. Dutch is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// Every language, for tests.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// From a `data-lang` attribute (`"en"`, `"en-GB"`, `"NL"`, …). Anything unknown is Dutch.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        let tag = tag.unwrap_or("").trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Nl
        }
    }

    /// The BCP 47 tag, for the widget root's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

macro_rules! table {
    ($($key:ident => $nl:literal, $en:literal;)*) => {
        /// A key into the translation table.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key {
            $($key,)*
        }

        /// The texts by key, then by language (a table, not a `match`: smaller wasm).
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
    SupportButton => "Steun dit initiatief", "Support this initiative";
    // The same button once pressed (`aria-pressed` stays; the words say what a click does).
    Supporting => "Je steunt dit · klik om in te trekken", "You support this · click to withdraw";
    Loading => "Laden…", "Loading…";
    Retry => "Opnieuw proberen", "Try again";
    // Count phrasing. `{n}` is the count, `{t}` the community's threshold (see `count_text`).
    // With a threshold the noun agrees with the larger number ("1 van 50 steunbetuigingen"),
    // without one with the count.
    CountOfThresholdOne => "{n} van {t} steunbetuiging", "{n} of {t} supporter";
    CountOfThresholdOther => "{n} van {t} steunbetuigingen", "{n} of {t} supporters";
    CountOne => "{n} steunbetuiging", "{n} supporter";
    CountOther => "{n} steunbetuigingen", "{n} supporters";
    // Shown (with a reason below) when an optimistic change had to be rolled back.
    SupportFailed => "Je steun is niet opgeslagen.", "Your support was not saved.";
    WithdrawFailed => "Je steun is niet ingetrokken.", "Your support was not withdrawn.";
    // Problems, mapped from the API's error codes (see `Problem::from_code`).
    ErrOriginNotAllowed =>
        "Deze website mag dit initiatief (nog) niet tonen. De beheerder van de gemeenschap kan de website toestaan.",
        "This website is not (yet) allowed to show this initiative. The community's administrator can allow it.";
    ErrCommunityNotFound => "Deze gemeenschap bestaat niet (meer).", "This community does not exist (any more).";
    ErrInitiativeNotFound => "Dit initiatief bestaat niet (meer).", "This initiative does not exist (any more).";
    ErrInvalidVoterKey =>
        "Je browser stuurde een ongeldige sleutel. Herlaad de pagina en probeer het opnieuw.",
        "Your browser sent an invalid key. Reload the page and try again.";
    ErrStorageUnavailable =>
        "De server kan dit nu even niet bewaren. Probeer het straks opnieuw.",
        "The server cannot save this right now. Please try again later.";
    ErrOriginNotAllowedList =>
        "Deze website mag de initiatieven van deze gemeenschap (nog) niet tonen. De beheerder van de gemeenschap kan de website toestaan.",
        "This website is not (yet) allowed to show this community's initiatives. The community's administrator can allow it.";
    ErrOriginNotAllowedPoll =>
        "Deze website mag deze peiling (nog) niet tonen. De beheerder van de gemeenschap kan de website toestaan.",
        "This website is not (yet) allowed to show this poll. The community's administrator can allow it.";
    ErrUnreachable =>
        "De server van Mekaar is nu niet bereikbaar. Probeer het straks opnieuw.",
        "The Mekaar server cannot be reached right now. Please try again later.";
    ErrMisconfigured =>
        "Deze widget is niet goed ingesteld: de gemeenschap of het initiatief ontbreekt.",
        "This widget is not set up correctly: the community or the initiative is missing.";
    ErrPreview =>
        "Dit is een voorbeeld: er is niets verstuurd of opgeslagen.",
        "This is a preview: nothing was sent or saved.";
    ErrGeneric => "Er ging iets mis. Probeer het later opnieuw.", "Something went wrong. Please try again later.";
    ErrRateLimited =>
        "Er kwam net veel tegelijk binnen vanaf jouw netwerk.",
        "A lot came in from your network just now.";
    TryInMinutes => "Probeer het over {n} min. opnieuw.", "Please try again in {n} min.";
    TryLater => "Probeer het later opnieuw.", "Please try again later.";
    ErrSpam => "Dit lijkt op spam en is niet verstuurd.", "This looks like spam and was not sent.";
    ErrManageToken =>
        "Deze beheerlink klopt niet (meer). Gebruik de volledige link die je kreeg bij het insturen.",
        "This manage link is not valid (any more). Use the complete link you got when you submitted.";
    // Form validation, shown at the field.
    ErrRequired => "Vul dit veld in.", "Please fill in this field.";
    ErrEmail => "Vul een geldig e-mailadres in.", "Please enter a valid e-mail address.";
    ErrConsent => "Vink dit aan om mee te doen.", "Please tick this box to join.";
    ErrField => "Controleer dit veld.", "Please check this field.";
    ErrContact => "Vul een e-mailadres of telefoonnummer in.", "Please enter an e-mail address or a phone number.";
    // `{n}`: the fewest characters the field takes.
    ErrTooShort => "Dit is nog te kort: schrijf minstens {n} tekens.", "This is still too short: write at least {n} characters.";
    // Under the title and summary of a new initiative; `{n}` typed, `{t}` at most.
    CharCount => "({n} van {t} tekens)", "({n} of {t} characters)";
    TitleExample => "Kort en concreet, bijvoorbeeld: Een AED aan de muur van de kerk.", "Short and concrete, for example: A defibrillator on the church wall.";
    SummaryExample =>
        "Wat wil je bereiken, en waarom? Bijvoorbeeld: Bij een hartstilstand telt elke minuut. Wij willen een AED die dag en nacht bereikbaar is.",
        "What do you want to achieve, and why? For example: In a cardiac arrest every minute counts. We want a defibrillator that can be reached day and night.";
    // The list.
    Filters => "Initiatieven zoeken en filteren", "Search and filter initiatives";
    Search => "Zoeken", "Search";
    Area => "Buurt", "Area";
    AllAreas => "Alle buurten", "All areas";
    Theme => "Thema", "Theme";
    AllThemes => "Alle thema's", "All themes";
    Status => "Fase", "Status";
    AllStatuses => "Alle fases", "All statuses";
    Sort => "Volgorde", "Order";
    SortNewest => "Nieuwste eerst", "Newest first";
    SortSupport => "Meeste steun", "Most support";
    ResultsOne => "{n} initiatief gevonden", "{n} initiative found";
    ResultsOther => "{n} initiatieven gevonden", "{n} initiatives found";
    Prev => "Vorige", "Previous";
    Next => "Volgende", "Next";
    PageOf => "Pagina {n} van {t}", "Page {n} of {t}";
    Answered => "Beantwoord", "Answered";
    // Heading of the list (for screen readers; the host page shows its own).
    ListHeading => "Initiatieven", "Initiatives";
    // `{d}` is the date the support count first reached the community's threshold.
    ReachedOn => "Drempel gehaald op {d}", "Threshold reached on {d}";
    // Status names, in the order of `InitiativeStatus::ALL`.
    StatusIdea => "Idee", "Idea";
    StatusSeeking => "Zoekt medestanders", "Seeking supporters";
    StatusProgress => "In uitvoering", "In progress";
    StatusRealised => "Gerealiseerd", "Realised";
    StatusStopped => "Gestopt", "Stopped";
    // The detail view.
    Back => "Terug naar het overzicht", "Back to the overview";
    StartedBy => "Gestart door {n} op {t}", "Started by {n} on {t}";
    StartedOn => "Gestart op {t}", "Started on {t}";
    Updates => "Nieuws van de initiatiefnemer", "News from the initiator";
    Answer => "Officiële reactie", "Official response";
    Join => "Ik doe mee", "Count me in";
    JoinCountOne => "{n} persoon doet mee", "{n} person is taking part";
    JoinCountOther => "{n} mensen doen mee", "{n} people are taking part";
    JoinIntro =>
        "Wil je helpen? Laat weten hoe de initiatiefnemer je kan bereiken.",
        "Want to help? Let the initiator know how to reach you.";
    Name => "Je naam", "Your name";
    Contact => "E-mailadres of telefoonnummer", "E-mail address or phone number";
    Message => "Bericht (niet verplicht)", "Message (optional)";
    Consent =>
        "Ik vind het goed dat de initiatiefnemer en de moderatoren mijn naam, contactgegevens en bericht zien. Anderen zien alleen hoeveel mensen meedoen.",
        "I agree that the initiator and the moderators see my name, contact details and message. Others only see how many people take part.";
    KeepInformed =>
        "Houd me op de hoogte: stuur me het nieuws per e-mail (hooguit één mail per dag; je krijgt eerst een mail om te bevestigen).",
        "Keep me informed: send me the news by e-mail (at most one a day; you get a mail to confirm first).";
    LostLink => "Link kwijt?", "Lost your link?";
    LinkEmail => "Het e-mailadres dat je bij het insturen gaf", "The e-mail address you gave when submitting";
    LinkSend => "Stuur mijn beheerlink", "Send my manage link";
    LinkSent =>
        "Als dit adres bij een initiatief hoort, krijg je de link per e-mail.",
        "If this address belongs to an initiative, the link is on its way by e-mail.";
    Joined => "Je doet mee. De initiatiefnemer kan contact met je opnemen.", "You're in. The initiator can get in touch with you.";
    Withdraw => "Toch niet meedoen", "Withdraw";
    Report => "Meld dit initiatief", "Report this initiative";
    Reason => "Wat is er mis mee?", "What is wrong with it?";
    SendReport => "Verstuur melding", "Send report";
    Cancel => "Annuleren", "Cancel";
    Reported => "Bedankt voor je melding. Een moderator kijkt ernaar.", "Thank you for your report. A moderator will look at it.";
    // Starting an initiative.
    Start => "Start een initiatief", "Start an initiative";
    PolicyPre =>
        "Je initiatief wordt eerst bekeken door een moderator. Daarna kan iedereen het zien.",
        "Your initiative is first reviewed by a moderator. After that, everyone can see it.";
    PolicyPost =>
        "Je initiatief is meteen voor iedereen zichtbaar. Moderatoren kunnen het verbergen als het niet door de beugel kan.",
        "Your initiative is visible to everyone at once. Moderators can hide it if it is not acceptable.";
    Title => "Titel", "Title";
    Summary => "Korte samenvatting", "Short summary";
    Story => "Het hele verhaal (niet verplicht; een lege regel begint een nieuwe alinea)", "The whole story (optional; an empty line starts a new paragraph)";
    NoChoice => "(geen)", "(none)";
    Initiator => "Je naam, zoals anderen die zien", "Your name, as others will see it";
    Email => "Je e-mailadres (niet verplicht; alleen moderatoren zien het)", "Your e-mail address (optional; only moderators see it)";
    Honeypot => "Laat dit veld leeg", "Leave this field empty";
    Send => "Initiatief insturen", "Submit initiative";
    Thanks => "Bedankt voor je initiatief!", "Thank you for your initiative!";
    ThanksPending => "Een moderator bekijkt het eerst; daarna staat het in het overzicht.", "A moderator reviews it first; then it appears in the overview.";
    ThanksPublished => "Het staat nu in het overzicht.", "It is in the overview now.";
    ManageLink => "Je persoonlijke beheerlink", "Your personal manage link";
    KeepLink =>
        "Bewaar deze link goed, bijvoorbeeld in je e-mail of notities. Het is de enige manier om je initiatief aan te passen, nieuws te plaatsen en te zien wie meedoet. Deel hem met niemand.",
        "Keep this link safe, for example in your e-mail or notes. It is the only way to edit your initiative, post news and see who joined. Do not share it.";
    Copy => "Kopieer de link", "Copy the link";
    Copied => "De link is gekopieerd.", "The link has been copied.";
    CopyFailed => "Kopiëren lukte niet. Selecteer de link en kopieer hem zelf.", "Copying did not work. Select the link and copy it yourself.";
    // The manage page.
    Manage => "Beheer je initiatief", "Manage your initiative";
    ModPending =>
        "Je initiatief wordt eerst bekeken door een moderator. Tot die tijd kan niemand anders het zien.",
        "Your initiative is first reviewed by a moderator. Until then, nobody else can see it.";
    ModPublished => "Je initiatief is gepubliceerd: iedereen kan het zien.", "Your initiative is published: everyone can see it.";
    ModHidden => "Een moderator heeft je initiatief verborgen.", "A moderator has hidden your initiative.";
    ModRejected => "Een moderator heeft je initiatief afgewezen.", "A moderator has rejected your initiative.";
    Edit => "Aanpassen", "Edit";
    Save => "Opslaan", "Save";
    Saved => "Opgeslagen.", "Saved.";
    PostNews => "Nieuws plaatsen", "Post news";
    News => "Wat is er nieuw?", "What's new?";
    Post => "Plaatsen", "Post";
    Posted => "Je nieuws staat online.", "Your news is online.";
    Joiners => "Wie doet er mee", "Who has joined";
    NoJoiners => "Nog niemand doet mee.", "Nobody has joined yet.";
    // Polls (`poll.rs`): the vote form. `{n}` is a number of options.
    PollChooseMax => "Kies er maximaal {n}.", "Choose at most {n}.";
    PollTooMany =>
        "Je kunt er maximaal {n} kiezen. Haal eerst een ander vinkje weg.",
        "You can choose at most {n}. Untick another one first.";
    PollChooseOne => "Kies eerst een antwoord.", "Please choose an answer first.";
    PollCode => "Je stemcode (staat op je stembrief)", "Your vote code (printed on your voting card)";
    PollCodeMissing => "Vul je stemcode in.", "Please enter your vote code.";
    PollVote => "Stem", "Vote";
    PollFinal =>
        "Je stem is definitief: je kunt hem daarna niet meer veranderen.",
        "Your vote is final: you cannot change it afterwards.";
    PollCounted => "Bedankt, je stem is geteld.", "Thank you, your vote has been counted.";
    PollAgain =>
        "De peiling is opnieuw begonnen: je kunt opnieuw stemmen.",
        "The poll has started again: you can vote again.";
    // Where the poll is. `{t}` is a date and time.
    PollOpensAt => "Deze peiling gaat open op {t}.", "This poll opens on {t}.";
    PollClosesAt => "Stemmen kan tot {t}.", "You can vote until {t}.";
    PollClosed => "Deze peiling is gesloten.", "This poll is closed.";
    // A draft known by its id: pasted before the broadcast, it waits for the opening.
    PollNotYetOpen => "Deze peiling is nog niet geopend.", "This poll has not opened yet.";
    PollNowOpen => "De peiling is nu geopend. Je kunt stemmen.", "The poll is open now. You can vote.";
    DateAt => "{n} om {t}", "{n} at {t}";
    // Results. `{n}` a count, `{t}` a percentage.
    PollResults => "Uitslag", "Results";
    PollCurrent => "Tussenstand", "Current results";
    PollVotesOne => "{n} stem ({t}%)", "{n} vote ({t}%)";
    PollVotesOther => "{n} stemmen ({t}%)", "{n} votes ({t}%)";
    PollTotalOne => "{n} stem in totaal", "{n} vote in total";
    PollTotalOther => "{n} stemmen in totaal", "{n} votes in total";
    HiddenAfterVote => "De uitslag zie je nadat je hebt gestemd.", "You will see the results after you have voted.";
    HiddenAfterClose => "De uitslag volgt als de peiling gesloten is.", "The results follow when the poll has closed.";
    HiddenWhenRevealed => "De uitslag volgt zodra die bekend wordt gemaakt.", "The results follow as soon as they are revealed.";
    ErrPollNotFound => "Deze peiling bestaat niet (meer).", "This poll does not exist (any more).";
    ErrPollNotOpen => "Stemmen kan nu niet: de peiling is niet open.", "You cannot vote now: the poll is not open.";
    ErrAlreadyVoted => "Je hebt al gestemd in deze peiling.", "You have already voted in this poll.";
    ErrVoteCode =>
        "Deze stemcode klopt niet of is al gebruikt. Controleer de code op je stembrief.",
        "This vote code is not valid or has already been used. Check the code on your voting card.";
    ErrNetworkCap =>
        "Vanaf jouw netwerk is al heel vaak gestemd in deze peiling. Stem eventueel via een ander netwerk, bijvoorbeeld mobiel internet.",
        "Many votes in this poll already came from your network. If you like, vote through another network, such as mobile data.";
    ErrPollState => "Dat kan niet in deze fase van de peiling.", "That is not possible in this phase of the poll.";
    ErrRoundChanged =>
        "De peiling is intussen al opnieuw begonnen. Bekijk de nieuwe stand.",
        "The poll has meanwhile been reset already. Look at the new state.";
    ErrAdminToken =>
        "Dit beheertoken klopt niet. Vul het beheertoken van de gemeenschap in.",
        "This admin token is not valid. Enter the community's admin token.";
    // The initiator's photo (manage page).
    PhotoSection => "Foto", "Photo";
    ShareSection => "Delen en afdrukken", "Share and print";
    ShareIntro =>
        "De korte link en de poster brengen mensen naar je initiatief: voor WhatsApp, de nieuwsbrief of het prikbord in het dorpshuis.",
        "The short link and the poster bring people to your initiative: for WhatsApp, the newsletter or the notice board in the village hall.";
    PosterA4 => "Poster op A4", "A4 poster";
    PosterA5 => "Poster op A5", "A5 poster";
    PhotoOptional => "Foto (niet verplicht)", "Photo (optional)";
    PhotoNotAdded =>
        "Je initiatief is ingestuurd, maar de foto niet. Je kunt hem toevoegen via je beheerlink.",
        "Your initiative was submitted, but the photo was not. You can add it through your manage link.";
    PhotoIntro =>
        "Een foto maakt je initiatief herkenbaar. JPEG, PNG of WebP, tot 8 MB; we halen er alle verborgen gegevens (zoals de plek waar hij is gemaakt) uit.",
        "A photo makes your initiative recognisable. JPEG, PNG or WebP, up to 8 MB; we remove all hidden data (such as where it was taken).";
    Photo => "Kies een foto", "Choose a photo";
    PhotoAlt => "Wat is er op de foto te zien? (voor wie hem niet kan zien)", "What does the photo show? (for people who cannot see it)";
    PhotoSend => "Foto plaatsen", "Upload photo";
    PhotoSaved => "De foto is geplaatst.", "The photo has been uploaded.";
    PhotoPending => "Je nieuwe foto wacht op een moderator.", "Your new photo is waiting for a moderator.";
    PhotoRemove => "Foto verwijderen", "Remove photo";
    ErrPhoto => "Deze foto kon niet worden gebruikt: kies een JPEG-, PNG- of WebP-foto van hoogstens 8 MB.", "This photo could not be used: choose a JPEG, PNG or WebP photo of at most 8 MB.";
    // Cards. `{n}` in StartedAgo is one of the Ago* texts below.
    StartedAgo => "gestart {n}", "started {n}";
    AgoToday => "vandaag", "today";
    AgoYesterday => "gisteren", "yesterday";
    AgoDays => "{n} dagen geleden", "{n} days ago";
    AgoWeeks => "{n} weken geleden", "{n} weeks ago";
    AgoMonths => "{n} maanden geleden", "{n} months ago";
    AgoOn => "op {n}", "on {n}";
    Reached => "Drempel gehaald!", "Threshold reached!";
    JoinedOne => "{n} doet mee", "{n} taking part";
    JoinedOther => "{n} doen mee", "{n} taking part";
    // The list on a phone: its filters fold away behind one button. `{n}`: active filters.
    FilterButton => "Filter", "Filters";
    FilterButtonCount => "Filter ({n})", "Filters ({n})";
    // Empty lists.
    NoneFound => "Geen initiatieven gevonden met deze zoekopdracht of filters.", "No initiatives match this search or these filters.";
    ClearFilters => "Wis filters", "Clear filters";
    FirstTitle => "Nog geen initiatieven", "No initiatives yet";
    FirstText =>
        "Heb jij een idee voor je buurt of dorp? Start het eerste initiatief en vind medestanders.",
        "Do you have an idea for your neighbourhood or village? Start the first initiative and find people who back it.";
    FirstTextNoSubmit => "Zodra iemand een initiatief start, staat het hier.", "As soon as someone starts an initiative, it shows here.";
    // Month names for dates, separated by spaces.
    Months =>
        "januari februari maart april mei juni juli augustus september oktober november december",
        "January February March April May June July August September October November December";
    // Issue 14: the poll's assurance, and the resident's own choice in the results.
    PollSureOpen =>
        "Open peiling: één stem per apparaat per website.",
        "Open poll: one vote per device per website.";
    PollSureCodes => "Met stemcodes: elke code telt één keer.", "With vote codes: each code counts once.";
    PollMine => "jouw keuze", "your choice";
    // Reactions on an initiative: the count on a card.
    ReactionCountOne => "{n} reactie", "{n} reaction";
    ReactionCountOther => "{n} reacties", "{n} reactions";
}

/// The discussion widget's own table (only its family links it in).
#[cfg(feature = "discussions")]
pub mod talk {
    use super::Lang;

    table! {
        ReactionsCount => "Reacties ({n})", "Reactions ({n})";
        Closed =>
            "Deze discussie is gesloten: er kunnen geen nieuwe reacties bij.",
            "This discussion is closed: no new reactions can be added.";
        ClosesOn => "Je kunt reageren tot {n}.", "You can react until {n}.";
        YourReaction => "Jouw reactie", "Your reaction";
        CharCount => "{n} van {t} tekens", "{n} of {t} characters";
        Name => "Naam (niet verplicht)", "Name (optional)";
        NameHint => "Leeg gelaten staat er \u{201c}Inwoner\u{201d}.", "Left empty, it says \u{201c}Resident\u{201d}.";
        Resident => "Inwoner", "Resident";
        StanceLabel => "Je standpunt (niet verplicht)", "Your stance (optional)";
        NoStance => "Geen", "None";
        For => "Voor", "For";
        Against => "Tegen", "Against";
        Question => "Vraag", "Question";
        Idea => "Idee", "Idea";
        Website => "Laat dit veld leeg", "Leave this field empty";
        Send => "Plaats reactie", "Post reaction";
        Sending => "Versturen\u{2026}", "Sending\u{2026}";
        Posted => "Je reactie staat erbij.", "Your reaction has been posted.";
        PostedPending =>
            "Dank je! Je reactie wacht op moderatie en verschijnt zodra een moderator haar heeft bekeken.",
            "Thank you! Your reaction awaits moderation and appears once a moderator has looked at it.";
        Pending => "Wacht op moderatie", "Awaiting moderation";
        Edited => "bewerkt", "edited";
        Initiator => "Initiatiefnemer", "Initiator";
        Municipality => "Gemeente", "Municipality";
        Show => "Toon", "Show";
        AllStances => "Alle reacties", "All reactions";
        Order => "Volgorde", "Order";
        Newest => "Nieuwste eerst", "Newest first";
        Oldest => "Oudste eerst", "Oldest first";
        Agreed => "Meeste eens", "Most agreed";
        More => "Meer reacties", "More reactions";
        Empty => "Nog geen reacties. Wees de eerste!", "No reactions yet. Be the first!";
        EmptyFiltered => "Geen reacties met dit standpunt.", "No reactions with this stance.";
        Agree => "Eens", "Agree";
        // The agree button's accessible name: `{n}` people agree.
        AgreeLabel => "Eens ({n})", "Agree ({n})";
        Reply => "Antwoord", "Reply";
        ReplyTo => "Jouw antwoord aan {n}", "Your reply to {n}";
        SendReply => "Plaats antwoord", "Post reply";
        Cancel => "Annuleer", "Cancel";
        Edit => "Bewerk", "Edit";
        EditLabel => "Je reactie bewerken", "Edit your reaction";
        Save => "Bewaar", "Save";
        Delete => "Verwijder", "Delete";
        Deleted => "Je reactie is verwijderd.", "Your reaction was deleted.";
        EditUntil => "Aan te passen tot {n}", "Can be changed until {n}";
        Report => "Meld", "Report";
        ReportReason => "Waarom meld je deze reactie?", "Why are you reporting this reaction?";
        SendReport => "Verstuur melding", "Send report";
        Reported => "Bedankt voor je melding: een moderator kijkt ernaar.", "Thank you for your report: a moderator will look at it.";
        Removed => "Deze reactie is verwijderd.", "This reaction was removed.";
        NewOne => "1 nieuwe reactie", "1 new reaction";
        NewOther => "{n} nieuwe reacties", "{n} new reactions";
        ErrRequired => "Schrijf eerst je reactie.", "Please write your reaction first.";
        ErrTooLong => "Dit is te lang: maximaal {n} tekens.", "This is too long: at most {n} characters.";
        ErrThreadNotFound => "Deze discussie bestaat niet (meer).", "This discussion does not exist (any more).";
        ErrTopicNotFound => "Dit onderwerp bestaat niet (meer).", "This topic does not exist (any more).";
        ErrThreadClosed =>
            "Deze discussie is gesloten: je reactie is niet geplaatst.",
            "This discussion is closed: your reaction was not posted.";
        ErrReactionNotFound => "Deze reactie bestaat niet meer.", "This reaction no longer exists.";
        ErrEditWindowOver =>
            "Je kunt deze reactie niet meer aanpassen: dat kan tot 15 minuten na het plaatsen.",
            "You can no longer change this reaction: that is possible up to 15 minutes after posting.";
        ErrNotYours => "Alleen wie deze reactie schreef, kan haar aanpassen.", "Only whoever wrote this reaction can change it.";
        ErrDuplicate => "Deze reactie heb je al geplaatst.", "You already posted this reaction.";
        ErrInvalidReply => "Op deze reactie kun je niet antwoorden.", "You cannot reply to this reaction.";
        ErrRateLimited => "Je hebt net veel reacties geplaatst.", "You posted many reactions just now.";
        ErrOriginNotAllowed =>
            "Deze website mag deze discussie (nog) niet tonen. De beheerder van de gemeenschap kan de website toestaan.",
            "This website is not (yet) allowed to show this discussion. The community's administrator can allow it.";
        ErrMisconfigured =>
            "Deze widget is niet goed ingesteld: de gemeenschap of het onderwerp ontbreekt.",
            "This widget is not set up correctly: the community or the topic is missing.";
    }

    /// The translated text of `key`.
    pub fn t(lang: Lang, key: Key) -> &'static str {
        key.text(lang)
    }
}

/// The meetings family's own table: the agenda, an initiative's meetings and its next
/// steps (only that family links it in).
#[cfg(feature = "meetings")]
pub mod meet {
    use super::Lang;

    table! {
        AgendaTitle => "Agenda", "Coming up";
        MeetingsTitle => "Bijeenkomsten", "Meetings";
        StepsTitle => "Volgende stappen", "Next steps";
        Attend => "Ik kom", "I'll be there";
        AttendingNote => "Je komt. Nog eens klikken meldt je af.", "You're coming. Click again to cancel.";
        Attended => "Je komt naar {n}.", "You're coming to {n}.";
        Withdrawn => "Je bent afgemeld voor {n}.", "You're no longer coming to {n}.";
        ComingNone => "Nog niemand aangemeld", "Nobody has signed up yet";
        ComingOne => "{n} komt", "{n} is coming";
        ComingOther => "{n} komen", "{n} are coming";
        PlacesOne => "nog 1 plaats", "1 place left";
        PlacesOther => "nog {n} plaatsen", "{n} places left";
        Full => "vol", "full";
        Cancelled => "Afgelast", "Called off";
        AddToCalendar => "Zet in je agenda", "Add to your calendar";
        AllToCalendar => "Alle bijeenkomsten in je agenda", "All meetings in your calendar";
        Subscribe => "Abonneer op deze agenda", "Subscribe to this calendar";
        SubscribeHint =>
            "Nieuwe bijeenkomsten verschijnen dan vanzelf in je agenda.",
            "New meetings then appear in your calendar by themselves.";
        JoinOnline => "Meedoen via internet", "Join online";
        Past => "Eerdere bijeenkomsten ({n})", "Past meetings ({n})";
        PastNews => "Nieuws van {n}", "News from {n}";
        NoneComing => "Er staan nog geen bijeenkomsten gepland.", "No meetings are planned yet.";
        NoneInArea => "Geen bijeenkomsten gepland in deze buurt.", "No meetings planned in this area.";
        TimesDutch => "Tijden in Nederlandse tijd.", "Times in Dutch time (Europe/Amsterdam).";
        Add => "Bijeenkomst toevoegen", "Add a meeting";
        NewMeeting => "Nieuwe bijeenkomst", "New meeting";
        EditMeeting => "Bijeenkomst bewerken", "Edit meeting";
        Edit => "Bewerk", "Edit";
        CallOff => "Afgelasten", "Call off";
        Reinstate => "Laat toch doorgaan", "Put it back on";
        Close => "Sluiten", "Close";
        Save => "Opslaan", "Save";
        Saving => "Opslaan\u{2026}", "Saving\u{2026}";
        Saved => "De bijeenkomst is opgeslagen.", "The meeting has been saved.";
        CalledOff => "De bijeenkomst is afgelast.", "The meeting has been called off.";
        Reinstated => "De bijeenkomst gaat weer door.", "The meeting is on again.";
        FTitle => "Titel", "Title";
        FDate => "Datum", "Date";
        FStart => "Begintijd", "Start time";
        FEnd => "Eindtijd", "End time";
        FPlace => "Plaats (adres)", "Place (address)";
        FPlaceHint =>
            "Bijvoorbeeld: Dorpshuis De Schakel, Kerkstraat 4. Vul een plaats of een link in, of allebei.",
            "For example: the village hall, Kerkstraat 4. Enter a place or a link, or both.";
        FOnline => "Link om online mee te doen", "Link to join online";
        FCapacity => "Aantal plaatsen (niet verplicht)", "Number of places (optional)";
        FCapacityHint => "Leeg gelaten: onbeperkt.", "Left empty: unlimited.";
        FDescription => "Beschrijving (niet verplicht)", "Description (optional)";
        ErrTooLong => "Dit is te lang: maximaal {n} tekens.", "This is too long: at most {n} characters.";
        ErrWhere => "Vul een plaats of een link in.", "Enter a place or a link.";
        ErrUrl => "Een link begint met https:// of http://.", "A link starts with https:// or http://.";
        ErrCapacity => "Vul een heel getal van 1 tot {n} in.", "Enter a whole number from 1 to {n}.";
        ErrEndBeforeStart =>
            "De eindtijd moet na de begintijd liggen (op dezelfde dag).",
            "The end time must be after the start time (on the same day).";
        ErrTooLongMeeting => "Een bijeenkomst duurt hooguit twee dagen.", "A meeting lasts two days at most.";
        ErrInPast => "Dit moment is al voorbij.", "This moment has already passed.";
        ErrDate => "Dit is geen geldige datum of tijd.", "This is not a valid date or time.";
        ErrFull => "Deze bijeenkomst is vol.", "This meeting is full.";
        ErrClosed =>
            "Aanmelden kan niet meer: de bijeenkomst is afgelast of voorbij.",
            "Signing up is closed: the meeting was called off or is over.";
        ErrMeetingNotFound => "Deze bijeenkomst bestaat niet (meer).", "This meeting does not exist (any more).";
        ErrStepNotFound => "Deze stap bestaat niet (meer).", "This step does not exist (any more).";
        ErrStepLocked => "Deze stap is nog niet vrijgegeven.", "This step is not unlocked yet.";
        ErrOriginNotAllowed =>
            "Deze website mag de bijeenkomsten en stappen van deze gemeenschap (nog) niet tonen. De beheerder van de gemeenschap kan de website toestaan.",
            "This website is not (yet) allowed to show this community's meetings and steps. The community's administrator can allow it.";
        StepsDone => "{n} van {t} stappen gezet", "{n} of {t} steps taken";
        StepDone => "Gedaan", "Done";
        StepTodo => "Nog te doen", "To do";
        StepLocked => "Nog op slot", "Locked";
        UnlockSupports => "Komt vrij bij {n} steunbetuigingen.", "Unlocks at {n} supporters.";
        UnlockStatus => "Komt vrij in de fase \u{201c}{n}\u{201d}.", "Unlocks at the stage \u{201c}{n}\u{201d}.";
        StepLink => "Meer informatie", "More information";
        TickLabel => "Deze stap is gezet", "This step is done";
        Ticked => "Stap afgevinkt.", "Step ticked off.";
        Unticked => "Vinkje weggehaald.", "Tick removed.";
        DoneOn => "gezet op {n}", "done on {n}";
    }

    /// The translated text of `key`.
    pub fn t(lang: Lang, key: Key) -> &'static str {
        key.text(lang)
    }
}

/// "3 dagen geleden", "gisteren", … : how long ago `then` was at `now` (seconds since the
/// epoch); past a year the date itself ("op 12 november 2025").
pub fn ago(lang: Lang, then: u64, now: u64) -> String {
    const DAY: u64 = 86_400;
    let days = now.saturating_sub(then) / DAY;
    // Always plural: two days, two weeks and two months are the least each form shows.
    let (key, n) = match days {
        0 => return t(lang, Key::AgoToday).to_owned(),
        1 => return t(lang, Key::AgoYesterday).to_owned(),
        2..=13 => (Key::AgoDays, days),
        14..=59 => (Key::AgoWeeks, days / 7),
        60..=364 => (Key::AgoMonths, days / 30),
        _ => return fill(lang, Key::AgoOn, &date(lang, then), ""),
    };
    fill(lang, key, &number(lang, n), "")
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> u64 {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Date::now() / 1000.0) as u64;
    #[cfg(not(target_arch = "wasm32"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The translated text of `key`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    key.text(lang)
}

/// "12 van 50 steunbetuigingen" / "1 supporter". A `threshold` of 0 means none.
pub fn count_text(lang: Lang, count: u64, threshold: u64) -> String {
    let key = match (threshold, count) {
        (0, 1) => Key::CountOne,
        (0, _) => Key::CountOther,
        // "1 van 1 steunbetuiging", but "2 van 1 steunbetuigingen".
        (1, 0 | 1) => Key::CountOfThresholdOne,
        _ => Key::CountOfThresholdOther,
    };
    fill(lang, key, &number(lang, count), &number(lang, threshold))
}

/// `key`'s text with `{n}` and `{t}` filled in.
pub fn fill(lang: Lang, key: Key, n: &str, t: &str) -> String {
    fill_in(self::t(lang, key), n, t)
}

/// `text` with `{n}` and `{t}` filled in.
pub fn fill_in(text: &str, n: &str, t: &str) -> String {
    let mut out = String::with_capacity(text.len() + n.len() + t.len());
    let mut rest = text;
    // Placeholders are `{` + one letter + `}`; no `&str` pattern search (smaller wasm).
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes();
        match (b.get(i + 1), b.get(i + 2)) {
            (Some(b'n'), Some(b'}')) => out.push_str(n),
            (Some(b't'), Some(b'}')) => out.push_str(t),
            _ => {
                out.push('{');
                rest = &rest[i + 1..];
                continue;
            }
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// The one- or many-form of `key`, with the count filled in: `fill_count(lang, 3,
/// ResultsOne, ResultsOther)` is "3 initiatieven gevonden".
pub fn fill_count(lang: Lang, n: u64, one: Key, other: Key) -> String {
    fill(lang, if n == 1 { one } else { other }, &number(lang, n), "")
}

/// The name of a status.
pub fn status_key(status: mekaar_api::InitiativeStatus) -> Key {
    use mekaar_api::InitiativeStatus as S;
    match status {
        S::Idea => Key::StatusIdea,
        S::SeekingSupporters => Key::StatusSeeking,
        S::InProgress => Key::StatusProgress,
        S::Realised => Key::StatusRealised,
        S::Stopped => Key::StatusStopped,
    }
}

/// "12 november 2026" / "12 November 2026"; `month` counts from 0 as in JavaScript.
pub fn date_text(lang: Lang, year: u32, month: u32, day: u32) -> String {
    let mut out = day.to_string();
    out.push(' ');
    out.push_str(
        t(lang, Key::Months)
            .split(' ')
            .nth(month as usize)
            .unwrap_or(""),
    );
    out.push(' ');
    out.push_str(&year.to_string());
    out
}

/// A time (seconds since the epoch) as a date in the reader's time zone.
#[cfg(target_arch = "wasm32")]
pub fn date(lang: Lang, secs: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    date_text(lang, d.get_full_year(), d.get_month(), d.get_date())
}

/// Off the browser (native tests): the date in UTC.
#[cfg(not(target_arch = "wasm32"))]
pub fn date(lang: Lang, secs: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    date_text(lang, year as u32, month as u32 - 1, day as u32)
}

/// A time (seconds since the epoch) as date and time of day in the reader's time zone
/// ("12 november 2026 om 20:05").
pub fn datetime(lang: Lang, secs: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    let (h, m) = {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
        (d.get_hours(), d.get_minutes())
    };
    #[cfg(not(target_arch = "wasm32"))]
    let (h, m) = ((secs / 3600 % 24) as u32, (secs / 60 % 60) as u32);
    let mut time = h.to_string();
    time.push(':');
    if m < 10 {
        time.push('0');
    }
    time.push_str(&m.to_string());
    fill(lang, Key::DateAt, &date(lang, secs), &time)
}

/// A number with the language's thousands separator: "12.345" (nl), "12,345" (en).
pub fn number(lang: Lang, n: u64) -> String {
    let sep = match lang {
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_people_say_them() {
        let now = 1_800_000_000;
        let ago_days = |d: u64| ago(Lang::Nl, now - d * 86_400 - 5, now);
        assert_eq!(ago(Lang::Nl, now - 60, now), "vandaag");
        assert_eq!(ago_days(1), "gisteren");
        assert_eq!(ago_days(3), "3 dagen geleden");
        assert_eq!(ago_days(14), "2 weken geleden");
        assert_eq!(ago_days(70), "2 maanden geleden");
        assert_eq!(ago(Lang::En, now - 40 * 86_400, now), "5 weeks ago");
        assert!(ago_days(400).starts_with("op "), "{}", ago_days(400));
        // A clock behind the server's: today, never a negative age.
        assert_eq!(ago(Lang::Nl, now + 500, now), "vandaag");
    }

    #[test]
    #[cfg(feature = "discussions")]
    fn every_discussion_key_has_every_language() {
        for key in talk::Key::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
            }
            assert_ne!(key.text(Lang::Nl), key.text(Lang::En), "{key:?}");
        }
    }

    #[test]
    #[cfg(feature = "meetings")]
    fn every_meetings_key_has_every_language() {
        for key in meet::Key::ALL {
            for lang in Lang::ALL {
                assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
            }
            assert_ne!(key.text(Lang::Nl), key.text(Lang::En), "{key:?}");
            for ph in ["{n}", "{t}"] {
                assert_eq!(
                    key.text(Lang::Nl).contains(ph),
                    key.text(Lang::En).contains(ph),
                    "{key:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_has_every_language() {
        for &key in Key::ALL {
            for lang in Lang::ALL {
                let text = t(lang, key);
                assert!(!text.trim().is_empty(), "{key:?} has no {lang:?} text");
            }
            // Placeholders must agree between languages.
            for ph in ["{n}", "{t}"] {
                assert_eq!(
                    t(Lang::Nl, key).contains(ph),
                    t(Lang::En, key).contains(ph),
                    "{key:?}: placeholder {ph} differs between languages"
                );
            }
        }
    }

    #[test]
    fn languages_differ() {
        // A guard against copy-paste: the English column is not the Dutch one.
        for &key in Key::ALL {
            assert_ne!(t(Lang::Nl, key), t(Lang::En, key), "{key:?}");
        }
    }

    #[test]
    fn lang_from_tag() {
        assert_eq!(Lang::from_tag(None), Lang::Nl);
        assert_eq!(Lang::from_tag(Some("")), Lang::Nl);
        assert_eq!(Lang::from_tag(Some("nl")), Lang::Nl);
        assert_eq!(Lang::from_tag(Some("en")), Lang::En);
        assert_eq!(Lang::from_tag(Some(" EN-gb ")), Lang::En);
        assert_eq!(Lang::from_tag(Some("fy")), Lang::Nl);
        assert_eq!(Lang::from_tag(Some("eng")), Lang::Nl);
    }

    #[test]
    fn count_phrasing_dutch() {
        assert_eq!(count_text(Lang::Nl, 12, 50), "12 van 50 steunbetuigingen");
        assert_eq!(count_text(Lang::Nl, 1, 50), "1 van 50 steunbetuigingen");
        assert_eq!(count_text(Lang::Nl, 0, 1), "0 van 1 steunbetuiging");
        assert_eq!(count_text(Lang::Nl, 1, 1), "1 van 1 steunbetuiging");
        assert_eq!(count_text(Lang::Nl, 2, 1), "2 van 1 steunbetuigingen");
        assert_eq!(count_text(Lang::Nl, 0, 0), "0 steunbetuigingen");
        assert_eq!(count_text(Lang::Nl, 1, 0), "1 steunbetuiging");
        assert_eq!(count_text(Lang::Nl, 2, 0), "2 steunbetuigingen");
        assert_eq!(
            count_text(Lang::Nl, 1234, 20000),
            "1.234 van 20.000 steunbetuigingen"
        );
    }

    #[test]
    fn count_phrasing_english() {
        assert_eq!(count_text(Lang::En, 12, 50), "12 of 50 supporters");
        assert_eq!(count_text(Lang::En, 1, 50), "1 of 50 supporters");
        assert_eq!(count_text(Lang::En, 1, 1), "1 of 1 supporter");
        assert_eq!(count_text(Lang::En, 3, 1), "3 of 1 supporters");
        assert_eq!(count_text(Lang::En, 1, 0), "1 supporter");
        assert_eq!(count_text(Lang::En, 0, 0), "0 supporters");
        assert_eq!(count_text(Lang::En, 1234567, 0), "1,234,567 supporters");
    }

    #[test]
    fn dates() {
        assert_eq!(date_text(Lang::Nl, 2026, 10, 12), "12 november 2026");
        assert_eq!(date_text(Lang::En, 2026, 0, 1), "1 January 2026");
        assert_eq!(date_text(Lang::Nl, 2025, 11, 31), "31 december 2025");
        for lang in Lang::ALL {
            assert_eq!(t(lang, Key::Months).split(' ').count(), 12);
        }
        assert_eq!(date(Lang::Nl, 0), "1 januari 1970");
        assert_eq!(date(Lang::En, 1_794_441_600), "12 November 2026");
        assert_eq!(date(Lang::Nl, 951_782_400), "29 februari 2000");
        assert_eq!(
            datetime(Lang::Nl, 1_794_441_600 + 20 * 3600 + 5 * 60),
            "12 november 2026 om 20:05"
        );
        assert_eq!(
            datetime(Lang::En, 1_794_441_600),
            "12 November 2026 at 0:00"
        );
    }

    #[test]
    fn counts_and_fills() {
        assert_eq!(
            fill_count(Lang::Nl, 1, Key::ResultsOne, Key::ResultsOther),
            "1 initiatief gevonden"
        );
        assert_eq!(
            fill_count(Lang::Nl, 0, Key::ResultsOne, Key::ResultsOther),
            "0 initiatieven gevonden"
        );
        assert_eq!(
            fill_count(Lang::En, 1200, Key::JoinCountOne, Key::JoinCountOther),
            "1,200 people are taking part"
        );
        assert_eq!(fill(Lang::Nl, Key::PageOf, "2", "5"), "Pagina 2 van 5");
        for s in mekaar_api::InitiativeStatus::ALL {
            assert_ne!(t(Lang::Nl, status_key(s)), t(Lang::En, status_key(s)));
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number(Lang::Nl, 0), "0");
        assert_eq!(number(Lang::Nl, 999), "999");
        assert_eq!(number(Lang::Nl, 1000), "1.000");
        assert_eq!(number(Lang::En, 100000), "100,000");
        assert_eq!(number(Lang::En, u64::MAX), "18,446,744,073,709,551,615");
    }
}
