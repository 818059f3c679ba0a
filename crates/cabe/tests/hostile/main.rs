//! Hostile inputs through every reader cabe has, each run as a user would run it: the cabe
//! binary. Each must end with a one-line error and a non-zero exit (scan: one `skipped:` line
//! per unreadable model, exit 0, as it reports a store it could partly read), within a second
//! and in under 64 MiB, whatever the input claims or is. `files.rs`: model files (GGUF,
//! safetensors) and Ollama stores: FIFOs, devices, directories, empty or cut files, absurd
//! counts and lengths. `readers.rs`: the value parsers, workload and cloud-price files,
//! config.json, GGUF headers over HTTP, Ollama's and llama-server's replies, and the MCP
//! server's input. `serve.rs`: `cabe serve`'s request bodies and heads.
//!
//! The child's peak RSS is the `ru_maxrss` that `wait4` returns when it is reaped: the kernel's
//! own figure for the whole life of the process, read without a helper binary.

#![cfg(target_os = "linux")]

#[path = "../common/mod.rs"]
mod common;
mod files;
mod readers;
mod serve;

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A hostile input may take this long to be refused.
const MAX_TIME: Duration = Duration::from_secs(1);
/// A hung child is killed after this long (and the test fails).
const KILL_AFTER: Duration = Duration::from_secs(5);
/// Peak resident memory allowed, KiB.
const MAX_RSS_KIB: u64 = 64 << 10;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    max_rss_kib: u64,
}

/// Runs `cabe ARGS` with a private HOME and data dir, no default stores and a recorded
/// machine, and measures it.
// The child is reaped by `wait4` (which also returns its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run(home: &Path, args: &[OsString]) -> Outcome {
    run_fed(home, args, None)
}

/// [`run`] with the file `input` as the child's stdin. (A file, not a pipe fed from here:
/// the test process must stay small, as a child spawned with vfork starts with this
/// process's peak RSS as its own `ru_maxrss`.)
#[allow(clippy::zombie_processes)]
fn run_fed(home: &Path, args: &[OsString], input: Option<&Path>) -> Outcome {
    let mut c = common::command();
    for k in [
        "CABE_MACHINE_ROOT",
        "OLLAMA_MODELS",
        "OLLAMA_HOST",
        "HF_HUB_CACHE",
        "HF_HOME",
        "XDG_CACHE_HOME",
        "LLAMA_CACHE",
        "CABE_REMOTE_TIMEOUT",
        "CABE_REMOTE_MAX_BYTES",
    ] {
        c.env_remove(k);
    }
    c.env("HOME", home)
        .env("CABE_DATA_DIR", home.join("data"))
        .args(args)
        .stdin(input.map_or_else(Stdio::null, |p| {
            Stdio::from(std::fs::File::open(p).expect("stdin file"))
        }))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = c.spawn().expect("spawn cabe");
    let pid = child.id() as libc::pid_t;
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let mut b = Vec::new();
                let _ = r.read_to_end(&mut b);
                s = String::from_utf8_lossy(&b).into_owned();
            }
            s
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|r| Box::new(r) as Box<dyn Read + Send>),
    );
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own unreaped child; status and usage are valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4: {}", std::io::Error::last_os_error());
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cabe {args:?} still running after {KILL_AFTER:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = start.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Outcome {
        code,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed,
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss as u64,
    }
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn with_path(before: &[&str], p: &Path, after: &[&str]) -> Vec<OsString> {
    let mut v = os(before);
    v.push(p.into());
    v.extend(os(after));
    v
}

/// What a run must print.
enum Expect<'a> {
    /// Exit ≠ 0 and one stderr line `cabe: error: …` containing this.
    Error(&'a str),
    /// Exit 0 and one stderr line `skipped: …` containing this (scan's per-model report).
    Skipped(&'a str),
    /// Exit 0, nothing on stderr, and stdout containing this.
    Quiet(&'a str),
}

/// Checks one run; returns its report line.
fn check(label: &str, o: &Outcome, want: &Expect) -> String {
    let lines: Vec<&str> = o.stderr.lines().filter(|l| !l.is_empty()).collect();
    let ctx = format!(
        "{label}: exit {}, {:?}, {} KiB\nstderr: {}\nstdout: {}",
        o.code, o.elapsed, o.max_rss_kib, o.stderr, o.stdout
    );
    match want {
        Expect::Error(frag) => {
            assert_ne!(o.code, 0, "{ctx}");
            assert_eq!(lines.len(), 1, "one stderr line: {ctx}");
            assert!(lines[0].starts_with("cabe: error: "), "{ctx}");
            assert!(lines[0].contains(frag), "want {frag:?}: {ctx}");
        }
        Expect::Skipped(frag) => {
            assert_eq!(o.code, 0, "{ctx}");
            assert_eq!(lines.len(), 1, "one stderr line: {ctx}");
            assert!(lines[0].starts_with("skipped: "), "{ctx}");
            assert!(lines[0].contains(frag), "want {frag:?}: {ctx}");
            assert!(o.stdout.contains("0 model(s)"), "{ctx}");
        }
        Expect::Quiet(frag) => {
            assert_eq!(o.code, 0, "{ctx}");
            assert!(lines.is_empty(), "{ctx}");
            assert!(o.stdout.contains(frag), "want {frag:?}: {ctx}");
        }
    }
    assert!(o.elapsed < MAX_TIME, "too slow: {ctx}");
    assert!(o.max_rss_kib < MAX_RSS_KIB, "too much memory: {ctx}");
    assert!(o.max_rss_kib > 0, "no RSS measured: {ctx}");
    format!(
        "{label:<58} exit {:>2}  {:>6.1} ms  {:>6} KiB",
        o.code,
        o.elapsed.as_secs_f64() * 1e3,
        o.max_rss_kib
    )
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(
        r,
        0,
        "mkfifo {}: {}",
        p.display(),
        std::io::Error::last_os_error()
    );
}
