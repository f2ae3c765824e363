"""Products, product groups and product default dimensions (``/products…``).

A product's ``vatStatus`` and ``vat`` follow :mod:`.vat_rules` (sales side for SALES products);
default dimensions must name existing items of the dimension, percentages totalling 100, and
(reading ``refuseInactiveItems``) no inactive item.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response

from procountor_export.emulator import enums
from procountor_export.emulator.auth import current_company, emulator_of
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import (
    batch_get,
    check_text,
    check_version,
    paged,
    query_bool,
    query_list,
)
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.ledger_rules import DIMENSION_MISMATCH, inactive_item_message
from procountor_export.emulator.spec import read_body, table_problems
from procountor_export.emulator.vat_rules import check_pair, check_percent, check_status
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


# -- groups --------------------------------------------------------------------------------


def _read_group(body: dict[str, Any]) -> tuple[str, str]:
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
    name, kind = _read_group(body)
    group_id = company.next_id("productGroup")
    group: dict[str, Any] = {"id": group_id, "name": name, "type": kind}
    company.product_groups[group_id] = group
    return group


def _group(company: CompanyState, group_id: int) -> dict[str, Any]:
    group = company.product_groups.get(group_id)
    if group is None:
        raise ApiError(404, "Product group not found")
    return group


@router.get("/api/products/groups")
async def groups(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    kind = request.query_params.get("type") or request.query_params.get("productType")
    if kind is not None and kind not in enums.PRODUCT_TYPES:
        raise ApiError(400, f"Invalid value '{kind}' of 'type'", "type")
    found = [g for g in company.product_groups.values() if kind is None or g["type"] == kind]
    return ApiResponse({"productGroups": sorted(found, key=lambda g: g["id"])})


@router.post("/api/products/groups")
async def post_group(
    request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    return ApiResponse(create_group(company, await read_body(request)))


@router.get("/api/products/groups/{group_id}")
async def get_group(group_id: int, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(_group(company, group_id))


@router.put("/api/products/groups/{group_id}")
async def put_group(
    group_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    group = _group(company, group_id)
    group["name"], group["type"] = _read_group(await read_body(request))
    return ApiResponse(group)


@router.delete("/api/products/groups/{group_id}", status_code=204)
async def delete_group(group_id: int, company: CompanyState = Depends(current_company)) -> Response:
    _group(company, group_id)
    if any(p.get("productGroupId") == group_id for p in company.products.values()):
        raise ApiError(409, "Product group has products and cannot be deleted")
    del company.product_groups[group_id]
    return Response(status_code=204)


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


def _store(company: CompanyState, body: dict[str, Any], product_id: int) -> dict[str, Any]:
    previous = company.products.get(product_id, {}).get("version")
    product = {key: value for key, value in body.items() if key not in {"id", "version"}}
    product["id"] = product_id
    product.setdefault("unit", "NO_UNIT")
    product["version"] = company.stamp(previous)
    company.products[product_id] = product
    return product


def _product(company: CompanyState, product_id: int) -> dict[str, Any]:
    product = company.products.get(product_id)
    if product is None:
        raise ApiError(404, "Product not found")
    return product


@router.get("/api/products")
async def search(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    query = request.query_params
    kinds = query_list(query.multi_items(), "type") or ["SALES", "PURCHASE"]
    unknown = [kind for kind in kinds if kind not in enums.PRODUCT_TYPES]
    if unknown:
        raise ApiError(400, f"Invalid value '{unknown[0]}' of 'type'", "type")
    groups_wanted: set[int] = set()
    for raw in query_list(query.multi_items(), "group"):
        if not raw.isdigit() or len(raw) > 18:
            raise ApiError(400, f"Invalid value '{raw}' of 'group'", "group")
        groups_wanted.add(int(raw))
    code = query.get("code")
    name = query.get("name")
    active = query_bool(query, "active")
    found = [
        p
        for p in company.products.values()
        if p["type"] in kinds
        and (not groups_wanted or p.get("productGroupId") in groups_wanted)
        and (code is None or code.lower() in str(p.get("code") or "").lower())
        and (name is None or name.lower() in p["name"].lower())
        and (active is None or p.get("active") == active)
    ]
    return ApiResponse(paged(found, query, default_order="ASC", with_page=False))


@router.get("/api/products/{ids}")
async def get_batch(ids: str, company: CompanyState = Depends(current_company)) -> ApiResponse:
    return ApiResponse(batch_get(ids, company.products))


@router.post("/api/products")
async def create(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    body = await read_body(request)
    validate_product(company, body)
    return ApiResponse(_store(company, body, company.next_id("product")))


@router.put("/api/products/{product_id}")
async def replace(
    product_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    current = _product(company, product_id)
    body = await read_body(request)
    check_version(current["version"], body.get("version"), required=False)
    validate_product(company, body)
    return ApiResponse(_store(company, body, product_id))


@router.delete("/api/products/{product_id}", status_code=204)
async def delete(product_id: int, company: CompanyState = Depends(current_company)) -> Response:
    _product(company, product_id)
    del company.products[product_id]
    company.product_dimensions.pop(product_id, None)
    return Response(status_code=204)


# -- default dimensions --------------------------------------------------------------------


@router.get("/api/products/{product_id}/defaults/dimensions")
async def default_dimensions(
    product_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    _product(company, product_id)
    dims = company.product_dimensions.get(product_id, {})
    return ApiResponse([dims[key] for key in sorted(dims)])


@router.get("/api/products/{product_id}/defaults/dimensions/{dimension_id}")
async def default_dimension(
    product_id: int, dimension_id: int, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    _product(company, product_id)
    if dimension_id not in company.dimensions:
        raise ApiError(404, "Dimension not found")
    dimension = company.dimensions[dimension_id]
    stored = company.product_dimensions.get(product_id, {}).get(dimension_id)
    return ApiResponse(stored or {"id": dimension_id, "name": dimension["name"], "items": []})


@router.put("/api/products/{product_id}/defaults/dimensions/{dimension_id}")
async def put_default_dimension(
    product_id: int,
    dimension_id: int,
    request: Request,
    company: CompanyState = Depends(current_company),
) -> ApiResponse:
    """Set the product's default items of one dimension; item percents must total 100."""
    _product(company, product_id)
    dimension = company.dimensions.get(dimension_id)
    if dimension is None:
        raise ApiError(404, "Dimension not found")
    body = await read_body(request)
    refuse_inactive = emulator_of(request).readings.refuse_inactive_items
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
    stored = {"id": dimension_id, "name": dimension["name"], "items": items}
    dims = company.product_dimensions.setdefault(product_id, {})
    if items:
        dims[dimension_id] = stored
    else:
        dims.pop(dimension_id, None)
    return ApiResponse(stored)
