"""Fixtures shared by the tests."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from rosters import make_roster


@pytest.fixture(scope="session")
def roster_rows() -> List[Dict[str, Any]]:
    """600 valid roster rows (deterministic)."""
    return make_roster(600)
