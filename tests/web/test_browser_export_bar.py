"""The export bar in a real browser (issue 21): it moves while a run goes, and "Show errors"
lists the errors of the run it shows.

Debian's chromium driven by Playwright, with the fixtures of ``test_browser.py``. The
screenshots of the moving bar are kept in ``tests/web/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import httpx2
from starlette.testclient import TestClient
from test_browser import ARGS, _shot, base_url, chromium  # type: ignore[import-not-found]
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document

__all__ = ["base_url", "chromium"]  # the fixtures this module uses from test_browser

INVOICES = 60  # enough that, at LATENCY, the run goes on for several seconds
LATENCY_MS = 150  # added to every Procountor call by the emulator
FAILING = "990007"  # the sample's invoice whose VAT code ALV10 has no VAT status code yet
COUNTS = re.compile(r"(\d+) invoices? to export, (\d+) exported")


def _post(base_url: str, served: Served, path: str, body: Any) -> httpx2.Response:
    headers = {**served.auth, "Content-Type": "application/json"}
    answer = httpx2.post(base_url + path, content=json.dumps(body), headers=headers, timeout=120)
    assert answer.is_success, answer.text
    return answer


def _bar(page: Any) -> dict[str, Any] | None:
    """The bar as the reader sees it now (``None`` while the page is being read again)."""
    from playwright.sync_api import Error

    try:
        found: dict[str, Any] | None = page.evaluate(
            """() => {
                const footer = document.getElementById("runbar");
                const bar = document.getElementById("run-bar");
                if (!footer || !bar) return null;
                return {run: footer.dataset.run || null, running: footer.dataset.running,
                        value: bar.value, hidden: bar.hidden,
                        counts: document.getElementById("run-counts").textContent.trim()};
            }"""
        )
    except Error:  # the page reloads (at the end of the run, or as the test asks)
        return None
    return found


def test_the_bar_moves_while_a_run_started_over_the_api_goes(
    chromium: str, base_url: str, served: Served, emulator_http: TestClient
) -> None:
    from playwright.sync_api import expect, sync_playwright

    _post(base_url, served, "/api/v1/documents", generate_document(INVOICES, seed=5))
    emulator = emulator_http.app.state.emulator  # type: ignore[attr-defined]
    emulator.set_faults(latency_ms=LATENCY_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            # The window is open before the run starts, and the run is started elsewhere (the
            # REST API, as a TMS does): the bar shows the newest run, so it takes it up.
            page.goto(f"{base_url}/invoices")
            expect(page.locator("#run-state")).to_contain_text("No export has run yet")
            _post(base_url, served, "/api/v1/exports", {"all": True})

            seen: list[tuple[int, str]] = []  # (bar value, counts text), each change once
            reloaded = False
            deadline = time.monotonic() + 240  # a safety net, not a measure: the run ends first
            while time.monotonic() < deadline:
                bar = _bar(page)
                if bar is None or bar["run"] is None:
                    time.sleep(0.1)
                    continue
                if bar["running"] != "true":
                    break
                sample = (int(bar["value"]), bar["counts"])
                if COUNTS.fullmatch(sample[1]) and (not seen or seen[-1] != sample):
                    seen.append(sample)
                    if len(seen) <= 3:
                        _shot(page, f"bar-{len(seen)}-going")
                    if len(seen) == 2 and not reloaded:
                        # Read again while the run goes: the page follows it from where it is.
                        page.reload()
                        reloaded = True
                time.sleep(0.2)
            else:
                raise AssertionError(f"the run did not end; the bar showed {seen}")

            # The run ended: the bar is full and green (the page reads its tables again).
            page.wait_for_selector("#runbar[data-running=false]", timeout=60_000)
            expect(page.locator("#run-bar")).to_have_class("bar ok")
            expect(page.locator("#run-bar")).to_have_attribute("value", "100")
            [run] = served.app.state.web.jobs.runs(1)
            total = run.to_export
            assert total > 0
            expect(page.locator("#run-counts")).to_have_text(
                f"{total} invoices to export, {total} exported"
            )
            _shot(page, "bar-4-done")
        finally:
            browser.close()
    served.wait()

    # While the run went, the bar and its counts took at least three values, only ever rising.
    values = [value for value, _ in seen]
    exported = [int(COUNTS.fullmatch(counts).group(2)) for _, counts in seen]  # type: ignore[union-attr]
    assert len(set(values)) >= 3, seen
    assert len({counts for _, counts in seen}) >= 3, seen
    assert values == sorted(values), seen
    assert exported == sorted(exported), seen


def test_show_errors_after_a_failed_run_lists_that_runs_errors(
    chromium: str, base_url: str, served: Served
) -> None:
    from playwright.sync_api import expect, sync_playwright

    _post(base_url, served, "/api/v1/documents", generate_document(4, seed=3, with_problems=True))
    jobs = served.app.state.web.jobs
    # An older run that failed for other invoices, then the newest: only 990007, failing.
    _post(base_url, served, "/api/v1/exports", {"periods": ["2026-10"]})
    served.wait()
    _post(base_url, served, "/api/v1/exports", {"invoices": [FAILING]})
    served.wait()
    [run] = jobs.runs(1)
    assert (run.state, run.failed) == ("failed", 1)
    [error] = httpx2.get(f"{base_url}/runs/{run.id}/progress", timeout=30).json()["errors"]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.goto(f"{base_url}/invoices")  # fresh: no ?run=, the bar shows the newest run
            expect(page.locator("#run-bar")).to_have_class("bar failed")
            expect(page.locator("#run-state")).to_contain_text(
                f"Run {run.id}: the export failed for 1 of 1 invoice."
            )
            dialog = page.locator("dialog#errors")
            expect(dialog).to_be_hidden()  # not opened by itself on a page merely opened
            page.locator("#show-errors").click()
            expect(dialog).to_be_visible()
            expect(dialog.get_by_role("heading", level=2)).to_have_text(
                f"Run {run.id}: 1 invoice failed"
            )
            rows = dialog.locator("#errors-body tr")
            expect(rows).to_have_count(1)  # the older run's errors are not this run's
            expect(rows.first).to_contain_text(FAILING)
            expect(rows.first).to_contain_text("No VAT status code for VAT code ALV10")
            expect(rows.first.locator("td").nth(3)).to_have_text(error["remedy"])
            assert error["remedy"], error
            expect(dialog).not_to_contain_text("No 3999 account")
            _shot(page, "bar-5-errors")
            dialog.get_by_role("button", name="Close").click()
            expect(dialog).to_be_hidden()
        finally:
            browser.close()
