#!/usr/bin/env bash
# schemathesis (PyPI), pinned, in its own venv under the cache (its HTTP and pydantic pins are
# kept apart from the mcp package's): crates/cabe/tests/openapi_fuzz.rs runs it against
# `cabe serve`'s published OpenAPI document. Idempotent; prints the schemathesis executable.
set -euo pipefail
VERSION="4.32.5"   # latest on PyPI when added (`pip index versions schemathesis`)
CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
VENV="$CACHE/venv-schemathesis"
PY_BOOT="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$CACHE"
    "$PY_BOOT" -m venv "$VENV"
fi
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $VERSION" ]; then
    echo "installing schemathesis==$VERSION into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/schemathesis"
