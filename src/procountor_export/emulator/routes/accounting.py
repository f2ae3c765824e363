"""Accounting master data: chart of accounts, dimensions, fiscal years, VAT, currencies and
bank accounts, in the shapes the API table gives them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields, parse_day
from procountor_export.emulator.common import check_text, check_version, paged
from procountor_export.emulator.dependencies import current_company
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.markets import country_code
from procountor_export.emulator.routes.body import read_body
from procountor_export.emulator.rules.spec import TABLE, table_problems
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


@router.get("/api/coa")
async def chart_of_accounts(company: CompanyState = Depends(current_company)) -> ApiResponse:
    accounts = [
        {
            "ledgerAccountCode": account.code,
            "name": account.name,
            "active": account.active,
            "translations": [],
        }
        for account in company.seed.ledger_accounts
    ]
    return ApiResponse({"ledgerAccounts": accounts})


# -- dimensions ----------------------------------------------------------------------------


def _dimension(company: CompanyState, dimension_id: int) -> dict[str, Any]:
    dimension = company.dimensions.get(dimension_id)
    if dimension is None:
        raise ApiError(404, "Dimension not found")
    return dimension


@router.get("/api/dimensions")
async def dimensions(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    name = request.query_params.get("name", "").lower()
    code = request.query_params.get("codeName", "").lower()
    found = []
    for dimension in sorted(company.dimensions.values(), key=lambda d: d["id"]):
        if name and name not in dimension["name"].lower():
            continue
        items = [item for item in dimension["items"] if code in item["codeName"].lower()]
        if code and not items:
            continue
        found.append({**dimension, "items": items})
    return ApiResponse(found)


@router.get("/api/dimensions/{dimension_id}")
async def dimension(
    dimension_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    return ApiResponse(_dimension(company, dimension_id))


@router.put("/api/dimensions/{dimension_id}")
async def rename_dimension(
    dimension_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    dimension = _dimension(company, dimension_id)
    body = await read_body(request)
    problems = Problems()
    name = Fields(body, "", problems).text("name", required=True)
    check_text(body, problems)
    table_problems("DimensionName", body, problems)
    problems.raise_if_any()
    dimension["name"] = name
    return ApiResponse(dimension)


def _read_item(
    company: CompanyState, dimension: dict[str, Any], body: dict[str, Any], item_id: int | None
) -> dict[str, Any]:
    problems = Problems()
    fields = Fields(body, "", problems)
    code = fields.text("codeName", required=True)
    description = fields.text("description")
    # Status "P" marks an inactive item, absent (or empty) an active one (procountor-api.md §7.2).
    item_status = fields.enum("status", {"P", ""})
    check_text(body, problems)
    table_problems("DimensionItem", body, problems)
    problems.raise_if_any()
    if any(item["codeName"] == code and item["id"] != item_id for item in dimension["items"]):
        raise ApiError(400, f"Dimension item with codeName '{code}' already exists", "codeName")
    item: dict[str, Any] = {"id": item_id, "codeName": code, "description": description or ""}
    if item_status == "P":
        item["status"] = "P"
    return item


@router.post("/api/dimensions/{dimension_id}/items")
async def create_item(
    dimension_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    dimension = _dimension(company, dimension_id)
    item = _read_item(company, dimension, await read_body(request), None)
    item["id"] = company.next_id("dimensionItem")
    dimension["items"].append(item)
    return ApiResponse(item)


@router.put("/api/dimensions/{dimension_id}/items")
async def update_item(
    dimension_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    dimension = _dimension(company, dimension_id)
    body = await read_body(request)
    item_id = body.get("id")
    existing = next((i for i in dimension["items"] if i["id"] == item_id), None)
    if existing is None:
        raise ApiError(404, "Dimension item not found", "id")
    item = _read_item(company, dimension, body, existing["id"])
    existing.clear()
    existing.update(item)
    return ApiResponse(existing)


# -- fiscal years, VAT, currencies ---------------------------------------------------------


@router.get("/api/fiscalyears")
async def fiscal_years(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"fiscalYears": company.fiscal_years})


@router.put("/api/fiscalyears/{year_id}/trackingPeriods/{period_id}")
async def pend_period(
    year_id: int, period_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """The only allowed change: an OPEN tracking period becomes PENDING (else 409); answers an
    ``InfoMessage`` as the spec types it."""
    year = next((y for y in company.fiscal_years if y["id"] == year_id), None)
    period = (
        None
        if year is None
        else next((p for p in year["trackingPeriods"] if p["id"] == period_id), None)
    )
    if period is None:
        raise ApiError(404, "Tracking period not found")
    if period["status"] != "OPEN":
        raise ApiError(409, "Only an OPEN tracking period can be set PENDING")
    period["status"] = "PENDING"
    period["modified"] = company.now()
    return ApiResponse({"message": "Fiscal period was successfully marked as pending."})


@router.get("/api/vats/default")
async def vat_defaults(company: CompanyState = Depends(current_company)) -> ApiResponse:
    vat = company.seed.vat
    return ApiResponse(
        {
            "vatInformation": [
                {
                    "country": vat.country,
                    "percentages": [
                        {"vatPercent": p.vat_percent, "sales": p.sales, "purchase": p.purchase}
                        for p in vat.percentages
                    ],
                }
            ],
            "vatStatuses": [
                {
                    "vatStatus": s.vat_status,
                    "description": s.description,
                    "sales": s.sales,
                    "purchase": s.purchase,
                }
                for s in vat.statuses
            ],
        }
    )


@router.get("/api/vats/country")
async def vat_country(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    code = request.query_params.get("countryCode", "")
    # The spec answers 200 or 400 ("The country code is invalid"); the emulator knows the
    # company's own country (FI, SE, NO or DK).
    if code.upper() != country_code(company.seed.company.country):
        raise ApiError(400, f"No VAT percentages for country '{code}'", "countryCode")
    return ApiResponse({"vatPercentages": [p.vat_percent for p in company.seed.vat.percentages]})


@router.get("/api/vats/settings")
async def vat_settings(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"unitPricesIncludeVatSales": False, "unitPricesIncludeVatPurchase": False})


@router.get("/api/currencies")
async def currencies(company: CompanyState = Depends(current_company)) -> ApiResponse:
    """``Currencies``: the ISO 4217 codes Procountor knows (the spec's currency enum)."""
    return ApiResponse({"currencies": sorted(enums.CURRENCIES)})


@router.get("/api/currencies/company")
async def company_currency(company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse({"companyCurrency": company.currency})


def _rate(company: CompanyState, currency: str) -> Decimal | None:
    if currency == company.currency:
        return Decimal(1)
    return company.seed.exchange_rates.get(currency)


def _required_query(request: Request, path: str) -> dict[str, str]:
    """The operation's query parameters; a missing required one or a value outside its enum
    is a 400 naming it."""
    operation = TABLE.operation("GET", path)
    query = request.query_params
    problems = Problems()
    values: dict[str, str] = {}
    for name, spec in operation.query.items():
        raw = query.get(name)
        if raw is None or raw == "":
            if spec.required:
                problems.add(name, f"Value of the '{name}' cannot be blank.")
            continue
        if spec.enum is not None and raw not in spec.enum:
            problems.add(name, f"Invalid value '{raw}' of '{name}'")
            continue
        values[name] = raw
    problems.raise_if_any()
    return values


@router.get("/api/currencies/exchangerate")
async def exchange_rate(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """``CurrencyExchangeRate`` of ``currency`` against the company currency on ``day``; all
    four parameters are required by the spec. Rates are the seed's, whatever the day."""
    query = _required_query(request, "/currencies/exchangerate")
    day = query["day"]
    if parse_day(day) is None:
        raise ApiError(400, f"Invalid value '{day}' of 'day'", "day")
    base, currency = query["baseCurrency"], query["currency"]
    rate = _rate(company, currency) if base == company.currency else None
    if rate is None:
        raise ApiError(404, "Exchange rate not found")
    return ApiResponse({"currency": currency, "day": day, "queryDay": day, "rate": rate})


@router.get("/api/currencies/latest")
async def latest_rates(company: CompanyState = Depends(current_company)) -> ApiResponse:
    """``CurrencyGroupRates``: the seed's rates against the company currency, dated today."""
    rates = [
        {"currencyCode": code, "currencyRate": rate}
        for code, rate in sorted(company.seed.exchange_rates.items())
    ]
    return ApiResponse(
        {"baseCurrency": company.currency, "currencyDate": company.now()[:10], "rates": rates}
    )


# -- bank accounts -------------------------------------------------------------------------


BASIC_ACCOUNT_FIELDS = frozenset(TABLE.fields("CompanyBankAccountBasicInfo"))
EDITABLE_FLAGS = (
    "defaultForInvoice", "defaultForPayment", "allowPayments", "allowForeignPayments",
    "showAccountOnInvoice",
)  # fmt: skip


@router.get("/api/bankaccounts")
async def bank_accounts(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """Paged ``CompanyBankAccountBasicInfo`` hits; ``GET /bankaccounts/{id}`` has the rest."""
    basic = [
        {key: value for key, value in account.items() if key in BASIC_ACCOUNT_FIELDS}
        for account in company.bank_accounts.values()
    ]
    return ApiResponse(paged(basic, request.query_params, default_order="ASC"))


@router.get("/api/bankaccounts/{account_id}")
async def bank_account(
    account_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    account = company.bank_accounts.get(account_id)
    if account is None:
        raise ApiError(404, "Bank account not found")
    return ApiResponse(account)


@router.put("/api/bankaccounts/{account_id}")
async def update_bank_account(
    account_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    account = company.bank_accounts.get(account_id)
    if account is None:
        raise ApiError(404, "Bank account not found")
    body = await read_body(request)
    check_version(account["version"], body.get("version"), required=True)
    problems = Problems()
    fields = Fields(body, "", problems)
    flags = {name: fields.boolean(name) for name in EDITABLE_FLAGS}
    account_status = fields.enum("status", {"ACTIVE", "INACTIVE"})
    bank_name = fields.text("bankName")
    check_text(body, problems)
    table_problems("CompanyBankAccount", body, problems)
    problems.raise_if_any()
    for name, flag in flags.items():
        if flag is not None:
            account[name] = flag
    if account_status is not None:
        account["status"] = account_status
    if bank_name is not None:
        account["bankName"] = bank_name
    account["version"] = company.stamp(account["version"])
    return ApiResponse(account)
