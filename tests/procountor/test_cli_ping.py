"""``procountor-export procountor ping`` against the emulator served on a loopback port."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.emulator import Seed, create_app, default_seed
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.models import ExportDefinition
from procountor_export.store.secrets import SecretBox

runner = CliRunner()
LIMITED_KEY = "limited-api-key"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed() -> Seed:
    """The demo company, plus a copy whose API user lacks two of the required rights."""
    seed = default_seed()
    limited = seed.companies[0].model_copy(deep=True)
    limited.api_key = LIMITED_KEY
    limited.user.rights["sales"]["productRegister"] = "VIEWING_RIGHTS"
    del limited.user.rights["accounting"]["journalReceiptSearch"]
    seed.companies.append(limited)
    return seed


@pytest.fixture(scope="module")
def emulator_url(serve_emulator: Callable[[Any], str]) -> str:
    """The emulator (with the limited company) on a loopback port; its API root."""
    return serve_emulator(create_app(_seed(), rate_limit=None))


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, emulator_url: str) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PROCOUNTOR_BASE_URL", emulator_url)
    monkeypatch.setenv("PROCOUNTOR_CLIENT_ID", "demo-client")
    monkeypatch.setenv("PROCOUNTOR_CLIENT_SECRET", "demo-secret")
    return monkeypatch


def test_ping_shows_company_and_rights(env: pytest.MonkeyPatch) -> None:
    env.setenv("PROCOUNTOR_API_KEY", "demo-api-key")
    result = runner.invoke(app, ["procountor", "ping"])
    assert result.exit_code == 0, result.output
    assert "Kuljetus Demo Oy" in result.output
    assert "EUR" in result.output
    assert "1234567-8" in result.output
    assert "sales.productRegister" in result.output
    assert "NO" not in result.output.split("API user rights", 1)[1]


def test_ping_json(env: pytest.MonkeyPatch, emulator_url: str) -> None:
    env.setenv("PROCOUNTOR_API_KEY", "demo-api-key")
    result = runner.invoke(app, ["procountor", "ping", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["base_url"] == emulator_url
    assert data["company"]["name"] == "Kuljetus Demo Oy"
    assert data["company"]["currency"] == "EUR"
    assert isinstance(data["company"]["id"], int)
    assert data["missing"] == []
    assert len(data["rights"]) == 11
    assert "demo-api-key" not in result.output
    assert "demo-secret" not in result.output


def test_ping_with_a_wrong_key_says_the_credentials_were_refused(
    env: pytest.MonkeyPatch,
) -> None:
    env.setenv("PROCOUNTOR_API_KEY", "wrong-key")
    result = runner.invoke(app, ["procountor", "ping"])
    assert result.exit_code == 1
    assert "The user credentials were not accepted by Procountor" in result.output
    assert "wrong-key" not in result.output


def test_ping_without_an_api_key_is_a_clear_error(env: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["procountor", "ping"])
    assert result.exit_code == 1
    assert "PROCOUNTOR_API_KEY is not set" in result.output


def test_ping_when_procountor_is_unreachable(env: pytest.MonkeyPatch) -> None:
    env.setenv("PROCOUNTOR_API_KEY", "demo-api-key")
    env.setenv("PROCOUNTOR_BASE_URL", f"http://127.0.0.1:{_free_port()}/api")
    env.setenv("PROCOUNTOR_TIMEOUT", "2")
    result = runner.invoke(app, ["procountor", "ping", "--json"])
    assert result.exit_code == 1
    assert "Cannot reach Procountor" in json.loads(result.stdout)["error"]


def test_ping_with_a_wrong_api_root(env: pytest.MonkeyPatch, emulator_url: str) -> None:
    env.setenv("PROCOUNTOR_API_KEY", "demo-api-key")
    env.setenv("PROCOUNTOR_BASE_URL", emulator_url.replace("/api", "/nothing/here"))
    result = runner.invoke(app, ["procountor", "ping"])
    assert result.exit_code == 1
    assert "PROCOUNTOR_BASE_URL" in result.output


def _store_export(tmp_path: Path, env: pytest.MonkeyPatch, **fields: str) -> None:
    key = Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    env.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", url)
    env.setenv("PROCOUNTOR_EXPORT_SECRET_KEY", key)
    values = dict(fields)
    if "password" in values:
        values["password_encrypted"] = SecretBox(key.encode()).encrypt(values.pop("password"))
    store = Store.open(url)
    with store.session() as session:
        session.add(ExportDefinition(name="Procountor (API)", **values))
    store.close()


def test_ping_with_an_exports_encrypted_key(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _store_export(tmp_path, env, password="demo-api-key")
    result = runner.invoke(app, ["procountor", "ping", "--export", "Procountor (API)", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["company"]["name"] == "Kuljetus Demo Oy"


def test_ping_with_an_exports_key_from_the_environment(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _store_export(tmp_path, env, password_env="CUSTOMER_A_PROCOUNTOR_KEY")
    result = runner.invoke(app, ["procountor", "ping", "--export", "Procountor (API)"])
    assert result.exit_code == 1
    assert "CUSTOMER_A_PROCOUNTOR_KEY, which is not set" in result.output
    env.setenv("CUSTOMER_A_PROCOUNTOR_KEY", "demo-api-key")
    result = runner.invoke(app, ["procountor", "ping", "--export", "Procountor (API)"])
    assert result.exit_code == 0, result.output


def test_ping_with_an_unknown_export(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _store_export(tmp_path, env, password="demo-api-key")
    result = runner.invoke(app, ["procountor", "ping", "--export", "Nope"])
    assert result.exit_code == 1
    assert "Export 'Nope' does not exist" in result.output  # the configure commands' words


def test_ping_finds_an_exports_key_as_the_export_does(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One lookup of an export's API key: ``ping --export`` fails with the export's sentence."""
    _store_export(tmp_path, env)  # no key at all
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.session() as session:
        definition = export_settings.require_export(session, "Procountor (API)")
        with pytest.raises(export_settings.SettingsError) as raised:
            export_settings.api_key(definition, None)
    store.close()
    result = runner.invoke(app, ["procountor", "ping", "--export", "Procountor (API)"])
    assert result.exit_code == 1
    assert " ".join(str(raised.value).split()) in " ".join(result.output.split())


def test_ping_reports_missing_rights(env: pytest.MonkeyPatch) -> None:
    env.setenv("PROCOUNTOR_API_KEY", LIMITED_KEY)
    result = runner.invoke(app, ["procountor", "ping"])
    assert result.exit_code == 2
    assert "Kuljetus Demo Oy" in result.output  # it got that far
    assert "lacks these rights" in result.output
    assert "sales.productRegister" in result.output.split("lacks these rights", 1)[1]
    assert "accounting.journalReceiptSearch" in result.output.split("lacks these rights", 1)[1]

    result = runner.invoke(app, ["procountor", "ping", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["missing"] == ["sales.productRegister", "accounting.journalReceiptSearch"]
    levels = {row["right"]: row["level"] for row in data["rights"]}
    assert levels["sales.productRegister"] == "VIEWING_RIGHTS"
    assert levels["accounting.journalReceiptSearch"] is None
