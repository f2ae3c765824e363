"""Every command has help text and is in the README's CLI reference; every message is explained."""

from __future__ import annotations

from pathlib import Path

import click
import typer

from procountor_export.cli import app
from procountor_export.export.messages import CATALOGUE

README = Path(__file__).resolve().parents[3] / "README.md"


def commands() -> list[tuple[str, click.Command]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, click.Command]] = []

    def walk(prefix: str, command: click.Command) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", root)
    return found


def test_every_command_has_help() -> None:
    missing = [name for name, command in commands() if not (command.help or "").strip()]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name, _ in commands() if f"procountor-export {name}" not in text]
    assert missing == []


def test_every_export_message_is_in_the_troubleshooting_section() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Troubleshooting") :]
    missing = [
        message.code
        for message in CATALOGUE
        if message.format("{0}", "{1}", "{2}", "{3}", "{4}", source="Opter") not in section
    ]
    assert missing == []
