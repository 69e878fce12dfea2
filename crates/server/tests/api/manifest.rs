//! Installable apps (issue 19.2): each app's web manifest (the reporter's at
//! `/manifest.webmanifest`, the coordinators' at `/samordnare/manifest.webmanifest`) is served as
//! `application/manifest+json` with what the install checks ask for, every icon it names loads as
//! a PNG of the stated size, and each app's HTML links its manifest and the apple-touch icon. The
//! committed files (public/) are copied into the test server's dist, as the client build does.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::Path;

crate::on_both_backends!(each_app_serves_an_installable_manifest_whose_icons_load);

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn copy_public(dist: &Path) {
    let public = Path::new(ROOT).join("public");
    std::fs::create_dir_all(dist.join("icons")).unwrap();
    std::fs::create_dir_all(dist.join("samordnare")).unwrap();
    std::fs::copy(public.join("manifest.webmanifest"), dist.join("manifest.webmanifest")).unwrap();
    std::fs::copy(public.join("samordnare/manifest.webmanifest"), dist.join("samordnare/manifest.webmanifest"))
        .unwrap();
    for icon in std::fs::read_dir(public.join("icons")).unwrap() {
        let icon = icon.unwrap();
        std::fs::copy(icon.path(), dist.join("icons").join(icon.file_name())).unwrap();
    }
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

async fn each_app_serves_an_installable_manifest_whose_icons_load(app: &TestApp) {
    copy_public(app.dist.path());
    for (path, scope, lang) in
        [("/manifest.webmanifest", "/", "sv"), ("/samordnare/manifest.webmanifest", "/samordnare/", "sv")]
    {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(ct, "application/manifest+json", "{path}");
        let m: Value = res.json().await.unwrap();
        assert_eq!(m["scope"], scope);
        assert!(m["start_url"].as_str().unwrap().starts_with(scope), "{m}");
        assert_eq!(m["display"], "standalone");
        assert_eq!(m["lang"], lang);
        assert_eq!(m["theme_color"], "#1d4f6e");
        assert!(!m["name"].as_str().unwrap().is_empty() && !m["short_name"].as_str().unwrap().is_empty());
        let icons = m["icons"].as_array().unwrap();
        let mut seen = Vec::new();
        for icon in icons {
            let src = icon["src"].as_str().unwrap();
            let res = app.client.get(app.url(src)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{src}");
            assert_eq!(res.headers()["content-type"], "image/png", "{src}");
            let (w, h) = png_size(&res.bytes().await.unwrap());
            assert_eq!(format!("{w}x{h}"), icon["sizes"].as_str().unwrap(), "{src}");
            seen.push((w, icon["purpose"].as_str().unwrap().to_owned()));
        }
        for want in [(192, "any"), (512, "any"), (192, "maskable"), (512, "maskable")] {
            assert!(seen.contains(&(want.0, want.1.to_owned())), "{path} lacks {want:?}");
        }
    }
    let res = app.client.get(app.url("/icons/apple-touch-icon.png")).send().await.unwrap();
    assert_eq!(png_size(&res.bytes().await.unwrap()), (180, 180));
    for (html, manifest) in [
        ("index.html", "/manifest.webmanifest"),
        ("rapport.html", "/manifest.webmanifest"),
        ("samordnare.html", "/samordnare/manifest.webmanifest"),
    ] {
        let text = std::fs::read_to_string(Path::new(ROOT).join(html)).unwrap();
        assert!(text.contains(&format!("<link rel=\"manifest\" href=\"{manifest}\">")), "{html}");
        assert!(text.contains("<link rel=\"apple-touch-icon\" href=\"/icons/apple-touch-icon.png\">"), "{html}");
    }
}
