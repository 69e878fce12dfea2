//! The case page's state, shared with its forms: the report, the problem shown at the top,
//! sign-in, the colleagues and who is signed in, and how to reload.

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{Texts, fill};
use crate::model::{Colleague, ReportDetail};
use crate::pages::shell::error_text;

/// What the page shows and how it reloads; shared with the forms.
#[derive(Clone, Copy)]
pub struct Case {
    pub id: StoredValue<String>,
    pub detail: RwSignal<Option<ReportDetail>>,
    pub problem: RwSignal<Option<String>>,
    /// Set on a 401 (or a missing second step); the page then goes to the sign-in page.
    pub signed_out: RwSignal<bool>,
    /// Everyone a report can be assigned to (empty until loaded).
    pub colleagues: RwSignal<Vec<Colleague>>,
    /// The signed-in coordinator's id (empty until known).
    pub me: RwSignal<String>,
    pub t: &'static Texts,
    /// Fetches the report ([`Case::reload`]).
    fetch: Action<Case, ()>,
}

impl Case {
    /// The state of the page for report `id`, with nothing loaded yet.
    pub fn new(id: String, t: &'static Texts) -> Self {
        Case {
            id: StoredValue::new(id),
            detail: RwSignal::new(None),
            problem: RwSignal::new(None),
            signed_out: RwSignal::new(false),
            colleagues: RwSignal::new(Vec::new()),
            me: RwSignal::new(String::new()),
            t,
            fetch: Action::new_local(|case: &Case| {
                let case = *case;
                async move {
                    match api::report(&case.id.get_value()).await {
                        Ok(d) => case.detail.set(Some(d)),
                        Err(e) => case.fail(&e),
                    }
                }
            }),
        }
    }

    /// The name of an assignee id, "(du)" for oneself; the id's start when the name is unknown.
    pub fn person(self, id: &str) -> String {
        let name = self.colleagues.with(|list| list.iter().find(|c| c.id == id).map(|c| c.display_name.clone()));
        let name = name.unwrap_or_else(|| id.chars().take(8).collect());
        if self.me.with(|me| me == id) { fill(self.t.you_suffix, name) } else { name }
    }

    /// Fetches the report again (after a note or a message) and shows it.
    pub fn reload(self) {
        self.fetch.dispatch(self);
    }

    /// Handles an answer that is not about a field: sign-in, or a message at the top.
    pub fn fail(self, e: &ApiError) {
        if e.needs_sign_in() {
            self.signed_out.set(true);
        } else {
            self.problem.set(Some(case_problem(self.t, e)));
        }
    }
}

/// The message at the top of the case page for an error that is not about a field: the
/// coordinators' texts (a 429 here is "too many attempts, wait", never the reporter's
/// "wrong receipt code").
fn case_problem(t: &Texts, e: &ApiError) -> String {
    error_text(t, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_429_on_the_case_page_says_wait_not_wrong_code() {
        for lang in [Lang::Sv, Lang::En] {
            let t = lang.texts();
            let e = ApiError::Other { status: 429, code: "rate_limited".into() };
            assert_eq!(case_problem(t, &e), t.err_rate_limited_wait);
            assert_ne!(case_problem(t, &e), t.followup_rate_limited);
        }
    }
}
