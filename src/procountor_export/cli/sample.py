"""CLI command of the sample part: ``generate-sample``, a realistic TMS document for the demo."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated

import typer

from procountor_export.cli.common import err, fail
from procountor_export.plurals import plural
from procountor_export.samples.generator import MAX_INVOICES, PROBLEM_CASES, write_document
from procountor_export.samples.markets import MARKETS


def generate_sample(
    invoices: Annotated[
        int,
        typer.Option(
            "--invoices", min=0, max=MAX_INVOICES, help="Number of clean invoices to generate."
        ),
    ] = 100,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same document.")
    ] = 1,
    with_problems: Annotated[
        bool,
        typer.Option(
            "--with-problems",
            help="Add one invoice for each export error case (see the docs: Sample data).",
        ),
    ] = False,
    market: Annotated[
        str,
        typer.Option(
            "--market",
            help="Whose invoicing: fi (default), se, no or dk; fits the emulator's company of "
            "that market (emulator --market).",
        ),
    ] = "fi",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False
        ),
    ] = None,
) -> None:
    """Generate a sample TMS invoicing document (tms-invoicing/1) for the demo company.

    The invoices are spread over 2025-02 to 2026-11, every one dated in an open Procountor
    period of the demo company; with --with-problems the deliberate error cases come on top.
    """
    if market not in MARKETS:
        fail(f"unknown market {market!r}: expected one of {', '.join(MARKETS)}")
    if with_problems and market != "fi":
        fail("--with-problems holds the article's Finnish error cases: use it with --market fi")
    if output is None:
        _to_stdout(invoices, seed, with_problems, market)
        return
    try:
        with output.open("w", encoding="utf-8") as stream:
            write_document(stream, invoices, seed, with_problems, market)
            stream.write("\n")
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}")
    extra = f" + {plural(len(PROBLEM_CASES), 'problem case')}" if with_problems else ""
    wrote = f"Wrote {plural(invoices, 'invoice')}{extra} (seed {seed}) to {output}"
    err.print(wrote, highlight=False)


def _to_stdout(invoices: int, seed: int, with_problems: bool, market: str) -> None:
    """Write the document to stdout as UTF-8 whatever the console's encoding (names have ä, Ł)."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # an already-decoded stream (e.g. replaced in tests): use it as it is
        write_document(sys.stdout, invoices, seed, with_problems, market)
        sys.stdout.write("\n")
        return
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
    try:
        write_document(stream, invoices, seed, with_problems, market)
        stream.write("\n")
        stream.flush()
    finally:
        stream.detach()  # leave sys.stdout's buffer open


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("generate-sample")(generate_sample)
