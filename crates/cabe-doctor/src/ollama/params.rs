//! Modelfile `PARAMETER`s that Ollama used to read and no longer does.

/// PARAMETER names Ollama removed (the JSON tags of `api.Options` in `api/types.go` at each
/// tag), with the version.
const REMOVED: &[(&str, &str)] = &[
    ("num_gqa", "v0.1.35"),
    ("tfs_z", "v0.5.2"),
    ("penalize_newline", "v0.5.5"),
    ("mirostat", "v0.7.0"),
    ("mirostat_tau", "v0.7.0"),
    ("mirostat_eta", "v0.7.0"),
    ("use_mlock", "v0.7.0"),
    ("low_vram", "v0.7.0"),
    ("f16_kv", "v0.7.0"),
];

/// The removed parameter `name` (any case) and the version that removed it.
pub fn removed_parameter(name: &str) -> Option<(&'static str, &'static str)> {
    REMOVED
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_by_name_any_case() {
        assert_eq!(removed_parameter("F16_KV"), Some(("f16_kv", "v0.7.0")));
        assert_eq!(removed_parameter("temperature"), None);
    }
}
