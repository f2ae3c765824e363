"""Procountor payloads built from TMS data (pure): customers, posting products, invoices.

What is sent depends on the company's market (:mod:`.markets`, procountor-api.md §7.15):

- the fields "valid only in Finnish environments" (:data:`FINNISH_ONLY`) are never sent to a
  company of another country. None of them is in the client's models, which send no empty
  field, so none can be sent; :func:`finnish_only_fields` finds any in a body (the tests read
  every request of a Swedish export with it);
- the e-invoice operator (``einvoiceOperator``, ``einvoiceAddress.operator``) and EDI id go to
  a Finnish company only;
- the TMS's payment reference goes with the market's own type (:mod:`.references`);
- a customer's corporate ID goes with its country as ``identifierType``
  (:func:`.identifiers.identifier_type`).
"""

from __future__ import annotations

from decimal import Decimal

from procountor_export.export.planning import markets
from procountor_export.export.planning import references as payment_references
from procountor_export.export.planning.countries import procountor_country
from procountor_export.export.planning.identifiers import identifier_type
from procountor_export.export.planning.plan import InvoicePlan, PostingKey
from procountor_export.export.planning.text import clip
from procountor_export.export.planning.vat_kinds import legal_notes
from procountor_export.export.reading.data import AddressData, CustomerData, OfficeData
from procountor_export.export.reading.iban import normalise_iban
from procountor_export.procountor.models import (
    Address,
    BankAccountRef,
    BusinessPartner,
    CounterParty,
    EinvoiceAddress,
    ExtraInfo,
    Invoice,
    InvoiceRow,
    InvoicingInfo,
    PartnerPaymentInfo,
    PaymentInfo,
    Product,
)

FINNISH_ONLY = (
    "orderNumber",
    "agreementNumber",
    "accountingCode",
    "deliverySite",
    "tenderReference",
    "buyerReferenceIdentifier",
    "sellerReferenceIdentifier",
)
"""The fields the API marks "valid only in Finnish environments" (§7.15), on an invoice and on
a partner's ``invoicingInfo``."""
CHANNELS = {
    "e-invoice": "ELECTRONIC_INVOICE",
    "email": "EMAIL",
    "mail": "MAIL",
    "none": "NO_SENDING",
}
LANGUAGES = {
    "fi": "FINNISH",
    "sv": "SWEDISH",
    "en": "ENGLISH",
    "da": "DANISH",
    "no": "NORWEGIAN",
    "nb": "NORWEGIAN",
    "et": "ESTONIAN",
}


def address(value: AddressData) -> Address:
    """A Procountor address (field lengths as Procountor limits them; country as its enum)."""
    return Address(
        name=clip(value.name, 80),
        specifier=clip(value.specifier, 80),
        street=clip(value.street, 80),
        zip=clip(value.zip, 20),
        city=clip(value.city, 40),
        country=procountor_country(value.country) if value.country else None,
    )


def channel(customer: CustomerData) -> str:
    """The Procountor invoice channel for the customer's TMS channel."""
    return CHANNELS.get(customer.invoice_channel, "NO_SENDING")


def language(customer: CustomerData) -> str:
    """The Procountor invoice language (Finnish unless the TMS says otherwise)."""
    return LANGUAGES.get((customer.language or "fi").lower(), "FINNISH")


def finnish_only_fields(body: object, path: str = "") -> list[str]:
    """The paths of every Finnish-only field (:data:`FINNISH_ONLY`) anywhere in a JSON body."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            where = f"{path}.{key}" if path else str(key)
            if key in FINNISH_ONLY:
                found.append(where)
            found.extend(finnish_only_fields(value, where))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found.extend(finnish_only_fields(value, f"{path}[{index}]"))
    return found


def partner(customer: CustomerData, currency: str, market: str | None = None) -> BusinessPartner:
    """The business partner for a TMS customer (``sales_ledger_no`` is its customer number).

    ``market``: the company's (:mod:`.markets`); ``None`` takes it from ``currency``, one
    currency per market. The EDI code is the e-invoice operator (a Finnish company's only), the
    OVT the e-invoice address, as the article says.
    The VAT number is not here: Procountor's partner has no field for it (it goes on each
    invoice's counterparty). The billing address is sent only when the TMS has an invoice
    address of its own.
    """
    market = market or markets.market_of(None, currency)
    return BusinessPartner(
        type="CUSTOMER",
        name=clip(customer.name, 80),
        address=address(customer.address),
        billing_address=address(customer.invoice_address) if customer.invoice_address else None,
        invoicing_info=InvoicingInfo(
            customer_number=customer.customer_number,
            identifier=customer.corporate_id,
            identifier_type=identifier_type(customer, market),
            einvoice_address=customer.ovt,
            einvoice_operator=customer.edi_code if markets.is_finnish(market) else None,
            invoice_channel=channel(customer),
            language=language(customer),
            email=customer.email,
        ),
        payment_info=PartnerPaymentInfo(
            payment_method="BANK_TRANSFER",
            payment_term_days=str(customer.payment_terms_days),
            currency=currency,
        ),
    )


def partner_changes(existing: BusinessPartner, wanted: BusinessPartner) -> BusinessPartner | None:
    """``existing`` updated with the fields the TMS owns, or ``None`` when nothing differs.

    Only fields the TMS knows are compared and replaced; everything else a user set in
    Procountor (contact persons, notes, other defaults) is kept, because PUT replaces the whole
    partner.
    """
    updated = existing.model_copy(deep=True)
    changed = False
    if (existing.name or "") != (wanted.name or ""):
        updated.name = wanted.name
        changed = True
    for attribute in ("address", "billing_address"):
        ours: Address | None = getattr(wanted, attribute)
        theirs: Address | None = getattr(existing, attribute)
        if ours is not None and not _same_address(theirs, ours):
            setattr(updated, attribute, _merge_address(theirs, ours))
            changed = True
    info = updated.invoicing_info or InvoicingInfo()
    assert wanted.invoicing_info is not None
    for name in (
        "identifier",
        "identifier_type",
        "einvoice_address",
        "einvoice_operator",
        "invoice_channel",
        "language",
        "email",
    ):
        value = getattr(wanted.invoicing_info, name)
        if value is not None and getattr(info, name) != value:
            setattr(info, name, value)
            changed = True
    updated.invoicing_info = info
    return updated if changed else None


def _same_address(theirs: Address | None, ours: Address) -> bool:
    if theirs is None:
        return False
    fields = ("name", "specifier", "street", "zip", "city", "country")
    return all(
        getattr(ours, name) is None or getattr(ours, name) == getattr(theirs, name)
        for name in fields
    )


def _merge_address(theirs: Address | None, ours: Address) -> Address:
    if theirs is None:
        return ours
    merged = theirs.model_copy()
    for name in ("name", "specifier", "street", "zip", "city", "country"):
        value = getattr(ours, name)
        if value is not None:
            setattr(merged, name, value)
    return merged


def billing_address(customer: CustomerData) -> Address | None:
    """Where the invoice goes: the invoice address, else (for an e-invoice) the buyer's.

    The API's text for street, zip and city says they are "Required for SALES_INVOICE if
    invoicing channel is ELECTRONIC_INVOICE. In that case, must be specified in billingAddress
    and counterPartyAddress": whether an omitted billing address then counts as the
    counterparty's is not said, so an e-invoice always carries one. For other channels an
    omitted billing address is Procountor's documented "same as the counterparty's".
    """
    if customer.invoice_address:
        return address(customer.invoice_address)
    if channel(customer) == "ELECTRONIC_INVOICE":
        return address(customer.address)
    return None


def product(key: PostingKey, group_id: int, account_name: str | None = None) -> Product:
    """The SALES posting product for a key (price 0: the invoice row carries the amount)."""
    return Product(
        type="SALES",
        name=key.product_name(account_name),
        code=key.product_code,
        unit="NO_UNIT",
        price=Decimal(0),
        discount=Decimal(0),
        vat=key.vat_percent,
        vat_status=key.vat_status,
        active=True,
        default_account=key.account,
        currency=key.currency,
        product_group_id=group_id,
    )


def invoice(
    plan: InvoicePlan,
    *,
    partner_id: int,
    product_ids: dict[str, int],
    office: OfficeData,
    source: str,
    default_iban: str | None = None,
) -> Invoice:
    """The Procountor sales invoice for a planned TMS invoice.

    The seller's account is the office's IBAN, else ``default_iban`` (the company's
    default-for-invoice bank account in Procountor). ``source`` is the TMS's name, as the
    invoice's notes give it. The company's market is the plan's (see the module docstring).

    One row per posting key, quantity 1 and the (signed) net amount as the unit price: a
    credit note is an invoice whose rows are negative. ``accountingByRow`` makes Procountor
    book each row on its product's account, which the export then verifies.
    """
    data = plan.invoice
    customer = data.customer
    einvoice = None
    finnish = markets.is_finnish(plan.market)
    if customer.invoice_channel == "e-invoice":
        einvoice = EinvoiceAddress(
            address=customer.ovt, operator=customer.edi_code if finnish else None
        )
    rows = [
        InvoiceRow(
            product_id=product_ids[row.key.product_code],
            product=row.text,
            quantity=Decimal(1),
            unit="NO_UNIT",
            unit_price=row.net,
            discount_percent=Decimal(0),
            vat_percent=row.key.vat_percent,
            vat_status=row.key.vat_status,
        )
        for row in plan.rows
    ]
    info_lines = []
    if data.is_credit and data.credited_invoice:
        info_lines.append(f"Credit note for invoice {data.credited_invoice}")
    if data.text:
        info_lines.append(data.text)
    references = [
        f"{label}: {value}"
        for label, value in (
            ("Our reference", data.our_reference),
            ("Your reference", data.your_reference),
        )
        if value
    ]
    info_lines.extend(references)
    # The legal notes of the VAT kinds (reverse charge, exemption), in the customer's language.
    info_lines.extend(legal_notes(data, plan.market))
    return Invoice(
        type="SALES_INVOICE",
        date=data.date,
        partner_id=partner_id,
        counter_party=CounterParty(
            identifier=customer.corporate_id,
            tax_code=customer.vat_number,
            customer_number=customer.customer_number,
            email=customer.email,
            # The buyer's own address; where the invoice goes is the billing address.
            counter_party_address=address(customer.address),
            einvoice_address=einvoice,
        ),
        billing_address=billing_address(customer),
        delivery_start_date=data.delivery_start,
        delivery_end_date=data.delivery_end,
        payment_info=PaymentInfo(
            payment_method="BANK_TRANSFER",
            currency=data.currency,
            currency_rate=data.currency_rate,
            bank_account=(
                BankAccountRef(account_number=normalise_iban(bank_iban))
                if (bank_iban := office.bank_account or default_iban)
                else None
            ),
            due_date=data.due_date,
            # The TMS's reference without spaces and with its type; "" lets Procountor make one.
            bank_reference_code=payment_references.code_to_send(data.reference, plan.market),
            bank_reference_code_type=payment_references.type_to_send(data.reference, plan.market),
        ),
        extra_info=ExtraInfo(accounting_by_row=True, unit_prices_include_vat=False),
        discount_percent=Decimal(0),
        invoice_rows=rows,
        original_invoice_number=data.number,
        vat_status=plan.rows[0].key.vat_status if plan.rows else None,
        invoice_channel=channel(customer),
        language=language(customer),
        additional_information=clip("\n".join(info_lines), 10000) if info_lines else None,
        notes=f"Exported from {source}, invoice {data.number} (period {data.period_id})",
        order_reference=clip(data.order_reference, 70),
        factoring_contract_id=plan.factoring_contract_id,
        factoring_text=plan.export.factoring_text if plan.factoring_contract_id else None,
        penalty_percent=data.penalty_percent,
    )
