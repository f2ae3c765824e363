"""Bounded parsing through the REST API (issue 20): a document streams to a temporary file,
the size limit holds for chunked uploads too (413 as soon as it is passed), and a hostile
document is a 422 naming the bound and the JSON path, in little memory.

The document nested 100,000 levels deep goes to a real server, ``procountor-export serve`` in
a process of its own with its address space capped: read without the bounds, such a document
takes gigabytes; the server's peak resident memory is read from ``/proc``.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.logs import EXPORT_LOG
from procountor_export.samples.generator import generate_document
from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.web import api, create_app

MB = 1024 * 1024
HEAD = b'{"schema": "tms-invoicing/1", "office": '


def nested(levels: int) -> bytes:
    return HEAD + b"[" * levels + b"]" * levels + b"}"


def pieces(data: bytes, size: int = 8192) -> Iterator[bytes]:
    """A body sent without a Content-Length (chunked)."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def valid_document(invoices: int = 40) -> bytes:
    return json.dumps(generate_document(invoices, seed=11), indent=1).encode()


# --- in process ---------------------------------------------------------------------------------


@pytest.fixture
def limited(served: Served) -> Iterator[TestClient]:
    """The app with a document limit of 64 KiB (over the same store)."""
    app = create_app(served.settings, store=served.store, document_limit=64 * 1024)
    with TestClient(app, base_url="http://127.0.0.1") as http:
        yield http
    app.state.web.jobs.close()


def test_a_chunked_upload_over_the_limit_is_413_at_once(
    limited: TestClient, served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    body = pieces(b" " * (4 * MB))
    answer = limited.post("/api/v1/documents", content=body, headers=served.auth)
    assert answer.status_code == 413
    assert answer.json()["detail"] == (
        "The request is larger than 65536 bytes, the limit for this address."
    )
    assert not [r for r in caplog.records if r.name == EXPORT_LOG.name and r.levelname == "ERROR"]


def test_a_chunked_upload_within_the_limit_imports(limited: TestClient, served: Served) -> None:
    body = valid_document(10)
    assert len(body) < 64 * 1024
    answer = limited.post("/api/v1/documents", content=pieces(body), headers=served.auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["import"]["counts"]["invoices"]["created"] == 10


def test_the_document_goes_to_a_file_not_to_memory(
    client: TestClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[Any] = []
    importer = api.import_document

    def spy(store: Store, data: Any, **options: Any) -> Any:
        received.append((type(data), data.seekable(), data._rolled))
        return importer(store, data, **options)

    monkeypatch.setattr(api, "import_document", spy)
    monkeypatch.setattr(api, "DOCUMENT_IN_MEMORY", 16 * 1024)
    body = valid_document(40)
    assert len(body) > 16 * 1024
    answer = client.post("/api/v1/documents", content=pieces(body), headers=served.auth)
    assert answer.status_code == 200, answer.text
    assert answer.json()["import"]["counts"]["invoices"]["created"] == 40
    [(kind, seekable, on_disk)] = received
    assert kind is not bytes
    assert seekable
    assert on_disk  # past the threshold the spool is a temporary file


def test_a_5001_digit_number_is_422_naming_its_path(client: TestClient, served: Served) -> None:
    body = HEAD + b'{"code": "HEL", "name": ' + b"9" * 5001 + b"}}"
    answer = client.post("/api/v1/documents", content=body, headers=served.auth)
    assert answer.status_code == 422, answer.text
    report = answer.json()["import"]
    assert report["errors"] == [
        {
            "path": "office.name",
            "message": "a number of more than 40 characters: numbers may have 40 at most "
            "(amounts are decimal strings)",
        }
    ]
    assert not report["accepted"]


def test_deep_nesting_is_422_naming_the_bound(client: TestClient, served: Served) -> None:
    answer = client.post("/api/v1/documents", content=nested(5000), headers=served.auth)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["import"]["errors"]
    assert error["path"] == "office[0][0][0][0][0]…[0][0]"
    assert error["message"].startswith("nested more than 64 levels deep")


# --- a real server ------------------------------------------------------------------------------

ADDRESS_SPACE = 3 * 1024 * MB


@dataclass
class Server:
    url: str
    pid: int
    auth: dict[str, str]

    def peak_rss(self) -> int:
        return _status(self.pid, "VmHWM")

    def rss(self) -> int:
        return _status(self.pid, "VmRSS")

    def reset_peak(self) -> None:
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")  # VmHWM back to VmRSS


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(field)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``procountor-export serve --max-document-mb 1`` on a free port, address space capped."""
    if not os.access("/proc/self/clear_refs", os.W_OK):
        pytest.skip("needs Linux's /proc/PID/clear_refs to measure the peak memory")
    folder = tmp_path_factory.mktemp("served")
    url = f"sqlite:///{folder / 'web.sqlite'}"
    store = Store.open(url)
    with store.session() as session:
        token = access.create_token(session, "tms")
    store.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PROCOUNTOR_EXPORT_DATABASE_URL": url,
        "PROCOUNTOR_EXPORT_SECRET_KEY": Fernet.generate_key().decode(),
        "PROCOUNTOR_EXPORT_LOG_FILE": str(folder / "events.log"),
    }

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    command = [sys.executable, "-m", "procountor_export", "serve", "--port", str(port)]
    with (folder / "stderr.txt").open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--max-document-mb", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=capped,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (folder / "stderr.txt").read_text()
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx2.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    yield Server(base, process.pid, {"Authorization": f"Bearer {token}"})
    process.terminate()
    process.wait(timeout=30)


def test_100000_levels_are_refused_by_the_server_in_little_memory(server: Server) -> None:
    server.reset_peak()
    before = server.rss()
    answer = httpx2.post(
        f"{server.url}/api/v1/documents", content=nested(100_000), headers=server.auth, timeout=120
    )
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["import"]["errors"]
    assert error == {
        "path": "office[0][0][0][0][0]…[0][0]",
        "message": "nested more than 64 levels deep (objects and lists): a document may nest "
        "64 levels at most",
    }
    assert server.peak_rss() - before < 50 * MB, (before, server.peak_rss())


def test_the_server_answers_a_chunked_upload_over_the_limit_with_413(server: Server) -> None:
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(1024):  # 64 MB, if it were all sent
            sent += 64 * 1024
            yield b" " * (64 * 1024)

    answer = httpx2.post(
        f"{server.url}/api/v1/documents", content=body(), headers=server.auth, timeout=60
    )
    assert answer.status_code == 413
    assert "larger than 1048576 bytes" in answer.json()["detail"]
    assert sent < 32 * MB  # answered once the limit was passed, not at the end
    # and it goes on serving
    good = httpx2.post(
        f"{server.url}/api/v1/documents",
        content=pieces(valid_document(20)),
        headers=server.auth,
        timeout=120,
    )
    assert good.status_code == 200, good.text
    assert good.json()["import"]["counts"]["invoices"]["created"] == 20
