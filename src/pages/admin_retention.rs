//! Retention for administrators (`/samordnare/admin/gallring`): how many months closed reports
//! are kept (6–120), the dry run (how many would go now, closed in which weeks) and a purge on
//! demand. A 409 (someone else changed the period first) shows the newer period and keeps the
//! number typed.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{Field, FieldError, parse_retention_months};

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::busy_button::BusyButton;
use crate::components::form_field::FormField;
use crate::i18n::admin::use_admin_texts;
use crate::i18n::{fill, use_texts};
use crate::model::{Retention, RetentionBody, RetentionPreview};
use crate::pages::admin_content_nav::{AdminNav, Status, error_of};
use crate::pages::shell::use_sign_in_redirect;

#[component]
pub fn AdminRetentionPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    browser::set_title(a.retention_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let status = Status::new();
    let setting = RwSignal::new(None::<Retention>);
    let months = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let preview = RwSignal::new(None::<RetentionPreview>);

    let load = Action::new_local(move |keep_typed: &bool| {
        let (keep_typed, to_sign_in) = (*keep_typed, to_sign_in.clone());
        async move {
            match api::retention().await {
                Ok(r) => {
                    if !keep_typed {
                        months.set(r.months.to_string());
                    }
                    setting.set(Some(r));
                }
                Err(e) if e.needs_sign_in() => return to_sign_in(),
                Err(e) => return status.fail(t, &e),
            }
            match api::retention_preview().await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => status.fail(t, &e),
            }
        }
    });
    load.dispatch(false);

    let save = Action::new_local(move |body: &RetentionBody| {
        let body = *body;
        async move {
            match api::set_retention(&body).await {
                Ok(r) => {
                    setting.set(Some(r));
                    status.done(a.saved);
                    load.dispatch(false);
                }
                Err(ApiError::Validation(fields)) => {
                    browser::focus_by_id("admin-months");
                    errors.set(fields);
                }
                Err(e) if e.is_version_conflict() => {
                    status.done(a.conflict);
                    load.dispatch(true);
                }
                Err(e) => status.fail(t, &e),
            }
        }
    });
    let purged = RwSignal::new(None::<i64>);
    let purge = Action::new_local(move |_: &()| async move {
        match api::purge_now().await {
            Ok(run) => {
                preview.set(None);
                purged.set(Some(run.purged));
                load.dispatch(true);
            }
            Err(e) => status.fail(t, &e),
        }
    });
    let purging = purge.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = months.get_untracked();
        let parsed =
            typed.trim().parse::<i64>().map_err(|_| FieldError::new(Field::Months, trygg_domain::ErrorKind::Invalid));
        match parsed.and_then(parse_retention_months) {
            Ok(m) => {
                errors.set(Vec::new());
                let version = setting.with_untracked(|s| s.as_ref().map_or(0, |s| s.version));
                save.dispatch(RetentionBody { months: m, version });
            }
            Err(e) => {
                browser::focus_by_id("admin-months");
                errors.set(vec![e]);
            }
        }
    };

    view! {
        <AdminNav />
        <h1>{a.retention_title}</h1>
        <p>{a.retention_intro}</p>
        {status.view()}
        <form class="admin-form" novalidate on:submit=submit>
            <FormField id="admin-months" label=t.field_label(Field::Months) hint=a.hint_months error=error_of(errors, Field::Months)>
                <input type="number" id="admin-months" name="months" min="6" max="120" inputmode="numeric"
                    prop:value=move || months.get() on:input=move |ev| months.set(event_target_value(&ev)) />
            </FormField>
            <button type="submit" class="button button--primary">{a.save}</button>
        </form>
        <section aria-labelledby="dry-run-heading">
            <h2 id="dry-run-heading">{a.dry_run_heading}</h2>
            <p role="status" data-testid="dry-run">
                {move || purged.get().map(|n| fill(a.purged, n))}
                " "
                {move || preview.get().map(|p| match p.count {
                    0 => a.dry_run_none.to_owned(),
                    n => {
                        let weeks = match (p.first_week, p.last_week) {
                            (Some(f), Some(l)) if f != l => format!("{f} – {l}"),
                            (Some(f), _) => f,
                            _ => String::new(),
                        };
                        format!("{} {}", fill(a.dry_run_some, n), fill(a.dry_run_weeks, weeks))
                    }
                })}
            </p>
            <div class="admin-form__actions">
                <button type="button" class="button" on:click=move |_| { load.dispatch(true); }>{a.dry_run_again}</button>
                <Show when=move || preview.get().is_some_and(|p| p.count > 0)>
                    <BusyButton pending=purging press=Callback::new(move |()| { purge.dispatch(()); }) class="button button--danger">
                        {a.purge_now}
                    </BusyButton>
                </Show>
            </div>
        </section>
    }
}
