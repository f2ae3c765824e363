"""Export throughput (issue 12): ``procountor-export bench`` as ``python -m benchmarks throughput``.

The work is in :mod:`procountor_export.bench.run` so that the installed command has it too.
"""

from __future__ import annotations

from procountor_export.cli import app


def main(argv: list[str] | None = None) -> int:
    """Run ``procountor-export bench`` with ``argv``; return its exit status."""
    try:
        app(["bench", *(argv or [])], standalone_mode=False)
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
