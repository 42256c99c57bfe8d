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

        impl Key {
            /// Every key, for tests.
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            /// The text of this key in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Key::$key, Lang::Nl) => $nl,
                        (Key::$key, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

table! {
    SupportButton => "Steun dit initiatief", "Support this initiative";
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
        "De server kan je steun nu even niet bewaren. Probeer het straks opnieuw.",
        "The server cannot store your support right now. Please try again later.";
    ErrUnreachable =>
        "Geen verbinding met de server. Controleer je internetverbinding en probeer het opnieuw.",
        "Could not reach the server. Check your internet connection and try again.";
    ErrMisconfigured =>
        "Deze knop is niet goed ingesteld: de gemeenschap of het initiatief ontbreekt.",
        "This button is not set up correctly: the community or the initiative is missing.";
    ErrGeneric => "Er ging iets mis. Probeer het later opnieuw.", "Something went wrong. Please try again later.";
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
    t(lang, key)
        .replace("{n}", &number(lang, count))
        .replace("{t}", &number(lang, threshold))
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
    fn numbers() {
        assert_eq!(number(Lang::Nl, 0), "0");
        assert_eq!(number(Lang::Nl, 999), "999");
        assert_eq!(number(Lang::Nl, 1000), "1.000");
        assert_eq!(number(Lang::En, 100000), "100,000");
        assert_eq!(number(Lang::En, u64::MAX), "18,446,744,073,709,551,615");
    }
}
