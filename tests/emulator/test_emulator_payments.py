"""Payments in the emulator: booked through the admin API, they change the invoice as
Procountor does (status, paymentDate, version) and are read back through the API's two
payment-event lists; ``GET /invoices`` finds the changed invoices by version."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from procountor_export.apispec.conformance import violations
from procountor_export.emulator import create_app
from procountor_export.emulator.testing import api_client, error_pairs, sample_invoice

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC).timestamp()
# sample_invoice(): one row of 755.00 at 25.5 % VAT → 947.53 in all.
TOTAL = Decimal("947.53")


class Clock:
    """A clock the test moves: versions are whole-second timestamps of it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 10) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def api(clock: Clock) -> Iterator[TestClient]:
    with api_client(create_app(rate_limit=None, clock=clock)) as client:
        yield client


def admin(api: TestClient, method: str, path: str, **kw: Any) -> Any:
    """A call to the admin API (outside the API root, no token needed)."""
    return api.request(method, f"http://emulator/_emulator/{path}", **kw)


def approved_invoice(api: TestClient, number: str, *, send: bool = True) -> int:
    created = api.post("invoices", json=sample_invoice(originalInvoiceNumber=number))
    assert created.status_code == 200, created.text
    invoice_id = int(created.json()["id"])
    assert api.put(f"invoices/{invoice_id}/approve").status_code == 200
    if send:
        assert api.put(f"invoices/{invoice_id}/send").status_code == 200
    return invoice_id


def pay(api: TestClient, invoice_id: int, amount: str, day: str, **extra: Any) -> Any:
    body = {"invoiceId": invoice_id, "amount": float(amount), "paymentDate": day, **extra}
    return admin(api, "POST", "payments", json=body)


def invoice(api: TestClient, invoice_id: int) -> dict[str, Any]:
    response = api.get(f"invoices/{invoice_id}")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    assert violations("Invoice", found) == []
    return found


def events(api: TestClient, invoice_id: int) -> list[dict[str, Any]]:
    response = api.get(f"invoices/{invoice_id}/paymentevents", params={"orderById": "ASC"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert violations("PaymentEventSearchResult", body) == []
    results: list[dict[str, Any]] = body["results"]
    return results


def test_paying_in_part_then_in_full(api: TestClient, clock: Clock) -> None:
    invoice_id = approved_invoice(api, "TMS-1")
    before = invoice(api, invoice_id)
    assert before["status"] == "SENT"
    assert "paymentDate" not in before

    clock.tick()
    response = pay(api, invoice_id, "400.00", "2026-03-01")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert violations("PaymentEvent", answer["paymentEvent"]) == []
    partly = invoice(api, invoice_id)
    assert (partly["status"], partly["paymentDate"]) == ("PARTLY_PAID", "2026-03-01")
    assert partly["version"] > before["version"]
    assert answer["invoice"] == {
        "id": invoice_id,
        "status": "PARTLY_PAID",
        "paymentDate": "2026-03-01",
        "version": partly["version"],
    }

    clock.tick()
    assert pay(api, invoice_id, str(TOTAL - 400), "2026-03-05").status_code == 200
    paid = invoice(api, invoice_id)
    assert (paid["status"], paid["paymentDate"]) == ("PAID", "2026-03-05")
    assert paid["version"] > partly["version"]

    listed = events(api, invoice_id)
    assert [(e["amount"], e["paymentDate"], e["type"]) for e in listed] == [
        (400, "2026-03-01", "REFERENCEPAYMENT"),
        (float(TOTAL - 400), "2026-03-05", "REFERENCEPAYMENT"),
    ]
    first = listed[0]
    assert first["invoiceId"] == invoice_id
    assert (first["currency"], first["paidAmount"], first["paidCurrency"]) == ("EUR", 400, "EUR")
    assert first["status"] == "PAID"
    # Nothing is open any more: a further payment is refused, the invoice unchanged.
    refused = pay(api, invoice_id, "0.01", "2026-03-06")
    assert refused.status_code == 409
    assert invoice(api, invoice_id)["version"] == paid["version"]


def test_a_payment_above_the_open_amount_is_refused(api: TestClient) -> None:
    invoice_id = approved_invoice(api, "TMS-2")
    assert pay(api, invoice_id, "900.00", "2026-03-01").status_code == 200
    refused = pay(api, invoice_id, "47.54", "2026-03-02")
    assert refused.status_code == 400
    assert error_pairs(refused) == [("amount", "amount 47.54 is more than the open amount 47.53")]
    assert invoice(api, invoice_id)["status"] == "PARTLY_PAID"


def test_a_credit_loss_writes_off_the_rest(api: TestClient, clock: Clock) -> None:
    invoice_id = approved_invoice(api, "TMS-3")
    assert pay(api, invoice_id, "500.00", "2026-03-01").status_code == 200
    clock.tick()
    loss = pay(api, invoice_id, "447.53", "2026-04-30", type="CREDITLOSS", description="Bankrupt")
    assert loss.status_code == 200, loss.text
    settled = invoice(api, invoice_id)
    assert (settled["status"], settled["paymentDate"]) == ("PAID", "2026-04-30")
    assert [(e["type"], e.get("description")) for e in events(api, invoice_id)] == [
        ("REFERENCEPAYMENT", None),
        ("CREDITLOSS", "Bankrupt"),
    ]


def test_deleting_events_sets_the_invoice_back(api: TestClient, clock: Clock) -> None:
    invoice_id = approved_invoice(api, "TMS-4")
    first = pay(api, invoice_id, "47.53", "2026-03-01").json()["paymentEvent"]["id"]
    second = pay(api, invoice_id, "900.00", "2026-03-09").json()["paymentEvent"]["id"]
    paid = invoice(api, invoice_id)
    assert paid["status"] == "PAID"

    clock.tick()
    deleted = admin(api, "DELETE", f"payments/{second}")
    assert deleted.status_code == 200, deleted.text
    partly = invoice(api, invoice_id)
    assert (partly["status"], partly["paymentDate"]) == ("PARTLY_PAID", "2026-03-01")
    assert partly["version"] > paid["version"]
    assert [e["id"] for e in events(api, invoice_id)] == [first]

    clock.tick()
    assert admin(api, "DELETE", f"payments/{first}").status_code == 200
    unpaid = invoice(api, invoice_id)
    assert unpaid["status"] == "SENT"  # what it was before its first payment
    assert "paymentDate" not in unpaid
    assert unpaid["version"] > partly["version"]
    assert events(api, invoice_id) == []
    gone = admin(api, "DELETE", f"payments/{first}")
    assert gone.status_code == 404
    assert error_pairs(gone) == [(None, "Payment event not found")]


def test_an_unsent_invoice_goes_back_to_not_sent(api: TestClient) -> None:
    invoice_id = approved_invoice(api, "TMS-5", send=False)
    event = pay(api, invoice_id, "947.53", "2026-03-01").json()["paymentEvent"]
    assert invoice(api, invoice_id)["status"] == "PAID"
    assert admin(api, "DELETE", f"payments/{event['id']}").status_code == 200
    assert invoice(api, invoice_id)["status"] == "NOT_SENT"


def test_events_of_many_invoices_in_one_listing(api: TestClient) -> None:
    a = approved_invoice(api, "TMS-6")
    b = approved_invoice(api, "TMS-7")
    c = approved_invoice(api, "TMS-8")
    for invoice_id, amount in ((a, "100.00"), (b, "200.00"), (a, "300.00"), (c, "1.00")):
        assert pay(api, invoice_id, amount, "2026-03-01").status_code == 200

    response = api.get("payments/paymentevents", params={"invoiceId": f"{a},{b},999999"})
    assert response.status_code == 200
    body = response.json()
    assert violations("PaymentSearchResult", body) == []
    assert sorted((e["invoiceId"], e["amount"]) for e in body["results"]) == [
        (a, 100),
        (a, 300),
        (b, 200),
    ]
    # No type or currency here: the spec's BasicPaymentTransactionData has neither.
    assert all("type" not in e and "currency" not in e for e in body["results"])

    # Repeated keys mean the same; pages of the spec's envelope, keyset paging as elsewhere.
    query = [("invoiceId", str(a)), ("invoiceId", str(b)), ("invoiceId", str(c))]
    page = api.get("payments/paymentevents", params=[*query, ("size", "2"), ("page", "1")])
    assert page.json()["meta"] == {
        "pageNumber": 1,
        "pageSize": 2,
        "resultCount": 2,
        "totalCount": 4,
    }
    first = api.get("payments/paymentevents", params=[*query, ("orderById", "ASC")]).json()
    ids = [e["id"] for e in first["results"]]
    after = api.get(
        "payments/paymentevents",
        params=[*query, ("orderById", "ASC"), ("previousId", str(ids[1]))],
    ).json()
    assert [e["id"] for e in after["results"]] == ids[2:]


def test_payment_listings_refuse_what_the_spec_refuses(api: TestClient) -> None:
    missing = api.get("payments/paymentevents")
    assert missing.status_code == 400
    assert error_pairs(missing) == [("invoiceId", "Value of the 'invoiceId' cannot be blank.")]
    bad = api.get("payments/paymentevents", params={"invoiceId": "12,abc"})
    assert bad.status_code == 400
    assert error_pairs(bad) == [("invoiceId", "Invalid value 'abc' of 'invoiceId'")]
    unknown = api.get("invoices/999999/paymentevents")
    assert unknown.status_code == 404
    assert error_pairs(unknown) == [(None, "Invoice not found")]
    assert api.get("payments/paymentevents", params={"invoiceId": "999999"}).json() == {
        "results": [],
        "meta": {"pageNumber": 0, "pageSize": 50, "resultCount": 0, "totalCount": 0},
    }
    tokenless = TestClient(api.app, base_url="http://emulator")
    assert tokenless.get("/api/payments/paymentevents?invoiceId=1").status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "pairs"),
    [
        ({"amount": 10}, 400, [("invoiceId", "Value of the 'invoiceId' cannot be blank.")]),
        ({"invoiceId": 999999, "amount": 10}, 404, [("invoiceId", "Invoice not found")]),
        ({"amount": 0}, 400, [("amount", "Value of 'amount' must be more than 0")]),
        ({"amount": -5}, 400, [("amount", "Value of 'amount' must be more than 0")]),
        ({"amount": 1.005}, 400, [("amount", "Value of 'amount' has more than 2 decimals")]),
        ({"amount": 10, "type": "GIFT"}, 400, [("type", "Invalid value 'GIFT' of 'type'")]),
        (
            {"amount": 10, "paymentDate": "1.3.2026"},
            400,
            [("paymentDate", "Invalid value of 'paymentDate': expected a date YYYY-MM-DD")],
        ),
        ({"amount": 10, "apiKey": "nobody"}, 404, [("apiKey", "No company has this apiKey")]),
    ],
)
def test_nonsense_payments_are_refused(
    api: TestClient, body: dict[str, Any], status: int, pairs: list[tuple[str, str]]
) -> None:
    invoice_id = approved_invoice(api, "TMS-9")
    if "invoiceId" not in body and body != {"amount": 10}:
        body = {"invoiceId": invoice_id, **body}
    response = admin(api, "POST", "payments", json=body)
    assert response.status_code == status
    assert error_pairs(response) == pairs
    assert events(api, invoice_id) == []
    assert invoice(api, invoice_id)["status"] == "SENT"


def test_only_an_approved_invoice_can_be_paid(api: TestClient) -> None:
    draft = api.post("invoices", json=sample_invoice()).json()["id"]
    refused = pay(api, draft, "10.00", "2026-03-01")
    assert refused.status_code == 409
    [(field, message)] = error_pairs(refused)
    assert field == "invoiceId"
    assert message.startswith(f"Invoice {draft} is UNFINISHED")

    invalidated = approved_invoice(api, "TMS-10")
    assert api.put(f"invoices/{invalidated}/invalidate").status_code == 200
    assert pay(api, invalidated, "10.00", "2026-03-01").status_code == 409


def test_an_invoice_with_payments_cannot_be_invalidated(api: TestClient) -> None:
    invoice_id = approved_invoice(api, "TMS-11")
    event = pay(api, invoice_id, "10.00", "2026-03-01").json()["paymentEvent"]
    refused = api.put(f"invoices/{invoice_id}/invalidate")
    assert refused.status_code == 403
    assert invoice(api, invoice_id)["status"] == "PARTLY_PAID"
    assert admin(api, "DELETE", f"payments/{event['id']}").status_code == 200
    assert api.put(f"invoices/{invoice_id}/invalidate").status_code == 200


def test_the_version_filter_finds_exactly_the_changed_invoices_in_order(
    api: TestClient, clock: Clock
) -> None:
    first, second, third = (approved_invoice(api, f"TMS-2{n}") for n in range(3))
    clock.tick()
    mark = datetime.fromtimestamp(clock.now, UTC)
    clock.tick()
    assert pay(api, second, "10.00", "2026-03-01").status_code == 200
    clock.tick()
    assert pay(api, first, "10.00", "2026-03-01").status_code == 200
    clock.tick()
    assert pay(api, second, "10.00", "2026-03-02").status_code == 200

    def found(**params: str) -> list[int]:
        response = api.get("invoices", params={"types": "SALES_INVOICE", **params})
        assert response.status_code == 200, response.text
        assert violations("InvoiceSearchResult", response.json()) == []
        return [hit["id"] for hit in response.json()["results"]]

    since = mark.strftime("%Y-%m-%dT%H:%M:%S")
    # ``second`` changed last, so it sorts after ``first`` by version (and before it by id).
    assert found(versionStartDate=since, orderByVersion="ASC") == [first, second]
    assert found(versionStartDate=since, orderByVersion="DESC") == [second, first]
    assert third not in found(versionStartDate=since)
    # The same moment with a zone, and an upper bound that leaves the last change out.
    assert found(versionStartDate=mark.isoformat(), orderByVersion="ASC") == [first, second]
    between = datetime.fromtimestamp(clock.now - 5, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert found(versionStartDate=since, versionEndDate=between) == [first]
    # Inclusive: the latest version itself is found again.
    latest = invoice(api, second)["version"]
    assert found(versionStartDate=latest) == [second]


def test_version_parameters_are_checked(api: TestClient) -> None:
    for name, value in (
        ("versionStartDate", "yesterday"),
        ("versionEndDate", "2026-13-01T00:00:00"),
        ("orderByVersion", "SIDEWAYS"),
    ):
        response = api.get("invoices", params={name: value})
        assert response.status_code == 400
        assert error_pairs(response) == [(name, f"Invalid value '{value}' of '{name}'")]


def test_the_search_pages_by_version_with_at_most_200_a_page(api: TestClient, clock: Clock) -> None:
    ids = []
    for n in range(5):
        clock.tick()
        ids.append(approved_invoice(api, f"TMS-3{n}"))
    pages = [
        api.get("invoices", params={"orderByVersion": "ASC", "size": "2", "page": str(page)}).json()
        for page in range(3)
    ]
    assert [[hit["id"] for hit in page["results"]] for page in pages] == [
        ids[0:2],
        ids[2:4],
        ids[4:5],
    ]
    capped = api.get("invoices", params={"size": "500"}).json()
    assert capped["meta"]["pageSize"] == 200


def test_payments_survive_a_restart_through_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with api_client(create_app(rate_limit=None, state_file=state)) as api:
        invoice_id = approved_invoice(api, "TMS-40")
        assert pay(api, invoice_id, "40.00", "2026-03-01").status_code == 200
    with api_client(create_app(rate_limit=None, state_file=state)) as api:
        assert invoice(api, invoice_id)["status"] == "PARTLY_PAID"
        assert [e["amount"] for e in events(api, invoice_id)] == [40]
        # The sequence went on too: the next event gets a new id.
        event = pay(api, invoice_id, "1.00", "2026-03-02").json()["paymentEvent"]
        assert event["id"] != events(api, invoice_id)[0]["id"]
