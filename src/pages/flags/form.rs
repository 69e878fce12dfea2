//! The form that proposes a risk flag from a report (see the parent module).

use leptos::prelude::*;

use super::{Draft, message, send};
use crate::api::RowError;
use crate::api::flags::Sent;
use crate::i18n::{use_flag_texts, use_texts};
use crate::pages::shell::error_text;

#[component]
pub fn ProposeForm(report_id: String, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    let d = Draft::default();
    d.level.set("police_escort".into());
    d.category.set("violence".into());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let report = StoredValue::new(report_id);
    let draft = d.clone();
    let save = Action::new_local(move |(): &()| {
        let (report, p, draft) = (report.get_value(), draft.proposal(), draft.clone());
        async move {
            done.set(false);
            match send(report, p).await {
                Ok(Sent::Done(_)) => {
                    errors.set(vec![]);
                    problem.set(None);
                    done.set(true);
                    *draft.address.write() = String::new();
                    on_done();
                }
                Ok(Sent::Refused(e)) => errors.set(e),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let text = move |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
        let err = message(f, errors, id);
        let input_id = format!("flag-{id}");
        let err_id = format!("flag-{id}-error");
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <input
                    id=input_id
                    name=id
                    type=kind
                    aria-describedby=err_id.clone()
                    aria-invalid=move || err().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <p class="field__error" id=err_id>{err}</p>
            </div>
        }
    };
    let area = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        let err = message(f, errors, id);
        let input_id = format!("flag-{id}");
        let err_id = format!("flag-{id}-error");
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <textarea
                    id=input_id
                    name=id
                    rows="3"
                    aria-describedby=err_id.clone()
                    aria-invalid=move || err().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                ></textarea>
                <p class="field__error" id=err_id>{err}</p>
            </div>
        }
    };
    let select = move |id: &'static str,
                       label: &'static str,
                       value: RwSignal<String>,
                       options: Vec<(&'static str, &'static str)>| {
        let input_id = format!("flag-{id}");
        let opts = options
            .into_iter()
            .map(|(v, text)| view! { <option value=v selected=move || value.get() == v>{text}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <select id=input_id name=id on:change=move |ev| value.set(event_target_value(&ev))>{opts}</select>
            </div>
        }
    };
    view! {
        <form
            class="flag-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }
        >
            <h3>{f.propose_heading}</h3>
            {text("address", f.address, d.address, "text")}
            <p class="field__hint">{f.address_hint}</p>
            {select("level", f.level, d.level, vec![("caution", f.caution), ("police_escort", f.police_escort)])}
            {select(
                "category",
                f.category,
                d.category,
                vec![("weapon", f.weapon), ("violence", f.violence), ("threats", f.threats), ("dog", f.dog), ("other", f.other)],
            )}
            {area("guidance_sv", f.guidance_sv, d.guidance_sv)}
            {area("guidance_en", f.guidance_en, d.guidance_en)}
            {area("reason", f.reason, d.reason)}
            <p class="field__hint">{f.reason_hint}</p>
            {text("ends_on", f.ends_on, d.ends_on, "date")}
            {text("review_on", f.review_on, d.review_on, "date")}
            <p class="field__hint">{f.dates_hint}</p>
            {text("informed_on", f.informed_on, d.informed_on, "date")}
            {area("not_informed_reason", f.not_informed_reason, d.not_informed_reason)}
            <button type="submit" class="button button--primary" disabled=move || save.pending().get()>
                {f.propose}
            </button>
            {move || done.get().then(|| view! { <p class="notice" role="status">{f.proposed_ok}</p> })}
            {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        </form>
    }
}
