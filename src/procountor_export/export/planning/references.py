"""Payment references (pure): which reference formats a Procountor company's market takes, and
whether a TMS invoice's reference is one of them.

Procountor validates ``paymentInfo.bankReferenceCode`` by its ``bankReferenceCodeType`` and
refuses a type its company's country does not allow (procountor-api.md §7.13, §7.15). Each
market (:mod:`.markets`, the company's country) takes its own domestic reference and an RF
creditor reference (ISO 11649):

- Finland: a Finnish reference number (``FI``: 4 to 20 digits, 7-3-1 check digit);
- Sweden: an OCR number (``OCR``: 2 to 25 digits, mod 10 / Luhn check digit);
- Norway: a KID (``KID``: 2 to 25 characters, mod 10 / Luhn or mod 11 check digit, ``-`` for a
  mod 11 remainder of 10);
- Denmark: the payment id of an FI card +71 (``FIK71``: 15 digits, mod 10 / Luhn). The other
  Danish types (FIK73 carries no reference, FIK75 and the GIK cards) are not printed by the
  TMS, so they are not taken.

Check digits come from python-stdnum where it has them: ``stdnum.iso11649`` (RF),
``stdnum.luhn`` (OCR, KID mod 10, FIK). It has neither the Finnish 7-3-1 reference nor
Norway's KID mod 11 (its ``no`` modules weigh 3, 2, 7, 6 … for registry numbers, not 2 to 7 for
payments), so those are the few lines of :func:`finnish_check_digit` and :func:`kid_mod11`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iso11649, luhn
from stdnum.exceptions import ValidationError

from procountor_export.export.planning import markets

FINNISH_WEIGHTS = (7, 3, 1)
KID_WEIGHTS = (2, 3, 4, 5, 6, 7)


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


def kid_mod11(base: str) -> str:
    """The mod 11 check digit of a Norwegian KID's base digits (weights 2 to 7 from the right,
    repeated; ``-`` when the remainder leaves 10)."""
    total = sum(int(d) * KID_WEIGHTS[i % 6] for i, d in enumerate(reversed(base)))
    expected = (11 - total % 11) % 11
    return "-" if expected == 10 else str(expected)


def _digits(code: str, name: str, shortest: int, longest: int) -> str | None:
    """Why ``code`` is not ``shortest`` to ``longest`` digits (``None`` when it is)."""
    article = "an" if name[0] in "AEIOU" else "a"
    if not code.isdigit():
        return f"{article} {name} has digits only"
    if not shortest <= len(code) <= longest:
        span = f"{shortest} to {longest}" if shortest != longest else f"{shortest}"
        return f"{article} {name} has {span} digits, not {len(code)}"
    return None


def _luhn_digit(code: str) -> str | None:
    expected = luhn.calc_check_digit(code[:-1])
    if code[-1] != expected:
        return f"the check digit (the last digit) should be {expected}, not {code[-1]}"
    return None


def _ocr(code: str) -> str | None:
    """Why ``code`` is not a Swedish OCR number (``None`` when it is)."""
    return _digits(code, "OCR number", 2, 25) or _luhn_digit(code)


def _kid(code: str) -> str | None:
    """Why ``code`` is not a Norwegian KID (``None`` when it is): mod 10 or mod 11."""
    base, check = code[:-1], code[-1]
    reason = _digits(base + (check if check != "-" else "0"), "KID", 2, 25)
    if reason is not None:
        return reason
    if check == kid_mod11(base) or (check.isdigit() and luhn.is_valid(code)):
        return None
    return (
        f"the check digit (the last character) should be {luhn.calc_check_digit(base)} (mod 10) "
        f"or {kid_mod11(base)} (mod 11), not {check}"
    )


def _fik(code: str) -> str | None:
    """Why ``code`` is not the payment id of a Danish FI card +71 (``None`` when it is)."""
    return _digits(code, "FIK payment id (+71)", 15, 15) or _luhn_digit(code)


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
OCR = ReferenceFormat("OCR", "OCR number", _ocr)
KID = ReferenceFormat("KID", "KID", _kid)
FIK = ReferenceFormat("FIK71", "FIK payment id (+71)", _fik)


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

    @property
    def names(self) -> str:
        """The formats' names, for messages (``OCR number or RF creditor reference``)."""
        return " or ".join(kind.name for kind in self.formats)


FINLAND = Market(markets.FINLAND, (FINNISH, CREDITOR))
SWEDEN = Market(markets.SWEDEN, (OCR, CREDITOR))
NORWAY = Market(markets.NORWAY, (KID, CREDITOR))
DENMARK = Market(markets.DENMARK, (FIK, CREDITOR))
MARKETS: dict[str, Market] = {m.country: m for m in (FINLAND, SWEDEN, NORWAY, DENMARK)}


def market_for(market: str | None) -> Market:
    """The reference formats of a market (:mod:`.markets` code; Finland's for ``None``)."""
    return MARKETS.get((market or markets.FINLAND).upper(), FINLAND)


def parse(value: str, market: Market = FINLAND) -> PaymentReference:
    """``value`` as a reference of ``market``, or :class:`InvalidReference` saying why."""
    return market.parse(value)


def for_payload(value: str | None, market: str = markets.FINLAND) -> PaymentReference | None:
    """The reference to send (``None``: none given, Procountor makes one of the company's own
    type).

    Only called for invoices that passed the checks, so ``value`` is valid here.
    """
    if value is None or not value.strip():
        return None
    return parse(value, market_for(market))


def code_to_send(value: str | None, market: str = markets.FINLAND) -> str:
    """``paymentInfo.bankReferenceCode``: the reference without spaces, or ``""`` (Procountor
    makes one)."""
    reference = for_payload(value, market)
    return reference.code if reference else ""


def type_to_send(value: str | None, market: str = markets.FINLAND) -> str | None:
    """``paymentInfo.bankReferenceCodeType`` of a given reference (``None`` with none)."""
    reference = for_payload(value, market)
    return reference.type if reference else None
