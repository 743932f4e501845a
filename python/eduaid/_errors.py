"""Exceptions of eduaid: one base class, one subclass per kind of the core's errors.

Every error carries the same four facts on every surface (interface.md, "Errors"): the
``kind``, the path of the offending ``field`` (``household.statuses[1]``), a stable
``code`` and a ``message`` a person can act on. The native module raises these classes;
it maps the core's kinds, it never invents one (a caught panic, a defect of the library,
is the base class with kind ``internal_error``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type


class EduaidError(Exception):
    """Base class of every error raised (or returned) by eduaid.

    >>> import eduaid
    >>> try:
    ...     eduaid.evaluate({"stage": "primary", "grade": 1, "hukou": "rural",
    ...                      "household": {"statuses": ["dibao", "dibaoo"]}}, "2024-10-01")
    ... except eduaid.EduaidError as e:
    ...     print(type(e).__name__, e.kind, e.field, e.code)
    InvalidInput invalid_input household.statuses[1] unknown_variant
    """

    kind: str
    """The stable kind: ``invalid_input``, ``policy_error``, ``policy_not_in_force``,
    ``case_error`` (``internal_error`` for a defect of the library)."""
    field: str
    """The path of the offending field (``""`` when the whole input is at fault)."""
    code: str
    """The stable code of the problem, e.g. ``unknown_variant``, ``out_of_range``."""
    message: str
    """A sentence a person can act on (without the field prefix)."""
    row: Optional[int]
    """The 0-based row of the roster, for an error of ``evaluate_table``; else ``None``."""

    def __init__(
        self,
        text: str,
        *,
        kind: str = "internal_error",
        field: str = "",
        code: str = "",
        message: Optional[str] = None,
        row: Optional[int] = None,
    ) -> None:
        super().__init__(text)
        self.kind = kind
        self.field = field
        self.code = code
        self.message = text if message is None else message
        self.row = row

    def to_dict(self) -> Dict[str, Any]:
        """The error envelope of interface.md: ``kind``, ``field``, ``code``, ``message``."""
        return {"kind": self.kind, "field": self.field, "code": self.code, "message": self.message}

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keyword-only attributes survive pickling (multiprocessing, Spark, Dask).
        return (self.__class__, (str(self),), dict(self.__dict__))


class InvalidInput(EduaidError):
    """The caller's data is malformed or contradictory (a profile, a row, a date)."""


class PolicyError(EduaidError):
    """A policy or overlay file is invalid; it was rejected whole.

    ``file`` and ``line`` (1-based, 0 when unknown) locate the offending field.
    """

    file: str
    """The file (or the label given for a text) that holds the error."""
    line: int
    """The 1-based line of the offending field (0 when unknown)."""

    def __init__(self, text: str, *, file: str = "", line: int = 0, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.file = file
        self.line = line


class NotInForce(EduaidError):
    """The date asked about is outside the policy's coverage (kind ``policy_not_in_force``)."""


class CaseError(EduaidError):
    """A dropout-case event is not allowed in the case's current state."""


class RowErrorWarning(UserWarning):
    """``evaluate_table`` skipped rows that could not be evaluated (``errors="warn"``);
    ``evaluate_table_with_errors`` returns them as a table."""


_CLASSES: Dict[str, Type[EduaidError]] = {
    "invalid_input": InvalidInput,
    "policy_error": PolicyError,
    "policy_not_in_force": NotInForce,
    "case_error": CaseError,
}


def error_from_row(kind: str, field: str, code: str, message: str, row: Optional[int]) -> EduaidError:
    """The exception of one row of an errors table."""
    cls = _CLASSES.get(kind, EduaidError)
    text = f"{field}: {message}" if field else message
    if row is not None:
        text = f"row {row}: {text}"
    return cls(text, kind=kind, field=field, code=code, message=message, row=row)


for _cls in (EduaidError, InvalidInput, PolicyError, NotInForce, CaseError, RowErrorWarning):
    _cls.__module__ = "eduaid"
