"""The export bar and its errors pop-up: what they say about one run, in one place.

:func:`view` is both what the page renders (``_progress.html``, through the ``export_bar``
template global) and what ``GET /runs/{id}/progress`` answers for ``app.js`` to update the bar
with, so a reloaded page and a live one say the same words about the same run.
"""

from __future__ import annotations

from typing import Any

from procountor_export.export import Messages
from procountor_export.jobs.runs import RunView
from procountor_export.plurals import plural

INTERRUPTED = (
    "The run was interrupted before it ended (its process stopped); export again to finish it: "
    "nothing is sent twice."
)
PROCOUNTOR_INTERRUPTED = (
    "Procountor had a temporary problem and the run could not finish every invoice; export "
    "again later to finish them: nothing is sent twice."
)
NO_RUN = "No export has run yet. Select invoices or a closed period and press Export and send."


def problem_text(run: RunView, messages: Messages) -> str | None:
    """The run's own problem in words (``None``: it has none), interruptions explained."""
    problem = messages.text(run.problem) if run.problem else None
    if run.interrupted and run.outcome is None:
        return INTERRUPTED
    if run.outcome == "interrupted" and problem is None:
        return PROCOUNTOR_INTERRUPTED
    return problem


def percent(run: RunView) -> int:
    """How full the bar is: invoices finished of those to export (full once a run with
    nothing to export ended)."""
    if run.to_export:
        return min(100, run.done * 100 // run.to_export)
    return 0 if run.running else 100


def colour(run: RunView) -> str:
    """The bar's class: ``going`` (blue), ``ok`` (green) or, as the article has it, ``failed``
    (grey) for any run that ended without every invoice exported."""
    if run.running:
        return "going"
    return "ok" if run.succeeded else "failed"


def counts_text(run: RunView) -> str:
    """``12 invoices to export, 5 exported, 1 failed`` (and those exported earlier)."""
    if run.running and not run.to_export and not run.done:
        return "Reading the invoices to export…"
    text = f"{plural(run.to_export, 'invoice')} to export, {run.exported} exported"
    if run.failed:
        text += f", {run.failed} failed"
    if run.skipped:
        text += f", {run.skipped} already exported earlier"
    return text


def state_text(run: RunView, messages: Messages) -> str:
    """The sentence beside the counts: going, succeeded, interrupted or failed, and why."""
    problem = problem_text(run, messages)
    if run.running:
        said = f"Run {run.id} is going…"
    elif run.succeeded:
        said = f"Run {run.id}: the export succeeded."
        if not run.to_export and run.skipped:
            said = f"Run {run.id}: the export succeeded: every invoice had been exported already."
    elif run.state == "interrupted":
        said = f"Run {run.id}: the export was interrupted."
    elif run.failed:
        said = (
            f"Run {run.id}: the export failed for {run.failed} of "
            f"{plural(run.to_export, 'invoice')}."
        )
    elif not run.exported:
        said = f"Run {run.id}: the export failed before any invoice was sent."
    else:
        said = f"Run {run.id}: the export failed."
    return f"{said} {problem}" if problem else said


def view(run: RunView, messages: Messages) -> dict[str, Any]:
    """The bar's data and words for ``run``, with its errors and warnings per invoice.

    The errors and warnings are those of ``run.invoices``: a run read without its invoices
    (``Jobs.runs``) has none, so whoever shows the pop-up reads the run with them.
    """
    errors = [
        {"invoice": i.invoice, "export": i.export, "message": messages.text(p),
         "remedy": messages.remedy(p)}
        for i in run.invoices
        for p in i.errors
    ]  # fmt: skip
    warnings = [
        {"invoice": i.invoice, "export": i.export, "message": messages.text(w),
         "remedy": messages.remedy(w)}
        for i in run.invoices
        for w in i.warnings
    ]  # fmt: skip
    failed = len({e["invoice"] for e in errors})
    return {
        "id": run.id,
        "state": run.state,
        "running": run.running,
        "succeeded": run.succeeded,
        "outcome": run.outcome,
        "to_export": run.to_export,
        "exported": run.exported,
        "failed": run.failed,
        "already_exported": run.skipped,
        "done": run.done,
        "problem": problem_text(run, messages),
        "percent": percent(run),
        "colour": colour(run),
        "counts_text": counts_text(run),
        "state_text": state_text(run, messages),
        "errors_title": f"Run {run.id}: {plural(failed, 'invoice')} failed"
        if errors
        else f"Run {run.id}: PDF warnings",
        "button_text": "Show errors and PDF warnings" if warnings else "Show errors",
        "errors": errors,
        "warnings": warnings,
    }
