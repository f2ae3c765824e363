"""A transport that fails chosen Procountor endpoints and passes the rest to the emulator.

The emulator injects faults per request kind (5xx rates, lost answers); these tests need one
endpoint to fail on purpose, so the fault sits in the network layer between client and emulator.
"""

from __future__ import annotations

import re
from typing import Any

import httpx2
from starlette.testclient import TestClient


class FaultyTransport(httpx2.BaseTransport):
    """Answers ``status`` to requests whose method and path match a rule; forwards the rest."""

    def __init__(self, inner: TestClient) -> None:
        self.inner = inner
        self.rules: list[tuple[str, re.Pattern[str], int, dict[str, Any]]] = []

    def fail(self, method: str, path: str, status: int, message: str = "injected") -> None:
        """Fail ``method`` requests whose path (after the API root) matches regex ``path``."""
        body = {"errors": [{"status": status, "field": None, "message": message}]}
        self.rules.append((method, re.compile(rf"/api{path}$"), status, body))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        for method, pattern, status, body in self.rules:
            if request.method == method and pattern.search(request.url.path):
                return httpx2.Response(status, json=body, request=request)
        request.read()
        response = self.inner.request(
            request.method,
            str(request.url),
            headers=dict(request.headers),
            content=request.content,
        )
        return httpx2.Response(
            response.status_code,
            headers=response.headers,
            content=response.content,
            request=request,
        )
