"""The pages: login when users exist, CSRF on forms, headers, error pages, secrets never shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient
from webrig import Served, make_settings  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document
from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.web import create_app


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _load(client: TestClient, served: Served, **options: object) -> None:
    body = json.dumps(generate_document(4, seed=2, **options))  # type: ignore[arg-type]
    assert client.post("/api/v1/documents", content=body, headers=served.auth).is_success


def test_the_pages_answer_with_security_headers(client: TestClient, served: Served) -> None:
    _load(client, served)
    for path in ("/invoices", "/check", "/settings", "/settings/groups", "/settings/customers",
                 "/settings/terminology", "/log", "/docs", "/settings/exports/Procountor (API)"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
        assert "default-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, served: Served) -> None:
    _load(client, served)
    client.get("/invoices")
    answer = client.post("/invoices/export", data={"period": "x"})
    assert answer.status_code == 403
    assert "expired" in answer.text
    assert "Traceback" not in answer.text


def test_export_from_the_page_and_follow_the_progress(client: TestClient, served: Served) -> None:
    _load(client, served)
    page = client.get("/invoices").text
    numbers = re.findall(r'name="invoice" value="([^"]+)"', page)
    answer = client.post(
        "/invoices/export",
        data={"csrf_token": _csrf(page), "invoice": numbers[:2]},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 202, answer.text
    served.wait()
    progress = client.get(f"/runs/{answer.json()['run_id']}/progress").json()
    assert (progress["state"], progress["exported"], progress["to_export"]) == ("succeeded", 2, 2)
    # The invoice page shows the journal's history: every step, in order, of that run.
    invoice = client.get(f"/invoices/{numbers[0]}").text
    steps = re.findall(r'<td data-step="([a-z_]+)">', invoice)
    assert steps[0] == "create_invoice"
    assert {"created", "attach_pdf", "attached"} <= set(steps)
    assert steps[-1] == "done"
    again = client.get(f"/invoices?run={progress['id']}").text
    assert "2 invoices to export, 2 exported" in again, again[again.find("runbar") :]


def test_the_password_is_never_shown(client: TestClient, served: Served) -> None:
    page = client.get("/settings/exports/new").text
    answer = client.post(
        "/settings/exports",
        data={
            "csrf_token": _csrf(page),
            "name": "Second",
            "password": "secret-api-key-123",
            "encoding": "UTF-8",
            "after_create": "leave",
        },
    )
    assert answer.status_code == 200, answer.text
    assert "secret-api-key-123" not in answer.text
    assert "set (encrypted)" in answer.text


def test_an_unknown_page_is_a_page(client: TestClient) -> None:
    answer = client.get("/invoices/nope")
    assert answer.status_code == 404
    assert "<h1>Not found</h1>" in answer.text


def test_login_is_asked_once_a_user_exists(tmp_path: Path, served: Served) -> None:
    with served.store.session() as session:
        access.set_user(session, "clerk", "a long password")
    with TestClient(served.app, base_url="http://127.0.0.1") as client:
        answer = client.get("/invoices", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login")
        page = client.get("/login").text
        bad = client.post(
            "/login", data={"csrf_token": _csrf(page), "name": "clerk", "password": "wrong"}
        )
        assert bad.status_code == 401
        good = client.post(
            "/login",
            data={"csrf_token": _csrf(page), "name": "clerk", "password": "a long password"},
        )
        assert good.status_code == 200
        assert "clerk" in good.text
        assert client.get("/invoices").status_code == 200
        with served.store.session() as session:
            access.set_user(session, "other", "another long password")
            access.remove_user(session, "clerk")
        gone = client.get("/invoices", follow_redirects=False)
        assert gone.status_code == 303  # a removed user's session ends at its next request


def test_bound_elsewhere_the_ui_asks_for_a_user(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = Store.open(settings.database_url)
    try:
        app = create_app(settings, store=store, host="0.0.0.0")
        with TestClient(app) as client:
            answer = client.get("/invoices", follow_redirects=False)
            assert answer.status_code == 303
            assert "users add" in client.get("/login").text
    finally:
        store.close()


def test_behind_tls_the_session_cookie_is_secure(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = Store.open(settings.database_url)
    try:
        for secure in (False, True):
            app = create_app(settings, store=store, host="0.0.0.0", secure_cookies=secure)
            with TestClient(app) as client:
                cookie = client.get("/login").headers["set-cookie"]
            assert cookie.startswith("procountor_export_session=")
            assert ("; secure" in cookie.lower()) is secure
            assert "samesite=strict" in cookie.lower()
    finally:
        store.close()
