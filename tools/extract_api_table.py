"""Regenerate ``src/procountor_export/apispec/api-26.04.json`` from the full OpenAPI table.

Usage::

    .venv/bin/python tools/extract_api_table.py /work/shared/procountor-openapi-26.04.json
    .venv/bin/python tools/extract_api_table.py FULL.json --operation "GET /coa" --operation …

Without ``--operation`` the operations are the emulator's routes: every ``METHOD /api/...``
route of ``create_app()`` that the full table knows (parameter names do not matter). The subset
keeps those operations as they are and every schema their request bodies and answers reference,
transitively through ``ref`` fields. Routes the table does not know (``/oauth/token``, the
``/_emulator`` admin API) are listed on stderr and left out. The output is sorted and stable, so
a regenerated file only differs where the spec or the emulator's routes changed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "procountor_export" / "apispec" / "api-26.04.json"
PARAMETER = re.compile(r"\{[^}]*\}")


def shape(path: str) -> str:
    return PARAMETER.sub("{}", path)


def emulator_routes() -> list[tuple[str, str]]:
    """(METHOD, path below the API root) of every route the emulator serves."""
    sys.path.insert(0, str(ROOT / "src"))
    from procountor_export.emulator import create_app

    paths = create_app(rate_limit=None).openapi()["paths"]
    routes = []
    for path, methods in paths.items():
        if not path.startswith("/api/"):
            continue
        routes.extend((method.upper(), path.removeprefix("/api")) for method in methods)
    return sorted(routes)


def pick_operations(
    full: Mapping[str, Any], wanted: Iterable[tuple[str, str]]
) -> tuple[dict[str, Any], list[str]]:
    """The full table's operations matching ``wanted``, and the wanted ones it lacks."""
    by_shape = {}
    for key in full:
        method, path = key.split(" ", 1)
        by_shape[(method, shape(path))] = key
    picked: dict[str, Any] = {}
    missing = []
    for method, path in wanted:
        key = by_shape.get((method, shape(path)))
        if key is None:
            missing.append(f"{method} {path}")
        else:
            picked[key] = full[key]
    return picked, missing


def _refs(fields: Mapping[str, Any]) -> Iterable[str]:
    for spec in fields.values():
        if isinstance(spec, Mapping) and spec.get("ref"):
            yield str(spec["ref"])


def referenced_schemas(operations: Mapping[str, Any], schemas: Mapping[str, Any]) -> list[str]:
    """Every schema the operations' bodies and answers reference, transitively."""
    pending: list[str] = []
    for operation in operations.values():
        body = operation.get("body") or {}
        if body.get("ref"):
            pending.append(body["ref"])
        pending.extend(_refs(body.get("fields") or {}))
        for answer in (operation.get("responses") or {}).values():
            if answer.get("schema"):
                pending.append(answer["schema"])
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in schemas:
            continue  # "object" and the like name no schema of the table
        seen.add(name)
        pending.extend(_refs(schemas[name].get("fields") or {}))
    return sorted(seen)


def build(
    full: Mapping[str, Any], wanted: Iterable[tuple[str, str]]
) -> tuple[dict[str, Any], list[str]]:
    operations, missing = pick_operations(full["operations"], wanted)
    names = referenced_schemas(operations, full["schemas"])
    table = {
        "source": full.get("source", ""),
        "version": full.get("version", ""),
        "note": (
            "Subset of procountor-openapi-26.04.json: the operations the emulator serves and "
            "every schema their bodies and answers reference. Regenerate with "
            "tools/extract_api_table.py; do not edit by hand."
        ),
        "operations": dict(sorted(operations.items())),
        "schemas": {name: full["schemas"][name] for name in names},
    }
    return table, missing


def _operation_arg(text: str) -> tuple[str, str]:
    method, _, path = text.strip().partition(" ")
    if not path.startswith("/"):
        raise argparse.ArgumentTypeError(f"expected 'METHOD /path', got {text!r}")
    return method.upper(), path.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("full", type=Path, help="the full table (procountor-openapi-26.04.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the subset")
    parser.add_argument(
        "--operation",
        action="append",
        type=_operation_arg,
        help="'METHOD /path' to include (repeatable); default: the emulator's routes",
    )
    args = parser.parse_args(argv)
    full = json.loads(args.full.read_text(encoding="utf-8"))
    wanted = args.operation or emulator_routes()
    table, missing = build(full, wanted)
    for key in missing:
        print(f"not in the table, left out: {key}", file=sys.stderr)
    args.out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(table['operations'])} operations, {len(table['schemas'])} schemas",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
