"""Counts with their nouns, for the words a person reads: ``1 invoice``, ``2 invoices``.

Shared by the CLI's texts (and open to any face): no "1 invoices", no "problem(s)".
"""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` with its noun: ``1 invoice``, ``0 invoices``, ``2 attempts``.

    ``plural_form`` is for nouns that do not take an ``s`` (``plural(2, "entry", "entries")``).
    """
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {noun}"
