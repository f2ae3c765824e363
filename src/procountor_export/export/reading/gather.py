"""Step one of every run: read the scope's invoices, their exports and API keys from the store."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr
from sqlalchemy.orm import Session

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import (
    CustomerData,
    ExportConfig,
    InvoiceData,
    OfficeData,
)
from procountor_export.export.reading.scope import Routes, Scope, select_invoices
from procountor_export.export.reading.source import (
    customer_data,
    export_config,
    invoice_data,
    office_data,
    unit_names,
    vat_rates,
)
from procountor_export.store import export_settings
from procountor_export.store.models import ExportDefinition
from procountor_export.store.secrets import SecretBox


@dataclass
class ExportWork:
    """One export definition's share of a run: its config, API key and invoices."""

    config: ExportConfig
    api_key: SecretStr | None
    key_problem: str | None = None
    invoices: list[InvoiceData] = field(default_factory=list)


@dataclass
class Gathered:
    """Everything a run reads from the store before it talks to Procountor."""

    office: OfficeData
    work: list[ExportWork]
    unit_names: dict[tuple[str, str], str]
    problems: list[Problem] = field(default_factory=list)  # scope-level (open period, no export)


def gather(
    session: Session,
    scope: Scope,
    *,
    box: SecretBox | None,
    environ: Mapping[str, str] | None = None,
) -> Gathered:
    """Read the scope's invoices and group them by the export definitions they go to."""
    selection = select_invoices(session, scope)
    problems = [Problem.of(m.PERIOD_OPEN, period) for period in selection.open_periods]
    office = office_data(session) or OfficeData(name="", currency="EUR")
    by_export: dict[int, ExportWork] = {}
    customers: dict[int, CustomerData] = {}
    rates = vat_rates(session)
    routes = Routes(session)  # exports asked once per export group, not once per invoice
    for invoice in selection.invoices:
        customer = customers.get(invoice.customer_id)
        if customer is None:
            customer = customers[invoice.customer_id] = customer_data(invoice.customer)
        exports = routes(invoice.customer)
        if not exports:
            problems.append(
                Problem.of(
                    m.NO_EXPORT_SETTING,
                    customer.name,
                    customer.code,
                    invoice=invoice.number,
                )
            )
            continue
        data = invoice_data(invoice, customer, rates)
        for export in exports:
            work = by_export.get(export.id)
            if work is None:
                work = by_export[export.id] = _work(session, export, box, environ)
            work.invoices.append(data)
    return Gathered(
        office=office,
        work=list(by_export.values()),
        unit_names=unit_names(session),
        problems=problems,
    )


def _work(
    session: Session,
    export: ExportDefinition,
    box: SecretBox | None,
    environ: Mapping[str, str] | None,
) -> ExportWork:
    config = export_config(session, export)
    try:
        key = export_settings.api_key(export, box, os.environ if environ is None else environ)
    except Exception as error:  # a missing key or variable, or an undecryptable password
        return ExportWork(config=config, api_key=None, key_problem=str(error))
    return ExportWork(config=config, api_key=key)
