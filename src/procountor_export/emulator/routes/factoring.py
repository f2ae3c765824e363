"""Factoring contracts: ``GET /factoringcontracts`` (Finnish environments), paged.

The answer is the spec's ``FactoringContractSearchResult`` (``{"results", "meta"}``), paged with
``page`` and ``size`` like the other lists and filtered by ``financingCompanyId``. A company
without external financing (the seed's ``externalFinancing``), or outside Finland (Swedish
environments have ``GET /se/factoringcontracts`` instead), gets the spec's 403 "Insufficient user
rights or external financing has not been enabled for your company." in the error envelope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator.common import paged
from procountor_export.emulator.dependencies import current_company
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()

NOT_ENABLED = (
    "Insufficient user rights or external financing has not been enabled for your company."
)


@router.get("/api/factoringcontracts")
async def factoring_contracts(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    if not company.external_financing or company.seed.company.country != "FINLAND":
        raise ApiError(403, NOT_ENABLED)
    financing_company = request.query_params.get("financingCompanyId")
    contracts = [
        dict(contract)
        for contract in company.factoring_contracts.values()
        if not financing_company or contract["financingCompany"]["id"] == financing_company
    ]
    return ApiResponse(paged(contracts, request.query_params, default_order="ASC"))
