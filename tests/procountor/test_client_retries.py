"""When the client retries, when it must not, and how long it waits (stamina)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from procountor_export.procountor import (
    Invoice,
    InvoiceRow,
    OutcomeUnknown,
    ProcountorClient,
    Product,
    RejectedError,
    RetryableError,
)

SECRET = "s3cret-client-secret"
API_KEY = "k3y-api-key-value"


def _invoice() -> Invoice:
    return Invoice(
        original_invoice_number="TMS-1",
        invoice_rows=[
            InvoiceRow(product="Freight", quantity=Decimal(1), unit_price=Decimal("755.00"))
        ],
    )


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_is_retried_on_429_and_5xx(client: ProcountorClient, fake: Any, status: int) -> None:
    fake.add(fake.json({}, status), fake.json({"name": "Kuljetus Demo Oy"}))
    assert client.company.get().name == "Kuljetus Demo Oy"
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    "error",
    [httpx2.ReadTimeout("slow"), httpx2.ConnectError("refused"), httpx2.RemoteProtocolError("x")],
)
def test_get_is_retried_on_timeouts_and_connection_errors(
    client: ProcountorClient, fake: Any, error: Exception
) -> None:
    fake.add(error, fake.json({"companyId": 1}))
    assert client.session.get().company_id == 1
    assert len(fake.requests) == 2


def test_retries_stop_after_the_attempt_cap(client: ProcountorClient, fake: Any) -> None:
    fake.add(*[fake.json({}, 503) for _ in range(5)])
    with pytest.raises(RetryableError) as caught:
        client.company.get()
    assert caught.value.status == 503
    assert caught.value.operation == "GET /company"
    assert len(fake.requests) == 3  # the test switch caps attempts at 3


def test_put_is_retried_on_5xx(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({}, 502), fake.json({"id": 5, "name": "P", "version": "v2"}))
    updated = client.products.update(Product(id=5, name="P", version="v1"))
    assert updated.version == "v2"
    assert [r.method for r in fake.requests] == ["PUT", "PUT"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_answered_5xx_is_not_retried_and_outcome_unknown(
    client: ProcountorClient, fake: Any, status: int
) -> None:
    fake.add(fake.json({}, status), fake.json({"id": 1}))
    with pytest.raises(OutcomeUnknown) as caught:
        client.invoices.create(_invoice())
    error = caught.value
    assert len(fake.requests) == 1
    assert error.status == status
    assert error.operation == "POST /invoices"
    assert error.request.method == "POST"
    assert error.request.url.endswith("/invoices")
    assert error.request.json_body["originalInvoiceNumber"] == "TMS-1"
    assert error.request.headers["authorization"] == "Bearer ***"


def test_post_timeout_is_outcome_unknown(client: ProcountorClient, fake: Any) -> None:
    fake.add(httpx2.ReadTimeout("slow"), fake.json({"id": 1}))
    with pytest.raises(OutcomeUnknown) as caught:
        client.invoices.create(_invoice())
    assert len(fake.requests) == 1
    assert caught.value.status is None
    assert "ReadTimeout" in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.dimensions.items.create(1, "OUL"),
        lambda c: c.products.groups.create("OpterGroup"),
        lambda c: c.partners.create(
            __import__("procountor_export.procountor").procountor.BusinessPartner(name="X")
        ),
        lambda c: c.products.create(
            __import__("procountor_export.procountor").procountor.Product(name="X")
        ),
        lambda c: c.attachments.create(
            __import__("procountor_export.procountor").procountor.AttachmentMeta(
                name="a.pdf", reference_id=1
            ),
            b"%PDF",
        ),
    ],
)
def test_every_create_is_outcome_unknown_on_5xx(
    client: ProcountorClient, fake: Any, call: Callable[[ProcountorClient], object]
) -> None:
    fake.add(fake.json({}, 500))
    with pytest.raises(OutcomeUnknown):
        call(client)
    assert len(fake.requests) == 1


def test_post_answered_429_is_retried(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({}, 429, **{"Retry-After": "1"}), fake.json({"id": 99, "invoiceNumber": 1}))
    created = client.invoices.create(_invoice())
    assert created.id == 99
    assert len(fake.requests) == 2


def test_post_with_a_connect_error_is_retried(client: ProcountorClient, fake: Any) -> None:
    fake.add(httpx2.ConnectError("refused"), fake.json({"id": 99}))
    assert client.invoices.create(_invoice()).id == 99
    assert len(fake.requests) == 2


@pytest.mark.parametrize("action", ["approve", "send"])
def test_invoice_actions_are_not_repeated_after_a_5xx(
    client: ProcountorClient, fake: Any, action: str
) -> None:
    fake.add(fake.json({}, 503), fake.json({"message": "ok"}))
    with pytest.raises(OutcomeUnknown):
        getattr(client.invoices, action)(12)
    assert len(fake.requests) == 1


@pytest.mark.parametrize("status", [400, 403, 404, 409])
def test_client_errors_are_never_retried(client: ProcountorClient, fake: Any, status: int) -> None:
    fake.add(fake.errors(status, ("x", "bad")), fake.json({}))
    with pytest.raises(RejectedError):
        client.company.get()
    assert len(fake.requests) == 1


def test_retry_after_seconds_is_honoured(
    client: ProcountorClient, fake: Any, sleeps: list[float]
) -> None:
    fake.add(fake.json({}, 429, **{"Retry-After": "7"}), fake.json({"name": "A"}))
    client.company.get()
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(
    client: ProcountorClient, fake: Any, sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    fake.add(fake.json({}, 503, **{"Retry-After": when}), fake.json({"name": "A"}))
    client.company.get()
    assert len(sleeps) == 1
    assert 17 <= sleeps[0] <= 20


def test_retry_after_beyond_the_time_budget_is_not_waited_for(
    client: ProcountorClient, fake: Any, sleeps: list[float]
) -> None:
    fake.add(fake.json({}, 429, **{"Retry-After": "3600"}), fake.json({"name": "A"}))
    with pytest.raises(RetryableError) as caught:
        client.company.get()
    assert caught.value.retry_after == 3600
    assert sleeps == []
    assert len(fake.requests) == 1


def test_backoff_without_retry_after_is_exponential_with_jitter(
    make_client: Callable[..., ProcountorClient], fake: Any, sleeps: list[float]
) -> None:
    client = make_client(retry_attempts=4)
    fake.add(*[fake.json({}, 503) for _ in range(3)], fake.json({"name": "A"}))
    client.company.get()
    assert len(sleeps) == 3
    # 0.5 s doubling, plus up to 1 s of jitter each time
    for index, slept in enumerate(sleeps):
        base = 0.5 * 2**index
        assert base <= slept <= base + 1.0


def test_retries_respect_the_attempt_setting(
    make_client: Callable[..., ProcountorClient], fake: Any, sleeps: list[float]
) -> None:
    client = make_client(retry_attempts=2)
    fake.add(*[fake.json({}, 503) for _ in range(5)])
    with pytest.raises(RetryableError):
        client.company.get()
    assert len(fake.requests) == 2


def test_token_service_failure_is_retried_even_for_a_post(
    client: ProcountorClient, fake: Any
) -> None:
    fake.token_status = 503
    with pytest.raises(RetryableError) as caught:
        client.invoices.create(_invoice())
    assert caught.value.operation == "POST /oauth/token"
    assert len(fake.token_requests) == 3
    assert fake.requests == []  # the invoice was never sent
