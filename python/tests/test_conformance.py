"""Runs the language-neutral conformance corpus of ``tests/conformance/`` and
``tests/malformed/`` (see the README of ``tests/``) through the Python API, with exactly the semantics of ``core/tests/conformance.rs``: the
same loading of overlays, dates and languages, the same comparisons on the assessment's
JSON form (money as two-decimal strings). The Rust and JavaScript suites run the same files.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pytest

import eduaid

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPORA = [REPO_ROOT / "tests" / "conformance", REPO_ROOT / "tests" / "malformed"]


def _files() -> List[Path]:
    return sorted(p for d in CORPORA if d.is_dir() for p in d.iterdir() if p.suffix == ".json")


def _cases() -> List[Any]:
    out = []
    for file in _files():
        doc = json.loads(file.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            out.append(pytest.param(case, id=f"{file.name}:{case['id']}"))
    return out


def load_policy(case: Dict[str, Any]) -> eduaid.Policy:
    policy = eduaid.Policy.national()
    overlays = case.get("overlays")
    if isinstance(overlays, list):
        for path in overlays:
            if not isinstance(path, str):
                continue
            file = REPO_ROOT / path
            # The Rust runner panics on a missing overlay file: a defect of the corpus.
            assert file.is_file(), f"overlay {path}: no such file"
            policy = policy.with_overlay(file, name=path)
    texts = case.get("overlay_texts")
    if isinstance(texts, list):
        for item in texts:
            name = _get(item, "name")
            text = _get(item, "text")
            policy = policy.with_overlay_text(
                text if isinstance(text, str) else "", name=name if isinstance(name, str) else "overlay"
            )
    return policy


def run_case(case: Dict[str, Any]) -> eduaid.Assessment:
    policy = load_policy(case)
    as_of = case.get("as_of")
    if not isinstance(as_of, str):
        as_of = ""  # Rust: case["as_of"].as_str().unwrap_or_default()
    lang = case.get("lang")
    if not isinstance(lang, str):
        lang = "en"
    text = case.get("profile_text")
    profile = text if isinstance(text, str) else case.get("profile")
    return eduaid.evaluate(profile, as_of, policy, lang)


def json_form(value: Any) -> Any:
    """A ``to_dict()`` value in its JSON form: Decimal as its string, dates as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_form(v) for v in value]
    return value


def codes(reasons: Any) -> List[str]:
    if not isinstance(reasons, list):
        return []
    return [r["code"] for r in reasons if isinstance(r, dict) and isinstance(r.get("code"), str)]


def _get(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else None


def check(case: Dict[str, Any]) -> List[str]:
    """Compare one case; return the list of mismatches."""
    bad: List[str] = []
    expected_error = case.get("expect_error")
    if expected_error is not None:
        try:
            run_case(case)
        except eduaid.EduaidError as e:
            kind = _get(expected_error, "kind")
            if not isinstance(kind, str) or kind != e.kind:
                bad.append(f"error kind {e.kind} != expected {json.dumps(kind)}")
            code = _get(expected_error, "code")
            if isinstance(code, str) and code != e.code:
                bad.append(f"error code '{e.code}' != expected '{code}'")
            line = _get(expected_error, "line")
            if isinstance(line, int) and not isinstance(line, bool) and line >= 0:
                got = e.line if isinstance(e, eduaid.PolicyError) else 0
                if got != line:
                    bad.append(f"error line {got} != expected {line}")
            field = _get(expected_error, "field")
            if isinstance(field, str) and field != e.field:
                bad.append(f"error field '{e.field}' != expected '{field}' ({e.message})")
        else:
            bad.append(f"expected error {json.dumps(expected_error)}, got an assessment")
        return bad
    try:
        result = run_case(case)
    except eduaid.EduaidError as e:
        return [f"unexpected error {e.kind}: {e.message} ({e.field})"]
    assessment = json_form(result.to_dict())
    # The Decimal/date conversion is lossless: the dict is the JSON of interface.md.
    if assessment != json.loads(result.to_json()):
        bad.append("to_dict() differs from to_json()")
    expect = case.get("expect")
    if not isinstance(expect, dict):
        expect = {}
    if "difficulty_level" in expect:
        level = expect["difficulty_level"]
        if assessment["difficulty_level"] != level:
            bad.append(f"difficulty_level {json.dumps(assessment['difficulty_level'])} != {json.dumps(level)}")

    def find(key: str, program: str) -> Any:
        for item in assessment.get(key) or []:
            if item.get("program") == program:
                return item
        return None

    entitled = expect.get("entitled")
    if isinstance(entitled, dict):
        for program, want in entitled.items():
            got = find("entitlements", program)
            if got is None:
                why = find("not_eligible", program)
                why_codes = ",".join(codes(why["because"])) if why else ""
                bad.append(f"{program}: expected entitled, got not eligible ({why_codes})")
                continue
            for field in ("kind", "annual_amount", "school_year_total"):
                if isinstance(want, dict) and field in want:
                    if got.get(field) != want[field]:
                        bad.append(f"{program}.{field}: {json.dumps(got.get(field))} != expected {json.dumps(want[field])}")
            payments = _get(want, "payments")
            if isinstance(payments, dict):
                got_payments = {str(p.get("term") or ""): p.get("amount") for p in got.get("payments") or []}
                if got_payments != payments:
                    bad.append(f"{program}.payments: {json.dumps(got_payments)} != expected {json.dumps(payments)}")
            because = _get(want, "because")
            if isinstance(because, list):
                have = codes(got.get("because"))
                for code in because:
                    if isinstance(code, str) and code not in have:
                        bad.append(f"{program}: reason {code} missing (has {','.join(have)})")
    not_eligible = expect.get("not_eligible")
    if isinstance(not_eligible, dict):
        for program, want in not_eligible.items():
            if find("entitlements", program) is not None:
                bad.append(f"{program}: expected not eligible, got entitled")
                continue
            got = find("not_eligible", program)
            if got is None:
                bad.append(f"{program}: not listed at all")
                continue
            have = codes(got.get("because"))
            for code in want if isinstance(want, list) else []:
                if isinstance(code, str) and code not in have:
                    bad.append(f"{program}: reason {code} missing (has {','.join(have)})")
    only = expect.get("only_entitled")
    if isinstance(only, list):
        want_set = sorted(p for p in only if isinstance(p, str))
        have_set = sorted(e["program"] for e in assessment["entitlements"] if isinstance(e.get("program"), str))
        if want_set != have_set:
            bad.append(f"entitled set {have_set} != expected {want_set}")
    if "annual_cash_total" in expect:
        total = expect["annual_cash_total"]
        if assessment["annual_cash_total"] != total:
            bad.append(f"annual_cash_total {json.dumps(assessment['annual_cash_total'])} != {json.dumps(total)}")
    notes = expect.get("notes")
    if isinstance(notes, list):
        have = codes(assessment.get("notes"))
        for code in notes:
            if isinstance(code, str) and code not in have:
                bad.append(f"note {code} missing (has {','.join(have)})")
    return bad


def test_corpus_is_well_formed() -> None:
    ids = set()
    count = 0
    for file in _files():
        doc = json.loads(file.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            assert isinstance(case["id"], str), f"{file.name}: a case has no id"
            assert case["id"] not in ids, f"duplicate case id {case['id']}"
            ids.add(case["id"])
            count += 1
    assert count > 0, "the corpus ran no case"


@pytest.mark.parametrize("case", _cases())
def test_case(case: Dict[str, Any]) -> None:
    bad = check(case)
    assert not bad, "\n    ".join([case["id"], *bad])
