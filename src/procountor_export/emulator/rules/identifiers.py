"""Identifier checks the real API makes: business IDs, VAT numbers, e-mail and e-invoice addresses.

Check digits come from python-stdnum and schwifty, not from code of our own:

- a Finnish business ID (Y-tunnus) is checked when it has the ``1234567-8`` form or the party's
  address is in FINLAND; a wrong one is ``ERROR_BRN_CODE`` (the code Procountor reports);
- a VAT number with an EU member state prefix is checked with ``stdnum.eu.vat`` (also
  ``ERROR_BRN_CODE``); other VAT numbers are not the emulator's to judge;
- an e-invoice address is a Finnish OVT code (``0037`` + the 8 digits of a valid business ID +
  an optional suffix of up to 5 letters or digits) or an IBAN (schwifty).
"""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat
from stdnum.fi import ytunnus

BRN_ERROR = "ERROR_BRN_CODE"
BUSINESS_ID_FORM = re.compile(r"\d{7}-\d")
OVT = re.compile(r"0037(?P<digits>\d{8})(?P<suffix>[0-9A-Za-z]{0,5})")
# Deliberately plain: one @, no spaces, a dotted domain. Enough to catch typos and junk;
# deliverability is not the API's to know.
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
EU_PREFIXES = frozenset(code.upper() for code in vat.MEMBER_STATES) | {"EL"}


def business_id_ok(identifier: str, country: str | None) -> bool:
    """Whether ``identifier`` passes the business-ID check (``False`` → ``ERROR_BRN_CODE``).

    Only a ``1234567-8``-form value, or any value of a party in FINLAND, is checked.
    """
    value = identifier.strip()
    if not value:
        return True
    if BUSINESS_ID_FORM.fullmatch(value) or country == "FINLAND":
        return bool(ytunnus.is_valid(value))
    return True


def vat_number_ok(tax_code: str) -> bool:
    """Whether an EU-prefixed VAT number is valid; other values are not judged."""
    compact = re.sub(r"[\s.-]", "", tax_code).upper()
    if compact[:2] not in EU_PREFIXES:
        return True
    return bool(vat.is_valid(compact))


def same_business(first: str, second: str) -> bool:
    """Whether two identifiers name the same party (``FI12345671`` is ``1234567-1``)."""

    def key(value: str) -> str:
        compact = re.sub(r"[\s-]", "", value).upper()
        return str(ytunnus.compact(value)) if ytunnus.is_valid(value) else compact

    return key(first) == key(second)


def email_ok(address: str) -> bool:
    return EMAIL.fullmatch(address.strip()) is not None


def einvoice_address_ok(address: str) -> bool:
    """A Finnish OVT code built on a valid business ID, or a valid IBAN."""
    compact = address.replace(" ", "")
    match = OVT.fullmatch(compact)
    if match is not None:
        digits = match.group("digits")
        return bool(ytunnus.is_valid(f"{digits[:7]}-{digits[7]}"))
    try:
        IBAN(compact)
    except (SchwiftyException, ValueError):
        return False
    return True
