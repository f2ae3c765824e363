"""Factoring (financing) contracts: ``GET /factoringcontracts`` in Finnish environments."""

from __future__ import annotations

from procountor_export.procountor.models.base import ApiModel


class FinancingCompany(ApiModel):
    """The company that finances the invoices (its ``id`` is a string in the spec)."""

    id: str | None = None
    name: str | None = None


class FactoringContract(ApiModel):
    """A factoring contract of the company.

    An invoice names it by ``id`` (``Invoice.factoringContractId``); its
    ``paymentInfo.bankAccount.accountNumber`` must then be ``financing_company_bank_account``.
    ``status`` is ``ACTIVE`` or ``INACTIVE``.
    """

    id: int | None = None
    contract_number: str | None = None
    status: str | None = None
    financing_company: FinancingCompany | None = None
    financing_company_bank_account: str | None = None
    bank_reference_code_separator: str | None = None
