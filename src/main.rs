//! The reporter's app: mounts [`trygg_app::app::ReporterApp`] (`index.html`).

fn main() {
    trygg_app::start_reporter();
}
