"""Checks made before anything is written to Procountor (pure: invoice + snapshot -> problems).

Every check runs, so a user sees all of an invoice's problems at once and can fix them in one
go. The messages are the article's where it has one (see ``messages``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from procountor_export.export import messages as m
from procountor_export.export.planning import identifiers, markets
from procountor_export.export.planning.countries import procountor_country
from procountor_export.export.planning.factoring import factoring_problems
from procountor_export.export.planning.payment_checks import payment_problems
from procountor_export.export.planning.text import unencodable
from procountor_export.export.planning.vat_kinds import kind_problems
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import AddressData, ExportConfig, InvoiceData, OfficeData

ACCOUNT_NUMBER = re.compile(r"^\d{1,12}$")
CHANNEL_NAMES = {"e-invoice": "e-invoice", "email": "e-mail", "mail": "mail", "none": "none"}


def check_invoice(
    invoice: InvoiceData,
    export: ExportConfig,
    snapshot: CompanyCache,
    office: OfficeData,
) -> list[Problem]:
    """Every problem that would stop ``invoice`` from being exported correctly."""
    number = invoice.number

    def problem(template: m.MessageTemplate, *args: object, field: str | None = None) -> Problem:
        return Problem.of(template, *args, invoice=number, field=field)

    problems: list[Problem] = []
    customer = invoice.customer
    if not customer.customer_number:
        problems.append(
            problem(
                m.CUSTOMER_NUMBER_MISSING,
                customer.name,
                customer.code,
                customer.customer_no,
                field="customer.sales_ledger_no",
            )
        )
    problems.extend(problem(m.TEXT_ENCODING, what, bad) for what, bad in _bad_texts(invoice))
    market = snapshot.market
    problems.extend(_customer_problems(invoice, problem, market))
    problems.extend(identifiers.customer_problems(customer, problem, market))
    problems.extend(identifiers.office_problems(office, problem, market))
    problems.extend(factoring_problems(invoice, export, snapshot, office))
    problems.extend(payment_problems(invoice, market, problem))

    if invoice.due_date < invoice.date:
        problems.append(
            problem(
                m.DUE_DATE, invoice.due_date.isoformat(), invoice.date.isoformat(), field="due_date"
            )
        )
    if not snapshot.date_is_open(invoice.date):
        problems.append(problem(m.PERIOD_CLOSED, invoice.date.isoformat(), field="date"))
    if invoice.currency not in snapshot.currencies:
        problems.append(problem(m.CURRENCY_UNKNOWN, invoice.currency, field="currency"))
    elif invoice.currency == snapshot.company_currency and invoice.currency_rate != 1:
        problems.append(
            problem(
                m.CURRENCY_RATE,
                invoice.currency_rate,
                snapshot.company_currency,
                field="currency_rate",
            )
        )
    if office.bank_account and not snapshot.has_bank_account(office.bank_account):
        problems.append(
            problem(m.IBAN_NOT_COMPANY, office.bank_account, field="office.bank_account")
        )

    seen: set[tuple[str, object]] = set()
    missing_dimensions: list[str] = []
    inactive: list[tuple[str, str]] = []
    for index, posting in enumerate(invoice.postings):
        where = f"postings[{index}]"
        account = posting.account.strip()
        if not ACCOUNT_NUMBER.match(account):
            if ("malformed", account) not in seen:
                problems.append(problem(m.ACCOUNT_MALFORMED, account, field=f"{where}.account"))
        elif account not in snapshot.accounts and ("missing", account) not in seen:
            problems.append(problem(m.ACCOUNT_MISSING, account, field=f"{where}.account"))
        seen.update({("malformed", account), ("missing", account)})

        status = export.vat_status(posting.vat_code)
        if status is None:
            if ("vat", posting.vat_code) not in seen:
                problems.append(
                    problem(
                        m.VAT_CODE_UNMAPPED,
                        posting.vat_code,
                        export.name,
                        field=f"{where}.vat_code",
                    )
                )
        elif status not in snapshot.vat_statuses and ("status", status) not in seen:
            problems.append(
                problem(
                    m.VAT_STATUS_NOT_ENABLED, status, posting.vat_code, field=f"{where}.vat_code"
                )
            )
        seen.update({("vat", posting.vat_code), ("status", status)})
        if posting.vat_rate not in snapshot.vat_percents and ("rate", posting.vat_rate) not in seen:
            problems.append(
                problem(
                    m.VAT_PERCENT_NOT_ENABLED,
                    _percent(posting.vat_rate),
                    posting.vat_code,
                    field=f"{where}.vat_rate",
                )
            )
        seen.add(("rate", posting.vat_rate))
        for centre, unit in posting.units:
            dimension = snapshot.dimensions.get(centre)
            if dimension is None:
                if centre not in missing_dimensions:
                    missing_dimensions.append(centre)
            elif unit in dimension.inactive and (centre, unit) not in inactive:
                inactive.append((centre, unit))
                problems.append(
                    problem(
                        m.DIMENSION_ITEM_INACTIVE, centre, unit, field=f"{where}.profit_centres"
                    )
                )
    if missing_dimensions:
        problems.append(
            problem(m.DIMENSIONS_MISSING, ", ".join(missing_dimensions), field="postings")
        )
    problems.extend(kind_problems(invoice, export, snapshot, problem))
    return problems


def _percent(rate: object) -> str:
    text = f"{rate}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _customer_problems(
    invoice: InvoiceData, problem: _ProblemFactory, market: str
) -> Iterator[Problem]:
    """The customer data Procountor needs for the customer's invoice channel and country.

    The e-invoice operator (EDI code) is needed only by a Finnish company (§7.15); elsewhere
    it is not sent at all."""
    customer = invoice.customer
    for label, address in (
        ("address", customer.address),
        ("invoice_address", customer.invoice_address),
    ):
        if address and address.country and procountor_country(address.country) is None:
            yield problem(
                m.COUNTRY_UNKNOWN, address.country, customer.code, field=f"customer.{label}.country"
            )
    channel = customer.invoice_channel
    missing: list[str] = []
    if channel == "e-invoice":
        if not customer.ovt:
            missing.append("e-invoice address (OVT)")
        if not customer.edi_code and markets.is_finnish(market):
            missing.append("EDI code (e-invoice operator)")
        missing.extend(_street_zip_city(customer.address, "address"))
        if customer.invoice_address:
            missing.extend(_street_zip_city(customer.invoice_address, "invoice address"))
    elif channel == "email" and not customer.email:
        missing.append("e-mail address")
    elif channel == "mail":
        missing.extend(_street_zip_city(customer.billing_address, "address"))
    if missing:
        yield problem(
            m.CUSTOMER_INCOMPLETE,
            customer.name,
            customer.code,
            CHANNEL_NAMES.get(channel, channel),
            "missing " + ", ".join(missing),
            field="customer.invoice_channel",
        )


def _street_zip_city(address: AddressData, label: str) -> list[str]:
    return [
        f"{part} of the {label}"
        for part, value in (
            ("street", address.street),
            ("zip code", address.zip),
            ("city", address.city),
        )
        if not value
    ]


def _bad_texts(invoice: InvoiceData) -> Iterator[tuple[str, str]]:
    """(what, bad characters) for every outgoing text that Windows-1252 cannot carry."""
    customer = invoice.customer
    texts: list[tuple[str, str | None]] = [
        (f"customer name of customer {customer.code}", customer.name),
        (f"e-mail address of customer {customer.code}", customer.email),
        (f"text of invoice {invoice.number}", invoice.text),
        (f"our reference of invoice {invoice.number}", invoice.our_reference),
        (f"your reference of invoice {invoice.number}", invoice.your_reference),
        (f"order reference of invoice {invoice.number}", invoice.order_reference),
    ]
    for label, address in (
        ("address", customer.address),
        ("invoice address", customer.invoice_address),
    ):
        if address is not None:
            for part in ("name", "specifier", "street", "zip", "city"):
                texts.append(
                    (f"{part} in the {label} of customer {customer.code}", getattr(address, part))
                )
    for index, posting in enumerate(invoice.postings):
        texts.append((f"text of posting {index + 1} of invoice {invoice.number}", posting.text))
        for centre, unit in posting.units:
            texts.append((f"profit centre name {centre}", centre))
            texts.append((f"unit code {unit}", unit))
    reported: set[str] = set()
    for what, value in texts:
        bad = unencodable(value)
        if bad and what not in reported:
            reported.add(what)
            yield what, bad


class _ProblemFactory(Protocol):
    def __call__(
        self, template: m.MessageTemplate, *args: object, field: str | None = None
    ) -> Problem: ...
