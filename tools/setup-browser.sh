#!/usr/bin/env bash
# Sets up what the browser test (crates/cabe/tests/browser.rs, tests/browser/page.mjs) needs,
# outside the checkout: Debian's `chromium` (apt, as root; skipped when /usr/bin/chromium is
# there) and the npm package `playwright-core` (the Playwright library without its browser
# downloads) pinned, under ${CABE_NODE:-${CABE_CACHE:-~/.cache/cabe}/node}. Idempotent: with
# both in place it only checks the pin. Prints two lines on stdout:
#   CABE_CHROMIUM=/usr/bin/chromium
#   CABE_PLAYWRIGHT=<dir of node_modules/playwright-core>
# (tools/test.sh exports them; the test reads them).
#
#   tools/setup-browser.sh
set -euo pipefail

PLAYWRIGHT_VERSION="1.65.2"   # latest on npm (`npm view playwright-core version`); needs Node 20+
PLAYWRIGHT_NODE18="1.61.1"    # the newest that runs on Node 18 (Debian 12's nodejs); the test passes with it too
CACHE="${CABE_CACHE:-$HOME/.cache/cabe}"
NODE_DIR="${CABE_NODE:-$CACHE/node}"
CHROMIUM="${CABE_CHROMIUM:-/usr/bin/chromium}"

apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "setup-browser: $* missing and not root: install it (apt-get install -y $*)" >&2
        exit 1
    fi
    echo "setup-browser: apt-get install -y $*" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

if [ ! -x "$CHROMIUM" ]; then
    apt_install chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
    echo "setup-browser: playwright-core needs Node 18 or newer; this is $(node --version)" >&2
    exit 1
elif [ "$major" -lt 20 ]; then
    PLAYWRIGHT_VERSION="$PLAYWRIGHT_NODE18"
fi

PW="$NODE_DIR/node_modules/playwright-core"
have="$(node -p "require('$PW/package.json').version" 2>/dev/null || true)"
if [ "$have" != "$PLAYWRIGHT_VERSION" ]; then
    echo "setup-browser: installing playwright-core@$PLAYWRIGHT_VERSION into $NODE_DIR" >&2
    mkdir -p "$NODE_DIR"
    # Its own package.json, so npm never walks up into the checkout.
    [ -f "$NODE_DIR/package.json" ] || echo '{"private": true}' > "$NODE_DIR/package.json"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$NODE_DIR" --no-audit --no-fund \
        --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >&2
fi

echo "CABE_CHROMIUM=$CHROMIUM"
echo "CABE_PLAYWRIGHT=$PW"
