//! One page per route.

pub mod account;
pub mod admin;
pub mod admin_content;
pub mod admin_content_checklists;
pub mod admin_content_nav;
pub mod admin_jobs;
pub mod admin_retention;
pub mod admin_roster;
pub mod audit;
pub mod case;
pub mod contacts;
pub mod flags;
pub mod followup;
pub mod inbox;
pub mod invitation;
pub mod login;
pub mod lookup;
pub mod lookup_tokens;
pub mod not_found;
pub mod receipt;
pub mod report;
pub mod shell;
pub mod situation;
pub mod start;
pub mod two_factor;
pub mod waiting;
