"""Payment references as Procountor checks them (``paymentInfo.bankReferenceCode``, §7.13).

- ``""`` → Procountor makes a reference: of the type given, else the country's own (a valid
  Finnish reference number in Finland);
- a value → validated by its ``bankReferenceCodeType`` check digit: ``FI`` 4–20 digits with
  7-3-1 weights from the right, ``RF`` ISO 11649 (mod 97); without a type, an ``RF…`` value is
  taken as RF and any other as the country's own type;
- omitted → no reference;
- a type the company's country does not allow → 400 (FI and RF in Finland, OCR in Sweden, KID
  in Norway, GIK/FIK in Denmark; RF everywhere).

*(inferred)* The check digits of the other countries' types are their usual ones: OCR, GIK and
FIK mod 10 (Luhn), KID mod 10 or mod 11. The RF check comes from python-stdnum; the Finnish one
is :func:`~procountor_export.emulator.money.finnish_check_digit`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stdnum import iso11649, luhn

from procountor_export.emulator.errors import Problems
from procountor_export.emulator.money import finnish_check_digit, finnish_reference

DANISH = ("GIK01", "GIK04", "GIK15", "FIK71", "FIK73", "FIK75")
# The types a company of each country may use; the first is the country's own.
ALLOWED: dict[str, tuple[str, ...]] = {
    "FINLAND": ("FI", "RF"),
    "SWEDEN": ("OCR", "RF"),
    "NORWAY": ("KID", "RF"),
    "DENMARK": (*DANISH[3:], *DANISH[:3], "RF"),
}
CODE = "paymentInfo.bankReferenceCode"
TYPE = "paymentInfo.bankReferenceCodeType"


def allowed_types(country: str) -> tuple[str, ...]:
    """The reference types of a company in ``country`` (Finland's for any other)."""
    return ALLOWED.get(country.upper(), ALLOWED["FINLAND"])


def _finnish(code: str) -> bool:
    return (
        code.isdigit() and 4 <= len(code) <= 20 and finnish_check_digit(code[:-1]) == int(code[-1])
    )


def _mod11(code: str) -> bool:
    """Norway's KID mod 11: weights 2…7 from the right, check digit ``-`` for 10."""
    base, check = code[:-1], code[-1]
    if not base.isdigit():
        return False
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(base)))
    expected = (11 - total % 11) % 11
    return check == ("-" if expected == 10 else str(expected))


def _luhn(code: str) -> bool:
    return code.isdigit() and 2 <= len(code) <= 25 and bool(luhn.is_valid(code))


CHECKS: dict[str, Callable[[str], bool]] = {
    "FI": _finnish,
    "RF": lambda code: bool(iso11649.is_valid(code)),
    "OCR": _luhn,
    "KID": lambda code: 2 <= len(code) <= 25 and (_luhn(code) or _mod11(code)),
    **dict.fromkeys(DANISH, _luhn),
}


def type_of(code: str, kind: str | None, country: str) -> str:
    """The type ``code`` is checked as: the given one, else RF by its prefix, else the
    country's own."""
    if kind is not None:
        return kind
    if code.upper().startswith("RF"):
        return "RF"
    return allowed_types(country)[0]


def check_reference(code: str | None, kind: str | None, country: str, problems: Problems) -> None:
    """Add the problems of a reference and its type (``kind``) for a company in ``country``."""
    if kind is not None and kind not in allowed_types(country):
        problems.add(TYPE, f"Reference type {kind} is not allowed in {country.title()}")
        return
    if not code:
        return
    compact = code.replace(" ", "").upper()
    check = CHECKS.get(type_of(compact, kind, country))
    if check is None or not check(compact):
        problems.add(CODE, f"Invalid bank reference code '{code}'")


def _creditor(base: str) -> str:
    """An RF creditor reference around ``base`` (ISO 11649: mod 97-10 over base + "RF00")."""
    digits = "".join(str(int(char, 36)) for char in base + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{base}"


def fill_reference(payment: dict[str, Any], invoice_number: int, country: str) -> None:
    """Make the reference of a stored ``paymentInfo`` that asked for one (``""``) and record
    the type of a given one; an omitted reference stays omitted."""
    code = payment.get("bankReferenceCode")
    if code is None:
        return
    kind = type_of(code, payment.get("bankReferenceCodeType"), country)
    payment["bankReferenceCodeType"] = kind
    if code != "":
        return
    finnish = finnish_reference(invoice_number)
    if kind == "RF":
        payment["bankReferenceCode"] = _creditor(finnish)
    elif kind == "FI":
        payment["bankReferenceCode"] = finnish
    else:
        base = str(1000 + invoice_number)
        payment["bankReferenceCode"] = base + luhn.calc_check_digit(base)
