//! Synthetic files: a small valid file written by the test writer (every value type, nested
//! arrays, big-endian), then truncated, corrupted and hostile variants — each must give its
//! precise error and never panic or allocate by a claimed size.

mod common;

use cabe_core::quant::GgmlType;
use cabe_gguf::{read_from, Endian, GgufError, GgufFile, Value, ValueType};
use common::{arr, s, small_writer, Bytes, GgufWriter};
use std::io::Cursor;

fn parse(b: &[u8]) -> Result<GgufFile, GgufError> {
    read_from(Cursor::new(b), b.len() as u64)
}

fn err(b: &[u8]) -> GgufError {
    match parse(b) {
        Ok(f) => panic!("parsed but should not: {f:?}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "multi-line message: {msg}");
            e
        }
    }
}

#[test]
fn small_file_round_trips() {
    let w = small_writer();
    let bytes = w.to_bytes();
    let f = parse(&bytes).unwrap();
    assert_eq!(f.version, 3);
    assert_eq!(f.endian, Endian::Little);
    assert_eq!(f.metadata, w.kvs);
    assert_eq!(f.alignment, 32);
    assert_eq!(f.data_offset % 32, 0);
    assert_eq!(
        f.data_offset,
        w.header_bytes().len().div_ceil(32) as u64 * 32
    );
    assert_eq!(f.file_size, bytes.len() as u64);
    let names: Vec<&str> = f.tensors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "token_embd.weight",
            "output_norm.weight",
            "blk.0.attn_q.weight"
        ]
    );
    assert_eq!(f.tensors[0].ggml_type, GgmlType::Q8_0);
    assert_eq!(f.tensors[0].dims, [64, 3]);
    assert_eq!(f.tensors[0].n_bytes, 2 * 34 * 3);
    assert_eq!(f.tensors[1].offset, 224); // 204 padded to 32
    assert_eq!(f.params_total(), 64 * 3 + 64 + 64 * 64);
    assert_eq!(f.tensor_data_bytes(), 204 + 256 + 8192);
    assert_eq!(f.file_type(), Some(7));
    // Nested arrays parse with their own element types.
    let nested = f.get("t.nested").and_then(Value::as_array).unwrap();
    assert_eq!(nested.elem_type, ValueType::Array);
    assert_eq!(nested.values[0].type_name(), "ARRAY[UINT8]");
    assert_eq!(
        nested.values[2].as_array().unwrap().elem_type,
        ValueType::Bool
    );
    assert_eq!(
        serde_json::to_string(f.get("t.nested").unwrap()).unwrap(),
        r#"[[1,2],["x"],[]]"#
    );
    // Accessors across integer types.
    assert_eq!(f.get_u64("llama.embedding_length"), Some(64)); // INT32
    assert_eq!(f.get_u64("t.i64"), None); // negative
    assert_eq!(f.get("t.i64").and_then(Value::as_i64), Some(-1));
    assert_eq!(f.get_f64("llama.rope.freq_base"), Some(10000.5));
    assert_eq!(
        f.arch_key("attention.head_count_kv")
            .and_then(Value::as_u64_list),
        Some(vec![4, 0])
    );
    assert_eq!(f.get_bool("t.bool"), Some(true));
    assert_eq!(f.get_str("general.name"), Some("tiny ✓"));
}

#[test]
fn big_endian_files_read_the_same() {
    let mut w = small_writer();
    let little = parse(&w.to_bytes()).unwrap();
    w.big = true;
    let bytes = w.to_bytes();
    // gguf-py / llama.cpp style: the magic stays "GGUF", everything else is big-endian.
    assert_eq!(&bytes[..8], b"GGUF\0\0\0\x03");
    let big = parse(&bytes).unwrap();
    assert_eq!(big.endian, Endian::Big);
    assert_eq!(big.metadata, little.metadata);
    assert_eq!(big.tensors, little.tensors);
    assert_eq!(big.data_offset, little.data_offset);
    // Ollama / gguf-parser style: magic written as a big-endian u32 too (bytes "FUGG",
    // 0x47475546 read little-endian).
    let mut fugg = bytes.clone();
    fugg[..4].copy_from_slice(b"FUGG");
    let big2 = parse(&fugg).unwrap();
    assert_eq!(big2.endian, Endian::Big);
    assert_eq!(big2.metadata, little.metadata);
    // v2 big-endian too.
    w.version = 2;
    assert_eq!(parse(&w.to_bytes()).unwrap().version, 2);
}

#[test]
fn truncated_at_every_offset_errors() {
    for big in [false, true] {
        let mut w = small_writer();
        w.big = big;
        let bytes = w.to_bytes();
        for n in 0..bytes.len() {
            let e = err(&bytes[..n]);
            assert!(
                matches!(
                    e.root(),
                    GgufError::Truncated { .. }
                        | GgufError::StringPastEnd { .. }
                        | GgufError::ArrayPastEnd { .. }
                        | GgufError::CountTooLarge { .. }
                        | GgufError::TensorPastEnd { .. }
                ),
                "cut at {n}: {e}"
            );
            assert!(e.to_string().contains("offset"), "cut at {n}: {e}");
        }
    }
}

#[test]
fn truncated_real_file_errors_everywhere() {
    let path = common::fixtures_dir().join("python-gen-worker_stories260K.gguf");
    let bytes = std::fs::read(path).unwrap();
    let full = parse(&bytes).unwrap();
    let header_end = full.data_offset as usize;
    let cuts = (0..header_end + 64).chain((header_end..bytes.len()).step_by(4099));
    for n in cuts {
        let e = err(&bytes[..n]);
        assert!(e.to_string().contains("offset"), "cut at {n}: {e}");
    }
    // A stream shorter than the size it is said to have: an I/O error, not a panic.
    let e = read_from(Cursor::new(&bytes[..5000]), bytes.len() as u64).unwrap_err();
    assert!(matches!(e, GgufError::Io { .. }), "{e}");
}

#[test]
fn random_corruption_never_panics() {
    let bytes = small_writer().to_bytes();
    let header = small_writer().header_bytes().len();
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut errors = 0;
    for _ in 0..20_000 {
        let mut b = bytes.clone();
        for _ in 0..(1 + next() % 4) {
            let i = (next() % header as u64) as usize;
            b[i] = match next() % 4 {
                0 => 0xFF,
                1 => 0,
                2 => b[i] ^ (1 << (next() % 8)),
                _ => next() as u8,
            };
        }
        if let Err(e) = parse(&b) {
            assert!(!e.to_string().contains('\n'));
            errors += 1;
        }
    }
    assert!(errors > 10_000, "{errors}");
}

fn one_kv(key: &str, build: impl FnOnce(&mut Bytes)) -> Vec<u8> {
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).str(key);
    build(&mut b);
    b.buf
}

#[test]
fn absurd_string_lengths() {
    // Key length u64::MAX.
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).u64(u64::MAX).raw(&[0; 64]);
    let e = err(&b.buf);
    assert!(
        matches!(
            e.root(),
            GgufError::StringTooLong {
                len: u64::MAX,
                offset: 24,
                max: 65535,
                ..
            }
        ),
        "{e}"
    );
    // Key of 65,536 bytes (present in full): over the spec's limit.
    let long = "k".repeat(65_536);
    let e = err(&one_kv(&long, |b| {
        b.u32(0).u8(1);
    }));
    assert!(
        matches!(e.root(), GgufError::StringTooLong { len: 65_536, .. }),
        "{e}"
    );
    // 65,535 is fine.
    let ok = "k".repeat(65_535);
    parse(&one_kv(&ok, |b| {
        b.u32(0).u8(1);
    }))
    .unwrap();
    // String value length u64::MAX.
    let e = err(&one_kv("general.name", |b| {
        b.u32(8).u64(u64::MAX).raw(b"abc");
    }));
    assert!(
        matches!(
            e.root(),
            GgufError::StringPastEnd {
                len: u64::MAX,
                offset: 48,
                remaining: 3,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("\"general.name\""), "{e}");
    // Tensor name length u64::MAX.
    let mut b = Bytes::new(false);
    b.header(3, 1, 0).u64(u64::MAX).raw(&[0; 40]);
    let e = err(&b.buf);
    assert!(
        matches!(
            e.root(),
            GgufError::TensorNameTooLong {
                index: 0,
                len: u64::MAX,
                offset: 24,
                max: 63
            }
        ),
        "{e}"
    );
}

#[test]
fn absurd_array_counts() {
    for count in [u64::MAX, u64::MAX / 8 + 1, 1 << 40, 1000] {
        for (elem, min) in [
            (ValueType::U8, 1u64),
            (ValueType::String, 8),
            (ValueType::Array, 12),
        ] {
            let e = err(&one_kv("tokenizer.ggml.tokens", |b| {
                b.u32(9).u32(elem.id()).u64(count).raw(&[0; 100]);
            }));
            match e.root() {
                GgufError::ArrayPastEnd {
                    count: c,
                    remaining: 100,
                    max,
                    key,
                    ..
                } => {
                    assert_eq!(*c, count);
                    assert_eq!(*max, 100 / min);
                    assert_eq!(key, "tokenizer.ggml.tokens");
                }
                _ => panic!("{e}"),
            }
        }
    }
    // Exactly enough bytes: fine.
    parse(&one_kv("x", |b| {
        b.u32(9).u32(0).u64(100).raw(&[7; 100]);
    }))
    .unwrap();
}

#[test]
fn total_array_elements_are_capped() {
    let n = cabe_gguf::MAX_TOTAL_ARRAY_ELEMENTS + 1;
    let bytes = one_kv("big", |b| {
        b.u32(9).u32(0).u64(n).raw(&vec![0u8; n as usize]);
    });
    let e = err(&bytes);
    assert!(matches!(e.root(), GgufError::TooManyValues { .. }), "{e}");
}

#[test]
fn unknown_value_types() {
    let e = err(&one_kv("dict1", |b| {
        b.u32(13).raw(&[0; 32]);
    }));
    assert!(
        matches!(e.root(), GgufError::UnknownValueType { type_id: 13, offset: 37, key } if key == "dict1"),
        "{e}"
    );
    let e = err(&one_kv("x", |b| {
        b.u32(u32::MAX).raw(&[0; 32]);
    }));
    assert!(
        matches!(
            e.root(),
            GgufError::UnknownValueType {
                type_id: u32::MAX,
                ..
            }
        ),
        "{e}"
    );
    // As an array element type.
    let e = err(&one_kv("arr", |b| {
        b.u32(9).u32(42).u64(1).raw(&[0; 32]);
    }));
    assert!(
        matches!(e.root(), GgufError::UnknownValueType { type_id: 42, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("\"arr\""));
}

#[test]
fn huge_counts_in_the_header() {
    for (tensors, kvs, what, offset, remaining, max) in [
        (u64::MAX, 0, "tensors", 8, 100, 4),
        (1 << 40, 0, "tensors", 8, 100, 4),
        (0, u64::MAX, "metadata key-value pairs", 16, 100, 7),
        (0, 1 << 40, "metadata key-value pairs", 16, 100, 7),
        // Each fits alone, not together: 4 KVs take at least 56 bytes, leaving 44.
        (4, 4, "tensors", 8, 44, 1),
    ] {
        let mut b = Bytes::new(false);
        b.header(3, tensors, kvs).raw(&[0; 100]);
        let e = err(&b.buf);
        match e.root() {
            GgufError::CountTooLarge {
                what: w,
                offset: o,
                remaining: r,
                max: m,
                ..
            } => assert_eq!((*w, *o, *r, *m), (what, offset, remaining, max), "{e}"),
            _ => panic!("{e}"),
        }
    }
    // The KV minimum (14 bytes) is exact: one 1-letter key with a UINT8 value fits.
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).str("a").u32(0).u8(9);
    assert_eq!(b.buf.len(), 24 + 14);
    assert_eq!(parse(&b.buf).unwrap().get("a"), Some(&Value::U8(9)));
}

fn nested(depth: usize) -> Value {
    let mut v = arr(ValueType::U32, vec![Value::U32(1)]);
    for _ in 1..depth {
        v = arr(ValueType::Array, vec![v]);
    }
    v
}

#[test]
fn nested_arrays() {
    let f = parse(&GgufWriter::new().kv("n", nested(8)).to_bytes()).unwrap();
    let mut v = f.get("n").unwrap();
    for _ in 1..8 {
        v = &v.as_array().unwrap().values[0];
    }
    assert_eq!(v.as_array().unwrap().values, [Value::U32(1)]);
    let e = err(&GgufWriter::new().kv("n", nested(9)).to_bytes());
    assert!(
        matches!(e.root(), GgufError::ArrayTooDeep { max: 8, key, .. } if key == "n"),
        "{e}"
    );
    assert!(e.to_string().contains("deeper than 8 levels"), "{e}");
    // Deep nesting claimed by a tiny hostile file: no stack overflow, just the error.
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).str("n").u32(9);
    for _ in 0..10_000 {
        b.u32(9).u64(1);
    }
    assert!(matches!(err(&b.buf).root(), GgufError::ArrayTooDeep { .. }));
}

#[test]
fn bad_bool_utf8_and_keys() {
    let e = err(&one_kv("flag", |b| {
        b.u32(7).u8(2);
    }));
    assert!(
        matches!(e.root(), GgufError::BadBool { value: 2, offset: 40, key } if key == "flag"),
        "{e}"
    );
    let e = err(&one_kv("name", |b| {
        b.u32(8).u64(3).raw(&[b'a', 0xC3, 0x28]);
    }));
    assert!(
        matches!(
            e.root(),
            GgufError::BadUtf8 {
                offset: 40,
                bad_at: 49,
                ..
            }
        ),
        "{e}"
    );
    // Invalid UTF-8 in a key (straddling nothing: small file).
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).u64(2).raw(&[0xFF, 0xFE]).u32(0).u8(0);
    assert!(matches!(
        err(&b.buf).root(),
        GgufError::BadUtf8 {
            offset: 24,
            bad_at: 32,
            ..
        }
    ));
    // Invalid UTF-8 in a string array element.
    let e = err(&one_kv("tokens", |b| {
        b.u32(9).u32(8).u64(2).str("ok").u64(1).u8(0x80);
    }));
    assert!(matches!(e.root(), GgufError::BadUtf8 { .. }), "{e}");
    // Empty and duplicate keys.
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).str("").u32(0).u8(0).raw(&[0; 8]);
    assert!(matches!(
        err(&b.buf).root(),
        GgufError::EmptyKey {
            index: 0,
            offset: 24
        }
    ));
    let bytes = GgufWriter::new()
        .kv("a", Value::U8(1))
        .kv("b", Value::U8(1))
        .kv("a", Value::U32(2))
        .to_bytes();
    let e = err(&bytes);
    assert!(
        matches!(e.root(), GgufError::DuplicateKey { key, offset: 52 } if key == "a"),
        "{e}"
    );
}

#[test]
fn versions_and_magic() {
    let mut ok = Bytes::new(false);
    ok.header(3, 0, 0);
    parse(&ok.buf).unwrap();
    for v in [0u32, 4, 0x1234_5678] {
        let mut b = Bytes::new(false);
        b.header(v, 0, 0);
        let e = err(&b.buf);
        assert!(
            matches!(e.root(), GgufError::BadVersion { version, .. } if *version == v),
            "{e}"
        );
        assert!(e.to_string().contains(&format!("version {v}")), "{e}");
    }
    // Version 0x00040000 reads as big-endian 4: still unsupported, named as 4... in BE.
    let mut b = Bytes::new(true);
    b.header(4, 0, 0);
    assert!(matches!(
        err(&b.buf).root(),
        GgufError::BadVersion { version: 4, .. }
    ));
    // v1 in either byte order.
    for big in [false, true] {
        let mut b = Bytes::new(big);
        b.raw(b"GGUF").u32(1).u32(0).u32(0);
        assert!(matches!(err(&b.buf).root(), GgufError::V1));
    }
    // Wrong magic: the bytes are named.
    let e = err(b"GGML\x03\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
    assert!(matches!(e.root(), GgufError::BadMagic { found, .. } if found == b"GGML"));
    assert!(e.to_string().contains("47 47 4d 4c (\"GGML\")"), "{e}");
    let e = err(b"\0\x01\xff\x7f\x03\0\0\0");
    assert!(e.to_string().contains("00 01 ff 7f (\"????\")"), "{e}");
    // Pre-release: "FUGG" with little-endian v1 data.
    let e = err(b"FUGG\x01\0\0\0\0\0\0\0\0\0\0\0");
    assert!(e.to_string().contains("pre-release"), "{e}");
    // Too short for a magic.
    assert!(matches!(
        err(b"GG").root(),
        GgufError::Truncated {
            needed: 4,
            offset: 0,
            file_size: 2
        }
    ));
}

fn one_tensor(name: &str, dims: &[u64], type_id: u32, offset: u64, data: usize) -> Vec<u8> {
    let mut b = Bytes::new(false);
    b.header(3, 1, 0).str(name).u32(dims.len() as u32);
    for d in dims {
        b.u64(*d);
    }
    b.u32(type_id).u64(offset).pad_to(32).raw(&vec![0; data]);
    b.buf
}

#[test]
fn tensor_info_checks() {
    // Fine: 64 F32 at offset 0.
    let f = parse(&one_tensor("w", &[64], 0, 0, 256)).unwrap();
    assert_eq!(f.tensors[0].n_bytes, 256);
    // Name of 63 bytes is fine, 64 is not (GGML_MAX_NAME = 64 with the NUL).
    parse(&one_tensor(&"n".repeat(63), &[64], 0, 0, 256)).unwrap();
    let e = err(&one_tensor(&"n".repeat(64), &[64], 0, 0, 256));
    assert!(
        matches!(
            e.root(),
            GgufError::TensorNameTooLong {
                len: 64,
                max: 63,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("64 bytes"), "{e}");
    // Dimensions.
    let e = err(&one_tensor("w", &[1, 1, 1, 1, 1], 0, 0, 4));
    assert!(
        matches!(
            e.root(),
            GgufError::TooManyDims {
                n_dims: 5,
                max: 4,
                ..
            }
        ),
        "{e}"
    );
    let mut b = Bytes::new(false);
    b.header(3, 1, 0).str("w").u32(u32::MAX).raw(&[0; 64]);
    assert!(matches!(
        err(&b.buf).root(),
        GgufError::TooManyDims {
            n_dims: u32::MAX,
            ..
        }
    ));
    let e = err(&one_tensor("w", &[u64::MAX], 0, 0, 4));
    assert!(
        matches!(
            e.root(),
            GgufError::BadDim {
                dim: 0,
                value: u64::MAX,
                ..
            }
        ),
        "{e}"
    );
    let e = err(&one_tensor("w", &[1 << 32, 1 << 32], 0, 0, 4));
    assert!(matches!(e.root(), GgufError::TensorTooLarge { .. }), "{e}");
    // Elements fit, bytes do not.
    let e = err(&one_tensor("w", &[1 << 31, 1 << 31], 0, 0, 4));
    assert!(matches!(e.root(), GgufError::TensorTooLarge { .. }), "{e}");
    // 0-d tensor: one element.
    let f = parse(&one_tensor("s", &[], 0, 0, 4)).unwrap();
    assert_eq!((f.tensors[0].n_elements(), f.tensors[0].n_bytes), (1, 4));
    // Zero-sized dimension: no data needed.
    let f = parse(&one_tensor("z", &[64, 0], 0, 0, 0)).unwrap();
    assert_eq!(f.tensors[0].n_bytes, 0);
    // ggml types: unknown, removed, partial block.
    let e = err(&one_tensor("w", &[64], 99, 0, 256));
    assert!(
        matches!(e.root(), GgufError::UnknownGgmlType { type_id: 99, name, .. } if name == "w"),
        "{e}"
    );
    let e = err(&one_tensor("w", &[64], 31, 0, 256));
    assert!(
        matches!(
            e.root(),
            GgufError::RemovedGgmlType {
                type_id: 31,
                type_name: "Q4_0_4_4",
                ..
            }
        ),
        "{e}"
    );
    let e = err(&one_tensor("blk.0.ffn_down.weight", &[100, 2], 12, 0, 1000));
    assert!(
        matches!(
            e.root(),
            GgufError::PartialBlock {
                row: 100,
                block_size: 256,
                ggml_type: "Q4_K",
                ..
            }
        ),
        "{e}"
    );
    // Offsets: misaligned, past the end.
    let e = err(&one_tensor("w", &[64], 0, 16, 512));
    assert!(
        matches!(
            e.root(),
            GgufError::MisalignedTensor {
                tensor_offset: 16,
                alignment: 32,
                ..
            }
        ),
        "{e}"
    );
    let e = err(&one_tensor("w", &[64], 0, 0, 255));
    assert!(matches!(e.root(), GgufError::TensorPastEnd { .. }), "{e}");
    let e = err(&one_tensor("w", &[64], 0, u64::MAX - 31, 256));
    assert!(matches!(e.root(), GgufError::TensorPastEnd { .. }), "{e}");
    // Duplicate tensor names.
    let bytes = GgufWriter::new()
        .tensor("w", &[32], GgmlType::F32)
        .tensor("w", &[32], GgmlType::F32)
        .to_bytes();
    assert!(matches!(err(&bytes).root(), GgufError::DuplicateTensor { name, .. } if name == "w"));
}

#[test]
fn alignment_rules() {
    let base = || {
        GgufWriter::new()
            .kv("general.architecture", s("llama"))
            .tensor("a", &[3], GgmlType::F32)
            .tensor("b", &[5], GgmlType::F32)
    };
    for a in [1u32, 8, 64, 4096] {
        let f = parse(&base().kv("general.alignment", Value::U32(a)).to_bytes()).unwrap();
        assert_eq!(f.alignment, u64::from(a));
        assert_eq!(f.data_offset % u64::from(a), 0);
        assert_eq!(f.tensors[1].offset, 12u64.div_ceil(a.into()) * u64::from(a));
    }
    let f = parse(&base().to_bytes()).unwrap();
    assert_eq!(f.alignment, 32);
    for a in [0u32, 3, 24, 48] {
        let mut b = Bytes::new(false);
        b.header(3, 0, 2)
            .kv("general.architecture", &s("llama"))
            .kv("general.alignment", &Value::U32(a));
        let e = err(&b.buf);
        assert!(
            matches!(e.root(), GgufError::BadAlignment { value, offset: 69 } if *value == u64::from(a)),
            "{e}"
        );
    }
    let mut b = Bytes::new(false);
    b.header(3, 0, 1).kv("general.alignment", &Value::I32(32));
    let e = err(&b.buf);
    assert!(
        matches!(e.root(), GgufError::AlignmentType { found, .. } if found == "INT32"),
        "{e}"
    );
}
