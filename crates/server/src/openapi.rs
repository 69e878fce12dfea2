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

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn has(op: &Value, status: &str) -> bool {
        op["responses"].get(status).is_some()
    }

    /// The shared error sets reach every operation they should: schemathesis fails CI on any
    /// status an operation answers with but does not document.
    #[test]
    fn every_operation_documents_the_errors_it_can_answer_with() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let mut operations = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                operations += 1;
                let name = format!("{method} {path}");
                assert!(has(op, "503"), "{name}: 503");
                if path != "/healthz" {
                    assert!(has(op, "500"), "{name}: 500");
                }
                if op.get("requestBody").is_some() {
                    for s in ["400", "413", "415", "422"] {
                        assert!(has(op, s), "{name}: {s}");
                    }
                }
                if op.get("security").is_some() {
                    assert!(has(op, "401"), "{name}: 401");
                    if path != "/api/auth/me" {
                        assert!(has(op, "403"), "{name}: 403");
                    }
                }
                if path.contains("{id}") {
                    assert!(has(op, "404"), "{name}: 404");
                }
                for (status, response) in op["responses"].as_object().unwrap() {
                    if status.starts_with(['4', '5']) {
                        let schema = &response["content"]["application/json"]["schema"]["$ref"];
                        assert_eq!(schema, "#/components/schemas/ErrorEnvelope", "{name}: {status}");
                    }
                }
            }
        }
        assert_eq!(operations, 22);
    }
}
