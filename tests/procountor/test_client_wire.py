"""Decimals as exact JSON numbers, camelCase payloads and lossless GET → PUT round trips."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from procountor_export.procountor import (
    CounterParty,
    DimensionItemValue,
    Invoice,
    InvoiceRow,
    LedgerReceipt,
    PaymentInfo,
    Transaction,
)
from procountor_export.procountor.wire import dumps, loads


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("25.5"), "25.5"),
        (Decimal("350.00"), "350.00"),
        (Decimal("-755.00"), "-755.00"),
        (Decimal("0"), "0"),
        (Decimal("12345678901234.56"), "12345678901234.56"),
        (Decimal("0.1") + Decimal("0.2"), "0.3"),
    ],
)
def test_decimals_are_written_as_exact_numbers(value: Decimal, text: str) -> None:
    assert dumps({"v": value}) == f'{{"v":{text}}}'.encode()
    assert loads(dumps({"v": value})) == {"v": value}


def test_other_json_types() -> None:
    data = {"s": 'ä"\n', "i": 3, "b": True, "n": None, "l": [1, 2.5], "d": dt.date(2026, 1, 30)}
    assert json.loads(dumps(data)) == {
        "s": 'ä"\n',
        "i": 3,
        "b": True,
        "n": None,
        "l": [1, 2.5],
        "d": "2026-01-30",
    }


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), float("nan")])
def test_non_finite_numbers_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="JSON"):
        dumps({"v": bad})


def test_loads_reads_fractions_as_decimals() -> None:
    assert loads(b'{"a": 0.30, "b": 2}') == {"a": Decimal("0.30"), "b": 2}


def test_invoice_payload_is_camel_case_with_numbers_and_no_nones() -> None:
    invoice = Invoice(
        partner_id=4711,
        date=dt.date(2026, 2, 2),
        counter_party=CounterParty(customer_number="C100"),
        payment_info=PaymentInfo(
            currency="EUR", currency_rate=Decimal(1), due_date=dt.date(2026, 2, 16)
        ),
        discount_percent=Decimal(0),
        invoice_rows=[
            InvoiceRow(
                product_id=901,
                product="Freight",
                quantity=Decimal(1),
                unit_price=Decimal("755.00"),
                vat_percent=Decimal("25.5"),
                vat_status=1,
            )
        ],
    )
    text = dumps(invoice.to_wire()).decode()
    assert '"unitPrice":755.00' in text
    assert '"vatPercent":25.5' in text
    assert '"dueDate":"2026-02-16"' in text
    assert '"partnerId":4711' in text
    assert "null" not in text
    assert "unit_price" not in text


def test_unknown_fields_survive_a_round_trip() -> None:
    received = {
        "id": 7,
        "type": "SALES_INVOICE",
        "version": "2026-01-30T15:20:00",
        "deliveryTermsInfo": {"name": "EXW", "municipality": "Turku"},
        "invoiceRows": [{"product": "A", "unitPrice": 10.50, "startDate": "2026-01-01"}],
        "counterParty": {
            "counterPartyAddress": {"name": "B", "country": "FINLAND"},
            "bccAddresses": ["a@example.test"],
        },
    }
    invoice = Invoice.model_validate(loads(json.dumps(received)))
    invoice.notes = "checked"
    sent = loads(dumps(invoice.to_wire()))
    assert sent["deliveryTermsInfo"] == {"name": "EXW", "municipality": "Turku"}
    assert sent["invoiceRows"][0]["startDate"] == "2026-01-01"
    assert sent["invoiceRows"][0]["unitPrice"] == Decimal("10.50")
    assert sent["counterParty"]["bccAddresses"] == ["a@example.test"]
    assert sent["version"] == "2026-01-30T15:20:00"
    assert sent["notes"] == "checked"


def test_ledger_receipt_dimension_values_are_amounts() -> None:
    receipt = LedgerReceipt(
        id=1,
        version="v",
        transactions=[
            Transaction(
                account="3000",
                accounting_value=Decimal("-755.00"),
                dimension_item_values=[
                    DimensionItemValue(dimension_id=12, item_id=345, value=Decimal("-755.00"))
                ],
            )
        ],
    )
    text = dumps(receipt.to_wire()).decode()
    assert '"dimensionItemValues":[{"dimensionId":12,"itemId":345,"value":-755.00}]' in text
