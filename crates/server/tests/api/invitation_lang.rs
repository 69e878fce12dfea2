//! An invitation's language: the administrator chooses Swedish (the default) or English for the
//! invited person; the invitation mail and the account's first language follow, a new link goes
//! out in the same language, and any other language is a field error.

use crate::accounts::{account, admin, post};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use trygg_server::jobs::handlers::kinds;

crate::on_both_backends!(an_invitation_is_mailed_in_the_language_chosen_for_the_person);

/// The languages of the invitation mails enqueued so far, oldest first.
async fn invitation_mail_langs(app: &TestApp) -> Vec<String> {
    let sql = "SELECT payload FROM jobs WHERE kind = $1 ORDER BY created_at, id";
    let payloads: Vec<String> = match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar(sql).bind(kinds::INVITATION).fetch_all(p).await,
        trygg_server::store::Db::Postgres(p) => sqlx::query_scalar(sql).bind(kinds::INVITATION).fetch_all(p).await,
    }
    .unwrap();
    payloads.iter().map(|p| serde_json::from_str::<Value>(p).unwrap()["lang"].as_str().unwrap().to_owned()).collect()
}

async fn an_invitation_is_mailed_in_the_language_chosen_for_the_person(app: &TestApp) {
    let admin = admin(app).await;
    let invite = |email: &str, lang: Option<&str>| {
        let mut body = json!({"email": email, "display_name": "Sam New", "roles": ["coordinator"]});
        if let Some(l) = lang {
            body["lang"] = l.into();
        }
        body
    };
    let res = post(app, &admin, "/api/accounts", invite("sam@region.se", Some("en"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(account(app, &admin, "sam@region.se").await["lang"], "en");
    let res = post(app, &admin, "/api/accounts", invite("saga@region.se", None)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(account(app, &admin, "saga@region.se").await["lang"], "sv", "Swedish when left out");
    assert_eq!(invitation_mail_langs(app).await, ["en", "sv"]);

    // A new link goes out in the language the account has.
    let sam = account(app, &admin, "sam@region.se").await;
    let path = format!("/api/accounts/{}/invitation", sam["id"].as_str().unwrap());
    assert_eq!(post(app, &admin, &path, json!({"version": sam["version"]})).await.status(), StatusCode::OK);
    assert_eq!(invitation_mail_langs(app).await, ["en", "sv", "en"]);

    let res = post(app, &admin, "/api/accounts", invite("sigge@region.se", Some("de"))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"], json!([{"field": "lang", "code": "lang.invalid"}]), "{body}");
    assert_eq!(invitation_mail_langs(app).await.len(), 3, "nothing enqueued");
}
