//! The work-environment notice (arbetsmiljöanmälan): whether a report describes a serious
//! incident that the employer must notify to the work-environment authority (Arbetsmiljöverket).
//!
//! The rule (Arbetsmiljölagen 3 kap. 3 a § and Arbetsmiljöförordningen 2 §; in practice "within
//! 24 hours", ../shared/domain.md, "Ambulance/healthcare, after"): the employer notifies without
//! delay an occurrence at work that caused serious injury, or an incident that meant serious
//! danger to life or health. Trygg cannot judge "serious" for certain, so it errs on the side of
//! asking a coordinator to decide; a report **qualifies** when
//! - the reporter is **staff** ([`Role::Healthcare`]: employees; elected officials are not
//!   employees of the region and fall outside the law's employer duty), and
//! - at least one of: someone was **injured**; it was **violence**; it led to **sick leave**;
//!   a coordinator judged its severity **critical** (a serious danger without injury).
//!
//! The notice is due [`DEADLINE_HOURS`] after the report arrived; reminders fire at
//! [`REMINDER_HOURS`] while it is not marked sent.

use crate::{IncidentKind, Role, Severity};
use serde::{Deserialize, Serialize};

/// Hours after arrival within which the notice should be sent.
pub const DEADLINE_HOURS: i64 = 24;
/// Hours after arrival at which a reminder fires while it is not sent (level 1, level 2).
pub const REMINDER_HOURS: [i64; 2] = [12, 24];

/// Why a report qualifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkEnvReason {
    Injury,
    Violence,
    SickLeave,
    CriticalSeverity,
}

/// What the rule reads of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkEnvFacts {
    pub role: Role,
    pub kind: IncidentKind,
    pub injury: bool,
    pub sick_leave: bool,
    pub severity: Option<Severity>,
}

/// The reasons a report qualifies for a work-environment notice; empty: it does not.
pub fn work_env_reasons(f: &WorkEnvFacts) -> Vec<WorkEnvReason> {
    if f.role != Role::Healthcare {
        return Vec::new();
    }
    let mut reasons = Vec::new();
    if f.injury {
        reasons.push(WorkEnvReason::Injury);
    }
    if f.kind == IncidentKind::Violence {
        reasons.push(WorkEnvReason::Violence);
    }
    if f.sick_leave {
        reasons.push(WorkEnvReason::SickLeave);
    }
    if f.severity == Some(Severity::Critical) {
        reasons.push(WorkEnvReason::CriticalSeverity);
    }
    reasons
}

/// The reminder level due `elapsed_ms` after arrival for a qualifying, unsent notice.
pub fn work_env_reminder_level(elapsed_ms: i64) -> Option<i32> {
    REMINDER_HOURS.iter().zip(1..).filter(|(h, _)| elapsed_ms >= **h * 3_600_000).map(|(_, l)| l).last()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> WorkEnvFacts {
        WorkEnvFacts {
            role: Role::Healthcare,
            kind: IncidentKind::Threat,
            injury: false,
            sick_leave: false,
            severity: None,
        }
    }

    #[test]
    fn a_threat_to_staff_without_injury_does_not_qualify() {
        assert!(work_env_reasons(&staff()).is_empty());
        assert!(work_env_reasons(&WorkEnvFacts { severity: Some(Severity::High), ..staff() }).is_empty());
    }

    #[test]
    fn injury_violence_sick_leave_or_critical_severity_to_staff_qualifies_with_every_reason() {
        assert_eq!(work_env_reasons(&WorkEnvFacts { injury: true, ..staff() }), [WorkEnvReason::Injury]);
        let all = WorkEnvFacts {
            kind: IncidentKind::Violence,
            injury: true,
            sick_leave: true,
            severity: Some(Severity::Critical),
            ..staff()
        };
        assert_eq!(
            work_env_reasons(&all),
            [WorkEnvReason::Injury, WorkEnvReason::Violence, WorkEnvReason::SickLeave, WorkEnvReason::CriticalSeverity]
        );
    }

    #[test]
    fn an_elected_official_never_qualifies_since_there_is_no_employer_duty() {
        let f = WorkEnvFacts { role: Role::ElectedOfficial, kind: IncidentKind::Violence, injury: true, ..staff() };
        assert!(work_env_reasons(&f).is_empty());
    }

    #[test]
    fn the_reminder_levels_fall_at_twelve_and_twenty_four_hours() {
        let h = 3_600_000;
        assert_eq!(work_env_reminder_level(12 * h - 1), None);
        assert_eq!(work_env_reminder_level(12 * h), Some(1));
        assert_eq!(work_env_reminder_level(24 * h), Some(2));
        assert_eq!(work_env_reminder_level(90 * h), Some(2));
    }
}
