"""A run's master data kept between its parts: what a part keeps is what the next one takes,
once, on both store backends; a finished run leaves nothing behind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from procountor_export.export.reading.cache import (
    CompanyCache,
    DimensionInfo,
    ExistingInvoice,
    FiscalYearInfo,
    ProductInfo,
    TrackingPeriodInfo,
)
from procountor_export.export.reading.memo import RunMemory, StoredMemo, forget_run
from procountor_export.store.db import Store
from procountor_export.store.export_definitions import upsert_export_definition
from procountor_export.store.runs import Runs


def company() -> CompanyCache:
    cache = CompanyCache(
        company_currency="EUR",
        accounts={"3000": "Sales", "3010": "Sales, transport"},
        dimensions={
            "Profit centre": DimensionInfo(
                id=7,
                name="Profit centre",
                items={"HEL": 71, "TKU": 72},
                inactive=frozenset({"TKU"}),
            )
        },
        vat_percents=frozenset({Decimal("25.5"), Decimal("14"), Decimal("0")}),
        vat_statuses=frozenset({1, 6}),
        fiscal_years=(
            FiscalYearInfo(
                start=date(2026, 1, 1),
                end=date(2026, 12, 31),
                is_open=True,
                periods=(TrackingPeriodInfo(date(2026, 11, 1), date(2026, 11, 30), "OPEN"),),
            ),
        ),
        currencies=frozenset({"EUR", "SEK"}),
        bank_accounts=frozenset({"FI4250001510000023"}),
        default_iban="FI4250001510000023",
        product_group_id=5,
        products={
            "TR-3010": ProductInfo(
                id=11,
                code="TR-3010",
                default_account="3010",
                vat_status=1,
                vat_percent=Decimal("25.5"),
            )
        },
    )
    cache.add_partners({"C1": 101})
    cache.add_existing("INV-1", [ExistingInvoice(id=9, status="UNFINISHED")])
    return cache


def test_a_stored_copy_is_taken_once_with_all_its_master_data(store: Store) -> None:
    run_id = Runs(store).start({"all": True}, "test")
    with store.session() as session:
        export, _ = upsert_export_definition(session, name="Company")
        export_id = export.id
    memo = StoredMemo(store, run_id)
    assert memo.take(export_id) is None  # the first part reads Procountor
    kept = company()
    memo.keep(export_id, kept)
    taken = memo.take(export_id)
    assert taken is not None
    # The master data comes back whole; partners and invoices found are each part's own.
    expected = company()
    expected.begin_part({})
    assert taken == expected
    assert memo.take(export_id) is None  # taken: no other part can use it meanwhile
    memo.keep(export_id, kept)
    forget_run(store, run_id)
    assert memo.take(export_id) is None


def test_a_copy_in_memory_is_taken_once() -> None:
    memo = RunMemory()
    kept = company()
    memo.keep(3, kept)
    assert memo.take(4) is None
    assert memo.take(3) is kept
    assert memo.take(3) is None


def test_a_kept_copy_begins_the_next_part_with_its_own_invoices() -> None:
    cache = company()
    found = {"INV-2": [ExistingInvoice(id=12, status="SENT")]}
    cache.begin_part(found)
    assert cache.existing_invoices == found
    assert cache.partners == {}
    assert cache.products["TR-3010"].id == 11


def test_a_stored_copy_is_the_company_s_whichever_definition_kept_it(store: Store) -> None:
    """Two definitions on one Procountor company share one copy: what one kept, the other
    takes; keeping replaces the company's earlier copy; other companies keep their own."""
    run_id = Runs(store).start({"all": True}, "test")
    with store.session() as session:
        ids = [upsert_export_definition(session, name=name)[0].id for name in "ABC"]
    first, second, elsewhere = ids
    memo = StoredMemo(store, run_id)
    memo.keep(first, company(), "company-1")
    other = company()
    other.products.clear()
    memo.keep(elsewhere, other, "company-2")
    taken = memo.take(second, "company-1")  # kept by the first definition
    assert taken is not None
    assert taken.products["TR-3010"].id == 11
    assert memo.take(first, "company-1") is None  # taken: no other part can use it meanwhile
    newer = company()
    newer.set_product_group(6)
    memo.keep(second, newer, "company-1")
    memo.keep(first, company(), "company-1")  # replaces the second definition's copy
    taken = memo.take(second, "company-1")
    assert taken is not None
    assert taken.product_group_id == 5
    assert memo.take(first, "company-1") is None
    kept_elsewhere = memo.take(first, "company-2")
    assert kept_elsewhere is not None
    assert kept_elsewhere.products == {}


def test_a_copy_in_memory_is_the_company_s() -> None:
    memo = RunMemory()
    kept = company()
    memo.keep(3, kept, "company-1")
    assert memo.take(3) is None  # kept under the company's name, not the definition's
    assert memo.take(4, "company-1") is kept
    assert memo.take(3, "company-1") is None


def test_a_master_copy_shares_nothing_a_part_changes() -> None:
    cache = company()
    copy = cache.master_copy()
    assert copy.partners == {}
    assert copy.existing_invoices == {}
    copy.add_dimension_item("Profit centre", "TRE", 73)
    copy.add_product(ProductInfo(12, "TR-3020", "3020", 1, Decimal("25.5")))
    copy.begin_part({})
    assert "TRE" not in cache.dimensions["Profit centre"].items
    assert "TR-3020" not in cache.products
    assert cache.partners == {"C1": 101}
    assert "INV-1" in cache.existing_invoices
    assert copy.accounts == cache.accounts
    assert copy.fiscal_years == cache.fiscal_years
