"""MkDocs hook: the CLI reference, generated from the Typer app at build time.

``docs/reference/cli.md`` holds an introduction and the marker ``<!-- cli-reference -->``; at
build time the marker is replaced by :func:`cli_reference_markdown`, which walks
``typer.main.get_command(procountor_export.cli.app)`` and writes every command with its help,
usage, arguments and options. A command added to the app is in the reference of the next build;
nothing is copied by hand, so the reference cannot drift from ``--help``.

The walk uses only what click-style commands offer (``list_commands``, ``get_command``,
``get_params``, ``get_help_record``), so it works with Typer's vendored click and plain click.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
PROGRAM = "procountor-export"

# Typer shows a value's type as "<int range>", "<list[str]>"...; the reference uses the
# conventional upper-case names (a choice keeps its values).
_TYPE_NAMES = {
    "str": "TEXT",
    "int": "INTEGER",
    "int range": "INTEGER",
    "float": "FLOAT",
    "float range": "FLOAT",
    "path": "PATH",
    "file": "FILE",
    "bool": "",
    "list[str]": "TEXT",
    "list[int]": "INTEGER",
}


@dataclass(frozen=True)
class CommandDoc:
    """One command of the app: its full name (``exports set``), the command and its context."""

    name: str
    command: Any
    context: Any

    @property
    def is_group(self) -> bool:
        return hasattr(self.command, "list_commands")


def walk(app: Any = None) -> Iterator[CommandDoc]:
    """Every group and command of the Typer app, depth first, in the app's order."""
    import typer

    if app is None:
        from procountor_export.cli import app
    root = typer.main.get_command(app)
    root_context = root.context_class(root, info_name=PROGRAM)

    def visit(name: str, command: Any, context: Any) -> Iterator[CommandDoc]:
        yield CommandDoc(name, command, context)
        if hasattr(command, "list_commands"):
            for sub_name in command.list_commands(context):
                sub = command.get_command(context, sub_name)
                if sub is None or getattr(sub, "hidden", False):
                    continue
                sub_context = sub.context_class(sub, info_name=sub_name, parent=context)
                yield from visit(f"{name} {sub_name}".strip(), sub, sub_context)

    yield from visit("", root, root_context)


def leaf_commands(app: Any = None) -> list[tuple[str, Any]]:
    """(name, command) of every command that runs something (not a group), e.g. ``exports set``."""
    return [(doc.name, doc.command) for doc in walk(app) if not doc.is_group]


def cli_reference_markdown(app: Any = None) -> str:
    """The reference: a table of every command, then each one with its help and parameters."""
    docs = list(walk(app))
    lines = ["| Command | What it does |", "|---|---|"]
    for doc in docs[1:]:
        if doc.is_group:
            continue
        title = f"{PROGRAM} {doc.name}"
        lines.append(f"| [`{title}`](#{_slug(title)}) | {_cell(_first_line(doc.command))} |")
    lines.append("")
    lines.extend(_command(docs[0], level=2))
    for doc in docs[1:]:
        nested = " " in doc.name
        lines.extend(_command(doc, level=3 if nested else 2))
    return "\n".join(lines).rstrip() + "\n"


def _command(doc: CommandDoc, level: int) -> list[str]:
    title = f"{PROGRAM} {doc.name}".strip()
    lines = [f"{'#' * level} `{title}`", ""]
    help_text = _help(doc.command)
    if help_text:
        lines += [help_text, ""]
    usage = " ".join([title, *doc.command.collect_usage_pieces(doc.context)])
    lines += ["```", _usage(usage, doc), "```", ""]
    arguments, options = [], []
    for param in doc.command.get_params(doc.context):
        if getattr(param, "hidden", False) or param.name == "help":
            continue
        if getattr(param, "param_type_name", "") == "argument" or not param.opts[0].startswith("-"):
            arguments.append(f"* `{param.name.upper()}`: {_param_help(param, doc.context)}")
        else:
            options.append(
                f"* `{_option_name(param, doc.context)}`: {_param_help(param, doc.context)}"
            )
    if arguments:
        lines += ["**Arguments**", "", *arguments, ""]
    if options:
        lines += ["**Options**", "", *options, ""]
    return lines


def _usage(usage: str, doc: CommandDoc) -> str:
    # Typer writes an argument as "{file}"; the reference writes FILE as click does.
    for param in doc.command.get_params(doc.context):
        if param.name:
            usage = usage.replace("{" + param.name + "}", param.name.upper())
    return usage


def _help(command: Any) -> str:
    text = (command.help or "").strip()
    # click's "\b" marks a paragraph not to rewrap; it means nothing in Markdown.
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b")


def _first_line(command: Any) -> str:
    text = _help(command)
    return text.split("\n\n")[0].replace("\n", " ") if text else ""


def _option_name(param: Any, context: Any) -> str:
    names = sorted(param.opts, key=lambda name: (not name.startswith("--"), name))
    declared = ", ".join(names)
    if getattr(param, "secondary_opts", None):
        declared += " / " + ", ".join(param.secondary_opts)
    if getattr(param, "is_flag", False):
        return declared
    type_name = _type_name(param, context)
    return f"{declared} {type_name}".strip()


def _type_name(param: Any, context: Any) -> str:
    if param.metavar:
        return str(param.metavar)
    shown = ""
    if hasattr(param, "display_type"):
        shown = str(param.display_type(context)).strip("<>")
    elif hasattr(param, "make_metavar"):
        shown = str(param.make_metavar(context)).strip("[]<>")
    if "|" in shown:
        return f"[{shown}]"
    return _TYPE_NAMES.get(shown, shown.upper())


def _param_help(param: Any, context: Any) -> str:
    record = param.get_help_record(context)
    text = record[1] if record else (getattr(param, "help", None) or "")
    text = re.sub(r"\s+", " ", text).strip()
    extra = " (repeatable)" if getattr(param, "multiple", False) else ""
    return (text + extra) if text else f"(no help text){extra}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _slug(title: str) -> str:
    """The anchor MkDocs' ``toc`` extension gives a heading (default slugify)."""
    from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

    return str(slugify(title, "-"))


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the marker of the CLI reference page by the generated reference."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{PAGE} lost its marker {MARKER}: nowhere to put the CLI reference")
    return markdown.replace(MARKER, cli_reference_markdown())
