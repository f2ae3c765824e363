"""Pre-flight checks of an invoice's payment terms (pure): its payment reference and its
penalty interest, each reported with the invoice, the field and the value.

A reference with a wrong check digit would be refused by Procountor (400) after the customer
was created; worse, a reference that reached the customer on the TMS's invoice but not
Procountor could not be matched to the payment. Procountor takes a penalty interest of 0 to
100 % (``Invoice.penaltyPercent``, procountor-api.md §7.13).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from procountor_export.export import messages as m
from procountor_export.export.planning import markets, references
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import InvoiceData

ProblemFactory = Callable[..., Problem]
PENALTY_MIN = Decimal(0)
PENALTY_MAX = Decimal(100)


def payment_problems(
    invoice: InvoiceData, market: str, problem: ProblemFactory
) -> Iterator[Problem]:
    """The problems of the invoice's reference and penalty interest (none when both are fine
    or absent). ``market`` is the Procountor company's (:mod:`.markets`): it decides which
    references it takes. A Finnish company's message is the one it always was; another
    market's names the formats that market takes."""
    if invoice.reference is not None and invoice.reference.strip():
        formats = references.market_for(market)
        try:
            references.parse(invoice.reference, formats)
        except references.InvalidReference as error:
            if markets.is_finnish(market):
                yield problem(
                    m.REFERENCE_INVALID, invoice.reference, invoice.number, error, field="reference"
                )
            else:
                yield problem(
                    m.MARKET_REFERENCE_INVALID,
                    invoice.reference,
                    invoice.number,
                    formats.names,
                    markets.NAMES[market],
                    error,
                    field="reference",
                )
    percent = invoice.penalty_percent
    if percent is not None and not PENALTY_MIN <= percent <= PENALTY_MAX:
        if invoice.penalty_interest is not None:
            whose, field = f"invoice {invoice.number}", "penalty_interest"
        else:
            whose = f"customer {invoice.customer.code}"
            field = "customer.penalty_interest"
        yield problem(m.PENALTY_INTEREST_INVALID, format(percent, "f"), whose, field=field)
