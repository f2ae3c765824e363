"""JSON on the wire: decimals written as JSON numbers exactly as they are, never via float.

The standard ``json`` module cannot write a :class:`~decimal.Decimal` as a number, and going
through ``float`` would turn ``350.00`` into ``350.0`` and some sums into ``0.30000000000000004``.
:func:`dumps` writes the value's own digits; :func:`loads` reads every JSON number with a
fraction or exponent as a ``Decimal`` so that nothing is rounded on the way in either.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["dumps", "loads"]

_encode_string = json.encoder.encode_basestring_ascii


def dumps(value: Any) -> bytes:
    """Encode ``value`` as compact JSON (UTF-8 bytes, ASCII-escaped strings).

    Handles dicts, lists, tuples, strings, ints, bools, ``None``, ``Decimal`` (as a number),
    finite floats, ``date``/``datetime`` (ISO 8601) and enums (their value).
    """
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("ascii")


def loads(data: bytes | str) -> Any:
    """Decode JSON, reading non-integer numbers as ``Decimal``."""
    return json.loads(data, parse_float=Decimal)


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, enum.Enum):
        _write(value.value, out)
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, Decimal):
        out.append(_decimal(value))
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cannot write {value!r} as JSON")
        out.append(repr(value))
    elif isinstance(value, dt.datetime | dt.date):
        out.append(f'"{value.isoformat()}"')
    elif isinstance(value, Mapping):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(_encode_string(str(key)))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot write {value!r} as JSON")
    # str() keeps the scale (350.00 stays 350.00); large or tiny exponents come out as
    # 1E+3 / 1E-7, which JSON accepts as numbers too.
    return str(value)
