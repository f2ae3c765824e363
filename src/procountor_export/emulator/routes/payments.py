"""Reading payments back: ``GET /payments/paymentevents`` and
``GET /invoices/{invoiceId}/paymentevents``.

Both are paged like every list (``size`` ≤ 200, ``page``, ``previousId``, ``orderById``).
The first takes many invoices at once (``invoiceId``, required, repeated or comma-separated)
and answers the spec's ``PaymentSearchResult`` of ``BasicPaymentTransactionData``; ids that
name no invoice match nothing (the spec gives this operation no 404). The second answers
``PaymentEventSearchResult`` of full ``PaymentEvent``s (with ``type`` and ``description``), and
404 "Invoice not found" for an unknown invoice. How payments are booked and what they do to
the invoice is :mod:`..rules.payments`; the admin API books them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator.checks import blank
from procountor_export.emulator.common import paged, query_list
from procountor_export.emulator.dependencies import current_company
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.rules.payments import as_event, as_transaction, events_of
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


def _invoice_ids(request: Request) -> set[int]:
    values = query_list(request.query_params.multi_items(), "invoiceId")
    if not values:
        raise ApiError(400, blank("invoiceId"), "invoiceId")
    bad = next((v for v in values if not v.isdigit() or len(v) > 18), None)
    if bad is not None:
        raise ApiError(400, f"Invalid value '{bad}' of 'invoiceId'", "invoiceId")
    return {int(value) for value in values}


@router.get("/api/payments/paymentevents")
async def payment_events(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    wanted = _invoice_ids(request)
    found = [
        as_transaction(event)
        for event in company.payment_events.values()
        if event["invoiceId"] in wanted
    ]
    return ApiResponse(paged(found, request.query_params))


@router.get("/api/invoices/{invoice_id}/paymentevents")
async def invoice_payment_events(
    invoice_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    if invoice_id not in company.invoices:
        raise ApiError(404, "Invoice not found")
    found = [as_event(event) for event in events_of(company, invoice_id)]
    return ApiResponse(paged(found, request.query_params))
