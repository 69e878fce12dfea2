//! Rules for casework: a coordinator's triage of a report, and the messages and notes that
//! coordinators and reporters write. Shared by the coordinator UI and the server.

use crate::enums::{Severity, Status};
use crate::error::{ErrorKind, Field, FieldError};
use crate::text::{LongText, ShortText};
use serde::{Deserialize, Serialize};

/// Length limits of casework text, in characters.
pub mod limits {
    /// A message to or from the reporter, or an internal note.
    pub const BODY: usize = 4000;
    pub const CLOSED_REASON: usize = 500;
}

/// A triage change as the form sends it: empty strings mean "leave unchanged".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TriageDraft {
    /// `new`, `in_progress` or `closed`; empty = unchanged.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(new|in_progress|closed)?$"))]
    pub status: String,
    /// `low`, `medium`, `high` or `critical`; empty = unchanged.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(low|medium|high|critical)?$"))]
    pub severity: String,
    /// Required when closing.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub closed_reason: String,
}

/// A valid triage change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    /// Present exactly when `status` is `Closed`.
    pub closed_reason: Option<ShortText>,
}

impl Triage {
    pub fn parse(d: &TriageDraft) -> Result<Triage, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = parse_enum::<Status>(Field::Status, &d.status).map_err(|e| errors.push(e)).ok().flatten();
        let severity = parse_enum::<Severity>(Field::Severity, &d.severity).map_err(|e| errors.push(e)).ok().flatten();
        let reason = ShortText::parse_optional(Field::ClosedReason, &d.closed_reason, limits::CLOSED_REASON)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if status == Some(Status::Closed) && reason.is_none() && errors.iter().all(|e| e.field != Field::ClosedReason) {
            errors.push(FieldError::new(Field::ClosedReason, ErrorKind::Required));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let closed_reason = reason.filter(|_| status == Some(Status::Closed));
        Ok(Triage { status, severity, closed_reason })
    }
}

fn parse_enum<T: std::str::FromStr>(field: Field, raw: &str) -> Result<Option<T>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| FieldError::new(field, ErrorKind::Invalid))
}

/// A message or note: required, at most [`limits::BODY`] characters.
pub fn parse_body(raw: &str) -> Result<LongText, Vec<FieldError>> {
    LongText::parse_required(Field::Body, raw, limits::BODY).map_err(|e| vec![e])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &TriageDraft) -> Vec<String> {
        Triage::parse(d).err().unwrap_or_default().iter().map(FieldError::code).collect()
    }

    #[test]
    fn an_empty_triage_changes_nothing() {
        assert_eq!(
            Triage::parse(&TriageDraft::default()).unwrap(),
            Triage { status: None, severity: None, closed_reason: None }
        );
    }

    #[test]
    fn closing_needs_a_reason() {
        let d = TriageDraft { status: "closed".into(), ..Default::default() };
        assert_eq!(codes(&d), ["closed_reason.required"]);
        let d = TriageDraft { closed_reason: "Polisanmält, inget mer att göra".into(), ..d };
        assert_eq!(Triage::parse(&d).unwrap().closed_reason.unwrap().as_str(), "Polisanmält, inget mer att göra");
    }

    #[test]
    fn a_reason_is_dropped_when_not_closing() {
        let d = TriageDraft { status: "in_progress".into(), closed_reason: "x".into(), ..Default::default() };
        assert_eq!(Triage::parse(&d).unwrap().closed_reason, None);
    }

    #[test]
    fn unknown_values_and_long_reasons_are_rejected() {
        let d = TriageDraft { status: "done".into(), severity: "extreme".into(), closed_reason: "x".repeat(501) };
        assert_eq!(codes(&d), ["status.invalid", "severity.invalid", "closed_reason.too_long"]);
    }

    #[test]
    fn bodies_are_required_and_limited() {
        assert_eq!(parse_body("  ").unwrap_err()[0].code(), "body.required");
        assert_eq!(parse_body(&"a".repeat(4001)).unwrap_err()[0].code(), "body.too_long");
        assert_eq!(parse_body(" Hej! ").unwrap().as_str(), "Hej!");
    }
}
