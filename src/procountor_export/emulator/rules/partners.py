"""Business partner rules: a partner body's validation and storage.

``address`` is required for customers; a second partner with the same ``customerNumber`` but a
different business ID (``invoicingInfo.identifier`` - the spec's ``InvoicingInfo`` has no
``taxCode``) is refused, inactive partners included; a Finnish business ID with a wrong check
digit is ``ERROR_BRN_CODE``; channel EMAIL needs a valid ``invoicingInfo.email``; the invoicing
info's Finnish-only fields are refused in a company of another market (:mod:`.markets`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import check_text
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.rules.addresses import read_address
from procountor_export.emulator.rules.identifiers import (
    BRN_ERROR,
    business_id_ok,
    email_ok,
    same_business,
)
from procountor_export.emulator.rules.markets import check_finnish_only
from procountor_export.emulator.rules.spec import table_problems

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState


def _country(partner: dict[str, Any]) -> str | None:
    address = partner.get("address")
    country = address.get("country") if isinstance(address, dict) else None
    return country if isinstance(country, str) else None


def _read_invoicing(invoicing: Fields, country: str | None) -> None:
    problems = invoicing.problems
    invoicing.text("customerNumber")
    identifier = invoicing.text("identifier")
    if identifier is not None and not business_id_ok(identifier, country):
        problems.add(invoicing.at("identifier"), BRN_ERROR)
    invoicing.text("identifierType")
    channel = invoicing.enum("invoiceChannel", enums.WRITABLE_INVOICE_CHANNELS)
    invoicing.enum("language", enums.LANGUAGES)
    email = invoicing.text("email")
    if channel == "EMAIL":
        if not email:
            problems.add(
                invoicing.at("email"), f"Value of the '{invoicing.at('email')}' cannot be blank."
            )
        elif not email_ok(email):
            problems.add(invoicing.at("email"), f"Invalid e-mail address '{email}'")
    bcc = invoicing.data.get("bccAddresses")
    if bcc is not None and (not isinstance(bcc, list) or len(bcc) > 4):
        problems.add(invoicing.at("bccAddresses"), "At most 4 bccAddresses are allowed")


def validate_partner(company: CompanyState, body: dict[str, Any], partner_id: int | None) -> None:
    """Check a full partner body (``partner_id``: the partner it replaces, if any); raises a
    400 listing every problem."""
    problems = Problems()
    fields = Fields(body, "", problems)
    fields.text("name", required=True)
    kind = fields.enum("type", enums.PARTNER_TYPES, required=True)
    read_address(fields, "address", required=kind == "CUSTOMER")
    read_address(fields, "billingAddress", required=False)
    read_address(fields, "deliveryAddress", required=False)
    invoicing = fields.child("invoicingInfo")
    if invoicing is not None:
        _read_invoicing(invoicing, _country(body))
        check_finnish_only(invoicing.data, "invoicingInfo", company.seed.company.country, problems)
    payment = fields.child("paymentInfo", required=True)
    if payment is not None:
        payment.enum("paymentMethod", enums.PARTNER_PAYMENT_METHODS, required=True)
        payment.enum("currency", enums.CURRENCIES)
        term = payment.data.get("paymentTermDays")
        if term is not None and not (
            (isinstance(term, str) and term.isdigit() and int(term) <= 999)
            or (isinstance(term, int) and not isinstance(term, bool) and 0 <= term <= 999)
        ):
            problems.add(payment.at("paymentTermDays"), "Invalid value of 'paymentTermDays'")
    registry = fields.child("registryInfo")
    if registry is not None:
        registry.boolean("active")
    check_text(body, problems)
    table_problems("BusinessPartner", body, problems)
    problems.raise_if_any()
    _check_number_clash(company, body, partner_id)


def _identifier(partner: dict[str, Any]) -> str:
    return str((partner.get("invoicingInfo") or {}).get("identifier") or "").strip()


def _check_number_clash(
    company: CompanyState, body: dict[str, Any], partner_id: int | None
) -> None:
    """Same customer number, different business ID: refused. Inactive partners count too
    (their numbers stay taken); Procountor's message still says "VAT number"."""
    number = str((body.get("invoicingInfo") or {}).get("customerNumber") or "")
    mine = _identifier(body)
    if not number or not mine:
        return
    for other in company.partners.values():
        if other["id"] == partner_id:
            continue
        if str((other.get("invoicingInfo") or {}).get("customerNumber") or "") != number:
            continue
        theirs = _identifier(other)
        if theirs and not same_business(theirs, mine):
            raise ApiError(
                400,
                f"another partner {other['name']} with the same number and different VAT number "
                "already exists",
                "invoicingInfo.customerNumber",
            )


def store_partner(company: CompanyState, body: dict[str, Any], partner_id: int) -> dict[str, Any]:
    """Store a validated partner body as ``partner_id`` with a new ``version``."""
    previous = company.partners.get(partner_id, {}).get("version")
    partner = {key: value for key, value in body.items() if key not in {"id", "version"}}
    partner["id"] = partner_id
    registry = dict(partner.get("registryInfo") or {})
    registry.setdefault("active", True)
    partner["registryInfo"] = registry
    payment = dict(partner["paymentInfo"])
    if isinstance(payment.get("paymentTermDays"), int):
        payment["paymentTermDays"] = str(payment["paymentTermDays"])
    partner["paymentInfo"] = payment
    partner["version"] = company.stamp(previous)
    company.partners[partner_id] = partner
    return partner


def create_partner(company: CompanyState, body: dict[str, Any]) -> dict[str, Any]:
    """Validate and store a new partner; returns it with ``id`` and ``version``."""
    validate_partner(company, body, None)
    return store_partner(company, body, company.next_id("partner"))


def is_active(partner: dict[str, Any]) -> bool:
    """Whether the partner is active (``registryInfo.active``, true when absent)."""
    return bool((partner.get("registryInfo") or {}).get("active", True))
