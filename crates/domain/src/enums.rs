//! The closed sets of a report: kind, channel, role, phase, identity, severity, status.
//!
//! Each is stored and sent as its snake_case name; [`std::str::FromStr`] accepts exactly those.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order a form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// What happened.
    IncidentKind {
        Threat = "threat",
        Harassment = "harassment",
        Violence = "violence",
        Vandalism = "vandalism",
        Other = "other",
    }
);

string_enum!(
    /// How it reached the person.
    Channel {
        InPerson = "in_person",
        Phone = "phone",
        EmailLetter = "email_letter",
        SocialMedia = "social_media",
        Other = "other",
    }
);

string_enum!(
    /// Who the reporter is.
    Role {
        Healthcare = "healthcare",
        ElectedOfficial = "elected_official",
    }
);

string_enum!(
    /// Where the reporter is in time relative to the event.
    Phase {
        Before = "before",
        During = "during",
        After = "after",
    }
);

string_enum!(
    /// Whether the perpetrator is known to the reporter.
    Perpetrator {
        Known = "known",
        Unknown = "unknown",
    }
);

string_enum!(
    /// How the reporter wants to be known: named, confidential (name seen by coordinators only)
    /// or anonymous (followed up by receipt code alone; nothing identifying is stored).
    IdentityChoice {
        Named = "named",
        Confidential = "confidential",
        Anonymous = "anonymous",
    }
);

string_enum!(
    /// A coordinator's judgement of a report.
    Severity {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

string_enum!(
    /// Where a report is in its handling.
    Status {
        New = "new",
        InProgress = "in_progress",
        Closed = "closed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_parses_from_its_own_name_and_nothing_else() {
        for k in IncidentKind::ALL {
            assert_eq!(k.as_str().parse::<IncidentKind>(), Ok(*k));
        }
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(*c));
        }
        assert_eq!("Threat".parse::<IncidentKind>(), Err(()));
        assert_eq!("".parse::<Role>(), Err(()));
        assert_eq!(" named".parse::<IdentityChoice>(), Err(()));
    }

    #[test]
    fn serde_uses_the_same_names() {
        assert_eq!(serde_json::to_string(&Channel::SocialMedia).unwrap(), "\"social_media\"");
        assert_eq!(serde_json::to_string(&Status::InProgress).unwrap(), "\"in_progress\"");
    }
}
