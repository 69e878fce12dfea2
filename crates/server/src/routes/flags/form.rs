//! The flag forms' rules: a proposal's and a review's fields checked all at once (field errors
//! by the `trygg_wire::flags::fields` names), the dates (calendar dates in the region; the end
//! at most 12 months ahead, the review not after the end) and the address's keyed hashes.

use super::{FlagError, TABLE, category_str, level_str};
use crate::crypto::Keys;
use crate::region_time::{instant_at, local};
use crate::store::flags::FlagRow;
use jiff::Span;
use jiff::civil::Date;
use trygg_domain::Address;
use trygg_wire::flags::{FlagProposal, FlagReview, ResidentInformed, ReviewAction, fields};

/// When a flag ends (the instant after its end date) and when it is due for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub ends_at: i64,
    pub review_at: i64,
}

/// A proposal that passed every check.
pub struct Valid {
    pub address: Address,
    pub dates: Dates,
    pub informed_at: Option<i64>,
    pub not_informed: Option<String>,
}

type Errors = Vec<(&'static str, &'static str)>;

pub fn parse_date(s: &str) -> Option<Date> {
    s.trim().parse::<Date>().ok()
}

/// The region's calendar date of an instant, `YYYY-MM-DD`.
pub fn date_of(ms: i64) -> String {
    local(ms).date().to_string()
}

pub use crate::store::flag_index::address_indexes;

fn text(errors: &mut Errors, field: &'static str, value: &str, max: usize) {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, "required"));
    } else if v.chars().count() > max {
        errors.push((field, "too_long"));
    } else if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push((field, "invalid_characters"));
    }
}

/// The end and review dates: given ones checked against today (the end from today to 12
/// months ahead, the review from today to the end), absent ones `default_*` months ahead.
fn dates(
    errors: &mut Errors,
    ends_on: Option<&str>,
    review_on: Option<&str>,
    now: i64,
    fallback: Option<Dates>,
) -> Dates {
    let today = local(now).date();
    let months = |n: i64| today.checked_add(Span::new().months(n)).unwrap_or(today);
    let mut parse = |field: &'static str, raw: Option<&str>| match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match parse_date(s) {
            Some(d) if d < today => {
                errors.push((field, "past"));
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push((field, "invalid"));
                None
            }
        },
    };
    let ends = parse(fields::ENDS_ON, ends_on);
    let review = parse(fields::REVIEW_ON, review_on);
    if ends.is_some_and(|e| e > months(12)) {
        errors.push((fields::ENDS_ON, "too_late"));
    }
    let end_instant = |d: Date| instant_at(d.tomorrow().unwrap_or(d), 0);
    let ends_at = match (ends, fallback) {
        (Some(e), _) => end_instant(e),
        (None, Some(f)) => f.ends_at,
        (None, None) => end_instant(months(3)),
    };
    let review_at = match (review, fallback) {
        (Some(r), _) => instant_at(r, 0),
        (None, Some(f)) if ends.is_none() => f.review_at,
        _ => instant_at(months(2), 0).min(ends_at - 1),
    };
    if review_at >= ends_at {
        errors.push((fields::REVIEW_ON, "after_end"));
    }
    Dates { ends_at, review_at }
}

/// When the resident was informed, and why not (sealed by the caller): at most one of them.
fn resident(errors: &mut Errors, r: &ResidentInformed, now: i64) -> (Option<i64>, Option<String>) {
    let informed = match r.informed_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match parse_date(s) {
            Some(d) if d > local(now).date() => {
                errors.push((fields::INFORMED_ON, "future"));
                None
            }
            Some(d) => Some(instant_at(d, 0)),
            None => {
                errors.push((fields::INFORMED_ON, "invalid"));
                None
            }
        },
    };
    let why = r.not_informed_reason.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(w) = &why {
        text(errors, fields::NOT_INFORMED_REASON, w, 500);
        if r.informed_on.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            errors.push((fields::NOT_INFORMED_REASON, "conflict"));
        }
    }
    (informed, why)
}

/// Checks a proposal; every field error at once.
pub fn check_proposal(p: &FlagProposal, now: i64) -> Result<Valid, FlagError> {
    let mut errors = Errors::new();
    let address = Address::parse(&p.address).map_err(|k| errors.push((fields::ADDRESS, k.as_str()))).ok();
    text(&mut errors, fields::GUIDANCE_SV, &p.guidance_sv, 500);
    text(&mut errors, fields::GUIDANCE_EN, &p.guidance_en, 500);
    text(&mut errors, fields::REASON, &p.reason, 1000);
    let dates = dates(&mut errors, p.ends_on.as_deref(), p.review_on.as_deref(), now, None);
    let (informed_at, not_informed) = resident(&mut errors, &p.resident, now);
    match address {
        Some(address) if errors.is_empty() => Ok(Valid { address, dates, informed_at, not_informed }),
        _ => Err(FlagError::Fields(errors)),
    }
}

/// Checks a review and returns the flag as it would be after it (version + 1).
pub fn check_review(keys: &Keys, f: &FlagRow, r: &FlagReview, now: i64) -> Result<FlagRow, FlagError> {
    let mut errors = Errors::new();
    text(&mut errors, fields::REASON, &r.reason, 1000);
    let mut next = f.clone();
    next.version += 1;
    if let Some(g) = &r.guidance_sv {
        text(&mut errors, fields::GUIDANCE_SV, g, 500);
        next.guidance_sv = g.trim().into();
    }
    if let Some(g) = &r.guidance_en {
        text(&mut errors, fields::GUIDANCE_EN, g, 500);
        next.guidance_en = g.trim().into();
    }
    if let Some(l) = r.level {
        next.level = level_str(l).into();
    }
    if let Some(c) = r.category {
        next.category = category_str(c).into();
    }
    let current = Dates { ends_at: f.ends_at, review_at: f.review_at };
    if r.ends_on.is_some() || r.review_on.is_some() {
        let d = dates(&mut errors, r.ends_on.as_deref(), r.review_on.as_deref(), now, Some(current));
        next.ends_at = d.ends_at;
        next.review_at = d.review_at;
    } else if r.action == ReviewAction::Extend {
        errors.push((fields::ENDS_ON, "required"));
    }
    if let Some(res) = &r.resident {
        let (informed, why) = resident(&mut errors, res, now);
        next.informed_at = informed;
        next.not_informed_sealed = why.map(|w| keys.seal_str(TABLE, "not_informed", &f.id.to_string(), &w));
    }
    if r.action == ReviewAction::Lift {
        next.state = "lifted".into();
    }
    if errors.is_empty() { Ok(next) } else { Err(FlagError::Fields(errors)) }
}

/// What a review changed, before → after (no sealed text).
pub fn changes(before: &FlagRow, after: &FlagRow) -> String {
    let mut out = Vec::new();
    let mut diff = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name} {a} → {b}"));
        }
    };
    diff("state", before.state.clone(), after.state.clone());
    diff("level", before.level.clone(), after.level.clone());
    diff("category", before.category.clone(), after.category.clone());
    diff("ends", date_of(before.ends_at - 1), date_of(after.ends_at - 1));
    diff("review", date_of(before.review_at), date_of(after.review_at));
    diff("guidance_sv", before.guidance_sv.clone(), after.guidance_sv.clone());
    diff("guidance_en", before.guidance_en.clone(), after.guidance_en.clone());
    diff("informed", format!("{:?}", before.informed_at.map(date_of)), format!("{:?}", after.informed_at.map(date_of)));
    if before.not_informed_sealed != after.not_informed_sealed {
        out.push("reason not informed changed".into());
    }
    if out.is_empty() { "no change".into() } else { out.join(", ") }
}
