"""Identifiers checked before sending (pure), each with the library made for it.

Procountor refuses a business ID with a wrong check digit (``ERROR_BRN_CODE``), an e-mail
invoice without a usable address, an e-invoice without a valid address; a wrong IBAN or BIC
would reach the customer printed on the invoice. Each is found here first and reported with
the customer (or office), the field and the value. Check digits come from python-stdnum and
schwifty, never from home-made arithmetic.

Business identifiers are checked by the country they belong to (:data:`BUSINESS_IDS`): a
customer's by the country of its address (the company's market when it has none), the office's
by the company's market. A Finnish business ID, an organisation number of Sweden or Norway
and a Danish CVR number are each checked with their own stdnum module; other countries' have
no common rule here. Each is sent with its country as ``identifierType`` (the spec gives the
field no enum; ``GET /company`` names a company's own with these codes in ``brnType``), except a
Finnish ID in a Finnish company, which is sent as it always was: without a type.

*(Finnish exports unchanged)* The office's business ID and VAT number are checked only in the
other markets: a Finnish company's office was never checked, and the demo office's ``1234567-8``
(``FI12345678``) has a wrong check digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.dk import cvr
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.fi import ytunnus
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from procountor_export.export import messages as m
from procountor_export.export.planning import markets
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import CustomerData, OfficeData

ProblemFactory = Callable[..., Problem]

# Syntax only (one @, no spaces, a dot in the domain): whether a mailbox exists is for the
# mail server to say, but an address that cannot even be parsed fails every sending.
EMAIL = re.compile(r"^[^@\s,;<>()\[\]]+@[^@\s,;<>()\[\]]+\.[A-Za-z0-9-]{2,}$")
OVT_SUFFIX = re.compile(r"^[A-Za-z0-9]{0,5}$")


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


@dataclass(frozen=True)
class BusinessId:
    """One country's business identifier: its name in messages and its stdnum module."""

    name: str
    module: ModuleType

    def problem(self, value: str) -> str | None:
        """Why ``value`` is not a valid identifier of this kind (``None`` when it is)."""
        try:
            self.module.validate(value)
        except ValidationError as error:
            return _reason(error)
        return None


BUSINESS_IDS: dict[str, BusinessId] = {
    markets.FINLAND: BusinessId("Finnish business ID", ytunnus),
    markets.SWEDEN: BusinessId("Swedish organisation number", se_orgnr),
    markets.NORWAY: BusinessId("Norwegian organisation number", no_orgnr),
    markets.DENMARK: BusinessId("Danish CVR number", cvr),
}


ADJECTIVES = {
    markets.FINLAND: "Finnish",
    markets.SWEDEN: "Swedish",
    markets.NORWAY: "Norwegian",
    markets.DENMARK: "Danish",
}


def identifier_country(customer: CustomerData, market: str) -> str:
    """The country whose identifier the customer's corporate ID is: its address's (ISO code),
    else the company's market."""
    return (customer.address.country or market).strip().upper()


def identifier_type(customer: CustomerData, market: str) -> str | None:
    """``invoicingInfo.identifierType`` for the customer's corporate ID (see the module
    docstring): its country when it is one whose identifiers are checked here, ``None`` for a
    Finnish ID in a Finnish company, for other countries and without an ID."""
    if not customer.corporate_id:
        return None
    country = identifier_country(customer, market)
    if country not in BUSINESS_IDS:
        return None
    if country == markets.FINLAND and markets.is_finnish(market):
        return None
    return country


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


def eu_buyer_vat_number_problem(
    value: str, *, goods: bool, market: str = markets.FINLAND
) -> str | None:
    """Why ``value`` cannot be the VAT number of the buyer of an intra-Community sale.

    ``None`` when it can. The buyer is registered in another member state than the seller's
    (the company's ``market``), so the number must carry another member state's prefix: not
    the company's own country's, not a country outside the EU, and the Northern Ireland prefix
    XI only for goods. Its check digits are :func:`vat_number_problem`'s (reported as an
    invalid VAT number whatever the sale).
    """
    compact = "".join(value.split()).upper()
    prefix = compact[:2].lower()
    if prefix == market.lower():
        return (
            f"it is a {ADJECTIVES.get(market, market)} VAT number, but the buyer of an "
            "intra-Community sale is registered in another EU member state"
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


def customer_problems(
    customer: CustomerData, problem: ProblemFactory, market: str = markets.FINLAND
) -> Iterator[Problem]:
    """The customer's business ID (by its country), VAT number, e-mail and e-invoice address,
    by name. ``market``: the company's (the country of a customer without one)."""
    name = f"{customer.name} (customer code: {customer.code})"
    country = identifier_country(customer, market)
    kind = BUSINESS_IDS.get(country)
    if customer.corporate_id and kind is not None:
        reason = kind.problem(customer.corporate_id)
        if reason and country == markets.FINLAND:
            yield problem(
                m.BUSINESS_ID_INVALID,
                name,
                customer.corporate_id,
                reason,
                field="customer.corporate_id",
            )
        elif reason:
            yield problem(
                m.ORGANISATION_NUMBER_INVALID,
                name,
                customer.corporate_id,
                kind.name,
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
    if customer.invoice_channel == "e-invoice" and customer.ovt and markets.is_finnish(market):
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


def office_problems(
    office: OfficeData, problem: ProblemFactory, market: str = markets.FINLAND
) -> Iterator[Problem]:
    """The seller's IBAN and BIC, which are printed on every invoice for the payer, and (in a
    company outside Finland, see the module docstring) its business ID by the market's rule and
    its EU VAT number."""
    kind = BUSINESS_IDS.get(market)
    if office.business_id and kind is not None and not markets.is_finnish(market):
        reason = kind.problem(office.business_id)
        if reason:
            yield problem(
                m.OFFICE_ID_INVALID,
                kind.name,
                office.business_id,
                reason,
                field="office.business_id",
            )
    if office.vat_number and not markets.is_finnish(market):
        reason = vat_number_problem(office.vat_number)
        if reason:
            yield problem(
                m.OFFICE_VAT_NUMBER_INVALID, office.vat_number, reason, field="office.vat_number"
            )
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
