//! Evidence attachments as stored: one row per file of a report, its bytes sealed (see
//! `crate::attachments` for the pipeline that makes them). A file is keyed by (report, the
//! browser's file id), so a retried upload finds its first row instead of adding one; the
//! number of files per report is checked in the inserting transaction, which holds the report
//! (its row locked on PostgreSQL) so that concurrent uploads cannot pass the limit together. Rows go with their report
//! (`ON DELETE CASCADE`, and the retention purge deletes them explicitly in its transaction).

use super::{BeginWrite, Db, on_db};
use sqlx::FromRow;
use uuid::Uuid;

/// What anyone may know of a file without opening it (no image bytes): what the police summary
/// lists (SHA-256, time received, size) and the case page shows.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AttachmentMeta {
    pub id: Uuid,
    /// SHA-256 of the stored (re-encoded) file, lower-case hex: what a coordinator hands on.
    pub sha256_hex: String,
    /// Unix milliseconds.
    pub received_at: i64,
    /// `image/jpeg` or `image/png` (what the server re-encoded to).
    pub content_type: String,
    /// Size of the stored file in bytes (before sealing).
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
}

/// A file's sealed content: the per-file data key (sealed by the server key) and the ciphertext.
#[derive(Debug, Clone, FromRow)]
pub struct SealedFile {
    pub data_key_sealed: String,
    pub data: Vec<u8>,
}

/// A new file, processed and sealed.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub meta: AttachmentMeta,
    pub report_id: Uuid,
    pub client_file_id: Uuid,
    pub sealed: SealedFile,
}

/// What an insert did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now.
    New(AttachmentMeta),
    /// This (report, client file id) was stored before: that first file.
    Replayed(AttachmentMeta),
    /// The report already has `max` files.
    TooMany,
}

#[derive(FromRow)]
struct FullRow {
    #[sqlx(flatten)]
    meta: AttachmentMeta,
    #[sqlx(flatten)]
    sealed: SealedFile,
}

const META: &str = "id, sha256 AS sha256_hex, received_at, content_type, bytes, width, height";

impl Db {
    /// Every file of a report, oldest first, without their bytes. For the case page and the
    /// police summary (issue 18 item 2).
    pub async fn attachments_of_report(&self, report_id: Uuid) -> Result<Vec<AttachmentMeta>, sqlx::Error> {
        let sql = format!("SELECT {META} FROM attachments WHERE report_id = $1 ORDER BY received_at, id");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await)
    }

    /// The file stored for (report, client file id), if any.
    pub async fn attachment_by_client_id(
        &self,
        report_id: Uuid,
        client_file_id: Uuid,
    ) -> Result<Option<AttachmentMeta>, sqlx::Error> {
        let sql = format!("SELECT {META} FROM attachments WHERE report_id = $1 AND client_file_id = $2");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(report_id).bind(client_file_id).fetch_optional(pool).await)
    }

    /// The report's assignee: `None` when there is no such report, `Some(None)` when nobody is
    /// assigned.
    pub async fn assignee_of(&self, report_id: Uuid) -> Result<Option<Option<Uuid>>, sqlx::Error> {
        let sql = "SELECT assignee_id FROM reports WHERE id = $1";
        on_db!(self, |pool| sqlx::query_scalar(sql).bind(report_id).fetch_optional(pool).await)
    }

    /// How many files a report has.
    pub async fn attachment_count(&self, report_id: Uuid) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE report_id = $1")
            .bind(report_id)
            .fetch_one(pool)
            .await)
    }

    /// One file of a report: what it is and its sealed content.
    pub async fn attachment(
        &self,
        report_id: Uuid,
        id: Uuid,
    ) -> Result<Option<(AttachmentMeta, SealedFile)>, sqlx::Error> {
        let sql = format!("SELECT {META}, data_key_sealed, data FROM attachments WHERE report_id = $1 AND id = $2");
        let row: Option<FullRow> =
            on_db!(self, |pool| sqlx::query_as(&sql).bind(report_id).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(|r| (r.meta, r.sealed)))
    }

    /// Stores a file unless (report, client file id) is already there or the report has `max`
    /// files, in one write transaction.
    pub async fn insert_attachment(&self, new: &NewAttachment, max: i64) -> Result<Inserted, sqlx::Error> {
        // Count and insert must not interleave with another upload to the same report. SQLite's
        // write transaction (BEGIN IMMEDIATE) already takes them one at a time; PostgreSQL's
        // read-committed would let two uploads both count `max - 1` and both insert, so there the
        // transaction first locks the report's row.
        let lock = matches!(self, Db::Postgres(_)).then_some("SELECT id FROM reports WHERE id = $1 FOR UPDATE");
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if let Some(lock) = lock {
                sqlx::query(lock).bind(new.report_id).execute(&mut *tx).await?;
            }
            let sql = format!("SELECT {META} FROM attachments WHERE report_id = $1 AND client_file_id = $2");
            let before: Option<AttachmentMeta> =
                sqlx::query_as(&sql).bind(new.report_id).bind(new.client_file_id).fetch_optional(&mut *tx).await?;
            if let Some(m) = before {
                tx.rollback().await?;
                return Ok(Inserted::Replayed(m));
            }
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE report_id = $1")
                .bind(new.report_id)
                .fetch_one(&mut *tx)
                .await?;
            if n >= max {
                tx.rollback().await?;
                return Ok(Inserted::TooMany);
            }
            let m = &new.meta;
            let done = sqlx::query(
                "INSERT INTO attachments (id, report_id, client_file_id, content_type, bytes, width, height, sha256,
                     received_at, data_key_sealed, data)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (report_id, client_file_id) DO NOTHING",
            )
            .bind(m.id)
            .bind(new.report_id)
            .bind(new.client_file_id)
            .bind(&m.content_type)
            .bind(m.bytes)
            .bind(m.width)
            .bind(m.height)
            .bind(&m.sha256_hex)
            .bind(m.received_at)
            .bind(&new.sealed.data_key_sealed)
            .bind(&new.sealed.data)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                // A concurrent retry of the same file won (PostgreSQL): answer with its row.
                let first: AttachmentMeta =
                    sqlx::query_as(&sql).bind(new.report_id).bind(new.client_file_id).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                return Ok(Inserted::Replayed(first));
            }
            tx.commit().await?;
            Ok(Inserted::New(m.clone()))
        })
    }
}
