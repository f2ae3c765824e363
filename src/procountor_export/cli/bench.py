"""CLI command of the benchmark: ``procountor-export bench``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from procountor_export.cli.common import fail


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("bench")(bench)


def bench(
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the figures as one JSON object on stdout.")
    ] = False,
    invoices: Annotated[
        int, typer.Option("--invoices", min=1, help="Invoices per run (cold, warm, warm + PDF).")
    ] = 1000,
    companies: Annotated[
        int,
        typer.Option(
            "--companies", min=1, help="Procountor companies sharing one client id's rate."
        ),
    ] = 1,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Sending threads of the export.")
    ] = 4,
    latency_ms: Annotated[
        int, typer.Option("--latency-ms", min=0, help="Emulator latency per call.")
    ] = 50,
    limit: Annotated[
        float, typer.Option("--limit", min=0.1, help="Emulator requests/s per client id.")
    ] = 20.0,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate", min=0.1, help="Client pacing, requests/s (default: PROCOUNTOR_RATE_LIMIT)."
        ),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf/--no-pdf", help="Also a warm run with the PDF copy.")
    ] = True,
    chunk_size: Annotated[
        int | None, typer.Option("--chunk-size", min=1, help="Invoices per chunk.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generated invoices.")] = 42,
) -> None:
    """Measure export throughput against the emulator served over loopback.

    Exports generated invoices cold (customers, products and dimension items created) and warm
    (all of them already there), with 50 ms latency per call and Procountor's 20 requests/s per
    client id, and prints invoices, API calls, calls per invoice, invoices per second, the share
    of the rate limit used, 429s, p50/p95 latency per endpoint and peak memory. Nothing is
    written outside a temporary folder.
    """
    from procountor_export.bench.report import main_json, render
    from procountor_export.bench.run import BenchConfig, run_benchmark
    from procountor_export.cli.common import settings

    config = BenchConfig(
        invoices=invoices,
        companies=companies,
        workers=workers,
        latency_ms=latency_ms,
        limit=limit,
        rate=rate if rate is not None else settings().rate_limit,
        pdf=pdf,
        chunk_size=chunk_size,
        seed=seed,
    )
    try:
        result = run_benchmark(config)
    except (RuntimeError, ValueError) as error:
        fail(f"the benchmark could not run: {error}")
    if json_output:
        sys.stdout.write(main_json(result) + "\n")
    else:
        sys.stdout.write(render(result) + "\n")
