//! Fuzzes what the submit route does with a body: JSON into `ReportDraft`, then the rules.
//! Neither step may panic, whatever bytes arrive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::OffsetDateTime;
use trygg_domain::{NewReport, ReportDraft};

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = serde_json::from_slice::<ReportDraft>(data) {
        let _ = NewReport::parse(&draft, OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000));
        // What the server hashes for idempotency must serialise back.
        let again: ReportDraft = serde_json::from_str(&serde_json::to_string(&draft).unwrap()).unwrap();
        assert_eq!(again, draft);
    }
});
