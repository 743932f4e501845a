#!/usr/bin/env bash
# Short fuzz runs of every target (issue 8): builds the fuzz targets, runs each for
# ${FUZZ_SECONDS:-30} seconds from its seeds (fuzz/corpus/<target>/, kept in the repo; new
# inputs go to a scratch corpus, not into the repo), prints per target the executions and
# any finding, and exits non-zero on a crash. See README.md for longer runs.
#
#   fuzz/run.sh                       every target, 30 s each
#   FUZZ_SECONDS=600 fuzz/run.sh overlay evaluate
#
# cargo-fuzz passes nightly -Z flags; the stable toolchain accepts them with
# RUSTC_BOOTSTRAP=1. The library has no unsafe code, so the targets are built without a
# sanitizer, but with debug assertions and overflow checks (-a): an arithmetic overflow on
# outside data is a finding.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
SECONDS_EACH="${FUZZ_SECONDS:-30}"
TARGETS=("$@")
if [ "${#TARGETS[@]}" -eq 0 ]; then
  TARGETS=(profile_json roster_csv overlay evaluate case_events registry_rows requests)
fi
FLAGS=(-O -a -s none)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

echo "building ${#TARGETS[@]} fuzz targets"
if ! cargo fuzz build "${FLAGS[@]}" >"${TMPDIR:-/tmp}/eduaid-fuzz-build.log" 2>&1; then
  grep -E -A12 '^error' "${TMPDIR:-/tmp}/eduaid-fuzz-build.log" | head -n 60
  exit 1
fi
BIN="target/x86_64-unknown-linux-gnu/release"

WORK="${FUZZ_WORK:-$(mktemp -d)}"
status=0
summary=()
for t in "${TARGETS[@]}"; do
  mkdir -p "$WORK/$t" "corpus/$t" "artifacts/$t"
  log="$WORK/$t.log"
  # The binary directly (cargo fuzz run would rebuild when the library changes meanwhile).
  set +e
  "$BIN/$t" -artifact_prefix="artifacts/$t/" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$WORK/$t" "corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' | tail -n1 || true)
  [ -n "$runs" ] || runs=$(grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n1 || true)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n1 | grep -Eo '[0-9]+' || true)
  if [ "$rc" -eq 0 ]; then
    line="$t: ${runs:-?} executions, coverage ${cov:-?}, no finding"
  else
    status=1
    artifact=$(grep -Eo 'artifacts/[^ ]+' "$log" | tail -n1 || true)
    line="$t: FINDING after ${runs:-?} executions (exit $rc) ${artifact:+-> fuzz/$artifact}"
    if grep -q "panicked at" "$log"; then
      grep -E -m1 -A3 "panicked at" "$log" | sed 's/^/    /'
    else
      grep -E -m1 -A8 "==[0-9]+== ERROR|ALARM: working on the last Unit|out-of-memory|deadly signal" "$log" \
        | sed 's/^/    /' || tail -n 30 "$log"
    fi
  fi
  echo "$line"
  summary+=("$line")
done

echo
echo "fuzz summary (${SECONDS_EACH}s per target):"
printf '  %s\n' "${summary[@]}"
if [ -z "${FUZZ_WORK:-}" ]; then rm -rf "$WORK"; fi
exit "$status"
