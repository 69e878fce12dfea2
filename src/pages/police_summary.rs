//! The police summary (issue 18.2): [`SummaryView`], the print-ready page in Swedish (whatever
//! the app's language: it is handed to the police; `lang="sv"` says so) — what happened in order,
//! when and where, who, witnesses, the evidence with each file's SHA-256, the reporter's own
//! words verbatim and the K-number; [`PoliceGuidance`], how to report to the police; and the
//! coordinator's page `/samordnare/inkorg/:id/polisanmalan` (each opening an audited read).
//! Print CSS (A4) is in `style/casework.css` (`.police-summary`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::api::after::police_summary;
use crate::browser;
use crate::i18n::after::{AfterTexts, use_after_texts};
use crate::i18n::use_texts;
use crate::pages::shell::{CoordinatorBar, INBOX_PATH, error_text, use_sign_in_redirect};
use trygg_wire::after::PoliceSummary;

/// The path of a report's summary page.
pub fn summary_path(report_id: &str) -> String {
    format!("{INBOX_PATH}/{report_id}/polisanmalan")
}

fn kind_sv(k: &str) -> &'static str {
    match k {
        "threat" => "Hot",
        "harassment" => "Hat eller trakasserier",
        "violence" => "Våld",
        "vandalism" => "Skadegörelse eller stöld",
        _ => "Annat",
    }
}

fn channel_sv(c: &str) -> &'static str {
    match c {
        "in_person" => "På plats",
        "phone" => "Telefon",
        "email_letter" => "E-post eller brev",
        "social_media" => "Sociala medier",
        _ => "Annat",
    }
}

fn role_sv(r: &str) -> &'static str {
    if r == "healthcare" { "Vårdpersonal" } else { "Förtroendevald" }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Ja" } else { "Nej" }
}

fn when(at: &str) -> String {
    browser::format_datetime("sv-SE", at)
}

/// The summary itself, in Swedish.
#[component]
pub fn SummaryView(summary: PoliceSummary) -> impl IntoView {
    let s = summary;
    let row = |label: &'static str, value: String| {
        view! {
            <div class="police-summary__row">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let opt = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty()).unwrap_or_else(|| "–".into());
    let place = if s.address_omitted { "Utelämnad på begäran".to_owned() } else { opt(&s.location) };
    let who = match &s.perpetrator {
        Some(p) if p == "known" => "Känd för den utsatta",
        Some(_) => "Okänd",
        None => "–",
    };
    let reporter = s.reporter.clone().map(|r| {
        let parts: Vec<String> = [r.name, r.phone, r.email].into_iter().flatten().collect();
        row("Anmälare", if parts.is_empty() { "–".into() } else { parts.join(", ") })
    });
    let evidence = if s.evidence.is_empty() {
        view! { <p>"Inga bifogade filer."</p> }.into_any()
    } else {
        view! {
            <table class="police-summary__evidence">
                <thead>
                    <tr>
                        <th scope="col">"Nr"</th>
                        <th scope="col">"Fil"</th>
                        <th scope="col">"SHA-256"</th>
                        <th scope="col">"Mottagen"</th>
                        <th scope="col">"Storlek (byte)"</th>
                    </tr>
                </thead>
                <tbody>
                    {s.evidence
                        .iter()
                        .map(|e| {
                            view! {
                                <tr data-testid="evidence-line">
                                    <td>{e.number}</td>
                                    <td>{e.name.clone()}</td>
                                    <td class="hash">{e.sha256.clone()}</td>
                                    <td>{when(&e.received_at)}</td>
                                    <td>{e.size_bytes}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let messages = s
        .messages
        .iter()
        .map(|m| {
            view! {
                <li>
                    <p class="police-summary__at">{when(&m.at)}</p>
                    <p class="verbatim">{m.body.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let has_messages = !s.messages.is_empty();
    view! {
        <article class="police-summary" lang="sv" data-testid="police-summary">
            <h2>"Sammanfattning för polisanmälan"</h2>
            <dl>
                {row("Polisens K-nummer", opt(&s.police_case_number))}
                {row("Händelsen inträffade", when(&s.occurred_at))}
                {row("Rapporterad i Trygg", when(&s.received_at))}
                {row("Plats", place)}
                {row("Typ av händelse", kind_sv(&s.kind).to_owned())}
                {row("Hur det nådde den utsatta", channel_sv(&s.channel).to_owned())}
                {row("Den utsattas roll", role_sv(&s.role).to_owned())}
                {row("Enhet", opt(&s.unit))}
                {reporter}
                {row("Gärningsperson", who.to_owned())}
                {row("Beskrivning av gärningspersonen", opt(&s.perpetrator_description))}
                {row("Vittnen", opt(&s.witnesses))}
                {row("Skada", yes_no(s.injury).to_owned())}
                {row("Materiell skada", yes_no(s.damage).to_owned())}
                {row("Sjukskrivning", yes_no(s.sick_leave).to_owned())}
            </dl>
            <h3>"Vad som hände, med den utsattas egna ord"</h3>
            <p class="verbatim" data-testid="summary-words">{s.description.clone()}</p>
            <Show when=move || has_messages>
                <h3>"Senare tillägg från den utsatta, i tidsordning"</h3>
            </Show>
            <ol class="police-summary__messages">{messages}</ol>
            <h3>"Bevis"</h3>
            {evidence}
            <p class="police-summary__footer">
                {format!("Ärende {} · sammanställd {}", s.report_id, when(&s.generated_at))}
            </p>
        </article>
    }
}

/// How to report to the police, and protected personal data (both languages).
#[component]
pub fn PoliceGuidance(a: &'static AfterTexts) -> impl IntoView {
    view! {
        <section class="guidance no-print" aria-labelledby="police-guidance">
            <h2 id="police-guidance">{a.guidance_heading}</h2>
            <p>{a.guidance_police}</p>
            <p>{a.guidance_protected}</p>
            <p>{a.guidance_summary}</p>
        </section>
    }
}

/// A print button (the browser's print dialog; print CSS leaves only the summary).
#[component]
pub fn PrintButton(a: &'static AfterTexts) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button no-print"
            on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }
        >
            {a.print}
        </button>
    }
}

#[component]
pub fn PoliceSummaryPage() -> impl IntoView {
    let t = use_texts();
    let a = use_after_texts();
    browser::set_title(a.summary_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let rid = StoredValue::new(id.clone());
    let summary = LocalResource::new(move || {
        let id = rid.get_value();
        async move { police_summary(&id).await }
    });
    Effect::new(move |_| {
        if summary.get().is_some_and(|r| r.as_ref().is_err_and(ApiError::needs_sign_in)) {
            to_sign_in();
        }
    });
    view! {
        <div class="no-print">
            <CoordinatorBar />
        </div>
        <h1 class="no-print">{a.summary_title}</h1>
        <p class="no-print">
            <A href=format!("{INBOX_PATH}/{id}")>{a.back_to_case}</A>
        </p>
        <PrintButton a />
        {move || match summary.get() {
            None => view! { <p role="status">{t.loading}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
            Some(Ok(s)) => view! { <SummaryView summary=s /> }.into_any(),
        }}
        <PoliceGuidance a />
    }
}
