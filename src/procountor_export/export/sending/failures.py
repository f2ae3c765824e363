"""Turning the client's errors into the article's messages, for one invoice or a whole run."""

from __future__ import annotations

from dataclasses import replace

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.procountor.errors import (
    AuthenticationError,
    FatalError,
    PermissionDenied,
    ProcountorError,
    RetryableError,
    Unsettled,
    is_temporary,
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


def temporary_detail(error: ProcountorError) -> str:
    """What Procountor answered (status, operation, its words) and how often it was tried."""
    if error.status is not None:
        text = f"HTTP {error.status} from {error.operation}"
    else:
        text = f"{error.message} ({error.operation})"
    words = "; ".join(str(item) for item in error.errors)
    if words:
        text += f": {words}"
    if error.attempts > 1:
        text += f"; sent {error.attempts} times"
    if isinstance(error, Unsettled):
        if error.lookup_error is not None:
            text += f"; looking it up failed too ({temporary_detail(error.lookup_error)})"
        else:
            text += "; not found in Procountor after it"
    return text


def for_invoice(problem: Problem, number: str) -> Problem:
    """``problem`` as one invoice's: a temporary problem of the run or of a customer, product
    or dimension item the invoice needs is said of the invoice itself."""
    if problem.code in (m.PROCOUNTOR_INTERRUPTED.code, m.PROCOUNTOR_UNAVAILABLE.code):
        return Problem.of(m.PROCOUNTOR_UNAVAILABLE, number, invoice=number, detail=problem.detail)
    return replace(problem, invoice=number)


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

    An error that says Procountor failed for a while (5xx, timeout, lost connection), once
    the retries are spent, is not about the data whatever the step: it is "Procountor had a
    temporary problem with invoice …" (or, with no invoice, the run's "… the export was
    interrupted"), with Procountor's status and words as the detail.
    """
    if isinstance(error, AuthenticationError):
        return Problem.of(m.CREDENTIALS, invoice=invoice, detail=detail(error))
    if isinstance(error, RetryableError) and error.status == 429:
        return Problem.of(m.TOO_MANY_CALLS, invoice=invoice, detail=detail(error))
    if is_temporary(error):
        return temporary_problem(error, invoice)
    return Problem.of(template or m.API_CALL, *args, invoice=invoice, detail=detail(error))


def temporary_problem(error: ProcountorError, invoice: str | None = None) -> Problem:
    """Procountor failed for a while: the invoice's (or, without one, the run's) problem."""
    if invoice is None:
        return Problem.of(m.PROCOUNTOR_INTERRUPTED, detail=temporary_detail(error))
    return Problem.of(
        m.PROCOUNTOR_UNAVAILABLE, invoice, invoice=invoice, detail=temporary_detail(error)
    )


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
