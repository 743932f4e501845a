"""The Python API of one profile: inputs of every shape, Decimal money, dates, reasons,
policies, errors. Expected figures come from the spec (programs.md), not from the code."""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import enum
import json
import pickle
import types
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import eduaid

REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2024, 10, 1)


def junior_boarder_dibao(**extra: Any) -> Dict[str, Any]:
    profile: Dict[str, Any] = {
        "student_id": "S-0001",
        "stage": "junior_middle",
        "grade": 2,
        "boarding": True,
        "hukou": "rural",
        "household": {"statuses": ["dibao"]},
    }
    profile.update(extra)
    return profile


# --- amounts from the spec --------------------------------------------------------------


def test_junior_boarder_dibao_2024_10_01() -> None:
    # programs.md: boarder junior 1500 from 2024-02-01 (A12); per term, half.
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    e = a.entitlement("compulsory_living_subsidy")
    assert e is not None
    assert e.kind == "cash"
    assert e.annual_amount == Decimal("1500.00")
    assert str(e.annual_amount) == "1500.00"
    assert [(p.term, p.amount) for p in e.payments] == [
        ("2024-autumn", Decimal("750.00")),
        ("2025-spring", Decimal("750.00")),
    ]
    assert e.school_year_total == Decimal("1500.00")
    assert a.annual_cash_total == Decimal("1500.00")
    assert a.difficulty_level == "especially"
    assert {r.code for r in e.because} >= {"stage_in", "boarding", "key_group"}
    assert sorted(x.program for x in a.entitlements) == sorted(
        ["compulsory_fee_waiver", "free_textbooks", "compulsory_living_subsidy"]
    )


def test_raise_from_the_spring_term_shows_in_the_spring_payment() -> None:
    # programs.md: junior boarder 1250 until 2024-01-31, 1500 from 2024-02-01; each term
    # at the standard in force on its first day.
    a = eduaid.evaluate(junior_boarder_dibao(), "2023-10-01")
    e = a.entitlement("compulsory_living_subsidy")
    assert e is not None
    assert e.annual_amount == Decimal("1250.00")
    assert [(p.term, str(p.amount)) for p in e.payments] == [("2023-autumn", "625.00"), ("2024-spring", "750.00")]
    assert e.school_year_total == Decimal("1375.00")


def test_non_boarder_key_group_gets_half() -> None:
    # programs.md: non-boarder in a key group from 2019-09-01, half the boarder amount: 750.
    a = eduaid.evaluate(junior_boarder_dibao(boarding=False), AS_OF)
    e = a.entitlement("compulsory_living_subsidy")
    assert e is not None and e.annual_amount == Decimal("750.00")


def test_high_school_grant_tier_and_the_2025_raise() -> None:
    # programs.md: tiers 3000/2000/1000 until 2025-01-31; 3500/2300/1200 from 2025-02-01.
    a = eduaid.evaluate(
        {"stage": "general_high", "grade": 1, "hukou": "rural", "household": {"statuses": ["dibao"]}}, AS_OF
    )
    e = a.entitlement("high_school_national_grant")
    assert e is not None
    assert e.annual_amount == Decimal("3000.00")
    assert [str(p.amount) for p in e.payments] == ["1500.00", "1750.00"]
    assert e.school_year_total == Decimal("3250.00")


def test_student_loan_cap_is_a_loan_not_cash() -> None:
    # programs.md: cap 20000 (本专科) from 2024-09-01; loans are not in annual_cash_total.
    a = eduaid.evaluate(
        {
            "stage": "undergraduate",
            "grade": 1,
            "hukou": "urban",
            "household": {"statuses": []},
            "difficulty_level": "general",
        },
        AS_OF,
    )
    loan = a.entitlement("student_loan")
    assert loan is not None and loan.kind == "loan" and loan.annual_amount == Decimal("20000.00")
    assert a.annual_cash_total == sum(
        (e.annual_amount or Decimal(0)) for e in a.entitlements if e.kind in ("cash", "award")
    )


# --- input shapes ---------------------------------------------------------------------


class FrozenMapping(collections.abc.Mapping):  # type: ignore[type-arg]
    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class Stage(str, enum.Enum):
    JUNIOR = "junior_middle"


class Status(enum.Enum):
    DIBAO = "dibao"


@dataclasses.dataclass
class Household:
    statuses: List[Any]
    monitoring_risk_removed: bool = False


@dataclasses.dataclass
class Student:
    stage: Any
    grade: int
    hukou: str
    household: Household
    boarding: bool = False
    student_id: str = ""


def test_profile_shapes_give_the_same_answer() -> None:
    reference = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    shapes = [
        FrozenMapping(junior_boarder_dibao()),
        types.MappingProxyType(junior_boarder_dibao()),
        json.dumps(junior_boarder_dibao()),
        Student(Stage.JUNIOR, 2, "rural", Household([Status.DIBAO]), boarding=True, student_id="S-0001"),
        types.SimpleNamespace(**{**junior_boarder_dibao(), "household": types.SimpleNamespace(statuses=("dibao",))}),
    ]
    for shape in shapes:
        assert eduaid.evaluate(shape, AS_OF) == reference, type(shape)


def test_birth_date_as_a_date() -> None:
    a = eduaid.evaluate(junior_boarder_dibao(birth_date=datetime.date(2010, 1, 1)), AS_OF)
    assert a.entitlement("compulsory_living_subsidy") is not None


def test_as_of_as_date_or_text() -> None:
    assert eduaid.evaluate(junior_boarder_dibao(), "2024-10-01") == eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    bad: Any
    for bad in ("2024-13-01", "yesterday", 20241001, None, datetime.datetime(2024, 10, 1)):
        with pytest.raises(eduaid.InvalidInput) as info:
            eduaid.evaluate(junior_boarder_dibao(), bad)
        assert info.value.field == "as_of"


# --- outputs --------------------------------------------------------------------------


def test_to_dict_has_decimal_money_and_date_dates() -> None:
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    d = a.to_dict()
    assert d["as_of"] == AS_OF
    assert d["annual_cash_total"] == Decimal("1500.00")
    assert isinstance(d["policy"]["version"], datetime.date)
    subsidy = next(e for e in d["entitlements"] if e["program"] == "compulsory_living_subsidy")
    assert subsidy["annual_amount"] == Decimal("1500.00")
    assert subsidy["payments"][0] == {"term": "2024-autumn", "amount": Decimal("750.00")}
    used = {p["name"]: p for p in d["parameters_used"]}
    boarder = used["compulsory_living_subsidy.boarder.junior_middle"]
    assert boarder["value"] == Decimal("1500.00")
    assert boarder["effective_from"] == datetime.date(2024, 2, 1)
    assert boarder["source"] == "A12"
    for value in _walk(d):
        assert not isinstance(value, float), "money is never a float"


def _walk(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_to_json_is_the_contract_and_round_trips() -> None:
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    doc = json.loads(a.to_json())
    subsidy = next(e for e in doc["entitlements"] if e["program"] == "compulsory_living_subsidy")
    assert subsidy["annual_amount"] == "1500.00"
    assert eduaid.Assessment.from_json(a.to_json()) == a
    assert pickle.loads(pickle.dumps(a)) == a
    assert json.loads(a.to_json(indent=True)) == doc


def test_messages_in_chinese() -> None:
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF, lang="zh")
    e = a.entitlement("compulsory_living_subsidy")
    assert e is not None
    assert any(r.message == "学生为寄宿生" for r in e.because)
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate(junior_boarder_dibao(), AS_OF, lang="fr")
    assert info.value.field == "lang"


def test_not_eligible_has_reasons() -> None:
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    nutrition = next(n for n in a.not_eligible if n.program == "nutrition_improvement")
    assert "not_pilot_area" in [r.code for r in nutrition.because]
    assert nutrition.to_dict()["program"] == "nutrition_improvement"


def test_evaluate_many_returns_errors_in_place() -> None:
    good = junior_boarder_dibao()
    bad = junior_boarder_dibao(grade=9)
    results = eduaid.evaluate_many([good, bad, good], AS_OF)
    assert isinstance(results[0], eduaid.Assessment)
    assert isinstance(results[1], eduaid.InvalidInput)
    assert results[1].field == "grade"
    assert results[1].to_dict()["kind"] == "invalid_input"
    assert results[2] == results[0]
    with pytest.raises(eduaid.NotInForce):
        eduaid.evaluate_many([good], "2015-01-01")


# --- catalogues -----------------------------------------------------------------------


def test_programs_and_reasons_catalogues() -> None:
    programs = eduaid.programs()
    ids = [p["id"] for p in programs]
    assert "compulsory_living_subsidy" in ids and "rain_dew_plan" in ids
    subsidy = programs[ids.index("compulsory_living_subsidy")]
    assert subsidy["kind"] == "cash" and subsidy["name_zh"] == "义务教育家庭经济困难学生生活补助"
    reasons = {r["code"]: r for r in eduaid.reasons()}
    assert reasons["key_group"]["en"] == "the household is in a key group ({status})"
    assert reasons["key_group"]["zh"] == "家庭属于重点保障对象（{status}）"
    # every code an assessment uses is in the catalogue
    a = eduaid.evaluate(junior_boarder_dibao(), AS_OF)
    used = {r.code for e in a.entitlements for r in e.because} | {r.code for n in a.not_eligible for r in n.because}
    assert used <= set(reasons)


def test_required_inputs() -> None:
    assert eduaid.required_inputs("compulsory_fee_waiver") == ["stage", "grade"]
    assert "boarding" in eduaid.required_inputs("compulsory_living_subsidy")
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.required_inputs("no_such_program")
    assert info.value.field == "program" and info.value.code == "unknown_program"


# --- policies -------------------------------------------------------------------------


def test_national_policy() -> None:
    p = eduaid.Policy.national()
    assert p.id == "cn-national"
    assert len(p.fingerprint) == 64
    assert p.regions == []
    assert p.coverage_start == datetime.date(2016, 9, 1)
    assert p == eduaid.Policy.national() and hash(p) == hash(eduaid.Policy.national())
    assert "compulsory_living_subsidy.boarder.junior_middle" in p.parameter_names()


def test_overlay_from_path_and_text() -> None:
    path = REPO_ROOT / "core" / "policy" / "regions" / "150924.json"
    national = eduaid.Policy.national()
    from_path = national.with_overlay(path)
    from_str_path = national.with_overlay(str(path))
    from_text = national.with_overlay(path.read_text(encoding="utf-8"))
    assert from_path.regions == ["150924"]
    assert from_path == from_str_path
    assert from_path.fingerprint != national.fingerprint
    assert from_text.regions == ["150924"]
    a = eduaid.evaluate(junior_boarder_dibao(school_region="150924"), AS_OF, from_path)
    assert a.policy.regions == ["150924"]


def test_policies_pickle() -> None:
    path = REPO_ROOT / "core" / "policy" / "regions" / "150924.json"
    national = eduaid.Policy.national()
    overlaid = national.with_overlay(path)
    for policy in (national, overlaid):
        copy = pickle.loads(pickle.dumps(policy))
        assert copy == policy and copy.regions == policy.regions
    with pytest.raises(eduaid.PolicyError) as info:
        eduaid.Policy._from_overlays([], "0" * 64)
    assert info.value.code == "fingerprint_mismatch"


OVERLAY = """{
  "overlay": { "region": "150924", "name": "test" },
  "parameters": {
    "compulsory_living_subsidy.boarder.primary": {
      "values": [ { "from": "2020-09-01", "value": "-5", "source": "test" } ]
    }
  }
}"""


def test_bad_overlay_names_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(eduaid.PolicyError) as info:
        eduaid.Policy.national().with_overlay(OVERLAY, name="bad.json")
    e = info.value
    assert (e.kind, e.file, e.line) == ("policy_error", "bad.json", 5)
    assert e.field == "parameters.compulsory_living_subsidy.boarder.primary.values[0].value"
    file = tmp_path / "bad.json"
    file.write_text(OVERLAY, encoding="utf-8")
    with pytest.raises(eduaid.PolicyError) as info:
        eduaid.Policy.national().with_overlay(file)
    assert info.value.file == str(file) and info.value.line == 5
    with pytest.raises(eduaid.PolicyError) as info:
        eduaid.Policy.national().with_overlay(str(tmp_path / "missing.json"))
    assert info.value.code == "not_found"
    with pytest.raises(eduaid.PolicyError):
        eduaid.Policy.national().with_overlay(tmp_path / "missing.json")


# --- errors ---------------------------------------------------------------------------


def test_unknown_status_names_the_index() -> None:
    with pytest.raises(eduaid.InvalidInput) as info:
        eduaid.evaluate(junior_boarder_dibao(household={"statuses": ["dibao", "dibaoo"]}), AS_OF)
    e = info.value
    assert isinstance(e, eduaid.EduaidError) and isinstance(e, Exception)
    assert (e.kind, e.field, e.code) == ("invalid_input", "household.statuses[1]", "unknown_variant")
    assert "dibaoo" in e.message
    assert str(e).startswith("household.statuses[1]: ")
    assert e.to_dict() == {"kind": "invalid_input", "field": "household.statuses[1]", "code": "unknown_variant", "message": e.message}


def test_error_kinds_map_to_classes() -> None:
    with pytest.raises(eduaid.NotInForce) as info:
        eduaid.evaluate(junior_boarder_dibao(), "2016-08-31")
    assert (info.value.kind, info.value.field) == ("policy_not_in_force", "as_of")
    for profile, field in [
        (junior_boarder_dibao(grade=7), "grade"),
        ({"stage": "primary", "grade": 1, "household": {"statuses": []}}, "hukou"),
        (junior_boarder_dibao(bogus=1), "bogus"),
        (junior_boarder_dibao(household={"statuses": {"dibao"}}), "household.statuses"),
        (junior_boarder_dibao(grade=float("nan")), "grade"),
        (junior_boarder_dibao(awards=["national_scholarship", "national_encouragement_scholarship"]), "awards"),
        ([1, 2], ""),
        ("{not json", ""),
    ]:
        with pytest.raises(eduaid.InvalidInput) as err:
            eduaid.evaluate(profile, AS_OF)
        assert err.value.field == field, (profile, err.value)


def test_errors_pickle_with_their_attributes() -> None:
    with pytest.raises(eduaid.PolicyError) as info:
        eduaid.Policy.national().with_overlay(OVERLAY, name="bad.json")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is eduaid.PolicyError
    assert (copy.kind, copy.field, copy.code, copy.message, copy.file, copy.line) == (
        info.value.kind,
        info.value.field,
        info.value.code,
        info.value.message,
        info.value.file,
        info.value.line,
    )
    assert str(copy) == str(info.value)


def test_error_classes_share_one_base() -> None:
    for cls in (eduaid.InvalidInput, eduaid.PolicyError, eduaid.NotInForce, eduaid.CaseError):
        assert issubclass(cls, eduaid.EduaidError)
        assert not issubclass(cls, RuntimeError)
