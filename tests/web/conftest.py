"""The web app over a SQLite store, with the Procountor emulator in process."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from procountor_export.emulator import create_app as create_emulator
from procountor_export.runtime.connections import ClientFactory
from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.web import create_app

sys.path.insert(0, str(Path(__file__).parent))

from webrig import LOOPBACK, Served, make_settings  # type: ignore[import-not-found]


@pytest.fixture
def emulator_http() -> Iterator[TestClient]:
    with TestClient(create_emulator(rate_limit=None), base_url="http://emulator") as http:
        yield http


@pytest.fixture
def served(
    request: pytest.FixtureRequest, tmp_path: Path, emulator_http: TestClient
) -> Iterator[Served]:
    """The app over a SQLite store; tests that must hold on both stores parametrize it:
    ``@pytest.mark.parametrize("served", ["sqlite", "postgresql"], indirect=True)``."""
    settings = make_settings(tmp_path)
    if getattr(request, "param", "sqlite") == "postgresql":
        url = request.getfixturevalue("postgres_schema_url")
        settings = settings.model_copy(update={"database_url": url})
    store = Store.open(settings.database_url)
    with store.session() as session:
        token = access.create_token(session, "tms")
    app = create_app(
        settings, store=store, client_factory=ClientFactory(settings, http_client=emulator_http)
    )
    yield Served(app, store, settings, token)
    app.state.web.jobs.close()
    store.close()


@pytest.fixture
def client(served: Served) -> Iterator[TestClient]:
    """A browser on the server's own machine (no user yet, so no login asked for)."""
    with TestClient(served.app, base_url="http://127.0.0.1", client=LOOPBACK) as http:
        yield http
