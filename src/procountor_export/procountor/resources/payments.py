"""Payments booked against invoices: what has been paid, when, and how."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from procountor_export.procountor.base import MAX_IDS
from procountor_export.procountor.models import PaymentEvent, PaymentEventSummary
from procountor_export.procountor.paging import keyset_pages
from procountor_export.procountor.resources import Resource

__all__ = ["InvoicePaymentEvents", "Payments"]


class Payments(Resource):
    """``/payments``: the payments booked against invoices, many invoices a call."""

    def list(self, invoice_ids: Iterable[int]) -> Iterator[PaymentEventSummary]:
        """``GET /payments/paymentevents?invoiceId=…`` for any number of invoices: each id
        once, at most 200 a call (as comma-separated values: the batch GETs' form), every page
        of each call by keyset paging; in ascending event id order within each batch.

        An id naming no invoice simply has no events. The answer carries no ``type``: read
        ``client.invoices.payment_events.list(id)`` for the invoices whose kind of
        settlement matters (credit losses).
        """
        unique = sorted(set(invoice_ids))
        for start in range(0, len(unique), MAX_IDS):
            batch = ",".join(map(str, unique[start : start + MAX_IDS]))
            pages = keyset_pages(
                lambda page: self._client._get("/payments/paymentevents", params=page),
                {"invoiceId": batch},
            )
            for item in pages:
                yield PaymentEventSummary.model_validate(item)


class InvoicePaymentEvents(Resource):
    """``/invoices/{id}/paymentevents``: one invoice's payment events in full."""

    def list(self, invoice_id: int) -> Iterator[PaymentEvent]:
        """``GET /invoices/{id}/paymentevents``, every page, oldest event first. An unknown
        invoice raises :class:`~..errors.NotFound`."""
        pages = keyset_pages(
            lambda page: self._client._get(
                "/invoices/{id}/paymentevents", path_params={"id": invoice_id}, params=page
            )
        )
        for item in pages:
            yield PaymentEvent.model_validate(item)
