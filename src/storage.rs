//! The device's storage: the [`KeyValueStore`] trait, its `localStorage` implementation
//! ([`LocalStore`]), the one in-memory store the host tests use, and every `trygg.*` key the app
//! writes (so a key is spelt in one place). What is kept under each key is owned by the module
//! that reads it (`draft`, `outbox`, `prefs`, `content`, the follow-up page).

/// Where the draft is kept. Versioned so that a later shape can migrate instead of clobbering.
pub const DRAFT_KEY: &str = "trygg.draft.v1";
/// Where a draft that could not be read is moved, so that it is never silently overwritten:
/// a JSON array of the raw texts, oldest first.
pub const UNREADABLE_DRAFT_KEY: &str = "trygg.draft.unreadable";
/// When a start of the app first saw [`UNREADABLE_DRAFT_KEY`] (its key + `.since`).
pub const UNREADABLE_DRAFT_SINCE_KEY: &str = "trygg.draft.unreadable.since";
/// The receipt of the last report sent from this device.
pub const RECEIPT_KEY: &str = "trygg.receipt.v1";
/// The receipts of the last reports sent from this device, newest first ("my reports").
pub const RECEIPTS_KEY: &str = "trygg.receipts.v1";
/// Where the outbox is kept (a JSON array of entries).
pub const OUTBOX_KEY: &str = "trygg.outbox.v1";
/// Where outbox entries that could not be read are moved (a JSON array of the raw values), so
/// that a damaged entry is never silently overwritten by the next write.
pub const UNREADABLE_OUTBOX_KEY: &str = "trygg.outbox.unreadable";
/// When a start of the app first saw [`UNREADABLE_OUTBOX_KEY`] (its key + `.since`).
pub const UNREADABLE_OUTBOX_SINCE_KEY: &str = "trygg.outbox.unreadable.since";
/// The chosen language.
pub const LANG_KEY: &str = "trygg.lang.v1";
/// The chosen situation (role × phase).
pub const SITUATION_KEY: &str = "trygg.situation.v1";
/// Followed by `role/phase`: the ticks on that situation's checklist.
pub const TICKS_PREFIX: &str = "trygg.ticks.v1.";
/// The last good copy of every checklist and the phone list (`GET /api/content`, one JSON).
pub const CONTENT_KEY: &str = "trygg.cache.content.v1";
/// In `sessionStorage`: the receipt code a "follow up" link hands to the follow-up page.
pub const FOLLOWUP_CODE_KEY: &str = "trygg.followup-code";
/// The notices hidden on this device (their ids, comma-separated).
pub const HIDDEN_NOTICES_KEY: &str = "trygg.notices.hidden.v1";

/// A string key-value store such as `localStorage`. `set` answers whether the value was stored
/// (storage can be full, or switched off in private browsing).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
}

/// `window.localStorage`. Every call tolerates storage being absent or refusing writes.
#[derive(Clone, Copy, Default)]
pub struct LocalStore;

impl LocalStore {
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }
}

impl KeyValueStore for LocalStore {
    fn get(&self, key: &str) -> Option<String> {
        Self::storage()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        Self::storage().is_some_and(|s| s.set_item(key, value).is_ok())
    }

    fn remove(&self, key: &str) {
        if let Some(s) = Self::storage() {
            let _ = s.remove_item(key);
        }
    }
}

/// `window.sessionStorage` (this tab only); used for [`FOLLOWUP_CODE_KEY`].
pub fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The in-memory store of the host tests (the only one).
#[cfg(test)]
pub(crate) mod memory {
    use super::KeyValueStore;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    /// `full` makes every write fail like a full `localStorage`.
    #[derive(Default)]
    pub struct Memory {
        pub map: RefCell<HashMap<String, String>>,
        pub full: Cell<bool>,
    }

    impl Memory {
        pub fn raw(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
    }

    impl KeyValueStore for &Memory {
        fn get(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            if !self.full.get() {
                self.map.borrow_mut().insert(key.into(), value.into());
            }
            !self.full.get()
        }
        fn remove(&self, key: &str) {
            self.map.borrow_mut().remove(key);
        }
    }
}
