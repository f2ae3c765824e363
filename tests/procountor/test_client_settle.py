"""Writes whose outcome is unknown, settled at once (``procountor.settle``): looked up after
each lost answer, sent again only when surely not done, a bounded number of times."""

from __future__ import annotations

from decimal import Decimal

import httpx2
import pytest

from procountor_export.procountor import (
    Invoice,
    InvoiceRow,
    NotFound,
    ProcountorClient,
    RejectedError,
    RetryableError,
)
from procountor_export.procountor.errors import Unsettled
from procountor_export.procountor.settle import settle


def _invoice() -> Invoice:
    return Invoice(
        original_invoice_number="TMS-1",
        invoice_rows=[InvoiceRow(product="Freight", quantity=Decimal(1), unit_price=Decimal(1))],
    )


class Finder:
    """A look-up answering from a script: found (a value), absent (None) or failing."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_an_answered_write_is_not_looked_up(client: ProcountorClient, fake: object) -> None:
    fake.add(fake.json({"id": 7}))  # type: ignore[attr-defined]
    find = Finder()
    settled = settle(client, lambda: client.invoices.create(_invoice()), find)
    assert settled.written is not None
    assert settled.written.id == 7
    assert (settled.found, settled.sent, find.calls) == (None, 1, 0)
    assert client.retries == {}


@pytest.mark.parametrize(
    "lost", [503, 500, httpx2.ReadTimeout("slow"), httpx2.RemoteProtocolError("cut")], ids=str
)
def test_a_lost_answer_found_done_is_taken_and_never_sent_again(
    client: ProcountorClient, fake: object, lost: object
) -> None:
    answer = fake.json({}, lost) if isinstance(lost, int) else lost  # type: ignore[attr-defined]
    fake.add(answer)  # type: ignore[attr-defined]
    find = Finder("the invoice")
    settled = settle(client, lambda: client.invoices.create(_invoice()), find)
    assert (settled.written, settled.found, settled.sent) == (None, "the invoice", 1)
    assert len(fake.requests) == 1  # type: ignore[attr-defined]
    assert client.retries == {"found": 1}


def test_a_lost_answer_not_found_is_sent_again(client: ProcountorClient, fake: object) -> None:
    fake.add(fake.json({}, 503), fake.json({"id": 8}))  # type: ignore[attr-defined]
    resent: list[int] = []
    settled = settle(
        client,
        lambda: client.invoices.create(_invoice()),
        Finder(None),
        before_resend=lambda: resent.append(1),
    )
    assert settled.written is not None
    assert settled.written.id == 8
    assert settled.sent == 2
    assert resent == [1]
    assert [r.method for r in fake.requests] == ["POST", "POST"]  # type: ignore[attr-defined]
    assert client.retries == {"resent": 1}


def test_sending_stops_when_the_attempts_are_spent(client: ProcountorClient, fake: object) -> None:
    fake.add(*[fake.json({}, 503) for _ in range(5)])  # type: ignore[attr-defined]
    find = Finder(None, None, None)
    with pytest.raises(Unsettled) as caught:
        settle(client, lambda: client.invoices.create(_invoice()), find)
    error = caught.value
    assert (error.status, error.operation, error.attempts) == (503, "POST /invoices", 3)
    assert error.lookup_error is None
    assert find.calls == 3  # after each lost answer, the last one included
    assert len(fake.requests) == 3  # type: ignore[attr-defined]  # the test switch: 3 attempts


def test_a_look_up_that_fails_stops_it_without_sending_again(
    client: ProcountorClient, fake: object
) -> None:
    fake.add(fake.json({}, 502), fake.json({"id": 9}))  # type: ignore[attr-defined]
    failing = RetryableError("server error 503", operation="GET /invoices", status=503)
    with pytest.raises(Unsettled) as caught:
        settle(client, lambda: client.invoices.create(_invoice()), Finder(failing))
    assert caught.value.lookup_error is failing
    assert caught.value.status == 502
    assert len(fake.requests) == 1  # type: ignore[attr-defined]  # never sent blind


def test_a_refusal_is_not_settled(client: ProcountorClient, fake: object) -> None:
    fake.add(fake.errors(400, ("invoiceRows", "bad")))  # type: ignore[attr-defined]
    find = Finder()
    with pytest.raises(RejectedError):
        settle(client, lambda: client.invoices.create(_invoice()), find)
    assert find.calls == 0


def test_retry_after_of_a_5xx_is_waited_before_the_look_up(
    client: ProcountorClient, fake: object, sleeps: list[float]
) -> None:
    fake.add(fake.json({}, 503, **{"Retry-After": "4"}), fake.json({"id": 3}))  # type: ignore[attr-defined]
    settled = settle(client, lambda: client.invoices.create(_invoice()), Finder(None))
    assert settled.sent == 2
    assert sleeps == [4.0]


def test_without_retry_after_the_look_up_waits_with_backoff(
    client: ProcountorClient, fake: object, sleeps: list[float]
) -> None:
    fake.add(*[fake.json({}, 503) for _ in range(2)], fake.json({"id": 3}))  # type: ignore[attr-defined]
    settle(client, lambda: client.invoices.create(_invoice()), Finder(None, None))
    assert len(sleeps) == 2
    for index, slept in enumerate(sleeps):
        assert 0.5 * 2**index <= slept <= 0.5 * 2**index + 1.0


def test_the_client_counts_its_retries_and_the_attempts_on_the_error(
    client: ProcountorClient, fake: object
) -> None:
    fake.add(fake.json({}, 503), fake.json({"name": "A"}))  # type: ignore[attr-defined]
    client.company.get()
    assert client.retries == {"retried": 1}
    fake.add(*[fake.json({}, 503) for _ in range(3)])  # type: ignore[attr-defined]
    with pytest.raises(RetryableError) as caught:
        client.company.get()
    assert caught.value.attempts == 3
    assert client.retries == {"retried": 3}
    fake.add(fake.json({}, 404))  # type: ignore[attr-defined]
    with pytest.raises(NotFound) as missing:
        client.company.get()
    assert missing.value.attempts == 1
