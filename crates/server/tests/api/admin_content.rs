//! Administrators keep the phone list and the checklists: numbers normalised to `tel:` URIs,
//! field errors, version checks (409 with the newer state), order, roles, the reporter's view,
//! and an access-log entry (before → after) for every change.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

crate::on_both_backends!(
    numbers_as_people_write_them_become_tel_uris_on_the_reporters_list,
    an_invalid_number_is_a_field_error_and_nothing_is_stored,
    a_stale_edit_of_a_contact_is_refused_with_the_newer_state,
    a_groups_contacts_are_reordered_and_a_stale_order_is_refused,
    each_contact_reaches_only_the_roles_it_is_for,
    only_an_administrator_edits_content,
    checklist_steps_are_added_edited_reordered_and_removed_keeping_their_ids,
    the_content_bundle_carries_every_checklist_and_changes_its_etag_on_an_edit,
    every_content_change_is_audited_with_before_and_after,
);

/// Signs in an administrator in a browser of its own: (client, CSRF token).
pub async fn admin(app: &TestApp) -> (Client, String) {
    app.create_admin().await;
    let (client, jar) = app.new_browser();
    assert_eq!(app.login_as(&client, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let csrf = app.csrf_of(&jar);
    (client, csrf)
}

async fn send(req: reqwest::RequestBuilder, csrf: &str, body: &Value) -> reqwest::Response {
    req.header(CSRF, csrf).json(body).send().await.unwrap()
}

fn contact(phone: &str) -> Value {
    json!({"group": "region", "name_sv": "Jourhavande", "name_en": "On call", "note_sv": "", "note_en": "",
        "phone": phone, "roles": ["healthcare", "elected_official"]})
}

async fn admin_contacts(app: &TestApp, admin: &Client) -> Value {
    admin.get(app.url("/api/admin/contacts")).send().await.unwrap().json().await.unwrap()
}

/// The seeded duty officer (TiB), as the administrator sees it.
async fn tib(app: &TestApp, admin: &Client) -> Value {
    let all = admin_contacts(app, admin).await;
    all["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"]["sv"].as_str().unwrap().contains("TiB"))
        .unwrap()
        .clone()
}

async fn numbers_as_people_write_them_become_tel_uris_on_the_reporters_list(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    for (written, tel) in [
        ("010-123 45 67", "tel:+46101234567"),
        ("+46 10 123 45 67", "tel:+46101234567"),
        ("114 14", "tel:11414"),
        ("112", "tel:112"),
        ("116 006", "tel:116006"),
        ("+47 22 12 34 56", "tel:+4722123456"),
        ("0045 33 12 34 56", "tel:+4533123456"),
    ] {
        let res = send(admin.post(app.url("/api/admin/contacts")), &csrf, &contact(written)).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{written}");
        let c: Value = res.json().await.unwrap();
        assert_eq!((c["phone"].as_str(), c["tel"].as_str()), (Some(written), Some(tel)), "{written}");
    }
    // The duty officer's number, added where the list said "added by an administrator".
    let t = tib(app, &admin).await;
    let mut edit = contact("010-123 45 67");
    edit["name_sv"] = t["name"]["sv"].clone();
    edit["version"] = t["version"].clone();
    let url = app.url(&format!("/api/admin/contacts/{}", t["id"]));
    assert_eq!(send(admin.put(url), &csrf, &edit).await.status(), StatusCode::OK);
    let list: Value = app.client.get(app.url("/api/contacts")).send().await.unwrap().json().await.unwrap();
    let region = list["groups"].as_array().unwrap().iter().find(|g| g["group"] == "region").unwrap();
    let shown = region["contacts"].as_array().unwrap().iter().find(|c| c["id"] == t["id"]).unwrap();
    assert_eq!(shown["tel"], "tel:+46101234567");
    assert_eq!(shown["phone"], "010-123 45 67");
}

async fn an_invalid_number_is_a_field_error_and_nothing_is_stored(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let before = admin_contacts(app, &admin).await;
    for bad in ["010-123 45 67 ankn. 12", "12", "abc", "+46", "010+123"] {
        let res = send(admin.post(app.url("/api/admin/contacts")), &csrf, &contact(bad)).await;
        let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
        assert_eq!(err["fields"], json!([{"field": "phone", "code": "phone.invalid"}]), "{bad}");
    }
    // Every error at once: the Swedish name is required, the group must be one of three.
    let mut body = contact("abc");
    body["name_sv"] = json!("  ");
    body["group"] = json!("friends");
    let err = assert_error(
        send(admin.post(app.url("/api/admin/contacts")), &csrf, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["group.invalid", "name_sv.required", "phone.invalid"]);
    // An edit with a bad number changes nothing either.
    let t = tib(app, &admin).await;
    let mut edit = contact("070 12");
    edit["version"] = t["version"].clone();
    let res = send(admin.put(app.url(&format!("/api/admin/contacts/{}", t["id"]))), &csrf, &edit).await;
    assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(admin_contacts(app, &admin).await, before);
}

async fn a_stale_edit_of_a_contact_is_refused_with_the_newer_state(app: &TestApp) {
    let (first, csrf) = admin(app).await;
    let (second, jar) = app.new_browser();
    app.login_as(&second, ADMIN_EMAIL).await;
    let csrf2 = app.csrf_of(&jar);
    let t = tib(app, &first).await;
    let url = app.url(&format!("/api/admin/contacts/{}", t["id"]));
    let mut mine = contact("010-111 11 11");
    mine["name_sv"] = t["name"]["sv"].clone();
    mine["version"] = t["version"].clone();
    let saved: Value = send(first.put(&url), &csrf, &mine).await.json().await.unwrap();
    assert_eq!(saved["version"], t["version"].as_i64().unwrap() + 1);
    // The second admin started from the same version: refused, shown what the first one saved.
    let mut theirs = contact("010-222 22 22");
    theirs["name_sv"] = t["name"]["sv"].clone();
    theirs["version"] = t["version"].clone();
    let res = send(second.put(&url), &csrf2, &theirs).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict");
    assert_eq!(body["current"]["phone"], "010-111 11 11");
    assert_eq!(body["current"]["version"], saved["version"]);
    // Nor can a stale removal remove it.
    let stale = second.delete(format!("{url}?version={}", t["version"])).header(CSRF, &csrf2).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(tib(app, &first).await["phone"], "010-111 11 11");
    // With the newer version the second admin's edit goes through, and then the removal.
    theirs["version"] = body["current"]["version"].clone();
    let done: Value = send(second.put(&url), &csrf2, &theirs).await.json().await.unwrap();
    assert_eq!(done["phone"], "010-222 22 22");
    let gone = second.delete(format!("{url}?version={}", done["version"])).header(CSRF, &csrf2).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let again = second.delete(format!("{url}?version={}", done["version"])).header(CSRF, &csrf2).send().await.unwrap();
    assert_error(again, StatusCode::NOT_FOUND, "not_found").await;
}

async fn a_groups_contacts_are_reordered_and_a_stale_order_is_refused(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let ids = |all: &Value, group: &str| -> Vec<i64> {
        all["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["group"] == group)
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let all = admin_contacts(app, &admin).await;
    let mut region = ids(&all, "region");
    assert!(region.len() >= 3);
    region.reverse();
    let res =
        send(admin.put(app.url("/api/admin/contacts/order")), &csrf, &json!({"group": "region", "ids": region})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(ids(&res.json().await.unwrap(), "region"), region);
    // The reporter sees the new order.
    let list: Value = app.client.get(app.url("/api/contacts")).send().await.unwrap().json().await.unwrap();
    let shown: Vec<i64> =
        list["groups"][1]["contacts"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(shown, region);
    // An order that leaves one out, repeats one or names another group's contact is refused.
    let emergency = ids(&all, "emergency");
    for bad in [
        region[1..].to_vec(),
        [region.clone(), vec![region[0]]].concat(),
        [region.clone(), vec![emergency[0]]].concat(),
    ] {
        let res =
            send(admin.put(app.url("/api/admin/contacts/order")), &csrf, &json!({"group": "region", "ids": bad})).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
    }
    assert_eq!(ids(&admin_contacts(app, &admin).await, "region"), region);
}

async fn each_contact_reaches_only_the_roles_it_is_for(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let mut only = contact("08-123 456");
    only["roles"] = json!(["healthcare"]);
    let c: Value = send(admin.post(app.url("/api/admin/contacts")), &csrf, &only).await.json().await.unwrap();
    let has = |list: &Value| {
        list["groups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["contacts"].as_array().unwrap())
            .any(|x| x["id"] == c["id"])
    };
    let get = |role: &str| app.client.get(app.url(&format!("/api/contacts?role={role}"))).send();
    assert!(has(&get("healthcare").await.unwrap().json().await.unwrap()));
    assert!(!has(&get("elected_official").await.unwrap().json().await.unwrap()));
    assert_error(get("king").await.unwrap(), StatusCode::BAD_REQUEST, "invalid_query").await;
    for (roles, code) in [(json!([]), "roles.required"), (json!(["king"]), "roles.invalid")] {
        let mut body = contact("112");
        body["roles"] = roles;
        let err = assert_error(
            send(admin.post(app.url("/api/admin/contacts")), &csrf, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(err["fields"][0]["code"], code);
    }
}

async fn only_an_administrator_edits_content(app: &TestApp) {
    app.create_coordinator().await;
    app.login().await;
    let res = send(app.client.post(app.url("/api/admin/contacts")), &app.csrf(), &contact("112")).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.client.get(app.url("/api/admin/checklists")).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app.new_client().get(app.url("/api/admin/contacts")).send().await.unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn steps(app: &TestApp, admin: &Client, role: &str, phase: &str) -> Vec<Value> {
    let all: Value = admin.get(app.url("/api/admin/checklists")).send().await.unwrap().json().await.unwrap();
    let list = all["checklists"].as_array().unwrap().iter().find(|c| c["role"] == role && c["phase"] == phase).unwrap();
    list["steps"].as_array().unwrap().clone()
}

async fn checklist_steps_are_added_edited_reordered_and_removed_keeping_their_ids(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let all: Value = admin.get(app.url("/api/admin/checklists")).send().await.unwrap().json().await.unwrap();
    assert_eq!(all["checklists"].as_array().unwrap().len(), 6, "two roles × three phases");
    let before = steps(app, &admin, "healthcare", "during").await;
    let ids = |s: &[Value]| s.iter().map(|x| x["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let step =
        json!({"role": "healthcare", "phase": "during", "text_sv": "Ta med radion.", "text_en": "Take the radio."});
    let res = send(admin.post(app.url("/api/admin/checklists/steps")), &csrf, &step).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let added: Value = res.json().await.unwrap();
    // Edit the first step: its id stays, the others are untouched (a reporter's ticks survive).
    let first = &before[0];
    let url = app.url(&format!("/api/admin/checklists/steps/{}", first["id"]));
    let edit = json!({"text_sv": "Dra dig undan till säkerhet.", "text_en": "", "version": first["version"]});
    let edited: Value = send(admin.put(&url), &csrf, &edit).await.json().await.unwrap();
    assert_eq!(
        (edited["id"].clone(), edited["text"]["en"].clone()),
        (first["id"].clone(), json!("Dra dig undan till säkerhet."))
    );
    let after = steps(app, &admin, "healthcare", "during").await;
    assert_eq!(ids(&after), [ids(&before), vec![added["id"].as_i64().unwrap()]].concat());
    assert_eq!(after[1..before.len()], before[1..]);
    // The stale version of the same step is refused with the newer one.
    let res = send(admin.put(&url), &csrf, &json!({"text_sv": "Gammalt", "version": first["version"]})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(res.json::<Value>().await.unwrap()["current"]["text"]["sv"], "Dra dig undan till säkerhet.");
    // Reorder: the new step first; the reporter's checklist follows.
    let mut order = ids(&after);
    order.rotate_right(1);
    let res = send(
        admin.put(app.url("/api/admin/checklists/order")),
        &csrf,
        &json!({"role": "healthcare", "phase": "during", "ids": order}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let seen: Value = app
        .client
        .get(app.url("/api/checklists?role=healthcare&phase=during"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ids(seen["items"].as_array().unwrap()), order);
    assert_eq!(seen["items"][0]["text"]["sv"], "Ta med radion.");
    // Remove the new step.
    let gone = admin
        .delete(app.url(&format!("/api/admin/checklists/steps/{}?version={}", added["id"], added["version"])))
        .header(CSRF, &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(ids(&steps(app, &admin, "healthcare", "during").await), ids(&before));
    // Field errors: Swedish text required, a situation that exists.
    let bad = json!({"role": "king", "phase": "soon", "text_sv": ""});
    let err = assert_error(
        send(admin.post(app.url("/api/admin/checklists/steps")), &csrf, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["role.invalid", "phase.invalid", "text_sv.required"]);
}

async fn the_content_bundle_carries_every_checklist_and_changes_its_etag_on_an_edit(app: &TestApp) {
    let res = app.client.get(app.url("/api/content")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let bundle: Value = res.json().await.unwrap();
    assert_eq!(bundle["checklists"].as_array().unwrap().len(), 6);
    assert!(bundle["checklists"].as_array().unwrap().iter().all(|c| !c["items"].as_array().unwrap().is_empty()));
    assert_eq!(bundle["contacts"]["groups"][0]["contacts"][0]["tel"], "tel:112");
    let same = app.client.get(app.url("/api/content")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    let (admin, csrf) = admin(app).await;
    let step = json!({"role": "elected_official", "phase": "before", "text_sv": "Ny punkt", "text_en": "New step"});
    send(admin.post(app.url("/api/admin/checklists/steps")), &csrf, &step).await;
    let res = app.client.get(app.url("/api/content")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(res.headers()["etag"].to_str().unwrap(), etag);
    let bundle: Value = res.json().await.unwrap();
    let list = bundle["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "elected_official" && c["phase"] == "before")
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().last().unwrap()["text"]["sv"], "Ny punkt");
}

async fn every_content_change_is_audited_with_before_and_after(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let t = tib(app, &admin).await;
    let mut edit = contact("010-123 45 67");
    edit["version"] = t["version"].clone();
    send(admin.put(app.url(&format!("/api/admin/contacts/{}", t["id"]))), &csrf, &edit).await;
    let created: Value =
        send(admin.post(app.url("/api/admin/contacts")), &csrf, &contact("112")).await.json().await.unwrap();
    admin
        .delete(app.url(&format!("/api/admin/contacts/{}?version={}", created["id"], created["version"])))
        .header(CSRF, &csrf)
        .send()
        .await
        .unwrap();
    // A refused edit writes nothing.
    send(admin.post(app.url("/api/admin/contacts")), &csrf, &contact("abc")).await;
    let log: Value = admin.get(app.url("/api/audit")).send().await.unwrap().json().await.unwrap();
    let entries: Vec<&Value> =
        log.as_array().unwrap().iter().filter(|e| e["action"].as_str().unwrap().starts_with("content.")).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["content.contact_delete", "content.contact_create", "content.contact_update"]);
    let me: Value = admin.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    let update: Value = serde_json::from_str(entries[2]["reason"].as_str().unwrap()).unwrap();
    assert_eq!(entries[2]["user_id"], me["id"]);
    assert_eq!(update["before"]["phone"], Value::Null);
    assert_eq!(update["after"]["phone"], "010-123 45 67");
    let delete: Value = serde_json::from_str(entries[0]["reason"].as_str().unwrap()).unwrap();
    assert_eq!((delete["before"]["phone"].as_str(), delete["after"].is_null()), (Some("112"), true));
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true);
}
