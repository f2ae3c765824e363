"""The edge's checks of what a request brings, before any of it reaches the store.

Two things are settled here, once for every route of the UI and the REST API:

- **What a store cannot keep is refused with 422, naming the field.** A NUL character
  (PostgreSQL's text cannot hold one) or a lone surrogate (not UTF-8 at all) in a path or query
  parameter, a JSON body or a form field, and integers beyond 64 bits, answer 422 with the
  parameter's place (``["query", "q"]``, ``["path", "number"]``, ``["body", "invoices", 0]``)
  on SQLite and PostgreSQL alike, instead of whatever the database would have made of them.
  A body that is not JSON at all is 400. The checks run in :class:`CheckedRoute` (the routers'
  route class) before FastAPI's own validation; forms are checked by :func:`check_form`.
- **Identifiers with any characters work in paths.** Invoice numbers and export names may hold
  ``/ ? # %``. Links encode each path segment whole (:func:`segment`, the templates'
  ``segment`` filter). The ASGI server decodes ``%2F`` into ``/`` before the app sees the
  path, so ``/invoices/2025%2F001`` would no longer be one segment: :class:`SegmentPaths`
  rebuilds the path from ``scope["raw_path"]`` with ``%2F`` and ``%25`` left encoded, and the
  ``segment`` path convertor (``{number:segment}``) decodes them in the value it hands over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Coroutine, Iterable, MutableMapping
from typing import Any
from urllib.parse import quote, unquote

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData, UploadFile

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Characters no store keeps: NUL (PostgreSQL text) and lone surrogates (not encodable as UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Row ids and every other integer: 64 bits, as the databases count.
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)
_KEPT = re.compile("%(?:2[Ff]|25)")
JSON_TYPES = ("application/json",)

Problem = dict[str, Any]


def segment(value: object) -> str:
    """``value`` as one URL path segment or query value: every reserved character encoded."""
    return quote(str(value), safe="")


def unstorable(text: str) -> str | None:
    """What in ``text`` a store cannot keep, in words; ``None`` when it is all storable."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "holds a NUL character (U+0000), which cannot be stored"
    return f"holds a lone surrogate (U+{ord(char):04X}), which is not text"


def shown(text: str) -> str:
    """``text`` fit to be echoed in an answer (a lone surrogate cannot even be sent)."""
    return UNSTORABLE.sub("\ufffd", text)


def problem(loc: Iterable[str | int], msg: str, kind: str) -> Problem:
    """One refused field, in the shape of FastAPI's validation errors."""
    return {"loc": [shown(p) if isinstance(p, str) else p for p in loc], "msg": msg, "type": kind}


def text_problems(where: str, name: str, value: str) -> list[Problem]:
    """The problems of one named text value (a path or query parameter, a form field)."""
    for text in (name, value):
        reason = unstorable(text)
        if reason is not None:
            return [problem((where, name), f"The {where} value {reason}.", "unstorable_character")]
    return []


def request_problems(request: Request) -> list[Problem]:
    """Problems of the request's path and query parameters."""
    found: list[Problem] = []
    for name, value in request.path_params.items():
        if isinstance(value, str):
            found += text_problems("path", name, value)
    for name, value in request.query_params.multi_items():
        found += text_problems("query", name, value)
    return found


# --- JSON bodies --------------------------------------------------------------------------------


class _Huge:
    """A JSON integer beyond 64 bits, kept as text so that its field can be named."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits


def _integer(text: str) -> int | _Huge:
    if len(text) > 20:  # never parsed: Python refuses more than 4,300 digits, and slowly
        return _Huge(text)
    value = int(text)
    return value if MIN_INT <= value <= MAX_INT else _Huge(text)


class NotJson(ValueError):
    """The body cannot be read as JSON."""


def parse_json(body: bytes) -> Any:
    """The body's JSON, with integers beyond 64 bits left as markers for :func:`json_problems`."""
    try:
        return json.loads(body, parse_int=_integer)
    except UnicodeDecodeError as exc:
        raise NotJson(f"The body is not UTF-8 text: {exc.reason}.") from exc
    except json.JSONDecodeError as exc:
        raise NotJson(f"The body is not JSON: {exc.msg} (at character {exc.pos}).") from exc
    except RecursionError as exc:
        raise NotJson("The body's JSON is nested too deeply.") from exc


def json_problems(value: Any, loc: tuple[str | int, ...] = ("body",)) -> list[Problem]:
    """Every string, key or integer in ``value`` that no store could keep, with its place."""
    found: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            reason = unstorable(item)
            if reason is not None:
                found.append(problem(where, f"The value {reason}.", "unstorable_character"))
        elif isinstance(item, _Huge):
            found.append(
                problem(
                    where,
                    f"The number has {len(item.digits.lstrip('-'))} digits: integers go from "
                    f"{MIN_INT} to {MAX_INT}.",
                    "number_too_large",
                )
            )
        elif isinstance(item, dict):
            for key, member in item.items():
                reason = unstorable(key)
                if reason is not None:
                    found.append(
                        problem((*where, key), f"The key {reason}.", "unstorable_character")
                    )
                stack.append((member, (*where, key)))
        elif isinstance(item, list):
            stack.extend((member, (*where, index)) for index, member in enumerate(item))
    return sorted(found, key=lambda p: [str(part) for part in p["loc"]])


def _is_json(request: Request) -> bool:
    """Whether FastAPI reads this body as JSON: its type is ``application/json`` or ``…+json``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in JSON_TYPES or (kind.startswith("application/") and kind.endswith("+json"))


async def body_problems(request: Request) -> list[Problem]:
    """Problems of a JSON body (parsed once; FastAPI then uses the same value)."""
    body = await request.body()
    if not body or not _is_json(request):
        return []
    try:
        value = parse_json(body)
    except NotJson as exc:
        raise HTTPException(400, [problem(("body",), str(exc), "json_invalid")]) from exc
    found = json_problems(value)
    if not found:
        request._json = value  # what FastAPI's request.json() answers: parsed once
    return found


class CheckedRoute(APIRoute):
    """A route whose path and query parameters and JSON body are checked before anything else.

    Bodies are read only for routes that declare one (a model): a route that reads its body
    itself (a streamed TMS document) is left to do so.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        reads_body = self.body_field is not None

        async def checked(request: Request) -> Response:
            found = request_problems(request)
            if reads_body:
                found += await body_problems(request)
            if found:
                raise RequestValidationError(found)
            return await handler(request)

        return checked


def check_form(form: FormData) -> None:
    """Refuse a form whose fields hold what a store cannot keep (422, naming the fields)."""
    found: list[Problem] = []
    for name, value in form.multi_items():
        if not isinstance(value, UploadFile):
            found += text_problems("form", name, value)
    if found:
        raise RequestValidationError(found)


# --- paths --------------------------------------------------------------------------------------


class SegmentConvertor(Convertor[str]):
    """One path segment, with the ``%2F`` and ``%25`` :class:`SegmentPaths` kept decoded."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return _KEPT.sub(lambda m: "%" if m.group() == "%25" else "/", value)

    def to_string(self, value: str) -> str:
        return segment(value)


register_url_convertor("segment", SegmentConvertor())


def segment_path(raw_path: bytes) -> str:
    """The raw path decoded as the server does, except ``%2F`` and ``%25``: they stay encoded."""
    text = raw_path.decode("ascii")
    parts = _KEPT.split(text)
    kept = _KEPT.findall(text)
    decoded = [unquote(part) for part in parts]
    return "".join(d + (k.upper() if k else "") for d, k in zip(decoded, [*kept, ""], strict=True))


class SegmentPaths:
    """Routes see ``%2F`` inside a segment as part of it, not as a ``/`` between segments.

    ``scope["path"]`` becomes the raw path (the bytes the client sent, ASCII as HTTP has them)
    decoded but for ``%2F`` and ``%25``; without a raw path the path is left as it is.
    Everything else in the app sees the same path as before, but for those two escapes:
    ``request.url`` then names the very address the client asked for.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        if scope["type"] == "http" and isinstance(raw, bytes) and b"%" in raw and raw.isascii():
            scope = {**scope, "path": segment_path(raw)}
        await self.app(scope, receive, send)
