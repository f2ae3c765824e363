"""Upserting the document's master data: office, profit centres, units, VAT rates, customers,
periods and export settings.

Master tables are small (thousands of rows at most), so each is read whole once and written
with one bulk INSERT and one bulk UPDATE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from procountor_export.store import export_settings as settings_store
from procountor_export.store import models as db
from procountor_export.store.secrets import SecretBox
from procountor_export.tms import document as doc
from procountor_export.tms.header import Sections
from procountor_export.tms.report import Counts, ImportReport, Status, json_path


def table_of(model: type[db.Base]) -> Table:
    """The Core table behind a mapped class (typed as a Table for bulk statements)."""
    return cast(Table, model.__table__)


def upsert_rows(
    session: Session, table: Table, key: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> tuple[list[Status], dict[tuple[Any, ...], Any]]:
    """Insert or update ``rows`` by ``key``; return each row's status and every key's id."""
    existing = {
        tuple(row[name] for name in key): row for row in session.execute(select(table)).mappings()
    }
    statuses: list[Status] = []
    inserts: list[Mapping[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in rows:
        old = existing.get(tuple(row[name] for name in key))
        if old is None:
            inserts.append(row)
            statuses.append("created")
        elif any(old[name] != value for name, value in row.items()):
            updates.append({**row, "_pk": old["id"]})
            statuses.append("updated")
        else:
            statuses.append("unchanged")
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.execute(update(table).where(table.c.id == bindparam("_pk")), updates)
    columns = [table.c[name] for name in key]
    ids = {tuple(row[1:]): row[0] for row in session.execute(select(table.c.id, *columns))}
    return statuses, ids


def _count(report: ImportReport, kind: str, statuses: Sequence[Status]) -> None:
    counts: Counts = report.counts[kind]
    for status in statuses:
        counts.add(status)


def address(value: doc.Address | None) -> dict[str, Any] | None:
    """The address as stored: the format's keys that are set (unknown keys are not kept)."""
    if value is None:
        return None
    stored: dict[str, Any] = value.model_dump(include=_ADDRESS_KEYS, exclude_none=True)
    return stored


_ADDRESS_KEYS = set(doc.Address.model_fields)


def _office_row(office: doc.Office) -> dict[str, Any]:
    return {
        "code": office.code,
        "name": office.name,
        "currency": office.currency,
        "business_id": office.business_id,
        "vat_number": office.vat_number,
        "address": address(office.address),
        "phone": office.phone,
        "email": office.email,
        "bank_account": office.bank_account,
        "bic": office.bic,
    }


def _customer_row(customer: doc.Customer) -> dict[str, Any]:
    row = customer.model_dump(
        include={
            "code",
            "customer_no",
            "sales_ledger_no",
            "name",
            "corporate_id",
            "vat_number",
            "email",
            "phone",
            "language",
            "edi_code",
            "ovt",
            "invoice_channel",
            "payment_terms_days",
            "penalty_interest",
            "export_setting",
        }
    )
    row["address"] = address(customer.address)
    row["invoice_address"] = address(customer.invoice_address)
    return row


@dataclass
class MasterIds:
    """Ids the invoice writer needs: customers by code."""

    customers: dict[str, int] = field(default_factory=dict)


def write_master_data(
    session: Session, header: Sections, box: SecretBox | None, report: ImportReport
) -> MasterIds:
    """Upsert every section but the invoices, counting created / updated / unchanged."""
    if header.office is not None:
        statuses, _ = upsert_rows(
            session, table_of(db.Office), ("code",), [_office_row(header.office)]
        )
        _count(report, "office", statuses)

    centres = [centre for _, centre in header.profit_centres]
    statuses, centre_ids = upsert_rows(
        session, table_of(db.ProfitCentre), ("name",), [{"name": c.name} for c in centres]
    )
    _count(report, "profit_centres", statuses)
    units = [
        {"profit_centre_id": centre_ids[(c.name,)], "code": u.code, "name": u.name}
        for c in centres
        for u in c.units
    ]
    statuses, _ = upsert_rows(session, table_of(db.Unit), ("profit_centre_id", "code"), units)
    _count(report, "units", statuses)

    rates = [
        rate.model_dump(include={"code", "name", "rate", "kind", "valid_from", "valid_to", "note"})
        for _, rate in header.vat_rates
    ]
    statuses, _ = upsert_rows(session, table_of(db.VatRate), ("code", "valid_from"), rates)
    _count(report, "vat_rates", statuses)

    customers = [_customer_row(c) for _, c in header.customers]
    statuses, customer_ids = upsert_rows(session, table_of(db.Customer), ("code",), customers)
    _count(report, "customers", statuses)

    _write_periods(session, header, report)
    _write_export_settings(session, header, box, report)
    return MasterIds(customers={code: id_ for (code,), id_ in customer_ids.items()})


def _write_periods(session: Session, header: Sections, report: ImportReport) -> None:
    table = table_of(db.Period)
    was_closed = {
        period_id: closed is not None
        for period_id, closed in session.execute(select(table.c.id, table.c.closed_at))
    }
    periods = [period for _, period in header.periods]
    rows = [
        {"id": p.id, "date_from": p.date_from, "date_to": p.date_to, "closed_at": p.closed_at}
        for p in periods
    ]
    statuses, _ = upsert_rows(session, table, ("id",), rows)
    _count(report, "periods", statuses)
    report.newly_closed_periods.extend(
        p.id for p in periods if p.closed_at is not None and not was_closed.get(p.id)
    )


def _write_export_settings(
    session: Session, header: Sections, box: SecretBox | None, report: ImportReport
) -> None:
    """Store the export settings through :mod:`procountor_export.store.export_settings`.

    A ``SettingsError`` there (a rule the document checks did not foresee) becomes an error at
    the record's path, which rejects the document.
    """
    base = "export_settings"
    for index, export in header.exports:
        try:
            _write_export(session, export, box, report)
        except settings_store.SettingsError as exc:
            report.error(f"{base}.exports[{index}]", str(exc))
    for index, group in header.groups:
        try:
            _, status = settings_store.upsert_export_group(
                session, name=group.name, exports=group.exports, default=group.default
            )
        except settings_store.SettingsError as exc:
            report.error(f"{base}.groups[{index}]", str(exc))
            continue
        report.counts["groups"].add(status)
    for key, value in header.terminology.items():
        try:
            status = settings_store.set_terminology(session, key, value)
        except settings_store.SettingsError as exc:
            report.error(json_path(f"{base}.terminology", [key]), str(exc))
            continue
        report.counts["terminology"].add(status)


def _stated(export: doc.Export, field: str) -> str | None:
    """The document's value of ``field``; ``""`` (clear) when it says null, ``None`` when the
    key is absent (keep what is stored)."""
    value: str | None = getattr(export, field)
    if value is None and field in export.model_fields_set:
        return ""
    return value


def _write_export(
    session: Session, export: doc.Export, box: SecretBox | None, report: ImportReport
) -> None:
    password = export.password if isinstance(export.password, str) else None
    password_env = export.password.env if isinstance(export.password, doc.PasswordEnv) else None
    definition, status = settings_store.upsert_export_definition(
        session,
        name=export.name,
        type=export.type,
        encoding=export.encoding,
        password=password,
        password_env=password_env,
        include_pdf=export.include_pdf,
        reduce_pdf=export.reduce_pdf,
        after_create=export.after_create,
        box=box,
        # An explicit null clears a stored contract or text; a key left out keeps it.
        factoring_contract=_stated(export, "factoring_contract"),
        factoring_text=_stated(export, "factoring_text"),
        customer_updates=export.customer_updates,
    )
    # The mapping replaces the stored one whole: only when the document states it, so that
    # codes maintained in the service survive a document without them.
    if "tax_rates" in export.codes.model_fields_set:
        changed = settings_store.set_tax_rate_codes(session, definition, export.codes.tax_rates)
        if changed and status == "unchanged":
            status = "updated"
    report.counts["exports"].add(status)
