"""The JSON answers of the core as Python values: money as ``decimal.Decimal``, dates as
``datetime.date``, everything else as ``json.loads`` reads it.

The core writes money as a decimal string (``"1500.00"``) and dates as ``YYYY-MM-DD``;
``decode`` turns every such string into a ``Decimal`` or a ``date``, except the values
of identifiers and names (keys ``id``, ``*_id``, ``name``, ``*_name``), which stay text.
``encode`` gives the JSON form back (``Decimal`` as its exact text, ``date`` as ISO), so
``json.loads(encode(decode(text)))`` equals ``json.loads(text)``.

>>> decode('{"amount": "1500.00", "from": "2024-09-01", "student_id": "2024-09-01", "n": 2}')
{'amount': Decimal('1500.00'), 'from': datetime.date(2024, 9, 1), 'student_id': '2024-09-01', 'n': 2}
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any, Optional

_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _is_text_key(key: Optional[str]) -> bool:
    return key is not None and (key in ("id", "name") or key.endswith("_id") or key.endswith("_name"))


def _convert(value: Any, key: Optional[str]) -> Any:
    if isinstance(value, str):
        if _is_text_key(key):
            return value
        if _DECIMAL.match(value):
            return Decimal(value)
        if _DATE.match(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        return {k: _convert(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, key) for v in value]
    return value


def decode(text: str) -> Any:
    """The core's JSON text as Python values (money ``Decimal``, dates ``date``)."""
    return _convert(json.loads(text), None)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no JSON form")


def encode(value: Any, *, indent: Optional[int] = None) -> str:
    """The JSON text of a decoded answer (``Decimal`` as its text, ``date`` as ISO)."""
    return json.dumps(value, default=_default, ensure_ascii=False, indent=indent)
