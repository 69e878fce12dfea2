//! The crews' address look-up (`/samordnare/uppslag`, the responder role): one address field
//! and a purpose, and a big answer — the active flags' level, category and guidance, or that
//! there is none. Made for a phone in a moving vehicle: one column, large type, 360 px wide.
//! What was typed stays on an error; field errors show next to their field.

use leptos::prelude::*;

use crate::api::flags::{Sent, lookup};
use crate::api::{ApiError, RowError};
use crate::browser;
use crate::i18n::{FlagTexts, Lang, use_flag_texts, use_lang, use_texts};
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};
use trygg_wire::flags::{FlagCategory, FlagLevel, LookupAnswer};

/// The page's path.
pub const LOOKUP_PATH: &str = "/samordnare/uppslag";

pub fn level_text(f: &FlagTexts, l: FlagLevel) -> &'static str {
    match l {
        FlagLevel::Caution => f.caution,
        FlagLevel::PoliceEscort => f.police_escort,
    }
}

pub fn category_text(f: &FlagTexts, c: FlagCategory) -> &'static str {
    match c {
        FlagCategory::Weapon => f.weapon,
        FlagCategory::Violence => f.violence,
        FlagCategory::Threats => f.threats,
        FlagCategory::Dog => f.dog,
        FlagCategory::Other => f.other,
    }
}

/// The message of the field `name` among `errors`, if refused.
pub fn field_error(f: &'static FlagTexts, errors: &[RowError], name: &str) -> Option<&'static str> {
    errors.iter().find(|e| e.field == name).map(|e| f.error(&e.code))
}

#[component]
pub fn LookupPage() -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    let lang = use_lang();
    browser::set_title(f.lookup_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let address = RwSignal::new(String::new());
    let purpose = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let answer = RwSignal::new(None::<LookupAnswer>);
    let problem = RwSignal::new(None::<String>);
    let run = Action::new_local(move |(a, p): &(String, String)| {
        let (a, p) = (a.clone(), p.clone());
        let to_sign_in = to_sign_in.clone();
        async move {
            answer.set(None);
            match lookup(&a, &p).await {
                Ok(Sent::Done(found)) => {
                    errors.set(vec![]);
                    problem.set(None);
                    answer.set(Some(found));
                }
                Ok(Sent::Refused(e)) => errors.set(e),
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(ApiError::Other { status: 403, .. }) => problem.set(Some(f.forbidden.to_owned())),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let err = move |name: &'static str| move || errors.with(|e| field_error(f, e, name));
    view! {
        <CoordinatorBar />
        <div class="lookup">
            <h1>{f.lookup_title}</h1>
            <p>{f.lookup_intro}</p>
            <form
                class="lookup__form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    run.dispatch((address.get_untracked(), purpose.get_untracked()));
                }
            >
                <div class="field">
                    <label for="lookup-address">{f.address}</label>
                    <p class="field__hint" id="lookup-address-hint">{f.address_hint}</p>
                    <input
                        id="lookup-address"
                        name="address"
                        type="text"
                        autocomplete="street-address"
                        maxlength="200"
                        aria-describedby="lookup-address-hint lookup-address-error"
                        aria-invalid=move || err("address")().is_some().to_string()
                        prop:value=move || address.get()
                        on:input=move |ev| address.set(event_target_value(&ev))
                    />
                    <p class="field__error" id="lookup-address-error">{err("address")}</p>
                </div>
                <div class="field">
                    <label for="lookup-purpose">{f.purpose}</label>
                    <p class="field__hint" id="lookup-purpose-hint">{f.purpose_hint}</p>
                    <input
                        id="lookup-purpose"
                        name="purpose"
                        type="text"
                        maxlength="100"
                        aria-describedby="lookup-purpose-hint lookup-purpose-error"
                        aria-invalid=move || err("purpose")().is_some().to_string()
                        prop:value=move || purpose.get()
                        on:input=move |ev| purpose.set(event_target_value(&ev))
                    />
                    <p class="field__error" id="lookup-purpose-error">{err("purpose")}</p>
                </div>
                <button type="submit" class="button button--primary" disabled=move || run.pending().get()>
                    {f.lookup}
                </button>
            </form>
            {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            <section aria-labelledby="lookup-result" aria-live="polite" data-testid="lookup-result">
                <h2 id="lookup-result" class="visually-hidden">{f.result_heading}</h2>
                {move || answer.get().map(|a| result(f, lang, &a))}
            </section>
        </div>
    }
}

fn result(f: &'static FlagTexts, lang: Lang, a: &LookupAnswer) -> AnyView {
    if a.flags.is_empty() {
        return view! { <p class="lookup__none">{f.no_flags}</p> }.into_any();
    }
    let items = a
        .flags
        .iter()
        .map(|flag| {
            let guidance = if lang == Lang::En { flag.guidance_en.clone() } else { flag.guidance_sv.clone() };
            view! {
                <li class="lookup__flag">
                    <p class="lookup__level">{level_text(f, flag.level)}</p>
                    <p class="lookup__category">{category_text(f, flag.category)}</p>
                    <p class="lookup__guidance">{guidance}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="lookup__flags">{items}</ul> }.into_any()
}
