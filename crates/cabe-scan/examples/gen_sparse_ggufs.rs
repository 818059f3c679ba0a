//! Writes N sparse GGUF files for the scan benchmark (`bench/scan/run.sh`): real headers
//! (a third with a full `tokenizer.ggml.tokens` vocabulary, as real files carry), tensor data a
//! sparse hole. Shapes cycle through ~0.1 B, Llama-2-7B and Llama-3-70B layouts.
//!
//! `cargo run --release -p cabe-scan --example gen_sparse_ggufs -- DIR N`

use cabe_scan::synth::{write_gguf, SynthModel};
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: gen_sparse_ggufs DIR N"));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(500);
    std::fs::create_dir_all(&dir)?;
    let (mut apparent, mut header, mut files) = (0u64, 0u64, 0usize);
    for i in 0..n {
        let name = format!("model-{i:04}");
        let mut m = match i % 3 {
            0 => SynthModel::small(&name),
            1 => SynthModel::llama7b(&name),
            _ => SynthModel::llama70b(&name),
        };
        m.with_vocab = i % 3 == 1 || i % 9 == 2;
        // Spread over nested folders, as stores are.
        let sub = dir.join(format!("org{}/repo{}", i % 7, i % 13));
        std::fs::create_dir_all(&sub)?;
        let p = sub.join(format!("{name}.Q4_K_M.gguf"));
        apparent += write_gguf(&p, &m)?;
        header += cabe_gguf::read_path(&p)
            .map_err(std::io::Error::other)?
            .header_bytes();
        files += 1;
    }
    println!("{{\"files\": {files}, \"apparent_bytes\": {apparent}, \"header_bytes\": {header}}}");
    Ok(())
}
