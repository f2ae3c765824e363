"""CLI command of the PDF copy: ``pdf``, one invoice's PDF copy written to a file to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from procountor_export.cli.common import err, fail, open_store
from procountor_export.export import (
    UnknownInvoice,
    exported_procountor_number,
    pdf_invoice_by_number,
)
from procountor_export.pdf import Variant, render


def pdf(
    invoice: Annotated[str, typer.Argument(help="The TMS invoice number.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The PDF file to write.", dir_okay=False),
    ],
    reduced: Annotated[
        bool,
        typer.Option(
            "--reduced",
            help="The reduced variant (Reduce PDF file size): no bold, italic or underline, "
            "a standard font that is not embedded.",
        ),
    ] = False,
) -> None:
    """Write the PDF copy of one invoice, as the export attaches it to the Procountor invoice.

    The Procountor invoice number is printed when an export recorded one.
    """
    variant = Variant.REDUCED if reduced else Variant.NORMAL
    store = open_store()
    try:
        with store.session() as session:
            values = pdf_invoice_by_number(
                session, invoice, procountor_number=exported_procountor_number(session, invoice)
            )
    except UnknownInvoice:
        fail(f"Invoice {invoice} is not in the store: import it first, or check the number.")
    finally:
        store.close()
    content = render(values, variant)
    try:
        output.write_bytes(content)
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}")
    err.print(
        f"Wrote the {variant.value} PDF copy of invoice {invoice} to {output} "
        f"({len(content):,} bytes)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("pdf")(pdf)
