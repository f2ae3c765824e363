"""Business partners: ``/businesspartners`` search, batch GET, POST, PUT and PATCH.

Rules kept from the real API: ``address`` is required for customers; the sensitive search
values ``name`` and ``identifier`` come as HTTP headers (as query parameters they are ignored);
the search returns active partners unless ``active=false`` is asked for (the spec's default is
``true``); a second partner with the same ``customerNumber`` but a different business ID
(``invoicingInfo.identifier`` - the spec's ``InvoicingInfo`` has no ``taxCode``) is refused,
inactive partners included; a Finnish business ID with a wrong check digit is
``ERROR_BRN_CODE``; channel EMAIL needs a valid ``invoicingInfo.email``; PATCH needs the current
``version``; a PUT with ``registryInfo.active`` true reactivates a partner.
"""

from __future__ import annotations

import logging
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
from procountor_export.emulator.identifiers import (
    BRN_ERROR,
    business_id_ok,
    email_ok,
    same_business,
)
from procountor_export.emulator.spec import read_body, table_problems
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

log = logging.getLogger(__name__)
router = APIRouter()

ADDRESS_TEXTS = ("name", "specifier", "street", "zip", "city", "subdivision")
PATCHABLE = ("name", "type", "address", "invoicingInfo", "paymentInfo")


def read_address(parent: Fields, key: str, *, required: bool, name_required: bool = False) -> None:
    """Check an address object (texts, country enum name) under ``parent[key]``; its lengths
    come from the API table (:func:`table_problems`)."""
    address = parent.child(key, required=required)
    if address is None:
        return
    for field in ADDRESS_TEXTS:
        address.text(field, required=name_required and field == "name")
    country = address.text("country")
    if country is not None and not enums.is_country(country):
        address.problems.add(address.at("country"), f"Invalid value '{country}' of 'country'")


def _country(partner: dict[str, Any]) -> str | None:
    address = partner.get("address")
    country = address.get("country") if isinstance(address, dict) else None
    return country if isinstance(country, str) else None


def _read_invoicing(invoicing: Fields, country: str | None) -> None:
    problems = invoicing.problems
    invoicing.text("customerNumber")
    identifier = invoicing.text("identifier")
    if identifier is not None and not business_id_ok(identifier, country):
        problems.add(invoicing.at("identifier"), BRN_ERROR)
    invoicing.text("identifierType")
    channel = invoicing.enum("invoiceChannel", enums.WRITABLE_INVOICE_CHANNELS)
    invoicing.enum("language", enums.LANGUAGES)
    email = invoicing.text("email")
    if channel == "EMAIL":
        if not email:
            problems.add(
                invoicing.at("email"), f"Value of the '{invoicing.at('email')}' cannot be blank."
            )
        elif not email_ok(email):
            problems.add(invoicing.at("email"), f"Invalid e-mail address '{email}'")
    bcc = invoicing.data.get("bccAddresses")
    if bcc is not None and (not isinstance(bcc, list) or len(bcc) > 4):
        problems.add(invoicing.at("bccAddresses"), "At most 4 bccAddresses are allowed")


def validate_partner(company: CompanyState, body: dict[str, Any], partner_id: int | None) -> None:
    """Check a full partner body; raises a 400 listing every problem."""
    problems = Problems()
    fields = Fields(body, "", problems)
    fields.text("name", required=True)
    kind = fields.enum("type", enums.PARTNER_TYPES, required=True)
    read_address(fields, "address", required=kind == "CUSTOMER")
    read_address(fields, "billingAddress", required=False)
    read_address(fields, "deliveryAddress", required=False)
    invoicing = fields.child("invoicingInfo")
    if invoicing is not None:
        _read_invoicing(invoicing, _country(body))
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
    check_text(body, problems)
    table_problems("BusinessPartner", body, problems)
    problems.raise_if_any()
    _check_number_clash(company, body, partner_id)


def _identifier(partner: dict[str, Any]) -> str:
    return str((partner.get("invoicingInfo") or {}).get("identifier") or "").strip()


def _check_number_clash(
    company: CompanyState, body: dict[str, Any], partner_id: int | None
) -> None:
    """Same customer number, different business ID: refused. Inactive partners count too
    (their numbers stay taken); Procountor's message still says "VAT number"."""
    number = str((body.get("invoicingInfo") or {}).get("customerNumber") or "")
    mine = _identifier(body)
    if not number or not mine:
        return
    for other in company.partners.values():
        if other["id"] == partner_id:
            continue
        if str((other.get("invoicingInfo") or {}).get("customerNumber") or "") != number:
            continue
        theirs = _identifier(other)
        if theirs and not same_business(theirs, mine):
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


def _active(partner: dict[str, Any]) -> bool:
    return bool((partner.get("registryInfo") or {}).get("active", True))


def _summary(partner: dict[str, Any]) -> dict[str, Any]:
    """A search hit in the spec's ``BusinessPartnerBasicInfo`` shape (absent values left out)."""
    info = partner.get("invoicingInfo") or {}
    basic = {
        key: info[key]
        for key in ("customerNumber", "identifier", "identifierType")
        if info.get(key) is not None
    }
    summary: dict[str, Any] = {
        "id": partner["id"],
        "name": partner["name"],
        "type": partner["type"],
        "invoicingInfo": basic,
        "registryInfo": {"active": _active(partner)},
        "version": partner["version"],
    }
    if partner.get("billingAddress") is not None:
        summary["billingAddress"] = partner["billingAddress"]
    return summary


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
    if active is None:
        active = True  # the spec's default: a plain search never shows deactivated partners
    name = request.headers.get("name")
    identifier = request.headers.get("identifier")
    matches = []
    for partner in company.partners.values():
        info = partner.get("invoicingInfo") or {}
        if kind and partner["type"] != kind:
            continue
        if number is not None and str(info.get("customerNumber") or "") != number:
            continue
        if _active(partner) != active:
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
    return ApiResponse(create_partner(company, await read_body(request)))


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
    body = await read_body(request)
    check_version(current["version"], body.get("version"), required=False)
    validate_partner(company, body, partner_id)
    return ApiResponse(_store(company, body, partner_id))


@router.patch("/api/businesspartners/{partner_id}")
async def patch(
    partner_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    current = _existing(company, partner_id)
    body = await read_body(request)
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
