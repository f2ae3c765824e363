"""The JSON shapes the CLI's ``--json`` and the REST API share.

Problems are data until here: each shape takes the :class:`~..messages.Messages` of its face
and renders them, with their codes and arguments kept beside the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from procountor_export.export.messages import Messages
from procountor_export.export.planning.plan import RunPlan
from procountor_export.export.reporting.analysis import Analysis
from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.reporting.status import StatusRow
from procountor_export.store.db import Store
from procountor_export.store.models import ExportDefinition, Invoice, JournalEntry, JournalState


def analysis_json(analysis: Analysis, messages: Messages, *, with_plan: bool) -> dict[str, Any]:
    """``check --json`` and ``export --dry-run --json``: every problem, rendered, and the plan."""
    exports = []
    for result in analysis.exports:
        item: dict[str, Any] = {
            "export": result.export.name,
            "problem": messages.as_dict(result.problem) if result.problem else None,
            "already_exported": result.already_exported,
        }
        if result.plan is not None:
            item["invoices"] = [
                {
                    "invoice": p.invoice.number,
                    "ready": p.ready,
                    "problems": [messages.as_dict(problem) for problem in p.problems],
                }
                for p in result.plan.invoices
            ]
            if with_plan:
                item["plan"] = plan_json(result.plan)
        exports.append(item)
    return {
        "ok": analysis.ok,
        "problems": [messages.as_dict(p) for p in analysis.problems],
        "exports": exports,
    }


def plan_json(plan: RunPlan) -> dict[str, Any]:
    """What a run would create and send (pure data, no words)."""
    return {
        "customers_to_create": plan.customers_to_create,
        "customers_to_check": plan.customers_to_check,
        "dimension_items_to_create": [list(pair) for pair in plan.items_to_create],
        "products_to_create": [
            {
                "code": code,
                "name": key.product_name(),
                "account": key.account,
                "vat_percent": str(key.vat_percent),
                "vat_status": key.vat_status,
                "currency": key.currency,
                "units": [list(unit) for unit in key.units],
            }
            for code, key in plan.products_to_create.items()
        ],
        "invoices": [
            {
                "invoice": p.invoice.number,
                "rows": [
                    {
                        "product_code": row.key.product_code,
                        "text": row.text,
                        "net": str(row.net),
                        "vat_percent": str(row.key.vat_percent),
                        "vat_status": row.key.vat_status,
                    }
                    for row in p.rows
                ],
            }
            for p in plan.ready
        ],
    }


def invoice_json(number: str, rows: Sequence[StatusRow], messages: Messages) -> dict[str, Any]:
    """``GET /api/v1/invoices/{number}``: the invoice's state and ids per export definition."""
    first = rows[0] if rows else None
    return {
        "invoice": number,
        "period": first.period if first else None,
        "customer": first.customer if first else None,
        "exports": [row.as_dict(messages) for row in rows if row.export is not None],
    }


def summary_json(store: Store, summary: RunSummary, messages: Messages) -> dict[str, Any]:
    """``export --json``: the run's summary with every invoice's outcome.

    A run exported in slices kept in memory only the outcomes that need attention (see
    :class:`RunSummary`); every other invoice of the run was exported as planned, and is read
    back from the journal here, in the same shape.
    """
    shape = summary.as_dict(messages)
    if summary.complete or summary.run_id is None:
        return shape
    kept = {(outcome.invoice, outcome.export) for outcome in summary.outcomes}
    query = (
        select(
            Invoice.number,
            ExportDefinition.name,
            JournalEntry.procountor_invoice_id,
            JournalEntry.procountor_invoice_number,
        )
        .join(Invoice, Invoice.id == JournalEntry.invoice_id)
        .join(ExportDefinition, ExportDefinition.id == JournalEntry.export_id)
        .where(JournalEntry.run_id == summary.run_id, JournalEntry.state == JournalState.EXPORTED)
        .order_by(Invoice.number, ExportDefinition.name)
    )
    with store.session() as session:
        for number, export, invoice_id, invoice_number in session.execute(query):
            if (number, export) not in kept:
                outcome = InvoiceOutcome(
                    number,
                    export,
                    JournalState.EXPORTED,
                    procountor_invoice_id=invoice_id,
                    procountor_invoice_number=invoice_number,
                )
                shape["invoices"].append(outcome.as_dict(messages))
    return shape
