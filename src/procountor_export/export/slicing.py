"""Big runs in slices: a run holds at most a slice of its invoices in memory at once.

:func:`slice_numbers` tells whether a scope is big enough to slice (and its invoices' numbers
in date order); the runner then exports it slice by slice under one run, telling the run's
listener of the whole through a :class:`SliceListener`.
"""

from __future__ import annotations

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


def slice_numbers(store: Store, scope: Scope, size: int) -> list[str] | None:
    """The scope's invoice numbers in date order when there are more than ``size``;
    ``None`` for a smaller scope, or one naming what the store lacks (the whole-scope path
    then reports it as always)."""
    conditions: list[ColumnElement[bool]] = []
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
        if scope.invoices:
            conditions.append(Invoice.number.in_(scope.invoices))
        if scope.all:
            closed_ids = select(Period.id).where(Period.closed_at.is_not(None))
            conditions.append(Invoice.period_id.in_(closed_ids))
        if not conditions:
            return None
        query = select(Invoice.number).where(or_(*conditions))
        numbers = list(session.scalars(query.order_by(Invoice.date, Invoice.number)))
    if len(numbers) <= size:
        return None
    if scope.invoices and not set(scope.invoices) <= set(numbers):
        return None  # an unknown number: the whole-scope path raises ScopeError
    return numbers


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
