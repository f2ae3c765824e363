"""Who we are talking to, and the company's accounting master data."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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
from procountor_export.procountor.resources import Resource
from procountor_export.procountor.rights import UserRights

if TYPE_CHECKING:
    from procountor_export.procountor.base import BaseClient

__all__ = [
    "BankAccounts",
    "ChartOfAccounts",
    "CompanyInfo",
    "Currencies",
    "DimensionItems",
    "Dimensions",
    "FiscalYears",
    "Session",
    "Users",
    "Vats",
]


def _listed(data: Any, key: str) -> list[Any]:
    """``data[key]`` when the answer is an object, or the answer itself when it is a list."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        value = data.get(key)
        if isinstance(value, list):
            return value
    return []


class Session(Resource):
    """``/sessioninfo``."""

    def get(self) -> SessionInfo:
        """``GET /sessioninfo`` — the cheapest check that the credentials work."""
        return SessionInfo.model_validate(self._client._get("/sessioninfo"))


class CompanyInfo(Resource):
    """``/company``."""

    def get(self) -> Company:
        """``GET /company`` (needs the company-info right)."""
        return Company.model_validate(self._client._get("/company"))


class Users(Resource):
    """``/users``."""

    def rights(self) -> UserRights:
        """``GET /users/rights`` — the current user's rights, parsed leniently."""
        return UserRights.parse(self._client._get("/users/rights"))


class Currencies(Resource):
    """``/currencies``."""

    def list(self) -> builtins.list[str]:
        """``GET /currencies`` → the ISO 4217 codes Procountor knows."""
        data = self._client._get("/currencies")
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

    def company(self) -> str:
        """``GET /currencies/company`` → the company's currency, e.g. ``"EUR"``."""
        data = self._client._get("/currencies/company")
        if isinstance(data, Mapping):
            return str(data.get("companyCurrency") or data.get("currency") or "")
        return str(data or "")


class BankAccounts(Resource):
    """``/bankaccounts``."""

    def list(self) -> builtins.list[BankAccount]:
        """Every company bank account (``GET /bankaccounts``, all pages)."""
        pages = numbered_pages(lambda params: self._client._get("/bankaccounts", params=params))
        return [BankAccount.model_validate(item) for item in pages]


class ChartOfAccounts(Resource):
    """``/coa``."""

    def list(self) -> builtins.list[LedgerAccount]:
        """``GET /coa`` → the ledger accounts."""
        data = self._client._get("/coa")
        return [LedgerAccount.model_validate(item) for item in _listed(data, "ledgerAccounts")]


class DimensionItems(Resource):
    """``/dimensions/{id}/items``."""

    def create(
        self, dimension_id: int, code_name: str, description: str | None = None
    ) -> DimensionItem:
        """``POST /dimensions/{id}/items`` — not retried blindly (may raise OutcomeUnknown)."""
        item = DimensionItem(code_name=code_name, description=description)
        data = self._client._request(
            "POST",
            "/dimensions/{dimension_id}/items",
            path_params={"dimension_id": dimension_id},
            json=item.to_wire(),
        )
        return DimensionItem.model_validate(data)


class Dimensions(Resource):
    """``/dimensions``; their items under :attr:`items`."""

    def __init__(self, client: BaseClient) -> None:
        super().__init__(client)
        self.items = DimensionItems(client)

    def list(self) -> builtins.list[Dimension]:
        """``GET /dimensions`` → every dimension with its items."""
        data = self._client._get("/dimensions")
        return [Dimension.model_validate(item) for item in _listed(data, "")]


class Vats(Resource):
    """``/vats``."""

    def default(self) -> VatDefaults:
        """``GET /vats/default`` → the company's enabled VAT rates and statuses."""
        return VatDefaults.model_validate(self._client._get("/vats/default"))


class FiscalYears(Resource):
    """``/fiscalyears``."""

    def list(self) -> builtins.list[FiscalYear]:
        """``GET /fiscalyears`` → fiscal years with their tracking periods."""
        data = self._client._get("/fiscalyears")
        return [FiscalYear.model_validate(item) for item in _listed(data, "fiscalYears")]
