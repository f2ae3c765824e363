"""Which invoices an export, check or status command works on.

The scope is the same for ``check``, ``export`` and ``status``: whole invoice periods
(``--period``, only closed ones are exported), single invoices (``--invoice``, any time), or
``--all`` (every invoice of a closed period that is not exported yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from procountor_export.store.models import Invoice, Order, Period


class ScopeError(ValueError):
    """The scope names something the store does not have."""


@dataclass(frozen=True)
class Scope:
    """Periods and invoice numbers to work on, or everything not yet exported."""

    periods: tuple[str, ...] = ()
    invoices: tuple[str, ...] = ()
    all: bool = False

    @classmethod
    def of(
        cls, periods: Sequence[str] = (), invoices: Sequence[str] = (), everything: bool = False
    ) -> Scope:
        """Build a scope; at least one of the three must be given."""
        scope = cls(tuple(periods), tuple(invoices), everything)
        if not (scope.periods or scope.invoices or scope.all):
            raise ScopeError("Say what to work on: --period ID, --invoice NUMBER or --all.")
        return scope

    def as_dict(self) -> dict[str, Any]:
        """JSON form, stored with the export run."""
        return {"periods": list(self.periods), "invoices": list(self.invoices), "all": self.all}


@dataclass(frozen=True)
class Selection:
    """The invoices in scope, and periods named in the scope that are still open."""

    invoices: list[Invoice]
    open_periods: list[str]


def select_invoices(
    session: Session, scope: Scope, *, whole_periods_closed: bool = True
) -> Selection:
    """Load the scope's invoices with customers, postings and order dates, in number order.

    Raises :class:`ScopeError` for an unknown period or invoice number. Invoices of an open
    period named by ``--period`` are left out (and the period reported) when
    ``whole_periods_closed``, because only closed periods are exported whole.
    """
    loader = (
        joinedload(Invoice.customer),
        selectinload(Invoice.postings),
        # Only the dates: they give the invoice's delivery period (the PDF reads the rest).
        selectinload(Invoice.orders).load_only(Order.pickup_date, Order.delivery_date),
    )
    found: dict[int, Invoice] = {}
    open_periods: list[str] = []
    if scope.periods:
        periods = {
            p.id: p for p in session.scalars(select(Period).where(Period.id.in_(scope.periods)))
        }
        unknown = [pid for pid in scope.periods if pid not in periods]
        if unknown:
            raise ScopeError(f"Unknown invoice period: {', '.join(unknown)}")
        wanted = []
        for pid in scope.periods:
            if periods[pid].closed_at is None and whole_periods_closed:
                open_periods.append(pid)
            else:
                wanted.append(pid)
        if wanted:
            query = select(Invoice).where(Invoice.period_id.in_(wanted)).options(*loader)
            found.update((inv.id, inv) for inv in session.scalars(query))
    if scope.invoices:
        query = select(Invoice).where(Invoice.number.in_(scope.invoices)).options(*loader)
        by_number = {inv.number: inv for inv in session.scalars(query)}
        unknown = [number for number in scope.invoices if number not in by_number]
        if unknown:
            raise ScopeError(f"Unknown invoice number: {', '.join(unknown)}")
        found.update((inv.id, inv) for inv in by_number.values())
    if scope.all:
        closed = select(Period.id).where(Period.closed_at.is_not(None))
        query = select(Invoice).where(Invoice.period_id.in_(closed)).options(*loader)
        found.update((inv.id, inv) for inv in session.scalars(query))
    invoices = sorted(found.values(), key=lambda inv: (inv.date, inv.number))
    return Selection(invoices=invoices, open_periods=open_periods)
