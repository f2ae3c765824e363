"""What an export request of the REST API names, checked before a run is started.

A run is started only when it has something to do. Before that, :func:`checked_scope` refuses
a scope that names nothing, names a period or invoice the store does not have, or names an
open period (only closed periods are exported whole), each with a problem naming the JSON
field; :func:`nothing_to_export` says when every invoice in scope is already exported, so the
answer can say so instead of starting a run that would only skip them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from procountor_export.export import Messages, Problem, Scope
from procountor_export.export import messages as m
from procountor_export.store.models import Invoice, JournalEntry, JournalState, Period
from procountor_export.web.api_models import CatalogueProblem
from procountor_export.web.problems import (
    EMPTY_SCOPE,
    PERIOD_OPEN,
    UNKNOWN_SCOPE,
    ApiProblem,
    FieldError,
)

# Where each part of a scope comes from: the JSON body of POST /exports, or the query of
# GET /checks (whose parameters are singular and repeated).
BODY_FIELDS = {"place": "body", "periods": "periods", "invoices": "invoices", "all": "all"}
QUERY_FIELDS = {"place": "query", "periods": "period", "invoices": "invoice", "all": "all"}


def checked_scope(
    session: Session,
    periods: Sequence[str],
    invoices: Sequence[str],
    everything: bool,
    messages: Messages,
    *,
    fields: dict[str, str] = BODY_FIELDS,
    whole_periods_closed: bool = True,
) -> Scope:
    """The scope, once it names something, all of it known, and (unless told otherwise) no
    open period; else :class:`ApiProblem` (422) naming each field at fault."""
    if not (periods or invoices or everything):
        raise ApiProblem(EMPTY_SCOPE, _say_what(fields))
    scope = Scope(tuple(periods), tuple(invoices), everything)
    closed_at = dict(
        session.execute(
            select(Period.id, Period.closed_at).where(Period.id.in_(set(periods)))
        ).all()
    )
    known_numbers = set(
        session.scalars(select(Invoice.number).where(Invoice.number.in_(set(invoices))))
    )
    unknown = [
        _error(fields, "periods", index, f"There is no invoice period {pid!r}.", "unknown")
        for index, pid in enumerate(periods)
        if pid not in closed_at
    ] + [
        _error(fields, "invoices", index, f"There is no invoice {number!r}.", "unknown")
        for index, number in enumerate(invoices)
        if number not in known_numbers
    ]
    if unknown:
        words = "; ".join(error.detail for error in unknown)
        raise ApiProblem(UNKNOWN_SCOPE, f"Not imported: {words}", errors=unknown)
    open_periods = [(index, pid) for index, pid in enumerate(periods) if closed_at[pid] is None]
    if open_periods and whole_periods_closed:
        problems = [Problem.of(m.PERIOD_OPEN, pid) for _, pid in open_periods]
        rendered = [CatalogueProblem.model_validate(messages.as_dict(p)) for p in problems]
        errors = [
            _error(fields, "periods", index, f"{problem.message}.", "period_open")
            for (index, _), problem in zip(open_periods, rendered, strict=True)
        ]
        first = rendered[0]
        detail = "; ".join(f"{p.message}" for p in rendered) + f". {first.remedy}"
        raise ApiProblem(PERIOD_OPEN, detail, errors=errors, problems=rendered)
    return scope


def _say_what(fields: dict[str, str]) -> str:
    if fields["place"] == "query":
        return (
            "Say what to work on: an invoice period in the query parameter "
            f'"{fields["periods"]}", an invoice number in "{fields["invoices"]}" (each may be '
            f'repeated), or "{fields["all"]}=true" for everything not yet exported.'
        )
    return (
        f'Say what to export: invoice period ids in "{fields["periods"]}", invoice numbers in '
        f'"{fields["invoices"]}", or "{fields["all"]}": true for every invoice of a closed '
        "period not yet exported."
    )


def _error(fields: dict[str, str], part: str, index: int, detail: str, kind: str) -> FieldError:
    name = fields[part]
    if fields["place"] == "body":
        return FieldError(
            loc=["body", name, index], pointer=f"#/{name}/{index}", detail=detail, type=kind
        )
    return FieldError(loc=["query", name], parameter=name, detail=detail, type=kind)


def nothing_to_export(session: Session, scope: Scope) -> str | None:
    """Why an export of ``scope`` would have nothing to do, or ``None`` when it has work.

    An invoice is done when it has journal entries and every one of them is ``EXPORTED``;
    a run skips those (it would only count them as already exported). The periods of a checked
    scope are closed (:func:`checked_scope`).
    """
    conditions = []
    if scope.periods:
        conditions.append(Invoice.period_id.in_(scope.periods))
    if scope.invoices:
        conditions.append(Invoice.number.in_(scope.invoices))
    if scope.all:
        closed = select(Period.id).where(Period.closed_at.is_not(None))
        conditions.append(Invoice.period_id.in_(closed))
    in_scope = select(func.count()).select_from(Invoice).where(or_(*conditions))
    total = int(session.execute(in_scope).scalar_one())
    if total == 0:
        return "The scope holds no invoice: there is nothing to export."
    entries = JournalEntry.invoice_id == Invoice.id
    to_do = in_scope.where(
        or_(
            ~exists().where(entries),
            exists().where(entries, JournalEntry.state != JournalState.EXPORTED),
        )
    )
    if int(session.execute(to_do).scalar_one()) > 0:
        return None
    return (
        f"Every invoice in scope ({total}) is already exported to Procountor: no run was "
        "started. Read each invoice's Procountor ids at /api/v1/invoices/{number}."
    )
