//! The header on every page: skip link, app name, navigation and the always-visible 112 link.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::browser;
use crate::i18n::use_texts;

#[component]
pub fn Header() -> impl IntoView {
    let t = use_texts();
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
                <nav aria-label=t.nav_label>
                    <ul class="nav">
                        <li>
                            <A href="/" exact=true>
                                {t.nav_report}
                            </A>
                        </li>
                        <li>
                            <A href="/inkorg">{t.nav_coordinator}</A>
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
