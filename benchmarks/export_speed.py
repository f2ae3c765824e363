"""Export throughput against the emulator served over real HTTP on a loopback port.

Prints API calls per invoice, invoices per second at the configured client rate limit, the
emulator's rate-limit violations (429s), and peak memory. Two runs: a cold one (customers,
posting products and dimension items are created) and a warm one over new invoices.
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
from procountor_export.export.connect import ClientFactory
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.export.scope import Scope
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from procountor_export.tms.sample import generate_document


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks export", description=__doc__)
    parser.add_argument("--invoices", type=int, default=400, help="invoices per run")
    parser.add_argument("--rate-limit", type=float, default=15.0, help="client requests/s")
    parser.add_argument("--emulator-limit", type=float, default=20.0, help="emulator requests/s")
    parser.add_argument("--latency-ms", type=int, default=20, help="emulator latency per call")
    parser.add_argument("--workers", type=int, default=4, help="sending threads")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        box = SecretBox(Fernet.generate_key())
        # One document, two halves: the cold run exports the first, the warm run the second.
        document = generate_document(args.invoices * 2, seed=42)
        report = import_document(store, document, box=box)
        if not report.accepted:
            raise SystemExit(f"import failed: {report.errors[:3]}")
        closed = {p["id"] for p in document["periods"] if p.get("closed_at")}
        numbers = [i["number"] for i in document["invoices"] if i["period"] in closed]
        halves = (numbers[: len(numbers) // 2], numbers[len(numbers) // 2 :])
        app = create_app(rate_limit=args.emulator_limit, latency_ms=args.latency_ms)
        with BackgroundServer(app) as server:
            settings = load_settings(
                PROCOUNTOR_BASE_URL=server.base_url, PROCOUNTOR_RATE_LIMIT=args.rate_limit
            )
            print(
                f"Export benchmark: {len(halves[0])} + {len(halves[1])} invoices, client "
                f"{args.rate_limit:g} req/s, emulator limit {args.emulator_limit:g} req/s, "
                f"latency {args.latency_ms} ms, {args.workers} workers"
            )
            tracemalloc.start()
            for label, part in zip(("cold", "warm"), halves, strict=True):
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
                print(
                    f"  {label}: {done} exported, {summary.failed} failed in {seconds:.1f} s = "
                    f"{done / seconds:.1f} invoices/s; {summary.api_calls} API calls = "
                    f"{summary.api_calls / max(done, 1):.2f} per invoice "
                    f"({summary.api_calls / seconds:.1f} calls/s); created {summary.created}"
                )
                top = sorted(summary.calls.items(), key=lambda item: -item[1])[:6]
                print("    calls: " + ", ".join(f"{name} {count}" for name, count in top))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            violations = server.app_state().rate_limit_violations
        store.close()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  emulator rate-limit violations (429): {violations}")
    print(f"  peak traced memory {peak / 2**20:.1f} MB, max RSS {maxrss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
