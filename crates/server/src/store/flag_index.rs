//! The keyed hashes by which a flagged address is found, across key rotations.
//!
//! A flag's address is sealed and found by an HMAC of its normalised key under the server key
//! (`flags.address_index`); the look-up log keeps the same hashes of the address asked. A new
//! key changes every hash, so without care a key rotation would silently stop every flag from
//! matching. Two things prevent that:
//! - a look-up matches the hashes under **every configured key** (between adding the new key
//!   line and running `rotate-key`, flags still carry the old key's hashes), and
//! - `rotate-key` re-indexes each flag under the current key (its sealed address opens to the
//!   address, whose hashes are computed again) and maps the log's old hashes of that address to
//!   the new ones, so a flag's "who looked it up" survives the rotation. Look-ups of addresses
//!   that were never flagged keep their old hashes (nothing holds their address to re-hash).

use super::{Db, on_db};
use crate::crypto::{CryptoError, Keys, Purpose};
use trygg_domain::Address;
use uuid::Uuid;

/// The keyed hashes of an address under key `kid`: its building's and (when it names one) its
/// apartment's; without an apartment both are the building's.
pub fn address_indexes_under(keys: &Keys, kid: u32, a: &Address) -> Result<(String, String), CryptoError> {
    let building = keys.mac_with(kid, Purpose::Index, a.key().as_bytes())?;
    let apartment = match a.apartment_key() {
        Some(k) => keys.mac_with(kid, Purpose::Index, k.as_bytes())?,
        None => building.clone(),
    };
    Ok((building, apartment))
}

/// [`address_indexes_under`] the current key: what new flags and the look-up log store.
pub fn address_indexes(keys: &Keys, a: &Address) -> (String, String) {
    address_indexes_under(keys, keys.current_id(), a).expect("the current key is configured")
}

/// The hashes a look-up of `a` matches: building and apartment under every configured key,
/// the current key's first, without repeats.
pub fn indexes_under_every_key(keys: &Keys, a: &Address) -> Vec<String> {
    let mut out = Vec::new();
    let current = keys.current_id();
    for kid in std::iter::once(current).chain(keys.ids().filter(|k| *k != current)) {
        if let Ok((building, apartment)) = address_indexes_under(keys, kid, a) {
            for i in [building, apartment] {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
    }
    out
}

/// The index a flag on `a` is stored under (the apartment's when it names one).
fn flag_index(pair: &(String, String)) -> &str {
    &pair.1
}

impl Db {
    /// Re-indexes every flag whose `address_index` is not the current key's hash of its address,
    /// and maps the look-up log's hashes of that address under the other keys to the current
    /// key's (see the module's text). Each flag is guarded by its old index, so a second run,
    /// or one beside a serving server, changes nothing twice. Returns how many flags changed;
    /// a flag whose address does not open is left as it is (`rotate_sealed` reports it).
    pub async fn reindex_flags(&self, keys: &Keys) -> Result<u64, sqlx::Error> {
        let current = keys.current_id();
        let (mut changed, mut after) = (0, Uuid::nil());
        loop {
            let sql = "SELECT id, address_index, address_sealed FROM flags WHERE id > $1 ORDER BY id LIMIT 100";
            let page: Vec<(Uuid, String, String)> =
                on_db!(self, |pool| sqlx::query_as(sql).bind(after).fetch_all(pool).await)?;
            let Some((last, ..)) = page.last() else { break };
            after = *last;
            for (id, stored, sealed) in page {
                let Ok(text) = keys.open_str("flags", "address", &id.to_string(), &sealed) else { continue };
                let Ok(address) = Address::parse(&text) else { continue };
                let now = address_indexes(keys, &address);
                if stored == flag_index(&now) {
                    continue;
                }
                let sql = "UPDATE flags SET address_index = $1 WHERE id = $2 AND address_index = $3";
                let n = on_db!(self, |pool| sqlx::query(sql)
                    .bind(flag_index(&now))
                    .bind(id)
                    .bind(&stored)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected()))?;
                changed += n;
                for kid in keys.ids().filter(|k| *k != current) {
                    let Ok(old) = address_indexes_under(keys, kid, &address) else { continue };
                    for (from, to) in [(&old.0, &now.0), (&old.1, &now.1)] {
                        for column in ["address_index", "building_index"] {
                            let sql = format!("UPDATE flag_lookups SET {column} = $1 WHERE {column} = $2");
                            on_db!(self, |pool| sqlx::query(&sql).bind(to).bind(from).execute(pool).await.map(|_| ()))?;
                        }
                    }
                }
            }
        }
        Ok(changed)
    }
}
