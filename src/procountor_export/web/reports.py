"""The Check page (the pre-flight report), the Log page and the REST API's reference page."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from procountor_export.export import Analysis, Messages, Problem, Scope, ScopeError
from procountor_export.procountor.errors import ProcountorError
from procountor_export.tms import queries
from procountor_export.web.context import web
from procountor_export.web.inputs import CheckedRoute
from procountor_export.web.render import page

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)
LOG_LINES = 200  # the event log's lines on the Log page at most
LOG_BYTES = 512 * 1024  # read from the end of the event log at most
LINE_CHARS = 4000  # a longer line is cut (a Procountor answer logged whole, say)


@dataclass
class ProblemGroup:
    """Every occurrence of one message: its fix once, then invoice by invoice."""

    code: str
    message: str
    remedy: str
    severity: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # invoice, export, text


def group_problems(analysis: Analysis, messages: Messages) -> list[ProblemGroup]:
    """The analysis's problems grouped by message code, errors first."""
    groups: dict[str, ProblemGroup] = {}

    def add(problem: Problem, export: str) -> None:
        group = groups.get(problem.code)
        if group is None:
            group = groups[problem.code] = ProblemGroup(
                problem.code,
                messages.message(problem),
                messages.remedy(problem),
                problem.severity.value,
            )
        group.items.append((problem.invoice or "—", export, messages.text(problem)))

    for problem in analysis.problems:
        add(problem, "—")
    for result in analysis.exports:
        if result.problem is not None:
            add(result.problem, result.export.name)
        for plan in result.plan.invoices if result.plan else []:
            for problem in plan.problems:
                if problem.invoice is None:
                    problem = replace(problem, invoice=plan.invoice.number)
                add(problem, result.export.name)
    return sorted(groups.values(), key=lambda g: (g.severity != "error", g.code))


@router.get("/check", response_class=HTMLResponse)
def check_page(
    request: Request,
    period: Annotated[list[str] | None, Query()] = None,
    invoice: Annotated[str | None, Query(max_length=2000)] = None,
    all: bool = False,
) -> Response:
    """The pre-flight report for a scope, grouped by problem, each with its fix."""
    context = web(request)
    with context.store.session() as session:
        periods = queries.list_periods(session)
    numbers = [n for n in (invoice or "").replace(",", " ").split() if n]
    values: dict[str, Any] = {
        "periods": periods,
        "chosen": period or [],
        "numbers": " ".join(numbers),
        "all": all,
        "analysis": None,
        "groups": [],
        "error": None,
    }
    if period or numbers or all:
        try:
            analysis = context.exporter.check(Scope.of(period or (), numbers, all))
            values["analysis"] = analysis
            values["groups"] = group_problems(analysis, context.messages)
            values["checked"] = sum(
                len(r.plan.invoices) for r in analysis.exports if r.plan is not None
            )
        except ScopeError as exc:
            values["error"] = str(exc)
        except ProcountorError as exc:
            values["error"] = f"Procountor could not be reached: {exc}"
    return page(request, "check.html", title="Check", **values)


def log_tail(
    path: Path, lines: int = LOG_LINES, window: int = LOG_BYTES, width: int = LINE_CHARS
) -> list[str]:
    """The last ``lines`` lines of the event log at ``path``, newest first.

    Bounded whatever the file holds: only its last ``window`` bytes are read, and a line
    longer than ``width`` characters is cut there with the number of characters left out.
    A line the window begins in the middle of is left out (unless it is all there is).
    """
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = max(0, size - window)
        handle.seek(start)
        text = handle.read().decode("utf-8", errors="replace")
    found = [line.rstrip("\r") for line in text.split("\n")]
    if found and found[-1] == "":
        found.pop()  # the file ends with a newline
    if start > 0 and len(found) > 1:
        found = found[1:]
    return [_cut(line, width) for line in reversed(found[-lines:])]


def _cut(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    return f"{line[:width]} … ({len(line) - width:,} more characters)"


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request) -> Response:
    """Export runs (who, when, scope, outcome, counts), newest first, and the end of the event
    log, newest line first."""
    context = web(request)
    runs = context.jobs.runs(100)
    log_file = context.settings.log_file
    lines: list[str] = []
    if log_file is not None and log_file.is_file():
        lines = log_tail(log_file)
    return page(request, "log.html", title="Log", runs=runs, log_file=log_file, lines=lines)
