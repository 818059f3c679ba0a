#!/usr/bin/env python3
"""Dump GGUF headers as JSON using gguf-py (PyPI `gguf`, llama.cpp's own Python reader).

    gguf_dump_json.py FILE...            one compact JSON object per line, per file
    gguf_dump_json.py --pretty FILE      indented

Each object:
    {"file": path,
     "version": 3, "endian": "LITTLE"|"BIG", "alignment": 32, "data_offset": N,
     "keys": [key, ...],                      # metadata keys in file order
     "metadata": {key: value},                # arrays as lists (nested arrays nested),
                                              # strings decoded as UTF-8, bools as true/false,
                                              # floats (FLOAT32/64) as their Python repr() in a
                                              # string ("1e-05", "nan", "-inf") so they compare
                                              # exactly (JSON number parsers may round)
     "types": {key: "UINT32" | "ARRAY[STRING]" | ...},
     "tensors": [{"name", "dims" (GGUF order: ne0 first), "type" (ggml type id),
                  "offset" (relative to the data section), "n_bytes"}]}
or, when gguf-py refuses the file: {"file": path, "error": "ExceptionType: message"}.

Exit status: 0 when every file was dumped or refused, 3 when `import gguf` fails (run
tools/setup-python.sh), 2 on usage errors. Used by crates/cabe-gguf/tests/vs_gguf_py.rs.
"""

import json
import sys

try:
    import gguf
    from gguf import GGUFReader, GGUFValueType
except Exception as e:  # noqa: BLE001
    print(f"import gguf failed: {e!r}; run tools/setup-python.sh", file=sys.stderr)
    sys.exit(3)

# The pseudo-fields GGUFReader puts first (not metadata).
_PSEUDO = 3  # GGUF.version, GGUF.tensor_count, GGUF.kv_count


def _scalar(x, t):
    if t in (GGUFValueType.FLOAT32, GGUFValueType.FLOAT64):
        # repr() of the exact value (a float32 widens to float64 exactly): shortest text that
        # parses back to the same float64, so a reader can compare bit for bit.
        return repr(float(x))
    if t == GGUFValueType.BOOL:
        return bool(x)
    return int(x)


def _walk(parts, i, t):
    """Decode one value of type t starting at parts[i]; return (value, type name, next i).

    GGUFReader keeps a field's raw numpy parts: a string is [len, bytes]; an array is
    [elem type, count, element parts...]; a scalar is one part. (ReaderField.contents()
    flattens nested arrays, so walk the parts instead.)"""
    if t == GGUFValueType.STRING:
        return bytes(parts[i + 1]).decode("utf-8"), "STRING", i + 2
    if t == GGUFValueType.ARRAY:
        et = GGUFValueType(int(parts[i][0]))
        n = int(parts[i + 1][0])
        i += 2
        # Fast paths for the big tokenizer arrays (same result as the generic loop below).
        if et == GGUFValueType.STRING:
            out = [bytes(parts[k]).decode("utf-8") for k in range(i + 1, i + 2 * n, 2)]
            return out, "ARRAY[STRING]", i + 2 * n
        if et not in (GGUFValueType.ARRAY, GGUFValueType.FLOAT32, GGUFValueType.FLOAT64):
            conv = bool if et == GGUFValueType.BOOL else int
            out = [conv(p[0]) for p in parts[i : i + n]]
            return out, f"ARRAY[{et.name}]", i + n
        out = []
        for _ in range(n):
            v, _tn, i = _walk(parts, i, et)
            out.append(v)
        return out, f"ARRAY[{et.name}]", i
    return _scalar(parts[i][0], t), t.name, i + 1


def dump(path):
    try:
        r = GGUFReader(path)
    except Exception as e:  # noqa: BLE001 - report any refusal
        msg = str(e).replace("\n", " ")
        return {"file": path, "error": f"{type(e).__name__}: {msg}"}
    fields = list(r.fields.values())
    version = int(fields[0].parts[0][0])
    keys, metadata, types = [], {}, {}
    for f in fields[_PSEUDO:]:
        t = GGUFValueType(int(f.parts[2][0]))
        v, tn, end = _walk(f.parts, 3, t)
        assert end == len(f.parts), f"{f.name}: decoded {end} of {len(f.parts)} parts"
        keys.append(f.name)
        metadata[f.name] = v
        types[f.name] = tn
    tensors = [
        {
            "name": t.name,
            "dims": [int(d) for d in t.shape],  # ReaderTensor.shape is the GGUF dims (ne0 first)
            "type": int(t.tensor_type),
            "offset": int(t.field.parts[5][0]),
            "n_bytes": int(t.n_bytes),
        }
        for t in r.tensors
    ]
    return {
        "file": path,
        "gguf_py": getattr(gguf, "__version__", None) or _dist_version(),
        "version": version,
        "endian": r.endianess.name,
        "alignment": int(r.alignment),
        "data_offset": int(r.data_offset),
        "keys": keys,
        "metadata": metadata,
        "types": types,
        "tensors": tensors,
    }


def _dist_version():
    try:
        from importlib.metadata import version

        return version("gguf")
    except Exception:  # noqa: BLE001
        return None


def main(argv):
    pretty = "--pretty" in argv
    files = [a for a in argv if a != "--pretty"]
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    for p in files:
        out = dump(p)
        print(json.dumps(out, ensure_ascii=False, indent=1 if pretty else None, allow_nan=False))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
