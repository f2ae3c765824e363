"""Sample TMS invoicing documents (``tms-invoicing/1``) for demos, tests and benchmarks.

:func:`generate_document` invents a year and a half of a Finnish haulier's invoicing for the
demo company: transport orders with consignment notes, dates, addresses, distances, weights and
priced lines (freight, fuel surcharge, waiting time, pallets, warehousing, now and then a
driver's accommodation or a passenger at the reduced VAT rate), credit notes that credit an
order of an earlier invoice, and the account coding (postings) the TMS derives from the lines.

Promises, for any ``invoices`` and ``seed``:

- The same arguments give the same document; another seed gives other invoices (the master
  data - office, customers, profit centres, VAT codes, periods, export settings - is fixed).
- Every amount is a decimal string. Line amounts are exactly ``quantity * unit_price``; an
  invoice's lines add up to its postings per VAT code; a posting's VAT is its net times the
  rate, rounded half up to the cent; the totals are exactly the sums of the postings.
- Every clean invoice is dated in an open tracking period of the demo company (2025-02 to
  2026-11); the problem cases of ``with_problems`` (see ``samples.problems``) are the only
  exceptions on purpose.

``market`` (``fi``, the default, ``se``, ``no`` or ``dk``) chooses whose invoicing: another
market's document is its own company's, in its currency, VAT rates, references and identifiers
(:mod:`.markets`); the problem cases are the Finnish document's only.

Generation works in integer cents, so 50,000 invoices take a few seconds;
:func:`write_document` streams the JSON so that the CLI's memory stays flat whatever the count.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, TextIO

from procountor_export.samples import data
from procountor_export.samples.customers import CUSTOMERS
from procountor_export.samples.invoices import MONTHS, InvoiceGenerator, last_day
from procountor_export.samples.market_invoices import (
    market_export_settings,
    market_head,
    market_invoices,
)
from procountor_export.samples.markets import MARKETS
from procountor_export.samples.problems import (
    PROBLEM_CASES,
    PROBLEM_PERIODS,
    PROBLEM_PROFIT_CENTRE,
    PROBLEM_VAT_RATE,
    ProblemCase,
    problem_customers,
    problem_invoices,
)

__all__ = [
    "MARKETS",
    "MAX_INVOICES",
    "MONTHS",
    "PROBLEM_CASES",
    "ProblemCase",
    "generate_document",
    "iter_invoices",
    "periods",
    "write_document",
]

SCHEMA = "tms-invoicing/1"
MAX_INVOICES = 800_000  # keeps the clean numbers (100001 up) below the problem cases' 990000s


def periods() -> list[dict[str, Any]]:
    """One period per invoicing month; each closed two days after it ends, but the last."""
    made = []
    for index, (year, month) in enumerate(MONTHS):
        end = last_day(year, month)
        closed = None if index == len(MONTHS) - 1 else f"{end + timedelta(days=2)}T16:00:00"
        made.append(
            {
                "id": f"{year}-{month:02d}",
                "from": f"{year}-{month:02d}-01",
                "to": end.isoformat(),
                "closed_at": closed,
            }
        )
    return made


def _check_market(market: str, with_problems: bool) -> str:
    code = market.strip().lower()
    if code not in MARKETS:
        raise ValueError(f"unknown market {market!r}: expected one of {', '.join(MARKETS)}")
    if with_problems and code != "fi":
        raise ValueError("the problem cases are the Finnish document's only (market fi)")
    return code


def _settings(market: str) -> dict[str, Any]:
    return data.export_settings() if market == "fi" else market_export_settings(market)


def _head(with_problems: bool, market: str = "fi") -> dict[str, Any]:
    """The document without its invoices and export settings (a fresh deep copy each call)."""
    if market != "fi":
        copied_market: dict[str, Any] = json.loads(
            json.dumps({"schema": SCHEMA, **market_head(market, periods())})
        )
        return copied_market
    profit_centres = list(data.PROFIT_CENTRES)
    vat_rates = list(data.VAT_RATES)
    customers = [customer.record for customer in CUSTOMERS]
    all_periods = periods()
    if with_problems:
        profit_centres.append(PROBLEM_PROFIT_CENTRE)
        vat_rates.append(PROBLEM_VAT_RATE)
        customers += problem_customers()
        all_periods = PROBLEM_PERIODS + all_periods
    head = {
        "schema": SCHEMA,
        "office": data.OFFICE,
        "profit_centres": profit_centres,
        "vat_rates": vat_rates,
        "customers": customers,
        "periods": all_periods,
    }
    # Why a copy: callers may edit the document; the module's master data must not change.
    copied: dict[str, Any] = json.loads(json.dumps(head))
    return copied


def generate_document(
    invoices: int, seed: int = 1, with_problems: bool = False, market: str = "fi"
) -> dict[str, Any]:
    """A whole ``tms-invoicing/1`` document with ``invoices`` clean invoices (see module doc).

    ``with_problems`` adds one invoice per entry of :data:`PROBLEM_CASES`, with the customers,
    periods, profit centre and VAT code they need declared, so that the import accepts them.
    ``market``: whose invoicing (``fi``, ``se``, ``no``, ``dk``; see the module docstring).
    """
    market = _check_market(market, with_problems)
    document = _head(with_problems, market)
    # Why: the document is hundreds of thousands of small acyclic containers; the cyclic
    # garbage collector would rescan them over and over while they are built (~30 % of the time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        document["invoices"] = list(iter_invoices(invoices, seed, with_problems, market))
    finally:
        if was_enabled:
            gc.enable()
    document["export_settings"] = _settings(market)
    return document


def write_document(
    stream: TextIO, invoices: int, seed: int = 1, with_problems: bool = False, market: str = "fi"
) -> None:
    """Write the document of :func:`generate_document` as compact JSON, invoice by invoice.

    The text equals ``json.dumps(generate_document(...), separators=(",", ":"),
    ensure_ascii=False)``, but only one batch of invoices is in memory at a time.
    """

    def dumps(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    market = _check_market(market, with_problems)
    head = _head(with_problems, market)
    stream.write("{" + ",".join(f"{dumps(key)}:{dumps(value)}" for key, value in head.items()))
    stream.write(',"invoices":[')
    batch: list[str] = []
    first = True
    for invoice in iter_invoices(invoices, seed, with_problems, market):
        batch.append(dumps(invoice))
        if len(batch) == 500:
            stream.write(("" if first else ",") + ",".join(batch))
            batch, first = [], False
    if batch:
        stream.write(("" if first else ",") + ",".join(batch))
    stream.write('],"export_settings":' + dumps(_settings(market)) + "}")


def iter_invoices(
    invoices: int, seed: int = 1, with_problems: bool = False, market: str = "fi"
) -> Iterator[dict[str, Any]]:
    """The invoices of :func:`generate_document`, one at a time, in date and number order."""
    if not 0 <= invoices <= MAX_INVOICES:
        raise ValueError(f"invoices must be between 0 and {MAX_INVOICES}, not {invoices}")
    market = _check_market(market, with_problems)
    if market != "fi":
        yield from market_invoices(market, invoices, seed)
        return
    yield from InvoiceGenerator(seed).invoices(invoices)
    if with_problems:
        yield from problem_invoices()
