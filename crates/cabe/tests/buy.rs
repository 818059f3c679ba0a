//! `cabe buy` through the CLI: a 70B model at 32K context across the catalog, the Mac Studio
//! against the DGX Spark, a claim over the Spark's ceiling, a budget, and bad input.

mod common;
use common::*;

use serde_json::Value;

fn buy(args: &[&str]) -> Value {
    let mut all = vec!["buy"];
    all.extend_from_slice(args);
    all.push("--json");
    let (code, out, err) = cabe(&all);
    assert_eq!(code, 0, "cabe {all:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad JSON ({e}): {out}"))
}

const LLAMA_70B: [&str; 6] = [
    "--model",
    "llama-3.3-70b",
    "--quant",
    "Q4_K_M",
    "--ctx",
    "32768",
];

fn row<'v>(v: &'v Value, id: &str) -> &'v Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed"))
}

#[test]
fn a_70b_at_32k_lists_the_machines_that_fit_in_price_order() {
    let v = buy(&LLAMA_70B);
    let rows = v["rows"].as_array().unwrap();
    let meeting: Vec<&Value> = rows.iter().take_while(|r| r["meets"] == true).collect();
    assert!(meeting.len() >= 5, "{v}");
    assert!(
        rows[meeting.len()..].iter().all(|r| r["meets"] == false),
        "meeting rows first"
    );
    let prices: Vec<f64> = meeting
        .iter()
        .filter_map(|r| r["price_usd"].as_f64())
        .collect();
    assert!(prices.windows(2).all(|p| p[0] <= p[1]), "{prices:?}");
    for r in &meeting {
        assert_eq!(r["fit"], "fits", "{r}");
        assert!(r["headroom_bytes"].as_i64().unwrap() >= 0, "{r}");
        assert!(r["max_ctx"].as_u64().unwrap() >= 32768, "{r}");
    }
    // Discrete cards that spill are told apart from those that fit.
    assert_eq!(row(&v, "rtx-4090")["fit"], "fits-with-offload");
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("over RPC")));

    let (code, out, err) = cabe(&["buy", LLAMA_70B[0], LLAMA_70B[1], "--ctx", "32768"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cheapest that meets it"), "{out}");
    assert!(out.contains("fits with offload"), "{out}");
    assert!(out.contains("next tier up from"), "{out}");
}

#[test]
fn the_m3_ultra_decodes_about_three_times_the_dgx_spark() {
    let v = buy(&LLAMA_70B);
    let typical = |id: &str| row(&v, id)["decode_tps"]["typical"].as_f64().unwrap();
    // 819 vs 273 GB/s over the same ~40 GiB per token.
    let ratio = typical("mac-studio-m3-ultra-96gb") / typical("dgx-spark-128gb");
    assert!((2.5..=3.5).contains(&ratio), "{ratio}");
}

#[test]
fn a_405b_finds_two_sparks_and_the_512_gb_mac_studio() {
    let v = buy(&["--model", "llama-3.1-405b", "--ctx", "8192"]);
    let two = row(&v, "2x-dgx-spark-128gb");
    let mac = row(&v, "mac-studio-m3-ultra-512gb");
    assert_eq!(row(&v, "dgx-spark-128gb")["fit"], "does-not-fit");
    for r in [two, mac] {
        assert_eq!(r["meets"], true, "{r}");
        assert!(r["max_ctx"].as_u64().unwrap() >= 8192, "{r}");
        assert!(r["decode_tps"]["typical"].as_f64().unwrap() > 0.0, "{r}");
    }
    assert_eq!(two["units"], 2);
    assert!(two["link"]["source"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    // At the native context the pair says how far it goes; the table names both.
    let (code, out, err) = cabe(&["buy", "--model", "llama-3.1-405b", "--top", "100"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2x-dgx-spark-128gb") && out.contains("mac-studio-m3-ultra-512gb"));
    let (_, out, _) = cabe(&[
        "buy",
        "--model",
        "llama-3.1-405b",
        "--top",
        "100",
        "--explain",
    ]);
    assert!(out.contains("fullest unit"), "{out}");
}

#[test]
fn a_25_tok_s_claim_on_a_dgx_spark_is_over_the_ceiling() {
    let mut args = LLAMA_70B.to_vec();
    args.extend(["--claimed-decode", "25", "--claim-on", "dgx-spark-128gb"]);
    let v = buy(&args);
    let c = &v["claim"];
    assert_eq!(c["exceeds_ceiling"], true, "{v}");
    let ceiling = c["ceiling_tps"].as_f64().unwrap();
    assert!((5.5..=7.5).contains(&ceiling), "{ceiling}");

    let (code, out, _) = cabe(&[
        "buy",
        "--model",
        "llama-3.3-70b",
        "--ctx",
        "32768",
        "--claimed-decode",
        "25",
        "--claim-on",
        "dgx-spark-128gb",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("above the"), "{out}");
}

#[test]
fn a_budget_marks_dearer_machines_over_it() {
    let mut args = LLAMA_70B.to_vec();
    args.extend(["--budget", "3000"]);
    let v = buy(&args);
    for r in v["rows"].as_array().unwrap() {
        let over = r["price_usd"].as_f64().is_some_and(|p| p > 3000.0);
        assert_eq!(r["over_budget"], over, "{r}");
    }
    assert_eq!(row(&v, "mac-studio-m3-ultra-96gb")["over_budget"], true);
    if let Some(id) = v["cheapest"].as_str() {
        assert!(row(&v, id)["price_usd"].as_f64().unwrap() <= 3000.0);
    }
    let (code, out, _) = cabe(&["buy", "--model", "llama-3.3-70b", "--budget", "3000"]);
    assert_eq!(code, 0);
    assert!(out.contains("over budget"), "{out}");
}

#[test]
fn prices_say_where_they_come_from() {
    let v = buy(&LLAMA_70B);
    let mut sourced = 0;
    for r in v["rows"].as_array().unwrap() {
        if let Some(s) = r["price_source"].as_object() {
            sourced += 1;
            assert!(s["url"].as_str().unwrap().starts_with("https://"), "{r}");
            assert_eq!(s["date"].as_str().unwrap().len(), 7, "{r}");
            assert!(["list", "street"].contains(&s["kind"].as_str().unwrap()));
        }
    }
    assert!(sourced >= 15, "{sourced} sourced prices");
    let (_, out, _) = cabe(&[
        "buy",
        "--model",
        "llama-3.2-3b",
        "--ctx",
        "4096",
        "--top",
        "100",
    ]);
    assert!(out.contains("no price"), "{out}");
}

#[test]
fn bad_input_fails_with_one_line() {
    let m = ["buy", "--model", "llama-3.3-70b"];
    for (extra, says) in [
        (
            &["--claimed-decode", "25", "--claim-on", "no-such-box"][..],
            "unknown hardware",
        ),
        (&["--budget", "-5"][..], "--budget"),
        (&["--max-ttft", "30s"][..], "--prompt-tokens"),
        (&["--ctx", "max"][..], "--ctx max"),
        (&["--claimed-decode", "25"][..], "--claim-on"),
    ] {
        let mut args = m.to_vec();
        args.extend_from_slice(extra);
        one_line_error(&args, says);
    }
    one_line_error(&["buy", "--model", "no-such-model-xyz"], "unknown model");
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
