"""CLI commands of the data part: ``init``, ``import`` and the ``list`` commands.

Thin on purpose: the work is done by :mod:`procountor_export.tms` and the store; these
functions parse options, call the library and print.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from procountor_export.cli.common import fail, open_store, out, print_json, secret_box, settings
from procountor_export.plurals import plural
from procountor_export.settings import Settings
from procountor_export.store.locks import (
    STORE_LOG,
    StoreBusy,
    StoreError,
    StoreUnreachable,
    store_error,
)
from procountor_export.store.secrets import SecretBox, SecretKeyError, ensure_key_file
from procountor_export.tms import queries
from procountor_export.tms.importer import DEFAULT_WAIT, import_document
from procountor_export.tms.report import KINDS, ImportReport

MAX_WARNINGS_SHOWN = 50

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]

periods_app = typer.Typer(no_args_is_help=True, help="Invoice periods imported from the TMS.")
invoices_app = typer.Typer(no_args_is_help=True, help="Invoices imported from the TMS.")
customers_app = typer.Typer(no_args_is_help=True, help="Customers imported from the TMS.")


def init() -> None:
    """Create or upgrade the database and create the secret key file when it is needed."""
    config = settings()
    store = open_store(config)
    store.close()
    url = make_url(config.database_url).render_as_string(hide_password=True)
    out.print(f"Database ready: {url}", highlight=False, soft_wrap=True)
    if config.secret_key is not None:
        out.print("Secret key: from PROCOUNTOR_EXPORT_SECRET_KEY", highlight=False)
    elif ensure_key_file(config.key_file):
        out.print(
            f"Secret key created: {config.key_file.resolve()} (readable by you only; keep a "
            "copy: without it the stored API keys cannot be read)",
            highlight=False,
            soft_wrap=True,
        )
    else:
        out.print(f"Secret key file: {config.key_file.resolve()}", highlight=False, soft_wrap=True)


def _box() -> SecretBox | None:
    """The secret box, or None when no key is configured (then API keys cannot be stored)."""
    try:
        return secret_box()
    except SecretKeyError:
        return None


def import_file(file: str, wait: float = DEFAULT_WAIT) -> ImportReport:
    """Import ``file`` (``-`` = stdin) into the configured store, waiting ``wait`` seconds at
    most for another import holding it.

    When the store cannot be had (locked past the wait, database down) or refuses the
    document, exits 1 with a message in the user's words; the database's own text goes to
    the event log. Other imports at the same time are no error: they take turns.
    """
    if file != "-" and not Path(file).is_file():
        fail(f"No such file: {file}")
    config = settings()
    try:
        store = open_store(config)
    except SQLAlchemyError as exc:
        _store_failed(store_error(exc, wait), config)
    try:
        source = sys.stdin.buffer if file == "-" else Path(file)
        return import_document(store, source, box=_box(), wait=wait)
    except StoreError as exc:
        _store_failed(exc, config)
    finally:
        store.close()


def _store_failed(exc: StoreError, config: Settings) -> NoReturn:
    """Log the database's text, tell the user what happened and what to do, exit 1."""
    url = make_url(config.database_url).render_as_string(hide_password=True)
    STORE_LOG.error("import into %s failed: %s: %s", url, exc, exc.detail)
    if isinstance(exc, StoreBusy):
        fail(
            f"Nothing was imported: {exc}. Try again when it has finished, or wait longer "
            "with --wait SECONDS."
        )
    if isinstance(exc, StoreUnreachable):
        fail(
            f"Nothing was imported: the store at {url} could not be reached. Check that the "
            "database is running and that PROCOUNTOR_EXPORT_DATABASE_URL is right."
        )
    where = (
        "is in the event log"
        if config.log_file is not None
        else "goes to the event log: set PROCOUNTOR_EXPORT_LOG_FILE and try again to see it"
    )
    fail(f"Nothing was imported: {exc}. The database's message {where}.")


def show_report(report: ImportReport) -> None:
    """Print the counts, conflicts, warnings and errors of an import for a person."""
    if not report.accepted:
        out.print(
            f"The document was rejected: {plural(len(report.errors), 'problem')}; nothing was "
            "imported.",
            highlight=False,
        )
        for problem in report.errors:
            out.print(str(problem), markup=False, highlight=False, soft_wrap=True)
    else:
        table = Table("kind", "created", "updated", "unchanged", title="Imported")
        for kind in KINDS:
            counts = report.counts[kind]
            if counts.total:
                table.add_row(kind, str(counts.created), str(counts.updated), str(counts.unchanged))
        out.print(table)
        if report.newly_closed_periods:
            closed = ", ".join(report.newly_closed_periods)
            out.print(f"Newly closed periods: {closed}", markup=False, highlight=False)
    if report.conflicts:
        out.print(f"Conflicts ({len(report.conflicts)}), kept as stored:", highlight=False)
        for conflict in report.conflicts:
            out.print(str(conflict), markup=False, highlight=False, soft_wrap=True)
    if report.warnings:
        out.print(f"Warnings ({len(report.warnings)}):", highlight=False)
        for problem in report.warnings[:MAX_WARNINGS_SHOWN]:
            out.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        hidden = len(report.warnings) - MAX_WARNINGS_SHOWN
        if hidden > 0:
            out.print(f"… and {hidden} more (--json lists them all)", highlight=False)


def import_command(
    file: Annotated[str, typer.Argument(help="The TMS document (JSON); '-' reads stdin.")],
    json_output: JsonOption = False,
    export: Annotated[
        bool,
        typer.Option(
            "--export",
            help="Then export the invoice periods this document closed (export when closing).",
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            min=0,
            metavar="SECONDS",
            help="How long to wait for another import (or an export) holding the store "
            "before giving up.",
        ),
    ] = DEFAULT_WAIT,
) -> None:
    """Import a TMS invoicing document: all of it, or nothing when it has any error.

    Imports started at the same time take turns (each waits for the one before it).
    """
    report = import_file(file, wait)
    if not (export and report.accepted and report.newly_closed_periods):
        if json_output:
            print_json(report.to_dict())
        else:
            show_report(report)
            if export and report.accepted:
                out.print("No invoice period was closed by this document: nothing to export.")
        if not report.accepted:
            raise typer.Exit(1)
        return
    # Imported late so that plain imports do not load the export engine.
    from procountor_export.cli.export import export_scope
    from procountor_export.export import Messages, Scope

    if not json_output:
        show_report(report)
    summary = export_scope(
        Scope(periods=tuple(report.newly_closed_periods)), as_json=False, quiet=json_output
    )
    if json_output:
        messages = Messages(settings().source_system)
        print_json({"import": report.to_dict(), "export": summary.as_dict(messages)})
    raise typer.Exit(0 if summary.succeeded else 1)


@periods_app.command("list")
def periods_list(json_output: JsonOption = False) -> None:
    """List the invoice periods with their invoice counts."""
    store = open_store()
    with store.session() as session:
        rows = queries.list_periods(session)
    store.close()
    if json_output:
        print_json([row.to_dict() for row in rows])
        return
    table = Table("period", "from", "to", "closed", "invoices", "exported")
    for row in rows:
        closed = row.closed_at.strftime("%Y-%m-%d %H:%M") if row.closed_at else "open"
        table.add_row(
            row.id, str(row.date_from), str(row.date_to), closed, str(row.invoices),
            str(row.exported),
        )  # fmt: skip
    out.print(table)


class StateChoice(enum.StrEnum):
    """The ``--state`` values (``NEW``: not exported yet)."""

    NEW = "NEW"
    PENDING = "PENDING"
    INFLIGHT = "INFLIGHT"
    EXPORTED = "EXPORTED"
    FAILED = "FAILED"


@invoices_app.command("list")
def invoices_list(
    period: Annotated[str | None, typer.Option(help="Only invoices of this period.")] = None,
    state: Annotated[
        StateChoice | None,
        typer.Option(
            help="Only invoices in this export state (NEW: not exported yet).",
            case_sensitive=False,
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List the imported invoices and where their export stands."""
    store = open_store()
    with store.session() as session:
        wanted = None if state is None else queries.INVOICE_STATES[list(StateChoice).index(state)]
        rows = queries.list_invoices(session, period=period, state=wanted)
    store.close()
    if json_output:
        print_json([row.to_dict() for row in rows])
        return
    table = Table("number", "period", "type", "customer", "date", "gross", "state")
    for row in rows:
        gross = f"{row.total_gross} {row.currency}"
        table.add_row(
            row.number, row.period, row.type, row.customer, str(row.date), gross, row.state
        )
    out.print(table)


@customers_app.command("list")
def customers_list(
    missing_sales_ledger_no: Annotated[
        bool,
        typer.Option(
            "--missing-sales-ledger-no",
            help="Only customers without a sales ledger number (their invoices cannot be "
            "exported).",
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """List the imported customers."""
    store = open_store()
    with store.session() as session:
        rows = queries.list_customers(session, missing_sales_ledger_no=missing_sales_ledger_no)
    store.close()
    if json_output:
        print_json([row.to_dict() for row in rows])
        return
    table = Table("code", "customer no", "sales ledger no", "name", "channel", "export setting")
    for row in rows:
        table.add_row(
            row.code, row.customer_no, row.sales_ledger_no or "—", row.name,
            row.invoice_channel, row.export_setting or "(default)",
        )  # fmt: skip
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("init")(init)
    app.command("import")(import_command)
    app.add_typer(periods_app, name="periods")
    app.add_typer(invoices_app, name="invoices")
    app.add_typer(customers_app, name="customers")
