//! Client-side navigation for the reporter app: a small router in place of `leptos_router`,
//! whose route matching and views cost the reporter's first load more than all of this does
//! (see `bench/size.sh`). The coordinator app keeps `leptos_router`.
//!
//! It behaves as `leptos_router` does for what the reporter app uses: a click on a same-origin
//! `<a>` (no `target`, `download` or `rel="external"`, no modifier key) changes the URL with
//! `history.pushState` instead of loading the page; back and forward follow; the new page starts
//! at the top (or at the element the `#hash` names); `Link` marks the current page with
//! `aria-current="page"`. [`CurrentPath`] is shared by both apps, so that the shell's header and
//! links work under either router.
//!
//! Its names are its own, so that a reader never mistakes it for `leptos_router` (which the
//! coordinator app uses): [`Link`] (not `A`), [`navigator`] with [`Go`] (not `use_navigate` with
//! `NavigateOptions`), [`query`] and [`route_params`] returning [`Params`] (not `use_query_map`,
//! `use_params_map`, `ParamsMap`).

use js_sys::decode_uri_component;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The path of the page being shown, e.g. `/rapport`, in either app. The shell provides it.
#[derive(Clone, Copy)]
pub struct CurrentPath(pub Signal<String>);

impl CurrentPath {
    pub fn provide(path: Signal<String>) {
        provide_context(CurrentPath(path));
    }

    /// The provided path (both apps' shells provide it).
    pub fn use_context() -> Signal<String> {
        use_context::<CurrentPath>().expect("CurrentPath context").0
    }
}

/// `%xx` escapes decoded (left as they are when they do not decode).
fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    decode_uri_component(s).ok().and_then(|d| d.as_string()).unwrap_or_else(|| s.to_owned())
}

/// The reporter app's location: path and query string (without `?`), changed by navigation,
/// and which paths this bundle's route table owns (any other is a full page load).
#[derive(Clone, Copy)]
struct Location {
    path: RwSignal<String>,
    query: RwSignal<String>,
    owns: fn(&str) -> bool,
}

/// `window.location` as (path, query without `?`, hash with `#`).
fn window_url() -> (String, String, String) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    (
        location.pathname().unwrap_or_else(|_| "/".into()),
        search.strip_prefix('?').unwrap_or(&search).to_owned(),
        location.hash().unwrap_or_default(),
    )
}

/// Starts the router (call once, above every component that navigates): follows the address
/// bar, back and forward, and turns clicks on links to the paths it `owns` into navigation. The
/// reporter's pages are split over two wasm bundles (see `crate::app`): a link or a navigation
/// to a path this bundle does not own is left to the browser, which loads the other bundle.
pub fn provide(owns: fn(&str) -> bool) {
    let (path, query, _) = window_url();
    let location = Location { path: RwSignal::new(path), query: RwSignal::new(query), owns };
    provide_context(location);
    CurrentPath::provide(location.path.into());
    let popstate = window_event_listener(ev::popstate, move |_| {
        let (path, query, _) = window_url();
        location.path.set(path);
        location.query.set(query);
    });
    let click = window_event_listener(ev::click, move |ev| {
        if let Some(to) = link_target(&ev).filter(|to| (location.owns)(path_of(to))) {
            ev.prevent_default();
            go_to(location, &to, Go::default());
        }
    });
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
}

/// Where a click should take the app itself, or `None` to leave it to the browser.
fn link_target(ev: &ev::MouseEvent) -> Option<String> {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key() {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let a: web_sys::HtmlAnchorElement = target.closest("a").ok()??.dyn_into().ok()?;
    let external = a.get_attribute("rel").is_some_and(|rel| rel.split([' ', '\t']).any(|p| p == "external"));
    if !a.target().is_empty() || a.href().is_empty() || a.has_attribute("download") || external {
        return None;
    }
    let origin = window().location().origin().ok()?;
    if a.origin() != origin {
        return None;
    }
    Some(format!("{}{}{}", a.pathname(), a.search(), a.hash()))
}

/// How to navigate: `replace` the current history entry instead of adding one; `scroll` to the
/// top (or to the `#hash`) afterwards.
#[derive(Debug, Clone, Copy)]
pub struct Go {
    pub replace: bool,
    pub scroll: bool,
}

impl Default for Go {
    fn default() -> Self {
        Go { replace: false, scroll: true }
    }
}

/// The path of an address such as `/rapport?steg=2#x`.
fn path_of(to: &str) -> &str {
    to.split(['?', '#']).next().unwrap_or_default()
}

fn go_to(location: Location, to: &str, options: Go) {
    let history = window().history().ok().filter(|_| {
        let path = path_of(to);
        path.is_empty() || (location.owns)(path)
    });
    let Some(history) = history else {
        // Another bundle's page (or no history): a page load.
        let _ = if options.replace { window().location().replace(to) } else { window().location().set_href(to) };
        return;
    };
    let (path, query, hash) = window_url();
    let current = format!("{path}{}{query}{hash}", if query.is_empty() { "" } else { "?" });
    let done = if options.replace || current == to {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    };
    if done.is_err() {
        // Not an address of this origin: let the browser go there.
        let _ = window().location().set_href(to);
        return;
    }
    let (path, query, _) = window_url();
    location.path.set(path);
    location.query.set(query);
    // After the new page has rendered, like leptos_router: to the `#hash`'s element or the top.
    request_animation_frame(move || {
        let hash = window().location().hash().unwrap_or_default();
        let id = decode(hash.strip_prefix('#').unwrap_or_default());
        match (!id.is_empty()).then(|| document().get_element_by_id(&id)).flatten() {
            Some(element) => element.scroll_into_view(),
            None if options.scroll => window().scroll_to_with_x_and_y(0.0, 0.0),
            None => {}
        }
    });
}

fn use_location() -> Option<Location> {
    use_context::<Location>()
}

/// Navigates within this bundle's pages (to any other path: a page load), as `leptos_router`'s
/// does.
pub fn navigator() -> impl Fn(&str, Go) + Clone + 'static {
    let location = use_location();
    move |to: &str, options: Go| match location {
        Some(location) => go_to(location, to, options),
        None => {
            let _ = window().location().set_href(to);
        }
    }
}

/// Names and values, from a query string or from a route's `:name` segments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The first value of `key`.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.get_str(key).map(str::to_owned)
    }

    /// Parses `a=1&b=x%20y` (without `?`); `+` is a space.
    pub fn from_query(query: &str) -> Self {
        Params(
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(&k.replace('+', " ")), decode(&v.replace('+', " ")))
                })
                .collect(),
        )
    }
}

/// The query string of the current address, as it changes.
pub fn query() -> Memo<Params> {
    let query = use_location().map(|l| l.query);
    Memo::new(move |_| match query {
        Some(q) => q.with(|q| Params::from_query(q)),
        None => Params::from_query(&window_url().1),
    })
}

#[derive(Clone, Copy)]
struct RouteParams(Memo<Params>);

/// The `:name` segments of the route being shown, as they change.
pub fn route_params() -> Memo<Params> {
    use_context::<RouteParams>().expect("RouteParams context (nav::routes)").0
}

/// Matches a path against a route pattern such as `/lage/:role/:phase`; a trailing `/` is
/// ignored.
pub fn match_path(pattern: &str, path: &str) -> Option<Params> {
    let trim = |s: &'_ str| -> String { if s.len() > 1 { s.trim_end_matches('/').to_owned() } else { s.to_owned() } };
    let (pattern, path) = (trim(pattern), trim(path));
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    let mut params = Vec::new();
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (None, None) => return Some(Params(params)),
            (Some(p), Some(s)) if p.starts_with(':') && !s.is_empty() => {
                params.push((p[1..].to_owned(), decode(s)));
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return None,
        }
    }
}

/// A route: a path pattern and the page it shows.
pub type Route = (&'static str, fn() -> AnyView);

/// Shows the page of the first route that matches the current path, or `fallback`. The page is
/// rendered again only when another route matches; a new query string or new `:name` values
/// reach it through [`query`] and [`route_params`].
pub fn routes(table: &'static [Route], fallback: fn() -> AnyView) -> AnyView {
    let path = use_location().map_or_else(|| RwSignal::new(window_url().0), |l| l.path);
    let matched =
        Memo::new(move |_| path.with(|p| table.iter().position(|(pattern, _)| match_path(pattern, p).is_some())));
    let params = Memo::new(move |_| {
        let route = matched.get();
        path.with(|p| route.and_then(|i| match_path(table[i].0, p)).unwrap_or_default())
    });
    provide_context(RouteParams(params));
    (move || {
        let page = matched.get().map_or(fallback, |i| table[i].1);
        untrack(page)
    })
    .into_any()
}

/// Whether a link to `href` points at the page at `path`: the same path, or (unless `exact`) a
/// page below it.
pub fn is_current(path: &str, href: &str, exact: bool) -> bool {
    let target = href.split(['?', '#']).next().unwrap_or_default();
    let trim = |s: &str| if s.len() > 1 { s.trim_end_matches('/').to_owned() } else { s.to_owned() };
    let (path, target) = (trim(path), trim(target));
    path == target || (!exact && path.starts_with(&format!("{}/", target.trim_end_matches('/'))))
}

/// A link within the app, marked `aria-current="page"` while its page is shown. Either router
/// turns the click into navigation.
#[component]
pub fn Link(#[prop(into)] href: String, #[prop(optional)] exact: bool, children: Children) -> impl IntoView {
    let path = CurrentPath::use_context();
    let target = href.clone();
    let current = move || path.with(|p| is_current(p, &target, exact)).then_some("page");
    view! {
        <a href=href aria-current=current>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_paths_and_name_their_segments() {
        let p = match_path("/lage/:role/:phase", "/lage/healthcare/during").unwrap();
        assert_eq!(p.get_str("role"), Some("healthcare"));
        assert_eq!(p.get("phase").as_deref(), Some("during"));
        assert!(match_path("/lage/:role/:phase", "/lage/healthcare").is_none());
        assert!(match_path("/lage/:role/:phase", "/lage/healthcare/during/x").is_none());
        assert!(match_path("/", "/").is_some());
        assert!(match_path("/", "/rapport").is_none());
        assert!(match_path("/rapport", "/rapport/").is_some());
        assert!(match_path("/rapport", "/rapporter").is_none());
    }

    #[test]
    fn a_query_string_is_split_into_names_and_values() {
        let q = Params::from_query("steg=3&q=hot+hat&flag&");
        assert_eq!(q.get_str("steg"), Some("3"));
        assert_eq!(q.get_str("q"), Some("hot hat"));
        assert_eq!(q.get_str("flag"), Some(""));
        assert_eq!(q.get_str("x"), None);
        assert_eq!(Params::from_query(""), Params::default());
    }

    #[test]
    fn the_current_page_is_the_same_path_or_below_it_unless_exact() {
        assert!(is_current("/", "/", true));
        assert!(!is_current("/rapport", "/", true));
        assert!(is_current("/rapport", "/rapport", false));
        assert!(is_current("/rapport/", "/rapport?steg=2", false));
        assert!(is_current("/samordnare/inkorg/1", "/samordnare/inkorg", false));
        assert!(!is_current("/samordnare/inkorg/1", "/samordnare/inkorg", true));
        assert!(!is_current("/rapporter", "/rapport", false));
    }
}
