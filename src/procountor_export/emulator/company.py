"""The company and its user: session info, company details and settings, users and rights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends

from procountor_export.emulator.auth import current_company
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


@router.get("/api/sessioninfo")
async def session_info(company: CompanyState = Depends(current_company)) -> ApiResponse:
    info, user = company.seed.company, company.seed.user
    return ApiResponse(
        {
            "companyId": info.id,
            "name": info.name,
            "country": info.country,
            "productVersion": "FINANCIALS",
            "userId": user.id,
            "userName": user.name,
            "companySettings": {"accountingByRow": True},
        }
    )


@router.get("/api/company")
async def company_info(company: CompanyState = Depends(current_company)) -> ApiResponse:
    info = company.seed.company
    return ApiResponse(
        {
            "id": info.id,
            "name": info.name,
            "country": info.country,
            "businessIdentifier": {"brnType": "Y_TUNNUS", "code": info.business_id},
            "companyCurrency": info.currency,
            "operationType": info.operation_type,
        }
    )


@router.get("/api/users")
async def users(company: CompanyState = Depends(current_company)) -> ApiResponse:
    user = company.seed.user
    first, _, last = user.name.partition(" ")
    return ApiResponse(
        {"id": user.id, "firstName": first, "lastName": last, "companyId": company.seed.company.id}
    )


@router.get("/api/users/rights")
async def user_rights(company: CompanyState = Depends(current_company)) -> ApiResponse:
    user = company.seed.user
    return ApiResponse({"role": user.role, "rights": user.rights})


@router.get("/api/status")
async def status() -> ApiResponse:
    return ApiResponse(
        {
            "name": "Procountor API emulator",
            "version": "26.04",
            "status": "OK",
            "procountorVersion": "emulated",
        }
    )


@router.get("/api/company/usagesettings")
async def usage_settings(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(
        {"defaultInvoiceChannel": "NO_SENDING", "accountingByRow": True, "cashDiscount": None}
    )


@router.get("/api/company/invoicetemplates")
async def invoice_templates(company: CompanyState = Depends(current_company)) -> ApiResponse:
    templates = [t.model_dump(by_alias=True) for t in company.seed.invoice_templates]
    return ApiResponse({"invoiceTemplates": templates})


@router.get("/api/company/deliveryterms")
async def delivery_terms(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"deliveryTerms": [{"name": name} for name in company.seed.delivery_terms]})


@router.get("/api/company/einvoiceaddresses")
async def einvoice_addresses(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"einvoiceAddresses": []})
