//! Split models: a 3-shard model written from a small real fixture (as llama-gguf-split lays
//! it out: every shard carries split.no / split.count / split.tensors.count, shard 0 also
//! the model's metadata) is read back as one; a missing or inconsistent shard is an error.

mod common;

use cabe_gguf::{read_model, read_path, GgufError, SplitName, Value};
use common::GgufWriter;
use std::path::{Path, PathBuf};

/// Writes `prefix-0000K-of-00003.gguf` shards of the stories260K fixture into `dir`.
fn write_shards(dir: &Path, prefix: &str, edit: impl Fn(usize, &mut GgufWriter)) -> Vec<PathBuf> {
    let src =
        read_path(&common::fixtures_dir().join("python-gen-worker_stories260K.gguf")).unwrap();
    let whole = GgufWriter::from_file(&src);
    let n = whole.tensors.len();
    let chunks = [0..16, 16..32, 32..n];
    let mut paths = Vec::new();
    for (i, range) in chunks.into_iter().enumerate() {
        let mut w = GgufWriter::new();
        if i == 0 {
            w.kvs = whole.kvs.clone();
        }
        w = w
            .kv("split.no", Value::U16(i as u16))
            .kv("split.count", Value::U16(3))
            .kv("split.tensors.count", Value::I32(n as i32));
        w.tensors = whole.tensors[range].to_vec();
        edit(i, &mut w);
        let p = dir.join(format!("{prefix}-{:05}-of-00003.gguf", i + 1));
        std::fs::write(&p, w.to_bytes()).unwrap();
        paths.push(p);
    }
    paths
}

#[test]
fn three_shards_read_as_one_model() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_shards(dir.path(), "stories", |_, _| {});
    let src =
        read_path(&common::fixtures_dir().join("python-gen-worker_stories260K.gguf")).unwrap();
    for given in &paths {
        let m = read_model(given).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.paths, paths);
        assert_eq!(m.shards.len(), 3);
        assert_eq!(m.n_tensors(), 48);
        let names: Vec<&str> = m.tensors().map(|t| t.name.as_str()).collect();
        let expected: Vec<&str> = src.tensors.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, expected);
        for (a, b) in m.tensors().zip(&src.tensors) {
            assert_eq!(
                (&a.dims, a.ggml_type, a.n_bytes),
                (&b.dims, b.ggml_type, b.n_bytes)
            );
        }
        assert_eq!(m.params_total(), src.params_total());
        assert_eq!(m.params_total(), 292_800);
        assert_eq!(m.tensor_data_bytes(), src.tensor_data_bytes());
        let on_disk: u64 = paths.iter().map(|p| p.metadata().unwrap().len()).sum();
        assert_eq!(m.file_size(), on_disk);
        // Metadata comes from shard 0.
        assert_eq!(m.architecture(), Some("llama"));
        assert_eq!(m.get_u64("llama.block_count"), Some(5));
        assert_eq!(
            m.arch_key("embedding_length").and_then(Value::as_u64),
            Some(64)
        );
        assert_eq!(m.get_u64("split.count"), Some(3));
        assert_eq!(m.metadata().len(), src.metadata.len() + 3);
    }
}

#[test]
fn missing_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_shards(dir.path(), "m", |_, _| {});
    std::fs::remove_file(&paths[1]).unwrap();
    let e = read_model(&paths[0]).unwrap_err();
    assert!(
        matches!(&e, GgufError::MissingShard { shard: 2, count: 3, path } if path == &paths[1]),
        "{e}"
    );
    let msg = e.to_string();
    assert!(msg.contains("shard 2 of 3 is missing"), "{msg}");
    assert!(msg.contains("m-00002-of-00003.gguf"), "{msg}");
}

#[test]
fn inconsistent_shards_are_errors() {
    // split.no out of place.
    let dir = tempfile::tempdir().unwrap();
    let paths = write_shards(dir.path(), "a", |i, w| {
        if i == 2 {
            w.kvs.retain(|(k, _)| k != "split.no");
            w.kvs.push(("split.no".into(), Value::U16(1)));
        }
    });
    let e = read_model(&paths[0]).unwrap_err();
    assert!(
        matches!(&e, GgufError::SplitMismatch { path, .. } if path == &paths[2]),
        "{e}"
    );
    assert!(e.to_string().contains("split.no = 1, expected 2"), "{e}");
    // split.count disagrees with the name.
    let paths = write_shards(dir.path(), "b", |i, w| {
        if i == 1 {
            w.kvs.retain(|(k, _)| k != "split.count");
            w.kvs.push(("split.count".into(), Value::U16(4)));
        }
    });
    let e = read_model(&paths[0]).unwrap_err();
    assert!(e.to_string().contains("split.count = 4"), "{e}");
    // A tensor left out: split.tensors.count no longer matches.
    let paths = write_shards(dir.path(), "c", |i, w| {
        if i == 1 {
            w.tensors.pop();
        }
    });
    let e = read_model(&paths[0]).unwrap_err();
    assert!(e.to_string().contains("split.tensors.count = 48"), "{e}");
    // No split keys at all.
    let paths = write_shards(dir.path(), "d", |_, w| {
        w.kvs.retain(|(k, _)| !k.starts_with("split."));
    });
    let e = read_model(&paths[0]).unwrap_err();
    assert!(e.to_string().contains("has no split.count key"), "{e}");
    // An unreadable shard: the error names that shard's file.
    let paths = write_shards(dir.path(), "e", |_, _| {});
    std::fs::write(&paths[2], b"GGUF\x01\0\0\0").unwrap();
    let e = read_model(&paths[0]).unwrap_err();
    assert!(matches!(e.root(), GgufError::V1));
    assert!(
        e.to_string().starts_with(&paths[2].display().to_string()),
        "{e}"
    );
}

#[test]
fn single_files_and_names() {
    let fixture = common::fixtures_dir().join("ollama_llama-2-tiny-random.gguf");
    let m = read_model(&fixture).unwrap();
    assert_eq!(m.shards.len(), 1);
    assert_eq!(m.paths.len(), 1);
    assert_eq!(m.paths[0], fixture);
    assert_eq!(m.params_total(), 513_048);
    assert_eq!(m.file_size(), 1_750_560);
    assert_eq!(m.file_type(), Some(1));

    // "-00001-of-00001" without split keys is an ordinary single file.
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("x-00001-of-00001.gguf");
    std::fs::copy(&fixture, &one).unwrap();
    assert_eq!(read_model(&one).unwrap().shards.len(), 1);

    assert_eq!(
        SplitName::parse("Qwen3-30B-A3B-Q4_K_M-00002-of-00003.gguf"),
        Some(SplitName {
            prefix: "Qwen3-30B-A3B-Q4_K_M".into(),
            shard: 2,
            count: 3
        })
    );
    let sn = SplitName::parse("a-00001-of-00012.gguf").unwrap();
    assert_eq!(sn.file_name(12), "a-00012-of-00012.gguf");
    for bad in [
        "model.gguf",
        "model-1-of-3.gguf",
        "model-00004-of-00003.gguf",
        "model-00000-of-00003.gguf",
        "-00001-of-00003.gguf",
        "model-00001-of-00003.bin",
    ] {
        assert_eq!(SplitName::parse(bad), None, "{bad}");
    }

    // A missing file: the error names it.
    let e = read_model(&dir.path().join("nope.gguf")).unwrap_err();
    assert!(matches!(e.root(), GgufError::Open(_)), "{e}");
    assert!(e.to_string().contains("nope.gguf"), "{e}");
}
