"""Runs the examples in the docstrings of the native module ``eduaid._eduaid`` (pytest's
``--doctest-modules`` collects only the ``.py`` files of the package)."""

from __future__ import annotations

import doctest
import inspect
from typing import Any, List

import pytest

from eduaid import _eduaid


def _examples() -> List[Any]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for name, obj in sorted(vars(_eduaid).items()):
        if name.startswith("__") or not (inspect.isclass(obj) or callable(obj)):
            continue
        # module=False: the objects say they belong to ``eduaid``, not to ``_eduaid``.
        for test in finder.find(obj, name, module=False, globs={}):
            if test.examples:
                tests.append(pytest.param(test, id=test.name))
    return tests


EXAMPLES = _examples()


def test_the_native_module_has_examples() -> None:
    names = {p.values[0].name for p in EXAMPLES}
    assert {"evaluate", "evaluate_many", "Assessment", "Policy.national"} <= names


@pytest.mark.parametrize("test", EXAMPLES)
def test_docstring_example(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    out: List[str] = []
    result = runner.run(test, out=out.append)
    assert result.failed == 0, "".join(out)
