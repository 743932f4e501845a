"""Runs the report corpus of ``tests/conformance_reports/`` (see its README) through the
Python API, with the semantics of ``core/tests/reports_conformance.rs``: roster reports,
what-if comparisons and registry reconciliations compared field by field on the JSON form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import eduaid
from eduaid._json import encode

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "tests" / "conformance_reports"


def _cases() -> List[Any]:
    out = []
    for file in sorted(p for p in CORPUS.iterdir() if p.suffix == ".json"):
        for case in json.loads(file.read_text(encoding="utf-8"))["cases"]:
            out.append(pytest.param(case, id=f"{file.name}:{case['id']}"))
    return out


def test_corpus_shape() -> None:
    ids = [p.values[0]["id"] for p in _cases()]
    assert len(ids) >= 6 and len(ids) == len(set(ids))


def plain(value: Any) -> Any:
    return json.loads(encode(value))


def lang(case: Dict[str, Any]) -> str:
    return "zh" if case.get("lang") == "zh" else "en"


def with_layers(policy: eduaid.Policy, case: Dict[str, Any], prefix: str) -> eduaid.Policy:
    for path in case.get(f"{prefix}overlays") or []:
        if isinstance(path, str):
            policy = policy.with_overlay(REPO_ROOT / path, name=path)
    for i, doc in enumerate(case.get(f"{prefix}overlay_texts") or []):
        policy = policy.with_overlay_text(json.dumps(doc, ensure_ascii=False), name=f"{prefix}overlay_texts[{i}]")
    for region in case.get(f"{prefix}regions") or []:
        if isinstance(region, str):
            policy = policy.with_region(region)
    return policy


def rows_kwargs(case: Dict[str, Any]) -> Dict[str, Any]:
    text = case.get("roster_csv")
    if isinstance(text, str):
        lines = text.splitlines()
        return {"rows": [line.split(",") for line in lines[1:]], "header": lines[0].split(",")}
    return {"rows": case["roster"]}


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def partial(path: str, got: Any, want: Any, bad: List[str]) -> None:
    if isinstance(want, dict):
        for k, w in want.items():
            partial(f"{path}.{k}", _get(got, k), w, bad)
    elif got != want or (isinstance(got, bool) != isinstance(want, bool)):
        bad.append(f"{path}: got {got!r}, expected {want!r}")


def find(items: Any, key: str, value: str) -> Optional[Any]:
    for item in items if isinstance(items, list) else []:
        if _get(item, key) == value:
            return item
    return None


def check_report(case: Dict[str, Any]) -> List[str]:
    bad: List[str] = []
    policy = with_layers(eduaid.Policy.national(), case, "")
    got = plain(eduaid.roster_report(as_of=case["as_of"], policy=policy, lang=lang(case), **rows_kwargs(case)))
    expect = case["expect"]
    if "totals" in expect:
        partial("totals", got["totals"], expect["totals"], bad)
    for program, fields in (expect.get("by_program") or {}).items():
        p = find(got["by_program"], "program", program)
        if p is None:
            bad.append(f"by_program.{program}: missing")
            continue
        for k, v in fields.items():
            if k == "terms":
                terms = {t["term"]: t["amount"] for t in p["terms"]}
                if terms != v:
                    bad.append(f"by_program.{program}.terms: got {terms}, expected {v}")
            else:
                partial(f"by_program.{program}.{k}", p.get(k), v, bad)
    if "only_programs" in expect:
        have = sorted(p["program"] for p in got["by_program"])
        if have != sorted(expect["only_programs"]):
            bad.append(f"programs: got {have}, expected {sorted(expect['only_programs'])}")
    for section in ("by_stage", "by_region"):
        for group, fields in (expect.get(section) or {}).items():
            g = find(got[section], "group", group)
            if g is None:
                bad.append(f"{section}.{group}: missing")
            else:
                partial(f"{section}.{group}", g, fields, bad)
    if "coverage" in expect:
        w, c = expect["coverage"], got["coverage"]
        for k in ("key_group_students", "key_group_with_cash", "studying_elsewhere_students"):
            if k in w:
                partial(f"coverage.{k}", c.get(k), w[k], bad)
        if isinstance(w.get("gaps"), list):
            have = [{"row": g["row"], "first_code": g["reasons"][0]["code"]} for g in c["gaps"]]
            if have != w["gaps"]:
                bad.append(f"coverage.gaps: got {have}, expected {w['gaps']}")
        if isinstance(w.get("studying_elsewhere"), list):
            flags = w["studying_elsewhere"]
            have = c["studying_elsewhere"]
            if len(have) != len(flags):
                bad.append(f"coverage.studying_elsewhere: {len(have)} flags, expected {len(flags)}")
            for g, f in zip(have, flags):
                partial("coverage.studying_elsewhere[]", g, f, bad)
    if isinstance(expect.get("row_errors"), list):
        have = [{"row": e["row"], "field": e["field"]} for e in got["row_errors"]]
        if have != expect["row_errors"]:
            bad.append(f"row_errors: got {have}, expected {expect['row_errors']}")
    return bad


def check_whatif(case: Dict[str, Any]) -> List[str]:
    bad: List[str] = []
    base = with_layers(eduaid.Policy.national(), case, "base_")
    alternative = with_layers(base, case, "")
    got = plain(eduaid.what_if(as_of=case["as_of"], base=base, alternative=alternative, lang=lang(case),
                               **rows_kwargs(case)))
    expect = case["expect"]
    for program, fields in (expect.get("by_program") or {}).items():
        p = find(got["by_program"], "program", program)
        if p is None:
            bad.append(f"by_program.{program}: missing")
        else:
            partial(f"by_program.{program}", p, fields, bad)
    for k in ("base_school_year_cash", "alternative_school_year_cash", "cash_change", "base_with_cash",
              "alternative_with_cash", "changed_students"):
        if k in expect:
            partial(k, got.get(k), expect[k], bad)
    if isinstance(expect.get("changed"), list):
        have = [
            {"row": c["row"], "gained": c.get("gained"), "lost": c.get("lost"),
             "changed": [a["program"] for a in c["changed"]], "cash_change": c.get("cash_change")}
            for c in got["changed"]
        ]
        if have != expect["changed"]:
            bad.append(f"changed: got {have}, expected {expect['changed']}")
    return bad


def check_reconcile(case: Dict[str, Any]) -> List[str]:
    bad: List[str] = []
    result = eduaid.reconcile(case["registry"], case["enrolment"], case["as_of"], lang(case))
    got = plain(result)
    expect = case["expect"]
    if "summary" in expect:
        partial("summary", got["summary"], expect["summary"], bad)
    for name in ("matched", "not_enrolled", "unconfirmed", "invalid_ids"):
        if isinstance(expect.get(name), list):
            have, want = got[name], expect[name]
            if len(have) != len(want):
                bad.append(f"{name}: {len(have)} entries, expected {len(want)}")
            for i, (h, w) in enumerate(zip(have, want)):
                partial(f"{name}[{i}]", h, w, bad)
    # The Rust runner also checks the Debug form of its inputs; Python never holds them.
    text = json.dumps(got, ensure_ascii=False) + repr(result)
    for secret in expect.get("must_not_contain") or []:
        if isinstance(secret, str) and secret in text:
            bad.append(f"the result shows {secret!r} unmasked")
    return bad


@pytest.mark.parametrize("case", _cases())
def test_report_case(case: Dict[str, Any]) -> None:
    checks = {"report": check_report, "whatif": check_whatif, "reconcile": check_reconcile}
    kind = case.get("kind")
    assert kind in checks, f"unknown kind {kind!r}"
    bad = checks[kind](case)
    assert not bad, "\n".join(bad)
