"""Progress of an export run, as events any front end can show (terminal, web, nothing).

The run reports how many invoices it will export, each invoice as it is done, and a summary
at the end; listeners decide how to show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from procountor_export.export import messages as m
from procountor_export.export.messages import Messages
from procountor_export.export.problems import Problem
from procountor_export.store.models import JournalState
from procountor_export.store.runs import RunOutcome

# Problems that say Procountor failed for a while, not that anything is wrong with the data:
# an invoice failed only with these was interrupted by Procountor; the next run finishes it.
INTERRUPTIONS = frozenset(
    {m.PROCOUNTOR_UNAVAILABLE.code, m.PROCOUNTOR_INTERRUPTED.code, m.TOO_MANY_CALLS.code}
)


def is_interruption(problems: Iterable[Problem]) -> bool:
    """Whether an invoice failed only because Procountor failed for a while (the next run
    finishes it), not on its data."""
    errors = [problem for problem in problems if problem.is_error]
    return bool(errors) and all(problem.code in INTERRUPTIONS for problem in errors)


def run_outcome(
    *, failed: int, interrupted: int, fatal: Problem | None, problems: bool
) -> RunOutcome:
    """A finished run's outcome, as the run's record keeps it.

    ``succeeded``: nothing failed. ``interrupted``: every invoice that failed did so only
    because Procountor failed for a while (and so did whatever stopped the run): the next run
    finishes them, nothing needs correcting. ``aborted``: a problem stopped the run
    (credentials, rights, the API root). ``failed``: some invoice failed on its data, or the
    scope had a problem (an open period).
    """
    stopped = fatal is not None and fatal.code not in INTERRUPTIONS
    if failed == 0 and fatal is None and not problems:
        return RunOutcome.succeeded
    if stopped:
        return RunOutcome.aborted
    if failed == interrupted and not problems:
        return RunOutcome.interrupted
    return RunOutcome.failed


@dataclass(slots=True)  # a run keeps one per invoice to its end: no __dict__ each
class InvoiceOutcome:
    """What happened to one invoice × export in a run."""

    invoice: str
    export: str
    state: JournalState
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    procountor_invoice_id: int | None = None
    procountor_invoice_number: int | None = None
    adopted: bool = False

    def as_dict(self, messages: Messages) -> dict[str, Any]:
        """JSON form, problems rendered by ``messages``."""
        return {
            "invoice": self.invoice,
            "export": self.export,
            "state": self.state.value,
            "procountor_invoice_id": self.procountor_invoice_id,
            "procountor_invoice_number": self.procountor_invoice_number,
            "errors": [messages.as_dict(problem) for problem in self.problems],
            "warnings": [messages.as_dict(warning) for warning in self.warnings],
            "adopted": self.adopted,
        }

    @property
    def interrupted(self) -> bool:
        """Failed only because Procountor failed for a while: the next run finishes it."""
        return self.state is JournalState.FAILED and is_interruption(self.problems)

    @property
    def needs_attention(self) -> bool:
        """Failed, warned or adopted: what a run kept in slices holds on to (every other
        outcome is an invoice exported as planned, which the journal tells in full)."""
        return self.state is not JournalState.EXPORTED or bool(self.warnings) or self.adopted


@dataclass
class RunSummary:
    """The end of a run: counts, the outcomes, and the problem that stopped it, if any.

    ``outcomes`` holds every invoice's outcome when ``complete``. A run exported in slices
    (more invoices than one slice) keeps only those that need attention, so its memory does
    not grow with its size: the rest were exported as planned and are in the journal
    (:func:`~procountor_export.export.reporting.shapes.summary_json` reads them back).
    """

    run_id: int | None
    to_export: int = 0
    exported: int = 0
    failed: int = 0  # every failed invoice, the interrupted ones included
    interrupted: int = 0  # of the failed, those Procountor interrupted (next run finishes them)
    already_exported: int = 0
    busy: list[str] = field(default_factory=list)  # left to another run exporting them now
    outcomes: list[InvoiceOutcome] = field(default_factory=list)
    complete: bool = True
    fatal: Problem | None = None
    run_problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    api_calls: int = 0
    calls: dict[str, int] = field(default_factory=dict)  # per endpoint
    # What healed on the way (ProcountorClient.retries): requests the client sent again after
    # a temporary failure ("retried"), writes whose answer was lost and that were found done
    # ("found") or sent again because they were not ("resent").
    retries: dict[str, int] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        """Nothing failed (the only outcome that exits 0)."""
        return self.failed == 0 and self.fatal is None and not self.run_problems

    @property
    def outcome(self) -> RunOutcome:
        """``succeeded``, ``interrupted`` (by Procountor only), ``failed`` or ``aborted``
        (see :func:`run_outcome`)."""
        return run_outcome(
            failed=self.failed,
            interrupted=self.interrupted,
            fatal=self.fatal,
            problems=bool(self.run_problems),
        )

    @property
    def warnings(self) -> list[Problem]:
        """Every warning of every invoice (each names its invoice)."""
        return [w for o in self.outcomes for w in o.warnings]

    def as_dict(self, messages: Messages) -> dict[str, Any]:
        """JSON form, problems rendered by ``messages`` (the shape the CLI and API share)."""
        return {
            "run_id": self.run_id,
            "succeeded": self.succeeded,
            "outcome": self.outcome.value,
            "to_export": self.to_export,
            "exported": self.exported,
            "failed": self.failed,
            "interrupted": self.interrupted,
            "already_exported": self.already_exported,
            "busy": list(self.busy),
            "fatal": messages.as_dict(self.fatal) if self.fatal else None,
            "problems": [messages.as_dict(problem) for problem in self.run_problems],
            "created": dict(self.created),
            "api_calls": self.api_calls,
            "retries": {kind: self.retries.get(kind, 0) for kind in ("retried", "found", "resent")},
            "invoices": [outcome.as_dict(messages) for outcome in self.outcomes],
        }


class ProgressListener(Protocol):
    """Receives a run's progress."""

    def started(self, total: int) -> None:
        """The run will export ``total`` invoice × export pairs."""

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One pair is done (exported or failed)."""

    def finished(self, summary: RunSummary) -> None:
        """The run is over."""


class Silent:
    """A listener that shows nothing."""

    def started(self, total: int) -> None:
        """Ignore."""

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """Ignore."""

    def finished(self, summary: RunSummary) -> None:
        """Ignore."""


class Together:
    """Several listeners heard as one (a terminal's bar and the run's record), in order."""

    def __init__(self, *listeners: ProgressListener) -> None:
        self.listeners = listeners

    def started(self, total: int) -> None:
        """Tell each listener."""
        for listener in self.listeners:
            listener.started(total)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """Tell each listener."""
        for listener in self.listeners:
            listener.advanced(outcome)

    def finished(self, summary: RunSummary) -> None:
        """Tell each listener."""
        for listener in self.listeners:
            listener.finished(summary)
