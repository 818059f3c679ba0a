//! Ollama's store (`cabe doctor`, `cabe scan`): a manifest and its blobs read by
//! `cabe_ollama::store::Store::read`. The input is the manifest, then blobs, split at NUL
//! bytes; `@N` in the manifest becomes blob N's digest, so layers can point at real blobs.
#![no_main]

use cabe_ollama::name::ModelName;
use cabe_ollama::store::Store;
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::OnceLock;

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        base.join(format!("cabe-fuzz-ollama-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let Some(manifest) = parts.next() else {
        return;
    };
    let root = root();
    let _ = std::fs::remove_dir_all(root);
    let blobs = root.join("blobs");
    let dir = root.join("manifests/registry.ollama.ai/library/m");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = manifest.to_vec();
    for (i, blob) in parts.take(10).enumerate() {
        let hex = format!("{:x}", Sha256::digest(blob));
        std::fs::write(blobs.join(format!("sha256-{hex}")), blob).unwrap();
        let at = format!("@{i}");
        let digest = format!("sha256:{hex}");
        let mut out = Vec::with_capacity(manifest.len());
        let mut rest = &manifest[..];
        while let Some(p) = rest.windows(2).position(|w| w == at.as_bytes()) {
            out.extend_from_slice(&rest[..p]);
            out.extend_from_slice(digest.as_bytes());
            rest = &rest[p + 2..];
        }
        out.extend_from_slice(rest);
        manifest = out;
    }
    std::fs::write(dir.join("latest"), &manifest).unwrap();
    let store = Store::new(root.clone());
    match store.read(&ModelName::parse("m").unwrap()) {
        Ok(m) => {
            let _ = m.num_ctx();
            for p in &m.problems {
                assert!(!p.problem.contains('\n'), "{}", p.problem);
            }
        }
        Err(e) => {
            let e = e.to_string();
            assert!(!e.contains('\n'), "{e}");
        }
    }
});
