//! Reads llama.cpp's own report of what it allocated from its load log.
//!
//! The lines and where llama.cpp prints them (vendored llama.cpp of llama-cpp-python 0.3.36;
//! older spellings seen in users' logs are accepted too):
//!
//! | line | source |
//! |---|---|
//! | `load_tensors: CPU_Mapped model buffer size = 942.43 MiB` | `llama_model_base::load_tensors` |
//! | `llama_context: CPU  output buffer size = 0.58 MiB` | `llama_context::llama_context` after `output_reserve` |
//! | `llama_kv_cache: CPU KV buffer size = 48.00 MiB` | `llama_kv_cache::llama_kv_cache` (older: `llama_kv_cache_unified`, `llama_kv_cache_init`) |
//! | `llama_kv_cache: size = 48.00 MiB (4096 cells, 24 layers, 1/1 seqs), K (f16): 24.00 MiB, V (f16): 24.00 MiB` | same |
//! | `llama_memory_recurrent: CPU RS buffer size = 4.00 MiB` and its `size = … R (f32): …, S (f32): …` | `llama_memory_recurrent::llama_memory_recurrent` |
//! | `sched_reserve: CPU compute buffer size = 300.25 MiB` | `llama_context::sched_reserve` (older: `llama_context:`, `llama_new_context_with_model:`) |
//! | `~llama_context: CPU compute buffer size is 300.2520 MiB, matches expectation …` | destructor, debug level (`-v`) |
//!
//! A log may hold several loads: with `-fit on` (the default) llama.cpp first loads the model
//! with `no_alloc` to project its memory (`common_params_fit_impl`), then for real. Each
//! `llama_context: constructing llama_context` starts a new [`LoadReport`].

use serde::Serialize;

/// One buffer line: the buffer type's name and its size in MiB as printed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Buffer {
    pub name: String,
    pub mib: f64,
}

/// The summary line of one KV cache (`llama_kv_cache: size = …`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KvSize {
    pub mib: f64,
    pub cells: u64,
    pub layers: u64,
    pub seqs: u64,
    /// Streams (`1/4 seqs` → 4 seqs, 1 stream… printed as `n_seq_max/n_stream`); `None` in
    /// older logs that print only `N seqs`.
    pub streams: Option<u64>,
    pub k_type: String,
    pub k_mib: f64,
    pub v_type: String,
    pub v_mib: f64,
}

/// The summary line of a recurrent state (`llama_memory_recurrent: size = …`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RsSize {
    pub mib: f64,
    pub cells: u64,
    pub layers: u64,
    pub r_mib: f64,
    pub s_mib: f64,
}

/// Context parameters as llama.cpp printed them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ContextInfo {
    pub n_seq_max: Option<u64>,
    pub n_ctx: Option<u64>,
    pub n_ctx_seq: Option<u64>,
    pub n_batch: Option<u64>,
    pub n_ubatch: Option<u64>,
    pub flash_attn: Option<String>,
    pub kv_unified: Option<bool>,
}

/// A row of the memory breakdown table (`common_memory_breakdown_print`), MiB.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakdownRow {
    pub device: String,
    pub model: u64,
    pub context: u64,
    pub compute: u64,
}

/// Everything one model + context load printed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LoadReport {
    /// True for llama.cpp's `no_alloc` projection pass (`-fit`, `llama-fit-params`): buffers
    /// print as 0.00 MiB, the KV `size =` line and compute buffers are the projected sizes.
    pub projected: bool,
    pub model_buffers: Vec<Buffer>,
    pub context: ContextInfo,
    pub output_buffers: Vec<Buffer>,
    pub kv_buffers: Vec<Buffer>,
    pub kv_sizes: Vec<KvSize>,
    /// `llama_kv_cache_iswa: creating non-SWA/SWA KV cache, size = N cells` (non-SWA first).
    pub iswa_cells: Vec<u64>,
    pub rs_buffers: Vec<Buffer>,
    pub rs_sizes: Vec<RsSize>,
    pub compute_buffers: Vec<Buffer>,
    /// The destructor's 4-decimal compute buffer sizes (debug level).
    pub compute_exact: Vec<Buffer>,
    pub breakdown: Vec<BreakdownRow>,
}

impl LoadReport {
    pub fn model_mib(&self) -> f64 {
        self.model_buffers.iter().map(|b| b.mib).sum()
    }
    pub fn kv_mib(&self) -> f64 {
        self.kv_sizes.iter().map(|k| k.mib).sum()
    }
    pub fn rs_mib(&self) -> f64 {
        self.rs_sizes.iter().map(|k| k.mib).sum()
    }
    pub fn output_mib(&self) -> f64 {
        self.output_buffers.iter().map(|b| b.mib).sum()
    }
    /// The compute buffers, the 4-decimal figures where the log has them.
    pub fn compute_mib(&self) -> f64 {
        if !self.compute_exact.is_empty() {
            self.compute_exact.iter().map(|b| b.mib).sum()
        } else {
            self.compute_buffers.iter().map(|b| b.mib).sum()
        }
    }
}

/// The text after the log prefix: llama.cpp's `-v` logs start with `0.00.123.456 I `.
fn strip_prefix(line: &str) -> &str {
    let t = line.trim_start();
    let mut parts = t.splitn(3, ' ');
    if let (Some(ts), Some(level), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
        if ts.len() >= 9 && ts.bytes().all(|b| b.is_ascii_digit() || b == b'.') && level.len() == 1
        {
            return rest;
        }
    }
    t
}

fn num(s: &str) -> Option<f64> {
    s.trim().trim_end_matches("MiB").trim().parse().ok()
}

/// `NAME <label> = X MiB` → (NAME, X), for a label like "model buffer size".
fn buffer(rest: &str, label: &str) -> Option<Buffer> {
    let (name, size) = rest.split_once(label)?;
    let size = size.trim_start().strip_prefix('=')?;
    Some(Buffer {
        name: name.trim().to_string(),
        mib: num(size.split("MiB").next()?)?,
    })
}

fn after<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    s.find(key).map(|i| &s[i + key.len()..])
}

/// `X MiB` right after `key`.
fn mib_after(s: &str, key: &str) -> Option<f64> {
    num(after(s, key)?.split("MiB").next()?)
}

fn int_before(s: &str, key: &str) -> Option<u64> {
    let i = s.find(key)?;
    s[..i]
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|x| !x.is_empty())?
        .parse()
        .ok()
}

fn parse_kv_size(rest: &str) -> Option<KvSize> {
    // size = 448.00 MiB (  4096 cells,  28 layers,  1/1 seqs), K (f16):  224.00 MiB, V (f16):  224.00 MiB
    let mib = mib_after(rest, "size =")?;
    let cells = int_before(rest, " cells")?;
    let layers = int_before(rest, " layers")?;
    let seqs_part = after(rest, "layers,")?.split("seqs").next()?.trim();
    let (seqs, streams) = match seqs_part.split_once('/') {
        Some((a, b)) => (a.trim().parse().ok()?, Some(b.trim().parse().ok()?)),
        None => (seqs_part.parse().ok()?, None),
    };
    let k_part = after(rest, "K (")?;
    let (k_type, k_rest) = k_part.split_once(')')?;
    let v_part = after(rest, "V (")?;
    let (v_type, v_rest) = v_part.split_once(')')?;
    Some(KvSize {
        mib,
        cells,
        layers,
        seqs,
        streams,
        k_type: k_type.to_string(),
        k_mib: num(k_rest.trim_start_matches(':').split("MiB").next()?)?,
        v_type: v_type.to_string(),
        v_mib: num(v_rest.trim_start_matches(':').split("MiB").next()?)?,
    })
}

fn parse_rs_size(rest: &str) -> Option<RsSize> {
    Some(RsSize {
        mib: mib_after(rest, "size =")?,
        cells: int_before(rest, " cells")?,
        layers: int_before(rest, " layers")?,
        r_mib: num(after(rest, "R (")?
            .split_once("):")?
            .1
            .split("MiB")
            .next()?)?,
        s_mib: num(after(rest, "S (")?
            .split_once("):")?
            .1
            .split("MiB")
            .next()?)?,
    })
}

fn parse_breakdown(rest: &str) -> Option<BreakdownRow> {
    // |   - Host               |                 1290 =   942 +      48 +     300                |
    // |   - CUDA0 (RTX 4090)   | 24077 =  945 + (19187 = 17904 +     384 +     898) +        3945 |
    let body = rest.trim().trim_matches('|');
    let (dev, nums) = body.split_once('|')?;
    let device = dev.trim().trim_start_matches('-').trim().to_string();
    let nums = nums.replace(['(', ')'], " ");
    let parts: Vec<&str> = nums.split(['=', '+']).map(str::trim).collect();
    let vals: Vec<u64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    // Host rows: self = model + context + compute; device rows: total = free + (self = m + c + k) + unaccounted.
    let (model, context, compute) = match vals.len() {
        4 => (vals[1], vals[2], vals[3]),
        7 => (vals[3], vals[4], vals[5]),
        _ => return None,
    };
    Some(BreakdownRow {
        device,
        model,
        context,
        compute,
    })
}

/// Splits a log into loads and reads each one's buffers.
pub fn parse_log(text: &str) -> Vec<LoadReport> {
    let mut out: Vec<LoadReport> = Vec::new();
    let mut cur = LoadReport::default();
    let mut cur_has_context = false;
    let mut projecting = false;
    let mut prev_model_line = false;
    for line in text.lines() {
        let l = strip_prefix(line);
        let was_model_line = std::mem::replace(&mut prev_model_line, false);
        let (func, rest) = match l.split_once(": ") {
            Some(x) => x,
            None => continue,
        };
        let func = func.trim();
        if func == "common_params_fit_impl" && rest.contains("getting device memory data") {
            projecting = true;
        }
        if func == "load_tensors" && rest.contains("model buffer size") {
            // A new model load: close the previous load (model buffer lines come in a run).
            if cur_has_context || (!was_model_line && !cur.model_buffers.is_empty()) {
                out.push(std::mem::take(&mut cur));
                cur_has_context = false;
            }
            prev_model_line = true;
            cur.projected = projecting;
            if let Some(b) = buffer(rest, "model buffer size") {
                cur.model_buffers.push(b);
            }
            continue;
        }
        if rest.contains("constructing llama_context") {
            if cur_has_context {
                let models = cur.model_buffers.clone();
                out.push(std::mem::take(&mut cur));
                cur.model_buffers = models;
            }
            cur_has_context = true;
            cur.projected = projecting;
            continue;
        }
        if (func == "common_params_fit_impl" || func == "common_fit_params")
            && (rest.contains("projected to use") || rest.contains("successfully fit"))
        {
            projecting = false;
        }
        match func {
            "llama_context" | "llama_new_context_with_model" => {
                if let Some(b) = buffer(rest, "output buffer size") {
                    cur.output_buffers.push(b);
                } else if let Some(b) = buffer(rest, "compute buffer size") {
                    cur.compute_buffers.push(b);
                } else if let Some((k, v)) = rest.split_once('=') {
                    let (k, v) = (k.trim(), v.trim());
                    let n = v.parse::<u64>().ok();
                    let c = &mut cur.context;
                    match k {
                        "n_seq_max" => c.n_seq_max = n,
                        "n_ctx" => c.n_ctx = n,
                        "n_ctx_seq" | "n_ctx_per_seq" => c.n_ctx_seq = n,
                        "n_batch" => c.n_batch = n,
                        "n_ubatch" => c.n_ubatch = n,
                        "flash_attn" => {
                            c.flash_attn = Some(v.split_whitespace().next().unwrap_or("").into())
                        }
                        "kv_unified" => c.kv_unified = Some(v.starts_with("true")),
                        _ => {}
                    }
                }
            }
            "sched_reserve" => {
                if let Some(b) = buffer(rest, "compute buffer size") {
                    cur.compute_buffers.push(b);
                }
            }
            "~llama_context" => {
                if let Some(b) = buffer(rest.replace(" is ", " = ").as_str(), "compute buffer size")
                {
                    cur.compute_exact.push(b);
                }
            }
            f if f.starts_with("llama_kv_cache") || f == "llama_kv_cache_init" => {
                if rest.trim_start().starts_with("size =") {
                    if let Some(k) = parse_kv_size(rest) {
                        cur.kv_sizes.push(k);
                    }
                } else if let Some(b) = buffer(rest, "KV buffer size") {
                    cur.kv_buffers.push(b);
                } else if rest.contains("KV cache, size =") {
                    if let Some(n) = rest
                        .rsplit('=')
                        .next()
                        .and_then(|x| x.trim().trim_end_matches("cells").trim().parse().ok())
                    {
                        cur.iswa_cells.push(n);
                    }
                }
            }
            "llama_memory_recurrent" => {
                if rest.trim_start().starts_with("size =") {
                    if let Some(r) = parse_rs_size(rest) {
                        cur.rs_sizes.push(r);
                    }
                } else if let Some(b) = buffer(rest, "RS buffer size") {
                    cur.rs_buffers.push(b);
                }
            }
            "common_memory_breakdown_print" | "llama_memory_breakdown_print" => {
                if let Some(r) = parse_breakdown(rest) {
                    cur.breakdown.push(r);
                }
            }
            _ => {}
        }
    }
    if cur_has_context || !cur.model_buffers.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded load logs in the repository (`tests/fixtures/llamacpp/logs`, see
    /// `tests/fixtures/SOURCES.md`). A missing file fails the test.
    fn fixture(name: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/llamacpp/logs")
            .join(name);
        std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("fixture {} is missing or unreadable: {e}", p.display()))
    }

    #[test]
    fn current_format_with_timestamps() {
        let log = "\
0.00.690.711 I load_tensors:          CPU model buffer size =     0.00 MiB
0.00.694.609 I llama_context: constructing llama_context
0.00.694.626 I llama_context: n_ctx                 = 4096
0.00.694.652 I llama_context: flash_attn            = auto
0.00.694.780 I llama_context:        CPU  output buffer size =     0.58 MiB
0.00.695.002 I llama_kv_cache:        CPU KV buffer size =     0.00 MiB
0.00.695.010 I llama_kv_cache: size =   48.00 MiB (  4096 cells,  24 layers,  1/1 seqs), K (f16):   24.00 MiB, V (f16):   24.00 MiB
0.00.710.016 I sched_reserve:        CPU compute buffer size =   300.25 MiB
0.00.710.150 I common_memory_breakdown_print: |   - Host               |                 1290 =   942 +      48 +     300                |
0.01.396.593 I load_tensors:   CPU_Mapped model buffer size =   942.43 MiB
0.01.399.660 I llama_context: constructing llama_context
0.01.399.825 I llama_kv_cache:        CPU KV buffer size =    48.00 MiB
0.01.451.684 I llama_kv_cache: size =   48.00 MiB (  4096 cells,  24 layers,  1/1 seqs), K (f16):   24.00 MiB, V (f16):   24.00 MiB
0.01.469.038 I sched_reserve:        CPU compute buffer size =   300.25 MiB
0.01.470.442 D ~llama_context:        CPU compute buffer size is 300.2520 MiB, matches expectation of 300.2520 MiB
";
        let r = parse_log(log);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].context.n_ctx, Some(4096));
        assert_eq!(r[0].breakdown[0].model, 942);
        assert_eq!(r[1].model_buffers[0].name, "CPU_Mapped");
        assert_eq!(r[1].model_mib(), 942.43);
        assert_eq!(r[1].kv_sizes[0].cells, 4096);
        assert_eq!(r[1].kv_sizes[0].streams, Some(1));
        assert_eq!(r[1].compute_mib(), 300.2520);
    }

    #[test]
    fn orin_server_log() {
        let log = fixture("llama-server_qwen3-0.6b-Q4_K_M_orin_b5489_ctx4096.log");
        let r = parse_log(&log);
        assert_eq!(r.len(), 1);
        let r = &r[0];
        assert_eq!(
            r.model_buffers,
            vec![Buffer {
                name: "CPU_Mapped".into(),
                mib: 456.11
            }]
        );
        assert_eq!(r.output_buffers[0].mib, 0.58);
        let kv = &r.kv_sizes[0];
        assert_eq!(
            (kv.mib, kv.cells, kv.layers, kv.seqs, kv.streams),
            (448.0, 4096, 28, 1, None)
        );
        assert_eq!(
            (kv.k_type.as_str(), kv.k_mib, kv.v_mib),
            ("f16", 224.0, 224.0)
        );
        assert_eq!(r.compute_buffers.len(), 2);
        assert_eq!(
            r.compute_buffers[0],
            Buffer {
                name: "CUDA0".into(),
                mib: 422.92
            }
        );
        assert_eq!(r.context.n_ubatch, Some(512));
        assert_eq!(r.context.flash_attn.as_deref(), Some("0"));
    }

    #[test]
    fn jina_embedding_log() {
        let log = fixture("llama-embedding_jina-embeddings-v4-text_rtx-ada_ctx4096_fa.log");
        let r = &parse_log(&log)[0];
        assert_eq!(r.model_mib(), 3127.61 + 315.30);
        assert_eq!(r.kv_sizes[0].streams, Some(1));
        assert_eq!(r.kv_sizes[0].mib, 144.0);
        assert_eq!(r.compute_buffers[0].mib, 2470.16);
        assert_eq!(r.context.n_ubatch, Some(4096));
        assert_eq!(r.context.kv_unified, Some(true));
    }

    #[test]
    fn hexagon_log_with_breakdown_tables() {
        let log = fixture("llama-completion_snapdragon-hexagon_llama-3.2-1b_olmoe-1b-7b.log");
        let r = parse_log(&log);
        // Llama-3.2-1B (model buffers only, then the breakdown) and OLMoE (full context).
        let olmoe = r
            .iter()
            .find(|x| !x.kv_sizes.is_empty())
            .expect("OLMoE context");
        assert_eq!(olmoe.kv_sizes[0].k_type, "q8_0");
        assert_eq!(olmoe.kv_sizes[0].mib, 544.0);
        assert_eq!(olmoe.kv_buffers.len(), 2);
        assert_eq!(olmoe.compute_buffers.len(), 3);
        assert!(olmoe
            .breakdown
            .iter()
            .any(|b| b.device == "Host" && b.context == 544));
        let llama = &r[0];
        assert!((llama.model_mib() - (225.49 + 0.26 + 504.00)).abs() < 1e-9);
        assert!(llama
            .breakdown
            .iter()
            .any(|b| b.device == "Host" && b.compute == 77));
    }
}
