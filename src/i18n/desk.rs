//! The coordinator's words for a report's fields on the case page. The reporter's form asks
//! questions ("Din roll", "Ditt namn"); a coordinator reads answers ("Rapportörens roll",
//! "Identitet"). A table of its own, in both languages, so only the coordinator bundle carries it.

pub struct DeskTexts {
    pub kind: &'static str,
    pub channel: &'static str,
    pub occurred_at: &'static str,
    pub location: &'static str,
    pub description: &'static str,
    pub perpetrator: &'static str,
    pub perpetrator_description: &'static str,
    pub role: &'static str,
    pub phase: &'static str,
    pub unit: &'static str,
    pub identity: &'static str,
    pub reporter_name: &'static str,
    pub reporter_phone: &'static str,
    pub reporter_email: &'static str,
    /// The internal note's field (never "Meddelande", the reply's word).
    pub note_body: &'static str,
    /// The reply's field.
    pub message_body: &'static str,
}

pub static SV_DESK: DeskTexts = DeskTexts {
    kind: "Typ av händelse",
    channel: "Kanal",
    occurred_at: "Inträffade",
    location: "Plats",
    description: "Beskrivning",
    perpetrator: "Gärningsperson",
    perpetrator_description: "Beskrivning av gärningspersonen",
    role: "Rapportörens roll",
    phase: "Skede",
    unit: "Enhet eller uppdrag",
    identity: "Identitet",
    reporter_name: "Rapportörens namn",
    reporter_phone: "Rapportörens telefon",
    reporter_email: "Rapportörens e-post",
    note_body: "Anteckning",
    message_body: "Meddelande till rapportören",
};

pub static EN_DESK: DeskTexts = DeskTexts {
    kind: "Kind of incident",
    channel: "Channel",
    occurred_at: "Occurred",
    location: "Place",
    description: "Description",
    perpetrator: "Perpetrator",
    perpetrator_description: "Description of the perpetrator",
    role: "Reporter's role",
    phase: "Phase",
    unit: "Unit or office",
    identity: "Identity",
    reporter_name: "Reporter's name",
    reporter_phone: "Reporter's phone",
    reporter_email: "Reporter's e-mail",
    note_body: "Note",
    message_body: "Message to the reporter",
};

super::per_language!(DeskTexts, SV_DESK, EN_DESK, desk_texts, use_desk_texts);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_case_page_speaks_of_the_reporter_not_to_them() {
        assert_eq!(SV_DESK.role, "Rapportörens roll");
        assert_eq!(SV_DESK.identity, "Identitet");
        assert_ne!(SV_DESK.note_body, SV_DESK.message_body);
        assert_ne!(EN_DESK.note_body, EN_DESK.message_body);
        for t in [&SV_DESK, &EN_DESK] {
            for label in [t.kind, t.role, t.phase, t.identity, t.reporter_name, t.note_body] {
                assert!(!label.ends_with('?'), "{label} is a question");
            }
        }
    }

    #[test]
    fn the_enrolment_steps_are_numbered_by_their_list_only() {
        // They sit in an <ol>: a "1. " in the text read "1. 1." on screen.
        for lang in [Lang::Sv, Lang::En] {
            let s = lang.sign_in_texts();
            for step in [s.enrol_scan, s.enrol_confirm] {
                assert!(!step.starts_with(|c: char| c.is_ascii_digit()), "{step}");
            }
        }
    }
}
