//! Test-only helpers: a tiny GGUF writer, a raw byte builder for hostile files, and fixture
//! paths.
#![allow(dead_code)]

use cabe_core::quant::GgmlType;
use cabe_gguf::{Array, Value, ValueType};
use std::path::PathBuf;

/// The GGUF fixtures in the repository, `tests/fixtures/gguf` (see `tests/fixtures/SOURCES.md`).
/// A missing directory fails the test.
pub fn fixtures_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/gguf");
    assert!(
        dir.is_dir(),
        "GGUF fixtures missing: expected {} (tests/fixtures/ is part of the repository)",
        dir.display()
    );
    dir
}

/// llama.cpp's `models/` directory (its vocab GGUFs): `$CABE_LLAMA_CPP_SRC/models`, default
/// `$CABE_CACHE/src/llama_cpp_python-0.3.36/vendor/llama.cpp/models` (`CABE_CACHE` defaults to
/// `~/.cache/cabe`; `bash tools/llama-cpp.sh src` fetches it). `None` when it is absent and
/// nothing requires it; when `CABE_LLAMA_CPP_SRC` names it or `CABE_REQUIRE_LLAMA_CPP` is set
/// (`tools/test.sh`, and so CI, sets both) a missing directory fails the test.
pub fn llama_cpp_models_dir() -> Option<PathBuf> {
    let explicit = std::env::var_os("CABE_LLAMA_CPP_SRC").map(PathBuf::from);
    let required = explicit.is_some() || std::env::var_os("CABE_REQUIRE_LLAMA_CPP").is_some();
    let src = explicit.unwrap_or_else(|| {
        std::env::var_os("CABE_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/cabe")
            })
            .join("src/llama_cpp_python-0.3.36/vendor/llama.cpp")
    });
    let dir = src.join("models");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !required,
        "llama.cpp's models/ not found at {}: run `bash tools/llama-cpp.sh src` and set \
         CABE_LLAMA_CPP_SRC to the directory it prints (tools/test.sh does both)",
        dir.display()
    );
    eprintln!(
        "SKIPPED (llama.cpp's models/): {} not found; `bash tools/test.sh` fetches it and makes \
         this a failure",
        dir.display()
    );
    None
}

/// Every `*.gguf` directly in `dir`, sorted.
pub fn gguf_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read_dir {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "gguf"))
        .collect();
    v.sort();
    v
}

/// Raw byte builder with a chosen byte order.
#[derive(Default, Clone)]
pub struct Bytes {
    pub buf: Vec<u8>,
    pub big: bool,
}

impl Bytes {
    pub fn new(big: bool) -> Bytes {
        Bytes {
            buf: Vec::new(),
            big,
        }
    }
    pub fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }
    pub fn u16(&mut self, v: u16) -> &mut Self {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.raw(&b)
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.raw(&b)
    }
    pub fn u64(&mut self, v: u64) -> &mut Self {
        let b = if self.big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.raw(&b)
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.u64(s.len() as u64).raw(s.as_bytes())
    }
    /// GGUF header: magic "GGUF", version, tensor count, KV count.
    pub fn header(&mut self, version: u32, n_tensors: u64, n_kv: u64) -> &mut Self {
        self.raw(b"GGUF").u32(version).u64(n_tensors).u64(n_kv)
    }
    pub fn value(&mut self, v: &Value) -> &mut Self {
        match v {
            Value::U8(x) => self.u8(*x),
            Value::I8(x) => self.u8(*x as u8),
            Value::U16(x) => self.u16(*x),
            Value::I16(x) => self.u16(*x as u16),
            Value::U32(x) => self.u32(*x),
            Value::I32(x) => self.u32(*x as u32),
            Value::U64(x) => self.u64(*x),
            Value::I64(x) => self.u64(*x as u64),
            Value::F32(x) => self.u32(x.to_bits()),
            Value::F64(x) => self.u64(x.to_bits()),
            Value::Bool(x) => self.u8(*x as u8),
            Value::String(s) => self.str(s),
            Value::Array(a) => {
                self.u32(a.elem_type.id()).u64(a.values.len() as u64);
                for e in &a.values {
                    self.value(e);
                }
                self
            }
        }
    }
    /// One KV: key, type id, value.
    pub fn kv(&mut self, key: &str, v: &Value) -> &mut Self {
        self.str(key).u32(v.value_type().id()).value(v)
    }
    pub fn pad_to(&mut self, align: usize) -> &mut Self {
        let len = self.buf.len().div_ceil(align) * align;
        self.buf.resize(len, 0);
        self
    }
}

pub fn arr(elem_type: ValueType, values: Vec<Value>) -> Value {
    Value::Array(Array { elem_type, values })
}

pub fn s(x: &str) -> Value {
    Value::String(x.to_string())
}

/// A tensor to write.
#[derive(Clone, Debug)]
pub struct WTensor {
    pub name: String,
    pub dims: Vec<u64>,
    pub ggml_type: GgmlType,
}

/// A minimal GGUF writer (v2/v3, either byte order): header, KVs, tensor infos with offsets
/// laid out back to back at the alignment, padding, then zero-filled tensor data.
#[derive(Clone, Debug)]
pub struct GgufWriter {
    pub version: u32,
    pub big: bool,
    pub kvs: Vec<(String, Value)>,
    pub tensors: Vec<WTensor>,
}

impl Default for GgufWriter {
    fn default() -> Self {
        GgufWriter {
            version: 3,
            big: false,
            kvs: Vec::new(),
            tensors: Vec::new(),
        }
    }
}

impl GgufWriter {
    pub fn new() -> GgufWriter {
        GgufWriter::default()
    }
    pub fn kv(mut self, key: &str, v: Value) -> Self {
        self.kvs.push((key.to_string(), v));
        self
    }
    pub fn tensor(mut self, name: &str, dims: &[u64], t: GgmlType) -> Self {
        self.tensors.push(WTensor {
            name: name.to_string(),
            dims: dims.to_vec(),
            ggml_type: t,
        });
        self
    }
    pub fn alignment(&self) -> u64 {
        self.kvs
            .iter()
            .find(|(k, _)| k == "general.alignment")
            .and_then(|(_, v)| v.as_u64())
            .unwrap_or(32)
    }
    pub fn tensor_bytes(t: &WTensor) -> u64 {
        t.ggml_type.tensor_bytes(&t.dims).expect("whole blocks")
    }
    /// Header only, up to the end of the tensor infos (no padding).
    pub fn header_bytes(&self) -> Vec<u8> {
        let align = self.alignment();
        let mut b = Bytes::new(self.big);
        b.header(
            self.version,
            self.tensors.len() as u64,
            self.kvs.len() as u64,
        );
        for (k, v) in &self.kvs {
            b.kv(k, v);
        }
        let mut off = 0u64;
        for t in &self.tensors {
            b.str(&t.name).u32(t.dims.len() as u32);
            for d in &t.dims {
                b.u64(*d);
            }
            b.u32(t.ggml_type.id()).u64(off);
            off += Self::tensor_bytes(t).div_ceil(align) * align;
        }
        b.buf
    }
    /// The whole file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let align = self.alignment() as usize;
        let mut b = Bytes {
            buf: self.header_bytes(),
            big: self.big,
        };
        b.pad_to(align);
        for (i, t) in self.tensors.iter().enumerate() {
            let n = Self::tensor_bytes(t) as usize;
            // Recognisable, non-zero data.
            b.buf.extend((0..n).map(|j| (i + j) as u8));
            if i + 1 < self.tensors.len() {
                b.pad_to(align);
            }
        }
        b.buf
    }
    /// A writer holding a parsed file's metadata and tensor infos.
    pub fn from_file(f: &cabe_gguf::GgufFile) -> GgufWriter {
        GgufWriter {
            version: f.version,
            big: f.endian == cabe_gguf::Endian::Big,
            kvs: f.metadata.clone(),
            tensors: f
                .tensors
                .iter()
                .map(|t| WTensor {
                    name: t.name.clone(),
                    dims: t.dims.clone(),
                    ggml_type: t.ggml_type,
                })
                .collect(),
        }
    }
}

/// A small valid v3 file exercising every value type, a nested array and three tensors.
pub fn small_writer() -> GgufWriter {
    GgufWriter::new()
        .kv("general.architecture", s("llama"))
        .kv("general.name", s("tiny ✓"))
        .kv("general.alignment", Value::U32(32))
        .kv("general.file_type", Value::U32(7))
        .kv("llama.block_count", Value::U32(2))
        .kv("llama.context_length", Value::U64(4096))
        .kv("llama.embedding_length", Value::I32(64))
        .kv("llama.rope.freq_base", Value::F32(10000.5))
        .kv("llama.attention.layer_norm_rms_epsilon", Value::F32(1e-5))
        .kv("t.u8", Value::U8(200))
        .kv("t.i8", Value::I8(-5))
        .kv("t.u16", Value::U16(65000))
        .kv("t.i16", Value::I16(-30000))
        .kv("t.i64", Value::I64(-1))
        .kv("t.f64", Value::F64(std::f64::consts::PI))
        .kv("t.bool", Value::Bool(true))
        .kv(
            "llama.attention.head_count_kv",
            arr(ValueType::I32, vec![Value::I32(4), Value::I32(0)]),
        )
        .kv(
            "tokenizer.ggml.tokens",
            arr(ValueType::String, vec![s("<unk>"), s(""), s("héllo")]),
        )
        .kv(
            "t.nested",
            arr(
                ValueType::Array,
                vec![
                    arr(ValueType::U8, vec![Value::U8(1), Value::U8(2)]),
                    arr(ValueType::String, vec![s("x")]),
                    arr(ValueType::Bool, vec![]),
                ],
            ),
        )
        .kv("t.empty", arr(ValueType::F64, vec![]))
        .tensor("token_embd.weight", &[64, 3], GgmlType::Q8_0)
        .tensor("output_norm.weight", &[64], GgmlType::F32)
        .tensor("blk.0.attn_q.weight", &[64, 64], GgmlType::F16)
}
