//! Urgency at intake: whether a new report must reach the on-duty coordinator at once (a mail
//! and a badge, by the notification jobs) instead of waiting for someone to open the inbox.
//! Severity is set later by a coordinator; urgency is what the reporter's own answers decide,
//! so it is known the moment the report arrives.
//!
//! A report is **urgent** when any of these holds, with the reason kept for the message:
//! 1. the kind is violence;
//! 2. someone was injured;
//! 3. it is going on now (the reporter is in the *during* phase);
//! 4. the reporter asked to be called.
//!
//! Everything else is **routine**: read within working hours, never a night-time mail.
//!
//! What the reporter is told to expect ([`answer_expected_within_hours`]): a first answer within
//! **1 hour** for an urgent report and within **24 hours** for a routine one — the same hours
//! after which the coordinators are reminded of an unanswered report.

use crate::enums::{IncidentKind, Phase};
use crate::report::NewReport;

/// Why a report is urgent, in the order the rule lists them (the first that holds is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrgentBecause {
    Violence,
    Injury,
    Ongoing,
    CallMe,
}

/// How fast a new report must reach a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Urgent(UrgentBecause),
    Routine,
}

impl Urgency {
    pub fn is_urgent(self) -> bool {
        matches!(self, Urgency::Urgent(_))
    }

    /// Stable name, for storage and the API: `urgent` or `routine`.
    pub fn as_str(self) -> &'static str {
        if self.is_urgent() { "urgent" } else { "routine" }
    }
}

/// Hours from arrival within which a coordinator's first answer can be expected: 1 for an urgent
/// report, 24 for a routine one.
pub const fn answer_expected_within_hours(urgent: bool) -> i64 {
    if urgent { 1 } else { 24 }
}

impl NewReport {
    /// The rule above, applied to a parsed report.
    pub fn urgency(&self) -> Urgency {
        let because = if self.kind == IncidentKind::Violence {
            Some(UrgentBecause::Violence)
        } else if self.consequences.injury {
            Some(UrgentBecause::Injury)
        } else if self.phase == Some(Phase::During) {
            Some(UrgentBecause::Ongoing)
        } else if self.help.call_me {
            Some(UrgentBecause::CallMe)
        } else {
            None
        };
        because.map_or(Urgency::Routine, Urgency::Urgent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ReportDraft;
    use time::macros::datetime;

    fn parsed(adjust: impl FnOnce(&mut ReportDraft)) -> NewReport {
        let mut d = ReportDraft {
            kind: "threat".into(),
            channel: "phone".into(),
            occurred_at: "2026-11-24T11:30:00+01:00".into(),
            description: "Någon hotade mig i telefon.".into(),
            role: "elected_official".into(),
            identity: "named".into(),
            reporter_name: "Eva Ek".into(),
            reporter_phone: "070-123 45 67".into(),
            ..ReportDraft::default()
        };
        adjust(&mut d);
        NewReport::parse(&d, datetime!(2026-11-24 12:00 UTC)).unwrap()
    }

    #[test]
    fn a_threat_after_the_event_with_no_request_is_routine() {
        assert_eq!(parsed(|_| {}).urgency(), Urgency::Routine);
        assert_eq!(parsed(|d| d.phase = "after".into()).urgency().as_str(), "routine");
    }

    #[test]
    fn an_urgent_report_can_expect_an_answer_within_an_hour_and_a_routine_one_within_a_day() {
        assert_eq!(answer_expected_within_hours(parsed(|d| d.kind = "violence".into()).urgency().is_urgent()), 1);
        assert_eq!(answer_expected_within_hours(parsed(|_| ()).urgency().is_urgent()), 24);
    }

    #[test]
    fn each_answer_of_the_rule_makes_a_report_urgent() {
        assert_eq!(parsed(|d| d.kind = "violence".into()).urgency(), Urgency::Urgent(UrgentBecause::Violence));
        assert_eq!(parsed(|d| d.injury = true).urgency(), Urgency::Urgent(UrgentBecause::Injury));
        assert_eq!(parsed(|d| d.phase = "during".into()).urgency(), Urgency::Urgent(UrgentBecause::Ongoing));
        assert_eq!(parsed(|d| d.help_call_me = true).urgency(), Urgency::Urgent(UrgentBecause::CallMe));
        assert_eq!(parsed(|d| d.help_call_me = true).urgency().as_str(), "urgent");
    }

    #[test]
    fn the_first_reason_that_holds_is_kept() {
        let r = parsed(|d| {
            d.kind = "violence".into();
            d.injury = true;
            d.help_call_me = true;
        });
        assert_eq!(r.urgency(), Urgency::Urgent(UrgentBecause::Violence));
    }
}
