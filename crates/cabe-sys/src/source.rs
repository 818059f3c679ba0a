//! Where detection reads from: this machine, or a recorded tree of the same files.
//!
//! Every file is read relative to a root (`/` on this machine), and every command's output is
//! either run here (with a timeout) or read from `ROOT/commands/`, so a test can point
//! detection at `tests/fixtures/machines/NAME` and get exactly what that machine gave.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Proc, Stdio};
use std::time::{Duration, Instant};

/// No file or command output read by detection may be larger than this (a `sysctl -a` is
/// about 100 KB, an 8-GPU `nvidia-smi -q -x` about 200 KB).
pub const MAX_READ_BYTES: u64 = 8 << 20;

/// How long a command may run before it is killed and treated as absent.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// The operating system detection reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Macos,
    Windows,
    Other,
}

impl Os {
    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Macos => "macos",
            Os::Windows => "windows",
            Os::Other => "other",
        }
    }
}

/// The commands whose output detection uses, and the file each is recorded in under
/// `ROOT/commands/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `nvidia-smi -q -x`: the NVIDIA fallback when NVML cannot be loaded.
    NvidiaSmi,
    /// `sysctl -a` (macOS): chip, `hw.memsize`, `iogpu.wired_limit_mb`, CPU features.
    SysctlA,
    /// `system_profiler SPDisplaysDataType -json` (macOS): GPU name and core count.
    SystemProfilerDisplays,
}

impl Command {
    /// File name under `ROOT/commands/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Command::NvidiaSmi => "nvidia-smi-q-x.xml",
            Command::SysctlA => "sysctl-a.txt",
            Command::SystemProfilerDisplays => "system_profiler-SPDisplaysDataType-json.json",
        }
    }

    fn argv(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Command::NvidiaSmi => ("nvidia-smi", &["-q", "-x"]),
            Command::SysctlA => ("sysctl", &["-a"]),
            Command::SystemProfilerDisplays => {
                ("system_profiler", &["SPDisplaysDataType", "-json"])
            }
        }
    }

    /// The command line, for messages.
    pub fn display(self) -> String {
        let (p, a) = self.argv();
        format!("{p} {}", a.join(" "))
    }
}

/// This machine, or a recorded one.
#[derive(Clone, Debug)]
pub struct Source {
    root: PathBuf,
    live: bool,
    os: Os,
}

impl Source {
    /// This machine: files from `/`, commands run here, NVML loaded if present.
    pub fn live() -> Source {
        let os = match std::env::consts::OS {
            "linux" => Os::Linux,
            "macos" => Os::Macos,
            "windows" => Os::Windows,
            _ => Os::Other,
        };
        Source {
            root: PathBuf::from("/"),
            live: true,
            os,
        }
    }

    /// A recorded machine under `root`: `root/proc/meminfo`, `root/sys/class/drm/…`,
    /// `root/commands/<file>` for command outputs. The OS is macOS when there is a recorded
    /// `sysctl -a` and no `/proc`, else Linux.
    pub fn recorded(root: impl Into<PathBuf>) -> Source {
        let root = root.into();
        let os = if !root.join("proc").is_dir()
            && root
                .join("commands")
                .join(Command::SysctlA.file_name())
                .is_file()
        {
            Os::Macos
        } else {
            Os::Linux
        };
        Source {
            root,
            live: false,
            os,
        }
    }

    pub fn is_live(&self) -> bool {
        self.live
    }

    pub fn os(&self) -> Os {
        self.os
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `abs` is an absolute path as on the machine (`/proc/meminfo`).
    pub fn path(&self, abs: &str) -> PathBuf {
        self.root.join(abs.trim_start_matches('/'))
    }

    /// A text file, at most [`MAX_READ_BYTES`]; `None` if absent or unreadable.
    pub fn read(&self, abs: &str) -> Option<String> {
        read_bounded(&self.path(abs))
    }

    /// A file holding one integer (sysfs style, decimal or `0x` hex).
    pub fn read_u64(&self, abs: &str) -> Option<u64> {
        parse_int(self.read(abs)?.trim())
    }

    /// Names in a directory, sorted; empty if absent.
    pub fn list(&self, abs: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(abs))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort_by_key(|a| natural_key(a));
        names
    }

    /// A command's output: run here (with [`COMMAND_TIMEOUT`]), or the recorded file.
    /// `None` when the command is absent, fails or times out.
    pub fn command(&self, c: Command) -> Option<String> {
        if self.live {
            let (prog, args) = c.argv();
            run_bounded(prog, args, COMMAND_TIMEOUT)
        } else {
            read_bounded(&self.root.join("commands").join(c.file_name()))
        }
    }
}

/// "card10" after "card9".
fn natural_key(s: &str) -> (String, u64) {
    let digits: String = s.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    let n = digits
        .chars()
        .rev()
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    (s[..s.len() - digits.len()].to_string(), n)
}

pub(crate) fn parse_int(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn read_bounded(p: &Path) -> Option<String> {
    let f = std::fs::File::open(p).ok()?;
    let mut buf = Vec::new();
    f.take(MAX_READ_BYTES).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn run_bounded(prog: &str, args: &[&str], timeout: Duration) -> Option<String> {
    let mut child = Proc::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut out = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut out).take(MAX_READ_BYTES).read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let buf = reader.join().ok()?;
    match status {
        Some(s) if s.success() => Some(String::from_utf8_lossy(&buf).into_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["card10", "card2", "card1"];
        v.sort_by_key(|a| natural_key(a));
        assert_eq!(v, ["card1", "card2", "card10"]);
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int("0x1002"), Some(0x1002));
        assert_eq!(parse_int("4294967296"), Some(4294967296));
        assert_eq!(parse_int("x"), None);
    }

    #[test]
    fn missing_command_is_none_not_error() {
        assert_eq!(
            run_bounded("cabe-no-such-command-xyz", &[], Duration::from_secs(1)),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn slow_command_times_out() {
        let t = Instant::now();
        assert_eq!(
            run_bounded("sleep", &["5"], Duration::from_millis(200)),
            None
        );
        assert!(t.elapsed() < Duration::from_secs(3));
    }
}
