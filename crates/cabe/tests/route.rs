//! `cabe route` through the CLI: a workload shaped like the conversation cabe comes from (most
//! tasks small and private, a fifth large non-private multi-file edits over 200K tokens) on a
//! 48 GB Mac mini; private tasks that no local machine can hold; the cloud list and its
//! override; hostile workload files.

mod common;
use common::*;

use serde_json::Value;
use std::path::{Path, PathBuf};

const LOCAL: [&str; 4] = [
    "--model",
    "qwen3-coder-30b-a3b",
    "--on",
    "mac-mini-m4-pro-48gb",
];

fn route(args: &[&str]) -> Value {
    let mut all = vec!["route"];
    all.extend_from_slice(&LOCAL);
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe(&all);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// 40 small private edits and 10 large shared refactors a day (80% / 20%), and a private
/// audit past the model's 262,144-token context, which no machine can run.
const CONVERSATION: &str = r#"{"name": "small private edits", "prompt_tokens": 6000, "output_tokens": 1500, "private": true, "timeout": "5m", "per_day": 40}
{"name": "multi-file refactors", "prompt_tokens": 210000, "output_tokens": 8000, "private": false, "deadline": "15m", "per_day": 10}
{"name": "private monorepo audit", "prompt_tokens": 400000, "output_tokens": 4000, "private": true, "per_day": 1}
"#;

fn task<'v>(v: &'v Value, name: &str) -> &'v Value {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["task"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} not routed: {v}"))
}

#[test]
fn private_work_stays_local_large_edits_go_to_a_model_that_holds_them_with_the_monthly_cost() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "work.jsonl", CONVERSATION);
    let v = route(&["--workload", f.to_str().unwrap()]);

    let small = task(&v, "small private edits");
    assert_eq!(small["place"], "local", "{small}");
    assert_eq!(small["local"]["meets_timeout"], true, "{small}");

    let large = task(&v, "multi-file refactors");
    assert_eq!(large["place"], "cloud", "{large}");
    assert_eq!(large["local"]["verdict"], "does-not-fit", "{large}");
    let c = &large["cloud"];
    assert!(c["context_tokens"].as_u64().unwrap() >= 218_000, "{c}");
    assert!(c["source"].as_str().unwrap().starts_with("https://"), "{c}");
    let per_task = c["usd_per_task"].as_f64().unwrap();
    let month = c["usd_per_month"].as_f64().unwrap();
    assert!(
        per_task > 0.0 && (month - per_task * 10.0 * 30.0).abs() < 1e-6,
        "{c}"
    );

    // Too big for any machine (past the model's context): reported, never sent out.
    let audit = task(&v, "private monorepo audit");
    assert_eq!(audit["place"], "not-placeable", "{audit}");
    assert!(audit["cloud"].is_null(), "{audit}");
    assert!(
        audit["fix"]["line"]
            .as_str()
            .unwrap()
            .contains("longer context"),
        "{audit}"
    );

    let t = &v["totals"];
    assert_eq!(t["local_per_day"], 40.0);
    assert_eq!(t["cloud_per_day"], 10.0);
    assert_eq!(t["not_placeable_per_day"], 1.0);
    assert_eq!(t["private_local_per_day"], 40.0);
    assert!((t["cloud_usd_per_month"].as_f64().unwrap() - month).abs() < 1e-6);

    let (code, out, err) = cabe(&[
        "route",
        LOCAL[0],
        LOCAL[1],
        LOCAL[2],
        LOCAL[3],
        "--workload",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for says in [
        "not placeable",
        "never sent out",
        "cloud cost $",
        "kept local",
    ] {
        assert!(out.contains(says), "{says}: {out}");
    }
}

#[test]
fn a_private_task_too_big_for_this_machine_names_the_change_that_would_fit() {
    let args = [
        "--prompt-tokens",
        "210000",
        "--output-tokens",
        "8000",
        "--private",
        "--per-day",
        "3",
    ];
    let v = route(&args);
    let t = &v["tasks"][0];
    assert_eq!(t["place"], "not-placeable", "{t}");
    assert!(t["cloud"].is_null());
    assert!(
        t["fix"]["change"].as_str().unwrap().contains("--kv-type"),
        "{t}"
    );
    assert!(t["fix"]["machine"].is_string(), "{t}");
    assert_eq!(v["totals"]["cloud_usd_per_month"], 0.0);
    // The same task, not private, goes out.
    let v = route(&args[..4]);
    assert_eq!(v["tasks"][0]["place"], "cloud");
}

#[test]
fn a_measured_prefill_rate_decides_the_deadline_on_a_machine_known_only_by_its_memory() {
    let small = [
        "--model",
        "qwen3-coder-30b-a3b",
        "--memory",
        "64GB",
        "--prompt-tokens",
        "6000",
        "--output-tokens",
        "0",
        "--deadline",
        "60s",
        "--json",
    ];
    let run = |extra: &[&str]| -> Value {
        let mut a = vec!["route"];
        a.extend_from_slice(&small);
        a.extend_from_slice(extra);
        let (code, out, err) = cabe(&a);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    // No compute figure: the deadline is not judged, so it runs here.
    let v = run(&[]);
    assert!(v["tasks"][0]["local"]["meets_deadline"].is_null(), "{v}");
    assert_eq!(v["tasks"][0]["place"], "local");
    // 6,000 tokens at 50 tok/s is 120 s, past 60 s: sent out. At 400 tok/s, 15 s: local.
    let v = run(&["--prefill-rate", "50"]);
    assert_eq!(v["tasks"][0]["local"]["meets_deadline"], false, "{v}");
    assert_eq!(v["tasks"][0]["place"], "cloud");
    assert_eq!(
        run(&["--prefill-rate", "400"])["tasks"][0]["place"],
        "local"
    );
}

#[test]
fn the_cloud_list_can_be_narrowed_or_replaced() {
    let big = ["--prompt-tokens", "210000", "--output-tokens", "8000"];
    let mut a = big.to_vec();
    a.extend(["--cloud", "devstral-2"]);
    assert_eq!(route(&a)["tasks"][0]["cloud"]["id"], "devstral-2");
    // Gemini 2.5 Pro's prompts over 200K tokens pay $2.50 / $15.
    let mut a = big.to_vec();
    a.extend(["--cloud", "gemini-2.5-pro"]);
    let c = &route(&a)["tasks"][0]["cloud"];
    assert_eq!(
        (
            c["input_usd_per_m"].as_f64(),
            c["output_usd_per_m"].as_f64()
        ),
        (Some(2.5), Some(15.0))
    );
    // Claude's 200K window does not hold 218K tokens: nothing allowed holds it.
    let mut a = big.to_vec();
    a.extend(["--cloud", "claude-sonnet-4.5"]);
    assert_eq!(route(&a)["tasks"][0]["place"], "not-placeable");

    let dir = tempfile::tempdir().unwrap();
    let prices = write(
        dir.path(),
        "prices.toml",
        r#"[[cloud]]
id = "house-model"
provider = "Us"
name = "House"
api_model = "house"
context_tokens = 500000
input_usd_per_m = 0.01
output_usd_per_m = 0.02
free_tier = "none"
source = "https://example.com/pricing"
date = "2026-01"
"#,
    );
    let mut a = big.to_vec();
    a.extend(["--cloud-prices", prices.to_str().unwrap()]);
    assert_eq!(route(&a)["tasks"][0]["cloud"]["id"], "house-model");

    let bad = write(
        dir.path(),
        "bad.toml",
        &std::fs::read_to_string(&prices)
            .unwrap()
            .replace("2026-01", "soon"),
    );
    let mut a = vec!["route", LOCAL[0], LOCAL[1], LOCAL[2], LOCAL[3]];
    a.extend(big);
    let mut with_bad = a.clone();
    with_bad.extend(["--cloud-prices", bad.to_str().unwrap()]);
    one_line_error(&with_bad, "row 'house-model'");
    let mut unknown = a.clone();
    unknown.extend(["--cloud", "gpt-99"]);
    one_line_error(&unknown, "unknown hosted model 'gpt-99'");
}

#[test]
fn hostile_workload_files_fail_with_one_line_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"name": "a", "prompt_tokens": 100, "output_tokens": 10, "private": true, "per_day": 1}"#;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "bad-json.jsonl",
            format!("{good}\n{{\"name\": \"b\",\n"),
            "line 2: not JSON",
        ),
        (
            "missing.jsonl",
            good.replace(r#""private": true, "#, ""),
            "line 1: missing field 'private'",
        ),
        (
            "absurd.jsonl",
            good.replace("100", "1e40"),
            "line 1: 'prompt_tokens'",
        ),
        (
            "huge-count.jsonl",
            good.replace("\"per_day\": 1", "\"per_day\": 1e12"),
            "'per_day'",
        ),
        (
            "unknown.jsonl",
            good.replace("\"name\"", "\"nmae\""),
            "unknown field 'nmae'",
        ),
        ("empty.jsonl", "\n\n".into(), "no tasks"),
        (
            "many.jsonl",
            vec![good; 1001].join("\n"),
            "more than 1000 tasks",
        ),
        (
            "huge.jsonl",
            format!("{good}\n{}", " ".repeat(1 << 20)),
            "1 MiB cap",
        ),
        ("binary.jsonl", "\u{0}\u{1}".into(), "line 1: not JSON"),
    ];
    for (name, text, says) in cases {
        let f = write(dir.path(), name, &text);
        one_line_error(
            &[
                "route",
                LOCAL[0],
                LOCAL[1],
                LOCAL[2],
                LOCAL[3],
                "--workload",
                f.to_str().unwrap(),
            ],
            says,
        );
    }
    let missing = dir.path().join("nope.jsonl");
    one_line_error(
        &[
            "route",
            LOCAL[0],
            LOCAL[1],
            "--workload",
            missing.to_str().unwrap(),
        ],
        "nope.jsonl",
    );
    one_line_error(
        &[
            "route",
            LOCAL[0],
            LOCAL[1],
            "--workload",
            dir.path().to_str().unwrap(),
        ],
        "not a workload file",
    );
    one_line_error(&["route", LOCAL[0], LOCAL[1]], "--workload FILE");
    one_line_error(
        &[
            "route",
            LOCAL[0],
            LOCAL[1],
            "--prompt-tokens",
            "10",
            "--per-day",
            "-1",
        ],
        "--per-day",
    );
}

fn one_line_error(args: &[&str], says: &str) {
    let (code, out, err) = cabe(args);
    assert_ne!(code, 0, "{args:?} succeeded: {out}");
    assert!(out.is_empty(), "{args:?}: {out}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: {err}");
    assert!(lines[0].starts_with("cabe: error: "), "{args:?}: {err}");
    assert!(lines[0].contains(says), "{args:?}: {err} should say {says}");
}
