//! What administrators edit: a contact on the phone list, a checklist step, the retention
//! period. Each `parse` returns every field error at once, with the same stable codes as the
//! report (`phone.invalid`, `name_sv.required`), so the admin pages and the server share the rules.

use crate::error::{ErrorKind, Field, FieldError};
use crate::phone::PhoneNumber;
use crate::text::ShortText;

/// Length limits of the administrators' texts, in characters.
pub mod limits {
    /// A contact's name.
    pub const NAME: usize = 100;
    /// A contact's note.
    pub const NOTE: usize = 300;
    /// One checklist step.
    pub const STEP: usize = 300;
    /// A phone number as written.
    pub const PHONE: usize = 40;
    /// How many steps a checklist or contacts a group may hold.
    pub const LIST: usize = 50;
}

/// The bounds of the retention period of closed reports, in months (see README: six months
/// covers a follow-up and a complaint period; ten years is the longest any archive rule asks).
pub mod retention {
    pub const MIN_MONTHS: i64 = 6;
    pub const MAX_MONTHS: i64 = 120;
    pub const DEFAULT_MONTHS: i64 = 24;
}

/// The phone list's groups, in the order it shows them.
pub const CONTACT_GROUPS: [&str; 3] = ["emergency", "region", "support"];

/// A contact as an administrator's form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    pub group: String,
    pub name_sv: String,
    pub name_en: String,
    pub note_sv: String,
    pub note_en: String,
    pub phone: String,
    pub roles: Vec<String>,
}

/// A checked contact. A missing English text falls back to the Swedish one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub group: String,
    pub name_sv: String,
    pub name_en: String,
    pub note_sv: String,
    pub note_en: String,
    pub phone: Option<PhoneNumber>,
    pub roles: Vec<String>,
}

fn text(field: Field, raw: &str, max: usize, required: bool, errors: &mut Vec<FieldError>) -> String {
    let parsed = if required {
        ShortText::parse_required(field, raw, max).map(Some)
    } else {
        ShortText::parse_optional(field, raw, max)
    };
    match parsed {
        Ok(t) => t.map(ShortText::into_inner).unwrap_or_default(),
        Err(e) => {
            errors.push(e);
            String::new()
        }
    }
}

impl ContactInput {
    /// Checks a contact; `known_roles` are the reporter roles that exist (wire names).
    pub fn parse(d: &ContactDraft, known_roles: &[String]) -> Result<ContactInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !CONTACT_GROUPS.contains(&d.group.as_str()) {
            errors.push(FieldError::new(Field::Group, ErrorKind::Invalid));
        }
        let name_sv = text(Field::NameSv, &d.name_sv, limits::NAME, true, &mut errors);
        let name_en = text(Field::NameEn, &d.name_en, limits::NAME, false, &mut errors);
        let note_sv = text(Field::NoteSv, &d.note_sv, limits::NOTE, false, &mut errors);
        let note_en = text(Field::NoteEn, &d.note_en, limits::NOTE, false, &mut errors);
        let phone = if d.phone.trim().is_empty() {
            None
        } else {
            match PhoneNumber::parse(&d.phone) {
                Ok(p) => Some(p),
                Err(kind) => {
                    errors.push(FieldError::new(Field::Phone, kind));
                    None
                }
            }
        };
        let mut roles: Vec<String> = Vec::new();
        for r in &d.roles {
            if !known_roles.contains(r) {
                errors.push(FieldError::new(Field::Roles, ErrorKind::Invalid));
                break;
            }
            if !roles.contains(r) {
                roles.push(r.clone());
            }
        }
        if d.roles.is_empty() {
            errors.push(FieldError::new(Field::Roles, ErrorKind::Required));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let name_en = if name_en.is_empty() { name_sv.clone() } else { name_en };
        Ok(ContactInput { group: d.group.clone(), name_sv, name_en, note_sv, note_en, phone, roles })
    }
}

/// One checklist step in both languages (Swedish required; English falls back to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    pub text_sv: String,
    pub text_en: String,
}

impl StepInput {
    pub fn parse(text_sv: &str, text_en: &str) -> Result<StepInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let sv = text(Field::TextSv, text_sv, limits::STEP, true, &mut errors);
        let en = text(Field::TextEn, text_en, limits::STEP, false, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let text_en = if en.is_empty() { sv.clone() } else { en };
        Ok(StepInput { text_sv: sv, text_en })
    }
}

/// Checks a retention period (months) against [`retention`]'s bounds.
pub fn parse_retention_months(months: i64) -> Result<i64, FieldError> {
    if (retention::MIN_MONTHS..=retention::MAX_MONTHS).contains(&months) {
        Ok(months)
    } else {
        Err(FieldError::new(Field::Months, ErrorKind::Invalid))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> Vec<String> {
        vec!["healthcare".into(), "elected_official".into()]
    }

    fn draft() -> ContactDraft {
        ContactDraft {
            group: "region".into(),
            name_sv: "Tjänsteman i beredskap".into(),
            phone: "010-123 45 67".into(),
            roles: vec!["healthcare".into()],
            ..ContactDraft::default()
        }
    }

    #[test]
    fn a_contact_is_checked_and_its_number_normalised() {
        let c = ContactInput::parse(&draft(), &roles()).unwrap();
        assert_eq!(c.phone.unwrap().tel_uri(), "tel:+46101234567");
        assert_eq!(c.name_en, "Tjänsteman i beredskap", "English falls back to Swedish");
    }

    #[test]
    fn every_error_of_a_contact_is_returned_at_once() {
        let d = ContactDraft {
            group: "friends".into(),
            name_sv: " ".into(),
            phone: "010-123 45 67 ankn 3".into(),
            roles: vec!["king".into()],
            ..ContactDraft::default()
        };
        let codes: Vec<String> = ContactInput::parse(&d, &roles()).unwrap_err().iter().map(|e| e.code()).collect();
        assert_eq!(codes, ["group.invalid", "name_sv.required", "phone.invalid", "roles.invalid"]);
        let none = ContactDraft { roles: vec![], ..draft() };
        assert_eq!(ContactInput::parse(&none, &roles()).unwrap_err()[0].code(), "roles.required");
    }

    #[test]
    fn a_step_needs_swedish_text_within_its_limit() {
        assert_eq!(StepInput::parse("Ring 112", "").unwrap().text_en, "Ring 112");
        assert_eq!(StepInput::parse("", "Call").unwrap_err()[0].code(), "text_sv.required");
        let long = "a".repeat(limits::STEP + 1);
        assert_eq!(StepInput::parse("ok", &long).unwrap_err()[0].code(), "text_en.too_long");
    }

    #[test]
    fn retention_is_bounded() {
        assert_eq!(parse_retention_months(24), Ok(24));
        assert_eq!(parse_retention_months(6), Ok(6));
        assert_eq!(parse_retention_months(120), Ok(120));
        assert!(parse_retention_months(5).is_err());
        assert!(parse_retention_months(121).is_err());
        assert!(parse_retention_months(-1).is_err());
    }
}
