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
    /// The agreed next steps of the report's support tasks (never their internal notes).
    #[serde(default)]
    pub next_steps: Vec<crate::after::AgreedStep>,
}
