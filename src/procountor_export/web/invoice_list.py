"""The Invoices window's list and periods: what its request asks for, read as one view.

The list is read by :func:`procountor_export.tms.queries.invoice_page` (the REST API's
``GET /api/v1/invoices`` reads the same), a page at a time by keyset; its links keep the
filters and the order, and a link to another order or filter starts again at the first page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from procountor_export.settings import Settings
from procountor_export.tms import queries
from procountor_export.tms.queries import Cursor, InvoiceFilter, SortKey

PAGE_SIZE = 50  # invoices on one page of the window
RECENT_PERIODS = 6  # periods shown before "Show all"
DEFAULT_SORT: SortKey = "date"
# The way a column sorts when it is clicked first: dates and totals biggest first.
FIRST_DESCENDING = frozenset({"date", "due_date", "total"})
COLUMNS: tuple[tuple[SortKey, str], ...] = (
    ("number", "Number"),
    ("customer", "Customer"),
    ("date", "Date"),
    ("due_date", "Due date"),
    ("total", "Total"),
    ("state", "Export state"),
)


@dataclass(frozen=True)
class ListRequest:
    """What the window's address asks for (anything unknown read as its default)."""

    period: str | None = None
    state: queries.InvoiceState | None = None
    q: str = ""
    sort: SortKey = DEFAULT_SORT
    descending: bool = True
    cursor: Cursor | None = None
    all_periods: bool = False

    @classmethod
    def of(
        cls,
        *,
        period: str | None,
        state: str | None,
        q: str | None,
        sort: str | None,
        order: str | None,
        cursor: str | None,
        periods: str | None,
    ) -> ListRequest:
        """From the query parameters; a sort, order or cursor the list does not know is its
        default (a cursor of another order: the first page)."""
        key: SortKey = DEFAULT_SORT
        for known in queries.SORT_KEYS:
            if sort == known:
                key = known
        descending = order != "asc" if order in ("asc", "desc") else key in FIRST_DESCENDING
        wanted: queries.InvoiceState | None = None
        for known_state in queries.INVOICE_STATES:
            if state == known_state:
                wanted = known_state
        at: Cursor | None = None
        if cursor:
            try:
                at = Cursor.decode(cursor)
            except queries.BadCursor:
                at = None
        return cls(
            period=period or None,
            state=wanted,
            q=(q or "").strip(),
            sort=key,
            descending=descending,
            cursor=at,
            all_periods=periods == "all",
        )

    def filters(self) -> InvoiceFilter:
        """The list's filters for the query."""
        return InvoiceFilter(period=self.period, state=self.state, search=self.q or None)

    def url(self, **changes: Any) -> str:
        """``/invoices`` with this request's parameters, ``changes`` applied (``cursor``
        ``None``: the first page)."""
        values: dict[str, Any] = {
            "period": self.period,
            "state": self.state,
            "q": self.q,
            "sort": self.sort,
            "descending": self.descending,
            "cursor": self.cursor,
            "all_periods": self.all_periods,
        }
        values.update(changes)
        query: dict[str, str] = {}
        for name in ("period", "state", "q"):
            if values[name]:
                query[name] = str(values[name])
        if values["sort"] != DEFAULT_SORT or not values["descending"]:
            query["sort"] = str(values["sort"])
            query["order"] = "desc" if values["descending"] else "asc"
        if values["cursor"] is not None:
            query["cursor"] = values["cursor"].encode()
        if values["all_periods"]:
            query["periods"] = "all"
        return "/invoices" + (f"?{urlencode(query)}" if query else "")


@dataclass(frozen=True)
class Column:
    """A sortable column's header: its link and how the list is sorted by it now."""

    key: SortKey
    label: str
    url: str
    aria_sort: str  # "ascending" | "descending" | "none"


@dataclass
class InvoiceListView:
    """Everything the Invoices window shows above the export bar."""

    request: ListRequest
    periods: list[queries.PeriodRow]  # those shown: the recent ones, or all
    all_periods: int
    period_ids: list[str]  # every period, newest first (the filter's choices)
    by_period: dict[str, dict[queries.InvoiceState, int]]
    rows: list[queries.ListedInvoice]
    links: dict[int, str]  # invoice id -> its address in the Procountor UI
    total: int
    columns: list[Column]
    first_url: str | None
    previous_url: str | None
    next_url: str | None
    last_url: str | None
    periods_url: str  # "Show all N periods" or "Show the recent periods"
    state_words: dict[str, str] = field(default_factory=lambda: dict(queries.STATE_WORDS))


def read_list(session: Session, request: ListRequest, settings: Settings) -> InvoiceListView:
    """The window's periods and one page of its invoice list, as ``request`` asks."""
    periods = queries.list_periods(session, newest_first=True)
    shown_periods = periods
    older_selected = request.period is not None and request.period not in {
        p.id for p in periods[:RECENT_PERIODS]
    }
    if not request.all_periods and not older_selected:
        shown_periods = periods[:RECENT_PERIODS]
    page = queries.invoice_page(
        session,
        request.filters(),
        sort=request.sort,
        descending=request.descending,
        cursor=request.cursor,
        limit=PAGE_SIZE,
    )
    links = {
        row.id: link
        for row in page.rows
        if (link := settings.procountor_invoice_link(row.procountor_id)) is not None
    }
    not_first = page.previous is not None
    not_last = page.next is not None
    return InvoiceListView(
        request=request,
        periods=shown_periods,
        all_periods=len(periods),
        period_ids=[p.id for p in periods],
        by_period=queries.invoice_states_by_period(session),
        rows=page.rows,
        links=links,
        total=queries.count_matching(session, request.filters()),
        columns=_columns(request),
        first_url=request.url(cursor=None) if not_first else None,
        previous_url=request.url(cursor=page.previous) if not_first else None,
        next_url=request.url(cursor=page.next) if not_last else None,
        last_url=(
            request.url(cursor=Cursor.last(request.sort, request.descending)) if not_last else None
        ),
        periods_url=request.url(all_periods=not request.all_periods),
    )


def _columns(request: ListRequest) -> list[Column]:
    """The sortable headers: the current column turns its order round, another starts with
    its own first order; both from the first page, with the filters kept."""
    columns = []
    for key, label in COLUMNS:
        current = key == request.sort
        descending = not request.descending if current else key in FIRST_DESCENDING
        aria = ("descending" if request.descending else "ascending") if current else "none"
        columns.append(
            Column(key, label, request.url(sort=key, descending=descending, cursor=None), aria)
        )
    return columns
