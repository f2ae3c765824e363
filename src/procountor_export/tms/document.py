"""Pydantic models of the TMS invoicing document, exactly as ``input-format.md`` describes it.

Nested objects keep keys they do not know (``extra="allow"``) so the importer can warn about
them (a typo in an optional key would otherwise vanish silently); unknown *top-level* keys are
an error (:class:`Header` forbids them). Validation per section and per invoice is what the
importer does, so a 50,000-invoice document never becomes one giant model.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from procountor_export.store.models import AfterCreate
from procountor_export.tms.fields import (
    Country,
    Currency,
    DecimalStr,
    IsoDate,
    IsoDateTime,
    Language,
    Str20,
    Str40,
    Str60,
    Str100,
    Str200,
    Str255,
    Str500,
)

SCHEMA = "tms-invoicing/1"

VatKind = Literal["domestic", "eu_goods", "eu_services", "export", "reverse_charge", "exempt"]
InvoiceChannel = Literal["e-invoice", "email", "mail", "none"]
InvoiceType = Literal["invoice", "credit"]
# What an export may do to customers already in (or missing from) Procountor.
CustomerUpdates = Literal["create_and_update", "create_only", "none"]


def _naive_utc(value: datetime) -> datetime:
    """Store times without a zone: an offset, when given, is converted to UTC first."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _blank_is_absent(value: Any) -> Any:
    """An empty or blank reference is no reference (Procountor then makes one)."""
    return None if isinstance(value, str) and not value.strip() else value


PaymentReferenceText = Annotated[Str40 | None, BeforeValidator(_blank_is_absent)]
"""A payment reference as the TMS printed it (spaces allowed); blank means none."""


class Part(BaseModel):
    """A nested object of the document: unknown keys are kept so they can be warned about."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Address(Part):
    """A postal address; only ``name`` is always required."""

    name: Str200
    specifier: str | None = None
    street: str | None = None
    zip: str | None = None
    city: str | None = None
    country: Country | None = None


class Office(Part):
    """The invoicing company (seller)."""

    code: Str40
    name: Str200
    currency: Currency
    business_id: Str40 | None = None
    vat_number: Str40 | None = None
    address: Address | None = None
    phone: Str60 | None = None
    email: Str200 | None = None
    bank_account: Str40 | None = None
    bic: Str20 | None = None


class Unit(Part):
    """A unit (department, group) of a profit centre: a dimension item in Procountor."""

    code: Str100
    name: Str255


class ProfitCentre(Part):
    """A profit centre (a Procountor dimension, matched by name) and its units."""

    name: Str255
    units: list[Unit] = Field(default_factory=list)


class VatRate(Part):
    """A TMS VAT code; the same code may change rate over time (``valid_from``)."""

    code: Str40
    name: Str200 | None = None
    rate: DecimalStr
    kind: VatKind = "domestic"
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    # The legal note printed on invoices using this rate, instead of its kind's default text.
    note: Str500 | None = None


class Customer(Part):
    """A TMS customer; ``sales_ledger_no`` is the Procountor customer number."""

    code: Str40
    customer_no: Str40
    sales_ledger_no: Str40 | None = None
    name: Str200
    corporate_id: Str40 | None = None
    vat_number: Str40 | None = None
    address: Address
    invoice_address: Address | None = None
    email: Str200 | None = None
    phone: Str60 | None = None
    language: Language = "fi"
    edi_code: Str40 | None = None
    ovt: Str40 | None = None
    invoice_channel: InvoiceChannel = "none"
    payment_terms_days: int = Field(default=14, ge=0, le=3650)
    # Percent; its bounds are a pre-flight check of the export (the import takes any decimal).
    penalty_interest: DecimalStr | None = None
    export_setting: Str100 | None = None


class Period(Part):
    """An invoice period; ``closed_at`` is null while the period is open."""

    id: Str40
    date_from: IsoDate = Field(alias="from")
    date_to: IsoDate = Field(alias="to")
    closed_at: Annotated[IsoDateTime, AfterValidator(_naive_utc)] | None = None


class OrderLine(Part):
    """One priced line of a transport order."""

    description: Str500
    quantity: DecimalStr
    unit: Str20 | None = None
    unit_price: DecimalStr
    amount: DecimalStr
    vat_code: Str40 | None = None


class Order(Part):
    """A transport order invoiced (printed on the PDF copy)."""

    order_no: Str60 | None = None
    consignment_note: Str60 | None = None
    pickup_date: IsoDate | None = None
    delivery_date: IsoDate | None = None
    sender: Address | None = None
    recipient: Address | None = None
    distance_km: DecimalStr | None = None
    weight_kg: DecimalStr | None = None
    volume_m3: DecimalStr | None = None
    pallets: DecimalStr | None = None
    lines: list[OrderLine] = Field(default_factory=list)


class Posting(Part):
    """One entry of the account coding: account × VAT × profit-centre units."""

    account: Str40
    vat_code: Str40
    vat_rate: Annotated[DecimalStr, Field(ge=0)]
    profit_centres: dict[Str255, Str100] = Field(default_factory=dict)
    net: DecimalStr
    vat: DecimalStr
    text: Str500 | None = None


class Totals(Part):
    """The invoice totals as the TMS computed them."""

    net: DecimalStr
    vat: DecimalStr
    gross: DecimalStr


class Invoice(Part):
    """An invoice or a credit note."""

    number: Str40
    period: Str40
    type: InvoiceType = "invoice"
    credited_invoice: Str40 | None = None
    customer: Str40
    date: IsoDate
    due_date: IsoDate
    currency: Currency
    currency_rate: Annotated[DecimalStr, Field(gt=0)] = Decimal(1)
    our_reference: Str200 | None = None
    your_reference: Str200 | None = None
    order_reference: Str200 | None = None
    # The payment reference printed by the TMS; checked (check digit) before the export sends it.
    reference: PaymentReferenceText | None = None
    penalty_interest: DecimalStr | None = None
    text: str | None = None
    orders: list[Order] = Field(default_factory=list)
    postings: list[Posting] = Field(min_length=1)
    totals: Totals


# --- export settings ---------------------------------------------------------------------------

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class PasswordEnv(BaseModel):
    """``{"env": "VARIABLE_NAME"}``: the API key is read from the environment at export time."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    env: str


def _password(value: Any) -> str | PasswordEnv:
    """A password is a non-empty string or ``{"env": "VARIABLE_NAME"}``."""
    if isinstance(value, PasswordEnv):
        return value
    if isinstance(value, str) and value:
        return value
    if isinstance(value, dict) and set(value) == {"env"}:
        name = value["env"]
        if isinstance(name, str) and len(name) <= 200 and _ENV_NAME.fullmatch(name):
            return PasswordEnv(env=name)
        raise PydanticCustomError("password", "env must name an environment variable")
    raise PydanticCustomError(
        "password", 'must be the API key as a string or {"env": "VARIABLE_NAME"}'
    )


Password = Annotated[str | PasswordEnv, PlainValidator(_password)]


class ExportCodes(Part):
    """Code mappings of an export; ``tax_rates`` maps TMS VAT codes to ``vat_<status>``."""

    tax_rates: dict[Str40, Str20] = Field(default_factory=dict)


def _utf8(value: Any) -> Any:
    """``utf8``, ``utf-8`` and ``UTF_8`` all name UTF-8, the only encoding of the API."""
    if isinstance(value, str) and value.replace("-", "").replace("_", "").lower() == "utf8":
        return "UTF-8"
    return value


class Export(Part):
    """An invoice export definition ("Procountor (API)")."""

    name: Str100
    type: Literal["procountor-api"] = "procountor-api"
    encoding: Annotated[Literal["UTF-8"], BeforeValidator(_utf8)] = "UTF-8"
    password: Password | None = None
    include_pdf: bool | None = None
    reduce_pdf: bool | None = None
    after_create: AfterCreate | None = None
    codes: ExportCodes = Field(default_factory=ExportCodes)
    # The contract number of the Procountor factoring contract financing this export's
    # invoices, and the text sent with it; an explicit null clears a stored one.
    factoring_contract: str | None = Field(default=None, min_length=1, max_length=80)
    factoring_text: Str500 | None = None
    customer_updates: CustomerUpdates | None = None


class ExportGroup(Part):
    """An invoice export setting: a named group of exports; one is the default."""

    name: Str100
    exports: list[Str100] = Field(default_factory=list)
    default: bool = False


class ExportSettings(Part):
    """Export definitions, groups and terminology carried in the document."""

    exports: list[Export] = Field(default_factory=list)
    groups: list[ExportGroup] = Field(default_factory=list)
    terminology: dict[Str100, Str255] = Field(default_factory=dict)


# --- the document --------------------------------------------------------------------------------


class Header(BaseModel):
    """Everything of the document except its invoices; unknown top-level keys are an error."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["tms-invoicing/1"] = Field(alias="schema")
    office: Office
    profit_centres: list[ProfitCentre] = Field(default_factory=list)
    vat_rates: list[VatRate] = Field(default_factory=list)
    customers: list[Customer] = Field(default_factory=list)
    periods: list[Period] = Field(default_factory=list)
    export_settings: ExportSettings | None = None


class Document(Header):
    """The whole document, for callers that hold it in memory (the importer streams instead)."""

    invoices: list[Invoice] = Field(default_factory=list)


TOP_LEVEL_KEYS = (
    "schema",
    *(name for name in Header.model_fields if name != "schema_"),
    "invoices",
)
