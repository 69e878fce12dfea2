//! The receipt page: proof that the report is stored, with the receipt code to keep.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::browser;
use crate::i18n::{fill, use_lang, use_texts};
use crate::state::LastReceipt;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.receipt_code_label, t.app_name);
    let receipt = LastReceipt::use_context().0;
    // None until the copy button is pressed, then whether copying worked.
    let copied = RwSignal::new(None::<bool>);

    let copy = move |_| {
        let Some(code) = receipt.with_untracked(|r| r.as_ref().map(|r| r.receipt_code.clone())) else {
            return;
        };
        spawn_local(async move {
            copied.set(Some(browser::copy_to_clipboard(&code).await));
        });
    };

    move || {
        match receipt.get() {
        Some(r) => view! {
            <h1>{t.receipt_title}</h1>
            <div class="receipt">
                <p class="receipt-label" id="receipt-code-label">{t.receipt_code_label}</p>
                <p class="receipt-code" data-testid="receipt-code" aria-labelledby="receipt-code-label">
                    {r.receipt_code.clone()}
                </p>
                <p class="receipt-time">{fill(t.receipt_received, browser::format_datetime(lang.tag(), &r.received_at))}</p>
                <p>{t.receipt_explainer}</p>
                <button type="button" class="button" on:click=copy>{t.copy}</button>
                <p class="copy-status" role="status">
                    {move || copied.get().map(|ok| if ok { t.copied } else { t.copy_failed })}
                </p>
            </div>
            <p><A href="/">{t.back_to_start}</A></p>
        }
        .into_any(),
        None => view! {
            <h1>{t.receipt_missing}</h1>
            <p><A href="/">{t.back_to_start}</A></p>
        }
        .into_any(),
    }
    }
}
