//! Phone numbers as people write them (`010-123 45 67`, `+46 10 123 45 67`, `114 14`), checked
//! and normalised to what a `tel:` link dials. Used by the phone list that administrators keep.
//!
//! Three shapes are accepted:
//! - **short numbers** (3–6 digits, no leading 0): 112, 114 14, 116 006, 1177 — dialled as is;
//! - **Swedish national numbers** (a leading 0, then 7–9 digits): dialled as `+46` without the 0;
//! - **international numbers** (`+` or `00`, then a country code and number, 8–15 digits in all,
//!   E.164), with an optional trunk `(0)` after the country code (`+46 (0)10 …`).
//!
//! Spaces, hyphens, dots, slashes and one pair of parentheses are separators. Anything else — a
//! letter, a second `+`, an extension — is refused, so a typo never becomes a wrong link.

use crate::error::ErrorKind;

/// A checked phone number: what to show (as typed, trimmed) and what to dial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    display: String,
    dial: String,
}

impl PhoneNumber {
    /// Checks and normalises a number as a person wrote it.
    pub fn parse(raw: &str) -> Result<PhoneNumber, ErrorKind> {
        let display = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if display.is_empty() {
            return Err(ErrorKind::Required);
        }
        if display.chars().count() > 40 {
            return Err(ErrorKind::TooLong);
        }
        let mut digits = String::new();
        let mut plus = false;
        let mut parens = 0;
        for (i, c) in display.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => plus = true,
                ' ' | '-' | '.' | '/' | '\u{2011}' | '\u{2013}' => {}
                '(' if parens == 0 => parens = 1,
                ')' if parens == 1 => parens = 2,
                _ => return Err(ErrorKind::Invalid),
            }
        }
        if parens == 1 {
            return Err(ErrorKind::Invalid);
        }
        let dial = if plus || digits.starts_with("00") {
            let rest = if plus { digits.as_str() } else { &digits[2..] };
            // `+46 (0)10 …`: the trunk 0 after Sweden's country code is not dialled.
            let rest = match rest.strip_prefix("460") {
                Some(national) => format!("46{national}"),
                None => rest.to_owned(),
            };
            if !(8..=15).contains(&rest.len()) || rest.starts_with('0') {
                return Err(ErrorKind::Invalid);
            }
            format!("+{rest}")
        } else if let Some(national) = digits.strip_prefix('0') {
            if !(7..=9).contains(&national.len()) {
                return Err(ErrorKind::Invalid);
            }
            format!("+46{national}")
        } else {
            if !(3..=6).contains(&digits.len()) {
                return Err(ErrorKind::Invalid);
            }
            digits
        };
        Ok(PhoneNumber { display, dial })
    }

    /// The number as the administrator wrote it (whitespace tidied).
    pub fn display(&self) -> &str {
        &self.display
    }

    /// What is dialled: `+46101234567` or a short number such as `11414`.
    pub fn dial(&self) -> &str {
        &self.dial
    }

    /// The `tel:` URI for a link (RFC 3966).
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.dial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tel(raw: &str) -> String {
        PhoneNumber::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}")).tel_uri()
    }

    #[test]
    fn swedish_numbers_as_people_write_them_dial_the_same() {
        for raw in [
            "010-123 45 67",
            "010 123 45 67",
            "0101234567",
            "+46 10 123 45 67",
            "+46101234567",
            "0046 10 123 45 67",
            "+46 (0)10-123 45 67",
            "(010) 123 45 67",
        ] {
            assert_eq!(tel(raw), "tel:+46101234567", "{raw}");
        }
        assert_eq!(tel("08-123 456"), "tel:+468123456");
        assert_eq!(tel("070-123 45 67"), "tel:+46701234567");
    }

    #[test]
    fn short_numbers_are_dialled_as_they_are() {
        assert_eq!(tel("112"), "tel:112");
        assert_eq!(tel("114 14"), "tel:11414");
        assert_eq!(tel("116 006"), "tel:116006");
        assert_eq!(tel("1177"), "tel:1177");
        assert_eq!(tel("020-22 00 60"), "tel:+4620220060", "a 020 number is national");
    }

    #[test]
    fn international_numbers_keep_their_country_code() {
        assert_eq!(tel("+47 22 12 34 56"), "tel:+4722123456");
        assert_eq!(tel("+358 9 123 4567"), "tel:+35891234567");
        assert_eq!(tel("0045 33 12 34 56"), "tel:+4533123456");
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        assert_eq!(PhoneNumber::parse("   "), Err(ErrorKind::Required));
        for raw in [
            "12",
            "1234567",
            "010-123 45 67 ankn. 12",
            "0101234567890",
            "+46",
            "+0 123 456 789",
            "010+123",
            "abc",
            "010 (123",
            "(010)) 123",
            "+46 10 123 45 67 89 01 23",
        ] {
            assert!(PhoneNumber::parse(raw).is_err(), "{raw} should be refused");
        }
        assert_eq!(PhoneNumber::parse(&"1".repeat(41)), Err(ErrorKind::TooLong));
    }

    #[test]
    fn the_display_keeps_what_was_typed_tidied() {
        let p = PhoneNumber::parse("  010-123   45 67 ").unwrap();
        assert_eq!(p.display(), "010-123 45 67");
        assert_eq!(p.dial(), "+46101234567");
    }
}
