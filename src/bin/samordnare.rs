//! The coordinators' app: mounts [`trygg_app::app::CoordinatorApp`] (`samordnare.html`, served
//! for every path under `/samordnare/`).

fn main() {
    trygg_app::start_coordinator();
}
