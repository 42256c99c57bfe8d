//! A tiny HTML writer for the initiative widgets.
//!
//! Why HTML text: the widgets were first written with yew's `html!`, where every element
//! costs ~100 bytes of wasm; with the initiative views the bundle measured 95.9 KB brotli
//! (budget 80 KB). As HTML text, morphed into the DOM by `dom.rs`, it is about half that.
//!
//! Safety: markup only comes from `&'static str` ([`Out::raw`]); everything else (texts
//! from residents and the server, translations, numbers) goes through [`Out::text`], which
//! escapes `& < > " '`, so it is text both between tags and inside quoted attribute values.
//! HTML in any field is shown as text, never interpreted.

use crate::i18n::{t, Key, Lang};

#[derive(Default)]
pub struct Out(pub String);

impl Out {
    /// Markup written in the source code.
    #[inline(never)]
    pub fn raw(&mut self, markup: &'static str) -> &mut Out {
        self.0.push_str(markup);
        self
    }

    /// Text, escaped.
    #[inline(never)]
    pub fn text(&mut self, text: &str) -> &mut Out {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                '\'' => self.0.push_str("&#39;"),
                c => self.0.push(c),
            }
        }
        self
    }

    /// A translation.
    #[inline(never)]
    pub fn key(&mut self, lang: Lang, key: Key) -> &mut Out {
        self.text(t(lang, key))
    }

    /// A number (in attributes: no thousands separator).
    #[inline(never)]
    pub fn num(&mut self, n: u64) -> &mut Out {
        self.0.push_str(&n.to_string());
        self
    }

    /// `<open>text</close>`: an element with text, e.g. `el("<p class=\"x\">", s, "</p>")`.
    #[inline(never)]
    pub fn el(&mut self, open: &'static str, text: &str, close: &'static str) -> &mut Out {
        self.raw(open).text(text).raw(close)
    }

    /// `<button type="button" class="mekaar-button {class}" id="mekaar-b-{act}"
    /// data-act="{act}">label</button>`. The id keeps focus on the button across renders.
    #[inline(never)]
    pub fn button(&mut self, class: &'static str, act: &'static str, label: &str) -> &mut Out {
        self.raw("<button type=\"button\" class=\"mekaar-button ")
            .raw(class)
            .raw("\" id=\"mekaar-b-")
            .raw(act)
            .raw("\" data-act=\"")
            .raw(act)
            .raw("\">")
            .text(label)
            .raw("</button>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut o = Out::default();
        o.raw("<p title=\"")
            .text("\"><script>alert('x')</script>&")
            .raw("\">");
        assert_eq!(
            o.0,
            "<p title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;\">"
        );
    }

    #[test]
    fn buttons() {
        let mut o = Out::default();
        o.button("mekaar-next", "next", "Volgende <");
        assert_eq!(
            o.0,
            "<button type=\"button\" class=\"mekaar-button mekaar-next\" id=\"mekaar-b-next\" data-act=\"next\">Volgende &lt;</button>"
        );
    }
}
