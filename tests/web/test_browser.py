"""The main flows in a real browser: Debian's chromium driven by Playwright, never a download.

The app is served by uvicorn on a free loopback port and talks to the in-process Procountor
emulator. Each page is kept as a screenshot in ``tests/web/screenshots/`` (git-ignored).
Without chromium the test is skipped, except where ``PROCOUNTOR_EXPORT_REQUIRE_SERVICES=1``
(CI), where it fails: ``make install`` installs Debian's chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.store import access

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("PROCOUNTOR_EXPORT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_SERVICES = os.environ.get("PROCOUNTOR_EXPORT_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="module")
def chromium() -> str:
    """The path of Debian's chromium; skips without it, or fails when services are required."""
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not found:
        message = "chromium is not installed (make install installs Debian's chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def base_url(served: Served) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(served.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _export_and_wait(page: Any, form: int, *, succeeds: bool) -> None:
    """Press Export and send in the ``form``-th export form and wait for the bar to end.

    A run that succeeded reads the page again at once (the tables show the new states); one
    that failed opens the errors pop-up first.
    """
    button = page.locator("form.js-export").nth(form).locator("button[type=submit]")
    if succeeds:
        with page.expect_event("load", timeout=60_000):  # not history.replaceState: the reload
            button.click()
    else:
        button.click()
    page.wait_for_selector("#runbar[data-running=false]", timeout=60_000)


def test_the_main_flows(chromium: str, base_url: str, served: Served) -> None:
    from playwright.sync_api import expect, sync_playwright

    # 1. The TMS sends its document through the REST API.
    document = generate_document(6, seed=3, with_problems=True)
    answer = httpx2.post(
        f"{base_url}/api/v1/documents",
        content=json.dumps(document),
        headers=served.auth,
        timeout=60,
    )
    assert answer.status_code == 200, answer.text

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            # 2. Invoices: periods with counts, invoices with filters.
            page.goto(f"{base_url}/invoices")
            expect(page.get_by_role("heading", name="Invoice periods")).to_be_visible()
            _shot(page, "01-invoices")
            page.locator("#periods-toggle").click()  # all periods: 2025-05 is not a recent one

            # 3. Export a clean closed period: the bar ends green.
            page.get_by_label("Select period 2025-05").check()
            _export_and_wait(page, 0, succeeds=True)
            expect(page.locator("#run-bar")).to_have_class("bar ok")
            expect(page.locator("#run-counts")).to_have_text("1 invoice to export, 1 exported")
            expect(page.locator("#show-errors")).to_be_hidden()
            _shot(page, "02-export-succeeded")

            # 4. Export the period with the failing invoices: grey, errors in the pop-up.
            page.get_by_label("Select period 2026-10").check()
            _export_and_wait(page, 0, succeeds=False)
            expect(page.locator("#run-bar")).to_have_class("bar failed")
            expect(page.locator("#run-state")).to_contain_text("the export failed")
            dialog = page.locator("dialog#errors")
            expect(dialog).to_be_visible()
            expect(dialog).to_contain_text("No VAT status code for VAT code ALV10")
            expect(dialog).to_contain_text("No 3999 account in Procountor")
            _shot(page, "03-export-failed-errors")
            with page.expect_event("load"):  # closing the pop-up reads the tables again
                dialog.get_by_role("button", name="Close").click()
            expect(page.locator("td span.state.failed").first).to_be_visible()

            # 5. The failing invoice's own page.
            page.goto(f"{base_url}/invoices/990007")
            expect(page.get_by_text("No VAT status code for VAT code ALV10").first).to_be_visible()
            _shot(page, "04-invoice")

            # 6. Check page: the pre-flight report grouped by problem, each with its fix.
            page.goto(f"{base_url}/check?period=2026-10")
            expect(page.get_by_text("What to do:").first).to_be_visible()
            _shot(page, "05-check")

            # 7. Settings: test the connection, then map ALV10 to a VAT status.
            page.goto(f"{base_url}/settings")
            _shot(page, "06-settings")
            page.get_by_role("link", name="Procountor (API)").first.click()
            page.get_by_role("button", name="Test connection").click()
            expect(page.get_by_text("Connected")).to_be_visible()
            expect(page.get_by_text("Every right the export needs is in place.")).to_be_visible()
            _shot(page, "07-test-connection")
            page.get_by_label("VAT status code for ALV10").select_option("vat_1")
            page.get_by_role("button", name="Save tax rate codes").click()
            expect(page.get_by_text("Tax rate codes of Procountor (API) saved.")).to_be_visible()
            _shot(page, "08-export-settings")
            for path, name in (
                ("/settings/groups", "09-groups"),
                ("/settings/customers", "10-customers"),
                ("/settings/terminology", "11-terminology"),
            ):
                page.goto(base_url + path)
                _shot(page, name)

            # 8. Export the invoice again: now it goes through.
            page.goto(f"{base_url}/invoices?q=990007")
            page.get_by_label("Select invoice 990007").check()
            _export_and_wait(page, 1, succeeds=True)
            expect(page.locator("#run-bar")).to_have_class("bar ok")
            # The tables are read again once the run ended: the invoice is exported now.
            expect(page.locator("td span.state.exported")).to_have_text("Exported")
            expect(page.locator("#show-errors")).to_be_hidden()
            _shot(page, "12-export-again")

            # 9. The log and the API reference.
            page.goto(f"{base_url}/log")
            expect(page.get_by_role("heading", name="Export runs")).to_be_visible()
            _shot(page, "13-log")
            page.goto(f"{base_url}/docs")
            _shot(page, "14-api")
            page.set_viewport_size({"width": 1024, "height": 700})  # a laptop screen
            page.goto(f"{base_url}/invoices")
            _shot(page, "15-invoices-laptop")

            # 10. Once a user exists, the UI asks everyone to log in.
            with served.store.session() as session:
                access.set_user(session, "clerk", "a long enough password")
            page.goto(f"{base_url}/log")
            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            _shot(page, "16-login")
            page.get_by_label("User").fill("clerk")
            page.get_by_label("Password").fill("a long enough password")
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Export runs")).to_be_visible()
            expect(page.get_by_role("button", name="Log out")).to_be_visible()
        finally:
            browser.close()
    served.wait()
