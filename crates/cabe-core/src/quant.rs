//! ggml tensor types, whole-file types (LLAMA_FTYPE) and KV cache types.
//!
//! Block sizes and bytes per block are those of `ggml/src/ggml-common.h` (the block structs and
//! their static_asserts) and `ggml/src/ggml.c` `type_traits` (gguf-py's
//! `GGML_QUANT_SIZES` agrees, except its stale Q8_1 entry). Ids are the on-disk `ggml_type` values.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One ggml tensor element type, as stored in a GGUF tensor info.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(non_camel_case_types)]
pub enum GgmlType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q8_1,
    Q2_K,
    Q3_K,
    Q4_K,
    Q5_K,
    Q6_K,
    Q8_K,
    IQ2_XXS,
    IQ2_XS,
    IQ3_XXS,
    IQ1_S,
    IQ4_NL,
    IQ3_S,
    IQ2_S,
    IQ4_XS,
    I8,
    I16,
    I32,
    I64,
    F64,
    IQ1_M,
    BF16,
    TQ1_0,
    TQ2_0,
    MXFP4,
    NVFP4,
    Q1_0,
}

/// (type, on-disk id, block size in elements, bytes per block, name as ggml prints it)
const GGML_TYPES: &[(GgmlType, u32, u64, u64, &str)] = &[
    (GgmlType::F32, 0, 1, 4, "F32"),
    (GgmlType::F16, 1, 1, 2, "F16"),
    (GgmlType::Q4_0, 2, 32, 18, "Q4_0"),
    (GgmlType::Q4_1, 3, 32, 20, "Q4_1"),
    (GgmlType::Q5_0, 6, 32, 22, "Q5_0"),
    (GgmlType::Q5_1, 7, 32, 24, "Q5_1"),
    (GgmlType::Q8_0, 8, 32, 34, "Q8_0"),
    // ggml and Ollama use 36 (d, s as f16 + 32 × i8); gguf-py's 40 is stale.
    (GgmlType::Q8_1, 9, 32, 36, "Q8_1"),
    (GgmlType::Q2_K, 10, 256, 84, "Q2_K"),
    (GgmlType::Q3_K, 11, 256, 110, "Q3_K"),
    (GgmlType::Q4_K, 12, 256, 144, "Q4_K"),
    (GgmlType::Q5_K, 13, 256, 176, "Q5_K"),
    (GgmlType::Q6_K, 14, 256, 210, "Q6_K"),
    (GgmlType::Q8_K, 15, 256, 292, "Q8_K"),
    (GgmlType::IQ2_XXS, 16, 256, 66, "IQ2_XXS"),
    (GgmlType::IQ2_XS, 17, 256, 74, "IQ2_XS"),
    (GgmlType::IQ3_XXS, 18, 256, 98, "IQ3_XXS"),
    (GgmlType::IQ1_S, 19, 256, 50, "IQ1_S"),
    (GgmlType::IQ4_NL, 20, 32, 18, "IQ4_NL"),
    (GgmlType::IQ3_S, 21, 256, 110, "IQ3_S"),
    (GgmlType::IQ2_S, 22, 256, 82, "IQ2_S"),
    (GgmlType::IQ4_XS, 23, 256, 136, "IQ4_XS"),
    (GgmlType::I8, 24, 1, 1, "I8"),
    (GgmlType::I16, 25, 1, 2, "I16"),
    (GgmlType::I32, 26, 1, 4, "I32"),
    (GgmlType::I64, 27, 1, 8, "I64"),
    (GgmlType::F64, 28, 1, 8, "F64"),
    (GgmlType::IQ1_M, 29, 256, 56, "IQ1_M"),
    (GgmlType::BF16, 30, 1, 2, "BF16"),
    // 31–33 (Q4_0_4_4/4_8/8_8) and 36–38 (IQ4_NL_4_4/…) were removed from ggml.
    (GgmlType::TQ1_0, 34, 256, 54, "TQ1_0"),
    (GgmlType::TQ2_0, 35, 256, 66, "TQ2_0"),
    (GgmlType::MXFP4, 39, 32, 17, "MXFP4"),
    (GgmlType::NVFP4, 40, 64, 36, "NVFP4"),
    (GgmlType::Q1_0, 41, 128, 18, "Q1_0"),
];

/// Ids ggml once had and removed; files using them no longer load in llama.cpp.
const REMOVED_TYPE_IDS: &[(u32, &str)] = &[
    (4, "Q4_2"),
    (5, "Q4_3"),
    (31, "Q4_0_4_4"),
    (32, "Q4_0_4_8"),
    (33, "Q4_0_8_8"),
    (36, "IQ4_NL_4_4"),
    (37, "IQ4_NL_4_8"),
    (38, "IQ4_NL_8_8"),
];

impl GgmlType {
    fn row(self) -> &'static (GgmlType, u32, u64, u64, &'static str) {
        GGML_TYPES
            .iter()
            .find(|r| r.0 == self)
            .expect("every variant is in GGML_TYPES")
    }

    /// All known types, in id order.
    pub fn all() -> impl Iterator<Item = GgmlType> {
        GGML_TYPES.iter().map(|r| r.0)
    }

    /// The type for an on-disk id, or `None` for an unknown or removed id.
    pub fn from_id(id: u32) -> Option<GgmlType> {
        GGML_TYPES.iter().find(|r| r.1 == id).map(|r| r.0)
    }

    /// The name of a removed type id, for a precise error message.
    pub fn removed_name(id: u32) -> Option<&'static str> {
        REMOVED_TYPE_IDS.iter().find(|r| r.0 == id).map(|r| r.1)
    }

    pub fn from_name(name: &str) -> Option<GgmlType> {
        GGML_TYPES
            .iter()
            .find(|r| r.4.eq_ignore_ascii_case(name))
            .map(|r| r.0)
    }

    pub fn id(self) -> u32 {
        self.row().1
    }
    /// Elements per block.
    pub fn block_size(self) -> u64 {
        self.row().2
    }
    /// Bytes per block (`sizeof(block_xxx)`).
    pub fn type_size(self) -> u64 {
        self.row().3
    }
    pub fn name(self) -> &'static str {
        self.row().4
    }
    /// Bits per weight: `type_size × 8 / block_size`.
    pub fn bits_per_weight(self) -> f64 {
        self.type_size() as f64 * 8.0 / self.block_size() as f64
    }
    pub fn is_quantized(self) -> bool {
        self.block_size() > 1
    }

    /// Bytes of one row of `n` elements (`ggml_row_size`); `None` if `n` is not a whole number
    /// of blocks, which ggml refuses.
    pub fn row_bytes(self, n: u64) -> Option<u64> {
        if !n.is_multiple_of(self.block_size()) {
            return None;
        }
        (n / self.block_size()).checked_mul(self.type_size())
    }

    /// Bytes of a tensor with dims `ne` (ne0 first, as in GGUF), or `None` when ne0 is not a
    /// multiple of the block size or the size overflows u64.
    pub fn tensor_bytes(self, ne: &[u64]) -> Option<u64> {
        let (first, rest) = match ne.split_first() {
            Some(x) => x,
            None => return Some(self.type_size()), // a 0-d tensor holds one element
        };
        let mut bytes = self.row_bytes(*first)?;
        for d in rest {
            bytes = bytes.checked_mul(*d)?;
        }
        Some(bytes)
    }
}

impl fmt::Display for GgmlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A whole-file type (`general.file_type`, LLAMA_FTYPE in `include/llama.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(non_camel_case_types)]
pub enum FileType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q8_0,
    Q5_0,
    Q5_1,
    Q2_K,
    Q3_K_S,
    Q3_K_M,
    Q3_K_L,
    Q4_K_S,
    Q4_K_M,
    Q5_K_S,
    Q5_K_M,
    Q6_K,
    IQ2_XXS,
    IQ2_XS,
    Q2_K_S,
    IQ3_XS,
    IQ3_XXS,
    IQ1_S,
    IQ4_NL,
    IQ3_S,
    IQ3_M,
    IQ2_S,
    IQ2_M,
    IQ4_XS,
    IQ1_M,
    BF16,
    TQ1_0,
    TQ2_0,
    MXFP4_MOE,
}

/// (file type, LLAMA_FTYPE id, name as users write it, the main tensor type llama-quantize uses)
const FILE_TYPES: &[(FileType, u32, &str, GgmlType)] = &[
    (FileType::F32, 0, "F32", GgmlType::F32),
    (FileType::F16, 1, "F16", GgmlType::F16),
    (FileType::Q4_0, 2, "Q4_0", GgmlType::Q4_0),
    (FileType::Q4_1, 3, "Q4_1", GgmlType::Q4_1),
    (FileType::Q8_0, 7, "Q8_0", GgmlType::Q8_0),
    (FileType::Q5_0, 8, "Q5_0", GgmlType::Q5_0),
    (FileType::Q5_1, 9, "Q5_1", GgmlType::Q5_1),
    (FileType::Q2_K, 10, "Q2_K", GgmlType::Q2_K),
    (FileType::Q3_K_S, 11, "Q3_K_S", GgmlType::Q3_K),
    (FileType::Q3_K_M, 12, "Q3_K_M", GgmlType::Q3_K),
    (FileType::Q3_K_L, 13, "Q3_K_L", GgmlType::Q3_K),
    (FileType::Q4_K_S, 14, "Q4_K_S", GgmlType::Q4_K),
    (FileType::Q4_K_M, 15, "Q4_K_M", GgmlType::Q4_K),
    (FileType::Q5_K_S, 16, "Q5_K_S", GgmlType::Q5_K),
    (FileType::Q5_K_M, 17, "Q5_K_M", GgmlType::Q5_K),
    (FileType::Q6_K, 18, "Q6_K", GgmlType::Q6_K),
    (FileType::IQ2_XXS, 19, "IQ2_XXS", GgmlType::IQ2_XXS),
    (FileType::IQ2_XS, 20, "IQ2_XS", GgmlType::IQ2_XS),
    (FileType::Q2_K_S, 21, "Q2_K_S", GgmlType::Q2_K),
    (FileType::IQ3_XS, 22, "IQ3_XS", GgmlType::IQ3_S),
    (FileType::IQ3_XXS, 23, "IQ3_XXS", GgmlType::IQ3_XXS),
    (FileType::IQ1_S, 24, "IQ1_S", GgmlType::IQ1_S),
    (FileType::IQ4_NL, 25, "IQ4_NL", GgmlType::IQ4_NL),
    (FileType::IQ3_S, 26, "IQ3_S", GgmlType::IQ3_S),
    (FileType::IQ3_M, 27, "IQ3_M", GgmlType::IQ3_S),
    (FileType::IQ2_S, 28, "IQ2_S", GgmlType::IQ2_XS),
    (FileType::IQ2_M, 29, "IQ2_M", GgmlType::IQ2_S),
    (FileType::IQ4_XS, 30, "IQ4_XS", GgmlType::IQ4_XS),
    (FileType::IQ1_M, 31, "IQ1_M", GgmlType::IQ1_M),
    (FileType::BF16, 32, "BF16", GgmlType::BF16),
    (FileType::TQ1_0, 36, "TQ1_0", GgmlType::TQ1_0),
    (FileType::TQ2_0, 37, "TQ2_0", GgmlType::TQ2_0),
    (FileType::MXFP4_MOE, 38, "MXFP4_MOE", GgmlType::MXFP4),
];

impl FileType {
    fn row(self) -> &'static (FileType, u32, &'static str, GgmlType) {
        FILE_TYPES
            .iter()
            .find(|r| r.0 == self)
            .expect("every variant is in FILE_TYPES")
    }
    pub fn all() -> impl Iterator<Item = FileType> {
        FILE_TYPES.iter().map(|r| r.0)
    }
    pub fn from_id(id: u32) -> Option<FileType> {
        FILE_TYPES.iter().find(|r| r.1 == id).map(|r| r.0)
    }
    /// Parses "Q4_K_M", "q4_k_m", "Q4_K" (= Q4_K_M, as llama-quantize accepts), "fp16".
    pub fn parse(name: &str) -> Option<FileType> {
        let n = name.trim().to_ascii_uppercase().replace('-', "_");
        let n = match n.as_str() {
            "Q4_K" => "Q4_K_M",
            "Q5_K" => "Q5_K_M",
            "Q3_K" => "Q3_K_M",
            "FP16" => "F16",
            "FP32" => "F32",
            "MXFP4" => "MXFP4_MOE",
            other => other,
        };
        FILE_TYPES.iter().find(|r| r.2 == n).map(|r| r.0)
    }
    pub fn id(self) -> u32 {
        self.row().1
    }
    pub fn name(self) -> &'static str {
        self.row().2
    }
    /// The tensor type llama-quantize uses for the bulk of the weights of this file type
    /// (`default_type` in `src/llama-quant.cpp`).
    pub fn base_type(self) -> GgmlType {
        self.row().3
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// KV cache element types llama.cpp accepts for `-ctk` / `-ctv` (`common/arg.cpp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[allow(non_camel_case_types)]
pub enum KvType {
    F32,
    #[default]
    F16,
    Bf16,
    Q8_0,
    Q4_0,
    Q4_1,
    Iq4_nl,
    Q5_0,
    Q5_1,
}

const KV_TYPES: &[(KvType, &str, GgmlType)] = &[
    (KvType::F32, "f32", GgmlType::F32),
    (KvType::F16, "f16", GgmlType::F16),
    (KvType::Bf16, "bf16", GgmlType::BF16),
    (KvType::Q8_0, "q8_0", GgmlType::Q8_0),
    (KvType::Q4_0, "q4_0", GgmlType::Q4_0),
    (KvType::Q4_1, "q4_1", GgmlType::Q4_1),
    (KvType::Iq4_nl, "iq4_nl", GgmlType::IQ4_NL),
    (KvType::Q5_0, "q5_0", GgmlType::Q5_0),
    (KvType::Q5_1, "q5_1", GgmlType::Q5_1),
];

impl KvType {
    pub fn all() -> impl Iterator<Item = KvType> {
        KV_TYPES.iter().map(|r| r.0)
    }
    pub fn parse(name: &str) -> Option<KvType> {
        let n = name.trim().to_ascii_lowercase();
        KV_TYPES.iter().find(|r| r.1 == n).map(|r| r.0)
    }
    pub fn name(self) -> &'static str {
        KV_TYPES.iter().find(|r| r.0 == self).expect("listed").1
    }
    pub fn ggml(self) -> GgmlType {
        KV_TYPES.iter().find(|r| r.0 == self).expect("listed").2
    }
}

impl fmt::Display for KvType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_sizes_match_ggml_common() {
        // Spot checks against ggml-common.h static_asserts.
        assert_eq!(GgmlType::Q4_K.type_size(), 144);
        assert_eq!(GgmlType::Q6_K.type_size(), 210);
        assert_eq!(GgmlType::Q8_0.type_size(), 34);
        assert_eq!(GgmlType::IQ4_XS.type_size(), 136);
        assert_eq!(GgmlType::MXFP4.type_size(), 17);
        assert_eq!(GgmlType::TQ1_0.type_size(), 54);
        assert_eq!(GgmlType::Q4_K.bits_per_weight(), 4.5);
        assert_eq!(GgmlType::Q6_K.bits_per_weight(), 6.5625);
    }

    #[test]
    fn ids_round_trip_and_removed_ids_are_named() {
        for t in GgmlType::all() {
            assert_eq!(GgmlType::from_id(t.id()), Some(t));
            assert_eq!(GgmlType::from_name(t.name()), Some(t));
        }
        assert_eq!(GgmlType::from_id(31), None);
        assert_eq!(GgmlType::removed_name(31), Some("Q4_0_4_4"));
        assert_eq!(GgmlType::from_id(9999), None);
    }

    #[test]
    fn tensor_bytes_refuses_partial_blocks() {
        assert_eq!(GgmlType::Q4_K.tensor_bytes(&[256, 2]), Some(288));
        assert_eq!(GgmlType::Q4_K.tensor_bytes(&[100, 2]), None);
        assert_eq!(GgmlType::F32.tensor_bytes(&[u64::MAX, 2]), None);
    }

    #[test]
    fn file_types_parse() {
        assert_eq!(FileType::parse("q4_k_m"), Some(FileType::Q4_K_M));
        assert_eq!(FileType::parse("Q4_K"), Some(FileType::Q4_K_M));
        assert_eq!(FileType::from_id(15), Some(FileType::Q4_K_M));
        assert_eq!(FileType::parse("nonsense"), None);
        for t in FileType::all() {
            assert_eq!(FileType::from_id(t.id()), Some(t));
            assert_eq!(FileType::parse(t.name()), Some(t));
        }
    }

    #[test]
    fn kv_types_bytes_per_element() {
        let per = |k: KvType| k.ggml().type_size() as f64 / k.ggml().block_size() as f64;
        assert_eq!(per(KvType::Q8_0), 1.0625);
        assert_eq!(per(KvType::Q4_0), 0.5625);
        assert_eq!(per(KvType::Q5_1), 0.75);
        assert_eq!(KvType::parse("iq4_nl"), Some(KvType::Iq4_nl));
    }
}
