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
use crate::nav::{self, CurrentPath};
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
/// follow-up. No account. Its router is [`crate::nav`], far smaller than `leptos_router`.
#[component]
pub fn ReporterApp() -> impl IntoView {
    LastReceipt::provide();
    FollowupCode::provide();
    crate::outbox::start_sender();
    nav::provide();
    view! { <Shell frame=|| frame(Side::Reporter, reporter_routes) /> }
}

fn reporter_routes() -> AnyView {
    static ROUTES: [nav::Route; 6] = [
        ("/", || view! { <StartPage /> }.into_any()),
        ("/rapport", || view! { <ReportPage /> }.into_any()),
        ("/lage/:role/:phase", || view! { <SituationPage /> }.into_any()),
        ("/kontakter", || view! { <ContactsPage /> }.into_any()),
        ("/kvitto", || view! { <ReceiptPage /> }.into_any()),
        ("/folj-upp", || view! { <FollowupPage /> }.into_any()),
    ];
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
