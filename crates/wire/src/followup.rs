//! `/api/followup…`: the reporter's view of their report by receipt code alone.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub receipt_code: String,
    /// The message (`POST /api/followup/messages`); the app sends it empty to
    /// `POST /api/followup`, whose schema is [`FollowUpCode`].
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 4000,
            pattern = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
        )
    )]
    pub body: String,
}

/// The schema of `POST /api/followup`'s body: the receipt code alone (a `body` sent along is
/// ignored). The app sends a [`FollowUp`] with an empty body.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FollowUpCode {
    #[schema(required = true)]
    pub receipt_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadMessage {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// `coordinator` or `reporter`
    pub from: String,
    pub body: String,
}

// What the reporter may see: status and messages, never internal notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Thread {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub received_at: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Status))]
    pub status: String,
    pub closed_reason: Option<String>,
    /// When a coordinator last wrote (for a "new answer" badge on the device).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_answer_at: Option<String>,
    pub messages: Vec<ThreadMessage>,
    /// What the report was about, so the reporter recognises it (only after the code is given).
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::IncidentKind))]
    #[serde(default)]
    pub kind: String,
    /// When it happened, as the reporter gave it.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(default)]
    pub occurred_at: String,
    /// The first words of the description (at most 80 characters, cut at a word).
    #[cfg_attr(feature = "openapi", schema(max_length = 81))]
    #[serde(default)]
    pub excerpt: String,
    /// Until a coordinator first answers: by when an answer can be expected (1 hour after arrival
    /// for an urgent report, 24 hours for a routine one; `trygg_domain::answer_expected_within_hours`).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    #[serde(default)]
    pub answer_expected_by: Option<String>,
    /// Whether the report counted as urgent on arrival (it sets the expected answer time).
    #[serde(default)]
    pub urgent: bool,
    /// The agreed next steps of the report's support tasks (never their internal notes).
    #[serde(default)]
    pub next_steps: Vec<crate::after::AgreedStep>,
}

/// The most receipt codes one `POST /api/followup/answers` may ask about.
pub const MAX_ANSWER_CODES: usize = 20;

/// `POST /api/followup/answers`: the receipt codes kept on a device (at most 20), to learn which
/// has a new answer without fetching any report's content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswersQuery {
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub receipt_codes: Vec<String>,
}

/// Per code, in the order asked: when a coordinator last wrote (null: no answer yet, or no
/// report with that code). Nothing else about the report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<String>>))]
    pub last_answer_at: Vec<Option<String>>,
}
