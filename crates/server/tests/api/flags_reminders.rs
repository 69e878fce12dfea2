//! Review reminders for risk flags (issue 17): the scheduler's tick enqueues one reminder per
//! active flag and review date, a week before that date — never twice, never for a proposed,
//! lifted or ended flag — and the mail goes to the flag's owner and whoever is on duty, saying
//! only that a flag is due for review, with a link to its report.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::jobs::flag_review::{LEAD_MS, enqueue_due};
use uuid::Uuid;

// The mail tests' sink (also loaded by `mail`, whose module is private to it).
#[path = "../support/smtp_sink.rs"]
#[allow(clippy::duplicate_mod)]
mod smtp_sink;

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.job_worker = false =>
    a_flag_is_reminded_once_a_week_before_its_review_date_and_never_when_proposed_lifted_or_ended,
);

const DAY: i64 = 86_400_000;
const GUIDANCE: &str = "RADMARKOR vänta på polis.";

fn day(now: i64, n: i64) -> String {
    let today: jiff::civil::Date = trygg_server::routes::flags::date_of(now).parse().unwrap();
    today.checked_add(jiff::Span::new().days(n)).unwrap().to_string()
}

/// A flag on `street` from Sara's report, reviewed on day `review` and ending on day `ends`;
/// approved by Bo when `approve`.
async fn flag(app: &TestApp, w: &crate::flags::World, street: &str, review: i64, ends: i64, approve: bool) -> Value {
    let now = app.clock.now_ms();
    let body = json!({
        "address": format!("{street} 3, 981 31 Kiruna"), "level": "caution", "category": "dog",
        "guidance_sv": GUIDANCE, "guidance_en": GUIDANCE, "reason": "SKALMARKOR hunden bet.",
        "review_on": day(now, review), "ends_on": day(now, ends),
    });
    let res = w.sara.post(app, &format!("/api/reports/{}/flags", w.report), body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let f: Value = res.json().await.unwrap();
    if !approve {
        return f;
    }
    let res = w.bo.post(app, &format!("/api/flags/{}/approve", f["id"].as_str().unwrap()), json!({"version": 1})).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn key_of(app: &TestApp, f: &Value) -> String {
    let id: Uuid = f["id"].as_str().unwrap().parse().unwrap();
    let row = app.db.flag(id).await.unwrap().unwrap();
    format!("flag_review:{id}:{}", row.review_at)
}

async fn a_flag_is_reminded_once_a_week_before_its_review_date_and_never_when_proposed_lifted_or_ended(app: &TestApp) {
    let w = crate::flags::world(app).await;
    let now = app.clock.now_ms();
    let due = flag(app, &w, "Hundgatan", 10, 40, true).await;
    let proposed = flag(app, &w, "Väntegatan", 5, 40, false).await;
    let lifted = flag(app, &w, "Hävdgatan", 5, 40, true).await;
    let ends = flag(app, &w, "Slutgatan", 4, 5, true).await;
    let res =
        w.bo.post(
            app,
            &format!("/api/flags/{}/review", lifted["id"].as_str().unwrap()),
            json!({"action": "lift", "reason": "Flyttat.", "version": lifted["version"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let due_id: Uuid = due["id"].as_str().unwrap().parse().unwrap();
    let soon = app.db.flags_to_remind(now, LEAD_MS).await.unwrap();
    assert!(!soon.iter().any(|(id, _)| *id == due_id), "ten days ahead: not yet");
    let later = now + 6 * DAY + 60_000;
    assert_eq!(enqueue_due(&app.db, later).await.unwrap(), 1, "within a week of its review date; not the ended flag");
    let job = app.db.job_by_key(&key_of(app, &due).await).await.unwrap().expect("the reminder");
    assert_eq!(job.kind, "mail.flag_review");
    for other in [&proposed, &lifted, &ends] {
        assert!(app.db.job_by_key(&key_of(app, other).await).await.unwrap().is_none(), "{other}");
    }
    assert_eq!(enqueue_due(&app.db, later + 60_000).await.unwrap(), 0, "never twice for one review date");
    assert_eq!(enqueue_due(&app.db, now + 11 * DAY).await.unwrap(), 0, "not after the date passed either");

    // A review sets a new review date: a reminder again, once, a week before that date.
    let current: Value =
        w.sara.get(app, &format!("/api/flags/{}", due["id"].as_str().unwrap())).await.json().await.unwrap();
    let body = json!({"action": "extend", "reason": "Fortfarande hund.", "ends_on": day(now, 60), "review_on": day(now, 50),
                      "version": current["flag"]["version"]});
    let res = w.sara.post(app, &format!("/api/flags/{}/review", due["id"].as_str().unwrap()), body).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    assert_eq!(enqueue_due(&app.db, later + 120_000).await.unwrap(), 0);
    assert_eq!(enqueue_due(&app.db, now + 50 * DAY - LEAD_MS).await.unwrap(), 1);
    assert_eq!(enqueue_due(&app.db, now + 50 * DAY - LEAD_MS + 60_000).await.unwrap(), 0);
}

mod mail {
    use super::*;
    use trygg_server::config::Config;

    const ON_DUTY: &str = "jour@region.se";

    async fn the_reminder_mail_reaches_the_owner_and_duty_with_a_link_and_no_flag_content(pg: bool) {
        let Some(sink) = smtp_sink::Sink::start().await else { return };
        let backend = if pg { Backend::Postgres } else { Backend::Sqlite };
        let port = sink.port;
        let Some(app) = spawn_with(backend, move |c: &mut Config| {
            c.smtp_url = Some(format!("smtp://127.0.0.1:{port}").into());
            c.mail_from = "Trygg <trygg@region.se>".into();
            c.public_url = "https://trygg.region.se".into();
            c.notify_fallback_email = Some(ON_DUTY.into());
            c.job_poll_millis = 50;
        })
        .await
        else {
            return;
        };
        let w = crate::flags::world(&app).await;
        let f = flag(&app, &w, "Hundgatan", 3, 40, true).await;
        app.clock.advance(Duration::from_secs(120));
        // The worker's own tick finds it; enqueueing it here too changes nothing (one key).
        enqueue_due(&app.db, app.clock.now_ms()).await.unwrap();
        trygg_server::jobs::wake();
        let mails = sink.wait_for(1, 15).await;
        let mails: Vec<_> = mails.into_iter().filter(|m| m.body.contains("riskflagga")).collect();
        assert_eq!(mails.len(), 1, "one mail: {}", mails.len());
        let m = &mails[0];
        assert!(m.to.contains(EMAIL) && m.to.contains(ON_DUTY), "the owner and duty: {}", m.to);
        assert!(m.body.contains(&format!("https://trygg.region.se/samordnare/inkorg/{}", w.report)), "{}", m.body);
        for leak in ["Hundgatan", "Kiruna", "RADMARKOR", "SKALMARKOR"] {
            assert!(!m.raw.contains(leak), "{leak} leaked into the mail");
        }
        let job = app.db.job_by_key(&key_of(&app, &f).await).await.unwrap().unwrap();
        assert!(m.message_id.contains(&job.id.to_string()));
        app.stop().await;
    }

    mod sqlite {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn the_reminder_mail_reaches_the_owner_and_duty_with_a_link_and_no_flag_content() {
            super::the_reminder_mail_reaches_the_owner_and_duty_with_a_link_and_no_flag_content(false).await
        }
    }
    mod postgres {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn the_reminder_mail_reaches_the_owner_and_duty_with_a_link_and_no_flag_content() {
            super::the_reminder_mail_reaches_the_owner_and_duty_with_a_link_and_no_flag_content(true).await
        }
    }
}
