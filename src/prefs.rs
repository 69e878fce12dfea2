//! Choices remembered on the device: the language, the situation (who I am × where I am in
//! time) and the ticks on each situation's checklist, kept in any [`KeyValueStore`] so the logic
//! is tested without a browser.

use trygg_domain::{Phase, Role};

use crate::i18n::Lang;
use crate::storage::{HIDDEN_NOTICES_KEY, KeyValueStore, LANG_KEY, SITUATION_KEY, TICKS_PREFIX};

/// Who I am and where I am in time; it picks the checklist and the contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub role: Role,
    pub phase: Phase,
}

impl Situation {
    /// From wire values, e.g. `healthcare` and `during`.
    pub fn parse(role: &str, phase: &str) -> Option<Self> {
        Some(Self { role: role.parse().ok()?, phase: phase.parse().ok()? })
    }

    /// The page that shows it.
    pub fn path(self) -> String {
        format!("/lage/{}/{}", self.role.as_str(), self.phase.as_str())
    }

    fn key(self) -> String {
        format!("{}/{}", self.role.as_str(), self.phase.as_str())
    }
}

/// The situation last chosen on this device.
pub fn load_situation(store: &impl KeyValueStore) -> Option<Situation> {
    let raw = store.get(SITUATION_KEY)?;
    let (role, phase) = raw.split_once('/')?;
    Situation::parse(role, phase)
}

pub fn save_situation(store: &impl KeyValueStore, situation: Situation) -> bool {
    store.set(SITUATION_KEY, &situation.key())
}

/// The checklist items ticked in a situation, by item id.
pub fn load_ticks(store: &impl KeyValueStore, situation: Situation) -> Vec<i64> {
    store
        .get(&format!("{TICKS_PREFIX}{}", situation.key()))
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

pub fn save_ticks(store: &impl KeyValueStore, situation: Situation, ticks: &[i64]) -> bool {
    serde_json::to_string(ticks).is_ok_and(|json| store.set(&format!("{TICKS_PREFIX}{}", situation.key()), &json))
}

/// Ticks or unticks one item, keeping the list free of duplicates.
pub fn toggle(ticks: &mut Vec<i64>, id: i64, on: bool) {
    ticks.retain(|t| *t != id);
    if on {
        ticks.push(id);
    }
}

/// The ids of the notices hidden on this device.
pub fn hidden_notices(store: &impl KeyValueStore) -> Vec<i64> {
    store.get(HIDDEN_NOTICES_KEY).unwrap_or_default().split(',').filter_map(|s| s.parse().ok()).collect()
}

/// Hides a notice on this device (kept: a notice ends by itself, and ids are never reused).
pub fn hide_notice(store: &impl KeyValueStore, id: i64) -> Vec<i64> {
    let mut all = hidden_notices(store);
    if !all.contains(&id) {
        all.push(id);
    }
    store.set(HIDDEN_NOTICES_KEY, &all.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    all
}

/// The language chosen on this device, or Swedish.
pub fn load_lang(store: &impl KeyValueStore) -> Lang {
    store.get(LANG_KEY).and_then(|code| Lang::from_code(&code)).unwrap_or_default()
}

pub fn save_lang(store: &impl KeyValueStore, lang: Lang) -> bool {
    store.set(LANG_KEY, lang.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::Memory;

    #[test]
    fn the_situation_is_remembered_and_has_its_own_page() {
        let mem = Memory::default();
        assert_eq!(load_situation(&&mem), None);
        let s = Situation::parse("elected_official", "during").unwrap();
        assert!(save_situation(&&mem, s));
        assert_eq!(load_situation(&&mem), Some(s));
        assert_eq!(s.path(), "/lage/elected_official/during");
        assert_eq!(Situation::parse("pilot", "during"), None);
        (&mem).set(SITUATION_KEY, "healthcare");
        assert_eq!(load_situation(&&mem), None);
    }

    #[test]
    fn ticks_are_kept_per_situation() {
        let mem = Memory::default();
        let a = Situation::parse("healthcare", "before").unwrap();
        let b = Situation::parse("healthcare", "after").unwrap();
        let mut ticks = load_ticks(&&mem, a);
        toggle(&mut ticks, 3, true);
        toggle(&mut ticks, 3, true);
        toggle(&mut ticks, 5, true);
        toggle(&mut ticks, 5, false);
        assert_eq!(ticks, vec![3]);
        assert!(save_ticks(&&mem, a, &ticks));
        assert_eq!(load_ticks(&&mem, a), vec![3]);
        assert!(load_ticks(&&mem, b).is_empty());
    }

    #[test]
    fn a_hidden_notice_stays_hidden_once_and_junk_is_ignored() {
        let mem = Memory::default();
        assert!(hidden_notices(&&mem).is_empty());
        assert_eq!(hide_notice(&&mem, 7), vec![7]);
        assert_eq!(hide_notice(&&mem, 7), vec![7]);
        assert_eq!(hide_notice(&&mem, 9), vec![7, 9]);
        (&mem).set(HIDDEN_NOTICES_KEY, "7,x,,9");
        assert_eq!(hidden_notices(&&mem), vec![7, 9]);
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
