//! The contract tests: the route list's document equals `docs/openapi.json`, and every operation
//! documents the errors it can answer with.

use serde_json::Value;

/// The contract changes only on purpose: the generated document must equal the committed
/// `docs/openapi.json`. After a deliberate change, rerun with `TRYGG_UPDATE_OPENAPI=1` and
/// commit the new file (its diff is the contract's diff, for review).
#[test]
fn the_document_is_the_committed_contract() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let doc = serde_json::to_value(super::document()).unwrap();
    if std::env::var("TRYGG_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
    }
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        doc == committed,
        "the OpenAPI document differs from docs/openapi.json: rerun with TRYGG_UPDATE_OPENAPI=1 and review the diff"
    );
}

fn has(op: &Value, status: &str) -> bool {
    op["responses"].get(status).is_some()
}

/// The shared error sets reach every operation they should: schemathesis fails CI on any
/// status an operation answers with but does not document.
#[test]
fn every_operation_documents_the_errors_it_can_answer_with() {
    let doc = serde_json::to_value(super::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
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
                    // A 409 of a versioned edit is the envelope plus the newer state (`current`).
                    let conflict = schema
                        .as_str()
                        .and_then(|s| s.strip_prefix("#/components/schemas/"))
                        .filter(|s| status == "409" && s.ends_with("Conflict"));
                    if let Some(conflict) = conflict {
                        let props = &doc["components"]["schemas"][conflict]["properties"];
                        assert!(props.get("error").is_some() && props.get("current").is_some(), "{name}: {status}");
                        continue;
                    }
                    assert_eq!(schema, "#/components/schemas/ErrorEnvelope", "{name}: {status}");
                }
            }
        }
    }
}

/// The operations as a markdown table (method and path, tag, summary), for `docs/api.md`.
fn operations_table(doc: &Value) -> String {
    let mut rows = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let route = format!("{} {path}", method.to_uppercase());
            let summary = op["summary"].as_str().unwrap_or("").replace('\n', " ");
            // Handlers' doc comments open with the route itself; the table has it already.
            let summary = summary.strip_prefix(&format!("`{route}`: ")).unwrap_or(&summary).to_owned();
            let tag = op["tags"][0].as_str().unwrap_or("");
            rows.push(format!("| `{route}` | {tag} | {} |", summary.replace('|', "\\|")));
        }
    }
    format!("| operation | tag | what |\n|---|---|---|\n{}\n", rows.join("\n"))
}

/// `docs/api.md` lists the operations between two markers, derived from the document (never a
/// hand-kept third list): the test fails when they differ; `TRYGG_UPDATE_OPENAPI=1` rewrites it.
#[test]
fn the_api_overview_lists_exactly_the_documented_operations() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md");
    let (begin, end) = ("<!-- operations:begin (generated from the OpenAPI document) -->\n", "<!-- operations:end -->");
    let text = std::fs::read_to_string(path).unwrap();
    let (Some(b), Some(e)) = (text.find(begin), text.find(end)) else {
        panic!("docs/api.md has no operations markers");
    };
    let want = operations_table(&serde_json::to_value(super::document()).unwrap());
    let have = &text[b + begin.len()..e];
    if have != want && std::env::var("TRYGG_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(path, format!("{}{want}{}", &text[..b + begin.len()], &text[e..])).unwrap();
        return;
    }
    assert_eq!(have, want, "docs/api.md's operations differ from the document: rerun with TRYGG_UPDATE_OPENAPI=1");
}
