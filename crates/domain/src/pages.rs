//! Which reporter pages the report bundle shows. The browser's router and the server (which
//! sends that bundle's `index.html` for them) both ask here, so the list is written once.

/// The report bundle's pages: the report form, the receipt, follow-up and the safety check-in.
/// Every other reporter page is the start bundle's (the service worker, `public/sw.js`, names the
/// same paths).
pub const REPORT_PATHS: [&str; 4] = ["/rapport", "/kvitto", "/folj-upp", "/incheckning"];

/// Whether `path` is one of [`REPORT_PATHS`] (a trailing `/` is ignored).
pub fn is_report_path(path: &str) -> bool {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    REPORT_PATHS.contains(&path)
}

#[cfg(test)]
mod tests {
    use super::is_report_path;

    #[test]
    fn the_report_bundle_shows_exactly_its_four_pages() {
        for path in ["/rapport", "/rapport/", "/kvitto", "/folj-upp", "/incheckning"] {
            assert!(is_report_path(path), "{path}");
        }
        for path in ["/", "/rapporter", "/rapport/x", "/kontakter", "/r/", "/samordnare/rapport"] {
            assert!(!is_report_path(path), "{path}");
        }
    }
}
