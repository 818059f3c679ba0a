//! `cabe plan` in Spanish.

use super::*;

#[test]
fn plan_in_spanish() {
    spanish_and_json(&strings(&[
        &[
            "plan",
            "llama-3.1-405b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--ctx",
            "8192",
            "--link-gbps",
            "200",
            "--explain",
        ],
        &[
            "plan",
            "llama-3.1-405b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--ctx",
            "8192",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--tensor-split",
            "3,1",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--bandwidth",
            "1000",
        ],
        &["plan", "llama-3.3-70b", "--on", "mac-studio-m3-ultra-512gb"],
        &[
            "plan",
            "llama-3.3-70b",
            "--on",
            "2x",
            "dgx-spark-128gb",
            "--engine",
            "vllm",
            "--tp",
            "1",
            "--pp",
            "2",
        ],
    ]));
    let (_, out, _) = run_in("es", &["plan", "llama-3.3-70b", "--devices", "24GiB,24GiB"]);
    for must in [
        "veredicto: no cabe",
        "2 GPU indicadas con --devices",
        "131.072",
        "-c 131072",
    ] {
        assert!(out.contains(must), "missing {must:?}:\n{out}");
    }
    spanish_errors(&strings(&[
        &["plan", "llama-3.3-70b"],
        &["plan", "llama-3.3-70b", "--on", "0x", "dgx-spark-128gb"],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB",
            "--tensor-split",
            "1,1,1",
        ],
        &[
            "plan",
            "llama-3.3-70b",
            "--devices",
            "24GiB,24GiB,24GiB",
            "--engine",
            "vllm",
        ],
    ]));
}
