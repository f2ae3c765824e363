"""The REST API's one error shape: RFC 9457 problem details (``application/problem+json``).

Every error answer under ``/api/`` — a missing token (401), an unknown address (404), a wrong
method (405), a running export (409), a body over the limit (413), a field at fault (422), a
crash (500), a busy store (503) — is a :class:`ProblemDetails`: ``type``, ``title``,
``status``, ``detail`` and ``instance``, plus extension members where they help:

- ``errors``: each field at fault, with its place (``loc``, and ``pointer`` into the JSON body
  or ``parameter`` for a path or query parameter) and why (``detail``);
- ``run_id``: the export run that is going (409);
- ``problems``: catalogue problems (code, arguments, message, remedy), e.g. an open period;
- ``import``: the import report of a rejected TMS document.

``type`` is ``about:blank`` for a plain HTTP error (its ``title`` is then the status's phrase)
and ``/docs#problem-<name>`` for the API's own kinds (:data:`PROBLEM_TYPES`), which ``/docs``
lists. The HTML pages keep their error pages: only ``/api/`` paths answer problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from procountor_export.web.api_models import CatalogueProblem, ImportReport

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem the API answers: its name (in ``type``), title, status and meaning."""

    name: str
    title: str
    status: int
    description: str

    @property
    def uri(self) -> str:
        """The ``type`` member: where ``/docs`` explains this kind."""
        return f"/docs#problem-{self.name}"


INVALID_REQUEST = ProblemType(
    "invalid-request",
    "A field is not acceptable",
    422,
    "A path or query parameter or a field of the JSON body is not acceptable: `errors` names "
    "each one (`loc`, `pointer` or `parameter`) with why.",
)
MALFORMED_BODY = ProblemType(
    "malformed-body",
    "The body is not JSON",
    400,
    "The request body cannot be read as JSON (or as UTF-8 text): `errors` says where.",
)
DOCUMENT_INCOMPLETE = ProblemType(
    "document-incomplete",
    "The document did not arrive whole",
    400,
    "The client closed the connection before the whole TMS document arrived; nothing was imported.",
)
DOCUMENT_REJECTED = ProblemType(
    "document-rejected",
    "The document was rejected",
    422,
    "The TMS document has errors; nothing was imported. `errors` lists each with its JSON "
    "path, `import` is the whole import report.",
)
EMPTY_SCOPE = ProblemType(
    "empty-scope",
    "Nothing to work on was named",
    422,
    'The request names no invoice period (`"periods"`), no invoice (`"invoices"`) and does not '
    'ask for everything not yet exported (`"all": true`).',
)
UNKNOWN_SCOPE = ProblemType(
    "unknown-scope",
    "An invoice period or invoice is not known",
    422,
    "A period or invoice number the request names was never imported: `errors` names each.",
)
PERIOD_OPEN = ProblemType(
    "period-open",
    "The invoice period is not closed",
    422,
    "Only closed invoice periods are exported whole: `errors` names each open period, "
    "`problems` has the catalogue's message and remedy. Nothing was started.",
)
EXPORT_RUNNING = ProblemType(
    "export-running",
    "An export run for the same company is going",
    409,
    "An export run to the same Procountor company is still going: `run_id` names it. Follow "
    "it at `/api/v1/exports/{run_id}` and ask again once it ended.",
)
PROCOUNTOR_UNREACHABLE = ProblemType(
    "procountor-unreachable",
    "Procountor could not be reached",
    502,
    "The checks need Procountor's data and Procountor did not answer; try again later.",
)
STORE_BUSY = ProblemType(
    "store-busy",
    "The store is busy",
    503,
    "The database is busy (another import) or unreachable; try again after `Retry-After` seconds.",
)
PROBLEM_TYPES: tuple[ProblemType, ...] = (
    INVALID_REQUEST,
    MALFORMED_BODY,
    DOCUMENT_INCOMPLETE,
    DOCUMENT_REJECTED,
    EMPTY_SCOPE,
    UNKNOWN_SCOPE,
    PERIOD_OPEN,
    EXPORT_RUNNING,
    PROCOUNTOR_UNREACHABLE,
    STORE_BUSY,
)


# --- the shape ----------------------------------------------------------------------------------


class FieldError(BaseModel):
    """One field at fault: where it is and why."""

    loc: list[str | int] = Field(
        description='Where, as a path: ["body", "invoices", 0], ["query", "limit"]'
    )
    pointer: str | None = Field(
        None, description='A JSON Pointer into the request body ("#/invoices/0"), for body fields'
    )
    parameter: str | None = Field(None, description="The path or query parameter's name")
    detail: str = Field(description="Why the field is not acceptable")
    type: str = Field(description="The kind: e.g. unstorable_character, int_parsing, unknown")


class ProblemDetails(BaseModel):
    """Why a request was refused (RFC 9457 problem details, ``application/problem+json``)."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(
        "about:blank",
        description="The kind of problem: about:blank (a plain HTTP error) or /docs#problem-NAME",
    )
    title: str = Field(description="The kind of problem in words (the same for every instance)")
    status: int = Field(description="The HTTP status code")
    detail: str = Field(description="This occurrence in words: what was refused and why")
    instance: str = Field(description="The request's path")
    errors: list[FieldError] | None = Field(None, description="Each field at fault")
    run_id: int | None = Field(None, description="The export run that is going (409)")
    problems: list[CatalogueProblem] | None = Field(
        None, description="Catalogue problems, with message and remedy"
    )
    import_: ImportReport | None = Field(
        None, alias="import", description="The import report of a rejected document"
    )


# --- raising and answering ----------------------------------------------------------------------


class ApiProblem(HTTPException):
    """A refusal of the API's own kind: answered as a :class:`ProblemDetails` of ``kind``."""

    def __init__(
        self,
        kind: ProblemType,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(kind.status, detail, headers=dict(headers) if headers else None)
        self.kind = kind
        self.extensions = extensions


def is_api(request: Request) -> bool:
    """Whether the request is the REST API's (its errors are problem details)."""
    return request.url.path.startswith(API_PREFIX)


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    kind: ProblemType | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """The problem details answer: ``kind``'s type and title, else ``about:blank``."""
    shape = ProblemDetails(
        type=kind.uri if kind else "about:blank",
        title=kind.title if kind else _phrase(status),
        status=status,
        detail=detail,
        instance=request.url.path,
        **extensions,
    )
    members = shape.model_dump(mode="json", by_alias=True)
    # Members that do not apply are left out (a field error has a pointer or a parameter).
    for error in members.get("errors") or ():
        for name in ("pointer", "parameter"):
            if error[name] is None:
                del error[name]
    return JSONResponse(
        {name: value for name, value in members.items() if value is not None},
        status,
        headers=dict(headers) if headers else None,
        media_type=PROBLEM_JSON,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def field_errors(found: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """FastAPI's (or :mod:`web.inputs`') validation errors as :class:`FieldError` items."""
    errors = []
    for error in found:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        where = loc[0] if loc else None
        errors.append(
            FieldError(
                loc=loc,
                pointer=_pointer(loc[1:]) if where == "body" else None,
                parameter=str(loc[1]) if where in PARAMETER_PLACES and len(loc) > 1 else None,
                detail=str(error.get("msg", "")),
                type=str(error.get("type", "")),
            )
        )
    return errors


PARAMETER_PLACES = ("query", "path", "header", "cookie")


def _pointer(parts: Sequence[str | int]) -> str:
    """A JSON Pointer (RFC 6901) as a URI fragment: ``#/invoices/0``."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "#" + "".join("/" + part for part in escaped)


def place(error: FieldError) -> str:
    """Where a field error is, in words: ``query parameter "limit"``, ``body field #/all``."""
    if error.parameter is not None:
        return f'{error.loc[0]} parameter "{error.parameter}"'
    if error.pointer is not None:
        return "the body" if error.pointer == "#" else f"body field {error.pointer}"
    return ".".join(map(str, error.loc)) or "the request"


def invalid_response(request: Request, found: Iterable[Mapping[str, Any]]) -> JSONResponse:
    """422 for fields at fault: each named in ``errors``, all of them in ``detail``."""
    errors = field_errors(found)
    words = "; ".join(f"{place(e)}: {e.detail}" for e in errors) or "The request is not valid."
    return problem_response(
        request, 422, f"Not accepted: {words}", kind=INVALID_REQUEST, errors=errors
    )


def http_problem(request: Request, exc: HTTPException | Any) -> JSONResponse:
    """Any HTTP error raised under ``/api/`` as a problem (``ApiProblem`` keeps its kind)."""
    status: int = exc.status_code
    headers = getattr(exc, "headers", None)
    if isinstance(exc, ApiProblem):
        return problem_response(
            request, status, str(exc.detail), kind=exc.kind, headers=headers, **exc.extensions
        )
    detail = exc.detail
    if isinstance(detail, list):  # web.inputs: a body that is not JSON, with its place
        errors = field_errors(detail)
        words = "; ".join(e.detail for e in errors)
        kind = MALFORMED_BODY if status == 400 else None
        return problem_response(request, status, words, kind=kind, headers=headers, errors=errors)
    if isinstance(detail, dict):
        extensions = {k: v for k, v in detail.items() if k in ProblemDetails.model_fields}
        extensions.pop("detail", None)
        return problem_response(
            request, status, str(detail.get("detail", "")), headers=headers, **extensions
        )
    return problem_response(request, status, str(detail or _phrase(status)), headers=headers)


def problem_responses(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses`` entry for its error statuses: each a :class:`ProblemDetails`.

    ``described`` gives a status its own description (``_409="…"``, which also lists it); the
    others get theirs from :data:`STATUS_TEXT`.
    """
    answers: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, *(int(key[1:]) for key in described)}):
        text = described.get(f"_{status}", STATUS_TEXT.get(status, _phrase(status)))
        answers[status] = {"model": ProblemDetails, "description": text}
    return answers


STATUS_TEXT = {
    400: "The body is not JSON (problem type malformed-body)",
    401: "No valid bearer token",
    404: "No such resource",
    409: "An export run for the same company is going (problem type export-running)",
    413: "The request is larger than the limit",
    415: "The body is not declared as JSON (Content-Type)",
    422: "A field is not acceptable (problem type invalid-request)",
    500: "The server could not answer (the details are in the event log)",
    502: "Procountor could not be reached (problem type procountor-unreachable)",
    503: "The store is busy or unreachable; try again (problem type store-busy)",
}
