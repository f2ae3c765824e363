"""The sample document of a Swedish, Norwegian or Danish company: its currency, VAT rates,
references and identifiers, consistent like the Finnish one, and accepted by the import."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from stdnum.dk import cvr
from stdnum.fi import ytunnus
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from procountor_export.export.planning import references
from procountor_export.samples.generator import generate_document, write_document
from procountor_export.tms.document import Document

CENT = Decimal("0.01")
CURRENCIES = {"se": "SEK", "no": "NOK", "dk": "DKK"}
RATES = {"se": {"25", "12", "6", "0"}, "no": {"25", "12", "0"}, "dk": {"25", "0"}}
COUNTRIES = {"se": {"SE", "NO", "FI"}, "no": {"NO", "SE", "FI"}, "dk": {"DK", "SE", "FI"}}
IDS = {"FI": ytunnus, "SE": se_orgnr, "NO": no_orgnr, "DK": cvr}


@pytest.fixture(scope="module", params=["se", "no", "dk"])
def market(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def document(market: str) -> dict[str, Any]:
    return generate_document(300, seed=4, market=market)


def test_the_market_document_is_its_companys(market: str, document: dict[str, Any]) -> None:
    Document.model_validate(document)
    office = document["office"]
    assert office["currency"] == CURRENCIES[market]
    assert office["address"]["country"] == market.upper()
    assert IDS[market.upper()].is_valid(office["business_id"])
    assert {rate["rate"] for rate in document["vat_rates"]} == RATES[market]
    countries = {c["address"]["country"] for c in document["customers"]}
    assert countries == COUNTRIES[market]
    for customer in document["customers"]:
        assert IDS[customer["address"]["country"]].is_valid(customer["corporate_id"])
    assert {i["currency"] for i in document["invoices"]} == {CURRENCIES[market]}
    used = {p["vat_rate"] for i in document["invoices"] for p in i["postings"]}
    assert used == RATES[market]


def test_every_reference_is_one_the_market_takes(market: str, document: dict[str, Any]) -> None:
    formats = references.market_for(market.upper())
    kinds = {
        references.parse(invoice["reference"], formats).type
        for invoice in document["invoices"]
        if invoice["type"] == "invoice"
    }
    assert kinds == {formats.formats[0].type, "RF"}
    assert all("reference" not in i for i in document["invoices"] if i["type"] == "credit")


def test_amounts_add_up(document: dict[str, Any]) -> None:
    rates = {rate["code"]: Decimal(rate["rate"]) for rate in document["vat_rates"]}
    numbers = {invoice["number"] for invoice in document["invoices"]}
    for invoice in document["invoices"]:
        by_code: dict[str, Decimal] = defaultdict(Decimal)
        for order in invoice["orders"]:
            for line in order["lines"]:
                amount = Decimal(line["amount"])
                assert amount == Decimal(line["quantity"]) * Decimal(line["unit_price"])
                by_code[line["vat_code"]] += amount
        posted: dict[str, Decimal] = defaultdict(Decimal)
        for posting in invoice["postings"]:
            net, vat = Decimal(posting["net"]), Decimal(posting["vat"])
            expected = (net * rates[posting["vat_code"]] / 100).quantize(CENT, ROUND_HALF_UP)
            assert vat == expected
            posted[posting["vat_code"]] += net
        assert posted == by_code
        totals = invoice["totals"]
        net_total = sum((Decimal(p["net"]) for p in invoice["postings"]), Decimal(0))
        vat_total = sum((Decimal(p["vat"]) for p in invoice["postings"]), Decimal(0))
        assert (Decimal(totals["net"]), Decimal(totals["vat"])) == (net_total, vat_total)
        assert Decimal(totals["gross"]) == net_total + vat_total
        if invoice["type"] == "credit":
            assert invoice["credited_invoice"] in numbers
            assert net_total < 0


def test_the_same_arguments_give_the_same_document_and_the_stream_equals_it(market: str) -> None:
    first = generate_document(40, seed=9, market=market)
    assert generate_document(40, seed=9, market=market) == first
    assert generate_document(40, seed=10, market=market) != first
    stream = io.StringIO()
    write_document(stream, 40, seed=9, market=market)
    assert json.loads(stream.getvalue()) == first


def test_an_unknown_market_and_problem_cases_outside_finland_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown market"):
        generate_document(1, market="ee")
    with pytest.raises(ValueError, match="Finnish document's only"):
        generate_document(1, with_problems=True, market="se")
    assert generate_document(5, seed=1, market="FI") == generate_document(5, seed=1)
