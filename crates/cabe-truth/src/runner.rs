//! Runs the real llama.cpp tools and captures their logs.
//!
//! * Loads go through the case's front end: `llama-completion` (`-n 0 --no-warmup`: load the
//!   model, build the context, reserve the compute graph, exit); `llama-server` (also for a
//!   unified KV cache shared by several sequences, `-kvu`, which llama-completion does not
//!   accept), stopped with SIGTERM once it reports the model loaded; or `llama-cli` (one
//!   turn, one token: `-st -p hi -n 1`). All run with `-fit on` (llama.cpp's default),
//!   so every log holds llama.cpp's own `no_alloc` projection of the load first, then the real
//!   allocation.
//! * Memory is bounded with `ulimit -v` (address space): a real load that would not fit
//!   fails to allocate instead of pushing the machine into swap or the OOM killer, and the
//!   projection — which allocates nothing — still comes back. The model file is memory-mapped
//!   (llama.cpp's default), so its zero-filled holes cost page cache, not anonymous memory;
//!   the KV cache is cleared (touched) by llama.cpp and counts in full.
//! * `llama-quantize --dry-run` gives the per-tensor type choices without writing a file.

use crate::estimate::Setting;
use crate::logparse::{parse_log, LoadReport};
use anyhow::{bail, Context, Result};
use cabe_engine::Runtime;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The last line of a saved log: how long llama.cpp ran for it, in seconds.
pub const WALL_PREFIX: &str = "cabe-truth: wall seconds ";

/// The wall time recorded in a saved log (0 for logs saved without one).
pub fn logged_wall(text: &str) -> f64 {
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix(WALL_PREFIX))
        .and_then(|x| x.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Where the llama.cpp tools are.
#[derive(Clone, Debug)]
pub struct Llama {
    pub bin: PathBuf,
    /// `ulimit -v` for loads, KiB.
    pub vmem_kib: u64,
    pub threads: u32,
}

/// What one load printed: the projection (first block) and the real allocation (last block,
/// absent when the real load was refused by the memory limit or failed).
#[derive(Clone, Debug)]
pub struct LoadRun {
    pub projected: Option<LoadReport>,
    pub real: Option<LoadReport>,
    pub tool: &'static str,
    pub wall: Duration,
    pub log_path: PathBuf,
}

impl Llama {
    /// `$CABE_LLAMA_BIN`, else what `tools/llama-cpp.sh path` prints.
    pub fn locate(repo: &Path) -> Result<Llama> {
        let bin = match std::env::var_os("CABE_LLAMA_BIN") {
            Some(b) => PathBuf::from(b),
            None => {
                let out = Command::new("bash")
                    .arg(repo.join("tools/llama-cpp.sh"))
                    .arg("path")
                    .output()
                    .context("running tools/llama-cpp.sh path")?;
                if !out.status.success() {
                    bail!(
                        "llama.cpp is not built: {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    );
                }
                PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
            }
        };
        for t in [
            "llama-completion",
            "llama-server",
            "llama-cli",
            "llama-quantize",
        ] {
            if !bin.join(t).is_file() {
                bail!("{} has no {t}", bin.display());
            }
        }
        let vmem_gib: u64 = std::env::var("CABE_TRUTH_VMEM_GIB")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        Ok(Llama {
            bin,
            vmem_kib: vmem_gib << 20,
            threads: 2,
        })
    }

    fn shell(&self, tool: &str, args: &[String], vmem_kib: Option<u64>) -> Command {
        // nice: other work shares the cores; ulimit -v bounds what a load may allocate.
        let limit = vmem_kib.map_or(String::new(), |k| format!("ulimit -v {k}; "));
        let script = format!("{limit}exec nice -n 10 \"$0\" \"$@\"");
        let mut c = Command::new("bash");
        c.arg("-c").arg(script).arg(self.bin.join(tool)).args(args);
        c.current_dir(std::env::temp_dir());
        c.env("LLAMA_ARG_HOST", "127.0.0.1");
        c
    }

    /// Loads `model` at `s` and returns what llama.cpp reported; the log is kept at `log`.
    pub fn load(
        &self,
        model: &Path,
        s: &Setting,
        extra: &[String],
        log: &Path,
        timeout: Duration,
    ) -> Result<LoadRun> {
        let mut args: Vec<String> = vec!["-m".into(), model.display().to_string()];
        args.extend(s.args());
        args.extend(extra.iter().cloned());
        args.extend(
            [
                "-t",
                &self.threads.to_string(),
                "-v",
                "--no-warmup",
                "-fit",
                "on",
            ]
            .map(String::from),
        );
        let t0 = Instant::now();
        let tool = s.front_end.name();
        let text = match s.front_end {
            Runtime::LlamaServer => {
                let port = 20000 + (std::process::id() % 20000);
                args.extend(["--port".into(), port.to_string()]);
                if s.n_seq > 1 && s.kv_unified {
                    args.push("-kvu".into());
                }
                self.run_until(
                    tool,
                    &args,
                    &[
                        "llama_server: model loaded",
                        "listening on http",
                        "exiting due to model loading error",
                    ],
                    timeout,
                )?
            }
            // One turn, one token: llama-cli loads through its in-process server and exits.
            Runtime::LlamaCli => {
                args.extend(["-st", "-p", "hi", "-n", "1"].map(String::from));
                self.run_until(tool, &args, &[], timeout)?
            }
            Runtime::Ollama => bail!("the harness loads through llama.cpp's own front ends"),
            Runtime::LlamaCompletion => {
                args.extend(["-n", "0", "-p", "hi", "-no-cnv"].map(String::from));
                self.run_until("llama-completion", &args, &[], timeout)?
            }
        };
        let wall = t0.elapsed();
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let footer = format!("{WALL_PREFIX}{:.3}\n", wall.as_secs_f64());
        std::fs::write(log, format!("{text}{footer}"))?;
        let reports = parse_log(&text);
        let projected = reports.iter().find(|r| r.projected).cloned();
        let real = reports.iter().rev().find(|r| is_real_load(r)).cloned();
        if projected.is_none() && real.is_none() {
            let tail: Vec<&str> = text.lines().rev().take(12).collect();
            bail!(
                "llama.cpp reported no load for {}: {}",
                model.display(),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        Ok(LoadRun {
            projected,
            real,
            tool,
            wall,
            log_path: log.to_path_buf(),
        })
    }

    /// Runs a tool, collecting stdout+stderr; with `stop_at`, sends SIGTERM once a line
    /// containing one of them appears (the server would otherwise run forever).
    pub(crate) fn run_until(
        &self,
        tool: &str,
        args: &[String],
        stop_at: &[&str],
        timeout: Duration,
    ) -> Result<String> {
        // Loads are bounded; llama-quantize maps the whole source (address space, not memory).
        let vmem = (tool != "llama-quantize").then_some(self.vmem_kib);
        let mut child = self
            .shell(tool, args, vmem)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {tool}"))?;
        let pid = child.id();
        let mut stdout = child.stdout.take().expect("piped");
        let out_thread = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let stderr = child.stderr.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let err_thread = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let t0 = Instant::now();
        let mut text = String::new();
        let mut signalled = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if !signalled && stop_at.iter().any(|s| line.contains(s)) {
                        terminate(pid);
                        signalled = true;
                    }
                    text.push_str(&line);
                    text.push('\n');
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            }
            if t0.elapsed() > timeout && !signalled {
                terminate(pid);
                signalled = true;
                text.push_str("cabe-truth: timed out, terminated\n");
            }
            if t0.elapsed() > timeout + Duration::from_secs(30) {
                let _ = child.kill();
                break;
            }
        }
        let _ = child.wait();
        let _ = err_thread.join();
        let out = out_thread.join().unwrap_or_default();
        text.push_str(&out);
        Ok(text)
    }

    /// `llama-quantize --dry-run`: the type llama-quantize gives each tensor, in file order.
    pub fn quantize_plan(
        &self,
        model: &Path,
        ftype: &str,
        log: &Path,
    ) -> Result<Vec<(String, String)>> {
        let args = vec![
            "--dry-run".to_string(),
            model.display().to_string(),
            ftype.to_string(),
            self.threads.to_string(),
        ];
        let text = self.run_until("llama-quantize", &args, &[], Duration::from_secs(600))?;
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(log, &text)?;
        let plan = parse_quantize_log(&text);
        if plan.is_empty() {
            bail!(
                "llama-quantize printed no tensor plan (log: {})",
                log.display()
            );
        }
        Ok(plan)
    }

    /// A real `llama-quantize` run (writes `dst`).
    pub fn quantize(&self, src: &Path, dst: &Path, ftype: &str, log: &Path) -> Result<()> {
        let args = vec![
            src.display().to_string(),
            dst.display().to_string(),
            ftype.to_string(),
            self.threads.to_string(),
        ];
        let text = self.run_until("llama-quantize", &args, &[], Duration::from_secs(1800))?;
        std::fs::write(log, &text)?;
        if !dst.is_file() {
            bail!(
                "llama-quantize wrote no {} (log: {})",
                dst.display(),
                log.display()
            );
        }
        Ok(())
    }
}

/// A load llama.cpp really allocated (not its projection) that got as far as a context.
pub fn is_real_load(r: &LoadReport) -> bool {
    // Only a load that reserved its compute buffer is complete: under the memory limit a
    // real load may allocate its KV cache and then fail on the compute buffer.
    !r.projected && !r.compute_buffers.is_empty()
}

fn terminate(pid: u32) {
    // Only the process this harness started, by its id.
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
}

/// `[  12/ 290] blk.0.attn_k.weight  - [  896,   128,     1,     1], type =   bf16, size = … -> … (q4_K)`
/// or `…, type =    f32, size =    0.003 MiB` (kept) → (name, new type).
pub fn parse_quantize_log(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(i) = line.find("] ") else { continue };
        if !line.trim_start().starts_with('[') {
            continue;
        }
        let rest = &line[i + 2..];
        let Some((name, rest)) = rest.split_once(" - [") else {
            continue;
        };
        let Some(ty_part) = rest.split("type =").nth(1) else {
            continue;
        };
        let cur = ty_part.split(',').next().unwrap_or("").trim().to_string();
        let new = match rest.rfind("-> ") {
            Some(j) => rest[j..]
                .split('(')
                .nth(1)
                .and_then(|x| x.split(')').next())
                .map(str::to_string),
            None => None,
        };
        out.push((name.trim().to_string(), new.unwrap_or(cur)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantize_plan_lines() {
        let log = "\
[   1/ 290]                   token_embd.weight - [  896, 151936,     1,     1], type =   bf16, size =  259.656 MiB ->    89.25 MiB (q8_0)
[   2/ 290]              blk.0.attn_norm.weight - [  896,     1,     1,     1], type =    f32, size =    0.003 MiB
llama_model_quantize_impl: model size  =   942.43 MiB (16.00 BPW)";
        assert_eq!(
            parse_quantize_log(log),
            vec![
                ("token_embd.weight".to_string(), "q8_0".to_string()),
                ("blk.0.attn_norm.weight".to_string(), "f32".to_string())
            ]
        );
    }
}
