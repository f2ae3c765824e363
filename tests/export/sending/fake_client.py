"""A small in-memory Procountor for the sending steps' unit tests: canned models, recorded calls.

It offers only what the steps call (``invoices.get/create/search/approve/send``,
``ledger_receipts.get/update``, ``attachments.create``) and what
:func:`~procountor_export.procountor.settle.settle` needs of a client (its retry loop and
counters); the master data a run prepares is in :mod:`fake_company`. Every call is in
``log`` (name and argument, in order) and counted per name in ``calls``, as the real client
counts per endpoint. An answer can be scripted to fail: each ``fail_*`` list holds errors
raised by the next calls of that kind, in order, before the fake answers normally again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from threading import Lock
from typing import Any, cast

import stamina
from factories import EXPORT, OFFICE, snapshot
from factories import invoice as tms_invoice

from procountor_export.export.options import ExportOptions
from procountor_export.export.planning.plan import InvoicePlan, PlannedRow, PostingKey
from procountor_export.export.reading.data import ExportConfig
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.shared import Shared, Working
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.enums import InvoiceChannel, InvoiceStatus
from procountor_export.procountor.errors import ProcountorError
from procountor_export.procountor.models import (
    Attachment,
    AttachmentMeta,
    DimensionItemValue,
    Invoice,
    InvoiceSumInfo,
    InvoiceSummary,
    LedgerReceipt,
    Transaction,
)
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView, Journal, Step
from procountor_export.store.models import (
    Customer,
    ExportDefinition,
    JournalEntry,
    Period,
)
from procountor_export.store.models import Invoice as StoredInvoice
from procountor_export.store.runs import Runs


class FakeInvoices:
    """``client.invoices``: reads answer the stored invoices; approve/send move their status;
    a POST stores the invoice UNFINISHED with its totals, as Procountor computes them."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: dict[int, Invoice] = {}
        self.fail_get: list[ProcountorError] = []
        self.fail_approve: list[ProcountorError] = []
        self.fail_send: list[ProcountorError] = []
        # Whether a failed approve/send was carried out all the same (a lost answer).
        self.done_anyway = False
        self.fail_create: list[ProcountorError] = []
        self.fail_search: list[ProcountorError] = []
        self.created_anyway = False  # the same for a failed POST
        # Called with each POSTed invoice as it arrives: a test looks at the journal then.
        self.on_create: Callable[[Invoice], None] | None = None
        self._next_id = 500

    def add(self, invoice: Invoice) -> Invoice:
        assert invoice.id is not None
        self.stored[invoice.id] = invoice
        return invoice

    def get(self, ids: Sequence[int]) -> list[Invoice]:
        if not ids:  # the real client sends no request for no ids
            return []
        self.owner.record("invoices.get", tuple(ids))
        if self.fail_get:
            raise self.fail_get.pop(0)
        return [self.stored[i].model_copy(deep=True) for i in ids if i in self.stored]

    def create(self, invoice: Invoice) -> Invoice:
        self.owner.record("invoices.create", invoice.original_invoice_number)
        if self.on_create is not None:
            self.on_create(invoice)
        failure = self.fail_create.pop(0) if self.fail_create else None
        if failure is not None and not self.created_anyway:
            raise failure
        self._next_id += 1
        net = vat = Decimal(0)
        for row in invoice.invoice_rows:  # as Procountor sums them: VAT rounded per row
            amount = (row.unit_price or 0) * (row.quantity or 0)
            net, vat = net + amount, vat + round(amount * (row.vat_percent or 0) / 100, 2)
        stored = invoice.model_copy(
            deep=True,
            update={
                "id": self._next_id,
                "status": InvoiceStatus.UNFINISHED,
                "invoice_number": 7000 + self._next_id,
                "ledger_receipt_id": 8000 + self._next_id,
                "invoice_sum_info": [
                    InvoiceSumInfo(
                        currency=invoice.payment_info.currency if invoice.payment_info else None,
                        excluding_vat_total=net,
                        vat_sum_total=vat,
                        invoice_sum_total=net + vat,
                    )
                ],
            },
        )
        self.stored[self._next_id] = stored
        self.owner.booked(stored)
        if failure is not None:
            raise failure
        return stored.model_copy(deep=True)

    def search(
        self,
        *,
        original_invoice_number: str | None = None,
        start_date: date | None = None,
        end_date: date | None = None,
        **_: Any,
    ) -> list[InvoiceSummary]:
        self.owner.record("invoices.search", original_invoice_number or (start_date, end_date))
        if self.fail_search:
            raise self.fail_search.pop(0)
        return [
            InvoiceSummary(
                id=i.id,
                partner_id=i.partner_id,
                status=i.status,
                invoice_number=i.invoice_number,
                original_invoice_number=i.original_invoice_number,
                date=i.date,
                invoice_sum_info=i.invoice_sum_info,
            )
            for i in self.stored.values()
            if i.id is not None
            and original_invoice_number in (None, i.original_invoice_number)
            and (start_date is None or (i.date is not None and start_date <= i.date))
            and (end_date is None or (i.date is not None and i.date <= end_date))
        ]

    def approve(self, invoice_id: int) -> None:
        self.owner.record("invoices.approve", invoice_id)
        self._move(invoice_id, self.fail_approve, InvoiceStatus.NOT_SENT)

    def send(self, invoice_id: int) -> None:
        self.owner.record("invoices.send", invoice_id)
        self._move(invoice_id, self.fail_send, InvoiceStatus.SENT)

    def _move(self, invoice_id: int, failures: list[ProcountorError], to: InvoiceStatus) -> None:
        if failures:
            error = failures.pop(0)
            if self.done_anyway:
                self.stored[invoice_id].status = to
            raise error
        self.stored[invoice_id].status = to


class FakeLedgerReceipts:
    """``client.ledger_receipts``: batch reads and whole-receipt updates."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: dict[int, LedgerReceipt] = {}
        self.fail_get: list[ProcountorError] = []
        self.fail_update: list[ProcountorError] = []

    def add(self, receipt: LedgerReceipt) -> LedgerReceipt:
        assert receipt.id is not None
        self.stored[receipt.id] = receipt
        return receipt

    def get(self, ids: Sequence[int]) -> list[LedgerReceipt]:
        if not ids:  # the real client sends no request for no ids
            return []
        self.owner.record("ledger_receipts.get", tuple(ids))
        if self.fail_get:
            raise self.fail_get.pop(0)
        return [self.stored[i].model_copy(deep=True) for i in ids if i in self.stored]

    def update(self, receipt: LedgerReceipt) -> LedgerReceipt:
        self.owner.record("ledger_receipts.update", receipt.id)
        if self.fail_update:
            raise self.fail_update.pop(0)
        assert receipt.id is not None
        self.stored[receipt.id] = receipt.model_copy(deep=True)
        return receipt


class FakeAttachments:
    """``client.attachments``: a POST stores the attachment on its invoice."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.posted: list[tuple[AttachmentMeta, bytes]] = []
        self.fail_create: list[ProcountorError] = []
        self.done_anyway = False
        self._next_id = 900

    def create(self, meta: AttachmentMeta, content: bytes) -> Attachment:
        self.owner.record("attachments.create", meta.name)
        failure = self.fail_create.pop(0) if self.fail_create else None
        if failure is not None and not self.done_anyway:
            raise failure
        self.posted.append((meta, content))
        self._next_id += 1
        attachment = Attachment(id=self._next_id, name=meta.name, reference_id=meta.reference_id)
        invoice = self.owner.invoices.stored.get(meta.reference_id or -1)
        if invoice is not None:
            invoice.attachments = [*(invoice.attachments or []), attachment]
        if failure is not None:
            raise failure
        return attachment


class FakeClient:
    """What the sending steps use of :class:`~procountor_export.procountor.ProcountorClient`."""

    def __init__(self, *, retry_attempts: int = 3) -> None:
        self.log: list[tuple[str, Any]] = []
        self.calls: Counter[str] = Counter()
        self._lock = Lock()
        self.retries: Counter[str] = Counter()
        self.retry_attempts = retry_attempts
        self.retry_timeout = 60.0
        self.invoices = FakeInvoices(self)
        self.ledger_receipts = FakeLedgerReceipts(self)
        self.attachments = FakeAttachments(self)

    def retrying(self, on: Callable[[BaseException], bool | float]) -> Iterable[stamina.Attempt]:
        """The real client's loop shape; the tests' stamina switch makes it wait for nothing."""
        return stamina.retry_context(
            on=on, attempts=self.retry_attempts, timeout=self.retry_timeout, wait_initial=0.0
        )

    def booked(self, invoice: Invoice) -> None:
        """A POSTed invoice's ledger receipt: none here (:mod:`fake_company` books one)."""

    def record(self, name: str, argument: Any) -> None:
        """One call made: into the log and the per-name count (the sending threads share both)."""
        with self._lock:
            self.log.append((name, argument))
            self.calls[name] += 1

    def count_retry(self, kind: str) -> None:
        self.retries[kind] += 1

    def called(self, name: str) -> list[Any]:
        """The arguments of every call named ``name`` (e.g. ``"invoices.send"``), in order."""
        return [argument for call, argument in self.log if call == name]


# --- a bench: the fake client, a real SQLite journal, and invoices on their way ---------------


class Bench:
    """One run's context over ``FakeClient`` and a real journal on ``store``, with helpers to
    put invoices on their way (created in Procountor, their journal rows at ``created``)."""

    def __init__(
        self, store: Store, export: ExportConfig = EXPORT, client: FakeClient | None = None
    ) -> None:
        self.store = store
        self.client = client or FakeClient()
        self.journal = Journal(store)
        self.run_id = Runs(self.journal.store).start({"all": True}, "test")
        with store.session() as session:
            customer = Customer(code="ACME", customer_no="1001", name="Acme Oy", address={})
            period = Period(id="2026-03", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
            definition = ExportDefinition(name=export.name, type="procountor-api")
            session.add_all([customer, period, definition])
            session.flush()
            self._customer_id, self._export_id = customer.id, definition.id
        self.ctx = RunContext(
            client=cast(ProcountorClient, self.client),
            journal=self.journal,
            run_id=self.run_id,
            export=export,
            office=OFFICE,
            cache=snapshot(),
            options=ExportOptions(source="Opter", workers=1),
        )
        self.shared = Shared(self.ctx)
        self._next = 0

    def with_export(self, **changes: Any) -> Bench:
        """The same bench with the export definition changed (e.g. ``after_create``)."""
        self.ctx = replace(self.ctx, export=replace(self.ctx.export, **changes))
        self.shared = Shared(self.ctx)
        return self

    def invoice(
        self, status: InvoiceStatus | None = InvoiceStatus.UNFINISHED, **remote: Any
    ) -> Working:
        """A TMS invoice created in Procountor (stored in the fake), its journal row there."""
        plan, entry = self.planned()
        invoice_id = 100 + self._next
        self.journal.begin(entry.id, Step.CREATE_INVOICE, self.run_id)
        self.journal.record_remote(
            entry.id,
            step=Step.CREATED,
            invoice_id=invoice_id,
            invoice_number=1500 + self._next,
            ledger_receipt_id=invoice_id + 1000,
            partner_id=9,
            run_id=self.run_id,
        )
        values = {
            "id": invoice_id,
            "status": status,
            "invoice_number": 1500 + self._next,
            "invoice_channel": InvoiceChannel.EMAIL,
            "ledger_receipt_id": invoice_id + 1000,
        }
        values.update(remote)
        stored = self.client.invoices.add(Invoice(**values))
        outcome = InvoiceOutcome(
            invoice=plan.invoice.number, export=self.ctx.export.name, state=entry.state
        )
        return Working(plan, entry, outcome, remote=stored.model_copy(deep=True))

    def planned(self, **invoice: Any) -> tuple[InvoicePlan, EntryView]:
        """A TMS invoice not sent yet: its plan (one row on ``KEY``) and its new journal row.
        ``invoice`` changes the TMS invoice (e.g. ``customer=factories.customer(...)``)."""
        self._next += 1
        number = f"25000{self._next}"
        with self.store.session() as session:
            row = StoredInvoice(
                number=number,
                period_id="2026-03",
                customer_id=self._customer_id,
                date=date(2026, 3, 31),
                due_date=date(2026, 4, 14),
                currency="EUR",
                total_net=Decimal(350),
                total_vat=Decimal("89.25"),
                total_gross=Decimal("439.25"),
                content_hash=number,
                imported_at=datetime(2026, 4, 1),
            )
            session.add(row)
            session.flush()
            pair = (row.id, self._export_id)
        entry = self.journal.entries([pair], self.run_id)[pair]
        plan = InvoicePlan(
            invoice=tms_invoice(id=row.id, number=number, **invoice),
            export=self.ctx.export,
            rows=(PlannedRow(key=KEY, net=Decimal(350), vat=Decimal("89.25"), text="Freight"),),
        )
        return plan, entry

    def row(self, item: Working | EntryView) -> JournalEntry:
        """The item's (or the journal row's) journal row as it is now in the store."""
        entry_id = item.entry.id if isinstance(item, Working) else item.id
        with self.store.session() as session:
            entry = session.get_one(JournalEntry, entry_id)
            session.expunge(entry)
            return entry


# The posting key of every bench invoice's one row: account 3010, VAT status 1, unit HEL.
KEY = PostingKey(
    account="3010",
    vat_code="ALV25.5",
    vat_percent=Decimal("25.5"),
    vat_status=1,
    currency="EUR",
    units=(("Department", "HEL"),),
)
# The dimension item the bench's company gives the unit HEL (``factories.snapshot``).
HEL = DimensionItemValue(dimension_id=12, item_id=345, value=Decimal(350))


def receipt_for(item: Working, *entries: Transaction) -> LedgerReceipt:
    """The ledger receipt of ``item``'s Procountor invoice with ``entries`` (default: right)."""
    assert item.remote is not None
    right = Transaction(
        id=1,
        transaction_type="ENTRY",
        account="3010",
        accounting_value=Decimal(350),
        vat_status=1,
        dimension_item_values=[HEL],
    )
    return LedgerReceipt(
        id=item.remote.ledger_receipt_id,
        invoice_id=item.remote.id,
        transactions=list(entries or (right,)),
        version="v1",
    )
