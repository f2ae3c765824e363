"""The app's OpenAPI description, finished: problem answers and the TMS document typed.

FastAPI describes every route from its models; two things it cannot say by itself are added
here, once, when ``/openapi.json`` is first asked for:

- error answers are ``application/problem+json`` (RFC 9457), not ``application/json``;
- the body of ``POST /api/v1/documents`` is a ``tms-invoicing/1`` document. The route streams
  it into the importer (bounded, never one big model), so FastAPI does not parse it: the
  document's JSON schema is generated from the importer's own models (``tms.document``) and
  added to the components as ``TmsDocument`` (its parts as ``Tms…``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from procountor_export.tms.document import Document
from procountor_export.web.problems import PROBLEM_JSON

DOCUMENT_SCHEMA = "TmsDocument"


def finish_description(app: FastAPI) -> None:
    """Make ``app.openapi()`` answer the finished description (built once, then kept)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _problem_answers(schema)
            _document_schema(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problem_answers(schema: dict[str, Any]) -> None:
    """Every 4xx and 5xx answer's JSON becomes ``application/problem+json``."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if code[:1] in "45" and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")


def _document_schema(schema: dict[str, Any]) -> None:
    """The TMS document's schema, its parts named ``Tms…`` beside the API's own models."""
    document = Document.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/Tms{model}"
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, part in document.pop("$defs", {}).items():
        components[f"Tms{name}"] = part
    components[DOCUMENT_SCHEMA] = document
