//! Swedish street addresses as people write them, parsed into parts and normalised to one key,
//! so that `Storg. 12B, 123 45 STOCKHOLM` and `storgatan 12 b 12345 Stockholm` are the same
//! place. Used by the risk flags: a flag is found by an exact address, never by a partial match,
//! so the parser — not guesswork over free text — decides what "the same address" means.
//!
//! Shape: `STREET NUMBER[LETTER] [lgh NNNN] [vån N | N tr] [,] [POSTCODE] [TOWN]`, with commas
//! anywhere between parts. The street may be abbreviated (`g.`/`g` for *gatan*, `v.` for
//! *vägen*, `pl.` for *platsen*, `gr.` for *gränd* — with the dot only); a postcode is five digits with or without a
//! space after the third; at least a postcode or a town is required, so a street name alone
//! (which exists in many towns) is never an address.

use crate::error::ErrorKind;

/// A parsed address. Text parts are lower case with åäö kept; the key is built from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    /// The street number, with a range kept as written (`12-14`).
    pub number: String,
    /// The entrance letter (`B` in `12 B`), lower case.
    pub entrance: Option<char>,
    /// The four-digit apartment number (`lgh 1101`).
    pub apartment: Option<String>,
    /// The floor (`vån 3`, `3 tr`).
    pub floor: Option<String>,
    /// Five digits, no space.
    pub postcode: Option<String>,
    pub town: Option<String>,
}

impl Address {
    pub fn parse(raw: &str) -> Result<Address, ErrorKind> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ErrorKind::Required);
        }
        if text.chars().count() > 200 {
            return Err(ErrorKind::TooLong);
        }
        if text.chars().any(|c| c.is_control()) {
            return Err(ErrorKind::InvalidCharacters);
        }
        let lowered = text.to_lowercase().replace(',', " , ");
        let tokens: Vec<&str> = lowered.split_whitespace().collect();
        let mut i = 0;

        // The street: every word up to the first that starts with a digit.
        let mut street_words = Vec::new();
        while i < tokens.len() && !tokens[i].starts_with(|c: char| c.is_ascii_digit()) {
            if tokens[i] != "," {
                street_words.push(tokens[i]);
            }
            i += 1;
        }
        if street_words.is_empty() || i == tokens.len() {
            return Err(ErrorKind::Invalid);
        }
        let street = normalise_street(&street_words)?;

        // The number, with a letter attached (`12b`) or as the next word (`12 b`).
        let raw_number = tokens[i];
        i += 1;
        let split = raw_number.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(raw_number.len());
        let (number, letter) = raw_number.split_at(split);
        let number = number.trim_end_matches('-').to_owned();
        if number.is_empty() || number.split('-').any(|n| n.is_empty() || n.len() > 4) {
            return Err(ErrorKind::Invalid);
        }
        let mut entrance = match letter.chars().collect::<Vec<_>>()[..] {
            [] => None,
            [c] if c.is_alphabetic() => Some(c),
            _ => return Err(ErrorKind::Invalid),
        };
        if entrance.is_none()
            && let Some(t) = tokens.get(i)
            && t.chars().count() == 1
            && t.chars().all(char::is_alphabetic)
        {
            entrance = t.chars().next();
            i += 1;
        }

        let (mut apartment, mut floor, mut postcode, mut town_words) = (None, None, None, Vec::new());
        while i < tokens.len() {
            let t = tokens[i].trim_end_matches('.');
            let next = tokens.get(i + 1).map(|n| n.trim_end_matches('.'));
            match t {
                "," => {}
                "lgh" | "lägenhet" | "lägenhetsnummer" if town_words.is_empty() => {
                    let n = next.filter(|n| n.len() == 4 && n.chars().all(|c| c.is_ascii_digit()));
                    apartment = Some(n.ok_or(ErrorKind::Invalid)?.to_owned());
                    i += 1;
                }
                "vån" | "våning" | "plan" if town_words.is_empty() => {
                    let n = next.filter(|n| !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()));
                    floor = Some(n.ok_or(ErrorKind::Invalid)?.to_owned());
                    i += 1;
                }
                _ if town_words.is_empty() && postcode.is_none() && is_digits(t, 1, 2) && next == Some("tr") => {
                    floor = Some(t.to_owned());
                    i += 1;
                }
                _ if town_words.is_empty() && postcode.is_none() && is_digits(t, 5, 5) => postcode = Some(t.to_owned()),
                _ if town_words.is_empty()
                    && postcode.is_none()
                    && is_digits(t, 3, 3)
                    && next.is_some_and(|n| is_digits(n, 2, 2)) =>
                {
                    postcode = Some(format!("{t}{}", next.unwrap_or_default()));
                    i += 1;
                }
                _ if t.chars().all(|c| c.is_alphabetic() || c == '-') && !t.is_empty() => town_words.push(t),
                _ => return Err(ErrorKind::Invalid),
            }
            i += 1;
        }
        let town = (!town_words.is_empty()).then(|| town_words.join(" "));
        if postcode.is_none() && town.is_none() {
            return Err(ErrorKind::Invalid);
        }
        Ok(Address { street, number, entrance, apartment, floor, postcode, town })
    }

    /// The building's key: street, number and entrance, and the postcode (or the town where no
    /// postcode was given). Two spellings of one entrance give one key.
    pub fn key(&self) -> String {
        let place = self.postcode.as_deref().or(self.town.as_deref()).unwrap_or_default();
        let entrance = self.entrance.map(String::from).unwrap_or_default();
        format!("{}|{}|{}|{}", self.street, self.number, entrance, place)
    }

    /// The building's key with the apartment, for a flag on one apartment.
    pub fn apartment_key(&self) -> Option<String> {
        self.apartment.as_ref().map(|a| format!("{}|lgh {a}", self.key()))
    }
}

fn is_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
}

/// `storg.` → `storgatan`, `ringv` → `ringvägen`, `stora nyg.` → `stora nygatan`.
fn normalise_street(words: &[&str]) -> Result<String, ErrorKind> {
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    let last = out.last_mut().ok_or(ErrorKind::Invalid)?;
    let bare = last.trim_end_matches('.').to_owned();
    let abbreviated = last.ends_with('.');
    for (short, long) in [("g", "gatan"), ("v", "vägen"), ("pl", "platsen"), ("gr", "gränd")] {
        // Only with the dot (`storg.`, `stora nyg.`): without it `Berg` or `Stäv` would turn
        // into other streets, and an exact look-up must not guess.
        if let Some(stem) = bare.strip_suffix(short)
            && !stem.is_empty()
            && abbreviated
        {
            *last = format!("{stem}{long}");
            break;
        }
    }
    if out.iter().any(|w| !w.trim_end_matches('.').chars().all(|c| c.is_alphabetic() || c == '-' || c == ':')) {
        return Err(ErrorKind::Invalid);
    }
    for w in &mut out {
        *w = w.trim_end_matches('.').to_owned();
    }
    Ok(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> String {
        Address::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}")).key()
    }

    #[test]
    fn spellings_of_one_entrance_give_one_key() {
        let want = "storgatan|12|b|12345";
        for raw in [
            "Storgatan 12 B, 123 45 Stockholm",
            "storgatan 12b 12345 stockholm",
            "STORGATAN 12B, 12345 STOCKHOLM",
            "Storg. 12 B, 123 45 Stockholm",
            "Storg. 12B 123 45",
            "Storgatan 12 B lgh 1101, 123 45 Stockholm",
            "Storgatan 12B, vån 3, 12345 Stockholm",
            "Storgatan 12 B 3 tr 123 45 Stockholm",
        ] {
            assert_eq!(key(raw), want, "{raw}");
        }
    }

    #[test]
    fn åäö_and_case_fold_and_abbreviations_expand() {
        assert_eq!(key("Östra Långg. 3, 211 20 Malmö"), key("östra långgatan 3 21120 MALMÖ"));
        assert_eq!(key("Ringv. 7, Göteborg"), "ringvägen|7||göteborg");
        assert_eq!(key("Kyrkogr. 1 Visby"), "kyrkogränd|1||visby");
        assert_eq!(key("Stortorget 4, Västerås"), "stortorget|4||västerås", "a name ending in -t is not cut");
        assert_eq!(key("Berg 3, Umeå"), "berg|3||umeå", "no dot, no abbreviation");
        assert_eq!(key("Storgatan 12-14, 12345"), "storgatan|12-14||12345");
    }

    #[test]
    fn another_entrance_or_town_is_another_key() {
        assert_ne!(key("Storgatan 12 A, 12345"), key("Storgatan 12 B, 12345"));
        assert_ne!(key("Storgatan 12, Umeå"), key("Storgatan 12, Luleå"));
        assert_ne!(key("Storgatan 12, 12345"), key("Storgatan 12 B, 12345"));
    }

    #[test]
    fn the_apartment_and_floor_are_kept_apart_from_the_building() {
        let a = Address::parse("Storgatan 12 B lgh 1101, 123 45 Stockholm").unwrap();
        assert_eq!(a.apartment.as_deref(), Some("1101"));
        assert_eq!(a.apartment_key().as_deref(), Some("storgatan|12|b|12345|lgh 1101"));
        assert_eq!(Address::parse("Storgatan 12, 3 tr, Umeå").unwrap().floor.as_deref(), Some("3"));
    }

    #[test]
    fn what_is_not_an_exact_address_is_refused() {
        assert_eq!(Address::parse(" "), Err(ErrorKind::Required));
        for raw in [
            "Storgatan",
            "Storgatan 12",
            "12 Storgatan, Stockholm",
            "Storgatan 12 lgh 11, Stockholm",
            "Storgatan 12 B C D, 12345",
            "Storgatan 12, 1234",
            "Storg%tan 12, Stockholm",
            "Storgatan 123456, Stockholm",
        ] {
            assert!(Address::parse(raw).is_err(), "{raw} should be refused");
        }
    }

    fn apartment_key(raw: &str) -> String {
        let a = Address::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
        a.apartment_key().unwrap_or_else(|| panic!("{raw}: no apartment"))
    }

    #[test]
    fn the_issues_spellings_of_one_apartment_give_one_key() {
        let want = "drottninggatan|5|a|41103|lgh 1202";
        for raw in [
            "Drottninggatan 5 A lgh 1202, 411 03 Göteborg",
            "drottningg. 5a LGH 1202 41103 göteborg",
            "DROTTNINGGATAN 5A, LGH. 1202, 411 03 GÖTEBORG",
            "Drottningg. 5 a, lägenhet 1202, 41103",
            "Drottninggatan 5A lägenhetsnummer 1202 411 03",
        ] {
            assert_eq!(apartment_key(raw), want, "{raw}");
        }
        assert_eq!(key("Åsgränd 2 Å, 981 31 KIRUNA"), key("åsgränd 2å 98131 kiruna"), "åäö as entrance and street");
        assert_eq!(key("Ängsv. 1, Älmhult"), "ängsvägen|1||älmhult");
    }

    #[test]
    fn a_postcode_is_five_digits_with_or_without_one_space_and_nothing_else() {
        assert_eq!(key("Storgatan 1, 123 45"), key("Storgatan 1, 12345"));
        for raw in ["Storgatan 1, 12 345", "Storgatan 1, 1234 5", "Storgatan 1, 123456", "Storgatan 1, 123-45"] {
            assert!(Address::parse(raw).is_err(), "{raw} should be refused");
        }
    }
}
