//! The receipt page: proof that the report is stored, with the receipt code to keep — copied,
//! or saved as a small text file.

use leptos::prelude::*;

use crate::browser;
use crate::draft::Receipts;
use crate::i18n::{Texts, fill, use_lang, use_texts};
use crate::model::Receipt;
use crate::nav::Link;
use crate::outbox::sender::LastReceipt;
use crate::pages::start::FollowupLink;
use crate::storage::LocalStore;
use crate::task::Task;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let t = use_texts();
    let lang = use_lang();
    browser::set_title(t.receipt_code_label, t.app_name);
    let receipt = LastReceipt::use_context().0;
    // What the last button press did, for the status line.
    let status = RwSignal::new(None::<&'static str>);

    let copy_code = Task::new(move |code: &String| {
        let code = code.clone();
        async move {
            let ok = browser::copy_to_clipboard(&code).await;
            status.set(Some(if ok { t.copied } else { t.copy_failed }));
        }
    });
    let copy = move |_| {
        if let Some(code) = receipt.with_untracked(|r| r.as_ref().map(|r| r.receipt_code.clone())) {
            copy_code.dispatch(code);
        }
    };
    // Forgets the receipt on this device (a shared phone): the page then says so, without the code.
    let forgotten = RwSignal::new(false);
    let forget = move |_| {
        if let Some(r) = receipt.get_untracked() {
            Receipts::new(LocalStore).forget(&r.receipt_code);
        }
        forgotten.set(true);
        receipt.set(None);
    };
    let save = move |_| {
        let Some(r) = receipt.get_untracked() else {
            return;
        };
        let received = browser::format_datetime(lang.tag(), &r.received_at);
        let ok = browser::download_text(&fill(t.receipt_file_name, &r.receipt_code), &receipt_text(t, &r, &received));
        status.set(Some(if ok { t.saved_as_text } else { t.save_failed }));
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
                <div class="receipt-actions">
                    <button type="button" class="button" on:click=copy>{t.copy}</button>
                    <button type="button" class="button" on:click=save>{t.save_as_text}</button>
                </div>
                <p class="copy-status" role="status">{move || status.get()}</p>
                <p><FollowupLink code=r.receipt_code.clone() /></p>
                <crate::pages::attach::WaitingFiles />
                <p class="hint">{t.receipt_shared_device}</p>
                <p>
                    <button type="button" class="button" aria-label=fill(t.forget_one, &r.receipt_code) on:click=forget>
                        {t.forget}
                    </button>
                </p>
            </div>
            <p><Link href="/">{t.back_to_start}</Link></p>
        }
        .into_any(),
        None => view! {
            <h1>{t.receipt_missing}</h1>
            <p role="status">{move || forgotten.get().then_some(t.receipt_forgotten)}</p>
            <p><Link href="/">{t.back_to_start}</Link></p>
        }
        .into_any(),
    }
    }
}

/// The text file's content: what it is, the code, when it was received, and why to keep it.
fn receipt_text(t: &Texts, r: &Receipt, received: &str) -> String {
    format!(
        "{}\n\n{}: {}\n{}\n\n{}\n",
        t.receipt_file_title,
        t.receipt_code_label,
        r.receipt_code,
        fill(t.receipt_received, received),
        t.receipt_explainer
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_receipt_file_holds_the_code_and_why_to_keep_it() {
        let r = Receipt {
            id: "1".into(),
            receipt_code: "ABCD-EFGH-JKMN-PQRS".into(),
            received_at: "x".into(),
            last_opened_ms: 0,
            seen_answer_at: String::new(),
        };
        let text = receipt_text(Lang::Sv.texts(), &r, "2026-11-24 14:30");
        assert!(text.contains("Din kvittokod: ABCD-EFGH-JKMN-PQRS\nMottagen 2026-11-24 14:30."));
        assert!(text.contains("enda sättet"));
        assert_eq!(fill(Lang::En.texts().receipt_file_name, &r.receipt_code), "trygg-receipt-ABCD-EFGH-JKMN-PQRS.txt");
    }
}
