//! `cabe bench` in Spanish.

use super::*;

/// `cabe bench` against fake llama-server and Ollama servers, in Spanish: the table, the notes
/// (not calibrated, capped sizes, stored, corrected by the history), no English left; `--json`
/// the same bytes in both languages; its errors (flags, a server that is down, one that hangs)
/// in one Spanish line.
#[test]
fn bench_in_spanish() {
    use cabe_testkit::fake_llm::{llama_server, ollama, FakeRates};
    use cabe_testkit::{fixture_path, fixture_text, Reply, TestServer};
    let rates = FakeRates {
        prefill: 1400.0,
        decode: 40.0,
    };
    let data = tempfile::tempdir().unwrap();
    let machine = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/machines/intel-i5-1035g1-laptop");
    let cabe = |args: &[&str]| {
        let mut c = in_data(data.path());
        c.env("CABE_MACHINE_ROOT", &machine)
            .env_remove("OLLAMA_HOST")
            .args(args);
        c
    };
    let check = |args: &[&str], out: &str| {
        // The detected machine's name (its history key) ends "…, CPU only".
        let english = english_words(&out.replace("CPU only", ""));
        assert!(
            english.is_empty(),
            "cabe {args:?}: English left:\n{}\n{out}",
            english.join("\n")
        );
    };
    let gguf = fixture_path("gguf/python-gen-worker_stories260K.gguf")
        .display()
        .to_string();
    let llama = TestServer::start(llama_server(&gguf, 4096, rates));
    let show = fixture_text("ollama/api_show_qwen3-1.7b.json");
    let olla = TestServer::start(ollama("qwen3:1.7b", show, rates));
    let runs: Vec<Vec<&str>> = vec![
        vec!["bench", "--url", &llama.url, "--prompt-sizes", "512,2k,8k"],
        vec!["bench", "--url", &llama.url, "--prompt-sizes", "512"],
        vec![
            "bench",
            "--url",
            &olla.url,
            "--model",
            "qwen3:1.7b",
            "--prompt-sizes",
            "512,1k",
            "--ctx",
            "2048",
        ],
    ];
    let mut last = String::new();
    for r in &runs {
        let mut args = r.clone();
        args.extend(["--gen-tokens", "8", "--lang", "es"]);
        last = common::ok(cabe(&args).output().unwrap());
        check(&args, &last);
        assert!(last.contains("previsto para"), "{last}");
        assert!(last.contains("decodificación tok/s"), "{last}");
        assert!(last.contains("guardada como ejecución"), "{last}");
        // English the same as before: the table's words.
        let mut json = r.clone();
        json.extend(["--gen-tokens", "8", "--no-save", "--json"]);
        let en = common::ok(cabe(&json).output().unwrap());
        json.extend(["--lang", "es"]);
        let es = common::ok(cabe(&json).output().unwrap());
        assert_eq!(en, es, "cabe {json:?}: --json differs between languages");
    }
    assert!(last.contains("se corrigen con"), "{last}");
    assert!(last.contains("sin calibrar"), "{last}");
    let first = common::ok(
        cabe(&[
            "bench",
            "--url",
            &llama.url,
            "--prompt-sizes",
            "512,8k",
            "--gen-tokens",
            "8",
            "--no-save",
            "--lang",
            "es",
        ])
        .output()
        .unwrap(),
    );
    assert!(
        first.contains("superan el contexto de 4096 tokens"),
        "{first}"
    );
    assert!(first.contains("1400,0"), "decimal comma: {first}");
    check(&["bench"], &first);
    let en = common::ok(
        cabe(&[
            "bench",
            "--url",
            &llama.url,
            "--prompt-sizes",
            "512",
            "--gen-tokens",
            "8",
            "--no-save",
        ])
        .output()
        .unwrap(),
    );
    assert!(
        en.contains("prefill tok/s") && en.contains("not stored (--no-save)"),
        "{en}"
    );

    // Errors: one Spanish line each.
    let hung = TestServer::start(|_r| Reply::Hang);
    let dead = format!("http://127.0.0.1:{}", port());
    for (args, want) in [
        (
            vec!["bench", "--prompt-sizes", "abc"],
            "'abc' no es un número de tokens",
        ),
        (vec!["bench", "--prompt-sizes", "0"], "fuera de rango"),
        (
            vec!["bench", "--gen-tokens", "0"],
            "--gen-tokens debe estar",
        ),
        (vec!["bench", "--url", &dead], "ningún servidor responde en"),
        (
            vec![
                "bench",
                "--url",
                &hung.url,
                "--server",
                "llama-server",
                "--timeout",
                "1s",
            ],
            "no respondió a GET /props en 1 s (colgado, o aún cargando el modelo)",
        ),
    ] {
        let mut a = args.clone();
        a.extend(["--lang", "es"]);
        let out = cabe(&a).output().unwrap();
        assert!(!out.status.success(), "{a:?}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.trim().lines().count(), 1, "{a:?}: {err}");
        assert!(err.contains(want), "{a:?}: {err}");
        check(&a, err.trim().trim_start_matches("cabe: error: "));
    }
}
