"""The Procountor master data a run needs, read once per run and per Procountor company.

Only plain values live here, so checks and planning read the cache without any I/O.
``masterdata.load_snapshot`` fills it from the API; while the run creates what was missing
(the product group, dimension items, products, partners) it records them through the cache's
``add_…``/``set_…`` methods, which take a lock: the worker threads write concurrently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from threading import Lock
from typing import TYPE_CHECKING

from procountor_export.export.planning.markets import market_of
from procountor_export.export.reading.iban import normalise_iban

if TYPE_CHECKING:
    from procountor_export.export.reading.factoring import FactoringContracts


@dataclass(frozen=True)
class TrackingPeriodInfo:
    """One accounting (tracking) period; only OPEN periods take postings."""

    start: date
    end: date
    status: str


@dataclass(frozen=True)
class FiscalYearInfo:
    """A financial year and its tracking periods."""

    start: date
    end: date
    is_open: bool
    periods: tuple[TrackingPeriodInfo, ...] = ()


@dataclass
class DimensionInfo:
    """A Procountor dimension (a TMS profit centre) and its items by code name.

    ``inactive`` names the items Procountor marks inactive (status ``P``): they exist, so
    none is created again, but nothing may be posted to them.
    """

    id: int
    name: str
    items: dict[str, int] = field(default_factory=dict)
    inactive: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProductInfo:
    """A posting product already in Procountor."""

    id: int
    code: str
    default_account: str | None
    vat_status: int | None
    vat_percent: Decimal | None


@dataclass(frozen=True)
class ExistingInvoice:
    """A Procountor invoice that carries one of our TMS numbers as ``originalInvoiceNumber``.

    Carrying the number proves nothing: anyone can key one in by hand. Whether it is ours is
    decided by :mod:`ownership` before anything is done with it.
    """

    id: int
    status: str
    invoice_number: int | None = None


@dataclass
class CompanyCache:
    """Everything the checks and the plan need to know about one Procountor company.

    Read it freely; change it only through the methods below (thread-safe).
    """

    company_currency: str
    accounts: dict[str, str]  # active account code -> name
    dimensions: dict[str, DimensionInfo]
    vat_percents: frozenset[Decimal]
    vat_statuses: frozenset[int]
    fiscal_years: tuple[FiscalYearInfo, ...]
    currencies: frozenset[str]
    bank_accounts: frozenset[str]
    default_iban: str | None = None  # the active default-for-invoice account's IBAN
    product_group_id: int | None = None
    products: dict[str, ProductInfo] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)  # customer number -> partner id
    # TMS number -> every live Procountor invoice carrying it (usually one, ours).
    existing_invoices: dict[str, list[ExistingInvoice]] = field(default_factory=dict)
    # The factoring contracts, read only for an export that names one (None: not read).
    factoring: FactoringContracts | None = None
    # The company's country as GET /company names it (FINLAND, SWEDEN, …; None: not known).
    company_country: str | None = None

    _lock: Lock = field(default_factory=Lock, repr=False, compare=False)

    @property
    def market(self) -> str:
        """The company's market (``FI``, ``SE``, ``NO``, ``DK``): from its country, from its
        currency only when the country is unknown (:func:`.markets.market_of`)."""
        return market_of(self.company_country, self.company_currency)

    def set_product_group(self, group_id: int) -> None:
        """The posting-product group's id (found or just created)."""
        with self._lock:
            self.product_group_id = group_id

    def add_dimension_item(self, centre: str, code: str, item_id: int) -> None:
        """A dimension item created (or found again) for a TMS unit."""
        with self._lock:
            self.dimensions[centre].items[code] = item_id

    def add_product(self, info: ProductInfo) -> None:
        """A posting product created (or found again)."""
        with self._lock:
            self.products[info.code] = info

    def add_partners(self, ids: Mapping[str, int]) -> None:
        """Partner ids by customer number (remembered, found or created)."""
        with self._lock:
            self.partners.update(ids)

    def add_existing(self, number: str, invoices: list[ExistingInvoice]) -> None:
        """Invoices found in Procountor carrying a TMS number (ours only if proven so)."""
        with self._lock:
            self.existing_invoices[number] = invoices

    def begin_part(self, existing: dict[str, list[ExistingInvoice]]) -> None:
        """Ready a copy kept from the run's previous part for the next one: its invoices found
        in Procountor are the new part's, its partners are looked up again (from the store's
        remembered ids), the rest of the master data stays as read and created so far."""
        with self._lock:
            self.existing_invoices = existing
            self.partners = {}

    def master_copy(self) -> CompanyCache:
        """A copy of the master data for another part of the run (perhaps another export
        definition on the same company) to start from: its own dimensions and products to add
        to, no partners or invoices found (each part looks up its own)."""
        with self._lock:
            return replace(
                self,
                accounts=dict(self.accounts),
                dimensions={
                    name: replace(info, items=dict(info.items))
                    for name, info in self.dimensions.items()
                },
                products=dict(self.products),
                partners={},
                existing_invoices={},
                _lock=Lock(),
            )

    def renew_creatable(
        self,
        dimensions: dict[str, DimensionInfo],
        product_group_id: int | None,
        products: dict[str, ProductInfo],
    ) -> None:
        """What may have been created since this copy was read, read again: the dimensions
        with their items, the posting-product group and its products."""
        with self._lock:
            self.dimensions = dimensions
            self.product_group_id = product_group_id
            self.products = products

    def date_is_open(self, day: date) -> bool:
        """Whether ``day`` falls in an open fiscal year and (if it has any) an OPEN period.

        PENDING periods count as closed: whether Procountor accepts postings there is not
        documented, and failing early is better than a half-exported run.
        """
        for year in self.fiscal_years:
            if year.start <= day <= year.end:
                if not year.is_open:
                    return False
                if not year.periods:
                    return True
                return any(p.start <= day <= p.end and p.status == "OPEN" for p in year.periods)
        return False

    def has_bank_account(self, iban: str) -> bool:
        """Whether ``iban`` (spaces and case ignored) is an active company account."""
        return normalise_iban(iban) in self.bank_accounts
