//! Every text the user sees: two tables per language, filled in completely ([`sv::SV_START`] and
//! [`sv::SV`], [`en::EN_START`] and [`en::EN`]), so a key missing in either language does not
//! compile. [`StartTexts`] holds what the reporter's start bundle shows (start page, situations,
//! phone list, header, not-found page) and is all that bundle links: its code reads
//! [`use_start_texts`]. [`Texts`] holds every other page's texts and reaches the start table
//! through `Deref`, so the report and coordinator pages read any key from [`use_texts`].
//!
//! The language lives in a [`Lang`] context that
//! starts from the choice remembered on the device; switching it re-renders the app under the
//! other table. The pages' own tables (accounts, after, check-in, …) each have a Swedish and an
//! English value, picked by [`per_language`].

/// For a table of its own with a Swedish and an English value: `Lang::$method()` is that
/// language's, `$hook()` the current language's. A table of its own keeps its texts out of the
/// bundles whose pages do not show them.
macro_rules! per_language {
    ($table:ident, $sv:ident, $en:ident, $method:ident, $hook:ident) => {
        impl $crate::i18n::Lang {
            #[doc = concat!("This language's [`", stringify!($table), "`].")]
            pub fn $method(self) -> &'static $table {
                match self {
                    $crate::i18n::Lang::Sv => &$sv,
                    $crate::i18n::Lang::En => &$en,
                }
            }
        }

        #[doc = concat!("The current language's [`", stringify!($table), "`].")]
        pub fn $hook() -> &'static $table {
            $crate::i18n::use_lang().$method()
        }
    };
}
pub(crate) use per_language;

pub mod accounts;
pub mod admin;
pub mod after;
pub mod checkin;
pub mod desk;
mod duty;
mod en;
pub mod evidence;
mod flag_review;
mod flags;
pub mod jobs;
pub mod notices;
pub mod sign_in;
pub mod stats;
mod sv;
mod texts;

pub use duty::{DutyTexts, use_duty_texts};
pub use evidence::{EvidenceTexts, use_evidence_texts};
pub use flag_review::{FlagReviewTexts, use_flag_review_texts};
pub use flags::{FlagTexts, use_flag_texts};
pub use sign_in::{SignInTexts, use_sign_in_texts};
pub use texts::{StartTexts, Texts};

use leptos::prelude::*;
use trygg_domain::{
    Channel, ErrorKind, Field, FieldError, IdentityChoice, IncidentKind, Perpetrator, Phase, Role, Severity, Status,
};

use crate::form::{Flag, limit};

/// The languages the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and date formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Sv => "sv-SE",
            Lang::En => "en-GB",
        }
    }

    /// The short code, for `<html lang>`, `lang` attributes and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language the switch in the header offers.
    pub fn other(self) -> Self {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    /// Picks the text for this language from a pair sent by the server.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En if en.trim().is_empty() => sv,
            Lang::En => en,
        }
    }

    /// Every page's texts. The start bundle reads only [`Lang::start_texts`], so that the other
    /// pages' texts stay out of its wasm.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Sv => &sv::SV,
            Lang::En => &en::EN,
        }
    }

    /// The start bundle's texts (the start page, situations, the phone list, the header and the
    /// not-found page); [`Texts`] reaches the same table through `Deref`.
    pub fn start_texts(self) -> &'static StartTexts {
        match self {
            Lang::Sv => &sv::SV_START,
            Lang::En => &en::EN_START,
        }
    }
}

/// Provides the language to the whole app (call once, in `App`).
pub fn provide_lang(lang: Lang) -> RwSignal<Lang> {
    let signal = RwSignal::new(lang);
    provide_context(signal);
    signal
}

/// The language signal itself, for the switch and for views that follow it.
pub fn use_lang_signal() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

pub fn use_lang() -> Lang {
    use_context::<RwSignal<Lang>>().map(|l| l.get_untracked()).unwrap_or_default()
}

/// The text table of the current language (report and coordinator pages).
pub fn use_texts() -> &'static Texts {
    use_lang().texts()
}

/// The start bundle's text table of the current language: what the start page, situations, the
/// phone list, the header and the not-found page show. Code on the start bundle's path must read
/// this one, never [`use_texts`], or every page's texts come back into its wasm.
pub fn use_start_texts() -> &'static StartTexts {
    use_lang().start_texts()
}

/// Replaces `{n}` (or `{code}`) in a template.
pub fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replace("{n}", &value.to_string()).replace("{code}", &value.to_string())
}

impl StartTexts {
    pub fn role(&self, v: Role) -> &'static str {
        match v {
            Role::Healthcare => self.role_healthcare,
            Role::ElectedOfficial => self.role_elected_official,
        }
    }

    pub fn phase(&self, v: Phase) -> &'static str {
        match v {
            Phase::Before => self.phase_before,
            Phase::During => self.phase_during,
            Phase::After => self.phase_after,
        }
    }

    /// The one-line hint under a phase on the start page.
    pub fn phase_hint(&self, v: Phase) -> &'static str {
        match v {
            Phase::Before => self.phase_before_hint,
            Phase::During => self.phase_during_hint,
            Phase::After => self.phase_after_hint,
        }
    }
}

impl Texts {
    /// The first words of a situation page, after its heading.
    pub fn situation_lead(&self, v: Phase) -> &'static str {
        match v {
            Phase::Before => self.situation_lead_before,
            Phase::During => self.situation_lead_during,
            Phase::After => self.situation_lead_after,
        }
    }

    /// The heading of a group on the phone list; an unknown group is shown raw.
    pub fn contact_group(&self, group: &str) -> String {
        match group {
            "emergency" => self.group_emergency,
            "region" => self.group_region,
            "support" => self.group_support,
            other => other,
        }
        .to_owned()
    }

    /// The label of a field's control (or of its group's legend).
    pub fn field_label(&self, field: Field) -> &'static str {
        match field {
            Field::Kind => self.label_kind,
            Field::Channel => self.label_channel,
            Field::OccurredAt => self.label_occurred_at,
            Field::Location => self.label_location,
            Field::Description => self.label_description,
            Field::Perpetrator => self.label_perpetrator,
            Field::PerpetratorDescription => self.label_perpetrator_description,
            Field::Witnesses => self.label_witnesses,
            Field::PoliceCaseNumber => self.label_police_case_number,
            Field::Role => self.label_role,
            Field::Phase => self.label_phase,
            Field::Unit => self.label_unit,
            Field::Identity => self.label_identity,
            Field::ReporterName => self.label_reporter_name,
            Field::ReporterPhone => self.label_reporter_phone,
            Field::ReporterEmail => self.label_reporter_email,
            Field::HelpCallMe => self.label_help_call_me,
            Field::Status => self.label_status,
            Field::Severity => self.label_severity,
            Field::ClosedReason => self.label_closed_reason,
            Field::Body => self.label_body,
            Field::ReceiptCode => self.label_receipt_code,
            Field::Group => self.label_group,
            Field::NameSv => self.label_name_sv,
            Field::NameEn => self.label_name_en,
            Field::NoteSv => self.label_note_sv,
            Field::NoteEn => self.label_note_en,
            Field::Phone => self.label_phone,
            Field::Roles => self.label_roles,
            Field::TextSv => self.label_text_sv,
            Field::TextEn => self.label_text_en,
            Field::Months => self.label_months,
        }
    }

    pub fn flag_label(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Injury => self.label_injury,
            Flag::Damage => self.label_damage,
            Flag::SickLeave => self.label_sick_leave,
            Flag::PoliceReported => self.label_police_reported,
            Flag::HelpCallMe => self.label_help_call_me,
            Flag::HelpSupport => self.label_help_support,
            Flag::HelpPolice => self.label_help_police,
        }
    }

    /// The message for one field error, specific where a generic one would not help.
    pub fn field_error(&self, e: FieldError) -> String {
        let f = e.field;
        let text = match e.kind {
            ErrorKind::Required => match f {
                Field::Kind => self.err_kind_required,
                Field::Channel => self.err_channel_required,
                Field::OccurredAt => self.err_occurred_at_required,
                Field::Description => self.err_description_required,
                Field::Role => self.err_role_required,
                Field::Identity => self.err_identity_required,
                Field::ReporterName => self.err_reporter_name_required,
                _ => self.err_required,
            },
            ErrorKind::TooLong => match limit(f) {
                Some(max) if f == Field::Description => return fill(self.err_description_too_long, max),
                Some(max) if f == Field::Body => return fill(self.err_body_too_long, max),
                Some(max) => return fill(self.err_too_long, max),
                None => self.err_invalid,
            },
            ErrorKind::Invalid => match f {
                Field::Kind
                | Field::Channel
                | Field::Perpetrator
                | Field::Role
                | Field::Phase
                | Field::Identity
                | Field::Status
                | Field::Severity => self.err_choice_invalid,
                Field::OccurredAt => self.err_occurred_at_invalid,
                Field::ReporterPhone => self.err_phone_invalid,
                Field::Phone => self.err_contact_phone_invalid,
                Field::Months => self.err_months_invalid,
                Field::Group | Field::Roles => self.err_choice_invalid,
                Field::ReporterEmail => self.err_email_invalid,
                Field::PoliceCaseNumber => self.err_case_number_invalid,
                Field::ReceiptCode => self.err_receipt_code_invalid,
                _ => self.err_invalid,
            },
            ErrorKind::InvalidCharacters => self.err_invalid_characters,
            ErrorKind::InFuture => self.err_in_future,
            ErrorKind::RequiredForCallMe => self.err_required_for_call_me,
            ErrorKind::NotWhenAnonymous => self.err_not_when_anonymous,
        };
        text.to_owned()
    }

    /// A line of the error summary: the message alone when it says which field it is about,
    /// otherwise the field's label first ("Var hände det? – Högst 200 tecken.").
    pub fn summary_error(&self, e: FieldError) -> String {
        let message = self.field_error(e);
        let generic = match e.kind {
            ErrorKind::TooLong | ErrorKind::InvalidCharacters => true,
            ErrorKind::Required | ErrorKind::Invalid => {
                [self.err_required, self.err_invalid, self.err_choice_invalid].contains(&message.as_str())
            }
            ErrorKind::InFuture | ErrorKind::RequiredForCallMe | ErrorKind::NotWhenAnonymous => false,
        };
        if generic { format!("{} – {message}", self.field_label(e.field)) } else { message }
    }

    pub fn kind(&self, v: IncidentKind) -> &'static str {
        match v {
            IncidentKind::Threat => self.kind_threat,
            IncidentKind::Harassment => self.kind_harassment,
            IncidentKind::Violence => self.kind_violence,
            IncidentKind::Vandalism => self.kind_vandalism,
            IncidentKind::Other => self.kind_other,
        }
    }

    pub fn channel(&self, v: Channel) -> &'static str {
        match v {
            Channel::InPerson => self.channel_in_person,
            Channel::Phone => self.channel_phone,
            Channel::EmailLetter => self.channel_email_letter,
            Channel::SocialMedia => self.channel_social_media,
            Channel::Other => self.channel_other,
        }
    }

    /// The long identity choice shown in the form.
    pub fn identity(&self, v: IdentityChoice) -> &'static str {
        match v {
            IdentityChoice::Named => self.identity_named,
            IdentityChoice::Confidential => self.identity_confidential,
            IdentityChoice::Anonymous => self.identity_anonymous,
        }
    }

    /// The short identity shown in a table cell.
    pub fn identity_short(&self, v: IdentityChoice) -> &'static str {
        match v {
            IdentityChoice::Named => self.identity_named_short,
            IdentityChoice::Confidential => self.identity_confidential_short,
            IdentityChoice::Anonymous => self.identity_anonymous_short,
        }
    }

    pub fn status(&self, v: Status) -> &'static str {
        match v {
            Status::New => self.status_new,
            Status::InProgress => self.status_in_progress,
            Status::Closed => self.status_closed,
        }
    }

    pub fn severity(&self, v: Severity) -> &'static str {
        match v {
            Severity::Low => self.severity_low,
            Severity::Medium => self.severity_medium,
            Severity::High => self.severity_high,
            Severity::Critical => self.severity_critical,
        }
    }

    pub fn perpetrator(&self, v: Perpetrator) -> &'static str {
        match v {
            Perpetrator::Known => self.perpetrator_known,
            Perpetrator::Unknown => self.perpetrator_unknown,
        }
    }
}

/// Translates a wire value with `label`, or shows it raw when this app version does not know it.
pub fn label_or_raw<T: std::str::FromStr>(raw: &str, label: impl Fn(T) -> &'static str) -> String {
    raw.parse::<T>().map(label).map(str::to_owned).unwrap_or_else(|_| raw.to_owned())
}

#[cfg(test)]
mod tests;
