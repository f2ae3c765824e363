"""The REST API for the TMS under ``/api/v1``: what every route shares, and documents in.

Every call needs a bearer token (``procountor-export tokens create NAME``). Every answer is a
model of :mod:`web.api_models` (so ``/openapi.json`` types it) and every error a problem
details document of :mod:`web.problems`. Started exports answer ``202 Accepted`` with
``Location`` naming the run; where nothing was started the answer says why. This module holds
the bearer check, the answers shared by the routes, and ``POST /documents`` (a TMS document
in, and the export of the periods it closed); exports started and followed, an invoice's state
and the checks are in :mod:`web.api_exports`; the lists (``GET /exports``, ``GET /periods``)
in :mod:`web.api_lists`.
"""

from __future__ import annotations

import json
import re
import tempfile
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from procountor_export.export import Scope
from procountor_export.jobs.base import Busy
from procountor_export.store import access
from procountor_export.store.locks import StoreBusy, StoreError
from procountor_export.tms.importer import import_document
from procountor_export.web.api_models import (
    DocumentImported,
    ExportOutcome,
    ImportReport,
    NotStarted,
    Reason,
    ReasonCode,
    Started,
)
from procountor_export.web.api_scope import nothing_to_export
from procountor_export.web.context import WebContext, web
from procountor_export.web.inputs import CheckedRoute
from procountor_export.web.problems import (
    DOCUMENT_INCOMPLETE,
    DOCUMENT_REJECTED,
    STORE_BUSY,
    ApiProblem,
    FieldError,
    problem_responses,
)
from procountor_export.web.security import too_large

bearer = HTTPBearer(auto_error=False, description="A token from 'procountor-export tokens create'")


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


def json_body(request: Request) -> None:
    """415 for a body declared as something other than JSON (no ``Content-Type``: JSON)."""
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared and declared != "application/json" and not declared.endswith("+json"):
        raise HTTPException(
            415,
            f"The body is declared as {declared!r}: send JSON, with 'Content-Type: "
            "application/json' (or no Content-Type).",
        )


Client = Annotated[str, Depends(api_client)]
Context = Annotated[WebContext, Depends(web)]
PREFIX = "/api/v1"

# Every route of the API answers these errors, each a problem details document.
router = APIRouter(
    prefix=PREFIX,
    tags=["REST API"],
    route_class=CheckedRoute,
    responses=problem_responses(401, 413, 422, 500),
)

# The TMS document is read as it arrives (the importer streams it, bounded), never parsed
# into a model by FastAPI: its schema is described here and added by web.openapi.
DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A tms-invoicing/1 document, as the input format describes it.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TmsDocument"}}},
    }
}


def run_url(run_id: int) -> str:
    """The address of a run's progress."""
    return f"{PREFIX}/exports/{run_id}"


def started(response: Response, run_id: int) -> Started:
    """A started run's answer: 202 with ``Location`` naming it."""
    response.status_code = 202
    response.headers["Location"] = run_url(run_id)
    return Started(run_id=run_id, url=run_url(run_id))


@router.post(
    "/documents",
    summary="Import a TMS document",
    dependencies=[Depends(json_body)],
    openapi_extra=DOCUMENT_BODY,
    response_model_by_alias=True,
    responses={
        200: {
            "description": "Imported; no export run was started: export.reason says why",
        },
        202: {
            "model": DocumentImported,
            "description": "Imported, and (export=true) the export of the periods it closed "
            "started: Location names the run",
            "headers": {"Location": {"description": "The run: /api/v1/exports/{id}"}},
        },
        **problem_responses(
            400,
            415,
            503,
            _400="The document did not arrive whole (problem type document-incomplete)",
            _422="The document was rejected: every error with its JSON path in errors, the "
            "import report in import; nothing imported (problem type document-rejected)",
        ),
    },
)
async def post_document(
    request: Request,
    response: Response,
    context: Context,
    client: Client,
    export: Annotated[
        bool, Query(description="Export the invoice periods this document closes.")
    ] = False,
) -> DocumentImported:
    """Import a ``tms-invoicing/1`` document, all of it or nothing.

    The answer is the import report (the shape of ``import --json``) and ``export``: with
    ``export=true`` the periods the document closes are exported in the background (``202``,
    ``Location`` names the run); otherwise ``export.started`` is false and ``export.reason``
    says why (not asked for, no period closed, nothing left to export, a run going). The
    document goes to a temporary file as it arrives (never more than the size limit) and is
    imported from there.
    """
    try:
        document = await _received(request, context.document_limit)
    except ClientDisconnect as exc:
        raise ApiProblem(DOCUMENT_INCOMPLETE, "The document did not arrive whole.") from exc
    try:
        report = await run_in_threadpool(import_document, context.store, document, box=context.box)
    except StoreBusy as exc:
        raise ApiProblem(STORE_BUSY, str(exc), headers={"Retry-After": "10"}) from exc
    except StoreError as exc:
        raise ApiProblem(
            STORE_BUSY, f"The store refused the document: {exc}", headers={"Retry-After": "10"}
        ) from exc
    finally:
        document.close()
    shape = ImportReport.model_validate(report.to_dict())
    if not report.accepted:
        errors = [
            FieldError(
                loc=["body", e.path],
                pointer=json_pointer(e.path),
                detail=e.message,
                type="document",
            )
            for e in shape.errors
        ]
        more = f" (and {shape.errors_not_kept} more)" if shape.errors_not_kept else ""
        raise ApiProblem(
            DOCUMENT_REJECTED,
            f"The document has {len(shape.errors)} error(s){more}; nothing was imported. "
            f"The first: {shape.errors[0].path}: {shape.errors[0].message}",
            errors=errors,
            import_=shape,
        )
    outcome = await run_in_threadpool(_export_document, context, report.newly_closed_periods,
                                      client, export)  # fmt: skip
    if isinstance(outcome, Started):
        started(response, outcome.run_id)
    return DocumentImported(import_=shape, export=outcome)


def _export_document(
    context: WebContext, closed: list[str], client: str, asked: bool
) -> ExportOutcome:
    """The export a document's import starts (the periods it closed), or why none."""
    if not asked:
        return not_started(
            "not_requested",
            "The document was only imported: add export=true to the query to export the "
            "invoice periods a document closes, or start an export with POST /api/v1/exports.",
        )
    if not closed:
        return not_started(
            "no_closed_period",
            "The document closed no invoice period, so nothing was exported (export=true "
            "exports the periods a document closes). To export invoices of periods closed "
            'before, POST /api/v1/exports with their numbers in "invoices", their periods in '
            '"periods", or "all": true.',
        )
    scope = Scope(periods=tuple(closed))
    with context.store.session() as session:
        why = nothing_to_export(session, scope)
    if why is not None:
        return not_started("nothing_to_export", why)
    try:
        run_id = context.jobs.start_export(scope, f"api:{client}")
    except Busy as busy:
        return NotStarted(
            reason=Reason(
                code="export_running",
                detail=f"{busy} The periods the document closed ({', '.join(closed)}) were "
                f"not exported: once run {busy.run_id} ended, POST /api/v1/exports with "
                f'"periods": {json.dumps(closed)}.',
            ),
            run_id=busy.run_id,
        )
    return Started(run_id=run_id, url=run_url(run_id))


def not_started(code: ReasonCode, detail: str) -> NotStarted:
    """The answer where no run was started, and why (``code`` and a sentence)."""
    return NotStarted(reason=Reason(code=code, detail=detail))


def json_pointer(path: str) -> str | None:
    """The import report's JSON path (``invoices[0].date``) as a JSON Pointer
    (``#/invoices/0/date``); ``None`` for a path that is not one."""
    parts = [part for part in re.split(r"[.\[\]]+", path) if part]
    if not parts or not re.fullmatch(r"[\w\-\[\].]+", path):
        return None
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


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
