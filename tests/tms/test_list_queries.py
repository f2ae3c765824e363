"""The list queries: periods with counts, invoices by export state, customers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.tms import queries
from procountor_export.tms.importer import import_document

if TYPE_CHECKING:
    from tests.tms.conftest import MarkExported


def imported(store: Store, example: dict[str, Any]) -> None:
    first = example["invoices"][0]
    example["invoices"] += [dict(first, number=n) for n in ("250002", "250003", "250004")]
    example["periods"].append({"id": "2025-04-A", "from": "2025-04-01", "to": "2025-04-30"})
    example["invoices"].append(
        dict(first, number="250101", period="2025-04-A", date="2025-04-30", due_date="2025-05-14")
    )
    example["customers"].append(
        {"code": "NOLEDGER", "customer_no": "1002", "name": "Beta Ab", "address": {"name": "B"}}
    )
    report = import_document(store, example)
    assert report.accepted, report.errors


def imported_in_states(
    store: Store,
    example: dict[str, Any],
    mark_exported: MarkExported,
    *states: db.JournalState,
) -> None:
    """:func:`imported`, then invoices 250001, 250002, … given ``states`` in that order."""
    imported(store, example)
    for number, state in zip(("250001", "250002", "250003"), states, strict=False):
        mark_exported(store, number, state)


def test_invoices_are_listed_with_their_export_state(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    imported_in_states(
        store,
        example,
        mark_exported,
        db.JournalState.EXPORTED,
        db.JournalState.FAILED,
        db.JournalState.INFLIGHT,
    )
    with store.session() as session:
        every = queries.list_invoices(session)
        assert [(row.number, row.state) for row in every] == [
            ("250001", "EXPORTED"),
            ("250002", "FAILED"),
            ("250003", "INFLIGHT"),
            ("250004", "NEW"),
            ("250101", "NEW"),
        ]
        assert every[0].customer == "ACME"
        assert str(every[0].total_gross) == "439.25"
        new = queries.list_invoices(session, state="NEW")
        assert [row.number for row in new] == ["250004", "250101"]
        march_new = queries.list_invoices(session, period="2025-03-A", state="NEW")
        assert [row.number for row in march_new] == ["250004"]
        failed = queries.list_invoices(session, state="FAILED")
        assert [row.number for row in failed] == ["250002"]
        assert queries.list_invoices(session, state="PENDING") == []


def test_the_database_counts_filters_and_bounds_what_the_invoices_page_shows(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    states = (db.JournalState.EXPORTED, db.JournalState.FAILED)
    imported_in_states(store, example, mark_exported, *states)
    with store.session() as session:
        assert queries.invoice_states_by_period(session) == {
            "2025-03-A": {"EXPORTED": 1, "FAILED": 1, "NEW": 2},
            "2025-04-A": {"NEW": 1},
        }
        # A search matches the number or the customer, in any case; % and _ are plain text.
        hits = queries.list_invoices(session, search="acme", limit=2)
        assert [row.number for row in hits] == ["250001", "250002"]
        assert queries.count_invoices(session, search="acme") == 5
        assert [r.number for r in queries.list_invoices(session, search="0101")] == ["250101"]
        assert queries.count_invoices(session, search="25000_") == 0
        assert queries.count_invoices(session, search="%") == 0
        assert queries.count_invoices(session, period="2025-03-A", state="NEW") == 2


def test_an_invoice_is_exported_only_when_every_export_has_it(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    imported_in_states(store, example, mark_exported, db.JournalState.EXPORTED)
    with store.session() as session:
        second = db.ExportDefinition(name="Second")
        session.add(second)
    with store.session() as session:
        invoice = session.query(db.Invoice).filter_by(number="250001").one()
        entry = session.query(db.JournalEntry).filter_by(invoice_id=invoice.id).one()
        session.add(
            db.JournalEntry(
                invoice_id=invoice.id,
                export_id=session.query(db.ExportDefinition.id).filter_by(name="Second").scalar(),
                state=db.JournalState.PENDING,
                created_at=entry.created_at,
                updated_at=entry.updated_at,
            )
        )
    with store.session() as session:
        assert [r.state for r in queries.list_invoices(session)][:1] == ["PENDING"]


def test_periods_are_listed_with_counts(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    states = (db.JournalState.EXPORTED, db.JournalState.FAILED)
    imported_in_states(store, example, mark_exported, *states)
    with store.session() as session:
        rows = queries.list_periods(session)
    assert [(r.id, r.invoices, r.exported, r.closed_at is not None) for r in rows] == [
        ("2025-03-A", 4, 1, True),
        ("2025-04-A", 1, 0, False),
    ]


def test_customers_without_a_sales_ledger_number_can_be_listed(
    store: Store, example: dict[str, Any]
) -> None:
    imported(store, example)
    with store.session() as session:
        assert [c.code for c in queries.list_customers(session)] == ["ACME", "NOLEDGER"]
        missing = queries.list_customers(session, missing_sales_ledger_no=True)
    assert [c.to_dict() for c in missing] == [
        {
            "code": "NOLEDGER",
            "customer_no": "1002",
            "sales_ledger_no": None,
            "name": "Beta Ab",
            "invoice_channel": "none",
            "export_setting": None,
        }
    ]
