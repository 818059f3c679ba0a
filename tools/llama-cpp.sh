#!/usr/bin/env bash
# Builds llama.cpp's CPU tools once and caches them outside the checkout, so that cabe's
# estimates can be checked against what a real llama.cpp allocates.
#
# The llama.cpp source comes from the PyPI sdist of `llama-cpp-python` (it vendors the full
# tree under vendor/llama.cpp), pinned below. Everything lives under $CABE_CACHE:
#
#   $CABE_CACHE/src/llama_cpp_python-<ver>.tar.gz    the sdist (sha256 checked against PyPI)
#   $CABE_CACHE/src/llama_cpp_python-<ver>/          the unpacked sdist
#   $CABE_CACHE/build/llama.cpp-<ver>/               the CMake/Ninja build tree (kept for rebuilds)
#   $CABE_CACHE/llama.cpp-<ver>/bin/                 the installed tools   <- what CI caches
#   $CABE_CACHE/llama.cpp-<ver>/BUILD_INFO           commit, build number, flags, timings
#   $CABE_CACHE/llama.cpp-<ver>/.stamp               written last; a valid stamp = cache hit
#   $CABE_CACHE/venv-build/                          pip's cmake + ninja, only if not on PATH
#
# Usage:
#   tools/llama-cpp.sh [build]   build if needed (cache hit: < 1 s); prints the bin dir last
#   tools/llama-cpp.sh path      print the bin dir; exit 1 with one line if it is not built
#   tools/llama-cpp.sh src       fetch/unpack the sdist if needed; print the llama.cpp source dir
#   tools/llama-cpp.sh info      print BUILD_INFO
#   tools/llama-cpp.sh build-rpc | path-rpc | info-rpc
#                                the same for a second, separate build with GGML_RPC=ON:
#                                ggml-rpc-server and llama-completion only, in
#                                $CABE_CACHE/llama.cpp-<ver>-rpc/bin (build dir
#                                $CABE_CACHE/build/llama.cpp-<ver>-rpc). It exists for the
#                                split-over-RPC ground truth (crates/cabe-truth/src/rpc.rs);
#                                the CPU build above keeps GGML_RPC=OFF, so its binaries and
#                                cache stamp are unchanged.
#
# Environment: LLAMA_CPP_PY_VERSION (default below), CABE_CACHE (default ~/.cache/cabe),
# CABE_PYPI (default https://pypi.org), LLAMA_CPP_JOBS (default nproc).
#
# The build uses GGML_NATIVE=ON (-march=native): the binaries are tuned to, and only run
# on, CPUs with the build host's instruction set. The stamp records the CPU's flags, so a
# cache restored onto a different CPU is rebuilt rather than crashing with SIGILL.
set -euo pipefail

LLAMA_CPP_PY_VERSION="${LLAMA_CPP_PY_VERSION:-0.3.36}"
CABE_CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
CABE_PYPI="${CABE_PYPI:-https://pypi.org}"

# Bump when the recipe below changes in a way that needs a rebuild (invalidates stamps).
RECIPE_REV=1

# Known facts about the pinned sdist, used to check the download and to label the build
# (the sdist's vendor/llama.cpp is a depth-1 git clone, so llama.cpp's own build-info would
# say "build 1"; we pass the real number to CMake instead).
#   sha256: PyPI's digest for llama_cpp_python-0.3.36.tar.gz
#   commit: vendor/llama.cpp/.git (shallow) HEAD = 0c1e57098bba43ac29e6e3b677cdceebdd22334f, which
#           CHANGELOG.md confirms ("## [0.3.36] - feat: update llama.cpp to ggml-org/llama.cpp@0c1e57098")
#   build number: that commit is ggml-org/llama.cpp release tag b11312
declare -A PINNED_SHA256=(
    [0.3.36]=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e
)
declare -A KNOWN_BUILD_NUMBER=(   # full llama.cpp commit -> release build number (tag b<N>)
    [0c1e57098bba43ac29e6e3b677cdceebdd22334f]=11312
)

VER="$LLAMA_CPP_PY_VERSION"
SRC_ROOT="$CABE_CACHE/src/llama_cpp_python-$VER"
TARBALL="$CABE_CACHE/src/llama_cpp_python-$VER.tar.gz"
LLAMA_SRC="$SRC_ROOT/vendor/llama.cpp"
PREFIX="$CABE_CACHE/llama.cpp-$VER"
BIN="$PREFIX/bin"
STAMP="$PREFIX/.stamp"
BUILD_DIR="$CABE_CACHE/build/llama.cpp-$VER"
VENV_BUILD="$CABE_CACHE/venv-build"

# Tools wanted. Each entry is "alt1|alt2": at least one must exist in the source; all
# existing ones are built. Entries marked '?' are optional (absent in older versions).
WANTED=(llama-server llama-bench "llama-cli|llama-completion" llama-quantize "?llama-fit-params" llama-gguf-split)
# Tools that must be in bin/ for the cache to count as complete.
REQUIRED_BINS=(llama-server llama-bench llama-quantize llama-gguf-split)

CMAKE_FLAGS=(
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED_LIBS=OFF           # self-contained binaries: bin/ can be copied/cached alone
    -DGGML_NATIVE=ON                  # the default, stated: -march=native, for honest speed numbers
    -DGGML_CPU=ON
    -DGGML_CUDA=OFF -DGGML_HIP=OFF -DGGML_VULKAN=OFF -DGGML_SYCL=OFF -DGGML_OPENCL=OFF
    -DGGML_METAL=OFF -DGGML_BLAS=OFF -DGGML_RPC=OFF -DGGML_BACKEND_DL=OFF
    -DLLAMA_CURL=OFF                  # deprecated/ignored in this version; kept for older pins
    -DLLAMA_OPENSSL=OFF               # no HTTPS in cpp-httplib: no libssl dependency
    -DLLAMA_LLGUIDANCE=OFF            # would fetch a Rust crate
    -DLLAMA_BUILD_UI=OFF              # no npm
    -DLLAMA_USE_PREBUILT_UI=OFF       # no Hugging Face download of the web UI (server serves none)
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_COMMON=ON
    -DLLAMA_ALL_WARNINGS=OFF          # -Wall etc. only add noise (no effect on code generation)
    -DFETCHCONTENT_FULLY_DISCONNECTED=ON
)

# The RPC variant: same source, same flags except GGML_RPC=ON, its own build tree, bin dir
# and stamp. Only the targets the split check runs: the server (tools/rpc/CMakeLists.txt names
# the target ggml-rpc-server in this version; older versions called it rpc-server) and
# llama-completion, the front end crates/cabe-truth loads through (`-n 0`: load, build the
# context, reserve the compute graph, exit).
# Cold build (fresh build dir) on this 2-core host, -j2 under nice -n 19 while a cargo build
# shared the cores: 199 s (configure 1 s, 139 ninja steps in 198 s); a cache hit: ~10 ms.
VERSION_TOOL=llama-bench
case "${1:-build}" in
    build-rpc|path-rpc|info-rpc)
        PREFIX="$CABE_CACHE/llama.cpp-$VER-rpc"
        BIN="$PREFIX/bin"
        STAMP="$PREFIX/.stamp"
        BUILD_DIR="$CABE_CACHE/build/llama.cpp-$VER-rpc"
        WANTED=("ggml-rpc-server|rpc-server" llama-completion)
        REQUIRED_BINS=(llama-completion)
        VERSION_TOOL=llama-completion
        for i in "${!CMAKE_FLAGS[@]}"; do
            [ "${CMAKE_FLAGS[$i]}" = -DGGML_RPC=OFF ] && CMAKE_FLAGS[i]=-DGGML_RPC=ON
        done
        ;;
esac

log() { echo "llama-cpp.sh: $*" >&2; }
die() { echo "llama-cpp.sh: error: $*" >&2; exit 1; }

cpu_fingerprint() {
    # What -march=native depends on. Cheap: no compiler call.
    local f=""
    if [ -r /proc/cpuinfo ]; then
        f="$(grep -m1 -E '^(flags|Features)[[:space:]]*:' /proc/cpuinfo || true)"
    fi
    printf '%s %s' "$(uname -sm)" "$f" | sha256sum | cut -c1-16
}

# Everything that decides whether a cached bin/ is usable here. Must stay fast.
cache_key() {
    printf 'rev=%s ver=%s cpu=%s flags=%s' "$RECIPE_REV" "$VER" "$(cpu_fingerprint)" "${CMAKE_FLAGS[*]}" \
        | sha256sum | cut -c1-32
}

is_built() {
    [ -f "$STAMP" ] || return 1
    [ "$(head -n1 "$STAMP")" = "$(cache_key)" ] || return 1
    local b
    for b in "${REQUIRED_BINS[@]}"; do [ -x "$BIN/$b" ] || return 1; done
    [ -x "$BIN/llama-cli" ] || [ -x "$BIN/llama-completion" ] || return 1
    if [ "$VERSION_TOOL" = llama-completion ]; then
        [ -x "$BIN/ggml-rpc-server" ] || [ -x "$BIN/rpc-server" ] || return 1
    fi
}

# ---------------------------------------------------------------- source

# Prints "URL SHA256" of the sdist, from PyPI's JSON API (per-version endpoint, else the
# project endpoint's releases[VER]); relative URLs (mirrors) are resolved against the API URL.
pypi_sdist() {
    python3 - "$CABE_PYPI" "$VER" <<'PY'
import json, sys, urllib.request, urllib.parse
base, ver = sys.argv[1].rstrip("/"), sys.argv[2]
tries = [(f"{base}/pypi/llama-cpp-python/{ver}/json", lambda d: d["urls"]),
         (f"{base}/pypi/llama-cpp-python/json", lambda d: d["releases"][ver])]
err = None
for url, pick in tries:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            files = pick(json.load(r))
        for f in files:
            if f["packagetype"] == "sdist":
                print(urllib.parse.urljoin(url, f["url"]), f["digests"]["sha256"])
                sys.exit(0)
        err = f"no sdist listed at {url}"
    except Exception as e:  # try the next endpoint
        err = f"{url}: {e}"
sys.exit(f"llama-cpp.sh: error: PyPI lookup failed ({err})")
PY
}

ensure_source() {
    [ -f "$LLAMA_SRC/CMakeLists.txt" ] && return 0
    mkdir -p "$CABE_CACHE/src"
    local url="" sha="" pinned="${PINNED_SHA256[$VER]:-}" got out
    if out="$(pypi_sdist)"; then
        read -r url sha <<<"$out"
        if [ -n "$pinned" ] && [ "$sha" != "$pinned" ]; then
            die "PyPI sha256 for llama_cpp_python-$VER ($sha) differs from the pinned one ($pinned)"
        fi
    elif [ -n "$pinned" ] && [ -f "$TARBALL" ]; then
        log "PyPI unreachable; checking the cached tarball against the pinned sha256"
        sha="$pinned"
    else
        die "cannot find the llama_cpp_python-$VER sdist on $CABE_PYPI"
    fi
    if [ ! -f "$TARBALL" ] || [ "$(sha256sum "$TARBALL" | cut -d' ' -f1)" != "$sha" ]; then
        [ -n "$url" ] || die "cached $TARBALL has a wrong sha256 and PyPI is unreachable"
        log "downloading $url"
        curl -fL --retry 3 --silent --show-error -o "$TARBALL.part" "$url"
        got="$(sha256sum "$TARBALL.part" | cut -d' ' -f1)"
        [ "$got" = "$sha" ] || { rm -f "$TARBALL.part"; die "sha256 mismatch for $url: got $got, want $sha"; }
        mv "$TARBALL.part" "$TARBALL"
    fi
    log "unpacking $TARBALL"
    local tmp
    tmp="$(mktemp -d "$CABE_CACHE/src/.unpack.XXXXXX")"
    tar -xzf "$TARBALL" -C "$tmp"
    [ -f "$tmp/llama_cpp_python-$VER/vendor/llama.cpp/CMakeLists.txt" ] \
        || { rm -rf "$tmp"; die "sdist has no vendor/llama.cpp/CMakeLists.txt"; }
    rm -rf "$SRC_ROOT"
    mv "$tmp/llama_cpp_python-$VER" "$SRC_ROOT"
    rmdir "$tmp"
}

# Sets LLAMA_COMMIT, LLAMA_COMMIT_FULL, LLAMA_BUILD_NUMBER, LLAMA_INFO_SOURCE.
# The sdist ships vendor/llama.cpp as a *shallow* (depth 1) git clone: the commit is exact,
# but `git rev-list --count` says 1, so llama.cpp's own build-info would report build 1.
# The build number therefore comes from KNOWN_BUILD_NUMBER (or git, for a full clone).
llama_identity() {
    LLAMA_COMMIT="" LLAMA_COMMIT_FULL="" LLAMA_BUILD_NUMBER="" LLAMA_INFO_SOURCE=""
    local k changelog_commit=""
    if [ -f "$SRC_ROOT/CHANGELOG.md" ]; then
        # first "llama.cpp@<sha>" in this version's section of llama-cpp-python's changelog
        changelog_commit="$(awk -v v="## [$VER]" '
            index($0, v) == 1 { on = 1; next }
            on && /^## \[/ { exit }
            on && match($0, /llama\.cpp@[0-9a-f]+/) { print substr($0, RSTART + 10, RLENGTH - 10); exit }
        ' "$SRC_ROOT/CHANGELOG.md")"
    fi
    if LLAMA_COMMIT_FULL="$(git -C "$LLAMA_SRC" rev-parse --verify -q HEAD 2>/dev/null)" \
        && [ "$(git -C "$LLAMA_SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$LLAMA_SRC" && pwd -P)" ]; then
        LLAMA_COMMIT="${LLAMA_COMMIT_FULL:0:9}"
        LLAMA_INFO_SOURCE="git HEAD of vendor/llama.cpp"
        if [ "$(git -C "$LLAMA_SRC" rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
            LLAMA_BUILD_NUMBER="$(git -C "$LLAMA_SRC" rev-list --count HEAD)"
            LLAMA_INFO_SOURCE="$LLAMA_INFO_SOURCE (full clone: build number = rev-list --count)"
        fi
    elif [ -n "$changelog_commit" ]; then
        LLAMA_COMMIT="${changelog_commit:0:9}"
        LLAMA_COMMIT_FULL=""
        LLAMA_INFO_SOURCE="CHANGELOG.md of llama_cpp_python-$VER"
        for k in "${!KNOWN_BUILD_NUMBER[@]}"; do
            case "$k" in "$changelog_commit"*) LLAMA_COMMIT_FULL="$k" ;; esac
        done
    else
        LLAMA_COMMIT="unknown" LLAMA_COMMIT_FULL=""
        LLAMA_INFO_SOURCE="none (no git, no CHANGELOG entry)"
    fi
    if [ -n "$changelog_commit" ] && [[ "${LLAMA_COMMIT_FULL:-$LLAMA_COMMIT}" != "$changelog_commit"* ]]; then
        log "warning: git says $LLAMA_COMMIT but CHANGELOG.md says $changelog_commit"
    fi
    if [ -z "$LLAMA_BUILD_NUMBER" ] && [ -n "$LLAMA_COMMIT_FULL" ] && [ -n "${KNOWN_BUILD_NUMBER[$LLAMA_COMMIT_FULL]:-}" ]; then
        LLAMA_BUILD_NUMBER="${KNOWN_BUILD_NUMBER[$LLAMA_COMMIT_FULL]}"
        LLAMA_INFO_SOURCE="$LLAMA_INFO_SOURCE; build number from the pinned table in tools/llama-cpp.sh"
    fi
    : "${LLAMA_BUILD_NUMBER:=0}"
}

# ---------------------------------------------------------------- tools

# A tool "runs" if --version exits 0, or --help prints a usage text without crashing
# (llama-quantize has no --version and exits 1 after its usage).
runs_ok() {
    "$1" --version >/dev/null 2>&1 && return 0
    local out rc=0
    out="$("$1" --help 2>&1)" || rc=$?
    [ "$rc" -lt 128 ] && grep -qi 'usage' <<<"$out"
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# Sets CMAKE and NINJA: the system ones if present (cmake >= 3.18), else pip wheels in a venv.
ensure_build_tools() {
    CMAKE="$(command -v cmake || true)"
    NINJA="$(command -v ninja || true)"
    if [ -n "$CMAKE" ]; then
        local v
        v="$("$CMAKE" --version | head -n1 | awk '{print $3}')"
        version_ge "$v" 3.18 || { log "system cmake $v is older than 3.18; using pip's"; CMAKE=""; }
    fi
    if [ -z "$CMAKE" ] || [ -z "$NINJA" ]; then
        if [ ! -x "$VENV_BUILD/bin/cmake" ] || [ ! -x "$VENV_BUILD/bin/ninja" ]; then
            log "installing cmake + ninja (binary wheels) into $VENV_BUILD"
            [ -x "$VENV_BUILD/bin/python" ] || python3 -m venv "$VENV_BUILD"
            "$VENV_BUILD/bin/python" -m pip install --quiet --disable-pip-version-check cmake ninja >&2
        fi
        [ -n "$CMAKE" ] || CMAKE="$VENV_BUILD/bin/cmake"
        [ -n "$NINJA" ] || NINJA="$VENV_BUILD/bin/ninja"
    fi
    command -v c++ >/dev/null || command -v g++ >/dev/null || command -v clang++ >/dev/null \
        || die "no C++ compiler (apt-get install build-essential)"
}

# Prints the CMake targets to build (one per line), checking what this version has.
resolve_targets() {
    local have entry alt found
    have="$(grep -rhoE 'set\(TARGET[[:space:]]+(llama|ggml-rpc|rpc)-[a-z0-9-]+\)' \
            "$LLAMA_SRC/tools" "$LLAMA_SRC/examples" 2>/dev/null \
            | sed -E 's/set\(TARGET[[:space:]]+//; s/\)$//' | sort -u)"
    for entry in "${WANTED[@]}"; do
        local optional=0
        case "$entry" in \?*) optional=1; entry="${entry#\?}" ;; esac
        found=0
        IFS='|' read -ra alts <<<"$entry"
        for alt in "${alts[@]}"; do
            if grep -qxF "$alt" <<<"$have"; then echo "$alt"; found=1; fi
        done
        [ "$found" = 1 ] || [ "$optional" = 1 ] || die "llama.cpp in $VER has no target among: $entry"
    done
}

# ---------------------------------------------------------------- build

do_build() {
    if is_built; then echo "$BIN"; return 0; fi
    mkdir -p "$CABE_CACHE"
    exec 9>"$CABE_CACHE/.llama.cpp-$VER.lock"
    flock 9                                     # one build at a time per version
    if is_built; then echo "$BIN"; return 0; fi  # another process finished it meanwhile

    ensure_source
    ensure_build_tools
    llama_identity
    local targets jobs t0 t1 t2
    mapfile -t targets < <(resolve_targets)
    jobs="${LLAMA_CPP_JOBS:-$(nproc 2>/dev/null || echo 2)}"

    log "llama.cpp from llama_cpp_python-$VER: commit $LLAMA_COMMIT, build $LLAMA_BUILD_NUMBER"
    log "cmake $("$CMAKE" --version | head -n1 | awk '{print $3}') at $CMAKE; ninja $("$NINJA" --version) at $NINJA"
    log "targets: ${targets[*]}; -j$jobs; build dir $BUILD_DIR"
    log "GGML_NATIVE=ON: binaries are tuned to this CPU ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'))"

    local id_flags=()
    if [ "$LLAMA_COMMIT" != "unknown" ]; then
        id_flags=(-DLLAMA_BUILD_COMMIT="$LLAMA_COMMIT" -DLLAMA_BUILD_NUMBER="$LLAMA_BUILD_NUMBER")
    fi

    local fresh=yes
    [ -f "$BUILD_DIR/build.ninja" ] && fresh=no  # incremental: only changed objects rebuild
    t0=$(date +%s)
    mkdir -p "$BUILD_DIR"
    nice -n 10 "$CMAKE" -S "$LLAMA_SRC" -B "$BUILD_DIR" -G Ninja \
        -DCMAKE_MAKE_PROGRAM="$NINJA" "${CMAKE_FLAGS[@]}" "${id_flags[@]}" >&2
    t1=$(date +%s)
    # The full compiler output (tens of thousands of lines of gcc notes) goes to the log;
    # the console gets ninja's progress lines and errors.
    local blog="$BUILD_DIR/build.log" rc
    log "compiling; full log in $blog"
    set +e
    nice -n 10 "$CMAKE" --build "$BUILD_DIR" --config Release -j "$jobs" --target "${targets[@]}" 2>&1 \
        | tee "$blog" | grep --line-buffered -E '^\[[0-9]+/[0-9]+\] |error|FAILED' >&2
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" != 0 ]; then
        tail -n 60 "$blog" >&2
        die "build failed (exit $rc); full log: $blog"
    fi
    t2=$(date +%s)

    # Install: copy into a fresh dir, check every binary runs, then swap it in.
    local stage="$PREFIX.stage" b
    rm -rf "$stage"
    mkdir -p "$stage/bin"
    for b in "${targets[@]}"; do
        [ -x "$BUILD_DIR/bin/$b" ] || die "build produced no $BUILD_DIR/bin/$b"
        cp -p "$BUILD_DIR/bin/$b" "$stage/bin/$b"
    done
    local version_line=""
    for b in "${targets[@]}"; do runs_ok "$stage/bin/$b" || die "$stage/bin/$b does not run (--version / --help)"; done
    version_line="$("$stage/bin/$VERSION_TOOL" --version 2>&1 | grep -m1 '^version' || true)"

    {
        echo "llama_cpp_python_version=$VER"
        echo "llama_cpp_commit=$LLAMA_COMMIT"
        echo "llama_cpp_commit_full=${LLAMA_COMMIT_FULL:-unknown}"
        echo "llama_cpp_build_number=$LLAMA_BUILD_NUMBER"
        echo "llama_cpp_release_tag=$([ "$LLAMA_BUILD_NUMBER" != 0 ] && echo "b$LLAMA_BUILD_NUMBER" || echo unknown)"
        echo "identity_source=$LLAMA_INFO_SOURCE"
        echo "version_output=$version_line"
        echo "sdist_sha256=$( [ -f "$TARBALL" ] && sha256sum "$TARBALL" | cut -d' ' -f1 || echo unknown)"
        echo "targets=${targets[*]}"
        echo "cmake_flags=${CMAKE_FLAGS[*]} ${id_flags[*]}"
        echo "ggml_native=ON"
        echo "cpu_model=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
        echo "cpu_fingerprint=$(cpu_fingerprint)"
        echo "compiler=$(grep -m1 '^CMAKE_CXX_COMPILER:' "$BUILD_DIR/CMakeCache.txt" | cut -d= -f2-) $( (c++ --version 2>/dev/null || true) | head -n1)"
        echo "cmake=$("$CMAKE" --version | head -n1)"
        echo "jobs=$jobs"
        echo "nproc=$(nproc 2>/dev/null || echo '?')"
        echo "build_dir_fresh=$fresh"      # yes = a cold build; the timings below are for it
        echo "configure_wall_s=$((t1 - t0))"
        echo "build_wall_s=$((t2 - t1))"
        echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "host=$(uname -srm)"
    } >"$stage/BUILD_INFO"
    cache_key >"$stage/.stamp"              # written last: marks the stage complete

    rm -rf "$PREFIX.old"
    [ -e "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
    mv "$stage" "$PREFIX"
    rm -rf "$PREFIX.old"
    log "built in $((t2 - t0)) s (configure $((t1 - t0)) s, compile+link $((t2 - t1)) s; fresh build dir: $fresh)"
    echo "$BIN"
}

case "${1:-build}" in
    build|build-rpc) do_build ;;
    path|path-rpc)
        is_built || { echo "llama-cpp.sh: llama.cpp $VER is not built for this CPU/recipe under $PREFIX; run tools/llama-cpp.sh ${1/path/build}" >&2; exit 1; }
        echo "$BIN" ;;
    src)
        ensure_source
        echo "$LLAMA_SRC" ;;
    info|info-rpc)
        [ -f "$PREFIX/BUILD_INFO" ] || { echo "llama-cpp.sh: no $PREFIX/BUILD_INFO; run tools/llama-cpp.sh ${1/info/build}" >&2; exit 1; }
        cat "$PREFIX/BUILD_INFO" ;;
    -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
    *) die "unknown subcommand '$1' (build | path | src | info | build-rpc | path-rpc | info-rpc)" ;;
esac
