//! The OpenAPI 3.1 document, generated from the annotated handlers and their types.

use crate::error::{ErrorBody, ErrorEnvelope, FieldErrorDoc};
use crate::routes::{self, auth, casework, content, followup, reports, two_factor};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Trygg API", description = "Incident reports for people threatened because of their work."),
    paths(
        reports::submit,
        reports::list,
        reports::counts,
        casework::detail,
        followup::triage,
        followup::note,
        followup::message,
        followup::followup,
        followup::reporter_message,
        casework::audit,
        casework::verify,
        content::checklist,
        content::contacts,
        auth::login,
        auth::logout,
        auth::me,
        auth::coordinators,
        two_factor::setup,
        two_factor::confirm,
        two_factor::verify,
        two_factor::logout_everywhere,
        routes::health
    ),
    components(schemas(trygg_domain::ReportDraft, ErrorEnvelope, ErrorBody, FieldErrorDoc)),
    modifiers(&SessionCookie)
)]
struct ApiDoc;

struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
