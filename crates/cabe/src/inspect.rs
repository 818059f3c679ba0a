//! `cabe inspect FILE.gguf|URL`: what the header says, read without touching tensor data (a
//! URL's header over HTTP range requests).

use crate::cli::InspectArgs;
use anyhow::Result;
use cabe_core::quant::FileType;
use cabe_gguf::Value;
use cabe_i18n::Lang;
use serde_json::json;

fn short(v: &Value, l: Lang) -> String {
    match v {
        Value::Array(a) => {
            let head: Vec<String> = a.values.iter().take(4).map(|v| short(v, l)).collect();
            format!(
                "[{} × {}] {}{}",
                l.int(a.values.len() as u64),
                a.elem_type.name(),
                head.join(", "),
                if a.values.len() > 4 { ", …" } else { "" }
            )
        }
        Value::String(s) => {
            let one: String = s.chars().take(80).collect::<String>().replace('\n', "⏎");
            if s.chars().count() > 80 {
                format!("{one:?}…")
            } else {
                format!("{one:?}")
            }
        }
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

pub fn run(a: &InspectArgs) -> Result<()> {
    let (model, location, _) = crate::resolve::read_gguf(&a.file)?;
    let first = &model.shards[0];
    let tensors: Vec<&cabe_gguf::TensorInfo> = model.tensors().collect();
    let params_total: u64 = tensors.iter().map(|t| t.dims.iter().product::<u64>()).sum();
    let data_bytes: u64 = tensors.iter().map(|t| t.n_bytes).sum();
    let file_type = first.file_type();
    let file_type_name = file_type.and_then(FileType::from_id).map(|t| t.name());
    let arch = first.architecture();
    let native_ctx = arch.and_then(|a| first.get_u64(&format!("{a}.context_length")));
    if a.json {
        let metadata: serde_json::Map<String, serde_json::Value> = first
            .metadata
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default()))
            .collect();
        let tensor_list: Vec<_> = tensors
            .iter()
            .map(|t| json!({"name": t.name, "dims": t.dims, "type": t.ggml_type.name(), "offset": t.offset, "bytes": t.n_bytes}))
            .collect();
        let out = json!({
            "path": location,
            "shards": model.paths,
            "gguf_version": first.version,
            "endian": format!("{:?}", first.endian).to_lowercase(),
            "architecture": arch,
            "tensor_count": tensors.len(),
            "kv_count": first.metadata.len(),
            "params_total": params_total,
            "tensor_data_bytes": data_bytes,
            "file_type": file_type,
            "file_type_name": file_type_name,
            "native_ctx": native_ctx,
            "alignment": first.alignment,
            "data_offset": first.data_offset,
            "metadata": metadata,
            "tensors": tensor_list,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let l = crate::i18n::lang();
    println!("{location}");
    println!(
        "{}",
        t!(
            "inspect-summary",
            version = first.version,
            arch = arch.map_or_else(|| t!("inspect-no-arch"), str::to_string),
            shards = model.shards.len(),
            tensors = tensors.len(),
            params = params_total,
            bytes = l.bytes(data_bytes)
        )
    );
    if let Some(ft) = file_type {
        println!(
            "{}",
            t!(
                "inspect-file-type",
                id = ft.to_string(),
                name = file_type_name.map_or_else(|| t!("inspect-unknown"), str::to_string)
            )
        );
    }
    if let Some(c) = native_ctx {
        println!("{}", t!("inspect-native-ctx", ctx = c));
    }
    println!("\n{}", t!("inspect-metadata", n = first.metadata.len()));
    for (k, v) in &first.metadata {
        println!("  {k} = {}", short(v, l));
    }
    if a.tensors {
        println!("\n{}", t!("inspect-tensors"));
        for t in &tensors {
            println!(
                "  {:<40} {:<8} {:?} {}",
                t.name,
                t.ggml_type.name(),
                t.dims,
                l.bytes(t.n_bytes)
            );
        }
    }
    Ok(())
}
