"""Address objects of partners and invoices: texts in Windows-1252 and a known country."""

from __future__ import annotations

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields

ADDRESS_TEXTS = ("name", "specifier", "street", "zip", "city", "subdivision")


def read_address(parent: Fields, key: str, *, required: bool, name_required: bool = False) -> None:
    """Check an address object (texts, country enum name) under ``parent[key]``; its lengths
    come from the API table (:func:`table_problems`)."""
    address = parent.child(key, required=required)
    if address is None:
        return
    for field in ADDRESS_TEXTS:
        address.text(field, required=name_required and field == "name")
    country = address.text("country")
    if country is not None and not enums.is_country(country):
        address.problems.add(address.at("country"), f"Invalid value '{country}' of 'country'")
