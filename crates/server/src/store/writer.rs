//! Group commit for submitted reports. Handlers hand their report to a writer task; the writer
//! takes everything that queued up while the previous commit was on its way to disk and writes
//! it in one transaction. Each handler gets its answer only after that commit, so every 201
//! stays durable, while many reports share one fsync. Under light load a batch is one report.
//!
//! The queue is per server and holds nothing that must be shared: what is durable is in the
//! database, and a crash loses only requests that were never answered (clients retry them with
//! the same idempotency key).

use super::Db;
use super::reports::{InsertError, Pending, Stored};
use crate::crypto::Keys;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Largest number of reports in one transaction.
pub const MAX_BATCH: usize = 256;

type Job = (Pending, oneshot::Sender<Result<Stored, InsertError>>);

#[derive(Clone)]
pub struct ReportWriter {
    queue: mpsc::Sender<Job>,
    /// Seals each report's identifying fields in the submitting handler's task, before it
    /// queues: the writer's batch does no cryptography and its throughput is unchanged.
    keys: Arc<Keys>,
}

impl ReportWriter {
    /// Starts `writers` writer tasks over `db` (1 for SQLite, which has one writer anyway).
    pub fn spawn(db: Db, keys: Arc<Keys>, writers: usize) -> ReportWriter {
        let (queue, rx) = mpsc::channel::<Job>(MAX_BATCH * 8);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..writers.max(1) {
            tokio::spawn(run(db.clone(), rx.clone()));
        }
        ReportWriter { queue, keys }
    }

    /// Seals the report's identifying fields, writes it durably (in some batch) and returns its
    /// answer.
    pub async fn submit(&self, mut p: Pending) -> Result<Stored, InsertError> {
        p.seal(&self.keys);
        let (tx, rx) = oneshot::channel();
        let closed = || InsertError::Db(sqlx::Error::PoolClosed);
        self.queue.send((p, tx)).await.map_err(|_| closed())?;
        rx.await.map_err(|_| closed())?
    }
}

async fn run(db: Db, rx: Arc<Mutex<mpsc::Receiver<Job>>>) {
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
        write(&db, batch).await;
    }
}

async fn write(db: &Db, batch: Vec<Job>) {
    let (pending, replies): (Vec<Pending>, Vec<_>) = batch.into_iter().unzip();
    match db.insert_batch(&pending).await {
        Ok(inserted) => {
            for ((p, reply), inserted) in pending.iter().zip(replies).zip(inserted) {
                let _ = reply.send(db.settle(p, inserted).await);
            }
        }
        // One bad row must not fail its neighbours: retry each report on its own.
        Err(e) if pending.len() > 1 => {
            tracing::warn!(error = %e, size = pending.len(), "batch failed; writing one by one");
            for (p, reply) in pending.iter().zip(replies) {
                let _ = reply.send(db.insert_report(p).await);
            }
        }
        Err(e) => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(InsertError::Db(e)));
            }
        }
    }
}
