"""The CLI's small things: ``settings`` alone shows the settings; counts agree with their nouns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rich.console import Console
from typer.testing import CliRunner, Result

from procountor_export.cli import app
from procountor_export.cli.render import print_summary
from procountor_export.export.messages import Messages
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.store.db import Store
from procountor_export.store.models import Customer

NAME = "Procountor (API)"


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Store:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", url)
    monkeypatch.setenv("PROCOUNTOR_EXPORT_SECRET_KEY", Fernet.generate_key().decode())
    return Store.open(url)


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result


def test_settings_alone_shows_the_settings(store: Store) -> None:
    run("exports", "set", NAME, "--include-pdf")
    run("tax-codes", "set", NAME, "ALV25.5", "vat_1")
    alone = run("settings").output
    assert "Usage:" not in alone
    assert NAME in alone
    assert "ALV25.5 -> vat_1" in alone
    assert alone == run("settings", "show").output
    assert json.loads(run("settings", "--json").stdout)["exports"][0]["name"] == NAME


def test_one_customer_is_one_customer(store: Store) -> None:
    with store.session() as session:
        session.add(Customer(code="ACME", customer_no="1", name="Acme Oy", address={"name": "A"}))
    run("exports", "set", NAME)
    run("groups", "set", "Special", "--export", NAME)
    run("customer-group", "set", "ACME", "Special")
    said = " ".join(run("groups", "remove", "Special").output.split())
    assert "(1 customer now uses the default)" in said


def test_one_invoice_is_one_invoice(tmp_path: Path) -> None:
    output = tmp_path / "one.json"
    result = CliRunner().invoke(app, ["generate-sample", "--invoices", "1", "-o", str(output)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Wrote 1 invoice (seed 1) to " in said


def test_the_run_summary_counts_one_as_one() -> None:
    summary = RunSummary(
        run_id=1,
        to_export=1,
        exported=1,
        busy=["250002"],
        created={"customers": 1, "items": 1, "products": 2, "customers_updated": 0},
    )
    console = Console(record=True, width=200)
    print_summary(console, summary, Messages())
    said = console.export_text()
    assert "1 invoice is being exported by another run right now" in said
    assert "Created in Procountor: 1 customer, 1 dimension item, 2 products." in said
