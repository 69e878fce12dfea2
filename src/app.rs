//! The app shell: contexts (language, last receipt), the header, and the routes.

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

#[component]
pub fn App() -> impl IntoView {
    let lang = provide_lang(prefs::load_lang(&LocalStore));
    LastReceipt::provide();
    FollowupCode::provide();
    Effect::new(move |_| browser::set_document_lang(lang.get().code()));
    // Every component reads its texts once, when it renders; a language switch renders the app
    // again under the new table. Drafts live in storage, so nothing typed is lost.
    move || {
        lang.track();
        view! {
            <Router>
                <FocusOnNavigate />
                <Header />
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=StartPage />
                        <Route path=path!("/rapport") view=ReportPage />
                        <Route path=path!("/lage/:role/:phase") view=SituationPage />
                        <Route path=path!("/kontakter") view=ContactsPage />
                        <Route path=path!("/kvitto") view=ReceiptPage />
                        <Route path=path!("/samordnare/logga-in") view=LoginPage />
                        <Route path=path!("/samordnare/inkorg") view=InboxPage />
                        <Route path=path!("/samordnare/inkorg/:id") view=CasePage />
                        <Route path=path!("/samordnare/logg") view=AuditPage />
                        <Route path=path!("/folj-upp") view=FollowupPage />
                    </Routes>
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
