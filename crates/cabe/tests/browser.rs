//! The page of `cabe serve` in a real browser: headless Chromium (Debian's `chromium`) driven
//! by the npm package `playwright-core` through `tests/browser/page.mjs`, both set up outside
//! the checkout by `tools/setup-browser.sh`. The script picks a model and a machine, moves
//! the context slider, changes the KV type and reports the numbers the page shows; this test
//! asks `cabe fit --json` the same question and requires the same numbers. It also requires
//! the other views to draw, the Spanish switch to work, a phone-sized window not to scroll
//! sideways, no error in the page's console (a CSP violation would be one), and a screenshot
//! of each view in `$CABE_ARTIFACTS` (default: `browser/` under Cargo's test tmp dir).
//!
//! Without chromium, node or playwright-core it says SKIPPED, unless `CABE_REQUIRE_BROWSER`
//! is set (`tools/test.sh` sets it), when it fails.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Chromium, playwright-core and node, or why not.
fn browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("CABE_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.is_file() {
        return Err(format!("no chromium at {}", chromium.display()));
    }
    let playwright = match std::env::var_os("CABE_PLAYWRIGHT") {
        Some(p) => PathBuf::from(p),
        None => {
            let cache = std::env::var_os("CABE_CACHE")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/cabe")))
                .ok_or("neither CABE_CACHE nor HOME is set")?;
            cache.join("node/node_modules/playwright-core")
        }
    };
    if !playwright.join("package.json").is_file() {
        return Err(format!("no playwright-core at {}", playwright.display()));
    }
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => Ok((chromium, playwright)),
        _ => Err("no node on PATH".into()),
    }
}

/// What the page prints for bytes in English: GiB with two decimals, MiB with one below.
fn shown_bytes(b: i64) -> String {
    let sign = if b < 0 { "−" } else { "" };
    let a = b.unsigned_abs() as f64;
    if a >= (1u64 << 30) as f64 {
        format!("{sign}{:.2} GiB", a / (1u64 << 30) as f64)
    } else {
        format!("{sign}{:.1} MiB", a / (1u64 << 20) as f64)
    }
}

#[test]
fn the_page_shows_what_cabe_fit_says_in_english_and_spanish_on_a_laptop_and_a_phone() {
    let (chromium, playwright) = match browser() {
        Ok(b) => b,
        Err(why) if std::env::var_os("CABE_REQUIRE_BROWSER").is_some() => panic!(
            "CABE_REQUIRE_BROWSER is set but {why}: run tools/setup-browser.sh and export what it prints"
        ),
        Err(why) => {
            eprintln!("SKIPPED: {why} (tools/setup-browser.sh installs it)");
            return;
        }
    };
    let artifacts = std::env::var_os("CABE_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser"));
    let _ = std::fs::remove_dir_all(&artifacts);
    let data = tempfile::tempdir().unwrap();
    let server = common::server::start(data.path());
    let url = format!("http://{}", server.addr);

    let out = Command::new("node")
        .arg(repo().join("tests/browser/page.mjs"))
        .env("CABE_URL", &url)
        .env("CABE_CHROMIUM", &chromium)
        .env("CABE_PLAYWRIGHT", &playwright)
        .env("CABE_ARTIFACTS", &artifacts)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    assert_eq!(r["problems"], serde_json::json!([]), "{r:#}");

    // The request the page sent is the one the script made: the model, machine and KV type
    // it picked, the context it moved the slider to.
    let req = &r["request"];
    assert_eq!(req["model"], "llama-3.1-8b", "{r:#}");
    assert_eq!(req["on"], "rtx-4090");
    assert_eq!(req["kv_type"], "q8_0");
    let ctx = req["ctx"].as_u64().unwrap();
    assert!(ctx < 32768, "the slider did not move down from 32k: {ctx}");

    // The same question on the command line.
    let mut args = vec![
        "fit".to_string(),
        req["model"].as_str().unwrap().to_string(),
    ];
    for (k, v) in req.as_object().unwrap() {
        if k == "model" {
            continue;
        }
        let v = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        args.push(format!("--{}={v}", k.replace('_', "-")));
    }
    args.push("--json".into());
    let cli = common::json(common::cabe_in(data.path()).args(&args).output().unwrap());
    let m = &cli["memory"];
    let shown = &r["shown"];
    let want = [
        ("weights", m["weights_bytes"].as_i64()),
        ("kv", m["kv_cache_bytes"].as_i64()),
        (
            "buffers",
            Some(m["compute_bytes"].as_i64().unwrap() + m["output_bytes"].as_i64().unwrap()),
        ),
        ("reserves", m["overhead_bytes"].as_i64()),
        ("total", m["total_bytes"].as_i64()),
        ("capacity", cli["capacity_bytes"].as_i64()),
        ("headroom", cli["headroom_bytes"].as_i64()),
    ];
    for (k, v) in want {
        let v = v.unwrap_or_else(|| panic!("cabe fit --json has no {k}: {cli}"));
        assert_eq!(shown[k].as_i64(), Some(v), "{k}: page {} cli {v}", shown[k]);
        assert_eq!(r["text"][k], shown_bytes(v), "{k} as printed");
    }
    assert_eq!(shown["max_ctx"], cli["max_ctx"], "max_ctx");
    assert!(
        r["text"]["verdict"]
            .as_str()
            .unwrap()
            .contains(cli["model"]["name"].as_str().unwrap()),
        "{r:#}"
    );
    assert_eq!(
        r["bar_segments"].as_u64(),
        Some(5),
        "weights, KV, buffers, reserves, headroom"
    );

    // The speed view drew the curve and the client timeout's line.
    assert!(r["curve"]["decode_points"].as_u64().unwrap() >= 10, "{r:#}");
    assert_eq!(r["curve"]["timeout_line"].as_u64(), Some(1), "{r:#}");

    // Spanish.
    assert_eq!(r["spanish"]["tab_curve"], "Velocidad", "{r:#}");
    assert_eq!(r["spanish"]["setup"], "Modelo y ajustes");
    assert!(r["spanish"]["tagline"]
        .as_str()
        .unwrap()
        .starts_with("¿Cabe"));
    // The doctor view's findings, worded by the server in Spanish once the page switched: each
    // shown as the API words it with `lang: "es"`, none as it was in English.
    let strings = |v: &Value| -> Vec<String> {
        let list = v.as_array().unwrap_or_else(|| panic!("not a list: {v}"));
        list.iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect()
    };
    let shown = strings(&r["spanish"]["findings"]);
    let served = strings(&r["spanish"]["served_findings"]);
    assert!(!served.is_empty(), "{r:#}");
    assert_eq!(shown.len(), served.len(), "{r:#}");
    for (li, message) in shown.iter().zip(&served) {
        assert!(li.ends_with(message), "{li:?} does not show {message:?}");
    }
    // This machine's summary, asked again in Spanish.
    let summary = r["spanish"]["served_system"].as_str().unwrap();
    assert!(
        r["spanish"]["system"].as_str().unwrap().contains(summary),
        "{r:#}"
    );
    for english in strings(&r["english_findings"]) {
        assert!(!shown.contains(&english), "still English: {english}");
    }

    // A phone: nothing wider than its screen.
    let phone = &r["phone"];
    assert!(
        phone["scroll_width"].as_u64() <= phone["width"].as_u64(),
        "the page scrolls sideways on a phone: {phone}"
    );

    for shot in [
        "fit",
        "curve",
        "recommend",
        "buy",
        "doctor",
        "doctor-es",
        "fit-es",
        "phone",
        "phone-curve",
    ] {
        let p = artifacts.join(format!("{shot}.png"));
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{}: {len} bytes", p.display());
    }
    println!("screenshots in {}", artifacts.display());
}
