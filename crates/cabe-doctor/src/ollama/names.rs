//! Ollama model names and tags: the context label a tag carries (`128k`, `ctx8192`) and the
//! name cabe gives the corrected model.

/// 262144 → "256k", 131072 → "128k", 40960 → "40k", 1000 → "1000".
pub fn ctx_label(ctx: u64) -> String {
    if ctx >= 1024 && ctx.is_multiple_of(1024) {
        format!("{}k", ctx / 1024)
    } else {
        ctx.to_string()
    }
}

/// A tag part that names a context: `128k`, `ctx8192`, or a bare number of four digits or more.
fn is_ctx_label(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    let t = t.strip_prefix("ctx").unwrap_or(&t);
    let digits = t.strip_suffix('k').unwrap_or(t);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (t.ends_with('k') || digits.len() >= 4)
}

/// A name for the corrected model: the old tag with its context label (`128k`, `ctx8192`) and
/// one-letter parts dropped, and the new context's label added:
/// `qwen3-coder:30b-v-128k` → `qwen3-coder:30b-256k`.
pub fn derive_model_name(model: &str, ctx: u64) -> String {
    let (base, tag) = match model.rfind(':') {
        Some(i) if i > model.rfind('/').map_or(0, |j| j) => (&model[..i], &model[i + 1..]),
        _ => (model, "latest"),
    };
    let keep: Vec<&str> = tag
        .split('-')
        .filter(|t| t.len() > 1 && !is_ctx_label(t) && *t != "latest")
        .collect();
    let label = ctx_label(ctx);
    let mut new_tag = keep.join("-");
    if !new_tag.is_empty() {
        new_tag.push('-');
    }
    new_tag.push_str(&label);
    let mut name = format!("{base}:{new_tag}");
    if name == model {
        name = format!("{base}:{new_tag}-cabe");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels() {
        assert_eq!(
            derive_model_name("qwen3-coder:30b-v-128k", 262_144),
            "qwen3-coder:30b-256k"
        );
        assert_eq!(derive_model_name("llama3.1", 32_768), "llama3.1:32k");
        assert_eq!(derive_model_name("llama3.1:latest", 32_768), "llama3.1:32k");
        assert_eq!(
            derive_model_name("hf.co/x/y:Q4_K_M-ctx8192", 16_384),
            "hf.co/x/y:Q4_K_M-16k"
        );
        assert_eq!(derive_model_name("m:32k", 32_768), "m:32k-cabe");
        assert_eq!(ctx_label(262_144), "256k");
        assert_eq!(ctx_label(40_960), "40k");
        assert_eq!(ctx_label(1000), "1000");
    }
}
