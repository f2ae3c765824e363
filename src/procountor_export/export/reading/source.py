"""Reading what the export needs from the store into plain values (see ``data``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from procountor_export.export.reading.data import (
    AddressData,
    CustomerData,
    ExportConfig,
    InvoiceData,
    OfficeData,
    PostingData,
)
from procountor_export.store import export_settings
from procountor_export.store.models import (
    Customer,
    CustomerUpdates,
    ExportDefinition,
    Invoice,
    Office,
    ProfitCentre,
    VatRate,
)


def customer_data(customer: Customer) -> CustomerData:
    """The export's view of a stored customer."""
    address = AddressData.from_json(customer.address) or AddressData(name=customer.name)
    return CustomerData(
        code=customer.code,
        customer_no=customer.customer_no,
        sales_ledger_no=customer.sales_ledger_no,
        name=customer.name,
        address=address,
        invoice_address=AddressData.from_json(customer.invoice_address),
        corporate_id=customer.corporate_id,
        vat_number=customer.vat_number,
        email=customer.email,
        phone=customer.phone,
        language=customer.language or "fi",
        edi_code=customer.edi_code,
        ovt=customer.ovt,
        invoice_channel=customer.invoice_channel or "none",
        payment_terms_days=customer.payment_terms_days,
        penalty_interest=customer.penalty_interest,
    )


class VatRateData(NamedTuple):
    """What a posting takes from its VAT rate: the kind and the TMS's own legal note."""

    kind: str
    note: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None


VatRates = Mapping[str, tuple[VatRateData, ...]]
"""VAT code -> its versions, oldest first."""


def vat_rates(session: Session) -> dict[str, tuple[VatRateData, ...]]:
    """Every stored VAT rate by code, oldest version first (a small table, read once a run)."""
    found: dict[str, list[VatRateData]] = {}
    for rate in session.scalars(select(VatRate)):
        data = VatRateData(rate.kind or "domestic", rate.note, rate.valid_from, rate.valid_to)
        found.setdefault(rate.code, []).append(data)
    return {
        code: tuple(sorted(versions, key=lambda v: v.valid_from or dt.date.min))
        for code, versions in found.items()
    }


def vat_rate_on(rates: VatRates, code: str, day: dt.date) -> VatRateData | None:
    """The version of VAT code ``code`` valid on ``day`` (the invoice date, as the PDF copy
    takes it); else the latest that began by then, else the first; None for an unknown code."""
    versions = rates.get(code, ())
    for version in versions:
        if (version.valid_from or dt.date.min) <= day <= (version.valid_to or dt.date.max):
            return version
    begun = [v for v in versions if (v.valid_from or dt.date.min) <= day]
    if begun:
        return begun[-1]
    return versions[0] if versions else None


def invoice_data(
    invoice: Invoice, customer: CustomerData | None = None, rates: VatRates | None = None
) -> InvoiceData:
    """The export's view of a stored invoice (customer, postings and orders must be loaded).

    ``rates`` (from :func:`vat_rates`) give each posting its VAT kind and note; read from the
    invoice's session when not given.
    """
    if rates is None:
        session = object_session(invoice)
        rates = vat_rates(session) if session is not None else {}
    postings = tuple(
        PostingData(
            account=posting.account,
            vat_code=posting.vat_code,
            vat_rate=posting.vat_rate,
            net=posting.net,
            vat=posting.vat,
            units=tuple(
                sorted((str(k), str(v)) for k, v in (posting.profit_centres or {}).items())
            ),
            text=posting.text,
            vat_kind=rate.kind if rate else "domestic",
            vat_note=rate.note if rate else None,
        )
        for posting in invoice.postings
        for rate in (vat_rate_on(rates, posting.vat_code, invoice.date),)
    )
    pickups = [order.pickup_date for order in invoice.orders if order.pickup_date]
    deliveries = [order.delivery_date for order in invoice.orders if order.delivery_date]
    days = pickups + deliveries
    return InvoiceData(
        id=invoice.id,
        number=invoice.number,
        period_id=invoice.period_id,
        date=invoice.date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        customer=customer or customer_data(invoice.customer),
        postings=postings,
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total_gross=invoice.total_gross,
        type=invoice.type,
        credited_invoice=invoice.credited_invoice,
        currency_rate=invoice.currency_rate,
        our_reference=invoice.our_reference,
        your_reference=invoice.your_reference,
        order_reference=invoice.order_reference,
        reference=invoice.reference,
        penalty_interest=invoice.penalty_interest,
        text=invoice.text,
        delivery_start=min(days) if days else None,
        delivery_end=max(days) if days else None,
        content_hash=invoice.content_hash,
    )


def office_data(session: Session) -> OfficeData | None:
    """The seller, if a document has been imported."""
    office = session.scalars(select(Office).limit(1)).first()
    if office is None:
        return None
    return OfficeData(
        name=office.name,
        currency=office.currency,
        bank_account=office.bank_account,
        business_id=office.business_id,
        bic=office.bic,
        vat_number=office.vat_number,
    )


def export_config(session: Session, export: ExportDefinition) -> ExportConfig:
    """The export's view of an export definition, with the product group's configured name."""
    return ExportConfig(
        id=export.id,
        name=export.name,
        tax_codes={code.vat_code: code.status_code for code in export.tax_rate_codes},
        include_pdf=export.include_pdf,
        reduce_pdf=export.reduce_pdf,
        after_create=export.after_create,
        factoring_contract=export.factoring_contract or None,
        factoring_text=export.factoring_text or None,
        customer_updates=CustomerUpdates(
            export.customer_updates or CustomerUpdates.CREATE_AND_UPDATE
        ),
        product_group=export_settings.terminology(
            session, export_settings.PRODUCT_GROUP_TERM, export_settings.DEFAULT_PRODUCT_GROUP
        ),
    )


def unit_names(session: Session) -> dict[tuple[str, str], str]:
    """(profit centre name, unit code) -> unit name, used as dimension item descriptions."""
    names: dict[tuple[str, str], str] = {}
    for centre in session.scalars(select(ProfitCentre)):
        for unit in centre.units:
            names[(centre.name, unit.code)] = unit.name
    return names
