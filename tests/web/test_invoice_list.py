"""The Invoices window's list: newest first, pages, sorting, search by name, the columns, the
Procountor link, the recent periods, and the bar's run read with its errors."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from starlette.testclient import TestClient
from webrig import Served, make_settings  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store import models as db
from procountor_export.web.invoice_list import PAGE_SIZE, RECENT_PERIODS

INVOICES = 120  # three pages of 50
PROCOUNTOR_UI = "https://procountor.example/app/invoices/{id}?view=1"


def _load(client: TestClient, served: Served, invoices: int = INVOICES, **options: object) -> None:
    document = generate_document(invoices, seed=4, **options)  # type: ignore[arg-type]
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert answer.is_success, answer.text


def _numbers(page: str) -> list[str]:
    """The invoice numbers listed, top to bottom (their tick boxes)."""
    return re.findall(r'name="invoice" value="([^"]+)"', page)


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def _rows(page: str) -> list[str]:
    body = page[page.index('<table class="grid invoices">') :]
    return re.findall(r"<tr>\s*<td><input type=\"checkbox\" name=\"invoice\".*?</tr>", body, re.S)


def _api_numbers(client: TestClient, served: Served, **params: str) -> list[str]:
    answer = client.get("/api/v1/invoices", params={"limit": "500", **params}, headers=served.auth)
    assert answer.status_code == 200, answer.text
    return [invoice["number"] for invoice in answer.json()["invoices"]]


def test_the_newest_invoices_come_first_and_every_one_is_a_page_away(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    page = client.get("/invoices").text
    assert f"{INVOICES} invoices match" in page
    newest_first = _api_numbers(client, served)  # the API's default order is the window's
    assert _numbers(page) == newest_first[:PAGE_SIZE]
    assert _link(page, "prev") is None
    seen: list[str] = []
    pages = 0
    url: str | None = "/invoices"
    while url:
        page = client.get(url).text
        seen += _numbers(page)
        pages += 1
        url = _link(page, "next")
    assert pages == 3
    assert seen == newest_first  # every invoice once, the oldest on the last page
    # Last and then Previous: whole pages from the other end.
    last = client.get(_link(client.get("/invoices").text, "last") or "").text
    assert _numbers(last) == newest_first[-PAGE_SIZE:]
    assert _link(last, "next") is None
    before = client.get(_link(last, "prev") or "").text
    assert _numbers(before) == newest_first[-2 * PAGE_SIZE : -PAGE_SIZE]


def test_columns_sort_both_ways_and_the_order_stays_across_pages_and_filters(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    page = client.get("/invoices").text
    assert _header(page, "Date") == ("descending", "/invoices?sort=date&order=asc")
    assert _header(page, "Total") == ("none", "/invoices?sort=total&order=desc")
    by_total = client.get(_header(page, "Total")[1]).text  # biggest first
    assert _header(by_total, "Total")[0] == "descending"
    totals = [Decimal(t) for t in re.findall(r'data-total="([^"]+)"', by_total)]
    assert totals == sorted(totals, reverse=True)
    following = _link(by_total, "next")
    assert following
    assert parse_qs(urlsplit(following).query)["sort"] == ["total"]
    more = [Decimal(t) for t in re.findall(r'data-total="([^"]+)"', client.get(following).text)]
    assert max(more) <= min(totals)
    # Clicked again: the other way round.
    smallest = client.get(_header(by_total, "Total")[1]).text
    small = [Decimal(t) for t in re.findall(r'data-total="([^"]+)"', smallest)]
    assert small == sorted(small)
    assert small[0] < totals[-1]
    # The filter form keeps the order; the number column sorts by number.
    assert '<input type="hidden" name="sort" value="total">' in smallest
    assert '<input type="hidden" name="order" value="asc">' in smallest
    numbers = _numbers(client.get("/invoices?sort=number&order=asc").text)
    assert numbers == sorted(numbers)
    filtered = client.get("/invoices?sort=total&order=asc&state=NEW").text
    assert _header(filtered, "Total") == ("ascending", "/invoices?state=NEW&sort=total&order=desc")
    assert _header(filtered, "Customer") == ("none", "/invoices?state=NEW&sort=customer&order=asc")


def _header(page: str, label: str) -> tuple[str, str]:
    """A column header's aria-sort and the address its link sorts by."""
    found = re.search(
        rf'<th scope="col" aria-sort="(\w+)"[^>]*><a href="([^"]+)" class="sort">{label}', page
    )
    assert found, label
    return found.group(1), html.unescape(found.group(2))


def test_search_finds_the_customer_by_name_and_the_rows_show_it(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    answer = client.get("/api/v1/invoices", params={"limit": "500"}, headers=served.auth).json()
    customer = answer["invoices"][0]["customer"]
    part = customer["name"].split()[0].lower()  # "hämeen" of "Hämeen Lasi Oy"
    expected = [i["number"] for i in answer["invoices"] if part in i["customer"]["name"].lower()]
    page = client.get("/invoices", params={"q": part}).text
    assert expected
    assert _numbers(page) == expected[:PAGE_SIZE]
    count = f"{len(expected)} invoice" + (" matches" if len(expected) == 1 else "s match")
    assert count in page
    row = _rows(page)[0]
    assert (
        f'{html.escape(customer["name"])} <span class="muted code">{customer["code"]}</span>' in row
    )
    first = answer["invoices"][0]
    for text in (first["date"], first["due_date"], first["currency"]):
        assert text in _rows(client.get("/invoices").text)[0]
    assert "No invoice matches." in client.get("/invoices", params={"q": "no such name"}).text


@pytest.mark.parametrize("configured", [True, False], ids=["configured", "not-configured"])
def test_an_exported_invoice_links_to_procountor_when_the_address_is_configured(
    client: TestClient, served: Served, configured: bool
) -> None:
    _load(client, served, invoices=6)
    if configured:
        context = served.app.state.web
        context.settings = context.settings.model_copy(
            update={"procountor_invoice_url": PROCOUNTOR_UI}
        )
    page = client.get("/invoices").text
    number = _numbers(page)[0]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    started = client.post(
        "/invoices/export",
        data={"csrf_token": csrf.group(1), "invoice": [number]},
        headers={"Accept": "application/json"},
    )
    assert started.status_code == 202, started.text
    served.wait()
    with served.store.session() as session:
        procountor_id = session.scalar(
            select(db.JournalEntry.procountor_invoice_id)
            .join(db.Invoice, db.Invoice.id == db.JournalEntry.invoice_id)
            .where(db.Invoice.number == number)
        )
    assert procountor_id is not None
    ids = [str(procountor_id)]
    row = _rows(client.get("/invoices").text)[0]
    assert "Exported" in row
    listed = client.get("/api/v1/invoices", headers=served.auth).json()["invoices"][0]
    assert listed["number"] == number
    assert listed["procountor"]["invoice_id"] == int(ids[0])
    procountor_number = listed["procountor"]["invoice_number"]
    assert procountor_number is not None
    assert (f">{procountor_number}</a>" if configured else f"<td>{procountor_number}</td>") in row
    link = PROCOUNTOR_UI.replace("{id}", ids[0])
    assert (f'href="{html.escape(link)}"' in row) is configured
    assert listed["procountor"]["url"] == (link if configured else None)
    assert ("procountor.example" in client.get("/invoices").text) is configured


def test_only_the_recent_periods_show_until_all_are_asked_for(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    periods = client.get("/api/v1/periods", params={"limit": "100"}, headers=served.auth).json()
    ids = [period["id"] for period in periods["periods"]]  # newest first
    assert len(ids) > RECENT_PERIODS
    page = client.get("/invoices").text
    shown = re.findall(r'<td><a href="/invoices\?period=([^"]+)">', page)
    assert shown == ids[:RECENT_PERIODS]
    assert f"Show all {len(ids)} periods" in page
    everything = client.get(_link_to(page, "periods-toggle")).text
    assert re.findall(r'<td><a href="/invoices\?period=([^"]+)">', everything) == ids
    assert "Show only the recent periods" in everything
    # The filter offers every period, and an older one asked for is shown with the others.
    assert all(f'<option value="{id}"' in page for id in ids)
    oldest = client.get("/invoices", params={"period": ids[-1]}).text
    assert f'<td><a href="/invoices?period={ids[-1]}">' in oldest


def _link_to(page: str, element_id: str) -> str:
    found = re.search(rf'<a href="([^"]+)" id="{element_id}">', page)
    assert found, element_id
    return html.unescape(found.group(1))


def test_the_bar_shows_the_latest_run_with_its_errors_without_run_in_the_address(
    client: TestClient, served: Served
) -> None:
    _load(client, served, invoices=2, with_problems=True)
    page = client.get("/invoices", params={"q": "99000"}).text
    failing = _numbers(page)
    assert failing
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    started = client.post(
        "/invoices/export",
        data={"csrf_token": csrf.group(1), "invoice": failing},
        headers={"Accept": "application/json"},
    )
    assert started.status_code == 202, started.text
    served.wait()
    plain = client.get("/invoices").text
    body = plain[
        plain.index('id="errors-body"') : plain.index("</tbody>", plain.index('id="errors-body"'))
    ]
    assert re.findall(r'<td><a href="/invoices/([^"]+)">', body), body


def test_the_procountor_address_must_say_where_the_id_goes(tmp_path: Path) -> None:
    assert make_settings(tmp_path).procountor_invoice_url is None
    settings = make_settings(tmp_path).model_copy(update={"procountor_invoice_url": PROCOUNTOR_UI})
    assert (
        settings.procountor_invoice_link(42) == "https://procountor.example/app/invoices/42?view=1"
    )
    assert settings.procountor_invoice_link(None) is None
    for wrong in ("https://procountor.example/app/invoices/", "procountor.example/{id}"):
        with pytest.raises(ValidationError, match="PROCOUNTOR_INVOICE_URL") as refused:
            load_settings(PROCOUNTOR_INVOICE_URL=wrong)
        assert wrong in str(refused.value)
    assert load_settings(PROCOUNTOR_INVOICE_URL="").procountor_invoice_url is None
