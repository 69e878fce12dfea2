//! Administrators' edits of the phone list and the checklists. Each edit is one transaction that
//! first bumps `content_version` (which also serialises content edits across servers: the row
//! lock on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), changes the row only if its `version` is
//! still the one the administrator started from, and appends the access-log entry (who, what,
//! before → after) — so an edit is never without its audit entry, nor an entry without its edit.

use super::audit::{Entry, append_in_tx};
use super::content::{CONTACT_COLUMNS, CONTACT_ORDER, ChecklistItem, Contact, ITEM_COLUMNS};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use serde_json::{Value, json};
use trygg_domain::{ContactInput, StepInput};
use uuid::Uuid;

/// The result of an edit that names the version it started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    Done(T),
    /// Someone changed it first: its state now (`None`: it was removed).
    Stale(Option<T>),
    /// No such row (or, for a reorder, a list whose ids are not the ones given).
    Missing,
}

fn contact_json(c: &Contact) -> Value {
    json!({"id": c.id, "group": c.grp, "position": c.position, "name_sv": c.name_sv, "name_en": c.name_en,
        "note_sv": c.note_sv, "note_en": c.note_en, "phone": c.phone, "roles": c.roles})
}

fn item_json(i: &ChecklistItem) -> Value {
    json!({"id": i.id, "role": i.role, "phase": i.phase, "position": i.position, "text_sv": i.text_sv, "text_en": i.text_en})
}

/// The audit entry's reason: `{"before": …, "after": …}` (null for a creation or a removal).
fn change(before: Option<Value>, after: Option<Value>) -> String {
    json!({"before": before, "after": after}).to_string()
}

const BUMP: &str =
    "UPDATE settings SET value = value + 1, version = version + 1, updated_at = $1 WHERE name = 'content_version'";

/// Runs `$body` inside a content-editing transaction `$tx` on `$db`; `$body` evaluates to
/// `Result<(Outcome<T>, Option<String>), sqlx::Error>`: the outcome and, when something changed,
/// the audit entry's reason. Commits only when there is a reason.
macro_rules! content_tx {
    ($db:expr, $keys:expr, $user:expr, $action:expr, $now:expr, |$tx:ident| $body:expr) => {
        on_db!($db, |pool| {
            let mut $tx = pool.begin_write().await?;
            sqlx::query(BUMP).bind($now).execute(&mut *$tx).await?;
            let (outcome, reason): (Outcome<_>, Option<String>) = $body;
            if let Some(reason) = reason {
                let entry = Entry { user_id: Some($user), action: $action, report_id: None, reason: Some(&reason) };
                append_in_tx!($tx, $keys, &entry);
                $tx.commit().await?;
            } else {
                $tx.rollback().await?;
            }
            Ok(outcome)
        })
    };
}

impl Db {
    pub async fn contact(&self, id: i64) -> Result<Option<Contact>, sqlx::Error> {
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    pub async fn create_contact(
        &self,
        keys: &Keys,
        user: Uuid,
        c: &ContactInput,
        now: i64,
    ) -> Result<Outcome<Contact>, sqlx::Error> {
        let select = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        content_tx!(self, keys, user, "content.contact_create", now, |tx| {
            let position: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE grp = $1")
                    .bind(&c.group)
                    .fetch_one(&mut *tx)
                    .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contacts (grp, position, name_sv, name_en, phone, note_sv, note_en, roles, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&c.group)
            .bind(position)
            .bind(&c.name_sv)
            .bind(&c.name_en)
            .bind(c.phone.as_ref().map(|p| p.display().to_owned()))
            .bind(&c.note_sv)
            .bind(&c.note_en)
            .bind(c.roles.join(","))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let row: Contact = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
            let reason = change(None, Some(contact_json(&row)));
            (Outcome::Done(row), Some(reason))
        })
    }

    /// Changes a contact's texts, number, group or roles if it is still at `version`.
    pub async fn update_contact(
        &self,
        keys: &Keys,
        user: Uuid,
        id: i64,
        version: i64,
        c: &ContactInput,
        now: i64,
    ) -> Result<Outcome<Contact>, sqlx::Error> {
        let select = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        content_tx!(self, keys, user, "content.contact_update", now, |tx| {
            let before: Option<Contact> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            match before {
                None => (Outcome::Missing, None),
                Some(b) if b.version != version => (Outcome::Stale(Some(b)), None),
                Some(b) => {
                    // A move to another group goes to its end.
                    let position: i64 = if b.grp == c.group {
                        b.position
                    } else {
                        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE grp = $1")
                            .bind(&c.group)
                            .fetch_one(&mut *tx)
                            .await?
                    };
                    sqlx::query(
                        "UPDATE contacts SET grp = $2, position = $3, name_sv = $4, name_en = $5, phone = $6,
                            note_sv = $7, note_en = $8, roles = $9, updated_at = $10, version = version + 1
                         WHERE id = $1 AND version = $11",
                    )
                    .bind(id)
                    .bind(&c.group)
                    .bind(position)
                    .bind(&c.name_sv)
                    .bind(&c.name_en)
                    .bind(c.phone.as_ref().map(|p| p.display().to_owned()))
                    .bind(&c.note_sv)
                    .bind(&c.note_en)
                    .bind(c.roles.join(","))
                    .bind(now)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                    let after: Contact = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
                    let reason = change(Some(contact_json(&b)), Some(contact_json(&after)));
                    (Outcome::Done(after), Some(reason))
                }
            }
        })
    }

    /// Removes a contact if it is still at `version`; answers the stale contact otherwise.
    pub async fn delete_contact(
        &self,
        keys: &Keys,
        user: Uuid,
        id: i64,
        version: i64,
        now: i64,
    ) -> Result<Outcome<Contact>, sqlx::Error> {
        let select = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
        content_tx!(self, keys, user, "content.contact_delete", now, |tx| {
            let before: Option<Contact> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            match before {
                None => (Outcome::Missing, None),
                Some(b) if b.version != version => (Outcome::Stale(Some(b)), None),
                Some(b) => {
                    sqlx::query("DELETE FROM contacts WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    let reason = change(Some(contact_json(&b)), None);
                    (Outcome::Done(b), Some(reason))
                }
            }
        })
    }

    /// Puts a group's contacts in the order of `ids`, which must be exactly the group's ids.
    pub async fn reorder_contacts(
        &self,
        keys: &Keys,
        user: Uuid,
        group: &str,
        ids: &[i64],
        now: i64,
    ) -> Result<Outcome<()>, sqlx::Error> {
        let select = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE grp = $1 {CONTACT_ORDER}");
        content_tx!(self, keys, user, "content.contacts_reorder", now, |tx| {
            let rows: Vec<Contact> = sqlx::query_as(&select).bind(group).fetch_all(&mut *tx).await?;
            let before: Vec<i64> = rows.iter().map(|r| r.id).collect();
            if !same_set(&before, ids) {
                (Outcome::Stale(None), None)
            } else if before == ids {
                (Outcome::Done(()), None)
            } else {
                // Two steps, so that no moment holds two rows at one (group, position).
                sqlx::query("UPDATE contacts SET position = -position WHERE grp = $1")
                    .bind(group)
                    .execute(&mut *tx)
                    .await?;
                for (i, id) in ids.iter().enumerate() {
                    sqlx::query("UPDATE contacts SET position = $2, updated_at = $3 WHERE id = $1")
                        .bind(id)
                        .bind(i as i64 + 1)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                let reason =
                    change(Some(json!({"group": group, "ids": before})), Some(json!({"group": group, "ids": ids})));
                (Outcome::Done(()), Some(reason))
            }
        })
    }

    pub async fn checklist_item(&self, id: i64) -> Result<Option<ChecklistItem>, sqlx::Error> {
        let sql = format!("SELECT {ITEM_COLUMNS} FROM checklist_items WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// Adds a step at the end of a situation's checklist.
    pub async fn create_step(
        &self,
        keys: &Keys,
        user: Uuid,
        role: &str,
        phase: &str,
        s: &StepInput,
        now: i64,
    ) -> Result<Outcome<ChecklistItem>, sqlx::Error> {
        let select = format!("SELECT {ITEM_COLUMNS} FROM checklist_items WHERE id = $1");
        content_tx!(self, keys, user, "content.step_create", now, |tx| {
            let position: i64 = sqlx::query_scalar(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM checklist_items WHERE role = $1 AND phase = $2",
            )
            .bind(role)
            .bind(phase)
            .fetch_one(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO checklist_items (role, phase, position, text_sv, text_en, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(role)
            .bind(phase)
            .bind(position)
            .bind(&s.text_sv)
            .bind(&s.text_en)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let row: ChecklistItem = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
            let reason = change(None, Some(item_json(&row)));
            (Outcome::Done(row), Some(reason))
        })
    }

    /// Changes a step's texts if it is still at `version`; its id stays (ticks are kept by id).
    pub async fn update_step(
        &self,
        keys: &Keys,
        user: Uuid,
        id: i64,
        version: i64,
        s: &StepInput,
        now: i64,
    ) -> Result<Outcome<ChecklistItem>, sqlx::Error> {
        let select = format!("SELECT {ITEM_COLUMNS} FROM checklist_items WHERE id = $1");
        content_tx!(self, keys, user, "content.step_update", now, |tx| {
            let before: Option<ChecklistItem> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            match before {
                None => (Outcome::Missing, None),
                Some(b) if b.version != version => (Outcome::Stale(Some(b)), None),
                Some(b) => {
                    sqlx::query(
                        "UPDATE checklist_items SET text_sv = $2, text_en = $3, updated_at = $4, version = version + 1
                         WHERE id = $1 AND version = $5",
                    )
                    .bind(id)
                    .bind(&s.text_sv)
                    .bind(&s.text_en)
                    .bind(now)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                    let after: ChecklistItem = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
                    let reason = change(Some(item_json(&b)), Some(item_json(&after)));
                    (Outcome::Done(after), Some(reason))
                }
            }
        })
    }

    /// Removes a step if it is still at `version`; answers the stale step otherwise.
    pub async fn delete_step(
        &self,
        keys: &Keys,
        user: Uuid,
        id: i64,
        version: i64,
        now: i64,
    ) -> Result<Outcome<ChecklistItem>, sqlx::Error> {
        let select = format!("SELECT {ITEM_COLUMNS} FROM checklist_items WHERE id = $1");
        content_tx!(self, keys, user, "content.step_delete", now, |tx| {
            let before: Option<ChecklistItem> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            match before {
                None => (Outcome::Missing, None),
                Some(b) if b.version != version => (Outcome::Stale(Some(b)), None),
                Some(b) => {
                    sqlx::query("DELETE FROM checklist_items WHERE id = $1").bind(id).execute(&mut *tx).await?;
                    let reason = change(Some(item_json(&b)), None);
                    (Outcome::Done(b), Some(reason))
                }
            }
        })
    }

    /// Puts a situation's steps in the order of `ids`, which must be exactly its step ids.
    pub async fn reorder_steps(
        &self,
        keys: &Keys,
        user: Uuid,
        role: &str,
        phase: &str,
        ids: &[i64],
        now: i64,
    ) -> Result<Outcome<()>, sqlx::Error> {
        content_tx!(self, keys, user, "content.steps_reorder", now, |tx| {
            let before: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM checklist_items WHERE role = $1 AND phase = $2 ORDER BY position")
                    .bind(role)
                    .bind(phase)
                    .fetch_all(&mut *tx)
                    .await?;
            if !same_set(&before, ids) {
                (Outcome::Stale(None), None)
            } else if before == ids {
                (Outcome::Done(()), None)
            } else {
                sqlx::query("UPDATE checklist_items SET position = -position WHERE role = $1 AND phase = $2")
                    .bind(role)
                    .bind(phase)
                    .execute(&mut *tx)
                    .await?;
                for (i, id) in ids.iter().enumerate() {
                    sqlx::query("UPDATE checklist_items SET position = $2, updated_at = $3 WHERE id = $1")
                        .bind(id)
                        .bind(i as i64 + 1)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                let situation = format!("{role}/{phase}");
                let reason = change(
                    Some(json!({"situation": situation, "ids": before})),
                    Some(json!({"situation": situation, "ids": ids})),
                );
                (Outcome::Done(()), Some(reason))
            }
        })
    }
}

/// True when `given` holds each of `current`'s ids exactly once and nothing else.
fn same_set(current: &[i64], given: &[i64]) -> bool {
    let mut a = current.to_vec();
    let mut b = given.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_order_must_name_every_id_once() {
        assert!(super::same_set(&[1, 2, 3], &[3, 1, 2]));
        assert!(!super::same_set(&[1, 2, 3], &[1, 2]));
        assert!(!super::same_set(&[1, 2, 3], &[1, 2, 2, 3]));
        assert!(!super::same_set(&[1, 2], &[1, 2, 9]));
    }
}
