//! Small reusable components: the page header, form controls and the error summary.

pub mod error_summary;
pub mod fields;
pub mod header;
