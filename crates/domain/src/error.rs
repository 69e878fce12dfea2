//! Field-level validation errors with stable codes (`description.too_long`) that UIs translate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every field of a report draft that a rule can reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Kind,
    Channel,
    OccurredAt,
    Location,
    Description,
    Perpetrator,
    PerpetratorDescription,
    Witnesses,
    PoliceCaseNumber,
    Role,
    Phase,
    Unit,
    Identity,
    ReporterName,
    ReporterPhone,
    ReporterEmail,
    HelpCallMe,
    // Casework forms (coordinators and follow-up by receipt code).
    Status,
    Severity,
    ClosedReason,
    Body,
    ReceiptCode,
    // Administration: the phone list, checklists and retention.
    Group,
    NameSv,
    NameEn,
    NoteSv,
    NoteEn,
    Phone,
    Roles,
    TextSv,
    TextEn,
    Months,
}

impl Field {
    /// Every field of every form.
    pub const ALL: [Field; 32] = [
        Field::Kind,
        Field::Channel,
        Field::OccurredAt,
        Field::Location,
        Field::Description,
        Field::Perpetrator,
        Field::PerpetratorDescription,
        Field::Witnesses,
        Field::PoliceCaseNumber,
        Field::Role,
        Field::Phase,
        Field::Unit,
        Field::Identity,
        Field::ReporterName,
        Field::ReporterPhone,
        Field::ReporterEmail,
        Field::HelpCallMe,
        Field::Status,
        Field::Severity,
        Field::ClosedReason,
        Field::Body,
        Field::ReceiptCode,
        Field::Group,
        Field::NameSv,
        Field::NameEn,
        Field::NoteSv,
        Field::NoteEn,
        Field::Phone,
        Field::Roles,
        Field::TextSv,
        Field::TextEn,
        Field::Months,
    ];

    /// The fields of the incident report, in the order the form shows them.
    pub const REPORT: [Field; 17] = [
        Field::Kind,
        Field::Channel,
        Field::OccurredAt,
        Field::Location,
        Field::Description,
        Field::Perpetrator,
        Field::PerpetratorDescription,
        Field::Witnesses,
        Field::PoliceCaseNumber,
        Field::Role,
        Field::Phase,
        Field::Unit,
        Field::Identity,
        Field::ReporterName,
        Field::ReporterPhone,
        Field::ReporterEmail,
        Field::HelpCallMe,
    ];

    /// The JSON name of the field, also used as the form control's id.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Channel => "channel",
            Field::OccurredAt => "occurred_at",
            Field::Location => "location",
            Field::Description => "description",
            Field::Perpetrator => "perpetrator",
            Field::PerpetratorDescription => "perpetrator_description",
            Field::Witnesses => "witnesses",
            Field::PoliceCaseNumber => "police_case_number",
            Field::Role => "role",
            Field::Phase => "phase",
            Field::Unit => "unit",
            Field::Identity => "identity",
            Field::ReporterName => "reporter_name",
            Field::ReporterPhone => "reporter_phone",
            Field::ReporterEmail => "reporter_email",
            Field::HelpCallMe => "help_call_me",
            Field::Status => "status",
            Field::Severity => "severity",
            Field::ClosedReason => "closed_reason",
            Field::Body => "body",
            Field::ReceiptCode => "receipt_code",
            Field::Group => "group",
            Field::NameSv => "name_sv",
            Field::NameEn => "name_en",
            Field::NoteSv => "note_sv",
            Field::NoteEn => "note_en",
            Field::Phone => "phone",
            Field::Roles => "roles",
            Field::TextSv => "text_sv",
            Field::TextEn => "text_en",
            Field::Months => "months",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a field. Together with the field it forms the stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Empty, but the field must be filled in.
    Required,
    /// Longer than the field's limit (counted in characters).
    TooLong,
    /// Not one of the allowed values.
    Invalid,
    /// Contains control characters (such as NUL) that no person types.
    InvalidCharacters,
    /// A time later than now.
    InFuture,
    /// A phone number is needed because the reporter asked to be called.
    RequiredForCallMe,
    /// The reporter chose to be anonymous, so they cannot be called back.
    NotWhenAnonymous,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Required,
        ErrorKind::TooLong,
        ErrorKind::Invalid,
        ErrorKind::InvalidCharacters,
        ErrorKind::InFuture,
        ErrorKind::RequiredForCallMe,
        ErrorKind::NotWhenAnonymous,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Required => "required",
            ErrorKind::TooLong => "too_long",
            ErrorKind::Invalid => "invalid",
            ErrorKind::InvalidCharacters => "invalid_characters",
            ErrorKind::InFuture => "in_future",
            ErrorKind::RequiredForCallMe => "required_for_call_me",
            ErrorKind::NotWhenAnonymous => "not_when_anonymous",
        }
    }

    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One rejected field. On the wire: `{"field": "description", "code": "description.too_long"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldError {
    pub field: Field,
    pub kind: ErrorKind,
}

impl FieldError {
    pub fn new(field: Field, kind: ErrorKind) -> Self {
        Self { field, kind }
    }

    /// The stable code, `field.kind`.
    pub fn code(&self) -> String {
        format!("{}.{}", self.field.as_str(), self.kind.as_str())
    }

    /// Parses a stable code back (the browser does this with a server's 422).
    pub fn from_code(code: &str) -> Option<FieldError> {
        let (field, kind) = code.split_once('.')?;
        Some(FieldError::new(Field::from_name(field)?, ErrorKind::from_name(kind)?))
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.field.as_str(), self.kind.as_str())
    }
}

#[derive(Serialize, Deserialize)]
struct WireFieldError {
    field: String,
    code: String,
}

impl Serialize for FieldError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireFieldError { field: self.field.as_str().to_owned(), code: self.code() }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for FieldError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = WireFieldError::deserialize(d)?;
        FieldError::from_code(&wire.code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field error code {}", wire.code)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_string_form() {
        for field in Field::ALL {
            for kind in ErrorKind::ALL {
                let e = FieldError::new(field, kind);
                assert_eq!(FieldError::from_code(&e.code()), Some(e));
            }
        }
    }

    #[test]
    fn a_field_error_serialises_to_field_and_code() {
        let e = FieldError::new(Field::Description, ErrorKind::TooLong);
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json, serde_json::json!({"field": "description", "code": "description.too_long"}));
        let back: FieldError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn unknown_codes_are_not_parsed() {
        assert_eq!(FieldError::from_code("description"), None);
        assert_eq!(FieldError::from_code("nope.required"), None);
        assert_eq!(FieldError::from_code("description.nope"), None);
    }
}
