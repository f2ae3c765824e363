"""Procountor's API 26.04 as data: the operations the emulator serves and the schemas they use.

The facts come from Procountor's own OpenAPI document (https://pts-api.procountor.com/api/
openapi.json, version 26.04) as rendered in rantalainen/procountor-api-client ``src/api.ts`` and
extracted to ``procountor-openapi-26.04.json`` (the shared full table). ``api-26.04.json`` in this
package is the subset covering every operation the emulator serves plus every schema those
operations' bodies and responses reference, transitively; ``tools/extract_api_table.py``
regenerates it. Nothing here is our reading of the API: only the spec's field names, types,
enums, required flags and lengths.

This package is a leaf (it imports nothing from the project), so the emulator and the client's
tests can both check themselves against it::

    table = load()
    table.operation("POST", "/invoices").body_schema        # "Invoice"
    table.fields("InvoicingInfo")["identifier"].type        # "string"
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

TABLE_FILE = "api-26.04.json"
_PARAMETER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a schema (or a query/path parameter) as the spec types it.

    ``type`` is the JSON type (``string``, ``number``, ``boolean``, ``object``…) or ``None`` when
    the field is a ``ref`` to another schema; ``array`` means a list of that type or schema.
    ``minimum``/``maximum`` are the spec's numeric bounds (``min``/``max``).
    """

    name: str
    type: str | None = None
    ref: str | None = None
    array: bool = False
    required: bool = False
    enum: tuple[str, ...] | None = None
    max_length: int | None = None
    min_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    format: str | None = None
    default: Any = None

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> FieldSpec:
        enum = data.get("enum")
        return cls(
            name=name,
            type=data.get("type"),
            ref=data.get("ref"),
            array=bool(data.get("array", False)),
            required=bool(data.get("required", False)),
            enum=tuple(str(value) for value in enum) if enum is not None else None,
            max_length=data.get("maxLength"),
            min_length=data.get("minLength"),
            minimum=data.get("min"),
            maximum=data.get("max"),
            format=data.get("format"),
            default=data.get("default"),
        )


def _fields(raw: Mapping[str, Any] | None) -> dict[str, FieldSpec]:
    return {name: FieldSpec.from_json(name, spec) for name, spec in (raw or {}).items()}


@dataclass(frozen=True)
class Schema:
    """A named object schema: its fields by name."""

    name: str
    fields: Mapping[str, FieldSpec]


@dataclass(frozen=True)
class Response:
    """One documented answer of an operation; ``schema`` names the body schema (or ``None``)."""

    status: str
    label: str
    schema: str | None


@dataclass(frozen=True)
class Operation:
    """One ``METHOD /path`` of the spec (path relative to the API root, spec parameter names).

    The request body is either a named schema (``body_schema``) or, for multipart uploads, an
    inline object whose parts are ``body_fields``.
    """

    method: str
    path: str
    name: str | None
    body_schema: str | None
    body_fields: Mapping[str, FieldSpec] | None
    query: Mapping[str, FieldSpec]
    path_params: Mapping[str, FieldSpec]
    responses: Mapping[str, Response]

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    def response_schema(self, status: str = "200") -> str | None:
        """The schema of the ``status`` answer, ``None`` if undocumented or schema-less."""
        response = self.responses.get(status)
        return response.schema if response else None

    @classmethod
    def from_json(cls, key: str, data: Mapping[str, Any]) -> Operation:
        method, path = key.split(" ", 1)
        body = data.get("body") or {}
        responses = {
            status: Response(status, str(answer.get("label", "")), answer.get("schema"))
            for status, answer in (data.get("responses") or {}).items()
        }
        return cls(
            method=method,
            path=path,
            name=data.get("name"),
            body_schema=body.get("ref"),
            body_fields=_fields(body["fields"]) if "fields" in body else None,
            query=_fields(data.get("query")),
            path_params=_fields(data.get("path_params")),
            responses=responses,
        )


def path_shape(path: str) -> str:
    """``path`` with every ``{parameter}`` written ``{}``, to match routes whatever their names."""
    return _PARAMETER.sub("{}", path)


@dataclass(frozen=True)
class ApiTable:
    """The loaded table: ``source`` and ``version`` notes, operations and schemas."""

    source: str
    version: str
    operations: Mapping[str, Operation]
    schemas: Mapping[str, Schema]
    _by_shape: Mapping[tuple[str, str], Operation] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ApiTable:
        operations = {
            key: Operation.from_json(key, raw) for key, raw in data.get("operations", {}).items()
        }
        schemas = {
            name: Schema(name, _fields(raw.get("fields")))
            for name, raw in data.get("schemas", {}).items()
        }
        by_shape = {(op.method, path_shape(op.path)): op for op in operations.values()}
        return cls(
            source=str(data.get("source", "")),
            version=str(data.get("version", "")),
            operations=operations,
            schemas=schemas,
            _by_shape=by_shape,
        )

    def has_schema(self, name: str) -> bool:
        return name in self.schemas

    def schema(self, name: str) -> Schema:
        """The schema ``name``; ``KeyError`` if the table does not hold it."""
        return self.schemas[name]

    def fields(self, schema: str) -> Mapping[str, FieldSpec]:
        """The fields of ``schema`` by name."""
        return self.schemas[schema].fields

    def operation(self, method: str, path: str) -> Operation:
        """The operation ``METHOD path``; parameter names in ``path`` do not matter
        (``/invoices/{id}`` finds ``/invoices/{invoiceId}``). ``KeyError`` if not in the table."""
        found = self.find_operation(method, path)
        if found is None:
            raise KeyError(f"{method.upper()} {path}")
        return found

    def find_operation(self, method: str, path: str) -> Operation | None:
        """Like :meth:`operation`, but ``None`` when the table has no such operation."""
        return self._by_shape.get((method.upper(), path_shape(path)))


def load_file(path: str | Path) -> ApiTable:
    """A table read from ``path`` (the shipped subset or the full shared file)."""
    return ApiTable.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def load() -> ApiTable:
    """The table shipped with this package (``api-26.04.json``), read once."""
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    return ApiTable.from_json(json.loads(text))


__all__ = [
    "TABLE_FILE",
    "ApiTable",
    "FieldSpec",
    "Operation",
    "Response",
    "Schema",
    "load",
    "load_file",
    "path_shape",
]
