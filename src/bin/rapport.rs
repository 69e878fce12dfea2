//! The reporter's report bundle: mounts [`trygg_app::app::ReportApp`] (`rapport.html`, served
//! for the report form, the receipt and follow-up; see [`trygg_app::app::REPORT_PATHS`]).

fn main() {
    trygg_app::start_report();
}
