"""Attachments: multipart upload, the size limit, the reference rule, multipart download."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from procountor_export.emulator.testing import error_pairs, sample_invoice

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


def _meta(invoice_id: int, **changes: Any) -> str:
    meta = {
        "name": "TMS-100353.pdf",
        "referenceType": "INVOICE",
        "referenceId": invoice_id,
        "mimeType": "application/pdf",
        "sendWithInvoice": True,
    }
    meta.update(changes)
    return json.dumps(meta)


def _upload(api: TestClient, meta: str, content: bytes) -> Any:
    return api.post(
        "attachments",
        files={
            "meta": (None, meta, "application/json"),
            "file": ("x.pdf", content, "application/pdf"),
        },
    )


def test_upload_and_download(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    response = _upload(api, _meta(invoice["id"]), PDF)
    assert response.status_code == 200
    attachment = response.json()
    assert attachment["name"] == "TMS-100353.pdf"
    # The answer is an Attachment of the spec: no field beyond it (e.g. no size).
    assert set(attachment) == {
        "id", "name", "referenceType", "referenceId", "mimeType", "sendWithInvoice"
    }  # fmt: skip
    listed = api.get(f"invoices/{invoice['id']}").json()["attachments"]
    assert listed == [attachment]
    download = api.get(f"attachments/{attachment['id']}")
    assert download.headers["content-type"].startswith("multipart/mixed; boundary=")
    assert PDF in download.content
    assert b'"referenceType":"INVOICE"' in download.content.replace(b" ", b"")


def test_too_big_file_is_refused(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    response = _upload(api, _meta(invoice["id"]), b"x" * 10_000_001)
    assert response.status_code == 400
    assert error_pairs(response) == [("file", "File size too big.")]
    assert _upload(api, _meta(invoice["id"]), b"x" * 10_000_000).status_code == 200


def test_reference_must_exist(api: TestClient) -> None:
    response = _upload(api, _meta(424242), PDF)
    assert response.status_code == 400
    assert error_pairs(response) == [
        ("meta.referenceId", "Referenced INVOICE 424242 does not exist")
    ]


def test_meta_is_validated(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    response = _upload(api, _meta(invoice["id"], name="noextension", referenceType="PDF"), PDF)
    assert response.status_code == 400
    fields = {field for field, _ in error_pairs(response)}
    assert fields == {"meta.name", "meta.referenceType"}
    assert _upload(api, "{not json", PDF).status_code == 400
    assert api.post("attachments", json={"meta": {}}).status_code == 400


def test_delete_only_while_unfinished(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    first = _upload(api, _meta(invoice["id"]), PDF).json()
    second = _upload(api, _meta(invoice["id"]), PDF).json()
    assert api.delete(f"attachments/{first['id']}").status_code == 204
    assert api.get(f"attachments/{first['id']}").status_code == 404
    api.put(f"invoices/{invoice['id']}/approve", json={})
    assert api.delete(f"attachments/{second['id']}").status_code == 403


def test_rename(api: TestClient) -> None:
    invoice = api.post("invoices", json=sample_invoice()).json()
    attachment = _upload(api, _meta(invoice["id"]), PDF).json()
    renamed = api.patch(f"attachments/{attachment['id']}", json={"name": "copy.pdf"})
    assert renamed.json()["name"] == "copy.pdf"
    assert api.patch(f"attachments/{attachment['id']}", json={"name": "Ł.pdf"}).status_code == 400
