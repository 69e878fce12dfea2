//! The access log for administrators (`/samordnare/logg`): who read or changed which report and
//! when, newest first, a page at a time, and a check of the whole hash chain. A coordinator who
//! opens the page is told it is for administrators only.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, AUDIT_PAGE, ApiError};
use crate::browser;
use crate::components::busy_button::BusyButton;
use crate::components::data_table::{DataTable, LoadMore};
use crate::i18n::{Lang, Texts, fill, use_lang, use_texts};
use crate::model::{AuditEntry, AuditVerdict, Colleague};
use crate::pages::shell::{CoordinatorBar, INBOX_PATH, error_text, use_sign_in_redirect};

/// What an entry's action means, in words; unknown actions show as they are.
fn action_text(t: &Texts, action: &str) -> String {
    match action {
        "report.read" => t.audit_read,
        "report.update" => t.audit_update,
        "report.note" => t.audit_note,
        "report.message" => t.audit_message,
        other => other,
    }
    .to_owned()
}

/// Who did it: a colleague's name, the reporter (no account), or the id when unknown.
fn actor_text(t: &Texts, user_id: Option<&str>, colleagues: &[Colleague]) -> String {
    match user_id {
        None => t.case_reporter.to_owned(),
        Some(id) => colleagues
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.chars().take(8).collect(), |c| c.display_name.clone()),
    }
}

/// The result of the chain check, in words.
fn verdict_text(t: &Texts, v: &AuditVerdict) -> String {
    match (v.ok, v.broken_at) {
        (true, _) => fill(t.audit_ok, v.entries),
        (false, Some(at)) => fill(t.audit_broken, at),
        (false, None) => fill(t.audit_broken, "?"),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.audit_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    // None until the first page is in; then whether there may be more.
    let has_more = RwSignal::new(None::<bool>);
    let forbidden = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let verdict = RwSignal::new(None::<Result<AuditVerdict, String>>);
    let colleagues = LocalResource::new(api::coordinators);

    let load = Action::new_local(move |before: &Option<i64>| {
        let before = *before;
        let to_sign_in = to_sign_in.clone();
        async move {
            match api::audit(before).await {
                Ok(page) => {
                    has_more.set(Some(page.len() >= AUDIT_PAGE));
                    entries.update(|all| all.extend(page));
                    problem.set(None);
                }
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(ApiError::Other { status: 403, .. }) => forbidden.set(true),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    load.dispatch(None);
    let pending = load.pending();
    let next_page = Callback::new(move |()| {
        load.dispatch(entries.with_untracked(|e| e.last().map(|x| x.seq)));
    });

    let verify = Action::new_local(move |_: &()| async move {
        verdict.set(None);
        let result = api::audit_verify().await;
        verdict.set(Some(result.map_err(|e| error_text(t, &e))));
    });
    let verifying = verify.pending();
    let check_chain = Callback::new(move |()| {
        verify.dispatch(());
    });

    let names = Signal::derive(move || colleagues.get().and_then(Result::ok).unwrap_or_default());

    view! {
        <CoordinatorBar />
        <h1>{t.audit_title}</h1>
        <Show
            when=move || !forbidden.get()
            fallback=move || view! { <p class="notice notice--error" role="alert">{t.audit_forbidden}</p> }
        >
            <p>{t.audit_intro}</p>
            <div class="verify">
                <BusyButton pending=verifying press=check_chain class="button button--primary">
                    {t.audit_verify}
                </BusyButton>
                <p
                    class="verify__result"
                    class:verify__result--ok=move || matches!(verdict.get(), Some(Ok(AuditVerdict { ok: true, .. })))
                    class:verify__result--broken=move || matches!(verdict.get(), Some(Ok(AuditVerdict { ok: false, .. })))
                    role="status"
                    data-testid="audit-verdict"
                >
                    {move || {
                        if verifying.get() {
                            return Some(t.audit_verifying.to_owned());
                        }
                        verdict.get().map(|v| v.map_or_else(|e| e, |v| verdict_text(t, &v)))
                    }}
                </p>
            </div>
            {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
            {move || match has_more.get() {
                None if problem.with(Option::is_none) => Some(view! { <p role="status">{t.audit_loading}</p> }.into_any()),
                None => None,
                Some(_) if entries.with(Vec::is_empty) => Some(view! { <p>{t.audit_empty}</p> }.into_any()),
                Some(_) => Some(log_table(t, lang, entries, names).into_any()),
            }}
            <Show when=move || has_more.get() == Some(true)>
                <LoadMore pending load=next_page />
            </Show>
        </Show>
    }
}

fn log_table(
    t: &'static Texts,
    lang: Lang,
    entries: RwSignal<Vec<AuditEntry>>,
    names: Signal<Vec<Colleague>>,
) -> impl IntoView {
    view! {
        <DataTable
            caption_id="audit-caption"
            caption=t.audit_caption
            class="audit"
            columns=vec![t.col_seq, t.col_when, t.col_who, t.col_what, t.col_report, t.col_reason]
        >
            <For
                each=move || entries.get()
                key=|e| e.seq
                children=move |e| {
                    let who = {
                        let id = e.user_id.clone();
                        move || names.with(|n| actor_text(t, id.as_deref(), n))
                    };
                    let report = e.report_id.clone().map(|id| {
                        let short: String = id.chars().take(8).collect();
                        view! { <A href=format!("{INBOX_PATH}/{id}")>{fill(t.audit_open_report, short)}</A> }
                    });
                    view! {
                        <tr data-testid="audit-row">
                            <td>{e.seq}</td>
                            <td class="nowrap">{browser::format_datetime(lang.tag(), &e.at)}</td>
                            <td>{who}</td>
                            <td>{action_text(t, &e.action)}</td>
                            <td>{report}</td>
                            <td>{e.reason.clone().unwrap_or_default()}</td>
                        </tr>
                    }
                }
            />
        </DataTable>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_the_verdict_read_as_words() {
        let t = Lang::Sv.texts();
        assert_eq!(action_text(t, "report.read"), "Läste rapporten");
        assert_eq!(action_text(t, "user.created"), "user.created");
        let people = vec![Colleague { id: "u1".into(), display_name: "Sara".into(), role: "coordinator".into() }];
        assert_eq!(actor_text(t, Some("u1"), &people), "Sara");
        assert_eq!(actor_text(t, None, &people), "Rapportören");
        assert_eq!(actor_text(t, Some("0123456789"), &people), "01234567");
        let en = Lang::En.texts();
        assert_eq!(
            verdict_text(en, &AuditVerdict { ok: true, entries: 12, broken_at: None, problem: None, anchor_seq: None }),
            "The chain is intact: all 12 entries match."
        );
        assert_eq!(
            verdict_text(
                t,
                &AuditVerdict { ok: false, entries: 12, broken_at: Some(7), problem: None, anchor_seq: None }
            ),
            "Kedjan är bruten vid post 7. En post har ändrats eller tagits bort i efterhand."
        );
    }
}
