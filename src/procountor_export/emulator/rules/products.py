"""Product and product group rules: validation, storage and default dimensions.

A product's ``vatStatus`` and ``vat`` follow :mod:`.vat` (sales side for SALES products);
default dimensions must name existing items of the dimension, percentages totalling 100, and
(reading ``refuseInactiveItems``) no inactive item.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import check_text
from procountor_export.emulator.errors import Problems
from procountor_export.emulator.rules.ledger import DIMENSION_MISMATCH, inactive_item_message
from procountor_export.emulator.rules.spec import table_problems
from procountor_export.emulator.rules.vat import check_pair, check_percent, check_status

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState


# -- groups --------------------------------------------------------------------------------


def read_group(body: dict[str, Any]) -> tuple[str, str]:
    """The ``name`` and ``type`` of a product group body; raises a 400 listing every problem."""
    problems = Problems()
    fields = Fields(body, "", problems)
    name = fields.text("name", required=True)
    # Required although the table's flag says optional: procountor-api.md §7.3 documents
    # ``{"name", "type"}`` and a group of no type could hold no product.
    kind = fields.enum("type", enums.PRODUCT_TYPES, required=True)
    check_text(body, problems)
    table_problems("ProductGroup", body, problems)
    problems.raise_if_any()
    assert name is not None
    assert kind is not None
    return name, kind


def create_group(company: CompanyState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store a product group ``{"name", "type"}``."""
    name, kind = read_group(body)
    group_id = company.next_id("productGroup")
    group: dict[str, Any] = {"id": group_id, "name": name, "type": kind}
    company.product_groups[group_id] = group
    return group


# -- products ------------------------------------------------------------------------------


def validate_product(company: CompanyState, body: dict[str, Any]) -> None:
    """Check a full product body; raises a 400 listing every problem."""
    problems = Problems()
    fields = Fields(body, "", problems)
    kind = fields.enum("type", enums.PRODUCT_TYPES, required=True)
    fields.text("name", required=True)
    fields.text("code")
    fields.enum("unit", enums.UNITS)
    fields.number("price", required=True, places=6)
    fields.number("discount", required=True, minimum=0, maximum=100, places=4)
    fields.boolean("active", required=True)
    fields.enum("currency", enums.CURRENCIES, required=True)
    sales = kind != "PURCHASE"
    vat = fields.number("vat", minimum=0, maximum=100)
    vat_ok = vat is not None and check_percent(company, vat, None, "vat", problems, sales=sales)
    number = fields.integer("vatStatus")
    status = None
    if number is not None:
        status = check_status(company, number, "vatStatus", problems, sales=sales)
    if vat_ok and vat is not None and status is not None:
        check_pair(status, vat, "vat", problems)
    account = fields.text("defaultAccount")
    if account is not None and account not in company.account_codes():
        problems.add("defaultAccount", f"Ledger account {account} does not exist")
    group_id = fields.integer("productGroupId")
    if group_id is not None:
        group = company.product_groups.get(group_id)
        if group is None:
            problems.add("productGroupId", f"Product group {group_id} does not exist")
        elif kind is not None and group["type"] != kind:
            problems.add("productGroupId", "Product group type does not match the product type")
    check_text(body, problems)
    table_problems("Product", body, problems)
    problems.raise_if_any()


def store_product(company: CompanyState, body: dict[str, Any], product_id: int) -> dict[str, Any]:
    """Store a validated product body as ``product_id`` with a new ``version``."""
    previous = company.products.get(product_id, {}).get("version")
    product = {key: value for key, value in body.items() if key not in {"id", "version"}}
    product["id"] = product_id
    product.setdefault("unit", "NO_UNIT")
    product["version"] = company.stamp(previous)
    company.products[product_id] = product
    return product


# -- default dimensions --------------------------------------------------------------------


def read_default_dimension(
    company: CompanyState, dimension_id: int, body: dict[str, Any], *, refuse_inactive: bool
) -> dict[str, Any]:
    """A product's default items of the (existing) dimension ``dimension_id`` from ``body``:
    each must name an item of the dimension (active ones only with ``refuse_inactive``), their
    percentages totalling 100; raises a 400 listing every problem."""
    dimension = company.dimensions[dimension_id]
    problems = Problems()
    fields = Fields(body, "", problems)
    given_id = fields.integer("id")
    if given_id is not None and given_id != dimension_id:
        problems.add("id", "Dimension id does not match the path")
    items = []
    total = Decimal(0)
    for item in fields.objects("items", required=True):
        item_id = item.integer("id", required=True)
        code = item.text("codeName", required=True)
        percent = item.number("percent", required=True, minimum=0, maximum=100, places=2)
        if item_id is None or code is None or percent is None:
            continue
        known = company.dimension_item(dimension_id, item_id)
        if known is None or known["codeName"] != code:
            problems.add(item.at("id"), DIMENSION_MISMATCH)
            continue
        if refuse_inactive and known.get("status") == "P":
            problems.add(item.at("id"), inactive_item_message(dimension, known))
            continue
        total += percent
        items.append({"id": item_id, "codeName": code, "percent": percent})
    if items and total != 100:
        problems.add("items", "Dimension item percentages must total 100")
    check_text(body, problems)
    table_problems("DefaultDimension", body, problems)
    problems.raise_if_any()
    return {"id": dimension_id, "name": dimension["name"], "items": items}
