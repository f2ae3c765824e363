"""Schemathesis over the REST API's OpenAPI description, with every check it has.

Each operation gets a few examples of data that fits the description and a few that does not,
and the edge cases of issue 20 (a NUL character, an integer of 5,001 digits, an identifier
with a ``/``, a body that is not JSON); every answer is checked as ``schemathesis run --checks
all`` would: no server error, a status code the description lists, its content type, headers
and schema, bad data refused, good data accepted, the bearer token required. On SQLite and
PostgreSQL (whose text cannot hold a NUL). Bounded on purpose (a few examples per operation, no
shrinking) so it runs in seconds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.core.failures import FailureGroup
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document

EXAMPLES = 5
# Data that fits the description may still name a period or an invoice the store does not
# have: the API answers 422 for that (documented), so 422 counts as an accepted answer too.
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]
STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
HUGE = "9" * 5001
JSON = "application/json"


def _validate(case: Case, served: Served, failures: list[str], **request: Any) -> int:
    """Call the case with the token and run every check on the answer; its status code."""
    headers = {**served.auth, **request.pop("headers", {})}
    try:
        response = case.call_and_validate(headers=headers, **request)
    except FailureGroup as group:
        failures.extend(
            f"{case.method} {case.formatted_path} {case.query or ''}: {failure.title}"
            for failure in group.exceptions
        )
        return 0
    status: int = response.status_code
    return status


def _fuzz(operation: APIOperation, mode: GenerationMode, served: Served, found: list[str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        # The same examples every run: a finding stays found, and no run fails by chance on
        # a "schema-violating" query object, which goes on the wire as other keys (valid).
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def call(case: Case) -> None:
        _validate(case, served, found)

    call()


def _edge_cases(
    operations: dict[tuple[str, str], APIOperation],
) -> list[tuple[str, Case, dict[str, Any], int]]:
    """The findings of issue 20 as cases: a label, the case, how to send it, the status.

    Path parameters go as given (generated ones come encoded): the identifiers are encoded.
    """
    invoice = operations["GET", "/api/v1/invoices/{number}"]
    run = operations["GET", "/api/v1/exports/{run_id}"]
    checks = operations["GET", "/api/v1/checks"]
    export = operations["POST", "/api/v1/exports"]
    raw = {"headers": {"Content-Type": "application/json"}}
    return [
        ("number with /", invoice.Case(path_parameters={"number": "2025%2F001"}), {}, 200),
        ("number with #?%", invoice.Case(path_parameters={"number": "A%231%3F50%25"}), {}, 404),
        ("NUL number", invoice.Case(path_parameters={"number": "%00"}), {}, 422),
        ("huge run id", run.Case(path_parameters={"run_id": HUGE}), {}, 422),
        ("NUL period", checks.Case(query={"period": "\x00"}), {}, 422),
        ("NUL invoice", checks.Case(query={"invoice": ["2025/001", "x\x00"]}), {}, 422),
        ("NUL in body", export.Case(body={"invoices": ["\x00"]}, media_type=JSON), {}, 422),
        ("huge in body", export.Case(media_type=JSON), {**raw, "data": b'{"all": ' + HUGE.encode() + b"}"}, 422),
        ("not JSON", export.Case(media_type=JSON), {**raw, "data": b"{nope"}, 400),
        ("not UTF-8", export.Case(media_type=JSON), {**raw, "data": b'{"all": "\xff"}'}, 400),
    ]  # fmt: skip


@pytest.mark.parametrize("served", STORES, indirect=True)
def test_every_check_passes_for_every_operation(client: TestClient, served: Served) -> None:
    document = generate_document(3, seed=4)
    document["invoices"][0]["number"] = "2025/001"
    answer = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert answer.is_success, answer.text
    schema = schemathesis.openapi.from_asgi("/openapi.json", served.app)
    schema.config.checks.positive_data_acceptance.expected_statuses = ACCEPTED
    operations = {
        (op.method.upper(), op.path): op for op in (r.ok() for r in schema.get_all_operations())
    }
    assert len(operations) >= 5
    failures: list[str] = []
    for operation in operations.values():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, served, failures)
    answered = {
        label: (_validate(case, served, failures, **request), status)
        for label, case, request, status in _edge_cases(operations)
    }
    served.wait()
    assert failures == [], "\n".join(sorted(set(failures)))
    assert {case: got for case, (got, _) in answered.items()} == {
        case: wanted for case, (_, wanted) in answered.items()
    }
