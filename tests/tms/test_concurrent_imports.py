"""Imports at the same time (issue 13): real ``procountor-export import`` processes.

Four processes import two overlapping documents into one new store at once, on SQLite and on
PostgreSQL: each must exit 0, the store must hold every record once, and the reports must add
up (every record created by exactly one of them, found unchanged by the others). And when the
store truly cannot be had, the user gets a message in plain words and a non-zero exit, while
the database's own text goes to the event log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from typer.testing import CliRunner

from procountor_export.cli import app, data
from procountor_export.samples.generator import generate_document
from procountor_export.store import models as db
from procountor_export.store.db import Store
from procountor_export.store.locks import StoreError, exclusive_session
from procountor_export.tms.report import KINDS

COMMAND = [sys.executable, "-m", "procountor_export", "import", "--json"]


def documents(tmp_path: Path) -> tuple[list[Path], dict[str, Any]]:
    """Two documents with the same master data and invoices 1-60 and 31-90 of one sample."""
    whole = generate_document(90, seed=13)
    invoices = whole["invoices"]
    parts = [dict(whole, invoices=invoices[:60]), dict(whole, invoices=invoices[30:])]
    paths = []
    for name, part in zip("ab", parts, strict=True):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(part), encoding="utf-8")
        paths.append(path)
    return paths, whole


def environment(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PROCOUNTOR_EXPORT_DATABASE_URL": database_url,
        "PROCOUNTOR_EXPORT_SECRET_KEY": Fernet.generate_key().decode(),
        "PROCOUNTOR_EXPORT_LOG_FILE": str(tmp_path / "events.log"),
    }


def test_four_imports_at_once_all_succeed_and_add_up(database_url: str, tmp_path: Path) -> None:
    (a, b), whole = documents(tmp_path)
    invoices = whole["invoices"]
    env = environment(database_url, tmp_path)
    # A new store: the four also race to create the schema.
    processes = [
        subprocess.Popen(
            [*COMMAND, str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for path in (a, b, a, b)
    ]
    outputs = [process.communicate(timeout=240) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr.decode()
    reports = [json.loads(stdout) for stdout, _ in outputs]
    assert all(report["accepted"] for report in reports)

    # Each report is true: what the others had created before it, it found unchanged.
    for kind in KINDS:
        totals = {sum(report["counts"][kind].values()) for report in reports[::2]}
        assert len(totals) == 1, kind  # the same document, the same records
        created = sum(report["counts"][kind]["created"] for report in reports)
        updated = sum(report["counts"][kind]["updated"] for report in reports)
        if kind == "invoices":
            assert created == len(invoices)
        else:
            assert created == totals.pop(), kind  # both documents carry all master data
        assert updated == 0, kind
    for report in reports:
        assert sum(report["counts"]["invoices"].values()) == 60
        assert report["conflicts"] == []
    closed = [period for report in reports for period in report["newly_closed_periods"]]
    assert len(closed) == len(set(closed))  # each period is newly closed once

    # The store holds every record once, children included.
    store = Store.open(database_url, create=False)
    try:
        with store.session() as session:
            stored = {
                model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (db.Office, db.Customer, db.Invoice, db.Order, db.Posting)
            }
            numbers = list(session.scalars(select(db.Invoice.number)))
    finally:
        store.close()
    assert sorted(numbers) == sorted(invoice["number"] for invoice in invoices)
    assert stored == {
        "office": 1,
        "customers": len(whole["customers"]),
        "invoices": len(invoices),
        "orders": sum(len(invoice["orders"]) for invoice in invoices),
        "postings": sum(len(invoice["postings"]) for invoice in invoices),
    }
    assert set(closed) == {p["id"] for p in whole["periods"] if p.get("closed_at")}


@pytest.fixture
def migrated(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


def test_an_import_that_waits_too_long_gives_up_in_plain_words(
    database_url: str, migrated: Store, tmp_path: Path, example_file: Path
) -> None:
    env = environment(database_url, tmp_path)
    with exclusive_session(migrated, "import", wait=5):  # another import holds the store
        result = CliRunner().invoke(app, ["import", "--wait", "0.3", str(example_file)], env=env)
    assert result.exit_code == 1
    assert result.stdout == ""
    message = " ".join(result.stderr.split())
    assert message == (
        "Error: Nothing was imported: the store stayed locked by another import or an export "
        "for more than 0.3 s. Try again when it has finished, or wait longer with --wait SECONDS."
    )
    log = (tmp_path / "events.log").read_text(encoding="utf-8")
    assert "ERROR procountor_export.store import into" in log
    assert "database is locked" in log or "lock timeout" in log  # the database's own words
    # Once the other import is done, the same command goes through.
    again = CliRunner().invoke(app, ["import", str(example_file)], env=env)
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:1/test",  # nothing listens on port 1
        "sqlite:////nonexistent-directory/store.sqlite",
    ],
)
def test_an_unreachable_store_gives_up_in_plain_words(
    url: str, tmp_path: Path, example_file: Path
) -> None:
    env = environment(url, tmp_path)
    result = CliRunner().invoke(app, ["import", str(example_file)], env=env)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert message.startswith("Error: Nothing was imported: the store at ")
    assert "could not be reached. Check that the database is running" in message
    log = (tmp_path / "events.log").read_text(encoding="utf-8")
    assert "the database could not be reached" in log
    assert "refused" in log.lower() or "unable to open database file" in log


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.json"
    path.write_text((Path(__file__).parent / "data" / "example.json").read_text("utf-8"), "utf-8")
    return path


@pytest.mark.parametrize("logged", [True, False])
def test_a_refused_import_says_where_the_databases_words_are(
    logged: bool, tmp_path: Path, example_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise StoreError("the database refused to store the document", "disk I/O error")

    monkeypatch.setattr(data, "import_document", refuse)
    env = environment(f"sqlite:///{tmp_path / 'store.sqlite'}", tmp_path)
    if not logged:
        del env["PROCOUNTOR_EXPORT_LOG_FILE"]
    result = CliRunner().invoke(app, ["import", str(example_file)], env=env)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "disk I/O error" not in message
    assert message.startswith(
        "Error: Nothing was imported: the database refused to store the document. "
        "The database's message "
    )
    if logged:
        assert message.endswith("is in the event log.")
        assert "disk I/O error" in (tmp_path / "events.log").read_text(encoding="utf-8")
    else:
        assert "set PROCOUNTOR_EXPORT_LOG_FILE" in message
