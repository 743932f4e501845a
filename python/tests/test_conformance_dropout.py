"""Runs the dropout-control corpus of ``tests/conformance_dropout/`` (see its README)
through the Python API, with the semantics of ``core/tests/dropout_conformance.rs``: the
same loading of overlays, the same partial comparisons on the JSON form of the answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import eduaid
from eduaid._json import encode

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "tests" / "conformance_dropout"


def _cases() -> List[Any]:
    out = []
    for file in sorted(p for p in CORPUS.iterdir() if p.suffix == ".json"):
        for case in json.loads(file.read_text(encoding="utf-8"))["cases"]:
            out.append(pytest.param(case, id=f"{file.name}:{case['id']}"))
    return out


def test_ids_are_unique() -> None:
    ids = [p.values[0]["id"] for p in _cases()]
    assert ids and len(ids) == len(set(ids))


def plain(value: Any) -> Any:
    """The JSON form of a decoded answer (Decimal as its text, dates as ISO)."""
    return json.loads(encode(value))


def load_policy(case: Dict[str, Any]) -> eduaid.Policy:
    policy = eduaid.Policy.national()
    for path in case.get("overlays") or []:
        if isinstance(path, str):
            file = REPO_ROOT / path
            assert file.is_file(), f"overlay {path}: no such file"
            policy = policy.with_overlay(file, name=path)
    for i, doc in enumerate(case.get("overlay_inline") or []):
        name = f"{case.get('id', '?')}.inline[{i}]"
        policy = policy.with_overlay_text(json.dumps(doc, indent=2, ensure_ascii=False), name=name)
    return policy


def compare(what: str, expected: Any, actual: Any, bad: List[str]) -> None:
    if not isinstance(expected, dict):
        return
    for k, want in expected.items():
        got = actual.get(k) if isinstance(actual, dict) else None
        if got != want:
            bad.append(f"{what}.{k}: expected {want!r}, got {got!r}")


def check_error(expected: Dict[str, Any], e: eduaid.EduaidError, bad: List[str]) -> None:
    for k in ("kind", "code", "field"):
        if k in expected and getattr(e, k) != expected[k]:
            bad.append(f"error {k}: expected {expected[k]!r}, got {getattr(e, k)!r} ({e.message})")


def compare_lists(what: str, want: List[Any], got: List[Any], bad: List[str]) -> None:
    if len(want) != len(got):
        bad.append(f"expected {len(want)} {what}, got {got!r}")
    for j, (w, g) in enumerate(zip(want, got)):
        compare(f"expect[{j}]", w, g, bad)


def run_case_kind(case: Dict[str, Any], policy: eduaid.Policy, bad: List[str]) -> None:
    try:
        c = eduaid.Case.replay(case["student"], case["events"], policy)
    except eduaid.EduaidError as e:
        if "expect_error" in case:
            check_error(case["expect_error"], e, bad)
        else:
            bad.append(f"replay failed: {e.kind} {e.field} {e.code}: {e.message}")
        return
    if "expect_error" in case:
        bad.append(f"expected error {case['expect_error']!r}, got a case")
        return
    if "advance_to" in case:
        try:
            c = c.advance(case["advance_to"], policy)
        except eduaid.EduaidError as e:
            bad.append(f"advance failed: {e.kind} {e.field} {e.code}: {e.message}")
            return
    state = json.loads(c.to_json())
    assert plain(c.to_dict()) == state
    state["ladder_region"] = state["ladder"].get("region")
    state["events"] = len(state["events"])
    if "expect" in case:
        compare("expect", case["expect"], state, bad)
    for i, check in enumerate(case.get("due") or []):
        actions = plain(c.due(check["today"], policy))
        want = check.get("actions") or []
        if len(want) != len(actions):
            bad.append(f"due[{i}] on {check['today']}: expected {len(want)} actions, got {len(actions)}: {actions}")
            continue
        for j, (w, g) in enumerate(zip(want, actions)):
            compare(f"due[{i}].actions[{j}]", w, g, bad)
    # Whatever the case, restore gives it back.
    try:
        if eduaid.Case.restore(c.to_json(), policy) != c:
            bad.append("restore gave another case")
    except eduaid.EduaidError as e:
        bad.append(f"restore failed: {e.kind} {e.field} {e.code}: {e.message}")


def run(case: Dict[str, Any], bad: List[str]) -> None:
    try:
        policy = load_policy(case)
    except eduaid.EduaidError as e:
        if "expect_error" in case:
            check_error(case["expect_error"], e, bad)
        else:
            bad.append(f"policy: {e.kind} {e.field} {e.code}: {e.message}")
        return
    kind = case.get("kind", "case")
    region = case.get("region") if isinstance(case.get("region"), str) else ""
    if kind == "case":
        run_case_kind(case, policy, bad)
    elif kind == "absence":
        found = eduaid.detect_absence("S", case["records"], case["as_of"], region, policy)
        expected = case.get("expect")
        if found is None and expected is None:
            return
        if found is None or expected is None:
            bad.append(f"expected {expected!r}, got {found!r}")
            return
        got = plain(found)
        got["school_days"] = got["trigger"].get("school_days")
        got["first_absent"] = got["trigger"].get("first_absent")
        compare("expect", expected, got, bad)
    elif kind == "registry":
        found = eduaid.compare_registry(case["children"], case["enrolments"], case["as_of"], policy)
        compare_lists("findings", case.get("expect") or [], plain(found), bad)
    elif kind == "reports":
        due = eduaid.reports_due(case["level"], case["date"], region, policy)
        compare_lists("reports", case.get("expect") or [], plain(due), bad)
    elif kind == "consolidation":
        r = eduaid.consolidation(case["cohort"], case["counts"], case["graduation"], region, policy)
        got = plain(r)
        got["percent"] = got["rate"]["percent"]
        for k in ("target", "meets_target"):
            got.setdefault(k, None)
        compare("expect", case.get("expect"), got, bad)
    else:
        bad.append(f"unknown kind {kind!r}")


@pytest.mark.parametrize("case", _cases())
def test_dropout_case(case: Dict[str, Any]) -> None:
    bad: List[str] = []
    run(case, bad)
    assert not bad, "\n".join(bad)
