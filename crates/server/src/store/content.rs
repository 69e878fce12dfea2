//! Checklists, the phone list and the reporter roles: read by every reporter, edited by
//! administrators ([`super::content_admin`]). Every edit bumps the `content_version` setting,
//! which is the ETag of `GET /api/content`.

use super::{Db, on_db};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct ChecklistItem {
    pub id: i64,
    pub role: String,
    pub phase: String,
    pub position: i64,
    pub text_sv: String,
    pub text_en: String,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct Contact {
    pub id: i64,
    pub grp: String,
    pub position: i64,
    pub name_sv: String,
    pub name_en: String,
    pub phone: Option<String>,
    pub note_sv: String,
    pub note_en: String,
    pub roles: String,
    pub version: i64,
}

impl Contact {
    /// The roles it is for (stored comma-separated).
    pub fn role_list(&self) -> Vec<String> {
        self.roles.split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect()
    }
}

/// A reporter role (the "who I am" of a situation).
#[derive(Debug, Clone, FromRow)]
pub struct ReporterRole {
    pub role: String,
    pub name_sv: String,
    pub name_en: String,
}

pub(crate) const ITEM_COLUMNS: &str = "id, role, phase, position, text_sv, text_en, version";
pub(crate) const CONTACT_COLUMNS: &str = "id, grp, position, name_sv, name_en, phone, note_sv, note_en, roles, version";
/// The phone list's order: emergency, region, support; then position.
pub(crate) const CONTACT_ORDER: &str =
    "ORDER BY CASE grp WHEN 'emergency' THEN 0 WHEN 'region' THEN 1 ELSE 2 END, position";

impl Db {
    pub async fn checklist(&self, role: &str, phase: &str) -> Result<Vec<ChecklistItem>, sqlx::Error> {
        let sql =
            format!("SELECT {ITEM_COLUMNS} FROM checklist_items WHERE role = $1 AND phase = $2 ORDER BY position");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(role).bind(phase).fetch_all(pool).await)
    }

    /// Every checklist item, by role (in the roles' order), phase (before, during, after), position.
    pub async fn all_checklists(&self) -> Result<Vec<ChecklistItem>, sqlx::Error> {
        let sql = "SELECT i.id, i.role, i.phase, i.position, i.text_sv, i.text_en, i.version
            FROM checklist_items i JOIN reporter_roles r ON r.role = i.role
            ORDER BY r.position, CASE i.phase WHEN 'before' THEN 0 WHEN 'during' THEN 1 ELSE 2 END, i.position";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }

    pub async fn contacts(&self) -> Result<Vec<Contact>, sqlx::Error> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts {CONTACT_ORDER}");
        on_db!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
    }

    /// The reporter roles, in order.
    pub async fn reporter_roles(&self) -> Result<Vec<ReporterRole>, sqlx::Error> {
        let sql = "SELECT role, name_sv, name_en FROM reporter_roles ORDER BY position";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }

    /// The version of the content (checklists and phone list) as a whole.
    pub async fn content_version(&self) -> Result<i64, sqlx::Error> {
        self.setting("content_version").await
    }

    /// One setting's value (see the `settings` table).
    pub async fn setting(&self, name: &str) -> Result<i64, sqlx::Error> {
        let sql = "SELECT value FROM settings WHERE name = $1";
        on_db!(self, |pool| sqlx::query_scalar(sql).bind(name).fetch_one(pool).await)
    }
}
