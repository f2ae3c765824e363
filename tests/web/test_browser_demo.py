"""The demo in a real browser, opened with the one command ``make demo`` prints.

``python -m procountor_export.demo --serve`` runs as a user runs it (a process of its own) on a
folder the demo made; the browser (Debian's chromium, driven by Playwright) logs in with the
login the command printed and finds the invoices the demo exported with their Procountor
numbers (tests/test_demo.py exports from the window into the same emulator). Screenshots go to ``tests/web/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# the chromium fixture, and how the other browser test launches it and keeps its pictures
from test_browser import ARGS, SCREENSHOTS, chromium  # type: ignore[import-not-found]  # noqa: F401

from procountor_export.demo import run_demo
from procountor_export.demo_folder import state_path

ADDRESS = re.compile(r"The demo in the browser: (http://\S+)")
LOGIN = re.compile(r"log in as (\S+), password (\S+) ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    assert run_demo(folder, unpaced=True) == 0
    return folder


@pytest.fixture
def served_demo(demo_folder: Path) -> Iterator[dict[str, str]]:
    """The printed command running; its address and login, as read from its output."""
    command = [sys.executable, "-m", "procountor_export.demo", "--dir", str(demo_folder)]
    command += ["--serve", "--port", str(_free_port()), "--emulator-port", "0"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ
    ) as process:
        try:
            assert process.stdout is not None
            lines: list[str] = []
            while not (lines and LOGIN.search("".join(lines))):
                line = process.stdout.readline()
                assert line, "".join(lines)  # the command ended without printing the login
                lines.append(line)
            printed = "".join(lines)
            address = ADDRESS.search(printed)
            login = LOGIN.search(printed)
            assert address
            assert login
            yield {"url": address.group(1), "name": login.group(1), "password": login.group(2)}
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl+C, as the command says
            assert process.wait(30) == 0


def test_the_printed_command_opens_the_demo_in_the_browser(
    chromium: str,  # noqa: F811
    served_demo: dict[str, str],
    demo_folder: Path,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    state = json.loads(state_path(demo_folder).read_text(encoding="utf-8"))
    emulated: list[dict[str, Any]] = []
    for company in state["companies"].values():
        emulated += company["invoices"]
    first = next(invoice for invoice in emulated if invoice["originalInvoiceNumber"] == "100001")
    url = served_demo["url"].rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            page.goto(url)
            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            page.get_by_label("User").fill(served_demo["name"])
            page.get_by_label("Password").fill(served_demo["password"])
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("button", name="Log out")).to_be_visible()
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "demo-01-invoices.png"))
            page.goto(f"{url}/invoices/100001")
            expect(
                page.get_by_text(f"no {first['invoiceNumber']} (id {first['id']})")
            ).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "demo-02-exported-invoice.png"))
        finally:
            browser.close()
