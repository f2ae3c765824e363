"""The company and its user: session info, company details and settings, users and rights.

Shapes and enum values as the API table gives them (``SessionInfo``, ``Company``, ``User``,
``CompanyUsageSettings``, ``DeliveryTerms``…). ``GET /company/invoicetemplates`` and
``/company/einvoiceaddresses`` answer bare lists of the item schema the spec names
(``InvoiceTemplate``, ``EInvoiceData``): the spec's descriptions say "a list", and it defines no
wrapper object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends

from procountor_export.emulator.dependencies import current_company
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
            "productVersion": info.product_version,
            "userId": user.id,
            "userName": user.name,
            "companySettings": {"invoiceDiscussionEnabled": False},
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
            "businessIdentifier": {"brnType": info.business_id_type, "code": info.business_id},
            "companyCurrency": info.currency,
            "operationType": info.operation_type,
            "productVersion": info.product_version,
        }
    )


@router.get("/api/users")
async def users(company: CompanyState = Depends(current_company)) -> ApiResponse:
    user = company.seed.user
    first, _, last = user.name.partition(" ")
    return ApiResponse(
        {
            "id": user.id,
            "firstName": first,
            "lastName": last or first,
            "email": user.email,
            "mobilePhone": user.mobile_phone,
            "companyId": company.seed.company.id,
        }
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
        {
            "defaultInvoiceChannel": "NO_SENDING",
            "accountingByRow": {
                "salesInvoicePosting": True,
                "purchaseInvoicePosting": True,
                "travelAndExpenseInvoicePosting": False,
                "salaryPosting": False,
            },
            "cashDiscount": {"cashDiscountForSales": False, "cashDiscountForPurchase": False},
        }
    )


@router.get("/api/company/invoicetemplates")
async def invoice_templates(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse([t.model_dump(by_alias=True) for t in company.seed.invoice_templates])


@router.get("/api/company/deliveryterms")
async def delivery_terms(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"deliveryTerms": list(company.seed.delivery_terms)})


@router.get("/api/company/einvoiceaddresses")
async def einvoice_addresses(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse([])
