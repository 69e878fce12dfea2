//! The police case number (K-number, "K-nummer") a coordinator records on a report: checked
//! loosely, since the police write it several ways. Accepted: an optional unit prefix of digits
//! and a dash, then `K` (either case), 1–10 digits, then optionally a dash and a two- or
//! four-digit year: `K123456`, `K123456-26`, `5000-K1234-26`, `k 12345-2026`. Spaces are
//! dropped and the letter upper-cased; blank means none.

/// The longest K-number accepted, in characters as typed.
pub const POLICE_CASE_NUMBER_MAX: usize = 30;

/// The normalised K-number, `Ok(None)` when blank, or the error kind (`invalid`, `too_long`).
pub fn parse_police_case_number(raw: &str) -> Result<Option<String>, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > POLICE_CASE_NUMBER_MAX {
        return Err("too_long");
    }
    let s: String = t.chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
    let (prefix, rest) = match s.split_once('K') {
        Some(parts) => parts,
        None => return Err("invalid"),
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let prefix_ok = prefix.is_empty() || prefix.strip_suffix('-').is_some_and(|p| digits(p) && p.len() <= 6);
    let (number, year) = match rest.split_once('-') {
        Some((n, y)) => (n, Some(y)),
        None => (rest, None),
    };
    let number_ok = digits(number) && number.len() <= 10;
    let year_ok = year.is_none_or(|y| digits(y) && (y.len() == 2 || y.len() == 4));
    if prefix_ok && number_ok && year_ok { Ok(Some(s)) } else { Err("invalid") }
}

#[cfg(test)]
mod tests {
    use super::parse_police_case_number as p;

    #[test]
    fn the_usual_spellings_are_accepted_and_normalised() {
        assert_eq!(p("K123456").unwrap().as_deref(), Some("K123456"));
        assert_eq!(p(" k123456-26 ").unwrap().as_deref(), Some("K123456-26"));
        assert_eq!(p("5000-K1234-26").unwrap().as_deref(), Some("5000-K1234-26"));
        assert_eq!(p("K 12345-2026").unwrap().as_deref(), Some("K12345-2026"));
        assert_eq!(p("   ").unwrap(), None);
    }

    #[test]
    fn anything_else_is_invalid_or_too_long() {
        for bad in ["123456", "K", "K12a", "KK12", "K12-3", "K12-26-1", "x-K12", "K12;drop", "K12--26", "-K12"] {
            assert_eq!(p(bad), Err("invalid"), "{bad}");
        }
        assert_eq!(p(&format!("K{}", "1".repeat(40))), Err("too_long"));
    }
}
