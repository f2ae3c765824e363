"""Labels in the customer's language and numbers, dates and money in its locale (Babel).

The words are in :mod:`~procountor_export.pdf.wording`; this module picks them and formats
every number, date and amount. The locale follows the language and, for Swedish, the seller's
market: a Finnish seller's Swedish invoice uses ``sv_FI`` (31.3.2025, as Finnish writes it),
a Swedish, Norwegian or Danish seller's ``sv_SE`` (2025-03-31, amounts "1 234,56 kr").
Finnish uses ``fi_FI``, Norwegian ``nb_NO``, Danish ``da_DK`` and English ``en_GB``: day before
month, as the rest of the invoice's readers in Europe expect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from procountor_export.pdf.model import Language
from procountor_export.pdf.wording import COLUMNS, LABELS, MARKET_LABELS, UNITS

# Locale per language; Swedish also per the seller's market (see the module docstring).
LOCALES: dict[Language, str] = {
    Language.FI: "fi_FI",
    Language.SV: "sv_FI",
    Language.EN: "en_GB",
    Language.NB: "nb_NO",
    Language.DA: "da_DK",
}
# Finland-Swedish only for a Finnish seller: a Swedish-speaking customer of a company in
# Sweden, Norway or Denmark is in Sweden.
_MARKET_LOCALES: dict[tuple[Language, str], str] = {
    (Language.SV, "SE"): "sv_SE",
    (Language.SV, "NO"): "sv_SE",
    (Language.SV, "DK"): "sv_SE",
}

# The payment reference's label per market: Sweden's OCR number, Norway's KID; elsewhere the
# reference number (Finland's viitenumero, Denmark's payment id).
_REFERENCE_KEYS = {"SE": "ocr", "NO": "kid"}


def locale_of(language: Language, market: str = "FI") -> str:
    """The Babel locale of ``language`` on an invoice of a seller in ``market``."""
    return _MARKET_LOCALES.get((language, market.upper()), LOCALES[language])


class Texts:
    """The labels and formats of one language; every printed word or number goes through it."""

    def __init__(self, language: Language, market: str = "FI") -> None:
        self.language = language
        self.market = market.strip().upper()
        self.locale = locale_of(language, self.market)
        self._index = COLUMNS.index(language)
        self._own = MARKET_LABELS.get((language, self.market), {})
        self._territories = Locale.parse(self.locale).territories

    def __call__(self, key: str, *args: object) -> str:
        """The label ``key`` in this language, with ``{0}``, ``{1}`` … filled from ``args``."""
        return self._own.get(key, LABELS[key][self._index]).format(*args)

    @property
    def reference_key(self) -> str:
        """The label key of the payment reference in this market (``ocr``, ``kid`` …)."""
        return _REFERENCE_KEYS.get(self.market, "bank_reference")

    def unit(self, code: str | None) -> str:
        """A TMS unit code as printed in this language ("" when there is none)."""
        if not code:
            return ""
        known = UNITS.get(code.strip().lower())
        return known[self._index] if known else code

    def country(self, code: str) -> str:
        """A country's name in this language ("Ruotsi" for SE in Finnish); unknown: the code."""
        return str(self._territories.get(code.strip().upper(), code))

    def date(self, value: dt.date | None) -> str:
        """A date in the locale's short form (31.3.2025 in Finnish)."""
        return format_date(value, "short", locale=self.locale) if value else ""

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        """A date range "start – end"; one date when both are the same or one is missing."""
        if start and end and start != end:
            return f"{self.date(start)} – {self.date(end)}"
        return self.date(start or end)

    def number(self, value: Decimal | None) -> str:
        """A quantity as precise as it is given (1 200,5 in Finnish), "" for ``None``."""
        if value is None:
            return ""
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def measure(self, value: Decimal | None, unit: str) -> str:
        """A quantity with its unit ("165 km"), "" for ``None``."""
        return f"{self.number(value)}\u00a0{unit}" if value is not None else ""

    def money(self, value: Decimal) -> str:
        """An amount with two decimals and no currency (table cells carry it in the header)."""
        return format_decimal(value, format="#,##0.00", locale=self.locale)

    def currency(self, value: Decimal, code: str) -> str:
        """An amount with its currency, as the locale writes it (1 234,50 € in Finnish)."""
        return format_currency(value, code, locale=self.locale)

    def percent(self, rate: Decimal | None) -> str:
        """A VAT rate given in percent ("25,5 %"), "" for ``None``."""
        if rate is None:
            return ""
        return f"{format_decimal(rate, format='0.##', locale=self.locale)}\u00a0%"


def group_iban(iban: str) -> str:
    """An IBAN in its printed form: groups of four characters (FI21 1234 5600 0007 85)."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
