"""The M2M token flow: lazy, form body, cached, renewed, re-fetched once on 401, secrets hidden."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx2
import pytest

from procountor_export.procountor import (
    CREDENTIALS_REFUSED,
    AuthenticationError,
    ConfigurationError,
    ProcountorAuth,
    ProcountorClient,
    RequestRecord,
)

BASE_URL = "https://api.example.test/api"
SECRET = "s3cret-client-secret"
API_KEY = "k3y-api-key-value"


def test_token_is_fetched_lazily_with_a_form_body(
    make_client: Callable[..., ProcountorClient], fake: Any
) -> None:
    client = make_client(redirect_uri="https://example.test/cb")
    assert fake.token_requests == []

    client.session.get()

    (token_call,) = fake.token_requests
    assert token_call.method == "POST"
    assert token_call.url == f"{BASE_URL}/oauth/token"
    assert token_call.url.query == b""
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    form = parse_qs(token_call.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["test-client"],
        "client_secret": [SECRET],
        "api_key": [API_KEY],
        "redirect_uri": ["https://example.test/cb"],
    }
    assert fake.bearer(0) == "Bearer token-1"


def test_redirect_uri_is_left_out_when_not_configured(client: ProcountorClient, fake: Any) -> None:
    client.session.get()
    assert "redirect_uri" not in parse_qs(fake.token_requests[0].content.decode())


def test_token_is_reused_for_later_calls(client: ProcountorClient, fake: Any) -> None:
    client.session.get()
    client.company.get()
    client.fiscal_years.list()
    assert len(fake.token_requests) == 1
    assert {fake.bearer(i) for i in range(3)} == {"Bearer token-1"}


def test_token_is_renewed_shortly_before_it_expires(fake: Any) -> None:
    now = [1000.0]
    auth = ProcountorAuth(
        token_url=f"{BASE_URL}/oauth/token",
        client_id="c",
        client_secret=SECRET,
        api_key=API_KEY,
        clock=lambda: now[0],
    )
    with httpx2.Client(transport=httpx2.MockTransport(fake), auth=auth) as http:
        http.get(f"{BASE_URL}/company")
        now[0] += 3600 - 301  # more than five minutes left: keep it
        http.get(f"{BASE_URL}/company")
        assert len(fake.token_requests) == 1
        now[0] += 2  # within five minutes of expiry: renew before using it
        http.get(f"{BASE_URL}/company")
    assert len(fake.token_requests) == 2
    assert [r.headers["Authorization"] for r in fake.requests] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_a_401_fetches_a_new_token_once_and_resends_with_it(
    client: ProcountorClient, fake: Any
) -> None:
    client.session.get()
    fake.add(fake.json({"errors": []}, 401), fake.json({"companyId": 7}))

    info = client.session.get()

    assert info.company_id == 7
    assert len(fake.token_requests) == 2
    assert fake.bearer(1) == "Bearer token-1"
    assert fake.bearer(2) == "Bearer token-2"  # the resend carries the NEW token
    assert client.calls["GET /sessioninfo"] == 3
    assert client.calls["POST /oauth/token"] == 2


def test_a_second_401_is_an_authentication_error(client: ProcountorClient, fake: Any) -> None:
    fake.add(fake.json({}, 401), fake.json({}, 401))
    with pytest.raises(AuthenticationError) as caught:
        client.company.get()
    assert caught.value.status == 401
    assert caught.value.operation == "GET /company"
    assert len(fake.token_requests) == 2
    assert len(fake.requests) == 2  # not retried further


@pytest.mark.parametrize("status", [400, 401, 403])
def test_refused_credentials_are_fatal_and_say_so(
    make_client: Callable[..., ProcountorClient], fake: Any, status: int
) -> None:
    fake.token_status = status
    records: list[RequestRecord] = []
    client = make_client(hooks=[records.append])
    with pytest.raises(AuthenticationError) as caught:
        client.session.get()
    error = caught.value
    assert error.message == CREDENTIALS_REFUSED
    assert CREDENTIALS_REFUSED in str(error)
    assert error.operation == "POST /oauth/token"
    assert error.status == status
    assert fake.requests == []  # the call itself was never sent
    assert len(fake.token_requests) == 1  # fatal: not retried
    texts = [str(error), repr(error), error.body, repr(error.args), repr(client), repr(records)]
    for text in texts:
        assert SECRET not in text
        assert API_KEY not in text


def test_a_token_error_body_echoing_a_secret_is_scrubbed(
    make_client: Callable[..., ProcountorClient],
) -> None:
    def echo(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(401, text=f"bad key {API_KEY} for secret {SECRET}")

    client = make_client(transport=httpx2.MockTransport(echo))
    with pytest.raises(AuthenticationError) as caught:
        client.company.get()
    assert API_KEY not in caught.value.body
    assert SECRET not in caught.value.body
    assert "***" in caught.value.body


def test_missing_token_endpoint_points_at_the_base_url(client: ProcountorClient, fake: Any) -> None:
    fake.token_status = 404
    with pytest.raises(ConfigurationError, match="PROCOUNTOR_BASE_URL"):
        client.company.get()


def test_threads_share_one_token(client: ProcountorClient, fake: Any) -> None:
    barrier = threading.Barrier(12)

    def call() -> None:
        barrier.wait()
        client.session.get()

    threads = [threading.Thread(target=call) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake.token_requests) == 1
    assert len(fake.requests) == 12


def test_secrets_are_hidden_in_reprs(client: ProcountorClient) -> None:
    for text in (repr(client), repr(client._auth), repr(vars(client._auth))):
        assert SECRET not in text
        assert API_KEY not in text
