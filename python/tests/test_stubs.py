"""The hand-written type stubs match the package at run time (``mypy.stubtest``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]


def test_stubtest() -> None:
    pytest.importorskip("mypy")
    allowlist = PYTHON_DIR / "stubtest-allowlist.txt"
    command = [sys.executable, "-m", "mypy.stubtest", "eduaid", "--mypy-config-file", str(PYTHON_DIR / "pyproject.toml")]
    if allowlist.exists():
        command += ["--allowlist", str(allowlist)]
    run = subprocess.run(command, cwd=PYTHON_DIR, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
