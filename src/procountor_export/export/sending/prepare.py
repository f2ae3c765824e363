"""What must exist in Procountor before invoices can go: product group, dimension items,
posting products and customers. Each is found first and created only when missing, so a re-run
(or a run after a crash between a POST and its answer) creates nothing twice. A creation whose
answer is lost is looked up and sent again only when surely missing, within the run
(:func:`~procountor_export.procountor.settle.settle`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from procountor_export.export import messages as m
from procountor_export.export.planning import payloads
from procountor_export.export.planning.plan import PostingKey, RunPlan
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import ProductInfo
from procountor_export.export.reading.data import CustomerData
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.customers import (
    Created,
    CustomerPreparer,
    PreparedCustomers,
)
from procountor_export.export.sending.failures import (
    RunAborted,
    detail,
    fatal_problem,
    problem_for,
    temporary_problem,
)
from procountor_export.procountor.errors import ProcountorError, is_temporary
from procountor_export.procountor.models import (
    DefaultDimension,
    DefaultDimensionItem,
    Product,
    ProductGroup,
)
from procountor_export.procountor.settle import settle
from procountor_export.runtime.threads import fan_out


@dataclass
class Prepared:
    """Ids the invoices need, and what could not be prepared (with the user's message)."""

    product_ids: dict[str, int] = field(default_factory=dict)
    partner_ids: dict[str, int] = field(default_factory=dict)  # customer number -> partner id
    failed_units: dict[tuple[str, str], Problem] = field(default_factory=dict)
    failed_products: dict[str, Problem] = field(default_factory=dict)
    failed_customers: dict[str, Problem] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock, repr=False)
    created: dict[Created, int] = field(default_factory=lambda: dict.fromkeys(Created, 0))

    def count(self, what: Created) -> None:
        """Count one created (or updated) object, from any thread."""
        with self.lock:
            self.created[what] += 1

    def add_customers(self, customers: PreparedCustomers) -> None:
        """Take in the customers' partner ids, problems and counts."""
        self.partner_ids.update(customers.ids)
        self.failed_customers.update(customers.failed)
        with self.lock:
            for what, count in customers.created.items():
                self.created[what] += count


class Preparer:
    """Creates the missing master data for one run plan against one Procountor company."""

    def __init__(self, ctx: RunContext, unit_names: dict[tuple[str, str], str]) -> None:
        self.ctx = ctx
        self.client = ctx.client
        self.cache = ctx.cache
        self.export = ctx.export
        self.unit_names = unit_names

    def _fatal(self, error: ProcountorError) -> None:
        problem = fatal_problem(error)
        if problem is not None:
            raise RunAborted(problem) from error

    def prepare(self, plan: RunPlan, customers: Iterable[CustomerData]) -> Prepared:
        """Create group, items, products and customers; failures are recorded, not raised.

        Raises :class:`RunAborted` when nothing can go on (credentials, rights, product group).
        """
        prepared = Prepared(product_ids={code: p.id for code, p in self.cache.products.items()})
        if plan.products_to_create:
            self.ensure_product_group()
        for centre, unit in plan.items_to_create:
            self.ensure_item(centre, unit, prepared)
        products = [
            (code, key)
            for code, key in plan.products_to_create.items()
            if not any(pair in prepared.failed_units for pair in key.units)
        ]
        self._parallel(lambda pair: self.ensure_product(pair[0], pair[1], prepared), products)
        prepared.add_customers(self.ensure_customers(customers))
        return prepared

    def _parallel(self, step: Callable[[Any], None], items: Sequence[Any]) -> None:
        """Run ``step`` over ``items`` on the worker threads (the limiter paces them)."""
        fan_out(items, step, self.ctx.options.workers)

    def ensure_product_group(self) -> int:
        """The posting-product group's id, creating the group when it is missing."""
        if self.cache.product_group_id is not None:
            return self.cache.product_group_id
        name = self.export.product_group

        def find() -> ProductGroup | None:
            groups = self.client.products.groups.list()
            return next((g for g in groups if g.name == name and g.id is not None), None)

        try:
            settled = settle(self.client, lambda: self.client.products.groups.create(name), find)
        except ProcountorError as error:
            self._fatal(error)
            if is_temporary(error):
                raise RunAborted(temporary_problem(error)) from error
            raise RunAborted(Problem.of(m.PRODUCT_GROUP, name, detail=detail(error))) from error
        group = settled.found if settled.found is not None else settled.written
        if group is None or group.id is None:
            raise RunAborted(Problem.of(m.PRODUCT_GROUP, name))
        self.cache.set_product_group(group.id)
        return group.id

    def ensure_item(self, centre: str, unit: str, prepared: Prepared) -> None:
        """Create a dimension item for a new TMS unit (looked up again if the answer was lost)."""
        dimension = self.cache.dimensions[centre]
        description = self.unit_names.get((centre, unit))
        try:
            settled = settle(
                self.client,
                lambda: self.client.dimensions.items.create(dimension.id, unit, description).id,
                lambda: self._find_item(centre, unit),
            )
        except ProcountorError as error:
            self._fatal(error)
            prepared.failed_units[(centre, unit)] = problem_for(error, template=m.API_CALL)
            return
        if settled.found is not None:
            self.cache.add_dimension_item(centre, unit, settled.found)
        elif settled.written is not None:
            self.cache.add_dimension_item(centre, unit, settled.written)
            prepared.count(Created.ITEMS)

    def _find_item(self, centre: str, unit: str) -> int | None:
        """The id of the dimension item ``unit`` of ``centre`` in Procountor, if it is there
        (raises when the dimensions cannot be read)."""
        for dimension in self.client.dimensions.list():
            if dimension.name == centre:
                for item in dimension.items:
                    if item.code_name == unit and item.id is not None:
                        return item.id
        return None

    def ensure_product(self, code: str, key: PostingKey, prepared: Prepared) -> None:
        """Create the posting product for a key and give it the key's default dimensions."""
        group_id = self.ensure_product_group()
        wanted = payloads.product(key, group_id, self.cache.accounts.get(key.account))
        try:
            settled = settle(
                self.client,
                lambda: self.client.products.create(wanted),
                lambda: self._find_product(code),
            )
        except ProcountorError as error:
            self._fatal(error)
            prepared.failed_products[code] = problem_for(error)
            return
        created = settled.found if settled.found is not None else settled.written
        if created is None or created.id is None:
            return
        self.cache.add_product(
            ProductInfo(created.id, code, key.account, key.vat_status, key.vat_percent)
        )
        prepared.product_ids[code] = created.id
        prepared.count(Created.PRODUCTS)
        for centre, unit in key.units:
            dimension = self.cache.dimensions[centre]
            default = DefaultDimension(
                id=dimension.id,
                name=dimension.name,
                items=[DefaultDimensionItem(id=dimension.items[unit], code_name=unit, percent=100)],
            )
            try:
                self.client.products.default_dimensions.update(created.id, default)
            except ProcountorError as error:
                # Not fatal for the invoice: the ledger receipt is checked and corrected anyway.
                self._fatal(error)

    def _find_product(self, code: str) -> Product | None:
        """The posting product ``code``, if Procountor has it (raises when it cannot tell)."""
        for product in self.client.products.list(code=code):
            if product.code == code:
                return product
        return None

    def ensure_customers(self, customers: Iterable[CustomerData]) -> PreparedCustomers:
        """Find, reactivate, update or create the customers (see :mod:`customers`)."""
        result = CustomerPreparer(
            self.client,
            currency=self.cache.company_currency,
            fatal=self._fatal,
            parallel=self._parallel,
            policy=self.export.customer_updates,
            export=self.export.name,
            market=self.cache.market,
        ).prepare(customers, dict(self.cache.partners))
        self.cache.add_partners(result.ids)
        return result
