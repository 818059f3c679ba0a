//! `cabe history` and `cabe calibrate` in Spanish.

use super::*;

/// `cabe history` and `cabe calibrate` in Spanish (empty, then stored), no English left,
/// and their `--json` the same bytes in both languages.
#[test]
fn history_and_calibrate_in_spanish() {
    let data = tempfile::tempdir().unwrap();
    let es = |args: &[&str]| {
        let mut v = args.to_vec();
        v.extend(["--lang", "es"]);
        common::ok(in_data(data.path()).args(&v).output().unwrap())
    };
    let en = |args: &[&str]| common::ok(in_data(data.path()).args(args).output().unwrap());
    let check = |args: &[&str], out: &str| {
        let english = english_words(out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
    };
    let out = es(&["history"]);
    assert!(
        out.starts_with("no hay ejecuciones de bench guardadas"),
        "{out}"
    );
    check(&["history"], &out);
    // A stored run.
    {
        use cabe_bench::store::{Row, RunMeta, Store};
        let mut s = Store::open(&data.path().join("history.sqlite")).unwrap();
        let mut w = s
            .begin_run(&RunMeta {
                started_at: 1_795_442_709,
                machine: "this-machine: test".into(),
                backend: "cpu".into(),
                basis: "catalog".into(),
                server: "ollama".into(),
                url: "http://127.0.0.1:11434".into(),
                server_version: Some("0.11.6".into()),
                model: "gemma3:4b".into(),
                model_source: None,
                quant: Some("Q4_K_M".into()),
                ctx: Some(8192),
                gen_tokens: 64,
            })
            .unwrap();
        for n in [512u64, 20480] {
            w.add(&Row {
                target_tokens: n,
                prompt_tokens: n - 3,
                prompt_ms: n as f64,
                gen_tokens: 64,
                gen_ms: 3200.0,
                prefill_tps: Some(1000.0),
                decode_tps: Some(20.0),
                predicted_prefill_tps: Some(1250.0),
                predicted_decode_tps: Some(25.0),
            })
            .unwrap();
        }
        w.finish(1_795_442_739).unwrap();
    }
    let out = es(&["history"]);
    for must in [
        "ejecución",
        "decodificación ×",
        "0,80",
        "509, 20.477",
        "mediana de lo medido",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    check(&["history"], &out);
    assert!(en(&["history"]).contains("median measured"));
    assert_eq!(en(&["history", "--json"]), es(&["history", "--json"]));

    // calibrate: a quick run, then --show, on a recorded machine.
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let run_in = |args: &[&str]| {
        common::ok(
            in_data(data.path())
                .env("CABE_MACHINE_ROOT", &machine)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let err = run_failing(
        &["calibrate", "--show", "--lang", "es"],
        &[("CABE_DATA_DIR", data.path().to_str().unwrap())],
    )
    .1;
    assert!(err.contains("no hay ninguna calibración guardada"), "{err}");
    check(&["calibrate", "--show"], &err);
    let out = run_in(&["calibrate", "--quick", "--threads", "2", "--lang", "es"]);
    for must in [
        "calibrada el",
        "(rápida: cifras aproximadas)",
        "ancho de banda de lectura de memoria",
        "mediana",
        "guardada en",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    check(&["calibrate"], &out);
    let shown = run_in(&["calibrate", "--show", "--lang", "es"]);
    assert_eq!(shown, out, "--show prints what the run printed");
    let shown_en = run_in(&["calibrate", "--show"]);
    assert!(shown_en.contains("memory read bandwidth"), "{shown_en}");
    assert_eq!(
        run_in(&["calibrate", "--show", "--json"]),
        run_in(&["calibrate", "--show", "--json", "--lang", "es"])
    );
}
