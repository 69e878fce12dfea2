//! Checklists and the phone list: read-mostly content that administrators will edit.

use super::{Db, on_db};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct ChecklistItem {
    pub id: i64,
    pub position: i64,
    pub text_sv: String,
    pub text_en: String,
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
}

impl Db {
    pub async fn checklist(&self, role: &str, phase: &str) -> Result<Vec<ChecklistItem>, sqlx::Error> {
        let sql = "SELECT id, position, text_sv, text_en FROM checklist_items
            WHERE role = $1 AND phase = $2 ORDER BY position";
        on_db!(self, |pool| sqlx::query_as(sql).bind(role).bind(phase).fetch_all(pool).await)
    }

    pub async fn contacts(&self) -> Result<Vec<Contact>, sqlx::Error> {
        let sql = "SELECT id, grp, position, name_sv, name_en, phone, note_sv, note_en, roles FROM contacts
            ORDER BY CASE grp WHEN 'emergency' THEN 0 WHEN 'region' THEN 1 ELSE 2 END, position";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }
}
