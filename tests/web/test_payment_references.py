"""The reference Procountor holds, beside its invoice number: the REST API's invoice answer and
the invoice page."""

from __future__ import annotations

import json

from starlette.testclient import TestClient
from webrig import Served, wait_for_run  # type: ignore[import-not-found]

from procountor_export.samples.generator import generate_document


def test_the_reference_is_shown_beside_the_procountor_invoice(
    client: TestClient, served: Served
) -> None:
    document = generate_document(3, seed=11)
    ours, theirs = document["invoices"][0], document["invoices"][1]
    ours["reference"] = "RF18 5390 0754 7034"
    ours["penalty_interest"] = "8"
    loaded = client.post("/api/v1/documents", content=json.dumps(document), headers=served.auth)
    assert loaded.status_code == 200, loaded.text
    started = client.post(
        "/api/v1/exports",
        json={"invoices": [ours["number"], theirs["number"]]},
        headers=served.auth,
    )
    assert started.status_code in (200, 202), started.text
    assert wait_for_run(client, served, started.json()["run_id"])["state"] == "succeeded"

    answer = client.get(f"/api/v1/invoices/{ours['number']}", headers=served.auth).json()
    assert answer["exports"][0]["bank_reference"] == "RF18539007547034"
    made = client.get(f"/api/v1/invoices/{theirs['number']}", headers=served.auth).json()
    assert made["exports"][0]["bank_reference"].isdigit()  # Procountor's own

    page = client.get(f"/invoices/{ours['number']}").text
    assert '<span class="reference">RF18539007547034</span>' in page
    assert "<dt>Payment reference</dt><dd>RF18 5390 0754 7034</dd>" in page
    assert "<dt>Penalty interest</dt><dd>8 %</dd>" in page
