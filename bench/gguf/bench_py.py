#!/usr/bin/env python3
"""Times gguf-py's GGUFReader on one file: `bench_py.py FILE N`. Prints one JSON line.

GGUFReader(path) parses the whole header (magic, KVs, tensor infos) into numpy views — the
same work cabe-gguf's read_path does (which also decodes every string to UTF-8)."""
import json
import sys
import time

from gguf import GGUFReader


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    times = []
    for _ in range(n):
        t = time.perf_counter()
        GGUFReader(path)
        times.append(time.perf_counter() - t)
    times_sorted = sorted(times)
    r = GGUFReader(path)
    arrays = sum(len(f.data) for f in list(r.fields.values())[3:] if f.types and f.types[0].name == "ARRAY")
    print(json.dumps({
        "reader": "gguf-py GGUFReader",
        "file": path,
        "iterations": n,
        "best_s": times_sorted[0],
        "median_s": times_sorted[len(times) // 2],
        "mean_s": sum(times) / n,
        "kv_count": len(r.fields) - 3,
        "array_elements": arrays,
        "tensor_count": len(r.tensors),
        "data_offset": int(r.data_offset),
    }))


if __name__ == "__main__":
    main()
