"""Security of the web app: headers, request size limits, CSRF tokens, the session secret.

Session cookies are signed (Starlette's ``SessionMiddleware``, itsdangerous); their key is
derived from the service's Fernet key, so a restart keeps people logged in and nothing new
has to be configured. The cookie carries a session token that ``web.sessions`` checks against
its record in the store on every request. Every form carries a CSRF token bound to the
session; the progress script sends it as a header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from procountor_export.web.inputs import check_form

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; "
        b"base-uri 'none'",
    ),
]


def session_secret(fernet_key: bytes | None) -> str:
    """The key that signs session cookies: derived from the Fernet key, else random."""
    if fernet_key is None:
        return secrets.token_urlsafe(32)  # sessions then end when the process does
    return hmac.new(fernet_key, b"procountor-export web session", hashlib.sha256).hexdigest()


class SecurityHeaders:
    """Adds the security headers to every answer; pages are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in HEADERS if h[0] not in names)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over a limit with 413: TMS documents get a larger one.

    A body with a ``Content-Length`` over the limit is refused before it is read. A body sent
    without one (chunked) is counted as it arrives: once it passes the limit the 413 is
    answered at once, the app's next read of the body fails, and whatever the app does after
    that is dropped (the request is over).
    """

    def __init__(self, app: ASGIApp, *, limit: int, document_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.document_limit = document_limit

    def _limit_for(self, path: str) -> int:
        return self.document_limit if path.rstrip("/").endswith("/documents") else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _too_large(send, limit, scope["path"])
                    return
        received = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not started and not refused:
                        refused = True
                        await _too_large(send, limit, scope["path"])
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            # The failed read surfaces however the layers in between wrap it (a middleware's
            # task group makes it an ExceptionGroup): once the 413 is sent, it is no error.
            if not refused:
                raise


class _TooLarge(Exception):
    pass


def too_large(limit: int) -> str:
    """The 413's words."""
    return f"The request is larger than {limit} bytes, the limit for this address."


async def _too_large(send: Send, limit: int, path: str) -> None:
    # RFC 9457 problem details: the REST API's one error shape (web.problems).
    problem = {"type": "about:blank", "title": "Content Too Large", "status": 413}
    body = json.dumps({**problem, "detail": too_large(limit), "instance": path}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token (field or header) matches the session's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str) and sent):
        raise HTTPException(403, "The form has expired. Reload the page and try again.")
    if not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "The form has expired. Reload the page and try again.")
    check_form(form)  # 422 for what no store can keep (a NUL character)
    return form
