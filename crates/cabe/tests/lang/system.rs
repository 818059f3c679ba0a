//! `cabe system` and `cabe inspect` in Spanish.

use super::*;

#[test]
fn system_in_spanish() {
    let runs: Vec<Vec<String>> = [
        "amd-rx7900xt",
        "apple-m1-8gb",
        "apple-m3-max-36gb",
        "apple-m3-ultra-96gb",
        "ci-no-gpu",
        "dgx-spark",
        "dual-rtx5090",
        "intel-i5-1035g1-laptop",
        "nvidia-rtx4090-desktop",
        "strix-halo-96gb-carveout",
        "strix-halo-z13-gtt",
    ]
    .iter()
    .map(|m| vec!["system".into(), "--root".into(), machine_fixture(m)])
    .collect();
    spanish_and_json(&runs);
    let (_, out, _) = run_in("es", &["system", "--root", &machine_fixture("ci-no-gpu")]);
    assert!(
        out.contains("solo CPU") && out.contains("23,5 GiB"),
        "{out}"
    );
    spanish_errors(&strings(&[&["system", "--root", "/no/such/dir"]]));
}

#[test]
fn inspect_in_spanish() {
    let file = scan_models().join("small.gguf").display().to_string();
    spanish_and_json(&[
        vec!["inspect".into(), file.clone()],
        vec!["inspect".into(), file.clone(), "--tensors".into()],
    ]);
    let (_, out, _) = run_in("es", &["inspect", &file]);
    assert!(
        out.contains("tensores") && out.contains("metadatos"),
        "{out}"
    );
}
