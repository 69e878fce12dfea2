use super::*;

#[test]
fn inbox_filters_round_trip_through_the_url() {
    let q = InboxQuery::from_pairs([("status", "new"), ("q", " kniv & hot "), ("x", "y"), ("sort", "newest")]);
    assert_eq!(q.status, "new");
    assert_eq!(q.q, "kniv & hot");
    assert!(q.sort.is_empty(), "newest is the default and stays out of the URL");
    assert_eq!(q.url("/i"), "/i?status=new&q=kniv%20%26%20hot");
    assert_eq!(InboxQuery::default().url("/i"), "/i");
    assert_eq!(q.pairs(), vec![("status", "new".to_owned()), ("q", "kniv & hot".to_owned())]);
    assert_eq!(q.with_status("").url("/i"), "/i?q=kniv%20%26%20hot");
    assert!(!q.has_detail_filters());
    assert!(InboxQuery::from_pairs([("assignee", "none")]).has_detail_filters());
    assert_eq!(percent_encode("å/1"), "%C3%A5%2F1");
}

/// A real answer of the server, written by its API test `wire_fixtures` (which also checks that
/// the server still answers in that shape): so these tests decode what the server really sends.
macro_rules! fixture {
    ($name:literal) => {
        serde_json::from_str(include_str!(concat!("../../crates/wire/tests/fixtures/", $name, ".json"))).expect($name)
    };
}

#[test]
fn the_servers_real_answers_decode() {
    let receipt: Receipt = fixture!("receipt");
    assert_eq!(receipt.receipt_code.len(), 19);
    let list: Checklist = fixture!("checklist");
    assert!(!list.items.is_empty() && !list.items[0].text.en.is_empty());
    let contacts: Contacts = fixture!("contacts");
    assert!(contacts.groups.iter().flat_map(|g| &g.contacts).any(|c| c.is_for("healthcare")));
    let me: User = fixture!("me");
    assert!(me.is_signed_in() && !me.is_admin() && !me.csrf_token.is_empty());
    let page: ReportPage = fixture!("report_page");
    assert_eq!(page.items[0].identity, "confidential");
    let counts: Counts = fixture!("counts");
    assert_eq!((counts.total(), counts.of("new"), counts.of("x")), (1, 1, 0));
    let people: Colleagues = fixture!("colleagues");
    assert_eq!(people.coordinators[0].role, roles::COORDINATOR);
    let detail: ReportDetail = fixture!("report_detail");
    assert_eq!(detail.reporter_name.as_deref(), Some("Anna Berg"));
    assert_eq!(detail.events[0].author.as_deref(), Some("Sara Samordnare"));
    let thread: Thread = fixture!("thread");
    assert_eq!(thread.messages[0].from, "coordinator");
    let log: Vec<AuditEntry> = fixture!("audit_entries");
    assert!(!log.is_empty());
    let verdict: AuditVerdict = fixture!("audit_verdict");
    assert!(verdict.ok);
}

#[test]
fn counts_at_the_cap_are_at_least() {
    let counts = Counts { new: 2, in_progress: 1, closed: 4, cap: 0 };
    assert!(!counts.at_least("") && !counts.at_least("closed"), "no cap sent: exact");
    let counts = Counts { closed: 10_000, cap: 10_000, ..counts };
    assert!(counts.at_least("closed") && counts.at_least("") && !counts.at_least("new"));
}

#[test]
fn an_inbox_page_with_extra_fields_decodes() {
    let json = r#"{"items":[{"id":"1","received_at":"2026-11-24T13:30:00Z","occurred_at":"2026-11-24T13:00:00Z",
        "kind":"threat","channel":"phone","role":"healthcare","phase":null,"identity":"anonymous",
        "excerpt":"Hot i telefon","status":"new","severity":null,"assignee_id":null,"unread":true,
        "something_new":1}],"next_cursor":null}"#;
    let page: ReportPage = serde_json::from_str(json).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, "threat");
    assert_eq!(page.next_cursor, None);
}

#[test]
fn the_error_envelope_keeps_code_and_fields() {
    let json = r#"{"error":{"code":"validation","message":"x","fields":[{"field":"description","code":"description.required"}]}}"#;
    let env = ErrorEnvelope::parse(json).unwrap();
    assert_eq!(env.error.code, "validation");
    assert_eq!(env.error.fields.len(), 1);
}
