//! Fuzzes `NewReport::parse` with arbitrary field values: it must never panic, every error must
//! name a distinct field, and an accepted report must hold the trimmed description.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;
use trygg_domain::{NewReport, ReportDraft};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    let get = |i: usize| parts.get(i).copied().unwrap_or("").to_owned();
    let flags = data.first().copied().unwrap_or(0);
    let draft = ReportDraft {
        kind: get(0),
        channel: get(1),
        occurred_at: get(2),
        location: get(3),
        description: get(4),
        perpetrator: get(5),
        perpetrator_description: get(6),
        witnesses: get(7),
        police_case_number: get(8),
        role: get(9),
        phase: get(10),
        unit: get(11),
        identity: get(12),
        reporter_name: get(13),
        reporter_phone: get(14),
        reporter_email: get(15),
        police_reported: flags & 1 != 0,
        help_call_me: flags & 2 != 0,
        injury: flags & 4 != 0,
        ..ReportDraft::default()
    };
    match NewReport::parse(&draft, OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000)) {
        Ok(r) => assert_eq!(r.description.as_str(), draft.description.trim()),
        Err(errors) => {
            assert!(!errors.is_empty());
            let mut fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
            fields.sort_unstable();
            fields.dedup();
            assert_eq!(fields.len(), errors.len());
        }
    }
});
