//! `/api/followup…`: the reporter's view of their report by receipt code alone.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    #[serde(default)]
    pub receipt_code: String,
    /// Only for `POST /api/followup/messages`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub body: String,
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
}
