"""The pages of the invoice export window: login, Invoices (export and send), Invoice, runs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.concurrency import run_in_threadpool

from procountor_export.export import (
    Messages,
    Scope,
    ScopeError,
    UnknownInvoice,
    exported_procountor_number,
    file_name,
    pdf_invoice_by_number,
)
from procountor_export.jobs.base import Busy, Jobs
from procountor_export.jobs.runs import RunView, read_run
from procountor_export.logs import WEB_LOG
from procountor_export.payments.views import invoice_payments
from procountor_export.pdf import Variant, render
from procountor_export.store import access
from procountor_export.store import models as db
from procountor_export.tms import queries
from procountor_export.web import runbar, sessions
from procountor_export.web.context import current_user, web
from procountor_export.web.inputs import MAX_INT, CheckedRoute
from procountor_export.web.invoice_list import ListRequest, read_list
from procountor_export.web.render import flash, page
from procountor_export.web.security import checked_form
from procountor_export.web.throttle import minutes

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)
# The interrupted runs' words live with the export bar's (runbar.py); named here as before.
INTERRUPTED = runbar.INTERRUPTED
PROCOUNTOR_INTERRUPTED = runbar.PROCOUNTOR_INTERRUPTED
# An invoice's payment status (procountor_export.payments.status) in the page's words.
PAYMENT_WORDS = {
    "open": "Open",
    "partly_paid": "Partly paid",
    "paid": "Paid",
    "credit_loss": "Credit loss",
    "cancelled": "Cancelled",
}


@router.get("/")
def home() -> RedirectResponse:
    """The invoice export window is the start page."""
    return RedirectResponse("/invoices", 303)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """For load balancers and monitoring: the process answers."""
    return {"status": "ok"}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/invoices") -> Response:
    """The login form (says how to create a user when there is none)."""
    context = web(request)
    with context.store.session() as session:
        users = access.has_users(session)
    return page(request, "login.html", title="Log in", next=_safe_next(next), users=users)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the user and password; a new session on success."""
    form = await checked_form(request)
    name = str(form.get("name") or "")
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/invoices"))
    context = web(request)
    address = request.client.host if request.client else "-"
    wait = context.throttle.wait(address, name)
    if wait > 0:  # refused before the password is even looked at
        WEB_LOG.warning("login refused: too many failures for %r from %s", name, address)
        return page(
            request,
            "login.html",
            429,
            title="Log in",
            next=target,
            users=True,
            error=f"Too many failed logins from here. Try again in {minutes(wait)}. "
            "If the password is lost, an administrator sets a new one with "
            "'procountor-export users add NAME'.",
        )

    def check() -> bool:
        with context.store.session() as session:
            return access.check_password(session, name, password)

    if not await run_in_threadpool(check):
        context.throttle.failed(address, name)
        WEB_LOG.warning("login failed for %r from %s", name, address)
        return page(
            request,
            "login.html",
            401,
            title="Log in",
            next=target,
            users=True,
            error="The user name or password is not right.",
        )
    context.throttle.succeeded(address, name)
    await run_in_threadpool(sessions.start, request, name)  # a new session: no fixation
    return RedirectResponse(target, 303)


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    """End the session (its record too: a copy of the cookie opens nothing any more)."""
    await checked_form(request)
    await run_in_threadpool(sessions.end, request)
    return RedirectResponse("/login", 303)


def _safe_next(target: str) -> str:
    """Only a path of this site (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/invoices"
    return target


def started_by(request: Request) -> str:
    """Who starts a run from the UI, for the Log page."""
    user = current_user(request)
    return f"web:{user}" if user else "web"


@router.get("/invoices", response_class=HTMLResponse)
def invoices_page(
    request: Request,
    period: Annotated[str | None, Query(max_length=40)] = None,
    state: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: str | None = None,
    order: str | None = None,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    periods: str | None = None,
    run: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> Response:
    """The recent periods with their counts by export state, one page of the invoices (with
    filters, order and pages: ``web.invoice_list``), the export bar."""
    context = web(request)
    wanted = ListRequest.of(
        period=period, state=state, q=q, sort=sort, order=order, cursor=cursor, periods=periods
    )
    # Read by keyset and counted by the database: a page costs the same whatever the store holds.
    with context.store.session() as session:
        view = read_list(session, wanted, context.settings)
    # The run the bar shows, with its invoices (the errors pop-up lists them): the ?run= one,
    # else the latest (runs() lists runs without their invoices).
    latest = context.jobs.runs(1)
    shown_run = known_run(context.jobs, run or latest[0].id) if run or latest else None
    return page(
        request,
        "invoices.html",
        title="Invoices",
        view=view,
        states=queries.INVOICE_STATES,
        run=shown_run,
    )


@router.post("/invoices/export", response_model=None)
async def export_and_send(request: Request) -> Response:
    """Export and send the selected invoices or periods (in the background)."""
    form = await checked_form(request)
    periods = [str(p) for p in form.getlist("period") if p]
    invoices = [str(i) for i in form.getlist("invoice") if i]
    wants_json = "application/json" in request.headers.get("accept", "")
    context = web(request)
    back = str(form.get("back") or "/invoices")
    try:
        scope = Scope.of(periods, invoices)
        run_id = await run_in_threadpool(context.jobs.start_export, scope, started_by(request))
    except ScopeError as exc:
        text = (
            "Select invoices or a closed period first." if not (periods or invoices) else str(exc)
        )
        if wants_json:
            return JSONResponse({"detail": text}, 422)
        flash(request, text, "error")
        return RedirectResponse(_safe_next(back), 303)
    except Busy as busy:
        text = f"An export for this Procountor company is already going (run {busy.run_id})."
        if wants_json:
            return JSONResponse({"detail": text, "run_id": busy.run_id}, 409)
        flash(request, text, "error")
        return RedirectResponse(f"/invoices?run={busy.run_id}", 303)
    if wants_json:
        return JSONResponse({"run_id": run_id}, 202)
    return RedirectResponse(f"/invoices?run={run_id}", 303)


def known_run(jobs: Jobs, run_id: int) -> RunView | None:
    """The run ``run_id`` (``None``: none; the ids the store's 32-bit column can hold)."""
    return jobs.run(run_id) if 0 < run_id < 2**31 else None


@router.get("/runs/latest/progress")
def latest_progress(request: Request) -> dict[str, Any]:
    """The newest run's bar data (``{"id": null}`` before the first run): a page showing the
    latest run asks this to notice a run started elsewhere (the API, the CLI, another user)."""
    context = web(request)
    latest = context.jobs.runs(1)
    if not latest:
        return {"id": None}
    return progress_json(_with_invoices_once_ended(context.jobs, latest[0]), context.messages)


@router.get("/runs/{run_id}/progress")
def run_progress(
    request: Request, run_id: Annotated[int, Path(ge=1, le=MAX_INT)]
) -> dict[str, Any]:
    """The progress bar's data: counts, outcome and, at the end, the errors per invoice.

    While the run goes only its row is read (the bar asks every 0.7 s); its invoices, for
    the errors pop-up, once it ended.
    """
    context = web(request)
    run = read_run(context.store, run_id, with_invoices=False) if 0 < run_id < 2**31 else None
    if run is None:
        raise HTTPException(404, f"There is no export run {run_id}.")
    return progress_json(_with_invoices_once_ended(context.jobs, run), context.messages)


def _with_invoices_once_ended(jobs: Jobs, run: RunView) -> RunView:
    """``run`` as it is while it goes; read again with its invoices once it ended."""
    if run.running:
        return run
    return jobs.run(run.id) or run


def progress_json(run: RunView, messages: Messages) -> dict[str, Any]:
    """What the progress bar and its errors pop-up show (the page renders the same view)."""
    return runbar.view(run, messages)


@router.get("/invoices/{number:segment}", response_class=HTMLResponse)
def invoice_page(request: Request, number: str) -> Response:
    """One invoice: postings, orders, export state and payments per export definition,
    history, PDF."""
    context = web(request)
    with context.store.session() as session:
        invoice = session.scalar(
            select(db.Invoice)
            .where(db.Invoice.number == number)
            .options(
                selectinload(db.Invoice.postings),
                selectinload(db.Invoice.orders).selectinload(db.Order.lines),
                selectinload(db.Invoice.customer),
                selectinload(db.Invoice.period),
            )
        )
        if invoice is None:
            raise HTTPException(404, f"There is no invoice {number}.")
        payments = invoice_payments(session, number)
        journal = session.execute(
            select(db.JournalEntry, db.ExportDefinition.name)
            .join(db.ExportDefinition, db.ExportDefinition.id == db.JournalEntry.export_id)
            .where(db.JournalEntry.invoice_id == invoice.id)
            .order_by(db.ExportDefinition.name)
        ).all()
    rows = context.exporter.status(Scope(invoices=(number,)))
    events = context.exporter.history(invoice.id)
    # The runs that last touched the invoice: who and when, not their thousands of invoices.
    runs = []
    for run_id in sorted({entry.run_id for entry, _ in journal if entry.run_id is not None}):
        found = read_run(context.store, run_id, with_invoices=False)
        if found is not None:
            runs.append(found)
    return page(
        request,
        "invoice.html",
        title=f"Invoice {number}",
        invoice=invoice,
        rows=rows,
        journal=journal,
        runs=runs,
        events=events,
        payments=payments,
        payment_words=PAYMENT_WORDS,
    )


@router.get("/invoices/{number:segment}/pdf")
def invoice_pdf(request: Request, number: str, reduced: bool = False) -> Response:
    """The PDF copy the export attaches to the Procountor invoice (for the preview)."""
    context = web(request)
    try:
        with context.store.session() as session:
            values = pdf_invoice_by_number(
                session, number, procountor_number=exported_procountor_number(session, number)
            )
    except UnknownInvoice as exc:
        raise HTTPException(404, f"There is no invoice {number}.") from exc
    content = render(values, Variant.REDUCED if reduced else Variant.NORMAL)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{file_name(values)}"'},
    )


def invoices_url(**params: str | None) -> str:
    """``/invoices`` with the given filters."""
    query = {k: v for k, v in params.items() if v}
    return "/invoices" + (f"?{urlencode(query)}" if query else "")
