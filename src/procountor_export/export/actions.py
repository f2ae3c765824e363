"""What a user can do about a problem, worded once for each face a message is read on.

The remedies of the catalogue are read in three places: the terminal, the browser and the REST
API. A remedy never spells out a command, a page or a JSON field itself: it names an *action*
(``{do:set_tax_code}``), and :data:`ACTIONS` words each action once per :class:`Face`. A remedy
therefore cannot be written for one face and forgotten for another; the tests check that every
action has all three wordings and that the browser's and the API's wordings name no command.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
