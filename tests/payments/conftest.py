"""Fixtures for the payment sync: a store, the in-process emulator and an export between them
(the integration tests' rig)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox

sys.path.insert(0, str(Path(__file__).parent.parent / "integration"))

from rig import Rig  # type: ignore[import-not-found]


class Clock:
    """The emulator's clock: real time, moved on by the test (versions are its seconds)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def tick(self, seconds: float = 2) -> None:
        self.offset += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rig(store: Store, clock: Clock) -> Iterator[Rig]:
    app = create_app(rate_limit=None, clock=clock)
    with TestClient(app, base_url="http://emulator") as http:
        yield Rig(store, app, http, SecretBox(Fernet.generate_key()), [])
