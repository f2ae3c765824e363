"""Company, session, rights, currencies, bank accounts and accounting master data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from procountor_export.procountor.base import BaseClient
from procountor_export.procountor.models import (
    BankAccount,
    Company,
    Dimension,
    DimensionItem,
    FiscalYear,
    LedgerAccount,
    SessionInfo,
    VatDefaults,
)
from procountor_export.procountor.paging import numbered_pages
from procountor_export.procountor.rights import UserRights


def _listed(data: Any, key: str) -> list[Any]:
    """``data[key]`` when the answer is an object, or the answer itself when it is a list."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        value = data.get(key)
        if isinstance(value, list):
            return value
    return []


class CompanyResources(BaseClient):
    """Who we are talking to, and the company's accounting master data."""

    def session_info(self) -> SessionInfo:
        """``GET /sessioninfo`` — the cheapest check that the credentials work."""
        return SessionInfo.model_validate(self._get("/sessioninfo"))

    def company(self) -> Company:
        """``GET /company`` (needs the company-info right)."""
        return Company.model_validate(self._get("/company"))

    def user_rights(self) -> UserRights:
        """``GET /users/rights``, parsed leniently."""
        return UserRights.parse(self._get("/users/rights"))

    def company_currency(self) -> str:
        """``GET /currencies/company`` → e.g. ``"EUR"``."""
        data = self._get("/currencies/company")
        if isinstance(data, Mapping):
            return str(data.get("companyCurrency") or data.get("currency") or "")
        return str(data or "")

    def currencies(self) -> list[str]:
        """``GET /currencies`` → the ISO 4217 codes Procountor knows."""
        data = self._get("/currencies")
        if isinstance(data, Mapping):
            data = next((value for value in data.values() if isinstance(value, list)), [])
        codes: list[str] = []
        for item in data if isinstance(data, list) else []:
            if isinstance(item, str):
                codes.append(item)
            elif isinstance(item, Mapping):
                code = item.get("currency") or item.get("code") or item.get("currencyCode")
                if code:
                    codes.append(str(code))
        return codes

    def bank_accounts(self) -> list[BankAccount]:
        """Every company bank account (``GET /bankaccounts``, all pages)."""
        return [
            BankAccount.model_validate(item)
            for item in numbered_pages(lambda params: self._get("/bankaccounts", params=params))
        ]

    def chart_of_accounts(self) -> list[LedgerAccount]:
        """``GET /coa`` → the ledger accounts."""
        data = self._get("/coa")
        return [LedgerAccount.model_validate(item) for item in _listed(data, "ledgerAccounts")]

    def dimensions(self) -> list[Dimension]:
        """``GET /dimensions`` → every dimension with its items."""
        return [Dimension.model_validate(item) for item in _listed(self._get("/dimensions"), "")]

    def create_dimension_item(
        self, dimension_id: int, code_name: str, description: str | None = None
    ) -> DimensionItem:
        """``POST /dimensions/{id}/items`` — not retried blindly (may raise OutcomeUnknown)."""
        item = DimensionItem(code_name=code_name, description=description)
        data = self._request(
            "POST",
            "/dimensions/{dimension_id}/items",
            path_params={"dimension_id": dimension_id},
            json=item.to_wire(),
        )
        return DimensionItem.model_validate(data)

    def vat_defaults(self) -> VatDefaults:
        """``GET /vats/default`` → the company's enabled VAT rates and statuses."""
        return VatDefaults.model_validate(self._get("/vats/default"))

    def fiscal_years(self) -> list[FiscalYear]:
        """``GET /fiscalyears`` → fiscal years with their tracking periods."""
        data = self._get("/fiscalyears")
        return [FiscalYear.model_validate(item) for item in _listed(data, "fiscalYears")]
