"""What happens around each HTTP exchange: pacing, timing, records for hooks, error mapping.

:class:`MeteredAuth` wraps the token flow of :class:`~.auth.ProcountorAuth` for one call, so
that *every* request on the wire — the token call, the call itself and its resend after a 401
— first waits for the rate limiter and afterwards produces a :class:`RequestRecord`.
:func:`error_for_response` turns a non-2xx answer into the error tree of :mod:`.errors`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx2

from procountor_export.procountor import wire
from procountor_export.procountor.auth import TOKEN_OPERATION, ProcountorAuth
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

__all__ = ["MeteredAuth", "RequestRecord", "error_for_response", "response_ids"]

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


class MeteredAuth(httpx2.Auth):
    """The token flow for one call, with pacing before and a record after each request."""

    requires_response_body = True

    def __init__(
        self,
        inner: ProcountorAuth,
        *,
        limiter: RateLimiter,
        observe: Observer,
        api_path: str,
        endpoint: str,
        path_ids: tuple[int, ...],
    ) -> None:
        self._inner = inner
        self._limiter = limiter
        self._observe = observe
        self._api_path = api_path
        self._endpoint = endpoint
        self._path_ids = path_ids

    def auth_flow(
        self, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, None]:
        flow = self._inner.auth_flow(request)
        try:
            outgoing = next(flow)
            while True:
                self._limiter.acquire()
                started = time.perf_counter()
                response = yield outgoing
                elapsed = (time.perf_counter() - started) * 1000.0
                self._record(request, outgoing, response, elapsed)
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return
        finally:
            flow.close()

    def _record(
        self,
        call: httpx2.Request,
        sent: httpx2.Request,
        response: httpx2.Response,
        elapsed: float,
    ) -> None:
        is_call = sent is call
        self._observe(
            RequestRecord(
                method=sent.method,
                path=relative_path(sent.url, self._api_path),
                status=response.status_code,
                duration_ms=round(elapsed, 3),
                # A GET's ids are in its path; reading the id of a created or replaced
                # object needs the body parsed once more, so only writes pay for it.
                ids=(
                    response_ids(self._path_ids, response)
                    if is_call and sent.method != "GET"
                    else self._path_ids
                    if is_call
                    else ()
                ),
                endpoint=self._endpoint if is_call else TOKEN_OPERATION,
            )
        )


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
    POST), a 5xx means the outcome is unknown. 429 is always retryable: the server refused the
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
        if not idempotent:
            return OutcomeUnknown(
                f"server error {status} after the request was sent", request=sent, **kw
            )
        return RetryableError(
            f"server error {status}",
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            **kw,
        )
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
