//! Notices to reporters (`/samordnare/notiser`, coordinators and administrators): the list with
//! each notice's state today (upcoming, shown now, ended), a form to publish a new one or change
//! one (Swedish and English, audience, start and end date) and "end now". A refused form shows
//! each error next to its field and keeps what was typed; a stale edit (409) reloads the list
//! and keeps the form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::Role;
use trygg_wire::notices::{AUDIENCE_ALL, Notice, NoticeBody};

use crate::api::flags::Sent;
use crate::api::notices::{end_notice, notices, save_notice};
use crate::api::{ApiError, RowError};
use crate::browser;
use crate::i18n::notices::{NoticesTexts, notices_texts};
use crate::i18n::{use_lang, use_texts};
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};

/// The path of this page.
pub const NOTICES_PATH: &str = "/samordnare/notiser";

/// A field's error in words.
fn error_words(n: &NoticesTexts, code: &str) -> &'static str {
    match code.rsplit('.').next().unwrap_or_default() {
        "required" => n.err_required,
        "too_long" => n.err_too_long,
        "before_start" => n.err_before_start,
        "past" => n.err_past,
        _ => n.err_invalid,
    }
}

fn state_words(n: &NoticesTexts, state: &str) -> &'static str {
    match state {
        "upcoming" => n.state_upcoming,
        "current" => n.state_current,
        _ => n.state_ended,
    }
}

fn body_of(notice: &Notice) -> NoticeBody {
    NoticeBody {
        title_sv: notice.title_sv.clone(),
        title_en: notice.title_en.clone(),
        body_sv: notice.body_sv.clone(),
        body_en: notice.body_en.clone(),
        audience: notice.audience.clone(),
        starts_on: notice.starts_on.clone(),
        ends_on: notice.ends_on.clone(),
        version: notice.version,
    }
}

fn blank() -> NoticeBody {
    NoticeBody { audience: AUDIENCE_ALL.into(), ..NoticeBody::default() }
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = use_texts();
    let n = notices_texts(use_lang());
    browser::set_title(n.title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let list = RwSignal::new(None::<Vec<Notice>>);
    let forbidden = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<&'static str>);
    let form = RwSignal::new(blank());
    let editing = RwSignal::new(None::<i64>);
    let errors = RwSignal::new(Vec::<RowError>::new());

    let load = Action::new_local(move |_: &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match notices().await {
                Ok(all) => list.set(Some(all)),
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(ApiError::Other { status: 403, .. }) => forbidden.set(true),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    load.dispatch(());

    // One outcome handler for publishing, changing and ending.
    let done = move |sent: Result<Sent<Notice>, ApiError>, message: &'static str| match sent {
        Ok(Sent::Done(_)) => {
            form.set(blank());
            editing.set(None);
            errors.set(Vec::new());
            problem.set(None);
            status.set(Some(message));
            load.dispatch(());
        }
        Ok(Sent::Refused(fields)) => {
            if let Some(first) = fields.first() {
                browser::focus_by_id(&format!("notice-{}", first.field));
            }
            errors.set(fields);
        }
        Err(ApiError::Other { status: 409, .. }) => {
            status.set(Some(n.conflict));
            load.dispatch(());
        }
        Err(e) => problem.set(Some(error_text(t, &e))),
    };
    let save = Action::new_local(move |(id, body): &(Option<i64>, NoticeBody)| {
        let (id, body) = (*id, body.clone());
        async move { done(save_notice(id, &body).await, n.saved) }
    });
    let end = Action::new_local(move |(id, version): &(i64, i64)| {
        let (id, version) = (*id, *version);
        async move { done(end_notice(id, version).await, n.ended) }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !save.pending().get_untracked() {
            status.set(None);
            save.dispatch((editing.get_untracked(), form.get_untracked()));
        }
    };

    let field = move |name: &'static str, label: &'static str, kind: &'static str| {
        let id = format!("notice-{name}");
        let error = move || errors.with(|all| all.iter().find(|e| e.field == name).map(|e| error_words(n, &e.code)));
        let get = move || {
            form.with(|f| match name {
                "title_sv" => f.title_sv.clone(),
                "title_en" => f.title_en.clone(),
                "body_sv" => f.body_sv.clone(),
                "body_en" => f.body_en.clone(),
                "starts_on" => f.starts_on.clone(),
                _ => f.ends_on.clone(),
            })
        };
        let set = move |ev| {
            let v = event_target_value(&ev);
            errors.update(|all| all.retain(|e| e.field != name));
            form.update(|f| match name {
                "title_sv" => f.title_sv = v,
                "title_en" => f.title_en = v,
                "body_sv" => f.body_sv = v,
                "body_en" => f.body_en = v,
                "starts_on" => f.starts_on = v,
                _ => f.ends_on = v,
            })
        };
        let error_id = format!("{id}-error");
        let described = move || error().map(|_| error_id.clone());
        let input = if kind == "textarea" {
            view! { <textarea id=id.clone() rows=4 prop:value=get on:input=set aria-describedby=described.clone() aria-invalid=move || error().map(|_| "true")></textarea> }.into_any()
        } else {
            view! { <input type=kind id=id.clone() prop:value=get on:input=set aria-describedby=described.clone() aria-invalid=move || error().map(|_| "true") /> }.into_any()
        };
        view! {
            <div class="field" class:field--error=move || error().is_some()>
                <label for=id.clone()>{label}</label>
                {move || error().map(|e| view! { <p id=format!("notice-{name}-error") class="field-error">{e}</p> })}
                {input}
            </div>
        }
    };
    let lang = use_lang();
    let audiences = move || {
        std::iter::once((AUDIENCE_ALL, n.audience_all))
            .chain(Role::ALL.iter().map(|&r| (r.as_str(), lang.start_texts().role(r))))
            .map(|(value, label)| view! { <option value=value selected=move || form.with(|f| f.audience == value)>{label}</option> })
            .collect_view()
    };

    view! {
        <CoordinatorBar />
        <h1>{n.title}</h1>
        <Show when=move || !forbidden.get() fallback=move || view! { <p class="notice notice--error" role="alert">{n.forbidden}</p> }>
            <p>{n.intro}</p>
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <p role="status" data-testid="notices-status">{move || status.get()}</p>
            <section aria-labelledby="notices-list">
                <h2 id="notices-list">{n.list_heading}</h2>
                {move || match list.get() {
                    None => view! { <p>{n.loading}</p> }.into_any(),
                    Some(all) if all.is_empty() => view! { <p>{n.empty}</p> }.into_any(),
                    Some(all) => view! {
                        <ul class="contacts">
                            {all.into_iter().map(|notice| {
                                let (id, version) = (notice.id, notice.version);
                                let ended = notice.state == "ended";
                                let body = body_of(&notice);
                                view! {
                                    <li data-testid="notice-row">
                                        <strong>{notice.title_sv.clone()}</strong>
                                        " · " {state_words(n, &notice.state)}
                                        " · " {format!("{} – {}", notice.starts_on, notice.ends_on)}
                                        <p>{notice.body_sv.clone()}</p>
                                        <button type="button" class="button" aria-label=format!("{} {}", n.edit, notice.title_sv) on:click=move |_| {
                                            form.set(body.clone());
                                            editing.set(Some(id));
                                            errors.set(Vec::new());
                                            browser::focus_by_id("notice-title_sv");
                                        }>{n.edit}</button>
                                        {(!ended).then(|| view! {
                                            <button type="button" class="button" aria-label=format!("{} {}", n.end, notice.title_sv) on:click=move |_| { end.dispatch((id, version)); }>{n.end}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
            <form class="notice-form" novalidate on:submit=submit aria-labelledby="notice-form-heading">
                <h2 id="notice-form-heading">{move || if editing.get().is_some() { n.edit_heading } else { n.new_heading }}</h2>
                {field("title_sv", n.title_sv, "text")}
                {field("body_sv", n.body_sv, "textarea")}
                {field("title_en", n.title_en, "text")}
                {field("body_en", n.body_en, "textarea")}
                <div class="field">
                    <label for="notice-audience">{n.audience}</label>
                    <select id="notice-audience" on:change=move |ev| form.update(|f| f.audience = event_target_value(&ev))>{audiences()}</select>
                </div>
                {field("starts_on", n.starts_on, "date")}
                {field("ends_on", n.ends_on, "date")}
                <button type="submit" class="button button--primary">{n.save}</button>
                {move || editing.get().map(|_| view! {
                    <button type="button" class="button" on:click=move |_| { form.set(blank()); editing.set(None); errors.set(Vec::new()); }>{n.cancel}</button>
                })}
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::notices::{EN, SV};

    #[test]
    fn field_errors_and_states_read_as_words_in_both_languages() {
        assert_eq!(error_words(&SV, "ends_on.before_start"), SV.err_before_start);
        assert_eq!(error_words(&EN, "title_sv.required"), EN.err_required);
        assert_eq!(error_words(&EN, "audience.invalid"), EN.err_invalid);
        assert_eq!(state_words(&SV, "current"), "Visas nu");
        assert_eq!(state_words(&EN, "upcoming"), "Upcoming");
    }
}
