"""The end-to-end demo behind ``make demo``: generate → import → export to the built-in emulator.

Everything lives in one folder (default ``demo/``): the SQLite store, the Fernet key file, the
generated TMS document and the emulator's state file, so a second run finds the invoices
already exported and sends nothing new. ``--with-problems`` adds one invoice for each of the
article's error cases, to show the messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from starlette.testclient import TestClient

from procountor_export.cli.render import TerminalProgress, print_summary
from procountor_export.emulator import create_app
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.export.sending.connect import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox, ensure_key_file, load_key
from procountor_export.tms.importer import import_document
from procountor_export.tms.sample import generate_document

EMULATOR_URL = "http://emulator"


def main(argv: list[str] | None = None) -> int:
    """Run the demo; the exit code is 0 when every invoice was exported (or, with
    ``--with-problems``, when only the deliberate problem invoices failed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=Path("demo"), help="working folder")
    parser.add_argument("--invoices", type=int, default=60, help="invoices to generate")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the sample data")
    parser.add_argument("--with-problems", action="store_true", help="add the article's errors")
    args = parser.parse_args(argv)
    console = Console()
    err = Console(stderr=True)
    folder: Path = args.dir
    folder.mkdir(parents=True, exist_ok=True)

    settings = load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{folder / 'procountor-export.sqlite'}",
        PROCOUNTOR_EXPORT_KEY_FILE=folder / "procountor-export.key",
        PROCOUNTOR_BASE_URL=f"{EMULATOR_URL}/api",
        PROCOUNTOR_CLIENT_ID="demo-client",
        PROCOUNTOR_CLIENT_SECRET="demo-secret",
    )
    ensure_key_file(settings.key_file)
    box = SecretBox(load_key(None, settings.key_file))

    console.rule("1. Generate sample TMS invoices")
    document = generate_document(args.invoices, seed=args.seed, with_problems=args.with_problems)
    path = folder / ("invoices-with-problems.json" if args.with_problems else "invoices.json")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    console.print(f"{len(document['invoices'])} invoices written to {path}")

    console.rule("2. Import the document")
    store = Store.open(settings.database_url)
    report = import_document(store, path.read_bytes(), box=box)
    if not report.accepted:
        for problem in report.errors:
            err.print(f"[red]{problem}[/red]")
        return 1
    for kind, counts in report.to_dict()["counts"].items():
        if any(counts.values()):
            text = ", ".join(f"{value} {name}" for name, value in counts.items())
            console.print(f"  {kind}: {text}")

    console.rule("3. Export to the built-in Procountor emulator")
    app = create_app(state_file=folder / "emulator-state.json")
    with TestClient(app, base_url=EMULATOR_URL) as http:
        summary = run_export(
            store,
            Scope(all=True),
            client_factory=ClientFactory(settings, http_client=http),
            box=box,
            options=ExportOptions(source=settings.source_system, started_by="demo"),
            progress=TerminalProgress(err),
        )
    store.close()
    print_summary(console, summary, Messages(settings.source_system))
    state = app.state.emulator.snapshot()
    console.print(
        f"The emulator now holds {_count(state, 'invoices')} invoices, "
        f"{_count(state, 'products')} products and {_count(state, 'partners')} business partners "
        f"(state in {folder / 'emulator-state.json'})."
    )
    if summary.succeeded:
        return 0
    return 0 if args.with_problems and summary.exported + summary.already_exported > 0 else 1


def _count(state: dict[str, object], key: str) -> int:
    """How many objects of a kind the emulator's state holds (summed over companies)."""
    total = 0
    companies = state.get("companies")
    if isinstance(companies, dict):
        for company in companies.values():
            if isinstance(company, dict) and isinstance(company.get(key), dict | list):
                total += len(company[key])
    return total


if __name__ == "__main__":
    sys.exit(main())
