"""Every resource method against the project's emulator, in process (Starlette TestClient)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from procountor_export.procountor import (
    CREDENTIALS_REFUSED,
    Address,
    AttachmentMeta,
    AuthenticationError,
    BankAccountRef,
    BusinessPartner,
    CounterParty,
    DefaultDimension,
    DefaultDimensionItem,
    Dimension,
    DimensionItemValue,
    ExtraInfo,
    Invoice,
    InvoiceRow,
    InvoicingInfo,
    LocalRateLimiter,
    OutcomeUnknown,
    PartnerPaymentInfo,
    PaymentInfo,
    ProcountorClient,
    Product,
    RejectedError,
    RequestRecord,
    RetryableError,
)

IBAN = "FI2112345600000785"
BUYER = Address(name="Uusi Oy", street="Katu 1", zip="00100", city="Helsinki", country="FINLAND")


def department(client: ProcountorClient) -> Dimension:
    return next(d for d in client.dimensions.list() if d.name == "Department")


def make_product(client: ProcountorClient, code: str = "TMSP-3010-1-25.5") -> Product:
    group = client.products.groups.create("OpterGroup")
    return client.products.create(
        Product(
            name=f"3010 / VAT 25.5 % ({code})",
            code=code,
            unit="NO_UNIT",
            price=Decimal(0),
            discount=Decimal(0),
            vat=Decimal("25.5"),
            vat_status=1,
            active=True,
            default_account="3010",
            currency="EUR",
            product_group_id=group.id,
        )
    )


def make_partner(client: ProcountorClient, number: str = "30001") -> BusinessPartner:
    return client.partners.create(
        BusinessPartner(
            name="Uusi Oy",
            address=BUYER,
            invoicing_info=InvoicingInfo(customer_number=number, identifier="7654321-2"),
            payment_info=PartnerPaymentInfo(
                payment_method="BANK_TRANSFER", payment_term_days="14", currency="EUR"
            ),
        )
    )


def sales_invoice(
    partner: BusinessPartner,
    product: Product,
    number: str,
    *,
    date: dt.date = dt.date(2026, 2, 2),
    due: dt.date = dt.date(2026, 2, 16),
) -> Invoice:
    return Invoice(
        partner_id=partner.id,
        date=date,
        counter_party=CounterParty(
            customer_number="30001", identifier="7654321-2", counter_party_address=BUYER
        ),
        payment_info=PaymentInfo(
            payment_method="BANK_TRANSFER",
            currency="EUR",
            currency_rate=Decimal(1),
            bank_account=BankAccountRef(account_number=IBAN),
            due_date=due,
            bank_reference_code="",
        ),
        extra_info=ExtraInfo(accounting_by_row=True, unit_prices_include_vat=False),
        discount_percent=Decimal(0),
        vat_status=1,
        invoice_channel="NO_SENDING",
        language="FINNISH",
        original_invoice_number=number,
        invoice_rows=[
            InvoiceRow(
                product_id=product.id,
                product="Freight services",
                quantity=Decimal(1),
                unit="NO_UNIT",
                unit_price=Decimal("755.00"),
                discount_percent=Decimal(0),
                vat_percent=Decimal("25.5"),
                vat_status=1,
            )
        ],
    )


def test_company_master_data(emulator: ProcountorClient) -> None:
    session = emulator.session.get()
    company = emulator.company.get()
    assert session.company_id == company.id
    assert company.name == "Kuljetus Demo Oy"
    assert company.business_identifier is not None
    assert company.business_identifier.code == "1234567-8"
    assert emulator.currencies.company() == "EUR"
    assert {"EUR", "SEK", "USD"} <= set(emulator.currencies.list())
    assert emulator.users.rights().missing() == []
    (account,) = [a for a in emulator.bank_accounts.list() if a.default_for_invoice]
    assert (account.iban, account.status) == (IBAN, "ACTIVE")
    codes = {a.ledger_account_code for a in emulator.chart_of_accounts.list() if a.active}
    assert {"1700", "3010", "3400"} <= codes
    vats = emulator.vats.default()
    finland = next(c for c in vats.vat_information if c.country == "Finland")
    assert Decimal("25.5") in {p.vat_percent for p in finland.percentages if p.sales}
    statuses = {s.vat_status: s for s in vats.vat_statuses}
    assert statuses[1].sales is True
    assert statuses[2].sales is False
    years = {y.start_date.year: y for y in emulator.fiscal_years.list()}
    assert years[2024].is_open is False
    assert years[2026].is_open is True
    assert len(years[2026].tracking_periods) == 12


def test_dimension_items_are_created(emulator: ProcountorClient) -> None:
    dimension = department(emulator)
    assert "OUL" not in {item.code_name for item in dimension.items}
    item = emulator.dimensions.items.create(dimension.id, "OUL", "Oulu")
    assert item.id is not None
    assert (item.code_name, item.description, item.active) == ("OUL", "Oulu", True)
    assert item.id in {i.id for i in department(emulator).items}


def test_product_groups_products_and_default_dimensions(emulator: ProcountorClient) -> None:
    assert emulator.products.groups.list() == []
    product = make_product(emulator)
    group_id = product.product_group_id
    assert [g.name for g in emulator.products.groups.list()] == ["OpterGroup"]
    assert group_id is not None
    assert product.id is not None

    (read,) = emulator.products.get([product.id, 999_999])
    assert read.vat == Decimal("25.5")
    read.active = False
    updated = emulator.products.update(read)
    assert updated.active is False
    assert updated.version != product.version
    assert [p.id for p in emulator.products.list(group_id=group_id)] == [product.id]
    assert [p.id for p in emulator.products.list(code="TMSP-3010")] == [product.id]

    dimension = department(emulator)
    hel = next(i for i in dimension.items if i.code_name == "HEL")
    assert hel.id is not None
    default = DefaultDimension(
        id=dimension.id,
        name=dimension.name,
        items=[DefaultDimensionItem(id=hel.id, code_name="HEL", percent=Decimal(100))],
    )
    emulator.products.default_dimensions.update(product.id, default)
    (stored,) = emulator.products.default_dimensions.list(product.id)
    assert (stored.id, stored.items[0].id, stored.items[0].percent) == (
        dimension.id,
        hel.id,
        Decimal(100),
    )


def test_products_page_through_more_than_200(emulator: ProcountorClient) -> None:
    first = make_product(emulator, "TMSP-0")
    for index in range(1, 205):
        emulator.products.create(first.model_copy(update={"id": None, "code": f"TMSP-{index}"}))
    listed = list(emulator.products.list(group_id=first.product_group_id))
    assert len(listed) == 205
    assert len({p.id for p in listed}) == 205
    assert emulator.calls["GET /products"] == 2
    assert len(emulator.products.get([p.id for p in listed if p.id is not None])) == 205
    assert emulator.calls["GET /products/{ids}"] == 2


def test_business_partners(emulator: ProcountorClient) -> None:
    (old,) = emulator.partners.search(customer_number="29999")
    assert old.invoicing_info.identifier == "2999999-7"
    assert [p.id for p in emulator.partners.search(identifier="2999999-7")] == [old.id]
    assert [p.id for p in emulator.partners.search(name="Vanha Asiakas Oy")] == [old.id]

    (full,) = emulator.partners.get([old.id])
    assert full.invoicing_info is not None
    assert full.invoicing_info.identifier == "2999999-7"
    unmodelled = set(full.model_extra or {})
    full.name = "Vanha Asiakas Oy Ab"
    updated = emulator.partners.update(full)
    assert updated.name == "Vanha Asiakas Oy Ab"
    assert updated.invoicing_info is not None
    assert updated.invoicing_info.identifier == "2999999-7"
    assert unmodelled <= set(updated.model_extra or {})  # PUT kept what we do not model

    created = make_partner(emulator)
    assert created.id is not None
    assert [p.id for p in emulator.partners.search(customer_number="30001")] == [created.id]


def test_invoice_life_cycle(emulator: ProcountorClient) -> None:
    product = make_product(emulator)
    partner = make_partner(emulator)
    created = emulator.invoices.create(sales_invoice(partner, product, "TMS-100353"))
    assert created.id is not None
    assert created.ledger_receipt_id is not None
    assert created.status == "UNFINISHED"
    assert created.invoice_number is not None
    assert created.invoice_sum_info is not None
    assert created.invoice_sum_info[0].invoice_sum_total == Decimal("947.53")

    (read,) = emulator.invoices.get([created.id])
    assert read.invoice_rows[0].unit_price == Decimal("755.00")
    hits = list(emulator.invoices.search(original_invoice_number="TMS-100353"))
    assert [h.id for h in hits] == [created.id]
    assert list(emulator.invoices.search(original_invoice_number="TMS-9")) == []
    in_feb = emulator.invoices.search(start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 2, 28))
    assert [h.id for h in in_feb] == [created.id]
    assert list(emulator.invoices.search(start_date=dt.date(2026, 3, 1))) == []

    read.notes = "exported by the TMS"
    updated = emulator.invoices.update(read)
    assert updated.notes == "exported by the TMS"
    assert updated.ledger_receipt_id is not None

    (receipt,) = emulator.ledger_receipts.get([updated.ledger_receipt_id])
    entry = next(t for t in receipt.transactions if t.transaction_type == "ENTRY")
    assert entry.accounting_value == Decimal("-755.00")
    assert entry.account == "3010"
    dimension = department(emulator)
    tku = next(i for i in dimension.items if i.code_name == "TKU")
    assert tku.id is not None
    assert entry.accounting_value is not None
    entry.dimension_item_values = [
        DimensionItemValue(dimension_id=dimension.id, item_id=tku.id, value=entry.accounting_value)
    ]
    fixed = emulator.ledger_receipts.update(receipt)
    fixed_entry = next(t for t in fixed.transactions if t.transaction_type == "ENTRY")
    assert fixed_entry.dimension_item_values == entry.dimension_item_values

    meta = AttachmentMeta(name="TMS-100353.pdf", reference_id=created.id)
    attachment = emulator.attachments.create(meta, b"%PDF-1.4 invoice copy")
    assert attachment.id is not None
    assert (attachment.name, attachment.mime_type) == ("TMS-100353.pdf", "application/pdf")

    emulator.invoices.approve(created.id)
    assert emulator.invoices.get([created.id])[0].status == "NOT_SENT"
    emulator.invoices.send(created.id)
    assert emulator.invoices.get([created.id])[0].status == "SENT"


def test_invoice_search_pages_through_more_than_200(emulator: ProcountorClient) -> None:
    product = make_product(emulator)
    partner = make_partner(emulator)
    ids = {
        emulator.invoices.create(sales_invoice(partner, product, f"TMS-{n}")).id for n in range(203)
    }
    found = list(emulator.invoices.search(start_date=dt.date(2026, 2, 2)))
    assert {h.id for h in found} == ids
    assert emulator.calls["GET /invoices"] == 2
    assert len(emulator.invoices.get(sorted(i for i in ids if i is not None))) == 203


def test_a_rejected_invoice_carries_procountors_errors(emulator: ProcountorClient) -> None:
    product = make_product(emulator)
    partner = make_partner(emulator)
    bad = sales_invoice(partner, product, "TMS-1", due=dt.date(2026, 1, 1))
    with pytest.raises(RejectedError) as caught:
        emulator.invoices.create(bad)
    error = caught.value
    assert error.status == 400
    assert error.operation == "POST /invoices"
    assert any("DUE_DATE_BEFORE_BILL_DATE" in d.message for d in error.errors)
    assert list(emulator.invoices.search(original_invoice_number="TMS-1")) == []


def test_unknown_ids_are_left_out(emulator: ProcountorClient) -> None:
    assert emulator.invoices.get([987_654]) == []
    assert emulator.ledger_receipts.get([987_654]) == []
    assert emulator.partners.get([987_654]) == []


def test_wrong_credentials_are_refused(make_emulator_client: Callable[..., Any]) -> None:
    client = make_emulator_client(api_key="not-a-key")
    with pytest.raises(AuthenticationError) as caught:
        client.company.get()
    assert caught.value.message == CREDENTIALS_REFUSED
    assert "not-a-key" not in str(caught.value) + caught.value.body


def test_expired_token_is_replaced_mid_run(
    emulator: ProcountorClient, emulator_http: httpx2.Client
) -> None:
    emulator.company.get()
    emulator_http.post("/_emulator/expire-tokens").raise_for_status()
    assert emulator.company.get().name == "Kuljetus Demo Oy"
    assert emulator.calls["POST /oauth/token"] == 2
    assert emulator.calls["GET /company"] == 3


def test_post_that_failed_after_commit_is_outcome_unknown_and_can_be_found(
    emulator: ProcountorClient, emulator_http: httpx2.Client
) -> None:
    product = make_product(emulator)
    partner = make_partner(emulator)
    faults = {"failAfterWrite": {"invoices": 1.0}}
    emulator_http.put("/_emulator/faults", json=faults).raise_for_status()
    with pytest.raises(OutcomeUnknown) as caught:
        emulator.invoices.create(sales_invoice(partner, product, "TMS-42"))
    assert caught.value.request.json_body["originalInvoiceNumber"] == "TMS-42"
    assert emulator.calls["POST /invoices"] == 1  # not sent twice
    (found,) = emulator.invoices.search(original_invoice_number="TMS-42")
    assert found.status == "UNFINISHED"


def test_server_errors_on_reads_are_retried_then_raised(
    emulator: ProcountorClient, emulator_http: httpx2.Client
) -> None:
    emulator.company.get()
    emulator_http.put("/_emulator/faults", json={"errorRate": 1.0}).raise_for_status()
    with pytest.raises(RetryableError) as caught:
        emulator.company.get()
    assert caught.value.status == 503
    assert emulator.calls["GET /company"] == 1 + 3


def test_pacing_keeps_the_client_under_the_servers_limit(
    make_emulator_client: Callable[..., ProcountorClient], emulator_http: httpx2.Client
) -> None:
    emulator_http.put("/_emulator/rate-limit", json={"rateLimit": 10}).raise_for_status()
    records: list[RequestRecord] = []
    paced = make_emulator_client(limiter=LocalRateLimiter(8), hooks=[records.append])
    for _ in range(14):
        paced.session.get()
    assert [r.status for r in records] == [200] * 15


def test_without_pacing_the_server_answers_429(
    make_emulator_client: Callable[..., ProcountorClient], emulator_http: httpx2.Client
) -> None:
    # The counter-test of the one above: the same load unpaced is refused.
    emulator_http.put("/_emulator/rate-limit", json={"rateLimit": 10}).raise_for_status()
    records: list[RequestRecord] = []
    unpaced = make_emulator_client(limiter=LocalRateLimiter(10_000), hooks=[records.append])

    def burst() -> None:
        for _ in range(40):
            unpaced.session.get()

    with pytest.raises(RetryableError) as caught:
        burst()
    assert caught.value.status == 429
    assert 429 in {r.status for r in records}


def test_partner_names_with_nordic_letters_are_searchable_over_real_http(
    emulator_server: str,
) -> None:
    # Over a real server: Starlette's TestClient re-encodes header bytes as UTF-8, a real
    # HTTP server hands the server the Latin-1 bytes the client sent.
    with ProcountorClient(
        base_url=emulator_server,
        client_id="demo-client",
        client_secret="demo-secret",
        api_key="demo-api-key",
        limiter=LocalRateLimiter(1000),
    ) as client:
        nordic = make_partner(client, "30002").model_copy(update={"id": None})
        nordic.name = "Pöllö Åström Oy"
        created = client.partners.create(nordic)
        found = client.partners.search(name="Pöllö Åström Oy")
        assert [p.id for p in found] == [created.id]
        with pytest.raises(ValueError, match="customer number"):
            client.partners.search(name="Łódź Sp. z o.o.")
