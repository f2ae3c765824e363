"""Does a JSON value fit a schema of the table? For tests of the emulator and of clients.

``violations("Invoice", body)`` lists every way ``body`` departs from the spec: fields the
schema does not define, required fields missing, wrong JSON types, values outside an enum,
strings over ``maxLength``, malformed dates and date-times, fractions in integer fields. A
``None`` value counts as an absent field. A list at the top level is checked item by item (batch
GETs and bare-list answers). An empty list means the value conforms.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from procountor_export.apispec import ApiTable, FieldSpec, load

INTEGER_FORMATS = frozenset({"int32", "int64"})


def violations(
    schema: str, value: Any, *, table: ApiTable | None = None, path: str = ""
) -> list[str]:
    """Every departure of ``value`` from ``schema`` as ``"path: what"`` strings."""
    table = table or load()
    if isinstance(value, list) and not path:
        found: list[str] = []
        for index, item in enumerate(value):
            found.extend(_object(table, schema, item, f"[{index}]"))
        return found
    return _object(table, schema, value, path)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(table: ApiTable, schema: str, value: Any, path: str) -> list[str]:
    where = path or "(body)"
    if not isinstance(value, dict):
        return [f"{where}: expected an object ({schema}), got {type(value).__name__}"]
    if not table.has_schema(schema):
        return [f"{where}: the table has no schema {schema}"]
    fields = table.fields(schema)
    found = [f"{_join(path, key)}: not a field of {schema}" for key in value if key not in fields]
    for name, spec in fields.items():
        at = _join(path, name)
        item = value.get(name)
        if item is None:
            if spec.required:
                found.append(f"{at}: required by {schema} but missing")
            continue
        if spec.array:
            if not isinstance(item, list):
                found.append(f"{at}: expected an array")
                continue
            for index, element in enumerate(item):
                found.extend(_field(table, spec, element, f"{at}[{index}]"))
        else:
            found.extend(_field(table, spec, item, at))
    return found


def _field(table: ApiTable, spec: FieldSpec, value: Any, at: str) -> list[str]:
    if spec.ref:
        return _object(table, spec.ref, value, at)
    kind = spec.type
    if kind == "string":
        return _string(spec, value, at)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{at}: expected a number, got {value!r}"]
        if spec.format in INTEGER_FORMATS and value != int(value):
            return [f"{at}: expected an integer ({spec.format}), got {value!r}"]
        return []
    if kind == "boolean" and not isinstance(value, bool):
        return [f"{at}: expected true or false, got {value!r}"]
    return []


def _string(spec: FieldSpec, value: Any, at: str) -> list[str]:
    if not isinstance(value, str):
        return [f"{at}: expected a string, got {value!r}"]
    if spec.enum is not None and value not in spec.enum:
        return [f"{at}: {value!r} is not one of the spec's values"]
    if spec.max_length is not None and len(value) > spec.max_length:
        return [f"{at}: longer than {spec.max_length} characters"]
    if spec.format == "date" and not _is_date(value):
        return [f"{at}: {value!r} is not a date YYYY-MM-DD"]
    if spec.format == "date-time" and not _is_datetime(value):
        return [f"{at}: {value!r} is not a date-time"]
    return []


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value


__all__ = ["violations"]
