//! Choices remembered on the device (for now the language), kept in any [`KeyValueStore`] so the
//! logic is tested without a browser.

use crate::draft::KeyValueStore;
use crate::i18n::Lang;

pub const LANG_KEY: &str = "trygg.lang.v1";

/// The language chosen on this device, or Swedish.
pub fn load_lang(store: &impl KeyValueStore) -> Lang {
    store.get(LANG_KEY).and_then(|code| Lang::from_code(&code)).unwrap_or_default()
}

pub fn save_lang(store: &impl KeyValueStore, lang: Lang) -> bool {
    store.set(LANG_KEY, lang.code())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// An in-memory store.
    #[derive(Default)]
    pub struct Memory(pub RefCell<HashMap<String, String>>);

    impl KeyValueStore for &Memory {
        fn get(&self, key: &str) -> Option<String> {
            self.0.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            self.0.borrow_mut().insert(key.into(), value.into());
            true
        }
        fn remove(&self, key: &str) {
            self.0.borrow_mut().remove(key);
        }
    }

    #[test]
    fn the_language_is_remembered_and_junk_falls_back_to_swedish() {
        let mem = Memory::default();
        assert_eq!(load_lang(&&mem), Lang::Sv);
        assert!(save_lang(&&mem, Lang::En));
        assert_eq!(load_lang(&&mem), Lang::En);
        (&mem).set(LANG_KEY, "klingon");
        assert_eq!(load_lang(&&mem), Lang::Sv);
    }
}
