"""JSON on the wire: decimals in (``parse_float=Decimal``), JSON numbers out, dates as ISO text."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from procountor_export.emulator.errors import ApiError


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    """Parse a request body; numbers with a fraction become ``Decimal``. Raises ``ValueError``."""
    return json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)


async def read_json(request: Request) -> Any:
    """The request's JSON body; an empty or unparsable body is a 400 with Procountor's envelope."""
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "Request body is missing")
    try:
        return parse_json(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(400, f"Malformed JSON: {exc}") from None


async def read_object(request: Request) -> dict[str, Any]:
    """The request's JSON body, which must be an object."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    return body


def plain(value: Any) -> Any:
    """``value`` with decimals as JSON numbers (int when whole) and dates as ISO strings."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        return float(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def dumps(value: Any) -> bytes:
    """Serialize ``value`` as compact UTF-8 JSON."""
    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ApiResponse(Response):
    """A JSON response that writes decimals as numbers (the default encoder cannot)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
