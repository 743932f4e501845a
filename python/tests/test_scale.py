"""Issue 9: evaluate_table inside PySpark local mode (``mapInArrow``) and inside Dask
(``map_partitions``) on a generated roster of a few thousand rows, with a region overlay
(so the policy is pickled to the workers) and a few bad rows; both must give exactly the
single-process result. Skipped, with the reason, when pyspark, Java or dask is missing
(``scripts/test.sh`` installs them)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import eduaid
from rosters import make_roster

pa = pytest.importorskip("pyarrow")
pytestmark = pytest.mark.scale

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PYTHON_DIR.parent
AS_OF = "2024-10-01"
ROWS = 3000


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("spark_dask_example", PYTHON_DIR / "examples" / "spark_dask.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    try:  # worker processes cannot import the example by name: ship its functions by value
        import cloudpickle

        cloudpickle.register_pickle_by_value(module)
    except ImportError:
        pass
    return module


example = _example()


@pytest.fixture(scope="module")
def policy() -> eduaid.Policy:
    return eduaid.Policy.national().with_overlay(REPO_ROOT / "core" / "policy" / "regions" / "150924.json")


@pytest.fixture(scope="module")
def roster() -> Any:
    rows: List[Dict[str, Any]] = make_roster(ROWS, seed=9)
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["school_region"] = row["hukou_region"] = "150924"
        else:
            row["hukou_region"] = None
    rows[10]["grade"] = 9  # bad rows: reported, never fatal
    rows[2000]["household_statuses"] = "dibao,dibaoo"
    return pa.Table.from_pylist(rows)


@pytest.fixture(scope="module")
def reference(roster: Any, policy: eduaid.Policy) -> Any:
    return eduaid.evaluate_table_with_errors(roster, AS_OF, policy)


def _error_ids(table: Any) -> List[str]:
    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    return sorted(table["student_id"].to_pylist())


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pyspark is not installed (scripts/test.sh installs it)")
    if shutil.which("java") is None:
        pytest.skip("PySpark needs Java (java 17 or later on PATH)")
    session = example.spark_session(partitions=4)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_pyspark_map_in_arrow(spark: Any, roster: Any, policy: eduaid.Policy, reference: Any) -> None:
    sdf = example.spark_dataframe(spark, roster, partitions=4)
    assert sdf.rdd.getNumPartitions() == 4
    got = example.canonical(example.spark_entitlements(sdf, AS_OF, policy).toArrow())
    assert got.num_rows == reference.entitlements.num_rows
    assert got.equals(example.canonical(reference.entitlements))
    errors = example.spark_errors(sdf, AS_OF, policy).toArrow()
    assert _error_ids(errors) == _error_ids(reference.errors) == ["S-000010", "S-002000"]


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dask_map_partitions(scheduler: str, roster: Any, policy: eduaid.Policy, reference: Any) -> None:
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed (scripts/test.sh installs it)")
    import dask

    ddf = dd.from_pandas(roster.to_pandas(), npartitions=6)
    with dask.config.set(scheduler=scheduler):
        got = example.dask_entitlements(ddf, AS_OF, policy).compute()
        errors = example.dask_errors(ddf, AS_OF, policy).compute()
    assert example.canonical(got).equals(example.canonical(reference.entitlements))
    assert _error_ids(errors) == ["S-000010", "S-002000"]
