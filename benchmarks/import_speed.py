"""Import speed: a generated document of N invoices into a fresh SQLite store.

The document is written by a child process (so its generation does not count towards this
process's peak memory), then imported twice into fresh stores: once plainly for the time, once
under tracemalloc for the peak of Python allocations (tracemalloc slows Python down, so that
run is not timed). maxrss is the whole process's peak resident memory.

Targets (issue #2): 50,000 invoices in under 60 s and under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

TARGET_SECONDS = 60.0
TARGET_MB = 500.0
_WRITER = (
    "import sys\n"
    "from procountor_export.samples.generator import write_document\n"
    "with open(sys.argv[1], 'w', encoding='utf-8') as f:\n"
    "    write_document(f, int(sys.argv[2]), int(sys.argv[3]))\n"
)


def write_sample(path: Path, invoices: int, seed: int) -> None:
    """Write the generated document to ``path`` in a child process."""
    subprocess.run([sys.executable, "-c", _WRITER, str(path), str(invoices), str(seed)], check=True)


def _import(folder: Path, name: str, document: Path) -> tuple[float, float, Any]:
    store = Store.open(f"sqlite:///{folder / name}")
    box = SecretBox(Fernet.generate_key())
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_document(store, document, box=box)
        return time.perf_counter() - wall, time.process_time() - cpu, report
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 when ``--check`` finds a target missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks import", description=__doc__)
    parser.add_argument("--invoices", type=int, default=50_000, help="invoices in the document")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample generator")
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the (slow) tracemalloc run"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 unless under {TARGET_SECONDS:g} s and {TARGET_MB:g} MB",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="import-bench-") as name:
        folder = Path(name)
        document = folder / "document.json"
        write_sample(document, args.invoices, args.seed)
        size_mb = document.stat().st_size / 1e6

        seconds, cpu, report = _import(folder, "timed.sqlite", document)
        if not report.accepted:
            print("The generated document was rejected:", *report.errors[:10], sep="\n  ")
            return 1
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

        traced_mb = None
        if not args.no_tracemalloc:
            tracemalloc.start()
            _import(folder, "traced.sqlite", document)
            traced_mb = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures = {
        "invoices": args.invoices,
        "document_mb": round(size_mb, 1),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "invoices_per_second": round(args.invoices / seconds) if seconds else None,
        "tracemalloc_peak_mb": None if traced_mb is None else round(traced_mb, 1),
        "maxrss_mb": round(maxrss_mb, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"Import of {args.invoices} invoices ({size_mb:.1f} MB of JSON) into SQLite:")
        print(f"  {seconds:.2f} s wall ({cpu:.2f} s CPU), {figures['invoices_per_second']} inv/s")
        if traced_mb is not None:
            print(f"  peak memory: {traced_mb:.1f} MB tracemalloc, {maxrss_mb:.1f} MB maxrss")
        else:
            print(f"  peak memory: {maxrss_mb:.1f} MB maxrss")
    if args.check and (seconds >= TARGET_SECONDS or maxrss_mb >= TARGET_MB):
        print(f"Target missed: {TARGET_SECONDS:g} s and {TARGET_MB:g} MB", file=sys.stderr)
        return 1
    return 0
