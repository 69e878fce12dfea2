//! The phone list for administrators (`/samordnare/admin/telefonlista`): every contact in its
//! group with its number as written and the `tel:` link it becomes; add, edit, move and remove.
//! The form is checked by the domain's rules first (the same `ContactInput::parse` the server
//! runs), the server's 422 lands in the same inline errors, and a 409 (someone else changed it
//! first) reloads the list while the form keeps what was typed, now based on the newer version.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use trygg_domain::{CONTACT_GROUPS, ContactDraft, ContactInput, Field, FieldError};

use crate::api::{self, ApiError};
use crate::browser;
use crate::components::fields::ErrorText;
use crate::components::form_field::FormField;
use crate::i18n::admin::use_admin_texts;
use crate::i18n::{fill, use_lang, use_texts};
use crate::model::{AdminContact, AdminContacts, ContactBody, ContactOrder};
use crate::pages::admin_content_nav::{AdminNav, Status, control_id, error_of};
use crate::pages::shell::use_sign_in_redirect;

/// The form: which contact (none: a new one), the version it started from, and its values.
#[derive(Clone, Copy)]
struct Form {
    id: RwSignal<Option<Option<i64>>>,
    version: RwSignal<i64>,
    group: RwSignal<String>,
    name_sv: RwSignal<String>,
    name_en: RwSignal<String>,
    note_sv: RwSignal<String>,
    note_en: RwSignal<String>,
    phone: RwSignal<String>,
    roles: RwSignal<Vec<String>>,
    errors: RwSignal<Vec<FieldError>>,
}

impl Form {
    fn new() -> Self {
        Form {
            id: RwSignal::new(None),
            version: RwSignal::new(0),
            group: RwSignal::new("region".into()),
            name_sv: RwSignal::new(String::new()),
            name_en: RwSignal::new(String::new()),
            note_sv: RwSignal::new(String::new()),
            note_en: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            roles: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
        }
    }

    fn open(&self, c: Option<&AdminContact>, all_roles: Vec<String>) {
        self.id.set(Some(c.map(|c| c.id)));
        self.version.set(c.map_or(0, |c| c.version));
        self.group.set(c.map_or_else(|| "region".into(), |c| c.group.clone()));
        self.name_sv.set(c.map(|c| c.name.sv.clone()).unwrap_or_default());
        self.name_en.set(c.map(|c| c.name.en.clone()).unwrap_or_default());
        self.note_sv.set(c.map(|c| c.note.sv.clone()).unwrap_or_default());
        self.note_en.set(c.map(|c| c.note.en.clone()).unwrap_or_default());
        self.phone.set(c.and_then(|c| c.phone.clone()).unwrap_or_default());
        self.roles.set(c.map_or(all_roles, |c| c.roles.clone()));
        self.errors.set(Vec::new());
    }

    fn body(&self) -> ContactBody {
        ContactBody {
            group: self.group.get_untracked(),
            name_sv: self.name_sv.get_untracked(),
            name_en: self.name_en.get_untracked(),
            note_sv: self.note_sv.get_untracked(),
            note_en: self.note_en.get_untracked(),
            phone: self.phone.get_untracked(),
            roles: self.roles.get_untracked(),
            version: self.version.get_untracked(),
        }
    }
}

#[component]
pub fn AdminContactsPage() -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let lang = use_lang();
    browser::set_title(a.contacts_title, t.app_name);
    let to_sign_in = use_sign_in_redirect();
    let data = RwSignal::new(None::<AdminContacts>);
    let status = Status::new();
    let form = Form::new();

    let load = Action::new_local(move |_: &()| {
        let to_sign_in = to_sign_in.clone();
        async move {
            match api::admin_contacts().await {
                Ok(d) => {
                    // An open form now builds on the newer version of its contact.
                    if let Some(Some(id)) = form.id.get_untracked()
                        && let Some(c) = d.contacts.iter().find(|c| c.id == id)
                    {
                        form.version.set(c.version);
                    }
                    data.set(Some(d));
                }
                Err(e) if e.needs_sign_in() => to_sign_in(),
                Err(e) => status.fail(t, &e),
            }
        }
    });
    load.dispatch(());

    let save = Action::new_local(move |body: &ContactBody| {
        let body = body.clone();
        async move {
            match api::save_contact(form.id.get_untracked().flatten(), &body).await {
                Ok(_) => {
                    form.id.set(None);
                    status.done(a.saved);
                    load.dispatch(());
                }
                Err(ApiError::Validation(fields)) => {
                    if let Some(first) = fields.first() {
                        browser::focus_by_id(control_id(first.field));
                    }
                    form.errors.set(fields);
                }
                Err(e) if e.is_version_conflict() => {
                    status.done(a.conflict);
                    load.dispatch(());
                }
                Err(e) => status.fail(t, &e),
            }
        }
    });
    let change = Action::new_local(move |job: &Job| {
        let job = job.clone();
        async move {
            let result = match job {
                Job::Remove(id, version) => api::remove_contact(id, version).await.map(|()| a.removed),
                Job::Order(order) => api::order_contacts(&order).await.map(|_| a.saved),
            };
            match result {
                Ok(text) => status.done(text),
                Err(e) if e.is_version_conflict() => status.done(a.conflict),
                Err(e) => status.fail(t, &e),
            }
            load.dispatch(());
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = form.body();
        let known: Vec<String> =
            data.with_untracked(|d| d.iter().flat_map(|d| d.roles.iter().map(|r| r.role.clone())).collect());
        let draft = ContactDraft {
            group: body.group.clone(),
            name_sv: body.name_sv.clone(),
            name_en: body.name_en.clone(),
            note_sv: body.note_sv.clone(),
            note_en: body.note_en.clone(),
            phone: body.phone.clone(),
            roles: body.roles.clone(),
        };
        match ContactInput::parse(&draft, &known) {
            Ok(_) => {
                form.errors.set(Vec::new());
                save.dispatch(body);
            }
            Err(found) => {
                if let Some(first) = found.first() {
                    browser::focus_by_id(control_id(first.field));
                }
                form.errors.set(found);
            }
        }
    };
    let all_roles =
        move || data.with_untracked(|d| d.iter().flat_map(|d| d.roles.iter().map(|r| r.role.clone())).collect());
    let add = move |_| {
        form.open(None, all_roles());
        request_animation_frame(|| browser::focus_by_id("admin-group"));
    };

    view! {
        <AdminNav />
        <h1>{a.contacts_title}</h1>
        <p>{a.contacts_intro}</p>
        {status.view()}
        <Show when=move || form.id.get().is_none()>
            <p>
                <button type="button" class="button button--primary" on:click=add>{a.contact_add}</button>
            </p>
        </Show>
        <Show when=move || form.id.get().is_some()>
            {move || contact_form(form, data, submit)}
        </Show>
        {move || match data.get() {
            None => view! { <p role="status">{a.loading}</p> }.into_any(),
            Some(d) => {
                CONTACT_GROUPS
                    .iter()
                    .map(|&group| {
                        let mine: Vec<AdminContact> = d.contacts.iter().filter(|c| c.group == group).cloned().collect();
                        let ids: Vec<i64> = mine.iter().map(|c| c.id).collect();
                        let roles = d.roles.clone();
                        let heading = format!("admin-group-{group}");
                        let labelled_by = heading.clone();
                        view! {
                            <section class="admin-group" aria-labelledby=labelled_by>
                                <h2 id=heading>{t.contact_group(group)}</h2>
                                <ul class="admin-list">
                                    {mine
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, c)| {
                                            let shown_roles = c
                                                .roles
                                                .iter()
                                                .map(|r| {
                                                    roles
                                                        .iter()
                                                        .find(|x| &x.role == r)
                                                        .map_or(r.clone(), |x| lang.pick(&x.name.sv, &x.name.en).to_owned())
                                                })
                                                .collect::<Vec<_>>()
                                                .join(", ");
                                            let name = lang.pick(&c.name.sv, &c.name.en).to_owned();
                                            let number = match (c.tel.clone(), c.phone.clone()) {
                                                (Some(tel), Some(phone)) => view! { <a href=tel class="contact-tel">{phone}</a> }.into_any(),
                                                (None, Some(phone)) => view! { <span>{phone}</span> }.into_any(),
                                                _ => view! { <span class="hint">{a.no_number}</span> }.into_any(),
                                            };
                                            let (up, down) = (moved(&ids, i, -1), moved(&ids, i, 1));
                                            let edit = c.clone();
                                            let (id, version) = (c.id, c.version);
                                            view! {
                                                <li class="admin-item" data-testid="admin-contact">
                                                    <p class="admin-item__name">{name.clone()}</p>
                                                    <p>{number}</p>
                                                    <p class="hint">{fill(a.for_roles, shown_roles)}</p>
                                                    <div class="admin-item__actions">
                                                        <button type="button" class="button" aria-label=format!("{} – {name}", a.edit)
                                                            on:click=move |_| {
                                                                form.open(Some(&edit), Vec::new());
                                                                request_animation_frame(|| browser::focus_by_id("admin-name_sv"));
                                                            }>{a.edit}</button>
                                                        {up.map(|ids| view! {
                                                            <button type="button" class="button" aria-label=format!("{} – {name}", a.move_up)
                                                                on:click=move |_| { change.dispatch(Job::Order(ContactOrder { group: group.into(), ids: ids.clone() })); }>
                                                                "↑ " {a.move_up}
                                                            </button>
                                                        })}
                                                        {down.map(|ids| view! {
                                                            <button type="button" class="button" aria-label=format!("{} – {name}", a.move_down)
                                                                on:click=move |_| { change.dispatch(Job::Order(ContactOrder { group: group.into(), ids: ids.clone() })); }>
                                                                "↓ " {a.move_down}
                                                            </button>
                                                        })}
                                                        <button type="button" class="button" aria-label=format!("{} – {name}", a.remove)
                                                            on:click=move |_| { change.dispatch(Job::Remove(id, version)); }>{a.remove}</button>
                                                    </div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            }
        }}
    }
}

/// A change that is not the form: removing a contact, or a group's new order.
#[derive(Clone)]
enum Job {
    Remove(i64, i64),
    Order(ContactOrder),
}

/// The ids with the one at `i` moved by `by` (−1 up, 1 down); none at either end.
fn moved(ids: &[i64], i: usize, by: isize) -> Option<Vec<i64>> {
    let j = i.checked_add_signed(by).filter(|j| *j < ids.len())?;
    let mut out = ids.to_vec();
    out.swap(i, j);
    Some(out)
}

fn contact_form(
    form: Form,
    data: RwSignal<Option<AdminContacts>>,
    submit: impl Fn(SubmitEvent) + Copy + 'static,
) -> impl IntoView {
    let t = use_texts();
    let a = use_admin_texts();
    let lang = use_lang();
    let legend = if form.id.get_untracked().flatten().is_some() { a.contact_edit } else { a.contact_new };
    let text = |field: Field, value: RwSignal<String>, hint: Option<&'static str>, kind: &'static str| {
        let id = control_id(field);
        let input = move || {
            view! {
                <input type=kind id=id name=field.as_str() prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            }
        };
        let error = error_of(form.errors, field);
        match hint {
            Some(hint) => {
                view! { <FormField id label=t.field_label(field) hint=hint error=error>{input()}</FormField> }
                    .into_any()
            }
            None => view! { <FormField id label=t.field_label(field) error=error>{input()}</FormField> }.into_any(),
        }
    };
    let roles = move || data.with(|d| d.as_ref().map(|d| d.roles.clone()).unwrap_or_default());
    let roles_error = error_of(form.errors, Field::Roles);
    view! {
        <form class="admin-form" novalidate on:submit=submit>
            <fieldset>
                <legend>{legend}</legend>
                <FormField id="admin-group" label=t.field_label(Field::Group) error=error_of(form.errors, Field::Group)>
                    <select id="admin-group" name="group" prop:value=move || form.group.get()
                        on:change=move |ev| form.group.set(event_target_value(&ev))>
                        {CONTACT_GROUPS.iter().map(|&g| view! {
                            <option value=g selected=move || form.group.with(|x| x == g)>{t.contact_group(g)}</option>
                        }).collect_view()}
                    </select>
                </FormField>
                {text(Field::NameSv, form.name_sv, None, "text")}
                {text(Field::NameEn, form.name_en, Some(a.hint_english), "text")}
                {text(Field::Phone, form.phone, Some(a.hint_phone), "tel")}
                {text(Field::NoteSv, form.note_sv, None, "text")}
                {text(Field::NoteEn, form.note_en, Some(a.hint_english), "text")}
                <fieldset class="field choices" class:field--error=move || roles_error.get().is_some()
                    aria-describedby=move || roles_error.get().map(|_| "admin-roles-error")>
                    <legend>{t.field_label(Field::Roles)}</legend>
                    <ErrorText id="admin-roles" error=roles_error />
                    {move || roles().into_iter().enumerate().map(|(i, r)| {
                        let id = if i == 0 { "admin-roles".to_owned() } else { format!("admin-roles-{i}") };
                        let role = r.role.clone();
                        let checked = { let role = role.clone(); move || form.roles.with(|x| x.contains(&role)) };
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name="roles" prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        form.roles.update(|x| {
                                            x.retain(|v| v != &role);
                                            if on { x.push(role.clone()); }
                                        });
                                    } />
                                <label for=id>{lang.pick(&r.name.sv, &r.name.en).to_owned()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            </fieldset>
            <div class="admin-form__actions">
                <button type="submit" class="button button--primary">{a.save}</button>
                <button type="button" class="button" on:click=move |_| form.id.set(None)>{a.cancel}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn a_contact_moves_one_place_and_not_past_either_end() {
        assert_eq!(moved(&[1, 2, 3], 0, 1), Some(vec![2, 1, 3]));
        assert_eq!(moved(&[1, 2, 3], 2, -1), Some(vec![1, 3, 2]));
        assert_eq!(moved(&[1, 2, 3], 0, -1), None);
        assert_eq!(moved(&[1, 2, 3], 2, 1), None);
    }
}
