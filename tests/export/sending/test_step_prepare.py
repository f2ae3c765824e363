"""What must exist before invoices go, against the in-memory company: a missing posting product
or dimension item created once however many invoices need it, a present one never, and a
failed one failing only the invoices that need it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from factories import EXPORT, OFFICE, invoice, posting
from sending.fake_client import KEY, Bench
from sending.fake_company import FakeCompany

from procountor_export.export import messages as m
from procountor_export.export.planning.plan import RunPlan, plan_run
from procountor_export.export.reading.cache import ProductInfo
from procountor_export.export.reading.data import InvoiceData
from procountor_export.export.sending.creation import Creation
from procountor_export.export.sending.customers import Created
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.prepare import Prepared, Preparer
from procountor_export.procountor.errors import (
    ApiErrorDetail,
    PermissionDenied,
    RejectedError,
)
from procountor_export.store.db import Store
from procountor_export.store.models import JournalState

OUL = ("Department", "OUL")


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store, client=FakeCompany())


@pytest.fixture
def company(bench: Bench) -> FakeCompany:
    assert isinstance(bench.client, FakeCompany)
    return bench.client


def at(unit: str, number: int) -> InvoiceData:
    """A TMS invoice of one posting on account 3010 for ``unit``."""
    return invoice(posting(units=(("Department", unit),)), id=number, number=f"25{number:04d}")


def plan(bench: Bench, *invoices: InvoiceData) -> RunPlan:
    return plan_run(invoices, EXPORT, bench.ctx.cache, OFFICE)


def prepare(bench: Bench, run: RunPlan) -> Prepared:
    customers = [p.invoice.customer for p in run.ready]
    return Preparer(bench.ctx, {OUL: "Oulu"}).prepare(run, customers)


def test_a_missing_posting_product_is_created_once_for_every_invoice_that_needs_it(
    bench: Bench, company: FakeCompany
) -> None:
    run = plan(bench, at("HEL", 1), at("HEL", 2), at("HEL", 3))
    assert list(run.products_to_create) == [KEY.product_code]

    prepared = prepare(bench, run)

    assert company.called("products.groups.create") == [EXPORT.product_group]
    assert company.called("products.create") == [KEY.product_code]
    [product] = company.products.stored.values()
    assert (product.default_account, product.vat_status, product.vat) == (
        "3010",
        1,
        Decimal("25.5"),
    )
    assert product.id is not None
    [default] = company.products.default_dimensions.stored[product.id]
    assert [(default.id, item.id, item.percent) for item in default.items] == [(12, 345, 100)]
    assert prepared.product_ids[KEY.product_code] == product.id
    assert prepared.created[Created.PRODUCTS] == 1
    assert bench.ctx.cache.products[KEY.product_code].id == product.id


def test_a_posting_product_already_there_is_never_created(
    bench: Bench, company: FakeCompany
) -> None:
    bench.ctx.cache.set_product_group(61)
    bench.ctx.cache.add_product(ProductInfo(3001, KEY.product_code, "3010", 1, Decimal("25.5")))

    prepared = prepare(bench, plan(bench, at("HEL", 1), at("HEL", 2)))

    assert company.called("products.create") == []
    assert company.called("products.groups.create") == []
    assert company.called("dimensions.items.create") == []
    assert prepared.product_ids[KEY.product_code] == 3001
    assert prepared.created[Created.PRODUCTS] == 0


def test_a_new_unit_gets_its_dimension_item_once_and_its_product_uses_it(
    bench: Bench, company: FakeCompany
) -> None:
    run = plan(bench, at("OUL", 1), at("OUL", 2))
    assert run.items_to_create == [OUL]

    prepared = prepare(bench, run)

    assert company.called("dimensions.items.create") == ["OUL"]
    [department] = company.dimensions.stored
    [oulu] = [item for item in department.items if item.code_name == "OUL"]
    assert oulu.description == "Oulu"
    assert bench.ctx.cache.dimensions["Department"].items["OUL"] == oulu.id
    assert prepared.created[Created.ITEMS] == 1
    [product_id] = prepared.product_ids.values()
    [default] = company.products.default_dimensions.stored[product_id]
    assert [item.id for item in default.items] == [oulu.id]


def test_a_refused_dimension_item_fails_only_the_invoices_of_its_unit(
    bench: Bench, company: FakeCompany
) -> None:
    company.dimensions.items.fail_create.append(
        RejectedError(
            "Bad Request",
            operation="POST /dimensions/{id}/items",
            status=400,
            errors=[ApiErrorDetail(status=400, field="codeName", message="too long")],
        )
    )
    oulu, helsinki = bench.planned(), bench.planned()
    oulu_plan = plan(bench, at("OUL", oulu[0].invoice.id)).invoices[0]
    run = plan(bench, oulu_plan.invoice, at("HEL", helsinki[0].invoice.id))

    prepared = prepare(bench, run)

    assert OUL in prepared.failed_units
    # Only the HEL key's product is made: the OUL one could not carry its unit.
    assert len(company.called("products.create")) == 1
    entries = {oulu[0].invoice.id: oulu[1], helsinki[0].invoice.id: helsinki[1]}
    failed, sent = Creation(bench.ctx, bench.shared, prepared).chunk(run.ready, entries)
    assert failed.outcome.state is JournalState.FAILED
    assert failed.outcome.problems[0].detail == "codeName: too long"
    assert sent.alive
    assert company.called("invoices.create") == [sent.plan.invoice.number]


def test_a_refused_product_fails_its_invoices_not_the_run(
    bench: Bench, company: FakeCompany
) -> None:
    company.products.fail_create.append(
        RejectedError("Bad Request", operation="POST /products", status=400)
    )

    prepared = prepare(bench, plan(bench, at("HEL", 1)))

    assert KEY.product_code in prepared.failed_products
    assert KEY.product_code not in prepared.product_ids
    assert prepared.partner_ids  # the customers are still prepared


def test_a_product_group_that_cannot_be_created_stops_the_run(
    bench: Bench, company: FakeCompany
) -> None:
    company.products.groups.fail_create.append(
        RejectedError("Bad Request", operation="POST /products/groups", status=400)
    )

    with pytest.raises(RunAborted) as stopped:
        prepare(bench, plan(bench, at("HEL", 1)))

    assert stopped.value.problem.code == m.PRODUCT_GROUP.code
    assert company.called("products.create") == []


def test_missing_rights_stop_the_run(bench: Bench, company: FakeCompany) -> None:
    company.dimensions.items.fail_create.append(
        PermissionDenied("Forbidden", operation="POST /dimensions/{id}/items", status=403)
    )

    with pytest.raises(RunAborted) as stopped:
        prepare(bench, plan(bench, at("OUL", 1)))

    assert stopped.value.problem.code == m.API_CALL.code
    assert "lacks a right" in (stopped.value.problem.detail or "")
    assert company.called("products.create") == []
