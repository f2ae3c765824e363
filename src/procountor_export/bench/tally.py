"""What the benchmark counts while a run goes: every exchange's endpoint, duration and send time
(kept as plain numbers, so the bookkeeping does not grow the memory it measures), and when each
company's latest invoice finished."""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field

from procountor_export.export import InvoiceOutcome, RunSummary
from procountor_export.procountor import RequestRecord

_INVOICE_POST = "POST /invoices"


class Recorder:
    """Client-side figures of every exchange, summed up as they come: per endpoint its count
    and durations, and when each request was sent. Only numbers are kept (8 bytes each), so
    the benchmark's own bookkeeping does not grow the memory it measures."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.tally = Tally()

    def __call__(self, record: RequestRecord) -> None:
        sent = time.monotonic() - record.duration_ms / 1000.0
        with self._lock:
            self.tally.add(sent, record)

    def take(self) -> Tally:
        """The figures since the last ``take``."""
        with self._lock:
            taken, self.tally = self.tally, Tally()
        return taken


@dataclass
class Tally:
    """What :class:`Recorder` keeps of one run's exchanges."""

    calls: Counter[str] = field(default_factory=Counter)
    http_429: int = 0
    durations: dict[str, array[float]] = field(default_factory=dict)
    sent: array[float] = field(default_factory=lambda: array("d"))
    invoice_posts: array[float] = field(default_factory=lambda: array("d"))

    def add(self, sent: float, record: RequestRecord) -> None:
        self.calls[record.endpoint] += 1
        self.http_429 += record.status == 429
        self.durations.setdefault(record.endpoint, array("d")).append(record.duration_ms)
        self.sent.append(sent)
        if record.endpoint == _INVOICE_POST:
            self.invoice_posts.append(sent)


class CompanyClock:
    """A progress listener noting when each company's latest invoice of a run finished."""

    def __init__(self, since: float) -> None:
        self.since = since
        self.done_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def started(self, total: int) -> None:
        """Not used: the run's total is known."""

    def advanced(self, outcome: InvoiceOutcome) -> None:
        with self._lock:
            self.done_at[outcome.export] = time.monotonic() - self.since

    def finished(self, summary: RunSummary) -> None:
        """Not used."""


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of ``values`` (``share`` in 0..1); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]
