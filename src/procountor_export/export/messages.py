"""The catalogue of export messages, whole, and how a problem is rendered for its reader.

Every message the export shows a user comes from here: the Opter article's messages, word for
word (:mod:`~procountor_export.export.article_messages`), and ours, in its style
(:mod:`~procountor_export.export.own_messages`). A template
(:mod:`~procountor_export.export.templates`) names the TMS as ``{source}`` and the actions of
its remedy as ``{do:NAME}``, which :mod:`~procountor_export.export.actions` words for each
:class:`Face`. :class:`Messages` is the one place where a problem becomes text.

This module is the catalogue's one import path: every template, ``ACTIONS``, ``Face``,
``Severity`` and ``MessageTemplate`` are reachable as ``messages.NAME`` (see ``__all__``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from procountor_export.export import article_messages, own_messages
from procountor_export.export.actions import ACTIONS, Action, Face
from procountor_export.export.article_messages import (
    ACCOUNT_MALFORMED,
    ACCOUNT_MISSING,
    ACCOUNTS_UNAVAILABLE,
    API_CALL,
    CODING_READ,
    CODING_UPDATE,
    CREDENTIALS,
    CUSTOMER_CREATE,
    CUSTOMER_NUMBER_MISSING,
    CUSTOMER_UPDATE,
    DIMENSIONS_MISSING,
    PDF_NOT_ATTACHED,
    PERIOD_CLOSED,
    PRODUCT_GROUP,
    TOO_MANY_CALLS,
)
from procountor_export.export.own_messages import (
    API_KEY_MISSING,
    BUSINESS_ID_INVALID,
    BUSINESS_ID_REQUIRED,
    CODING_DIFFERS,
    COUNTRY_MISSING,
    COUNTRY_UNKNOWN,
    CURRENCY_RATE,
    CURRENCY_UNKNOWN,
    CUSTOMER_INACTIVE_KEPT,
    CUSTOMER_INCOMPLETE,
    DIMENSION_ITEM_INACTIVE,
    DUE_DATE,
    EARLIER_VERSION_TEXT,
    EINVOICE_ADDRESS_INVALID,
    EMAIL_INVALID,
    FACTORING_BANK_ACCOUNT,
    FACTORING_CONTRACT_INACTIVE,
    FACTORING_CONTRACT_UNKNOWN,
    FACTORING_UNAVAILABLE,
    IBAN_NOT_COMPANY,
    INVOICE_NOT_OURS,
    MARKET_REFERENCE_INVALID,
    NO_EXPORT_SETTING,
    OFFICE_BANK_INVALID,
    OFFICE_ID_INVALID,
    OFFICE_VAT_NUMBER_INVALID,
    ORGANISATION_NUMBER_INVALID,
    PENALTY_INTEREST_INVALID,
    PERIOD_OPEN,
    PROCOUNTOR_INTERRUPTED,
    PROCOUNTOR_UNAVAILABLE,
    REFERENCE_INVALID,
    TEXT_ENCODING,
    TOTALS_DIFFER,
    VAT_CODE_UNMAPPED,
    VAT_KIND_MISSING,
    VAT_KIND_STATUS,
    VAT_NUMBER_INVALID,
    VAT_NUMBER_NOT_EU,
    VAT_NUMBER_REQUIRED,
    VAT_PERCENT_NOT_ENABLED,
    VAT_STATUS_NOT_ENABLED,
)
from procountor_export.export.templates import MessageTemplate, Severity

__all__ = [
    "ACCOUNTS_UNAVAILABLE",
    "ACCOUNT_MALFORMED",
    "ACCOUNT_MISSING",
    "ACTIONS",
    "API_CALL",
    "API_KEY_MISSING",
    "BUSINESS_ID_INVALID",
    "BUSINESS_ID_REQUIRED",
    "BY_CODE",
    "CATALOGUE",
    "CODING_DIFFERS",
    "CODING_READ",
    "CODING_UPDATE",
    "COUNTRY_MISSING",
    "COUNTRY_UNKNOWN",
    "CREDENTIALS",
    "CURRENCY_RATE",
    "CURRENCY_UNKNOWN",
    "CUSTOMER_CREATE",
    "CUSTOMER_INACTIVE_KEPT",
    "CUSTOMER_INCOMPLETE",
    "CUSTOMER_NUMBER_MISSING",
    "CUSTOMER_UPDATE",
    "DIMENSIONS_MISSING",
    "DIMENSION_ITEM_INACTIVE",
    "DUE_DATE",
    "EARLIER_VERSION_TEXT",
    "EINVOICE_ADDRESS_INVALID",
    "EMAIL_INVALID",
    "FACTORING_BANK_ACCOUNT",
    "FACTORING_CONTRACT_INACTIVE",
    "FACTORING_CONTRACT_UNKNOWN",
    "FACTORING_UNAVAILABLE",
    "IBAN_NOT_COMPANY",
    "INVOICE_NOT_OURS",
    "MARKET_REFERENCE_INVALID",
    "NO_EXPORT_SETTING",
    "OFFICE_BANK_INVALID",
    "OFFICE_ID_INVALID",
    "OFFICE_VAT_NUMBER_INVALID",
    "ORGANISATION_NUMBER_INVALID",
    "PDF_NOT_ATTACHED",
    "PENALTY_INTEREST_INVALID",
    "PERIOD_CLOSED",
    "PERIOD_OPEN",
    "PROCOUNTOR_INTERRUPTED",
    "PROCOUNTOR_UNAVAILABLE",
    "PRODUCT_GROUP",
    "REFERENCE_INVALID",
    "TEXT_ENCODING",
    "TOO_MANY_CALLS",
    "TOTALS_DIFFER",
    "VAT_CODE_UNMAPPED",
    "VAT_KIND_MISSING",
    "VAT_KIND_STATUS",
    "VAT_NUMBER_INVALID",
    "VAT_NUMBER_NOT_EU",
    "VAT_NUMBER_REQUIRED",
    "VAT_PERCENT_NOT_ENABLED",
    "VAT_STATUS_NOT_ENABLED",
    "Action",
    "Face",
    "MessageTemplate",
    "Messages",
    "Rendered",
    "Severity",
]

# In the order of the modules, the article's messages first, each module's in its own order.
CATALOGUE: tuple[MessageTemplate, ...] = tuple(
    value
    for module in (article_messages, own_messages)
    for value in vars(module).values()
    if isinstance(value, MessageTemplate)
)
BY_CODE: dict[str, MessageTemplate] = {template.code: template for template in CATALOGUE}


class Rendered(Protocol):
    """What :class:`Messages` renders: a problem's code, arguments, detail and place."""

    @property
    def code(self) -> str: ...
    @property
    def args(self) -> tuple[str, ...]: ...
    @property
    def detail(self) -> str | None: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def invoice(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...


@dataclass(frozen=True)
class Messages:
    """Renders problems for a reader: the catalogue's words, with the TMS's name (``source``).

    The one place where a problem becomes text; every face (CLI, JSON, web, event log) holds
    one, made for its ``face``: the message is the same everywhere, the remedy names what the
    reader can use there (a command, a page and its button, a JSON field). The event log keeps
    the CLI's wording. An unknown code (written by a newer version) is shown as its code and
    arguments.
    """

    source: str = "Opter"
    face: Face = Face.CLI

    def message(self, problem: Rendered) -> str:
        """The message, placeholders filled."""
        template = BY_CODE.get(problem.code)
        if template is None:
            return " ".join((problem.code, *problem.args))
        return template.format(*problem.args, source=self.source)

    def remedy(self, problem: Rendered) -> str:
        """What the user can do about it."""
        template = BY_CODE.get(problem.code)
        return template.fix(self.source, self.face) if template is not None else ""

    def text(self, problem: Rendered) -> str:
        """The message with its detail, as one line (event log, journal listings)."""
        message = self.message(problem)
        return f"{message}: {problem.detail}" if problem.detail else message

    def as_dict(self, problem: Rendered) -> dict[str, Any]:
        """The JSON shape the CLI and the REST API share: data and words together."""
        return {
            "code": problem.code,
            "args": list(problem.args),
            "message": self.message(problem),
            "detail": problem.detail,
            "remedy": self.remedy(problem),
            "severity": problem.severity.value,
            "invoice": problem.invoice,
            "field": problem.field,
        }
