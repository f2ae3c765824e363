"""CLI commands of the export part: ``check``, ``export`` and ``status``."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from procountor_export.cli import common
from procountor_export.cli.render import TerminalProgress, print_analysis, print_summary
from procountor_export.export import (
    Analysis,
    Exporter,
    ExportOptions,
    Messages,
    RunSummary,
    Scope,
    ScopeError,
    analysis_json,
    summary_json,
)
from procountor_export.runtime.connections import ClientFactory
from procountor_export.store.secrets import SecretBox, SecretKeyError

PeriodOption = Annotated[
    list[str] | None, typer.Option("--period", help="Invoice period id (repeatable).")
]
InvoiceOption = Annotated[
    list[str] | None, typer.Option("--invoice", help="TMS invoice number (repeatable).")
]
AllOption = Annotated[
    bool, typer.Option("--all", help="Every invoice of a closed period not yet exported.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


def _scope(period: list[str] | None, invoice: list[str] | None, everything: bool) -> Scope:
    try:
        return Scope.of(period or (), invoice or (), everything)
    except ScopeError as error:
        common.fail(str(error), code=2)


def _box() -> SecretBox | None:
    try:
        return common.secret_box()
    except SecretKeyError:
        return None  # exports whose key comes from an environment variable still work


def _who() -> str:
    """Who started a run, for the export run's record: the command line and the OS user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli"


def export_scope(
    scope: Scope,
    *,
    as_json: bool = False,
    factory: ClientFactory | None = None,
    started_by: str | None = None,
    quiet: bool = False,
) -> RunSummary:
    """Run an export for ``scope`` with terminal progress (shared with ``import --export``).

    Prints the summary (as JSON with ``as_json``) unless ``quiet``.
    """
    config = common.settings()
    store = common.open_store(config)
    factory = factory or ClientFactory(config)
    try:
        exporter = Exporter(
            store,
            client_factory=factory,
            box=_box(),
            options=ExportOptions(source=config.source_system, started_by=started_by or _who()),
        )
        summary = exporter.export(scope, progress=TerminalProgress(common.err))
        # Printed before the store closes: a big run's JSON reads its invoices back from it.
        if not quiet and as_json:
            common.print_json(summary_json(store, summary, Messages(config.source_system)))
        elif not quiet:
            print_summary(common.out, summary, Messages(config.source_system))
    except ScopeError as error:
        common.fail(str(error), code=2)
    finally:
        factory.close()
        store.close()
    return summary


def _messages() -> Messages:
    """How this face renders problems: with the configured TMS name."""
    return Messages(common.settings().source_system)


def _analyse(scope: Scope, *, with_plan: bool) -> Analysis:
    """``check`` (``with_plan`` false) or ``export --dry-run``: nothing is written."""
    config = common.settings()
    store = common.open_store(config)
    factory = ClientFactory(config)
    try:
        exporter = Exporter(
            store,
            client_factory=factory,
            box=_box(),
            options=ExportOptions(source=config.source_system),
        )
        return exporter.plan(scope) if with_plan else exporter.check(scope)
    except ScopeError as error:
        common.fail(str(error), code=2)
    finally:
        factory.close()
        store.close()


def register(app: typer.Typer) -> None:
    """Add ``check``, ``export`` and ``status`` to ``app``."""

    @app.command()
    def check(
        period: PeriodOption = None,
        invoice: InvoiceOption = None,
        everything: AllOption = False,
        as_json: JsonOption = False,
    ) -> None:
        """Check the invoices against Procountor before exporting; writes nothing."""
        analysis = _analyse(_scope(period, invoice, everything), with_plan=False)
        if as_json:
            common.print_json(analysis_json(analysis, _messages(), with_plan=False))
        else:
            print_analysis(common.out, analysis, _messages(), show_plan=False)
        raise typer.Exit(0 if analysis.ok else 1)

    @app.command()
    def export(
        period: PeriodOption = None,
        invoice: InvoiceOption = None,
        everything: AllOption = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Print the plan; send and record nothing.")
        ] = False,
        as_json: JsonOption = False,
    ) -> None:
        """Export invoices to Procountor (whole closed periods, single invoices, or all)."""
        scope = _scope(period, invoice, everything)
        if dry_run:
            analysis = _analyse(scope, with_plan=True)
            if as_json:
                common.print_json(analysis_json(analysis, _messages(), with_plan=True))
            else:
                print_analysis(common.out, analysis, _messages(), show_plan=True)
            raise typer.Exit(0 if analysis.ok else 1)
        summary = export_scope(scope, as_json=as_json)
        raise typer.Exit(0 if summary.succeeded else 1)

    @app.command()
    def status(
        period: PeriodOption = None,
        invoice: InvoiceOption = None,
        everything: AllOption = False,
        as_json: JsonOption = False,
    ) -> None:
        """Show each invoice's export state, Procountor ids and payment reference, error and
        warnings."""
        scope = _scope(period, invoice, everything)
        config = common.settings()
        store = common.open_store(config)
        # Status reads the store only: the factory is never asked for a client (nor opens
        # the limiter's connection).
        factory = ClientFactory(config)
        try:
            rows = Exporter(store, client_factory=factory, box=None).status(scope)
        except ScopeError as error:
            common.fail(str(error), code=2)
        finally:
            factory.close()
            store.close()
        if as_json:
            messages = _messages()
            sys.stdout.write(json.dumps([row.as_dict(messages) for row in rows], indent=2) + "\n")
            return
        messages = _messages()
        table = Table()
        columns = ("invoice", "period", "export", "state", "Procountor id", "reference")
        for column in (*columns, "error / warnings"):
            table.add_column(column)
        for row in rows:
            colour = {"EXPORTED": "green", "FAILED": "red", "INFLIGHT": "yellow"}.get(row.state, "")
            notes = row.error(messages) or "; ".join(row.warning_texts(messages))
            table.add_row(
                row.invoice,
                row.period,
                row.export or "-",
                f"[{colour}]{row.state}[/{colour}]" if colour else row.state,
                str(row.procountor_invoice_id or ""),
                row.bank_reference or "",
                notes,
            )
        common.out.print(table)
