"""Bank account numbers in the one form the export compares and sends them in."""

from __future__ import annotations


def normalise_iban(iban: str) -> str:
    """An IBAN without spaces, in upper case, as Procountor wants it."""
    return "".join(iban.split()).upper()
