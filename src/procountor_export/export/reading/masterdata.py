"""Reading one Procountor company's master data once per run (batched, never per invoice)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from procountor_export.export.reading.cache import (
    CompanyCache,
    DimensionInfo,
    ExistingInvoice,
    FiscalYearInfo,
    ProductInfo,
    TrackingPeriodInfo,
)
from procountor_export.export.reading.data import InvoiceData
from procountor_export.export.reading.factoring import load_factoring
from procountor_export.export.reading.iban import normalise_iban
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError
from procountor_export.procountor.models import InvoiceSummary

IGNORED_STATUSES = frozenset({"INVALIDATED", "DELETED"})
FORBIDDEN = 403


def load_snapshot(
    client: ProcountorClient,
    *,
    product_group: str,
    invoices: Sequence[InvoiceData] = (),
    factoring: bool = False,
) -> CompanyCache:
    """Read the company's country (its market, :mod:`..planning.markets`), chart of accounts,
    dimensions, VAT, fiscal years, currencies, bank accounts, the posting-product group and its
    products, and the invoices that already carry the run's TMS numbers. Customers are not
    listed here: a company may have thousands; the preparation looks up only the run's
    customer numbers (:mod:`partners`). With ``factoring`` (the export names a factoring
    contract) the company's factoring contracts too (:mod:`.factoring`).

    Errors propagate as the client raises them; the caller turns them into the article's
    messages (the chart of accounts is read first, so a failure there is "Could not retrieve
    accounts from Procountor").
    """
    accounts = {
        account.ledger_account_code: account.name or ""
        for account in client.chart_of_accounts.list()
        if account.ledger_account_code and account.active is not False
    }
    company_currency = client.currencies.company()
    country = read_country(client)
    dimensions = read_dimensions(client)
    vat = client.vats.default()
    percents: set[Decimal] = set()
    for vat_country in vat.vat_information:
        percents.update(p.vat_percent for p in vat_country.percentages if p.sales)
    statuses = frozenset(s.vat_status for s in vat.vat_statuses if s.sales)
    years = tuple(
        FiscalYearInfo(
            start=year.start_date,
            end=year.end_date,
            is_open=bool(year.is_open),
            periods=tuple(
                TrackingPeriodInfo(period.start_date, period.end_date, period.status or "")
                for period in year.tracking_periods
            ),
        )
        for year in client.fiscal_years.list()
    )
    currencies = frozenset(client.currencies.list()) | {company_currency}
    active_accounts = [
        account
        for account in client.bank_accounts.list()
        if (account.status or "ACTIVE") == "ACTIVE"
    ]
    banks = frozenset(
        normalise_iban(account.iban or account.account_number or "") for account in active_accounts
    )
    default_iban = next(
        (
            normalise_iban(account.iban or account.account_number or "")
            for account in active_accounts
            if account.default_for_invoice and (account.iban or account.account_number)
        ),
        None,
    )
    snapshot = CompanyCache(
        company_currency=company_currency,
        accounts=accounts,
        dimensions=dimensions,
        vat_percents=frozenset(percents),
        vat_statuses=statuses,
        fiscal_years=years,
        currencies=currencies,
        bank_accounts=banks,
        default_iban=default_iban,
        company_country=country,
    )
    snapshot.product_group_id, snapshot.products = read_products(client, product_group)
    if factoring:
        snapshot.factoring = load_factoring(client)
    if invoices:
        snapshot.existing_invoices = existing_invoices(client, invoices)
    return snapshot


def read_country(client: ProcountorClient) -> str | None:
    """The company's country (``GET /company``: ``FINLAND``, ``SWEDEN`` …), which decides its
    market. ``None`` when the API key's user may not read the company (403: the company-info
    right is not one the article asks for); the market then follows the company currency."""
    try:
        return client.company.get().country
    except ProcountorError as error:
        if error.status == FORBIDDEN:
            return None
        raise


def read_dimensions(client: ProcountorClient) -> dict[str, DimensionInfo]:
    """Every dimension with its items, by name (``GET /dimensions``)."""
    return {
        dimension.name: DimensionInfo(
            id=dimension.id,
            name=dimension.name,
            items={
                item.code_name: item.id
                for item in dimension.items
                if item.code_name and item.id is not None
            },
            inactive=frozenset(item.code_name for item in dimension.items if not item.active),
        )
        for dimension in client.dimensions.list()
        if dimension.name
    }


def read_products(
    client: ProcountorClient, product_group: str, group_id: int | None = None
) -> tuple[int | None, dict[str, ProductInfo]]:
    """The posting-product group's id (``None`` while there is none) and its active products
    by code. ``group_id``: the group is known already, so the groups are not listed."""
    if group_id is None:
        group = next((g for g in client.products.groups.list() if g.name == product_group), None)
        group_id = group.id if group is not None else None
    products: dict[str, ProductInfo] = {}
    if group_id is None:
        return None, products
    for product in client.products.list(group_id=group_id):
        if product.code and product.id is not None and product.active is not False:
            products[product.code] = ProductInfo(
                id=product.id,
                code=product.code,
                default_account=product.default_account,
                vat_status=product.vat_status,
                vat_percent=product.vat,
            )
    return group_id, products


def existing_invoices(
    client: ProcountorClient, invoices: Sequence[InvoiceData]
) -> dict[str, list[ExistingInvoice]]:
    """Procountor invoices whose ``originalInvoiceNumber`` is one of ``invoices``' numbers.

    One paged search over the run's date range (not one lookup per invoice); invalidated
    invoices do not count. Every hit is kept: which one (if any) is ours is decided later.
    """
    numbers = {invoice.number for invoice in invoices}
    start = min(invoice.date for invoice in invoices)
    end = max(invoice.date for invoice in invoices)
    found: dict[str, list[ExistingInvoice]] = {}
    seen: set[int] = set()
    for summary in client.invoices.search(start_date=start, end_date=end):
        number = summary.original_invoice_number
        if (
            number in numbers
            and summary.id not in seen
            and (summary.status or "") not in IGNORED_STATUSES
        ):
            seen.add(summary.id)
            found.setdefault(number, []).append(_existing(summary))
    return found


def find_invoices(client: ProcountorClient, number: str) -> list[ExistingInvoice]:
    """Every live invoice carrying one TMS number (after a POST whose outcome is unknown)."""
    return [
        _existing(summary)
        for summary in client.invoices.search(original_invoice_number=number)
        if summary.original_invoice_number == number
        and (summary.status or "") not in IGNORED_STATUSES
    ]


def _existing(summary: InvoiceSummary) -> ExistingInvoice:
    return ExistingInvoice(summary.id, summary.status or "", summary.invoice_number)
