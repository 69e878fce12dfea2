//! Small reusable components: the page header, form controls and fields, record tables and the
//! error summary.

pub mod busy_button;
pub mod chart;
pub mod data_table;
pub mod error_summary;
pub mod fields;
pub mod form_field;
pub mod header;
