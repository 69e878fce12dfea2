//! The wire shapes the start bundle reads or writes, by [`crate::json`] instead of `serde_json`:
//! the server's receipt (also kept on the device), its error envelope, the follow-up answers and
//! the content's notices, and field errors. The server writes them with the serde derives of
//! `trygg-wire`/`trygg-domain`; `wire_tests` proves both sides read what the other writes.

use trygg_domain::FieldError;
use trygg_wire::notices::PublicNotice;

use super::{Object, ObjectWriter, array, object};
use crate::model::{ErrorBody, ErrorEnvelope, Localized, Receipt};

/// `{"id", "receipt_code", "received_at", "last_opened_ms"?, "seen_answer_at"?}`: the server's
/// answer to a report, and each receipt kept on the device (with its two device-only fields).
pub fn receipt(text: &str) -> Option<Receipt> {
    let o = object(text)?;
    Some(Receipt {
        id: o.string("id")?,
        receipt_code: o.string("receipt_code")?,
        received_at: o.string("received_at")?,
        // Device-only fields: missing is their default, a null is no value (as with serde).
        last_opened_ms: match o.get("last_opened_ms") {
            None => 0,
            Some(raw) => super::number(raw)?,
        },
        seen_answer_at: match o.get("seen_answer_at") {
            None => String::new(),
            Some(raw) => super::string(raw)?,
        },
    })
}

/// [`receipt`]'s form, written as the serde derive writes it (same order, same omissions).
pub fn write_receipt(r: &Receipt) -> String {
    let mut w = ObjectWriter::default()
        .string("id", &r.id)
        .string("receipt_code", &r.receipt_code)
        .string("received_at", &r.received_at);
    if r.last_opened_ms != 0 {
        w = w.number("last_opened_ms", r.last_opened_ms);
    }
    if !r.seen_answer_at.is_empty() {
        w = w.string("seen_answer_at", &r.seen_answer_at);
    }
    w.finish()
}

/// A list of receipts.
pub fn receipts(text: &str) -> Option<Vec<Receipt>> {
    array(text)?.into_iter().map(receipt).collect()
}

pub fn write_receipts(all: &[Receipt]) -> String {
    super::write_array(all.iter().map(write_receipt))
}

/// `{"field", "code"}`: one rejected field, known by its code (`description.too_long`).
pub fn field_error(text: &str) -> Option<FieldError> {
    let o = object(text)?;
    o.string("field")?;
    FieldError::from_code(&o.string("code")?)
}

pub fn write_field_error(e: &FieldError) -> String {
    ObjectWriter::default().string("field", e.field.as_str()).string("code", &e.code()).finish()
}

/// A list of field errors; one that cannot be read spoils the list (as with serde).
pub fn field_errors(text: &str) -> Option<Vec<FieldError>> {
    array(text)?.into_iter().map(field_error).collect()
}

pub fn write_field_errors(errors: &[FieldError]) -> String {
    super::write_array(errors.iter().map(write_field_error))
}

/// `{"error": {"code", "fields"?: [...]}}`, every failing route's answer. The field errors
/// whose code this app does not know are left out (a newer server may add codes).
pub fn error_envelope(text: &str) -> Option<ErrorEnvelope> {
    let error = object(object(text)?.get("error")?)?;
    let fields = match error.get("fields") {
        None => Vec::new(),
        Some(raw) => array(raw)?.into_iter().filter_map(field_error).collect(),
    };
    Some(ErrorEnvelope { error: ErrorBody { code: error.string("code")?, fields } })
}

/// `{"last_answer_at": [string | null, ...]}` (`trygg_wire::followup::Answers`).
pub fn answers(text: &str) -> Option<Vec<Option<String>>> {
    let all = array(object(text)?.get("last_answer_at")?)?;
    all.into_iter().map(|raw| if raw == "null" { Some(None) } else { super::string(raw).map(Some) }).collect()
}

/// What the start page reads of `GET /api/content`: the notices (absent from an older
/// server's answer). The checklists and the phone list must be there, as any JSON, or the
/// answer is not taken (and so not kept over a good copy); the report bundle decodes them.
pub fn start_content(text: &str) -> Option<Vec<PublicNotice>> {
    let o = object(text)?;
    o.get("checklists")?;
    o.get("contacts")?;
    match o.get("notices") {
        None => Some(Vec::new()),
        Some(raw) => array(raw)?.into_iter().map(notice).collect(),
    }
}

/// `{"id", "audience", "title": {"sv", "en"}, "body": {"sv", "en"}}`.
fn notice(text: &str) -> Option<PublicNotice> {
    let o = object(text)?;
    Some(PublicNotice {
        id: o.number("id")?,
        audience: o.string("audience")?,
        title: localized(&o, "title")?,
        body: localized(&o, "body")?,
    })
}

fn localized(o: &Object<'_>, key: &str) -> Option<Localized> {
    let text = object(o.get(key)?)?;
    Some(Localized { sv: text.string("sv")?, en: text.string("en")? })
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod wire_tests;
