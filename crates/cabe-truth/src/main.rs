//! `cabe-truth`: runs the ground-truth matrix and writes ACCURACY.md.
//!
//! ```text
//! cabe-truth run [--full] [--report ACCURACY.md] [--only SUBSTR] [--rerun] [--no-fail]
//! cabe-truth gen MODEL_ID OUT.gguf [BF16|F16]
//! cabe-truth parse LOG            # llama.cpp log → JSON of the buffers it reports
//! ```
//!
//! Environment: `CABE_TRUTH_DIR` (default `$CABE_CACHE/truth`, `~/.cache/cabe/truth`: generated
//! models, logs), `CABE_LLAMA_BIN` (default: `tools/llama-cpp.sh path`), `CABE_LLAMA_CPP_SRC`
//! (default: `tools/llama-cpp.sh src`, for the vocab files), `CABE_TRUTH_VMEM_GIB` (default 16:
//! the address-space limit of a load).

use anyhow::{bail, Context, Result};
use cabe_core::ftype_mix::TypedTensor;
use cabe_core::quant::{FileType, GgmlType};
use cabe_truth::cases::{self, Matrix};
use cabe_truth::compare::{compare_load, same_printed, CaseInfo, Row};
use cabe_truth::estimate::{estimate, from_catalog, from_file};
use cabe_truth::logparse::LoadReport;
use cabe_truth::report::{render, MixResult, RunInfo};
use cabe_truth::runner::Llama;
use cabe_truth::{generate, observed};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Bump when the way files are generated or measured changes in a way the content hash of a
/// generated file does not capture, so cached logs are not reused.
const GEN_VERSION: u32 = 1;

struct Ctx {
    dir: PathBuf,
    llama: Llama,
    llama_version: String,
    vocab_dir: PathBuf,
    rerun: bool,
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from)
}

fn truth_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("CABE_TRUTH_DIR") {
        return PathBuf::from(d);
    }
    std::env::var_os("CABE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cache/cabe"))
        .join("truth")
}

fn llama_src(repo: &Path) -> Result<PathBuf> {
    if let Some(s) = std::env::var_os("CABE_LLAMA_CPP_SRC") {
        return Ok(PathBuf::from(s));
    }
    let out = Command::new("bash")
        .arg(repo.join("tools/llama-cpp.sh"))
        .arg("src")
        .output()?;
    if !out.status.success() {
        bail!(
            "tools/llama-cpp.sh src failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn llama_version(bin: &Path) -> String {
    let info = bin.parent().map(|p| p.join("BUILD_INFO"));
    let text = info
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or("?")
            .to_string()
    };
    format!(
        "{} (commit {}, from llama-cpp-python {})",
        get("llama_cpp_release_tag"),
        get("llama_cpp_commit"),
        get("llama_cpp_python_version")
    )
}

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .map(|m| {
            format!(
                "{m}, {} cores",
                std::thread::available_parallelism().map_or(0, |n| n.get())
            )
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

impl Ctx {
    fn models_dir(&self) -> PathBuf {
        self.dir.join("models")
    }

    /// The generated BF16 file of a catalog model, cached under its content hash.
    fn source_file(&self, id: &str) -> Result<PathBuf> {
        let e = cabe_catalog::find_model(id)?;
        let mut spec = e.spec.clone();
        spec.projector = None;
        let hash = generate::content_hash(&spec, FileType::BF16)?;
        let path = self.models_dir().join(format!("{id}-BF16-{hash}.gguf"));
        if !path.is_file() {
            eprintln!("cabe-truth: generating {}", path.display());
            generate::write_model(&spec, FileType::BF16, &self.vocab_dir, &path)?;
        }
        Ok(path)
    }

    /// A model file of `ftype`: the BF16 source, or a real llama-quantize output kept as a
    /// sparse copy (same header, zero data) so it costs no disk once checked.
    fn model_file(&self, id: &str, ftype: FileType) -> Result<PathBuf> {
        let src = self.source_file(id)?;
        if ftype == FileType::BF16 {
            return Ok(src);
        }
        // llama-quantize's choices belong to its build: the build is part of the name.
        let stem = format!(
            "{}-{}",
            file_stem(&src).replace("-BF16-", &format!("-{}-", ftype.name())),
            self.version_tag()
        );
        let path = self.models_dir().join(format!("{stem}.gguf"));
        if path.is_file() {
            return Ok(path);
        }
        let real = path.with_extension("real.gguf");
        eprintln!(
            "cabe-truth: llama-quantize {} → {}",
            src.display(),
            ftype.name()
        );
        let log = self.logs_dir().join(format!("quantize-{stem}.log"));
        std::fs::create_dir_all(log.parent().unwrap_or(Path::new(".")))?;
        self.llama.quantize(&src, &real, ftype.name(), &log)?;
        sparse_copy(&real, &path)?;
        std::fs::remove_file(&real)?;
        Ok(path)
    }

    /// The llama.cpp build, as a file-name part (`b11312`).
    fn version_tag(&self) -> String {
        self.llama_version
            .split_whitespace()
            .next()
            .unwrap_or("unknown")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    }

    fn logs_dir(&self) -> PathBuf {
        self.dir
            .join(format!("logs-{}-g{GEN_VERSION}", self.version_tag()))
    }
}

/// Copies a GGUF's header and gives it the same length with a hole for its data.
fn sparse_copy(src: &Path, dst: &Path) -> Result<()> {
    let f = cabe_gguf::read_path(src)?;
    let header = f.data_offset as usize;
    let mut buf = vec![0u8; header];
    use std::io::Read;
    std::fs::File::open(src)?.read_exact(&mut buf)?;
    let tmp = dst.with_extension("part");
    std::fs::write(&tmp, &buf)?;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&tmp)?
        .set_len(f.file_size)?;
    std::fs::rename(tmp, dst)?;
    Ok(())
}

fn file_stem(p: &Path) -> String {
    p.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("model")
        .to_string()
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// KV, recurrent, compute and output of llama.cpp's projection against its real allocation.
fn projection_matches(p: &LoadReport, r: &LoadReport) -> bool {
    same_printed(p.kv_mib(), r.kv_mib())
        && same_printed(p.rs_mib(), r.rs_mib())
        && (p.compute_buffers.iter().map(|b| b.mib).sum::<f64>()
            - r.compute_buffers.iter().map(|b| b.mib).sum::<f64>())
        .abs()
            < 0.006
        && same_printed(p.output_mib(), r.output_mib())
}

fn run(args: &[String]) -> Result<bool> {
    let t0 = Instant::now();
    let full = args.iter().any(|a| a == "--full");
    let rerun = args.iter().any(|a| a == "--rerun");
    let no_fail = args.iter().any(|a| a == "--no-fail");
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let report_path = opt("--report").map(PathBuf::from);
    let only = opt("--only");
    let repo = opt("--repo").map_or_else(|| PathBuf::from("."), PathBuf::from);

    let llama = Llama::locate(&repo)?;
    let vocab_dir = llama_src(&repo)?.join("models");
    let ctx = Ctx {
        llama_version: llama_version(&llama.bin),
        dir: truth_dir(),
        llama,
        vocab_dir,
        rerun,
    };
    let matrix: Matrix = if full { cases::full() } else { cases::quick() };
    let mut info = RunInfo {
        llama_version: ctx.llama_version.clone(),
        matrix: if full {
            "full".into()
        } else {
            "quick (CI subset)".into()
        },
        cpu: cpu_name(),
        ..RunInfo::default()
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut load_wall = 0.0;

    for mc in &matrix.loads {
        if only.as_ref().is_some_and(|o| !mc.id.contains(o.as_str())) {
            continue;
        }
        let file = ctx.model_file(mc.id, mc.file_type)?;
        let (spec, fw) = from_file(&file)?;
        let (cspec, cw) = from_catalog(mc.id, mc.file_type)?;
        let mut cspec = cspec;
        cspec.projector = None;
        // Quantized files load without repacking: see KNOWN_LIMITS in report.rs.
        let extra: Vec<String> = if mc.file_type.base_type().is_quantized() {
            vec!["--no-repack".into()]
        } else {
            vec![]
        };
        for s in &mc.settings {
            // llama_init_from_model refuses different K and V types for an MLA cache (V is a
            // view of the K latent): there is nothing to compare.
            if spec.mla.is_some() && s.type_k != s.type_v {
                info.skipped.push(format!(
                    "{} {}: llama.cpp refuses different K and V cache types for MLA models",
                    mc.id,
                    s.label()
                ));
                continue;
            }
            let key = slug(&format!("{}-{}", file_stem(&file), s.label()));
            let log = ctx.logs_dir().join(format!("{key}.log"));
            let cached = if log.is_file() && !ctx.rerun {
                let text = std::fs::read_to_string(&log)?;
                let reports = cabe_truth::logparse::parse_log(&text);
                let p = reports.iter().find(|r| r.projected).cloned();
                let r = reports
                    .iter()
                    .rev()
                    .find(|r| cabe_truth::runner::is_real_load(r))
                    .cloned();
                let wall = cabe_truth::runner::logged_wall(&text);
                (p.is_some() || r.is_some()).then_some((p, r, wall))
            } else {
                None
            };
            let run = if let Some(c) = cached {
                c
            } else {
                eprintln!(
                    "cabe-truth: {} {} {}",
                    mc.id,
                    mc.file_type.name(),
                    s.label()
                );
                let r = ctx
                    .llama
                    .load(&file, s, &extra, &log, Duration::from_secs(600))
                    .with_context(|| format!("{} {}", mc.id, s.label()))?;
                (r.projected, r.real, r.wall.as_secs_f64())
            };
            let (projected, mut real, wall) = run;
            // With -fit on, llama.cpp shrinks the context of a load it projects will not fit
            // in this machine's memory: such a real load is not the case asked for.
            let want = cabe_core::kv::cells(&spec, &s.profile()).n_ctx;
            if real
                .as_ref()
                .is_some_and(|r| r.context.n_ctx.is_some_and(|n| n != want))
            {
                eprintln!(
                    "cabe-truth: {} {}: llama.cpp changed n_ctx; using its projection",
                    mc.id,
                    s.label()
                );
                real = None;
            }
            load_wall += wall;
            info.loads += 1;
            if let (Some(p), Some(r)) = (&projected, &real) {
                info.projection_checks += 1;
                if !projection_matches(p, r) {
                    info.projection_mismatches
                        .push(format!("{} {}", mc.id, s.label()));
                }
            }
            let (report, source) = match (&real, &projected) {
                (Some(r), _) => {
                    info.loads_real += 1;
                    (r, "real")
                }
                (None, Some(p)) => (p, "projected"),
                (None, None) => bail!("no report for {} {}", mc.id, s.label()),
            };
            let ci = CaseInfo {
                arch: spec.architecture.clone(),
                model: mc.id.to_string(),
                file_type: mc.file_type.name().to_string(),
                setting: s.label(),
                source: source.to_string(),
            };
            let fe = estimate(&spec, &fw, s);
            let ce = estimate(&cspec, &cw, s);
            rows.extend(compare_load(&ci, &fe, Some(&ce), report));
        }
    }

    // Quantizer mixes.
    let mut mixes = Vec::new();
    for mc in &matrix.mixes {
        if only.as_ref().is_some_and(|o| !mc.id.contains(o.as_str())) {
            continue;
        }
        let src = ctx.source_file(mc.id)?;
        for &ft in &mc.file_types {
            let log = ctx
                .logs_dir()
                .join(format!("mix-{}-{}.log", file_stem(&src), ft.name()));
            let plan = if log.is_file() && !ctx.rerun {
                cabe_truth::runner::parse_quantize_log(&std::fs::read_to_string(&log)?)
            } else {
                eprintln!(
                    "cabe-truth: llama-quantize --dry-run {} {}",
                    mc.id,
                    ft.name()
                );
                ctx.llama.quantize_plan(&src, ft.name(), &log)?
            };
            mixes.push(mix_result(mc.id, ft, &src, &plan)?);
        }
    }

    let observed_rows = observed::rows();
    info.load_wall_s = load_wall;
    info.wall_s = t0.elapsed().as_secs_f64();
    let text = render(&info, &rows, &observed_rows, &mixes, observed::NOT_CHECKED);
    if let Some(p) = &report_path {
        // The speed section (tools/speed-accuracy.sh) lives in the same file between markers;
        // keep it when the memory sections are regenerated.
        let kept = std::fs::read_to_string(p)
            .ok()
            .and_then(|old| kept_section(&old, "<!-- speed:begin -->", "<!-- speed:end -->"));
        let text = match kept {
            Some(section) => format!("{}\n{section}\n", text.trim_end()),
            None => text,
        };
        std::fs::write(p, &text)?;
        eprintln!("cabe-truth: wrote {}", p.display());
    }
    let failing: Vec<&Row> = rows
        .iter()
        .chain(&observed_rows)
        .filter(|r| !r.pass)
        .collect();
    let bad_mixes: Vec<&MixResult> = mixes.iter().filter(|m| !m.pass()).collect();
    for r in &failing {
        eprintln!(
            "FAIL {} {} {} {}: cabe {:.2} MiB vs llama.cpp {:.2} MiB ({:+.2}%, bar {}) {}",
            r.model,
            r.file_type,
            r.setting,
            r.component.name(),
            r.cabe_mib,
            r.llama_mib,
            r.err_pct(),
            r.bar.label(),
            r.note
        );
    }
    for m in &bad_mixes {
        eprintln!(
            "FAIL mix {} {}: {} tensors differ",
            m.model,
            m.file_type,
            m.mismatches.len() + m.missing.len()
        );
    }
    eprintln!(
        "cabe-truth: {} comparisons, {} failing; {} mixes, {} failing; {} loads in {:.0} s (llama.cpp {:.0} s)",
        rows.len() + observed_rows.len(),
        failing.len(),
        mixes.len(),
        bad_mixes.len(),
        info.loads,
        info.wall_s,
        load_wall
    );
    Ok(no_fail || (failing.is_empty() && bad_mixes.is_empty()))
}

fn mix_result(id: &str, ft: FileType, src: &Path, plan: &[(String, String)]) -> Result<MixResult> {
    let (spec, _) = from_catalog(id, ft)?;
    let cabe = cabe_core::weights::for_file_type(&spec, ft);
    let gguf = cabe_gguf::read_path(src)?;
    let mut mismatches = Vec::new();
    let mut missing = Vec::new();
    let mut llama_bytes = 0u64;
    for (name, ty) in plan {
        let Some(info) = gguf.tensors.iter().find(|t| &t.name == name) else {
            missing.push(name.clone());
            continue;
        };
        let g = GgmlType::from_name(ty).with_context(|| format!("llama-quantize type {ty}"))?;
        let t = TypedTensor {
            name: name.as_str().into(),
            dims: info.dims.as_slice().into(),
            ty: g,
        };
        llama_bytes += t.bytes();
        match cabe.tensors.iter().find(|c| *c.name == **name) {
            Some(c) if c.ty == g => {}
            Some(c) => {
                mismatches.push((name.clone(), c.ty.name().to_string(), g.name().to_string()))
            }
            None => missing.push(name.clone()),
        }
    }
    for c in &cabe.tensors {
        if !plan.iter().any(|(n, _)| **n == *c.name) {
            missing.push(c.name.to_string());
        }
    }
    Ok(MixResult {
        arch: spec.architecture.clone(),
        model: id.to_string(),
        file_type: ft.name().to_string(),
        tensors: plan.len(),
        mismatches,
        missing,
        cabe_bytes: cabe.bytes,
        llama_bytes,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("gen") if args.len() >= 3 => (|| {
            let e = cabe_catalog::find_model(&args[1])?;
            let float = FileType::parse(args.get(3).map_or("BF16", |s| s)).context("file type")?;
            let repo = PathBuf::from(".");
            let vocab = llama_src(&repo)?.join("models");
            let mut spec = e.spec.clone();
            spec.projector = None;
            let g = generate::write_model(&spec, float, &vocab, Path::new(&args[2]))?;
            println!(
                "{} ({} bytes of tensors, vocab {})",
                g.path.display(),
                g.written.tensor_bytes,
                g.vocab
            );
            Ok(true)
        })(),
        // Development aid: cabe's compute buffer against saved `MODEL.faon.cCTX.ubUB.npN.log`
        // logs (completion) or, with `--server`, llama-server logs of the same names.
        Some("check-logs") if args.len() >= 2 => (|| {
            let server = args.iter().any(|a| a == "--server");
            let mut n = 0;
            let mut bad = 0;
            let mut worst = 0f64;
            for entry in std::fs::read_dir(&args[1])? {
                let path = entry?.path();
                let name = path
                    .file_name()
                    .and_then(|x| x.to_str())
                    .unwrap_or("")
                    .to_string();
                let Some(stem) = name.strip_suffix(".log") else {
                    continue;
                };
                let parts: Vec<&str> = stem.rsplitn(5, '.').collect();
                if parts.len() != 5 {
                    continue;
                }
                let (np, ub, c, fa, id) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
                let num = |x: &str, p: &str| x.strip_prefix(p).and_then(|v| v.parse::<u64>().ok());
                let (Some(np), Some(ub), Some(ctx)) = (num(np, "np"), num(ub, "ub"), num(c, "c"))
                else {
                    continue;
                };
                let text = std::fs::read_to_string(&path)?;
                let reports = cabe_truth::logparse::parse_log(&text);
                let Some(r) = reports.first() else { continue };
                if r.compute_buffers.is_empty() {
                    continue;
                }
                let mut s = cabe_truth::estimate::Setting::new(ctx);
                s.flash_attn = fa == "faon";
                s.n_ubatch = ub as u32;
                s.n_seq = np as u32;
                s.kv_unified = server;
                let (spec, _) = from_catalog(id, FileType::BF16)?;
                let mut p = s.profile();
                p.n_outputs_max = if server { np as u32 } else { 0 };
                let kv = cabe_core::kv::kv_cache(&spec, &p);
                let c = cabe_core::plan::compute_buffer(&spec, &p, &kv).bytes as f64 / 1048576.0;
                let l = r.compute_buffers.iter().map(|b| b.mib).sum::<f64>();
                let err = (c - l) / l * 100.0;
                n += 1;
                worst = worst.max(err.abs());
                if err.abs() > 10.0 {
                    bad += 1;
                    println!("{name}: cabe {c:.2} llama.cpp {l:.2} {err:+.1}%");
                }
            }
            println!("{n} logs, {bad} over 10%, worst {worst:.1}%");
            Ok(true)
        })(),
        Some("hash") if args.len() >= 2 => (|| {
            let e = cabe_catalog::find_model(&args[1])?;
            let mut spec = e.spec.clone();
            spec.projector = None;
            println!("{}", generate::content_hash(&spec, FileType::BF16)?);
            Ok(true)
        })(),
        Some("spec") if args.len() >= 2 => (|| {
            let e = cabe_catalog::find_model(&args[1])?;
            println!("{}", serde_json::to_string(&e.spec)?);
            Ok(true)
        })(),
        Some("parse") if args.len() >= 2 => (|| {
            let text = std::fs::read_to_string(&args[1])?;
            println!(
                "{}",
                serde_json::to_string_pretty(&cabe_truth::logparse::parse_log(&text))?
            );
            Ok(true)
        })(),
        _ => {
            eprintln!("usage: cabe-truth run [--full] [--report FILE] [--only ID] [--rerun] [--no-fail] | gen ID OUT.gguf [BF16|F16] | parse LOG");
            std::process::exit(2);
        }
    };
    match result {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("cabe-truth: error: {e:#}");
            std::process::exit(2);
        }
    }
}

/// The text from `begin` to `end` (both markers included), if the file has them in order.
fn kept_section(old: &str, begin: &str, end: &str) -> Option<String> {
    let b = old.find(begin)?;
    let e = old[b..].find(end)? + b + end.len();
    Some(old[b..e].to_string())
}

#[cfg(test)]
mod tests {
    use super::kept_section;

    #[test]
    fn the_speed_section_survives_a_rewrite() {
        let old = "# memory\nrows\n<!-- speed:begin -->\n## Speed\nx\n<!-- speed:end -->\ntail";
        assert_eq!(
            kept_section(old, "<!-- speed:begin -->", "<!-- speed:end -->").as_deref(),
            Some("<!-- speed:begin -->\n## Speed\nx\n<!-- speed:end -->")
        );
        assert_eq!(
            kept_section(
                "# memory only",
                "<!-- speed:begin -->",
                "<!-- speed:end -->"
            ),
            None
        );
    }
}
