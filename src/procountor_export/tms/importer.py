"""Importing a TMS document into the store: validate everything, then upsert, atomically.

The document is read twice when it comes as text or a file, with ``ijson``: the first pass
collects the sections other than ``invoices`` (wherever they stand); the second validates and
writes the invoices in batches. Both passes stream, so memory stays bounded however many
invoices the document holds.

Atomicity: everything happens in one transaction. Writing stops at the first error, checking
goes on to the end (every problem is reported), and a rejected document is rolled back.

Concurrency: imports of the same store take turns. The transaction holds the store's import
lock from its first statement (``store.locks``: an advisory lock on PostgreSQL, the write lock
on SQLite), so each import sees everything the one before it committed and its counts are
true; invoices an export has claimed or sent are conflicts, checked under a lock that keeps
claims out until the commit (``tms.claims``). A transient failure on PostgreSQL (a deadlock or
a unique key some other writer inserted at the same moment) runs the import again, at most
:data:`ATTEMPTS` times in all.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.locks import (
    STORE_LOG,
    describe,
    exclusive_session,
    is_transient,
    store_error,
)
from procountor_export.store.secrets import SecretBox
from procountor_export.tms import document as doc
from procountor_export.tms.checks import (
    Known,
    check_header,
    check_invoice,
    check_references,
    unknown_keys,
)
from procountor_export.tms.header import Sections, validate_header
from procountor_export.tms.invoices import CheckedInvoice, InvoiceWriter, content_hash
from procountor_export.tms.master import write_master_data
from procountor_export.tms.report import DocumentProblem, ImportReport, problems_from
from procountor_export.tms.stream import (
    Document,
    DocumentInput,
    DocumentSyntaxError,
    InMemoryDocument,
    StreamedDocument,
)

BATCH_SIZE = 1000
_LOOKUP_CHUNK = 1000
# How long an import waits for another one (or an export's journal write) by default: a
# 50,000-invoice import takes about a minute and a half on PostgreSQL.
DEFAULT_WAIT = 600.0
ATTEMPTS = 3


class _Rejected(Exception):
    """Raised inside the transaction to roll a rejected document back."""


def _number(raw: Any) -> str | None:
    number = raw.get("number") if isinstance(raw, dict) else None
    return number if isinstance(number, str) else None


def import_document(
    store: Store,
    data: DocumentInput | Mapping[str, Any],
    *,
    box: SecretBox | None = None,
    now: datetime | None = None,
    wait: float = DEFAULT_WAIT,
) -> ImportReport:
    """Import a ``tms-invoicing/1`` document into ``store``, all of it or nothing.

    ``data`` is the JSON text (``str`` or ``bytes``), a path, a binary file, or the parsed
    document. ``box`` encrypts API keys given in ``export_settings`` (without it such a key is
    an error). The report lists every problem by JSON path; when it has errors the store is
    unchanged. Invoices an export has sent, may have sent or has claimed that the document
    would change are reported as conflicts and kept as they are; the rest of the document is
    still imported.

    Imports at the same time take turns; ``wait`` bounds, in seconds, how long this one waits
    for the store. Raises :class:`~procountor_export.store.locks.StoreBusy` when the wait ran
    out, :class:`~procountor_export.store.locks.StoreUnreachable` when the database cannot be
    reached, and :class:`~procountor_export.store.locks.StoreError` when it refused the
    document otherwise (after the retries); in each case nothing was written.
    """
    document: Document = (
        InMemoryDocument(data) if isinstance(data, Mapping) else StreamedDocument(data)
    )
    imported_at = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    try:
        with _libraries_frozen():
            return _with_retries(store, document, box, imported_at, wait)
    finally:
        document.close()


def _with_retries(
    store: Store, document: Document, box: SecretBox | None, imported_at: datetime, wait: float
) -> ImportReport:
    """Run the import, again after a transient failure; database errors as ``StoreError``."""
    attempt = 1
    while True:
        # A fresh report each time: a rolled-back attempt's counts are not true.
        report = ImportReport()
        try:
            _run(store, document, box, imported_at, report, wait)
        except SQLAlchemyError as exc:
            if attempt >= ATTEMPTS or not is_transient(exc):
                raise store_error(exc, wait) from exc
            STORE_LOG.warning(
                "import: attempt %d rolled back by another writer, trying again: %s",
                attempt,
                describe(exc),
            )
            attempt += 1
            continue
        return report


@contextmanager
def _libraries_frozen() -> Iterator[None]:
    """Keep the garbage collector from rescanning every loaded library object, for a while.

    Why: validating 50,000 invoices allocates millions of short-lived objects, and each full
    collection would walk the hundreds of thousands of objects of SQLAlchemy, pydantic & co.
    as well: about a fifth of the import's time. ``gc.freeze`` sets them aside; when someone
    (a pre-forking server) has frozen objects already, that is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run(
    store: Store,
    document: Document,
    box: SecretBox | None,
    imported_at: datetime,
    report: ImportReport,
    wait: float,
) -> None:
    """Both passes in one transaction under the import lock; a rejected document is rolled
    back. Database errors propagate (after the rollback)."""
    try:
        header = validate_header(document.scan(report), report)
        with exclusive_session(store, "import", wait=wait) as session:
            _import(session, header, document, box, imported_at, report)
            if not report.accepted:
                raise _Rejected
    except DocumentSyntaxError as exc:
        report.error(exc.path, str(exc))
        report.discard_counts()
    except _Rejected:
        report.discard_counts()


def _stored_keys(session: Session) -> tuple[Known, list[str]]:
    """What the store already holds that the document may refer to, and the office codes."""
    known = Known(
        customers=set(session.scalars(select(db.Customer.code))),
        periods=set(session.scalars(select(db.Period.id))),
        vat_codes=set(session.scalars(select(db.VatRate.code))),
        exports=set(session.scalars(select(db.ExportDefinition.name))),
        groups=set(session.scalars(select(db.ExportGroup.name))),
    )
    for period_id, first, last in session.execute(
        select(db.Period.id, db.Period.date_from, db.Period.date_to)
    ):
        known.period_dates[period_id] = (first, last)
    for centre, unit in session.execute(
        select(db.ProfitCentre.name, db.Unit.code).outerjoin(db.Unit)
    ):
        codes = known.units.setdefault(centre, set())
        if unit is not None:
            codes.add(unit)
    return known, list(session.scalars(select(db.Office.code)))


def _import(
    session: Session,
    header: Sections,
    document: Document,
    box: SecretBox | None,
    imported_at: datetime,
    report: ImportReport,
) -> None:
    """Check the header against the store, write it if it is sound, then the invoices."""
    known, office_codes = _stored_keys(session)
    known.include(header)
    if header.office is not None and office_codes and header.office.code not in office_codes:
        report.error(
            "office.code",
            f'this store holds the invoices of office "{office_codes[0]}", not '
            f'"{header.office.code}" (use one store per office)',
        )
    check_header(header, known, box, report)
    report.add_warnings(_header_unknown_keys(header))
    writer: InvoiceWriter | None = None
    if report.accepted:
        ids = write_master_data(session, header, box, report)
        if report.accepted:
            writer = InvoiceWriter(session, ids.customers, imported_at, report)
    credits = _import_invoices(document, known, writer, report)
    _warn_unknown_credited(session, credits, report)


def _import_invoices(
    document: Document,
    known: Known,
    writer: InvoiceWriter | None,
    report: ImportReport,
) -> list[tuple[str, str]]:
    """Check every invoice; write them in batches while the document has no error.

    Returns the credit notes (path, credited number) whose invoice is not in the document.
    """
    seen: dict[str, str] = {}
    credits: list[tuple[str, str]] = []
    batch: list[CheckedInvoice] = []
    for index, raw in document.invoices():
        path = f"invoices[{index}]"
        number = _number(raw)
        if number is not None:
            if number in seen:
                report.error(
                    f"{path}.number",
                    f'duplicate invoice number "{number}" (also at {seen[number]})',
                )
            else:
                seen[number] = path
        try:
            invoice = doc.Invoice.model_validate(raw)
        except ValidationError as exc:
            report.add_errors(problems_from(path, exc))
            check_references(path, raw, known, report)
            continue
        check_invoice(path, invoice, known, report)
        report.add_warnings(unknown_keys(invoice, path))
        credited = invoice.credited_invoice
        if invoice.type == "credit" and credited is not None:
            credits.append((path, credited))
        # Once any error is known the document is rejected: checking goes on, writing stops.
        if writer is not None and report.accepted:
            batch.append(CheckedInvoice(path, invoice, content_hash(invoice)))
            if len(batch) >= BATCH_SIZE:
                writer.write(batch)
                batch = []
    if writer is not None and report.accepted:
        writer.write(batch)
    return [(path, credited) for path, credited in credits if credited not in seen]


def _warn_unknown_credited(
    session: Session, credits: Sequence[tuple[str, str]], report: ImportReport
) -> None:
    """A credit note may credit an invoice imported earlier; warn when it is nowhere."""
    stored: set[str] = set()
    wanted = sorted({number for _, number in credits})
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        stored.update(
            session.scalars(select(db.Invoice.number).where(db.Invoice.number.in_(chunk)))
        )
    for path, number in credits:
        if number not in stored:
            report.warn(
                f"{path}.credited_invoice",
                f'credits invoice "{number}", which is neither in this document nor in the store',
            )


def _header_unknown_keys(header: Sections) -> Iterator[DocumentProblem]:
    if header.office is not None:
        yield from unknown_keys(header.office, "office")
    sections: list[tuple[str, Sequence[tuple[int, doc.Part]]]] = [
        ("profit_centres", header.profit_centres),
        ("vat_rates", header.vat_rates),
        ("customers", header.customers),
        ("periods", header.periods),
        ("export_settings.exports", header.exports),
        ("export_settings.groups", header.groups),
    ]
    for name, items in sections:
        for index, item in items:
            yield from unknown_keys(item, f"{name}[{index}]")
