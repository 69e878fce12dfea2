//! The reporter's follow-up page: with the receipt code alone, see the status, the closing
//! reason and the coordinators' answers, and write back. The code is sent in a POST body only.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{ErrorKind, Field, FieldError, IncidentKind, ReceiptCode, Status, parse_body};

use crate::api::{self, ApiError};
use crate::browser;
use crate::browser::now_ms;
use crate::components::fields::ErrorText;
use crate::draft::Receipts;
use crate::i18n::{Texts, fill, label_or_raw, use_lang, use_texts};
use crate::model::Thread;
use crate::storage::LocalStore;
use crate::storage::{FOLLOWUP_CODE_KEY, session_storage};
use crate::task::Task;

/// The first error on `field` in a server's 422, if any.
pub fn error_on(e: &ApiError, field: Field) -> Option<FieldError> {
    match e {
        ApiError::Validation(fields) => fields.iter().find(|f| f.field == field).copied(),
        _ => None,
    }
}

/// The message for an answer that is not about a field.
pub fn problem_text(t: &Texts, e: &ApiError) -> String {
    match e {
        ApiError::Network => t.network_error.to_owned(),
        ApiError::Other { status: 429, .. } => t.followup_rate_limited.to_owned(),
        e => fill(t.server_error, e.code()),
    }
}

/// The receipt code as typed, checked like the server does before it is sent.
fn check_code(raw: &str) -> Option<FieldError> {
    if raw.trim().is_empty() {
        Some(FieldError::new(Field::ReceiptCode, ErrorKind::Required))
    } else if ReceiptCode::parse(raw).is_none() {
        Some(FieldError::new(Field::ReceiptCode, ErrorKind::Invalid))
    } else {
        None
    }
}

#[component]
pub fn FollowupPage() -> impl IntoView {
    let t = use_texts();
    browser::set_title(t.followup_title, t.app_name);
    let code = RwSignal::new(FollowupCode::take().unwrap_or_default());
    let code_error = RwSignal::new(None::<FieldError>);
    let problem = RwSignal::new(None::<String>);
    let thread = RwSignal::new(None::<Thread>);
    // What the last reply did; outlives the thread's re-render after a reply.
    let reply_status = RwSignal::new(None::<String>);

    let lookup = Task::new(move |raw: &String| {
        let raw = raw.clone();
        async move {
            match api::followup(&raw).await {
                Ok(found) => {
                    // Opened: a receipt kept on this device starts its idle time again.
                    Receipts::new(LocalStore).opened(&raw, now_ms());
                    // Its answers are now seen: "my reports" no longer says "new answer".
                    if let Some(at) = &found.last_answer_at {
                        Receipts::new(LocalStore).seen_answer(&raw, at);
                    }
                    problem.set(None);
                    thread.set(Some(found));
                }
                Err(e) => {
                    thread.set(None);
                    match error_on(&e, Field::ReceiptCode) {
                        Some(fe) => {
                            code_error.set(Some(fe));
                            browser::focus_by_id("receipt_code");
                        }
                        None => problem.set(Some(problem_text(t, &e))),
                    }
                }
            }
        }
    });
    let pending = lookup.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let raw = code.get_untracked();
        code_error.set(check_code(&raw));
        problem.set(None);
        if code_error.get_untracked().is_some() {
            browser::focus_by_id("receipt_code");
        } else {
            lookup.dispatch(raw);
        }
    };
    // A code handed over by a link is looked up at once.
    if !code.get_untracked().is_empty() && check_code(&code.get_untracked()).is_none() {
        lookup.dispatch(code.get_untracked());
    }

    view! {
        <h1>{t.followup_title}</h1>
        <p class="lead">{t.followup_intro}</p>
        <form class="followup-form" novalidate on:submit=submit>
            <div class="field" class:field--error=move || code_error.get().is_some()>
                <label for="receipt_code">{t.label_receipt_code}</label>
                <ErrorText id="receipt_code" error=code_error.into() />
                <input
                    type="text"
                    id="receipt_code"
                    name="receipt_code"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    prop:value=move || code.get()
                    on:input=move |ev| {
                        code.set(event_target_value(&ev));
                        code_error.set(None);
                    }
                    aria-invalid=move || code_error.get().map(|_| "true")
                    aria-describedby=move || code_error.get().map(|_| "receipt_code-error")
                />
            </div>
            <button type="submit" class="button button--primary">{t.followup_show}</button>
        </form>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        {move || thread.get().map(|th| view! { <ThreadView thread=th code=code.get_untracked() on_reply=thread status_line=reply_status /> })}
        {move || thread.get().map(|th| view! { <crate::pages::followup_after::ReporterAfter code=code.get_untracked() steps=th.next_steps /> })}
    }
}

/// The report's state, the messages, and the reply form.
#[component]
fn ThreadView(
    thread: Thread,
    code: String,
    on_reply: RwSignal<Option<Thread>>,
    status_line: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    let code = StoredValue::new(code);
    let body = RwSignal::new(String::new());
    let body_error = RwSignal::new(None::<FieldError>);
    let reply = Task::new(move |text: &String| {
        let text = text.clone();
        async move {
            match api::followup_reply(&code.get_value(), &text).await {
                Ok(updated) => {
                    body.set(String::new());
                    status_line.set(Some(t.followup_sent.to_owned()));
                    on_reply.set(Some(updated));
                }
                Err(e) => match error_on(&e, Field::Body) {
                    Some(fe) => body_error.set(Some(fe)),
                    None => status_line.set(Some(problem_text(t, &e))),
                },
            }
        }
    });
    let pending = reply.pending();
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        status_line.set(None);
        match parse_body(&body.get_untracked()) {
            Ok(text) => {
                body_error.set(None);
                reply.dispatch(text.as_str().to_owned());
            }
            Err(errors) => {
                body_error.set(errors.first().copied());
                browser::focus_by_id("body");
            }
        }
    };

    let status = label_or_raw::<Status>(&thread.status, |s| t.status(s));
    let received = browser::format_datetime(lang.tag(), &thread.received_at);
    let messages = thread
        .messages
        .iter()
        .map(|m| {
            let from = if m.from == "reporter" { t.followup_from_you } else { t.followup_from_coordinator };
            view! {
                <li class="message" class:message--mine=m.from == "reporter" data-testid="followup-message">
                    <p class="message__meta">
                        <strong>{from}</strong>
                        " · "
                        {browser::format_datetime(lang.tag(), &m.at)}
                    </p>
                    <p class="message__body">{m.body.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let empty = thread.messages.is_empty();
    let kind = label_or_raw::<IncidentKind>(&thread.kind, |k| t.kind(k));
    let occurred = browser::format_datetime(lang.tag(), &thread.occurred_at);
    let expected = thread.answer_expected_by.as_deref().map(|at| {
        let rule = if thread.urgent { t.followup_expect_urgent } else { t.followup_expect_routine };
        format!("{} {rule}", fill(t.followup_expect, browser::format_datetime(lang.tag(), at)))
    });

    view! {
        <section class="followup" aria-labelledby="followup-state">
            <h2 id="followup-state" class="visually-hidden">{t.followup_status}</h2>
            <dl class="details">
                <dt>{t.followup_about}</dt>
                <dd data-testid="followup-about">
                    {kind}
                    " · "
                    {occurred}
                    <br />
                    <q>{thread.excerpt.clone()}</q>
                </dd>
                <dt>{t.followup_received}</dt>
                <dd>{received}</dd>
                <dt>{t.followup_status}</dt>
                <dd data-testid="followup-status">{status}</dd>
                {thread
                    .closed_reason
                    .clone()
                    .map(|r| view! { <dt>{t.label_closed_reason}</dt> <dd>{r}</dd> })}
            </dl>
            {expected.map(|e| view! { <p class="notice" data-testid="followup-expected">{e}</p> })}
        </section>
        <section aria-labelledby="followup-messages">
            <h2 id="followup-messages">{t.followup_messages}</h2>
            {empty.then(|| view! { <p>{t.followup_no_messages}</p> })}
            <ol class="messages">{messages}</ol>
        </section>
        <form class="reply-form" novalidate on:submit=send>
            <fieldset class="field" class:field--error=move || body_error.get().is_some()>
                <legend>{t.followup_reply_legend}</legend>
                <label for="body">{t.label_body}</label>
                <ErrorText id="body" error=body_error.into() />
                <textarea
                    id="body"
                    name="body"
                    rows=4
                    prop:value=move || body.get()
                    on:input=move |ev| {
                        body.set(event_target_value(&ev));
                        body_error.set(None);
                    }
                    aria-invalid=move || body_error.get().map(|_| "true")
                    aria-describedby=move || body_error.get().map(|_| "body-error")
                ></textarea>
            </fieldset>
            <button type="submit" class="button button--primary">{t.followup_send}</button>
            <p class="copy-status" role="status">{move || status_line.get()}</p>
        </form>
        <crate::pages::attach::AttachControl
            report_key=Signal::stored(format!("followup:{}", code.get_value()))
            receipt_code=Signal::stored(code.get_value())
        />
    }
}

/// The receipt code a "follow up" link hands to the follow-up page. It never goes into a URL
/// (and so never into a server log). The follow-up page is in the report bundle and the start
/// page's list of reports in the start bundle, so the link is a page load: the code waits in
/// this tab's `sessionStorage` (a copy of one already kept in "my reports") until the follow-up
/// page takes it, at once.
pub struct FollowupCode;

impl FollowupCode {
    /// Hands `code` to the next follow-up page this tab opens.
    pub fn hand(code: &str) {
        if let Some(s) = session_storage() {
            let _ = s.set_item(FOLLOWUP_CODE_KEY, code);
        }
    }

    /// The code handed over, if any; it is removed as it is read.
    pub fn take() -> Option<String> {
        let s = session_storage()?;
        let code = s.get_item(FOLLOWUP_CODE_KEY).ok().flatten();
        let _ = s.remove_item(FOLLOWUP_CODE_KEY);
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_checked_before_it_is_sent() {
        assert_eq!(check_code("  ").map(|e| e.code()), Some("receipt_code.required".into()));
        assert_eq!(check_code("nope!").map(|e| e.code()), Some("receipt_code.invalid".into()));
    }

    #[test]
    fn a_server_field_error_is_found_and_429_says_wait() {
        let e = ApiError::Validation(vec![FieldError::new(Field::ReceiptCode, ErrorKind::Invalid)]);
        assert_eq!(error_on(&e, Field::ReceiptCode).map(|e| e.code()), Some("receipt_code.invalid".into()));
        assert_eq!(error_on(&e, Field::Body), None);
        let t = crate::i18n::Lang::Sv.texts();
        assert_eq!(
            problem_text(t, &ApiError::Other { status: 429, code: "rate_limited".into() }),
            t.followup_rate_limited
        );
    }
}
