"""Ledger receipts: search, batch GET and PUT (the way to correct an invoice's account coding).

Search hits have the spec's ``LedgerReceiptBasicInfo`` shape; ``types`` takes every receipt type
the spec lists. Both PUTs answer the whole receipt (``LedgerReceipt``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields, parse_day
from procountor_export.emulator.common import (
    batch_get,
    check_version,
    paged,
    query_bool,
    query_list,
)
from procountor_export.emulator.dependencies import current_company, emulator_of
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.routes.body import read_body
from procountor_export.emulator.rules.ledger import (
    check_dimensions,
    read_receipt_update,
    reconciliation,
)
from procountor_export.emulator.rules.spec import table_problems
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


SUMMARY_FIELDS = (
    "id", "type", "status", "name", "receiptDate", "receiptNumber", "invoiceNumber", "created",
    "version",
)  # fmt: skip
INTERNAL_FIELDS = frozenset({"created"})


def summary(receipt: dict[str, Any]) -> dict[str, Any]:
    """A search hit: the ``LedgerReceiptBasicInfo`` fields the receipt has."""
    return {key: receipt[key] for key in SUMMARY_FIELDS if receipt.get(key) is not None}


def public(receipt: dict[str, Any]) -> dict[str, Any]:
    """The receipt as ``GET /ledgerreceipts/{id}`` shows it (``LedgerReceipt`` has no
    ``created``; the search does)."""
    return {key: value for key, value in receipt.items() if key not in INTERNAL_FIELDS}


@router.get("/api/ledgerreceipts")
async def search(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    query = request.query_params
    types = query_list(query.multi_items(), "types")
    bad = [value for value in types if value not in enums.LEDGER_RECEIPT_SEARCH_TYPES]
    if bad:
        raise ApiError(400, f"Invalid value '{bad[0]}' of 'types'", "types")
    start, end = query.get("startDate"), query.get("endDate")
    for name, raw in (("startDate", start), ("endDate", end)):
        if raw is not None and parse_day(raw) is None:
            raise ApiError(400, f"Invalid value '{raw}' of '{name}'", name)
    found = [
        summary(receipt)
        for receipt in company.ledger_receipts.values()
        if (not types or receipt["type"] in types)
        and (start is None or receipt["receiptDate"] >= start)
        and (end is None or receipt["receiptDate"] <= end)
    ]
    return ApiResponse(paged(found, query))


@router.get("/api/ledgerreceipts/{ids}")
async def get_batch(ids: str, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(batch_get(ids, company.ledger_receipts, public))


@router.put("/api/ledgerreceipts/{receipt_id}")
async def replace(
    receipt_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """Replace a receipt's editable fields; only while its invoice is UNFINISHED."""
    receipt = company.ledger_receipts.get(receipt_id)
    if receipt is None:
        raise ApiError(404, "Ledger receipt not found")
    body = await read_body(request)
    invoice = company.invoices.get(receipt.get("invoiceId") or -1)
    if invoice is not None and invoice["status"] != "UNFINISHED":
        raise ApiError(403, "Ledger receipt cannot be edited: invalid invoice status")
    check_version(receipt["version"], body.get("version"), required=True)
    refuse_inactive = emulator_of(request).readings.refuse_inactive_items
    update = read_receipt_update(company, receipt, body, refuse_inactive=refuse_inactive)
    if query_bool(request.query_params, "createReconciliation"):
        balancing = reconciliation(company, update["transactions"])
        if balancing is not None:
            update["transactions"].append(balancing)
    receipt.update(update)
    receipt["version"] = company.stamp(receipt["version"])
    return ApiResponse(public(receipt))


@router.put("/api/ledgerreceipts/{receipt_id}/transactions/{transaction_id}/dimensions")
async def replace_dimensions(
    receipt_id: int,
    transaction_id: int,
    request: Request,
    company: CompanyState = Depends(current_company),
) -> ApiResponse:
    """Replace one transaction's ``dimensionItemValues`` (an empty list clears them); answers
    the whole receipt, as the spec types it."""
    receipt = company.ledger_receipts.get(receipt_id)
    if receipt is None:
        raise ApiError(404, "Ledger receipt not found")
    transaction = next((t for t in receipt["transactions"] if t["id"] == transaction_id), None)
    if transaction is None:
        raise ApiError(404, "Transaction not found")
    invoice = company.invoices.get(receipt.get("invoiceId") or -1)
    if invoice is not None and invoice["status"] != "UNFINISHED":
        raise ApiError(403, "Ledger receipt cannot be edited: invalid invoice status")
    body = await read_body(request)
    problems = Problems()
    fields = Fields(body, "", problems)
    fields.objects("dimensionItemValues", required=True)
    value = Decimal(str(transaction["accountingValue"]))
    refuse_inactive = emulator_of(request).readings.refuse_inactive_items
    values = check_dimensions(company, fields, value, problems, refuse_inactive=refuse_inactive)
    table_problems("DimensionItemValueList", body, problems)
    problems.raise_if_any()
    transaction["dimensionItemValues"] = values
    receipt["version"] = company.stamp(receipt["version"])
    return ApiResponse(public(receipt))
