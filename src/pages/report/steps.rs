//! The report form's five steps before the review, one component each: what happened, the
//! story, the consequences, about you, and contact. Each shows its fields of the [`ReportForm`].

use leptos::prelude::*;
use trygg_domain::{Channel, Field, IdentityChoice, IncidentKind, Perpetrator, Phase, Role};

use crate::components::fields::{Checkbox, DateTimeInput, RadioGroup, TextArea, TextInput};
use crate::form::Flag;
use crate::i18n::{Texts, use_texts};

use super::form_state::ReportForm;

/// The title of a step.
pub fn step_title(t: &Texts, step: u8) -> &'static str {
    match step {
        1 => t.section_event,
        2 => t.step_story,
        3 => t.section_consequences,
        4 => t.section_you,
        5 => t.step_contact,
        _ => t.step_review,
    }
}

pub fn step_url(step: u8) -> String {
    if step <= 1 { "/rapport".into() } else { format!("/rapport?steg={step}") }
}

/// `(wire value, label)` for each value of a closed set, in the domain's order.
fn options<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (value(*v), label(*v))).collect()
}

/// Step 1: what happened, how, when and where.
#[component]
pub fn EventStep(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    view! {
        <RadioGroup form field=Field::Kind options=options(IncidentKind::ALL, IncidentKind::as_str, |v| t.kind(v)) />
        <RadioGroup form field=Field::Channel options=options(Channel::ALL, Channel::as_str, |v| t.channel(v)) />
        <DateTimeInput form field=Field::OccurredAt hint=t.hint_occurred_at />
        <TextInput form field=Field::Location hint=t.hint_location optional=true />
    }
}

/// Step 2: the story, who did it and who saw it.
#[component]
pub fn StoryStep(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    view! {
        <TextArea form field=Field::Description hint=t.hint_description counter=true rows=8 />
        <RadioGroup
            form
            field=Field::Perpetrator
            optional=true
            options=vec![
                (Perpetrator::Known.as_str(), t.perpetrator_known),
                (Perpetrator::Unknown.as_str(), t.perpetrator_unknown),
            ]
        />
        <TextArea form field=Field::PerpetratorDescription optional=true />
        <TextArea form field=Field::Witnesses hint=t.hint_witnesses optional=true rows=3 />
    }
}

/// Step 3: the consequences (and the police case number once reported).
#[component]
pub fn ConsequencesStep(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    let police = form.flag(Flag::PoliceReported);
    view! {
        <fieldset class="field choices" aria-describedby="consequences-hint">
            <legend>{t.consequences_legend}</legend>
            <p id="consequences-hint" class="hint">{t.check_all_that_apply}</p>
            <Checkbox form flag=Flag::Injury />
            <Checkbox form flag=Flag::Damage />
            <Checkbox form flag=Flag::SickLeave />
            <Checkbox form flag=Flag::PoliceReported />
        </fieldset>
        <Show when=move || police.get()>
            <TextInput form field=Field::PoliceCaseNumber hint=t.hint_police_case_number optional=true />
        </Show>
    }
}

/// Step 4: about you: role, phase and unit.
#[component]
pub fn AboutYouStep(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    view! {
        <RadioGroup form field=Field::Role options=options(Role::ALL, Role::as_str, |v| t.role(v)) />
        <RadioGroup
            form
            field=Field::Phase
            hint=t.hint_phase
            optional=true
            options=options(Phase::ALL, Phase::as_str, |v| t.phase(v))
        />
        <TextInput form field=Field::Unit hint=t.hint_unit optional=true autocomplete="organization" />
    }
}

/// Step 5: identity, contact details unless anonymous, and the help wanted.
#[component]
pub fn ContactStep(form: ReportForm) -> impl IntoView {
    let t = use_texts();
    let anonymous = form.is_anonymous();
    view! {
        <RadioGroup
            form
            field=Field::Identity
            options=options(IdentityChoice::ALL, IdentityChoice::as_str, |v| t.identity(v))
        />
        <Show
            when=move || !anonymous.get()
            fallback=move || view! { <p class="notice">{t.hint_anonymous}</p> }
        >
            <TextInput form field=Field::ReporterName autocomplete="name" />
            <TextInput
                form
                field=Field::ReporterPhone
                kind="tel"
                hint=t.hint_reporter_phone
                optional=true
                autocomplete="tel"
            />
            <TextInput form field=Field::ReporterEmail kind="email" optional=true autocomplete="email" />
        </Show>
        <fieldset class="field choices" aria-describedby="help-hint">
            <legend>{t.help_legend}</legend>
            <p id="help-hint" class="hint">{t.check_all_that_apply}</p>
            // Not offered to an anonymous reporter only to be refused: nobody could call back.
            <Show when=move || !anonymous.get()>
                <Checkbox form flag=Flag::HelpCallMe />
            </Show>
            <Checkbox form flag=Flag::HelpSupport />
            <Checkbox form flag=Flag::HelpPolice />
        </fieldset>
    }
}
