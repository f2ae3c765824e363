"""What every CLI command shares: settings, the store, output helpers, error exits."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from procountor_export.settings import Settings, load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox, load_key

out = Console()
err = Console(stderr=True)


def settings() -> Settings:
    """The settings from the environment; a bad value exits with a message naming it."""
    try:
        return load_settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        fail(f"Invalid setting: {problems}")


def open_store(config: Settings | None = None) -> Store:
    """Open the configured store, creating or migrating it as needed."""
    config = config or settings()
    return Store.open(config.database_url)


def secret_box(config: Settings | None = None) -> SecretBox:
    """The box that encrypts stored API keys (key from the environment or the key file)."""
    config = config or settings()
    key = config.secret_key.get_secret_value() if config.secret_key else None
    return SecretBox(load_key(key, config.key_file))


def print_json(data: Any) -> None:
    """Write ``data`` as JSON on stdout (decimals and dates as strings)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    err.print(f"[red]Error:[/red] {message}", highlight=False)
    raise typer.Exit(code)
