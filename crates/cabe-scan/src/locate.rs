//! Where models live, and finding them: Ollama's store (manifests → blobs), the Hugging Face
//! hub cache (`models--ORG--NAME/snapshots/REV/…`), LM Studio's and llama.cpp's folders, and
//! any folder. Only directory listings and small manifests are read here.

use crate::{Candidate, Format, Store};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A place to look, and what kind of store it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Root {
    pub path: PathBuf,
    pub store: Store,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

fn env_path(k: &str) -> Option<PathBuf> {
    std::env::var_os(k)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The default stores that exist on this machine, each once.
pub fn default_roots() -> Vec<Root> {
    let h = home();
    let hj = |p: &str| h.as_ref().map(|h| h.join(p));
    let mut c: Vec<(Option<PathBuf>, Store)> = vec![
        // Ollama: $OLLAMA_MODELS, the user's ~/.ollama/models, the Linux service's store.
        (env_path("OLLAMA_MODELS"), Store::Ollama),
        (hj(".ollama/models"), Store::Ollama),
        (
            Some("/usr/share/ollama/.ollama/models".into()),
            Store::Ollama,
        ),
        (Some("/var/lib/ollama/.ollama/models".into()), Store::Ollama),
        // Hugging Face hub cache: $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub.
        (env_path("HF_HUB_CACHE"), Store::HuggingFace),
        (
            env_path("HF_HOME").map(|p| p.join("hub")),
            Store::HuggingFace,
        ),
        (
            env_path("XDG_CACHE_HOME").map(|p| p.join("huggingface/hub")),
            Store::HuggingFace,
        ),
        (hj(".cache/huggingface/hub"), Store::HuggingFace),
        // LM Studio: ~/.lmstudio/models (0.3+), ~/.cache/lm-studio/models (before).
        (hj(".lmstudio/models"), Store::LmStudio),
        (hj(".cache/lm-studio/models"), Store::LmStudio),
        // llama.cpp's -hf download cache: $LLAMA_CACHE, ~/.cache/llama.cpp, macOS Caches.
        (env_path("LLAMA_CACHE"), Store::LlamaCpp),
        (hj(".cache/llama.cpp"), Store::LlamaCpp),
        (hj("Library/Caches/llama.cpp"), Store::LlamaCpp),
    ];
    if let Some(local) = env_path("LOCALAPPDATA") {
        c.push((Some(local.join("llama.cpp")), Store::LlamaCpp));
    }
    let mut seen = HashSet::new();
    c.into_iter()
        .filter_map(|(p, s)| p.map(|p| (p, s)))
        .filter(|(p, _)| p.is_dir())
        .filter(|(p, _)| seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())))
        .map(|(path, store)| Root { path, store })
        .collect()
}

/// What kind of store a folder given by the user is.
pub fn classify(path: &Path) -> Store {
    if path.join("manifests").is_dir() && path.join("blobs").is_dir() {
        Store::Ollama
    } else if std::fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .any(|e| e.file_name().to_string_lossy().starts_with("models--"))
        })
        .unwrap_or(false)
    {
        Store::HuggingFace
    } else {
        Store::Folder
    }
}

/// Finds the models under `root`, at most `max_depth` folders down. Problems (unreadable
/// manifests, missing blobs) go to `errors` as lines; they never stop the walk.
pub fn discover(root: &Root, max_depth: usize, errors: &mut Vec<String>) -> Vec<Candidate> {
    match root.store {
        Store::Ollama => ollama(&root.path, errors),
        Store::HuggingFace => hf_cache(&root.path, max_depth, errors),
        _ => {
            let mut out = Vec::new();
            walk(
                &root.path, &root.path, root.store, max_depth, &mut out, errors,
            );
            out
        }
    }
}

const MAX_MANIFEST_BYTES: u64 = 1 << 20;

fn ollama(models: &Path, errors: &mut Vec<String>) -> Vec<Candidate> {
    let manifests = models.join("manifests");
    let mut files = Vec::new();
    collect_files(&manifests, 6, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(rel) = f.strip_prefix(&manifests) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let name = match parts.as_slice() {
            [host, ns, model, tag] if host == "registry.ollama.ai" && ns == "library" => {
                format!("{model}:{tag}")
            }
            [host, ns, model, tag] if host == "registry.ollama.ai" => {
                format!("{ns}/{model}:{tag}")
            }
            [rest @ .., tag] => format!("{}:{tag}", rest.join("/")),
            [] => continue,
        };
        let text = match crate::read_small(&f, MAX_MANIFEST_BYTES) {
            Ok(t) => t,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let v: serde_json::Value = match serde_json::from_slice(&text) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("{}: not a manifest ({e})", f.display()));
                continue;
            }
        };
        let layers = v["layers"].as_array().cloned().unwrap_or_default();
        let model = layers
            .iter()
            .find(|l| l["mediaType"] == "application/vnd.ollama.image.model");
        let Some(digest) = model.and_then(|l| l["digest"].as_str()) else {
            // Cloud models and manifests without weights have nothing on disk to read.
            continue;
        };
        let blob = models.join("blobs").join(digest.replacen(':', "-", 1));
        if !blob.is_file() {
            errors.push(format!("{name}: blob {} is missing", blob.display()));
            continue;
        }
        out.push(Candidate {
            name,
            store: Store::Ollama,
            format: Format::Gguf,
            path: blob.clone(),
            files: vec![blob],
        });
    }
    out
}

fn hf_cache(hub: &Path, max_depth: usize, errors: &mut Vec<String>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut repos: Vec<PathBuf> = std::fs::read_dir(hub)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    repos.sort();
    for repo in repos {
        let dir_name = repo
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(id) = dir_name.strip_prefix("models--") else {
            continue;
        };
        let id = id.replacen("--", "/", 1);
        // The revision `refs/main` points at, else every snapshot.
        let snaps = repo.join("snapshots");
        // A ref is a 40-character hash; read it bounded and only if it is a file.
        let main = crate::read_small(&repo.join("refs/main"), 4096)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .filter(|s| snaps.join(s).is_dir());
        let revs: Vec<PathBuf> = match main {
            Some(m) => vec![snaps.join(m)],
            None => {
                let mut v: Vec<PathBuf> = std::fs::read_dir(&snaps)
                    .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
                    .unwrap_or_default();
                v.sort();
                v
            }
        };
        for rev in revs {
            let mut found = Vec::new();
            walk(
                &rev,
                &rev,
                Store::HuggingFace,
                max_depth,
                &mut found,
                errors,
            );
            for mut c in found {
                c.name = if c.name.is_empty() {
                    id.clone()
                } else {
                    format!("{id}/{}", c.name)
                };
                out.push(c);
            }
        }
    }
    out
}

fn collect_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() && depth > 0 => collect_files(&p, depth - 1, out),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
}

/// The first shard of a split GGUF, or a single file; `None` for later shards and projectors.
fn gguf_entry(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(".gguf") || lower.starts_with("mmproj") || lower.contains("-mmproj") {
        return false;
    }
    match cabe_gguf::SplitName::parse(name) {
        Some(s) => s.shard == 1,
        None => true,
    }
}

/// A folder walk: GGUF files (split models once, by their first shard) and folders holding
/// `config.json` with `*.safetensors`. Symlinks to files are followed (the HF cache is made of
/// them); symlinks to folders are not (no loops).
fn walk(
    root: &Path,
    dir: &Path,
    store: Store,
    depth: usize,
    out: &mut Vec<Candidate>,
    errors: &mut Vec<String>,
) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    let mut safetensors = Vec::new();
    let mut has_config = false;
    let mut subdirs = Vec::new();
    for e in entries {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(ft) = e.file_type() else { continue };
        let is_file = ft.is_file() || (ft.is_symlink() && p.is_file());
        if ft.is_dir() {
            if !name.starts_with('.') {
                subdirs.push(p);
            }
            continue;
        }
        if !is_file {
            continue;
        }
        if gguf_entry(&name) {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(Candidate {
                name: if store == Store::Folder {
                    name.clone()
                } else {
                    rel.to_string_lossy().into_owned()
                },
                store,
                format: Format::Gguf,
                path: p.clone(),
                files: vec![p],
            });
        } else if name.ends_with(".safetensors") {
            safetensors.push(p);
        } else if name == "config.json" {
            has_config = true;
        }
    }
    if has_config && !safetensors.is_empty() {
        let rel = dir.strip_prefix(root).unwrap_or(dir);
        let name = if rel.as_os_str().is_empty() {
            if store == Store::HuggingFace {
                String::new()
            } else {
                dir.file_name().map_or_else(
                    || dir.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            }
        } else {
            rel.to_string_lossy().into_owned()
        };
        out.push(Candidate {
            name,
            store,
            format: Format::Safetensors,
            path: dir.to_path_buf(),
            files: safetensors,
        });
    }
    if depth > 0 {
        for d in subdirs {
            walk(root, &d, store, depth - 1, out, errors);
        }
    }
}
