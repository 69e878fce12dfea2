//! The two apps and the shell they share. The reporter app serves `/` and the reporter's pages
//! in two wasm bundles: the start bundle (`src/main.rs`, `index.html`: the start page,
//! "happening now" and the not-found page) and the report bundle (`src/bin/rapport.rs`,
//! `rapport.html`, its files under `/r/`: [`REPORT_PATHS`], the report form, the receipt,
//! follow-up and the check-in, and the situations and the phone list, see [`is_report_path`]),
//! so that the first load at `/` carries neither the report form nor the checklists. The coordinator app (`src/bin/samordnare.rs`, `samordnare.html`) serves everything
//! under `/samordnare/`. A reporter never downloads the coordinator's pages. A link from one
//! bundle to another is a full page load: [`crate::nav`] leaves a path its bundle does not own
//! to the browser, and the server (`spa_index`) and the service worker answer it with the other
//! bundle's `index.html`.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::browser;
use crate::components::header::{Header, Side};
use crate::i18n::provide_lang;
use crate::nav::{self, CurrentPath};
use crate::outbox::sender::LastReceipt;
use crate::pages::account::AccountPage;
use crate::pages::admin::AdminHubPage;
use crate::pages::admin::accounts::AccountsPage;
use crate::pages::admin_content::AdminContactsPage;
use crate::pages::admin_content_checklists::AdminChecklistsPage;
use crate::pages::admin_jobs::AdminJobsPage;
use crate::pages::admin_retention::AdminRetentionPage;
use crate::pages::admin_roster::RosterPage;
use crate::pages::audit::AuditPage;
use crate::pages::case::CasePage;
use crate::pages::contacts::ContactsPage;
use crate::pages::followup::FollowupPage;
use crate::pages::inbox::InboxPage;
use crate::pages::invitation::InvitationPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::now::NowPage;
use crate::pages::receipt::ReceiptPage;
use crate::pages::report::ReportPage;
use crate::pages::situation::SituationPage;
use crate::pages::start::StartPage;
use crate::pages::waiting::WaitingPage;
use crate::prefs;
use crate::storage::LocalStore;

pub use trygg_domain::{CONTACTS_PATH, REPORT_PATHS, is_report_path};

/// Whether the start bundle shows `path`: every path outside the report bundle and the
/// coordinator app (an unknown one gets the not-found page).
pub fn is_start_path(path: &str) -> bool {
    !is_report_path(path) && !nav::is_current(path, "/samordnare", false)
}

/// The reporter's app at `/` (start bundle): the start page with the list of reports waiting in
/// the outbox, and "happening now". No account. Its router is [`crate::nav`], far smaller
/// than `leptos_router`. Every reporter bundle runs the outbox's sender, so that a queued report
/// goes out whichever page the reporter opens.
#[component]
pub fn ReporterApp() -> impl IntoView {
    crate::draft::tidy(LocalStore, browser::now_ms());
    crate::outbox::sender::start_sender(None);
    nav::provide(is_start_path);
    view! { <Shell frame=|| frame(Side::Reporter, start_routes) /> }
}

fn start_routes() -> AnyView {
    static ROUTES: [nav::Route; 2] =
        [("/", || view! { <StartPage /> }.into_any()), ("/nu", || view! { <NowPage /> }.into_any())];
    nav::routes(&ROUTES, || view! { <NotFoundPage /> }.into_any())
}

/// The reporter's report bundle ([`is_report_path`]): the report form, its receipt and
/// follow-up, the check-in, the situations and the phone list.
#[component]
pub fn ReportApp() -> impl IntoView {
    crate::draft::tidy(LocalStore, browser::now_ms());
    crate::outbox::sender::start_sender(Some(LastReceipt::provide()));
    crate::pages::attach::start_evidence_sender();
    nav::provide(is_report_path);
    view! { <Shell frame=|| frame(Side::Reporter, report_routes) /> }
}

fn report_routes() -> AnyView {
    static ROUTES: [nav::Route; 6] = [
        (REPORT_PATHS[0], || view! { <ReportPage /> }.into_any()),
        (REPORT_PATHS[1], || view! { <ReceiptPage /> }.into_any()),
        (REPORT_PATHS[2], || view! { <FollowupPage /> }.into_any()),
        (REPORT_PATHS[3], || view! { <crate::pages::checkin::CheckinPage /> }.into_any()),
        ("/lage/:role/:phase", || view! { <SituationPage /> }.into_any()),
        (CONTACTS_PATH, || view! { <ContactsPage /> }.into_any()),
    ];
    // Shown for a path under /lage/ that is no situation (`/lage/x`); the server sends only the
    // report bundle's own paths here.
    nav::routes(&ROUTES, || view! { <NotFoundPage /> }.into_any())
}

/// The coordinators' app under `/samordnare/`: sign-in, the inbox and each report.
#[component]
pub fn CoordinatorApp() -> impl IntoView {
    view! { <Shell frame=|| view! { <Router><CoordinatorFrame /></Router> }.into_any() /> }
}

#[component]
fn CoordinatorFrame() -> impl IntoView {
    CurrentPath::provide(use_location().pathname.into());
    frame(Side::Coordinator, coordinator_routes)
}

fn coordinator_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage external=true /> }>
            <Route path=path!("/samordnare/logga-in") view=LoginPage />
            <Route path=path!("/samordnare/inkorg") view=InboxPage />
            <Route path=path!("/samordnare/inkorg/:id") view=CasePage />
            <Route path=path!("/samordnare/logg") view=AuditPage />
            <Route path=path!("/samordnare/vantar") view=WaitingPage />
            <Route path=path!("/samordnare/admin/jour") view=RosterPage />
            <Route path=path!("/samordnare/admin") view=AdminHubPage />
            <Route path=path!("/samordnare/admin/konton") view=AccountsPage />
            <Route path=path!("/samordnare/konto") view=AccountPage />
            <Route path=path!("/samordnare/inbjudan") view=InvitationPage />
            <Route path=path!("/samordnare/admin/telefonlista") view=AdminContactsPage />
            <Route path=path!("/samordnare/admin/checklistor") view=AdminChecklistsPage />
            <Route path=path!("/samordnare/admin/gallring") view=AdminRetentionPage />
            <Route path=path!("/samordnare/admin/jobb") view=AdminJobsPage />
            <Route path=path!("/samordnare/uppslag") view=crate::pages::lookup::LookupPage />
            <Route path=path!("/samordnare/admin/uppslagsnycklar") view=crate::pages::lookup_tokens::LookupTokensPage />
            <Route path=path!("/samordnare/incheckningar") view=crate::pages::checkin_alerts::CheckinAlertsPage />
            <Route path=path!("/samordnare/incheckningar/:id") view=crate::pages::checkin_alerts::CheckinAlertPage />
            <Route path=path!("/samordnare/statistik") view=crate::pages::stats::StatsPage />
            <Route path=path!("/samordnare/notiser") view=crate::pages::notices::NoticesPage />
            <Route path=path!("/samordnare/uppgifter") view=crate::pages::after::overdue::OverdueTasksPage />
            <Route path=path!("/samordnare/inkorg/:id/polisanmalan") view=crate::pages::police_summary::PoliceSummaryPage />
            <Route path=path!("/samordnare/uppslagslogg") view=crate::pages::lookup_log::LookupLogPage />
        </Routes>
    }
    .into_any()
}

/// What both apps share: the language (remembered on the device and mirrored in `<html lang>`)
/// around the app's `frame` (its router, if it brings one, and [`frame`]).
#[component]
fn Shell(frame: fn() -> AnyView) -> impl IntoView {
    let lang = provide_lang(prefs::load_lang(&LocalStore));
    Effect::new(move |_| browser::set_document_lang(lang.get().code()));
    // Every component reads its texts once, when it renders; a language switch renders the app
    // again under the new table. Drafts live in storage, so nothing typed is lost.
    move || {
        lang.track();
        frame()
    }
}

/// Focus after navigation, the header and `<main>` around an app's routes.
fn frame(side: Side, routes: fn() -> AnyView) -> AnyView {
    view! {
        <FocusOnNavigate />
        <Header side />
        <main id="main" tabindex="-1">
            {routes()}
        </main>
    }
    .into_any()
}

/// Moves focus to the new page's heading on every client-side navigation (not on first load).
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let path = CurrentPath::use_context();
    Effect::new(move |previous: Option<String>| {
        let current = path.get();
        if previous.is_some_and(|p| p != current) {
            request_animation_frame(browser::focus_main_heading);
        }
        current
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reporter_path_belongs_to_exactly_one_bundle() {
        for path in ["/rapport", "/rapport/", "/kvitto", "/folj-upp", "/kontakter", "/lage/healthcare/during"] {
            assert!(is_report_path(path) && !is_start_path(path), "{path}");
        }
        for path in ["/", "/nu", "/rapporter", "/rapport/x", "/okand"] {
            assert!(is_start_path(path) && !is_report_path(path), "{path}");
        }
        for path in ["/samordnare", "/samordnare/inkorg"] {
            assert!(!is_start_path(path) && !is_report_path(path), "{path}");
        }
    }
}
