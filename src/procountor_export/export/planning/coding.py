"""Account coding (pure): what an invoice's ledger receipt must say, and how to correct it.

With ``accountingByRow`` Procountor books one ENTRY per invoice row, taking the account and
default dimensions from the row's product. Whether it really applies the product's default
dimensions is not documented, so the export always compares the receipt with the TMS postings
and corrects accounts, VAT status and dimension values that differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from procountor_export.export.planning.plan import InvoicePlan
from procountor_export.export.reading.cache import DimensionInfo
from procountor_export.procountor.models import DimensionItemValue, LedgerReceipt, Transaction


class CodingMismatch(Exception):
    """The receipt cannot be matched with the invoice rows (so it cannot be corrected)."""


@dataclass(frozen=True)
class ExpectedEntry:
    """What one ENTRY transaction must carry: account, VAT status, dimension items."""

    account: str
    vat_status: int
    items: frozenset[tuple[int, int]]  # (dimension id, item id), each at 100 %


def expected_entries(
    plan: InvoicePlan, dimensions: dict[str, DimensionInfo]
) -> list[ExpectedEntry]:
    """The entries the invoice's receipt must have, in row order.

    Raises ``KeyError`` if a unit has no dimension item yet (execution creates them first).
    """
    entries = []
    for row in plan.rows:
        items = frozenset(
            (dimensions[centre].id, dimensions[centre].items[unit])
            for centre, unit in row.key.units
        )
        entries.append(ExpectedEntry(row.key.account, row.key.vat_status, items))
    return entries


def _entry_matches(transaction: Transaction, expected: ExpectedEntry) -> bool:
    if transaction.account != expected.account or transaction.vat_status != expected.vat_status:
        return False
    values = transaction.dimension_item_values or []
    if frozenset((v.dimension_id, v.item_id) for v in values) != expected.items:
        return False
    total = transaction.accounting_value or Decimal(0)
    per_dimension: dict[int, Decimal] = {}
    for value in values:
        per_dimension[value.dimension_id] = (
            per_dimension.get(value.dimension_id, Decimal(0)) + value.value
        )
    return all(amount == total for amount in per_dimension.values())


def correct_receipt(
    receipt: LedgerReceipt, expected: list[ExpectedEntry]
) -> tuple[LedgerReceipt | None, list[str]]:
    """The receipt with its ENTRY rows corrected, or ``None`` if it is right already.

    Also returns a readable list of what differed (for the journal). Only ENTRY rows are
    touched; the receivables row and anything else on the receipt is sent back unchanged.
    """
    entries = [t for t in receipt.transactions if t.transaction_type in (None, "ENTRY")]
    if len(entries) != len(expected):
        raise CodingMismatch(
            f"the ledger receipt has {len(entries)} entries for {len(expected)} invoice rows"
        )
    corrected = receipt.model_copy(deep=True)
    corrected_entries = [t for t in corrected.transactions if t.transaction_type in (None, "ENTRY")]
    differences: list[str] = []
    for position, (transaction, wanted) in enumerate(zip(corrected_entries, expected, strict=True)):
        if _entry_matches(transaction, wanted):
            continue
        if transaction.account != wanted.account:
            differences.append(
                f"row {position + 1}: account {transaction.account} instead of {wanted.account}"
            )
        if transaction.vat_status != wanted.vat_status:
            differences.append(
                f"row {position + 1}: VAT status {transaction.vat_status} "
                f"instead of {wanted.vat_status}"
            )
        current = frozenset(
            (v.dimension_id, v.item_id) for v in transaction.dimension_item_values or []
        )
        if current != wanted.items or not _entry_matches(transaction, wanted):
            differences.append(f"row {position + 1}: dimensions differ")
        transaction.account = wanted.account
        transaction.vat_status = wanted.vat_status
        value = transaction.accounting_value or Decimal(0)
        # Dimension values are amounts, not percentages: each item takes the whole value.
        transaction.dimension_item_values = [
            DimensionItemValue(dimension_id=dimension_id, item_id=item_id, value=value)
            for dimension_id, item_id in sorted(wanted.items)
        ]
    if not differences:
        return None, []
    return corrected, differences
