"""The invoice list's pages (``queries.invoice_page``): order, keyset pages, search, filters.

On both stores: the pages are the database's own order, so a walk that skips or repeats an
invoice on PostgreSQL's collation but not on SQLite's would show here.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select, update

from procountor_export.samples.generator import generate_document
from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms import invoice_pages, queries
from procountor_export.tms.importer import import_document
from procountor_export.tms.queries import Cursor, InvoiceFilter

if TYPE_CHECKING:
    from tests.tms.conftest import MarkExported

IMPORTED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
PAGE = 7  # small, so that 60 invoices make many pages and pages end inside ties
STATES = {
    "100003": db.JournalState.EXPORTED,
    "100010": db.JournalState.EXPORTED,
    "100011": db.JournalState.FAILED,
    "100020": db.JournalState.INFLIGHT,
    "100021": db.JournalState.PENDING,
    "100040": db.JournalState.EXPORTED,
}


@pytest.fixture
def listed(store: Store, box: SecretBox, mark_exported: MarkExported) -> Store:
    """60 sample invoices (18 customers, 22 periods, dates with ties), some in each state."""
    report = import_document(store, generate_document(60, seed=5), box=box, now=IMPORTED)
    assert report.accepted, report.errors
    for number, state in STATES.items():
        mark_exported(store, number, state)
    return store


def _walk(store: Store, filters: InvoiceFilter, sort: queries.SortKey, descending: bool) -> list:
    """Every row met by following ``next`` from the first page (the cursor as text, as a
    link carries it), with how many pages it took."""
    rows: list[queries.ListedInvoice] = []
    cursor: Cursor | None = None
    with store.session() as session:
        for _ in range(1000):
            page = queries.invoice_page(
                session, filters, sort=sort, descending=descending, cursor=cursor, limit=PAGE
            )
            assert len(page.rows) <= PAGE
            rows += page.rows
            if page.next is None:
                return rows
            cursor = Cursor.decode(page.next.encode())
    raise AssertionError("the pages never ended")


def _whole(store: Store, filters: InvoiceFilter, sort: queries.SortKey, descending: bool) -> list:
    with store.session() as session:
        page = queries.invoice_page(
            session, filters, sort=sort, descending=descending, limit=queries.MAX_PAGE
        )
    assert page.next is None
    assert page.previous is None
    return page.rows


def test_the_newest_invoices_come_first(listed: Store) -> None:
    with listed.session() as session:
        page = queries.invoice_page(session, limit=PAGE)
        newest = session.scalar(select(db.Invoice.number).order_by(db.Invoice.date.desc()))
        count = queries.count_matching(session, InvoiceFilter())
    assert count == 60
    assert page.rows[0].number == newest
    dates = [row.date for row in page.rows]
    assert dates == sorted(dates, reverse=True)
    assert page.previous is None
    assert page.next is not None


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", queries.SORT_KEYS)
def test_next_pages_visit_every_invoice_once_in_order(
    listed: Store, sort: queries.SortKey, descending: bool
) -> None:
    walked = _walk(listed, InvoiceFilter(), sort, descending)
    numbers = [row.number for row in walked]
    assert len(numbers) == len(set(numbers)) == 60
    # Page by page, the same order as the database gives the whole list in one go.
    assert numbers == [row.number for row in _whole(listed, InvoiceFilter(), sort, descending)]
    key = {
        "number": lambda r: r.number,
        "date": lambda r: (r.date, r.id),
        "due_date": lambda r: (r.due_date, r.id),
        "total": lambda r: (r.total_gross, r.id),
        "state": lambda r: (invoice_pages._STATE_ORDER.index(r.state), r.id),
    }.get(sort)
    if key is not None:  # customer names: the database's collation decides
        assert walked == sorted(walked, key=key, reverse=descending)
    else:
        names = [row.customer_name for row in walked]
        assert len(set(names)) > 5
        assert names != sorted(names, reverse=not descending)


@pytest.mark.parametrize("sort", ["date", "state", "customer"])
def test_previous_pages_walk_back_to_the_first(listed: Store, sort: queries.SortKey) -> None:
    whole = [row.number for row in _whole(listed, InvoiceFilter(), sort, True)]
    pages: list[list[str]] = []
    cursor: Cursor | None = Cursor.last(sort, True)
    with listed.session() as session:
        last = queries.invoice_page(session, sort=sort, descending=True, cursor=cursor, limit=PAGE)
        assert last.next is None  # nothing after the last page
        assert last.previous is not None
        while cursor is not None:
            page = queries.invoice_page(
                session, sort=sort, descending=True, cursor=cursor, limit=PAGE
            )
            pages.insert(0, [row.number for row in page.rows])
            cursor = page.previous
    # The last page ends the list; back at the start the first page is shown whole (the
    # 60th invoice is on it and on the page after it: 60 is not a multiple of 7).
    assert pages[-1] == whole[-len(pages[-1]) :]
    assert pages[0] == whole[:PAGE]
    assert [number for page in pages[1:] for number in page] == whole[60 % PAGE :]


def test_search_finds_the_number_the_customer_code_or_name_in_any_case(listed: Store) -> None:
    with listed.session() as session:
        customers = {c.code: c.name for c in queries.list_customers(session)}

    def found(text: str) -> set[str]:
        rows = _whole(listed, InvoiceFilter(search=text), "number", False)
        with listed.session() as session:
            assert queries.count_matching(session, InvoiceFilter(search=text)) == len(rows)
        return {row.customer_code for row in rows}

    name_hits = _whole(listed, InvoiceFilter(search="JÄRVI-suomen"), "number", False)
    assert name_hits
    assert {row.customer_name for row in name_hits} == {"Järvi-Suomen Puutavara Oy"}
    code = name_hits[0].customer_code
    assert found(code.lower()) == {code}  # the code, in any case
    assert found("teräsosa") == {c for c, n in customers.items() if "Teräsosa" in n}
    by_number = _whole(listed, InvoiceFilter(search="100042"), "number", False)
    assert [row.number for row in by_number] == ["100042"]
    assert found("%") == set()  # plain text, not patterns
    assert found("100_4") == set()


def test_filters_narrow_the_list_and_its_count(listed: Store) -> None:
    with listed.session() as session:
        period = session.scalar(select(db.Invoice.period_id).where(db.Invoice.number == "100010"))
    cases = {
        InvoiceFilter(state="EXPORTED"): {"100003", "100010", "100040"},
        InvoiceFilter(state="FAILED"): {"100011"},
        InvoiceFilter(state="INFLIGHT"): {"100020"},
        InvoiceFilter(period=period, state="EXPORTED"): {"100010"},
    }
    for filters, numbers in cases.items():
        walked = _walk(listed, filters, "date", True)
        assert {row.number for row in walked} == numbers, filters
    new = _walk(listed, InvoiceFilter(state="NEW"), "total", False)
    assert len(new) == 60 - len(STATES)
    assert not {row.number for row in new} & set(STATES)
    in_period = _walk(listed, InvoiceFilter(period=period), "number", False)
    assert in_period
    assert {row.period for row in in_period} == {period}
    one = _walk(listed, InvoiceFilter(customer=in_period[0].customer_code), "date", True)
    assert {row.customer_code for row in one} == {in_period[0].customer_code}
    with listed.session() as session:
        assert queries.count_matching(session, InvoiceFilter(period=period)) == len(in_period)
        assert queries.count_matching(session, InvoiceFilter(customer="NOSUCH")) == 0


def test_changed_since_finds_new_imports_and_export_state_changes(listed: Store) -> None:
    later = IMPORTED.replace(tzinfo=None) + timedelta(days=1)
    assert _walk(listed, InvoiceFilter(changed_since=later), "date", True) == []
    everything = _walk(listed, InvoiceFilter(changed_since=later - timedelta(days=2)), "date", True)
    assert len(everything) == 60
    with listed.session() as session:
        invoice_id = session.scalar(select(db.Invoice.id).where(db.Invoice.number == "100011"))
        session.execute(
            update(db.JournalEntry)
            .where(db.JournalEntry.invoice_id == invoice_id)
            .values(updated_at=later + timedelta(hours=1))
        )
    changed = _walk(listed, InvoiceFilter(changed_since=later), "date", True)
    assert [row.number for row in changed] == ["100011"]


def test_rows_carry_the_customer_name_due_date_and_procountor_number(listed: Store) -> None:
    with listed.session() as session:
        invoice_id = session.scalar(select(db.Invoice.id).where(db.Invoice.number == "100010"))
        session.execute(
            update(db.JournalEntry)
            .where(db.JournalEntry.invoice_id == invoice_id)
            .values(procountor_invoice_id=9001, procountor_invoice_number=31)
        )
        invoice = session.get(db.Invoice, invoice_id)
        assert invoice is not None
        expected: dict[str, Any] = {
            "customer_name": invoice.customer.name,
            "customer_code": invoice.customer.code,
            "due_date": invoice.due_date,
            "total_gross": invoice.total_gross,
            "currency": invoice.currency,
        }
    rows = _whole(listed, InvoiceFilter(search="100010"), "number", False)
    assert len(rows) == 1
    row = rows[0]
    assert {name: getattr(row, name) for name in expected} == expected
    assert (row.state, row.procountor_id, row.procountor_number) == ("EXPORTED", 9001, 31)
    other = _whole(listed, InvoiceFilter(search="100003"), "number", False)[0]
    assert (other.procountor_id, other.procountor_number) == (None, None)


def test_a_cursor_is_opaque_text_and_a_foreign_one_is_refused(listed: Store) -> None:
    with listed.session() as session:
        first = queries.invoice_page(session, sort="customer", descending=False, limit=PAGE)
        assert first.next is not None
        text = first.next.encode()
        assert text.isascii()
        assert not {"=", "/", "+"} & set(text)  # as it is in an address
        assert Cursor.decode(text) == first.next
        second = queries.invoice_page(
            session, sort="customer", descending=False, cursor=Cursor.decode(text), limit=PAGE
        )
        # A cursor of another order does not continue that order: the first page.
        other = queries.invoice_page(session, sort="date", cursor=first.next, limit=PAGE)
        assert other.rows == queries.invoice_page(session, sort="date", limit=PAGE).rows
        with pytest.raises(ValueError, match="1 to 500"):
            queries.invoice_page(session, limit=0)
    assert not {r.number for r in first.rows} & {r.number for r in second.rows}
    for bad in ("", "nonsense!", "W10", Cursor("date", True, "2026-13-01", 1).encode()):
        with pytest.raises(queries.BadCursor, match="not one this list gave out"):
            Cursor.decode(bad)
