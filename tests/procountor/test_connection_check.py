"""The connection test when Procountor cannot be reached: ``procountor ping`` and the web's
Test connection say where and what failed, never blame a right, and keep retries off the console."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import ExportDefinition
from procountor_export.store.secrets import SecretBox
from procountor_export.web.connection import test_connection as web_test_connection

runner = CliRunner()
CREDENTIALS = {
    "PROCOUNTOR_CLIENT_ID": "demo-client",
    "PROCOUNTOR_CLIENT_SECRET": "demo-secret",
    "PROCOUNTOR_API_KEY": "demo-api-key",
}


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (the kernel does) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


def _ping(tmp_path: Path, base_url: str) -> subprocess.CompletedProcess[str]:
    """``procountor ping`` in its own process, as a user runs it: no logging set up by pytest."""
    env = {
        **os.environ,
        **CREDENTIALS,
        "PROCOUNTOR_BASE_URL": base_url,
        "PROCOUNTOR_TIMEOUT": "1",
        "PROCOUNTOR_EXPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
        "PROCOUNTOR_EXPORT_LOG_FILE": str(tmp_path / "events.log"),
        "PROCOUNTOR_EXPORT_LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "procountor_export.cli", "procountor", "ping"]
    # The guard is for a ping that never ends (a hang fails the test instead of the suite).
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_unreachable_procountor_is_named_and_the_retries_go_to_the_log_file(
    tmp_path: Path, closed_port: int
) -> None:
    url = f"http://127.0.0.1:{closed_port}/api"
    done = _ping(tmp_path, url)
    assert done.returncode == 1, done.stderr
    said = done.stdout + done.stderr
    assert f"Cannot reach Procountor at {url}: no connection could be made" in " ".join(
        said.split()
    )
    assert "stamina" not in said
    assert "right" not in said
    assert "retry_scheduled" in (tmp_path / "events.log").read_text(encoding="utf-8")


def test_a_host_that_never_answers_ends_the_ping_with_what_failed(
    tmp_path: Path, silent_port: int
) -> None:
    url = f"http://127.0.0.1:{silent_port}/api"
    done = _ping(tmp_path, url)
    assert done.returncode == 1, done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert f"Cannot reach Procountor at {url}: it did not answer in time" in said
    assert "stamina" not in said


def _gateway() -> Starlette:
    """A gateway in front of an API root: it lets the token call through, refuses the rest
    with its own HTML page (no word of Procountor's)."""

    async def token(request: Request) -> Response:
        return JSONResponse({"access_token": "t", "token_type": "bearer", "expires_in": 3600})

    async def refuse(request: Request) -> Response:
        return HTMLResponse("<html><body>403 Forbidden</body></html>", status_code=403)

    return Starlette(
        routes=[
            Route("/api/oauth/token", token, methods=["POST"]),
            Route("/api/{rest:path}", refuse, methods=["GET", "POST"]),
        ]
    )


def test_a_gateways_403_page_is_not_blamed_on_the_api_users_rights(
    monkeypatch: pytest.MonkeyPatch, serve_emulator: Callable[[Any], str]
) -> None:
    url = serve_emulator(_gateway())
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PROCOUNTOR_BASE_URL", url)
    result = runner.invoke(app, ["procountor", "ping", "--json"])
    assert result.exit_code == 1  # not 2, "rights missing"
    answer = json.loads(result.stdout)
    assert answer["reached"] is False
    assert answer["error"].startswith(f"Cannot reach Procountor's API at {url}: GET /sessioninfo")
    assert "HTTP 403 without an explanation from Procountor" in answer["error"]
    assert "lacks" not in answer["error"]


def test_the_web_test_says_the_same_sentence_as_ping(
    tmp_path: Path, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{closed_port}/api"
    key = Fernet.generate_key()
    settings = load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{tmp_path / 'store.sqlite'}",
        PROCOUNTOR_BASE_URL=url,
        PROCOUNTOR_CLIENT_ID="demo-client",
        PROCOUNTOR_CLIENT_SECRET=SecretStr("demo-secret"),
        PROCOUNTOR_TIMEOUT=1,
    )
    store = Store.open(settings.database_url)
    box = SecretBox(key)
    with store.session() as session:
        session.add(
            ExportDefinition(name="Procountor (API)", password_encrypted=box.encrypt("demo-key"))
        )
    factory = ClientFactory(settings)
    try:
        result = web_test_connection(store, factory, box, "Procountor (API)")
    finally:
        factory.close()
        store.close()
    assert result.ok is False
    assert result.error is not None
    assert result.error.startswith(f"Cannot reach Procountor at {url}: no connection could be made")
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PROCOUNTOR_BASE_URL", url)
    monkeypatch.setenv("PROCOUNTOR_TIMEOUT", "1")
    ping = json.loads(runner.invoke(app, ["procountor", "ping", "--json"]).stdout)
    # The same test, the same words (the number of tries may differ: the web retries more).
    assert ping["error"].split(" on ")[0] == result.error.split(" on ")[0]
