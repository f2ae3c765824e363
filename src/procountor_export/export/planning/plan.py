"""Planning (pure): what an export run will create and send, computed without any I/O.

A TMS invoice reaches Procountor as *posting products*: its postings are grouped by
:class:`PostingKey` (account, VAT code, VAT rate, VAT status, currency, profit-centre units);
each key is one SALES product in the posting-product group and one invoice row. The plan lists
the products and dimension items that must be created, and per invoice its rows, so that
``export --dry-run`` can print it and execution only has to carry it out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from procountor_export.export.planning.checks import check_invoice
from procountor_export.export.planning.factoring import financing_contract
from procountor_export.export.planning.markets import FINLAND
from procountor_export.export.planning.text import clip
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig, InvoiceData, OfficeData

PRODUCT_CODE_PREFIX = "TMS"
CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class PostingKey:
    """What makes two postings the same posting product."""

    account: str
    vat_code: str
    vat_percent: Decimal
    vat_status: int
    currency: str
    units: tuple[tuple[str, str], ...] = ()

    def canonical(self) -> str:
        """A stable text form of the whole key (the product code's hash is taken of it)."""
        units = ";".join(f"{centre}={unit}" for centre, unit in self.units)
        rate = format(self.vat_percent.normalize(), "f")
        return f"{self.account}|{self.vat_code}|{rate}|{self.vat_status}|{self.currency}|{units}"

    @property
    def product_code(self) -> str:
        """Deterministic product code, at most 40 characters, readable at a glance.

        The same key always gives the same code, so a re-run (or another worker) finds the
        product it created before instead of creating it twice.
        """
        digest = hashlib.sha256(self.canonical().encode()).hexdigest()[:8]
        rate = format(self.vat_percent.normalize(), "f")
        return f"{PRODUCT_CODE_PREFIX}-{self.account[:12]}-{self.vat_status}-{rate[:5]}-{digest}"

    def product_name(self, account_name: str | None = None) -> str:
        """A readable product name (at most 100 characters)."""
        rate = format(self.vat_percent.normalize(), "f")
        parts = [f"{self.account} {account_name}".strip() if account_name else self.account]
        parts.append(f"{self.vat_code} {rate} % (vat_{self.vat_status})")
        if self.units:
            parts.append(", ".join(f"{centre} {unit}" for centre, unit in self.units))
        parts.append(self.currency)
        return clip(" / ".join(parts), 100) or self.account


@dataclass(frozen=True)
class PlannedRow:
    """One invoice row: the sum of the postings that share a key."""

    key: PostingKey
    net: Decimal
    vat: Decimal
    text: str


@dataclass(frozen=True)
class InvoicePlan:
    """One invoice × export: its problems (ready when none is an error) and the rows to send."""

    invoice: InvoiceData
    export: ExportConfig
    problems: tuple[Problem, ...] = ()
    rows: tuple[PlannedRow, ...] = ()
    # The Procountor id of the factoring contract financing the invoice (None: not financed).
    factoring_contract_id: int | None = None
    # The company's market (.markets): which fields and reference type the invoice is sent with.
    market: str = FINLAND

    @property
    def ready(self) -> bool:
        """No error stands in the way of sending it."""
        return not any(problem.is_error for problem in self.problems)


@dataclass
class RunPlan:
    """A whole run for one Procountor company: invoices, products and items to create."""

    invoices: list[InvoicePlan] = field(default_factory=list)
    products_to_create: dict[str, PostingKey] = field(default_factory=dict)
    items_to_create: list[tuple[str, str]] = field(default_factory=list)  # (centre, unit code)
    customers_to_create: list[str] = field(default_factory=list)  # customer numbers
    customers_to_check: list[str] = field(default_factory=list)  # existing: update if changed

    @property
    def ready(self) -> list[InvoicePlan]:
        """The invoices that passed every check."""
        return [plan for plan in self.invoices if plan.ready]


def plan_rows(
    invoice: InvoiceData, export: ExportConfig, snapshot: CompanyCache
) -> list[PlannedRow]:
    """Group the invoice's postings into rows, one per posting key, in order of first use."""
    sums: dict[PostingKey, tuple[Decimal, Decimal, list[str]]] = {}
    for posting in invoice.postings:
        status = export.vat_status(posting.vat_code)
        if status is None:  # reported by the checks; no row without a VAT status
            continue
        key = PostingKey(
            account=posting.account.strip(),
            vat_code=posting.vat_code,
            vat_percent=posting.vat_rate,
            vat_status=status,
            currency=invoice.currency,
            units=tuple(sorted(posting.units)),
        )
        net, vat, texts = sums.get(key, (Decimal(0), Decimal(0), []))
        if posting.text and posting.text not in texts:
            texts.append(posting.text)
        sums[key] = (net + posting.net, vat + posting.vat, texts)
    rows = []
    for key, (net, vat, texts) in sums.items():
        text = "; ".join(texts) if texts else key.product_name(snapshot.accounts.get(key.account))
        rows.append(PlannedRow(key=key, net=net, vat=vat, text=clip(text, 200) or key.account))
    return rows


def plan_invoice(
    invoice: InvoiceData, export: ExportConfig, snapshot: CompanyCache, office: OfficeData
) -> InvoicePlan:
    """Check one invoice and, if it passes, work out its rows."""
    problems = check_invoice(invoice, export, snapshot, office)
    # Warnings do not stop an invoice: only errors leave it without rows (and not ready).
    rows = plan_rows(invoice, export, snapshot) if not any(p.is_error for p in problems) else []
    contract = financing_contract(export, snapshot)
    return InvoicePlan(
        invoice=invoice,
        export=export,
        problems=tuple(problems),
        rows=tuple(rows),
        factoring_contract_id=contract.id if contract is not None else None,
        market=snapshot.market,
    )


def plan_run(
    invoices: Iterable[InvoiceData],
    export: ExportConfig,
    snapshot: CompanyCache,
    office: OfficeData,
) -> RunPlan:
    """Plan every invoice and collect what must be created before they can be sent."""
    run = RunPlan()
    items: dict[tuple[str, str], None] = {}
    customers: dict[str, None] = {}
    for invoice in invoices:
        plan = plan_invoice(invoice, export, snapshot, office)
        run.invoices.append(plan)
        if not plan.ready:
            continue
        number = invoice.customer.customer_number
        customers.setdefault(number)
        for row in plan.rows:
            if row.key.product_code not in snapshot.products:
                run.products_to_create.setdefault(row.key.product_code, row.key)
            for centre, unit in row.key.units:
                dimension = snapshot.dimensions.get(centre)
                if dimension is not None and unit not in dimension.items:
                    items.setdefault((centre, unit))
    run.items_to_create = list(items)
    for number in customers:
        target = run.customers_to_check if number in snapshot.partners else run.customers_to_create
        target.append(number)
    return run


def totals_difference(
    plan: InvoicePlan, net: Decimal | None, vat: Decimal | None, gross: Decimal | None
) -> list[str]:
    """How Procountor's totals differ from the TMS totals (empty when they agree)."""
    invoice = plan.invoice
    differences = []
    for label, ours, theirs in (
        ("net", invoice.total_net, net),
        ("VAT", invoice.total_vat, vat),
        ("gross", invoice.total_gross, gross),
    ):
        if theirs is not None and ours.quantize(CENT, ROUND_HALF_UP) != theirs.quantize(
            CENT, ROUND_HALF_UP
        ):
            differences.append(f"{label} {theirs} in Procountor, {ours} in the TMS")
    return differences
