//! Seeds for the GGUF fuzz targets (`tools/fuzz.sh` runs this): the header of a sparse GGUF
//! for one catalog model of each architecture, as `fuzz/README.md` describes them — the
//! file's size (8 bytes, little-endian) then its header, for `gguf_local`, and the same behind
//! an in-memory server's script for `gguf_remote`.
//!
//! `cargo run -p cabe-truth --example fuzz_seeds -- LOCAL_DIR REMOTE_DIR`

use cabe_core::quant::{FileType, GgmlType};
use cabe_gguf::writer::{write_sparse, TensorSpec};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

fn main() -> Result<(), String> {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [local, remote] = dirs.as_slice() else {
        return Err("usage: fuzz_seeds LOCAL_DIR REMOTE_DIR".into());
    };
    for d in [local, remote] {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let tmp = std::env::temp_dir().join(format!("cabe-fuzz-seed-{}.gguf", std::process::id()));
    let mut seen = BTreeSet::new();
    let mut n = 0;
    for m in cabe_catalog::models() {
        if !seen.insert(m.spec.architecture.clone()) {
            continue;
        }
        let ft = FileType::Q4_K_M;
        let Ok(kv) = cabe_gguf::metadata::model_metadata(&m.spec, ft) else {
            continue;
        };
        // Two-dimensional tensors Q8_0 (rows of 32), vectors F32: each file stays a header.
        let tensors: Vec<TensorSpec> = cabe_core::layout::tensor_shapes(&m.spec)
            .into_iter()
            .map(|s| TensorSpec {
                ty: if s.dims.len() > 1 && s.dims[0] % 32 == 0 {
                    GgmlType::Q8_0
                } else {
                    GgmlType::F32
                },
                name: s.name,
                dims: s.dims,
            })
            .collect();
        let Ok(w) = write_sparse(&tmp, &kv, &tensors) else {
            continue;
        };
        let mut head = vec![0; w.data_offset as usize];
        std::fs::File::open(&tmp)
            .and_then(|mut f| f.read_exact(&mut head))
            .map_err(|e| e.to_string())?;
        let size = w.file_size.to_le_bytes();
        let name = format!("catalog-{}", m.id);
        std::fs::write(local.join(&name), [&size[..], &head].concat())
            .map_err(|e| e.to_string())?;
        // FakeServer: quirk 1 (the claimed total) with the real size, no request singled out.
        let script = [&[0b10, 0x7f][..], &size, &head].concat();
        std::fs::write(remote.join(&name), script).map_err(|e| e.to_string())?;
        n += 1;
    }
    let _ = std::fs::remove_file(&tmp);
    eprintln!("{n} catalog architectures written as GGUF seeds");
    Ok(())
}
