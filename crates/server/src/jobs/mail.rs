//! E-mail over SMTP (lettre, rustls with ring and the built-in Mozilla roots, plus an optional
//! regional root from `TRYGG_SMTP_CA_FILE`), the texts of every notification in Swedish and
//! English, and the mail server's state as administrators see it.
//!
//! A notification carries **no report content**: no text, no names, no place, not even the
//! kind of incident: only that something waits, and a link. E-mail is not a safe channel.
//! Each job's mail has a stable Message-ID (`<job-id@host>`), so a resend after a crash is
//! recognisable as the same message.
//!
//! A missing or unreachable mail server never stops the server: it is logged, administrators
//! see [`SmtpStatus::warning`], and mail jobs wait and retry.

use crate::config::Config;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use std::sync::Mutex;
use std::time::Duration;

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// What administrators see of the mail server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmtpStatus {
    pub configured: bool,
    /// `not_configured`, `invalid_configuration` or `unreachable`; `None` when the last
    /// check or send went through.
    pub warning: Option<&'static str>,
    /// When the warning was last confirmed (Unix ms).
    pub since: Option<i64>,
}

/// One mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    /// Without the angle brackets: `job-id@host`.
    pub message_id: String,
}

pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
    /// The host part of Message-IDs (from `TRYGG_PUBLIC_URL`).
    pub host: String,
    status: Mutex<SmtpStatus>,
}

impl Mailer {
    /// The configured mailer; a bad configuration is logged and shown as a warning, never fatal.
    pub fn from_config(config: &Config) -> Mailer {
        let host = host_of(&config.public_url);
        let from = config.mail_from.parse::<Mailbox>().ok();
        let mut status = SmtpStatus::default();
        let transport = match &config.smtp_url {
            None => {
                tracing::warn!("TRYGG_SMTP_URL is not set: no mail is sent; mail jobs wait in the queue");
                status.warning = Some("not_configured");
                None
            }
            Some(url) => match transport(url.expose_secret(), config.smtp_ca_file.as_deref()) {
                Ok(t) if from.is_some() => {
                    status.configured = true;
                    Some(t)
                }
                Ok(_) => {
                    tracing::error!("TRYGG_MAIL_FROM is not a mail address: no mail is sent");
                    status.warning = Some("invalid_configuration");
                    None
                }
                Err(e) => {
                    // The URL may hold a password: the error names the problem, never the URL.
                    tracing::error!(error = %e, "TRYGG_SMTP_URL or TRYGG_SMTP_CA_FILE is not usable: no mail is sent");
                    status.warning = Some("invalid_configuration");
                    None
                }
            },
        };
        Mailer { transport, from, host, status: Mutex::new(status) }
    }

    pub fn status(&self) -> SmtpStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn note(&self, ok: bool, now: i64) {
        if let Ok(mut s) = self.status.lock()
            && s.configured
        {
            if ok {
                s.warning = None;
                s.since = None;
            } else {
                s.warning = Some("unreachable");
                s.since = Some(now);
            }
        }
    }

    /// Opens a connection to the mail server once (at start): a clear log line if it fails.
    pub async fn check(&self, now: i64) {
        let Some(t) = &self.transport else { return };
        match t.test_connection().await {
            Ok(true) => {
                tracing::info!("the mail server answers");
                self.note(true, now);
            }
            Ok(false) | Err(_) => {
                tracing::error!("the mail server (TRYGG_SMTP_URL) does not answer: mail jobs wait and retry");
                self.note(false, now);
            }
        }
    }

    /// Sends `mail`. The error is a short reason for the job's `last_error` (no secrets).
    pub async fn send(&self, mail: &Mail, now: i64) -> Result<(), String> {
        let (Some(t), Some(from)) = (&self.transport, &self.from) else {
            return Err("no mail server is configured (TRYGG_SMTP_URL)".into());
        };
        let mut builder = Message::builder()
            .from(from.clone())
            .subject(&mail.subject)
            .message_id(Some(format!("<{}>", mail.message_id)))
            .header(ContentType::TEXT_PLAIN);
        for to in &mail.to {
            let to = to.parse::<Mailbox>().map_err(|_| "a recipient's address is not valid".to_owned())?;
            builder = builder.to(to);
        }
        let message = builder.body(mail.body.clone()).map_err(|e| format!("the mail could not be built: {e}"))?;
        match t.send(message).await {
            Ok(_) => {
                self.note(true, now);
                Ok(())
            }
            Err(e) => {
                let permanent = e.is_permanent();
                self.note(permanent, now);
                Err(if permanent {
                    format!(
                        "the mail server refused the mail: {}",
                        e.status().map(|c| c.to_string()).unwrap_or_default()
                    )
                } else {
                    "the mail server did not answer or failed".to_owned()
                })
            }
        }
    }
}

/// The transport for `url`, with `ca_file`'s root trusted beside the built-in ones.
fn transport(url: &str, ca_file: Option<&std::path::Path>) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|_| "TRYGG_SMTP_URL is not a valid smtp:// or smtps:// URL".to_owned())?
        .timeout(Some(SMTP_TIMEOUT));
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|e| format!("TRYGG_SMTP_CA_FILE {}: {e}", path.display()))?;
        let cert = Certificate::from_pem(&pem).map_err(|_| "TRYGG_SMTP_CA_FILE is not a PEM certificate".to_owned())?;
        let host = host_of(url);
        let params = TlsParameters::builder(host)
            .add_root_certificate(cert)
            .build_rustls()
            .map_err(|e| format!("TLS settings: {e}"))?;
        builder = if url.starts_with("smtps://") {
            builder.tls(Tls::Wrapper(params))
        } else if url.contains("tls=opportunistic") {
            builder.tls(Tls::Opportunistic(params))
        } else if url.contains("tls=required") {
            builder.tls(Tls::Required(params))
        } else {
            return Err("TRYGG_SMTP_CA_FILE needs smtps:// or ?tls=required".into());
        };
    }
    Ok(builder.build())
}

/// The host of a URL (`scheme://[user@]host[:port]/…`), or `localhost`.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    if host.is_empty() { "localhost".into() } else { host.to_owned() }
}

/// What a notification is about; each has its text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    UrgentReport,
    /// Several urgent reports that arrived together (one group-commit batch).
    UrgentReports,
    ReporterMessage,
    /// A report still without a first answer.
    Unanswered,
    /// A case without activity.
    Idle,
    Invitation,
    TwoFactorReset,
    PasswordChanged,
    SecondFactorChanged,
    /// A safety check-in was missed (who and how to reach them: only in the app).
    CheckinMissed,
    /// The person of a missed check-in has checked in.
    CheckinAllClear,
    /// A support task is past its due date.
    TaskDue,
    /// A case's deadline (the work-environment notice) is near or passed.
    WorkEnvDeadline,
    /// A risk flag is due for review (no address, no guidance).
    FlagReview,
}

/// Subject and body of `notice` in `lang` (`en`, else Swedish), with `link`. No content.
pub fn compose(notice: Notice, lang: &str, link: &str) -> (String, String) {
    let en = lang == "en";
    let (subject, lead) = match (notice, en) {
        (Notice::UrgentReport, false) => {
            ("Trygg: en brådskande rapport väntar", "En ny rapport som bör läsas snart har kommit in.")
        }
        (Notice::UrgentReport, true) => {
            ("Trygg: an urgent report is waiting", "A new report that should be read soon has arrived.")
        }
        (Notice::UrgentReports, false) => {
            ("Trygg: brådskande rapporter väntar", "Flera nya rapporter som bör läsas snart har kommit in.")
        }
        (Notice::UrgentReports, true) => {
            ("Trygg: urgent reports are waiting", "Several new reports that should be read soon have arrived.")
        }
        (Notice::ReporterMessage, false) => {
            ("Trygg: nytt meddelande från en rapportör", "En rapportör har skrivit ett nytt meddelande i ett ärende.")
        }
        (Notice::ReporterMessage, true) => {
            ("Trygg: a new message from a reporter", "A reporter has written a new message in a case.")
        }
        (Notice::Unanswered, false) => {
            ("Trygg: en rapport väntar på svar", "En rapport har ännu inte fått något första svar.")
        }
        (Notice::Unanswered, true) => {
            ("Trygg: a report is waiting for an answer", "A report has not had a first answer yet.")
        }
        (Notice::Idle, false) => {
            ("Trygg: ett ärende har stått stilla", "Ett ärende har inte haft någon aktivitet på ett tag.")
        }
        (Notice::Idle, true) => ("Trygg: a case has been idle", "A case has had no activity for a while."),
        (Notice::Invitation, false) => {
            ("Trygg: du är inbjuden", "Du har bjudits in till Trygg. Öppna länken för att skapa ditt konto.")
        }
        (Notice::Invitation, true) => {
            ("Trygg: you are invited", "You have been invited to Trygg. Open the link to create your account.")
        }
        (Notice::TwoFactorReset, false) => (
            "Trygg: återställ tvåstegsinloggning",
            "En administratör har återställt din tvåstegsinloggning. Öppna länken för att ställa in den på nytt.",
        ),
        (Notice::TwoFactorReset, true) => (
            "Trygg: reset your two-factor sign-in",
            "An administrator has reset your two-factor sign-in. Open the link to set it up again.",
        ),
        (Notice::PasswordChanged, false) => (
            "Trygg: ditt lösenord har ändrats",
            "Lösenordet till ditt konto i Trygg har ändrats. Var det inte du? Kontakta din administratör genast.",
        ),
        (Notice::PasswordChanged, true) => (
            "Trygg: your password was changed",
            "The password of your Trygg account was changed. If this was not you, contact your administrator at once.",
        ),
        (Notice::SecondFactorChanged, false) => (
            "Trygg: din tvåstegsinloggning har ändrats",
            "Tvåstegsinloggningen till ditt konto i Trygg har ändrats. Var det inte du? Kontakta din administratör genast.",
        ),
        (Notice::SecondFactorChanged, true) => (
            "Trygg: your two-factor sign-in was changed",
            "The two-factor sign-in of your Trygg account was changed. If this was not you, contact your administrator at once.",
        ),
        (Notice::CheckinMissed, false) => (
            "Trygg: en incheckning har missats",
            "Någon som bett Trygg att hålla koll på dem har inte checkat in i tid. Öppna länken för att se vem och hur du når personen.",
        ),
        (Notice::CheckinMissed, true) => (
            "Trygg: a safety check-in was missed",
            "Someone who asked Trygg to check on them has not checked in on time. Open the link to see who and how to reach them.",
        ),
        (Notice::CheckinAllClear, false) => (
            "Trygg: faran över för en missad incheckning",
            "Personen vars incheckning missades har nu checkat in. Skriv gärna vad som gjordes i Trygg.",
        ),
        (Notice::CheckinAllClear, true) => (
            "Trygg: all clear for a missed check-in",
            "The person whose check-in was missed has now checked in. Please record in Trygg what was done.",
        ),
        (Notice::TaskDue, false) => {
            ("Trygg: en uppföljning är försenad", "En uppföljningsuppgift som du äger har passerat sitt datum.")
        }
        (Notice::TaskDue, true) => ("Trygg: a follow-up is overdue", "A follow-up task you own is past its due date."),
        (Notice::WorkEnvDeadline, false) => {
            ("Trygg: en tidsfrist i ett ärende", "Ett ärende har en tidsfrist som närmar sig eller har passerat.")
        }
        (Notice::WorkEnvDeadline, true) => {
            ("Trygg: a deadline in a case", "A case has a deadline that is near or has passed.")
        }
        (Notice::FlagReview, false) => (
            "Trygg: en riskflagga ska granskas",
            "En riskflagga ska snart granskas: förläng, ändra eller häv den. Öppna länken för att se den.",
        ),
        (Notice::FlagReview, true) => (
            "Trygg: a risk flag is due for review",
            "A risk flag is due for review soon: extend, change or lift it. Open the link to see it.",
        ),
    };
    let tail = if en {
        "This message holds no details on purpose: e-mail is not a safe channel. Sign in to Trygg to read more."
    } else {
        "Meddelandet innehåller medvetet inga detaljer: e-post är ingen säker kanal. Logga in i Trygg för att läsa mer."
    };
    (subject.to_owned(), format!("{lead}\n\n{link}\n\n{tail}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_a_url_drops_scheme_credentials_port_and_path() {
        assert_eq!(host_of("https://trygg.region.se/x"), "trygg.region.se");
        assert_eq!(host_of("smtp://user:pw@127.0.0.1:2525"), "127.0.0.1");
        assert_eq!(host_of("smtps://mail.region.se?tls=required"), "mail.region.se");
        assert_eq!(host_of("http://[::1]:8080/"), "[::1]");
        assert_eq!(host_of(""), "localhost");
    }

    #[test]
    fn every_notice_has_a_swedish_and_an_english_text_with_the_link() {
        for n in [
            Notice::UrgentReport,
            Notice::UrgentReports,
            Notice::ReporterMessage,
            Notice::Unanswered,
            Notice::Idle,
            Notice::Invitation,
            Notice::TwoFactorReset,
            Notice::PasswordChanged,
            Notice::SecondFactorChanged,
            Notice::CheckinMissed,
            Notice::CheckinAllClear,
            Notice::TaskDue,
            Notice::WorkEnvDeadline,
            Notice::FlagReview,
        ] {
            let (sv_subject, sv) = compose(n, "sv", "https://x/l");
            let (en_subject, en) = compose(n, "en", "https://x/l");
            assert_ne!(sv_subject, en_subject);
            assert!(sv.contains("https://x/l") && en.contains("https://x/l"));
            assert!(sv.contains("Logga in") && en.contains("Sign in"));
        }
    }

    #[test]
    fn an_unset_mail_server_is_a_warning_not_an_error() {
        let m = Mailer::from_config(&Config::default());
        assert_eq!(m.status(), SmtpStatus { configured: false, warning: Some("not_configured"), since: None });
        let bad = Config { smtp_url: Some("gopher://x".to_owned().into()), ..Config::default() };
        assert_eq!(Mailer::from_config(&bad).status().warning, Some("invalid_configuration"));
    }
}
