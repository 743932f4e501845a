#!/usr/bin/env bash
# Build the Python package `eduaid` and run its tests with pytest: the conformance corpus,
# the API and table flavours, the PySpark/Dask scale tests, the doctests of the package and
# of the native module, and mypy's stubtest against the type stubs.
#
# Needs only python3 (with venv and pip) and the Rust toolchain. Development dependencies
# go into a virtual environment, $EDUAID_VENV or target/venv at the repository root, and
# are installed only when missing or older than the minimum, so a second run is quick.
# EDUAID_SCALE=0 skips installing pyspark and dask (their tests are then skipped).
set -euo pipefail

python_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$python_dir/.." && pwd)"
venv="${EDUAID_VENV:-$repo/target/venv}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/python}"

if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv"
    python3 -m venv "$venv"
fi
py="$venv/bin/python"

requirements=(
    "maturin>=1.9.4,<2"
    "pytest>=8"
    "numpy>=1.24"
    "pyarrow>=14"
    "pandas>=2"
    "polars>=1"
    "mypy>=1.10"
)
if [ "${EDUAID_SCALE:-1}" != "0" ]; then
    requirements+=("pyspark>=3.5" "dask[dataframe]>=2024.1")
fi

# Print the requirements that are not installed at their minimum version.
missing="$("$py" - "${requirements[@]}" <<'PY'
import re, sys
from importlib import metadata

def key(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

for req in sys.argv[1:]:
    m = re.match(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([0-9.]+)", req)
    name, minimum = m.group(1), m.group(2)
    try:
        ok = key(metadata.version(name)) >= key(minimum)
    except metadata.PackageNotFoundError:
        ok = False
    if not ok:
        print(req)
PY
)"
if [ -n "$missing" ]; then
    mapfile -t to_install <<< "$missing"
    echo "== installing: ${to_install[*]}"
    "$py" -m pip install --quiet --upgrade pip
    "$py" -m pip install --quiet "${to_install[@]}"
fi

echo "== building eduaid (maturin develop --release)"
(cd "$python_dir" && VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet)

# pytest runs the doctests (--doctest-modules, from pyproject.toml) and mypy.stubtest
# (tests/test_stubs.py) with the rest.
echo "== pytest"
cd "$python_dir"
exec "$py" -m pytest -q -p no:cacheprovider "$@"
