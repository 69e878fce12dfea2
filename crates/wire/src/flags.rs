//! `/api/reports/{id}/flags`, `/api/flags/…`, `/api/lookup` and `/api/lookup-tokens`: risk flags
//! for crews. A coordinator proposes a flag on an address from a report, a second coordinator
//! approves it, a review extends, changes or lifts it; crews (the `responder` role) and dispatch
//! systems (a look-up token) look up one exact address and learn only the active flags' level,
//! category and guidance.
//!
//! Dates are calendar dates (`YYYY-MM-DD`) in the region's time zone: a flag ends at the end of
//! its end date; the end date is at most 12 months ahead.

use serde::{Deserialize, Serialize};

/// How careful a crew must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagLevel {
    Caution,
    PoliceEscort,
}

/// What the risk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagCategory {
    Weapon,
    Violence,
    Threats,
    Dog,
    Other,
}

/// Where a flag is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagState {
    /// Waiting for a second coordinator; never matches a look-up.
    Proposed,
    /// Matches look-ups until its end date.
    Active,
    /// Ended by a review; never matches again.
    Lifted,
}

/// Error codes of the flag routes beyond the usual ones.
pub mod codes {
    /// 403: the proposer tried to approve their own flag.
    pub const OWN_FLAG: &str = "own_flag";
    /// 409: the flag is not in a state that allows this (e.g. approving an active flag).
    pub const WRONG_STATE: &str = "wrong_state";
}

/// Field names of the flag forms' field errors (`fields[].field`; code `<field>.<kind>`).
pub mod fields {
    pub const ADDRESS: &str = "address";
    pub const GUIDANCE_SV: &str = "guidance_sv";
    pub const GUIDANCE_EN: &str = "guidance_en";
    pub const REASON: &str = "reason";
    pub const ENDS_ON: &str = "ends_on";
    pub const REVIEW_ON: &str = "review_on";
    pub const INFORMED_ON: &str = "informed_on";
    pub const NOT_INFORMED_REASON: &str = "not_informed_reason";
    pub const PURPOSE: &str = "purpose";
    pub const NAME: &str = "name";
}

/// Whether the resident was told of the flag: when, or why not. Both empty: not recorded yet.
/// Read only from a JSON object (serde's derive would also take `[date, reason]`, which the
/// schema does not allow).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResidentInformed {
    /// The date the resident was informed.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub informed_on: Option<String>,
    /// Why the resident was not informed (e.g. it would raise the risk); at most 500 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub not_informed_reason: Option<String>,
}

#[derive(Deserialize)]
struct ResidentFields {
    informed_on: Option<String>,
    not_informed_reason: Option<String>,
}

impl<'de> Deserialize<'de> for ResidentInformed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectOnly;
        impl<'de> serde::de::Visitor<'de> for ObjectOnly {
            type Value = ResidentFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<ResidentFields, A::Error> {
                ResidentFields::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        let f = d.deserialize_map(ObjectOnly)?;
        Ok(ResidentInformed { informed_on: f.informed_on, not_informed_reason: f.not_informed_reason })
    }
}

/// `POST /api/reports/{id}/flags`: a coordinator's proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagProposal {
    /// A Swedish address: street, number, entrance, `lgh NNNN`, postcode and/or town.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, example = "Storgatan 12 B, 123 45 Stockholm")
    )]
    pub address: String,
    pub level: FlagLevel,
    pub category: FlagCategory,
    /// What crews should do, in Swedish (1–500 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub guidance_sv: String,
    /// What crews should do, in English (1–500 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub guidance_en: String,
    /// Why (internal, never shown to crews; 1–1000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
    /// The last day the flag holds; at most 12 months ahead. Absent: 3 months ahead.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: Option<String>,
    /// When to review it; not after the end date. Absent: 2 months ahead (or the end date).
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub review_on: Option<String>,
    #[serde(default)]
    pub resident: ResidentInformed,
}

/// A flag as coordinators see it (never shown to crews).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub report_id: String,
    /// The address as the proposer wrote it.
    pub address: String,
    /// The normalised key the look-up matches exactly.
    pub address_key: String,
    pub level: FlagLevel,
    pub category: FlagCategory,
    pub guidance_sv: String,
    pub guidance_en: String,
    pub reason: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub review_on: String,
    pub state: FlagState,
    /// Whether the end date has passed (an expired flag never matches).
    pub expired: bool,
    pub proposed_by: String,
    pub approved_by: Option<String>,
    pub resident: ResidentInformed,
    /// Send it back with a change; a change from an older version gets 409 `version_conflict`.
    pub version: i64,
}

/// `POST /api/flags/{id}/approve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagApproval {
    pub version: i64,
}

/// What a review does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    /// New end and/or review date.
    Extend,
    /// New level, category, guidance, dates or resident information.
    Change,
    /// Ends the flag now.
    Lift,
}

/// `POST /api/flags/{id}/review`: absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagReview {
    pub action: ReviewAction,
    /// Why (1–1000 characters; in the audit log).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
    pub version: i64,
    pub level: Option<FlagLevel>,
    pub category: Option<FlagCategory>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub guidance_sv: Option<String>,
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub guidance_en: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub ends_on: Option<String>,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub review_on: Option<String>,
    pub resident: Option<ResidentInformed>,
}

/// One change in a flag's history (from the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagEvent {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub by: Option<String>,
    /// `flag.propose`, `flag.approve`, `flag.extend`, `flag.change`, `flag.lift`.
    pub action: String,
    pub detail: Option<String>,
}

/// One look-up of the flag's address (or its building), whether or not a flag matched then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagLookupSeen {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// The responder's name or `token: <name>`.
    pub by: String,
    pub purpose: String,
    /// Whether an active flag matched (a look-up before approval or after the end: no).
    #[serde(default)]
    pub matched: bool,
}

/// `GET /api/flags/{id}`: the flag, its history and who looked it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagDetail {
    pub flag: Flag,
    pub history: Vec<FlagEvent>,
    pub lookups: Vec<FlagLookupSeen>,
}

/// `POST /api/lookup`: one exact address and why it is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub address: String,
    /// Why: e.g. the call's number (1–100 characters; logged).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub purpose: String,
}

/// What a crew learns of one active flag: nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupFlag {
    pub level: FlagLevel,
    pub category: FlagCategory,
    pub guidance_sv: String,
    pub guidance_en: String,
}

/// The answer of a look-up: the active flags of exactly that address (empty: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupAnswer {
    pub flags: Vec<LookupFlag>,
}

/// `POST /api/lookup-tokens`: a new token for a dispatch system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLookupToken {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// A look-up token (its secret only once, in the answer that creates it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupToken {
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub revoked_at: Option<String>,
    /// The bearer token; present only when just created, never stored.
    pub token: Option<String>,
}

/// `GET /api/lookups`: one look-up in the log, hit or miss (the address itself is not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupLogEntry {
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// The responder's name or `token: <name>`.
    pub by: String,
    pub matched: bool,
    pub purpose: String,
}

#[cfg(test)]
mod resident_tests {
    use super::ResidentInformed;

    #[test]
    fn the_resident_is_read_only_from_an_object() {
        let r: ResidentInformed = serde_json::from_str(r#"{"informed_on":"2026-11-27"}"#).unwrap();
        assert_eq!(r.informed_on.as_deref(), Some("2026-11-27"));
        assert!(serde_json::from_str::<ResidentInformed>("[null, null]").is_err());
    }
}
