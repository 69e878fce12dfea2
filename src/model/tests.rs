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

#[test]
fn sign_in_state_and_coordinator_types_decode() {
    let json = r#"{"id":"u","email":"a@b.se","display_name":"Sara","role":"admin","mfa_required":true,
        "enrolment_required":false,"totp_enabled":true,"csrf_token":"abc"}"#;
    let me: User = serde_json::from_str(json).unwrap();
    assert!(me.mfa_required && !me.is_signed_in() && me.is_admin());
    assert_eq!(me.csrf_token, "abc");
    // An older server without the new fields: signed in, no token yet.
    let old: User = serde_json::from_str(r#"{"id":"u","email":"e","display_name":"d","role":"coordinator"}"#).unwrap();
    assert!(old.is_signed_in() && !old.is_admin() && old.csrf_token.is_empty());
    let list: Colleagues =
        serde_json::from_str(r#"{"coordinators":[{"id":"1","display_name":"Adam","role":"admin"}]}"#).unwrap();
    assert_eq!(list.coordinators[0].display_name, "Adam");
    let counts: Counts = serde_json::from_str(r#"{"new":2,"in_progress":1,"closed":4}"#).unwrap();
    assert_eq!((counts.total(), counts.of("closed"), counts.of("x")), (7, 4, 0));
    assert!(!counts.at_least("") && !counts.at_least("closed"), "no cap sent: exact");
    let counts: Counts = serde_json::from_str(r#"{"new":2,"in_progress":1,"closed":10000,"cap":10000}"#).unwrap();
    assert!(counts.at_least("closed") && counts.at_least("") && !counts.at_least("new"));
    let log: Vec<AuditEntry> = serde_json::from_str(
        r#"[{"seq":3,"at":"t","user_id":null,"action":"report.read","report_id":"r","reason":null,"hash":"h"}]"#,
    )
    .unwrap();
    assert_eq!(log[0].report_id.as_deref(), Some("r"));
    let verdict: AuditVerdict = serde_json::from_str(r#"{"ok":false,"entries":9,"broken_at":4}"#).unwrap();
    assert_eq!(verdict.broken_at, Some(4));
}

#[test]
fn an_inbox_page_with_nulls_and_extra_fields_decodes() {
    let json = r#"{"items":[{"id":"1","received_at":"2026-11-24T13:30:00Z","occurred_at":"2026-11-24T13:00:00Z",
        "kind":"threat","channel":"phone","role":"healthcare","phase":null,"identity":"anonymous",
        "excerpt":"Hot i telefon","status":"new","severity":null,
        "something_new":1}],"next_cursor":null}"#;
    let page: ReportPage = serde_json::from_str(json).unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, "threat");
    assert_eq!(page.next_cursor, None);
}

#[test]
fn checklists_and_contacts_decode() {
    let json = r#"{"role":"healthcare","phase":"during","items":[{"id":7,"text":{"sv":"Gå","en":"Go"}}]}"#;
    let list: Checklist = serde_json::from_str(json).unwrap();
    assert_eq!(list.items[0].id, 7);
    assert_eq!(list.items[0].text.en, "Go");
    let json = r#"{"groups":[{"group":"emergency","contacts":[{"id":1,"name":{"sv":"Larm","en":"Emergency"},
        "phone":"112","tel":"tel:112","note":{"sv":"","en":""},"roles":["healthcare","elected_official"]},
        {"id":2,"name":{"sv":"TiB","en":"Duty officer"},"phone":null,"tel":null,"note":{"sv":"Via växeln","en":"Via the switchboard"},"roles":["healthcare"]}]}]}"#;
    let contacts: Contacts = serde_json::from_str(json).unwrap();
    let group = &contacts.groups[0];
    assert_eq!(group.contacts[0].tel.as_deref(), Some("tel:112"));
    assert_eq!(group.contacts[1].phone, None);
    assert!(group.contacts[1].is_for("healthcare") && !group.contacts[1].is_for("elected_official"));
}

#[test]
fn the_error_envelope_keeps_code_and_raw_fields() {
    let json = r#"{"error":{"code":"validation","message":"x","fields":[{"field":"description","code":"description.required"}]}}"#;
    let env: ErrorEnvelope = serde_json::from_str(json).unwrap();
    assert_eq!(env.error.code, "validation");
    assert_eq!(env.error.fields.len(), 1);
}
#[test]
fn a_thread_and_a_report_detail_decode() {
    let json = r#"{"received_at":"x","status":"in_progress","closed_reason":null,"last_answer_at":"y",
        "messages":[{"at":"y","from":"coordinator","body":"Hej"}]}"#;
    let thread: Thread = serde_json::from_str(json).unwrap();
    assert_eq!(thread.messages[0].from, "coordinator");
    let json = r#"{"id":"1","received_at":"x","occurred_at":"x","kind":"threat","channel":"phone","location":null,
        "description":"d","role":"healthcare","identity":"anonymous","status":"new","severity":null,"assignee_id":null,
        "events":[{"at":"x","actor":"coordinator","user_id":null,"author":"Sara","kind":"note","body":"b","detail":null}]}"#;
    let detail: ReportDetail = serde_json::from_str(json).unwrap();
    assert_eq!(detail.events[0].author.as_deref(), Some("Sara"));
}
