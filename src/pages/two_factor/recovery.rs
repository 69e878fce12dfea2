//! The recovery codes step of switching two-step verification on.

use leptos::prelude::*;

use super::forget_steps;

use crate::browser;
use crate::i18n::{use_sign_in_texts, use_texts};

/// The ten recovery codes, shown once, with copy and save; `done` when the person says they
/// have saved them (the codes are forgotten then).
#[component]
pub fn RecoveryStep(codes: Vec<String>, done: Callback<()>) -> impl IntoView {
    let (t, s) = (use_texts(), use_sign_in_texts());
    let status = RwSignal::new(None::<&'static str>);
    let text = StoredValue::new(format!("{}\n\n{}\n", s.recovery_file_title, codes.join("\n")));
    let copy_codes = Action::new_local(move |(): &()| async move {
        let ok = browser::copy_to_clipboard(&text.get_value()).await;
        status.set(Some(if ok { t.copied } else { t.copy_failed }));
    });
    let copy = move |_| {
        copy_codes.dispatch(());
    };
    let save = move |_| {
        let ok = browser::download_text(s.recovery_file_name, &text.get_value());
        status.set(Some(if ok { t.saved_as_text } else { t.save_failed }));
    };
    let finish = move |_| {
        forget_steps();
        done.run(());
    };
    let items = codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view();
    view! {
        <h1>{s.recovery_title}</h1>
        <p>{s.recovery_intro}</p>
        <p class="notice">{s.recovery_once}</p>
        <ol class="recovery-codes" aria-label=s.recovery_list_label data-testid="recovery-codes">
            {items}
        </ol>
        <div class="button-row">
            <button type="button" class="button" on:click=copy>{t.copy}</button>
            <button type="button" class="button" on:click=save>{t.save_as_text}</button>
        </div>
        <p class="copy-status" role="status">{move || status.get()}</p>
        <button type="button" class="button button--primary" on:click=finish>{s.recovery_done}</button>
    }
}
