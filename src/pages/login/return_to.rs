//! Where sign-in goes afterwards: back to the coordinator page that asked for it. The page is
//! carried in the sign-in URL (`/samordnare/logga-in?till=/samordnare/inkorg/…`), so anyone can
//! write one; only a path inside the coordinator app is followed, never another site (an open
//! redirect would let a link that looks like ours send a coordinator anywhere after sign-in).

use crate::model::percent_encode;

/// The sign-in page.
pub const LOGIN_PATH: &str = "/samordnare/logga-in";
/// Where sign-in lands when no (acceptable) page asked for it.
pub const DEFAULT_TARGET: &str = "/samordnare/inkorg";
/// The query parameter that carries the page to return to.
pub const RETURN_PARAM: &str = "till";

/// The longest page address followed (a real one is far shorter).
const MAX_LEN: usize = 2000;

/// `raw` when it is a path of this app that sign-in may go to afterwards, or `None`: it must
/// start with `/samordnare/`, and hold no `//`, no backslash, no control character or space, no
/// `.`/`..` path segment (nothing a browser could read as another host or climb out with), and
/// not be the sign-in page itself.
pub fn safe_return_path(raw: &str) -> Option<&str> {
    let ok = raw.len() <= MAX_LEN
        && raw.starts_with("/samordnare/")
        && !raw.contains("//")
        && !raw.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
        && !raw.split(['?', '#']).next().unwrap_or_default().split('/').any(is_dot_segment)
        && !is_sign_in_page(raw);
    ok.then_some(raw)
}

/// Where to go once signed in: the requested page if it is acceptable, else the inbox.
pub fn return_target(requested: Option<&str>) -> &str {
    requested.and_then(safe_return_path).unwrap_or(DEFAULT_TARGET)
}

/// The statistics page (engineer G's, issue 16): where an analyst-only account lands.
pub const STATISTICS_PATH: &str = "/samordnare/statistik";
/// The crews' address look-up: where a responder-only account lands.
pub const LOOKUP_PATH: &str = "/samordnare/uppslag";

/// Where an account lands when no page asked for it, by its roles: the inbox for a coordinator,
/// the administration hub for an administrator, the statistics for an analyst, the look-up for a
/// responder (never a page that would answer 403).
pub fn landing(roles: &[String]) -> &'static str {
    let has = |r: &str| roles.iter().any(|x| x == r);
    if has(trygg_wire::roles::COORDINATOR) {
        DEFAULT_TARGET
    } else if has(trygg_wire::roles::ADMIN) {
        crate::pages::admin::HUB_PATH
    } else if has(trygg_wire::roles::ANALYST) {
        STATISTICS_PATH
    } else if has(trygg_wire::roles::RESPONDER) {
        LOOKUP_PATH
    } else {
        crate::pages::admin::HUB_PATH
    }
}

/// The sign-in page's address that comes back to `here` (path and query) afterwards; plain
/// sign-in when `here` is not a page to come back to (or is the inbox itself).
pub fn sign_in_url(here: &str) -> String {
    match safe_return_path(here) {
        Some(path) if path != DEFAULT_TARGET => format!("{LOGIN_PATH}?{RETURN_PARAM}={}", percent_encode(path)),
        _ => LOGIN_PATH.to_owned(),
    }
}

/// `.` or `..`, also percent-encoded (`%2e`), as a browser reads a path segment.
fn is_dot_segment(segment: &str) -> bool {
    matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..")
}

fn is_sign_in_page(path: &str) -> bool {
    path.strip_prefix(LOGIN_PATH).is_some_and(|rest| rest.is_empty() || rest.starts_with(['?', '#', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_the_coordinator_app_are_followed() {
        for path in [
            "/samordnare/inkorg",
            "/samordnare/inkorg/6f1c2d3e-aaaa-bbbb-cccc-123456789abc",
            "/samordnare/inkorg?status=new&q=kniv%20hot",
            "/samordnare/inkorg/v1.2",
            "/samordnare/logg",
        ] {
            assert_eq!(safe_return_path(path), Some(path), "{path}");
        }
    }

    #[test]
    fn other_sites_and_other_apps_are_refused() {
        for path in [
            "",
            "https://evil.example/",
            "//evil.example/samordnare/inkorg",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/samordnare//evil.example",
            "/samordnare/\\evil.example",
            "/samordnare/inkorg\\..\\..",
            "/samordnare/../rapport",
            "/samordnare/./inkorg",
            "/samordnare/inkorg/..",
            "/samordnare/%2e%2e/rapport",
            "/samordnare/.%2E/rapport",
            "/samordnare/inkorg/abc?x=https://evil.example/",
            "/samordnare/\t/evil.example",
            "/samordnare/\n/evil.example",
            "/samordnare/ inkorg",
            "/samordnare",
            "/",
            "/rapport",
            "samordnare/inkorg",
            "https://trygg.example/samordnare/inkorg",
            " /samordnare/inkorg",
        ] {
            assert_eq!(safe_return_path(path), None, "{path:?}");
        }
        assert_eq!(safe_return_path(&format!("/samordnare/{}", "a".repeat(MAX_LEN))), None);
    }

    #[test]
    fn the_sign_in_page_never_returns_to_itself() {
        assert_eq!(safe_return_path("/samordnare/logga-in"), None);
        assert_eq!(safe_return_path("/samordnare/logga-in?till=/samordnare/logg"), None);
        assert_eq!(safe_return_path("/samordnare/logga-in/"), None);
        assert_eq!(return_target(Some("/samordnare/logga-in")), DEFAULT_TARGET);
    }

    #[test]
    fn sign_in_lands_on_the_requested_page_or_else_the_inbox() {
        assert_eq!(return_target(None), "/samordnare/inkorg");
        assert_eq!(return_target(Some("https://evil.example/")), "/samordnare/inkorg");
        assert_eq!(return_target(Some("/samordnare/inkorg/42?tab=x")), "/samordnare/inkorg/42?tab=x");
    }

    #[test]
    fn the_sign_in_url_carries_the_page_encoded() {
        assert_eq!(
            sign_in_url("/samordnare/inkorg/42?status=new&q=kniv"),
            "/samordnare/logga-in?till=%2Fsamordnare%2Finkorg%2F42%3Fstatus%3Dnew%26q%3Dkniv"
        );
        assert_eq!(sign_in_url("/samordnare/inkorg"), "/samordnare/logga-in");
        assert_eq!(sign_in_url("/samordnare/logga-in"), "/samordnare/logga-in");
        assert_eq!(sign_in_url("//evil.example/"), "/samordnare/logga-in");
    }

    #[test]
    fn without_a_requested_page_each_account_lands_where_its_roles_can_work() {
        let roles = |r: &[&str]| r.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(landing(&roles(&["responder"])), "/samordnare/uppslag");
        assert_eq!(landing(&roles(&["analyst"])), "/samordnare/statistik");
        assert_eq!(landing(&roles(&["coordinator", "responder"])), "/samordnare/inkorg");
        assert_eq!(landing(&roles(&["admin", "responder"])), "/samordnare/admin");
        assert_eq!(landing(&roles(&["admin"])), "/samordnare/admin");
        assert_eq!(landing(&roles(&[])), "/samordnare/admin");
    }
}
