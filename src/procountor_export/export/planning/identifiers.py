"""Identifiers checked before sending (pure), each with the library made for it.

Procountor refuses a business ID with a wrong check digit (``ERROR_BRN_CODE``), an e-mail
invoice without a usable address, an e-invoice without a valid address; a wrong IBAN or BIC
would reach the customer printed on the invoice. Each is found here first and reported with
the customer (or office), the field and the value. Check digits come from python-stdnum and
schwifty, never from home-made arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fi import ytunnus

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import CustomerData, OfficeData

ProblemFactory = Callable[..., Problem]

# Syntax only (one @, no spaces, a dot in the domain): whether a mailbox exists is for the
# mail server to say, but an address that cannot even be parsed fails every sending.
EMAIL = re.compile(r"^[^@\s,;<>()\[\]]+@[^@\s,;<>()\[\]]+\.[A-Za-z0-9-]{2,}$")
OVT_SUFFIX = re.compile(r"^[A-Za-z0-9]{0,5}$")
FINLAND = ("FI", "", None)


def _reason(error: Exception) -> str:
    text = str(error).strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else "invalid"


def business_id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid Finnish business ID (``None`` when it is)."""
    try:
        ytunnus.validate(value)
    except ValidationError as error:
        return _reason(error)
    return None


def vat_number_problem(value: str) -> str | None:
    """Why an EU VAT number is not valid (``None`` when it is, or is not an EU one)."""
    compact = "".join(value.split()).upper()
    prefix = compact[:2].lower()
    if prefix not in eu_vat.MEMBER_STATES and prefix != "el":
        return None  # outside the EU (NO, CH, GB …): no common rule to check against
    try:
        eu_vat.validate(compact)
    except ValidationError as error:
        return _reason(error)
    return None


def eu_buyer_vat_number_problem(value: str, *, goods: bool) -> str | None:
    """Why ``value`` cannot be the VAT number of the buyer of an intra-Community sale.

    ``None`` when it can. The buyer is registered in another member state, so the number must
    carry another member state's prefix: not Finland's, not a country outside the EU, and the
    Northern Ireland prefix XI only for goods. Its check digits are :func:`vat_number_problem`'s
    (reported as an invalid VAT number whatever the sale).
    """
    compact = "".join(value.split()).upper()
    prefix = compact[:2].lower()
    if prefix == "fi":
        return (
            "it is a Finnish VAT number, but the buyer of an intra-Community sale is registered "
            "in another EU member state"
        )
    if prefix not in eu_vat.MEMBER_STATES and prefix != "el":
        return (
            "it is not the VAT number of an EU member state (an EU VAT number starts with its "
            "country code, e.g. SE or DE)"
        )
    if prefix == "xi" and not goods:
        return "a Northern Ireland (XI) VAT number counts only for the sale of goods"
    return None


def einvoice_address_problem(value: str) -> str | None:
    """Why an e-invoice address is neither a Finnish OVT code nor an IBAN."""
    compact = "".join(value.split()).upper()
    if compact.startswith("0037"):
        digits, suffix = compact[4:12], compact[12:]
        if len(digits) != 8 or not digits.isdigit():
            return "an OVT code is 0037 followed by the 8 digits of a business ID"
        reason = business_id_problem(f"{digits[:7]}-{digits[7]}")
        if reason is not None:
            return f"the business ID in the OVT code is not valid ({reason})"
        if not OVT_SUFFIX.match(suffix):
            return "the suffix after the business ID may have at most 5 letters or digits"
        return None
    if re.match(r"^[A-Z]{2}\d{2}", compact):
        return iban_problem(compact)
    return "it is neither an OVT code (0037…) nor an IBAN"


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a valid IBAN."""
    try:
        IBAN(value)
    except SchwiftyException as error:
        return _reason(error)
    return None


def bic_problem(value: str) -> str | None:
    """Why ``value`` is not a valid BIC."""
    try:
        BIC(value)
    except SchwiftyException as error:
        return _reason(error)
    return None


def customer_problems(customer: CustomerData, problem: ProblemFactory) -> Iterator[Problem]:
    """The customer's business ID, VAT number, e-mail and e-invoice address, by name."""
    name = f"{customer.name} (customer code: {customer.code})"
    if customer.corporate_id and customer.address.country in FINLAND:
        reason = business_id_problem(customer.corporate_id)
        if reason:
            yield problem(
                m.BUSINESS_ID_INVALID,
                name,
                customer.corporate_id,
                reason,
                field="customer.corporate_id",
            )
    if customer.vat_number:
        reason = vat_number_problem(customer.vat_number)
        if reason:
            yield problem(
                m.VAT_NUMBER_INVALID, name, customer.vat_number, reason, field="customer.vat_number"
            )
    email = (customer.email or "").strip()
    if customer.invoice_channel == "email" and email and not EMAIL.match(email):
        yield problem(m.EMAIL_INVALID, name, customer.email, field="customer.email")
    if customer.invoice_channel == "e-invoice" and customer.ovt:
        reason = einvoice_address_problem(customer.ovt)
        if reason:
            yield problem(
                m.EINVOICE_ADDRESS_INVALID, name, customer.ovt, reason, field="customer.ovt"
            )
    if not customer.address.country:
        yield problem(m.COUNTRY_MISSING, name, "address", field="customer.address.country")
    if customer.invoice_address is not None and not customer.invoice_address.country:
        yield problem(
            m.COUNTRY_MISSING, name, "invoice address", field="customer.invoice_address.country"
        )


def office_problems(office: OfficeData, problem: ProblemFactory) -> Iterator[Problem]:
    """The seller's IBAN and BIC, which are printed on every invoice for the payer."""
    if office.bank_account:
        reason = iban_problem(office.bank_account)
        if reason:
            yield problem(
                m.OFFICE_BANK_INVALID,
                "IBAN",
                office.bank_account,
                reason,
                field="office.bank_account",
            )
    if office.bic:
        reason = bic_problem(office.bic)
        if reason:
            yield problem(m.OFFICE_BANK_INVALID, "BIC", office.bic, reason, field="office.bic")
