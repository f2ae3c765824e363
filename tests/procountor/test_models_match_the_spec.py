"""The client sends only what Procountor's OpenAPI 26.04 defines.

Two holds on the client: every field its models declare exists in the schema Procountor
names for it (recursively, through nested objects), and every request an export makes —
bodies, query parameters — fits the operation it calls (no unknown field, enum values in the
enum, text within its length, required body fields present). A field invented here would be
refused by a strict API or silently dropped by a lenient one; both must fail a test first.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import httpx2
import pytest
from cryptography.fernet import Fernet
from pydantic import BaseModel
from starlette.testclient import TestClient

from procountor_export.apispec import ApiTable, FieldSpec, Operation, load
from procountor_export.emulator import create_app
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.procountor import models
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.models import AfterCreate
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

TABLE = load()

# Each top-level client model and the schema Procountor gives that object.
MODELS: dict[type[BaseModel], str] = {
    models.Invoice: "Invoice",
    models.InvoiceSummary: "InvoiceBasicInfo",
    models.BusinessPartner: "BusinessPartner",
    models.BusinessPartnerSummary: "BusinessPartnerBasicInfo",
    models.Product: "Product",
    models.ProductGroup: "ProductGroup",
    models.DefaultDimension: "DefaultDimension",
    models.LedgerReceipt: "LedgerReceipt",
    models.AttachmentMeta: "Attachment",
    models.Attachment: "Attachment",
    models.FactoringContract: "FactoringContract",
}


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``X | None`` or ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _nested(argument)
            if found is not None:
                return found
    return None


def model_mismatches(model: type[BaseModel], schema: str, path: str = "") -> Iterator[str]:
    """Every field of ``model`` the schema lacks, or whose nesting disagrees with it."""
    fields = TABLE.fields(schema)
    for name, info in model.model_fields.items():
        alias = info.alias or name
        where = f"{path}{model.__name__}.{alias}"
        spec = fields.get(alias)
        if spec is None:
            yield f"{where} is not a field of {schema}"
            continue
        inner = _nested(info.annotation)
        if inner is not None:
            if spec.ref is None:
                yield f"{where} is an object here but {spec.type} in {schema}"
            else:
                yield from model_mismatches(inner, spec.ref, f"{where} -> ")


@pytest.mark.parametrize("model", list(MODELS), ids=lambda m: m.__name__)
def test_every_model_field_is_a_field_of_its_schema(model: type[BaseModel]) -> None:
    assert list(model_mismatches(model, MODELS[model])) == []


def test_the_partner_carries_no_vat_number_field() -> None:
    # The VAT number travels on the invoice (counterParty.taxCode); InvoicingInfo has none.
    assert "taxCode" not in TABLE.fields("InvoicingInfo")
    assert "tax_code" not in models.InvoicingInfo.model_fields
    assert "taxCode" in TABLE.fields("CounterParty")


def body_problems(value: Any, schema: str, path: str, *, check_required: bool) -> Iterator[str]:
    """What in a JSON body does not fit ``schema``."""
    if not isinstance(value, dict):
        yield f"{path or '<body>'} is not an object"
        return
    fields = TABLE.fields(schema)
    for name, item in value.items():
        spec = fields.get(name)
        where = f"{path}{name}"
        if spec is None:
            yield f"{where} is not defined in {schema}"
            continue
        yield from value_problems(item, spec, where, check_required=check_required)
    if check_required:
        for name, spec in fields.items():
            if spec.required and name not in value and name not in ("id", "version"):
                yield f"{path}{name} is required by {schema}"


def value_problems(
    value: Any, spec: FieldSpec, where: str, *, check_required: bool
) -> Iterator[str]:
    items = value if spec.array and isinstance(value, list) else [value]
    for index, item in enumerate(items):
        at = f"{where}[{index}]" if spec.array else where
        if spec.ref is not None:
            if TABLE.has_schema(spec.ref):
                yield from body_problems(item, spec.ref, f"{at}.", check_required=check_required)
            continue
        if spec.enum is not None and item is not None and str(item) not in spec.enum:
            yield f"{at}={item!r} is not one of {schema_enum(spec)}"
        if spec.max_length is not None and isinstance(item, str) and len(item) > spec.max_length:
            yield f"{at} is longer than {spec.max_length}"


def schema_enum(spec: FieldSpec) -> str:
    values = list(spec.enum or ())
    return ", ".join(values[:6]) + (" …" if len(values) > 6 else "")


class Recording(httpx2.BaseTransport):
    """Forwards to the in-process emulator and keeps every request for inspection."""

    def __init__(self, inner: TestClient) -> None:
        self.inner = inner
        self.requests: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        response = self.inner.request(
            request.method, str(request.url), headers=dict(request.headers), content=request.content
        )
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            content=response.content,
            request=request,
        )


def operation_for(table: ApiTable, method: str, path: str) -> Operation | None:
    """The operation whose path template matches ``path`` (literal segments first)."""
    candidates = []
    for operation in table.operations.values():
        pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(operation.path))
        if operation.method == method and re.fullmatch(pattern, path):
            candidates.append((operation.path.count("{"), operation.path, operation))
    return min(candidates)[2] if candidates else None


def request_problems(table: ApiTable, request: httpx2.Request) -> Iterator[str]:
    path = request.url.path.removeprefix("/api")
    if path == "/oauth/token":
        return
    operation = operation_for(table, request.method, path)
    if operation is None:
        yield f"{request.method} {path} is not an operation of the spec"
        return
    for name, _value in parse_qsl(request.url.query.decode()):
        if name not in operation.query:
            yield f"{operation.key}: query parameter {name} is not defined"
    content_type = request.headers.get("content-type", "")
    if request.content and content_type.startswith("application/json"):
        body = json.loads(request.content)
        if operation.body_schema is None:
            yield f"{operation.key} takes no JSON body"
        else:
            yield from (
                f"{operation.key}: {problem}"
                for problem in body_problems(
                    body, operation.body_schema, "", check_required=request.method == "POST"
                )
            )


@pytest.fixture
def recorded_export(sqlite_store: Store) -> Iterator[list[httpx2.Request]]:
    app = create_app(rate_limit=None)
    box = SecretBox(Fernet.generate_key())
    with TestClient(app, base_url="http://emulator") as inner:
        recording = Recording(inner)
        http = httpx2.Client(transport=recording, base_url="http://emulator")
        document = generate_document(40, seed=21)
        assert import_document(sqlite_store, document, box=box).accepted
        with sqlite_store.session() as session:
            export_settings.upsert_export_definition(
                session, name="Procountor (API)", after_create=AfterCreate.SEND
            )
        settings = load_settings(
            PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=10_000
        )
        factory = ClientFactory(settings, http_client=http)
        summary = run_export(
            sqlite_store, Scope(all=True), client_factory=factory, box=box, options=ExportOptions()
        )
        assert summary.exported > 0
        yield recording.requests


def test_every_request_of_an_export_fits_its_operation(
    recorded_export: list[httpx2.Request],
) -> None:
    kinds = {(r.method, r.url.path.split("/")[2]) for r in recorded_export}
    # The run exercised the writes that matter.
    assert {("POST", "invoices"), ("POST", "businesspartners"), ("POST", "products")} <= kinds
    problems = [p for request in recorded_export for p in request_problems(TABLE, request)]
    assert problems == []


def test_an_invented_field_is_caught() -> None:
    request = httpx2.Request(
        "POST",
        "http://emulator/api/businesspartners",
        json={"type": "CUSTOMER", "name": "X", "invoicingInfo": {"taxCode": "FI123"}},
    )
    request.read()
    assert "POST /businesspartners: invoicingInfo.taxCode is not defined in InvoicingInfo" in list(
        request_problems(TABLE, request)
    )
