"""Validation of a sales invoice body and the totals Procountor computes for it.

``validate_invoice`` reads the whole body, collects every problem with its field path, and
raises one 400; the closed-period check comes last and alone (message ``CLOSED_FISCAL_PERIOD``),
as the real API reports it as the reason for refusing an otherwise valid invoice. Lengths,
enums and required fields also come from the API table (:func:`table_problems`); identifiers
are checked as in :mod:`.identifiers`, VAT as in :mod:`.vat`, what the company's market allows
as in :mod:`.markets` and :mod:`.references`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import check_text
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.money import cents
from procountor_export.emulator.readings import Readings
from procountor_export.emulator.rules.addresses import read_address
from procountor_export.emulator.rules.factoring import check_factoring
from procountor_export.emulator.rules.identifiers import (
    BRN_ERROR,
    business_id_ok,
    einvoice_address_ok,
    email_ok,
    vat_number_ok,
)
from procountor_export.emulator.rules.markets import check_finnish_only, operator_required
from procountor_export.emulator.rules.references import check_reference
from procountor_export.emulator.rules.spec import table_problems
from procountor_export.emulator.rules.vat import check_pair, check_percent, check_status
from procountor_export.emulator.seed import VatStatusSeed

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

TEXTS = (
    "originalInvoiceNumber", "orderReference", "additionalInformation", "notes",
    "deliveryInstructions", "buyerReferenceIdentifier", "sellerReferenceIdentifier",
    "orderNumber", "agreementNumber", "accountingCode", "deliverySite", "tenderReference",
)  # fmt: skip
ROW_TEXTS = ("productCode", "comment", "headerText", "explanationText")
CLOSED_FISCAL_PERIOD = "CLOSED_FISCAL_PERIOD"


@dataclass(frozen=True)
class RowAmounts:
    """One row's net and VAT in the invoice currency."""

    net: Decimal
    vat: Decimal


def _identifiers(counter_party: Fields) -> None:
    problems = counter_party.problems
    address = counter_party.data.get("counterPartyAddress")
    country = address.get("country") if isinstance(address, dict) else None
    identifier = counter_party.text("identifier")
    if identifier is not None and not business_id_ok(identifier, country):
        problems.add(counter_party.at("identifier"), BRN_ERROR)
    tax_code = counter_party.text("taxCode")
    if tax_code is not None and not vat_number_ok(tax_code):
        problems.add(counter_party.at("taxCode"), BRN_ERROR)
    counter_party.text("customerNumber")


def _addresses(
    fields: Fields,
    body: dict[str, Any],
    channel: str | None,
    billing_required: bool,
    country: str,
) -> None:
    """Check the counterparty and the addresses; ``country`` is the company's."""
    problems = fields.problems
    counter_party = fields.child("counterParty", required=True)
    if counter_party is None:
        return
    counter_party.text("contactPersonName")
    _identifiers(counter_party)
    email = counter_party.text("email")
    bcc = counter_party.data.get("bccAddresses")
    if bcc is not None and (not isinstance(bcc, list) or len(bcc) > 4):
        problems.add(counter_party.at("bccAddresses"), "At most 4 bccAddresses are allowed")
    read_address(counter_party, "counterPartyAddress", required=True, name_required=True)
    read_address(fields, "billingAddress", required=False)
    read_address(fields, "deliveryAddress", required=False)
    own = counter_party.data.get("counterPartyAddress") or {}
    # An omitted billing address means the counterparty's; ``{}`` means none. For an e-invoice
    # the strict reading (the default) wants it given: see ReadingsSeed.einvoice_billing_required.
    if channel == "ELECTRONIC_INVOICE" and billing_required and "billingAddress" not in body:
        problems.add(
            "billingAddress",
            "Value of the 'billingAddress' cannot be blank: street, zip and city must be "
            "specified in billingAddress and counterPartyAddress for ELECTRONIC_INVOICE",
        )
    billing = body.get("billingAddress", own)
    billing = billing or {}
    if not isinstance(own, dict) or not isinstance(billing, dict):
        return
    postal = ("street", "zip", "city")
    if channel == "EMAIL" and not email:
        problems.add("counterParty.email", "Value of the 'counterParty.email' cannot be blank.")
    elif channel == "EMAIL" and email and not email_ok(email):
        problems.add("counterParty.email", f"Invalid e-mail address '{email}'")
    if channel == "MAIL" and not (
        all(own.get(k) for k in postal) or all(billing.get(k) for k in postal)
    ):
        problems.add(
            "counterParty.counterPartyAddress",
            "Street, zip and city are required for MAIL invoices",
        )
    if channel == "ELECTRONIC_INVOICE":
        for path, address in (
            ("counterParty.counterPartyAddress", own),
            ("billingAddress", billing),
        ):
            for key in postal:
                if not address.get(key):
                    problems.add(f"{path}.{key}", f"Value of the '{path}.{key}' cannot be blank.")
        einvoice = counter_party.child("einvoiceAddress")
        einvoice_address = einvoice.text("address") if einvoice is not None else None
        if einvoice is None or not einvoice_address:
            problems.add(
                "counterParty.einvoiceAddress.address",
                "Value of the 'counterParty.einvoiceAddress.address' cannot be blank.",
            )
        elif not einvoice_address_ok(einvoice_address):
            problems.add(
                "counterParty.einvoiceAddress.address",
                f"Invalid e-invoice address '{einvoice_address}': expected an OVT code "
                "(0037 + business ID) or an IBAN",
            )
        if (
            einvoice is not None
            and einvoice_address
            and operator_required(country, own.get("country", "FINLAND"))
            and not einvoice.text("operator")
        ):
            problems.add(
                "counterParty.einvoiceAddress.operator",
                "Value of the 'counterParty.einvoiceAddress.operator' cannot be blank.",
            )


def _payment(fields: Fields, company: CompanyState, day: date | None) -> None:
    problems = fields.problems
    payment = fields.child("paymentInfo", required=True)
    if payment is None:
        return
    payment.enum("paymentMethod", enums.INVOICE_PAYMENT_METHODS, required=True)
    currency = payment.enum("currency", enums.CURRENCIES, required=True)
    rate = payment.number("currencyRate", required=True, places=6)
    if rate is not None and rate <= 0:
        problems.add(
            "paymentInfo.currencyRate", "Value of 'paymentInfo.currencyRate' must be positive"
        )
    elif rate is not None and currency == company.currency and rate != 1:
        problems.add("paymentInfo.currencyRate", "Currency rate must be 1 for the company currency")
    due = payment.day("dueDate", required=True)
    if due is not None and day is not None:
        if due < day:
            problems.add("paymentInfo.dueDate", "DUE_DATE_BEFORE_BILL_DATE")
        elif due > day + timedelta(days=999):
            problems.add("paymentInfo.dueDate", "Payment term must be at most 999 days")
    account = payment.child("bankAccount")
    if account is not None:
        number = account.text("accountNumber")
        if number is not None and number.replace(" ", "") not in company.company_ibans():
            problems.add(
                "paymentInfo.bankAccount.accountNumber",
                f"Bank account {number} is not an account of the company",
            )
        if account.data.get("bic") is not None:
            problems.add("paymentInfo.bankAccount.bic", "bic is not supported for sales invoices")
    reference = payment.text("bankReferenceCode")
    kind = payment.enum("bankReferenceCodeType", enums.REFERENCE_TYPES)
    check_reference(reference, kind, company.seed.company.country, problems)


def _rows(
    fields: Fields, company: CompanyState, day: date | None, header: VatStatusSeed | None
) -> None:
    """Check the rows; a row's VAT status (its own, else the header's ``header``) must fit its
    VAT percentage."""
    problems = fields.problems
    for row in fields.objects("invoiceRows", required=True, min_items=1):
        product_id = row.integer("productId")
        if product_id is not None and product_id not in company.products:
            problems.add(row.at("productId"), f"Product {product_id} does not exist")
        row.text("product", required=True, min_len=1)
        row.number("quantity", required=True, places=6)
        row.enum("unit", enums.UNITS, required=True)
        row.number("unitPrice", required=True, places=6)
        row.number("discountPercent", required=True, minimum=0, maximum=100, places=4)
        percent = row.number("vatPercent", required=True, minimum=0, maximum=100)
        percent_ok = percent is not None and check_percent(
            company, percent, day, row.at("vatPercent"), problems
        )
        own = row.integer("vatStatus")
        status = header
        if own is not None:
            status = check_status(company, own, row.at("vatStatus"), problems)
        if percent_ok and percent is not None and status is not None:
            check_pair(status, percent, row.at("vatPercent"), problems)
        for name in ROW_TEXTS:
            row.text(name)
        start, end = row.day("startDate"), row.day("endDate")
        if start and end and end < start:
            problems.add(row.at("endDate"), "End date is before start date")


def validate_invoice(company: CompanyState, body: dict[str, Any], readings: Readings) -> date:
    """Check a sales invoice body for POST or PUT under ``readings``; returns the invoice date."""
    problems = Problems()
    fields = Fields(body, "", problems)
    kind = fields.enum("type", enums.INVOICE_TYPES, required=True)
    if kind is not None and kind != "SALES_INVOICE":
        problems.add("type", "The emulator handles SALES_INVOICE only")
    day = fields.day("date", required=True)
    partner_id = fields.integer("partnerId")
    if partner_id is not None and partner_id not in company.partners:
        problems.add("partnerId", f"Business partner {partner_id} does not exist")
    channel = fields.enum("invoiceChannel", enums.INVOICE_CHANNELS, required=True)
    if channel in {"EDIFACT", "PAPER_INVOICE"}:
        problems.add("invoiceChannel", f"Invoice channel {channel} cannot be used via the API")
    fields.enum("language", enums.LANGUAGES, required=True)
    # Required although the table's flag says optional: mandatory for all but travel and
    # expense invoices since API v12 (procountor-api.md §7.8).
    status = fields.integer("vatStatus", required=True)
    header = check_status(company, status, "vatStatus", problems) if status is not None else None
    fields.number("discountPercent", required=True, minimum=0, maximum=100, places=4)
    fields.number("penaltyPercent", minimum=0, maximum=100)
    template = fields.integer("invoiceTemplateId")
    if template is not None and all(t.id != template for t in company.seed.invoice_templates):
        problems.add("invoiceTemplateId", f"Invoice template {template} does not exist")
    terms = fields.child("deliveryTermsInfo")
    if terms is not None:
        term = terms.text("name")
        if term is not None and term not in company.seed.delivery_terms:
            problems.add("deliveryTermsInfo.name", f"Delivery term '{term}' does not exist")
        terms.text("municipality")
    method = fields.enum("deliveryMethod", enums.DELIVERY_METHODS)
    if method == "OTHER":
        problems.add("deliveryMethod", "Delivery method OTHER is not allowed for sales invoices")
    for name in TEXTS:
        fields.text(name)
    fields.day("deliveryStartDate")
    fields.day("deliveryEndDate")
    extra = fields.child("extraInfo", required=True)
    if extra is not None:
        extra.boolean("accountingByRow", required=True)
        extra.boolean("unitPricesIncludeVat", required=True)
    country = company.seed.company.country
    check_finnish_only(body, "", country, problems)
    _addresses(fields, body, channel, readings.einvoice_billing_required, country)
    _payment(fields, company, day)
    _rows(fields, company, day, header)
    check_factoring(fields, company)
    check_text(body, problems)
    table_problems("Invoice", body, problems)
    problems.raise_if_any()
    assert day is not None
    if not company.open_for_posting(day):
        raise ApiError(400, CLOSED_FISCAL_PERIOD, "date")
    return day


def row_amounts(body: dict[str, Any]) -> list[RowAmounts]:
    """Each row's net and VAT: VAT per row = round_half_up(net × vat% / 100, 2)."""
    invoice_discount = Decimal(str(body.get("discountPercent") or 0))
    gross_prices = bool((body.get("extraInfo") or {}).get("unitPricesIncludeVat"))
    amounts = []
    for row in body["invoiceRows"]:
        percent = Decimal(str(row["vatPercent"]))
        line = (
            Decimal(str(row["quantity"]))
            * Decimal(str(row["unitPrice"]))
            * (1 - Decimal(str(row["discountPercent"])) / 100)
            * (1 - invoice_discount / 100)
        )
        if gross_prices:
            gross = cents(line)
            net = cents(gross * 100 / (100 + percent))
            amounts.append(RowAmounts(net, gross - net))
        else:
            net = cents(line)
            amounts.append(RowAmounts(net, cents(net * percent / 100)))
    return amounts


def sum_info(body: dict[str, Any], company_currency: str) -> list[dict[str, Any]]:
    """``invoiceSumInfo``: totals in the invoice currency (and the company's when different)."""
    amounts = row_amounts(body)
    net = sum((row.net for row in amounts), Decimal(0))
    vat = sum((row.vat for row in amounts), Decimal(0))
    currency = body["paymentInfo"]["currency"]
    info = [
        {
            "currency": currency,
            "inAccountingCurrency": currency == company_currency,
            "excludingVatTotal": net,
            "vatSumTotal": vat,
            "invoiceSumTotal": net + vat,
        }
    ]
    if currency != company_currency:
        rate = Decimal(str(body["paymentInfo"]["currencyRate"]))
        acc_net = sum((cents(row.net / rate) for row in amounts), Decimal(0))
        acc_vat = sum((cents(row.vat / rate) for row in amounts), Decimal(0))
        info.append(
            {
                "currency": company_currency,
                "inAccountingCurrency": True,
                "excludingVatTotal": acc_net,
                "vatSumTotal": acc_vat,
                "invoiceSumTotal": acc_net + acc_vat,
            }
        )
    return info
