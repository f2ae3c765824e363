"""``make demo`` and the demo in the browser (``python -m procountor_export.demo --serve``).

What a new user sees: the demo ends by printing the one command that opens it in the web UI;
that command's login works, the invoices the demo exported show there with their Procountor
numbers, and an export from the browser goes to the same emulator state (what the demo created
there is found, not created again) and is kept in the demo's state file.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from procountor_export.demo import main, run_demo, serve_command
from procountor_export.demo_folder import state_path
from procountor_export.demo_web import open_demo, port_taken


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _emulated(folder: Path, kind: str = "invoices") -> list[dict[str, Any]]:
    """The invoices (or another ``kind``) in the demo's emulator state file."""
    state = json.loads(state_path(folder).read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = []
    for company in state["companies"].values():
        found += company[kind]
    return found


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("made") / "demo"
    assert run_demo(folder, unpaced=True) == 0
    return folder


@pytest.fixture
def demo(made: Path, tmp_path: Path) -> Path:
    """A copy of the made demo folder, for one test to change."""
    folder = tmp_path / "demo"
    shutil.copytree(made, folder)
    return folder


def test_the_demo_ends_with_the_command_that_opens_it_in_the_browser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--dir", "demo", "--invoices", "2"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[-1] == serve_command(Path("demo"))
    assert lines[-1].endswith(" -m procountor_export.demo --serve")
    assert lines[-1].startswith(str(Path(sys.executable)))  # the demo's own interpreter
    elsewhere = serve_command(Path("other"))
    assert elsewhere.endswith("-m procountor_export.demo --dir other --serve")


def test_the_browser_logs_in_and_shows_what_the_demo_exported(demo: Path) -> None:
    exported = {invoice["originalInvoiceNumber"]: invoice for invoice in _emulated(demo)}
    first = exported["100001"]
    with open_demo(demo, emulator_port=0) as opened, TestClient(opened.web) as browser:
        assert browser.get("/invoices", follow_redirects=False).status_code == 303  # a login
        page = browser.get("/login").text
        wrong = browser.post(
            "/login", data={"csrf_token": _csrf(page), "name": "demo", "password": "guess-again!"}
        )
        assert wrong.status_code == 401
        good = browser.post(
            "/login",
            data={
                "csrf_token": _csrf(page),
                "name": opened.login.name,
                "password": opened.login.password,
            },
        )
        assert good.status_code == 200
        invoice = browser.get("/invoices/100001")
        assert invoice.status_code == 200
        assert f"no {first['invoiceNumber']} (id {first['id']})" in invoice.text


def test_a_new_start_makes_a_new_password(demo: Path) -> None:
    with open_demo(demo, emulator_port=0) as opened:
        before = opened.login.password
    with open_demo(demo, emulator_port=0) as opened:
        assert opened.login.password != before
        assert len(opened.login.password) >= 12


def test_an_export_from_the_browser_goes_to_the_demos_emulator_and_stays_there(
    demo: Path,
) -> None:
    before = _emulated(demo)
    partners = len(_emulated(demo, "partners"))
    assert "100058" not in {invoice["originalInvoiceNumber"] for invoice in before}
    with open_demo(demo, emulator_port=0) as opened, TestClient(opened.web) as browser:
        page = browser.get("/login").text
        login = {"name": opened.login.name, "password": opened.login.password}
        assert browser.post("/login", data={"csrf_token": _csrf(page), **login}).is_success
        page = browser.get("/invoices").text
        answer = browser.post(
            "/invoices/export",
            data={"csrf_token": _csrf(page), "invoice": ["100058"]},
            headers={"Accept": "application/json"},
        )
        assert answer.status_code == 202, answer.text
        opened.web.state.web.jobs.wait(60)  # the run goes on in the web app's own thread
        progress = browser.get(f"/runs/{answer.json()['run_id']}/progress").json()
        assert (progress["state"], progress["exported"]) == ("succeeded", 1), progress
    after = _emulated(demo)  # what the emulator wrote back to the demo's state file
    new = [invoice for invoice in after if invoice not in before]
    assert [invoice["originalInvoiceNumber"] for invoice in new] == ["100058"]
    # 100058 is KAAPAP's, as 100055 the demo exported: the customer was found, not made again
    earlier = next(i for i in before if i["originalInvoiceNumber"] == "100055")
    assert new[0]["partnerId"] == earlier["partnerId"]
    assert len(_emulated(demo, "partners")) == partners


def test_a_taken_port_is_named_with_the_way_out(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_demo(demo, emulator_port=0) as opened:
        taken = opened.emulator.port
        assert port_taken(taken)
        assert main(["--dir", str(demo), "--serve", "--emulator-port", str(taken)]) == 1
    message = capsys.readouterr().err
    assert f"Port {taken}" in message
    assert "--emulator-port" in message


def test_a_swedish_demo_exports_a_swedish_companys_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo-se"
    assert run_demo(folder, 12, market="se", unpaced=True) == 0
    invoices = _emulated(folder)
    currencies = {invoice["paymentInfo"]["currency"] for invoice in invoices}
    assert invoices
    assert currencies == {"SEK"}
    # Its web UI starts the same Swedish company, and the folder keeps to its market.
    with pytest.raises(SystemExit):
        main(["--dir", str(folder), "--market", "no"])
    assert f"{folder} holds the demo of market se" in capsys.readouterr().err
