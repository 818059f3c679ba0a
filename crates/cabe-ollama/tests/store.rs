//! The on-disk store, laid out exactly as Ollama writes it (manifest + content-addressed blobs,
//! the model blob a real-shaped sparse GGUF), and broken variants of it.

use cabe_ollama::name::ModelName;
use cabe_ollama::store::{Store, StoreError};
use cabe_ollama::testkit::{self, StoreBuilder, MT_MODEL, MT_PARAMS};
use std::fs;
use std::path::{Path, PathBuf};

fn cache() -> Option<&'static Path> {
    Some(Path::new(env!("CARGO_TARGET_TMPDIR")))
}

fn issue_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("models");
    testkit::issue_store(&root, cache());
    (dir, root)
}

fn name(s: &str) -> ModelName {
    ModelName::parse(s).unwrap()
}

#[test]
fn issue_store_reads_back_with_params_and_a_real_shaped_gguf() {
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    assert_eq!(
        store.list().iter().map(|n| n.short()).collect::<Vec<_>>(),
        ["qwen3-coder:30b-v-128k"]
    );
    let m = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    assert!(m.problems.is_empty(), "{:?}", m.problems);
    assert_eq!(m.num_ctx(), Some(131_072));
    assert!(m.template.as_deref().unwrap().contains("<|im_start|>"));
    assert!(m.license.is_some());
    assert_eq!(m.config.as_ref().unwrap()["model_family"], "qwen3moe");
    // The blob is the sparse GGUF: manifest size = file size, ~18.5 GB like the real
    // qwen3-coder:30b blob (18,556,688,736 bytes in the registry manifest fixture).
    assert_eq!(m.model.size, m.model.file_size);
    assert!(
        (17.5e9..19.5e9).contains(&(m.model.size as f64)),
        "{}",
        m.model.size
    );
    assert!(m.model.path.ends_with(m.model.digest.replace(':', "-")));
    let f = cabe_gguf::read_path(&m.model.path).unwrap();
    assert_eq!(f.architecture(), Some("qwen3moe"));
    assert_eq!(
        f.arch_key("context_length").unwrap().as_u64(),
        Some(262_144)
    );
    let spec = cabe_gguf::spec::model_spec(&f, &f.tensors).unwrap();
    assert_eq!(spec.n_layer(), 48);
    assert_eq!(spec.native_ctx, 262_144);
    assert!(spec.is_moe());
    assert_eq!(spec.n_vocab, 151_936);
}

#[test]
fn blob_digests_match_their_contents() {
    use sha2::Digest;
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    let m = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    // The model blob is its header then a hole to the full length; its digest was computed by
    // hashing that file (every byte) and cached by the header's hash and the length, so the
    // same header and length give the same digest here.
    let f = cabe_gguf::read_path(&m.model.path).unwrap();
    let header = {
        use std::io::Read;
        let mut h = vec![0u8; f.data_offset as usize];
        fs::File::open(&m.model.path)
            .unwrap()
            .read_exact(&mut h)
            .unwrap();
        h
    };
    let hex = testkit::sparse_digest(&m.model.path, &header, m.model.file_size, cache());
    assert_eq!(format!("sha256:{hex}"), m.model.digest);
    // The small blobs, hashed here.
    for l in &m.manifest.layers {
        if l.media_type != MT_MODEL {
            let b = fs::read(store.blob_path(&l.digest).unwrap()).unwrap();
            assert_eq!(format!("sha256:{:x}", sha2::Sha256::digest(&b)), l.digest);
        }
    }
    // And the hashing itself, on a small sparse file.
    let p = root.join("probe");
    fs::write(&p, b"GGUF").unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(&p)
        .unwrap()
        .set_len(1 << 20)
        .unwrap();
    let mut want = sha2::Sha256::new();
    want.update(b"GGUF");
    want.update(vec![0u8; (1 << 20) - 4]);
    assert_eq!(testkit::file_sha256(&p), format!("{:x}", want.finalize()));
}

#[test]
fn names_resolve_with_defaults_and_case() {
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    assert!(store
        .read(&name("registry.ollama.ai/library/qwen3-coder:30b-v-128k"))
        .is_ok());
    assert!(store.read(&name("Qwen3-Coder:30B-V-128K")).is_ok());
    let e = store.read(&name("qwen3-coder")).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, StoreError::NotFound { .. }));
    assert!(
        msg.contains("qwen3-coder:latest is not in the Ollama store"),
        "{msg}"
    );
    assert!(
        msg.contains("tags of qwen3-coder there: qwen3-coder:30b-v-128k"),
        "{msg}"
    );
}

#[test]
fn broken_manifests_are_one_line_errors() {
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    let mpath = root.join("manifests/registry.ollama.ai/library/qwen3-coder/30b-v-128k");
    let good = fs::read(&mpath).unwrap();
    for (bytes, want) in [
        (b"{not json".to_vec(), "not a manifest"),
        (b"{}".to_vec(), "not a manifest"),
        (
            br#"{"schemaVersion":1,"config":null,"layers":[]}"#.to_vec(),
            "schemaVersion 1",
        ),
        (
            br#"{"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:../../x","size":1}]}"#.to_vec(),
            "invalid digest",
        ),
        (
            br#"{"schemaVersion":2,"layers":[]}"#.to_vec(),
            "has no model layer",
        ),
        // A media type and a digest that hold newlines are shown escaped.
        (
            br#"{"schemaVersion":2,"layers":[{"mediaType":"a\nb","digest":"sha256:\r\nx","size":1}]}"#.to_vec(),
            r"layer a\nb has an invalid digest 'sha256:\r\nx'",
        ),
    ] {
        fs::write(&mpath, &bytes).unwrap();
        let e = store.read(&name("qwen3-coder:30b-v-128k")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(want), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
    }
    fs::write(&mpath, good).unwrap();
    assert!(store.read(&name("qwen3-coder:30b-v-128k")).is_ok());
}

#[test]
fn missing_model_blob_is_an_error_and_other_layers_are_problems() {
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    let m = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    // A params blob that is gone, and a template that does not match its digest.
    let params = m
        .manifest
        .layers
        .iter()
        .find(|l| l.media_type == MT_PARAMS)
        .unwrap();
    fs::remove_file(store.blob_path(&params.digest).unwrap()).unwrap();
    let tpl = m
        .manifest
        .layers
        .iter()
        .find(|l| l.media_type.ends_with("template"))
        .unwrap();
    fs::write(store.blob_path(&tpl.digest).unwrap(), b"tampered").unwrap();
    let m2 = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    assert_eq!(m2.num_ctx(), None);
    assert_eq!(m2.problems.len(), 2, "{:?}", m2.problems);
    assert!(m2.problems.iter().any(|p| p.problem.contains("is missing")));
    assert!(m2
        .problems
        .iter()
        .any(|p| p.problem.contains("does not match its digest")));
    // The model blob itself.
    fs::remove_file(&m.model.path).unwrap();
    let e = store.read(&name("qwen3-coder:30b-v-128k")).unwrap_err();
    assert!(matches!(e, StoreError::MissingModelBlob { .. }), "{e}");
    assert!(e.to_string().contains("ollama pull qwen3-coder:30b-v-128k"));
}

#[test]
fn truncated_model_blob_is_a_problem() {
    let (_d, root) = issue_store();
    let store = Store::new(&root);
    let m = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(&m.model.path)
        .unwrap()
        .set_len(m.model.size / 2)
        .unwrap();
    let m2 = store.read(&name("qwen3-coder:30b-v-128k")).unwrap();
    assert!(
        m2.problems[0].problem.contains("an interrupted pull"),
        "{:?}",
        m2.problems
    );
}

#[test]
fn real_registry_manifests_parse_from_a_store() {
    // tests/fixtures/ollama/manifests (josh/ollama-models-nix; pretty-printed copies of
    // what Ollama stores compactly): laid into a store, their blobs absent.
    let dir = tempfile::tempdir().unwrap();
    let b = StoreBuilder::new(dir.path());
    for (model, tag) in [
        ("qwen3-coder", "30b"),
        ("llava", "latest"),
        ("tinyllama", "latest"),
    ] {
        let text = cabe_testkit::fixture_text(&format!(
            "ollama/manifests/registry.ollama.ai/library/{model}/{tag}.json"
        ));
        let p = b.root.join(format!(
            "manifests/registry.ollama.ai/library/{model}/{tag}"
        ));
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
    }
    let store = Store::new(dir.path());
    assert_eq!(store.list().len(), 3);
    let e = store.read(&name("qwen3-coder:30b")).unwrap_err();
    assert!(
        e.to_string()
            .contains("sha256-1194192cf2a187eb02722edcc3f77b11d21f537048ce04b67ccf8ba78863006a"),
        "{e}"
    );
    // With a (tiny, wrong-size) model blob in place the projector layer of llava is seen.
    let llava = fs::read_to_string(
        dir.path()
            .join("manifests/registry.ollama.ai/library/llava/latest"),
    )
    .unwrap();
    let m: cabe_ollama::store::Manifest = serde_json::from_str(&llava).unwrap();
    let model = m.layers.iter().find(|l| l.media_type == MT_MODEL).unwrap();
    fs::write(store.blob_path(&model.digest).unwrap(), b"GGUF").unwrap();
    let r = store.read(&name("llava")).unwrap();
    assert!(r
        .problems
        .iter()
        .any(|p| p.media_type.ends_with("projector") && p.problem.contains("missing")));
    assert!(r
        .problems
        .iter()
        .any(|p| p.problem.contains("interrupted pull")));
}

#[test]
fn no_store_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::new(dir.path().join("nope"))
        .read(&name("x"))
        .unwrap_err();
    assert!(matches!(e, StoreError::NoStore(_)));
    assert!(e.to_string().contains("OLLAMA_MODELS"));
}
