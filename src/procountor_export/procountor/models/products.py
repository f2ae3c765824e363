"""Products, product groups and product default dimensions."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from procountor_export.procountor.enums import ProductType, Unit
from procountor_export.procountor.models.base import ApiModel


class ProductGroup(ApiModel):
    """A product group (``type`` ``SALES``, ``PURCHASE`` or ``TRAVEL``)."""

    id: int | None = None
    name: str | None = None
    type: ProductType = ProductType.SALES


class Product(ApiModel):
    """A product of the product register; ``vat`` is the VAT percent."""

    id: int | None = None
    type: ProductType = ProductType.SALES
    name: str | None = None
    code: str | None = None
    unit: Unit | None = None
    price: Decimal | None = None
    discount: Decimal | None = None
    vat: Decimal | None = None
    vat_status: int | None = None
    active: bool | None = None
    default_account: str | None = None
    currency: str | None = None
    product_group_id: int | None = None
    version: str | None = None


class DefaultDimensionItem(ApiModel):
    """One item of a product's default dimension, with its share in percent."""

    id: int
    code_name: str | None = None
    percent: Decimal | None = None


class DefaultDimension(ApiModel):
    """A product's default dimension (``PUT /products/{id}/defaults/dimensions/{dimensionId}``)."""

    id: int
    name: str | None = None
    items: list[DefaultDimensionItem] = Field(default_factory=list)
