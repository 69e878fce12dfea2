//! The accounts page (`/samordnare/admin/konton`): every account with its roles, state, last
//! sign-in and two-step state; inviting a person ([`super::invite`]); per account: change roles,
//! disable or enable, reset two-step verification, a new invitation link, delete (after a
//! confirmation). Each change carries the version shown; when someone else changed the account
//! first, the row shows the newer state and the page says so.

use leptos::prelude::*;

use crate::api::accounts::{self, Failure};
use crate::browser;
use crate::components::data_table::DataTable;
use crate::i18n::accounts::{AccountTexts, use_account_texts};
use crate::i18n::{Lang, Texts, fill, use_lang, use_texts};
use crate::model::roles;
use crate::pages::admin::invite::{InviteForm, LinkBox};
use crate::pages::admin::use_admin_check;
use crate::pages::shell::{CoordinatorBar, error_text, use_sign_in_redirect};
use trygg_wire::accounts::{Account, Invitation};

/// The page-level message after an action: `Ok` a status, `Err` an alert.
type Message = Option<Result<String, String>>;

/// What to say about a failed change.
pub fn failure_text(t: &'static Texts, a: &'static AccountTexts, f: &Failure) -> String {
    match f {
        Failure::Stale(_) => a.err_stale.to_owned(),
        Failure::Fields(fields) => fields.first().map_or(a.err_required, |(f, k)| a.field_error(f, k)).to_owned(),
        Failure::Api(e) => match e.code().as_str() {
            trygg_wire::accounts::codes::LAST_ADMIN => a.err_last_admin.to_owned(),
            trygg_wire::accounts::codes::DELETED => a.err_deleted.to_owned(),
            "forbidden" => a.admin_only.to_owned(),
            _ => error_text(t, e),
        },
    }
}

fn state_text(a: &AccountTexts, acc: &Account) -> &'static str {
    match acc.state.as_str() {
        _ if acc.deleted => a.state_deleted,
        "active" => a.state_active,
        "invited" => a.state_invited,
        _ => a.state_disabled,
    }
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    browser::set_title(a.accounts_title, t.app_name);
    let (admin, problem) = use_admin_check();
    let to_sign_in = use_sign_in_redirect();
    let list = RwSignal::new(None::<Vec<Account>>);
    let message = RwSignal::new(None::<Result<String, String>>);
    let link = RwSignal::new(None::<Invitation>);

    let load = Action::new_local(move |(): &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match accounts::list().await {
                Ok(all) => list.set(Some(all)),
                Err(Failure::Api(e)) if e.needs_sign_in() => to_sign_in(),
                Err(f) => message.set(Some(Err(failure_text(t, a, &f)))),
            }
        }
    });
    Effect::new(move |_| {
        if admin.get() == Some(true) {
            load.dispatch(());
        }
    });
    let replace = move |acc: Account| {
        list.update(|l| {
            if let Some(all) = l {
                match all.iter_mut().find(|x| x.id == acc.id) {
                    Some(slot) => *slot = acc,
                    None => all.push(acc),
                }
            }
        })
    };
    let invited = Callback::new(move |inv: Invitation| {
        replace(inv.account.clone());
        message.set(Some(Ok(fill(a.invite_done, &inv.account.email))));
        link.set(Some(inv));
    });
    let changed = Callback::new(move |result: Result<Account, Failure>| match result {
        Ok(acc) => {
            replace(acc);
            message.set(Some(Ok(a.saved.to_owned())));
        }
        Err(f) => {
            if let Failure::Stale(current) = &f {
                replace((**current).clone());
            }
            message.set(Some(Err(failure_text(t, a, &f))));
        }
    });
    let relinked = Callback::new(move |result: Result<Invitation, Failure>| match result {
        Ok(inv) => invited.run(inv),
        Err(f) => changed.run(Err(f)),
    });

    view! {
        <CoordinatorBar />
        <h1>{a.accounts_title}</h1>
        {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        {move || (admin.get() == Some(false)).then(|| view! { <p class="notice notice--error" role="alert">{a.admin_only}</p> })}
        <div hidden=move || admin.get() != Some(true)>
            <InviteForm invited />
            {move || link.get().map(|inv| view! { <LinkBox invitation=inv /> })}
            <div aria-live="polite">{move || message_view(message.get())}</div>
            {move || list.get().map(|all| table(t, a, use_lang(), all, changed, relinked))}
        </div>
    }
}

fn message_view(m: Message) -> Option<AnyView> {
    m.map(|m| match m {
        Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
        Err(text) => view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any(),
    })
}

fn table(
    t: &'static Texts,
    a: &'static AccountTexts,
    lang: Lang,
    all: Vec<Account>,
    changed: Callback<Result<Account, Failure>>,
    relinked: Callback<Result<Invitation, Failure>>,
) -> impl IntoView {
    let _ = t;
    let columns =
        vec![a.col_name, a.col_email, a.col_roles, a.col_state, a.col_last_login, a.col_two_factor, a.col_actions];
    let rows = all
        .into_iter()
        .map(|acc| {
            let roles_text = acc.roles.iter().map(|r| a.role_short(r).to_owned()).collect::<Vec<_>>().join(", ");
            let last = acc
                .last_login_at
                .as_deref()
                .map_or_else(|| a.never.to_owned(), |at| browser::format_datetime(lang.tag(), at));
            let state = match &acc.invitation_expires_at {
                Some(until) => format!(
                    "{} ({})",
                    state_text(a, &acc),
                    fill(a.invitation_until, browser::format_datetime(lang.tag(), until))
                ),
                None => state_text(a, &acc).to_owned(),
            };
            let two = if acc.totp_enabled { a.two_factor_on } else { a.two_factor_off };
            let (name, email, deleted) = (acc.display_name.clone(), acc.email.clone(), acc.deleted);
            let key = email.clone();
            view! {
                <tr data-account=key>
                    <td>{name}</td>
                    <td>{email}</td>
                    <td>{roles_text}</td>
                    <td>{state}</td>
                    <td>{last}</td>
                    <td>{two}</td>
                    <td>{(!deleted).then(move || view! { <RowActions account=acc changed relinked /> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable caption_id="accounts-caption" caption=a.accounts_caption columns>
            {rows}
        </DataTable>
    }
}

/// One account's buttons, and its role editor and delete confirmation when opened.
#[component]
fn RowActions(
    account: Account,
    changed: Callback<Result<Account, Failure>>,
    relinked: Callback<Result<Invitation, Failure>>,
) -> impl IntoView {
    let a = use_account_texts();
    let id = StoredValue::new(account.id.clone());
    let version = account.version;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let chosen = RwSignal::new(account.roles.clone());
    let act = Action::new_local(move |action: &&'static str| {
        let action = *action;
        async move {
            let id = id.get_value();
            match action {
                "roles" => changed.run(accounts::set_roles(&id, chosen.get_untracked(), version).await),
                "invitation" => relinked.run(accounts::reinvite(&id, version).await),
                other => changed.run(accounts::change(&id, other, version).await),
            }
        }
    });
    let pending = act.pending();
    let button = move |label: &'static str, action: &'static str| {
        view! {
            <button type="button" class="button" aria-disabled=move || pending.get().then_some("true")
                on:click=move |_| { if !pending.get_untracked() { act.dispatch(action); } }>
                {label}
            </button>
        }
    };
    let toggle = if account.state == "active" || account.state == "invited" {
        ("disable", a.disable)
    } else {
        ("enable", a.enable)
    };
    let name = account.display_name.clone();
    let group = format!("roles-{}", account.id);
    let boxes = roles::ALL
        .iter()
        .map(|role| {
            let role = *role;
            let box_id = format!("{group}-{role}");
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=box_id.clone() value=role
                        prop:checked=move || chosen.with(|c| c.iter().any(|r| r == role))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|r| r != role); if on { c.push(role.to_owned()); } });
                        } />
                    <label for=box_id>{a.role(role)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="row-actions">
            <button type="button" class="button" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                {a.edit_roles}
            </button>
            {button(toggle.1, toggle.0)}
            {(account.state == "invited").then(|| button(a.new_link, "invitation"))}
            {account.totp_enabled.then(|| button(a.reset_two_factor, "reset-two-factor"))}
            <button type="button" class="button" on:click=move |_| confirming.set(true)>{a.delete}</button>
        </div>
        <fieldset class="role-editor" hidden=move || !editing.get()>
            <legend>{fill(a.roles_legend, "")}</legend>
            {boxes}
            {button(a.save_roles, "roles")}
        </fieldset>
        <Show when=move || confirming.get()>
            <div class="confirm" role="group">
                <p>{fill(a.confirm_delete, &name)}</p>
                {button(a.confirm_delete_button, "delete")}
                <button type="button" class="button" on:click=move |_| confirming.set(false)>{a.cancel}</button>
            </div>
        </Show>
    }
}
