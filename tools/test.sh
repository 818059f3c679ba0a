#!/usr/bin/env bash
# The project's one test command (README, .ci/run): sets up what the tests need outside the
# checkout (a Python venv with the PyPI `gguf` and `mcp` packages, the llama.cpp source from the
# llama-cpp-python sdist and its CPU tools built once, Debian's chromium and the npm
# playwright-core, all under ~/.cache/cabe but chromium), then runs every Rust test.
set -euo pipefail
cd "$(dirname "$0")/.."
CABE_CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
export CABE_CACHE

# Python with gguf (the gguf-dump comparison tests) and mcp (the MCP client test).
if [ -z "${CABE_PYTHON:-}" ]; then
  CABE_PYTHON="$(bash tools/setup-python.sh | tail -n 1)"
fi
export CABE_PYTHON

# The llama.cpp source (vocab GGUFs, reference code); not the build, which is `tools/llama-cpp.sh build`.
if [ -z "${CABE_LLAMA_CPP_SRC:-}" ]; then
  CABE_LLAMA_CPP_SRC="$(bash tools/llama-cpp.sh src)"
fi
export CABE_LLAMA_CPP_SRC

# A real llama.cpp (CPU tools) for the tests that run it: built once (5-8 min cold on 2 cores,
# docs/llama-cpp-build.md), then a cache hit in milliseconds.
if [ -z "${CABE_LLAMA_BIN:-}" ]; then
  CABE_LLAMA_BIN="$(bash tools/llama-cpp.sh build | tail -n 1)"
fi
export CABE_LLAMA_BIN
# The same llama.cpp built a second time with GGML_RPC=ON (ggml-rpc-server + llama-completion,
# its own cache dir; about 3.5 min cold on 2 cores) for the split-over-RPC ground truth.
if [ -z "${CABE_LLAMA_RPC_BIN:-}" ]; then
  CABE_LLAMA_RPC_BIN="$(bash tools/llama-cpp.sh build-rpc | tail -n 1)"
fi
export CABE_LLAMA_RPC_BIN
# schemathesis (PyPI, its own venv) for the OpenAPI check of `cabe serve` (about 25 s cold).
if [ -z "${CABE_SCHEMATHESIS:-}" ]; then
  CABE_SCHEMATHESIS="$(bash tools/setup-schemathesis.sh | tail -n 1)"
fi
export CABE_SCHEMATHESIS
export CABE_REQUIRE_LLAMA_CPP=1

# Headless Chromium (Debian's chromium, apt) and playwright-core (npm, under the cache) for the
# browser test of `cabe serve`'s page (crates/cabe/tests/browser.rs); about 30 s cold.
if [ -z "${CABE_CHROMIUM:-}" ] || [ -z "${CABE_PLAYWRIGHT:-}" ]; then
  while IFS='=' read -r k v; do
    case "$k" in
      CABE_CHROMIUM) CABE_CHROMIUM="$v" ;;
      CABE_PLAYWRIGHT) CABE_PLAYWRIGHT="$v" ;;
    esac
  done < <(bash tools/setup-browser.sh)
fi
export CABE_CHROMIUM CABE_PLAYWRIGHT
export CABE_REQUIRE_BROWSER=1

# Tests must not see (or write) a developer's real calibration and bench history.
CABE_DATA_DIR="$(mktemp -d)"
export CABE_DATA_DIR
trap 'rm -rf "$CABE_DATA_DIR"' EXIT

cargo test --workspace --all-targets "$@"

# The fuzz workspace (fuzz/, its own [workspace]) compiles the command line's modules as they
# are: a type check on stable here (about 4 min cold, seconds after) tells a change that breaks
# it without the nightly toolchain and the instrumented build tools/fuzz.sh needs. CI skips it
# (CABE_FUZZ_BUILT_NEXT=1): tools/fuzz.sh builds the same crate right after.
if [ "${CABE_FUZZ_BUILT_NEXT:-0}" != 1 ]; then
  cargo check --quiet --manifest-path fuzz/Cargo.toml --lib --bins
fi
