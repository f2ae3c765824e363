"""Products, product groups and product default dimensions."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from procountor_export.procountor.enums import ProductType
from procountor_export.procountor.models import DefaultDimension, Product, ProductGroup
from procountor_export.procountor.paging import keyset_pages
from procountor_export.procountor.resources import Resource

if TYPE_CHECKING:
    from procountor_export.procountor.base import BaseClient

__all__ = ["ProductDefaultDimensions", "ProductGroups", "Products"]


class ProductGroups(Resource):
    """``/products/groups``."""

    def list(self, type: ProductType = ProductType.SALES) -> builtins.list[ProductGroup]:
        """``GET /products/groups?type=…``."""
        data = self._client._get("/products/groups", params={"type": type})
        items = data.get("productGroups", []) if isinstance(data, Mapping) else data or []
        return [ProductGroup.model_validate(item) for item in items]

    def create(self, name: str, type: ProductType = ProductType.SALES) -> ProductGroup:
        """``POST /products/groups`` — not retried blindly (may raise OutcomeUnknown)."""
        group = ProductGroup(name=name, type=type)
        data = self._client._request("POST", "/products/groups", json=group.to_wire(exclude={"id"}))
        return ProductGroup.model_validate(data)


class ProductDefaultDimensions(Resource):
    """``/products/{id}/defaults/dimensions``."""

    def list(self, product_id: int) -> builtins.list[DefaultDimension]:
        """``GET /products/{id}/defaults/dimensions``."""
        data = self._client._get(
            "/products/{id}/defaults/dimensions", path_params={"id": product_id}
        )
        items = data if isinstance(data, list) else []
        return [DefaultDimension.model_validate(item) for item in items]

    def update(self, product_id: int, dimension: DefaultDimension) -> DefaultDimension:
        """``PUT /products/{id}/defaults/dimensions/{dimensionId}`` (items need code and %)."""
        data = self._client._request(
            "PUT",
            "/products/{id}/defaults/dimensions/{dimension_id}",
            path_params={"id": product_id, "dimension_id": dimension.id},
            json=dimension.to_wire(),
        )
        if isinstance(data, Mapping) and "id" in data:
            return DefaultDimension.model_validate(data)
        return dimension


class Products(Resource):
    """``/products`` — the product register (the export's posting products live here); the
    groups under :attr:`groups`, a product's default dimensions under
    :attr:`default_dimensions`."""

    def __init__(self, client: BaseClient) -> None:
        super().__init__(client)
        self.groups = ProductGroups(client)
        self.default_dimensions = ProductDefaultDimensions(client)

    def list(
        self,
        *,
        type: ProductType = ProductType.SALES,
        group_id: int | None = None,
        code: str | None = None,
    ) -> Iterator[Product]:
        """Every product matching the filters (``GET /products``, keyset paging, 200 a page).

        ``code`` is a substring match in Procountor: compare codes exactly yourself.
        """
        params: dict[str, str | int] = {"type": type}
        if group_id is not None:
            params["group"] = group_id
        if code is not None:
            params["code"] = code
        pages = keyset_pages(lambda page: self._client._get("/products", params=page), params)
        for item in pages:
            yield Product.model_validate(item)

    def get(self, ids: Iterable[int]) -> builtins.list[Product]:
        """``GET /products/{ids}`` for any number of ids (≤ 200 a call); unknown ids are left
        out."""
        return [
            Product.model_validate(item) for item in self._client._get_many("/products/{ids}", ids)
        ]

    def create(self, product: Product) -> Product:
        """``POST /products`` — not retried blindly (may raise OutcomeUnknown)."""
        body = product.to_wire(exclude={"id", "version"})
        return Product.model_validate(self._client._request("POST", "/products", json=body))

    def update(self, product: Product) -> Product:
        """``PUT /products/{id}`` with the whole product."""
        if product.id is None:
            raise ValueError("products.update needs a product with an id")
        data = self._client._request(
            "PUT", "/products/{id}", path_params={"id": product.id}, json=product.to_wire()
        )
        return Product.model_validate(data)
