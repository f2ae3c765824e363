"""Where the demo keeps its files: one folder laid out as a working directory of the service.

Shared by the demo's run (:mod:`procountor_export.demo`) and its web UI
(:mod:`procountor_export.demo_web`), which open the same folder.
"""

from __future__ import annotations

from pathlib import Path

from procountor_export.settings import DEFAULT_DATABASE_FILE, DEFAULT_KEY_FILE

DEFAULT_DIR = Path("demo")
STATE_FILE = "emulator-state.json"


def store_path(folder: Path) -> Path:
    """The demo's SQLite file: the default name, so commands run in ``folder`` find it."""
    return folder / DEFAULT_DATABASE_FILE


def key_path(folder: Path) -> Path:
    """The demo's Fernet key file (the default name, as :func:`store_path`)."""
    return folder / DEFAULT_KEY_FILE


def state_path(folder: Path) -> Path:
    """The file the demo's emulator keeps its state in (``emulator --state-file`` reads it)."""
    return folder / STATE_FILE
