"""The client reads payments back from the project's emulator, in process: payment events of
any number of invoices in batches of 200, one invoice's events with their type, and the
invoices changed since a version across pages."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx2
import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from procountor_export.apispec import load
from procountor_export.emulator import create_app
from procountor_export.emulator.testing import sample_invoice
from procountor_export.procountor import (
    Invoice,
    InvoiceStatus,
    NotFound,
    PaymentEvent,
    PaymentEventSummary,
    PaymentEventType,
    ProcountorClient,
)

TABLE = load()
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    """The emulator's clock, moved by the test: versions are whole seconds of it."""

    def __init__(self) -> None:
        self.now = START.timestamp()

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 1) -> None:
        self.now += seconds


class Recording(httpx2.BaseTransport):
    """Forwards to the in-process emulator and keeps every API request (not token calls)."""

    def __init__(self, inner: TestClient) -> None:
        self.inner = inner
        self.requests: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        if not request.url.path.endswith("/oauth/token"):
            self.requests.append(request)
        response = self.inner.request(
            request.method, str(request.url), headers=dict(request.headers), content=request.content
        )
        return httpx2.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    def of(self, path: str) -> list[dict[str, list[str]]]:
        """The query of every recorded request to ``path`` (below the API root), in order."""
        return [
            parse_qs(r.url.query.decode())
            for r in self.requests
            if r.url.path.removeprefix("/api") == path
        ]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator_app(clock: Clock) -> FastAPI:
    """The conftest's emulator, on a clock this test moves."""
    return create_app(rate_limit=None, clock=clock)


@pytest.fixture
def recording(emulator_http: TestClient) -> Recording:
    return Recording(emulator_http)


@pytest.fixture
def procountor(
    make_emulator_client: Callable[..., ProcountorClient], recording: Recording
) -> ProcountorClient:
    http = httpx2.Client(transport=recording, base_url="http://emulator")
    return make_emulator_client(http_client=http)


def approved_invoices(
    procountor: ProcountorClient, count: int, clock: Clock | None = None
) -> list[int]:
    """``count`` approved sales invoices (a second apart on ``clock``), their ids in order."""
    ids = []
    for n in range(count):
        if clock is not None:
            clock.tick()
        body = Invoice.model_validate(sample_invoice(originalInvoiceNumber=f"TMS-{n}"))
        created = procountor.invoices.create(body)
        assert created.id is not None
        procountor.invoices.approve(created.id)
        ids.append(created.id)
    return ids


def pay(http: TestClient, invoice_id: int, amount: str, **extra: Any) -> dict[str, Any]:
    """Book a payment through the emulator's admin API; the new payment event."""
    body = {"invoiceId": invoice_id, "amount": float(amount), "paymentDate": "2026-03-05"}
    response = http.post("/_emulator/payments", json={**body, **extra})
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()["paymentEvent"]
    return event


def test_events_of_more_than_200_invoices_are_read_in_batches_of_200(
    procountor: ProcountorClient, emulator_http: TestClient, recording: Recording
) -> None:
    ids = approved_invoices(procountor, 203)
    # 201 events in the first batch's invoices (two pages), two in the second batch's.
    booked = {pay(emulator_http, ids[n % 5], "1.00")["id"] for n in range(201)}
    booked |= {
        pay(emulator_http, ids[202], "900.00")["id"],
        pay(emulator_http, ids[202], "47.53", type="CREDITLOSS")["id"],
    }
    recording.requests.clear()

    # Any order, duplicates included: each invoice is asked for once.
    events = list(procountor.payments.list([*reversed(ids), *ids[:3]]))

    assert {event.id for event in events} == booked
    assert len(events) == len(booked)
    assert all(isinstance(event, PaymentEventSummary) for event in events)
    assert {event.amount for event in events if event.invoice_id == ids[0]} == {Decimal(1)}
    assert procountor.calls["GET /payments/paymentevents"] == 3
    queries = recording.of("/payments/paymentevents")
    assert [len(q["invoiceId"][0].split(",")) for q in queries] == [200, 200, 3]
    assert queries[0]["invoiceId"] == queries[1]["invoiceId"]  # the first batch's 2nd page
    assert queries[2]["invoiceId"] == [",".join(map(str, ids[200:]))]
    assert [q["previousId"] for q in queries][::2] == [["0"], ["0"]]
    # Only parameters the spec defines for the operation, within its page size.
    operation = TABLE.operation("GET", "/payments/paymentevents")
    assert all(set(q) <= set(operation.query) for q in queries)
    assert all(int(q["size"][0]) <= 200 for q in queries)


def test_an_invoices_events_carry_their_type(
    procountor: ProcountorClient, emulator_http: TestClient
) -> None:
    [invoice_id] = approved_invoices(procountor, 1)
    pay(emulator_http, invoice_id, "500.00")
    pay(emulator_http, invoice_id, "447.53", type="CREDITLOSS", description="Bankrupt")

    events = list(procountor.invoices.payment_events.list(invoice_id))

    assert [(e.type, e.amount, e.currency) for e in events] == [
        (PaymentEventType.REFERENCEPAYMENT, Decimal("500.00"), "EUR"),
        (PaymentEventType.CREDITLOSS, Decimal("447.53"), "EUR"),
    ]
    assert all(isinstance(e, PaymentEvent) and e.invoice_id == invoice_id for e in events)
    assert events[1].description == "Bankrupt"
    [invoice] = procountor.invoices.get([invoice_id])
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.payment_date == events[-1].payment_date
    with pytest.raises(NotFound):
        list(procountor.invoices.payment_events.list(999_999))


def test_changed_since_reads_every_page_and_skips_nothing_changed_meanwhile(
    procountor: ProcountorClient,
    emulator_http: TestClient,
    recording: Recording,
    clock: Clock,
) -> None:
    since = START.strftime("%Y-%m-%dT%H:%M:%S")
    ids = approved_invoices(procountor, 205, clock)
    recording.requests.clear()

    listing = procountor.invoices.search(changed_since=since)
    first_page = list(itertools.islice(listing, 200))
    assert [hit.id for hit in first_page] == ids[:200]  # oldest change first
    # An invoice already read is paid while the listing is read: it moves to the end of the
    # version order. Numbered pages would now skip ids[200]; paging by version does not.
    clock.tick(10)
    pay(emulator_http, ids[3], "100.00")
    rest = list(listing)

    assert [hit.id for hit in rest] == [*ids[200:], ids[3]]
    assert rest[-1].status == InvoiceStatus.PARTLY_PAID
    versions = [hit.version or "" for hit in [*first_page, *rest]]
    assert versions == sorted(versions)
    assert procountor.calls["GET /invoices"] == 2
    queries = recording.of("/invoices")
    assert all(q["orderByVersion"] == ["ASC"] and q["size"] == ["200"] for q in queries)
    assert all(q["types"] == ["SALES_INVOICE"] for q in queries)
    assert [q["versionStartDate"] for q in queries] == [[since], [first_page[-1].version]]
    operation = TABLE.operation("GET", "/invoices")
    assert all(set(q) <= set(operation.query) for q in queries)


def test_nothing_changed_costs_one_call(procountor: ProcountorClient, clock: Clock) -> None:
    ids = approved_invoices(procountor, 3, clock)
    [latest] = procountor.invoices.get([ids[-1]])
    assert latest.version is not None
    before = procountor.calls["GET /invoices"]

    # The bound is inclusive: the last change seen comes back once, nothing else.
    assert [hit.id for hit in procountor.invoices.search(changed_since=latest.version)] == [ids[-1]]
    later = datetime.fromtimestamp(clock.now + 60, UTC)
    assert list(procountor.invoices.search(changed_since=later)) == []
    assert procountor.calls["GET /invoices"] - before == 2


def test_the_payment_models_hold_only_spec_fields() -> None:
    for model, schema in (
        (PaymentEvent, "PaymentEvent"),
        (PaymentEventSummary, "BasicPaymentTransactionData"),
    ):
        aliases = {info.alias or name for name, info in model.model_fields.items()}
        assert aliases <= set(TABLE.fields(schema)), schema
    assert "paymentDate" in TABLE.fields("Invoice")
    assert Invoice.model_fields["payment_date"].alias == "paymentDate"
    assert tuple(PaymentEventType) == TABLE.fields("PaymentEvent")["type"].enum
