//! The administrators' calls for the phone list, the checklists and retention. A stale edit is
//! `Other { 409, "version_conflict" }`: the page then reloads the newer state and keeps the form.

use gloo_net::http::{Method, Request};

use super::{ApiError, json, protected_json, send_protected, value};
use crate::model::{
    AdminChecklist, AdminChecklists, AdminContact, AdminContacts, AdminStep, ContactBody, ContactOrder, Retention,
    RetentionBody, RetentionPreview, RetentionRun, StepBody, StepOrder,
};

pub async fn admin_contacts() -> Result<AdminContacts, ApiError> {
    json(Request::get("/api/admin/contacts").send().await).await
}

/// Adds a contact (`id` none) or changes one from the version in `body`.
pub async fn save_contact(id: Option<i64>, body: &ContactBody) -> Result<AdminContact, ApiError> {
    let body = value(body)?;
    match id {
        None => protected_json(Method::POST, "/api/admin/contacts", Some(&body)).await,
        Some(id) => protected_json(Method::PUT, &format!("/api/admin/contacts/{id}"), Some(&body)).await,
    }
}

pub async fn remove_contact(id: i64, version: i64) -> Result<(), ApiError> {
    send_protected(Method::DELETE, &format!("/api/admin/contacts/{id}?version={version}"), None).await.map(|_| ())
}

pub async fn order_contacts(order: &ContactOrder) -> Result<AdminContacts, ApiError> {
    protected_json(Method::PUT, "/api/admin/contacts/order", Some(&value(order)?)).await
}

pub async fn admin_checklists() -> Result<AdminChecklists, ApiError> {
    json(Request::get("/api/admin/checklists").send().await).await
}

/// Adds a step (`id` none; `body` names the situation) or changes one from its version.
pub async fn save_step(id: Option<i64>, body: &StepBody) -> Result<AdminStep, ApiError> {
    let body = value(body)?;
    match id {
        None => protected_json(Method::POST, "/api/admin/checklists/steps", Some(&body)).await,
        Some(id) => protected_json(Method::PUT, &format!("/api/admin/checklists/steps/{id}"), Some(&body)).await,
    }
}

pub async fn remove_step(id: i64, version: i64) -> Result<(), ApiError> {
    let url = format!("/api/admin/checklists/steps/{id}?version={version}");
    send_protected(Method::DELETE, &url, None).await.map(|_| ())
}

pub async fn order_steps(order: &StepOrder) -> Result<AdminChecklist, ApiError> {
    protected_json(Method::PUT, "/api/admin/checklists/order", Some(&value(order)?)).await
}

pub async fn retention() -> Result<Retention, ApiError> {
    json(Request::get("/api/admin/retention").send().await).await
}

pub async fn set_retention(body: &RetentionBody) -> Result<Retention, ApiError> {
    protected_json(Method::PUT, "/api/admin/retention", Some(&value(body)?)).await
}

pub async fn retention_preview() -> Result<RetentionPreview, ApiError> {
    json(Request::get("/api/admin/retention/preview").send().await).await
}

pub async fn purge_now() -> Result<RetentionRun, ApiError> {
    protected_json(Method::POST, "/api/admin/retention/purge", None).await
}
