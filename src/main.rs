//! Trygg's browser app: mounts [`trygg_app::app::App`] into the page.

fn main() {
    trygg_app::start();
}
