//! Key rotation reaches what was sealed or keyed after the first secrets: the risk flags (sealed
//! address and reason, keyed address hash), the look-up log, evidence files' keys and the mail
//! jobs' sealed links (an invitation still queued sends its link after the old key is gone). A flag made
//! under the old key keeps matching while both keys are configured and, after `rotate-key`, under
//! the new key alone; its "who looked it up" survives; a file still opens.

use crate::attachments::{jpeg, report, upload};
use crate::flags::{ADDRESS, active_flag, found, world};
use crate::helpers::*;
use crate::secrets::{key_file, respawn};
use reqwest::StatusCode;
use trygg_domain::Address;
use trygg_server::crypto::{Keys, key_line, random_key, sealed_key_id};
use trygg_server::store::Db;
use trygg_server::store::flag_index::{address_indexes, indexes_under_every_key};
use trygg_server::store::sealed::BORN_SEALED;
use uuid::Uuid;

crate::on_both_backends!(a_key_rotation_keeps_flags_matching_with_their_look_ups_and_files_opening);

async fn stored_values(db: &Db, table: &str, column: &str) -> Vec<String> {
    let sql = format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL");
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(&sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(&sql).fetch_all(p).await.unwrap(),
    }
}

async fn a_key_rotation_keeps_flags_matching_with_their_look_ups_and_files_opening(app: &TestApp) {
    let (old, new) = (random_key(), random_key());
    let Some(app) = respawn(app, key_file(&[(1, old)])).await else { return };
    let w = world(&app).await;
    active_flag(&app, &w, ADDRESS).await;
    assert_eq!(found(&app, &w.rut, ADDRESS).await.len(), 1, "a look-up, logged under key 1");
    let (report_id, code) = report(&app).await;
    assert_eq!(upload(&app, &code, &new_key(), jpeg(16, 16)).await.status(), StatusCode::CREATED);

    // An invitation mail still waiting to be sent, its link sealed under the old key.
    let link = "https://trygg.example/samordnare/inbjudan#token";
    let old_keys = Keys::parse(&key_line(1, &old)).unwrap();
    let job = trygg_server::jobs::handlers::invitation(
        &old_keys,
        Uuid::now_v7(),
        "ny@region.test",
        "sv",
        link,
        app.clock.now_ms(),
    );
    let job_id = job.id;
    app.db.enqueue_jobs(&[job]).await.unwrap();

    let address = Address::parse(ADDRESS).unwrap();
    let both = Keys::parse(&format!("{}\n{}", key_line(1, &old), key_line(2, &new))).unwrap();
    let now = app.clock.now_ms();
    // The new key line is in the key file (and current) but rotate-key has not run yet.
    let (_, index_now) = address_indexes(&both, &address);
    assert!(app.db.matching_flags(std::slice::from_ref(&index_now), now).await.unwrap().is_empty());
    assert_eq!(
        app.db.matching_flags(&indexes_under_every_key(&both, &address), now).await.unwrap().len(),
        1,
        "a look-up matches the old key's hash too"
    );

    let done = app.db.rotate_sealed(&both).await.unwrap();
    assert!(done.failed.is_empty(), "{:?}", done.failed);
    assert_eq!(done.reindexed, 1);
    let again = app.db.rotate_sealed(&both).await.unwrap();
    assert_eq!((again.resealed, again.reindexed), (0, 0), "a second run finds nothing to do");

    let only_new = Keys::parse(&key_line(2, &new)).unwrap();
    assert_eq!(app.db.matching_flags(&indexes_under_every_key(&only_new, &address), now).await.unwrap().len(), 1);
    assert_eq!(app.db.lookups_of(&index_now).await.unwrap().len(), 1, "the flag's look-up log survives");
    for (table, column, _) in BORN_SEALED {
        for v in stored_values(&app.db, table, column).await {
            assert_eq!(sealed_key_id(&v), Some(2), "{table}.{column}");
        }
    }
    let sql = "SELECT payload FROM jobs WHERE id = $1";
    let payload: String = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(job_id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(job_id).fetch_one(p).await.unwrap(),
    };
    let sealed_link = serde_json::from_str::<serde_json::Value>(&payload).unwrap()["link"].as_str().unwrap().to_owned();
    assert_eq!(sealed_key_id(&sealed_link), Some(2), "the queued mail's link is re-sealed");
    assert_eq!(only_new.open_str("jobs", "payload", &job_id.to_string(), &sealed_link).unwrap().as_str(), link);
    let rid = Uuid::parse_str(&report_id).unwrap();
    let files = app.db.attachments_of_report(rid).await.unwrap();
    let (meta, sealed) = app.db.attachment(rid, files[0].id).await.unwrap().unwrap();
    assert!(trygg_server::evidence::open(&only_new, meta.id, &sealed).is_ok(), "the file opens with the new key alone");
    app.stop().await;
}
