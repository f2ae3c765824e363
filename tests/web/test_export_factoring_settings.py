"""The invoice export page: its factoring contract, factoring text and customer updates."""

from __future__ import annotations

import re

from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.store import export_settings as es


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _save(client: TestClient, **fields: str) -> str:
    page = client.get("/settings/exports/new").text
    data = {"csrf_token": _csrf(page), "name": "Rahoitus", "encoding": "UTF-8", **fields}
    answer = client.post("/settings/exports", data=data)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_factoring_and_customer_updates_are_saved_shown_and_cleared(
    client: TestClient, served: Served
) -> None:
    page = client.get("/settings/exports/new").text
    assert 'name="factoring_contract"' in page
    assert '<option value="create_and_update" selected>' in page

    shown = _save(
        client,
        factoring_contract="RAH-1001",
        factoring_text="Saatava on siirretty <Rahoitus>",
        customer_updates="none",
    )
    assert 'value="RAH-1001"' in shown
    assert 'value="Saatava on siirretty &lt;Rahoitus&gt;"' in shown
    assert '<option value="none" selected>' in shown
    with served.store.session() as session:
        export = es.require_export(session, "Rahoitus")
        assert export.factoring_contract == "RAH-1001"
        assert export.factoring_text == "Saatava on siirretty <Rahoitus>"
        assert export.customer_updates == "none"

    # Emptied fields clear the contract; the policy stays as chosen.
    _save(client, factoring_contract="", factoring_text="", customer_updates="none")
    with served.store.session() as session:
        export = es.require_export(session, "Rahoitus")
        assert (export.factoring_contract, export.factoring_text) == (None, None)
        assert export.customer_updates == "none"


def test_a_bad_policy_is_refused_on_the_page(client: TestClient) -> None:
    page = client.get("/settings/exports/new").text
    answer = client.post(
        "/settings/exports",
        data={"csrf_token": _csrf(page), "name": "X", "customer_updates": "always"},
    )
    assert answer.status_code == 422
    assert "customer_updates &#39;always&#39; is not one of" in answer.text
