//! Thin wrappers over browser APIs other than HTTP: `localStorage`, the clock and local time,
//! focus, the clipboard and file downloads. Kept tiny; the logic that uses them lives in plain modules.

use js_sys::{Array, Date, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::form::local_input_value;

/// Sets the document title, so each page is named in tabs, history and by screen readers.
pub fn set_title(page: &str, app: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} – {app}"));
    }
}

/// Sets `<html lang>`, so that screen readers speak the page in the language it is written in.
pub fn set_document_lang(code: &str) {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
    }
}

/// Now, as the validator wants it.
pub fn now() -> time::OffsetDateTime {
    let nanos = Date::now() as i128 * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// Now in Unix milliseconds, for the outbox's schedule and the receipts' expiry.
pub fn now_ms() -> u64 {
    Date::now() as u64
}

/// Now as RFC 3339 in UTC, e.g. `2026-11-24T13:30:00.000Z`.
pub fn now_rfc3339() -> String {
    Date::new_0().to_iso_string().into()
}

fn parse(value: &str) -> Option<Date> {
    let date = Date::new(&JsValue::from_str(value));
    (!date.get_time().is_nan()).then_some(date)
}

/// An `<input type="datetime-local">` value (local time) as RFC 3339 UTC; "" when not a time.
pub fn local_input_to_rfc3339(local: &str) -> String {
    if local.trim().is_empty() {
        return String::new();
    }
    parse(local).map(|d| d.to_iso_string().into()).unwrap_or_default()
}

/// RFC 3339 as an `<input type="datetime-local">` value in local time; "" when not a time.
pub fn rfc3339_to_local_input(value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    parse(value)
        .map(|d| local_input_value(d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes()))
        .unwrap_or_default()
}

/// A date and time for people, e.g. `2026-11-24 14:30` in `sv-SE`; the raw text if unreadable.
pub fn format_datetime(lang_tag: &str, value: &str) -> String {
    let Some(date) = parse(value) else {
        return value.to_owned();
    };
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"short".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang_tag, &options).into()
}

fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// Moves keyboard focus to the element with `id` (and so scrolls it into view).
pub fn focus_by_id(id: &str) {
    if let Some(element) = element_by_id(id) {
        let _ = element.focus();
    }
}

/// After a client-side page change: focus the new page's `<h1>` so that keyboard and screen
/// reader users start at the top of the new content instead of a vanished button.
pub fn focus_main_heading() {
    let heading = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(heading) = heading {
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
    }
}

/// Focuses a form control (for a group of radios: the chosen or else the first one) and scrolls
/// so that its question (the group's legend or the field's label) is in view too.
pub fn focus_field(id: &str) {
    let Some(element) = element_by_id(id) else {
        return;
    };
    let control = if element.tag_name().eq_ignore_ascii_case("fieldset") {
        let pick = |selector: &str| element.query_selector(selector).ok().flatten();
        pick("input:checked").or_else(|| pick("input")).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    } else {
        Some(element.clone())
    };
    if let Some(control) = control {
        let _ = control.focus();
    }
    let question = element.closest("fieldset.choices, .field, .check").ok().flatten();
    if let Some(question) = question {
        question.scroll_into_view();
    }
}

/// Copies text with the asynchronous clipboard API; `false` when it is missing or refused
/// (it exists only on secure origins).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let has_clipboard = Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(text)).await.is_ok()
}

/// Offers `text` as a download named `file_name` (a `Blob` behind a temporary object URL);
/// `false` when the browser refused. Reaches `Blob` and `URL` through `js_sys` so that no
/// further `web-sys` bindings are compiled in.
pub fn download_text(file_name: &str, text: &str) -> bool {
    try_download_text(file_name, text).is_some()
}

fn try_download_text(file_name: &str, text: &str) -> Option<()> {
    let global = js_sys::global();
    let blob_class: Function = Reflect::get(&global, &"Blob".into()).ok()?.dyn_into().ok()?;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"type".into(), &"text/plain;charset=utf-8".into()).ok()?;
    let parts = Array::of1(&JsValue::from_str(text));
    let blob = Reflect::construct(&blob_class, &Array::of2(&parts, &options)).ok()?;
    let url_class = Reflect::get(&global, &"URL".into()).ok()?;
    let method = |name: &str| Reflect::get(&url_class, &name.into()).ok()?.dyn_into::<Function>().ok();
    let url = method("createObjectURL")?.call1(&url_class, &blob).ok()?;
    let link: web_sys::HtmlElement = web_sys::window()?.document()?.create_element("a").ok()?.dyn_into().ok()?;
    link.set_attribute("href", &url.as_string()?).ok()?;
    link.set_attribute("download", file_name).ok()?;
    link.click();
    // The download has its own copy by now; the URL only holds memory.
    let _ = method("revokeObjectURL")?.call1(&url_class, &url);
    Some(())
}
