"""A Procountor company's market (pure): Finland, Sweden, Norway or Denmark.

One API serves every market; the company's country decides which fields, payment references
and identifiers apply (procountor-api.md §7.15). The country is read once per run from
``GET /company`` (``country``: ``FINLAND``, ``SWEDEN``, ``NORWAY``, ``DENMARK``) and kept in the
master data (:class:`~procountor_export.export.reading.cache.CompanyCache`).

Only when the country is unknown (master data kept by an older version, a company answering
without one) is the market taken from the company currency: Procountor runs each market in its
own currency (``companyCurrency`` is one of DKK, EUR, NOK, SEK), so the currency names the same
market, and a run never needs to guess further than that. Anything else is Finland, the market
this export always served.
"""

from __future__ import annotations

FINLAND, SWEDEN, NORWAY, DENMARK = "FI", "SE", "NO", "DK"
MARKETS = (FINLAND, SWEDEN, NORWAY, DENMARK)
COUNTRY_NAMES = {"FINLAND": FINLAND, "SWEDEN": SWEDEN, "NORWAY": NORWAY, "DENMARK": DENMARK}
CURRENCIES = {"EUR": FINLAND, "SEK": SWEDEN, "NOK": NORWAY, "DKK": DENMARK}
NAMES = {FINLAND: "Finland", SWEDEN: "Sweden", NORWAY: "Norway", DENMARK: "Denmark"}


def market_of(country: str | None, currency: str | None = None) -> str:
    """The market (ISO code) of a company in ``country`` (Procountor's ``FINLAND`` … or an ISO
    code); from ``currency`` only when the country is unknown (see the module docstring)."""
    name = (country or "").strip().upper()
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    if name in MARKETS:
        return name
    return CURRENCIES.get((currency or "").strip().upper(), FINLAND)


def is_finnish(market: str) -> bool:
    """Whether fields valid only in Finnish environments (§7.15) may be sent."""
    return market == FINLAND
