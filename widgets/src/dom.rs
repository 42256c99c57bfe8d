//! The widgets' renderer: a view is HTML text (see `markup.rs`), and [`morph`] changes the
//! live DOM to match it node by node instead of replacing it. What the resident is doing
//! survives a render: the focused element, text typed into a form, live regions (whose
//! changed text screen readers then announce) and any element marked `data-keep`, whose
//! children belong to another widget (the support button inside an initiative view).
//!
//! This replaced yew: yew's runtime cost some 40 KB of the 80 KB (brotli) budget for all
//! widgets together; this file costs a few.

use js_sys::Reflect;
use std::cell::RefCell;
use std::rc::Weak;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, EventTarget, Node};

/// Makes `parent`'s children match `html`.
pub fn morph(parent: &Element, html: &str) {
    let Some(doc) = parent.owner_document() else {
        return;
    };
    let Ok(template) = doc.create_element("template") else {
        return;
    };
    // Parsed inert: a template's content runs no scripts and loads nothing.
    template.set_inner_html(html);
    let content = Reflect::get(&template, &"content".into()).unwrap_or(JsValue::NULL);
    let Some(content) = content.dyn_ref::<Node>() else {
        return;
    };
    // Moved content (e.g. cards in a new order) can take the focus with it: then the
    // element with the same id gets it back.
    let active = || {
        Reflect::get(&parent.get_root_node(), &"activeElement".into())
            .ok()
            .and_then(|el| el.dyn_into::<Element>().ok())
            .filter(|el| parent.contains(Some(el)))
    };
    let before = active().map(|el| el.id()).filter(|id| !id.is_empty());
    sync(parent, content);
    if let (Some(id), None) = (before, active()) {
        focus(parent, &["#", &id].concat());
    }
}

/// Whether `old` can be updated to `new` (rather than replaced).
fn same(old: &Node, new: &Node) -> bool {
    old.node_type() == new.node_type()
        && old.node_name() == new.node_name()
        && match (old.dyn_ref::<Element>(), new.dyn_ref::<Element>()) {
            (Some(a), Some(b)) => a.id() == b.id(),
            _ => true,
        }
}

/// Moves `new`'s children into `old`, reusing `old`'s children where they match.
fn sync(old: &Node, new: &Node) {
    let mut cur = old.first_child();
    while let Some(n) = new.first_child() {
        match cur {
            Some(o) if same(&o, &n) => {
                update(&o, &n);
                let _ = new.remove_child(&n);
                cur = o.next_sibling();
            }
            Some(o) => {
                // One node left out of the new view: drop it and compare with the next.
                if let Some(next) = o.next_sibling().filter(|next| same(next, &n)) {
                    let _ = old.remove_child(&o);
                    cur = Some(next);
                    continue;
                }
                // Otherwise the new node goes in before it.
                let _ = old.insert_before(&n, Some(&o));
                cur = Some(o);
            }
            None => {
                let _ = old.append_child(&n);
            }
        }
    }
    while let Some(o) = cur {
        cur = o.next_sibling();
        let _ = old.remove_child(&o);
    }
}

fn update(old: &Node, new: &Node) {
    let (Some(o), Some(n)) = (old.dyn_ref::<Element>(), new.dyn_ref::<Element>()) else {
        // Text.
        if old.node_value() != new.node_value() {
            old.set_node_value(new.node_value().as_deref());
        }
        return;
    };
    for name in o.get_attribute_names().iter() {
        let name = name.as_string().unwrap_or_default();
        if !n.has_attribute(&name) {
            let _ = o.remove_attribute(&name);
        }
    }
    for name in n.get_attribute_names().iter() {
        let name = name.as_string().unwrap_or_default();
        let value = n.get_attribute(&name).unwrap_or_default();
        if o.get_attribute(&name).as_deref() != Some(value.as_str()) {
            let _ = o.set_attribute(&name, &value);
            // A value the view changes (not one the resident typed) shows at once.
            if name == "value" {
                let _ = Reflect::set(o, &"value".into(), &value.into());
            }
        }
    }
    if o.has_attribute("data-keep") {
        return;
    }
    let textarea = o.node_name() == "TEXTAREA";
    let before = textarea.then(|| o.text_content());
    sync(old, new);
    if let Some(before) = before {
        let now = o.text_content();
        if now != before {
            let _ = Reflect::set(o, &"value".into(), &now.unwrap_or_default().into());
        }
    }
}

/// The first element inside `root` matching `selector`.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok()?
}

/// Focuses the element matching `selector`; whether there was one.
pub fn focus(root: &Element, selector: &str) -> bool {
    match find(root, selector) {
        Some(el) => {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            true
        }
        None => false,
    }
}

/// A listener's JS function; the listener works as long as this is kept.
pub type Listener = Closure<dyn Fn(&Event)>;

/// A widget: handles events and shows itself.
pub trait Widget {
    /// Handles an event; whether to render.
    fn event(&mut self, e: &Event) -> bool;
    fn render(&mut self);
}

/// Listens for `types` on `target` for the widget (held weakly: dropping the widget ends
/// it). The returned closure must be kept as long as the listener is wanted.
pub fn listen<W: Widget + 'static>(
    widget: Weak<RefCell<W>>,
    target: &EventTarget,
    types: &[&str],
) -> Listener {
    let handler = Closure::wrap(Box::new(move |e: &Event| {
        if let Some(w) = widget.upgrade() {
            if let Ok(mut w) = w.try_borrow_mut() {
                if w.event(e) {
                    w.render();
                }
            }
        }
    }) as Box<dyn Fn(&Event)>);
    for ty in types {
        let _ = target.add_event_listener_with_callback(ty, handler.as_ref().unchecked_ref());
    }
    handler
}

/// The `data-act` of the nearest `{what}[data-act]` around the event's target (`what`:
/// "button" or "form"), with that element.
pub fn act(e: &Event, selector: &str) -> Option<(String, Element)> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let el = target.closest(selector).ok()??;
    Some((el.get_attribute("data-act")?, el))
}

/// Waits `ms` milliseconds (a `setTimeout`).
pub async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.clamp(0.0, 2_147_483_647.0) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
