//! Every route of the server, in one place: [`api`] registers each with its OpenAPI operation.

pub mod accounts;
pub mod admin_content;
pub mod after;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod casework;
pub mod checkin;
pub mod content;
pub mod flags;
pub mod followup;
mod format;
pub mod invitations;
pub mod jobs;
pub mod lookup;
pub mod notices;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod stats;
pub mod two_factor;
pub mod waiting;

use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every route of the JSON API and `/healthz`, each registered with its OpenAPI operation by
/// `routes!` (paths come from the handlers' `#[utoipa::path]`), so that no route can exist
/// undocumented. Handlers sharing a path share one `routes!` call.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(reports::submit, reports::list))
        .routes(routes!(reports::counts))
        .routes(routes!(casework::detail, casework::triage))
        .routes(routes!(casework::note))
        .routes(routes!(casework::message))
        .routes(routes!(casework::coordinators))
        .routes(routes!(followup::followup))
        .routes(routes!(followup::reporter_message))
        .routes(routes!(audit::audit))
        .routes(routes!(audit::verify))
        .routes(routes!(content::checklist))
        .routes(routes!(content::contacts))
        .routes(routes!(content::bundle))
        .routes(routes!(admin_content::list_contacts, admin_content::create_contact))
        .routes(routes!(admin_content::update_contact, admin_content::delete_contact))
        .routes(routes!(admin_content::order_contacts))
        .routes(routes!(admin_content::list_checklists))
        .routes(routes!(admin_content::create_step))
        .routes(routes!(admin_content::update_step, admin_content::delete_step))
        .routes(routes!(admin_content::order_steps))
        .routes(routes!(retention::get_retention, retention::set_retention))
        .routes(routes!(retention::preview))
        .routes(routes!(retention::purge))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::logout_everywhere))
        .routes(routes!(auth::me))
        .routes(routes!(two_factor::setup))
        .routes(routes!(two_factor::confirm))
        .routes(routes!(two_factor::verify))
        .routes(routes!(roster::get_roster, roster::put_roster))
        .routes(routes!(roster::on_duty_now))
        .routes(routes!(waiting::waiting))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::change_lang))
        .routes(routes!(accounts::list, accounts::invite))
        .routes(routes!(accounts::roles))
        .routes(routes!(accounts::disable))
        .routes(routes!(accounts::enable))
        .routes(routes!(accounts::reset_two_factor))
        .routes(routes!(accounts::delete))
        .routes(routes!(accounts::reinvite))
        .routes(routes!(invitations::lookup))
        .routes(routes!(invitations::accept))
        .routes(routes!(jobs::overview))
        .routes(routes!(jobs::retry))
        .routes(routes!(flags::propose, flags::of_report))
        .routes(routes!(flags::detail))
        .routes(routes!(flags::approve))
        .routes(routes!(flags::review))
        .routes(routes!(lookup::lookup))
        .routes(routes!(lookup::tokens, lookup::create_token))
        .routes(routes!(lookup::revoke_token))
        .routes(routes!(lookup::log))
        .routes(routes!(checkin::start, checkin::status))
        .routes(routes!(checkin::safe))
        .routes(routes!(checkin::extend))
        .routes(routes!(checkin::alerts))
        .routes(routes!(checkin::read))
        .routes(routes!(checkin::acknowledge))
        .routes(routes!(stats::stats))
        .routes(routes!(stats::stats_csv))
        .routes(routes!(stats::rows))
        .routes(routes!(stats::aggregate))
        .routes(routes!(followup::answers))
        .routes(routes!(notices::list, notices::create))
        .routes(routes!(notices::update))
        .routes(routes!(notices::end))
        .routes(routes!(after::tasks::of_report, after::tasks::add))
        .routes(routes!(after::tasks::change))
        .routes(routes!(after::tasks::list))
        .routes(routes!(after::get_after, after::patch_after))
        .routes(routes!(after::summary::for_coordinator))
        .routes(routes!(after::summary::for_reporter))
        .routes(routes!(after::summary::reporter_options))
        .routes(routes!(attachments::upload))
        .routes(routes!(attachments::list))
        .routes(routes!(attachments::view))
        .routes(routes!(health))
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "Up, and the database answers", body = Health),
        (status = 503, description = "The database does not answer", body = ErrorEnvelope),
    ))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.db.ping().await.map_err(|_| ApiError::Unavailable)?;
    Ok(Json(Health { status: "ok".into(), database: state.db.backend().into() }))
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    status: String,
    database: String,
}

/// The whole document: exactly the operations of the route list.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOC.get_or_init(|| api().into_openapi())
}

/// `GET /api/openapi.json`: the contract, generated from the handlers and types.
pub async fn openapi() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(document())
}

#[cfg(test)]
mod openapi_contract;
