//! `/api/admin/contacts*` and `/api/admin/checklists*`: the phone list and the checklists as
//! administrators edit them. Every row carries its `version`; an edit or removal names the
//! version it started from and a stale one is answered `409 version_conflict` with the newer
//! state ([`ContactConflict`], [`StepConflict`]), so two admins never silently overwrite each other.

use crate::content::Localized;
use serde::{Deserialize, Serialize};

/// A reporter role (a situation's "who I am"): rows, not a fixed list, so a region can add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterRole {
    /// Wire name, e.g. `healthcare`.
    pub role: String,
    pub name: Localized,
}

/// A contact as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminContact {
    pub id: i64,
    /// `emergency`, `region` or `support`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(emergency|region|support)$"))]
    pub group: String,
    pub name: Localized,
    pub note: Localized,
    /// As written, e.g. `010-123 45 67`; null when the contact has no number yet.
    pub phone: Option<String>,
    /// What a tap dials, e.g. `tel:+46101234567`.
    pub tel: Option<String>,
    /// The reporter roles that see it.
    pub roles: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

/// The whole phone list for editing, and the roles a contact can be for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminContacts {
    /// In order: emergency, region, support; each group's contacts in their order.
    pub contacts: Vec<AdminContact>,
    pub roles: Vec<ReporterRole>,
}

/// A new or edited contact. `version`: the version the edit started from (ignored on create).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactBody {
    #[cfg_attr(feature = "openapi", schema(pattern = "^(emergency|region|support)$"))]
    pub group: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name_sv: String,
    /// Falls back to `name_sv` when empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name_en: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub note_sv: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub note_en: String,
    /// As people write it: `010-123 45 67`, `+46 10 123 45 67`, `114 14`, `112`; empty for none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub roles: Vec<String>,
    #[serde(default)]
    pub version: i64,
}

/// A list's new order: every id of the list, once each, in the order wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactOrder {
    #[cfg_attr(feature = "openapi", schema(pattern = "^(emergency|region|support)$"))]
    pub group: String,
    pub ids: Vec<i64>,
}

/// `?version=` on a removal: the version the administrator saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct VersionQuery {
    pub version: i64,
}

/// A checklist step as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminStep {
    pub id: i64,
    pub text: Localized,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

/// One situation's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminChecklist {
    pub role: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Phase))]
    pub phase: String,
    pub steps: Vec<AdminStep>,
}

/// Every situation's checklist (each role × before, during, after), and the roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminChecklists {
    pub checklists: Vec<AdminChecklist>,
    pub roles: Vec<ReporterRole>,
}

/// A new step (`role`, `phase` name its situation) or an edited one (`version` it started from).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepBody {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<trygg_domain::Phase>))]
    pub phase: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub text_sv: String,
    /// Falls back to `text_sv` when empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub text_en: String,
    #[serde(default)]
    pub version: i64,
}

/// A checklist's new order: every step id of the situation, once each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepOrder {
    pub role: String,
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Phase))]
    pub phase: String,
    pub ids: Vec<i64>,
}

/// The error envelope's fields for `409 version_conflict`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictError {
    /// `version_conflict`.
    pub code: String,
    pub message: String,
    /// Always empty (the envelope's shape).
    pub fields: Vec<String>,
}

/// `409`: someone else changed the contact first; `current` is its state now (null: removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactConflict {
    pub error: ConflictError,
    pub current: Option<AdminContact>,
}

/// `409`: someone else changed the step first; `current` is its state now (null: removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepConflict {
    pub error: ConflictError,
    pub current: Option<AdminStep>,
}
