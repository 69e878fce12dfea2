//! Notices to reporters (issue 16 item 5). Every change is one transaction that bumps
//! `content_version` (the `ETag` of `GET /api/content`, so devices fetch the change), changes
//! the row only if its `version` is still the one the coordinator started from, and appends the
//! access-log entry (who, what, before → after).

use super::audit::{Entry, append_in_tx};
use super::content_admin::Outcome;
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use serde_json::{Value, json};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub title_sv: String,
    pub title_en: String,
    pub body_sv: String,
    pub body_en: String,
    pub audience: String,
    pub starts_on: String,
    pub ends_on: String,
    pub version: i64,
}

/// A checked notice (see `routes::notices`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeInput {
    pub title_sv: String,
    pub title_en: String,
    pub body_sv: String,
    pub body_en: String,
    pub audience: String,
    pub starts_on: String,
    pub ends_on: String,
}

const COLUMNS: &str = "id, title_sv, title_en, body_sv, body_en, audience, starts_on, ends_on, version";
const BUMP: &str =
    "UPDATE settings SET value = value + 1, version = version + 1, updated_at = $1 WHERE name = 'content_version'";

fn json_of(n: &NoticeRow) -> Value {
    json!({"id": n.id, "title_sv": n.title_sv, "title_en": n.title_en, "body_sv": n.body_sv, "body_en": n.body_en,
        "audience": n.audience, "starts_on": n.starts_on, "ends_on": n.ends_on})
}

fn change(before: Option<&NoticeRow>, after: &NoticeRow) -> String {
    json!({"before": before.map(json_of), "after": json_of(after)}).to_string()
}

/// The write of an edit: `(id, version, input)`; `None` id creates.
enum Write<'a> {
    Create(&'a NoticeInput),
    Update(i64, i64, &'a NoticeInput),
}

impl Db {
    /// Every notice, latest start first.
    pub async fn notices(&self) -> Result<Vec<NoticeRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM notices ORDER BY starts_on DESC, id DESC");
        on_db!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
    }

    /// The notices current on `today` (`YYYY-MM-DD`, the region's calendar), oldest first.
    pub async fn current_notices(&self, today: &str) -> Result<Vec<NoticeRow>, sqlx::Error> {
        let sql =
            format!("SELECT {COLUMNS} FROM notices WHERE starts_on <= $1 AND ends_on >= $1 ORDER BY starts_on, id");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(today).fetch_all(pool).await)
    }

    pub async fn create_notice(
        &self,
        keys: &Keys,
        user: Uuid,
        n: &NoticeInput,
        now: i64,
    ) -> Result<Outcome<NoticeRow>, sqlx::Error> {
        self.write_notice(keys, user, Write::Create(n), now).await
    }

    /// Changes a notice if it is still at `version` (ending one is a change of its end date).
    pub async fn update_notice(
        &self,
        keys: &Keys,
        user: Uuid,
        id: i64,
        version: i64,
        n: &NoticeInput,
        now: i64,
    ) -> Result<Outcome<NoticeRow>, sqlx::Error> {
        self.write_notice(keys, user, Write::Update(id, version, n), now).await
    }

    async fn write_notice(
        &self,
        keys: &Keys,
        user: Uuid,
        w: Write<'_>,
        now: i64,
    ) -> Result<Outcome<NoticeRow>, sqlx::Error> {
        let select = format!("SELECT {COLUMNS} FROM notices WHERE id = $1");
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(BUMP).bind(now).execute(&mut *tx).await?;
            let (action, before, id) = match w {
                Write::Create(n) => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO notices (title_sv, title_en, body_sv, body_en, audience, starts_on, ends_on,
                            created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                    )
                    .bind(&n.title_sv)
                    .bind(&n.title_en)
                    .bind(&n.body_sv)
                    .bind(&n.body_en)
                    .bind(&n.audience)
                    .bind(&n.starts_on)
                    .bind(&n.ends_on)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    ("notice.create", None, id)
                }
                Write::Update(id, version, n) => {
                    let before: Option<NoticeRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
                    let Some(b) = before else {
                        tx.rollback().await?;
                        return Ok(Outcome::Missing);
                    };
                    if b.version != version {
                        tx.rollback().await?;
                        return Ok(Outcome::Stale(Some(b)));
                    }
                    sqlx::query(
                        "UPDATE notices SET title_sv = $2, title_en = $3, body_sv = $4, body_en = $5, audience = $6,
                            starts_on = $7, ends_on = $8, updated_at = $9, version = version + 1
                         WHERE id = $1 AND version = $10",
                    )
                    .bind(id)
                    .bind(&n.title_sv)
                    .bind(&n.title_en)
                    .bind(&n.body_sv)
                    .bind(&n.body_en)
                    .bind(&n.audience)
                    .bind(&n.starts_on)
                    .bind(&n.ends_on)
                    .bind(now)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                    ("notice.update", Some(b), id)
                }
            };
            let after: NoticeRow = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
            let reason = change(before.as_ref(), &after);
            let entry = Entry { user_id: Some(user), action, report_id: None, reason: Some(&reason) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
            Ok(Outcome::Done(after))
        })
    }
}
