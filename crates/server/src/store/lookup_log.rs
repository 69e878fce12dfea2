//! Group commit for the risk-flag look-up log. Every look-up must be in the log before its answer
//! leaves (a crew's look-up that was answered but not logged would be a hole in the register),
//! yet a durable commit per look-up made SQLite's look-ups queue behind each other's fsync and the
//! pool's busy waits (p99 near a second at 200 look-ups/s). So handlers hand their entry to a
//! writer task that writes everything queued meanwhile in one multi-row INSERT and one commit,
//! and answer only after it: many look-ups share one fsync, each still durable before its answer.
//!
//! Like the report writer ([`super::writer`]) the queue is per server and holds nothing that must
//! be shared: a crash loses only look-ups that were never answered.

use super::{BeginWrite, Db, on_db};
use sqlx::QueryBuilder;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

/// Largest number of entries in one INSERT (8 binds each, under every backend's bind limit).
pub const MAX_BATCH: usize = 512;

/// One look-up, as logged: who, when, the address's keyed hashes, hit or miss, the purpose sealed.
#[derive(Debug, Clone)]
pub struct LookupEntry {
    pub id: Uuid,
    pub at: i64,
    pub user_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub address_index: String,
    pub building_index: String,
    pub matched: bool,
    pub purpose_sealed: String,
}

type Reply = oneshot::Sender<Result<(), Arc<sqlx::Error>>>;

/// This server's look-up log writer (see the module's text).
#[derive(Clone)]
pub struct LookupLog {
    queue: mpsc::Sender<(LookupEntry, Reply)>,
}

impl LookupLog {
    /// Starts `writers` writer tasks over `db` (1 for SQLite, which has one writer anyway).
    pub fn spawn(db: Db, writers: usize) -> LookupLog {
        let (queue, rx) = mpsc::channel(MAX_BATCH * 4);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..writers.max(1) {
            tokio::spawn(run(db.clone(), rx.clone()));
        }
        LookupLog { queue }
    }

    /// Writes `entry` durably (in some batch); returns once it is committed.
    pub async fn write(&self, entry: LookupEntry) -> Result<(), sqlx::Error> {
        let (tx, rx) = oneshot::channel();
        self.queue.send((entry, tx)).await.map_err(|_| sqlx::Error::PoolClosed)?;
        match rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(sqlx::Error::Protocol(format!("the look-up log's batch failed: {e}"))),
            Err(_) => Err(sqlx::Error::PoolClosed),
        }
    }
}

async fn run(db: Db, rx: Arc<Mutex<mpsc::Receiver<(LookupEntry, Reply)>>>) {
    loop {
        let batch = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            batch
        };
        let (entries, replies): (Vec<LookupEntry>, Vec<Reply>) = batch.into_iter().unzip();
        match db.log_lookups(&entries).await {
            Ok(()) => replies.into_iter().for_each(|r| drop(r.send(Ok(())))),
            // One bad row (say, an account deleted meanwhile) must not fail its neighbours.
            Err(e) if entries.len() > 1 => {
                tracing::warn!(error = %e, size = entries.len(), "a look-up log batch failed; writing one by one");
                for (entry, reply) in entries.iter().zip(replies) {
                    let _ = reply.send(db.log_lookups(std::slice::from_ref(entry)).await.map_err(Arc::new));
                }
            }
            Err(e) => {
                let e = Arc::new(e);
                replies.into_iter().for_each(|r| drop(r.send(Err(e.clone()))));
            }
        }
    }
}

impl Db {
    /// Logs `entries` in one INSERT and one commit.
    pub async fn log_lookups(&self, entries: &[LookupEntry]) -> Result<(), sqlx::Error> {
        if entries.is_empty() {
            return Ok(());
        }
        const HEAD: &str = "INSERT INTO flag_lookups (id, at, user_id, token_id, address_index, building_index, matched, purpose_sealed) ";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut qb = QueryBuilder::new(HEAD);
            qb.push_values(entries, |mut b, l| {
                b.push_bind(l.id)
                    .push_bind(l.at)
                    .push_bind(l.user_id)
                    .push_bind(l.token_id)
                    .push_bind(&l.address_index)
                    .push_bind(&l.building_index)
                    .push_bind(l.matched)
                    .push_bind(&l.purpose_sealed);
            });
            qb.build().execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
