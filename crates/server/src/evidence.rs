//! The evidence pipeline (issue 18): what an uploaded screenshot or photo goes through before it
//! is stored, and how a stored file is sealed and opened.
//!
//! 1. **Type by content**: `infer` looks at the first bytes; only JPEG, PNG and WebP go on. HEIC
//!    is refused with its own code (the app says how to send it instead); HTML, SVG and anything
//!    else named `.jpg` are refused whatever the name said.
//! 2. **Decode with limits**: the header's width and height are checked before any pixel is
//!    decoded ([`MAX_SIDE`], [`MAX_PIXELS`]) and `image`'s allocation limit holds, so a
//!    decompression bomb is refused in milliseconds.
//! 3. **Re-encode**: the EXIF orientation is applied to the pixels, then the pixels alone are
//!    written anew (JPEG stays JPEG at quality 85; PNG and WebP become PNG): EXIF, GPS, camera
//!    serials, comments and whatever a polyglot hid after the image are gone. The raw upload is
//!    never stored.
//! 4. **Seal**: a fresh data key per file encrypts it (XChaCha20-Poly1305, AAD = table, column,
//!    row id); the data key is sealed by the server key ([`Keys::seal`]).
//!
//! Decoding runs in `spawn_blocking` behind a semaphore of [`DECODERS`] permits, so eight
//! uploads at once hold at most that many decoded images in memory.

use crate::crypto::{CryptoError, Keys};
use crate::store::attachments::SealedFile;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::sync::OnceLock;
use tokio::sync::Semaphore;
use uuid::Uuid;
use zeroize::Zeroizing;

/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels accepted (a 48-megapixel phone photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The most bytes a decoder may allocate.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// Images decoded at once, whatever the number of uploads.
pub const DECODERS: usize = 2;
/// JPEG quality of the re-encoded file.
const JPEG_QUALITY: u8 = 85;

/// Why an upload is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// HEIC/HEIF (an iPhone's camera format): send a screenshot or share as JPEG.
    Heic,
    /// Not a JPEG, PNG or WebP image by its content.
    Unsupported,
    /// Wider, taller or with more pixels than allowed (a decompression bomb is one).
    TooManyPixels,
    /// Says it is an image but does not decode.
    Broken,
}

/// A processed file, ready to seal.
#[derive(Debug, Clone)]
pub struct Processed {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub sha256_hex: String,
}

/// The input format by content (step 1).
pub fn sniff(raw: &[u8]) -> Result<ImageFormat, Refusal> {
    if is_heif(raw) {
        return Err(Refusal::Heic);
    }
    match infer::get(raw).map(|t| t.mime_type()) {
        Some("image/jpeg") => Ok(ImageFormat::Jpeg),
        Some("image/png") => Ok(ImageFormat::Png),
        Some("image/webp") => Ok(ImageFormat::WebP),
        Some("image/heif" | "image/heic" | "image/avif") => Err(Refusal::Heic),
        _ => Err(Refusal::Unsupported),
    }
}

/// An ISO-BMFF `ftyp` box naming a HEIF brand.
fn is_heif(raw: &[u8]) -> bool {
    raw.len() >= 12
        && &raw[4..8] == b"ftyp"
        && matches!(&raw[8..12], b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1")
}

/// Steps 1 to 3, synchronously (CPU-bound: call through [`process_bounded`]).
pub fn process(raw: &[u8]) -> Result<Processed, Refusal> {
    let format = sniff(raw)?;
    let mut decoder = ImageReader::with_format(Cursor::new(raw), format).into_decoder().map_err(|_| Refusal::Broken)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Refusal::Broken);
    }
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refusal::TooManyPixels);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    decoder.set_limits(limits).map_err(|_| Refusal::TooManyPixels)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => Refusal::TooManyPixels,
        _ => Refusal::Broken,
    })?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    let mut out = Vec::new();
    let content_type = if format == ImageFormat::Jpeg {
        let rgb = img.to_rgb8();
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb).map_err(|_| Refusal::Broken)?;
        "image/jpeg"
    } else {
        let enc = PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
        if img.color().has_alpha() {
            img.to_rgba8().write_with_encoder(enc).map_err(|_| Refusal::Broken)?;
        } else {
            img.to_rgb8().write_with_encoder(enc).map_err(|_| Refusal::Broken)?;
        }
        "image/png"
    };
    let sha256_hex = hex::encode(Sha256::digest(&out));
    Ok(Processed { bytes: out, content_type, width, height, sha256_hex })
}

fn decoders() -> &'static Semaphore {
    static S: OnceLock<Semaphore> = OnceLock::new();
    S.get_or_init(|| Semaphore::new(DECODERS))
}

/// [`process`] on the blocking pool, at most [`DECODERS`] at once.
pub async fn process_bounded(raw: axum::body::Bytes) -> Result<Result<Processed, Refusal>, String> {
    let _permit = decoders().acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || process(&raw)).await.map_err(|e| e.to_string())
}

const TABLE: &str = "attachments";

fn data_aad(id: Uuid) -> Vec<u8> {
    format!("{TABLE}\u{0}data\u{0}{id}").into_bytes()
}

/// Step 4: a fresh data key encrypts the file; the server key seals the data key.
pub fn seal(keys: &Keys, id: Uuid, plain: &[u8]) -> SealedFile {
    let mut dek = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(dek.as_mut());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(dek.as_ref().into());
    let aad = data_aad(id);
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: &aad })
        .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
    let mut data = Vec::with_capacity(24 + ct.len());
    data.extend_from_slice(&nonce);
    data.extend_from_slice(&ct);
    SealedFile { data_key_sealed: keys.seal(TABLE, "data_key", &id.to_string(), dek.as_ref()), data }
}

/// Opens a file sealed by [`seal`] for the same row.
pub fn open(keys: &Keys, id: Uuid, sealed: &SealedFile) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let dek = keys.open(TABLE, "data_key", &id.to_string(), &sealed.data_key_sealed)?;
    let dek: [u8; 32] = dek.as_slice().try_into().map_err(|_| CryptoError::Open)?;
    let dek = Zeroizing::new(dek);
    if sealed.data.len() < 24 {
        return Err(CryptoError::Format);
    }
    let (nonce, ct) = sealed.data.split_at(24);
    let cipher = XChaCha20Poly1305::new(dek.as_ref().into());
    let aad = data_aad(id);
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = ImageBuffer::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        out
    }

    #[test]
    fn a_jpeg_is_re_encoded_and_its_hash_is_of_the_stored_file() {
        let p = process(&jpeg(64, 32)).unwrap();
        assert_eq!((p.width, p.height, p.content_type), (64, 32, "image/jpeg"));
        assert_eq!(p.sha256_hex, hex::encode(Sha256::digest(&p.bytes)));
    }

    #[test]
    fn html_svg_and_heic_are_refused_by_content() {
        assert_eq!(
            process(b"<!DOCTYPE html><html><script>alert(1)</script></html>").unwrap_err(),
            Refusal::Unsupported
        );
        assert_eq!(
            process(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>").unwrap_err(),
            Refusal::Unsupported
        );
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(process(&heic).unwrap_err(), Refusal::Heic);
    }

    #[test]
    fn a_sealed_file_opens_only_in_its_own_row() {
        let keys = Keys::random();
        let id = Uuid::now_v7();
        let s = seal(&keys, id, b"pixels");
        assert_eq!(open(&keys, id, &s).unwrap().as_slice(), b"pixels");
        assert!(open(&keys, Uuid::now_v7(), &s).is_err());
        assert!(open(&Keys::random(), id, &s).is_err());
    }

    /// A phone-like photo: 4000×3000 with noise (so it compresses badly), quality 95.
    fn big_photo() -> Vec<u8> {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let img = ImageBuffer::from_fn(4000, 3000, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed & 0x3f) as u8;
            Rgb([((x / 8) % 190) as u8 + n, ((y / 8) % 190) as u8 + n, 100 + n])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 95).encode_image(&img).unwrap();
        out
    }

    fn peak_rss_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
            .unwrap_or(0)
    }

    /// The target: a 10 MB photo processed (decode, strip, re-encode, seal) p50 ≤ 1.5 s,
    /// and peak memory with 8 uploads at once. Figures, not a gate:
    /// `cargo test -p trygg-server --profile server --lib evidence::tests::bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn bench_a_10_mb_photo_and_8_at_once() {
        let raw = big_photo();
        let keys = Keys::random();
        let rss_before = peak_rss_kb();
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let p = process(&raw).unwrap();
            let _ = seal(&keys, Uuid::now_v7(), &p.bytes);
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "input {:.1} MB; process+seal p50 {:?} (min {:?}, max {:?})",
            raw.len() as f64 / 1e6,
            times[2],
            times[0],
            times[4]
        );
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let raw = axum::body::Bytes::from(raw);
        rt.block_on(async {
            let t = std::time::Instant::now();
            let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(process_bounded(raw.clone()))).collect();
            for task in tasks {
                task.await.unwrap().unwrap().unwrap();
            }
            println!("8 at once: {:?}", t.elapsed());
        });
        println!("peak RSS {} MB (before: {} MB)", peak_rss_kb() / 1024, rss_before / 1024);
    }
}
