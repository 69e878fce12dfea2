//! The receipt code: the reporter's only key back to their report (the only one, if anonymous).
//!
//! 16 Crockford base-32 characters = 80 random bits, shown in groups of four
//! (`7K2Q-MX9D-...`). Parsing forgives case, spaces, dashes and the look-alikes O/0 and I/L/1.

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code (without separators).
pub const LEN: usize = 16;

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptCode(String);

impl ReceiptCode {
    /// Builds a code from 10 random bytes (80 bits). The caller supplies the randomness.
    pub fn from_random(bytes: [u8; 10]) -> ReceiptCode {
        let mut acc: u128 = 0;
        for b in bytes {
            acc = (acc << 8) | u128::from(b);
        }
        let code = (0..LEN).rev().map(|i| char::from(ALPHABET[((acc >> (i * 5)) & 31) as usize])).collect();
        ReceiptCode(code)
    }

    /// Normalises what a person typed; `None` if it cannot be a code.
    pub fn parse(raw: &str) -> Option<ReceiptCode> {
        let mut out = String::with_capacity(LEN);
        for c in raw.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
                _ => return None,
            };
            if out.len() == LEN {
                return None;
            }
            out.push(c);
        }
        (out.len() == LEN).then_some(ReceiptCode(out))
    }

    /// The canonical form without separators (what is hashed and stored).
    pub fn canonical(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReceiptCode {
    /// Groups of four joined by dashes, for reading aloud and copying.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::Debug for ReceiptCode {
    /// Never print a receipt code in logs or panics: it unlocks a report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptCode(<redacted>)")
    }
}

impl TryFrom<String> for ReceiptCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ReceiptCode::parse(&s).ok_or_else(|| "not a receipt code".to_owned())
    }
}

impl From<ReceiptCode> for String {
    fn from(c: ReceiptCode) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_code_is_sixteen_characters_in_four_groups() {
        let c = ReceiptCode::from_random([0xFF; 10]);
        assert_eq!(c.canonical(), "ZZZZZZZZZZZZZZZZ");
        assert_eq!(c.to_string(), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        assert_eq!(ReceiptCode::from_random([0; 10]).canonical(), "0000000000000000");
    }

    #[test]
    fn typing_mistakes_are_forgiven() {
        let c = ReceiptCode::parse("7k2q-mx9d 0011 abcd").unwrap();
        assert_eq!(c.canonical(), "7K2QMX9D0011ABCD");
        assert_eq!(ReceiptCode::parse("7K2QMX9DOIL1ABCD").unwrap().canonical(), "7K2QMX9D0111ABCD");
    }

    #[test]
    fn wrong_lengths_and_letters_are_rejected() {
        assert!(ReceiptCode::parse("7K2Q-MX9D-0011").is_none());
        assert!(ReceiptCode::parse("7K2Q-MX9D-0011-ABCD-E").is_none());
        assert!(ReceiptCode::parse("UUUU-MX9D-0011-ABCD").is_none());
        assert!(ReceiptCode::parse("ÅÄÖ").is_none());
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let c = ReceiptCode::from_random([7; 10]);
        assert!(!format!("{c:?}").contains(c.canonical()));
    }

    proptest! {
        #[test]
        fn every_random_code_parses_back_to_itself(bytes in any::<[u8; 10]>()) {
            let c = ReceiptCode::from_random(bytes);
            prop_assert_eq!(ReceiptCode::parse(&c.to_string()), Some(c.clone()));
            prop_assert_eq!(ReceiptCode::parse(&c.canonical().to_lowercase()), Some(c));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = ReceiptCode::parse(&s);
        }
    }
}
