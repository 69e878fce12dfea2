//! The inbox's filter form: search, the filter selects and the date range, kept in the URL.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use trygg_domain::{IncidentKind, Phase, Role, Severity};

use crate::i18n::{Texts, use_texts};
use crate::model::{Colleague, InboxQuery};
use crate::pages::shell::INBOX_PATH;

/// One `<select>` of the filter form, bound to one key of the draft query.
fn filter_select(
    t: &'static Texts,
    draft: RwSignal<InboxQuery>,
    key: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let id = format!("filter-{key}");
    let options = std::iter::once((String::new(), t.filter_any.to_owned()))
        .chain(options)
        .map(|(value, text)| {
            let v = value.clone();
            view! { <option value=value selected=move || draft.with(|d| d.get(key) == v)>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=key
                prop:value=move || draft.with(|d| d.get(key).to_owned())
                on:change=move |ev| draft.update(|d| d.set(key, &event_target_value(&ev)))
            >
                {options}
            </select>
        </div>
    }
}

fn choices<T: Copy + 'static>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|&v| (value(v).to_owned(), label(v).to_owned())).collect()
}

/// Search and filters. Nothing changes until the form is sent; then the filters go into the URL
/// (a new history entry), so reload and back keep them.
#[component]
pub(super) fn FilterForm(filters: Memo<InboxQuery>, colleagues: Signal<Vec<Colleague>>) -> impl IntoView {
    let t = use_texts();
    // The coordinator's words for the report's fields ("Rapportörens roll"), not the form's
    // questions to the reporter ("Din roll").
    let d = crate::i18n::desk::use_desk_texts();
    let navigate = use_navigate();
    let draft = RwSignal::new(filters.get_untracked());
    // Back and forward change the URL: the form follows.
    Effect::new(move |_| draft.set(filters.get()));
    let apply = {
        let navigate = navigate.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            navigate(&draft.get_untracked().url(INBOX_PATH), NavigateOptions::default());
        }
    };
    let text_input = move |key: &'static str, kind: &'static str, label: &'static str, hint: Option<&'static str>| {
        let id = format!("filter-{key}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {hint.map(|h| view! { <p id=format!("filter-{key}-hint") class="hint">{h}</p> })}
                <input
                    type=kind
                    id=id
                    name=key
                    aria-describedby=hint.map(|_| format!("filter-{key}-hint"))
                    prop:value=move || draft.with(|d| d.get(key).to_owned())
                    on:input=move |ev| draft.update(|d| d.set(key, &event_target_value(&ev)))
                />
            </div>
        }
    };
    let assignee_options = move || {
        let mut options =
            vec![("me".to_owned(), t.assignee_me.to_owned()), ("none".to_owned(), t.assignee_nobody.to_owned())];
        options.extend(colleagues.get().into_iter().map(|c| (c.id, c.display_name)));
        filter_select(t, draft, "assignee", t.label_assignee, options)
    };
    let open = filters.with_untracked(InboxQuery::has_detail_filters);

    view! {
        <form class="inbox-filters" role="search" novalidate on:submit=apply>
            <div class="search-row">
                {text_input("q", "search", t.filter_search_label, Some(t.filter_search_hint))}
                <button type="submit" class="button button--primary">{t.filter_search_button}</button>
            </div>
            <details class="more-filters" open=open>
                <summary>{t.filters_more}</summary>
                <div class="filter-grid">
                    {filter_select(t, draft, "severity", t.label_severity, choices(Severity::ALL, Severity::as_str, |v| t.severity(v)))}
                    {filter_select(t, draft, "kind", d.kind, choices(IncidentKind::ALL, IncidentKind::as_str, |v| t.kind(v)))}
                    {filter_select(t, draft, "role", d.role, choices(Role::ALL, Role::as_str, |v| t.role(v)))}
                    {filter_select(t, draft, "phase", d.phase, choices(Phase::ALL, Phase::as_str, |v| t.phase(v)))}
                    {assignee_options}
                    {text_input("from", "date", t.label_from, None)}
                    {text_input("to", "date", t.label_to, None)}
                    <div class="field">
                        <label for="filter-sort">{t.label_sort}</label>
                        <select
                            id="filter-sort"
                            name="sort"
                            prop:value=move || draft.with(|d| d.sort.clone())
                            on:change=move |ev| draft.update(|d| d.set("sort", &event_target_value(&ev)))
                        >
                            <option value="" selected=move || draft.with(|d| d.sort.is_empty())>{t.sort_newest}</option>
                            <option value="oldest" selected=move || draft.with(|d| d.sort == "oldest")>{t.sort_oldest}</option>
                        </select>
                    </div>
                </div>
                <div class="button-row">
                    <button type="submit" class="button button--primary">{t.filter_apply}</button>
                    <a class="button" href=INBOX_PATH>{t.filter_clear}</a>
                </div>
            </details>
        </form>
    }
}
