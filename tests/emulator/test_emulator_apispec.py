"""The shipped API table: loadable as package data, and covering every route the emulator serves."""

from __future__ import annotations

import importlib.resources
import json
import subprocess
import sys
from pathlib import Path

import pytest

from procountor_export import apispec
from procountor_export.emulator import create_app

ROOT = Path(__file__).resolve().parents[2]
FULL_TABLE = Path("/work/shared/procountor-openapi-26.04.json")


def test_table_ships_as_package_data() -> None:
    resource = importlib.resources.files("procountor_export.apispec").joinpath("api-26.04.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    assert data["version"] == "26.04"
    assert "rantalainen/procountor-api-client" in data["source"]


def test_loader_answers_operations_and_fields() -> None:
    table = apispec.load()
    operation = table.operation("POST", "/invoices")
    assert operation.body_schema == "Invoice"
    assert operation.response_schema() == "Invoice"
    # Parameter names do not matter when looking an operation up.
    assert table.operation("GET", "/invoices/{ids}").path == "/invoices/{invoiceId}"
    assert table.find_operation("POST", "/oauth/token") is None
    identifier = table.fields("InvoicingInfo")["identifier"]
    assert (identifier.type, identifier.required) == ("string", False)
    assert "taxCode" not in table.fields("InvoicingInfo")
    rows = table.fields("Invoice")["invoiceRows"]
    assert (rows.ref, rows.array, rows.required) == ("InvoiceRow", True, True)
    assert table.fields("BusinessPartner")["name"].max_length == 80


def test_every_emulator_route_is_in_the_table_except_the_token_call() -> None:
    table = apispec.load()
    paths = create_app(rate_limit=None).openapi()["paths"]
    unknown = [
        f"{method.upper()} {path}"
        for path, methods in paths.items()
        if path.startswith("/api/")
        for method in methods
        if table.find_operation(method, path.removeprefix("/api")) is None
    ]
    assert unknown == ["POST /api/oauth/token"]


def test_every_referenced_schema_is_in_the_table() -> None:
    table = apispec.load()
    missing = set()
    for schema in table.schemas.values():
        missing |= {f.ref for f in schema.fields.values() if f.ref and not table.has_schema(f.ref)}
    # The full table itself lacks DataModel (the deprecated ``model`` of an error entry).
    assert missing <= {"DataModel"}


@pytest.mark.skipif(not FULL_TABLE.exists(), reason="the shared full table is not available")
def test_extractor_reproduces_the_shipped_table(tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "extract_api_table.py"),
            str(FULL_TABLE),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    shipped = ROOT / "src" / "procountor_export" / "apispec" / "api-26.04.json"
    assert json.loads(out.read_text()) == json.loads(shipped.read_text())
