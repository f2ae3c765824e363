"""The messages the Opter article does not have, written in its style.

The checks this service makes before sending (VAT codes and kinds, identifiers, payment
references, factoring), an invoice in Procountor that this export did not create, and
Procountor's temporary problems. Like the article's messages, they name the TMS as ``{source}``.
"""

from __future__ import annotations

from procountor_export.export.templates import MessageTemplate, Severity

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
ORGANISATION_NUMBER_INVALID = MessageTemplate(
    "ORGANISATION_NUMBER_INVALID",
    "The {2} {1} of customer {0} is not valid: {3}",
    "Correct the customer's corporate ID in {source}: a Swedish organisation number has 10 "
    "digits (556036-0793), a Norwegian organisation number 9 (923609016), a Danish CVR number "
    "8 (13585628), each with a valid check digit. The customer's country (its address) says "
    "which it is. Then export again.",
)
OFFICE_ID_INVALID = MessageTemplate(
    "OFFICE_ID_INVALID",
    "The office's business ID {1} is not a valid {0}: {2}",
    "The office is the seller, a company in Procountor's market of the same country. Correct "
    "the office's business ID in {source} (a Swedish organisation number has 10 digits, a "
    "Norwegian one 9, a Danish CVR number 8, each with a valid check digit), then export again.",
)
OFFICE_VAT_NUMBER_INVALID = MessageTemplate(
    "OFFICE_VAT_NUMBER_INVALID",
    "The office's VAT number {0} is not valid: {1}",
    "The office is the seller, and its VAT number is printed on every invoice. Correct the "
    "office's VAT number in {source} (its country code and the number with a valid check digit, "
    "e.g. SE556036079301), then export again.",
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
MARKET_REFERENCE_INVALID = MessageTemplate(
    "MARKET_REFERENCE_INVALID",
    "The payment reference {0} of invoice {1} is not a valid {2} (the references of a company "
    "in {3}): {4}",
    "The reference is what the customer pays with, so Procountor must hold the one {source} "
    "printed, and a company's country decides which references it takes: in Sweden an OCR "
    "number (2 to 25 digits, the last a mod 10 check digit), in Norway a KID (2 to 25 digits, "
    "the last a mod 10 or mod 11 check digit), in Denmark the 15-digit payment id of an FI card "
    "+71 (the last a mod 10 check digit), and everywhere an RF creditor reference (ISO 11649); "
    "spaces are allowed. Correct the invoice's reference in {source}, or leave it out so that "
    "Procountor makes one, then export again.",
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

# --- what earlier versions kept as text ---------------------------------------------------------

# The journal's errors and warnings and a run's stopping reason, as versions before problems were
# kept as data wrote them: migration 0011 made each such text this message's one argument, so
# nothing reads text rows any more. The migration names the code itself: keep the two alike.
EARLIER_VERSION_TEXT = MessageTemplate(
    "EARLIER_VERSION_TEXT",
    "Recorded by an earlier version of this service: {0}",
    "An earlier version of the service kept its messages as text, so this one is shown as it "
    "was written then, without a fix of its own. Correct what it names in {source} or in "
    "Procountor, then export again, or {do:export_single}; whatever still fails is then shown "
    "with the current message and its fix.",
)
