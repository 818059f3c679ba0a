//! Synthetic GGUF files: a real, parseable header for a llama-shaped model and, past it, a
//! sparse hole as large as the tensors it describes (`set_len`), so a "4 GB model" costs a few
//! kilobytes of disk. For tests and the scan benchmark (`bench/scan`).

use cabe_core::quant::GgmlType;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A llama-architecture model to write.
#[derive(Clone, Debug)]
pub struct SynthModel {
    pub name: String,
    pub n_layer: u32,
    pub n_embd: u64,
    pub n_ff: u64,
    pub n_head: u32,
    pub n_head_kv: u32,
    pub n_vocab: u64,
    pub ctx: u64,
    /// Also write a `tokenizer.ggml.tokens` array of `n_vocab` strings, as real files carry
    /// (it makes the header hundreds of kilobytes to megabytes, like a real one).
    pub with_vocab: bool,
    /// Characters added to each vocabulary string (a longer header for as many tokens).
    pub token_pad: usize,
}

impl SynthModel {
    /// A small model (about 0.1 B parameters), quick to write and read.
    pub fn small(name: &str) -> SynthModel {
        SynthModel {
            name: name.to_string(),
            n_layer: 4,
            n_embd: 512,
            n_ff: 1536,
            n_head: 8,
            n_head_kv: 2,
            n_vocab: 32000,
            ctx: 8192,
            with_vocab: false,
            token_pad: 0,
        }
    }

    /// A Llama-2-7B-shaped model (6.7 B parameters, about 3.9 GiB at Q4_K/Q6_K).
    pub fn llama7b(name: &str) -> SynthModel {
        SynthModel {
            name: name.to_string(),
            n_layer: 32,
            n_embd: 4096,
            n_ff: 11008,
            n_head: 32,
            n_head_kv: 32,
            n_vocab: 32000,
            ctx: 4096,
            with_vocab: false,
            token_pad: 0,
        }
    }

    /// A Llama-3-70B-shaped model (70.6 B parameters, about 40 GiB at Q4_K/Q6_K).
    pub fn llama70b(name: &str) -> SynthModel {
        SynthModel {
            name: name.to_string(),
            n_layer: 80,
            n_embd: 8192,
            n_ff: 28672,
            n_head: 64,
            n_head_kv: 8,
            n_vocab: 128256,
            ctx: 131072,
            with_vocab: false,
            token_pad: 0,
        }
    }

    /// Tensor names, dims and types, as llama.cpp's Q4_K_M would type a llama model (Q6_K
    /// output and ffn_down, Q4_K elsewhere, F32 norms).
    pub fn tensors(&self) -> Vec<(String, Vec<u64>, GgmlType)> {
        let e = self.n_embd;
        let kv = e / self.n_head as u64 * self.n_head_kv as u64;
        let mut t = vec![(
            "token_embd.weight".to_string(),
            vec![e, self.n_vocab],
            GgmlType::Q4_K,
        )];
        for i in 0..self.n_layer {
            let b = |s: &str| format!("blk.{i}.{s}.weight");
            t.push((b("attn_norm"), vec![e], GgmlType::F32));
            t.push((b("attn_q"), vec![e, e], GgmlType::Q4_K));
            t.push((b("attn_k"), vec![e, kv], GgmlType::Q4_K));
            t.push((b("attn_v"), vec![e, kv], GgmlType::Q6_K));
            t.push((b("attn_output"), vec![e, e], GgmlType::Q4_K));
            t.push((b("ffn_norm"), vec![e], GgmlType::F32));
            t.push((b("ffn_gate"), vec![e, self.n_ff], GgmlType::Q4_K));
            t.push((b("ffn_up"), vec![e, self.n_ff], GgmlType::Q4_K));
            t.push((b("ffn_down"), vec![self.n_ff, e], GgmlType::Q6_K));
        }
        t.push(("output_norm.weight".into(), vec![e], GgmlType::F32));
        t.push((
            "output.weight".into(),
            vec![e, self.n_vocab],
            GgmlType::Q6_K,
        ));
        t
    }
}

const ALIGN: u64 = 32;

fn pad(x: u64) -> u64 {
    x.div_ceil(ALIGN) * ALIGN
}

struct W<'a>(&'a mut dyn Write, u64);

impl W<'_> {
    fn b(&mut self, b: &[u8]) -> io::Result<()> {
        self.1 += b.len() as u64;
        self.0.write_all(b)
    }
    fn u32(&mut self, v: u32) -> io::Result<()> {
        self.b(&v.to_le_bytes())
    }
    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.b(&v.to_le_bytes())
    }
    fn str(&mut self, s: &str) -> io::Result<()> {
        self.u64(s.len() as u64)?;
        self.b(s.as_bytes())
    }
    fn kv_u32(&mut self, k: &str, v: u32) -> io::Result<()> {
        self.str(k)?;
        self.u32(4)?; // GGUF_TYPE_UINT32
        self.u32(v)
    }
    fn kv_u16(&mut self, k: &str, v: u16) -> io::Result<()> {
        self.str(k)?;
        self.u32(2)?; // GGUF_TYPE_UINT16
        self.b(&v.to_le_bytes())
    }
    fn kv_str(&mut self, k: &str, v: &str) -> io::Result<()> {
        self.str(k)?;
        self.u32(8)?; // GGUF_TYPE_STRING
        self.str(v)
    }
}

/// Writes `m` as a GGUF v3 file whose tensor data is a sparse hole; returns the file size.
pub fn write_gguf(path: &Path, m: &SynthModel) -> io::Result<u64> {
    write_part(path, m, true, None, &m.tensors())
}

/// Writes `m` split into `count` shards in `dir`, as `llama-gguf-split` lays a model out:
/// `PREFIX-0000K-of-0000N.gguf`, every shard with `split.no` / `split.count` /
/// `split.tensors.count`, the first also with the model's metadata, the tensors shared out in
/// order. Returns the shard paths.
pub fn write_gguf_split(
    dir: &Path,
    prefix: &str,
    m: &SynthModel,
    count: u16,
) -> io::Result<Vec<PathBuf>> {
    let tensors = m.tensors();
    let count = count.max(1);
    let per = tensors.len().div_ceil(usize::from(count));
    let mut paths = Vec::new();
    for i in 0..count {
        let from = (usize::from(i) * per).min(tensors.len());
        let to = (from + per).min(tensors.len());
        let p = dir.join(format!("{prefix}-{:05}-of-{count:05}.gguf", i + 1));
        write_part(
            &p,
            m,
            i == 0,
            Some((i, count, tensors.len() as i32)),
            &tensors[from..to],
        )?;
        paths.push(p);
    }
    Ok(paths)
}

type Tensor = (String, Vec<u64>, GgmlType);

fn write_part(
    path: &Path,
    m: &SynthModel,
    with_metadata: bool,
    split: Option<(u16, u16, i32)>,
    tensors: &[Tensor],
) -> io::Result<u64> {
    let file = File::create(path)?;
    let mut buf = BufWriter::new(&file);
    let mut w = W(&mut buf, 0);
    w.b(b"GGUF")?;
    w.u32(3)?;
    w.u64(tensors.len() as u64)?;
    let n_kv = if with_metadata {
        10 + u64::from(m.with_vocab)
    } else {
        0
    } + if split.is_some() { 3 } else { 0 };
    w.u64(n_kv)?;
    if with_metadata {
        w.kv_str("general.architecture", "llama")?;
        w.kv_str("general.name", &m.name)?;
        w.kv_u32("general.file_type", 15)?; // LLAMA_FTYPE_MOSTLY_Q4_K_M
        w.kv_u32("llama.block_count", m.n_layer)?;
        w.kv_u32("llama.embedding_length", m.n_embd as u32)?;
        w.kv_u32("llama.feed_forward_length", m.n_ff as u32)?;
        w.kv_u32("llama.attention.head_count", m.n_head)?;
        w.kv_u32("llama.attention.head_count_kv", m.n_head_kv)?;
        w.kv_u32("llama.context_length", m.ctx as u32)?;
        w.kv_u32("llama.vocab_size", m.n_vocab as u32)?;
        if m.with_vocab {
            w.str("tokenizer.ggml.tokens")?;
            w.u32(9)?; // GGUF_TYPE_ARRAY
            w.u32(8)?; // of STRING
            w.u64(m.n_vocab)?;
            for i in 0..m.n_vocab {
                w.str(&format!("<tok{i}{}>", "_".repeat(m.token_pad)))?;
            }
        }
    }
    if let Some((no, count, total)) = split {
        // llama.cpp's LLM_KV_SPLIT_*: u16, u16, i32.
        w.kv_u16("split.no", no)?;
        w.kv_u16("split.count", count)?;
        w.str("split.tensors.count")?;
        w.u32(5)?; // GGUF_TYPE_INT32
        w.b(&total.to_le_bytes())?;
    }
    let mut offset = 0u64;
    for (name, dims, ty) in tensors {
        w.str(name)?;
        w.u32(dims.len() as u32)?;
        for d in dims {
            w.u64(*d)?;
        }
        w.u32(ty.id())?;
        w.u64(offset)?;
        let bytes = ty
            .tensor_bytes(dims)
            .ok_or_else(|| io::Error::other("tensor rows are not whole blocks"))?;
        offset = pad(offset + bytes);
    }
    let header = w.1;
    let data_start = pad(header);
    w.b(&vec![0u8; (data_start - header) as usize])?;
    buf.flush()?;
    drop(buf);
    let size = data_start + offset;
    file.set_len(size)?;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_file_parses_and_is_sparse() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.gguf");
        let size = write_gguf(&p, &SynthModel::llama7b("seven")).unwrap();
        assert!(size > 3 << 30, "{size}");
        let f = cabe_gguf::read_path(&p).unwrap();
        assert_eq!(f.architecture(), Some("llama"));
        assert_eq!(f.tensors.len(), 32 * 9 + 3);
        assert_eq!(f.file_size, size);
        assert!(f.params_total() > 6_500_000_000);
        let mut v = SynthModel::small("v");
        v.with_vocab = true;
        write_gguf(&p, &v).unwrap();
        let f = cabe_gguf::read_path(&p).unwrap();
        let tokens = f.get("tokenizer.ggml.tokens").unwrap();
        assert_eq!(tokens.as_array().map(|a| a.len()), Some(32000));
        assert!(f.header_bytes() > 300_000);
    }

    #[test]
    fn split_shards_read_back_as_the_whole_model() {
        let dir = tempfile::tempdir().unwrap();
        let m = SynthModel::small("parts");
        let paths = write_gguf_split(dir.path(), "parts", &m, 3).unwrap();
        assert_eq!(paths.len(), 3);
        assert!(paths[1].ends_with("parts-00002-of-00003.gguf"));
        let whole = dir.path().join("whole.gguf");
        write_gguf(&whole, &m).unwrap();
        let one = cabe_gguf::read_path(&whole).unwrap();
        let split = cabe_gguf::read_model(&paths[2]).unwrap();
        assert_eq!(split.shards.len(), 3);
        assert_eq!(split.n_tensors(), one.tensors.len());
        assert_eq!(split.params_total(), one.params_total());
        assert_eq!(split.tensor_data_bytes(), one.tensor_data_bytes());
        assert_eq!(split.architecture(), Some("llama"));
    }
}
