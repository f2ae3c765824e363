"""Payment references (pure): which reference formats a Procountor company's market takes, and
whether a TMS invoice's reference is one of them.

Procountor validates ``paymentInfo.bankReferenceCode`` by its ``bankReferenceCodeType`` and
refuses a type its company's country does not allow (procountor-api.md §7.13). A Finnish
company takes a Finnish reference number (``FI``) or an RF creditor reference (``RF``); the
other markets (Sweden's OCR, Norway's KID, Denmark's FIK/GIK) are a later issue: each is one more
:class:`Market` in :data:`MARKETS` with its own :class:`ReferenceFormat`, chosen by the
company's currency (one currency per Procountor market, §7.15).

The RF check digits come from python-stdnum (``stdnum.iso11649``); stdnum has no Finnish
reference number, so its 7-3-1 check is the few lines of :func:`finnish_check_digit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iso11649
from stdnum.exceptions import ValidationError

FINNISH_WEIGHTS = (7, 3, 1)


@dataclass(frozen=True)
class PaymentReference:
    """A valid reference as Procountor takes it: ``code`` without spaces, and its type."""

    code: str
    type: str


class InvalidReference(ValueError):
    """The reference is not one the company's market takes; the message says why."""


def compact(value: str) -> str:
    """The reference without spaces, upper case (as the bank and Procountor read it)."""
    return "".join(value.split()).upper()


def finnish_check_digit(base: str) -> int:
    """The check digit of a Finnish reference number's base digits (weights 7, 3, 1 from the
    right; the check digit is what brings the weighted sum up to the next ten)."""
    total = sum(
        int(digit) * FINNISH_WEIGHTS[index % 3] for index, digit in enumerate(reversed(base))
    )
    return (10 - total % 10) % 10


def _finnish(code: str) -> str | None:
    """Why ``code`` is not a Finnish reference number (``None`` when it is)."""
    if not code.isdigit():
        return "a Finnish reference number has digits only"
    if not 4 <= len(code) <= 20:
        return f"a Finnish reference number has 4 to 20 digits, not {len(code)}"
    expected = finnish_check_digit(code[:-1])
    if int(code[-1]) != expected:
        return f"the check digit (the last digit) should be {expected}, not {code[-1]}"
    return None


def _creditor(code: str) -> str | None:
    """Why ``code`` is not an RF creditor reference (``None`` when it is)."""
    try:
        iso11649.validate(code)
    except ValidationError as error:
        text = str(error).strip().rstrip(".")
        return "not an RF creditor reference (ISO 11649): " + text[:1].lower() + text[1:]
    return None


@dataclass(frozen=True)
class ReferenceFormat:
    """One kind of reference: Procountor's ``bankReferenceCodeType`` and its check."""

    type: str
    name: str
    problem: Callable[[str], str | None]


FINNISH = ReferenceFormat("FI", "Finnish reference number", _finnish)
CREDITOR = ReferenceFormat("RF", "RF creditor reference", _creditor)


@dataclass(frozen=True)
class Market:
    """The reference formats a Procountor company of one country takes."""

    country: str
    formats: tuple[ReferenceFormat, ...]

    def format_of(self, code: str) -> ReferenceFormat:
        """Which of the market's formats ``code`` claims to be: RF by its prefix, else the
        market's own (domestic) one."""
        if code.startswith("RF") and CREDITOR in self.formats:
            return CREDITOR
        return self.formats[0]

    def parse(self, value: str) -> PaymentReference:
        """The reference as Procountor takes it, or :class:`InvalidReference` saying why."""
        code = compact(value)
        if not code:
            raise InvalidReference("it is empty")
        kind = self.format_of(code)
        reason = kind.problem(code)
        if reason is not None:
            raise InvalidReference(reason)
        return PaymentReference(code, kind.type)


FINLAND = Market("FI", (FINNISH, CREDITOR))
# The company currency names the market: Procountor runs EUR companies in Finland only.
MARKETS: dict[str, Market] = {"EUR": FINLAND}


def market_for(company_currency: str | None) -> Market | None:
    """The market of a Procountor company (``None``: its references are not known yet)."""
    return MARKETS.get((company_currency or "EUR").upper())


def parse(value: str, market: Market | None = FINLAND) -> PaymentReference:
    """``value`` as a reference of ``market`` (``None``: a market this export cannot check)."""
    if market is None:
        raise InvalidReference(
            "the export knows the references of a Finnish company only (FI, RF); leave the "
            "reference out and Procountor makes one"
        )
    return market.parse(value)


def for_payload(value: str | None) -> PaymentReference | None:
    """The reference to send (``None``: none given, Procountor makes one).

    Only called for invoices that passed the checks, so ``value`` is valid here.
    """
    if value is None or not value.strip():
        return None
    return parse(value)


def code_to_send(value: str | None) -> str:
    """``paymentInfo.bankReferenceCode``: the reference without spaces, or ``""`` (Procountor
    makes one)."""
    reference = for_payload(value)
    return reference.code if reference else ""


def type_to_send(value: str | None) -> str | None:
    """``paymentInfo.bankReferenceCodeType`` of a given reference (``None`` with none)."""
    reference = for_payload(value)
    return reference.type if reference else None
