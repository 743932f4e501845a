#!/usr/bin/env python3
"""Writes the malformed-input corpus of tests/malformed/*.json (issue 8).

Every case is bad input with the error the contract calls for: kind, field path, and the
stable code (and, for policy files, the line) where the contract or the documented
behaviour fixes one. Expected values come from ../shared/spec/interface.md ("Errors",
"Student profile"), programs.md (grades, coverage, A03a) and the policy file format of
core/src/policy/file.rs and core/src/rules.rs (its doc comments), never from running the
library. The Rust, Python and JavaScript conformance runners read these files.

Numbers that JSON parsers of the three languages would read differently (2.0, 1e30,
99999999999999999999, -0) and texts that are not JSON at all go in `profile_text`, so every
surface hands the library the very same text.

Run `python3 tests/malformed/make_cases.py` after editing; it rewrites the JSON files.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2024-10-01"
BASE = {"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}}


def profile(**changes):
    p = json.loads(json.dumps(BASE))
    for k, v in changes.items():
        if v is DROP:
            p.pop(k, None)
        else:
            p[k] = v
    return p


DROP = object()


def case(cid, note, expect, as_of=AS_OF, **kw):
    c = {"id": cid, "note": note, "as_of": as_of}
    c.update(kw)
    if "profile" not in c and "profile_text" not in c:
        c["profile"] = profile()
    c["expect_error"] = expect
    return c


def err(kind, field, code=None, line=None):
    e = {"kind": kind, "field": field}
    if code is not None:
        e["code"] = code
    if line is not None:
        e["line"] = line
    return e


def inv(field, code=None):
    return err("invalid_input", field, code)


# --------------------------------------------------------------------------------------
# Profiles: wrong types for every field (interface.md, "Student profile").
# --------------------------------------------------------------------------------------
def profile_types():
    out = []
    wrong = {
        # field: [(label, value), ...] — values that are not of the field's type
        "student_id": [("number", 12), ("bool", True), ("list", ["S-1"]), ("object", {"id": "S-1"}), ("null", None)],
        "resident_id": [("number_text", "130431201001011234_AS_NUMBER"), ("bool", False), ("list", ["130431201001011234"]), ("object", {})],
        "birth_date": [("number_text", "20100101_AS_NUMBER"), ("bool", True), ("list", ["2010-01-01"]), ("object", {"y": 2010})],
        "stage": [("number", 1), ("bool", True), ("list", ["primary"]), ("object", {"name": "primary"})],
        "grade": [("string", "1"), ("bool", True), ("list", [1]), ("object", {"value": 1}), ("null", None)],
        "full_time_formal": [("string", "true"), ("list", [True]), ("object", {}), ("null", None)],
        "boarding": [("number", 1), ("list", []), ("object", {"value": True}), ("null", None)],
        "hukou": [("number", 0), ("bool", False), ("list", ["rural"]), ("object", {"type": "rural"})],
        "hukou_region": [("bool", True), ("list", ["130431"]), ("object", {"code": "130431"}), ("null", None)],
        "school_region": [("bool", False), ("list", []), ("object", {}), ("null", None)],
        "major": [("bool", True), ("number", 1), ("null", None), ("list", [])],
        "disability_grade": [("bool", True), ("list", [2]), ("object", {"grade": 2})],
        "household": [("string", "dibao"), ("number", 0), ("null", None), ("bool", True)],
        "difficulty_level": [("number", 3), ("bool", True), ("list", ["especially"]), ("object", {})],
        "awards": [("object", {"national_scholarship": True}), ("number", 1), ("null", None), ("bool", False)],
        "school_location": [("number", 2), ("bool", True), ("list", ["rural"])],
        "nutrition_pilot": [("bool", True), ("number", 1), ("list", ["national"])],
        "veteran": [("number", 1), ("list", [True]), ("null", None)],
        "has_fixed_salary": [("string", "no"), ("number", 0), ("null", None)],
        "institution": [("number", 1), ("bool", True), ("null", None), ("list", ["central"])],
    }
    stage_for = {"major": "secondary_vocational", "awards": "undergraduate", "veteran": "undergraduate",
                 "has_fixed_salary": "masters", "institution": "doctoral"}
    for field, values in wrong.items():
        for label, value in values:
            p = profile()
            if field in stage_for:
                p["stage"] = stage_for[field]
            if isinstance(value, str) and value.endswith("_AS_NUMBER"):
                # a number where a string is expected, as the text of a JSON number
                digits = value[: -len("_AS_NUMBER")]
                p[field] = "__NUMBER__"
                text = json.dumps(p).replace('"__NUMBER__"', digits)
                out.append(case(f"malformed.type.{field}.{label}",
                                f"interface.md: {field} is a string; a JSON number is an invalid_type error on {field}",
                                inv(field, "invalid_type"), profile_text=text))
                continue
            p[field] = value
            # serde reads an object where a name is expected as {variant: ...}: the code
            # then says unknown_variant; kind and field are what the contract fixes.
            enum_object = label == "object" and field in (
                "stage", "hukou", "difficulty_level", "school_location", "nutrition_pilot", "institution")
            out.append(case(f"malformed.type.{field}.{label}",
                            f"interface.md: {field} has a fixed type (null only where the contract shows null)",
                            inv(field, None if enum_object else "invalid_type"), profile=p))
    # nested fields
    nested = [
        ("household.statuses", "string", {"statuses": "dibao"}),
        ("household.statuses", "object", {"statuses": {"0": "dibao"}}),
        ("household.statuses", "number", {"statuses": 0}),
        ("household.statuses[0]", "null", {"statuses": [None]}),
        ("household.statuses[0]", "list", {"statuses": [["dibao"]]}),
        ("household.statuses[1]", "object", {"statuses": ["dibao", {"status": "orphan"}]}),
        ("household.statuses[0]", "bool", {"statuses": [True]}),
        ("household.monitoring_risk_removed", "number", {"statuses": [], "monitoring_risk_removed": 0}),
        ("household.monitoring_risk_removed", "null", {"statuses": [], "monitoring_risk_removed": None}),
        ("household.monitoring_risk_removed", "list", {"statuses": [], "monitoring_risk_removed": [False]}),
    ]
    for field, label, household in nested:
        out.append(case(f"malformed.type.{field.replace('[', '_').replace(']', '')}.{label}",
                        "interface.md: household.statuses is a list of status names; monitoring_risk_removed a boolean",
                        inv(field, None if label == "object" and field.endswith("]") else "invalid_type"),
                        profile=profile(household=household)))
    for key, label, value in [("agriculture_related", "string", "yes"), ("agriculture_related", "number", 1),
                              ("performing_arts", "null", None), ("performing_arts", "list", [True])]:
        p = profile(stage="secondary_vocational", major={key: value})
        out.append(case(f"malformed.type.major.{key}.{label}", "interface.md: major's fields are booleans",
                        inv(f"major.{key}", "invalid_type"), profile=p))
    for i, (label, awards) in enumerate([("number", [1]), ("null", [None]), ("list", [["national_scholarship"]]),
                                         ("object", ["national_scholarship", {"award": "x"}])]):
        field = "awards[1]" if label == "object" else "awards[0]"
        out.append(case(f"malformed.type.awards_item.{label}", "interface.md: awards holds award names",
                        inv(field, None if label == "object" else "invalid_type"),
                        profile=profile(stage="undergraduate", awards=awards)))
    return out


# --------------------------------------------------------------------------------------
# Profiles: values the vocabulary does not know, missing fields, impossible values.
# --------------------------------------------------------------------------------------
def profile_values():
    out = []
    enums = [
        ("stage", ["Primary", "PRIMARY", "primary ", "", "小学", "senior_high", "vocational", "graduate"]),
        ("hukou", ["Rural", "county", "", "农村"]),
        ("difficulty_level", ["Especially", "especially_difficult", "none", "", "特别困难"]),
        ("school_location", ["City", "urban", ""]),
        ("nutrition_pilot", ["National", "none", ""]),
        ("institution", ["Local", "ministry", ""]),
    ]
    for field, values in enums:
        for i, v in enumerate(values):
            p = profile(**{field: v})
            if field == "institution":
                p["stage"] = "doctoral"
            out.append(case(f"malformed.enum.{field}.{i}", f"interface.md lists the values of {field}; '{v}' is none of them",
                            inv(field, "unknown_variant"), profile=p))
    for i, v in enumerate(["DIBAO", "dibao ", "低保", "poor", "registered_poor", "monitored", "disabled", ""]):
        out.append(case(f"malformed.enum.status.{i}", f"interface.md lists the statuses; '{v}' is none of them",
                        inv("household.statuses[1]", "unknown_variant"),
                        profile=profile(household={"statuses": ["orphan", v]})))
    for i, v in enumerate(["National_Scholarship", "scholarship", "merit", ""]):
        out.append(case(f"malformed.enum.award.{i}", f"interface.md lists the awards; '{v}' is none of them",
                        inv("awards[0]", "unknown_variant"), profile=profile(stage="undergraduate", awards=[v])))

    # missing required fields (stage, grade, hukou, household; household.statuses)
    out.append(case("malformed.missing.everything", "interface.md: stage, grade, hukou, household are required; an empty object lacks the first, stage",
                    inv("stage", "missing_field"), profile={}))
    out.append(case("malformed.missing.household_statuses", "interface.md: household holds statuses (may be an empty list, not absent)",
                    inv("household.statuses", "missing_field"), profile=profile(household={})))
    out.append(case("malformed.missing.household_statuses_with_flag", "interface.md: household.statuses is required",
                    inv("household.statuses", "missing_field"), profile=profile(household={"monitoring_risk_removed": True})))
    for field in ["stage", "grade", "hukou", "household"]:
        p = profile(**{field: DROP})
        p["student_id"] = "S-missing"
        p["boarding"] = True
        out.append(case(f"malformed.missing.{field}_among_others", f"interface.md: {field} is required",
                        inv(field, "missing_field"), profile=p))

    # unknown fields, anywhere
    for cid, p, field in [
        ("top_camel_case", profile(studentId="S-1"), "studentId"),
        ("top_name", profile(name="张三"), "name"),
        ("top_difficulty", profile(difficulty="especially"), "difficulty"),
        ("household_status_singular", profile(household={"statuses": [], "status": "dibao"}), "household.status"),
        ("household_nested_garbage", profile(household={"statuses": [], "extra": {"a": [1, 2, {"b": None}]}}), "household.extra"),
        ("major_typo", profile(stage="secondary_vocational", major={"agricultural": True}), "major.agricultural"),
    ]:
        out.append(case(f"malformed.unknown_field.{cid}", "profile.rs: unknown fields are rejected with their path (a misspelt field would otherwise be silently defaulted)",
                        inv(field, "unknown_field"), profile=p))

    # impossible grades per stage (interface.md: primary 1–6, undergraduate 1–5, doctoral 1–6, others 1–3)
    max_grade = {"preschool": 3, "primary": 6, "junior_middle": 3, "general_high": 3, "secondary_vocational": 3,
                 "higher_vocational": 3, "undergraduate": 5, "masters": 3, "doctoral": 6}
    for stage, top in max_grade.items():
        if stage != "primary":
            out.append(case(f"malformed.grade.{stage}_0", f"interface.md: {stage} grades run from 1 to {top}",
                            inv("grade", "out_of_range"), profile=profile(stage=stage, grade=0)))
        out.append(case(f"malformed.grade.{stage}_255", f"interface.md: {stage} grades run from 1 to {top}",
                        inv("grade", "out_of_range"), profile=profile(stage=stage, grade=255)))
        out.append(case(f"malformed.grade.{stage}_{top + 2}", f"interface.md: {stage} grades run from 1 to {top}",
                        inv("grade", "out_of_range"), profile=profile(stage=stage, grade=top + 2)))
    # disability grade 1–4
    for g in [6, 9, 255]:
        out.append(case(f"malformed.disability_grade.{g}", "interface.md: disability_grade is 1 to 4 (1 most severe), or null",
                        inv("disability_grade", "out_of_range"), profile=profile(disability_grade=g)))

    # huge, negative, fractional numbers: as text, so that every surface reads the same
    def text_with(field, number, base=None):
        p = dict(base or profile())
        p[field] = "__N__"
        return json.dumps(p).replace('"__N__"', number)

    for label, number in [("1e30", "1e30"), ("20_digits", "99999999999999999999"), ("u64_max_plus", "18446744073709551616"),
                          ("negative_huge", "-99999999999999999999"), ("float_2_0", "2.0"), ("half", "1.5"),
                          ("exponent", "1e0"), ("negative", "-3"), ("u32", "4294967296"), ("tiny", "1e-300")]:
        out.append(case(f"malformed.number.grade_{label}", "interface.md: grade is a whole number within the stage; any other number is invalid_input on grade",
                        inv("grade"), profile_text=text_with("grade", number)))
    for label, number in [("1e30", "1e30"), ("negative", "-1"), ("float", "2.5"), ("huge", "99999999999999999999")]:
        out.append(case(f"malformed.number.disability_grade_{label}", "interface.md: disability_grade is 1 to 4 or null",
                        inv("disability_grade"), profile_text=text_with("disability_grade", number)))
    out.append(case("malformed.number.grade_minus_zero", "interface.md: grade 0 is impossible; -0 is 0",
                    inv("grade"), profile_text=text_with("grade", "-0")))
    out.append(case("malformed.number.grade_out_of_f64", "a number beyond any float (1e400) is invalid_input on grade, not a crash",
                    inv("grade"), profile_text=text_with("grade", "1e400")))

    # contradictory and duplicate awards, duplicate statuses (programs.md A03a; profile.rs)
    for cid, stage, awards in [
        ("with_third_award", "undergraduate", ["national_encouragement_scholarship", "secondary_vocational_national_scholarship", "national_scholarship"]),
        ("graduate", "masters", ["national_scholarship", "national_encouragement_scholarship"]),
        ("vocational", "secondary_vocational", ["national_encouragement_scholarship", "national_scholarship"]),
    ]:
        out.append(case(f"malformed.awards.contradictory_{cid}", "programs.md (A03a): national_scholarship and national_encouragement_scholarship are not held in one year",
                        inv("awards", "contradictory"), profile=profile(stage=stage, grade=2, awards=awards)))
    out.append(case("malformed.awards.duplicate", "profile.rs: an award listed twice is an error on its second place",
                    inv("awards[1]", "duplicate"), profile=profile(stage="undergraduate", awards=["national_scholarship", "national_scholarship"])))
    out.append(case("malformed.awards.duplicate_later", "profile.rs: an award listed twice is an error on its second place",
                    inv("awards[2]", "duplicate"), profile=profile(stage="secondary_vocational", awards=["secondary_vocational_national_scholarship", "national_encouragement_scholarship", "secondary_vocational_national_scholarship"])))
    out.append(case("malformed.statuses.duplicate_monitored", "profile.rs: a status listed twice is an error on its second place",
                    inv("household.statuses[2]", "duplicate"), profile=profile(household={"statuses": ["monitored_marginal", "dibao", "monitored_marginal"]})))

    # regions: six digits or empty
    for i, v in enumerate(["13043", "1304311", "13 0431", "１３０４３１", "130431 x", "Beijing", "-13043", "13043.", "0x1F"]):
        field = "hukou_region" if i % 2 else "school_region"
        out.append(case(f"malformed.region.{i}", "interface.md: regions are six-digit GB/T 2260 codes, or empty",
                        inv(field, "invalid_region"), profile=profile(**{field: v})))

    # strings too long (profile.rs: student_id at most 128 bytes, resident_id at most 32 characters)
    out.append(case("malformed.long.student_id_129", "profile.rs: student_id is at most 128 bytes",
                    inv("student_id", "too_long"), profile=profile(student_id="S" * 129)))
    out.append(case("malformed.long.student_id_multibyte", "profile.rs: 43 Chinese characters are 129 bytes, over the 128-byte limit",
                    inv("student_id", "too_long"), profile=profile(student_id="学" * 43)))
    out.append(case("malformed.long.resident_id_33", "profile.rs: resident_id is at most 32 characters",
                    inv("resident_id", "too_long"), profile=profile(resident_id="1" * 33)))
    out.append(case("malformed.long.resident_id_huge", "profile.rs: resident_id is at most 32 characters",
                    inv("resident_id", "too_long"), profile=profile(resident_id="130431201001011234" * 100)))

    # invalid birth dates
    for i, v in enumerate(["2010-02-30", "2010-00-10", "01/01/2010", "2010", "", "2010-01-01T00:00:00", "yesterday"]):
        out.append(case(f"malformed.birth_date.{i}", "interface.md: dates are ISO YYYY-MM-DD",
                        inv("birth_date"), profile=profile(birth_date=v)))
    # Forms chrono alone reads but a CSV cell may not hold (calendar.rs, de): one date form
    # on every input.
    for i, v in enumerate(["2010-1-1", "2010-01-1", "+2010-01-01", " 2010-01-01", "2010-01-01 "]):
        out.append(case(f"malformed.birth_date.lax.{i}",
                        "calendar.rs: exactly YYYY-MM-DD in JSON as in CSV (no short fields, sign or spaces)",
                        inv("birth_date", "invalid_date"), profile=profile(birth_date=v)))
    return out


# --------------------------------------------------------------------------------------
# Profile texts: not JSON, not an object, too large, bad escapes (what a file or a socket
# may hand over; broken UTF-8 cannot travel inside a JSON case file, so lone surrogates and
# invalid escapes stand for it).
# --------------------------------------------------------------------------------------
def profile_texts():
    out = []
    good = json.dumps(BASE)

    def t(cid, note, text, field="", code=None):
        out.append(case(f"malformed.text.{cid}", note, inv(field, code), profile_text=text))

    t("lone_high_surrogate", "a lone surrogate escape is not a Unicode scalar: invalid JSON text",
      '{"student_id": "\\ud800", "stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}}', "student_id", "invalid_json")
    t("lone_low_surrogate", "a lone low surrogate escape is invalid JSON text",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "student_id": "a\\udc00b", "household": {"statuses": []}}', "student_id", "invalid_json")
    t("reversed_surrogates", "a low surrogate before a high one is invalid JSON text",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": ["\\udc00\\ud800"]}}', "household.statuses[0]", "invalid_json")
    t("invalid_escape", "\\x is not a JSON escape",
      '{"stage": "prim\\x61ry", "grade": 1, "hukou": "rural", "household": {"statuses": []}}', "stage", "invalid_json")
    t("short_unicode_escape", "\\u needs four hex digits",
      '{"stage": "primary", "grade": 1, "hukou": "rural\\u12", "household": {"statuses": []}}', "hukou", "invalid_json")
    t("raw_control_character", "a raw tab inside a string is invalid JSON text",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "student_id": "S\t1", "household": {"statuses": []}}', "student_id", "invalid_json")
    t("single_quotes", "JSON strings take double quotes", "{'stage': 'primary', 'grade': 1}", "", "invalid_json")
    t("trailing_comma", "JSON has no trailing commas",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": [],},}', "household", "invalid_json")
    t("comment", "JSON has no comments", '{"stage": "primary", /* a comment */ "grade": 1}', "", "invalid_json")
    t("nan", "NaN is not JSON", '{"stage": "primary", "grade": NaN, "hukou": "rural", "household": {"statuses": []}}', "grade", "invalid_json")
    t("infinity", "Infinity is not JSON", '{"stage": "primary", "grade": Infinity, "hukou": "rural", "household": {"statuses": []}}', "grade", "invalid_json")
    t("two_objects", "one profile is one JSON object", good + " " + good, "", "invalid_json")
    t("bare_string", "a profile is a JSON object", '"primary"', "", "invalid_type")
    t("bare_number", "a profile is a JSON object", "42", "", "invalid_type")
    t("bare_true", "a profile is a JSON object", "true", "", "invalid_type")
    t("whitespace_only", "an empty text is not a profile", "   \n\t  ", "", "invalid_json")
    t("empty", "an empty text is not a profile", "", "", "invalid_json")
    t("byte_order_mark", "a byte-order mark is not JSON whitespace", "\ufeff" + good, "", "invalid_json")
    t("deep_nesting_value", "deeply nested arrays where a string is expected are a type error, not a stack overflow",
      '{"stage": ' + "[" * 5000 + "]" * 5000 + ', "grade": 1, "hukou": "rural", "household": {"statuses": []}}', "stage")
    t("deep_nesting_unknown", "deep nesting under an unknown field is rejected at the field",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}, "x": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}",
      "x", "unknown_field")
    t("deep_nesting_top", "a deep array at the top is not an object", "[" * 60000, "", "invalid_type")
    t("duplicate_grade", "profile.rs: a key given twice is an error (the library does not pick one)",
      '{"stage": "primary", "grade": 1, "grade": 2, "hukou": "rural", "household": {"statuses": []}}', "grade", "duplicate")
    t("duplicate_household", "a key given twice is an error",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}, "household": {"statuses": ["dibao"]}}', "household", "duplicate")
    t("duplicate_major_key", "a key given twice is an error, also nested",
      '{"stage": "secondary_vocational", "grade": 1, "hukou": "rural", "household": {"statuses": []}, "major": {"agriculture_related": true, "agriculture_related": false}}',
      "major.agriculture_related", "duplicate")
    t("truncated_in_string", "a truncated text is invalid JSON", '{"stage": "prim', "stage", "invalid_json")
    t("unclosed_array", "a truncated text is invalid JSON",
      '{"stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": ["dibao"', "household.statuses", "invalid_json")
    # size limit: 64 KiB (profile.rs MAX_PROFILE_BYTES)
    big_id = '{"student_id": "' + "x" * 70000 + '", "stage": "primary", "grade": 1, "hukou": "rural", "household": {"statuses": []}}'
    t("over_64_kib", "profile.rs: a profile text over 64 KiB is rejected whole, before parsing", big_id, "", "too_large")
    padded = good[:-1] + " " * (64 * 1024 + 1 - len(good)) + "}"
    t("one_byte_over_64_kib", "profile.rs: the limit counts bytes; 65537 bytes of a valid profile are too many", padded, "", "too_large")
    return out


# --------------------------------------------------------------------------------------
# Dates: as_of out of coverage or not an ISO date.
# --------------------------------------------------------------------------------------
def dates():
    out = []
    for d in ["2016-08-31", "2016-01-01", "1970-01-01", "1900-02-28", "0001-01-01", "2000-09-01"]:
        out.append(case(f"malformed.coverage.{d}", "programs.md: the national policy answers from 2016-09-01 on; earlier is policy_not_in_force",
                        err("policy_not_in_force", "as_of", "policy_not_in_force"), as_of=d))
    for i, d in enumerate(["2024-1-1", "2024-10-1", "+2024-10-01", "-2024-10-01", "24-10-01", "2024.10.01",
                           "20241001", "2024-10-01Z", "2024-W40-2", "2024-275", "2024-00-10", "2024-02-29x", "10/01/2024", "２０２４-10-01"]):
        out.append(case(f"malformed.as_of.{i}", "interface.md: dates are ISO YYYY-MM-DD; anything else is invalid_input on as_of",
                        inv("as_of", "invalid_date"), as_of=d))
    out.append(case("malformed.as_of.feb_29_non_leap", "2023 is not a leap year", inv("as_of", "invalid_date"), as_of="2023-02-29"))
    return out


# --------------------------------------------------------------------------------------
# Overlays: every kind of mistake (policy_error, naming file, field and line).
# --------------------------------------------------------------------------------------
def lines(*rows):
    return "\n".join(rows) + "\n"


def line_of(text, marker, nth=1):
    """1-based line of the nth occurrence of marker in text."""
    pos = -1
    for _ in range(nth):
        pos = text.index(marker, pos + 1)
    return text.count("\n", 0, pos) + 1


def base_prog_for_dup():
    return {"id": "150924.grant", "name_zh": "助学金", "kind": "cash", "schedule": "per_term", "basis": "test",
            "when": {"stages": ["primary"]}, "amount": {"parameter": "150924.grant.amount"}}


def overlays():
    out = []
    head = '  "overlay": { "region": "150924", "name": "test" },'

    def o(cid, note, text, field, code, line, name="bad.json", before=None):
        texts = list(before or []) + [{"name": name, "text": text}]
        out.append(case(f"malformed.overlay.{cid}", note, err("policy_error", field, code, line),
                        profile=profile(school_region="150924"), overlay_texts=texts))

    def param(name, values_rows, extra=None):
        rows = ["{", head, '  "parameters": {', f'    "{name}": {{']
        if extra:
            rows += [f"      {e}," for e in extra]
        rows += ['      "values": ['] + [f"        {v}" + ("," if i < len(values_rows) - 1 else "") for i, v in enumerate(values_rows)]
        rows += ["      ]", "    }", "  }", "}"]
        return lines(*rows)

    P = "compulsory_living_subsidy.boarder.primary"
    ok_value = '{ "from": "2020-09-01", "value": "1800.00", "source": "test" }'

    # not JSON / not an object
    t = lines("{", head, '  "parameters": {', "}")
    o("truncated", "policy/file.rs: structural errors name the line; a truncated file is invalid JSON (the root object is never closed)", t, "", "invalid_policy", 5)
    t = lines("{", head, '  "description": "x",', "}")
    o("trailing_comma", "invalid JSON: a trailing comma", t, "", "invalid_policy", 4)
    o("empty_text", "an empty text is not a policy file", "", "", "invalid_policy", 1)
    o("array", "a policy file is a JSON object", lines("[", '  { "overlay": { "region": "150924" } }', "]"), "", "invalid_policy", 1)
    o("null", "a policy file is a JSON object", "null", "", "invalid_policy", 1)
    o("positional_array", "a policy file is a JSON object, not its fields in order",
      lines('[null, { "region": "150924", "name": "positional" }]'), "", "invalid_policy", 1)
    t = lines("{", head, "  // a comment", '  "description": "x"', "}")
    o("comment", "JSON has no comments", t, "", "invalid_policy", 3)
    t = lines("{", head, '  "description": "bad \\q escape"', "}")
    o("bad_escape", "invalid JSON: an unknown escape", t, "description", "invalid_policy", 3)
    t = lines("{", head, '  "description": "\\ud800"', "}")
    o("lone_surrogate", "invalid JSON: a lone surrogate", t, "description", "invalid_policy", 3)

    # the overlay section
    o("missing_overlay", "policy/mod.rs: an overlay file needs an 'overlay' section with its region",
      lines("{", '  "description": "no overlay section"', "}"), "overlay", "missing_field", 1)
    o("missing_overlay_empty_object", "an empty object has no overlay section", "{}", "overlay", "missing_field", 1)
    t = lines("{", '  "overlay": {', '    "name": "no region"', "  }", "}")
    o("missing_region", "policy/file.rs: overlay.region is required", t, "overlay.region", "invalid_policy", 4)
    for i, (region, code) in enumerate([("15092", "invalid_region"), ("1509245", "invalid_region"), ("ABCDEF", "invalid_region"),
                                         ("", "invalid_region"), ("15 924", "invalid_region")]):
        t = lines("{", f'  "overlay": {{ "region": "{region}", "name": "test" }}', "}")
        o(f"bad_region_{i}", "policy/file.rs: an overlay's region is a six-digit GB/T 2260 code", t, "overlay.region", code, 2)
    t = lines("{", '  "overlay": { "region": 150924 }', "}")
    o("region_number", "the region is a string", t, "overlay.region", "invalid_policy", 2)
    t = lines("{", '  "overlay": { "region": "150924", "regoin": "150924" }', "}")
    o("overlay_unknown_field", "policy/file.rs: unknown fields are rejected", t, "overlay.regoin", "invalid_policy", 2)
    t = lines("{", head, '  "paramters": {}', "}")
    o("unknown_top_level_key", "policy/file.rs: unknown top-level keys are rejected", t, "paramters", "invalid_policy", 3)
    t = lines("{", '  "policy": { "id": "cn-fake", "coverage_start": "2010-09-01" },', head, '  "description": "x"', "}")
    o("national_policy_section", "policy/mod.rs: an overlay cannot redefine the policy's id or coverage", t, "policy", "not_allowed", 2)
    t = lines("{", head, '  "description": 5', "}")
    o("description_number", "description is text", t, "description", "invalid_policy", 3)
    t = lines("{", head, '  "parameters": []', "}")
    o("parameters_list", "parameters is an object of named parameters", t, "parameters", "invalid_policy", 3)

    # parameters
    t = param("compulsory_living_subsidy.boarder.primray", [ok_value])
    o("unknown_parameter", "policy/file.rs: an overlay may only override known parameters or define its own under its region",
      t, "parameters.compulsory_living_subsidy.boarder.primray", "unknown_parameter", 4)
    t = param("130431.grant.amount", [ok_value], ['"unit": "yuan_per_year"'])
    o("other_region_prefix", "an overlay's own parameters live under its own region prefix", t, "parameters.130431.grant.amount", "unknown_parameter", 4)
    t = param(P, [ok_value], ['"unit": "yuan_per_day"'])
    o("unit_mismatch", "policy/file.rs: an override keeps the national unit", t, f"parameters.{P}.unit", "unit_mismatch", 5)
    t = param(P, [ok_value], ['"unit": "dollars"'])
    o("unknown_unit", "units are a closed list", t, f"parameters.{P}.unit", "invalid_policy", 5)
    t = param("150924.own.amount", [ok_value])
    o("own_parameter_without_unit", "policy/file.rs: a new parameter needs its unit", t, "parameters.150924.own.amount.unit", "missing_field", 4)
    t = param("150924.Own.Amount", [ok_value], ['"unit": "yuan_per_year"'])
    o("parameter_name_upper_case", "policy/file.rs: parameter names hold only a-z, 0-9, '_' and '.'", t, "parameters.150924.Own.Amount", "invalid_name", 4)
    t = param(P, [ok_value], ['"regional_only": true'])
    o("regional_only_in_overlay", "policy/file.rs: only the national policy declares regional-only parameters", t, f"parameters.{P}.regional_only", "not_allowed", 5)
    t = param(P, [ok_value], ['"descripton": "typo"'])
    o("parameter_unknown_field", "unknown fields are rejected", t, f"parameters.{P}.descripton", "invalid_policy", 5)
    for cid, value, code in [
        ("negative_amount", '"-5.00"', "invalid_value"),
        ("negative_number", "-1", "invalid_value"),
        ("three_decimals", '"1800.005"', "invalid_value"),
        ("three_decimals_number", "1800.125", "invalid_value"),
        ("not_a_number", '"abc"', "invalid_value"),
        ("empty_string", '""', "invalid_value"),
        ("comma_decimal", '"1800,00"', "invalid_value"),
        ("yuan_sign", '"¥1800"', "invalid_value"),
        ("over_a_billion", '"1000000000.01"', "invalid_value"),
        ("huge_number", "1e10", "invalid_value"),
        ("bool_for_amount", "true", "invalid_value"),
        ("list_for_amount", '["1800.00"]', "invalid_value"),
        ("null_value", "null", "invalid_value"),
        ("object_value", '{ "amount": "1800.00" }', "invalid_value"),
    ]:
        t = param(P, [f'{{ "from": "2020-09-01", "value": {value}, "source": "test" }}'])
        o(f"value_{cid}", "policy/file.rs: amounts are decimals, never negative, kept to the fen, at most one billion",
          t, f"parameters.{P}.values[0].value", code, 6)
    t = param("key_groups.monitored_recognised", ['{ "from": "2019-01-01", "value": "yes", "source": "test" }'])
    o("flag_not_bool", "a flag is true or false", t, "parameters.key_groups.monitored_recognised.values[0].value", "invalid_value", 6)
    t = param("nutrition_improvement.pilot_regions.national", ['{ "from": "2019-01-01", "value": ["150924", "15092"], "source": "test" }'])
    o("regions_bad_code", "a region list holds six-digit codes", t, "parameters.nutrition_improvement.pilot_regions.national.values[0].value", "invalid_value", 6)
    t = param("nutrition_improvement.pilot_regions.national", ['{ "from": "2019-01-01", "value": "150924", "source": "test" }'])
    o("regions_not_list", "a region list is a list", t, "parameters.nutrition_improvement.pilot_regions.national.values[0].value", "invalid_value", 6)
    t = param(P, [ok_value, '{ "from": "2019-09-01", "value": "1900.00", "source": "test" }'])
    o("not_ascending", "policy/file.rs: values are by ascending 'from'", t, f"parameters.{P}.values[1].from", "not_ascending", 7)
    t = param(P, [ok_value, '{ "from": "2020-09-01", "value": "1900.00", "source": "test" }'])
    o("same_from_twice", "policy/file.rs: two values cannot start on one day", t, f"parameters.{P}.values[1].from", "not_ascending", 7)
    t = param(P, ['{ "from": "2020-09-01", "to": "2021-12-31", "value": "1800.00", "source": "test" }',
                  '{ "from": "2021-09-01", "value": "1900.00", "source": "test" }'])
    o("overlapping", "policy/file.rs: a value with a 'to' must end before the next starts", t, f"parameters.{P}.values[1].from", "overlap", 7)
    t = param(P, ['{ "from": "2020-09-01", "to": "2020-08-31", "value": "1800.00", "source": "test" }'])
    o("to_before_from", "policy/file.rs: 'to' is not before 'from'", t, f"parameters.{P}.values[0].to", "out_of_range", 6)
    t = param(P, ['{ "from": "2020-09-01", "value": "1800.00" }'])
    o("missing_source", "policy/file.rs: every figure needs its source", t, f"parameters.{P}.values[0].source", "invalid_policy", 6)
    t = param(P, ['{ "from": "2020-09-01", "value": "1800.00", "source": "" }'])
    o("empty_source", "policy/file.rs: every figure needs its source", t, f"parameters.{P}.values[0].source", "missing_source", 6)
    t = param(P, ['{ "from": "2020-09-01", "value": "1800.00", "source": "   " }'])
    o("blank_source", "policy/file.rs: a blank source is no source", t, f"parameters.{P}.values[0].source", "missing_source", 6)
    t = param(P, ['{ "value": "1800.00", "source": "test" }'])
    o("missing_from", "every value has its first day", t, f"parameters.{P}.values[0].from", "invalid_policy", 6)
    t = param(P, ['{ "from": "2020-13-01", "value": "1800.00", "source": "test" }'])
    o("from_not_a_date", "dates are ISO YYYY-MM-DD", t, f"parameters.{P}.values[0].from", "invalid_policy", 6)
    t = param(P, ['{ "from": "2020-09-01", "value": "1800.00", "source": "test", "mark": "maybe" }'])
    o("unknown_mark", "a mark is unconfirmed or default", t, f"parameters.{P}.values[0].mark", "invalid_policy", 6)
    t = param(P, ['{ "from": "2020-09-01", "valeu": "1800.00", "source": "test" }'])
    o("value_typo", "unknown fields are rejected", t, f"parameters.{P}.values[0].valeu", "invalid_policy", 6)
    t = param(P, [])
    o("empty_values", "policy/file.rs: a parameter needs values", t, f"parameters.{P}.values", "empty", 5)
    t = lines("{", head, '  "parameters": {', f'    "{P}": {{ "description": "no values" }}', "  }", "}")
    o("missing_values", "values are required", t, f"parameters.{P}.values", "invalid_policy", 4)

    # keys given twice: serde would keep the last one silently
    t = lines("{", head, '  "parameters": {', f'    "{P}": {{ "values": [ {ok_value} ] }},',
              f'    "{P}": {{ "values": [ {{ "from": "2021-09-01", "value": "1.00", "source": "test" }} ] }}', "  }", "}")
    o("duplicate_parameter", "policy/file.rs: a parameter named twice is rejected, not half-read", t, f"parameters.{P}", "duplicate", 5)
    t = lines("{", head, '  "description": "one",', '  "description": "two"', "}")
    o("duplicate_top_level_key", "a key given twice is rejected", t, "description", "duplicate", 4)
    t = param(P, ['{ "from": "2020-09-01", "value": "1800.00", "value": "18.00", "source": "test" }'])
    o("duplicate_value_key", "a key given twice is rejected", t, f"parameters.{P}.values[0].value", "duplicate", 6)
    dup_prog = json.dumps(base_prog_for_dup(), ensure_ascii=False).replace('"kind": "cash"', '"kind": "cash", "kind": "waiver"')
    t = lines("{", head, '  "parameters": {',
              '    "150924.grant.amount": { "unit": "yuan_per_year", "values": [ { "from": "2016-09-01", "value": "100.00", "source": "t" } ] }',
              "  },", '  "sections": {', '    "programs": [', "      " + dup_prog, "    ]", "  }", "}")
    o("duplicate_program_key", "a key given twice inside a section is rejected too", t, "sections.programs[0].kind", "duplicate", 8)

    # sections
    t = lines("{", head, '  "sections": {', '    "bonus": {}', "  }", "}")
    o("unknown_section", "policy/file.rs: sections are a closed list", t, "sections.bonus", "unknown_field", 4)
    t = lines("{", head, '  "sections": []', "}")
    o("sections_list", "sections is an object", t, "sections", "invalid_policy", 3)

    def program(fields, params=None):
        rows = ["{", head]
        if params:
            rows += ['  "parameters": {']
            for i, (n, u) in enumerate(params):
                rows.append(f'    "{n}": {{ "unit": "{u}", "values": [ {{ "from": "2016-09-01", "value": "100.00", "source": "t" }} ] }}' + ("," if i < len(params) - 1 else ""))
            rows += ["  },"]
        rows += ['  "sections": {', '    "programs": [', "      {"]
        items = list(fields.items())
        for i, (k, v) in enumerate(items):
            rows.append(f'        "{k}": {json.dumps(v, ensure_ascii=False)}' + ("," if i < len(items) - 1 else ""))
        rows += ["      }", "    ]", "  }", "}"]
        return lines(*rows)

    amount_param = ("150924.grant.amount", "yuan_per_year")
    base_prog = {"id": "150924.grant", "name_zh": "助学金", "kind": "cash", "schedule": "per_term", "basis": "test",
                 "when": {"stages": ["primary"]}, "amount": {"parameter": "150924.grant.amount"}}

    def prog(cid, note, changes, field, marker, drop=(), params=(amount_param,), plus=0):
        f = dict(base_prog)
        f.update(changes)
        for d in drop:
            f.pop(d)
        t = program(f, list(params))
        o(cid, note, t, field, "invalid_section", line_of(t, marker) + plus)

    prog("program_id_other_region", "rules.rs: a program id starts with the overlay's region", {"id": "130431.grant"},
         "sections.programs[0].id", '"id"')
    prog("program_id_no_prefix", "rules.rs: a program id is '<region>.<name>'", {"id": "grant"}, "sections.programs[0].id", '"id"')
    prog("program_id_upper_case", "rules.rs: after the region, a program id holds only a-z, 0-9 and '_'", {"id": "150924.Grant"},
         "sections.programs[0].id", '"id"')
    prog("program_id_empty_name", "rules.rs: a program needs a name after its region", {"id": "150924."}, "sections.programs[0].id", '"id"')
    prog("program_unknown_kind", "kinds are cash, waiver, in_kind, loan, award", {"kind": "grant"}, "sections.programs[0].kind", '"kind"')
    prog("program_unknown_schedule", "schedules are per_term and yearly", {"schedule": "monthly"}, "sections.programs[0].schedule", '"schedule"')
    prog("program_missing_basis", "rules.rs: a program needs its basis", {}, "sections.programs[0].basis", '"programs"', drop=("basis",), plus=1)
    prog("program_blank_basis", "rules.rs: a program needs its basis", {"basis": " "}, "sections.programs[0].basis", '"basis"')
    prog("program_blank_name", "rules.rs: a program needs its Chinese name", {"name_zh": ""}, "sections.programs[0].name_zh", '"name_zh"')
    prog("program_to_before_from", "rules.rs: 'to' is not before 'from'", {"from": "2020-09-01", "to": "2019-09-01"},
         "sections.programs[0].to", '"to"')
    prog("program_unknown_field", "rules.rs: unknown fields are rejected", {"amonut": {"parameter": "150924.grant.amount"}},
         "sections.programs[0].amonut", '"amonut"')
    prog("program_unknown_condition", "rules.rs: conditions are a closed list", {"when": {"stage": ["primary"]}},
         "sections.programs[0].when.stage", '"when"')
    prog("program_unknown_stage", "stages as in interface.md", {"when": {"stages": ["kindergarten"]}},
         "sections.programs[0].when.stages[0]", '"when"')
    prog("program_empty_stages", "rules.rs: an empty condition list could never hold", {"when": {"stages": []}},
         "sections.programs[0].when.stages", '"when"')
    prog("program_empty_statuses", "rules.rs: an empty condition list could never hold", {"when": {"statuses_any": []}},
         "sections.programs[0].when.statuses_any", '"when"')
    prog("program_empty_any_of", "rules.rs: an empty any_of could never hold", {"when": {"any_of": []}},
         "sections.programs[0].when.any_of", '"when"')
    prog("program_nested_empty", "rules.rs: conditions are checked inside any_of too", {"when": {"any_of": [{"stages": ["primary"]}, {"regions": []}]}},
         "sections.programs[0].when.any_of[1].regions", '"when"')
    prog("program_grade_zero", "rules.rs: grades run from 1 to 6", {"when": {"grades": [0]}}, "sections.programs[0].when.grades", '"when"')
    prog("program_grade_seven", "rules.rs: grades run from 1 to 6", {"when": {"grades": [1, 7]}}, "sections.programs[0].when.grades", '"when"')
    prog("program_bad_region_condition", "rules.rs: regions are six-digit codes", {"when": {"regions": ["150924", "1509"]}},
         "sections.programs[0].when.regions[1]", '"when"')
    prog("program_bad_status_condition", "statuses as in interface.md", {"when": {"statuses_any": ["poor"]}},
         "sections.programs[0].when.statuses_any[0]", '"when"')
    prog("program_condition_wrong_type", "boolean conditions are booleans", {"when": {"boarding": "yes"}},
         "sections.programs[0].when.boarding", '"when"')
    prog("program_missing_amount_parameter", "rules.rs: an amount names a parameter the policy defines",
         {"amount": {"parameter": "150924.nope"}}, "sections.programs[0].amount.parameter", '"amount"')
    prog("program_cash_without_amount", "rules.rs: only a waiver may leave out its amount", {}, "sections.programs[0].amount",
         '"programs"', drop=("amount",), plus=1)
    prog("program_tiered_missing", "rules.rs: a tiered amount needs PREFIX.tiers.top/middle/bottom",
         {"amount": {"tiered": "150924.grant"}}, "sections.programs[0].amount.tiered", '"amount"')
    prog("program_amount_unknown_rule", "rules.rs: amounts are parameter, by_stage or tiered", {"amount": {"fixed": "100.00"}},
         "sections.programs[0].amount", '"amount"')
    prog("program_by_stage_unknown_stage", "stages as in interface.md", {"amount": {"by_stage": {"kindergarten": "150924.grant.amount"}}},
         "sections.programs[0].amount.by_stage", '"amount"')
    prog("program_region_basis_unknown", "region_basis is school or hukou", {"region_basis": "home"}, "sections.programs[0].region_basis",
         '"region_basis"')
    t = lines("{", head, '  "sections": {', '    "programs": { "id": "150924.x" }', "  }", "}")
    o("programs_not_a_list", "rules.rs: programs is a list", t, "sections.programs", "invalid_section", 4)
    two = dict(base_prog)
    t = lines("{", head, '  "parameters": {',
              '    "150924.grant.amount": { "unit": "yuan_per_year", "values": [ { "from": "2016-09-01", "value": "100.00", "source": "t" } ] }',
              "  },", '  "sections": {', '    "programs": [', "      " + json.dumps(two, ensure_ascii=False) + ",",
              "      " + json.dumps(two, ensure_ascii=False), "    ]", "  }", "}")
    o("program_defined_twice", "rules.rs: a program id is defined once", t, "sections.programs[1].id", "invalid_section", 9)

    # several overlays: the bad one is named, the good one before it does not save it
    good = lines("{", head, '  "description": "fine"', "}")
    t = param(P, ['{ "from": "2020-09-01", "value": "-1", "source": "test" }'])
    o("second_file_bad", "policy/mod.rs: each overlay is rejected whole, naming its file", t, f"parameters.{P}.values[0].value",
      "invalid_value", 6, name="second.json", before=[{"name": "first.json", "text": good}])

    # size limit: 1 MiB (policy/file.rs MAX_OVERLAY_BYTES)
    big = '{"overlay": {"region": "150924"}, "description": "' + "x" * (1024 * 1024) + '"}'
    o("over_1_mib", "policy/file.rs: an overlay text over 1 MiB is rejected before parsing", big, "", "too_large", 0)
    return out


def boundaries():
    """Inputs at the edge of the rules that must still give an assessment (regressions of
    findings of the fuzzers and the property tests)."""
    out = []
    overlay = lines(
        "{",
        '  "overlay": { "region": "150924", "name": "odd school days" },',
        '  "parameters": {',
        '    "nutrition_improvement.school_days_per_year": { "values": [ { "from": "2016-09-01", "value": "201", "source": "test" } ] },',
        '    "nutrition_improvement.daily_rate": { "values": [ { "from": "2016-09-01", "value": "4.33", "source": "test" } ] },',
        '    "nutrition_improvement.pilot_regions.national": { "values": [ { "from": "2016-09-01", "value": ["150924"], "source": "test" } ] }',
        "  }",
        "}")
    out.append({
        "id": "malformed.boundary.odd_school_days",
        "note": "programs.md: nutrition pays per school day, half the year's days a term; 4.33 x 100.5 = 435.165, "
                "rounded to the fen half away from zero = 435.17 a term; school_year_total is the sum of the payments "
                "(870.34), annual_amount the rate x 201 days (870.33)",
        "as_of": "2024-10-01",
        "overlay_texts": [{"name": "odd-days.json", "text": overlay}],
        "profile": profile(school_region="150924"),
        "expect": {"entitled": {"nutrition_improvement": {
            "kind": "in_kind", "annual_amount": "870.33",
            "payments": {"2024-autumn": "435.17", "2025-spring": "435.17"}, "school_year_total": "870.34"}}},
    })
    out.append({
        "id": "malformed.boundary.student_id_128_bytes",
        "note": "profile.rs: student_id may be 128 bytes",
        "as_of": "2024-10-01",
        "profile": profile(student_id="S" * 128),
        "expect": {"only_entitled": ["compulsory_fee_waiver", "free_textbooks"]},
    })
    out.append({
        "id": "malformed.boundary.as_of_padded",
        "note": "calendar.rs: spaces around an ISO date are ignored",
        "as_of": " 2024-10-01 ",
        "profile": profile(),
        "expect": {"only_entitled": ["compulsory_fee_waiver", "free_textbooks"]},
    })
    out.append({
        "id": "malformed.boundary.region_000000",
        "note": "000000 is six digits: a region no overlay covers (not 'no region'), so Xinghe's programs do not apply",
        "as_of": "2018-10-01",
        "overlays": ["core/policy/regions/150924.json"],
        "profile": profile(stage="general_high", school_region="000000", hukou_region="000000",
                           household={"statuses": ["lifted_out_of_poverty"]}),
        "expect": {"not_eligible": {}, "only_entitled": ["high_school_fee_waiver", "high_school_national_grant"]},
    })
    return out


def write(name, description, cases):
    path = os.path.join(HERE, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"description": description, "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return len(cases)


def main():
    n = 0
    n += write("profile_types.json", "Malformed profiles: a value of the wrong type for every field (make_cases.py).", profile_types())
    n += write("profile_values.json", "Malformed profiles: unknown values, missing and unknown fields, impossible grades, huge numbers, contradictions, long strings (make_cases.py).", profile_values())
    n += write("profile_texts.json", "Malformed profile texts: not JSON, not an object, bad escapes, duplicates, deep nesting, over 64 KiB (make_cases.py).", profile_texts())
    n += write("dates.json", "Dates out of coverage and as_of texts that are not ISO dates (make_cases.py).", dates())
    n += write("boundaries.json", "Inputs at the edge of the rules that must still evaluate: regressions of fuzz and property findings (make_cases.py).", boundaries())
    n += write("overlays.json", "Overlay files with every kind of mistake: each a policy_error naming file, field and line (make_cases.py).", overlays())
    print(f"{n} malformed cases")


if __name__ == "__main__":
    main()
