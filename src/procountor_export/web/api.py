"""The REST API for the TMS under ``/api/v1``: documents in, exports started and followed.

Every call needs a bearer token (``procountor-export tokens create NAME``). The answers use
the JSON shapes the CLI's ``--json`` prints (:mod:`procountor_export.export.reporting.shapes`).
"""

from __future__ import annotations

import tempfile
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from procountor_export.export.analysis import analyse
from procountor_export.export.options import ExportOptions
from procountor_export.export.reading.scope import Scope, ScopeError
from procountor_export.export.reporting.shapes import analysis_json, invoice_json
from procountor_export.export.reporting.status import status
from procountor_export.jobs.base import Busy
from procountor_export.procountor.errors import ProcountorError
from procountor_export.store import access
from procountor_export.store.locks import StoreBusy, StoreError
from procountor_export.tms.importer import import_document
from procountor_export.web.context import WebContext, web
from procountor_export.web.inputs import MAX_INT, CheckedRoute
from procountor_export.web.security import too_large

bearer = HTTPBearer(auto_error=False, description="A token from 'procountor-export tokens create'")

Number = Annotated[str, Field(min_length=1, max_length=40)]


class ExportRequest(BaseModel):
    """What to export: whole closed periods, single invoices, or everything not yet exported."""

    model_config = {"extra": "forbid"}

    periods: list[Number] = Field(default_factory=list, max_length=1000)
    invoices: list[Number] = Field(default_factory=list, max_length=10000)
    all: bool = False


class ExportStarted(BaseModel):
    """An export run was started; follow it at ``url``."""

    run_id: int
    url: str


class Failure(BaseModel):
    """Why a request was refused, in words."""

    detail: str
    run_id: int | None = Field(None, description="The run that is going (409 only)")


class FieldProblem(BaseModel):
    """One refused field: where it is, why, and the kind of problem."""

    loc: list[str | int] = Field(description='Where: ["query", "period"], ["body", "invoices", 0]')
    msg: str
    type: str = Field(description="e.g. unstorable_character, number_too_large, json_invalid")


class Invalid(BaseModel):
    """The request was refused: each field at fault, with why."""

    detail: list[FieldProblem]


# A 422 is either fields at fault (Invalid) or a scope the store does not have (Failure).
Refused = Invalid | Failure
INVALID: dict[str, Any] = {"model": Invalid, "description": "A parameter is not acceptable"}
NOT_JSON: dict[str, Any] = {"model": Invalid, "description": "The body is not JSON"}


def api_client(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The name of the request's valid bearer token; 401 without one."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401,
            "A bearer token is needed: create one with 'procountor-export tokens create NAME' "
            "and send it as 'Authorization: Bearer TOKEN'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    context = web(request)
    with context.store.session() as session:
        name = access.token_owner(session, credentials.credentials)
    if name is None:
        raise HTTPException(
            401,
            "The bearer token is not valid (revoked, or mistyped): create a new one with "
            "'procountor-export tokens create NAME'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return name


Client = Annotated[str, Depends(api_client)]
Context = Annotated[WebContext, Depends(web)]

router = APIRouter(
    prefix="/api/v1",
    tags=["REST API"],
    route_class=CheckedRoute,
    responses={
        401: {"model": Failure, "description": "No valid bearer token"},
        413: {"model": Failure, "description": "The request is larger than the limit"},
    },
)
RunId = Annotated[int, Path(ge=1, le=MAX_INT, description="The run's id")]

DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A tms-invoicing/1 document (see the input format).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/documents",
    summary="Import a TMS document",
    openapi_extra=DOCUMENT_BODY,
    responses={
        200: {"description": "Imported (the report; with ?export=true the export run started)"},
        400: {"model": Failure, "description": "The document did not arrive whole"},
        422: {
            "description": "Rejected: every problem with its JSON path (bad JSON, a bound of "
            "the import passed, a wrong value); nothing imported"
        },
        503: {"model": Failure, "description": "The store is busy or unreachable; try again"},
    },
)
async def post_document(
    request: Request,
    context: Context,
    client: Client,
    export: Annotated[
        bool, Query(description="Export the invoice periods this document closes.")
    ] = False,
) -> JSONResponse:
    """Import a ``tms-invoicing/1`` document, all of it or nothing.

    The answer is the import report (the shape of ``import --json``). With ``export=true`` the
    periods the document closes are exported in the background: ``export`` names the run.
    The document goes to a temporary file as it arrives (never more than the size limit) and
    is imported from there.
    """
    try:
        document = await _received(request, context.document_limit)
    except ClientDisconnect:
        return JSONResponse({"detail": "The document did not arrive whole."}, 400)
    try:
        report = await run_in_threadpool(import_document, context.store, document, box=context.box)
    except StoreBusy as exc:
        return JSONResponse({"detail": str(exc)}, 503, headers={"Retry-After": "10"})
    except StoreError as exc:
        return JSONResponse({"detail": f"The store refused the document: {exc}"}, 503)
    finally:
        document.close()
    result: dict[str, Any] = {"import": report.to_dict(), "export": None}
    if not report.accepted:
        return JSONResponse(result, 422)
    if export and report.newly_closed_periods:
        scope = Scope(periods=tuple(report.newly_closed_periods))
        try:
            run_id = await run_in_threadpool(context.jobs.start_export, scope, f"api:{client}")
            result["export"] = {"run_id": run_id, "url": f"/api/v1/exports/{run_id}"}
        except Busy as busy:
            result["export"] = {"busy": busy.run_id, "detail": str(busy)}
    return JSONResponse(result)


# A document this small stays in memory; a larger one is written to a temporary file.
DOCUMENT_IN_MEMORY = 1 << 20


async def _received(request: Request, limit: int) -> IO[bytes]:
    """The request's body in a temporary file, written a megabyte at a time as it arrives.

    More than ``limit`` bytes is a 413 at the byte that passes it (the body limit middleware
    answers it first; this holds wherever the route is mounted).
    """
    spool = tempfile.SpooledTemporaryFile(max_size=DOCUMENT_IN_MEMORY)  # noqa: SIM115 - returned
    pending = bytearray()
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, too_large(limit))
            pending += chunk
            if len(pending) >= DOCUMENT_IN_MEMORY:
                await run_in_threadpool(spool.write, pending)
                pending.clear()
        await run_in_threadpool(spool.write, pending)
    except BaseException:
        spool.close()
        raise
    return spool


@router.post(
    "/exports",
    status_code=202,
    summary="Start an export run",
    responses={
        400: NOT_JSON,
        409: {"model": Failure, "description": "A run for the same company is going"},
        422: {
            "model": Refused,
            "description": "A field is not acceptable, or the scope is empty or names an "
            "unknown period or invoice",
        },
    },
)
def post_export(body: ExportRequest, context: Context, client: Client) -> ExportStarted:
    """Start exporting a scope in the background; answers at once with the run's id."""
    try:
        scope = Scope.of(body.periods, body.invoices, body.all)
        run_id = context.jobs.start_export(scope, f"api:{client}")
    except ScopeError as exc:
        raise HTTPException(422, str(exc)) from exc
    except Busy as busy:
        raise _busy(busy) from busy
    return ExportStarted(run_id=run_id, url=f"/api/v1/exports/{run_id}")


def _busy(busy: Busy) -> HTTPException:
    return HTTPException(409, {"detail": str(busy), "run_id": busy.run_id})


@router.get(
    "/exports/{run_id}",
    summary="An export run's progress and results",
    responses={404: {"model": Failure, "description": "No such run"}, 422: INVALID},
)
def get_export(run_id: RunId, context: Context, client: Client) -> dict[str, Any]:
    """Counts while the run goes; per invoice its state, Procountor ids, errors and warnings."""
    run = context.jobs.run(run_id) if run_id < 2**31 else None  # the column's 32 bits
    if run is None:
        raise HTTPException(404, f"There is no export run {run_id}.")
    return run.as_dict(context.messages)


@router.get(
    "/invoices/{number:segment}",  # any characters: 2025/001 comes as 2025%2F001
    summary="An invoice's export state",
    responses={404: {"model": Failure, "description": "No such invoice"}, 422: INVALID},
)
def get_invoice(number: str, context: Context, client: Client) -> dict[str, Any]:
    """The invoice's state and Procountor ids for each export definition it goes to."""
    try:
        with context.store.session() as session:
            rows = status(session, Scope(invoices=(number,)))
    except ScopeError as exc:
        raise HTTPException(404, f"There is no invoice {number}.") from exc
    return invoice_json(number, rows, context.messages)


@router.get(
    "/checks",
    summary="The pre-flight report for a scope",
    responses={
        422: {
            "model": Refused,
            "description": "A parameter is not acceptable, or the scope is empty or names an "
            "unknown period or invoice",
        },
        502: {"model": Failure, "description": "Procountor could not be reached"},
    },
)
def get_checks(
    context: Context,
    client: Client,
    period: Annotated[list[str] | None, Query(description="Invoice period id (repeat)")] = None,
    invoice: Annotated[list[str] | None, Query(description="TMS invoice number (repeat)")] = None,
    all: Annotated[bool, Query(description="Every invoice not yet exported")] = False,
) -> dict[str, Any]:
    """Every check an export makes, against Procountor's data, without writing anything."""
    try:
        scope = Scope.of(period or (), invoice or (), all)
        analysis = analyse(
            context.store,
            scope,
            client_factory=context.client_factory,
            box=context.box,
            options=ExportOptions(source=context.settings.source_system),
        )
    except ScopeError as exc:
        raise HTTPException(422, str(exc)) from exc
    except ProcountorError as exc:
        raise HTTPException(502, f"Procountor could not be reached: {exc}") from exc
    return analysis_json(analysis, context.messages, with_plan=False)
