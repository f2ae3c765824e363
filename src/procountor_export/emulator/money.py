"""Money arithmetic and bank references, exact with ``Decimal`` and rounding half up."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
# Quantity × price of the largest accepted values has 26 integer digits; the default context
# (28 digits) could not quantize that to cents.
WIDE = Context(prec=60)


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half up to 2 decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=WIDE)


def split(total: Decimal, percents: Sequence[Decimal]) -> list[Decimal]:
    """``total`` shared by ``percents`` in cents; the last share takes the rounding (exact sum)."""
    shares = [cents(total * percent / 100) for percent in percents]
    if shares:
        shares[-1] = total - sum(shares[:-1], Decimal(0))
    return shares


def finnish_check_digit(base: str) -> int:
    """The check digit of a Finnish reference's base digits (weights 7, 3, 1 from the right)."""
    weights = (7, 3, 1)
    total = sum(int(digit) * weights[index % 3] for index, digit in enumerate(reversed(base)))
    return (10 - total % 10) % 10


def finnish_reference(number: int) -> str:
    """A valid Finnish reference built from ``number`` (at least 4 digits long)."""
    base = str(1000 + number)
    return base + str(finnish_check_digit(base))


def valid_reference(code: str) -> bool:
    """Whether ``code`` is a valid Finnish reference or RF creditor reference (ISO 11649)."""
    compact = code.replace(" ", "").upper()
    if compact.startswith("RF"):
        body = compact[4:]
        if not (5 <= len(compact) <= 25 and compact[2:4].isdigit() and body.isalnum()):
            return False
        rearranged = body + compact[:4]
        digits = "".join(str(int(char, 36)) for char in rearranged)
        return int(digits) % 97 == 1
    if not compact.isdigit() or not 4 <= len(compact) <= 20:
        return False
    return finnish_check_digit(compact[:-1]) == int(compact[-1])
