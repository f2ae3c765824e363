"""Product groups, products and product default dimensions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from procountor_export.procountor.base import BaseClient
from procountor_export.procountor.models import DefaultDimension, Product, ProductGroup
from procountor_export.procountor.paging import keyset_pages


class ProductResources(BaseClient):
    """The product register (the export's posting products live here)."""

    def product_groups(self, type: str = "SALES") -> list[ProductGroup]:
        """``GET /products/groups?type=…``."""
        data = self._get("/products/groups", params={"type": type})
        items = data.get("productGroups", []) if isinstance(data, Mapping) else data or []
        return [ProductGroup.model_validate(item) for item in items]

    def create_product_group(self, name: str, type: str = "SALES") -> ProductGroup:
        """``POST /products/groups`` — not retried blindly (may raise OutcomeUnknown)."""
        group = ProductGroup(name=name, type=type)
        data = self._request("POST", "/products/groups", json=group.to_wire(exclude={"id"}))
        return ProductGroup.model_validate(data)

    def products(
        self, *, type: str = "SALES", group_id: int | None = None, code: str | None = None
    ) -> Iterator[Product]:
        """Every product matching the filters (keyset paging, 200 a page).

        ``code`` is a substring match in Procountor: compare codes exactly yourself.
        """
        params: dict[str, str | int] = {"type": type}
        if group_id is not None:
            params["group"] = group_id
        if code is not None:
            params["code"] = code
        for item in keyset_pages(lambda page: self._get("/products", params=page), params):
            yield Product.model_validate(item)

    def get_products(self, ids: Sequence[int]) -> list[Product]:
        """``GET /products/{ids}`` in batches of ≤ 200; unknown ids are left out."""
        return [Product.model_validate(item) for item in self._batched("/products/{ids}", ids)]

    def create_product(self, product: Product) -> Product:
        """``POST /products`` — not retried blindly (may raise OutcomeUnknown)."""
        body = product.to_wire(exclude={"id", "version"})
        return Product.model_validate(self._request("POST", "/products", json=body))

    def update_product(self, product: Product) -> Product:
        """``PUT /products/{id}`` with the whole product."""
        if product.id is None:
            raise ValueError("update_product needs a product with an id")
        data = self._request(
            "PUT", "/products/{id}", path_params={"id": product.id}, json=product.to_wire()
        )
        return Product.model_validate(data)

    def product_default_dimensions(self, product_id: int) -> list[DefaultDimension]:
        """``GET /products/{id}/defaults/dimensions``."""
        data = self._get("/products/{id}/defaults/dimensions", path_params={"id": product_id})
        items = data if isinstance(data, list) else []
        return [DefaultDimension.model_validate(item) for item in items]

    def set_product_default_dimension(
        self, product_id: int, dimension: DefaultDimension
    ) -> DefaultDimension:
        """``PUT /products/{id}/defaults/dimensions/{dimensionId}`` (items need code and %)."""
        data = self._request(
            "PUT",
            "/products/{id}/defaults/dimensions/{dimension_id}",
            path_params={"id": product_id, "dimension_id": dimension.id},
            json=dimension.to_wire(),
        )
        if isinstance(data, Mapping) and "id" in data:
            return DefaultDimension.model_validate(data)
        return dimension
