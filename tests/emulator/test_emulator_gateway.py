"""Rate limiting, fault injection, the admin endpoints, the request log and the state file."""

from __future__ import annotations

import time
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from procountor_export.emulator import create_app, default_seed
from procountor_export.emulator.testing import TOKEN_FORM, error_pairs, sample_invoice

ADMIN = "http://emulator/_emulator"


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _client(**options: object) -> TestClient:
    client = TestClient(create_app(**options), base_url="http://emulator")  # type: ignore[arg-type]
    token = client.post("/api/oauth/token", data=TOKEN_FORM).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_rate_limit_answers_429_and_counts() -> None:
    clock = FrozenClock()
    client = _client(rate_limit=5, clock=clock)
    statuses = [client.get("/api/coa").status_code for _ in range(8)]
    # The token request took one of the five; four more pass, the rest are refused.
    assert statuses == [200] * 4 + [429] * 4
    refused = client.get("/api/coa")
    assert refused.headers["Retry-After"] == "1"
    assert error_pairs(refused) == [(None, "Too many requests: rate limit exceeded")]
    clock.now += 1
    assert client.get("/api/coa").status_code == 200
    log = client.get(f"{ADMIN}/requests").json()
    assert log["rateLimitViolations"] == 5
    assert log["rateLimitViolationsByClient"] == {"demo-client": 5}
    assert client.app.state.emulator.rate_limit_violations == 5  # type: ignore[attr-defined]


def test_rate_limit_off() -> None:
    client = _client(rate_limit=None)
    assert {client.get("/api/coa").status_code for _ in range(40)} == {200}


def test_suspend_mode_rejects_everything_for_a_while() -> None:
    seed = default_seed()
    seed.limits.rate_limit_mode = "suspend"
    seed.limits.suspend_seconds = 30
    clock = FrozenClock()
    client = _client(seed=seed, rate_limit=1, clock=clock)
    assert client.get("/api/coa").status_code == 429
    clock.now += 10
    assert client.get("/api/coa").status_code == 429
    clock.now += 25
    assert client.get("/api/coa").status_code == 200


def test_injected_5xx_spares_the_admin_endpoints(api: TestClient) -> None:
    assert api.put(f"{ADMIN}/faults", json={"errorRate": 1}).json()["errorRate"] == 1
    response = api.get("coa")
    assert response.status_code == 503
    assert error_pairs(response)
    assert api.get(f"{ADMIN}/state").status_code == 200
    api.put(f"{ADMIN}/faults", json={"errorRate": 0, "errorStatus": 502})
    assert api.get("coa").status_code == 200


def test_write_then_500_leaves_the_invoice_saved(api: TestClient) -> None:
    api.put(f"{ADMIN}/faults", json={"failAfterWrite": {"invoices": 1}})
    response = api.post("invoices", json=sample_invoice(originalInvoiceNumber="TMS-7"))
    assert response.status_code == 500
    assert error_pairs(response)
    found = api.get("invoices", params={"originalInvoiceNumber": "TMS-7"}).json()
    assert found["meta"]["totalCount"] == 1


def test_dropped_connection_is_a_transport_error(api: TestClient) -> None:
    api.app.state.emulator.set_faults(drop_rate=1)  # type: ignore[attr-defined]
    with pytest.raises(httpx2.TransportError):
        api.get("coa")


def test_latency(api: TestClient) -> None:
    api.app.state.emulator.set_faults(latency_ms=60)  # type: ignore[attr-defined]
    started = time.perf_counter()
    api.get("coa")
    assert time.perf_counter() - started >= 0.06


def test_random_seed_makes_faults_repeatable() -> None:
    def run() -> list[int]:
        seed = default_seed()
        seed.faults.error_rate = 0.5
        seed.faults.random_seed = 7
        client = TestClient(create_app(seed, rate_limit=None), base_url="http://emulator")
        return [client.get("/api/status").status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert {200, 503} == set(first)


def test_bad_fault_settings_are_400(api: TestClient) -> None:
    assert api.put(f"{ADMIN}/faults", json={"errorRate": 2}).status_code == 400
    assert api.put(f"{ADMIN}/faults", json={"noSuchFault": 1}).status_code == 400


def test_state_log_and_reset(api: TestClient) -> None:
    api.post("invoices", json=sample_invoice())
    api.get("invoices/999999")
    state = api.get(f"{ADMIN}/state").json()
    company = state["companies"]["demo-api-key"]
    assert len(company["invoices"]) == 1
    assert len(company["ledgerReceipts"]) == 1
    requests = api.get(f"{ADMIN}/requests").json()
    assert requests["counts"]["POST /invoices"] == 1
    assert requests["counts"]["GET /invoices/{ids}"] == 1
    assert requests["log"][-1]["status"] == 404
    assert api.post(f"{ADMIN}/reset").status_code == 200
    emulator = api.app.state.emulator  # type: ignore[attr-defined]
    assert emulator.snapshot()["companies"]["demo-api-key"]["invoices"] == []
    assert emulator.requests()["counts"] == {}
    assert api.get("coa").status_code == 401  # tokens are part of the state


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    first = _client(rate_limit=None, state_file=state_file)
    created = first.post("/api/invoices", json=sample_invoice()).json()
    assert state_file.exists()
    second = TestClient(
        create_app(rate_limit=None, state_file=state_file), base_url="http://emulator"
    )
    second.headers["Authorization"] = first.headers["Authorization"]
    again = second.get(f"/api/invoices/{created['id']}")
    assert again.status_code == 200
    assert again.json() == created
    assert second.post("/api/invoices", json=sample_invoice()).json()["id"] == created["id"] + 1
