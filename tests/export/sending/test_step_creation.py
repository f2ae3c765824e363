"""Step 1, creation, against the in-memory client: posted once with INFLIGHT recorded first,
adopted when Procountor has it and it is provably ours, never touched when it is not, and a
refusal or a lost answer settled for that one invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import customer
from sending.fake_client import KEY, Bench

from procountor_export.export import messages as m
from procountor_export.export.planning.plan import InvoicePlan
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import ExistingInvoice
from procountor_export.export.sending.creation import Creation
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.prepare import Prepared
from procountor_export.export.sending.shared import Working
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.procountor.errors import (
    ApiErrorDetail,
    AuthenticationError,
    OutcomeUnknown,
    RejectedError,
    RetryableError,
    SentRequest,
)
from procountor_export.procountor.models import (
    CounterParty,
    Invoice,
    InvoiceSumInfo,
    PaymentInfo,
)
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView, Step
from procountor_export.store.models import JournalState

PARTNER = 77
PRODUCT = 3001
# Calls that change something in Procountor: none of them may reach an invoice not ours.
WRITES = ("invoices.create", "invoices.approve", "invoices.send", "ledger_receipts.update")


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store)


def prepared(**changes: object) -> Prepared:
    """What preparation left: the customer's partner and the posting product exist."""
    values: dict[str, object] = {
        "partner_ids": {"20001": PARTNER},
        "product_ids": {KEY.product_code: PRODUCT},
    }
    values.update(changes)
    return Prepared(**values)  # type: ignore[arg-type]


def create(
    bench: Bench, *plans: tuple[InvoicePlan, EntryView], ready: Prepared | None = None
) -> list[Working]:
    """Step 1 over ``plans`` as one chunk."""
    step = Creation(bench.ctx, bench.shared, ready or prepared())
    entries = {plan.invoice.id: entry for plan, entry in plans}
    return step.chunk([plan for plan, _ in plans], entries)


def in_procountor(bench: Bench, number: str, *, customer_number: str = "20001") -> Invoice:
    """An invoice already in Procountor carrying the TMS ``number`` (found by the run's
    search), for the bench's customer unless ``customer_number`` says otherwise."""
    invoice = Invoice(
        id=880,
        partner_id=PARTNER,
        status=InvoiceStatus.UNFINISHED,
        date=date(2026, 3, 31),
        invoice_number=1880,
        original_invoice_number=number,
        ledger_receipt_id=1880,
        counter_party=CounterParty(customer_number=customer_number),
        payment_info=PaymentInfo(currency="EUR"),
        invoice_sum_info=[
            InvoiceSumInfo(
                currency="EUR",
                excluding_vat_total=Decimal(350),
                vat_sum_total=Decimal("89.25"),
                invoice_sum_total=Decimal("439.25"),
            )
        ],
    )
    bench.client.invoices.add(invoice)
    bench.ctx.cache.add_existing(number, [ExistingInvoice(880, "UNFINISHED", 1880)])
    return invoice


def lost(operation: str = "POST /invoices") -> OutcomeUnknown:
    return OutcomeUnknown(
        "Service Unavailable",
        request=SentRequest("POST", "https://api.example/invoices"),
        operation=operation,
        status=503,
    )


def test_a_new_invoice_is_posted_once_after_inflight_and_its_ids_are_recorded(
    bench: Bench,
) -> None:
    plan, entry = bench.planned()
    seen_at_post: list[tuple[JournalState, str | None]] = []
    bench.client.invoices.on_create = lambda _: seen_at_post.append(
        (bench.row(entry).state, bench.row(entry).step)
    )

    [item] = create(bench, (plan, entry))

    assert seen_at_post == [(JournalState.INFLIGHT, Step.CREATE_INVOICE)]
    assert bench.client.called("invoices.create") == [plan.invoice.number]
    posted = item.remote
    assert posted is not None
    assert posted.id is not None
    assert posted.partner_id == PARTNER
    assert [row.product_id for row in posted.invoice_rows] == [PRODUCT]
    row = bench.row(entry)
    assert row.step == Step.CREATED
    assert (row.procountor_invoice_id, row.procountor_invoice_number) == (
        posted.id,
        posted.invoice_number,
    )
    assert (row.ledger_receipt_id, row.partner_id) == (posted.ledger_receipt_id, PARTNER)
    assert (item.outcome.procountor_invoice_id, item.outcome.adopted) == (posted.id, False)
    assert item.alive


def test_an_invoice_in_procountor_that_is_ours_is_adopted_not_posted(bench: Bench) -> None:
    plan, entry = bench.planned()
    ours = in_procountor(bench, plan.invoice.number)

    [item] = create(bench, (plan, entry))

    assert bench.client.called("invoices.create") == []
    assert item.outcome.adopted
    assert item.alive
    row = bench.row(entry)
    assert (row.step, row.procountor_invoice_id) == (Step.ADOPTED, ours.id)


def test_an_invoice_in_procountor_that_is_not_ours_fails_and_is_never_touched(
    bench: Bench,
) -> None:
    plan, entry = bench.planned()
    stranger = in_procountor(bench, plan.invoice.number, customer_number="99999")
    before = stranger.model_copy(deep=True)

    [item] = create(bench, (plan, entry))

    assert [call for call, _ in bench.client.log if call in WRITES] == []
    assert bench.client.invoices.stored[880] == before
    assert not item.alive
    [problem] = item.outcome.problems
    assert problem.code == m.INVOICE_NOT_OURS.code
    assert "customer number 99999 (ours: 20001)" in (problem.detail or "")
    row = bench.row(entry)
    assert row.state is JournalState.FAILED
    assert row.procountor_invoice_id is None  # not recorded as ours


def test_a_refused_post_fails_that_invoice_only_with_procountors_words(bench: Bench) -> None:
    refused, fine = bench.planned(), bench.planned()
    bench.client.invoices.fail_create.append(
        RejectedError(
            "Bad Request",
            operation="POST /invoices",
            status=400,
            errors=[ApiErrorDetail(status=400, field="date", message="date is not valid")],
        )
    )

    items = create(bench, refused, fine)

    failed, created = items
    assert not failed.alive
    [problem] = failed.outcome.problems
    assert problem.invoice == refused[0].invoice.number
    assert problem.detail == "date: date is not valid"
    assert bench.row(refused[1]).state is JournalState.FAILED
    assert created.alive
    assert bench.row(fine[1]).step == Step.CREATED


def test_a_date_in_a_closed_period_says_so(bench: Bench) -> None:
    plan, entry = bench.planned()
    bench.client.invoices.fail_create.append(
        RejectedError(
            "Bad Request",
            operation="POST /invoices",
            status=400,
            errors=[ApiErrorDetail(status=400, field="date", message="CLOSED_FISCAL_PERIOD")],
        )
    )

    [item] = create(bench, (plan, entry))

    [problem] = item.outcome.problems
    assert problem.code == m.PERIOD_CLOSED.code
    assert problem.args[0] == "2026-03-31"


def test_a_lost_answer_whose_post_happened_is_adopted_without_a_second_post(
    bench: Bench,
) -> None:
    plan, entry = bench.planned()
    bench.client.invoices.fail_create.append(lost())
    bench.client.invoices.created_anyway = True

    [item] = create(bench, (plan, entry))

    assert bench.client.called("invoices.create") == [plan.invoice.number]
    assert bench.client.called("invoices.search") == [plan.invoice.number]
    assert bench.client.retries["found"] == 1
    assert item.alive
    assert item.outcome.adopted
    assert len(bench.client.invoices.stored) == 1
    assert bench.row(entry).step == Step.ADOPTED


def test_a_lost_answer_whose_post_did_not_happen_is_sent_again_after_inflight_again(
    bench: Bench,
) -> None:
    plan, entry = bench.planned()
    bench.client.invoices.fail_create.append(lost())
    states: list[JournalState] = []
    bench.client.invoices.on_create = lambda _: states.append(bench.row(entry).state)

    [item] = create(bench, (plan, entry))

    assert bench.client.called("invoices.create") == [plan.invoice.number] * 2
    assert states == [JournalState.INFLIGHT, JournalState.INFLIGHT]
    assert bench.client.retries["resent"] == 1
    assert len(bench.client.invoices.stored) == 1
    assert item.alive
    assert not item.outcome.adopted
    assert bench.row(entry).step == Step.CREATED


def test_an_invoice_whose_customer_could_not_be_prepared_is_not_posted(bench: Bench) -> None:
    plan, entry = bench.planned()
    why = Problem.of(m.CUSTOMER_CREATE, "Acme Oy", "ACME", "20001", detail="refused")

    [item] = create(
        bench, (plan, entry), ready=prepared(partner_ids={}, failed_customers={"20001": why})
    )

    assert bench.client.called("invoices.create") == []
    [problem] = item.outcome.problems
    assert (problem.code, problem.invoice) == (m.CUSTOMER_CREATE.code, plan.invoice.number)
    assert bench.row(entry).state is JournalState.FAILED


def test_an_invoice_of_a_customer_without_a_partner_is_not_posted(bench: Bench) -> None:
    plan, entry = bench.planned(customer=customer(sales_ledger_no="20999"))

    [item] = create(bench, (plan, entry))

    assert bench.client.called("invoices.create") == []
    [problem] = item.outcome.problems
    assert problem.code == m.CUSTOMER_CREATE.code
    assert "20999" in problem.args


def test_refused_credentials_stop_the_run(bench: Bench) -> None:
    first, second = bench.planned(), bench.planned()
    bench.client.invoices.fail_create.append(
        AuthenticationError("Unauthorized", operation="POST /invoices", status=401)
    )

    with pytest.raises(RunAborted) as stopped:
        create(bench, first, second)

    assert stopped.value.problem.code == m.CREDENTIALS.code
    assert bench.client.called("invoices.create") == [first[0].invoice.number]
    assert bench.row(first[1]).state is JournalState.FAILED


def test_temporary_failures_in_a_row_stop_the_run_instead_of_failing_every_invoice(
    bench: Bench,
) -> None:
    plans = [bench.planned() for _ in range(5)]
    bench.client.invoices.fail_create.extend(
        RetryableError("Service Unavailable", operation="POST /invoices", status=503)
        for _ in range(5)
    )

    with pytest.raises(RunAborted):
        create(bench, *plans)

    # Three in a row (MAX_CONSECUTIVE_RETRYABLE) and the run stops: two are never tried.
    assert len(bench.client.called("invoices.create")) == 3
