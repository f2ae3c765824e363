"""MkDocs hook: the architecture page's generated parts, from the code at build time.

``docs/architecture.md`` holds two markers:

- ``<!-- module-index -->`` becomes a table per package of every module under
  ``src/procountor_export`` with the first paragraph of its docstring. The files are parsed,
  not imported, so the index follows the code as it is (modules moved, split or added show up
  at the next build) and a module without a docstring says so.
- ``<!-- journal-states -->`` becomes the export journal's state machine: the drawing in the
  journal module's docstring, its steps (the ``Step`` enum with each member's comment) and its
  table of allowed transitions (``ALLOWED``), so the page cannot disagree with the code.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

MARKER = "<!-- module-index -->"
JOURNAL_MARKER = "<!-- journal-states -->"
PAGE = "architecture.md"
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "procountor_export"


def summary(path: Path) -> str:
    """The first paragraph of the module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n")[0]
    return " ".join(first.split()) or "(no docstring)"


def module_index_markdown(package: Path = PACKAGE) -> str:
    """One table per package directory: module path and its docstring's first paragraph."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if "migrations" in relative.parts or "__pycache__" in relative.parts:
            continue
        groups.setdefault(relative.parent.as_posix(), []).append(path)
    lines: list[str] = []
    for folder in sorted(groups, key=lambda name: (name != ".", name)):
        title = "procountor_export/" if folder == "." else f"procountor_export/{folder}/"
        lines += [f"### `{title}`", "", "| module | what it is |", "|---|---|"]
        for path in groups[folder]:
            text = summary(path).replace("|", "\\|")
            lines.append(f"| `{path.name}` | {text} |")
        lines.append("")
    return "\n".join(lines)


def journal_module(package: Path = PACKAGE) -> Path:
    """The module that defines the journal's ``Step`` enum and its ``ALLOWED`` transitions."""
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            node.name if isinstance(node, ast.ClassDef) else getattr(node.target, "id", "")
            for node in tree.body
            if isinstance(node, ast.ClassDef | ast.AnnAssign)
        }
        if {"Step", "ALLOWED"} <= names:
            return path
    raise LookupError("no module defines the journal's Step and ALLOWED")


def journal_states_markdown(package: Path = PACKAGE) -> str:
    """The journal's drawing, steps and allowed transitions, read from its module."""
    path = journal_module(package)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    dotted = ".".join(("procountor_export", *path.relative_to(package).with_suffix("").parts))
    lines = [f"From `{dotted}` (generated at build time).", ""]

    doc = ast.get_docstring(tree) or ""
    drawing = _literal_block(doc)
    if drawing:
        lines += ["```text", *drawing, "```", ""]

    step = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Step")
    lines += ["| step | value | the write it marks |", "|---|---|---|"]
    source_lines = source.splitlines()
    for node in step.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            name = node.targets[0].id  # type: ignore[attr-defined]
            comment = source_lines[node.lineno - 1].partition("#")[2].strip()
            lines.append(f"| `{name}` | `{node.value.value!s}` | {comment or '—'} |")
    lines.append("")

    import importlib

    allowed = importlib.import_module(dotted).ALLOWED
    lines += ["| from | may become |", "|---|---|"]
    for state, targets in allowed.items():
        names = ", ".join(f"`{t.value}`" for t in sorted(targets, key=lambda t: t.value))
        lines.append(f"| `{state.value}` | {names or 'nothing (final)'} |")
    return "\n".join(lines) + "\n"


def _literal_block(doc: str) -> list[str]:
    """The indented block that follows a line ending in ``::`` (reST), dedented."""
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        if line.rstrip().endswith("::"):
            block: list[str] = []
            for following in lines[index + 1 :]:
                if following.strip() and not following.startswith(" "):
                    break
                block.append(following)
            while block and not block[-1].strip():
                block.pop()
            while block and not block[0].strip():
                block.pop(0)
            indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
            return [b[indent:] for b in block]
    return []


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the markers of the architecture page by the generated parts."""
    if page.file.src_uri != PAGE:
        return markdown
    for marker in (MARKER, JOURNAL_MARKER):
        if marker not in markdown:
            from mkdocs.exceptions import PluginError

            raise PluginError(f"{PAGE} lost its marker {marker}: nowhere to put it")
    markdown = markdown.replace(MARKER, module_index_markdown())
    return markdown.replace(JOURNAL_MARKER, journal_states_markdown())
