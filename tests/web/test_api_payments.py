"""Where payments show, on SQLite and PostgreSQL, against the in-process emulator: after
invoices were exported and paid in full, in part, written off and a payment deleted, and a
payment sync, ``GET /api/v1/invoices/{number}``'s ``payment`` agrees with Procountor, the feed
``GET /api/v1/payments`` gives every live event once, oldest first, a page at a time, without
the deleted one and with nothing after its last cursor, the invoice page says "Paid", "Partly
paid"…, and a cursor the feed did not make is refused naming ``since``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient
from webrig import LOOPBACK, make_settings  # type: ignore[import-not-found]

from procountor_export.emulator import create_app as create_emulator
from procountor_export.payments.views import EventView, PaymentView
from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.web import create_app

TESTS = Path(__file__).parent.parent
sys.path.insert(0, str(TESTS / "integration"))
sys.path.insert(0, str(TESTS / "payments"))

from rig import Rig  # type: ignore[import-not-found]  # noqa: E402
from test_views import (  # type: ignore[import-not-found]  # noqa: E402
    agrees_with_procountor,
    exported,
    pay,
    sync,
)


@dataclass
class Site:
    """The emulator and an export between it and the store (the rig), and the web app over
    the same store with a TMS token."""

    rig: Rig
    web: TestClient
    auth: dict[str, str]

    def get(self, url: str, **params: Any) -> Any:
        answer = self.web.get(url, params=params or None, headers=self.auth)
        assert answer.status_code == 200, answer.text
        return answer


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Iterator[Site]:
    with TestClient(create_emulator(rate_limit=None), base_url="http://emulator") as http:
        rig = Rig(store, http.app, http, SecretBox(Fernet.generate_key()), [])
        with store.session() as session:
            token = access.create_token(session, "tms")
        app = create_app(make_settings(tmp_path), store=store, client_factory=rig.factory())
        try:
            with TestClient(app, base_url="http://127.0.0.1", client=LOOPBACK) as web:
                yield Site(rig, web, {"Authorization": f"Bearer {token}"})
        finally:
            app.state.web.jobs.close()


def as_view(payment: dict[str, Any]) -> PaymentView:
    """The API's payment object read back as the view it shows (amounts are exact text)."""
    return PaymentView(
        status=payment["status"],
        paid_amount=Decimal(payment["paid_amount"]),
        open_amount=None if payment["open_amount"] is None else Decimal(payment["open_amount"]),
        currency=payment["currency"],
        last_payment_date=_date(payment["last_payment_date"]),
        events=tuple(
            EventView(e["id"], Decimal(e["amount"]), e["currency"], _date(e["date"]), e["type"])
            for e in payment["events"]
        ),
    )


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def test_the_api_the_feed_and_the_page_agree_with_procountor(site: Site) -> None:
    rig = site.rig
    invoices = exported(rig, 5)
    full, part, loss, deleted, untouched = invoices
    url = {i: f"/api/v1/invoices/{quote(number, safe='')}" for i, number in invoices.items()}
    # Exported, never synced: the Procountor ids and reference are there, the payment null.
    before = site.get(url[full]).json()
    [export] = before["exports"]
    assert export["procountor_invoice_id"] == full
    assert export["procountor_invoice_number"] is not None
    assert export["bank_reference"]
    assert export["payment"] is None

    with rig.api() as client:
        totals = {
            i.id: i.invoice_sum_info[0].invoice_sum_total
            for i in client.invoices.get(list(invoices))
            if i.invoice_sum_info
        }
    pay(rig, full, totals[full], "2026-03-05")
    pay(rig, part, Decimal("100.00"), "2026-03-06")
    pay(rig, loss, Decimal("50.00"), "2026-03-01")
    pay(rig, loss, totals[loss] - Decimal("50.00"), "2026-04-30", type="CREDITLOSS")
    gone = pay(rig, deleted, Decimal("20.00"), "2026-03-02")
    kept = pay(rig, deleted, Decimal("30.00"), "2026-03-03")
    sync(rig)
    assert rig.http.delete(f"/_emulator/payments/{gone}").status_code in (200, 204)
    sync(rig)

    # Each invoice's payment object says what Procountor says.
    for invoice_id in invoices:
        [export] = site.get(url[invoice_id]).json()["exports"]
        assert export["procountor_invoice_id"] == invoice_id
        agrees_with_procountor(rig, invoice_id, as_view(export["payment"]))
    [export] = site.get(url[deleted]).json()["exports"]
    assert [event["id"] for event in export["payment"]["events"]] == [kept]
    [export] = site.get(url[loss]).json()["exports"]
    assert export["payment"]["status"] == "credit_loss"
    assert export["payment"]["open_amount"] == "0.00"
    assert export["payment"]["last_payment_date"] == "2026-04-30"
    assert sorted(event["type"] for event in export["payment"]["events"]) == [
        "CREDITLOSS",
        "REFERENCEPAYMENT",
    ]

    # The feed, 2 a page by the Link header: every live event once, oldest first.
    fed: list[dict[str, Any]] = []
    answer = site.get("/api/v1/payments", limit=2)
    pages = 1
    while "link" in answer.headers:
        fed += answer.json()["events"]
        following = answer.headers["link"].split(">")[0].lstrip("<")
        answer = site.get(following)
        pages += 1
    fed += answer.json()["events"]
    last = answer.json()["next"]
    assert pages == 3
    assert gone not in [event["id"] for event in fed]
    live = {kept}
    for invoice_id in (full, part, loss):
        with rig.api() as client:
            live |= {e.id for e in client.invoices.payment_events.list(invoice_id)}
    assert sorted(event["id"] for event in fed) == sorted(live)
    assert len(fed) == len(live) == 5
    by_id = {event["id"]: event for event in fed}
    assert by_id[kept]["invoice"] == invoices[deleted]
    assert by_id[kept]["procountor_invoice_id"] == deleted
    assert (by_id[kept]["amount"], by_id[kept]["date"]) == ("30.00", "2026-03-03")
    assert by_id[kept]["currency"] == "EUR"
    assert {event["invoice"] for event in fed} == {invoices[i] for i in (full, part, loss, deleted)}
    # The same read whole by the body's cursors gives the same events in the same order.
    whole = site.get("/api/v1/payments", limit=500).json()
    assert [event["id"] for event in whole["events"]] == [event["id"] for event in fed]
    assert whole["next"] == last
    # Nothing paid since: nothing more, and the same cursor to ask again later.
    assert site.get("/api/v1/payments", since=last).json() == {"events": [], "next": last}
    later = pay(rig, untouched, Decimal("5.00"), "2026-03-09")
    sync(rig)
    newer = site.get("/api/v1/payments", since=last).json()
    assert [event["id"] for event in newer["events"]] == [later]

    # The invoice page shows each export's payment in words, with amounts and dates.
    words = {
        full: "Paid",
        part: "Partly paid",
        loss: "Credit loss",
        deleted: "Partly paid",
        untouched: "Partly paid",
    }
    for invoice_id, word in words.items():
        page = site.web.get(f"/invoices/{quote(invoices[invoice_id], safe='')}")
        assert page.status_code == 200, page.text
        assert f">{word}</span>" in page.text
    page = site.web.get(f"/invoices/{quote(invoices[deleted], safe='')}").text
    assert "2026-03-03: 30.00 EUR" in page
    assert "2026-03-02" not in page  # the deleted payment
    page = site.web.get(f"/invoices/{quote(invoices[loss], safe='')}").text
    assert "(credit loss)" in page
    assert "(reference payment)" in page
    assert "0.00 EUR" in page  # nothing open


@pytest.mark.parametrize("since", ["nonsense", "c2VxOi0x", "x" * 101])
def test_a_cursor_the_feed_did_not_make_is_named(site: Site, since: str) -> None:
    answer = site.web.get("/api/v1/payments", params={"since": since}, headers=site.auth)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert [error["parameter"] for error in answer.json()["errors"]] == ["since"]


def test_the_feed_needs_a_token_and_known_parameters(site: Site) -> None:
    assert site.web.get("/api/v1/payments").status_code == 401
    answer = site.web.get("/api/v1/payments", params={"cursor": "x"}, headers=site.auth)
    assert answer.status_code == 422
    assert [error["parameter"] for error in answer.json()["errors"]] == ["cursor"]
    empty = site.get("/api/v1/payments").json()
    assert empty["events"] == []
    assert site.get("/api/v1/payments", since=empty["next"]).json() == empty
