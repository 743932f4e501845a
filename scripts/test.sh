#!/usr/bin/env bash
# Set up everything and run every test: Rust (fmt, clippy, tests with the conformance
# corpus, docs), Python (venv + maturin + pytest + stubtest), WebAssembly (wasm-bindgen +
# node tests + headless Chromium). Installs what is missing; quick when it is all there.
# Usage: scripts/test.sh            (everything)
#        scripts/test.sh rust       (one part: rust | python | wasm | fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("${@:-rust python wasm fuzz}")
parts=(${parts[*]})
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
step() { printf '\n==== %s ====\n' "$*"; }

if want rust; then
  step "rust: format"
  rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy
  cargo fmt --all --check
  step "rust: clippy (warnings are errors)"
  cargo clippy --workspace --exclude eduaid-python --exclude eduaid-wasm --all-targets -- -D warnings 2>&1 | tail -n 20
  step "rust: tests (unit, conformance corpus, properties, doc tests)"
  mkdir -p target
  set +e
  cargo test --workspace --exclude eduaid-python --exclude eduaid-wasm -- --nocapture >target/rust-tests.log 2>&1
  rc=$?
  set -e
  grep -E '^(test result|     Running|conformance|[a-z_ ]+conformance:)' target/rust-tests.log || true
  if [ "$rc" -ne 0 ]; then
    grep -E -A25 '^(failures:|---- |error(\[|:))' target/rust-tests.log | head -n 200
    exit "$rc"
  fi
  step "rust: docs (warnings are errors)"
  RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude eduaid-python --exclude eduaid-wasm --no-deps --quiet
fi

if want python && [ -x python/scripts/test.sh ]; then
  step "python: clippy (warnings are errors)"
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/python" cargo clippy -p eduaid-python --no-deps -- -D warnings 2>&1 | tail -n 20
  step "python"
  python/scripts/test.sh
fi

if want wasm && [ -x wasm/scripts/test.sh ]; then
  step "wasm"
  wasm/scripts/test.sh
fi

if want fuzz && [ -x fuzz/run.sh ]; then
  step "fuzz (short runs)"
  fuzz/run.sh
fi

step "all tests passed"
