"""Tax rate codes of an export (Codes > Tax rates): the Procountor VAT status code
(``vat_<n>``) for each TMS VAT code. Functions take an open session and never commit."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from procountor_export.store.models import ExportDefinition, TaxRateCode
from procountor_export.store.settings_base import SettingsError

VAT_STATUS_CODE = re.compile(r"vat_(\d+)")
_VAT_CODE_LIMIT = 40


def _status_code(export: ExportDefinition, vat_code: str, status_code: str) -> str:
    code = status_code.strip()
    if not VAT_STATUS_CODE.fullmatch(code):
        raise SettingsError(
            f"Export {export.name!r}: the tax rate code for VAT code {vat_code!r} must look like "
            f"vat_1 (a Procountor VAT status code), not {status_code!r}"
        )
    return code


def _vat_code(export: ExportDefinition, vat_code: str) -> str:
    code = vat_code.strip()
    if not code or len(code) > _VAT_CODE_LIMIT:
        raise SettingsError(
            f"Export {export.name!r}: VAT code {vat_code!r} must be 1-{_VAT_CODE_LIMIT} characters"
        )
    return code


def set_tax_rate_codes(
    session: Session, export: ExportDefinition, codes: Mapping[str, str]
) -> bool:
    """Make ``codes`` (TMS VAT code -> ``vat_<n>``) the export's whole mapping.

    Returns whether anything changed.
    """
    wanted = {
        _vat_code(export, vat_code): _status_code(export, vat_code, status)
        for vat_code, status in codes.items()
    }
    changed = False
    for row in list(export.tax_rate_codes):
        if row.vat_code not in wanted:
            export.tax_rate_codes.remove(row)
            changed = True
        elif row.status_code != wanted[row.vat_code]:
            row.status_code = wanted[row.vat_code]
            changed = True
    present = {row.vat_code for row in export.tax_rate_codes}
    for vat_code, status in wanted.items():
        if vat_code not in present:
            export.tax_rate_codes.append(TaxRateCode(vat_code=vat_code, status_code=status))
            changed = True
    session.flush()
    return changed


def set_tax_rate_code(
    session: Session, export: ExportDefinition, vat_code: str, status_code: str | None
) -> None:
    """Set one VAT code's status code (``vat_<n>``); ``None`` removes the VAT code's entry."""
    code = _vat_code(export, vat_code)
    row = next((row for row in export.tax_rate_codes if row.vat_code == code), None)
    if status_code is None:
        if row is None:
            raise SettingsError(
                f"Export {export.name!r} has no tax rate code for VAT code {code!r}"
            )
        export.tax_rate_codes.remove(row)
    elif row is None:
        status = _status_code(export, code, status_code)
        export.tax_rate_codes.append(TaxRateCode(vat_code=code, status_code=status))
    else:
        row.status_code = _status_code(export, code, status_code)
    session.flush()


def vat_status_for(export: ExportDefinition, vat_code: str) -> int | None:
    """Procountor's ``vatStatus`` for a TMS VAT code (``vat_1`` -> 1); None when unmapped."""
    for row in export.tax_rate_codes:
        if row.vat_code == vat_code:
            match = VAT_STATUS_CODE.fullmatch(row.status_code)
            return int(match.group(1)) if match else None
    return None
