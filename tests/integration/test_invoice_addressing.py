"""Where an invoice goes and who it says it came from, as Procountor received it.

An e-invoice always carries its billing address (the invoice address, else the buyer's): the
API wants street, zip and city "in billingAddress and counterPartyAddress", and the emulator
takes that strictly by default. The TMS's configured name is the one in the invoice's notes.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
from rig import Rig  # type: ignore[import-not-found]


def _sent(rig: Rig) -> dict[str, dict[str, Any]]:
    """The invoice bodies the export POSTed, by TMS number (what Procountor received)."""
    bodies: dict[str, dict[str, Any]] = {}
    for body in rig.http.posted_invoices:  # type: ignore[attr-defined]
        bodies[body["originalInvoiceNumber"]] = body
    return bodies


def _record_posted_invoices(rig: Rig) -> None:
    posted: list[dict[str, Any]] = []

    def record(request: httpx2.Request) -> None:
        if request.method == "POST" and request.url.path == "/api/invoices":
            posted.append(json.loads(request.content))

    rig.http.event_hooks["request"].append(record)
    rig.http.posted_invoices = posted  # type: ignore[attr-defined]


def test_an_e_invoice_carries_a_billing_address_even_without_an_invoice_address(
    sqlite_rig: Rig,
) -> None:
    document = sqlite_rig.load(60, seed=7)
    _record_posted_invoices(sqlite_rig)
    summary = sqlite_rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    customers = {c["code"]: c for c in document["customers"]}
    sent = _sent(sqlite_rig)
    seen = {"e-invoice, own address": 0, "other, no invoice address": 0}
    for tms in document["invoices"]:
        invoice = sent.get(tms["number"])
        if invoice is None:
            continue
        customer = customers[tms["customer"]]
        if customer.get("invoice_address"):
            continue
        if customer.get("invoice_channel") == "e-invoice":
            seen["e-invoice, own address"] += 1
            billing = invoice["billingAddress"]
            assert isinstance(billing, dict)
            for key in ("street", "zip", "city"):
                assert billing[key] == customer["address"][key], (tms["number"], key)
        else:
            seen["other, no invoice address"] += 1
            # Omitted: Procountor's documented "the counterparty's address".
            assert "billingAddress" not in invoice, tms["number"]
    assert all(seen.values()), seen


def test_the_invoice_notes_name_the_configured_tms(sqlite_rig: Rig) -> None:
    sqlite_rig.load(3, seed=4)
    _record_posted_invoices(sqlite_rig)
    summary = sqlite_rig.export(source="Kuljetus-TMS")
    sent = _sent(sqlite_rig)
    assert summary.exported == len(sent) > 0
    for number, invoice in sent.items():
        notes = str(invoice["notes"])
        assert notes.startswith(f"Exported from Kuljetus-TMS, invoice {number}"), notes
        assert "Opter" not in notes
