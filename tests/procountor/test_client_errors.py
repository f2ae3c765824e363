"""Error mapping: which class, what it carries, and how Procountor's errors[] is read."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from procountor_export.procountor import (
    ApiErrorDetail,
    FatalError,
    NotFound,
    PermissionDenied,
    ProcountorClient,
    ProcountorError,
    Product,
    RejectedError,
)
from procountor_export.procountor.errors import parse_error_details, retry_after_seconds


def test_validation_errors_are_parsed_into_details(client: ProcountorClient, fake: Any) -> None:
    fake.add(
        fake.errors(
            400,
            ("invoiceRows[0].vatPercent", "ERROR_VATSTATUS_VATPERC"),
            (None, "DUE_DATE_BEFORE_BILL_DATE"),
        )
    )
    with pytest.raises(RejectedError) as caught:
        client.invoices.get([7])
    error = caught.value
    assert type(error) is RejectedError
    assert error.operation == "GET /invoices/{ids}"
    assert error.status == 400
    assert '"invoiceRows[0].vatPercent"' in error.body
    assert error.errors == [
        ApiErrorDetail(400, "invoiceRows[0].vatPercent", "ERROR_VATSTATUS_VATPERC"),
        ApiErrorDetail(400, None, "DUE_DATE_BEFORE_BILL_DATE"),
    ]
    text = str(error)
    assert "GET /invoices/{ids} (HTTP 400)" in text
    assert "invoiceRows[0].vatPercent: ERROR_VATSTATUS_VATPERC" in text


def test_insufficient_rights_is_fatal(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.errors(403, (None, "Insufficient user rights")))
    with pytest.raises(PermissionDenied) as caught:
        client.company.get()
    assert isinstance(caught.value, FatalError)
    assert caught.value.status == 403


def test_a_403_about_invoice_status_is_a_rejection(client: ProcountorClient, fake: Any) -> None:
    fake.add(
        fake.errors(403, (None, "Only invoices with status 'NOT_SENT' and 'SENT' can be sent"))
    )
    with pytest.raises(RejectedError) as caught:
        client.invoices.send(3)
    assert not isinstance(caught.value, FatalError)
    assert caught.value.operation == "PUT /invoices/{id}/send"


def test_404_is_not_found(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.errors(404, (None, "Product not found")))
    with pytest.raises(NotFound) as caught:
        client.products.default_dimensions.list(5)
    assert caught.value.errors[0].message == "Product not found"
    assert isinstance(caught.value, RejectedError)


def test_409_is_a_rejection(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.errors(409, (None, "conflict")))
    with pytest.raises(RejectedError) as caught:
        client.products.update(Product(id=1))
    assert caught.value.status == 409


def test_non_json_error_body_is_kept_as_text(client: ProcountorClient, fake: Any) -> None:
    fake.add(httpx2.Response(400, text="<html>Bad Request</html>"))
    with pytest.raises(RejectedError) as caught:
        client.company.get()
    assert caught.value.errors == []
    assert caught.value.body == "<html>Bad Request</html>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"errors":[{"status":400,"field":"name","message":"blank"}]}', [(400, "name", "blank")]),
        ('{"errors":[{"message":"x","model":"Invoice"}]}', [(None, None, "x")]),
        (
            '{"constraintViolations":[{"errorCode":"ERROR_BRN_CODE"}]}',
            [(None, None, "ERROR_BRN_CODE")],
        ),
        ('{"message":"Invoice could not be saved"}', [(None, None, "Invoice could not be saved")]),
        ("not json", []),
        ("[1, 2]", []),
        ('{"errors": "weird"}', []),
    ],
)
def test_error_bodies_are_parsed_leniently(body: str, expected: list[tuple[Any, ...]]) -> None:
    assert [(d.status, d.field, d.message) for d in parse_error_details(body)] == expected


def test_errors_keep_operation_status_and_a_bounded_body() -> None:
    error = ProcountorError("boom", operation="GET /coa", status=500, body="x" * 10_000)
    assert error.operation == "GET /coa"
    assert error.status == 500
    assert len(error.body) == 4000
    assert repr(error) == "ProcountorError(operation='GET /coa', status=500)"


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("5", 5.0), (" 2.5 ", 2.5), ("-3", 0.0), ("soon", None)],
)
def test_retry_after_values(header: str | None, expected: float | None) -> None:
    assert retry_after_seconds(header) == expected


def test_retry_after_in_the_past_means_now() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
