"""The PDF copy's values read from the store: one TMS invoice as a :class:`PdfInvoice`.

The renderer (:mod:`procountor_export.pdf`) takes plain values; this module is the one place
that turns the stored invoice, its customer, orders, postings and the office into them. It
only reads: no flush, no write, so it can run inside any session, read-only ones included.

Where the stored invoice does not say something directly:

- The delivery period runs from the earliest to the latest pickup or delivery date of its
  orders; an invoice without order dates has none.
- A line's VAT rate comes from the invoice's postings with the same VAT code; failing that,
  from the TMS VAT rate valid on the invoice date.
- The VAT breakdown sums the postings per rate (the account coding is what Procountor gets).
- The reference is the one Procountor holds when it is known, else the one the TMS printed.
- The legal VAT notes come from the kinds (and ``note`` texts) of the postings' VAT codes valid
  on the invoice date, one line each, in the customer's language: the same notes the invoice in
  Procountor carries.
- The penalty interest is the invoice's, else the customer's.
- The seller's market (the locale of a Swedish copy, the name of the payment reference: OCR,
  KID) is the office address's country, else the market its currency names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from procountor_export.export.planning.markets import is_finnish, market_of
from procountor_export.export.reading.source import vat_rate_on, vat_rates
from procountor_export.pdf import (
    Address,
    Buyer,
    InvoiceHeader,
    Language,
    Order,
    OrderLine,
    PaymentDetails,
    PdfInvoice,
    Seller,
    Totals,
    VatLine,
)
from procountor_export.store import models as db
from procountor_export.vat_notes import legal_note


class UnknownInvoice(LookupError):
    """The store has no invoice with this id or number."""

    def __init__(self, invoice: int | str) -> None:
        self.invoice = invoice
        super().__init__(f"Invoice {invoice} is not in the store")


def pdf_invoice(
    session: Session,
    invoice_id: int,
    *,
    procountor_number: int | str | None = None,
    bank_reference: str | None = None,
) -> PdfInvoice:
    """The PDF copy's values of the stored invoice ``invoice_id`` (the store's own id).

    ``procountor_number`` and ``bank_reference`` are printed when given (known once Procountor
    created the invoice). Raises :class:`UnknownInvoice` when there is no such invoice.
    """
    invoice = _load(session, db.Invoice.id == invoice_id)
    if invoice is None:
        raise UnknownInvoice(invoice_id)
    return _build(session, invoice, procountor_number, bank_reference)


def pdf_invoice_by_number(
    session: Session,
    number: str,
    *,
    procountor_number: int | str | None = None,
    bank_reference: str | None = None,
) -> PdfInvoice:
    """As :func:`pdf_invoice`, for the invoice with the TMS invoice number ``number``."""
    invoice = _load(session, db.Invoice.number == number)
    if invoice is None:
        raise UnknownInvoice(number)
    return _build(session, invoice, procountor_number, bank_reference)


def exported_procountor_number(session: Session, number: str) -> int | None:
    """The Procountor invoice number an export recorded for TMS invoice ``number``, if any."""
    numbers = session.scalars(
        select(db.JournalEntry.procountor_invoice_number)
        .join(db.Invoice, db.Invoice.id == db.JournalEntry.invoice_id)
        .where(
            db.Invoice.number == number,
            db.JournalEntry.procountor_invoice_number.is_not(None),
        )
        .order_by(db.JournalEntry.updated_at.desc())
        .limit(1)
    )
    return numbers.first()


def file_name(invoice: PdfInvoice) -> str:
    """A safe ASCII file name for the copy: ``invoice-250001.pdf``, ``credit-note-250101.pdf``."""
    kind = "credit-note" if invoice.header.is_credit else "invoice"
    number = re.sub(r"[^A-Za-z0-9._-]+", "_", invoice.header.number).strip("._") or "unnamed"
    return f"{kind}-{number}.pdf"


# --- building the values ------------------------------------------------------------------------


def _load(session: Session, condition: Any) -> db.Invoice | None:
    """The invoice with everything the copy prints, loaded in a few queries."""
    query = (
        select(db.Invoice)
        .where(condition)
        .options(
            joinedload(db.Invoice.customer),
            selectinload(db.Invoice.postings),
            selectinload(db.Invoice.orders).selectinload(db.Order.lines),
        )
    )
    return session.scalars(query).first()


def _build(
    session: Session,
    invoice: db.Invoice,
    procountor_number: int | str | None,
    bank_reference: str | None,
) -> PdfInvoice:
    office = session.scalars(select(db.Office).limit(1)).first()
    rates = _line_rates(session, invoice)
    customer = invoice.customer
    buyer_address = _address(customer.address) or Address(customer.name)
    billing = _address(customer.invoice_address)
    start, end = _delivery_period(invoice)
    reference = bank_reference or invoice.reference or None
    penalty = (
        invoice.penalty_interest
        if invoice.penalty_interest is not None
        else customer.penalty_interest
    )
    return PdfInvoice(
        seller=_seller(office),
        buyer=Buyer(
            name=customer.name,
            address=buyer_address,
            customer_no=customer.sales_ledger_no or customer.customer_no,
            business_id=customer.corporate_id,
            vat_number=customer.vat_number,
        ),
        invoice_address=billing if billing != buyer_address else None,
        header=InvoiceHeader(
            number=invoice.number,
            date=invoice.date,
            due_date=invoice.due_date,
            currency=invoice.currency,
            is_credit=invoice.type == "credit",
            credited_invoice=invoice.credited_invoice,
            delivery_from=start,
            delivery_to=end,
            your_reference=invoice.your_reference,
            our_reference=invoice.our_reference,
            order_reference=invoice.order_reference,
            text=invoice.text,
            procountor_number=None if procountor_number is None else str(procountor_number),
            bank_reference=reference,
        ),
        orders=tuple(_order(order, rates) for order in invoice.orders),
        vat_breakdown=_vat_breakdown(invoice.postings),
        totals=Totals(invoice.total_net, invoice.total_vat, invoice.total_gross),
        payment=PaymentDetails(
            due_date=invoice.due_date,
            iban=office.bank_account if office else None,
            bic=office.bic if office else None,
            reference=reference,
            terms_days=customer.payment_terms_days,
            penalty_interest=penalty,
        ),
        language=Language.of(customer.language),
        legal_notes=_legal_notes(
            session, invoice, finnish_seller=office is None or is_finnish(_market(office))
        ),
    )


def _address(value: Mapping[str, Any] | None) -> Address | None:
    """An address from its stored JSON form (``None`` stays ``None``)."""
    if not value:
        return None

    def part(key: str) -> str | None:
        item = value.get(key)
        return str(item) if item not in (None, "") else None

    return Address(
        name=part("name") or "",
        specifier=part("specifier"),
        street=part("street"),
        zip=part("zip"),
        city=part("city"),
        country=part("country"),
    )


def _seller(office: db.Office | None) -> Seller:
    """The office as the seller; a nameless seller when no document was imported yet."""
    if office is None:
        return Seller(name="")
    return Seller(
        name=office.name,
        address=_address(office.address),
        business_id=office.business_id,
        vat_number=office.vat_number,
        phone=office.phone,
        email=office.email,
        country=_market(office),
    )


def _market(office: db.Office) -> str:
    """The office's market: its address's country when that is a Procountor market, else the
    one its currency names (SEK: Sweden …), else Finland (:func:`market_of`)."""
    address = office.address or {}
    return market_of(str(address.get("country") or ""), office.currency)


def _delivery_period(invoice: db.Invoice) -> tuple[dt.date | None, dt.date | None]:
    """The first to the last pickup or delivery date of the orders (none without dates).

    The same span the export sends Procountor as the invoice's delivery dates, so the copy and
    the invoice agree.
    """
    days = [
        day for order in invoice.orders for day in (order.pickup_date, order.delivery_date) if day
    ]
    return (min(days), max(days)) if days else (None, None)


def _line_rates(session: Session, invoice: db.Invoice) -> dict[str, Decimal]:
    """VAT code -> rate for the codes on the invoice's lines (postings first, then VAT rates)."""
    rates = {posting.vat_code: posting.vat_rate for posting in invoice.postings}
    missing = {
        line.vat_code
        for order in invoice.orders
        for line in order.lines
        if line.vat_code and line.vat_code not in rates
    }
    if missing:
        for vat_rate in session.scalars(
            select(db.VatRate).where(db.VatRate.code.in_(missing)).order_by(db.VatRate.valid_from)
        ):
            valid_from = vat_rate.valid_from or dt.date.min
            valid_to = vat_rate.valid_to or dt.date.max
            if valid_from <= invoice.date <= valid_to:
                rates[vat_rate.code] = vat_rate.rate
    return rates


def _legal_notes(session: Session, invoice: db.Invoice, *, finnish_seller: bool) -> tuple[str, ...]:
    """The distinct legal notes of the postings' VAT codes, in the customer's language."""
    codes = list(dict.fromkeys(posting.vat_code for posting in invoice.postings))
    if not codes:
        return ()
    # The export's own choice of each code's version (vat_rate_on), so the copy prints exactly
    # the notes the invoice in Procountor carries.
    rates = vat_rates(session)
    language = Language.of(invoice.customer.language).value  # "no" is Norwegian: nb
    notes = (
        legal_note(version.kind, language, version.note, finnish_seller=finnish_seller)
        for code in codes
        if (version := vat_rate_on(rates, code, invoice.date)) is not None
    )
    return tuple(dict.fromkeys(note for note in notes if note))


def _order(order: db.Order, rates: Mapping[str, Decimal]) -> Order:
    return Order(
        order_no=order.order_no,
        consignment_note=order.consignment_note,
        pickup_date=order.pickup_date,
        delivery_date=order.delivery_date,
        sender=_address(order.sender),
        recipient=_address(order.recipient),
        distance_km=order.distance_km,
        weight_kg=order.weight_kg,
        volume_m3=order.volume_m3,
        pallets=order.pallets,
        lines=tuple(
            OrderLine(
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                amount=line.amount,
                vat_rate=rates.get(line.vat_code) if line.vat_code else None,
            )
            for line in order.lines
        ),
    )


def _vat_breakdown(postings: Iterable[db.Posting]) -> tuple[VatLine, ...]:
    """Net and VAT summed per rate, highest rate first."""
    sums: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for posting in postings:
        net, vat = sums.get(posting.vat_rate, (Decimal(0), Decimal(0)))
        sums[posting.vat_rate] = (net + posting.net, vat + posting.vat)
    return tuple(
        VatLine(rate=rate, net=net, vat=vat)
        for rate, (net, vat) in sorted(sums.items(), key=lambda item: item[0], reverse=True)
    )
