//! Finding models in the stores people have: an Ollama store, a Hugging Face hub cache (GGUF
//! and safetensors, as symlinks into blobs/), an LM Studio folder, split GGUF files.

use cabe_scan::locate::{classify, discover, Root};
use cabe_scan::synth::{write_gguf, SynthModel};
use cabe_scan::{read_local, Format, Store};
use std::path::Path;

fn mkdir(p: &Path) {
    std::fs::create_dir_all(p).unwrap();
}

/// An Ollama store laid out as Ollama writes it, with the layer list of a real registry
/// manifest (tinyllama:latest, tests/fixtures/ollama/manifests) and our own model blob.
fn ollama_store(root: &Path) {
    let models = root.join("ollama/models");
    let man = models.join("manifests/registry.ollama.ai/library/tiny");
    mkdir(&man);
    mkdir(&models.join("blobs"));
    let digest = "2af3b81862c6be03c769683af18efdadb2c33f60ff32ab6f83e42c043d6c7816";
    write_gguf(
        &models.join(format!("blobs/sha256-{digest}")),
        &SynthModel::small("tiny"),
    )
    .unwrap();
    std::fs::write(
        man.join("latest"),
        format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
            "config":{{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:6331358be52a6ebc2fd0755a51ad1175734fd17a628ab5ea6897109396245362","size":483}},
            "layers":[{{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{digest}","size":637699456}},
            {{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:af0ddbdaaa26f30d54d727f9dd944b76bdb926fdaf9a58f63f78c532f57c191f","size":70}}]}}"#
        ),
    )
    .unwrap();
    // A user namespace, and a cloud model with no weights on disk.
    let user = models.join("manifests/registry.ollama.ai/someone/other");
    mkdir(&user);
    std::fs::write(
        user.join("q4"),
        format!(r#"{{"layers":[{{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{digest}"}}]}}"#),
    )
    .unwrap();
    std::fs::write(
        models.join("manifests/registry.ollama.ai/library/tiny/cloud"),
        r#"{"layers":[{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:00"}]}"#,
    )
    .unwrap();
}

#[cfg(unix)]
fn hf_cache(root: &Path) {
    use std::os::unix::fs::symlink;
    let repo = root.join("hub/models--someorg--Tiny-GGUF");
    mkdir(&repo.join("blobs"));
    mkdir(&repo.join("refs"));
    let snap = repo.join("snapshots/abc123");
    mkdir(&snap);
    std::fs::write(repo.join("refs/main"), "abc123").unwrap();
    write_gguf(&repo.join("blobs/b1"), &SynthModel::small("tiny-q4")).unwrap();
    symlink("../../blobs/b1", snap.join("tiny-Q4_K_M.gguf")).unwrap();
    // An old snapshot refs/main no longer points at: not listed.
    mkdir(&repo.join("snapshots/old999"));
    symlink(
        "../../blobs/b1",
        repo.join("snapshots/old999/tiny-old.gguf"),
    )
    .unwrap();
}

#[test]
fn ollama_store_by_manifest() {
    let dir = tempfile::tempdir().unwrap();
    ollama_store(dir.path());
    let models = dir.path().join("ollama/models");
    assert_eq!(classify(&models), Store::Ollama);
    let mut errors = Vec::new();
    let found = discover(
        &Root {
            path: models,
            store: Store::Ollama,
        },
        8,
        &mut errors,
    );
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["tiny:latest", "someone/other:q4"], "{errors:?}");
    let m = read_local(&found[0]).unwrap();
    assert_eq!(m.architecture, "llama");
    assert_eq!(m.quant, "Q4_K_M");
    assert_eq!(m.native_ctx, 8192);
    // Header only: one 64 KiB step at most.
    assert!(m.bytes_read <= 64 << 10, "{}", m.bytes_read);
}

#[cfg(unix)]
#[test]
fn hf_cache_follows_refs_main_and_file_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    hf_cache(dir.path());
    let hub = dir.path().join("hub");
    assert_eq!(classify(&hub), Store::HuggingFace);
    let mut errors = Vec::new();
    let found = discover(
        &Root {
            path: hub,
            store: Store::HuggingFace,
        },
        8,
        &mut errors,
    );
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["someorg/Tiny-GGUF/tiny-Q4_K_M.gguf"]);
    assert_eq!(read_local(&found[0]).unwrap().spec.n_layer(), 4);
}

#[test]
fn folders_split_files_projectors_and_safetensors() {
    let dir = tempfile::tempdir().unwrap();
    let lm = dir.path().join("lmstudio/someone/Repo-GGUF");
    mkdir(&lm);
    write_gguf(
        &lm.join("m-00001-of-00002.gguf"),
        &SynthModel::small("split"),
    )
    .unwrap();
    write_gguf(
        &lm.join("m-00002-of-00002.gguf"),
        &SynthModel::small("split"),
    )
    .unwrap();
    write_gguf(
        &lm.join("mmproj-model-f16.gguf"),
        &SynthModel::small("proj"),
    )
    .unwrap();
    write_gguf(&lm.join("single.gguf"), &SynthModel::small("single")).unwrap();
    std::fs::write(lm.join("README.md"), "hi").unwrap();
    let mut errors = Vec::new();
    let found = discover(
        &Root {
            path: dir.path().join("lmstudio"),
            store: Store::LmStudio,
        },
        8,
        &mut errors,
    );
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "someone/Repo-GGUF/m-00001-of-00002.gguf",
            "someone/Repo-GGUF/single.gguf"
        ]
    );
    // Both shards' headers are read for a split model.
    let split = read_local(&found[0]).unwrap();
    assert_eq!(
        split.file_bytes,
        2 * read_local(&found[1]).unwrap().file_bytes
    );
    // Depth 0: nothing below the root.
    let none = discover(
        &Root {
            path: dir.path().join("lmstudio"),
            store: Store::LmStudio,
        },
        0,
        &mut errors,
    );
    assert!(none.is_empty());
}

#[test]
fn safetensors_folder_is_one_model_with_exact_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("Tiny-Llama-HF");
    mkdir(&m);
    // Two shards of one model.
    let shard = |file: &str, tensors: &[(&str, &[u64])]| {
        let mut off = 0u64;
        let mut json = String::from("{");
        for (i, (n, s)) in tensors.iter().enumerate() {
            let b = s.iter().product::<u64>() * 2;
            if i > 0 {
                json.push(',');
            }
            json.push_str(&format!(
                "\"{n}\":{{\"dtype\":\"BF16\",\"shape\":{s:?},\"data_offsets\":[{off},{}]}}",
                off + b
            ));
            off += b;
        }
        json.push('}');
        let p = m.join(file);
        let mut bytes = (json.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(json.as_bytes());
        std::fs::write(&p, &bytes).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(bytes.len() as u64 + off).unwrap();
        off
    };
    let a = shard(
        "model-00001-of-00002.safetensors",
        &[
            ("model.embed_tokens.weight", &[1000, 256]),
            ("model.layers.0.mlp.up_proj.weight", &[512, 256]),
        ],
    );
    let b = shard(
        "model-00002-of-00002.safetensors",
        &[("lm_head.weight", &[1000, 256])],
    );
    std::fs::write(
        m.join("config.json"),
        r#"{"model_type":"llama","hidden_size":256,"intermediate_size":512,"num_hidden_layers":1,
        "num_attention_heads":4,"vocab_size":1000,"max_position_embeddings":4096}"#,
    )
    .unwrap();
    let mut errors = Vec::new();
    let found = discover(
        &Root {
            path: dir.path().to_path_buf(),
            store: Store::Folder,
        },
        4,
        &mut errors,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].format, Format::Safetensors);
    assert_eq!(found[0].files.len(), 2);
    let s = read_local(&found[0]).unwrap();
    assert_eq!(s.weights.bytes, a + b);
    assert_eq!(
        s.weights.params_total,
        (1000 * 256 + 512 * 256 + 1000 * 256) as u64
    );
    // Untied: the input embedding is not read per token.
    assert_eq!(s.weights.bytes_active, (512 * 256 + 1000 * 256) * 2);
    assert_eq!(s.native_ctx, 4096);
    assert_eq!(s.quant, "BF16");
}

#[test]
fn broken_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk.gguf"), b"GGUF\x03\x00\x00\x00garbage").unwrap();
    std::fs::write(dir.path().join("empty.gguf"), b"").unwrap();
    let mut errors = Vec::new();
    let found = discover(
        &Root {
            path: dir.path().to_path_buf(),
            store: Store::Folder,
        },
        2,
        &mut errors,
    );
    assert_eq!(found.len(), 2);
    for c in &found {
        assert!(read_local(c).is_err());
    }
}
