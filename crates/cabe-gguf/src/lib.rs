//! # cabe-gguf
//!
//! A bounded, header-only reader for GGUF files (the llama.cpp / ggml model format).
//!
//! It reads the header — magic, version, metadata key/value pairs, tensor infos — and never
//! the tensor data, so a 100 GB model is inspected by reading its first few megabytes. What
//! it returns ([`GgufFile`]) is what cabe needs to size a model: the architecture
//! hyper-parameters in the metadata, and every tensor's name, shape, ggml type and byte size
//! (types and sizes come from [`cabe_core::quant::GgmlType`]).
//!
//! ```no_run
//! let f = cabe_gguf::read_path(std::path::Path::new("model.gguf"))?;
//! println!("{:?} {} params, {} bytes of weights",
//!          f.architecture(), f.params_total(), f.tensor_data_bytes());
//! let ctx = f.arch_key("context_length").and_then(|v| v.as_u64());
//! # Ok::<(), cabe_gguf::GgufError>(())
//! ```
//!
//! Split models (`name-00001-of-00003.gguf` …) are read as one with [`read_model`].
//!
//! ## What it accepts
//!
//! * GGUF v2 and v3 (64-bit counts and lengths), little- or big-endian. A big-endian file
//!   written by gguf-py or llama.cpp keeps the `GGUF` magic bytes and stores its version
//!   byte-swapped; a file whose magic reads as the u32 `0x47475546` (bytes `FUGG`, what
//!   Ollama and gguf-parser-go take for big-endian) is read big-endian when its version then
//!   reads 2 or 3.
//! * GGUF v1 (32-bit counts) is refused with [`GgufError::V1`]: llama.cpp no longer loads it.
//!   Pre-release files with the byte-swapped `FUGG` magic and v1 data are refused as bad magic.
//!
//! ## Bounds (hostile input)
//!
//! The reader follows llama.cpp's `gguf.cpp` checks and adds its own, so a corrupt or hostile
//! file yields an error, never a panic or a huge allocation:
//!
//! * every string length and array count is checked against the bytes left in the file
//!   (count × the element type's minimum size) before anything is allocated; the KV and
//!   tensor counts likewise (≥ [`MIN_KV_BYTES`] per KV, ≥ [`MIN_TENSOR_INFO_BYTES`] per
//!   tensor info);
//! * keys ≤ [`MAX_KEY_LEN`] bytes and non-empty, tensor names ≤ [`MAX_TENSOR_NAME_LEN`] bytes,
//!   ≤ [`MAX_DIMS`] dimensions, arrays nested ≤ [`MAX_ARRAY_DEPTH`] deep, strings and arrays
//!   ≤ 1 Gi (as gguf.cpp), ≤ [`MAX_TOTAL_ARRAY_ELEMENTS`] array elements per file and
//!   ≤ [`MAX_HEADER_BYTES`] of header;
//! * duplicate keys or tensor names, unknown value types, BOOLs other than 0/1, invalid UTF-8,
//!   unknown or removed ggml types, rows that are not whole blocks, element counts over
//!   INT64_MAX, a `general.alignment` that is not a UINT32 power of two (gguf.cpp's rule; the
//!   default is 32), tensor offsets not a multiple of the alignment and tensors extending
//!   past the end of the file are all errors.
//!
//! Every [`GgufError`] message is one line and gives the byte offset; [`read_path`] prefixes
//! the file name. Each cap above is named, with its value, in the error that reports it.
//!
//! ## Files by type
//!
//! [`read_path`] and [`read_model`] read only regular files (symlinks followed): a named
//! pipe, a character or block device, a socket or a directory is refused with
//! [`GgufError::NotAFile`] before it is opened ([`check_regular_file`], [`open_file`]), since
//! opening a FIFO blocks and a device has no length to bound the reads by.
//!
//! Differences from llama.cpp: nested arrays are accepted (gguf.cpp refuses them; the format
//! allows them), and tensors need not be stored in order and back to back (gguf.cpp requires
//! each offset to equal the padded end of the previous tensor) — only aligned and inside
//! the file.

mod error;
pub mod fill;
pub mod metadata;
mod reader;
pub mod spec;
mod value;
pub mod writer;

pub use error::GgufError;
pub use reader::{
    MAX_ARRAY_DEPTH, MAX_ARRAY_LEN, MAX_DIMS, MAX_HEADER_BYTES, MAX_KEY_LEN, MAX_STRING_LEN,
    MAX_TENSOR_NAME_LEN, MAX_TOTAL_ARRAY_ELEMENTS, MIN_KV_BYTES, MIN_TENSOR_INFO_BYTES,
};
pub use value::{Array, Value, ValueType};

use cabe_core::quant::GgmlType;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// `GGUF_DEFAULT_ALIGNMENT`, used when `general.alignment` is absent.
pub const DEFAULT_ALIGNMENT: u64 = 32;

/// Read buffer size: the header of a big-vocabulary model is 5–20 MB of small strings.
const BUF_CAPACITY: usize = 1 << 20;

/// Byte order of a GGUF file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Endian {
    Little,
    Big,
}

/// One tensor's header entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TensorInfo {
    pub name: String,
    /// Dimensions in GGUF order: `ne0` (the row length, contiguous) first.
    pub dims: Vec<u64>,
    pub ggml_type: GgmlType,
    /// Offset of the data, relative to the start of the data section
    /// ([`GgufFile::data_offset`]).
    pub offset: u64,
    /// Size of the data in bytes (`ggml_nbytes`).
    pub n_bytes: u64,
}

impl TensorInfo {
    /// Number of elements (1 for a 0-dimensional tensor).
    pub fn n_elements(&self) -> u64 {
        // Checked when read: the product fits in i64.
        self.dims.iter().product()
    }
}

/// A GGUF file's header.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GgufFile {
    pub version: u32,
    pub endian: Endian,
    /// Metadata in file order. Serializes as a JSON object in that order.
    #[serde(serialize_with = "ser_metadata")]
    pub metadata: Vec<(String, Value)>,
    pub tensors: Vec<TensorInfo>,
    pub alignment: u64,
    /// Absolute offset of the data section: the end of the tensor infos, padded to the
    /// alignment (as gguf-py computes it, also when there are no tensors — so for a
    /// vocab-only file it may exceed `file_size` by up to `alignment − 1`).
    pub data_offset: u64,
    pub file_size: u64,
}

fn ser_metadata<S: Serializer>(m: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// Typed accessors shared by [`GgufFile`] and [`GgufModel`].
macro_rules! metadata_accessors {
    () => {
        /// Any integer value that is non-negative (see [`Value::as_u64`]).
        pub fn get_u64(&self, key: &str) -> Option<u64> {
            self.get(key).and_then(Value::as_u64)
        }
        /// Any float or integer value, as f64.
        pub fn get_f64(&self, key: &str) -> Option<f64> {
            self.get(key).and_then(Value::as_f64)
        }
        pub fn get_str(&self, key: &str) -> Option<&str> {
            self.get(key).and_then(Value::as_str)
        }
        pub fn get_bool(&self, key: &str) -> Option<bool> {
            self.get(key).and_then(Value::as_bool)
        }
        /// `general.architecture`.
        pub fn architecture(&self) -> Option<&str> {
            self.get_str("general.architecture")
        }
        /// The value of `"{arch}.{suffix}"`, e.g. `arch_key("context_length")`.
        pub fn arch_key(&self, suffix: &str) -> Option<&Value> {
            let arch = self.architecture()?;
            self.get(&format!("{arch}.{suffix}"))
        }
        /// `general.file_type` (LLAMA_FTYPE; see [`cabe_core::quant::FileType::from_id`]).
        pub fn file_type(&self) -> Option<u32> {
            self.get_u64("general.file_type")
                .and_then(|v| u32::try_from(v).ok())
        }
    };
}

impl GgufFile {
    /// The value of a metadata key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    metadata_accessors!();

    /// Total number of tensor elements (parameters).
    pub fn params_total(&self) -> u64 {
        self.tensors.iter().map(TensorInfo::n_elements).sum()
    }

    /// Sum of the tensors' byte sizes (without alignment padding).
    pub fn tensor_data_bytes(&self) -> u64 {
        self.tensors.iter().map(|t| t.n_bytes).sum()
    }

    /// Bytes that are not tensor data: header, metadata, tensor infos and padding.
    pub fn header_bytes(&self) -> u64 {
        self.data_offset.min(self.file_size)
    }
}

/// Reads the header of one GGUF file.
pub fn read_path(path: &Path) -> Result<GgufFile, GgufError> {
    read_path_inner(path).map_err(|e| e.in_file(path))
}

fn read_path_inner(path: &Path) -> Result<GgufFile, GgufError> {
    let (file, size) = open_file(path)?;
    let cap = BUF_CAPACITY.min(size.max(64) as usize);
    reader::parse(BufReader::with_capacity(cap, file), size)
}

/// What `ft` is when it is not a regular file ("named pipe (FIFO)", "directory", …), for
/// messages; `None` for a regular file.
pub fn special_file_kind(ft: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("named pipe (FIFO)");
        }
        if ft.is_char_device() {
            return Some("character device");
        }
        if ft.is_block_device() {
            return Some("block device");
        }
        if ft.is_socket() {
            return Some("socket");
        }
    }
    if ft.is_file() {
        None
    } else if ft.is_dir() {
        Some("directory")
    } else {
        Some("special file")
    }
}

/// Refuses a path that is not a regular file (symlinks followed), without opening it: opening
/// a FIFO blocks until a writer appears, and a device reports a length of 0 (or reads
/// forever), so a header reader must know what it has before it opens it. The error names the
/// path and what it is.
pub fn check_regular_file(path: &Path) -> Result<std::fs::Metadata, GgufError> {
    let meta = std::fs::metadata(path).map_err(|e| GgufError::Open(e).in_file(path))?;
    match special_file_kind(meta.file_type()) {
        Some(kind) => Err(GgufError::NotAFile {
            path: path.to_path_buf(),
            kind,
        }),
        None => Ok(meta),
    }
}

/// Opens a regular file for reading a header: its handle and length. Checks the type before
/// opening ([`check_regular_file`]) and again on the open handle, so a path swapped for a
/// device between the two is still refused. Errors name the path.
pub fn open_file(path: &Path) -> Result<(File, u64), GgufError> {
    check_regular_file(path)?;
    let file = File::open(path).map_err(|e| GgufError::Open(e).in_file(path))?;
    let meta = file
        .metadata()
        .map_err(|e| GgufError::Open(e).in_file(path))?;
    if let Some(kind) = special_file_kind(meta.file_type()) {
        return Err(GgufError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    Ok((file, meta.len()))
}

/// Reads a GGUF header from any seekable reader holding a file of `file_size` bytes (from its
/// start; the reader is first rewound to offset 0).
pub fn read_from<R: Read + Seek>(mut r: R, file_size: u64) -> Result<GgufFile, GgufError> {
    r.seek(SeekFrom::Start(0))
        .map_err(|source| GgufError::Io { offset: 0, source })?;
    let cap = BUF_CAPACITY.min(file_size.max(64) as usize);
    reader::parse(BufReader::with_capacity(cap, r), file_size)
}

/// A model, possibly split over several GGUF files (`…-00001-of-00003.gguf`, as written by
/// `llama-gguf-split`). Metadata comes from the first shard; tensors from all of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GgufModel {
    pub shards: Vec<GgufFile>,
    /// Where each shard was read: file paths, or URLs (held as paths) for a remote model.
    pub paths: Vec<PathBuf>,
}

impl GgufModel {
    /// The first shard (which holds the model's metadata).
    pub fn first(&self) -> &GgufFile {
        &self.shards[0]
    }

    /// A metadata value from the first shard.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.first().get(key)
    }

    metadata_accessors!();

    /// Metadata of the first shard, in file order.
    pub fn metadata(&self) -> &[(String, Value)] {
        &self.first().metadata
    }

    /// Every shard's tensors, shard by shard.
    pub fn tensors(&self) -> impl Iterator<Item = &TensorInfo> + '_ {
        self.shards.iter().flat_map(|s| s.tensors.iter())
    }

    pub fn n_tensors(&self) -> usize {
        self.shards.iter().map(|s| s.tensors.len()).sum()
    }

    pub fn params_total(&self) -> u64 {
        self.shards.iter().map(GgufFile::params_total).sum()
    }

    pub fn tensor_data_bytes(&self) -> u64 {
        self.shards.iter().map(GgufFile::tensor_data_bytes).sum()
    }

    /// Total size of all shard files.
    pub fn file_size(&self) -> u64 {
        self.shards.iter().map(|s| s.file_size).sum()
    }
}

/// The parts of a split-shard file name `PREFIX-NNNNN-of-MMMMM.gguf` (llama.cpp's
/// `llama_split_path` format: five-digit, 1-based shard number and count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitName {
    pub prefix: String,
    /// 1-based.
    pub shard: u32,
    pub count: u32,
}

impl SplitName {
    /// Parses a file name (not a path); `None` if it does not follow the pattern.
    pub fn parse(file_name: &str) -> Option<SplitName> {
        let stem = file_name.strip_suffix(".gguf")?;
        let (left, count) = stem.rsplit_once("-of-")?;
        let (prefix, shard) = left.rsplit_once('-')?;
        let digits = |s: &str| s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(count) || !digits(shard) || prefix.is_empty() {
            return None;
        }
        let (shard, count) = (shard.parse().ok()?, count.parse().ok()?);
        if shard == 0 || count == 0 || shard > count {
            return None;
        }
        Some(SplitName {
            prefix: prefix.to_string(),
            shard,
            count,
        })
    }

    /// The file name of shard `shard` (1-based).
    pub fn file_name(&self, shard: u32) -> String {
        format!("{}-{:05}-of-{:05}.gguf", self.prefix, shard, self.count)
    }
}

/// Reads a model: one GGUF file, or — when the name is `…-0000K-of-0000N.gguf` (any shard may
/// be given) — all N shards, checking their `split.count` and `split.no` keys (and
/// `split.tensors.count`, when present, against the tensors found). A missing shard is an
/// error naming the file expected.
pub fn read_model(path: &Path) -> Result<GgufModel, GgufError> {
    let split = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(SplitName::parse);
    let Some(split) = split else {
        let f = read_path(path)?;
        return Ok(GgufModel {
            shards: vec![f],
            paths: vec![path.to_path_buf()],
        });
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let paths: Vec<PathBuf> = (1..=split.count)
        .map(|i| dir.join(split.file_name(i)))
        .collect();
    // Every shard is there and a file before any is read: a missing one is named as such,
    // and a FIFO or device among them is refused without being opened.
    for (i, p) in paths.iter().enumerate() {
        match std::fs::metadata(p) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(GgufError::MissingShard {
                    shard: i as u32 + 1,
                    count: split.count,
                    path: p.clone(),
                })
            }
            _ => {
                check_regular_file(p)?;
            }
        }
    }
    let mut shards = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        let f = read_path(p)?;
        check_shard(&f, i as u32, split.count, p)?;
        shards.push(f);
    }
    GgufModel::from_split_shards(shards, paths)
}

/// Checks that `f`, read from `location` as shard `index` (0-based) of a model split into
/// `count` files, says so in its `split.count` and `split.no` keys (a one-file "split" may
/// lack them). [`read_model`] does this for each shard; readers of other sources (HTTP) call
/// it themselves.
pub fn check_shard(f: &GgufFile, index: u32, count: u32, location: &Path) -> Result<(), GgufError> {
    let mismatch = |problem: String| GgufError::SplitMismatch {
        path: location.to_path_buf(),
        problem,
    };
    match (f.get("split.count"), f.get("split.no")) {
        (None, _) if count == 1 => Ok(()),
        (None, _) => Err(mismatch(format!(
            "has no split.count key, but its name says it is shard {} of {count}",
            index + 1
        ))),
        (Some(c), no) => {
            if c.as_u64() != Some(u64::from(count)) {
                return Err(mismatch(format!(
                    "has split.count = {c}, but its name says {count} shards"
                )));
            }
            if no.and_then(Value::as_u64) != Some(u64::from(index)) {
                let shown = no.map_or("absent".to_string(), |v| v.to_string());
                return Err(mismatch(format!(
                    "has split.no = {shown}, expected {index} (0-based) for shard {} of {count}",
                    index + 1
                )));
            }
            Ok(())
        }
    }
}

impl GgufModel {
    /// A split model from its shards, in order (each already passed [`check_shard`]), and
    /// where each was read (paths, or URLs held as paths): checks the first shard's
    /// `split.tensors.count`, when present, against the tensors found.
    pub fn from_split_shards(
        shards: Vec<GgufFile>,
        paths: Vec<PathBuf>,
    ) -> Result<GgufModel, GgufError> {
        let model = GgufModel { shards, paths };
        if let Some(expected) = model.first().get("split.tensors.count") {
            if expected.as_u64() != Some(model.n_tensors() as u64) {
                return Err(GgufError::SplitMismatch {
                    path: model.paths[0].clone(),
                    problem: format!(
                        "has split.tensors.count = {expected}, but the {} shards hold {} tensors",
                        model.shards.len(),
                        model.n_tensors()
                    ),
                });
            }
        }
        Ok(model)
    }
}

#[cfg(test)]
mod file_type_tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn mkfifo(p: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .expect("run mkfifo");
        assert!(ok.success(), "mkfifo {}", p.display());
    }

    /// The message names the path and what it is, in one line.
    fn assert_refused(e: &GgufError, path: &Path, kind: &str) {
        let msg = e.to_string();
        assert!(
            matches!(e.root(), GgufError::NotAFile { kind: k, .. } if *k == kind),
            "{msg}"
        );
        assert_eq!(msg, format!("{} is a {kind}, not a file", path.display()));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_directories_are_refused_unopened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.gguf");
        mkfifo(&fifo);
        // Opening a FIFO for reading blocks until a writer comes: the check must come first,
        // and fast.
        let t = Instant::now();
        assert_refused(&read_path(&fifo).unwrap_err(), &fifo, "named pipe (FIFO)");
        assert_refused(&read_model(&fifo).unwrap_err(), &fifo, "named pipe (FIFO)");
        assert!(t.elapsed() < Duration::from_secs(1));

        // A symlink is followed to what it names.
        let link = dir.path().join("link.gguf");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert_refused(&read_path(&link).unwrap_err(), &link, "named pipe (FIFO)");

        let sub = dir.path().join("d.gguf");
        std::fs::create_dir(&sub).unwrap();
        assert_refused(&read_path(&sub).unwrap_err(), &sub, "directory");

        // /dev/zero reports a length of 0 and reads zeros forever: it was "a file of 0 bytes".
        let zero = Path::new("/dev/zero");
        if zero.exists() {
            assert_refused(&read_path(zero).unwrap_err(), zero, "character device");
            assert!(open_file(zero).is_err());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_among_split_shards_is_refused_not_missing() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("m-00001-of-00002.gguf");
        std::fs::write(&first, b"GGUF").unwrap();
        let second = dir.path().join("m-00002-of-00002.gguf");
        mkfifo(&second);
        let e = read_model(&first).unwrap_err();
        assert_refused(&e, &second, "named pipe (FIFO)");
        std::fs::remove_file(&second).unwrap();
        let e = read_model(&first).unwrap_err();
        assert!(
            matches!(e.root(), GgufError::MissingShard { shard: 2, .. }),
            "{e}"
        );
    }

    #[test]
    fn regular_files_open_with_their_length() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.gguf");
        std::fs::write(&p, b"GGUF1234").unwrap();
        let (_, len) = open_file(&p).unwrap();
        assert_eq!(len, 8);
        let e = open_file(&dir.path().join("nope.gguf")).unwrap_err();
        assert!(matches!(e.root(), GgufError::Open(_)), "{e}");
        assert!(e.to_string().contains("nope.gguf"), "{e}");
    }
}
