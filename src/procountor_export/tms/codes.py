"""ISO country and currency codes as the Unicode CLDR knows them (through Babel), for the import.

Why CLDR and not a list of our own: the codes change (a country gets a new currency, a currency
is withdrawn), and Babel ships the CLDR release it was built with, so an upgrade brings them up
to date. What counts:

- a country is an ISO 3166-1 alpha-2 code that CLDR records as an inhabited territory: the
  assigned codes and the few that CLDR also uses for places (``XK`` Kosovo, ``IC`` Canary
  Islands, ...), not its groupings (``EU``, ``UN``, ``EZ``), its numeric regions (``001``) or
  ``ZZ`` (its "unknown region");
- a currency is an ISO 4217 code that CLDR records as legal tender of some territory, now or in
  the past: not the codes of funds, precious metals or tests (``XAU``, ``XTS``, ``XXX``).
  :func:`currency_in_use` tells whether it was legal tender on a given day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from babel import Locale
from babel.core import get_global
from babel.numbers import list_currencies

# CLDR's code for an unknown or invalid territory: in its territory data, never a country.
_UNKNOWN_REGION = "ZZ"

# A span of legal tender: (first day or None, last day or None).
Span = tuple[date | None, date | None]


@cache
def countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes (upper case)."""
    inhabited: Mapping[str, Any] = get_global("territory_languages")
    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str)
        and len(code) == 2
        and code.isalpha()
        and code in inhabited
        and code != _UNKNOWN_REGION
    )


@cache
def _tender_spans() -> dict[str, tuple[Span, ...]]:
    """Per currency code, the spans in which some territory had it as legal tender."""
    spans: dict[str, list[Span]] = {}
    known = list_currencies()
    table: Mapping[str, Any] = get_global("territory_currencies")
    for entries in table.values():
        for code, start, end, tender in entries:
            if tender and code in known:
                spans.setdefault(code, []).append((_day(start), _day(end)))
    return {code: tuple(found) for code, found in spans.items()}


def _day(value: tuple[int, int, int] | None) -> date | None:
    return None if value is None else date(*value)


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes of currencies (legal tender somewhere, now or in the past)."""
    return frozenset(_tender_spans())


def currency_in_use(code: str, on: date | None = None) -> bool:
    """Whether ``code`` was legal tender somewhere on day ``on`` (``None``: is still in use)."""
    for start, end in _tender_spans().get(code, ()):
        if on is None:
            if end is None:
                return True
        elif (start is None or start <= on) and (end is None or on <= end):
            return True
    return False


def currency_use(code: str, on: date | None = None) -> str:
    """When ``code`` was legal tender, as it matters for day ``on`` (``None``: today), for a
    message about a currency not in use then: ``"in use until 2002-02-28"`` (or ``""``)."""
    spans = _tender_spans().get(code, ())
    ends = [end for _, end in spans]
    last = None if None in ends else max((end for end in ends if end is not None), default=None)
    if last is not None and (on is None or on > last):
        return f"in use until {last.isoformat()}"
    starts = [start for start, _ in spans if start is not None]
    if starts and on is not None and on < min(starts):
        return f"in use from {min(starts).isoformat()}"
    return ""
