"""The web tests' rig: the app with its store and token, and waiting for runs."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from fastapi import FastAPI
from starlette.testclient import TestClient

from procountor_export.settings import Settings, load_settings
from procountor_export.store.db import Store

LOOPBACK = ("127.0.0.1", 50000)  # the test client's address as a request straight from the loopback


@dataclass
class Served:
    """The web app, its store and a valid API token."""

    app: FastAPI
    store: Store
    settings: Settings
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def wait(self) -> None:
        self.app.state.web.jobs.wait(60)


def make_settings(folder: Path) -> Settings:
    key_file = folder / "web.key"
    key_file.write_bytes(Fernet.generate_key())
    return load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{folder / 'web.sqlite'}",
        PROCOUNTOR_EXPORT_KEY_FILE=key_file,
        PROCOUNTOR_BASE_URL="http://emulator/api",
        PROCOUNTOR_RATE_LIMIT=10_000,
    )


def wait_for_run(client: TestClient, served: Served, run_id: int) -> dict[str, Any]:
    """The run's JSON once it ended (waits for the background thread)."""
    served.wait()
    deadline = time.monotonic() + 30
    while True:
        answer = client.get(f"/api/v1/exports/{run_id}", headers=served.auth)
        assert answer.status_code == 200, answer.text
        data: dict[str, Any] = answer.json()
        if not data["running"] or time.monotonic() > deadline:
            return data
        time.sleep(0.05)
