"""Attachments (the PDF copy of an invoice)."""

from __future__ import annotations

from procountor_export.procountor.models.base import ApiModel


class AttachmentMeta(ApiModel):
    """The ``meta`` part of ``POST /attachments``; ``name`` must carry the file extension."""

    name: str
    reference_type: str = "INVOICE"
    reference_id: int
    mime_type: str | None = None
    send_with_invoice: bool = True


class Attachment(ApiModel):
    """A stored attachment."""

    id: int | None = None
    name: str | None = None
    reference_type: str | None = None
    reference_id: int | None = None
    mime_type: str | None = None
    send_with_invoice: bool | None = None
