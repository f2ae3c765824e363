"""Run the benchmarks: ``python -m benchmarks [NAME] [options]``.

Each benchmark is a module with ``main(argv: list[str] | None) -> int`` that parses its own
options and prints its figures. Without a name every benchmark runs with its defaults; add a
benchmark by adding its module to :data:`BENCHMARKS`.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS: dict[str, str] = {
    "import": "benchmarks.import_speed",
    "export": "benchmarks.export_speed",
    "throughput": "benchmarks.throughput",
    "pdf": "benchmarks.pdf_render",
    "payments": "benchmarks.payments_sync",
}


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the named benchmark (or run them all); return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\nBenchmarks: " + ", ".join(BENCHMARKS) + "  (NAME --help for their options)")
        return 0
    if args and not args[0].startswith("-"):
        name, rest = args[0], args[1:]
        if name not in BENCHMARKS:
            print(f"Unknown benchmark {name!r}; choose from: {', '.join(BENCHMARKS)}")
            return 2
        return int(importlib.import_module(BENCHMARKS[name]).main(rest))
    status = 0
    for name, module in BENCHMARKS.items():
        print(f"== {name} ==", flush=True)
        status |= int(importlib.import_module(module).main(list(args)))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
