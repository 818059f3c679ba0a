//! [`GgufError`]: every way a GGUF header can fail to read, each with a one-line message that says
//! what is wrong and where (byte offset from the start of the file).

use std::path::PathBuf;

/// An error reading a GGUF header. Every message is one line and names the byte offset (from
/// the start of the file) where the problem was found. Errors from [`crate::read_path`] and
/// [`crate::read_model`] are wrapped in [`GgufError::File`], which prefixes the path; use
/// [`GgufError::root`] to match on the underlying error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GgufError {
    /// An error inside the named file.
    #[error("{}: {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: Box<GgufError>,
    },
    #[error("cannot open: {0}")]
    Open(#[source] std::io::Error),
    /// The path is not a regular file (it was not opened).
    #[error("{} is a {kind}, not a file", path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("I/O error at offset {offset}: {source}")]
    Io {
        offset: u64,
        #[source]
        source: std::io::Error,
    },
    #[error("truncated GGUF: needed {needed} bytes at offset {offset}, file has {file_size}")]
    Truncated {
        needed: u64,
        offset: u64,
        file_size: u64,
    },
    #[error(
        "not a GGUF file: magic bytes at offset 0 are {}, expected 47 47 55 46 (\"GGUF\"){hint}",
        show_magic(found)
    )]
    BadMagic { found: [u8; 4], hint: &'static str },
    #[error("GGUF v1 file: llama.cpp no longer loads GGUF v1 (re-convert it with a current convert_hf_to_gguf.py)")]
    V1,
    #[error("unsupported GGUF version {version} at offset 4 (raw u32 0x{raw:08x}): this reader supports versions 2 and 3{}", if *version == 0 { " (0 is never valid)" } else { "" })]
    BadVersion { version: u32, raw: u32 },
    #[error("GGUF header claims {count} {what} at offset {offset}, but only {remaining} bytes remain for them: room for at most {max} (each takes at least {min_size} bytes)")]
    CountTooLarge {
        what: &'static str,
        count: u64,
        offset: u64,
        remaining: u64,
        max: u64,
        min_size: u64,
    },
    #[error("string length {len} at offset {offset} ({what}) exceeds the {remaining} bytes left in the file")]
    StringPastEnd {
        what: String,
        len: u64,
        offset: u64,
        remaining: u64,
    },
    #[error("string length {len} at offset {offset} ({what}) exceeds the limit of {max} bytes")]
    StringTooLong {
        what: String,
        len: u64,
        offset: u64,
        max: u64,
    },
    #[error("invalid UTF-8 in {what}: string at offset {offset}, bad byte at offset {bad_at}")]
    BadUtf8 {
        what: String,
        offset: u64,
        bad_at: u64,
    },
    #[error("metadata key #{index} at offset {offset} is empty")]
    EmptyKey { index: u64, offset: u64 },
    #[error("duplicate metadata key {key:?} at offset {offset} (llama.cpp rejects files with duplicate keys)")]
    DuplicateKey { key: String, offset: u64 },
    #[error("unknown GGUF value type {type_id} for key {key:?} at offset {offset} (known types are 0..=12)")]
    UnknownValueType {
        type_id: u32,
        key: String,
        offset: u64,
    },
    #[error("array of {elem_type} for key {key:?} at offset {offset} claims {count} elements, but the {remaining} bytes left in the file can hold at most {max}")]
    ArrayPastEnd {
        key: String,
        elem_type: &'static str,
        count: u64,
        offset: u64,
        remaining: u64,
        max: u64,
    },
    #[error(
        "array for key {key:?} at offset {offset} has {count} elements, over the limit of {max}"
    )]
    ArrayTooLong {
        key: String,
        count: u64,
        offset: u64,
        max: u64,
    },
    #[error("metadata arrays hold more than {max} elements in all (key {key:?} at offset {offset}); refusing to decode more")]
    TooManyValues { key: String, offset: u64, max: u64 },
    #[error("array nesting for key {key:?} at offset {offset} is deeper than {max} levels")]
    ArrayTooDeep { key: String, offset: u64, max: u32 },
    #[error("invalid BOOL value {value} for key {key:?} at offset {offset} (must be 0 or 1)")]
    BadBool { key: String, value: u8, offset: u64 },
    #[error("GGUF metadata and tensor infos run past {max} bytes (at offset {offset}); refusing to read further")]
    HeaderTooLarge { offset: u64, max: u64 },
    #[error("general.alignment at offset {offset} must be UINT32, found {found}")]
    AlignmentType { found: String, offset: u64 },
    #[error("general.alignment = {value} at offset {offset} is not a nonzero power of two")]
    BadAlignment { value: u64, offset: u64 },
    #[error("tensor #{index} at offset {offset}: name is {len} bytes, over ggml's limit of {max} (GGML_MAX_NAME = 64 including the NUL)")]
    TensorNameTooLong {
        index: u64,
        len: u64,
        offset: u64,
        max: u64,
    },
    #[error("duplicate tensor name {name:?} at offset {offset}")]
    DuplicateTensor { name: String, offset: u64 },
    #[error(
        "tensor {name:?} at offset {offset} has {n_dims} dimensions, over GGML_MAX_DIMS = {max}"
    )]
    TooManyDims {
        name: String,
        n_dims: u32,
        offset: u64,
        max: u32,
    },
    #[error("tensor {name:?} at offset {offset}: dimension {dim} is {value}, over INT64_MAX")]
    BadDim {
        name: String,
        dim: usize,
        value: u64,
        offset: u64,
    },
    #[error("tensor {name:?} at offset {offset}: shape {dims:?} has more elements or bytes than fit in 64 bits")]
    TensorTooLarge {
        name: String,
        dims: Vec<u64>,
        offset: u64,
    },
    #[error("tensor {name:?} at offset {offset} has ggml type id {type_id}, which ggml removed ({type_name}); llama.cpp no longer loads it")]
    RemovedGgmlType {
        name: String,
        type_id: u32,
        type_name: &'static str,
        offset: u64,
    },
    #[error("tensor {name:?} at offset {offset} has unknown ggml type id {type_id}")]
    UnknownGgmlType {
        name: String,
        type_id: u32,
        offset: u64,
    },
    #[error("tensor {name:?} at offset {offset} ({ggml_type}, dims {dims:?}) has {row} elements per row, not a multiple of the {ggml_type} block size {block_size}")]
    PartialBlock {
        name: String,
        ggml_type: &'static str,
        dims: Vec<u64>,
        row: u64,
        block_size: u64,
        offset: u64,
    },
    #[error("tensor {name:?}: data offset {tensor_offset} (relative to the data section at {data_offset}) is not a multiple of the alignment {alignment}")]
    MisalignedTensor {
        name: String,
        tensor_offset: u64,
        data_offset: u64,
        alignment: u64,
    },
    #[error("tensor {name:?}: data at offsets {start}..{end} runs past the end of the file ({file_size} bytes)")]
    TensorPastEnd {
        name: String,
        start: u64,
        end: u64,
        file_size: u64,
    },
    #[error("split model: shard {shard} of {count} is missing (expected {})", path.display())]
    MissingShard {
        shard: u32,
        count: u32,
        path: PathBuf,
    },
    #[error("split model: {} {problem}", path.display())]
    SplitMismatch { path: PathBuf, problem: String },
}

impl GgufError {
    /// The error itself, without the [`GgufError::File`] wrappers that name the path.
    pub fn root(&self) -> &GgufError {
        match self {
            GgufError::File { source, .. } => source.root(),
            other => other,
        }
    }

    pub(crate) fn in_file(self, path: &std::path::Path) -> GgufError {
        match self {
            // These already name their path.
            e @ (GgufError::File { .. } | GgufError::NotAFile { .. }) => e,
            e => GgufError::File {
                path: path.to_path_buf(),
                source: Box::new(e),
            },
        }
    }
}

fn show_magic(b: &[u8; 4]) -> String {
    let hex = b
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    let text: String = b
        .iter()
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '?' })
        .collect();
    format!("{hex} ({text:?})")
}

/// Shortens untrusted text (keys, names) for error messages: at most 120 characters.
pub(crate) fn short(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
