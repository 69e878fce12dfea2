//! What the administration pages share: their navigation, the line that tells what happened
//! (saved, removed, someone else's change, an error, or "administrators only"), and the ids of
//! their form controls (one form per page, so one id per field).

use leptos::prelude::*;
use leptos_router::components::A;
use trygg_domain::{Field, FieldError};

use crate::api::ApiError;
use crate::i18n::Texts;
use crate::i18n::admin::use_admin_texts;
use crate::pages::shell::{CoordinatorBar, error_text};

pub const CONTACTS_PATH: &str = "/samordnare/admin/telefonlista";
pub const CHECKLISTS_PATH: &str = "/samordnare/admin/checklistor";
pub const RETENTION_PATH: &str = "/samordnare/admin/gallring";

/// The coordinator bar, then links between the administration pages.
#[component]
pub fn AdminNav() -> impl IntoView {
    let a = use_admin_texts();
    view! {
        <CoordinatorBar />
        <nav class="admin-nav" aria-label=a.nav_label>
            <ul>
                <li><A href=CONTACTS_PATH>{a.nav_contacts}</A></li>
                <li><A href=CHECKLISTS_PATH>{a.nav_checklists}</A></li>
                <li><A href=RETENTION_PATH>{a.nav_retention}</A></li>
            </ul>
        </nav>
    }
}

/// The id of a field's control on an administration page.
pub fn control_id(field: Field) -> &'static str {
    match field {
        Field::Group => "admin-group",
        Field::NameSv => "admin-name_sv",
        Field::NameEn => "admin-name_en",
        Field::NoteSv => "admin-note_sv",
        Field::NoteEn => "admin-note_en",
        Field::Phone => "admin-phone",
        Field::Roles => "admin-roles",
        Field::TextSv => "admin-text_sv",
        Field::TextEn => "admin-text_en",
        Field::Months => "admin-months",
        Field::Role | Field::Phase => "admin-situation",
        _ => "admin-form",
    }
}

/// The error on `field` among `errors`, as a signal for a form field.
pub fn error_of(errors: RwSignal<Vec<FieldError>>, field: Field) -> Signal<Option<FieldError>> {
    Signal::derive(move || errors.with(|all| all.iter().find(|e| e.field == field).copied()))
}

/// What the last action came to.
#[derive(Clone, Copy)]
pub struct Status {
    notice: RwSignal<Option<&'static str>>,
    problem: RwSignal<Option<String>>,
    forbidden: RwSignal<bool>,
}

impl Status {
    pub fn new() -> Self {
        Status { notice: RwSignal::new(None), problem: RwSignal::new(None), forbidden: RwSignal::new(false) }
    }

    pub fn done(&self, text: &'static str) {
        self.problem.set(None);
        self.notice.set(Some(text));
    }

    pub fn fail(&self, t: &'static Texts, e: &ApiError) {
        self.notice.set(None);
        match e {
            ApiError::Other { status: 403, .. } => self.forbidden.set(true),
            e => self.problem.set(Some(error_text(t, e))),
        }
    }

    pub fn forbidden(&self) -> bool {
        self.forbidden.get()
    }

    /// The notice (a status line) and the problem (an alert).
    pub fn view(self) -> impl IntoView {
        let a = use_admin_texts();
        view! {
            {move || self.forbidden.get().then(|| view! { <p class="notice notice--error" role="alert">{a.forbidden}</p> })}
            {move || self.problem.get().map(|p| view! { <p class="notice notice--error" role="alert">{p}</p> })}
            <p class="copy-status" role="status" data-testid="admin-status">{move || self.notice.get()}</p>
        }
    }
}

impl Default for Status {
    fn default() -> Self {
        Self::new()
    }
}
