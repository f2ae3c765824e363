"""Procountor's error envelope, ``{"errors": [{"status", "field", "message"}]}``.

Handlers raise :class:`ApiError`; the app turns it into the envelope. Validation collects every
problem of a request in :class:`Problems` first, because Procountor reports them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procountor_export.emulator.ratelimit import RateLimiter


@dataclass(frozen=True)
class ErrorEntry:
    """One entry of the envelope; ``field`` is a path like ``invoiceRows[0].vatPercent``."""

    message: str
    field: str | None = None


class ApiError(Exception):
    """An error answer: HTTP status plus one or more problems."""

    def __init__(self, status: int, problems: list[ErrorEntry] | str, field: str | None = None):
        if isinstance(problems, str):
            problems = [ErrorEntry(problems, field)]
        super().__init__(f"{status}: {problems}")
        self.status = status
        self.problems = problems

    def body(self) -> dict[str, Any]:
        """The JSON body of the answer."""
        entries: list[dict[str, Any]] = []
        for problem in self.problems:
            entry: dict[str, Any] = {"status": self.status}
            if problem.field is not None:
                entry["field"] = problem.field
            entry["message"] = problem.message
            entries.append(entry)
        return {"errors": entries}


class RateLimited(ApiError):
    """A 429 answer with ``Retry-After``."""

    def __init__(self, wait: float):
        super().__init__(429, "Too many requests: rate limit exceeded")
        self.retry_after = RateLimiter.retry_after_header(wait)


def not_found(what: str = "Resource") -> ApiError:
    """The 404 answer for an unknown id."""
    return ApiError(404, f"{what} not found")


@dataclass
class Problems:
    """Collects validation problems; :meth:`raise_if_any` turns them into one 400."""

    items: list[ErrorEntry] = field(default_factory=list)

    def add(self, field_path: str | None, message: str) -> None:
        self.items.append(ErrorEntry(message, field_path))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, status: int = 400) -> None:
        if self.items:
            raise ApiError(status, list(self.items))
