"""Test helpers: a small deterministic roster in the flattened columns of
interface.md ("Rosters as tables"), as plain Python rows, and the profile of a row."""

from __future__ import annotations

import random
from typing import Any, Dict, List, Optional

STAGES = {
    "preschool": 3,
    "primary": 6,
    "junior_middle": 3,
    "general_high": 3,
    "secondary_vocational": 3,
    "higher_vocational": 3,
    "undergraduate": 5,
    "masters": 3,
    "doctoral": 6,
}
STATUSES = [
    "lifted_out_of_poverty",
    "monitored_unstable",
    "monitored_marginal",
    "monitored_sudden_hardship",
    "dibao",
    "tekun",
    "orphan",
    "de_facto_unsupported",
    "martyr_child",
    "disabled_parent",
]
REGIONS = ["", "130431", "150924", "370215", "110101"]


def make_roster(n: int, seed: int = 7) -> List[Dict[str, Any]]:
    """``n`` valid roster rows covering every stage, status and flag, with nulls."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        stage = rnd.choice(list(STAGES))
        key = rnd.random() < 0.35
        statuses = rnd.sample(STATUSES, rnd.choice([1, 1, 2])) if key else []
        rows.append(
            {
                "student_id": f"S-{i:06d}",
                "stage": stage,
                "grade": rnd.randint(1, STAGES[stage]),
                "hukou": rnd.choice(["rural", "rural", "urban"]),
                "boarding": rnd.random() < 0.4,
                "full_time_formal": rnd.random() < 0.95,
                "school_region": rnd.choice(REGIONS),
                "school_location": rnd.choice([None, "city", "town", "rural"]),
                "nutrition_pilot": rnd.choice([None, None, "national", "local"]),
                "major_agriculture_related": rnd.random() < 0.1,
                "disability_grade": rnd.choice([None] * 9 + [1, 2, 3, 4]),
                "household_statuses": ",".join(statuses),
                "monitoring_risk_removed": rnd.random() < 0.1,
                "difficulty_level": rnd.choice([None] * 6 + ["especially", "relatively", "general"]),
                "veteran": rnd.random() < 0.02,
                "has_fixed_salary": rnd.random() < 0.05,
                "institution": rnd.choice(["local", "local", "central"]),
            }
        )
    return rows


def row_to_profile(row: Dict[str, Any]) -> Dict[str, Any]:
    """One flat row as the interface.md profile (nested household and major)."""
    profile: Dict[str, Any] = {}
    for k, v in row.items():
        if v is None:
            continue
        if k == "household_statuses":
            continue
        if k == "monitoring_risk_removed":
            continue
        if k.startswith("major_"):
            profile.setdefault("major", {})[k[len("major_") :]] = v
            continue
        profile[k] = v
    statuses = [s for s in (row.get("household_statuses") or "").split(",") if s]
    profile["household"] = {
        "statuses": statuses,
        "monitoring_risk_removed": bool(row.get("monitoring_risk_removed")),
    }
    return profile


def columns(rows: List[Dict[str, Any]]) -> Dict[str, List[Optional[Any]]]:
    """Rows as a dict of columns."""
    names = list(rows[0]) if rows else []
    return {name: [r.get(name) for r in rows] for name in names}
