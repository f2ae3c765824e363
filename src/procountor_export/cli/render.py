"""Terminal rendering of export runs: a progress bar, problems, and the final summary."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from procountor_export.export import (
    Analysis,
    InvoiceOutcome,
    Messages,
    Problem,
    RunPlan,
    RunSummary,
)
from procountor_export.plurals import plural
from procountor_export.store.models import JournalState

# What an export created in Procountor, by ``RunSummary.created`` key: (one, many).
CREATED_NOUNS: dict[str, tuple[str, str]] = {
    "items": ("dimension item", "dimension items"),
    "products": ("product", "products"),
    "customers": ("customer", "customers"),
    "customers_updated": ("customer updated", "customers updated"),
    "customers_reactivated": ("customer reactivated", "customers reactivated"),
}


class TerminalProgress:
    """Shows the number to export, exported and failed, and a progress bar (on stderr)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.exported = 0
        self.failed = 0
        self._bar = BarColumn(complete_style="green", finished_style="green")
        self._progress = Progress(
            TextColumn("[bold]Exporting[/bold]"),
            self._bar,
            MofNCompleteColumn(),
            TextColumn("exported [green]{task.fields[exported]}[/green]"),
            TextColumn("failed [red]{task.fields[failed]}[/red]"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def started(self, total: int) -> None:
        """Show the bar with the number of invoices to export."""
        self.console.print(f"Invoices to export: [bold]{total}[/bold]")
        if total:
            self._progress.start()
            self._task = self._progress.add_task("export", total=total, exported=0, failed=0)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        """Move the bar by one invoice."""
        if outcome.state is JournalState.EXPORTED:
            self.exported += 1
        else:
            self.failed += 1
        if self._task is not None:
            self._progress.update(self._task, advance=1, exported=self.exported, failed=self.failed)

    def finished(self, summary: RunSummary) -> None:
        """Stop the bar; grey it out when anything failed."""
        if self._task is not None:
            if not summary.succeeded:
                self._bar.complete_style = "grey50"
                self._bar.finished_style = "grey50"
                self._progress.refresh()
            self._progress.stop()


def print_problem(
    console: Console, problem: Problem, messages: Messages, *, indent: str = "  "
) -> None:
    """One problem: the message (red, or yellow for a warning), Procountor's detail, the fix."""
    colour = "red" if problem.is_error else "yellow"
    where = f"[bold]{problem.invoice}[/bold]: " if problem.invoice else ""
    text = messages.message(problem)
    console.print(f"{indent}{where}[{colour}]{text}[/{colour}]", highlight=False)
    if problem.detail:
        console.print(f"{indent}  Details: {problem.detail}", highlight=False)
    console.print(f"{indent}  [dim]What to do: {messages.remedy(problem)}[/dim]", highlight=False)


def print_summary(console: Console, summary: RunSummary, messages: Messages) -> None:
    """The end of a run: green when all succeeded, else the failure statement and the errors."""
    console.print()
    if summary.succeeded:
        console.print(
            f"[bold green]Export completed:[/bold green] {summary.exported} exported, "
            f"{summary.already_exported} already exported earlier."
        )
    elif summary.outcome == "interrupted":
        console.print(
            f"[bold yellow]The export was interrupted by Procountor[/bold yellow]: "
            f"{summary.interrupted} of {plural(summary.to_export, 'invoice')} "
            f"{'is' if summary.interrupted == 1 else 'are'} left for the next "
            f"export, nothing is wrong with their data ({summary.exported} exported, "
            f"{summary.already_exported} already exported earlier)."
        )
    else:
        # "for 0 of 0 invoices" would be untrue: a run can fail before any invoice is tried.
        noun = "invoice" if summary.to_export == 1 else "invoices"
        whom = (
            f"for {summary.failed} of {summary.to_export} {noun}"
            if summary.failed
            else "before any invoice was sent"
            if not summary.exported
            else f"after {summary.exported} of {summary.to_export} {noun} were exported"
        )
        console.print(
            f"[bold red]The export failed[/bold red] {whom} ({summary.exported} exported, "
            f"{summary.already_exported} already exported earlier)."
        )
        if summary.interrupted:
            console.print(
                f"{summary.interrupted} of them failed only because Procountor had a "
                "temporary problem: the next export will finish them."
            )
    if summary.busy:
        console.print(
            f"{plural(len(summary.busy), 'invoice')} "
            f"{'is' if len(summary.busy) == 1 else 'are'} being exported by another run right "
            "now and "
            f"were left to it: {', '.join(summary.busy[:10])}"
            + (" …" if len(summary.busy) > 10 else "")
        )
    if summary.fatal:
        console.print("[bold]The run was stopped:[/bold]")
        print_problem(console, summary.fatal, messages)
    for problem in summary.run_problems:
        print_problem(console, problem, messages)
    failed = [o for o in summary.outcomes if o.state is JournalState.FAILED]
    if failed:
        console.print("[bold]Errors:[/bold]")
        shown: set[tuple[str, str]] = set()
        for outcome in failed:
            for problem in outcome.problems:
                key = (outcome.invoice, messages.message(problem))
                if key not in shown:
                    shown.add(key)
                    print_problem(console, problem, messages)
    if summary.warnings:
        console.print("[bold yellow]Warnings:[/bold yellow]")
        for warning in summary.warnings:
            where = f"{warning.invoice}: " if warning.invoice else ""
            console.print(f"  [yellow]{where}{messages.text(warning)}[/yellow]", highlight=False)
    created = ", ".join(
        plural(count, *CREATED_NOUNS.get(name, (name.replace("_", " "),)))
        for name, count in summary.created.items()
        if count
    )
    if created:
        console.print(f"Created in Procountor: {created}.")
    console.print(f"Procountor API calls: {summary.api_calls}.", style="dim")
    healed = summary.retries
    if any(healed.values()):
        console.print(
            f"Temporary failures of Procountor met and retried: {healed.get('retried', 0)} "
            f"requests sent again; {healed.get('found', 0)} writes whose answer was lost "
            f"found done, {healed.get('resent', 0)} sent again.",
            style="dim",
        )


def print_analysis(
    console: Console, analysis: Analysis, messages: Messages, *, show_plan: bool
) -> None:
    """``check`` and ``export --dry-run`` output."""
    for problem in analysis.problems:
        print_problem(console, problem, messages)
    for result in analysis.exports:
        console.print(f"[bold]Export {result.export.name}[/bold]")
        if result.problem:
            print_problem(console, result.problem, messages)
            continue
        plan = result.plan
        assert plan is not None
        bad = [p for p in plan.invoices if not p.ready]
        console.print(
            f"  {plural(len(plan.invoices), 'invoice')} checked: "
            f"{len(plan.invoices) - len(bad)} ready, "
            f"{len(bad)} with problems; {result.already_exported} already exported."
        )
        for invoice_plan in bad:
            for problem in invoice_plan.problems:
                print_problem(console, problem, messages, indent="    ")
        if show_plan:
            print_plan(console, plan)
    if analysis.ok:
        console.print("[bold green]No problems found.[/bold green]")


def print_plan(console: Console, plan: RunPlan) -> None:
    """What an export would create and send."""
    console.print(
        f"  Customers to create: {len(plan.customers_to_create)}; to check and update if "
        f"changed: {len(plan.customers_to_check)}."
    )
    if plan.items_to_create:
        items = ", ".join(f"{centre} {unit}" for centre, unit in plan.items_to_create)
        console.print(f"  Dimension items to create: {items}.")
    if plan.products_to_create:
        table = Table(title="Posting products to create", title_justify="left")
        for column in ("code", "account", "VAT", "status", "currency", "units"):
            table.add_column(column)
        for code, key in plan.products_to_create.items():
            units = ", ".join(f"{c} {u}" for c, u in key.units)
            table.add_row(
                code,
                key.account,
                f"{key.vat_percent} %",
                f"vat_{key.vat_status}",
                key.currency,
                units,
            )
        console.print(table)
    table = Table(title="Invoices to send", title_justify="left")
    for column in ("invoice", "date", "customer", "rows", "net", "currency"):
        table.add_column(column)
    for invoice_plan in plan.ready:
        invoice = invoice_plan.invoice
        table.add_row(
            invoice.number,
            invoice.date.isoformat(),
            invoice.customer.name,
            str(len(invoice_plan.rows)),
            str(sum((row.net for row in invoice_plan.rows), Decimal(0))),
            invoice.currency,
        )
    console.print(table)
