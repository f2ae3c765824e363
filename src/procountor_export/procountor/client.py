"""The Procountor client: one object per resource, one verb set across them."""

from __future__ import annotations

from functools import cached_property

from procountor_export.procountor.base import BaseClient
from procountor_export.procountor.resources.attachments import Attachments
from procountor_export.procountor.resources.company import (
    BankAccounts,
    ChartOfAccounts,
    CompanyInfo,
    Currencies,
    Dimensions,
    FiscalYears,
    Session,
    Users,
    Vats,
)
from procountor_export.procountor.resources.factoring import FactoringContracts
from procountor_export.procountor.resources.invoices import Invoices
from procountor_export.procountor.resources.ledger import LedgerReceipts
from procountor_export.procountor.resources.partners import Partners
from procountor_export.procountor.resources.payments import Payments
from procountor_export.procountor.resources.products import Products

__all__ = ["ProcountorClient"]


class ProcountorClient(BaseClient):
    """A client for one Procountor company (one API key).

    The API is reached through resources that mirror its paths, with one verb set —
    ``create``, ``get`` (by ids), ``list``/``search``, ``update``, and the domain actions::

        client.invoices.create(invoice)           client.invoices.get(ids)
        client.invoices.search(start_date=…)      client.invoices.approve(id)
        client.invoices.send(id)                  client.ledger_receipts.get(ids)
        client.partners.search(customer_number=…) client.partners.create(partner)
        client.products.list(code=…)              client.products.groups.create(name)
        client.dimensions.list()                  client.dimensions.items.create(dim, code)
        client.attachments.create(meta, pdf)      client.company.get()
        client.invoices.search(changed_since=v)   client.payments.list(invoice_ids)
        client.invoices.payment_events.list(id)

    ``get(ids)`` takes any number of ids: the client reads them in calls of at most 200.

    ``base_url`` is the API root (``https://api.procountor.com/api``, ``…/latest/api`` or
    ``…/vYYMM/api``; see :data:`PRODUCTION_BASE_URL` and :data:`TEST_BASE_URL`). Every request
    on the wire — token calls included — is paced by ``limiter`` (by default the process-wide
    limiter of ``client_id`` at ``rate``: the library's cautious 15 requests/s unless given;
    the service passes ``PROCOUNTOR_RATE_LIMIT``, 18 by default) in one place, the client's
    :class:`~.transport.PacedTransport`; calls are authenticated with a cached token, retried
    when safe and mapped to the errors of :mod:`procountor_export.procountor.errors`. Every
    exchange is counted in :attr:`calls` (keyed ``"GET /invoices/{ids}"``) and passed to each
    of ``hooks`` as a :class:`RequestRecord`.

    ``transport`` or ``http_client`` replace the network (tests: ``httpx2.MockTransport`` or
    Starlette's ``TestClient``); both are paced like the network, and a given ``http_client``
    is not closed by :meth:`close`. Retries are capped at ``retry_attempts`` attempts and
    ``retry_timeout`` seconds.

    Thread-safe: threads may share one client (and so one token and one limiter).
    """

    @cached_property
    def session(self) -> Session:
        """``/sessioninfo``: who we are."""
        return Session(self)

    @cached_property
    def company(self) -> CompanyInfo:
        """``/company``."""
        return CompanyInfo(self)

    @cached_property
    def users(self) -> Users:
        """``/users``: the user's rights."""
        return Users(self)

    @cached_property
    def currencies(self) -> Currencies:
        """``/currencies``."""
        return Currencies(self)

    @cached_property
    def bank_accounts(self) -> BankAccounts:
        """``/bankaccounts``."""
        return BankAccounts(self)

    @cached_property
    def chart_of_accounts(self) -> ChartOfAccounts:
        """``/coa``: the ledger accounts."""
        return ChartOfAccounts(self)

    @cached_property
    def dimensions(self) -> Dimensions:
        """``/dimensions`` and their items."""
        return Dimensions(self)

    @cached_property
    def vats(self) -> Vats:
        """``/vats``: the company's VAT rates."""
        return Vats(self)

    @cached_property
    def fiscal_years(self) -> FiscalYears:
        """``/fiscalyears``."""
        return FiscalYears(self)

    @cached_property
    def factoring_contracts(self) -> FactoringContracts:
        """``/factoringcontracts``: the company's factoring contracts (Finnish environments)."""
        return FactoringContracts(self)

    @cached_property
    def products(self) -> Products:
        """``/products``, their groups and default dimensions."""
        return Products(self)

    @cached_property
    def partners(self) -> Partners:
        """``/businesspartners``."""
        return Partners(self)

    @cached_property
    def invoices(self) -> Invoices:
        """``/invoices``."""
        return Invoices(self)

    @cached_property
    def ledger_receipts(self) -> LedgerReceipts:
        """``/ledgerreceipts``."""
        return LedgerReceipts(self)

    @cached_property
    def payments(self) -> Payments:
        """``/payments/paymentevents``: payments booked against invoices (one invoice's in
        full: ``invoices.payment_events``)."""
        return Payments(self)

    @cached_property
    def attachments(self) -> Attachments:
        """``/attachments``."""
        return Attachments(self)

    def __enter__(self) -> ProcountorClient:
        return self
