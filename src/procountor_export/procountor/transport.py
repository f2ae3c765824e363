"""What happens around each HTTP exchange: pacing, timing, records for hooks, error mapping.

:class:`PacedTransport` wraps the transport that sends, so that *every* request on the wire —
the token call, each API call and its resend after a 401 — first waits for the rate limiter
and afterwards produces a :class:`RequestRecord`: pacing happens there and nowhere else.
:func:`error_for_response` turns a non-2xx answer into the error tree of :mod:`.errors`.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from procountor_export.procountor import wire
from procountor_export.procountor.auth import TOKEN_OPERATION
from procountor_export.procountor.errors import (
    AuthenticationError,
    NotFound,
    OutcomeUnknown,
    PermissionDenied,
    ProcountorError,
    RejectedError,
    RetryableError,
    SentRequest,
    retry_after_seconds,
)
from procountor_export.procountor.pacing import RateLimiter

__all__ = [
    "ENDPOINT",
    "PATH_IDS",
    "ClientTransport",
    "PacedTransport",
    "RequestRecord",
    "error_for_response",
    "network_transport",
    "response_ids",
]

_RIGHTS_WORDS = re.compile(r"right|permission|privilege|not allowed to", re.IGNORECASE)


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP exchange with Procountor, for audit logs and benchmarks (never a secret).

    ``path`` is relative to the API root without the query string (``/invoices/123``),
    ``endpoint`` the placeholder form counted in ``ProcountorClient.calls``
    (``GET /invoices/{ids}``), ``ids`` the Procountor ids in the path and the ``id`` of the
    object answered, ``status`` ``None`` when no response came (``error`` says why).
    """

    method: str
    path: str
    status: int | None
    duration_ms: float
    ids: tuple[int, ...] = ()
    endpoint: str = ""
    error: str | None = None


Observer = Callable[[RequestRecord], None]


def response_ids(path_ids: tuple[int, ...], response: httpx2.Response) -> tuple[int, ...]:
    """``path_ids`` plus the ``id`` of the object in a JSON answer, if it has one."""
    ids = list(path_ids)
    if "json" in response.headers.get("content-type", "") and response.content[:1] == b"{":
        try:
            data = wire.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), int) and data["id"] not in ids:
            ids.append(data["id"])
    return tuple(ids)


# Request extensions by which the client tells the transport what a request is.
ENDPOINT = "procountor.endpoint"
PATH_IDS = "procountor.ids"


class PacedTransport(httpx2.BaseTransport):
    """The one place where requests are paced: every request on the wire passes here.

    Wraps the transport that really sends (the network, a mock, an in-process app). Each
    request first waits for ``limiter``; its answer is read and a :class:`RequestRecord` goes
    to ``observe``. That holds for the token call, each API call and its resend after a 401
    alike, since the auth flow sends them all through the client's transport. The client marks
    its calls with the extensions :data:`ENDPOINT` and :data:`PATH_IDS`; a request without them
    is the token call.
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        *,
        limiter: RateLimiter,
        observe: Observer | None = None,
        api_path: str = "",
    ) -> None:
        self.inner = inner
        self.limiter = limiter
        self._observe = observe
        self._api_path = api_path

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.limiter.acquire()
        started = time.perf_counter()
        try:
            response = self.inner.handle_request(request)
            response.read()
        except httpx2.RequestError as exc:
            self._record(request, None, started, error=type(exc).__name__)
            raise
        self._record(request, response, started)
        return response

    def close(self) -> None:
        self.inner.close()

    def _record(
        self,
        request: httpx2.Request,
        response: httpx2.Response | None,
        started: float,
        *,
        error: str | None = None,
    ) -> None:
        if self._observe is None:
            return
        endpoint = request.extensions.get(ENDPOINT)
        path_ids: tuple[int, ...] = request.extensions.get(PATH_IDS, ()) if endpoint else ()
        ids = path_ids
        # A GET's ids are in its path; reading the id of a created or replaced object needs
        # the body parsed once more, so only writes pay for it.
        if response is not None and endpoint and request.method != "GET":
            ids = response_ids(path_ids, response)
        self._observe(
            RequestRecord(
                method=request.method,
                path=relative_path(request.url, self._api_path),
                status=response.status_code if response is not None else None,
                duration_ms=round((time.perf_counter() - started) * 1000.0, 3),
                ids=ids,
                endpoint=endpoint or TOKEN_OPERATION,
                error=error,
            )
        )


class ClientTransport(httpx2.BaseTransport):
    """An ``httpx2.Client`` used as a transport: a client the caller made (Starlette's
    ``TestClient`` on the emulator, a client with its own proxies or certificates) sends the
    requests, after :class:`PacedTransport` has paced them. The client is not closed here."""

    def __init__(self, client: httpx2.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.client.send(request, stream=True)
        # Hand on the raw stream: the outer client decodes it once, by the headers.
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
        )


def network_transport(url: str) -> httpx2.BaseTransport:
    """The real network for ``url``, through the proxy the environment names for it (as an
    ``httpx2.Client`` without a transport would do), if any."""
    target = httpx2.URL(url)
    proxy = None
    if not urllib.request.proxy_bypass(target.host):
        proxies = urllib.request.getproxies_environment()
        proxy = proxies.get(target.scheme) or proxies.get("all")
    return httpx2.HTTPTransport(proxy=proxy)


def relative_path(url: httpx2.URL, api_path: str) -> str:
    """The path of ``url`` below the API root (``/invoices/1``), without the query."""
    path = url.path
    if api_path and path.startswith(api_path):
        path = path[len(api_path) :] or "/"
    return path


def error_for_response(
    response: httpx2.Response,
    *,
    operation: str,
    idempotent: bool,
    sent: SentRequest,
) -> ProcountorError:
    """The error for a non-2xx ``response`` of ``operation``.

    ``idempotent`` says whether sending the request again is harmless; when it is not (a
    POST), a 5xx means the outcome is unknown (the caller looks the write up before sending
    it again: :func:`~.settle.settle`). 429 is always retryable: the server refused the
    request without carrying it out.
    """
    status = response.status_code
    body = response.text
    kw: dict[str, Any] = {"operation": operation, "status": status, "body": body}
    if status == 401:
        return AuthenticationError("Procountor refused the access token", **kw)
    if status == 429:
        return RetryableError(
            "rate limit exceeded",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            **kw,
        )
    if status >= 500:
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if not idempotent:
            return OutcomeUnknown(
                f"server error {status} after the request was sent",
                request=sent,
                retry_after=retry_after,
                **kw,
            )
        return RetryableError(f"server error {status}", retry_after=retry_after, **kw)
    if status == 404:
        return NotFound("not found", **kw)
    if status == 403:
        error = RejectedError("refused", **kw)
        if not error.errors or any(_RIGHTS_WORDS.search(e.message) for e in error.errors):
            return PermissionDenied("insufficient user rights", **kw)
        return error
    if 400 <= status < 500:
        return RejectedError("request rejected", **kw)
    return ProcountorError(f"unexpected HTTP status {status}", **kw)
