//! A workload file for `cabe route`: JSON Lines, one task class a line —
//! `{"name": "edits", "prompt_tokens": 6000, "output_tokens": 1500, "private": true,
//! "timeout": "5m", "deadline": 600, "per_day": 40}`. Read with a cap on its size and on its
//! lines; any bad line fails the whole file with one line naming it.

use cabe_engine::route::Task;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The largest workload file read.
pub const MAX_FILE_BYTES: u64 = 1 << 20;
/// The most task classes in one file.
pub const MAX_TASKS: usize = 1000;
/// The most times a task may run a day.
pub const MAX_PER_DAY: f64 = 1e6;
/// The longest deadline or timeout taken: a year.
pub const MAX_SECONDS: f64 = 365.0 * 86400.0;
const MAX_NAME_CHARS: usize = 200;
const FIELDS: &str = "name, prompt_tokens, output_tokens, private, deadline, timeout, per_day";

/// Reads and parses `path`. Errors are one line: the file, the line number, what is wrong.
pub fn read(path: &Path) -> Result<Vec<Task>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        let kind = cabe_gguf::special_file_kind(meta.file_type())
            .unwrap_or("folder")
            .to_lowercase()
            .replace(" (", "-")
            .replace(')', "")
            .replace(' ', "-");
        return Err(t!(
            "workload-err-special",
            path = shown.to_string(),
            kind = kind
        ));
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| format!("{shown}: {e}"))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(t!("workload-err-cap", path = shown.to_string()));
    }
    let text =
        String::from_utf8(buf).map_err(|_| t!("workload-err-utf8", path = shown.to_string()))?;
    parse(&text).map_err(|e| format!("{shown}: {e}"))
}

/// Parses JSON Lines text; blank lines and lines starting with `#` are skipped.
pub fn parse(text: &str) -> Result<Vec<Task>, String> {
    let mut tasks = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if tasks.len() == MAX_TASKS {
            return Err(t!(
                "workload-err-too-many",
                line = (i + 1).to_string(),
                max = MAX_TASKS.to_string()
            ));
        }
        let v: Value = serde_json::from_str(line).map_err(|e| {
            t!(
                "workload-err-json",
                line = (i + 1).to_string(),
                error = e.to_string()
            )
        })?;
        tasks.push(task(&v).map_err(|e| format!("{} {}: {e}", t!("workload-line"), i + 1))?);
    }
    if tasks.is_empty() {
        return Err(t!("workload-err-none"));
    }
    Ok(tasks)
}

fn task(v: &Value) -> Result<Task, String> {
    let o = v.as_object().ok_or_else(|| t!("workload-err-object"))?;
    if let Some(k) = o
        .keys()
        .find(|k| !FIELDS.split(", ").any(|f| f == k.as_str()))
    {
        return Err(t!(
            "workload-err-unknown-field",
            field = k.escape_debug().to_string(),
            fields = FIELDS
        ));
    }
    let get = |k: &str| o.get(k).filter(|v| !v.is_null());
    let need = |k: &str| get(k).ok_or_else(|| t!("workload-err-missing", field = k));
    let name = need("name")?
        .as_str()
        .ok_or_else(|| t!("workload-err-name-string"))?
        .to_string();
    if name.trim().is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(t!("workload-err-name", max = MAX_NAME_CHARS));
    }
    let private = need("private")?
        .as_bool()
        .ok_or_else(|| t!("workload-err-private"))?;
    let per_day = need("per_day")?
        .as_f64()
        .filter(|n| n.is_finite() && (0.0..=MAX_PER_DAY).contains(n))
        .ok_or_else(|| t!("workload-err-per-day"))?;
    Ok(Task {
        prompt_tokens: tokens(need("prompt_tokens")?, "prompt_tokens")?,
        output_tokens: tokens(need("output_tokens")?, "output_tokens")?,
        deadline_s: get("deadline")
            .map(|v| seconds(v, "deadline"))
            .transpose()?,
        timeout_s: get("timeout").map(|v| seconds(v, "timeout")).transpose()?,
        name,
        private,
        per_day,
    })
}

/// A whole number of tokens, or a string as the flags take it (`32k`), up to 2^26.
fn tokens(v: &Value, what: &str) -> Result<u64, String> {
    let n = match v {
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| t!("workload-err-whole", field = what))?,
        Value::String(s) => crate::flags::tokens(s).map_err(|e| format!("'{what}': {e}"))?,
        _ => return Err(t!("workload-err-tokens", field = what)),
    };
    if n > crate::flags::MAX_TOKENS {
        return Err(t!("workload-err-range", field = what, n = n.to_string()));
    }
    Ok(n)
}

/// Seconds, or a duration string (`300s`, `5m`).
fn seconds(v: &Value, what: &str) -> Result<f64, String> {
    let s = match v {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => crate::flags::duration(s).map_err(|e| format!("'{what}': {e}"))?,
        _ => return Err(t!("workload-err-seconds", field = what)),
    };
    if !(s.is_finite() && s > 0.0 && s <= MAX_SECONDS) {
        return Err(t!("workload-err-time", field = what));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_with_numbers_or_strings_and_bad_ones_are_named() {
        let ok = parse(
            "# the conversation's split\n\n{\"name\":\"a\",\"prompt_tokens\":\"6k\",\"output_tokens\":1500,\"private\":true,\"timeout\":\"5m\",\"per_day\":40}\n{\"name\":\"b\",\"prompt_tokens\":210000,\"output_tokens\":8000,\"private\":false,\"deadline\":900,\"per_day\":10}",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!((ok[0].prompt_tokens, ok[0].timeout_s), (6144, Some(300.0)));
        assert_eq!((ok[1].deadline_s, ok[1].private), (Some(900.0), false));
        let line = |s: &str| {
            format!("{{\"name\":\"a\",\"prompt_tokens\":100,\"output_tokens\":10,\"private\":true,\"per_day\":1{s}}}")
        };
        for (text, says) in [
            ("{not json".to_string(), "line 1: not JSON"),
            ("[1,2]".to_string(), "JSON object"),
            (
                "{\"name\":\"a\",\"output_tokens\":1,\"private\":true,\"per_day\":1}".to_string(),
                "missing field 'prompt_tokens'",
            ),
            (line(",\"colour\":1"), "unknown field 'colour'"),
            (line(",\"deadline\":-3"), "'deadline'"),
            (line(",\"timeout\":\"soon\""), "'timeout'"),
            (
                line("").replace("\"per_day\":1", "\"per_day\":1e300"),
                "'per_day'",
            ),
            (line("").replace("100", "1e30"), "whole number"),
            (line("").replace("100", "\"99999999999\""), "out of range"),
            (line("").replace("true", "\"yes\""), "'private'"),
            (line("").replace("\"a\"", "\"\\u001b[31m\""), "printable"),
            (format!("\n\n{}\n{{", line("")), "line 4: not JSON"),
        ] {
            let e = parse(&text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
        let many = (0..=MAX_TASKS)
            .map(|_| line(""))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(parse(&many).unwrap_err().contains("more than 1000 tasks"));
        assert!(parse("\n# nothing\n").unwrap_err().contains("no tasks"));
    }
}
