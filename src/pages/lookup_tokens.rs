//! Look-up tokens for dispatch systems (`/samordnare/admin/uppslagsnycklar`, administrators):
//! the list, a new token (its secret shown once) and revoking one.

use leptos::prelude::*;

use crate::api::RowError;
use crate::api::flags::{Sent, create_lookup_token, lookup_tokens, revoke_lookup_token};
use crate::browser;
use crate::i18n::{use_flag_texts, use_texts};
use crate::pages::admin::use_admin_check;
use crate::pages::lookup::field_error;
use crate::pages::shell::{CoordinatorBar, error_text};
use trygg_wire::flags::LookupToken;

/// The page's path.
pub const TOKENS_PATH: &str = "/samordnare/admin/uppslagsnycklar";

#[component]
pub fn LookupTokensPage() -> impl IntoView {
    let t = use_texts();
    let f = use_flag_texts();
    browser::set_title(f.tokens_title, t.app_name);
    let (admin, problem) = use_admin_check();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        lookup_tokens()
    });
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<RowError>::new());
    let secret = RwSignal::new(None::<String>);
    let create = Action::new_local(move |n: &String| {
        let n = n.clone();
        async move {
            match create_lookup_token(&n).await {
                Ok(Sent::Done(tok)) => {
                    errors.set(vec![]);
                    name.set(String::new());
                    secret.set(tok.token);
                    reload.update(|r| *r += 1);
                }
                Ok(Sent::Refused(e)) => errors.set(e),
                Err(e) => problem.set(Some(error_text(t, &e))),
            }
        }
    });
    let revoke = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            if let Err(e) = revoke_lookup_token(&id).await {
                problem.set(Some(error_text(t, &e)));
            }
            reload.update(|r| *r += 1);
        }
    });
    let err = move || errors.with(|e| field_error(f, e, "name"));
    let rows = move |tokens: Vec<LookupToken>| {
        if tokens.is_empty() {
            return view! { <p>{f.tokens_none}</p> }.into_any();
        }
        let items = tokens
            .into_iter()
            .map(|tok| {
                let id = tok.id.clone();
                let revoked = tok.revoked_at.is_some();
                view! {
                    <li class="flag">
                        <p>
                            <strong>{tok.name.clone()}</strong>
                            " · "
                            {tok.created_at.chars().take(10).collect::<String>()}
                        </p>
                        {if revoked {
                            view! { <p>{f.token_revoked}</p> }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button" on:click=move |_| { revoke.dispatch(id.clone()); }>
                                    {format!("{} {}", f.token_revoke, tok.name)}
                                </button>
                            }
                                .into_any()
                        }}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="flags">{items}</ul> }.into_any()
    };
    view! {
        <CoordinatorBar />
        <h1>{f.tokens_title}</h1>
        {move || problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
        {move || (admin.get() == Some(false)).then(|| view! { <p class="notice notice--error" role="alert">{f.forbidden}</p> })}
        <div hidden=move || admin.get() != Some(true)>
            <p>{f.tokens_intro}</p>
            <form
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    create.dispatch(name.get_untracked());
                }
            >
                <div class="field">
                    <label for="token-name">{f.token_name}</label>
                    <input
                        id="token-name"
                        name="name"
                        type="text"
                        maxlength="100"
                        aria-describedby="token-name-error"
                        aria-invalid=move || err().is_some().to_string()
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <p class="field__error" id="token-name-error">{err}</p>
                </div>
                <button type="submit" class="button button--primary">{f.token_create}</button>
            </form>
            {move || secret.get().map(|s| view! { <p class="notice" role="status">{f.token_secret} " " <code>{s}</code></p> })}
            {move || match list.get() {
                Some(Ok(tokens)) => rows(tokens),
                Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{error_text(t, &e)}</p> }.into_any(),
                None => view! { <p role="status">{t.loading}</p> }.into_any(),
            }}
        </div>
    }
}
