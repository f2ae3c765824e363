"""Pure parts: money rounding, references, the Windows-1252 check, seeds, the CLI command."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx2
import pytest
import typer
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from procountor_export.cli import emulator as emulator_cli
from procountor_export.emulator import create_app, default_seed, load_seed
from procountor_export.emulator.cp1252 import bad_text_fields, is_cp1252
from procountor_export.emulator.money import (
    cents,
    finnish_check_digit,
    finnish_reference,
    split,
    valid_reference,
)
from procountor_export.emulator.testing import TOKEN_FORM


def test_cents_rounds_half_up() -> None:
    assert cents(Decimal("192.525")) == Decimal("192.53")
    assert cents(Decimal("-0.005")) == Decimal("-0.01")
    assert cents(Decimal("0.0249")) == Decimal("0.02")


def test_split_sums_exactly() -> None:
    shares = split(Decimal("-100.00"), [Decimal(1) / 3 * 100] * 3)
    assert sum(shares) == Decimal("-100.00")
    assert shares == [Decimal("-33.33"), Decimal("-33.33"), Decimal("-33.34")]


def test_finnish_reference() -> None:
    assert finnish_check_digit("123") == 2
    assert valid_reference("1232")
    assert not valid_reference("1234")
    assert all(valid_reference(finnish_reference(n)) for n in range(1, 500))
    assert not valid_reference("12")


def test_rf_reference() -> None:
    assert valid_reference("RF18539007547034")
    assert valid_reference("RF18 5390 0754 7034")
    assert not valid_reference("RF19539007547034")


def test_windows_1252() -> None:
    assert is_cp1252("Hyvää päivää – €")
    assert not is_cp1252("Łódź")
    assert not is_cp1252("\u0081")
    body = {"a": "ok", "b": [{"c": "ė"}], "d": {"e": "ೠ"}}
    assert list(bad_text_fields(body)) == ["b[0].c", "d.e"]


def test_default_seed_is_the_demo_company() -> None:
    seed = default_seed()
    company = seed.companies[0]
    assert (seed.clients[0].client_id, seed.clients[0].client_secret) == (
        "demo-client",
        "demo-secret",
    )
    assert company.api_key == "demo-api-key"
    assert company.company.name == "Kuljetus Demo Oy"
    assert company.receivables_account == "1700"


def test_seed_file_changes_credentials(tmp_path: Path) -> None:
    data = default_seed().model_dump(mode="json", by_alias=True)
    data["clients"] = [{"clientId": "other", "clientSecret": "s3cret"}]
    data["companies"][0]["apiKey"] = "key-2"
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    seed = load_seed(path)
    client = TestClient(create_app(seed, rate_limit=None))
    assert client.post("/api/oauth/token", data=TOKEN_FORM).status_code == 401
    form = {**TOKEN_FORM, "client_id": "other", "client_secret": "s3cret", "api_key": "key-2"}
    assert client.post("/api/oauth/token", data=form).status_code == 200


def test_seed_rejects_more_than_six_dimensions(tmp_path: Path) -> None:
    data = default_seed().model_dump(mode="json", by_alias=True)
    data["companies"][0]["dimensions"] = [{"name": f"D{i}"} for i in range(7)]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError):
        load_seed(path)


def test_two_companies_are_isolated() -> None:
    data = default_seed().model_dump(mode="json", by_alias=True)
    second = json.loads(json.dumps(data["companies"][0]))
    second["apiKey"] = "second-key"
    second["company"]["name"] = "Toinen Demo Oy"
    data["companies"].append(second)
    client = TestClient(create_app(default_seed().model_validate(data), rate_limit=None))
    tokens = {
        key: client.post("/api/oauth/token", data={**TOKEN_FORM, "api_key": key}).json()[
            "access_token"
        ]
        for key in ("demo-api-key", "second-key")
    }
    first_headers = {"Authorization": f"Bearer {tokens['demo-api-key']}"}
    second_headers = {"Authorization": f"Bearer {tokens['second-key']}"}
    body = {"name": "G", "type": "SALES"}
    first = client.post("/api/products/groups", json=body, headers=first_headers).json()
    other = client.post("/api/products/groups", json=body, headers=second_headers).json()
    assert first["id"] == other["id"]  # per-company sequences
    assert client.get("/api/sessioninfo", headers=second_headers).json()["name"] == "Toinen Demo Oy"
    groups = client.get("/api/products/groups", headers=first_headers).json()["productGroups"]
    assert len(groups) == 1


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test shell."""

    emulator_cli.register(app)
    return app


def test_cli_help_lists_the_options() -> None:
    result = CliRunner().invoke(_cli(), ["emulator", "--help"])
    assert result.exit_code == 0
    for option in (
        "--host", "--port", "--seed", "--rate-limit", "--latency-ms", "--state-file",
        "--lenient", "--empty-search-404", "--allow-inactive-items",
    ):  # fmt: skip
        assert option in result.output


def test_cli_reports_a_bad_seed(tmp_path: Path) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text("{}")
    result = CliRunner().invoke(_cli(), ["emulator", "--seed", str(bad)])
    assert result.exit_code == 1
    assert "cannot read the seed" in result.output


def test_cli_serves_and_prints_its_base_url(tmp_path: Path) -> None:
    port = _free_port()
    state_file = tmp_path / "state.json"
    command = [sys.executable, "-m", "procountor_export.cli", "emulator", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--state-file", str(state_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line == f"http://127.0.0.1:{port}/api"
        token = httpx2.post(f"{line}/oauth/token", data=TOKEN_FORM, timeout=5)
        assert token.status_code == 200
        assert state_file.exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_countries_are_the_procountor_enum_names() -> None:
    from procountor_export.emulator.enums import is_country

    assert is_country("FINLAND")
    assert is_country("UNITED_KINGDOM_OF_GREAT_BRITAIN_AND_NORTHERN_IRELAND")
    assert not is_country("FI")
    assert not is_country("FINLANDIA")  # the right shape, but not a Procountor country
