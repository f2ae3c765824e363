"""Business partners: ``/businesspartners`` search, batch GET, POST, PUT and PATCH.

Rules kept from the real API: ``address`` is required for customers; the sensitive search
values ``name`` and ``identifier`` come as HTTP headers (as query parameters they are ignored);
a second partner with the same ``customerNumber`` but a different VAT number is refused;
PATCH needs the current ``version``.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator import enums
from procountor_export.emulator.auth import current_company
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import (
    batch_get,
    check_text,
    check_version,
    paged,
    query_bool,
)
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.wire import ApiResponse, read_object

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

log = logging.getLogger(__name__)
router = APIRouter()

ADDRESS_LIMITS = {
    "name": 80,
    "specifier": 80,
    "street": 80,
    "zip": 20,
    "city": 40,
    "subdivision": 35,
}
PATCHABLE = ("name", "type", "address", "invoicingInfo", "paymentInfo")


def read_address(parent: Fields, key: str, *, required: bool, name_required: bool = False) -> None:
    """Check an address object (lengths, country enum name) under ``parent[key]``."""
    address = parent.child(key, required=required)
    if address is None:
        return
    for field, limit in ADDRESS_LIMITS.items():
        address.text(field, max_len=limit, required=name_required and field == "name")
    country = address.text("country")
    if country is not None and not enums.is_country(country):
        address.problems.add(address.at("country"), f"Invalid value '{country}' of 'country'")


def vat_number(partner: dict[str, Any]) -> str:
    """The partner's VAT number: ``taxCode``, else derived from a Finnish business ID."""
    info = partner.get("invoicingInfo") or {}
    tax_code = str(info.get("taxCode") or "").replace(" ", "").upper()
    if tax_code:
        return tax_code
    identifier = str(info.get("identifier") or "").strip()
    if re.fullmatch(r"\d{7}-\d", identifier):
        return "FI" + identifier.replace("-", "")
    return identifier.upper()


def validate_partner(company: CompanyState, body: dict[str, Any], partner_id: int | None) -> None:
    """Check a full partner body; raises a 400 listing every problem."""
    problems = Problems()
    fields = Fields(body, "", problems)
    fields.text("name", required=True, max_len=80)
    kind = fields.enum("type", enums.PARTNER_TYPES, required=True)
    read_address(fields, "address", required=kind == "CUSTOMER")
    read_address(fields, "billingAddress", required=False)
    read_address(fields, "deliveryAddress", required=False)
    invoicing = fields.child("invoicingInfo")
    if invoicing is not None:
        for name, limit in (("customerNumber", 40), ("identifier", 40), ("taxCode", 40)):
            invoicing.text(name, max_len=limit)
        invoicing.text("identifierType", max_len=20)
        invoicing.enum("invoiceChannel", enums.WRITABLE_INVOICE_CHANNELS)
        invoicing.enum("language", enums.LANGUAGES)
        invoicing.text("email", max_len=100)
        bcc = invoicing.data.get("bccAddresses")
        if bcc is not None and (not isinstance(bcc, list) or len(bcc) > 4):
            problems.add(invoicing.at("bccAddresses"), "At most 4 bccAddresses are allowed")
    payment = fields.child("paymentInfo", required=True)
    if payment is not None:
        payment.enum("paymentMethod", enums.PARTNER_PAYMENT_METHODS, required=True)
        payment.enum("currency", enums.CURRENCIES)
        term = payment.data.get("paymentTermDays")
        if term is not None and not (
            (isinstance(term, str) and term.isdigit() and int(term) <= 999)
            or (isinstance(term, int) and not isinstance(term, bool) and 0 <= term <= 999)
        ):
            problems.add(payment.at("paymentTermDays"), "Invalid value of 'paymentTermDays'")
    registry = fields.child("registryInfo")
    if registry is not None:
        registry.boolean("active")
    additional = fields.child("additionalInfo")
    if additional is not None:
        additional.text("defaultAdditionalInformation", max_len=500)
    check_text(body, problems)
    problems.raise_if_any()
    _check_number_clash(company, body, partner_id)


def _check_number_clash(
    company: CompanyState, body: dict[str, Any], partner_id: int | None
) -> None:
    number = str((body.get("invoicingInfo") or {}).get("customerNumber") or "")
    mine = vat_number(body)
    if not number or not mine:
        return
    for other in company.partners.values():
        if other["id"] == partner_id:
            continue
        if str((other.get("invoicingInfo") or {}).get("customerNumber") or "") != number:
            continue
        theirs = vat_number(other)
        if theirs and theirs != mine:
            raise ApiError(
                400,
                f"another partner {other['name']} with the same number and different VAT number "
                "already exists",
                "invoicingInfo.customerNumber",
            )


def _store(company: CompanyState, body: dict[str, Any], partner_id: int) -> dict[str, Any]:
    previous = company.partners.get(partner_id, {}).get("version")
    partner = {key: value for key, value in body.items() if key not in {"id", "version"}}
    partner["id"] = partner_id
    registry = dict(partner.get("registryInfo") or {})
    registry.setdefault("active", True)
    partner["registryInfo"] = registry
    payment = dict(partner["paymentInfo"])
    if isinstance(payment.get("paymentTermDays"), int):
        payment["paymentTermDays"] = str(payment["paymentTermDays"])
    partner["paymentInfo"] = payment
    partner["version"] = company.stamp(previous)
    company.partners[partner_id] = partner
    return partner


def create_partner(company: CompanyState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store a new partner; returns it with ``id`` and ``version``."""
    validate_partner(company, body, None)
    return _store(company, body, company.next_id("partner"))


def _summary(partner: dict[str, Any]) -> dict[str, Any]:
    info = partner.get("invoicingInfo") or {}
    return {
        "id": partner["id"],
        "name": partner["name"],
        "type": partner["type"],
        "address": partner.get("address"),
        "billingAddress": partner.get("billingAddress"),
        "invoicingInfo": {
            key: info.get(key) for key in ("customerNumber", "identifier", "identifierType")
        },
        "registryInfo": {"active": (partner.get("registryInfo") or {}).get("active", True)},
        "version": partner["version"],
    }


@router.get("/api/businesspartners")
async def search(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    query = request.query_params
    for leaked in ("name", "identifier"):
        if leaked in query:
            log.warning("businesspartners search: '%s' belongs in a header, ignored", leaked)
    kind = query.get("type")
    if kind is not None and kind not in enums.PARTNER_TYPES:
        raise ApiError(400, f"Invalid value '{kind}' of 'type'", "type")
    number = query.get("customerNumber")
    active = query_bool(query, "active")
    name = request.headers.get("name")
    identifier = request.headers.get("identifier")
    matches = []
    for partner in company.partners.values():
        info = partner.get("invoicingInfo") or {}
        if kind and partner["type"] != kind:
            continue
        if number is not None and str(info.get("customerNumber") or "") != number:
            continue
        if active is not None and (partner.get("registryInfo") or {}).get("active", True) != active:
            continue
        if name and name.lower() not in partner["name"].lower():
            continue
        if identifier and str(info.get("identifier") or "") != identifier:
            continue
        matches.append(_summary(partner))
    return ApiResponse(paged(matches, query))


@router.get("/api/businesspartners/{ids}")
async def get_batch(ids: str, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(batch_get(ids, company.partners))


@router.post("/api/businesspartners")
async def create(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(create_partner(company, await read_object(request)))


def _existing(company: CompanyState, partner_id: int) -> dict[str, Any]:
    partner = company.partners.get(partner_id)
    if partner is None:
        raise ApiError(404, "Business partner not found")
    return partner


@router.put("/api/businesspartners/{partner_id}")
async def replace(
    partner_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    current = _existing(company, partner_id)
    body = await read_object(request)
    check_version(current["version"], body.get("version"), required=False)
    validate_partner(company, body, partner_id)
    return ApiResponse(_store(company, body, partner_id))


@router.patch("/api/businesspartners/{partner_id}")
async def patch(
    partner_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    current = _existing(company, partner_id)
    body = await read_object(request)
    check_version(
        current["version"],
        body.get("version") or request.query_params.get("version"),
        required=True,
    )
    merged = dict(current)
    for key in PATCHABLE:
        if key not in body:
            continue
        if isinstance(body[key], dict) and isinstance(current.get(key), dict):
            merged[key] = {**current[key], **body[key]}
        else:
            merged[key] = body[key]
    validate_partner(company, merged, partner_id)
    return ApiResponse(_store(company, merged, partner_id))
