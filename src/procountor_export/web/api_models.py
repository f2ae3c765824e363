"""The REST API's requests and answers as pydantic models, so ``/openapi.json`` describes them.

The answers keep the JSON shapes the CLI's ``--json`` prints (the engine's
:func:`~procountor_export.export.analysis_json` and its siblings); these models name and type
each member.
Where nothing was done, an answer says why instead of ``null`` (:class:`NotStarted`).
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Number = Annotated[str, Field(min_length=1, max_length=40)]


def _utc(value: datetime) -> datetime:
    """The store's naive times are UTC: say so (RFC 3339 wants the offset: ``…Z``)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


UtcTime = Annotated[datetime, AfterValidator(_utc)]


# --- shared parts -------------------------------------------------------------------------------


class CatalogueProblem(BaseModel):
    """A problem from the message catalogue: its code and arguments, and the words for them."""

    code: str = Field(description="The message code, e.g. PERIOD_OPEN")
    args: list[str] = Field(description="The message's arguments")
    message: str
    detail: str | None = Field(None, description="What Procountor or the check said, if any")
    remedy: str = Field(description="What to do about it")
    severity: str = Field(description="error or warning")
    invoice: str | None = Field(None, description="The invoice it concerns, if one")
    field: str | None = Field(None, description="The invoice's field it concerns, if one")


class ImportMessage(BaseModel):
    """An error or warning of an import, at its place in the document."""

    path: str = Field(description="Its JSON path in the document: invoices[0].date")
    message: str


class ImportCounts(BaseModel):
    """How many records of one kind the import created, updated or left unchanged."""

    created: int
    updated: int
    unchanged: int


class ImportConflict(BaseModel):
    """An invoice the document changes that an export already claimed or sent (not changed)."""

    number: str
    path: str
    states: list[str]
    message: str


class ImportReport(BaseModel):
    """The outcome of an import (the shape of ``import --json``)."""

    accepted: bool = Field(description="false: nothing was imported (see errors)")
    counts: dict[str, ImportCounts] = Field(
        description="Per kind of record (invoices, customers, …)"
    )
    conflicts: list[ImportConflict]
    newly_closed_periods: list[str] = Field(description="Invoice periods this document closed")
    errors: list[ImportMessage]
    warnings: list[ImportMessage]
    errors_not_kept: int = Field(description="Errors beyond the first ones kept, counted")
    warnings_not_kept: int


class ExportScope(BaseModel):
    """What a run works on: whole closed periods, single invoices, or everything not exported."""

    periods: list[str] = Field(description="Invoice period ids")
    invoices: list[str] = Field(description="TMS invoice numbers")
    all: bool = Field(description="Every invoice of a closed period not yet exported")


# --- exports ------------------------------------------------------------------------------------


class ExportRequest(BaseModel):
    """What to export: whole closed periods, single invoices, or everything not yet exported.

    At least one of the three. Only closed periods are exported whole (an open one is a 422
    of type ``period-open``); single invoices are exported whatever their period's state.
    """

    model_config = ConfigDict(extra="forbid")

    periods: list[Number] = Field(
        default_factory=list, max_length=1000, description="Closed invoice periods, by id"
    )
    invoices: list[Number] = Field(
        default_factory=list, max_length=10000, description="TMS invoice numbers"
    )
    all: bool = Field(False, description="Every invoice of a closed period not yet exported")


ReasonCode = Literal["not_requested", "no_closed_period", "nothing_to_export", "export_running"]


class Reason(BaseModel):
    """Why no export run was started."""

    code: ReasonCode = Field(
        description="not_requested (export=true not given), no_closed_period (the document "
        "closed no period), nothing_to_export (every invoice in scope is already exported), "
        "export_running (a run for the same company is going: run_id)"
    )
    detail: str = Field(description="The reason in words, with what to do")


class Started(BaseModel):
    """An export run was started in the background: follow it at ``url`` (also ``Location``)."""

    started: Literal[True] = True
    run_id: int = Field(description="The run's id")
    url: str = Field(description="Where the run's progress is read: /api/v1/exports/{run_id}")


class NotStarted(BaseModel):
    """No export run was started, and why."""

    started: Literal[False] = False
    reason: Reason
    run_id: int | None = Field(
        None, description="The run that is going (reason export_running only)"
    )


ExportOutcome = Started | NotStarted


class RunInvoice(BaseModel):
    """One invoice × export definition as the run left it."""

    invoice: str
    export: str = Field(description="The export definition (Procountor company)")
    state: str = Field(description="PENDING, INFLIGHT, EXPORTED or FAILED")
    procountor_invoice_id: int | None
    procountor_invoice_number: int | None
    errors: list[CatalogueProblem]
    warnings: list[CatalogueProblem]


class RunSummary(BaseModel):
    """An export run: who started it and when, its scope, counts and outcome."""

    id: int
    url: str = Field(description="This run's address: /api/v1/exports/{id}")
    state: str = Field(description="running, succeeded, failed, interrupted, aborted or error")
    running: bool
    succeeded: bool
    scope: ExportScope
    started_by: str = Field(description="api:TOKEN-NAME, a user, or the CLI")
    started_at: UtcTime
    finished_at: UtcTime | None = Field(description="null while the run goes")
    outcome: str | None = Field(description="null while the run goes")
    to_export: int = Field(description="Invoices the run exports (rises while it reads them)")
    exported: int = Field(description="Invoices exported so far")
    failed: int = Field(description="Invoices failed so far")
    interrupted: int = Field(description="Of the failed, those Procountor interrupted")
    already_exported: int = Field(description="Invoices in scope exported before (left alone)")
    problem: CatalogueProblem | None = Field(
        description="What stopped the whole run, if anything did (null: nothing did)"
    )
    message: str | None = Field(description="The run's problem in words (null: no problem)")


class Run(RunSummary):
    """An export run with, per invoice, its state, Procountor ids, errors and warnings."""

    invoices: list[RunInvoice]


class RunList(BaseModel):
    """A page of export runs, newest first."""

    runs: list[RunSummary]
    next: str | None = Field(
        description="The next (older) page's address, also in the Link header; null on the "
        "last page"
    )


# --- documents ----------------------------------------------------------------------------------


class DocumentImported(BaseModel):
    """A TMS document was imported: the import report, and the export it started or why not."""

    model_config = ConfigDict(populate_by_name=True)

    import_: ImportReport = Field(alias="import")
    export: ExportOutcome = Field(
        description="The run exporting the periods the document closed, or why none started"
    )


# --- periods ------------------------------------------------------------------------------------


class StateCounts(BaseModel):
    """How many of a period's invoices are in each export state."""

    NEW: int = Field(0, description="Not tried yet")
    PENDING: int = Field(0, description="Planned, not sent yet")
    INFLIGHT: int = Field(0, description="Being sent now (or a send whose answer was lost)")
    EXPORTED: int = Field(0, description="In Procountor")
    FAILED: int = Field(0, description="The last attempt failed")


class PeriodOut(BaseModel):
    """An invoice period: its dates, whether it is closed, and its invoices' export states."""

    id: str
    date_from: date
    date_to: date
    closed: bool = Field(description="Only closed periods are exported whole")
    closed_at: UtcTime | None = Field(description="When the TMS closed it; null: open")
    invoices: int = Field(description="Invoices in the period")
    states: StateCounts


class PeriodList(BaseModel):
    """A page of invoice periods, newest first."""

    periods: list[PeriodOut]
    next: str | None = Field(
        description="The next (older) page's address, also in the Link header; null on the "
        "last page"
    )


# --- invoices and checks ------------------------------------------------------------------------


PaymentStatusCode = Literal["open", "partly_paid", "paid", "credit_loss", "cancelled"]


class PaymentEventOut(BaseModel):
    """One live payment event of an invoice, as Procountor shows it."""

    id: int = Field(description="Procountor's payment event id")
    amount: Decimal = Field(description="In the invoice's currency, exact (as text)")
    currency: str | None
    date: dt.date | None = Field(description="The payment date")
    type: str | None = Field(
        description="REFERENCEPAYMENT, CREDITLOSS…; null until the invoice was settled (the "
        "sync reads an event's type only where it tells a payment from a credit loss)"
    )


class Payment(BaseModel):
    """An exported invoice's payments as the last payment sync read them from Procountor."""

    status: PaymentStatusCode = Field(
        description="open, partly_paid, paid, credit_loss (settled, the rest written off) or "
        "cancelled (Procountor invalidated the invoice)"
    )
    paid_amount: Decimal = Field(description="The sum of the live payment events")
    open_amount: Decimal | None = Field(
        description="Still to be paid; 0 once settled or cancelled; null: no total known"
    )
    currency: str | None
    last_payment_date: date | None
    events: list[PaymentEventOut] = Field(description="Oldest payment date first")


class FeedEventOut(BaseModel):
    """One live payment event in the feed, with the TMS invoice it pays."""

    id: int = Field(description="Procountor's payment event id (again: the same event, changed)")
    invoice: str = Field(description="The TMS invoice number")
    procountor_invoice_id: int
    amount: Decimal = Field(description="In the invoice's currency, exact (as text)")
    currency: str | None
    date: dt.date | None = Field(description="The payment date")
    type: str | None = Field(description="REFERENCEPAYMENT, CREDITLOSS…; null: not read yet")


class PaymentFeed(BaseModel):
    """The payment events written or changed after the cursor, oldest change first."""

    events: list[FeedEventOut]
    next: str = Field(
        description="The cursor to send as since= next time (never null: with no event, the "
        "same cursor again). Opaque: keep it as it is."
    )


class InvoiceExport(BaseModel):
    """An invoice's state in one export definition (Procountor company) it goes to."""

    invoice: str
    period: str
    customer: str
    export: str | None
    state: str = Field(description="NEW, PENDING, INFLIGHT, EXPORTED or FAILED")
    step: str | None = Field(description="The step an unfinished export reached")
    procountor_invoice_id: int | None
    procountor_invoice_number: int | None
    bank_reference: str | None = Field(description="The payment reference in Procountor")
    ledger_receipt_id: int | None
    attempts: int
    error: str | None = Field(description="The last error in words")
    errors: list[CatalogueProblem]
    warnings: list[str]
    updated_at: UtcTime | None
    payment: Payment | None = Field(
        None, description="What was paid, from the payment sync; null: never synced"
    )


class InvoiceStatus(BaseModel):
    """An invoice's export state and Procountor ids, per export definition it goes to."""

    invoice: str
    period: str | None
    customer: str | None
    exports: list[InvoiceExport]


class CheckedInvoice(BaseModel):
    """Whether one invoice is ready to export, and what stops it."""

    invoice: str
    ready: bool
    problems: list[CatalogueProblem]


class CheckedExport(BaseModel):
    """The checks for one export definition (Procountor company)."""

    export: str
    problem: CatalogueProblem | None = Field(
        description="What stops the whole export definition (null: nothing does)"
    )
    already_exported: int
    invoices: list[CheckedInvoice] | None = Field(
        None, description="Per invoice (absent when the export definition could not be checked)"
    )


class CheckReport(BaseModel):
    """The pre-flight report: every check an export makes, nothing written."""

    ok: bool = Field(description="true: an export of this scope would find no error")
    problems: list[CatalogueProblem] = Field(description="Problems of the scope as a whole")
    exports: list[CheckedExport]
