//! Trygg's browser app: mounts [`app::App`] into the page.

mod api;
mod app;
mod browser;
mod components;
mod content;
mod draft;
mod form;
mod i18n;
mod model;
mod pages;
mod prefs;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
