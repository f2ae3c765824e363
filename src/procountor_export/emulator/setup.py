"""Build a company's initial data from its seed, through the same rules as the API.

:func:`procountor_export.emulator.app.create_app` hands :func:`populate_company` to the state,
which fills every company with it when the app is created and on each reset. It calls the
rules (:mod:`.rules`) directly, never the routes.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING, Any

from procountor_export.emulator.rules.partners import create_partner
from procountor_export.emulator.rules.products import create_group
from procountor_export.emulator.rules.spec import without_unknown
from procountor_export.emulator.seed import FiscalYearSeed

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState


def populate_company(company: CompanyState) -> None:
    """Fill a fresh company: bank accounts, dimensions, fiscal years, partners, product groups
    and factoring contracts."""
    seed = company.seed
    for order, account in enumerate(seed.bank_accounts, start=1):
        account_id = company.next_id("bankAccount")
        iban = account.iban.replace(" ", "")
        company.bank_accounts[account_id] = {
            "id": account_id,
            "accountNumber": iban,
            "iban": iban,
            "bic": account.bic,
            "bankName": account.bank_name,
            "currency": account.currency,
            "defaultForInvoice": account.default_for_invoice,
            "defaultForPayment": account.default_for_payment,
            "status": account.status,
            "ledgerAccount": account.ledger_account,
            "allowPayments": account.allow_payments,
            "allowForeignPayments": account.allow_foreign_payments,
            "showAccountOnInvoice": account.show_account_on_invoice,
            "orderNo": order,
            "version": company.stamp(),
        }
        if account.associated_accounts:
            # Only where the market has aliases (Sweden, Denmark): a Finnish account's answer
            # stays without the key, as before.
            company.bank_accounts[account_id]["associatedAccounts"] = [
                alias.model_dump(by_alias=True) for alias in account.associated_accounts
            ]
    for dimension in seed.dimensions:
        dimension_id = company.next_id("dimension")
        items = []
        for item in dimension.items:
            entry = {
                "id": company.next_id("dimensionItem"),
                "codeName": item.code_name,
                "description": item.description,
            }
            if not item.active:
                entry["status"] = "P"
            items.append(entry)
        company.dimensions[dimension_id] = {
            "id": dimension_id,
            "name": dimension.name,
            "items": items,
        }
    company.fiscal_years = fiscal_years_from_seed(company, seed.fiscal_years)
    for partner in seed.business_partners:
        # Seed partners written for older readings may carry fields the spec lacks (e.g.
        # invoicingInfo.taxCode); they are dropped, as the API would never have stored them.
        create_partner(company, without_unknown("BusinessPartner", partner))
    for group in seed.product_groups:
        create_group(company, group)
    for contract in seed.factoring_contracts:
        contract_id = company.next_id("factoringContract")
        company.factoring_contracts[contract_id] = {
            "id": contract_id,
            **contract.model_dump(mode="json", by_alias=True, exclude_none=True),
        }


def fiscal_years_from_seed(
    company: CompanyState, years: list[FiscalYearSeed]
) -> list[dict[str, Any]]:
    """Fiscal years newest first, tracking periods in date order, as ``GET /fiscalyears``."""
    built: list[dict[str, Any]] = []
    modified = company.now()
    for year in sorted(years, key=lambda y: y.start_date):
        periods: list[tuple[date, date, str]] = [
            (period.start_date, period.end_date, period.status) for period in year.tracking_periods
        ]
        if year.monthly_periods:
            periods.extend(_months(year.start_date, year.end_date, set(year.closed_periods)))
        built.append(
            {
                "id": company.next_id("fiscalYear"),
                "startDate": year.start_date.isoformat(),
                "endDate": year.end_date.isoformat(),
                "isOpen": year.is_open,
                "modified": modified,
                "trackingPeriods": [
                    {
                        "id": company.next_id("trackingPeriod"),
                        "startDate": start.isoformat(),
                        "endDate": end.isoformat(),
                        "status": status,
                        "modified": modified,
                    }
                    for start, end, status in sorted(periods)
                ],
            }
        )
    return list(reversed(built))


def _months(start: date, end: date, closed: set[str]) -> list[tuple[date, date, str]]:
    months: list[tuple[date, date, str]] = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        last = date(cursor.year, cursor.month, calendar.monthrange(cursor.year, cursor.month)[1])
        label = f"{cursor.year:04d}-{cursor.month:02d}"
        months.append((max(cursor, start), min(last, end), "CLOSED" if label in closed else "OPEN"))
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    return months
