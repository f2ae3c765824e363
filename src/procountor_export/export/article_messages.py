"""The Opter article's messages, word for word, with our remedies.

The article's messages keep their exact wording and ``{0}``-style placeholders; where a message
names the TMS ("Opter"), the name comes from the ``source_system`` setting instead (``{source}``).
The messages the article does not have are in :mod:`procountor_export.export.own_messages`.
"""

from __future__ import annotations

from procountor_export.export.templates import MessageTemplate, Severity

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
