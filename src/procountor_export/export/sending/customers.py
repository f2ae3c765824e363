"""Customers as Procountor keeps them: found by customer number (active or not), then
reused, reactivated, updated or created — never another company's partner overwritten.

A run meets only its own customers' numbers. Their partners are found without listing the
whole partner register (a company may have thousands):

1. ids remembered in the store from earlier runs, re-validated with batched
   ``GET /businesspartners/{ids}``;
2. the remaining numbers looked up with ``GET /businesspartners?customerNumber=…``, first
   among active and then among inactive partners (a search without ``active`` finds active
   ones only, yet an inactive partner's number is still taken). Many unknown numbers at once
   (a first run) are cheaper to match against one listing of all partners.

A partner with our customer number is ours only when its business ID matches (or one side
has none). An inactive one is reactivated; one with another business ID is reported with the
article's "could not be created" message and left unchanged.

The export's ``customer_updates`` policy bounds what is written: ``create_and_update`` (the
article) creates missing customers and updates changed ones; ``create_only`` creates missing
ones and never changes an existing partner (no PUT, no reactivation); ``none`` writes nothing:
a customer missing from Procountor fails its invoices with the article's "could not be created"
message, saying why. An update changes only the fields the TMS owns, only where they differ,
and keeps everything else a person keyed in (:func:`.payloads.partner_changes`): the partner
is read whole, changed and written back whole, as a PUT replaces it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from threading import Lock
from typing import Any

from procountor_export.export import messages as m
from procountor_export.export.planning import markets, payloads
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import CustomerData
from procountor_export.export.sending.failures import problem_for
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError
from procountor_export.procountor.models import BusinessPartner, RegistryInfo
from procountor_export.procountor.settle import settle
from procountor_export.store.models import CustomerUpdates

# Above this many unknown customer numbers (a first run, a large new batch of customers),
# listing every partner, active and inactive, 200 a page, costs fewer requests than two
# searches per number for any register up to a few thousand partners. Later runs remember
# the ids and list nothing.
LIST_ALL_ABOVE = 10


class Created(StrEnum):
    """What preparing a run's master data counts (the run summary's ``created``)."""

    ITEMS = "items"  # dimension items
    PRODUCTS = "products"  # posting products
    CUSTOMERS = "customers"
    CUSTOMERS_UPDATED = "customers_updated"
    CUSTOMERS_REACTIVATED = "customers_reactivated"


@dataclass
class PreparedCustomers:
    """The run's customers in one company: partner ids or problems, by customer number, and
    how many were created, updated or reactivated."""

    ids: dict[str, int] = field(default_factory=dict)
    failed: dict[str, Problem] = field(default_factory=dict)
    created: dict[Created, int] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock, repr=False)

    def count(self, what: Created) -> None:
        """Count one created (or updated) customer, from any thread."""
        with self.lock:
            self.created[what] = self.created.get(what, 0) + 1


class CustomerPreparer:
    """Finds, reactivates, updates or creates the run's customers in one company.

    ``fatal`` raises when an error must stop the run (credentials, rights);
    ``parallel`` runs a step over items on the run's worker threads. ``policy`` is the
    export's ``customer_updates`` (see the module docstring), ``export`` its name. ``market``
    is the company's (:mod:`..planning.markets`: which invoicing fields are sent); ``None``
    takes it from ``currency``, one currency per market.
    """

    def __init__(
        self,
        client: ProcountorClient,
        *,
        currency: str,
        fatal: Callable[[ProcountorError], None],
        parallel: Callable[[Callable[[Any], None], Sequence[Any]], None],
        policy: CustomerUpdates = CustomerUpdates.CREATE_AND_UPDATE,
        export: str = "",
        market: str | None = None,
    ) -> None:
        self.market = market or markets.market_of(None, currency)
        self.policy = policy
        self.export = export
        self.client = client
        self.currency = currency
        self.fatal = fatal
        self.parallel = parallel

    def prepare(
        self,
        customers: Iterable[CustomerData],
        known: dict[str, int],
    ) -> PreparedCustomers:
        """Every customer's partner id (customer number -> partner id) or why it has none.

        ``known`` holds the partner ids remembered from earlier runs.
        """
        result = PreparedCustomers()
        ids, failed = result.ids, result.failed
        wanted: dict[str, CustomerData] = {}
        for customer in customers:
            if customer.customer_number:
                wanted.setdefault(customer.customer_number, customer)
        existing = self._existing(wanted, known)

        def one(entry: tuple[str, CustomerData]) -> None:
            number, customer = entry
            desired = payloads.partner(customer, self.currency, self.market)
            args = (customer.name, customer.code, customer.sales_ledger_no)
            current = existing.get(number)
            if current is None or current.id is None:
                if self.policy is CustomerUpdates.NONE:
                    failed[number] = Problem.of(
                        m.CUSTOMER_CREATE,
                        *args,
                        detail=f"the export {self.export} creates no customers (customer "
                        f"updates: none) and Procountor has no customer number {number}",
                    )
                    return
                created = self._create(number, desired, args)
                if isinstance(created, Problem):
                    failed[number] = created
                elif created is not None:
                    partner_id, new = created
                    ids[number] = partner_id
                    if new:
                        result.count(Created.CUSTOMERS)
                return
            clash = _clash(current, desired)
            if clash:
                # Same customer number, another company: never overwrite it.
                failed[number] = Problem.of(m.CUSTOMER_CREATE, *args, detail=clash)
                return
            inactive = current.registry_info is not None and current.registry_info.active is False
            if self.policy is not CustomerUpdates.CREATE_AND_UPDATE:
                # The partner is used as Procountor keeps it: never changed, never reactivated.
                if inactive:
                    failed[number] = Problem.of(m.CUSTOMER_INACTIVE_KEPT, *args, self.export)
                    return
                ids[number] = current.id
                return
            changes = payloads.partner_changes(current, desired)
            if inactive:
                changes = changes or current.model_copy(deep=True)
                registry = changes.registry_info or RegistryInfo()
                registry.active = True
                changes.registry_info = registry
            if changes is not None:
                try:
                    self.client.partners.update(changes)
                    result.count(
                        Created.CUSTOMERS_REACTIVATED if inactive else Created.CUSTOMERS_UPDATED
                    )
                except ProcountorError as error:
                    self.fatal(error)
                    failed[number] = _problem(error, m.CUSTOMER_UPDATE, args)
                    return
            ids[number] = current.id

        self.parallel(one, list(wanted.items()))
        return result

    def _existing(
        self, wanted: dict[str, CustomerData], known: dict[str, int]
    ) -> dict[str, BusinessPartner]:
        """The partners carrying ``wanted``'s customer numbers, in full, by number."""
        existing: dict[str, BusinessPartner] = {}
        for partner in self._get([known[n] for n in wanted if n in known]):
            number = _number(partner)
            if number in wanted and known.get(number) == partner.id:
                existing[number] = partner
        unknown = [n for n in wanted if n not in existing]
        found_ids: dict[str, int] = {}
        if len(unknown) > LIST_ALL_ABOVE:
            found_ids.update(self._list_all(set(unknown)))
        elif unknown:

            def look_up(number: str) -> None:
                partner_id = self._search(number)
                if partner_id is not None:
                    found_ids[number] = partner_id

            self.parallel(look_up, unknown)
        full = {p.id: p for p in self._get(sorted(set(found_ids.values()))) if p.id is not None}
        existing.update({n: full[i] for n, i in found_ids.items() if i in full})
        return existing

    def _get(self, ids: Sequence[int]) -> list[BusinessPartner]:
        try:
            return self.client.partners.get(ids)
        except ProcountorError as error:
            self.fatal(error)
            raise

    def _search(self, number: str) -> int | None:
        """The partner with exactly this customer number: an active one, else an inactive."""
        for active in (True, False):
            try:
                hits = self.client.partners.search(customer_number=number, active=active)
            except ProcountorError as error:
                self.fatal(error)
                raise
            for hit in hits:
                if (hit.invoicing_info.customer_number or "").strip() == number:
                    return hit.id
        return None

    def _list_all(self, numbers: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for active in (True, False):
            try:
                hits = self.client.partners.search(active=active)
            except ProcountorError as error:
                self.fatal(error)
                raise
            for hit in hits:
                number = (hit.invoicing_info.customer_number or "").strip()
                if number in numbers and number not in found:
                    found[number] = hit.id
        return found

    def _create(
        self,
        number: str,
        desired: BusinessPartner,
        args: tuple[object, ...],
    ) -> tuple[int, bool] | Problem | None:
        """The partner's id and whether this call created it (``False``: a lost answer's
        partner found), why it could not be created, or ``None`` when neither is known."""
        try:
            # A lost answer: a partner with the number now is the one we made; the POST is
            # sent again only when the search surely finds none.
            settled = settle(
                self.client,
                lambda: self.client.partners.create(desired).id,
                lambda: self._search(number),
            )
        except ProcountorError as error:
            self.fatal(error)
            return _problem(error, m.CUSTOMER_CREATE, args)
        if settled.found is not None:
            return settled.found, False
        if settled.written is not None:
            return settled.written, True
        return None


def _number(partner: BusinessPartner) -> str:
    info = partner.invoicing_info
    return (info.customer_number or "").strip() if info else ""


def _problem(
    error: ProcountorError, template: m.MessageTemplate, args: tuple[object, ...]
) -> Problem:
    return problem_for(error, template=template, args=args)


def _clash(existing: BusinessPartner, wanted: BusinessPartner) -> str | None:
    """Why ``existing`` is another company than ``wanted`` although the numbers match."""
    ours = wanted.invoicing_info
    theirs = existing.invoicing_info
    if ours is None or theirs is None:
        return None
    if (
        ours.identifier
        and theirs.identifier
        and _plain(ours.identifier) != _plain(theirs.identifier)
    ):
        state = (
            "an inactive customer"
            if existing.registry_info and existing.registry_info.active is False
            else "another customer"
        )
        return (
            f"{state} ({existing.name}) has the customer number {ours.customer_number} in "
            f"Procountor with a different business ID ({theirs.identifier})"
        )
    return None


def _plain(identifier: str) -> str:
    return "".join(ch for ch in identifier.upper() if ch.isalnum())
