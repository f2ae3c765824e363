"""The export-settings commands, round trips through the CLI on a temporary SQLite store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from typer.testing import CliRunner, Result

from procountor_export.cli import app
from procountor_export.store.db import Store
from procountor_export.store.models import Customer, ExportDefinition
from procountor_export.store.secrets import SecretBox

NAME = "Procountor (API)"
API_KEY = "very-secret-api-key-42"


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> bytes:
    secret = Fernet.generate_key()
    monkeypatch.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("PROCOUNTOR_EXPORT_SECRET_KEY", secret.decode())
    return secret


@pytest.fixture
def db(key: bytes, tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'cli.sqlite'}")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input)


def ok(*args: str, input: str | None = None) -> Result:
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


def setup_article_steps() -> None:
    """Steps 2-4 of the article, the way the README shows them."""
    ok("exports", "set", NAME, "--password", "--include-pdf", input=f"{API_KEY}\n{API_KEY}\n")
    for vat_code, status in (("ALV25.5", "vat_1"), ("ALV0EU", "vat_6"), ("ALV0EXP", "vat_3")):
        ok("tax-codes", "set", NAME, vat_code, status)
    ok("groups", "set", NAME, "--export", NAME, "--default")


def test_article_setup_round_trip_never_shows_the_key(key: bytes, db: Store) -> None:
    setup_article_steps()

    shown = ok("settings", "show")
    shown_json = as_json("settings", "show")

    assert API_KEY not in shown.output
    assert API_KEY not in json.dumps(shown_json)
    assert "set (encrypted)" in shown.output
    (export,) = shown_json["exports"]
    assert export["password"] == "set (encrypted)"
    assert export["include_pdf"] is True
    assert export["tax_rate_codes"] == {"ALV0EU": "vat_6", "ALV0EXP": "vat_3", "ALV25.5": "vat_1"}
    assert shown_json["groups"] == [
        {"name": NAME, "default": True, "exports": [NAME], "customers": 0}
    ]
    assert shown_json["terminology"] == [
        {
            "key": "IES_ProcountorAPIProductGroup",
            "value": "OpterGroup",
            "default": "OpterGroup",
            "is_default": True,
        }
    ]
    with db.session() as session:
        stored = session.scalars(select(ExportDefinition)).one()
        assert stored.password_encrypted
        assert API_KEY not in stored.password_encrypted
        assert SecretBox(key).decrypt(stored.password_encrypted) == API_KEY


def test_password_prompt_is_hidden_and_confirmed(key: bytes) -> None:
    result = run(
        "exports", "set", NAME, "--password", input=f"{API_KEY}\nother\n{API_KEY}\n{API_KEY}\n"
    )
    assert result.exit_code == 0, result.output
    assert API_KEY not in result.output  # the prompt does not echo it
    assert "do not match" in result.output.lower()


def test_password_env_is_shown_by_name(key: bytes) -> None:
    ok("exports", "set", NAME, "--password-env", "PROCOUNTOR_API_KEY")
    assert as_json("exports", "list")[0]["password"] == "from $PROCOUNTOR_API_KEY"
    ok("exports", "set", "Other")
    rows = {row["name"]: row for row in as_json("exports", "list")}
    assert rows["Other"]["password"] == "missing"


def test_password_needs_a_secret_key(key: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROCOUNTOR_EXPORT_SECRET_KEY")
    result = run("exports", "set", NAME, "--password", input="k\nk\n")
    assert result.exit_code == 1
    assert "Export 'Procountor (API)': the password cannot be stored" in result.output


def test_export_options_change_and_keep(key: bytes) -> None:
    ok("exports", "set", NAME, "--include-pdf", "--after-create", "approve")
    ok("exports", "set", NAME, "--reduce-pdf")
    (row,) = as_json("exports", "list")
    assert row["include_pdf"] is True
    assert row["reduce_pdf"] is True
    assert row["after_create"] == "approve"
    assert row["type"] == "procountor-api"
    assert row["encoding"] == "UTF-8"
    ok("exports", "set", NAME, "--no-include-pdf")
    assert as_json("exports", "list")[0]["include_pdf"] is False


def test_errors_exit_1_naming_record_and_field(key: bytes) -> None:
    ok("exports", "set", NAME)
    cases = [
        (("exports", "set", NAME, "--encoding", "latin-1"), "encoding 'latin-1'"),
        (("tax-codes", "set", NAME, "ALV14", "vat1"), "VAT code 'ALV14'"),
        (("tax-codes", "set", "Nope", "ALV14", "vat_1"), "Export 'Nope' does not exist"),
        (("tax-codes", "remove", NAME, "ALV99"), "no tax rate code for VAT code 'ALV99'"),
        (("groups", "set", "G", "--export", "Nope"), "export 'Nope' does not exist"),
        (("customer-group", "set", "NOPE", "G"), "Customer 'NOPE' does not exist"),
        (("exports", "remove", "Nope"), "Export 'Nope' does not exist"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert message in " ".join(result.output.split()), (args, result.output)


def test_tax_codes_set_list_remove(key: bytes) -> None:
    ok("exports", "set", NAME)
    ok("tax-codes", "set", NAME, "ALV25.5", "vat_1")
    ok("tax-codes", "set", NAME, "ALV14", "vat_1")
    ok("tax-codes", "set", NAME, "ALV14", "vat_2")
    assert as_json("tax-codes", "list", NAME) == {"ALV14": "vat_2", "ALV25.5": "vat_1"}
    ok("tax-codes", "remove", NAME, "ALV14")
    assert as_json("tax-codes", "list", NAME) == {"ALV25.5": "vat_1"}
    assert "ALV25.5" in ok("tax-codes", "list", NAME).output


def test_groups_default_moves_and_is_kept_when_not_given(key: bytes) -> None:
    ok("exports", "set", "A")
    ok("exports", "set", "B")
    ok("groups", "set", "G1", "--export", "A", "--default")
    ok("groups", "set", "G2", "--export", "A", "--export", "B", "--default")
    ok("groups", "set", "G2", "--export", "B")  # no --default: stays the default
    rows = {row["name"]: row for row in as_json("groups", "list")}
    assert rows["G1"]["default"] is False
    assert rows["G2"]["default"] is True
    assert rows["G2"]["exports"] == ["B"]
    ok("groups", "remove", "G1")
    assert [row["name"] for row in as_json("groups", "list")] == ["G2"]


def test_customer_group_set_list_clear(key: bytes, db: Store) -> None:
    with db.session() as session:
        session.add(Customer(code="ACME", customer_no="1", name="Acme Oy", address={"name": "A"}))
    ok("exports", "set", NAME)
    ok("groups", "set", "Special", "--export", NAME)
    ok("customer-group", "set", "ACME", "Special")
    assert as_json("customer-group", "list") == {"ACME": "Special"}
    assert as_json("settings", "show")["customer_group_overrides"] == 1
    assert as_json("groups", "list")[0]["customers"] == 1
    ok("customer-group", "clear", "ACME")
    assert as_json("customer-group", "list") == {}


def test_terminology_set_and_list(key: bytes) -> None:
    ok("terminology", "set", "IES_ProcountorAPIProductGroup", "Kuljetustuotteet")
    assert as_json("terminology", "list") == [
        {
            "key": "IES_ProcountorAPIProductGroup",
            "value": "Kuljetustuotteet",
            "default": "OpterGroup",
            "is_default": False,
        }
    ]
    assert "Kuljetustuotteet" in ok("terminology", "list").output


def test_exports_remove(key: bytes) -> None:
    ok("exports", "set", "Old")
    ok("exports", "remove", "Old")
    assert as_json("exports", "list") == []


def test_every_configure_command_has_help(key: bytes) -> None:
    groups = {
        "settings": ["show"],
        "exports": ["set", "list", "remove"],
        "tax-codes": ["set", "remove", "list"],
        "groups": ["set", "list", "remove"],
        "customer-group": ["set", "clear", "list"],
        "terminology": ["set", "list"],
    }
    for group, commands in groups.items():
        listing = ok(group, "--help").output
        for command in commands:
            assert command in listing
            assert "Usage" in ok(group, command, "--help").output


def test_factoring_and_customer_updates_are_set_shown_and_cleared(key: bytes, db: Store) -> None:
    ok("exports", "set", NAME, "--password-env", "PROCOUNTOR_KEY")
    (export,) = as_json("exports", "list")
    assert export["factoring_contract"] is None
    assert export["customer_updates"] == "create_and_update"

    ok(
        "exports", "set", NAME, "--factoring-contract", "RAH-1001",
        "--factoring-text", "Saatava on siirretty", "--customer-updates", "create_only",
    )  # fmt: skip
    (export,) = as_json("exports", "list")
    assert export["factoring_contract"] == "RAH-1001"
    assert export["factoring_text"] == "Saatava on siirretty"
    assert export["customer_updates"] == "create_only"
    shown = ok("exports", "list").output
    assert "factoring contract: RAH-1001 (Saatava on siirretty)" in shown
    assert "customer updates: create_only" in shown

    ok("exports", "set", NAME, "--no-factoring")
    (export,) = as_json("exports", "list")
    assert (export["factoring_contract"], export["factoring_text"]) == (None, None)
    assert export["customer_updates"] == "create_only"

    refused = run("exports", "set", NAME, "--no-factoring", "--factoring-contract", "X")
    assert refused.exit_code == 1
    assert "either --no-factoring or a factoring" in " ".join(refused.output.split())
    assert run("exports", "set", NAME, "--customer-updates", "always").exit_code == 2
