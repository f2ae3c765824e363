"""An invoice's export state, read from its journal entries: one state over every export.

An invoice has one journal entry per export definition. Its overall state is the most urgent of
them: a write that may have happened, then a failure, then work still to do; it is EXPORTED
only when every export has it, and NEW while no export has touched it (no journal entry). The
lists compute it in the database (:data:`URGENCY` ranks the states), never per row in Python.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import case, func, select

from procountor_export.store import models as db

InvoiceState = Literal["NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED"]
INVOICE_STATES: tuple[InvoiceState, ...] = ("NEW", "PENDING", "INFLIGHT", "EXPORTED", "FAILED")
# How each state reads where a person reads it (the window, its filters).
STATE_WORDS: dict[str, str] = {
    "NEW": "Not exported",
    "PENDING": "Pending",
    "INFLIGHT": "Going",
    "EXPORTED": "Exported",
    "FAILED": "Failed",
}

# From the most urgent state to the least (NEW, no journal entry, is not ranked).
URGENCY: tuple[InvoiceState, ...] = ("INFLIGHT", "FAILED", "PENDING", "EXPORTED")


def journal_urgency() -> Any:
    """Subquery: invoice id -> index in ``URGENCY`` of its most urgent journal state."""
    journal = db.JournalEntry.__table__
    rank = case(
        {state: index for index, state in enumerate(URGENCY)}, value=journal.c.state, else_=99
    )
    return (
        select(journal.c.invoice_id, func.min(rank).label("urgency"))
        .group_by(journal.c.invoice_id)
        .subquery()
    )


def urgency_of_invoice() -> Any:
    """Scalar subquery: the index in ``URGENCY`` of the listed invoice's most urgent journal
    state (``NULL``: no journal entry, NEW). Correlated, so it reads only the journal entries
    of the rows a page shows (the journal's ``(invoice_id, export_id)`` index)."""
    journal = db.JournalEntry.__table__
    rank = case(
        {state: index for index, state in enumerate(URGENCY)}, value=journal.c.state, else_=99
    )
    return (
        select(func.min(rank))
        .where(journal.c.invoice_id == db.Invoice.id)
        .correlate(db.Invoice)
        .scalar_subquery()
    )


def state_of(urgency_index: int | None) -> InvoiceState:
    """The state an index in ``URGENCY`` stands for (``None``: no journal entry, NEW)."""
    return "NEW" if urgency_index is None else URGENCY[urgency_index]
