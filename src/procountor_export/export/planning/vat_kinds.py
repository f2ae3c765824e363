"""VAT kinds that do what they say (pure): what each kind needs before sending, and its notes.

A TMS VAT rate has a kind (``domestic``, ``eu_goods``, ``eu_services``, ``export``,
``reverse_charge``, ``exempt``). Before an invoice is sent:

- the Procountor VAT status its VAT code is mapped to must fit the kind. Procountor's VAT
  statuses are company settings; the ones whose meaning is known are the defaults every
  company starts with (``GET /vats/default``): 1 domestic sales, 3 sales outside the EU, 5 EU
  sales of goods, 6 EU sales of services, 12 no VAT handling. A status among them that
  contradicts the kind is an error; a status the company added itself is left to the
  accountant (its meaning is only in its description);
- an intra-Community sale (``eu_goods``, ``eu_services``) needs the buyer's VAT number of
  another member state (it goes to Procountor as ``counterParty.taxCode``);
- a domestic reverse charge needs the buyer's business ID (``counterParty.identifier``);
- a VAT rate's own note must be Windows-1252 text like every other text sent.

Every kind but ``domestic`` then prints its legal note (:mod:`procountor_export.vat_notes`) in
the invoice's additional information, one line per distinct note, in the customer's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from procountor_export import vat_notes
from procountor_export.export import messages as m
from procountor_export.export.planning import identifiers, markets
from procountor_export.export.planning.text import unencodable
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig, InvoiceData

ProblemFactory = Callable[..., Problem]

STATUS_MEANINGS: dict[int, str] = {
    1: "domestic sales",
    3: "sales outside the EU",
    5: "EU sales of goods",
    6: "EU sales of services",
    12: "no VAT handling",
}
"""Procountor's default sales VAT statuses and what they report (the emulator's seed too)."""

FITTING_STATUSES: dict[str, frozenset[int]] = {
    "domestic": frozenset({1}),
    "eu_goods": frozenset({5}),
    "eu_services": frozenset({6}),
    "export": frozenset({3}),
    # Procountor has no default status for it: the company's own (e.g. construction services).
    "reverse_charge": frozenset(),
    # A sale the VAT Act exempts: domestic sales at 0 %, or outside VAT handling altogether.
    "exempt": frozenset({1, 12}),
}
"""Kind -> the default statuses that fit it; the other default statuses contradict it."""

NEEDS: dict[str, str] = {
    "domestic": "vat_1 (domestic sales)",
    "eu_goods": "vat_5 (EU sales of goods)",
    "eu_services": "vat_6 (EU sales of services)",
    "export": "vat_3 (sales outside the EU)",
    "reverse_charge": "the company's VAT status for domestic reverse-charge sales "
    "(e.g. sales of construction services)",
    "exempt": "vat_1 (domestic sales) or vat_12 (no VAT handling)",
}
"""Kind -> the status a sale of that kind needs, as the message names it."""

KIND_NAMES: dict[str, str] = {
    "domestic": "domestic sale",
    "eu_goods": "intra-Community supply of goods",
    "eu_services": "service to a business in another EU country",
    "export": "sale outside the EU",
    "reverse_charge": "domestic reverse charge",
    "exempt": "VAT-exempt sale",
}
EU_KINDS = ("eu_goods", "eu_services")


def kind_label(kind: str) -> str:
    """``eu_services (service to a business in another EU country)``: the code and its meaning."""
    name = KIND_NAMES.get(kind)
    return f"{kind} ({name})" if name else kind


def kind_problems(
    invoice: InvoiceData,
    export: ExportConfig,
    snapshot: CompanyCache,
    problem: ProblemFactory,
) -> Iterator[Problem]:
    """What the VAT kinds of ``invoice``'s postings need and do not have (each once)."""
    seen: set[str] = set()
    first_of_kind: dict[str, str] = {}  # kind -> its first VAT code on the invoice
    for index, posting in enumerate(invoice.postings):
        kind = posting.vat_kind
        first_of_kind.setdefault(kind, posting.vat_code)
        if posting.vat_code in seen:
            continue
        seen.add(posting.vat_code)
        status = export.vat_status(posting.vat_code)
        # An unmapped or disabled status is reported by the checks of the VAT codes.
        if status is not None and status in snapshot.vat_statuses:
            meaning = STATUS_MEANINGS.get(status)
            fitting = FITTING_STATUSES.get(kind)
            if meaning is not None and fitting is not None and status not in fitting:
                if kind == "domestic":
                    # No kind is "domestic": a document from before kinds existed maps its 0 %
                    # EU or export rate to the fitting status without saying the kind. That
                    # status is right for the VAT return, so the invoice goes, with a warning
                    # that its legal note is missing until the TMS gives the kind.
                    yield problem(
                        m.VAT_KIND_MISSING,
                        posting.vat_code,
                        status,
                        meaning,
                        field=f"postings[{index}].vat_code",
                    )
                    continue
                yield problem(
                    m.VAT_KIND_STATUS,
                    posting.vat_code,
                    kind_label(kind),
                    status,
                    meaning,
                    NEEDS[kind],
                    field=f"postings[{index}].vat_code",
                )
        bad = unencodable(posting.vat_note)
        if bad:
            yield problem(
                m.TEXT_ENCODING,
                f"legal note of VAT code {posting.vat_code}",
                bad,
                field="vat_rates.note",
            )
    yield from _customer_problems(invoice, first_of_kind, problem, snapshot.market)


def _customer_problems(
    invoice: InvoiceData, first_of_kind: dict[str, str], problem: ProblemFactory, market: str
) -> Iterator[Problem]:
    customer = invoice.customer
    name = f"{customer.name} (customer code: {customer.code})"
    eu_kinds = [kind for kind in first_of_kind if kind in EU_KINDS]
    vat_number = (customer.vat_number or "").strip()
    if eu_kinds and not vat_number:
        kind = eu_kinds[0]
        yield problem(
            m.VAT_NUMBER_REQUIRED,
            name,
            first_of_kind[kind],
            kind_label(kind),
            field="customer.vat_number",
        )
    elif eu_kinds and identifiers.vat_number_problem(vat_number) is None:
        # Wrong check digits are reported as an invalid VAT number, whatever the sale.
        for kind in eu_kinds:
            reason = identifiers.eu_buyer_vat_number_problem(
                vat_number, goods=kind == "eu_goods", market=market
            )
            if reason:
                yield problem(
                    m.VAT_NUMBER_NOT_EU,
                    name,
                    customer.vat_number,
                    first_of_kind[kind],
                    kind_label(kind),
                    reason,
                    field="customer.vat_number",
                )
                break
    if "reverse_charge" in first_of_kind and not (customer.corporate_id or "").strip():
        yield problem(
            m.BUSINESS_ID_REQUIRED,
            name,
            first_of_kind["reverse_charge"],
            kind_label("reverse_charge"),
            field="customer.corporate_id",
        )


def legal_notes(invoice: InvoiceData, market: str = markets.FINLAND) -> list[str]:
    """The legal notes of the invoice's VAT kinds, in the customer's language, each once; a
    company outside Finland (``market``) cites the VAT Directive, never the Finnish VAT Act."""
    notes: list[str] = []
    finnish = markets.is_finnish(market)
    for posting in invoice.postings:
        note = vat_notes.legal_note(
            posting.vat_kind, invoice.customer.language, posting.vat_note, finnish_seller=finnish
        )
        if note and note not in notes:
            notes.append(note)
    return notes
