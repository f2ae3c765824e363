"""Resource methods on the fake: batching, paging, search headers, multipart, hooks, counters."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from procountor_export.procountor import (
    AttachmentMeta,
    DefaultDimension,
    DefaultDimensionItem,
    ProcountorClient,
    RequestRecord,
)

SECRET = "s3cret-client-secret"
API_KEY = "k3y-api-key-value"


def _ids_of(request: httpx2.Request) -> list[int]:
    return [int(part) for part in request.url.path.rsplit("/", 1)[1].split(",")]


def test_batch_get_splits_into_200s_sorted_and_deduplicated(
    client: ProcountorClient, fake: Any
) -> None:
    def router(request: httpx2.Request) -> httpx2.Response:
        return fake.json([{"id": i, "type": "SALES_INVOICE"} for i in _ids_of(request)])

    fake.router = router
    ids = [*range(450, 0, -1), 5, 5, 7]
    invoices = client.invoices.get(ids)

    assert [len(_ids_of(r)) for r in fake.requests] == [200, 200, 50]
    assert _ids_of(fake.requests[0])[:3] == [1, 2, 3]
    assert [inv.id for inv in invoices] == list(range(1, 451))
    assert client.calls["GET /invoices/{ids}"] == 3


def test_batch_get_skips_a_batch_where_nothing_exists(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.errors(404, (None, "not found")))
    assert client.ledger_receipts.get([1, 2]) == []


def test_batch_get_of_one_id_accepts_a_bare_object(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({"id": 3, "name": "P"}))
    assert [p.id for p in client.products.get([3])] == [3]
    assert fake.requests[0].url.path.endswith("/products/3")


def test_products_page_by_keyset(client: ProcountorClient, fake: Any) -> None:
    fake.add(
        fake.json({"results": [{"id": i, "code": f"C{i}"} for i in range(1, 201)], "meta": {}}),
        fake.json({"results": [{"id": 250, "code": "C250"}], "meta": {}}),
    )
    products = list(client.products.list(group_id=77, code="TMSP"))
    assert len(products) == 201
    first, second = (dict(r.url.params) for r in fake.requests)
    assert first == {
        "type": "SALES",
        "group": "77",
        "code": "TMSP",
        "previousId": "0",
        "orderById": "ASC",
        "size": "200",
    }
    assert second["previousId"] == "200"


def test_paging_refuses_to_loop_when_ids_do_not_advance(
    client: ProcountorClient, fake: Any
) -> None:
    page = fake.json({"results": [{"id": 1}] * 200})
    fake.router = lambda request: page
    with pytest.raises(RuntimeError, match="did not advance"):
        list(client.products.list())


def test_search_invoices_sends_filters_and_pages(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({"results": [{"id": 9, "originalInvoiceNumber": "TMS-1"}]}))
    hits = list(
        client.invoices.search(
            original_invoice_number="TMS-1",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 1, 31),
            status="UNFINISHED",
        )
    )
    assert [(h.id, h.original_invoice_number) for h in hits] == [(9, "TMS-1")]
    params = dict(fake.requests[0].url.params)
    assert params["types"] == "SALES_INVOICE"
    assert params["originalInvoiceNumber"] == "TMS-1"
    assert params["startDate"] == "2026-01-01"
    assert params["endDate"] == "2026-01-31"
    assert params["status"] == "UNFINISHED"


def test_partner_name_and_business_id_go_in_headers(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({"results": [{"id": 1, "invoicingInfo": {"customerNumber": "29999"}}]}))
    found = client.partners.search(
        customer_number="29999", name="Vanha Asiakas Oy", identifier="2999999-9"
    )
    assert found[0].invoicing_info.customer_number == "29999"
    request = fake.requests[0]
    assert request.headers["name"] == "Vanha Asiakas Oy"
    assert request.headers["identifier"] == "2999999-9"
    assert "name" not in request.url.params
    assert request.url.params["customerNumber"] == "29999"


def test_get_requests_never_carry_a_body(client: ProcountorClient, fake: Any) -> None:
    fake.router = lambda request: fake.json({"results": []})
    client.session.get()
    client.company.get()
    client.chart_of_accounts.list()
    client.dimensions.list()
    client.bank_accounts.list()
    list(client.invoices.search())
    client.partners.search(name="x")
    for request in fake.requests:
        assert request.method == "GET"
        assert request.content == b""
        assert "content-length" not in request.headers or request.headers["content-length"] == "0"


def test_bank_accounts_page_by_number(client: ProcountorClient, fake: Any) -> None:
    fake.add(
        fake.json({"results": [{"id": i} for i in range(200)], "meta": {"totalCount": 201}}),
        fake.json({"results": [{"id": 200, "iban": "FI21"}], "meta": {"totalCount": 201}}),
    )
    accounts = client.bank_accounts.list()
    assert len(accounts) == 201
    assert [r.url.params["page"] for r in fake.requests] == ["0", "1"]


def test_attachment_is_multipart_with_json_meta(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({"id": 55, "name": "TMS-1.pdf"}))
    meta = AttachmentMeta(name="TMS-1.pdf", reference_id=9)
    created = client.attachments.create(meta, b"%PDF-1.4 data")
    assert created.id == 55
    request = fake.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="meta"' in body
    assert b"Content-Type: application/json" in body
    meta_json = body.split(b"Content-Type: application/json\r\n\r\n", 1)[1].split(b"\r\n--")[0]
    assert json.loads(meta_json) == {
        "name": "TMS-1.pdf",
        "referenceType": "INVOICE",
        "referenceId": 9,
        "mimeType": "application/pdf",
        "sendWithInvoice": True,
    }
    assert b'name="file"; filename="TMS-1.pdf"' in body
    assert b"%PDF-1.4 data" in body


def test_default_dimension_put(client: ProcountorClient, fake: Any) -> None:
    dimension = DefaultDimension(
        id=12,
        name="Department",
        items=[DefaultDimensionItem(id=345, code_name="HEL", percent=Decimal(100))],
    )
    fake.add(
        fake.json(
            json.loads(
                json.dumps(
                    {
                        "id": 12,
                        "name": "Department",
                        "items": [{"id": 345, "codeName": "HEL", "percent": 100}],
                    }
                )
            )
        )
    )
    result = client.products.default_dimensions.update(901, dimension)
    assert result.items[0].code_name == "HEL"
    request = fake.requests[0]
    assert request.method == "PUT"
    assert request.url.path.endswith("/products/901/defaults/dimensions/12")
    assert json.loads(request.content) == {
        "id": 12,
        "name": "Department",
        "items": [{"id": 345, "codeName": "HEL", "percent": 100}],
    }


def test_hooks_get_a_record_per_exchange_without_secrets(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    records: list[RequestRecord] = []
    client = make_client(hooks=[records.append])
    fake.add(fake.json({"id": 901, "name": "P", "version": "v"}))
    client.products.get([901])

    token, call = records
    assert token.endpoint == "POST /oauth/token"
    assert token.path == "/oauth/token"
    assert token.status == 200
    assert call == RequestRecord(
        method="GET",
        path="/products/901",
        status=200,
        duration_ms=call.duration_ms,
        ids=(901,),
        endpoint="GET /products/{ids}",
    )
    assert call.duration_ms >= 0
    for text in map(repr, records):
        assert SECRET not in text
        assert API_KEY not in text
        assert "token-1" not in text


def test_hook_records_the_id_of_a_created_object(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    records: list[RequestRecord] = []
    client = make_client(hooks=[records.append])
    fake.add(fake.json({"id": 321, "codeName": "OUL"}))
    client.dimensions.items.create(12, "OUL")
    assert records[-1].ids == (12, 321)
    assert records[-1].endpoint == "POST /dimensions/{dimension_id}/items"


def test_failed_exchanges_are_recorded_with_the_error(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    records: list[RequestRecord] = []
    client = make_client(hooks=[records.append])
    fake.add(httpx2.ConnectError("refused"), fake.json({}))
    client.company.get()
    assert [(r.endpoint, r.status, r.error) for r in records] == [
        ("POST /oauth/token", 200, None),
        ("GET /company", None, "ConnectError"),
        ("GET /company", 200, None),
    ]


def test_a_failing_hook_does_not_fail_the_call(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    def broken(record: RequestRecord) -> None:
        raise RuntimeError("audit log down")

    client = make_client(hooks=[broken])
    fake.add(fake.json({"id": 9, "name": "OpterGroup", "type": "SALES"}))
    assert client.products.groups.create("OpterGroup").id == 9


def test_calls_are_counted_per_endpoint(client: ProcountorClient, fake: Any) -> None:
    client.invoices.approve(1)
    client.invoices.approve(2)
    client.invoices.send(1)
    assert client.calls == {
        "POST /oauth/token": 1,
        "PUT /invoices/{id}/approve": 2,
        "PUT /invoices/{id}/send": 1,
    }
    approve = fake.requests[0]
    assert json.loads(approve.content) == {"comment": ""}
    assert fake.requests[2].content == b""


def test_create_invoice_leaves_out_server_fields(client: ProcountorClient, fake: Any) -> None:
    from procountor_export.procountor import Invoice

    fake.add(fake.json({"id": 1, "invoiceNumber": 10, "ledgerReceiptId": 2, "version": "v"}))
    invoice = Invoice(id=5, invoice_number=3, version="old", status="SENT", notes="n")
    created = client.invoices.create(invoice)
    assert (created.id, created.invoice_number, created.ledger_receipt_id) == (1, 10, 2)
    sent = json.loads(fake.requests[0].content)
    assert sent == {"type": "SALES_INVOICE", "invoiceRows": [], "notes": "n"}


def test_timeouts_are_on_by_default(client: ProcountorClient, fake: Any) -> None:
    client.company.get()
    timeout = fake.requests[0].extensions["timeout"]
    assert timeout["read"] == 30.0
    assert timeout["connect"] == 10.0
