//! The safety check-in's calls: the device's (start, state, *I am safe*, *more time*, by the
//! token in `x-checkin-token`) and the coordinators' (open alerts, one alert, acknowledge).

use super::{ApiError, json, protected_json, value};
use gloo_net::http::{Method, Request};
use trygg_wire::checkin::{
    Acknowledge, CheckinAlertDetail, CheckinAlerts, CheckinStatus, MoreTime, NewCheckin, StartedCheckin, TOKEN_HEADER,
};

fn encode() -> ApiError {
    ApiError::Other { status: 0, code: "encode".into() }
}

/// Starts a check-in; a refusal is [`ApiError::Validation`] with the fields to show.
pub async fn start(body: &NewCheckin) -> Result<StartedCheckin, ApiError> {
    let request = Request::post("/api/checkin").json(&value(body)?).map_err(|_| encode())?;
    json(request.send().await).await
}

/// The check-in of `token`, as the server has it now.
pub async fn status(token: &str) -> Result<CheckinStatus, ApiError> {
    json(Request::get("/api/checkin").header(TOKEN_HEADER, token).send().await).await
}

/// *I am safe* (a repeat changes nothing, so the device's queue may resend it).
pub async fn safe(token: &str) -> Result<CheckinStatus, ApiError> {
    json(Request::post("/api/checkin/safe").header(TOKEN_HEADER, token).send().await).await
}

/// *More time*, counted from now.
pub async fn extend(token: &str, minutes: u32) -> Result<CheckinStatus, ApiError> {
    let request = Request::post("/api/checkin/extend")
        .header(TOKEN_HEADER, token)
        .json(&value(&MoreTime { minutes })?)
        .map_err(|_| encode())?;
    json(request.send().await).await
}

/// Missed check-ins nobody has acknowledged (no names: not an audited read).
pub async fn alerts() -> Result<CheckinAlerts, ApiError> {
    json(Request::get("/api/checkin-alerts").send().await).await
}

/// One alert with the person's name, phone and where (the server logs the read).
pub async fn alert(id: &str) -> Result<CheckinAlertDetail, ApiError> {
    json(Request::get(&format!("/api/checkin-alerts/{id}")).send().await).await
}

/// Acknowledges an alert with what was done.
pub async fn acknowledge(id: &str, note: &str) -> Result<CheckinAlertDetail, ApiError> {
    let body = value(&Acknowledge { note: note.to_owned() })?;
    protected_json(Method::POST, &format!("/api/checkin-alerts/{id}/acknowledge"), Some(&body)).await
}
