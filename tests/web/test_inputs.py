"""Bad input at the edge, and identifiers with any characters, on SQLite and PostgreSQL.

A NUL character (PostgreSQL's text cannot hold one), a lone surrogate or an integer beyond 64
bits in a path or query parameter, a JSON body or a form is refused with 422 naming the field,
never a 500; invoice numbers and export names holding ``/ ? # %``, spaces or non-ASCII work in
the API's and the pages' routes, in links and in redirects.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import httpx2
import pytest
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.emulator.server import BackgroundServer
from procountor_export.samples.generator import generate_document
from procountor_export.web.inputs import segment_path

NUMBERS = ["2025/001", "A#1", "A?1", "50%", "x y ä", "X/pdf", "%2F"]
HUGE = "9" * 5001
NUL = "%00"


# The tests where the store is involved run on both: PostgreSQL's text cannot hold a NUL.
STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
on_each_store = pytest.mark.parametrize("served", STORES, indirect=True)


def _load(client: TestClient, served: Served, numbers: list[str]) -> None:
    """A document whose first invoices are numbered ``numbers``."""
    document = generate_document(len(numbers) + 1, seed=3)
    for invoice, number in zip(document["invoices"], numbers, strict=False):
        assert invoice["type"] == "invoice"
        invoice["number"] = number
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert answer.status_code == 200, answer.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _refused(answer: httpx2.Response, *loc: str | int) -> None:
    """A 422 problem details answer naming ``loc`` among its field errors."""
    assert answer.status_code == 422, answer.text
    assert list(loc) in [problem["loc"] for problem in answer.json()["errors"]], answer.text


# --- characters no store keeps ------------------------------------------------------------------


@on_each_store
def test_a_nul_in_an_api_parameter_is_422_naming_it(client: TestClient, served: Served) -> None:
    _load(client, served, ["A-1"])
    auth = served.auth
    _refused(client.get(f"/api/v1/invoices/{NUL}", headers=auth), "path", "number")
    _refused(client.get(f"/api/v1/invoices/A{NUL}1", headers=auth), "path", "number")
    _refused(client.get(f"/api/v1/checks?invoice={NUL}", headers=auth), "query", "invoice")
    _refused(client.get(f"/api/v1/checks?period=x{NUL}", headers=auth), "query", "period")
    _refused(client.get(f"/api/v1/checks?all=true&x{NUL}=1", headers=auth), "query", "x\ufffd")
    exports = "/api/v1/exports"
    _refused(
        client.post(exports, json={"invoices": ["A\x001"]}, headers=auth), "body", "invoices", 0
    )
    _refused(client.post(exports, json={"periods": ["\x00"]}, headers=auth), "body", "periods", 0)
    _refused(client.post(exports, json={"all": True, "\x00": 1}, headers=auth), "body", "\ufffd")
    assert served.app.state.web.jobs.runs() == []


@on_each_store
def test_a_lone_surrogate_in_a_body_is_422_naming_it(client: TestClient, served: Served) -> None:
    body = '{"invoices": ["A-1", "\\ud800"]}'  # valid JSON; not text any store can keep
    headers = {**served.auth, "Content-Type": "application/json"}
    answer = client.post("/api/v1/exports", content=body, headers=headers)
    _refused(answer, "body", "invoices", 1)
    assert "surrogate" in answer.text
    pair = '{"invoices": ["\\ud83d\\ude00"]}'  # a pair is one character (an emoji): text
    answer = client.post("/api/v1/exports", content=pair, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "invoices", 0]
    assert "\U0001f600" in answer.json()["detail"]


@on_each_store
def test_a_nul_in_a_page_parameter_is_a_422_page_naming_it(
    client: TestClient, served: Served
) -> None:
    _load(client, served, ["A-1"])
    for path, name in [
        (f"/invoices?q={NUL}", "query.q"),
        (f"/invoices?period={NUL}", "query.period"),
        (f"/invoices/{NUL}", "path.number"),
        (f"/invoices/{NUL}/pdf", "path.number"),
        (f"/check?invoice={NUL}", "query.invoice"),
        (f"/check?period={NUL}", "query.period"),
        (f"/settings/exports/{NUL}", "path.name"),
        (f"/settings/customers?q={NUL}", "query.q"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 422, (path, answer.text[:300])
        assert "text/html" in answer.headers["content-type"]
        assert name in answer.text, (path, answer.text)
        assert "NUL character" in answer.text


@on_each_store
def test_a_nul_in_a_form_field_is_422_naming_it(client: TestClient, served: Served) -> None:
    token = _csrf(client.get("/settings/exports/new").text)
    for path, fields, name in [
        ("/settings/exports", {"name": "A\x00B"}, "form.name"),
        ("/settings/terminology", {"key": "IES_ProcountorAPIProductGroup", "value": "\x00"},
         "form.value"),
        ("/settings/customers", {"customer": "\x00", "group": ""}, "form.customer"),
        ("/settings/groups", {"name": "g\x00"}, "form.name"),
        ("/invoices/export", {"invoice": "\x00"}, "form.invoice"),
    ]:  # fmt: skip
        answer = client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)
        assert answer.status_code == 422, (path, answer.text[:300])
        assert name in answer.text, (path, answer.text)


# --- numbers beyond 64 bits ---------------------------------------------------------------------


@on_each_store
def test_a_huge_number_is_422_naming_the_field(client: TestClient, served: Served) -> None:
    auth = served.auth
    _refused(client.get(f"/api/v1/exports/{HUGE}", headers=auth), "path", "run_id")
    _refused(client.get(f"/api/v1/exports/{2**64}", headers=auth), "path", "run_id")
    headers = {**auth, "Content-Type": "application/json"}
    for body, loc in [
        ('{"all": ' + HUGE + "}", ["body", "all"]),
        ('{"invoices": [' + HUGE + "]}", ["body", "invoices", 0]),
        ('{"periods": ["x"], "all": -' + HUGE + "}", ["body", "all"]),
        ('{"all": 9223372036854775808}', ["body", "all"]),
    ]:
        _refused(client.post("/api/v1/exports", content=body, headers=headers), *loc)
    for path, name in [(f"/invoices?run={HUGE}", "query.run"),
                       (f"/invoices?run={2**63}", "query.run"),
                       (f"/runs/{HUGE}/progress", "path.run_id")]:  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 422, (path, answer.text[:300])
        assert name in answer.text


@on_each_store
def test_ids_beyond_the_store_s_column_are_not_found(client: TestClient, served: Served) -> None:
    big = 2**40  # a 64-bit id, more than the runs' 32-bit column: no such run, not an error
    assert client.get(f"/api/v1/exports/{big}", headers=served.auth).status_code == 404
    assert client.get(f"/runs/{big}/progress").status_code == 404
    assert client.get(f"/invoices?run={big}").status_code == 200


def test_a_body_that_is_not_json_is_400_naming_the_body(client: TestClient, served: Served) -> None:
    headers = {**served.auth, "Content-Type": "application/json"}
    for body in (b"{nope", b'{"all": tru', b"\xff\xfe\x00", b"[" * 100_000):
        answer = client.post("/api/v1/exports", content=body, headers=headers)
        assert answer.status_code == 400, (body[:20], answer.text)
        assert answer.json()["errors"][0]["loc"] == ["body"]


# --- identifiers with any characters ------------------------------------------------------------


@on_each_store
def test_invoice_numbers_with_any_characters_work_in_the_api(
    client: TestClient, served: Served
) -> None:
    _load(client, served, NUMBERS)
    for number in NUMBERS:
        answer = client.get(f"/api/v1/invoices/{quote(number, safe='')}", headers=served.auth)
        assert answer.status_code == 200, (number, answer.text)
        assert answer.json()["invoice"] == number
    missing = client.get("/api/v1/invoices/2025%2F002", headers=served.auth)
    assert missing.status_code == 404
    assert "2025/002" in missing.json()["detail"]


@on_each_store
def test_invoice_numbers_with_any_characters_work_in_pages_and_links(
    client: TestClient, served: Served
) -> None:
    _load(client, served, NUMBERS)
    listing = client.get("/invoices").text
    for number in NUMBERS:
        link = f"/invoices/{quote(number, safe='')}"
        assert f'href="{link}"' in listing, number
        page = client.get(link)
        assert page.status_code == 200, (number, page.text[:300])
        assert f'src="{link}/pdf"' in page.text
        pdf = client.get(f"{link}/pdf")
        assert pdf.status_code == 200, (number, pdf.text[:300])
        assert pdf.headers["content-type"] == "application/pdf"
        assert client.get(f"{link}/pdf?reduced=true").status_code == 200
    # 'X/pdf' is an invoice: its page, not the PDF of an invoice 'X'.
    assert "text/html" in client.get("/invoices/X%2Fpdf").headers["content-type"]
    assert client.get("/invoices/2025%2F001%2Fpdf").status_code == 404


@on_each_store
def test_the_paths_a_real_server_decodes_reach_the_right_invoice(
    client: TestClient, served: Served
) -> None:
    """Through uvicorn itself, which turns %2F into '/' before the app sees the path."""
    _load(client, served, NUMBERS)
    with BackgroundServer(served.app) as server, httpx2.Client(base_url=server.root) as http:
        for number in NUMBERS:
            path = quote(number, safe="")
            answer = http.get(f"/api/v1/invoices/{path}", headers=served.auth)
            assert answer.status_code == 200, (number, answer.text)
            assert answer.json()["invoice"] == number
            assert http.get(f"/invoices/{path}/pdf").headers["content-type"] == "application/pdf"
        assert http.get("/api/v1/invoices/2025/001", headers=served.auth).status_code == 404
        _refused(http.get(f"/api/v1/invoices/{NUL}", headers=served.auth), "path", "number")


@on_each_store
@pytest.mark.parametrize("name", ["plain/slash?x#y", "50% off & more", "Ääkköset €/2", "new x"])
def test_export_names_with_any_characters_open_save_and_delete(
    client: TestClient, served: Served, name: str
) -> None:
    token = _csrf(client.get("/settings/exports/new").text)
    encoded = f"/settings/exports/{quote(name, safe='')}"
    saved = client.post(
        "/settings/exports", data={"csrf_token": token, "name": name}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text[:300]
    assert saved.headers["location"] == encoded
    assert f'href="{encoded}"' in client.get("/settings").text
    page = client.get(encoded)
    assert page.status_code == 200, page.text[:300]
    assert f'action="{encoded}/codes"' in page.text
    assert f'action="{encoded}/remove"' in page.text
    codes = client.post(
        f"{encoded}/codes",
        data={"csrf_token": token, "vat_code": "25.5", "status": "vat_1"},
        follow_redirects=False,
    )
    assert codes.status_code == 303, codes.text[:300]
    assert codes.headers["location"] == f"{encoded}#codes"
    removed = client.post(f"{encoded}/remove", data={"csrf_token": token}, follow_redirects=False)
    assert (removed.status_code, removed.headers["location"]) == (303, "/settings")
    assert client.get(encoded).status_code == 404


def test_segment_paths_keep_an_encoded_slash_and_percent_inside_the_segment() -> None:
    assert segment_path(b"/invoices/2025%2F001/pdf") == "/invoices/2025%2F001/pdf"
    assert segment_path(b"/invoices/50%25%20%C3%A4") == "/invoices/50%25 ä"
    assert segment_path(b"/invoices/%252F") == "/invoices/%252F"
    assert segment_path(b"/invoices/a%2fb") == "/invoices/a%2Fb"


# --- the OpenAPI description --------------------------------------------------------------------


def test_openapi_lists_every_status_an_operation_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected: dict[tuple[str, str], set[str]] = {
        ("post", "/api/v1/documents"): {"200", "401", "413", "422", "503"},
        ("post", "/api/v1/exports"): {"202", "400", "401", "409", "413", "422"},
        ("get", "/api/v1/exports/{run_id}"): {"200", "401", "404", "413", "422"},
        ("get", "/api/v1/invoices/{number}"): {"200", "401", "404", "413", "422"},
        ("get", "/api/v1/checks"): {"200", "401", "413", "422", "502"},
    }
    for (method, path), codes in expected.items():
        responses: dict[str, Any] = paths[path][method]["responses"]
        assert codes <= set(responses), (method, path, sorted(responses))
        for code, response in responses.items():
            if code.startswith(("4", "5")) and (method, path) != ("post", "/api/v1/documents"):
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema.get("$ref") or schema.get("anyOf"), (path, code, schema)
    schemas = spec["components"]["schemas"]
    assert {"ProblemDetails", "FieldError"} <= set(schemas)
    run_id = paths["/api/v1/exports/{run_id}"]["get"]["parameters"][0]["schema"]
    assert (run_id["minimum"], run_id["maximum"]) == (1, 2**63 - 1)
