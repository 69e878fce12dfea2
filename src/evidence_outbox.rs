//! The evidence outbox: files a reporter attached, kept on the device in IndexedDB (which holds
//! blobs; localStorage does not) from the moment they are picked until the server has stored
//! them. Each file is kept under the report's idempotency key; when the outbox's sender delivers
//! that report (a receipt), the file gets the receipt code and is uploaded with its own id, so a
//! retry never stores it twice. A file the server refuses (type, size) stays listed with the
//! reason: never a silent loss. Only the report bundle links this module.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DB: &str = "trygg-evidence";
const STORE: &str = "files";

/// One kept file.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub id: String,
    /// The report's idempotency key.
    pub report_key: String,
    /// Set once the report is delivered.
    pub receipt_code: Option<String>,
    pub name: String,
    pub bytes: Vec<u8>,
    /// Set when the server refused the file (its error code); not retried.
    pub refused: Option<String>,
}

/// Resolves with the request's result once it succeeds.
async fn done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err = Closure::once_into_js(move |_: JsValue| {
            let _ = reject.call0(&JsValue::NULL);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window().ok_or(JsValue::NULL)?.indexed_db()?.ok_or(JsValue::NULL)?;
    let req: IdbOpenDbRequest = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|v| v.dyn_into::<IdbDatabase>().ok());
        if let Some(db) = db {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&req).await?.unchecked_into())
}

async fn store(mode: IdbTransactionMode) -> Result<IdbObjectStore, JsValue> {
    open().await?.transaction_with_str_and_mode(STORE, mode)?.object_store(STORE)
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn text(o: &JsValue, k: &str) -> Option<String> {
    Reflect::get(o, &JsValue::from_str(k)).ok()?.as_string()
}

fn to_js(f: &Kept) -> Object {
    let o = Object::new();
    set(&o, "id", &f.id.as_str().into());
    set(&o, "report_key", &f.report_key.as_str().into());
    set(&o, "receipt_code", &f.receipt_code.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set(&o, "name", &f.name.as_str().into());
    set(&o, "bytes", &Uint8Array::from(f.bytes.as_slice()).into());
    set(&o, "refused", &f.refused.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    o
}

fn from_js(v: &JsValue) -> Option<Kept> {
    let bytes = Reflect::get(v, &JsValue::from_str("bytes")).ok()?.dyn_into::<Uint8Array>().ok()?.to_vec();
    Some(Kept {
        id: text(v, "id")?,
        report_key: text(v, "report_key")?,
        receipt_code: text(v, "receipt_code"),
        name: text(v, "name").unwrap_or_default(),
        bytes,
        refused: text(v, "refused"),
    })
}

/// Keeps (or replaces) a file.
pub async fn put(f: &Kept) -> Result<(), JsValue> {
    let s = store(IdbTransactionMode::Readwrite).await?;
    done(&s.put_with_key(&to_js(f), &JsValue::from_str(&f.id))?).await.map(|_| ())
}

/// Forgets a file (removed by the reporter, or stored by the server).
pub async fn remove(id: &str) -> Result<(), JsValue> {
    let s = store(IdbTransactionMode::Readwrite).await?;
    done(&s.delete(&JsValue::from_str(id))?).await.map(|_| ())
}

/// Every kept file.
pub async fn all() -> Vec<Kept> {
    let Ok(s) = store(IdbTransactionMode::Readonly).await else { return Vec::new() };
    let Ok(req) = s.get_all() else { return Vec::new() };
    match done(&req).await {
        Ok(v) => v.dyn_into::<Array>().map(|a| a.iter().filter_map(|v| from_js(&v)).collect()).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// The files kept for one report (its idempotency key).
pub async fn of_report(report_key: &str) -> Vec<Kept> {
    all().await.into_iter().filter(|f| f.report_key == report_key).collect()
}

/// The report `report_key` was delivered with `receipt_code`: its files get the code, then
/// everything ready goes out.
pub async fn delivered(report_key: String, receipt_code: String) {
    for mut f in of_report(&report_key).await {
        if f.receipt_code.is_none() {
            f.receipt_code = Some(receipt_code.clone());
            let _ = put(&f).await;
        }
    }
    send_ready().await;
}

/// Uploads every file whose report is delivered, one at a time. Stored → forgotten; refused →
/// kept with the reason; no answer → kept for the next try (start, `online`, next delivery).
pub async fn send_ready() {
    for mut f in all().await {
        let (Some(code), None) = (f.receipt_code.clone(), f.refused.as_ref()) else { continue };
        match crate::api::evidence::upload(&code, &f.id, &f.bytes).await {
            Ok(_) => {
                let _ = remove(&f.id).await;
            }
            Err(e) if e.is_transient() => return,
            Err(e) => {
                f.refused = Some(e.code());
                let _ = put(&f).await;
            }
        }
    }
}

/// An object URL showing `bytes` (a thumbnail); revoke it with `web_sys::Url::revoke_object_url`.
pub fn object_url(bytes: &[u8]) -> Option<String> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The bytes of a picked file.
pub async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buf = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}
