//! Times header parsing: `cargo run --release -p cabe-gguf --example parse_bench -- FILE [N]`.
//! Parses FILE N times (default 20) and prints one line of JSON: best, median and mean
//! seconds per parse, plus what was read (so a benchmark can check it parsed everything).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: parse_bench FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args
        .next()
        .map_or(20, |s| s.parse().expect("N must be a number"));
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n.max(1) {
        let t = Instant::now();
        let f = match cabe_gguf::read_path(&path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        times.push(t.elapsed().as_secs_f64());
        last = Some(f);
    }
    let f = last.expect("parsed at least once");
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let array_elems: usize = f
        .metadata
        .iter()
        .filter_map(|(_, v)| v.as_array().map(|a| a.len()))
        .sum();
    let out = serde_json::json!({
        "reader": "cabe-gguf",
        "file": path.display().to_string(),
        "file_size": f.file_size,
        "iterations": times.len(),
        "best_s": sorted[0],
        "median_s": sorted[sorted.len() / 2],
        "mean_s": times.iter().sum::<f64>() / times.len() as f64,
        "kv_count": f.metadata.len(),
        "array_elements": array_elems,
        "tensor_count": f.tensors.len(),
        "data_offset": f.data_offset,
    });
    println!("{out}");
}
