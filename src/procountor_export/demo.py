"""The end-to-end demo behind ``make demo``: generate → import → export to the built-in emulator.

Everything lives in one folder (default ``demo/``): the SQLite store, the Fernet key file, the
generated TMS document and the emulator's state file, so a second run finds the invoices
already exported and sends nothing new. ``--with-problems`` adds one invoice for each of the
article's error cases, to show the messages.

The folder is laid out as a working directory of the service with default settings: the store
and key file have the default names, so ``cd demo`` and every ``procountor-export`` command of
the documentation works there (those that reach Procountor while the demo's emulator runs).
``--serve`` opens the same folder in the browser: see :mod:`procountor_export.demo_web`.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from rich.console import Console
from starlette.testclient import TestClient

from procountor_export.cli.render import TerminalProgress, print_summary
from procountor_export.demo_folder import (
    DEFAULT_DIR,
    default_folder,
    held_market,
    key_path,
    remember_market,
    state_path,
    store_path,
)
from procountor_export.emulator import create_app, market_seed
from procountor_export.export import Exporter, ExportOptions, Messages, Scope
from procountor_export.plurals import plural
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.generator import generate_document
from procountor_export.samples.markets import MARKETS
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox, ensure_key_file, load_key
from procountor_export.tms.importer import import_document

EMULATOR_URL = "http://emulator"
DEFAULT_INVOICES = 60
DEFAULT_SEED = 7
UNPACED_RATE = 100_000.0  # requests/s: no pacing to speak of


def main(argv: list[str] | None = None) -> int:
    """Run the demo (or, with ``--serve``, open it in the browser); the exit code is 0 when
    every invoice was exported (or, with ``--with-problems``, when only the deliberate problem
    invoices failed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--dir", type=Path, default=None, help="working folder (default: demo, or demo-se …)"
    )
    parser.add_argument(
        "--market",
        choices=MARKETS,
        default="fi",
        help="the demo company's Procountor market: Finland, Sweden, Norway or Denmark",
    )
    parser.add_argument(
        "--invoices", type=int, default=DEFAULT_INVOICES, help="invoices to generate"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed of the sample data"
    )
    parser.add_argument("--with-problems", action="store_true", help="add the article's errors")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="open the demo in the web UI (with its emulator); runs the demo first if needed",
    )
    parser.add_argument("--port", type=int, default=8080, help="web UI port (with --serve)")
    parser.add_argument(
        "--emulator-port",
        type=int,
        default=8765,
        help="emulator port (with --serve; 0 = any free one)",
    )
    args = parser.parse_args(argv)
    if args.with_problems and args.market != "fi":
        parser.error(
            "--with-problems holds the article's Finnish error cases: use it with --market fi"
        )
    folder: Path = args.dir or default_folder(args.market)
    held = held_market(folder)
    if held is not None and held != args.market and not args.serve:
        parser.error(
            f"{folder} holds the demo of market {held}: give another --dir for --market "
            f"{args.market} (by default {default_folder(args.market)})"
        )
    if args.serve:
        from procountor_export.demo_web import serve_demo

        if not store_path(folder).exists():
            code = run_demo(folder, args.invoices, args.seed, args.with_problems, args.market)
            if code:
                return code
        return serve_demo(folder, port=args.port, emulator_port=args.emulator_port)
    code = run_demo(folder, args.invoices, args.seed, args.with_problems, args.market)
    if code:
        return code
    Console().print(
        "\nOpen this demo in the browser (the web UI, a login and the same emulator):\n"
        f"  {serve_command(folder)}",
        highlight=False,
        soft_wrap=True,
    )
    return 0


def serve_command(folder: Path) -> str:
    """The one command that opens ``folder``'s demo in the web UI, as a user types it."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(Path.cwd()))  # ".venv/bin/python" after make demo
    except ValueError:
        shown = str(python)
    words = [shown, "-m", "procountor_export.demo"]
    if folder != DEFAULT_DIR:
        words += ["--dir", str(folder)]
    return shlex.join([*words, "--serve"])


def run_demo(
    folder: Path,
    invoices: int = DEFAULT_INVOICES,
    seed: int = DEFAULT_SEED,
    with_problems: bool = False,
    market: str = "fi",
    *,
    unpaced: bool = False,
) -> int:
    """Generate, import and export into ``folder``; the exit code as :func:`main` says.

    ``unpaced`` is for tests: no rate limit in the emulator and none in the client, so that
    they need not wait ~15 s for the pacing (the demo paces as production does).
    """
    console = Console()
    err = Console(stderr=True)
    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{store_path(folder)}",
        PROCOUNTOR_EXPORT_KEY_FILE=key_path(folder),
        PROCOUNTOR_BASE_URL=f"{EMULATOR_URL}/api",
        PROCOUNTOR_CLIENT_ID="demo-client",
        PROCOUNTOR_CLIENT_SECRET="demo-secret",
        **({"PROCOUNTOR_RATE_LIMIT": UNPACED_RATE} if unpaced else {}),
    )
    ensure_key_file(settings.key_file)
    box = SecretBox(load_key(None, settings.key_file))

    console.rule("1. Generate sample TMS invoices")
    remember_market(folder, market)
    document = generate_document(invoices, seed=seed, with_problems=with_problems, market=market)
    path = folder / ("invoices-with-problems.json" if with_problems else "invoices.json")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    console.print(f"{plural(len(document['invoices']), 'invoice')} written to {path}")

    console.rule("2. Import the document")
    store = Store.open(settings.database_url)
    report = import_document(store, path.read_bytes(), box=box)
    if not report.accepted:
        for problem in report.errors:
            err.print(f"[red]{problem}[/red]")
        store.close()
        return 1
    for kind, counts in report.to_dict()["counts"].items():
        if any(counts.values()):
            text = ", ".join(f"{value} {name}" for name, value in counts.items())
            console.print(f"  {kind}: {text}")

    console.rule("3. Export to the built-in Procountor emulator")
    limit = {"rate_limit": None} if unpaced else {}
    app = create_app(market_seed(market), state_file=state_path(folder), **limit)
    with TestClient(app, base_url=EMULATOR_URL) as http:
        exporter = Exporter(
            store,
            client_factory=ClientFactory(settings, http_client=http),
            box=box,
            options=ExportOptions(source=settings.source_system, started_by="demo"),
        )
        summary = exporter.export(Scope(all=True), progress=TerminalProgress(err))
    store.close()
    print_summary(console, summary, Messages(settings.source_system))
    state = app.state.emulator.snapshot(include_files=False)
    console.print(
        f"The emulator now holds {_count(state, 'invoices')} invoices, "
        f"{_count(state, 'products')} products and {_count(state, 'partners')} business partners "
        f"(state in {state_path(folder)})."
    )
    if summary.succeeded:
        return 0
    return 0 if with_problems and summary.exported + summary.already_exported > 0 else 1


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
