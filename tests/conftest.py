"""Fixtures shared by every test: stores on SQLite and PostgreSQL, settings without surprises."""

from __future__ import annotations

import os
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import stamina
from sqlalchemy import create_engine, text

from procountor_export.store.db import Store, make_engine, migrate

sys.path.insert(0, str(Path(__file__).parent))  # helpers shared by several folders (docs_hooks)

POSTGRES_URL = os.environ.get(
    "PROCOUNTOR_EXPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# CI sets this: there a missing PostgreSQL is a failure, not a skip.
REQUIRE_SERVICES = os.environ.get("PROCOUNTOR_EXPORT_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _no_retry_sleeps() -> Iterator[None]:
    """Retries run at once in tests (stamina's test switch)."""
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's own configuration or writes in the checkout."""
    keep = {"PROCOUNTOR_EXPORT_REQUIRE_SERVICES"}
    for name in list(os.environ):
        if name.startswith("PROCOUNTOR_") and "_TEST_" not in name and name not in keep:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL test server's URL; skips (or fails in CI) when it is not running."""
    if not _postgres_available():
        if REQUIRE_SERVICES:
            pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_URL}")
        pytest.skip("PostgreSQL is not running")
    return POSTGRES_URL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file URL."""
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose search path is a fresh schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgres_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_schema_url"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once per test process, for tests to start from a copy of.

    Running the migrations for each test cost about 0.1 s a test; a copy costs well under a
    millisecond. Tests of the migrations themselves start from an empty file (``sqlite_url``).
    """
    path = tmp_path_factory.mktemp("template") / "store.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


def _copy_sqlite(template: Path, url: str) -> None:
    """Write a copy of ``template`` where the SQLite ``url`` points (SQLite's own backup)."""
    source = sqlite3.connect(template)
    target = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


@pytest.fixture
def store(database_url: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A migrated store on each backend (SQLite: a copy of the migrated template)."""
    if database_url.startswith("sqlite"):
        _copy_sqlite(request.getfixturevalue("sqlite_template"), database_url)
    engine = make_engine(database_url)
    migrate(engine)  # on the SQLite copy only the check that it is current
    opened = Store(engine)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(sqlite_url: str, sqlite_template: Path) -> Iterator[Store]:
    """A migrated store on SQLite only (for tests that are about something else)."""
    _copy_sqlite(sqlite_template, sqlite_url)
    opened = Store.open(sqlite_url)
    yield opened
    opened.close()
