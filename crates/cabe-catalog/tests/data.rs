//! The embedded catalogs: they parse, every row is complete and sourced (public URLs), the
//! numbers are sane, and spot values match the models' HF configs.

use std::collections::{HashMap, HashSet};

use cabe_catalog::{
    efficiency, hardware, hardware_keys, model_keys, models, normalize, parse_hardware,
    parse_models, HARDWARE_TOML, MODELS_TOML,
};
use cabe_core::hardware::{Backend, MemoryKind};
use cabe_core::model::LayerKind;

fn is_kebab_id(id: &str) -> bool {
    // lowercase ASCII letters and digits in groups joined by single '-' or '.' ("qwen2.5-7b").
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !id.starts_with(['-', '.'])
        && !id.ends_with(['-', '.'])
        && !id.contains("--")
        && !id.contains("..")
        && !id.contains("-.")
        && !id.contains(".-")
}

fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && s[..4]
            .parse::<u32>()
            .is_ok_and(|y| (2015..=2030).contains(&y))
        && s[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
}

/// Internal citations a catalog must not carry: every fact names its public source.
const NOT_PUBLIC: &[&str] = &["../shared", "/work/", "models.md", "hardware.md", "§"];

/// The items of a `source`: "URL (what it gives)" separated by "; " outside parentheses.
fn source_items(source: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    let b = source.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b';' if depth == 0 && b.get(i + 1) == Some(&b' ') => {
                items.push(&source[start..i]);
                start = i + 2;
            }
            _ => {}
        }
    }
    items.push(&source[start..]);
    items
}

/// Every item of `source` starts with an http(s) URL, and no internal citation is left.
fn assert_public_source(id: &str, source: &str) {
    for bad in NOT_PUBLIC {
        assert!(
            !source.contains(bad),
            "{id}: source cites {bad:?}: {source}"
        );
    }
    for item in source_items(source) {
        let url = item.split(' ').next().unwrap_or("");
        assert!(
            (url.starts_with("https://") || url.starts_with("http://")) && url.len() > 12,
            "{id}: every source item must start with an http(s) URL, not {item:?}"
        );
    }
}

#[test]
fn source_items_split_outside_parentheses() {
    assert_eq!(
        source_items("https://a.example/x (1; 2); http://b.example/"),
        vec!["https://a.example/x (1; 2)", "http://b.example/"]
    );
}

#[test]
fn embedded_catalogs_parse() {
    parse_models(MODELS_TOML).unwrap_or_else(|e| panic!("{e}"));
    parse_hardware(HARDWARE_TOML).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn catalogs_are_big_enough() {
    assert!(models().len() >= 50, "{} models", models().len());
    assert!(hardware().len() >= 40, "{} machines", hardware().len());
}

#[test]
fn model_rows_are_complete_and_sourced() {
    for m in models() {
        let id = &m.id;
        assert!(is_kebab_id(id), "{id}: id must be lowercase kebab");
        for (field, v) in [
            ("name", &m.name),
            ("hf_id", &m.hf_id),
            ("family", &m.family),
            ("license", &m.license),
            ("source", &m.source),
            ("architecture", &m.spec.architecture),
        ] {
            assert!(!v.trim().is_empty(), "{id}: empty {field}");
        }
        assert!(m.hf_id.contains('/'), "{id}: hf_id should be org/repo");
        assert!(
            is_year_month(&m.released),
            "{id}: released '{}'",
            m.released
        );
        assert_public_source(id, &m.source);
        assert_eq!(m.spec.name, m.name, "{id}");
    }
}

#[test]
fn hardware_rows_are_complete_and_sourced() {
    for h in hardware() {
        let id = &h.id;
        assert!(is_kebab_id(id), "{id}: id must be lowercase kebab");
        assert!(!h.name.trim().is_empty(), "{id}: empty name");
        assert!(!h.source.trim().is_empty(), "{id}: empty source");
        assert_public_source(id, &h.source);
        assert!(
            is_year_month(&h.released),
            "{id}: released '{}'",
            h.released
        );
        assert_eq!(&h.spec.id, id);
        assert_eq!(h.spec.name, h.name, "{id}");
    }
}

/// Ids are unique, and no id/alias/name of one row names another row.
fn check_names<T>(rows: &[T], id: impl Fn(&T) -> &str, keys: impl Fn(&T) -> Vec<&str>) {
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut ids = HashSet::new();
    for r in rows {
        let rid = id(r);
        assert!(ids.insert(rid.to_string()), "duplicate id {rid}");
        for k in keys(r) {
            let n = normalize(k);
            if let Some(other) = owner.get(&n) {
                assert_eq!(other, rid, "'{k}' names both {other} and {rid}");
            }
            owner.insert(n, rid.to_string());
        }
    }
}

#[test]
fn names_are_unique_across_rows() {
    check_names(models(), |m| &m.id, model_keys);
    check_names(hardware(), |h| &h.id, hardware_keys);
}

/// Aliases may spell the id differently on purpose (Ollama tags such as `llama3.2:1b` are kept
/// verbatim even where they normalize to the id), but a row must not list the same alias twice.
#[test]
fn aliases_are_not_repeated() {
    let rows = models()
        .iter()
        .map(|m| (&m.id, &m.aliases))
        .chain(hardware().iter().map(|h| (&h.id, &h.aliases)));
    for (id, aliases) in rows {
        let mut seen = HashSet::new();
        for a in aliases {
            assert!(!a.trim().is_empty(), "{id}: empty alias");
            assert!(
                seen.insert(a.to_lowercase()),
                "{id}: alias '{a}' listed twice"
            );
        }
    }
}

#[test]
fn model_numbers_are_sane() {
    for m in models() {
        let id = &m.id;
        let s = &m.spec;
        assert!(m.params_b > 0.0, "{id}: params_b");
        if let Some(act) = m.active_params_b {
            assert!(s.moe.is_some(), "{id}: active_params_b on a dense model");
            assert!(act > 0.0 && act < m.params_b, "{id}: active {act}");
        }
        if s.moe.is_some() {
            assert!(
                m.active_params_b.is_some(),
                "{id}: MoE without active_params_b"
            );
        }
        assert!(
            s.n_embd > 0 && s.n_vocab > 0 && s.native_ctx >= 2048,
            "{id}"
        );
        assert!(!s.layers.is_empty(), "{id}: no layers");
        assert!(s.head_dim_k > 0 && s.head_dim_v > 0, "{id}: head dims");

        // Every attention layer: heads divide evenly into KV groups.
        let mut n_attn = 0;
        for (il, l) in s.layers.iter().enumerate() {
            assert!(l.n_head > 0, "{id} layer {il}: n_head 0");
            match l.kind {
                LayerKind::Attention => {
                    n_attn += 1;
                    assert!(
                        l.n_head_kv > 0,
                        "{id} layer {il}: attention without KV heads"
                    );
                    assert_eq!(l.n_head % l.n_head_kv, 0, "{id} layer {il}: GQA");
                }
                _ => {
                    assert_eq!(l.n_head_kv, 0, "{id} layer {il}: recurrent with KV heads");
                    assert!(!l.swa, "{id} layer {il}: recurrent layer marked SWA");
                }
            }
            // A layer has an FFN: dense or MoE, never both, never neither.
            assert!(
                l.moe != (l.n_ff > 0),
                "{id} layer {il}: moe {} n_ff {}",
                l.moe,
                l.n_ff
            );
        }
        assert!(n_attn > 0, "{id}: no attention layer");

        // head_dim x n_head relation: either n_embd / n_head, or set explicitly (MLA: cache dims).
        if let Some(mla) = &s.mla {
            assert_eq!(s.head_dim_k, mla.kv_lora_rank + mla.rope_dim, "{id}");
            assert_eq!(s.head_dim_v, mla.kv_lora_rank, "{id}");
            assert!(s.attention_layers().all(|(_, l)| l.n_head_kv == 1), "{id}");
        } else {
            assert_eq!(s.head_dim_k, s.head_dim_v, "{id}");
            let implied = s.n_embd / s.max_n_head() as u64;
            if s.head_dim_k != implied {
                // Explicit head_dim: must be a sane width (64..=256, multiple of 32).
                assert!(
                    (64..=256).contains(&s.head_dim_k) && s.head_dim_k % 32 == 0,
                    "{id}: head_dim {} vs n_embd/n_head {implied}",
                    s.head_dim_k
                );
            }
        }

        if let Some(moe) = &s.moe {
            assert!(moe.n_expert_used >= 1, "{id}");
            assert!(
                moe.n_expert_used <= moe.n_expert,
                "{id}: experts used > experts"
            );
            assert!(moe.expert_ff > 0, "{id}: expert_ff");
            assert!((moe.leading_dense as usize) < s.layers.len(), "{id}");
            let dense = s.layers.iter().filter(|l| !l.moe).count();
            assert_eq!(dense, moe.leading_dense as usize, "{id}: dense layers");
        } else {
            assert!(s.layers.iter().all(|l| !l.moe), "{id}");
        }

        if let Some(w) = &s.swa {
            assert!(w.window > 0 && w.window < s.native_ctx, "{id}: window");
            assert!(
                s.layers.iter().any(|l| l.swa),
                "{id}: SWA without SWA layers"
            );
            assert!(s.layers.iter().any(|l| !l.swa), "{id}: no global layer");
        } else {
            assert!(s.layers.iter().all(|l| !l.swa), "{id}");
        }

        let recurrent = s.recurrent_layer_count();
        assert_eq!(
            recurrent > 0,
            s.ssm.is_some(),
            "{id}: recurrent layers vs ssm"
        );
        if let Some(ssm) = &s.ssm {
            assert!(ssm.d_conv > 0, "{id}: d_conv");
        }
        if let Some(p) = &s.projector {
            assert!(p.params > 0 && (p.params as f64) < m.params_b * 1e9, "{id}");
        }
    }
}

#[test]
fn hardware_numbers_are_sane() {
    for h in hardware() {
        let id = &h.id;
        let s = &h.spec;
        assert!(s.ram_bytes > 0, "{id}: ram");
        assert!(s.bandwidth_gbps > 0.0, "{id}: bandwidth");
        assert!(
            s.bandwidth_gbps < 10_000.0,
            "{id}: bandwidth {}",
            s.bandwidth_gbps
        );
        if let Some(f) = s.gpu_memory_fraction {
            assert!(f > 0.0 && f <= 1.0, "{id}: gpu_memory_fraction {f}");
        }
        if let Some(t) = s.fp16_tflops {
            assert!(t > 0.0 && t < 5000.0, "{id}: tflops {t}");
        }
        if let Some(p) = s.price_usd {
            assert!(p > 10.0, "{id}: price {p}");
        }
        match s.kind {
            MemoryKind::DiscreteGpu => {
                assert!(
                    s.vram_bytes > 0 && s.gpu_count >= 1,
                    "{id}: discrete without VRAM"
                );
                let rbw = s
                    .ram_bandwidth_gbps
                    .expect("discrete rows give host RAM bandwidth");
                assert!(
                    rbw > 0.0 && rbw < s.bandwidth_gbps,
                    "{id}: host RAM bandwidth {rbw}"
                );
            }
            MemoryKind::Unified | MemoryKind::CpuOnly => {
                assert_eq!(s.vram_bytes, 0, "{id}");
                assert_eq!(s.gpu_count, 0, "{id}");
            }
        }
        if s.gpu_memory_fraction.is_some() {
            assert_eq!(
                s.kind,
                MemoryKind::Unified,
                "{id}: fraction is for unified memory"
            );
        }
    }
}

#[test]
fn gb_means_gib() {
    let h = hardware()
        .iter()
        .find(|h| h.id == "mac-mini-m4-16gb")
        .unwrap();
    assert_eq!(h.spec.ram_bytes, 16 << 30);
    let g = hardware().iter().find(|h| h.id == "rtx-4090").unwrap();
    assert_eq!(g.spec.vram_bytes, 24 << 30);
}

#[test]
fn every_seed_machine_exists() {
    let seeds = [
        // Apple
        "mac-mini-m4-16gb",
        "mac-mini-m4-pro-64gb",
        "macbook-pro-m1-8gb",
        "mac-studio-m2-ultra-64gb",
        "mac-studio-m2-ultra-128gb",
        "mac-studio-m2-ultra-192gb",
        "mac-studio-m3-ultra-96gb",
        "mac-studio-m3-ultra-256gb",
        "mac-studio-m3-ultra-512gb",
        // CPU / iGPU laptop, SBCs
        "hp-laptop-i5-1035g1-14gb",
        "raspberry-pi-5-8gb",
        "raspberry-pi-5-16gb",
        // unified non-Apple
        "dgx-spark-128gb",
        "framework-desktop-128gb",
        "asus-rog-flow-z13-128gb",
        "jetson-agx-orin-64gb",
        // AMD
        "threadripper-2x-rx-7900-xtx",
        "rx-7900-xtx",
        "rx-7800-xt",
        "mi250",
        "mi300x",
        // NVIDIA
        "rtx-3060-12gb",
        "rtx-3090",
        "rtx-4060-ti-16gb",
        "rtx-4070",
        "rtx-4080",
        "rtx-4090",
        "rtx-5090",
        "a100-40gb",
        "a100-80gb",
        "h100-sxm",
        "h200",
        "l40s",
        // Intel
        "arc-a770-16gb",
        "arc-b580",
    ];
    let ids: HashSet<&str> = hardware().iter().map(|h| h.id.as_str()).collect();
    for s in seeds {
        assert!(ids.contains(s), "seed machine {s} missing");
    }
}

#[test]
fn seed_machine_values() {
    let get = |id: &str| &hardware().iter().find(|h| h.id == id).unwrap().spec;

    let laptop = get("hp-laptop-i5-1035g1-14gb");
    assert_eq!(laptop.kind, MemoryKind::CpuOnly);
    assert_eq!(laptop.ram_bytes, 14 << 30);

    let tr = get("threadripper-2x-rx-7900-xtx");
    assert_eq!((tr.gpu_count, tr.vram_bytes), (2, 48 << 30));
    assert!(tr.ram_bytes > 0 && tr.ram_bandwidth_gbps.is_some());

    let mi = get("mi300x");
    assert_eq!((mi.vram_bytes, mi.bandwidth_gbps), (192 << 30, 5300.0));

    let spark = get("dgx-spark-128gb");
    assert_eq!(
        (spark.kind, spark.ram_bytes),
        (MemoryKind::Unified, 128 << 30)
    );
    assert_eq!(spark.bandwidth_gbps, 273.0);

    let m3u = get("mac-studio-m3-ultra-96gb");
    assert_eq!((m3u.bandwidth_gbps, m3u.price_usd), (819.0, Some(3999.0)));
    assert_eq!(m3u.gpu_memory_fraction, Some(0.75));
    assert_eq!(get("mac-mini-m4-16gb").gpu_memory_fraction, Some(0.6667));
    assert_eq!(get("macbook-pro-m1-8gb").bandwidth_gbps, 68.25);
    assert_eq!(get("raspberry-pi-5-8gb").kind, MemoryKind::CpuOnly);
}

fn model(id: &str) -> &'static cabe_catalog::ModelEntry {
    models()
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("model {id} missing"))
}

#[test]
fn every_checked_model_is_present() {
    // The 49 models whose architecture was checked field by field against a copy of their HF
    // config (or vendor model-builder code); the spot checks below number them in this order.
    let rows = [
        "llama-3.2-1b",
        "llama-3.2-3b",
        "llama-3.1-8b",
        "llama-3.1-70b",
        "llama-3.1-405b",
        "llama-3.3-70b",
        "qwen2.5-0.5b",
        "qwen2.5-1.5b",
        "qwen2.5-3b",
        "qwen2.5-7b",
        "qwen2.5-14b",
        "qwen2.5-32b",
        "qwen2.5-72b",
        "qwen2.5-coder-7b",
        "qwen2.5-coder-32b",
        "qwen3-0.6b",
        "qwen3-1.7b",
        "qwen3-4b",
        "qwen3-8b",
        "qwen3-14b",
        "qwen3-32b",
        "qwen3-30b-a3b",
        "qwen3-coder-30b-a3b",
        "qwen3-235b-a22b",
        "qwen3-coder-480b-a35b",
        "gemma-2-2b",
        "gemma-2-9b",
        "gemma-2-27b",
        "gemma-3-1b",
        "gemma-3-4b",
        "gemma-3-12b",
        "gemma-3-27b",
        "phi-3-mini-4k",
        "phi-4",
        "mistral-7b-v0.3",
        "mistral-nemo-12b",
        "mistral-small-24b",
        "devstral-small",
        "mixtral-8x7b",
        "deepseek-v3",
        "deepseek-r1",
        "deepseek-r1-distill-qwen-7b",
        "deepseek-r1-distill-qwen-32b",
        "gpt-oss-20b",
        "gpt-oss-120b",
        "smollm2-135m",
        "smollm2-360m",
        "smollm2-1.7b",
        "tinyllama-1.1b",
    ];
    assert_eq!(rows.len(), 49);
    for id in rows {
        assert_public_source(id, &model(id).source);
    }
    // The architectures the estimator must size beyond plain transformers.
    for id in [
        "deepseek-v2-lite",
        "qwen3-next-80b-a3b",
        "granite-4.0-h-tiny",
        "lfm2-1.2b",
        "phi-3.5-mini",
    ] {
        model(id);
    }
}

#[test]
fn spot_values_from_the_hf_configs() {
    // Row 23.
    let m = &model("qwen3-coder-30b-a3b").spec;
    assert_eq!(m.n_layer(), 48);
    assert_eq!(m.max_n_head_kv(), 4);
    assert_eq!((m.head_dim_k, m.head_dim_v), (128, 128));
    assert_eq!(m.native_ctx, 262144);
    assert_eq!(m.architecture, "qwen3moe");
    let moe = m.moe.as_ref().unwrap();
    assert_eq!(
        (moe.n_expert, moe.n_expert_used, moe.expert_ff),
        (128, 8, 768)
    );
    assert!(m.layers.iter().all(|l| l.moe && l.n_ff == 0));

    // Row 32: 10 global of 62, window 1024.
    let g = &model("gemma-3-27b").spec;
    assert_eq!(g.n_layer(), 62);
    assert_eq!(g.layers.iter().filter(|l| !l.swa).count(), 10);
    assert_eq!(g.swa.as_ref().unwrap().window, 1024);
    assert_eq!(g.swa.as_ref().unwrap().pattern, "5 local : 1 global");
    assert_eq!(g.head_dim_k, 128);

    // Row 29: layers 5, 11, 17, 23 global; window 512.
    let g1 = &model("gemma-3-1b").spec;
    let global: Vec<usize> = (0..26).filter(|&i| !g1.layers[i].swa).collect();
    assert_eq!(global, vec![5, 11, 17, 23]);
    assert_eq!(g1.swa.as_ref().unwrap().window, 512);

    // Row 26: gemma-2 even layers local.
    let g2 = &model("gemma-2-2b").spec;
    assert!(g2
        .layers
        .iter()
        .enumerate()
        .all(|(i, l)| l.swa == (i % 2 == 0)));
    assert_eq!(g2.swa.as_ref().unwrap().window, 4096);

    // Row 44: 12 SWA layers of 24 (the even ones), window 128.
    let o = &model("gpt-oss-20b").spec;
    assert_eq!(o.n_layer(), 24);
    let swa: Vec<usize> = (0..24).filter(|&i| o.layers[i].swa).collect();
    assert_eq!(swa.len(), 12);
    assert!(swa.iter().all(|i| i % 2 == 0));
    assert_eq!(o.swa.as_ref().unwrap().window, 128);
    assert_eq!(o.head_dim_k, 64);

    // Row 40: MLA, cached K 576 and V 512, n_head_kv 1, 128 real heads, 3 dense layers.
    let d = &model("deepseek-v3").spec;
    assert_eq!((d.head_dim_k, d.head_dim_v), (576, 512));
    assert_eq!(d.max_n_head(), 128);
    assert_eq!(d.max_n_head_kv(), 1);
    let moe = d.moe.as_ref().unwrap();
    assert_eq!(
        (moe.n_expert, moe.n_expert_used, moe.n_expert_shared),
        (256, 8, 1)
    );
    assert_eq!(moe.leading_dense, 3);
    assert!(d.layers[..3].iter().all(|l| !l.moe && l.n_ff == 18432));
    assert!(d.layers[3..].iter().all(|l| l.moe && l.n_ff == 0));
    assert_eq!(d.mla.as_ref().unwrap().q_lora_rank, 1536);

    // Row 33: Phi-3 has no SWA in llama.cpp; MHA, head_dim 96.
    let p = &model("phi-3-mini-4k").spec;
    assert!(p.swa.is_none());
    assert_eq!((p.head_dim_k, p.max_n_head_kv()), (96, 32));

    // Rows 36/37: explicit head_dim 128 != 5120/32.
    assert_eq!(model("mistral-nemo-12b").spec.head_dim_k, 128);
    assert_eq!(model("mistral-small-24b").spec.head_dim_k, 128);
    // Row 16: 16 x 128 != 1024.
    assert_eq!(model("qwen3-0.6b").spec.head_dim_k, 128);
    // Row 7: implied 896 / 14 = 64; tied.
    let q = &model("qwen2.5-0.5b").spec;
    assert_eq!(q.head_dim_k, 64);
    assert!(q.tied_embeddings);
    // Row 39: Mixtral, every layer MoE, 8 experts / 2.
    let mx = &model("mixtral-8x7b").spec;
    assert!(mx.layers.iter().all(|l| l.moe));
    assert_eq!(mx.moe.as_ref().unwrap().expert_ff, 14336);
    assert_eq!(model("mixtral-8x7b").active_params_b, Some(12.88));
    // Row 5.
    assert_eq!(model("llama-3.1-405b").spec.n_layer(), 126);
    assert_eq!(model("llama-3.1-405b").params_b, 405.85);
}

#[test]
fn added_architectures_convert_per_llama_cpp() {
    // DeepSeek-V2-Lite: MLA without low-rank Q; 1 dense layer then 26 MoE layers.
    let d = &model("deepseek-v2-lite").spec;
    assert_eq!(d.architecture, "deepseek2");
    let mla = d.mla.as_ref().unwrap();
    assert_eq!(
        (mla.q_lora_rank, mla.kv_lora_rank, mla.rope_dim),
        (0, 512, 64)
    );
    assert_eq!(
        (d.head_dim_k, d.head_dim_v, d.max_n_head_kv()),
        (576, 512, 1)
    );
    assert_eq!(d.max_n_head(), 16);
    let moe = d.moe.as_ref().unwrap();
    assert_eq!(
        (
            moe.n_expert,
            moe.n_expert_used,
            moe.n_expert_shared,
            moe.expert_ff
        ),
        (64, 6, 2, 1408)
    );
    assert_eq!(d.layers.iter().filter(|l| l.moe).count(), 26);

    // Qwen3-Next: every 4th layer attention (3, 7, ...), 2 KV heads x 256; 36 gated delta-net.
    let q = &model("qwen3-next-80b-a3b").spec;
    let attn: Vec<usize> = q.attention_layers().map(|(i, _)| i).collect();
    assert_eq!(attn, (0..12).map(|k| 4 * k + 3).collect::<Vec<_>>());
    assert_eq!(q.recurrent_layer_count(), 36);
    assert_eq!((q.head_dim_k, q.max_n_head_kv()), (256, 2));
    let ssm = q.ssm.as_ref().unwrap();
    assert_eq!(ssm.kind, cabe_core::model::SsmKind::GatedDeltaNet);
    assert_eq!(
        (
            ssm.d_conv,
            ssm.d_inner,
            ssm.n_group,
            ssm.d_state,
            ssm.dt_rank
        ),
        (4, 4096, 16, 128, 32)
    );
    let moe = q.moe.as_ref().unwrap();
    assert_eq!(
        (moe.n_expert, moe.n_expert_used, moe.shared_ff),
        (512, 10, 512)
    );

    // Granite-4.0-H-Tiny: 4 attention layers (5, 15, 25, 35), 36 Mamba2 layers.
    let g = &model("granite-4.0-h-tiny").spec;
    let attn: Vec<usize> = g.attention_layers().map(|(i, _)| i).collect();
    assert_eq!(attn, vec![5, 15, 25, 35]);
    assert_eq!(g.recurrent_layer_count(), 36);
    assert_eq!(
        g.ssm.as_ref().unwrap().kind,
        cabe_core::model::SsmKind::Mamba
    );
    assert!(g.layers.iter().all(|l| l.moe));

    // LFM2: 6 attention layers, 10 short-conv layers, all dense FFN.
    let l = &model("lfm2-1.2b").spec;
    assert_eq!(l.attention_layers().count(), 6);
    assert_eq!(l.recurrent_layer_count(), 10);
    assert_eq!(
        l.ssm.as_ref().unwrap().kind,
        cabe_core::model::SsmKind::ShortConv
    );
    assert!(l.layers.iter().all(|x| !x.moe && x.n_ff == 8192));

    // Vision models carry their projector.
    let vl = &model("qwen2.5-vl-7b").spec;
    assert_eq!(vl.projector.as_ref().unwrap().params, 680_000_000);
    assert!(model("gemma-3-1b").spec.projector.is_none());
}

/// A typo in a shape (n_ff, n_head_kv, expert_ff, ...) shows up as a parameter count that no
/// longer matches the row's `params_b`: count the tensors llama.cpp would create
/// (`cabe_core::layout`) and compare.
#[test]
fn shapes_add_up_to_params_b() {
    for m in models() {
        let mut n: u64 = cabe_core::layout::tensor_shapes(&m.spec)
            .iter()
            .map(|t| t.elements())
            .sum();
        if m.gguf_unties_embeddings {
            // The card counts the tied matrix once; the GGUF stores it twice.
            n -= m.spec.n_embd * m.spec.n_vocab;
        }
        let b = n as f64 / 1e9;
        let tolerance = (0.01 * m.params_b).max(0.006);
        assert!(
            (b - m.params_b).abs() <= tolerance,
            "{}: shapes give {b:.3}B, row says {}B",
            m.id,
            m.params_b
        );
    }
}

#[test]
fn speed_rows_cite_public_runs_or_say_they_are_assumptions() {
    for b in [
        Backend::Cuda,
        Backend::Metal,
        Backend::Rocm,
        Backend::Vulkan,
        Backend::Sycl,
        Backend::Cpu,
    ] {
        let src = &efficiency(b).source;
        for bad in NOT_PUBLIC {
            assert!(!src.contains(bad), "{b:?}: source cites {bad:?}: {src}");
        }
        assert!(
            src.contains("https://") || src.starts_with("assumption:"),
            "{b:?}: a speed row cites a public URL or starts with 'assumption:': {src}"
        );
    }
}
