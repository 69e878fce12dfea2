//! Follow-up that a person recognises (issue 15 item 6): after the receipt code, what the report
//! was about (kind, when, the first words) and by when an answer can be expected; and the list
//! of a device's codes that says which has an answer, with times only.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    after_the_code_the_follow_up_shows_kind_date_first_words_and_when_an_answer_can_be_expected,
    an_urgent_report_can_expect_an_answer_within_an_hour,
    the_answers_list_says_which_code_has_an_answer_and_nothing_about_the_report,
    guessing_codes_through_the_answers_list_counts_against_the_same_limit,
);

fn ms(rfc3339: &Value) -> i64 {
    let s = rfc3339.as_str().unwrap_or_else(|| panic!("a time: {rfc3339}"));
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

async fn submit(app: &TestApp, report: &Value) -> String {
    let body: Value = app.submit(&new_key(), report).await.json().await.unwrap();
    body["receipt_code"].as_str().unwrap().to_owned()
}

async fn thread(app: &TestApp, code: &str) -> Value {
    let res =
        app.new_client().post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// A coordinator answers the only report there is (signing in first).
async fn answer(app: &TestApp) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let page: Value = app.client.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let item = &page["items"][0];
    let url = app.url(&format!("/api/reports/{}/messages", item["id"].as_str().unwrap()));
    let res =
        app.client.post(url).header(CSRF, app.csrf()).json(&json!({"body": "Vi hör av oss."})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

async fn after_the_code_the_follow_up_shows_kind_date_first_words_and_when_an_answer_can_be_expected(app: &TestApp) {
    let mut report = valid_report();
    let long =
        format!("{} {}", "En anhörig hotade att vänta utanför efter passet.", "Han sa det flera gånger. ".repeat(10));
    report["description"] = json!(long);
    let code = submit(app, &report).await;
    let t = thread(app, &code).await;
    assert_eq!(t["kind"], "threat");
    assert_eq!(ms(&t["occurred_at"]), ms(&json!("2026-01-15T14:30:00+01:00")));
    let excerpt = t["excerpt"].as_str().unwrap();
    assert!(excerpt.starts_with("En anhörig hotade att vänta utanför efter passet."), "{excerpt}");
    assert!(excerpt.ends_with('…') && excerpt.chars().count() <= 81, "{excerpt}");
    // A routine report: an answer within 24 hours of arrival.
    assert_eq!(t["urgent"], false);
    assert_eq!(ms(&t["answer_expected_by"]) - ms(&t["received_at"]), 24 * 3_600_000);

    // Once a coordinator has answered, nothing is "expected" any more.
    answer(app).await;
    let t = thread(app, &code).await;
    assert!(t["last_answer_at"].is_string());
    assert_eq!(t["answer_expected_by"], Value::Null);
}

async fn an_urgent_report_can_expect_an_answer_within_an_hour(app: &TestApp) {
    let mut report = valid_report();
    report["kind"] = json!("violence");
    let t = thread(app, &submit(app, &report).await).await;
    assert_eq!((t["kind"].as_str(), t["urgent"].as_bool()), (Some("violence"), Some(true)));
    assert_eq!(ms(&t["answer_expected_by"]) - ms(&t["received_at"]), 3_600_000);
}

async fn the_answers_list_says_which_code_has_an_answer_and_nothing_about_the_report(app: &TestApp) {
    let answered = submit(app, &valid_report()).await;
    answer(app).await;
    let mut other = valid_report();
    other["description"] = json!("Någon klottrade på bilen i natt.");
    let waiting = submit(app, &other).await;
    let device = app.new_client();
    let codes = json!({"receipt_codes": [answered, waiting, "0000-0000-0000-0000"]});
    let res = device.post(app.url("/api/followup/answers")).json(&codes).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1, "times only: {body}");
    let times = body["last_answer_at"].as_array().unwrap();
    assert_eq!(times.len(), 3);
    assert!(times[0].is_string() && times[1].is_null() && times[2].is_null(), "{body}");
    let text = body.to_string();
    assert!(!text.contains("hotade") && !text.contains("threat"), "no content: {text}");

    // More than 20 codes at once is a field error, not a silent cut.
    let many: Vec<String> = (0..21).map(|i| format!("0000-0000-0000-{i:04}")).collect();
    let res = device.post(app.url("/api/followup/answers")).json(&json!({"receipt_codes": many})).send().await.unwrap();
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "receipt_code.too_long");
}

async fn guessing_codes_through_the_answers_list_counts_against_the_same_limit(app: &TestApp) {
    let code = submit(app, &valid_report()).await;
    let guesser = app.new_client();
    // Found codes give their count back: asking about a real one again and again costs nothing.
    for _ in 0..25 {
        let res = guesser
            .post(app.url("/api/followup/answers"))
            .json(&json!({"receipt_codes": [code]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    // Twenty wrong codes in one list use up the address's guesses: even the right code waits.
    let wrong: Vec<String> = (0..20).map(|i| format!("0000-0000-0000-{i:04}")).collect();
    let res =
        guesser.post(app.url("/api/followup/answers")).json(&json!({"receipt_codes": wrong})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = guesser.post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let res =
        guesser.post(app.url("/api/followup/answers")).json(&json!({"receipt_codes": [code]})).send().await.unwrap();
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
