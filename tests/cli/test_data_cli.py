"""The data commands: init, import, and the list commands, through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from procountor_export.cli import app

EXAMPLE = Path(__file__).parents[1] / "tms" / "data" / "example.json"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A store in a temporary SQLite file and a key file next to it."""
    monkeypatch.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("PROCOUNTOR_EXPORT_KEY_FILE", str(tmp_path / "secret.key"))
    return {}


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin)


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.mark.usefixtures("env")
def test_init_creates_the_database_and_key_once(tmp_path: Path) -> None:
    first = run("init")
    assert first.exit_code == 0, first.output
    assert "Database ready: sqlite:///" in first.output
    assert "Secret key created:" in first.output
    key = tmp_path / "secret.key"
    assert key.is_file()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    content = key.read_bytes()
    second = run("init")
    assert second.exit_code == 0
    assert "Secret key file:" in second.output
    assert key.read_bytes() == content  # idempotent: the key is never replaced


@pytest.mark.usefixtures("env")
def test_init_with_the_key_in_the_environment_writes_no_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCOUNTOR_EXPORT_SECRET_KEY", "x" * 43 + "=")
    result = run("init")
    assert result.exit_code == 0
    assert "from PROCOUNTOR_EXPORT_SECRET_KEY" in result.output
    assert not (tmp_path / "secret.key").exists()


@pytest.mark.usefixtures("env")
def test_import_prints_counts_and_the_closed_periods() -> None:
    result = run("import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "invoices" in result.output
    assert "Newly closed periods: 2025-03-A" in result.output


@pytest.mark.usefixtures("env")
def test_import_from_stdin_as_json_reports_unchanged_the_second_time() -> None:
    assert run("import", str(EXAMPLE)).exit_code == 0
    result = run("import", "-", "--json", stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["accepted"] is True
    assert report["counts"]["invoices"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert report["errors"] == []


@pytest.mark.usefixtures("env")
def test_a_rejected_document_lists_every_problem_and_exits_1() -> None:
    document = example()
    document["invoices"][0]["totals"]["net"] = 350.0
    document["invoices"][0]["customer"] = "NOPE"
    document["extra"] = True
    result = run("import", "-", stdin=json.dumps(document))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "The document was rejected: 3 problems; nothing was imported." in lines
    assert 'invoices[0].totals.net: must be a decimal string like "12.50", not a number' in lines
    assert 'invoices[0].customer: unknown customer "NOPE"' in lines
    assert any(line.startswith("extra: unknown top-level key") for line in lines)

    as_json = run("import", "-", "--json", stdin=json.dumps(document))
    assert as_json.exit_code == 1
    errors = json.loads(as_json.stdout)["errors"]
    assert {"path": "invoices[0].customer", "message": 'unknown customer "NOPE"'} in errors

    listed = run("invoices", "list", "--json")
    assert json.loads(listed.stdout) == []  # nothing was imported


@pytest.mark.usefixtures("env")
def test_a_missing_file_is_a_clean_error() -> None:
    result = run("import", "no-such.json")
    assert result.exit_code == 1
    assert "No such file: no-such.json" in result.output


@pytest.mark.usefixtures("env")
def test_the_list_commands() -> None:
    document = example()
    document["customers"].append(
        {"code": "BETA", "customer_no": "1002", "name": "Beta Ab", "address": {"name": "Beta"}}
    )
    document["periods"].append({"id": "2025-04-A", "from": "2025-04-01", "to": "2025-04-30"})
    document["invoices"].append(
        dict(
            document["invoices"][0],
            number="250101",
            period="2025-04-A",
            date="2025-04-30",
            due_date="2025-05-14",
        )
    )
    assert run("import", "-", stdin=json.dumps(document)).exit_code == 0

    periods = json.loads(run("periods", "list", "--json").stdout)
    assert [(p["id"], p["invoices"], p["closed_at"]) for p in periods] == [
        ("2025-03-A", 1, "2025-03-31 18:00:00"),
        ("2025-04-A", 1, None),
    ]
    invoices = json.loads(run("invoices", "list", "--period", "2025-04-A", "--json").stdout)
    assert [(i["number"], i["state"], i["total_gross"]) for i in invoices] == [
        ("250101", "NEW", "439.25")
    ]
    new = json.loads(run("invoices", "list", "--state", "new", "--json").stdout)
    assert len(new) == 2
    assert json.loads(run("invoices", "list", "--state", "EXPORTED", "--json").stdout) == []
    missing = json.loads(run("customers", "list", "--missing-sales-ledger-no", "--json").stdout)
    assert [c["code"] for c in missing] == ["BETA"]

    table = run("invoices", "list")
    assert table.exit_code == 0
    assert "250101" in table.output
    assert "NEW" in table.output
    assert "2025-04-A" in run("periods", "list").output
    assert "Beta Ab" in run("customers", "list").output


@pytest.mark.usefixtures("env")
def test_a_wrong_state_is_a_usage_error() -> None:
    result = run("invoices", "list", "--state", "DONE")
    assert result.exit_code == 2


def test_every_data_command_has_help() -> None:
    for command in (
        ["init"],
        ["import"],
        ["periods", "list"],
        ["invoices", "list"],
        ["customers", "list"],
    ):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert len(result.output.strip().splitlines()) > 3, command
