"""The payment terms some sample invoices carry: the reference the TMS printed, or a penalty
interest of their own.

The reference is a Finnish reference number (7-3-1 check digit) or an RF creditor reference
(ISO 11649), printed in groups as on an invoice. Which invoices carry what is decided by their
number, not by a random draw, so the rest of a seed's document stays as it was.
"""

from __future__ import annotations

from typing import Any


def _finnish_reference(base: str) -> str:
    """A Finnish reference number: ``base`` and its 7-3-1 check digit, printed in groups of 5
    from the right (as on a Finnish invoice)."""
    total = sum(int(digit) * (7, 3, 1)[i % 3] for i, digit in enumerate(reversed(base)))
    digits = base + str((10 - total % 10) % 10)
    groups = [digits[max(0, end - 5) : end] for end in range(len(digits), 0, -5)]
    return " ".join(reversed(groups))


def _creditor_reference(base: str) -> str:
    """An RF creditor reference (ISO 11649) around ``base``, printed in groups of 4."""
    check = 98 - int("".join(str(int(char, 36)) for char in base + "RF00")) % 97
    code = f"RF{check:02d}{base}"
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def payment_terms(invoice: dict[str, Any]) -> None:
    """Some invoices carry the payment reference the TMS printed (Finnish or RF) or a penalty
    interest of their own; chosen by number, so the random sequence stays as it was."""
    number = int(invoice["number"])
    if number % 20 == 9:
        invoice["reference"] = _finnish_reference(str(number))
    elif number % 20 == 19:
        invoice["reference"] = _creditor_reference(str(number))
    if number % 50 == 11:
        invoice["penalty_interest"] = "7.5"
