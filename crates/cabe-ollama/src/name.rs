//! Ollama model names: `[host/][namespace/]model[:tag]`, resolved as Ollama does
//! (`types/model/name.go` `ParseNameBare` + `DefaultName`): host `registry.ollama.ai`,
//! namespace `library`, tag `latest` when left out.

use std::fmt;

pub const DEFAULT_HOST: &str = "registry.ollama.ai";
pub const DEFAULT_NAMESPACE: &str = "library";
pub const DEFAULT_TAG: &str = "latest";

/// A fully qualified model name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ModelName {
    pub host: String,
    pub namespace: String,
    pub model: String,
    pub tag: String,
}

/// Why a string is not a model name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{name}' is not an Ollama model name ({why}); expected [host/][namespace/]model[:tag]")]
pub struct NameError {
    pub name: String,
    pub why: String,
}

/// Ollama's `isValidPart`: letters, digits, `_`, `-`, `.` (and `:` in a host), first character
/// a letter, digit or `_`; lengths as `isValidLen`.
fn valid_part(kind: &str, s: &str) -> Result<(), String> {
    let max = match kind {
        "host" => 350,
        _ => 80,
    };
    if s.is_empty() || s.len() > max {
        return Err(format!("the {kind} must be 1 to {max} characters"));
    }
    for (i, c) in s.chars().enumerate() {
        let ok = c.is_ascii_alphanumeric()
            || c == '_'
            || (i > 0 && (c == '-' || c == '.'))
            || (kind == "host" && i > 0 && c == ':');
        if !ok {
            return Err(format!(
                "the {kind} '{}' has the character '{}'",
                cabe_core::text::shown(s, 400),
                c.escape_debug()
            ));
        }
    }
    Ok(())
}

impl ModelName {
    /// Parses `[scheme://][host/][namespace/]model[:tag][@digest]` and fills in the defaults.
    /// A digest suffix is accepted and ignored (the manifest is found by tag).
    pub fn parse(s: &str) -> Result<ModelName, NameError> {
        let err = |why: String| NameError {
            name: cabe_core::text::shown(s, 400),
            why,
        };
        let mut rest = s.trim();
        if let Some((before, _digest)) = rest.rsplit_once('@') {
            rest = before;
        }
        let mut tag = None;
        if rest.rfind(':') > rest.rfind('/') {
            let (r, t) = rest.rsplit_once(':').expect("has ':'");
            rest = r;
            tag = Some(t);
        }
        let mut parts: Vec<&str> = rest.rsplitn(3, '/').collect();
        parts.reverse(); // host?, namespace?, model
        let model = parts.pop().unwrap_or("");
        let namespace = parts.pop();
        let host = parts
            .pop()
            .map(|h| h.split_once("://").map_or(h, |(_, host)| host));
        let n = ModelName {
            host: host.unwrap_or(DEFAULT_HOST).to_string(),
            namespace: namespace.unwrap_or(DEFAULT_NAMESPACE).to_string(),
            model: model.to_string(),
            tag: tag.unwrap_or(DEFAULT_TAG).to_string(),
        };
        valid_part("host", &n.host).map_err(err)?;
        valid_part("namespace", &n.namespace).map_err(err)?;
        valid_part("model", &n.model).map_err(err)?;
        valid_part("tag", &n.tag).map_err(err)?;
        Ok(n)
    }

    /// Path of the manifest under `$OLLAMA_MODELS/manifests/`: `host/namespace/model/tag`.
    pub fn manifest_rel_path(&self) -> std::path::PathBuf {
        [&self.host, &self.namespace, &self.model, &self.tag]
            .iter()
            .collect()
    }

    /// The shortest form Ollama shows (`ollama list`): `model:tag` for the default registry
    /// and namespace, `namespace/model:tag` for another namespace, the full name otherwise.
    pub fn short(&self) -> String {
        if self.host != DEFAULT_HOST {
            format!(
                "{}/{}/{}:{}",
                self.host, self.namespace, self.model, self.tag
            )
        } else if self.namespace != DEFAULT_NAMESPACE {
            format!("{}/{}:{}", self.namespace, self.model, self.tag)
        } else {
            format!("{}:{}", self.model, self.tag)
        }
    }

    /// The same name with another tag.
    pub fn with_tag(&self, tag: &str) -> ModelName {
        ModelName {
            tag: tag.to_string(),
            ..self.clone()
        }
    }
}

impl fmt::Display for ModelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_as_ollama_fills_them() {
        let n = ModelName::parse("qwen3-coder:30b-v-128k").unwrap();
        assert_eq!(n.host, "registry.ollama.ai");
        assert_eq!(n.namespace, "library");
        assert_eq!(n.model, "qwen3-coder");
        assert_eq!(n.tag, "30b-v-128k");
        assert_eq!(
            n.manifest_rel_path(),
            std::path::Path::new("registry.ollama.ai/library/qwen3-coder/30b-v-128k")
        );
        assert_eq!(n.short(), "qwen3-coder:30b-v-128k");
        let n = ModelName::parse("llama3.2").unwrap();
        assert_eq!(n.tag, "latest");
        assert_eq!(n.short(), "llama3.2:latest");
    }

    #[test]
    fn hosts_namespaces_and_digests() {
        let n = ModelName::parse("hf.co/bartowski/Ministral-8B-Instruct-2410-GGUF:IQ4_XS").unwrap();
        assert_eq!(n.host, "hf.co");
        assert_eq!(n.namespace, "bartowski");
        assert_eq!(n.model, "Ministral-8B-Instruct-2410-GGUF");
        assert_eq!(n.tag, "IQ4_XS");
        let n = ModelName::parse("jmorgan/mistral").unwrap();
        assert_eq!(
            (n.namespace.as_str(), n.tag.as_str()),
            ("jmorgan", "latest")
        );
        assert_eq!(n.short(), "jmorgan/mistral:latest");
        let n = ModelName::parse("localhost:5000/ns/m:t@sha256:abc").unwrap();
        assert_eq!(n.host, "localhost:5000");
        assert_eq!(n.tag, "t");
        let n = ModelName::parse("https://example.com/ns/m").unwrap();
        assert_eq!(n.host, "example.com");
    }

    #[test]
    fn refuses_paths_and_junk() {
        for bad in [
            "",
            ":tag",
            "../etc/passwd",
            "a/../b",
            "model:",
            "x y",
            "m:.hidden",
        ] {
            assert!(ModelName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_name_with_control_characters_is_refused_on_one_line() {
        let e = ModelName::parse("qwen3\nx").unwrap_err().to_string();
        assert!(
            e.starts_with(r"'qwen3\nx' is not an Ollama model name (the model 'qwen3\nx' has the character '\n')"),
            "{e}"
        );
    }
}
