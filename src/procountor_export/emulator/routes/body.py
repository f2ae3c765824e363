"""A route's JSON body read against the API table: the unknown-field rule of its operation.

A field the body schema does not define (recursively, through ``ref`` fields and arrays) is a
400 naming its path (:func:`~procountor_export.emulator.rules.spec.unknown_fields`); with the
``strictFields`` reading off (``--lenient``) such fields are dropped instead, as a lenient JSON
binder would ignore them, so they are neither stored nor echoed back.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from procountor_export.emulator.dependencies import emulator_of
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.rules.spec import TABLE, unknown_fields, without_unknown
from procountor_export.emulator.state import EmulatorState
from procountor_export.emulator.wire import read_json

API_PREFIX = "/api"


def body_schema(request: Request) -> str | None:
    """The body schema of the operation the request's route serves (``None``: none known)."""
    route = request.scope.get("route")
    template = getattr(route, "path_format", None)
    if not isinstance(template, str) or not template.startswith(API_PREFIX + "/"):
        return None
    operation = TABLE.find_operation(request.method, template.removeprefix(API_PREFIX))
    return operation.body_schema if operation else None


def accept_fields(emulator: EmulatorState, schema: str | None, body: Any, path: str = "") -> Any:
    """Apply the unknown-field rule to ``body`` of ``schema``: 400 when strict, else dropped."""
    if schema is None:
        return body
    if emulator.readings.strict_fields:
        problems = unknown_fields(schema, body, path)
        if problems:
            raise ApiError(400, problems)
        return body
    return without_unknown(schema, body)


async def read_body(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The request's JSON object, unknown fields refused (or dropped when lenient).

    With ``optional`` an empty body reads as ``{}`` (actions whose body may be left out).
    """
    if optional and not (await request.body()).strip():
        return {}
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    accepted: dict[str, Any] = accept_fields(emulator_of(request), body_schema(request), body)
    return accepted
