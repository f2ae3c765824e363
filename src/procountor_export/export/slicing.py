"""Big runs in slices: a run holds at most a slice of its invoices in memory at once.

:func:`slice_numbers` tells whether a scope is big enough to slice (and its invoices' numbers
in date order); the runner then exports it slice by slice under one run, telling the run's
listener of the whole through a :class:`SliceListener`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, or_, select

from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import (
    InvoiceOutcome,
    ProgressListener,
    RunSummary,
)
from procountor_export.store.db import Store
from procountor_export.store.models import Invoice, Period

__all__ = ["SliceListener", "slice_numbers"]


# Invoice numbers per ``IN (...)`` query: a scope may name tens of thousands, and one statement
# with a bound value for each would cost more memory than the run's slices (the statement stays
# in the connection's cache) and pass PostgreSQL's limit of 65,535 values.
IN_BATCH = 500


def slice_numbers(store: Store, scope: Scope, size: int) -> list[str] | None:
    """The scope's invoice numbers in date order when there are more than ``size``;
    ``None`` for a smaller scope, or one naming what the store lacks (the whole-scope path
    then reports it as always)."""
    conditions: list[ColumnElement[bool]] = []
    found: list[tuple[date, str]] = []
    with store.session() as session:
        if scope.periods:
            closed = dict(
                session.execute(
                    select(Period.id, Period.closed_at).where(Period.id.in_(scope.periods))
                ).all()
            )
            if len(closed) < len(set(scope.periods)):
                return None
            wanted = [period for period in scope.periods if closed[period] is not None]
            if wanted:
                conditions.append(Invoice.period_id.in_(wanted))
        if scope.all:
            closed_ids = select(Period.id).where(Period.closed_at.is_not(None))
            conditions.append(Invoice.period_id.in_(closed_ids))
        if conditions:
            query = select(Invoice.date, Invoice.number).where(or_(*conditions))
            found.extend((day, number) for day, number in session.execute(query))
        named = sorted(set(scope.invoices))
        for start in range(0, len(named), IN_BATCH):
            batch = named[start : start + IN_BATCH]
            query = select(Invoice.date, Invoice.number).where(Invoice.number.in_(batch))
            rows = [(day, number) for day, number in session.execute(query)]
            if len(rows) < len(batch):
                return None  # an unknown number: the whole-scope path raises ScopeError
            found.extend(rows)
    found.sort()
    # A number both named and in a named period comes twice, side by side once sorted.
    numbers = [number for i, (_, number) in enumerate(found) if not i or found[i - 1] != found[i]]
    return numbers if len(numbers) > size else None


class SliceListener:
    """The run's listener, told of the whole run once: the slices' own starts and ends are not
    the run's. The total it announces is the scope's size (already exported ones included)."""

    def __init__(self, listener: ProgressListener, total: int) -> None:
        self.listener = listener
        self.total = total
        self.begun = False

    def started(self, total: int) -> None:
        if not self.begun:
            self.begun = True
            self.listener.started(self.total)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        self.listener.advanced(outcome)

    def finished(self, summary: RunSummary) -> None:
        """A slice's end, not the run's: the run tells its listener itself."""
