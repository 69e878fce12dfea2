//! Inviting a person: e-mail, name, roles and the invitation's language, checked here with the same rules as the server
//! (`trygg_wire::accounts::check_invite`), its field errors shown next to each field; what was
//! typed stays after an error. The answer's one-time link is shown with a copy button
//! ([`LinkBox`]), made absolute for this server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::accounts::{self, Failure};
use crate::browser;
use crate::components::form_field::described_by;
use crate::i18n::accounts::use_account_texts;
use crate::i18n::{Lang, fill, use_lang, use_texts};
use crate::model::roles;
use crate::pages::admin::accounts::failure_text;
use crate::pages::two_factor::AuthField;
use trygg_wire::accounts::{Invitation, Invite, check_invite};

#[component]
pub fn InviteForm(invited: Callback<Invitation>) -> impl IntoView {
    let t = use_texts();
    let a = use_account_texts();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![roles::COORDINATOR.to_owned()]);
    let lang = RwSignal::new(Lang::Sv);
    let email_error = RwSignal::new(None::<String>);
    let name_error = RwSignal::new(None::<String>);
    let roles_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let show = move |errors: &[(String, String)]| {
        let on = |field: &str| errors.iter().find(|(f, _)| f == field).map(|(f, k)| a.field_error(f, k).to_owned());
        email_error.set(on("email"));
        name_error.set(on("display_name"));
        roles_error.set(on("roles"));
        if let Some((first, _)) = errors.first() {
            browser::focus_by_id(if first == "roles" {
                "invite-role-coordinator"
            } else if first == "email" {
                "invite-email"
            } else {
                "invite-name"
            });
        }
    };
    let send = Action::new_local(move |body: &Invite| {
        let body = body.clone();
        async move {
            match accounts::invite(&body).await {
                Ok(inv) => {
                    email.set(String::new());
                    name.set(String::new());
                    problem.set(None);
                    invited.run(inv);
                }
                Err(Failure::Fields(f)) => show(&f),
                Err(f) => problem.set(Some(failure_text(t, a, &f))),
            }
        }
    });
    let pending = send.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let body = Invite {
            email: email.get_untracked(),
            display_name: name.get_untracked(),
            roles: chosen.get_untracked(),
            lang: Some(lang.get_untracked().code().to_owned()),
        };
        let errors: Vec<(String, String)> =
            check_invite(&body).into_iter().map(|(f, k)| (f.to_owned(), k.to_owned())).collect();
        show(&errors);
        if errors.is_empty() {
            send.dispatch(body);
        }
    };
    let described = move || described_by("invite-roles", false, roles_error.with(Option::is_some));
    let boxes = roles::ALL
        .iter()
        .map(|role| {
            let role = *role;
            let id = format!("invite-role-{role}");
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name="roles" value=role
                        prop:checked=move || chosen.with(|c| c.iter().any(|r| r == role))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|r| r != role); if on { c.push(role.to_owned()); } });
                            roles_error.set(None);
                        } />
                    <label for=id>{a.role(role)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{a.invite_heading}</h2>
            <form class="invite-form" novalidate on:submit=on_submit>
                <AuthField id="invite-email" label=a.label_email value=email error=email_error kind="email" autocomplete="off" />
                <AuthField id="invite-name" label=a.label_name value=name error=name_error autocomplete="off" />
                <fieldset class="field" class:field--error=move || roles_error.with(Option::is_some) aria-describedby=described>
                    <legend>{a.roles_legend}</legend>
                    {move || roles_error.get().map(|e| view! { <p id="invite-roles-error" class="field-error" role="alert">{e}</p> })}
                    {boxes}
                </fieldset>
                <fieldset class="field" aria-describedby="invite-lang-hint">
                    <legend>{a.invite_lang_legend}</legend>
                    <p id="invite-lang-hint" class="hint">{a.invite_lang_hint}</p>
                    {[(Lang::Sv, a.lang_sv), (Lang::En, a.lang_en)].map(|(l, label)| {
                        let id = format!("invite-lang-{}", l.code());
                        view! {
                            <div class="radio">
                                <input type="radio" id=id.clone() name="invite-lang" value=l.code()
                                    prop:checked=move || lang.get() == l on:change=move |_| lang.set(l) />
                                <label for=id lang=l.code()>{label}</label>
                            </div>
                        }
                    })}
                </fieldset>
                {move || problem.get().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
                <button type="submit" class="button button--primary" aria-disabled=move || pending.get().then_some("true")>
                    {a.invite_button}
                </button>
            </form>
        </section>
    }
}

/// The invitation's link, absolute, read-only and selectable, with a copy button.
#[component]
pub fn LinkBox(invitation: Invitation) -> impl IntoView {
    let a = use_account_texts();
    let lang = use_lang();
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let link = format!("{origin}{}", invitation.link);
    let copied = RwSignal::new(false);
    let to_copy = link.clone();
    let copy = Action::new_local(move |(): &()| {
        let text = to_copy.clone();
        async move { copied.set(browser::copy_to_clipboard(&text).await) }
    });
    view! {
        <div class="field invitation-link">
            <label for="invitation-link">{a.invite_link_label}</label>
            <p id="invitation-link-hint" class="hint">
                {fill(a.invitation_until, browser::format_datetime(lang.tag(), &invitation.expires_at))}
            </p>
            <input id="invitation-link" type="text" readonly prop:value=link aria-describedby="invitation-link-hint"
                on:focus=move |ev| { event_target::<web_sys::HtmlInputElement>(&ev).select(); } />
            <button type="button" class="button" on:click=move |_| { copy.dispatch(()); }>{a.copy_link}</button>
            <p role="status">{move || copied.get().then_some(a.copied)}</p>
        </div>
    }
}
