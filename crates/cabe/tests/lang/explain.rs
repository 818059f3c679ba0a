//! `fit --explain`'s steps and the speed section's calibration and history notes in Spanish.

use super::*;

/// Words of the `--explain` steps' English (beyond `ENGLISH`) that a Spanish explanation must
/// not hold.
const EXPLAIN_ENGLISH: &[&str] = &[
    "layers",
    "heads",
    "latent",
    "only",
    "padded",
    "recurrent",
    "state",
    "conv",
    "seq",
    "scores",
    "mask",
    "activations",
    "experts",
    "wide",
    "vocab",
    "hidden",
    "rows",
    "stage",
    "buffer",
    "headroom",
    "reserve",
    "output",
    "compute",
    "routed",
    "holds",
    "free",
    "stay",
    "offload",
    "wire",
    "unified",
    "sliding-window",
    "micro-batch",
];

/// The English left in the `--explain` steps of a Spanish `fit` (the indented lines after the
/// verdict, before the runtime's settings).
fn explain_english(out: &str) -> Vec<String> {
    let steps: String = out
        .split_once("\n\n  ")
        .map(|(_, rest)| rest)
        .unwrap_or("")
        .lines()
        .take_while(|l| l.starts_with("  ") || !l.contains(':') || l.starts_with("pesos"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = english_words(&steps);
    for line in steps.lines() {
        for w in line.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            if EXPLAIN_ENGLISH.contains(&w) {
                found.push(format!("{w:?} in: {line}"));
            }
        }
    }
    found
}

/// `fit --explain` in Spanish over the architectures whose steps differ (a routed MoE, a
/// hybrid with recurrent state, an SSM, sliding windows, MLA, a dense llama with a padded
/// context, without flash attention, experts kept on the CPU, unified and discrete memory):
/// every step worded in Spanish, and `--json` (which carries the English steps) the same
/// bytes in both languages.
#[test]
fn fit_explain_in_spanish() {
    let runs = strings(&[
        &["fit", "qwen3-coder-30b-a3b", "--memory", "64GB"],
        &["fit", "qwen3-next-80b-a3b", "--memory", "64GB"],
        &[
            "fit",
            "granite-4.0-h-tiny",
            "--memory",
            "32GB",
            "--parallel",
            "2",
        ],
        &["fit", "lfm2-1.2b", "--memory", "16GB"],
        &["fit", "gemma-3-12b", "--memory", "32GB"],
        &[
            "fit",
            "gemma-2-9b",
            "--memory",
            "32GB",
            "--flash-attn",
            "off",
        ],
        &["fit", "deepseek-v2-lite", "--memory", "32GB"],
        &["fit", "deepseek-v3", "--on", "mac-studio-m3-ultra-512gb"],
        &[
            "fit",
            "llama-3.1-8b",
            "--memory",
            "16GB",
            "--ctx",
            "5000",
            "--kv-type",
            "q8_0",
        ],
        &["fit", "llama-3.1-70b", "--on", "rtx-4090"],
        &[
            "fit",
            "qwen3-coder-30b-a3b",
            "--on",
            "rtx-4090",
            "--n-cpu-moe",
            "30",
            "--ctx",
            "32768",
        ],
    ]);
    let mut all = String::new();
    for args in &runs {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--explain");
        let (code, out, err) = run_in("es", &args);
        assert_eq!(code, 0, "cabe {args:?}: {err}");
        // The machine's line names a catalog machine ("Desktop with GeForce RTX 4090 24GB").
        let named: String = out
            .lines()
            .filter(|l| !l.starts_with("máquina: "))
            .map(|l| format!("{l}\n"))
            .collect();
        let english = english_words(&named);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
        let english = explain_english(&out);
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left in the steps:\n{}\n{out}",
            english.join("\n")
        );
        args.push("--json");
        let (code_en, en, _) = run_in("en", &args);
        let (code_es, es, _) = run_in("es", &args);
        assert_eq!((code_en, code_es), (0, 0), "cabe {args:?}");
        assert_eq!(en, es, "cabe {args:?}: --json differs between languages");
        all.push_str(&out);
    }
    for must in [
        "caché KV: 262.144 tokens × 48 capas × 4 cabezas KV × 128 × 2 (K,V) × 2 bytes = 24,0 GiB",
        "cálculo: un micro-lote de 512 tokens, 1 fila de logits; el búfer es la etapa mayor (FFN)",
        "cálculo: FFN: 8 de 128 expertos × 768 de ancho + máscara KQ = 342,0 MiB",
        "capas de ventana deslizante",
        "caché KV: estado recurrente: 36 capas × (",
        "× 2 secuencias = ",
        "capas MLA × latente de 576 (kv_lora_rank + rope) × 2 bytes (solo K: la caché no guarda V)",
        "el contexto de 5000 se amplía a 5120 (llama.cpp redondea n_ctx a un múltiplo de 256)",
        "× 34/32 bytes = ",
        "atención: puntuaciones KQ ",
        "capacidad: 64,0 GiB de memoria − 2,0 GiB de reserva para el sistema operativo = 62,0 GiB",
        "capacidad: la GPU puede reservar el 75 % de 512,0 GiB de memoria unificada",
        "de VRAM en 1 GPU; descargando en la CPU",
        "total = pesos 17,3 GiB + KV 24,0 GiB + cálculo 342,0 MiB + salida 593,5 KiB + runtime 150,0 MiB = 41,8 GiB",
        "--n-cpu-moe 30: los expertos enrutados de 30 capas, 10,2 GiB, se quedan en la RAM del sistema",
        "margen = 62,0 GiB − 41,8 GiB = 20,2 GiB",
    ] {
        assert!(all.contains(must), "missing {must:?}:\n{all}");
    }
    // English keeps the core's own lines.
    let (_, en, _) = run_in(
        "en",
        &[
            "fit",
            "qwen3-coder-30b-a3b",
            "--memory",
            "64GB",
            "--explain",
        ],
    );
    for must in [
        "  KV cache: 262,144 tokens × 48 layers × 4 KV heads × 128 × 2 (K,V) × 2 bytes = 24.0 GiB\n",
        "  compute: one 512-token micro-batch, 1 logits rows; the largest stage (FFN) is the buffer\n",
        "  compute: FFN: 8 of 128 experts × 768 wide + KQ mask = 342.0 MiB\n",
        "  capacity: 64.0 GiB memory − 2.0 GiB OS reserve = 62.0 GiB\n",
        "  headroom = 62.0 GiB − 41.8 GiB = 20.2 GiB\n",
    ] {
        assert!(en.contains(must), "missing {must:?}:\n{en}");
    }
}

/// The calibration and bench-history notes of `fit`'s and `curve`'s speed section in Spanish
/// on this machine (a recorded one): not calibrated, corrected by a stored run (whose
/// predictions missed), calibrated with that run left out; `--json` (the English notes) the
/// same bytes in both languages.
#[test]
fn speed_notes_in_spanish() {
    let data = tempfile::tempdir().unwrap();
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let run = |args: &[&str]| {
        common::ok(
            in_data(data.path())
                .env("CABE_MACHINE_ROOT", &machine)
                .args(args)
                .output()
                .unwrap(),
        )
    };
    let fit = ["fit", "llama-3.2-1b", "--ctx", "8192"];
    let curve = ["curve", "llama-3.2-1b", "--prompt-tokens-max", "8192"];
    // Each state: Spanish with no English left and holding `es_must`, English holding
    // `en_must`, and the JSON of both the same.
    let check = |es_must: &[&str], en_must: &[&str]| {
        for args in [&fit[..], &curve[..]] {
            let mut es_args = args.to_vec();
            es_args.extend(["--lang", "es"]);
            let es = run(&es_args);
            // This machine's detected summary ("…, 14.0 GiB RAM, CPU only") is not this
            // test's subject.
            let english = english_words(&es.replace("CPU only", ""));
            assert!(
                english.is_empty(),
                "cabe {args:?}: English left:\n{}\n{es}",
                english.join("\n")
            );
            let en = run(args);
            for must in es_must {
                assert!(es.contains(must), "cabe {args:?}: missing {must:?}:\n{es}");
            }
            for must in en_must {
                assert!(en.contains(must), "cabe {args:?}: missing {must:?}:\n{en}");
            }
            let mut json = args.to_vec();
            json.push("--json");
            let en_json = run(&json);
            json.extend(["--lang", "es"]);
            assert_eq!(
                en_json,
                run(&json),
                "cabe {json:?} differs between languages"
            );
        }
    };
    check(
        &["sin calibrar: ejecuta `cabe calibrate` para medir el ancho de banda y el cálculo de esta máquina"],
        &["not calibrated: run `cabe calibrate` to measure this machine's bandwidth and compute"],
    );

    // A stored run on this machine that decoded at 40% of the prediction.
    let name = common::json(
        in_data(data.path())
            .env("CABE_MACHINE_ROOT", &machine)
            .args(["fit", "llama-3.2-1b", "--json"])
            .output()
            .unwrap(),
    )["machine"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    {
        use cabe_bench::store::{Row, RunMeta, Store};
        let mut s = Store::open(&data.path().join("history.sqlite")).unwrap();
        let mut w = s
            .begin_run(&RunMeta {
                started_at: 1_795_442_709,
                machine: format!("this-machine: {name}"),
                backend: "cpu".into(),
                basis: "catalog".into(),
                server: "llama-server".into(),
                url: "http://127.0.0.1:8080".into(),
                server_version: None,
                model: "llama-3.2-1b".into(),
                model_source: None,
                quant: Some("Q4_K_M".into()),
                ctx: Some(8192),
                gen_tokens: 64,
            })
            .unwrap();
        w.add(&Row {
            target_tokens: 512,
            prompt_tokens: 509,
            prompt_ms: 509.0,
            gen_tokens: 64,
            gen_ms: 6400.0,
            prefill_tps: Some(1000.0),
            decode_tps: Some(10.0),
            predicted_prefill_tps: Some(1250.0),
            predicted_decode_tps: Some(25.0),
        })
        .unwrap();
        w.finish(1_795_442_739).unwrap();
    }
    check(
        &[
            "corregida con 1 ejecución medida: ×0,40 decodificación, ×0,80 prefill (`cabe history`)",
            "las predicciones se desviaron de las ejecuciones medidas (decodificación +150 %; + = predicción demasiado rápida)",
            "las cifras del catálogo no corresponden a esta máquina: `cabe calibrate` la mide",
        ],
        &["corrected by 1 measured run: ×0.40 decode, ×0.80 prefill (`cabe history`); the predictions missed the measured runs (decode +150%; + = predicted too fast), so the history corrects them; the catalog's figures do not match this machine: `cabe calibrate` measures it"],
    );

    // Calibrated: the run, predicted from the catalog's figures, is left out.
    run(&["calibrate", "--quick", "--threads", "2"]);
    check(
        &[
            "calibrada el ",
            "(una calibración rápida y aproximada): lectura de memoria de ",
            " GB/s en lugar de los 51,2 GB/s de la especificación, ",
            "(2 hilos)",
            "no se usa 1 ejecución de bench en esta máquina predichas con otras cifras",
        ],
        &[
            "(a quick, rough calibration): ",
            " GB/s memory read in place of 51.2 GB/s from the spec, ",
            "1 bench run was on this machine predicted from other figures (before the current calibration) not used: run `cabe bench` again",
        ],
    );
}
