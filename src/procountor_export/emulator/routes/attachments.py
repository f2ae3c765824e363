"""Attachments: multipart upload (``meta`` JSON + ``file``), ``multipart/mixed`` download.

The ``meta`` part is an ``Attachment`` of the API table: unknown fields are refused (or dropped
when lenient) and its required fields (``sendWithInvoice`` too) must be there.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import check_text
from procountor_export.emulator.dependencies import current_company, emulator_of
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.routes.body import accept_fields, read_body
from procountor_export.emulator.rules.spec import table_problems
from procountor_export.emulator.wire import ApiResponse, parse_json

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

router = APIRouter()
TOO_BIG = "File size too big."
# Starlette caps multipart parts that are not files at 1 MB; a client may send the file that way.
PART_SLACK = 1024 * 1024


async def _part_bytes(value: UploadFile | str | None, limit: int) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    return await value.read(limit + 1)


def _read_meta(company: CompanyState, meta: Any) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise ApiError(400, "Attachment meta must be a JSON object", "meta")
    problems = Problems()
    fields = Fields(meta, "meta", problems)
    name = fields.text("name", required=True)
    if name is not None and "." not in name.strip(".")[1:]:
        problems.add("meta.name", "File name must have an extension")
    kind = fields.enum("referenceType", enums.ATTACHMENT_REFERENCE_TYPES, required=True)
    reference = fields.integer("referenceId", required=True)
    mime = fields.text("mimeType")
    send = fields.boolean("sendWithInvoice")
    check_text(meta, problems, "meta")
    table_problems("Attachment", meta, problems, "meta")
    problems.raise_if_any()
    targets = {"INVOICE": company.invoices, "LEDGERRECEIPT": company.ledger_receipts}
    if kind in targets and reference not in targets[kind]:
        raise ApiError(400, f"Referenced {kind} {reference} does not exist", "meta.referenceId")
    return {
        "name": name,
        "referenceType": kind,
        "referenceId": reference,
        "mimeType": mime or "application/octet-stream",
        "sendWithInvoice": bool(send),
    }


@router.post("/api/attachments")
async def upload(request: Request, company: CompanyState = Depends(current_company)) -> ApiResponse:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "Attachment upload must be multipart/form-data")
    emulator = emulator_of(request)
    limit = emulator.max_attachment_bytes
    try:
        form = await request.form(max_part_size=limit + PART_SLACK)
    except Exception:  # the parser's errors mean a malformed or oversized part
        raise ApiError(400, TOO_BIG + " Or the multipart body is malformed.") from None
    try:
        raw_meta = await _part_bytes(form.get("meta"), PART_SLACK)
        content = await _part_bytes(form.get("file"), limit)
    finally:
        await form.close()
    if raw_meta is None:
        raise ApiError(400, "Value of the 'meta' cannot be blank.", "meta")
    if content is None:
        raise ApiError(400, "Value of the 'file' cannot be blank.", "file")
    try:
        meta = parse_json(raw_meta)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "Attachment meta is not valid JSON", "meta") from None
    attachment = _read_meta(company, accept_fields(emulator, "Attachment", meta, "meta"))
    if len(content) > limit:
        raise ApiError(400, TOO_BIG, "file")
    attachment["id"] = company.next_id("attachment")
    company.attachments[attachment["id"]] = attachment
    company.files[attachment["id"]] = content
    if attachment["referenceType"] == "INVOICE":
        invoice = company.invoices[attachment["referenceId"]]
        invoice["attachments"].append(dict(attachment))
    if emulator.faults.fail_after_write("attachments"):
        raise ApiError(500, "Internal server error (injected after the attachment was saved)")
    return ApiResponse(attachment)


def _attachment(company: CompanyState, attachment_id: int) -> dict[str, Any]:
    attachment = company.attachments.get(attachment_id)
    if attachment is None:
        raise ApiError(404, "Attachment not found")
    return attachment


@router.get("/api/attachments/{attachment_id}")
async def download(
    attachment_id: int, company: CompanyState = Depends(current_company)
) -> Response:
    """The attachment as ``multipart/mixed``: a JSON ``meta`` part, then the file."""
    attachment = _attachment(company, attachment_id)
    boundary = secrets.token_hex(16)
    # The MIME type is client text; keep it from breaking the part header.
    mime = " ".join(str(attachment["mimeType"]).split())
    meta = json.dumps(attachment, ensure_ascii=False).encode("utf-8")
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="meta"\r\n'
            "Content-Type: application/json\r\n\r\n".encode(),
            meta,
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="attachment"\r\nContent-Type: {mime}\r\n\r\n'.encode("latin-1", "replace"),
            company.files[attachment_id],
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return Response(body, media_type=f"multipart/mixed; boundary={boundary}")


@router.delete("/api/attachments/{attachment_id}", status_code=204)
async def delete(attachment_id: int, company: CompanyState = Depends(current_company)) -> Response:
    attachment = _attachment(company, attachment_id)
    if attachment["referenceType"] == "INVOICE":
        invoice = company.invoices.get(attachment["referenceId"])
        if invoice is not None:
            if invoice["status"] != "UNFINISHED":
                raise ApiError(403, "Attachment cannot be deleted: invalid invoice status")
            invoice["attachments"] = [a for a in invoice["attachments"] if a["id"] != attachment_id]
    del company.attachments[attachment_id]
    del company.files[attachment_id]
    return Response(status_code=204)


@router.patch("/api/attachments/{attachment_id}")
async def rename(
    attachment_id: int, request: Request, company: CompanyState = Depends(current_company)
) -> ApiResponse:
    """Rename an attachment: ``{"name": "new.pdf"}``."""
    attachment = _attachment(company, attachment_id)
    body = await read_body(request)
    problems = Problems()
    name = Fields(body, "", problems).text("name", required=True)
    check_text(body, problems)
    table_problems("AttachmentRename", body, problems)
    problems.raise_if_any()
    attachment["name"] = name
    if attachment["referenceType"] == "INVOICE":
        invoice = company.invoices.get(attachment["referenceId"])
        for listed in invoice["attachments"] if invoice is not None else []:
            if listed["id"] == attachment_id:
                listed["name"] = name
    return ApiResponse(attachment)
