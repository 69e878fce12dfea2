//! `/api/checklists` and `/api/contacts`: what to do and whom to call, in Swedish and English.
//! The reporter's start bundle decodes these (and `Receipt`): keep them small.

use serde::{Deserialize, Serialize};

// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    pub sv: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistItem {
    pub id: i64,
    pub text: Localized,
}

// The steps for one role in one phase, in order. The server echoes the situation (`role`,
// `phase`); the app asked for it and never reads it back, so those two fields do not exist in the
// wasm: decoding them cost the reporter's start bundle ~800 bytes brotli, and the app's cached
// copies (`trygg.cache.checklist.v1.*`) have never held them. (A target gate, not a feature:
// trunk's build unifies features with the server's, so a feature would be on in the wasm too.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checklist {
    #[cfg(not(target_family = "wasm"))]
    pub role: String,
    #[cfg(not(target_family = "wasm"))]
    pub phase: String,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub name: Localized,
    /// As written, e.g. `114 14`; null until an administrator adds it.
    pub phone: Option<String>,
    /// A `tel:` URI for one-tap calling, e.g. `tel:11414`.
    pub tel: Option<String>,
    pub note: Localized,
    /// Which roles the contact is for.
    pub roles: Vec<String>,
}

impl Contact {
    /// True when the contact is meant for people in `role` (wire value).
    pub fn is_for(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactGroup {
    /// `emergency`, `region` or `support`
    pub group: String,
    pub contacts: Vec<Contact>,
}

// The phone list in groups, emergency first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contacts {
    pub groups: Vec<ContactGroup>,
}

/// One situation's checklist inside [`ContentBundle`]: the role and phase it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SituationChecklist {
    /// A reporter role's wire name, e.g. `healthcare`.
    pub role: String,
    /// `before`, `during` or `after`.
    #[cfg_attr(feature = "openapi", schema(value_type = trygg_domain::Phase))]
    pub phase: String,
    pub items: Vec<ChecklistItem>,
}

/// `GET /api/content`: every checklist and the whole phone list at once, so the reporter's
/// device keeps all of them after one online visit (a situation never opened works offline).
/// `version` changes with every administrator's edit; it is also the answer's `ETag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentBundle {
    /// The app never reads it (the `ETag` does its job), so it is not decoded in the wasm.
    #[cfg(not(target_family = "wasm"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
    pub checklists: Vec<SituationChecklist>,
    pub contacts: Contacts,
    /// The notices current today, for every role (the device keeps those of its own).
    #[serde(default)]
    pub notices: Vec<crate::notices::PublicNotice>,
}

impl ContentBundle {
    /// The checklist of one situation, if the bundle has it.
    pub fn checklist(&self, role: &str, phase: &str) -> Option<Checklist> {
        self.checklists.iter().find(|c| c.role == role && c.phase == phase).map(|c| Checklist {
            #[cfg(not(target_family = "wasm"))]
            role: c.role.clone(),
            #[cfg(not(target_family = "wasm"))]
            phase: c.phase.clone(),
            items: c.items.clone(),
        })
    }
}
