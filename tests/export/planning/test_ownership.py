"""Whether an invoice found in Procountor is ours (pure: plan and remote invoice in, verdict out)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from factories import EXPORT, OFFICE, invoice, snapshot  # type: ignore[import-not-found]

from procountor_export.export.planning import ownership
from procountor_export.export.planning.plan import plan_run
from procountor_export.procountor.models import (
    CounterParty,
    Invoice,
    InvoiceSumInfo,
    PaymentInfo,
)

PLAN = plan_run([invoice()], EXPORT, snapshot(), OFFICE).invoices[0]
GROSS = PLAN.invoice.total_gross


def remote(**changes: object) -> Invoice:
    values: dict[str, object] = {
        "id": 77,
        "invoice_number": 1501,
        "partner_id": 9,
        "type": "SALES_INVOICE",
        "date": date(2026, 3, 31),
        "counter_party": CounterParty(customer_number="20001"),
        "payment_info": PaymentInfo(currency="EUR"),
        "invoice_sum_info": [InvoiceSumInfo(currency="EUR", invoice_sum_total=GROSS)],
    }
    values.update(changes)
    return Invoice(**values)  # type: ignore[arg-type]


def test_the_same_invoice_is_ours() -> None:
    assert ownership.differences(PLAN, remote(), partner_id=None) == []


def test_a_cent_of_per_row_vat_rounding_still_matches() -> None:
    sums = [InvoiceSumInfo(currency="EUR", invoice_sum_total=GROSS + Decimal("0.01"))]
    assert ownership.differences(PLAN, remote(invoice_sum_info=sums), partner_id=None) == []


def test_each_difference_is_named() -> None:
    other = remote(
        counter_party=CounterParty(customer_number="29999"),
        date=date(2026, 3, 30),
        payment_info=PaymentInfo(currency="SEK"),
        invoice_sum_info=[InvoiceSumInfo(currency="SEK", invoice_sum_total=Decimal("-5"))],
    )
    found = ownership.differences(PLAN, other, partner_id=None)
    assert found == [
        "customer number 29999 (ours: 20001)",
        "it is a credit note",
        "date 2026-03-30 (ours: 2026-03-31)",
        "currency SEK (ours: EUR)",
        f"total -5 (ours: {GROSS})",
    ]


def test_without_a_customer_number_the_partner_decides() -> None:
    bare = remote(counter_party=CounterParty())
    assert ownership.differences(PLAN, bare, partner_id=9) == []
    assert ownership.differences(PLAN, bare, partner_id=8) != []
    assert ownership.differences(PLAN, bare, partner_id=None) != []


def test_the_journals_id_wins_and_a_stranger_is_named() -> None:
    stranger = remote(id=5, counter_party=CounterParty(customer_number="29999"))
    ours = remote(id=6, date=date(2026, 1, 1))  # would not match on content
    verdict = ownership.choose(PLAN, [stranger, ours], recorded_id=6, partner_id=None)
    assert verdict.invoice is ours
    verdict = ownership.choose(PLAN, [stranger], recorded_id=None, partner_id=None)
    assert verdict.invoice is None
    assert verdict.stranger is stranger
    assert verdict.reason == "customer number 29999 (ours: 20001)"
    matching = remote(id=7)
    assert (
        ownership.choose(PLAN, [stranger, matching], recorded_id=None, partner_id=None).invoice
        is matching
    )
