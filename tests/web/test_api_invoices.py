"""``GET /api/v1/invoices``: pages by cursor (``next`` and ``Link``), filters, typed answers."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.store import models as db

INVOICES = 45


def _load(client: TestClient, served: Served) -> None:
    document = generate_document(INVOICES, seed=6)
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert answer.is_success, answer.text


def _get(client: TestClient, served: Served, url: str, **params: str) -> dict:
    answer = client.get(url, params=params, headers=served.auth)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_token_is_needed(client: TestClient) -> None:
    answer = client.get("/api/v1/invoices")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_following_next_or_link_reads_every_invoice_once(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    whole = _get(client, served, "/api/v1/invoices", limit="500")
    assert whole["next"] is None
    numbers = [invoice["number"] for invoice in whole["invoices"]]
    dates = [invoice["date"] for invoice in whole["invoices"]]
    assert len(numbers) == INVOICES
    assert dates == sorted(dates, reverse=True)  # newest first
    # By the body's next address:
    seen: list[str] = []
    address: str | None = "/api/v1/invoices?limit=10"
    while address is not None:
        answer = client.get(address, headers=served.auth)
        assert answer.status_code == 200, answer.text
        seen += [invoice["number"] for invoice in answer.json()["invoices"]]
        address = answer.json()["next"]
    assert seen == numbers
    # By the Link header, in another order:
    by_link: list[str] = []
    url: str | None = "/api/v1/invoices?limit=10&sort=number&order=asc"
    while url:
        answer = client.get(url, headers=served.auth)
        assert answer.status_code == 200, answer.text
        by_link += [invoice["number"] for invoice in answer.json()["invoices"]]
        link = answer.headers.get("link")
        if answer.json()["next"] is None:
            assert link is None
            url = None
        else:
            found = re.fullmatch(r'<(/api/v1/invoices\?[^>]+)>; rel="next"', link or "")
            assert found, link
            assert answer.json()["next"] == found.group(1)
            url = found.group(1)
    assert by_link == sorted(numbers)


def test_an_invoice_is_described_whole(client: TestClient, served: Served) -> None:
    _load(client, served)
    document = generate_document(INVOICES, seed=6)
    sent = {invoice["number"]: invoice for invoice in document["invoices"]}
    names = {customer["code"]: customer["name"] for customer in document["customers"]}
    listed = _get(client, served, "/api/v1/invoices", limit="1")["invoices"][0]
    original = sent[listed["number"]]
    assert listed["customer"] == {"code": original["customer"], "name": names[original["customer"]]}
    assert (listed["date"], listed["due_date"]) == (original["date"], original["due_date"])
    assert (listed["period"], listed["currency"]) == (original["period"], original["currency"])
    assert listed["total"] == str(original["totals"]["gross"])
    assert (listed["state"], listed["procountor"]) == ("NEW", None)


def test_filters_period_state_customer_and_changed_since(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    whole = _get(client, served, "/api/v1/invoices", limit="500")["invoices"]
    period = whole[0]["period"]
    in_period = _get(client, served, "/api/v1/invoices", period=period)["invoices"]
    assert in_period
    assert [i["number"] for i in in_period] == [i["number"] for i in whole if i["period"] == period]
    code = whole[0]["customer"]["code"]
    of_customer = _get(client, served, "/api/v1/invoices", customer=code)["invoices"]
    assert [i["number"] for i in of_customer] == [
        i["number"] for i in whole if i["customer"]["code"] == code
    ]
    assert _get(client, served, "/api/v1/invoices", state="EXPORTED")["invoices"] == []
    assert len(_get(client, served, "/api/v1/invoices", state="NEW", limit="500")["invoices"]) == (
        INVOICES
    )
    # Changed since: nothing after the import, then the invoice whose export state moved.
    later = datetime.now(UTC) + timedelta(minutes=5)
    since = later.isoformat()
    assert _get(client, served, "/api/v1/invoices", changed_since=since)["invoices"] == []
    # A number of seconds is not a date-time (the description says date-time): refused.
    for wrong in ("1700000000", "2026-02-30T00:00:00"):
        answer = client.get(
            "/api/v1/invoices", params={"changed_since": wrong}, headers=served.auth
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["loc"] == ["query", "changed_since"]
    number = whole[3]["number"]
    with served.store.session() as session:
        invoice_id = session.scalar(select(db.Invoice.id).where(db.Invoice.number == number))
        export_id = session.scalar(select(db.ExportDefinition.id))
        stamp = later.replace(tzinfo=None) + timedelta(minutes=1)
        session.add(
            db.JournalEntry(
                invoice_id=invoice_id,
                export_id=export_id,
                state=db.JournalState.FAILED,
                created_at=stamp,
                updated_at=stamp,
            )
        )
    changed = _get(client, served, "/api/v1/invoices", changed_since=since)["invoices"]
    assert [(i["number"], i["state"]) for i in changed] == [(number, "FAILED")]
    # The same moment written in another zone is the same filter.
    helsinki = later.astimezone(timezone(timedelta(hours=2))).isoformat()
    assert _get(client, served, "/api/v1/invoices", changed_since=helsinki)["invoices"] == changed
    with served.store.session() as session:
        session.execute(update(db.JournalEntry).values(updated_at=stamp - timedelta(hours=1)))
    assert _get(client, served, "/api/v1/invoices", changed_since=since)["invoices"] == []


def test_a_cursor_that_is_not_the_lists_is_refused_with_the_field(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    first = _get(client, served, "/api/v1/invoices", limit="5")
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    for params in (
        {"cursor": "not-a-cursor"},
        {"cursor": cursor, "sort": "number"},  # a page of another order
    ):
        answer = client.get("/api/v1/invoices", params=params, headers=served.auth)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        assert problem["errors"][0]["loc"] == ["query", "cursor"]
        assert params["cursor"] in problem["detail"]
    for params in ({"limit": "0"}, {"limit": "501"}, {"state": "DONE"}, {"sort": "colour"}):
        answer = client.get("/api/v1/invoices", params=params, headers=served.auth)
        assert answer.status_code == 422, (params, answer.text)


def test_openapi_describes_the_list(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/invoices"]["get"]
    answer = operation["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvoiceList"
    }
    assert "Link" in answer["headers"]
    assert {"401", "413", "422"} <= set(operation["responses"])
    parameters = {p["name"] for p in operation["parameters"]}
    assert {"period", "state", "customer", "changed_since", "sort", "order", "cursor", "limit"} <= (
        parameters
    )
    listed = spec["components"]["schemas"]["ListedInvoice"]["properties"]
    assert {"number", "customer", "date", "due_date", "total", "state", "procountor"} <= set(listed)
