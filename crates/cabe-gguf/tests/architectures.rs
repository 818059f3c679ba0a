//! Every architecture the model catalog (`data/models.toml`) names has a row in
//! `cabe_core::arch`, so its quirks come from the table rather than the defaults.

use std::path::Path;

#[test]
fn every_catalog_architecture_has_a_row() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/models.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // `architecture = "name"` lines; the catalog's own parser lives in a crate above this one.
    let archs: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "architecture").then(|| value.trim().trim_matches('"'))
        })
        .collect();
    assert!(archs.len() > 10, "read {} architectures", archs.len());
    for a in archs {
        assert!(
            cabe_core::arch::find(a).is_some(),
            "catalog architecture {a} has no row in cabe_core::arch"
        );
    }
}
