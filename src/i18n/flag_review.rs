//! The texts of a flag's review form, its history and who looked it up (on a report's page),
//! and of the look-up log page (`/samordnare/uppslagslogg`); both languages filled in
//! completely. Coordinator bundle only.

use super::Lang;

pub struct FlagReviewTexts {
    pub review_open: &'static str,
    pub review_heading: &'static str,
    pub action: &'static str,
    pub action_extend: &'static str,
    pub action_change: &'static str,
    pub action_lift: &'static str,
    pub action_hint: &'static str,
    pub reason: &'static str,
    pub reason_hint: &'static str,
    pub submit: &'static str,
    pub reviewed_ok: &'static str,
    pub stale: &'static str,
    pub review_on_now: &'static str,
    pub informed_on_date: &'static str,
    pub not_informed: &'static str,
    pub informed_unknown: &'static str,
    pub history_open: &'static str,
    pub history_heading: &'static str,
    pub history_none: &'static str,
    pub lookups_heading: &'static str,
    pub lookups_none: &'static str,
    pub hit: &'static str,
    pub miss: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub col_detail: &'static str,
    pub col_purpose: &'static str,
    pub col_result: &'static str,
    pub ev_propose: &'static str,
    pub ev_approve: &'static str,
    pub ev_extend: &'static str,
    pub ev_change: &'static str,
    pub ev_lift: &'static str,
    pub log_title: &'static str,
    pub log_hint: &'static str,
    pub log_intro: &'static str,
    pub log_none: &'static str,
}

const SV: FlagReviewTexts = FlagReviewTexts {
    review_open: "Granska flaggan",
    review_heading: "Granskning",
    action: "Vad granskningen gör",
    action_extend: "Förläng (nytt slutdatum och granskningsdatum)",
    action_change: "Ändra (nivå, kategori, råd, datum eller information till boende)",
    action_lift: "Häv flaggan nu",
    action_hint: "Slutdatum högst 12 månader fram. En hävd flagga matchar aldrig igen.",
    reason: "Skäl till granskningen",
    reason_hint: "Krävs. Sparas i loggen tillsammans med ändringen.",
    submit: "Spara granskningen",
    reviewed_ok: "Granskningen är sparad.",
    stale: "Någon annan ändrade flaggan under tiden. Ovan syns dess nya läge; det du skrev finns kvar – spara igen om det fortfarande gäller.",
    review_on_now: "Granskas senast",
    informed_on_date: "Boende informerad",
    not_informed: "Boende inte informerad",
    informed_unknown: "Inte registrerat om boende informerats.",
    history_open: "Historik och uppslag",
    history_heading: "Historik",
    history_none: "Ingen historik.",
    lookups_heading: "Uppslag av adressen",
    lookups_none: "Ingen har slagit upp adressen.",
    hit: "Träff",
    miss: "Ingen träff",
    col_when: "När",
    col_who: "Vem",
    col_what: "Vad",
    col_detail: "Detaljer",
    col_purpose: "Syfte",
    col_result: "Resultat",
    ev_propose: "Föreslagen",
    ev_approve: "Godkänd",
    ev_extend: "Förlängd",
    ev_change: "Ändrad",
    ev_lift: "Hävd",
    log_title: "Uppslagslogg",
    log_hint: "Vem som slog upp en adress, när, varför och om en flagga matchade.",
    log_intro: "De senaste 500 uppslagen, med och utan träff. Adressen sparas inte i loggen. Att läsa loggen loggas också.",
    log_none: "Inga uppslag ännu.",
};

const EN: FlagReviewTexts = FlagReviewTexts {
    review_open: "Review the flag",
    review_heading: "Review",
    action: "What the review does",
    action_extend: "Extend (new end date and review date)",
    action_change: "Change (level, category, guidance, dates or resident information)",
    action_lift: "Lift the flag now",
    action_hint: "End date at most 12 months ahead. A lifted flag never matches again.",
    reason: "Reason for the review",
    reason_hint: "Required. Kept in the audit log with the change.",
    submit: "Save the review",
    reviewed_ok: "The review is saved.",
    stale: "Someone else changed the flag meanwhile. Its newer state is shown above; what you typed is kept – save again if it still applies.",
    review_on_now: "Review by",
    informed_on_date: "Resident informed",
    not_informed: "Resident not informed",
    informed_unknown: "Not recorded whether the resident was informed.",
    history_open: "History and look-ups",
    history_heading: "History",
    history_none: "No history.",
    lookups_heading: "Look-ups of the address",
    lookups_none: "No one has looked up the address.",
    hit: "Match",
    miss: "No match",
    col_when: "When",
    col_who: "Who",
    col_what: "What",
    col_detail: "Details",
    col_purpose: "Purpose",
    col_result: "Result",
    ev_propose: "Proposed",
    ev_approve: "Approved",
    ev_extend: "Extended",
    ev_change: "Changed",
    ev_lift: "Lifted",
    log_title: "Look-up log",
    log_hint: "Who looked up an address, when, why and whether a flag matched.",
    log_intro: "The newest 500 look-ups, with and without a match. The address is not kept in the log. Reading the log is logged too.",
    log_none: "No look-ups yet.",
};

impl Lang {
    pub fn flag_review_texts(self) -> &'static FlagReviewTexts {
        match self {
            Lang::Sv => &SV,
            Lang::En => &EN,
        }
    }
}

pub fn use_flag_review_texts() -> &'static FlagReviewTexts {
    super::use_lang().flag_review_texts()
}

impl FlagReviewTexts {
    /// A history entry's action (`flag.extend`, …) in words.
    pub fn event(&self, action: &str) -> &'static str {
        match action {
            "flag.propose" => self.ev_propose,
            "flag.approve" => self.ev_approve,
            "flag.extend" => self.ev_extend,
            "flag.change" => self.ev_change,
            _ => self.ev_lift,
        }
    }
}
