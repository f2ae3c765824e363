"""Planning: posting keys, product codes, rows, and what must be created."""

from __future__ import annotations

from decimal import Decimal

from factories import EXPORT, OFFICE, customer, invoice, posting, snapshot  # type: ignore[import-not-found]

from procountor_export.export.planning.plan import PostingKey, plan_invoice, plan_run
from procountor_export.export.reading.cache import ProductInfo


def key(**changes: object) -> PostingKey:
    values: dict[str, object] = {
        "account": "3010",
        "vat_code": "ALV25.5",
        "vat_percent": Decimal("25.5"),
        "vat_status": 1,
        "currency": "EUR",
        "units": (("Department", "HEL"),),
    }
    values.update(changes)
    return PostingKey(**values)  # type: ignore[arg-type]


def test_product_code_is_deterministic_short_and_differs_per_key() -> None:
    codes = {
        key().product_code,
        key(units=(("Department", "TKU"),)).product_code,
        key(currency="SEK").product_code,
        key(vat_code="ALV25.5B").product_code,
        key(vat_status=3).product_code,
        key(account="3020").product_code,
    }
    assert len(codes) == 6
    assert key().product_code == key().product_code
    assert key(vat_percent=Decimal("25.50")).product_code == key().product_code
    assert all(len(code) <= 40 for code in codes)
    long = key(account="123456789012", vat_percent=Decimal("13.5"), vat_status=123)
    assert len(long.product_code) <= 40


def test_product_name_is_readable_and_bounded() -> None:
    name = key().product_name("Kotimaan rahtimyynti")
    assert name == "3010 Kotimaan rahtimyynti / ALV25.5 25.5 % (vat_1) / Department HEL / EUR"
    assert len(key(units=tuple(("Centre", "U" * 60) for _ in range(3))).product_name()) <= 100


def test_postings_with_the_same_key_become_one_row() -> None:
    inv = invoice(
        posting(net="100.00"),
        posting(net="50.00"),
        posting("3030", net="20.00"),
        posting(net="5.00", units=(("Department", "TKU"),)),
    )
    plan = plan_invoice(inv, EXPORT, snapshot(), OFFICE)
    assert plan.ready
    assert [(row.key.account, row.net) for row in plan.rows] == [
        ("3010", Decimal("150.00")),
        ("3030", Decimal("20.00")),
        ("3010", Decimal("5.00")),
    ]


def test_a_credit_note_has_negative_rows() -> None:
    inv = invoice(posting(net="-350.00"), type="credit", credited_invoice="250001")
    plan = plan_invoice(inv, EXPORT, snapshot(), OFFICE)
    assert [row.net for row in plan.rows] == [Decimal("-350.00")]


def test_run_plan_lists_only_what_procountor_lacks() -> None:
    existing = key()
    snap = snapshot(
        products={existing.product_code: ProductInfo(9, existing.product_code, "3010", 1, None)},
        partners={"20001": 77},
    )
    inv1 = invoice(posting(), posting(units=(("Department", "OUL"),)))
    inv2 = invoice(
        posting(units=(("Department", "OUL"),)),
        id=2,
        number="250002",
        customer=customer(code="BETA", sales_ledger_no="20002"),
    )
    bad = invoice(posting("30X0"), id=3, number="250003")
    run = plan_run([inv1, inv2, bad], EXPORT, snap, OFFICE)
    assert [p.invoice.number for p in run.ready] == ["250001", "250002"]
    assert list(run.products_to_create) == [key(units=(("Department", "OUL"),)).product_code]
    assert run.items_to_create == [("Department", "OUL")]
    assert run.customers_to_create == ["20002"]
    assert run.customers_to_check == ["20001"]
