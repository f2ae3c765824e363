"""The faces use the export engine through its front door only (issue 22).

The CLI, the web UI, the jobs, the benchmark and the demos import ``procountor_export.export``
itself (its ``__all__``), never one of its submodules: the engine's inside may then be
rearranged without touching a face. Each violation is named by its module, line and import.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import procountor_export.export as front_door

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "procountor_export"
ENGINE = "procountor_export.export"
FACE_PARTS = ("cli", "web", "jobs", "bench")


def face_modules() -> list[Path]:
    """Every module of the faces: the parts' files and the demos."""
    found = [path for part in FACE_PARTS for path in sorted((PACKAGE / part).rglob("*.py"))]
    return found + sorted(PACKAGE.glob("demo*.py"))


def module_name(path: Path) -> str:
    """``procountor_export.web.api`` for ``src/procountor_export/web/api.py``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a ``from … import`` names, relative imports resolved against ``module``."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    # A package's __init__ is its own level-1 anchor; a plain module's is its parent.
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def back_doors(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (of ``module``) that passes the engine's front door:
    a submodule of ``procountor_export.export``, or a name the front door does not offer."""
    public = set(front_door.__all__)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(ENGINE + "."):
                    found.append(f"{module}:{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, is_package)
            names = ", ".join(alias.name for alias in node.names)
            if target.startswith(ENGINE + "."):
                found.append(f"{module}:{node.lineno}: from {target} import {names}")
            elif target == ENGINE:
                private = [alias.name for alias in node.names if alias.name not in public]
                if private:
                    found.append(
                        f"{module}:{node.lineno}: from {target} import {', '.join(private)} "
                        "(not in its __all__)"
                    )
    return found


def test_the_faces_import_only_the_engines_front_door() -> None:
    modules = face_modules()
    assert len(modules) > 40  # the faces were found
    found = [
        door
        for path in modules
        for door in back_doors(
            path.read_text(encoding="utf-8"),
            module_name(path),
            is_package=path.name == "__init__.py",
        )
    ]
    assert found == [], "Faces must import only procountor_export.export:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from procountor_export.export.runner import run_export\n",
            "procountor_export.web.x:1: from procountor_export.export.runner import run_export",
        ),
        (
            "import procountor_export.export.reading.scope\n",
            "procountor_export.web.x:1: import procountor_export.export.reading.scope",
        ),
        (
            "\nfrom ..export.reporting import status\n",
            "procountor_export.web.x:2: from procountor_export.export.reporting import status",
        ),
        (
            "from procountor_export.export import runner\n",
            "procountor_export.web.x:1: from procountor_export.export import runner "
            "(not in its __all__)",
        ),
    ],
)
def test_a_back_door_is_named_by_module_line_and_import(source: str, expected: str) -> None:
    assert back_doors(source, "procountor_export.web.x") == [expected]


def test_the_front_door_itself_is_no_violation() -> None:
    source = (
        "from procountor_export.export import Exporter, Scope\n"
        "from procountor_export.export import messages as m\n"
        "from procountor_export import export\n"
    )
    assert back_doors(source, "procountor_export.cli.x") == []


def test_every_public_name_is_importable_and_listed_once() -> None:
    names = front_door.__all__
    assert len(names) == len(set(names))
    assert "Exporter" in names
    assert "messages" in names
    module = importlib.import_module(ENGINE)
    for name in names:
        assert getattr(module, name, None) is not None, f"{ENGINE}.{name} is not importable"
        namespace: dict[str, object] = {}
        exec(f"from {ENGINE} import {name}", namespace)  # the form a face writes
        assert namespace[name] is getattr(module, name)


def test_no_engine_module_imports_the_front_doors_names() -> None:
    """The engine's modules may import each other (``from procountor_export.export import
    messages``), never a name of the front door: that would be an import circle."""
    engine = PACKAGE / "export"
    submodules = {path.stem for path in engine.glob("*.py")} | {
        path.name for path in engine.iterdir() if (path / "__init__.py").is_file()
    }
    found = []
    for path in sorted(engine.rglob("*.py")):
        if path == engine / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == ENGINE:
                found.extend(
                    f"{module_name(path)}:{node.lineno}: {alias.name}"
                    for alias in node.names
                    if alias.name not in submodules
                )
    assert found == []
