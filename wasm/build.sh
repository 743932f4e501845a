#!/usr/bin/env bash
# Build the JavaScript packages of eduaid from wasm/ (the `eduaid-wasm` crate):
#
#   wasm/pkg/       ES module for browsers and bundlers (wasm-bindgen --target web):
#                   `import init, { evaluate } from "eduaid"; await init();`
#   wasm/pkg-node/  CommonJS for Node.js (wasm-bindgen --target nodejs), loads synchronously:
#                   `const { evaluate } = require("eduaid-node")` or `import { evaluate } ...`
#
# Both carry the same .wasm, a package.json and TypeScript types (the generated signatures
# with the hand-written data shapes of wasm/types/eduaid.d.ts spliced in).
#
# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock
# (the two share a private ABI); it is installed at that version when missing or different.
# wasm-opt (binaryen) is run when present, never required.
#
# Environment: CARGO_TARGET_DIR (default <repo>/target/wasm), EDUAID_WASM_PROFILE (default
# wasm-release, the size profile of the root Cargo.toml; `release` works too).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
profile="${EDUAID_WASM_PROFILE:-wasm-release}"
target=wasm32-unknown-unknown

say() { printf 'build.sh: %s\n' "$*" >&2; }

# 1. The Rust target.
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  say "adding the $target target"
  rustup target add "$target"
fi

# 2. wasm-bindgen CLI at the locked version.
locked="$(awk '
  $0 == "name = \"wasm-bindgen\"" { want = 1; next }
  want && /^version = / { gsub(/version = |"/, ""); print; exit }
' "$root/Cargo.lock")"
if [[ -z "$locked" ]]; then
  say "no wasm-bindgen in $root/Cargo.lock; run 'cargo generate-lockfile' first"
  exit 1
fi
have="$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)"
if [[ "$have" != "$locked" ]]; then
  say "installing wasm-bindgen-cli $locked (found '${have:-none}')"
  cargo install wasm-bindgen-cli --version "$locked" --force
fi

# 3. The .wasm.
say "cargo build --target $target --profile $profile -p eduaid-wasm"
(cd "$root" && cargo build --target "$target" --profile "$profile" -p eduaid-wasm)
dir="$profile"
[[ "$profile" == "dev" ]] && dir=debug
wasm="$CARGO_TARGET_DIR/$target/$dir/eduaid_wasm.wasm"

# 4. The packages.
version="$(awk -F'"' '/^\[workspace.package\]/ { p = 1 } p && /^version = / { print $2; exit }' "$root/Cargo.toml")"
license="$(awk -F'"' '/^\[workspace.package\]/ { p = 1 } p && /^license = / { print $2; exit }' "$root/Cargo.toml")"

package_json() { # name, description, main, module type
  cat <<EOF
{
  "name": "$1",
  "version": "$version",
  "description": "$2",
  "license": "$license",
  "type": "$4",
  "main": "$3",
  "types": "eduaid.d.ts",
  "files": ["eduaid.js", "eduaid.d.ts", "eduaid_bg.wasm", "eduaid_bg.wasm.d.ts", "README.md"],
  "sideEffects": ["./snippets/*"],
  "keywords": ["education", "student-aid", "policy-as-code", "wasm"]
}
EOF
}

build_package() { # out dir, wasm-bindgen target, npm name, description, module type
  local out="$here/$1"
  rm -rf "$out"
  # The name section (function names for stack traces) is over a third of the file.
  wasm-bindgen --target "$2" --out-dir "$out" --out-name eduaid --remove-name-section \
    --remove-producers-section "$wasm"
  package_json "$3" "$4" eduaid.js "$5" >"$out/package.json"
  cp "$here/README.md" "$out/README.md"
}

# wasm-opt, when present, must leave a module that still works: old binaryen releases
# (e.g. Debian's 108) mangle the externref table wasm-bindgen uses. The result is loaded and
# evaluated with Node before it is kept; otherwise the unoptimised .wasm stays.
optimise() { # out dirs...
  command -v wasm-opt >/dev/null 2>&1 || { say "wasm-opt not found; skipping (optional)"; return 0; }
  local first="$here/$1"
  cp "$first/eduaid_bg.wasm" "$first/eduaid_bg.plain.wasm"
  # The features rustc enables for wasm32-unknown-unknown (rustc --print cfg).
  if wasm-opt -Os --enable-bulk-memory --enable-multivalue --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext \
      "$first/eduaid_bg.plain.wasm" -o "$first/eduaid_bg.wasm" &&
    node -e '
      const e = require(process.argv[1]);
      const a = e.evaluate({stage: "primary", grade: 1, hukou: "rural", household: {statuses: []}}, "2024-10-01");
      if (a.as_of !== "2024-10-01") process.exit(1);' "$here/pkg-node/eduaid.js" 2>/dev/null; then
    for dir in "${@:2}"; do cp "$first/eduaid_bg.wasm" "$here/$dir/eduaid_bg.wasm"; done
    say "wasm-opt $(wasm-opt --version | awk '{ print $3 }'): $(wc -c <"$first/eduaid_bg.plain.wasm") -> $(wc -c <"$first/eduaid_bg.wasm") bytes"
  else
    say "wasm-opt $(wasm-opt --version | awk '{ print $3 }') gave a module that does not work; keeping the unoptimised .wasm"
    cp "$first/eduaid_bg.plain.wasm" "$first/eduaid_bg.wasm"
  fi
  rm -f "$first/eduaid_bg.plain.wasm"
}

build_package pkg web eduaid \
  "China's education student-aid policy as code (WebAssembly, ES module for browsers and bundlers)" module
build_package pkg-node nodejs eduaid-node \
  "China's education student-aid policy as code (WebAssembly, Node.js)" commonjs
optimise pkg-node pkg
say "wrote $here/pkg and $here/pkg-node ($(wc -c <"$here/pkg/eduaid_bg.wasm") bytes of wasm)"

# 5. The checker page evaluates profiles only: it gets its own build without the dropout
#    cases and the finance functions (features `cases`, `finance`), which keeps its .wasm
#    within the size budget. It is a complete static site once www/pkg is beside it.
say "cargo build --target $target --profile $profile -p eduaid-wasm --no-default-features (checker page)"
(cd "$root" && cargo build --target "$target" --profile "$profile" -p eduaid-wasm --no-default-features)
build_package www/pkg web eduaid \
  "China's education student-aid policy as code (WebAssembly, evaluation only, for the checker page)" module
say "wrote $here/www/pkg ($(wc -c <"$here/www/pkg/eduaid_bg.wasm") bytes of wasm; serve wasm/www/ with any static server)"
# Leave the full build as the last one in the target folder, so a later plain build is quick.
(cd "$root" && cargo build --target "$target" --profile "$profile" -p eduaid-wasm)
