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


@pytest.fixture
def rig(store: Store) -> Iterator[Rig]:
    app = create_app(rate_limit=None)
    with TestClient(app, base_url="http://emulator") as http:
        yield Rig(store, app, http, SecretBox(Fernet.generate_key()), [])


@pytest.fixture
def sqlite_rig(sqlite_store: Store) -> Iterator[Rig]:
    app = create_app(rate_limit=None)
    with TestClient(app, base_url="http://emulator") as http:
        yield Rig(sqlite_store, app, http, SecretBox(Fernet.generate_key()), [])
