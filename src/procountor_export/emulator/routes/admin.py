"""Admin endpoints under ``/_emulator`` (outside every API root): state, reset, log, faults,
readings, and payments booked against invoices (what a bank or a clerk would do in Procountor:
the API's own payment calls need a confirmation flow the emulator does not serve)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from pydantic import ValidationError

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.dependencies import emulator_of
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.money import CENT
from procountor_export.emulator.rules import payments
from procountor_export.emulator.wire import ApiResponse, read_object

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState, EmulatorState

router = APIRouter(prefix="/_emulator", tags=["emulator admin"])


def _emulator(request: Request) -> EmulatorState:
    return emulator_of(request)


@router.get("/state")
async def state(request: Request) -> ApiResponse:
    """The whole state; ``?files=false`` gives attachment sizes instead of their contents."""
    include = request.query_params.get("files", "true").lower() != "false"
    return ApiResponse(_emulator(request).snapshot(include_files=include))


@router.post("/reset")
async def reset(request: Request) -> ApiResponse:
    """Back to the seed (companies, tokens, request log, rate-limit counters)."""
    emulator = _emulator(request)
    emulator.reset()
    emulator.save()
    return ApiResponse({"message": "Emulator reset to its seed"})


@router.get("/requests")
async def requests(request: Request) -> ApiResponse:
    """Request counts per endpoint, the request log and rate-limit violations."""
    return ApiResponse(_emulator(request).requests())


@router.get("/faults")
async def get_faults(request: Request) -> ApiResponse:
    return ApiResponse(_emulator(request).faults.to_dict())


@router.put("/faults")
async def put_faults(request: Request) -> ApiResponse:
    """Merge the body (seed ``faults`` keys, e.g. ``{"errorRate": 0.2}``) into the faults."""
    body = await read_object(request)
    try:
        return ApiResponse(_emulator(request).set_faults(**body))
    except ValidationError as exc:
        raise ApiError(400, f"Invalid faults: {exc.errors(include_url=False)}") from None


@router.get("/readings")
async def get_readings(request: Request) -> ApiResponse:
    return ApiResponse(_emulator(request).readings.to_dict())


@router.put("/readings")
async def put_readings(request: Request) -> ApiResponse:
    """Merge the body (seed ``readings`` keys, e.g. ``{"emptySearch404": true}``)."""
    body = await read_object(request)
    try:
        return ApiResponse(_emulator(request).set_readings(**body))
    except ValidationError as exc:
        raise ApiError(400, f"Invalid readings: {exc.errors(include_url=False)}") from None


@router.put("/rate-limit")
async def put_rate_limit(request: Request) -> ApiResponse:
    """Change the rate limit: ``{"rateLimit": 5}``; ``null`` or 0 switches it off."""
    body = await read_object(request)
    rate = body.get("rateLimit")
    if rate is not None and (
        isinstance(rate, bool)
        or (not isinstance(rate, int | float) and not hasattr(rate, "is_finite"))
    ):
        raise ApiError(400, "rateLimit must be a number or null", "rateLimit")
    emulator = _emulator(request)
    emulator.limiter.rate = float(rate) if rate else None
    emulator.limiter.reset()
    return ApiResponse({"rateLimit": emulator.limiter.rate})


@router.post("/expire-tokens")
async def expire_tokens(request: Request) -> ApiResponse:
    """Expire every issued access token now (clients must fetch a new one)."""
    return ApiResponse({"expired": _emulator(request).expire_tokens()})


def _company(emulator: EmulatorState, api_key: object) -> CompanyState:
    """The company of ``api_key``; without one, the only company (several → 400)."""
    if api_key is None:
        if len(emulator.companies) != 1:
            raise ApiError(400, "apiKey is required: the emulator has several companies", "apiKey")
        return next(iter(emulator.companies.values()))
    company = emulator.companies.get(str(api_key))
    if company is None:
        raise ApiError(404, "No company has this apiKey", "apiKey")
    return company


def _invoice_view(invoice: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "status", "paymentDate", "version")
    return {key: invoice[key] for key in keys if invoice.get(key) is not None}


@router.post("/payments")
async def post_payment(request: Request) -> ApiResponse:
    """Book a payment or a credit loss against an invoice (see :mod:`..rules.payments`).

    Body: ``invoiceId``, ``amount`` (> 0, cents, at most what is open), ``paymentDate``
    (default today), ``type`` (a ``PaymentEvent`` type, default ``REFERENCEPAYMENT``;
    ``CREDITLOSS`` writes the amount off), ``description``, and ``apiKey`` when the emulator
    has several companies. Answers ``{"paymentEvent": …, "invoice": {id, status, paymentDate,
    version}}``.
    """
    emulator = _emulator(request)
    body = await read_object(request)
    problems = Problems()
    fields = Fields(body, "", problems)
    invoice_id = fields.integer("invoiceId", required=True, minimum=1)
    amount = fields.number("amount", required=True, places=2)
    if amount is not None and amount <= 0:
        problems.add("amount", "Value of 'amount' must be more than 0")
    day = fields.day("paymentDate")
    kind = fields.enum("type", enums.payment_event_types()) or "REFERENCEPAYMENT"
    description = fields.text("description", max_len=255)
    problems.raise_if_any()
    # Both are required: a missing one was reported above.
    assert invoice_id is not None
    assert amount is not None
    company = _company(emulator, body.get("apiKey"))
    event = payments.register(
        company,
        invoice_id,
        amount=amount.quantize(CENT),
        day=day or date.fromisoformat(company.now()[:10]),
        kind=kind,
        description=description,
    )
    emulator.save()
    invoice = company.invoices[invoice_id]
    return ApiResponse(
        {"paymentEvent": payments.as_event(event), "invoice": _invoice_view(invoice)}
    )


@router.delete("/payments/{event_id}")
async def delete_payment(event_id: int, request: Request) -> ApiResponse:
    """Delete a payment event (``?apiKey=`` when there are several companies); its invoice is
    set back. Answers ``{"deleted": id, "invoice": {id, status, paymentDate, version}}``."""
    emulator = _emulator(request)
    company = _company(emulator, request.query_params.get("apiKey"))
    invoice = payments.remove(company, event_id)
    emulator.save()
    return ApiResponse({"deleted": event_id, "invoice": _invoice_view(invoice)})
