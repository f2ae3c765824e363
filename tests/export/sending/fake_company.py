"""The in-memory Procountor of :mod:`fake_client` with the master data a run prepares: business
partners, the posting-product group, posting products and their default dimensions, and
dimension items. Only what :mod:`~procountor_export.export.sending.prepare` and
:mod:`~procountor_export.export.sending.customers` call, plus what a company run needs of a
client (its API root, ``with``, per-endpoint counts).

A POSTed invoice is booked as Procountor books it with ``accountingByRow``: one ledger entry
per row, on its product's account and VAT status, split over the product's default dimension
items. So a run over this fake meets a right coding only when the preparation gave the products
their accounts and dimensions, and ``fail_*`` lists script errors as in :mod:`fake_client`.
"""

from __future__ import annotations

from decimal import Decimal
from types import TracebackType
from typing import Any

from sending.fake_client import FakeClient

from procountor_export.procountor.errors import ProcountorError
from procountor_export.procountor.models import (
    BusinessPartner,
    BusinessPartnerSummary,
    DefaultDimension,
    Dimension,
    DimensionItem,
    DimensionItemValue,
    Invoice,
    LedgerReceipt,
    Product,
    ProductGroup,
    Transaction,
)
from procountor_export.procountor.models.partners import BasicInvoicingInfo


def _fail(failures: list[ProcountorError]) -> None:
    if failures:
        raise failures.pop(0)


class FakePartners:
    """``client.partners``: searched by customer number among active or inactive partners."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: dict[int, BusinessPartner] = {}
        self.fail_get: list[ProcountorError] = []
        self.fail_search: list[ProcountorError] = []
        self.fail_create: list[ProcountorError] = []
        self.fail_update: list[ProcountorError] = []
        self._next_id = 40

    def add(self, partner: BusinessPartner) -> BusinessPartner:
        self._next_id += 1
        stored = partner.model_copy(deep=True, update={"id": partner.id or self._next_id})
        assert stored.id is not None
        self.stored[stored.id] = stored
        return stored

    def get(self, ids: Any) -> list[BusinessPartner]:
        ids = tuple(ids)
        if not ids:  # the real client sends no request for no ids
            return []
        self.owner.record("partners.get", ids)
        _fail(self.fail_get)
        return [self.stored[i].model_copy(deep=True) for i in ids if i in self.stored]

    def search(
        self, *, customer_number: str | None = None, active: bool = True, **_: Any
    ) -> list[BusinessPartnerSummary]:
        self.owner.record("partners.search", (customer_number, active))
        _fail(self.fail_search)
        return [
            BusinessPartnerSummary(
                id=p.id,
                name=p.name,
                invoicing_info=BasicInvoicingInfo(
                    customer_number=p.invoicing_info.customer_number,
                    identifier=p.invoicing_info.identifier,
                ),
            )
            for p in self.stored.values()
            if p.id is not None
            and p.invoicing_info is not None
            and customer_number in (None, p.invoicing_info.customer_number)
            and (p.registry_info is None or p.registry_info.active is not False) is active
        ]

    def create(self, partner: BusinessPartner) -> BusinessPartner:
        info = partner.invoicing_info
        self.owner.record("partners.create", info.customer_number if info else None)
        _fail(self.fail_create)
        return self.add(partner.model_copy(update={"id": None}))

    def update(self, partner: BusinessPartner) -> BusinessPartner:
        self.owner.record("partners.update", partner.id)
        _fail(self.fail_update)
        assert partner.id in self.stored
        self.stored[partner.id] = partner.model_copy(deep=True)
        return partner


class FakeProductGroups:
    """``client.products.groups``."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: list[ProductGroup] = []
        self.fail_create: list[ProcountorError] = []

    def list(self, *_: Any) -> list[ProductGroup]:
        self.owner.record("products.groups.list", None)
        return list(self.stored)

    def create(self, name: str, *_: Any) -> ProductGroup:
        self.owner.record("products.groups.create", name)
        _fail(self.fail_create)
        group = ProductGroup(id=60 + len(self.stored), name=name)
        self.stored.append(group)
        return group


class FakeDefaultDimensions:
    """``client.products.default_dimensions``: what the fake books each product's rows on."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: dict[int, list[DefaultDimension]] = {}
        self.fail_update: list[ProcountorError] = []

    def update(self, product_id: int, dimension: DefaultDimension) -> DefaultDimension:
        self.owner.record("products.default_dimensions.update", product_id)
        _fail(self.fail_update)
        kept = [d for d in self.stored.get(product_id, []) if d.id != dimension.id]
        self.stored[product_id] = [*kept, dimension]
        return dimension


class FakeProducts:
    """``client.products``: the posting products, their group and default dimensions."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored: dict[int, Product] = {}
        self.groups = FakeProductGroups(owner)
        self.default_dimensions = FakeDefaultDimensions(owner)
        self.fail_create: list[ProcountorError] = []
        self._next_id = 3000

    def list(
        self, *, group_id: int | None = None, code: str | None = None, **_: Any
    ) -> list[Product]:
        self.owner.record("products.list", code or group_id)
        return [
            p.model_copy()
            for p in self.stored.values()
            if (code is None or code in (p.code or "")) and group_id in (None, p.product_group_id)
        ]

    def create(self, product: Product) -> Product:
        self.owner.record("products.create", product.code)
        _fail(self.fail_create)
        self._next_id += 1
        stored = product.model_copy(update={"id": self._next_id})
        self.stored[self._next_id] = stored
        return stored.model_copy()


class FakeDimensionItems:
    """``client.dimensions.items``: a POST adds the item to its dimension."""

    def __init__(self, dimensions: FakeDimensions) -> None:
        self.dimensions = dimensions
        self.fail_create: list[ProcountorError] = []
        self._next_id = 400

    def create(
        self, dimension_id: int, code_name: str, description: str | None = None
    ) -> DimensionItem:
        self.dimensions.owner.record("dimensions.items.create", code_name)
        _fail(self.fail_create)
        self._next_id += 1
        item = DimensionItem(id=self._next_id, code_name=code_name, description=description)
        dimension = next(d for d in self.dimensions.stored if d.id == dimension_id)
        dimension.items.append(item)
        return item


class FakeDimensions:
    """``client.dimensions``, by default the bench company's: Department with HEL and TKU."""

    def __init__(self, owner: FakeClient) -> None:
        self.owner = owner
        self.stored = [
            Dimension(
                id=12,
                name="Department",
                items=[
                    DimensionItem(id=345, code_name="HEL"),
                    DimensionItem(id=346, code_name="TKU"),
                ],
            )
        ]
        self.items = FakeDimensionItems(self)

    def list(self) -> list[Dimension]:
        self.owner.record("dimensions.list", None)
        return [d.model_copy(deep=True) for d in self.stored]


class FakeCompany(FakeClient):
    """A whole company's worth of :class:`FakeClient`: invoices, master data, bookings."""

    def __init__(self, *, retry_attempts: int = 3) -> None:
        super().__init__(retry_attempts=retry_attempts)
        self.base_url = "https://fake.procountor/api"
        self.partners = FakePartners(self)
        self.products = FakeProducts(self)
        self.dimensions = FakeDimensions(self)
        self.opened = 0  # how many times a run took the client (``with``)

    def __enter__(self) -> FakeCompany:
        self.opened += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def booked(self, invoice: Invoice) -> None:
        """The invoice's ledger receipt: each row on its product's account and dimensions."""
        entries = []
        for number, row in enumerate(invoice.invoice_rows, start=1):
            product = self.products.stored.get(row.product_id or -1)
            value = (row.unit_price or Decimal(0)) * (row.quantity or Decimal(0))
            defaults = self.products.default_dimensions.stored.get(row.product_id or -1, [])
            entries.append(
                Transaction(
                    id=number,
                    transaction_type="ENTRY",
                    account=product.default_account if product else None,
                    accounting_value=value,
                    vat_status=row.vat_status,
                    dimension_item_values=[
                        DimensionItemValue(
                            dimension_id=d.id,
                            item_id=item.id,
                            value=value * (item.percent or Decimal(100)) / 100,
                        )
                        for d in defaults
                        for item in d.items
                    ],
                )
            )
        assert invoice.id is not None
        self.ledger_receipts.add(
            LedgerReceipt(
                id=invoice.ledger_receipt_id,
                invoice_id=invoice.id,
                transactions=entries,
                version="v1",
            )
        )
