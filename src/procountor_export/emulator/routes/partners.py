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
from procountor_export.emulator.common import batch_get, check_version, paged, query_bool
from procountor_export.emulator.dependencies import current_company
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.routes.body import read_body
from procountor_export.emulator.rules.partners import (
    create_partner,
    is_active,
    store_partner,
    validate_partner,
)
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

log = logging.getLogger(__name__)
router = APIRouter()

PATCHABLE = ("name", "type", "address", "invoicingInfo", "paymentInfo")


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
        "registryInfo": {"active": is_active(partner)},
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
        if is_active(partner) != active:
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
    return ApiResponse(store_partner(company, body, partner_id))


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
    return ApiResponse(store_partner(company, merged, partner_id))
