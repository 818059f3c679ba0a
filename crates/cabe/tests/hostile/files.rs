//! Model files and Ollama stores.

use super::*;

fn gguf_fixture() -> PathBuf {
    cabe_testkit::fixture_path("gguf/ollama_llama-2-tiny-random.gguf")
}

/// GGUF v3 magic, version and the two counts.
fn gguf_head(n_tensors: u64, n_kv: u64) -> Vec<u8> {
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(n_tensors.to_le_bytes());
    b.extend(n_kv.to_le_bytes());
    b
}

/// One KV `general.name` whose string claims `len` bytes.
fn gguf_long_string(len: u64) -> Vec<u8> {
    let mut b = gguf_head(0, 1);
    let key = b"general.name";
    b.extend((key.len() as u64).to_le_bytes());
    b.extend(key);
    b.extend(8u32.to_le_bytes()); // GGUF_TYPE_STRING
    b.extend(len.to_le_bytes());
    b.extend(b"only a few bytes follow");
    b
}

/// A safetensors file: the 8-byte header length, then `json`.
fn safetensors(claimed_len: u64, json: &[u8]) -> Vec<u8> {
    let mut b = claimed_len.to_le_bytes().to_vec();
    b.extend(json);
    b
}

/// A model file for the three readers, with what each must say.
struct Case<'a> {
    name: &'a str,
    path: PathBuf,
    /// `cabe inspect` and `cabe fit` (both read the path as a GGUF).
    read: Expect<'a>,
    scan: Expect<'a>,
}

#[test]
fn hostile_model_files_fail_fast_small_and_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path().join("in");
    std::fs::create_dir(&d).unwrap();
    let put = |rel: &str, bytes: &[u8]| {
        let p = d.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    };

    let fifo = d.join("fifo.gguf");
    mkfifo(&fifo);
    let dir = d.join("dir.gguf");
    std::fs::create_dir(&dir).unwrap();
    let link = d.join("link-to-zero.gguf");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let empty = put("empty.gguf", b"");
    let real = std::fs::read(gguf_fixture()).unwrap();
    // Cut inside the metadata (the tokenizer arrays), well before the tensor infos.
    let truncated = put("truncated.gguf", &real[..real.len() / 3]);
    let counts = put("counts.gguf", &gguf_head(1 << 63, 1 << 63));
    let long_small = put("long-string.gguf", &gguf_long_string(1 << 40));
    // The same string in a file big enough to hold it (a sparse file): the string cap, not the
    // file's end, must refuse it, before 1 TiB is allocated or read.
    let long_sparse = put("long-string-sparse.gguf", &gguf_long_string(1 << 40));
    let sparse_len = [1u64 << 41, 1 << 34]
        .into_iter()
        .find(|&n| {
            std::fs::OpenOptions::new()
                .write(true)
                .open(&long_sparse)
                .and_then(|f| f.set_len(n))
                .is_ok()
        })
        .expect("a sparse file of 16 GiB or more");
    // safetensors shards, each in its own folder beside a config.json (scan reads the config
    // first, then the headers).
    let st_huge = put("st-huge/model.safetensors", &safetensors(1 << 60, b"{}"));
    put("st-huge/config.json", b"{}");
    let st_json = put("st-json/model.safetensors", &safetensors(9, b"{not json"));
    put("st-json/config.json", b"{}");
    let st_fifo_dir = d.join("st-fifo");
    std::fs::create_dir(&st_fifo_dir).unwrap();
    put("st-fifo/config.json", b"{}");
    let st_ok = put("st-fifo/a.safetensors", &safetensors(2, b"{}"));
    mkfifo(&st_fifo_dir.join("b.safetensors"));

    let not_gguf = "not a GGUF file";
    let cases = [
        Case {
            name: "FIFO named .gguf",
            path: fifo.clone(),
            read: Expect::Error("fifo.gguf is a named pipe (FIFO), not a file"),
            // `cabe scan` takes folders and files; what is neither is refused up front.
            scan: Expect::Error("fifo.gguf is a named pipe (FIFO), not a file or folder"),
        },
        Case {
            name: "/dev/zero",
            path: "/dev/zero".into(),
            read: Expect::Error("/dev/zero is a character device, not a file"),
            scan: Expect::Error("/dev/zero is a character device"),
        },
        Case {
            name: "/dev/urandom",
            path: "/dev/urandom".into(),
            read: Expect::Error("/dev/urandom is a character device, not a file"),
            scan: Expect::Error("/dev/urandom is a character device"),
        },
        Case {
            name: "symlink to /dev/zero",
            path: link.clone(),
            read: Expect::Error("link-to-zero.gguf is a character device, not a file"),
            scan: Expect::Error("link-to-zero.gguf is a character device"),
        },
        Case {
            name: "directory named .gguf",
            path: dir.clone(),
            read: Expect::Error("dir.gguf is a directory, not a file"),
            // A folder is what scan searches: an empty one holds no models.
            scan: Expect::Quiet("no models found"),
        },
        Case {
            name: "empty file",
            path: empty.clone(),
            read: Expect::Error("truncated GGUF: needed 4 bytes at offset 0, file has 0"),
            scan: Expect::Skipped("truncated GGUF: needed 4 bytes at offset 0"),
        },
        Case {
            name: "truncated GGUF (a third of a real file)",
            path: truncated.clone(),
            read: Expect::Error("truncated.gguf: "),
            scan: Expect::Skipped("truncated.gguf: "),
        },
        Case {
            name: "GGUF claiming 2^63 tensors and 2^63 KVs",
            path: counts.clone(),
            read: Expect::Error("claims 9223372036854775808 metadata key-value pairs"),
            scan: Expect::Skipped("claims 9223372036854775808 metadata key-value pairs"),
        },
        Case {
            name: "GGUF string of 2^40 bytes (small file)",
            path: long_small.clone(),
            read: Expect::Error("string length 1099511627776 at offset 48"),
            scan: Expect::Skipped("exceeds the 23 bytes left in the file"),
        },
        Case {
            name: "GGUF string of 2^40 bytes (sparse file)",
            path: long_sparse.clone(),
            read: Expect::Error("exceeds the limit of 1073741824 bytes"),
            scan: Expect::Skipped("exceeds the limit of 1073741824 bytes"),
        },
        Case {
            name: "safetensors header length 2^60",
            path: st_huge.clone(),
            read: Expect::Error(not_gguf),
            scan: Expect::Skipped(
                "header of 1152921504606846976 bytes is over the format's 100000000-byte limit",
            ),
        },
        Case {
            name: "safetensors header not JSON",
            path: st_json.clone(),
            read: Expect::Error(not_gguf),
            scan: Expect::Skipped("safetensors: header is not JSON"),
        },
        Case {
            name: "safetensors shard beside a FIFO shard",
            path: st_ok.clone(),
            read: Expect::Error(not_gguf),
            scan: Expect::Skipped("b.safetensors is a named pipe (FIFO), not a file"),
        },
    ];

    let mut report = Vec::new();
    for c in &cases {
        let inspect = run(home.path(), &with_path(&["inspect"], &c.path, &[]));
        report.push(check(&format!("inspect  {}", c.name), &inspect, &c.read));
        let fit = run(
            home.path(),
            &with_path(&["fit"], &c.path, &["--memory", "16GB"]),
        );
        report.push(check(&format!("fit      {}", c.name), &fit, &c.read));
        let machine = cabe_testkit::fixtures_dir().join("machines/ci-no-gpu");
        let mut args = with_path(&["scan"], &c.path, &["--root"]);
        args.push(machine.into());
        let scan = run(home.path(), &args);
        report.push(check(&format!("scan     {}", c.name), &scan, &c.scan));
    }

    // A folder holding a FIFO and a device link among its models: the walk takes neither for
    // a model, and does not block on the FIFO.
    let mut args = with_path(&["scan"], &d, &["--root"]);
    args.push(
        cabe_testkit::fixtures_dir()
            .join("machines/ci-no-gpu")
            .into(),
    );
    let o = run(home.path(), &args);
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.elapsed < MAX_TIME && o.max_rss_kib < MAX_RSS_KIB);
    for l in &lines {
        assert!(l.starts_with("skipped: "), "{}", o.stderr);
        assert!(
            !l.contains("fifo.gguf") && !l.contains("link-to-zero"),
            "{}",
            o.stderr
        );
    }
    for name in [
        "empty.gguf",
        "truncated.gguf",
        "counts.gguf",
        "long-string.gguf",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("skipped: {name}: "))),
            "{name}: {}",
            o.stderr
        );
    }
    report.push(format!(
        "{:<58} exit {:>2}  {:>6.1} ms  {:>6} KiB",
        "scan     the whole folder",
        o.code,
        o.elapsed.as_secs_f64() * 1e3,
        o.max_rss_kib
    ));
    eprintln!("(sparse file: {sparse_len} bytes)\n{}", report.join("\n"));
}

/// The measuring harness itself: a good file passes through the same runner (exit 0, output,
/// nothing on stderr), so the failures above are the inputs', not the harness's.
#[test]
fn the_harness_sees_a_good_file_succeed() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &with_path(&["inspect"], &gguf_fixture(), &[]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("GGUF v3"), "{}", o.stdout);
    assert!(o.max_rss_kib > 0 && o.max_rss_kib < MAX_RSS_KIB);
    // The plain helper agrees.
    let (code, out, _) = common::cabe(&["inspect", gguf_fixture().to_str().unwrap()]);
    assert_eq!((code, out), (0, o.stdout));
}

/// Ollama's store read by `cabe doctor --models-dir`: a manifest that is not JSON, one whose
/// model blob is a FIFO, one whose blob is a cut GGUF, one whose params layer is a FIFO.
#[test]
fn hostile_ollama_stores_fail_fast_small_and_in_one_line() {
    let home = tempfile::tempdir().unwrap();
    let store = |tag: &str| -> (PathBuf, PathBuf) {
        let m = home.path().join(format!("models-{tag}"));
        let man = m.join("manifests/registry.ollama.ai/library/m/latest");
        std::fs::create_dir_all(man.parent().unwrap()).unwrap();
        std::fs::create_dir_all(m.join("blobs")).unwrap();
        (m, man)
    };
    let digest = "a".repeat(64);
    let manifest = format!(
        r#"{{"schemaVersion":2,"layers":[{{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{digest}","size":100}}]}}"#
    );
    let blob = |m: &Path| m.join("blobs").join(format!("sha256-{digest}"));

    let (broken, man) = store("broken");
    std::fs::write(&man, "{not json").unwrap();
    let (fifo, man) = store("fifo");
    std::fs::write(&man, &manifest).unwrap();
    mkfifo(&blob(&fifo));
    let (cut, man) = store("cut");
    std::fs::write(&man, &manifest).unwrap();
    let real = std::fs::read(gguf_fixture()).unwrap();
    std::fs::write(blob(&cut), &real[..100]).unwrap();

    // A good model whose params layer is a FIFO: opening it blocked doctor for good. A broken
    // small layer is a finding, not the end of the diagnosis.
    let (params_fifo, man) = store("params-fifo");
    let params = "b".repeat(64);
    std::fs::write(
        &man,
        format!(
            r#"{{"schemaVersion":2,"layers":[{{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{digest}","size":{}}},{{"mediaType":"application/vnd.ollama.image.params","digest":"sha256:{params}","size":10}}]}}"#,
            real.len()
        ),
    )
    .unwrap();
    std::fs::write(blob(&params_fifo), &real).unwrap();
    mkfifo(&params_fifo.join("blobs").join(format!("sha256-{params}")));

    let fifo_msg = "is a named pipe (FIFO), not a file";
    let mut report = Vec::new();
    for (label, m, want) in [
        (
            "manifest not JSON",
            &broken,
            Expect::Error("not a manifest"),
        ),
        ("model blob a FIFO", &fifo, Expect::Error(fifo_msg)),
        (
            "model blob a cut GGUF",
            &cut,
            Expect::Error("not a readable GGUF"),
        ),
        ("params layer a FIFO", &params_fifo, Expect::Quiet(fifo_msg)),
    ] {
        let mut args = os(&[
            "doctor",
            "m",
            "--offline",
            "--memory",
            "16GB",
            "--models-dir",
        ]);
        args.push(m.into());
        let o = run(home.path(), &args);
        report.push(check(&format!("doctor   {label}"), &o, &want));
    }
    eprintln!("{}", report.join("\n"));
}
