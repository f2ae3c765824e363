"""The payment sync: per Procountor company, what changed on this service's invoices since the
last sync, read back into the store.

Per company (the export definitions grouped by
:func:`~procountor_export.export.company.company_key`; one client, on the first definition's
lane of the export's :class:`~procountor_export.runtime.connections.ClientFactory`, so a sync is
paced and takes turns with exports under the same limiter):

1. ``GET /invoices?versionStartDate=…`` — the invoices changed since the last seen version less
   :data:`OVERLAP` (first sync: since the oldest journal row of ours, less
   :data:`FIRST_SYNC_MARGIN`), oldest change first, 200 a page. The overlap catches a change
   committed late behind a newer version; once a listing made at least an overlap's time after
   the last version was first seen has read it, the version is *confirmed* and later syncs list
   from it alone. Only the hits whose id the
   journal recorded for one of the company's definitions are kept: anyone else's invoice is
   dropped unread. A kept hit whose version equals the stored one has not changed.
2. For the changed ones: ``GET /payments/paymentevents`` for up to 200 invoices a call (amounts
   and dates; no type). Only an invoice that is settled (``PAID``/``MARKED_PAID``) and has an
   event whose type is not stored yet is read alone (``GET /invoices/{id}/paymentevents``):
   Procountor shows a written-off invoice as ``PAID``, and only the events' type tells a credit
   loss from a payment.
3. Each batch of 200 hits is written in one transaction with the newest version of the batch
   (:func:`.records.apply`), so a crash loses nothing: the next sync starts from the last batch
   written, and what it reads again is stored once.

Cost: nothing changed → one call (the listing), or, the first time after changes, one page per
200 invoices changed in the overlap before the last change (read again, stored already, so
nothing more); N changed → ⌈N/200⌉ listing pages + about ⌈N/200⌉ event calls + one call per
invoice newly settled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr

from procountor_export.payments import records
from procountor_export.payments.records import EventReading, InvoiceReading
from procountor_export.payments.status import SETTLED
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.auth import TOKEN_OPERATION
from procountor_export.procountor.errors import NotFound, ProcountorError
from procountor_export.procountor.models import InvoiceSummary, PaymentEvent, PaymentEventSummary
from procountor_export.runtime.connections import ClientFactory, company_key
from procountor_export.store import export_settings
from procountor_export.store.db import Store, now
from procountor_export.store.locks import held_lock
from procountor_export.store.secrets import SecretBox

LOG = logging.getLogger("procountor_export.payments")

BATCH = 200  # hits per transaction: one listing page, one batched event call
# Versions are re-read this far back: a change committed late with an earlier version (or a
# clock step at Procountor) is still found. What was stored already costs nothing more.
OVERLAP = dt.timedelta(minutes=5)
# A first sync reads from a day before the oldest journal row of ours: the invoice was made
# after its row, and Procountor's clock (its own zone) may differ from ours.
FIRST_SYNC_MARGIN = dt.timedelta(days=1)


@dataclass(frozen=True)
class Lane:
    """The export definition whose lane of the limiter a company's sync uses."""

    id: int


@dataclass
class CompanySync:
    """One company's sync: what it read and changed, and what it cost."""

    company: str  # company_key: a digest, never the API key
    exports: list[str]
    invoices_read: int = 0  # our invoices in the listing (changed or not)
    invoices_changed: int = 0  # whose payment state changed in the store
    events_added: int = 0
    events_removed: int = 0
    calls: int = 0  # API calls (token calls not counted)
    calls_by_endpoint: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "company": self.company,
            "exports": self.exports,
            "invoices_read": self.invoices_read,
            "invoices_changed": self.invoices_changed,
            "events_added": self.events_added,
            "events_removed": self.events_removed,
            "calls": self.calls,
            "calls_by_endpoint": self.calls_by_endpoint,
            "error": self.error,
        }


@dataclass
class SyncReport:
    """Every company's sync."""

    companies: list[CompanySync] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(company.error is None for company in self.companies)


@dataclass
class _Company:
    key: str
    api_key: SecretStr | None
    export_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    problem: str | None = None


def sync_payments(
    store: Store,
    factory: ClientFactory,
    *,
    box: SecretBox | None,
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], dt.datetime] = now,
) -> SyncReport:
    """Sync every Procountor company the export definitions reach; a company that fails
    (no API key, Procountor refusing) is reported and the others go on. ``clock`` is the
    current time (UTC, naive), for the overlap's confirmation."""
    report = SyncReport()
    for company in _companies(store, factory.settings.base_url, box, environ):
        result = CompanySync(company=company.key, exports=company.names)
        report.companies.append(result)
        if company.api_key is None:
            result.error = company.problem
            continue
        client = factory(Lane(company.export_ids[0]), company.api_key)
        try:
            with client:
                sync_company(store, client, company.key, company.export_ids, result, clock)
        except ProcountorError as error:
            LOG.warning("payment sync of %s failed: %s", ", ".join(company.names), error)
            result.error = str(error)
        finally:
            result.calls_by_endpoint = _calls(client)
            result.calls = sum(result.calls_by_endpoint.values())
    return report


def _calls(client: ProcountorClient) -> dict[str, int]:
    return {name: n for name, n in sorted(client.calls.items()) if name != TOKEN_OPERATION}


def _companies(
    store: Store, base_url: str, box: SecretBox | None, environ: Mapping[str, str] | None
) -> list[_Company]:
    """The export definitions grouped by the company their API key reaches; a definition
    whose key cannot be read is a company of its own, with the reason."""
    found: dict[str, _Company] = {}
    with store.session() as session:
        for export in export_settings.list_exports(session):
            try:
                key = export_settings.api_key(
                    export, box, os.environ if environ is None else environ
                )
            except Exception as error:  # a missing key or variable, an undecryptable password
                found[f"export-{export.id}"] = _Company(
                    f"export-{export.id}", None, [export.id], [export.name], str(error)
                )
                continue
            name = company_key(base_url, key)
            company = found.setdefault(name, _Company(name, key))
            company.export_ids.append(export.id)
            company.names.append(export.name)
    return list(found.values())


def sync_company(
    store: Store,
    client: ProcountorClient,
    company: str,
    export_ids: list[int],
    result: CompanySync,
    clock: Callable[[], dt.datetime] = now,
) -> None:
    """Sync one company through ``client`` (its definitions ``export_ids``) into ``result``.

    One sync of a company at a time, across processes (the store's lock): two would read the
    same changes and race to store them.
    """
    with held_lock(store.engine, f"payments-{company}"):
        with store.session() as session:
            state = records.company_state(session, company)
            first = records.first_recorded(session, export_ids)
        if first is None:
            return  # nothing of ours in this company yet: not one call
        last = state.last_version
        since: str | dt.datetime
        if last is None:
            since = first.replace(tzinfo=dt.UTC) - FIRST_SYNC_MARGIN
        elif state.confirmed_version == last:
            since = last  # inclusive: the last change seen comes back, stored already
        else:
            since = _version_time(last) - OVERLAP
        listed_at = clock()
        hits = client.invoices.search(changed_since=since)
        for batch in _batched(hits, BATCH):
            _sync_batch(store, client, company, export_ids, batch, result, clock)
        seen_at = state.version_seen_at
        if last is not None and seen_at is not None and listed_at - seen_at >= OVERLAP:
            # Listed an overlap's time after the last version was first seen: what was
            # committed late behind it has been read now; no need to read it again.
            with store.session() as session:
                records.confirm(session, company, last)


def _version_time(version: str) -> dt.datetime:
    """A version as Procountor's own (naive) time; an unreadable one reads from the start."""
    try:
        return dt.datetime.fromisoformat(version).replace(tzinfo=None)
    except ValueError:
        return dt.datetime(2000, 1, 1)


def _batched(items: Iterable[InvoiceSummary], size: int) -> Iterator[list[InvoiceSummary]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _sync_batch(
    store: Store,
    client: ProcountorClient,
    company: str,
    export_ids: list[int],
    batch: list[InvoiceSummary],
    result: CompanySync,
    clock: Callable[[], dt.datetime],
) -> None:
    """One batch of the listing: our changed invoices' events read, all written at once.

    A kept hit has changed when its version is not the stored one: every change to an invoice
    gives it a new version (two within a second too)."""
    newest = max((hit.version for hit in batch if hit.version), default=None)
    with store.session() as session:
        ours = records.ours(session, export_ids, [hit.id for hit in batch])
        versions = records.stored_versions(session, company, ours)
        types = records.known_types(session, company, ours)
    kept = [hit for hit in batch if hit.id in ours]
    result.invoices_read += len(kept)
    changed = [hit for hit in kept if hit.id not in versions or versions[hit.id] != hit.version]
    by_invoice: dict[int, list[PaymentEventSummary]] = {}
    if changed:
        for event in client.payments.list(hit.id for hit in changed):
            if event.invoice_id is not None:
                by_invoice.setdefault(event.invoice_id, []).append(event)
    readings = [
        _reading(client, hit, ours[hit.id], by_invoice.get(hit.id, []), types) for hit in changed
    ]
    with store.session() as session:
        applied = records.apply(session, company, readings, version=newest, now=clock())
    result.invoices_changed += applied.invoices_changed
    result.events_added += applied.events_added
    result.events_removed += applied.events_removed


def _reading(
    client: ProcountorClient,
    hit: InvoiceSummary,
    invoice_id: int,
    summaries: list[PaymentEventSummary],
    types: Mapping[int, str | None],
) -> InvoiceReading:
    """One changed invoice with all its live events; typed when the type decides its status."""
    events = tuple(_event(summary) for summary in summaries if summary.id is not None)
    untyped = any(types.get(e.event_id) is None for e in events)
    if hit.status in SETTLED and events and untyped:
        # Deleted since the listing (NotFound): what the batched list showed stands.
        with contextlib.suppress(NotFound):
            events = tuple(
                _event(full) for full in client.invoices.payment_events.list(hit.id) if full.id
            )
    total = currency = None
    if hit.invoice_sum_info:
        total = hit.invoice_sum_info[0].invoice_sum_total
        currency = hit.invoice_sum_info[0].currency
    return InvoiceReading(
        procountor_invoice_id=hit.id,
        invoice_id=invoice_id,
        procountor_status=hit.status,
        total=total,
        currency=currency,
        version=hit.version,
        events=events,
    )


def _event(event: PaymentEvent | PaymentEventSummary) -> EventReading:
    assert event.id is not None  # filtered by the callers
    return EventReading(
        event_id=event.id,
        amount=event.amount if event.amount is not None else records.ZERO,
        paid_amount=event.paid_amount,
        paid_currency=event.paid_currency,
        payment_date=event.payment_date,
        type=str(event.type) if isinstance(event, PaymentEvent) and event.type else None,
    )
