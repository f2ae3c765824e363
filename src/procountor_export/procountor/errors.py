"""Errors raised by the Procountor client.

The tree, by what the caller should do next::

    ProcountorError                 every error: .operation, .status, .body, .errors
    ├── FatalError                  stop the whole run: nothing will work until a person acts
    │   ├── AuthenticationError     token refused (client id, client secret or API key wrong)
    │   ├── ConfigurationError      the API root is wrong (token endpoint not found)
    │   └── PermissionDenied        403 "Insufficient user rights"
    ├── RetryableError              timeout, connection error, 429 or 5xx; raised once the
    │                               retries are used up (.retry_after: the server's hint)
    ├── RejectedError               4xx about this one request (validation, stale version,
    │                               wrong invoice status, closed period, conflict)
    │   └── NotFound                404
    └── OutcomeUnknown              a POST timed out, failed on 5xx or lost its connection
        │                           after it was sent: it may have been carried out. The
        │                           request is kept (.request) so the caller can look it up.
        └── Unsettled               such a write, looked up and sent again until the attempts
                                    ran out (:func:`~.settle.settle`), still not found done

``.attempts`` says how many times the request was sent before the error was raised (the
client's own retries included). :func:`is_temporary` tells the errors that say nothing about
the request itself (Procountor was down, slow or refusing for a while) from the others.

``.operation`` names the call as ``"POST /invoices"`` (ids replaced by placeholders),
``.status`` is the HTTP status (``None`` when no response came), ``.body`` the response text
and ``.errors`` Procountor's ``errors[]`` parsed into :class:`ApiErrorDetail`.

No error carries a secret: request bodies, headers and URLs are never part of the message,
and :attr:`OutcomeUnknown.request` is a :class:`SentRequest` with masked headers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = [
    "ApiErrorDetail",
    "AuthenticationError",
    "ConfigurationError",
    "FatalError",
    "NotFound",
    "OutcomeUnknown",
    "PermissionDenied",
    "ProcountorError",
    "RejectedError",
    "RetryableError",
    "SentRequest",
    "Unsettled",
    "is_temporary",
    "parse_error_details",
    "retry_after_seconds",
]

# Longest body kept on an error: enough for any errors[] list, not a whole HTML error page.
MAX_BODY = 4000


@dataclass(frozen=True)
class ApiErrorDetail:
    """One entry of Procountor's ``{"errors": [{"status", "field", "message"}]}``."""

    status: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(frozen=True)
class SentRequest:
    """What was sent, for looking up a request whose outcome is unknown (no secrets)."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json_body: Any = None


def parse_error_details(body: str) -> list[ApiErrorDetail]:
    """Parse Procountor's error envelope leniently; anything else gives an empty list.

    Accepts ``{"errors": [...]}`` (26.04), the older ``{"constraintViolations": [...]}`` and
    a lone ``{"message": ...}``.
    """
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return []
    if not isinstance(data, dict):
        return []
    items = data.get("errors")
    if items is None:
        items = data.get("constraintViolations")
    if isinstance(items, list):
        return [_detail(item) for item in items if isinstance(item, dict)]
    message = data.get("message") or data.get("error_description") or data.get("error")
    if isinstance(message, str) and message:
        return [ApiErrorDetail(status=None, field=None, message=message)]
    return []


def _detail(item: Mapping[str, Any]) -> ApiErrorDetail:
    status = item.get("status")
    field_name = item.get("field") or item.get("propertyPath")
    message = item.get("message") or item.get("errorCode") or item.get("code") or ""
    return ApiErrorDetail(
        status=status if isinstance(status, int) else None,
        field=str(field_name) if field_name else None,
        message=str(message),
    )


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class ProcountorError(Exception):
    """Base of every client error; see the module docstring for the tree."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status: int | None = None,
        body: str = "",
        errors: Sequence[ApiErrorDetail] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status = status
        self.body = body[:MAX_BODY]
        self.errors: list[ApiErrorDetail] = (
            list(errors) if errors is not None else parse_error_details(body)
        )
        # How many times the request was sent (set by the client once its retries are spent).
        self.attempts = 1

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        text = f"{self.operation}{status}: {self.message}"
        if self.errors:
            text += "; " + "; ".join(str(detail) for detail in self.errors)
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(operation={self.operation!r}, status={self.status!r})"


class FatalError(ProcountorError):
    """Nothing will work until a person fixes the cause: stop the run."""


class AuthenticationError(FatalError):
    """Procountor refused the credentials (client id, client secret or API key)."""


class ConfigurationError(FatalError):
    """The connection settings are wrong, e.g. the API root has no token endpoint."""


class PermissionDenied(FatalError):
    """The API user lacks a right the call needs (403 "Insufficient user rights")."""


class RetryableError(ProcountorError):
    """A temporary failure; raised after the client's own retries are used up."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class RejectedError(ProcountorError):
    """Procountor refused this one request (4xx); the run can go on with the next item."""


class NotFound(RejectedError):
    """The resource (or every id of a batch) does not exist (404)."""


class OutcomeUnknown(ProcountorError):
    """A POST may or may not have been carried out; look it up before sending it again.

    ``retry_after`` is the server's hint (a 5xx's ``Retry-After``) for when to look again.
    """

    def __init__(
        self, message: str, *, request: SentRequest, retry_after: float | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.request = request
        self.retry_after = retry_after


class Unsettled(OutcomeUnknown):
    """A write whose outcome stayed unknown: sent ``attempts`` times, looked up after each
    lost answer, and never found carried out.

    ``lookup_error`` is set when the look-up itself failed: then it could not tell whether the
    write happened, and nothing was sent again after it.
    """

    def __init__(
        self, last: OutcomeUnknown, *, attempts: int, lookup_error: ProcountorError | None = None
    ) -> None:
        super().__init__(
            last.message,
            request=last.request,
            retry_after=last.retry_after,
            operation=last.operation,
            status=last.status,
            body=last.body,
            errors=last.errors,
        )
        self.attempts = attempts
        self.lookup_error = lookup_error


def is_temporary(error: ProcountorError) -> bool:
    """Procountor failed for a while (5xx, timeout, lost connection, 429), not the request:
    the same request may well go through later."""
    return isinstance(error, RetryableError | OutcomeUnknown)
