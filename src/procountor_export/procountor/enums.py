"""The values Procountor's API 26.04 lists for statuses, types, channels, languages and units.

Each is a :class:`~enum.StrEnum`, so a member equals its string (``InvoiceStatus.SENT ==
"SENT"``) and goes on the wire as that string. The values are exactly those of Procountor's
OpenAPI 26.04, in its order (a test holds them to :mod:`procountor_export.apispec`).

Parsing stays lenient: a value Procountor adds after 26.04 becomes a member-like value of the
enum (equal to its string, never an error), so reading an answer never fails on a new status
or unit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

__all__ = [
    "ApiEnum",
    "InvoiceChannel",
    "InvoiceStatus",
    "InvoiceType",
    "Language",
    "PartnerType",
    "PaymentEventType",
    "PaymentMethod",
    "ProductType",
    "TransactionType",
    "Unit",
]


class ApiEnum(StrEnum):
    """A Procountor enum that keeps an unknown value instead of refusing it."""

    @classmethod
    def _missing_(cls, value: Any) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


class InvoiceStatus(ApiEnum):
    """An invoice's status (``Invoice.status``; also the statuses a search filters on)."""

    EMPTY = "EMPTY"
    UNFINISHED = "UNFINISHED"
    NOT_SENT = "NOT_SENT"
    SENT = "SENT"
    RECEIVED = "RECEIVED"
    PAID = "PAID"
    PAYMENT_DENIED = "PAYMENT_DENIED"
    VERIFIED = "VERIFIED"
    APPROVED = "APPROVED"
    INVALIDATED = "INVALIDATED"
    PAYMENT_QUEUED = "PAYMENT_QUEUED"
    PARTLY_PAID = "PARTLY_PAID"
    PAYMENT_SENT_TO_BANK = "PAYMENT_SENT_TO_BANK"
    MARKED_PAID = "MARKED_PAID"
    STARTED = "STARTED"
    INVOICED = "INVOICED"
    OVERRIDDEN = "OVERRIDDEN"
    DELETED = "DELETED"
    UNSAVED = "UNSAVED"
    PAYMENT_TRANSACTION_REMOVED = "PAYMENT_TRANSACTION_REMOVED"


class InvoiceType(ApiEnum):
    """An invoice's type; the export makes ``SALES_INVOICE``."""

    SALES_INVOICE = "SALES_INVOICE"
    SALES_ORDER = "SALES_ORDER"
    PURCHASE_INVOICE = "PURCHASE_INVOICE"
    PURCHASE_ORDER = "PURCHASE_ORDER"
    TRAVEL_INVOICE = "TRAVEL_INVOICE"
    BILL_OF_CHARGES = "BILL_OF_CHARGES"
    PERIODIC_TAX_RETURN = "PERIODIC_TAX_RETURN"


class InvoiceChannel(ApiEnum):
    """How an invoice is delivered (``invoiceChannel`` of an invoice or a partner)."""

    EMAIL = "EMAIL"
    MAIL = "MAIL"
    ELECTRONIC_INVOICE = "ELECTRONIC_INVOICE"
    EDIFACT = "EDIFACT"
    PAPER_INVOICE = "PAPER_INVOICE"
    NO_SENDING = "NO_SENDING"


class Language(ApiEnum):
    """An invoice's or a partner's language."""

    DANISH = "DANISH"
    ENGLISH = "ENGLISH"
    ESTONIAN = "ESTONIAN"
    FINNISH = "FINNISH"
    NORWEGIAN = "NORWEGIAN"
    SWEDISH = "SWEDISH"


class Unit(ApiEnum):
    """The unit of an invoice row or a product."""

    CM = "CM"
    LOT = "LOT"
    GRAM = "GRAM"
    HOUR = "HOUR"
    PERSON = "PERSON"
    LINEAR_METER = "LINEAR_METER"
    KILOGRAM = "KILOGRAM"
    MONTH = "MONTH"
    KILOMETER = "KILOMETER"
    PIECE = "PIECE"
    KILOWATT_HOUR = "KILOWATT_HOUR"
    LITER = "LITER"
    BOX = "BOX"
    METER = "METER"
    SQUARE_METER = "SQUARE_METER"
    CUBIC_METER = "CUBIC_METER"
    SALE_UNIT = "SALE_UNIT"
    MINUTE = "MINUTE"
    MILLIMETER = "MILLIMETER"
    PARCEL = "PARCEL"
    BOTTLE = "BOTTLE"
    CAN = "CAN"
    BAG = "BAG"
    DAY = "DAY"
    ROLL = "ROLL"
    PAGE = "PAGE"
    SACK = "SACK"
    SERIES = "SERIES"
    TUBE = "TUBE"
    TON = "TON"
    YEAR = "YEAR"
    WEEK = "WEEK"
    FULL_DAY = "FULL_DAY"
    KILOBIT = "KILOBIT"
    MEGABIT = "MEGABIT"
    GIGABIT = "GIGABIT"
    TERABIT = "TERABIT"
    SQUARE_CENTIMETRE = "SQUARE_CENTIMETRE"
    CENTILITRE = "CENTILITRE"
    CUP = "CUP"
    DECILITRE = "DECILITRE"
    GALLON_UK = "GALLON_UK"
    GALLON_US = "GALLON_US"
    MILLILITRE = "MILLILITRE"
    PINT_UK = "PINT_UK"
    PINT_US = "PINT_US"
    AMPERE = "AMPERE"
    AMPERE_HOUR = "AMPERE_HOUR"
    AMPERE_MINUTE = "AMPERE_MINUTE"
    KILOAMPERE_HOUR = "KILOAMPERE_HOUR"
    KILOVOLT = "KILOVOLT"
    MILLIVOLT = "MILLIVOLT"
    MILLIAMPERE_HOUR = "MILLIAMPERE_HOUR"
    FOOT = "FOOT"
    INCH = "INCH"
    MILE = "MILE"
    YARD = "YARD"
    EXAJOULE = "EXAJOULE"
    GIGAJOULE = "GIGAJOULE"
    JOULE = "JOULE"
    JOULE_PER_SECOND = "JOULE_PER_SECOND"
    KILOJOULE = "KILOJOULE"
    MILLIJOULE = "MILLIJOULE"
    PETAJOULE = "PETAJOULE"
    TERAJOULE = "TERAJOULE"
    GRAM_PER_CUBIC_METRE = "GRAM_PER_CUBIC_METRE"
    GRAM_PER_SQUARE_METRE = "GRAM_PER_SQUARE_METRE"
    KILOGRAM_PER_CUBIC_METRE = "KILOGRAM_PER_CUBIC_METRE"
    KILOGRAM_PER_SQUARE_METRE = "KILOGRAM_PER_SQUARE_METRE"
    MILLIGRAM = "MILLIGRAM"
    MILLIGRAM_PER_CUBIC_METRE = "MILLIGRAM_PER_CUBIC_METRE"
    OUNCE = "OUNCE"
    POUND = "POUND"
    STONE_UK = "STONE_UK"
    DOZEN = "DOZEN"
    DOZEN_PACK = "DOZEN_PACK"
    EIGHT_PACK = "EIGHT_PACK"
    FIVE_PACK = "FIVE_PACK"
    FOUR_PACK = "FOUR_PACK"
    HUNDRED = "HUNDRED"
    JAR = "JAR"
    NINE_PACK = "NINE_PACK"
    NUMBER_OF_WORDS = "NUMBER_OF_WORDS"
    PAIR = "PAIR"
    PALLET = "PALLET"
    PLATE = "PLATE"
    SET = "SET"
    SEVEN_PACK = "SEVEN_PACK"
    SIX_PACK = "SIX_PACK"
    TEN_PACK = "TEN_PACK"
    THREE_PACK = "THREE_PACK"
    TWO_PACK = "TWO_PACK"
    WRAP = "WRAP"
    GIGAWATT = "GIGAWATT"
    GIGAWATT_HOUR = "GIGAWATT_HOUR"
    KILOWATT = "KILOWATT"
    MEGAWATT_HOUR = "MEGAWATT_HOUR"
    MILLIWATT = "MILLIWATT"
    TERAWATT = "TERAWATT"
    TERAWATT_HOUR = "TERAWATT_HOUR"
    WATT = "WATT"
    WATT_HOUR = "WATT_HOUR"
    BAR = "BAR"
    KILOPASCAL = "KILOPASCAL"
    PASCAL = "PASCAL"
    KILOBYTE = "KILOBYTE"
    MEGABYTE = "MEGABYTE"
    GIGABYTE = "GIGABYTE"
    SECOND = "SECOND"
    HECTARE = "HECTARE"
    NO_UNIT = "NO_UNIT"


class PartnerType(ApiEnum):
    """A business partner's type; the export's customers are ``CUSTOMER``."""

    CUSTOMER = "CUSTOMER"
    SUPPLIER = "SUPPLIER"
    PERSON = "PERSON"


class ProductType(ApiEnum):
    """A product's or product group's type; the export's products are ``SALES``."""

    PURCHASE = "PURCHASE"
    SALES = "SALES"
    TRAVEL = "TRAVEL"


class PaymentMethod(ApiEnum):
    """An invoice's payment method."""

    BANK_TRANSFER = "BANK_TRANSFER"
    DIRECT_PAYMENT = "DIRECT_PAYMENT"
    CLEARING = "CLEARING"
    CREDIT_CARD_CHARGE = "CREDIT_CARD_CHARGE"
    FOREIGN_PAYMENT = "FOREIGN_PAYMENT"
    OTHER = "OTHER"
    CASH = "CASH"
    DOMESTIC_PAYMENT_PLUSGIRO = "DOMESTIC_PAYMENT_PLUSGIRO"
    DOMESTIC_PAYMENT_BANKGIRO = "DOMESTIC_PAYMENT_BANKGIRO"
    DOMESTIC_PAYMENT_CREDITOR = "DOMESTIC_PAYMENT_CREDITOR"
    DKLMPKRE = "DKLMPKRE"
    NETS = "NETS"


class PaymentEventType(ApiEnum):
    """How a payment event settled an invoice: a reference payment, a credit loss
    (``CREDITLOSS``, written off), a cash discount, a set-off…"""

    ADJUSTMENT = "ADJUSTMENT"
    BANKSTATEMENT = "BANKSTATEMENT"
    BANKSTATEMENT_TO_INVOICE = "BANKSTATEMENT_TO_INVOICE"
    BANKSTATEMENT_TO_JOURNAL = "BANKSTATEMENT_TO_JOURNAL"
    BANKTRANSFERELSEWHERE = "BANKTRANSFERELSEWHERE"
    CASH = "CASH"
    CASHDISCOUNT = "CASHDISCOUNT"
    CHARGECARD = "CHARGECARD"
    COMPENSATIONINVOICE = "COMPENSATIONINVOICE"
    CORRECTION = "CORRECTION"
    CREDITLOSS = "CREDITLOSS"
    ELSEWHERE = "ELSEWHERE"
    INVOICE_TO_INVOICE = "INVOICE_TO_INVOICE"
    INVOICE_TO_JOURNAL = "INVOICE_TO_JOURNAL"
    JOURNAL_TO_INVOICE = "JOURNAL_TO_INVOICE"
    JOURNAL_TO_JOURNAL = "JOURNAL_TO_JOURNAL"
    NETS_DK_INVOICE = "NETS_DK_INVOICE"
    OTHERPAYMENTMETHOD = "OTHERPAYMENTMETHOD"
    REFERENCEPAYMENT = "REFERENCEPAYMENT"
    REFERENCEPAYMENT_TO_INVOICE = "REFERENCEPAYMENT_TO_INVOICE"
    REFERENCEPAYMENT_TO_JOURNAL = "REFERENCEPAYMENT_TO_JOURNAL"
    SETOFF = "SETOFF"
    TRANSACTION_FOCUSED = "TRANSACTION_FOCUSED"


class TransactionType(ApiEnum):
    """A ledger receipt transaction's type."""

    ENTRY = "ENTRY"
    RECONCILIATION_ENTRY = "RECONCILIATION_ENTRY"
    REVERSING_ENTRY = "REVERSING_ENTRY"
