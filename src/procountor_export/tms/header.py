"""Validation of the document's top level and of every section except the invoices.

Each list item is validated on its own, so one bad customer does not hide the next one's
mistakes, and the keys of items that failed validation are still known (an invoice that
refers to a customer with a typo in its e-mail gets one error, not two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from procountor_export.tms import document as doc
from procountor_export.tms.fields import Str100, Str255
from procountor_export.tms.report import ImportReport, problems_from

M = TypeVar("M", bound=BaseModel)
Indexed = list[tuple[int, M]]


@dataclass
class Sections:
    """The validated sections, each item with its index in the document (for paths)."""

    office: doc.Office | None = None
    profit_centres: Indexed[doc.ProfitCentre] = field(default_factory=list)
    vat_rates: Indexed[doc.VatRate] = field(default_factory=list)
    customers: Indexed[doc.Customer] = field(default_factory=list)
    periods: Indexed[doc.Period] = field(default_factory=list)
    # export_settings, item by item like the lists above
    exports: Indexed[doc.Export] = field(default_factory=list)
    groups: Indexed[doc.ExportGroup] = field(default_factory=list)
    terminology: dict[str, str] = field(default_factory=dict)
    # Keys of items that failed validation: still "known" to the cross-checks.
    raw_customers: set[str] = field(default_factory=set)
    raw_periods: set[str] = field(default_factory=set)
    raw_vat_codes: set[str] = field(default_factory=set)
    raw_units: dict[str, set[str]] = field(default_factory=dict)
    raw_exports: set[str] = field(default_factory=set)
    raw_groups: set[str] = field(default_factory=set)


def _validate(model: type[M], raw: Any, path: str, report: ImportReport) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        report.add_errors(problems_from(path, exc))
        return None


def _items(
    raw: dict[str, Any],
    key: str,
    model: type[M],
    report: ImportReport,
    remember: Callable[[dict[str, Any]], None],
    base: str = "",
) -> Indexed[M]:
    value = raw.get(key)
    path = f"{base}.{key}" if base else key
    if value is None:
        return []
    if not isinstance(value, list):
        report.error(path, "must be a list")
        return []
    valid: Indexed[M] = []
    for index, item in enumerate(value):
        parsed = _validate(model, item, f"{path}[{index}]", report)
        if parsed is not None:
            valid.append((index, parsed))
        elif isinstance(item, dict):
            remember(item)
    return valid


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _add(keys: set[str], value: str | None) -> None:
    if value is not None:
        keys.add(value)


def validate_header(raw: dict[str, Any], report: ImportReport) -> Sections:
    """Validate the top level (except ``invoices``) and record every problem in ``report``."""
    header = Sections()
    for key in raw:
        if key not in doc.TOP_LEVEL_KEYS:
            allowed = ", ".join(doc.TOP_LEVEL_KEYS)
            report.error(key, f"unknown top-level key (the keys are: {allowed})")
    if "schema" not in raw:
        report.error("schema", f'required: "{doc.SCHEMA}"')
    elif raw["schema"] != doc.SCHEMA:
        report.error("schema", f'must be "{doc.SCHEMA}", not {raw["schema"]!r}')
    if "office" not in raw:
        report.error("office", "required")
    else:
        header.office = _validate(doc.Office, raw["office"], "office", report)

    def remember_centre(item: dict[str, Any]) -> None:
        name = _text(item, "name")
        if name is not None:
            units = item.get("units")
            codes = header.raw_units.setdefault(name, set())
            for unit in units if isinstance(units, list) else []:
                _add(codes, _text(unit, "code") if isinstance(unit, dict) else None)

    header.profit_centres = _items(raw, "profit_centres", doc.ProfitCentre, report, remember_centre)
    header.vat_rates = _items(
        raw,
        "vat_rates",
        doc.VatRate,
        report,
        lambda item: _add(header.raw_vat_codes, _text(item, "code")),
    )
    header.customers = _items(
        raw,
        "customers",
        doc.Customer,
        report,
        lambda item: _add(header.raw_customers, _text(item, "code")),
    )
    header.periods = _items(
        raw, "periods", doc.Period, report, lambda item: _add(header.raw_periods, _text(item, "id"))
    )
    settings = raw.get("export_settings")
    if settings is not None:
        _export_settings(settings, header, report)
    return header


def _export_settings(settings: Any, header: Sections, report: ImportReport) -> None:
    base = "export_settings"
    if not isinstance(settings, dict):
        report.error(base, "must be an object")
        return
    for key in settings:
        if key not in doc.ExportSettings.model_fields:
            report.warn(f"{base}.{key}", "unknown key, ignored")
    header.exports = _items(
        settings,
        "exports",
        doc.Export,
        report,
        lambda item: _add(header.raw_exports, _text(item, "name")),
        base,
    )
    header.groups = _items(
        settings,
        "groups",
        doc.ExportGroup,
        report,
        lambda item: _add(header.raw_groups, _text(item, "name")),
        base,
    )
    terminology = settings.get("terminology")
    if terminology is not None:
        try:
            header.terminology = _TERMINOLOGY.validate_python(terminology)
        except ValidationError as exc:
            report.add_errors(problems_from(f"{base}.terminology", exc))


_TERMINOLOGY: TypeAdapter[dict[str, str]] = TypeAdapter(dict[Str100, Str255])
