#!/usr/bin/env bash
# Creates the Python environment for cabe's comparison tests and benchmarks
# (crates/cabe-gguf/tests/vs_gguf_py.rs, bench/gguf/run.sh) and its MCP client test
# (crates/cabe/tests/mcp.rs, tests/mcp/client.py): a venv at
# ${CABE_VENV:-${CABE_CACHE:-~/.cache/cabe}/venv} with the PyPI `gguf` package (llama.cpp's
# gguf-py) and the PyPI `mcp` package (the official MCP Python SDK) pinned. Idempotent: with the venv in place it only checks the pin. Prints the venv's
# python on the last line of stdout; export it as CABE_PYTHON (the tests and the benchmark also
# find it there by default).
#
#   tools/setup-python.sh
#   CABE_VENV=/other/dir tools/setup-python.sh
set -euo pipefail

GGUF_VERSION="0.19.0"   # latest on PyPI (`pip index versions gguf`); the fixtures' dumps used it too
CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
VENV="${CABE_VENV:-$CACHE/venv}"
PY_BOOT="${PYTHON:-python3}"
MCP_VERSION="2.3.0"     # latest on PyPI (`pip index versions mcp`); needs Python 3.10+
CHECK="import importlib.metadata as m, gguf, mcp; assert m.version('gguf') == '$GGUF_VERSION', m.version('gguf'); assert m.version('mcp') == '$MCP_VERSION', m.version('mcp')"

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating venv at $VENV ($("$PY_BOOT" --version 2>&1))" >&2
    mkdir -p "$(dirname "$VENV")"
    "$PY_BOOT" -m venv "$VENV"
fi

if ! "$VENV/bin/python" -c "$CHECK" 2>/dev/null; then
    echo "installing gguf==$GGUF_VERSION mcp==$MCP_VERSION into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "gguf==$GGUF_VERSION" "mcp==$MCP_VERSION" >&2
    "$VENV/bin/python" -c "$CHECK"
fi

echo "$VENV/bin/python"
