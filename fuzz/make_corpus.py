#!/usr/bin/env python3
"""Builds the starting corpus of each fuzz target under fuzz/corpus/<target>/ from the
repository's fixtures (tests/fixtures) and the small hand-written seeds in fuzz/seeds/<target>/.

GGUF fixtures are megabytes, almost all of it tensor data and vocabulary the fuzzer need not
carry: a seed is the file's header (when it is at most MAX_SEED bytes) behind the 8-byte real
file size the targets read first, so the tensors still lie inside a file of the real size.
Standard library only; run by tools/fuzz.sh. Existing corpus files are kept (the fuzzer's finds).
"""

import hashlib
import json
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "fuzz" / "seeds"
MAX_SEED = 64 << 10

SCALAR = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def gguf_header_len(b: bytes):
    """The header's length padded to its alignment (where tensor data starts), or None."""
    if b[:4] != b"GGUF" or struct.unpack_from("<I", b, 4)[0] not in (2, 3):
        return None
    pos = 8
    n_tensors, n_kv = struct.unpack_from("<QQ", b, pos)
    pos += 16
    align = 32

    def string(pos):
        (n,) = struct.unpack_from("<Q", b, pos)
        return pos + 8 + n, b[pos + 8 : pos + 8 + n]

    def value(pos, t):
        if t in SCALAR:
            return pos + SCALAR[t], None
        if t == 8:
            return string(pos)
        if t == 9:
            et, n = struct.unpack_from("<IQ", b, pos)
            pos += 12
            if et in SCALAR:
                return pos + n * SCALAR[et], None
            for _ in range(n):
                pos, _ = value(pos, et)
            return pos, None
        raise ValueError(t)

    for _ in range(n_kv):
        pos, key = string(pos)
        (t,) = struct.unpack_from("<I", b, pos)
        start = pos + 4
        pos, _ = value(start, t)
        if key == b"general.alignment" and t == 4:
            (align,) = struct.unpack_from("<I", b, start)
    for _ in range(n_tensors):
        pos, _ = string(pos)
        (nd,) = struct.unpack_from("<I", b, pos)
        pos += 4 + 8 * nd + 4 + 8
    if pos > len(b):
        return None
    return (pos + align - 1) // align * align


def put(target: str, data: bytes) -> None:
    d = ROOT / "fuzz" / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def server_script(file: bytes, size: int) -> bytes:
    # FakeServer: quirk 1 (the claimed total) with the real size, no request singled out.
    return bytes([0b10, 0x7F]) + struct.pack("<Q", size) + file


def main() -> int:
    n = 0
    for f in sorted(FIX.glob("gguf/**/*.gguf")):
        b = f.read_bytes()
        try:
            h = gguf_header_len(b)
        except (ValueError, struct.error):
            h = None
        head = b[: min(h, len(b))] if h else b
        if len(head) > MAX_SEED:
            continue
        size = len(b)
        put("gguf_local", struct.pack("<Q", size) + head)
        put("gguf_remote", server_script(head, size))
        n += 1
    replies = {
        "api_version": 0,
        "api_tags": 1,
        "api_ps": 2,
        "api_show": 3,
        "api_generate": 4,
    }
    for f in sorted((FIX / "ollama").glob("api_*")):
        which = next(v for k, v in replies.items() if f.name.startswith(k))
        for body in (
            f.read_bytes().splitlines() if f.suffix == ".ndjson" else [f.read_bytes()]
        ):
            put("ollama_api", bytes([which]) + body)
            if f.name.startswith("api_show"):
                mf = json.loads(body).get("modelfile")
                if mf:
                    put("modelfile", mf.encode())
    for f in sorted((FIX / "llamacpp" / "server").glob("completion_*.json")):
        put("llama_server", bytes([3]) + f.read_bytes())
    for f in sorted((FIX / "ollama" / "modelfiles").iterdir()):
        put("modelfile", f.read_bytes())
    # Store manifests: the model layer's digest becomes @0 (a small blob), the others @1…
    blobs = {
        "model": b"GGUF\x03\x00\x00\x00" + bytes(16),
        "params": b'{"num_ctx":8192,"stop":["<|im_end|>"],"temperature":0.7}',
        "template": b"{{ .Prompt }}",
        "system": b"You are a helpful assistant.",
        "license": b"MIT",
        "messages": b'[{"role":"user","content":"hi"}]',
    }
    for f in sorted((FIX / "ollama" / "manifests").glob("**/*.json")):
        m = json.loads(f.read_bytes())
        parts = []
        for layer in [m.get("config")] + m.get("layers", []):
            if not layer:
                continue
            kind = layer["mediaType"].rsplit(".", 1)[-1]
            blob = blobs.get(kind, b'{"model_format":"gguf","model_family":"llama"}')
            layer["digest"] = f"@{len(parts)}"
            layer["size"] = len(blob)
            parts.append(blob)
        put("ollama_manifest", b"\x00".join([json.dumps(m).encode()] + parts))
    for f in sorted(SEEDS.glob("*/*")):
        put(f.parent.name, f.read_bytes())
    print(f"corpora built under fuzz/corpus ({n} GGUF headers)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
