"""Schemathesis over the REST API's OpenAPI description: no request makes the server fail.

Bounded on purpose (a few examples per operation, no shrinking) so it runs in seconds.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.tms.sample import generate_document

EXAMPLES = 8


def test_no_request_makes_the_server_fail(client: TestClient, served: Served) -> None:
    document = json.dumps(generate_document(3, seed=4))
    assert client.post("/api/v1/documents", content=document, headers=served.auth).is_success
    schema = schemathesis.openapi.from_asgi("/openapi.json", served.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: Any) -> None:
            for headers in (served.auth, {}):  # with the token, and without it
                response = case.call(headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

        call()
    served.wait()
    assert failures == []
