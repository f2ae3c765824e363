"""Sales invoices, their ledger receipts and attachments."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterator, Mapping, Sequence

from procountor_export.procountor import wire
from procountor_export.procountor.base import BaseClient
from procountor_export.procountor.errors import NotFound
from procountor_export.procountor.models import (
    Attachment,
    AttachmentMeta,
    Invoice,
    InvoiceSummary,
    LedgerReceipt,
)
from procountor_export.procountor.paging import numbered_pages

# Read-only or generated fields that a POST must not carry.
_SERVER_FIELDS = {"id", "invoice_number", "version", "status", "ledger_receipt_id"}


class InvoiceResources(BaseClient):
    """Create, find, change, approve and send invoices; read and fix their account coding."""

    def create_invoice(self, invoice: Invoice) -> Invoice:
        """``POST /invoices``. Never retried on timeout or 5xx: those raise
        :class:`~..errors.OutcomeUnknown`; look the invoice up by ``originalInvoiceNumber``."""
        body = invoice.to_wire(exclude=_SERVER_FIELDS | {"invoice_sum_info"})
        return Invoice.model_validate(self._request("POST", "/invoices", json=body))

    def get_invoices(self, ids: Sequence[int]) -> list[Invoice]:
        """``GET /invoices/{ids}`` in batches of ≤ 200; unknown ids are left out."""
        return [Invoice.model_validate(item) for item in self._batched("/invoices/{ids}", ids)]

    def search_invoices(
        self,
        *,
        original_invoice_number: str | None = None,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        types: str = "SALES_INVOICE",
        status: str | None = None,
    ) -> Iterator[InvoiceSummary]:
        """``GET /invoices`` with the filters given, every page.

        ``start_date``/``end_date`` filter on the invoice date; ``original_invoice_number``
        is an exact match (the duplicate check before a POST). Pages are numbered
        (``page=0,1,…``): the spec documents no order in which keyset paging combines with
        the search's own sort defaults. Procountor may answer a search without a hit with
        404 "Invoice not found"; that is "no match" here, never an error.
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

        def fetch(page: Mapping[str, str | int]) -> object:
            try:
                return self._get("/invoices", params=page)
            except NotFound:
                return {"results": []}

        for item in numbered_pages(fetch, params):
            yield InvoiceSummary.model_validate(item)

    def update_invoice(self, invoice: Invoice) -> Invoice:
        """``PUT /invoices/{id}`` with the whole invoice and its current ``version``.

        The ledger receipt may be recreated with a new id: use the returned
        ``ledger_receipt_id``.
        """
        if invoice.id is None or invoice.version is None:
            raise ValueError("update_invoice needs an invoice with id and version")
        data = self._request(
            "PUT", "/invoices/{id}", path_params={"id": invoice.id}, json=invoice.to_wire()
        )
        return Invoice.model_validate(data)

    def approve_invoice(self, invoice_id: int) -> None:
        """``PUT /invoices/{id}/approve``. A state change, so not repeated after a timeout
        or 5xx (raises OutcomeUnknown): re-read the invoice's status instead."""
        self._request(
            "PUT",
            "/invoices/{id}/approve",
            path_params={"id": invoice_id},
            json={"comment": ""},
            idempotent=False,
        )

    def send_invoice(self, invoice_id: int) -> None:
        """``PUT /invoices/{id}/send``. Each sending costs a fee and ``SENT`` may be sent
        again, so it is never repeated after a timeout or 5xx (raises OutcomeUnknown)."""
        self._request(
            "PUT", "/invoices/{id}/send", path_params={"id": invoice_id}, idempotent=False
        )

    # --- ledger receipts --------------------------------------------------------------------

    def get_ledger_receipts(self, ids: Sequence[int]) -> list[LedgerReceipt]:
        """``GET /ledgerreceipts/{ids}`` in batches of ≤ 200; unknown ids are left out."""
        items = self._batched("/ledgerreceipts/{ids}", ids)
        return [LedgerReceipt.model_validate(item) for item in items]

    def update_ledger_receipt(self, receipt: LedgerReceipt) -> LedgerReceipt:
        """``PUT /ledgerreceipts/{id}`` with the whole receipt and its current ``version``."""
        if receipt.id is None or receipt.version is None:
            raise ValueError("update_ledger_receipt needs a receipt with id and version")
        data = self._request(
            "PUT",
            "/ledgerreceipts/{id}",
            path_params={"id": receipt.id},
            json=receipt.to_wire(),
        )
        return LedgerReceipt.model_validate(data)

    # --- attachments ------------------------------------------------------------------------

    def create_attachment(self, meta: AttachmentMeta, content: bytes) -> Attachment:
        """``POST /attachments`` (multipart: ``meta`` JSON + ``file``); at most 10,000,000
        bytes. Not retried blindly (may raise OutcomeUnknown)."""
        mime = meta.mime_type or mimetypes.guess_type(meta.name)[0] or "application/octet-stream"
        body = meta.model_copy(update={"mime_type": mime}).to_wire()
        data = self._request(
            "POST",
            "/attachments",
            files={
                "meta": (None, wire.dumps(body), "application/json"),
                "file": (meta.name, content, mime),
            },
        )
        if isinstance(data, Mapping):
            return Attachment.model_validate(data)
        return Attachment.model_validate(body)
