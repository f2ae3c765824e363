"""Where the demo keeps its files: one folder laid out as a working directory of the service.

Shared by the demo's run (:mod:`procountor_export.demo`) and its web UI
(:mod:`procountor_export.demo_web`), which open the same folder.
"""

from __future__ import annotations

from pathlib import Path

from procountor_export.emulator import Seed, market_seed
from procountor_export.settings import DEFAULT_DATABASE_FILE, DEFAULT_KEY_FILE

DEFAULT_DIR = Path("demo")
STATE_FILE = "emulator-state.json"
MARKET_FILE = "market"  # the Procountor market of the demo company (fi, se, no, dk)


def store_path(folder: Path) -> Path:
    """The demo's SQLite file: the default name, so commands run in ``folder`` find it."""
    return folder / DEFAULT_DATABASE_FILE


def key_path(folder: Path) -> Path:
    """The demo's Fernet key file (the default name, as :func:`store_path`)."""
    return folder / DEFAULT_KEY_FILE


def state_path(folder: Path) -> Path:
    """The file the demo's emulator keeps its state in (``emulator --state-file`` reads it)."""
    return folder / STATE_FILE


def default_folder(market: str) -> Path:
    """Where a market's demo goes by default: ``demo`` for Finland, ``demo-se`` … for the
    others, so the companies of two markets never share an emulator state."""
    return DEFAULT_DIR if market == "fi" else DEFAULT_DIR.with_name(f"{DEFAULT_DIR.name}-{market}")


def remember_market(folder: Path, market: str) -> None:
    """Note the folder's market, so its web UI starts the same emulated company."""
    (folder / MARKET_FILE).write_text(market + "\n", encoding="utf-8")


def held_market(folder: Path) -> str | None:
    """The market of the demo ``folder`` holds (``fi`` for one made before markets were
    noted), ``None`` for a folder without a demo."""
    note = folder / MARKET_FILE
    if note.exists():
        return note.read_text(encoding="utf-8").strip()
    return "fi" if store_path(folder).exists() else None


def folder_seed(folder: Path) -> Seed:
    """The emulated company of the folder's demo (Finnish for a folder without a note)."""
    return market_seed(held_market(folder) or "fi")
