"""Token endpoint, bearer tokens, API roots and the gateway's GET-with-body rule."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.emulator.testing import TOKEN_FORM, error_pairs


def test_token_is_jwt_shaped_and_has_lifetime(raw: TestClient) -> None:
    response = raw.post("/api/oauth/token", data=TOKEN_FORM)
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 3600
    assert len(body["access_token"].split(".")) == 3
    assert "refresh_token" not in body


@pytest.mark.parametrize("root", ["/api", "/latest/api", "/supported/api", "/v2604/api"])
def test_every_api_root_serves_the_same_api(raw: TestClient, root: str) -> None:
    token = raw.post(f"{root}/oauth/token", data=TOKEN_FORM).json()["access_token"]
    response = raw.get(f"{root}/sessioninfo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["name"] == "Kuljetus Demo Oy"


@pytest.mark.parametrize("root", ["/v26/api", "/beta/api", "/apis", "/v2604"])
def test_unknown_api_root_is_404(raw: TestClient, root: str) -> None:
    response = raw.post(f"{root}/oauth/token", data=TOKEN_FORM)
    assert response.status_code == 404
    assert error_pairs(response)


def test_trailing_slash_on_token_url_works(raw: TestClient) -> None:
    assert raw.post("/supported/api/oauth/token/", data=TOKEN_FORM).status_code == 200


def test_token_parameters_in_url_are_rejected(raw: TestClient) -> None:
    response = raw.post("/api/oauth/token", params=TOKEN_FORM)
    assert response.status_code == 400
    assert error_pairs(response)[0][1] == "Token parameters are not accepted in the URL"


def test_token_needs_a_form_body(raw: TestClient) -> None:
    response = raw.post("/api/oauth/token", json=TOKEN_FORM)
    assert response.status_code == 400


def test_client_credentials_may_come_as_basic_auth(raw: TestClient) -> None:
    basic = base64.b64encode(b"demo-client:demo-secret").decode()
    response = raw.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials", "api_key": "demo-api-key"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"client_secret": "wrong"}, 401),
        ({"client_id": "someone"}, 401),
        ({"api_key": "unknown-key"}, 401),
        ({"api_key": ""}, 400),
        ({"grant_type": "password"}, 400),
    ],
)
def test_bad_token_requests(raw: TestClient, change: dict[str, str], status: int) -> None:
    response = raw.post("/api/oauth/token", data={**TOKEN_FORM, **change})
    assert response.status_code == status
    assert error_pairs(response)


def test_resource_without_token_is_401(raw: TestClient) -> None:
    response = raw.get("/api/coa")
    assert response.status_code == 401
    assert error_pairs(response)


def test_unknown_token_is_401(raw: TestClient) -> None:
    response = raw.get("/api/coa", headers={"Authorization": "Bearer a.b.c"})
    assert response.status_code == 401


def test_token_expires() -> None:
    now = [1_000_000.0]
    app = create_app(rate_limit=None, token_lifetime=60, clock=lambda: now[0])
    with TestClient(app, base_url="http://emulator") as client:
        token = client.post("/api/oauth/token", data=TOKEN_FORM).json()
        assert token["expires_in"] == 60
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.get("/api/coa", headers=headers).status_code == 200
        now[0] += 61
        assert client.get("/api/coa", headers=headers).status_code == 401


def test_admin_can_expire_tokens(api: TestClient) -> None:
    assert api.get("coa").status_code == 200
    assert api.post("http://emulator/_emulator/expire-tokens").json() == {"expired": 1}
    assert api.get("coa").status_code == 401


def test_get_with_a_body_is_403_like_the_gateway(api: TestClient) -> None:
    response = api.request(
        "GET", "coa", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 403
    assert error_pairs(response)


def test_doubled_slash_is_tolerated(api: TestClient) -> None:
    assert api.get("http://emulator/api//coa").status_code == 200
