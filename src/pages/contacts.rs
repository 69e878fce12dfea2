//! The phone list: every contact from `GET /api/contacts` in its group, every number a `tel:`
//! link; a contact without a number shows its note instead. Also the short list on a situation page.

use leptos::prelude::*;

use crate::browser;
use crate::content;
use crate::i18n::{Lang, Texts, use_lang, use_texts};
use crate::model::{Contact, Contacts};
use crate::nav::Link;
use crate::task::Load;

/// How many contacts the short list on a situation page shows.
const SHORT_LIST: usize = 5;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.contacts_title, t.app_name);
    let contacts = Load::new(content::contacts);
    view! {
        <h1>{t.contacts_title}</h1>
        <p class="lead">{t.contacts_intro}</p>
        {move || match contacts.get() {
            None => view! { <p role="status">{t.contacts_loading}</p> }.into_any(),
            Some(Err(_)) => failed(t, move || contacts.refetch()).into_any(),
            Some(Ok(all)) => groups(t, lang, all).into_any(),
        }}
    }
}

fn groups(t: &'static Texts, lang: Lang, all: Contacts) -> impl IntoView {
    all.groups
        .into_iter()
        .map(|g| {
            let heading_id = format!("group-{}", g.group);
            let labelled_by = heading_id.clone();
            view! {
                <section class="contact-group" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{t.contact_group(&g.group)}</h2>
                    <ul class="contacts">{g.contacts.into_iter().map(|c| contact(lang, c)).collect_view()}</ul>
                </section>
            }
        })
        .collect_view()
}

/// One contact: the name, then the number to tap (or, with no number, the note), then the note.
fn contact(lang: Lang, c: Contact) -> impl IntoView {
    let name = lang.pick(&c.name.sv, &c.name.en).to_owned();
    let note = lang.pick(&c.note.sv, &c.note.en).to_owned();
    let number = match (c.tel, c.phone) {
        (Some(tel), Some(phone)) => Some((tel, phone)),
        (Some(tel), None) => Some((tel.clone(), tel.trim_start_matches("tel:").to_owned())),
        _ => None,
    };
    let note = (!note.trim().is_empty()).then(|| view! { <p class="contact-note">{note}</p> });
    view! {
        <li class="contact" data-testid="contact">
            <p class="contact-name">{name}</p>
            {number.map(|(tel, phone)| view! { <a class="contact-tel" href=tel>{phone}</a> })}
            {note}
        </li>
    }
}

/// A load that failed, with a button to try again.
fn failed(t: &'static Texts, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            <p>{t.contacts_error}</p>
            <button type="button" class="button" on:click=move |_| retry()>{t.retry}</button>
        </div>
    }
}

/// The few contacts for `role` (wire value) that can be called, and a link to the whole list.
#[component]
pub fn ShortContacts(role: &'static str) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let contacts = Load::new(content::contacts);
    view! {
        <section class="contact-group" aria-labelledby="short-contacts">
            <h2 id="short-contacts">{t.contacts_short_heading}</h2>
            {move || match contacts.get() {
                None => view! { <p role="status">{t.contacts_loading}</p> }.into_any(),
                Some(Err(_)) => failed(t, move || contacts.refetch()).into_any(),
                Some(Ok(all)) => {
                    let few = all
                        .groups
                        .into_iter()
                        .flat_map(|g| g.contacts)
                        .filter(|c| c.tel.is_some() && c.is_for(role))
                        .take(SHORT_LIST)
                        .map(|c| contact(lang, c))
                        .collect_view();
                    view! { <ul class="contacts">{few}</ul> }.into_any()
                }
            }}
            <p>
                <Link href="/kontakter">{t.contacts_all}</Link>
            </p>
        </section>
    }
}
