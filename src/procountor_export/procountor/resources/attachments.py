"""Attachments (the PDF copy of an invoice)."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping

from procountor_export.procountor import wire
from procountor_export.procountor.models import Attachment, AttachmentMeta
from procountor_export.procountor.resources import Resource

__all__ = ["Attachments"]


class Attachments(Resource):
    """``/attachments``."""

    def create(self, meta: AttachmentMeta, content: bytes) -> Attachment:
        """``POST /attachments`` (multipart: ``meta`` JSON + ``file``); at most 10,000,000
        bytes. Not retried blindly (may raise OutcomeUnknown)."""
        mime = meta.mime_type or mimetypes.guess_type(meta.name)[0] or "application/octet-stream"
        body = meta.model_copy(update={"mime_type": mime}).to_wire()
        data = self._client._request(
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
