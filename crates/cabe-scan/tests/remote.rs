//! Remote header reads against a local 127.0.0.1 server that honours Range: bounded bytes,
//! the same answer as the local file, and refusals for servers that misbehave.

use cabe_scan::http::RemoteLimits;
use cabe_scan::synth::{write_gguf, SynthModel};
use cabe_scan::{read_local, read_url, Candidate, Format, Store};
use cabe_testkit::files::{serve, Mode};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn limits() -> RemoteLimits {
    RemoteLimits {
        timeout: Duration::from_secs(10),
        max_bytes: 64 << 20,
    }
}

#[test]
fn remote_gguf_reads_a_bounded_header_and_matches_the_local_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("llama-7b-Q4_K_M.gguf");
    let size = write_gguf(&p, &SynthModel::llama7b("seven")).unwrap();
    let srv = serve(
        HashMap::from([("/m/llama-7b-Q4_K_M.gguf".to_string(), p.clone())]),
        Mode::Ranges,
    );
    let remote = read_url(&format!("{}/m/llama-7b-Q4_K_M.gguf", srv.base), &limits()).unwrap();
    let local = read_local(&Candidate {
        name: "llama-7b-Q4_K_M.gguf".into(),
        store: Store::Folder,
        format: Format::Gguf,
        path: p.clone(),
        files: vec![p.clone()],
    })
    .unwrap();
    // Same model.
    assert_eq!(remote.spec, local.spec);
    assert_eq!(remote.weights.bytes, local.weights.bytes);
    assert_eq!(remote.weights.params_total, local.weights.params_total);
    assert_eq!(remote.quant, "Q4_K_M");
    assert_eq!(remote.file_bytes, size);
    assert_eq!(remote.native_ctx, 4096);
    // Bounded: the header is ~20 KB; one 64 KiB window covers it. Nothing near the 3.9 GB.
    let sent = srv.sent.load(Ordering::Relaxed);
    assert_eq!(sent, remote.bytes_read);
    assert!(sent <= 64 << 10, "fetched {sent} bytes");
    assert_eq!(srv.requests.load(Ordering::Relaxed), 1);
    assert!(size > 3 << 30);
}

#[test]
fn a_large_header_takes_growing_windows_and_respects_the_cap() {
    // 2,000 layers of tensor infos: a header of ~1.3 MB.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("deep.gguf");
    let mut m = SynthModel::small("deep");
    m.n_layer = 2000;
    write_gguf(&p, &m).unwrap();
    let header = cabe_gguf::read_path(&p).unwrap().header_bytes();
    let srv = serve(
        HashMap::from([("/deep.gguf".to_string(), p.clone())]),
        Mode::Ranges,
    );
    let url = format!("{}/deep.gguf", srv.base);
    let r = read_url(&url, &limits()).unwrap();
    assert_eq!(r.spec.n_layer(), 2000);
    let sent = srv.sent.load(Ordering::Relaxed);
    // Windows double from 64 KiB, so at most twice the header (plus the first window).
    assert!(
        sent >= header && sent <= 2 * header + (64 << 10),
        "{sent} for {header}"
    );
    let reqs = srv.requests.load(Ordering::Relaxed);
    assert!(reqs <= 8, "{reqs} requests");
    // Under a cap smaller than the header: an error, and no more than the cap fetched.
    let before = srv.sent.load(Ordering::Relaxed);
    let small = RemoteLimits {
        max_bytes: 256 << 10,
        ..limits()
    };
    let e = read_url(&url, &small).unwrap_err();
    assert!(e.contains("allowed"), "{e}");
    assert!(srv.sent.load(Ordering::Relaxed) - before <= 256 << 10);
}

#[test]
fn redirects_are_followed_with_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.gguf");
    write_gguf(&p, &SynthModel::small("s")).unwrap();
    let srv = serve(HashMap::from([("/s.gguf".to_string(), p)]), Mode::Ranges);
    // Like a Hugging Face resolve/ URL answering 302 to its CDN.
    let r = read_url(&format!("{}/redirect/s.gguf", srv.base), &limits()).unwrap();
    assert_eq!(r.architecture, "llama");
    assert!(srv.sent.load(Ordering::Relaxed) <= 64 << 10);
}

#[test]
fn a_server_without_ranges_is_refused_not_downloaded() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.gguf");
    write_gguf(&p, &SynthModel::llama7b("big")).unwrap();
    let srv = serve(
        HashMap::from([("/big.gguf".to_string(), p)]),
        Mode::NoRanges,
    );
    let e = read_url(&format!("{}/big.gguf", srv.base), &limits()).unwrap_err();
    assert!(e.contains("does not serve byte ranges"), "{e}");
}

#[test]
fn a_silent_server_times_out() {
    let srv = serve(HashMap::new(), Mode::Silent);
    let t = Instant::now();
    let l = RemoteLimits {
        timeout: Duration::from_millis(500),
        ..limits()
    };
    let e = read_url(&format!("{}/x.gguf", srv.base), &l).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(!e.is_empty());
}

#[test]
fn missing_file_is_an_http_error() {
    let srv = serve(HashMap::new(), Mode::Ranges);
    let e = read_url(&format!("{}/nope.gguf", srv.base), &limits()).unwrap_err();
    assert!(e.contains("404"), "{e}");
}

#[test]
fn remote_safetensors_with_config() {
    let dir = tempfile::tempdir().unwrap();
    let (st, cfg) = common_safetensors(dir.path());
    let srv = serve(
        HashMap::from([
            ("/r/model.safetensors".to_string(), st.clone()),
            ("/r/config.json".to_string(), cfg),
        ]),
        Mode::Ranges,
    );
    let r = read_url(&format!("{}/r/model.safetensors", srv.base), &limits()).unwrap();
    assert_eq!(r.format, Format::Safetensors);
    assert_eq!(r.architecture, "llama");
    assert_eq!(r.quant, "BF16");
    assert_eq!(r.file_bytes, std::fs::metadata(&st).unwrap().len());
    // One 64 KiB window for the header, and the config.json.
    let sent = srv.sent.load(Ordering::Relaxed);
    assert_eq!(sent, r.bytes_read);
    assert!(sent <= (64 << 10) + 1024, "{sent}");
}

/// A one-file llama safetensors model (2 layers) with its config.json; data is a sparse hole.
fn common_safetensors(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (e, ff, v, l) = (256u64, 512u64, 1000u64, 2u32);
    let mut tensors: Vec<(String, Vec<u64>)> =
        vec![("model.embed_tokens.weight".into(), vec![v, e])];
    for i in 0..l {
        for (n, s) in [
            ("self_attn.q_proj", vec![e, e]),
            ("self_attn.k_proj", vec![e, e]),
            ("self_attn.v_proj", vec![e, e]),
            ("self_attn.o_proj", vec![e, e]),
            ("mlp.gate_proj", vec![ff, e]),
            ("mlp.up_proj", vec![ff, e]),
            ("mlp.down_proj", vec![e, ff]),
            ("input_layernorm", vec![e]),
        ] {
            tensors.push((format!("model.layers.{i}.{n}.weight"), s));
        }
    }
    tensors.push(("lm_head.weight".into(), vec![v, e]));
    let mut off = 0u64;
    let mut json = String::from("{\"__metadata__\":{\"format\":\"pt\"}");
    for (n, s) in &tensors {
        let b = s.iter().product::<u64>() * 2;
        json.push_str(&format!(
            ",\"{n}\":{{\"dtype\":\"BF16\",\"shape\":{s:?},\"data_offsets\":[{off},{}]}}",
            off + b
        ));
        off += b;
    }
    json.push('}');
    let st = dir.join("model.safetensors");
    let mut bytes = (json.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(json.as_bytes());
    std::fs::write(&st, &bytes).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&st)
        .unwrap()
        .set_len(bytes.len() as u64 + off)
        .unwrap();
    let cfg = dir.join("config.json");
    std::fs::write(
        &cfg,
        format!(
            r#"{{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":{e},"intermediate_size":{ff},
            "num_hidden_layers":{l},"num_attention_heads":4,"num_key_value_heads":4,"vocab_size":{v},
            "max_position_embeddings":2048,"tie_word_embeddings":false,"torch_dtype":"bfloat16"}}"#
        ),
    )
    .unwrap();
    (st, cfg)
}
