"""The REST API: bearer tokens, documents in (422 with JSON paths), exports started and read."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from starlette.testclient import TestClient
from webrig import Served, wait_for_run  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.store import access


def _document(invoices: int = 5, **options: Any) -> bytes:
    return json.dumps(generate_document(invoices, seed=11, **options)).encode()


def test_every_call_needs_a_valid_token(client: TestClient, served: Served) -> None:
    assert client.get("/api/v1/exports/1").status_code == 401
    wrong = client.get("/api/v1/exports/1", headers={"Authorization": "Bearer pe_nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/exports/1", headers=served.auth).status_code == 404


def test_a_revoked_token_is_refused(client: TestClient, served: Served) -> None:
    with served.store.session() as session:
        access.revoke_token(session, "tms")
    assert client.get("/api/v1/exports/1", headers=served.auth).status_code == 401


def test_tokens_are_stored_hashed(served: Served) -> None:
    with served.store.session() as session:
        listed = access.list_tokens(session)
    assert [t.name for t in listed] == ["tms"]
    dumped = served.store.engine.raw_connection()
    try:
        rows = dumped.execute("select * from api_tokens").fetchall()  # type: ignore[attr-defined]
    finally:
        dumped.close()
    assert served.token not in repr(rows)


def test_a_bad_document_is_422_with_every_problem_by_json_path(
    client: TestClient, served: Served
) -> None:
    document = generate_document(2, seed=11)
    document["invoices"][0]["date"] = "not a date"
    del document["invoices"][1]["customer"]
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert answer.status_code == 422
    errors = answer.json()["import"]["errors"]
    paths = {error["path"] for error in errors}
    assert "invoices[0].date" in paths, paths
    assert "invoices[1].customer" in paths, paths
    listing = client.get(
        "/api/v1/invoices/" + document["invoices"][0]["number"], headers=served.auth
    )
    assert listing.status_code == 404  # nothing was imported


def test_text_that_is_not_json_is_422(client: TestClient, served: Served) -> None:
    answer = client.post("/api/v1/documents", content=b"{not json", headers=served.auth)
    assert answer.status_code == 422
    assert answer.json()["import"]["errors"]


def test_a_document_twice_is_unchanged_the_second_time(client: TestClient, served: Served) -> None:
    body = _document()
    first = client.post("/api/v1/documents", content=body, headers=served.auth)
    assert first.status_code == 200, first.text
    assert first.json()["import"]["counts"]["invoices"]["created"] == 5
    second = client.post("/api/v1/documents", content=body, headers=served.auth)
    assert second.status_code == 200
    counts = second.json()["import"]["counts"]["invoices"]
    assert counts == {"created": 0, "updated": 0, "unchanged": 5}


def test_export_true_exports_the_periods_the_document_closes(
    client: TestClient, served: Served
) -> None:
    answer = client.post("/api/v1/documents?export=true", content=_document(), headers=served.auth)
    assert answer.status_code == 202, answer.text
    run = answer.json()["export"]
    assert run is not None, answer.json()
    result = wait_for_run(client, served, run["run_id"])
    assert result["state"] == "succeeded"
    assert result["started_by"] == "api:tms"
    number = result["invoices"][0]["invoice"]
    invoice = client.get(f"/api/v1/invoices/{number}", headers=served.auth).json()
    assert invoice["exports"][0]["state"] == "EXPORTED"
    assert invoice["exports"][0]["procountor_invoice_id"]


def test_export_scope_errors_are_422(client: TestClient, served: Served) -> None:
    for body in ({}, {"periods": ["no-such-period"]}, {"invoices": ["x"]}, {"all": "maybe"}):
        answer = client.post("/api/v1/exports", json=body, headers=served.auth)
        assert answer.status_code == 422, (body, answer.text)
    unknown = client.post("/api/v1/exports", json={"colour": "red"}, headers=served.auth)
    assert unknown.status_code == 422


def test_concurrent_export_requests_for_one_company_start_one_run(
    client: TestClient, served: Served
) -> None:
    assert client.post("/api/v1/documents", content=_document(8), headers=served.auth).is_success
    gate = threading.Event()
    factory = served.app.state.web.client_factory
    original = factory.__call__

    def slow(export: Any, key: Any) -> Any:
        gate.wait(30)
        return original(export, key)

    served.app.state.web.jobs.client_factory = slow
    answers: list[Any] = []

    def ask() -> None:
        answers.append(client.post("/api/v1/exports", json={"all": True}, headers=served.auth))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    gate.set()
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [202, 409, 409, 409]
    started = next(a.json()["run_id"] for a in answers if a.status_code == 202)
    assert {a.json()["run_id"] for a in answers if a.status_code == 409} == {started}
    served.wait()
    runs = served.app.state.web.jobs.runs()
    assert [run.id for run in runs] == [started]


def test_a_failing_invoice_has_its_message_and_fix(client: TestClient, served: Served) -> None:
    body = _document(3, with_problems=True)
    assert client.post("/api/v1/documents", content=body, headers=served.auth).is_success
    started = client.post("/api/v1/exports", json={"all": True}, headers=served.auth)
    assert started.status_code == 202
    result = wait_for_run(client, served, started.json()["run_id"])
    assert result["state"] == "failed"
    failed = [i for i in result["invoices"] if i["state"] == "FAILED"]
    assert failed
    assert all(i["errors"][0]["message"] and i["errors"][0]["remedy"] for i in failed)


def test_checks_report_problems_without_sending(client: TestClient, served: Served) -> None:
    body = _document(3, with_problems=True)
    assert client.post("/api/v1/documents", content=body, headers=served.auth).is_success
    answer = client.get("/api/v1/checks?all=true", headers=served.auth)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["ok"] is False
    assert client.get("/api/v1/checks", headers=served.auth).status_code == 422
    assert client.get("/api/v1/checks?period=nope", headers=served.auth).status_code == 422
    assert served.app.state.web.jobs.runs() == []


def test_the_openapi_description_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/documents", "/api/v1/exports", "/api/v1/exports/{run_id}",
            "/api/v1/invoices/{number}", "/api/v1/checks"} <= set(spec["paths"])  # fmt: skip
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/api/v1/exports" in docs.text


def test_a_too_large_request_is_413(client: TestClient, served: Served) -> None:
    served.app.state.web.form_limit = 10
    big = client.post("/api/v1/exports", content=b"x" * (2 * 1024 * 1024), headers=served.auth)
    assert big.status_code == 413


def test_polling_sees_the_counts_grow(client: TestClient, served: Served) -> None:
    assert client.post("/api/v1/documents", content=_document(4), headers=served.auth).is_success
    started = client.post("/api/v1/exports", json={"all": True}, headers=served.auth).json()
    deadline = time.monotonic() + 60
    while True:
        state = client.get(started["url"], headers=served.auth).json()
        if not state["running"] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert state["exported"] == state["to_export"] > 0
