"""Running the emulator as an HTTP server: in the foreground (CLI) or in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from procountor_export.emulator.state import EmulatorState


def base_url(host: str, port: int) -> str:
    """The API root clients should use."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api"


def serve(app: FastAPI, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve ``app`` until interrupted; ``announce`` gets the base URL once listening."""
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    original_startup = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        await original_startup(sockets)
        announce(base_url(host, port))

    server.startup = startup  # type: ignore[method-assign]
    server.run()


class BackgroundServer:
    """The app served on a loopback port from a thread, for clients that need real HTTP.

    ``with BackgroundServer(create_app()) as server: requests.get(server.base_url + "/status")``
    """

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0):
        self.app = app
        self.host = host
        self.port = port or _free_port(host)
        config = uvicorn.Config(
            app, host=host, port=self.port, log_level="error", access_log=False, lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def app_state(self) -> EmulatorState:
        """The served emulator's state (reset it between tests)."""
        state: EmulatorState = self.app.state.emulator
        return state

    @property
    def base_url(self) -> str:
        return base_url(self.host, self.port)

    @property
    def root(self) -> str:
        """``http://host:port`` without an API root."""
        return self.base_url.removesuffix("/api")

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the emulator server did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port
