"""REST API v1 as an integrator meets it (issue 21): one error shape, lists that page, 202 with
``Location``, answers that say why nothing was done, and a description typed throughout."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import APIRouter, HTTPException
from starlette.testclient import TestClient
from webrig import LOOPBACK, Served, wait_for_run  # type: ignore[import-not-found]

from procountor_export.jobs.base import Busy
from procountor_export.samples.generator import generate_document
from procountor_export.store.journal import Journal
from procountor_export.store.locks import StoreBusy
from procountor_export.store.runs import RunOutcome, Runs
from procountor_export.web import api

STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


def _document(invoices: int = 5, **options: Any) -> bytes:
    return json.dumps(generate_document(invoices, seed=11, **options)).encode()


def _problem(answer: Any, status: int) -> dict[str, Any]:
    """The answer is a problem details document of ``status``: its members."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json", answer.headers
    body: dict[str, Any] = answer.json()
    assert set(body) >= PROBLEM_MEMBERS, body
    assert body["status"] == status
    assert body["instance"] == answer.request.url.path
    assert body["detail"].strip()
    return body


@pytest.fixture
def crashing(served: Served) -> Iterator[TestClient]:
    """The app with a route that fails as the rare statuses do, and a client that sees 500s."""
    extra = APIRouter(prefix="/api/v1/test-failures")

    @extra.get("/{status}")
    def fail(status: int) -> None:
        if status == 500:
            raise RuntimeError("a bug")
        raise HTTPException(status, f"Refused with {status}.")

    served.app.include_router(extra)
    with TestClient(
        served.app, base_url="http://127.0.0.1", client=LOOPBACK, raise_server_exceptions=False
    ) as http:
        yield http


# --- one error shape ----------------------------------------------------------------------------


def test_every_api_error_is_a_problem_details_document(
    client: TestClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = served.auth
    missing = _problem(client.get("/api/v1/exports"), 401)
    assert missing["type"] == "about:blank"
    assert missing["title"] == "Unauthorized"
    assert "tokens create" in missing["detail"]
    assert client.get("/api/v1/exports").headers["www-authenticate"] == "Bearer"
    assert "There is no export run 7" in _problem(client.get("/api/v1/exports/7", headers=auth), 404)["detail"]  # fmt: skip
    _problem(client.get("/api/v1/no-such-thing", headers=auth), 404)
    wrong = client.delete("/api/v1/exports", headers=auth)
    _problem(wrong, 405)
    assert wrong.headers["allow"]
    too_big = client.post("/api/v1/exports", content=b"x" * (2 * 1024 * 1024), headers=auth)
    assert "larger than" in _problem(too_big, 413)["detail"]  # over the form limit (1 MB)
    declared = client.post(
        "/api/v1/exports", content=b"all=true", headers={**auth, "Content-Type": "text/plain"}
    )
    assert "text/plain" in _problem(declared, 415)["detail"]
    not_json = _problem(
        client.post(
            "/api/v1/exports",
            content=b"{nope",
            headers={**auth, "Content-Type": "application/json"},
        ),
        400,
    )
    assert not_json["type"] == "/docs#problem-malformed-body"
    assert not_json["errors"][0]["loc"] == ["body"]

    def busy(*args: Any, **kwargs: Any) -> Any:
        raise StoreBusy(600, "held by import 4")

    monkeypatch.setattr(api, "import_document", busy)
    store = client.post("/api/v1/documents", content=_document(), headers=auth)
    assert _problem(store, 503)["type"] == "/docs#problem-store-busy"
    assert store.headers["retry-after"] == "10"


def test_the_rare_statuses_and_a_crash_are_problems_too(
    crashing: TestClient, served: Served
) -> None:
    for status, title in [(403, "Forbidden"), (429, "Too Many Requests"), (503, "Service Unavailable")]:  # fmt: skip
        body = _problem(crashing.get(f"/api/v1/test-failures/{status}"), status)
        assert (body["title"], body["detail"]) == (title, f"Refused with {status}.")
    crash = _problem(crashing.get("/api/v1/test-failures/500"), 500)
    assert "event log" in crash["detail"]
    assert "a bug" not in crash["detail"]  # no internals in the answer


def test_a_field_at_fault_is_named_by_its_path(client: TestClient, served: Served) -> None:
    body = _problem(client.post("/api/v1/exports", json={"all": "maybe"}, headers=served.auth), 422)
    assert body["type"] == "/docs#problem-invalid-request"
    [error] = body["errors"]
    assert (error["loc"], error["pointer"]) == (["body", "all"], "#/all")
    assert "#/all" in body["detail"]
    query = _problem(client.get("/api/v1/exports?limit=0", headers=served.auth), 422)
    assert query["errors"][0]["parameter"] == "limit"
    typo = _problem(client.get("/api/v1/periods?limt=5", headers=served.auth), 422)
    assert typo["errors"][0]["parameter"] == "limt"
    nul = _problem(client.get("/api/v1/checks?period=a%00", headers=served.auth), 422)
    assert nul["errors"][0]["parameter"] == "period"
    assert "NUL" in nul["detail"]


def test_a_rejected_document_is_a_problem_with_every_error_by_path(
    client: TestClient, served: Served
) -> None:
    document = generate_document(2, seed=11)
    document["invoices"][0]["date"] = "not a date"
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    body = _problem(answer, 422)
    assert body["type"] == "/docs#problem-document-rejected"
    assert body["import"]["accepted"] is False
    pointers = {error["pointer"] for error in body["errors"]}
    assert "#/invoices/0/date" in pointers, body["errors"]
    assert "invoices[0].date" in body["detail"]


def test_html_pages_keep_their_error_pages(client: TestClient) -> None:
    answer = client.get("/invoices/no-such-invoice")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


# --- 202 with Location, and why nothing was started ---------------------------------------------


def test_a_started_export_answers_202_with_a_location_that_answers(
    client: TestClient, served: Served
) -> None:
    imported = client.post("/api/v1/documents", content=_document(), headers=served.auth)
    assert imported.status_code == 200, imported.text
    assert imported.json()["export"] == {
        "started": False,
        "run_id": None,
        "reason": {
            "code": "not_requested",
            "detail": imported.json()["export"]["reason"]["detail"],
        },
    }
    assert "export=true" in imported.json()["export"]["reason"]["detail"]
    started = client.post("/api/v1/exports", json={"invoices": ["100005"]}, headers=served.auth)
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    assert location == started.json()["url"] == f"/api/v1/exports/{started.json()['run_id']}"
    run = client.get(location, headers=served.auth)
    assert run.status_code == 200
    assert run.json()["id"] == started.json()["run_id"]
    assert wait_for_run(client, served, started.json()["run_id"])["state"] == "succeeded"


def test_a_document_that_closes_periods_starts_their_export_with_202(
    client: TestClient, served: Served
) -> None:
    answer = client.post("/api/v1/documents?export=true", content=_document(), headers=served.auth)
    assert answer.status_code == 202, answer.text
    export = answer.json()["export"]
    assert export["started"] is True
    assert answer.headers["location"] == export["url"]
    assert client.get(answer.headers["location"], headers=served.auth).status_code == 200
    wait_for_run(client, served, export["run_id"])
    again = client.post("/api/v1/documents?export=true", content=_document(), headers=served.auth)
    assert again.status_code == 200, again.text
    reason = again.json()["export"]["reason"]
    assert reason["code"] == "no_closed_period"
    assert '"invoices"' in reason["detail"]
    assert "--" not in reason["detail"]


def test_an_open_period_is_refused_naming_it(client: TestClient, served: Served) -> None:
    assert client.post("/api/v1/documents", content=_document(), headers=served.auth).is_success
    answer = client.post(
        "/api/v1/exports", json={"periods": ["2026-10", "2026-11"]}, headers=served.auth
    )
    body = _problem(answer, 422)
    assert body["type"] == "/docs#problem-period-open"
    assert [(e["pointer"], e["type"]) for e in body["errors"]] == [("#/periods/1", "period_open")]
    assert body["problems"][0]["code"] == "PERIOD_OPEN"
    assert body["problems"][0]["args"] == ["2026-11"]
    assert "The invoice period 2026-11 is not closed" in body["detail"]
    assert "Only closed invoice periods are exported whole" in body["detail"]
    assert served.app.state.web.jobs.runs() == []  # nothing was started


def test_unknown_and_empty_scopes_name_the_json_fields(client: TestClient, served: Served) -> None:
    assert client.post("/api/v1/documents", content=_document(), headers=served.auth).is_success
    empty = _problem(client.post("/api/v1/exports", json={}, headers=served.auth), 422)
    assert empty["type"] == "/docs#problem-empty-scope"
    assert '"periods"' in empty["detail"]
    assert '"all": true' in empty["detail"]
    assert "--" not in empty["detail"]
    unknown = _problem(
        client.post("/api/v1/exports", json={"invoices": ["100001", "nope"]}, headers=served.auth),
        422,
    )
    assert unknown["type"] == "/docs#problem-unknown-scope"
    assert [e["pointer"] for e in unknown["errors"]] == ["#/invoices/1"]
    checks = _problem(client.get("/api/v1/checks", headers=served.auth), 422)
    assert '"period"' in checks["detail"]
    assert "all=true" in checks["detail"]


def test_everything_already_exported_says_so_instead_of_starting_a_run(
    client: TestClient, served: Served
) -> None:
    assert client.post("/api/v1/documents", content=_document(), headers=served.auth).is_success
    first = client.post("/api/v1/exports", json={"all": True}, headers=served.auth)
    assert first.status_code == 202
    assert wait_for_run(client, served, first.json()["run_id"])["state"] == "succeeded"
    again = client.post("/api/v1/exports", json={"all": True}, headers=served.auth)
    assert again.status_code == 200, again.text
    assert "location" not in again.headers
    body = again.json()
    assert body["started"] is False
    assert body["reason"]["code"] == "nothing_to_export"
    assert "already exported" in body["reason"]["detail"]
    assert [run.id for run in served.app.state.web.jobs.runs()] == [first.json()["run_id"]]


def test_a_busy_company_is_409_naming_the_run(client: TestClient, served: Served) -> None:
    assert client.post("/api/v1/documents", content=_document(), headers=served.auth).is_success
    jobs = served.app.state.web.jobs
    going = Runs(served.store).start({"periods": [], "invoices": [], "all": True}, "test")
    original = jobs.start_export

    def busy(scope: Any, started_by: str) -> int:
        raise Busy(going)

    jobs.start_export = busy
    try:
        body = _problem(
            client.post("/api/v1/exports", json={"all": True}, headers=served.auth), 409
        )
        assert body["run_id"] == going
        assert body["type"] == "/docs#problem-export-running"
        document = generate_document(5, seed=11)
        assert document["periods"][-1] == {**document["periods"][-1], "id": "2026-11"}
        document["periods"][-1]["closed_at"] = "2026-12-02T16:00:00"  # now it closes 2026-11
        answer = client.post(
            "/api/v1/documents?export=true", content=json.dumps(document), headers=served.auth
        )
    finally:
        jobs.start_export = original
    export = answer.json()["export"]
    assert answer.status_code == 200, answer.text
    assert answer.json()["import"]["newly_closed_periods"] == ["2026-11"]
    assert export["reason"]["code"] == "export_running"
    assert export["run_id"] == going


# --- lists --------------------------------------------------------------------------------------


def _runs(served: Served, count: int) -> list[int]:
    journal = Journal(served.store)
    ids = []
    for n in range(count):
        run_id = Runs(journal.store).start(
            {"periods": [], "invoices": [f"N{n}"], "all": False}, "test"
        )
        Runs(journal.store).finish(run_id, outcome=RunOutcome.succeeded, to_export=1, exported=1)
        ids.append(run_id)
    return ids


def _follow(client: TestClient, served: Served, url: str, member: str) -> list[list[Any]]:
    """Every page from ``url`` on, following ``Link`` (and checking ``next`` says the same)."""
    pages = []
    while url:
        answer = client.get(url, headers=served.auth)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        link = answer.headers.get("link")
        if body["next"] is None:
            assert link is None
        else:
            assert link == f'<{body["next"]}>; rel="next"'
        pages.append([item["id"] for item in body[member]])
        url = body["next"]
    return pages


@pytest.mark.parametrize("served", STORES, indirect=True)
def test_runs_are_listed_newest_first_a_page_at_a_time(client: TestClient, served: Served) -> None:
    ids = _runs(served, 5)
    huge = client.get(f"/api/v1/exports?before={2**40}", headers=served.auth)  # past every id
    assert [run["id"] for run in huge.json()["runs"]] == ids[::-1], huge.text
    pages = _follow(client, served, "/api/v1/exports?limit=2", "runs")
    assert pages == [ids[4:2:-1], ids[2:0:-1], ids[:1]]
    first = client.get("/api/v1/exports?limit=2", headers=served.auth).json()
    newer = _runs(served, 1)  # a run started while a client pages: the cursor holds
    second = client.get(first["next"], headers=served.auth).json()
    assert [run["id"] for run in second["runs"]] == ids[2:0:-1]
    top = client.get("/api/v1/exports", headers=served.auth).json()
    assert top["runs"][0]["id"] == newer[0]
    assert top["runs"][0]["url"] == f"/api/v1/exports/{newer[0]}"
    assert top["runs"][0]["started_at"].endswith("Z")
    assert "invoices" not in top["runs"][0]


def test_periods_are_listed_newest_first_with_their_states(
    client: TestClient, served: Served
) -> None:
    assert client.post("/api/v1/documents", content=_document(), headers=served.auth).is_success
    started = client.post("/api/v1/exports", json={"invoices": ["100003"]}, headers=served.auth)
    wait_for_run(client, served, started.json()["run_id"])
    pages = _follow(client, served, "/api/v1/periods?limit=5", "periods")
    listed = [pid for page in pages for pid in page]
    assert listed[:3] == ["2026-11", "2026-10", "2026-09"]
    assert len(listed) == len(set(listed)) == 22
    assert [len(page) for page in pages] == [5, 5, 5, 5, 2]
    periods = {
        p["id"]: p
        for p in client.get("/api/v1/periods?limit=100", headers=served.auth).json()["periods"]
    }
    assert periods["2026-11"]["closed"] is False
    assert periods["2026-11"]["closed_at"] is None
    assert periods["2026-03"]["closed"] is True
    assert periods["2026-03"]["states"]["EXPORTED"] == 1
    assert periods["2026-07"]["states"]["NEW"] == periods["2026-07"]["invoices"] == 1
    unknown = _problem(client.get("/api/v1/periods?before=1999-01", headers=served.auth), 422)
    assert unknown["errors"][0]["parameter"] == "before"


# --- the description ----------------------------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _typed(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A schema that says what is in it: a model's properties, or each option typed."""
    schema = _resolve(spec, schema)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return all(_typed(spec, option) for option in options)
    return bool(schema.get("properties"))


def test_the_description_types_every_answer_and_the_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    api_operations = [
        (method, path, op)
        for path, item in spec["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
    ]
    assert {path for _, path, _ in api_operations} >= {
        "/api/v1/documents", "/api/v1/exports", "/api/v1/exports/{run_id}", "/api/v1/periods",
        "/api/v1/invoices/{number}", "/api/v1/checks",
    }  # fmt: skip
    for method, path, op in api_operations:
        for code, answer in op["responses"].items():
            where = (method, path, code)
            if code.startswith("2"):
                schema = answer["content"]["application/json"]["schema"]
                assert _typed(spec, schema), where
            else:
                assert set(answer["content"]) == {"application/problem+json"}, where
                schema = answer["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemDetails"}, where
    body = spec["paths"]["/api/v1/documents"]["post"]["requestBody"]
    document = _resolve(spec, body["content"]["application/json"]["schema"])
    assert {"schema", "office", "customers", "periods", "invoices"} <= set(document["properties"])
    invoice = _resolve(spec, document["properties"]["invoices"]["items"])
    assert {"number", "customer", "date", "postings"} <= set(invoice["properties"])
    exports = spec["paths"]["/api/v1/exports"]["post"]["responses"]
    assert "Location" in exports["202"]["headers"]


def test_docs_page_is_html_not_markup(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "<code>procountor-export tokens create NAME</code>" in text
    visible = re.sub(r"<[^>]+>", "", text)
    assert "`" not in visible
    for path in ("/api/v1/exports", "/api/v1/periods", "/api/v1/documents"):
        assert f"<code>{path}</code>" in text
    assert 'id="problem-period-open"' in text
    assert 'id="schema-ProblemDetails"' in text
    assert 'id="schema-TmsDocument"' in text
