//! The reporter's "Attach screenshot or photo" control (report form and follow-up, report bundle
//! only): up to 5 images, each kept on the device at once ([`crate::evidence_outbox`]) and shown
//! as a thumbnail, with a warning that a screenshot may show the reporter's own name and a
//! button to remove each. On the report form the files go out after the report's receipt; on
//! the follow-up (`receipt_code` given) the "Send the images" button sends them at once. What the
//! server refuses stays listed with the reason. [`WaitingFiles`] is the receipt page's list of
//! files still on their way.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::evidence_outbox::{self as kept, Kept};
use crate::i18n::use_evidence_texts;

/// Files per report, and bytes per file (the server's defaults; it checks again).
pub const MAX_FILES: usize = 5;
pub const MAX_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// Bumped after each round of uploads, so lists of kept files read them again.
#[derive(Clone, Copy)]
pub struct EvidenceTick(pub RwSignal<u32>);

/// Sends what is ready now, after every delivered report and whenever the browser is back
/// online. Called once by the report bundle's shell.
pub fn start_evidence_sender() {
    let tick = EvidenceTick(RwSignal::new(0));
    provide_context(tick);
    let round = move |delivered: Option<(String, String)>| {
        spawn_local(async move {
            match delivered {
                Some((key, code)) => kept::delivered(key, code).await,
                None => kept::send_ready().await,
            }
            tick.0.update(|n| *n += 1);
        });
    };
    round(None);
    let _ = window_event_listener(leptos::ev::online, move |_| round(None));
    let sender = crate::outbox::sender::OutboxSender::use_context();
    Effect::new(move |_| {
        if let Some((key, receipt)) = sender.delivered.get() {
            round(Some((key.to_string(), receipt.receipt_code)));
        }
    });
}

#[derive(Clone, PartialEq)]
struct Shown {
    id: String,
    name: String,
    url: Option<String>,
    refused: Option<String>,
}

fn shown(f: &Kept) -> Shown {
    Shown { id: f.id.clone(), name: f.name.clone(), url: kept::object_url(&f.bytes), refused: f.refused.clone() }
}

fn revoke(list: &[Shown]) {
    for s in list {
        if let Some(u) = &s.url {
            let _ = web_sys::Url::revoke_object_url(u);
        }
    }
}

#[component]
pub fn AttachControl(
    /// The report's idempotency key (report form) or any stable key (follow-up).
    report_key: Signal<String>,
    /// Set on the follow-up: files are sent at once with this code.
    #[prop(optional)]
    receipt_code: Option<Signal<String>>,
) -> impl IntoView {
    let e = use_evidence_texts();
    let files = RwSignal::new(Vec::<Shown>::new());
    let problem = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<&'static str>);
    let reload = move || {
        let key = report_key.get_untracked();
        spawn_local(async move {
            let list: Vec<Shown> = kept::of_report(&key).await.iter().map(shown).collect();
            files.update(|old| {
                revoke(old);
                *old = list;
            });
        });
    };
    Effect::new(move |_| {
        report_key.track();
        reload();
    });
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(list) = input.files() else { return };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        problem.set(None);
        note.set(None);
        let key = report_key.get_untracked();
        let code = receipt_code.map(|c| c.get_untracked());
        spawn_local(async move {
            for file in picked {
                if files.with_untracked(Vec::len) >= MAX_FILES {
                    problem.set(Some(e.too_many.to_owned()));
                    break;
                }
                let name = file.name();
                let lower = name.to_lowercase();
                if file.type_().contains("heic") || file.type_().contains("heif") || lower.ends_with(".heic") {
                    problem.set(Some(format!("{name}: {}", e.heic)));
                    continue;
                }
                if file.size() > MAX_BYTES {
                    problem.set(Some(format!("{name}: {}", e.too_big)));
                    continue;
                }
                let Some(bytes) = kept::read_file(&file).await else { continue };
                let f = Kept {
                    id: Uuid::new_v4().to_string(),
                    report_key: key.clone(),
                    receipt_code: code.clone(),
                    name,
                    bytes,
                    refused: None,
                };
                if kept::put(&f).await.is_ok() {
                    files.update(|l| l.push(shown(&f)));
                } else {
                    problem.set(Some(format!("{}: {}", f.name, e.failed)));
                }
            }
        });
    };
    let remove = move |id: String| {
        spawn_local(async move {
            let _ = kept::remove(&id).await;
            files.update(|l| {
                let (gone, stay): (Vec<_>, Vec<_>) = l.drain(..).partition(|s| s.id == id);
                revoke(&gone);
                *l = stay;
            });
        });
    };
    let tick = use_context::<EvidenceTick>();
    let send = move |_| {
        spawn_local(async move {
            kept::send_ready().await;
            if let Some(t) = tick {
                t.0.update(|n| *n += 1);
            }
            reload();
            note.set(Some(e.sent_ok));
        });
    };
    let input_id = "evidence-input";
    view! {
        <fieldset class="attach" data-testid="attach">
            <legend>{e.attach}</legend>
            <p class="hint" id="evidence-hint">{e.attach_hint}</p>
            <p class="notice" id="evidence-warning">{e.name_warning}</p>
            <label for=input_id>{e.choose}</label>
            <input
                id=input_id
                type="file"
                accept="image/jpeg,image/png,image/webp"
                multiple
                aria-describedby="evidence-hint evidence-warning"
                on:change=on_change
                prop:disabled=move || files.with(|l| l.len() >= MAX_FILES)
            />
            {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            <ul class="attach__list">
                {move || {
                    files
                        .get()
                        .into_iter()
                        .map(|s| {
                            let id = s.id.clone();
                            let label = format!("{} {}", e.remove, s.name);
                            view! {
                                <li class="attach__item" data-testid="attached-file">
                                    {s.url.map(|u| view! { <img class="attach__thumb" src=u alt=s.name.clone() width="96" /> })}
                                    <span>{s.name.clone()}</span>
                                    {s.refused.map(|c| view! { <span class="notice notice--error">{e.refusal(&c)}</span> })}
                                    <button type="button" class="button" aria-label=label on:click=move |_| remove(id.clone())>
                                        {e.remove}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {receipt_code.map(|_| view! {
                <button type="button" class="button button--primary" on:click=send
                    prop:disabled=move || files.with(Vec::is_empty)>{e.send_files}</button>
            })}
            {move || note.get().map(|n| view! { <p role="status">{n}</p> })}
        </fieldset>
    }
}

/// The receipt page's list of attached files not yet stored by the server: still on their way,
/// or refused (with the reason). Nothing when every file is sent.
#[component]
pub fn WaitingFiles() -> impl IntoView {
    let e = use_evidence_texts();
    let tick = use_context::<EvidenceTick>();
    let list = LocalResource::new(move || {
        if let Some(t) = tick {
            t.0.track();
        }
        kept::all()
    });
    view! {
        {move || list.get().filter(|l| !l.is_empty()).map(|l| {
            let items = l
                .into_iter()
                .map(|f| {
                    let why = f.refused.as_deref().map(|c| format!(" – {}", e.refusal(c))).unwrap_or_default();
                    view! { <li data-testid="waiting-file">{format!("{}{why}", f.name)}</li> }
                })
                .collect_view();
            view! {
                <section class="notice" role="status" data-testid="waiting-files">
                    <p>{e.waiting}</p>
                    <ul>{items}</ul>
                </section>
            }
        })}
    }
}
