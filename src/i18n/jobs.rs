//! The texts of the administrators' jobs page (`/samordnare/admin/jobb`), in Swedish and
//! English: a table of their own, so that only the coordinator bundle links them.

use super::Lang;

pub struct JobsTexts {
    pub title: &'static str,
    pub nav: &'static str,
    pub intro: &'static str,
    pub forbidden: &'static str,
    pub loading: &'static str,
    pub empty: &'static str,
    pub caption: &'static str,
    pub col_kind: &'static str,
    pub col_attempts: &'static str,
    pub col_error: &'static str,
    pub col_failed_at: &'static str,
    pub col_action: &'static str,
    pub retry: &'static str,
    /// `{n}`: the job's kind in words.
    pub retry_label: &'static str,
    pub retried: &'static str,
    pub retry_gone: &'static str,
    pub smtp_ok: &'static str,
    pub smtp_not_configured: &'static str,
    pub smtp_invalid: &'static str,
    pub smtp_unreachable: &'static str,
    pub kind_urgent_report: &'static str,
    pub kind_reporter_message: &'static str,
    pub kind_reminder: &'static str,
    pub kind_invitation: &'static str,
    pub kind_two_factor_reset: &'static str,
    pub kind_account_notice: &'static str,
    pub kind_tick: &'static str,
}

pub const SV: JobsTexts = JobsTexts {
    title: "Jobb som misslyckats",
    nav: "Jobb",
    intro: "Utskick och andra jobb som inte gick att utföra efter alla försök. Inget innehåll från rapporter visas här. Försök igen när felet är åtgärdat.",
    forbidden: "Den här sidan är bara för administratörer.",
    loading: "Hämtar jobb …",
    empty: "Inga jobb har misslyckats.",
    caption: "Misslyckade jobb, senaste först",
    col_kind: "Jobb",
    col_attempts: "Försök",
    col_error: "Senaste fel",
    col_failed_at: "Misslyckades",
    col_action: "Åtgärd",
    retry: "Försök igen",
    retry_label: "Försök igen: {n}",
    retried: "Jobbet ligger i kön igen.",
    retry_gone: "Jobbet finns inte längre bland de misslyckade – någon kan redan ha försökt igen.",
    smtp_ok: "E-postservern svarar.",
    smtp_not_configured: "Ingen e-postserver är inställd (TRYGG_SMTP_URL). Inga e-postmeddelanden skickas; de väntar i kön.",
    smtp_invalid: "E-postinställningarna går inte att använda (TRYGG_SMTP_URL, TRYGG_MAIL_FROM eller TRYGG_SMTP_CA_FILE). Inga e-postmeddelanden skickas.",
    smtp_unreachable: "E-postservern svarar inte. Utskicken väntar och försöks igen automatiskt.",
    kind_urgent_report: "E-post: brådskande rapport",
    kind_reporter_message: "E-post: meddelande från rapportör",
    kind_reminder: "E-post: påminnelse",
    kind_invitation: "E-post: inbjudan",
    kind_two_factor_reset: "E-post: återställd tvåstegsinloggning",
    kind_account_notice: "E-post: ändring av konto",
    kind_tick: "Schemaläggare",
};

pub const EN: JobsTexts = JobsTexts {
    title: "Failed jobs",
    nav: "Jobs",
    intro: "Mails and other jobs that could not be done after every attempt. No report content is shown here. Retry once the fault is fixed.",
    forbidden: "This page is for administrators only.",
    loading: "Loading jobs …",
    empty: "No job has failed.",
    caption: "Failed jobs, newest first",
    col_kind: "Job",
    col_attempts: "Attempts",
    col_error: "Last error",
    col_failed_at: "Failed",
    col_action: "Action",
    retry: "Retry",
    retry_label: "Retry: {n}",
    retried: "The job is queued again.",
    retry_gone: "The job is no longer among the failed ones – someone may have retried it already.",
    smtp_ok: "The mail server answers.",
    smtp_not_configured: "No mail server is configured (TRYGG_SMTP_URL). No mail is sent; it waits in the queue.",
    smtp_invalid: "The mail settings cannot be used (TRYGG_SMTP_URL, TRYGG_MAIL_FROM or TRYGG_SMTP_CA_FILE). No mail is sent.",
    smtp_unreachable: "The mail server does not answer. Mails wait and are retried automatically.",
    kind_urgent_report: "Mail: urgent report",
    kind_reporter_message: "Mail: message from a reporter",
    kind_reminder: "Mail: reminder",
    kind_invitation: "Mail: invitation",
    kind_two_factor_reset: "Mail: two-factor sign-in reset",
    kind_account_notice: "Mail: account change",
    kind_tick: "Scheduler",
};

/// The jobs page's texts in `lang`.
pub fn jobs_texts(lang: Lang) -> &'static JobsTexts {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}
