"""Cross-surface identity (issue 8): the Python package gives byte for byte the JSON the Rust
library writes, on the sample of ``tests/identity/`` (generated profiles, about three in
forty invalid on purpose). ``core/tests/identity.rs`` writes the sample and fails when it is
stale; point ``EDUAID_IDENTITY_DIR`` at a full 100 000-case corpus to run the long check."""

from __future__ import annotations

import json
import os
import pathlib

import eduaid

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIR = pathlib.Path(os.environ.get("EDUAID_IDENTITY_DIR", ROOT / "tests" / "identity"))


def envelope(e: eduaid.EduaidError) -> str:
    """``Error::to_json`` inside ``{"error": ...}``, as serde_json writes it (keys sorted)."""
    body = {"code": e.code, "field": e.field, "kind": e.kind, "message": e.message}
    return json.dumps({"error": body}, ensure_ascii=False, separators=(",", ":"))


def test_identity_with_rust() -> None:
    cases = [json.loads(line) for line in (DIR / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = (DIR / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(cases) == len(expected) > 0
    policies: dict = {}
    differ = []
    for case, want in zip(cases, expected):
        region = case.get("region")
        if region not in policies:
            national = eduaid.Policy.national()
            policies[region] = national.with_region(region) if region else national
        try:
            got = eduaid.evaluate(case["profile_text"], case["as_of"], policy=policies[region], lang=case["lang"]).to_json()
        except eduaid.EduaidError as e:
            got = envelope(e)
        if got != want:
            differ.append(case["id"])
    assert not differ, f"{len(differ)} of {len(cases)} cases differ from Rust, e.g. ids {differ[:10]}"
