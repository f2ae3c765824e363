"""Products, product groups and product default dimensions (``/products…``).

The rules (:mod:`procountor_export.emulator.rules.products`): a product's ``vatStatus`` and
``vat`` follow the company's VAT settings (sales side for SALES products); default dimensions
must name existing items of the dimension, percentages totalling 100, and (reading
``refuseInactiveItems``) no inactive item.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response

from procountor_export.emulator import enums
from procountor_export.emulator.common import (
    batch_get,
    check_version,
    paged,
    query_bool,
    query_list,
)
from procountor_export.emulator.dependencies import current_company, emulator_of
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.routes.body import read_body
from procountor_export.emulator.rules.products import (
    create_group,
    read_default_dimension,
    read_group,
    store_product,
    validate_product,
)
from procountor_export.emulator.wire import ApiResponse

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()


# -- groups --------------------------------------------------------------------------------


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
    group["name"], group["type"] = read_group(await read_body(request))
    return ApiResponse(group)


@router.delete("/api/products/groups/{group_id}", status_code=204)
async def delete_group(group_id: int, company: CompanyState = Depends(current_company)) -> Response:
    _group(company, group_id)
    if any(p.get("productGroupId") == group_id for p in company.products.values()):
        raise ApiError(409, "Product group has products and cannot be deleted")
    del company.product_groups[group_id]
    return Response(status_code=204)


# -- products ------------------------------------------------------------------------------


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
    return ApiResponse(store_product(company, body, company.next_id("product")))


@router.put("/api/products/{product_id}")
async def replace(
    product_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    current = _product(company, product_id)
    body = await read_body(request)
    check_version(current["version"], body.get("version"), required=False)
    validate_product(company, body)
    return ApiResponse(store_product(company, body, product_id))


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
    stored = read_default_dimension(company, dimension_id, body, refuse_inactive=refuse_inactive)
    items = stored["items"]
    dims = company.product_dimensions.setdefault(product_id, {})
    if items:
        dims[dimension_id] = stored
    else:
        dims.pop(dimension_id, None)
    return ApiResponse(stored)
