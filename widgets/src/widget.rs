//! What every widget gets from its placeholder, and the small view pieces all widgets
//! share.

use crate::i18n::Lang;
use crate::support::Theme;
use std::rc::Rc;
use yew::{html, AttrValue, Html};

/// The placeholder's settings every widget needs, handed down as one prop.
#[derive(Clone, Debug, PartialEq)]
pub struct Env {
    /// The API base: the loader's own directory, ending in `/`.
    pub base: Rc<str>,
    pub community: Rc<str>,
    pub lang: Lang,
    /// `data-theme="light|dark"`; otherwise the widget follows `prefers-color-scheme`.
    pub theme: Option<Theme>,
    /// The resident's voter key.
    pub voter: Rc<str>,
    /// The level of the widget's top headings (`data-heading-level`, 1–6, default 2): the
    /// host page knows where the widget sits in its outline, the widget does not.
    pub heading: u8,
    /// A number unique per mounted widget on the page, in every id inside it, so two
    /// widgets never share an id (also where one page shows the same widget twice).
    pub uid: u32,
    /// `data-preview="true"` (the console's snippet builder): the widget reads but never
    /// writes, so trying a preview never counts.
    pub preview: bool,
}

impl Env {
    /// An id unique to this widget: `mekaar-{uid}-{name}`.
    pub fn id(&self, name: &str) -> AttrValue {
        let mut id = String::from("mekaar-");
        id.push_str(&self.uid.to_string());
        id.push('-');
        id.push_str(name);
        AttrValue::from(id)
    }

    /// `#` and [`Env::id`], for `href`s and selectors.
    pub fn anchor(&self, name: &str) -> String {
        let mut s = String::from("#");
        s.push_str(&self.id(name));
        s
    }

    /// The heading level `depth` steps below the widget's top level (never past 6).
    pub fn level(&self, depth: u8) -> u8 {
        self.heading.saturating_add(depth).clamp(1, 6)
    }

    /// The theme for the root's `data-theme`.
    pub fn theme_attr(&self) -> Option<AttrValue> {
        self.theme.map(|t| AttrValue::Static(t.attr()))
    }
}

/// `data-heading-level` as a level 1–6; anything else is 2.
pub fn heading_level(attr: &str) -> u8 {
    attr.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=6).contains(n))
        .unwrap_or(2)
}

/// A heading of `level` (1–6) with `class` and `id` around `children`.
pub fn heading(level: u8, class: &'static str, id: Option<AttrValue>, children: Html) -> Html {
    const TAGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let tag = TAGS[usize::from(level.clamp(1, 6) - 1)];
    html! { <@{tag} class={class} id={id} tabindex="-1">{children}</@> }
}

/// Views rendered to HTML text natively (yew's server renderer), for unit tests that
/// assert on what a resident would see.
#[cfg(test)]
pub mod ssr {
    use std::rc::Rc;
    use yew::prelude::*;

    #[derive(Clone, Properties)]
    pub struct Props {
        pub view: Rc<dyn Fn() -> Html>,
    }

    impl PartialEq for Props {
        fn eq(&self, _: &Self) -> bool {
            false
        }
    }

    #[function_component(Show)]
    fn show(p: &Props) -> Html {
        (p.view)()
    }

    /// `view` as HTML text.
    pub fn render(view: impl Fn() -> Html + 'static) -> String {
        let props = Props {
            view: Rc::new(view),
        };
        futures::executor::block_on(
            yew::LocalServerRenderer::<Show>::with_props(props)
                .hydratable(false)
                .render(),
        )
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A Dutch widget with uid 7 and the default heading level.
    pub fn env() -> Env {
        Env {
            base: "https://m.example/".into(),
            community: "demodorp".into(),
            lang: Lang::Nl,
            theme: None,
            voter: "v".into(),
            heading: 2,
            uid: 7,
            preview: false,
        }
    }

    #[test]
    fn heading_levels_and_ids() {
        assert_eq!(heading_level("3"), 3);
        assert_eq!(heading_level(" 1 "), 1);
        assert_eq!(heading_level("7"), 2);
        assert_eq!(heading_level(""), 2);
        assert_eq!(heading_level("x"), 2);
        let env = Env {
            heading: 5,
            uid: 12,
            ..self::env()
        };
        assert_eq!(env.id("title").as_str(), "mekaar-12-title");
        assert_eq!(env.anchor("list"), "#mekaar-12-list");
        assert_eq!(env.level(0), 5);
        assert_eq!(env.level(3), 6);
    }
}
