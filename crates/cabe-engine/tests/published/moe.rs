//! Prompt processing of mixtures of experts on GPUs (`moe-prefill.toml`): llama.cpp's
//! `MUL_MAT_ID` multiplies each routed expert by the tokens routed to it in a micro-batch,
//! `t = n_ubatch × n_expert_used / n_expert`, and such small products run below the dense
//! rate. cabe takes their share of the dense efficiency as `t / (t + h)`; this fits `h` on the
//! published rows, requires `data/speed.toml` to carry the fit, and predicts each row with `h`
//! fitted on the others (leave one out).

use cabe_core::kv::RuntimeProfile;
use cabe_core::quant::FileType;
use cabe_core::speed::{prefill_flops, routed_expert_prefill_flops, tokens_per_expert};
use cabe_core::speed::{Placement, Range};
use cabe_core::weights::for_file_type;

pub struct Row {
    pub model: String,
    pub hardware: String,
    pub quant: FileType,
    pub n_prompt: u64,
    pub n_ubatch: u64,
    pub measured_tps: f64,
}

pub fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(super::fixtures().join("moe-prefill.toml")).unwrap();
    let file: toml::Value = toml::from_str(&text).unwrap();
    file["row"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            assert!(s("source").starts_with("https://"), "{r:?}");
            Row {
                model: s("model"),
                hardware: s("hardware"),
                quant: FileType::parse(&s("quant")).unwrap(),
                n_prompt: r["n_prompt"].as_integer().unwrap() as u64,
                n_ubatch: r["n_ubatch"].as_integer().unwrap() as u64,
                measured_tps: r["measured_tps"].as_float().unwrap(),
            }
        })
        .collect()
}

/// The `h` that makes the engine's typical prediction equal the measured rate: the dense part
/// at the backend's shipped efficiency, the experts slowed to what is left of the time.
pub fn half_tokens_of(r: &Row) -> f64 {
    let model = &cabe_catalog::find_model(&r.model).unwrap().spec;
    let hw = &cabe_catalog::find_hardware(&r.hardware).unwrap().spec;
    let eff = cabe_catalog::efficiency(hw.backend);
    let e = if hw.fp16_is_tensor {
        eff.prefill_tensor[1]
    } else {
        eff.prefill_shader[1]
    };
    let w = for_file_type(model, r.quant);
    let all = prefill_flops(model, &w, r.n_prompt);
    let experts = routed_expert_prefill_flops(model, &w, r.n_prompt);
    let dense = all - experts;
    // measured = n · e · peak / (dense + experts / g)
    let work = r.n_prompt as f64 * e * hw.fp16_tflops.unwrap() * 1e12 / r.measured_tps;
    let g = experts / (work - dense);
    assert!(g > 0.0 && g < 1.0, "{}: expert share {g}", r.model);
    let t = tokens_per_expert(model, r.n_prompt, r.n_ubatch);
    t * (1.0 / g - 1.0)
}

/// Fit over rows: the geometric mean of each row's `h`.
pub fn fit(hs: &[f64]) -> f64 {
    (hs.iter().map(|h| h.ln()).sum::<f64>() / hs.len() as f64).exp()
}

/// The engine's prediction for a row (what `cabe fit --prompt-tokens N --ubatch U` prints),
/// with the catalog's efficiency for the backend and `h` replaced when given.
pub fn predict(r: &Row, half_tokens: Option<f64>) -> Range {
    let model = &cabe_catalog::find_model(&r.model).unwrap().spec;
    let hw = &cabe_catalog::find_hardware(&r.hardware).unwrap().spec;
    let w = for_file_type(model, r.quant);
    let mut p = RuntimeProfile::new(r.n_prompt.max(4096));
    p.n_ubatch = r.n_ubatch as u32;
    let mut basis = cabe_engine::SpeedBasis::catalog(hw, None);
    if let Some(h) = half_tokens {
        basis.dev.efficiency.prefill_expert_half_tokens = h;
    }
    basis
        .predict(model, &w, &p, Placement::default(), 0, r.n_prompt)
        .prefill
        .unwrap()
}

#[test]
fn the_shipped_expert_rate_is_the_fit_on_the_published_moe_rows() {
    let rows = rows();
    assert!(rows.len() >= 2);
    let hs: Vec<f64> = rows.iter().map(half_tokens_of).collect();
    let h = fit(&hs);
    for (r, hr) in rows.iter().zip(&hs) {
        eprintln!(
            "{} on {}: {:.0} tokens per expert, h = {hr:.0}",
            r.model,
            r.hardware,
            tokens_per_expert(
                &cabe_catalog::find_model(&r.model).unwrap().spec,
                r.n_prompt,
                r.n_ubatch
            )
        );
    }
    eprintln!("fit on all rows: h = {h:.0}");
    let shipped =
        cabe_catalog::efficiency(cabe_core::hardware::Backend::Cuda).prefill_expert_half_tokens;
    assert!(
        (shipped / h - 1.0).abs() < 0.02,
        "data/speed.toml carries prefill_expert_half_tokens = {shipped}; the rows give {h:.1}"
    );
}

#[test]
fn each_moe_row_is_predicted_from_the_others() {
    let rows = rows();
    let hs: Vec<f64> = rows.iter().map(half_tokens_of).collect();
    for (i, r) in rows.iter().enumerate() {
        let others: Vec<f64> = (0..hs.len()).filter(|&j| j != i).map(|j| hs[j]).collect();
        let held_out = predict(r, Some(fit(&others)));
        let shipped = predict(r, None);
        let without = predict(r, Some(0.0));
        let err = held_out.typical / r.measured_tps - 1.0;
        eprintln!(
            "{} on {}: measured {:.0} t/s; held out {:.0} ({:+.1}%), shipped {:.0} [{:.0}, {:.0}], \
             without the expert term {:.0} ({:+.0}%)",
            r.model,
            r.hardware,
            r.measured_tps,
            held_out.typical,
            100.0 * err,
            shipped.typical,
            shipped.low,
            shipped.high,
            without.typical,
            100.0 * (without.typical / r.measured_tps - 1.0)
        );
        assert!(
            err.abs() < 0.15,
            "{}: held out {:+.1}%",
            r.model,
            100.0 * err
        );
        assert!(
            shipped.low <= r.measured_tps && r.measured_tps <= shipped.high,
            "{}: {} outside [{}, {}]",
            r.model,
            r.measured_tps,
            shipped.low,
            shipped.high
        );
    }
}

#[test]
fn dense_models_are_untouched_by_the_expert_term() {
    let model = &cabe_catalog::find_model("llama-2-7b").unwrap().spec;
    let w = for_file_type(model, FileType::parse("Q4_0").unwrap());
    assert_eq!(routed_expert_prefill_flops(model, &w, 512), 0.0);
}
