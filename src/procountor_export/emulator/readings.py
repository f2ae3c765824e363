"""Switchable readings of behaviour the documentation leaves open (see :class:`ReadingsSeed`).

Each reading comes from the seed (``"readings": {...}``), can be overridden by an app factory
option / CLI flag, and changed while running with ``PUT /_emulator/readings``:

==========================  =====================  ==================  =====================
reading (seed key)          ``create_app`` option  CLI flag            default
==========================  =====================  ==================  =====================
``strictFields``            ``lenient=True`` off   ``--lenient``       on: unknown field 400
``emptySearch404``          ``empty_search_404``   ``--empty-search``  off: empty page
                                                   ``-404``
``refuseInactiveItems``     ``refuse_inactive_``   ``--allow-inactive  on: 400 naming item
                            ``items``              ``-items``
``einvoiceBillingRequired`` ``billing_from_``      ``--billing-from-   on: e-invoice without
                            ``counterparty`` off   ``counterparty``    billingAddress 400
==========================  =====================  ==================  =====================
"""

from __future__ import annotations

from typing import Any

from procountor_export.emulator.seed import ReadingsSeed


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class Readings:
    """The current readings; attributes mirror :class:`ReadingsSeed`."""

    def __init__(self, config: ReadingsSeed | None = None):
        self.config = config or ReadingsSeed()

    @classmethod
    def build(
        cls,
        seed: ReadingsSeed,
        *,
        lenient: bool | None = None,
        empty_search_404: bool | None = None,
        refuse_inactive_items: bool | None = None,
        billing_from_counterparty: bool | None = None,
    ) -> Readings:
        """The seed's readings with the given options (``None``: the seed's value) applied."""
        readings = cls(seed.model_copy())
        changes: dict[str, Any] = {}
        if lenient is not None:
            changes["strictFields"] = not lenient
        if empty_search_404 is not None:
            changes["emptySearch404"] = empty_search_404
        if refuse_inactive_items is not None:
            changes["refuseInactiveItems"] = refuse_inactive_items
        if billing_from_counterparty is not None:
            changes["einvoiceBillingRequired"] = not billing_from_counterparty
        readings.update(changes)
        return readings

    def update(self, changes: dict[str, Any]) -> None:
        """Merge ``changes`` (camelCase or snake_case keys); raises ``ValidationError``."""
        merged = self.config.model_dump(by_alias=True)
        merged.update({_camel(key): value for key, value in changes.items()})
        self.config = ReadingsSeed.model_validate(merged)

    @property
    def strict_fields(self) -> bool:
        return self.config.strict_fields

    @property
    def empty_search_404(self) -> bool:
        return self.config.empty_search_404

    @property
    def refuse_inactive_items(self) -> bool:
        return self.config.refuse_inactive_items

    @property
    def einvoice_billing_required(self) -> bool:
        return self.config.einvoice_billing_required

    def to_dict(self) -> dict[str, Any]:
        return self.config.model_dump(by_alias=True)
