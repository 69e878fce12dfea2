//! The incident report: [`ReportDraft`] is what a form holds and what is sent; [`NewReport`] is
//! a draft that passed every rule. [`NewReport::parse`] returns every field error at once.

use crate::enums::{Channel, IdentityChoice, IncidentKind, Perpetrator, Phase, Role};
use crate::error::{ErrorKind, Field, FieldError};
use crate::text::{CaseNumber, Email, LongText, Name, Phone, ShortText};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Length limits in characters. The form shows them; the parser enforces them.
pub mod limits {
    pub const DESCRIPTION: usize = 4000;
    pub const LOCATION: usize = 200;
    pub const PERPETRATOR_DESCRIPTION: usize = 1000;
    pub const WITNESSES: usize = 1000;
    pub const POLICE_CASE_NUMBER: usize = 40;
    pub const UNIT: usize = 120;
    pub const REPORTER_NAME: usize = 120;
    pub const REPORTER_PHONE: usize = 30;
    pub const REPORTER_EMAIL: usize = 254;
    /// How far in the future `occurred_at` may lie (clock skew between phone and server).
    pub const FUTURE_SKEW_SECONDS: i64 = 15 * 60;

    /// The length limit of a text field, if it has one.
    pub fn for_field(field: crate::Field) -> Option<usize> {
        use crate::Field as F;
        use crate::casework::limits as cw;
        Some(match field {
            F::Location => LOCATION,
            F::Description => DESCRIPTION,
            F::PerpetratorDescription => PERPETRATOR_DESCRIPTION,
            F::Witnesses => WITNESSES,
            F::PoliceCaseNumber => POLICE_CASE_NUMBER,
            F::Unit => UNIT,
            F::ReporterName => REPORTER_NAME,
            F::ReporterPhone => REPORTER_PHONE,
            F::ReporterEmail => REPORTER_EMAIL,
            F::ClosedReason => cw::CLOSED_REASON,
            F::Body => cw::BODY,
            F::NameSv | F::NameEn => crate::content::limits::NAME,
            F::NoteSv | F::NoteEn => crate::content::limits::NOTE,
            F::TextSv | F::TextEn => crate::content::limits::STEP,
            F::Phone => crate::content::limits::PHONE,
            F::Kind
            | F::Channel
            | F::OccurredAt
            | F::Perpetrator
            | F::Role
            | F::Phase
            | F::Identity
            | F::HelpCallMe
            | F::Status
            | F::Severity
            | F::ReceiptCode
            | F::Group
            | F::Roles
            | F::Months => return None,
        })
    }
}

/// A report as a form holds it: every value a string or a flag, nothing checked yet.
/// Missing JSON fields take their default, so a partial draft still parses into field errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReportDraft {
    #[cfg_attr(feature = "openapi", schema(value_type = IncidentKind, required = true))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Channel, required = true))]
    pub channel: String,
    /// RFC 3339 with an offset, e.g. `2026-11-24T14:30:00+01:00`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime, required = true))]
    pub occurred_at: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub location: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 4000,
            pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$",
            required = true
        )
    )]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(known|unknown)?$"))]
    pub perpetrator: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 1000, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub perpetrator_description: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 1000, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub witnesses: String,
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
    pub police_reported: bool,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 40, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub police_case_number: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Role, required = true))]
    pub role: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^(before|during|after)?$"))]
    pub phase: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 120, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub unit: String,
    #[cfg_attr(feature = "openapi", schema(value_type = IdentityChoice, required = true))]
    pub identity: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 120, pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
    )]
    pub reporter_name: String,
    pub reporter_phone: String,
    pub reporter_email: String,
    pub help_call_me: bool,
    pub help_support: bool,
    pub help_police: bool,
}

/// What the incident led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Consequences {
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
}

/// What help the reporter asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HelpWanted {
    pub call_me: bool,
    pub support: bool,
    pub police_report: bool,
}

/// Who the reporter is, as far as they chose to say. Anonymous holds nothing by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Named { name: Name, phone: Option<Phone>, email: Option<Email> },
    Confidential { name: Name, phone: Option<Phone>, email: Option<Email> },
    Anonymous,
}

impl Identity {
    pub fn choice(&self) -> IdentityChoice {
        match self {
            Identity::Named { .. } => IdentityChoice::Named,
            Identity::Confidential { .. } => IdentityChoice::Confidential,
            Identity::Anonymous => IdentityChoice::Anonymous,
        }
    }

    pub fn name(&self) -> Option<&Name> {
        match self {
            Identity::Named { name, .. } | Identity::Confidential { name, .. } => Some(name),
            Identity::Anonymous => None,
        }
    }

    pub fn phone(&self) -> Option<&Phone> {
        match self {
            Identity::Named { phone, .. } | Identity::Confidential { phone, .. } => phone.as_ref(),
            Identity::Anonymous => None,
        }
    }

    pub fn email(&self) -> Option<&Email> {
        match self {
            Identity::Named { email, .. } | Identity::Confidential { email, .. } => email.as_ref(),
            Identity::Anonymous => None,
        }
    }
}

/// A report that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub kind: IncidentKind,
    pub channel: Channel,
    pub occurred_at: OffsetDateTime,
    pub location: Option<ShortText>,
    pub description: LongText,
    pub perpetrator: Option<Perpetrator>,
    pub perpetrator_description: Option<LongText>,
    pub witnesses: Option<LongText>,
    pub consequences: Consequences,
    /// The police case number, kept only when the reporter says it was reported to the police.
    pub police_reported: bool,
    pub police_case_number: Option<CaseNumber>,
    pub role: Role,
    pub phase: Option<Phase>,
    pub unit: Option<ShortText>,
    pub identity: Identity,
    pub help: HelpWanted,
}

/// Collects results so that every field is checked and every error reported.
struct Collector(Vec<FieldError>);

impl Collector {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

fn required_enum<T: std::str::FromStr>(field: Field, raw: &str) -> Result<T, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, ErrorKind::Required));
    }
    s.parse().map_err(|_| FieldError::new(field, ErrorKind::Invalid))
}

fn optional_enum<T: std::str::FromStr>(field: Field, raw: &str) -> Result<Option<T>, FieldError> {
    if raw.trim().is_empty() { Ok(None) } else { required_enum(field, raw).map(Some) }
}

fn occurred_at(raw: &str, now: OffsetDateTime) -> Result<OffsetDateTime, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(FieldError::new(Field::OccurredAt, ErrorKind::Required));
    }
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| FieldError::new(Field::OccurredAt, ErrorKind::Invalid))?;
    if t.year() < 2000 {
        return Err(FieldError::new(Field::OccurredAt, ErrorKind::Invalid));
    }
    if (t - now).whole_seconds() > limits::FUTURE_SKEW_SECONDS {
        return Err(FieldError::new(Field::OccurredAt, ErrorKind::InFuture));
    }
    Ok(t)
}

impl NewReport {
    /// Checks every rule against `draft`, with `now` as the reference for "not in the future".
    /// Returns all field errors at once, in form order.
    pub fn parse(draft: &ReportDraft, now: OffsetDateTime) -> Result<NewReport, Vec<FieldError>> {
        use limits as l;
        let mut c = Collector(Vec::new());
        let kind = c.take(required_enum::<IncidentKind>(Field::Kind, &draft.kind));
        let channel = c.take(required_enum::<Channel>(Field::Channel, &draft.channel));
        let when = c.take(occurred_at(&draft.occurred_at, now));
        let location = c.take(ShortText::parse_optional(Field::Location, &draft.location, l::LOCATION));
        let description = c.take(LongText::parse_required(Field::Description, &draft.description, l::DESCRIPTION));
        let perpetrator = c.take(optional_enum::<Perpetrator>(Field::Perpetrator, &draft.perpetrator));
        let perpetrator_description = c.take(LongText::parse_optional(
            Field::PerpetratorDescription,
            &draft.perpetrator_description,
            l::PERPETRATOR_DESCRIPTION,
        ));
        let witnesses = c.take(LongText::parse_optional(Field::Witnesses, &draft.witnesses, l::WITNESSES));
        // The case number belongs to a police report: without one it is neither checked nor kept.
        let case_number = if draft.police_reported {
            c.take(CaseNumber::parse_optional(
                Field::PoliceCaseNumber,
                &draft.police_case_number,
                l::POLICE_CASE_NUMBER,
            ))
        } else {
            Some(None)
        };
        let role = c.take(required_enum::<Role>(Field::Role, &draft.role));
        let phase = c.take(optional_enum::<Phase>(Field::Phase, &draft.phase));
        let unit = c.take(ShortText::parse_optional(Field::Unit, &draft.unit, l::UNIT));
        let identity = Self::identity(draft, &mut c);

        match (kind, channel, when, location, description, perpetrator, perpetrator_description, witnesses) {
            (
                Some(kind),
                Some(channel),
                Some(occurred_at),
                Some(location),
                Some(description),
                Some(perpetrator),
                Some(pd),
                Some(w),
            ) if c.0.is_empty() => Ok(NewReport {
                kind,
                channel,
                occurred_at,
                location,
                description,
                perpetrator,
                perpetrator_description: pd,
                witnesses: w,
                consequences: Consequences { injury: draft.injury, damage: draft.damage, sick_leave: draft.sick_leave },
                police_reported: draft.police_reported,
                police_case_number: case_number.flatten(),
                role: role.expect("no errors means role parsed"),
                phase: phase.flatten(),
                unit: unit.flatten(),
                identity: identity.expect("no errors means identity parsed"),
                help: HelpWanted {
                    call_me: draft.help_call_me,
                    support: draft.help_support,
                    police_report: draft.help_police,
                },
            }),
            _ => Err(c.0),
        }
    }

    /// Identity and contact rules. Anonymous drops every contact field: none is ever stored.
    fn identity(draft: &ReportDraft, c: &mut Collector) -> Option<Identity> {
        use limits as l;
        let choice = c.take(required_enum::<IdentityChoice>(Field::Identity, &draft.identity))?;
        if choice == IdentityChoice::Anonymous {
            if draft.help_call_me {
                c.0.push(FieldError::new(Field::HelpCallMe, ErrorKind::NotWhenAnonymous));
                return None;
            }
            return Some(Identity::Anonymous);
        }
        let name = c.take(Name::parse_required(Field::ReporterName, &draft.reporter_name, l::REPORTER_NAME));
        let phone = c.take(Phone::parse_optional(Field::ReporterPhone, &draft.reporter_phone, l::REPORTER_PHONE));
        let email = c.take(Email::parse_optional(Field::ReporterEmail, &draft.reporter_email, l::REPORTER_EMAIL));
        if draft.help_call_me && phone == Some(None) {
            c.0.push(FieldError::new(Field::ReporterPhone, ErrorKind::RequiredForCallMe));
            return None;
        }
        let (name, phone, email) = (name?, phone?, email?);
        Some(match choice {
            IdentityChoice::Named => Identity::Named { name, phone, email },
            _ => Identity::Confidential { name, phone, email },
        })
    }
}

/// Validates a draft and returns only the errors (empty when valid). Handy for forms.
pub fn errors(draft: &ReportDraft, now: OffsetDateTime) -> Vec<FieldError> {
    NewReport::parse(draft, now).err().unwrap_or_default()
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
