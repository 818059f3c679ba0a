//! A small, bounded GGUF v3 writer: metadata, tensor infos, and a data section that is never
//! written — the file is extended with `set_len`, so on Linux the tensor data is a hole that
//! reads as zeros (a valid block in every ggml type) and takes no disk space.

use crate::Value;
use cabe_core::quant::GgmlType;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

/// ggml's `GGML_MAX_NAME`: a tensor name must be shorter than this.
pub const MAX_TENSOR_NAME: usize = 64;
/// ggml's `GGML_MAX_DIMS`.
pub const MAX_DIMS: usize = 4;
/// `GGUF_DEFAULT_ALIGNMENT`.
pub const ALIGNMENT: u64 = 32;

/// One tensor info to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorSpec {
    pub name: String,
    /// ggml order: ne0 (the row) first.
    pub dims: Vec<u64>,
    pub ty: GgmlType,
}

/// What was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// Bytes before the data section (header, metadata, tensor infos, padding).
    pub data_offset: u64,
    /// Sum of the tensors' sizes (without alignment padding).
    pub tensor_bytes: u64,
    pub file_size: u64,
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, msg)
}

fn put_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    w.write_all(&(s.len() as u64).to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn type_id(v: &Value) -> u32 {
    use crate::ValueType as T;
    match v {
        Value::U8(_) => T::U8,
        Value::I8(_) => T::I8,
        Value::U16(_) => T::U16,
        Value::I16(_) => T::I16,
        Value::U32(_) => T::U32,
        Value::I32(_) => T::I32,
        Value::U64(_) => T::U64,
        Value::I64(_) => T::I64,
        Value::F32(_) => T::F32,
        Value::F64(_) => T::F64,
        Value::Bool(_) => T::Bool,
        Value::String(_) => T::String,
        Value::Array(_) => T::Array,
    }
    .id()
}

fn put_value(w: &mut impl Write, v: &Value) -> std::io::Result<()> {
    match v {
        Value::U8(x) => w.write_all(&x.to_le_bytes()),
        Value::I8(x) => w.write_all(&x.to_le_bytes()),
        Value::U16(x) => w.write_all(&x.to_le_bytes()),
        Value::I16(x) => w.write_all(&x.to_le_bytes()),
        Value::U32(x) => w.write_all(&x.to_le_bytes()),
        Value::I32(x) => w.write_all(&x.to_le_bytes()),
        Value::U64(x) => w.write_all(&x.to_le_bytes()),
        Value::I64(x) => w.write_all(&x.to_le_bytes()),
        Value::F32(x) => w.write_all(&x.to_le_bytes()),
        Value::F64(x) => w.write_all(&x.to_le_bytes()),
        Value::Bool(x) => w.write_all(&[*x as u8]),
        Value::String(s) => put_str(w, s),
        Value::Array(a) => {
            if a.values.iter().any(|x| type_id(x) != a.elem_type.id()) {
                return Err(invalid(
                    "array elements differ from its element type".into(),
                ));
            }
            w.write_all(&a.elem_type.id().to_le_bytes())?;
            w.write_all(&(a.values.len() as u64).to_le_bytes())?;
            a.values.iter().try_for_each(|x| put_value(w, x))
        }
    }
}

/// Writes a little-endian GGUF v3 file whose tensor data is a zero-filled hole.
pub fn write_sparse(
    path: &Path,
    metadata: &[(String, Value)],
    tensors: &[TensorSpec],
) -> std::io::Result<Written> {
    // Offsets first (and every bound checked before a byte is written).
    let mut offsets = Vec::with_capacity(tensors.len());
    let (mut off, mut tensor_bytes) = (0u64, 0u64);
    for t in tensors {
        if t.name.is_empty() || t.name.len() >= MAX_TENSOR_NAME {
            return Err(invalid(format!(
                "tensor name '{}' is empty or too long",
                t.name
            )));
        }
        if t.dims.is_empty() || t.dims.len() > MAX_DIMS || t.dims.contains(&0) {
            return Err(invalid(format!("tensor {} has dims {:?}", t.name, t.dims)));
        }
        let n = t.ty.tensor_bytes(&t.dims).ok_or_else(|| {
            invalid(format!(
                "tensor {}: rows of {} are not whole {} blocks",
                t.name,
                t.dims[0],
                t.ty.name()
            ))
        })?;
        offsets.push(off);
        tensor_bytes += n;
        off = (off + n).div_ceil(ALIGNMENT) * ALIGNMENT;
    }
    let mut w = BufWriter::new(File::create(path)?);
    w.write_all(b"GGUF")?;
    w.write_all(&3u32.to_le_bytes())?;
    w.write_all(&(tensors.len() as u64).to_le_bytes())?;
    w.write_all(&(metadata.len() as u64).to_le_bytes())?;
    for (k, v) in metadata {
        put_str(&mut w, k)?;
        w.write_all(&type_id(v).to_le_bytes())?;
        put_value(&mut w, v)?;
    }
    for (t, o) in tensors.iter().zip(&offsets) {
        put_str(&mut w, &t.name)?;
        w.write_all(&(t.dims.len() as u32).to_le_bytes())?;
        t.dims
            .iter()
            .try_for_each(|d| w.write_all(&d.to_le_bytes()))?;
        w.write_all(&t.ty.id().to_le_bytes())?;
        w.write_all(&o.to_le_bytes())?;
    }
    let header = w.stream_position()?;
    let data_offset = header.div_ceil(ALIGNMENT) * ALIGNMENT;
    w.write_all(&vec![0u8; (data_offset - header) as usize])?;
    let file = w.into_inner().map_err(|e| e.into_error())?;
    let file_size = data_offset + off;
    file.set_len(file_size)?;
    Ok(Written {
        data_offset,
        tensor_bytes,
        file_size,
    })
}
