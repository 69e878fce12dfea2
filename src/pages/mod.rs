//! One page per route.

pub mod admin_jobs;
pub mod audit;
pub mod case;
pub mod contacts;
pub mod followup;
pub mod inbox;
pub mod login;
pub mod not_found;
pub mod receipt;
pub mod report;
pub mod shell;
pub mod situation;
pub mod start;
pub mod two_factor;
