//! `cabe doctor`: read how a local Ollama (or llama-server) is configured — the on-disk store,
//! the live API when it answers, the `OLLAMA_*` variables — hand it to the pure diagnosis
//! (`cabe-doctor`), print the findings and the fix, and with `--apply` write the Modelfile.

use crate::cli::DoctorArgs;
use crate::{machine, resolve};
use anyhow::{bail, Context, Result};
use cabe_core::quant::{FileType, KvType};
use cabe_core::speed::Placement;
use cabe_doctor::{
    diagnose_in, Diagnosis, Inputs, LlamaServerConfig, LoadedModel, MachineInput, ModelInput,
    OllamaConfig, OllamaEnvVars, Prompt, Runtime, ServerIssue, Severity, StoreProblem, TokenCount,
    Workload,
};
use cabe_i18n::{Arg, Lang};
use cabe_ollama::api::{show_to_gguf, Ollama};
use cabe_ollama::env::OllamaEnv;
use cabe_ollama::http::{HttpConfig, HttpError};
use cabe_ollama::llama_server::{Health, LlamaServer};
use cabe_ollama::name::ModelName;
use cabe_ollama::store::{default_root, param_u64, Store};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest `--prompt` file read.
const MAX_PROMPT_BYTES: u64 = 64 << 20;

pub fn run(a: &DoctorArgs) -> Result<()> {
    // `--json` is English whatever the language: scripts read its texts too.
    let d = diagnosis_in(
        a,
        if a.json {
            Lang::En
        } else {
            crate::i18n::lang()
        },
    )?;
    let applied = match &a.apply {
        Some(path) => Some(apply(path, &d)?),
        None => None,
    };
    if a.json {
        let mut v = serde_json::to_value(&d)?;
        v["applied"] = match &applied {
            Some(x) => json!({
                "path": x.path,
                "backup": x.backup,
                "written": x.written,
            }),
            None => serde_json::Value::Null,
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print_human(&d, applied.as_ref());
    }
    Ok(())
}

/// What `cabe doctor --json` prints, without writing anything (`applied` is null): the
/// answer of `cabe mcp`'s doctor tool.
pub fn json(a: &DoctorArgs) -> Result<serde_json::Value> {
    json_in(a, Lang::En)
}

/// [`json`] with the findings, the fix's steps and the notes worded in `l` (`cabe serve`'s
/// answer to a request that asks for a language); the rest is the same in every language.
pub fn json_in(a: &DoctorArgs, l: Lang) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(diagnosis_in(a, l)?)?;
    v["applied"] = serde_json::Value::Null;
    Ok(v)
}

/// Reads the setup `a` names (the Ollama store and server, a llama-server, or a catalog model
/// as given) and diagnoses it. Writes nothing.
pub fn diagnosis(a: &DoctorArgs) -> Result<Diagnosis> {
    diagnosis_in(a, Lang::En)
}

/// [`diagnosis`] with its words in `l`.
pub fn diagnosis_in(a: &DoctorArgs, l: Lang) -> Result<Diagnosis> {
    let http_secs = a.http_timeout;
    let http = HttpConfig::with_timeout(std::time::Duration::from_secs_f64(http_secs.min(60.0)));
    let timeout_s = a.timeout;
    if a.prompt_tokens == Some(0) {
        return Err(msg!("doctor-err-at-least-1", flag = "--prompt-tokens").into());
    }
    if a.num_ctx == Some(0) {
        return Err(msg!("doctor-err-at-least-1", flag = "--num-ctx").into());
    }
    if a.ctx == Some(0) {
        return Err(msg!("doctor-err-at-least-1", flag = "--ctx").into());
    }
    let machine = machine::resolve(&a.machine)?;
    let env = OllamaEnv::from_process();
    let mut notes: Vec<String> = Vec::new();
    let mut server_issues: Vec<ServerIssue> = Vec::new();

    // llama-server: the runtime diagnosed (no Ollama model named) or the tokenizer.
    let llama = a
        .llama_server
        .as_deref()
        .filter(|_| !a.offline)
        .map(|u| LlamaServer::new(u, http.clone()));
    let mut llama_up = false;
    if let Some(ls) = &llama {
        let who = t!(in l, "doctor-llama-at", url = ls.base());
        match ls.health() {
            Ok(Health::Ok) => llama_up = true,
            Ok(Health::Loading) => server_issues.push(ServerIssue {
                server: who,
                endpoint: "/health".into(),
                what: t!(in l, "doctor-issue-loading"),
                consequence: t!(in l, "doctor-issue-loading-consequence"),
            }),
            Err(e) => server_problem(l, &mut notes, &mut server_issues, &who, "/health", &e),
        }
    }

    // The prompt.
    let prompt = match (a.prompt_tokens, &a.prompt) {
        (Some(n), _) => Some(Prompt {
            tokens: n,
            count: TokenCount::Given,
        }),
        (None, Some(path)) => Some(prompt_from_file(
            path,
            llama.as_ref().filter(|_| llama_up),
            &mut server_issues,
            l,
        )?),
        _ => None,
    };

    let model_is_gguf = a.model.as_deref().is_some_and(|m| {
        let p = Path::new(m);
        p.is_file() || m.ends_with(".gguf")
    });
    let llama_mode = llama.is_some() && (a.model.is_none() || model_is_gguf);

    let (model, runtime, store_problems) = if a.catalog {
        let Some(name) = a.model.as_deref() else {
            return Err(msg!("doctor-err-catalog-model").into());
        };
        catalog_setup(a, name, &mut notes, l)?
    } else if llama_mode {
        let ls = llama.as_ref().expect("llama mode");
        if !llama_up {
            return Err(msg!("doctor-err-llama-down", url = ls.base().to_string()).into());
        }
        llama_server_setup(a, ls, &mut notes, l)?
    } else {
        let Some(name) = a.model.as_deref() else {
            return Err(msg!("doctor-err-no-model").into());
        };
        ollama_setup(a, name, &env, &http, &mut notes, &mut server_issues, l)?
    };

    // Speed through the engine, as `fit` predicts it: the machine's basis (its calibration and
    // bench history on this machine), the device for this model, the prefill of this prompt.
    let (basis, _) = crate::calibrate::corrected_basis(&machine);
    let prompt_n = prompt.as_ref().map_or(512, |p| p.tokens);
    let efficiency_profile =
        cabe_engine::RuntimeSettings::default().profile(&model.spec, model.spec.native_ctx);
    let speed = (basis.dev.bandwidth_gbps > 0.0).then(|| {
        basis.device_for(
            &model.spec,
            &model.weights,
            &efficiency_profile,
            0,
            prompt_n,
        )
    });
    let (prefill, prefill_src) = match (a.prefill_rate, &prompt) {
        (Some(r), _) => (Some(r), "--prefill-rate".to_string()),
        (None, Some(p)) if timeout_s.is_some() => {
            let pred = basis.predict(
                &model.spec,
                &model.weights,
                &efficiency_profile,
                Placement::default(),
                0,
                p.tokens,
            );
            match pred.prefill {
                Some(r) => (
                    Some(r.typical),
                    t!(
                        in l,
                        "doctor-prefill-predicted",
                        low = Arg::dec(r.low, 0),
                        high = Arg::dec(r.high, 0)
                    ),
                ),
                None => (None, String::new()),
            }
        }
        _ => (None, String::new()),
    };

    let modelfile_path = a
        .apply
        .as_ref()
        .map_or_else(|| "Modelfile".to_string(), |p| p.display().to_string());
    let inputs = Inputs {
        model,
        machine: MachineInput {
            spec: machine.spec.clone(),
            capacity: machine.capacity.clone(),
            description: if l == Lang::En {
                machine.description.clone()
            } else {
                machine.local.clone()
            },
            speed,
            decode_factor: basis.factors().0,
        },
        runtime,
        workload: Workload {
            prompt,
            timeout_s,
            prefill_rate: prefill,
            prefill_rate_source: prefill_src,
        },
        server_issues,
        store_problems,
        new_name: a.name.clone(),
        modelfile_path,
        notes,
    };
    Ok(diagnose_in(&inputs, l))
}

/// A server that did not answer properly: not running → a note (the store is read instead);
/// hung, HTTP error or garbage → an issue (a finding).
fn server_problem(
    l: Lang,
    notes: &mut Vec<String>,
    issues: &mut Vec<ServerIssue>,
    who: &str,
    endpoint: &str,
    e: &HttpError,
) {
    if let HttpError::Unreachable { detail } = e {
        notes.push(t!(in l, "doctor-note-not-running", who = who, detail = detail));
        return;
    }
    let consequence = match e {
        HttpError::Timeout { .. } => t!(in l, "doctor-issue-hung"),
        HttpError::Malformed { .. } | HttpError::TooLarge { .. } => {
            t!(in l, "doctor-issue-wrong-server")
        }
        _ => t!(in l, "doctor-issue-unusable"),
    };
    issues.push(ServerIssue {
        server: who.to_string(),
        endpoint: endpoint.to_string(),
        what: e.to_string(),
        consequence: t!(in l, "doctor-issue-goes-on", consequence = consequence),
    });
}

fn prompt_from_file(
    path: &Path,
    llama: Option<&LlamaServer>,
    issues: &mut Vec<ServerIssue>,
    l: Lang,
) -> Result<Prompt> {
    let f = std::fs::File::open(path).with_context(|| format!("--prompt {}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(MAX_PROMPT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("--prompt {}", path.display()))?;
    if bytes.len() as u64 > MAX_PROMPT_BYTES {
        bail!(
            "--prompt {} is larger than {} MiB",
            path.display(),
            MAX_PROMPT_BYTES >> 20
        );
    }
    let text = String::from_utf8_lossy(&bytes);
    if let Some(ls) = llama {
        match ls.count_tokens(&text) {
            Ok(n) => {
                return Ok(Prompt {
                    tokens: n,
                    count: TokenCount::Counted {
                        by: t!(in l, "doctor-tokenize-by", url = ls.base()),
                    },
                })
            }
            Err(e) => issues.push(ServerIssue {
                server: t!(in l, "doctor-llama-at", url = ls.base()),
                endpoint: "/tokenize".into(),
                what: e.to_string(),
                consequence: t!(in l, "doctor-issue-estimated-instead"),
            }),
        }
    }
    let n = (bytes.len() as u64).div_ceil(4).max(1);
    Ok(Prompt {
        tokens: n,
        count: TokenCount::Estimated {
            bytes: bytes.len() as u64,
            note: t!(
                in l,
                "doctor-prompt-estimated",
                bytes = bytes.len() as u64,
                tokens = n
            ),
        },
    })
}

fn model_from_gguf(path: &Path, name: &str, source: String) -> Result<ModelInput> {
    let gguf = cabe_gguf::read_model(path)
        .with_context(|| format!("the model blob of {name} is not a readable GGUF"))?;
    let tensors: Vec<cabe_gguf::TensorInfo> = gguf.tensors().cloned().collect();
    let spec = cabe_gguf::spec::model_spec(&gguf.shards[0], &tensors)
        .with_context(|| format!("{} is not a model cabe can size", path.display()))?;
    let weights = cabe_gguf::spec::file_weights(&spec, &tensors);
    Ok(ModelInput {
        name: name.to_string(),
        spec,
        weights,
        source,
    })
}

type Setup = (ModelInput, Runtime, Vec<StoreProblem>);

fn ollama_setup(
    a: &DoctorArgs,
    name: &str,
    env: &OllamaEnv,
    http: &HttpConfig,
    notes: &mut Vec<String>,
    issues: &mut Vec<ServerIssue>,
    l: Lang,
) -> Result<Setup> {
    let parsed = ModelName::parse(name)?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let root = a
        .models_dir
        .clone()
        .unwrap_or_else(|| default_root(env.models.as_deref(), home.as_deref()));
    let store = Store::new(&root);
    let stored = store.read(&parsed);

    // The live server, unless --offline.
    let host = a.ollama_host.clone().or_else(|| env.host.clone());
    let mut version = None;
    let mut loaded = None;
    let mut show = None;
    if a.offline {
        notes.push(t!(in l, "doctor-note-offline"));
    } else {
        let o = Ollama::new(host.as_deref(), http.clone());
        let who = t!(in l, "doctor-ollama-at", url = o.base());
        match o.version() {
            Ok(v) => {
                notes.push(t!(in l, "doctor-note-running", who = &who, version = &v));
                version = Some(v);
                match o.ps() {
                    Ok(ps) => {
                        loaded = ps
                            .models
                            .iter()
                            .find(|m| {
                                ModelName::parse(&m.name)
                                    .is_ok_and(|n| n.short().eq_ignore_ascii_case(&parsed.short()))
                            })
                            .map(|m| LoadedModel {
                                context_length: m.context_length,
                                size: m.size.unwrap_or(0),
                                size_vram: m.size_vram.unwrap_or(0),
                            });
                        if loaded.is_none() {
                            notes.push(t!(in l, "doctor-note-not-loaded", model = parsed.short()));
                        }
                    }
                    Err(e) => server_problem(l, notes, issues, &who, "/api/ps", &e),
                }
                if stored.is_err() {
                    match o.show(&parsed.short()) {
                        Ok(s) => show = s,
                        Err(e) => server_problem(l, notes, issues, &who, "/api/show", &e),
                    }
                }
            }
            Err(e) => {
                server_problem(l, notes, issues, &who, "/api/version", &e);
                if e.is_unreachable() {
                    if let Some(n) = notes.last_mut() {
                        n.push_str(&t!(in l, "doctor-note-read-store"));
                    }
                }
            }
        }
    }
    if let Some(v) = &a.ollama_version {
        match &version {
            Some(live) if live != v => notes.push(t!(
                in l,
                "doctor-note-version-ignored",
                given = v,
                live = live
            )),
            Some(_) => {}
            None => version = Some(v.clone()),
        }
    }

    let mut problems = Vec::new();
    let short = parsed.short();
    let (model, num_ctx, num_ctx_src, parameters) = match stored {
        Ok(sm) => {
            let model = model_from_gguf(
                &sm.model.path,
                &sm.name.short(),
                t!(
                    in l,
                    "doctor-blob",
                    blob = sm
                        .model
                        .path
                        .file_name()
                        .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
                    root = root.display().to_string()
                ),
            )?;
            problems = sm
                .problems
                .iter()
                .map(|p| StoreProblem {
                    layer: p
                        .media_type
                        .rsplit('.')
                        .next()
                        .unwrap_or(&p.media_type)
                        .to_string()
                        + " layer",
                    problem: p.problem.clone(),
                })
                .collect();
            let params: Vec<(String, String)> = sm
                .params
                .iter()
                .flatten()
                .flat_map(|(k, v)| match v {
                    serde_json::Value::Array(a) => a
                        .iter()
                        .map(|x| (k.clone(), x.as_str().map_or(x.to_string(), str::to_string)))
                        .collect::<Vec<_>>(),
                    serde_json::Value::String(s) => vec![(k.clone(), s.clone())],
                    other => vec![(k.clone(), other.to_string())],
                })
                .collect();
            let num_ctx = sm
                .params
                .as_ref()
                .and_then(|p| p.get("num_ctx"))
                .and_then(param_u64);
            (
                model,
                num_ctx,
                t!(in l, "doctor-params-layer", model = sm.name.short()),
                params,
            )
        }
        Err(store_err) => {
            let Some(s) = show else {
                return Err(anyhow::Error::new(store_err));
            };
            let gguf = show_to_gguf(&s).with_context(|| {
                format!("{short}: /api/show has no model_info, and the store: {store_err}")
            })?;
            let spec = cabe_gguf::spec::model_spec(&gguf, &gguf.tensors).with_context(|| {
                format!("{short} (from /api/show) is not a model cabe can size")
            })?;
            let weights = if gguf.tensors.is_empty() {
                let ft = gguf
                    .file_type()
                    .and_then(FileType::from_id)
                    .unwrap_or(FileType::Q4_K_M);
                notes.push(t!(in l, "doctor-note-weights-estimated", quant = ft.to_string()));
                cabe_core::weights::for_file_type(&spec, ft)
            } else {
                cabe_gguf::spec::file_weights(&spec, &gguf.tensors)
            };
            notes.push(t!(in l, "doctor-note-from-show", error = store_err.to_string()));
            let params = cabe_ollama::modelfile::parse_show_parameters(
                s.parameters.as_deref().unwrap_or(""),
            );
            (
                ModelInput {
                    name: short.clone(),
                    spec,
                    weights,
                    source: "/api/show model_info".into(),
                },
                s.num_ctx(),
                t!(in l, "doctor-show-params", model = &short),
                params,
            )
        }
    };
    let cfg = OllamaConfig {
        model: model.name.clone(),
        version,
        num_ctx_param: num_ctx,
        num_ctx_param_source: num_ctx_src,
        request_num_ctx: a.num_ctx,
        parameters,
        env: OllamaEnvVars {
            context_length: env.context_length.clone(),
            num_parallel: env.num_parallel.clone(),
            kv_cache_type: env.kv_cache_type.clone(),
            flash_attention: env.flash_attention.clone(),
            gpu_overhead: env.gpu_overhead.clone(),
            max_loaded_models: env.max_loaded_models.clone(),
        },
        env_source: t!(in l, "doctor-env-shell"),
        loaded,
    };
    Ok((model, Runtime::Ollama(Box::new(cfg)), problems))
}

/// `--catalog`: the model from the catalog and the setup as given, nothing read. For Ollama,
/// `--ctx` is the model's num_ctx (a Modelfile's or a tag's params); no `OLLAMA_*` variable
/// is read, since this process's environment is not the server's.
fn catalog_setup(a: &DoctorArgs, name: &str, notes: &mut Vec<String>, l: Lang) -> Result<Setup> {
    let m = resolve::catalog(name, a.quant.as_deref())?;
    notes.push(t!(
        in l,
        "doctor-note-catalog",
        id = &m.id,
        quant = m.quant.to_string(),
        provenance = &m.provenance
    ));
    let model = ModelInput {
        name: name.to_string(),
        spec: m.spec,
        weights: m.weights,
        source: t!(
            in l,
            "doctor-catalog-source",
            id = &m.id,
            quant = m.quant.to_string()
        ),
    };
    let runtime = match a.runtime.unwrap_or(cabe_engine::Runtime::Ollama) {
        cabe_engine::Runtime::Ollama => Runtime::Ollama(Box::new(OllamaConfig {
            model: name.to_string(),
            version: a.ollama_version.clone(),
            num_ctx_param: a.ctx,
            num_ctx_param_source: t!(in l, "doctor-catalog-modelfile", model = name),
            request_num_ctx: a.num_ctx,
            env_source: t!(in l, "doctor-env-not-read"),
            ..OllamaConfig::default()
        })),
        cabe_engine::Runtime::LlamaServer => {
            let Some(ctx) = a.ctx else {
                return Err(msg!("doctor-err-llama-ctx").into());
            };
            notes.push(t!(in l, "doctor-note-llama-defaults"));
            Runtime::LlamaServer(LlamaServerConfig {
                url: String::new(),
                settings_from: t!(in l, "doctor-setup-given"),
                n_ctx_per_slot: ctx,
                slots: 1,
                model_path: None,
                kv_type: KvType::F16,
                flash_attn: true,
            })
        }
        other => bail!(
            "--runtime {}: doctor diagnoses ollama and llama-server setups",
            other.name()
        ),
    };
    Ok((model, runtime, Vec::new()))
}

fn llama_server_setup(
    a: &DoctorArgs,
    ls: &LlamaServer,
    notes: &mut Vec<String>,
    l: Lang,
) -> Result<Setup> {
    let props = ls
        .props()
        .with_context(|| format!("llama-server at {}: /props", ls.base()))?;
    let slots = ls.slots().ok();
    let n_ctx = props
        .n_ctx_per_slot()
        .or_else(|| slots.as_ref().and_then(|s| s.first()?.n_ctx))
        .with_context(|| format!("llama-server at {} reports no n_ctx", ls.base()))?;
    let total_slots = props
        .total_slots
        .or_else(|| slots.as_ref().map(|s| s.len() as u32))
        .unwrap_or(1)
        .max(1);
    notes.push(t!(
        in l,
        "doctor-note-llama-slots",
        url = ls.base(),
        slots = total_slots,
        ctx = n_ctx,
        build = props.build_info.as_deref().map_or(String::new(), |b| t!(
            in l,
            "doctor-note-llama-build",
            build = b
        ))
    ));
    let path = match (&a.model, &props.model_path) {
        (Some(m), _) => m.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => bail!(
            "llama-server at {} does not say which model it runs; give the GGUF path as MODEL",
            ls.base()
        ),
    };
    let m = resolve::model(&path, None)
        .with_context(|| format!("the model llama-server runs ({path})"))?;
    notes.push(t!(in l, "doctor-note-llama-unreported"));
    let model = ModelInput {
        name: m.id.clone(),
        spec: m.spec,
        weights: m.weights,
        source: m.provenance,
    };
    Ok((
        model,
        Runtime::LlamaServer(LlamaServerConfig {
            url: ls.base().to_string(),
            settings_from: format!("{}/props", ls.base()),
            n_ctx_per_slot: n_ctx,
            slots: total_slots,
            model_path: props.model_path.clone(),
            kv_type: KvType::F16,
            flash_attn: true,
        }),
        Vec::new(),
    ))
}

struct Applied {
    path: String,
    backup: Option<String>,
    written: bool,
}

/// Writes the fixed Modelfile to `path`; an existing file is first copied to `path.bak` (or
/// `.bak.1`, `.bak.2`, … when that exists too): nothing is overwritten without a backup.
fn apply(path: &Path, d: &Diagnosis) -> Result<Applied> {
    let Some(text) = &d.fix.modelfile else {
        return Ok(Applied {
            path: path.display().to_string(),
            backup: None,
            written: false,
        });
    };
    let mut backup = None;
    if path.exists() {
        if !path.is_file() {
            return Err(msg!(
                "doctor-err-apply-not-file",
                path = path.display().to_string()
            )
            .into());
        }
        let mut b = PathBuf::from(format!("{}.bak", path.display()));
        let mut i = 1;
        while b.exists() {
            b = PathBuf::from(format!("{}.bak.{i}", path.display()));
            i += 1;
        }
        std::fs::copy(path, &b)
            .with_context(|| format!("backing up {} to {}", path.display(), b.display()))?;
        backup = Some(b.display().to_string());
    }
    let tmp = PathBuf::from(format!("{}.cabe-tmp", path.display()));
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(Applied {
        path: path.display().to_string(),
        backup,
        written: true,
    })
}

fn print_human(d: &Diagnosis, applied: Option<&Applied>) {
    let l = crate::i18n::lang();
    let e = &d.effective;
    let m = &d.model;
    println!(
        "cabe doctor · {} · {}{}",
        m.name,
        e.runtime,
        e.version
            .as_deref()
            .map_or(String::new(), |v| format!(" {v}"))
    );
    println!(
        "{}",
        t!(
            "doctor-head-model",
            name = &m.display_name,
            arch = &m.architecture,
            layers = m.n_layer,
            native = m.native_ctx,
            weights = l.gb(m.weights_bytes),
            source = &m.source
        )
    );
    println!("{}", t!("doctor-head-machine", machine = &d.machine));
    println!(
        "{}",
        t!(
            "doctor-head-in-force",
            ctx = e.ctx,
            ctx_source = &e.ctx_source,
            slots = e.parallel,
            slots_source = &e.parallel_source,
            kv = e.kv_type.to_string(),
            kv_source = &e.kv_source,
            fa = if e.flash_attn { "on" } else { "off" },
            fa_source = &e.flash_attn_source
        )
    );
    println!("{}", t!("doctor-head-memory", summary = &d.memory.summary));
    println!();
    if d.findings.is_empty() {
        println!("{}", t!("doctor-no-findings"));
    } else {
        println!("{}", t!("doctor-findings", n = d.findings.len()));
        for (i, f) in d.findings.iter().enumerate() {
            let sev = match f.severity {
                Severity::Error => t!("doctor-error"),
                Severity::Warning => t!("doctor-warning"),
                Severity::Info => t!("doctor-info"),
            };
            println!();
            println!("{}. {sev} [{}] {}", i + 1, f.id, f.title);
            println!("   {}", f.message);
            println!("   {}", t!("doctor-fix", fix = &f.fix));
        }
    }
    let fx = &d.fix;
    if fx.modelfile.is_some()
        || !fx.env.is_empty()
        || fx.llama_server_flags.is_some()
        || fx.client_timeout_s.is_some()
    {
        println!();
        println!("{}", t!("doctor-the-fix"));
        if let Some(mf) = &fx.modelfile {
            match applied {
                Some(a) if a.written => match &a.backup {
                    Some(b) => println!(
                        "{}",
                        t!(
                            "doctor-modelfile-written-backup",
                            path = &a.path,
                            backup = b
                        )
                    ),
                    None => println!("{}", t!("doctor-modelfile-written", path = &a.path)),
                },
                _ => println!("{}", t!("doctor-modelfile-not-written")),
            }
            for l in mf.lines() {
                println!("    {l}");
            }
        }
        for (i, s) in fx.steps.iter().enumerate() {
            println!("  {}. {s}", i + 1);
        }
        if let Some(c) = &fx.create_command {
            println!();
            println!("  {c}");
        }
    } else if let Some(a) = applied {
        if !a.written {
            println!();
            println!("{}", t!("doctor-apply-nothing"));
        }
    }
    if !d.notes.is_empty() {
        println!();
        println!("{}", t!("doctor-notes"));
        for n in &d.notes {
            println!("  - {n}");
        }
    }
}
