"""``procountor-export payments sync``: per company what changed and what it cost, as a
table or JSON, with the exit code of the other commands (registered here on a local app)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from procountor_export.cli import payments as cli_payments
from procountor_export.store.models import JournalEntry


@pytest.fixture
def app(rig: Any, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """The command on a local app, its store the rig's and its clients routed to the emulator."""
    monkeypatch.setenv(
        "PROCOUNTOR_EXPORT_DATABASE_URL", rig.store.engine.url.render_as_string(False)
    )
    monkeypatch.setattr(cli_payments, "ClientFactory", lambda config: rig.factory())
    monkeypatch.setattr(cli_payments, "_box", lambda: rig.box)
    local = typer.Typer()
    local.command("noop")(lambda: None)  # a group, so "payments" is a subcommand
    cli_payments.register(local)
    return local


def test_sync_prints_what_changed_and_exits_0(rig: Any, app: typer.Typer) -> None:
    rig.load(4)
    rig.export()
    with rig.store.session() as session:
        ids = sorted(
            i for i in session.scalars(select(JournalEntry.procountor_invoice_id)) if i is not None
        )
    with rig.api() as client:
        client.invoices.approve(ids[0])
    response = rig.http.post(
        "/_emulator/payments",
        json={"invoiceId": ids[0], "amount": 10.0, "paymentDate": "2026-03-05"},
    )
    assert response.status_code == 200, response.text

    result = CliRunner().invoke(app, ["payments", "sync", "--json"])

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    [company] = body["companies"]
    assert body["ok"] is True
    assert (company["events_added"], company["invoices_changed"]) == (1, len(ids))
    assert company["calls"] == sum(company["calls_by_endpoint"].values()) >= 2
    assert "demo-api-key" not in result.stdout  # the company is named by a digest

    table = CliRunner().invoke(app, ["payments", "sync"])
    assert table.exit_code == 0, table.output
    assert "Events added" in table.stdout


def test_a_company_without_a_key_exits_1(
    rig: Any, app: typer.Typer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig.load(2)
    monkeypatch.setattr(cli_payments, "_box", lambda: None)  # the stored key cannot be read

    result = CliRunner().invoke(app, ["payments", "sync", "--json"])

    assert result.exit_code == 1
    [company] = json.loads(result.stdout)["companies"]
    assert "PROCOUNTOR_EXPORT_SECRET_KEY" in company["error"]
