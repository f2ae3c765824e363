"""The ``procountor-export`` command line: a thin shell over the library.

Each part of the service registers its commands from its own module, so the parts stay apart.
"""

from __future__ import annotations

import typer

from procountor_export import logs
from procountor_export.cli import (
    access,
    bench,
    common,
    configure,
    data,
    emulator,
    export,
    payments,
    pdf,
    procountor,
    sample,
    serve,
    worker,
)
from procountor_export.runtime.memory import settle_allocator

app = typer.Typer(
    no_args_is_help=True,
    help="Export TMS invoices into Procountor through its REST API.",
    pretty_exceptions_enable=False,
)

for part in (
    data,
    sample,
    configure,
    emulator,
    procountor,
    export,
    payments,
    pdf,
    bench,
    serve,
    access,
    worker,
):
    part.register(app)


@app.callback()
def _setup() -> None:
    """Export TMS invoices into Procountor through its REST API."""
    config = common.settings()
    logs.configure(config.log_file, config.log_level)


def main() -> None:
    """Console entry point."""
    settle_allocator()  # before any thread starts: long runs keep a flat footprint
    app()
