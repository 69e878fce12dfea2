//! How answers become `ApiError`s: status, error code and field errors.

use super::*;
use crate::model::ErrorEnvelope;
use trygg_domain::{ErrorKind, Field};

fn envelope(json: &str) -> Option<ErrorEnvelope> {
    Some(ErrorEnvelope::parse(json).unwrap())
}

#[test]
fn a_422_lists_the_known_field_errors_and_skips_unknown_codes() {
    let e = classify(
        422,
        envelope(
            r#"{"error":{"code":"validation","message":"m","fields":[
            {"field":"description","code":"description.required"},{"field":"x","code":"x.new_rule"}]}}"#,
        ),
    );
    assert_eq!(e, ApiError::Validation(vec![FieldError::new(Field::Description, ErrorKind::Required)]));
}

#[test]
fn a_422_of_the_wrong_shape_is_not_a_validation_error() {
    let e = classify(422, envelope(r#"{"error":{"code":"invalid_body","message":"m","fields":[]}}"#));
    assert_eq!(e, ApiError::Other { status: 422, code: "invalid_body".into() });
    assert!(!e.is_transient());
}

#[test]
fn a_401_is_unauthorized_and_a_bare_502_is_transient() {
    assert_eq!(classify(401, None), ApiError::Unauthorized);
    let bad_gateway = classify(502, None);
    assert_eq!(bad_gateway, ApiError::Other { status: 502, code: "http_502".into() });
    assert!(bad_gateway.is_transient());
    assert!(ApiError::Network.is_transient());
}

#[test]
fn a_wrong_password_or_code_is_not_a_lost_session_but_mfa_steps_send_to_sign_in() {
    let wrong = classify(401, envelope(r#"{"error":{"code":"invalid_code","message":"m","fields":[]}}"#));
    assert_eq!(wrong, ApiError::Other { status: 401, code: "invalid_code".into() });
    assert!(!wrong.needs_sign_in());
    let password = classify(401, envelope(r#"{"error":{"code":"invalid_credentials","message":"m","fields":[]}}"#));
    assert_eq!(password.code(), "invalid_credentials");
    let half = classify(401, envelope(r#"{"error":{"code":"mfa_required","message":"m","fields":[]}}"#));
    assert!(half.needs_sign_in());
    let enrol = classify(403, envelope(r#"{"error":{"code":"mfa_enrolment_required","message":"m","fields":[]}}"#));
    assert!(enrol.needs_sign_in());
    let forbidden = classify(403, envelope(r#"{"error":{"code":"forbidden","message":"m","fields":[]}}"#));
    assert!(!forbidden.needs_sign_in());
}

#[test]
fn an_idempotency_conflict_keeps_its_code() {
    let e = classify(409, envelope(r#"{"error":{"code":"idempotency_conflict","message":"m","fields":[]}}"#));
    assert_eq!(e.code(), "idempotency_conflict");
}
