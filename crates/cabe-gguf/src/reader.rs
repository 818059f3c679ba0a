//! The header parser: magic, version, counts, metadata KVs, tensor infos. Every length and
//! count is checked against the bytes left in the file before anything is allocated.

use crate::error::{short, GgufError};
use crate::value::{Array, Value, ValueType};
use crate::{Endian, GgufFile, TensorInfo, DEFAULT_ALIGNMENT};
use cabe_core::quant::GgmlType;
use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, Read};

/// Longest metadata key (gguf spec: at most 65,535 bytes).
pub const MAX_KEY_LEN: u64 = 65_535;
/// Longest tensor name: ggml's `GGML_MAX_NAME` is 64 bytes including the NUL, and gguf.cpp
/// rejects names of 64 bytes or more.
pub const MAX_TENSOR_NAME_LEN: u64 = 63;
/// `GGML_MAX_DIMS`.
pub const MAX_DIMS: u32 = 4;
/// Deepest nesting of arrays in a metadata value.
pub const MAX_ARRAY_DEPTH: u32 = 8;
/// Longest single string (gguf.cpp `GGUF_MAX_STRING_LENGTH`, 1 GiB).
pub const MAX_STRING_LEN: u64 = 1 << 30;
/// Most elements in one array (gguf.cpp `GGUF_MAX_ARRAY_ELEMENTS`, 1 Gi).
pub const MAX_ARRAY_LEN: u64 = 1 << 30;
/// Most array elements decoded from one file, all arrays together: 3 Mi. The most in the
/// vocabularies llama.cpp ships (`models/ggml-vocab-*.gguf`) is 1,301,398 (gemma-4: tokens,
/// scores, types and merges), then 987,683 (nomic-bert-moe). Each decoded element is a
/// 32-byte [`Value`], so a hostile file decodes at most 96 MiB of them, and no array's
/// vector passes that (8 Mi let one array take 256 MiB: an 8 MiB run of zeros read as
/// 8 Mi `UINT8`s).
pub const MAX_TOTAL_ARRAY_ELEMENTS: u64 = 3 << 20;
/// The most array elements reserved before they are read.
const PREALLOC_ELEMS: u64 = 1 << 12;
/// Most bytes of metadata and tensor infos read from one file (the largest real headers are
/// 10–20 MB: big vocabularies with merges).
pub const MAX_HEADER_BYTES: u64 = 256 << 20;
/// Fewest bytes a metadata KV takes (v2+): key length 8 + a non-empty key 1 + type 4 + a
/// 1-byte value. (gguf-parser-go uses 20 as a rule of thumb; 14 is the exact minimum, so the
/// check can never refuse a well-formed file.)
pub const MIN_KV_BYTES: u64 = 14;
/// Fewest bytes a tensor info takes (v2+): name length 8 + n_dims 4 + type 4 + offset 8.
pub const MIN_TENSOR_INFO_BYTES: u64 = 24;

type Result<T> = std::result::Result<T, GgufError>;

/// What a string being read is, for error messages.
enum What<'a> {
    Key(u64),
    Value(&'a str),
    TensorName(u64),
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Key(i) => write!(f, "metadata key #{i}"),
            What::Value(k) => write!(f, "string value of key {:?}", short(k)),
            What::TensorName(i) => write!(f, "name of tensor #{i}"),
        }
    }
}

struct Src<R> {
    r: R,
    pos: u64,
    size: u64,
    big: bool,
    total_elems: u64,
}

macro_rules! read_num {
    ($name:ident, $t:ty) => {
        #[inline]
        fn $name(&mut self) -> Result<$t> {
            let b = self.bytes::<{ std::mem::size_of::<$t>() }>()?;
            Ok(if self.big {
                <$t>::from_be_bytes(b)
            } else {
                <$t>::from_le_bytes(b)
            })
        }
    };
}

impl<R: BufRead> Src<R> {
    #[inline]
    fn remaining(&self) -> u64 {
        self.size.saturating_sub(self.pos)
    }

    #[inline]
    fn need(&self, n: u64) -> Result<()> {
        if n > self.remaining() {
            return Err(GgufError::Truncated {
                needed: n,
                offset: self.pos,
                file_size: self.size,
            });
        }
        if self.pos + n > MAX_HEADER_BYTES {
            return Err(GgufError::HeaderTooLarge {
                offset: self.pos,
                max: MAX_HEADER_BYTES,
            });
        }
        Ok(())
    }

    fn io(&self, e: std::io::Error) -> GgufError {
        io_err(self.pos, e)
    }

    #[inline]
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.need(N as u64)?;
        let mut b = [0u8; N];
        if let Err(e) = self.r.read_exact(&mut b) {
            return Err(self.io(e));
        }
        self.pos += N as u64;
        Ok(b)
    }

    read_num!(u16, u16);
    read_num!(i16, i16);
    read_num!(u32, u32);
    read_num!(i32, i32);
    read_num!(u64, u64);
    read_num!(i64, i64);
    read_num!(f32, f32);
    read_num!(f64, f64);

    #[inline]
    fn u8(&mut self) -> Result<u8> {
        Ok(self.bytes::<1>()?[0])
    }

    /// Reads `len` bytes of UTF-8 at the current position; `start` is where the string's
    /// length field began (for messages).
    fn string_body(&mut self, len: u64, start: u64, what: &What) -> Result<String> {
        if len > self.remaining() {
            return Err(GgufError::StringPastEnd {
                what: what.to_string(),
                len,
                offset: start,
                remaining: self.remaining(),
            });
        }
        if len > MAX_STRING_LEN {
            return Err(GgufError::StringTooLong {
                what: what.to_string(),
                len,
                offset: start,
                max: MAX_STRING_LEN,
            });
        }
        self.need(len)?;
        let n = len as usize;
        let body = self.pos;
        let bad = |e: std::str::Utf8Error| GgufError::BadUtf8 {
            what: what.to_string(),
            offset: start,
            bad_at: body + e.valid_up_to() as u64,
        };
        // Fast path: the whole string is already in the read buffer.
        let s = {
            let pos = self.pos;
            let buf = self.r.fill_buf().map_err(|e| io_err(pos, e))?;
            if buf.len() >= n {
                let s = std::str::from_utf8(&buf[..n]).map_err(bad)?.to_owned();
                self.r.consume(n);
                s
            } else {
                // Grown as the bytes arrive, not reserved by the stated length (up to 1 GiB,
                // against a file size a server may only claim).
                let mut v = Vec::with_capacity(n.min(1 << 16));
                let got = (&mut self.r)
                    .take(n as u64)
                    .read_to_end(&mut v)
                    .map_err(|e| self.io(e))?;
                if got < n {
                    let e = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
                    return Err(self.io(e));
                }
                String::from_utf8(v).map_err(|e| bad(e.utf8_error()))?
            }
        };
        self.pos += len;
        Ok(s)
    }

    fn string(&mut self, what: &What) -> Result<String> {
        let start = self.pos;
        let len = self.u64()?;
        self.string_body(len, start, what)
    }

    fn value(&mut self, ty: ValueType, key: &str, depth: u32) -> Result<Value> {
        Ok(match ty {
            ValueType::U8 => Value::U8(self.u8()?),
            ValueType::I8 => Value::I8(self.u8()? as i8),
            ValueType::U16 => Value::U16(self.u16()?),
            ValueType::I16 => Value::I16(self.i16()?),
            ValueType::U32 => Value::U32(self.u32()?),
            ValueType::I32 => Value::I32(self.i32()?),
            ValueType::F32 => Value::F32(self.f32()?),
            ValueType::U64 => Value::U64(self.u64()?),
            ValueType::I64 => Value::I64(self.i64()?),
            ValueType::F64 => Value::F64(self.f64()?),
            ValueType::Bool => {
                let offset = self.pos;
                match self.u8()? {
                    0 => Value::Bool(false),
                    1 => Value::Bool(true),
                    value => {
                        return Err(GgufError::BadBool {
                            key: short(key),
                            value,
                            offset,
                        })
                    }
                }
            }
            ValueType::String => Value::String(self.string(&What::Value(key))?),
            ValueType::Array => Value::Array(self.array(key, depth + 1)?),
        })
    }

    /// An array value (element type, count, elements); `depth` is 1 for a top-level array.
    fn array(&mut self, key: &str, depth: u32) -> Result<Array> {
        let offset = self.pos;
        if depth > MAX_ARRAY_DEPTH {
            return Err(GgufError::ArrayTooDeep {
                key: short(key),
                offset,
                max: MAX_ARRAY_DEPTH,
            });
        }
        let type_id = self.u32()?;
        let elem_type = ValueType::from_id(type_id).ok_or_else(|| GgufError::UnknownValueType {
            type_id,
            key: short(key),
            offset,
        })?;
        let count = self.u64()?;
        let min = elem_type.min_size();
        let remaining = self.remaining();
        if !fits(count, min, remaining) {
            return Err(GgufError::ArrayPastEnd {
                key: short(key),
                elem_type: elem_type.name(),
                count,
                offset,
                remaining,
                max: remaining / min,
            });
        }
        if count > MAX_ARRAY_LEN {
            return Err(GgufError::ArrayTooLong {
                key: short(key),
                count,
                offset,
                max: MAX_ARRAY_LEN,
            });
        }
        self.total_elems += count;
        if self.total_elems > MAX_TOTAL_ARRAY_ELEMENTS {
            return Err(GgufError::TooManyValues {
                key: short(key),
                offset,
                max: MAX_TOTAL_ARRAY_ELEMENTS,
            });
        }
        // count × min ≤ remaining and the totals cap bound the array, but `remaining` comes
        // from the file size, which a server states before sending the bytes: reserve only
        // what a small array needs and grow with the values read (an 8 Mi-element claim
        // reserved 256 MiB of `Value`s at once).
        let mut values = Vec::with_capacity(count.min(PREALLOC_ELEMS) as usize);
        let push = |values: &mut Vec<Value>, v: Value| push_within(values, v, count as usize);
        match elem_type {
            // Tight loops for the big tokenizer arrays.
            ValueType::String => {
                let what = What::Value(key);
                for _ in 0..count {
                    push(&mut values, Value::String(self.string(&what)?));
                }
            }
            ValueType::F32 => {
                for _ in 0..count {
                    push(&mut values, Value::F32(self.f32()?));
                }
            }
            ValueType::I32 => {
                for _ in 0..count {
                    push(&mut values, Value::I32(self.i32()?));
                }
            }
            _ => {
                for _ in 0..count {
                    push(&mut values, self.value(elem_type, key, depth)?);
                }
            }
        }
        Ok(Array { elem_type, values })
    }
}

/// Pushes `v` onto an array of `count` elements. `Vec::push` doubles the capacity, so a
/// 2.1 Mi-element array would take 4 Mi (128 MiB); grown here, the capacity still doubles but
/// never passes `count`, which [`MAX_TOTAL_ARRAY_ELEMENTS`] bounds.
fn push_within(values: &mut Vec<Value>, v: Value, count: usize) {
    if values.len() == values.capacity() {
        let more = values
            .capacity()
            .max(1)
            .min(count.saturating_sub(values.len()).max(1));
        values.reserve_exact(more);
    }
    values.push(v);
}

/// Whether `count` items of at least `size` bytes each fit in `avail` bytes.
fn fits(count: u64, size: u64, avail: u64) -> bool {
    matches!(count.checked_mul(size), Some(b) if b <= avail)
}

fn io_err(pos: u64, e: std::io::Error) -> GgufError {
    // Includes UnexpectedEof when the stream is shorter than the size we were given.
    GgufError::Io {
        offset: pos,
        source: e,
    }
}

/// Parses a GGUF header from `r`, positioned at the start of the file, whose total size is
/// `file_size`. Reads nothing past the tensor infos.
pub(crate) fn parse<R: BufRead>(r: R, file_size: u64) -> Result<GgufFile> {
    let mut s = Src {
        r,
        pos: 0,
        size: file_size,
        big: false,
        total_elems: 0,
    };

    // Magic and version decide the byte order.
    let magic = s.bytes::<4>()?;
    let raw = s.bytes::<4>()?;
    let le = u32::from_le_bytes(raw);
    let be = u32::from_be_bytes(raw);
    let version = match &magic {
        // "GGUF" in file order. A big-endian file (gguf-py / llama.cpp writers) keeps these
        // bytes and stores everything else big-endian, so its version reads as 0x0?000000.
        b"GGUF" => {
            if le & 0xFFFF == 0 && le != 0 {
                s.big = true;
                be
            } else {
                le
            }
        }
        // "FUGG": the magic written as a big-endian u32 (Ollama and gguf-parser read this as
        // a big-endian file). Pre-release GGUF (llama.cpp before commit e35f8c7, 2023-08)
        // also wrote these bytes, with little-endian v1 data: refuse those.
        b"FUGG" if (2..=3).contains(&be) => {
            s.big = true;
            be
        }
        _ => {
            let hint = if &magic == b"FUGG" && le == 1 {
                " — this is a pre-release GGUF (byte-swapped magic, written before llama.cpp commit e35f8c7, August 2023); re-convert the model"
            } else if magic.starts_with(b"ggj") || &magic == b"tjgg" || &magic == b"lmgg" {
                " — this is a pre-GGUF GGML/GGJT file; re-convert the model"
            } else {
                ""
            };
            return Err(GgufError::BadMagic { found: magic, hint });
        }
    };
    match version {
        1 => return Err(GgufError::V1),
        2 | 3 => {}
        _ => return Err(GgufError::BadVersion { version, raw: le }),
    }
    let endian = if s.big { Endian::Big } else { Endian::Little };

    let counts_at = s.pos;
    let tensor_count = s.u64()?;
    let kv_count = s.u64()?;
    let remaining = s.remaining();
    if !fits(kv_count, MIN_KV_BYTES, remaining) {
        return Err(GgufError::CountTooLarge {
            what: "metadata key-value pairs",
            count: kv_count,
            offset: counts_at + 8,
            remaining,
            max: remaining / MIN_KV_BYTES,
            min_size: MIN_KV_BYTES,
        });
    }
    // What is left once the KVs take their minimum.
    let after_kv = remaining - kv_count * MIN_KV_BYTES;
    if !fits(tensor_count, MIN_TENSOR_INFO_BYTES, after_kv) {
        return Err(GgufError::CountTooLarge {
            what: "tensors",
            count: tensor_count,
            offset: counts_at,
            remaining: after_kv,
            max: after_kv / MIN_TENSOR_INFO_BYTES,
            min_size: MIN_TENSOR_INFO_BYTES,
        });
    }

    // Metadata.
    // Counts are bounded by the file size, not by memory: start small and grow as items are read.
    let mut metadata: Vec<(String, Value)> = Vec::with_capacity(kv_count.min(1024) as usize);
    let mut seen: HashSet<String> = HashSet::with_capacity(kv_count.min(1024) as usize);
    let mut alignment_at = 0;
    for index in 0..kv_count {
        let offset = s.pos;
        let len = s.u64()?;
        if len == 0 {
            return Err(GgufError::EmptyKey { index, offset });
        }
        if len > MAX_KEY_LEN {
            return Err(GgufError::StringTooLong {
                what: What::Key(index).to_string(),
                len,
                offset,
                max: MAX_KEY_LEN,
            });
        }
        let key = s.string_body(len, offset, &What::Key(index))?;
        if !seen.insert(key.clone()) {
            return Err(GgufError::DuplicateKey {
                key: short(&key),
                offset,
            });
        }
        let type_at = s.pos;
        let type_id = s.u32()?;
        let ty = ValueType::from_id(type_id).ok_or_else(|| GgufError::UnknownValueType {
            type_id,
            key: short(&key),
            offset: type_at,
        })?;
        let value = s.value(ty, &key, 0)?;
        if key == "general.alignment" {
            alignment_at = offset;
        }
        metadata.push((key, value));
    }

    // Alignment (gguf.cpp and gguf-py: UINT32, nonzero power of two).
    let mut alignment = DEFAULT_ALIGNMENT;
    if let Some((_, v)) = metadata.iter().find(|(k, _)| k == "general.alignment") {
        let offset = alignment_at;
        match v {
            Value::U32(a) if a.is_power_of_two() => alignment = u64::from(*a),
            Value::U32(a) => {
                return Err(GgufError::BadAlignment {
                    value: u64::from(*a),
                    offset,
                })
            }
            other => {
                return Err(GgufError::AlignmentType {
                    found: other.type_name(),
                    offset,
                })
            }
        }
    }

    // Tensor infos.
    let mut tensors: Vec<TensorInfo> = Vec::with_capacity(tensor_count.min(4096) as usize);
    let mut names: HashSet<String> = HashSet::with_capacity(tensor_count.min(4096) as usize);
    for index in 0..tensor_count {
        let offset = s.pos;
        let len = s.u64()?;
        if len > MAX_TENSOR_NAME_LEN {
            return Err(GgufError::TensorNameTooLong {
                index,
                len,
                offset,
                max: MAX_TENSOR_NAME_LEN,
            });
        }
        let name = s.string_body(len, offset, &What::TensorName(index))?;
        if !names.insert(name.clone()) {
            return Err(GgufError::DuplicateTensor {
                name: short(&name),
                offset,
            });
        }
        let n_dims = s.u32()?;
        if n_dims > MAX_DIMS {
            return Err(GgufError::TooManyDims {
                name,
                n_dims,
                offset,
                max: MAX_DIMS,
            });
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for dim in 0..n_dims as usize {
            let value = s.u64()?;
            if value > i64::MAX as u64 {
                return Err(GgufError::BadDim {
                    name,
                    dim,
                    value,
                    offset,
                });
            }
            dims.push(value);
        }
        let type_id = s.u32()?;
        let ggml_type = match GgmlType::from_id(type_id) {
            Some(t) => t,
            None => {
                return Err(match GgmlType::removed_name(type_id) {
                    Some(type_name) => GgufError::RemovedGgmlType {
                        name,
                        type_id,
                        type_name,
                        offset,
                    },
                    None => GgufError::UnknownGgmlType {
                        name,
                        type_id,
                        offset,
                    },
                })
            }
        };
        let n_elements = dims
            .iter()
            .try_fold(1u64, |acc, d| acc.checked_mul(*d))
            .filter(|n| *n <= i64::MAX as u64);
        if n_elements.is_none() {
            return Err(GgufError::TensorTooLarge { name, dims, offset });
        }
        let row = dims.first().copied().unwrap_or(1);
        if row % ggml_type.block_size() != 0 {
            return Err(GgufError::PartialBlock {
                name,
                ggml_type: ggml_type.name(),
                dims,
                row,
                block_size: ggml_type.block_size(),
                offset,
            });
        }
        let n_bytes = if dims.is_empty() {
            ggml_type.tensor_bytes(&[1])
        } else {
            ggml_type.tensor_bytes(&dims)
        };
        let Some(n_bytes) = n_bytes else {
            return Err(GgufError::TensorTooLarge { name, dims, offset });
        };
        let data_offset = s.u64()?;
        tensors.push(TensorInfo {
            name,
            dims,
            ggml_type,
            offset: data_offset,
            n_bytes,
        });
    }

    // The data section starts at the next multiple of the alignment (gguf-py pads even when
    // there are no tensors, so a vocab-only file's data_offset may lie past its end).
    let pad = (alignment - s.pos % alignment) % alignment;
    let data_offset = s.pos + pad;
    for t in &tensors {
        if t.offset % alignment != 0 {
            return Err(GgufError::MisalignedTensor {
                name: t.name.clone(),
                tensor_offset: t.offset,
                data_offset,
                alignment,
            });
        }
        let start = data_offset.checked_add(t.offset);
        let end = start.and_then(|x| x.checked_add(t.n_bytes));
        match end {
            Some(end) if end <= file_size => {}
            _ => {
                return Err(GgufError::TensorPastEnd {
                    name: t.name.clone(),
                    start: start.unwrap_or(u64::MAX),
                    end: end.unwrap_or(u64::MAX),
                    file_size,
                })
            }
        }
    }

    Ok(GgufFile {
        version,
        endian,
        metadata,
        tensors,
        alignment,
        data_offset,
        file_size,
    })
}

#[cfg(test)]
mod caps_are_named {
    //! Each cap is reported with its value, so a user can tell a limit of this reader from a
    //! broken file. The claimed file sizes are far larger than the bytes given: the caps must
    //! trip on the lengths alone, before anything is read or allocated.

    use super::*;

    const HUGE_FILE: u64 = 1 << 41;

    fn header(n_tensors: u64, n_kv: u64) -> Vec<u8> {
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(n_tensors.to_le_bytes());
        b.extend(n_kv.to_le_bytes());
        b
    }

    fn key(b: &mut Vec<u8>, k: &str, type_id: u32) {
        b.extend((k.len() as u64).to_le_bytes());
        b.extend(k.as_bytes());
        b.extend(type_id.to_le_bytes());
    }

    fn err(b: &[u8], file_size: u64) -> String {
        let msg = parse(b, file_size).unwrap_err().to_string();
        assert!(!msg.contains('\n'), "{msg}");
        msg
    }

    fn has(msg: &str, cap: u64) {
        assert!(msg.contains(&cap.to_string()), "cap {cap} not named: {msg}");
    }

    #[test]
    fn counts() {
        let b = header(1 << 63, 1 << 63);
        let m = err(&b, b.len() as u64);
        assert!(
            m.contains("9223372036854775808 metadata key-value pairs"),
            "{m}"
        );
        assert!(m.contains(&format!("at least {MIN_KV_BYTES} bytes")), "{m}");
        let b = header(1 << 63, 0);
        let m = err(&b, HUGE_FILE);
        assert!(m.contains("9223372036854775808 tensors"), "{m}");
        assert!(
            m.contains(&format!("at least {MIN_TENSOR_INFO_BYTES} bytes")),
            "{m}"
        );
        has(&m, (HUGE_FILE - 24) / MIN_TENSOR_INFO_BYTES);
    }

    #[test]
    fn key_and_string_lengths() {
        let mut b = header(0, 1);
        b.extend((MAX_KEY_LEN + 1).to_le_bytes());
        has(&err(&b, HUGE_FILE), MAX_KEY_LEN);

        let mut b = header(0, 1);
        key(&mut b, "general.name", ValueType::String.id());
        b.extend((1u64 << 40).to_le_bytes());
        has(&err(&b, HUGE_FILE), MAX_STRING_LEN);
        // In a small file the bytes left are the cap, and are named.
        let m = err(&b, 4096);
        has(&m, 4096 - b.len() as u64);
        assert!(m.contains("bytes left in the file"), "{m}");

        // Under the string cap but over the header cap.
        let mut b = header(0, 1);
        key(&mut b, "general.name", ValueType::String.id());
        b.extend((MAX_HEADER_BYTES + 1).to_le_bytes());
        has(&err(&b, HUGE_FILE), MAX_HEADER_BYTES);
    }

    #[test]
    fn arrays() {
        let array = |count: u64| {
            let mut b = header(0, 1);
            key(&mut b, "a", ValueType::Array.id());
            b.extend(ValueType::U8.id().to_le_bytes());
            b.extend(count.to_le_bytes());
            b
        };
        has(&err(&array(MAX_ARRAY_LEN + 1), HUGE_FILE), MAX_ARRAY_LEN);
        has(
            &err(&array(MAX_TOTAL_ARRAY_ELEMENTS + 1), HUGE_FILE),
            MAX_TOTAL_ARRAY_ELEMENTS,
        );
        let mut b = header(0, 1);
        key(&mut b, "a", ValueType::Array.id());
        for _ in 0..MAX_ARRAY_DEPTH {
            b.extend(ValueType::Array.id().to_le_bytes());
            b.extend(1u64.to_le_bytes());
        }
        b.extend(ValueType::U8.id().to_le_bytes());
        b.extend(1u64.to_le_bytes());
        b.push(0);
        let m = err(&b, b.len() as u64);
        assert!(
            m.contains(&format!("deeper than {MAX_ARRAY_DEPTH} levels")),
            "{m}"
        );
    }

    #[test]
    fn tensor_infos() {
        let mut b = header(1, 0);
        b.extend((MAX_TENSOR_NAME_LEN + 1).to_le_bytes());
        has(&err(&b, HUGE_FILE), MAX_TENSOR_NAME_LEN);

        let mut b = header(1, 0);
        b.extend(1u64.to_le_bytes());
        b.push(b't');
        b.extend((MAX_DIMS + 1).to_le_bytes());
        let m = err(&b, HUGE_FILE);
        assert!(m.contains(&format!("GGML_MAX_DIMS = {MAX_DIMS}")), "{m}");
    }
}
