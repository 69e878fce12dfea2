//! The header on every page: skip link, app name, navigation, the language switch and the
//! always-visible 112 link.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser::{self, LocalStore};
use crate::i18n::{use_lang_signal, use_texts};
use crate::prefs;

#[component]
pub fn Header() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang_signal();
    let other = lang.get_untracked().other();
    let switch = move |_| {
        prefs::save_lang(&LocalStore, other);
        lang.set(other);
        // The header is rendered anew in the other language; keep the focus on the switch.
        request_animation_frame(|| browser::focus_by_id("lang-switch"));
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
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="brand">
                    {t.app_name}
                </a>
                <button type="button" id="lang-switch" class="lang-switch" lang=other.code() on:click=switch>
                    {t.lang_switch}
                </button>
                <nav aria-label=t.nav_label>
                    <ul class="nav">
                        <li>
                            <A href="/" exact=true>
                                {t.nav_start}
                            </A>
                        </li>
                        <li>
                            <A href="/rapport">{t.nav_report}</A>
                        </li>
                        <li>
                            <A href="/kontakter">{t.nav_contacts}</A>
                        </li>
                        <li>
                            <A href="/samordnare/inkorg">{t.nav_coordinator}</A>
                        </li>
                    </ul>
                </nav>
                <a class="call-112" href="tel:112">
                    {t.call_112}
                </a>
            </div>
        </header>
    }
}
