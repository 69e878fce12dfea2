//! One page per route.

pub mod inbox;
pub mod login;
pub mod not_found;
pub mod receipt;
pub mod report;
