//! The header on every page: skip link, app name, navigation and the language switch; on the
//! reporter's pages also the always-visible 112 link. The coordinator app gets a compact header
//! (class `site-header--desk`): no 112 block and no reporter links, the room goes to its work.

use leptos::prelude::*;

use crate::browser;
use crate::i18n::{use_lang_signal, use_start_texts};
use crate::nav::Link;
use crate::prefs;
use crate::storage::LocalStore;

/// Which of the two apps is running: it decides which links stay inside the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Reporter,
    Coordinator,
}

/// `side` is the app the header is in: links to the other app's pages are full page loads.
#[component]
pub fn Header(side: Side) -> impl IntoView {
    let t = use_start_texts();
    let lang = use_lang_signal();
    let other = lang.get_untracked().other();
    let switch = move |_| {
        prefs::save_lang(&LocalStore, other);
        lang.set(other);
        // The header is rendered anew in the other language; keep the focus on the switch.
        request_animation_frame(|| browser::focus_by_id("lang-switch"));
    };
    let reporter = side == Side::Reporter;
    // A link inside this app goes through its router (and is marked as the current page); a link
    // to the other app is a full page load, since this app's router does not know its paths.
    let link = move |href: &'static str, label: &'static str, exact: bool, inside: bool| {
        if inside {
            view! { <Link href exact>{label}</Link> }.into_any()
        } else {
            view! { <a href=href rel="external">{label}</a> }.into_any()
        }
    };
    view! {
        <a
            class="skip-link"
            href="#main"
            on:click=|ev| {
                ev.prevent_default();
                browser::focus_by_id("main");
            }
        >
            {t.skip_link}
        </a>
        <header class="site-header" class:site-header--desk=!reporter>
            <div class="site-header__inner">
                <a href="/" class="brand" rel=(!reporter).then_some("external")>
                    {t.app_name}
                </a>
                <button type="button" id="lang-switch" class="lang-switch" lang=other.code() on:click=switch>
                    {t.lang_switch}
                </button>
                <nav aria-label=t.nav_label>
                    <ul class="nav">
                        <li>{link("/", t.nav_start, true, reporter)}</li>
                        // Reporters have no use for the coordinators' door (it wrapped onto a line of its own at
                        // 360 px); coordinators have none for the reporter's forms, nor for the 112 block.
                        {if reporter {
                            view! {
                                <li>{link("/rapport", t.nav_report, false, true)}</li>
                                <li>{link("/kontakter", t.nav_contacts, false, true)}</li>
                            }
                                .into_any()
                        } else {
                            view! { <li>{link("/samordnare/inkorg", t.nav_coordinator, false, true)}</li> }.into_any()
                        }}
                    </ul>
                </nav>
                {reporter.then(|| view! { <a class="call-112" href="tel:112">{t.call_112}</a> })}
            </div>
        </header>
    }
}
