"""The client's one seam: every call goes through :meth:`BaseClient._request`.

Per attempt: token (fetched or reused) → send → error mapping. Pacing and the records for
hooks and counters happen below, in :class:`~.transport.PacedTransport`, for every request on
the wire (the token call included).

Around the attempts: stamina retries for what is safe to repeat — GET and PUT on timeouts,
connection errors, 429 and 5xx; a POST only when it surely did not happen (429, or the
connection failed before anything was sent). A POST that timed out or failed with 5xx
raises :class:`~.errors.OutcomeUnknown` at once: :func:`~.settle.settle` looks it up and
sends it again only when it is surely not done.

:attr:`BaseClient.retries` counts what healed on the way: ``retried`` (requests sent again by
these retries), ``found`` and ``resent`` (writes whose answer was lost, found done by their
look-up or sent again because it found nothing; counted by :func:`~.settle.settle`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

import httpx2
import stamina
from pydantic import SecretStr

from procountor_export.procountor import wire
from procountor_export.procountor.auth import ProcountorAuth, mask_headers
from procountor_export.procountor.errors import (
    OutcomeUnknown,
    ProcountorError,
    RetryableError,
    SentRequest,
)
from procountor_export.procountor.pacing import DEFAULT_RATE, RateLimiter, shared_limiter
from procountor_export.procountor.transport import (
    ENDPOINT,
    PATH_IDS,
    ClientTransport,
    PacedTransport,
    RequestRecord,
    error_for_response,
    network_transport,
)

__all__ = ["MAX_IDS", "PRODUCTION_BASE_URL", "TEST_BASE_URL", "BaseClient", "Hook"]

log = logging.getLogger("procountor_export.procountor")

PRODUCTION_BASE_URL = "https://api.procountor.com/api"
TEST_BASE_URL = "https://pts-api.procountor.com/api"
# Errors that mean nothing reached the server: safe to retry even for a POST.
_NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
_IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD"})
# Procountor's GET /{ids} endpoints take at most this many ids a call.
MAX_IDS = 200

Hook = Callable[[RequestRecord], None]
Files = Mapping[str, tuple[str | None, bytes, str]]


class BaseClient:
    """Connection, auth, pacing, retries and error mapping; resources build on :meth:`_request`."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: SecretStr | str,
        api_key: SecretStr | str,
        redirect_uri: str | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx2.BaseTransport | None = None,
        http_client: httpx2.Client | None = None,
        timeout: float = 30.0,
        hooks: Sequence[Hook] = (),
        retry_attempts: int = 5,
        retry_timeout: float = 60.0,
        rate: float = DEFAULT_RATE,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_path = httpx2.URL(self.base_url).path.rstrip("/")
        self.client_id = client_id
        self.limiter: RateLimiter = (
            limiter if limiter is not None else shared_limiter(client_id, rate)
        )
        self.timeout = timeout
        self.hooks: list[Hook] = list(hooks)
        self.retry_attempts = retry_attempts
        self.retry_timeout = retry_timeout
        self.calls: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self._calls_lock = threading.Lock()
        self._auth = ProcountorAuth(
            token_url=f"{self.base_url}/oauth/token",
            client_id=client_id,
            client_secret=client_secret,
            api_key=api_key,
            redirect_uri=redirect_uri,
        )
        if transport is None:
            transport = (
                ClientTransport(http_client)
                if http_client is not None
                else network_transport(self.base_url)
            )
        self.transport = PacedTransport(
            transport, limiter=self.limiter, observe=self._observe, api_path=self._api_path
        )
        self._http = httpx2.Client(
            transport=self.transport,
            timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "procountor-export"},
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, client_id={self.client_id!r})"

    def close(self) -> None:
        """Close the connections (a given ``http_client`` stays open: it is the caller's)."""
        self._http.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def retrying(self, on: Callable[[BaseException], bool | float]) -> Iterable[stamina.Attempt]:
        """The client's retry loop (stamina): its attempts and time budget, and one backoff
        (0.5 s doubling to 10 s, with jitter) for every kind of retry. ``on`` says whether an
        error is retried (``True``), after how many seconds (a number), or not (``False``)."""
        return stamina.retry_context(
            on=on,
            attempts=self.retry_attempts,
            timeout=self.retry_timeout,
            wait_initial=0.5,
            wait_max=10.0,
            wait_jitter=1.0,
        )

    # --- the seam -------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        template: str,
        *,
        path_params: Mapping[str, object] | None = None,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        files: Files | None = None,
        headers: Mapping[str, str | bytes] | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call (with retries) and return its decoded JSON (``None`` when empty).

        ``template`` is the path with placeholders (``/invoices/{ids}``), filled from
        ``path_params``; ``METHOD template`` names the call in errors and counters.
        ``idempotent`` defaults to true for GET/PUT/DELETE.
        """
        method = method.upper()
        if method == "GET" and (json is not None or files):
            raise ValueError("a GET never carries a body")
        operation = f"{method} {template}"
        path = template.format(**(path_params or {}))
        repeatable = method in _IDEMPOTENT if idempotent is None else idempotent
        deadline = time.monotonic() + self.retry_timeout

        # Typed on BaseException: stamina 26.2 asks for that, and older releases (which ask for
        # Exception) accept it too, a callable taking the wider type being the safer one.
        def should_retry(exc: BaseException) -> bool | float:
            if not isinstance(exc, RetryableError):
                return False
            if exc.retry_after is None:
                return True
            # Honour the server's wait, unless it outlasts what is left of our time budget.
            return exc.retry_after if exc.retry_after <= deadline - time.monotonic() else False

        for attempt in self.retrying(should_retry):
            with attempt:
                if attempt.num > 1:
                    self.count_retry("retried")
                try:
                    return self._attempt(
                        method,
                        operation,
                        path,
                        _ids(path_params),
                        params=params,
                        json=json,
                        files=files,
                        headers=headers,
                        repeatable=repeatable,
                    )
                except ProcountorError as error:
                    error.attempts = attempt.num
                    raise
        raise AssertionError("unreachable: stamina re-raises the last error")  # pragma: no cover

    def _attempt(
        self,
        method: str,
        operation: str,
        path: str,
        path_ids: tuple[int, ...],
        *,
        params: Mapping[str, str | int] | None,
        json: Any,
        files: Files | None,
        headers: Mapping[str, str | bytes] | None,
        repeatable: bool,
    ) -> Any:
        all_headers: dict[str, str | bytes] = {"Accept": "application/json", **(headers or {})}
        content: bytes | None = None
        if json is not None:
            content = wire.dumps(json)
            all_headers["Content-Type"] = "application/json"
        request = self._http.build_request(
            method,
            f"{self.base_url}{path}",
            params=dict(params) if params else None,
            content=content,
            files=dict(files) if files else None,
            headers=_header_bytes(all_headers),
            timeout=httpx2.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            extensions={ENDPOINT: operation, PATH_IDS: path_ids},
        )
        try:
            response = self._http.send(request, auth=self._auth)
        except httpx2.RequestError as exc:
            sent = _sent(request, json, files)
            raise self._transport_error(exc, operation, repeatable, sent) from exc
        if response.is_success:
            return _decode(response)
        sent = _sent(request, json, files)
        raise error_for_response(response, operation=operation, idempotent=repeatable, sent=sent)

    def _transport_error(
        self, exc: httpx2.RequestError, operation: str, repeatable: bool, sent: SentRequest
    ) -> ProcountorError:
        kind = type(exc).__name__
        token_call = _is_token_call(exc, self._auth.token_url)
        if repeatable or token_call or isinstance(exc, _NOT_SENT):
            return RetryableError(f"{kind} talking to Procountor", operation=operation)
        return OutcomeUnknown(
            f"{kind} after the request was sent; it may have been carried out",
            operation=operation,
            request=sent,
        )

    # --- hooks and counters ----------------------------------------------------------------

    def count_retry(self, kind: str) -> None:
        """Count one request that healed a temporary failure (see the module docstring)."""
        with self._calls_lock:
            self.retries[kind] += 1

    def _observe(self, record: RequestRecord) -> None:
        with self._calls_lock:
            self.calls[record.endpoint] += 1
        for hook in self.hooks:
            try:
                hook(record)
            except Exception:
                # An audit hook must never turn a done request into a failure.
                log.exception("request hook %r failed", hook)

    # --- helpers for resources ------------------------------------------------------------

    def _get(self, template: str, **kw: Any) -> Any:
        return self._request("GET", template, **kw)

    def _get_many(self, template: str, ids: Iterable[int], *, size: int = MAX_IDS) -> list[Any]:
        """GET ``template`` (``/invoices/{ids}``) for any number of ``ids``: each distinct id
        once, in calls of at most ``size`` ids; a list of JSON objects, unknown ids left out.

        The one place that batches ids: callers pass all their ids in one call.
        """
        unique = sorted(set(ids))
        found: list[Any] = []
        for start in range(0, len(unique), size):
            chunk = unique[start : start + size]
            try:
                data = self._get(template, path_params={"ids": ",".join(map(str, chunk))})
            except ProcountorError as exc:
                if exc.status == 404:  # none of this batch exists
                    continue
                raise
            found.extend(data if isinstance(data, list) else [data])
        return found


def _header_bytes(headers: Mapping[str, str | bytes]) -> list[tuple[bytes, bytes]]:
    """Headers as bytes: search values may be Latin-1 bytes, everything else is ASCII."""
    return [
        (name.encode("ascii"), value if isinstance(value, bytes) else value.encode("ascii"))
        for name, value in headers.items()
    ]


def _ids(path_params: Mapping[str, object] | None) -> tuple[int, ...]:
    ids: list[int] = []
    for value in (path_params or {}).values():
        for part in str(value).split(","):
            if part.strip().isdigit():
                ids.append(int(part))
    return tuple(ids)


def _sent(request: httpx2.Request, json: Any, files: Files | None) -> SentRequest:
    """What was sent, headers masked (taken after sending, so with the Authorization)."""
    described = json if json is not None else _describe_files(files)
    return SentRequest(request.method, str(request.url), mask_headers(request.headers), described)


def _describe_files(files: Files | None) -> Any:
    """The multipart parts of a request, JSON parts decoded, file parts by name and size."""
    if not files:
        return None
    described: dict[str, Any] = {}
    for part, (filename, content, content_type) in files.items():
        if content_type == "application/json":
            described[part] = wire.loads(content)
        else:
            described[part] = {"filename": filename, "size": len(content), "type": content_type}
    return described


def _is_token_call(exc: httpx2.RequestError, token_url: str) -> bool:
    try:
        return str(exc.request.url) == token_url
    except RuntimeError:
        return False


def _decode(response: httpx2.Response) -> Any:
    if not response.content:
        return None
    try:
        return wire.loads(response.content)
    except ValueError:
        return response.text
