//! What each model family is made for (`data/uses.toml`), in its maker's words: the ranking
//! of `cabe recommend` prefers a family made for the use asked for.

use serde::Deserialize;

pub const USES_TOML: &str = include_str!("../data/uses.toml");

/// The uses a family may be listed for.
pub const USE_NAMES: &[&str] = &[
    "general",
    "chat",
    "code",
    "reasoning",
    "agents",
    "long-context",
];

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FamilyUses {
    pub family: String,
    pub uses: Vec<String>,
    pub source: String,
    pub date: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    family: Vec<FamilyUses>,
}

/// Every row, parsed once.
pub fn family_uses() -> &'static [FamilyUses] {
    static ROWS: std::sync::OnceLock<Vec<FamilyUses>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| {
        toml::from_str::<File>(USES_TOML)
            .expect("data/uses.toml parses (tested)")
            .family
    })
}

/// Whether `family` is listed as made for `use_name`.
pub fn suits(family: &str, use_name: &str) -> bool {
    family_uses()
        .iter()
        .any(|r| r.family == family && r.uses.iter().any(|u| u == use_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_a_catalog_family_a_known_use_and_its_source() {
        let families: Vec<&str> = crate::models().iter().map(|m| m.family.as_str()).collect();
        assert!(family_uses().len() >= 5);
        for r in family_uses() {
            assert!(
                families.contains(&r.family.as_str()),
                "{} is no catalog family",
                r.family
            );
            assert!(!r.uses.is_empty(), "{}", r.family);
            for u in &r.uses {
                assert!(USE_NAMES.contains(&u.as_str()), "{}: {u}", r.family);
            }
            assert!(r.source.starts_with("https://"), "{}", r.family);
            let d = r.date.as_bytes();
            assert!(
                d.len() == 7 && d[4] == b'-' && r.date[..4].parse::<u32>().is_ok_and(|y| y >= 2023),
                "{}: date {}",
                r.family,
                r.date
            );
        }
        assert!(suits("qwen3-coder", "code"));
        assert!(!suits("llama3.1", "code"));
    }
}
