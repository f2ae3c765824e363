"""The demo in the browser: ``python -m procountor_export.demo --serve``.

One process serves two things over HTTP on this machine only (127.0.0.1):

- the Procountor emulator, started from the demo folder's state file (``emulator-state.json``,
  written by ``make demo``) and writing every change back to it, so the invoices the demo
  exported are in it with their Procountor numbers and a re-export finds them there. It listens
  on the emulator's usual port (8765), which is also the service's default Procountor address:
  in another terminal, ``cd demo`` and the documentation's commands reach the same emulator.
- the web UI and REST API (``procountor-export serve``) over the demo folder's store, exporting
  to that emulator.

The UI asks for a login once a user exists; each start makes the user ``demo`` a new random
password and prints it (nothing is kept in the repository; a new password ends old sessions).
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from rich.console import Console

from procountor_export.demo_folder import folder_seed, key_path, state_path, store_path
from procountor_export.emulator import create_app as create_emulator
from procountor_export.emulator.server import BackgroundServer
from procountor_export.settings import Settings, load_settings
from procountor_export.store import access
from procountor_export.store.db import Store

HOST = "127.0.0.1"
USER = "demo"
DEFAULT_EMULATOR_PORT = 8765  # the service's default PROCOUNTOR_BASE_URL points here


@dataclass
class DemoLogin:
    """The web UI's user for the demo, with the password made for this start."""

    name: str
    password: str


def demo_settings(folder: Path, base_url: str) -> Settings:
    """The service's settings for the demo folder, talking to the emulator at ``base_url``."""
    return load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{store_path(folder)}",
        PROCOUNTOR_EXPORT_KEY_FILE=key_path(folder),
        PROCOUNTOR_EXPORT_SECRET_KEY=None,  # the demo's key file, as the demo used, always
        PROCOUNTOR_BASE_URL=base_url,
        PROCOUNTOR_CLIENT_ID="demo-client",
        PROCOUNTOR_CLIENT_SECRET="demo-secret",
    )


def demo_emulator(folder: Path) -> FastAPI:
    """The emulator app in the state ``make demo`` left it in (and saving every change)."""
    return create_emulator(folder_seed(folder), state_file=state_path(folder))


def make_login(store: Store) -> DemoLogin:
    """Create the user ``demo`` (or give it a new password) and return the login."""
    login = DemoLogin(USER, secrets.token_urlsafe(12))
    with store.session() as session:
        access.set_user(session, login.name, login.password)
    return login


def port_taken(port: int) -> bool:
    """Whether something already listens on ``HOST:port`` (then binding it would fail)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as uvicorn binds: a port left in TIME_WAIT by a server just stopped is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return True
        return False


@dataclass
class OpenDemo:
    """The demo folder opened for the browser: the web app, its login and the emulator."""

    web: FastAPI
    login: DemoLogin
    emulator: BackgroundServer


@contextmanager
def open_demo(folder: Path, *, emulator_port: int = DEFAULT_EMULATOR_PORT) -> Iterator[OpenDemo]:
    """The emulator served from ``folder``'s state file, and the web app over its store
    exporting there, with a fresh login; closed (emulator stopped, store closed) on exit."""
    from procountor_export.web import create_app as create_web

    with BackgroundServer(demo_emulator(folder), host=HOST, port=emulator_port) as emulator:
        settings = demo_settings(folder, emulator.base_url)
        store = Store.open(settings.database_url)
        try:
            login = make_login(store)
            # the web app's lifespan (uvicorn's, or a test client's) ends its export runs
            yield OpenDemo(create_web(settings, store=store, host=HOST), login, emulator)
        finally:
            store.close()


def serve_demo(
    folder: Path, *, port: int = 8080, emulator_port: int = DEFAULT_EMULATOR_PORT
) -> int:
    """Serve the demo folder's emulator and web UI until Ctrl+C; print the address and login.

    Returns 1 without serving when a port is taken (the message names it and the way out).
    """
    import uvicorn

    console = Console()
    err = Console(stderr=True)
    for number, option, what in (
        (emulator_port, "--emulator-port", "the emulator"),
        (port, "--port", "the web UI"),
    ):
        if number and port_taken(number):
            err.print(
                f"Port {number} on {HOST}, asked for {what}, is already in use (another "
                f"'procountor-export emulator', 'serve' or demo?): stop it, or pass {option} "
                "with another port.",
                highlight=False,
            )
            return 1
    with open_demo(folder, emulator_port=emulator_port) as demo:
        emulator = demo.emulator
        console.print(
            f"The demo in the browser: http://{HOST}:{port}/\n"
            f"  log in as {demo.login.name}, password {demo.login.password} "
            "(made for this start; Ctrl+C stops)\n"
            f"  Procountor emulator: {emulator.base_url} "
            f"(state in {state_path(folder)}, admin at {emulator.root}/_emulator/state)",
            highlight=False,
            soft_wrap=True,
        )
        if emulator.port != DEFAULT_EMULATOR_PORT:
            console.print(
                f"  commands in {folder} need PROCOUNTOR_BASE_URL={emulator.base_url}",
                highlight=False,
                soft_wrap=True,
            )
        uvicorn.run(demo.web, host=HOST, port=port, log_level="warning", server_header=False)
    return 0
