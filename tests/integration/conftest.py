"""Fixtures for the export engine against the in-process emulator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox

sys.path.insert(0, str(Path(__file__).parent))

from rig import Rig  # type: ignore[import-not-found]

# Procountor's spec lists 404 "Invoice not found" among the answers of a search: whether a search
# without a match answers an empty page or 404 is not documented, so the export is tested
# under both readings.
SEARCH_READINGS = [
    pytest.param(False, id="empty-page"),
    pytest.param(True, id="search-404"),
]


@pytest.fixture(params=SEARCH_READINGS)
def empty_search_404(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def rig(store: Store, empty_search_404: bool) -> Iterator[Rig]:
    app = create_app(rate_limit=None, empty_search_404=empty_search_404)
    with TestClient(app, base_url="http://emulator") as http:
        yield Rig(store, app, http, SecretBox(Fernet.generate_key()), [])


@pytest.fixture
def sqlite_rig(sqlite_store: Store, empty_search_404: bool) -> Iterator[Rig]:
    app = create_app(rate_limit=None, empty_search_404=empty_search_404)
    with TestClient(app, base_url="http://emulator") as http:
        yield Rig(sqlite_store, app, http, SecretBox(Fernet.generate_key()), [])
