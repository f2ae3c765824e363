"""The REST API's lists: export runs (``GET /api/v1/exports``) and invoice periods
(``GET /api/v1/periods``), newest first, a page at a time; and the payment feed
(``GET /api/v1/payments``), oldest change first, that a TMS polls.

Pagination is by cursor: ``limit`` items per page, and ``before`` the last item of the page
seen (a run's id, a period's id): the next page holds the items older than it. Each page names
the next one in its ``next`` member and in a ``Link: <…>; rel="next"`` header; the last page
has ``next: null`` and no ``Link``. A cursor stays right while new runs start (they are newer,
so they never shift a page already read). The feed's ``next`` is a cursor, never null: the
feed goes on, and the same cursor asked again later returns what was paid since.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select

from procountor_export.jobs.runs import read_run
from procountor_export.payments.views import MAX_PAGE, BadCursor, decode_cursor, feed_page
from procountor_export.store.models import ExportRun
from procountor_export.tms.queries import invoice_states_by_period, list_periods
from procountor_export.web.api import PREFIX, Client, Context, run_url
from procountor_export.web.api_models import (
    PaymentFeed,
    PeriodList,
    PeriodOut,
    RunList,
    RunSummary,
    StateCounts,
)
from procountor_export.web.inputs import MAX_INT, CheckedRoute
from procountor_export.web.problems import (
    INVALID_REQUEST,
    ApiProblem,
    FieldError,
    problem_responses,
)


def only_parameters(*known: str) -> Any:
    """A dependency answering 422 for a query parameter other than ``known``: a typo such as
    ``limt`` would otherwise be ignored, and the answer look right while it is not."""

    def check(request: Request) -> None:
        errors = [
            FieldError(
                loc=["query", name],
                parameter=name,
                detail=f"There is no query parameter {name!r} here: "
                f"the parameters are {', '.join(known)}.",
                type="unknown_parameter",
            )
            for name in request.query_params
            if name not in known
        ]
        if errors:
            words = "; ".join(error.detail for error in errors)
            raise ApiProblem(INVALID_REQUEST, f"Not accepted: {words}", errors=errors)

    return Depends(check)


router = APIRouter(
    prefix=PREFIX,
    tags=["REST API"],
    route_class=CheckedRoute,
    responses=problem_responses(401, 413, 422, 500),
)
DEFAULT_LIMIT = 20
Limit = Annotated[int, Query(ge=1, le=100, description="Items per page (1 to 100)")]


def _paged(response: Response, path: str, limit: int, last: str | int | None) -> str | None:
    """The next page's address (also set as the ``Link`` header), or ``None`` on the last."""
    if last is None:
        return None
    url = f"{PREFIX}{path}?{urlencode({'limit': limit, 'before': last})}"
    response.headers["Link"] = f'<{url}>; rel="next"'
    return url


@router.get(
    "/exports",
    summary="Export runs, newest first",
    dependencies=[only_parameters("limit", "before")],
    responses={200: {"headers": {"Link": {"description": 'The next page: <URL>; rel="next"'}}}},
)
def list_exports(
    response: Response,
    context: Context,
    client: Client,
    limit: Limit = DEFAULT_LIMIT,
    before: Annotated[
        int | None,
        Query(ge=1, le=MAX_INT, description="Runs older than this run id (the cursor)"),
    ] = None,
) -> RunList:
    """Export runs, newest first, without their invoices (read one run for those).

    The first page has the newest runs; ``next`` (and the ``Link`` header) names the page of
    older ones, until the last page, whose ``next`` is null.
    """
    query = select(ExportRun.id).order_by(ExportRun.id.desc()).limit(limit + 1)
    if before is not None:
        # The column holds 32 bits: a larger cursor is past every run (PostgreSQL would refuse it).
        query = query.where(ExportRun.id <= min(before - 1, 2**31 - 1))
    with context.store.session() as session:
        ids = list(session.scalars(query))
    runs = []
    for run_id in ids[:limit]:
        run = read_run(context.store, run_id, with_invoices=False)
        if run is not None:
            shape = {**run.as_dict(context.api_messages), "url": run_url(run.id)}
            shape.pop("invoices", None)
            runs.append(RunSummary.model_validate(shape))
    last = ids[limit - 1] if len(ids) > limit else None
    return RunList(runs=runs, next=_paged(response, "/exports", limit, last))


@router.get(
    "/periods",
    summary="Invoice periods, newest first",
    dependencies=[only_parameters("limit", "before")],
    responses={200: {"headers": {"Link": {"description": 'The next page: <URL>; rel="next"'}}}},
)
def get_periods(
    response: Response,
    context: Context,
    client: Client,
    limit: Limit = DEFAULT_LIMIT,
    before: Annotated[
        str | None,
        Query(min_length=1, max_length=40, description="Periods older than this period id"),
    ] = None,
) -> PeriodList:
    """Invoice periods, newest first: dates, open or closed, invoices per export state.

    Only closed periods are exported whole (``POST /api/v1/exports`` with ``"periods"``);
    ``states`` counts the period's invoices by export state (``NEW``: not tried yet).
    """
    with context.store.session() as session:
        periods = list_periods(session)[::-1]  # oldest first: the newest first here
        states = invoice_states_by_period(session)
    start = 0
    if before is not None:
        ids = [period.id for period in periods]
        if before not in ids:
            error = FieldError(
                loc=["query", "before"],
                parameter="before",
                detail=f"There is no invoice period {before!r}.",
                type="unknown",
            )
            raise ApiProblem(INVALID_REQUEST, f"Not accepted: {error.detail}", errors=[error])
        start = ids.index(before) + 1
    page = periods[start : start + limit]
    shown = [
        PeriodOut(
            id=period.id,
            date_from=period.date_from,
            date_to=period.date_to,
            closed=period.closed_at is not None,
            closed_at=period.closed_at,
            invoices=period.invoices,
            states=StateCounts.model_validate(states.get(period.id, {})),
        )
        for period in page
    ]
    last = page[-1].id if page and start + limit < len(periods) else None
    return PeriodList(periods=shown, next=_paged(response, "/periods", limit, last))


@router.get(
    "/payments",
    summary="The payment feed: payment events since a cursor, oldest first",
    dependencies=[only_parameters("since", "limit")],
    responses={200: {"headers": {"Link": {"description": 'More waiting now: <URL>; rel="next"'}}}},
)
def get_payments(
    response: Response,
    context: Context,
    client: Client,
    since: Annotated[
        str | None,
        Query(
            max_length=100,
            description="The `next` of the previous answer; without it: from the first event",
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE, description=f"Events on one page (1 to {MAX_PAGE})")
    ] = 100,
) -> PaymentFeed:
    """Every live payment event the payment sync wrote or changed after ``since``, oldest
    change first, each with the TMS invoice it pays. Keep ``next`` and send it as ``since``
    next time: it never misses an event and never gives one twice unless it changed (then it
    comes again with the same ``id``). A payment deleted in Procountor leaves the feed (and its
    invoice's ``payment`` in ``GET /invoices/{number}`` is set back). While the page was full,
    the ``Link`` header names the next page at once."""
    after = 0
    if since is not None:
        try:
            after = decode_cursor(since)
        except BadCursor as exc:
            error = FieldError(
                loc=["query", "since"], parameter="since", detail=str(exc), type="value_error"
            )
            raise ApiProblem(INVALID_REQUEST, f"Not accepted: {exc}", errors=[error]) from exc
    with context.store.session() as session:
        page = feed_page(session, after, limit)
    if page.more:
        url = f"{PREFIX}/payments?{urlencode({'since': page.next, 'limit': limit})}"
        response.headers["Link"] = f'<{url}>; rel="next"'
    return PaymentFeed.model_validate(
        {"events": [asdict(event) for event in page.events], "next": page.next}
    )
