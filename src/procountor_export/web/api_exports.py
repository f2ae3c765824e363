"""The REST API's exports: runs started and followed, an invoice's state (and its payments,
from the payment sync: :mod:`procountor_export.payments.views`), the checks.

Each route hands its scope to the export engine's front door (the app's
:class:`~procountor_export.export.Exporter`) or to the jobs that run it in the background;
the bearer check, the prefix and the shared answers are :mod:`web.api`'s.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from procountor_export.export import Scope, ScopeError, analysis_json, invoice_json
from procountor_export.jobs.base import Busy
from procountor_export.payments.views import invoice_payments
from procountor_export.procountor.errors import ProcountorError
from procountor_export.web.api import (
    PREFIX,
    Client,
    Context,
    json_body,
    not_started,
    run_url,
    started,
)
from procountor_export.web.api_models import (
    CheckReport,
    ExportOutcome,
    ExportRequest,
    InvoiceStatus,
    NotStarted,
    Run,
    Started,
)
from procountor_export.web.api_scope import QUERY_FIELDS, checked_scope, nothing_to_export
from procountor_export.web.inputs import MAX_INT, CheckedRoute
from procountor_export.web.problems import (
    EXPORT_RUNNING,
    PROCOUNTOR_UNREACHABLE,
    UNKNOWN_SCOPE,
    ApiProblem,
    problem_responses,
)

# Every route of the API answers these errors, each a problem details document.
router = APIRouter(
    prefix=PREFIX,
    tags=["REST API"],
    route_class=CheckedRoute,
    responses=problem_responses(401, 413, 422, 500),
)
RunId = Annotated[int, Path(ge=1, le=MAX_INT, description="The run's id")]


@router.post(
    "/exports",
    status_code=202,
    # Each status its own model (202 Started, 200 NotStarted), not their union for both.
    response_model=None,
    summary="Start an export run",
    dependencies=[Depends(json_body)],
    responses={
        200: {
            "model": NotStarted,
            "description": "No run was started: every invoice in scope is already exported "
            "(reason nothing_to_export)",
        },
        202: {
            "model": Started,
            "description": "The run started: Location names it",
            "headers": {"Location": {"description": "The run: /api/v1/exports/{id}"}},
        },
        **problem_responses(
            400,
            409,
            415,
            _422="A field is not acceptable (invalid-request), the scope is empty "
            "(empty-scope), names an unknown period or invoice (unknown-scope) or an open "
            "period (period-open)",
        ),
    },
)
def post_export(
    body: ExportRequest, response: Response, context: Context, client: Client
) -> ExportOutcome:
    """Start exporting a scope in the background; answers at once with the run's id.

    ``202`` with ``Location: /api/v1/exports/{id}`` when a run started; ``200`` with
    ``started: false`` and the reason when every invoice in scope is already exported (no
    run is started for nothing). An open period is refused (422, ``period-open``): only
    closed periods are exported whole; single invoices go in ``invoices``.
    """
    with context.store.session() as session:
        scope = checked_scope(session, body.periods, body.invoices, body.all, context.api_messages)
        why = nothing_to_export(session, scope)
    if why is not None:
        response.status_code = 200
        return not_started("nothing_to_export", why)
    try:
        run_id = context.jobs.start_export(scope, f"api:{client}")
    except ScopeError as exc:  # removed since it was checked: as if never imported
        raise ApiProblem(UNKNOWN_SCOPE, str(exc)) from exc
    except Busy as busy:
        raise ApiProblem(EXPORT_RUNNING, str(busy), run_id=busy.run_id) from busy
    return started(response, run_id)


@router.get(
    "/exports/{run_id}",
    summary="An export run's progress and results",
    responses=problem_responses(404, _404="No such run"),
)
def get_export(run_id: RunId, context: Context, client: Client) -> Run:
    """Counts while the run goes; per invoice its state, Procountor ids, errors and warnings."""
    run = context.jobs.run(run_id) if run_id < 2**31 else None  # the column's 32 bits
    if run is None:
        raise HTTPException(404, f"There is no export run {run_id}.")
    return Run.model_validate({**run.as_dict(context.api_messages), "url": run_url(run.id)})


@router.get(
    "/invoices/{number:segment}",  # any characters: 2025/001 comes as 2025%2F001
    summary="An invoice's export state and payments",
    responses=problem_responses(404, _404="No such invoice"),
)
def get_invoice(number: str, context: Context, client: Client) -> InvoiceStatus:
    """The invoice's state, Procountor ids and payment reference for each export definition
    it goes to, and what was paid on it there (``payment``: null until a payment sync read the
    Procountor invoice)."""
    try:
        rows = context.exporter.status(Scope(invoices=(number,)))
    except ScopeError as exc:
        raise HTTPException(404, f"There is no invoice {number}.") from exc
    shape = invoice_json(number, rows, context.api_messages)
    with context.store.session() as session:
        payments = invoice_payments(session, number)
    for export in shape["exports"]:
        view = payments.get(export["procountor_invoice_id"])
        export["payment"] = None if view is None else asdict(view)
    return InvoiceStatus.model_validate(shape)


@router.get(
    "/checks",
    summary="The pre-flight report for a scope",
    responses=problem_responses(
        502,
        _422="A parameter is not acceptable (invalid-request), the scope is empty "
        "(empty-scope) or names an unknown period or invoice (unknown-scope)",
    ),
)
def get_checks(
    context: Context,
    client: Client,
    period: Annotated[list[str] | None, Query(description="Invoice period id (repeat)")] = None,
    invoice: Annotated[list[str] | None, Query(description="TMS invoice number (repeat)")] = None,
    all: Annotated[bool, Query(description="Every invoice not yet exported")] = False,
) -> CheckReport:
    """Every check an export makes, against Procountor's data, without writing anything.

    An open period is checked too: the report then has the period's ``PERIOD_OPEN`` problem.
    """
    with context.store.session() as session:
        scope = checked_scope(
            session,
            period or (),
            invoice or (),
            all,
            context.api_messages,
            fields=QUERY_FIELDS,
            whole_periods_closed=False,
        )
    try:
        analysis = context.exporter.check(scope)
    except ScopeError as exc:
        raise ApiProblem(UNKNOWN_SCOPE, str(exc)) from exc
    except ProcountorError as exc:
        raise ApiProblem(PROCOUNTOR_UNREACHABLE, f"Procountor could not be reached: {exc}") from exc
    return CheckReport.model_validate(
        analysis_json(analysis, context.api_messages, with_plan=False)
    )
