//! # cabe-scan
//!
//! Finds the models already on disk and reads what they are from their headers alone, locally
//! or over HTTP range requests, so cabe can say which of them run well on this machine.
//!
//! * **Where** ([`locate`]): Ollama's store (manifests name the model blob), the Hugging Face
//!   hub cache (GGUF files and safetensors snapshots), LM Studio's models folder, llama.cpp's
//!   download cache, and any folder or file given.
//! * **What** ([`read_local`], [`read_url`]): a GGUF header through `cabe-gguf` (never the
//!   tensor data); for safetensors, `config.json` plus each shard's header (8-byte
//!   little-endian length + JSON, at most 100 MB as the format allows) for exact tensor sizes.
//!   Every read is counted ([`Scanned::bytes_read`]) and local reads are made in 64 KiB steps
//!   ([`counting::STEP`]), so a scan of a folder of 100 GB models reads kilobytes per model.
//! * **Remote** ([`http`], [`remote`]): a GGUF or safetensors URL (Hugging Face `resolve/` and
//!   `blob/` URLs included) read with `Range` requests in growing windows, with a deadline and
//!   a cap on the bytes fetched ([`http::RemoteLimits`]); a server that ignores `Range` is an
//!   error, never a whole-file download. [`remote::read_gguf_url`] gives the GGUF model itself
//!   (split models too), for `cabe fit URL` and `cabe inspect URL`.
//! * **Verdict** ([`assess`]): the memory plan at the chosen context on a machine, the largest
//!   context that fits (`cabe_core::plan::max_context`) and a rough bandwidth-bound decode
//!   memory verdict (speed comes from the engine, as for every command).
//!
//! [`synth`] writes sparse synthetic GGUF files for tests and the scan benchmark.

pub mod counting;
pub mod http;
pub mod locate;
pub mod remote;
pub mod safetensors;
pub mod synth;

use cabe_core::kv::RuntimeProfile;
use cabe_core::model::ModelSpec;
use cabe_core::plan::{max_context, plan, Capacity, Verdict};
use cabe_core::quant::FileType;
use cabe_core::weights::Weights;
use counting::{Counter, Counting};
use serde::Serialize;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Where a model was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Store {
    Ollama,
    HuggingFace,
    LmStudio,
    LlamaCpp,
    Folder,
    Url,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Ollama => "ollama",
            Store::HuggingFace => "hf-cache",
            Store::LmStudio => "lm-studio",
            Store::LlamaCpp => "llama.cpp",
            Store::Folder => "folder",
            Store::Url => "url",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Gguf,
    Safetensors,
}

/// A model found on disk, not yet read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// "qwen3:8b", "Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf", a file name.
    pub name: String,
    pub store: Store,
    pub format: Format,
    /// The GGUF file (first shard), or the safetensors folder.
    pub path: PathBuf,
    /// GGUF: the file; safetensors: every `*.safetensors` shard.
    pub files: Vec<PathBuf>,
}

/// A model as its headers describe it.
#[derive(Clone, Debug, Serialize)]
pub struct Scanned {
    pub name: String,
    pub store: Store,
    pub format: Format,
    /// Path or URL.
    pub location: String,
    pub architecture: String,
    /// "Q4_K_M", "BF16", "fp8", "mixed".
    pub quant: String,
    pub native_ctx: u64,
    /// Size of the model's files on disk (all shards).
    pub file_bytes: u64,
    /// Bytes actually read to learn all this.
    pub bytes_read: u64,
    #[serde(skip)]
    pub spec: ModelSpec,
    #[serde(skip)]
    pub weights: Weights,
}

fn gguf_quant(f: &cabe_gguf::GgufFile) -> String {
    f.file_type()
        .and_then(FileType::from_id)
        .map_or_else(|| "mixed".to_string(), |t| t.name().to_string())
}

/// Why a found model could not be read: the GGUF reader's and describer's own errors, in
/// fields (the command line words them in its language), or another reason in English.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Gguf(#[from] cabe_gguf::GgufError),
    #[error(transparent)]
    Spec(#[from] cabe_gguf::spec::SpecError),
    #[error("has no tensors (a vocab-only or metadata-only file)")]
    NoTensors,
    #[error("{0}")]
    Other(String),
}

impl From<String> for ReadError {
    fn from(s: String) -> ReadError {
        ReadError::Other(s)
    }
}

fn from_gguf(
    c: &Candidate,
    location: String,
    shards: Vec<cabe_gguf::GgufFile>,
    bytes_read: u64,
) -> Result<Scanned, ReadError> {
    let tensors: Vec<cabe_gguf::TensorInfo> = shards
        .iter()
        .flat_map(|s| s.tensors.iter().cloned())
        .collect();
    let first = &shards[0];
    if tensors.is_empty() {
        return Err(ReadError::NoTensors);
    }
    let spec = cabe_gguf::spec::model_spec(first, &tensors)?;
    let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
    Ok(Scanned {
        name: c.name.clone(),
        store: c.store,
        format: Format::Gguf,
        location,
        architecture: spec.architecture.clone(),
        quant: gguf_quant(first),
        native_ctx: spec.native_ctx,
        file_bytes: shards.iter().map(|s| s.file_size).sum(),
        bytes_read,
        spec,
        weights,
    })
}

/// Opens a file whose header is to be read: a regular file only (a FIFO would block the
/// scan, a device has no length), checked before it is opened. The error names the path.
fn open_regular(path: &Path) -> Result<(File, u64), String> {
    cabe_gguf::open_file(path).map_err(|e| e.to_string())
}

/// One GGUF file's header, counted.
fn gguf_header(path: &Path, counter: &Counter) -> Result<cabe_gguf::GgufFile, ReadError> {
    let (f, size) = cabe_gguf::open_file(path)?;
    cabe_gguf::read_from(Counting::new(f, counter.clone()), size).map_err(|e| {
        ReadError::Gguf(cabe_gguf::GgufError::File {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    })
}

/// Reads a found model's headers (never its weights).
pub fn read_local(c: &Candidate) -> Result<Scanned, ReadError> {
    let counter = Counter::default();
    match c.format {
        Format::Gguf => {
            // Split models: every shard's header (the first holds the metadata).
            let mut paths = vec![c.path.clone()];
            let file_name = c.path.file_name().map(|n| n.to_string_lossy().into_owned());
            if let Some(split) = file_name.as_deref().and_then(cabe_gguf::SplitName::parse) {
                let dir = c.path.parent().unwrap_or(Path::new(""));
                paths = (1..=split.count)
                    .map(|i| dir.join(split.file_name(i)))
                    .collect();
            }
            let mut shards = Vec::with_capacity(paths.len());
            for p in &paths {
                shards.push(gguf_header(p, &counter)?);
            }
            from_gguf(c, c.path.display().to_string(), shards, counter.get())
        }
        Format::Safetensors => {
            let cfg_path = c.path.join("config.json");
            let cfg_text = read_small(&cfg_path, 4 << 20)?;
            counter.add(cfg_text.len() as u64);
            let mut tensors = Vec::new();
            let mut file_bytes = 0;
            for f in &c.files {
                let (fh, size) = open_regular(f)?;
                let h = safetensors::read_header(Counting::new(fh, counter.clone()), size)
                    .map_err(|e| ReadError::Other(format!("{}: {e}", f.display())))?;
                file_bytes += size;
                tensors.extend(h.tensors);
            }
            Ok(from_safetensors(
                c,
                c.path.display().to_string(),
                &cfg_text,
                &tensors,
                file_bytes,
                counter.get(),
            )?)
        }
    }
}

/// A small file (`config.json`, a ref), at most `cap` bytes, refused unopened if it is not a
/// regular file.
pub(crate) fn read_small(p: &Path, cap: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let (f, _) = open_regular(p)?;
    let mut v = Vec::new();
    f.take(cap + 1)
        .read_to_end(&mut v)
        .map_err(|e| format!("{}: {e}", p.display()))?;
    if v.len() as u64 > cap {
        return Err(format!("{}: larger than {cap} bytes", p.display()));
    }
    Ok(v)
}

fn from_safetensors(
    c: &Candidate,
    location: String,
    cfg_text: &[u8],
    tensors: &[safetensors::StTensor],
    file_bytes: u64,
    bytes_read: u64,
) -> Result<Scanned, String> {
    let cfg: serde_json::Value =
        serde_json::from_slice(cfg_text).map_err(|e| format!("config.json: {e}"))?;
    let spec = safetensors::spec_from_config(&cfg, &c.name)?;
    let weights = safetensors::weights(&spec, tensors);
    Ok(Scanned {
        name: c.name.clone(),
        store: c.store,
        format: Format::Safetensors,
        location,
        architecture: spec.architecture.clone(),
        quant: safetensors::quant_label(&cfg, &weights),
        native_ctx: spec.native_ctx,
        file_bytes,
        bytes_read,
        spec,
        weights,
    })
}

/// Reads a remote model's headers with HTTP range requests: a `.gguf` URL (split models: give
/// the first shard, the others are fetched by name), or a `.safetensors` URL whose
/// `config.json` sits beside it.
pub fn read_url(url: &str, limits: &http::RemoteLimits) -> Result<Scanned, String> {
    let url = http::normalize_url(url);
    let (before, name, after) = remote::split_url(&url);
    let c = Candidate {
        name: name.to_string(),
        store: Store::Url,
        format: if name.ends_with(".safetensors") {
            Format::Safetensors
        } else {
            Format::Gguf
        },
        path: PathBuf::new(),
        files: Vec::new(),
    };
    match c.format {
        Format::Gguf => {
            let r = remote::read_gguf_url(&url, limits)?;
            from_gguf(&c, r.url, r.model.shards, r.bytes_read).map_err(|e| e.to_string())
        }
        Format::Safetensors => {
            let counter = Counter::default();
            let why = |e: &std::io::Error| {
                http::RemoteError::find(e).map_or_else(|| e.to_string(), |r| r.to_string())
            };
            let r = http::RangeReader::open(&url, limits.clone(), counter.clone())
                .map_err(|e| format!("{url}: {}", why(&e)))?;
            let size = r.size();
            let h = safetensors::read_header(r, size).map_err(|e| format!("{url}: {e}"))?;
            let cfg_url = format!("{before}config.json{after}");
            let cfg =
                http::get_small(&cfg_url, 4 << 20, limits.timeout).map_err(|e| e.to_string())?;
            counter.add(cfg.len() as u64);
            from_safetensors(&c, url.clone(), &cfg, &h.tensors, size, counter.get())
        }
    }
}

/// A model judged against a machine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// The context the verdict is for.
    pub ctx: u64,
    pub total_bytes: u64,
    #[serde(rename = "verdict")]
    pub verdict: Verdict,
    /// Largest context (multiple of 256, at most native) that fits in fast memory.
    pub max_ctx: Option<u64>,
}

/// The runtime profile a scan judges every model at: llama.cpp's defaults, `ctx` tokens.
pub fn profile(ctx: u64) -> RuntimeProfile {
    RuntimeProfile::new(ctx.max(256))
}

/// Judges a scanned model's memory with `cap` at `ctx` tokens (`None` = native). Speed is the
/// engine's (`cabe_engine::speed`), from the same [`profile`].
pub fn assess(m: &Scanned, cap: &Capacity, ctx: Option<u64>) -> Fit {
    let native = m.spec.native_ctx;
    let ctx = ctx.unwrap_or(native).max(256);
    let p = profile(ctx);
    let pl = plan(&m.spec, &m.weights, &p, cap);
    let max_ctx = max_context(&m.spec, &m.weights, &p, cap);
    Fit {
        ctx,
        total_bytes: pl.memory.total_bytes,
        verdict: pl.verdict,
        max_ctx,
    }
}

#[cfg(all(test, unix))]
mod file_type_tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn mkfifo(p: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    fn candidate(format: Format, path: PathBuf, files: Vec<PathBuf>) -> Candidate {
        Candidate {
            name: "m".into(),
            store: Store::Folder,
            format,
            path,
            files,
        }
    }

    /// Every file a scan reads a header or a small file from is refused unopened when it is a
    /// FIFO: opening one would block the whole scan.
    #[test]
    fn fifos_are_refused_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();

        let fifo = dir.path().join("x.gguf");
        mkfifo(&fifo);
        let e = read_local(&candidate(Format::Gguf, fifo.clone(), vec![fifo.clone()])).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{} is a named pipe (FIFO), not a file", fifo.display())
        );

        // A later shard of a split model.
        let first = dir.path().join("s-00001-of-00002.gguf");
        let second = dir.path().join("s-00002-of-00002.gguf");
        mkfifo(&second);
        std::fs::write(&first, synth_header()).unwrap();
        let e = read_local(&candidate(Format::Gguf, first.clone(), vec![first]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s-00002-of-00002.gguf") && e.contains("FIFO"),
            "{e}"
        );

        // A safetensors folder: its config.json, then a shard.
        let st = dir.path().join("st");
        std::fs::create_dir(&st).unwrap();
        mkfifo(&st.join("config.json"));
        let shard = st.join("model.safetensors");
        std::fs::write(&shard, b"").unwrap();
        let c = candidate(Format::Safetensors, st.clone(), vec![shard.clone()]);
        let e = read_local(&c).unwrap_err().to_string();
        assert!(e.contains("config.json is a named pipe (FIFO)"), "{e}");
        std::fs::remove_file(st.join("config.json")).unwrap();
        std::fs::write(st.join("config.json"), b"{}").unwrap();
        std::fs::remove_file(&shard).unwrap();
        mkfifo(&shard);
        let e = read_local(&c).unwrap_err().to_string();
        assert!(
            e.contains("model.safetensors is a named pipe (FIFO)"),
            "{e}"
        );

        assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    }

    /// Any well-formed GGUF header: the first shard must read before the second is opened.
    fn synth_header() -> Vec<u8> {
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(0u64.to_le_bytes());
        b.extend(0u64.to_le_bytes());
        b
    }
}
