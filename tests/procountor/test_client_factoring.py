"""``client.factoring_contracts``: numbered paging, the 403 of a company without financing, and
an invoice that names a contract, on the fake and on the emulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from procountor_export.procountor import (
    Address,
    BankAccountRef,
    CounterParty,
    ExtraInfo,
    FactoringContract,
    Invoice,
    InvoiceRow,
    PaymentInfo,
    PermissionDenied,
    ProcountorClient,
    RejectedError,
)

NOT_ENABLED = (
    "Insufficient user rights or external financing has not been enabled for your company."
)


def _contract(contract_id: int) -> dict[str, Any]:
    return {
        "id": contract_id,
        "contractNumber": f"C-{contract_id}",
        "status": "ACTIVE",
        "financingCompany": {"id": "F1", "name": "Rahoitus Oy"},
        "financingCompanyBankAccount": "FI21 1234 5600 0007 85",
    }


def test_every_page_is_read_with_page_numbers(client: ProcountorClient, fake: Any) -> None:
    fake.add(
        fake.json({"results": [_contract(i) for i in range(1, 201)], "meta": {"totalCount": 201}}),
        fake.json({"results": [_contract(201)], "meta": {"totalCount": 201}}),
    )
    contracts = client.factoring_contracts.list(financing_company_id="F1")
    assert len(contracts) == 201
    assert contracts[0] == FactoringContract.model_validate(_contract(1))
    assert contracts[0].financing_company is not None
    assert contracts[0].financing_company.name == "Rahoitus Oy"
    queries = [dict(request.url.params) for request in fake.requests]
    assert queries == [
        {"financingCompanyId": "F1", "page": "0", "size": "200"},
        {"financingCompanyId": "F1", "page": "1", "size": "200"},
    ]
    assert all(request.url.path.endswith("/factoringcontracts") for request in fake.requests)
    assert client.calls["GET /factoringcontracts"] == 2


def test_a_company_without_financing_is_permission_denied(
    client: ProcountorClient, fake: Any
) -> None:
    fake.add(fake.errors(403, (None, NOT_ENABLED)))
    with pytest.raises(PermissionDenied) as caught:
        client.factoring_contracts.list()
    assert caught.value.status == 403
    assert [detail.message for detail in caught.value.errors] == [NOT_ENABLED]
    assert len(fake.requests) == 1  # not retried


def test_the_emulators_contracts(emulator: ProcountorClient) -> None:
    contracts = {c.contract_number: c for c in emulator.factoring_contracts.list()}
    assert {number: c.status for number, c in contracts.items()} == {
        "RAH-1001": "ACTIVE",
        "RAH-0901": "INACTIVE",
        "RAH-2002": "ACTIVE",
    }
    assert contracts["RAH-1001"].financing_company_bank_account == "FI2112345600000785"
    assert [
        c.contract_number for c in emulator.factoring_contracts.list(financing_company_id="FC2")
    ] == ["RAH-2002"]


def _financed(contract_id: int, bank: str) -> Invoice:
    buyer = Address(
        name="Uusi Oy", street="Katu 1", zip="00100", city="Helsinki", country="FINLAND"
    )
    return Invoice(
        date="2026-02-02",
        counter_party=CounterParty(counter_party_address=buyer),
        payment_info=PaymentInfo(
            payment_method="BANK_TRANSFER",
            currency="EUR",
            currency_rate=Decimal(1),
            bank_account=BankAccountRef(account_number=bank),
            due_date="2026-02-16",
            bank_reference_code="",
        ),
        extra_info=ExtraInfo(accounting_by_row=True, unit_prices_include_vat=False),
        discount_percent=Decimal(0),
        vat_status=1,
        invoice_channel="NO_SENDING",
        language="FINNISH",
        invoice_rows=[
            InvoiceRow(
                product="Rahti",
                quantity=Decimal(1),
                unit="NO_UNIT",
                unit_price=Decimal(100),
                discount_percent=Decimal(0),
                vat_percent=Decimal("25.5"),
                vat_status=1,
            )
        ],
        factoring_contract_id=contract_id,
        factoring_text="Saatava on siirretty",
    )


def test_an_invoice_names_its_contract(emulator: ProcountorClient) -> None:
    contracts = {c.contract_number: c for c in emulator.factoring_contracts.list()}
    active, other = contracts["RAH-1001"], contracts["RAH-2002"]
    assert active.id is not None
    assert other.id is not None
    created = emulator.invoices.create(_financed(active.id, "FI2112345600000785"))
    assert created.factoring_contract_id == active.id
    assert created.factoring_text == "Saatava on siirretty"
    with pytest.raises(RejectedError) as caught:
        emulator.invoices.create(_financed(other.id, "FI2112345600000785"))
    assert [d.field for d in caught.value.errors] == ["paymentInfo.bankAccount.accountNumber"]
