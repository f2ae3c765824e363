"""Field types of the TMS document: decimal strings, ISO dates and codes.

Why custom types: the contract says money, rates and quantities are *decimal strings*, never
JSON numbers (a float has already lost the cents), dates are ISO text, and codes have fixed
shapes. Pydantic's lax defaults would accept ``12.5`` or a Unix timestamp silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from procountor_export.tms import codes

# The store keeps decimals as text in a 40-character column; a Decimal's text can be one
# character longer than the text it was parsed from (".5" -> "0.5").
_MAX_DECIMAL_CHARS = 38


def refuse_numbers(value: Any) -> Any:
    """Let text through to the Decimal parser; refuse JSON numbers with a helpful message.

    A float has already lost the exact cents, and an integer here is nearly always a float's
    sibling from the same serializer: both are refused alike, so the TMS finds out at once.
    """
    if value.__class__ is str and len(value) <= _MAX_DECIMAL_CHARS:
        return value  # the fast path: this runs for every amount of every invoice
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "decimal_string", 'must be a decimal string like "12.50", not a number'
        )
    if isinstance(value, str):
        raise PydanticCustomError(
            "decimal_string", "must be at most {limit} characters", {"limit": _MAX_DECIMAL_CHARS}
        )
    if isinstance(value, Decimal):
        return value
    raise PydanticCustomError("decimal_string", 'must be a decimal string like "12.50"')


def _iso_text(value: Any) -> Any:
    """Dates and times must come as ISO text (or as date objects from Python callers)."""
    if isinstance(value, date | str):
        return value
    raise PydanticCustomError("iso_date", "must be an ISO date string like 2025-03-31")


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _code_shape(pattern: str, what: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(
                "code_shape", 'must be {what}, not "{value}"', {"what": what, "value": value[:50]}
            )
        return value

    return AfterValidator(check)


def _code_in(known: Callable[[], frozenset[str]], what: str) -> AfterValidator:
    """A code the maintained list ``known()`` holds (ISO codes from CLDR, see ``tms.codes``)."""

    def check(value: str) -> str:
        if value not in known():
            raise PydanticCustomError(
                "code_shape", 'must be {what}, not "{value}"', {"what": what, "value": value[:50]}
            )
        return value

    return AfterValidator(check)


DecimalStr = Annotated[Decimal, BeforeValidator(refuse_numbers)]
"""A decimal string (``"25.5"``) parsed to an exact Decimal; JSON numbers are refused."""

IsoDate = Annotated[date, BeforeValidator(_iso_text)]
"""An ISO date ``YYYY-MM-DD``."""

IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
"""An ISO date-time ``YYYY-MM-DDTHH:MM:SS``."""

Country = Annotated[
    str, BeforeValidator(_upper), _code_in(codes.countries, "an ISO 3166-1 alpha-2 country code")
]
"""ISO 3166-1 alpha-2 (``"FI"``), a code CLDR knows; lower case is accepted and upper-cased."""

Currency = Annotated[
    str, BeforeValidator(_upper), _code_in(codes.currencies, "an ISO 4217 currency code")
]
"""ISO 4217 (``"EUR"``), the code of a currency (not of a fund, metal or test) CLDR knows."""

Language = Annotated[
    str, BeforeValidator(_lower), _code_shape(r"[a-z]{2}", "an ISO 639-1 language code")
]
"""ISO 639-1 (``"fi"``)."""


# Non-empty text that fits its store column (PostgreSQL enforces VARCHAR lengths).
Str20 = Annotated[str, StringConstraints(min_length=1, max_length=20)]
Str40 = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Str60 = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Str100 = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Str200 = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Str255 = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Str500 = Annotated[str, StringConstraints(max_length=500)]
