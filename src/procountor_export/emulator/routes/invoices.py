"""Sales invoices: POST, batch GET, search, PUT with version, and the status actions.

Answers have the spec's shapes: ``Invoice`` (without the internal ``created``), search hits
``InvoiceBasicInfo``, history ``InvoiceTransactions``. An action on an invoice in the wrong
status is a 403 "Insufficient user rights or invalid invoice status" (the spec's wording).
With the ``emptySearch404`` reading a search without a match is a 404 "Invoice not found".
The search filters on ``version`` (``versionStartDate``/``versionEndDate``, inclusive) and
sorts on it with ``orderByVersion``: every change bumps it, payments included
(:mod:`..rules.payments`), which is how a client finds what changed since it last looked.
An invoice with payments cannot be invalidated (delete the payments first).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields, parse_day
from procountor_export.emulator.common import (
    batch_get,
    check_text,
    check_version,
    paged,
    query_list,
    query_order,
)
from procountor_export.emulator.company_state import VERSION_FORMAT
from procountor_export.emulator.dependencies import current_company, emulator_of
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.routes.body import read_body
from procountor_export.emulator.rules.invoices import (
    CLOSED_FISCAL_PERIOD,
    sum_info,
    validate_invoice,
)
from procountor_export.emulator.rules.ledger import build_receipt
from procountor_export.emulator.rules.payments import has_payments
from procountor_export.emulator.rules.references import fill_reference
from procountor_export.emulator.rules.spec import table_problems
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()

SERVER_FIELDS = {
    "id", "status", "invoiceNumber", "ledgerReceiptId", "version", "created", "invoiceSumInfo",
    "attachments", "paymentDate",
}  # fmt: skip
INVALID_STATUS = "Insufficient user rights or invalid invoice status"
NOT_FOUND = "Invoice not found"
INTERNAL_FIELDS = frozenset({"created"})
# Our history entries → the spec's InvoiceTransaction.action (entries without one are not shown).
ACTIONS = {"APPROVE": "APPROVAL", "SEND": "SEND", "UNFINISHED": "UNFINISHED"}


def public(invoice: dict[str, Any]) -> dict[str, Any]:
    """The invoice as the API shows it: ``Invoice`` has no ``created`` (the search does)."""
    return {key: value for key, value in invoice.items() if key not in INTERNAL_FIELDS}


def _prepare(company: CompanyState, body: dict[str, Any], invoice_number: int) -> dict[str, Any]:
    """The stored shape of a validated body: server fields dropped, defaults filled in."""
    invoice = {key: value for key, value in body.items() if key not in SERVER_FIELDS}
    if "billingAddress" not in invoice:
        invoice["billingAddress"] = dict(invoice["counterParty"]["counterPartyAddress"])
    payment = dict(invoice["paymentInfo"])
    fill_reference(payment, invoice_number, company.seed.company.country)
    invoice["paymentInfo"] = payment
    invoice["invoiceSumInfo"] = sum_info(invoice, company.currency)
    invoice["invoiceNumber"] = invoice_number
    return invoice


def _invoice(company: CompanyState, invoice_id: int) -> dict[str, Any]:
    invoice = company.invoices.get(invoice_id)
    if invoice is None:
        raise ApiError(404, NOT_FOUND)
    return invoice


def _event(company: CompanyState, invoice: dict[str, Any], kind: str) -> None:
    company.invoice_events.setdefault(invoice["id"], []).append(
        {
            "id": company.next_id("event"),
            "type": kind,
            "date": company.now(),
            "status": invoice["status"],
        }
    )


@router.post("/api/invoices")
async def create(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    body = await read_body(request)
    validate_invoice(company, body, emulator_of(request).readings)
    invoice = _prepare(company, body, company.next_id("invoiceNumber"))
    invoice.update(
        id=company.next_id("invoice"), status="UNFINISHED", created=company.now(), attachments=[]
    )
    invoice["version"] = company.stamp()
    invoice["ledgerReceiptId"] = build_receipt(company, invoice)["id"]
    company.invoices[invoice["id"]] = invoice
    _event(company, invoice, "CREATE")
    if emulator_of(request).faults.fail_after_write("invoices"):
        raise ApiError(500, "Internal server error (injected after the invoice was saved)")
    return ApiResponse(public(invoice))


def _summary(invoice: dict[str, Any]) -> dict[str, Any]:
    """A search hit in the spec's ``InvoiceBasicInfo`` shape (absent values left out)."""
    keys = (
        "id", "partnerId", "type", "status", "invoiceNumber", "originalInvoiceNumber",
        "invoiceChannel", "date", "created", "version", "invoiceSumInfo", "counterParty",
    )  # fmt: skip
    summary = {key: invoice[key] for key in keys if invoice.get(key) is not None}
    summary["dueDate"] = invoice["paymentInfo"]["dueDate"]
    return summary


def _version_bound(query: Any, name: str) -> str | None:
    """``versionStartDate``/``versionEndDate`` as a bound comparable with stored versions.

    The spec types them date-time: one with a time becomes the emulator's version format
    (UTC, whole seconds; a zone is converted, a fraction dropped), a bare date stays a date
    and so covers its whole day; anything else is a 400 naming the parameter.
    """
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name) from None
    if "T" not in raw and " " not in raw:
        return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(VERSION_FORMAT)


def _between(value: str | None, start: str | None, end: str | None) -> bool:
    if value is None:
        return start is None and end is None
    return (start is None or value[: len(start)] >= start) and (
        end is None or value[: len(end)] <= end
    )


@router.get("/api/invoices")
async def search(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    query = request.query_params
    items = query.multi_items()
    types = query_list(items, "types")
    statuses = query_list(items, "status")
    channels = query_list(items, "invoiceChannel")
    for name, values, allowed in (
        ("types", types, enums.INVOICE_TYPES),
        ("status", statuses, enums.INVOICE_STATUSES),
        ("invoiceChannel", channels, enums.INVOICE_CHANNELS),
    ):
        bad = [value for value in values if value not in allowed]
        if bad:
            raise ApiError(400, f"Invalid value '{bad[0]}' of '{name}'", name)
    for name in ("startDate", "endDate", "dueStartDate", "dueEndDate"):
        raw = query.get(name)
        if raw is not None and parse_day(raw) is None:
            raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name)
    version_start = _version_bound(query, "versionStartDate")
    version_end = _version_bound(query, "versionEndDate")
    by_version = query.get("orderByVersion")
    version_order = query_order(query, "orderByVersion", "DESC") if by_version else None
    original = query.get("originalInvoiceNumber")
    number = query.get("invoiceNumber")
    partner = query.get("businessPartnerId")
    product = query.get("productId")
    term = (query.get("searchTerm") or "").lower()
    found = []
    for invoice in company.invoices.values():
        if types and invoice["type"] not in types:
            continue
        if statuses and invoice["status"] not in statuses:
            continue
        if channels and invoice["invoiceChannel"] not in channels:
            continue
        if original is not None and invoice.get("originalInvoiceNumber") != original:
            continue
        if number is not None and str(invoice["invoiceNumber"]) != number:
            continue
        if partner is not None and str(invoice.get("partnerId")) != partner:
            continue
        if product is not None and all(
            str(r.get("productId")) != product for r in invoice["invoiceRows"]
        ):
            continue
        if term and term not in invoice["counterParty"]["counterPartyAddress"]["name"].lower():
            continue
        if not (
            _between(invoice["date"], query.get("startDate"), query.get("endDate"))
            and _between(
                invoice["created"], query.get("createdStartDate"), query.get("createdEndDate")
            )
            and _between(invoice["version"], version_start, version_end)
            and _between(
                invoice["paymentInfo"]["dueDate"],
                query.get("dueStartDate"),
                query.get("dueEndDate"),
            )
        ):
            continue
        found.append(_summary(invoice))
    if not found and emulator_of(request).readings.empty_search_404:
        raise ApiError(404, NOT_FOUND)
    sort = ("version", version_order) if version_order else None
    return ApiResponse(paged(found, query, sort_by=sort))


@router.get("/api/invoices/{ids}")
async def get_batch(ids: str, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(batch_get(ids, company.invoices, public))


@router.put("/api/invoices/{invoice_id}")
async def replace(
    invoice_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """Replace an UNFINISHED invoice; its ledger receipt is recreated with a new id."""
    current = _invoice(company, invoice_id)
    body = await read_body(request)
    if current["status"] != "UNFINISHED":
        raise ApiError(403, INVALID_STATUS)
    check_version(current["version"], body.get("version"), required=True)
    if "partnerId" in body and body["partnerId"] != current.get("partnerId"):
        raise ApiError(400, "partnerId cannot be changed", "partnerId")
    validate_invoice(company, body, emulator_of(request).readings)
    invoice = _prepare(company, body, current["invoiceNumber"])
    for key in ("id", "status", "created", "attachments"):
        invoice[key] = current[key]
    if current.get("partnerId") is not None:
        invoice["partnerId"] = current["partnerId"]
    invoice["version"] = company.stamp(current["version"])
    company.ledger_receipts.pop(current["ledgerReceiptId"], None)
    invoice["ledgerReceiptId"] = build_receipt(company, invoice)["id"]
    company.invoices[invoice_id] = invoice
    _event(company, invoice, "UPDATE")
    return ApiResponse(public(invoice))


def _require_open_period(company: CompanyState, invoice: dict[str, Any]) -> None:
    day = parse_day(invoice["date"])
    if day is None or not company.open_for_posting(day):
        raise ApiError(403, CLOSED_FISCAL_PERIOD, "date")


@router.put("/api/invoices/{invoice_id}/approve")
async def approve(
    invoice_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """``UNFINISHED → NOT_SENT``; the optional body is a ``CheckingEvent`` (``comment``)."""
    invoice = _invoice(company, invoice_id)
    body = await read_body(request, optional=True)
    problems = Problems()
    Fields(body, "", problems).text("comment")
    check_text(body, problems)
    table_problems("CheckingEvent", body, problems)
    problems.raise_if_any()
    if invoice["status"] != "UNFINISHED":
        raise ApiError(403, INVALID_STATUS)
    _require_open_period(company, invoice)
    company.set_invoice_status(invoice, "NOT_SENT")
    _event(company, invoice, "APPROVE")
    return ApiResponse({"message": "Invoice approved"})


@router.put("/api/invoices/{invoice_id}/send")
async def send(invoice_id: int, company: CompanyState = Depends(current_company)) -> ApiResponse:
    invoice = _invoice(company, invoice_id)
    # "Only invoices with status 'NOT_SENT' and 'SENT' can be sent" (the spec's description).
    if invoice["status"] not in {"NOT_SENT", "SENT"}:
        raise ApiError(403, INVALID_STATUS)
    company.set_invoice_status(invoice, "SENT")
    _event(company, invoice, "SEND")
    return ApiResponse({"message": "Invoice sent"})


@router.put("/api/invoices/{invoice_id}/unfinished")
async def unfinished(
    invoice_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    invoice = _invoice(company, invoice_id)
    if invoice["status"] not in {"NOT_SENT", "SENT", "UNFINISHED"}:
        raise ApiError(403, INVALID_STATUS)
    _require_open_period(company, invoice)
    company.set_invoice_status(invoice, "UNFINISHED")
    _event(company, invoice, "UNFINISHED")
    return ApiResponse({"message": "Invoice status set to unfinished"})


@router.put("/api/invoices/{invoice_id}/invalidate")
async def invalidate(
    invoice_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    invoice = _invoice(company, invoice_id)
    # Paid money would be left booked against nothing: payments must be deleted first.
    if invoice["status"] == "INVALIDATED" or has_payments(company, invoice_id):
        raise ApiError(403, INVALID_STATUS)
    _require_open_period(company, invoice)
    company.set_invoice_status(invoice, "INVALIDATED")
    _event(company, invoice, "INVALIDATE")
    return ApiResponse({"message": "Invoice invalidated"})


@router.put("/api/invoices/{invoice_id}/notes")
async def notes(
    invoice_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    invoice = _invoice(company, invoice_id)
    body = await read_body(request)
    problems = Problems()
    text = Fields(body, "", problems).text("notes")
    check_text(body, problems)
    table_problems("InvoiceNotes", body, problems)
    problems.raise_if_any()
    invoice["notes"] = text or ""
    invoice["version"] = company.stamp(invoice["version"])
    return ApiResponse({"message": "Notes updated"})


@router.get("/api/invoices/{invoice_id}/transactions")
async def transactions(
    invoice_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """The invoice's history as ``InvoiceTransactions``: only events the spec has an
    ``action`` for (approval, sending, back to unfinished)."""
    _invoice(company, invoice_id)
    user = company.seed.user.name
    shown = [
        {
            "action": ACTIONS[event["type"]],
            "date": event["date"],
            "name": user,
            "details": f"Invoice status {event['status']}",
        }
        for event in company.invoice_events.get(invoice_id, [])
        if event["type"] in ACTIONS
    ]
    return ApiResponse({"transactions": shown})
