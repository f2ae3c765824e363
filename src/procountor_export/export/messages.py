"""The catalogue of export messages: the Opter article's texts, word for word, and what to do.

Every message the export shows a user comes from here. The article's messages keep their exact
wording and ``{0}``-style placeholders; where a message names the TMS ("Opter"), the name comes
from the ``source_system`` setting instead. Messages the article does not have (the extra checks
this service makes before sending) follow the article's style.

The remedies are ours, and they are read in three places: the terminal, the browser and the REST
API. A remedy never spells out a command, a page or a JSON field itself: it names an *action*
(``{do:set_tax_code}``), and :data:`ACTIONS` words each action once per :class:`Face`. A remedy
therefore cannot be written for one face and forgotten for another; the tests check that every
action has all three wordings and that the browser's and the API's wordings name no command.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any, Protocol


class Severity(enum.StrEnum):
    """An error stops the invoice; a warning is recorded and the invoice still goes."""

    ERROR = "error"
    WARNING = "warning"


class Face(enum.StrEnum):
    """Where a message is read: each face names its own way of doing something."""

    CLI = "cli"  # the terminal (and the event log): commands and options
    WEB = "web"  # the browser: pages, fields and buttons
    API = "api"  # the REST API's client: JSON fields and endpoints


@dataclass(frozen=True)
class Action:
    """One thing a user can do about a problem, worded for each face.

    Each wording is a phrase that fits the remedy's sentence in place of ``{do:NAME}``.
    """

    cli: str
    web: str
    api: str

    def on(self, face: Face) -> str:
        """The wording for ``face``."""
        return {Face.CLI: self.cli, Face.WEB: self.web, Face.API: self.api}[face]


_EXPORT_PAGE = "Settings → Invoice exports → the export"
_DOCUMENT_EXPORT = (
    'the export in "export_settings.exports" of the document sent to POST /api/v1/documents'
)

ACTIONS: dict[str, Action] = {
    "test_connection": Action(
        cli="'procountor-export procountor ping' shows what is missing",
        web=f"the Test connection button on {_EXPORT_PAGE} shows what is missing",
        api=f"in the web UI, the Test connection button on {_EXPORT_PAGE} shows what is missing",
    ),
    "set_tax_code": Action(
        cli="procountor-export tax-codes set EXPORT VAT_CODE vat_N",
        web=f"{_EXPORT_PAGE}, Codes: tax rates, then Save tax rate codes",
        api=f'"codes.tax_rates" of {_DOCUMENT_EXPORT}, or in the web UI under {_EXPORT_PAGE}, '
        "Codes: tax rates",
    ),
    "default_group": Action(
        cli="procountor-export groups set NAME --export EXPORT --default",
        web="tick Default for one of them on Settings → Invoice export settings",
        api='"default": true for one of "export_settings.groups" of the document '
        "sent to POST /api/v1/documents",
    ),
    "customer_group": Action(
        cli="procountor-export customer-group set CUSTOMER GROUP",
        web="Settings → Customers",
        api='the customer\'s "export_setting" in the document sent to POST /api/v1/documents',
    ),
    "set_api_key": Action(
        cli="procountor-export exports set NAME --password",
        web=f"the Password field on {_EXPORT_PAGE}, then Save",
        api=f'"password" of {_DOCUMENT_EXPORT}, or the Password field in the web UI on '
        f"{_EXPORT_PAGE}",
    ),
    "export_single": Action(
        cli="export single invoices with --invoice",
        web="tick single invoices in the Invoices list and press Export and send",
        api='export single invoices by listing their numbers in "invoices" of POST /api/v1/exports',
    ),
    "set_factoring": Action(
        cli="procountor-export exports set NAME --factoring-contract NUMBER",
        web=f"the Factoring contract field on {_EXPORT_PAGE}, then Save",
        api=f'"factoring_contract" of {_DOCUMENT_EXPORT}',
    ),
    "remove_factoring": Action(
        cli="procountor-export exports set NAME --no-factoring",
        web=f"empty the Factoring contract field on {_EXPORT_PAGE}, then Save",
        api=f'"factoring_contract": null for {_DOCUMENT_EXPORT}',
    ),
    "update_customers": Action(
        cli="procountor-export exports set NAME --customer-updates create_and_update",
        web="choose 'Create missing customers and update changed ones' under Customers in "
        f"Procountor on {_EXPORT_PAGE}",
        api=f'"customer_updates": "create_and_update" for {_DOCUMENT_EXPORT}',
    ),
    "reduce_pdf": Action(
        cli="reduce the PDF's size (procountor-export exports set NAME --reduce-pdf)",
        web=f"tick Reduce PDF file size on {_EXPORT_PAGE}",
        api=f'set "reduce_pdf": true for {_DOCUMENT_EXPORT}',
    ),
    "no_pdf": Action(
        cli="stop attaching it (procountor-export exports set NAME --no-include-pdf)",
        web=f"untick Include PDF copy on {_EXPORT_PAGE}",
        api=f'set "include_pdf": false for {_DOCUMENT_EXPORT}',
    ),
}
_ACTION = re.compile(r"\{do:(\w+)\}")


@dataclass(frozen=True)
class MessageTemplate:
    """One message: a code, its text with placeholders, and the fix a user can make."""

    code: str
    text: str
    remedy: str
    severity: Severity = Severity.ERROR

    def format(self, *args: object, source: str = "Opter") -> str:
        """The message with its placeholders filled (``{source}`` = the TMS's name)."""
        return self.text.replace("{source}", source).format(*args)

    def fix(self, source: str = "Opter", face: Face = Face.CLI) -> str:
        """What to do about it on ``face``, naming the TMS by its configured name."""
        worded = _ACTION.sub(lambda match: ACTIONS[match[1]].on(face), self.remedy)
        return worded.replace("{source}", source)

    @property
    def actions(self) -> tuple[str, ...]:
        """The names of the actions the remedy refers to."""
        return tuple(_ACTION.findall(self.remedy))


# --- the article's messages (text word for word) -------------------------------------------------

API_CALL = MessageTemplate(
    "API_CALL",
    "Error during API call",
    "Procountor refused a request; its own explanation follows the message. Correct the data it "
    "names and export again; if it names nothing you can change, contact support with the "
    "invoice number.",
)
CREDENTIALS = MessageTemplate(
    "CREDENTIALS",
    "The user credentials were not accepted by Procountor",
    "Make sure the export's password is the API key created in Procountor for the m2m user, and "
    "that the client id and secret are right. Check that the m2m user has all the rights listed "
    "in the documentation's Connecting to Procountor page ({do:test_connection}).",
)
PRODUCT_GROUP = MessageTemplate(
    "PRODUCT_GROUP",
    "The product group {0} does not exist/could not be created in Procountor",
    "The export keeps its posting products in this product group and creates it when missing. "
    "Check that the m2m user has the productRegister right, or create the group by hand in "
    "Procountor's product register, then export again.",
)
ACCOUNT_MALFORMED = MessageTemplate(
    "ACCOUNT_MALFORMED",
    "Incorrectly stated account number: {0}",
    "Check the account number in {source}: an account number is digits only.",
)
ACCOUNT_MISSING = MessageTemplate(
    "ACCOUNT_MISSING",
    "No {0} account in Procountor. Check the accounts available in Procountor.",
    "The account numbers used in {source} must exist (and be active) in Procountor's chart of "
    "accounts. Add the account in Procountor or correct the posting in {source}.",
)
ACCOUNTS_UNAVAILABLE = MessageTemplate(
    "ACCOUNTS_UNAVAILABLE",
    "Could not retrieve accounts from Procountor",
    "The chart of accounts could not be read. Check the m2m user's basicAccountingInfo right "
    "and Procountor's availability, then export again.",
)
DIMENSIONS_MISSING = MessageTemplate(
    "DIMENSIONS_MISSING",
    "The dimensions {0} do not exist in Procountor",
    "A profit centre in {source} is a dimension in Procountor, matched by name. Dimensions cannot "
    "be created through the API: create them in Procountor with exactly the same names, then "
    "export again.",
)
CODING_READ = MessageTemplate(
    "CODING_READ",
    "Could not retrieve account coding for invoice {0} from Procountor",
    "The invoice was created in Procountor but its ledger receipt could not be read. Export "
    "again: the invoice is found and its coding checked without creating it twice.",
)
CODING_UPDATE = MessageTemplate(
    "CODING_UPDATE",
    "Could not update account coding for invoice {0} in Procountor",
    "The invoice exists in Procountor but its accounts or dimensions could not be corrected. "
    "Export again (nothing is created twice), or correct the ledger receipt by hand while the "
    "invoice is unfinished.",
)
PERIOD_CLOSED = MessageTemplate(
    "PERIOD_CLOSED",
    "The period for date {0} does not exist or is closed in Procountor",
    "Procountor has no invoicing periods, but the invoice date must fall within an open "
    "financial year and an open accounting period in Procountor. Open the period in Procountor "
    "or change the invoice date in {source}.",
)
CUSTOMER_CREATE = MessageTemplate(
    "CUSTOMER_CREATE",
    "The customer {0} could not be created in Procountor (customer code: {1}, customer no.: {2})",
    "You can try creating the customer manually in Procountor; its customer number must be the "
    "sales ledger number in {source}. Then export the invoice again.",
)
CUSTOMER_UPDATE = MessageTemplate(
    "CUSTOMER_UPDATE",
    "The customer {0} could not be updated in Procountor (customer code: {1}, customer no.: {2})",
    "You can try updating the customer manually in Procountor; its customer number must be the "
    "sales ledger number in {source}. Then export the invoice again.",
)
CUSTOMER_NUMBER_MISSING = MessageTemplate(
    "CUSTOMER_NUMBER_MISSING",
    "Customer number missing in {source} for customer: {0} (customer code: {1}, customer no: {2})",
    "Enter the customer number in the Sales ledger number field of the customer in {source}, "
    "then export the invoice again.",
)
PDF_NOT_ATTACHED = MessageTemplate(
    "PDF_NOT_ATTACHED",
    "The {source} invoice in PDF format could not be attached to the invoice in Procountor.",
    "The invoice was still created. Add the PDF to the invoice in Procountor by hand; "
    "{do:reduce_pdf} if the file was too large, or {do:no_pdf}.",
    Severity.WARNING,
)
TOO_MANY_CALLS = MessageTemplate(
    "TOO_MANY_CALLS",
    "Too many calls",
    "Procountor kept refusing requests for exceeding its rate limit. Lower "
    "PROCOUNTOR_RATE_LIMIT (shared by every worker using the same client id) and export again.",
)

# --- checks this service adds before sending ------------------------------------------------------

VAT_CODE_UNMAPPED = MessageTemplate(
    "VAT_CODE_UNMAPPED",
    "No VAT status code for VAT code {0} in the export {1}",
    "Add the VAT status code (for example vat_1) for this VAT code under the export's tax rate "
    "codes: {do:set_tax_code}.",
)
VAT_STATUS_NOT_ENABLED = MessageTemplate(
    "VAT_STATUS_NOT_ENABLED",
    "The VAT status code vat_{0} (VAT code {1}) is not in use for sales in Procountor",
    "Check the VAT defaults in Procountor and the export's tax rate code for this VAT code "
    "({do:set_tax_code}).",
)
VAT_PERCENT_NOT_ENABLED = MessageTemplate(
    "VAT_PERCENT_NOT_ENABLED",
    "The VAT rate {0} % (VAT code {1}) is not in use for sales in Procountor",
    "Enable the VAT percentage in Procountor's VAT settings, or correct the VAT code in {source}.",
)
CURRENCY_UNKNOWN = MessageTemplate(
    "CURRENCY_UNKNOWN",
    "The currency {0} is not known to Procountor",
    "Use an ISO 4217 currency code that Procountor supports.",
)
CURRENCY_RATE = MessageTemplate(
    "CURRENCY_RATE",
    "The currency rate {0} is not valid for an invoice in the company currency {1}",
    "An invoice in the company's own currency must have the currency rate 1.",
)
TEXT_ENCODING = MessageTemplate(
    "TEXT_ENCODING",
    "The {0} contains characters Procountor cannot accept: {1}",
    "Procountor accepts only characters of the Windows-1252 character set. Replace these "
    "characters in {source} and export again.",
)
IBAN_NOT_COMPANY = MessageTemplate(
    "IBAN_NOT_COMPANY",
    "The bank account {0} is not one of the company's bank accounts in Procountor",
    "The office's bank account in {source} must be an active bank account of the company in "
    "Procountor.",
)
COUNTRY_UNKNOWN = MessageTemplate(
    "COUNTRY_UNKNOWN",
    "The country code {0} of customer {1} is not known to Procountor",
    "Use an ISO 3166 two-letter country code in the customer's address in {source}.",
)
CUSTOMER_INCOMPLETE = MessageTemplate(
    "CUSTOMER_INCOMPLETE",
    "The customer {0} (customer code: {1}) cannot be invoiced by {2}: {3}",
    "Complete the customer's details in {source}, or choose another invoice channel.",
)
DUE_DATE = MessageTemplate(
    "DUE_DATE",
    "The due date {0} is before the invoice date {1}",
    "Correct the due date of the invoice in {source}.",
)
NO_EXPORT_SETTING = MessageTemplate(
    "NO_EXPORT_SETTING",
    "No invoice export setting applies to customer {0} (customer code: {1})",
    "Choose a default invoice export setting ({do:default_group}) or set the customer's invoice "
    "export setting ({do:customer_group}).",
)
API_KEY_MISSING = MessageTemplate(
    "API_KEY_MISSING",
    "The export {0} has no API key: {1}",
    "Enter the API key created in Procountor as the export's password ({do:set_api_key}).",
)
PERIOD_OPEN = MessageTemplate(
    "PERIOD_OPEN",
    "The invoice period {0} is not closed",
    "Only closed invoice periods are exported whole; close the period in {source}, or "
    "{do:export_single}.",
)
TOTALS_DIFFER = MessageTemplate(
    "TOTALS_DIFFER",
    "Procountor's totals for invoice {0} differ from {source}: {1}",
    "Procountor computes VAT per invoice row, which can round differently from {source}. Check "
    "the invoice in Procountor before approving it.",
    Severity.WARNING,
)
CODING_DIFFERS = MessageTemplate(
    "CODING_DIFFERS",
    "The account coding of invoice {0} in Procountor differs from {source} and the invoice can "
    "no longer be changed: {1}",
    "The invoice was approved in Procountor before its coding was checked. Correct the ledger "
    "receipt in Procountor by hand.",
    Severity.WARNING,
)

INVOICE_NOT_OURS = MessageTemplate(
    "INVOICE_NOT_OURS",
    "Procountor already has an invoice with the {source} invoice number {0} that this export "
    "did not create: invoice {1} (id {2}) for {3}, dated {4}. It was left unchanged",
    "The article recommends separate invoice number series in {source} and Procountor. Look at "
    "that invoice in Procountor: if it is another invoice, change its original invoice number "
    "or invalidate it there; if it is this very invoice keyed in by hand, it needs no export. "
    "Then export again.",
)
DIMENSION_ITEM_INACTIVE = MessageTemplate(
    "DIMENSION_ITEM_INACTIVE",
    "The dimension item {1} of dimension {0} is inactive in Procountor",
    "Nothing can be posted to an inactive dimension item. Activate the item on Procountor's "
    "Dimensions page, or correct the profit centre's unit in {source}, then export again.",
)
BUSINESS_ID_INVALID = MessageTemplate(
    "BUSINESS_ID_INVALID",
    "The business ID {1} of customer {0} is not valid: {2}",
    "Correct the customer's corporate ID in {source} (a Finnish business ID is 1234567-8 with "
    "a valid check digit), then export again.",
)
VAT_NUMBER_INVALID = MessageTemplate(
    "VAT_NUMBER_INVALID",
    "The VAT number {1} of customer {0} is not valid: {2}",
    "Correct the customer's VAT number in {source} (an EU VAT number starts with its country "
    "code, e.g. FI12345671), then export again.",
)
EMAIL_INVALID = MessageTemplate(
    "EMAIL_INVALID",
    "The e-mail address {1} of customer {0} is not a valid e-mail address",
    "The customer is invoiced by e-mail. Correct the e-mail address in {source}, or choose "
    "another invoice channel for the customer.",
)
EINVOICE_ADDRESS_INVALID = MessageTemplate(
    "EINVOICE_ADDRESS_INVALID",
    "The e-invoice address {1} of customer {0} is not valid: {2}",
    "A Finnish e-invoice address is an OVT code (0037, the 8 digits of the business ID and an "
    "optional suffix of up to 5 characters) or an IBAN. Correct the customer's OVT in "
    "{source}, then export again.",
)
OFFICE_BANK_INVALID = MessageTemplate(
    "OFFICE_BANK_INVALID",
    "The office's {0} {1} is not valid: {2}",
    "Correct the office's bank details in {source} (the IBAN and BIC that customers pay to), "
    "then export again.",
)
COUNTRY_MISSING = MessageTemplate(
    "COUNTRY_MISSING",
    "The {1} of customer {0} has no country",
    "Procountor needs a country on the customer's addresses. Enter the country (ISO code, e.g. "
    "FI) in the customer's address in {source}, then export again.",
)

# --- VAT kinds and legal notes ------------------------------------------------------------------

VAT_KIND_STATUS = MessageTemplate(
    "VAT_KIND_STATUS",
    "The VAT code {0} is of kind {1}, but its VAT status code vat_{2} is for {3}; a sale of "
    "this kind needs {4}",
    "The VAT status decides how Procountor reports the sale in the VAT return, and it must "
    "agree with the kind of the VAT rate in {source}. Map the VAT code to the status that fits "
    "({do:set_tax_code}; the company's statuses are in "
    "Procountor's VAT defaults), or correct the kind of the VAT rate in {source}, then export "
    "again.",
)
VAT_KIND_MISSING = MessageTemplate(
    "VAT_KIND_MISSING",
    "The VAT code {0} has no VAT kind (it counts as domestic), but its VAT status code "
    "vat_{1} is for {2}",
    "The invoice is exported with that status, but without the legal note and the checks a "
    "sale of that kind needs (the buyer's VAT number, the reverse-charge or exemption note). "
    "Give the VAT rate its kind in {source} (eu_goods, eu_services, export, reverse_charge or "
    "exempt), then import the invoices again; invoices already exported keep what they have.",
    Severity.WARNING,
)
VAT_NUMBER_REQUIRED = MessageTemplate(
    "VAT_NUMBER_REQUIRED",
    "The customer {0} has no VAT number, which the VAT code {1} of kind {2} requires",
    "An intra-Community sale (kinds eu_goods and eu_services) is invoiced without Finnish VAT "
    "only to a business registered for VAT in another EU country, and its VAT number must be "
    "on the invoice. Enter the customer's VAT number with its country code (e.g. "
    "SE556036079301) in {source}, or correct the VAT code of the invoice, then export again.",
)
VAT_NUMBER_NOT_EU = MessageTemplate(
    "VAT_NUMBER_NOT_EU",
    "The VAT number {1} of customer {0} cannot be used with the VAT code {2} of kind {3}: {4}",
    "The buyer of an intra-Community sale is registered for VAT in another EU country, and the "
    "VAT number that country gave it goes on the invoice. Correct the customer's VAT number in "
    "{source}, or use a VAT code of another kind (export for a buyer outside the EU, domestic "
    "for a Finnish buyer), then export again.",
)
BUSINESS_ID_REQUIRED = MessageTemplate(
    "BUSINESS_ID_REQUIRED",
    "The customer {0} has no business ID, which the VAT code {1} of kind {2} requires",
    "Under the domestic reverse charge the buyer pays the VAT, and the invoice must name the "
    "buyer by its business ID (Y-tunnus). Enter the customer's corporate ID in {source}, or "
    "correct the VAT code of the invoice, then export again.",
)

# --- payment references and penalty interest ---------------------------------------------------

REFERENCE_INVALID = MessageTemplate(
    "REFERENCE_INVALID",
    "The payment reference {0} of invoice {1} is not valid: {2}",
    "The reference is what the customer pays with, so Procountor must hold the one {source} "
    "printed. It must be a Finnish reference number (4 to 20 digits, the last a check digit "
    "computed with the weights 7, 3, 1) or an RF creditor reference (ISO 11649, e.g. RF18 5390 "
    "0754 7034); spaces are allowed. Correct the invoice's reference in {source}, or leave it "
    "out so that Procountor makes one, then export again.",
)
PENALTY_INTEREST_INVALID = MessageTemplate(
    "PENALTY_INTEREST_INVALID",
    "The penalty interest {0} % of {1} is not valid: Procountor takes 0 to 100 %",
    "The penalty interest is a percent, e.g. 8 for 8 %. Correct it in {source} (the invoice's "
    "penalty interest overrides the customer's), then export again.",
)

# --- factoring and customer updates ------------------------------------------------------------

FACTORING_UNAVAILABLE = MessageTemplate(
    "FACTORING_UNAVAILABLE",
    "The factoring contract {1} of the export {2} cannot be used for invoice {0}: Procountor "
    "does not list the company's factoring contracts",
    "Procountor answered that the m2m user lacks the right or that external financing has not "
    "been enabled for the company (factoring contracts exist in Finnish environments only). "
    "Enable external financing for the company in Procountor and give the m2m user the right "
    "to see its financing agreements, or remove the contract from the export "
    "({do:remove_factoring}), then export again.",
)
FACTORING_CONTRACT_UNKNOWN = MessageTemplate(
    "FACTORING_CONTRACT_UNKNOWN",
    "The factoring contract {1} of the export {2} (invoice {0}) does not exist in Procountor",
    "The export's factoring contract is the contract number of one of the company's factoring "
    "contracts in Procountor. Correct it ({do:set_factoring}) or remove it "
    "({do:remove_factoring}), then export again.",
)
FACTORING_CONTRACT_INACTIVE = MessageTemplate(
    "FACTORING_CONTRACT_INACTIVE",
    "The factoring contract {1} of the export {2} (invoice {0}) is not active in Procountor "
    "(status {3})",
    "Only an active factoring contract can finance invoices. Activate the contract in "
    "Procountor or name another one for the export ({do:set_factoring}), then export again.",
)
FACTORING_BANK_ACCOUNT = MessageTemplate(
    "FACTORING_BANK_ACCOUNT",
    "The bank account {3} of invoice {0} is not the bank account {4} of the factoring contract "
    "{1} of the export {2}",
    "An invoice financed through a factoring contract must name the financing company's bank "
    "account, as Procountor requires. Make it the office's bank account in {source} (or the "
    "company's default bank account for invoices in Procountor, when the office has none), or "
    "correct the contract in Procountor, then export again.",
)
CUSTOMER_INACTIVE_KEPT = MessageTemplate(
    "CUSTOMER_INACTIVE_KEPT",
    "The customer {0} is inactive in Procountor and the export {3} does not change customers "
    "(customer code: {1}, customer no.: {2})",
    "The export's customer updates are create_only or none, so it does not reactivate a "
    "customer. Activate the customer in Procountor (its customer number is the sales ledger "
    "number in {source}), or let the export update customers ({do:update_customers}), then "
    "export the invoice again.",
)

# --- Procountor's temporary problems (issue 20, item 8) ----------------------------------------

PROCOUNTOR_UNAVAILABLE = MessageTemplate(
    "PROCOUNTOR_UNAVAILABLE",
    "Procountor had a temporary problem with invoice {0}; the next export will finish it",
    "Nothing is wrong with the invoice: Procountor answered with a server error, did not answer "
    "in time or dropped the connection, and still did after the export had tried again several "
    "times (its answer follows the message). Export again later: the invoice is looked up in "
    "Procountor first, so nothing is created twice. If it keeps happening, check Procountor's "
    "service status.",
)
PROCOUNTOR_INTERRUPTED = MessageTemplate(
    "PROCOUNTOR_INTERRUPTED",
    "Procountor had a temporary problem and the export was interrupted; the next export will "
    "finish its invoices",
    "Procountor kept failing (server errors, no answer in time, dropped connections) after the "
    "export had tried again several times, so the export stopped instead of failing every "
    "invoice one by one. Nothing is wrong with the invoices: export again later; what reached "
    "Procountor is found there, never created twice.",
)

CATALOGUE: tuple[MessageTemplate, ...] = tuple(
    value for value in globals().values() if isinstance(value, MessageTemplate)
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
