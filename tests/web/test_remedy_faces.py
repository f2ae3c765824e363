"""The web app renders the catalogue's remedies for the browser, and has the API's wording ready."""

from __future__ import annotations

import html
import json
import re

from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.export import messages as m
from procountor_export.export.messages import Face
from procountor_export.export.problems import Problem
from procountor_export.samples.generator import generate_document


def test_the_check_page_names_the_settings_page_instead_of_a_command(
    client: TestClient, served: Served
) -> None:
    document = json.dumps(generate_document(3, seed=2, with_problems=True))
    assert client.post("/api/v1/documents", content=document, headers=served.auth).is_success
    page = html.unescape(client.get("/check?all=true").text)
    # The sample's unmapped VAT code is reported with the page and the button that fix it.
    assert "No VAT status code for VAT code" in page
    assert "Settings → Invoice exports → the export, Codes: tax rates" in page
    assert re.findall(r"procountor-export [a-z-]+ set[^<]*", page) == []


def test_the_context_has_one_messages_object_per_face(served: Served) -> None:
    context = served.app.state.web
    assert (context.messages.face, context.api_messages.face) == (Face.WEB, Face.API)
    problem = Problem.of(m.PERIOD_OPEN, "2026-03")
    assert "POST /api/v1/exports" in context.api_messages.remedy(problem)
    assert "Export and send" in context.messages.remedy(problem)
