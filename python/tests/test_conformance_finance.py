"""Runs the finance corpus of ``tests/conformance_finance/`` (see its README) through the
Python API, with the semantics of ``core/tests/finance_conformance.rs``: the request as a
dict (``input``) or as JSON text (``input_text``), the expectations as paths into the
answer's JSON form (``a.b[2].c``, ``#count``) and receipt lines that must be present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import eduaid
from eduaid._json import encode

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "tests" / "conformance_finance"

FUNCTIONS = {
    "loan": eduaid.loan_schedule,
    "compensation": eduaid.grassroots_compensation,
    "funds": eduaid.public_funds,
    "allowance": eduaid.teacher_allowances,
    "care": eduaid.care_schedule,
}


def _cases() -> List[Any]:
    out = []
    for file in sorted(p for p in CORPUS.iterdir() if p.suffix == ".json"):
        for case in json.loads(file.read_text(encoding="utf-8"))["cases"]:
            out.append(pytest.param(case, id=f"{file.name}:{case['id']}"))
    return out


def test_ids_are_unique() -> None:
    ids = [p.values[0]["id"] for p in _cases()]
    assert ids and len(ids) == len(set(ids))


def load_policy(case: Dict[str, Any]) -> eduaid.Policy:
    policy = eduaid.Policy.national()
    for path in case.get("overlays") or []:
        if isinstance(path, str):
            file = REPO_ROOT / path
            assert file.is_file(), f"overlay {path}: no such file"
            policy = policy.with_overlay(file, name=path)
    return policy


def run_case(case: Dict[str, Any]) -> Any:
    policy = load_policy(case)
    function = FUNCTIONS[case["function"]]
    text = case.get("input_text")
    request = text if isinstance(text, str) else case.get("input")
    # The answer's JSON form: what the Rust runner compares.
    return json.loads(encode(function(request, policy)))


_MISSING = object()


def lookup(value: Any, path: str) -> Any:
    """Resolve ``a.b[2].c`` in ``value`` (``_MISSING`` when absent)."""
    current = value
    for part in path.split("."):
        m = re.match(r"([^\[]*)(.*)\Z", part)
        assert m is not None
        key, indices = m.group(1), m.group(2)
        if key:
            if not isinstance(current, dict) or key not in current:
                return _MISSING
            current = current[key]
        for chunk in re.findall(r"\[([^\]]*)\]", indices):
            if not chunk.isdigit() or not isinstance(current, list) or int(chunk) >= len(current):
                return _MISSING
            current = current[int(chunk)]
    return current


def same(got: Any, want: Any) -> bool:
    # JSON equality: 1 and 1.0 are the same number, True is not 1.
    if isinstance(got, bool) or isinstance(want, bool):
        return type(got) is type(want) and got == want
    return bool(got == want)


def check(case: Dict[str, Any]) -> List[str]:
    bad: List[str] = []
    outcome: Tuple[Optional[Any], Optional[eduaid.EduaidError]]
    try:
        outcome = (run_case(case), None)
    except eduaid.EduaidError as e:
        outcome = (None, e)
    answer, error = outcome
    expected_error = case.get("expect_error")
    if expected_error is not None:
        if error is None:
            return [f"expected error {expected_error!r}, got an answer"]
        for key in ("kind", "field", "code"):
            want = expected_error.get(key)
            if isinstance(want, str) and getattr(error, key) != want:
                bad.append(f"error {key} {getattr(error, key)!r} != expected {want!r} ({error.message})")
        return bad
    if error is not None:
        return [f"unexpected error: {error.kind} {error.field} {error.code}: {error.message}"]
    for path, want in (case.get("expect") or {}).items():
        count = path.endswith("#count")
        p = path[: -len("#count")] if count else path
        got = lookup(answer, p)
        if count:
            got = len(got) if isinstance(got, list) else _MISSING
        if got is _MISSING or not same(got, want):
            bad.append(f"{path}: got {None if got is _MISSING else got!r}, expected {want!r}")
    used = answer.get("parameters_used") if isinstance(answer, dict) else None
    used = used if isinstance(used, list) else []
    for want in case.get("expect_parameters_used") or []:
        assert isinstance(want, dict), "a receipt expectation is an object"
        if not any(all(k in u and same(u[k], v) for k, v in want.items()) for u in used):
            bad.append(f"parameters_used lacks {want!r}")
    return bad


@pytest.mark.parametrize("case", _cases())
def test_finance_case(case: Dict[str, Any]) -> None:
    bad = check(case)
    assert not bad, "\n".join(bad)


def test_money_is_decimal_and_text_equals_dict() -> None:
    from decimal import Decimal

    request = {"stage": "undergraduate", "contract_date": "2024-09-20", "remaining_study_years": 4,
               "principals": ["20000.00"] * 4}
    answer = eduaid.loan_schedule(request)
    assert answer["totals"]["principal"] == Decimal("80000.00")
    assert eduaid.loan_schedule(json.dumps(request)) == answer
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.loan_schedule({**request, "principals": ["x"]})
    assert info.value.field == "principals[0]"
