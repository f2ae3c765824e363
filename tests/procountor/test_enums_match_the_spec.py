"""The client's enums hold exactly the values Procountor's OpenAPI 26.04 lists.

Each enum equals its schema field's enum in the spec's order; every other model field or query
parameter typed with it lists the same values (in whatever order the spec has there).
"""

from __future__ import annotations

import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from procountor_export.apispec import load
from procountor_export.procountor import (
    InvoiceChannel,
    InvoiceStatus,
    InvoiceType,
    Language,
    PartnerType,
    PaymentMethod,
    ProductType,
    TransactionType,
    Unit,
    models,
)
from procountor_export.procountor.enums import ApiEnum

TABLE = load()

# Each enum and the schema field whose enum it copies, in order.
SOURCES: dict[type[ApiEnum], tuple[str, str]] = {
    InvoiceStatus: ("Invoice", "status"),
    InvoiceType: ("Invoice", "type"),
    InvoiceChannel: ("Invoice", "invoiceChannel"),
    Language: ("Invoice", "language"),
    Unit: ("InvoiceRow", "unit"),
    PartnerType: ("BusinessPartner", "type"),
    ProductType: ("Product", "type"),
    PaymentMethod: ("PaymentInfo", "paymentMethod"),
    TransactionType: ("Transaction", "transactionType"),
}

# The models and the schema Procountor gives each (nested models are followed).
MODELS: dict[type[BaseModel], str] = {
    models.Invoice: "Invoice",
    models.InvoiceSummary: "InvoiceBasicInfo",
    models.BusinessPartner: "BusinessPartner",
    models.BusinessPartnerSummary: "BusinessPartnerBasicInfo",
    models.Product: "Product",
    models.ProductGroup: "ProductGroup",
    models.LedgerReceipt: "LedgerReceipt",
}

# Query parameters the resources type with an enum.
QUERIES: list[tuple[str, str, str, type[ApiEnum]]] = [
    ("GET", "/invoices", "types", InvoiceType),
    ("GET", "/invoices", "status", InvoiceStatus),
    ("GET", "/businesspartners", "type", PartnerType),
    ("GET", "/products", "type", ProductType),
    ("GET", "/products/groups", "type", ProductType),
]


@pytest.mark.parametrize("enum", list(SOURCES), ids=lambda e: e.__name__)
def test_each_enum_is_its_schema_fields_enum_in_order(enum: type[ApiEnum]) -> None:
    schema, field = SOURCES[enum]
    assert tuple(enum) == TABLE.fields(schema)[field].enum
    assert all(member.name == member.value for member in enum)


def _parts(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        return tuple(p for arg in typing.get_args(annotation) for p in _parts(arg))
    return (annotation,)


def enum_fields(model: type[BaseModel], schema: str) -> list[tuple[str, type[ApiEnum], str]]:
    """Every (schema.field, enum) the model types with an enum, through nested models."""
    found: list[tuple[str, type[ApiEnum], str]] = []
    fields = TABLE.fields(schema)
    for name, info in model.model_fields.items():
        alias = info.alias or name
        for part in _parts(info.annotation):
            if isinstance(part, type) and issubclass(part, ApiEnum):
                found.append((f"{schema}.{alias}", part, alias))
            elif isinstance(part, type) and issubclass(part, BaseModel):
                ref = fields[alias].ref
                assert ref is not None
                found.extend(enum_fields(part, ref))
    return found


def _typed_fields() -> list[tuple[str, type[ApiEnum]]]:
    return [(where, enum) for m, s in MODELS.items() for where, enum, _ in enum_fields(m, s)]


def test_the_models_use_the_enums() -> None:
    used = {enum for _, enum in _typed_fields()}
    assert used == set(SOURCES)


@pytest.mark.parametrize(
    ("where", "enum"), _typed_fields(), ids=lambda v: getattr(v, "__name__", v)
)
def test_every_model_field_typed_with_an_enum_lists_the_same_values(
    where: str, enum: type[ApiEnum]
) -> None:
    schema, field = where.split(".")
    assert set(TABLE.fields(schema)[field].enum or ()) == set(enum)


@pytest.mark.parametrize(("method", "path", "name", "enum"), QUERIES)
def test_every_query_parameter_typed_with_an_enum_lists_the_same_values(
    method: str, path: str, name: str, enum: type[ApiEnum]
) -> None:
    assert set(TABLE.operation(method, path).query[name].enum or ()) == set(enum)


def test_a_value_newer_than_the_spec_is_kept_not_refused() -> None:
    invoice = models.Invoice.model_validate({"status": "SOMETHING_NEW", "type": "SALES_INVOICE"})
    assert invoice.status == "SOMETHING_NEW"
    assert isinstance(invoice.status, InvoiceStatus)
    assert invoice.type is InvoiceType.SALES_INVOICE
    assert invoice.to_wire()["status"] == "SOMETHING_NEW"
