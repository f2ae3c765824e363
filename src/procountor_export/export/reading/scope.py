"""Which invoices an export, check or status command works on.

The scope is the same for ``check``, ``export`` and ``status``: whole invoice periods
(``--period``, only closed ones are exported), single invoices (``--invoice``, any time), or
``--all`` (every invoice of a closed period that is not exported yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from procountor_export.store import export_settings
from procountor_export.store.models import Customer, ExportDefinition, Invoice, Order, Period


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
    return _select(session, scope, loader, whole_periods_closed)


def _select(
    session: Session, scope: Scope, loader: Sequence[LoaderOption], whole_periods_closed: bool
) -> Selection:
    """:func:`select_invoices` with ``loader`` saying what of each invoice is read."""
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


class Routes:
    """The export definitions an invoice of a customer goes to, asked of the store once per
    export group (a customer's own group, or the default one), not once per invoice."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_group: dict[str | None, list[ExportDefinition]] = {}

    def __call__(self, customer: Customer) -> list[ExportDefinition]:
        # exports_for_customer depends on the customer's group alone (None: the default group).
        group = customer.export_setting or None
        exports = self._by_group.get(group)
        if exports is None:
            exports = self._by_group[group] = export_settings.exports_for_customer(
                self.session, customer
            )
        return exports


@dataclass(frozen=True)
class Part:
    """One export definition's share of a scope: the numbers of the invoices it is sent."""

    export: ExportDefinition
    numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unrouted:
    """An invoice in scope whose customer has no export definition to go to."""

    number: str
    customer_name: str
    customer_code: str


@dataclass(frozen=True)
class Resolution:
    """A scope resolved: its invoices per export definition (by export id, each part's numbers
    in invoice date and number order), the invoices going nowhere, and the periods named that
    are still open (their invoices left out)."""

    parts: list[Part]
    unrouted: list[Unrouted]
    open_periods: list[str]

    @property
    def export_ids(self) -> frozenset[int]:
        """The export definitions (Procountor companies) the scope's invoices go to."""
        return frozenset(part.export.id for part in self.parts)


def resolve(session: Session, scope: Scope) -> Resolution:
    """The scope's invoice numbers per export definition they go to.

    Raises :class:`ScopeError` for an unknown period or invoice number, as
    :func:`select_invoices` does; reads numbers, dates and customers only (no postings), and
    asks for a customer's exports once per export group.
    """
    light = (
        load_only(Invoice.id, Invoice.number, Invoice.date, Invoice.customer_id),
        joinedload(Invoice.customer),
    )
    selection = _select(session, scope, light, whole_periods_closed=True)
    routes = Routes(session)
    parts: dict[int, Part] = {}
    unrouted: list[Unrouted] = []
    for invoice in selection.invoices:
        exports = routes(invoice.customer)
        if not exports:
            customer = invoice.customer
            unrouted.append(Unrouted(invoice.number, customer.name, customer.code))
        for export in exports:
            part = parts.get(export.id)
            if part is None:
                part = parts[export.id] = Part(export)
            part.numbers.append(invoice.number)
    return Resolution(
        parts=[parts[export_id] for export_id in sorted(parts)],
        unrouted=unrouted,
        open_periods=selection.open_periods,
    )
