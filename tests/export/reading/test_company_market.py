"""The company's market is read once per run with the master data: its country from
``GET /company``; the company currency names it only when the country cannot be read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from procountor_export.emulator import create_app, market_seed
from procountor_export.export.reading.masterdata import load_snapshot
from procountor_export.procountor import ProcountorClient


def client(http: TestClient) -> ProcountorClient:
    return ProcountorClient(
        base_url="http://emulator/api",
        client_id="demo-client",
        client_secret="demo-secret",
        api_key="demo-api-key",
        http_client=http,
        rate=10_000,
    )


class CompanyForbidden:
    """The emulator, but ``GET /company`` answers 403 (a user without the company-info right)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/api/company":
            body = json.dumps({"errors": [{"message": "No rights"}]}).encode()
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 403, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


@pytest.mark.parametrize(
    ("market", "code"), [("se", "SE"), ("no", "NO"), ("dk", "DK"), ("fi", "FI")]
)
def test_the_master_data_keeps_the_companys_country_and_market(market: str, code: str) -> None:
    app = create_app(market_seed(market), rate_limit=None)
    with TestClient(app, base_url="http://emulator") as http:
        cache = load_snapshot(client(http), product_group="OpterGroup")
    assert cache.market == code
    assert cache.company_country == {"FI": "FINLAND", "SE": "SWEDEN", "NO": "NORWAY",
                                     "DK": "DENMARK"}[code]  # fmt: skip


def test_without_the_right_to_read_the_company_its_currency_names_the_market() -> None:
    app = CompanyForbidden(create_app(market_seed("no"), rate_limit=None))
    with TestClient(app, base_url="http://emulator") as http:  # type: ignore[arg-type]
        cache = load_snapshot(client(http), product_group="OpterGroup")
    assert cache.company_country is None
    assert (cache.company_currency, cache.market) == ("NOK", "NO")
