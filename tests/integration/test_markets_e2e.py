"""A Swedish, a Norwegian and a Danish company's period exported end to end against the
emulator started with that market's company (``market_seed``): every invoice EXPORTED with the
market's references and identifiers, nothing Finnish-only in any request body, and a wrong OCR
check digit or an invalid Swedish organisation number stopped before anything is sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from cryptography.fernet import Fernet
from rig import Rig  # type: ignore[import-not-found]
from starlette.testclient import TestClient

from procountor_export.emulator import create_app, market_seed
from procountor_export.export.messages import Messages
from procountor_export.export.planning.payloads import finnish_only_fields
from procountor_export.export.reading.scope import Scope
from procountor_export.samples.generator import generate_document
from procountor_export.store.db import Store
from procountor_export.store.models import JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

OPTER = Messages("Opter")
REFERENCE_TYPES = {"se": {"OCR", "RF"}, "no": {"KID", "RF"}, "dk": {"FIK71", "RF"}}
IDENTIFIER_TYPES = {"se": {"SE", "NO", "FI"}, "no": {"NO", "SE", "FI"}, "dk": {"DK", "SE", "FI"}}


class Bodies:
    """Every JSON request body the export sends (an httpx request hook on the emulator's
    client), by ``METHOD path``."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> None:
        if request.headers.get("content-type", "").startswith("application/json"):
            content = request.read()
            if content:
                self.sent.append((f"{request.method} {request.url.path}", json.loads(content)))

    def to(self, method: str, path: str) -> list[Any]:
        return [body for where, body in self.sent if where == f"{method} {path}"]


@pytest.fixture
def bodies() -> Bodies:
    return Bodies()


def market_rig(store: Store, market: str, bodies: Bodies) -> Iterator[Rig]:
    app = create_app(market_seed(market), rate_limit=None)
    with TestClient(app, base_url="http://emulator") as http:
        http.event_hooks = {"request": [bodies], "response": []}
        yield Rig(store, app, http, SecretBox(Fernet.generate_key()), [])


@pytest.fixture(params=["se", "no", "dk"])
def market(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def rig(store: Store, market: str, bodies: Bodies) -> Iterator[Rig]:
    yield from market_rig(store, market, bodies)


@pytest.fixture
def swedish(store: Store, bodies: Bodies) -> Iterator[Rig]:
    yield from market_rig(store, "se", bodies)


def load(rig: Rig, document: dict[str, Any]) -> Scope:
    report = import_document(rig.store, document, box=rig.box)
    assert report.accepted, report.errors
    return Scope(invoices=tuple(invoice["number"] for invoice in document["invoices"]))


def sent(rig: Rig) -> dict[str, dict[str, Any]]:
    return {inv["originalInvoiceNumber"]: inv for inv in rig.collection("invoices")}


def test_a_markets_period_exports_end_to_end(rig: Rig, market: str, bodies: Bodies) -> None:
    document = generate_document(30, seed=5, market=market)

    summary = rig.export(load(rig, document))

    problems = [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    assert summary.succeeded, problems
    states = {o.invoice: o.state for o in summary.outcomes}
    numbers = [invoice["number"] for invoice in document["invoices"]]
    assert states == dict.fromkeys(numbers, JournalState.EXPORTED)
    received = sent(rig)
    assert set(received) == set(numbers)
    company = rig.emulator.snapshot(include_files=False)["companies"]
    (state,) = company.values()
    currency = document["office"]["currency"]
    for invoice in document["invoices"]:
        remote = received[invoice["number"]]
        payment = remote["paymentInfo"]
        assert payment["currency"] == currency
        # The TMS's reference is kept, with the market's type; a credit note has none, and
        # Procountor makes one of the market's own type.
        if invoice["type"] == "invoice":
            assert payment["bankReferenceCode"] == invoice["reference"].replace(" ", "")
        assert payment["bankReferenceCodeType"] in REFERENCE_TYPES[market]
    assert {p["bankReferenceCodeType"] for p in (r["paymentInfo"] for r in received.values())} == (
        REFERENCE_TYPES[market]
    )
    partners = [p for p in state["partners"] if p["invoicingInfo"].get("customerNumber", "")
                .startswith("4")]  # fmt: skip
    assert {p["invoicingInfo"]["identifierType"] for p in partners} == IDENTIFIER_TYPES[market]
    # Nothing valid only in Finnish environments, and no e-invoice operator, in any body sent.
    assert bodies.to("POST", "/api/invoices")
    for where, body in bodies.sent:
        assert finnish_only_fields(body) == [], where
        assert "einvoiceOperator" not in json.dumps(body), where


def test_swedish_rates_references_and_identifiers(swedish: Rig, bodies: Bodies) -> None:
    document = generate_document(60, seed=8, market="se")
    rates = {
        posting["vat_rate"] for invoice in document["invoices"] for posting in invoice["postings"]
    }
    assert {"25", "0"} <= rates <= {"25", "12", "6", "0"}
    countries = {customer["address"]["country"] for customer in document["customers"]}
    assert countries == {"SE", "NO", "FI"}

    summary = swedish.export(load(swedish, document))

    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    received = sent(swedish)
    assert len(received) == len(document["invoices"])
    partner_bodies = bodies.to("POST", "/api/businesspartners")
    assert any(body["invoicingInfo"].get("einvoiceAddress") for body in partner_bodies)
    assert all("einvoiceOperator" not in body["invoicingInfo"] for body in partner_bodies)
    percents = {row["vatPercent"] for inv in received.values() for row in inv["invoiceRows"]}
    assert {25, 0} <= percents
    # The e-invoice customer's address went, its operator (the TMS's EDI code) did not.
    einvoiced = [
        inv["counterParty"]["einvoiceAddress"]
        for inv in received.values()
        if inv["counterParty"].get("einvoiceAddress")
    ]
    assert einvoiced
    assert all(address.get("operator") is None for address in einvoiced)
    assert {a["address"] for a in einvoiced} == {"SE1950000000054910000000"}


def test_a_wrong_ocr_and_an_invalid_organisation_number_stop_before_sending(
    swedish: Rig, bodies: Bodies
) -> None:
    document = generate_document(12, seed=5, market="se")
    first = document["invoices"][0]
    # The second invoice is another customer's (whose number is made wrong below).
    second = next(inv for inv in document["invoices"] if inv["customer"] != first["customer"])
    rest = [inv for inv in document["invoices"] if inv not in (first, second)]
    reference = first["reference"]
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    first["reference"] = wrong
    # The second invoice's customer gets an organisation number with a wrong check digit.
    code = second["customer"]
    customer = next(c for c in document["customers"] if c["code"] == code)
    orgnr = customer["corporate_id"]
    bad_orgnr = orgnr[:-1] + str((int(orgnr[-1]) + 1) % 10)
    customer["corporate_id"] = bad_orgnr
    others = [inv["number"] for inv in rest if inv["customer"] != code]
    assert others

    summary = swedish.export(load(swedish, document))

    outcomes = {o.invoice: o for o in summary.outcomes}
    assert outcomes[first["number"]].state is JournalState.FAILED
    (problem,) = outcomes[first["number"]].problems
    assert (problem.code, problem.invoice, problem.field) == (
        "MARKET_REFERENCE_INVALID",
        first["number"],
        "reference",
    )
    assert OPTER.message(problem).startswith(
        f"The payment reference {wrong} of invoice {first['number']} is not a valid OCR number "
        "or RF creditor reference (the references of a company in Sweden): the check digit"
    )
    bad = outcomes[second["number"]]
    assert bad.state is JournalState.FAILED
    assert [(p.code, p.field) for p in bad.problems] == [
        ("ORGANISATION_NUMBER_INVALID", "customer.corporate_id")
    ]
    assert f"The Swedish organisation number {bad_orgnr} of customer" in OPTER.message(
        bad.problems[0]
    )
    received = sent(swedish)
    assert first["number"] not in received
    assert second["number"] not in received
    assert set(others) <= set(received)
    # The customer with the invalid number was never sent to Procountor.
    assert all(
        body.get("invoicingInfo", {}).get("identifier") != bad_orgnr
        for body in bodies.to("POST", "/api/businesspartners")
    )


def test_a_finnish_vat_rate_is_refused_before_sending_in_a_swedish_company(swedish: Rig) -> None:
    document = generate_document(3, seed=5, market="se")
    document["vat_rates"].append({"code": "ALV25.5", "rate": "25.5", "kind": "domestic"})
    document["export_settings"]["exports"][0]["codes"]["tax_rates"]["ALV25.5"] = "vat_1"
    posting = document["invoices"][0]["postings"][0]
    posting["vat_code"], posting["vat_rate"] = "ALV25.5", "25.5"
    net = int(posting["net"].replace(".", ""))
    posting["vat"] = f"{(net * 255 + 500) // 1000 / 100:.2f}"
    for order in document["invoices"][0]["orders"]:
        for line in order["lines"]:
            if line["vat_code"] == "MOMS25":
                line["vat_code"] = "ALV25.5"
    totals = document["invoices"][0]["totals"]
    postings = document["invoices"][0]["postings"]
    vat = sum(int(p["vat"].replace(".", "")) for p in postings)
    net_total = sum(int(p["net"].replace(".", "")) for p in postings)
    totals["vat"] = f"{vat / 100:.2f}"
    totals["gross"] = f"{(vat + net_total) / 100:.2f}"
    number = document["invoices"][0]["number"]

    summary = swedish.export(load(swedish, document))

    outcome = next(o for o in summary.outcomes if o.invoice == number)
    assert outcome.state is JournalState.FAILED
    assert [p.code for p in outcome.problems] == ["VAT_PERCENT_NOT_ENABLED"]
    assert number not in sent(swedish)
