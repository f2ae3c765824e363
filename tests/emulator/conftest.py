"""Fixtures for the emulator tests: an in-process app and clients with and without a token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.emulator.testing import TOKEN_FORM


@pytest.fixture
def app() -> FastAPI:
    return create_app(rate_limit=None)


@pytest.fixture
def raw(app: FastAPI) -> Iterator[TestClient]:
    """A client without a token."""
    with TestClient(app, base_url="http://emulator") as client:
        yield client


@pytest.fixture
def api(raw: TestClient) -> TestClient:
    """A client carrying a valid bearer token for the demo company; paths are relative to /api."""
    response = raw.post("/api/oauth/token", data=TOKEN_FORM)
    assert response.status_code == 200
    raw.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    raw.base_url = "http://emulator/api/"  # type: ignore[assignment]
    return raw
