//! Evidence attachments: a reporter's upload by receipt code is re-encoded (no EXIF, GPS or
//! hidden payload survives; orientation is kept), refused by content when it is no JPEG/PNG/WebP
//! (HEIC with its own code), refused fast when it is a decompression bomb, bounded in size and
//! number (413), stored once per file id whatever the retries, sealed (no plain image bytes in
//! the database), opened only by a signed-in coordinator (401/403, each view audited, never
//! cached) and purged with its report.

use crate::helpers::*;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageBuffer, Rgb};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use trygg_server::store::Db;

crate::on_both_backends!(
    a_photo_with_gps_exif_comes_back_without_any_metadata_and_upright,
    html_svg_heic_and_a_broken_polyglot_named_jpg_are_refused_by_content,
    a_valid_jpeg_carrying_a_hidden_payload_is_stored_without_it,
    a_decompression_bomb_is_refused_quickly,
    a_file_past_the_size_limit_or_past_the_file_count_is_413,
    concurrent_uploads_never_pass_the_file_count,
    a_retried_upload_gives_one_file,
    a_wrong_receipt_code_stores_nothing,
    only_a_signed_in_coordinator_opens_a_file_and_each_view_is_audited,
    the_database_holds_no_plain_image_bytes,
    the_retention_purge_removes_a_reports_files,
    the_police_summary_lists_each_file_with_its_hash_and_arrival,
);

const SERIAL: &[u8] = b"CAMERA-SERIAL-0042";

/// A `w`×`h` JPEG with a gradient (the image crate writes no metadata of its own).
pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = ImageBuffer::from_fn(w, h, |x, y| Rgb([(x * 4 % 256) as u8, (y * 4 % 256) as u8, 120]));
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
    out
}

/// An EXIF APP1 segment: orientation 6 (rotate 90° clockwise), a GPS latitude reference and a
/// camera serial number as trailing data.
fn exif_app1() -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries, then the next-IFD offset (0).
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD at 38: GPSLatitudeRef = "N".
    tiff.extend_from_slice(&[0, 1]);
    tiff.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(SERIAL);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let len = (payload.len() + 2) as u16;
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&len.to_be_bytes());
    seg.extend_from_slice(&payload);
    seg
}

/// `jpeg` with the EXIF segment inserted right after SOI.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&exif_app1());
    out.extend_from_slice(&plain[2..]);
    out
}

pub(crate) async fn report(app: &TestApp) -> (String, String) {
    let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    (body["id"].as_str().unwrap().to_owned(), body["receipt_code"].as_str().unwrap().to_owned())
}

pub(crate) async fn upload(app: &TestApp, code: &str, file_id: &str, bytes: Vec<u8>) -> Response {
    app.new_client()
        .put(app.url(&format!("/api/followup/attachments/{file_id}")))
        .header("Receipt-Code", code)
        .header("Content-Type", "image/jpeg")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn coordinator(app: &TestApp) -> Client {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    app.client.clone()
}

async fn files(app: &TestApp, c: &Client, id: &str) -> Vec<Value> {
    let res = c.get(app.url(&format!("/api/reports/{id}/attachments"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn a_photo_with_gps_exif_comes_back_without_any_metadata_and_upright(app: &TestApp) {
    let (id, code) = report(app).await;
    let raw = jpeg_with_exif(64, 32);
    assert!(contains(&raw, b"Exif") && contains(&raw, SERIAL));
    let res = upload(app, &code, &new_key(), raw).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let stored: Value = res.json().await.unwrap();
    assert_eq!((stored["width"].as_i64(), stored["height"].as_i64()), (Some(32), Some(64)), "orientation applied");
    assert_eq!(stored["content_type"], "image/jpeg");

    let c = coordinator(app).await;
    let res = c.get(app.url(&format!("/api/reports/{id}/attachments/{}", stored["id"].as_str().unwrap()))).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    let body = res.bytes().await.unwrap();
    assert_eq!(&body[..3], &[0xFF, 0xD8, 0xFF]);
    assert!(!contains(&body, b"Exif") && !contains(&body, SERIAL) && !contains(&body, &[0xFF, 0xE1]), "no APP1 left");
    use sha2::Digest;
    assert_eq!(stored["sha256"], hex::encode(sha2::Sha256::digest(&body)), "the hash is of the stored file");
    assert_eq!(stored["bytes"].as_u64(), Some(body.len() as u64));
    let back = image::load_from_memory(&body).unwrap();
    assert_eq!((back.width(), back.height()), (32, 64));
}

async fn html_svg_heic_and_a_broken_polyglot_named_jpg_are_refused_by_content(app: &TestApp) {
    let (id, code) = report(app).await;
    let html = b"<!DOCTYPE html><html><body><script>fetch('/api/auth/me')</script></body></html>".to_vec();
    assert_error(upload(app, &code, &new_key(), html).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image")
        .await;
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec();
    assert_error(upload(app, &code, &new_key(), svg).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image")
        .await;
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    let err = assert_error(
        upload(app, &code, &new_key(), heic).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "heic_not_supported",
    )
    .await;
    assert!(err["message"].as_str().unwrap().contains("JPEG"), "says how to send it instead: {err}");
    // JPEG magic bytes and then HTML: sniffs as JPEG, does not decode.
    let mut polyglot = vec![0xFF, 0xD8, 0xFF, 0xE0];
    polyglot.extend_from_slice(b"<html><script>alert(1)</script></html>");
    assert_error(upload(app, &code, &new_key(), polyglot).await, StatusCode::UNPROCESSABLE_ENTITY, "broken_image")
        .await;
    let c = coordinator(app).await;
    assert!(files(app, &c, &id).await.is_empty(), "nothing stored");
}

async fn a_valid_jpeg_carrying_a_hidden_payload_is_stored_without_it(app: &TestApp) {
    let (id, code) = report(app).await;
    let mut polyglot = jpeg(16, 16);
    polyglot.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    assert_eq!(upload(app, &code, &new_key(), polyglot).await.status(), StatusCode::CREATED);
    let c = coordinator(app).await;
    let file = files(app, &c, &id).await.remove(0);
    let url = app.url(&format!("/api/reports/{id}/attachments/{}", file["id"].as_str().unwrap()));
    let body = c.get(url).send().await.unwrap().bytes().await.unwrap();
    assert!(!contains(&body, b"<script"), "the payload after the image is gone");
}

/// A PNG header claiming `w`×`h` pixels, with a tiny (truncated) body: what a bomb looks like
/// before its pixels are inflated.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut small = Vec::new();
    image::DynamicImage::new_luma8(1, 1)
        .write_to(&mut std::io::Cursor::new(&mut small), image::ImageFormat::Png)
        .unwrap();
    // IHDR data is at bytes 16..29 (width, height, ...), its CRC at 29..33.
    small[16..20].copy_from_slice(&w.to_be_bytes());
    small[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&small[12..29]);
    small[29..33].copy_from_slice(&crc.to_be_bytes());
    small
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

async fn a_decompression_bomb_is_refused_quickly(app: &TestApp) {
    let (_, code) = report(app).await;
    for (w, h) in [(60_000, 60_000), (11_000, 11_000), (100_000, 1)] {
        let started = Instant::now();
        let res = upload(app, &code, &new_key(), png_claiming(w, h)).await;
        assert_error(res, StatusCode::PAYLOAD_TOO_LARGE, "image_too_large").await;
        assert!(started.elapsed() < Duration::from_secs(2), "{w}×{h} refused in {:?}", started.elapsed());
    }
}

async fn a_file_past_the_size_limit_or_past_the_file_count_is_413(app: &TestApp) {
    let (id, code) = report(app).await;
    let mut big = jpeg(8, 8);
    big.resize(10 * 1024 * 1024 + 1, 0);
    assert_error(upload(app, &code, &new_key(), big).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    for _ in 0..5 {
        assert_eq!(upload(app, &code, &new_key(), jpeg(8, 8)).await.status(), StatusCode::CREATED);
    }
    assert_error(upload(app, &code, &new_key(), jpeg(8, 8)).await, StatusCode::PAYLOAD_TOO_LARGE, "too_many_files")
        .await;
    let c = coordinator(app).await;
    assert_eq!(files(app, &c, &id).await.len(), 5);
}

async fn concurrent_uploads_never_pass_the_file_count(app: &TestApp) {
    let (id, code) = report(app).await;
    let keys: Vec<String> = (0..12).map(|_| new_key()).collect();
    let answers = futures::future::join_all(keys.iter().map(|k| upload(app, &code, k, jpeg(8, 8)))).await;
    let created = answers.iter().filter(|r| r.status() == StatusCode::CREATED).count();
    let refused = answers.iter().filter(|r| r.status() == StatusCode::PAYLOAD_TOO_LARGE).count();
    assert_eq!((created, refused), (5, 7), "{:?}", answers.iter().map(|r| r.status()).collect::<Vec<_>>());
    let c = coordinator(app).await;
    assert_eq!(files(app, &c, &id).await.len(), 5);
}

async fn a_retried_upload_gives_one_file(app: &TestApp) {
    let (id, code) = report(app).await;
    let file_id = new_key();
    let first = upload(app, &code, &file_id, jpeg(16, 16)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = upload(app, &code, &file_id, jpeg(16, 16)).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again);
    let c = coordinator(app).await;
    assert_eq!(files(app, &c, &id).await.len(), 1);
}

async fn a_wrong_receipt_code_stores_nothing(app: &TestApp) {
    let (id, _) = report(app).await;
    assert_error(upload(app, "", &new_key(), jpeg(8, 8)).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let wrong = upload(app, "ABCD-EFGH-JKLM-NPQR", &new_key(), jpeg(8, 8)).await;
    assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let c = coordinator(app).await;
    assert!(files(app, &c, &id).await.is_empty());
}

async fn only_a_signed_in_coordinator_opens_a_file_and_each_view_is_audited(app: &TestApp) {
    let (id, code) = report(app).await;
    let stored: Value = upload(app, &code, &new_key(), jpeg(8, 8)).await.json().await.unwrap();
    let url = app.url(&format!("/api/reports/{id}/attachments/{}", stored["id"].as_str().unwrap()));
    let list = app.url(&format!("/api/reports/{id}/attachments"));
    let stranger = app.new_client();
    assert_error(stranger.get(&url).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(stranger.get(&list).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
    trygg_server::cli::create_user(&app.db, &app.keys, "analytiker@region.se", "Ana Lys", "analyst", PASSWORD)
        .await
        .unwrap();
    let analyst = app.new_client();
    assert_eq!(app.login_as(&analyst, "analytiker@region.se").await.status(), StatusCode::OK);
    assert_error(analyst.get(&url).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(analyst.get(&list).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;

    let c = coordinator(app).await;
    let before = app.audit_count().await;
    assert_eq!(c.get(&url).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(c.get(&url).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.audit_count().await, before + 2, "each view is an audit entry");
    let other: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let elsewhere = app.url(&format!(
        "/api/reports/{}/attachments/{}",
        other["id"].as_str().unwrap(),
        stored["id"].as_str().unwrap()
    ));
    assert_error(c.get(elsewhere).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;

    // Need to know: once another coordinator takes the report, its files open for them only.
    let listed = |c: Client| {
        let list = list.clone();
        async move { c.get(list).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(listed(c.clone()).await["can_open"], true, "nobody assigned: any coordinator");
    trygg_server::cli::create_user(&app.db, &app.keys, "bo@region.se", "Bo Samordnare", "coordinator", PASSWORD)
        .await
        .unwrap();
    let (bo, bo_jar) = app.new_browser();
    assert_eq!(app.login_as(&bo, "bo@region.se").await.status(), StatusCode::OK);
    let me: Value = bo.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    let res = bo
        .patch(app.url(&format!("/api/reports/{id}")))
        .header(CSRF, app.csrf_of(&bo_jar))
        .json(&json!({"assignee": me["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_error(c.get(&url).send().await.unwrap(), StatusCode::FORBIDDEN, "not_assignee").await;
    assert_eq!(listed(c.clone()).await["can_open"], false);
    assert_eq!(listed(c).await["items"].as_array().unwrap().len(), 1, "the list (hashes, sizes) stays visible");
    assert_eq!(bo.get(&url).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(listed(bo).await["can_open"], true);
}

async fn the_database_holds_no_plain_image_bytes(app: &TestApp) {
    let (id, code) = report(app).await;
    assert_eq!(upload(app, &code, &new_key(), jpeg_with_exif(48, 48)).await.status(), StatusCode::CREATED);
    let c = coordinator(app).await;
    let file = files(app, &c, &id).await.remove(0);
    let url = app.url(&format!("/api/reports/{id}/attachments/{}", file["id"].as_str().unwrap()));
    let plain = c.get(url).send().await.unwrap().bytes().await.unwrap();
    let sql = "SELECT data_key_sealed, data FROM attachments";
    let rows: Vec<(String, Vec<u8>)> = match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    assert_eq!(rows.len(), 1);
    let (key, data) = &rows[0];
    assert!(key.starts_with("v1:"), "the data key is sealed by the server key");
    assert!(!contains(data, &[0xFF, 0xD8, 0xFF]), "no JPEG magic");
    assert!(!contains(data, &plain[plain.len() / 2..plain.len() / 2 + 32]), "no run of the stored file's bytes");
    assert!(!contains(data, SERIAL));
}

async fn the_retention_purge_removes_a_reports_files(app: &TestApp) {
    let (id, code) = report(app).await;
    for _ in 0..2 {
        assert_eq!(upload(app, &code, &new_key(), jpeg(8, 8)).await.status(), StatusCode::CREATED);
    }
    let c = coordinator(app).await;
    let close = json!({"status": "closed", "closed_reason": "Åtgärdat", "severity": "low"});
    let res = c.patch(app.url(&format!("/api/reports/{id}"))).header(CSRF, app.csrf()).json(&close).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::OK);
    let far = trygg_server::store::now_ms() + 86_400_000;
    assert_eq!(app.db.purge_closed(&app.keys, None, far).await.unwrap(), 1);
    let n: i64 = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(p).await.unwrap(),
    };
    assert_eq!(n, 0);
}

async fn the_police_summary_lists_each_file_with_its_hash_and_arrival(app: &TestApp) {
    let (id, code) = report(app).await;
    assert_eq!(upload(app, &code, &new_key(), jpeg(32, 24)).await.status(), StatusCode::CREATED);
    assert_eq!(upload(app, &code, &new_key(), jpeg(16, 16)).await.status(), StatusCode::CREATED);
    let c = coordinator(app).await;
    let stored = files(app, &c, &id).await;
    let res = c.get(app.url(&format!("/api/reports/{id}/police-summary"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let summary: Value = res.json().await.unwrap();
    let evidence = summary["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2, "{summary}");
    for (i, (line, file)) in evidence.iter().zip(&stored).enumerate() {
        assert_eq!(line["number"], i + 1);
        assert_eq!(line["sha256"], file["sha256"], "the summary names the stored file's hash");
        assert!(line["received_at"].as_str().is_some_and(|t| t.contains('T')), "{line}");
        assert!(line["size_bytes"].as_u64().unwrap() > 0);
    }
}
