//! Which reporter pages the report bundle shows. The browser's router and the server (which
//! sends that bundle's `index.html` for them) both ask here, so the list is written once.

/// The report bundle's pages: the report form, the receipt, follow-up and the safety check-in
/// (and, by [`is_report_path`], the phone list and the situation pages). Every other reporter
/// page is the start bundle's (the service worker, `public/sw.js`, names the same paths).
pub const REPORT_PATHS: [&str; 4] = ["/rapport", "/kvitto", "/folj-upp", "/incheckning"];

/// The phone list and the situation pages (`/lage/<role>/<phase>`): reporter pages that the
/// report bundle shows too, so that the start bundle's first load stays small (issue 19's
/// budget; 10 KB brotli of its wasm). "Happening now" (`/nu`) stays in the start bundle.
pub const CONTACTS_PATH: &str = "/kontakter";
/// See [`CONTACTS_PATH`]; every path under it is the report bundle's.
pub const SITUATION_PREFIX: &str = "/lage/";

/// Whether the report bundle shows `path`: one of [`REPORT_PATHS`], the phone list or a situation
/// page (a trailing `/` is ignored).
pub fn is_report_path(path: &str) -> bool {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    REPORT_PATHS.contains(&path) || path == CONTACTS_PATH || path.starts_with(SITUATION_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::is_report_path;

    #[test]
    fn the_report_bundle_shows_its_pages_the_phone_list_and_the_situations() {
        for path in ["/rapport", "/rapport/", "/kvitto", "/folj-upp", "/incheckning", "/kontakter", "/kontakter/"] {
            assert!(is_report_path(path), "{path}");
        }
        for path in ["/lage/healthcare/during", "/lage/elected_official/after/", "/lage/x"] {
            assert!(is_report_path(path), "{path}");
        }
        for path in ["/", "/nu", "/rapporter", "/rapport/x", "/kontakterna", "/lage", "/r/", "/samordnare/rapport"] {
            assert!(!is_report_path(path), "{path}");
        }
    }
}
