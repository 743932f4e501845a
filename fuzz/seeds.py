#!/usr/bin/env python3
"""Regenerate the seed corpora of fuzz/corpus/<target>/ from the conformance cases, the
shipped overlays and the spec's examples. The seeds are kept in the repository; run this
after the corpus or the formats change (it rewrites only files named seed-*)."""
import datetime
import glob
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASE = datetime.date(2014, 1, 1)


def date_bytes(iso):
    days = max(0, (datetime.date.fromisoformat(iso) - BASE).days)
    return struct.pack("<H", days)


def write(target, items):
    out = os.path.join(HERE, "corpus", target)
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, "seed-*")):
        os.remove(old)
    seen = set()
    for data in items:
        if isinstance(data, str):
            data = data.encode()
        digest = hashlib.sha1(data).hexdigest()[:12]
        if digest in seen:
            continue
        seen.add(digest)
        with open(os.path.join(out, f"seed-{digest}"), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seen)} seeds")


def cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "conformance", "*.json"))):
        with open(path, encoding="utf-8") as f:
            yield from json.load(f)["cases"]


def profiles():
    out = []
    for case in cases():
        if "profile_text" in case:
            out.append((case.get("as_of", "2024-10-01"), case["profile_text"]))
        elif "profile" in case:
            out.append((case.get("as_of", "2024-10-01"), json.dumps(case["profile"], ensure_ascii=False)))
    return out


INTERFACE_EXAMPLE = """{
  "student_id": "S-0001", "resident_id": "130431201001011234", "birth_date": "2010-01-01",
  "stage": "junior_middle", "grade": 2, "full_time_formal": true, "boarding": true,
  "hukou": "rural", "hukou_region": "130431", "school_region": "130431",
  "major": { "agriculture_related": false, "performing_arts": false },
  "disability_grade": null,
  "household": { "statuses": ["lifted_out_of_poverty", "dibao"], "monitoring_risk_removed": false },
  "difficulty_level": null, "awards": [], "school_location": "rural", "nutrition_pilot": null,
  "veteran": false, "has_fixed_salary": false, "institution": "local"
}"""


def main():
    profs = profiles()
    write("profile_json", [INTERFACE_EXAMPLE] + [t for _, t in profs])

    evaluate = [date_bytes("2024-10-01") + b"\x00" + INTERFACE_EXAMPLE.encode()]
    for i, (as_of, text) in enumerate(profs):
        try:
            prefix = date_bytes(as_of)
        except (ValueError, TypeError):
            prefix = date_bytes("2024-10-01")
        evaluate.append(prefix + bytes([i % 4]) + text.encode())
    write("evaluate", evaluate)

    columns = ("student_id,resident_id,birth_date,stage,grade,full_time_formal,boarding,hukou,"
               "hukou_region,school_region,school_location,nutrition_pilot,major_agriculture_related,"
               "major_performing_arts,disability_grade,household_statuses,monitoring_risk_removed,"
               "difficulty_level,awards,veteran,has_fixed_salary,institution")
    write("roster_csv", [
        "student_id,stage,grade,hukou,household_statuses,boarding\n"
        "S1,junior_middle,2,rural,\"dibao,orphan\",true\n"
        "S2,primary,7,rural,,\n"
        "S3,undergraduate,3,urban,lifted_out_of_poverty,no\n",
        columns + "\n"
        "S-0001,11010519491231002X,2010-01-01,junior_middle,2,true,true,rural,130431,130431,rural,,"
        "false,false,,\"lifted_out_of_poverty,dibao\",false,,,false,false,local\n"
        "S-0002,,,secondary_vocational,1,1,0,urban,150924,150924,town,national,yes,no,3,"
        "monitored_marginal,true,general,secondary_vocational_national_scholarship,n,n,central\n",
        "\ufeffstage,grade,hukou\nprimary,1.0,rural\ndoctoral,6,urban\n",
        "stage;grade;hukou\nprimary;1;rural\n",
    ])

    overlays = []
    for path in sorted(glob.glob(os.path.join(ROOT, "core", "policy", "regions", "*.json"))
                       + glob.glob(os.path.join(ROOT, "tests", "conformance_finance", "overlays", "*.json"))):
        with open(path, encoding="utf-8") as f:
            overlays.append(f.read())
    overlays.append(json.dumps({
        "overlay": {"region": "150924", "name": "test"},
        "parameters": {
            "compulsory_living_subsidy.boarder.primary": {
                "values": [{"from": "2020-09-01", "value": "1800.00", "source": "test"},
                           {"from": "2022-09-01", "to": "2023-08-31", "value": 1900, "source": "test"}]},
            "nutrition_improvement.school_days_per_year": {
                "values": [{"from": "2020-09-01", "value": "210", "source": "test"}]},
            "key_groups.monitored_recognised": {
                "values": [{"from": "2019-01-01", "value": True, "source": "test"}]},
            "nutrition_improvement.pilot_regions.local": {
                "values": [{"from": "2016-09-01", "value": ["150924", "150900"], "source": "test"}]},
            "150924.x.amount": {"unit": "yuan_per_year",
                                "values": [{"from": "2016-09-01", "value": "100.50", "source": "t"}]},
            "150924.x.tiers.top": {"unit": "yuan_per_year",
                                   "values": [{"from": "2016-09-01", "value": "300", "source": "t"}]},
        },
        "sections": {"programs": [{
            "id": "150924.x", "name_zh": "x", "kind": "cash", "schedule": "per_term", "basis": "t",
            "from": "2017-09-01",
            "when": {"any_of": [{"stages": ["primary"], "grades": [1, 2]}, {"key_group": True}],
                     "min_difficulty_level": "general"},
            "amount": {"parameter": "150924.x.amount"}}]},
    }, ensure_ascii=False, indent=1))
    with open(os.path.join(ROOT, "core", "tests", "dropout.rs"), encoding="utf-8") as f:
        text = f.read()
    start = text.find('const XINGHE: &str = r#"')
    if start >= 0:
        start += len('const XINGHE: &str = r#"')
        overlays.append(text[start:text.find('"#;', start)])
    write("overlay", overlays)

    student = {"student_id": "S-0001", "name": "张三", "birth_date": "2010-05-20",
               "region": "130431", "stage": "junior_middle", "grade": 2,
               "household_statuses": ["lifted_out_of_poverty"], "groups": ["left_behind"]}
    ev = lambda **k: json.dumps(k, ensure_ascii=False)
    walk = [
        ev(type="opened", date="2024-09-11", trigger={"kind": "absence", "first_absent": "2024-09-02", "school_days": 8}),
        ev(type="persuasion_attempt", date="2024-09-12", actor="班主任", outcome="refused"),
        ev(type="escalated", date="2024-09-19", to="school_leaders"),
        ev(type="persuasion_attempt", date="2024-09-20", actor="副校长", outcome="promised_return"),
        ev(type="escalated", date="2024-09-27", to="bureau_and_principal"),
        ev(type="returned", date="2024-10-08", note="back"),
        ev(type="reopened", date="2024-10-20", reason="absent again"),
    ]
    exits = [
        ev(type="opened", date="2025-02-10", trigger={"kind": "registry", "ever_enrolled": False}),
        ev(type="classified", date="2025-02-11", classification="dropout"),
        ev(type="assessed", date="2025-02-20", by="县专家委员会", placement="home_teaching", teacher="李老师"),
        ev(type="home_visit", date="2025-02-24", teacher="李老师", hours=2),
        ev(type="approved_deferral", date="2025-03-01", kind="suspension", until="2025-08-31", by="县教育局"),
        ev(type="resumed", date="2025-09-01"),
        ev(type="transferred", date="2025-09-05", to_school="市一中", to_region="130400"),
        ev(type="receipt_confirmed", date="2025-09-10", by="市一中"),
    ]
    screening = [
        ev(type="opened", date="2024-09-05", trigger={"kind": "screening", "term": "2024-autumn"}),
        ev(type="guardian_measure", date="2024-09-06", measure="warning", by="派出所"),
        ev(type="court_outcome", date="2024-10-06", outcome="mediated", return_by="2024-10-16"),
        ev(type="approved_exemption", date="2024-10-07", by="县教育局"),
        ev(type="aged_out", date="2026-05-20"),
        ev(type="transfer_unconfirmed", date="2024-10-08"),
    ]
    seeds = []
    for i, events in enumerate([walk, exits, screening]):
        s = dict(student)
        if i == 1:
            s["region"] = "150924"
        seeds.append(bytes([i, 0x10, 0x0c]) + "\n".join([json.dumps(s, ensure_ascii=False)] + events).encode())
    write("case_events", seeds)

    ids = "\n".join([
        "11010519491231002X", "11010519491231002x", " 130431201001011234 ", "1304312010",
        "13043120100101123A", "130431201002301234", "130431201603050076", "张三",
        "bad '130431201001011234' and 12345 and 11010519491231002X.",
    ])
    rows = "\n".join([
        'R ' + json.dumps({"household_id": "H1", "resident_id": "130431201603050076", "name": "张三",
                          "status": "脱贫户", "region": "130431"}, ensure_ascii=False),
        'R ' + json.dumps({"household_id": "H1", "resident_id": "11010519491231002X", "name": "李四",
                          "status": ["lifted_out_of_poverty", "dibao"], "monitoring_risk_removed": False}, ensure_ascii=False),
        'R ' + json.dumps({"household_id": "H2", "resident_id": "130431201001011234", "status": "边缘易致贫户"}, ensure_ascii=False),
        'E ' + json.dumps({"student_id": "S1", "resident_id": "130431201603050076", "name": "张三", "stage": "primary",
                          "grade": 3, "school": "县一小", "school_region": "130400", "hukou_region": "130431",
                          "household_statuses": "lifted_out_of_poverty"}, ensure_ascii=False),
        'E ' + json.dumps({"resident_id": "1304312010", "stage": "junior_middle", "grade": "2.0"}),
        'E ' + json.dumps({"resident_id": "11010519491231002X", "stage": "primary", "grade": 9}),
    ])
    write("registry_rows", [date_bytes("2024-10-01") + ids.encode(),
                            date_bytes("2025-03-01") + rows.encode()])


def requests():
    kinds = {"loans": 0, "compensation": 1, "funds": 2, "allowances": 3, "care": 4}
    out = []
    for name, k in kinds.items():
        path = os.path.join(ROOT, "tests", "conformance_finance", f"{name}.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for case in json.load(f)["cases"]:
                if "input" in case:
                    # the low nibble picks the request kind, the high one the policy (national)
                    out.append(bytes([k]) + json.dumps(case["input"], ensure_ascii=False).encode())
    write("requests", out)


if __name__ == "__main__":
    requests()
    main()
