"""A made-up but realistic invoice of any size, for tests, the benchmark and a quick look.

Deterministic: the same arguments give the same values (and so the same PDF bytes).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from procountor_export.pdf.model import (
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

_PLACES = (
    Address("Acme Oy", street="Tehtaankatu 5", zip="33100", city="Tampere", country="FI"),
    Address("Beta Ab", street="Linnankatu 12", zip="20100", city="Turku", country="FI"),
    Address("Gamma Logistics", street="Satamatie 8", zip="90100", city="Oulu", country="FI"),
    Address("Delta Trading Oy", street="Kauppakatu 3", zip="40100", city="Jyväskylä", country="FI"),
    Address("Epsilon AB", street="Hamngatan 4", zip="11147", city="Stockholm", country="SE"),
)
_VAT = Decimal("25.5")
_CENT = Decimal("0.01")


def _order(index: int, start: dt.date, sign: int) -> Order:
    """Order ``index``: a freight line, a fuel surcharge and, on every third, waiting time."""
    sender = _PLACES[index % len(_PLACES)]
    recipient = _PLACES[(index + 2) % len(_PLACES)]
    distance = Decimal(80 + (index * 37) % 400)
    pickup = start + dt.timedelta(days=index % 27)
    freight = (distance * Decimal("1.85")).quantize(_CENT) * sign
    lines = [
        OrderLine(
            f"Rahti {sender.city} – {recipient.city}",
            Decimal(1),
            "pcs",
            freight,
            freight,
            _VAT,
        ),
        OrderLine(
            "Polttoainelisä",
            distance,
            "km",
            Decimal("0.12"),
            (distance * Decimal("0.12")).quantize(_CENT) * sign,
            _VAT,
        ),
    ]
    if index % 3 == 0:
        lines.append(
            OrderLine("Odotusaika", Decimal("1.5"), "h", Decimal(62), Decimal(93) * sign, _VAT)
        )
    return Order(
        order_no=f"A-{10001 + index}",
        consignment_note=f"CN-{880000 + index * 7}",
        pickup_date=pickup,
        delivery_date=pickup + dt.timedelta(days=1),
        sender=sender,
        recipient=recipient,
        distance_km=distance,
        weight_kg=Decimal(500 + (index * 131) % 9000),
        volume_m3=Decimal(3 + index % 40) / 2,
        pallets=Decimal(1 + index % 33),
        lines=tuple(lines),
    )


def sample_invoice(
    orders: int = 20,
    *,
    language: Language = Language.FI,
    credit: bool = False,
    procountor_number: str | None = "10234",
    bank_reference: str | None = "2500013",
) -> PdfInvoice:
    """An invoice (or with ``credit`` a credit note of invoice 250001) with ``orders`` orders."""
    start = dt.date(2025, 3, 1)
    sign = -1 if credit else 1
    order_values = tuple(_order(index, start, sign) for index in range(orders))
    net = sum((line.amount for order in order_values for line in order.lines), Decimal(0))
    vat = (net * _VAT / 100).quantize(_CENT)
    pickups = [order.pickup_date for order in order_values if order.pickup_date]
    deliveries = [order.delivery_date for order in order_values if order.delivery_date]
    return PdfInvoice(
        seller=Seller(
            name="Kuljetus Esimerkki Oy",
            address=Address(
                "Kuljetus Esimerkki Oy", street="Satamatie 1", zip="00980", city="Helsinki"
            ),
            business_id="1234567-8",
            vat_number="FI12345678",
            phone="+358 9 123 4567",
            email="laskutus@kuljetus.example",
        ),
        buyer=Buyer(
            name="Acme Oy",
            address=Address(
                "Acme Oy", street="Tehtaankatu 5", zip="33100", city="Tampere", country="FI"
            ),
            customer_no="20001",
            business_id="7654321-0",
            vat_number="FI76543210",
        ),
        invoice_address=Address(
            "Acme Oy", specifier="Ostolaskut", street="PL 100", zip="00021", city="Laskutus"
        ),
        header=InvoiceHeader(
            number="250101" if credit else "250001",
            date=dt.date(2025, 3, 31),
            due_date=dt.date(2025, 4, 14),
            currency="EUR",
            is_credit=credit,
            credited_invoice="250001" if credit else None,
            delivery_from=min(pickups, default=None),
            delivery_to=max(deliveries, default=None),
            your_reference="Matti Meikäläinen",
            our_reference="Laskutus / HEL",
            order_reference="PO-7781",
            text="Kiitos tilauksestanne.",
            procountor_number=procountor_number,
            bank_reference=bank_reference,
        ),
        orders=order_values,
        vat_breakdown=(VatLine(_VAT, net, vat),),
        totals=Totals(net, vat, net + vat),
        payment=PaymentDetails(
            due_date=dt.date(2025, 4, 14),
            iban="FI2112345600000785",
            bic="NDEAFIHH",
            reference=bank_reference,
        ),
        language=language,
    )
