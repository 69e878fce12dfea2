//! The on-duty roster's storage: the weekly slots, the dated exceptions and the fallback address
//! as one versioned document, and [`Db::on_duty_at`], which the notification jobs call to learn
//! whom to tell. The rule itself (which slot covers an instant) is [`crate::duty`].

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use crate::duty::{Exception, Slot};
use sqlx::FromRow;
use uuid::Uuid;

/// A person (or the fallback address) to notify now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDuty {
    /// `None` for the fallback address.
    pub user_id: Option<Uuid>,
    pub email: String,
    /// The language of their mails: `sv` or `en`.
    pub lang: String,
}

/// The roster as stored (instants resolved, local texts kept as written).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredRoster {
    pub version: i64,
    pub fallback_email: Option<String>,
    pub slots: Vec<Slot>,
    pub exceptions: Vec<StoredException>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredException {
    pub starts_local: String,
    pub ends_local: String,
    pub rule: Exception,
}

#[derive(FromRow)]
struct SlotRow {
    start_day: i32,
    start_min: i32,
    end_day: i32,
    end_min: i32,
    user_id: Uuid,
}

impl From<SlotRow> for Slot {
    fn from(r: SlotRow) -> Slot {
        // The table's CHECKs keep these in range.
        let (d, m) = (|v: i32| v.clamp(1, 7) as u8, |v: i32| v.clamp(0, 1439) as u16);
        Slot {
            start_day: d(r.start_day),
            start_min: m(r.start_min),
            end_day: d(r.end_day),
            end_min: m(r.end_min),
            user_id: r.user_id,
        }
    }
}

#[derive(FromRow)]
struct ExceptionRow {
    starts_local: String,
    ends_local: String,
    starts_at: i64,
    ends_at: i64,
    user_id: Option<Uuid>,
}

impl From<ExceptionRow> for StoredException {
    fn from(r: ExceptionRow) -> StoredException {
        StoredException {
            starts_local: r.starts_local,
            ends_local: r.ends_local,
            rule: Exception { starts_at: r.starts_at, ends_at: r.ends_at, user_id: r.user_id },
        }
    }
}

const SLOTS: &str = "SELECT start_day, start_min, end_day, end_min, user_id FROM roster_slots ORDER BY position";
const EXCEPTIONS: &str =
    "SELECT starts_local, ends_local, starts_at, ends_at, user_id FROM roster_exceptions ORDER BY position";
const SETTINGS: &str = "SELECT version, fallback_email FROM roster_settings WHERE id = 1";

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// Someone saved since the version the edit started from; here is theirs.
    Stale(Box<StoredRoster>),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(e: sqlx::Error) -> Self {
        SaveError::Db(e)
    }
}

/// Reads the whole roster inside `$conn` (a pool or a transaction).
macro_rules! read_roster {
    ($conn:expr) => {{
        let (version, fallback_email): (i64, Option<String>) = sqlx::query_as(SETTINGS).fetch_one($conn).await?;
        let slots: Vec<SlotRow> = sqlx::query_as(SLOTS).fetch_all($conn).await?;
        let exceptions: Vec<ExceptionRow> = sqlx::query_as(EXCEPTIONS).fetch_all($conn).await?;
        StoredRoster {
            version,
            fallback_email,
            slots: slots.into_iter().map(Slot::from).collect(),
            exceptions: exceptions.into_iter().map(StoredException::from).collect(),
        }
    }};
}

impl Db {
    /// The whole roster.
    pub async fn roster(&self) -> Result<StoredRoster, sqlx::Error> {
        on_db!(self, |pool| Ok(read_roster!(pool)))
    }

    /// Replaces the roster with `next` if it is still at `next.version`, in one transaction with
    /// its access-log entry (`roster.update`, `reason` = what changed, before → after). Returns
    /// the saved roster (its version one up). A save that changes nothing still counts as a save.
    pub async fn save_roster(
        &self,
        keys: &Keys,
        by: Uuid,
        next: &StoredRoster,
        now: i64,
        describe: impl Fn(&StoredRoster, &StoredRoster) -> String,
    ) -> Result<StoredRoster, SaveError> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before = read_roster!(&mut *tx);
            if before.version != next.version {
                tx.rollback().await?;
                return Err(SaveError::Stale(Box::new(before)));
            }
            sqlx::query(
                "UPDATE roster_settings SET version = version + 1, fallback_email = $1, updated_at = $2
                 WHERE id = 1 AND version = $3",
            )
            .bind(&next.fallback_email)
            .bind(now)
            .bind(next.version)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM roster_slots").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM roster_exceptions").execute(&mut *tx).await?;
            for (i, s) in next.slots.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO roster_slots (position, start_day, start_min, end_day, end_min, user_id)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(i as i32)
                .bind(i32::from(s.start_day))
                .bind(i32::from(s.start_min))
                .bind(i32::from(s.end_day))
                .bind(i32::from(s.end_min))
                .bind(s.user_id)
                .execute(&mut *tx)
                .await?;
            }
            for (i, e) in next.exceptions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO roster_exceptions (position, starts_local, ends_local, starts_at, ends_at, user_id)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(i as i32)
                .bind(&e.starts_local)
                .bind(&e.ends_local)
                .bind(e.rule.starts_at)
                .bind(e.rule.ends_at)
                .bind(e.rule.user_id)
                .execute(&mut *tx)
                .await?;
            }
            let after = StoredRoster { version: next.version + 1, ..next.clone() };
            let change = describe(&before, &after);
            let entry = Entry { user_id: Some(by), action: "roster.update", report_id: None, reason: Some(&change) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
            Ok(after)
        })
    }

    /// The people on duty at `at_ms` (each with the address and language of their mails), or the
    /// fallback address (`user_id: None`) when nobody is; empty when nobody is and no fallback is
    /// set. Accounts that are not active (disabled, deleted) are left out.
    pub async fn on_duty_at(&self, at_ms: i64) -> Result<Vec<OnDuty>, sqlx::Error> {
        let (slots, exceptions, fallback): (Vec<SlotRow>, Vec<ExceptionRow>, Option<String>) = on_db!(self, |pool| {
            let slots = sqlx::query_as(SLOTS).fetch_all(pool).await?;
            let exceptions = sqlx::query_as(
                "SELECT starts_local, ends_local, starts_at, ends_at, user_id FROM roster_exceptions
                 WHERE starts_at <= $1 AND ends_at > $1 ORDER BY position",
            )
            .bind(at_ms)
            .fetch_all(pool)
            .await?;
            let fallback =
                sqlx::query_scalar("SELECT fallback_email FROM roster_settings WHERE id = 1").fetch_one(pool).await?;
            (slots, exceptions, fallback)
        });
        let slots: Vec<Slot> = slots.into_iter().map(Slot::from).collect();
        let exceptions: Vec<Exception> = exceptions.into_iter().map(|e| StoredException::from(e).rule).collect();
        let ids = crate::duty::on_duty(at_ms, &slots, &exceptions);
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            // A disabled or deleted account is not on duty (its mail would reach nobody who acts).
            let row: Option<(String, String)> = on_db!(self, |pool| {
                sqlx::query_as("SELECT email, lang FROM users WHERE id = $1 AND state = 'active'")
                    .bind(id)
                    .fetch_optional(pool)
                    .await
            })?;
            if let Some((email, lang)) = row.filter(|(e, _)| e.contains('@')) {
                people.push(OnDuty { user_id: Some(id), email, lang });
            }
        }
        if people.is_empty()
            && let Some(email) = fallback.filter(|e| !e.is_empty())
        {
            people.push(OnDuty { user_id: None, email, lang: "sv".into() });
        }
        Ok(people)
    }

    /// Which of `ids` are accounts (a roster names only existing ones).
    pub async fn existing_users(&self, ids: &[Uuid]) -> Result<Vec<Uuid>, sqlx::Error> {
        let mut found = Vec::new();
        for id in ids {
            if !found.contains(id) && self.user_exists(*id).await? {
                found.push(*id);
            }
        }
        Ok(found)
    }
}
