"""Fixtures for the client's tests: a scripted fake Procountor behind httpx2's MockTransport.

Test modules cannot import this file, so the helpers hang off the ``fake`` fixture:
``fake.json(...)``, ``fake.errors(...)`` and the credentials ``SECRET``/``API_KEY``.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx2
import pytest
import stamina
import tenacity

from procountor_export.procountor import ProcountorClient

BASE_URL = "https://api.example.test/api"
SECRET = "s3cret-client-secret"
API_KEY = "k3y-api-key-value"

Handler = Callable[[httpx2.Request], httpx2.Response]


class CountingLimiter:
    """A limiter that never waits and counts its acquisitions."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self.count += 1


@dataclass
class FakeProcountor:
    """Answers token calls with fresh tokens and resource calls from a script or a router.

    ``script`` holds responses (or exceptions to raise) for resource calls, used in order;
    when it is empty, ``router`` answers (default: ``{}``).
    """

    token_status: int = 200
    expires_in: int = 3600
    script: deque[httpx2.Response | Exception] = field(default_factory=deque)
    router: Handler | None = None
    requests: list[httpx2.Request] = field(default_factory=list)
    token_requests: list[httpx2.Request] = field(default_factory=list)
    accepted_tokens: set[str] = field(default_factory=set)
    # Snapshots: httpx resends the same Request object after a 401 with a new header.
    authorizations: list[str | None] = field(default_factory=list)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    BASE_URL: ClassVar[str] = BASE_URL
    SECRET: ClassVar[str] = SECRET
    API_KEY: ClassVar[str] = API_KEY

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        with self._lock:
            if request.url.path.endswith("/oauth/token"):
                self.token_requests.append(request)
                if self.token_status != 200:
                    return httpx2.Response(self.token_status, json={"error": "invalid_client"})
                token = f"token-{next(self._counter)}"
                self.accepted_tokens.add(token)
                return httpx2.Response(
                    200, json={"access_token": token, "expires_in": self.expires_in}
                )
            self.requests.append(request)
            self.authorizations.append(request.headers.get("Authorization"))
            scripted = self.script.popleft() if self.script else None
        if isinstance(scripted, Exception):
            raise scripted
        if scripted is not None:
            return scripted
        if self.router is not None:
            return self.router(request)
        return httpx2.Response(200, json={})

    def add(self, *items: httpx2.Response | Exception) -> None:
        """Queue answers (or exceptions) for the next resource calls."""
        self.script.extend(items)

    @staticmethod
    def json(data: Any, status: int = 200, **headers: str) -> httpx2.Response:
        """A JSON answer (decimals as in ``data``)."""
        return httpx2.Response(
            status,
            content=json.dumps(data).encode(),
            headers={"content-type": "application/json", **headers},
        )

    @staticmethod
    def errors(status: int, *errors: tuple[str | None, str], **headers: str) -> httpx2.Response:
        """Procountor's error envelope."""
        return FakeProcountor.json(
            {"errors": [{"status": status, "field": f, "message": m} for f, m in errors]},
            status,
            **headers,
        )

    def bearer(self, index: int) -> str:
        """The Authorization header resource request ``index`` was sent with."""
        return str(self.authorizations[index])


@pytest.fixture
def fake() -> FakeProcountor:
    """A fresh fake Procountor."""
    return FakeProcountor()


@pytest.fixture
def limiter() -> CountingLimiter:
    """A limiter that does not wait (pacing has its own tests)."""
    return CountingLimiter()


@pytest.fixture
def make_client(
    fake: FakeProcountor, limiter: CountingLimiter
) -> Iterator[Callable[..., ProcountorClient]]:
    """Build clients on the fake; keyword arguments override the defaults."""
    made: list[ProcountorClient] = []

    def build(**kw: Any) -> ProcountorClient:
        options: dict[str, Any] = {
            "base_url": BASE_URL,
            "client_id": "test-client",
            "client_secret": SECRET,
            "api_key": API_KEY,
            "limiter": limiter,
            "transport": httpx2.MockTransport(fake),
        }
        options.update(kw)
        client = ProcountorClient(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., ProcountorClient]) -> ProcountorClient:
    """A client on the fake with a non-waiting limiter."""
    return make_client()


# --- the project's emulator, in process -------------------------------------------------

EMULATOR_API = "http://emulator/api"


@pytest.fixture
def emulator_app() -> Any:
    """A fresh emulator (demo company) without its rate limit."""
    from procountor_export.emulator import create_app

    return create_app(rate_limit=None)


@pytest.fixture
def emulator_http(emulator_app: Any) -> Iterator[httpx2.Client]:
    """Starlette's TestClient on the emulator: an ``httpx2.Client`` that stays in process."""
    from starlette.testclient import TestClient

    with TestClient(emulator_app, base_url="http://emulator") as http:
        yield http


@pytest.fixture
def make_emulator_client(
    emulator_http: httpx2.Client,
) -> Iterator[Callable[..., ProcountorClient]]:
    """Build clients on the emulator (demo credentials, fast pacing unless overridden)."""
    from procountor_export.procountor import LocalRateLimiter

    made: list[ProcountorClient] = []

    def build(**kw: Any) -> ProcountorClient:
        options: dict[str, Any] = {
            "base_url": EMULATOR_API,
            "client_id": "demo-client",
            "client_secret": "demo-secret",
            "api_key": "demo-api-key",
            "http_client": emulator_http,
            "limiter": LocalRateLimiter(1000),
        }
        options.update(kw)
        client = ProcountorClient(**options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture
def emulator(make_emulator_client: Callable[..., ProcountorClient]) -> ProcountorClient:
    """A client on the in-process emulator."""
    return make_emulator_client()


@pytest.fixture(scope="session")
def serve_emulator() -> Iterator[Callable[[Any], str]]:
    """Serve an emulator app with uvicorn from a thread on a free loopback port (real HTTP);
    returns its API root. Servers stop at the end of the session."""
    import socket
    import time

    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(app: Any) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}/api"

    yield serve
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def emulator_server(serve_emulator: Callable[[Any], str]) -> str:
    """A fresh demo-company emulator over real HTTP; its API root."""
    from procountor_export.emulator import create_app

    return serve_emulator(create_app(rate_limit=None))


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Real backoff (stamina's test mode off) with the sleeps recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(tenacity.nap.time, "sleep", slept.append)
    stamina.set_testing(False)
    yield slept
    stamina.set_testing(True, attempts=3)
