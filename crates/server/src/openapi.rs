//! The OpenAPI 3.1 document's head: title, shared schemas and the session cookie. The operations
//! come from the route list ([`crate::routes::document`]), which depends on this file, never the
//! other way round.

use crate::error::{ErrorBody, ErrorEnvelope, FieldErrorDoc};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

/// What the document says besides its operations (those come from the route list,
/// [`crate::routes::api`]): title, shared schemas, the session cookie.
#[derive(OpenApi)]
#[openapi(
    info(title = "Trygg API", description = "Incident reports for people threatened because of their work."),
    components(schemas(trygg_domain::ReportDraft, ErrorEnvelope, ErrorBody, FieldErrorDoc)),
    modifiers(&SessionCookie)
)]
struct ApiDoc;

/// The document before any route is added.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
        // A dispatch system's look-up token (`POST /api/lookup` only).
        components.add_security_scheme(
            "lookup_token",
            SecurityScheme::Http(utoipa::openapi::security::Http::new(
                utoipa::openapi::security::HttpAuthScheme::Bearer,
            )),
        );
    }
}
