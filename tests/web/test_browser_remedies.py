"""In a real browser, the fix of a failed invoice names what the window has: the settings page,
its section and its button, never a command (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import json

import httpx2
from test_browser import (  # type: ignore[import-not-found]
    ARGS,
    _export_and_wait,
    _shot,
    base_url,
    chromium,
)
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document

__all__ = ["base_url", "chromium"]  # the fixtures, shared with the main browser test

WHERE = "Settings → Invoice exports → the export, Codes: tax rates, then Save tax rate codes"


def test_the_fix_in_the_browser_names_the_page_and_the_button(
    chromium: str, base_url: str, served: Served
) -> None:
    from playwright.sync_api import expect, sync_playwright

    document = generate_document(6, seed=3, with_problems=True)
    answer = httpx2.post(
        f"{base_url}/api/v1/documents", content=json.dumps(document), headers=served.auth
    )
    assert answer.status_code == 200, answer.text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            # The run of the period with the unmapped VAT code fails: the pop-up says where.
            page.goto(f"{base_url}/invoices")
            page.locator("#periods-toggle").click()
            page.get_by_label("Select period 2026-10").check()
            _export_and_wait(page, 0, succeeds=False)
            dialog = page.locator("dialog#errors")
            expect(dialog).to_contain_text("No VAT status code for VAT code ALV10")
            expect(dialog).to_contain_text(WHERE)
            assert "procountor-export" not in dialog.inner_text()
            _shot(page, "remedies-01-errors")
            # The invoice's own page and the Check page word it the same way.
            page.goto(f"{base_url}/invoices/990007")
            expect(page.get_by_text(WHERE).first).to_be_visible()
            page.goto(f"{base_url}/check?period=2026-10")
            expect(page.get_by_text(WHERE).first).to_be_visible()
            assert "procountor-export tax-codes" not in page.content()
            _shot(page, "remedies-02-check")
            # Following the words leads to what they name.
            page.goto(f"{base_url}/settings")
            page.get_by_role("link", name="Invoice exports").first.click()
            page.get_by_role("link", name="Procountor (API)").first.click()
            expect(page.get_by_role("heading", name="Codes: tax rates")).to_be_visible()
            expect(page.get_by_role("button", name="Save tax rate codes")).to_be_visible()
            _shot(page, "remedies-03-where-the-fix-is")
        finally:
            browser.close()
