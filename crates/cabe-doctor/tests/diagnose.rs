//! The diagnosis from inputs alone: each kind of finding, the fix it writes, and the memory
//! figures behind them (from cabe-core's plan). Models and machines come from the catalogs.

use cabe_core::hardware::HardwareSpec;
use cabe_core::plan::{capacity, DEFAULT_OS_RESERVE};
use cabe_core::quant::{FileType, KvType};
use cabe_core::speed::SpeedDevice;
use cabe_core::weights::for_file_type;
use cabe_doctor::*;

const GIB: u64 = 1 << 30;

fn model(id: &str) -> ModelInput {
    let e = cabe_catalog::find_model(id).unwrap();
    ModelInput {
        name: id.to_string(),
        spec: e.spec.clone(),
        weights: for_file_type(&e.spec, FileType::Q4_K_M),
        source: "catalog".into(),
    }
}

fn memory(gib: u64) -> MachineInput {
    let spec = HardwareSpec::from_memory(gib * GIB);
    MachineInput {
        capacity: capacity(&spec, DEFAULT_OS_RESERVE),
        description: format!("{gib} GiB"),
        spec,
        speed: None,
        decode_factor: 1.0,
    }
}

fn catalog_machine(id: &str) -> MachineInput {
    let e = cabe_catalog::find_hardware(id).unwrap();
    let h = e.spec.clone();
    MachineInput {
        capacity: capacity(&h, DEFAULT_OS_RESERVE),
        description: id.into(),
        speed: Some(SpeedDevice {
            bandwidth_gbps: h.bandwidth_gbps,
            ram_bandwidth_gbps: h.ram_bandwidth_gbps,
            fp16_tflops: h.fp16_tflops,
            fp16_is_tensor: h.fp16_is_tensor,
            efficiency: cabe_catalog::efficiency(h.backend).clone(),
            cpu_efficiency: cabe_catalog::efficiency(cabe_core::hardware::Backend::Cpu).clone(),
        }),
        decode_factor: 1.0,
        spec: h,
    }
}

fn ollama(model: &str, num_ctx: Option<u64>) -> OllamaConfig {
    OllamaConfig {
        model: model.into(),
        version: Some("0.15.6".into()),
        num_ctx_param: num_ctx,
        num_ctx_param_source: format!("the params layer of {model}"),
        env_source: "test".into(),
        ..OllamaConfig::default()
    }
}

fn inputs(m: ModelInput, machine: MachineInput, o: OllamaConfig) -> Inputs {
    Inputs {
        model: m,
        machine,
        runtime: Runtime::Ollama(Box::new(o)),
        workload: Workload::default(),
        server_issues: vec![],
        store_problems: vec![],
        new_name: None,
        modelfile_path: "Modelfile".into(),
        notes: vec![],
    }
}

/// A llama-server setup (what `/props` and the flags say) for a catalog model.
fn llama_server(
    id: &str,
    machine: MachineInput,
    ctx_per_slot: u64,
    slots: u32,
    kv_type: KvType,
    flash_attn: bool,
) -> Inputs {
    Inputs {
        runtime: Runtime::LlamaServer(LlamaServerConfig {
            url: "http://127.0.0.1:8080".into(),
            settings_from: "http://127.0.0.1:8080/props".into(),
            n_ctx_per_slot: ctx_per_slot,
            slots,
            model_path: None,
            kv_type,
            flash_attn,
        }),
        ..inputs(model(id), machine, ollama("x", None))
    }
}

fn prompt(n: u64) -> Option<Prompt> {
    Some(Prompt {
        tokens: n,
        count: TokenCount::Given,
    })
}

fn ids(d: &Diagnosis) -> Vec<&str> {
    d.findings.iter().map(|f| f.id.as_str()).collect()
}

fn get<'a>(d: &'a Diagnosis, id: &str) -> &'a Finding {
    d.findings
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", ids(d)))
}

fn qwen_issue() -> Inputs {
    let mut i = inputs(
        model("qwen3-coder-30b-a3b"),
        memory(64),
        ollama("qwen3-coder:30b-v-128k", Some(131_072)),
    );
    i.workload = Workload {
        prompt: prompt(146_760),
        timeout_s: Some(300.0),
        prefill_rate: Some(400.0),
        prefill_rate_source: "--prefill-rate".into(),
    };
    i
}

#[test]
fn the_issue_case_is_three_findings_and_a_modelfile() {
    let d = diagnose(&qwen_issue());
    assert_eq!(
        ids(&d),
        [
            "ctx-below-native",
            "prompt-over-ctx",
            "prefill-over-timeout"
        ]
    );
    assert_eq!(get(&d, "ctx-below-native").severity, Severity::Warning);
    assert_eq!(get(&d, "prompt-over-ctx").severity, Severity::Error);
    assert_eq!(get(&d, "prompt-over-ctx").numbers["over_by"], 15_688);
    assert_eq!(get(&d, "prefill-over-timeout").numbers["prefill_s"], 366.9);
    assert_eq!(d.fix.ctx, Some(262_144));
    assert_eq!(
        d.fix.create_command.as_deref(),
        Some("ollama create qwen3-coder:30b-256k -f Modelfile")
    );
    assert!(d.fix.memory_check.as_ref().unwrap().fits);
    // Deterministic.
    assert_eq!(diagnose(&qwen_issue()), d);
}

#[test]
fn parallel_slots_multiply_the_kv_cache() {
    let mut i = inputs(
        model("qwen3-coder-30b-a3b"),
        memory(64),
        ollama("qwen3-coder:30b-v-128k", Some(131_072)),
    );
    if let Runtime::Ollama(o) = &mut i.runtime {
        o.env.num_parallel = Some("4".into());
    }
    let d = diagnose(&i);
    assert_eq!(d.effective.parallel, 4);
    let p = get(&d, "parallel-kv");
    assert_eq!(p.severity, Severity::Warning);
    // 4 × 12.9 GB: 2 × 48 × 4 × 128 × 131,072 × 2 B = 12,884,901,888 per slot.
    assert_eq!(p.numbers["kv_bytes_one_slot"], 12_884_901_888u64);
    assert_eq!(p.numbers["kv_bytes_total"], 4 * 12_884_901_888u64);
    assert!(
        p.message.contains("-c 131,072 × 4 = 524,288 -np 4"),
        "{}",
        p.message
    );
    let m = get(&d, "memory-over-capacity");
    assert_eq!(m.severity, Severity::Error);
    // The fix: one slot at the full context.
    assert!(d
        .fix
        .env
        .iter()
        .any(|e| e.name == "OLLAMA_NUM_PARALLEL" && e.value == "1"));
    let mc = d.fix.memory_check.as_ref().unwrap();
    assert_eq!((mc.ctx, mc.parallel, mc.kv_type), (262_144, 1, KvType::F16));
    assert!(mc.fits);
}

#[test]
fn a_quantized_kv_cache_makes_the_context_fit() {
    // 40 GiB: the full 262,144 context needs ~45 GB at f16, ~33 GB at q8_0.
    let mut i = inputs(
        model("qwen3-coder-30b-a3b"),
        memory(40),
        ollama("qwen3-coder:30b-v-128k", Some(131_072)),
    );
    i.workload.prompt = prompt(146_760);
    let d = diagnose(&i);
    let k = get(&d, "kv-type-fits");
    assert!(k.title.contains("OLLAMA_KV_CACHE_TYPE=q8_0"), "{}", k.title);
    assert_eq!(k.numbers["kv_bytes_current"], 25_769_803_776u64);
    assert_eq!(k.numbers["kv_bytes"], 13_690_208_256u64); // × 34/64
    assert_eq!(d.fix.ctx, Some(262_144));
    assert_eq!(d.fix.env.len(), 1);
    assert_eq!(d.fix.env[0].name, "OLLAMA_KV_CACHE_TYPE");
    assert!(d.fix.memory_check.as_ref().unwrap().fits);

    // With flash attention off, both settings are needed (a quantized V cache needs FA).
    if let Runtime::Ollama(o) = &mut i.runtime {
        o.env.flash_attention = Some("0".into());
        o.env.kv_cache_type = Some("q8_0".into());
    }
    let d = diagnose(&i);
    assert_eq!(d.effective.kv_type, KvType::F16);
    assert!(ids(&d).contains(&"kv-type-ignored"));
    let names: Vec<&str> = d.fix.env.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["OLLAMA_FLASH_ATTENTION", "OLLAMA_KV_CACHE_TYPE"]);
}

#[test]
fn spill_to_system_ram_counts_layers_and_the_cost() {
    // RTX 4090 (24 GB VRAM) + system RAM: 131,072 tokens of Qwen3-Coder need ~32 GB.
    let i = inputs(
        model("qwen3-coder-30b-a3b"),
        catalog_machine("rtx-4090"),
        ollama("qwen3-coder:30b-v-128k", Some(131_072)),
    );
    let d = diagnose(&i);
    let m = get(&d, "memory-over-capacity");
    assert_eq!(m.severity, Severity::Warning);
    let spilled = m.numbers["layers_on_cpu"].as_u64().unwrap();
    assert!((5..48).contains(&spilled), "{spilled}");
    assert!(m.title.contains("of 48 layers spill"));
    let all = m.numbers["decode_tok_s_all_gpu"].as_f64().unwrap();
    let split = m.numbers["decode_tok_s_offload"].as_f64().unwrap();
    assert!(split < all, "{split} vs {all}");
    assert!(m.message.contains("tokens/s"), "{}", m.message);
}

#[test]
fn a_model_that_can_never_fit() {
    let i = inputs(
        model("qwen3-235b-a22b"),
        memory(32),
        ollama("qwen3:235b", None),
    );
    let d = diagnose(&i);
    let n = get(&d, "never-fits");
    assert_eq!(n.severity, Severity::Error);
    assert!(!ids(&d).contains(&"memory-over-capacity"));
    assert!(n.message.contains("weights alone"), "{}", n.message);
    assert!(
        n.fix.contains("smaller model") || n.fix.contains("smaller file"),
        "{}",
        n.fix
    );
    // On 128 GiB a smaller quantization does fit.
    let i = inputs(
        model("qwen3-235b-a22b"),
        memory(128),
        ollama("qwen3:235b", None),
    );
    let d = diagnose(&i);
    if let Some(n) = d.findings.iter().find(|f| f.id == "never-fits") {
        assert!(n.fix.contains("Use a smaller file: at Q"), "{}", n.fix);
    }
}

#[test]
fn prompt_over_the_native_maximum() {
    let mut i = inputs(
        model("qwen3-coder-30b-a3b"),
        memory(64),
        ollama("qwen3-coder:30b", Some(262_144)),
    );
    i.workload.prompt = prompt(300_000);
    let d = diagnose(&i);
    let f = get(&d, "prompt-over-native");
    assert_eq!(f.numbers["over_by"], 300_000 - 262_144);
    assert!(
        f.message.contains("300,000 − 262,144 = 37,856"),
        "{}",
        f.message
    );
    assert!(ids(&d).contains(&"prompt-over-ctx"));
    assert!(!ids(&d).contains(&"ctx-below-native"));
    assert!(d.fix.modelfile.is_none(), "nothing to raise");
}

#[test]
fn default_context_by_version_when_nothing_sets_it() {
    let run = |version: Option<&str>, gib: u64| {
        let mut o = ollama("qwen3-coder:30b", None);
        o.version = version.map(str::to_string);
        diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(gib), o))
    };
    // tests/fixtures/ollama/api_version_0.11.6.json: 4096 regardless of VRAM.
    let d = run(Some("0.11.6"), 64);
    assert_eq!(d.effective.ctx, 4096);
    assert!(
        d.effective
            .ctx_source
            .contains("v0.11.4–v0.15.4 default: 4096"),
        "{}",
        d.effective.ctx_source
    );
    assert_eq!(get(&d, "ctx-below-native").severity, Severity::Warning);
    assert_eq!(d.fix.ctx, Some(262_144));
    assert_eq!(d.fix.new_model.as_deref(), Some("qwen3-coder:30b-256k"));
    assert_eq!(run(Some("0.5.7"), 64).effective.ctx, 2048);
    // v0.15.5+: by VRAM (a 64 GiB unified machine counts it all).
    let d = run(Some("0.15.5"), 64);
    assert_eq!(d.effective.ctx, 262_144);
    assert!(d.findings.is_empty(), "{:?}", ids(&d));
    assert!(d.fix.modelfile.is_none());
    assert_eq!(run(Some("0.15.5"), 32).effective.ctx, 32_768);
    // Unknown version: the current rules, said so.
    let d = run(None, 16);
    assert_eq!(d.effective.ctx, 4096);
    assert!(d.effective.ctx_source.contains("(version assumed)"));
    assert!(d.notes.iter().any(|n| n.contains("version unknown")));
}

#[test]
fn env_context_length_invalid_values_and_removed_parameters() {
    let mut o = ollama("qwen3-coder:30b", None);
    o.env.context_length = Some("32768".into());
    o.parameters = vec![
        ("mirostat".into(), "1".into()),
        ("temperature".into(), "0.7".into()),
    ];
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    assert_eq!(d.effective.ctx, 32_768);
    assert!(d
        .effective
        .ctx_source
        .starts_with("OLLAMA_CONTEXT_LENGTH=32768"));
    let r = get(&d, "removed-parameter");
    assert!(r.message.contains("v0.7.0"));

    let mut o = ollama("qwen3-coder:30b", Some(8192));
    o.env.num_parallel = Some("many".into());
    o.env.kv_cache_type = Some("q3_k".into());
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    let bad: Vec<&str> = d
        .findings
        .iter()
        .filter(|f| f.id == "env-invalid")
        .map(|f| f.numbers["variable"].as_str().unwrap())
        .collect();
    assert_eq!(bad, ["OLLAMA_KV_CACHE_TYPE", "OLLAMA_NUM_PARALLEL"]);
    assert_eq!(d.effective.parallel, 1);

    // The client's options.num_ctx wins over the Modelfile.
    let mut o = ollama("qwen3-coder:30b", Some(8192));
    o.request_num_ctx = Some(65_536);
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    assert_eq!(d.effective.ctx, 65_536);
}

#[test]
fn configured_context_above_native_is_clamped() {
    let o = ollama("qwen3-coder:30b", Some(1_000_000));
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    assert_eq!(d.effective.ctx, 262_144);
    assert_eq!(d.effective.ctx_configured, 1_000_000);
    assert_eq!(get(&d, "ctx-over-native").severity, Severity::Info);
}

#[test]
fn loaded_model_store_and_server_problems() {
    let mut o = ollama("qwen3:8b", Some(16_384));
    // tests/fixtures/ollama/api_ps_qwen3-8b_ctx16384_partial-offload.json
    o.loaded = Some(LoadedModel {
        context_length: Some(16_384),
        size: 9_569_764_352,
        size_vram: 7_164_390_400,
    });
    let mut i = inputs(model("qwen3-8b"), memory(64), o);
    i.store_problems = vec![StoreProblem {
        layer: "params layer".into(),
        problem: "blob … is missing".into(),
    }];
    i.server_issues = vec![ServerIssue {
        server: "Ollama at http://127.0.0.1:11434".into(),
        endpoint: "/api/ps".into(),
        what: "no answer within 5.0 s".into(),
        consequence: "hung".into(),
    }];
    let d = diagnose(&i);
    let p = get(&d, "loaded-partial-offload");
    assert_eq!(p.numbers["cpu_percent"], 25);
    assert!(p.title.contains("25%/75% CPU/GPU"), "{}", p.title);
    assert!(!ids(&d).contains(&"loaded-ctx-differs"));
    assert_eq!(get(&d, "store-layer-broken").severity, Severity::Error);
    assert_eq!(get(&d, "server-unhealthy").severity, Severity::Warning);
}

#[test]
fn llama_server_slots_and_flags() {
    let i = llama_server(
        "qwen3-coder-30b-a3b",
        memory(64),
        8192,
        4,
        KvType::F16,
        true,
    );
    let d = diagnose(&i);
    assert_eq!(d.effective.runtime, "llama-server");
    assert!(ids(&d).contains(&"ctx-below-native"));
    assert!(ids(&d).contains(&"parallel-kv"));
    assert!(d.fix.modelfile.is_none());
    assert_eq!(
        d.fix.llama_server_flags.as_deref(),
        Some("-c 262144 -np 1 -fa on")
    );
}

#[test]
fn a_prompt_that_fits_gets_a_context_sized_for_it() {
    let mut o = ollama("qwen3-coder:30b", Some(4096));
    o.version = Some("0.11.6".into());
    let mut i = inputs(model("qwen3-coder-30b-a3b"), memory(64), o);
    i.workload.prompt = prompt(10_000);
    let d = diagnose(&i);
    // 10,000 + 4,096 for the answer → the next power of two.
    assert_eq!(d.fix.ctx, Some(16_384));
    assert_eq!(d.fix.new_model.as_deref(), Some("qwen3-coder:30b-16k"));
    // A prefill close to the timeout is a warning.
    i.workload.timeout_s = Some(30.0);
    i.workload.prefill_rate = Some(400.0);
    let d = diagnose(&i);
    assert_eq!(get(&d, "prefill-over-timeout").severity, Severity::Warning);
}

#[test]
fn with_several_slots_the_largest_context_is_per_slot() {
    // 4 slots on 40 GiB: no full context fits at any KV type with 4 slots, and the fix's
    // context is per slot, checked by the plan at ctx × 4.
    let mut o = ollama("qwen3-coder:30b-v-128k", Some(131_072));
    o.env.num_parallel = Some("4".into());
    let mut i = inputs(model("qwen3-coder-30b-a3b"), memory(40), o);
    i.workload.prompt = prompt(20_000);
    let d = diagnose(&i);
    let mc = d.fix.memory_check.as_ref().unwrap();
    assert!(mc.fits, "{}", mc.summary);
    assert!(mc.ctx >= 24_096, "{}", mc.summary);
    assert!(mc.summary.contains(&format!("× {} slot", mc.parallel)));
}

#[test]
fn setups_llama_cpp_refuses_are_flagged_and_never_offered() {
    // DeepSeek-R1 (MLA) behind a llama-server with `-ctk q8_0` and flash
    // attention off: K q8_0, V f16 — llama.cpp refuses different K and V types for MLA.
    let mla = cabe_catalog::find_model("deepseek-r1").unwrap();
    assert!(mla.spec.mla.is_some());
    let i = llama_server("deepseek-r1", memory(1024), 4096, 1, KvType::Q8_0, false);
    let d = diagnose(&i);
    let f = get(&d, "setup-refused");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("MLA"), "{}", f.message);
    // The fix turns flash attention on (one type for K and V), never keeps it off with q8_0.
    let flags = d.fix.llama_server_flags.as_deref().unwrap_or("");
    assert!(
        flags.contains("-fa on") && flags.contains("--cache-type-v q8_0"),
        "{flags}"
    );
    // The same model with an f16 cache loads: no such finding.
    let ok = llama_server("deepseek-r1", memory(1024), 4096, 1, KvType::F16, false);
    assert!(!ids(&diagnose(&ok)).contains(&"setup-refused"));
}

#[test]
fn a_moe_model_that_spills_gets_the_n_cpu_moe_alternative() {
    // Qwen3-30B-A3B Q4_K_M behind llama-server on a 12 GB RTX 4070 with 64 GB of RAM, 32k
    // context: ~21 GB, so layers spill; keeping some layers' experts in RAM fits the GPU.
    let server =
        |id: &str| llama_server(id, catalog_machine("rtx-4070"), 32768, 1, KvType::F16, true);
    let d = diagnose(&server("qwen3-30b-a3b"));
    let f = get(&d, "memory-over-capacity");
    let n = f.numbers["n_cpu_moe"].as_u64().unwrap();
    assert!(n > 0 && n < 48, "{n}");
    assert!(f.fix.contains(&format!("--n-cpu-moe {n}")), "{}", f.fix);
    // Experts in RAM read only their active share: faster than spilling whole layers.
    let moe = f.numbers["decode_tok_s_cpu_moe"].as_f64().unwrap();
    let spill = f.numbers["decode_tok_s_offload"].as_f64().unwrap();
    assert!(moe > spill, "{moe} vs {spill}");
    // The least N: one layer fewer does not fit (checked through the plan).
    let m = model("qwen3-30b-a3b");
    let cap = catalog_machine("rtx-4070").capacity;
    let mut p = cabe_core::kv::RuntimeProfile::new(32768);
    p.n_cpu_moe = n as u32 - 1;
    let v = cabe_core::plan::plan(&m.spec, &m.weights, &p, &cap).verdict;
    assert_ne!(v, cabe_core::plan::Verdict::Fits);
    // A dense model gets no such advice.
    let dense = diagnose(&server("llama-3.1-70b"));
    if let Some(f) = dense
        .findings
        .iter()
        .find(|f| f.id == "memory-over-capacity")
    {
        assert!(!f.numbers.contains_key("n_cpu_moe"));
    }
}

#[test]
fn ollama_findings_come_in_the_order_ollama_reads_its_settings() {
    // The context's variables, then the context itself, then the cache and slot variables,
    // then the Modelfile's parameters.
    let mut o = ollama("qwen3-coder:30b", Some(1_000_000));
    o.env.gpu_overhead = Some("lots".into());
    o.env.flash_attention = Some("maybe".into());
    o.env.num_parallel = Some("0".into());
    o.parameters = vec![("f16_kv".into(), "true".into())];
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    let head: Vec<(&str, Option<&str>)> = d
        .findings
        .iter()
        .take(5)
        .map(|f| {
            let var = f.numbers.get("variable").and_then(|v| v.as_str());
            (f.id.as_str(), var)
        })
        .collect();
    assert_eq!(
        head,
        [
            ("env-invalid", Some("OLLAMA_GPU_OVERHEAD")),
            ("ctx-over-native", None),
            ("env-invalid", Some("OLLAMA_FLASH_ATTENTION")),
            ("env-invalid", Some("OLLAMA_NUM_PARALLEL")),
            ("removed-parameter", None),
        ]
    );

    // With flash attention validly off, a quantized type is ignored, said before a bad slot
    // count.
    let mut o = ollama("qwen3-coder:30b", Some(8192));
    o.env.flash_attention = Some("0".into());
    o.env.kv_cache_type = Some("q8_0".into());
    o.env.num_parallel = Some("many".into());
    let d = diagnose(&inputs(model("qwen3-coder-30b-a3b"), memory(64), o));
    assert_eq!(&ids(&d)[..2], ["kv-type-ignored", "env-invalid"]);
}
