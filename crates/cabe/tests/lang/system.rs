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
/// The detected machine's summary where a Spanish sentence names it (fit, curve), and
/// `system`'s capacity line, worded from the figures: a CPU-only laptop, a unified-memory
/// machine and two discrete GPUs.
#[test]
fn this_machine_summary_and_capacity_line_have_no_english_left() {
    for (fixture, summary, capacity) in [
        (
            "intel-i5-1035g1-laptop",
            "14,0 GiB de RAM, solo CPU",
            "14,0 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 12,0 GiB",
        ),
        (
            "dgx-spark",
            "NVIDIA GB10, 121,7 GiB unificada, CUDA",
            "121,7 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 119,7 GiB",
        ),
        (
            "dual-rtx5090",
            "2× NVIDIA GeForce RTX 5090, 63,7 GiB de VRAM + 125,4 GiB de RAM, CUDA",
            "63,7 GiB de VRAM en 2 GPU; descargando en la CPU",
        ),
    ] {
        let root = machine_fixture(fixture);
        let env = [("CABE_MACHINE_ROOT", root.as_str())];
        let system = run(&["system", "--root", &root, "--lang", "es"], &[]);
        assert!(system.contains(capacity), "{fixture}: {system}");
        for (args, out) in [
            (vec!["system", "--root", &root], system.clone()),
            (
                vec!["fit", "qwen3-coder-30b-a3b", "--explain"],
                run(
                    &["fit", "qwen3-coder-30b-a3b", "--explain", "--lang", "es"],
                    &env,
                ),
            ),
            (
                vec!["curve", "qwen3-coder-30b-a3b"],
                run(&["curve", "qwen3-coder-30b-a3b", "--lang", "es"], &env),
            ),
        ] {
            let english = english_words(&out);
            assert!(
                english.is_empty(),
                "cabe {args:?} on {fixture}: English left:\n{}\n{out}",
                english.join("\n")
            );
            if args[0] != "system" {
                assert!(out.contains(summary), "{fixture} {args:?}: {out}");
            }
            let mut json = args.clone();
            json.push("--json");
            let en = run(&json, &env);
            json.extend(["--lang", "es"]);
            assert_eq!(en, run(&json, &env), "cabe {args:?} --json differs");
        }
        let en = run(&["fit", "qwen3-coder-30b-a3b", "--lang", "en"], &env);
        assert!(!english_words(&en).is_empty(), "{en}");
    }
}
