"""The base of every payload model: camelCase on the wire, snake_case in Python.

``extra="allow"`` keeps every field Procountor sends that we do not model, so a GET → change →
PUT round trip sends them back (PUT replaces the whole object). ``None`` fields are left out on
the wire; decimals stay ``Decimal`` until :mod:`..wire` writes them as JSON numbers.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """A Procountor JSON object."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",
        arbitrary_types_allowed=False,
    )

    def to_wire(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The object as Procountor expects it: camelCase keys, ``None`` left out."""
        return self.model_dump(by_alias=True, exclude_none=True, exclude=exclude)


class Address(ApiModel):
    """A postal address (counterparty, billing, delivery, partner)."""

    name: str | None = None
    specifier: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: str | None = None
    subdivision: str | None = None


class PageMeta(ApiModel):
    """The ``meta`` block of a list response."""

    page_number: int | None = None
    page_size: int | None = None
    result_count: int | None = None
    total_count: int | None = None
