//! How the routes write instants (RFC 3339) and cut texts on a character boundary.

use crate::store::from_ms;
use time::format_description::well_known::Rfc3339;

/// A stored instant (Unix milliseconds) as RFC 3339, as every answer carries it.
pub(super) fn rfc3339(ms: i64) -> String {
    from_ms(ms).format(&Rfc3339).unwrap_or_default()
}

/// `s`'s first `max` characters, cut on a character boundary.
pub(super) fn cut_chars(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}
