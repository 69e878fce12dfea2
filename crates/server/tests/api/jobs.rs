//! Durable jobs: enqueue in the cause's transaction with a unique key, one winner among
//! concurrent claimers, lease takeover after expiry (the injectable clock, never sleeping the
//! lease), back-off then failure, and the administrators' retry (audited).

use crate::helpers::{ADMIN_EMAIL, CSRF, TestApp, assert_error, eventually, job_when, new_key, valid_report};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::Duration;
use trygg_server::jobs::handlers::kinds;
use trygg_server::store::jobs::NewJob;

fn job(kind: &'static str, key: &str, now: i64) -> NewJob {
    NewJob::new(kind, key.to_owned(), json!({}), now, now)
}

fn urgent_report() -> Value {
    let mut r = valid_report();
    r["kind"] = json!("violence");
    r
}

async fn a_job_enqueued_twice_under_one_key_exists_once(app: &TestApp) {
    let now = app.clock.now_ms();
    assert_eq!(app.db.enqueue_jobs(&[job("test.noop", "k:1", now)]).await.unwrap(), 1);
    assert_eq!(app.db.enqueue_jobs(&[job("test.noop", "k:1", now), job("test.noop", "k:2", now)]).await.unwrap(), 1);
    assert_eq!(app.db.jobs_of_kind("test.noop").await.unwrap().len(), 2);
}

async fn an_urgent_report_enqueues_its_mail_in_its_own_transaction_once_per_report(app: &TestApp) {
    let key = new_key();
    let res = app.submit(&key, &urgent_report()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // A retry with the same key writes no second report and no second job.
    assert_eq!(app.submit(&key, &urgent_report()).await.status(), StatusCode::OK);
    let jobs = app.db.jobs_of_kind(kinds::URGENT_REPORT).await.unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].unique_key, format!("urgent_report:{id}"));
    // A routine report enqueues nothing.
    assert_eq!(app.submit(&new_key(), &valid_report()).await.status(), StatusCode::CREATED);
    assert_eq!(app.db.jobs_of_kind(kinds::URGENT_REPORT).await.unwrap().len(), 1);
    // The payload holds the id only: nothing the reporter wrote.
    let payload: String = match &app.db {
        trygg_server::store::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT payload FROM jobs").fetch_one(p).await.unwrap()
        }
        trygg_server::store::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT payload FROM jobs").fetch_one(p).await.unwrap()
        }
    };
    assert_eq!(payload, json!({"report_ids": [id]}).to_string());
    // An anonymous report's job keeps no time finer than the report's ten-minute slot, before
    // or after it ran.
    let slot = 600_000;
    assert_eq!((jobs[0].created_at % slot, jobs[0].run_at % slot), (0, 0), "{:?}", jobs[0]);
    let now = app.clock.now_ms();
    let claimed = app.db.claim_jobs("w", now, 60_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(app.db.complete_job(claimed[0].id, "w", now).await.unwrap());
    let done = app.db.job(claimed[0].id).await.unwrap().unwrap();
    assert_eq!(done.finished_at.map(|f| f % slot), Some(0), "{done:?}");
    assert_eq!((done.lease_owner, done.lease_until), (None, None));
}

async fn urgent_reports_submitted_together_share_jobs_and_each_is_in_exactly_one(app: &TestApp) {
    // Concurrent submits land in group-commit batches; each batch enqueues ONE job naming its
    // urgent reports (so jobs cost a row per batch, not per report). Whatever the batching, every
    // urgent report is in exactly one job, and routine ones in none.
    let sends = (0..24).map(|i| {
        let body = if i % 3 == 0 { valid_report() } else { urgent_report() };
        async move { (i % 3 != 0, app.submit(&new_key(), &body).await) }
    });
    let mut urgent = HashSet::new();
    for (is_urgent, res) in futures::future::join_all(sends).await {
        assert_eq!(res.status(), StatusCode::CREATED);
        let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        if is_urgent {
            urgent.insert(id);
        }
    }
    let jobs = app.db.jobs_of_kind(kinds::URGENT_REPORT).await.unwrap();
    assert!(!jobs.is_empty() && jobs.len() <= urgent.len(), "{} jobs", jobs.len());
    let mut named = Vec::new();
    for job in &jobs {
        let sql = "SELECT payload FROM jobs WHERE unique_key = $1";
        let payload: String = match &app.db {
            trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar(sql).bind(&job.unique_key).fetch_one(p).await,
            trygg_server::store::Db::Postgres(p) => sqlx::query_scalar(sql).bind(&job.unique_key).fetch_one(p).await,
        }
        .unwrap();
        let payload: Value = serde_json::from_str(&payload).unwrap();
        let ids: Vec<String> =
            payload["report_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        assert_eq!(job.unique_key, format!("urgent_report:{}", ids[0]));
        named.extend(ids);
    }
    assert_eq!(named.len(), urgent.len(), "a report named twice, or missing");
    assert_eq!(named.into_iter().collect::<HashSet<_>>(), urgent);
}

async fn of_eight_concurrent_claimers_each_job_goes_to_exactly_one(app: &TestApp) {
    let now = app.clock.now_ms();
    let jobs: Vec<NewJob> = (0..120).map(|i| job("test.noop", &format!("c:{i}"), now)).collect();
    app.db.enqueue_jobs(&jobs).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..8 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = db.claim_jobs(&format!("w{w}"), now, 60_000, 5).await.unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|j| j.id));
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 120, "every job claimed");
    assert_eq!(distinct.len(), 120, "no job claimed twice");
}

async fn an_expired_lease_is_taken_over_and_the_old_holder_is_fenced_out(app: &TestApp) {
    let now = app.clock.now_ms();
    app.db.enqueue_jobs(&[job("test.noop", "lease", now)]).await.unwrap();
    let a = app.db.claim_jobs("a", app.clock.now_ms(), 60_000, 10).await.unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].attempts, 1);
    assert!(app.db.claim_jobs("b", app.clock.now_ms(), 60_000, 10).await.unwrap().is_empty(), "the lease holds");
    app.clock.advance(Duration::from_secs(30));
    assert!(app.db.claim_jobs("b", app.clock.now_ms(), 60_000, 10).await.unwrap().is_empty(), "still within it");
    app.clock.advance(Duration::from_secs(31));
    let b = app.db.claim_jobs("b", app.clock.now_ms(), 60_000, 10).await.unwrap();
    assert_eq!(b.len(), 1, "an expired lease is taken over");
    assert_eq!((b[0].id, b[0].attempts), (a[0].id, 2));
    let now = app.clock.now_ms();
    assert!(!app.db.complete_job(a[0].id, "a", now).await.unwrap(), "the old holder changes nothing");
    assert!(!app.db.fail_job(a[0].id, "a", now, "late", None).await.unwrap());
    assert!(app.db.complete_job(b[0].id, "b", now).await.unwrap());
    assert_eq!(app.db.job(a[0].id).await.unwrap().unwrap().state, "done");
}

/// Waits (polling the database, at most 10 s) until `check` holds for the job.
async fn until(app: &TestApp, id: uuid::Uuid, check: impl Fn(&trygg_server::store::jobs::JobRow) -> bool) {
    if !eventually(|| async { app.db.job(id).await.unwrap().is_some_and(|j| check(&j)) }).await {
        panic!("the job never got there: {:?}", app.db.job(id).await.unwrap());
    }
}

async fn a_failing_job_backs_off_doubling_then_fails_after_its_last_attempt(app: &TestApp) {
    let now = app.clock.now_ms();
    let mut j = job("test.unknown_kind", "fail", now);
    j.max_attempts = 3;
    let id = j.id;
    app.db.enqueue_jobs(&[j]).await.unwrap();
    trygg_server::jobs::wake();
    until(app, id, |j| j.attempts == 1 && j.state == "queued").await;
    let first = app.db.job(id).await.unwrap().unwrap();
    assert!(first.last_error.as_deref().is_some_and(|e| e.contains("unknown job kind")), "{first:?}");
    let wait1 = first.run_at - app.clock.now_ms();
    assert!((9_000..=10_500).contains(&wait1), "first back-off about 10 s: {wait1}");
    app.clock.advance(Duration::from_secs(11));
    until(app, id, |j| j.attempts == 2 && j.state == "queued").await;
    let second = app.db.job(id).await.unwrap().unwrap();
    let wait2 = second.run_at - app.clock.now_ms();
    assert!((19_000..=20_500).contains(&wait2), "second back-off about 20 s: {wait2}");
    app.clock.advance(Duration::from_secs(21));
    until(app, id, |j| j.state == "failed").await;
    let failed = app.db.job(id).await.unwrap().unwrap();
    assert_eq!(failed.attempts, 3);
    assert!(failed.finished_at.is_some());
    // Failed is final: no more attempts however late it gets.
    app.clock.advance(Duration::from_secs(7200));
    // Asked directly instead of waiting for a worker: a claim now does not take it.
    let claimed = app.db.claim_jobs("probe", app.clock.now_ms(), 60_000, 1000).await.unwrap();
    assert!(!claimed.iter().any(|c| c.id == id), "a failed job is never claimed again");
    assert_eq!(app.db.job(id).await.unwrap().unwrap().attempts, 3);
}

async fn an_administrator_sees_and_retries_a_failed_job_and_the_retry_is_audited(app: &TestApp) {
    app.create_admin().await;
    app.create_coordinator().await;
    let now = app.clock.now_ms();
    let j = job("test.noop", "to-fail", now);
    let id = j.id;
    app.db.enqueue_jobs(&[j]).await.unwrap();
    app.db.claim_jobs("w", now, 60_000, 10).await.unwrap();
    assert!(app.db.fail_job(id, "w", now, "the mail server did not answer or failed", None).await.unwrap());

    // A coordinator is not an administrator.
    let (coord, _) = app.new_browser();
    app.login_as(&coord, crate::helpers::EMAIL).await;
    assert_error(coord.get(app.url("/api/admin/jobs")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    assert_eq!(app.login_as(&app.client, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let overview: Value = app.client.get(app.url("/api/admin/jobs")).send().await.unwrap().json().await.unwrap();
    assert_eq!(overview["smtp"]["warning"], "not_configured");
    assert_eq!(overview["smtp"]["configured"], false);
    let failed = overview["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["id"], id.to_string());
    assert_eq!(failed[0]["kind"], "test.noop");
    assert_eq!(failed[0]["attempts"], 1);
    assert_eq!(failed[0]["last_error"], "the mail server did not answer or failed");

    let audits = app.audit_count().await;
    let retry = app.url(&format!("/api/admin/jobs/{id}/retry"));
    let res = app.client.post(&retry).header(CSRF, app.csrf()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after: Value = res.json().await.unwrap();
    assert!(after["failed"].as_array().unwrap().is_empty());
    let row = app.db.job(id).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("queued", 0));
    assert_eq!(app.audit_count().await, audits + 1, "the retry is in the access log");
    let page: Value = app.client.get(app.url("/api/audit?limit=5")).send().await.unwrap().json().await.unwrap();
    let entry = page.as_array().unwrap().iter().find(|e| e["action"] == "job.retry").expect("job.retry entry");
    let reason = entry["reason"].as_str().unwrap();
    assert!(reason.contains(&id.to_string()) && reason.contains("failed") && reason.contains("queued"), "{reason}");

    // A second retry (another admin, a double click) finds nothing failed to retry.
    let res = app.client.post(&retry).header(CSRF, app.csrf()).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app.client.post(app.url("/api/admin/jobs/nonsense/retry")).header(CSRF, app.csrf()).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    // Without the CSRF token nothing changes.
    let res = app.client.post(&retry).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
}

async fn the_scheduler_ticks_once_a_minute_under_a_unique_key(app: &TestApp) {
    let minute = app.clock.now_ms().div_euclid(60_000);
    let this = format!("tick:{minute}");
    let ran = job_when(app, &this, |j| j.state == "done").await.is_some();
    assert!(ran, "this minute's tick ran: {:?}", app.db.job_by_key(&this).await.unwrap());
    // It enqueued the next minute's, due at the start of that minute; a second enqueue of
    // either (another server starting) is a no-op.
    let next = app.db.job_by_key(&format!("tick:{}", minute + 1)).await.unwrap().expect("the next tick");
    assert_eq!((next.state.as_str(), next.run_at), ("queued", (minute + 1) * 60_000));
    let now = app.clock.now_ms();
    let again = [trygg_server::jobs::handlers::tick(now, now), trygg_server::jobs::handlers::tick(now + 60_000, now)];
    assert_eq!(app.db.enqueue_jobs(&again).await.unwrap(), 0);
    // A reminder is one job per report, kind and level, however often the scheduler sees it due.
    let due =
        trygg_server::store::reminders::DueReminder { report_id: uuid::Uuid::new_v4(), kind: "unanswered", level: 1 };
    let r = trygg_server::jobs::handlers::reminder(&due, now);
    assert_eq!(r.unique_key, format!("reminder:unanswered:1:{}", due.report_id));
    assert_eq!(r.report_id, Some(due.report_id));
}

mod store {
    use super::*;
    crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.job_worker = false =>
        a_job_enqueued_twice_under_one_key_exists_once,
        an_urgent_report_enqueues_its_mail_in_its_own_transaction_once_per_report,
        urgent_reports_submitted_together_share_jobs_and_each_is_in_exactly_one,
        of_eight_concurrent_claimers_each_job_goes_to_exactly_one,
        an_expired_lease_is_taken_over_and_the_old_holder_is_fenced_out,
        an_administrator_sees_and_retries_a_failed_job_and_the_retry_is_audited,
    );
}

mod worker {
    use super::*;
    crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.job_poll_millis = 50 =>
        a_failing_job_backs_off_doubling_then_fails_after_its_last_attempt,
        the_scheduler_ticks_once_a_minute_under_a_unique_key,
    );
}
