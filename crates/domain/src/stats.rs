//! Rules the statistics rest on, shared by server and app: which reports needed the notice to
//! the work-environment authority, the first-answer targets, and how a percentile is taken.
//!
//! **Work-environment notice** (Arbetsmiljöverket, "allvarligt tillbud / allvarlig olycka",
//! in practice within 24 hours): the domain had no such rule, so this one is deliberately
//! simple and only uses what the de-identified facts keep: a report needs the notice when a
//! coordinator judged it `critical`, or when it was violence judged `high`. A report without a
//! severity (not yet triaged) never counts.
//!
//! **First-answer targets**: one hour for an urgent report, 24 hours for a routine one, the
//! thresholds at which the server's first unanswered-report reminder fires.

use crate::enums::{IncidentKind, Severity};

/// Hours within which an urgent report should have its first answer.
pub const URGENT_ANSWER_TARGET_HOURS: i64 = 1;
/// Hours within which a routine report should have its first answer.
pub const ROUTINE_ANSWER_TARGET_HOURS: i64 = 24;
/// Hours within which a serious incident must be notified to the work-environment authority.
pub const WORK_ENVIRONMENT_NOTICE_HOURS: i64 = 24;

/// The first-answer target of a report, in minutes.
pub fn answer_target_minutes(urgent: bool) -> i64 {
    60 * if urgent { URGENT_ANSWER_TARGET_HOURS } else { ROUTINE_ANSWER_TARGET_HOURS }
}

/// Whether a report needed the 24-hour notice to the work-environment authority (see above).
pub fn needs_work_environment_notice(kind: IncidentKind, severity: Option<Severity>) -> bool {
    match severity {
        Some(Severity::Critical) => true,
        Some(Severity::High) => kind == IncidentKind::Violence,
        _ => false,
    }
}

/// The nearest-rank percentile `p` (1–100) of ascending `sorted` values: the smallest value with
/// at least `p` % of the values at or below it. The median is `p = 50` (the lower middle value of
/// an even count). `None` for no values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (n * p.clamp(1, 100) as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_critical_reports_and_high_violence_need_the_work_environment_notice() {
        assert!(needs_work_environment_notice(IncidentKind::Threat, Some(Severity::Critical)));
        assert!(needs_work_environment_notice(IncidentKind::Violence, Some(Severity::High)));
        assert!(!needs_work_environment_notice(IncidentKind::Threat, Some(Severity::High)));
        assert!(!needs_work_environment_notice(IncidentKind::Violence, Some(Severity::Medium)));
        assert!(!needs_work_environment_notice(IncidentKind::Violence, None));
    }

    #[test]
    fn an_urgent_report_should_be_answered_within_an_hour_a_routine_one_within_a_day() {
        assert_eq!(answer_target_minutes(true), 60);
        assert_eq!(answer_target_minutes(false), 1440);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(percentile(&ten, 100), Some(10));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(percentile(&eleven, 90), Some(10));
    }
}
