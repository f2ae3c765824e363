"""The architecture page's promises, held against the code: the way one invoice takes names
modules that exist and few of them, and the parts import only in the directions it draws."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "procountor_export"
PAGE = ROOT / "docs" / "architecture.md"

# Which parts must never import which (the design's "never" arrows).
NEVER = {
    "export": ("procountor_export.cli", "procountor_export.web", "procountor_export.jobs"),
    "store": ("procountor_export.export",),
    "procountor": ("procountor_export.emulator", "procountor_export.export"),
    "emulator": ("procountor_export.procountor", "procountor_export.export"),
    "runtime": ("procountor_export.export",),
    "payments": ("procountor_export.export", "procountor_export.web", "procountor_export.cli"),
}


def _path_section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("## One invoice's way")
    return text[start : text.index("\n## ", start + 1)]


def _path_drawing() -> str:
    """The drawing of the way (the section's text block): the modules one reads through."""
    section = _path_section()
    start = section.index("```text")
    return section[start : section.index("```", start + 7)]


def _module(name: str) -> Path | None:
    for base in (PACKAGE, PACKAGE / "export", PACKAGE / "export" / "sending"):
        if (base / name).is_file():
            return base / name
    return None


def test_the_way_of_one_invoice_names_modules_that_exist_and_few_of_them() -> None:
    pattern = r"\b([a-z_]+(?:/[a-z_]+)*\.py)\b"
    names = set(re.findall(pattern, _path_section()))
    missing = sorted(name for name in names if _module(name) is None)
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"
    modules = {_module(name) for name in re.findall(pattern, _path_drawing())}
    # Issue 22: one invoice's way reads through about 20 modules, not 35.
    assert 12 <= len(modules) <= 22, sorted(str(m) for m in modules)


def _imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_no_part_imports_against_the_drawn_direction() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for part, forbidden in NEVER.items()
        for path in sorted((PACKAGE / part).rglob("*.py"))
        for name in _imports(path)
        if name.startswith(forbidden)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_is_over_400_lines() -> None:
    long = [
        f"{path.relative_to(PACKAGE)}: {lines} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not long, "\n".join(long)
