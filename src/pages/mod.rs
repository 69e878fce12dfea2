//! One page per route.

pub mod contacts;
pub mod inbox;
pub mod login;
pub mod not_found;
pub mod receipt;
pub mod report;
pub mod situation;
pub mod start;
