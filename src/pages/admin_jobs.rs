//! Failed jobs for administrators (`/samordnare/admin/jobb`): the mail server's state (a warning
//! when it is missing or does not answer), and each job that failed after its last attempt
//! (what, how many attempts, the last error, when), with a retry button each. No report content
//! is ever shown: jobs hold ids only. A coordinator who opens the page is told it is for
//! administrators only.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::data_table::DataTable;
use crate::i18n::jobs::{JobsTexts, jobs_texts};
use crate::i18n::{fill, use_lang, use_texts};
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};
use trygg_wire::jobs::{FailedJob, JobsOverview, SmtpWarning};

/// The path of this page.
pub const JOBS_PATH: &str = "/samordnare/admin/jobb";

/// A job's kind in words; an unknown kind shows as it is.
fn kind_text(j: &JobsTexts, kind: &str) -> String {
    match kind {
        "mail.urgent_report" => j.kind_urgent_report,
        "mail.reporter_message" => j.kind_reporter_message,
        "mail.reminder" => j.kind_reminder,
        "mail.invitation" => j.kind_invitation,
        "mail.two_factor_reset" => j.kind_two_factor_reset,
        "mail.account_notice" => j.kind_account_notice,
        "scheduler.tick" => j.kind_tick,
        other => other,
    }
    .to_owned()
}

/// The mail server's state in words, and whether it is a warning.
fn smtp_text(j: &JobsTexts, warning: Option<SmtpWarning>) -> (&'static str, bool) {
    match warning {
        None => (j.smtp_ok, false),
        Some(SmtpWarning::NotConfigured) => (j.smtp_not_configured, true),
        Some(SmtpWarning::InvalidConfiguration) => (j.smtp_invalid, true),
        Some(SmtpWarning::Unreachable) => (j.smtp_unreachable, true),
    }
}

#[component]
pub fn AdminJobsPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let j = jobs_texts(lang);
    browser::set_title(j.title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let overview = RwSignal::new(None::<JobsOverview>);
    let forbidden = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<&'static str>);

    let load = Action::new_local(move |_: &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match api::admin_jobs().await {
                Ok(o) => {
                    overview.set(Some(o));
                    problem.set(None);
                }
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(ApiError::Other { status: 403, .. }) => forbidden.set(true),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    load.dispatch(());

    let retry = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            notice.set(None);
            match api::retry_job(&id).await {
                Ok(o) => {
                    overview.set(Some(o));
                    problem.set(None);
                    notice.set(Some(j.retried));
                }
                // Retried meanwhile by someone else: show the list as it is now.
                Err(ApiError::Other { status: 404, .. }) => {
                    notice.set(Some(j.retry_gone));
                    load.dispatch(());
                }
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let retrying = retry.pending();

    view! {
        <CoordinatorBar />
        <h1>{j.title}</h1>
        <Show
            when=move || !forbidden.get()
            fallback=move || view! { <p class="notice notice--error" role="alert">{j.forbidden}</p> }
        >
            <p>{j.intro}</p>
            {move || overview.get().map(|o| {
                let (text, warn) = smtp_text(j, o.smtp.warning);
                let class = if warn { "notice notice--error" } else { "notice" };
                view! { <p class=class role="status" data-testid="smtp-state">{text}</p> }
            })}
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            <p role="status">{move || notice.get()}</p>
            {move || match overview.get() {
                None if problem.with(Option::is_none) => Some(view! { <p role="status">{j.loading}</p> }.into_any()),
                None => None,
                Some(o) if o.failed.is_empty() => Some(view! { <p>{j.empty}</p> }.into_any()),
                Some(o) => Some(jobs_table(j, lang.tag(), o.failed, retry, retrying).into_any()),
            }}
        </Show>
    }
}

fn jobs_table(
    j: &'static JobsTexts,
    lang_tag: &'static str,
    failed: Vec<FailedJob>,
    retry: Action<String, ()>,
    retrying: Memo<bool>,
) -> impl IntoView {
    let rows = failed
        .into_iter()
        .map(|job| {
            let kind = kind_text(j, &job.kind);
            let label = fill(j.retry_label, &kind);
            let id = job.id.clone();
            view! {
                <tr data-testid="job-row">
                    <td>{kind}</td>
                    <td>{format!("{}/{}", job.attempts, job.max_attempts)}</td>
                    <td>{job.last_error.unwrap_or_default()}</td>
                    <td class="nowrap">{job.failed_at.map(|at| browser::format_datetime(lang_tag, &at))}</td>
                    <td>
                        <button
                            type="button"
                            class="button"
                            aria-label=label
                            aria-disabled=move || retrying.get().then_some("true")
                            on:click=move |_| {
                                if !retrying.get_untracked() {
                                    retry.dispatch(id.clone());
                                }
                            }
                        >
                            {j.retry}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable
            caption_id="jobs-caption"
            caption=j.caption
            class="jobs"
            columns=vec![j.col_kind, j.col_attempts, j.col_error, j.col_failed_at, j.col_action]
        >
            {rows}
        </DataTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::i18n::jobs::{EN, SV};

    #[test]
    fn kinds_and_the_mail_servers_state_read_as_words_in_both_languages() {
        assert_eq!(kind_text(&SV, "mail.urgent_report"), "E-post: brådskande rapport");
        assert_eq!(kind_text(&EN, "mail.invitation"), "Mail: invitation");
        assert_eq!(kind_text(&EN, "test.other"), "test.other");
        assert_eq!(smtp_text(&SV, None), (SV.smtp_ok, false));
        assert!(smtp_text(&EN, Some(SmtpWarning::Unreachable)).1);
        assert!(jobs_texts(Lang::En).smtp_not_configured.contains("TRYGG_SMTP_URL"));
    }
}
