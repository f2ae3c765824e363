"""Turning the client's errors into the article's messages, for one invoice or a whole run."""

from __future__ import annotations

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.procountor.errors import (
    AuthenticationError,
    FatalError,
    PermissionDenied,
    ProcountorError,
    RetryableError,
)


class RunAborted(Exception):
    """A fatal problem: the run (for this Procountor company) cannot go on."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(" ".join((problem.code, *problem.args, problem.detail or "")).strip())
        self.problem = problem


def detail(error: ProcountorError) -> str:
    """Procountor's own explanation: its ``errors[]`` as "field: message", else the status."""
    parts = []
    for item in error.errors:
        text = item.message or ""
        parts.append(f"{item.field}: {text}" if item.field else text)
    if parts:
        return "; ".join(parts)
    if error.status:
        return f"HTTP {error.status} from {error.operation}"
    return str(error)


def is_closed_period(error: ProcountorError) -> bool:
    """Procountor refused a date in a closed fiscal year or period."""
    return any("CLOSED_FISCAL_PERIOD" in (item.message or "") for item in error.errors)


def problem_for(
    error: ProcountorError,
    *,
    invoice: str | None = None,
    template: m.MessageTemplate | None = None,
    args: tuple[object, ...] = (),
) -> Problem:
    """The message a user reads for a client error.

    ``template`` is the article's message for the step that failed (e.g. "The customer {0}
    could not be created …"); without one it is "Error during API call". Procountor's own
    explanation goes along as the detail.
    """
    if isinstance(error, AuthenticationError):
        return Problem.of(m.CREDENTIALS, invoice=invoice, detail=detail(error))
    if isinstance(error, RetryableError) and error.status == 429:
        return Problem.of(m.TOO_MANY_CALLS, invoice=invoice, detail=detail(error))
    return Problem.of(template or m.API_CALL, *args, invoice=invoice, detail=detail(error))


def fatal_problem(error: ProcountorError) -> Problem | None:
    """The run-stopping problem for ``error``, or ``None`` if it concerns one record only."""
    if isinstance(error, AuthenticationError):
        return Problem.of(m.CREDENTIALS, detail=detail(error))
    if isinstance(error, PermissionDenied):
        return Problem.of(
            m.API_CALL,
            detail=f"{detail(error)} (the m2m user lacks a right; run 'procountor-export "
            "procountor ping' to see which)",
        )
    if isinstance(error, FatalError):
        return Problem.of(m.API_CALL, detail=detail(error))
    return None
