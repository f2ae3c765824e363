"""Customers before the invoices go, against the in-memory company: found by customer number
and reused, created once when missing, updated or reactivated only as the export's
``customer_updates`` allows, and never another company's partner overwritten."""

from __future__ import annotations

import pytest
from factories import EXPORT, customer
from sending.fake_client import Bench
from sending.fake_company import FakeCompany

from procountor_export.export import messages as m
from procountor_export.export.planning import payloads
from procountor_export.export.reading.data import CustomerData
from procountor_export.export.sending.customers import Created, PreparedCustomers
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.prepare import Preparer
from procountor_export.procountor.errors import (
    ApiErrorDetail,
    AuthenticationError,
    RejectedError,
)
from procountor_export.procountor.models import BusinessPartner, RegistryInfo
from procountor_export.store.db import Store
from procountor_export.store.models import CustomerUpdates

WRITES = ("partners.create", "partners.update")


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store, client=FakeCompany())


@pytest.fixture
def company(bench: Bench) -> FakeCompany:
    assert isinstance(bench.client, FakeCompany)
    return bench.client


def prepare(
    bench: Bench, *customers: CustomerData, policy: CustomerUpdates | None = None
) -> PreparedCustomers:
    """The customers prepared as a run prepares them (the export's policy, its threads)."""
    if policy is not None:
        bench.with_export(customer_updates=policy)
    return Preparer(bench.ctx, {}).ensure_customers(customers)


def in_procountor(company: FakeCompany, data: CustomerData, **changes: object) -> BusinessPartner:
    """The partner as an earlier run made it for ``data``, with ``changes``."""
    return company.partners.add(payloads.partner(data, "EUR").model_copy(update=changes))


def test_a_customer_found_by_number_is_reused_and_not_written(
    bench: Bench, company: FakeCompany
) -> None:
    acme = customer()
    partner = in_procountor(company, acme)

    result = prepare(bench, acme)

    assert result.ids == {"20001": partner.id}
    assert company.called("partners.search") == [("20001", True)]
    assert [call for call, _ in company.log if call in WRITES] == []
    assert result.created == {}
    assert bench.ctx.cache.partners == {"20001": partner.id}  # the invoices find it


def test_a_missing_customer_is_created_once_however_many_invoices_share_it(
    bench: Bench, company: FakeCompany
) -> None:
    acme = customer()

    result = prepare(bench, acme, acme, acme)

    assert company.called("partners.create") == ["20001"]
    [partner] = company.partners.stored.values()
    assert result.ids == {"20001": partner.id}
    assert result.created == {Created.CUSTOMERS: 1}
    # Searched among active and inactive partners before it was created.
    assert company.called("partners.search") == [("20001", True), ("20001", False)]


def test_a_changed_customer_is_updated_keeping_what_a_person_keyed_in(
    bench: Bench, company: FakeCompany
) -> None:
    acme = customer()
    partner = in_procountor(
        company, acme, name="Acme Old Name", registry_info=RegistryInfo(phone="040 123")
    )

    result = prepare(bench, acme)

    assert company.called("partners.update") == [partner.id]
    assert partner.id is not None
    updated = company.partners.stored[partner.id]
    assert updated.name == "Acme Oy"
    assert updated.registry_info is not None
    assert updated.registry_info.phone == "040 123"
    assert result.created == {Created.CUSTOMERS_UPDATED: 1}
    assert result.ids == {"20001": partner.id}


def test_an_inactive_customer_is_reactivated(bench: Bench, company: FakeCompany) -> None:
    acme = customer()
    partner = in_procountor(company, acme, registry_info=RegistryInfo(active=False))

    result = prepare(bench, acme)

    assert partner.id is not None
    assert company.called("partners.create") == []
    assert company.called("partners.update") == [partner.id]
    registry = company.partners.stored[partner.id].registry_info
    assert registry is not None
    assert registry.active is True
    assert result.created == {Created.CUSTOMERS_REACTIVATED: 1}


def test_create_only_uses_a_changed_customer_as_it_is(bench: Bench, company: FakeCompany) -> None:
    acme = customer()
    partner = in_procountor(company, acme, name="Acme Old Name")

    result = prepare(
        bench, acme, customer(sales_ledger_no="20002"), policy=CustomerUpdates.CREATE_ONLY
    )

    assert company.called("partners.update") == []
    assert company.called("partners.create") == ["20002"]  # a missing one is still created
    assert result.ids["20001"] == partner.id
    assert partner.id is not None
    assert company.partners.stored[partner.id].name == "Acme Old Name"


def test_create_only_never_reactivates_and_says_so(bench: Bench, company: FakeCompany) -> None:
    acme = customer()
    in_procountor(company, acme, registry_info=RegistryInfo(active=False))

    result = prepare(bench, acme, policy=CustomerUpdates.CREATE_ONLY)

    assert [call for call, _ in company.log if call in WRITES] == []
    assert result.failed["20001"].code == m.CUSTOMER_INACTIVE_KEPT.code
    assert "20001" not in result.ids


def test_none_creates_no_customer_and_says_why(bench: Bench, company: FakeCompany) -> None:
    result = prepare(bench, customer(), policy=CustomerUpdates.NONE)

    assert company.called("partners.create") == []
    problem = result.failed["20001"]
    assert problem.code == m.CUSTOMER_CREATE.code
    assert f"the export {EXPORT.name} creates no customers" in (problem.detail or "")


def test_another_companys_partner_with_our_number_is_never_overwritten(
    bench: Bench, company: FakeCompany
) -> None:
    acme = customer()
    other = customer(name="Other Ab", corporate_id="1234567-8")
    stranger = in_procountor(company, other)
    before = stranger.model_copy(deep=True)

    result = prepare(bench, acme)

    assert [call for call, _ in company.log if call in WRITES] == []
    assert stranger.id is not None
    assert company.partners.stored[stranger.id] == before
    problem = result.failed["20001"]
    assert problem.code == m.CUSTOMER_CREATE.code
    assert "different business ID (1234567-8)" in (problem.detail or "")


def test_a_refused_creation_fails_that_customer_only(bench: Bench, company: FakeCompany) -> None:
    company.partners.fail_create.append(
        RejectedError(
            "Bad Request",
            operation="POST /businesspartners",
            status=400,
            errors=[ApiErrorDetail(status=400, field="name", message="name is too long")],
        )
    )

    result = prepare(bench, customer(), customer(sales_ledger_no="20002", code="BETA"))

    assert set(result.failed) | set(result.ids) == {"20001", "20002"}
    [(number, problem)] = result.failed.items()
    assert problem.code == m.CUSTOMER_CREATE.code
    assert problem.detail == "name: name is too long"
    assert list(result.ids) == [n for n in ("20001", "20002") if n != number]


def test_a_remembered_partner_is_read_by_id_not_searched(
    bench: Bench, company: FakeCompany
) -> None:
    acme = customer()
    partner = in_procountor(company, acme)
    assert partner.id is not None
    bench.ctx.cache.add_partners({"20001": partner.id})

    result = prepare(bench, acme)

    assert company.called("partners.get") == [(partner.id,)]
    assert company.called("partners.search") == []
    assert result.ids == {"20001": partner.id}


def test_refused_credentials_stop_the_run(bench: Bench, company: FakeCompany) -> None:
    company.partners.fail_search.append(
        AuthenticationError("Unauthorized", operation="GET /businesspartners", status=401)
    )

    with pytest.raises(RunAborted) as stopped:
        prepare(bench, customer())

    assert stopped.value.problem.code == m.CREDENTIALS.code
    assert company.called("partners.create") == []
