//! Test support (feature `testkit`): a small GGUF writer and an Ollama store laid out exactly
//! as Ollama writes it. (The test HTTP servers are in the `cabe-testkit` crate.) Not part of
//! the public API's stability promise.

use crate::store::{Layer, Manifest};
use cabe_core::ftype_mix::TypedTensor;
use cabe_core::model::ModelSpec;
use cabe_core::quant::FileType;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// GGUF writer

/// A metadata value to write.
#[derive(Clone, Debug)]
pub enum Meta {
    U32(u32),
    U64(u64),
    F32(f32),
    Bool(bool),
    Str(String),
    StrArray(Vec<String>),
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u64).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

fn put_meta(b: &mut Vec<u8>, key: &str, v: &Meta) {
    put_str(b, key);
    match v {
        Meta::U32(x) => {
            b.extend_from_slice(&4u32.to_le_bytes());
            b.extend_from_slice(&x.to_le_bytes());
        }
        Meta::U64(x) => {
            b.extend_from_slice(&10u32.to_le_bytes());
            b.extend_from_slice(&x.to_le_bytes());
        }
        Meta::F32(x) => {
            b.extend_from_slice(&6u32.to_le_bytes());
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
        Meta::Bool(x) => {
            b.extend_from_slice(&7u32.to_le_bytes());
            b.push(*x as u8);
        }
        Meta::Str(s) => {
            b.extend_from_slice(&8u32.to_le_bytes());
            put_str(b, s);
        }
        Meta::StrArray(v) => {
            b.extend_from_slice(&9u32.to_le_bytes());
            b.extend_from_slice(&8u32.to_le_bytes());
            b.extend_from_slice(&(v.len() as u64).to_le_bytes());
            for s in v {
                put_str(b, s);
            }
        }
    }
}

const ALIGN: u64 = 32;

/// The header (magic, version 3, metadata, tensor infos, padding) of a GGUF whose tensor data
/// follows, and the total file size. Little-endian, default alignment 32, tensors back to back.
pub fn gguf_header(meta: &[(String, Meta)], tensors: &[TypedTensor]) -> (Vec<u8>, u64) {
    let mut b = Vec::new();
    b.extend_from_slice(b"GGUF");
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&(tensors.len() as u64).to_le_bytes());
    b.extend_from_slice(&(meta.len() as u64).to_le_bytes());
    for (k, v) in meta {
        put_meta(&mut b, k, v);
    }
    let mut offset = 0u64;
    for t in tensors {
        put_str(&mut b, &t.name);
        b.extend_from_slice(&(t.dims.len() as u32).to_le_bytes());
        for d in t.dims.iter() {
            b.extend_from_slice(&d.to_le_bytes());
        }
        b.extend_from_slice(&t.ty.id().to_le_bytes());
        b.extend_from_slice(&offset.to_le_bytes());
        offset += t.bytes().div_ceil(ALIGN) * ALIGN;
    }
    let data_start = (b.len() as u64).div_ceil(ALIGN) * ALIGN;
    b.resize(data_start as usize, 0);
    (b, data_start + offset)
}

/// Writes a GGUF: the header, then the file extended with `set_len` to its full size, so the
/// tensor data is a hole (sparse on every common file system: nothing is written).
pub fn write_gguf(path: &Path, meta: &[(String, Meta)], tensors: &[TypedTensor]) -> u64 {
    let (header, size) = gguf_header(meta, tensors);
    let mut f = fs::File::create(path).expect("create gguf");
    f.write_all(&header).expect("write gguf header");
    f.set_len(size).expect("extend gguf");
    size
}

/// llama.cpp-style metadata for a model spec with uniform layers (the keys `model_spec` reads).
pub fn model_metadata(spec: &ModelSpec, ftype: FileType) -> Vec<(String, Meta)> {
    let a = &spec.architecture;
    let l0 = &spec.layers[0];
    let mut m = vec![
        ("general.architecture".to_string(), Meta::Str(a.clone())),
        ("general.type".to_string(), Meta::Str("model".into())),
        ("general.name".to_string(), Meta::Str(spec.name.clone())),
        ("general.file_type".to_string(), Meta::U32(ftype.id())),
        ("general.quantization_version".to_string(), Meta::U32(2)),
        (format!("{a}.block_count"), Meta::U32(spec.n_layer())),
        (
            format!("{a}.context_length"),
            Meta::U32(spec.native_ctx as u32),
        ),
        (
            format!("{a}.embedding_length"),
            Meta::U32(spec.n_embd as u32),
        ),
        (
            format!("{a}.feed_forward_length"),
            Meta::U32(l0.n_ff as u32),
        ),
        (format!("{a}.attention.head_count"), Meta::U32(l0.n_head)),
        (
            format!("{a}.attention.head_count_kv"),
            Meta::U32(l0.n_head_kv),
        ),
        (
            format!("{a}.attention.key_length"),
            Meta::U32(spec.head_dim_k as u32),
        ),
        (
            format!("{a}.attention.value_length"),
            Meta::U32(spec.head_dim_v as u32),
        ),
        (format!("{a}.rope.freq_base"), Meta::F32(10_000_000.0)),
        (
            format!("{a}.attention.layer_norm_rms_epsilon"),
            Meta::F32(1e-6),
        ),
    ];
    if let Some(moe) = &spec.moe {
        m.push((format!("{a}.expert_count"), Meta::U32(moe.n_expert)));
        m.push((
            format!("{a}.expert_used_count"),
            Meta::U32(moe.n_expert_used),
        ));
        m.push((
            format!("{a}.expert_feed_forward_length"),
            Meta::U32(moe.expert_ff as u32),
        ));
    }
    m.push(("tokenizer.ggml.model".to_string(), Meta::Str("gpt2".into())));
    m
}

/// sha256 of a file, hex: with `openssl dgst` (SHA-NI, ~1 GB/s from a sparse file) when it is
/// installed, else `sha256sum`, else this crate's sha2 (slow in a debug build).
pub fn file_sha256(path: &Path) -> String {
    for (cmd, args) in [
        ("openssl", &["dgst", "-sha256", "-r"][..]),
        ("sha256sum", &[][..]),
    ] {
        if let Ok(out) = std::process::Command::new(cmd)
            .args(args)
            .arg(path)
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            let hex = text
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if out.status.success() && hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return hex;
            }
        }
    }
    let mut h = Sha256::new();
    let mut f = fs::File::open(path).expect("open for hashing");
    let mut buf = vec![0u8; 8 << 20];
    loop {
        let n = f.read(&mut buf).expect("read for hashing");
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    format!("{:x}", h.finalize())
}

static DIGEST_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The digest of a sparse GGUF written as `header` then a hole up to `total` bytes, computed
/// by hashing the file at `path` (every byte), at most once: cached under `cache` by the
/// header's own sha256 and the length, and serialized within the process.
pub fn sparse_digest(path: &Path, header: &[u8], total: u64, cache: Option<&Path>) -> String {
    let key = format!("{:x}-{total}", Sha256::digest(header));
    let cached = cache.map(|d| d.join(format!("sparse-sha256-{key}")));
    let read_cache = || {
        cached
            .as_ref()
            .and_then(|p| fs::read_to_string(p).ok())
            .map(|h| h.trim().to_string())
            .filter(|h| h.len() == 64)
    };
    if let Some(hex) = read_cache() {
        return hex;
    }
    let _guard = DIGEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hex) = read_cache() {
        return hex;
    }
    let hex = file_sha256(path);
    if let Some(p) = cached {
        let _ = fs::create_dir_all(p.parent().expect("has parent"));
        let tmp = p.with_extension(format!("tmp{}", std::process::id()));
        if fs::write(&tmp, &hex).is_ok() {
            let _ = fs::rename(&tmp, &p);
        }
    }
    hex
}

// ---------------------------------------------------------------------------------------
// Ollama store

pub const MT_MODEL: &str = "application/vnd.ollama.image.model";
pub const MT_PARAMS: &str = "application/vnd.ollama.image.params";
pub const MT_TEMPLATE: &str = "application/vnd.ollama.image.template";
pub const MT_SYSTEM: &str = "application/vnd.ollama.image.system";
pub const MT_LICENSE: &str = "application/vnd.ollama.image.license";
pub const MT_PROJECTOR: &str = "application/vnd.ollama.image.projector";
pub const MT_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const MT_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// Builds `$OLLAMA_MODELS` the way Ollama writes it.
pub struct StoreBuilder {
    pub root: PathBuf,
}

impl StoreBuilder {
    pub fn new(root: &Path) -> StoreBuilder {
        fs::create_dir_all(root.join("manifests")).expect("mkdir manifests");
        fs::create_dir_all(root.join("blobs")).expect("mkdir blobs");
        StoreBuilder {
            root: root.to_path_buf(),
        }
    }

    /// Writes a small blob; its layer entry.
    pub fn blob(&self, media_type: &str, bytes: &[u8]) -> Layer {
        let hex = format!("{:x}", Sha256::digest(bytes));
        fs::write(self.root.join("blobs").join(format!("sha256-{hex}")), bytes)
            .expect("write blob");
        Layer {
            media_type: media_type.to_string(),
            digest: format!("sha256:{hex}"),
            size: bytes.len() as u64,
            from: None,
            name: None,
        }
    }

    /// Writes a sparse GGUF model blob; its layer entry (the digest is that of the full file).
    pub fn gguf_blob(
        &self,
        meta: &[(String, Meta)],
        tensors: &[TypedTensor],
        cache: Option<&Path>,
    ) -> Layer {
        let (header, size) = gguf_header(meta, tensors);
        let tmp = self.root.join("blobs").join("sha256-partial-model");
        let mut f = fs::File::create(&tmp).expect("create model blob");
        f.write_all(&header).expect("write header");
        f.set_len(size).expect("extend model blob");
        drop(f);
        let hex = sparse_digest(&tmp, &header, size, cache);
        fs::rename(&tmp, self.root.join("blobs").join(format!("sha256-{hex}")))
            .expect("name the model blob by its digest");
        Layer {
            media_type: MT_MODEL.to_string(),
            digest: format!("sha256:{hex}"),
            size,
            from: None,
            name: None,
        }
    }

    /// The config blob Ollama writes beside the layers.
    pub fn config(&self, family: &str, params: &str, ftype: &str) -> Layer {
        let cfg = serde_json::json!({
            "model_format": "gguf",
            "model_family": family,
            "model_families": [family],
            "model_type": params,
            "file_type": ftype,
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": []},
        });
        self.blob(MT_CONFIG, cfg.to_string().as_bytes())
    }

    /// Writes `manifests/<host>/<namespace>/<model>/<tag>` (compact JSON, Ollama's key order).
    pub fn manifest(&self, name: &str, config: Layer, layers: Vec<Layer>) -> PathBuf {
        let n = crate::name::ModelName::parse(name).expect("valid name");
        let path = self.root.join("manifests").join(n.manifest_rel_path());
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir manifest dir");
        let m = Manifest {
            schema_version: 2,
            media_type: MT_MANIFEST.to_string(),
            config: Some(config),
            layers,
        };
        fs::write(&path, serde_json::to_vec(&m).expect("json")).expect("write manifest");
        path
    }
}

/// Qwen3's chat template, abbreviated (the template layer is text; its content does not
/// matter to the diagnosis).
pub const QWEN3_TEMPLATE: &str = "{{- if .Messages }}{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}{{ end }}<|im_start|>assistant\n";

/// The store of the issue's case: `qwen3-coder:30b-v-128k` created from a Modelfile with
/// `PARAMETER num_ctx 131072` — Qwen3-Coder-30B-A3B at Q4_K_M (tensor shapes from the
/// catalog spec's layout, types from llama-quantize's Q4_K_M rules), a template, a license
/// and the params layer. Returns the spec used.
pub fn issue_store(root: &Path, cache: Option<&Path>) -> ModelSpec {
    let spec = cabe_catalog::find_model("qwen3-coder-30b-a3b")
        .expect("catalog has qwen3-coder-30b-a3b")
        .spec
        .clone();
    let w = cabe_core::weights::for_file_type(&spec, FileType::Q4_K_M);
    let b = StoreBuilder::new(root);
    let model = b.gguf_blob(&model_metadata(&spec, FileType::Q4_K_M), &w.tensors, cache);
    let template = b.blob(MT_TEMPLATE, QWEN3_TEMPLATE.as_bytes());
    let license = b.blob(MT_LICENSE, b"Apache License Version 2.0, January 2004\n");
    let params = b.blob(
        MT_PARAMS,
        br#"{"num_ctx":131072,"repeat_penalty":1.05,"stop":["<|im_start|>","<|im_end|>","<|endoftext|>"],"temperature":0.7,"top_k":20,"top_p":0.8}"#,
    );
    let config = b.config("qwen3moe", "30.5B", "Q4_K_M");
    b.manifest(
        "qwen3-coder:30b-v-128k",
        config,
        vec![model, template, license, params],
    );
    spec
}
