"""The Invoices window's list in a real browser (Debian's chromium, as ``test_browser.py``):
paging to the newest invoice, search by customer name, the link to the invoice in Procountor,
and the selection's count and sum moving as boxes are ticked.

Screenshots go to ``tests/web/screenshots/`` (git-ignored) with the ``list-`` prefix.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import httpx2
import pytest
from sqlalchemy import select
from test_browser import ARGS, _shot, base_url, chromium  # noqa: F401  (fixtures)
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.store import models as db

PROCOUNTOR_UI = "https://procountor.example/app/invoices/{id}"


def _send(base: str, served: Served, invoices: int) -> list[dict[str, Any]]:
    """The TMS sends a document; the API's list of it, newest first."""
    document = generate_document(invoices, seed=8)
    answer = httpx2.post(
        f"{base}/api/v1/documents", content=json.dumps(document), headers=served.auth, timeout=60
    )
    assert answer.status_code == 200, answer.text
    listed = httpx2.get(
        f"{base}/api/v1/invoices", params={"limit": 500}, headers=served.auth, timeout=30
    )
    assert listed.status_code == 200, listed.text
    invoices_: list[dict[str, Any]] = listed.json()["invoices"]
    return invoices_


@pytest.fixture
def browser_page(chromium: str) -> Any:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def _listed(page: Any) -> list[str]:
    """The invoice numbers in the list, top to bottom."""
    boxes = page.locator("table.invoices tbody input[name=invoice]")
    return [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]


def test_paging_oldest_first_reaches_the_newest_invoice(
    browser_page: Any,
    base_url: str,  # noqa: F811
    served: Served,
) -> None:
    from playwright.sync_api import expect

    invoices = _send(base_url, served, 120)
    newest, oldest = invoices[0]["number"], invoices[-1]["number"]
    page = browser_page
    page.goto(f"{base_url}/invoices")
    # Newest first: the newest invoice is the first row, without paging.
    assert _listed(page)[0] == newest
    expect(page.locator("#match-count")).to_have_text("120 invoices match")
    _shot(page, "list-01-newest-first")
    # Sorted oldest first (the Date header), the newest is two pages on, at the bottom.
    page.locator("table.invoices thead").get_by_role("link", name="Date", exact=True).click()
    expect(page.locator("table.invoices th[aria-sort=ascending]")).to_contain_text("Date")
    assert _listed(page)[0] == oldest
    seen = _listed(page)
    for _ in range(2):
        page.get_by_role("link", name="Next ›").click()
        seen += _listed(page)
    assert seen[-1] == newest
    assert len(seen) == len(set(seen)) == 120
    expect(page.get_by_label(f"Select invoice {newest}")).to_be_visible()
    expect(page.get_by_role("link", name="Next ›")).to_have_count(0)  # the last page
    page.locator("nav.pages").scroll_into_view_if_needed()
    _shot(page, "list-02-last-page-oldest-first")
    # Back by Previous: the page before, still oldest first.
    page.get_by_role("link", name="‹ Previous").click()
    assert _listed(page) == seen[50:100]


def test_search_by_customer_name(browser_page: Any, base_url: str, served: Served) -> None:  # noqa: F811
    from playwright.sync_api import expect

    invoices = _send(base_url, served, 60)
    name = invoices[0]["customer"]["name"]
    typed = name.split()[0].lower()  # a part of the name, in lower case
    expected = [i["number"] for i in invoices if typed in i["customer"]["name"].lower()]
    page = browser_page
    page.goto(f"{base_url}/invoices")
    page.get_by_label("Number or customer").fill(typed)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#match-count")).to_have_text(
        f"{len(expected)} invoice{'s match' if len(expected) != 1 else ' matches'}"
    )
    assert _listed(page) == expected
    rows = page.locator("table.invoices tbody tr")
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text(name)
    _shot(page, "list-03-search-by-name")


def test_an_exported_invoice_links_to_it_in_procountor(
    browser_page: Any,
    base_url: str,  # noqa: F811
    served: Served,
) -> None:
    from playwright.sync_api import expect

    context = served.app.state.web
    context.settings = context.settings.model_copy(update={"procountor_invoice_url": PROCOUNTOR_UI})
    invoices = _send(base_url, served, 4)
    number = invoices[0]["number"]
    page = browser_page
    page.goto(f"{base_url}/invoices")
    page.get_by_label(f"Select invoice {number}").check()
    with page.expect_event("load", timeout=60_000):  # the tables are read again at the end
        page.locator("form.invoice-list button[type=submit]").click()
    page.wait_for_selector("#runbar[data-running=false]", timeout=60_000)
    with served.store.session() as session:
        procountor_id, procountor_number = session.execute(
            select(db.JournalEntry.procountor_invoice_id, db.JournalEntry.procountor_invoice_number)
            .join(db.Invoice, db.Invoice.id == db.JournalEntry.invoice_id)
            .where(db.Invoice.number == number)
        ).one()
    assert procountor_id is not None
    row = page.locator("table.invoices tbody tr", has=page.get_by_label(f"Select invoice {number}"))
    expect(row.locator("span.state")).to_have_text("Exported")
    link = row.get_by_role("link", name=str(procountor_number), exact=True)
    expect(link).to_have_attribute("href", PROCOUNTOR_UI.replace("{id}", str(procountor_id)))
    _shot(page, "list-04-procountor-link")
    # The invoices not in Procountor have no link.
    other = page.locator(
        "table.invoices tbody tr", has=page.get_by_label(f"Select invoice {invoices[1]['number']}")
    )
    expect(other.locator("a.procountor")).to_have_count(0)


def test_the_selection_count_and_sum_move_as_boxes_are_ticked(
    browser_page: Any,
    base_url: str,  # noqa: F811
    served: Served,
) -> None:
    from playwright.sync_api import expect

    invoices = _send(base_url, served, 12)
    page = browser_page
    page.goto(f"{base_url}/invoices")
    selection = page.locator("#selection")
    expect(selection).to_be_hidden()
    first, second = invoices[0], invoices[1]
    page.get_by_label(f"Select invoice {first['number']}").check()
    expect(selection).to_have_text(f"1 invoice selected, {_money(first['total'])} EUR")
    page.get_by_label(f"Select invoice {second['number']}").check()
    both = Decimal(first["total"]) + Decimal(second["total"])
    expect(selection).to_have_text(f"2 invoices selected, {_money(both)} EUR")
    _shot(page, "list-05-selection")
    page.get_by_label(f"Select invoice {first['number']}").uncheck()
    expect(selection).to_have_text(f"1 invoice selected, {_money(second['total'])} EUR")
    page.get_by_label("Select all shown invoices").check()
    everything = sum((Decimal(i["total"]) for i in invoices), Decimal(0))
    expect(selection).to_have_text(f"12 invoices selected, {_money(everything)} EUR")
    page.get_by_label("Select all shown invoices").uncheck()
    expect(selection).to_be_hidden()


def _money(amount: Decimal | str) -> str:
    """As the page prints money: two decimals, a narrow no-break space between thousands."""
    return f"{Decimal(amount):,.2f}".replace(",", "\u202f")


def test_the_money_format_matches_the_pages() -> None:
    assert re.fullmatch(r"1\u202f234\.50", _money("1234.5"))
