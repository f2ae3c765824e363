"""Sales invoices."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from procountor_export.procountor.enums import InvoiceStatus, InvoiceType
from procountor_export.procountor.errors import NotFound
from procountor_export.procountor.models import Invoice, InvoiceSummary
from procountor_export.procountor.paging import numbered_pages, version_pages
from procountor_export.procountor.resources import Resource
from procountor_export.procountor.resources.payments import InvoicePaymentEvents

if TYPE_CHECKING:
    from procountor_export.procountor.base import BaseClient

__all__ = ["Invoices"]

# Read-only or generated fields that a POST must not carry.
_SERVER_FIELDS = {"id", "invoice_number", "version", "status", "ledger_receipt_id", "payment_date"}


class Invoices(Resource):
    """``/invoices``: create, read, search, replace, approve and send invoices; an invoice's
    payments under :attr:`payment_events`."""

    def __init__(self, client: BaseClient) -> None:
        super().__init__(client)
        self.payment_events = InvoicePaymentEvents(client)

    def create(self, invoice: Invoice) -> Invoice:
        """``POST /invoices``. Never retried on timeout or 5xx: those raise
        :class:`~..errors.OutcomeUnknown`; look the invoice up by ``originalInvoiceNumber``."""
        body = invoice.to_wire(exclude=_SERVER_FIELDS | {"invoice_sum_info"})
        return Invoice.model_validate(self._client._request("POST", "/invoices", json=body))

    def get(self, ids: Iterable[int]) -> builtins.list[Invoice]:
        """``GET /invoices/{ids}`` for any number of ids (≤ 200 a call); unknown ids are left
        out."""
        items = self._client._get_many("/invoices/{ids}", ids)
        return [Invoice.model_validate(item) for item in items]

    def search(
        self,
        *,
        original_invoice_number: str | None = None,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        types: InvoiceType = InvoiceType.SALES_INVOICE,
        status: InvoiceStatus | None = None,
        changed_since: str | dt.datetime | None = None,
    ) -> Iterator[InvoiceSummary]:
        """``GET /invoices`` with the filters given, every page.

        ``start_date``/``end_date`` filter on the invoice date; ``original_invoice_number``
        is an exact match (the duplicate check before a POST). Pages are numbered
        (``page=0,1,…``): the spec documents no order in which keyset paging combines with
        the search's own sort defaults. Procountor may answer a search without a hit with
        404 "Invoice not found"; that is "no match" here, never an error.

        ``changed_since`` lists the invoices whose ``version`` is at or after it (inclusive),
        oldest change first (``versionStartDate=…&orderByVersion=ASC``, 200 a page): a
        ``version`` Procountor gave (pass it back as it came) or a moment (naive: Procountor's
        own time; aware: sent with its offset). Every change bumps the version, payments
        included, so a new ``status`` (``PAID``, ``PARTLY_PAID``…) shows here. Those pages
        follow ``version`` itself (:func:`~..paging.version_pages`), so an invoice changing
        while the listing is read cannot push another one past it; nothing changed costs one
        call, and about one call more per 200 changed invoices.
        """
        params: dict[str, str | int] = {"types": types}
        if original_invoice_number is not None:
            params["originalInvoiceNumber"] = original_invoice_number
        if start_date is not None:
            params["startDate"] = start_date.isoformat()
        if end_date is not None:
            params["endDate"] = end_date.isoformat()
        if status is not None:
            params["status"] = status
        if changed_since is None:
            pages = numbered_pages(self._search_page, params)
        else:
            since = (
                changed_since.isoformat(timespec="seconds")
                if isinstance(changed_since, dt.datetime)
                else changed_since
            )
            pages = version_pages(self._search_page, params, since=since)
        for item in pages:
            yield InvoiceSummary.model_validate(item)

    def _search_page(self, params: Mapping[str, str | int]) -> object:
        """One page of ``GET /invoices``; Procountor may answer a search without a hit with
        404 "Invoice not found": that is an empty page here, never an error."""
        try:
            return self._client._get("/invoices", params=params)
        except NotFound:
            return {"results": []}

    def update(self, invoice: Invoice) -> Invoice:
        """``PUT /invoices/{id}`` with the whole invoice and its current ``version``.

        The ledger receipt may be recreated with a new id: use the returned
        ``ledger_receipt_id``.
        """
        if invoice.id is None or invoice.version is None:
            raise ValueError("invoices.update needs an invoice with id and version")
        data = self._client._request(
            "PUT", "/invoices/{id}", path_params={"id": invoice.id}, json=invoice.to_wire()
        )
        return Invoice.model_validate(data)

    def approve(self, invoice_id: int) -> None:
        """``PUT /invoices/{id}/approve``. A state change, so not repeated after a timeout
        or 5xx (raises OutcomeUnknown): re-read the invoice's status instead."""
        self._client._request(
            "PUT",
            "/invoices/{id}/approve",
            path_params={"id": invoice_id},
            json={"comment": ""},
            idempotent=False,
        )

    def send(self, invoice_id: int) -> None:
        """``PUT /invoices/{id}/send``. Each sending costs a fee and ``SENT`` may be sent
        again, so it is never repeated after a timeout or 5xx (raises OutcomeUnknown)."""
        self._client._request(
            "PUT", "/invoices/{id}/send", path_params={"id": invoice_id}, idempotent=False
        )
