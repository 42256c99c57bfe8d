//! Small pieces the moderation, polls and snippet screens share: reading form fields,
//! times for `<input type="datetime-local">`, HTML attribute escaping, the focus after a
//! change of sub-view, a throttled value (for live regions), `EventSource` and `blob:`
//! URLs.
//!
//! `EventSource` and `URL.createObjectURL` are bound here with `wasm_bindgen` directly,
//! so the console needs no extra web-sys features for them.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The text of the `<input>` an `input` event came from.
pub fn input_text(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The text of the `<textarea>` an `input` event came from.
pub fn area_text(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// The value of the `<select>` a `change` event came from.
pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// Whether the checkbox or radio button a `change` event came from is checked.
pub fn is_checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

/// `text` for a double-quoted HTML attribute value (and for text between tags).
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A `datetime-local` value (`2025-05-01T20:00`, the browser's local time) as seconds since
/// the epoch; `None` for an empty or unreadable value.
pub fn local_input_to_secs(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // A date-time without an offset is local time (ECMAScript's Date parsing).
    let ms = js_sys::Date::new(&JsValue::from_str(value)).get_time();
    (ms.is_finite() && ms >= 0.0).then(|| (ms / 1000.0) as u64)
}

/// Seconds since the epoch as a `datetime-local` value in the browser's time zone.
pub fn secs_to_local_input(secs: u64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

use mekaar_api::dutch_time::{civil_from_days, from_local, summer_time as amsterdam_summer_time};

/// A `datetime-local` value (`2026-05-01T20:00`) read as the time in the Netherlands
/// (Europe/Amsterdam), whatever the browser's own time zone: the community's clock. A
/// time that does not exist (the hour skipped in March) counts as winter time; one that
/// occurs twice (October) as its first occurrence. `None` for an empty or unreadable value.
pub fn amsterdam_input_to_secs(value: &str) -> Option<u64> {
    let value = value.trim();
    let (date, time) = value.split_once('T')?;
    let mut date = date.split('-');
    let y: i64 = date.next()?.parse().ok()?;
    let m: u32 = date.next()?.parse().ok()?;
    let d: u32 = date.next()?.parse().ok()?;
    let mut time = time.split(':');
    let hh: i64 = time.next()?.parse().ok()?;
    let mm: i64 = time.next()?.parse().ok()?;
    if date.next().is_some() {
        return None;
    }
    from_local(y, m, d, hh, mm)
}

/// Seconds since the epoch as a `datetime-local` value in Dutch time (Europe/Amsterdam).
pub fn secs_to_amsterdam_input(secs: u64) -> String {
    let utc = secs as i64;
    let local = utc
        + if amsterdam_summer_time(utc) {
            7_200
        } else {
            3_600
        };
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let in_day = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}",
        in_day / 3_600,
        in_day % 3_600 / 60
    )
}

/// Moves the focus to the screen's `<h1>` (after a change of sub-view, which the app does
/// not see as a change of screen).
pub fn focus_heading() {
    focus_selector("main h1");
}

/// Moves the focus to the first element matching `selector`, if any.
pub fn focus_selector(selector: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// The page's own origin (`https://mekaar.example.nl`): the server the console runs on.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Runs `f` after `ms` milliseconds (once).
pub fn later(ms: i32, f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let callback = Closure::once_into_js(f);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            ms.max(0),
        );
    }
}

/// `value`, passed on at most once every `every_ms` milliseconds: a change within that time
/// shows when the time is up (the newest value then). For `aria-live` regions that must not
/// chatter while numbers change several times a second.
#[hook]
pub fn use_throttled(value: String, every_ms: f64) -> String {
    let shown = use_state(|| value.clone());
    let last = use_mut_ref(|| 0.0_f64);
    let latest = use_mut_ref(String::new);
    let pending = use_mut_ref(|| false);
    {
        let shown = shown.clone();
        use_effect_with(value, move |value| {
            *latest.borrow_mut() = value.clone();
            let now = js_sys::Date::now();
            let since = now - *last.borrow();
            if *shown == *value || *pending.borrow() {
                // Nothing new, or a timer will pass on the newest value.
            } else if since >= every_ms {
                *last.borrow_mut() = now;
                shown.set(value.clone());
            } else {
                *pending.borrow_mut() = true;
                later((every_ms - since).ceil() as i32, move || {
                    *pending.borrow_mut() = false;
                    *last.borrow_mut() = js_sys::Date::now();
                    shown.set(latest.borrow().clone());
                });
            }
        });
    }
    (*shown).clone()
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `EventSource` (Server-Sent Events).
    #[wasm_bindgen(js_name = EventSource)]
    pub type EventSource;

    #[wasm_bindgen(constructor, catch, js_class = "EventSource")]
    fn new(url: &str) -> Result<EventSource, JsValue>;

    #[wasm_bindgen(method, js_class = "EventSource", js_name = addEventListener)]
    fn add_listener(this: &EventSource, kind: &str, listener: &js_sys::Function);

    #[wasm_bindgen(method, js_class = "EventSource")]
    fn close(this: &EventSource);

    #[wasm_bindgen(method, getter, js_class = "EventSource", js_name = readyState)]
    fn ready_state(this: &EventSource) -> u16;

    #[wasm_bindgen(js_namespace = URL, js_name = createObjectURL)]
    fn create_object_url(blob: &JsValue) -> String;

    #[wasm_bindgen(js_namespace = URL, js_name = revokeObjectURL)]
    fn revoke_object_url(url: &str);
}

/// What a [`Live`] stream reports.
pub enum LiveEvent {
    /// The data of an event named `update`.
    Update(String),
    /// The connection is open (again).
    Open,
    /// The connection dropped; `closed` when the browser gave up (e.g. a 401 or 404), else
    /// it is reconnecting by itself.
    Error { closed: bool },
}

/// An open `EventSource` with its listeners; closed when dropped.
pub struct Live {
    source: EventSource,
    _listeners: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Live {
    /// Follows the stream at `url` (same origin: the session cookie goes along).
    pub fn open(url: &str, on_event: Callback<LiveEvent>) -> Option<Live> {
        let source = EventSource::new(url).ok()?;
        let mut listeners = Vec::new();
        let emit = on_event.clone();
        let update = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let data = js_sys::Reflect::get(&e, &JsValue::from_str("data"))
                .ok()
                .and_then(|d| d.as_string())
                .unwrap_or_default();
            emit.emit(LiveEvent::Update(data));
        });
        source.add_listener("update", update.as_ref().unchecked_ref());
        listeners.push(update);
        let emit = on_event.clone();
        let open = Closure::<dyn FnMut(JsValue)>::new(move |_| emit.emit(LiveEvent::Open));
        source.add_listener("open", open.as_ref().unchecked_ref());
        listeners.push(open);
        let emit = on_event;
        let weak = Rc::new(RefCell::new(None::<EventSource>));
        let this = weak.clone();
        let error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let closed = this
                .borrow()
                .as_ref()
                .is_some_and(|s: &EventSource| s.ready_state() == 2);
            emit.emit(LiveEvent::Error { closed });
        });
        source.add_listener("error", error.as_ref().unchecked_ref());
        listeners.push(error);
        *weak.borrow_mut() = Some(source.clone().unchecked_into());
        Some(Live {
            source,
            _listeners: listeners,
        })
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// A `blob:` URL of `response`'s body (a file to download or open); revoke it with
/// [`revoke_url`] when it is replaced.
pub async fn blob_url(response: &web_sys::Response) -> Option<String> {
    let promise = response.blob().ok()?;
    let blob = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    Some(create_object_url(&blob))
}

/// Frees a URL made by [`blob_url`].
pub fn revoke_url(url: &str) {
    revoke_object_url(url);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_time_both_ways() {
        // 2026-12-06 20:00 in winter is 19:00 UTC; 2026-07-01 12:00 in summer is 10:00 UTC.
        assert_eq!(
            amsterdam_input_to_secs("2026-12-06T20:00"),
            Some(1_796_583_600)
        );
        assert_eq!(
            amsterdam_input_to_secs("2026-07-01T12:00"),
            Some(1_782_900_000)
        );
        assert_eq!(secs_to_amsterdam_input(1_796_583_600), "2026-12-06T20:00");
        assert_eq!(secs_to_amsterdam_input(1_782_900_000), "2026-07-01T12:00");
        // Summer time 2026: from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let start: u64 = 1_774_746_000; // 2026-03-29T01:00:00Z
        let end: u64 = 1_792_890_000; // 2026-10-25T01:00:00Z
        let (s, e) = (start as i64, end as i64);
        assert!(!amsterdam_summer_time(s - 1));
        assert!(amsterdam_summer_time(s));
        assert!(amsterdam_summer_time(e - 1));
        assert!(!amsterdam_summer_time(e));
        assert_eq!(secs_to_amsterdam_input(start - 60), "2026-03-29T01:59");
        assert_eq!(secs_to_amsterdam_input(start), "2026-03-29T03:00");
        // The skipped hour counts as winter time; the doubled one as its first occurrence.
        assert_eq!(
            amsterdam_input_to_secs("2026-03-29T02:30"),
            Some(start + 1_800)
        );
        assert_eq!(
            amsterdam_input_to_secs("2026-10-25T02:30"),
            Some(end - 1_800)
        );
        // Round trips across a year, every 7 hours and 13 minutes.
        let mut t = 1_767_225_600; // 2026-01-01
        while t < 1_798_761_600 {
            let input = secs_to_amsterdam_input(t);
            assert_eq!(amsterdam_input_to_secs(&input), Some(t - t % 60), "{input}");
            t += 7 * 3_600 + 13 * 60;
        }
        for bad in [
            "",
            "2026-02-30T10:00",
            "2026-13-01T10:00",
            "2026-01-01",
            "2026-01-01T24:00",
            "x-y-zT1:2",
        ] {
            assert_eq!(amsterdam_input_to_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn attributes_are_escaped() {
        assert_eq!(
            escape_attr(r#"a "b" <c> & d"#),
            "a &quot;b&quot; &lt;c&gt; &amp; d"
        );
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfirmProps {
    /// `#{id}-question` labels the group; the buttons are `#{id}-yes` and `#{id}-no`.
    pub id: AttrValue,
    pub question: Html,
    pub yes: AttrValue,
    pub cancel: AttrValue,
    pub on_yes: Callback<MouseEvent>,
    pub on_no: Callback<MouseEvent>,
}

/// The second question before a destructive action (delete, erase, reset): the question,
/// a red "yes" and a cancel. The "yes" takes the focus when the question appears, so a
/// keyboard user answers it at once and a screen reader reads the group's label.
#[function_component(ConfirmBox)]
pub fn confirm_box(props: &ConfirmProps) -> Html {
    let id = &props.id;
    let yes_id = format!("{id}-yes");
    {
        let yes_id = yes_id.clone();
        use_effect_with((), move |_| focus_selector(&format!("#{yes_id}")));
    }
    html! {
        <div class="confirm" role="group" aria-labelledby={format!("{id}-question")}>
            <p id={format!("{id}-question")}><strong>{ props.question.clone() }</strong></p>
            <div class="actions">
                <button type="button" id={yes_id} class="danger" onclick={props.on_yes.clone()}>
                    { props.yes.clone() }
                </button>
                <button type="button" id={format!("{id}-no")} onclick={props.on_no.clone()}>
                    { props.cancel.clone() }
                </button>
            </div>
        </div>
    }
}
