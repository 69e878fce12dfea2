//! The two apps and the shell they share. The reporter app (`src/main.rs`, `index.html`) serves
//! `/` and the reporter's pages; the coordinator app (`src/bin/samordnare.rs`,
//! `samordnare.html`) serves everything under `/samordnare/`. Each is its own wasm bundle, so a
//! reporter never downloads the coordinator's pages. A link from one app to the other is a full
//! page load (`rel="external"`): the other app's router does not know the path.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::browser::{self, LocalStore};
use crate::components::header::Header;
use crate::i18n::provide_lang;
use crate::pages::audit::AuditPage;
use crate::pages::case::CasePage;
use crate::pages::contacts::ContactsPage;
use crate::pages::followup::FollowupPage;
use crate::pages::inbox::InboxPage;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::receipt::ReceiptPage;
use crate::pages::report::ReportPage;
use crate::pages::situation::SituationPage;
use crate::pages::start::StartPage;
use crate::prefs;
use crate::state::{FollowupCode, LastReceipt};

/// Which of the two apps is running: it decides which links stay inside the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Reporter,
    Coordinator,
}

/// The reporter's app: start page, situations, the report form, the receipt, the phone list and
/// follow-up. No account.
#[component]
pub fn ReporterApp() -> impl IntoView {
    LastReceipt::provide();
    FollowupCode::provide();
    crate::outbox::start_sender();
    view! { <Shell side=Side::Reporter routes=reporter_routes /> }
}

fn reporter_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage /> }>
            <Route path=path!("/") view=StartPage />
            <Route path=path!("/rapport") view=ReportPage />
            <Route path=path!("/lage/:role/:phase") view=SituationPage />
            <Route path=path!("/kontakter") view=ContactsPage />
            <Route path=path!("/kvitto") view=ReceiptPage />
            <Route path=path!("/folj-upp") view=FollowupPage />
        </Routes>
    }
    .into_any()
}

/// The coordinators' app under `/samordnare/`: sign-in, the inbox and each report.
#[component]
pub fn CoordinatorApp() -> impl IntoView {
    view! { <Shell side=Side::Coordinator routes=coordinator_routes /> }
}

fn coordinator_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <NotFoundPage external=true /> }>
            <Route path=path!("/samordnare/logga-in") view=LoginPage />
            <Route path=path!("/samordnare/inkorg") view=InboxPage />
            <Route path=path!("/samordnare/inkorg/:id") view=CasePage />
            <Route path=path!("/samordnare/logg") view=AuditPage />
        </Routes>
    }
    .into_any()
}

/// What both apps share: the language (remembered on the device and mirrored in `<html lang>`),
/// the router, focus after navigation, the header and `<main>` around the app's routes.
#[component]
fn Shell(side: Side, routes: fn() -> AnyView) -> impl IntoView {
    let lang = provide_lang(prefs::load_lang(&LocalStore));
    Effect::new(move |_| browser::set_document_lang(lang.get().code()));
    // Every component reads its texts once, when it renders; a language switch renders the app
    // again under the new table. Drafts live in storage, so nothing typed is lost.
    move || {
        lang.track();
        view! {
            <Router>
                <FocusOnNavigate />
                <Header side />
                <main id="main" tabindex="-1">
                    {routes()}
                </main>
            </Router>
        }
    }
}

/// Moves focus to the new page's heading on every client-side navigation (not on first load).
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let path = use_location().pathname;
    Effect::new(move |previous: Option<String>| {
        let current = path.get();
        if previous.is_some_and(|p| p != current) {
            request_animation_frame(browser::focus_main_heading);
        }
        current
    });
}
