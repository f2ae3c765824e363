"""VAT checks of invoice rows and products against the company's ``/vats/default``.

A VAT status must be one of the company's statuses enabled for the side (sales or purchase),
a VAT percentage one the company uses for that side (on the date, when given), and the pair
must fit: a status the seed restricts to some percentages (``vatPercents``, e.g. ``[0]`` for EU
or export sales) refuses others with ``ERROR_VATSTATUS_VATPERC`` on the percentage's field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from procountor_export.emulator.errors import Problems
from procountor_export.emulator.seed import VatStatusSeed

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

VATSTATUS_VATPERC = "ERROR_VATSTATUS_VATPERC"


def _side(sales: bool) -> str:
    return "sales" if sales else "purchases"


def check_status(
    company: CompanyState, status: int, path: str, problems: Problems, *, sales: bool = True
) -> VatStatusSeed | None:
    """The company's VAT status ``status`` if enabled for the side; else a problem at ``path``."""
    found = next((s for s in company.seed.vat.statuses if s.vat_status == status), None)
    if status == 0 or found is None or not (found.sales if sales else found.purchase):
        problems.add(path, f"VAT status {status} is not enabled for {_side(sales)}")
        return None
    return found


def check_percent(
    company: CompanyState,
    percent: Decimal,
    day: date | None,
    path: str,
    problems: Problems,
    *,
    sales: bool = True,
) -> bool:
    """Whether ``percent`` is in use for the side (on ``day``); else a problem at ``path``."""
    if company.vat_percent_enabled(percent, day, sales=sales):
        return True
    problems.add(path, f"VAT percentage {percent} is not in use for {_side(sales)}")
    return False


def check_pair(status: VatStatusSeed, percent: Decimal, path: str, problems: Problems) -> None:
    """``ERROR_VATSTATUS_VATPERC`` at ``path`` when ``status`` cannot carry ``percent``."""
    if not status.allows(percent):
        problems.add(path, VATSTATUS_VATPERC)
