#!/usr/bin/env bash
# Build and test the WebAssembly packages from a fresh machine; quick when everything is
# already there. Exits non-zero on any failure.
#
#   wasm/scripts/test.sh            install what is missing, build, run every test
#   wasm/scripts/test.sh --bench    ... then print the benchmark (evaluations per second)
#
# Installs when missing: the wasm32-unknown-unknown target and wasm-bindgen-cli at the
# version locked in Cargo.lock (both through build.sh), the npm dev dependencies (`npm ci`
# from the committed package-lock.json), Chromium and a CJK font (apt-get, as root) for the
# end-to-end test. Then: build.sh, the binding's Rust unit tests, clippy, and the Node tests
# (API, dropout cases and finance, the conformance corpora — evaluation, malformed input,
# dropout, finance — on both packages, TypeScript types, size budget, the checker page in
# headless Chromium).
#
# Environment: CHROMIUM (default /usr/bin/chromium), CARGO_TARGET_DIR (default
# <repo>/target/wasm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
bench=false
for arg in "$@"; do
  case "$arg" in
    --bench) bench=true ;;
    *) echo "usage: $0 [--bench]" >&2; exit 2 ;;
  esac
done

say() { printf '\n== %s\n' "$*" >&2; }

for tool in cargo rustup node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test.sh: $tool is required (Rust via rustup, Node.js >= 20)" >&2; exit 1; }
done

# apt-get, only as root and only when something is missing; `apt-get update` once, first.
apt_updated=false
apt_install() {
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: cannot install $* (needs apt-get as root)" >&2
    return 1
  fi
  if [[ "$apt_updated" == false ]]; then
    apt-get update -q >/dev/null
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# 1. npm dev dependencies (typescript, playwright-core), from the lock file.
lock_stamp="$here/node_modules/.package-lock.sha256"
lock_hash="$(sha256sum "$here/package-lock.json" | awk '{ print $1 }')"
if [[ ! -f "$lock_stamp" || "$(cat "$lock_stamp")" != "$lock_hash" ]]; then
  say "npm ci"
  (cd "$here" && npm ci --no-audit --no-fund)
  echo "$lock_hash" >"$lock_stamp"
fi

# 2. Chromium and a font with Chinese glyphs for the end-to-end test. The test skips (and
#    says why) only when Chromium is absent and could not be installed here.
if [[ ! -x "$chromium" ]]; then
  say "installing chromium"
  apt_install chromium || echo "test.sh: Chromium is not available; the e2e test will be skipped" >&2
fi
if command -v fc-list >/dev/null 2>&1 && [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]; then
  say "installing a CJK font (screenshots would show boxes for Chinese)"
  apt_install fonts-wqy-zenhei || echo "test.sh: no CJK font; Chinese will not render in screenshots" >&2
fi

# 3. Build (adds the Rust target and wasm-bindgen-cli at the locked version when missing).
say "build.sh"
"$here/build.sh"

# 4. The binding's own Rust tests and lints.
say "cargo test -p eduaid-wasm; cargo clippy -p eduaid-wasm --target wasm32-unknown-unknown"
(cd "$root" && cargo test -q -p eduaid-wasm)
(cd "$root" && cargo clippy -q --no-deps -p eduaid-wasm --target wasm32-unknown-unknown -- -D warnings)

# 5. The Node tests, the end-to-end test included.
say "node --test tests/"
(cd "$here" && CHROMIUM="$chromium" node --test --test-reporter=spec tests/)

if [[ "$bench" == true ]]; then
  say "benchmark"
  (cd "$here" && node bench/bench.mjs)
fi
say "all wasm tests passed"
