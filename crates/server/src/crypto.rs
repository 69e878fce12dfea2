//! Hashing, keyed hashes and sealing: every cryptographic helper of the server lives here.
//!
//! - [`sha256_hex`]: what the database stores instead of a session token or a receipt code
//!   (both carry ≥ 80 random bits, so a plain hash cannot be reversed by trying).
//! - [`Keys`]: the server's secret, which is **not** in the database (`TRYGG_SECRET_KEY` or the
//!   key file). From it, HKDF-SHA256 derives one subkey per purpose:
//!   - [`Keys::seal`] / [`Keys::open`]: XChaCha20-Poly1305 for values at rest (TOTP secrets,
//!     confidential reporters' identity). The associated data binds table, column and row, so a
//!     sealed value copied to another row or column does not open. Stored as
//!     `v1:{kid}:{nonce b64}:{ciphertext b64}`; the key id lets old rows be re-sealed by
//!     `trygg-server rotate-key` while the server runs.
//!   - [`Keys::mac`]: HMAC-SHA256 for keyed hashes (throttle keys of addresses and e-mails, the
//!     audit chain's anchor, blind indexes): without the secret, a copy of the database cannot be
//!     matched against all 2³² IPv4 addresses or a list of e-mails.
//!
//! The key file holds one key per line, `KID BASE64` (32 bytes), oldest first; the last line is
//! the current key (new seals use it), every line still opens what it sealed. `#` starts a comment.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use zeroize::Zeroizing;

/// What the database stores instead of a token or a receipt code.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// What a keyed hash is for: each purpose has its own subkey, so a value hashed for one purpose
/// cannot be matched against another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Throttle keys (client addresses, e-mail addresses, account ids).
    Throttle,
    /// The audit chain's anchor (an HMAC over each entry).
    Audit,
    /// Blind indexes for looking up a sealed value by equality (e.g. a flagged address).
    Index,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Throttle => b"trygg/v1/mac/throttle",
            Purpose::Audit => b"trygg/v1/mac/audit",
            Purpose::Index => b"trygg/v1/mac/index",
        }
    }
}

/// Why a key or a sealed value could not be used. Display never shows key material.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("no secret key is configured (set TRYGG_SECRET_KEY or TRYGG_SECRET_KEY_FILE)")]
    NoKey,
    #[error("the secret key is not valid: {0}")]
    BadKey(String),
    #[error("a sealed value is not in the v1 format")]
    Format,
    #[error("a sealed value names key id {0}, which is not configured")]
    UnknownKey(u32),
    #[error("a sealed value does not open (wrong key, or moved to another row or column)")]
    Open,
}

/// One master key and the subkeys derived from it.
struct KeyMaterial {
    seal: Zeroizing<[u8; 32]>,
    master: Zeroizing<[u8; 32]>,
}

impl KeyMaterial {
    fn new(master: [u8; 32]) -> Self {
        let master = Zeroizing::new(master);
        KeyMaterial { seal: Zeroizing::new(derive(&master, b"trygg/v1/seal")), master }
    }

    fn mac_key(&self, purpose: Purpose) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(derive(&self.master, purpose.info()))
    }
}

fn derive(master: &[u8; 32], info: &[u8]) -> [u8; 32] {
    let hk = hkdf::Hkdf::<Sha256>::new(None, master);
    let mut out = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so expand cannot fail.
    hk.expand(info, &mut out).expect("32 bytes is a valid HKDF-SHA256 output length");
    out
}

/// The server's secret keys, by key id. Cheap to share behind an `Arc`.
pub struct Keys {
    keys: BTreeMap<u32, KeyMaterial>,
    current: u32,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .field("current", &self.current)
            .finish()
    }
}

impl Keys {
    /// One key with id 1 (tests, and `TRYGG_SECRET_KEY` holding a single base64 key).
    pub fn single(master: [u8; 32]) -> Keys {
        Keys { keys: BTreeMap::from([(1, KeyMaterial::new(master))]), current: 1 }
    }

    /// A fresh random key (tests).
    pub fn random() -> Keys {
        Keys::single(random_key())
    }

    /// Parses the key file's text: `KID BASE64` per line, the last line current; or a single
    /// bare base64 key (id 1), as `TRYGG_SECRET_KEY` holds it.
    pub fn parse(text: &str) -> Result<Keys, CryptoError> {
        let mut keys = BTreeMap::new();
        let mut current = None;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (kid, b64) = match line.split_once(char::is_whitespace) {
                Some((kid, b64)) => {
                    let kid =
                        kid.parse::<u32>().map_err(|_| CryptoError::BadKey("the key id is not a number".into()))?;
                    (kid, b64.trim())
                }
                None => (1, line),
            };
            let bytes = Zeroizing::new(
                STANDARD
                    .decode(b64)
                    .or_else(|_| URL_SAFE_NO_PAD.decode(b64))
                    .map_err(|_| CryptoError::BadKey(format!("key {kid} is not base64")))?,
            );
            let master: [u8; 32] =
                bytes.as_slice().try_into().map_err(|_| CryptoError::BadKey(format!("key {kid} is not 32 bytes")))?;
            if keys.insert(kid, KeyMaterial::new(master)).is_some() {
                return Err(CryptoError::BadKey(format!("key id {kid} appears twice")));
            }
            current = Some(kid);
        }
        let current = current.ok_or(CryptoError::NoKey)?;
        Ok(Keys { keys, current })
    }

    /// Reads the key file.
    pub fn load(path: &Path) -> Result<Keys, CryptoError> {
        let text = Zeroizing::new(
            std::fs::read_to_string(path).map_err(|e| CryptoError::BadKey(format!("{}: {e}", path.display())))?,
        );
        Keys::parse(&text)
    }

    /// The id new seals use.
    pub fn current_id(&self) -> u32 {
        self.current
    }

    /// Every configured key id, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.keys.keys().copied()
    }

    /// Seals `plain` for `table.column` of row `row` with the current key.
    pub fn seal(&self, table: &str, column: &str, row: &str, plain: &[u8]) -> String {
        let key = &self.keys[&self.current];
        let cipher = XChaCha20Poly1305::new(key.seal.as_ref().into());
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = aad(table, column, row);
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: &aad })
            .expect("XChaCha20-Poly1305 encryption of an in-memory buffer cannot fail");
        format!("v1:{}:{}:{}", self.current, URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(ct))
    }

    /// Seals a text value.
    pub fn seal_str(&self, table: &str, column: &str, row: &str, plain: &str) -> String {
        self.seal(table, column, row, plain.as_bytes())
    }

    /// Opens a value sealed for the same table, column and row.
    pub fn open(&self, table: &str, column: &str, row: &str, sealed: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (kid, nonce, ct) = split(sealed)?;
        let key = self.keys.get(&kid).ok_or(CryptoError::UnknownKey(kid))?;
        let cipher = XChaCha20Poly1305::new(key.seal.as_ref().into());
        let aad = aad(table, column, row);
        cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &ct, aad: &aad })
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Open)
    }

    /// Opens a sealed text value.
    pub fn open_str(&self, table: &str, column: &str, row: &str, sealed: &str) -> Result<String, CryptoError> {
        let bytes = self.open(table, column, row, sealed)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| CryptoError::Open)
    }

    /// The HMAC-SHA256 of `data` under the current key's subkey for `purpose`, hex.
    pub fn mac(&self, purpose: Purpose, data: &[u8]) -> String {
        self.mac_with(self.current, purpose, data).expect("the current key is configured")
    }

    /// The same under a named key (to check a value made before a rotation).
    pub fn mac_with(&self, kid: u32, purpose: Purpose, data: &[u8]) -> Result<String, CryptoError> {
        let key = self.keys.get(&kid).ok_or(CryptoError::UnknownKey(kid))?;
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key.mac_key(purpose).as_ref())
            .expect("HMAC takes a key of any length");
        m.update(data);
        Ok(hex::encode(m.finalize().into_bytes()))
    }
}

/// Whether a stored value is sealed (as opposed to a row written before sealing existed).
pub fn is_sealed(stored: &str) -> bool {
    split(stored).is_ok()
}

/// The key id a sealed value was made with.
pub fn sealed_key_id(stored: &str) -> Option<u32> {
    split(stored).ok().map(|(kid, _, _)| kid)
}

fn split(sealed: &str) -> Result<(u32, [u8; 24], Vec<u8>), CryptoError> {
    let mut parts = sealed.splitn(4, ':');
    let (Some("v1"), Some(kid), Some(nonce), Some(ct)) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CryptoError::Format);
    };
    let kid = kid.parse::<u32>().map_err(|_| CryptoError::Format)?;
    let nonce: [u8; 24] =
        URL_SAFE_NO_PAD.decode(nonce).ok().and_then(|n| n.try_into().ok()).ok_or(CryptoError::Format)?;
    let ct = URL_SAFE_NO_PAD.decode(ct).map_err(|_| CryptoError::Format)?;
    Ok((kid, nonce, ct))
}

/// Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
fn aad(table: &str, column: &str, row: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(table.len() + column.len() + row.len() + 12);
    for part in [table, column, row] {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// 32 random bytes for a new key.
pub fn random_key() -> [u8; 32] {
    let mut k = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut k);
    k
}

/// A key file line for a new key with id `kid`.
pub fn key_line(kid: u32, key: &[u8; 32]) -> String {
    format!("{kid} {}", STANDARD.encode(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_own_table_column_and_row() {
        let keys = Keys::random();
        let s = keys.seal_str("reports", "reporter_name", "row-1", "Anna Andersson");
        assert!(s.starts_with("v1:1:"), "{s}");
        assert!(!s.contains("Anna"));
        assert_eq!(keys.open_str("reports", "reporter_name", "row-1", &s).unwrap(), "Anna Andersson");
        assert_eq!(keys.open_str("reports", "reporter_name", "row-2", &s), Err(CryptoError::Open));
        assert_eq!(keys.open_str("reports", "reporter_phone", "row-1", &s), Err(CryptoError::Open));
        assert_eq!(keys.open_str("users", "reporter_name", "row-1", &s), Err(CryptoError::Open));
        assert_eq!(Keys::random().open_str("reports", "reporter_name", "row-1", &s), Err(CryptoError::Open));
    }

    #[test]
    fn two_seals_of_one_value_differ() {
        let keys = Keys::random();
        assert_ne!(keys.seal_str("t", "c", "r", "x"), keys.seal_str("t", "c", "r", "x"));
    }

    #[test]
    fn a_key_file_names_keys_and_the_last_is_current() {
        let (a, b) = (random_key(), random_key());
        let text = format!("# Trygg keys\n{}\n{}\n", key_line(1, &a), key_line(2, &b));
        let keys = Keys::parse(&text).unwrap();
        assert_eq!(keys.current_id(), 2);
        let old = Keys::single(a).seal_str("t", "c", "r", "old");
        assert_eq!(keys.open_str("t", "c", "r", &old).unwrap(), "old", "an old key still opens its values");
        assert_eq!(sealed_key_id(&keys.seal_str("t", "c", "r", "new")), Some(2));
        assert!(matches!(Keys::parse(""), Err(CryptoError::NoKey)));
        assert!(matches!(Keys::parse("1 AAAA"), Err(CryptoError::BadKey(_))));
        assert!(matches!(
            Keys::parse(&format!("{}\n{}", key_line(1, &a), key_line(1, &b))),
            Err(CryptoError::BadKey(_))
        ));
    }

    #[test]
    fn keyed_hashes_differ_by_purpose_and_by_key() {
        let keys = Keys::random();
        let t = keys.mac(Purpose::Throttle, b"192.0.2.1");
        assert_eq!(t.len(), 64);
        assert_eq!(t, keys.mac(Purpose::Throttle, b"192.0.2.1"));
        assert_ne!(t, keys.mac(Purpose::Audit, b"192.0.2.1"));
        assert_ne!(t, Keys::random().mac(Purpose::Throttle, b"192.0.2.1"));
        assert_ne!(t, sha256_hex("192.0.2.1"));
    }

    #[test]
    fn plain_values_are_not_taken_for_sealed_ones() {
        assert!(!is_sealed("Anna Andersson"));
        assert!(!is_sealed("v1:x:y:z"));
        assert!(!is_sealed("0123abcd"));
        assert!(is_sealed(&Keys::random().seal_str("t", "c", "r", "")));
    }
}
