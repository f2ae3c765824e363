"""The emulator checked against Procountor's API table (:mod:`procountor_export.apispec`).

- :func:`unknown_fields` is the unknown-field rule of a body schema, which
  :func:`procountor_export.emulator.routes.body.read_body` applies to a route's JSON body: a
  field the schema does not define (recursively, through ``ref`` fields and arrays) is a 400
  naming its path, e.g. ``invoiceRows[0].foo`` with the message
  ``Unknown field 'foo': InvoiceRow has no such field``. With the ``strictFields`` reading off
  (``--lenient``) such fields are dropped instead, as a lenient JSON binder would ignore them,
  so they are neither stored nor echoed back.
- :func:`table_problems` adds what the table itself says about a body (required fields, enum
  values, string lengths, numeric bounds) for every path the hand-written validators did not
  already report, so they can never accept less than the spec demands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from procountor_export import apispec
from procountor_export.apispec import FieldSpec
from procountor_export.emulator.checks import as_decimal, blank
from procountor_export.emulator.errors import ErrorEntry, Problems

TABLE = apispec.load()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def unknown_message(name: str, schema: str) -> str:
    return f"Unknown field '{name}': {schema} has no such field"


def unknown_fields(schema: str, value: Any, path: str = "") -> list[ErrorEntry]:
    """A problem for every key of ``value`` (an object of ``schema``) the schema lacks."""
    if not isinstance(value, dict) or not TABLE.has_schema(schema):
        return []
    fields = TABLE.fields(schema)
    problems: list[ErrorEntry] = []
    for key, item in value.items():
        spec = fields.get(key)
        at = _join(path, key)
        if spec is None:
            problems.append(ErrorEntry(unknown_message(key, schema), at))
        elif spec.ref:
            for child_path, child in _children(spec, item, at):
                problems.extend(unknown_fields(spec.ref, child, child_path))
    return problems


def without_unknown(schema: str, value: Any) -> Any:
    """``value`` without the fields ``schema`` does not define (recursively); a new object."""
    if not isinstance(value, dict) or not TABLE.has_schema(schema):
        return value
    fields = TABLE.fields(schema)
    kept: dict[str, Any] = {}
    for key, item in value.items():
        spec = fields.get(key)
        if spec is None:
            continue
        if spec.ref and spec.array and isinstance(item, list):
            kept[key] = [without_unknown(spec.ref, element) for element in item]
        elif spec.ref:
            kept[key] = without_unknown(spec.ref, item)
        else:
            kept[key] = item
    return kept


def _children(spec: FieldSpec, item: Any, at: str) -> list[tuple[str, Any]]:
    """The (path, object) pairs below a ``ref`` field: its elements if an array."""
    if spec.array:
        if not isinstance(item, list):
            return []
        return [(f"{at}[{index}]", element) for index, element in enumerate(item)]
    return [(at, item)]


# -- the table's own constraints -----------------------------------------------------------


def table_problems(schema: str, body: Any, problems: Problems, path: str = "") -> None:
    """Add the table's required/enum/length/bound problems of ``body`` (an object of
    ``schema`` at ``path``) for every field path not already reported in ``problems``."""
    if not isinstance(body, dict):
        return
    reported = {problem.field for problem in problems.items if problem.field is not None}
    _walk(schema, body, path, reported, problems)


def _covered(at: str, reported: set[str]) -> bool:
    return any(at == r or at.startswith(r + ".") or at.startswith(r + "[") for r in reported)


def _walk(
    schema: str, data: dict[str, Any], path: str, reported: set[str], problems: Problems
) -> None:
    for name, spec in TABLE.fields(schema).items():
        at = _join(path, name)
        if _covered(at, reported):
            continue
        value = data.get(name)
        if value is None:
            if spec.required:
                problems.add(at, blank(at))
            continue
        if spec.array:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    _value(spec, item, f"{at}[{index}]", reported, problems)
        else:
            _value(spec, value, at, reported, problems)


def _bound(value: float) -> Decimal:
    number = Decimal(str(value))
    return number.to_integral_value() if number == number.to_integral_value() else number


def _value(spec: FieldSpec, value: Any, at: str, reported: set[str], problems: Problems) -> None:
    if spec.ref:
        if isinstance(value, dict) and TABLE.has_schema(spec.ref):
            _walk(spec.ref, value, at, reported, problems)
        return
    if isinstance(value, str):
        if spec.enum is not None and value not in spec.enum:
            problems.add(at, f"Invalid value '{value}' of '{at}'")
        elif spec.max_length is not None and len(value) > spec.max_length:
            problems.add(at, f"Value of '{at}' is too long (max {spec.max_length} characters)")
        elif spec.min_length and len(value) < spec.min_length:
            problems.add(at, blank(at))
        return
    number = as_decimal(value) if spec.type == "number" else None
    if number is None:
        return
    if spec.minimum is not None and number < _bound(spec.minimum):
        problems.add(at, f"Value of '{at}' must be at least {_bound(spec.minimum)}")
    elif spec.maximum is not None and number > _bound(spec.maximum):
        problems.add(at, f"Value of '{at}' must be at most {_bound(spec.maximum)}")
