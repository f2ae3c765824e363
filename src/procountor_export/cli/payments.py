"""CLI commands of the payments part: ``procountor-export payments sync``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from procountor_export.cli import common
from procountor_export.payments import SyncReport, sync_payments
from procountor_export.runtime.connections import ClientFactory
from procountor_export.store.secrets import SecretBox, SecretKeyError

# Exit codes of ``sync``: 0 every company synced, 1 some company could not be (no API key,
# Procountor refused or could not be reached); the others were synced all the same.
EXIT_FAILED = 1

app = typer.Typer(no_args_is_help=True, help="Payments back from Procountor.")


def register(parent: typer.Typer) -> None:
    """Add this part's commands to ``parent``."""
    parent.add_typer(app, name="payments")


def _box() -> SecretBox | None:
    try:
        return common.secret_box()
    except SecretKeyError:
        return None  # exports whose key comes from an environment variable still work


@app.command()
def sync(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Read what was paid on the exported invoices since the last sync, per Procountor company.

    Reads only invoices this service exported (by the Procountor ids in the journal), paced
    like an export. Prints per company the invoices whose payment state changed, the payment
    events added and removed and the API calls made. Exit code 0 when every company was
    synced, 1 when one could not be (the others are synced all the same).
    """
    config = common.settings()
    store = common.open_store(config)
    factory = ClientFactory(config)
    try:
        report = sync_payments(store, factory, box=_box())
    finally:
        factory.close()
        store.close()
    if as_json:
        common.print_json({"ok": report.ok, "companies": [c.as_json() for c in report.companies]})
    else:
        _print(report)
    raise typer.Exit(0 if report.ok else EXIT_FAILED)


def _print(report: SyncReport) -> None:
    if not report.companies:
        common.out.print("No export definitions: nothing to sync.")
        return
    table = Table("Exports", "Invoices changed", "Events added", "Events removed", "API calls")
    for company in report.companies:
        table.add_row(
            ", ".join(company.exports),
            str(company.invoices_changed),
            str(company.events_added),
            str(company.events_removed),
            str(company.calls),
        )
    common.out.print(table)
    for company in report.companies:
        if company.error is not None:
            common.err.print(
                f"[red]Error:[/red] {', '.join(company.exports)}: {company.error}", highlight=False
            )
