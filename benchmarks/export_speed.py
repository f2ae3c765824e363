"""Export throughput against the emulator served over real HTTP on a loopback port.

Prints API calls per invoice, invoices per second at the configured client rate limit, the
emulator's rate-limit violations (429s), and peak memory. A cold run (customers, posting
products and dimension items are created), then warm runs over new invoices: without the PDF
copy and with it ("Include PDF copy": one attachment POST more per invoice is the target).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from cryptography.fernet import Fernet

from procountor_export.emulator import create_app
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.data import EXPORT_NAME
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

# The calls an invoice makes itself, not the master data (customers, products) it first meets:
# the runs differ in how many new customers and products their invoices bring along.
PER_INVOICE = ("/invoices", "/ledgerreceipts", "/attachments")

# Each run: its label and whether the export attaches the PDF copy.
RUNS = {
    "both": (("cold", False), ("warm", False), ("warm + PDF", True)),
    "off": (("cold", False), ("warm", False)),
    "on": (("cold", True), ("warm + PDF", True)),
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks export", description=__doc__)
    parser.add_argument("--invoices", type=int, default=400, help="invoices per run")
    parser.add_argument("--rate-limit", type=float, default=15.0, help="client requests/s")
    parser.add_argument("--emulator-limit", type=float, default=20.0, help="emulator requests/s")
    parser.add_argument("--latency-ms", type=int, default=20, help="emulator latency per call")
    parser.add_argument("--workers", type=int, default=4, help="sending threads")
    parser.add_argument(
        "--pdf",
        choices=sorted(RUNS),
        default="both",
        help="attach the PDF copy: on the warm run only as a third run (both), never, always",
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="no traced peak memory: tracing slows the PDF renderer's many allocations several "
        "fold, so the PDF run's speed is only realistic without it",
    )
    args = parser.parse_args(argv)
    runs = RUNS[args.pdf]

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        box = SecretBox(Fernet.generate_key())
        # One document, one part per run: each run exports invoices of its own.
        document = generate_document(args.invoices * len(runs), seed=42)
        report = import_document(store, document, box=box)
        if not report.accepted:
            raise SystemExit(f"import failed: {report.errors[:3]}")
        closed = {p["id"] for p in document["periods"] if p.get("closed_at")}
        numbers = [i["number"] for i in document["invoices"] if i["period"] in closed]
        size = len(numbers) // len(runs)
        parts = [numbers[index * size : (index + 1) * size] for index in range(len(runs))]
        app = create_app(rate_limit=args.emulator_limit, latency_ms=args.latency_ms)
        with BackgroundServer(app) as server:
            settings = load_settings(
                PROCOUNTOR_BASE_URL=server.base_url, PROCOUNTOR_RATE_LIMIT=args.rate_limit
            )
            print(
                f"Export benchmark: {' + '.join(str(len(p)) for p in parts)} invoices, client "
                f"{args.rate_limit:g} req/s, emulator limit {args.emulator_limit:g} req/s, "
                f"latency {args.latency_ms} ms, {args.workers} workers"
            )
            if not args.no_tracemalloc:
                tracemalloc.start()
            per_invoice: dict[str, float] = {}
            for (label, pdf), part in zip(runs, parts, strict=True):
                with store.session() as session:
                    export_settings.upsert_export_definition(
                        session, name=EXPORT_NAME, include_pdf=pdf
                    )
                started = time.perf_counter()
                summary = run_export(
                    store,
                    Scope(invoices=tuple(part)),
                    client_factory=ClientFactory(settings),
                    box=box,
                    options=ExportOptions(workers=args.workers, started_by="benchmark"),
                )
                seconds = time.perf_counter() - started
                done = summary.exported
                own = sum(
                    count
                    for name, count in summary.calls.items()
                    if name.partition(" ")[2].startswith(PER_INVOICE)
                )
                per_invoice[label] = own / max(done, 1)
                print(
                    f"  {label}: {done} exported, {summary.failed} failed in {seconds:.1f} s = "
                    f"{done / seconds:.1f} invoices/s; {summary.api_calls} API calls = "
                    f"{summary.api_calls / max(done, 1):.2f} per invoice "
                    f"({summary.api_calls / seconds:.1f} calls/s); created {summary.created}"
                )
                print(
                    f"    the invoices' own calls (no master data): {own / max(done, 1):.2f} each"
                )
                top = sorted(summary.calls.items(), key=lambda item: -item[1])[:6]
                print("    calls: " + ", ".join(f"{name} {count}" for name, count in top))
                if summary.warnings:
                    print(f"    {len(summary.warnings)} warnings, first: {summary.warnings[0]}")
            if "warm" in per_invoice and "warm + PDF" in per_invoice:
                extra = per_invoice["warm + PDF"] - per_invoice["warm"]
                print(
                    f"  PDF copy: {extra:+.2f} calls per invoice of the invoices' own "
                    "(target: at most +1)"
                )
            _, peak = tracemalloc.get_traced_memory()  # (0, 0) when not tracing
            tracemalloc.stop()
            violations = server.app_state().rate_limit_violations
        store.close()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  emulator rate-limit violations (429): {violations}")
    traced = "not traced" if args.no_tracemalloc else f"{peak / 2**20:.1f} MB"
    print(f"  peak traced memory {traced}, max RSS {maxrss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
