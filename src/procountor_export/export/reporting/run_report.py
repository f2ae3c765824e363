"""The one place the parts of a run report to while it goes.

Every company of a run and every sending thread reports here, through the progress interface
(:class:`~.progress.ProgressListener`): each invoice's outcome goes to the event log, into the
run's summary and on to the run's listener (the terminal's bar, the run's record), under one
lock. What the parts created in Procountor and the calls they made are added here too.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from procountor_export.export.messages import Messages
from procountor_export.export.reporting.progress import (
    InvoiceOutcome,
    ProgressListener,
    RunSummary,
)
from procountor_export.logs import EXPORT_LOG
from procountor_export.store.models import JournalState


class RunReport:
    """A run's summary and listener, shared safely by its companies and threads.

    ``messages`` renders the event log's lines (the log is an edge: it speaks the TMS's name).
    """

    def __init__(self, summary: RunSummary, listener: ProgressListener, messages: Messages) -> None:
        self.summary = summary
        self.listener = listener
        self.messages = messages
        self._lock = threading.Lock()

    def started(self, total: int) -> None:
        """The run will export ``total`` invoices."""
        self.listener.started(total)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """One invoice is done (exported or failed): log it, keep it, pass it on."""
        _log(outcome, self.messages)
        with self._lock:
            self.summary.outcomes.append(outcome)
            self.listener.advanced(outcome)

    def finished(self, summary: RunSummary) -> None:
        """The run is over."""
        self.listener.finished(summary)

    def created(self, counts: Mapping[str, int]) -> None:
        """What a part created in Procountor (products, dimension items, partners …)."""
        with self._lock:
            _add(self.summary.created, counts)

    def called(self, calls: Mapping[str, int], retries: Mapping[str, int]) -> None:
        """The API calls a part's client made (per endpoint) and what it healed on the way."""
        with self._lock:
            self.summary.api_calls += sum(calls.values())
            _add(self.summary.calls, calls)
            _add(self.summary.retries, retries)


def _add(table: dict[str, int], counts: Mapping[str, int]) -> None:
    for name, count in counts.items():
        table[name] = table.get(name, 0) + count


def _log(outcome: InvoiceOutcome, messages: Messages) -> None:
    """One event-log line per invoice: exported (with its Procountor ids) or why it failed."""
    where = f"invoice {outcome.invoice} to {outcome.export}"
    if outcome.state is JournalState.EXPORTED:
        EXPORT_LOG.info(
            "%s: exported as Procountor invoice %s (id %s)%s%s",
            where,
            outcome.procountor_invoice_number,
            outcome.procountor_invoice_id,
            ", adopted" if outcome.adopted else "",
            "".join(f"; warning: {messages.text(w)}" for w in outcome.warnings),
        )
    else:
        EXPORT_LOG.warning(
            "%s: %s: %s",
            where,
            outcome.state.value,
            "; ".join(messages.text(problem) for problem in outcome.problems),
        )
