//! Trygg's browser app as a library: every page, component and client module lives here, and
//! each binary in `src/bin` (or `src/main.rs`) mounts the part of it that its page needs.

// The allocator of every bundle: Talc instead of the default dlmalloc (smaller in the wasm).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod content;
pub mod draft;
pub mod evidence_outbox;
pub mod form;
pub mod i18n;
pub mod json;
pub mod model;
pub mod nav;
pub mod outbox;
pub mod pages;
pub mod prefs;
pub mod storage;
pub mod sw;
pub mod task;

/// Mounts the reporter's start bundle (`index.html`: `/` and every reporter page outside
/// [`app::REPORT_PATHS`]).
pub fn start_reporter() {
    log_panics();
    remove_boot_shell();
    leptos::mount::mount_to_body(app::ReporterApp);
    sw::register(content::refresh_notices());
}

/// Mounts the reporter's report bundle (`rapport.html`: [`app::REPORT_PATHS`]).
pub fn start_report() {
    log_panics();
    remove_boot_shell();
    leptos::mount::mount_to_body(app::ReportApp);
    sw::register(content::refresh());
}

/// Mounts the coordinators' app (`samordnare.html`, everything under `/samordnare/`).
pub fn start_coordinator() {
    log_panics();
    leptos::mount::mount_to_body(app::CoordinatorApp);
}

/// Removes the page the HTML shows before any script (`#boot` in `index.html` and `rapport.html`:
/// the name, a 112 link and a placeholder of the page), just before the app takes its place.
fn remove_boot_shell() {
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
}

/// Writes a panic's message and place to the browser console (`console.error`); the release
/// build then stops at a wasm trap (`panic = "abort"`). Instead of `console_error_panic_hook`,
/// whose added JavaScript stack trace cost the start bundle 0.3 KB brotli more.
fn log_panics() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
}
