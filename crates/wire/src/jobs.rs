//! `/api/admin/jobs…`: jobs that failed for good (for an administrator to see and retry) and
//! the state of the mail server.

use serde::{Deserialize, Serialize};

/// Why mail may not be going out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmtpWarning {
    /// `TRYGG_SMTP_URL` is not set: no mail is sent; mail jobs wait and retry.
    NotConfigured,
    /// `TRYGG_SMTP_URL`, `TRYGG_MAIL_FROM` or `TRYGG_SMTP_CA_FILE` is not usable.
    InvalidConfiguration,
    /// The mail server did not answer at the last check or send.
    Unreachable,
}

/// The mail server as this server sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmtpState {
    /// Whether a usable mail server is configured.
    pub configured: bool,
    /// `null` when the last check or send went through.
    pub warning: Option<SmtpWarning>,
    /// When the warning was last confirmed.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub since: Option<String>,
}

/// A job that failed after its last attempt. It holds no report content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedJob {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    /// What the job does: `mail.urgent_report`, `mail.reporter_message`, `mail.reminder`,
    /// `mail.invitation`, `mail.two_factor_reset`, `mail.account_notice`, `scheduler.tick`.
    #[cfg_attr(feature = "openapi", schema(max_length = 64, example = "mail.urgent_report"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub attempts: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub max_attempts: i64,
    /// The last attempt's error: a short reason, never a secret nor report content.
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub last_error: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub failed_at: Option<String>,
}

/// What the administrators' jobs page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobsOverview {
    pub smtp: SmtpState,
    /// Failed jobs, newest failure first (at most 200).
    pub failed: Vec<FailedJob>,
}
