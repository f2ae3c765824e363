"""The ledger receipt check: corrected where it differs from the TMS postings, else left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import EXPORT, OFFICE, invoice, posting, snapshot  # type: ignore[import-not-found]

from procountor_export.export.planning.coding import (
    CodingMismatch,
    correct_receipt,
    expected_entries,
)
from procountor_export.export.planning.plan import plan_invoice
from procountor_export.procountor.models import DimensionItemValue, LedgerReceipt, Transaction


def receipt(*entries: Transaction) -> LedgerReceipt:
    reversing = Transaction(
        id=1, transaction_type="REVERSING_ENTRY", account="1700", accounting_value=Decimal("439.25")
    )
    return LedgerReceipt(id=50, version="2026-03-31T10:00:00", transactions=[reversing, *entries])


def entry(account: str = "3010", items: list[tuple[int, int]] | None = None) -> Transaction:
    value = Decimal("-350.00")
    return Transaction(
        id=2,
        transaction_type="ENTRY",
        account=account,
        accounting_value=value,
        vat_percent=Decimal("25.5"),
        vat_status=1,
        dimension_item_values=[
            DimensionItemValue(dimension_id=d, item_id=i, value=value) for d, i in (items or [])
        ],
        extra_field="kept",  # type: ignore[call-arg]
    )


def expected() -> list[object]:
    plan = plan_invoice(invoice(posting()), EXPORT, snapshot(), OFFICE)
    return expected_entries(plan, snapshot().dimensions)  # type: ignore[return-value]


def test_a_correct_receipt_is_left_alone() -> None:
    corrected, differences = correct_receipt(receipt(entry(items=[(12, 345)])), expected())  # type: ignore[arg-type]
    assert corrected is None
    assert differences == []


def test_wrong_account_and_missing_dimension_are_corrected_with_amounts() -> None:
    original = receipt(entry(account="3000"))
    corrected, differences = correct_receipt(original, expected())  # type: ignore[arg-type]
    assert corrected is not None
    fixed = corrected.transactions[1]
    assert fixed.account == "3010"
    assert [(v.dimension_id, v.item_id, v.value) for v in fixed.dimension_item_values or []] == [
        (12, 345, Decimal("-350.00"))
    ]
    assert corrected.transactions[0] == original.transactions[0]
    assert corrected.version == original.version
    assert fixed.model_dump()["extra_field"] == "kept"
    assert "row 1: account 3000 instead of 3010" in differences
    assert original.transactions[1].account == "3000"  # the input is not changed


def test_a_receipt_with_other_rows_cannot_be_matched() -> None:
    with pytest.raises(CodingMismatch):
        correct_receipt(receipt(entry(), entry()), expected())  # type: ignore[arg-type]
