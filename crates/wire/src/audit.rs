//! `/api/audit…`: the access log's entries and the verdict of its verification.

use serde::{Deserialize, Serialize};

// One entry of the access log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub user_id: Option<String>,
    pub action: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: Option<String>,
    pub reason: Option<String>,
    pub hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Verdict))]
pub struct AuditVerdict {
    pub ok: bool,
    pub entries: i64,
    /// The first entry whose hash, link or HMAC does not match, or where entries are missing.
    pub broken_at: Option<i64>,
    /// What is wrong: `chain` (an entry's hash or link), `mac` (an entry's HMAC: written
    /// without the server's key), `tail` (entries missing before the database's head),
    /// `behind_anchor` (the log ends before the head this server last saw intact: a cut
    /// tail, a rewound head, an emptied log or an old copy), `anchor_mismatch` (the log does
    /// not pass through that head: rewritten), `anchor_invalid` (the anchor file is unreadable
    /// or not made with the server's key).
    pub problem: Option<String>,
    /// The `seq` of the head recorded outside the database that this check compared with.
    pub anchor_seq: Option<i64>,
}
