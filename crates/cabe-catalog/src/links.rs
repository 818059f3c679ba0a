//! Links between devices and hosts (`data/links.toml`): their rate and the latency a token's
//! small messages pay, for the link term of `cabe plan`.

use serde::Deserialize;

pub const LINKS_TOML: &str = include_str!("../data/links.toml");

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: String,
    pub name: String,
    /// Data rate, Gbit/s, one direction.
    pub gbps: f64,
    /// One-way latency of a small message, µs.
    pub latency_us: f64,
    /// Where the latency comes from (or that it is assumed).
    pub latency_note: String,
    /// What llama.cpp's RPC was measured to cost over such a link, where published.
    #[serde(default)]
    pub measured: String,
    pub source: String,
    pub date: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    link: Vec<Link>,
}

/// Every row, parsed once.
pub fn links() -> &'static [Link] {
    static ROWS: std::sync::OnceLock<Vec<Link>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| {
        toml::from_str::<File>(LINKS_TOML)
            .expect("data/links.toml parses (tested)")
            .link
    })
}

/// A link by id, or a one-line error listing the ids.
pub fn find_link(id: &str) -> Result<&'static Link, String> {
    let t = id.trim().to_ascii_lowercase();
    links().iter().find(|l| l.id == t).ok_or_else(|| {
        let ids: Vec<&str> = links().iter().map(|l| l.id.as_str()).collect();
        format!("unknown link '{id}' (one of: {})", ids.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_link_has_a_rate_a_latency_and_a_public_source() {
        let rows = links();
        assert!(rows.len() >= 10);
        let mut ids = std::collections::HashSet::new();
        for l in rows {
            assert!(ids.insert(l.id.as_str()), "duplicate {}", l.id);
            assert!(l.gbps > 0.0 && l.gbps.is_finite(), "{}", l.id);
            assert!(l.latency_us > 0.0 && l.latency_us < 10_000.0, "{}", l.id);
            assert!(!l.latency_note.is_empty(), "{}", l.id);
            assert!(l.source.starts_with("https://"), "{}", l.id);
            let d = l.date.as_bytes();
            assert!(
                d.len() == 7 && d[4] == b'-' && l.date[..4].parse::<u32>().is_ok(),
                "{}: {}",
                l.id,
                l.date
            );
        }
        // The links the plans people ask about need.
        for id in ["connectx-7-spark", "thunderbolt5", "10gbe", "pcie4-x16"] {
            assert!(find_link(id).is_ok(), "{id}");
        }
        assert!(find_link("carrier-pigeon").unwrap_err().contains("10gbe"));
    }
}
