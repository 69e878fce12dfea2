//! Bounded, trimmed text types. Each can only be built by `parse`, so a value in hand is valid.

use crate::error::{ErrorKind, Field, FieldError};
use serde::Serialize;

/// True for characters that change how text is *shown* without being seen: bidirectional
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the Arabic letter mark
/// U+061C), zero-width spaces, joiners and direction marks (U+200B–U+200F), the word joiner and
/// the other invisible format characters of U+2060–U+206F, the byte-order mark U+FEFF and the
/// line and paragraph separators U+2028/U+2029. A report is evidence: text that reads
/// differently from what it holds (a reversed name, a hidden word) is refused, not repaired.
/// Inside a report text, the one exception is a zero-width joiner between two pictographs (an
/// emoji sequence), see `has_bad_chars`.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// Rejects control characters that nobody types and invisible format characters
/// ([`is_invisible_format`]); keeps newlines and tabs where text is long.
fn has_bad_chars(s: &str, multiline: bool) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let allowed_ws = multiline && matches!(c, '\n' | '\r' | '\t');
        let emoji_joiner =
            c == ZWJ && i > 0 && is_pictograph(chars[i - 1]) && chars.get(i + 1).is_some_and(|&n| is_pictograph(n));
        (c.is_control() && !allowed_ws) || (is_invisible_format(c) && !emoji_joiner)
    })
}

const ZWJ: char = '\u{200D}';

/// Emoji and other pictographs (and their modifiers), between which a zero-width joiner builds
/// one picture (👨‍👩‍👧, 🏳️‍🌈): a pasted message keeps them. Between letters a joiner stays refused.
fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}')
}

/// Common rules: trimmed; `None` when empty; at most `max` characters; no control characters.
fn bounded(field: Field, raw: &str, max: usize, multiline: bool) -> Result<Option<String>, FieldError> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if has_bad_chars(s, multiline) {
        return Err(FieldError::new(field, ErrorKind::InvalidCharacters));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, ErrorKind::TooLong));
    }
    Ok(Some(s.to_owned()))
}

macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, multiline = $multi:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Parses an optional field: `Ok(None)` when blank.
            pub fn parse_optional(field: Field, raw: &str, max: usize) -> Result<Option<Self>, FieldError> {
                Ok(bounded(field, raw, max, $multi)?.map($name))
            }

            /// Parses a required field: blank is `required`.
            pub fn parse_required(field: Field, raw: &str, max: usize) -> Result<Self, FieldError> {
                Self::parse_optional(field, raw, max)?
                    .ok_or(FieldError::new(field, ErrorKind::Required))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// Free text over several lines: what happened, witnesses, a description of someone.
    LongText,
    multiline = true
);
text_type!(
    /// One line of text: a place, a unit.
    ShortText,
    multiline = false
);
text_type!(
    /// A person's name as they wrote it.
    Name,
    multiline = false
);

/// A phone number: digits with optional `+`, spaces, dashes and parentheses; 5 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse_optional(field: Field, raw: &str, max: usize) -> Result<Option<Self>, FieldError> {
        let Some(s) = bounded(field, raw, max, false)? else {
            return Ok(None);
        };
        let allowed = s
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0));
        let digits = s.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(5..=15).contains(&digits) {
            return Err(FieldError::new(field, ErrorKind::Invalid));
        }
        Ok(Some(Phone(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only: `local@domain.tld`, no spaces, one `@`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse_optional(field: Field, raw: &str, max: usize) -> Result<Option<Self>, FieldError> {
        let Some(s) = bounded(field, raw, max, false)? else {
            return Ok(None);
        };
        let invalid = || FieldError::new(field, ErrorKind::Invalid);
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let labels_ok = domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || !labels_ok
            || s.chars().any(char::is_whitespace)
        {
            return Err(invalid());
        }
        Ok(Some(Email(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A police case number (diarienummer), e.g. `5000-K123456-26`: letters, digits, `-`, `/`, spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn parse_optional(field: Field, raw: &str, max: usize) -> Result<Option<Self>, FieldError> {
        let Some(s) = bounded(field, raw, max, false)? else {
            return Ok(None);
        };
        if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | ' ')) {
            return Err(FieldError::new(field, ErrorKind::Invalid));
        }
        Ok(Some(CaseNumber(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const F: Field = Field::Location;

    #[test]
    fn text_is_trimmed_and_blank_means_absent() {
        assert_eq!(ShortText::parse_optional(F, "  Gävle  ", 10).unwrap().unwrap().as_str(), "Gävle");
        assert_eq!(ShortText::parse_optional(F, " \n ", 10).unwrap(), None);
        assert_eq!(ShortText::parse_required(F, "   ", 10).unwrap_err().kind, ErrorKind::Required);
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(ShortText::parse_optional(F, "åäöåäöåäöå", 10).is_ok());
        assert_eq!(ShortText::parse_optional(F, "åäöåäöåäöåä", 10).unwrap_err().kind, ErrorKind::TooLong);
    }

    #[test]
    fn control_characters_are_rejected_but_long_text_keeps_newlines() {
        assert_eq!(ShortText::parse_optional(F, "a\0b", 10).unwrap_err().kind, ErrorKind::InvalidCharacters);
        assert_eq!(ShortText::parse_optional(F, "a\nb", 10).unwrap_err().kind, ErrorKind::InvalidCharacters);
        assert!(LongText::parse_optional(F, "a\nb\tc", 10).is_ok());
        assert_eq!(LongText::parse_optional(F, "a\u{7}b", 10).unwrap_err().kind, ErrorKind::InvalidCharacters);
    }

    #[test]
    fn bidi_overrides_and_zero_width_characters_are_rejected_in_every_text_type() {
        let invisible = [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}', '\u{061C}', '\u{2028}',
            '\u{2029}',
        ];
        for c in invisible {
            let text = format!("Anna{c}gerg");
            let kind = |r: Result<(), FieldError>| r.unwrap_err().kind;
            assert_eq!(kind(ShortText::parse_optional(F, &text, 40).map(drop)), ErrorKind::InvalidCharacters, "{c:?}");
            assert_eq!(kind(LongText::parse_optional(F, &text, 40).map(drop)), ErrorKind::InvalidCharacters, "{c:?}");
            assert_eq!(kind(Name::parse_optional(F, &text, 40).map(drop)), ErrorKind::InvalidCharacters, "{c:?}");
            let mail = format!("anna{c}@region.se");
            assert_eq!(kind(Email::parse_optional(F, &mail, 254).map(drop)), ErrorKind::InvalidCharacters, "{c:?}");
        }
        // Visible text around them is fine: Arabic, Hebrew, emoji without joiners.
        for ok in ["مرحبا", "שלום", "Åsa 👍", "e\u{301}"] {
            assert!(Name::parse_optional(F, ok, 40).unwrap().is_some(), "{ok}");
        }
    }

    #[test]
    fn a_pasted_emoji_sequence_keeps_its_joiners_but_a_joiner_between_letters_is_refused() {
        for ok in ["Han skrev 👨\u{200D}👩\u{200D}👧 och 🏳\u{FE0F}\u{200D}🌈", "❤\u{FE0F}\u{200D}🔥"] {
            assert!(LongText::parse_optional(F, ok, 100).unwrap().is_some(), "{ok}");
        }
        for bad in ["Anna\u{200D}Berg", "👍\u{200D}Berg", "\u{200D}👍", "👍\u{200D}"] {
            let e = LongText::parse_optional(F, bad, 100).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidCharacters, "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn text_holding_an_invisible_format_character_never_parses(
            before in "[a-zåäö ]{0,20}",
            c in proptest::sample::select(vec![
                '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200F}', '\u{2060}', '\u{FEFF}',
            ]),
            after in "[a-zåäö ]{0,20}",
            multiline in proptest::bool::ANY,
        ) {
            let text = format!("{before}x{c}{after}");
            let parsed = if multiline {
                LongText::parse_optional(F, &text, 100).map(drop)
            } else {
                ShortText::parse_optional(F, &text, 100).map(drop)
            };
            proptest::prop_assert_eq!(parsed.unwrap_err().kind, ErrorKind::InvalidCharacters);
        }

        #[test]
        fn text_parses_exactly_when_it_holds_no_invisible_format_character(
            s in "[a-z \\x{200B}-\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}\\x{FEFF}]{1,30}",
        ) {
            let hidden = s.chars().any(is_invisible_format);
            match LongText::parse_optional(F, &s, 100) {
                Ok(_) => proptest::prop_assert!(!hidden),
                Err(e) => {
                    proptest::prop_assert!(hidden);
                    proptest::prop_assert_eq!(e.kind, ErrorKind::InvalidCharacters);
                }
            }
        }
    }

    #[test]
    fn phone_numbers_accept_common_swedish_forms() {
        for ok in ["070-123 45 67", "+46 70 123 45 67", "(08) 123 456", "11414"] {
            assert!(Phone::parse_optional(F, ok, 30).unwrap().is_some(), "{ok}");
        }
        for bad in ["070x123", "12", "+46+70 123", "0701234567890123456"] {
            assert_eq!(Phone::parse_optional(F, bad, 30).unwrap_err().kind, ErrorKind::Invalid, "{bad}");
        }
    }

    #[test]
    fn email_addresses_are_checked_for_shape() {
        for ok in ["anna@region.se", "a.b+c@sub.region-x.se", "åsa@exempel.se"] {
            assert!(Email::parse_optional(F, ok, 254).unwrap().is_some(), "{ok}");
        }
        for bad in ["anna", "anna@", "@region.se", "anna@region", "a b@region.se", "a@b@c.se", "a@-x.se", "a@x..se"] {
            assert_eq!(Email::parse_optional(F, bad, 254).unwrap_err().kind, ErrorKind::Invalid, "{bad}");
        }
    }

    #[test]
    fn case_numbers_allow_letters_digits_dashes_and_slashes() {
        assert!(CaseNumber::parse_optional(F, "5000-K123456-26", 40).unwrap().is_some());
        assert_eq!(CaseNumber::parse_optional(F, "K12;drop", 40).unwrap_err().kind, ErrorKind::Invalid);
    }
}
