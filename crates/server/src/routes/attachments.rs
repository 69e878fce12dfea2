//! Evidence attachments (issue 18 item 1): the reporter uploads a screenshot or photo by receipt
//! code (`PUT /api/followup/attachments/{file_id}`, for a new report right after its submit and
//! later from the follow-up); coordinators list a report's files and open one (each view an
//! audited read, never cached). The pipeline itself is [`crate::evidence`].

use super::format::rfc3339;
use crate::auth::{ClientIp, Coordinator};
use crate::error::{ApiError, ErrorEnvelope, RateLimited, ReportNotFound, ServerErrors, SessionErrors};
use crate::evidence::{self, Refusal};
use crate::state::AppState;
use crate::store::attachments::{AttachmentMeta, Inserted, NewAttachment};
use crate::store::audit::Entry;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use trygg_wire::attachments::{Attachment, Attachments, RECEIPT_CODE_HEADER, codes};
use trygg_wire::headers::IDEMPOTENT_REPLAYED;
use uuid::Uuid;

/// An image file's raw bytes (the OpenAPI schema of an upload's body and of a view's answer).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ImageBytes(#[allow(dead_code)] Vec<u8>);

/// An upload refused for what it is: the one envelope, with a code of its own.
struct Refused(StatusCode, &'static str, &'static str);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": {"code": self.1, "message": self.2, "fields": []}});
        (self.0, Json(body)).into_response()
    }
}

fn refused(r: Refusal) -> Response {
    match r {
        Refusal::Heic => Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::HEIC_NOT_SUPPORTED,
            "HEIC photos cannot be received. Send a screenshot of the photo, or share it as JPEG.",
        ),
        Refusal::Unsupported => Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_IMAGE,
            "Only JPEG, PNG and WebP images can be attached.",
        ),
        Refusal::TooManyPixels => {
            Refused(StatusCode::PAYLOAD_TOO_LARGE, codes::IMAGE_TOO_LARGE, "The image has too many pixels.")
        }
        Refusal::Broken => Refused(StatusCode::UNPROCESSABLE_ENTITY, codes::BROKEN_IMAGE, "The image cannot be read."),
    }
    .into_response()
}

fn wire(m: AttachmentMeta) -> Attachment {
    Attachment {
        id: m.id.to_string(),
        sha256: m.sha256_hex,
        received_at: rfc3339(m.received_at),
        content_type: m.content_type,
        bytes: m.bytes,
        width: m.width,
        height: m.height,
    }
}

fn replayed(m: AttachmentMeta) -> Response {
    let mut res = (StatusCode::OK, Json(wire(m))).into_response();
    res.headers_mut().insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    res
}

/// `PUT /api/followup/attachments/{file_id}`: one file for the report behind the receipt code.
#[utoipa::path(put, path = "/api/followup/attachments/{file_id}", tag = "followup",
    params(
        ("file_id" = Uuid, Path, description = "Made by the browser once per file and reused on every retry"),
        ("Receipt-Code" = String, Header, description = "The report's receipt code"),
    ),
    request_body(content = ImageBytes, description = "The image itself (JPEG, PNG or WebP, decided by its content); at most `TRYGG_ATTACHMENT_MAX_BYTES`",
        content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Stored: re-encoded (no metadata), sealed", body = Attachment),
        (status = 200, description = "This file id was stored before: that file", body = Attachment,
            headers(("Idempotent-Replayed" = String, description = "always `true`"))),
        (status = 400, description = "The request could not be read (`bad_request`)", body = ErrorEnvelope),
        (status = 404, description = "The file id is not a UUID (`not_found`)", body = ErrorEnvelope),
        (status = 413, description = "Larger than allowed, too many pixels, or the report has the most files allowed (`payload_too_large`, `image_too_large`, `too_many_files`)", body = ErrorEnvelope),
        (status = 415, description = "Not a JPEG, PNG or WebP image by content (`unsupported_image`), or HEIC (`heic_not_supported`)", body = ErrorEnvelope),
        (status = 422, description = "A wrong receipt code (`validation`), or an image that cannot be read (`broken_image`)", body = ErrorEnvelope),
        RateLimited, ServerErrors,
    ))]
pub async fn upload(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(file_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let code = headers.get(RECEIPT_CODE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let report = super::followup::find(&state, &ip, code).await?;
    let file_id = Uuid::parse_str(&file_id).ok().filter(|u| !u.is_nil()).ok_or(ApiError::NotFound)?;
    if let Some(m) = state.db.attachment_by_client_id(report.id, file_id).await? {
        return Ok(replayed(m));
    }
    let max_files = state.config.attachment_max_files;
    if state.db.attachment_count(report.id).await? >= max_files {
        return Ok(too_many());
    }
    let max_bytes = state.config.attachment_max_bytes;
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_bytes as u64) {
        return Err(ApiError::PayloadTooLarge);
    }
    // Without a declared length, the limit is the only way reading fails short of a broken connection.
    let raw = axum::body::to_bytes(body, max_bytes).await.map_err(|_| match declared {
        Some(_) => ApiError::Other(StatusCode::BAD_REQUEST),
        None => ApiError::PayloadTooLarge,
    })?;
    let processed = match evidence::process_bounded(raw).await.map_err(ApiError::internal)? {
        Ok(p) => p,
        Err(r) => return Ok(refused(r)),
    };
    let id = Uuid::now_v7();
    let keys = state.keys.clone();
    let size = processed.bytes.len() as i64;
    let bytes = processed.bytes;
    let sealed =
        tokio::task::spawn_blocking(move || evidence::seal(&keys, id, &bytes)).await.map_err(ApiError::internal)?;
    let meta = AttachmentMeta {
        id,
        sha256_hex: processed.sha256_hex,
        received_at: state.clock.now_ms(),
        content_type: processed.content_type.to_owned(),
        bytes: size,
        width: i64::from(processed.width),
        height: i64::from(processed.height),
    };
    let new = NewAttachment { meta, report_id: report.id, client_file_id: file_id, sealed };
    // Nothing of the report or the file: see `reports::submit` (anonymity).
    match state.db.insert_attachment(&new, max_files).await? {
        Inserted::New(m) => {
            tracing::info!("evidence stored");
            Ok((StatusCode::CREATED, Json(wire(m))).into_response())
        }
        Inserted::Replayed(m) => Ok(replayed(m)),
        Inserted::TooMany => Ok(too_many()),
    }
}

fn too_many() -> Response {
    Refused(StatusCode::PAYLOAD_TOO_LARGE, codes::TOO_MANY_FILES, "This report already has the most files allowed.")
        .into_response()
}

fn uuid(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

/// Need to know: a report's files open for its assignee and, while nobody is assigned (someone
/// must triage it), for any coordinator.
fn may_open(assignee: Option<Uuid>, who: Uuid) -> bool {
    assignee.is_none_or(|a| a == who)
}

/// `GET /api/reports/{id}/attachments`: a report's files without their bytes (ids, hashes, sizes).
#[utoipa::path(get, path = "/api/reports/{id}/attachments", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report's files, oldest first", body = Attachments),
        SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<Attachments>, ApiError> {
    let id = uuid(&id)?;
    let assignee = state.db.assignee_of(id).await?.ok_or(ApiError::NotFound)?;
    let items = state.db.attachments_of_report(id).await?.into_iter().map(wire).collect();
    Ok(Json(Attachments { items, can_open: may_open(assignee, who.id) }))
}

/// `GET /api/reports/{id}/attachments/{file_id}`: the file itself, for a coordinator; each view
/// is written to the access log first (`attachment.view`), and no cache keeps it.
#[utoipa::path(get, path = "/api/reports/{id}/attachments/{file_id}", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id"), ("file_id" = Uuid, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The image (JPEG or PNG), `Cache-Control: no-store`", content_type = "application/octet-stream", body = ImageBytes),
        (status = 403, description = "The report is assigned to another coordinator (`not_assignee`); also `forbidden` without the coordinator role", body = ErrorEnvelope),
        SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn view(
    State(state): State<AppState>,
    who: Coordinator,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (id, file_id) = (uuid(&id)?, uuid(&file_id)?);
    let assignee = state.db.assignee_of(id).await?.ok_or(ApiError::NotFound)?;
    let (meta, sealed) = state.db.attachment(id, file_id).await?.ok_or(ApiError::NotFound)?;
    if !may_open(assignee, who.id) {
        return Ok(Refused(
            StatusCode::FORBIDDEN,
            codes::NOT_ASSIGNEE,
            "This report's files open for its assigned coordinator only.",
        )
        .into_response());
    }
    let entry = Entry { user_id: Some(who.id), action: "attachment.view", report_id: Some(id), reason: None };
    state.db.audit(&state.keys, &entry).await?;
    let keys = state.keys.clone();
    let plain = tokio::task::spawn_blocking(move || evidence::open(&keys, file_id, &sealed).map(|p| p.to_vec()))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let ext = if meta.content_type == "image/png" { "png" } else { "jpg" };
    let disposition = format!("inline; filename=\"{}.{ext}\"", &meta.sha256_hex[..16]);
    let mut res = plain.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&meta.content_type).map_err(ApiError::internal)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, private"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(ApiError::internal)?);
    tracing::info!(report_id = %id, user_id = %who.id, "evidence viewed");
    Ok(res)
}
