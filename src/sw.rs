//! Registers the service worker (`public/sw.js`, served at `/sw.js`) that keeps the reporter's
//! app shell, checklists and phone list on the device, so the app opens with no network; and
//! fetches every checklist and the phone list once at start ([`crate::content::refresh`]), so a
//! situation never opened before works offline after one online visit.

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, spawn_local};

/// Asks the browser to install `/sw.js`. Does nothing where service workers are unavailable
/// (plain HTTP other than localhost, some private modes); a failed registration only costs the
/// offline shell, so it is logged to the console and otherwise ignored.
/// `refresh` fetches and keeps the content ([`crate::content::refresh`], or in the start bundle
/// [`crate::content::refresh_notices`]).
pub fn register(refresh: impl std::future::Future<Output = ()> + 'static) {
    spawn_local(refresh);
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is undefined outside secure contexts; calling into it would throw.
    let available = Reflect::get(&navigator, &JsValue::from_str("serviceWorker")).is_ok_and(|v| v.is_object());
    if !available {
        return;
    }
    let registration = navigator.service_worker().register("/sw.js");
    spawn_local(async move {
        if let Err(e) = JsFuture::from(registration).await {
            web_sys::console::warn_2(&JsValue::from_str("service worker not registered:"), &e);
        }
    });
}
