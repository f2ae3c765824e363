"""The ASGI layer in front of the routes, doing what Procountor's gateway does.

- maps every API root (``/api``, ``/latest/api``, ``/supported/api``, ``/vYYMM/api``) onto the
  one set of routes under ``/api``; anything else outside ``/_emulator`` is a 404;
- tolerates a doubled slash and a trailing slash (py-client posts to ``oauth/token/``);
- answers 403 to a GET that carries a body, as the PTS gateway does;
- applies injected latency, 5xx answers, dropped connections, held-back answers (timeouts) and
  bursts of 429, and the per-client rate limit;
- logs every request (method, route template, status, client id) and saves the state file
  after each change.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from procountor_export.emulator.errors import ApiError, RateLimited
from procountor_export.emulator.faults import DroppedConnection
from procountor_export.emulator.wire import dumps

if TYPE_CHECKING:
    from procountor_export.emulator.state import EmulatorState

API_ROOT = re.compile(r"^/(?:api|latest/api|supported/api|v\d{4}/api)(?P<rest>/.*)?$")
OUTSIDE_API = ("/_emulator", "/openapi.json", "/docs", "/redoc")


def normalise(path: str) -> str:
    """Collapse repeated slashes and drop a trailing one."""
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


async def send_error(send: Send, error: ApiError) -> None:
    """Answer ``error`` in Procountor's envelope straight from the ASGI layer."""
    body = dumps(error.body())
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if isinstance(error, RateLimited):
        headers.append((b"retry-after", error.retry_after.encode()))
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Gateway:
    """ASGI middleware wrapping the FastAPI routes; see the module docstring."""

    def __init__(self, app: ASGIApp, emulator: EmulatorState):
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = normalise(scope["path"])
        if path.startswith(OUTSIDE_API):
            await self.app(dict(scope, path=path), receive, send)
            return
        match = API_ROOT.match(path)
        api_path = "/api" + (match.group("rest") or "") if match else path
        inner = dict(scope, path=api_path, raw_path=api_path.encode("utf-8", "replace"))
        entry: dict[str, Any] = {
            "time": self.emulator.clock(),
            "method": scope["method"],
            "path": scope["path"],
            "status": 500,
            "clientId": None,
            "saved": False,
        }
        try:
            if match is None:
                raise ApiError(404, "Not found: unknown API root")
            await self._handle(inner, receive, send, entry)
        except ApiError as error:
            entry["status"] = error.status
            await send_error(send, error)
        finally:
            route = inner.get("route")
            template = getattr(route, "path", None)
            entry["endpoint"] = f"{scope['method']} {template[4:] if template else '(unmatched)'}"
            entry["clientId"] = entry["clientId"] or inner.get("state", {}).get("client_id")
            saved = entry.pop("saved")
            if scope["method"] != "GET" and not saved:
                # Even after a 5xx or a dropped connection: the write may have happened.
                self.emulator.save()
            self.emulator.log_request(entry)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, entry: dict[str, Any]
    ) -> None:
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        if scope["method"] == "GET" and (
            headers.get("content-length", b"0") not in (b"0", b"") or "transfer-encoding" in headers
        ):
            raise ApiError(403, "Forbidden: a GET request must not carry a body")
        faults = self.emulator.faults
        if faults.latency_seconds():
            await asyncio.sleep(faults.latency_seconds())
        injected = faults.error_status()
        if injected is not None:
            raise ApiError(injected, "Service unavailable (injected fault)")
        token = self._token(headers)
        if token is not None:
            entry["clientId"] = token
            if faults.too_many():
                self.emulator.limiter.violations[token] += 1
                raise RateLimited(1.0)
            wait = self.emulator.limiter.check(token)
            if wait is not None:
                raise RateLimited(wait)
        drop = faults.drop()
        hold = faults.hold_back()

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                if hold:
                    await asyncio.sleep(hold)  # carried out; the client gives up waiting
                if drop:
                    await send(message)
                    raise DroppedConnection("Connection dropped (injected fault)")
            elif (
                message["type"] == "http.response.body"
                and not message.get("more_body")
                and scope["method"] != "GET"
            ):
                # Saved before the answer completes, so a client never outruns the file.
                self.emulator.save()
                entry["saved"] = True
            await send(message)

        await self.app(scope, receive, recording_send)

    def _token(self, headers: dict[str, bytes]) -> str | None:
        """The client id behind the request's bearer token, if it is a live token."""
        scheme, _, value = headers.get("authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = self.emulator.find_token(value.strip())
        return token.client_id if token else None
