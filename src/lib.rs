//! Trygg's browser app as a library: every page, component and client module lives here, and
//! each binary in `src/bin` (or `src/main.rs`) mounts the part of it that its page needs.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod content;
pub mod draft;
pub mod form;
pub mod i18n;
pub mod model;
pub mod outbox;
pub mod pages;
pub mod prefs;
pub mod state;
pub mod sw;

/// Mounts the whole app into the page.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    sw::register();
}
