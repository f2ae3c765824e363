"""``GET /api/v1/invoices``: the invoices, filtered, a page at a time, for a TMS to follow.

The same query as the Invoices window (:func:`procountor_export.tms.queries.invoice_page`):
keyset pages, so a client walks any number of invoices, each exactly once, by following
``next`` (in the body) or the ``Link: <…>; rel="next"`` header until there is none.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from procountor_export.tms import queries
from procountor_export.tms.queries import BadCursor, Cursor, InvoiceFilter, InvoiceState, SortKey
from procountor_export.web.api import PREFIX, Client, Context
from procountor_export.web.inputs import CheckedRoute
from procountor_export.web.problems import (
    INVALID_REQUEST,
    ApiProblem,
    FieldError,
    problem_responses,
)

router = APIRouter(
    prefix=PREFIX,
    tags=["REST API"],
    route_class=CheckedRoute,
    responses=problem_responses(401, 413, 422, 500),
)
DEFAULT_LIMIT = 100


class Customer(BaseModel):
    """The invoice's customer in the TMS."""

    code: str
    name: str


class ProcountorInvoice(BaseModel):
    """The invoice as the export created it in Procountor (the first export definition's)."""

    invoice_id: int = Field(description="Procountor's id of the invoice")
    invoice_number: int | None = Field(description="Procountor's invoice number")
    url: str | None = Field(
        description="The invoice in the Procountor UI (PROCOUNTOR_INVOICE_URL); null when "
        "that address is not configured"
    )


class ListedInvoice(BaseModel):
    """One invoice of the list: what it is, whom to, how much, where its export stands."""

    number: str
    period: str
    type: str = Field(description="invoice or credit")
    customer: Customer
    date: dt.date = Field(description="The invoice date")
    due_date: dt.date
    currency: str
    total: Decimal = Field(description="Total with VAT, exact (as text)")
    state: InvoiceState = Field(
        description="NEW (no export touched it), PENDING, INFLIGHT (being written), "
        "EXPORTED (by every export definition), FAILED"
    )
    procountor: ProcountorInvoice | None = Field(
        description="null until an export created the invoice in Procountor"
    )


class InvoiceList(BaseModel):
    """One page of invoices, and where the next one starts."""

    invoices: list[ListedInvoice]
    next: str | None = Field(
        description="The next page's address (its filters, sort, order and cursor included), "
        "as in the Link header; null on the last page. The same shape as the other lists."
    )


@router.get(
    "/invoices",
    summary="The invoices, filtered, a page at a time",
    responses={200: {"headers": {"Link": {"description": 'The next page: <URL>; rel="next"'}}}},
)
def list_invoices(
    request: Request,
    response: Response,
    context: Context,
    client: Client,
    period: Annotated[str | None, Query(max_length=40, description="Invoice period id")] = None,
    state: Annotated[InvoiceState | None, Query(description="Export state")] = None,
    customer: Annotated[
        str | None, Query(max_length=40, description="Customer code in the TMS")
    ] = None,
    changed_since: Annotated[
        str | None,
        Query(
            # A string with a pattern, not a datetime: pydantic would also take a number of
            # seconds, which the description (date-time) does not allow.
            pattern=ISO_DATE_TIME,
            json_schema_extra={"format": "date-time"},
            description="Only invoices imported or changed at or after this time, or whose "
            "export state changed since (ISO 8601; without a zone: UTC)",
        ),
    ] = None,
    sort: Annotated[SortKey, Query(description="The order")] = "date",
    order: Annotated[Literal["asc", "desc"], Query(description="Which way")] = "desc",
    cursor: Annotated[
        str | None, Query(max_length=1000, description="The `next` of the previous page")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=queries.MAX_PAGE, description="Invoices on one page")
    ] = DEFAULT_LIMIT,
) -> InvoiceList:
    """The invoices matching every filter given, newest first unless ``sort``/``order`` say
    otherwise (ties by the store's id), ``limit`` at a time. Follow ``next`` until it is null
    to read them all, each once."""
    descending = order == "desc"
    at: Cursor | None = None
    if cursor is not None:
        try:
            at = Cursor.decode(cursor)
        except BadCursor as exc:
            raise _bad_cursor(str(exc)) from exc
        if (at.sort, at.descending) != (sort, descending):
            raise _bad_cursor(
                f"The cursor {cursor!r} is a page of sort={at.sort}, "
                f"order={'desc' if at.descending else 'asc'}, not of sort={sort}, "
                f"order={order}: send it with the sort and order of the first page."
            )
    since = _moment(changed_since) if changed_since is not None else None
    if since is not None and since.tzinfo is not None:
        since = since.astimezone(UTC).replace(tzinfo=None)  # the store keeps naive UTC
    filters = InvoiceFilter(period=period, state=state, customer=customer, changed_since=since)
    with context.store.session() as session:
        page = queries.invoice_page(
            session, filters, sort=sort, descending=descending, cursor=at, limit=limit
        )
    settings = context.settings
    following: str | None = None
    if page.next is not None:
        address = request.url.include_query_params(
            cursor=page.next.encode(), sort=sort, order=order
        )
        following = f"{address.path}?{address.query}"
        response.headers["Link"] = f'<{following}>; rel="next"'
    return InvoiceList(
        invoices=[
            ListedInvoice(
                number=row.number,
                period=row.period,
                type=row.type,
                customer=Customer(code=row.customer_code, name=row.customer_name),
                date=row.date,
                due_date=row.due_date,
                currency=row.currency,
                total=row.total_gross,
                state=row.state,
                procountor=None
                if row.procountor_id is None
                else ProcountorInvoice(
                    invoice_id=row.procountor_id,
                    invoice_number=row.procountor_number,
                    url=settings.procountor_invoice_link(row.procountor_id),
                ),
            )
            for row in page.rows
        ],
        next=following,
    )


# ISO 8601 date-time as RFC 3339 writes it (the zone optional here: without one, UTC).
ISO_DATE_TIME = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?$"


def _moment(text: str) -> datetime:
    """``changed_since`` as a time; a 422 naming the parameter for a date that does not exist."""
    try:
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError as exc:
        error = FieldError(
            loc=["query", "changed_since"],
            parameter="changed_since",
            detail=f"{text!r} is not a date and time: {exc}",
            type="datetime_parsing",
        )
        raise ApiProblem(INVALID_REQUEST, f"Not accepted: {error.detail}", errors=[error]) from exc


def _bad_cursor(detail: str) -> ApiProblem:
    """The 422 for a ``cursor`` this list cannot continue from."""
    error = FieldError(
        loc=["query", "cursor"], parameter="cursor", detail=detail, type="value_error"
    )
    return ApiProblem(INVALID_REQUEST, f"Not accepted: {detail}", errors=[error])
