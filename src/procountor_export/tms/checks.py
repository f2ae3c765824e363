"""Cross-checks of a validated document: references, duplicates, sums, meaning (pure functions).

Pydantic checks each object on its own (formats, ISO codes); these checks look across objects
and at what the store already holds, and at what the values mean: each posting's VAT is its net
at its rate, an invoice is dated in its period, only a credit note totals less than zero, a
currency was in use on the invoice's date. Every problem is recorded in the report with its
JSON path; none stops the checking, so the TMS operator sees every mistake in one go.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, get_args

from pydantic import BaseModel

from procountor_export.store.secrets import SecretBox
from procountor_export.tms import codes as iso
from procountor_export.tms import document as doc
from procountor_export.tms.header import Sections
from procountor_export.tms.report import DocumentProblem, ImportReport, json_path

TOLERANCE = Decimal("0.01")
CENT = Decimal("0.01")
_STATUS_CODE = re.compile(r"vat_\d+")


@dataclass
class Known:
    """Keys an invoice or setting may refer to: the document's together with the store's."""

    customers: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)
    vat_codes: set[str] = field(default_factory=set)
    units: dict[str, set[str]] = field(default_factory=dict)  # profit centre -> unit codes
    exports: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    # Period id -> (first day, last day), where known (an invalid period's dates are not).
    period_dates: dict[str, tuple[date, date]] = field(default_factory=dict)

    def include(self, header: Sections) -> None:
        """Add the keys the document defines (valid items and the keys of invalid ones)."""
        self.customers |= {c.code for _, c in header.customers} | header.raw_customers
        self.periods |= {p.id for _, p in header.periods} | header.raw_periods
        for period_id in header.raw_periods:
            self.period_dates.pop(period_id, None)
        self.period_dates.update((p.id, (p.date_from, p.date_to)) for _, p in header.periods)
        self.vat_codes |= {v.code for _, v in header.vat_rates} | header.raw_vat_codes
        for _, centre in header.profit_centres:
            self.units.setdefault(centre.name, set()).update(u.code for u in centre.units)
        for name, codes in header.raw_units.items():
            self.units.setdefault(name, set()).update(codes)
        self.exports |= {export.name for _, export in header.exports}
        self.groups |= {group.name for _, group in header.groups}
        self.exports |= header.raw_exports
        self.groups |= header.raw_groups


def report_duplicates(
    report: ImportReport, items: Iterable[tuple[str, Hashable, str]], what: str
) -> None:
    """Report each ``(path, key, shown)`` whose key was seen before under another path."""
    first: dict[Hashable, str] = {}
    for path, key, shown in items:
        if key in first:
            report.error(path, f"duplicate {what} {shown} (also at {first[key]})")
        else:
            first[key] = path


def check_header(
    header: Sections, known: Known, box: SecretBox | None, report: ImportReport
) -> None:
    """Duplicates, date ranges, the office's currency and the export settings' references."""
    office = header.office
    if office is not None and not iso.currency_in_use(office.currency):
        report.error(
            "office.currency",
            f'"{office.currency}" is no longer legal tender ({iso.currency_use(office.currency)})'
            ": give the company's currency (the currency of its books)",
        )
    report_duplicates(
        report,
        ((f"customers[{i}].code", c.code, f'"{c.code}"') for i, c in header.customers),
        "customer code",
    )
    report_duplicates(
        report,
        ((f"profit_centres[{i}].name", c.name, f'"{c.name}"') for i, c in header.profit_centres),
        "profit centre",
    )
    for i, centre in header.profit_centres:
        report_duplicates(
            report,
            (
                (f"profit_centres[{i}].units[{j}].code", u.code, f'"{u.code}"')
                for j, u in enumerate(centre.units)
            ),
            f'unit code in profit centre "{centre.name}"',
        )
    report_duplicates(
        report,
        (
            (f"vat_rates[{i}].code", (v.code, v.valid_from), _vat_key(v))
            for i, v in header.vat_rates
        ),
        "VAT rate",
    )
    report_duplicates(
        report,
        ((f"periods[{i}].id", p.id, f'"{p.id}"') for i, p in header.periods),
        "period id",
    )
    for i, period in header.periods:
        if period.date_to < period.date_from:
            report.error(f"periods[{i}].to", "ends before it begins (from)")
    for i, rate in header.vat_rates:
        if rate.valid_from and rate.valid_to and rate.valid_to < rate.valid_from:
            report.error(f"vat_rates[{i}].valid_to", "is before valid_from")
    for i, customer in header.customers:
        if customer.export_setting is not None and customer.export_setting not in known.groups:
            report.warn(
                f"customers[{i}].export_setting",
                f'unknown invoice export setting "{customer.export_setting}": '
                "define it under export_settings.groups before exporting",
            )
    _check_export_settings(header, known, box, report)


def _vat_key(rate: doc.VatRate) -> str:
    since = rate.valid_from.isoformat() if rate.valid_from else "always"
    return f'"{rate.code}" valid from {since}'


def _check_export_settings(
    header: Sections, known: Known, box: SecretBox | None, report: ImportReport
) -> None:
    base = "export_settings"
    report_duplicates(
        report,
        ((f"{base}.exports[{i}].name", e.name, f'"{e.name}"') for i, e in header.exports),
        "export name",
    )
    report_duplicates(
        report,
        ((f"{base}.groups[{i}].name", g.name, f'"{g.name}"') for i, g in header.groups),
        "export setting name",
    )
    for i, export in header.exports:
        path = f"{base}.exports[{i}]"
        if isinstance(export.password, str) and box is None:
            report.error(
                f"{path}.password",
                "an API key cannot be stored without the secret key: run 'procountor-export "
                'init\' or set PROCOUNTOR_EXPORT_SECRET_KEY (or give {"env": "VARIABLE"})',
            )
        for code, status in export.codes.tax_rates.items():
            where = json_path(f"{path}.codes.tax_rates", [code])
            if not _STATUS_CODE.fullmatch(status):
                report.error(where, f'must be a VAT status code like "vat_1", not "{status}"')
            if code not in known.vat_codes:
                report.warn(where, f'unknown VAT code "{code}"')
    defaults = [i for i, g in header.groups if g.default]
    for i in defaults[1:]:
        report.error(f"{base}.groups[{i}].default", "only one export setting can be the default")
    for i, group in header.groups:
        for j, name in enumerate(group.exports):
            if name not in known.exports:
                report.error(f"{base}.groups[{i}].exports[{j}]", f'unknown export "{name}"')


def check_invoice(path: str, invoice: doc.Invoice, known: Known, report: ImportReport) -> None:
    """References to customers, periods, VAT codes and units; postings against totals; what
    the values mean (see :func:`_check_meaning`)."""
    _check_references(
        path,
        invoice.customer,
        invoice.period,
        [(p.vat_code, p.profit_centres) for p in invoice.postings],
        [[line.vat_code for line in order.lines] for order in invoice.orders],
        known,
        report,
    )
    net = sum((posting.net for posting in invoice.postings), Decimal(0))
    vat = sum((posting.vat for posting in invoice.postings), Decimal(0))
    totals = invoice.totals
    if abs(net - totals.net) > TOLERANCE:
        report.error(f"{path}.totals.net", f"is {totals.net} but the postings' net sum to {net}")
    if abs(vat - totals.vat) > TOLERANCE:
        report.error(f"{path}.totals.vat", f"is {totals.vat} but the postings' VAT sum to {vat}")
    if abs(totals.net + totals.vat - totals.gross) > TOLERANCE:
        report.error(
            f"{path}.totals.gross",
            f"is {totals.gross} but net + vat is {totals.net + totals.vat}",
        )
    if invoice.credited_invoice is not None and invoice.type != "credit":
        report.warn(f"{path}.credited_invoice", 'is only meaningful on a "credit" invoice')
    _check_meaning(path, invoice, known, report)


def expected_vat(net: Decimal, rate: Decimal) -> Decimal:
    """``net × rate / 100`` to the cent, half away from zero (Decimal's ``ROUND_HALF_UP``), so a
    credit note's VAT is exactly the credited amount's VAT with a minus sign."""
    return (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _check_meaning(path: str, invoice: doc.Invoice, known: Known, report: ImportReport) -> None:
    """Each posting's VAT is its net at its rate; the invoice is dated in its period; only a
    credit note totals less than zero (and a credit note never more); the currency was legal
    tender on the invoice's date."""
    for p, posting in enumerate(invoice.postings):
        vat = expected_vat(posting.net, posting.vat_rate)
        if abs(posting.vat - vat) > TOLERANCE:
            report.error(
                f"{path}.postings[{p}].vat",
                f"is {posting.vat} but net × vat_rate is {vat} "
                f"({posting.net} × {posting.vat_rate} %, rounded to the cent)",
            )
    dates = known.period_dates.get(invoice.period)
    if dates is not None and dates[0] <= dates[1] and not dates[0] <= invoice.date <= dates[1]:
        report.error(
            f"{path}.date",
            f"{invoice.date.isoformat()} is outside its period "
            f'"{invoice.period}" ({dates[0].isoformat()} – {dates[1].isoformat()})',
        )
    gross = invoice.totals.gross
    if invoice.type == "invoice" and gross < 0:
        report.error(
            f"{path}.totals.gross",
            f'is {gross}: an invoice cannot total less than zero (a credit note is "type": '
            '"credit")',
        )
    elif invoice.type == "credit" and gross > 0:
        report.error(
            f"{path}.totals.gross",
            f"is {gross}: a credit note's amounts are negative (it would charge the customer)",
        )
    if not iso.currency_in_use(invoice.currency, invoice.date):
        use = iso.currency_use(invoice.currency, invoice.date)
        report.error(
            f"{path}.currency",
            f'"{invoice.currency}" was not legal tender on {invoice.date.isoformat()}'
            + (f" ({use})" if use else ""),
        )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def check_references(path: str, raw: Any, known: Known, report: ImportReport) -> None:
    """The reference checks of :func:`check_invoice` on a raw invoice that failed validation.

    So an invoice with a malformed field still gets its unknown customer or VAT code reported
    in the same import; values of the wrong type are left to the validation errors.
    """
    invoice = _dict(raw)
    postings = [_dict(posting) for posting in _list(invoice.get("postings"))]
    _check_references(
        path,
        invoice.get("customer"),
        invoice.get("period"),
        [(posting.get("vat_code"), _dict(posting.get("profit_centres"))) for posting in postings],
        [
            [_dict(line).get("vat_code") for line in _list(_dict(order).get("lines"))]
            for order in _list(invoice.get("orders"))
        ],
        known,
        report,
    )


def _check_references(
    path: str,
    customer: Any,
    period: Any,
    postings: list[tuple[Any, dict[str, Any]]],
    line_vat_codes: list[list[Any]],
    known: Known,
    report: ImportReport,
) -> None:
    if isinstance(customer, str) and customer not in known.customers:
        report.error(f"{path}.customer", f'unknown customer "{customer}"')
    if isinstance(period, str) and period not in known.periods:
        report.error(f"{path}.period", f'unknown period "{period}"')
    for p, (vat_code, centres) in enumerate(postings):
        if isinstance(vat_code, str) and vat_code not in known.vat_codes:
            report.error(f"{path}.postings[{p}].vat_code", f'unknown VAT code "{vat_code}"')
        for centre, unit in centres.items():
            units = known.units.get(centre)
            if units is not None and (unit in units or not isinstance(unit, str)):
                continue
            place = json_path(f"{path}.postings[{p}].profit_centres", [centre])
            if units is None:
                report.error(place, f'unknown profit centre "{centre}"')
            else:
                report.error(place, f'unknown unit "{unit}" of profit centre "{centre}"')
    for o, codes in enumerate(line_vat_codes):
        for n, vat_code in enumerate(codes):
            if isinstance(vat_code, str) and vat_code not in known.vat_codes:
                report.error(
                    f"{path}.orders[{o}].lines[{n}].vat_code", f'unknown VAT code "{vat_code}"'
                )


def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that hold document parts (computed once per class)."""
    found = _NESTED.get(model)
    if found is None:  # first time for this class
        found = tuple(
            name for name, info in model.model_fields.items() if _holds_model(info.annotation)
        )
        _NESTED[model] = found
    return found


_NESTED: dict[type[BaseModel], tuple[str, ...]] = {}


def _holds_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in get_args(annotation))


def unknown_keys(model: BaseModel, path: str) -> list[DocumentProblem]:
    """Keys the format does not define, anywhere inside ``model`` (they are ignored)."""
    found: list[DocumentProblem] = []
    _unknown_keys(model, (path,), found)
    return found


def _unknown_keys(model: BaseModel, loc: tuple[Any, ...], found: list[DocumentProblem]) -> None:
    # Why so careful: this walks every object of 50,000 invoices; the path text is built only
    # for the rare key that is reported, and objects without extras or children are skipped.
    extra = model.__pydantic_extra__
    if extra:
        for key in extra:
            at = json_path(loc[0], [*loc[1:], key])
            found.append(DocumentProblem(at, "unknown key, ignored"))
    for name in _nested_fields(type(model)):
        value: Any = getattr(model, name)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel) and (
                    item.__pydantic_extra__ or _nested_fields(type(item))
                ):
                    _unknown_keys(item, (*loc, name, index), found)
        elif isinstance(value, BaseModel):
            _unknown_keys(value, (*loc, name), found)
