//! Pure logic of the report form: which draft member a control edits, what is sent, which
//! errors are shown where. No browser types, so it is tested on the host.

use trygg_domain::{Field, FieldError, IdentityChoice, ReportDraft, errors, limits};

/// The yes/no members of a draft. `Field` names only what a rule can reject, so the check boxes
/// get their own small enum; `as_str` is the JSON name and the control's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Injury,
    Damage,
    SickLeave,
    PoliceReported,
    HelpCallMe,
    HelpSupport,
    HelpPolice,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Injury => "injury",
            Flag::Damage => "damage",
            Flag::SickLeave => "sick_leave",
            Flag::PoliceReported => "police_reported",
            Flag::HelpCallMe => "help_call_me",
            Flag::HelpSupport => "help_support",
            Flag::HelpPolice => "help_police",
        }
    }

    /// The field whose errors show under this box, if a rule can reject it.
    pub fn field(self) -> Option<Field> {
        (self == Flag::HelpCallMe).then_some(Field::HelpCallMe)
    }

    pub fn get(self, d: &ReportDraft) -> bool {
        match self {
            Flag::Injury => d.injury,
            Flag::Damage => d.damage,
            Flag::SickLeave => d.sick_leave,
            Flag::PoliceReported => d.police_reported,
            Flag::HelpCallMe => d.help_call_me,
            Flag::HelpSupport => d.help_support,
            Flag::HelpPolice => d.help_police,
        }
    }

    pub fn set(self, d: &mut ReportDraft, value: bool) {
        let slot = match self {
            Flag::Injury => &mut d.injury,
            Flag::Damage => &mut d.damage,
            Flag::SickLeave => &mut d.sick_leave,
            Flag::PoliceReported => &mut d.police_reported,
            Flag::HelpCallMe => &mut d.help_call_me,
            Flag::HelpSupport => &mut d.help_support,
            Flag::HelpPolice => &mut d.help_police,
        };
        *slot = value;
    }
}

/// The text member a field's control edits; `None` for `help_call_me`, which is a [`Flag`].
pub fn text_mut(d: &mut ReportDraft, field: Field) -> Option<&mut String> {
    Some(match field {
        Field::Kind => &mut d.kind,
        Field::Channel => &mut d.channel,
        Field::OccurredAt => &mut d.occurred_at,
        Field::Location => &mut d.location,
        Field::Description => &mut d.description,
        Field::Perpetrator => &mut d.perpetrator,
        Field::PerpetratorDescription => &mut d.perpetrator_description,
        Field::Witnesses => &mut d.witnesses,
        Field::PoliceCaseNumber => &mut d.police_case_number,
        Field::Role => &mut d.role,
        Field::Phase => &mut d.phase,
        Field::Unit => &mut d.unit,
        Field::Identity => &mut d.identity,
        Field::ReporterName => &mut d.reporter_name,
        Field::ReporterPhone => &mut d.reporter_phone,
        Field::ReporterEmail => &mut d.reporter_email,
        Field::HelpCallMe
        | Field::Status
        | Field::Severity
        | Field::ClosedReason
        | Field::Body
        | Field::ReceiptCode
        | Field::Group
        | Field::NameSv
        | Field::NameEn
        | Field::NoteSv
        | Field::NoteEn
        | Field::Phone
        | Field::Roles
        | Field::TextSv
        | Field::TextEn
        | Field::Months => return None,
    })
}

/// The current text of a field ("" for `help_call_me`).
pub fn text(d: &ReportDraft, field: Field) -> &str {
    match field {
        Field::Kind => &d.kind,
        Field::Channel => &d.channel,
        Field::OccurredAt => &d.occurred_at,
        Field::Location => &d.location,
        Field::Description => &d.description,
        Field::Perpetrator => &d.perpetrator,
        Field::PerpetratorDescription => &d.perpetrator_description,
        Field::Witnesses => &d.witnesses,
        Field::PoliceCaseNumber => &d.police_case_number,
        Field::Role => &d.role,
        Field::Phase => &d.phase,
        Field::Unit => &d.unit,
        Field::Identity => &d.identity,
        Field::ReporterName => &d.reporter_name,
        Field::ReporterPhone => &d.reporter_phone,
        Field::ReporterEmail => &d.reporter_email,
        Field::HelpCallMe
        | Field::Status
        | Field::Severity
        | Field::ClosedReason
        | Field::Body
        | Field::ReceiptCode
        | Field::Group
        | Field::NameSv
        | Field::NameEn
        | Field::NoteSv
        | Field::NoteEn
        | Field::Phone
        | Field::Roles
        | Field::TextSv
        | Field::TextEn
        | Field::Months => "",
    }
}

pub fn is_anonymous(d: &ReportDraft) -> bool {
    d.identity == IdentityChoice::Anonymous.as_str()
}

/// What is validated and sent: fields the form hides are blanked, so a hidden value can neither
/// block the report nor leave the device (an anonymous report carries no name, phone or e-mail;
/// a case number is sent only when the report says it was reported to the police).
pub fn payload(d: &ReportDraft) -> ReportDraft {
    let mut p = d.clone();
    if is_anonymous(&p) {
        p.reporter_name.clear();
        p.reporter_phone.clear();
        p.reporter_email.clear();
        // Nobody can call an anonymous reporter back: the box is not offered, and not sent.
        p.help_call_me = false;
    }
    if !p.police_reported {
        p.police_case_number.clear();
    }
    p
}

/// Every rule of the domain, checked against what would be sent.
pub fn validate(d: &ReportDraft, now: time::OffsetDateTime) -> Vec<FieldError> {
    errors(&payload(d), now)
}

/// How many steps the guided form has; the last one is the review before sending.
pub const STEPS: u8 = 6;
/// The review step.
pub const REVIEW_STEP: u8 = STEPS;

/// The step (1-based) whose page holds a field: the incident; what happened and who; the
/// consequences; about you; contact and help. Every field the review can show is on one.
pub fn step_of(field: Field) -> u8 {
    match field {
        Field::Kind | Field::Channel | Field::OccurredAt | Field::Location => 1,
        Field::Description | Field::Perpetrator | Field::PerpetratorDescription | Field::Witnesses => 2,
        Field::PoliceCaseNumber => 3,
        Field::Role | Field::Phase | Field::Unit => 4,
        Field::Identity | Field::ReporterName | Field::ReporterPhone | Field::ReporterEmail | Field::HelpCallMe => 5,
        Field::Status | Field::Severity | Field::ClosedReason | Field::Body | Field::ReceiptCode => REVIEW_STEP,
        // The administrators' forms (phone list, checklists, retention): never on the report.
        Field::Group
        | Field::NameSv
        | Field::NameEn
        | Field::NoteSv
        | Field::NoteEn
        | Field::Phone
        | Field::Roles
        | Field::TextSv
        | Field::TextEn
        | Field::Months => REVIEW_STEP,
    }
}

/// The step a yes/no box sits on.
pub fn flag_step(flag: Flag) -> u8 {
    match flag {
        Flag::Injury | Flag::Damage | Flag::SickLeave | Flag::PoliceReported => 3,
        Flag::HelpCallMe | Flag::HelpSupport | Flag::HelpPolice => 5,
    }
}

/// The report fields on a step, in form order (none on the review step).
pub fn step_fields(step: u8) -> Vec<Field> {
    if step >= REVIEW_STEP {
        return Vec::new();
    }
    Field::REPORT.into_iter().filter(|f| step_of(*f) == step).collect()
}

/// A step number from the URL (`?steg=`), clamped to the steps there are; 1 when missing.
pub fn parse_step(raw: Option<&str>) -> u8 {
    raw.and_then(|s| s.trim().parse::<u8>().ok()).map_or(1, |n| n.clamp(1, STEPS))
}

/// The errors that keep the person on `step`: the domain's, filtered to that step's fields.
/// On the review step, every error.
pub fn step_errors(d: &ReportDraft, step: u8, now: time::OffsetDateTime) -> Vec<FieldError> {
    let all = validate(d, now);
    if step >= REVIEW_STEP { all } else { all.into_iter().filter(|e| step_of(e.field) == step).collect() }
}

/// The errors shown under fields: those of the steps already checked (by "next" or by send).
/// `checked` is a bit set, bit `n` for step `n`.
pub fn shown_errors(all: Vec<FieldError>, checked: u8) -> Vec<FieldError> {
    all.into_iter().filter(|e| checked & (1 << step_of(e.field)) != 0).collect()
}

/// The bit set of every step up to and including `step`.
pub fn steps_through(step: u8) -> u8 {
    (1..=step.min(STEPS)).fold(0, |bits, n| bits | (1 << n))
}

/// One error per field, in form order; the first listed error of a field wins, so pass the
/// errors that should take precedence first.
pub fn one_per_field(lists: &[&[FieldError]]) -> Vec<FieldError> {
    Field::REPORT
        .into_iter()
        .filter_map(|field| lists.iter().flat_map(|l| l.iter()).find(|e| e.field == field).copied())
        .collect()
}

/// The errors for the summary: of the fields listed when the person pressed send, those that
/// are still wrong, each with its current error. The list only shrinks while they fix things.
pub fn still_open(at_submit: &[FieldError], current: &[FieldError]) -> Vec<FieldError> {
    current.iter().filter(|e| at_submit.iter().any(|s| s.field == e.field)).copied().collect()
}

/// The length limit of a text field, in characters.
pub fn limit(field: Field) -> Option<usize> {
    limits::for_field(field)
}

/// Characters left before `limit`, negative when over. Counted like the domain counts: trimmed,
/// in characters (not bytes).
pub fn remaining(text: &str, limit: usize) -> i64 {
    limit as i64 - text.trim().chars().count() as i64
}

/// The start of a long text for a table cell: at most `max` characters, cut at a word where
/// possible, with an ellipsis when something was left out. Line breaks become spaces.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

/// The value of an `<input type="datetime-local">` from local date and time parts
/// (`month` 1–12), e.g. `2026-03-05T09:07`.
pub fn local_input_value(year: u32, month: u32, day: u32, hour: u32, minute: u32) -> String {
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}")
}

#[cfg(test)]
mod tests;
