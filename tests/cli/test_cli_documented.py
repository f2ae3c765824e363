"""Every command has help text and is in the generated CLI reference; every message is explained.

The CLI reference is generated at build time by the MkDocs hook ``docs/hooks/cli_reference.py``;
these tests call its generator directly (``make docs`` builds the whole site strictly).
"""

from __future__ import annotations

from typing import Any

import pytest

from docs_hooks import DOCS, ROOT, load_hook  # type: ignore[import-not-found]
from procountor_export.export.messages import CATALOGUE

HOOK = load_hook("cli_reference")


@pytest.fixture(scope="module")
def reference() -> str:
    return str(HOOK.cli_reference_markdown())


def commands() -> list[tuple[str, Any]]:
    return list(HOOK.leaf_commands())


def test_the_walk_reaches_the_subcommands() -> None:
    # Typer vendors its own click: a walk that tests for ``click.Group`` sees the root only.
    names = [name for name, _ in commands()]
    assert {"init", "import", "export", "exports set", "procountor ping"} <= set(names)
    assert len(names) >= 25


def test_every_command_has_help() -> None:
    missing = [doc.name or "(root)" for doc in HOOK.walk() if not (doc.command.help or "").strip()]
    assert missing == []


def test_every_command_is_in_the_cli_reference(reference: str) -> None:
    missing = [name for name, _ in commands() if f"`procountor-export {name}`" not in reference]
    assert missing == []


def test_every_option_and_argument_is_in_the_cli_reference(reference: str) -> None:
    missing = []
    for doc in HOOK.walk():
        title = f"procountor-export {doc.name}".strip()
        section = reference.partition(f"`{title}`\n")[2].split("\n#")[0]
        for param in doc.command.get_params(doc.context):
            if param.name == "help" or getattr(param, "hidden", False):
                continue
            shown = param.opts[0] if param.opts[0].startswith("-") else param.name.upper()
            if f"`{shown}" not in section and f", {shown}" not in section:
                missing.append(f"{doc.name} {shown}")
    assert missing == []


def test_the_reference_page_is_generated_in_place() -> None:
    page = DOCS / HOOK.PAGE
    assert HOOK.MARKER in page.read_text(encoding="utf-8")
    assert HOOK.PAGE in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs/hooks/cli_reference.py" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_every_export_message_is_on_the_troubleshooting_page() -> None:
    page = (DOCS / "user-guide" / "troubleshooting.md").read_text(encoding="utf-8")
    missing = [
        message.code
        for message in CATALOGUE
        if message.format("{0}", "{1}", "{2}", "{3}", "{4}", source="Opter") not in page
    ]
    assert missing == []


def test_every_message_has_its_fix_on_the_troubleshooting_page() -> None:
    page = (DOCS / "user-guide" / "troubleshooting.md").read_text(encoding="utf-8")
    missing = [message.code for message in CATALOGUE if message.fix("Opter") not in page]
    assert missing == []
