//! A GGUF model behind a URL, read as [`cabe_gguf::read_model`] reads one on disk: the header
//! of every shard (split models: any shard's URL names them all), never the tensor data, each
//! over HTTP range requests within [`RemoteLimits`].

use crate::counting::Counter;
use crate::http::{
    normalize_url, HttpTransport, RangeReader, RemoteError, RemoteLimits, Transport,
};
use cabe_gguf::{GgufError, GgufModel, SplitName};
use std::path::{Path, PathBuf};

/// `http://…` or `https://…` (the scheme in any case).
pub fn is_url(s: &str) -> bool {
    let l = s.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// A URL cut where its file name is: `(before, name, after)`, `after` being the query and
/// fragment (`?download=true`), so a shard's URL is `before + other name + after`.
pub fn split_url(url: &str) -> (&str, &str, &str) {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, after) = url.split_at(end);
    let start = path.rfind('/').map_or(0, |i| i + 1);
    (&path[..start], &path[start..], after)
}

/// A model read from a URL.
#[derive(Clone, Debug)]
pub struct RemoteGguf {
    /// The file's URL (a Hugging Face `blob/` page URL turned into its `resolve/` one).
    pub url: String,
    /// The file name in the URL ("Qwen3-8B-Q4_K_M.gguf").
    pub file_name: String,
    /// Every shard's header; `paths` hold the shard URLs.
    pub model: GgufModel,
    /// Bytes fetched, all shards together (within `RemoteLimits::max_bytes`).
    pub bytes_read: u64,
    /// Range requests made.
    pub requests: u32,
}

/// `URL: what went wrong`, one line: the reader's own error when the parser wrapped it
/// ("I/O error at offset N: …" says nothing more), else the parser's.
fn describe(url: &str, e: &GgufError) -> String {
    match RemoteError::find(e) {
        Some(r) => format!("{url}: {r}"),
        None => format!("{url}: {}", e.root()),
    }
}

/// Reads a GGUF model's headers from `url` with HTTP range requests. A split model
/// (`…-00002-of-00003.gguf`, any shard) is read shard by shard, with the same `split.*` checks
/// as a local one; the limits hold for all shards together. Errors are one line that names
/// the URL: the host cannot be reached, an HTTP status, a server without byte ranges, a
/// timeout, the byte cap, or what is wrong with the header.
pub fn read_gguf_url(url: &str, limits: &RemoteLimits) -> Result<RemoteGguf, String> {
    read_gguf_url_with(url, limits, |_| Box::new(HttpTransport::new(limits)))
}

/// [`read_gguf_url`] with each shard's range requests sent through `transport(shard_url)`
/// (an in-memory server in tests and fuzzing).
pub fn read_gguf_url_with(
    url: &str,
    limits: &RemoteLimits,
    mut transport: impl FnMut(&str) -> Box<dyn Transport>,
) -> Result<RemoteGguf, String> {
    let url = normalize_url(url.trim());
    let (before, name, after) = split_url(&url);
    if name.is_empty() {
        return Err(format!("{url}: the URL names no file"));
    }
    let split = SplitName::parse(name);
    let urls: Vec<String> = match &split {
        Some(s) => (1..=s.count)
            .map(|i| format!("{before}{}{after}", s.file_name(i)))
            .collect(),
        None => vec![url.clone()],
    };
    let counter = Counter::default();
    let mut shards = Vec::with_capacity(urls.len());
    let mut requests = 0;
    for (i, u) in urls.iter().enumerate() {
        let mut r = RangeReader::with_transport(u, limits.clone(), counter.clone(), transport(u))
            .map_err(|e| {
            let why = RemoteError::find(&e).map_or_else(|| e.to_string(), |r| r.to_string());
            match &split {
                Some(s) if i > 0 || s.shard != 1 => {
                    format!(
                        "{u}: shard {} of {} of a split model: {why}",
                        i + 1,
                        s.count
                    )
                }
                _ => format!("{u}: {why}"),
            }
        })?;
        let size = r.size();
        let f = cabe_gguf::read_from(&mut r, size).map_err(|e| describe(u, &e))?;
        requests += r.requests();
        if let Some(s) = &split {
            cabe_gguf::check_shard(&f, i as u32, s.count, Path::new(u))
                .map_err(|e| e.to_string())?;
        }
        shards.push(f);
    }
    let paths: Vec<PathBuf> = urls.iter().map(PathBuf::from).collect();
    let model = if split.is_some() {
        GgufModel::from_split_shards(shards, paths).map_err(|e| e.to_string())?
    } else {
        GgufModel { shards, paths }
    };
    Ok(RemoteGguf {
        file_name: name.to_string(),
        url: url.clone(),
        model,
        bytes_read: counter.get(),
        requests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised_and_cut_at_the_file_name() {
        assert!(is_url("https://huggingface.co/a/b/resolve/main/x.gguf"));
        assert!(is_url("HTTP://host/x.gguf"));
        assert!(!is_url("models/x.gguf"));
        assert!(!is_url("ftp://host/x.gguf"));
        assert_eq!(
            split_url("https://h/r/x-00001-of-00002.gguf?download=true"),
            ("https://h/r/", "x-00001-of-00002.gguf", "?download=true")
        );
        assert_eq!(split_url("http://h/x.gguf"), ("http://h/", "x.gguf", ""));
        assert_eq!(split_url("http://h/"), ("http://h/", "", ""));
    }

    #[test]
    fn hugging_face_page_urls_become_file_urls() {
        assert_eq!(
            normalize_url(
                "https://huggingface.co/Qwen/Qwen3-8B-GGUF/blob/main/Qwen3-8B-Q4_K_M.gguf"
            ),
            "https://huggingface.co/Qwen/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf"
        );
        let other = "https://example.com/blob/main/x.gguf";
        assert_eq!(normalize_url(other), other);
    }
}
